/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "pdv-test-util.h"

static void
make_key (guint8 secret[PDV_TICKET_SECRET_KEY_BYTES],
          guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES])
{
  g_assert_cmpint (sodium_init (), >=, 0);
  crypto_sign_keypair (public_key, secret);
}

static char *
sign_for (const char   *event_id,
          const char   *product_id,
          const guint8  secret[PDV_TICKET_SECRET_KEY_BYTES],
          const guint8  public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
          guint8        out_id[PDV_FICHA_ID_BYTES])
{
  PdvFichaClaims claims = { 0 };
  g_autoptr(GError) error = NULL;
  char *token;

  pdv_ticket_event_tag (event_id, claims.event_tag);
  pdv_ficha_key_tag (public_key, claims.key_tag);
  randombytes_buf (claims.id, sizeof claims.id);
  claims.product_id = (char *) product_id;
  token = pdv_ficha_token_sign (&claims, secret, &error);
  g_assert_no_error (error);
  if (out_id != NULL)
    memcpy (out_id, claims.id, sizeof claims.id);
  return token;
}

/* A token says what was signed, and nothing else passes for it. */
static void
test_token (void)
{
  guint8 secret[PDV_TICKET_SECRET_KEY_BYTES], public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  guint8 other_secret[PDV_TICKET_SECRET_KEY_BYTES], other_public[PDV_TICKET_PUBLIC_KEY_BYTES];
  guint8 id[PDV_FICHA_ID_BYTES];
  guint8 key_tag[PDV_FICHA_KEY_TAG_BYTES];
  guint8 event_tag[PDV_TICKET_EVENT_TAG_BYTES];
  g_autofree char *token = NULL;
  g_autofree char *forged = NULL;
  g_autoptr(PdvFichaClaims) claims = NULL;
  g_autoptr(GError) error = NULL;

  make_key (secret, public_key);
  make_key (other_secret, other_public);
  token = sign_for ("noite-de-verao-2026", "CERV-LATA-350", secret, public_key, id);
  g_assert_true (g_str_has_prefix (token, PDV_FICHA_PREFIX));
  /* QR's alphanumeric alphabet only: the smallest code for its length. */
  for (const char *p = token; *p != '\0'; p++)
    g_assert_nonnull (strchr ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", *p));

  claims = pdv_ficha_token_read (token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (claims->product_id, ==, "CERV-LATA-350");
  g_assert_cmpmem (claims->id, sizeof claims->id, id, sizeof id);
  pdv_ficha_key_tag (public_key, key_tag);
  g_assert_cmpmem (claims->key_tag, sizeof claims->key_tag, key_tag, sizeof key_tag);
  pdv_ticket_event_tag ("noite-de-verao-2026", event_tag);
  g_assert_cmpmem (claims->event_tag, sizeof claims->event_tag, event_tag, sizeof event_tag);
  pdv_ticket_event_tag ("another-event", event_tag);
  g_assert_true (memcmp (claims->event_tag, event_tag, sizeof event_tag) != 0);

  g_assert_true (pdv_ficha_token_verify (token, public_key, &error));
  g_assert_no_error (error);

  /* Another terminal's key does not vouch for it. */
  g_assert_false (pdv_ficha_token_verify (token, other_public, &error));
  g_assert_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_FORGED);
  g_clear_error (&error);

  /* Every character changed in turn (to another of the alphabet): never a
   * valid ficha. */
  for (gsize i = strlen (PDV_FICHA_PREFIX); token[i] != '\0'; i++)
    {
      g_autofree char *changed = g_strdup (token);

      changed[i] = token[i] == 'A' ? 'B' : 'A';
      g_assert_false (pdv_ficha_token_verify (changed, public_key, &error));
      g_assert_true (g_error_matches (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_FORGED) ||
                     g_error_matches (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_UNREADABLE));
      g_clear_error (&error);
    }

  /* A ficha made with a stolen key tag but another key: forged. */
  forged = sign_for ("noite-de-verao-2026", "CERV-LATA-350", other_secret, public_key, NULL);
  g_assert_false (pdv_ficha_token_verify (forged, public_key, &error));
  g_assert_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_FORGED);
  g_clear_error (&error);
}

static void
test_unreadable (void)
{
  static const char * const texts[] = {
    "", "PDVF:", "PDV2:6BFOXN*TS0BI$ZDFRH", "hello", "PDVF:abc", "PDVF:%%%%", "PDVF:0000000000",
    "https://example.com/ficha/1",
  };
  guint8 secret[PDV_TICKET_SECRET_KEY_BYTES], public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  g_autofree char *token = NULL;

  make_key (secret, public_key);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (pdv_ficha_token_read (texts[i], &error));
      g_assert_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_UNREADABLE);
    }
  /* Cut short: unreadable, not a crash. */
  token = sign_for ("e", "X", secret, public_key, NULL);
  for (gsize length = strlen (PDV_FICHA_PREFIX); length < strlen (token); length++)
    {
      g_autofree char *cut = g_strndup (token, length);
      g_autoptr(GError) error = NULL;

      g_assert_false (pdv_ficha_token_verify (cut, public_key, &error));
      g_assert_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_UNREADABLE);
    }
}

static void
test_code (void)
{
  static const guint8 zero[PDV_FICHA_ID_BYTES] = { 0 };
  static const guint8 ones[PDV_FICHA_ID_BYTES] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0 };
  static const guint8 some[PDV_FICHA_ID_BYTES] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
  g_autofree char *a = pdv_ficha_code (zero);
  g_autofree char *b = pdv_ficha_code (ones);
  g_autofree char *c = pdv_ficha_code (some);
  g_autofree char *id = pdv_ficha_id_to_string (some);

  g_assert_cmpstr (a, ==, "0000-0000");
  g_assert_cmpstr (b, ==, "ZZZZ-ZZZZ");
  /* 0x0123456789 in fives: 00000 00100 10001 10100 01010 11001 11100 01001 */
  g_assert_cmpstr (c, ==, "04HM-ASW9");
  g_assert_cmpstr (id, ==, "0123456789abcdef");
}

/* A sale hands over one ficha per unit of what the event issues them for,
 * each its own, all signed with the terminal's one key. */
static void
test_sale_issues (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, TRUE);
  PdvDb *db = pdv_context_get_db (context);
  g_autoptr(json_t) event = pdv_context_dup_event (context);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *public_text = NULL;
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  g_autoptr(GError) error = NULL;
  const char *event_id = json_string_value (json_object_get (event, "id"));

  g_assert_true (pdv_ficha_event_issues (event, "CERV-LATA-350"));
  g_assert_true (pdv_ficha_event_issues (event, "DRK-MOJITO"));
  g_assert_false (pdv_ficha_event_issues (event, "SA-AGUA-500"));
  g_assert_false (pdv_ficha_event_issues (NULL, "CERV-LATA-350"));
  g_assert_null (pdv_ficha_dup_public_key (db, &error));
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
      g_autoptr(PdvSaleResult) result = NULL;
      g_autoptr(PdvJournalEntry) entry = NULL;
      json_t *fichas = NULL;
      guint8 event_tag[PDV_TICKET_EVENT_TAG_BYTES];

      pdv_sale_draft_add_line (draft, "CERV-LATA-350", 3);
      pdv_sale_draft_add_line (draft, "SA-AGUA-500", 2);
      pdv_sale_draft_add_line (draft, "DRK-MOJITO", 1);
      pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, 3600 + 1200 + pdv_test_price_of (
                                    pdv_context_get_catalog (context), "DRK-MOJITO"), 0, "AUTH");
      result = pdv_sale_commit (pdv_context_get_journal (context), pdv_context_get_catalog (context), draft,
                                "ana", NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_assert_cmpuint (json_array_size (result->fichas), ==, 4);

      /* The journal keeps them with the sale: what they are, not their
       * tokens, which the terminal's key makes again, the same each time. */
      entry = pdv_test_journal_last_entry (pdv_context_get_journal (context));
      g_assert_cmpstr (entry->id, ==, result->sale_id);
      g_assert_true (json_equal (json_object_get (entry->payload, "fichas"), result->fichas));
      g_assert_null (json_object_get (json_array_get (result->fichas, 0), "token"));
      fichas = json_deep_copy (result->fichas);
      g_assert_true (pdv_ficha_add_tokens (db, fichas, &error));
      g_assert_no_error (error);
      {
        g_autoptr(json_t) again = json_deep_copy (result->fichas);

        g_assert_true (pdv_ficha_add_tokens (db, again, &error));
        g_assert_no_error (error);
        g_assert_true (json_equal (again, fichas));
      }

      if (public_text == NULL)
        {
          public_text = pdv_ficha_dup_public_key (db, &error);
          g_assert_no_error (error);
          g_assert_nonnull (public_text);
          g_assert_true (pdv_ticket_public_key_parse (public_text, public_key, &error));
        }
      else
        {
          /* One key for the terminal: the second sale kept it. */
          g_autofree char *again = pdv_ficha_dup_public_key (db, NULL);

          g_assert_cmpstr (again, ==, public_text);
        }

      pdv_ticket_event_tag (event_id, event_tag);
      for (size_t i = 0; i < json_array_size (fichas); i++)
        {
          json_t *ficha = json_array_get (fichas, i);
          const char *token = json_string_value (json_object_get (ficha, "token"));
          g_autoptr(PdvFichaClaims) claims = pdv_ficha_token_read (token, &error);
          g_autofree char *id = NULL;
          g_autofree char *code = NULL;

          g_assert_no_error (error);
          g_assert_cmpstr (claims->product_id, ==, i < 3 ? "CERV-LATA-350" : "DRK-MOJITO");
          g_assert_cmpstr (json_string_value (json_object_get (ficha, "product")), ==, claims->product_id);
          g_assert_cmpstr (json_string_value (json_object_get (ficha, "name")), ==,
                           i < 3 ? "Cerveja Lata 350 ml" : "Mojito");
          g_assert_cmpmem (claims->event_tag, sizeof claims->event_tag, event_tag, sizeof event_tag);
          id = pdv_ficha_id_to_string (claims->id);
          code = pdv_ficha_code (claims->id);
          g_assert_cmpstr (json_string_value (json_object_get (ficha, "id")), ==, id);
          g_assert_cmpstr (json_string_value (json_object_get (ficha, "code")), ==, code);
          g_assert_true (pdv_ficha_token_verify (token, public_key, &error));
          g_assert_no_error (error);
          g_assert_false (g_hash_table_contains (ids, id));
          g_hash_table_add (ids, g_steal_pointer (&id));
        }
      json_decref (fichas);
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 8);

  /* Fichas another key signs, or damaged ones, get no token. */
  {
    g_autoptr(json_t) foreign = json_pack ("[{s:s, s:s, s:s, s:s, s:s}]", "id", "0123456789abcdef", "code",
                                           "04HM-ASW9", "product", "CERV-LATA-350", "name", "Cerveja", "key",
                                           "00000000");
    g_autoptr(json_t) damaged = NULL;
    g_autofree char *key = NULL;
    guint8 tag[PDV_FICHA_KEY_TAG_BYTES];

    g_assert_false (pdv_ficha_add_tokens (db, foreign, &error));
    g_assert_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (json_object_get (json_array_get (foreign, 0), "token"));
    pdv_ficha_key_tag (public_key, tag);
    key = g_strdup_printf ("%02x%02x%02x%02x", tag[0], tag[1], tag[2], tag[3]);
    damaged = json_pack ("[{s:s, s:s, s:s, s:s, s:s}]", "id", "0123", "code", "04HM-ASW9", "product",
                         "CERV-LATA-350", "name", "Cerveja", "key", key);
    g_assert_false (pdv_ficha_add_tokens (db, damaged, &error));
    g_assert_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_true (pdv_journal_verify (pdv_context_get_journal (context), NULL, NULL, &error));
  g_assert_no_error (error);
  pdv_test_remove_tree (dir);
}

/* A sale of no ficha product carries no fichas; one of too many is refused
 * whole, with nothing saved. */
static void
test_sale_limits (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, TRUE);
  PdvJournal *journal = pdv_context_get_journal (context);
  g_autoptr(PdvSaleDraft) water = pdv_sale_draft_new ();
  g_autoptr(PdvSaleDraft) crowd = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(PdvSaleResult) refused = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;

  pdv_sale_draft_add_line (water, "SA-AGUA-500", 1);
  pdv_sale_draft_add_payment (water, PDV_PAYMENT_CARD, pdv_test_price_of (pdv_context_get_catalog (context),
                                                                          "SA-AGUA-500"), 0, "AUTH");
  result = pdv_sale_commit (journal, pdv_context_get_catalog (context), water, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_size (result->fichas), ==, 0);
  entry = pdv_test_journal_last_entry (journal);
  g_assert_null (json_object_get (entry->payload, "fichas"));
  g_assert_null (pdv_ficha_dup_public_key (pdv_context_get_db (context), NULL));

  before = pdv_journal_get_last_seq (journal);
  pdv_sale_draft_add_line (crowd, "DOSE-VODKA", 201);
  pdv_sale_draft_add_payment (crowd, PDV_PAYMENT_CARD, 201 * pdv_test_price_of (pdv_context_get_catalog (context),
                                                                                "DOSE-VODKA"), 0, "AUTH");
  refused = pdv_sale_commit (journal, pdv_context_get_catalog (context), crowd, "ana", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "at most 200 fichas"));
  g_assert_cmpint (pdv_journal_get_last_seq (journal), ==, before);
  /* Nor the key: it is made with the first sale that keeps a ficha. */
  g_assert_null (pdv_ficha_dup_public_key (pdv_context_get_db (context), NULL));
  pdv_test_remove_tree (dir);
}

static const char *
token_of (json_t *fichas,
          guint   i)
{
  return json_string_value (json_object_get (json_array_get (fichas, i), "token"));
}

static PdvFichaRedemption *
redeem (PdvContext *context,
        const char *text,
        const char *counter)
{
  g_autoptr(GError) error = NULL;
  PdvFichaRedemption *r = pdv_ficha_redeem (pdv_context_get_journal (context), text, counter, "caio", &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_nonnull (r->message);
  g_assert_nonnull (r->entry_id);
  g_test_message ("%s: %s", pdv_ficha_verdict_to_string (r->verdict), r->message);
  return r;
}

/* Every verdict the counter gives, each journalled; the projection the
 * journal rebuilds is the one kept. */
static void
test_redeem (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, TRUE);
  PdvDb *db = pdv_context_get_db (context);
  PdvJournal *journal = pdv_context_get_journal (context);
  g_autofree char *sale_id = NULL;
  g_autofree char *voided_id = NULL;
  g_autoptr(json_t) fichas = pdv_test_sell_fichas (context, "CERV-LATA-350", 3, &sale_id);
  g_autoptr(json_t) voided = pdv_test_sell_fichas (context, "DRK-MOJITO", 1, &voided_id);
  g_autoptr(GError) error = NULL;
  guint8 secret[PDV_TICKET_SECRET_KEY_BYTES], public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  gint64 before = pdv_journal_get_last_seq (journal);
  guint scans = 0;

  /* Served: the catalog's name, at this counter. */
  {
    g_autoptr(PdvFichaRedemption) r = redeem (context, token_of (fichas, 0), "Balcão 1");

    scans++;
    g_assert_cmpint (r->verdict, ==, PDV_FICHA_VALID);
    g_assert_cmpstr (r->product_name, ==, "Cerveja Lata 350 ml");
    g_assert_cmpstr (r->message, ==, "Serve: Cerveja Lata 350 ml");
    g_assert_cmpstr (r->redeemed_by, ==, "Balcão 1");
    g_assert_cmpstr (r->code, ==, json_string_value (json_object_get (json_array_get (fichas, 0), "code")));
  }
  /* A photocopy, at another counter: when and where it was served. */
  {
    g_autoptr(PdvFichaRedemption) r = redeem (context, token_of (fichas, 0), "Balcão 2");

    scans++;
    g_assert_cmpint (r->verdict, ==, PDV_FICHA_ALREADY_REDEEMED);
    g_assert_cmpstr (r->redeemed_by, ==, "Balcão 1");
    g_assert_nonnull (strstr (r->message, "already served at Balcão 1"));
  }
  /* A voided sale's ficha. */
  g_assert_true (pdv_sale_void (journal, voided_id, "ana", "9090", "wrong drink", &error));
  g_assert_no_error (error);
  {
    g_autoptr(PdvFichaRedemption) r = redeem (context, token_of (voided, 0), "Balcão 1");

    scans++;
    g_assert_cmpint (r->verdict, ==, PDV_FICHA_VOIDED);
    g_assert_cmpstr (r->product_name, ==, "Mojito");
  }
  /* A refund that names one can: that one is taken back, the others stay. */
  {
    const char *code = json_string_value (json_object_get (json_array_get (fichas, 1), "code"));
    const char *served = json_string_value (json_object_get (json_array_get (fichas, 0), "code"));
    const char *named[] = { code, NULL };
    const char *already[] = { served, NULL };
    g_autoptr(json_t) listed = NULL;

    /* Not one that was served, nor one of another sale. */
    g_assert_false (pdv_sale_refund_fichas (journal, sale_id, 1200, PDV_PAYMENT_CARD, "ana", "9090", "warm",
                                            already, &error));
    g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_FICHA);
    g_clear_error (&error);
    g_assert_true (pdv_sale_refund_fichas (journal, sale_id, 1200, PDV_PAYMENT_CARD, "ana", "9090", "warm",
                                           named, &error));
    g_assert_no_error (error);
    listed = pdv_ficha_list_for_sale (db, sale_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (listed, 0), "state")), ==, "redeemed");
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (listed, 1), "state")), ==, "revoked");
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (listed, 2), "state")), ==, "issued");
  }
  {
    g_autoptr(PdvFichaRedemption) refunded = redeem (context, token_of (fichas, 1), "Balcão 1");
    g_autoptr(PdvFichaRedemption) kept = redeem (context, token_of (fichas, 2), "Balcão 1");

    scans += 2;
    g_assert_cmpint (refunded->verdict, ==, PDV_FICHA_VOIDED);
    g_assert_cmpint (kept->verdict, ==, PDV_FICHA_VALID);
  }

  /* Another event's ficha, signed with this very terminal's key. */
  {
    g_autofree char *key_text = pdv_db_get_meta (db, "ficha_secret_key");
    g_autofree char *other = NULL;
    g_autoptr(PdvFichaRedemption) r = NULL;

    g_assert_true (pdv_ticket_secret_key_parse (key_text, secret, &error));
    g_assert_no_error (error);
    memcpy (public_key, secret + 32, sizeof public_key);
    other = sign_for ("another-event", "CERV-LATA-350", secret, public_key, NULL);
    r = redeem (context, other, "Balcão 1");
    scans++;
    g_assert_cmpint (r->verdict, ==, PDV_FICHA_WRONG_EVENT);
  }
  /* Forged: made with another key that claims this terminal's tag; and a
   * real one altered. */
  {
    g_autoptr(json_t) event = pdv_context_dup_event (context);
    const char *event_id = json_string_value (json_object_get (event, "id"));
    guint8 forger[PDV_TICKET_SECRET_KEY_BYTES], forger_public[PDV_TICKET_PUBLIC_KEY_BYTES];
    g_autofree char *forged = NULL;
    g_autofree char *stranger = NULL;
    g_autofree char *altered = g_strdup (token_of (fichas, 2));
    gsize last = strlen (altered) - 3;
    g_autoptr(PdvFichaRedemption) r = NULL;
    g_autoptr(PdvFichaRedemption) a = NULL;
    g_autoptr(PdvFichaRedemption) u = NULL;

    make_key (forger, forger_public);
    forged = sign_for (event_id, "DOSE-WHISKY-12", forger, public_key, NULL);
    r = redeem (context, forged, "Balcão 1");
    g_assert_cmpint (r->verdict, ==, PDV_FICHA_FORGED);
    altered[last] = altered[last] == 'A' ? 'B' : 'A';
    a = redeem (context, altered, "Balcão 1");
    g_assert_true (a->verdict == PDV_FICHA_FORGED || a->verdict == PDV_FICHA_UNREADABLE);
    /* A key this terminal was never given: it cannot tell. */
    stranger = sign_for (event_id, "DOSE-WHISKY-12", forger, forger_public, NULL);
    u = redeem (context, stranger, "Balcão 1");
    g_assert_cmpint (u->verdict, ==, PDV_FICHA_UNKNOWN_ISSUER);
    scans += 3;
  }
  /* Unreadable, journalled with what was read. */
  {
    g_autoptr(PdvFichaRedemption) r = redeem (context, "https://example.com/x", "Balcão 1");
    g_autoptr(PdvJournalEntry) entry = pdv_test_journal_last_entry (journal);

    scans++;
    g_assert_cmpint (r->verdict, ==, PDV_FICHA_UNREADABLE);
    g_assert_null (r->ficha_id);
    g_assert_cmpstr (entry->kind, ==, PDV_ENTRY_FICHA_REDEEM);
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "read")), ==, "https://example.com/x");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "verdict")), ==, "unreadable");
  }

  /* Every scan journalled (the void and the refund besides). */
  {
    g_autoptr(GPtrArray) entries = pdv_journal_list (journal, before, 1000, &error);
    guint redeemed = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < entries->len; i++)
      if (g_str_equal (((PdvJournalEntry *) g_ptr_array_index (entries, i))->kind, PDV_ENTRY_FICHA_REDEEM))
        redeemed++;
    g_assert_cmpuint (redeemed, ==, scans);
  }
  g_assert_true (pdv_journal_verify (journal, NULL, NULL, &error));
  g_assert_no_error (error);
  pdv_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ficha/token", test_token);
  g_test_add_func ("/ficha/unreadable", test_unreadable);
  g_test_add_func ("/ficha/code", test_code);
  g_test_add_func ("/ficha/sale-issues", test_sale_issues);
  g_test_add_func ("/ficha/sale-limits", test_sale_limits);
  g_test_add_func ("/ficha/redeem", test_redeem);

  return g_test_run ();
}

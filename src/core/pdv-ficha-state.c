/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-ficha"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "pdv-context.h"
#include "pdv-datetime.h"
#include "pdv-db-private.h"
#include "pdv-ficha.h"
#include "pdv-projections.h"
#include "pdv-sale.h"
#include "pdv-shift-private.h"

/* What a counter shows of an unreadable code, and keeps in the journal. */
#define UNREADABLE_KEPT_CHARS 64

#define FICHA_COLUMNS "id, product_id, name, key, sale_id, state, redeemed_at, redeemed_by, redeemed_seq, " \
                      "revoked_seq, revoked_reason"

/**
 * pdv_ficha_record_key:
 * @public_text: base64url of an Ed25519 public key
 *
 * Remembers a key fichas are signed with, and which terminal signs with it.
 */
gboolean
pdv_ficha_record_key (PdvDb       *db,
                      const char  *public_text,
                      const char  *terminal_id,
                      const char  *terminal_name,
                      GError     **error)
{
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  guint8 tag[PDV_FICHA_KEY_TAG_BYTES];
  char tag_text[2 * PDV_FICHA_KEY_TAG_BYTES + 1];
  sqlite3_stmt *stmt;

  if (!pdv_ticket_public_key_parse (public_text, public_key, error))
    return FALSE;
  pdv_ficha_key_tag (public_key, tag);
  sodium_bin2hex (tag_text, sizeof tag_text, tag, sizeof tag);
  stmt = pdv_db_prepare (db,
                         "INSERT INTO ficha_keys (tag, public_key, terminal_id, terminal_name) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (tag) DO UPDATE SET public_key = excluded.public_key, "
                         "  terminal_id = excluded.terminal_id, terminal_name = excluded.terminal_name",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, tag_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, public_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, terminal_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, terminal_name, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

/* Whether @tag is that of @event_id: the last event's tag is kept, a hash
 * saved at every scan. */
static gboolean
is_event (const char   *event_id,
          const guint8  tag[PDV_TICKET_EVENT_TAG_BYTES])
{
  static char *last_id;
  static guint8 last_tag[PDV_TICKET_EVENT_TAG_BYTES];
  G_LOCK_DEFINE_STATIC (last);
  gboolean same;

  if (event_id == NULL)
    return FALSE;
  G_LOCK (last);
  if (g_strcmp0 (last_id, event_id) != 0)
    {
      g_free (last_id);
      last_id = g_strdup (event_id);
      pdv_ticket_event_tag (event_id, last_tag);
    }
  same = memcmp (last_tag, tag, PDV_TICKET_EVENT_TAG_BYTES) == 0;
  G_UNLOCK (last);
  return same;
}

const char *
pdv_ficha_verdict_to_string (PdvFichaVerdict verdict)
{
  switch (verdict)
    {
    case PDV_FICHA_VALID:           return "valid";
    case PDV_FICHA_ALREADY_REDEEMED: return "already_redeemed";
    case PDV_FICHA_VOIDED:          return "voided";
    case PDV_FICHA_WRONG_EVENT:     return "wrong_event";
    case PDV_FICHA_FORGED:          return "forged";
    case PDV_FICHA_UNKNOWN_ISSUER:  return "unknown_issuer";
    case PDV_FICHA_UNREADABLE:      return "unreadable";
    default:                        g_return_val_if_reached ("unreadable");
    }
}

/**
 * pdv_ficha_verdict_label:
 *
 * Returns: the verdict as the counter shows it, in capitals
 */
const char *
pdv_ficha_verdict_label (PdvFichaVerdict verdict)
{
  switch (verdict)
    {
    /* Translators: a ficha's verdict at the bar's counter: serve the drink */
    case PDV_FICHA_VALID:            return _("VALID");
    /* Translators: a ficha's verdict: it was already exchanged for its drink */
    case PDV_FICHA_ALREADY_REDEEMED: return _("ALREADY REDEEMED");
    /* Translators: a ficha's verdict: its sale was voided or refunded */
    case PDV_FICHA_VOIDED:           return _("VOIDED");
    /* Translators: a ficha's verdict: it is for another event */
    case PDV_FICHA_WRONG_EVENT:      return _("WRONG EVENT");
    /* Translators: a ficha's verdict: its signature does not hold */
    case PDV_FICHA_FORGED:           return _("FORGED");
    /* Translators: a ficha's verdict: signed by a terminal this counter does not know yet */
    case PDV_FICHA_UNKNOWN_ISSUER:   return _("UNKNOWN TERMINAL");
    /* Translators: a ficha's verdict: the code could not be read as a ficha */
    case PDV_FICHA_UNREADABLE:       return _("UNREADABLE");
    default:                         g_return_val_if_reached ("");
    }
}

void
pdv_ficha_redemption_free (PdvFichaRedemption *redemption)
{
  if (redemption == NULL)
    return;
  g_free (redemption->ficha_id);
  g_free (redemption->code);
  g_free (redemption->product_id);
  g_free (redemption->product_name);
  g_free (redemption->redeemed_at);
  g_free (redemption->redeemed_by);
  g_free (redemption->issuer);
  g_free (redemption->message);
  g_free (redemption->entry_id);
  g_free (redemption);
}

/**
 * pdv_ficha_put_heard:
 * @state: "redeemed" (served at another counter) or "revoked" (taken back
 *   by a void or refund at another till)
 * @terminal: the terminal whose journal says so, and @seq its entry
 * @product: (nullable): what it was sold as, @name its name and @key the
 *   tag of the key that signed it (a served ficha's, for the reports)
 *
 * Keeps what the sync server told of another terminal's ficha. Once served
 * it stays served: a void that came later does not make it unserved.
 */
gboolean
pdv_ficha_put_heard (PdvDb       *db,
                     const char  *id,
                     const char  *state,
                     const char  *at,
                     const char  *counter,
                     const char  *terminal,
                     gint64       seq,
                     const char  *product,
                     const char  *name,
                     const char  *key,
                     GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "INSERT INTO ficha_heard (id, state, at, counter, terminal, seq, product_id, "
                                       "  name, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                       "ON CONFLICT (id) DO UPDATE SET state = excluded.state, at = excluded.at, "
                                       "  counter = excluded.counter, terminal = excluded.terminal, "
                                       "  seq = excluded.seq, product_id = excluded.product_id, "
                                       "  name = excluded.name, key = excluded.key "
                                       "WHERE excluded.state = 'redeemed' AND ficha_heard.state <> 'redeemed'",
                                       error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, counter, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, terminal, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, seq);
  sqlite3_bind_text (stmt, 7, product, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, key, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

/* What became of a ficha, from the columns fichas.state, redeemed_at,
 * redeemed_by and ficha_heard.state, at, counter of @stmt's row from
 * @first on: "redeemed" when served here or at another counter (@out_at
 * and @out_by say when and where), else "revoked" when taken back here or
 * at another till, else "issued". */
static char *
state_from_row (sqlite3_stmt  *stmt,
                int            first,
                char         **out_at,
                char         **out_by)
{
  const char *own = (const char *) sqlite3_column_text (stmt, first);
  const char *heard = (const char *) sqlite3_column_text (stmt, first + 3);
  /* Once served it stays served, wherever that was. */
  int served = g_strcmp0 (own, "redeemed") == 0 ? first + 1 : g_strcmp0 (heard, "redeemed") == 0 ? first + 4 : -1;

  if (served < 0)
    return g_strdup (own != NULL || heard != NULL ? "revoked" : "issued");
  if (out_at != NULL)
    *out_at = g_strdup ((const char *) sqlite3_column_text (stmt, served));
  if (out_by != NULL)
    *out_by = g_strdup ((const char *) sqlite3_column_text (stmt, served + 1));
  return g_strdup ("redeemed");
}

#define STATE_COLUMNS "f.state, f.redeemed_at, f.redeemed_by, h.state, h.at, h.counter"
#define STATE_JOINS   "LEFT JOIN fichas f ON f.id = q.id LEFT JOIN ficha_heard h ON h.id = q.id"

/* What became of ficha @id (state_from_row()); %NULL with @error set when
 * it cannot be read. */
static char *
read_state (PdvDb       *db,
            const char  *id,
            GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT " STATE_COLUMNS " FROM (SELECT ?1 AS id) q " STATE_JOINS, error);
  char *state = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = state_from_row (stmt, 0, NULL, NULL);
  else
    pdv_db_set_error (db, error, _("Reading the sale’s fichas"));
  sqlite3_reset (stmt);
  return state;
}

static char *
describe (PdvDb              *db,
          PdvFichaRedemption *r)
{
  switch (r->verdict)
    {
    case PDV_FICHA_VALID:
      /* Translators: what the bartender does with a valid ficha, "serve: Cerveja Lata 350 ml" */
      return g_strdup_printf (_("Serve: %s"), r->product_name);
    case PDV_FICHA_ALREADY_REDEEMED:
      {
        /* In the event's time: read only here, where it is shown. */
        g_autoptr(GTimeZone) zone = pdv_event_timezone_for_db (db);
        g_autofree char *when = pdv_datetime_format_iso8601 (r->redeemed_at, zone, PDV_DATETIME_DAY_TIME);

        /* Translators: a ficha used twice: when and at which counter it was served first */
        return g_strdup_printf (_("%s was already served at %s, %s"), r->product_name,
                                r->redeemed_by != NULL ? r->redeemed_by : "?", when != NULL ? when : "?");
      }
    case PDV_FICHA_VOIDED:
      return g_strdup_printf (_("The sale of this %s was voided or refunded: do not serve it"), r->product_name);
    case PDV_FICHA_WRONG_EVENT:
      return g_strdup (_("This ficha was sold for another event"));
    case PDV_FICHA_FORGED:
      return g_strdup (_("Not signed by a till of this event, or altered: do not serve it"));
    case PDV_FICHA_UNKNOWN_ISSUER:
      return g_strdup (_("Sold at a till this counter does not know yet: synchronise, or call a manager"));
    case PDV_FICHA_UNREADABLE:
    default:
      return g_strdup (_("This is not a ficha of this system, or its code is damaged: ask for another"));
    }
}

/* The verdict on @claims, in the redemption's transaction, before anything
 * is written: everything it needs read in one statement (the event this
 * terminal works, the key of the token's tag and whose it is, what became
 * of the ficha, its product's name in the catalog). FALSE with @error set
 * when that cannot be read. */
static gboolean
judge (PdvDb                 *db,
       const PdvFichaClaims  *claims,
       PdvFichaRedemption    *r,
       GError               **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT " STATE_COLUMNS ", (SELECT value FROM meta WHERE key = 'event_id'), "
                                           "  k.public_key, k.terminal_name, "
                                           "  (SELECT name FROM products WHERE id = ?3) "
                                           "FROM (SELECT ?1 AS id, ?2 AS tag) q " STATE_JOINS " "
                                           "LEFT JOIN ficha_keys k ON k.tag = q.tag", error);
  char tag_text[2 * PDV_FICHA_KEY_TAG_BYTES + 1];
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  const char *key_text;
  g_autofree char *state = NULL;
  gsize length = 0;

  if (stmt == NULL)
    return FALSE;
  sodium_bin2hex (tag_text, sizeof tag_text, claims->key_tag, PDV_FICHA_KEY_TAG_BYTES);
  sqlite3_bind_text (stmt, 1, r->ficha_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, tag_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, claims->product_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      /* Translators: what failed when a counter could not read what it
       * knows of a ficha it scanned */
      pdv_db_set_error (db, error, _("Checking the ficha"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  /* 43 characters of unpadded base64url, checked when it was recorded. */
  key_text = (const char *) sqlite3_column_text (stmt, 7);
  if (!is_event ((const char *) sqlite3_column_text (stmt, 6), claims->event_tag))
    r->verdict = PDV_FICHA_WRONG_EVENT;
  else if (key_text == NULL ||
           sodium_base642bin (public_key, sizeof public_key, key_text, strlen (key_text), NULL, &length, NULL,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
           length != sizeof public_key)
    r->verdict = PDV_FICHA_UNKNOWN_ISSUER;
  else if (!pdv_ficha_claims_verify (claims, public_key, NULL))
    r->verdict = PDV_FICHA_FORGED;
  else
    {
      state = state_from_row (stmt, 0, &r->redeemed_at, &r->redeemed_by);
      r->verdict = g_str_equal (state, "redeemed") ? PDV_FICHA_ALREADY_REDEEMED
                   : g_str_equal (state, "revoked") ? PDV_FICHA_VOIDED : PDV_FICHA_VALID;
    }
  if (key_text != NULL)
    r->issuer = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  /* Its name in the catalog; a product it does not sell is named by its id. */
  r->product_name = g_strdup (sqlite3_column_type (stmt, 9) == SQLITE_TEXT
                              ? (const char *) sqlite3_column_text (stmt, 9) : claims->product_id);
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * pdv_ficha_redeem:
 * @text: what the scanner read
 * @counter: the counter's name, as other counters are told where it was
 *   served
 * @user: (nullable): the bartender
 *
 * The verdict on a ficha handed over at the counter, journalled whatever it
 * is (a refusal too): VALID marks it served, here and, once synchronised,
 * at every counter. Works with no network: the signature proves it was
 * sold, this terminal's journal and what it has heard say whether it was
 * served or voided.
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set when it
 *   could not be journalled (nothing was served then)
 */
PdvFichaRedemption *
pdv_ficha_redeem (PdvJournal  *journal,
                  const char  *text,
                  const char  *counter,
                  const char  *user,
                  GError     **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(PdvFichaRedemption) r = g_new0 (PdvFichaRedemption, 1);
  g_autoptr(PdvFichaClaims) claims = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  json_t *payload;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (counter != NULL, NULL);

  /* Everything read in the one transaction: a statement on its own would
   * open and close a read transaction of its own (a tenth of a scan). */
  if (!pdv_db_begin (db, error))
    return NULL;
  claims = pdv_ficha_token_read (text, NULL);
  if (claims == NULL)
    {
      r->verdict = PDV_FICHA_UNREADABLE;
      r->product_name = g_strdup ("");
    }
  else
    {
      r->ficha_id = pdv_ficha_id_to_string (claims->id);
      r->code = pdv_ficha_code (claims->id);
      r->product_id = g_strdup (claims->product_id);
      if (!judge (db, claims, r, error))
        goto failed;
    }

  payload = json_pack ("{s:s, s:s}", "verdict", pdv_ficha_verdict_to_string (r->verdict), "counter", counter);
  if (claims != NULL)
    {
      char key[2 * PDV_FICHA_KEY_TAG_BYTES + 1];

      sodium_bin2hex (key, sizeof key, claims->key_tag, sizeof claims->key_tag);
      json_object_set_new (payload, "ficha", json_string (r->ficha_id));
      json_object_set_new (payload, "product", json_string (r->product_id));
      json_object_set_new (payload, "name", json_string (r->product_name));
      json_object_set_new (payload, "key", json_string (key));
    }
  else
    {
      /* Enough of what was read to tell one bad code from another. */
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_autofree char *kept = g_utf8_substring (valid, 0, MIN (g_utf8_strlen (valid, -1), UNREADABLE_KEPT_CHARS));

      json_object_set_new (payload, "read", json_string (kept));
    }
  entry = pdv_journal_append_in_transaction (journal, PDV_ENTRY_FICHA_REDEEM, user, payload, error);
  json_decref (payload);
  if (entry == NULL || !pdv_db_commit (db, error))
    goto failed;

  r->entry_id = g_strdup (entry->id);
  if (r->verdict == PDV_FICHA_VALID)
    {
      g_free (r->redeemed_at);
      g_free (r->redeemed_by);
      r->redeemed_at = g_strdup (entry->created_at);
      r->redeemed_by = g_strdup (counter);
    }
  r->message = describe (db, r);
  return g_steal_pointer (&r);

failed:
  pdv_db_rollback (db);
  return NULL;
}

/**
 * pdv_ficha_list_for_sale:
 *
 * Returns: (transfer full): the fichas @sale_id handed over, in order,
 *   each {id, code, product, name, state} (state: "issued", "redeemed" or
 *   "revoked", as far as this terminal knows); empty for a sale with none
 *   or none here
 */
json_t *
pdv_ficha_list_for_sale (PdvDb       *db,
                         const char  *sale_id,
                         GError     **error)
{
  g_autoptr(json_t) list = json_array ();
  g_autoptr(json_t) payload = NULL;
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT payload FROM journal WHERE id = ? AND kind = '" PDV_ENTRY_SALE "'",
                                       error);
  size_t i;
  json_t *ficha;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sale_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    payload = json_loads ((const char *) sqlite3_column_text (stmt, 0), 0, NULL);
  sqlite3_reset (stmt);
  json_array_foreach (json_object_get (payload, "fichas"), i, ficha)
    {
      g_autofree char *state = read_state (db, json_string_value (json_object_get (ficha, "id")), error);

      if (state == NULL)
        return NULL;
      json_array_append_new (list, json_pack ("{s:O?, s:O?, s:O?, s:O?, s:s}", "id", json_object_get (ficha, "id"),
                                              "code", json_object_get (ficha, "code"),
                                              "product", json_object_get (ficha, "product"),
                                              "name", json_object_get (ficha, "name"), "state", state));
    }
  return g_steal_pointer (&list);
}

/* The fichas of @sale_id not served yet, printed again as @manager allows:
 * journalled as "ficha.reprint". */
static json_t *
reprint (PdvJournal  *journal,
         const char  *sale_id,
         const char  *user,
         const char  *manager,
         GError     **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(json_t) fichas = NULL;
  g_autoptr(json_t) ids = json_array ();
  g_autoptr(json_t) payload = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  size_t i;
  json_t *ficha;

  if (!pdv_db_begin (db, error))
    return NULL;
  fichas = pdv_ficha_list_for_sale (db, sale_id, error);
  if (fichas == NULL)
    goto failed;
  json_array_foreach (fichas, i, ficha)
    if (g_strcmp0 (json_string_value (json_object_get (ficha, "state")), "issued") == 0)
      json_array_append (ids, json_object_get (ficha, "id"));
  if (json_array_size (ids) == 0)
    {
      g_set_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID,
                   json_array_size (fichas) == 0 ? _("Sale %s handed no fichas over")
                                                 : _("Sale %s has no fichas left to serve: none to print again"),
                   sale_id);
      goto failed;
    }
  payload = json_pack ("{s:s, s:O, s:s}", "sale_id", sale_id, "fichas", ids, "authorised_by", manager);
  entry = pdv_journal_append_in_transaction (journal, PDV_ENTRY_FICHA_REPRINT, user, payload, error);
  if (entry == NULL || !pdv_db_commit (db, error))
    goto failed;
  return g_steal_pointer (&ids);

failed:
  pdv_db_rollback (db);
  return NULL;
}

/**
 * pdv_ficha_reprint:
 * @user: (nullable): who asks
 * @manager_pin: the PIN of the manager who allows it
 *
 * Allows a sale's fichas not served yet to be printed again (a customer lost
 * the slips): journalled as "ficha.reprint" with who allowed it. The copies
 * carry the same tokens, so an original and its copy cannot both be served.
 *
 * Returns: (transfer full): the ids of the fichas to print again, or %NULL
 *   with @error set (a wrong PIN; none left to serve)
 */
json_t *
pdv_ficha_reprint (PdvJournal  *journal,
                   const char  *sale_id,
                   const char  *user,
                   const char  *manager_pin,
                   GError     **error)
{
  g_autofree char *manager = NULL;

  g_return_val_if_fail (sale_id != NULL, NULL);

  manager = pdv_authorise_manager (pdv_journal_get_db (journal), manager_pin, error);
  if (manager == NULL)
    return NULL;
  return reprint (journal, sale_id, user, manager, error);
}

/**
 * pdv_ficha_reprint_authorised:
 * @operator_user: who asks
 * @authoriser: (nullable): the manager who allowed it (their PIN checked),
 *   or %NULL when @operator_user is a manager
 *
 * pdv_ficha_reprint() for someone already authorised, as the terminal's
 * screens ask (the manager's prompt checked the PIN).
 */
json_t *
pdv_ficha_reprint_authorised (PdvJournal     *journal,
                              const char     *sale_id,
                              const PdvUser  *operator_user,
                              const PdvUser  *authoriser,
                              GError        **error)
{
  const PdvUser *manager = authoriser != NULL ? authoriser : operator_user;

  g_return_val_if_fail (sale_id != NULL, NULL);

  /* Those who may give a courtesy are the managers. */
  if (!pdv_auth_require (manager, PDV_PERMISSION_COURTESY, error))
    return NULL;
  return reprint (journal, sale_id, operator_user != NULL ? operator_user->id : NULL, manager->id, error);
}

/* The projection: every ficha this terminal issued or served, and what
 * became of it. */

static gboolean
malformed (const PdvJournalEntry *entry,
           GError               **error)
{
  g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
               _("Journal entry %lld names a ficha it does not describe"), (long long) entry->seq);
  return FALSE;
}

/* A void or refund: the fichas it names (those not served yet when it was
 * made) can no longer be served. */
static gboolean
apply_revocation (PdvDb                 *db,
                  const PdvJournalEntry *entry,
                  GError               **error)
{
  json_t *revoked = json_object_get (entry->payload, "fichas_revoked");
  const char *reason = json_string_value (json_object_get (entry->payload, "reason"));
  const char *sale_id = json_string_value (json_object_get (entry->payload, "sale_id"));
  g_autoptr(json_t) sale = NULL;
  sqlite3_stmt *stmt;
  size_t i;
  json_t *id;

  if (json_array_size (revoked) == 0)
    return TRUE;
  /* What each was sold as, for the reports: from the sale's entry, read
   * only here (a void is rare; a sale writes nothing but its entry). */
  stmt = pdv_db_prepare (db, "SELECT payload FROM journal WHERE id = ? AND kind = '" PDV_ENTRY_SALE "'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sale_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    sale = json_loads ((const char *) sqlite3_column_text (stmt, 0), 0, NULL);
  sqlite3_reset (stmt);

  json_array_foreach (revoked, i, id)
    {
      json_t *sold = NULL;
      json_t *ficha;
      size_t j;

      if (!json_is_string (id))
        return malformed (entry, error);
      json_array_foreach (json_object_get (sale, "fichas"), j, ficha)
        if (json_equal (json_object_get (ficha, "id"), id))
          {
            sold = ficha;
            break;
          }
      /* Served before it was taken back: it stays served. */
      stmt = pdv_db_prepare (db, "INSERT INTO fichas (id, sale_id, state, revoked_reason, revoked_seq, product_id, "
                                 "  name, key) VALUES (?1, ?2, 'revoked', ?3, ?4, ?5, ?6, ?7) "
                                 "ON CONFLICT (id) DO NOTHING", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, json_string_value (id), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sale_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, reason != NULL ? reason : entry->kind, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, entry->seq);
      sqlite3_bind_text (stmt, 5, json_string_value (json_object_get (sold, "product")), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, json_string_value (json_object_get (sold, "name")), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, json_string_value (json_object_get (sold, "key")), -1, SQLITE_TRANSIENT);
      if (!pdv_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* A ficha refused at a counter, counted for the shift's report (those
 * served are read from the fichas table). */
static gboolean
refusals_apply (PdvDb                 *db,
                const PdvJournalEntry *entry,
                GError               **error)
{
  const char *counter = json_string_value (json_object_get (entry->payload, "counter"));
  const char *verdict = json_string_value (json_object_get (entry->payload, "verdict"));
  sqlite3_stmt *stmt;
  gint64 z;

  if (!g_str_equal (entry->kind, PDV_ENTRY_FICHA_REDEEM) || g_strcmp0 (verdict, "valid") == 0)
    return TRUE;
  if (verdict == NULL)
    return malformed (entry, error);
  if (!pdv_shift_read_state (db, &z, NULL, error))
    return FALSE;
  stmt = pdv_db_prepare (db, "INSERT INTO ficha_refusals (z, counter, verdict, count) VALUES (?, ?, ?, 1) "
                             "ON CONFLICT (z, counter, verdict) DO UPDATE SET count = count + 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  sqlite3_bind_text (stmt, 2, counter != NULL ? counter : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, verdict, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
apply_redeem (PdvDb                 *db,
              const PdvJournalEntry *entry,
              GError               **error)
{
  const char *id = json_string_value (json_object_get (entry->payload, "ficha"));
  const char *counter = json_string_value (json_object_get (entry->payload, "counter"));
  const char *product = json_string_value (json_object_get (entry->payload, "product"));
  const char *name = json_string_value (json_object_get (entry->payload, "name"));
  const char *key = json_string_value (json_object_get (entry->payload, "key"));
  sqlite3_stmt *stmt;

  const char *verdict = json_string_value (json_object_get (entry->payload, "verdict"));

  if (verdict == NULL)
    return malformed (entry, error);
  if (!g_str_equal (verdict, "valid"))
    return TRUE;
  if (id == NULL || counter == NULL || product == NULL || name == NULL || key == NULL)
    return malformed (entry, error);
  /* Another terminal's ficha is known here from the moment it is served. */
  stmt = pdv_db_prepare (db, "INSERT INTO fichas (id, product_id, name, key, state, redeemed_at, redeemed_by, "
                             "  redeemed_seq) VALUES (?1, ?2, ?3, ?4, 'redeemed', ?5, ?6, ?7) "
                             "ON CONFLICT (id) DO UPDATE SET state = 'redeemed', redeemed_at = ?5, redeemed_by = ?6, "
                             "  redeemed_seq = ?7", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, product, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, entry->created_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, counter, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, entry->seq);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
fichas_apply (PdvDb                 *db,
              const PdvJournalEntry *entry,
              GError               **error)
{
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID) || g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
    return apply_revocation (db, entry, error);
  if (g_str_equal (entry->kind, PDV_ENTRY_FICHA_REDEEM))
    return apply_redeem (db, entry, error);
  return TRUE;
}

const PdvProjection pdv_fichas_projection = {
  .name = "fichas",
  .clear_sql = "DELETE FROM fichas",
  .dump_sql = "SELECT " FICHA_COLUMNS " FROM fichas ORDER BY id",
  .apply = fichas_apply,
};

const PdvProjection pdv_ficha_refusals_projection = {
  .name = "ficha_refusals",
  .clear_sql = "DELETE FROM ficha_refusals",
  .dump_sql = "SELECT z, counter, verdict, count FROM ficha_refusals ORDER BY z, counter, verdict",
  .apply = refusals_apply,
};

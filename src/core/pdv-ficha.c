/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-ficha"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "pdv-ficha.h"

#define FICHA_VERSION 1
/* The meta key of the terminal's own signing key (base64url, 64 bytes). */
#define SECRET_KEY_META "ficha_secret_key"
/* At most this many fichas for one sale: each is a slip of paper. */
#define MAX_FICHAS_PER_SALE 200

G_DEFINE_QUARK (pdv-ficha-error-quark, pdv_ficha_error)

void
pdv_ficha_claims_free (PdvFichaClaims *claims)
{
  if (claims == NULL)
    return;
  g_free (claims->product_id);
  g_free (claims);
}

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_CRYPTO,
                           _("The cryptography library could not be started"));
      return FALSE;
    }
  return TRUE;
}

/* prefix, version, event tag, key tag, id, product (length, bytes) */
static GByteArray *
signed_part (const PdvFichaClaims *claims)
{
  GByteArray *out = g_byte_array_new ();
  guint8 version = FICHA_VERSION;
  guint8 length = (guint8) strlen (claims->product_id);

  g_byte_array_append (out, (const guint8 *) PDV_FICHA_PREFIX, strlen (PDV_FICHA_PREFIX));
  g_byte_array_append (out, &version, 1);
  g_byte_array_append (out, claims->event_tag, sizeof claims->event_tag);
  g_byte_array_append (out, claims->key_tag, sizeof claims->key_tag);
  g_byte_array_append (out, claims->id, sizeof claims->id);
  g_byte_array_append (out, &length, 1);
  g_byte_array_append (out, (const guint8 *) claims->product_id, length);
  return out;
}

/**
 * pdv_ficha_token_sign:
 *
 * Returns: (transfer full): "PDVF:" and base45 of the claims and their
 *   signature, or %NULL with @error set
 */
char *
pdv_ficha_token_sign (const PdvFichaClaims *claims,
                      const guint8          secret_key[PDV_TICKET_SECRET_KEY_BYTES],
                      GError              **error)
{
  g_autoptr(GByteArray) part = NULL;
  guint8 signature[crypto_sign_BYTES];
  g_autofree char *text = NULL;
  gsize prefix = strlen (PDV_FICHA_PREFIX);

  g_return_val_if_fail (claims != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;
  if (claims->product_id == NULL || *claims->product_id == '\0' || strlen (claims->product_id) > 64)
    {
      g_set_error_literal (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID,
                           _("A ficha needs a product code of 1 to 64 bytes"));
      return NULL;
    }
  part = signed_part (claims);
  crypto_sign_detached (signature, NULL, part->data, part->len, secret_key);
  g_byte_array_append (part, signature, sizeof signature);
  text = pdv_base45_encode (part->data + prefix, part->len - prefix);
  return g_strconcat (PDV_FICHA_PREFIX, text, NULL);
}

static void
unreadable (GError **error)
{
  g_set_error_literal (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_UNREADABLE,
                       _("This is not a ficha of this system, or its code is damaged"));
}

/* Claims of a decoded payload and signature whose form holds, or NULL. */
static PdvFichaClaims *
read_payload (GBytes *bytes)
{
  gsize fixed = 1 + PDV_TICKET_EVENT_TAG_BYTES + PDV_FICHA_KEY_TAG_BYTES + PDV_FICHA_ID_BYTES + 1;
  PdvFichaClaims *claims;
  const guint8 *data;
  gsize size;
  guint8 length;

  data = g_bytes_get_data (bytes, &size);
  if (size < fixed + crypto_sign_BYTES || data[0] != FICHA_VERSION)
    return NULL;
  length = data[fixed - 1];
  if (length == 0 || size != fixed + length + crypto_sign_BYTES || memchr (data + fixed, '\0', length) != NULL ||
      !g_utf8_validate ((const char *) data + fixed, length, NULL))
    return NULL;
  claims = g_new0 (PdvFichaClaims, 1);
  memcpy (claims->event_tag, data + 1, PDV_TICKET_EVENT_TAG_BYTES);
  memcpy (claims->key_tag, data + 1 + PDV_TICKET_EVENT_TAG_BYTES, PDV_FICHA_KEY_TAG_BYTES);
  memcpy (claims->id, data + 1 + PDV_TICKET_EVENT_TAG_BYTES + PDV_FICHA_KEY_TAG_BYTES, PDV_FICHA_ID_BYTES);
  claims->product_id = g_strndup ((const char *) data + fixed, length);
  memcpy (claims->signature, data + size - crypto_sign_BYTES, crypto_sign_BYTES);
  claims->has_signature = TRUE;
  return claims;
}

/* The payload and the signature, checked for form only. */
static PdvFichaClaims *
read_token (const char  *token,
            GBytes     **out_bytes,
            GError     **error)
{
  /* Base45 never ends in a space (its last digit is at most 32 of 44), so
   * trimming what a scanner adds never cuts a token short. */
  g_autoptr(GBytes) bytes = token != NULL && g_str_has_prefix (token, PDV_FICHA_PREFIX)
                            ? pdv_base45_decode (token + strlen (PDV_FICHA_PREFIX)) : NULL;
  PdvFichaClaims *claims = bytes != NULL ? read_payload (bytes) : NULL;

  if (claims == NULL)
    {
      unreadable (error);
      return NULL;
    }
  if (out_bytes != NULL)
    *out_bytes = g_steal_pointer (&bytes);
  return claims;
}

/**
 * pdv_ficha_token_read:
 *
 * What a ficha's token claims, its signature not checked yet (its key tag
 * says whose key checks it).
 *
 * Returns: (transfer full): the claims, or %NULL with
 *   %PDV_FICHA_ERROR_UNREADABLE
 */
PdvFichaClaims *
pdv_ficha_token_read (const char  *token,
                      GError     **error)
{
  return read_token (token, NULL, error);
}

/**
 * pdv_ficha_token_verify:
 *
 * Whether @token was signed with the secret half of @public_key, and has
 * not been changed since.
 */
gboolean
pdv_ficha_token_verify (const char   *token,
                        const guint8  public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                        GError      **error)
{
  g_autoptr(PdvFichaClaims) claims = read_token (token, NULL, error);

  return claims != NULL && pdv_ficha_claims_verify (claims, public_key, error);
}

/**
 * pdv_ficha_claims_verify:
 * @claims: as pdv_ficha_token_read() gave them
 *
 * pdv_ficha_token_verify() for a token already read.
 */
gboolean
pdv_ficha_claims_verify (const PdvFichaClaims *claims,
                         const guint8          public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                         GError              **error)
{
  g_autoptr(GByteArray) part = NULL;

  g_return_val_if_fail (claims != NULL, FALSE);

  if (!ensure_sodium (error))
    return FALSE;
  part = signed_part (claims);
  if (!claims->has_signature ||
      crypto_sign_verify_detached (claims->signature, part->data, part->len, public_key) != 0)
    {
      g_set_error_literal (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_FORGED,
                           _("This ficha’s signature does not hold: it was not issued by a terminal of this "
                             "event, or it was altered"));
      return FALSE;
    }
  return TRUE;
}

/**
 * pdv_ficha_key_tag:
 *
 * How a token names the key that signed it: the first bytes of the public
 * key's SHA-256.
 */
void
pdv_ficha_key_tag (const guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                   guint8       out_tag[PDV_FICHA_KEY_TAG_BYTES])
{
  guint8 digest[crypto_hash_sha256_BYTES];

  crypto_hash_sha256 (digest, public_key, PDV_TICKET_PUBLIC_KEY_BYTES);
  memcpy (out_tag, digest, PDV_FICHA_KEY_TAG_BYTES);
}

/**
 * pdv_ficha_id_to_string:
 *
 * Returns: (transfer full): the ficha's id in lower-case hex, as the
 *   journal keeps it
 */
char *
pdv_ficha_id_to_string (const guint8 id[PDV_FICHA_ID_BYTES])
{
  char *text = g_malloc (2 * PDV_FICHA_ID_BYTES + 1);

  return sodium_bin2hex (text, 2 * PDV_FICHA_ID_BYTES + 1, id, PDV_FICHA_ID_BYTES);
}

/**
 * pdv_ficha_code:
 *
 * Returns: (transfer full): the short code people read off the slip and
 *   type when a QR will not scan: 40 bits of the id in Crockford's base 32
 *   (no I, L, O or U), "7KQ2-M9XD"
 */
char *
pdv_ficha_code (const guint8 id[PDV_FICHA_ID_BYTES])
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  guint64 bits = 0;
  char code[10];
  guint out = 0;

  for (guint i = 0; i < 5; i++)
    bits = (bits << 8) | id[i];
  for (int shift = 35; shift >= 0; shift -= 5)
    {
      if (out == 4)
        code[out++] = '-';
      code[out++] = alphabet[(bits >> shift) & 0x1f];
    }
  code[out] = '\0';
  return g_strdup (code);
}

/* What a sale would otherwise work out again every time: the event's
 * fichas, and the terminal's key checked, for the texts they were read
 * from. A sale at the till must not pay for either. */
G_LOCK_DEFINE_STATIC (cache);
static struct {
  char       *event_text;
  char       *event_id;
  GHashTable *products;   /* ids the event issues fichas for */
  char       *key_text;
  guint8      key[PDV_TICKET_SECRET_KEY_BYTES];
} cache;

/* A new key: known here; @out_key says it for the journal, so that the
 * sync server hands its public half to every other terminal. */
static gboolean
record_own_key (PdvJournal  *journal,
                const char  *public_text,
                json_t     **out_key,
                GError     **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autofree char *terminal_name = pdv_db_get_meta (db, "terminal_name");
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  guint8 tag[PDV_FICHA_KEY_TAG_BYTES];
  char tag_text[2 * PDV_FICHA_KEY_TAG_BYTES + 1];

  if (!pdv_ticket_public_key_parse (public_text, public_key, error))
    return FALSE;
  pdv_ficha_key_tag (public_key, tag);
  sodium_bin2hex (tag_text, sizeof tag_text, tag, sizeof tag);
  if (!pdv_ficha_record_key (db, public_text, pdv_journal_get_terminal_id (journal), terminal_name, error))
    return FALSE;
  *out_key = json_pack ("{s:s, s:s}", "public_key", public_text, "tag", tag_text);
  return TRUE;
}

/**
 * pdv_ficha_id_from_conflict:
 * @ticket_id: what a sync conflict record names
 *
 * The sync server arbitrates a ficha served at two counters as a ticket
 * "ficha:ID" admitted twice.
 *
 * Returns: (nullable): the ficha's id in @ticket_id, or %NULL when it names
 *   a ticket
 */
const char *
pdv_ficha_id_from_conflict (const char *ticket_id)
{
  return ticket_id != NULL && g_str_has_prefix (ticket_id, "ficha:") ? ticket_id + strlen ("ficha:") : NULL;
}

/**
 * pdv_ficha_code_for_id:
 * @id: a ficha's id in hex
 *
 * Returns: (transfer full) (nullable): its short code (pdv_ficha_code()),
 *   %NULL when @id is not a ficha's id
 */
char *
pdv_ficha_code_for_id (const char *id)
{
  guint8 bytes[PDV_FICHA_ID_BYTES];
  gsize length = 0;

  if (id == NULL || strlen (id) != 2 * PDV_FICHA_ID_BYTES ||
      sodium_hex2bin (bytes, sizeof bytes, id, strlen (id), NULL, &length, NULL) != 0 || length != sizeof bytes)
    return NULL;
  return pdv_ficha_code (bytes);
}

/* The terminal's signing key, made (with @journal) the first time a ficha
 * is issued. */
static gboolean
terminal_secret_key (PdvDb       *db,
                     PdvJournal  *journal,
                     guint8       out_key[PDV_TICKET_SECRET_KEY_BYTES],
                     json_t     **out_new_key,
                     GError     **error)
{
  g_autofree char *text = pdv_db_get_meta (db, SECRET_KEY_META);
  g_autofree char *public_text = NULL;
  gboolean ok;

  if (text == NULL)
    {
      if (journal == NULL)
        {
          g_set_error_literal (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID,
                               _("This terminal holds no key for these fichas: they were issued by another "
                                 "terminal"));
          return FALSE;
        }
      if (!pdv_ticket_key_generate (&text, &public_text, error) ||
          !pdv_db_set_meta (db, SECRET_KEY_META, text, error) ||
          !record_own_key (journal, public_text, out_new_key, error))
        return FALSE;
    }
  G_LOCK (cache);
  if (g_strcmp0 (cache.key_text, text) != 0)
    {
      g_clear_pointer (&cache.key_text, g_free);
      if (!pdv_ticket_secret_key_parse (text, cache.key, error))
        {
          G_UNLOCK (cache);
          return FALSE;
        }
      cache.key_text = g_strdup (text);
    }
  memcpy (out_key, cache.key, PDV_TICKET_SECRET_KEY_BYTES);
  ok = TRUE;
  G_UNLOCK (cache);
  return ok;
}

/* Under the lock: the event's id and fichas, for @event_text. */
static void
cache_event (const char *event_text)
{
  g_autoptr(json_t) event = NULL;
  json_t *products;
  size_t i;
  json_t *item;

  if (g_strcmp0 (cache.event_text, event_text) == 0)
    return;
  g_clear_pointer (&cache.event_text, g_free);
  g_clear_pointer (&cache.event_id, g_free);
  g_clear_pointer (&cache.products, g_hash_table_unref);
  cache.products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  event = json_loads (event_text, 0, NULL);
  cache.event_id = g_strdup (json_string_value (json_object_get (event, "id")));
  products = json_object_get (json_object_get (event, "fichas"), "products");
  json_array_foreach (products, i, item)
    if (json_is_string (item))
      g_hash_table_add (cache.products, g_strdup (json_string_value (item)));
  cache.event_text = g_strdup (event_text);
}

/**
 * pdv_ficha_dup_public_key:
 *
 * Returns: (transfer full) (nullable): base64url of the public half of the
 *   key this terminal signs fichas with; %NULL when it has issued none yet
 */
char *
pdv_ficha_dup_public_key (PdvDb   *db,
                          GError **error)
{
  g_autofree char *text = pdv_db_get_meta (db, SECRET_KEY_META);
  guint8 secret[PDV_TICKET_SECRET_KEY_BYTES];
  char *public_text;

  if (text == NULL)
    return NULL;
  if (!pdv_ticket_secret_key_parse (text, secret, error))
    return NULL;
  public_text = pdv_base64url_encode (secret + crypto_sign_SEEDBYTES, PDV_TICKET_PUBLIC_KEY_BYTES);
  sodium_memzero (secret, sizeof secret);
  return public_text;
}

/**
 * pdv_ficha_dup_key_tag:
 *
 * Returns: (transfer full) (nullable): the tag (hex) of the key this
 *   terminal signs fichas with, as a ficha's "key" names it; %NULL with
 *   @error unset when it has issued none yet
 */
char *
pdv_ficha_dup_key_tag (PdvDb   *db,
                       GError **error)
{
  g_autofree char *public_text = pdv_ficha_dup_public_key (db, error);
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  guint8 tag[PDV_FICHA_KEY_TAG_BYTES];
  char text[2 * PDV_FICHA_KEY_TAG_BYTES + 1];

  if (public_text == NULL || !pdv_ticket_public_key_parse (public_text, public_key, error))
    return NULL;
  pdv_ficha_key_tag (public_key, tag);
  sodium_bin2hex (text, sizeof text, tag, sizeof tag);
  return g_strdup (text);
}

/**
 * pdv_ficha_event_issues:
 * @event: (nullable): the event's document ("event" of a pdv-event file)
 *
 * Whether a sale of @product_id at @event hands over a ficha per unit: the
 * event's `fichas.products` names it.
 */
gboolean
pdv_ficha_event_issues (json_t     *event,
                        const char *product_id)
{
  json_t *products = json_object_get (json_object_get (event, "fichas"), "products");
  size_t i;
  json_t *item;

  json_array_foreach (products, i, item)
    if (g_strcmp0 (json_string_value (item), product_id) == 0)
      return TRUE;
  return FALSE;
}

/* The key tag, in hex, as a ficha's entry names the key that signs it. */
static char *
key_tag_text (const guint8 secret[PDV_TICKET_SECRET_KEY_BYTES])
{
  guint8 tag[PDV_FICHA_KEY_TAG_BYTES];
  char text[2 * PDV_FICHA_KEY_TAG_BYTES + 1];

  pdv_ficha_key_tag (secret + crypto_sign_SEEDBYTES, tag);
  sodium_bin2hex (text, sizeof text, tag, sizeof tag);
  return g_strdup (text);
}

/**
 * pdv_ficha_issue_in_transaction:
 * @event_text: (nullable): the event's document, as the database keeps it
 * @lines: a sale's lines as its entry keeps them ({product, name, qty})
 *
 * One ficha per unit of every line whose product the event issues fichas
 * for, each with its own id, and the tag of the terminal's key that signs
 * it (the key is made now if the terminal has none: inside the sale's
 * transaction, so that it is stored with the sale or not at all, and
 * @out_new_key is set to what the sale's entry says of it,
 * {public_key, tag}). The
 * token is not kept: Ed25519 signatures are deterministic, so
 * pdv_ficha_add_tokens() makes the same one whenever it is printed.
 *
 * Returns: (transfer full): the fichas, [{id, code, product, name, key}] in
 *   the order of the lines (empty when none), or %NULL with @error set
 */
json_t *
pdv_ficha_issue_in_transaction (PdvJournal  *journal,
                                const char  *event_text,
                                json_t      *lines,
                                json_t     **out_new_key,
                                GError     **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(json_t) fichas = json_array ();
  g_autoptr(GPtrArray) issuing = g_ptr_array_new ();
  g_autofree char *key = NULL;
  gboolean known_event;
  json_int_t count = 0;
  size_t i;
  json_t *line;

  if (event_text == NULL)
    return g_steal_pointer (&fichas);
  /* Which lines hand fichas over, read under the lock. */
  G_LOCK (cache);
  cache_event (event_text);
  known_event = cache.event_id != NULL;
  json_array_foreach (lines, i, line)
    if (g_hash_table_contains (cache.products, json_string_value (json_object_get (line, "product")) ?: ""))
      g_ptr_array_add (issuing, line);
  G_UNLOCK (cache);
  if (!known_event || issuing->len == 0)
    return g_steal_pointer (&fichas);

  for (i = 0; i < issuing->len; i++)
    count += json_integer_value (json_object_get (g_ptr_array_index (issuing, i), "qty"));
  if (count > MAX_FICHAS_PER_SALE)
    {
      g_set_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID,
                   _("A sale can hand over at most %d fichas; split it into smaller sales"), MAX_FICHAS_PER_SALE);
      return NULL;
    }
  {
    guint8 secret[PDV_TICKET_SECRET_KEY_BYTES];

    if (!ensure_sodium (error) || !terminal_secret_key (db, journal, secret, out_new_key, error))
      return NULL;
    key = key_tag_text (secret);
    sodium_memzero (secret, sizeof secret);
  }

  for (i = 0; i < issuing->len; i++)
    {
      json_t *issued_line = g_ptr_array_index (issuing, i);
      const char *product = json_string_value (json_object_get (issued_line, "product"));
      const char *name = json_string_value (json_object_get (issued_line, "name"));
      json_int_t qty = json_integer_value (json_object_get (issued_line, "qty"));

      for (json_int_t unit = 0; unit < qty; unit++)
        {
          guint8 id_bytes[PDV_FICHA_ID_BYTES];
          g_autofree char *id = NULL;
          g_autofree char *code = NULL;

          randombytes_buf (id_bytes, sizeof id_bytes);
          id = pdv_ficha_id_to_string (id_bytes);
          code = pdv_ficha_code (id_bytes);
          json_array_append_new (fichas, json_pack ("{s:s, s:s, s:s, s:s, s:s}", "id", id, "code", code,
                                                    "product", product, "name", name ? name : product,
                                                    "key", key));
        }
    }
  return g_steal_pointer (&fichas);
}

/**
 * pdv_ficha_add_tokens:
 * @fichas: fichas as a sale's entry keeps them (pdv_ficha_issue_in_transaction())
 *
 * Gives each ficha its "token", signed with this terminal's key: the same
 * token whenever it is made, for the slip, a reprint or a listing. Refuses
 * fichas another terminal's key signs (a sale of another terminal's
 * journal) or that are damaged, and gives none a token then.
 */
gboolean
pdv_ficha_add_tokens (PdvDb    *db,
                      json_t   *fichas,
                      GError  **error)
{
  g_autofree char *event_id = pdv_db_get_meta (db, "event_id");
  g_autofree char *key_text = pdv_db_get_meta (db, SECRET_KEY_META);
  g_autofree char *key = NULL;
  g_autoptr(json_t) tokens = json_array ();
  guint8 secret[PDV_TICKET_SECRET_KEY_BYTES];
  PdvFichaClaims claims = { 0 };
  size_t i;
  json_t *ficha;

  if (json_array_size (fichas) == 0)
    return TRUE;
  if (event_id == NULL || key_text == NULL)
    {
      g_set_error_literal (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID,
                           _("This terminal holds no key for these fichas: they were issued by another terminal"));
      return FALSE;
    }
  if (!ensure_sodium (error) || !terminal_secret_key (db, NULL, secret, NULL, error))
    return FALSE;
  key = key_tag_text (secret);
  pdv_ticket_event_tag (event_id, claims.event_tag);
  pdv_ficha_key_tag (secret + crypto_sign_SEEDBYTES, claims.key_tag);
  json_array_foreach (fichas, i, ficha)
    {
      const char *id = json_string_value (json_object_get (ficha, "id"));
      const char *product = json_string_value (json_object_get (ficha, "product"));
      char *token;
      gsize id_length = 0;

      if (g_strcmp0 (json_string_value (json_object_get (ficha, "key")), key) != 0)
        {
          g_set_error_literal (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID,
                               _("This terminal holds no key for these fichas: they were issued by another "
                                 "terminal"));
          sodium_memzero (secret, sizeof secret);
          return FALSE;
        }
      if (id == NULL || product == NULL ||
          sodium_hex2bin (claims.id, sizeof claims.id, id, strlen (id), NULL, &id_length, NULL) != 0 ||
          id_length != sizeof claims.id)
        {
          g_set_error (error, PDV_FICHA_ERROR, PDV_FICHA_ERROR_INVALID, _("Ficha %zu of this sale is damaged"), i + 1);
          sodium_memzero (secret, sizeof secret);
          return FALSE;
        }
      claims.product_id = (char *) product;
      token = pdv_ficha_token_sign (&claims, secret, error);
      if (token == NULL)
        {
          sodium_memzero (secret, sizeof secret);
          return FALSE;
        }
      json_array_append_new (tokens, json_string (token));
      g_free (token);
    }
  sodium_memzero (secret, sizeof secret);
  json_array_foreach (fichas, i, ficha)
    json_object_set (ficha, "token", json_array_get (tokens, i));
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-ticket-token"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "pdv-journal.h"
#include "pdv-ticket-token.h"

G_DEFINE_QUARK (pdv-ticket-token-error-quark, pdv_ticket_token_error)

/* Base64url of a 64-byte signature, without padding. */
#define SIGNATURE_CHARS 86

static const char * const policy_names[] = { "single", "multi", "reentry" };

const char *
pdv_entry_policy_to_string (PdvEntryPolicy policy)
{
  g_return_val_if_fail (policy <= PDV_ENTRY_POLICY_REENTRY, NULL);
  return policy_names[policy];
}

gboolean
pdv_entry_policy_from_string (const char     *text,
                              PdvEntryPolicy *out_policy)
{
  for (guint i = 0; i < G_N_ELEMENTS (policy_names); i++)
    if (g_strcmp0 (text, policy_names[i]) == 0)
      {
        *out_policy = (PdvEntryPolicy) i;
        return TRUE;
      }
  return FALSE;
}

PdvTicketClaims *
pdv_ticket_claims_new (void)
{
  return g_new0 (PdvTicketClaims, 1);
}

void
pdv_ticket_claims_free (PdvTicketClaims *claims)
{
  if (claims == NULL)
    return;
  g_free (claims->ticket_id);
  g_free (claims->event_id);
  g_free (claims->type);
  g_free (claims->zone);
  g_free (claims->holder_name);
  g_free (claims);
}

static gboolean
ensure_sodium (GError **error)
{
  static gsize initialised = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialised))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialised, 1);
    }
  if (!ok)
    g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_CRYPTO,
                         _("The cryptography library could not start"));
  return ok;
}

/**
 * pdv_base64url_encode:
 *
 * Returns: (transfer full): @data in the URL-safe base64 alphabet, without
 *   padding
 */
char *
pdv_base64url_encode (const guint8 *data,
                      gsize         length)
{
  gsize size = sodium_base64_ENCODED_LEN (length, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *text = g_malloc (size);

  sodium_bin2base64 (text, size, data, length, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

static gboolean
is_base64url (const char *text,
              gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '_')
      return FALSE;
  return TRUE;
}

/**
 * pdv_base64url_decode:
 *
 * Strict: every character must be of the URL-safe alphabet, there is no
 * padding, and the unused bits of the last character must be zero, so that
 * each byte string has exactly one text form.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL if @text is not
 *   such base64url
 */
GBytes *
pdv_base64url_decode (const char *text,
                      gsize       length)
{
  g_autofree guint8 *data = NULL;
  gsize decoded = 0;

  if (!is_base64url (text, length) || length % 4 == 1)
    return NULL;
  data = g_malloc (length / 4 * 3 + 3);
  if (sodium_base642bin (data, length / 4 * 3 + 3, text, length, NULL, &decoded, NULL,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return NULL;
  return g_bytes_new (data, decoded);
}

static gboolean
parse_key (const char *text,
           guint8     *out_key,
           gsize       size)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GBytes) bytes = pdv_base64url_decode (stripped, strlen (stripped));

  if (bytes == NULL || g_bytes_get_size (bytes) != size)
    return FALSE;
  memcpy (out_key, g_bytes_get_data (bytes, NULL), size);
  return TRUE;
}

/**
 * pdv_ticket_public_key_parse:
 * @text: base64url of the 32 bytes of an Ed25519 public key
 */
gboolean
pdv_ticket_public_key_parse (const char  *text,
                             guint8       out_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                             GError     **error)
{
  if (!parse_key (text, out_key, PDV_TICKET_PUBLIC_KEY_BYTES))
    {
      g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_INVALID_KEY,
                           _("This is not a ticket public key: expected 32 bytes in unpadded base64url "
                             "(43 characters)"));
      return FALSE;
    }
  return TRUE;
}

/**
 * pdv_ticket_secret_key_parse:
 * @text: base64url of the 64 bytes of an Ed25519 secret key (seed and public
 *   key), surrounding white space allowed
 *
 * Refuses a key whose public half does not belong to its seed.
 */
gboolean
pdv_ticket_secret_key_parse (const char  *text,
                             guint8       out_key[PDV_TICKET_SECRET_KEY_BYTES],
                             GError     **error)
{
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 check[crypto_sign_SECRETKEYBYTES];

  if (!ensure_sodium (error))
    return FALSE;
  if (!parse_key (text, out_key, PDV_TICKET_SECRET_KEY_BYTES))
    {
      g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_INVALID_KEY,
                           _("This is not a ticket signing key: expected 64 bytes in unpadded base64url "
                             "(86 characters)"));
      return FALSE;
    }
  crypto_sign_seed_keypair (public_key, check, out_key);
  if (sodium_memcmp (check, out_key, sizeof check) != 0)
    {
      sodium_memzero (check, sizeof check);
      sodium_memzero (out_key, PDV_TICKET_SECRET_KEY_BYTES);
      g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_INVALID_KEY,
                           _("This signing key is damaged: its two halves do not belong together"));
      return FALSE;
    }
  sodium_memzero (check, sizeof check);
  return TRUE;
}

/**
 * pdv_ticket_key_generate:
 * @out_secret_key: (out): base64url of a new Ed25519 secret key (64 bytes)
 * @out_public_key: (out): base64url of its public key (32 bytes)
 */
gboolean
pdv_ticket_key_generate (char   **out_secret_key,
                         char   **out_public_key,
                         GError **error)
{
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];

  g_return_val_if_fail (out_secret_key != NULL && out_public_key != NULL, FALSE);

  if (!ensure_sodium (error))
    return FALSE;
  crypto_sign_keypair (public_key, secret_key);
  *out_secret_key = pdv_base64url_encode (secret_key, sizeof secret_key);
  *out_public_key = pdv_base64url_encode (public_key, sizeof public_key);
  sodium_memzero (secret_key, sizeof secret_key);
  return TRUE;
}

/**
 * pdv_ticket_token_is_signed:
 *
 * Whether @text claims to be a signed ticket (it may still be forged).
 */
gboolean
pdv_ticket_token_is_signed (const char *text)
{
  return text != NULL && (g_str_has_prefix (text, PDV_TICKET_TOKEN_PREFIX) ||
                          g_str_has_prefix (text, PDV_TICKET_COMPACT_PREFIX));
}

static gboolean
is_identifier (const char *text)
{
  gsize length = strlen (text);

  if (length == 0 || length > 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
is_plain_text (const char *text,
               glong       max_chars)
{
  if (*text == '\0' || !g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max_chars)
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
invalid_claims (GError     **error,
                const char  *key)
{
  g_set_error (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_INVALID_CLAIMS,
               _("The ticket’s field “%s” is missing or not valid"), key);
  return FALSE;
}

/* Checks every claim; used before signing and after verifying, so that a
 * ticket this terminal signs is one it accepts. */
static gboolean
check_claims (const PdvTicketClaims  *claims,
              GError                **error)
{
  if (claims->ticket_id == NULL || !is_identifier (claims->ticket_id))
    return invalid_claims (error, "t");
  if ((claims->event_id == NULL && !claims->has_event_tag) ||
      (claims->event_id != NULL && !is_identifier (claims->event_id)))
    return invalid_claims (error, "e");
  if (claims->type == NULL || !is_plain_text (claims->type, 40))
    return invalid_claims (error, "y");
  if (claims->zone == NULL || !is_identifier (claims->zone))
    return invalid_claims (error, "z");
  if (claims->holder_name != NULL && !is_plain_text (claims->holder_name, 120))
    return invalid_claims (error, "n");
  if (claims->policy > PDV_ENTRY_POLICY_REENTRY)
    return invalid_claims (error, "p");
  if (claims->has_valid_from && claims->has_valid_until && claims->valid_from >= claims->valid_until)
    return invalid_claims (error, "u");
  return TRUE;
}

static const char *
claim_string (json_t     *object,
              const char *key)
{
  return json_string_value (json_object_get (object, key));
}

static gboolean
claim_time (json_t      *object,
            const char  *key,
            gboolean    *out_has,
            gint64      *out_value,
            GError     **error)
{
  json_t *value = json_object_get (object, key);

  *out_has = FALSE;
  if (value == NULL)
    return TRUE;
  /* Between 1970 and 9999: anything else is a mistake of the issuer. */
  if (!json_is_integer (value) || json_integer_value (value) < 0 ||
      json_integer_value (value) > G_GINT64_CONSTANT (253402300799))
    return invalid_claims (error, key);
  *out_has = TRUE;
  *out_value = json_integer_value (value);
  return TRUE;
}

static PdvTicketClaims *
claims_from_json (const guint8  *data,
                  gsize          length,
                  GError       **error)
{
  g_autoptr(PdvTicketClaims) claims = pdv_ticket_claims_new ();
  g_autoptr(json_t) object = json_loadb ((const char *) data, length, JSON_REJECT_DUPLICATES, NULL);
  json_t *policy;

  if (!json_is_object (object))
    {
      g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_INVALID_CLAIMS,
                           _("The ticket’s contents are not a JSON object"));
      return NULL;
    }
  /* Fields this version does not know are ignored: issuers may add some. */
  claims->ticket_id = g_strdup (claim_string (object, "t"));
  claims->event_id = g_strdup (claim_string (object, "e"));
  claims->type = g_strdup (claim_string (object, "y"));
  claims->zone = g_strdup (claim_string (object, "z"));
  claims->holder_name = g_strdup (claim_string (object, "n"));
  if (json_object_get (object, "n") != NULL && claims->holder_name == NULL)
    {
      invalid_claims (error, "n");
      return NULL;
    }
  policy = json_object_get (object, "p");
  claims->policy = PDV_ENTRY_POLICY_SINGLE;
  if (policy != NULL && !pdv_entry_policy_from_string (json_string_value (policy), &claims->policy))
    {
      invalid_claims (error, "p");
      return NULL;
    }
  if (!claim_time (object, "f", &claims->has_valid_from, &claims->valid_from, error) ||
      !claim_time (object, "u", &claims->has_valid_until, &claims->valid_until, error) ||
      !check_claims (claims, error))
    return NULL;
  return g_steal_pointer (&claims);
}

/**
 * pdv_ticket_token_sign:
 * @secret_key: an Ed25519 secret key, as pdv_ticket_secret_key_parse() gives
 *
 * Returns: (transfer full): the ticket text to put in a QR code
 */
char *
pdv_ticket_token_sign (const PdvTicketClaims  *claims,
                       const guint8            secret_key[PDV_TICKET_SECRET_KEY_BYTES],
                       GError                **error)
{
  g_autoptr(json_t) object = NULL;
  g_autofree char *payload_b64 = NULL;
  g_autofree char *signature_b64 = NULL;
  g_autofree char *signed_part = NULL;
  guint8 signature[crypto_sign_BYTES];
  char *json;

  g_return_val_if_fail (claims != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  if (!ensure_sodium (error) || !check_claims (claims, error))
    return NULL;

  object = json_pack ("{s:s, s:s, s:s, s:s, s:s}",
                      "t", claims->ticket_id, "e", claims->event_id, "y", claims->type,
                      "z", claims->zone, "p", pdv_entry_policy_to_string (claims->policy));
  if (claims->has_valid_from)
    json_object_set_new (object, "f", json_integer (claims->valid_from));
  if (claims->has_valid_until)
    json_object_set_new (object, "u", json_integer (claims->valid_until));
  if (claims->holder_name != NULL)
    json_object_set_new (object, "n", json_string (claims->holder_name));

  json = json_dumps (object, JSON_COMPACT | JSON_SORT_KEYS);
  payload_b64 = pdv_base64url_encode ((const guint8 *) json, strlen (json));
  free (json);

  signed_part = g_strconcat (PDV_TICKET_TOKEN_PREFIX, payload_b64, NULL);
  crypto_sign_detached (signature, NULL, (const guint8 *) signed_part, strlen (signed_part), secret_key);
  signature_b64 = pdv_base64url_encode (signature, sizeof signature);
  return g_strconcat (signed_part, ".", signature_b64, NULL);
}

/* ---- The compact form ---------------------------------------------------- */

static const char base45_alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/**
 * pdv_base45_encode:
 *
 * RFC 9285: two bytes in three characters of QR's alphanumeric alphabet,
 * which QR codes hold in fewer modules than bytes. The last character is
 * never a space, so trimming a scan never cuts one.
 */
char *
pdv_base45_encode (const guint8 *data,
                   gsize         length)
{
  GString *text = g_string_sized_new (length / 2 * 3 + 2);

  for (gsize i = 0; i + 1 < length; i += 2)
    {
      guint n = data[i] * 256u + data[i + 1];

      g_string_append_c (text, base45_alphabet[n % 45]);
      g_string_append_c (text, base45_alphabet[(n / 45) % 45]);
      g_string_append_c (text, base45_alphabet[n / 2025]);
    }
  if (length % 2 == 1)
    {
      guint n = data[length - 1];

      g_string_append_c (text, base45_alphabet[n % 45]);
      g_string_append_c (text, base45_alphabet[n / 45]);
    }
  return g_string_free (text, FALSE);
}

/**
 * pdv_base45_decode:
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL when @text is not
 *   base45
 */
GBytes *
pdv_base45_decode (const char *text)
{
  gsize length = strlen (text);
  g_autoptr(GByteArray) bytes = NULL;

  if (length % 3 == 1)
    return NULL;
  bytes = g_byte_array_sized_new (length / 3 * 2 + 1);
  for (gsize i = 0; i < length; i += 3)
    {
      guint digits[3] = { 0, 0, 0 };
      guint n_digits = MIN (3, length - i);
      guint n = 0;

      for (guint d = 0; d < n_digits; d++)
        {
          const char *at = memchr (base45_alphabet, text[i + d], sizeof base45_alphabet - 1);

          if (at == NULL)
            return NULL;
          digits[d] = at - base45_alphabet;
        }
      n = digits[0] + digits[1] * 45 + digits[2] * 2025;
      if (n_digits == 3)
        {
          guint8 pair[2] = { n / 256, n % 256 };

          if (n > 65535)
            return NULL;
          g_byte_array_append (bytes, pair, 2);
        }
      else
        {
          guint8 single = n;

          if (n > 255)
            return NULL;
          g_byte_array_append (bytes, &single, 1);
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

enum {
  COMPACT_HAS_FROM  = 1 << 2,
  COMPACT_HAS_UNTIL = 1 << 3,
  COMPACT_HAS_NAME  = 1 << 4,
};

/**
 * pdv_ticket_event_tag:
 *
 * How compact codes name @event_id: the first bytes of its SHA-256.
 */
void
pdv_ticket_event_tag (const char *event_id,
                      guint8      out_tag[PDV_TICKET_EVENT_TAG_BYTES])
{
  guint8 digest[crypto_hash_sha256_BYTES];

  crypto_hash_sha256 (digest, (const guint8 *) event_id, strlen (event_id));
  memcpy (out_tag, digest, PDV_TICKET_EVENT_TAG_BYTES);
}

/**
 * pdv_ticket_claims_is_for_event:
 *
 * Whether the ticket names @event_id: by its id, or by its tag for a compact
 * ticket.
 */
gboolean
pdv_ticket_claims_is_for_event (const PdvTicketClaims *claims,
                                const char            *event_id)
{
  guint8 tag[PDV_TICKET_EVENT_TAG_BYTES];

  g_return_val_if_fail (claims != NULL, FALSE);

  if (event_id == NULL)
    return FALSE;
  if (claims->event_id != NULL)
    return g_str_equal (claims->event_id, event_id);
  if (!claims->has_event_tag || sodium_init () < 0)
    return FALSE;
  pdv_ticket_event_tag (event_id, tag);
  return memcmp (tag, claims->event_tag, sizeof tag) == 0;
}

static gboolean
put_string (GByteArray *out,
            const char *text)
{
  gsize length = strlen (text);
  guint8 n = (guint8) length;

  if (length > 255)
    return FALSE;
  g_byte_array_append (out, &n, 1);
  g_byte_array_append (out, (const guint8 *) text, length);
  return TRUE;
}

/**
 * pdv_ticket_token_sign_compact:
 *
 * The compact form: the validity window to the minute (its end at most 45
 * days after its start), the event by its tag. A ticket id of up to 8
 * characters, a type of up to 10 and a zone of up to 8, with no holder's name,
 * fit a QR code of version 6 at level M.
 *
 * Returns: (transfer full): the ticket text to put in a QR code
 */
char *
pdv_ticket_token_sign_compact (const PdvTicketClaims  *claims,
                               const guint8            secret_key[PDV_TICKET_SECRET_KEY_BYTES],
                               GError                **error)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autofree char *text = NULL;
  guint8 flags;
  guint8 tag[PDV_TICKET_EVENT_TAG_BYTES];
  guint8 signature[crypto_sign_BYTES];
  gint64 from_minutes = 0;

  g_return_val_if_fail (claims != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  if (!ensure_sodium (error) || !check_claims (claims, error))
    return NULL;
  if (claims->event_id == NULL)
    {
      invalid_claims (error, "e");
      return NULL;
    }
  if ((claims->has_valid_from && claims->valid_from / 60 > G_MAXUINT32) ||
      (claims->has_valid_until && claims->valid_until / 60 > G_MAXUINT32))
    {
      invalid_claims (error, "f");
      return NULL;
    }

  flags = (guint8) claims->policy | (claims->has_valid_from ? COMPACT_HAS_FROM : 0) |
          (claims->has_valid_until ? COMPACT_HAS_UNTIL : 0) | (claims->holder_name ? COMPACT_HAS_NAME : 0);
  g_byte_array_append (payload, &flags, 1);
  pdv_ticket_event_tag (claims->event_id, tag);
  g_byte_array_append (payload, tag, sizeof tag);
  if (claims->has_valid_from)
    {
      guint32 minutes = GUINT32_TO_BE ((guint32) (claims->valid_from / 60));

      from_minutes = claims->valid_from / 60;
      g_byte_array_append (payload, (const guint8 *) &minutes, 4);
    }
  if (claims->has_valid_until)
    {
      /* Counted from the start when there is one: two bytes, 45 days. */
      gint64 until_minutes = (claims->valid_until + 59) / 60;

      if (claims->has_valid_from)
        {
          guint16 span;

          if (until_minutes - from_minutes > G_MAXUINT16)
            {
              invalid_claims (error, "u");
              return NULL;
            }
          span = GUINT16_TO_BE ((guint16) (until_minutes - from_minutes));
          g_byte_array_append (payload, (const guint8 *) &span, 2);
        }
      else
        {
          guint32 minutes = GUINT32_TO_BE ((guint32) until_minutes);

          g_byte_array_append (payload, (const guint8 *) &minutes, 4);
        }
    }
  if (!put_string (payload, claims->ticket_id) || !put_string (payload, claims->type) ||
      !put_string (payload, claims->zone) ||
      (claims->holder_name != NULL && !put_string (payload, claims->holder_name)))
    {
      invalid_claims (error, "n");
      return NULL;
    }

  {
    g_autoptr(GByteArray) signed_part = g_byte_array_new ();

    g_byte_array_append (signed_part, (const guint8 *) PDV_TICKET_COMPACT_PREFIX,
                         strlen (PDV_TICKET_COMPACT_PREFIX));
    g_byte_array_append (signed_part, payload->data, payload->len);
    crypto_sign_detached (signature, NULL, signed_part->data, signed_part->len, secret_key);
  }
  g_byte_array_append (payload, signature, sizeof signature);
  text = pdv_base45_encode (payload->data, payload->len);
  return g_strconcat (PDV_TICKET_COMPACT_PREFIX, text, NULL);
}

static gboolean
take_string (const guint8 **p,
             const guint8  *end,
             char         **out)
{
  guint8 length;

  if (*p >= end)
    return FALSE;
  length = **p;
  (*p)++;
  if ((gsize) (end - *p) < length)
    return FALSE;
  *out = g_strndup ((const char *) *p, length);
  *p += length;
  return memchr (*out, '\0', length) == NULL;
}

static PdvTicketClaims *
verify_compact (const char    *text,
                const guint8   public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                GError       **error)
{
  g_autoptr(GBytes) bytes = pdv_base45_decode (text + strlen (PDV_TICKET_COMPACT_PREFIX));
  g_autoptr(PdvTicketClaims) claims = pdv_ticket_claims_new ();
  g_autoptr(GByteArray) signed_part = g_byte_array_new ();
  const guint8 *data, *p, *end;
  gsize size;
  guint8 flags;

  if (bytes == NULL || g_bytes_get_size (bytes) < 1 + PDV_TICKET_EVENT_TAG_BYTES + crypto_sign_BYTES)
    {
      g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_MALFORMED,
                           _("This is not a readable signed ticket"));
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  end = data + size - crypto_sign_BYTES;
  g_byte_array_append (signed_part, (const guint8 *) PDV_TICKET_COMPACT_PREFIX, strlen (PDV_TICKET_COMPACT_PREFIX));
  g_byte_array_append (signed_part, data, end - data);
  if (crypto_sign_verify_detached (end, signed_part->data, signed_part->len, public_key) != 0)
    {
      g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_BAD_SIGNATURE,
                           _("The ticket’s signature does not match: it was altered, forged or "
                             "signed with another event’s key"));
      return NULL;
    }

  /* Signed by the event: now its contents are read. */
  p = data;
  flags = *p++;
  if ((flags & 3) > PDV_ENTRY_POLICY_REENTRY || (flags & ~0x1f) != 0)
    {
      invalid_claims (error, "p");
      return NULL;
    }
  claims->policy = (PdvEntryPolicy) (flags & 3);
  claims->has_event_tag = TRUE;
  memcpy (claims->event_tag, p, PDV_TICKET_EVENT_TAG_BYTES);
  p += PDV_TICKET_EVENT_TAG_BYTES;
  if (flags & COMPACT_HAS_FROM)
    {
      guint32 minutes;

      if (end - p < 4)
        goto invalid;
      memcpy (&minutes, p, 4);
      p += 4;
      claims->has_valid_from = TRUE;
      claims->valid_from = (gint64) GUINT32_FROM_BE (minutes) * 60;
    }
  if (flags & COMPACT_HAS_UNTIL)
    {
      if (claims->has_valid_from)
        {
          guint16 span;

          if (end - p < 2)
            goto invalid;
          memcpy (&span, p, 2);
          p += 2;
          claims->valid_until = claims->valid_from + (gint64) GUINT16_FROM_BE (span) * 60;
        }
      else
        {
          guint32 minutes;

          if (end - p < 4)
            goto invalid;
          memcpy (&minutes, p, 4);
          p += 4;
          claims->valid_until = (gint64) GUINT32_FROM_BE (minutes) * 60;
        }
      claims->has_valid_until = TRUE;
    }
  if (!take_string (&p, end, &claims->ticket_id) || !take_string (&p, end, &claims->type) ||
      !take_string (&p, end, &claims->zone) ||
      ((flags & COMPACT_HAS_NAME) && !take_string (&p, end, &claims->holder_name)) || p != end)
    goto invalid;
  if (!check_claims (claims, error))
    return NULL;
  return g_steal_pointer (&claims);

invalid:
  g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_INVALID_CLAIMS,
                       _("The ticket is signed by the event but its contents are not valid"));
  return NULL;
}

/**
 * pdv_ticket_token_verify:
 * @text: the whole scanned text, without surrounding white space
 * @public_key: the event's ticket key
 *
 * Checks the signature before reading anything the ticket says.
 *
 * Returns: (transfer full): what the ticket says, or %NULL with
 *   %PDV_TICKET_TOKEN_ERROR_MALFORMED (not readable as a signed ticket),
 *   %PDV_TICKET_TOKEN_ERROR_BAD_SIGNATURE (forged, altered, or signed with
 *   another key) or %PDV_TICKET_TOKEN_ERROR_INVALID_CLAIMS (signed, but its
 *   contents are not a valid ticket)
 */
PdvTicketClaims *
pdv_ticket_token_verify (const char    *text,
                         const guint8   public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                         GError       **error)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) signature = NULL;
  const char *body;
  const char *dot;
  gsize payload_chars;
  gsize signature_chars;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;
  if (g_str_has_prefix (text, PDV_TICKET_COMPACT_PREFIX))
    return verify_compact (text, public_key, error);
  if (!g_str_has_prefix (text, PDV_TICKET_TOKEN_PREFIX))
    goto malformed;

  body = text + strlen (PDV_TICKET_TOKEN_PREFIX);
  dot = strchr (body, '.');
  if (dot == NULL)
    goto malformed;
  payload_chars = dot - body;
  signature_chars = strlen (dot + 1);
  if (payload_chars == 0 || signature_chars != SIGNATURE_CHARS)
    goto malformed;

  payload = pdv_base64url_decode (body, payload_chars);
  signature = pdv_base64url_decode (dot + 1, signature_chars);
  if (payload == NULL || signature == NULL || g_bytes_get_size (signature) != crypto_sign_BYTES)
    goto malformed;

  if (crypto_sign_verify_detached (g_bytes_get_data (signature, NULL), (const guint8 *) text,
                                   dot - text, public_key) != 0)
    {
      g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_BAD_SIGNATURE,
                           _("The ticket’s signature does not match: it was altered, forged or "
                             "signed with another event’s key"));
      return NULL;
    }

  return claims_from_json (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), error);

malformed:
  g_set_error_literal (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_MALFORMED,
                       _("This is not a readable signed ticket"));
  return NULL;
}

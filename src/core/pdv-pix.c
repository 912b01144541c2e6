/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-pix"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-pix.h"

G_DEFINE_QUARK (pdv-pix-error-quark, pdv_pix_error)

/* A static BR Code is an EMV QRCPS merchant-presented payload as profiled by
 * the Banco Central's "Manual de Padrões para Iniciação do Pix": a run of
 * fields, each a two-digit ID, a two-digit length and the value. */
#define ID_PAYLOAD_FORMAT       0
#define ID_POINT_OF_INITIATION  1
#define ID_MERCHANT_ACCOUNT    26
#define ID_CATEGORY            52
#define ID_CURRENCY            53
#define ID_AMOUNT              54
#define ID_COUNTRY             58
#define ID_NAME                59
#define ID_CITY                60
#define ID_ADDITIONAL_DATA     62
#define ID_CRC                 63

/* Inside field 26. */
#define ID_ACCOUNT_GUI          0
#define ID_ACCOUNT_KEY          1
#define ID_ACCOUNT_URL         25

/* Inside field 62. */
#define ID_DATA_TXID            5

#define PIX_GUI             "br.gov.bcb.pix"
#define FIELD_VALUE_MAX     99
#define AMOUNT_TEXT_MAX     13
#define N_IDS               100

typedef struct {
  guint       id;
  const char *value;   /* inside the payload; not NUL-terminated */
  guint       length;
  guint       offset;  /* of the ID in the whole payload, from 0 */
} Field;

/* The parsed fields of one template (the payload itself, 26 or 62). */
typedef struct {
  Field  fields[N_IDS];
  Field *by_id[N_IDS];
  guint  n_fields;
} Template;

static gboolean
is_printable_ascii (char c)
{
  return c >= 0x20 && c <= 0x7E;
}

static gboolean
all_digits (const char *text,
            gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/**
 * pdv_pix_crc16:
 * @data: bytes to check
 * @length: how many
 *
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection,
 * no final XOR), the checksum of field 63.
 */
guint16
pdv_pix_crc16 (const char *data,
               gsize       length)
{
  guint16 crc = 0xFFFF;

  g_return_val_if_fail (data != NULL || length == 0, 0);

  for (gsize i = 0; i < length; i++)
    {
      crc ^= (guint16) ((guchar) data[i] << 8);
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc & 0x8000) ? (guint16) ((crc << 1) ^ 0x1021) : (guint16) (crc << 1);
    }
  return crc;
}

/* Keys */

static gboolean
is_uuid_form (const char *text)
{
  if (strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      gboolean dash_here = i == 8 || i == 13 || i == 18 || i == 23;

      if (dash_here ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
all_same_digit (const char *digits)
{
  for (const char *p = digits + 1; *p; p++)
    if (*p != digits[0])
      return FALSE;
  return TRUE;
}

/* Modulo-11 check digit over @n digits with the given weights. */
static int
mod11_digit (const char *digits,
             const int  *weights,
             guint       n)
{
  int sum = 0;

  for (guint i = 0; i < n; i++)
    sum += (digits[i] - '0') * weights[i];
  return sum % 11 < 2 ? 0 : 11 - sum % 11;
}

static gboolean
cpf_is_valid (const char *digits)
{
  static const int first[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2 };
  static const int second[] = { 11, 10, 9, 8, 7, 6, 5, 4, 3, 2 };

  /* 000.000.000-00, 111.111.111-11… pass the arithmetic but are not CPFs. */
  if (all_same_digit (digits))
    return FALSE;
  return mod11_digit (digits, first, 9) == digits[9] - '0' &&
         mod11_digit (digits, second, 10) == digits[10] - '0';
}

static gboolean
cnpj_is_valid (const char *digits)
{
  static const int first[] = { 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2 };
  static const int second[] = { 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2 };

  if (all_same_digit (digits))
    return FALSE;
  return mod11_digit (digits, first, 12) == digits[12] - '0' &&
         mod11_digit (digits, second, 13) == digits[13] - '0';
}

static gboolean
is_email_local_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr (".!#$&'*+/=?^_`{|}~-", c) != NULL);
}

/* @text is already in lowercase. */
static gboolean
email_is_valid (const char *text)
{
  const char *at = strchr (text, '@');
  const char *label, *last_label = NULL;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (text[0] == '.' || at[-1] == '.')
    return FALSE;
  for (const char *p = text; p < at; p++)
    if (!is_email_local_char (*p) || (p[0] == '.' && p[1] == '.'))
      return FALSE;

  /* The domain: labels of letters, digits and inner hyphens, at least two. */
  label = at + 1;
  for (;;)
    {
      const char *end = label;

      while (g_ascii_isalnum (*end) || *end == '-')
        end++;
      if (end == label || end - label > 63 || label[0] == '-' || end[-1] == '-')
        return FALSE;
      last_label = label;
      if (*end == '\0')
        break;
      if (*end != '.')
        return FALSE;
      label = end + 1;
    }
  if (last_label == at + 1 || strlen (last_label) < 2)
    return FALSE;
  for (const char *p = last_label; *p; p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  return TRUE;
}

static gboolean
invalid_key (GError     **error,
             const char  *reason)
{
  g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_KEY, "%s %s", reason,
               _("A PIX key is an e-mail address, a phone number with +55 and the area code "
                 "(+55 11 98765-4321), a CPF (123.456.789-09), a CNPJ (12.345.678/0001-95) "
                 "or a random key (123e4567-e89b-42d3-a456-426614174000)."));
  return FALSE;
}

/**
 * pdv_pix_normalise_key:
 * @key: a PIX key as a person typed it
 * @out_kind: (out) (optional): what kind of key it is
 *
 * Checks @key and writes it the way the PIX directory stores it: CPF and CNPJ
 * as bare digits, phone numbers as +55 followed by the area code and number,
 * e-mail addresses and random keys in lowercase. A CPF or a CNPJ may be typed
 * with dots, dashes and slashes, a phone number with spaces, dashes and
 * parentheses. A phone number needs its +55: without it, eleven digits would
 * read as a CPF as well.
 *
 * Random keys are accepted in any UUID form, not only version 4: the Banco
 * Central's own example key is not a version 4 UUID.
 *
 * Returns: (transfer full): the key in standard form, or %NULL with @error set
 */
char *
pdv_pix_normalise_key (const char     *key,
                       PdvPixKeyKind  *out_kind,
                       GError        **error)
{
  g_autofree char *text = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GString) digits = NULL;
  gboolean has_parentheses = FALSE;
  PdvPixKeyKind kind = PDV_PIX_KEY_EMAIL;
  char *result = NULL;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_strstrip (g_strdup (key));
  if (*text == '\0')
    {
      invalid_key (error, _("No PIX key was given."));
      return NULL;
    }

  if (strchr (text, '@') != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (text, -1);

      if (!email_is_valid (lower))
        reason = g_strdup_printf (_("“%s” is not a valid e-mail address."), text);
      else if (strlen (lower) > PDV_PIX_EMAIL_MAX)
        reason = g_strdup_printf (_("“%s” is longer than the %u characters an e-mail key can have."),
                                  text, (guint) PDV_PIX_EMAIL_MAX);
      kind = PDV_PIX_KEY_EMAIL;
      result = g_steal_pointer (&lower);
    }
  else if (is_uuid_form (text))
    {
      kind = PDV_PIX_KEY_RANDOM;
      result = g_ascii_strdown (text, -1);
    }
  else
    {
      gboolean international = text[0] == '+';

      digits = g_string_new (NULL);
      for (const char *p = international ? text + 1 : text; *p; p++)
        {
          if (g_ascii_isdigit (*p))
            g_string_append_c (digits, *p);
          else if (*p == '(' || *p == ')')
            has_parentheses = TRUE;
          else if (*p != ' ' && *p != '.' && *p != '-' && *p != '/')
            {
              digits->len = 0;
              break;
            }
        }

      if (digits->len == 0)
        reason = g_strdup_printf (_("“%s” is not a PIX key."), text);
      else if (international)
        {
          kind = PDV_PIX_KEY_PHONE;
          /* Area codes run from 11 to 99 and none has a 0. */
          if (!g_str_has_prefix (digits->str, "55") || digits->len < 12 || digits->len > 13 ||
              digits->str[2] == '0' || digits->str[3] == '0')
            reason = g_strdup_printf (_("“%s” is not a Brazilian phone number: after +55 come the "
                                        "two-digit area code and a number of 8 or 9 digits."), text);
          else
            result = g_strconcat ("+", digits->str, NULL);
        }
      else if (has_parentheses || digits->len == 10 || digits->len == 12 || digits->len == 13)
        reason = g_strdup_printf (_("“%s” looks like a phone number; write it with the country "
                                    "code, as in +55 11 98765-4321."), text);
      else if (digits->len == 11)
        {
          kind = PDV_PIX_KEY_CPF;
          if (!cpf_is_valid (digits->str))
            reason = g_strdup_printf (_("“%s” looks like a CPF, but it is not a valid one: check the digits."), text);
          else
            result = g_strdup (digits->str);
        }
      else if (digits->len == 14)
        {
          kind = PDV_PIX_KEY_CNPJ;
          if (!cnpj_is_valid (digits->str))
            reason = g_strdup_printf (_("“%s” looks like a CNPJ, but it is not a valid one: check the digits."), text);
          else
            result = g_strdup (digits->str);
        }
      else
        reason = g_strdup_printf (_("“%s” is not a PIX key."), text);
    }

  if (reason != NULL)
    {
      g_free (result);
      invalid_key (error, reason);
      return NULL;
    }
  g_assert (result != NULL);
  if (out_kind != NULL)
    *out_kind = kind;
  return result;
}

/**
 * pdv_pix_key_kind_name:
 *
 * Returns: a stable identifier for files and JSON: "email", "phone", "cpf",
 *   "cnpj" or "random"
 */
const char *
pdv_pix_key_kind_name (PdvPixKeyKind kind)
{
  switch (kind)
    {
    case PDV_PIX_KEY_EMAIL:
      return "email";
    case PDV_PIX_KEY_PHONE:
      return "phone";
    case PDV_PIX_KEY_CPF:
      return "cpf";
    case PDV_PIX_KEY_CNPJ:
      return "cnpj";
    case PDV_PIX_KEY_RANDOM:
      return "random";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Building */

/* Payment apps show the name and city as plain ASCII: "São Paulo" becomes
 * "Sao Paulo", and what has no ASCII spelling is left out. */
static char *
to_plain_ascii (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  GString *out = g_string_new (NULL);

  for (const char *p = composed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char utf8[8] = { 0 };
      g_autofree char *ascii = NULL;

      if (c < 0x80)
        {
          if (is_printable_ascii ((char) c))
            g_string_append_c (out, (char) c);
          continue;
        }
      g_unichar_to_utf8 (c, utf8);
      ascii = g_str_to_ascii (utf8, "C");
      /* g_str_to_ascii() writes "?" for what it cannot spell. */
      if (g_str_equal (ascii, "?"))
        continue;
      for (const char *q = ascii; *q; q++)
        if (is_printable_ascii (*q))
          g_string_append_c (out, *q);
    }

  return g_strstrip (g_string_free (out, FALSE));
}

static gboolean
append_field (GString     *out,
              guint        id,
              const char  *value,
              GError     **error)
{
  gsize length = strlen (value);

  g_assert (id < N_IDS);
  if (length > FIELD_VALUE_MAX)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_TOO_LONG,
                   _("Field %02u of the PIX code would be %u characters long; a field holds at most %u."),
                   id, (guint) length, (guint) FIELD_VALUE_MAX);
      return FALSE;
    }
  g_string_append_printf (out, "%02u%02u%s", id, (guint) length, value);
  return TRUE;
}

static gboolean
txid_is_valid (const char *txid)
{
  for (const char *p = txid; *p; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

static char *
format_amount (PdvMoney amount)
{
  g_assert (amount > 0);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%02u", amount / 100, (guint) (amount % 100));
}

/**
 * pdv_pix_build:
 * @key: the receiver's PIX key, in any form pdv_pix_normalise_key() accepts
 * @name: the receiver's name as the payer's app shows it
 * @city: the receiver's city
 * @has_amount: whether the code fixes the amount; without one the payer types it
 * @amount: centavos, more than zero; ignored unless @has_amount
 * @txid: (nullable): a reference for the payment, 1 to 25 letters and digits;
 *   %NULL, "" or PDV_PIX_NO_TXID for none
 *
 * Builds the payload of a static PIX BR Code with point of initiation "11"
 * (the code may be paid more than once; the txid tells the payments apart).
 * @name and @city are written in plain ASCII, keeping their case; they must
 * still fit in 25 and 15 characters once written so: nothing is cut.
 *
 * Returns: (transfer full): the payload, ending in its CRC, or %NULL with
 *   @error set
 */
char *
pdv_pix_build (const char  *key,
               const char  *name,
               const char  *city,
               gboolean     has_amount,
               PdvMoney     amount,
               const char  *txid,
               GError     **error)
{
  g_autofree char *plain_key = NULL;
  g_autofree char *plain_name = NULL;
  g_autofree char *plain_city = NULL;
  g_autofree char *amount_text = NULL;
  g_autoptr(GString) account = g_string_new (NULL);
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (city != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  plain_key = pdv_pix_normalise_key (key, NULL, error);
  if (plain_key == NULL)
    return NULL;

  plain_name = to_plain_ascii (name);
  if (*plain_name == '\0')
    {
      g_set_error_literal (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MISSING_FIELD,
                           _("A PIX code needs the name of who receives the payment."));
      return NULL;
    }
  if (strlen (plain_name) > PDV_PIX_NAME_MAX)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_TOO_LONG,
                   _("The name “%s” has %u characters; a PIX code holds at most %u. Use a shorter form."),
                   plain_name, (guint) strlen (plain_name), (guint) PDV_PIX_NAME_MAX);
      return NULL;
    }

  plain_city = to_plain_ascii (city);
  if (*plain_city == '\0')
    {
      g_set_error_literal (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MISSING_FIELD,
                           _("A PIX code needs the city of who receives the payment."));
      return NULL;
    }
  if (strlen (plain_city) > PDV_PIX_CITY_MAX)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_TOO_LONG,
                   _("The city “%s” has %u characters; a PIX code holds at most %u. Use a shorter form."),
                   plain_city, (guint) strlen (plain_city), (guint) PDV_PIX_CITY_MAX);
      return NULL;
    }

  if (has_amount)
    {
      if (amount <= 0)
        {
          g_set_error_literal (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_AMOUNT,
                               _("The amount of a PIX code must be more than zero; leave it out to let the payer type it."));
          return NULL;
        }
      if (amount > PDV_PIX_AMOUNT_MAX)
        {
          g_autofree char *shown = pdv_money_format (amount);

          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_AMOUNT,
                       _("%s is more than a PIX code can carry (at most 9999999999.99)."), shown);
          return NULL;
        }
      amount_text = format_amount (amount);
      g_assert (strlen (amount_text) <= AMOUNT_TEXT_MAX);
    }

  if (txid == NULL || *txid == '\0')
    txid = PDV_PIX_NO_TXID;
  if (!g_str_equal (txid, PDV_PIX_NO_TXID))
    {
      if (!txid_is_valid (txid))
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_TXID,
                       _("The transaction ID “%s” may only have letters without accents (A–Z, a–z) and digits."),
                       txid);
          return NULL;
        }
      if (strlen (txid) > PDV_PIX_TXID_MAX)
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_TOO_LONG,
                       _("The transaction ID “%s” has %u characters; a PIX code holds at most %u."),
                       txid, (guint) strlen (txid), (guint) PDV_PIX_TXID_MAX);
          return NULL;
        }
    }

  if (!append_field (account, ID_ACCOUNT_GUI, PIX_GUI, error) ||
      !append_field (account, ID_ACCOUNT_KEY, plain_key, error))
    return NULL;
  if (account->len > FIELD_VALUE_MAX)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_TOO_LONG,
                   _("The PIX key “%s” is too long to fit in a PIX code."), plain_key);
      return NULL;
    }
  if (!append_field (data, ID_DATA_TXID, txid, error))
    return NULL;

  if (!append_field (out, ID_PAYLOAD_FORMAT, "01", error) ||
      !append_field (out, ID_POINT_OF_INITIATION, "11", error) ||
      !append_field (out, ID_MERCHANT_ACCOUNT, account->str, error) ||
      !append_field (out, ID_CATEGORY, "0000", error) ||
      !append_field (out, ID_CURRENCY, "986", error) ||
      (amount_text != NULL && !append_field (out, ID_AMOUNT, amount_text, error)) ||
      !append_field (out, ID_COUNTRY, "BR", error) ||
      !append_field (out, ID_NAME, plain_name, error) ||
      !append_field (out, ID_CITY, plain_city, error) ||
      !append_field (out, ID_ADDITIONAL_DATA, data->str, error))
    return NULL;

  /* The CRC covers everything before it, its own ID and length included. */
  g_string_append (out, "6304");
  g_string_append_printf (out, "%04X", (guint) pdv_pix_crc16 (out->str, out->len));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Parsing */

static gboolean
read_template (const char  *payload,
               guint        start,
               guint        end,
               Template    *template,
               GError     **error)
{
  guint pos = start;

  memset (template, 0, sizeof *template);
  while (pos < end)
    {
      const char *p = payload + pos;
      Field *field;
      guint id, length;

      if (end - pos < 4)
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED,
                       _("The PIX code ends in the middle of a field (at character %u); it was cut short or damaged."),
                       pos + 1);
          return FALSE;
        }
      if (!all_digits (p, 2))
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED,
                       _("The PIX code is damaged at character %u: “%.2s” is not a field ID (two digits)."),
                       pos + 1, p);
          return FALSE;
        }
      id = (guint) ((p[0] - '0') * 10 + (p[1] - '0'));
      if (!all_digits (p + 2, 2))
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED,
                       _("The PIX code is damaged at character %u: field %02u has “%.2s” where its length (two digits) should be."),
                       pos + 3, id, p + 2);
          return FALSE;
        }
      length = (guint) ((p[2] - '0') * 10 + (p[3] - '0'));
      if (length > end - pos - 4)
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED,
                       _("Field %02u at character %u of the PIX code says it has %u characters, but only %u follow; the code was cut short or damaged."),
                       id, pos + 1, length, end - pos - 4);
          return FALSE;
        }
      if (template->by_id[id] != NULL)
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_DUPLICATE_FIELD,
                       _("Field %02u appears twice in the PIX code (at characters %u and %u)."),
                       id, template->by_id[id]->offset + 1, pos + 1);
          return FALSE;
        }

      /* With no duplicate IDs there are at most N_IDS fields. */
      g_assert (template->n_fields < N_IDS);
      field = &template->fields[template->n_fields++];
      field->id = id;
      field->value = p + 4;
      field->length = length;
      field->offset = pos;
      template->by_id[id] = field;
      pos += 4 + length;
    }
  return TRUE;
}

static gboolean
value_is (const Field *field,
          const char  *expected)
{
  return field->length == strlen (expected) && strncmp (field->value, expected, field->length) == 0;
}

static char *
value_dup (const Field *field)
{
  return g_strndup (field->value, field->length);
}

static const Field *
require_field (const Template  *template,
               guint            id,
               const char      *what,
               GError         **error)
{
  if (template->by_id[id] == NULL)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MISSING_FIELD,
                   /* Translators: %s says what the field holds, e.g. "the country" */
                   _("The PIX code has no field %02u (%s)."), id, what);
      return NULL;
    }
  return template->by_id[id];
}

static gboolean
parse_amount (const Field  *field,
              PdvMoney     *out,
              GError      **error)
{
  g_autofree char *text = value_dup (field);
  const char *dot = strchr (text, '.');
  gsize n_units = dot ? (gsize) (dot - text) : strlen (text);
  gsize n_decimals = dot ? strlen (dot + 1) : 0;
  PdvMoney cents = 0;

  if (field->length > AMOUNT_TEXT_MAX)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_AMOUNT,
                   _("The amount “%s” in the PIX code is longer than %u characters."),
                   text, (guint) AMOUNT_TEXT_MAX);
      return FALSE;
    }
  if (n_units == 0 || !all_digits (text, n_units) ||
      (dot != NULL && (n_decimals < 1 || n_decimals > 2 || !all_digits (dot + 1, n_decimals))))
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_AMOUNT,
                   _("“%s” in the PIX code is not an amount (it should read like 12.50)."), text);
      return FALSE;
    }
  /* At most 13 characters: no overflow. */
  for (gsize i = 0; i < n_units; i++)
    cents = cents * 10 + (text[i] - '0');
  cents *= 100;
  if (n_decimals >= 1)
    cents += (dot[1] - '0') * 10;
  if (n_decimals == 2)
    cents += dot[2] - '0';
  if (cents <= 0)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_AMOUNT,
                   _("The amount “%s” in the PIX code is not more than zero."), text);
      return FALSE;
    }
  *out = cents;
  return TRUE;
}

static gboolean
parse_merchant_account (const char  *payload,
                        const Field *field,
                        PdvPixCode  *code,
                        GError     **error)
{
  Template account;
  const Field *gui, *key;
  g_autofree char *key_text = NULL;
  g_autofree char *canonical = NULL;

  if (!read_template (payload, field->offset + 4, field->offset + 4 + field->length, &account, error))
    return FALSE;
  gui = require_field (&account, ID_ACCOUNT_GUI, _("the account’s kind, inside field 26"), error);
  if (gui == NULL)
    return FALSE;
  if (gui->length != strlen (PIX_GUI) || g_ascii_strncasecmp (gui->value, PIX_GUI, gui->length) != 0)
    {
      g_autofree char *gui_text = value_dup (gui);

      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_WRONG_VALUE,
                   _("The merchant account in the PIX code is for “%s”, not for PIX (br.gov.bcb.pix)."),
                   gui_text);
      return FALSE;
    }
  if (account.by_id[ID_ACCOUNT_KEY] == NULL && account.by_id[ID_ACCOUNT_URL] != NULL)
    {
      g_set_error_literal (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MISSING_FIELD,
                           _("This is a dynamic PIX code: it holds an address to fetch the charge from "
                             "instead of a PIX key. Only static codes can be read here."));
      return FALSE;
    }
  key = require_field (&account, ID_ACCOUNT_KEY, _("the PIX key, inside field 26"), error);
  if (key == NULL)
    return FALSE;
  key_text = value_dup (key);
  canonical = pdv_pix_normalise_key (key_text, &code->key_kind, error);
  if (canonical == NULL)
    return FALSE;
  if (!g_str_equal (canonical, key_text))
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_KEY,
                   _("The PIX key “%s” in the code is not written in its standard form (“%s”); "
                     "payment apps may not find it."),
                   key_text, canonical);
      return FALSE;
    }
  code->key = g_steal_pointer (&key_text);
  return TRUE;
}

static gboolean
parse_additional_data (const char  *payload,
                       const Field *field,
                       PdvPixCode  *code,
                       GError     **error)
{
  Template data;
  const Field *txid;
  g_autofree char *txid_text = NULL;

  if (!read_template (payload, field->offset + 4, field->offset + 4 + field->length, &data, error))
    return FALSE;
  txid = require_field (&data, ID_DATA_TXID, _("the transaction ID, inside field 62"), error);
  if (txid == NULL)
    return FALSE;
  txid_text = value_dup (txid);
  if (!g_str_equal (txid_text, PDV_PIX_NO_TXID))
    {
      if (txid->length == 0 || !txid_is_valid (txid_text))
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_TXID,
                       _("The transaction ID “%s” in the PIX code may only have letters A–Z, a–z and digits, or be ***."),
                       txid_text);
          return FALSE;
        }
      if (txid->length > PDV_PIX_TXID_MAX)
        {
          g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_TOO_LONG,
                       _("The transaction ID “%s” in the PIX code has %u characters; at most %u are allowed."),
                       txid_text, txid->length, (guint) PDV_PIX_TXID_MAX);
          return FALSE;
        }
    }
  code->txid = g_steal_pointer (&txid_text);
  return TRUE;
}

/* Name (59) and city (60): present, not empty, not too long. */
static char *
parse_text_field (const Template  *template,
                  guint            id,
                  const char      *what,
                  guint            max,
                  GError         **error)
{
  const Field *field = require_field (template, id, what, error);
  g_autofree char *text = NULL;

  if (field == NULL)
    return NULL;
  text = value_dup (field);
  if (g_strstrip (text)[0] == '\0')
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MISSING_FIELD,
                   /* Translators: %s says what the field holds, e.g. "the merchant’s city" */
                   _("Field %02u (%s) of the PIX code is empty."), id, what);
      return NULL;
    }
  if (field->length > max)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_TOO_LONG,
                   _("Field %02u (%s) of the PIX code has %u characters; at most %u are allowed."),
                   id, what, field->length, max);
      return NULL;
    }
  return value_dup (field);
}

/**
 * pdv_pix_parse:
 * @payload: the text of a BR Code, as a QR code reader gives it
 * @out: (out) (transfer full): what the code says
 *
 * Reads a static PIX BR Code and checks it the way a payment app would: the
 * field structure, the order of the first and last fields, the CRC, then each
 * field's value. Fields this terminal does not use are allowed and skipped.
 *
 * Returns: %TRUE if @payload is a valid static PIX code
 */
gboolean
pdv_pix_parse (const char  *payload,
               PdvPixCode **out,
               GError     **error)
{
  g_autoptr(PdvPixCode) code = NULL;
  Template top;
  const Field *field, *crc;
  gsize length;
  guint16 expected_crc;
  guint found_crc = 0;

  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  length = strlen (payload);
  if (length == 0)
    {
      g_set_error_literal (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED, _("The PIX code is empty."));
      return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    if (!is_printable_ascii (payload[i]))
      {
        g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_NOT_ASCII,
                     _("Character %u of the PIX code is not a plain ASCII letter, digit, space or "
                       "punctuation mark; the code was damaged or is not a PIX code."),
                     (guint) i + 1);
        return FALSE;
      }
  /* Every field has at most 99 characters and each ID appears once. */
  if (length > N_IDS * (4 + FIELD_VALUE_MAX))
    {
      g_set_error_literal (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED,
                           _("The text is far too long to be a PIX code."));
      return FALSE;
    }

  if (!read_template (payload, 0, (guint) length, &top, error))
    return FALSE;

  if (top.fields[0].id != ID_PAYLOAD_FORMAT)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_WRONG_ORDER,
                   _("A PIX code starts with field 00 (the payload format), but this one starts with field %02u."),
                   top.fields[0].id);
      return FALSE;
    }
  crc = require_field (&top, ID_CRC, _("the CRC"), error);
  if (crc == NULL)
    return FALSE;
  if (crc != &top.fields[top.n_fields - 1])
    {
      g_set_error_literal (error, PDV_PIX_ERROR, PDV_PIX_ERROR_WRONG_ORDER,
                           _("Field 63 (the CRC) must be the last field of a PIX code."));
      return FALSE;
    }
  if (crc->length != 4 || !g_ascii_isxdigit (crc->value[0]) || !g_ascii_isxdigit (crc->value[1]) ||
      !g_ascii_isxdigit (crc->value[2]) || !g_ascii_isxdigit (crc->value[3]))
    {
      g_autofree char *crc_text = value_dup (crc);

      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED,
                   _("The CRC of a PIX code is four hexadecimal digits, not “%s”."), crc_text);
      return FALSE;
    }
  for (guint i = 0; i < 4; i++)
    found_crc = found_crc << 4 | (guint) g_ascii_xdigit_value (crc->value[i]);
  expected_crc = pdv_pix_crc16 (payload, length - 4);
  if (found_crc != expected_crc)
    {
      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_BAD_CRC,
                   _("The PIX code’s CRC is %.4s but its content gives %04X: the code was mistyped, "
                     "damaged or altered."),
                   crc->value, (guint) expected_crc);
      return FALSE;
    }

  code = g_new0 (PdvPixCode, 1);

  field = top.by_id[ID_PAYLOAD_FORMAT];
  if (!value_is (field, "01"))
    {
      g_autofree char *text = value_dup (field);

      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_WRONG_VALUE,
                   _("The PIX code says its payload format is “%s”; the only one is “01”."), text);
      return FALSE;
    }

  field = top.by_id[ID_POINT_OF_INITIATION];
  if (field == NULL)
    code->initiation = PDV_PIX_INITIATION_UNSPECIFIED;
  else if (value_is (field, "11"))
    code->initiation = PDV_PIX_INITIATION_STATIC;
  else if (value_is (field, "12"))
    code->initiation = PDV_PIX_INITIATION_DYNAMIC;
  else
    {
      g_autofree char *text = value_dup (field);

      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_WRONG_VALUE,
                   _("Field 01 (point of initiation) of the PIX code is “%s”; it can only be 11 or 12."), text);
      return FALSE;
    }

  field = require_field (&top, ID_MERCHANT_ACCOUNT, _("the PIX merchant account"), error);
  if (field == NULL || !parse_merchant_account (payload, field, code, error))
    return FALSE;

  field = require_field (&top, ID_CATEGORY, _("the merchant category"), error);
  if (field == NULL)
    return FALSE;
  if (field->length != 4 || !all_digits (field->value, 4))
    {
      g_autofree char *text = value_dup (field);

      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_WRONG_VALUE,
                   _("Field 52 (merchant category) of the PIX code is “%s”; it must be four digits."), text);
      return FALSE;
    }

  field = require_field (&top, ID_CURRENCY, _("the currency"), error);
  if (field == NULL)
    return FALSE;
  if (!value_is (field, "986"))
    {
      g_autofree char *text = value_dup (field);

      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_WRONG_VALUE,
                   _("The PIX code is in currency “%s”; PIX is only in Brazilian reais (986)."), text);
      return FALSE;
    }

  field = top.by_id[ID_AMOUNT];
  code->has_amount = field != NULL;
  if (field != NULL && !parse_amount (field, &code->amount, error))
    return FALSE;

  field = require_field (&top, ID_COUNTRY, _("the country"), error);
  if (field == NULL)
    return FALSE;
  if (!value_is (field, "BR"))
    {
      g_autofree char *text = value_dup (field);

      g_set_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_WRONG_VALUE,
                   _("The PIX code says the country is “%s”; PIX codes are for Brazil (BR)."), text);
      return FALSE;
    }

  code->name = parse_text_field (&top, ID_NAME, _("the merchant’s name"), PDV_PIX_NAME_MAX, error);
  if (code->name == NULL)
    return FALSE;
  code->city = parse_text_field (&top, ID_CITY, _("the merchant’s city"), PDV_PIX_CITY_MAX, error);
  if (code->city == NULL)
    return FALSE;

  field = require_field (&top, ID_ADDITIONAL_DATA, _("additional data with the transaction ID"), error);
  if (field == NULL || !parse_additional_data (payload, field, code, error))
    return FALSE;

  *out = g_steal_pointer (&code);
  return TRUE;
}

void
pdv_pix_code_free (PdvPixCode *code)
{
  if (code == NULL)
    return;
  g_free (code->key);
  g_free (code->name);
  g_free (code->city);
  g_free (code->txid);
  g_free (code);
}

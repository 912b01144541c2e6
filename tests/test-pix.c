/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "pdv-test-util.h"

/* The example the Banco Central publishes in its BR Code manual. */
#define BCB_EXAMPLE \
  "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR" \
  "5913Fulano de Tal6008BRASILIA62070503***63041D3D"

/* A code with every field this terminal writes, including an amount; the
 * corruption tests start from it. */
#define GOOD_PAYLOAD \
  "000201" "010211" \
  "2636" "0014br.gov.bcb.pix" "0114+5511987654321" \
  "52040000" "5303986" "540512.50" "5802BR" \
  "5915Acao Nandu Cafe" "6009Sao Paulo" \
  "6212" "0508PEDIDO42" \
  "6304" "1217"

static char *
build (const char  *key,
       const char  *name,
       const char  *city,
       gboolean     has_amount,
       PdvMoney     amount,
       const char  *txid,
       GError     **error)
{
  return pdv_pix_build (key, name, city, has_amount, amount, txid, error);
}

/* @body up to, not including, field 63; returns it with a correct CRC. */
static char *
with_crc (const char *body)
{
  g_autofree char *text = g_strconcat (body, "6304", NULL);

  return g_strdup_printf ("%s%04X", text, (guint) pdv_pix_crc16 (text, strlen (text)));
}

static void
assert_parse_fails (const char *payload,
                    int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvPixCode) parsed = NULL;

  g_test_message ("parsing “%s”", payload);
  g_assert_false (pdv_pix_parse (payload, &parsed, &error));
  g_test_message ("→ %s", error ? error->message : "(no error)");
  g_assert_error (error, PDV_PIX_ERROR, code);
  g_assert_null (parsed);
  g_assert_cmpstr (error->message, !=, "");
}

static PdvPixCode *
parse_ok (const char *payload)
{
  g_autoptr(GError) error = NULL;
  PdvPixCode *parsed = NULL;

  g_test_message ("parsing “%s”", payload);
  g_assert_true (pdv_pix_parse (payload, &parsed, &error));
  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  return parsed;
}

static void
test_crc_check_value (void)
{
  /* The check value of CRC-16/CCITT-FALSE. */
  g_assert_cmphex (pdv_pix_crc16 ("123456789", 9), ==, 0x29B1);
  g_assert_cmphex (pdv_pix_crc16 ("", 0), ==, 0xFFFF);
  /* Field 63 of the Banco Central's example covers everything up to "6304". */
  g_assert_cmphex (pdv_pix_crc16 (BCB_EXAMPLE, strlen (BCB_EXAMPLE) - 4), ==, 0x1D3D);
}

static void
test_parse_bcb_example (void)
{
  g_autoptr(PdvPixCode) code = parse_ok (BCB_EXAMPLE);
  g_autofree char *lower_crc = g_ascii_strdown (BCB_EXAMPLE, -1);
  g_autoptr(PdvPixCode) again = NULL;

  g_assert_cmpstr (code->key, ==, "123e4567-e12b-12d1-a456-426655440000");
  g_assert_cmpint (code->key_kind, ==, PDV_PIX_KEY_RANDOM);
  g_assert_cmpstr (code->name, ==, "Fulano de Tal");
  g_assert_cmpstr (code->city, ==, "BRASILIA");
  g_assert_false (code->has_amount);
  g_assert_cmpstr (code->txid, ==, "***");
  g_assert_cmpint (code->initiation, ==, PDV_PIX_INITIATION_UNSPECIFIED);

  /* The CRC in lowercase hex is the same CRC. */
  memcpy (lower_crc, BCB_EXAMPLE, strlen (BCB_EXAMPLE) - 4);
  g_assert_cmpstr (lower_crc + strlen (lower_crc) - 4, ==, "1d3d");
  again = parse_ok (lower_crc);
  g_assert_cmpstr (again->name, ==, "Fulano de Tal");
}

typedef struct {
  const char *key;
  const char *name;
  const char *city;
  gboolean    has_amount;
  PdvMoney    amount;
  const char *txid;
  const char *expected;
} BuildCase;

static void
test_build_vectors (void)
{
  static const BuildCase cases[] = {
    /* The smallest code: no amount, no txid. */
    { "12345678909", "Fulano de Tal", "BRASILIA", FALSE, 0, NULL,
      "000201" "010211"
      "2633" "0014br.gov.bcb.pix" "011112345678909"
      "52040000" "5303986" "5802BR"
      "5913Fulano de Tal" "6008BRASILIA"
      "6207" "0503***"
      "6304" "3065" },
    /* A typed phone number, accents, an amount and a txid. */
    { "+55 (11) 98765-4321", "Ação Ñandú Café", "São Paulo", TRUE, 1250, "PEDIDO42",
      GOOD_PAYLOAD },
    /* The smallest amount; an explicit "***" is no txid. */
    { "123e4567-e89b-42d3-a456-426614174000", "Fulano de Tal", "BRASILIA", TRUE, 1, "***",
      "000201" "010211"
      "2658" "0014br.gov.bcb.pix" "0136123e4567-e89b-42d3-a456-426614174000"
      "52040000" "5303986" "54040.01" "5802BR"
      "5913Fulano de Tal" "6008BRASILIA"
      "6207" "0503***"
      "6304" "0F1A" },
    /* Every limit reached: a 77-character e-mail fills field 26 to 99
     * characters; 25-character name and txid, 15-character city (both
     * with accents before transliteration), the largest amount. */
    { "financeiro.festival.de.verao.2025.sao.paulo.capital@pagamentos-do-eventos.com",
      "Barraca do Zé & Açaí 2025", "São José do Rio", TRUE, PDV_PIX_AMOUNT_MAX,
      "PDV2025FESTIVALVERAO00001",
      "000201" "010211"
      "2699" "0014br.gov.bcb.pix"
      "0177financeiro.festival.de.verao.2025.sao.paulo.capital@pagamentos-do-eventos.com"
      "52040000" "5303986" "54139999999999.99" "5802BR"
      "5925Barraca do Ze & Acai 2025" "6015Sao Jose do Rio"
      "6229" "0525PDV2025FESTIVALVERAO00001"
      "6304" "C6D1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = build (cases[i].key, cases[i].name, cases[i].city,
                                        cases[i].has_amount, cases[i].amount, cases[i].txid, &error);
      g_autoptr(PdvPixCode) code = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (payload, ==, cases[i].expected);
      code = parse_ok (payload);
      g_assert_cmpint (code->initiation, ==, PDV_PIX_INITIATION_STATIC);
      g_assert_cmpint (code->has_amount, ==, cases[i].has_amount);
      if (cases[i].has_amount)
        g_assert_cmpint (code->amount, ==, cases[i].amount);
    }
}

static void
test_build_transliterates (void)
{
  static const struct {
    const char *name;
    const char *plain;
  } cases[] = {
    { "São Paulo", "Sao Paulo" },
    { "Ação", "Acao" },
    { "ÇÃO çã", "CAO ca" },
    { "Niño Ñandú", "Nino Nandu" },
    { "Ü ö ß Æ", "U o ss AE" },
    { "  Bar do Zé  ", "Bar do Ze" },
    { "Ca\xcc\x81ssia", "Cassia" },    /* a combining accent */
    { "Café ☕ Bar", "Cafe  Bar" },    /* no ASCII spelling: left out */
    { "tab\there", "tabhere" },
    { "MiXeD cAsE", "MiXeD cAsE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = build ("12345678909", cases[i].name, cases[i].name, FALSE, 0, NULL, &error);
      g_autoptr(PdvPixCode) code = NULL;

      g_assert_no_error (error);
      code = parse_ok (payload);
      g_assert_cmpstr (code->name, ==, cases[i].plain);
      g_assert_cmpstr (code->city, ==, cases[i].plain);
    }
}

typedef struct {
  const char *key;
  const char *name;
  const char *city;
  gboolean    has_amount;
  PdvMoney    amount;
  const char *txid;
  int         code;
  const char *in_message;
} RejectCase;

static void
test_build_rejects (void)
{
  static const RejectCase cases[] = {
    /* One beyond each limit, after transliteration. */
    { "12345678909", "Barraca do Zé & Açaí 20256", "BRASILIA", FALSE, 0, NULL, PDV_PIX_ERROR_TOO_LONG, "25" },
    { "12345678909", "Fulano", "São José do Rio Preto", FALSE, 0, NULL, PDV_PIX_ERROR_TOO_LONG, "15" },
    { "12345678909", "Fulano", "BRASILIA", FALSE, 0, "PDV2025FESTIVALVERAO000012", PDV_PIX_ERROR_TOO_LONG, "25" },
    { "12345678909", "Fulano", "BRASILIA", TRUE, PDV_PIX_AMOUNT_MAX + 1, NULL, PDV_PIX_ERROR_INVALID_AMOUNT, NULL },
    { "financeiro.festival.de.verao.2025.sao.paulo.capitals@pagamentos-do-eventos.com",
      "Fulano", "BRASILIA", FALSE, 0, NULL, PDV_PIX_ERROR_INVALID_KEY, "77" },
    /* Amounts that are not more than zero. */
    { "12345678909", "Fulano", "BRASILIA", TRUE, 0, NULL, PDV_PIX_ERROR_INVALID_AMOUNT, NULL },
    { "12345678909", "Fulano", "BRASILIA", TRUE, -1, NULL, PDV_PIX_ERROR_INVALID_AMOUNT, NULL },
    { "12345678909", "Fulano", "BRASILIA", TRUE, -1250, NULL, PDV_PIX_ERROR_INVALID_AMOUNT, NULL },
    /* Transaction IDs are letters and digits only. */
    { "12345678909", "Fulano", "BRASILIA", FALSE, 0, "PEDIDO-42", PDV_PIX_ERROR_INVALID_TXID, "PEDIDO-42" },
    { "12345678909", "Fulano", "BRASILIA", FALSE, 0, "Pedido 42", PDV_PIX_ERROR_INVALID_TXID, NULL },
    { "12345678909", "Fulano", "BRASILIA", FALSE, 0, "Ação", PDV_PIX_ERROR_INVALID_TXID, NULL },
    { "12345678909", "Fulano", "BRASILIA", FALSE, 0, "**", PDV_PIX_ERROR_INVALID_TXID, NULL },
    /* Nothing left to write. */
    { "12345678909", "   ", "BRASILIA", FALSE, 0, NULL, PDV_PIX_ERROR_MISSING_FIELD, NULL },
    { "12345678909", "☕☕", "BRASILIA", FALSE, 0, NULL, PDV_PIX_ERROR_MISSING_FIELD, NULL },
    { "12345678909", "Fulano", "", FALSE, 0, NULL, PDV_PIX_ERROR_MISSING_FIELD, NULL },
    { "12345678900", "Fulano", "BRASILIA", FALSE, 0, NULL, PDV_PIX_ERROR_INVALID_KEY, "CPF" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = build (cases[i].key, cases[i].name, cases[i].city,
                                        cases[i].has_amount, cases[i].amount, cases[i].txid, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "(accepted)");
      g_assert_null (payload);
      g_assert_error (error, PDV_PIX_ERROR, cases[i].code);
      if (cases[i].in_message != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].in_message));
    }
}

static void
test_keys_accepted (void)
{
  static const struct {
    const char    *typed;
    const char    *canonical;
    PdvPixKeyKind  kind;
  } cases[] = {
    { "12345678909", "12345678909", PDV_PIX_KEY_CPF },
    { "123.456.789-09", "12345678909", PDV_PIX_KEY_CPF },
    { " 529.982.247-25 ", "52998224725", PDV_PIX_KEY_CPF },
    { "12345678000195", "12345678000195", PDV_PIX_KEY_CNPJ },
    { "12.345.678/0001-95", "12345678000195", PDV_PIX_KEY_CNPJ },
    { "11.222.333/0001-81", "11222333000181", PDV_PIX_KEY_CNPJ },
    { "+5511987654321", "+5511987654321", PDV_PIX_KEY_PHONE },
    { "+55 (11) 98765-4321", "+5511987654321", PDV_PIX_KEY_PHONE },
    { "+55 61 3456-7890", "+556134567890", PDV_PIX_KEY_PHONE },
    { "fulano@example.com", "fulano@example.com", PDV_PIX_KEY_EMAIL },
    { "Fulano.de_Tal+pix@Example.COM.br", "fulano.de_tal+pix@example.com.br", PDV_PIX_KEY_EMAIL },
    { "123e4567-e89b-42d3-a456-426614174000", "123e4567-e89b-42d3-a456-426614174000", PDV_PIX_KEY_RANDOM },
    /* Random keys typed in uppercase are written in lowercase. */
    { "123E4567-E89B-42D3-A456-426614174000", "123e4567-e89b-42d3-a456-426614174000", PDV_PIX_KEY_RANDOM },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = NULL;
      g_autofree char *payload = NULL;
      g_autoptr(PdvPixCode) code = NULL;
      PdvPixKeyKind kind = (PdvPixKeyKind) -1;

      g_test_message ("key “%s”", cases[i].typed);
      key = pdv_pix_normalise_key (cases[i].typed, &kind, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (key, ==, cases[i].canonical);
      g_assert_cmpint (kind, ==, cases[i].kind);

      payload = build (cases[i].typed, "Fulano", "BRASILIA", FALSE, 0, NULL, &error);
      g_assert_no_error (error);
      code = parse_ok (payload);
      g_assert_cmpstr (code->key, ==, cases[i].canonical);
      g_assert_cmpint (code->key_kind, ==, cases[i].kind);
    }
}

static void
test_keys_rejected (void)
{
  static const char * const keys[] = {
    "",
    "   ",
    "abc",
    "123.456.789-00",          /* wrong check digits */
    "123.456.789-19",
    "111.111.111-11",          /* right arithmetic, not a CPF */
    "1234567890",
    "123456789012",
    "12.345.678/0001-00",
    "00.000.000/0000-00",
    "(11) 98765-4321",         /* a phone number without +55 */
    "11 3456-7890",
    "5511987654321",
    "+1 555 123 4567",
    "+55 11 9876-543",
    "+55 11 98765-43210",
    "+55 01 98765-4321",
    "+55 11 98765-4321x",
    "fulano@",
    "@example.com",
    "fulano@example",
    "fulano@@example.com",
    "ful ano@example.com",
    "fulano@exa_mple.com",
    "fulano@-example.com",
    "fulano@example.c",
    ".fulano@example.com",
    "ful..ano@example.com",
    "financeiro.festival.de.verao.2025.sao.paulo.capitals@pagamentos-do-eventos.com",
    "123e4567-e89b-42d3-a456-42661417400g",
    "123e4567e89b42d3a456426614174000",
    "123e4567-e89b-42d3-a456-4266141740001",
    "{123e4567-e89b-42d3-a456-426614174000}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = NULL;
      g_autofree char *payload = NULL;

      g_test_message ("key “%s”", keys[i]);
      key = pdv_pix_normalise_key (keys[i], NULL, &error);
      g_assert_null (key);
      g_assert_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_KEY);
      /* The message says what a key can be. */
      g_assert_nonnull (strstr (error->message, "+55"));
      g_assert_nonnull (strstr (error->message, "CNPJ"));
      g_clear_error (&error);

      payload = build (keys[i], "Fulano", "BRASILIA", FALSE, 0, NULL, &error);
      g_assert_null (payload);
      g_assert_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_INVALID_KEY);
    }
}

static void
test_parse_corrupted_bytes (void)
{
  gsize length = strlen (GOOD_PAYLOAD);
  gsize pos = 0;
  g_autoptr(PdvPixCode) good = parse_ok (GOOD_PAYLOAD);

  g_assert_cmpstr (good->key, ==, "+5511987654321");
  g_assert_cmpint (good->amount, ==, 1250);

  /* Walk the fields: a changed byte in a value breaks the CRC; a changed
   * byte in an ID or a length breaks the structure. */
  while (pos < length)
    {
      guint id = (guint) g_ascii_digit_value (GOOD_PAYLOAD[pos]) * 10 + (guint) g_ascii_digit_value (GOOD_PAYLOAD[pos + 1]);
      guint field_length = (guint) g_ascii_digit_value (GOOD_PAYLOAD[pos + 2]) * 10 +
                           (guint) g_ascii_digit_value (GOOD_PAYLOAD[pos + 3]);

      for (gsize i = pos; i < pos + 4 + field_length; i++)
        {
          g_autofree char *bad = g_strdup (GOOD_PAYLOAD);

          if (i < pos + 4)
            {
              bad[i] = 'x';
              assert_parse_fails (bad, PDV_PIX_ERROR_MALFORMED);
            }
          else if (id != 63)
            {
              bad[i] = bad[i] == 'Z' ? 'Y' : 'Z';
              assert_parse_fails (bad, PDV_PIX_ERROR_BAD_CRC);
            }
        }
      pos += 4 + field_length;
    }
}

static void
test_parse_rejects (void)
{
  static const struct {
    const char *body;    /* given a correct CRC */
    int         code;
  } cases[] = {
    /* Lengths that do not match the values. */
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "540512.50" "5802BR" "5916Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MALFORMED },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "540512.50" "5802BR" "5914Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MALFORMED },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "540512.50" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6299" "0508PEDIDO42",
      PDV_PIX_ERROR_MALFORMED },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0115+5511987654321"
      "52040000" "5303986" "540512.50" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MALFORMED },
    /* A field ID that is not a number. */
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5A03986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MALFORMED },
    /* No merchant account. */
    { "000201" "010211"
      "52040000" "5303986" "540512.50" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    /* A merchant account of something else. */
    { "000201" "010211" "2636" "0014br.gov.bcb.pox" "0114+5511987654321"
      "52040000" "5303986" "540512.50" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_WRONG_VALUE },
    /* No key, or a dynamic code's URL instead of one. */
    { "000201" "010211" "2618" "0014br.gov.bcb.pix"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010212" "2649" "0014br.gov.bcb.pix" "2527qr.example.com/v2/cobv/9d36"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010211" "2600"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    /* A key that is wrong, or not in its standard form. */
    { "000201" "010211" "2633" "0014br.gov.bcb.pix" "011112345678900"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_INVALID_KEY },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114123.456.789-09"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_INVALID_KEY },
    { "000201" "010211" "2658" "0014br.gov.bcb.pix" "0136123E4567-E89B-42D3-A456-426614174000"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_INVALID_KEY },
    /* Wrong fixed values. */
    { "000202" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_WRONG_VALUE },
    { "000201" "010213" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_WRONG_VALUE },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "5203000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_WRONG_VALUE },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303840" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_WRONG_VALUE },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802US" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_WRONG_VALUE },
    /* Missing mandatory fields. */
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6210" "0106abcdef",
      PDV_PIX_ERROR_MISSING_FIELD },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5903   " "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_MISSING_FIELD },
    /* Values beyond their limits. */
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5926Barraca do Ze & Acai 20256" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_TOO_LONG },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6016Sao Jose do Rioo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_TOO_LONG },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo"
      "6230" "0526PDV2025FESTIVALVERAO000012",
      PDV_PIX_ERROR_TOO_LONG },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6213" "0509PEDIDO-42",
      PDV_PIX_ERROR_INVALID_TXID },
    /* Amounts. */
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "54040.00" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_INVALID_AMOUNT },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "540512,50" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_INVALID_AMOUNT },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5405-1.00" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_INVALID_AMOUNT },
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "541499999999999.99" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_INVALID_AMOUNT },
    /* The same field twice. */
    { "000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_DUPLICATE_FIELD },
    { "000201" "010211" "2654" "0014br.gov.bcb.pix" "0114+5511987654321" "0014br.gov.bcb.pix"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_DUPLICATE_FIELD },
    /* 00 not first. */
    { "010211" "000201" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
      "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo" "6212" "0508PEDIDO42",
      PDV_PIX_ERROR_WRONG_ORDER },
  };
  static const char * const other[] = {
    /* 63 not last: a field follows the CRC. */
    GOOD_PAYLOAD "6104ABCD",
    /* Non-ASCII bytes and control characters. */
    "000201010211" "26360014br.gov.bcb.pix0114+5511987654321520400005303986540512.505802BR"
    "5915A\xc3\xa7" "ao Nandu Cafe6009Sao Paulo62120508PEDIDO4263041217",
    GOOD_PAYLOAD "\n",
    "\t" GOOD_PAYLOAD,
  };
  static const int other_codes[] = {
    PDV_PIX_ERROR_WRONG_ORDER, PDV_PIX_ERROR_NOT_ASCII, PDV_PIX_ERROR_NOT_ASCII, PDV_PIX_ERROR_NOT_ASCII,
  };
  g_autofree char *good = NULL;
  g_autofree char *upper_gui = NULL;
  g_autoptr(PdvPixCode) code = NULL;

  /* with_crc() itself is right, and the GUI may be in any case. */
  good = with_crc ("000201" "010211" "2636" "0014br.gov.bcb.pix" "0114+5511987654321"
                   "52040000" "5303986" "540512.50" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo"
                   "6212" "0508PEDIDO42");
  g_assert_cmpstr (good, ==, GOOD_PAYLOAD);
  upper_gui = with_crc ("000201" "2636" "0014BR.GOV.BCB.PIX" "0114+5511987654321"
                        "52040000" "5303986" "5802BR" "5915Acao Nandu Cafe" "6009Sao Paulo"
                        "6212" "0508PEDIDO42");
  code = parse_ok (upper_gui);
  g_assert_cmpint (code->initiation, ==, PDV_PIX_INITIATION_UNSPECIFIED);
  g_assert_false (code->has_amount);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *payload = with_crc (cases[i].body);

      assert_parse_fails (payload, cases[i].code);
    }
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    assert_parse_fails (other[i], other_codes[i]);
}

static void
test_parse_rejects_crc (void)
{
  g_autofree char *payload = g_strdup (GOOD_PAYLOAD);
  gsize length = strlen (payload);
  static const char * const wrong[] = { "1218", "2217", "0000", "FFFF", "7121" };

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      memcpy (payload + length - 4, wrong[i], 4);
      assert_parse_fails (payload, PDV_PIX_ERROR_BAD_CRC);
    }
  memcpy (payload + length - 4, "12G7", 4);
  assert_parse_fails (payload, PDV_PIX_ERROR_MALFORMED);
  assert_parse_fails (GOOD_PAYLOAD "7", PDV_PIX_ERROR_MALFORMED);
}

static void
test_parse_rejects_truncated (void)
{
  gsize length = strlen (GOOD_PAYLOAD);
  /* Cut just before field 63: a well-formed run of fields, but no CRC. */
  gsize before_crc = length - 8;

  assert_parse_fails ("", PDV_PIX_ERROR_MALFORMED);
  for (gsize cut = 1; cut < length; cut++)
    {
      g_autofree char *payload = g_strndup (GOOD_PAYLOAD, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(PdvPixCode) parsed = NULL;

      g_assert_false (pdv_pix_parse (payload, &parsed, &error));
      g_assert_null (parsed);
      if (cut == before_crc)
        g_assert_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MISSING_FIELD);
      else if (cut > before_crc)
        g_assert_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED);
      else if (!g_error_matches (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MALFORMED))
        /* Cut between two fields. */
        g_assert_error (error, PDV_PIX_ERROR, PDV_PIX_ERROR_MISSING_FIELD);
    }
}

static char *
random_digits (guint n)
{
  char *text = g_malloc (n + 1);

  for (guint i = 0; i < n; i++)
    text[i] = (char) ('0' + g_test_rand_int_range (0, 10));
  text[n] = '\0';
  return text;
}

static char
check_digit (const char *digits,
             guint       n,
             int         first_weight,
             int         wrap_at)
{
  int sum = 0;
  int weight = first_weight;

  for (guint i = 0; i < n; i++)
    {
      sum += (digits[i] - '0') * weight;
      weight = weight == 2 ? wrap_at : weight - 1;
    }
  return (char) ('0' + (sum % 11 < 2 ? 0 : 11 - sum % 11));
}

static char *
random_key (PdvPixKeyKind kind)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789_-";
  GString *text;
  char *digits;

  switch (kind)
    {
    case PDV_PIX_KEY_CPF:
      digits = g_realloc (random_digits (9), 12);
      digits[9] = check_digit (digits, 9, 10, 0);
      digits[10] = check_digit (digits, 10, 11, 0);
      digits[11] = '\0';
      return digits;
    case PDV_PIX_KEY_CNPJ:
      /* Weights 5..2 then 9..2, and 6..2 then 9..2. */
      digits = g_realloc (random_digits (12), 15);
      digits[12] = check_digit (digits, 12, 5, 9);
      digits[13] = check_digit (digits, 13, 6, 9);
      digits[14] = '\0';
      return digits;
    case PDV_PIX_KEY_PHONE:
      {
        g_autofree char *number = random_digits (g_test_rand_bit () ? 8 : 9);

        return g_strdup_printf ("+55%d%d%s", g_test_rand_int_range (1, 10), g_test_rand_int_range (1, 10),
                                number);
      }
    case PDV_PIX_KEY_EMAIL:
      text = g_string_new (NULL);
      g_string_append_c (text, alphabet[g_test_rand_int_range (0, 26)]);
      for (int i = g_test_rand_int_range (0, 30); i > 0; i--)
        g_string_append_c (text, alphabet[g_test_rand_int_range (0, 38)]);
      g_string_append (text, "@evento");
      g_string_append_c (text, alphabet[g_test_rand_int_range (0, 36)]);
      g_string_append (text, g_test_rand_bit () ? ".com.br" : ".org");
      return g_string_free (text, FALSE);
    case PDV_PIX_KEY_RANDOM:
    default:
      return g_uuid_string_random ();
    }
}

/* Printable ASCII with no space at either end. */
static char *
random_text (guint max)
{
  guint length = (guint) g_test_rand_int_range (1, (gint32) max + 1);
  char *text = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    text[i] = (char) g_test_rand_int_range (0x20, 0x7F);
  text[0] = (char) g_test_rand_int_range (0x21, 0x7F);
  text[length - 1] = (char) g_test_rand_int_range (0x21, 0x7F);
  text[length] = '\0';
  return text;
}

static char *
random_txid (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  guint length = (guint) g_test_rand_int_range (0, PDV_PIX_TXID_MAX + 1);
  char *text = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    text[i] = alphabet[g_test_rand_int_range (0, (gint32) strlen (alphabet))];
  text[length] = '\0';
  return text;
}

static void
test_round_trip (void)
{
  guint n = g_test_thorough () ? 5000 : 500;

  for (guint i = 0; i < n; i++)
    {
      PdvPixKeyKind kind = (PdvPixKeyKind) g_test_rand_int_range (PDV_PIX_KEY_EMAIL, PDV_PIX_KEY_RANDOM + 1);
      g_autofree char *key = random_key (kind);
      g_autofree char *name = random_text (PDV_PIX_NAME_MAX);
      g_autofree char *city = random_text (PDV_PIX_CITY_MAX);
      g_autofree char *txid = random_txid ();
      gboolean has_amount = g_test_rand_bit ();
      PdvMoney amount = 0;
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = NULL;
      g_autoptr(PdvPixCode) code = NULL;

      if (has_amount)
        {
          /* Amounts of every size, up to the largest. */
          amount = g_test_rand_int_range (1, 100);
          for (int digits = g_test_rand_int_range (0, 11); digits > 0; digits--)
            amount = amount * 10 + g_test_rand_int_range (0, 10);
          amount = MIN (amount, PDV_PIX_AMOUNT_MAX);
        }

      payload = build (key, name, city, has_amount, amount, txid, &error);
      if (error != NULL)
        g_test_message ("key “%s” name “%s” city “%s” txid “%s”", key, name, city, txid);
      g_assert_no_error (error);
      g_assert_true (pdv_pix_parse (payload, &code, &error));
      g_assert_no_error (error);

      g_assert_cmpstr (code->key, ==, key);
      g_assert_cmpint (code->key_kind, ==, kind);
      g_assert_cmpstr (code->name, ==, name);
      g_assert_cmpstr (code->city, ==, city);
      g_assert_cmpint (code->has_amount, ==, has_amount);
      g_assert_cmpint (code->amount, ==, amount);
      g_assert_cmpstr (code->txid, ==, *txid ? txid : PDV_PIX_NO_TXID);
      g_assert_cmpint (code->initiation, ==, PDV_PIX_INITIATION_STATIC);
    }
}

/* The 7×7 finder pattern with its light separator, at one corner. */
static void
assert_finder_pattern (const PdvQrCode *qr,
                       guint            left,
                       guint            top)
{
  for (guint y = 0; y < 7; y++)
    for (guint x = 0; x < 7; x++)
      {
        gboolean ring = x == 0 || y == 0 || x == 6 || y == 6;
        gboolean centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;

        g_assert_cmpint (pdv_qr_code_is_dark (qr, left + x, top + y), ==, ring || centre);
      }
}

static void
test_qr_encode (void)
{
  static const char * const texts[] = { "A", "HELLO WORLD", BCB_EXAMPLE, GOOD_PAYLOAD };
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (3000, 'x');
  g_autoptr(PdvQrCode) too_long = NULL;
  g_autoptr(PdvQrCode) empty = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(PdvQrCode) qr = pdv_qr_encode (texts[i], &error);
      guint n_dark = 0;

      g_assert_no_error (error);
      g_assert_nonnull (qr);
      /* Versions 1 to 40: 21 to 177 modules a side, in steps of 4. */
      g_assert_cmpuint (qr->width, >=, 21);
      g_assert_cmpuint (qr->width, <=, 177);
      g_assert_cmpuint ((qr->width - 21) % 4, ==, 0);
      g_assert_cmpuint (qr->width, ==, 17 + 4 * qr->version);

      assert_finder_pattern (qr, 0, 0);
      assert_finder_pattern (qr, qr->width - 7, 0);
      assert_finder_pattern (qr, 0, qr->width - 7);
      for (guint j = 0; j < qr->width * qr->width; j++)
        {
          g_assert_cmpuint (qr->modules[j], <=, 1);
          n_dark += qr->modules[j];
        }
      /* Masking keeps dark modules near half. */
      g_assert_cmpuint (n_dark, >, qr->width * qr->width / 4);
      g_assert_cmpuint (n_dark, <, qr->width * qr->width * 3 / 4);
      g_assert_false (pdv_qr_code_is_dark (qr, qr->width, 0));
    }

  too_long = pdv_qr_encode (huge, &error);
  g_assert_null (too_long);
  g_assert_error (error, PDV_QR_ERROR, PDV_QR_ERROR_TOO_LONG);
  g_clear_error (&error);
  empty = pdv_qr_encode ("", &error);
  g_assert_null (empty);
  g_assert_error (error, PDV_QR_ERROR, PDV_QR_ERROR_EMPTY);
}

/* pdvctl, end to end */

typedef struct {
  char *dir;
  char *db;
} Fixture;


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->db = g_build_filename (f->dir, "terminal.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* Runs pdvctl --db DB ARGS…; the database must never be created. */
static void
pdvctl (Fixture *f,
        PdvTestRun *run,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  pdv_test_pdvctl (f->db, NULL, run, (const char * const *) args->pdata);
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

static char *
decode_png (const char *path)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  const char *argv[] = { NULL, "--raw", "-q", path, NULL };
  g_auto(PdvTestRun) run = { 0 };
  gsize length;

  /* Without a decoder the PNG would go unchecked: that is a failure. */
  if (zbarimg == NULL)
    g_error ("zbarimg is not installed (Debian package zbar-tools)");
  argv[0] = zbarimg;
  pdv_test_spawn (argv, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  /* zbarimg ends what it decodes with a line break. */
  length = strlen (run.out);
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpint (run.out[length - 1], ==, '\n');
  return g_strndup (run.out, length - 1);
}

static void
test_pdvctl_png (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *png = g_build_filename (f->dir, "pix.png", NULL);
  g_autofree char *payload = NULL;
  g_autofree char *decoded = NULL;
  g_autoptr(PdvPixCode) code = NULL;
  g_auto(PdvTestRun) run = { 0 };

  pdvctl (f, &run, "pix", "--key", "123.456.789-09", "--name", "Café São João", "--city", "São Paulo",
          "--amount", "12,50", "--txid", "PEDIDO42", "--png", png, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, "\n"));
  payload = g_strndup (run.out, strlen (run.out) - 1);
  g_assert_null (strchr (payload, '\n'));

  code = parse_ok (payload);
  g_assert_cmpstr (code->key, ==, "12345678909");
  g_assert_cmpstr (code->name, ==, "Cafe Sao Joao");
  g_assert_cmpstr (code->city, ==, "Sao Paulo");
  g_assert_cmpint (code->amount, ==, 1250);
  g_assert_cmpstr (code->txid, ==, "PEDIDO42");

  decoded = decode_png (png);
  g_assert_cmpstr (decoded, ==, payload);
}

static void
test_pdvctl_png_largest (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *png = g_build_filename (f->dir, "largest.png", NULL);
  g_autofree char *payload = NULL;
  g_autofree char *decoded = NULL;
  g_auto(PdvTestRun) run = { 0 };

  /* The longest code this terminal makes. */
  pdvctl (f, &run, "pix", "--key", "financeiro.festival.de.verao.2025.sao.paulo.capital@pagamentos-do-eventos.com",
          "--name", "Barraca do Zé & Açaí 2025", "--city", "São José do Rio", "--amount", "9999999999.99",
          "--txid", "PDV2025FESTIVALVERAO00001", "--png", png, NULL);
  g_assert_cmpint (run.status, ==, 0);
  payload = g_strstrip (g_strdup (run.out));
  g_assert_true (g_str_has_prefix (payload, "00020101021126990014br.gov.bcb.pix0177financeiro"));
  decoded = decode_png (png);
  g_assert_cmpstr (decoded, ==, payload);
}

static void
test_pdvctl_check (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *corrupted = g_strdup (GOOD_PAYLOAD);
  g_autofree char *png = g_build_filename (f->dir, "checked.png", NULL);
  g_autofree char *decoded = NULL;
  json_error_t json_error;
  json_t *body;

  {
    g_auto(PdvTestRun) run = { 0 };

    pdvctl (f, &run, "pix", "--check", GOOD_PAYLOAD "\n", "--png", png, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "+5511987654321"));
    g_assert_nonnull (strstr (run.out, "Acao Nandu Cafe"));
    g_assert_nonnull (strstr (run.out, "PEDIDO42"));
    decoded = decode_png (png);
    g_assert_cmpstr (decoded, ==, GOOD_PAYLOAD);
  }
  {
    g_auto(PdvTestRun) run = { 0 };

    pdvctl (f, &run, "--json", "pix", "--check", BCB_EXAMPLE, NULL);
    g_assert_cmpint (run.status, ==, 0);
    body = json_loads (run.out, 0, &json_error);
    g_assert_nonnull (body);
    g_assert_true (json_is_true (json_object_get (body, "ok")));
    g_assert_cmpstr (json_string_value (json_object_get (body, "payload")), ==, BCB_EXAMPLE);
    g_assert_cmpstr (json_string_value (json_object_get (body, "key_kind")), ==, "random");
    g_assert_cmpstr (json_string_value (json_object_get (body, "name")), ==, "Fulano de Tal");
    g_assert_cmpstr (json_string_value (json_object_get (body, "txid")), ==, "***");
    g_assert_true (json_is_null (json_object_get (body, "amount")));
    g_assert_true (json_is_null (json_object_get (body, "initiation")));
    json_decref (body);
  }

  /* One byte changed in the name. */
  corrupted[strstr (corrupted, "Nandu") - corrupted] = 'M';
  {
    g_auto(PdvTestRun) run = { 0 };

    pdvctl (f, &run, "pix", "--check", corrupted, NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_true (g_str_has_prefix (run.err, "pdvctl: "));
    g_assert_nonnull (strstr (run.err, "CRC"));
  }
  {
    g_auto(PdvTestRun) run = { 0 };

    pdvctl (f, &run, "--json", "pix", "--check", corrupted, NULL);
    g_assert_cmpint (run.status, ==, 1);
    body = json_loads (run.out, 0, &json_error);
    g_assert_nonnull (body);
    g_assert_true (json_is_false (json_object_get (body, "ok")));
    g_assert_nonnull (strstr (json_string_value (json_object_get (body, "error")), "CRC"));
    json_decref (body);
  }
}

static void
test_pdvctl_json_build (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(PdvTestRun) run = { 0 };
  json_error_t json_error;
  json_t *body;

  pdvctl (f, &run, "pix", "--json", "--key", "+55 (21) 3456-7890", "--name", "Bar", "--city", "Niterói",
          "--amount", "7.5", NULL);
  g_assert_cmpint (run.status, ==, 0);
  body = json_loads (run.out, 0, &json_error);
  g_assert_nonnull (body);
  g_assert_true (json_is_true (json_object_get (body, "ok")));
  g_assert_cmpstr (json_string_value (json_object_get (body, "key")), ==, "+552134567890");
  g_assert_cmpstr (json_string_value (json_object_get (body, "key_kind")), ==, "phone");
  g_assert_cmpstr (json_string_value (json_object_get (body, "city")), ==, "Niteroi");
  g_assert_cmpint (json_integer_value (json_object_get (body, "amount")), ==, 750);
  g_assert_cmpstr (json_string_value (json_object_get (body, "initiation")), ==, "static");
  g_assert_nonnull (strstr (json_string_value (json_object_get (body, "payload")), "54047.50"));
  json_decref (body);
}

static void
test_pdvctl_errors (Fixture       *f,
                    gconstpointer  data)
{
  /* 2: a command line that does not say what to do; 1: values refused. */
  static const struct {
    const char *args[8];
    const char *in_message;
    int         status;
  } cases[] = {
    { { "pix", "--name", "Bar", "--city", "Rio", NULL }, "--key", 2 },
    { { "pix", "--key", "12345678909", "--city", "Rio", NULL }, "--name", 2 },
    { { "pix", "--key", "12345678909", "--name", "Bar", NULL }, "--city", 2 },
    { { "pix", "--key", "(11) 98765-4321", "--name", "Bar", "--city", "Rio", NULL }, "+55", 1 },
    { { "pix", "--key", "12345678909", "--name", "Bar", "--city", "Rio", "--amount=0" }, "zero", 1 },
    { { "pix", "--key", "12345678909", "--name", "Bar", "--city", "Rio", "--amount=-5" }, "negative", 1 },
    { { "pix", "--key", "12345678909", "--name", "Bar", "--city", "São José do Rio Preto", NULL }, "15", 1 },
    { { "pix", "--check", BCB_EXAMPLE, "--key", "12345678909", NULL }, "--check", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(PdvTestRun) run = { 0 };
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();

      g_ptr_array_add (argv, (char *) g_getenv ("PDVCTL"));
      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, f->db);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].args) && cases[i].args[j] != NULL; j++)
        g_ptr_array_add (argv, (char *) cases[i].args[j]);
      g_ptr_array_add (argv, NULL);

      pdv_test_spawn ((const char * const *) argv->pdata, NULL, &run);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_true (g_str_has_prefix (run.err, "pdvctl: "));
      g_assert_nonnull (strstr (run.err, cases[i].in_message));
      g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pix/crc/check-value", test_crc_check_value);
  g_test_add_func ("/pix/parse/bcb-example", test_parse_bcb_example);
  g_test_add_func ("/pix/build/vectors", test_build_vectors);
  g_test_add_func ("/pix/build/transliterates", test_build_transliterates);
  g_test_add_func ("/pix/build/rejects", test_build_rejects);
  g_test_add_func ("/pix/key/accepted", test_keys_accepted);
  g_test_add_func ("/pix/key/rejected", test_keys_rejected);
  g_test_add_func ("/pix/parse/corrupted-bytes", test_parse_corrupted_bytes);
  g_test_add_func ("/pix/parse/rejects", test_parse_rejects);
  g_test_add_func ("/pix/parse/rejects-crc", test_parse_rejects_crc);
  g_test_add_func ("/pix/parse/rejects-truncated", test_parse_rejects_truncated);
  g_test_add_func ("/pix/round-trip", test_round_trip);
  g_test_add_func ("/pix/qr/encode", test_qr_encode);
  g_test_add ("/pix/pdvctl/png", Fixture, NULL, fixture_set_up, test_pdvctl_png, fixture_tear_down);
  g_test_add ("/pix/pdvctl/png-largest", Fixture, NULL, fixture_set_up, test_pdvctl_png_largest, fixture_tear_down);
  g_test_add ("/pix/pdvctl/check", Fixture, NULL, fixture_set_up, test_pdvctl_check, fixture_tear_down);
  g_test_add ("/pix/pdvctl/json-build", Fixture, NULL, fixture_set_up, test_pdvctl_json_build, fixture_tear_down);
  g_test_add ("/pix/pdvctl/errors", Fixture, NULL, fixture_set_up, test_pdvctl_errors, fixture_tear_down);

  return g_test_run ();
}

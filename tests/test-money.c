/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pdv-test-util.h"

typedef struct {
  const char *text;
  PdvMoney    cents;
} ParseCase;

static void
test_parse_accepts (void)
{
  static const ParseCase cases[] = {
    { "12,50", 1250 },
    { "12.50", 1250 },
    { "12,5", 1250 },
    { "12", 1200 },
    { "0", 0 },
    { "0,01", 1 },
    { "R$ 1.234,56", 123456 },
    { "R$1.234,56", 123456 },
    { "r$ 7,00", 700 },
    { "R$\u00a012,00", 1200 },
    { "1,234.56", 123456 },
    { "1.234.567", 123456700 },
    { "1 234,56 R$", 123456 },
    { "1\u202f234,56\u00a0R$", 123456 },
    { "R$1'234.56", 123456 },
    { "50,00 R$", 5000 },
    { "1.234.567,89", 123456789 },
    { "  42,00  ", 4200 },
    { "92233720368547758,07", G_MAXINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      PdvMoney cents = -1;

      g_test_message ("parsing “%s”", cases[i].text);
      g_assert_true (pdv_money_parse (cases[i].text, PDV_MONEY_PARSE_DEFAULT, &cents, &error));
      g_assert_no_error (error);
      g_assert_cmpint (cents, ==, cases[i].cents);
    }
}

static void
test_parse_rejects (void)
{
  static const struct {
    const char *text;
    int         code;
  } cases[] = {
    { "", PDV_MONEY_ERROR_INVALID },
    { "R$", PDV_MONEY_ERROR_INVALID },
    { "abc", PDV_MONEY_ERROR_INVALID },
    { "12,50x", PDV_MONEY_ERROR_INVALID },
    { "1,2,3", PDV_MONEY_ERROR_INVALID },
    { "12,,5", PDV_MONEY_ERROR_INVALID },
    { ",50", PDV_MONEY_ERROR_INVALID },
    { "12,", PDV_MONEY_ERROR_INVALID },
    { "1.23.456,00", PDV_MONEY_ERROR_INVALID },
    { "1234.567,00", PDV_MONEY_ERROR_INVALID },
    { "12.5055", PDV_MONEY_ERROR_PRECISION },
    { "1.234,567", PDV_MONEY_ERROR_PRECISION },
    { "-5,00", PDV_MONEY_ERROR_NEGATIVE },
    { "6,000", PDV_MONEY_ERROR_AMBIGUOUS },   /* a spreadsheet's three decimals, or thousands? */
    { "12,505", PDV_MONEY_ERROR_AMBIGUOUS },
    { "1.234", PDV_MONEY_ERROR_AMBIGUOUS },
    { "1 234.567,00", PDV_MONEY_ERROR_INVALID },
    { "12,50 R$ 3", PDV_MONEY_ERROR_INVALID },
    { "R$ R$ 5", PDV_MONEY_ERROR_INVALID },
    { "R$ -5,00", PDV_MONEY_ERROR_NEGATIVE },
    { "92233720368547758,08", PDV_MONEY_ERROR_OVERFLOW },
    { "99999999999999999999999", PDV_MONEY_ERROR_OVERFLOW },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      PdvMoney cents = 4242;

      g_test_message ("parsing “%s”", cases[i].text);
      g_assert_false (pdv_money_parse (cases[i].text, PDV_MONEY_PARSE_DEFAULT, &cents, &error));
      g_assert_error (error, PDV_MONEY_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].text));
      g_assert_cmpint (cents, ==, 4242);
    }
}

static void
test_average (void)
{
  /* "Ticket médio": R$ 80,30 over three sales is 26,7666…, shown as 26,77. */
  g_assert_cmpint (pdv_money_average (8030, 3), ==, 2677);
  g_assert_cmpint (pdv_money_average (8029, 3), ==, 2676);
  g_assert_cmpint (pdv_money_average (5, 2), ==, 3);      /* half a centavo: up */
  g_assert_cmpint (pdv_money_average (-5, 2), ==, -3);    /* and away from zero */
  g_assert_cmpint (pdv_money_average (-8030, 3), ==, -2677);
  g_assert_cmpint (pdv_money_average (0, 7), ==, 0);
  g_assert_cmpint (pdv_money_average (G_MAXINT64, 2), ==, G_MAXINT64 / 2 + 1);
  g_assert_cmpint (pdv_money_average (G_MAXINT64, 1), ==, G_MAXINT64);
}

static void
test_parse_negative_allowed (void)
{
  PdvMoney cents = 0;

  g_assert_true (pdv_money_parse ("-5,25", PDV_MONEY_PARSE_ALLOW_NEGATIVE, &cents, NULL));
  g_assert_cmpint (cents, ==, -525);
  g_assert_true (pdv_money_parse ("R$ -1.000,00", PDV_MONEY_PARSE_ALLOW_NEGATIVE, &cents, NULL));
  g_assert_cmpint (cents, ==, -100000);
  g_assert_true (pdv_money_parse ("-12,50 R$", PDV_MONEY_PARSE_ALLOW_NEGATIVE, &cents, NULL));
  g_assert_cmpint (cents, ==, -1250);
  g_assert_true (pdv_money_parse ("R$ 12,50-", PDV_MONEY_PARSE_ALLOW_NEGATIVE, &cents, NULL));
  g_assert_cmpint (cents, ==, -1250);
  g_assert_true (pdv_money_parse ("-0,00", PDV_MONEY_PARSE_DEFAULT, &cents, NULL));
  g_assert_cmpint (cents, ==, 0);
}

static void
check_format (const char *locale_name,
              PdvMoney    cents,
              const char *expected)
{
  g_autofree char *text = pdv_money_format_for_locale (cents, locale_name);

  g_test_message ("%s: %" G_GINT64_FORMAT " → “%s”", locale_name, cents, text);
  g_assert_cmpstr (text, ==, expected);
}

static void
require_locale (const char *name)
{
  locale_t loc = newlocale (LC_MONETARY_MASK, name, (locale_t) 0);

  /* ./dev.sh installs locales-all; without it these checks would be vacuous. */
  if (loc == (locale_t) 0)
    g_error ("locale %s is not installed (Debian package locales-all)", name);
  freelocale (loc);
}

static void
test_format_pt_br (void)
{
  require_locale ("pt_BR.UTF-8");
  check_format ("pt_BR.UTF-8", 0, "R$\u00a00,00");
  check_format ("pt_BR.UTF-8", 5, "R$\u00a00,05");
  check_format ("pt_BR.UTF-8", 1250, "R$\u00a012,50");
  check_format ("pt_BR.UTF-8", 123456, "R$\u00a01.234,56");
  check_format ("pt_BR.UTF-8", 123456789, "R$\u00a01.234.567,89");
  check_format ("pt_BR.UTF-8", -1250, "-R$\u00a012,50");
  check_format ("pt_BR.UTF-8", G_MAXINT64, "R$\u00a092.233.720.368.547.758,07");
  check_format ("pt_BR.UTF-8", G_MININT64, "-R$\u00a092.233.720.368.547.758,08");
}

static void
test_format_en_us (void)
{
  require_locale ("en_US.UTF-8");
  check_format ("en_US.UTF-8", 1250, "R$12.50");
  check_format ("en_US.UTF-8", 123456, "R$1,234.56");
  check_format ("en_US.UTF-8", -99, "-R$0.99");
}

static void
test_format_follows_current_locale (void)
{
  g_autofree char *before = NULL;
  g_autofree char *text = NULL;

  require_locale ("pt_BR.UTF-8");
  before = g_strdup (setlocale (LC_MONETARY, NULL));
  g_assert_nonnull (setlocale (LC_MONETARY, "pt_BR.UTF-8"));
  text = pdv_money_format (990);
  setlocale (LC_MONETARY, before);
  g_assert_cmpstr (text, ==, "R$\u00a09,90");
}

static void
test_format_brazilian_everywhere (void)
{
  g_autofree char *plain = pdv_money_format_brazilian (123456, FALSE);
  g_autofree char *symbol = pdv_money_format_brazilian (-5, TRUE);

  /* Whatever the current locale (C.UTF-8 in the tests). */
  g_assert_cmpstr (plain, ==, "1.234,56");
  g_assert_cmpstr (symbol, ==, "-R$\u00a00,05");
}

static void
test_format_round_trips (void)
{
  static const PdvMoney amounts[] = { 0, 1, 99, 100, 123456, 100000000, G_MAXINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_autofree char *br = pdv_money_format_for_locale (amounts[i], "pt_BR.UTF-8");
      g_autofree char *us = pdv_money_format_for_locale (amounts[i], "en_US.UTF-8");
      g_autofree char *plain = pdv_money_format_plain (amounts[i]);
      PdvMoney a = -1, b = -1, c = -1;

      g_assert_true (pdv_money_parse (br, 0, &a, NULL));
      g_assert_true (pdv_money_parse (us, 0, &b, NULL));
      g_assert_true (pdv_money_parse (plain, 0, &c, NULL));
      g_assert_cmpint (a, ==, amounts[i]);
      g_assert_cmpint (b, ==, amounts[i]);
      g_assert_cmpint (c, ==, amounts[i]);
    }
}

static void
test_arithmetic_overflow (void)
{
  g_autoptr(GError) error = NULL;
  PdvMoney out = 0;

  g_assert_true (pdv_money_add (1250, 750, &out, NULL));
  g_assert_cmpint (out, ==, 2000);
  g_assert_false (pdv_money_add (G_MAXINT64, 1, &out, &error));
  g_assert_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);
  g_assert_true (pdv_money_multiply (1250, 3, &out, NULL));
  g_assert_cmpint (out, ==, 3750);
  g_assert_false (pdv_money_multiply (G_MAXINT64 / 2, 3, &out, &error));
  g_assert_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_OVERFLOW);
}

/* Every installed locale parses what it formats: a cashier types back what
 * the screen showed. */
static void
test_round_trip_all_locales (void)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GHashTable) formats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const PdvMoney amounts[] = { 0, 5, 1250, 5000, 100000, 123456, 123456789, -1250 };
  guint n_locales = 0;
  guint failures = 0;

  g_assert_true (g_spawn_command_line_sync ("locale -a", &out, NULL, NULL, &error));
  g_assert_no_error (error);
  names = g_strsplit (out, "\n", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = names[i];

      if (!g_str_has_suffix (name, ".utf8") && !g_str_has_suffix (name, ".UTF-8"))
        continue;
      n_locales++;
      for (guint a = 0; a < G_N_ELEMENTS (amounts); a++)
        {
          g_autofree char *text = pdv_money_format_for_locale (amounts[a], name);
          g_autoptr(GError) parse_error = NULL;
          PdvMoney cents = 0;

          if (a == 5)
            g_hash_table_add (formats, g_strdup (text));
          if (!pdv_money_parse (text, PDV_MONEY_PARSE_ALLOW_NEGATIVE, &cents, &parse_error) || cents != amounts[a])
            {
              if (failures++ < 20)
                g_test_message ("%s: “%s” → %s", name, text,
                                parse_error ? parse_error->message : "another amount");
            }
        }
    }
  g_test_message ("%u locales, %u ways of writing R$ 1.234,56", n_locales, g_hash_table_size (formats));
  /* ./dev.sh installs locales-all: hundreds of locales, a dozen formats. */
  g_assert_cmpuint (n_locales, >=, 100);
  g_assert_cmpuint (g_hash_table_size (formats), >=, 5);
  g_assert_cmpuint (failures, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/round-trip/all-locales", test_round_trip_all_locales);
  g_test_add_func ("/money/average", test_average);
  g_test_add_func ("/money/parse/accepts", test_parse_accepts);
  g_test_add_func ("/money/parse/rejects", test_parse_rejects);
  g_test_add_func ("/money/parse/negative-allowed", test_parse_negative_allowed);
  g_test_add_func ("/money/format/pt-br", test_format_pt_br);
  g_test_add_func ("/money/format/en-us", test_format_en_us);
  g_test_add_func ("/money/format/current-locale", test_format_follows_current_locale);
  g_test_add_func ("/money/format/brazilian", test_format_brazilian_everywhere);
  g_test_add_func ("/money/format/round-trips", test_format_round_trips);
  g_test_add_func ("/money/arithmetic/overflow", test_arithmetic_overflow);

  return g_test_run ();
}

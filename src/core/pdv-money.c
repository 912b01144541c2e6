/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-money"
#define _GNU_SOURCE

#include "config.h"

#include <glib/gi18n-lib.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "pdv-money.h"

G_DEFINE_QUARK (pdv-money-error-quark, pdv_money_error)

typedef struct {
  const char *decimal_point;
  const char *thousands_sep;
  gboolean    symbol_precedes;
  gboolean    symbol_spaced;
  gboolean    without_symbol;
} MoneyStyle;

static gboolean
is_separator (char c)
{
  return c == '.' || c == ',';
}

static const char *
skip_spaces (const char *p)
{
  /* Accept ASCII blanks and the no-break spaces locales put after "R$". */
  for (;;)
    {
      if (*p == ' ' || *p == '\t')
        p++;
      else if ((guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0)
        p += 2;
      else if ((guchar) p[0] == 0xE2 && (guchar) p[1] == 0x80 && (guchar) p[2] == 0xAF)
        p += 3;
      else
        return p;
    }
}

static gboolean
invalid (GError **error, const char *text)
{
  g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_INVALID,
               _("“%s” is not an amount of money (examples: 12,50 or R$ 1.234,56)"), text);
  return FALSE;
}

/**
 * pdv_money_parse:
 * @text: what a person typed or a file holds, e.g. "12,50", "12.50", "R$ 1.234,56"
 * @flags: whether negative amounts are acceptable
 * @out_cents: (out): the amount in centavos
 *
 * The last separator is the decimal one when one or two digits follow it; a lone
 * separator followed by exactly three digits groups thousands ("1.234" is R$ 1234,00,
 * as a Brazilian reads it).
 */
gboolean
pdv_money_parse (const char          *text,
                 PdvMoneyParseFlags   flags,
                 PdvMoney            *out_cents,
                 GError             **error)
{
  const char *p;
  gboolean negative = FALSE;
  g_autofree char *digits = NULL;
  GString *buf;
  const char *start, *end;
  const char *last_sep = NULL;
  char last_sep_char = 0;
  guint n_sep_kinds = 0;
  gboolean seen_dot = FALSE, seen_comma = FALSE;
  guint64 units = 0;
  guint64 cents = 0;
  guint n_decimals = 0;
  gboolean has_decimal = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_cents != NULL, FALSE);

  p = skip_spaces (text);
  if (*p == '-')
    {
      negative = TRUE;
      p = skip_spaces (p + 1);
    }
  if (g_ascii_strncasecmp (p, "R$", 2) == 0)
    p = skip_spaces (p + 2);
  if (*p == '-' && !negative)
    {
      negative = TRUE;
      p = skip_spaces (p + 1);
    }

  start = p;
  end = start;
  while (g_ascii_isdigit (*end) || is_separator (*end))
    end++;
  if (*skip_spaces (end) != '\0' || start == end)
    return invalid (error, text);
  if (!g_ascii_isdigit (*start) || !g_ascii_isdigit (end[-1]))
    return invalid (error, text);

  for (p = start; p < end; p++)
    {
      if (*p == '.')
        seen_dot = TRUE;
      else if (*p == ',')
        seen_comma = TRUE;
      if (is_separator (*p))
        {
          if (is_separator (p[1]))
            return invalid (error, text);
          last_sep = p;
          last_sep_char = *p;
        }
    }
  n_sep_kinds = (seen_dot ? 1 : 0) + (seen_comma ? 1 : 0);

  if (last_sep != NULL)
    {
      gsize after = end - last_sep - 1;
      guint count_last = 0;

      for (p = start; p < end; p++)
        if (*p == last_sep_char)
          count_last++;

      if (n_sep_kinds == 2 || (count_last == 1 && after != 3))
        has_decimal = TRUE;
      if (has_decimal && count_last > 1)
        return invalid (error, text);
      if (has_decimal && after > 2)
        {
          g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_PRECISION,
                       _("“%s” has more than two decimal places"), text);
          return FALSE;
        }
    }

  /* Thousands groups, where present, must be of three digits. */
  {
    const char *int_end = has_decimal ? last_sep : end;
    const char *group_start = start;
    gboolean first = TRUE;

    for (p = start; p <= int_end; p++)
      {
        if (p == int_end || is_separator (*p))
          {
            gsize len = p - group_start;
            if ((first && (len == 0 || (len > 3 && p != int_end))) ||
                (!first && len != 3))
              return invalid (error, text);
            if (first && p != int_end && len > 3)
              return invalid (error, text);
            first = FALSE;
            group_start = p + 1;
          }
      }
  }

  buf = g_string_new (NULL);
  for (p = start; p < (has_decimal ? last_sep : end); p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (buf, *p);
  digits = g_string_free (buf, FALSE);

  for (p = digits; *p; p++)
    {
      guint d = *p - '0';
      if (units > ((guint64) G_MAXINT64 / 100 - d) / 10)
        {
          g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_OVERFLOW,
                       _("“%s” is too large an amount"), text);
          return FALSE;
        }
      units = units * 10 + d;
    }

  if (has_decimal)
    {
      for (p = last_sep + 1; p < end; p++, n_decimals++)
        cents = cents * 10 + (guint) (*p - '0');
      if (n_decimals == 1)
        cents *= 10;
    }

  if (units * 100 > (guint64) G_MAXINT64 - cents)
    {
      g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_OVERFLOW,
                   _("“%s” is too large an amount"), text);
      return FALSE;
    }

  if (negative && !(flags & PDV_MONEY_PARSE_ALLOW_NEGATIVE) && units * 100 + cents != 0)
    {
      g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_NEGATIVE,
                   _("“%s” is negative; a positive amount is needed here"), text);
      return FALSE;
    }

  *out_cents = (PdvMoney) (units * 100 + cents);
  if (negative)
    *out_cents = -*out_cents;
  return TRUE;
}

static char *
format_with_style (PdvMoney          cents,
                   const MoneyStyle *style)
{
  GString *out = g_string_new (NULL);
  guint64 magnitude;
  char int_digits[32];
  gsize n_int, i;

  /* G_MININT64 has no positive counterpart in gint64; go through guint64. */
  magnitude = cents < 0 ? (guint64) 0 - (guint64) cents : (guint64) cents;
  g_snprintf (int_digits, sizeof int_digits, "%" G_GUINT64_FORMAT, magnitude / 100);
  n_int = strlen (int_digits);

  if (cents < 0)
    g_string_append_c (out, '-');
  if (style->symbol_precedes && !style->without_symbol)
    {
      g_string_append (out, "R$");
      if (style->symbol_spaced)
        g_string_append (out, "\u00a0");
    }
  for (i = 0; i < n_int; i++)
    {
      if (i > 0 && (n_int - i) % 3 == 0)
        g_string_append (out, style->thousands_sep);
      g_string_append_c (out, int_digits[i]);
    }
  g_string_append (out, style->decimal_point);
  g_string_append_printf (out, "%02u", (guint) (magnitude % 100));
  if (!style->symbol_precedes && !style->without_symbol)
    g_string_append (out, "\u00a0R$");

  return g_string_free (out, FALSE);
}

static char *
format_with_locale (PdvMoney cents,
                    locale_t loc)
{
  MoneyStyle style = { 0 };
  const char *precedes = nl_langinfo_l (P_CS_PRECEDES, loc);
  const char *spaced = nl_langinfo_l (P_SEP_BY_SPACE, loc);

  style.decimal_point = nl_langinfo_l (MON_DECIMAL_POINT, loc);
  style.thousands_sep = nl_langinfo_l (MON_THOUSANDS_SEP, loc);
  /* The C locale defines no monetary conventions at all. */
  if (style.decimal_point == NULL || *style.decimal_point == '\0')
    style.decimal_point = ".";
  if (style.thousands_sep == NULL)
    style.thousands_sep = "";
  style.symbol_precedes = precedes == NULL || (*precedes != 0 && *precedes != CHAR_MAX) ? TRUE : FALSE;
  style.symbol_spaced = spaced != NULL && *spaced == 1;

  return format_with_style (cents, &style);
}

/**
 * pdv_money_format:
 * @cents: an amount in centavos
 *
 * Formats @cents as Brazilian reais following the separators of the current
 * LC_MONETARY locale: "R$ 1.234,56" in pt_BR, "R$1,234.56" in en_US.
 */
char *
pdv_money_format (PdvMoney cents)
{
  /* uselocale() may answer LC_GLOBAL_LOCALE, which nl_langinfo_l() cannot take. */
  locale_t loc = duplocale (uselocale ((locale_t) 0));
  char *ret;

  if (loc == (locale_t) 0)
    {
      MoneyStyle fallback = { ".", "", TRUE, TRUE, FALSE };
      return format_with_style (cents, &fallback);
    }
  ret = format_with_locale (cents, loc);
  freelocale (loc);
  return ret;
}

/**
 * pdv_money_format_for_locale:
 * @locale_name: e.g. "pt_BR.UTF-8"
 *
 * Like pdv_money_format() for a named locale; falls back to the current locale
 * when @locale_name is not installed.
 */
char *
pdv_money_format_for_locale (PdvMoney    cents,
                             const char *locale_name)
{
  locale_t loc;
  char *ret;

  g_return_val_if_fail (locale_name != NULL, NULL);

  loc = newlocale (LC_MONETARY_MASK, locale_name, (locale_t) 0);
  if (loc == (locale_t) 0)
    return pdv_money_format (cents);
  ret = format_with_locale (cents, loc);
  freelocale (loc);
  return ret;
}

/**
 * pdv_money_format_brazilian:
 * @with_symbol: whether to start with "R$ "
 *
 * The Brazilian form whatever the locale, for documents such as receipts:
 * "1.234,56" or "R$ 1.234,56" (with a no-break space).
 */
char *
pdv_money_format_brazilian (PdvMoney cents,
                            gboolean with_symbol)
{
  MoneyStyle style = { ",", ".", TRUE, TRUE, !with_symbol };

  return format_with_style (cents, &style);
}

/**
 * pdv_money_format_plain:
 *
 * A locale-independent form for files and logs: "-1234.56".
 */
char *
pdv_money_format_plain (PdvMoney cents)
{
  guint64 magnitude = cents < 0 ? (guint64) 0 - (guint64) cents : (guint64) cents;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u",
                          cents < 0 ? "-" : "", magnitude / 100, (guint) (magnitude % 100));
}

gboolean
pdv_money_add (PdvMoney  a,
               PdvMoney  b,
               PdvMoney *out,
               GError  **error)
{
  if (__builtin_add_overflow (a, b, out))
    {
      g_set_error_literal (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_OVERFLOW,
                           _("The total is too large to be represented"));
      return FALSE;
    }
  return TRUE;
}

gboolean
pdv_money_multiply (PdvMoney  amount,
                    gint64    factor,
                    PdvMoney *out,
                    GError  **error)
{
  if (__builtin_mul_overflow (amount, factor, out))
    {
      g_set_error_literal (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_OVERFLOW,
                           _("The total is too large to be represented"));
      return FALSE;
    }
  return TRUE;
}

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
invalid (GError **error, const char *text)
{
  g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_INVALID,
               _("“%s” is not an amount of money (examples: 12,50 or R$ 1.234,56)"), text);
  return FALSE;
}

/* Marks that right-to-left locales put around numbers and signs. */
static gboolean
is_invisible (gunichar c)
{
  return c == 0x200B || c == 0x200E || c == 0x200F || c == 0x061C || c == 0x2066 || c == 0x2067 ||
         c == 0x2068 || c == 0x2069;
}

/* What separates groups of thousands and nothing else: blanks of every
 * width, apostrophes (Switzerland) and the Arabic thousands separator. */
static gboolean
is_group_only (gunichar c)
{
  return g_unichar_isspace (c) || c == '\'' || c == 0x2019 || c == 0x066C;
}

static const char *
skip_invisible (const char *p)
{
  while (*p != '\0' && is_invisible (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  return p;
}

/* @text, as a run of ASCII digits and separators ('.', ',' or ' ' for a
 * group-only one), with its sign and currency symbol read off around it. */
static gboolean
read_number (const char  *text,
             GString     *number,
             gboolean    *out_negative)
{
  gboolean negative = FALSE, symbol = FALSE, in_number = FALSE, after_number = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);
      int digit = g_unichar_digit_value (c);

      if (is_invisible (c))
        ;
      else if (digit >= 0)
        {
          if (after_number)
            return FALSE;
          in_number = TRUE;
          g_string_append_c (number, (char) ('0' + digit));
        }
      else if (in_number && (c == '.' || c == ',' || c == 0x066B || is_group_only (c)))
        {
          /* A separator only between digits; anything else ends the number. */
          if (g_unichar_digit_value (g_utf8_get_char (skip_invisible (next))) >= 0)
            g_string_append_c (number, c == '.' ? '.' : c == ',' || c == 0x066B ? ',' : ' ');
          else if (g_unichar_isspace (c))
            {
              in_number = FALSE;
              after_number = TRUE;
            }
          else
            return FALSE;
        }
      else if (g_unichar_isspace (c))
        {
          if (in_number)
            {
              in_number = FALSE;
              after_number = TRUE;
            }
        }
      else if (c == '-' || c == 0x2212)
        {
          if (negative)
            return FALSE;
          negative = TRUE;
          if (in_number)
            {
              in_number = FALSE;
              after_number = TRUE;
            }
        }
      else if (!symbol && g_ascii_strncasecmp (p, "R$", 2) == 0)
        {
          symbol = TRUE;
          next = p + 2;
          if (in_number)
            {
              in_number = FALSE;
              after_number = TRUE;
            }
        }
      else
        return FALSE;
      p = next;
    }
  *out_negative = negative;
  return number->len > 0;
}

/**
 * pdv_money_parse:
 * @text: what a person typed or a file holds, e.g. "12,50", "12.50",
 *   "R$ 1.234,56", "1 234,56 R$", "R$1'234.56"
 * @flags: whether negative amounts are acceptable
 * @out_cents: (out): the amount in centavos
 *
 * Reads what any locale writes: "R$" before or after, the sign on either
 * side, "." or "," as the decimal separator, and ".", ",", blanks or
 * apostrophes between thousands. With both "." and "," the last one is
 * decimal; a lone separator followed by one or two digits is decimal. A lone
 * separator followed by exactly three digits ("6,000", "1.234") is refused as
 * ambiguous: in a file it is as often a price with three decimals as
 * thousands, and reading one as the other is a thousandfold mistake.
 */
gboolean
pdv_money_parse (const char          *text,
                 PdvMoneyParseFlags   flags,
                 PdvMoney            *out_cents,
                 GError             **error)
{
  g_autoptr(GString) number = g_string_new (NULL);
  gboolean negative = FALSE;
  const char *start, *end, *p;
  const char *last_sep = NULL;
  char decimal = 0;
  char group = 0;
  guint64 units = 0;
  guint64 cents = 0;
  guint n_decimals = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_cents != NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL) || !read_number (text, number, &negative))
    return invalid (error, text);
  start = number->str;
  end = start + number->len;

  for (p = start; p < end; p++)
    if (!g_ascii_isdigit (*p))
      last_sep = p;

  if (last_sep != NULL && *last_sep != ' ')
    {
      gsize after = end - last_sep - 1;
      gboolean other_kinds = FALSE;
      guint same = 0;

      for (p = start; p < end; p++)
        {
          if (*p == *last_sep)
            same++;
          else if (!g_ascii_isdigit (*p))
            other_kinds = TRUE;
        }
      if (other_kinds || (same == 1 && after != 3))
        decimal = *last_sep;
      else if (same == 1)
        {
          g_autoptr(GString) whole = g_string_new (NULL);

          for (p = start; p < end; p++)
            if (g_ascii_isdigit (*p))
              g_string_append_c (whole, *p);
          g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_AMBIGUOUS,
                       /* Translators: the second %s is the amount without its separator, e.g. 6000 */
                       _("“%s” is ambiguous (thousands, or three decimal places?): write %s,00 for "
                         "thousands, or at most two decimal places"), text, whole->str);
          return FALSE;
        }
      if (decimal != 0 && same > 1)
        return invalid (error, text);
      if (decimal != 0 && after > 2)
        {
          g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_PRECISION,
                       _("“%s” has more than two decimal places"), text);
          return FALSE;
        }
    }

  /* Thousands groups, where present, are of three digits, all set apart by
   * the same separator, which is not the decimal one. */
  {
    const char *int_end = decimal != 0 ? last_sep : end;
    const char *group_start = start;

    for (p = start; p <= int_end; p++)
      {
        gsize len;

        if (p != int_end && g_ascii_isdigit (*p))
          continue;
        len = p - group_start;
        if (group_start == start ? (len == 0 || (len > 3 && p != int_end)) : len != 3)
          return invalid (error, text);
        if (p != int_end)
          {
            if ((group != 0 && *p != group) || *p == decimal)
              return invalid (error, text);
            group = *p;
          }
        group_start = p + 1;
      }
  }

  for (p = start; p < (decimal != 0 ? last_sep : end); p++)
    {
      guint d;

      if (!g_ascii_isdigit (*p))
        continue;
      d = *p - '0';
      if (units > ((guint64) G_MAXINT64 / 100 - d) / 10)
        {
          g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_OVERFLOW,
                       _("“%s” is too large an amount"), text);
          return FALSE;
        }
      units = units * 10 + d;
    }

  if (decimal != 0)
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

/**
 * pdv_money_average:
 * @count: how many; more than zero
 *
 * @total shared over @count, to the nearest centavo, a half centavo rounded
 * away from zero (R$ 80,30 over 3 is R$ 26,77, not R$ 26,76).
 */
PdvMoney
pdv_money_average (PdvMoney total,
                   gint64   count)
{
  PdvMoney quotient, remainder;

  g_return_val_if_fail (count > 0, 0);

  quotient = total / count;
  remainder = total % count;
  /* |remainder| * 2 >= count, without overflowing. */
  if (remainder >= 0 ? remainder >= count - remainder : -remainder >= count + remainder)
    quotient += total >= 0 ? 1 : -1;
  return quotient;
}

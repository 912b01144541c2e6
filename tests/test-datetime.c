/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pdv-test-util.h"

typedef struct {
  const char       *date_format;
  const char       *time_format;
  const char       *ampm;
  PdvDatetimeStyle  style;
  const char       *expected;
} PatternCase;

/* The patterns of real locales (as `locale d_fmt t_fmt t_fmt_ampm` prints
 * them), taken apart into the styles the screens and the paper use. */
static void
test_patterns (void)
{
  static const PatternCase cases[] = {
    /* pt_BR */
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_TIME, "%H:%M" },
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_TIME_SECONDS, "%H:%M:%S" },
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_HOUR, "%H:00" },
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_DAY, "%d/%m" },
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_DAY_TIME, "%d/%m %H:%M" },
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_DAY_HOUR, "%d/%m %H:00" },
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_DATE, "%d/%m/%Y" },
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_DATE_TIME, "%d/%m/%Y %H:%M" },
    { "%d/%m/%Y", "%T", "", PDV_DATETIME_DATE_TIME_SECONDS, "%d/%m/%Y %H:%M:%S" },
    /* es_ES, en_GB: two-digit years become four */
    { "%d/%m/%y", "%T", "", PDV_DATETIME_DATE, "%d/%m/%Y" },
    { "%d/%m/%y", "%T", "%l:%M:%S %P %Z", PDV_DATETIME_DAY_TIME, "%d/%m %H:%M" },
    /* en_US: month first, a 12-hour clock */
    { "%m/%d/%Y", "%r", "%I:%M:%S %p", PDV_DATETIME_TIME, "%I:%M %p" },
    { "%m/%d/%Y", "%r", "%I:%M:%S %p", PDV_DATETIME_TIME_SECONDS, "%I:%M:%S %p" },
    { "%m/%d/%Y", "%r", "%I:%M:%S %p", PDV_DATETIME_HOUR, "%I:00 %p" },
    { "%m/%d/%Y", "%r", "%I:%M:%S %p", PDV_DATETIME_DAY, "%m/%d" },
    { "%m/%d/%Y", "%r", "%I:%M:%S %p", PDV_DATETIME_DATE_TIME, "%m/%d/%Y %I:%M %p" },
    /* %r with no 12-hour pattern of the locale's */
    { "%m/%d/%Y", "%r", "", PDV_DATETIME_TIME, "%I:%M %p" },
    /* de_DE */
    { "%d.%m.%Y", "%T", "", PDV_DATETIME_DAY, "%d.%m" },
    /* hu_HU, fr_CA: year first, its separator after it */
    { "%Y-%m-%d", "%H:%M:%S", "%H:%M:%S", PDV_DATETIME_DAY, "%m-%d" },
    { "%Y-%m-%d", "%T", "", PDV_DATETIME_DATE_TIME, "%Y-%m-%d %H:%M" },
    /* ja_JP: the units are written after each number */
    { "%Y年%m月%d日", "%H時%M分%S秒", "%p%I時%M分%S秒", PDV_DATETIME_DAY, "%m月%d日" },
    { "%Y年%m月%d日", "%H時%M分%S秒", "%p%I時%M分%S秒", PDV_DATETIME_TIME, "%H時%M分" },
    { "%Y年%m月%d日", "%H時%M分%S秒", "%p%I時%M分%S秒", PDV_DATETIME_HOUR, "%H時00分" },
    /* modifiers and composites */
    { "%-d/%-m/%Ey", "%R", "", PDV_DATETIME_DAY, "%-d/%-m" },
    { "%-d/%-m/%Ey", "%R", "", PDV_DATETIME_DATE_TIME_SECONDS, "%-d/%-m/%Ey %H:%M" },
    { "%D", "%T", "", PDV_DATETIME_DATE, "%m/%d/%Y" },
    { "%F", "%T", "", PDV_DATETIME_DAY, "%m-%d" },
    { "%d de %m, %Y 100%%", "%T", "", PDV_DATETIME_DATE, "%d de %m, %Y 100%%" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const PatternCase *c = &cases[i];
      g_autofree char *pattern = pdv_datetime_pattern (c->style, c->date_format, c->time_format, c->ampm);

      g_test_message ("%s | %s | %s, style %d", c->date_format, c->time_format, c->ampm, c->style);
      g_assert_cmpstr (pattern, ==, c->expected);
    }
}

static void
require_locale (const char *name)
{
  locale_t locale = newlocale (LC_ALL_MASK, name, (locale_t) 0);

  if (locale == (locale_t) 0)
    g_error ("The locale %s is not installed (Debian's locales-all has it)", name);
  freelocale (locale);
}

typedef struct {
  const char       *locale;
  PdvDatetimeStyle  style;
  const char       *expected;
} LocaleCase;

/* A moment shown in the event's zone, in the locales of the people who use
 * the terminal, with the process's own locale left alone. */
static void
test_locales (void)
{
  static const LocaleCase cases[] = {
    { "pt_BR.UTF-8", PDV_DATETIME_DATE_TIME, "07/12/2026 21:30" },
    { "pt_BR.UTF-8", PDV_DATETIME_DAY_TIME, "07/12 21:30" },
    { "pt_BR.UTF-8", PDV_DATETIME_TIME_SECONDS, "21:30:05" },
    { "es_AR.UTF-8", PDV_DATETIME_DATE_TIME, "07/12/2026 21:30" },
    { "es_ES.UTF-8", PDV_DATETIME_DATE, "07/12/2026" },
    { "en_US.UTF-8", PDV_DATETIME_DATE_TIME, "12/07/2026 09:30 PM" },
    { "en_US.UTF-8", PDV_DATETIME_HOUR, "09:00 PM" },
    { "de_DE.UTF-8", PDV_DATETIME_DAY, "07.12" },
    { "ja_JP.UTF-8", PDV_DATETIME_DAY, "12月07日" },
    { "C.UTF-8", PDV_DATETIME_DATE_TIME_SECONDS, "2026-12-07 21:30:05" },
    { "C", PDV_DATETIME_DAY_HOUR, "12-07 21:00" },
  };
  g_autoptr(GTimeZone) event_zone = g_time_zone_new_identifier ("America/Sao_Paulo");
  /* 00:30 UTC on the 8th is 21:30 on the 7th in São Paulo. */
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 ("2026-12-08T00:30:05Z", NULL);
  const char *before = setlocale (LC_TIME, NULL);
  g_autofree char *process_locale = g_strdup (before);

  g_assert_nonnull (event_zone);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const LocaleCase *c = &cases[i];
      g_autofree char *text = NULL;

      require_locale (c->locale);
      text = pdv_datetime_format_for_locale (utc, event_zone, c->style, c->locale);
      g_test_message ("%s, style %d", c->locale, c->style);
      g_assert_cmpstr (text, ==, c->expected);
    }
  g_assert_cmpstr (setlocale (LC_TIME, NULL), ==, process_locale);
}

/* The process's own locale is followed, and the journal's texts read. */
static void
test_current_locale (void)
{
  g_autoptr(GTimeZone) event_zone = g_time_zone_new_identifier ("America/Sao_Paulo");
  g_autofree char *before = g_strdup (setlocale (LC_ALL, NULL));
  g_autofree char *c_text = NULL;
  g_autofree char *pt_text = NULL;

  require_locale ("pt_BR.UTF-8");
  c_text = pdv_datetime_format_iso8601 ("2026-12-08T00:30:05.123456Z", event_zone, PDV_DATETIME_DATE_TIME);
  g_assert_nonnull (setlocale (LC_ALL, "pt_BR.UTF-8"));
  pt_text = pdv_datetime_format_iso8601 ("2026-12-08T00:30:05.123456Z", event_zone, PDV_DATETIME_DATE_TIME);
  setlocale (LC_ALL, before);

  g_assert_cmpstr (c_text, ==, "2026-12-07 21:30");
  g_assert_cmpstr (pt_text, ==, "07/12/2026 21:30");

  /* Without a zone, the moment's own. */
  {
    g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-12-07T21:30:05-03:00", NULL);
    g_autofree char *text = pdv_datetime_format (at, NULL, PDV_DATETIME_TIME);

    g_assert_cmpstr (text, ==, "21:30");
  }

  g_assert_null (pdv_datetime_format_iso8601 (NULL, event_zone, PDV_DATETIME_TIME));
  g_assert_null (pdv_datetime_format_iso8601 ("yesterday", event_zone, PDV_DATETIME_TIME));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/datetime/patterns", test_patterns);
  g_test_add_func ("/datetime/locales", test_locales);
  g_test_add_func ("/datetime/current-locale", test_current_locale);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much of a moment a person is shown. The order of day, month and year,
 * their separators and the 12- or 24-hour clock are the locale's (LC_TIME);
 * years always have four digits. In the C locale, ISO 8601. */
typedef enum {
  PDV_DATETIME_TIME,               /* 21:30          9:30 PM */
  PDV_DATETIME_TIME_SECONDS,       /* 21:30:05 */
  PDV_DATETIME_HOUR,               /* 21:00, the start of an hour */
  PDV_DATETIME_DAY,                /* 07/12          12/07      (no year) */
  PDV_DATETIME_DAY_TIME,           /* 07/12 21:30 */
  PDV_DATETIME_DAY_HOUR,           /* 07/12 21:00 */
  PDV_DATETIME_DATE,               /* 07/12/2026     2026-12-07 */
  PDV_DATETIME_DATE_TIME,          /* 07/12/2026 21:30 */
  PDV_DATETIME_DATE_TIME_SECONDS,  /* 07/12/2026 21:30:05 */
} PdvDatetimeStyle;

char *pdv_datetime_format            (GDateTime         *time,
                                      GTimeZone         *zone,
                                      PdvDatetimeStyle   style);
char *pdv_datetime_format_iso8601    (const char        *iso8601,
                                      GTimeZone         *zone,
                                      PdvDatetimeStyle   style);
char *pdv_datetime_format_for_locale (GDateTime         *time,
                                      GTimeZone         *zone,
                                      PdvDatetimeStyle   style,
                                      const char        *locale_name);

/* The g_date_time_format() pattern behind a style, for a locale given by
 * its LC_TIME patterns (as nl_langinfo() answers them). */
char *pdv_datetime_pattern           (PdvDatetimeStyle   style,
                                      const char        *date_format,
                                      const char        *time_format,
                                      const char        *time_format_ampm);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-datetime"

#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "pdv-datetime.h"

/* A pattern is read as directives ("%d", "%-I", "%Ey") and the text between
 * them ("/", " de ", "年"), so that a part (the year, the seconds) can be
 * taken out with the separator that goes with it. */
typedef struct {
  char     *raw;
  gboolean  directive;
  char      conversion;  /* directives only */
} Piece;

static void
piece_clear (gpointer data)
{
  Piece *piece = data;

  g_free (piece->raw);
}

static void
add_literal (GArray     *pieces,
             const char *text,
             gsize       length)
{
  Piece *last = pieces->len > 0 ? &g_array_index (pieces, Piece, pieces->len - 1) : NULL;

  if (length == 0)
    return;
  if (last != NULL && !last->directive)
    {
      char *joined = g_strdup_printf ("%s%.*s", last->raw, (int) length, text);

      g_free (last->raw);
      last->raw = joined;
    }
  else
    {
      Piece piece = { g_strndup (text, length), FALSE, 0 };

      g_array_append_val (pieces, piece);
    }
}

/* The composite directives written out, so that their parts can be
 * removed: %T, %R, %D, %F and %r (the locale's 12-hour pattern); two-digit
 * years become four. */
static const char *
expansion (char        conversion,
           const char *ampm)
{
  switch (conversion)
    {
    case 'T': return "%H:%M:%S";
    case 'R': return "%H:%M";
    case 'D': return "%m/%d/%Y";
    case 'F': return "%Y-%m-%d";
    case 'r': return ampm != NULL && *ampm != '\0' && strstr (ampm, "%r") == NULL ? ampm : "%I:%M:%S %p";
    default:  return NULL;
    }
}

static void
parse (GArray     *pieces,
       const char *pattern,
       const char *ampm,
       guint       depth)
{
  const char *p = pattern;

  while (*p != '\0')
    {
      const char *start = p;
      const char *expanded;
      char conversion;

      if (*p != '%')
        {
          while (*p != '\0' && *p != '%')
            p++;
          add_literal (pieces, start, p - start);
          continue;
        }
      if (p[1] == '%')
        {
          add_literal (pieces, p, 2);
          p += 2;
          continue;
        }
      p++;
      while (*p != '\0' && strchr ("-_0^#", *p) != NULL)
        p++;
      if (*p == 'E' || *p == 'O')
        p++;
      if (*p == '\0')
        {
          add_literal (pieces, "%%", 2);
          break;
        }
      conversion = *p++;
      expanded = depth == 0 ? expansion (conversion, ampm) : NULL;
      if (expanded != NULL)
        parse (pieces, expanded, ampm, depth + 1);
      else
        {
          Piece piece = { NULL, TRUE, conversion };

          /* A year of two digits is ambiguous on a document that is kept. */
          if (conversion == 'y' && p - start == 2)
            piece.raw = g_strdup ("%Y");
          else
            piece.raw = g_strndup (start, p - start);
          g_array_append_val (pieces, piece);
        }
    }
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Takes out the first directive whose conversion is one of @conversions,
 * with its separator: the text after it when that text is its own (年, 秒,
 * "h"), the text before it otherwise ("/" in "%d/%m/%Y", ":" in "%H:%M:%S"). */
static void
remove_part (GArray     *pieces,
             const char *conversions)
{
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = &g_array_index (pieces, Piece, i);
      Piece *next = i + 1 < pieces->len ? &g_array_index (pieces, Piece, i + 1) : NULL;
      Piece *previous = i > 0 ? &g_array_index (pieces, Piece, i - 1) : NULL;

      if (!piece->directive || strchr (conversions, piece->conversion) == NULL)
        continue;
      if (next != NULL && !next->directive && !is_blank (next->raw))
        g_array_remove_range (pieces, i, 2);
      else if (previous != NULL && !previous->directive)
        g_array_remove_range (pieces, i - 1, 2);
      else if (next != NULL && !next->directive)
        g_array_remove_range (pieces, i, 2);
      else
        g_array_remove_index (pieces, i);
      return;
    }
}

static void
replace_minutes (GArray *pieces)
{
  for (guint i = 0; i < pieces->len; i++)
    {
      Piece *piece = &g_array_index (pieces, Piece, i);

      if (piece->directive && piece->conversion == 'M')
        {
          g_free (piece->raw);
          piece->raw = g_strdup ("00");
          piece->directive = FALSE;
          piece->conversion = 0;
        }
    }
}

static char *
join (GArray *pieces)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < pieces->len; i++)
    g_string_append (text, g_array_index (pieces, Piece, i).raw);
  return g_strstrip (g_string_free (text, FALSE));
}

static GArray *
pieces_new (void)
{
  GArray *pieces = g_array_new (FALSE, TRUE, sizeof (Piece));

  g_array_set_clear_func (pieces, piece_clear);
  return pieces;
}

static char *
date_pattern (const char *date_format,
              gboolean    with_year)
{
  g_autoptr(GArray) pieces = pieces_new ();

  parse (pieces, date_format, NULL, 0);
  if (!with_year)
    remove_part (pieces, "YyCGg");
  return join (pieces);
}

static char *
time_pattern (const char *time_format,
              const char *ampm,
              gboolean    seconds,
              gboolean    hour_only)
{
  g_autoptr(GArray) pieces = pieces_new ();

  parse (pieces, time_format, ampm, 0);
  if (!seconds)
    remove_part (pieces, "S");
  if (hour_only)
    replace_minutes (pieces);
  return join (pieces);
}

/**
 * pdv_datetime_pattern:
 * @date_format: the locale's D_FMT
 * @time_format: the locale's T_FMT
 * @time_format_ampm: (nullable): the locale's T_FMT_AMPM, for "%r"
 *
 * Returns: the g_date_time_format() pattern for @style.
 */
char *
pdv_datetime_pattern (PdvDatetimeStyle  style,
                      const char       *date_format,
                      const char       *time_format,
                      const char       *time_format_ampm)
{
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  g_return_val_if_fail (date_format != NULL, NULL);
  g_return_val_if_fail (time_format != NULL, NULL);

  switch (style)
    {
    case PDV_DATETIME_TIME:
      return time_pattern (time_format, time_format_ampm, FALSE, FALSE);
    case PDV_DATETIME_TIME_SECONDS:
      return time_pattern (time_format, time_format_ampm, TRUE, FALSE);
    case PDV_DATETIME_HOUR:
      return time_pattern (time_format, time_format_ampm, FALSE, TRUE);
    case PDV_DATETIME_DAY:
      return date_pattern (date_format, FALSE);
    case PDV_DATETIME_DATE:
      return date_pattern (date_format, TRUE);
    case PDV_DATETIME_DAY_TIME:
    case PDV_DATETIME_DAY_HOUR:
      date = date_pattern (date_format, FALSE);
      time = time_pattern (time_format, time_format_ampm, FALSE, style == PDV_DATETIME_DAY_HOUR);
      break;
    case PDV_DATETIME_DATE_TIME:
    case PDV_DATETIME_DATE_TIME_SECONDS:
      date = date_pattern (date_format, TRUE);
      time = time_pattern (time_format, time_format_ampm, style == PDV_DATETIME_DATE_TIME_SECONDS, FALSE);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  return g_strconcat (date, " ", time, NULL);
}

static gboolean
is_posix_locale (void)
{
  const char *name;

#ifdef _NL_LOCALE_NAME
  name = nl_langinfo (_NL_LOCALE_NAME (LC_TIME));
#else
  name = setlocale (LC_TIME, NULL);
#endif
  if (name == NULL || *name == '\0')
    return TRUE;
  return g_str_equal (name, "C") || g_str_equal (name, "POSIX") || g_str_has_prefix (name, "C.");
}

/* With the locale in use on this thread. */
static char *
format_here (GDateTime        *time,
             GTimeZone        *zone,
             PdvDatetimeStyle  style)
{
  g_autoptr(GDateTime) local = zone != NULL ? g_date_time_to_timezone (time, zone) : g_date_time_ref (time);
  const char *date_format = nl_langinfo (D_FMT);
  const char *time_format = nl_langinfo (T_FMT);
  const char *ampm = nl_langinfo (T_FMT_AMPM);
  g_autofree char *pattern = NULL;

  /* The C locale's "%m/%d/%y" is nobody's: dates in it are ISO 8601. */
  if (is_posix_locale () || !g_utf8_validate (date_format, -1, NULL) || !g_utf8_validate (time_format, -1, NULL)
      || *date_format == '\0' || *time_format == '\0')
    {
      date_format = "%Y-%m-%d";
      time_format = "%H:%M:%S";
      ampm = NULL;
    }
  else if (!g_utf8_validate (ampm, -1, NULL))
    ampm = NULL;
  pattern = pdv_datetime_pattern (style, date_format, time_format, ampm);
  return g_date_time_format (local, pattern);
}

/**
 * pdv_datetime_format:
 * @time: a moment
 * @zone: (nullable): the zone to show it in (the event's); %NULL: @time's own
 *
 * Returns: @time as a person of this locale reads it, or %NULL if it cannot
 * be written (a year beyond 9999).
 */
char *
pdv_datetime_format (GDateTime        *time,
                     GTimeZone        *zone,
                     PdvDatetimeStyle  style)
{
  g_return_val_if_fail (time != NULL, NULL);

  return format_here (time, zone, style);
}

/**
 * pdv_datetime_format_iso8601:
 * @iso8601: (nullable): a moment as the journal writes it
 *
 * Returns: (nullable): like pdv_datetime_format(); %NULL when @iso8601 is
 * %NULL or not a moment.
 */
char *
pdv_datetime_format_iso8601 (const char       *iso8601,
                             GTimeZone        *zone,
                             PdvDatetimeStyle  style)
{
  g_autoptr(GDateTime) time = NULL;

  if (iso8601 == NULL)
    return NULL;
  time = g_date_time_new_from_iso8601 (iso8601, NULL);
  return time != NULL ? format_here (time, zone, style) : NULL;
}

/**
 * pdv_datetime_format_for_locale:
 * @locale_name: e.g. "es_AR.UTF-8"; the current locale when it is not
 *   installed
 *
 * Like pdv_datetime_format() in another locale, without touching the
 * process's.
 */
char *
pdv_datetime_format_for_locale (GDateTime        *time,
                                GTimeZone        *zone,
                                PdvDatetimeStyle  style,
                                const char       *locale_name)
{
  locale_t wanted;
  locale_t previous;
  char *text;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (locale_name != NULL, NULL);

  wanted = newlocale (LC_ALL_MASK, locale_name, (locale_t) 0);
  if (wanted == (locale_t) 0)
    return format_here (time, zone, style);
  previous = uselocale (wanted);
  text = format_here (time, zone, style);
  uselocale (previous);
  freelocale (wanted);
  return text;
}

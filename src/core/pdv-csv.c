/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <langinfo.h>
#include <string.h>

#include "pdv-csv.h"
#include "pdv-import.h"

void
pdv_csv_record_free (PdvCsvRecord *record)
{
  if (record == NULL)
    return;
  g_strfreev (record->fields);
  g_free (record);
}

/**
 * pdv_csv_detect_separator:
 *
 * ';' when the first record (the header) has more semicolons than commas
 * outside quotes, as spreadsheets in Brazilian locales export; ',' otherwise.
 */
char
pdv_csv_detect_separator (const char *text,
                          gsize       length)
{
  guint commas = 0, semicolons = 0;
  gboolean quoted = FALSE;

  for (gsize i = 0; i < length && (quoted || (text[i] != '\n' && text[i] != '\r')); i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (!quoted && text[i] == ',')
        commas++;
      else if (!quoted && text[i] == ';')
        semicolons++;
    }
  return semicolons > commas ? ';' : ',';
}

/**
 * pdv_csv_next_record:
 * @text: where the previous record ended
 * @at_end: whether @text runs to the end of the file; if not, a record that
 *   reaches the end of @text is left for a call with more text
 * @line: (inout): the line @text starts on; moved past what was consumed
 * @consumed: (out): bytes of @text the record (and blank lines before it) took
 * @record: (out) (transfer full) (nullable): the record; %NULL with %TRUE
 *   returned when there is none yet (more text needed, or the end)
 *
 * Reads one record of RFC 4180 CSV, skipping blank lines.
 *
 * Returns: %FALSE with @error set on a syntax error
 */
gboolean
pdv_csv_next_record (const char    *text,
                     gsize          length,
                     gboolean       at_end,
                     char           separator,
                     const char    *file_name,
                     guint         *line,
                     gsize         *consumed,
                     PdvCsvRecord **record,
                     GError       **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  guint here = *line;
  guint record_line = here;
  gsize i = 0;
  gboolean blank = TRUE;
  gboolean field_started = FALSE;

  *consumed = 0;
  *record = NULL;

  while (i <= length)
    {
      gboolean at_text_end = i == length;
      char c = at_text_end ? '\n' : text[i];

      if (at_text_end && !at_end)
        return TRUE; /* the record may go on in text not read yet */

      if (c == '"' && !field_started)
        {
          /* A quoted field: runs to the next lone quote. */
          guint quote_line = here;

          i++;
          for (;;)
            {
              if (i >= length || (i + 1 == length && text[i] == '"' && !at_end))
                {
                  if (!at_end)
                    return TRUE;
                  g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                               _("%s:%u: a quoted field is never closed"), file_name, quote_line);
                  return FALSE;
                }
              if (text[i] == '"')
                {
                  if (i + 1 < length && text[i + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              if (text[i] == '\n')
                here++;
              g_string_append_c (field, text[i]);
              i++;
            }
          blank = FALSE;
          field_started = TRUE;
          if (i < length && text[i] != separator && text[i] != '\n' && text[i] != '\r')
            {
              g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                           _("%s:%u: unexpected text after a closing quote"), file_name, here);
              return FALSE;
            }
          continue;
        }

      if (c == separator)
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          blank = FALSE;
          field_started = FALSE;
          i++;
          continue;
        }

      if (c == '\r' || c == '\n')
        {
          if (c == '\r' && i + 1 == length && !at_end)
            return TRUE; /* CR LF split across reads */
          if (!at_text_end)
            {
              if (c == '\r' && i + 1 < length && text[i + 1] == '\n')
                i++;
              i++;
              here++;
            }
          if (!blank || field->len > 0)
            {
              PdvCsvRecord *found = g_new0 (PdvCsvRecord, 1);

              g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
              g_ptr_array_add (fields, NULL);
              found->line = record_line;
              found->fields = (GStrv) g_ptr_array_steal (fields, NULL);
              *record = found;
              *consumed = i;
              *line = here;
              return TRUE;
            }
          /* A blank line: skipped. */
          *consumed = i;
          *line = here;
          if (at_text_end)
            return TRUE;
          record_line = here;
          blank = TRUE;
          field_started = FALSE;
          continue;
        }

      if (c == '"')
        {
          g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                       _("%s:%u: a quote inside an unquoted field (enclose the field in quotes "
                         "and double the quote)"), file_name, here);
          return FALSE;
        }

      g_string_append_c (field, c);
      blank = FALSE;
      field_started = TRUE;
      i++;
    }

  return TRUE;
}

/**
 * pdv_csv_parse:
 *
 * Returns: (transfer container) (element-type PdvCsvRecord): the records,
 *   header first; blank lines are skipped
 */
GPtrArray *
pdv_csv_parse (const char  *text,
               gsize        length,
               const char  *file_name,
               GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_csv_record_free);
  char separator;
  guint line = 1;
  gsize at = 0;

  /* The mark spreadsheets put before UTF-8. */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    at = 3;
  separator = pdv_csv_detect_separator (text + at, length - at);

  for (;;)
    {
      PdvCsvRecord *record;
      gsize consumed;

      if (!pdv_csv_next_record (text + at, length - at, TRUE, separator, file_name, &line, &consumed,
                                &record, error))
        return NULL;
      at += consumed;
      if (record == NULL)
        break;
      g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}

/* A plain number: a sign, digits, at most one point (or comma). */
static gboolean
is_number (const char *value)
{
  const char *p = value;
  gboolean digits = FALSE, point = FALSE;

  if (*p == '-' || *p == '+')
    p++;
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if ((*p == '.' || *p == ',') && !point)
        point = TRUE;
      else
        return FALSE;
    }
  return digits;
}

/**
 * pdv_csv_writer_init:
 *
 * Starts a CSV text. %PDV_CSV_SPREADSHEET is for the person's spreadsheet:
 * a UTF-8 byte order mark (without it spreadsheets read the text as Latin-1),
 * and where this locale writes numbers with a decimal comma (pt_BR, es…)
 * fields separated by ';' and amounts with a comma, as those spreadsheets
 * read them; ',' and '.' elsewhere. %PDV_CSV_RFC4180 is for programs: ','
 * and '.', no mark. Both end records with CRLF.
 */
void
pdv_csv_writer_init (PdvCsvWriter  *writer,
                     PdvCsvDialect  dialect)
{
  memset (writer, 0, sizeof *writer);
  writer->out = g_string_new (NULL);
  writer->separator = ',';
  writer->decimal = '.';
  if (dialect == PDV_CSV_SPREADSHEET)
    {
      const char *radix = nl_langinfo (RADIXCHAR);

      g_string_append (writer->out, "\xEF\xBB\xBF");
      if (radix != NULL && g_str_equal (radix, ","))
        {
          writer->separator = ';';
          writer->decimal = ',';
        }
    }
}

static void
next_field (PdvCsvWriter *writer)
{
  if (writer->fields++ > 0)
    g_string_append_c (writer->out, writer->separator);
}

/**
 * pdv_csv_writer_text:
 * @value: (nullable): the field; %NULL for an empty one
 *
 * Appends a text field, quoted as RFC 4180 says. A text a spreadsheet would
 * run as a formula (a product named "=HYPERLINK(…)", a drop's reason
 * "-cmd") is kept as text by a leading apostrophe.
 */
void
pdv_csv_writer_text (PdvCsvWriter *writer,
                     const char   *value)
{
  const char specials[] = { writer->separator, '"', '\r', '\n', '\0' };
  gboolean formula;

  next_field (writer);
  if (value == NULL)
    return;
  formula = *value != '\0' && strchr ("=+-@\t\r", *value) != NULL && !is_number (value);
  if (!formula && strpbrk (value, specials) == NULL)
    {
      g_string_append (writer->out, value);
      return;
    }
  g_string_append_c (writer->out, '"');
  if (formula)
    g_string_append_c (writer->out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (writer->out, '"');
      g_string_append_c (writer->out, *p);
    }
  g_string_append_c (writer->out, '"');
}

/**
 * pdv_csv_writer_number:
 * @plain: (nullable): digits with an optional sign and decimal point
 *   ("-1234.56"); %NULL or "" for an empty field
 *
 * Appends a number with the dialect's decimal separator.
 */
void
pdv_csv_writer_number (PdvCsvWriter *writer,
                       const char   *plain)
{
  g_return_if_fail (plain == NULL || *plain == '\0' || is_number (plain));

  next_field (writer);
  for (const char *p = plain; p != NULL && *p; p++)
    g_string_append_c (writer->out, *p == '.' ? writer->decimal : *p);
}

void
pdv_csv_writer_end_record (PdvCsvWriter *writer)
{
  g_string_append (writer->out, "\r\n");
  writer->fields = 0;
}

/**
 * pdv_csv_writer_finish:
 *
 * Returns: (transfer full): the text written
 */
char *
pdv_csv_writer_finish (PdvCsvWriter *writer)
{
  return g_string_free (g_steal_pointer (&writer->out), FALSE);
}

/**
 * pdv_csv_dialect_from_string:
 * @name: "spreadsheet" or "rfc4180"
 *
 * Returns: whether @name is a dialect
 */
gboolean
pdv_csv_dialect_from_string (const char    *name,
                             PdvCsvDialect *out_dialect)
{
  if (g_strcmp0 (name, "spreadsheet") == 0)
    *out_dialect = PDV_CSV_SPREADSHEET;
  else if (g_strcmp0 (name, "rfc4180") == 0)
    *out_dialect = PDV_CSV_RFC4180;
  else
    return FALSE;
  return TRUE;
}

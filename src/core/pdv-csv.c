/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-csv"

#include "config.h"

#include <glib/gi18n-lib.h>

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

static char
detect_separator (const char *text,
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
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = g_string_new (NULL);
  char separator = detect_separator (text, length);
  guint line = 1;
  guint record_line = 1;
  gsize i = 0;
  gboolean blank = TRUE;
  gboolean field_started = FALSE;

  fields = g_ptr_array_new_with_free_func (g_free);

  while (i <= length)
    {
      char c = i < length ? text[i] : '\n';
      gboolean at_end = i == length;

      if (c == '"' && !field_started)
        {
          /* A quoted field: runs to the next lone quote. */
          guint quote_line = line;

          i++;
          for (;;)
            {
              if (i >= length)
                {
                  g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                               _("%s:%u: a quoted field is never closed"), file_name, quote_line);
                  return NULL;
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
                line++;
              g_string_append_c (field, text[i]);
              i++;
            }
          blank = FALSE;
          field_started = TRUE;
          if (i < length && text[i] != separator && text[i] != '\n' && text[i] != '\r')
            {
              g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                           _("%s:%u: unexpected text after a closing quote"), file_name, line);
              return NULL;
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
          if (!blank || field->len > 0)
            {
              PdvCsvRecord *record = g_new0 (PdvCsvRecord, 1);

              g_ptr_array_add (fields, g_strdup (field->str));
              g_ptr_array_add (fields, NULL);
              record->line = record_line;
              record->fields = (GStrv) g_ptr_array_steal (fields, NULL);
              g_ptr_array_add (records, record);
              g_ptr_array_unref (fields);
              fields = g_ptr_array_new_with_free_func (g_free);
              g_string_truncate (field, 0);
            }
          if (at_end)
            break;
          if (c == '\r' && i + 1 < length && text[i + 1] == '\n')
            i++;
          i++;
          line++;
          record_line = line;
          blank = TRUE;
          field_started = FALSE;
          continue;
        }

      if (c == '"')
        {
          g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                       _("%s:%u: a quote inside an unquoted field (enclose the field in quotes "
                         "and double the quote)"), file_name, line);
          return NULL;
        }

      g_string_append_c (field, c);
      blank = FALSE;
      field_started = TRUE;
      i++;
    }

  return g_steal_pointer (&records);
}

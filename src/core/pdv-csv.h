/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint   line;    /* where the record starts, from 1 */
  GStrv   fields;
} PdvCsvRecord;

void       pdv_csv_record_free (PdvCsvRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvCsvRecord, pdv_csv_record_free)

/* RFC 4180, with ';' accepted as the separator when the header uses it (as
 * spreadsheets in Brazilian locales export). */
GPtrArray *pdv_csv_parse       (const char   *text,
                                gsize         length,
                                const char   *file_name,
                                GError      **error);

/* The same, a record at a time, for text read in pieces. */
char       pdv_csv_detect_separator (const char *text,
                                     gsize       length);
gboolean   pdv_csv_next_record (const char    *text,
                                gsize          length,
                                gboolean       at_end,
                                char           separator,
                                const char    *file_name,
                                guint         *line,
                                gsize         *consumed,
                                PdvCsvRecord **record,
                                GError       **error);

/* How CSV is written: for a person's spreadsheet in this locale, or for
 * programs. */
typedef enum {
  PDV_CSV_SPREADSHEET,
  PDV_CSV_RFC4180,
} PdvCsvDialect;

typedef struct {
  GString *out;
  char     separator;
  char     decimal;
  guint    fields;    /* written in the current record */
} PdvCsvWriter;

void       pdv_csv_writer_init        (PdvCsvWriter  *writer,
                                       PdvCsvDialect  dialect);
void       pdv_csv_writer_text        (PdvCsvWriter  *writer,
                                       const char    *value);
void       pdv_csv_writer_number      (PdvCsvWriter  *writer,
                                       const char    *plain);
void       pdv_csv_writer_end_record  (PdvCsvWriter  *writer);
char      *pdv_csv_writer_finish      (PdvCsvWriter  *writer);
gboolean   pdv_csv_dialect_from_string (const char   *name,
                                        PdvCsvDialect *out_dialect);

G_END_DECLS

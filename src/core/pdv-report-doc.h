/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-report.h"
#include "pdv-report-labels.h"

G_BEGIN_DECLS

/* A report as a document: what every rendering shows, in order — the
 * screen (src/app/shift/pdv-report-sections.c), paper (text and ESC/POS),
 * PDF. Numbers are already formatted; the renderings only lay them out. */

typedef enum {
  PDV_REPORT_DOC_PAPER,      /* Brazilian figures: paper and PDF */
  PDV_REPORT_DOC_SCREEN,     /* the terminal's locale */
} PdvReportDocStyle;

typedef enum {
  PDV_REPORT_TONE_NONE,
  PDV_REPORT_TONE_GOOD,      /* the drawer matched */
  PDV_REPORT_TONE_WARNING,   /* a difference within the tolerance */
  PDV_REPORT_TONE_BAD,       /* a difference a manager had to accept */
} PdvReportTone;

typedef struct {
  GStrv          cells;    /* the label, then one per column */
  gboolean       bold;     /* a total */
  guint          indent;   /* levels: a breakdown of the row above */
  int            method;   /* the PdvPaymentMethod the row is about, or -1 */
  PdvReportTone  tone;
} PdvReportDocRow;

typedef struct {
  PdvReportSection  section;
  PdvReportDocStyle style;
  char      *title;     /* NULL for the summary at the top */
  GStrv      headings;  /* one per column after the label; NULL when it has none */
  gboolean   pairs;     /* label and text value, rather than a table of figures */
  GPtrArray *rows;      /* PdvReportDocRow */
} PdvReportDocSection;

typedef struct {
  PdvReportDocStyle style;
  char      *heading;   /* the event */
  char      *title;     /* the report */
  GPtrArray *sections;  /* PdvReportDocSection */
} PdvReportDoc;

PdvReportTone pdv_report_difference_tone (const PdvReport *report);

PdvReportDoc *pdv_report_doc_new  (const PdvReport   *report,
                                   PdvReportDocStyle  style);
void          pdv_report_doc_free (PdvReportDoc    *doc);
PdvReportDoc *pdv_report_doc_new_pairs (PdvReportDocStyle  style,
                                        const char        *heading,
                                        const char        *title);
void          pdv_report_doc_add_pair  (PdvReportDoc      *doc,
                                        const char        *label,
                                        const char        *value);
void          pdv_report_doc_add_table (PdvReportDoc       *doc,
                                        const char         *title,
                                        const char * const *headings);
void          pdv_report_doc_add_row   (PdvReportDoc       *doc,
                                        gboolean            bold,
                                        const char * const *cells);
gboolean      pdv_report_doc_write_pdf (PdvReportDoc   *doc,
                                        PdvReportPage   page,
                                        const char     *footer,
                                        const char     *path,
                                        GError        **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvReportDoc, pdv_report_doc_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-report.h"

G_BEGIN_DECLS

/* A report as a document: what every rendering shows, in order. Numbers are
 * already formatted; the renderings only lay them out. */

typedef struct {
  GStrv     cells;    /* the label, then one per column */
  gboolean  bold;
  guint     indent;   /* levels */
} PdvReportDocRow;

typedef struct {
  char      *title;
  GStrv      headings;  /* one per column after the label; NULL when it has none */
  gboolean   pairs;     /* label and text value, rather than a table of figures */
  GPtrArray *rows;      /* PdvReportDocRow */
} PdvReportDocSection;

typedef struct {
  char      *heading;   /* the event */
  char      *title;     /* the report */
  GPtrArray *sections;  /* PdvReportDocSection */
} PdvReportDoc;

PdvReportDoc *pdv_report_doc_new  (PdvReport     *report);
void          pdv_report_doc_free (PdvReportDoc  *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvReportDoc, pdv_report_doc_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"
#include "pdv-receipt-printer.h"

G_BEGIN_DECLS

typedef enum {
  PDV_REPORT_FORMAT_CSV,          /* for the person's spreadsheet */
  PDV_REPORT_FORMAT_CSV_RFC4180,  /* for programs */
  PDV_REPORT_FORMAT_PDF,
} PdvReportFormat;

void            pdv_report_format_add_choice      (GtkFileChooser *chooser);
PdvReportFormat pdv_report_format_from_choice     (GtkFileChooser *chooser);

#define PDV_TYPE_REPORT_VIEW (pdv_report_view_get_type ())
G_DECLARE_FINAL_TYPE (PdvReportView, pdv_report_view, PDV, REPORT_VIEW, GtkWidget)

GtkWidget  *pdv_report_view_new           (void);
void        pdv_report_view_set_receipt_printer (PdvReportView     *self,
                                                 PdvReceiptPrinter *printer);
void        pdv_report_view_set_report    (PdvReportView        *self,
                                           PdvReport            *report);
PdvReport  *pdv_report_view_get_report    (PdvReportView        *self);
char       *pdv_report_view_dup_text      (PdvReportView        *self);
gboolean    pdv_report_view_get_busy      (PdvReportView        *self);
void        pdv_report_view_export_async  (PdvReportView        *self,
                                           PdvReportFormat       format,
                                           GFile                *file,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    pdv_report_view_export_finish (PdvReportView        *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS

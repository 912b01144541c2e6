/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  PDV_REPORT_ROW_PLAIN  = 0,
  PDV_REPORT_ROW_TOTAL  = 1 << 0,   /* a sum: bold */
  PDV_REPORT_ROW_DETAIL = 1 << 1,   /* a breakdown of the row above: indented, dim */
} PdvReportRowFlags;

#define PDV_TYPE_REPORT_TABLE (pdv_report_table_get_type ())
G_DECLARE_FINAL_TYPE (PdvReportTable, pdv_report_table, PDV, REPORT_TABLE, GtkWidget)

GtkWidget  *pdv_report_table_new              (const char               *title,
                                               const char * const       *captions);
void        pdv_report_table_set_top_widget   (PdvReportTable           *self,
                                               GtkWidget                *widget);
void        pdv_report_table_clear            (PdvReportTable           *self);
void        pdv_report_table_add_row          (PdvReportTable           *self,
                                               PdvReportRowFlags         flags,
                                               const char               *icon_name,
                                               const char               *title,
                                               const char               *subtitle,
                                               const char * const       *values,
                                               const char               *value_class);
void        pdv_report_table_finish           (PdvReportTable           *self);
guint       pdv_report_table_get_n_columns    (PdvReportTable           *self);
char       *pdv_report_table_dup_text         (PdvReportTable           *self);

G_END_DECLS

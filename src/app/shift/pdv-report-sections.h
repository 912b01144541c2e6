/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_REPORT_SECTIONS (pdv_report_sections_get_type ())
G_DECLARE_FINAL_TYPE (PdvReportSections, pdv_report_sections, PDV, REPORT_SECTIONS, GtkWidget)

GtkWidget  *pdv_report_sections_new               (void);
void        pdv_report_sections_set_report        (PdvReportSections *self,
                                                   const PdvReport   *report);
char       *pdv_report_sections_dup_section_text  (PdvReportSections *self,
                                                   const char        *name);
GtkWidget  *pdv_report_sections_get_figure_label  (PdvReportSections *self,
                                                   const char        *name);

G_END_DECLS

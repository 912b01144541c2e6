/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-chart.h"
#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_DASHBOARD (pdv_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (PdvDashboard, pdv_dashboard, PDV, DASHBOARD, GtkWidget)

GtkWidget  *pdv_dashboard_new              (PdvContext   *context);
void        pdv_dashboard_refresh          (PdvDashboard *self);
void        pdv_dashboard_set_reader       (PdvDashboard  *self,
                                            const PdvUser *reader);
gboolean    pdv_dashboard_get_loading      (PdvDashboard *self);
guint       pdv_dashboard_get_n_refreshes  (PdvDashboard *self);
const char *pdv_dashboard_get_revenue_text (PdvDashboard *self);
const char *pdv_dashboard_get_sales_text   (PdvDashboard *self);
const char *pdv_dashboard_get_checkins_text (PdvDashboard *self);
PdvChart   *pdv_dashboard_get_sales_chart  (PdvDashboard *self);
GtkListBox *pdv_dashboard_get_stock_list   (PdvDashboard *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PDV_TYPE_CHART (pdv_chart_get_type ())
G_DECLARE_FINAL_TYPE (PdvChart, pdv_chart, PDV, CHART, GtkWidget)

GtkWidget *pdv_chart_new        (void);
void       pdv_chart_set_bars   (PdvChart           *self,
                                 const char * const *labels,
                                 const double       *values,
                                 guint               n_bars);
guint      pdv_chart_get_n_bars (PdvChart           *self);
double     pdv_chart_get_value  (PdvChart           *self,
                                 guint               index);

G_END_DECLS

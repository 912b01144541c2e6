/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_SALE_VIEW (pdv_sale_view_get_type ())
G_DECLARE_FINAL_TYPE (PdvSaleView, pdv_sale_view, PDV, SALE_VIEW, GtkWidget)

GtkWidget  *pdv_sale_view_new          (void);
/* @now: in the event's zone, in which times are shown */
void        pdv_sale_view_show         (PdvSaleView         *self,
                                        const PdvSaleDetail *detail,
                                        GHashTable          *user_names,
                                        GDateTime           *now);

GtkWidget  *pdv_sale_row_new           (const PdvSaleRecord *record,
                                        GDateTime           *now);
const char *pdv_sale_row_get_sale_id   (GtkListBoxRow       *row);

char       *pdv_sale_short_id          (const char          *sale_id);

G_END_DECLS

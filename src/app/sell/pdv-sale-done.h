/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_SALE_DONE (pdv_sale_done_get_type ())
G_DECLARE_FINAL_TYPE (PdvSaleDone, pdv_sale_done, PDV, SALE_DONE, GtkWidget)

GtkWidget  *pdv_sale_done_new              (void);
void        pdv_sale_done_show_sale        (PdvSaleDone *self,
                                            PdvMoney     total,
                                            PdvMoney     change,
                                            const char  *payments);
const char *pdv_sale_done_get_change_text  (PdvSaleDone *self);
const char *pdv_sale_done_get_total_text   (PdvSaleDone *self);
void        pdv_sale_done_focus            (PdvSaleDone *self);

G_END_DECLS

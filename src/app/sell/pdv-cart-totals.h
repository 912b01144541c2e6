/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-cart.h"

G_BEGIN_DECLS

#define PDV_TYPE_CART_TOTALS (pdv_cart_totals_get_type ())
G_DECLARE_FINAL_TYPE (PdvCartTotals, pdv_cart_totals, PDV, CART_TOTALS, GtkWidget)

PdvCart    *pdv_cart_totals_get_cart           (PdvCartTotals *self);
void        pdv_cart_totals_set_cart           (PdvCartTotals *self,
                                                PdvCart       *cart);
const char *pdv_cart_totals_get_total_text     (PdvCartTotals *self);
const char *pdv_cart_totals_get_discount_text  (PdvCartTotals *self);

G_END_DECLS

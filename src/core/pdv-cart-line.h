/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-auth.h"
#include "pdv-money.h"

G_BEGIN_DECLS

#define PDV_TYPE_CART_LINE (pdv_cart_line_get_type ())
G_DECLARE_FINAL_TYPE (PdvCartLine, pdv_cart_line, PDV, CART_LINE, GObject)

PdvCartLine *pdv_cart_line_new             (const char  *product_id,
                                            const char  *name,
                                            PdvMoney     unit_price);
const char  *pdv_cart_line_get_product_id  (PdvCartLine *self);
const char  *pdv_cart_line_get_name        (PdvCartLine *self);
PdvMoney     pdv_cart_line_get_unit_price  (PdvCartLine *self);
guint        pdv_cart_line_get_quantity    (PdvCartLine *self);
gboolean     pdv_cart_line_set_quantity    (PdvCartLine *self,
                                            guint        quantity,
                                            GError     **error);
PdvMoney     pdv_cart_line_get_total       (PdvCartLine *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdv-cart-line.h"
#include "pdv-auth.h"
#include "pdv-catalog.h"
#include "pdv-sale.h"

G_BEGIN_DECLS

#define PDV_TYPE_CART (pdv_cart_get_type ())
G_DECLARE_FINAL_TYPE (PdvCart, pdv_cart, PDV, CART, GObject)

PdvCart     *pdv_cart_new          (void);
gboolean     pdv_cart_add_product  (PdvCart     *self,
                                    const char  *product_id,
                                    const char  *name,
                                    PdvMoney     unit_price,
                                    GError     **error);
gboolean     pdv_cart_increment    (PdvCart     *self,
                                    const char  *product_id,
                                    GError     **error);
gboolean     pdv_cart_decrement    (PdvCart     *self,
                                    const char  *product_id);
gboolean     pdv_cart_remove       (PdvCart     *self,
                                    const char  *product_id);
void         pdv_cart_clear        (PdvCart     *self);
PdvCartLine *pdv_cart_find_line    (PdvCart     *self,
                                    const char  *product_id);
PdvMoney     pdv_cart_get_total    (PdvCart     *self);
PdvMoney     pdv_cart_get_subtotal (PdvCart     *self);
guint        pdv_cart_get_n_units  (PdvCart     *self);
gboolean     pdv_cart_is_empty     (PdvCart     *self);

gboolean     pdv_cart_set_discount (PdvCart         *self,
                                    PdvDiscountKind  kind,
                                    gint64           value,
                                    const char      *reason,
                                    const PdvUser   *authoriser,
                                    GError         **error);
void         pdv_cart_clear_discount        (PdvCart *self);
gboolean     pdv_cart_has_discount          (PdvCart *self);
PdvMoney     pdv_cart_get_discount          (PdvCart *self);
PdvDiscountKind pdv_cart_get_discount_kind  (PdvCart *self);
gint64       pdv_cart_get_discount_value    (PdvCart *self);
const char  *pdv_cart_get_discount_reason   (PdvCart *self);
const PdvUser *pdv_cart_get_discount_authoriser (PdvCart *self);
char        *pdv_cart_describe_discount     (PdvCart *self);

PdvSaleDraft *pdv_cart_dup_draft   (PdvCart     *self);
gboolean      pdv_cart_load_draft  (PdvCart       *self,
                                    PdvCatalog    *catalog,
                                    PdvDb         *db,
                                    PdvSaleDraft  *draft,
                                    GError       **error);

G_END_DECLS

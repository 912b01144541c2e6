/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_PRODUCT_ITEM (pdv_product_item_get_type ())
G_DECLARE_FINAL_TYPE (PdvProductItem, pdv_product_item, PDV, PRODUCT_ITEM, GObject)

PdvProductItem   *pdv_product_item_new            (const PdvProduct *product,
                                                   const char       *css_class);
const PdvProduct *pdv_product_item_get_product    (PdvProductItem   *self);
const char       *pdv_product_item_get_css_class  (PdvProductItem   *self);
gboolean          pdv_product_item_can_be_sold    (PdvProductItem   *self);

G_END_DECLS

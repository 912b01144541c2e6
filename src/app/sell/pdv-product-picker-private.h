/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-product-picker.h"

G_BEGIN_DECLS

/* What the UI tests observe and drive (through the sell page), by the same
 * paths a person's taps and typing take. */

guint      pdv_product_picker_count_visible_products   (PdvProductPicker *self);
GPtrArray *pdv_product_picker_list_visible_product_ids (PdvProductPicker *self);
gboolean   pdv_product_picker_select_category          (PdvProductPicker *self,
                                                        const char       *category_id);
void       pdv_product_picker_search                   (PdvProductPicker *self,
                                                        const char       *text);
gboolean   pdv_product_picker_tap_product              (PdvProductPicker *self,
                                                        const char       *product_id);
void       pdv_product_picker_scan                     (PdvProductPicker *self,
                                                        const char       *text);
const char *pdv_product_picker_get_search_hint         (PdvProductPicker *self);

G_END_DECLS

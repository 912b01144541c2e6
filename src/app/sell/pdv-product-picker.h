/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"
#include "pdv-product-tile.h"

G_BEGIN_DECLS

#define PDV_TYPE_PRODUCT_PICKER (pdv_product_picker_get_type ())
G_DECLARE_FINAL_TYPE (PdvProductPicker, pdv_product_picker, PDV, PRODUCT_PICKER, GtkWidget)

GtkWidget      *pdv_product_picker_new             (void);
void            pdv_product_picker_set_context     (PdvProductPicker      *self,
                                                    PdvContext            *context);
void            pdv_product_picker_reload          (PdvProductPicker      *self);
const PdvProduct *pdv_product_picker_get_product  (PdvProductPicker      *self,
                                                    const char            *product_id);
void            pdv_product_picker_refresh_product (PdvProductPicker      *self,
                                                    const char            *product_id);
void            pdv_product_picker_focus_search    (PdvProductPicker      *self);
const char     *pdv_product_picker_get_search_text (PdvProductPicker      *self);
gboolean        pdv_product_picker_forward_key     (PdvProductPicker      *self,
                                                    GtkEventControllerKey *controller,
                                                    guint                  keyval,
                                                    GdkModifierType        state);

G_END_DECLS

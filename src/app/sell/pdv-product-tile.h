/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_PRODUCT_TILE (pdv_product_tile_get_type ())
G_DECLARE_FINAL_TYPE (PdvProductTile, pdv_product_tile, PDV, PRODUCT_TILE, GtkButton)

GtkWidget  *pdv_product_tile_new             (const PdvProduct *product);
void        pdv_product_tile_set_product     (PdvProductTile   *self,
                                              const PdvProduct *product);
const char *pdv_product_tile_get_product_id  (PdvProductTile   *self);
void        pdv_product_tile_update          (PdvProductTile   *self,
                                              const PdvProduct *product);

char       *pdv_product_search_key           (const char       *text);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PDV_TYPE_CATALOG_COLOURS (pdv_catalog_colours_get_type ())
G_DECLARE_FINAL_TYPE (PdvCatalogColours, pdv_catalog_colours, PDV, CATALOG_COLOURS, GObject)

PdvCatalogColours *pdv_catalog_colours_new       (void);
const char        *pdv_catalog_colours_add       (PdvCatalogColours *self,
                                                  const char        *colour);
void               pdv_catalog_colours_install   (PdvCatalogColours *self,
                                                  GdkDisplay        *display);

G_END_DECLS

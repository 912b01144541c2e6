/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-db.h"
#include "pdv-money.h"

G_BEGIN_DECLS

typedef enum {
  PDV_STOCK_POLICY_WARN,
  PDV_STOCK_POLICY_BLOCK,
} PdvStockPolicy;

typedef struct {
  char *id;
  char *name;
  char *colour;      /* "#rrggbb" or NULL */
  int   position;
} PdvCategory;

typedef struct {
  char           *id;
  char           *name;
  PdvMoney        price;
  char           *category_id;
  char           *barcode;   /* NULL when none */
  char           *colour;    /* the product's own, else its category's, else NULL */
  int             position;
  gboolean        active;
  gboolean        track_stock;
  PdvStockPolicy  stock_policy;
  gint64          stock;     /* meaningful when track_stock */
  gboolean        has_components;   /* a combo: pdv_catalog_get_components() */
} PdvProduct;

/* What one unit of a combo takes out of stock. */
typedef struct {
  char   *product_id;
  gint64  qty;
} PdvComponent;

void pdv_category_free (PdvCategory *category);
void pdv_product_free  (PdvProduct  *product);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvCategory, pdv_category_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvProduct, pdv_product_free)

#define PDV_TYPE_CATALOG (pdv_catalog_get_type ())
G_DECLARE_FINAL_TYPE (PdvCatalog, pdv_catalog, PDV, CATALOG, GObject)

PdvCatalog *pdv_catalog_new              (PdvDb       *db);
GPtrArray  *pdv_catalog_list_categories  (PdvCatalog  *self,
                                          GError     **error);
GPtrArray  *pdv_catalog_list_products    (PdvCatalog  *self,
                                          const char  *category_id,
                                          gboolean     include_inactive,
                                          GError     **error);
PdvProduct *pdv_catalog_lookup           (PdvCatalog  *self,
                                          const char  *id_or_barcode,
                                          GError     **error);
GPtrArray  *pdv_catalog_search           (PdvCatalog  *self,
                                          const char  *query,
                                          guint        limit,
                                          GError     **error);
GPtrArray  *pdv_catalog_search_ids       (PdvCatalog  *self,
                                          const char  *query,
                                          GError     **error);
PdvProduct *pdv_product_copy             (const PdvProduct *product);
void        pdv_component_clear          (PdvComponent *component);
GArray     *pdv_catalog_get_components   (PdvCatalog  *self,
                                          const char  *product_id,
                                          GError     **error);

G_END_DECLS

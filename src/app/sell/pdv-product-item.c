/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-product-item"

#include "config.h"

#include "pdv-product-item.h"

/* One product of the sell grid's model: what a recycled tile shows when it
 * is bound to it. A change of stock replaces the item, so the grid rebinds
 * only that tile. */
struct _PdvProductItem
{
  GObject     parent_instance;

  PdvProduct *product;
  char       *css_class;   /* its colour, from the catalog; may be NULL */
};

G_DEFINE_FINAL_TYPE (PdvProductItem, pdv_product_item, G_TYPE_OBJECT)

static void
pdv_product_item_finalize (GObject *object)
{
  PdvProductItem *self = (PdvProductItem *) object;

  g_clear_pointer (&self->product, pdv_product_free);
  g_clear_pointer (&self->css_class, g_free);

  G_OBJECT_CLASS (pdv_product_item_parent_class)->finalize (object);
}

static void
pdv_product_item_class_init (PdvProductItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdv_product_item_finalize;
}

static void
pdv_product_item_init (PdvProductItem *self)
{
}

PdvProductItem *
pdv_product_item_new (const PdvProduct *product,
                      const char       *css_class)
{
  PdvProductItem *self;

  g_return_val_if_fail (product != NULL, NULL);

  self = g_object_new (PDV_TYPE_PRODUCT_ITEM, NULL);
  self->product = pdv_product_copy (product);
  self->css_class = g_strdup (css_class);
  return self;
}

const PdvProduct *
pdv_product_item_get_product (PdvProductItem *self)
{
  g_return_val_if_fail (PDV_IS_PRODUCT_ITEM (self), NULL);
  return self->product;
}

const char *
pdv_product_item_get_css_class (PdvProductItem *self)
{
  g_return_val_if_fail (PDV_IS_PRODUCT_ITEM (self), NULL);
  return self->css_class;
}

/**
 * pdv_product_item_can_be_sold:
 *
 * Returns: %FALSE when it has run out and its stock policy blocks the sale
 *   (its tile cannot be tapped)
 */
gboolean
pdv_product_item_can_be_sold (PdvProductItem *self)
{
  const PdvProduct *product;

  g_return_val_if_fail (PDV_IS_PRODUCT_ITEM (self), FALSE);

  product = self->product;
  return !(product->track_stock && product->stock <= 0 && product->stock_policy == PDV_STOCK_POLICY_BLOCK);
}

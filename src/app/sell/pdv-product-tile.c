/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-product-tile"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pdv-product-tile.h"

/* A big button for one product on the sell grid: name, price, and whether
 * it has run out. The page gives it its colour through a CSS class. */
struct _PdvProductTile
{
  GtkButton  parent_instance;

  char      *product_id;
  char      *name;
  PdvMoney   price;

  GtkLabel  *name_label;
  GtkLabel  *price_label;
  GtkLabel  *sold_out_label;
};

G_DEFINE_FINAL_TYPE (PdvProductTile, pdv_product_tile, GTK_TYPE_BUTTON)

static void
pdv_product_tile_finalize (GObject *object)
{
  PdvProductTile *self = (PdvProductTile *) object;

  g_clear_pointer (&self->product_id, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (pdv_product_tile_parent_class)->finalize (object);
}

static void
pdv_product_tile_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PDV_TYPE_PRODUCT_TILE);

  G_OBJECT_CLASS (pdv_product_tile_parent_class)->dispose (object);
}

static void
pdv_product_tile_class_init (PdvProductTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_product_tile_dispose;
  object_class->finalize = pdv_product_tile_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-product-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvProductTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, PdvProductTile, price_label);
  gtk_widget_class_bind_template_child (widget_class, PdvProductTile, sold_out_label);
}

/* The full name, for one cut short on the tile. Asked for when the pointer
 * rests on the tile: setting a tooltip on every bind cost a search of the
 * grid more than its labels did. */
static gboolean
query_tooltip_cb (PdvProductTile *self,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip)
{
  if (self->name == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->name);
  return TRUE;
}

static void
pdv_product_tile_init (PdvProductTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

/**
 * pdv_product_tile_new:
 *
 * A tracked product with no stock left looks sold out. It can still be tapped
 * when its stock policy only warns; a blocking policy makes it insensitive.
 */
GtkWidget *
pdv_product_tile_new (const PdvProduct *product)
{
  GtkWidget *self = g_object_new (PDV_TYPE_PRODUCT_TILE, NULL);

  if (product != NULL)
    pdv_product_tile_set_product (PDV_PRODUCT_TILE (self), product);
  return self;
}

/**
 * pdv_product_tile_set_product:
 *
 * Shows @product: the sell grid recycles tiles, binding each to the product
 * that scrolls into view.
 */
void
pdv_product_tile_set_product (PdvProductTile   *self,
                              const PdvProduct *product)
{
  g_autofree char *price = NULL;

  g_return_if_fail (PDV_IS_PRODUCT_TILE (self));
  g_return_if_fail (product != NULL);

  g_free (self->product_id);
  self->product_id = g_strdup (product->id);
  g_free (self->name);
  self->name = g_strdup (product->name);
  self->price = product->price;

  price = pdv_money_format (product->price);
  gtk_label_set_label (self->name_label, product->name);
  gtk_label_set_label (self->price_label, price);

  pdv_product_tile_update (self, product);
}

/**
 * pdv_product_tile_update:
 *
 * Follows @product's stock: sold out or not, tappable or not. The name and
 * price stay those the tile was made with, as the cart's lines do.
 */
void
pdv_product_tile_update (PdvProductTile   *self,
                         const PdvProduct *product)
{
  gboolean sold_out;
  g_autofree char *price = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (PDV_IS_PRODUCT_TILE (self));
  g_return_if_fail (product != NULL);

  sold_out = product->track_stock && product->stock <= 0;

  price = pdv_money_format (self->price);
  if (sold_out)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "sold-out");
      /* Translators: a product button read by a screen reader: name, price */
      description = g_strdup_printf (_("%s, %s, sold out"), self->name, price);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "sold-out");
      /* Translators: a product button read by a screen reader: name, price */
      description = g_strdup_printf (_("%s, %s"), self->name, price);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sold_out_label), sold_out);
  gtk_widget_set_sensitive (GTK_WIDGET (self), !(sold_out && product->stock_policy == PDV_STOCK_POLICY_BLOCK));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

const char *
pdv_product_tile_get_product_id (PdvProductTile *self)
{
  g_return_val_if_fail (PDV_IS_PRODUCT_TILE (self), NULL);
  return self->product_id;
}

/**
 * pdv_product_search_key:
 *
 * What names are compared by: without accents and case, so "agua" finds
 * "Água" and "CERVEJA" finds "Cerveja".
 */
char *
pdv_product_search_key (const char *text)
{
  g_autofree char *ascii = NULL;

  if (text == NULL)
    return g_strdup ("");

  ascii = g_str_to_ascii (text, NULL);
  return g_utf8_casefold (ascii, -1);
}

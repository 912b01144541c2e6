/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-cart-line"

#include "config.h"

#include "pdv-cart-line.h"

/* One product in the sale being built: what it was called and cost when it
 * was tapped, so later catalog changes do not alter a sale in progress. */
struct _PdvCartLine
{
  GObject   parent_instance;
  char     *product_id;
  char     *name;
  PdvMoney  unit_price;
  guint     quantity;
  PdvMoney  total;
};

G_DEFINE_FINAL_TYPE (PdvCartLine, pdv_cart_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRODUCT_ID,
  PROP_NAME,
  PROP_UNIT_PRICE,
  PROP_QUANTITY,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pdv_cart_line_finalize (GObject *object)
{
  PdvCartLine *self = (PdvCartLine *) object;

  g_clear_pointer (&self->product_id, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (pdv_cart_line_parent_class)->finalize (object);
}

static void
pdv_cart_line_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PdvCartLine *self = PDV_CART_LINE (object);

  switch (prop_id)
    {
    case PROP_PRODUCT_ID:
      g_value_set_string (value, self->product_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_UNIT_PRICE:
      g_value_set_int64 (value, self->unit_price);
      break;
    case PROP_QUANTITY:
      g_value_set_uint (value, self->quantity);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_cart_line_class_init (PdvCartLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdv_cart_line_finalize;
  object_class->get_property = pdv_cart_line_get_property;

  properties[PROP_PRODUCT_ID] =
    g_param_spec_string ("product-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT_PRICE] =
    g_param_spec_int64 ("unit-price", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUANTITY] =
    g_param_spec_uint ("quantity", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdv_cart_line_init (PdvCartLine *self)
{
  self->quantity = 1;
}

PdvCartLine *
pdv_cart_line_new (const char *product_id,
                   const char *name,
                   PdvMoney    unit_price)
{
  PdvCartLine *self;

  g_return_val_if_fail (product_id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (unit_price >= 0, NULL);

  self = g_object_new (PDV_TYPE_CART_LINE, NULL);
  self->product_id = g_strdup (product_id);
  self->name = g_strdup (name);
  self->unit_price = unit_price;
  self->quantity = 1;
  self->total = unit_price;
  return self;
}

const char *
pdv_cart_line_get_product_id (PdvCartLine *self)
{
  g_return_val_if_fail (PDV_IS_CART_LINE (self), NULL);
  return self->product_id;
}

const char *
pdv_cart_line_get_name (PdvCartLine *self)
{
  g_return_val_if_fail (PDV_IS_CART_LINE (self), NULL);
  return self->name;
}

PdvMoney
pdv_cart_line_get_unit_price (PdvCartLine *self)
{
  g_return_val_if_fail (PDV_IS_CART_LINE (self), 0);
  return self->unit_price;
}

guint
pdv_cart_line_get_quantity (PdvCartLine *self)
{
  g_return_val_if_fail (PDV_IS_CART_LINE (self), 0);
  return self->quantity;
}

/**
 * pdv_cart_line_set_quantity:
 * @quantity: at least 1; a line with nothing on it is removed from the cart instead
 *
 * Fails, leaving the line as it was, when the line total would not fit.
 */
gboolean
pdv_cart_line_set_quantity (PdvCartLine *self,
                            guint        quantity,
                            GError     **error)
{
  PdvMoney total;

  g_return_val_if_fail (PDV_IS_CART_LINE (self), FALSE);
  g_return_val_if_fail (quantity >= 1, FALSE);

  if (quantity == self->quantity)
    return TRUE;
  if (!pdv_money_multiply (self->unit_price, quantity, &total, error))
    return FALSE;

  self->quantity = quantity;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUANTITY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  return TRUE;
}

PdvMoney
pdv_cart_line_get_total (PdvCartLine *self)
{
  g_return_val_if_fail (PDV_IS_CART_LINE (self), 0);
  return self->total;
}

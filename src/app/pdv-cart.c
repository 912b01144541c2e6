/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-cart"

#include "config.h"

#include "pdv-cart.h"

/* The sale being built at the counter, as a list model of PdvCartLine in the
 * order products were first tapped. It lives in memory only: nothing is a
 * sale until it is paid and journalled. */
struct _PdvCart
{
  GObject    parent_instance;
  GPtrArray *lines;
  PdvMoney   total;
  guint      n_units;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdvCart, pdv_cart, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_TOTAL,
  PROP_N_UNITS,
  PROP_IS_EMPTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
pdv_cart_get_item_type (GListModel *model)
{
  return PDV_TYPE_CART_LINE;
}

static guint
pdv_cart_get_n_items (GListModel *model)
{
  return PDV_CART (model)->lines->len;
}

static gpointer
pdv_cart_get_item (GListModel *model,
                   guint       position)
{
  PdvCart *self = PDV_CART (model);

  if (position >= self->lines->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->lines, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pdv_cart_get_item_type;
  iface->get_n_items = pdv_cart_get_n_items;
  iface->get_item = pdv_cart_get_item;
}

static gboolean
find_position (PdvCart    *self,
               const char *product_id,
               guint      *out_position)
{
  for (guint i = 0; i < self->lines->len; i++)
    {
      PdvCartLine *line = g_ptr_array_index (self->lines, i);

      if (g_strcmp0 (pdv_cart_line_get_product_id (line), product_id) == 0)
        {
          *out_position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Sums afresh rather than adjusting by deltas: a cart holds a handful of
 * lines and every line total was already checked for overflow. */
static void
update_totals (PdvCart *self)
{
  PdvMoney total = 0;
  guint n_units = 0;
  gboolean was_empty = self->n_units == 0;

  for (guint i = 0; i < self->lines->len; i++)
    {
      PdvCartLine *line = g_ptr_array_index (self->lines, i);

      total += pdv_cart_line_get_total (line);
      n_units += pdv_cart_line_get_quantity (line);
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (total != self->total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  if (n_units != self->n_units)
    {
      self->n_units = n_units;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNITS]);
    }
  if (was_empty != (n_units == 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_EMPTY]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
pdv_cart_finalize (GObject *object)
{
  PdvCart *self = (PdvCart *) object;

  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (pdv_cart_parent_class)->finalize (object);
}

static void
pdv_cart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PdvCart *self = PDV_CART (object);

  switch (prop_id)
    {
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_N_UNITS:
      g_value_set_uint (value, self->n_units);
      break;
    case PROP_IS_EMPTY:
      g_value_set_boolean (value, pdv_cart_is_empty (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_cart_class_init (PdvCartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdv_cart_finalize;
  object_class->get_property = pdv_cart_get_property;

  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_UNITS] =
    g_param_spec_uint ("n-units", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_EMPTY] =
    g_param_spec_boolean ("is-empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdv_cart_init (PdvCart *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_object_unref);
}

PdvCart *
pdv_cart_new (void)
{
  return g_object_new (PDV_TYPE_CART, NULL);
}

/**
 * pdv_cart_add_product:
 * @unit_price: in centavos, as the catalog had it when tapped
 *
 * Adds one unit of a product: a new line the first time, one more on its
 * line afterwards.
 */
gboolean
pdv_cart_add_product (PdvCart     *self,
                      const char  *product_id,
                      const char  *name,
                      PdvMoney     unit_price,
                      GError     **error)
{
  PdvMoney new_total;
  guint position;

  g_return_val_if_fail (PDV_IS_CART (self), FALSE);
  g_return_val_if_fail (product_id != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (unit_price >= 0, FALSE);

  if (find_position (self, product_id, &position))
    return pdv_cart_increment (self, product_id, error);

  if (!pdv_money_add (self->total, unit_price, &new_total, error))
    return FALSE;

  g_ptr_array_add (self->lines, pdv_cart_line_new (product_id, name, unit_price));
  g_list_model_items_changed (G_LIST_MODEL (self), self->lines->len - 1, 0, 1);
  update_totals (self);
  return TRUE;
}

gboolean
pdv_cart_increment (PdvCart     *self,
                    const char  *product_id,
                    GError     **error)
{
  PdvCartLine *line;
  PdvMoney new_total;

  g_return_val_if_fail (PDV_IS_CART (self), FALSE);

  line = pdv_cart_find_line (self, product_id);
  if (line == NULL)
    return TRUE;

  /* The line total never exceeds the cart total, so checking the cart is enough. */
  if (!pdv_money_add (self->total, pdv_cart_line_get_unit_price (line), &new_total, error) ||
      !pdv_cart_line_set_quantity (line, pdv_cart_line_get_quantity (line) + 1, error))
    return FALSE;

  update_totals (self);
  return TRUE;
}

/**
 * pdv_cart_decrement:
 *
 * Takes one unit off a line; the line goes when its last unit does.
 *
 * Returns: whether the cart held the product
 */
gboolean
pdv_cart_decrement (PdvCart    *self,
                    const char *product_id)
{
  PdvCartLine *line;
  guint quantity;

  g_return_val_if_fail (PDV_IS_CART (self), FALSE);

  line = pdv_cart_find_line (self, product_id);
  if (line == NULL)
    return FALSE;

  quantity = pdv_cart_line_get_quantity (line);
  if (quantity <= 1)
    return pdv_cart_remove (self, product_id);

  /* Fewer units can only make the total smaller. */
  pdv_cart_line_set_quantity (line, quantity - 1, NULL);
  update_totals (self);
  return TRUE;
}

gboolean
pdv_cart_remove (PdvCart    *self,
                 const char *product_id)
{
  guint position;

  g_return_val_if_fail (PDV_IS_CART (self), FALSE);

  if (!find_position (self, product_id, &position))
    return FALSE;

  g_ptr_array_remove_index (self->lines, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  update_totals (self);
  return TRUE;
}

void
pdv_cart_clear (PdvCart *self)
{
  guint n_lines;

  g_return_if_fail (PDV_IS_CART (self));

  n_lines = self->lines->len;
  if (n_lines == 0)
    return;

  g_ptr_array_set_size (self->lines, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_lines, 0);
  update_totals (self);
}

/**
 * pdv_cart_find_line:
 *
 * Returns: (transfer none) (nullable): the line holding @product_id
 */
PdvCartLine *
pdv_cart_find_line (PdvCart    *self,
                    const char *product_id)
{
  guint position;

  g_return_val_if_fail (PDV_IS_CART (self), NULL);

  if (product_id == NULL || !find_position (self, product_id, &position))
    return NULL;
  return g_ptr_array_index (self->lines, position);
}

PdvMoney
pdv_cart_get_total (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), 0);
  return self->total;
}

/* Units across all lines: three beers and a water are four. */
guint
pdv_cart_get_n_units (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), 0);
  return self->n_units;
}

gboolean
pdv_cart_is_empty (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), TRUE);
  return self->lines->len == 0;
}

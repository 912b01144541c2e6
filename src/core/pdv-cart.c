/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-cart"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-cart.h"

/* The sale being built at the counter, as a list model of PdvCartLine in the
 * order products were first tapped, with the discount a manager allowed on
 * it. It lives in memory only: nothing is a sale until it is paid and
 * journalled. */
struct _PdvCart
{
  GObject          parent_instance;
  GPtrArray       *lines;
  PdvMoney         subtotal;
  PdvMoney         discount;          /* what the discount takes off now */
  guint            n_units;

  PdvDiscountKind  discount_kind;     /* PDV_DISCOUNT_NONE: none */
  gint64           discount_value;    /* centavos, or basis points */
  char            *discount_reason;
  PdvUser         *discount_authoriser;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdvCart, pdv_cart, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_TOTAL,
  PROP_SUBTOTAL,
  PROP_DISCOUNT,
  PROP_HAS_DISCOUNT,
  PROP_N_UNITS,
  PROP_IS_EMPTY,
  N_PROPS
};

enum {
  DISCOUNT_DROPPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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

static void
forget_discount (PdvCart *self)
{
  self->discount_kind = PDV_DISCOUNT_NONE;
  self->discount_value = 0;
  g_clear_pointer (&self->discount_reason, g_free);
  g_clear_pointer (&self->discount_authoriser, pdv_user_free);
}

/* A percentage follows the lines; an amount the lines no longer exceed
 * goes, and the cashier is told. An empty cart has no discount. */
static char *
follow_discount (PdvCart  *self,
                 PdvMoney  subtotal,
                 PdvMoney *out_discount)
{
  g_autofree char *value_text = NULL;
  g_autofree char *subtotal_text = NULL;

  *out_discount = 0;
  if (self->discount_kind == PDV_DISCOUNT_NONE)
    return NULL;
  if (self->lines->len == 0)
    {
      forget_discount (self);
      return NULL;
    }
  if (pdv_discount_compute (self->discount_kind, self->discount_value, subtotal, out_discount, NULL))
    return NULL;

  value_text = self->discount_kind == PDV_DISCOUNT_PERCENT ? pdv_discount_format_percent (self->discount_value)
                                                           : pdv_money_format (self->discount_value);
  subtotal_text = pdv_money_format (subtotal);
  forget_discount (self);
  /* Translators: the discount (an amount or a percentage), then what the sale now comes to */
  return g_strdup_printf (_("Discount removed: %s off would leave nothing to pay on %s"), value_text,
                          subtotal_text);
}

/* Sums afresh rather than adjusting by deltas: a cart holds a handful of
 * lines and every line total was already checked for overflow. */
static void
update_totals (PdvCart *self)
{
  PdvMoney subtotal = 0;
  PdvMoney discount;
  guint n_units = 0;
  gboolean was_empty = self->n_units == 0;
  gboolean had_discount = self->discount_kind != PDV_DISCOUNT_NONE;
  PdvMoney old_total = self->subtotal - self->discount;
  g_autofree char *dropped = NULL;

  for (guint i = 0; i < self->lines->len; i++)
    {
      PdvCartLine *line = g_ptr_array_index (self->lines, i);

      subtotal += pdv_cart_line_get_total (line);
      n_units += pdv_cart_line_get_quantity (line);
    }
  dropped = follow_discount (self, subtotal, &discount);

  g_object_freeze_notify (G_OBJECT (self));
  if (subtotal != self->subtotal)
    {
      self->subtotal = subtotal;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTOTAL]);
    }
  if (discount != self->discount)
    {
      self->discount = discount;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISCOUNT]);
    }
  if (subtotal - discount != old_total)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  if (had_discount != (self->discount_kind != PDV_DISCOUNT_NONE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DISCOUNT]);
  if (n_units != self->n_units)
    {
      self->n_units = n_units;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNITS]);
    }
  if (was_empty != (n_units == 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_EMPTY]);
  g_object_thaw_notify (G_OBJECT (self));

  if (dropped != NULL)
    g_signal_emit (self, signals[DISCOUNT_DROPPED], 0, dropped);
}

static void
pdv_cart_finalize (GObject *object)
{
  PdvCart *self = (PdvCart *) object;

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  forget_discount (self);

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
      g_value_set_int64 (value, pdv_cart_get_total (self));
      break;
    case PROP_SUBTOTAL:
      g_value_set_int64 (value, self->subtotal);
      break;
    case PROP_DISCOUNT:
      g_value_set_int64 (value, self->discount);
      break;
    case PROP_HAS_DISCOUNT:
      g_value_set_boolean (value, pdv_cart_has_discount (self));
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

  /* What is to be paid: the subtotal less the discount. */
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTOTAL] =
    g_param_spec_int64 ("subtotal", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISCOUNT] =
    g_param_spec_int64 ("discount", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_DISCOUNT] =
    g_param_spec_boolean ("has-discount", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_UNITS] =
    g_param_spec_uint ("n-units", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_EMPTY] =
    g_param_spec_boolean ("is-empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvCart::discount-dropped:
   * @message: what to tell the cashier
   *
   * The lines changed so that the discount would leave nothing to pay, and
   * it was removed. Emptying the cart removes it without a word.
   */
  signals[DISCOUNT_DROPPED] =
    g_signal_new ("discount-dropped",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
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

  if (!pdv_money_add (self->subtotal, unit_price, &new_total, error))
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
  if (!pdv_money_add (self->subtotal, pdv_cart_line_get_unit_price (line), &new_total, error) ||
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

/**
 * pdv_cart_clear:
 *
 * Empties the cart for the next sale; its discount goes too.
 */
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

/**
 * pdv_cart_get_total:
 *
 * Returns: what is to be paid: the subtotal less the discount
 */
PdvMoney
pdv_cart_get_total (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), 0);
  return self->subtotal - self->discount;
}

/**
 * pdv_cart_get_subtotal:
 *
 * Returns: the lines at the prices they were tapped at
 */
PdvMoney
pdv_cart_get_subtotal (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), 0);
  return self->subtotal;
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

/**
 * pdv_cart_set_discount:
 * @kind: %PDV_DISCOUNT_AMOUNT or %PDV_DISCOUNT_PERCENT
 * @value: centavos, or basis points (1000 is 10 %)
 * @reason: (nullable): why it was given
 * @authoriser: who allowed it: the operator when their role may give
 *   discounts, else the manager who typed their PIN
 *
 * Gives the sale a discount in place of any it had, if it leaves something
 * to pay. A percentage keeps following the lines as they change.
 */
gboolean
pdv_cart_set_discount (PdvCart          *self,
                       PdvDiscountKind   kind,
                       gint64            value,
                       const char       *reason,
                       const PdvUser    *authoriser,
                       GError          **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  g_autoptr(PdvUser) authoriser_copy = NULL;
  PdvMoney discount;

  g_return_val_if_fail (PDV_IS_CART (self), FALSE);
  g_return_val_if_fail (authoriser != NULL, FALSE);

  if (!pdv_discount_compute (kind, value, self->subtotal, &discount, error))
    return FALSE;

  /* Copied before the old discount goes: they may be its own. */
  authoriser_copy = pdv_user_copy (authoriser);
  forget_discount (self);
  self->discount_kind = kind;
  self->discount_value = value;
  self->discount_reason = *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
  self->discount_authoriser = g_steal_pointer (&authoriser_copy);
  /* Notified as a change even when the amount happens to be the same. */
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISCOUNT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DISCOUNT]);
  update_totals (self);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

void
pdv_cart_clear_discount (PdvCart *self)
{
  g_return_if_fail (PDV_IS_CART (self));

  if (self->discount_kind == PDV_DISCOUNT_NONE)
    return;
  forget_discount (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DISCOUNT]);
  update_totals (self);
}

gboolean
pdv_cart_has_discount (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), FALSE);
  return self->discount_kind != PDV_DISCOUNT_NONE;
}

/**
 * pdv_cart_get_discount:
 *
 * Returns: what the discount takes off the subtotal now, 0 without one
 */
PdvMoney
pdv_cart_get_discount (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), 0);
  return self->discount;
}

PdvDiscountKind
pdv_cart_get_discount_kind (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), PDV_DISCOUNT_NONE);
  return self->discount_kind;
}

/**
 * pdv_cart_get_discount_value:
 *
 * Returns: the discount as given: centavos, or basis points
 */
gint64
pdv_cart_get_discount_value (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), 0);
  return self->discount_value;
}

/**
 * pdv_cart_get_discount_reason:
 *
 * Returns: (nullable): why the discount was given
 */
const char *
pdv_cart_get_discount_reason (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), NULL);
  return self->discount_reason;
}

/**
 * pdv_cart_get_discount_authoriser:
 *
 * Returns: (nullable) (transfer none): who allowed the discount
 */
const PdvUser *
pdv_cart_get_discount_authoriser (PdvCart *self)
{
  g_return_val_if_fail (PDV_IS_CART (self), NULL);
  return self->discount_authoriser;
}

/**
 * pdv_cart_dup_draft:
 *
 * The cart as a sale to price and commit: its lines and its discount, with
 * no payments yet.
 *
 * Returns: (transfer full): the draft
 */
PdvSaleDraft *
pdv_cart_dup_draft (PdvCart *self)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();

  g_return_val_if_fail (PDV_IS_CART (self), NULL);

  for (guint i = 0; i < self->lines->len; i++)
    {
      PdvCartLine *line = g_ptr_array_index (self->lines, i);

      pdv_sale_draft_add_line (draft, pdv_cart_line_get_product_id (line), pdv_cart_line_get_quantity (line));
    }
  /* Checked when it was set: it cannot be refused here. */
  if (self->discount_kind != PDV_DISCOUNT_NONE &&
      !pdv_sale_draft_set_discount (draft, self->discount_kind, self->discount_value, self->discount_reason,
                                    self->discount_authoriser->id, NULL))
    g_assert_not_reached ();
  return g_steal_pointer (&draft);
}

/**
 * pdv_cart_load_draft:
 * @draft: a sale's lines and discount, e.g. an open sale's
 *   (pdv_open_sales_list())
 *
 * Fills the cart, emptied first, with @draft's lines at the catalog's names
 * and prices, and its discount as it was authorised.
 */
gboolean
pdv_cart_load_draft (PdvCart       *self,
                     PdvCatalog    *catalog,
                     PdvDb         *db,
                     PdvSaleDraft  *draft,
                     GError       **error)
{
  const GArray *lines = pdv_sale_draft_get_lines (draft);
  const char *reason = NULL;
  const char *authorised_by = NULL;
  gint64 value = 0;
  PdvDiscountKind kind = pdv_sale_draft_get_discount (draft, &value, &reason, &authorised_by);

  g_return_val_if_fail (PDV_IS_CART (self), FALSE);

  pdv_cart_clear (self);
  for (guint i = 0; i < lines->len; i++)
    {
      const PdvSaleLine *line = &g_array_index (lines, PdvSaleLine, i);
      g_autoptr(PdvProduct) product = pdv_catalog_lookup (catalog, line->product_id, error);

      if (product == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNKNOWN_PRODUCT,
                         _("No product has the code “%s”"), line->product_id);
          return FALSE;
        }
      for (gint64 n = 0; n < line->qty; n++)
        if (!pdv_cart_add_product (self, product->id, product->name, product->price, error))
          return FALSE;
    }
  if (kind != PDV_DISCOUNT_NONE)
    {
      g_autoptr(PdvUser) authoriser = NULL;

      if (authorised_by == NULL || !pdv_auth_find_user (db, authorised_by, &authoriser, error) ||
          authoriser == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED,
                                 _("The discount’s authoriser is no longer a user here"));
          return FALSE;
        }
      if (!pdv_cart_set_discount (self, kind, value, reason, authoriser, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * pdv_cart_describe_discount:
 *
 * Returns: (transfer full): the cart's discount in a few words, "Discount
 *   10%" or "Discount"
 */
char *
pdv_cart_describe_discount (PdvCart *self)
{
  g_autofree char *percent = NULL;

  g_return_val_if_fail (PDV_IS_CART (self), NULL);

  if (self->discount_kind != PDV_DISCOUNT_PERCENT)
    return g_strdup (_("Discount"));
  percent = pdv_discount_format_percent (self->discount_value);
  /* Translators: %s is the discount's percentage, e.g. "10%" */
  return g_strdup_printf (_("Discount %s"), percent);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-cart-totals"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-cart-totals.h"

/* The foot of the cart: the total to pay and how many items make it, and
 * above it, once a discount is given, the subtotal and the discount with
 * its reason and a button to take it off ("cart.remove-discount"). */
struct _PdvCartTotals
{
  GtkWidget  parent_instance;

  PdvCart   *cart;

  GtkWidget *discount_box;
  GtkLabel  *subtotal_label;
  GtkLabel  *discount_title_label;
  GtkLabel  *discount_reason_label;
  GtkLabel  *discount_label;
  GtkLabel  *items_label;
  GtkLabel  *total_label;
};

G_DEFINE_FINAL_TYPE (PdvCartTotals, pdv_cart_totals, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CART,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (PdvCartTotals *self)
{
  gboolean has_discount = self->cart != NULL && pdv_cart_has_discount (self->cart);
  guint n_units = self->cart != NULL ? pdv_cart_get_n_units (self->cart) : 0;
  g_autofree char *total = pdv_money_format (self->cart != NULL ? pdv_cart_get_total (self->cart) : 0);
  g_autofree char *items = NULL;

  gtk_label_set_label (self->total_label, total);
  if (n_units > 0)
    items = g_strdup_printf (ngettext ("%u item", "%u items", n_units), n_units);
  gtk_label_set_label (self->items_label, items != NULL ? items : "");
  gtk_widget_set_visible (GTK_WIDGET (self->items_label), n_units > 0);

  gtk_widget_set_visible (self->discount_box, has_discount);
  if (has_discount)
    {
      g_autofree char *subtotal = pdv_money_format (pdv_cart_get_subtotal (self->cart));
      g_autofree char *discount = pdv_money_format (-pdv_cart_get_discount (self->cart));
      g_autofree char *title = pdv_cart_describe_discount (self->cart);
      const char *reason = pdv_cart_get_discount_reason (self->cart);

      gtk_label_set_label (self->subtotal_label, subtotal);
      gtk_label_set_label (self->discount_label, discount);
      gtk_label_set_label (self->discount_title_label, title);
      gtk_label_set_label (self->discount_reason_label, reason != NULL ? reason : "");
      gtk_widget_set_visible (GTK_WIDGET (self->discount_reason_label), reason != NULL);
    }
}

static void
pdv_cart_totals_dispose (GObject *object)
{
  PdvCartTotals *self = PDV_CART_TOTALS (object);
  GtkWidget *child;

  if (self->cart != NULL)
    g_signal_handlers_disconnect_by_data (self->cart, self);
  g_clear_object (&self->cart);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_CART_TOTALS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_cart_totals_parent_class)->dispose (object);
}

static void
pdv_cart_totals_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdvCartTotals *self = PDV_CART_TOTALS (object);

  switch (prop_id)
    {
    case PROP_CART:
      g_value_set_object (value, self->cart);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_cart_totals_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdvCartTotals *self = PDV_CART_TOTALS (object);

  switch (prop_id)
    {
    case PROP_CART:
      pdv_cart_totals_set_cart (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_cart_totals_class_init (PdvCartTotalsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_cart_totals_dispose;
  object_class->get_property = pdv_cart_totals_get_property;
  object_class->set_property = pdv_cart_totals_set_property;

  properties[PROP_CART] =
    g_param_spec_object ("cart", NULL, NULL, PDV_TYPE_CART,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-cart-totals.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvCartTotals, discount_box);
  gtk_widget_class_bind_template_child (widget_class, PdvCartTotals, subtotal_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartTotals, discount_title_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartTotals, discount_reason_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartTotals, discount_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartTotals, items_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartTotals, total_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "carttotals");
}

static void
pdv_cart_totals_init (PdvCartTotals *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

PdvCart *
pdv_cart_totals_get_cart (PdvCartTotals *self)
{
  g_return_val_if_fail (PDV_IS_CART_TOTALS (self), NULL);
  return self->cart;
}

void
pdv_cart_totals_set_cart (PdvCartTotals *self,
                          PdvCart       *cart)
{
  static const char * const signals[] = {
    "notify::total", "notify::subtotal", "notify::discount", "notify::has-discount", "notify::n-units",
  };

  g_return_if_fail (PDV_IS_CART_TOTALS (self));
  g_return_if_fail (cart == NULL || PDV_IS_CART (cart));

  if (self->cart == cart)
    return;
  if (self->cart != NULL)
    g_signal_handlers_disconnect_by_data (self->cart, self);
  g_set_object (&self->cart, cart);
  if (cart != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
      g_signal_connect_object (cart, signals[i], G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CART]);
}

const char *
pdv_cart_totals_get_total_text (PdvCartTotals *self)
{
  g_return_val_if_fail (PDV_IS_CART_TOTALS (self), NULL);
  return gtk_label_get_label (self->total_label);
}

/**
 * pdv_cart_totals_get_discount_text:
 *
 * Returns: (nullable): the discount as shown, e.g. "-R$ 2,40"; %NULL when
 *   the sale has none
 */
const char *
pdv_cart_totals_get_discount_text (PdvCartTotals *self)
{
  g_return_val_if_fail (PDV_IS_CART_TOTALS (self), NULL);
  return gtk_widget_get_visible (self->discount_box) ? gtk_label_get_label (self->discount_label) : NULL;
}

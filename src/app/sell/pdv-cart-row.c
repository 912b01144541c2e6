/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-cart-row"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-cart-row.h"

/* A line of the sale with its − / + / remove buttons. The buttons activate
 * the "cart.*" actions of whichever page holds the row, targeted at the
 * line's product, so the row never touches the cart itself. */
struct _PdvCartRow
{
  GtkListBoxRow  parent_instance;

  PdvCartLine   *line;

  GtkLabel      *name_label;
  GtkLabel      *line_total_label;
  GtkLabel      *quantity_label;
  GtkLabel      *unit_price_label;
  GtkButton     *decrement_button;
  GtkButton     *increment_button;
  GtkButton     *remove_button;
};

G_DEFINE_FINAL_TYPE (PdvCartRow, pdv_cart_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_LINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_amounts (PdvCartRow *self)
{
  g_autofree char *quantity = g_strdup_printf ("%u", pdv_cart_line_get_quantity (self->line));
  g_autofree char *total = pdv_money_format (pdv_cart_line_get_total (self->line));
  g_autofree char *unit = pdv_money_format (pdv_cart_line_get_unit_price (self->line));
  /* Translators: the price of one unit on a line of the sale, e.g. "× R$ 12,00" */
  g_autofree char *unit_text = g_strdup_printf (_("× %s"), unit);
  g_autofree char *description = NULL;

  gtk_label_set_label (self->quantity_label, quantity);
  gtk_label_set_label (self->line_total_label, total);
  gtk_label_set_label (self->unit_price_label, unit_text);

  /* Translators: how a screen reader announces a line of the sale:
   * quantity, product name, line total */
  description = g_strdup_printf (_("%u × %s, %s"),
                                 pdv_cart_line_get_quantity (self->line),
                                 pdv_cart_line_get_name (self->line), total);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
line_changed_cb (PdvCartRow *self)
{
  update_amounts (self);
}

static void
pdv_cart_row_constructed (GObject *object)
{
  PdvCartRow *self = PDV_CART_ROW (object);
  GVariant *target;

  G_OBJECT_CLASS (pdv_cart_row_parent_class)->constructed (object);

  g_assert (self->line != NULL);

  gtk_label_set_label (self->name_label, pdv_cart_line_get_name (self->line));

  target = g_variant_ref_sink (g_variant_new_string (pdv_cart_line_get_product_id (self->line)));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->decrement_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->increment_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->remove_button), target);
  g_variant_unref (target);

  g_signal_connect_object (self->line, "notify::total",
                           G_CALLBACK (line_changed_cb), self, G_CONNECT_SWAPPED);
  update_amounts (self);
}

static void
pdv_cart_row_dispose (GObject *object)
{
  PdvCartRow *self = PDV_CART_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_CART_ROW);
  g_clear_object (&self->line);

  G_OBJECT_CLASS (pdv_cart_row_parent_class)->dispose (object);
}

static void
pdv_cart_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PdvCartRow *self = PDV_CART_ROW (object);

  switch (prop_id)
    {
    case PROP_LINE:
      g_value_set_object (value, self->line);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_cart_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PdvCartRow *self = PDV_CART_ROW (object);

  switch (prop_id)
    {
    case PROP_LINE:
      self->line = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_cart_row_class_init (PdvCartRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_cart_row_constructed;
  object_class->dispose = pdv_cart_row_dispose;
  object_class->get_property = pdv_cart_row_get_property;
  object_class->set_property = pdv_cart_row_set_property;

  properties[PROP_LINE] =
    g_param_spec_object ("line", NULL, NULL, PDV_TYPE_CART_LINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-cart-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvCartRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartRow, line_total_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartRow, quantity_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartRow, unit_price_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCartRow, decrement_button);
  gtk_widget_class_bind_template_child (widget_class, PdvCartRow, increment_button);
  gtk_widget_class_bind_template_child (widget_class, PdvCartRow, remove_button);
}

static void
pdv_cart_row_init (PdvCartRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pdv_cart_row_new (PdvCartLine *line)
{
  g_return_val_if_fail (PDV_IS_CART_LINE (line), NULL);

  return g_object_new (PDV_TYPE_CART_ROW, "line", line, NULL);
}

PdvCartLine *
pdv_cart_row_get_line (PdvCartRow *self)
{
  g_return_val_if_fail (PDV_IS_CART_ROW (self), NULL);
  return self->line;
}

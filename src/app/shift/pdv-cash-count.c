/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-cash-count"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-cash-count.h"

/* The drawer counted note by note and coin by coin, as people count it: a
 * row per denomination with − and + for quick taps and an entry for a
 * number (a horizontal spin button), and the running total large enough to read from a step back. */
struct _PdvCashCounter
{
  GtkWidget    parent_instance;

  GtkLabel    *total_label;
  GtkFlowBox  *rows_box;
  GtkSpinButton *spins[PDV_N_DENOMINATIONS];
};

G_DEFINE_FINAL_TYPE (PdvCashCounter, pdv_cash_counter, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_total (PdvCashCounter *self)
{
  g_autofree char *text = pdv_money_format (pdv_cash_counter_get_total (self));

  gtk_label_set_label (self->total_label, text);
}

static void
value_changed_cb (PdvCashCounter *self)
{
  update_total (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
build_rows (PdvCashCounter *self)
{
  for (guint i = 0; i < PDV_N_DENOMINATIONS; i++)
    {
      PdvMoney value = pdv_cash_denominations[i];
      g_autofree char *name = pdv_money_format (value);
      g_autofree char *accessible = NULL;
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (name);
      GtkWidget *kind;
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 100000, 1);

      /* Notes go down to R$ 2; R$ 1 and below are coins. */
      kind = gtk_image_new_from_icon_name (value >= 200 ? "pdv-cash-symbolic" : "media-optical-symbolic");
      gtk_widget_set_tooltip_text (kind, value >= 200 ? _("Note") : _("Coin"));
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_width_chars (GTK_LABEL (label), 9);
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_set_hexpand (label, TRUE);

      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), 4);
      gtk_orientable_set_orientation (GTK_ORIENTABLE (spin), GTK_ORIENTATION_HORIZONTAL);
      /* Translators: %s is a note or coin, e.g. "R$ 50,00" */
      accessible = g_strdup_printf (_("How many of %s"), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      self->spins[i] = GTK_SPIN_BUTTON (spin);
      g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (value_changed_cb), self);

      gtk_box_append (GTK_BOX (row), kind);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), spin);
      gtk_flow_box_append (self->rows_box, row);
      /* The focus goes to the count itself, not the box's wrapper. */
      gtk_widget_set_focusable (gtk_widget_get_parent (row), FALSE);
    }
}

static void
pdv_cash_counter_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PDV_TYPE_CASH_COUNTER);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_cash_counter_parent_class)->dispose (object);
}

static void
pdv_cash_counter_class_init (PdvCashCounterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_cash_counter_dispose;

  /**
   * PdvCashCounter::changed:
   *
   * The count changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/shift/pdv-cash-count.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvCashCounter, total_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCashCounter, rows_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_cash_counter_init (PdvCashCounter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_rows (self);
  update_total (self);
}

GtkWidget *
pdv_cash_counter_new (void)
{
  return g_object_new (PDV_TYPE_CASH_COUNTER, NULL);
}

void
pdv_cash_counter_get_count (PdvCashCounter *self,
                          PdvCashCount       *out_count)
{
  g_return_if_fail (PDV_IS_CASH_COUNTER (self));
  g_return_if_fail (out_count != NULL);

  pdv_cash_count_init (out_count);
  for (guint i = 0; i < PDV_N_DENOMINATIONS; i++)
    out_count->qty[i] = gtk_spin_button_get_value_as_int (self->spins[i]);
}

PdvMoney
pdv_cash_counter_get_total (PdvCashCounter *self)
{
  PdvCashCount count;
  PdvMoney total = 0;

  g_return_val_if_fail (PDV_IS_CASH_COUNTER (self), 0);

  pdv_cash_counter_get_count (self, &count);
  /* The spin buttons' range keeps the total far from overflowing. */
  if (!pdv_cash_count_total (&count, &total, NULL))
    return 0;
  return total;
}

const char *
pdv_cash_counter_get_total_text (PdvCashCounter *self)
{
  g_return_val_if_fail (PDV_IS_CASH_COUNTER (self), NULL);
  return gtk_label_get_label (self->total_label);
}

void
pdv_cash_counter_set_quantity (PdvCashCounter *self,
                             PdvMoney            denomination,
                             gint64              qty)
{
  g_return_if_fail (PDV_IS_CASH_COUNTER (self));

  for (guint i = 0; i < PDV_N_DENOMINATIONS; i++)
    if (pdv_cash_denominations[i] == denomination)
      {
        gtk_spin_button_set_value (self->spins[i], (double) qty);
        return;
      }
  g_return_if_reached ();
}

void
pdv_cash_counter_reset (PdvCashCounter *self)
{
  g_return_if_fail (PDV_IS_CASH_COUNTER (self));

  for (guint i = 0; i < PDV_N_DENOMINATIONS; i++)
    gtk_spin_button_set_value (self->spins[i], 0);
}

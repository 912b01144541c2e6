/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sale-done"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-sale-done.h"

/* What the cashier sees once a sale is journalled: the change to hand back,
 * big, and the way to the next customer ("sell.new-sale"). */
struct _PdvSaleDone
{
  GtkWidget  parent_instance;

  gboolean   has_change;

  GtkLabel  *done_change_caption;
  GtkLabel  *done_change_label;
  GtkLabel  *done_total_label;
  GtkLabel  *done_payments_label;
  GtkButton *new_sale_button;
};

G_DEFINE_FINAL_TYPE (PdvSaleDone, pdv_sale_done, GTK_TYPE_WIDGET)

static void
pdv_sale_done_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PDV_TYPE_SALE_DONE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_sale_done_parent_class)->dispose (object);
}

static void
pdv_sale_done_class_init (PdvSaleDoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_sale_done_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-sale-done.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvSaleDone, done_change_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleDone, done_change_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleDone, done_total_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleDone, done_payments_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleDone, new_sale_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_sale_done_init (PdvSaleDone *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pdv_sale_done_new (void)
{
  return g_object_new (PDV_TYPE_SALE_DONE, NULL);
}

/**
 * pdv_sale_done_show_sale:
 * @change: cash to hand back; 0 when there is none
 * @payments: how it was paid, e.g. "Cash R$ 50,00"
 */
void
pdv_sale_done_show_sale (PdvSaleDone *self,
                         PdvMoney     total,
                         PdvMoney     change,
                         const char  *payments)
{
  g_autofree char *total_amount = pdv_money_format (total);
  /* Translators: %s is the amount of the sale just made */
  g_autofree char *total_text = g_strdup_printf (_("Total %s"), total_amount);

  g_return_if_fail (PDV_IS_SALE_DONE (self));

  self->has_change = change > 0;
  if (self->has_change)
    {
      g_autofree char *change_text = pdv_money_format (change);

      gtk_label_set_label (self->done_change_label, change_text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->done_change_label), "no-change");
    }
  else
    {
      gtk_label_set_label (self->done_change_label, _("No change"));
      gtk_widget_add_css_class (GTK_WIDGET (self->done_change_label), "no-change");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->done_change_caption), self->has_change);
  gtk_label_set_label (self->done_total_label, total_text);
  gtk_label_set_label (self->done_payments_label, payments != NULL ? payments : "");
}

/**
 * pdv_sale_done_get_change_text:
 *
 * Returns: (nullable): the change shown, %NULL when there is none to give
 */
const char *
pdv_sale_done_get_change_text (PdvSaleDone *self)
{
  g_return_val_if_fail (PDV_IS_SALE_DONE (self), NULL);
  return self->has_change ? gtk_label_get_label (self->done_change_label) : NULL;
}

const char *
pdv_sale_done_get_total_text (PdvSaleDone *self)
{
  g_return_val_if_fail (PDV_IS_SALE_DONE (self), NULL);
  return gtk_label_get_label (self->done_total_label);
}

/* Enter or Space then starts the next sale. */
void
pdv_sale_done_focus (PdvSaleDone *self)
{
  g_return_if_fail (PDV_IS_SALE_DONE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->new_sale_button));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-cash-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "pdv-amount-entry.h"
#include "pdv-cash-panel.h"

/* Cash: what the customer hands over, typed or picked from the notes they
 * are likely to hold, and the change in figures big enough to read out. An
 * empty field means the exact amount. The panel takes no payment itself:
 * its button asks the window for "payment.confirm". */
struct _PdvCashPanel
{
  GtkWidget  parent_instance;

  PdvMoney   due;

  GtkEntry  *tendered_entry;
  GtkBox    *quick_tender_box;
  GtkWidget *change_box;
  GtkLabel  *change_caption;
  GtkLabel  *change_label;
  GtkButton *confirm_button;
};

G_DEFINE_FINAL_TYPE (PdvCashPanel, pdv_cash_panel, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
create_quick_tender_button (PdvMoney amount,
                            gboolean exact)
{
  g_autofree char *text = pdv_money_format (amount);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *amount_label = gtk_label_new (text);

  gtk_widget_add_css_class (amount_label, "numeric");
  gtk_widget_add_css_class (button, "quick-tender");
  gtk_box_append (GTK_BOX (box), amount_label);
  if (exact)
    {
      GtkWidget *caption = gtk_label_new (_("Exact"));

      gtk_widget_add_css_class (caption, "caption");
      gtk_box_prepend (GTK_BOX (box), caption);
      gtk_widget_add_css_class (button, "exact-tender");
      gtk_widget_set_tooltip_text (button, _("The exact amount (F1)"));
    }
  {
    /* Translators: a button that takes this much cash, read by a screen
     * reader; %s is an amount */
    g_autofree char *label = exact ? g_strdup_printf (_("Exact amount, %s"), text)
                                   : g_strdup_printf (_("Received %s"), text);

    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "payment.tender");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", (gint64) amount);
  return button;
}

static void
rebuild_quick_tenders (PdvCashPanel *self)
{
  PdvMoney tenders[PDV_QUICK_TENDERS_MAX];
  guint n_tenders = self->due > 0 ? pdv_cash_suggest_tenders (self->due, tenders) : 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->quick_tender_box))) != NULL)
    gtk_box_remove (self->quick_tender_box, child);
  for (guint i = 0; i < n_tenders; i++)
    gtk_box_append (self->quick_tender_box, create_quick_tender_button (tenders[i], i == 0));
}

static void
refresh (PdvCashPanel *self)
{
  g_autoptr(GError) error = NULL;
  PdvMoney tendered = 0;
  gboolean valid = pdv_cash_panel_get_tendered (self, &tendered, &error);

  pdv_amount_entry_mark_valid (GTK_EDITABLE (self->tendered_entry), valid);

  if (!valid)
    {
      gtk_label_set_label (self->change_caption, "");
      gtk_label_set_label (self->change_label, error->message);
      gtk_widget_add_css_class (self->change_box, "invalid");
      gtk_widget_remove_css_class (self->change_box, "partial");
      gtk_button_set_label (self->confirm_button, _("Complete Sale"));
    }
  else if (tendered >= self->due)
    {
      g_autofree char *change = pdv_money_format (tendered - self->due);

      gtk_label_set_label (self->change_caption, _("Change"));
      gtk_label_set_label (self->change_label, tendered > self->due ? change : _("No change"));
      gtk_widget_remove_css_class (self->change_box, "invalid");
      gtk_widget_remove_css_class (self->change_box, "partial");
      gtk_button_set_label (self->confirm_button, _("Complete Sale"));
    }
  else
    {
      g_autofree char *left = pdv_money_format (self->due - tendered);
      g_autofree char *taken = pdv_money_format (tendered);
      /* Translators: %s is an amount of money, part of the sale */
      g_autofree char *confirm = g_strdup_printf (_("Take %s in Cash"), taken);

      gtk_label_set_label (self->change_caption, _("Still to pay after this"));
      gtk_label_set_label (self->change_label, left);
      gtk_widget_remove_css_class (self->change_box, "invalid");
      gtk_widget_add_css_class (self->change_box, "partial");
      gtk_button_set_label (self->confirm_button, confirm);
    }
}

static void
tendered_changed_cb (GtkEntry     *entry,
                     PdvCashPanel *self)
{
  refresh (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tendered_activated_cb (GtkEntry     *entry,
                       PdvCashPanel *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "payment.confirm", NULL);
}

static void
pdv_cash_panel_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PDV_TYPE_CASH_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_cash_panel_parent_class)->dispose (object);
}

static void
pdv_cash_panel_class_init (PdvCashPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_cash_panel_dispose;

  /**
   * PdvCashPanel::changed:
   *
   * What was handed over changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-cash-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvCashPanel, tendered_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvCashPanel, quick_tender_box);
  gtk_widget_class_bind_template_child (widget_class, PdvCashPanel, change_box);
  gtk_widget_class_bind_template_child (widget_class, PdvCashPanel, change_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvCashPanel, change_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCashPanel, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, tendered_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tendered_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_cash_panel_init (PdvCashPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  refresh (self);
}

GtkWidget *
pdv_cash_panel_new (void)
{
  return g_object_new (PDV_TYPE_CASH_PANEL, NULL);
}

PdvMoney
pdv_cash_panel_get_due (PdvCashPanel *self)
{
  g_return_val_if_fail (PDV_IS_CASH_PANEL (self), 0);
  return self->due;
}

/**
 * pdv_cash_panel_set_due:
 *
 * Starts afresh for @due: an empty field and the notes that suit it.
 */
void
pdv_cash_panel_set_due (PdvCashPanel *self,
                        PdvMoney      due)
{
  g_return_if_fail (PDV_IS_CASH_PANEL (self));

  self->due = MAX (due, 0);
  rebuild_quick_tenders (self);
  gtk_editable_set_text (GTK_EDITABLE (self->tendered_entry), "");
  refresh (self);
}

/**
 * pdv_cash_panel_get_tendered:
 * @out_tendered: (out): what was handed over; the amount due when nothing
 *   was typed
 */
gboolean
pdv_cash_panel_get_tendered (PdvCashPanel  *self,
                             PdvMoney      *out_tendered,
                             GError       **error)
{
  const char *text;
  PdvMoney tendered;

  g_return_val_if_fail (PDV_IS_CASH_PANEL (self), FALSE);

  text = gtk_editable_get_text (GTK_EDITABLE (self->tendered_entry));
  if (*text == '\0')
    {
      *out_tendered = self->due;
      return TRUE;
    }
  if (!pdv_amount_entry_parse (GTK_EDITABLE (self->tendered_entry), &tendered, error))
    return FALSE;
  if (!pdv_cash_check_tendered (self->due, tendered, error))
    return FALSE;
  *out_tendered = tendered;
  return TRUE;
}

void
pdv_cash_panel_set_tendered (PdvCashPanel *self,
                             PdvMoney      tendered)
{
  g_return_if_fail (PDV_IS_CASH_PANEL (self));
  pdv_amount_entry_set (GTK_EDITABLE (self->tendered_entry), tendered);
}

/**
 * pdv_cash_panel_type:
 *
 * Types @text into the field, replacing what was there.
 */
void
pdv_cash_panel_type (PdvCashPanel *self,
                     const char   *text)
{
  g_return_if_fail (PDV_IS_CASH_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->tendered_entry), text);
}

/**
 * pdv_cash_panel_get_change_text:
 *
 * Returns: (nullable): the change shown, or %NULL when what was handed over
 *   does not cover the amount due
 */
const char *
pdv_cash_panel_get_change_text (PdvCashPanel *self)
{
  g_return_val_if_fail (PDV_IS_CASH_PANEL (self), NULL);

  if (gtk_widget_has_css_class (self->change_box, "partial") ||
      gtk_widget_has_css_class (self->change_box, "invalid"))
    return NULL;
  return gtk_label_get_label (self->change_label);
}

void
pdv_cash_panel_focus (PdvCashPanel *self)
{
  g_return_if_fail (PDV_IS_CASH_PANEL (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->tendered_entry));
}

void
pdv_cash_panel_focus_confirm (PdvCashPanel *self)
{
  g_return_if_fail (PDV_IS_CASH_PANEL (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));
}


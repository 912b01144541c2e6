/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-voucher-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-amount-entry.h"
#include "pdv-pin-check.h"
#include "pdv-voucher-panel.h"

/* A voucher or courtesy: an amount, an optional code or reason, and a
 * manager's PIN. The PIN is checked in a worker, on a database connection of
 * its own, as each manager's hash takes about 100 ms to verify; the panel
 * says how it went with "authorised" or "refused". */
struct _PdvVoucherPanel
{
  GtkWidget     parent_instance;

  PdvContext   *context;
  PdvMoney      due;
  GCancellable *cancellable;

  GtkEntry     *amount_entry;
  GtkEntry     *reference_entry;
  GtkSpinner   *authorise_spinner;
  GtkLabel     *hint_label;
  PdvPinPad    *pin_pad;
};

G_DEFINE_FINAL_TYPE (PdvVoucherPanel, pdv_voucher_panel, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  AUTHORISED,
  REFUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_authorising (PdvVoucherPanel *self,
                 gboolean         authorising)
{
  /* The pad keeps its focus, and its sensitivity with it: a PIN typed
   * meanwhile waits, as only one check runs at a time. */
  gtk_widget_set_visible (GTK_WIDGET (self->authorise_spinner), authorising);
  gtk_spinner_set_spinning (self->authorise_spinner, authorising);
  gtk_label_set_label (self->hint_label,
                       authorising ? _("Checking the PIN…") : _("A manager types their PIN to authorise it."));
}

static void
manager_authorised_cb (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PdvVoucherPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) manager = pdv_authorise_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_authorising (self, FALSE);
  pdv_pin_pad_clear (self->pin_pad);

  if (manager != NULL)
    {
      g_signal_emit (self, signals[AUTHORISED], 0, manager->id);
    }
  else
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      pdv_pin_pad_focus (self->pin_pad);
      g_signal_emit (self, signals[REFUSED], 0, error->message);
    }
}

static void
pin_submitted_cb (PdvPinPad       *pin_pad,
                  const char      *pin,
                  PdvVoucherPanel *self)
{
  g_autoptr(GError) error = NULL;
  PdvMoney amount;

  if (self->cancellable != NULL || self->context == NULL)
    return;
  if (!pdv_voucher_panel_get_amount (self, &amount, &error))
    {
      g_signal_emit (self, signals[REFUSED], 0, error->message);
      return;
    }

  set_authorising (self, TRUE);
  self->cancellable = g_cancellable_new ();
  pdv_authorise_async (self->context, PDV_PERMISSION_COURTESY, pin, NULL, FALSE, self->cancellable,
                       manager_authorised_cb, g_object_ref (self));
}

static void
amount_changed_cb (GtkEntry        *entry,
                   PdvVoucherPanel *self)
{
  PdvMoney amount;

  pdv_amount_entry_mark_valid (GTK_EDITABLE (entry), pdv_voucher_panel_get_amount (self, &amount, NULL));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
pdv_voucher_panel_dispose (GObject *object)
{
  PdvVoucherPanel *self = PDV_VOUCHER_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (object), PDV_TYPE_VOUCHER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_voucher_panel_parent_class)->dispose (object);
}

static void
pdv_voucher_panel_finalize (GObject *object)
{
  PdvVoucherPanel *self = PDV_VOUCHER_PANEL (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_voucher_panel_parent_class)->finalize (object);
}

static void
pdv_voucher_panel_class_init (PdvVoucherPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_voucher_panel_dispose;
  object_class->finalize = pdv_voucher_panel_finalize;

  /**
   * PdvVoucherPanel::changed:
   *
   * The amount changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * PdvVoucherPanel::authorised:
   * @manager: the id of the manager whose PIN was typed
   */
  signals[AUTHORISED] =
    g_signal_new ("authorised",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * PdvVoucherPanel::refused:
   * @message: why, for the cashier
   */
  signals[REFUSED] =
    g_signal_new ("refused",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (PDV_TYPE_PIN_PAD);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-voucher-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvVoucherPanel, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvVoucherPanel, reference_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvVoucherPanel, authorise_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdvVoucherPanel, hint_label);
  gtk_widget_class_bind_template_child (widget_class, PdvVoucherPanel, pin_pad);
  gtk_widget_class_bind_template_callback (widget_class, amount_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_submitted_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_voucher_panel_init (PdvVoucherPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pdv_voucher_panel_new (void)
{
  return g_object_new (PDV_TYPE_VOUCHER_PANEL, NULL);
}

/**
 * pdv_voucher_panel_set_context:
 *
 * The terminal whose managers' PINs are checked.
 */
void
pdv_voucher_panel_set_context (PdvVoucherPanel *self,
                               PdvContext      *context)
{
  g_return_if_fail (PDV_IS_VOUCHER_PANEL (self));
  g_return_if_fail (context == NULL || PDV_IS_CONTEXT (context));

  g_set_object (&self->context, context);
}

/**
 * pdv_voucher_panel_set_due:
 *
 * Starts afresh for @due: the voucher covers all of it unless edited.
 */
void
pdv_voucher_panel_set_due (PdvVoucherPanel *self,
                           PdvMoney         due)
{
  g_return_if_fail (PDV_IS_VOUCHER_PANEL (self));

  self->due = due;
  gtk_editable_set_text (GTK_EDITABLE (self->reference_entry), "");
  pdv_amount_entry_set (GTK_EDITABLE (self->amount_entry), due);
}

gboolean
pdv_voucher_panel_get_amount (PdvVoucherPanel  *self,
                              PdvMoney         *out_amount,
                              GError          **error)
{
  g_return_val_if_fail (PDV_IS_VOUCHER_PANEL (self), FALSE);
  return pdv_amount_entry_parse_part (GTK_EDITABLE (self->amount_entry), self->due, out_amount, error);
}

/**
 * pdv_voucher_panel_get_reference:
 *
 * Returns: (nullable): the voucher's code or reason, %NULL when none was typed
 */
const char *
pdv_voucher_panel_get_reference (PdvVoucherPanel *self)
{
  const char *text;

  g_return_val_if_fail (PDV_IS_VOUCHER_PANEL (self), NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->reference_entry));
  return *text != '\0' ? text : NULL;
}

/**
 * pdv_voucher_panel_submit:
 *
 * Checks the PIN typed, as the pad's OK key does.
 */
void
pdv_voucher_panel_submit (PdvVoucherPanel *self)
{
  g_return_if_fail (PDV_IS_VOUCHER_PANEL (self));

  if (*pdv_pin_pad_get_pin (self->pin_pad) == '\0')
    {
      pdv_pin_pad_focus (self->pin_pad);
      g_signal_emit (self, signals[REFUSED], 0, _("A manager types their PIN to authorise the voucher"));
      return;
    }
  g_signal_emit_by_name (self->pin_pad, "submitted", pdv_pin_pad_get_pin (self->pin_pad));
}

gboolean
pdv_voucher_panel_get_authorising (PdvVoucherPanel *self)
{
  g_return_val_if_fail (PDV_IS_VOUCHER_PANEL (self), FALSE);
  return self->cancellable != NULL;
}

PdvPinPad *
pdv_voucher_panel_get_pin_pad (PdvVoucherPanel *self)
{
  g_return_val_if_fail (PDV_IS_VOUCHER_PANEL (self), NULL);
  return self->pin_pad;
}

void
pdv_voucher_panel_type_amount (PdvVoucherPanel *self,
                               const char      *text)
{
  g_return_if_fail (PDV_IS_VOUCHER_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), text);
}

void
pdv_voucher_panel_type_reference (PdvVoucherPanel *self,
                                  const char      *text)
{
  g_return_if_fail (PDV_IS_VOUCHER_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->reference_entry), text);
}

void
pdv_voucher_panel_focus (PdvVoucherPanel *self)
{
  g_return_if_fail (PDV_IS_VOUCHER_PANEL (self));
  pdv_pin_pad_focus (self->pin_pad);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-drawer-opener"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-drawer-opener.h"

/* Opening the cash drawer without a sale ("no sale"): a reason, which may
 * be left out; a manager's PIN when the operator may not open it alone;
 * the opening journalled; then the pulse to the receipt printer, which the
 * drawer hangs from. The journal comes first: a drawer that stays shut
 * (no printer, no paper) is reported, and the attempt stays on record. */
struct _PdvDrawerOpener
{
  GObject            parent_instance;

  PdvContext        *context;
  PdvReceiptPrinter *printer;
  guint              n_printing;
  char              *last_message;

  /* The request under way: the reason dialog, then the manager's prompt. */
  PdvUser           *operator_user;
  char              *reason;
  GCancellable      *cancellable;
  GtkWindow         *parent;         /* weak */
  GtkWidget         *dialog;         /* until destroyed */
  GtkEditable       *reason_entry;   /* the dialog's */
  PdvManagerPrompt  *prompt;         /* until destroyed */
};

G_DEFINE_FINAL_TYPE (PdvDrawerOpener, pdv_drawer_opener, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
finish (PdvDrawerOpener *self,
        gboolean         recorded,
        const char      *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  g_signal_emit (self, signals[FINISHED], 0, recorded, message);
}

/* One pulse on its way to the printer: for an opening without a sale, or
 * for cash going back to a customer (a refund or a void already
 * journalled). */
typedef struct {
  PdvDrawerOpener *self;
  PdvMoney         cash_back;
} Pulse;

static void
pulse_free (Pulse *pulse)
{
  g_object_unref (pulse->self);
  g_free (pulse);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pulse, pulse_free)

static void
drawer_printed_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Pulse) pulse = user_data;
  PdvDrawerOpener *self = pulse->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *cash_back = pdv_money_format (pulse->cash_back);
  g_autofree char *message = NULL;
  gboolean opened;

  self->n_printing--;
  opened = pdv_receipt_printer_print_bytes_finish (PDV_RECEIPT_PRINTER (source_object), result, &error);
  if (!opened && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!opened)
    g_message ("The cash drawer did not open: %s", error->message);

  if (pulse->cash_back > 0 && opened)
    /* Translators: %s is an amount of money */
    message = g_strdup_printf (_("Cash drawer opened: give %s back"), cash_back);
  else if (pulse->cash_back > 0)
    /* Translators: what went wrong with the printer, then an amount of money */
    message = g_strdup_printf (_("The drawer did not open (%s): open it with its key and give %s back"),
                               error->message, cash_back);
  else if (opened)
    message = g_strdup (_("Cash drawer opened"));
  else if (g_error_matches (error, PDV_RECEIPT_PRINTER_ERROR, PDV_RECEIPT_PRINTER_ERROR_NO_PRINTER))
    message = g_strdup (_("The opening is recorded, but there is no printer to open the drawer"));
  else
    /* Translators: %s says what went wrong with the printer */
    message = g_strdup_printf (_("The opening is recorded, but the drawer did not open: %s"), error->message);
  finish (self, TRUE, message);
}

static void
send_pulse (PdvDrawerOpener *self,
            PdvMoney         cash_back)
{
  g_autoptr(GBytes) bytes = pdv_escpos_open_drawer ();
  Pulse *pulse = g_new0 (Pulse, 1);

  pulse->self = g_object_ref (self);
  pulse->cash_back = cash_back;
  self->n_printing++;
  /* Translators: the job's name in the print queue */
  pdv_receipt_printer_print_bytes_async (self->printer, bytes, _("Open cash drawer"), self->cancellable,
                                         drawer_printed_cb, pulse);
}

static void
open_drawer (PdvDrawerOpener *self,
             const PdvUser   *authoriser)
{
  g_autoptr(GError) error = NULL;

  if (!pdv_drawer_open (pdv_context_get_journal (self->context), self->operator_user, authoriser, self->reason,
                        &error))
    {
      finish (self, FALSE, error->message);
      return;
    }
  send_pulse (self, 0);
}

static void
manager_authorised_cb (PdvDrawerOpener *self,
                       PdvUser         *authoriser)
{
  open_drawer (self, authoriser);
}

static void
prompt_destroyed_cb (PdvDrawerOpener *self,
                     GtkWidget       *prompt)
{
  if ((GtkWidget *) self->prompt == prompt)
    self->prompt = NULL;
}

static void
dialog_destroyed_cb (PdvDrawerOpener *self,
                     GtkWidget       *dialog)
{
  if (self->dialog == dialog)
    {
      self->dialog = NULL;
      self->reason_entry = NULL;
    }
}

static void
ask_manager (PdvDrawerOpener *self)
{
  self->prompt = pdv_manager_prompt_ask (self->parent, self->context, PDV_PERMISSION_DRAWER_OPEN, self->operator_user->id,
                                         _("Open Cash Drawer"),
                                         _("A manager’s PIN is needed to open the cash drawer without a sale."),
                                         G_CALLBACK (manager_authorised_cb), G_CALLBACK (prompt_destroyed_cb), self);
}

static void
dialog_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    PdvDrawerOpener  *self)
{
  if (g_strcmp0 (response, "open") != 0)
    return;

  g_free (self->reason);
  self->reason = g_strdup (gtk_editable_get_text (self->reason_entry));
  if (pdv_user_can (self->operator_user, PDV_PERMISSION_DRAWER_OPEN))
    open_drawer (self, NULL);
  else
    ask_manager (self);
}

static void
pdv_drawer_opener_dispose (GObject *object)
{
  PdvDrawerOpener *self = PDV_DRAWER_OPENER (object);

  pdv_drawer_opener_cancel (self);
  g_clear_weak_pointer (&self->parent);
  g_clear_object (&self->printer);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_drawer_opener_parent_class)->dispose (object);
}

static void
pdv_drawer_opener_finalize (GObject *object)
{
  PdvDrawerOpener *self = PDV_DRAWER_OPENER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->operator_user, pdv_user_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->last_message, g_free);

  G_OBJECT_CLASS (pdv_drawer_opener_parent_class)->finalize (object);
}

static void
pdv_drawer_opener_class_init (PdvDrawerOpenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_drawer_opener_dispose;
  object_class->finalize = pdv_drawer_opener_finalize;

  /**
   * PdvDrawerOpener::finished:
   * @recorded: whether the opening is in the journal
   * @message: what to tell the person: the drawer opened, or why not
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
pdv_drawer_opener_init (PdvDrawerOpener *self)
{
}

/**
 * pdv_drawer_opener_new:
 * @printer: the receipt printer, which the drawer is wired to
 */
PdvDrawerOpener *
pdv_drawer_opener_new (PdvContext        *context,
                       PdvReceiptPrinter *printer)
{
  PdvDrawerOpener *self;

  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (PDV_IS_RECEIPT_PRINTER (printer), NULL);

  self = g_object_new (PDV_TYPE_DRAWER_OPENER, NULL);
  self->context = g_object_ref (context);
  self->printer = g_object_ref (printer);
  return self;
}

/**
 * pdv_drawer_opener_start:
 * @parent: the window the dialogs belong to
 * @operator_user: who asks to open the drawer
 * @cancellable: (nullable): stops sending the pulse to the printer, as when
 *   the window closes
 *
 * Asks why the drawer is opened, then for a manager's PIN if @operator_user
 * may not open it alone; ::finished tells how it went, unless the person
 * gives up on the way. A request already under way is shown again.
 */
void
pdv_drawer_opener_start (PdvDrawerOpener *self,
                         GtkWindow       *parent,
                         const PdvUser   *operator_user,
                         GCancellable    *cancellable)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  g_return_if_fail (PDV_IS_DRAWER_OPENER (self));
  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (operator_user != NULL);

  if (self->prompt != NULL || self->dialog != NULL)
    {
      gtk_window_present (self->prompt != NULL ? GTK_WINDOW (self->prompt) : GTK_WINDOW (self->dialog));
      return;
    }

  /* Said before the reason is asked for; the core checks again. */
  if (!pdv_shift_check_can_sell (pdv_context_get_db (self->context), &error))
    {
      finish (self, FALSE, error->message);
      return;
    }

  g_clear_pointer (&self->operator_user, pdv_user_free);
  self->operator_user = pdv_user_copy (operator_user);
  g_set_object (&self->cancellable, cancellable);
  g_set_weak_pointer (&self->parent, parent);

  dialog = adw_message_dialog_new (parent, _("Open Cash Drawer?"),
                                   pdv_user_can (operator_user, PDV_PERMISSION_DRAWER_OPEN)
                                     ? _("No sale is made. The opening is recorded with your name.")
                                     : _("No sale is made. The opening is recorded with your name and "
                                         "needs a manager’s PIN."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (optional)"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "open", _("_Open Drawer"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (dialog_response_cb), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), self, G_CONNECT_SWAPPED);

  self->reason_entry = GTK_EDITABLE (entry);
  self->dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/**
 * pdv_drawer_opener_cancel:
 *
 * Closes the reason dialog or the PIN prompt, as when the terminal locks.
 * An opening already journalled is not undone.
 */
void
pdv_drawer_opener_cancel (PdvDrawerOpener *self)
{
  g_return_if_fail (PDV_IS_DRAWER_OPENER (self));

  /* Their destroy handlers forget them. */
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  if (self->prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->prompt));
}

/**
 * pdv_drawer_opener_get_dialog:
 *
 * Returns: (nullable) (transfer none): the dialog that asks for the reason
 */
GtkWidget *
pdv_drawer_opener_get_dialog (PdvDrawerOpener *self)
{
  g_return_val_if_fail (PDV_IS_DRAWER_OPENER (self), NULL);
  return self->dialog;
}

/**
 * pdv_drawer_opener_get_reason_entry:
 *
 * Returns: (nullable) (transfer none): the reason dialog's entry
 */
GtkEditable *
pdv_drawer_opener_get_reason_entry (PdvDrawerOpener *self)
{
  g_return_val_if_fail (PDV_IS_DRAWER_OPENER (self), NULL);
  return self->reason_entry;
}

/**
 * pdv_drawer_opener_get_manager_prompt:
 *
 * Returns: (nullable) (transfer none): the manager's PIN prompt, when open
 */
PdvManagerPrompt *
pdv_drawer_opener_get_manager_prompt (PdvDrawerOpener *self)
{
  g_return_val_if_fail (PDV_IS_DRAWER_OPENER (self), NULL);
  return self->prompt;
}

/**
 * pdv_drawer_opener_get_n_printing:
 *
 * Returns: how many pulses are on their way to the printer
 */
guint
pdv_drawer_opener_get_n_printing (PdvDrawerOpener *self)
{
  g_return_val_if_fail (PDV_IS_DRAWER_OPENER (self), 0);
  return self->n_printing;
}

/**
 * pdv_drawer_opener_get_last_message:
 *
 * Returns: (nullable): what the last ::finished said
 */
const char *
pdv_drawer_opener_get_last_message (PdvDrawerOpener *self)
{
  g_return_val_if_fail (PDV_IS_DRAWER_OPENER (self), NULL);
  return self->last_message;
}

/**
 * pdv_drawer_opener_give_back:
 * @cash_back: what goes back to the customer
 * @cancellable: (nullable): stops sending the pulse to the printer
 *
 * Opens the drawer for cash going back across the counter after a refund or
 * a void, which the journal holds already with who authorised it: no
 * reason and no PIN are asked. "finished" says how it went, with the
 * amount to give back.
 */
void
pdv_drawer_opener_give_back (PdvDrawerOpener *self,
                             PdvMoney         cash_back,
                             GCancellable    *cancellable)
{
  g_return_if_fail (PDV_IS_DRAWER_OPENER (self));
  g_return_if_fail (cash_back > 0);

  g_set_object (&self->cancellable, cancellable);
  send_pulse (self, cash_back);
}

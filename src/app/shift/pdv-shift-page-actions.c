/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-shift-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-amount-entry.h"
#include "pdv-session.h"
#include "pdv-shift-page-private.h"

/* The shift page's actions (shift.*): each shift operation runs as the
 * operator, and what the core refuses them is asked of a manager's PIN and
 * run again with the manager as authoriser; the drop and pay-in dialog; the
 * journal check, in a thread of its own. */

typedef enum {
  OPERATION_OPEN,
  OPERATION_DROP,
  OPERATION_PAYIN,
  OPERATION_CLOSE,
  OPERATION_X_REPORT,
  OPERATION_Z_REPORT,
} Operation;

/* An operation waiting for a manager's PIN, in self->pending. */
typedef PdvShiftPending Pending;

struct _PdvShiftPending
{
  Operation     operation;
  PdvCashCount  count;
  PdvMoney      amount;
  char         *reason;
};

static void run_operation (PdvShiftPage  *self,
                           Pending       *pending,
                           const PdvUser *authoriser);

void
_pdv_shift_pending_free (Pending *pending)
{
  g_free (pending->reason);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, _pdv_shift_pending_free)

static Pending *
pending_new (Operation operation)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->operation = operation;
  pdv_cash_count_init (&pending->count);
  return pending;
}

/* Until people log in on the terminal, actions are the terminal's own, with
 * a cashier's rights: anything more takes a manager's PIN. */
static PdvUser *
dup_operator (PdvShiftPage *self)
{
  return pdv_operator_dup (self->user);
}

static void
show_toast (PdvShiftPage *self,
            const char   *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

static gboolean
needs_manager (const GError *error)
{
  return g_error_matches (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN) ||
         g_error_matches (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER);
}

static void
manager_authorised_cb (PdvShiftPage *self,
                       PdvUser      *authoriser)
{
  Pending *pending = g_steal_pointer (&self->pending);

  if (pending == NULL)
    return;
  /* A count off by more than the tolerance is not closed on the manager's
   * word: they count the drawer again themselves, and both counts stay. */
  if (pending->operation == OPERATION_CLOSE)
    {
      g_autofree char *message = NULL;

      _pdv_shift_pending_free (pending);
      g_clear_pointer (&self->recounter, pdv_user_free);
      self->recounter = pdv_user_copy (authoriser);
      pdv_cash_counter_reset (self->close_counter);
      /* Translators: %s is the manager who counts the drawer again */
      message = g_strdup_printf (_("%s, count the drawer again: your count closes the shift, and both counts are "
                                   "kept."), authoriser->name);
      _pdv_shift_page_show_error (self, message);
      return;
    }
  /* run_operation() takes the pending action. */
  run_operation (self, pending, authoriser);
}

/* What the manager's PIN is asked for, by the operation and why it was
 * refused to the operator. */
static PdvPermission
permission_needed (Operation     operation,
                   const GError *error)
{
  switch (operation)
    {
    case OPERATION_OPEN:
      return PDV_PERMISSION_SHIFT_OPEN;
    case OPERATION_DROP:
    case OPERATION_PAYIN:
      return PDV_PERMISSION_DRAWER_OPEN;
    case OPERATION_CLOSE:
      return g_error_matches (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER)
               ? PDV_PERMISSION_CLOSE_WITH_DIFFERENCE : PDV_PERMISSION_SHIFT_CLOSE;
    case OPERATION_X_REPORT:
    case OPERATION_Z_REPORT:
    default:
      return PDV_PERMISSION_REPORT;
    }
}

static void
prompt_destroyed_cb (PdvShiftPage     *self,
                     PdvManagerPrompt *prompt)
{
  /* An action retried with the manager may have opened another prompt. */
  if (self->prompt != prompt)
    return;
  self->prompt = NULL;
  g_clear_pointer (&self->pending, _pdv_shift_pending_free);
}

static void
ask_manager (PdvShiftPage  *self,
             Pending       *pending,
             PdvPermission  permission,
             const char    *reason)
{
  g_autoptr(PdvUser) operator_user = dup_operator (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->prompt));

  self->pending = pending;
  self->prompt = pdv_manager_prompt_ask (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->context, permission,
                                         operator_user->id, _("Manager Authorisation"), reason,
                                         G_CALLBACK (manager_authorised_cb), G_CALLBACK (prompt_destroyed_cb), self);
}

static void
run_operation (PdvShiftPage  *self,
               Pending       *pending,
               const PdvUser *authoriser)
{
  g_autoptr(Pending) owned = pending;
  g_autoptr(PdvUser) operator_user = dup_operator (self);
  PdvJournal *journal = pdv_context_get_journal (self->context);
  PdvDb *db = pdv_context_get_db (self->context);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  switch (pending->operation)
    {
    case OPERATION_OPEN:
      done = pdv_shift_open (journal, operator_user, authoriser, &pending->count, &error) > 0;
      if (done)
        {
          self->closed_z = 0;
          pdv_cash_counter_reset (self->float_counter);
          gtk_stack_set_visible_child_name (self->state_stack, "open");
          show_toast (self, _("Shift opened"));
        }
      break;

    case OPERATION_DROP:
    case OPERATION_PAYIN:
      if (pending->operation == OPERATION_DROP)
        done = pdv_shift_drop (journal, operator_user, authoriser, pending->amount, pending->reason, &error);
      else
        done = pdv_shift_payin (journal, operator_user, authoriser, pending->amount, pending->reason, &error);
      if (done)
        show_toast (self, pending->operation == OPERATION_DROP ? _("Drop recorded") : _("Pay-in recorded"));
      break;

    case OPERATION_CLOSE:
      {
        g_autoptr(PdvShiftCloseResult) result =
          pdv_shift_close (journal, operator_user, authoriser, &pending->count, &error);

        done = result != NULL;
        if (done)
          {
            g_clear_pointer (&self->recounter, pdv_user_free);
            pdv_cash_counter_reset (self->close_counter);
            _pdv_shift_page_show_close_result (self, result);
          }
      }
      break;

    case OPERATION_X_REPORT:
    case OPERATION_Z_REPORT:
      {
        /* Whoever reads it: the operator, or the manager who let them. */
        const PdvUser *reader = pdv_user_can (operator_user, PDV_PERMISSION_REPORT) ? operator_user : authoriser;
        PdvReport *report = pending->operation == OPERATION_X_REPORT
                              ? pdv_report_new_x (db, reader ? reader : operator_user, &error)
                              : pdv_report_new_z (db, reader ? reader : operator_user, self->closed_z, &error);

        done = report != NULL;
        if (done)
          _pdv_shift_page_show_report (self, report);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (done)
    {
      _pdv_shift_page_show_error (self, NULL);
      _pdv_shift_page_refresh_state (self);
      return;
    }

  if (authoriser == NULL && needs_manager (error))
    {
      _pdv_shift_page_show_error (self, NULL);
      ask_manager (self, g_steal_pointer (&owned), permission_needed (pending->operation, error),
                   error->message);
      return;
    }
  _pdv_shift_page_show_error (self, error->message);
  _pdv_shift_page_refresh_state (self);
}

static void
open_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);
  Pending *pending = pending_new (OPERATION_OPEN);

  pdv_cash_counter_get_count (self->float_counter, &pending->count);
  run_operation (self, pending, NULL);
}

static void
start_close_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);

  _pdv_shift_page_show_error (self, NULL);
  _pdv_shift_page_clear_result (self);
  g_clear_pointer (&self->recounter, pdv_user_free);
  pdv_cash_counter_reset (self->close_counter);
  gtk_stack_set_visible_child_name (self->state_stack, "closing");
}

static void
cancel_close_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);
  g_autoptr(PdvUser) operator_user = dup_operator (self);
  g_autoptr(GError) error = NULL;

  /* A count refused and then dropped is on record too: trying amounts
   * until one passes leaves a trail. */
  if (!pdv_shift_cancel_close (pdv_context_get_journal (self->context), operator_user, &error))
    {
      _pdv_shift_page_show_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->recounter, pdv_user_free);
  _pdv_shift_page_show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->state_stack, "open");
}

static void
close_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);
  Pending *pending = pending_new (OPERATION_CLOSE);
  g_autoptr(PdvUser) recounter = self->recounter != NULL ? pdv_user_copy (self->recounter) : NULL;

  pdv_cash_counter_get_count (self->close_counter, &pending->count);
  run_operation (self, pending, recounter);
}

static void
x_report_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  run_operation (PDV_SHIFT_PAGE (widget), pending_new (OPERATION_X_REPORT), NULL);
}

static void
z_report_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  run_operation (PDV_SHIFT_PAGE (widget), pending_new (OPERATION_Z_REPORT), NULL);
}

static void
done_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);

  _pdv_shift_page_show_error (self, NULL);
  _pdv_shift_page_clear_result (self);
  gtk_stack_set_visible_child_name (self->state_stack, "closed");
  _pdv_shift_page_refresh_state (self);
}

static void
cash_dialog_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (user_data);
  GtkEditable *amount_entry = g_object_get_data (G_OBJECT (dialog), "pdv-amount");
  GtkEditable *reason_entry = g_object_get_data (G_OBJECT (dialog), "pdv-reason");
  PdvCashMove move = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pdv-move"));
  g_autoptr(GError) error = NULL;
  PdvMoney amount = 0;

  g_clear_weak_pointer (&self->cash_dialog);
  if (g_strcmp0 (response, "confirm") != 0)
    return;

  if (!pdv_amount_entry_parse (amount_entry, &amount, &error))
    {
      _pdv_shift_page_show_error (self, error->message);
      return;
    }
  pdv_shift_page_move_cash (self, move, amount, gtk_editable_get_text (reason_entry));
}

static void
move_cash_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);
  gboolean drop = g_strcmp0 (g_variant_get_string (parameter, NULL), "drop") == 0;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *amount_entry = gtk_entry_new ();
  GtkWidget *reason_entry = gtk_entry_new ();

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   drop ? _("Drop (Sangria)") : _("Pay-in (Suprimento)"),
                                   drop ? _("Cash taken out of the drawer, e.g. to the safe.")
                                        : _("Cash put into the drawer, e.g. more change."));
  gtk_entry_set_placeholder_text (GTK_ENTRY (amount_entry), _("Amount, e.g. 50,00"));
  gtk_entry_set_input_purpose (GTK_ENTRY (amount_entry), GTK_INPUT_PURPOSE_NUMBER);
  gtk_entry_set_activates_default (GTK_ENTRY (amount_entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (amount_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Amount"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason_entry), _("Reason"));
  gtk_entry_set_activates_default (GTK_ENTRY (reason_entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  gtk_box_append (GTK_BOX (box), amount_entry);
  gtk_box_append (GTK_BOX (box), reason_entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", drop ? _("_Record Drop") : _("_Record Pay-in"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "pdv-amount", amount_entry);
  g_object_set_data (G_OBJECT (dialog), "pdv-reason", reason_entry);
  g_object_set_data (G_OBJECT (dialog), "pdv-move", GINT_TO_POINTER (drop ? PDV_CASH_MOVE_DROP : PDV_CASH_MOVE_PAYIN));
  g_signal_connect_object (dialog, "response", G_CALLBACK (cash_dialog_response_cb), self, 0);
  g_set_weak_pointer (&self->cash_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (amount_entry);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_entries = 0;

  context = pdv_context_open_beside (task_data, &error);
  if (context == NULL ||
      !pdv_check_state (pdv_context_get_journal (context), FALSE, &n_entries, NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_memdup2 (&n_entries, sizeof n_entries), g_free);
}

static void
verify_finished_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (source_object);
  g_autofree gint64 *n_entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  n_entries = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->verify_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "shift.verify-journal", TRUE);

  /* What was found raises the terminal's alarm, or a pass clears it. */
  {
    g_autoptr(GError) alarm_error = NULL;
    PdvJournal *journal = pdv_context_get_journal (self->context);

    if (!pdv_alarm_follow_check (journal, n_entries != NULL ? NULL : error, &alarm_error))
      g_warning ("The alarm could not be kept: %s", alarm_error->message);
    gtk_widget_activate_action (GTK_WIDGET (self), "win.update-alarm", NULL);
  }

  if (n_entries != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, *n_entries);

      /* Translators: %s is a number of journal entries */
      summary = g_strdup_printf (ngettext ("Journal and state intact: %s entry checked",
                                           "Journal and state intact: %s entries checked",
                                           (gulong) CLAMP (*n_entries, 0, G_MAXLONG)),
                                 count);
      gtk_image_set_from_icon_name (self->verify_icon, "emblem-ok-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verify_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->verify_icon), "success");
    }
  else
    {
      /* Translators: %s says what is wrong with the journal */
      summary = g_strdup_printf (_("Check failed: %s"), error->message);
      gtk_image_set_from_icon_name (self->verify_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verify_icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->verify_icon), "error");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->verify_icon), TRUE);
  adw_action_row_set_subtitle (self->verify_row, summary);
  g_free (self->verify_summary);
  self->verify_summary = g_steal_pointer (&summary);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", self->verify_summary);
  _pdv_shift_page_refresh_journal (self);
}

static void
verify_journal_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);
  g_autoptr(GTask) task = NULL;

  if (self->verify_cancellable != NULL)
    return;

  self->verify_cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (widget, "shift.verify-journal", FALSE);
  adw_action_row_set_subtitle (self->verify_row, _("Checking every entry…"));
  gtk_widget_set_visible (GTK_WIDGET (self->verify_icon), FALSE);

  task = g_task_new (self, self->verify_cancellable, verify_finished_cb, NULL);
  g_task_set_source_tag (task, verify_journal_cb);
  g_task_set_task_data (task, g_object_ref (self->context), g_object_unref);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, verify_thread);
}

void
_pdv_shift_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "shift.verify-journal", NULL, verify_journal_cb);
  gtk_widget_class_install_action (widget_class, "shift.open", NULL, open_cb);
  gtk_widget_class_install_action (widget_class, "shift.move-cash", "s", move_cash_cb);
  gtk_widget_class_install_action (widget_class, "shift.x-report", NULL, x_report_cb);
  gtk_widget_class_install_action (widget_class, "shift.z-report", NULL, z_report_cb);
  gtk_widget_class_install_action (widget_class, "shift.start-close", NULL, start_close_cb);
  gtk_widget_class_install_action (widget_class, "shift.cancel-close", NULL, cancel_close_cb);
  gtk_widget_class_install_action (widget_class, "shift.close", NULL, close_cb);
  gtk_widget_class_install_action (widget_class, "shift.done", NULL, done_cb);
}

/**
 * pdv_shift_page_move_cash:
 *
 * Records a drop or a pay-in, as the dialog's confirm button does; asks for
 * a manager's PIN when the operator may not open the drawer.
 */
void
pdv_shift_page_move_cash (PdvShiftPage *self,
                          PdvCashMove   move,
                          PdvMoney      amount,
                          const char   *reason)
{
  Pending *pending;

  g_return_if_fail (PDV_IS_SHIFT_PAGE (self));

  pending = pending_new (move == PDV_CASH_MOVE_DROP ? OPERATION_DROP : OPERATION_PAYIN);
  pending->amount = amount;
  pending->reason = g_strdup (reason);
  run_operation (self, pending, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-shift-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-amount-entry.h"
#include "pdv-session.h"
#include "pdv-shift-page-private.h"

/* The manager's page: opening the shift with a counted float, drops and
 * pay-ins, X reports, the blind close and its Z report; a dashboard of the
 * night; and a check that nothing in the journal was altered.
 *
 * Shift operations are single short transactions on the terminal's own
 * connection, as a sale is. What needs a manager the core refuses; the page
 * then asks for a manager's PIN and tries again with them as authoriser. */

typedef enum {
  OPERATION_OPEN,
  OPERATION_DROP,
  OPERATION_PAYIN,
  OPERATION_CLOSE,
  OPERATION_X_REPORT,
  OPERATION_Z_REPORT,
} Operation;

typedef struct {
  Operation     operation;
  PdvCashCount  count;
  PdvMoney      amount;
  char         *reason;
} Pending;

struct _PdvShiftPage
{
  GtkWidget         parent_instance;

  PdvContext       *context;
  PdvUser          *user;
  PdvReceiptPrinter *receipt_printer;
  GCancellable     *verify_cancellable;
  char             *verify_summary;
  Pending          *pending;          /* waiting for a manager's PIN */
  PdvManagerPrompt *prompt;
  GtkWidget        *cash_dialog;
  gint64            closed_z;         /* the Z just closed, 0 when none */

  GtkWidget        *view_switcher;
  GtkStack         *view_stack;
  GtkStack         *state_stack;
  GtkLabel         *error_label;
  PdvCashCounter   *float_counter;
  PdvCashCounter   *close_counter;
  GtkLabel         *open_title;
  GtkLabel         *opened_at_label;
  GtkLabel         *operator_label;
  GtkLabel         *float_label;
  GtkLabel         *result_title;
  GtkWidget        *result_box;
  GtkLabel         *expected_label;
  GtkLabel         *counted_label;
  GtkLabel         *difference_label;
  GtkLabel         *result_note_label;
  PdvReportView    *report_view;
  PdvDashboard     *dashboard;
  GtkLabel         *terminal_label;
  GtkLabel         *entries_label;
  AdwActionRow     *verify_row;
  GtkImage         *verify_icon;
};

G_DEFINE_FINAL_TYPE (PdvShiftPage, pdv_shift_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_USER,
  PROP_RECEIPT_PRINTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void run_operation (PdvShiftPage  *self,
                           Pending       *pending,
                           const PdvUser *authoriser);

static void
pending_free (Pending *pending)
{
  g_free (pending->reason);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

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
show_error (PdvShiftPage *self,
            const char   *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
show_toast (PdvShiftPage *self,
            const char   *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

static void
refresh_journal (PdvShiftPage *self)
{
  g_autofree char *terminal_name = pdv_context_dup_terminal_name (self->context);
  g_autofree char *entries = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              pdv_journal_get_last_seq (pdv_context_get_journal (self->context)));

  gtk_label_set_label (self->terminal_label,
                       terminal_name != NULL ? terminal_name : _("Not set up"));
  gtk_label_set_label (self->entries_label, entries);
}

static char *
format_time (const char *iso8601)
{
  g_autoptr(GDateTime) utc = iso8601 ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  /* Translators: a date and time, see g_date_time_format() */
  return local ? g_date_time_format (local, _("%d/%m/%Y %H:%M")) : g_strdup (iso8601 ? iso8601 : "");
}

/* The blind count: nothing of what the drawer should hold is on screen
 * until the count is in. */
static void
clear_result (PdvShiftPage *self)
{
  gtk_label_set_label (self->expected_label, "");
  gtk_label_set_label (self->counted_label, "");
  gtk_label_set_label (self->difference_label, "");
  gtk_label_set_label (self->result_note_label, "");
  gtk_widget_set_visible (self->result_box, FALSE);
}

/* Shows the shift as the journal has it. */
static void
refresh_state (PdvShiftPage *self)
{
  g_auto(PdvShiftStatus) status = { 0 };
  g_autoptr(GError) error = NULL;
  const char *state = gtk_stack_get_visible_child_name (self->state_stack);

  refresh_journal (self);

  if (!pdv_shift_get_status (pdv_context_get_db (self->context), &status, &error))
    {
      show_error (self, error->message);
      return;
    }

  if (status.open)
    {
      g_autofree char *title = NULL;
      g_autofree char *opened_at = format_time (status.opened_at);
      g_autofree char *float_text = pdv_money_format (status.float_amount);

      /* Translators: %lld is the shift's number, the one its Z report gets */
      title = g_strdup_printf (_("Shift %lld is open"), (long long) status.z_number);
      gtk_label_set_label (self->open_title, title);
      gtk_label_set_label (self->opened_at_label, opened_at);
      gtk_label_set_label (self->operator_label, status.opened_by ? status.opened_by : "");
      gtk_label_set_label (self->float_label, float_text);
      if (g_strcmp0 (state, "closed") == 0 || g_strcmp0 (state, "result") == 0)
        gtk_stack_set_visible_child_name (self->state_stack, "open");
    }
  else if (g_strcmp0 (state, "result") != 0 && g_strcmp0 (state, "report") != 0)
    gtk_stack_set_visible_child_name (self->state_stack, "closed");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "shift.z-report", self->closed_z > 0);
}

static gboolean
can_report (PdvShiftPage *self)
{
  return self->user != NULL && pdv_user_can (self->user, PDV_PERMISSION_REPORT);
}

/* The night's figures are for those who may read reports: a cashier sees
 * the shift and its cash operations, and what the drawer should hold only
 * after counting it. Whatever a manager left on screen goes when someone
 * who may not read it takes over. */
static void
apply_user_rights (PdvShiftPage *self)
{
  const char *state = gtk_stack_get_visible_child_name (self->state_stack);

  /* Without the switcher there is no way to the dashboard, see also
   * pdv_shift_page_show_view(). */
  gtk_widget_set_visible (self->view_switcher, can_report (self));
  if (can_report (self))
    return;

  gtk_stack_set_visible_child_name (self->view_stack, "shift");
  if (g_strcmp0 (state, "report") == 0 || g_strcmp0 (state, "result") == 0)
    {
      pdv_report_view_set_report (self->report_view, NULL);
      clear_result (self);
      gtk_stack_set_visible_child_name (self->state_stack, "closed");
      refresh_state (self);
    }
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

  /* run_operation() takes the pending action. */
  if (pending != NULL)
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
  g_clear_pointer (&self->pending, pending_free);
}

static void
ask_manager (PdvShiftPage  *self,
             Pending       *pending,
             PdvPermission  permission,
             const char    *reason)
{
  g_autoptr(PdvUser) operator_user = dup_operator (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *db_path = pdv_db_get_path (pdv_context_get_db (self->context));

  if (self->prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->prompt));

  self->pending = pending;
  self->prompt = pdv_manager_prompt_ask (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, db_path, permission,
                                         operator_user->id, _("Manager Authorisation"), reason,
                                         G_CALLBACK (manager_authorised_cb), G_CALLBACK (prompt_destroyed_cb), self);
}

static void
show_close_result (PdvShiftPage              *self,
                   const PdvShiftCloseResult *result)
{
  g_autofree char *title = NULL;
  g_autofree char *expected = pdv_money_format (result->expected);
  g_autofree char *counted = pdv_money_format (result->counted);
  g_autofree char *difference = pdv_money_format (ABS (result->difference));
  g_autofree char *signed_difference = NULL;
  const char *note;

  /* Translators: %lld is the Z number */
  title = g_strdup_printf (_("Shift closed — Z report no. %lld"), (long long) result->z_number);
  if (result->difference > 0)
    {
      /* Translators: %s is an amount of money the drawer holds too much */
      signed_difference = g_strdup_printf (_("+%s over"), difference);
      note = _("The drawer holds more than expected.");
    }
  else if (result->difference < 0)
    {
      /* Translators: %s is an amount of money missing from the drawer */
      signed_difference = g_strdup_printf (_("−%s short"), difference);
      note = _("The drawer holds less than expected.");
    }
  else
    {
      signed_difference = g_strdup (difference);
      note = _("The count matches.");
    }

  gtk_label_set_label (self->result_title, title);
  gtk_label_set_label (self->expected_label, expected);
  gtk_label_set_label (self->counted_label, counted);
  gtk_label_set_label (self->difference_label, signed_difference);
  gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->difference_label),
                            result->difference == 0 ? "success"
                            : ABS (result->difference) <= result->tolerance ? "warning" : "error");
  if (result->authorised_by != NULL)
    {
      /* Translators: the first %s is a sentence, the second the manager's id */
      g_autofree char *full = g_strdup_printf (_("%s The difference was authorised by %s."),
                                               note, result->authorised_by);
      gtk_label_set_label (self->result_note_label, full);
    }
  else
    gtk_label_set_label (self->result_note_label, note);

  gtk_widget_set_visible (self->result_box, TRUE);
  self->closed_z = result->z_number;
  gtk_stack_set_visible_child_name (self->state_stack, "result");
}

static void
show_report (PdvShiftPage *self,
             PdvReport    *report)
{
  pdv_report_view_set_report (self->report_view, report);
  gtk_stack_set_visible_child_name (self->state_stack, "report");
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
            pdv_cash_counter_reset (self->close_counter);
            show_close_result (self, result);
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
          show_report (self, report);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (done)
    {
      show_error (self, NULL);
      refresh_state (self);
      return;
    }

  if (authoriser == NULL && needs_manager (error))
    {
      show_error (self, NULL);
      ask_manager (self, g_steal_pointer (&owned), permission_needed (pending->operation, error),
                   error->message);
      return;
    }
  show_error (self, error->message);
  refresh_state (self);
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

  show_error (self, NULL);
  clear_result (self);
  pdv_cash_counter_reset (self->close_counter);
  gtk_stack_set_visible_child_name (self->state_stack, "closing");
}

static void
cancel_close_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);

  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->state_stack, "open");
}

static void
close_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);
  Pending *pending = pending_new (OPERATION_CLOSE);

  pdv_cash_counter_get_count (self->close_counter, &pending->count);
  run_operation (self, pending, NULL);
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

  show_error (self, NULL);
  clear_result (self);
  gtk_stack_set_visible_child_name (self->state_stack, "closed");
  refresh_state (self);
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
      show_error (self, error->message);
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
mapped_cb (PdvShiftPage *self)
{
  refresh_state (self);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *db_path = task_data;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_entries = 0;

  context = pdv_context_open (db_path, &error);
  if (context == NULL ||
      !pdv_journal_verify_chain (pdv_context_get_journal (context), &n_entries, NULL, &error))
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

  if (n_entries != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, *n_entries);

      /* Translators: %s is a number of journal entries */
      summary = g_strdup_printf (ngettext ("The journal is intact: %s entry checked",
                                           "The journal is intact: %s entries checked",
                                           (gulong) CLAMP (*n_entries, 0, G_MAXLONG)),
                                 count);
      gtk_image_set_from_icon_name (self->verify_icon, "emblem-ok-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verify_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->verify_icon), "success");
    }
  else
    {
      /* Translators: %s says what is wrong with the journal */
      summary = g_strdup_printf (_("The journal is damaged: %s"), error->message);
      gtk_image_set_from_icon_name (self->verify_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verify_icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->verify_icon), "error");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->verify_icon), TRUE);
  adw_action_row_set_subtitle (self->verify_row, summary);
  g_free (self->verify_summary);
  self->verify_summary = g_steal_pointer (&summary);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", self->verify_summary);
  refresh_journal (self);
}

static void
verify_journal_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);
  PdvDb *db = pdv_context_get_db (self->context);
  g_autoptr(GTask) task = NULL;

  if (self->verify_cancellable != NULL)
    return;

  self->verify_cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (widget, "shift.verify-journal", FALSE);
  adw_action_row_set_subtitle (self->verify_row, _("Checking every entry…"));
  gtk_widget_set_visible (GTK_WIDGET (self->verify_icon), FALSE);

  task = g_task_new (self, self->verify_cancellable, verify_finished_cb, NULL);
  g_task_set_source_tag (task, verify_journal_cb);
  g_task_set_task_data (task, g_strdup (pdv_db_get_path (db)), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, verify_thread);
}

static void
pdv_shift_page_constructed (GObject *object)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  G_OBJECT_CLASS (pdv_shift_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_object_set (self->dashboard, "context", self->context, NULL);
  clear_result (self);
  refresh_state (self);
  apply_user_rights (self);
}

static void
pdv_shift_page_dispose (GObject *object)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->verify_cancellable);
  g_clear_object (&self->verify_cancellable);
  if (self->prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->prompt));
  if (self->cash_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->cash_dialog));
  g_clear_weak_pointer (&self->cash_dialog);
  g_clear_pointer (&self->pending, pending_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SHIFT_PAGE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);
  g_clear_object (&self->receipt_printer);

  G_OBJECT_CLASS (pdv_shift_page_parent_class)->dispose (object);
}

static void
pdv_shift_page_finalize (GObject *object)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  g_clear_pointer (&self->verify_summary, g_free);
  g_clear_pointer (&self->user, pdv_user_free);

  G_OBJECT_CLASS (pdv_shift_page_parent_class)->finalize (object);
}

static void
pdv_shift_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_USER:
      g_value_set_boxed (value, self->user);
      break;
    case PROP_RECEIPT_PRINTER:
      g_value_set_object (value, self->receipt_printer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_shift_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_USER:
      pdv_shift_page_set_user (self, g_value_get_boxed (value));
      break;
    case PROP_RECEIPT_PRINTER:
      pdv_shift_page_set_receipt_printer (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_shift_page_class_init (PdvShiftPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_shift_page_constructed;
  object_class->dispose = pdv_shift_page_dispose;
  object_class->finalize = pdv_shift_page_finalize;
  object_class->get_property = pdv_shift_page_get_property;
  object_class->set_property = pdv_shift_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvShiftPage:user: (nullable)
   *
   * Who is at the terminal: the operator of the shift's actions. %NULL:
   * the terminal itself, with a cashier's rights.
   */
  properties[PROP_USER] =
    g_param_spec_boxed ("user", NULL, NULL, PDV_TYPE_USER,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvShiftPage:receipt-printer: (nullable)
   *
   * The terminal's receipt printer, which the reports print on; %NULL:
   * the print server's default printer.
   */
  properties[PROP_RECEIPT_PRINTER] =
    g_param_spec_object ("receipt-printer", NULL, NULL, PDV_TYPE_RECEIPT_PRINTER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PDV_TYPE_CASH_COUNTER);
  g_type_ensure (PDV_TYPE_REPORT_VIEW);
  g_type_ensure (PDV_TYPE_DASHBOARD);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/pdv-shift-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, float_counter);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, close_counter);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, open_title);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, opened_at_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, operator_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, float_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, result_title);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, expected_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, counted_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, difference_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, result_note_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, report_view);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, dashboard);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, terminal_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, entries_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, verify_row);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, verify_icon);

  gtk_widget_class_install_action (widget_class, "shift.verify-journal", NULL, verify_journal_cb);
  gtk_widget_class_install_action (widget_class, "shift.open", NULL, open_cb);
  gtk_widget_class_install_action (widget_class, "shift.move-cash", "s", move_cash_cb);
  gtk_widget_class_install_action (widget_class, "shift.x-report", NULL, x_report_cb);
  gtk_widget_class_install_action (widget_class, "shift.z-report", NULL, z_report_cb);
  gtk_widget_class_install_action (widget_class, "shift.start-close", NULL, start_close_cb);
  gtk_widget_class_install_action (widget_class, "shift.cancel-close", NULL, cancel_close_cb);
  gtk_widget_class_install_action (widget_class, "shift.close", NULL, close_cb);
  gtk_widget_class_install_action (widget_class, "shift.done", NULL, done_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_shift_page_init (PdvShiftPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Other tills and this one's sales change the shift; show it as it is
   * when the page opens. */
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
}

GtkWidget *
pdv_shift_page_new (PdvContext *context)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_SHIFT_PAGE, "context", context, NULL);
}

/**
 * pdv_shift_page_get_user:
 *
 * Returns: (transfer none) (nullable): who is at the terminal
 */
const PdvUser *
pdv_shift_page_get_user (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->user;
}

void
pdv_shift_page_set_user (PdvShiftPage  *self,
                         const PdvUser *user)
{
  g_return_if_fail (PDV_IS_SHIFT_PAGE (self));

  if (self->user == user)
    return;
  g_clear_pointer (&self->user, pdv_user_free);
  self->user = user ? pdv_user_copy (user) : NULL;
  apply_user_rights (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

/**
 * pdv_shift_page_get_receipt_printer:
 *
 * Returns: (nullable) (transfer none): the printer the reports print on
 */
PdvReceiptPrinter *
pdv_shift_page_get_receipt_printer (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->receipt_printer;
}

/**
 * pdv_shift_page_set_receipt_printer:
 * @printer: (nullable): the terminal's receipt printer
 *
 * Prints the X and Z reports where the receipts go, with the same
 * destination, time limit and errors.
 */
void
pdv_shift_page_set_receipt_printer (PdvShiftPage      *self,
                                    PdvReceiptPrinter *printer)
{
  g_return_if_fail (PDV_IS_SHIFT_PAGE (self));
  g_return_if_fail (printer == NULL || PDV_IS_RECEIPT_PRINTER (printer));

  if (!g_set_object (&self->receipt_printer, printer))
    return;
  pdv_report_view_set_receipt_printer (self->report_view, printer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIPT_PRINTER]);
}

gboolean
pdv_shift_page_get_verifying (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), FALSE);
  return self->verify_cancellable != NULL;
}

/**
 * pdv_shift_page_get_verify_summary:
 *
 * Returns: (nullable): what the last verification found, %NULL before the first
 */
const char *
pdv_shift_page_get_verify_summary (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->verify_summary;
}

const char *
pdv_shift_page_get_entries_text (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return gtk_label_get_label (self->entries_label);
}

/**
 * pdv_shift_page_get_state:
 *
 * Returns: "closed", "open", "closing", "result" or "report"
 */
const char *
pdv_shift_page_get_state (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->state_stack);
}

/**
 * pdv_shift_page_get_error_text:
 *
 * Returns: (nullable): the error shown, %NULL when none
 */
const char *
pdv_shift_page_get_error_text (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

PdvCashCounter *
pdv_shift_page_get_float_counter (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->float_counter;
}

PdvCashCounter *
pdv_shift_page_get_close_counter (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->close_counter;
}

PdvReportView *
pdv_shift_page_get_report_view (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->report_view;
}

PdvDashboard *
pdv_shift_page_get_dashboard (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->dashboard;
}

/**
 * pdv_shift_page_get_manager_prompt:
 *
 * Returns: (nullable) (transfer none): the PIN prompt open for an action
 */
PdvManagerPrompt *
pdv_shift_page_get_manager_prompt (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->prompt;
}

/**
 * pdv_shift_page_get_cash_dialog:
 *
 * Returns: (nullable) (transfer none): the drop or pay-in dialog, when open
 */
GtkWidget *
pdv_shift_page_get_cash_dialog (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->cash_dialog;
}

GtkWidget *
pdv_shift_page_get_expected_label (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return GTK_WIDGET (self->expected_label);
}

GtkWidget *
pdv_shift_page_get_difference_label (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return GTK_WIDGET (self->difference_label);
}

const char *
pdv_shift_page_get_float_text (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return gtk_label_get_label (self->float_label);
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

/**
 * pdv_shift_page_show_view:
 * @name: "shift" or "dashboard"; the dashboard only for a user who may read
 *   reports
 */
void
pdv_shift_page_show_view (PdvShiftPage *self,
                          const char   *name)
{
  g_return_if_fail (PDV_IS_SHIFT_PAGE (self));

  if (g_strcmp0 (name, "dashboard") == 0 && !can_report (self))
    return;
  gtk_stack_set_visible_child_name (self->view_stack, name);
}

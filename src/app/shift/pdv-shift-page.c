/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-shift-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-shift-page-private.h"

G_DEFINE_FINAL_TYPE (PdvShiftPage, pdv_shift_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_USER,
  PROP_RECEIPT_PRINTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_pdv_shift_page_show_error (PdvShiftPage *self,
                            const char   *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

void
_pdv_shift_page_refresh_journal (PdvShiftPage *self)
{
  g_autofree char *terminal_name = pdv_context_dup_terminal_name (self->context);
  g_autofree char *entries = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              pdv_journal_get_last_seq (pdv_context_get_journal (self->context)));

  gtk_label_set_label (self->terminal_label,
                       terminal_name != NULL ? terminal_name : _("Not set up"));
  gtk_label_set_label (self->entries_label, entries);
}

/* In the event's time. */
static char *
format_time (PdvShiftPage *self,
             const char   *iso8601)
{
  g_autoptr(GTimeZone) zone = pdv_context_dup_event_timezone (self->context);
  char *text = pdv_datetime_format_iso8601 (iso8601, zone, PDV_DATETIME_DATE_TIME);

  return text != NULL ? text : g_strdup (iso8601 != NULL ? iso8601 : "");
}

/* The blind count: nothing of what the drawer should hold is on screen
 * until the count is in. */
void
_pdv_shift_page_clear_result (PdvShiftPage *self)
{
  gtk_label_set_label (self->expected_label, "");
  gtk_label_set_label (self->counted_label, "");
  gtk_label_set_label (self->difference_label, "");
  gtk_label_set_label (self->result_note_label, "");
  gtk_widget_set_visible (self->result_box, FALSE);
}

/* Shows the shift as the journal has it. */
void
_pdv_shift_page_refresh_state (PdvShiftPage *self)
{
  g_auto(PdvShiftStatus) status = { 0 };
  g_autoptr(GError) error = NULL;
  const char *state = gtk_stack_get_visible_child_name (self->state_stack);

  _pdv_shift_page_refresh_journal (self);

  if (!pdv_shift_get_status (pdv_context_get_db (self->context), &status, &error))
    {
      _pdv_shift_page_show_error (self, error->message);
      return;
    }

  if (status.open)
    {
      g_autofree char *title = NULL;
      g_autofree char *opened_at = format_time (self, status.opened_at);
      g_autofree char *float_text = pdv_money_format (status.float_amount);
      g_autoptr(PdvUser) opener = NULL;

      /* Who opened it, by name when they are a user here. */
      if (status.opened_by != NULL)
        pdv_auth_find_user (pdv_context_get_db (self->context), status.opened_by, &opener, NULL);

      /* Translators: %lld is the shift's number, the one its Z report gets */
      title = g_strdup_printf (_("Shift %lld is open"), (long long) status.z_number);
      gtk_label_set_label (self->open_title, title);
      gtk_label_set_label (self->opened_at_label, opened_at);
      gtk_label_set_label (self->operator_label, opener != NULL ? opener->name
                                                 : status.opened_by != NULL ? status.opened_by : "");
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
   * pdv_shift_page_show_view(); it reads as whoever is looking. */
  gtk_widget_set_visible (self->view_switcher, can_report (self));
  pdv_dashboard_set_reader (self->dashboard, can_report (self) ? self->user : NULL);
  if (can_report (self))
    return;

  gtk_stack_set_visible_child_name (self->view_stack, "shift");
  if (g_strcmp0 (state, "report") == 0 || g_strcmp0 (state, "result") == 0)
    {
      pdv_report_view_set_report (self->report_view, NULL);
      _pdv_shift_page_clear_result (self);
      gtk_stack_set_visible_child_name (self->state_stack, "closed");
      _pdv_shift_page_refresh_state (self);
    }
}

void
_pdv_shift_page_show_close_result (PdvShiftPage              *self,
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

void
_pdv_shift_page_show_report (PdvShiftPage *self,
                             PdvReport    *report)
{
  pdv_report_view_set_report (self->report_view, report);
  gtk_stack_set_visible_child_name (self->state_stack, "report");
}

static void
mapped_cb (PdvShiftPage *self)
{
  _pdv_shift_page_refresh_state (self);
}

static void
pdv_shift_page_constructed (GObject *object)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  G_OBJECT_CLASS (pdv_shift_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_object_set (self->dashboard, "context", self->context, NULL);
  _pdv_shift_page_clear_result (self);
  _pdv_shift_page_refresh_state (self);
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
  g_clear_pointer (&self->pending, _pdv_shift_pending_free);

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
  g_clear_pointer (&self->recounter, pdv_user_free);

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
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/shift/pdv-shift-page.ui");
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

  _pdv_shift_page_class_actions_init (widget_class);

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

static void
set_user (PdvShiftPage  *self,
          const PdvUser *user)
{
  if (self->user == user)
    return;
  g_clear_pointer (&self->user, pdv_user_free);
  self->user = user ? pdv_user_copy (user) : NULL;
  apply_user_rights (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static void
session_changed_cb (PdvSession   *session,
                    PdvShiftPage *self)
{
  set_user (self, pdv_session_get_user (session));
}

/**
 * pdv_shift_page_set_session:
 * @session: who is at the terminal, followed from now on: the operator of
 *   the shift's actions, and whose rights decide what the page shows
 */
void
pdv_shift_page_set_session (PdvShiftPage *self,
                            PdvSession   *session)
{
  g_return_if_fail (PDV_IS_SHIFT_PAGE (self));
  g_return_if_fail (PDV_IS_SESSION (session));

  g_signal_connect_object (session, "changed", G_CALLBACK (session_changed_cb), self, 0);
  session_changed_cb (session, self);
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

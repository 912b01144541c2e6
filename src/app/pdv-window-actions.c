/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-audit-window.h"
#include "pdv-sales-history.h"
#include "pdv-sell-page.h"
#include "pdv-window-private.h"

/* The window's actions (win.*): switching pages, toasts, the receipts it
 * prints for the pages and their reprints, the recent sales, the cash
 * drawer and the lock. */

static void
show_page_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  pdv_window_show_page (PDV_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_toast_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdvWindow *self = PDV_WINDOW (widget);
  AdwToast *toast = adw_toast_new (g_variant_get_string (parameter, NULL));

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_pdv_window_show_print_toast (PdvWindow  *self,
                              const char *message,
                              const char *sale_id)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 10);
  if (sale_id != NULL)
    {
      adw_toast_set_button_label (toast, _("_Reprint"));
      adw_toast_set_action_name (toast, "win.reprint");
      adw_toast_set_action_target_value (toast, g_variant_new_string (sale_id));
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A receipt that failed stays said, with its Reprint button, until someone
 * reprints it or dismisses the message: a toast's ten seconds pass while
 * the cashier serves the next customer. */
/* Says what did not print, with a button that tries again: @action with
 * @target (floating, taken). */
static void
show_print_banner (PdvWindow  *self,
                   const char *message,
                   const char *action,
                   GVariant   *target)
{
  gtk_label_set_label (self->print_banner_label, message);
  /* The target first: the action takes one. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->print_banner_reprint), target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->print_banner_reprint), action);
  gtk_revealer_set_reveal_child (self->print_banner, TRUE);
}

static void
hide_print_banner (PdvWindow *self)
{
  gtk_revealer_set_reveal_child (self->print_banner, FALSE);
}

/* ---- The tamper alarm ---- */

static void
update_alarm_banner (PdvWindow *self)
{
  g_autofree char *reason = pdv_alarm_get (pdv_context_get_db (self->context));

  if (reason != NULL)
    {
      /* Translators: %s is what the check found, e.g. "The product “CERV” (Cerveja) was changed …" */
      g_autofree char *text = g_strdup_printf (_("%s Sales are still saved, and marked as made under the alarm."),
                                               reason);
      gtk_label_set_label (self->alarm_banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->alarm_banner, reason != NULL);
}

static void
check_state_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GError) error = NULL;

  /* Its own connection: a million tickets are read while the till sells.
   * The projections are left to pdvctl verify, which holds the write lock. */
  context = pdv_context_open_beside (task_data, &error);
  if (context == NULL ||
      !pdv_check_state (pdv_context_get_journal (context), FALSE, NULL, NULL, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
state_checked_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PdvWindow *self = PDV_WINDOW (source_object);
  PdvJournal *journal = pdv_context_get_journal (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) alarm_error = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->state_check);

  if (!pdv_alarm_follow_check (journal, ok ? NULL : error, &alarm_error))
    g_warning ("The alarm could not be kept: %s", alarm_error->message);
  update_alarm_banner (self);
}

/**
 * _pdv_window_check_state:
 *
 * Checks the journal's chain and the imported state and settings against it
 * on a thread, then raises or clears the alarm and shows it.
 */
void
_pdv_window_check_state (PdvWindow *self)
{
  g_autoptr(GTask) task = NULL;

  update_alarm_banner (self);
  if (self->state_check != NULL)
    return;
  self->state_check = g_cancellable_new ();
  task = g_task_new (self, self->state_check, state_checked_cb, NULL);
  g_task_set_source_tag (task, _pdv_window_check_state);
  g_task_set_task_data (task, g_object_ref (self->context), g_object_unref);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, check_state_thread);
}

static void
update_alarm_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  update_alarm_banner (PDV_WINDOW (widget));
}

static void
check_state_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _pdv_window_check_state (PDV_WINDOW (widget));
}

gboolean
pdv_window_is_checking_state (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), FALSE);
  return self->state_check != NULL;
}

gboolean
pdv_window_shows_alarm (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->alarm_banner);
}

typedef struct {
  PdvWindow *window;
  char      *sale_id;
  gboolean   requested;
  json_t    *fichas;     /* the fichas printed again alone, or NULL */
} PrintRequest;

static void
print_request_free (PrintRequest *request)
{
  g_object_unref (request->window);
  g_free (request->sale_id);
  g_clear_pointer (&request->fichas, json_decref);
  g_free (request);
}

/* A sale's id and the ids of fichas of it, as the "win.print-fichas"
 * action takes them. */
static GVariant *
fichas_target (const char *sale_id,
               json_t     *fichas)
{
  GVariantBuilder ids;
  json_t *id;
  size_t i;

  g_variant_builder_init (&ids, G_VARIANT_TYPE_STRING_ARRAY);
  json_array_foreach (fichas, i, id)
    g_variant_builder_add (&ids, "s", json_string_value (id));
  return g_variant_new ("(sas)", sale_id, &ids);
}

static void
receipt_printed_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PrintRequest *request = user_data;
  PdvWindow *self = request->window;
  g_autoptr(GError) error = NULL;

  pdv_receipt_printer_print_finish (PDV_RECEIPT_PRINTER (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      print_request_free (request);
      return;
    }

  self->n_printing--;
  g_clear_pointer (&self->last_print_error, g_free);

  if (error == NULL)
    {
      if (request->fichas != NULL)
        _pdv_window_show_print_toast (self, _("Fichas printed"), NULL);
      else if (request->requested)
        _pdv_window_show_print_toast (self, _("Receipt printed"), NULL);
    }
  else if (request->fichas != NULL)
    {
      /* Translators: %s says why, e.g. "the printer is out of paper" */
      self->last_print_error = g_strdup_printf (_("Fichas not printed: %s"), error->message);
      g_message ("Fichas of sale %s not printed: %s", request->sale_id, error->message);
      show_print_banner (self, self->last_print_error, "win.print-fichas",
                         fichas_target (request->sale_id, request->fichas));
    }
  else if (g_error_matches (error, PDV_RECEIPT_PRINTER_ERROR, PDV_RECEIPT_PRINTER_ERROR_NO_PRINTER) &&
           !request->requested)
    {
      /* A terminal without a printer sells without receipts, quietly. */
      g_debug ("No receipt for sale %s: %s", request->sale_id, error->message);
    }
  else
    {
      /* Translators: %s says why, e.g. "the printer is out of paper" */
      self->last_print_error = g_strdup_printf (_("Receipt not printed: %s"), error->message);
      g_message ("Receipt of sale %s not printed: %s", request->sale_id, error->message);
      show_print_banner (self, self->last_print_error, "win.reprint", g_variant_new_string (request->sale_id));
    }
  print_request_free (request);
}

static void
print_receipt (PdvWindow  *self,
               const char *sale_id,
               gboolean    requested)
{
  PrintRequest *request = g_new0 (PrintRequest, 1);

  request->window = g_object_ref (self);
  request->sale_id = g_strdup (sale_id);
  request->requested = requested;
  self->n_printing++;
  /* Only the print that follows the sale is the original (and opens the
   * drawer for cash); whatever is asked for later is a copy. */
  pdv_receipt_printer_print_async (self->receipt_printer, sale_id, requested, self->cancellable,
                                   receipt_printed_cb, request);
}

static void
print_receipt_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  print_receipt (PDV_WINDOW (widget), g_variant_get_string (parameter, NULL), FALSE);
}

/* Fichas a manager allowed to print again (pdv_ficha_reprint()): a copy
 * each, with the tokens of the originals. */
static void
print_fichas_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdvWindow *self = PDV_WINDOW (widget);
  PrintRequest *request = g_new0 (PrintRequest, 1);
  g_autofree const char **ids = NULL;
  const char *sale_id;

  hide_print_banner (self);
  g_variant_get (parameter, "(&s^a&s)", &sale_id, &ids);
  request->window = g_object_ref (self);
  request->sale_id = g_strdup (sale_id);
  request->requested = TRUE;
  request->fichas = json_array ();
  for (guint i = 0; ids[i] != NULL; i++)
    json_array_append_new (request->fichas, json_string (ids[i]));
  self->n_printing++;
  pdv_receipt_printer_print_fichas_async (self->receipt_printer, sale_id, request->fichas, self->cancellable,
                                          receipt_printed_cb, request);
}

static void
reprint_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  /* Acted on: a new failure says so again. */
  hide_print_banner (PDV_WINDOW (widget));
  print_receipt (PDV_WINDOW (widget), g_variant_get_string (parameter, NULL), TRUE);
}

/**
 * pdv_window_render_receipt:
 *
 * Returns: (transfer full): a sale's receipt as a reprint on this
 *   terminal's printer would print it, as text; %NULL with @error set
 */
char *
pdv_window_render_receipt (PdvWindow   *self,
                           const char  *sale_id,
                           GError     **error)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return pdv_receipt_printer_render_text (self->receipt_printer, sale_id, TRUE, error);
}

static void
dismiss_print_error_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  hide_print_banner (PDV_WINDOW (widget));
}

static void
reprint_last_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdvWindow *self = PDV_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *sale_id = pdv_receipt_printer_find_last_sale (self->receipt_printer, &error);

  if (sale_id != NULL)
    print_receipt (self, sale_id, TRUE);
  else if (error != NULL)
    _pdv_window_show_print_toast (self, error->message, NULL);
  else
    _pdv_window_show_print_toast (self, _("No sale to reprint yet"), NULL);
}

static void
sale_corrected_cb (PdvWindow *self)
{
  GtkWidget *sell_page = adw_view_stack_get_child_by_name (self->view_stack, "sell");

  /* A void puts what was sold back in stock. */
  if (sell_page != NULL)
    pdv_sell_page_reload (PDV_SELL_PAGE (sell_page));
}

/* The slip of a void or refund, printed as a sale's receipt is. */
static void
slip_cb (PdvWindow  *self,
         const char *entry_id)
{
  print_receipt (self, entry_id, FALSE);
}

/* A refund or void paid back in cash: the drawer opens for it. */
static void
cash_back_cb (PdvWindow *self,
              gint64     amount)
{
  pdv_drawer_opener_give_back (self->drawer_opener, amount, self->cancellable);
}

static void
recent_sales_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdvWindow *self = PDV_WINDOW (widget);
  PdvSalesHistory *history;

  /* Whoever is logged in voids and refunds; nobody where no one logs in. */
  history = pdv_sales_history_new (GTK_WINDOW (self), self->context, pdv_session_get_user (self->session));
  g_signal_connect_object (history, "sale-corrected", G_CALLBACK (sale_corrected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "cash-back", G_CALLBACK (cash_back_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "slip", G_CALLBACK (slip_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (history));
}

static void
open_drawer_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdvWindow *self = PDV_WINDOW (widget);
  const PdvUser *user = pdv_session_get_user (self->session);
  g_autoptr(PdvUser) operator_user = NULL;

  if (user == NULL && self->require_login)
    return;
  operator_user = pdv_operator_dup (user);
  pdv_drawer_opener_start (self->drawer_opener, GTK_WINDOW (self), operator_user, self->cancellable);
}

static void
open_audit (PdvWindow *self)
{
  gtk_window_present (GTK_WINDOW (pdv_audit_window_new (GTK_WINDOW (self), self->context)));
}

static void
audit_authorised_cb (PdvWindow *self,
                     PdvUser   *authoriser)
{
  open_audit (self);
}

static void
audit_prompt_destroyed_cb (PdvWindow *self)
{
}

/* The audit is a manager's: anyone else needs one's PIN to see it. */
static void
audit_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdvWindow *self = PDV_WINDOW (widget);
  const PdvUser *user = pdv_session_get_user (self->session);
  g_autoptr(PdvUser) operator_user = pdv_operator_dup (user);

  if (user == NULL && self->require_login)
    return;
  if (pdv_user_can (operator_user, PDV_PERMISSION_REPORT))
    {
      open_audit (self);
      return;
    }
  pdv_manager_prompt_ask (GTK_WINDOW (self), self->context, PDV_PERMISSION_REPORT, user != NULL ? user->id : NULL,
                          _("Audit"), _("A manager’s PIN is needed to see the audit."),
                          G_CALLBACK (audit_authorised_cb), G_CALLBACK (audit_prompt_destroyed_cb), self);
}

static void
lock_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  _pdv_window_lock (PDV_WINDOW (widget));
}

/* Which of the window's actions whoever is logged in may use. */
void
_pdv_window_update_actions (PdvWindow *self)
{
  gboolean logged_in = pdv_session_is_logged_in (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reprint-last",
                                 pdv_window_can (self, PDV_PERMISSION_SELL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.recent-sales",
                                 pdv_window_can (self, PDV_PERMISSION_SELL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", self->require_login && logged_in);
  /* Door staff have no drawer; a cashier asks a manager. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-drawer",
                                 (!self->require_login || logged_in) &&
                                 (pdv_window_can (self, PDV_PERMISSION_SELL) ||
                                  pdv_window_can (self, PDV_PERMISSION_DRAWER_OPEN)));
  /* Anyone logged in may ask; a manager's PIN opens it for others. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.audit", !self->require_login || logged_in);
}

void
_pdv_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_cb);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_cb);
  gtk_widget_class_install_action (widget_class, "win.print-receipt", "s", print_receipt_cb);
  gtk_widget_class_install_action (widget_class, "win.reprint", "s", reprint_cb);
  gtk_widget_class_install_action (widget_class, "win.print-fichas", "(sas)", print_fichas_cb);
  gtk_widget_class_install_action (widget_class, "win.reprint-last", NULL, reprint_last_cb);
  gtk_widget_class_install_action (widget_class, "win.dismiss-print-error", NULL, dismiss_print_error_cb);
  gtk_widget_class_install_action (widget_class, "win.check-state", NULL, check_state_cb);
  gtk_widget_class_install_action (widget_class, "win.update-alarm", NULL, update_alarm_cb);
  gtk_widget_class_install_action (widget_class, "win.recent-sales", NULL, recent_sales_cb);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_cb);
  gtk_widget_class_install_action (widget_class, "win.open-drawer", NULL, open_drawer_cb);
  gtk_widget_class_install_action (widget_class, "win.audit", NULL, audit_cb);
}

/**
 * pdv_window_get_print_banner_text:
 *
 * Returns: (nullable): the print failure on screen, or %NULL when none is
 */
const char *
pdv_window_get_print_banner_text (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return gtk_revealer_get_reveal_child (self->print_banner) ? gtk_label_get_label (self->print_banner_label) : NULL;
}

/**
 * pdv_window_get_last_print_error:
 *
 * Returns: (nullable): what the last receipt's failure said, if it failed
 */
const char *
pdv_window_get_last_print_error (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->last_print_error;
}

/**
 * pdv_window_get_n_printing:
 *
 * Returns: how many receipts are on their way to the printer
 */
guint
pdv_window_get_n_printing (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), 0);
  return self->n_printing;
}

/**
 * pdv_window_set_printer:
 * @destination: (nullable): a CUPS queue, %NULL for the default one
 *
 * Prints receipts on @destination from now on.
 */
void
pdv_window_set_printer (PdvWindow  *self,
                        const char *destination)
{
  g_return_if_fail (PDV_IS_WINDOW (self));

  pdv_receipt_printer_set_destination (self->receipt_printer, destination);
}

PdvReceiptPrinter *
pdv_window_get_receipt_printer (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->receipt_printer;
}

/**
 * pdv_window_get_drawer_opener:
 *
 * Returns: (transfer none): what opens the cash drawer without a sale
 */
PdvDrawerOpener *
pdv_window_get_drawer_opener (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->drawer_opener;
}

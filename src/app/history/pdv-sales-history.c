/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sales-history"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-sale-view.h"
#include "pdv-sales-history.h"
#include "pdv-sales-history-dialogs.h"
#include "pdv-session.h"
#include "pdv-window.h"

/* The terminal's recent sales, newest first, with a search; for the one
 * chosen, what was sold and how it was paid, and its receipt, void and
 * refund. A void or refund the operator's role does not allow takes a
 * manager's PIN (checked in the prompt's worker); the correction itself is
 * one short transaction on the terminal's own connection, as a sale is.
 *
 * The list is read in a worker with a connection of its own: a search reads
 * sales until enough of them match, which on a long night is many. */

#define LIST_LIMIT 100

struct _PdvSalesHistory
{
  AdwWindow             parent_instance;

  PdvContext           *context;
  PdvUser              *operator_user;
  GHashTable           *user_names;   /* id → name */
  GCancellable         *cancellable;  /* the listing under way */
  char                 *selected_id;  /* the sale shown, kept across listings */
  PdvSaleDetail        *detail;       /* the sale shown */
  gboolean              listed;       /* a listing has come in */
  guint                 n_sales;
  GtkWidget            *dialog;       /* the void or refund dialog, while open */
  PdvManagerPrompt     *prompt;
  PdvCorrectionRequest *pending;      /* waiting for a manager's PIN */
  gboolean              pending_fichas; /* a reprint of the fichas, waiting for one */
  guint                 fichas_left;  /* the sale shown's fichas not served yet */
  AdwToast             *toast;        /* the one shown, while it is */

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkSearchEntry       *search_entry;
  GtkListBox           *sales_list;
  GtkLabel             *list_placeholder;
  GtkStack             *detail_stack;
  PdvSaleView          *sale_view;
  GtkLabel             *error_label;
  GtkWidget            *reprint_button;
  GtkWidget            *fichas_button;
  GtkWidget            *refund_button;
  GtkWidget            *void_button;
};

G_DEFINE_FINAL_TYPE (PdvSalesHistory, pdv_sales_history, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_OPERATOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SALE_CORRECTED,
  CASH_BACK,
  SLIP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The last word replaces the one before: a queue of stale toasts says
 * nothing about the sale on screen. */
static void
show_toast (PdvSalesHistory *self,
            const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  adw_toast_set_timeout (toast, 4);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error (PdvSalesHistory *self,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
update_actions (PdvSalesHistory *self)
{
  const PdvSaleRecord *record = self->detail != NULL ? self->detail->record : NULL;
  gboolean can_reprint = record != NULL && !record->voided;
  gboolean can_void = record != NULL && !record->voided && record->refunded == 0;
  gboolean can_refund = record != NULL && pdv_sale_record_get_refundable (record) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.reprint", can_reprint);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.reprint-fichas", self->fichas_left > 0);
  /* Only for a sale that handed fichas over. */
  gtk_widget_set_visible (self->fichas_button, self->fichas_left > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.show-receipt", can_reprint);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.void", can_void);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.refund", can_refund);

  /* Say why a button is greyed out. */
  gtk_widget_set_tooltip_text (self->reprint_button,
                               record != NULL && record->voided ? _("A voided sale has no receipt to reprint")
                                                                : _("Print this sale’s receipt again"));
  if (record != NULL && record->voided)
    gtk_widget_set_tooltip_text (self->void_button, _("This sale was voided already"));
  else if (record != NULL && record->refunded > 0)
    gtk_widget_set_tooltip_text (self->void_button, _("A refunded sale is not voided: refund what is left instead"));
  else
    gtk_widget_set_tooltip_text (self->void_button, _("Cancel the whole sale; its stock comes back"));
  gtk_widget_set_tooltip_text (self->refund_button,
                               record != NULL && !can_refund ? _("Nothing is left to refund")
                                                             : _("Give money back to the customer"));
}

/* Reads the selected sale from the journal and shows it. One sale's entry
 * and the few that refer to it, by index: quick enough for this thread. */
static void
show_detail (PdvSalesHistory *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->detail, pdv_sale_detail_free);
  self->fichas_left = 0;
  if (self->selected_id != NULL)
    self->detail = pdv_sale_history_get_detail (pdv_context_get_db (self->context), self->selected_id, &error);
  if (self->detail != NULL)
    {
      /* Read from the sale's own entry, with what became of each. */
      g_autoptr(json_t) fichas = pdv_ficha_list_for_sale (pdv_context_get_db (self->context), self->selected_id,
                                                          &error);
      json_t *ficha;
      size_t i;

      json_array_foreach (fichas, i, ficha)
        if (g_strcmp0 (json_string_value (json_object_get (ficha, "state")), "issued") == 0)
          self->fichas_left++;
      if (error != NULL)
        show_error (self, error->message);
      g_clear_error (&error);
    }
  if (self->detail == NULL)
    {
      if (error != NULL)
        show_error (self, error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
    }
  else
    {
      g_autoptr(GTimeZone) zone = pdv_context_dup_event_timezone (self->context);
      g_autoptr(GDateTime) now = pdv_clock_get_now (pdv_context_get_clock (self->context), zone);

      pdv_sale_view_show (self->sale_view, self->detail, self->user_names, now);
      gtk_stack_set_visible_child_name (self->detail_stack, "detail");
    }
  update_actions (self);
}

static GtkListBoxRow *
find_row (PdvSalesHistory *self,
          const char      *sale_id)
{
  if (sale_id == NULL)
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sales_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && g_strcmp0 (pdv_sale_row_get_sale_id (GTK_LIST_BOX_ROW (child)), sale_id) == 0)
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
row_selected_cb (PdvSalesHistory *self,
                 GtkListBoxRow   *row)
{
  const char *sale_id = row ? pdv_sale_row_get_sale_id (row) : NULL;

  /* A listing that no longer holds the sale keeps showing it: it was
   * chosen, and a search should not take it away. */
  if (sale_id == NULL)
    return;
  if (g_strcmp0 (sale_id, self->selected_id) == 0 && self->detail != NULL)
    return;
  g_free (self->selected_id);
  self->selected_id = g_strdup (sale_id);
  show_error (self, NULL);
  show_detail (self);
}

static void
show_records (PdvSalesHistory *self,
              GPtrArray       *records)
{
  const char *filter = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean first_listing = !self->listed;
  GtkListBoxRow *selected;
  g_autoptr(GTimeZone) zone = pdv_context_dup_event_timezone (self->context);
  g_autoptr(GDateTime) now = pdv_clock_get_now (pdv_context_get_clock (self->context), zone);

  self->listed = TRUE;
  self->n_sales = records->len;

  /* Rows go away without changing what is shown. */
  g_signal_handlers_block_by_func (self->sales_list, row_selected_cb, self);
  clear_list_box (self->sales_list);
  for (guint i = 0; i < records->len; i++)
    gtk_list_box_append (self->sales_list, pdv_sale_row_new (g_ptr_array_index (records, i), now));
  g_signal_handlers_unblock_by_func (self->sales_list, row_selected_cb, self);

  if (*filter != '\0')
    gtk_label_set_label (self->list_placeholder, _("No recent sale matches the search"));
  else
    gtk_label_set_label (self->list_placeholder, _("No sales on this terminal yet"));

  /* The newest sale first: what a cashier most often corrects. */
  if (first_listing && self->selected_id == NULL && records->len > 0)
    self->selected_id = g_strdup (((PdvSaleRecord *) g_ptr_array_index (records, 0))->sale_id);

  selected = find_row (self, self->selected_id);
  g_signal_handlers_block_by_func (self->sales_list, row_selected_cb, self);
  gtk_list_box_select_row (self->sales_list, selected);
  g_signal_handlers_unblock_by_func (self->sales_list, row_selected_cb, self);
  if (first_listing)
    show_detail (self);
}

typedef struct {
  PdvContext *context;
  char       *filter;
} ListJob;

static void
list_job_free (ListJob *job)
{
  g_clear_object (&job->context);
  g_free (job->filter);
  g_free (job);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ListJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = pdv_context_open_beside (job->context, &error);
  GPtrArray *records;

  if (context == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  records = pdv_sale_history_list (pdv_context_get_db (context), job->filter, LIST_LIMIT, &error);
  if (records == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
}

static void
listed_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  if (records == NULL)
    {
      /* Translators: %s says why the sales could not be read */
      g_autofree char *message = g_strdup_printf (_("The recent sales could not be read: %s"), error->message);

      show_error (self, message);
      return;
    }
  show_records (self, records);
}

static void
search_changed_cb (PdvSalesHistory *self)
{
  pdv_sales_history_refresh (self);
}

static void
refresh_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  pdv_sales_history_refresh (PDV_SALES_HISTORY (widget));
}

/* The sale's number as on its receipt, when it is the one shown. */
static char *
sale_number (PdvSalesHistory *self,
             const char      *sale_id)
{
  if (self->detail != NULL && g_strcmp0 (self->detail->record->sale_id, sale_id) == 0)
    return g_strdup (self->detail->record->number);
  return pdv_sale_short_id (sale_id);
}

static void
show_receipt_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->detail == NULL)
    return;
  /* The terminal's window knows the printer's paper and lines. */
  if (!PDV_IS_WINDOW (parent))
    {
      show_error (self, _("Receipts cannot be shown from here"));
      return;
    }
  text = pdv_window_render_receipt (PDV_WINDOW (parent), self->detail->record->sale_id, &error);
  if (text == NULL)
    {
      show_error (self, error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (pdv_sales_history_receipt_window_new (GTK_WINDOW (self), text)));
}

static void
reprint_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (self->detail == NULL)
    return;
  /* The terminal's window prints, so that a print outlives this window,
   * and says there whether it failed. */
  if (parent == NULL ||
      !gtk_widget_activate_action (GTK_WIDGET (parent), "win.reprint", "s", self->detail->record->sale_id))
    {
      show_error (self, _("Receipts cannot be printed from here"));
      return;
    }
  show_toast (self, _("Receipt sent to the printer"));
}

/* The void or refund is journalled, with who authorised it when the
 * operator may not do it alone. */
/* What goes back across the counter from the drawer: a cash refund, or the
 * cash a voided sale took (what it covered, not what was handed over). */
static PdvMoney
cash_back (PdvSalesHistory            *self,
           const PdvCorrectionRequest *correction)
{
  PdvMoney cash = 0;

  if (correction->kind == PDV_SALE_CORRECTION_REFUND)
    return correction->method == PDV_PAYMENT_CASH ? correction->amount : 0;
  if (self->detail == NULL || g_strcmp0 (self->detail->record->sale_id, correction->sale_id) != 0)
    return 0;
  for (guint i = 0; i < self->detail->payments->len; i++)
    {
      const PdvSaleRecordPayment *payment = &g_array_index (self->detail->payments, PdvSaleRecordPayment, i);

      if (payment->method == PDV_PAYMENT_CASH)
        cash += payment->amount;
    }
  return cash;
}

static void
run_correction (PdvSalesHistory      *self,
                PdvCorrectionRequest *correction,
                const PdvUser        *authoriser)
{
  g_autoptr(PdvCorrectionRequest) owned = correction;
  PdvJournal *journal = pdv_context_get_journal (self->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  PdvMoney cash = cash_back (self, correction);
  gboolean done;

  if (correction->kind == PDV_SALE_CORRECTION_VOID)
    done = pdv_sale_void_authorised (journal, correction->sale_id, self->operator_user, authoriser,
                                     correction->reason, &error);
  else
    done = pdv_sale_refund_authorised (journal, correction->sale_id, correction->amount, correction->method,
                                       self->operator_user, authoriser, correction->reason, &error);
  if (!done)
    {
      show_error (self, error->message);
      return;
    }

  if (correction->kind == PDV_SALE_CORRECTION_VOID)
    {
      g_autofree char *id = sale_number (self, correction->sale_id);

      /* Translators: %s is the sale's number */
      message = g_strdup_printf (_("Sale %s voided"), id);
    }
  else
    {
      g_autofree char *amount = pdv_money_format (correction->amount);

      /* Translators: an amount of money, then how it went back, e.g. "Cash" */
      message = g_strdup_printf (_("%s refunded (%s)"), amount, pdv_payment_method_label (correction->method));
    }
  show_error (self, NULL);
  show_toast (self, message);
  g_signal_emit (self, signals[SALE_CORRECTED], 0, correction->sale_id);
  /* The customer's slip for it: the sale's latest void or refund. */
  {
    g_autoptr(PdvSaleDetail) detail = pdv_sale_history_get_detail (pdv_context_get_db (self->context),
                                                                   correction->sale_id, NULL);

    if (detail != NULL && detail->corrections->len > 0)
      g_signal_emit (self, signals[SLIP], 0,
                     g_array_index (detail->corrections, PdvSaleCorrection, detail->corrections->len - 1).entry_id);
  }
  if (cash > 0)
    g_signal_emit (self, signals[CASH_BACK], 0, (gint64) cash);

  if (g_strcmp0 (self->selected_id, correction->sale_id) == 0)
    show_detail (self);
  pdv_sales_history_refresh (self);
}

/* The sale's fichas not served yet, printed again as a manager allowed
 * (journalled), through the terminal's window. */
static void
reprint_fichas (PdvSalesHistory *self,
                const PdvUser   *authoriser)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) ids = NULL;
  GVariantBuilder builder;
  json_t *id;
  size_t i;

  if (self->detail == NULL)
    return;
  ids = pdv_ficha_reprint_authorised (pdv_context_get_journal (self->context), self->detail->record->sale_id,
                                      self->operator_user, authoriser, &error);
  if (ids == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  json_array_foreach (ids, i, id)
    g_variant_builder_add (&builder, "s", json_string_value (id));
  if (parent == NULL ||
      !gtk_widget_activate_action (GTK_WIDGET (parent), "win.print-fichas", "(sas)", self->detail->record->sale_id,
                                   &builder))
    {
      show_error (self, _("Fichas cannot be printed from here"));
      return;
    }
  show_toast (self, ngettext ("Ficha sent to the printer, marked as a copy",
                              "Fichas sent to the printer, marked as copies", json_array_size (ids)));
}

static void
manager_authorised_cb (PdvSalesHistory *self,
                       PdvUser         *authoriser)
{
  PdvCorrectionRequest *correction = g_steal_pointer (&self->pending);

  if (correction != NULL)
    run_correction (self, correction, authoriser);
  else if (self->pending_fichas)
    {
      self->pending_fichas = FALSE;
      reprint_fichas (self, authoriser);
    }
}

static void
prompt_destroyed_cb (PdvSalesHistory  *self,
                     PdvManagerPrompt *prompt)
{
  if (self->prompt != prompt)
    return;
  self->prompt = NULL;
  g_clear_pointer (&self->pending, pdv_correction_request_free);
  self->pending_fichas = FALSE;
}

static void
ask_manager (PdvSalesHistory      *self,
             PdvCorrectionRequest *correction)
{
  g_autofree char *id = sale_number (self, correction->sale_id);
  g_autofree char *amount = pdv_money_format (correction->amount);
  g_autofree char *message = NULL;
  PdvPermission permission;
  const char *title;

  if (correction->kind == PDV_SALE_CORRECTION_VOID)
    {
      permission = PDV_PERMISSION_VOID;
      title = _("Void Sale");
      /* Translators: the beginning of the sale's number, then its total */
      message = g_strdup_printf (_("A manager’s PIN is needed to void sale %s (%s)."), id, amount);
    }
  else
    {
      permission = PDV_PERMISSION_REFUND;
      title = _("Refund");
      /* Translators: an amount of money, then the beginning of the sale's number */
      message = g_strdup_printf (_("A manager’s PIN is needed to refund %s of sale %s."), amount, id);
    }

  /* Whatever an earlier prompt was for is dropped with it. */
  if (self->prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->prompt));
  self->pending = correction;
  self->prompt = pdv_manager_prompt_ask (GTK_WINDOW (self), self->context, permission, self->operator_user->id, title,
                                         message, G_CALLBACK (manager_authorised_cb),
                                         G_CALLBACK (prompt_destroyed_cb), self);
}

static void
request_correction (PdvSalesHistory      *self,
                    PdvCorrectionRequest *correction)
{
  PdvPermission permission = correction->kind == PDV_SALE_CORRECTION_VOID ? PDV_PERMISSION_VOID
                                                                          : PDV_PERMISSION_REFUND;

  show_error (self, NULL);
  if (pdv_user_can (self->operator_user, permission))
    run_correction (self, correction, NULL);
  else
    ask_manager (self, correction);
}

static void
dialog_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (user_data);
  g_autoptr(GError) error = NULL;
  PdvCorrectionRequest *request = pdv_sales_history_dialog_get_request (dialog, response, &error);

  if (request != NULL)
    request_correction (self, request);
  else if (error != NULL)
    show_error (self, error->message);
}

static void
present_dialog (PdvSalesHistory *self,
                GtkWidget       *dialog)
{
  g_signal_connect_object (dialog, "response", G_CALLBACK (dialog_response_cb), self, 0);
  g_set_weak_pointer (&self->dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
void_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (widget);

  if (self->detail == NULL || self->dialog != NULL)
    return;
  present_dialog (self, pdv_sales_history_void_dialog_new (GTK_WINDOW (self), self->detail->record,
                                                           !pdv_user_can (self->operator_user,
                                                                          PDV_PERMISSION_VOID)));
}

/* Fichas lost by a customer: printed again, a manager allowing it. */
static void
reprint_fichas_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (widget);
  g_autofree char *id = NULL;
  g_autofree char *message = NULL;

  if (self->detail == NULL)
    return;
  show_error (self, NULL);
  if (pdv_user_can (self->operator_user, PDV_PERMISSION_COURTESY))
    {
      reprint_fichas (self, NULL);
      return;
    }
  id = sale_number (self, self->detail->record->sale_id);
  /* Translators: how many fichas are left to serve, then the beginning of the sale's number */
  message = g_strdup_printf (ngettext ("A manager’s PIN is needed to print %u ficha of sale %s again.",
                                       "A manager’s PIN is needed to print %u fichas of sale %s again.",
                                       self->fichas_left),
                             self->fichas_left, id);
  if (self->prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->prompt));
  g_clear_pointer (&self->pending, pdv_correction_request_free);
  self->pending_fichas = TRUE;
  self->prompt = pdv_manager_prompt_ask (GTK_WINDOW (self), self->context, PDV_PERMISSION_COURTESY,
                                         self->operator_user->id, _("Reprint Fichas"), message,
                                         G_CALLBACK (manager_authorised_cb), G_CALLBACK (prompt_destroyed_cb), self);
}

static void
refund_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (widget);

  if (self->detail == NULL || self->dialog != NULL)
    return;
  present_dialog (self, pdv_sales_history_refund_dialog_new (GTK_WINDOW (self), self->detail,
                                                             !pdv_user_can (self->operator_user,
                                                                            PDV_PERMISSION_REFUND)));
}

/* Who voided or refunded, and who allowed it, by name; the terminal's
 * pseudo-user too. A small table, read once. */
static void
load_user_names (PdvSalesHistory *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = pdv_auth_list_users (pdv_context_get_db (self->context), &error);

  if (users == NULL)
    g_debug ("Showing user ids, not names: %s", error->message);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      PdvUser *user = g_ptr_array_index (users, i);

      g_hash_table_insert (self->user_names, g_strdup (user->id), g_strdup (user->name));
    }
  g_hash_table_replace (self->user_names, g_strdup (self->operator_user->id), g_strdup (self->operator_user->name));
}

static void
pdv_sales_history_constructed (GObject *object)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (object);
  g_autofree char *terminal_name = NULL;

  G_OBJECT_CLASS (pdv_sales_history_parent_class)->constructed (object);

  g_assert (self->context != NULL);

  /* Until people log in on the terminal, corrections are the terminal's
   * own, with a cashier's rights: anything more takes a manager's PIN. */
  if (self->operator_user == NULL)
    self->operator_user = pdv_operator_dup (NULL);

  terminal_name = pdv_context_dup_terminal_name (self->context);
  adw_window_title_set_subtitle (self->window_title, terminal_name ? terminal_name : "");
  load_user_names (self);
  update_actions (self);
  pdv_sales_history_refresh (self);
}

static void
pdv_sales_history_dispose (GObject *object)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->prompt));
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_weak_pointer (&self->dialog);
  g_clear_weak_pointer (&self->toast);
  g_clear_pointer (&self->pending, pdv_correction_request_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SALES_HISTORY);

  G_OBJECT_CLASS (pdv_sales_history_parent_class)->dispose (object);
}

static void
pdv_sales_history_finalize (GObject *object)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->operator_user, pdv_user_free);
  g_clear_pointer (&self->user_names, g_hash_table_unref);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->detail, pdv_sale_detail_free);

  G_OBJECT_CLASS (pdv_sales_history_parent_class)->finalize (object);
}

static void
pdv_sales_history_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_OPERATOR:
      g_value_set_boxed (value, self->operator_user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_sales_history_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PdvSalesHistory *self = PDV_SALES_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_OPERATOR:
      self->operator_user = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_sales_history_class_init (PdvSalesHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_sales_history_constructed;
  object_class->dispose = pdv_sales_history_dispose;
  object_class->finalize = pdv_sales_history_finalize;
  object_class->get_property = pdv_sales_history_get_property;
  object_class->set_property = pdv_sales_history_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Who voids and refunds: NULL for the terminal itself, with a cashier's
   * rights, where nobody logs in. */
  properties[PROP_OPERATOR] =
    g_param_spec_boxed ("operator", NULL, NULL, PDV_TYPE_USER,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvSalesHistory::sale-corrected:
   * @sale_id: the sale voided or refunded
   *
   * A void or refund was journalled: stock or totals shown elsewhere changed.
   */
  signals[SALE_CORRECTED] =
    g_signal_new ("sale-corrected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * PdvSalesHistory::cash-back:
   * @amount: centavos that go back to the customer from the drawer
   *
   * Emitted after a cash refund, or a void of a sale that took cash, once
   * it is journalled: the drawer has to open.
   */
  signals[CASH_BACK] =
    g_signal_new ("cash-back",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * PdvSalesHistory::slip:
   * @entry_id: the void's or refund's journal entry
   *
   * A void or refund was made: its slip is for the customer.
   */
  signals[SLIP] =
    g_signal_new ("slip",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (PDV_TYPE_SALE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/history/pdv-sales-history.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, sales_list);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, list_placeholder);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, sale_view);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, reprint_button);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, fichas_button);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, refund_button);
  gtk_widget_class_bind_template_child (widget_class, PdvSalesHistory, void_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);

  gtk_widget_class_install_action (widget_class, "history.refresh", NULL, refresh_cb);
  gtk_widget_class_install_action (widget_class, "history.reprint", NULL, reprint_cb);
  gtk_widget_class_install_action (widget_class, "history.reprint-fichas", NULL, reprint_fichas_cb);
  gtk_widget_class_install_action (widget_class, "history.show-receipt", NULL, show_receipt_cb);
  gtk_widget_class_install_action (widget_class, "history.void", NULL, void_cb);
  gtk_widget_class_install_action (widget_class, "history.refund", NULL, refund_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "history.refresh", NULL);
}

static void
pdv_sales_history_init (PdvSalesHistory *self)
{
  self->user_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Typing anywhere in the window searches. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}

/**
 * pdv_sales_history_new:
 * @parent: the terminal's window, which prints receipts
 * @operator_user: (nullable): who is logged in; %NULL where nobody logs in
 *
 * A window of the terminal's recent sales, over @parent, which lists them
 * as soon as it is made.
 */
PdvSalesHistory *
pdv_sales_history_new (GtkWindow     *parent,
                       PdvContext    *context,
                       const PdvUser *operator_user)
{
  PdvSalesHistory *self;
  int width, height;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  self = g_object_new (PDV_TYPE_SALES_HISTORY,
                       "transient-for", parent,
                       "context", context,
                       "operator", operator_user,
                       NULL);

  /* Over the terminal's window and never larger: on a 1024×600 screen
   * that is the whole screen. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 MIN (width, gtk_widget_get_width (GTK_WIDGET (parent)) - 48),
                                 MIN (height, gtk_widget_get_height (GTK_WIDGET (parent)) - 48));
  return self;
}

/**
 * pdv_sales_history_refresh:
 *
 * Lists the sales again, as the search says, in a worker; a listing under
 * way is dropped for the new one.
 */
void
pdv_sales_history_refresh (PdvSalesHistory *self)
{
  g_autoptr(GTask) task = NULL;
  ListJob *job;

  g_return_if_fail (PDV_IS_SALES_HISTORY (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  job = g_new0 (ListJob, 1);
  job->context = g_object_ref (self->context);
  job->filter = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, listed_cb, NULL);
  g_task_set_source_tag (task, pdv_sales_history_refresh);
  g_task_set_task_data (task, job, (GDestroyNotify) list_job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_thread);
}

/**
 * pdv_sales_history_select_sale:
 *
 * Shows @sale_id, as a tap on its row does.
 *
 * Returns: whether the list holds it
 */
gboolean
pdv_sales_history_select_sale (PdvSalesHistory *self,
                               const char      *sale_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (PDV_IS_SALES_HISTORY (self), FALSE);

  row = find_row (self, sale_id);
  if (row == NULL)
    return FALSE;
  gtk_list_box_select_row (self->sales_list, row);
  return TRUE;
}

/**
 * pdv_sales_history_get_selected_sale:
 *
 * Returns: (nullable): the id of the sale shown
 */
const char *
pdv_sales_history_get_selected_sale (PdvSalesHistory *self)
{
  g_return_val_if_fail (PDV_IS_SALES_HISTORY (self), NULL);
  return self->detail != NULL ? self->detail->record->sale_id : NULL;
}

gboolean
pdv_sales_history_get_loading (PdvSalesHistory *self)
{
  g_return_val_if_fail (PDV_IS_SALES_HISTORY (self), FALSE);
  /* The first listing starts with the window. */
  return self->cancellable != NULL;
}

/**
 * pdv_sales_history_get_n_sales:
 *
 * Returns: how many sales the last listing showed
 */
guint
pdv_sales_history_get_n_sales (PdvSalesHistory *self)
{
  g_return_val_if_fail (PDV_IS_SALES_HISTORY (self), 0);
  return self->n_sales;
}

/**
 * pdv_sales_history_get_row:
 *
 * Returns: (nullable) (transfer none): the row of @sale_id, when listed
 */
GtkListBoxRow *
pdv_sales_history_get_row (PdvSalesHistory *self,
                           const char      *sale_id)
{
  g_return_val_if_fail (PDV_IS_SALES_HISTORY (self), NULL);
  return find_row (self, sale_id);
}

/**
 * pdv_sales_history_get_dialog:
 *
 * Returns: (nullable) (transfer none): the void or refund dialog, when open
 */
AdwMessageDialog *
pdv_sales_history_get_dialog (PdvSalesHistory *self)
{
  g_return_val_if_fail (PDV_IS_SALES_HISTORY (self), NULL);
  return self->dialog != NULL ? ADW_MESSAGE_DIALOG (self->dialog) : NULL;
}

/**
 * pdv_sales_history_get_manager_prompt:
 *
 * Returns: (nullable) (transfer none): the prompt for a manager's PIN, when open
 */
PdvManagerPrompt *
pdv_sales_history_get_manager_prompt (PdvSalesHistory *self)
{
  g_return_val_if_fail (PDV_IS_SALES_HISTORY (self), NULL);
  return self->prompt;
}

/**
 * pdv_sales_history_get_error_text:
 *
 * Returns: (nullable): what went wrong last, while it is shown
 */
const char *
pdv_sales_history_get_error_text (PdvSalesHistory *self)
{
  g_return_val_if_fail (PDV_IS_SALES_HISTORY (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}

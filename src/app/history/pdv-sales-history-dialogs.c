/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sales-history"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-amount-entry.h"
#include "pdv-sale-view.h"
#include "pdv-sales-history-dialogs.h"

/* The questions the recent sales window asks before a void or a refund:
 * a reason for either, and for a refund how much and how it goes back. The
 * answer is a PdvCorrectionRequest; who may allow it is the window's
 * business. */

#define REQUEST_KEY "pdv-request"

/* The ways money can go back to a customer. */
static const PdvPaymentMethod refund_methods[] = { PDV_PAYMENT_CASH, PDV_PAYMENT_CARD, PDV_PAYMENT_PIX };

void
pdv_correction_request_free (PdvCorrectionRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->sale_id);
  g_free (request->reason);
  g_free (request);
}

static PdvCorrectionRequest *
request_new (PdvSaleCorrectionKind  kind,
             const char            *sale_id)
{
  PdvCorrectionRequest *request = g_new0 (PdvCorrectionRequest, 1);

  request->kind = kind;
  request->sale_id = g_strdup (sale_id);
  request->method = PDV_PAYMENT_CASH;
  return request;
}

static GtkWidget *
make_boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static GtkWidget *
make_reason_row (void)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, "reason-entry");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Reason (optional)"));
  return row;
}

static char *
dup_reason (GtkEditable *row)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (row)));

  return *reason != '\0' ? g_steal_pointer (&reason) : NULL;
}

static AdwMessageDialog *
dialog_new (GtkWindow             *parent,
            const char            *heading,
            const char            *body,
            PdvCorrectionRequest  *request,
            GtkWidget             *extra_child)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), extra_child);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), REQUEST_KEY, request, (GDestroyNotify) pdv_correction_request_free);
  return ADW_MESSAGE_DIALOG (dialog);
}

/**
 * pdv_sales_history_void_dialog_new:
 * @asks_manager: whether a manager's PIN is asked next, to say so
 *
 * "Void this sale?", with a reason that may be left blank. The response
 * "void" confirms.
 */
GtkWidget *
pdv_sales_history_void_dialog_new (GtkWindow           *parent,
                                   const PdvSaleRecord *record,
                                   gboolean             asks_manager)
{
  g_autofree char *id = g_strdup (record->number);
  g_autofree char *total = pdv_money_format (record->total);
  g_autofree char *body = NULL;
  PdvCorrectionRequest *request = request_new (PDV_SALE_CORRECTION_VOID, record->sale_id);
  AdwMessageDialog *dialog;
  GtkWidget *list = make_boxed_list ();
  GtkWidget *reason_row = make_reason_row ();

  if (asks_manager)
    /* Translators: the beginning of the sale's number, then its total */
    body = g_strdup_printf (_("Sale %s of %s is cancelled as a whole and what it sold goes back to stock. "
                              "This cannot be undone. A manager’s PIN is asked next."), id, total);
  else
    /* Translators: the beginning of the sale's number, then its total */
    body = g_strdup_printf (_("Sale %s of %s is cancelled as a whole and what it sold goes back to stock. "
                              "This cannot be undone."), id, total);

  request->amount = record->total;
  gtk_list_box_append (GTK_LIST_BOX (list), reason_row);
  dialog = dialog_new (parent, _("Void This Sale?"), body, request, list);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Sale"),
                                    "void", _("_Void Sale"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "void", ADW_RESPONSE_DESTRUCTIVE);
  /* Enter in the reason does not void: that takes a tap on the button. */
  adw_message_dialog_set_default_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "pdv-reason", reason_row);
  gtk_window_set_focus (GTK_WINDOW (dialog), reason_row);
  return GTK_WIDGET (dialog);
}

/* The amount typed, when it is one that can go back; else why not. */
static gboolean
parse_refund_amount (AdwMessageDialog  *dialog,
                     PdvMoney          *out_amount,
                     GError           **error)
{
  GtkEditable *row = g_object_get_data (G_OBJECT (dialog), "pdv-amount");
  PdvMoney left = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "pdv-left"));
  PdvMoney amount;

  if (!pdv_amount_entry_parse (row, &amount, error))
    return FALSE;
  if (amount > left)
    {
      g_autofree char *left_text = pdv_money_format (left);

      /* Translators: %s is an amount of money */
      g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_INVALID, _("At most %s can be refunded"), left_text);
      return FALSE;
    }
  *out_amount = amount;
  return TRUE;
}

static void
refund_amount_changed_cb (GtkEditable      *row,
                          AdwMessageDialog *dialog)
{
  GtkWidget *hint = g_object_get_data (G_OBJECT (dialog), "pdv-hint");
  g_autoptr(GError) error = NULL;
  PdvMoney amount;
  gboolean valid = parse_refund_amount (dialog, &amount, &error);

  pdv_amount_entry_mark_valid (row, valid);
  gtk_label_set_label (GTK_LABEL (hint), valid ? "" : error->message);
  gtk_widget_set_visible (hint, !valid);
  adw_message_dialog_set_response_enabled (dialog, "refund", valid);
}

static void
refund_method_toggled_cb (GtkToggleButton  *button,
                          AdwMessageDialog *dialog)
{
  PdvCorrectionRequest *request = g_object_get_data (G_OBJECT (dialog), REQUEST_KEY);

  if (gtk_toggle_button_get_active (button))
    request->method = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "pdv-method"));
}

/* How the refund goes back unless the cashier says otherwise: as it was
 * paid, where that is a way money can go back. */
static PdvPaymentMethod
default_refund_method (const PdvSaleDetail *detail)
{
  for (guint i = 0; i < detail->payments->len; i++)
    {
      PdvPaymentMethod method = g_array_index (detail->payments, PdvSaleRecordPayment, i).method;

      for (guint j = 0; j < G_N_ELEMENTS (refund_methods); j++)
        if (method == refund_methods[j])
          return method;
    }
  return PDV_PAYMENT_CASH;
}

/* One toggle per method, side by side: a tap each, as in the payment window. */
static GtkWidget *
make_method_row (AdwMessageDialog *dialog,
                 PdvPaymentMethod  preferred)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkToggleButton *first = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Refund by"));
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, "linked");
  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (refund_methods); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (pdv_payment_method_label (refund_methods[i]));
      g_autofree char *name = g_strconcat ("method-", pdv_payment_method_to_string (refund_methods[i]), NULL);

      gtk_widget_set_name (button, name);
      g_object_set_data (G_OBJECT (button), "pdv-method", GINT_TO_POINTER (refund_methods[i]));
      if (first != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      else
        first = GTK_TOGGLE_BUTTON (button);
      g_signal_connect_object (button, "toggled", G_CALLBACK (refund_method_toggled_cb), dialog, 0);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), refund_methods[i] == preferred);
      gtk_box_append (GTK_BOX (box), button);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  return row;
}

/**
 * pdv_sales_history_refund_dialog_new:
 * @asks_manager: whether a manager's PIN is asked next, to say so
 *
 * How much goes back (what is left, to start with), how, and why. The
 * response "refund" confirms; it is offered only for an amount that can go
 * back.
 */
GtkWidget *
pdv_sales_history_refund_dialog_new (GtkWindow           *parent,
                                     const PdvSaleDetail *detail,
                                     gboolean             asks_manager)
{
  const PdvSaleRecord *record = detail->record;
  PdvMoney left = pdv_sale_record_get_refundable (record);
  g_autofree char *id = g_strdup (record->number);
  g_autofree char *left_text = pdv_money_format (left);
  g_autofree char *body = NULL;
  PdvCorrectionRequest *request = request_new (PDV_SALE_CORRECTION_REFUND, record->sale_id);
  AdwMessageDialog *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = make_boxed_list ();
  GtkWidget *amount_row = adw_entry_row_new ();
  GtkWidget *reason_row = make_reason_row ();
  GtkWidget *hint = gtk_label_new (NULL);

  if (asks_manager)
    /* Translators: an amount of money, then the beginning of the sale's number */
    body = g_strdup_printf (_("Up to %s of sale %s can still go back to the customer. "
                              "A manager’s PIN is asked next."), left_text, id);
  else
    /* Translators: an amount of money, then the beginning of the sale's number */
    body = g_strdup_printf (_("Up to %s of sale %s can still go back to the customer."), left_text, id);

  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), hint);
  dialog = dialog_new (parent, _("Refund"), body, request, box);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "refund", _("_Refund"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "refund", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "refund");

  gtk_widget_set_name (amount_row, "amount-entry");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (amount_row), _("Amount to refund"));
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (amount_row), GTK_INPUT_PURPOSE_NUMBER);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (amount_row), TRUE);
  pdv_amount_entry_set (GTK_EDITABLE (amount_row), left);
  gtk_list_box_append (GTK_LIST_BOX (list), amount_row);
  gtk_list_box_append (GTK_LIST_BOX (list), make_method_row (dialog, default_refund_method (detail)));
  gtk_list_box_append (GTK_LIST_BOX (list), reason_row);

  gtk_widget_set_name (hint, "amount-hint");
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "error");
  gtk_widget_set_visible (hint, FALSE);

  g_object_set_data (G_OBJECT (dialog), "pdv-left", GSIZE_TO_POINTER (left));
  g_object_set_data (G_OBJECT (dialog), "pdv-amount", amount_row);
  g_object_set_data (G_OBJECT (dialog), "pdv-hint", hint);
  g_object_set_data (G_OBJECT (dialog), "pdv-reason", reason_row);
  g_signal_connect_object (amount_row, "changed", G_CALLBACK (refund_amount_changed_cb), dialog, 0);
  gtk_window_set_focus (GTK_WINDOW (dialog), amount_row);
  return GTK_WIDGET (dialog);
}

/**
 * pdv_sales_history_dialog_get_request:
 * @response: the dialog's response
 *
 * What the cashier confirmed in a void or refund dialog.
 *
 * Returns: (transfer full) (nullable): the request; %NULL when @response
 *   does not confirm, or with @error set when what was typed will not do
 */
PdvCorrectionRequest *
pdv_sales_history_dialog_get_request (AdwMessageDialog  *dialog,
                                      const char        *response,
                                      GError           **error)
{
  PdvCorrectionRequest *template = g_object_get_data (G_OBJECT (dialog), REQUEST_KEY);
  g_autoptr(PdvCorrectionRequest) request = NULL;
  const char *confirm;

  g_return_val_if_fail (template != NULL, NULL);

  confirm = template->kind == PDV_SALE_CORRECTION_VOID ? "void" : "refund";
  if (g_strcmp0 (response, confirm) != 0)
    return NULL;

  request = request_new (template->kind, template->sale_id);
  request->amount = template->amount;
  request->method = template->method;
  request->reason = dup_reason (g_object_get_data (G_OBJECT (dialog), "pdv-reason"));
  if (request->kind == PDV_SALE_CORRECTION_REFUND && !parse_refund_amount (dialog, &request->amount, error))
    return NULL;
  return g_steal_pointer (&request);
}

static void
receipt_print_cb (GtkButton *button,
                  GtkWindow *parent)
{
  gtk_widget_activate_action (GTK_WIDGET (parent), "history.reprint", NULL);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))));
}

/**
 * pdv_sales_history_receipt_window_new:
 * @text: the receipt as a reprint prints it
 *
 * The receipt on screen, as its paper shows it: to read it to a customer
 * when the printer is out of paper, or to check it before printing a copy.
 */
GtkWidget *
pdv_sales_history_receipt_window_new (GtkWindow  *parent,
                                      const char *text)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *print = gtk_button_new_with_mnemonic (_("_Print Copy"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_window_set_title (GTK_WINDOW (window), _("Receipt"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 460, 640);

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Receipt"), _("A copy, as a reprint prints it")));
  gtk_widget_add_css_class (print, "suggested-action");
  g_signal_connect_object (print, "clicked", G_CALLBACK (receipt_print_cb), parent, 0);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), print);
  gtk_box_append (GTK_BOX (box), header);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_halign (label, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "receipt-preview");
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);
  /* For the tests. */
  g_object_set_data (G_OBJECT (window), "pdv-receipt-text", label);
  return window;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-payment-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-amount-entry.h"
#include "pdv-manager-prompt.h"
#include "pdv-payment-window-private.h"
#include "pdv-pix-panel.h"
#include "pdv-voucher-panel.h"

/* Taking the money for the cart: cash with change, card on the external
 * machine, PIX on screen or a voucher a manager authorises, or any mix of
 * them. A payment that leaves something to pay is journalled the moment it
 * is taken (an open sale, reopened after a crash or a quit); the one that
 * covers the total is journalled with the sale. */
struct _PdvPaymentWindow
{
  AdwWindow       parent_instance;

  PdvContext     *context;
  PdvCart        *cart;

  PdvSaleDraft   *draft;           /* the cart as priced, and the payments so far */
  PdvMoney        total;           /* to pay: the subtotal less the discount */
  PdvMoney        subtotal;
  PdvMoney        discount;
  PdvMoney        last_due;        /* what the entries were last filled in for */
  char           *blocking_error;  /* why this cart cannot be paid, or NULL */
  char           *method;
  char           *authorised_by;
  char           *user_id;         /* the cashier, when someone logged in */
  PdvSaleResult  *result;
  char           *give_up_reason;
  PdvManagerPrompt *give_up_prompt;
  char           *commit_error;    /* why the last commit failed */
  gboolean        leaving;
  char           *pix_unavailable; /* why PIX cannot be taken, or NULL */

  AdwWindowTitle *window_title;
  GtkLabel       *total_label;
  GtkLabel       *discount_note;
  GtkLabel       *due_caption;
  GtkLabel       *due_label;
  GtkWidget      *method_box;
  GtkWidget      *pix_button;
  GtkWidget      *payments_scroller;
  GtkListBox     *payments_list;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  GtkStack       *method_stack;
  PdvCashPanel   *cash_panel;
  GtkEntry       *card_amount_entry;
  GtkEntry       *card_reference_entry;
  GtkButton      *card_debit_button;
  GtkButton      *card_credit_button;
  PdvPixPanel    *pix_panel;
  PdvVoucherPanel *voucher_panel;
  GtkLabel       *unsaved_label;
};

G_DEFINE_FINAL_TYPE (PdvPaymentWindow, pdv_payment_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_CART,
  PROP_METHOD,
  N_PROPS
};

enum {
  SALE_COMPLETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const GArray *
get_payments (PdvPaymentWindow *self)
{
  return pdv_sale_draft_get_payments (self->draft);
}

static void
show_error (PdvPaymentWindow *self,
            const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
clear_error (PdvPaymentWindow *self)
{
  show_error (self, self->blocking_error);
}

static void
load_merchant (PdvPaymentWindow *self)
{
  g_autoptr(json_t) event = pdv_context_dup_event (self->context);
  json_t *merchant = json_object_get (event, "merchant");
  const char *key = json_string_value (json_object_get (merchant, "pix_key"));
  g_autoptr(GError) error = NULL;

  if (key == NULL || *key == '\0')
    self->pix_unavailable = g_strdup (_("PIX is off: this event has no PIX key. Import the event with the merchant’s PIX key to take PIX."));
  else if (!pdv_pix_panel_set_merchant (self->pix_panel, key,
                                        json_string_value (json_object_get (merchant, "name")),
                                        json_string_value (json_object_get (merchant, "city")),
                                        &error))
    /* Translators: %s says what is wrong with the event's PIX details */
    self->pix_unavailable = g_strdup_printf (_("PIX is off: the event’s PIX details are not usable (%s)"),
                                             error->message);
}

/* Prices the cart as the commit will, and checks it against the stock
 * before any money changes hands: the commit checks again, but a customer
 * should not pay for what cannot be sold. */
static void
check_cart (PdvPaymentWindow *self)
{
  PdvCatalog *catalog = pdv_context_get_catalog (self->context);
  PdvSaleDraft *draft = self->draft;
  g_autoptr(GError) error = NULL;
  guint n_lines = g_list_model_get_n_items (G_LIST_MODEL (self->cart));

  if (n_lines == 0)
    {
      self->blocking_error = g_strdup (_("The cart is empty"));
      return;
    }

  /* The cart kept the prices products had when tapped; the sale is priced
   * from the catalog as it is now, and its discount with it. */
  if (!pdv_sale_draft_get_amounts (draft, catalog, &self->subtotal, &self->discount, &self->total, &error))
    {
      self->subtotal = pdv_cart_get_subtotal (self->cart);
      self->discount = pdv_cart_get_discount (self->cart);
      self->total = pdv_cart_get_total (self->cart);
      self->blocking_error = g_strdup (error->message);
      return;
    }

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(PdvCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), i);
      g_autoptr(PdvProduct) product = pdv_catalog_lookup (catalog, pdv_cart_line_get_product_id (line), NULL);
      guint quantity = pdv_cart_line_get_quantity (line);

      if (product != NULL && product->track_stock &&
          product->stock_policy == PDV_STOCK_POLICY_BLOCK && product->stock < (gint64) quantity)
        {
          gint64 left = MAX (product->stock, 0);

          /* Translators: %s is a product, %lld how many units are left */
          self->blocking_error = g_strdup_printf (ngettext ("%s: only %lld left. Take some off the sale to go on.",
                                                            "%s: only %lld left. Take some off the sale to go on.",
                                                            (gulong) left),
                                                  product->name, (long long) left);
          return;
        }
    }
}

static void
update_confirm (PdvPaymentWindow *self)
{
  PdvMoney due = pdv_payment_window_get_due (self);
  gboolean ok = self->blocking_error == NULL && self->commit_error == NULL && due > 0;
  PdvMoney amount = 0;

  if (ok && g_strcmp0 (self->method, "cash") == 0)
    {
      ok = pdv_cash_panel_get_tendered (self->cash_panel, &amount, NULL);
    }
  else if (ok && g_strcmp0 (self->method, "card") == 0)
    {
      ok = pdv_amount_entry_parse_part (GTK_EDITABLE (self->card_amount_entry), due, &amount, NULL);
      pdv_amount_entry_mark_valid (GTK_EDITABLE (self->card_amount_entry), ok);
    }
  else if (ok && g_strcmp0 (self->method, "pix") == 0)
    {
      ok = pdv_pix_panel_get_payload (self->pix_panel) != NULL;
    }
  else if (ok && g_strcmp0 (self->method, "voucher") == 0)
    {
      ok = pdv_voucher_panel_get_amount (self->voucher_panel, &amount, NULL);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "payment.confirm", ok);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "payment.confirm-card",
                                 ok && g_strcmp0 (self->method, "card") == 0);
}

static char *
describe_payment (const PdvPayment *payment,
                  const char       *authorised_by)
{
  switch (payment->method)
    {
    case PDV_PAYMENT_CASH:
      if (payment->tendered > payment->amount)
        {
          g_autofree char *tendered = pdv_money_format (payment->tendered);
          g_autofree char *change = pdv_money_format (payment->tendered - payment->amount);

          /* Translators: cash handed over, then the change given back */
          return g_strdup_printf (_("%s handed over, %s change"), tendered, change);
        }
      return NULL;
    case PDV_PAYMENT_CARD:
      /* Translators: %s is the card machine's authorisation code */
      return payment->reference != NULL ? g_strdup_printf (_("Authorisation %s"), payment->reference) : NULL;
    case PDV_PAYMENT_PIX:
      /* Translators: %s is the PIX payment's identifier */
      return g_strdup_printf (_("Payment ID %s"), payment->reference);
    case PDV_PAYMENT_VOUCHER:
      if (payment->reference != NULL)
        /* Translators: a voucher's code or reason, then the manager who authorised it */
        return g_strdup_printf (_("%s, authorised by %s"), payment->reference,
                                authorised_by != NULL ? authorised_by : "");
      /* Translators: %s is the manager who authorised a voucher */
      return g_strdup_printf (_("Authorised by %s"), authorised_by != NULL ? authorised_by : "");
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
create_payment_row (const PdvPayment *payment,
                    guint             index,
                    const char       *authorised_by)
{
  g_autofree char *amount = pdv_money_format (payment->amount);
  g_autofree char *subtitle = describe_payment (payment, authorised_by);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *amount_label = gtk_label_new (amount);
  GtkWidget *remove_button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pdv_payment_method_label (payment->method));
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_add_css_class (amount_label, "payment-row-amount");
  gtk_widget_add_css_class (amount_label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount_label);

  gtk_widget_set_valign (remove_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove_button, _("Remove this payment"));
  gtk_widget_add_css_class (remove_button, "flat");
  gtk_widget_add_css_class (remove_button, "circular");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove_button), "payment.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove_button), "u", index);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove_button);
  return row;
}

static void
update (PdvPaymentWindow *self)
{
  PdvMoney due = pdv_payment_window_get_due (self);
  g_autofree char *total = pdv_money_format (self->total);
  g_autofree char *due_text = pdv_money_format (MAX (due, 0));
  const GArray *payments = get_payments (self);
  GtkWidget *child;

  gtk_label_set_label (self->total_label, total);
  if (self->discount > 0)
    {
      g_autofree char *discount = pdv_money_format (self->discount);
      g_autofree char *subtotal = pdv_money_format (self->subtotal);
      g_autofree char *note = NULL;

      /* Translators: under the total to pay: the discount, then the total before it */
      note = g_strdup_printf (_("With a discount of %s off %s"), discount, subtotal);
      gtk_label_set_label (self->discount_note, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->discount_note), self->discount > 0);
  gtk_label_set_label (self->due_label, due_text);
  gtk_label_set_label (self->due_caption, payments->len > 0 ? _("Still to Pay") : _("To Pay"));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->payments_list))) != NULL)
    gtk_list_box_remove (self->payments_list, child);
  for (guint i = 0; i < payments->len; i++)
    gtk_list_box_append (self->payments_list,
                         create_payment_row (&g_array_index (payments, PdvPayment, i), i, self->authorised_by));
  gtk_widget_set_visible (self->payments_scroller, payments->len > 0);

  /* A new amount due fills every method in afresh: splitting starts from
   * "the rest", which is what the next customer's card or note pays. */
  if (due != self->last_due)
    {
      self->last_due = due;
      pdv_cash_panel_set_due (self->cash_panel, due);
      pdv_amount_entry_set (GTK_EDITABLE (self->card_amount_entry), due);
      gtk_editable_set_text (GTK_EDITABLE (self->card_reference_entry), "");
      pdv_voucher_panel_set_due (self->voucher_panel, due);
      pdv_pix_panel_set_due (self->pix_panel, due);
    }

  /* Fully paid but not saved: only trying again or going back make sense. */
  if (due > 0)
    g_clear_pointer (&self->commit_error, g_free);
  gtk_label_set_label (self->unsaved_label, self->commit_error != NULL ? self->commit_error : "");
  gtk_stack_set_visible_child_name (self->method_stack, self->commit_error != NULL ? "unsaved" : self->method);

  gtk_widget_set_sensitive (self->method_box, self->blocking_error == NULL && due > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->method_stack), self->blocking_error == NULL);
  update_confirm (self);
}

static void
focus_method (PdvPaymentWindow *self)
{
  if (g_strcmp0 (self->method, "cash") == 0)
    pdv_cash_panel_focus (self->cash_panel);
  else if (g_strcmp0 (self->method, "card") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->card_amount_entry));
  else if (g_strcmp0 (self->method, "pix") == 0)
    pdv_pix_panel_focus (self->pix_panel);
  else if (g_strcmp0 (self->method, "voucher") == 0)
    pdv_voucher_panel_focus (self->voucher_panel);
}

static void
set_method (PdvPaymentWindow *self,
            const char       *method)
{
  if (g_strcmp0 (method, "pix") == 0 && self->pix_unavailable != NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      show_error (self, self->pix_unavailable);
      return;
    }
  if (gtk_stack_get_child_by_name (self->method_stack, method) == NULL)
    {
      g_warning ("No payment method called “%s”", method);
      return;
    }
  if (g_strcmp0 (method, self->method) != 0)
    {
      g_free (self->method);
      self->method = g_strdup (method);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
    }
  /* Dropped first, or hiding the focused field would hand the focus (and
   * a select-all) to the first field of the method shown next. */
  gtk_root_set_focus (GTK_ROOT (self), NULL);
  if (self->commit_error == NULL)
    gtk_stack_set_visible_child_name (self->method_stack, method);
  clear_error (self);
  update_confirm (self);
  focus_method (self);
}

static char *
summarise_payments (PdvPaymentWindow *self)
{
  return pdv_payments_describe (get_payments (self), TRUE);
}

static void
commit_sale (PdvPaymentWindow *self)
{
  g_autoptr(GError) error = NULL;

  /* On the main thread on purpose: the commit is one SQLite transaction
   * ending in one durable write, well under a millisecond on a terminal, and
   * the screen must not say "done" before it has returned. */
  self->result = pdv_sale_commit (pdv_context_get_journal (self->context),
                                  pdv_context_get_catalog (self->context),
                                  self->draft, self->user_id, self->authorised_by, &error);
  if (self->result == NULL)
    {
      g_message ("Sale not committed: %s", error->message);
      g_free (self->commit_error);
      self->commit_error = g_strdup (error->message);
      update (self);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  g_signal_emit (self, signals[SALE_COMPLETED], 0);
  self->leaving = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_payment (PdvPaymentWindow *self,
             PdvPaymentMethod  method,
             PdvCardKind       card,
             PdvMoney          amount,
             PdvMoney          tendered,
             const char       *reference)
{
  g_autoptr(GError) error = NULL;

  /* The payment that covers the rest is journalled with the sale; one that
   * leaves something to pay, on its own, before the screen moves on. */
  if (amount < pdv_payment_window_get_due (self))
    {
      if (!pdv_sale_take_payment (pdv_context_get_journal (self->context), pdv_context_get_catalog (self->context),
                                  self->draft, method, card, amount, tendered, reference, self->user_id,
                                  method == PDV_PAYMENT_VOUCHER ? self->authorised_by : NULL, &error))
        {
          g_message ("Payment not taken: %s", error->message);
          show_error (self, error->message);
          gtk_widget_error_bell (GTK_WIDGET (self));
          return;
        }
    }
  else if (method == PDV_PAYMENT_CARD)
    pdv_sale_draft_add_card_payment (self->draft, card, amount, reference);
  else
    pdv_sale_draft_add_payment (self->draft, method, amount, tendered, reference);

  if (method == PDV_PAYMENT_PIX)
    /* The next PIX code, if the rest is split again, is another payment. */
    pdv_pix_panel_renew_txid (self->pix_panel);

  clear_error (self);
  update (self);

  if (pdv_payment_window_get_due (self) == 0)
    commit_sale (self);
  else
    focus_method (self);
}

static void
confirm_cash (PdvPaymentWindow *self)
{
  g_autoptr(GError) error = NULL;
  PdvMoney due = pdv_payment_window_get_due (self);
  PdvMoney tendered;

  if (!pdv_cash_panel_get_tendered (self->cash_panel, &tendered, &error))
    {
      show_error (self, error->message);
      return;
    }
  if (tendered >= due)
    add_payment (self, PDV_PAYMENT_CASH, PDV_CARD_UNSPECIFIED, due, tendered, NULL);
  else
    add_payment (self, PDV_PAYMENT_CASH, PDV_CARD_UNSPECIFIED, tendered, 0, NULL);
}

static void
confirm_part (PdvPaymentWindow *self,
              PdvPaymentMethod  method,
              PdvCardKind       card,
              GtkEntry         *amount_entry,
              const char       *reference)
{
  g_autoptr(GError) error = NULL;
  PdvMoney amount;

  if (!pdv_amount_entry_parse_part (GTK_EDITABLE (amount_entry), pdv_payment_window_get_due (self),
                                    &amount, &error))
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (amount_entry));
      return;
    }
  add_payment (self, method, card, amount, 0, reference);
}

static void
confirm_pix (PdvPaymentWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *txid = g_strdup (pdv_pix_panel_get_txid (self->pix_panel));
  PdvMoney amount;

  if (pdv_pix_panel_get_payload (self->pix_panel) == NULL ||
      !pdv_pix_panel_get_amount (self->pix_panel, &amount, &error))
    {
      show_error (self, error != NULL ? error->message : _("There is no PIX code to pay"));
      return;
    }
  add_payment (self, PDV_PAYMENT_PIX, PDV_CARD_UNSPECIFIED, amount, 0, txid);
}

static void
voucher_authorised_cb (PdvVoucherPanel  *panel,
                       const char       *manager,
                       PdvPaymentWindow *self)
{
  g_autoptr(GError) error = NULL;
  PdvMoney amount;

  /* The amount may have been edited while the PIN was checked. */
  if (!pdv_voucher_panel_get_amount (panel, &amount, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_free (self->authorised_by);
  self->authorised_by = g_strdup (manager);
  add_payment (self, PDV_PAYMENT_VOUCHER, PDV_CARD_UNSPECIFIED, amount, 0, pdv_voucher_panel_get_reference (panel));
}

static void
voucher_refused_cb (PdvVoucherPanel  *panel,
                    const char       *message,
                    PdvPaymentWindow *self)
{
  show_error (self, message);
}

static void
panel_changed_cb (GtkWidget        *panel,
                  PdvPaymentWindow *self)
{
  update_confirm (self);
}

static void
amount_changed_cb (GtkEntry         *entry,
                   PdvPaymentWindow *self)
{
  update_confirm (self);
}

static void
entry_activated_cb (GtkEntry         *entry,
                    PdvPaymentWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "payment.confirm", NULL);
}

static void
confirm_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (widget);

  if (self->blocking_error != NULL || self->result != NULL || pdv_payment_window_get_due (self) <= 0)
    return;

  if (g_strcmp0 (self->method, "cash") == 0)
    confirm_cash (self);
  else if (g_strcmp0 (self->method, "card") == 0)
    {
      /* The machine asked debit or credit: the cashier says which with the
       * button they tap; Enter alone does not guess. */
      show_error (self, _("Tap Debit or Credit, as the card machine took it"));
      gtk_widget_grab_focus (GTK_WIDGET (self->card_debit_button));
    }
  else if (g_strcmp0 (self->method, "pix") == 0)
    confirm_pix (self);
  else if (g_strcmp0 (self->method, "voucher") == 0)
    {
      clear_error (self);
      pdv_voucher_panel_submit (self->voucher_panel);
    }
}

static void
confirm_card_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (widget);
  PdvCardKind card = PDV_CARD_DEBIT;

  if (self->blocking_error != NULL || self->result != NULL || pdv_payment_window_get_due (self) <= 0 ||
      !pdv_card_kind_from_string (g_variant_get_string (parameter, NULL), &card))
    return;
  confirm_part (self, PDV_PAYMENT_CARD, card, self->card_amount_entry,
                gtk_editable_get_text (GTK_EDITABLE (self->card_reference_entry)));
}

static void
retry_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (widget);

  if (self->result == NULL && self->commit_error != NULL && pdv_payment_window_get_due (self) == 0)
    commit_sale (self);
}

static void
tender_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (widget);

  set_method (self, "cash");
  pdv_cash_panel_set_tendered (self->cash_panel, g_variant_get_int64 (parameter));
  pdv_cash_panel_focus_confirm (self->cash_panel);
}

static void
cash_exact_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (widget);

  set_method (self, "cash");
  pdv_cash_panel_set_tendered (self->cash_panel, pdv_payment_window_get_due (self));
  pdv_cash_panel_focus (self->cash_panel);
}

static void
remove_payment_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autoptr(GError) error = NULL;
  const GArray *payments = get_payments (self);
  gboolean any_voucher = FALSE;

  if (index >= payments->len || self->result != NULL)
    return;
  /* Handed back: journalled when it was taken on its own. */
  if (!pdv_sale_cancel_payment (pdv_context_get_journal (self->context), self->draft, index, self->user_id, &error))
    {
      show_error (self, error->message);
      return;
    }

  for (guint i = 0; i < payments->len; i++)
    any_voucher |= g_array_index (payments, PdvPayment, i).method == PDV_PAYMENT_VOUCHER;
  if (!any_voucher)
    g_clear_pointer (&self->authorised_by, g_free);

  clear_error (self);
  update (self);
  focus_method (self);
}

static gboolean
has_outside_payments (PdvPaymentWindow *self)
{
  return pdv_payments_any_outside (get_payments (self));
}

static gboolean
leave_cb (gpointer user_data)
{
  PdvPaymentWindow *self = user_data;

  self->leaving = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
leave (PdvPaymentWindow *self)
{
  /* Once the dialog has closed itself: it goes with this window. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, leave_cb, g_object_ref (self), g_object_unref);
}

static void
leave_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   PdvPaymentWindow *self)
{
  if (g_strcmp0 (response, "leave") == 0)
    leave (self);
}

/* Journals the open sale as given up, by @authoriser when one was needed. */
static void
give_up (PdvPaymentWindow *self,
         const PdvUser    *authoriser)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) operator_user = NULL;

  if (self->user_id != NULL &&
      !pdv_auth_find_user (pdv_context_get_db (self->context), self->user_id, &operator_user, &error))
    g_clear_error (&error);
  if (!pdv_open_sale_abandon (pdv_context_get_journal (self->context), pdv_sale_draft_get_open_id (self->draft),
                              operator_user, authoriser, self->give_up_reason, &error))
    {
      show_error (self, error->message);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  leave (self);
}

static void
give_up_authorised_cb (PdvPaymentWindow *self,
                       PdvUser          *authoriser)
{
  give_up (self, authoriser);
}

static void
give_up_prompt_destroyed_cb (PdvPaymentWindow *self)
{
  self->give_up_prompt = NULL;
}

static void
give_up_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PdvPaymentWindow *self)
{
  GtkEditable *reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(PdvUser) operator_user = NULL;
  g_autofree char *paid = NULL;
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, "give-up") != 0)
    return;
  g_free (self->give_up_reason);
  self->give_up_reason = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  /* Money that moved outside the drawer goes back only with a manager. */
  if (self->user_id != NULL)
    pdv_auth_find_user (pdv_context_get_db (self->context), self->user_id, &operator_user, NULL);
  if (!has_outside_payments (self) || (operator_user != NULL && pdv_user_can (operator_user, PDV_PERMISSION_VOID)))
    {
      give_up (self, NULL);
      return;
    }
  paid = summarise_payments (self);
  /* Translators: %s lists the payments taken, e.g. "Card R$ 20,00" */
  message = g_strdup_printf (_("A manager’s PIN is needed to give up a sale with %s taken."), paid);
  if (self->give_up_prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->give_up_prompt));
  self->give_up_prompt = pdv_manager_prompt_ask (GTK_WINDOW (self), self->context, PDV_PERMISSION_VOID,
                                                 self->user_id, _("Give Up Sale"), message,
                                                 G_CALLBACK (give_up_authorised_cb),
                                                 G_CALLBACK (give_up_prompt_destroyed_cb), self);
}

static void
give_up_reason_changed_cb (GtkEditable      *reason,
                           AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "give-up", *text != '\0');
}

/* Cash not yet kept goes back across the counter; a card, PIX or voucher
 * payment happened elsewhere. Payments journalled as taken stay on record:
 * leaving then gives the sale up, with a reason (and a manager, for money
 * taken outside the drawer); quitting instead leaves it open, to be
 * reopened on the next start. */
static gboolean
pdv_payment_window_close_request (GtkWindow *window)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (window);
  g_autofree char *paid = NULL;
  GtkWidget *dialog;
  GtkWidget *reason;

  if (self->leaving || self->result != NULL)
    return GTK_WINDOW_CLASS (pdv_payment_window_parent_class)->close_request (window);

  paid = summarise_payments (self);
  if (pdv_sale_draft_get_open_id (self->draft) != NULL)
    {
      dialog = adw_message_dialog_new (window, _("Give Up This Sale?"), NULL);
      /* Translators: %s lists the payments taken, e.g. "Card R$ 20,00" */
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("The payments taken so far (%s) are recorded with this sale. Giving it "
                                        "up records that they go back to the customer: hand back the cash and "
                                        "reverse any card or PIX payment."),
                                      paid);
      reason = gtk_entry_new ();
      gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Why, e.g. “customer changed their mind”"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Reason for giving up the sale"), -1);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), reason);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "stay", _("_Keep Paying"),
                                        "give-up", _("_Give Up Sale"),
                                        NULL);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "give-up", FALSE);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "give-up",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      g_signal_connect_object (reason, "changed", G_CALLBACK (give_up_reason_changed_cb), dialog, 0);
      g_signal_connect_object (dialog, "response", G_CALLBACK (give_up_response_cb), self, 0);
    }
  else if (has_outside_payments (self))
    {
      /* Only the last payment, whose sale could not be saved, is not on record. */
      dialog = adw_message_dialog_new (window, _("Leave Without Saving the Sale?"), NULL);
      /* Translators: %s lists the payments taken, e.g. "Card R$ 20,00" */
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("The payments taken so far (%s) will not be recorded. Refund any card or PIX payment to the customer."),
                                      paid);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "stay", _("_Keep Paying"),
                                        "leave", _("_Leave"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "leave",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), self, 0);
    }
  else
    return GTK_WINDOW_CLASS (pdv_payment_window_parent_class)->close_request (window);

  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "stay");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "stay");
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
pdv_payment_window_constructed (GObject *object)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (object);
  guint n_units;
  g_autofree char *subtitle = NULL;

  G_OBJECT_CLASS (pdv_payment_window_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_assert (self->cart != NULL);

  load_merchant (self);
  pdv_voucher_panel_set_context (self->voucher_panel, self->context);
  if (self->pix_unavailable != NULL)
    {
      gtk_widget_set_sensitive (self->pix_button, FALSE);
      gtk_widget_set_tooltip_text (self->pix_button, self->pix_unavailable);
    }

  self->draft = pdv_cart_dup_draft (self->cart);
  check_cart (self);

  n_units = pdv_cart_get_n_units (self->cart);
  subtitle = g_strdup_printf (ngettext ("%u item", "%u items", n_units), n_units);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  self->last_due = -1;
  update (self);
  clear_error (self);
  set_method (self, "cash");
}

static void
pdv_payment_window_dispose (GObject *object)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (object);

  if (self->give_up_prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->give_up_prompt));
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_PAYMENT_WINDOW);

  g_clear_object (&self->cart);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_payment_window_parent_class)->dispose (object);
}

static void
pdv_payment_window_finalize (GObject *object)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (object);

  g_clear_pointer (&self->draft, pdv_sale_draft_free);
  g_clear_pointer (&self->give_up_reason, g_free);
  g_clear_pointer (&self->blocking_error, g_free);
  g_clear_pointer (&self->commit_error, g_free);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->authorised_by, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->result, pdv_sale_result_free);
  g_clear_pointer (&self->pix_unavailable, g_free);

  G_OBJECT_CLASS (pdv_payment_window_parent_class)->finalize (object);
}

static void
pdv_payment_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_CART:
      g_value_set_object (value, self->cart);
      break;
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_payment_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdvPaymentWindow *self = PDV_PAYMENT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_CART:
      self->cart = g_value_dup_object (value);
      break;
    case PROP_METHOD:
      if (g_value_get_string (value) != NULL)
        set_method (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_payment_window_class_init (PdvPaymentWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pdv_payment_window_constructed;
  object_class->dispose = pdv_payment_window_dispose;
  object_class->finalize = pdv_payment_window_finalize;
  object_class->get_property = pdv_payment_window_get_property;
  object_class->set_property = pdv_payment_window_set_property;

  window_class->close_request = pdv_payment_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CART] =
    g_param_spec_object ("cart", NULL, NULL, PDV_TYPE_CART,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvPaymentWindow:method:
   *
   * The method being taken: "cash", "card", "pix" or "voucher".
   */
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvPaymentWindow::sale-completed:
   *
   * The payments covered the total and the sale is in the journal; see
   * pdv_payment_window_get_result(). The window closes right after.
   */
  signals[SALE_COMPLETED] =
    g_signal_new ("sale-completed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (PDV_TYPE_CASH_PANEL);
  g_type_ensure (PDV_TYPE_PIX_PANEL);
  g_type_ensure (PDV_TYPE_VOUCHER_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-payment-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, discount_note);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, due_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, due_label);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, method_box);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, pix_button);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, payments_scroller);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, payments_list);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, method_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, cash_panel);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, pix_panel);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, card_amount_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, card_reference_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, card_debit_button);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, card_credit_button);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, voucher_panel);
  gtk_widget_class_bind_template_child (widget_class, PdvPaymentWindow, unsaved_label);
  gtk_widget_class_bind_template_callback (widget_class, panel_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, amount_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, voucher_authorised_cb);
  gtk_widget_class_bind_template_callback (widget_class, voucher_refused_cb);

  gtk_widget_class_install_property_action (widget_class, "payment.method", "method");
  gtk_widget_class_install_action (widget_class, "payment.cash-exact", NULL, cash_exact_cb);
  gtk_widget_class_install_action (widget_class, "payment.tender", "x", tender_cb);
  gtk_widget_class_install_action (widget_class, "payment.confirm", NULL, confirm_cb);
  gtk_widget_class_install_action (widget_class, "payment.confirm-card", "s", confirm_card_cb);
  gtk_widget_class_install_action (widget_class, "payment.remove", "u", remove_payment_cb);
  gtk_widget_class_install_action (widget_class, "payment.retry", NULL, retry_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "payment.cash-exact", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "payment.method", "s", "card");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, 0, "payment.method", "s", "pix");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F4, 0, "payment.method", "s", "voucher");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdv_payment_window_init (PdvPaymentWindow *self)
{
  /* The method's action reads it as soon as the buttons are built. */
  self->method = g_strdup ("cash");

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: a card payment the machine approved as debit */
  gtk_button_set_label (self->card_debit_button, _("Debit Approved"));
  /* Translators: a card payment the machine approved as credit */
  gtk_button_set_label (self->card_credit_button, _("Credit Approved"));
}

/**
 * pdv_payment_window_new:
 * @parent: the window the payment is taken over
 * @cart: the sale to pay for; it is read, never changed
 */
PdvPaymentWindow *
pdv_payment_window_new (GtkWindow  *parent,
                        PdvContext *context,
                        PdvCart    *cart)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (PDV_IS_CART (cart), NULL);

  return g_object_new (PDV_TYPE_PAYMENT_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "context", context,
                       "cart", cart,
                       NULL);
}

/**
 * pdv_payment_window_resume:
 * @sale: a sale that took payments and was not finished (pdv_open_sales_list()),
 *   whose lines the window's cart now holds
 *
 * Carries on paying for @sale: its payments stand, and what is left is due.
 */
void
pdv_payment_window_resume (PdvPaymentWindow *self,
                           PdvOpenSale      *sale)
{
  g_autofree char *paid = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (PDV_IS_PAYMENT_WINDOW (self));
  g_return_if_fail (sale != NULL);

  pdv_sale_draft_free (self->draft);
  self->draft = g_steal_pointer (&sale->draft);
  g_free (self->authorised_by);
  self->authorised_by = g_strdup (sale->authorised_by);
  g_clear_pointer (&self->blocking_error, g_free);
  check_cart (self);

  paid = summarise_payments (self);
  /* Translators: the window's subtitle; %s lists the payments, e.g. "Card R$ 20,00" */
  subtitle = g_strdup_printf (_("Reopened: %s taken before PDV stopped"), paid);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  self->last_due = -1;
  update (self);
}

/**
 * pdv_payment_window_get_result:
 *
 * Returns: (nullable): the sale once it is journalled
 */
const PdvSaleResult *
pdv_payment_window_get_result (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return self->result;
}

/**
 * pdv_payment_window_dup_summary:
 *
 * Returns: (transfer full): how the sale was paid, for people: "Cash R$ 50,00 + Card R$ 20,00"
 */
char *
pdv_payment_window_dup_summary (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return summarise_payments (self);
}

const char *
pdv_payment_window_get_method (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return self->method;
}

PdvMoney
pdv_payment_window_get_due (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), 0);
  return self->total - pdv_sale_draft_get_paid (self->draft);
}

const char *
pdv_payment_window_get_due_text (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return gtk_label_get_label (self->due_label);
}

/**
 * pdv_payment_window_get_change_text:
 *
 * Returns: (nullable): the change shown for the cash typed in, or %NULL
 *   when the cash does not cover what is due
 */
const char *
pdv_payment_window_get_change_text (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return pdv_cash_panel_get_change_text (self->cash_panel);
}

/**
 * pdv_payment_window_get_error_text:
 *
 * Returns: (nullable): the message shown at the top, if any
 */
const char *
pdv_payment_window_get_error_text (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);

  if (self->commit_error != NULL)
    return self->commit_error;
  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

guint
pdv_payment_window_count_payments (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), 0);
  return get_payments (self)->len;
}

/**
 * pdv_payment_window_type_amount:
 *
 * Types @text into the current method's amount field, replacing what was there.
 */
void
pdv_payment_window_type_amount (PdvPaymentWindow *self,
                                const char       *text)
{
  g_return_if_fail (PDV_IS_PAYMENT_WINDOW (self));

  if (g_strcmp0 (self->method, "cash") == 0)
    pdv_cash_panel_type (self->cash_panel, text);
  else if (g_strcmp0 (self->method, "card") == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->card_amount_entry), text);
  else if (g_strcmp0 (self->method, "pix") == 0)
    pdv_pix_panel_type_amount (self->pix_panel, text);
  else if (g_strcmp0 (self->method, "voucher") == 0)
    pdv_voucher_panel_type_amount (self->voucher_panel, text);
}

/**
 * pdv_payment_window_type_reference:
 *
 * Types @text into the card's authorisation code or the voucher's code.
 */
void
pdv_payment_window_type_reference (PdvPaymentWindow *self,
                                   const char       *text)
{
  g_return_if_fail (PDV_IS_PAYMENT_WINDOW (self));

  if (g_strcmp0 (self->method, "card") == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->card_reference_entry), text);
  else if (g_strcmp0 (self->method, "voucher") == 0)
    pdv_voucher_panel_type_reference (self->voucher_panel, text);
  else
    g_return_if_reached ();
}

/**
 * pdv_payment_window_get_pix_payload:
 *
 * Returns: (nullable): the BR Code on screen
 */
const char *
pdv_payment_window_get_pix_payload (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return pdv_pix_panel_get_payload (self->pix_panel);
}

const char *
pdv_payment_window_get_pix_txid (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return pdv_pix_panel_get_txid (self->pix_panel);
}

PdvQrView *
pdv_payment_window_get_qr_view (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return pdv_pix_panel_get_qr_view (self->pix_panel);
}

PdvPinPad *
pdv_payment_window_get_pin_pad (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return pdv_voucher_panel_get_pin_pad (self->voucher_panel);
}

gboolean
pdv_payment_window_get_authorising (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), FALSE);
  return pdv_voucher_panel_get_authorising (self->voucher_panel);
}

/**
 * pdv_payment_window_set_user:
 * @user_id: (nullable): the cashier the sale is recorded as
 */
void
pdv_payment_window_set_user (PdvPaymentWindow *self,
                             const char       *user_id)
{
  g_return_if_fail (PDV_IS_PAYMENT_WINDOW (self));

  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
}

PdvManagerPrompt *
pdv_payment_window_get_give_up_prompt (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return self->give_up_prompt;
}

const char *
pdv_payment_window_get_subtitle (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), NULL);
  return adw_window_title_get_subtitle (self->window_title);
}

/**
 * pdv_payment_window_has_payments_on_record:
 *
 * Whether payments were journalled for this sale: quitting keeps them and
 * the sale reopens on the next start; leaving gives it up.
 */
gboolean
pdv_payment_window_has_payments_on_record (PdvPaymentWindow *self)
{
  g_return_val_if_fail (PDV_IS_PAYMENT_WINDOW (self), FALSE);
  return self->result == NULL && pdv_sale_draft_get_open_id (self->draft) != NULL;
}

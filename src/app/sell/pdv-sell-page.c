/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sell-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-cart-row.h"
#include "pdv-product-picker-private.h"
#include "pdv-sell-page-private.h"

G_DEFINE_FINAL_TYPE (PdvSellPage, pdv_sell_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  PRODUCT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_pdv_sell_page_show_toast (PdvSellPage *self,
                           const char  *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

/* Selects the cart row of @product_id, the one + and − act on from the
 * keyboard; %NULL selects the last row. */
void
_pdv_sell_page_select_line (PdvSellPage *self,
                            const char  *product_id)
{
  guint n_lines = g_list_model_get_n_items (G_LIST_MODEL (self->cart));
  GtkListBoxRow *row = NULL;

  for (guint i = 0; i < n_lines && row == NULL; i++)
    {
      g_autoptr(PdvCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), i);

      if (g_strcmp0 (pdv_cart_line_get_product_id (line), product_id) == 0)
        row = gtk_list_box_get_row_at_index (self->cart_list, (int) i);
    }
  if (row == NULL && n_lines > 0)
    row = gtk_list_box_get_row_at_index (self->cart_list, (int) n_lines - 1);

  if (row != NULL)
    gtk_list_box_select_row (self->cart_list, row);
  else
    gtk_list_box_unselect_all (self->cart_list);
}

static void
cart_total_changed_cb (PdvSellPage *self)
{
  _pdv_sell_page_update_actions (self);
}

static void
discount_dropped_cb (PdvSellPage *self,
                     const char  *message)
{
  _pdv_sell_page_show_toast (self, message);
}

static GtkWidget *
create_cart_row (gpointer item,
                 gpointer user_data)
{
  return pdv_cart_row_new (PDV_CART_LINE (item));
}

void
_pdv_sell_page_start_new_sale (PdvSellPage *self)
{
  self->sale_done = FALSE;
  pdv_cart_clear (self->cart);
  gtk_stack_set_visible_child_name (self->cart_stack, "cart");
  _pdv_sell_page_update_actions (self);
  /* The focus was on "New Sale", which just went away. */
  pdv_product_picker_focus_search (self->picker);
}

static void
show_sale_done (PdvSellPage         *self,
                const PdvSaleResult *result,
                const char          *payments)
{
  pdv_sale_done_show_sale (self->sale_done_pane, result->total, result->change, payments);
  self->sale_done = TRUE;
  gtk_stack_set_visible_child_name (self->cart_stack, "done");
  _pdv_sell_page_update_actions (self);
  pdv_sale_done_focus (self->sale_done_pane);
}

/* Sold-out marks follow the stock the sale just used up. */
static void
refresh_tiles_of_cart (PdvSellPage *self)
{
  guint n_lines = g_list_model_get_n_items (G_LIST_MODEL (self->cart));

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(PdvCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), i);

      pdv_product_picker_refresh_product (self->picker, pdv_cart_line_get_product_id (line));
    }
}

static void
sale_completed_cb (PdvPaymentWindow *window,
                   PdvSellPage      *self)
{
  const PdvSaleResult *result = pdv_payment_window_get_result (window);
  g_autofree char *payments = pdv_payment_window_dup_summary (window);

  g_assert (result != NULL);

  show_sale_done (self, result, payments);
  refresh_tiles_of_cart (self);

  if (result->warnings != NULL && result->warnings[0] != NULL)
    {
      g_autofree char *warnings = g_strjoinv ("; ", result->warnings);

      _pdv_sell_page_show_toast (self, warnings);
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "win.print-receipt", "s", result->sale_id);
}

/**
 * pdv_sell_page_dup_payments_taken:
 * @out_window: (out) (optional): the payment window they were taken in
 *
 * Returns: (transfer full) (nullable): the payments on record for the sale
 *   being paid, for people ("Card R$ 20,00"), or %NULL when none is
 */
char *
pdv_sell_page_dup_payments_taken (PdvSellPage  *self,
                                  GtkWindow   **out_window)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);

  if (self->payment_window == NULL || !pdv_payment_window_has_payments_on_record (self->payment_window))
    return NULL;
  if (out_window != NULL)
    *out_window = GTK_WINDOW (self->payment_window);
  return pdv_payment_window_dup_summary (self->payment_window);
}

static void
payment_window_destroyed_cb (PdvSellPage *self)
{
  GtkApplication *application = GTK_APPLICATION (g_application_get_default ());

  if (self->sale_inhibit != 0 && application != NULL)
    gtk_application_uninhibit (application, self->sale_inhibit);
  self->sale_inhibit = 0;
  self->payment_window = NULL;
  _pdv_sell_page_update_actions (self);
  if (!self->sale_done)
    pdv_product_picker_focus_search (self->picker);
}

void
_pdv_sell_page_pay (PdvSellPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->sale_done || pdv_cart_is_empty (self->cart))
    return;
  if (self->payment_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->payment_window));
      return;
    }

  self->payment_window = pdv_payment_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                 self->context, self->cart);
  pdv_payment_window_set_user (self->payment_window, self->user_id);
  g_signal_connect_object (self->payment_window, "sale-completed",
                           G_CALLBACK (sale_completed_cb), self, 0);
  g_signal_connect_object (self->payment_window, "destroy",
                           G_CALLBACK (payment_window_destroyed_cb), self, G_CONNECT_SWAPPED);
  /* No logout or suspend from under a customer paying: a card or PIX
   * payment may be on its way. */
  if (gtk_window_get_application (GTK_WINDOW (self->payment_window)) != NULL)
    self->sale_inhibit = gtk_application_inhibit (gtk_window_get_application (GTK_WINDOW (self->payment_window)),
                                                  GTK_WINDOW (self->payment_window),
                                                  GTK_APPLICATION_INHIBIT_LOGOUT | GTK_APPLICATION_INHIBIT_SUSPEND,
                                                  _("A sale is being paid"));
  _pdv_sell_page_update_actions (self);
  gtk_window_present (GTK_WINDOW (self->payment_window));
}

static void
product_activated_cb (PdvSellPage *self,
                      const char  *product_id)
{
  const PdvProduct *product = pdv_product_picker_get_product (self->picker, product_id);
  g_autoptr(GError) error = NULL;

  /* The cart is what is being paid for: it stays as it is until the
   * payment is done or abandoned. */
  if (product == NULL || self->payment_window != NULL)
    return;

  /* One tap starts the next sale: the change on screen has been given. */
  if (self->sale_done)
    _pdv_sell_page_start_new_sale (self);

  if (!pdv_cart_add_product (self->cart, product_id, product->name, product->price, &error))
    _pdv_sell_page_show_toast (self, error->message);
  _pdv_sell_page_select_line (self, product_id);
}

static void
product_chosen_cb (PdvProductPicker *picker,
                   const char       *product_id,
                   PdvSellPage      *self)
{
  g_signal_emit (self, signals[PRODUCT_ACTIVATED], 0, product_id);
}

/* Enter on an empty search is the way to the till. */
static void
empty_search_activated_cb (PdvProductPicker *picker,
                           PdvSellPage      *self)
{
  if (self->sale_done)
    _pdv_sell_page_start_new_sale (self);
  else
    _pdv_sell_page_pay (self);
}

/* Browsing another category: + and − wait for a cart line to be picked
 * again, and no line looks picked meanwhile. */
static void
category_selected_cb (PdvProductPicker *picker,
                      PdvSellPage      *self)
{
  gtk_list_box_unselect_all (self->cart_list);
  g_clear_pointer (&self->selected_product_id, g_free);
}

static void
cart_row_selected_cb (GtkListBox    *list,
                      GtkListBoxRow *row,
                      PdvSellPage   *self)
{
  g_clear_pointer (&self->selected_product_id, g_free);
  if (PDV_IS_CART_ROW (row))
    self->selected_product_id = g_strdup (pdv_cart_line_get_product_id (pdv_cart_row_get_line (PDV_CART_ROW (row))));
}

/* A sale that took payments and was not finished when PDV stopped (a crash,
 * a power cut, a quit) comes back with them, before anything else is sold. */
static gboolean
resume_open_sale (PdvSellPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  PdvOpenSale *sale;

  if (self->payment_window != NULL)
    return TRUE;
  open = pdv_open_sales_list (pdv_context_get_db (self->context), &error);
  if (open == NULL)
    {
      _pdv_sell_page_show_toast (self, error->message);
      return FALSE;
    }
  if (open->len == 0)
    return FALSE;

  sale = g_ptr_array_index (open, 0);
  g_message ("Reopening sale %s with %" G_GINT64_FORMAT " centavos already paid", sale->id, sale->paid);
  if (self->sale_done)
    _pdv_sell_page_start_new_sale (self);
  if (!pdv_cart_load_draft (self->cart, pdv_context_get_catalog (self->context), pdv_context_get_db (self->context),
                            sale->draft, &error))
    {
      _pdv_sell_page_show_toast (self, error->message);
      return FALSE;
    }
  _pdv_sell_page_pay (self);
  if (self->payment_window == NULL)
    return FALSE;
  pdv_payment_window_resume (self->payment_window, sale);
  return TRUE;
}

/* The cashier's home is the search field: typing and scanning start there. */
static void
mapped_cb (PdvSellPage *self)
{
  if (resume_open_sale (self))
    return;
  if (self->sale_done)
    pdv_sale_done_focus (self->sale_done_pane);
  else
    pdv_product_picker_focus_search (self->picker);
}

static void
pdv_sell_page_constructed (GObject *object)
{
  PdvSellPage *self = PDV_SELL_PAGE (object);

  G_OBJECT_CLASS (pdv_sell_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  pdv_product_picker_set_context (self->picker, self->context);
}

static void
pdv_sell_page_dispose (GObject *object)
{
  PdvSellPage *self = PDV_SELL_PAGE (object);
  GtkWidget *child;

  if (self->payment_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->payment_window));
  if (self->discount_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->discount_dialog));

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SELL_PAGE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->cart);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_sell_page_parent_class)->dispose (object);
}

static void
pdv_sell_page_finalize (GObject *object)
{
  PdvSellPage *self = PDV_SELL_PAGE (object);

  g_clear_pointer (&self->selected_product_id, g_free);
  g_clear_pointer (&self->user_id, g_free);

  G_OBJECT_CLASS (pdv_sell_page_parent_class)->finalize (object);
}

static void
pdv_sell_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PdvSellPage *self = PDV_SELL_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_sell_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PdvSellPage *self = PDV_SELL_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_sell_page_class_init (PdvSellPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_sell_page_constructed;
  object_class->dispose = pdv_sell_page_dispose;
  object_class->finalize = pdv_sell_page_finalize;
  object_class->get_property = pdv_sell_page_get_property;
  object_class->set_property = pdv_sell_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvSellPage::product-activated:
   * @product_id: the product that was tapped
   *
   * A product tile was tapped, or picked from the search with Enter. The
   * default handler adds one unit of it to the cart.
   */
  signals[PRODUCT_ACTIVATED] =
    g_signal_new_class_handler ("product-activated",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (product_activated_cb),
                                NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (PDV_TYPE_PRODUCT_PICKER);
  g_type_ensure (PDV_TYPE_SALE_DONE);
  g_type_ensure (PDV_TYPE_CART_TOTALS);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-sell-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, picker);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, cart_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, cart_list);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, cart_totals);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, pay_button);
  gtk_widget_class_bind_template_child_full (widget_class, "sale_done", FALSE,
                                             G_STRUCT_OFFSET (PdvSellPage, sale_done_pane));
  gtk_widget_class_bind_template_callback (widget_class, cart_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, product_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, empty_search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, category_selected_cb);

  _pdv_sell_page_class_actions_init (klass);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sellpage");
}

static void
pdv_sell_page_init (PdvSellPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cart = pdv_cart_new ();

  gtk_list_box_bind_model (self->cart_list, G_LIST_MODEL (self->cart),
                           create_cart_row, NULL, NULL);
  g_signal_connect_object (self->cart, "notify::total",
                           G_CALLBACK (cart_total_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cart, "notify::n-units",
                           G_CALLBACK (cart_total_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cart, "notify::has-discount",
                           G_CALLBACK (cart_total_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cart, "discount-dropped",
                           G_CALLBACK (discount_dropped_cb), self, G_CONNECT_SWAPPED);
  pdv_cart_totals_set_cart (self->cart_totals, self->cart);
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);

  _pdv_sell_page_actions_init (self);
}

GtkWidget *
pdv_sell_page_new (PdvContext *context)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_SELL_PAGE, "context", context, NULL);
}

PdvContext *
pdv_sell_page_get_context (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return self->context;
}

/**
 * pdv_sell_page_get_cart:
 *
 * Returns: (transfer none): the sale being built
 */
PdvCart *
pdv_sell_page_get_cart (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return self->cart;
}

/**
 * pdv_sell_page_reload:
 *
 * Reads the catalog again, after an import or a sync changed it. The cart
 * keeps its lines at the prices they were added with.
 */
void
pdv_sell_page_reload (PdvSellPage *self)
{
  g_return_if_fail (PDV_IS_SELL_PAGE (self));

  pdv_product_picker_reload (self->picker);
}

/* The product side is the picker's: what the tests drive there goes through it. */

guint
pdv_sell_page_count_visible_products (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), 0);
  return pdv_product_picker_count_visible_products (self->picker);
}

const char *
pdv_sell_page_get_search_hint (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return pdv_product_picker_get_search_hint (self->picker);
}

/**
 * pdv_sell_page_list_visible_product_ids:
 *
 * Returns: (transfer full) (element-type utf8): the products on the grid, in order
 */
GPtrArray *
pdv_sell_page_list_visible_product_ids (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return pdv_product_picker_list_visible_product_ids (self->picker);
}

/**
 * pdv_sell_page_select_category:
 * @category_id: (nullable): %NULL for "All"
 *
 * Returns: whether the page has a tab for @category_id
 */
gboolean
pdv_sell_page_select_category (PdvSellPage *self,
                               const char  *category_id)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), FALSE);
  return pdv_product_picker_select_category (self->picker, category_id);
}

void
pdv_sell_page_search (PdvSellPage *self,
                      const char  *text)
{
  g_return_if_fail (PDV_IS_SELL_PAGE (self));
  pdv_product_picker_search (self->picker, text);
}

gboolean
pdv_sell_page_tap_product (PdvSellPage *self,
                           const char  *product_id)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), FALSE);
  return pdv_product_picker_tap_product (self->picker, product_id);
}

const char *
pdv_sell_page_get_total_text (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return pdv_cart_totals_get_total_text (self->cart_totals);
}

/**
 * pdv_sell_page_get_discount_text:
 *
 * Returns: (nullable): the discount the cart shows, %NULL without one
 */
const char *
pdv_sell_page_get_discount_text (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return pdv_cart_totals_get_discount_text (self->cart_totals);
}

/**
 * pdv_sell_page_get_discount_dialog:
 *
 * Returns: (nullable) (transfer none): the discount being given, if any
 */
PdvDiscountDialog *
pdv_sell_page_get_discount_dialog (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return self->discount_dialog;
}

guint
pdv_sell_page_count_cart_rows (PdvSellPage *self)
{
  guint n_rows = 0;

  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->cart_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (PDV_IS_CART_ROW (child))
        n_rows++;
    }
  return n_rows;
}

/**
 * pdv_sell_page_scan:
 *
 * What a USB scanner does: types @text into the search field and presses Enter.
 */
void
pdv_sell_page_scan (PdvSellPage *self,
                    const char  *text)
{
  g_return_if_fail (PDV_IS_SELL_PAGE (self));
  pdv_product_picker_scan (self->picker, text);
}

/**
 * pdv_sell_page_get_selected_product_id:
 *
 * Returns: (nullable): the cart line + and − act on
 */
const char *
pdv_sell_page_get_selected_product_id (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return self->selected_product_id;
}

/**
 * pdv_sell_page_get_payment_window:
 *
 * Returns: (nullable) (transfer none): the payment being taken, if any
 */
PdvPaymentWindow *
pdv_sell_page_get_payment_window (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return self->payment_window;
}

gboolean
pdv_sell_page_get_sale_done (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), FALSE);
  return self->sale_done;
}

/**
 * pdv_sell_page_get_done_change_text:
 *
 * Returns: (nullable): the change shown after a cash sale, %NULL when there
 *   is none to give or no sale was just made
 */
const char *
pdv_sell_page_get_done_change_text (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return self->sale_done ? pdv_sale_done_get_change_text (self->sale_done_pane) : NULL;
}

const char *
pdv_sell_page_get_done_total_text (PdvSellPage *self)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);
  return self->sale_done ? pdv_sale_done_get_total_text (self->sale_done_pane) : NULL;
}

static void
session_changed_cb (PdvSession  *session,
                    PdvSellPage *self)
{
  g_free (self->user_id);
  self->user_id = g_strdup (pdv_session_get_user_id (session));
}

/**
 * pdv_sell_page_set_session:
 * @session: who is at the terminal, followed from now on
 *
 * The sales committed from this page are recorded as the logged-in user's.
 */
void
pdv_sell_page_set_session (PdvSellPage *self,
                           PdvSession  *session)
{
  g_return_if_fail (PDV_IS_SELL_PAGE (self));
  g_return_if_fail (PDV_IS_SESSION (session));

  g_signal_connect_object (session, "changed", G_CALLBACK (session_changed_cb), self, 0);
  session_changed_cb (session, self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sell-page-actions"

#include "config.h"

#include "pdv-sell-page-private.h"
#include "pdv-window.h"

/* The sell page's actions (cart.*, sell.*) and its keyboard: F12, Ctrl+F
 * and Ctrl+D from anywhere in the window, Enter to pay or to start the next
 * sale, the keys that work the selected cart line, and typing that goes to
 * the product search wherever the focus is. */

static void
move_selection (PdvSellPage *self,
                int          delta)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->cart_list);
  int n_lines = (int) g_list_model_get_n_items (G_LIST_MODEL (self->cart));
  int index;

  if (n_lines == 0)
    return;
  index = row != NULL ? gtk_list_box_row_get_index (row) + delta : (delta > 0 ? 0 : n_lines - 1);
  row = gtk_list_box_get_row_at_index (self->cart_list, CLAMP (index, 0, n_lines - 1));
  gtk_list_box_select_row (self->cart_list, row);
}

/* While paying or after the sale, the cart is what was paid for. */
static gboolean
cart_is_editable (PdvSellPage *self)
{
  return !self->sale_done && self->payment_window == NULL;
}

static void
cart_increment_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!cart_is_editable (self))
    return;
  if (!pdv_cart_increment (self->cart, g_variant_get_string (parameter, NULL), &error))
    _pdv_sell_page_show_toast (self, error->message);
  _pdv_sell_page_select_line (self, g_variant_get_string (parameter, NULL));
}

static void
cart_decrement_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  if (!cart_is_editable (self))
    return;
  pdv_cart_decrement (self->cart, g_variant_get_string (parameter, NULL));
  _pdv_sell_page_select_line (self, g_variant_get_string (parameter, NULL));
}

static void
cart_remove_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  if (!cart_is_editable (self))
    return;
  pdv_cart_remove (self->cart, g_variant_get_string (parameter, NULL));
  _pdv_sell_page_select_line (self, NULL);
}

static void
cart_clear_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  if (!cart_is_editable (self))
    return;
  pdv_cart_clear (self->cart);
}

/* Who gives a discount here: whoever is logged in to the window, else the
 * terminal itself, with a cashier's rights. */
static PdvUser *
dup_operator (PdvSellPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  PdvSession *session = PDV_IS_WINDOW (root) ? pdv_window_get_session (PDV_WINDOW (root)) : NULL;

  return pdv_operator_dup (session != NULL ? pdv_session_get_user (session) : NULL);
}

static void
discount_dialog_destroyed_cb (PdvSellPage *self)
{
  self->discount_dialog = NULL;
}

static void
cart_discount_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(PdvUser) operator_user = NULL;

  if (!cart_is_editable (self) || pdv_cart_is_empty (self->cart))
    return;
  if (self->discount_dialog == NULL)
    {
      operator_user = dup_operator (self);
      self->discount_dialog = pdv_discount_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cart,
                                                       self->context, operator_user);
      g_signal_connect_object (self->discount_dialog, "destroy", G_CALLBACK (discount_dialog_destroyed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self->discount_dialog));
}

static void
cart_remove_discount_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  if (cart_is_editable (self))
    pdv_cart_clear_discount (self->cart);
}

static void
focus_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  pdv_product_picker_focus_search (self->picker);
}

static void
pay_cb (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  _pdv_sell_page_pay (PDV_SELL_PAGE (widget));
}

static void
new_sale_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  if (!self->sale_done)
    return;
  _pdv_sell_page_start_new_sale (self);
}

/* Enter that nothing focused took: pay, or after a sale, start the next. */
static gboolean
return_pressed_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  if (self->sale_done)
    _pdv_sell_page_start_new_sale (self);
  else if (!pdv_cart_is_empty (self->cart))
    _pdv_sell_page_pay (self);
  else
    return FALSE;
  return TRUE;
}

/* F12 and Ctrl+F work wherever the focus is in the window, as long as this
 * page is the one on screen. */
static gboolean
global_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  const char *action_name = user_data;

  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget))
    return FALSE;
  return gtk_widget_activate_action (widget, action_name, NULL);
}

/* +, − and Delete act on the selected cart line, and Ctrl+↑/↓ select
 * another, while the search field is empty: a product search never starts
 * with those. Captured before the search field sees them. */
static gboolean
handle_cart_key (PdvSellPage     *self,
                 guint            keyval,
                 GdkModifierType  state)
{
  GdkModifierType modifiers = state & gtk_accelerator_get_default_mod_mask ();
  const char *action_name = NULL;

  if (self->sale_done || *pdv_product_picker_get_search_text (self->picker) != '\0')
    return FALSE;

  if (modifiers == GDK_CONTROL_MASK && (keyval == GDK_KEY_Up || keyval == GDK_KEY_Down))
    {
      move_selection (self, keyval == GDK_KEY_Up ? -1 : 1);
      return TRUE;
    }
  if ((modifiers & ~GDK_SHIFT_MASK) != 0 || self->selected_product_id == NULL)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_KP_Add:
      action_name = "cart.increment";
      break;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      action_name = "cart.decrement";
      break;
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      action_name = "cart.remove";
      break;
    default:
      return FALSE;
    }
  {
    g_autofree char *product_id = g_strdup (self->selected_product_id);

    return gtk_widget_activate_action (GTK_WIDGET (self), action_name, "s", product_id);
  }
}

/* The cart's own keys come first; everything else typed on the page goes
 * to the product search. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PdvSellPage           *self)
{
  if (handle_cart_key (self, keyval, state))
    return GDK_EVENT_STOP;
  return pdv_product_picker_forward_key (self->picker, controller, keyval, state);
}

/* Which actions make sense now: the cart is editable until it is being
 * paid for, and stays as it was paid for until the next sale starts. */
void
_pdv_sell_page_update_actions (PdvSellPage *self)
{
  gboolean has_items = !pdv_cart_is_empty (self->cart);
  gboolean editable = !self->sale_done && self->payment_window == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cart.increment", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cart.decrement", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cart.remove", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cart.clear", has_items && editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cart.discount", has_items && editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cart.remove-discount",
                                 pdv_cart_has_discount (self->cart) && editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sell.pay", has_items && !self->sale_done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sell.new-sale", self->sale_done);
}

void
_pdv_sell_page_class_actions_init (PdvSellPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "cart.increment", "s", cart_increment_cb);
  gtk_widget_class_install_action (widget_class, "cart.decrement", "s", cart_decrement_cb);
  gtk_widget_class_install_action (widget_class, "cart.remove", "s", cart_remove_cb);
  gtk_widget_class_install_action (widget_class, "cart.clear", NULL, cart_clear_cb);
  gtk_widget_class_install_action (widget_class, "cart.discount", NULL, cart_discount_cb);
  gtk_widget_class_install_action (widget_class, "cart.remove-discount", NULL, cart_remove_discount_cb);
  gtk_widget_class_install_action (widget_class, "sell.focus-search", NULL, focus_search_cb);
  gtk_widget_class_install_action (widget_class, "sell.pay", NULL, pay_cb);
  gtk_widget_class_install_action (widget_class, "sell.new-sale", NULL, new_sale_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, 0, return_pressed_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, 0, return_pressed_cb, NULL);
}

void
_pdv_sell_page_actions_init (PdvSellPage *self)
{
  GtkEventController *controller;
  GtkEventController *shortcuts;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F12, 0),
                                                          gtk_callback_action_new (global_shortcut_cb,
                                                                                   (gpointer) "sell.pay", NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (global_shortcut_cb,
                                                                                   (gpointer) "sell.focus-search", NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_d, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (global_shortcut_cb,
                                                                                   (gpointer) "cart.discount", NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  _pdv_sell_page_update_actions (self);
}

/**
 * pdv_sell_page_press_key:
 *
 * Hands a key press to the page's cart keys, as the keyboard does.
 *
 * Returns: whether the page used it
 */
gboolean
pdv_sell_page_press_key (PdvSellPage     *self,
                         guint            keyval,
                         GdkModifierType  state)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), FALSE);
  return handle_cart_key (self, keyval, state);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sell-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-cart-row.h"
#include "pdv-cart-totals.h"
#include "pdv-discount-dialog.h"
#include "pdv-payment-window.h"
#include "pdv-product-tile.h"
#include "pdv-sale-done.h"
#include "pdv-sell-page-private.h"
#include "pdv-sync-worker.h"
#include "pdv-window.h"

/* The cashier's screen: category tabs and a grid of product tiles on the
 * left, the sale being built on the right. Once paid, the right side shows
 * the change until the next sale starts, with "New Sale" or with the next
 * product tapped. */
struct _PdvSellPage
{
  GtkWidget       parent_instance;

  PdvContext     *context;
  PdvSyncWorker  *sync_worker;
  PdvCart        *cart;

  /* product id → PdvProductTile, owned by the grid */
  GHashTable     *tiles;
  GtkCssProvider *colour_provider;
  char           *category_id;   /* NULL shows every category */
  char           *search_key;    /* NULL or empty when not searching */
  guint           n_products;
  gboolean        selecting_all_for_search;
  gboolean        sale_done;
  char           *selected_product_id;
  PdvPaymentWindow *payment_window;
  PdvDiscountDialog *discount_dialog;
  char           *user_id;       /* who is selling; NULL when no one logged in */

  GtkSearchEntry *search_entry;
  GtkWidget      *category_scroller;
  GtkBox         *category_box;
  GtkToggleButton *all_button;
  GtkStack       *catalog_stack;
  GtkFlowBox     *product_grid;
  AdwStatusPage  *no_results_status;
  GtkStack       *cart_stack;
  GtkListBox     *cart_list;
  PdvCartTotals  *cart_totals;
  GtkButton      *pay_button;
  PdvSaleDone    *sale_done_pane;
};

G_DEFINE_FINAL_TYPE (PdvSellPage, pdv_sell_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SYNC_WORKER,
  N_PROPS
};

enum {
  PRODUCT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define CATEGORY_ID_KEY "pdv-category-id"

static void
show_toast (PdvSellPage *self,
            const char  *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

/* Catalog colours come from an imported file: parse them rather than paste
 * them into CSS, and pick the text colour that stays readable on them. */
static gboolean
normalise_colour (const char *colour,
                  char        out_hex[8],
                  gboolean   *out_dark_text)
{
  GdkRGBA rgba;
  double luminance;

  if (colour == NULL || !gdk_rgba_parse (&rgba, colour))
    return FALSE;

  g_snprintf (out_hex, 8, "#%02x%02x%02x",
              (guint) (rgba.red * 255. + .5),
              (guint) (rgba.green * 255. + .5),
              (guint) (rgba.blue * 255. + .5));
  luminance = 0.2126 * rgba.red + 0.7152 * rgba.green + 0.0722 * rgba.blue;
  *out_dark_text = luminance > 0.5;
  return TRUE;
}

/* Returns the CSS class for @colour, adding its rules to @css the first time. */
static const char *
colour_class (GHashTable *classes,
              GString    *css,
              const char *colour)
{
  char hex[8];
  gboolean dark_text;
  char *klass;

  if (!normalise_colour (colour, hex, &dark_text))
    return NULL;

  klass = g_hash_table_lookup (classes, hex);
  if (klass != NULL)
    return klass;

  klass = g_strdup_printf ("pdv-colour-%u", g_hash_table_size (classes));
  g_hash_table_insert (classes, g_strdup (hex), klass);

  g_string_append_printf (css,
                          ".product-tile.%1$s, .category-button.%1$s:checked {"
                          " background-color: %2$s; color: %3$s; }\n"
                          ".category-button.%1$s { box-shadow: inset 0 -4px %2$s; }\n",
                          klass, hex,
                          dark_text ? "rgba(0, 0, 0, 0.87)" : "#ffffff");
  return klass;
}

static gboolean
tile_is_shown (PdvSellPage    *self,
               PdvProductTile *tile)
{
  /* A search looks through every category: the cashier types what the
   * customer asked for without knowing where it is filed. */
  if (self->search_key != NULL && *self->search_key != '\0')
    return pdv_product_tile_matches (tile, self->search_key);

  return self->category_id == NULL ||
         g_strcmp0 (pdv_product_tile_get_category_id (tile), self->category_id) == 0;
}

static gboolean
filter_product_cb (GtkFlowBoxChild *child,
                   gpointer         user_data)
{
  PdvSellPage *self = user_data;

  return tile_is_shown (self, PDV_PRODUCT_TILE (gtk_flow_box_child_get_child (child)));
}

static void
refilter (PdvSellPage *self)
{
  guint n_visible;

  gtk_flow_box_invalidate_filter (self->product_grid);
  n_visible = pdv_sell_page_count_visible_products (self);

  if (self->n_products == 0)
    {
      gtk_stack_set_visible_child_name (self->catalog_stack, "empty");
    }
  else if (n_visible == 0)
    {
      g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      /* Translators: %s is what the cashier typed in the product search */
      g_autofree char *title = g_strdup_printf (_("No Products Match “%s”"), g_strstrip (text));

      adw_status_page_set_title (self->no_results_status, title);
      gtk_stack_set_visible_child_name (self->catalog_stack, "no-results");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->catalog_stack, "grid");
    }
}

static void
set_search_text (PdvSellPage *self,
                 const char  *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *key = pdv_product_search_key (trimmed);

  if (g_strcmp0 (key, self->search_key) == 0)
    return;
  g_free (self->search_key);
  self->search_key = g_steal_pointer (&key);

  if (*self->search_key != '\0' && self->category_id != NULL && self->all_button != NULL)
    {
      /* Show "All" as the selected tab so the tabs tell the truth about
       * what the grid holds, without the toggle clearing the search. */
      self->selecting_all_for_search = TRUE;
      gtk_toggle_button_set_active (self->all_button, TRUE);
      self->selecting_all_for_search = FALSE;
    }

  refilter (self);
}

static void
scroll_grid_to_top (PdvSellPage *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self->product_grid),
                                                 GTK_TYPE_SCROLLED_WINDOW);

  if (scroller != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), 0);
}

static void
category_toggled_cb (GtkToggleButton *button,
                     PdvSellPage     *self)
{
  const char *category_id;

  if (!gtk_toggle_button_get_active (button))
    return;

  category_id = g_object_get_data (G_OBJECT (button), CATEGORY_ID_KEY);
  g_free (self->category_id);
  self->category_id = g_strdup (category_id);

  if (!self->selecting_all_for_search)
    {
      /* Picking a category means browsing: the search is over. */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->selected_product_id, g_free);
      scroll_grid_to_top (self);
    }

  refilter (self);
}

static GtkToggleButton *
add_category_button (PdvSellPage     *self,
                     const char      *label,
                     const char      *category_id,
                     const char      *css_class,
                     GtkToggleButton *group)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  gtk_widget_add_css_class (button, "category-button");
  gtk_widget_set_focus_on_click (button, FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  g_object_set_data_full (G_OBJECT (button), CATEGORY_ID_KEY, g_strdup (category_id), g_free);
  if (group != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
  g_signal_connect_object (button, "toggled", G_CALLBACK (category_toggled_cb), self, 0);
  gtk_box_append (self->category_box, button);

  return GTK_TOGGLE_BUTTON (button);
}

static void
tile_clicked_cb (PdvProductTile *tile,
                 PdvSellPage    *self)
{
  g_signal_emit (self, signals[PRODUCT_ACTIVATED], 0, pdv_product_tile_get_product_id (tile));
}

static void
clear_catalog (PdvSellPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->category_box))) != NULL)
    gtk_box_remove (self->category_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->product_grid))) != NULL)
    gtk_flow_box_remove (self->product_grid, child);

  g_hash_table_remove_all (self->tiles);
  self->all_button = NULL;
  self->n_products = 0;
  g_clear_pointer (&self->category_id, g_free);

  if (self->colour_provider != NULL)
    {
      gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                     GTK_STYLE_PROVIDER (self->colour_provider));
      g_clear_object (&self->colour_provider);
    }
}

static void
load_catalog (PdvSellPage *self)
{
  PdvCatalog *catalog = pdv_context_get_catalog (self->context);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GHashTable) colour_classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) used_categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) css = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  clear_catalog (self);

  categories = pdv_catalog_list_categories (catalog, &error);
  if (categories != NULL)
    products = pdv_catalog_list_products (catalog, NULL, FALSE, &error);
  if (products == NULL)
    {
      g_warning ("Could not read the catalog: %s", error->message);
      show_toast (self, error->message);
      refilter (self);
      return;
    }

  for (guint i = 0; i < products->len; i++)
    {
      const PdvProduct *product = g_ptr_array_index (products, i);
      GtkWidget *tile = pdv_product_tile_new (product);
      const char *klass = colour_class (colour_classes, css, product->colour);
      GtkWidget *child;

      if (klass != NULL)
        gtk_widget_add_css_class (tile, klass);
      g_signal_connect_object (tile, "clicked", G_CALLBACK (tile_clicked_cb), self, 0);

      gtk_flow_box_append (self->product_grid, tile);
      /* The tile is the focus target; the flow box child is only a frame. */
      child = gtk_widget_get_parent (tile);
      gtk_widget_set_focusable (child, FALSE);

      g_hash_table_insert (self->tiles, g_strdup (product->id), tile);
      if (product->category_id != NULL)
        g_hash_table_add (used_categories, product->category_id);
    }
  self->n_products = products->len;

  /* Tabs only for categories with something to sell; the strings borrowed
   * from @products stay alive until the end of this function. */
  self->all_button = add_category_button (self, C_("category", "All"), NULL, "category-all", NULL);
  for (guint i = 0; i < categories->len; i++)
    {
      const PdvCategory *category = g_ptr_array_index (categories, i);

      if (!g_hash_table_contains (used_categories, category->id))
        continue;
      add_category_button (self, category->name, category->id,
                           colour_class (colour_classes, css, category->colour),
                           self->all_button);
    }
  gtk_toggle_button_set_active (self->all_button, TRUE);

  /* With nothing to sell, searching and browsing only distract from the
   * message saying how to import a catalog. */
  gtk_widget_set_visible (self->category_scroller, self->n_products > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry), self->n_products > 0);

  if (css->len > 0)
    {
      self->colour_provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_data (self->colour_provider, css->str, css->len);
      gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  GTK_STYLE_PROVIDER (self->colour_provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }

  refilter (self);
}

static void
update_actions (PdvSellPage *self)
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

/* Selects the cart row of @product_id, the one + and − act on from the
 * keyboard; %NULL selects the last row. */
static void
select_line (PdvSellPage *self,
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

static void
cart_total_changed_cb (PdvSellPage *self)
{
  update_actions (self);
}

static void
discount_dropped_cb (PdvSellPage *self,
                     const char  *message)
{
  show_toast (self, message);
}

static GtkWidget *
create_cart_row (gpointer item,
                 gpointer user_data)
{
  return pdv_cart_row_new (PDV_CART_LINE (item));
}

static void
start_new_sale (PdvSellPage *self)
{
  self->sale_done = FALSE;
  pdv_cart_clear (self->cart);
  gtk_stack_set_visible_child_name (self->cart_stack, "cart");
  update_actions (self);
  /* The focus was on "New Sale", which just went away. */
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_sale_done (PdvSellPage         *self,
                const PdvSaleResult *result,
                const char          *payments)
{
  pdv_sale_done_show_sale (self->sale_done_pane, result->total, result->change, payments);
  self->sale_done = TRUE;
  gtk_stack_set_visible_child_name (self->cart_stack, "done");
  update_actions (self);
  pdv_sale_done_focus (self->sale_done_pane);
}

/* Sold-out marks follow the stock the sale just used up. */
static void
refresh_tiles_of_cart (PdvSellPage *self)
{
  PdvCatalog *catalog = pdv_context_get_catalog (self->context);
  guint n_lines = g_list_model_get_n_items (G_LIST_MODEL (self->cart));

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(PdvCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), i);
      const char *product_id = pdv_cart_line_get_product_id (line);
      PdvProductTile *tile = g_hash_table_lookup (self->tiles, product_id);
      g_autoptr(PdvProduct) product = NULL;

      if (tile != NULL && (product = pdv_catalog_lookup (catalog, product_id, NULL)) != NULL)
        pdv_product_tile_update (tile, product);
    }
}

static void
sale_completed_cb (PdvPaymentWindow *window,
                   PdvSellPage      *self)
{
  const PdvSaleResult *result = pdv_payment_window_get_result (window);
  g_autofree char *payments = pdv_payment_window_dup_summary (window);

  g_assert (result != NULL);

  /* Committed: on its way to the server now rather than at the next poll. */
  if (self->sync_worker != NULL)
    pdv_sync_worker_notify_new_entry (self->sync_worker);

  show_sale_done (self, result, payments);
  refresh_tiles_of_cart (self);

  if (result->warnings != NULL && result->warnings[0] != NULL)
    {
      g_autofree char *warnings = g_strjoinv ("; ", result->warnings);

      show_toast (self, warnings);
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "win.print-receipt", "s", result->sale_id);
}

static void
payment_window_destroyed_cb (PdvSellPage *self)
{
  self->payment_window = NULL;
  update_actions (self);
  if (!self->sale_done)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
pay (PdvSellPage *self)
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
  update_actions (self);
  gtk_window_present (GTK_WINDOW (self->payment_window));
}

static void
product_activated_cb (PdvSellPage *self,
                      const char  *product_id)
{
  PdvProductTile *tile = g_hash_table_lookup (self->tiles, product_id);
  g_autoptr(GError) error = NULL;

  /* The cart is what is being paid for: it stays as it is until the
   * payment is done or abandoned. */
  if (tile == NULL || self->payment_window != NULL)
    return;

  /* One tap starts the next sale: the change on screen has been given. */
  if (self->sale_done)
    start_new_sale (self);

  if (!pdv_cart_add_product (self->cart, product_id,
                             pdv_product_tile_get_name (tile),
                             pdv_product_tile_get_price (tile),
                             &error))
    show_toast (self, error->message);
  select_line (self, product_id);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   PdvSellPage    *self)
{
  set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Enter with a single match sells it: type "agua", Enter, next. */
static void
search_activated_cb (GtkSearchEntry *entry,
                     PdvSellPage    *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr(PdvProduct) product = NULL;
  GPtrArray *ids;

  if (*text == '\0')
    {
      /* Enter on an empty search is the way to the till. */
      if (self->sale_done)
        start_new_sale (self);
      else
        pay (self);
      return;
    }

  /* A USB scanner types the barcode and Enter; a SKU typed in full is as good. */
  product = pdv_catalog_lookup (pdv_context_get_catalog (self->context), text, NULL);
  if (product != NULL && product->active)
    {
      PdvProductTile *tile = g_hash_table_lookup (self->tiles, product->id);

      gtk_editable_set_text (GTK_EDITABLE (entry), "");
      set_search_text (self, "");
      if (tile != NULL && gtk_widget_is_sensitive (GTK_WIDGET (tile)))
        {
          g_signal_emit (self, signals[PRODUCT_ACTIVATED], 0, product->id);
        }
      else
        {
          /* Translators: %s is a product that cannot be sold now */
          g_autofree char *message = g_strdup_printf (_("%s is sold out"), product->name);

          gtk_widget_error_bell (GTK_WIDGET (self));
          show_toast (self, message);
        }
      return;
    }

  set_search_text (self, text);
  if (self->search_key == NULL || *self->search_key == '\0')
    return;

  ids = pdv_sell_page_list_visible_product_ids (self);
  if (ids->len == 1)
    {
      PdvProductTile *tile = g_hash_table_lookup (self->tiles, g_ptr_array_index (ids, 0));

      if (tile != NULL && gtk_widget_is_sensitive (GTK_WIDGET (tile)))
        {
          g_signal_emit (self, signals[PRODUCT_ACTIVATED], 0, g_ptr_array_index (ids, 0));
          gtk_editable_set_text (GTK_EDITABLE (entry), "");
          set_search_text (self, "");
        }
    }
  g_ptr_array_unref (ids);
}

static void
search_stopped_cb (GtkSearchEntry *entry,
                   PdvSellPage    *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  set_search_text (self, "");
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
    show_toast (self, error->message);
  select_line (self, g_variant_get_string (parameter, NULL));
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
  select_line (self, g_variant_get_string (parameter, NULL));
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
  select_line (self, NULL);
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
                                                       pdv_db_get_path (pdv_context_get_db (self->context)),
                                                       operator_user);
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

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
pay_cb (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  pay (PDV_SELL_PAGE (widget));
}

static void
new_sale_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  if (!self->sale_done)
    return;
  start_new_sale (self);
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

/* Enter that nothing focused took: pay, or after a sale, start the next. */
static gboolean
return_pressed_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  PdvSellPage *self = PDV_SELL_PAGE (widget);

  if (self->sale_done)
    start_new_sale (self);
  else if (!pdv_cart_is_empty (self->cart))
    pay (self);
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

  if (self->sale_done || *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
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

static gboolean
is_navigation_key (guint           keyval,
                   GdkModifierType state)
{
  switch (keyval)
    {
    case GDK_KEY_Tab: case GDK_KEY_KP_Tab: case GDK_KEY_ISO_Left_Tab:
    case GDK_KEY_Up: case GDK_KEY_KP_Up: case GDK_KEY_Down: case GDK_KEY_KP_Down:
    case GDK_KEY_Left: case GDK_KEY_KP_Left: case GDK_KEY_Right: case GDK_KEY_KP_Right:
    case GDK_KEY_Home: case GDK_KEY_KP_Home: case GDK_KEY_End: case GDK_KEY_KP_End:
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up: case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
    case GDK_KEY_space: case GDK_KEY_Menu: case GDK_KEY_Escape:
      return TRUE;
    default:
      return (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0;
    }
}

/* Everything typed on the page goes to the search field, wherever the focus
 * is (after a tap, a tile has it): what a USB scanner types, Enter
 * included, is a search. The cart's own keys come first. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PdvSellPage           *self)
{
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry)));
  gboolean searching = *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
  g_autofree char *before = NULL;

  if (handle_cart_key (self, keyval, state))
    return GDK_EVENT_STOP;
  if (gtk_widget_has_focus (text) || !gtk_widget_get_visible (GTK_WIDGET (self->search_entry)))
    return GDK_EVENT_PROPAGATE;

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      if (!searching)
        return GDK_EVENT_PROPAGATE;
      g_signal_emit_by_name (self->search_entry, "activate");
      return GDK_EVENT_STOP;
    }
  if (is_navigation_key (keyval, state))
    return GDK_EVENT_PROPAGATE;

  before = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (gtk_event_controller_key_forward (controller, text) &&
      g_strcmp0 (before, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) != 0)
    return GDK_EVENT_STOP;
  return GDK_EVENT_PROPAGATE;
}

/* The cashier's home is the search field: typing and scanning start there. */
static void
mapped_cb (PdvSellPage *self)
{
  if (self->sale_done)
    pdv_sale_done_focus (self->sale_done_pane);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
pdv_sell_page_constructed (GObject *object)
{
  PdvSellPage *self = PDV_SELL_PAGE (object);

  G_OBJECT_CLASS (pdv_sell_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  load_catalog (self);
}

static void
pdv_sell_page_dispose (GObject *object)
{
  PdvSellPage *self = PDV_SELL_PAGE (object);
  GtkWidget *child;

  if (self->colour_provider != NULL)
    {
      gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                     GTK_STYLE_PROVIDER (self->colour_provider));
      g_clear_object (&self->colour_provider);
    }

  if (self->payment_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->payment_window));
  if (self->discount_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->discount_dialog));

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SELL_PAGE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_object (&self->cart);
  g_clear_object (&self->sync_worker);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_sell_page_parent_class)->dispose (object);
}

static void
pdv_sell_page_finalize (GObject *object)
{
  PdvSellPage *self = PDV_SELL_PAGE (object);

  g_clear_pointer (&self->category_id, g_free);
  g_clear_pointer (&self->search_key, g_free);
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
    case PROP_SYNC_WORKER:
      g_value_set_object (value, self->sync_worker);
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
    case PROP_SYNC_WORKER:
      g_set_object (&self->sync_worker, g_value_get_object (value));
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
  /* Told of every sale committed here; %NULL when nothing syncs. */
  properties[PROP_SYNC_WORKER] =
    g_param_spec_object ("sync-worker", NULL, NULL, PDV_TYPE_SYNC_WORKER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
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

  g_type_ensure (PDV_TYPE_SALE_DONE);
  g_type_ensure (PDV_TYPE_CART_TOTALS);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/pdv-sell-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, category_scroller);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, category_box);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, catalog_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, product_grid);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, no_results_status);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, cart_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, cart_list);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, cart_totals);
  gtk_widget_class_bind_template_child (widget_class, PdvSellPage, pay_button);
  gtk_widget_class_bind_template_child_full (widget_class, "sale_done", FALSE,
                                             G_STRUCT_OFFSET (PdvSellPage, sale_done_pane));
  gtk_widget_class_bind_template_callback (widget_class, cart_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);

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

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sellpage");
}

static void
pdv_sell_page_init (PdvSellPage *self)
{
  GtkEventController *controller;
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->tiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cart = pdv_cart_new ();

  gtk_flow_box_set_filter_func (self->product_grid, filter_product_cb, self, NULL);
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

  update_actions (self);
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

  load_catalog (self);
}

guint
pdv_sell_page_count_visible_products (PdvSellPage *self)
{
  guint n_visible = 0;

  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->product_grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_get_visible (child) && gtk_widget_get_child_visible (child))
        n_visible++;
    }
  return n_visible;
}

/**
 * pdv_sell_page_list_visible_product_ids:
 *
 * Returns: (transfer full) (element-type utf8): the products on the grid, in order
 */
GPtrArray *
pdv_sell_page_list_visible_product_ids (PdvSellPage *self)
{
  GPtrArray *ids;

  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), NULL);

  ids = g_ptr_array_new_with_free_func (g_free);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->product_grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_get_visible (child) && gtk_widget_get_child_visible (child))
        {
          PdvProductTile *tile = PDV_PRODUCT_TILE (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child)));

          g_ptr_array_add (ids, g_strdup (pdv_product_tile_get_product_id (tile)));
        }
    }
  return ids;
}

/**
 * pdv_sell_page_select_category:
 * @category_id: (nullable): %NULL for "All"
 *
 * Clicks the category's tab.
 *
 * Returns: whether the page has a tab for @category_id
 */
gboolean
pdv_sell_page_select_category (PdvSellPage *self,
                               const char  *category_id)
{
  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->category_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (child), CATEGORY_ID_KEY), category_id) == 0)
        {
          g_signal_emit_by_name (child, "clicked");
          return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child));
        }
    }
  return FALSE;
}

/**
 * pdv_sell_page_search:
 *
 * Types @text into the search entry and filters at once, without waiting
 * for the entry's typing delay.
 */
void
pdv_sell_page_search (PdvSellPage *self,
                      const char  *text)
{
  g_return_if_fail (PDV_IS_SELL_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  set_search_text (self, text);
}

/**
 * pdv_sell_page_tap_product:
 *
 * Clicks the product's tile.
 *
 * Returns: whether there is a tile for @product_id that could be clicked
 */
gboolean
pdv_sell_page_tap_product (PdvSellPage *self,
                           const char  *product_id)
{
  GtkWidget *tile;

  g_return_val_if_fail (PDV_IS_SELL_PAGE (self), FALSE);

  tile = g_hash_table_lookup (self->tiles, product_id);
  if (tile == NULL || !gtk_widget_is_sensitive (tile))
    return FALSE;
  /* What a tap ends in; keyboard activation would add the press animation's delay. */
  g_signal_emit_by_name (tile, "clicked");
  return TRUE;
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

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_emit_by_name (self->search_entry, "activate");
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

/**
 * pdv_sell_page_set_user:
 * @user_id: (nullable): who sells from now on
 *
 * The sales committed from this page are recorded as @user_id's.
 */
void
pdv_sell_page_set_user (PdvSellPage *self,
                        const char  *user_id)
{
  g_return_if_fail (PDV_IS_SELL_PAGE (self));

  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-product-picker"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-catalog-colours.h"
#include "pdv-product-item.h"
#include "pdv-product-picker-private.h"

/* The product side of the sell page: a search field, category tabs and a
 * grid of product tiles. It only says which product was picked (a tap, a
 * single match with Enter, a barcode); what that does to a sale is the
 * page's business.
 *
 * The grid is a recycling view over a model of the catalog: only the tiles
 * on screen exist, however many products there are. Browsing filters the
 * catalog by category; a search shows the catalog search's best matches,
 * at most SEARCH_SHOWN of them: a keystroke then costs what a screenful
 * costs, not what the catalog holds. */

#define SEARCH_SHOWN 60

struct _PdvProductPicker
{
  GtkWidget           parent_instance;

  PdvContext         *context;

  GListStore         *products;     /* PdvProductItem, in grid order */
  GtkFilterListModel *browsed;      /* @products of the category picked */
  GtkCustomFilter    *filter;
  GListStore         *matches;      /* the search's best, best first */
  /* product id → its position in @products */
  GHashTable         *positions;
  guint               n_matches;
  /* The catalog is read when first needed: not for the login screen. */
  gboolean            loaded;
  PdvCatalogColours  *colours;
  char              *category_id;   /* NULL shows every category */
  char              *search_key;    /* NULL or empty when not searching */
  guint              n_products;
  gboolean           selecting_all_for_search;

  GtkSearchEntry    *search_entry;
  GtkWidget         *category_scroller;
  GtkBox            *category_box;
  GtkToggleButton   *all_button;
  GtkStack          *catalog_stack;
  GtkGridView       *product_grid;   /* browsing: the catalog, by category */
  GtkGridView       *match_grid;     /* searching: the best matches */
  GtkLabel          *more_label;
  AdwStatusPage     *no_results_status;
};

G_DEFINE_FINAL_TYPE (PdvProductPicker, pdv_product_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  PRODUCT_CHOSEN,
  EMPTY_SEARCH_ACTIVATED,
  CATEGORY_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define CATEGORY_ID_KEY "pdv-category-id"

static void
show_toast (PdvProductPicker *self,
            const char       *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

static gboolean
item_is_shown (PdvProductItem   *item,
               PdvProductPicker *self)
{
  const PdvProduct *product = pdv_product_item_get_product (item);

  return self->category_id == NULL || g_strcmp0 (product->category_id, self->category_id) == 0;
}

static gboolean
searching (PdvProductPicker *self)
{
  return self->search_key != NULL && *self->search_key != '\0';
}

static PdvProductItem *
find_item (PdvProductPicker *self,
           const char       *product_id)
{
  PdvProductItem *item;
  gpointer position;

  if (product_id == NULL || !g_hash_table_lookup_extended (self->positions, product_id, NULL, &position))
    return NULL;
  item = g_list_model_get_item (G_LIST_MODEL (self->products), GPOINTER_TO_UINT (position));
  /* The store keeps a reference of its own: borrowed is enough. */
  g_object_unref (item);
  return item;
}

static void
refilter (PdvProductPicker *self)
{
  guint n_visible;

  n_visible = pdv_product_picker_count_visible_products (self);

  if (searching (self) && self->n_matches > n_visible)
    {
      /* Translators: the product search shows its best matches only */
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "The best %u of %u match — type more to narrow the search",
                                                            "The best %u of %u matches — type more to narrow the search",
                                                            self->n_matches),
                                               n_visible, self->n_matches);

      gtk_label_set_label (self->more_label, more);
      gtk_widget_set_visible (GTK_WIDGET (self->more_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->more_label), FALSE);

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
      gtk_stack_set_visible_child_name (self->catalog_stack, searching (self) ? "matches" : "grid");
    }
}

/* Each grid keeps its model: handing a grid view another model costs it
 * time in proportion to the catalog (about 0.1 s for 10,000 products), a
 * keystroke's worth of waiting every time a search begins or ends. */
static GListModel *
shown_model (PdvProductPicker *self)
{
  return searching (self) ? G_LIST_MODEL (self->matches) : G_LIST_MODEL (self->browsed);
}

/* Puts @items in place of the search's last results, touching only what
 * differs: the next letter typed often keeps the best matches as they were,
 * and their tiles then stay as they are. */
static void
replace_matches (PdvProductPicker *self,
                 GPtrArray        *items)
{
  GListModel *old = G_LIST_MODEL (self->matches);
  guint n_old = g_list_model_get_n_items (old);
  guint prefix = 0;
  guint suffix = 0;

  while (prefix < n_old && prefix < items->len)
    {
      g_autoptr(GObject) item = g_list_model_get_item (old, prefix);

      if (item != g_ptr_array_index (items, prefix))
        break;
      prefix++;
    }
  while (suffix < n_old - prefix && suffix < items->len - prefix)
    {
      g_autoptr(GObject) item = g_list_model_get_item (old, n_old - 1 - suffix);

      if (item != g_ptr_array_index (items, items->len - 1 - suffix))
        break;
      suffix++;
    }
  if (prefix == n_old && prefix == items->len)
    return;
  g_list_store_splice (self->matches, prefix, n_old - prefix - suffix, items->pdata + prefix,
                       items->len - prefix - suffix);
}

static void
set_search_text (PdvProductPicker *self,
                 const char       *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *key = pdv_product_search_key (trimmed);

  if (g_strcmp0 (key, self->search_key) == 0)
    return;
  g_free (self->search_key);
  self->search_key = g_steal_pointer (&key);

  self->n_matches = 0;
  if (searching (self) && self->context != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) ids = pdv_catalog_search_ids (pdv_context_get_catalog (self->context), trimmed, &error);
      g_autoptr(GPtrArray) items = g_ptr_array_new ();

      if (ids == NULL)
        {
          g_warning ("Could not search the catalog: %s", error->message);
          ids = g_ptr_array_new ();
        }
      self->n_matches = ids->len;
      for (guint i = 0; i < ids->len && items->len < SEARCH_SHOWN; i++)
        {
          PdvProductItem *item = find_item (self, g_ptr_array_index (ids, i));

          if (item != NULL)
            g_ptr_array_add (items, item);
        }
      replace_matches (self, items);
    }

  if (*self->search_key != '\0' && self->category_id != NULL && self->all_button != NULL)
    {
      /* Show "All" as the selected tab so the tabs tell the truth about
       * what the grid holds, without the toggle clearing the search. */
      self->selecting_all_for_search = TRUE;
      gtk_toggle_button_set_active (self->all_button, TRUE);
      self->selecting_all_for_search = FALSE;
    }

  refilter (self);
  /* Emptied once the grid shows the catalog again, not under its eyes. */
  if (!searching (self))
    g_list_store_remove_all (self->matches);
}

static void
scroll_grid_to_top (PdvProductPicker *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self->product_grid), GTK_TYPE_SCROLLED_WINDOW);

  if (scroller != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), 0);
}

static void
category_toggled_cb (GtkToggleButton  *button,
                     PdvProductPicker *self)
{
  const char *category_id;

  if (!gtk_toggle_button_get_active (button))
    return;

  category_id = g_object_get_data (G_OBJECT (button), CATEGORY_ID_KEY);
  if (g_strcmp0 (category_id, self->category_id) != 0)
    {
      g_free (self->category_id);
      self->category_id = g_strdup (category_id);
      /* The browsing filter reads only the category: it runs again over the
       * catalog here, and not when a search ends. */
      gtk_filter_changed (GTK_FILTER (self->filter), category_id == NULL ? GTK_FILTER_CHANGE_LESS_STRICT
                                                                          : GTK_FILTER_CHANGE_DIFFERENT);
    }

  if (!self->selecting_all_for_search)
    {
      /* Picking a category means browsing: the search is over. */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      g_clear_pointer (&self->search_key, g_free);
      g_list_store_remove_all (self->matches);
      g_signal_emit (self, signals[CATEGORY_SELECTED], 0);
      scroll_grid_to_top (self);
    }

  refilter (self);
}

static GtkToggleButton *
add_category_button (PdvProductPicker *self,
                     const char       *label,
                     const char       *category_id,
                     const char       *css_class,
                     GtkToggleButton  *group)
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
tile_clicked_cb (PdvProductTile   *tile,
                 PdvProductPicker *self)
{
  g_signal_emit (self, signals[PRODUCT_CHOSEN], 0, pdv_product_tile_get_product_id (tile));
}

#define TILE_CLASS_KEY "pdv-colour-class"

static void
setup_tile_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               PdvProductPicker         *self)
{
  GtkWidget *tile = pdv_product_tile_new (NULL);

  g_signal_connect_object (tile, "clicked", G_CALLBACK (tile_clicked_cb), self, 0);
  gtk_list_item_set_child (list_item, tile);
  /* The tile is what is tapped and focused; the grid's cell is only a frame. */
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
}

static void
bind_tile_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              PdvProductPicker         *self)
{
  PdvProductItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *tile = gtk_list_item_get_child (list_item);
  const char *klass = pdv_product_item_get_css_class (item);

  pdv_product_tile_set_product (PDV_PRODUCT_TILE (tile), pdv_product_item_get_product (item));
  if (klass != NULL)
    gtk_widget_add_css_class (tile, klass);
  g_object_set_data (G_OBJECT (tile), TILE_CLASS_KEY, (gpointer) klass);
  /* The tile is what is focused; the grid's cell is only a frame, and does
   * not say otherwise to a screen reader (GTK 4.8 marks every cell
   * focusable, though it hands the focus to the tile). It exists by now. */
  if (gtk_widget_get_parent (tile) != NULL)
    gtk_widget_set_focusable (gtk_widget_get_parent (tile), FALSE);
}

static void
unbind_tile_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                PdvProductPicker         *self)
{
  GtkWidget *tile = gtk_list_item_get_child (list_item);
  const char *klass = g_object_get_data (G_OBJECT (tile), TILE_CLASS_KEY);

  if (klass != NULL)
    gtk_widget_remove_css_class (tile, klass);
  g_object_set_data (G_OBJECT (tile), TILE_CLASS_KEY, NULL);
}

static void
clear_catalog (PdvProductPicker *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->category_box))) != NULL)
    gtk_box_remove (self->category_box, child);
  g_list_store_remove_all (self->matches);
  g_list_store_remove_all (self->products);

  g_hash_table_remove_all (self->positions);
  self->all_button = NULL;
  self->n_products = 0;
  self->n_matches = 0;
  g_clear_pointer (&self->category_id, g_free);
  g_clear_pointer (&self->search_key, g_free);
}

static void
load_catalog (PdvProductPicker *self)
{
  PdvCatalog *catalog = pdv_context_get_catalog (self->context);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(PdvCatalogColours) colours = pdv_catalog_colours_new ();
  g_autoptr(GHashTable) used_categories = g_hash_table_new (g_str_hash, g_str_equal);
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

  items = g_ptr_array_new_full (products->len, g_object_unref);
  for (guint i = 0; i < products->len; i++)
    {
      const PdvProduct *product = g_ptr_array_index (products, i);
      const char *klass = pdv_catalog_colours_add (colours, product->colour);

      g_ptr_array_add (items, pdv_product_item_new (product, klass));
      g_hash_table_insert (self->positions, g_strdup (product->id), GUINT_TO_POINTER (i));
      if (product->category_id != NULL)
        g_hash_table_add (used_categories, product->category_id);
    }
  /* One change for the whole catalog, not one per product. */
  g_list_store_splice (self->products, 0, 0, items->pdata, items->len);
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
                           pdv_catalog_colours_add (colours, category->colour),
                           self->all_button);
    }
  gtk_toggle_button_set_active (self->all_button, TRUE);

  /* With nothing to sell, searching and browsing only distract from the
   * message saying how to import a catalog. */
  gtk_widget_set_visible (self->category_scroller, self->n_products > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry), self->n_products > 0);

  /* The colour classes stay installed while items may name them. */
  pdv_catalog_colours_install (colours, gtk_widget_get_display (GTK_WIDGET (self)));
  g_clear_object (&self->colours);
  self->colours = g_steal_pointer (&colours);

  refilter (self);
}

static void
search_changed_cb (GtkSearchEntry   *entry,
                   PdvProductPicker *self)
{
  set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Enter with a single match sells it: type "agua", Enter, next. */
static void
search_activated_cb (GtkSearchEntry   *entry,
                     PdvProductPicker *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr(PdvProduct) product = NULL;
  GPtrArray *ids;

  if (*text == '\0')
    {
      /* Enter on an empty search is the way to the till: the page knows
       * whether that means paying or starting the next sale. */
      g_signal_emit (self, signals[EMPTY_SEARCH_ACTIVATED], 0);
      return;
    }

  /* A USB scanner types the barcode and Enter; a SKU typed in full is as good. */
  product = pdv_catalog_lookup (pdv_context_get_catalog (self->context), text, NULL);
  if (product != NULL && product->active)
    {
      PdvProductItem *item = find_item (self, product->id);

      gtk_editable_set_text (GTK_EDITABLE (entry), "");
      set_search_text (self, "");
      if (item != NULL && pdv_product_item_can_be_sold (item))
        {
          g_signal_emit (self, signals[PRODUCT_CHOSEN], 0, product->id);
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

  ids = pdv_product_picker_list_visible_product_ids (self);
  if (ids->len == 1)
    {
      PdvProductItem *item = find_item (self, g_ptr_array_index (ids, 0));

      if (item != NULL && pdv_product_item_can_be_sold (item))
        {
          g_signal_emit (self, signals[PRODUCT_CHOSEN], 0, g_ptr_array_index (ids, 0));
          gtk_editable_set_text (GTK_EDITABLE (entry), "");
          set_search_text (self, "");
        }
    }
  g_ptr_array_unref (ids);
}

static void
search_stopped_cb (GtkSearchEntry   *entry,
                   PdvProductPicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  set_search_text (self, "");
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

/* Reads the catalog the first time the grid is shown or asked about, so
 * that a terminal with a big catalog shows its login screen as fast as any. */
static void
ensure_loaded (PdvProductPicker *self)
{
  if (self->loaded || self->context == NULL)
    return;
  self->loaded = TRUE;
  load_catalog (self);
}

static void
pdv_product_picker_map (GtkWidget *widget)
{
  ensure_loaded (PDV_PRODUCT_PICKER (widget));

  GTK_WIDGET_CLASS (pdv_product_picker_parent_class)->map (widget);
}

static void
pdv_product_picker_dispose (GObject *object)
{
  PdvProductPicker *self = PDV_PRODUCT_PICKER (object);
  GtkWidget *child;

  g_clear_object (&self->colours);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_PRODUCT_PICKER);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_object (&self->browsed);
  g_clear_object (&self->filter);
  g_clear_object (&self->matches);
  g_clear_object (&self->products);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_product_picker_parent_class)->dispose (object);
}

static void
pdv_product_picker_finalize (GObject *object)
{
  PdvProductPicker *self = PDV_PRODUCT_PICKER (object);

  g_clear_pointer (&self->category_id, g_free);
  g_clear_pointer (&self->search_key, g_free);

  G_OBJECT_CLASS (pdv_product_picker_parent_class)->finalize (object);
}

static void
pdv_product_picker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdvProductPicker *self = PDV_PRODUCT_PICKER (object);

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
pdv_product_picker_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdvProductPicker *self = PDV_PRODUCT_PICKER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      pdv_product_picker_set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_product_picker_class_init (PdvProductPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_product_picker_dispose;
  object_class->finalize = pdv_product_picker_finalize;
  object_class->get_property = pdv_product_picker_get_property;
  object_class->set_property = pdv_product_picker_set_property;
  widget_class->map = pdv_product_picker_map;

  /* Whose catalog is on the grid; setting it loads the catalog. */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvProductPicker::product-chosen:
   * @product_id: the product picked
   *
   * A product tile was tapped, a search had a single match when Enter was
   * pressed, or a barcode or SKU was typed (or scanned) in full.
   */
  signals[PRODUCT_CHOSEN] =
    g_signal_new ("product-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * PdvProductPicker::empty-search-activated:
   *
   * Enter was pressed in the search field with nothing typed.
   */
  signals[EMPTY_SEARCH_ACTIVATED] =
    g_signal_new ("empty-search-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * PdvProductPicker::category-selected:
   *
   * A category tab was picked to browse, which ends any search; loading
   * the catalog picks "All".
   */
  signals[CATEGORY_SELECTED] =
    g_signal_new ("category-selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-product-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvProductPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvProductPicker, category_scroller);
  gtk_widget_class_bind_template_child (widget_class, PdvProductPicker, category_box);
  gtk_widget_class_bind_template_child (widget_class, PdvProductPicker, catalog_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvProductPicker, product_grid);
  gtk_widget_class_bind_template_child (widget_class, PdvProductPicker, match_grid);
  gtk_widget_class_bind_template_child (widget_class, PdvProductPicker, more_label);
  gtk_widget_class_bind_template_child (widget_class, PdvProductPicker, no_results_status);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "productpicker");
}

static void
set_up_grid (PdvProductPicker *self,
             GtkGridView      *grid,
             GListModel       *model)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (model));

  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_tile_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_tile_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_tile_cb), self, 0);
  gtk_grid_view_set_factory (grid, factory);
  gtk_grid_view_set_model (grid, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
}

static void
pdv_product_picker_init (PdvProductPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->products = g_list_store_new (PDV_TYPE_PRODUCT_ITEM);
  self->matches = g_list_store_new (PDV_TYPE_PRODUCT_ITEM);
  self->filter = gtk_custom_filter_new ((GtkCustomFilterFunc) item_is_shown, self, NULL);
  self->browsed = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->products)),
                                             g_object_ref (GTK_FILTER (self->filter)));
  set_up_grid (self, self->product_grid, G_LIST_MODEL (self->browsed));
  set_up_grid (self, self->match_grid, G_LIST_MODEL (self->matches));
}

GtkWidget *
pdv_product_picker_new (void)
{
  return g_object_new (PDV_TYPE_PRODUCT_PICKER, NULL);
}

/**
 * pdv_product_picker_set_context:
 *
 * Shows the catalog of @context, read now.
 */
void
pdv_product_picker_set_context (PdvProductPicker *self,
                                PdvContext       *context)
{
  g_return_if_fail (PDV_IS_PRODUCT_PICKER (self));
  g_return_if_fail (PDV_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;
  self->loaded = FALSE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_loaded (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

/**
 * pdv_product_picker_reload:
 *
 * Reads the catalog again, after an import or a sync changed it. Any
 * search or category picked is forgotten.
 */
void
pdv_product_picker_reload (PdvProductPicker *self)
{
  g_return_if_fail (PDV_IS_PRODUCT_PICKER (self));
  g_return_if_fail (self->context != NULL);

  self->loaded = TRUE;
  load_catalog (self);
}

/**
 * pdv_product_picker_get_product:
 *
 * Returns: (nullable) (transfer none): @product_id as the grid shows it
 *   (its name and price as loaded), %NULL when the grid has no such product
 */
const PdvProduct *
pdv_product_picker_get_product (PdvProductPicker *self,
                                const char       *product_id)
{
  PdvProductItem *item;

  g_return_val_if_fail (PDV_IS_PRODUCT_PICKER (self), NULL);
  ensure_loaded (self);

  item = find_item (self, product_id);
  return item != NULL ? pdv_product_item_get_product (item) : NULL;
}

/**
 * pdv_product_picker_refresh_product:
 *
 * Reads @product_id again from the catalog, so its tile shows the stock a
 * sale just used up.
 */
void
pdv_product_picker_refresh_product (PdvProductPicker *self,
                                    const char       *product_id)
{
  g_autoptr(PdvProduct) product = NULL;
  g_autoptr(PdvProduct) shown = NULL;
  g_autoptr(PdvProductItem) fresh = NULL;
  PdvProductItem *item;
  gpointer position;
  guint match_position;

  g_return_if_fail (PDV_IS_PRODUCT_PICKER (self));
  ensure_loaded (self);

  item = find_item (self, product_id);
  if (item == NULL ||
      (product = pdv_catalog_lookup (pdv_context_get_catalog (self->context), product_id, NULL)) == NULL)
    return;
  /* The name and price stay those loaded, as the cart's lines do; the
   * stock is today's. */
  shown = pdv_product_copy (pdv_product_item_get_product (item));
  shown->stock = product->stock;
  fresh = pdv_product_item_new (shown, pdv_product_item_get_css_class (item));
  /* The search's results hold the same item: it goes there too. */
  if (g_list_store_find (self->matches, item, &match_position))
    g_list_store_splice (self->matches, match_position, 1, (gpointer *) &fresh, 1);
  g_hash_table_lookup_extended (self->positions, product_id, NULL, &position);
  g_list_store_splice (self->products, GPOINTER_TO_UINT (position), 1, (gpointer *) &fresh, 1);
}

void
pdv_product_picker_focus_search (PdvProductPicker *self)
{
  g_return_if_fail (PDV_IS_PRODUCT_PICKER (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * pdv_product_picker_get_search_text:
 *
 * Returns: what is typed in the search field, as typed; "" when nothing
 */
const char *
pdv_product_picker_get_search_text (PdvProductPicker *self)
{
  g_return_val_if_fail (PDV_IS_PRODUCT_PICKER (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

/**
 * pdv_product_picker_forward_key:
 * @controller: the key controller, in the capture phase, that saw the key
 *
 * Types a key pressed anywhere on the page into the search field, wherever
 * the focus is (after a tap, a tile has it): what a USB scanner types,
 * Enter included, is a search. Keys that move the focus or work a control
 * are left alone, and so is Enter while nothing is typed.
 *
 * Returns: %GDK_EVENT_STOP when the search field took the key
 */
gboolean
pdv_product_picker_forward_key (PdvProductPicker      *self,
                                GtkEventControllerKey *controller,
                                guint                  keyval,
                                GdkModifierType        state)
{
  GtkWidget *text;
  gboolean searching;
  g_autofree char *before = NULL;

  g_return_val_if_fail (PDV_IS_PRODUCT_PICKER (self), GDK_EVENT_PROPAGATE);
  g_return_val_if_fail (GTK_IS_EVENT_CONTROLLER_KEY (controller), GDK_EVENT_PROPAGATE);

  text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry)));
  searching = *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';

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

guint
pdv_product_picker_count_visible_products (PdvProductPicker *self)
{
  g_return_val_if_fail (PDV_IS_PRODUCT_PICKER (self), 0);
  ensure_loaded (self);
  return g_list_model_get_n_items (shown_model (self));
}

/**
 * pdv_product_picker_list_visible_product_ids:
 *
 * Returns: (transfer full) (element-type utf8): the products on the grid, in order
 */
GPtrArray *
pdv_product_picker_list_visible_product_ids (PdvProductPicker *self)
{
  GPtrArray *ids;
  guint n;

  g_return_val_if_fail (PDV_IS_PRODUCT_PICKER (self), NULL);
  ensure_loaded (self);

  n = g_list_model_get_n_items (shown_model (self));
  ids = g_ptr_array_new_full (n, g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PdvProductItem) item = g_list_model_get_item (shown_model (self), i);

      g_ptr_array_add (ids, g_strdup (pdv_product_item_get_product (item)->id));
    }
  return ids;
}

/**
 * pdv_product_picker_select_category:
 * @category_id: (nullable): %NULL for "All"
 *
 * Clicks the category's tab.
 *
 * Returns: whether there is a tab for @category_id
 */
gboolean
pdv_product_picker_select_category (PdvProductPicker *self,
                                    const char       *category_id)
{
  g_return_val_if_fail (PDV_IS_PRODUCT_PICKER (self), FALSE);
  ensure_loaded (self);

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
 * pdv_product_picker_search:
 *
 * Types @text into the search field and filters at once, without waiting
 * for the field's typing delay.
 */
void
pdv_product_picker_search (PdvProductPicker *self,
                           const char       *text)
{
  g_return_if_fail (PDV_IS_PRODUCT_PICKER (self));
  ensure_loaded (self);

  /* Replacing the text empties the field first: that is no search of its
   * own, to show the whole catalog for. */
  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  set_search_text (self, text);
}

/**
 * pdv_product_picker_tap_product:
 *
 * Clicks the product's tile.
 *
 * Returns: whether there is a tile for @product_id that could be clicked
 */
gboolean
pdv_product_picker_tap_product (PdvProductPicker *self,
                                const char       *product_id)
{
  PdvProductItem *item;

  g_return_val_if_fail (PDV_IS_PRODUCT_PICKER (self), FALSE);
  ensure_loaded (self);

  item = find_item (self, product_id);
  if (item == NULL || !pdv_product_item_can_be_sold (item))
    return FALSE;
  /* What a tap on its tile ends in, whether or not the tile is on screen. */
  g_signal_emit (self, signals[PRODUCT_CHOSEN], 0, product_id);
  return TRUE;
}

/**
 * pdv_product_picker_scan:
 *
 * What a USB scanner does: types @text into the search field and presses Enter.
 */
void
pdv_product_picker_scan (PdvProductPicker *self,
                         const char       *text)
{
  g_return_if_fail (PDV_IS_PRODUCT_PICKER (self));
  ensure_loaded (self);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_emit_by_name (self->search_entry, "activate");
}

/**
 * pdv_product_picker_get_search_hint:
 *
 * Returns: (nullable): what the grid says above a search that matched more
 *   than it shows, %NULL when it says nothing
 */
const char *
pdv_product_picker_get_search_hint (PdvProductPicker *self)
{
  g_return_val_if_fail (PDV_IS_PRODUCT_PICKER (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->more_label)))
    return NULL;
  return gtk_label_get_label (self->more_label);
}

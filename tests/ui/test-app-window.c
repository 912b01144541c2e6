/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-window"

#include "config.h"

#include <string.h>

#include "pdv-application.h"
#include "pdv-audit-window.h"
#include "pdv-manager-prompt.h"
#include "pdv-payment-window.h"
#include "pdv-cart.h"
#include "pdv-core.h"
#include "pdv-error-window.h"
#include "pdv-product-tile.h"
#include "pdv-sell-page-private.h"
#include "pdv-shift-page-private.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* Registered once: it loads the stylesheet and the accelerators the way the
 * real program does, so the screenshots show what a cashier would see. */
static PdvApplication *application;

typedef struct {
  char       *tmp_dir;
  PdvContext *context;
  PdvCatalog *catalog;
  PdvWindow  *window;
  PdvSellPage *sell_page;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, g_strcmp0 (user_data, "empty") != 0);
  fixture->catalog = pdv_context_get_catalog (fixture->context);

  if (g_strcmp0 (user_data, "tampered") == 0)
    {
      /* The cash tolerance raised behind PDV's back, before it starts. */
      g_assert_true (pdv_db_set_meta (pdv_context_get_db (fixture->context), "cash_tolerance", "100000", &error));
    }

  if (g_strcmp0 (user_data, "sold-out") == 0)
    {
      /* A stock count that leaves one product of each stock policy at zero. */
      json_t *payload = json_pack ("{s:[{s:s, s:i}, {s:s, s:i}]}", "items",
                                   "product", "OUT-BONE", "qty", 0,
                                   "product", "OUT-COPO-ECO", "qty", 0);
      g_autoptr(PdvJournalEntry) entry = pdv_journal_append (pdv_context_get_journal (fixture->context),
                                                             "stock.count", NULL, payload, &error);

      json_decref (payload);
      g_assert_no_error (error);
      g_assert_nonnull (entry);
    }

  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  fixture->sell_page = PDV_SELL_PAGE (pdv_window_get_page (fixture->window, "sell"));
  g_assert_nonnull (fixture->sell_page);

  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  /* The pages shared the context; none may keep it alive. */
  g_assert_finalize_object (fixture->context);

  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static guint
count_active_products (Fixture    *fixture,
                       const char *category_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = pdv_catalog_list_products (fixture->catalog, category_id, FALSE, &error);

  g_assert_no_error (error);
  return products->len;
}

static gboolean
ids_contain (GPtrArray  *ids,
             const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), id) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_total (Fixture  *fixture,
              PdvMoney  expected)
{
  g_autofree char *text = pdv_money_format (expected);

  g_assert_cmpstr (pdv_sell_page_get_total_text (fixture->sell_page), ==, text);
  g_assert_cmpint (pdv_cart_get_total (pdv_sell_page_get_cart (fixture->sell_page)), ==, expected);
}

static void
test_window_titles (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *event_name = pdv_context_dup_event_name (fixture->context);

  g_assert_cmpstr (event_name, ==, "Festival Noite de Verão 2026");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, event_name);
  g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), ==, "sell");
}

static void
test_page_switching (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const char * const pages[][2] = {
    { "checkin", "<Alt>2" },
    { "shift", "<Alt>3" },
    { "sync", "<Alt>4" },
    { "sell", "<Alt>1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *detailed = g_strdup_printf ("win.show-page::%s", pages[i][0]);
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application), detailed);

      g_assert_true (g_strv_contains ((const char * const *) accels, pages[i][1]));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", pages[i][0]));
      g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), ==, pages[i][0]);
    }
}

static void
test_about (Fixture       *fixture,
            gconstpointer  user_data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *about = NULL;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->window), "show-help-overlay"));

  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  pdv_ui_test_settle ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel))
        about = toplevel;
    }
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (fixture->window));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  pdv_ui_test_destroy_window (about);
}

static void
test_sell_shows_active_products (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(PdvProduct) inactive = pdv_test_lookup_product (fixture->catalog, "DRK-CAIPIROSKA-MOR");
  guint n_active = count_active_products (fixture, NULL);

  g_assert_false (inactive->active);
  g_assert_cmpuint (n_active, >, 30);
  g_assert_cmpuint (pdv_sell_page_count_visible_products (fixture->sell_page), ==, n_active);

  ids = pdv_sell_page_list_visible_product_ids (fixture->sell_page);
  g_assert_cmpuint (ids->len, ==, n_active);
  g_assert_false (ids_contain (ids, "DRK-CAIPIROSKA-MOR"));
  g_assert_true (ids_contain (ids, "CERV-LATA-350"));
}

static void
test_sell_category_filter (Fixture       *fixture,
                           gconstpointer  user_data)
{
  static const char * const categories[] = { "drinks", "cervejas", "comidas" };

  for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
    {
      g_autoptr(GPtrArray) ids = NULL;
      guint n_expected = count_active_products (fixture, categories[c]);

      g_assert_true (pdv_sell_page_select_category (fixture->sell_page, categories[c]));
      pdv_ui_test_settle ();

      ids = pdv_sell_page_list_visible_product_ids (fixture->sell_page);
      g_assert_cmpuint (n_expected, >, 0);
      g_assert_cmpuint (ids->len, ==, n_expected);
      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(PdvProduct) product = pdv_test_lookup_product (fixture->catalog, g_ptr_array_index (ids, i));

          g_assert_cmpstr (product->category_id, ==, categories[c]);
        }
    }

  g_assert_true (pdv_sell_page_select_category (fixture->sell_page, NULL));
  g_assert_cmpuint (pdv_sell_page_count_visible_products (fixture->sell_page), ==,
                    count_active_products (fixture, NULL));
  g_assert_false (pdv_sell_page_select_category (fixture->sell_page, "no-such-category"));
}

static void
test_sell_cart (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(PdvProduct) beer = pdv_test_lookup_product (fixture->catalog, "CERV-LATA-350");
  g_autoptr(PdvProduct) water = pdv_test_lookup_product (fixture->catalog, "SA-AGUA-500");
  PdvCart *cart = pdv_sell_page_get_cart (fixture->sell_page);
  GtkWidget *page = GTK_WIDGET (fixture->sell_page);
  g_autofree char *zero = pdv_money_format (0);

  g_assert_cmpstr (pdv_sell_page_get_total_text (fixture->sell_page), ==, zero);
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 0);

  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, beer->id));
  pdv_ui_test_settle ();
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 1);
  g_assert_cmpuint (pdv_cart_line_get_quantity (pdv_cart_find_line (cart, beer->id)), ==, 1);
  assert_total (fixture, beer->price);

  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, beer->id));
  pdv_ui_test_settle ();
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 1);
  g_assert_cmpuint (pdv_cart_line_get_quantity (pdv_cart_find_line (cart, beer->id)), ==, 2);
  assert_total (fixture, 2 * beer->price);

  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, water->id));
  pdv_ui_test_settle ();
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 2);
  assert_total (fixture, 2 * beer->price + water->price);

  /* The row buttons: +, − and remove. */
  g_assert_true (gtk_widget_activate_action (page, "cart.increment", "s", water->id));
  assert_total (fixture, 2 * beer->price + 2 * water->price);
  g_assert_true (gtk_widget_activate_action (page, "cart.decrement", "s", beer->id));
  assert_total (fixture, beer->price + 2 * water->price);
  g_assert_true (gtk_widget_activate_action (page, "cart.decrement", "s", beer->id));
  assert_total (fixture, 2 * water->price);
  g_assert_null (pdv_cart_find_line (cart, beer->id));
  g_assert_true (gtk_widget_activate_action (page, "cart.remove", "s", water->id));
  pdv_ui_test_settle ();
  g_assert_true (pdv_cart_is_empty (cart));
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 0);
  g_assert_cmpstr (pdv_sell_page_get_total_text (fixture->sell_page), ==, zero);

  /* Clear empties the whole sale at once. */
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, beer->id));
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, water->id));
  g_assert_true (gtk_widget_activate_action (page, "cart.clear", NULL));
  pdv_ui_test_settle ();
  g_assert_true (pdv_cart_is_empty (cart));
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 0);
  g_assert_cmpstr (pdv_sell_page_get_total_text (fixture->sell_page), ==, zero);
}

static guint
count_active_matching (Fixture    *fixture,
                       const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = pdv_catalog_list_products (fixture->catalog, NULL, FALSE, &error);
  g_autofree char *key = pdv_product_search_key (query);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < products->len; i++)
    {
      const PdvProduct *product = g_ptr_array_index (products, i);
      g_autofree char *name_key = pdv_product_search_key (product->name);

      if (strstr (name_key, key) != NULL)
        n++;
    }
  return n;
}

static void
test_sell_search (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) water_ids = NULL;

  /* Searching from inside another category still finds every beer. */
  g_assert_true (pdv_sell_page_select_category (fixture->sell_page, "drinks"));
  pdv_sell_page_search (fixture->sell_page, "cerveja");
  pdv_ui_test_settle ();

  ids = pdv_sell_page_list_visible_product_ids (fixture->sell_page);
  g_assert_cmpuint (ids->len, ==, 5);
  g_assert_cmpuint (ids->len, ==, count_active_matching (fixture, "cerveja"));
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PdvProduct) product = pdv_test_lookup_product (fixture->catalog, g_ptr_array_index (ids, i));
      g_autofree char *key = pdv_product_search_key (product->name);

      g_assert_nonnull (strstr (key, "cerveja"));
    }
  g_assert_false (ids_contain (ids, "CERV-CHOPP-400"));

  /* Neither case nor accents matter: "AGUA" finds "Água Mineral". */
  pdv_sell_page_search (fixture->sell_page, "AGUA");
  water_ids = pdv_sell_page_list_visible_product_ids (fixture->sell_page);
  g_assert_cmpuint (water_ids->len, ==, 3);
  g_assert_true (ids_contain (water_ids, "SA-AGUA-500"));
  g_assert_true (ids_contain (water_ids, "SA-AGUA-COCO-330"));

  pdv_sell_page_search (fixture->sell_page, "no such thing");
  g_assert_cmpuint (pdv_sell_page_count_visible_products (fixture->sell_page), ==, 0);

  pdv_sell_page_search (fixture->sell_page, "");
  g_assert_cmpuint (pdv_sell_page_count_visible_products (fixture->sell_page), ==,
                    count_active_products (fixture, NULL));
}

/* A big catalog: a search shows its best matches, the names that start
 * with what was typed first, and says how many more there are. */
static void
test_sell_search_big_catalog (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "more.json", NULL);
  g_autoptr(GString) json = g_string_new ("{\"format\": \"pdv-catalog\", \"version\": 1, \"products\": [");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  const char *hint;

  for (int i = 0; i < 150; i++)
    g_string_append_printf (json, "%s{\"id\": \"EXTRA-%03d\", \"name\": \"Copo Cerveja %d\", \"price\": 500, "
                            "\"category\": \"outros\", \"active\": true}", i ? ", " : "", i, i);
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, json->len, &error));
  g_assert_true (pdv_import_file (pdv_context_get_journal (fixture->context), path, PDV_IMPORT_KIND_AUTO, NULL, NULL,
                                  &error));
  g_assert_no_error (error);
  pdv_sell_page_reload (fixture->sell_page);
  g_assert_null (pdv_sell_page_get_search_hint (fixture->sell_page));

  pdv_sell_page_search (fixture->sell_page, "cerveja");
  pdv_ui_test_settle ();
  ids = pdv_sell_page_list_visible_product_ids (fixture->sell_page);
  g_assert_cmpuint (ids->len, ==, 60);
  /* "Cerveja Lata 350 ml" starts with it; "Copo Cerveja 0" only holds it. */
  g_assert_true (g_str_has_prefix (g_ptr_array_index (ids, 0), "CERV-"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (ids, 59), "EXTRA-"));
  hint = pdv_sell_page_get_search_hint (fixture->sell_page);
  g_assert_nonnull (hint);
  g_assert_nonnull (strstr (hint, "60 of 155"));
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "sell-search-big-catalog"));

  /* Narrowed down (Copo Cerveja 14 and 140–149, and any other with both
   * words): all of them, and no hint. */
  pdv_sell_page_search (fixture->sell_page, "cerveja 14");
  g_assert_cmpuint (pdv_sell_page_count_visible_products (fixture->sell_page), >=, 11);
  g_assert_cmpuint (pdv_sell_page_count_visible_products (fixture->sell_page), <, 60);
  g_assert_null (pdv_sell_page_get_search_hint (fixture->sell_page));
}

static void
test_shift_verify (Fixture       *fixture,
                   gconstpointer  user_data)
{
  PdvShiftPage *shift_page = PDV_SHIFT_PAGE (pdv_window_get_page (fixture->window, "shift"));
  gint64 last_seq = pdv_journal_get_last_seq (pdv_context_get_journal (fixture->context));
  g_autofree char *entries = g_strdup_printf ("%" G_GINT64_FORMAT, last_seq);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_cmpint (last_seq, >=, 5);
  g_assert_true (pdv_window_show_page (fixture->window, "shift"));
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_shift_page_get_entries_text (shift_page), ==, entries);
  g_assert_null (pdv_shift_page_get_verify_summary (shift_page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shift_page), "shift.verify-journal", NULL));
  while (pdv_shift_page_get_verifying (shift_page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      pdv_ui_test_run_main_loop_for (20);
    }
  g_assert_nonnull (pdv_shift_page_get_verify_summary (shift_page));
  g_assert_nonnull (strstr (pdv_shift_page_get_verify_summary (shift_page), "intact"));
  g_assert_nonnull (strstr (pdv_shift_page_get_verify_summary (shift_page), entries));
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  user_data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  static const char * const pages[] = { "sell", "checkin", "shift", "sync" };
  static const char * const sale[] = {
    "CERV-LATAO-473", "CERV-LATAO-473", "CERV-LATAO-473",
    "DRK-CAIP-LIMAO", "COM-PASTEL-QUEIJO", "COM-PASTEL-QUEIJO", "SA-AGUA-500",
  };
  PdvShiftPage *shift_page = PDV_SHIFT_PAGE (pdv_window_get_page (fixture->window, "shift"));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("page-%s", pages[i]);

      g_assert_true (pdv_window_show_page (fixture->window, pages[i]));
      g_object_unref (pdv_ui_test_save_screenshot (window, name));
    }

  g_assert_true (pdv_window_show_page (fixture->window, "sell"));
  for (guint i = 0; i < G_N_ELEMENTS (sale); i++)
    g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, sale[i]));
  g_object_unref (pdv_ui_test_save_screenshot (window, "sell-with-cart"));

  g_assert_true (pdv_sell_page_select_category (fixture->sell_page, "drinks"));
  g_object_unref (pdv_ui_test_save_screenshot (window, "sell-category-drinks"));

  pdv_sell_page_search (fixture->sell_page, "cerveja");
  g_object_unref (pdv_ui_test_save_screenshot (window, "sell-search-cerveja"));

  /* Last, as its toast would cover the other pages. */
  g_assert_true (pdv_window_show_page (fixture->window, "shift"));
  gtk_widget_activate_action (GTK_WIDGET (shift_page), "shift.verify-journal", NULL);
  while (pdv_shift_page_get_verifying (shift_page))
    pdv_ui_test_run_main_loop_for (20);
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-verified"));
}

/* A setting changed behind PDV's back: the window opens in alarm, on every
 * page and over the login too; sales go on, marked; once put right, Check
 * Again clears it. */
static void
test_tamper_alarm (Fixture       *fixture,
                   gconstpointer  user_data)
{
  PdvJournal *journal = pdv_context_get_journal (fixture->context);
  g_autoptr(PdvJournalEntry) raised = NULL;
  g_autoptr(PdvJournalEntry) sale = NULL;
  g_autoptr(PdvJournalEntry) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alarm = NULL;

  g_assert_true (pdv_window_shows_alarm (fixture->window));
  alarm = pdv_alarm_get (pdv_context_get_db (fixture->context));
  g_assert_nonnull (strstr (alarm, "cash_tolerance"));
  raised = pdv_test_journal_last_entry (journal);
  g_assert_cmpstr (raised->kind, ==, PDV_ENTRY_ALARM_RAISE);
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "tamper-alarm"));

  /* The till still sells; the sale is marked. */
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, "SA-AGUA-500"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sell_page), "sell.pay", NULL));
  {
    PdvPaymentWindow *payment = pdv_sell_page_get_payment_window (fixture->sell_page);
    PdvPaymentWindow *weak = payment;

    pdv_ui_test_wait_for_dialog (GTK_WINDOW (payment), GTK_WINDOW (fixture->window));
    g_object_add_weak_pointer (G_OBJECT (payment), (gpointer *) &weak);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (payment), "payment.cash-exact", NULL));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (payment), "payment.confirm", NULL));
    pdv_ui_test_wait_until (weak == NULL, 10);
  }
  sale = pdv_test_journal_last_entry (journal);
  g_assert_cmpstr (sale->kind, ==, PDV_ENTRY_SALE);
  g_assert_true (json_is_true (json_object_get (sale->payload, "alarm")));

  /* A manager sets it back through PDV; Check Again clears the alarm. */
  g_assert_true (pdv_shift_set_tolerance (pdv_context_get_db (fixture->context), 500, &error));
  g_assert_true (pdv_journal_record_setting (journal, "fernanda", "cash_tolerance", "R$ 5,00", &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.check-state", NULL));
  pdv_ui_test_wait_until (!pdv_window_is_checking_state (fixture->window), 60);
  pdv_ui_test_settle ();
  g_assert_false (pdv_window_shows_alarm (fixture->window));
  cleared = pdv_test_journal_last_entry (journal);
  g_assert_cmpstr (cleared->kind, ==, PDV_ENTRY_ALARM_CLEAR);
}

/* Out of stock: a blocking product cannot be tapped, a warning one still can. */
static void
test_sell_sold_out (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(PdvProduct) cap = pdv_test_lookup_product (fixture->catalog, "OUT-BONE");
  g_autoptr(PdvProduct) cup = pdv_test_lookup_product (fixture->catalog, "OUT-COPO-ECO");
  PdvCart *cart = pdv_sell_page_get_cart (fixture->sell_page);

  g_assert_cmpint (cap->stock, ==, 0);
  g_assert_cmpint (cap->stock_policy, ==, PDV_STOCK_POLICY_BLOCK);
  g_assert_cmpint (cup->stock, ==, 0);
  g_assert_cmpint (cup->stock_policy, ==, PDV_STOCK_POLICY_WARN);

  g_assert_true (pdv_sell_page_select_category (fixture->sell_page, "outros"));
  g_assert_cmpuint (pdv_sell_page_count_visible_products (fixture->sell_page), ==,
                    count_active_products (fixture, "outros"));

  g_assert_false (pdv_sell_page_tap_product (fixture->sell_page, cap->id));
  g_assert_null (pdv_cart_find_line (cart, cap->id));

  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, cup->id));
  g_assert_nonnull (pdv_cart_find_line (cart, cup->id));
  assert_total (fixture, cup->price);

  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "sell-sold-out"));
}

/* A terminal with nothing imported yet says so instead of showing a blank grid. */
static void
test_sell_empty_catalog (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_assert_cmpuint (count_active_products (fixture, NULL), ==, 0);
  g_assert_cmpuint (pdv_sell_page_count_visible_products (fixture->sell_page), ==, 0);
  g_assert_false (pdv_sell_page_tap_product (fixture->sell_page, "CERV-LATA-350"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "No Event Loaded");
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "sell-empty-catalog"));
}

/* A database that cannot be opened must leave a message a person can read. */
static void
test_error_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_dir = pdv_test_make_tmpdir ();
  g_autofree char *blocker = NULL;
  g_autofree char *db_path = NULL;
  PdvContext *context;
  PdvErrorWindow *window;

  blocker = g_build_filename (tmp_dir, "not-a-folder", NULL);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  db_path = g_build_filename (blocker, "terminal.db", NULL);

  context = pdv_context_open (db_path, &error);
  g_assert_null (context);
  g_assert_nonnull (error);

  window = pdv_error_window_new (GTK_APPLICATION (application), db_path, error);
  gtk_window_present (GTK_WINDOW (window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (window));
  g_assert_cmpstr (pdv_error_window_get_message (window), ==, error->message);
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (window), "error-window"));
  pdv_ui_test_destroy_window (GTK_WINDOW (window));

  pdv_test_remove_tree (tmp_dir);
}

/* The audit from the menu: a manager's PIN for whoever else asks, the
 * night's sensitive events newest first, filtered, exported. */
static void
test_audit (Fixture       *fixture,
            gconstpointer  user_data)
{
  PdvJournal *journal = pdv_context_get_journal (fixture->context);
  PdvDb *db = pdv_context_get_db (fixture->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) ana = NULL;
  g_autoptr(PdvUser) fernanda = NULL;
  g_autoptr(PdvUser) wrong = NULL;
  g_autofree char *sale_id = NULL;
  g_autofree char *csv_path = g_build_filename (fixture->tmp_dir, "audit.csv", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autofree char *csv = NULL;
  PdvManagerPrompt *prompt;
  PdvAuditWindow *audit;
  GPtrArray *events;

  g_assert_true (pdv_auth_find_user (db, "ana", &ana, &error));
  g_assert_true (pdv_auth_find_user (db, "fernanda", &fernanda, &error));
  g_assert_true (pdv_drawer_open (journal, ana, fernanda, "troco para o bar", &error));
  g_assert_no_error (error);
  wrong = pdv_auth_login (db, "ana", "0000", NULL);
  g_assert_null (wrong);
  sale_id = pdv_test_sell (fixture->context, "ana", NULL, "CERV-LATA-350", 2, PDV_PAYMENT_CASH);
  g_assert_true (pdv_sale_void (journal, sale_id, "ana", "9090", "cliente desistiu", &error));
  g_assert_no_error (error);

  /* The main menu offers it. */
  {
    GtkWidget *menu = pdv_ui_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON);

    g_assert_nonnull (menu);
    gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
    pdv_ui_test_settle ();
    g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu))),
                                                 "main-menu"));
    gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));
    pdv_ui_test_settle ();
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.audit", NULL));
  pdv_ui_test_settle ();
  prompt = PDV_MANAGER_PROMPT (pdv_ui_test_find_toplevel (PDV_TYPE_MANAGER_PROMPT));
  g_assert_nonnull (prompt);
  g_assert_true (pdv_ui_test_submit_manager_pin (prompt, "9090"));
  audit = PDV_AUDIT_WINDOW (pdv_ui_test_find_toplevel (PDV_TYPE_AUDIT_WINDOW));
  g_assert_nonnull (audit);
  pdv_ui_test_wait_for_window (GTK_WIDGET (audit));
  pdv_ui_test_wait_until (!pdv_audit_window_get_loading (audit), 20);
  events = pdv_audit_window_get_events (audit);
  g_assert_nonnull (events);
  g_assert_cmpuint (events->len, >=, 5);
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (audit), "audit"));

  /* Voids alone. */
  pdv_audit_window_set_filter (audit, PDV_AUDIT_VOIDS, NULL, 24);
  pdv_ui_test_wait_until (!pdv_audit_window_get_loading (audit), 20);
  events = pdv_audit_window_get_events (audit);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_nonnull (strstr (((PdvAuditEvent *) g_ptr_array_index (events, 0))->what, "cliente desistiu"));
  g_assert_true (pdv_audit_window_export (audit, csv_file, PDV_REPORT_FORMAT_CSV, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  /* For a spreadsheet: the UTF-8 mark first. */
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFtime"));
  g_assert_nonnull (strstr (csv, "sale.void"));
  g_assert_null (strstr (csv, "drawer.open"));
  pdv_ui_test_destroy_window (GTK_WINDOW (audit));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  application = pdv_ui_test_init (&argc, &argv, FALSE);

  g_test_add ("/app-window/titles", Fixture, NULL, fixture_set_up, test_window_titles, fixture_tear_down);
  g_test_add ("/app-window/about", Fixture, NULL, fixture_set_up, test_about, fixture_tear_down);
  g_test_add ("/app-window/audit", Fixture, NULL, fixture_set_up, test_audit, fixture_tear_down);
  g_test_add ("/app-window/tamper-alarm", Fixture, "tampered", fixture_set_up, test_tamper_alarm, fixture_tear_down);
  g_test_add ("/app-window/page-switching", Fixture, NULL, fixture_set_up, test_page_switching, fixture_tear_down);
  g_test_add ("/app-window/sell/active-products", Fixture, NULL, fixture_set_up, test_sell_shows_active_products, fixture_tear_down);
  g_test_add ("/app-window/sell/category", Fixture, NULL, fixture_set_up, test_sell_category_filter, fixture_tear_down);
  g_test_add ("/app-window/sell/cart", Fixture, NULL, fixture_set_up, test_sell_cart, fixture_tear_down);
  g_test_add ("/app-window/sell/search", Fixture, NULL, fixture_set_up, test_sell_search, fixture_tear_down);
  g_test_add ("/app-window/sell/search-big-catalog", Fixture, NULL, fixture_set_up, test_sell_search_big_catalog,
              fixture_tear_down);
  g_test_add ("/app-window/sell/empty-catalog", Fixture, "empty", fixture_set_up, test_sell_empty_catalog, fixture_tear_down);
  g_test_add ("/app-window/sell/sold-out", Fixture, "sold-out", fixture_set_up, test_sell_sold_out, fixture_tear_down);
  g_test_add ("/app-window/shift/verify", Fixture, NULL, fixture_set_up, test_shift_verify, fixture_tear_down);
  g_test_add ("/app-window/screenshots", Fixture, NULL, fixture_set_up, test_screenshots, fixture_tear_down);
  g_test_add_func ("/app-window/error-window", test_error_window);

  ret = g_test_run ();

  g_clear_object (&application);
  return ret;
}

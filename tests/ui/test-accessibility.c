/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-accessibility"

#include "config.h"

#include <string.h>

#include "pdv-application.h"
#include "pdv-checkin-page-private.h"
#include "pdv-core.h"
#include "pdv-manager-prompt.h"
#include "pdv-payment-window-private.h"
#include "pdv-preferences-window.h"
#include "pdv-sell-page-private.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* What a screen reader user and a keyboard user need:
 *  - every button without words on it (an icon) has a name a screen reader
 *    reads and a tooltip, in every window of the terminal;
 *  - Tab reaches every control of the sell and check-in pages, and wherever
 *    the focus is, it can be seen: on screen, scrolled into view, drawn;
 *  - the pages still fit at 1366×768 and 1024×600, also with large text
 *    (screenshots in the artefacts). */

static PdvApplication *application;

/* GtkSettings:gtk-xft-dpi is in 1024ths of a dot per inch; 96 is normal. */
#define NORMAL_DPI (96 * 1024)
#define LARGE_TEXT_DPI (96 * 1024 * 3 / 2)

typedef struct {
  char        *tmp_dir;
  PdvContext  *context;
  PdvWindow   *window;
  PdvSellPage *sell_page;
  PdvCheckinPage *checkin_page;
} Fixture;

typedef struct {
  int         width;
  int         height;
  gboolean    large_text;
} Layout;

static const Layout layouts[] = {
  { 1366, 768, FALSE },
  { 1366, 768, TRUE },
  { 1024, 600, FALSE },
  { 1024, 600, TRUE },
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const Layout *layout = user_data;
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T22:00:00-03:00", NULL);

  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi",
                layout != NULL && layout->large_text ? LARGE_TEXT_DPI : NORMAL_DPI, NULL);

  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);

  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  if (layout != NULL)
    gtk_window_set_default_size (GTK_WINDOW (fixture->window), layout->width, layout->height);
  fixture->sell_page = PDV_SELL_PAGE (pdv_window_get_page (fixture->window, "sell"));
  fixture->checkin_page = PDV_CHECKIN_PAGE (pdv_window_get_page (fixture->window, "checkin"));
  pdv_test_set_door_time (pdv_checkin_page_get_checkin (fixture->checkin_page), night);
  pdv_door_verdict_set_hold_time (pdv_checkin_page_get_verdict (fixture->checkin_page), 0);

  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->context);
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", NORMAL_DPI, NULL);

  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static void
fill_cart (Fixture *fixture)
{
  static const char * const products[] = { "CERV-LATAO-473", "CERV-LATAO-473", "DRK-CAIP-LIMAO", "DRK-GIN-TONICA" };

  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, products[i]));
  pdv_ui_test_settle ();
}

static void
admit_a_ticket (Fixture *fixture)
{
  PdvCameraScanner *scanner = pdv_door_camera_get_scanner (pdv_checkin_page_get_camera (fixture->checkin_page));
  guint before = pdv_checkin_page_get_n_scans (fixture->checkin_page);

  /* T000001 of the demo event: Emerson Santos, Camarote. */
  g_signal_emit_by_name (scanner, "code-detected", "huywXXFbkmSPxXCW3I1JUw");
  pdv_ui_test_wait_until (pdv_checkin_page_get_n_scans (fixture->checkin_page) > before &&
                          pdv_checkin_page_get_n_pending (fixture->checkin_page) == 0, 10);
  pdv_ui_test_settle ();
}

/* ---- Names and tooltips of buttons ------------------------------------- */

static void
test_buttons_window (Fixture       *fixture,
                     gconstpointer  user_data)
{
  fill_cart (fixture);
  admit_a_ticket (fixture);
  /* Every page is in the window's tree, shown or not. */
  pdv_ui_test_assert_buttons_named (GTK_WIDGET (fixture->window), "window");
}

static void
test_buttons_payment (Fixture       *fixture,
                      gconstpointer  user_data)
{
  static const char * const methods[] = { "cash", "card", "pix", "voucher" };
  PdvPaymentWindow *payment;

  fill_cart (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sell_page), "sell.pay", NULL));
  payment = pdv_sell_page_get_payment_window (fixture->sell_page);
  g_assert_nonnull (payment);
  pdv_ui_test_wait_for_window (GTK_WIDGET (payment));

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *what = g_strconcat ("payment, ", methods[i], NULL);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (payment), "payment.method", "s", methods[i]));
      pdv_ui_test_settle ();
      pdv_ui_test_assert_buttons_named (GTK_WIDGET (payment), what);
    }
  pdv_ui_test_destroy_window (GTK_WINDOW (payment));
}

static void
test_buttons_preferences (Fixture       *fixture,
                          gconstpointer  user_data)
{
  PdvSettings *settings = pdv_window_get_settings (fixture->window);
  PdvPreferencesWindow *preferences = pdv_preferences_window_new (GTK_WINDOW (fixture->window), settings, fixture->context);
  GtkWindow *prompt;

  gtk_window_present (GTK_WINDOW (preferences));
  pdv_ui_test_wait_for_window (GTK_WIDGET (preferences));
  pdv_ui_test_assert_buttons_named (GTK_WIDGET (preferences), "preferences");
  pdv_ui_test_destroy_window (GTK_WINDOW (preferences));

  prompt = pdv_preferences_window_request (GTK_WINDOW (fixture->window), settings, fixture->context);
  pdv_ui_test_wait_for_window (GTK_WIDGET (prompt));
  pdv_ui_test_assert_buttons_named (GTK_WIDGET (prompt), "manager PIN");
  pdv_ui_test_destroy_window (prompt);
}

/* ---- The focus chain ------------------------------------------------------ */

static gboolean
is_list (GtkWidget *widget)
{
  /* One Tab stop each; the arrow keys move inside. */
  return GTK_IS_LIST_VIEW (widget) || GTK_IS_GRID_VIEW (widget) || GTK_IS_LIST_BOX (widget) ||
         GTK_IS_FLOW_BOX (widget) || GTK_IS_COLUMN_VIEW (widget);
}

static gboolean
has_focusable_descendant (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) &&
        (gtk_widget_get_focusable (child) || has_focusable_descendant (child)))
      return TRUE;
  return FALSE;
}

static void
collect_controls (GtkWidget *widget,
                  GPtrArray *controls)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget) ||
      !gtk_widget_is_sensitive (widget) || !gtk_widget_get_can_focus (widget))
    return;
  if (is_list (widget))
    {
      /* An empty list is not a stop; one with rows is. */
      if (has_focusable_descendant (widget))
        g_ptr_array_add (controls, widget);
      return;
    }
  if (gtk_widget_get_focusable (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (controls, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_controls (child, controls);
}

static gboolean
intersects (GtkWidget *widget,
            GtkWidget *area)
{
  graphene_rect_t bounds, visible, overlap;

  if (!gtk_widget_compute_bounds (widget, area, &bounds))
    return FALSE;
  graphene_rect_init (&visible, 0, 0, gtk_widget_get_width (area), gtk_widget_get_height (area));
  return graphene_rect_intersection (&bounds, &visible, &overlap) && overlap.size.width >= 1 && overlap.size.height >= 1;
}

/* The focused widget can be seen: drawn, with a focus ring, on screen and
 * not scrolled away. */
static void
assert_focus_visible (GtkWindow *window,
                      GtkWidget *focus)
{
  g_autofree char *where = pdv_ui_test_describe_widget (focus);

  if (!gtk_widget_get_mapped (focus) || gtk_widget_get_width (focus) == 0 || gtk_widget_get_height (focus) == 0)
    {
      g_test_fail_printf ("the focus is on %s, which is not drawn", where);
      return;
    }
  /* Without a window manager the window may not be the active one, and
   * GTK then gives no widget "has-focus": the ring is drawn when the
   * window shows focus and this is its focus widget. */
  if (gtk_window_is_active (window) ? !gtk_widget_has_visible_focus (focus)
                                    : !gtk_window_get_focus_visible (window))
    g_test_fail_printf ("the focus is on %s, but its focus is not shown", where);
  if (!intersects (focus, GTK_WIDGET (window)))
    g_test_fail_printf ("the focus is on %s, outside the window", where);
  for (GtkWidget *w = gtk_widget_get_parent (focus); w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_SCROLLED_WINDOW (w) && !intersects (focus, w))
      g_test_fail_printf ("the focus is on %s, scrolled out of sight", where);
}

static void
assert_focus_chain (Fixture    *fixture,
                    const char *page_name)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  GtkWidget *page = pdv_window_get_page (fixture->window, page_name);
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) controls = g_ptr_array_new ();
  GtkWidget *first = NULL;
  guint n_stops = 0;
  guint n_missed = 0;

  g_assert_true (pdv_window_show_page (fixture->window, page_name));
  /* The window becoming active hides the focus until the next key press,
   * as GTK does; let that happen first (without a window manager it may
   * never become active). */
  for (guint i = 0; i < 50 && !gtk_window_is_active (window); i++)
    pdv_ui_test_run_main_loop_for (20);
  pdv_ui_test_settle ();
  gtk_window_set_focus (window, NULL);

  for (guint i = 0; i < 500; i++)
    {
      GtkWidget *focus;

      /* What the Tab key press itself does, before it moves the focus. */
      gtk_window_set_focus_visible (window, TRUE);
      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        {
          /* Past the last: Tab starts over, as GtkWindow does. */
          gtk_window_set_focus (window, NULL);
          g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
        }
      pdv_ui_test_run_main_loop_for (20);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      if (focus == first)
        break;
      if (first == NULL)
        first = focus;
      n_stops++;
      assert_focus_visible (window, focus);
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        g_hash_table_add (reached, w);
    }
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == first);

  collect_controls (page, controls);
  g_test_message ("%s: %u Tab stops in the window, %u controls on the page", page_name, n_stops, controls->len);
  g_assert_cmpuint (controls->len, >, 3);
  for (guint i = 0; i < controls->len; i++)
    if (!g_hash_table_contains (reached, g_ptr_array_index (controls, i)))
      {
        g_autofree char *where = pdv_ui_test_describe_widget (g_ptr_array_index (controls, i));

        g_test_message ("%s: Tab never reaches %s", page_name, where);
        n_missed++;
      }
  if (n_missed > 0)
    g_test_fail_printf ("%s: %u controls Tab never reaches (listed above)", page_name, n_missed);
}

static void
test_focus_sell (Fixture       *fixture,
                 gconstpointer  user_data)
{
  fill_cart (fixture);
  assert_focus_chain (fixture, "sell");
}

static void
test_focus_checkin (Fixture       *fixture,
                    gconstpointer  user_data)
{
  admit_a_ticket (fixture);
  assert_focus_chain (fixture, "checkin");
}

/* ---- Sizes and large text --------------------------------------------------- */

static GtkWidget *
find_by_css_class (GtkWidget  *widget,
                   const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_css_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_layout (Fixture       *fixture,
             gconstpointer  user_data)
{
  const Layout *layout = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  int height = gtk_widget_get_height (GTK_WIDGET (fixture->window));
  g_autofree char *sell_shot = NULL;
  g_autofree char *door_shot = NULL;
  GtkWidget *pay_button;

  g_test_message ("asked for %dx%d%s, got %dx%d", layout->width, layout->height,
                  layout->large_text ? " with large text" : "", width, height);
  /* Which page needs the room, when one is too big. */
  for (GtkWidget *page = gtk_widget_get_first_child (gtk_widget_get_parent (GTK_WIDGET (fixture->sell_page)));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    {
      int min_width, min_height;

      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
      g_test_message ("%s needs at least %dx%d", G_OBJECT_TYPE_NAME (page), min_width, min_height);
    }
  /* Nothing on the pages asks for more room than the screen has. */
  g_assert_cmpint (width, <=, layout->width);
  g_assert_cmpint (height, <=, layout->height);

  sell_shot = g_strdup_printf ("layout-sell-%dx%d%s", layout->width, layout->height, layout->large_text ? "-large-text" : "");
  door_shot = g_strdup_printf ("layout-checkin-%dx%d%s", layout->width, layout->height, layout->large_text ? "-large-text" : "");

  fill_cart (fixture);
  pay_button = pdv_ui_test_find_action_button (GTK_WIDGET (fixture->sell_page), "sell.pay");
  g_assert_nonnull (pay_button);
  pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), sell_shot);
  pdv_ui_test_assert_fully_shown (GTK_WIDGET (fixture->window), pay_button, "the Pay button");

  g_assert_true (pdv_window_show_page (fixture->window, "checkin"));
  admit_a_ticket (fixture);
  pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), door_shot);
  pdv_ui_test_assert_fully_shown (GTK_WIDGET (fixture->window),
                                  GTK_WIDGET (pdv_checkin_page_get_verdict (fixture->checkin_page)), "the verdict");
  {
    GtkWidget *mute = find_by_css_class (GTK_WIDGET (fixture->checkin_page), "door-tool");

    g_assert_nonnull (mute);
    pdv_ui_test_assert_fully_shown (GTK_WIDGET (fixture->window), mute, "the sound button");
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  application = pdv_ui_test_init (&argc, &argv, FALSE);
  pdv_ui_test_tolerate_switcher_warnings ();

  g_test_add ("/accessibility/buttons/window", Fixture, NULL, fixture_set_up, test_buttons_window, fixture_tear_down);
  g_test_add ("/accessibility/buttons/payment", Fixture, NULL, fixture_set_up, test_buttons_payment, fixture_tear_down);
  g_test_add ("/accessibility/buttons/preferences", Fixture, NULL, fixture_set_up, test_buttons_preferences, fixture_tear_down);
  g_test_add ("/accessibility/focus/sell", Fixture, NULL, fixture_set_up, test_focus_sell, fixture_tear_down);
  g_test_add ("/accessibility/focus/checkin", Fixture, NULL, fixture_set_up, test_focus_checkin, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/accessibility/layout/%dx%d%s", layouts[i].width, layouts[i].height,
                                               layouts[i].large_text ? "/large-text" : "/normal-text");

      g_test_add (path, Fixture, &layouts[i], fixture_set_up, test_layout, fixture_tear_down);
    }

  ret = g_test_run ();
  g_clear_object (&application);
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-drawer-lock"

#include "config.h"

#include <string.h>

#include "pdv-application.h"
#include "pdv-core.h"
#include "pdv-payment-window.h"
#include "pdv-sell-page-private.h"
#include "pdv-shift-page-private.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* The terminal between people: the cart someone left when it locked, the
 * idle lock while a payment is under way, the cash drawer opened without a
 * sale (a cashier needs a manager's PIN), and the header that says who is
 * logged in, at the sizes terminals have. */

static PdvApplication *application;

typedef struct {
  char         *tmp_dir;
  PdvContext   *context;
  PdvJournal   *journal;
  PdvSettings  *settings;
  PdvWindow    *window;
  PdvSellPage  *sell_page;
} Fixture;

static void
open_window (Fixture *fixture,
             int      width,
             int      height)
{
  fixture->window = pdv_ui_test_new_window (application, fixture->context, TRUE);
  fixture->sell_page = PDV_SELL_PAGE (pdv_window_get_page (fixture->window, "sell"));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);
  fixture->journal = pdv_context_get_journal (fixture->context);

  fixture->settings = pdv_application_get_settings (application);
  g_object_set (fixture->settings, "lock-timeout", 0u, NULL);
  open_window (fixture, 1280, 800);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_object_set (fixture->settings, "lock-timeout", 0u, NULL);
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->context);

  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static void
lock (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  g_assert_true (pdv_window_get_locked (fixture->window));
  pdv_ui_test_settle ();
}

/* Whether a label reading @text is on screen under @widget: how a toast
 * shows. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

static guint
cart_lines (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (pdv_sell_page_get_cart (fixture->sell_page)));
}

static void
test_cart_of_another_user (Fixture       *fixture,
                           gconstpointer  user_data)
{
  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, "CERV-LATA-350"));
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, "SA-AGUA-500"));
  g_assert_cmpuint (cart_lines (fixture), ==, 2);
  lock (fixture);

  /* Bruno does not sell what Ana left under his name: it is cleared, and
   * he is told whose it was. */
  pdv_ui_test_log_in (fixture->window, "bruno", "2222");
  g_assert_cmpuint (cart_lines (fixture), ==, 0);
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 0);
  g_assert_true (shows_label (GTK_WIDGET (fixture->window), "The unfinished sale of Ana Souza was cleared"));
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "lock-cart-cleared"));

  /* An empty cart needs no word. */
  lock (fixture);
  pdv_ui_test_log_in (fixture->window, "carla", "3333");
  g_assert_false (shows_label (GTK_WIDGET (fixture->window), "The unfinished sale of Bruno Carvalho was cleared"));
}

static void
test_cart_of_same_user (Fixture       *fixture,
                        gconstpointer  user_data)
{
  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, "CERV-LATA-350"));
  lock (fixture);

  /* Ana back from a break finds her sale as she left it. */
  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  g_assert_cmpuint (cart_lines (fixture), ==, 1);
  g_assert_false (shows_label (GTK_WIDGET (fixture->window), "The unfinished sale of Ana Souza was cleared"));

  /* Locked by itself this time, then a manager: not hers to finish. */
  pdv_ui_test_stop_clock (fixture->context);
  g_object_set (fixture->settings, "lock-timeout", 1u, NULL);
  pdv_ui_test_advance_clock (fixture->context, 1001 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (pdv_window_get_locked (fixture->window));
  g_object_set (fixture->settings, "lock-timeout", 0u, NULL);
  pdv_ui_test_log_in (fixture->window, "fernanda", "9090");
  g_assert_cmpuint (cart_lines (fixture), ==, 0);
  g_assert_true (shows_label (GTK_WIDGET (fixture->window), "The unfinished sale of Ana Souza was cleared"));
}

static void
test_idle_lock_waits_for_payment (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  PdvPaymentWindow *payment;

  pdv_ui_test_stop_clock (fixture->context);
  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, "CERV-LATA-350"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sell_page), "sell.pay", NULL));
  payment = pdv_sell_page_get_payment_window (fixture->sell_page);
  g_assert_nonnull (payment);
  pdv_ui_test_wait_for_window (GTK_WIDGET (payment));

  /* Waiting for the card machine takes longer than the idle time. */
  g_object_set (fixture->settings, "lock-timeout", 3u, NULL);
  pdv_ui_test_advance_clock (fixture->context, 4500 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (pdv_window_get_locked (fixture->window));
  pdv_ui_test_advance_clock (fixture->context, 60 * G_TIME_SPAN_SECOND);
  g_assert_false (pdv_window_get_locked (fixture->window));

  /* The idle time counts from when the payment window closed (the last
   * look while it was open, at most a second before), not from the sale. */
  pdv_ui_test_destroy_window (GTK_WINDOW (payment));
  /* The pointer's crossing into the main window, if any, is activity of
   * this moment, not of a later one. */
  pdv_ui_test_settle ();
  g_assert_false (pdv_window_get_locked (fixture->window));
  pdv_ui_test_advance_clock (fixture->context, 2 * G_TIME_SPAN_SECOND);
  g_assert_false (pdv_window_get_locked (fixture->window));
  pdv_ui_test_advance_clock (fixture->context, 1 * G_TIME_SPAN_SECOND);
  pdv_ui_test_advance_clock (fixture->context, 1 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (pdv_window_get_locked (fixture->window));
}

/* Types @pin into the drawer's manager prompt: TRUE when accepted. */
static gboolean
submit_pin (PdvDrawerOpener *opener,
            const char      *pin)
{
  PdvManagerPrompt *prompt = pdv_drawer_opener_get_manager_prompt (opener);

  g_assert_nonnull (prompt);
  pdv_ui_test_wait_for_window (GTK_WIDGET (prompt));
  g_signal_emit_by_name (pdv_manager_prompt_get_pin_pad (prompt), "submitted", pin);
  pdv_ui_test_wait_until (pdv_drawer_opener_get_manager_prompt (opener) == NULL ||
                          !pdv_manager_prompt_get_checking (prompt), 20);
  pdv_ui_test_settle ();
  return pdv_drawer_opener_get_manager_prompt (opener) == NULL;
}

/* Answers the reason dialog. */
static void
give_reason (PdvDrawerOpener *opener,
             const char      *reason)
{
  GtkWidget *dialog = pdv_drawer_opener_get_dialog (opener);

  g_assert_nonnull (dialog);
  pdv_ui_test_wait_for_window (dialog);
  gtk_editable_set_text (pdv_drawer_opener_get_reason_entry (opener), reason);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "open");
  pdv_ui_test_settle ();
}

static void
test_open_drawer_cashier (Fixture       *fixture,
                          gconstpointer  user_data)
{
  PdvDrawerOpener *opener = pdv_window_get_drawer_opener (fixture->window);
  PdvDb *db = pdv_context_get_db (fixture->context);
  g_autoptr(PdvUser) ana = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  PdvCashCount float_count;
  gint64 seq;

  /* Door staff have no drawer: the menu item is not there for them. */
  pdv_ui_test_log_in (fixture->window, "diego", "4444");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-drawer", NULL);
  g_assert_null (pdv_drawer_opener_get_dialog (opener));
  lock (fixture);

  /* Where sales need a shift, so does the drawer; nothing is asked. */
  g_assert_true (pdv_shift_set_required (db, TRUE, &error));
  g_assert_true (pdv_journal_record_setting (fixture->journal, NULL, "shifts_required", "yes", &error));
  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  seq = pdv_journal_get_last_seq (fixture->journal);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-drawer", NULL));
  g_assert_null (pdv_drawer_opener_get_dialog (opener));
  g_assert_nonnull (strstr (pdv_drawer_opener_get_last_message (opener), "No shift is open"));
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq);

  ana = pdv_auth_login (db, "ana", "1111", &error);
  g_assert_no_error (error);
  pdv_cash_count_init (&float_count);
  pdv_cash_count_add (&float_count, 0, 10000, NULL);
  g_assert_cmpint (pdv_shift_open (fixture->journal, ana, NULL, &float_count, &error), >, 0);
  g_assert_no_error (error);

  /* From the menu: a reason, then a manager's PIN; her own is refused. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-drawer", NULL));
  give_reason (opener, "troco para o caixa 2");
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (pdv_drawer_opener_get_manager_prompt (opener)),
                                               "drawer-manager-prompt"));
  g_assert_false (submit_pin (opener, "1111"));
  g_assert_nonnull (pdv_manager_prompt_get_error_text (pdv_drawer_opener_get_manager_prompt (opener)));
  g_assert_true (submit_pin (opener, "9090"));
  pdv_ui_test_wait_until (pdv_drawer_opener_get_n_printing (opener) == 0, 30);
  pdv_ui_test_settle ();

  /* The override and the opening, in that order, with both names. */
  seq = pdv_journal_get_last_seq (fixture->journal);
  entry = pdv_test_journal_entry_at (fixture->journal, seq);
  g_assert_cmpstr (entry->kind, ==, "drawer.open");
  g_assert_cmpstr (entry->user, ==, "ana");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authorised_by")), ==, "fernanda");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "reason")), ==, "troco para o caixa 2");
  g_clear_pointer (&entry, pdv_journal_entry_free);
  entry = pdv_test_journal_entry_at (fixture->journal, seq - 1);
  g_assert_cmpstr (entry->kind, ==, "auth.override");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "operator")), ==, "ana");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authoriser")), ==, "fernanda");

  /* These tests have no print server: said, and the record stays. */
  g_assert_cmpstr (pdv_drawer_opener_get_last_message (opener), ==,
                   "The opening is recorded, but there is no printer to open the drawer");
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq);

  /* Cancelled at the reason: nothing written. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-drawer", NULL));
  g_assert_nonnull (pdv_drawer_opener_get_dialog (opener));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (pdv_drawer_opener_get_dialog (opener)), "cancel");
  pdv_ui_test_settle ();
  g_assert_null (pdv_drawer_opener_get_manager_prompt (opener));
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq);

  /* Locking closes a prompt left open. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-drawer", NULL));
  give_reason (opener, "");
  g_assert_nonnull (pdv_drawer_opener_get_manager_prompt (opener));
  lock (fixture);
  g_assert_null (pdv_drawer_opener_get_manager_prompt (opener));
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq);
}

/* The mapped button under @widget that activates @action_name. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_open_drawer_manager (Fixture       *fixture,
                          gconstpointer  user_data)
{
  PdvDrawerOpener *opener = pdv_window_get_drawer_opener (fixture->window);
  PdvShiftPage *shift_page = PDV_SHIFT_PAGE (pdv_window_get_page (fixture->window, "shift"));
  g_autoptr(PdvJournalEntry) entry = NULL;
  GtkWidget *button;
  gint64 seq;

  pdv_ui_test_log_in (fixture->window, "fernanda", "9090");
  g_assert_true (pdv_window_show_page (fixture->window, "shift"));
  pdv_cash_counter_set_quantity (pdv_shift_page_get_float_counter (shift_page), 5000, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shift_page), "shift.open", NULL));
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_shift_page_get_state (shift_page), ==, "open");
  /* The shift is hers, not the terminal's. */
  entry = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (entry->kind, ==, "shift.open");
  g_assert_cmpstr (entry->user, ==, "fernanda");
  g_clear_pointer (&entry, pdv_journal_entry_free);

  /* The open shift's button; a manager needs nobody else. */
  button = find_action_button (GTK_WIDGET (shift_page), "win.open-drawer");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull (pdv_drawer_opener_get_dialog (opener));
  pdv_ui_test_wait_for_window (pdv_drawer_opener_get_dialog (opener));
  g_object_unref (pdv_ui_test_save_screenshot (pdv_drawer_opener_get_dialog (opener), "drawer-reason"));
  give_reason (opener, "");
  g_assert_null (pdv_drawer_opener_get_manager_prompt (opener));
  pdv_ui_test_wait_until (pdv_drawer_opener_get_n_printing (opener) == 0, 30);

  seq = pdv_journal_get_last_seq (fixture->journal);
  entry = pdv_test_journal_entry_at (fixture->journal, seq);
  g_assert_cmpstr (entry->kind, ==, "drawer.open");
  g_assert_cmpstr (entry->user, ==, "fernanda");
  g_assert_null (json_string_value (json_object_get (entry->payload, "authorised_by")));
  g_assert_null (json_string_value (json_object_get (entry->payload, "reason")));
  g_clear_pointer (&entry, pdv_journal_entry_free);
  entry = pdv_test_journal_entry_at (fixture->journal, seq - 1);
  g_assert_cmpstr (entry->kind, !=, "auth.override");
}

static void
import_long_named_manager (Fixture *fixture)
{
  static const char users[] =
    "{\"format\": \"pdv-users\", \"version\": 1, \"users\": ["
    "{\"id\": \"maria\", \"name\": \"Maria Aparecida dos Santos\", \"role\": \"manager\", \"pin\": \"7777\"}]}";
  g_autoptr(GError) error = NULL;

  pdv_import_data (fixture->journal, "users.json", users, strlen (users), PDV_IMPORT_KIND_AUTO, "admin", NULL,
                   &error);
  g_assert_no_error (error);
}

/* The user button's label, found inside it. */
static GtkLabel *
find_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_inside_window (Fixture   *fixture,
                      GtkWidget *widget)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (fixture->window)));
}

static void
test_header (Fixture       *fixture,
             gconstpointer  user_data)
{
  const char *name = "Maria Aparecida dos Santos";
  GtkWidget *button;
  GtkLabel *label;
  const char *tooltip;

  /* The login screen lists the users there are when it opens. */
  import_long_named_manager (fixture);
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  open_window (fixture, 1280, 800);

  /* 1280 wide: the four pages in the header, and the whole name. */
  pdv_ui_test_log_in (fixture->window, "maria", "7777");
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "header-1280-long-name"));
  button = pdv_window_get_user_button (fixture->window);
  g_assert_true (pdv_window_get_page_buttons_shown (fixture->window));
  label = find_label (button);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_label (label), ==, name);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  assert_inside_window (fixture, button);

  /* 1024 wide: still the four pages, and the name where it is always
   * whole: the tooltip (and what a screen reader reads). */
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  open_window (fixture, 1024, 600);
  pdv_ui_test_log_in (fixture->window, "maria", "7777");
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "header-1024-long-name"));
  button = pdv_window_get_user_button (fixture->window);
  g_assert_true (pdv_window_get_page_buttons_shown (fixture->window));
  tooltip = gtk_widget_get_tooltip_text (button);
  g_assert_nonnull (strstr (tooltip, name));
  label = find_label (button);
  g_assert_nonnull (label);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  assert_inside_window (fixture, button);
}

int
main (int   argc,
      char *argv[])
{
  application = pdv_ui_test_init (&argc, &argv, FALSE);
  /* The header test opens the window 1024 wide, where the view switcher
   * of GTK 4.8 and libadwaita 1.2 warns while it lays itself out. */
  pdv_ui_test_tolerate_switcher_warnings ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/drawer-lock/lock/cart-of-another-user", test_cart_of_another_user);
  ADD ("/drawer-lock/lock/cart-of-same-user", test_cart_of_same_user);
  ADD ("/drawer-lock/lock/idle-waits-for-payment", test_idle_lock_waits_for_payment);
  ADD ("/drawer-lock/drawer/cashier-with-manager", test_open_drawer_cashier);
  ADD ("/drawer-lock/drawer/manager", test_open_drawer_manager);
  ADD ("/drawer-lock/header/long-name", test_header);
#undef ADD

  return g_test_run ();
}

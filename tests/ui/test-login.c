/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-login"

#include "config.h"

#include "pdv-application.h"
#include "pdv-core.h"
#include "pdv-login-page.h"
#include "pdv-payment-window.h"
#include "pdv-sell-page-private.h"
#include "pdv-session.h"
#include "pdv-shift-page-private.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* The login screen the program opens on: who may use which page, wrong
 * PINs that lock, the terminal locking itself when left alone, and the
 * cashier recorded on what they sell. */

static PdvApplication *application;

typedef struct {
  char         *tmp_dir;
  PdvContext   *context;
  PdvSettings  *settings;
  PdvWindow    *window;
  PdvLoginPage *login_page;
} Fixture;

static void
open_window (Fixture *fixture)
{
  fixture->window = pdv_ui_test_new_window (application, fixture->context, TRUE);
  fixture->login_page = PDV_LOGIN_PAGE (pdv_window_get_login_page (fixture->window));
  g_assert_nonnull (fixture->login_page);

  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);

  fixture->settings = pdv_application_get_settings (application);
  g_object_set (fixture->settings, "lock-timeout", 0u, NULL);
  open_window (fixture);
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

static gboolean
page_shown (Fixture    *fixture,
            const char *page_name)
{
  GtkWidget *page = pdv_window_get_page (fixture->window, page_name);
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (page, ADW_TYPE_VIEW_STACK));

  return adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, page));
}

static void
assert_pages (Fixture  *fixture,
              gboolean  sell,
              gboolean  checkin,
              gboolean  shift,
              gboolean  sync)
{
  g_assert_cmpint (page_shown (fixture, "sell"), ==, sell);
  g_assert_cmpint (page_shown (fixture, "checkin"), ==, checkin);
  g_assert_cmpint (page_shown (fixture, "shift"), ==, shift);
  g_assert_cmpint (page_shown (fixture, "sync"), ==, sync);
}

static void
wait_until_checked (Fixture *fixture)
{
  pdv_ui_test_wait_until (!pdv_login_page_get_busy (fixture->login_page), 10);
}

static void
test_locked_at_start (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GdkTexture) shot = NULL;

  g_assert_true (pdv_window_get_locked (fixture->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->login_page)));
  /* Everyone in the demo's users.json. */
  g_assert_cmpuint (pdv_login_page_count_users (fixture->login_page), ==, 8);
  g_assert_false (gtk_widget_get_mapped (pdv_window_get_page (fixture->window, "sell")));
  g_assert_false (pdv_window_can (fixture->window, PDV_PERMISSION_SELL));
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "login-users");
  g_clear_object (&shot);

  g_assert_true (pdv_login_page_choose_user (fixture->login_page, "ana"));
  pdv_ui_test_settle ();
  g_assert_true (pdv_login_page_get_pin_enabled (fixture->login_page));
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "login-pin");
  g_clear_object (&shot);
}

static void
test_cashier (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GdkTexture) shot = NULL;

  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  assert_pages (fixture, TRUE, FALSE, TRUE, FALSE);
  g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), ==, "sell");
  g_assert_false (pdv_window_can (fixture->window, PDV_PERMISSION_SETTINGS));
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "login-header-cashier");
  g_clear_object (&shot);

  /* The header's button locks, for the next person. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  g_assert_true (pdv_window_get_locked (fixture->window));
  g_assert_null (pdv_login_page_get_chosen_user (fixture->login_page));
  g_assert_false (gtk_widget_get_mapped (pdv_window_get_page (fixture->window, "sell")));
}

static void
test_door (Fixture       *fixture,
           gconstpointer  user_data)
{
  pdv_ui_test_log_in (fixture->window, "diego", "4444");
  assert_pages (fixture, FALSE, TRUE, FALSE, FALSE);
  g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), ==, "checkin");
  g_assert_false (pdv_window_can (fixture->window, PDV_PERMISSION_SELL));
}

static void
test_manager (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GdkTexture) shot = NULL;

  pdv_ui_test_log_in (fixture->window, "fernanda", "9090");
  assert_pages (fixture, TRUE, TRUE, TRUE, TRUE);
  g_assert_true (pdv_window_can (fixture->window, PDV_PERMISSION_VOID));
  g_assert_true (pdv_window_can (fixture->window, PDV_PERMISSION_SETTINGS));
  g_assert_false (pdv_window_can (fixture->window, PDV_PERMISSION_ENROLL));
  g_assert_true (pdv_window_show_page (fixture->window, "sync"));
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "login-header-manager");
  g_clear_object (&shot);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  pdv_ui_test_log_in (fixture->window, "admin", "0000");
  assert_pages (fixture, TRUE, TRUE, TRUE, TRUE);
  g_assert_true (pdv_window_can (fixture->window, PDV_PERMISSION_SETTINGS));
}

static void
test_lockout (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GdkTexture) shot = NULL;
  const char *message;

  g_assert_true (pdv_login_page_choose_user (fixture->login_page, "bruno"));
  for (guint i = 1; i <= PDV_AUTH_MAX_FAILURES; i++)
    {
      pdv_login_page_type_pin (fixture->login_page, "9999");
      wait_until_checked (fixture);
      g_assert_true (pdv_window_get_locked (fixture->window));
      message = pdv_login_page_get_message (fixture->login_page);
      g_assert_nonnull (message);
      if (i < PDV_AUTH_MAX_FAILURES)
        {
          g_assert_cmpstr (message, ==, "Wrong PIN — try again");
          g_assert_true (pdv_login_page_get_pin_enabled (fixture->login_page));
        }
    }
  g_assert_true (g_str_has_prefix (message, "Too many wrong PINs — try again in "));
  g_assert_false (pdv_login_page_get_pin_enabled (fixture->login_page));
  pdv_ui_test_settle ();
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "login-lockout");
  g_clear_object (&shot);

  /* Someone else is not held up. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->login_page), "login.back", NULL));
  g_assert_true (pdv_login_page_choose_user (fixture->login_page, "carla"));
  g_assert_null (pdv_login_page_get_message (fixture->login_page));
  g_assert_true (pdv_login_page_get_pin_enabled (fixture->login_page));

  /* Closing the window and opening another does not lift the lock. */
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  open_window (fixture);
  g_assert_true (pdv_login_page_choose_user (fixture->login_page, "bruno"));
  message = pdv_login_page_get_message (fixture->login_page);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Too many wrong PINs — try again in "));
  g_assert_false (pdv_login_page_get_pin_enabled (fixture->login_page));
  g_assert_cmpint (pdv_auth_get_lockout (pdv_context_get_db (fixture->context), "bruno"), >, 0);
}

static void
test_auto_lock (Fixture       *fixture,
                gconstpointer  user_data)
{
  pdv_ui_test_stop_clock (fixture->context);
  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  /* Never, by default: nothing happens in an hour. */
  pdv_ui_test_advance_clock (fixture->context, G_TIME_SPAN_HOUR);
  g_assert_false (pdv_window_get_locked (fixture->window));

  /* The setting applies at once, with no restart: ana has been idle
   * longer than that already. */
  g_object_set (fixture->settings, "lock-timeout", 1u, NULL);
  pdv_ui_test_advance_clock (fixture->context, 1 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (pdv_window_get_locked (fixture->window));

  /* The idle time counts from the last use. */
  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  pdv_ui_test_advance_clock (fixture->context, 999 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (pdv_window_get_locked (fixture->window));
  pdv_ui_test_advance_clock (fixture->context, 1 * G_TIME_SPAN_MILLISECOND);
  pdv_ui_test_advance_clock (fixture->context, 1 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (pdv_window_get_locked (fixture->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->login_page)));
  g_assert_null (pdv_login_page_get_chosen_user (fixture->login_page));
  g_assert_null (pdv_session_get_user_id (pdv_window_get_session (fixture->window)));
}

static void
test_sale_records_cashier (Fixture       *fixture,
                           gconstpointer  user_data)
{
  PdvJournal *journal = pdv_context_get_journal (fixture->context);
  PdvSellPage *sell_page = PDV_SELL_PAGE (pdv_window_get_page (fixture->window, "sell"));
  PdvPaymentWindow *payment;
  PdvPaymentWindow *weak;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  PdvJournalEntry *entry;

  pdv_ui_test_log_in (fixture->window, "carla", "3333");
  g_assert_true (pdv_sell_page_tap_product (sell_page, "SA-AGUA-500"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sell_page), "sell.pay", NULL));
  payment = pdv_sell_page_get_payment_window (sell_page);
  g_assert_nonnull (payment);
  pdv_ui_test_wait_for_window (GTK_WIDGET (payment));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (payment), "payment.tender", "x", (gint64) 10000));
  weak = payment;
  g_object_add_weak_pointer (G_OBJECT (payment), (gpointer *) &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (payment), "payment.confirm", NULL));
  pdv_ui_test_wait_until (weak == NULL, 10);

  entries = pdv_journal_list (journal, pdv_journal_get_last_seq (journal) - 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->kind, ==, "sale");
  g_assert_cmpstr (entry->user, ==, "carla");
}

/* The shift page by role: a cashier runs the shift (the float, the count)
 * and sees no figures of the night; a manager sees the dashboard and the
 * reports, and what they leave on screen goes when a cashier logs in. */
static void
test_shift_page_by_role (Fixture       *fixture,
                         gconstpointer  user_data)
{
  PdvShiftPage *page = PDV_SHIFT_PAGE (pdv_window_get_page (fixture->window, "shift"));
  PdvDashboard *dashboard = pdv_shift_page_get_dashboard (page);
  PdvReportView *report_view = pdv_shift_page_get_report_view (page);
  PdvJournal *journal = pdv_context_get_journal (fixture->context);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  g_assert_true (pdv_window_show_page (fixture->window, "shift"));
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_shift_page_get_user (page)->id, ==, "ana");
  pdv_shift_page_show_view (page, "dashboard");
  pdv_ui_test_settle ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (dashboard)));
  g_assert_cmpuint (pdv_dashboard_get_n_refreshes (dashboard), ==, 0);

  /* She opens the shift, in her own name. */
  pdv_cash_counter_set_quantity (pdv_shift_page_get_float_counter (page), 5000, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "shift.open", NULL));
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "open");
  entries = pdv_journal_list (journal, pdv_journal_get_last_seq (journal) - 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PdvJournalEntry *) g_ptr_array_index (entries, 0))->kind, ==, "shift.open");
  g_assert_cmpstr (((PdvJournalEntry *) g_ptr_array_index (entries, 0))->user, ==, "ana");

  /* The X report takes a manager's PIN. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "shift.x-report", NULL));
  g_assert_nonnull (pdv_shift_page_get_manager_prompt (page));
  g_assert_null (pdv_report_view_get_report (report_view));
  pdv_ui_test_destroy_window (GTK_WINDOW (pdv_shift_page_get_manager_prompt (page)));
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "login-shift-cashier"));

  /* A manager: the dashboard, and the report straight away. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  pdv_ui_test_log_in (fixture->window, "fernanda", "9090");
  g_assert_true (pdv_window_show_page (fixture->window, "shift"));
  pdv_shift_page_show_view (page, "dashboard");
  pdv_ui_test_wait_until (pdv_dashboard_get_n_refreshes (dashboard) > 0 && !pdv_dashboard_get_loading (dashboard),
                          20);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dashboard)));
  pdv_shift_page_show_view (page, "shift");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "shift.x-report", NULL));
  pdv_ui_test_settle ();
  g_assert_null (pdv_shift_page_get_manager_prompt (page));
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "report");
  g_assert_nonnull (pdv_report_view_get_report (report_view));

  /* She locks with the report on screen; the cashier after her does not
   * find it there. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  g_assert_true (pdv_window_show_page (fixture->window, "shift"));
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "open");
  g_assert_null (pdv_report_view_get_report (report_view));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (dashboard)));
}

/* Where selling needs a shift and none is open, logging in to sell offers
 * to open one, and takes the cashier to the float count. */
static void
test_offers_shift (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;

  g_assert_true (pdv_shift_set_required (pdv_context_get_db (fixture->context), TRUE, &error));
  g_assert_true (pdv_journal_record_setting (pdv_context_get_journal (fixture->context), NULL, "shifts_required",
                                             "yes", &error));
  g_assert_no_error (error);
  pdv_ui_test_log_in (fixture->window, "ana", "1111");

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (fixture->window))
        dialog = ADW_MESSAGE_DIALOG (toplevel);
    }
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "No Shift Is Open");
  pdv_ui_test_wait_for_window (GTK_WIDGET (dialog));
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (dialog), "login-offers-shift");
  adw_message_dialog_response (dialog, "open");
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), ==, "shift");
}

int
main (int   argc,
      char *argv[])
{
  application = pdv_ui_test_init (&argc, &argv, FALSE);

  g_test_add ("/login/locked-at-start", Fixture, NULL, fixture_set_up, test_locked_at_start, fixture_tear_down);
  g_test_add ("/login/role/cashier", Fixture, NULL, fixture_set_up, test_cashier, fixture_tear_down);
  g_test_add ("/login/role/door", Fixture, NULL, fixture_set_up, test_door, fixture_tear_down);
  g_test_add ("/login/role/manager", Fixture, NULL, fixture_set_up, test_manager, fixture_tear_down);
  g_test_add ("/login/lockout", Fixture, NULL, fixture_set_up, test_lockout, fixture_tear_down);
  g_test_add ("/login/auto-lock", Fixture, NULL, fixture_set_up, test_auto_lock, fixture_tear_down);
  g_test_add ("/login/sale-records-cashier", Fixture, NULL, fixture_set_up, test_sale_records_cashier,
              fixture_tear_down);
  g_test_add ("/login/role/shift-page", Fixture, NULL, fixture_set_up, test_shift_page_by_role, fixture_tear_down);
  g_test_add ("/login/offers-shift", Fixture, NULL, fixture_set_up, test_offers_shift, fixture_tear_down);

  return g_test_run ();
}

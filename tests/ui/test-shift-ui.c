/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-shift-ui"

#include "config.h"

#include <string.h>

#include "pdv-application.h"
#include "pdv-core.h"
#include "pdv-shift-page-private.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* A cashier's shift on the manager's page: the float counted, sales, a
 * drop and a pay-in, the X report against the core's, the dashboard, and
 * the blind close with a difference only a manager may accept. */

static PdvApplication *application;
static const char *demo_dir;

typedef struct {
  char         *tmp_dir;
  PdvContext   *context;
  PdvJournal   *journal;
  PdvWindow    *window;
  PdvShiftPage *page;
  PdvUser      *cashier;
  PdvUser      *manager;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  PdvDb *db;

  fixture->tmp_dir = g_dir_make_tmp ("pdv-shift-ui-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (fixture->tmp_dir, "terminal.db", NULL);

  fixture->context = pdv_context_open (db_path, &error);
  g_assert_no_error (error);
  fixture->journal = pdv_context_get_journal (fixture->context);
  pdv_journal_initialise (fixture->journal, "Bar 1", &error);
  g_assert_no_error (error);
  pdv_context_load_demo (fixture->context, demo_dir, &error);
  g_assert_no_error (error);
  db = pdv_context_get_db (fixture->context);
  fixture->cashier = pdv_auth_login (db, "ana", "1111", &error);
  g_assert_no_error (error);
  fixture->manager = pdv_auth_login (db, "fernanda", "9090", &error);
  g_assert_no_error (error);

  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  fixture->page = PDV_SHIFT_PAGE (pdv_window_get_page (fixture->window, "shift"));
  pdv_shift_page_set_user (fixture->page, fixture->cashier);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
  g_assert_true (pdv_window_show_page (fixture->window, "shift"));
  pdv_ui_test_settle ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  pdv_user_free (fixture->cashier);
  pdv_user_free (fixture->manager);
  g_assert_finalize_object (fixture->context);

  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static void
activate (gpointer    widget,
          const char *action_name,
          const char *target)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (widget), action_name,
                                             target ? "s" : NULL, target));
  pdv_ui_test_settle ();
}

static void
sell (Fixture          *fixture,
      const char       *product_id,
      gint64            qty,
      PdvPaymentMethod  method)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(PdvProduct) product = pdv_catalog_lookup (pdv_context_get_catalog (fixture->context), product_id, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (product);
  pdv_sale_draft_add_line (draft, product_id, qty);
  pdv_sale_draft_add_payment (draft, method, qty * product->price, 0, NULL);
  result = pdv_sale_commit (fixture->journal, pdv_context_get_catalog (fixture->context), draft, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

/* Types @pin into the page's manager prompt: TRUE when it was accepted. */
static gboolean
submit_pin (Fixture    *fixture,
            const char *pin)
{
  PdvManagerPrompt *prompt = pdv_shift_page_get_manager_prompt (fixture->page);
  PdvManagerPrompt *weak = prompt;

  g_assert_nonnull (prompt);
  pdv_ui_test_wait_for_window (GTK_WIDGET (prompt));
  g_object_add_weak_pointer (G_OBJECT (prompt), (gpointer *) &weak);
  g_signal_emit_by_name (pdv_manager_prompt_get_pin_pad (prompt), "submitted", pin);
  pdv_ui_test_wait_until (weak == NULL || !pdv_manager_prompt_get_checking (weak), 20);
  pdv_ui_test_settle ();
  if (weak == NULL)
    return TRUE;
  g_object_remove_weak_pointer (G_OBJECT (prompt), (gpointer *) &weak);
  return FALSE;
}

/* Counts @amount in the widget, largest pieces first. */
static void
count_amount (PdvCashCounter *counter,
              PdvMoney        amount)
{
  pdv_cash_counter_reset (counter);
  for (guint i = 0; i < PDV_N_DENOMINATIONS; i++)
    {
      gint64 qty = amount / pdv_cash_denominations[i];

      pdv_cash_counter_set_quantity (counter, pdv_cash_denominations[i], qty);
      amount -= qty * pdv_cash_denominations[i];
    }
  g_assert_cmpint (amount, ==, 0);
}

static void
assert_label (GtkWidget  *label,
              const char *text)
{
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, text);
}

static char *
read_file (const char *path,
           gsize      *out_length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, out_length, &error);
  g_assert_no_error (error);
  return contents;
}

static void
exported_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **out_error = user_data;

  if (!pdv_report_view_export_finish (PDV_REPORT_VIEW (source_object), result, out_error))
    g_assert_nonnull (*out_error);
  g_object_set_data (source_object, "test-exported", GINT_TO_POINTER (TRUE));
}

static void
export (PdvReportView   *view,
        PdvReportFormat  format,
        const char      *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_object_set_data (G_OBJECT (view), "test-exported", NULL);
  pdv_report_view_export_async (view, format, file, NULL, exported_cb, &error);
  pdv_ui_test_wait_until (g_object_get_data (G_OBJECT (view), "test-exported") != NULL, 20);
  g_assert_no_error (error);
}

static void
test_shift_night (Fixture       *fixture,
                  gconstpointer  user_data)
{
  PdvShiftPage *page = fixture->page;
  PdvDb *db = pdv_context_get_db (fixture->context);
  PdvCashCounter *counter = pdv_shift_page_get_float_counter (page);
  PdvReportView *view = pdv_shift_page_get_report_view (page);
  PdvDashboard *dashboard = pdv_shift_page_get_dashboard (page);
  g_autoptr(PdvReport) core_report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *float_text = pdv_money_format (20500);
  g_autofree char *text = NULL;
  g_autofree char *csv_path = g_build_filename (fixture->tmp_dir, "x.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (fixture->tmp_dir, "x.pdf", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *net_text = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *short_text = NULL;
  PdvMoney expected = 0;
  gsize pdf_length = 0;
  double bar_sum = 0;
  GtkWidget *window = GTK_WIDGET (fixture->window);

  /* No shift: the float is counted by denomination. */
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "closed");
  pdv_cash_counter_set_quantity (counter, 10000, 1);
  pdv_cash_counter_set_quantity (counter, 2000, 5);
  pdv_cash_counter_set_quantity (counter, 50, 10);
  g_assert_cmpint (pdv_cash_counter_get_total (counter), ==, 20500);
  g_assert_cmpstr (pdv_cash_counter_get_total_text (counter), ==, float_text);
  pdv_ui_test_settle ();
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-float-count"));

  activate (page, "shift.open", NULL);
  g_assert_null (pdv_shift_page_get_error_text (page));
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "open");
  g_assert_cmpstr (pdv_shift_page_get_float_text (page), ==, float_text);
  g_assert_cmpint (pdv_cash_counter_get_total (counter), ==, 0);

  sell (fixture, "CERV-LATA-350", 6, PDV_PAYMENT_CASH);
  sell (fixture, "DRK-CAIP-LIMAO", 2, PDV_PAYMENT_CARD);
  sell (fixture, "SA-AGUA-500", 3, PDV_PAYMENT_PIX);

  /* The dialog behind the buttons. */
  activate (page, "shift.move-cash", "drop");
  g_assert_nonnull (pdv_shift_page_get_cash_dialog (page));
  gtk_window_destroy (GTK_WINDOW (pdv_shift_page_get_cash_dialog (page)));
  pdv_ui_test_settle ();

  /* A cashier may not open the drawer: a manager's PIN, then it is done. */
  pdv_shift_page_move_cash (page, PDV_CASH_MOVE_DROP, 5000, "cofre");
  g_assert_false (submit_pin (fixture, "1111"));
  g_assert_nonnull (pdv_manager_prompt_get_error_text (pdv_shift_page_get_manager_prompt (page)));
  g_assert_true (submit_pin (fixture, "9090"));
  pdv_shift_page_move_cash (page, PDV_CASH_MOVE_PAYIN, 2000, "troco");
  g_assert_true (submit_pin (fixture, "9090"));
  /* A reason is required: the core's message shows. */
  pdv_shift_page_move_cash (page, PDV_CASH_MOVE_PAYIN, 1000, "  ");
  g_assert_null (pdv_shift_page_get_manager_prompt (page));
  g_assert_nonnull (pdv_shift_page_get_error_text (page));
  activate (page, "shift.cancel-close", NULL);
  g_assert_null (pdv_shift_page_get_error_text (page));
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-open"));

  /* The X report, read with the manager's PIN, as the core has it. */
  activate (page, "shift.x-report", NULL);
  g_assert_true (submit_pin (fixture, "9090"));
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "report");
  core_report = pdv_report_new_x (db, fixture->manager, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdv_report_view_get_report (view));
  g_assert_cmpint (pdv_report_view_get_report (view)->sales_count, ==, core_report->sales_count);
  g_assert_cmpint (pdv_report_view_get_report (view)->net_total, ==, core_report->net_total);
  g_assert_cmpint (pdv_report_view_get_report (view)->drops_total, ==, 5000);
  g_assert_cmpint (pdv_report_view_get_report (view)->payins_total, ==, 2000);
  g_assert_cmpint (pdv_report_view_get_report (view)->expected_cash, ==, core_report->expected_cash);
  g_assert_cmpint (core_report->expected_cash, ==, 20500 + 6 * 1200 - 5000 + 2000);
  text = pdv_report_view_dup_text (view);
  net_text = pdv_money_format_brazilian (core_report->net_total, FALSE);
  expected_text = pdv_money_format_brazilian (core_report->expected_cash, FALSE);
  g_assert_nonnull (strstr (text, net_text));
  g_assert_nonnull (strstr (text, expected_text));
  pdv_ui_test_settle ();
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-x-report"));

  /* Saved as files, in a thread. */
  export (view, PDV_REPORT_FORMAT_CSV, csv_path);
  export (view, PDV_REPORT_FORMAT_PDF, pdf_path);
  csv = read_file (csv_path, NULL);
  g_assert_nonnull (strstr (csv, "CERV-LATA-350"));
  g_assert_nonnull (strstr (csv, "cofre"));
  pdf = read_file (pdf_path, &pdf_length);
  g_assert_cmpuint (pdf_length, >, 1000);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));

  /* The dashboard has the sales. */
  activate (page, "shift.done", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "open");
  pdv_shift_page_show_view (page, "dashboard");
  pdv_ui_test_wait_until (pdv_dashboard_get_n_refreshes (dashboard) > 0 && !pdv_dashboard_get_loading (dashboard), 20);
  g_free (net_text);
  net_text = pdv_money_format (core_report->net_total);
  g_assert_cmpstr (pdv_dashboard_get_revenue_text (dashboard), ==, net_text);
  g_assert_cmpstr (pdv_dashboard_get_sales_text (dashboard), ==, "3");
  g_assert_cmpuint (pdv_chart_get_n_bars (pdv_dashboard_get_sales_chart (dashboard)), >=, 1);
  for (guint i = 0; i < pdv_chart_get_n_bars (pdv_dashboard_get_sales_chart (dashboard)); i++)
    bar_sum += pdv_chart_get_value (pdv_dashboard_get_sales_chart (dashboard), i);
  g_assert_cmpfloat (bar_sum, ==, 3);
  g_assert_nonnull (gtk_widget_get_first_child (GTK_WIDGET (pdv_dashboard_get_stock_list (dashboard))));
  pdv_ui_test_settle ();
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-dashboard"));
  pdv_shift_page_show_view (page, "shift");

  /* The blind close: nothing of the expected cash before the count. */
  activate (page, "shift.start-close", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "closing");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (pdv_shift_page_get_expected_label (page))), ==, "");
  g_assert_false (gtk_widget_is_visible (pdv_shift_page_get_expected_label (page)));
  g_assert_true (pdv_shift_get_expected_cash (db, fixture->manager, &expected, &error));
  g_assert_no_error (error);

  /* R$ 10,00 short, beyond the tolerance: only a manager may accept it. */
  count_amount (pdv_shift_page_get_close_counter (page), expected - 1000);
  activate (page, "shift.close", NULL);
  g_assert_nonnull (pdv_shift_page_get_manager_prompt (page));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (pdv_shift_page_get_expected_label (page))), ==, "");
  g_assert_false (gtk_widget_is_visible (pdv_shift_page_get_expected_label (page)));
  g_assert_true (submit_pin (fixture, "9090"));

  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "result");
  g_assert_true (gtk_widget_is_visible (pdv_shift_page_get_expected_label (page)));
  g_free (expected_text);
  expected_text = pdv_money_format (expected);
  assert_label (pdv_shift_page_get_expected_label (page), expected_text);
  short_text = pdv_money_format (1000);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (pdv_shift_page_get_difference_label (page))), short_text));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (pdv_shift_page_get_difference_label (page))), "short"));
  g_assert_true (gtk_widget_has_css_class (pdv_shift_page_get_difference_label (page), "error"));
  pdv_ui_test_settle ();
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-close-result"));

  /* The Z report of the shift just closed. */
  activate (page, "shift.z-report", NULL);
  g_assert_true (submit_pin (fixture, "9090"));
  g_assert_cmpint (pdv_report_view_get_report (view)->kind, ==, PDV_REPORT_Z);
  g_assert_cmpint (pdv_report_view_get_report (view)->difference, ==, -1000);
  activate (page, "shift.done", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "closed");
}

static void
test_close_within_tolerance (Fixture       *fixture,
                             gconstpointer  user_data)
{
  PdvShiftPage *page = fixture->page;
  PdvMoney expected = 0;
  g_autoptr(GError) error = NULL;

  pdv_cash_counter_set_quantity (pdv_shift_page_get_float_counter (page), 5000, 2);
  activate (page, "shift.open", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "open");
  sell (fixture, "CERV-LATA-350", 1, PDV_PAYMENT_CASH);
  g_assert_true (pdv_shift_get_expected_cash (pdv_context_get_db (fixture->context), fixture->manager,
                                              &expected, &error));
  g_assert_no_error (error);

  /* R$ 2,00 over is within the tolerance: the cashier closes alone. */
  activate (page, "shift.start-close", NULL);
  count_amount (pdv_shift_page_get_close_counter (page), expected + 200);
  activate (page, "shift.close", NULL);
  g_assert_null (pdv_shift_page_get_manager_prompt (page));
  g_assert_null (pdv_shift_page_get_error_text (page));
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "result");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (pdv_shift_page_get_difference_label (page))), "over"));
  g_assert_true (gtk_widget_has_css_class (pdv_shift_page_get_difference_label (page), "warning"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  pdv_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  demo_dir = g_getenv ("PDV_DEMO_DIR");
  if (demo_dir == NULL || *demo_dir == '\0')
    {
      g_printerr ("PDV_DEMO_DIR is not set: point it at data/demo in the source tree\n");
      return 1;
    }
  pdv_ui_test_init_artefacts ();

  application = pdv_ui_test_init_application (FALSE);

  g_test_add ("/shift-ui/night", Fixture, NULL, fixture_set_up, test_shift_night, fixture_tear_down);
  g_test_add ("/shift-ui/close-within-tolerance", Fixture, NULL, fixture_set_up,
              test_close_within_tolerance, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&application);
  return ret;
}

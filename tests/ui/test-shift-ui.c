/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-shift-ui"

#include "config.h"

#include <string.h>

#include "pdv-application.h"
#include "pdv-core.h"
#include "pdv-report-view-private.h"
#include "pdv-shift-page-private.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* A cashier's shift on the manager's page: the float counted, sales, a
 * void, a drop and a pay-in, the X report against the core's and on screen
 * at the terminal's screen sizes, the dashboard, and the blind close with a
 * difference only a manager may accept. */

static PdvApplication *application;

/* GtkSettings:gtk-xft-dpi is in 1024ths of a dot per inch; 96 is normal. */
#define NORMAL_DPI (96 * 1024)
#define LARGE_TEXT_DPI (96 * 1024 * 3 / 2)

/* The terminal's screens, also with large text. */
typedef struct {
  int      width;
  int      height;
  gboolean large_text;
} ScreenSize;

static const ScreenSize screen_sizes[] = {
  { 1366, 768, FALSE },
  { 1024, 600, FALSE },
  { 1024, 600, TRUE },
};

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
  const ScreenSize *size = user_data;
  g_autoptr(GError) error = NULL;
  PdvDb *db;

  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi",
                size != NULL && size->large_text ? LARGE_TEXT_DPI : NORMAL_DPI, NULL);
  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);
  fixture->journal = pdv_context_get_journal (fixture->context);
  db = pdv_context_get_db (fixture->context);
  fixture->cashier = pdv_auth_login (db, "ana", "1111", &error);
  g_assert_no_error (error);
  fixture->manager = pdv_auth_login (db, "fernanda", "9090", &error);
  g_assert_no_error (error);

  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  fixture->page = PDV_SHIFT_PAGE (pdv_window_get_page (fixture->window, "shift"));
  pdv_session_log_in (pdv_window_get_session (fixture->window), fixture->cashier);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), size ? size->width : 1280, size ? size->height : 800);
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
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", NORMAL_DPI, NULL);

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
  g_free (pdv_test_sell (fixture->context, "ana", NULL, product_id, qty, method));
}

/* Types @pin into the page's manager prompt: TRUE when it was accepted. */
static gboolean
submit_pin (Fixture    *fixture,
            const char *pin)
{
  return pdv_ui_test_submit_manager_pin (pdv_shift_page_get_manager_prompt (fixture->page), pin);
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

/* The whole of @widget, also what is scrolled out of sight, on the window's
 * background: to look at a long report in one picture. */
static void
save_widget_screenshot (GtkWidget  *widget,
                        const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (pdv_ui_test_init_artefacts (), file_name, NULL);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA background = { 0.98f, 0.98f, 0.98f, 1.f };
  graphene_rect_t bounds;

  pdv_ui_test_settle ();
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (-12, -12, width + 24, height + 24));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node, &bounds);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
test_shift_night (Fixture       *fixture,
                  gconstpointer  user_data)
{
  PdvShiftPage *page = fixture->page;
  PdvDb *db = pdv_context_get_db (fixture->context);
  PdvCashCounter *counter = pdv_shift_page_get_float_counter (page);
  PdvReportView *view = pdv_shift_page_get_report_view (page);
  PdvReportSections *sections = pdv_report_view_get_sections (view);
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
  g_autofree char *voided = NULL;
  g_autofree char *payments = NULL;
  g_autofree char *cash_row = NULL;
  g_autofree char *cash_amount = NULL;
  g_autofree char *corrections = NULL;
  g_autofree char *void_row = NULL;
  g_autofree char *moves = NULL;
  g_autofree char *drop_text = NULL;
  g_autofree char *products = NULL;
  GtkWidget *difference_label;
  PdvMoney expected = 0;
  gsize pdf_length = 0;
  double bar_sum = 0;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T21:00:00-03:00", NULL);

  /* The event's night, on the terminal's one clock: the tickets' rules,
   * the journal and the dashboard's pace all read it. */
  pdv_clock_set_time (pdv_context_get_clock (fixture->context), night);

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
  /* Who opened it, by name. */
  g_assert_cmpstr (gtk_label_get_label (page->operator_label), ==, "Ana Souza");

  sell (fixture, "CERV-LATA-350", 6, PDV_PAYMENT_CASH);
  sell (fixture, "DRK-CAIP-LIMAO", 2, PDV_PAYMENT_CARD);
  voided = pdv_test_sell (fixture->context, "ana", NULL, "SA-AGUA-500", 3, PDV_PAYMENT_PIX);
  g_free (pdv_test_sell (fixture->context, "bruno", NULL, "DRK-GIN-TONICA", 1, PDV_PAYMENT_CARD));
  /* The water was the wrong order: a manager voids it. */
  g_assert_true (pdv_sale_void (fixture->journal, voided, "ana", "9090", "wrong order", &error));
  g_assert_no_error (error);

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

  /* On screen as tables: what the core counted, formatted as everywhere in
   * the terminal, with the void under its method and who authorised it. */
  payments = pdv_report_sections_dup_section_text (sections, "payments");
  g_assert_nonnull (payments);
  cash_amount = pdv_money_format (core_report->payments[PDV_PAYMENT_CASH].sales_amount);
  g_assert_cmpint (core_report->payments[PDV_PAYMENT_CASH].sales_amount, ==, 6 * 1200);
  cash_row = g_strdup_printf ("%s\t1\t%s\n", pdv_payment_method_label (PDV_PAYMENT_CASH), cash_amount);
  g_assert_nonnull (strstr (payments, cash_row));
  g_assert_nonnull (strstr (payments, "Voided\t1\t"));
  corrections = pdv_report_sections_dup_section_text (sections, "corrections");
  void_row = g_strdup_printf ("Voids — %s\t1\t", fixture->manager->name);
  g_assert_nonnull (strstr (corrections, void_row));
  moves = pdv_report_sections_dup_section_text (sections, "cash_moves");
  drop_text = pdv_money_format (5000);
  g_assert_nonnull (strstr (moves, "cofre"));
  g_assert_nonnull (strstr (moves, drop_text));
  products = pdv_report_sections_dup_section_text (sections, "products");
  /* In the report's order: the best seller first. */
  g_assert_cmpuint (core_report->products->len, ==, 3);
  g_assert_true (g_str_has_prefix (products, ((PdvReportRow *) g_ptr_array_index (core_report->products, 0))->label));
  g_assert_null (pdv_report_sections_dup_section_text (sections, "checkins_by_hour"));
  g_free (net_text);
  net_text = pdv_money_format (core_report->net_total);
  assert_label (pdv_report_sections_get_figure_label (sections, "net"), net_text);
  assert_label (pdv_report_sections_get_figure_label (sections, "count"), "4");
  g_free (expected_text);
  expected_text = pdv_money_format (core_report->expected_cash);
  assert_label (pdv_report_sections_get_figure_label (sections, "expected"), expected_text);
  /* Nothing of a count in an X report. */
  g_assert_false (gtk_widget_is_visible (pdv_report_sections_get_figure_label (sections, "difference")));

  pdv_ui_test_settle ();
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-x-report"));
  save_widget_screenshot (GTK_WIDGET (view), "shift-x-report-full");

  /* Saved as files, in a thread. */
  export (view, PDV_REPORT_FORMAT_CSV, csv_path);
  export (view, PDV_REPORT_FORMAT_PDF, pdf_path);
  csv = read_file (csv_path, NULL);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFsection"));
  /* The save dialog offers the two ways to write CSV, the spreadsheet's
   * first. */
  activate (view, "report.export", "csv");
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWindow *dialog = NULL;

    /* GTK keeps the list and its windows. */
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        GtkWindow *toplevel = g_list_model_get_item (toplevels, i);

        if (GTK_IS_FILE_CHOOSER (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
          dialog = toplevel;
        g_object_unref (toplevel);
      }
    g_assert_nonnull (dialog);
    g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "csv-format"), ==, "spreadsheet");
    pdv_ui_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (dialog)), 20);
    pdv_ui_test_settle ();
    g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (dialog), "report-export-csv"));
    gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
    pdv_ui_test_settle ();
  }
  g_assert_nonnull (strstr (csv, "CERV-LATA-350"));
  g_assert_nonnull (strstr (csv, "cofre"));
  pdf = read_file (pdf_path, &pdf_length);
  g_assert_cmpuint (pdf_length, >, 1000);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));

  /* The dashboard has the sales, for the manager: the cashier has none. */
  activate (page, "shift.done", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "open");
  pdv_shift_page_show_view (page, "dashboard");
  pdv_ui_test_settle ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (dashboard)));
  g_assert_cmpuint (pdv_dashboard_get_n_refreshes (dashboard), ==, 0);
  /* One ticket let in and one refused just now: the door's pace counts
   * only who got in, over the last ten minutes. */
  {
    g_autoptr(PdvCheckin) checkin = pdv_checkin_new (fixture->journal);

    pdv_clock_advance (pdv_context_get_clock (fixture->context), 30 * G_TIME_SPAN_MINUTE);
    pdv_test_scan_ticket (checkin, "huywXXFbkmSPxXCW3I1JUw");
    pdv_test_scan_ticket (checkin, "huywXXFbkmSPxXCW3I1JUw");
  }
  pdv_session_log_in (pdv_window_get_session (fixture->window), fixture->manager);
  pdv_shift_page_show_view (page, "dashboard");
  pdv_ui_test_wait_until (pdv_dashboard_get_n_refreshes (dashboard) > 0 && !pdv_dashboard_get_loading (dashboard), 20);
  {
    g_autofree char *pace = g_strdup_printf ("%.1f", 0.1);

    g_assert_cmpstr (pdv_dashboard_get_checkins_text (dashboard), ==, pace);
  }
  g_free (net_text);
  net_text = pdv_money_format (core_report->net_total);
  g_assert_cmpstr (pdv_dashboard_get_revenue_text (dashboard), ==, net_text);
  g_assert_cmpstr (pdv_dashboard_get_sales_text (dashboard), ==, "4");
  g_assert_cmpuint (pdv_chart_get_n_bars (pdv_dashboard_get_sales_chart (dashboard)), >=, 1);
  for (guint i = 0; i < pdv_chart_get_n_bars (pdv_dashboard_get_sales_chart (dashboard)); i++)
    bar_sum += pdv_chart_get_value (pdv_dashboard_get_sales_chart (dashboard), i);
  g_assert_cmpfloat (bar_sum, ==, 4);
  g_assert_nonnull (gtk_widget_get_first_child (GTK_WIDGET (pdv_dashboard_get_stock_list (dashboard))));
  pdv_ui_test_settle ();
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-dashboard"));
  pdv_shift_page_show_view (page, "shift");
  pdv_session_log_in (pdv_window_get_session (fixture->window), fixture->cashier);

  /* The blind close: nothing of the expected cash before the count. */
  activate (page, "shift.start-close", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "closing");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (pdv_shift_page_get_expected_label (page))), ==, "");
  g_assert_false (gtk_widget_is_visible (pdv_shift_page_get_expected_label (page)));
  g_assert_true (pdv_shift_get_expected_cash (db, fixture->manager, &expected, &error));
  g_assert_no_error (error);

  /* R$ 20,00 short, then given up: both the count and the giving up are
   * on record, and nothing of the expected cash showed. */
  count_amount (pdv_shift_page_get_close_counter (page), expected - 2000);
  activate (page, "shift.close", NULL);
  g_assert_nonnull (pdv_shift_page_get_manager_prompt (page));
  g_assert_false (gtk_widget_is_visible (pdv_shift_page_get_expected_label (page)));
  pdv_ui_test_destroy_window (GTK_WINDOW (pdv_shift_page_get_manager_prompt (page)));
  activate (page, "shift.cancel-close", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "open");
  {
    g_autoptr(PdvJournalEntry) cancelled = pdv_test_journal_last_entry (fixture->journal);
    g_autoptr(GPtrArray) before = pdv_journal_list (fixture->journal, cancelled->seq - 2, 1, &error);
    PdvJournalEntry *refused = g_ptr_array_index (before, 0);

    g_assert_cmpstr (refused->kind, ==, "shift.count");
    g_assert_cmpstr (json_string_value (json_object_get (refused->payload, "outcome")), ==, "needs_manager");
    g_assert_cmpstr (cancelled->kind, ==, "shift.count");
    g_assert_cmpstr (json_string_value (json_object_get (cancelled->payload, "outcome")), ==, "cancelled");
    g_assert_cmpint (json_integer_value (json_object_get (cancelled->payload, "count_seq")), ==, refused->seq);
  }
  activate (page, "shift.start-close", NULL);

  /* R$ 10,00 short, beyond the tolerance: a manager recounts, and the
   * recount closes the shift. */
  count_amount (pdv_shift_page_get_close_counter (page), expected - 1000);
  activate (page, "shift.close", NULL);
  g_assert_nonnull (pdv_shift_page_get_manager_prompt (page));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (pdv_shift_page_get_expected_label (page))), ==, "");
  g_assert_false (gtk_widget_is_visible (pdv_shift_page_get_expected_label (page)));
  g_assert_true (submit_pin (fixture, "9090"));
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "closing");
  g_assert_false (gtk_widget_is_visible (pdv_shift_page_get_expected_label (page)));
  pdv_ui_test_settle ();
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-recount"));
  count_amount (pdv_shift_page_get_close_counter (page), expected - 1000);
  activate (page, "shift.close", NULL);

  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "result");
  {
    g_autoptr(PdvJournalEntry) closed = pdv_test_journal_last_entry (fixture->journal);

    g_assert_cmpstr (closed->kind, ==, "shift.close");
    g_assert_cmpstr (json_string_value (json_object_get (closed->payload, "recounted_by")), ==, "fernanda");
    g_assert_cmpint (json_integer_value (json_object_get (closed->payload, "first_counted")), ==, expected - 1000);
    g_assert_cmpint (json_integer_value (json_object_get (closed->payload, "recount_of")), >, 0);
  }
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
  /* Beyond the tolerance, with a manager's word: in the colour of an error. */
  difference_label = pdv_report_sections_get_figure_label (sections, "difference");
  g_assert_true (gtk_widget_is_visible (difference_label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (difference_label)), short_text));
  g_assert_true (gtk_widget_has_css_class (difference_label, "error"));
  g_object_unref (pdv_ui_test_save_screenshot (window, "shift-z-report"));
  save_widget_screenshot (GTK_WIDGET (view), "shift-z-report-full");
  activate (page, "shift.done", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "closed");
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_accessible_label (GtkWidget  *widget,
                         const char *expected)
{
  g_autofree char *mismatch = NULL;

  g_assert_nonnull (widget);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL));
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (mismatch);
}

/* A busy X report read on each of the terminal's screens: it fits the
 * width and scrolls; screenshots of the window and of the whole report. */
static void
test_x_report_on_screen (Fixture       *fixture,
                         gconstpointer  user_data)
{
  const ScreenSize *size = user_data;
  PdvShiftPage *page = fixture->page;
  PdvReportView *view = pdv_shift_page_get_report_view (page);
  PdvReportSections *sections = pdv_report_view_get_sections (view);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(PdvCheckin) checkin = pdv_checkin_new (fixture->journal);
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T21:30:00-03:00", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *voided = NULL;
  g_autofree char *refunded = NULL;
  g_autofree char *name = g_strdup_printf ("shift-x-report-%dx%d%s", size->width, size->height,
                                          size->large_text ? "-large-text" : "");
  g_autofree char *full_name = g_strconcat (name, "-full", NULL);
  g_autofree char *payments = NULL;
  g_autofree char *card_amount = NULL;
  g_autofree char *card_row = NULL;
  g_autofree char *gates = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *net_sentence = NULL;
  g_autofree char *net_amount = NULL;

  pdv_cash_counter_set_quantity (pdv_shift_page_get_float_counter (page), 5000, 2);
  activate (page, "shift.open", NULL);
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "open");

  sell (fixture, "CERV-LATA-350", 6, PDV_PAYMENT_CASH);
  sell (fixture, "CERV-LATAO-473", 4, PDV_PAYMENT_CARD);
  sell (fixture, "DRK-CAIP-LIMAO", 2, PDV_PAYMENT_CARD);
  g_free (pdv_test_sell (fixture->context, "bruno", NULL, "DRK-GIN-TONICA", 3, PDV_PAYMENT_PIX));
  g_free (pdv_test_sell (fixture->context, "bruno", "fernanda", "SA-AGUA-500", 5, PDV_PAYMENT_VOUCHER));
  voided = pdv_test_sell (fixture->context, "ana", NULL, "CERV-LATAO-473", 2, PDV_PAYMENT_CASH);
  refunded = pdv_test_sell (fixture->context, "bruno", NULL, "DRK-CAIP-LIMAO", 1, PDV_PAYMENT_CARD);
  g_assert_true (pdv_sale_void (fixture->journal, voided, "ana", "9090", "wrong beer", &error));
  g_assert_no_error (error);
  g_assert_true (pdv_sale_refund (fixture->journal, refunded, 1000, PDV_PAYMENT_CARD, "bruno", "9090", "warm",
                                  &error));
  g_assert_no_error (error);
  g_assert_true (pdv_shift_drop (fixture->journal, fixture->manager, NULL, 5000, "cofre", &error));
  g_assert_no_error (error);
  g_assert_true (pdv_shift_payin (fixture->journal, fixture->manager, NULL, 2000, "troco", &error));
  g_assert_no_error (error);

  pdv_test_set_door_time (checkin, night);
  pdv_checkin_set_gate (checkin, "Portão 1");
  pdv_test_scan_ticket (checkin, "huywXXFbkmSPxXCW3I1JUw");
  pdv_test_scan_ticket (checkin, "2aeDWQLBiYXbwAD8JvF6Bg");
  pdv_test_scan_ticket (checkin, "huywXXFbkmSPxXCW3I1JUw");   /* already inside */
  pdv_checkin_set_gate (checkin, "Portão 2");
  pdv_test_scan_ticket (checkin, "not-a-ticket");

  activate (page, "shift.x-report", NULL);
  g_assert_true (submit_pin (fixture, "9090"));
  g_assert_cmpstr (pdv_shift_page_get_state (page), ==, "report");

  payments = pdv_report_sections_dup_section_text (sections, "payments");
  g_assert_nonnull (payments);
  card_amount = pdv_money_format (pdv_report_view_get_report (view)->payments[PDV_PAYMENT_CARD].sales_amount);
  card_row = g_strdup_printf ("%s\t3\t%s\n", pdv_payment_method_label (PDV_PAYMENT_CARD), card_amount);
  g_assert_nonnull (strstr (payments, card_row));
  g_assert_nonnull (strstr (payments, "Refunded\t1\t"));
  gates = pdv_report_sections_dup_section_text (sections, "checkins_by_gate");
  g_assert_nonnull (gates);
  g_assert_true (g_str_has_prefix (gates, "Portão 1\t2\t0\t1\n"));

  /* A screen reader reads a row, or a large figure, as one sentence. */
  sentence = g_strdup_printf ("%s, Qty 3, Amount %s", pdv_payment_method_label (PDV_PAYMENT_CARD), card_amount);
  assert_accessible_label (find_label (GTK_WIDGET (sections), pdv_payment_method_label (PDV_PAYMENT_CARD)),
                           sentence);
  net_amount = pdv_money_format (pdv_report_view_get_report (view)->net_total);
  net_sentence = g_strdup_printf ("Net sales: %s", net_amount);
  assert_accessible_label (pdv_report_sections_get_figure_label (sections, "net"), net_sentence);

  /* It fits the width of the screen; the page scrolls for the rest. */
  g_assert_cmpint (gtk_widget_get_width (window), <=, size->width);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), <, size->width);
  g_object_unref (pdv_ui_test_save_screenshot (window, name));
  save_widget_screenshot (GTK_WIDGET (view), full_name);
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
  int ret;

  application = pdv_ui_test_init (&argc, &argv, FALSE);
  pdv_ui_test_tolerate_switcher_warnings ();

  g_test_add ("/shift-ui/night", Fixture, NULL, fixture_set_up, test_shift_night, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (screen_sizes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/shift-ui/x-report/%dx%d%s", screen_sizes[i].width,
                                               screen_sizes[i].height,
                                               screen_sizes[i].large_text ? "-large-text" : "");

      g_test_add (path, Fixture, &screen_sizes[i], fixture_set_up, test_x_report_on_screen, fixture_tear_down);
    }
  g_test_add ("/shift-ui/close-within-tolerance", Fixture, NULL, fixture_set_up,
              test_close_within_tolerance, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&application);
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvClock   *clock;
  PdvUser    *manager;
  PdvUser    *cashier;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T21:00:00-03:00", NULL);
  g_autoptr(GError) error = NULL;

  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->clock = pdv_context_get_clock (f->context);
  pdv_clock_set_time (f->clock, night);
  f->manager = pdv_auth_login (pdv_context_get_db (f->context), "fernanda", "9090", &error);
  g_assert_no_error (error);
  f->cashier = pdv_auth_login (pdv_context_get_db (f->context), "ana", "1111", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  pdv_user_free (f->manager);
  pdv_user_free (f->cashier);
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static PdvDashboardData *
collect (Fixture       *f,
         const PdvUser *reader)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = pdv_clock_get_now (f->clock, NULL);
  PdvDashboardData *data = pdv_dashboard_data_collect (f->context, reader, now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static const PdvStockForecast *
find_forecast (PdvDashboardData *data,
               const char       *product_id)
{
  for (guint i = 0; i < data->stock->len; i++)
    {
      const PdvStockForecast *forecast = g_ptr_array_index (data->stock, i);

      if (g_str_equal (forecast->product_id, product_id))
        return forecast;
    }
  g_error ("no forecast for %s", product_id);
}

/* The rolling hour, the door's pace over ten minutes, the shift's totals
 * and the stock's run-out at the last half hour's pace (combos included),
 * as the clock moves on. */
static void
test_dashboard_figures (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckin) checkin = pdv_checkin_new (pdv_context_get_journal (f->context));
  PdvCashCount float_count;
  gint64 stock_before = pdv_test_stock_of (pdv_context_get_catalog (f->context), "CERV-LATA-350");
  PdvMoney price = pdv_test_price_of (pdv_context_get_catalog (f->context), "CERV-LATA-350");

  pdv_cash_count_init (&float_count);
  g_assert_true (pdv_cash_count_add (&float_count, 0, 20000, &error));
  g_assert_cmpint (pdv_shift_open (pdv_context_get_journal (f->context), f->cashier, NULL, &float_count, &error),
                   >, 0);
  g_assert_no_error (error);

  /* 21:00: two sales of 10 cans: a pace over the last half hour. */
  g_free (pdv_test_sell (f->context, "ana", NULL, "CERV-LATA-350", 10, PDV_PAYMENT_CARD));
  g_free (pdv_test_sell (f->context, "ana", NULL, "CERV-LATA-350", 10, PDV_PAYMENT_CARD));
  {
    g_autoptr(PdvDashboardData) figures = collect (f, f->manager);
    const PdvStockForecast *cans = find_forecast (figures, "CERV-LATA-350");
    g_autofree char *basis = pdv_stock_forecast_describe_basis (cans);

    g_assert_cmpint (cans->sold_in_window, ==, 20);
    g_assert_cmpfloat_with_epsilon (cans->per_minute, 20 / 30.0, 1e-9);
    g_assert_cmpint (cans->minutes_left, ==, (gint64) ((stock_before - 20) / (20 / 30.0)));
    g_assert_cmpstr (basis, ==, "20 sold in the last 30 min");
  }

  /* 21:50: a bucket of 10 cans, a mojito, and two people in. */
  pdv_clock_advance (f->clock, 50 * G_TIME_SPAN_MINUTE);
  g_free (pdv_test_sell (f->context, "ana", NULL, "CMB-BALDE-10-LATA", 1, PDV_PAYMENT_CARD));
  g_free (pdv_test_sell (f->context, "ana", NULL, "DRK-MOJITO", 1, PDV_PAYMENT_PIX));
  pdv_test_scan_ticket (checkin, "huywXXFbkmSPxXCW3I1JUw");
  pdv_test_scan_ticket (checkin, "2aeDWQLBiYXbwAD8JvF6Bg");
  /* The same ticket again is refused: it is not a person more. */
  pdv_test_scan_ticket (checkin, "2aeDWQLBiYXbwAD8JvF6Bg");

  {
    g_autoptr(PdvDashboardData) figures = collect (f, f->manager);
    const PdvReportRow *top = g_ptr_array_index (figures->top_products, 0);
    const PdvStockForecast *cans = find_forecast (figures, "CERV-LATA-350");
    PdvCatalog *catalog = pdv_context_get_catalog (f->context);

    g_assert_cmpint (figures->sales_count, ==, 4);
    g_assert_cmpint (figures->sales_last_hour, ==, 4);
    g_assert_cmpint (figures->revenue, ==, 20 * price + pdv_test_price_of (catalog, "CMB-BALDE-10-LATA") +
                                           pdv_test_price_of (catalog, "DRK-MOJITO"));
    g_assert_cmpfloat_with_epsilon (figures->checkins_per_minute, 0.2, 1e-9);
    g_assert_cmpint (figures->inside, ==, 2);
    g_assert_cmpstr (top->key, ==, "CERV-LATA-350");
    g_assert_cmpint (top->count, ==, 20);
    /* The 21:00 sales left the half hour; the bucket's 10 cans are in it. */
    g_assert_cmpint (cans->stock, ==, stock_before - 30);
    g_assert_cmpint (cans->sold_in_window, ==, 10);
    g_assert_cmpfloat_with_epsilon (cans->per_minute, 10 / 30.0, 1e-9);
    g_assert_cmpint (cans->minutes_left, ==, (gint64) ((stock_before - 30) / (10 / 30.0)));
    g_assert_false (cans->alert);
  }

  /* 22:25: nothing in the last half hour, and a few sales make no pace. */
  pdv_clock_advance (f->clock, 35 * G_TIME_SPAN_MINUTE);
  g_free (pdv_test_sell (f->context, "ana", NULL, "CERV-LATA-350", 3, PDV_PAYMENT_CARD));
  {
    g_autoptr(PdvDashboardData) figures = collect (f, f->manager);
    const PdvStockForecast *cans = find_forecast (figures, "CERV-LATA-350");
    g_autofree char *left = pdv_stock_forecast_describe (cans);

    /* The 21:00 sales left the hour too. */
    g_assert_cmpint (figures->sales_last_hour, ==, 3);
    g_assert_cmpfloat (figures->checkins_per_minute, ==, 0);
    g_assert_cmpint (cans->sold_in_window, ==, 3);
    g_assert_cmpint (cans->minutes_left, ==, -1);
    g_assert_cmpstr (left, ==, "Too few sales to tell");
  }
}

/* The figures are a report's: a cashier may not read them. */
static void
test_dashboard_needs_report_right (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = pdv_clock_get_now (f->clock, NULL);
  g_autoptr(PdvDashboardData) figures = pdv_dashboard_data_collect (f->context, f->cashier, now, &error);

  g_assert_null (figures);
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
}

/* pdvctl dashboard: the same figures, with a manager's PIN. */
static void
test_dashboard_pdvctl (Fixture       *f,
                       gconstpointer  data)
{
  const char *db = pdv_db_get_path (pdv_context_get_db (f->context));
  g_auto(PdvTestRun) run = { 0 };
  g_auto(PdvTestRun) refused = { 0 };
  g_autoptr(json_t) body = NULL;

  g_free (pdv_test_sell (f->context, "ana", NULL, "CERV-LATA-350", 2, PDV_PAYMENT_CARD));
  pdv_test_pdvctl (db, NULL, &run, (const char *[]) { "--json", "dashboard", "--pin", "9090", NULL });
  g_assert_cmpint (run.status, ==, 0);
  body = json_loads (run.out, 0, NULL);
  g_assert_nonnull (body);
  g_assert_true (json_is_true (json_object_get (body, "ok")));
  g_assert_cmpint (json_integer_value (json_object_get (body, "sales_count")), ==, 1);
  g_assert_cmpint (json_array_size (json_object_get (body, "stock")), >, 0);

  pdv_test_pdvctl (db, NULL, &refused, (const char *[]) { "dashboard", "--pin", "1111", NULL });
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "read reports"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dashboard/figures", Fixture, NULL, fixture_set_up, test_dashboard_figures, fixture_tear_down);
  g_test_add ("/dashboard/needs-report-right", Fixture, NULL, fixture_set_up, test_dashboard_needs_report_right,
              fixture_tear_down);
  g_test_add ("/dashboard/pdvctl", Fixture, NULL, fixture_set_up, test_dashboard_pdvctl, fixture_tear_down);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-dashboard-data"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pdv-checkin.h"
#include "pdv-dashboard-data.h"
#include "pdv-db-private.h"

/* Stock that lasts less than this at the current pace is an alert. */
#define RUN_OUT_ALERT_MINUTES 60

static void
report_row_free (gpointer data)
{
  PdvReportRow *row = data;

  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

static PdvReportRow *
report_row_new (const char *key,
                const char *label,
                gint64      count,
                PdvMoney    amount)
{
  PdvReportRow *row = g_new0 (PdvReportRow, 1);

  row->key = g_strdup (key);
  row->label = g_strdup (label);
  row->count = count;
  row->amount = amount;
  return row;
}

static void
stock_forecast_free (gpointer data)
{
  PdvStockForecast *forecast = data;

  g_free (forecast->product_id);
  g_free (forecast->name);
  g_free (forecast);
}

static int
compare_by_count (gconstpointer a,
                  gconstpointer b)
{
  const PdvReportRow *row_a = *(PdvReportRow * const *) a;
  const PdvReportRow *row_b = *(PdvReportRow * const *) b;

  return row_a->count < row_b->count ? 1 : row_a->count > row_b->count ? -1 : 0;
}

static int
compare_by_minutes_left (gconstpointer a,
                         gconstpointer b)
{
  const PdvStockForecast *fa = *(PdvStockForecast * const *) a;
  const PdvStockForecast *fb = *(PdvStockForecast * const *) b;
  /* No forecast sorts last. */
  gint64 ma = fa->minutes_left < 0 ? G_MAXINT64 : fa->minutes_left;
  gint64 mb = fb->minutes_left < 0 ? G_MAXINT64 : fb->minutes_left;

  return ma < mb ? -1 : ma > mb ? 1 : g_strcmp0 (fa->name, fb->name);
}

/* Sales in the last hour, voided ones too as in the report's count. */
#define RECENT_SALES_SQL \
  "SELECT j.created_at, 1 FROM sales s JOIN journal j ON j.seq = s.seq ORDER BY s.seq DESC"
/* Tickets let in recently: the journal backwards from its end, every kind
 * (scans are not in the index of kinds: it would cost each scan a page). */
#define RECENT_ENTRIES_SQL \
  "SELECT created_at, kind = '" PDV_ENTRY_CHECKIN "' AND json_extract (payload, '$.verdict') = 'valid' " \
  "FROM journal ORDER BY seq DESC"
/* The pace at the door is over this many minutes. */
#define CHECKIN_PACE_MINUTES 10

/* Adds up the second column of @sql's rows (newest first) since @since,
 * stopping at the first older one: it costs what the recent past holds, not
 * the night. Journal times are UTC in one fixed-width form, so they compare
 * as text. */
static gboolean
count_since (PdvDb      *db,
             const char *sql,
             GDateTime  *since,
             gint64     *out_count,
             GError    **error)
{
  g_autofree char *cutoff = pdv_journal_format_time (since);
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, error);
  gint64 count = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *created_at = (const char *) sqlite3_column_text (stmt, 0);

      if (created_at == NULL || strcmp (created_at, cutoff) < 0)
        break;
      count += sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the recent sales"));
  *out_count = count;
  return TRUE;
}

/* Sales that were not voided, newest first, with their lines. */
#define RECENT_SALE_LINES_SQL \
  "SELECT j.created_at, j.payload FROM sales s JOIN journal j ON j.seq = s.seq " \
  "WHERE s.voided_seq IS NULL ORDER BY s.seq DESC"

static void
add_units (GHashTable *units,
           json_t     *item)
{
  const char *product = json_string_value (json_object_get (item, "product"));
  json_t *qty = json_object_get (item, "qty");

  if (product != NULL && json_is_integer (qty) && json_is_true (json_object_get (item, "tracked")))
    g_hash_table_insert (units, g_strdup (product),
                         GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (units, product)) +
                                           json_integer_value (qty)));
}

/* Units of each tracked product taken out of stock by the sales since
 * @since, alone or as parts of combos: what the recent past holds, not the
 * night. */
static GHashTable *
units_since (PdvDb      *db,
             GDateTime  *since,
             GError    **error)
{
  g_autoptr(GHashTable) units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cutoff = pdv_journal_format_time (since);
  sqlite3_stmt *stmt = pdv_db_prepare (db, RECENT_SALE_LINES_SQL, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *created_at = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(json_t) payload = NULL;
      json_t *line, *part;
      size_t i, j;

      if (created_at == NULL || strcmp (created_at, cutoff) < 0)
        break;
      payload = json_loads ((const char *) sqlite3_column_text (stmt, 1), 0, NULL);
      json_array_foreach (json_object_get (payload, "lines"), i, line)
        {
          add_units (units, line);
          json_array_foreach (json_object_get (line, "components"), j, part)
            add_units (units, part);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pdv_db_set_error (db, error, _("Reading the recent sales"));
      return NULL;
    }
  return g_steal_pointer (&units);
}

static gboolean
collect_stock (PdvDashboardData  *data,
               PdvContext        *context,
               GDateTime         *now,
               GError           **error)
{
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GHashTable) units = NULL;
  g_autoptr(GDateTime) since = g_date_time_add_minutes (now, -PDV_STOCK_FORECAST_WINDOW_MINUTES);

  products = pdv_catalog_list_products (pdv_context_get_catalog (context), NULL, FALSE, error);
  if (products == NULL)
    return FALSE;
  /* The pace of the last half hour, whatever the shift's start: a bar's
   * rush comes and goes, and a few sales make no pace. */
  units = units_since (pdv_context_get_db (context), since, error);
  if (units == NULL)
    return FALSE;

  for (guint i = 0; i < products->len; i++)
    {
      PdvProduct *product = g_ptr_array_index (products, i);
      PdvStockForecast *forecast;

      if (!product->track_stock)
        continue;

      forecast = g_new0 (PdvStockForecast, 1);
      forecast->product_id = g_strdup (product->id);
      forecast->name = g_strdup (product->name);
      forecast->stock = product->stock;
      forecast->sold_in_window = GPOINTER_TO_SIZE (g_hash_table_lookup (units, product->id));
      forecast->per_minute = forecast->sold_in_window / (double) PDV_STOCK_FORECAST_WINDOW_MINUTES;
      if (product->stock <= 0)
        forecast->minutes_left = 0;
      else if (forecast->sold_in_window >= PDV_STOCK_FORECAST_MIN_UNITS)
        forecast->minutes_left = (gint64) (product->stock / forecast->per_minute);
      else
        forecast->minutes_left = -1;
      forecast->alert = forecast->minutes_left >= 0 && forecast->minutes_left < RUN_OUT_ALERT_MINUTES;
      g_ptr_array_add (data->stock, forecast);
    }
  g_ptr_array_sort (data->stock, compare_by_minutes_left);
  return TRUE;
}

/**
 * pdv_dashboard_data_collect:
 * @reader: who reads: their role must allow reading reports
 * @now: the time the figures are for
 *
 * Reads the figures of the open period from the X report's projections and
 * the catalog's stock. Call it from a thread with its own @context.
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
PdvDashboardData *
pdv_dashboard_data_collect (PdvContext     *context,
                            const PdvUser  *reader,
                            GDateTime      *now,
                            GError        **error)
{
  g_autoptr(PdvDashboardData) data = g_new0 (PdvDashboardData, 1);
  g_autoptr(PdvReport) report = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  PdvOccupancy occupancy = { 0 };

  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  data->top_products = g_ptr_array_new_with_free_func (report_row_free);
  data->sales_by_hour = g_ptr_array_new_with_free_func (report_row_free);
  data->checkins_by_hour = g_ptr_array_new_with_free_func (report_row_free);
  data->stock = g_ptr_array_new_with_free_func (stock_forecast_free);

  report = pdv_report_new_x (pdv_context_get_db (context), reader, error);
  if (report == NULL)
    return NULL;

  data->revenue = report->net_total;
  data->sales_count = report->sales_count;
  data->fichas_issued = report->fichas_issued;
  data->fichas_outstanding = report->fichas_outstanding;

  for (guint i = 0; i < report->hours->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->hours, i);

      g_ptr_array_add (data->sales_by_hour, report_row_new (row->key, row->label, row->count, row->amount));
    }
  {
    g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
    g_autoptr(GDateTime) pace_start = g_date_time_add_minutes (now, -CHECKIN_PACE_MINUTES);
    gint64 entries = 0;

    if (!count_since (pdv_context_get_db (context), RECENT_SALES_SQL, hour_ago, &data->sales_last_hour, error) ||
        !count_since (pdv_context_get_db (context), RECENT_ENTRIES_SQL, pace_start, &entries, error))
      return NULL;
    data->checkins_per_minute = entries / (double) CHECKIN_PACE_MINUTES;
  }

  for (guint i = 0; i < report->checkins_by_hour->len; i++)
    {
      PdvReportCheckins *row = g_ptr_array_index (report->checkins_by_hour, i);

      g_ptr_array_add (data->checkins_by_hour, report_row_new (row->key, row->label, row->entries, 0));
    }

  for (guint i = 0; i < report->products->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->products, i);

      g_ptr_array_add (data->top_products, report_row_new (row->key, row->label, row->count, row->amount));
    }
  g_ptr_array_sort (data->top_products, compare_by_count);
  if (data->top_products->len > 5)
    g_ptr_array_set_size (data->top_products, 5);

  checkin = pdv_checkin_new (pdv_context_get_journal (context));
  if (!pdv_checkin_get_occupancy (checkin, &occupancy, error))
    return NULL;
  data->inside = occupancy.inside;
  data->capacity = occupancy.capacity;

  if (!collect_stock (data, context, now, error))
    return NULL;

  return g_steal_pointer (&data);
}

void
pdv_dashboard_data_free (PdvDashboardData *data)
{
  if (data == NULL)
    return;
  g_clear_pointer (&data->top_products, g_ptr_array_unref);
  g_clear_pointer (&data->sales_by_hour, g_ptr_array_unref);
  g_clear_pointer (&data->checkins_by_hour, g_ptr_array_unref);
  g_clear_pointer (&data->stock, g_ptr_array_unref);
  g_free (data);
}

/**
 * pdv_stock_forecast_describe:
 *
 * Returns: (transfer full): how long the stock lasts, for people: "~40 min
 *   left", "Sold out"…
 */
char *
pdv_stock_forecast_describe (const PdvStockForecast *forecast)
{
  g_return_val_if_fail (forecast != NULL, NULL);

  if (forecast->stock <= 0)
    return g_strdup (_("Sold out"));
  if (forecast->minutes_left < 0)
    return g_strdup (_("Too few sales to tell"));
  if (forecast->minutes_left >= 120)
    /* Translators: a forecast of how long a product's stock lasts */
    return g_strdup_printf (_("~%lld h left"), (long long) (forecast->minutes_left / 60));
  /* Translators: a forecast of how long a product's stock lasts */
  return g_strdup_printf (_("~%lld min left"), (long long) forecast->minutes_left);
}

/**
 * pdv_stock_forecast_describe_basis:
 *
 * Returns: (transfer full): what the forecast is worked out from, for
 *   people: "36 sold in the last 30 min"
 */
char *
pdv_stock_forecast_describe_basis (const PdvStockForecast *forecast)
{
  g_return_val_if_fail (forecast != NULL, NULL);

  /* Translators: the basis of a stock forecast; the second number is minutes */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld sold in the last %d min", "%lld sold in the last %d min",
                                       (gulong) forecast->sold_in_window),
                          (long long) forecast->sold_in_window, PDV_STOCK_FORECAST_WINDOW_MINUTES);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-context.h"
#include "pdv-datetime.h"
#include "pdv-db-private.h"
#include "pdv-ficha.h"
#include "pdv-report-doc.h"
#include "pdv-shift-private.h"

/* X and Z reports, read from the shift projections only: a handful of
 * indexed queries per report, whatever the size of the journal. */

G_DEFINE_QUARK (pdv-report-error-quark, pdv_report_error)

static void
report_row_free (PdvReportRow *row)
{
  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

static void
checkins_free (PdvReportCheckins *row)
{
  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

static void
fichas_free (PdvReportFichas *row)
{
  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

static void
counter_free (PdvReportCounter *counter)
{
  g_free (counter->counter);
  g_ptr_array_unref (counter->products);
  g_ptr_array_unref (counter->refusals);
  g_free (counter);
}

static PdvReportRow *
report_row_new (const char *key,
                const char *label,
                gint64      count,
                PdvMoney    amount)
{
  PdvReportRow *row = g_new0 (PdvReportRow, 1);

  row->key = g_strdup (key ? key : "");
  row->label = g_strdup (label ? label : row->key);
  row->count = count;
  row->amount = amount;
  return row;
}

static GPtrArray *
row_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) report_row_free);
}

void
pdv_report_free (PdvReport *report)
{
  if (report == NULL)
    return;
  g_free (report->title);
  g_free (report->terminal_id);
  g_free (report->terminal_name);
  g_free (report->event_name);
  g_clear_pointer (&report->timezone, g_time_zone_unref);
  g_clear_pointer (&report->generated_at, g_date_time_unref);
  g_clear_pointer (&report->opened_at, g_date_time_unref);
  g_free (report->opened_by);
  g_clear_pointer (&report->closed_at, g_date_time_unref);
  g_free (report->closed_by);
  g_free (report->difference_authorised_by);
  g_clear_pointer (&report->float_count, g_ptr_array_unref);
  g_clear_pointer (&report->closing_count, g_ptr_array_unref);
  g_clear_pointer (&report->cash_moves, g_ptr_array_unref);
  g_clear_pointer (&report->products, g_ptr_array_unref);
  g_clear_pointer (&report->hours, g_ptr_array_unref);
  g_clear_pointer (&report->operators, g_ptr_array_unref);
  g_clear_pointer (&report->corrections, g_ptr_array_unref);
  g_clear_pointer (&report->checkins_by_hour, g_ptr_array_unref);
  g_clear_pointer (&report->checkins_by_gate, g_ptr_array_unref);
  g_clear_pointer (&report->refusals, g_ptr_array_unref);
  g_clear_pointer (&report->fichas, g_ptr_array_unref);
  g_clear_pointer (&report->counters, g_ptr_array_unref);
  g_free (report);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = column_text (stmt, column);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/* A user's name for people, or the id itself for someone not (or no longer)
 * on this terminal. */
static char *
user_name (PdvDb      *db,
           const char *user_id)
{
  sqlite3_stmt *stmt;
  char *name = NULL;

  if (user_id == NULL || *user_id == '\0')
    return NULL;
  stmt = pdv_db_prepare (db, "SELECT name FROM users WHERE id = ?", NULL);
  if (stmt == NULL)
    return g_strdup (user_id);
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name ? name : g_strdup (user_id);
}

static const char *
verdict_label (const char *verdict)
{
  static const struct {
    const char *verdict;
    const char *label;
  } labels[] = {
    /* Translators: why the door refused a ticket, in the report */
    { "already_inside", N_("Already inside") },
    { "already_used", N_("Already used") },
    { "not_inside", N_("Exit without entry") },
    { "unknown", N_("Unknown ticket") },
    { "cancelled", N_("Cancelled or blocked") },
    { "revoked", N_("Revoked") },
    { "wrong_event", N_("Another event") },
    { "not_yet_valid", N_("Not valid yet") },
    { "expired", N_("Expired") },
    { "wrong_zone", N_("Wrong zone") },
    { "capacity_full", N_("Venue full") },
    { "bad_signature", N_("Forged or damaged") },
    { "unreadable", N_("Unreadable code") },
    /* Translators: why a counter refused a ficha, in the report */
    { "already_redeemed", N_("Already served") },
    { "voided", N_("Sale voided or refunded") },
    { "forged", N_("Forged or altered") },
    { "unknown_issuer", N_("From an unknown till") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (verdict, labels[i].verdict) == 0)
      return _(labels[i].label);
  return verdict;
}

static gboolean
read_count (GPtrArray  *rows,
            const char *json_text)
{
  g_autoptr(json_t) json = json_text ? json_loads (json_text, 0, NULL) : NULL;
  PdvCashCount count;

  if (json == NULL || !pdv_cash_count_from_json (&count, json))
    return FALSE;
  for (int i = 0; i < PDV_N_DENOMINATIONS; i++)
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, pdv_cash_denominations[i]);
      g_autofree char *label = pdv_money_format_brazilian (pdv_cash_denominations[i], TRUE);

      g_ptr_array_add (rows, report_row_new (key, label, count.qty[i], count.qty[i] * pdv_cash_denominations[i]));
    }
  if (count.loose != 0)
    /* Translators: cash counted as a sum, without counting each note and coin */
    g_ptr_array_add (rows, report_row_new ("loose", _("Counted as a sum"), 0, count.loose));
  return TRUE;
}

static gboolean
load_totals (PdvDb      *db,
             PdvReport  *report,
             GError    **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT first_seq, last_seq, opened_at, opened_by, float_amount, "
                                       "  float_count, sales_count, sales_total, voids_count, voids_total, "
                                       "  refunds_count, refunds_total, discounts_count, discounts_total, "
                                       "  drops_count, drops_total, payins_count, payins_total, closed_seq, "
                                       "  closed_at, closed_by, close_count, counted, expected, difference, "
                                       "  difference_authorised_by FROM shift_totals WHERE z = ?",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->z_number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autofree char *opened_by = g_strdup (column_text (stmt, 3));
      g_autofree char *closed_by = g_strdup (column_text (stmt, 20));
      g_autofree char *authorised_by = g_strdup (column_text (stmt, 25));
      g_autofree char *float_count = g_strdup (column_text (stmt, 5));
      g_autofree char *close_count = g_strdup (column_text (stmt, 21));

      report->first_seq = sqlite3_column_int64 (stmt, 0);
      report->last_seq = sqlite3_column_int64 (stmt, 1);
      report->opened_at = column_time (stmt, 2);
      report->float_amount = sqlite3_column_int64 (stmt, 4);
      report->sales_count = sqlite3_column_int64 (stmt, 6);
      report->sales_total = sqlite3_column_int64 (stmt, 7);
      report->voids_count = sqlite3_column_int64 (stmt, 8);
      report->voids_total = sqlite3_column_int64 (stmt, 9);
      report->refunds_count = sqlite3_column_int64 (stmt, 10);
      report->refunds_total = sqlite3_column_int64 (stmt, 11);
      report->discounts_count = sqlite3_column_int64 (stmt, 12);
      report->discounts_total = sqlite3_column_int64 (stmt, 13);
      report->drops_count = sqlite3_column_int64 (stmt, 14);
      report->drops_total = sqlite3_column_int64 (stmt, 15);
      report->payins_count = sqlite3_column_int64 (stmt, 16);
      report->payins_total = sqlite3_column_int64 (stmt, 17);
      if (sqlite3_column_type (stmt, 18) != SQLITE_NULL)
        {
          report->last_seq = sqlite3_column_int64 (stmt, 18);
          report->closed_at = column_time (stmt, 19);
          report->counted = TRUE;
          report->counted_cash = sqlite3_column_int64 (stmt, 22);
          report->expected_cash = sqlite3_column_int64 (stmt, 23);
          report->difference = sqlite3_column_int64 (stmt, 24);
        }
      sqlite3_reset (stmt);

      /* Scans leave the row's last entry behind: an open period runs to the
       * journal's last entry. */
      if (report->closed_at == NULL)
        {
          stmt = pdv_db_prepare (db, "SELECT MAX (seq) FROM journal", error);
          if (stmt == NULL)
            return FALSE;
          if (sqlite3_step (stmt) == SQLITE_ROW)
            report->last_seq = MAX (report->last_seq, sqlite3_column_int64 (stmt, 0));
          sqlite3_reset (stmt);
        }

      report->opened_by = user_name (db, opened_by);
      report->closed_by = user_name (db, closed_by);
      report->difference_authorised_by = user_name (db, authorised_by);
      read_count (report->float_count, float_count);
      read_count (report->closing_count, close_count);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the shift"));
  return TRUE;
}

static gboolean
load_payments (PdvDb      *db,
               PdvReport  *report,
               GError    **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT method, sales_count, sales_amount, voids_count, voids_amount, "
                                       "  refunds_count, refunds_amount FROM shift_payments WHERE z = ?",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  for (int i = 0; i <= PDV_PAYMENT_VOUCHER; i++)
    report->payments[i].method = (PdvPaymentMethod) i;
  sqlite3_bind_int64 (stmt, 1, report->z_number);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = column_text (stmt, 0);
      PdvPaymentMethod method;
      PdvCardKind card;
      PdvReportPayment *payment;

      if (g_str_has_prefix (key, "card.") && pdv_card_kind_from_string (key + strlen ("card."), &card))
        payment = &report->cards[card];
      else if (pdv_payment_method_from_string (key, &method))
        payment = &report->payments[method];
      else
        continue;
      payment->sales_count = sqlite3_column_int64 (stmt, 1);
      payment->sales_amount = sqlite3_column_int64 (stmt, 2);
      payment->voids_count = sqlite3_column_int64 (stmt, 3);
      payment->voids_amount = sqlite3_column_int64 (stmt, 4);
      payment->refunds_count = sqlite3_column_int64 (stmt, 5);
      payment->refunds_amount = sqlite3_column_int64 (stmt, 6);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the shift"));
  return TRUE;
}

/* Runs a query over one period whose rows are key, label, count, amount. */
static gboolean
load_rows (PdvDb       *db,
           const char  *sql,
           gint64       z,
           GPtrArray   *rows,
           GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, report_row_new (column_text (stmt, 0), column_text (stmt, 1),
                                           sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the shift"));
  return TRUE;
}

static gboolean
load_checkins (PdvDb       *db,
               const char  *sql,
               gint64       z,
               GPtrArray   *rows,
               GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvReportCheckins *row = g_new0 (PdvReportCheckins, 1);

      row->key = g_strdup (column_text (stmt, 0));
      row->label = g_strdup (row->key);
      row->entries = sqlite3_column_int64 (stmt, 1);
      row->exits = sqlite3_column_int64 (stmt, 2);
      row->refusals = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the check-ins"));
  return TRUE;
}

/* Hours are kept in UTC and shown in the event's time; with the day too
 * when the period runs over midnight. */
static void
label_hours (GPtrArray *keys,
             GTimeZone *zone,
             gsize      key_offset,
             gsize      label_offset)
{
  g_autofree char *first_day = NULL;
  gboolean several_days = FALSE;

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < keys->len; i++)
      {
        gpointer row = g_ptr_array_index (keys, i);
        char **key = G_STRUCT_MEMBER_P (row, key_offset);
        char **label = G_STRUCT_MEMBER_P (row, label_offset);
        g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (*key, NULL);
        g_autofree char *day = utc ? pdv_datetime_format (utc, zone, PDV_DATETIME_DAY) : NULL;

        if (day == NULL)
          continue;
        if (pass == 0)
          {
            if (first_day == NULL)
              first_day = g_strdup (day);
            else if (!g_str_equal (first_day, day))
              several_days = TRUE;
            continue;
          }
        g_free (*label);
        *label = pdv_datetime_format (utc, zone, several_days ? PDV_DATETIME_DAY_HOUR : PDV_DATETIME_HOUR);
      }
}

/* The fichas this terminal issued, since the event began, and what became
 * of them: the issued from the sales' projection, the served and taken
 * back from the fichas whose state changed (served here or heard of,
 * taken back here), those only. */
static gboolean
load_fichas (PdvDb      *db,
             PdvReport  *report,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = pdv_ficha_dup_key_tag (db, &local_error);
  sqlite3_stmt *stmt;
  int rc;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (key == NULL)
    return TRUE;
  stmt = pdv_db_prepare (db,
                         "WITH issued AS (SELECT product_id, MAX (name) AS name, SUM (fichas) AS issued, "
                         "    SUM (CASE WHEN z = ?2 THEN fichas ELSE 0 END) AS period "
                         "    FROM sales_by_product WHERE fichas > 0 GROUP BY product_id), "
                         "  served AS (SELECT product_id, COUNT (*) AS n FROM ("
                         "    SELECT id, product_id FROM fichas WHERE state = 'redeemed' AND key = ?1 "
                         "    UNION SELECT id, product_id FROM ficha_heard WHERE state = 'redeemed' AND key = ?1) "
                         "    GROUP BY product_id), "
                         "  revoked AS (SELECT product_id, COUNT (*) AS n FROM fichas f "
                         "    WHERE state = 'revoked' AND key = ?1 AND NOT EXISTS "
                         "      (SELECT 1 FROM ficha_heard h WHERE h.id = f.id AND h.state = 'redeemed') "
                         "    GROUP BY product_id) "
                         "SELECT i.product_id, i.name, i.period, i.issued, COALESCE (s.n, 0), COALESCE (r.n, 0) "
                         "FROM issued i LEFT JOIN served s ON s.product_id = i.product_id "
                         "  LEFT JOIN revoked r ON r.product_id = i.product_id ORDER BY i.issued DESC, i.name",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, report->z_number);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvReportFichas *row = g_new0 (PdvReportFichas, 1);

      row->key = g_strdup (column_text (stmt, 0));
      row->label = g_strdup (column_text (stmt, 1) ? column_text (stmt, 1) : row->key);
      row->issued_in_period = sqlite3_column_int64 (stmt, 2);
      row->issued = sqlite3_column_int64 (stmt, 3);
      row->served = sqlite3_column_int64 (stmt, 4);
      row->revoked = sqlite3_column_int64 (stmt, 5);
      row->outstanding = row->issued - row->served - row->revoked;
      report->fichas_issued_in_period += row->issued_in_period;
      report->fichas_issued += row->issued;
      report->fichas_served += row->served;
      report->fichas_revoked += row->revoked;
      report->fichas_outstanding += row->outstanding;
      g_ptr_array_add (report->fichas, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the fichas"));
  return TRUE;
}

static PdvReportCounter *
find_counter (PdvReport  *report,
              const char *name)
{
  PdvReportCounter *counter;

  for (guint i = 0; i < report->counters->len; i++)
    {
      counter = g_ptr_array_index (report->counters, i);
      if (g_str_equal (counter->counter, name))
        return counter;
    }
  counter = g_new0 (PdvReportCounter, 1);
  counter->counter = g_strdup (name);
  counter->products = row_array ();
  counter->refusals = row_array ();
  g_ptr_array_add (report->counters, counter);
  return counter;
}

/* What this terminal's counters served in the period (the fichas table's
 * served rows whose entry falls in it) and refused. */
static gboolean
load_counters (PdvDb      *db,
               PdvReport  *report,
               GError    **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT redeemed_by, product_id, MAX (name), COUNT (*) FROM fichas "
                                       "WHERE state = 'redeemed' AND redeemed_seq > "
                                       "    COALESCE ((SELECT closed_seq FROM shift_totals WHERE z = ?1 - 1), 0) "
                                       "  AND redeemed_seq <= COALESCE ((SELECT closed_seq FROM shift_totals "
                                       "    WHERE z = ?1), (SELECT MAX (seq) FROM journal)) "
                                       "GROUP BY redeemed_by, product_id ORDER BY redeemed_by, COUNT (*) DESC, 3",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->z_number);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvReportCounter *counter = find_counter (report, column_text (stmt, 0) ? column_text (stmt, 0) : "");
      gint64 count = sqlite3_column_int64 (stmt, 3);

      counter->served += count;
      g_ptr_array_add (counter->products, report_row_new (column_text (stmt, 1), column_text (stmt, 2), count, 0));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the fichas"));

  stmt = pdv_db_prepare (db, "SELECT counter, verdict, count FROM ficha_refusals WHERE z = ? "
                             "ORDER BY counter, count DESC, verdict", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->z_number);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvReportCounter *counter = find_counter (report, column_text (stmt, 0));
      const char *verdict = column_text (stmt, 1);
      gint64 count = sqlite3_column_int64 (stmt, 2);

      counter->refused += count;
      g_ptr_array_add (counter->refusals, report_row_new (verdict, verdict_label (verdict), count, 0));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the fichas"));
  return TRUE;
}

static void
replace_label (char       **label,
               const char  *text)
{
  char *copy = g_strdup (text);

  g_free (*label);
  *label = copy;
}

static gboolean
load_everything (PdvDb      *db,
                 PdvReport  *report,
                 GError    **error)
{
  gint64 z = report->z_number;
  PdvMoney cash_out;

  if (!load_totals (db, report, error) || !load_payments (db, report, error))
    return FALSE;

  report->net_total = report->sales_total - report->voids_total - report->refunds_total;
  report->cash_sales = report->payments[PDV_PAYMENT_CASH].sales_amount;
  cash_out = report->payments[PDV_PAYMENT_CASH].voids_amount + report->payments[PDV_PAYMENT_CASH].refunds_amount;
  report->cash_returned = cash_out;
  if (!report->counted &&
      !pdv_shift_compute_expected (db, z, &report->expected_cash, error))
    return FALSE;

  if (!load_rows (db,
                  "SELECT kind, reason || COALESCE (' (' || COALESCE (u.name, m.user_id) || ')', ''), 1, amount "
                  "FROM shift_cash_moves m LEFT JOIN users u ON u.id = m.user_id WHERE z = ? ORDER BY seq",
                  z, report->cash_moves, error) ||
      !load_rows (db,
                  "SELECT product_id, name, qty, amount FROM sales_by_product "
                  "WHERE z = ? AND (qty != 0 OR amount != 0) ORDER BY amount DESC, name",
                  z, report->products, error) ||
      !load_rows (db, "SELECT hour, hour, sales_count, amount FROM sales_by_hour WHERE z = ? ORDER BY hour",
                  z, report->hours, error) ||
      !load_rows (db,
                  "SELECT o.operator, COALESCE (u.name, NULLIF (o.operator, '')), o.sales_count, o.amount "
                  "FROM sales_by_operator o LEFT JOIN users u ON u.id = o.operator "
                  "WHERE z = ? ORDER BY o.amount DESC, o.operator",
                  z, report->operators, error) ||
      !load_rows (db,
                  "SELECT c.kind, COALESCE (u.name, NULLIF (c.authoriser, '')), c.count, c.amount "
                  "FROM shift_corrections c LEFT JOIN users u ON u.id = c.authoriser "
                  "WHERE z = ? ORDER BY CASE c.kind WHEN 'void' THEN 0 WHEN 'refund' THEN 1 "
                  "  WHEN 'discount' THEN 2 ELSE 3 END, c.authoriser",
                  z, report->corrections, error) ||
      !load_checkins (db,
                      "SELECT hour, SUM (entries), SUM (exits), SUM (refusals) FROM checkins_by_hour "
                      "WHERE z = ? GROUP BY hour ORDER BY hour",
                      z, report->checkins_by_hour, error) ||
      !load_checkins (db,
                      "SELECT gate, SUM (entries), SUM (exits), SUM (refusals) FROM checkins_by_hour "
                      "WHERE z = ? GROUP BY gate ORDER BY gate",
                      z, report->checkins_by_gate, error) ||
      !load_rows (db,
                  "SELECT reason, reason, count, 0 FROM refusals_by_reason WHERE z = ? "
                  "ORDER BY count DESC, reason",
                  z, report->refusals, error) ||
      !load_fichas (db, report, error) ||
      !load_counters (db, report, error))
    return FALSE;

  /* A row without a name is an operator (or authoriser) nobody recorded. */
  for (guint i = 0; i < report->operators->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->operators, i);
      if (*row->key == '\0')
        replace_label (&row->label, _("Not identified"));
    }
  for (guint i = 0; i < report->corrections->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->corrections, i);
      if (*row->label == '\0' || g_str_equal (row->label, row->key))
        replace_label (&row->label, _("Not identified"));
    }
  for (guint i = 0; i < report->refusals->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->refusals, i);
      replace_label (&row->label, verdict_label (row->key));
    }
  for (guint i = 0; i < report->checkins_by_hour->len; i++)
    {
      PdvReportCheckins *row = g_ptr_array_index (report->checkins_by_hour, i);
      report->checkin_entries += row->entries;
      report->checkin_exits += row->exits;
      report->checkin_refusals += row->refusals;
    }
  label_hours (report->hours, report->timezone, G_STRUCT_OFFSET (PdvReportRow, key), G_STRUCT_OFFSET (PdvReportRow, label));
  label_hours (report->checkins_by_hour, report->timezone, G_STRUCT_OFFSET (PdvReportCheckins, key),
               G_STRUCT_OFFSET (PdvReportCheckins, label));
  return TRUE;
}

static PdvReport *
report_new (PdvDb         *db,
            PdvReportKind  kind,
            gint64         z)
{
  PdvReport *report = g_new0 (PdvReport, 1);

  report->kind = kind;
  report->z_number = z;
  report->terminal_id = pdv_db_get_meta (db, "terminal_id");
  report->terminal_name = pdv_db_get_meta (db, "terminal_name");
  report->event_name = pdv_db_get_meta (db, "event_name");
  report->timezone = pdv_event_timezone_for_db (db);
  report->generated_at = pdv_clock_get_now_utc (pdv_db_get_clock (db));
  report->float_count = row_array ();
  report->closing_count = row_array ();
  report->cash_moves = row_array ();
  report->products = row_array ();
  report->hours = row_array ();
  report->operators = row_array ();
  report->corrections = row_array ();
  report->checkins_by_hour = g_ptr_array_new_with_free_func ((GDestroyNotify) checkins_free);
  report->checkins_by_gate = g_ptr_array_new_with_free_func ((GDestroyNotify) checkins_free);
  report->refusals = row_array ();
  report->fichas = g_ptr_array_new_with_free_func ((GDestroyNotify) fichas_free);
  report->counters = g_ptr_array_new_with_free_func ((GDestroyNotify) counter_free);
  if (kind == PDV_REPORT_X)
    /* Translators: the mid-shift report, "Leitura X" in Brazil */
    report->title = g_strdup (_("X report"));
  else
    /* Translators: the closing report, "Redução Z" in Brazil */
    report->title = g_strdup_printf (_("Z report no. %lld"), (long long) z);
  return report;
}

/**
 * pdv_report_new_x:
 * @user: who asks: their role must allow reading reports
 *
 * The current period so far, with the cash the drawer should hold; the
 * shift stays open.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
PdvReport *
pdv_report_new_x (PdvDb          *db,
                  const PdvUser  *user,
                  GError        **error)
{
  g_autoptr(PdvReport) report = NULL;
  gint64 z, open_seq;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  if (!pdv_auth_require (user, PDV_PERMISSION_REPORT, error))
    return NULL;
  if (!pdv_shift_read_state (db, &z, &open_seq, error))
    return NULL;
  report = report_new (db, PDV_REPORT_X, z);
  report->shift_open = open_seq != 0;
  if (!load_everything (db, report, error))
    return NULL;
  return g_steal_pointer (&report);
}

/**
 * pdv_report_new_z:
 * @user: who asks: their role must allow reading reports
 * @z_number: a closed shift's Z number, or 0 for the last one closed
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
PdvReport *
pdv_report_new_z (PdvDb          *db,
                  const PdvUser  *user,
                  gint64          z_number,
                  GError        **error)
{
  g_autoptr(PdvReport) report = NULL;
  gint64 current;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  if (!pdv_auth_require (user, PDV_PERMISSION_REPORT, error))
    return NULL;
  if (!pdv_shift_read_state (db, &current, NULL, error))
    return NULL;
  if (z_number == 0)
    z_number = current - 1;
  if (z_number <= 0 || z_number >= current)
    {
      if (current == 1)
        g_set_error_literal (error, PDV_REPORT_ERROR, PDV_REPORT_ERROR_UNKNOWN_Z,
                             _("No shift has been closed on this terminal yet"));
      else
        g_set_error (error, PDV_REPORT_ERROR, PDV_REPORT_ERROR_UNKNOWN_Z,
                     _("There is no Z %lld on this terminal; the last one is Z %lld"),
                     (long long) z_number, (long long) (current - 1));
      return NULL;
    }
  report = report_new (db, PDV_REPORT_Z, z_number);
  if (!load_everything (db, report, error))
    return NULL;
  return g_steal_pointer (&report);
}

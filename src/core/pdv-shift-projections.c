/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-shift-projections"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-db-private.h"
#include "pdv-projections.h"
#include "pdv-sale.h"
#include "pdv-shift-private.h"

/* The tables X and Z reports are read from, kept from the journal in the
 * same transaction as each entry so that a report costs the same after ten
 * sales or a million.
 *
 * Everything belongs to a period numbered like the Z that will close it:
 * period N runs from the close of Z N−1 to the close of Z N, and whatever
 * happens while no shift is open (check-ins at a door that never opens one,
 * sales where shifts are not required) goes to the next Z. The period's
 * number is kept in shift_state, whose projection runs last: every other
 * projection sees the period as it was before the entry. */

static gboolean
malformed (const PdvJournalEntry *entry,
           GError               **error)
{
  g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
               _("Journal entry %lld (%s) is malformed"), (long long) entry->seq, entry->kind);
  return FALSE;
}

/* A shift opened or closed on a terminal restored from a backup, which the
 * recovered history had already opened or closed (pdv-journal-recover.c):
 * kept in the journal, with no effect on the periods. */
static gboolean
unmatched_after_restore (const PdvJournalEntry *entry)
{
  return json_is_true (json_object_get (json_object_get (entry->payload, "restored"), "unmatched"));
}

static gboolean
get_money (json_t     *object,
           const char *key,
           PdvMoney   *out)
{
  json_t *value = json_object_get (object, key);

  if (!json_is_integer (value))
    return FALSE;
  *out = json_integer_value (value);
  return TRUE;
}

static const char *
get_string (json_t     *object,
            const char *key)
{
  return json_string_value (json_object_get (object, key));
}

/**
 * pdv_shift_read_state:
 * @out_z: (out): the current period, which the next close numbers
 * @out_open_seq: (out) (optional): the "shift.open" entry of the open
 *   shift, or 0 when none is open
 */
gboolean
pdv_shift_read_state (PdvDb   *db,
                      gint64  *out_z,
                      gint64  *out_open_seq,
                      GError **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT current_z, open_seq FROM shift_state WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  *out_z = 1;
  if (out_open_seq)
    *out_open_seq = 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_z = sqlite3_column_int64 (stmt, 0);
      if (out_open_seq)
        *out_open_seq = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the shift"));
  return TRUE;
}

/**
 * pdv_shift_compute_expected:
 *
 * The cash that should be in the drawer for period @z: the float, plus cash
 * taken, less cash given back for voids and refunds, less drops, plus
 * pay-ins.
 */
gboolean
pdv_shift_compute_expected (PdvDb     *db,
                            gint64     z,
                            PdvMoney  *out_expected,
                            GError   **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT t.float_amount - t.drops_total + t.payins_total "
                                       "  + COALESCE (p.sales_amount - p.voids_amount - p.refunds_amount, 0) "
                                       "FROM shift_totals t LEFT JOIN shift_payments p "
                                       "  ON p.z = t.z AND p.method = 'cash' WHERE t.z = ?",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  rc = sqlite3_step (stmt);
  *out_expected = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the shift"));
  return TRUE;
}

/**
 * pdv_shift_hour_of:
 * @iso8601: a time with its offset
 *
 * Returns: (transfer full) (nullable): the start of its hour, in UTC, in the
 *   form reports key hours by: "2026-12-12T21:00:00Z"
 */
char *
pdv_shift_hour_of (const char *iso8601)
{
  g_autoptr(GDateTime) time = iso8601 ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:00:00Z");
}

static gboolean
current_z (PdvDb   *db,
           gint64  *out_z,
           GError **error)
{
  return pdv_shift_read_state (db, out_z, NULL, error);
}

/* What one entry adds to its period's totals. */
typedef struct {
  gint64   sales_count;
  PdvMoney sales_total;
  gint64   voids_count;
  PdvMoney voids_total;
  gint64   refunds_count;
  PdvMoney refunds_total;
  gint64   discounts_count;
  PdvMoney discounts_total;
  gint64   drops_count;
  PdvMoney drops_total;
  gint64   payins_count;
  PdvMoney payins_total;
} Deltas;

static gboolean
add_totals (PdvDb         *db,
            gint64         z,
            gint64         seq,
            const Deltas  *d,
            GError       **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "INSERT INTO shift_totals (z, first_seq, last_seq, sales_count, sales_total, "
                                       "  voids_count, voids_total, refunds_count, refunds_total, discounts_count, "
                                       "  discounts_total, drops_count, drops_total, payins_count, payins_total) "
                                       "VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                                       "ON CONFLICT (z) DO UPDATE SET last_seq = excluded.last_seq, "
                                       "  sales_count = sales_count + excluded.sales_count, "
                                       "  sales_total = sales_total + excluded.sales_total, "
                                       "  voids_count = voids_count + excluded.voids_count, "
                                       "  voids_total = voids_total + excluded.voids_total, "
                                       "  refunds_count = refunds_count + excluded.refunds_count, "
                                       "  refunds_total = refunds_total + excluded.refunds_total, "
                                       "  discounts_count = discounts_count + excluded.discounts_count, "
                                       "  discounts_total = discounts_total + excluded.discounts_total, "
                                       "  drops_count = drops_count + excluded.drops_count, "
                                       "  drops_total = drops_total + excluded.drops_total, "
                                       "  payins_count = payins_count + excluded.payins_count, "
                                       "  payins_total = payins_total + excluded.payins_total",
                                       error);
  const gint64 values[] = { d->sales_count, d->sales_total, d->voids_count, d->voids_total, d->refunds_count,
                            d->refunds_total, d->discounts_count, d->discounts_total, d->drops_count,
                            d->drops_total, d->payins_count, d->payins_total };

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  sqlite3_bind_int64 (stmt, 2, seq);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    sqlite3_bind_int64 (stmt, 3 + i, values[i]);
  return pdv_db_step_done (db, stmt, error);
}

/* The payload of the sale a void refers to, read by its seq. */
static json_t *
load_voided_sale (PdvDb                 *db,
                  const PdvJournalEntry *entry,
                  GError               **error)
{
  sqlite3_stmt *stmt;
  json_t *sale_seq = json_object_get (entry->payload, "sale_seq");
  json_t *payload = NULL;
  int rc;

  if (!json_is_integer (sale_seq))
    {
      malformed (entry, error);
      return NULL;
    }
  stmt = pdv_db_prepare (db, "SELECT payload FROM journal WHERE seq = ? AND kind = '" PDV_ENTRY_SALE "'", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, json_integer_value (sale_seq));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    payload = json_loads ((const char *) sqlite3_column_text (stmt, 0), 0, NULL);
  sqlite3_reset (stmt);
  if (payload == NULL)
    malformed (entry, error);
  return payload;
}

static gboolean
totals_apply (PdvDb                 *db,
              const PdvJournalEntry *entry,
              GError               **error)
{
  Deltas d = { 0 };
  sqlite3_stmt *stmt;
  PdvMoney amount = 0;
  gint64 z;

  if (g_str_equal (entry->kind, PDV_ENTRY_SALE))
    {
      if (!get_money (entry->payload, "total", &d.sales_total))
        return malformed (entry, error);
      d.sales_count = 1;
      if (get_money (entry->payload, "discount", &amount) && amount > 0)
        {
          d.discounts_count = 1;
          d.discounts_total = amount;
        }
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID))
    {
      if (!get_money (entry->payload, "total", &d.voids_total))
        return malformed (entry, error);
      d.voids_count = 1;
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
    {
      if (!get_money (entry->payload, "amount", &d.refunds_total))
        return malformed (entry, error);
      d.refunds_count = 1;
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_SHIFT_DROP) || g_str_equal (entry->kind, PDV_ENTRY_SHIFT_PAYIN))
    {
      gboolean drop = g_str_equal (entry->kind, PDV_ENTRY_SHIFT_DROP);

      if (!get_money (entry->payload, "amount", &amount) || amount <= 0)
        return malformed (entry, error);
      *(drop ? &d.drops_count : &d.payins_count) = 1;
      *(drop ? &d.drops_total : &d.payins_total) = amount;
    }
  else if (!g_str_equal (entry->kind, PDV_ENTRY_CHECKIN) && !g_str_equal (entry->kind, PDV_ENTRY_SHIFT_OPEN) &&
           !g_str_equal (entry->kind, PDV_ENTRY_SHIFT_CLOSE))
    return TRUE;
  else if (unmatched_after_restore (entry))
    return TRUE;

  if (!current_z (db, &z, error))
    return FALSE;
  if (g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
    {
      /* A scan only opens the period's row when it is the first entry of
       * the period; it writes nothing more here (the report takes an open
       * period's last entry from the journal), one page less a scan. */
      stmt = pdv_db_prepare (db,
                             "INSERT INTO shift_totals (z, first_seq, last_seq) VALUES (?1, ?2, ?2) "
                             "ON CONFLICT (z) DO NOTHING",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, z);
      sqlite3_bind_int64 (stmt, 2, entry->seq);
      return pdv_db_step_done (db, stmt, error);
    }
  if (!add_totals (db, z, entry->seq, &d, error))
    return FALSE;

  if (g_str_equal (entry->kind, PDV_ENTRY_SHIFT_OPEN))
    {
      g_autofree char *count = NULL;

      if (!get_money (entry->payload, "float", &amount) || !json_is_object (json_object_get (entry->payload, "count")))
        return malformed (entry, error);
      count = pdv_canonical_json (json_object_get (entry->payload, "count"));
      stmt = pdv_db_prepare (db,
                             "UPDATE shift_totals SET opened_seq = ?2, opened_at = ?3, opened_by = ?4, "
                             "  float_amount = ?5, float_count = ?6 WHERE z = ?1",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, z);
      sqlite3_bind_int64 (stmt, 2, entry->seq);
      sqlite3_bind_text (stmt, 3, entry->created_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, entry->user, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, amount);
      sqlite3_bind_text (stmt, 6, count, -1, SQLITE_STATIC);
      return pdv_db_step_done (db, stmt, error);
    }

  if (g_str_equal (entry->kind, PDV_ENTRY_SHIFT_CLOSE))
    {
      g_autofree char *count = NULL;
      PdvMoney counted, expected, difference, recomputed;

      if (!get_money (entry->payload, "counted", &counted) || !get_money (entry->payload, "expected", &expected) ||
          !get_money (entry->payload, "difference", &difference) ||
          !json_is_object (json_object_get (entry->payload, "count")))
        return malformed (entry, error);
      /* The close says what the drawer should have held; the journal must
       * agree, or the entry was not made by this terminal's rules. */
      if (!pdv_shift_compute_expected (db, z, &recomputed, error))
        return FALSE;
      if (recomputed != expected || difference != counted - expected)
        {
          g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                       _("Journal entry %lld closes Z %lld with figures the journal does not give"),
                       (long long) entry->seq, (long long) z);
          return FALSE;
        }
      count = pdv_canonical_json (json_object_get (entry->payload, "count"));
      stmt = pdv_db_prepare (db,
                             "UPDATE shift_totals SET closed_seq = ?2, closed_at = ?3, closed_by = ?4, "
                             "  close_count = ?5, counted = ?6, expected = ?7, difference = ?8, "
                             "  difference_authorised_by = ?9 WHERE z = ?1",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, z);
      sqlite3_bind_int64 (stmt, 2, entry->seq);
      sqlite3_bind_text (stmt, 3, entry->created_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, entry->user, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, count, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, counted);
      sqlite3_bind_int64 (stmt, 7, expected);
      sqlite3_bind_int64 (stmt, 8, difference);
      sqlite3_bind_text (stmt, 9, get_string (entry->payload, "authorised_by"), -1, SQLITE_STATIC);
      return pdv_db_step_done (db, stmt, error);
    }
  return TRUE;
}

const PdvProjection pdv_shift_totals_projection = {
  .name = "shift_totals",
  .clear_sql = "DELETE FROM shift_totals",
  .dump_sql = "SELECT z, first_seq, last_seq, opened_seq, opened_at, opened_by, float_amount, float_count, "
              "  sales_count, sales_total, voids_count, voids_total, refunds_count, refunds_total, "
              "  discounts_count, discounts_total, drops_count, drops_total, payins_count, payins_total, "
              "  closed_seq, closed_at, closed_by, close_count, counted, expected, difference, "
              "  difference_authorised_by FROM shift_totals ORDER BY z",
  .apply = totals_apply,
};

typedef enum {
  MOVE_SALE,
  MOVE_VOID,
  MOVE_REFUND,
} MoneyMove;

static gboolean
add_payment (PdvDb       *db,
             gint64       z,
             const char  *method,
             MoneyMove    move,
             PdvMoney     amount,
             GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "INSERT INTO shift_payments (z, method, sales_count, sales_amount, "
                                       "  voids_count, voids_amount, refunds_count, refunds_amount) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                                       "ON CONFLICT (z, method) DO UPDATE SET "
                                       "  sales_count = sales_count + excluded.sales_count, "
                                       "  sales_amount = sales_amount + excluded.sales_amount, "
                                       "  voids_count = voids_count + excluded.voids_count, "
                                       "  voids_amount = voids_amount + excluded.voids_amount, "
                                       "  refunds_count = refunds_count + excluded.refunds_count, "
                                       "  refunds_amount = refunds_amount + excluded.refunds_amount",
                                       error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  sqlite3_bind_text (stmt, 2, method, -1, SQLITE_STATIC);
  for (int i = 0; i < 3; i++)
    {
      sqlite3_bind_int64 (stmt, 3 + 2 * i, (int) move == i ? 1 : 0);
      sqlite3_bind_int64 (stmt, 4 + 2 * i, (int) move == i ? amount : 0);
    }
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
add_payments (PdvDb                 *db,
              gint64                 z,
              const PdvJournalEntry *entry,
              json_t                *payments,
              MoneyMove              move,
              GError               **error)
{
  json_t *payment;
  size_t i;

  if (!json_is_array (payments))
    return malformed (entry, error);
  json_array_foreach (payments, i, payment)
    {
      const char *method = get_string (payment, "method");
      PdvMoney amount;

      const char *card = get_string (payment, "card");

      if (method == NULL || !get_money (payment, "amount", &amount))
        return malformed (entry, error);
      if (!add_payment (db, z, method, move, amount, error))
        return FALSE;
      /* Debit and credit apart too ("card.debit"), under the card's total. */
      if (card != NULL && g_str_equal (method, "card"))
        {
          g_autofree char *split = g_strconcat ("card.", card, NULL);

          if (!add_payment (db, z, split, move, amount, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
payments_apply (PdvDb                 *db,
                const PdvJournalEntry *entry,
                GError               **error)
{
  gint64 z;

  if (g_str_equal (entry->kind, PDV_ENTRY_SALE))
    return current_z (db, &z, error) &&
           add_payments (db, z, entry, json_object_get (entry->payload, "payments"), MOVE_SALE, error);
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID))
    {
      g_autoptr(json_t) sale = load_voided_sale (db, entry, error);

      /* A void gives back what was paid, the way it was paid. */
      return sale != NULL && current_z (db, &z, error) &&
             add_payments (db, z, entry, json_object_get (sale, "payments"), MOVE_VOID, error);
    }
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
    {
      const char *method = get_string (entry->payload, "method");
      PdvMoney amount;

      if (method == NULL || !get_money (entry->payload, "amount", &amount))
        return malformed (entry, error);
      return current_z (db, &z, error) && add_payment (db, z, method, MOVE_REFUND, amount, error);
    }
  return TRUE;
}

const PdvProjection pdv_shift_payments_projection = {
  .name = "shift_payments",
  .clear_sql = "DELETE FROM shift_payments",
  .dump_sql = "SELECT z, method, sales_count, sales_amount, voids_count, voids_amount, refunds_count, "
              "  refunds_amount FROM shift_payments ORDER BY z, method",
  .apply = payments_apply,
};

/* Net of voids: a voided sale puts its products back. The fichas a sale
 * hands over are counted with their product, and stay counted: a void
 * takes them back (pdv-ficha-state.c), it does not unissue them. */
static gboolean
products_apply (PdvDb                 *db,
                const PdvJournalEntry *entry,
                GError               **error)
{
  g_autoptr(GHashTable) fichas = NULL;
  json_t *line;
  json_t *ficha;
  size_t i;
  gint64 sign;
  gint64 z;

  if (g_str_equal (entry->kind, PDV_ENTRY_SALE))
    sign = 1;
  else if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID))
    sign = -1;
  else
    return TRUE;

  if (!json_is_array (json_object_get (entry->payload, "lines")))
    return malformed (entry, error);
  if (!current_z (db, &z, error))
    return FALSE;
  if (sign > 0 && json_array_size (json_object_get (entry->payload, "fichas")) > 0)
    fichas = g_hash_table_new (g_str_hash, g_str_equal);
  if (fichas != NULL)
    json_array_foreach (json_object_get (entry->payload, "fichas"), i, ficha)
      {
        const char *product = get_string (ficha, "product");

        if (product == NULL)
          return malformed (entry, error);
        g_hash_table_insert (fichas, (gpointer) product,
                             GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (fichas, product)) + 1));
      }
  json_array_foreach (json_object_get (entry->payload, "lines"), i, line)
    {
      const char *product = get_string (line, "product");
      const char *name = get_string (line, "name");
      json_t *qty = json_object_get (line, "qty");
      PdvMoney total;
      sqlite3_stmt *stmt;
      gpointer issued = NULL;

      if (product == NULL || !json_is_integer (qty) || !get_money (line, "total", &total))
        return malformed (entry, error);
      /* A product on two lines: its fichas counted with the first. */
      if (fichas != NULL)
        g_hash_table_steal_extended (fichas, product, NULL, &issued);
      stmt = pdv_db_prepare (db,
                             "INSERT INTO sales_by_product (z, product_id, name, qty, amount, fichas) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                             "ON CONFLICT (z, product_id) DO UPDATE SET name = excluded.name, "
                             "  qty = qty + excluded.qty, amount = amount + excluded.amount, "
                             "  fichas = fichas + excluded.fichas",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, z);
      sqlite3_bind_text (stmt, 2, product, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, name ? name : product, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, sign * json_integer_value (qty));
      sqlite3_bind_int64 (stmt, 5, sign * total);
      sqlite3_bind_int64 (stmt, 6, GPOINTER_TO_INT (issued));
      if (!pdv_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

const PdvProjection pdv_sales_by_product_projection = {
  .name = "sales_by_product",
  .clear_sql = "DELETE FROM sales_by_product",
  .dump_sql = "SELECT z, product_id, name, qty, amount, fichas FROM sales_by_product ORDER BY z, product_id",
  .apply = products_apply,
};

/* Sales as they were rung up, by the hour and by who rang them. */
static gboolean
hours_apply (PdvDb                 *db,
             const PdvJournalEntry *entry,
             GError               **error)
{
  g_autofree char *hour = NULL;
  sqlite3_stmt *stmt;
  PdvMoney total;
  gint64 z;

  if (!g_str_equal (entry->kind, PDV_ENTRY_SALE))
    return TRUE;
  hour = pdv_shift_hour_of (entry->created_at);
  if (hour == NULL || !get_money (entry->payload, "total", &total))
    return malformed (entry, error);
  if (!current_z (db, &z, error))
    return FALSE;

  stmt = pdv_db_prepare (db,
                         "INSERT INTO sales_by_hour (z, hour, sales_count, amount) VALUES (?1, ?2, 1, ?3) "
                         "ON CONFLICT (z, hour) DO UPDATE SET sales_count = sales_count + 1, "
                         "  amount = amount + excluded.amount",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  sqlite3_bind_text (stmt, 2, hour, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, total);
  return pdv_db_step_done (db, stmt, error);
}

const PdvProjection pdv_sales_by_hour_projection = {
  .name = "sales_by_hour",
  .clear_sql = "DELETE FROM sales_by_hour",
  .dump_sql = "SELECT z, hour, sales_count, amount FROM sales_by_hour ORDER BY z, hour",
  .apply = hours_apply,
};

static gboolean
operators_apply (PdvDb                 *db,
                 const PdvJournalEntry *entry,
                 GError               **error)
{
  sqlite3_stmt *stmt;
  PdvMoney total;
  gint64 z;

  if (!g_str_equal (entry->kind, PDV_ENTRY_SALE))
    return TRUE;
  if (!get_money (entry->payload, "total", &total))
    return malformed (entry, error);
  if (!current_z (db, &z, error))
    return FALSE;

  stmt = pdv_db_prepare (db,
                         "INSERT INTO sales_by_operator (z, operator, sales_count, amount) VALUES (?1, ?2, 1, ?3) "
                         "ON CONFLICT (z, operator) DO UPDATE SET sales_count = sales_count + 1, "
                         "  amount = amount + excluded.amount",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  sqlite3_bind_text (stmt, 2, entry->user ? entry->user : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, total);
  return pdv_db_step_done (db, stmt, error);
}

const PdvProjection pdv_sales_by_operator_projection = {
  .name = "sales_by_operator",
  .clear_sql = "DELETE FROM sales_by_operator",
  .dump_sql = "SELECT z, operator, sales_count, amount FROM sales_by_operator ORDER BY z, operator",
  .apply = operators_apply,
};

static gboolean
add_correction (PdvDb       *db,
                gint64       z,
                const char  *kind,
                const char  *authoriser,
                PdvMoney     amount,
                GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "INSERT INTO shift_corrections (z, kind, authoriser, count, amount) "
                                       "VALUES (?1, ?2, ?3, 1, ?4) "
                                       "ON CONFLICT (z, kind, authoriser) DO UPDATE SET count = count + 1, "
                                       "  amount = amount + excluded.amount",
                                       error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, authoriser ? authoriser : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, amount);
  return pdv_db_step_done (db, stmt, error);
}

/* Voids, refunds, discounts and courtesies (voucher payments), by who
 * authorised them. */
static gboolean
corrections_apply (PdvDb                 *db,
                   const PdvJournalEntry *entry,
                   GError               **error)
{
  const char *authoriser = get_string (entry->payload, "authorised_by");
  PdvMoney amount = 0;
  gint64 z;

  if (g_str_equal (entry->kind, PDV_ENTRY_SALE))
    {
      /* A discount has its own authoriser; "authorised_by" is the voucher's. */
      const char *discount_authoriser = get_string (entry->payload, "discount_authorised_by");
      PdvMoney vouchers = 0;
      json_t *payment;
      size_t i;

      if (discount_authoriser == NULL)
        discount_authoriser = authoriser;

      json_array_foreach (json_object_get (entry->payload, "payments"), i, payment)
        if (g_strcmp0 (get_string (payment, "method"), "voucher") == 0)
          {
            PdvMoney paid;

            if (!get_money (payment, "amount", &paid))
              return malformed (entry, error);
            vouchers += paid;
          }
      /* Read whether or not a voucher paid part of the sale. */
      get_money (entry->payload, "discount", &amount);
      if (vouchers == 0 && amount <= 0)
        return TRUE;
      if (!current_z (db, &z, error))
        return FALSE;
      if (vouchers > 0 && !add_correction (db, z, "courtesy", authoriser, vouchers, error))
        return FALSE;
      if (amount > 0 && !add_correction (db, z, "discount", discount_authoriser, amount, error))
        return FALSE;
      return TRUE;
    }
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID))
    {
      if (!get_money (entry->payload, "total", &amount))
        return malformed (entry, error);
      return current_z (db, &z, error) && add_correction (db, z, "void", authoriser, amount, error);
    }
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
    {
      if (!get_money (entry->payload, "amount", &amount))
        return malformed (entry, error);
      return current_z (db, &z, error) && add_correction (db, z, "refund", authoriser, amount, error);
    }
  return TRUE;
}

const PdvProjection pdv_shift_corrections_projection = {
  .name = "shift_corrections",
  .clear_sql = "DELETE FROM shift_corrections",
  .dump_sql = "SELECT z, kind, authoriser, count, amount FROM shift_corrections ORDER BY z, kind, authoriser",
  .apply = corrections_apply,
};

/* Each drop and pay-in with its reason: a handful per shift. */
static gboolean
cash_moves_apply (PdvDb                 *db,
                  const PdvJournalEntry *entry,
                  GError               **error)
{
  sqlite3_stmt *stmt;
  const char *reason;
  PdvMoney amount;
  gint64 z;

  if (!g_str_equal (entry->kind, PDV_ENTRY_SHIFT_DROP) && !g_str_equal (entry->kind, PDV_ENTRY_SHIFT_PAYIN))
    return TRUE;
  reason = get_string (entry->payload, "reason");
  if (reason == NULL || !get_money (entry->payload, "amount", &amount))
    return malformed (entry, error);
  if (!current_z (db, &z, error))
    return FALSE;

  stmt = pdv_db_prepare (db,
                         "INSERT INTO shift_cash_moves (seq, z, kind, amount, reason, user_id, authorised_by, at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->seq);
  sqlite3_bind_int64 (stmt, 2, z);
  sqlite3_bind_text (stmt, 3, g_str_equal (entry->kind, PDV_ENTRY_SHIFT_DROP) ? "drop" : "payin", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, amount);
  sqlite3_bind_text (stmt, 5, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, entry->user, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, get_string (entry->payload, "authorised_by"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, entry->created_at, -1, SQLITE_STATIC);
  return pdv_db_step_done (db, stmt, error);
}

const PdvProjection pdv_shift_cash_moves_projection = {
  .name = "shift_cash_moves",
  .clear_sql = "DELETE FROM shift_cash_moves",
  .dump_sql = "SELECT seq, z, kind, amount, reason, user_id, authorised_by, at FROM shift_cash_moves ORDER BY seq",
  .apply = cash_moves_apply,
};

/* Scans by the hour and gate they happened at. */
static gboolean
checkins_apply (PdvDb                 *db,
                const PdvJournalEntry *entry,
                GError               **error)
{
  g_autofree char *hour = NULL;
  const char *verdict;
  const char *gate;
  sqlite3_stmt *stmt;
  gboolean entered, exited;
  gint64 z;

  if (!g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
    return TRUE;
  verdict = get_string (entry->payload, "verdict");
  gate = get_string (entry->payload, "gate");
  hour = pdv_shift_hour_of (get_string (entry->payload, "at"));
  if (hour == NULL)
    hour = pdv_shift_hour_of (entry->created_at);
  if (verdict == NULL || hour == NULL)
    return malformed (entry, error);
  if (!current_z (db, &z, error))
    return FALSE;
  entered = g_str_equal (verdict, "valid");
  exited = g_str_equal (verdict, "exited");

  stmt = pdv_db_prepare (db,
                         "INSERT INTO checkins_by_hour (z, hour, gate, entries, exits, refusals) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                         "ON CONFLICT (z, hour, gate) DO UPDATE SET entries = entries + excluded.entries, "
                         "  exits = exits + excluded.exits, refusals = refusals + excluded.refusals",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  sqlite3_bind_text (stmt, 2, hour, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, gate ? gate : "-", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, entered);
  sqlite3_bind_int (stmt, 5, exited);
  sqlite3_bind_int (stmt, 6, !entered && !exited);
  if (!pdv_db_step_done (db, stmt, error))
    return FALSE;
  if (entered || exited)
    return TRUE;

  stmt = pdv_db_prepare (db,
                         "INSERT INTO refusals_by_reason (z, reason, count) VALUES (?1, ?2, 1) "
                         "ON CONFLICT (z, reason) DO UPDATE SET count = count + 1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, z);
  sqlite3_bind_text (stmt, 2, verdict, -1, SQLITE_STATIC);
  return pdv_db_step_done (db, stmt, error);
}

const PdvProjection pdv_checkins_by_hour_projection = {
  .name = "checkins_by_hour",
  .clear_sql = "DELETE FROM checkins_by_hour; DELETE FROM refusals_by_reason",
  .dump_sql = "SELECT 'hour', z, hour, gate, entries, exits, refusals FROM checkins_by_hour "
              "UNION ALL SELECT 'refusal', z, reason, NULL, count, NULL, NULL FROM refusals_by_reason "
              "ORDER BY 1, 2, 3, 4",
  .apply = checkins_apply,
};

/* Which period is current and whether a shift is open in it. Applied after
 * every other projection. A shift.open or shift.close that does not follow
 * from the entries before it is refused: Z numbers are never skipped nor
 * reused, and a shift never opens twice. */
static gboolean
state_apply (PdvDb                 *db,
             const PdvJournalEntry *entry,
             GError               **error)
{
  gboolean opening = g_str_equal (entry->kind, PDV_ENTRY_SHIFT_OPEN);
  json_t *z_value;
  sqlite3_stmt *stmt;
  gint64 z, open_seq;

  if ((!opening && !g_str_equal (entry->kind, PDV_ENTRY_SHIFT_CLOSE)) || unmatched_after_restore (entry))
    return TRUE;
  z_value = json_object_get (entry->payload, "z");
  if (!json_is_integer (z_value))
    return malformed (entry, error);
  if (!pdv_shift_read_state (db, &z, &open_seq, error))
    return FALSE;
  if (json_integer_value (z_value) != z)
    {
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                   _("Journal entry %lld is for Z %lld, but the journal before it is at Z %lld"),
                   (long long) entry->seq, (long long) json_integer_value (z_value), (long long) z);
      return FALSE;
    }
  if (opening ? open_seq != 0 : open_seq == 0)
    {
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                   opening ? _("Journal entry %lld opens a shift while another one is open")
                           : _("Journal entry %lld closes a shift that is not open"),
                   (long long) entry->seq);
      return FALSE;
    }

  stmt = pdv_db_prepare (db,
                         "INSERT INTO shift_state (id, current_z, open_seq, updated_seq) VALUES (1, ?1, ?2, ?3) "
                         "ON CONFLICT (id) DO UPDATE SET current_z = excluded.current_z, "
                         "  open_seq = excluded.open_seq, updated_seq = excluded.updated_seq",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, opening ? z : z + 1);
  if (opening)
    sqlite3_bind_int64 (stmt, 2, entry->seq);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, entry->seq);
  return pdv_db_step_done (db, stmt, error);
}

const PdvProjection pdv_shift_state_projection = {
  .name = "shift_state",
  .clear_sql = "DELETE FROM shift_state",
  .dump_sql = "SELECT id, current_z, open_seq, updated_seq FROM shift_state ORDER BY id",
  .apply = state_apply,
};

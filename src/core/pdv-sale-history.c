/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sale-history"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-db-private.h"
#include "pdv-journal.h"
#include "pdv-sale-history.h"
#include "pdv-text.h"

/* The terminal's recent sales, for the screen where a cashier finds one to
 * reprint, void or refund. Reads only: the "sales" projection says how each
 * sale stands (refunded, voided) and its journal entry what was sold; voids
 * and refunds are the journal entries that refer to the sale. */

/* Lines named in a sale's summary before it trails off. */
#define SUMMARY_LINES 3

#define RECORD_COLUMNS \
  "s.sale_id, s.seq, j.created_at, j.user_id, u.name, s.total, s.refunded, " \
  "s.voided_seq IS NOT NULL, j.payload "
#define RECORD_TABLES \
  "FROM sales s JOIN journal j ON j.seq = s.seq LEFT JOIN users u ON u.id = j.user_id "

void
pdv_sale_record_free (PdvSaleRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->sale_id);
  g_free (record->number);
  g_free (record->created_at);
  g_free (record->user);
  g_free (record->user_name);
  g_free (record->summary);
  g_strfreev (record->methods);
  g_free (record);
}

/**
 * pdv_sale_record_get_refundable:
 *
 * Returns: what can still go back to the customer: nothing once voided
 */
PdvMoney
pdv_sale_record_get_refundable (const PdvSaleRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  if (record->voided)
    return 0;
  return MAX (record->total - record->refunded, 0);
}

static void
clear_line (gpointer data)
{
  PdvSaleRecordLine *line = data;

  g_clear_pointer (&line->product_id, g_free);
  g_clear_pointer (&line->name, g_free);
}

static void
clear_payment (gpointer data)
{
  PdvSaleRecordPayment *payment = data;

  g_clear_pointer (&payment->reference, g_free);
}

static void
clear_correction (gpointer data)
{
  PdvSaleCorrection *correction = data;

  g_clear_pointer (&correction->entry_id, g_free);
  g_clear_pointer (&correction->created_at, g_free);
  g_clear_pointer (&correction->user, g_free);
  g_clear_pointer (&correction->authorised_by, g_free);
  g_clear_pointer (&correction->reason, g_free);
}

void
pdv_sale_detail_free (PdvSaleDetail *detail)
{
  if (detail == NULL)
    return;
  pdv_sale_record_free (detail->record);
  g_clear_pointer (&detail->lines, g_array_unref);
  g_clear_pointer (&detail->payments, g_array_unref);
  g_clear_pointer (&detail->corrections, g_array_unref);
  g_free (detail->authorised_by);
  g_free (detail->voided_by);
  g_free (detail->discount_reason);
  g_free (detail->discount_authorised_by);
  g_free (detail);
}

static char *
dup_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gint64
json_get_int (json_t     *object,
              const char *key)
{
  return json_integer_value (json_object_get (object, key));
}

static char *
json_dup_string (json_t     *object,
                 const char *key)
{
  return g_strdup (json_string_value (json_object_get (object, key)));
}

/* "2× Cerveja Lata 350 ml, 1× Água Mineral 500 ml…" */
static char *
describe_lines (json_t *lines)
{
  g_autoptr(GString) text = g_string_new (NULL);
  size_t n_lines = json_array_size (lines);

  for (size_t i = 0; i < n_lines && i < SUMMARY_LINES; i++)
    {
      json_t *line = json_array_get (lines, i);
      const char *name = json_string_value (json_object_get (line, "name"));

      if (text->len > 0)
        /* Translators: between the lines of a sale's summary */
        g_string_append (text, C_("sale summary", ", "));
      /* Translators: one line of a sale's summary: a quantity and a product, "2× Cerveja Lata" */
      g_string_append_printf (text, C_("sale summary", "%lld× %s"),
                              (long long) json_get_int (line, "qty"),
                              name != NULL ? name : json_string_value (json_object_get (line, "product")));
    }
  if (n_lines > SUMMARY_LINES)
    g_string_append (text, "…");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GStrv
collect_methods (json_t *payments)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  size_t index;
  json_t *payment;

  json_array_foreach (payments, index, payment)
    {
      const char *method = json_string_value (json_object_get (payment, "method"));

      if (method != NULL && g_hash_table_add (seen, (gpointer) method))
        g_strv_builder_add (builder, method);
    }
  return g_strv_builder_end (builder);
}

/* One row of RECORD_COLUMNS; *out_payload keeps the sale's payload. */
static PdvSaleRecord *
record_from_row (sqlite3_stmt  *stmt,
                 const char    *terminal_name,
                 json_t       **out_payload)
{
  g_autoptr(PdvSaleRecord) record = g_new0 (PdvSaleRecord, 1);
  g_autoptr(json_t) payload = json_loads ((const char *) sqlite3_column_text (stmt, 8), 0, NULL);
  json_t *lines;
  size_t index;
  json_t *line;

  record->sale_id = dup_column_text (stmt, 0);
  record->seq = sqlite3_column_int64 (stmt, 1);
  record->number = pdv_sale_number (terminal_name, pdv_sale_printed_seq (record->seq, payload));
  record->created_at = dup_column_text (stmt, 2);
  record->user = dup_column_text (stmt, 3);
  record->user_name = dup_column_text (stmt, 4);
  record->total = sqlite3_column_int64 (stmt, 5);
  record->refunded = sqlite3_column_int64 (stmt, 6);
  record->voided = sqlite3_column_int (stmt, 7) != 0;

  lines = json_object_get (payload, "lines");
  json_array_foreach (lines, index, line)
    record->n_items += json_get_int (line, "qty");
  record->summary = describe_lines (lines);
  record->methods = collect_methods (json_object_get (payload, "payments"));

  if (out_payload != NULL)
    *out_payload = g_steal_pointer (&payload);
  return g_steal_pointer (&record);
}

/* Whether the sale's id starts with @folded, or one of its products' names
 * holds it. */
static gboolean
record_matches (const PdvSaleRecord *record,
                json_t              *payload,
                const char          *folded)
{
  size_t index;
  json_t *line;

  if (g_ascii_strncasecmp (record->sale_id, folded, strlen (folded)) == 0)
    return TRUE;
  /* "bar1-000123", or its sequence alone: "123", "000123" */
  if (g_ascii_strcasecmp (record->number, folded) == 0)
    return TRUE;
  {
    const char *dash = strrchr (record->number, '-');
    gint64 wanted;

    if (dash != NULL && g_ascii_string_to_signed (folded, 10, 1, G_MAXINT64, &wanted, NULL) &&
        g_ascii_strtoll (dash + 1, NULL, 10) == wanted)
      return TRUE;
  }

  json_array_foreach (json_object_get (payload, "lines"), index, line)
    {
      g_autofree char *name = pdv_text_fold (json_string_value (json_object_get (line, "name")));

      if (strstr (name, folded) != NULL)
        return TRUE;
    }
  return FALSE;
}

/**
 * pdv_sale_history_list:
 * @filter: (nullable): the beginning of a sale's id, or a piece of the name
 *   of a product it sold ("agua" finds "Água Mineral"); %NULL or blank for
 *   every sale
 * @limit: how many sales at most; 0 for %PDV_SALE_HISTORY_DEFAULT_LIMIT
 *
 * The most recent sales of this terminal, newest first, as they stand now.
 *
 * Returns: (transfer full) (element-type PdvSaleRecord): the sales, or %NULL
 *   with @error set when the journal could not be read
 */
GPtrArray *
pdv_sale_history_list (PdvDb       *db,
                       const char  *filter,
                       guint        limit,
                       GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_sale_record_free);
  g_autofree char *folded = NULL;
  g_autofree char *terminal_name = NULL;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  if (limit == 0)
    limit = PDV_SALE_HISTORY_DEFAULT_LIMIT;
  terminal_name = pdv_db_get_meta (db, "terminal_name");
  if (filter != NULL)
    {
      folded = g_strstrip (pdv_text_fold (filter));
      if (*folded == '\0')
        g_clear_pointer (&folded, g_free);
    }

  /* Without a filter the index on seq hands over the last @limit rows; with
   * one, sales are read newest first until @limit of them match. */
  if (folded == NULL)
    {
      stmt = pdv_db_prepare (db, "SELECT " RECORD_COLUMNS RECORD_TABLES "ORDER BY s.seq DESC LIMIT ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, limit);
    }
  else
    {
      stmt = pdv_db_prepare (db, "SELECT " RECORD_COLUMNS RECORD_TABLES "ORDER BY s.seq DESC", error);
      if (stmt == NULL)
        return NULL;
    }

  while (records->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(json_t) payload = NULL;
      g_autoptr(PdvSaleRecord) record = record_from_row (stmt, terminal_name, &payload);

      if (folded == NULL || record_matches (record, payload, folded))
        g_ptr_array_add (records, g_steal_pointer (&record));
    }
  if (records->len < limit && rc != SQLITE_DONE)
    {
      pdv_db_set_error (db, error, _("Reading the recent sales"));
      sqlite3_reset (stmt);
      return NULL;
    }
  /* A statement left mid-way would hold its read transaction open. */
  sqlite3_reset (stmt);
  return g_steal_pointer (&records);
}

static void
read_lines (PdvSaleDetail *detail,
            json_t        *lines)
{
  size_t index;
  json_t *item;

  json_array_foreach (lines, index, item)
    {
      PdvSaleRecordLine line = {
        .product_id = json_dup_string (item, "product"),
        .name = json_dup_string (item, "name"),
        .qty = json_get_int (item, "qty"),
        .unit_price = json_get_int (item, "unit_price"),
        .total = json_get_int (item, "total"),
      };

      g_array_append_val (detail->lines, line);
    }
}

static void
read_payments (PdvSaleDetail *detail,
               json_t        *payments)
{
  size_t index;
  json_t *item;

  json_array_foreach (payments, index, item)
    {
      PdvSaleRecordPayment payment = { 0 };

      /* A method a newer version added is left out rather than misnamed. */
      if (!pdv_payment_method_from_string (json_string_value (json_object_get (item, "method")), &payment.method))
        continue;
      payment.amount = json_get_int (item, "amount");
      payment.tendered = json_get_int (item, "tendered");
      payment.change = json_get_int (item, "change");
      payment.reference = json_dup_string (item, "reference");
      g_array_append_val (detail->payments, payment);
    }
}

static gboolean
read_corrections (PdvDb          *db,
                  PdvSaleDetail  *detail,
                  GError        **error)
{
  /* Corrections come after the sale: the kind and seq index finds them. */
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT seq, id, kind, created_at, user_id, payload FROM journal "
                                       "WHERE kind IN ('" PDV_ENTRY_SALE_VOID "', '" PDV_ENTRY_SALE_REFUND "') AND seq > ? "
                                       "AND " PDV_JOURNAL_KIND_INDEXED " "
                                       "AND json_extract (payload, '$.sale_id') = ? ORDER BY seq",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->record->seq);
  sqlite3_bind_text (stmt, 2, detail->record->sale_id, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(json_t) payload = json_loads ((const char *) sqlite3_column_text (stmt, 5), 0, NULL);
      PdvSaleCorrection correction = { 0 };

      correction.seq = sqlite3_column_int64 (stmt, 0);
      correction.entry_id = dup_column_text (stmt, 1);
      correction.kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), PDV_ENTRY_SALE_VOID) == 0
                          ? PDV_SALE_CORRECTION_VOID : PDV_SALE_CORRECTION_REFUND;
      correction.created_at = dup_column_text (stmt, 3);
      correction.user = dup_column_text (stmt, 4);
      correction.authorised_by = json_dup_string (payload, "authorised_by");
      correction.reason = json_dup_string (payload, "reason");
      correction.method = PDV_PAYMENT_CASH;
      if (correction.kind == PDV_SALE_CORRECTION_VOID)
        {
          correction.amount = json_get_int (payload, "total");
          if (detail->voided_by == NULL)
            detail->voided_by = g_strdup (correction.authorised_by);
        }
      else
        {
          correction.amount = json_get_int (payload, "amount");
          pdv_payment_method_from_string (json_string_value (json_object_get (payload, "method")),
                                          &correction.method);
        }
      g_array_append_val (detail->corrections, correction);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading a sale’s voids and refunds"));
  return TRUE;
}

/**
 * pdv_sale_history_get_detail:
 * @sale_id: the id of a "sale" journal entry
 *
 * One sale with its lines, payments, and the voids and refunds that refer
 * to it.
 *
 * Returns: (transfer full): the sale, or %NULL with @error set
 *   (%PDV_SALE_ERROR_UNKNOWN_SALE when this terminal has no such sale)
 */
PdvSaleDetail *
pdv_sale_history_get_detail (PdvDb       *db,
                             const char  *sale_id,
                             GError     **error)
{
  g_autoptr(PdvSaleDetail) detail = NULL;
  g_autoptr(json_t) payload = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);
  g_return_val_if_fail (sale_id != NULL, NULL);

  stmt = pdv_db_prepare (db, "SELECT " RECORD_COLUMNS RECORD_TABLES "WHERE s.sale_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sale_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNKNOWN_SALE,
                     _("There is no sale %s on this terminal"), sale_id);
      else
        pdv_db_set_error (db, error, _("Reading a sale"));
      sqlite3_reset (stmt);
      return NULL;
    }

  detail = g_new0 (PdvSaleDetail, 1);
  {
    g_autofree char *terminal_name = pdv_db_get_meta (db, "terminal_name");
    detail->record = record_from_row (stmt, terminal_name, &payload);
  }
  sqlite3_reset (stmt);

  detail->lines = g_array_new (FALSE, TRUE, sizeof (PdvSaleRecordLine));
  g_array_set_clear_func (detail->lines, clear_line);
  detail->payments = g_array_new (FALSE, TRUE, sizeof (PdvSaleRecordPayment));
  g_array_set_clear_func (detail->payments, clear_payment);
  detail->corrections = g_array_new (FALSE, TRUE, sizeof (PdvSaleCorrection));
  g_array_set_clear_func (detail->corrections, clear_correction);

  read_lines (detail, json_object_get (payload, "lines"));
  read_payments (detail, json_object_get (payload, "payments"));
  detail->change = json_get_int (payload, "change");
  detail->authorised_by = json_dup_string (payload, "authorised_by");
  /* Sales from before discounts have none of these. */
  detail->discount = json_get_int (payload, "discount");
  detail->discount_reason = json_dup_string (payload, "discount_reason");
  detail->discount_authorised_by = json_dup_string (payload, "discount_authorised_by");

  if (!read_corrections (db, detail, error))
    return NULL;
  return g_steal_pointer (&detail);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-stock"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-db-private.h"
#include "pdv-projections.h"

/* Stock is never stored directly: it is what the journal says it is. A catalog
 * import gives a starting count only to products that have none yet, so that
 * re-importing a catalog to change prices cannot undo the night's sales. */

static gboolean
set_initial (PdvDb       *db,
             const char  *product_id,
             gint64       qty,
             gint64       seq,
             GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "INSERT INTO stock (product_id, qty, updated_seq) VALUES (?, ?, ?) "
                                       "ON CONFLICT (product_id) DO NOTHING",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, product_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, qty);
  sqlite3_bind_int64 (stmt, 3, seq);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
set_count (PdvDb       *db,
           const char  *product_id,
           gint64       qty,
           gint64       seq,
           GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "INSERT INTO stock (product_id, qty, updated_seq) VALUES (?, ?, ?) "
                                       "ON CONFLICT (product_id) DO UPDATE SET qty = excluded.qty, "
                                       "updated_seq = excluded.updated_seq",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, product_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, qty);
  sqlite3_bind_int64 (stmt, 3, seq);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
add_delta (PdvDb       *db,
           const char  *product_id,
           gint64       delta,
           gint64       seq,
           GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "INSERT INTO stock (product_id, qty, updated_seq) VALUES (?, ?, ?) "
                                       "ON CONFLICT (product_id) DO UPDATE SET qty = qty + excluded.qty, "
                                       "updated_seq = excluded.updated_seq",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, product_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, delta);
  sqlite3_bind_int64 (stmt, 3, seq);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
malformed (const PdvJournalEntry *entry,
           GError               **error)
{
  g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
               _("Journal entry %lld (%s) has a malformed stock item"),
               (long long) entry->seq, entry->kind);
  return FALSE;
}

static gboolean
stock_apply (PdvDb                 *db,
             const PdvJournalEntry *entry,
             GError               **error)
{
  json_t *items;
  json_t *item;
  size_t i;

  if (g_str_equal (entry->kind, PDV_ENTRY_CATALOG_IMPORT))
    {
      items = json_object_get (entry->payload, "stock");
      json_array_foreach (items, i, item)
        {
          const char *product = json_string_value (json_object_get (item, "product"));
          json_t *qty = json_object_get (item, "qty");

          if (product == NULL || !json_is_integer (qty))
            return malformed (entry, error);
          if (!set_initial (db, product, json_integer_value (qty), entry->seq, error))
            return FALSE;
        }
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_SALE) || g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID))
    {
      /* A sale takes its tracked lines out of stock; voiding it puts them back. */
      gint64 sign = g_str_equal (entry->kind, PDV_ENTRY_SALE) ? -1 : 1;

      items = json_object_get (entry->payload, "lines");
      json_array_foreach (items, i, item)
        {
          const char *product = json_string_value (json_object_get (item, "product"));
          json_t *qty = json_object_get (item, "qty");

          json_t *component;
          size_t j;

          if (product == NULL || !json_is_integer (qty))
            return malformed (entry, error);
          if (json_is_true (json_object_get (item, "tracked")) &&
              !add_delta (db, product, sign * json_integer_value (qty), entry->seq, error))
            return FALSE;
          /* A combo's parts, as many as the sale took. */
          json_array_foreach (json_object_get (item, "components"), j, component)
            {
              const char *part = json_string_value (json_object_get (component, "product"));
              json_t *part_qty = json_object_get (component, "qty");

              if (part == NULL || !json_is_integer (part_qty))
                return malformed (entry, error);
              if (json_is_true (json_object_get (component, "tracked")) &&
                  !add_delta (db, part, sign * json_integer_value (part_qty), entry->seq, error))
                return FALSE;
            }
        }
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_STOCK_COUNT) || g_str_equal (entry->kind, PDV_ENTRY_STOCK_ADJUST))
    {
      gboolean is_count = g_str_equal (entry->kind, PDV_ENTRY_STOCK_COUNT);

      items = json_object_get (entry->payload, "items");
      json_array_foreach (items, i, item)
        {
          const char *product = json_string_value (json_object_get (item, "product"));
          json_t *qty = json_object_get (item, is_count ? "qty" : "delta");

          if (product == NULL || !json_is_integer (qty))
            return malformed (entry, error);
          if (is_count ? !set_count (db, product, json_integer_value (qty), entry->seq, error)
                       : !add_delta (db, product, json_integer_value (qty), entry->seq, error))
            return FALSE;
        }
    }

  return TRUE;
}

const PdvProjection pdv_stock_projection = {
  .name = "stock",
  .clear_sql = "DELETE FROM stock",
  .dump_sql = "SELECT product_id, qty, updated_seq FROM stock ORDER BY product_id",
  .apply = stock_apply,
};

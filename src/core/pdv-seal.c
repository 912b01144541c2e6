/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-seal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "pdv-db-private.h"
#include "pdv-seal.h"

G_DEFINE_QUARK (pdv-seal-error-quark, pdv_seal_error)

typedef struct {
  const char *table;
  const char *columns;     /* what is sealed, in this order */
  guint       n_columns;
  guint       n_key;       /* the first n_key columns name the row */
  const char *update;      /* sets a row's seal: ?1 the seal, then the key */
} SealTable;

static const SealTable catalog_tables[] = {
  { "categories", "id, name, colour, position", 4, 1, "UPDATE categories SET seal = ?1 WHERE id = ?2" },
  { "products", "id, name, price, category_id, barcode, track_stock, stock_policy, colour, position, active, "
    "has_components", 11, 1, "UPDATE products SET seal = ?1 WHERE id = ?2" },
  { "product_components", "product_id, component_id, qty", 3, 2,
    "UPDATE product_components SET seal = ?1 WHERE product_id = ?2 AND component_id = ?3" },
};
static const SealTable users_tables[] = {
  { "users", "id, name, role, pin_hash, active", 5, 1, "UPDATE users SET seal = ?1 WHERE id = ?2" },
};
static const SealTable tickets_tables[] = {
  { "tickets", "id, secret, order_code, holder_name, type, zone, valid_from, valid_until, entry_policy, status, "
    "attention", 11, 1, "UPDATE tickets SET seal = ?1 WHERE id = ?2" },
};
static const SealTable revocations_tables[] = {
  { "revocations", "ticket_id, reason, revoked_at", 3, 1, "UPDATE revocations SET seal = ?1 WHERE ticket_id = ?2" },
};

static const struct {
  const char      *name;
  const char      *entry_kind;
  const SealTable *tables;
  guint            n_tables;
} sets[PDV_SEAL_N_SETS] = {
  [PDV_SEAL_CATALOG] = { "catalog", PDV_ENTRY_CATALOG_IMPORT, catalog_tables, G_N_ELEMENTS (catalog_tables) },
  [PDV_SEAL_USERS] = { "users", PDV_ENTRY_USERS_IMPORT, users_tables, G_N_ELEMENTS (users_tables) },
  [PDV_SEAL_TICKETS] = { "tickets", PDV_ENTRY_TICKETS_IMPORT, tickets_tables, G_N_ELEMENTS (tickets_tables) },
  [PDV_SEAL_REVOCATIONS] = { "revocations", PDV_ENTRY_REVOCATIONS_IMPORT, revocations_tables,
                             G_N_ELEMENTS (revocations_tables) },
};

/* Settings kept in the database that change how the terminal sells or
 * admits; each settings.change journals all of them as they stand. */
static const char * const settings_keys[] = {
  "shifts_required", "cash_tolerance", "gate_name", "gate_zones", "gate_direction", "gate_stale_capacity",
  "gate_stale_margin", NULL,
};
/* What an event import leaves in the database. */
static const char * const event_keys[] = {
  "event_id", "event_name", "event", "ticket_public_key", NULL,
};

const char *
pdv_seal_set_name (PdvSealSet set)
{
  g_return_val_if_fail (set < PDV_SEAL_N_SETS, NULL);
  return sets[set].name;
}

/* Returns: the set an import entry kind seals, or %PDV_SEAL_N_SETS */
PdvSealSet
pdv_seal_set_for_kind (const char *entry_kind)
{
  for (guint i = 0; i < PDV_SEAL_N_SETS; i++)
    if (g_strcmp0 (entry_kind, sets[i].entry_kind) == 0)
      return i;
  return PDV_SEAL_N_SETS;
}

/**
 * pdv_seal_hash_row:
 * @values: the row's columns as text, %NULL for SQL NULL
 *
 * The SHA-256 of a row's canonical form: the table's name, then each column
 * marked as NULL or as text that ends with a NUL.
 */
void
pdv_seal_hash_row (const char         *table,
                   const char * const *values,
                   guint               n_values,
                   guint8              hash[32])
{
  crypto_hash_sha256_state state;

  crypto_hash_sha256_init (&state);
  crypto_hash_sha256_update (&state, (const guint8 *) table, strlen (table) + 1);
  for (guint i = 0; i < n_values; i++)
    {
      if (values[i] == NULL)
        crypto_hash_sha256_update (&state, (const guint8 *) "\1", 1);
      else
        {
          crypto_hash_sha256_update (&state, (const guint8 *) "\2", 1);
          crypto_hash_sha256_update (&state, (const guint8 *) values[i], strlen (values[i]) + 1);
        }
    }
  crypto_hash_sha256_final (&state, hash);
}

/* The seal a row carries: the first 8 bytes of its hash. */
gint64
pdv_seal_of_hash (const guint8 hash[32])
{
  guint64 value;

  memcpy (&value, hash, sizeof value);
  return (gint64) GUINT64_FROM_LE (value);
}

void
pdv_seal_sum_add (PdvSealSum   *sum,
                  const guint8  hash[32])
{
  for (guint i = 0; i < 4; i++)
    {
      guint64 lane;

      memcpy (&lane, hash + 8 * i, sizeof lane);
      sum->lane[i] += GUINT64_FROM_LE (lane);
    }
  sum->rows++;
}

void
pdv_seal_sum_remove (PdvSealSum   *sum,
                     const guint8  hash[32])
{
  for (guint i = 0; i < 4; i++)
    {
      guint64 lane;

      memcpy (&lane, hash + 8 * i, sizeof lane);
      sum->lane[i] -= GUINT64_FROM_LE (lane);
    }
  sum->rows--;
}

static char *
sum_hex (const PdvSealSum *sum)
{
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
                          "x%016" G_GINT64_MODIFIER "x",
                          sum->lane[0], sum->lane[1], sum->lane[2], sum->lane[3]);
}

static gboolean
sum_from_hex (const char *hex,
              gint64      rows,
              PdvSealSum *sum)
{
  if (hex == NULL || strlen (hex) != 64 || rows < 0)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      char part[17];
      char *end = NULL;

      memcpy (part, hex + 16 * i, 16);
      part[16] = '\0';
      sum->lane[i] = g_ascii_strtoull (part, &end, 16);
      if (end != part + 16)
        return FALSE;
    }
  sum->rows = rows;
  return TRUE;
}

/* {"rows": N, "sum": "<64 hex digits>"}: what an import entry journals. */
json_t *
pdv_seal_sum_to_json (const PdvSealSum *sum)
{
  g_autofree char *hex = sum_hex (sum);

  return json_pack ("{s:I, s:s}", "rows", (json_int_t) sum->rows, "sum", hex);
}

static gboolean
sum_from_json (json_t     *value,
               PdvSealSum *sum)
{
  json_t *rows = json_object_get (value, "rows");

  return json_is_integer (rows) && sum_from_hex (json_string_value (json_object_get (value, "sum")),
                                                 json_integer_value (rows), sum);
}

static gboolean
sums_equal (const PdvSealSum *a,
            const PdvSealSum *b)
{
  return a->rows == b->rows && memcmp (a->lane, b->lane, sizeof a->lane) == 0;
}

static char *
running_key (PdvSealSet set)
{
  return g_strconcat ("seal_", sets[set].name, NULL);
}

/**
 * pdv_seal_get_running:
 *
 * The sum of @set as its imports left it, kept in the database so that an
 * import that changes a few rows of a million need not read them all.
 * Computed from the table (and every row sealed) when not kept yet.
 */
gboolean
pdv_seal_get_running (PdvDb       *db,
                      PdvSealSet   set,
                      PdvSealSum  *sum,
                      GError     **error)
{
  g_autofree char *key = running_key (set);
  g_autofree char *text = pdv_db_get_meta (db, key);
  g_auto(GStrv) parts = text ? g_strsplit (text, ":", 2) : NULL;
  gint64 rows;

  memset (sum, 0, sizeof *sum);
  if (parts != NULL && g_strv_length (parts) == 2 &&
      g_ascii_string_to_signed (parts[0], 10, 0, G_MAXINT64, &rows, NULL) &&
      sum_from_hex (parts[1], rows, sum))
    return TRUE;
  return pdv_seal_recompute (db, set, sum, error);
}

gboolean
pdv_seal_put_running (PdvDb             *db,
                      PdvSealSet         set,
                      const PdvSealSum  *sum,
                      GError           **error)
{
  g_autofree char *key = running_key (set);
  g_autofree char *hex = sum_hex (sum);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", sum->rows, hex);

  return pdv_db_set_meta (db, key, text, error);
}

typedef gboolean (*RowFunc) (const SealTable    *table,
                             const char * const *values,
                             gboolean            sealed,
                             gint64              seal,
                             const guint8        hash[32],
                             gpointer            data,
                             GError            **error);

/* Hashes every row of @set's tables, in key order, for @func. */
static gboolean
scan_set (PdvDb       *db,
          PdvSealSet   set,
          RowFunc      func,
          gpointer     data,
          GError     **error)
{
  for (guint t = 0; t < sets[set].n_tables; t++)
    {
      const SealTable *table = &sets[set].tables[t];
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;
      int rc;

      /* Its own statement: @func may write through the cached ones. */
      sql = g_strdup_printf ("SELECT %s, seal FROM %s ORDER BY %u", table->columns, table->table, 1);
      if (sqlite3_prepare_v2 (pdv_db_get_handle (db), sql, -1, &stmt, NULL) != SQLITE_OK)
        return pdv_db_set_error (db, error, _("Reading the imported state"));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *values[16];
          guint8 hash[32];

          g_assert (table->n_columns <= G_N_ELEMENTS (values));
          for (guint c = 0; c < table->n_columns; c++)
            values[c] = sqlite3_column_type (stmt, c) == SQLITE_NULL
                          ? NULL : (const char *) sqlite3_column_text (stmt, c);
          pdv_seal_hash_row (table->table, values, table->n_columns, hash);
          if (!func (table, values, sqlite3_column_type (stmt, table->n_columns) != SQLITE_NULL,
                     sqlite3_column_int64 (stmt, table->n_columns), hash, data, error))
            {
              sqlite3_finalize (stmt);
              return FALSE;
            }
        }
      if (rc != SQLITE_DONE)
        {
          pdv_db_set_error (db, error, _("Reading the imported state"));
          sqlite3_finalize (stmt);
          return FALSE;
        }
      sqlite3_finalize (stmt);
    }
  return TRUE;
}

typedef struct {
  PdvDb      *db;
  PdvSealSum *sum;
} Recompute;

static gboolean
reseal_row (const SealTable    *table,
            const char * const *values,
            gboolean            sealed,
            gint64              seal,
            const guint8        hash[32],
            gpointer            data,
            GError            **error)
{
  Recompute *recompute = data;
  gint64 want = pdv_seal_of_hash (hash);

  pdv_seal_sum_add (recompute->sum, hash);
  if (!sealed || seal != want)
    {
      sqlite3_stmt *stmt = pdv_db_prepare (recompute->db, table->update, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, want);
      for (guint k = 0; k < table->n_key; k++)
        sqlite3_bind_text (stmt, 2 + k, values[k], -1, SQLITE_STATIC);
      if (!pdv_db_step_done (recompute->db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * pdv_seal_recompute:
 *
 * Seals every row of @set as it stands and keeps their sum: what an import
 * of the set does before it journals it. Call inside the import's
 * transaction.
 */
gboolean
pdv_seal_recompute (PdvDb       *db,
                    PdvSealSet   set,
                    PdvSealSum  *sum,
                    GError     **error)
{
  Recompute recompute = { db, sum };

  g_return_val_if_fail (set < PDV_SEAL_N_SETS, FALSE);

  memset (sum, 0, sizeof *sum);
  return scan_set (db, set, reseal_row, &recompute, error) && pdv_seal_put_running (db, set, sum, error);
}

static json_t *
meta_snapshot (PdvDb              *db,
               const char * const *keys)
{
  json_t *snapshot = json_object ();

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = pdv_db_get_meta (db, keys[i]);

      json_object_set_new (snapshot, keys[i], value ? json_string (value) : json_null ());
    }
  return snapshot;
}

/* Every guarded setting as it stands, for a settings.change entry. */
json_t *
pdv_seal_settings_snapshot (PdvDb *db)
{
  return meta_snapshot (db, (const char * const *) settings_keys);
}

/* What an event import left, for its entry. */
json_t *
pdv_seal_event_snapshot (PdvDb *db)
{
  return meta_snapshot (db, (const char * const *) event_keys);
}

/* ---- Verification ---- */

/* The payload of the newest entry of @kind that carries @field. */
static json_t *
newest_with (PdvDb       *db,
             const char  *kind,
             const char  *field,
             GError     **error)
{
  sqlite3_stmt *stmt;
  json_t *found = NULL;
  int rc;

  if (sqlite3_prepare_v2 (pdv_db_get_handle (db),
                          "SELECT payload FROM journal WHERE kind = ? AND " PDV_JOURNAL_KIND_INDEXED
                          " ORDER BY seq DESC",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      pdv_db_set_error (db, error, _("Reading the journal"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  while (found == NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(json_t) payload = json_loads ((const char *) sqlite3_column_text (stmt, 0), 0, NULL);
      json_t *value = json_object_get (payload, field);

      if (value != NULL)
        found = json_incref (value);
    }
  if (found == NULL && rc != SQLITE_DONE)
    pdv_db_set_error (db, error, _("Reading the journal"));
  else if (found == NULL)
    found = json_null ();
  sqlite3_finalize (stmt);
  return found;
}

/* The database version that began sealing imports (see pdv-db.c). */
#define SEALED_SINCE_SCHEMA 13

/* Whether this terminal was made by a version that seals: then a set with no
 * sealed import must be empty, and settings never journalled must be unset.
 * A terminal made before holds state nothing sealed yet; it is noted, not
 * alarmed, until its next import or settings change. */
static gboolean
born_sealed (PdvDb *db)
{
  sqlite3_stmt *stmt;
  gboolean sealed = FALSE;

  if (sqlite3_prepare_v2 (pdv_db_get_handle (db), "SELECT payload FROM journal WHERE seq = 1", -1, &stmt,
                          NULL) != SQLITE_OK)
    return TRUE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(json_t) payload = json_loads ((const char *) sqlite3_column_text (stmt, 0), 0, NULL);

      sealed = json_integer_value (json_object_get (payload, "schema")) >= SEALED_SINCE_SCHEMA;
    }
  else
    sealed = TRUE;
  sqlite3_finalize (stmt);
  return sealed;
}

static char *
describe_row (const SealTable    *table,
              const char * const *values)
{
  if (g_str_equal (table->table, "categories"))
    return g_strdup_printf (_("The category “%s”"), values[0]);
  if (g_str_equal (table->table, "products"))
    /* Translators: a product, by id and name */
    return g_strdup_printf (_("The product “%s” (%s)"), values[0], values[1] ? values[1] : "");
  if (g_str_equal (table->table, "product_components"))
    return g_strdup_printf (_("The component “%s” of the product “%s”"), values[1], values[0]);
  if (g_str_equal (table->table, "users"))
    return g_strdup_printf (_("The user “%s” (%s)"), values[0], values[1] ? values[1] : "");
  if (g_str_equal (table->table, "tickets"))
    return g_strdup_printf (_("The ticket “%s”"), values[0]);
  return g_strdup_printf (_("The revocation of the ticket “%s”"), values[0]);
}

typedef struct {
  PdvSealSum sum;
  gboolean   rows_only;   /* nothing sealed them yet: count them */
} Check;

static gboolean
check_row (const SealTable    *table,
           const char * const *values,
           gboolean            sealed,
           gint64              seal,
           const guint8        hash[32],
           gpointer            data,
           GError            **error)
{
  Check *check = data;

  if (!check->rows_only && (!sealed || seal != pdv_seal_of_hash (hash)))
    {
      g_autofree char *row = describe_row (table, values);

      g_set_error (error, PDV_SEAL_ERROR, PDV_SEAL_ERROR_ROW_CHANGED,
                   /* Translators: %s names a row, e.g. The product “CERV” (Cerveja) */
                   _("%s was changed in the database after it was imported. Import it again from its "
                     "source file, or from the sync server."),
                   row);
      return FALSE;
    }
  pdv_seal_sum_add (&check->sum, hash);
  return TRUE;
}

/* What a set is called on its own, after a colon. */
static const char *
set_label (PdvSealSet set)
{
  switch (set)
    {
    case PDV_SEAL_CATALOG: return _("catalog");
    case PDV_SEAL_USERS: return _("users");
    case PDV_SEAL_TICKETS: return _("tickets");
    case PDV_SEAL_REVOCATIONS: return _("revocations");
    case PDV_SEAL_N_SETS:
    default: g_return_val_if_reached (NULL);
    }
}

/* Whether the journal's last word on @set is an import.begin with no import
 * after it: a list from the sync server, applied in steps, was cut short
 * (it completes at the next pull). */
static gboolean
import_under_way (PdvDb       *db,
                  PdvSealSet   set,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean under_way = FALSE;
  int rc;

  if (sqlite3_prepare_v2 (pdv_db_get_handle (db),
                          "SELECT kind, payload FROM journal WHERE kind IN (?, '" PDV_ENTRY_IMPORT_BEGIN "') AND "
                          PDV_JOURNAL_KIND_INDEXED " ORDER BY seq DESC",
                          -1, &stmt, NULL) != SQLITE_OK)
    return pdv_db_set_error (db, error, _("Reading the journal"));
  sqlite3_bind_text (stmt, 1, sets[set].entry_kind, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(json_t) payload = NULL;

      if (g_str_equal ((const char *) sqlite3_column_text (stmt, 0), sets[set].entry_kind))
        break;
      payload = json_loads ((const char *) sqlite3_column_text (stmt, 1), 0, NULL);
      if (g_strcmp0 (json_string_value (json_object_get (payload, "set")), sets[set].name) == 0)
        {
          under_way = TRUE;
          break;
        }
    }
  sqlite3_finalize (stmt);
  return under_way;
}

static gboolean
verify_set (PdvJournal  *journal,
            PdvSealSet   set,
            gboolean     strict,
            GPtrArray   *notes,
            GError     **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(json_t) sealed = NULL;
  PdvSealSum journalled = { 0 };
  Check check = { 0 };

  sealed = newest_with (db, sets[set].entry_kind, "seal", error);
  if (sealed == NULL)
    return FALSE;
  check.rows_only = json_is_null (sealed) && !strict;
  if (!scan_set (db, set, check_row, &check, error))
    return FALSE;
  if (check.rows_only)
    {
      /* Imported before this version sealed imports: nothing to hold it to. */
      if (check.sum.rows > 0 && notes != NULL)
        g_ptr_array_add (notes, g_strdup_printf (_("Imported before imports were sealed, so not protected "
                                                   "yet: %s. Import again to protect it."),
                                                 set_label (set)));
      return TRUE;
    }
  /* Never imported (sealed is null): the journalled sum is of nothing. */
  if (!json_is_null (sealed) && !sum_from_json (json_object_get (sealed, sets[set].name), &journalled))
    {
      g_set_error (error, PDV_SEAL_ERROR, PDV_SEAL_ERROR_SET_CHANGED,
                   _("The journal’s last import holds no readable seal: %s"), set_label (set));
      return FALSE;
    }
  if (sums_equal (&check.sum, &journalled))
    return TRUE;
  if (import_under_way (db, set, NULL))
    {
      /* A list from the sync server is written in steps, journalled at the
       * last one: one was cut short and completes at the next pull. */
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup_printf (_("An import was interrupted and completes when the "
                                                   "terminal next pulls from the sync server: %s."),
                                                 set_label (set)));
      return TRUE;
    }
  if (check.sum.rows == journalled.rows)
    g_set_error (error, PDV_SEAL_ERROR, PDV_SEAL_ERROR_SET_CHANGED,
                 /* Translators: %s is catalog, users, tickets or revocations */
                 _("Changed outside an import: %s. Its rows were edited and sealed again by hand, so they no "
                   "longer add up to what the last import left. Import again from the source."),
                 set_label (set));
  else
    g_set_error (error, PDV_SEAL_ERROR, PDV_SEAL_ERROR_SET_CHANGED,
                 /* Translators: the first %s is catalog, users, tickets or revocations */
                 _("Changed outside an import: %s. The database holds %lld rows where the last import left "
                   "%lld. Import again from the source."),
                 set_label (set), (long long) check.sum.rows, (long long) journalled.rows);
  return FALSE;
}

static gboolean
verify_meta (PdvJournal         *journal,
             const char         *kind,
             const char         *field,
             const char * const *keys,
             gboolean            strict,
             GPtrArray          *notes,
             GError            **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(json_t) journalled = newest_with (db, kind, field, error);
  g_autoptr(json_t) now = NULL;

  if (journalled == NULL)
    return FALSE;
  if (json_is_null (journalled) && !strict)
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup (g_str_equal (kind, PDV_ENTRY_EVENT_IMPORT)
                                          ? _("The event was imported before imports were sealed: import it "
                                              "again to protect it.")
                                          : _("No settings change was journalled since settings are sealed: "
                                              "they are protected from their next change.")));
      return TRUE;
    }
  now = meta_snapshot (db, keys);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *want = json_string_value (json_object_get (journalled, keys[i]));
      const char *have = json_string_value (json_object_get (now, keys[i]));

      if (g_strcmp0 (want, have) != 0)
        {
          const char *now_text = have ? have : _("not set");
          const char *journalled_text = want ? want : _("not set");

          if (g_str_equal (kind, PDV_ENTRY_EVENT_IMPORT))
            g_set_error (error, PDV_SEAL_ERROR, PDV_SEAL_ERROR_SETTING_CHANGED,
                         /* Translators: the event's field, its value now, then as last imported */
                         _("The event’s “%s” is “%s” in the database, but its last import left “%s”: it was "
                           "changed without going through PDV."),
                         keys[i], now_text, journalled_text);
          else
            g_set_error (error, PDV_SEAL_ERROR, PDV_SEAL_ERROR_SETTING_CHANGED,
                         /* Translators: a setting's name, its value now, then as last journalled */
                         _("The setting “%s” is “%s” in the database, but the journal last recorded “%s”: it "
                           "was changed without going through PDV."),
                         keys[i], now_text, journalled_text);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
restore_meta (PdvJournal         *journal,
              const char         *kind,
              const char         *field,
              const char * const *keys,
              GError            **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(json_t) journalled = newest_with (db, kind, field, error);

  if (journalled == NULL)
    return FALSE;
  if (!json_is_object (journalled))
    return TRUE;
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *value = json_string_value (json_object_get (journalled, keys[i]));

      if (value != NULL)
        {
          if (!pdv_db_set_meta (db, keys[i], value, error))
            return FALSE;
        }
      else
        {
          sqlite3_stmt *stmt = pdv_db_prepare (db, "DELETE FROM meta WHERE key = ?", error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, keys[i], -1, SQLITE_STATIC);
          if (!pdv_db_step_done (db, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

/**
 * pdv_seal_restore_meta:
 *
 * Puts the guarded settings and the event back as the newest entries that
 * recorded them left them: after a recovery has put back a history this
 * database never applied (pdv-journal-recover.c).
 */
gboolean
pdv_seal_restore_meta (PdvJournal  *journal,
                       GError     **error)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);

  return restore_meta (journal, PDV_ENTRY_EVENT_IMPORT, "state", event_keys, error) &&
         restore_meta (journal, PDV_ENTRY_SETTINGS_CHANGE, "settings", settings_keys, error);
}

/**
 * pdv_seal_verify:
 * @notes: (nullable) (element-type utf8): where to add what is worth telling
 *   and is not damage (a set imported before imports were sealed)
 *
 * Recomputes the imported state and the guarded settings and compares them
 * with what the journal recorded. Fails at the first row or setting that
 * differs, naming it.
 */
gboolean
pdv_seal_verify (PdvJournal  *journal,
                 GPtrArray   *notes,
                 GError     **error)
{
  gboolean strict;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);

  strict = born_sealed (pdv_journal_get_db (journal));
  for (guint i = 0; i < PDV_SEAL_N_SETS; i++)
    if (!verify_set (journal, i, strict, notes, error))
      return FALSE;
  return verify_meta (journal, PDV_ENTRY_EVENT_IMPORT, "state", event_keys, strict, notes, error) &&
         verify_meta (journal, PDV_ENTRY_SETTINGS_CHANGE, "settings", settings_keys, strict, notes, error);
}

/* ---- The alarm ---- */

/**
 * pdv_alarm_get:
 *
 * Returns: (transfer full) (nullable): why this terminal is in alarm, or
 *   %NULL when it is not
 */
char *
pdv_alarm_get (PdvDb *db)
{
  g_return_val_if_fail (PDV_IS_DB (db), NULL);
  return pdv_db_get_meta (db, "alarm");
}

/* Journals @kind with @reason and sets the alarm to @value (NULL: none), in
 * one transaction. */
static gboolean
set_alarm (PdvJournal  *journal,
           const char  *kind,
           const char  *user,
           const char  *reason,
           const char  *value,
           GError     **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(json_t) payload = json_pack ("{s:s}", "reason", reason);
  g_autoptr(PdvJournalEntry) entry = NULL;
  sqlite3_stmt *stmt = NULL;

  if (!pdv_db_begin (db, error))
    return FALSE;
  entry = pdv_journal_append_in_transaction (journal, kind, user, payload, error);
  if (entry != NULL && value == NULL)
    stmt = pdv_db_prepare (db, "DELETE FROM meta WHERE key = 'alarm'", error);
  if (entry == NULL ||
      !(value != NULL ? pdv_db_set_meta (db, "alarm", value, error) : stmt != NULL && pdv_db_step_done (db, stmt, error)) ||
      !pdv_db_commit (db, error))
    {
      pdv_db_rollback (db);
      return FALSE;
    }
  pdv_journal_announce (journal, entry->seq, entry->kind);
  return TRUE;
}

/**
 * pdv_alarm_raise:
 * @reason: what verification found
 *
 * Puts the terminal in alarm (journalled once per reason): it keeps selling,
 * and every sale is marked as made under the alarm, until a check passes.
 */
gboolean
pdv_alarm_raise (PdvJournal  *journal,
                 const char  *reason,
                 GError     **error)
{
  g_autofree char *current = NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  current = pdv_alarm_get (pdv_journal_get_db (journal));
  return g_strcmp0 (current, reason) == 0 ||
         set_alarm (journal, PDV_ENTRY_ALARM_RAISE, NULL, reason, reason, error);
}

/**
 * pdv_alarm_clear:
 *
 * Ends the alarm once a check passed (journalled, with the reason it had).
 */
gboolean
pdv_alarm_clear (PdvJournal  *journal,
                 const char  *user,
                 GError     **error)
{
  g_autofree char *current = NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);

  current = pdv_alarm_get (pdv_journal_get_db (journal));
  return current == NULL || set_alarm (journal, PDV_ENTRY_ALARM_CLEAR, user, current, NULL, error);
}

/**
 * pdv_alarm_follow_check:
 * @check_error: (nullable): why a check failed; %NULL when it passed
 *
 * What a check's outcome does to the alarm: a pass clears it, damage (to
 * the chain, a projection, the imported state or a setting) raises it. A
 * check that could not look (the disk, a lock) leaves it as it is.
 */
gboolean
pdv_alarm_follow_check (PdvJournal    *journal,
                        const GError  *check_error,
                        GError       **error)
{
  if (check_error == NULL)
    return pdv_alarm_clear (journal, NULL, error);
  if (check_error->domain == PDV_SEAL_ERROR || check_error->domain == PDV_JOURNAL_ERROR)
    return pdv_alarm_raise (journal, check_error->message, error);
  g_message ("The terminal’s state could not be checked: %s", check_error->message);
  return TRUE;
}

/**
 * pdv_check_state:
 * @with_projections: also rebuild the projections to compare them (holds
 *   the write lock meanwhile: pdvctl, not the running app)
 * @notes: (nullable) (element-type utf8): see pdv_seal_verify()
 *
 * The hash chain, the projections when asked, then the imported state and
 * the settings. Raises or clears nothing: the caller decides.
 */
gboolean
pdv_check_state (PdvJournal  *journal,
                 gboolean     with_projections,
                 gint64      *out_entries,
                 gint64      *out_bad_seq,
                 GPtrArray   *notes,
                 GError     **error)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);

  return pdv_journal_verify_chain (journal, out_entries, out_bad_seq, error) &&
         (!with_projections || pdv_journal_verify_projections (journal, error)) &&
         pdv_seal_verify (journal, notes, error);
}

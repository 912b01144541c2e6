/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-store-pg"

#include "config.h"

#include <glib/gi18n.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <string.h>

#include "pdv-store-pg.h"

struct _PdvStorePg
{
  PdvStore  parent_instance;
  char     *conninfo;
  PGconn   *conn;
};

G_DEFINE_FINAL_TYPE (PdvStorePg, pdv_store_pg, PDV_TYPE_STORE)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static const char schema_sql[] =
  PDV_STORE_SCHEMA_SQL ("BIGINT", "BIGSERIAL PRIMARY KEY", "BOOLEAN", "NUMERIC");

static gboolean
set_error (PdvStorePg  *self,
           GError     **error,
           PGresult    *result,
           const char  *what)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  /* A lost connection, a deadlock or a serialisation failure: the request
   * may succeed when retried. */
  gboolean unavailable = PQstatus (self->conn) != CONNECTION_OK ||
                         g_strcmp0 (state, "40P01") == 0 || g_strcmp0 (state, "40001") == 0 ||
                         (state != NULL && g_str_has_prefix (state, "08")) ||
                         (state != NULL && g_str_has_prefix (state, "57P"));
  g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (self->conn)));

  g_set_error (error, PDV_STORE_ERROR,
               unavailable ? PDV_STORE_ERROR_UNAVAILABLE : PDV_STORE_ERROR_FAILED,
               "%s: %s", what, message);
  return FALSE;
}

/* Runs @sql with text parameters; %NULL with @error set unless it succeeded. */
static PGresult *
run (PdvStorePg          *self,
     const char          *sql,
     int                  n_params,
     const char * const  *params,
     GError             **error)
{
  PGresult *result;
  ExecStatusType status;

  result = PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_error (self, error, result, "query");
      PQclear (result);
      return NULL;
    }
  return result;
}

static gboolean
run_done (PdvStorePg          *self,
          const char          *sql,
          int                  n_params,
          const char * const  *params,
          GError             **error)
{
  PGresult *result = run (self, sql, n_params, params, error);

  if (result == NULL)
    return FALSE;
  PQclear (result);
  return TRUE;
}

/* One more text in a PostgreSQL array literal, NULL for a missing one:
 * unnest() spreads the arrays back into rows, one short statement for a
 * whole batch (a statement listing each row's values costs PostgreSQL more
 * to parse than to run). */
static void
append_array_text (GString    *array,
                   const char *value)
{
  if (array->len > 1)
    g_string_append_c (array, ',');
  if (value == NULL)
    {
      g_string_append (array, "NULL");
      return;
    }
  g_string_append_c (array, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (array, '\\');
      g_string_append_c (array, *p);
    }
  g_string_append_c (array, '"');
}

/* Runs @sql with one text[] parameter per column of @cells: @n_rows rows
 * of @n_columns texts each (NULL for none), row after row. The statement
 * spreads them back into rows with unnest(). */
static gboolean
run_columns (PdvStorePg          *self,
             const char          *sql,
             guint                n_columns,
             guint                n_rows,
             const char * const  *cells,
             GError             **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; k < n_columns; k++)
    {
      GString *array = g_string_new ("{");

      for (guint i = 0; i < n_rows; i++)
        append_array_text (array, cells[i * n_columns + k]);
      g_string_append_c (array, '}');
      g_ptr_array_add (columns, g_string_free (array, FALSE));
    }
  return run_done (self, sql, (int) n_columns, (const char * const *) columns->pdata, error);
}

/* @values as one text[] literal. */
static char *
text_array (const char * const *values,
            guint               n)
{
  GString *array = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    append_array_text (array, values[i]);
  g_string_append_c (array, '}');
  return g_string_free (array, FALSE);
}

static char *
dup_value (PGresult *result,
           int       row,
           int       column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return g_strdup (PQgetvalue (result, row, column));
}

static gint64
int_value (PGresult *result,
           int       row,
           int       column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

/* Makes one value of a row of a result. */
typedef gpointer (*RowFunc) (PGresult *result,
                             int       row);

static GPtrArray *
collect_rows (PGresult       *result,
              RowFunc         make,
              GDestroyNotify  free_func)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (free_func);

  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (rows, make (result, row));
  return rows;
}

static void
ignore_notice (void       *data,
               const char *message)
{
}

static void
pdv_store_pg_finalize (GObject *object)
{
  PdvStorePg *self = (PdvStorePg *) object;

  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->conninfo);

  G_OBJECT_CLASS (pdv_store_pg_parent_class)->finalize (object);
}

/* After the server restarted or the network failed, the next request gets a
 * new connection instead of failing for ever. */
static gboolean
ensure_connected (PdvStorePg  *self,
                  GError     **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    return set_error (self, error, NULL, "connect");
  return TRUE;
}

static gboolean
pg_ping (PdvStore  *store,
         GError   **error)
{
  PdvStorePg *self = PDV_STORE_PG (store);

  return ensure_connected (self, error) && run_done (self, "SELECT 1", 0, NULL, error);
}

static gboolean
pg_begin (PdvStore  *store,
          gboolean   write,
          GError   **error)
{
  PdvStorePg *self = PDV_STORE_PG (store);

  if (!ensure_connected (self, error))
    return FALSE;
  /* Writers rely on row and advisory locks under READ COMMITTED; readers
   * want one snapshot for a whole report. */
  return run_done (self, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, error);
}

static gboolean
pg_commit (PdvStore  *store,
           GError   **error)
{
  return run_done (PDV_STORE_PG (store), "COMMIT", 0, NULL, error);
}

static void
pg_rollback (PdvStore *store)
{
  PdvStorePg *self = PDV_STORE_PG (store);

  if (PQstatus (self->conn) == CONNECTION_OK && PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    PQclear (PQexec (self->conn, "ROLLBACK"));
}

static gboolean
pg_lock_tickets (PdvStore            *store,
                 const char * const  *ticket_ids,
                 guint                n_tickets,
                 GError             **error)
{
  g_autofree char *ids = text_array (ticket_ids, n_tickets);
  const char *params[] = { ids };

  /* Row by row in the order given: the same order as one at a time. */
  return run_done (PDV_STORE_PG (store),
                   "SELECT pg_advisory_xact_lock (hashtextextended ('pdv-ticket:' || t, 0)) "
                   "FROM unnest ($1::text[]) WITH ORDINALITY AS u (t, o) ORDER BY o",
                   1, params, error);
}

static gboolean
pg_lock_changes (PdvStore  *store,
                 GError   **error)
{
  /* Cursors come from a sequence: without this, a transaction that took
   * cursor 10 could commit after another that took 11 was already pulled,
   * and 10 would never be seen. */
  return run_done (PDV_STORE_PG (store),
                   "SELECT pg_advisory_xact_lock (hashtextextended ('pdv-changes', 0))",
                   0, NULL, error);
}

#define TERMINAL_COLUMNS "id, name, last_seq, last_hash, last_seen"

static PdvStoreTerminal *
terminal_from_row (PGresult *result,
                   int       row)
{
  PdvStoreTerminal *terminal = g_new0 (PdvStoreTerminal, 1);

  terminal->id = dup_value (result, row, 0);
  terminal->name = dup_value (result, row, 1);
  terminal->last_seq = int_value (result, row, 2);
  terminal->last_hash = dup_value (result, row, 3);
  terminal->last_seen = dup_value (result, row, 4);
  return terminal;
}

static gboolean
find_one_terminal (PdvStorePg        *self,
                   const char        *sql,
                   const char        *key,
                   PdvStoreTerminal **out,
                   GError           **error)
{
  const char *params[] = { key };
  g_autoptr(PGresult) result = run (self, sql, 1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *out = terminal_from_row (result, 0);
  return TRUE;
}

static gboolean
pg_find_terminal (PdvStore          *store,
                  const char        *id,
                  gboolean           lock,
                  PdvStoreTerminal **out,
                  GError           **error)
{
  return find_one_terminal (PDV_STORE_PG (store),
                            lock ? "SELECT " TERMINAL_COLUMNS " FROM terminals WHERE id = $1 FOR UPDATE"
                                 : "SELECT " TERMINAL_COLUMNS " FROM terminals WHERE id = $1",
                            id, out, error);
}

static gboolean
pg_find_terminal_by_token (PdvStore          *store,
                           const char        *token_hash,
                           PdvStoreTerminal **out,
                           GError           **error)
{
  return find_one_terminal (PDV_STORE_PG (store),
                            "SELECT " TERMINAL_COLUMNS " FROM terminals WHERE token_hash = $1",
                            token_hash, out, error);
}

static gboolean
pg_enrol_terminal (PdvStore    *store,
                   const char  *id,
                   const char  *name,
                   const char  *token_hash,
                   const char  *now,
                   GError     **error)
{
  const char *params[] = {
    id, name, token_hash, "0000000000000000000000000000000000000000000000000000000000000000", now
  };

  return run_done (PDV_STORE_PG (store),
                   "INSERT INTO terminals (id, name, token_hash, last_seq, last_hash, enrolled_at) "
                   "VALUES ($1, $2, $3, 0, $4, $5) "
                   "ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, "
                   "  enrolled_at = excluded.enrolled_at",
                   G_N_ELEMENTS (params), params, error);
}

static gboolean
pg_advance_terminal (PdvStore    *store,
                     const char  *id,
                     gint64       last_seq,
                     const char  *last_hash,
                     const char  *now,
                     GError     **error)
{
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, last_seq);
  const char *params[] = { seq, last_hash, now, id };

  return run_done (PDV_STORE_PG (store),
                   "UPDATE terminals SET last_seq = $1, last_hash = $2, last_seen = $3 WHERE id = $4",
                   G_N_ELEMENTS (params), params, error);
}

static GPtrArray *
pg_list_terminals (PdvStore  *store,
                   GError   **error)
{
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT " TERMINAL_COLUMNS " FROM terminals ORDER BY name, id",
                                    0, NULL, error);

  if (result == NULL)
    return NULL;
  return collect_rows (result, (RowFunc) terminal_from_row, (GDestroyNotify) pdv_store_terminal_free);
}

static gboolean
pg_count (PdvStore       *store,
          PdvStoreCount   what,
          gint64         *out,
          GError        **error)
{
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    what == PDV_STORE_COUNT_TERMINALS ? "SELECT count(*) FROM terminals"
                                                                       : "SELECT count(*) FROM conflicts",
                                    0, NULL, error);

  if (result == NULL)
    return FALSE;
  *out = int_value (result, 0, 0);
  return TRUE;
}

static gboolean
pg_add_enrolment (PdvStore    *store,
                  const char  *code_hash,
                  const char  *terminal_name,
                  const char  *created_at,
                  const char  *expires_at,
                  GError     **error)
{
  const char *params[] = { code_hash, terminal_name, created_at, expires_at };

  return run_done (PDV_STORE_PG (store),
                   "INSERT INTO enrolments (code_hash, terminal_name, created_at, expires_at) "
                   "VALUES ($1, $2, $3, $4)",
                   G_N_ELEMENTS (params), params, error);
}

static gboolean
pg_find_enrolment (PdvStore           *store,
                   const char         *code_hash,
                   PdvStoreEnrolment **out,
                   GError            **error)
{
  const char *params[] = { code_hash };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT terminal_name, expires_at, used_at FROM enrolments "
                                    "WHERE code_hash = $1 FOR UPDATE",
                                    1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      PdvStoreEnrolment *enrolment = g_new0 (PdvStoreEnrolment, 1);

      enrolment->terminal_name = dup_value (result, 0, 0);
      enrolment->expires_at = dup_value (result, 0, 1);
      enrolment->used_at = dup_value (result, 0, 2);
      *out = enrolment;
    }
  return TRUE;
}

static gboolean
pg_spend_enrolment (PdvStore    *store,
                    const char  *code_hash,
                    const char  *used_at,
                    GError     **error)
{
  const char *params[] = { used_at, code_hash };

  return run_done (PDV_STORE_PG (store), "UPDATE enrolments SET used_at = $1 WHERE code_hash = $2",
                   G_N_ELEMENTS (params), params, error);
}

static gboolean
pg_put_panel_account (PdvStore                   *store,
                      const PdvStorePanelAccount *account,
                      GError                    **error)
{
  const char *params[] = { account->name, account->role, account->password_hash, account->created_at };

  return run_done (PDV_STORE_PG (store),
                   "INSERT INTO panel_accounts (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) "
                   "ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash",
                   G_N_ELEMENTS (params), params, error);
}

static gboolean
pg_find_panel_account (PdvStore              *store,
                       const char            *name,
                       PdvStorePanelAccount **out,
                       GError               **error)
{
  const char *params[] = { name };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT name, role, password_hash, created_at FROM panel_accounts "
                                    "WHERE name = $1", 1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      PdvStorePanelAccount *account = g_new0 (PdvStorePanelAccount, 1);

      account->name = dup_value (result, 0, 0);
      account->role = dup_value (result, 0, 1);
      account->password_hash = dup_value (result, 0, 2);
      account->created_at = dup_value (result, 0, 3);
      *out = account;
    }
  return TRUE;
}

static gboolean
pg_end_panel_session (PdvStore    *store,
                      const char  *id,
                      gint64       expires_at,
                      gint64       now,
                      GError     **error)
{
  g_autofree char *expires_text = g_strdup_printf ("%" G_GINT64_FORMAT, expires_at);
  g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now);
  const char *purge[] = { now_text };
  const char *params[] = { id, expires_text };

  return run_done (PDV_STORE_PG (store), "DELETE FROM panel_sessions_ended WHERE expires_at < $1::BIGINT",
                   G_N_ELEMENTS (purge), purge, error) &&
         run_done (PDV_STORE_PG (store),
                   "INSERT INTO panel_sessions_ended (id, expires_at) VALUES ($1, $2::BIGINT) "
                   "ON CONFLICT (id) DO NOTHING",
                   G_N_ELEMENTS (params), params, error);
}

static gboolean
pg_panel_session_ended (PdvStore    *store,
                        const char  *id,
                        gboolean    *out_ended,
                        GError     **error)
{
  const char *params[] = { id };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store), "SELECT 1 FROM panel_sessions_ended WHERE id = $1",
                                    G_N_ELEMENTS (params), params, error);

  if (result == NULL)
    return FALSE;
  *out_ended = PQntuples (result) > 0;
  return TRUE;
}

static gboolean
pg_put_terminal_status (PdvStore                     *store,
                        const PdvStoreTerminalStatus *status,
                        GError                      **error)
{
  g_autofree char *waiting = status->waiting >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, status->waiting) : NULL;
  const char *params[] = { status->id, status->heard_at, status->version, waiting, status->oldest_unsynced };

  return run_done (PDV_STORE_PG (store),
                   "INSERT INTO terminal_status (id, heard_at, version, waiting, oldest_unsynced) "
                   "VALUES ($1, $2, $3, $4::BIGINT, $5) ON CONFLICT (id) DO UPDATE SET heard_at = $2, version = $3, "
                   "  waiting = $4::BIGINT, oldest_unsynced = $5",
                   G_N_ELEMENTS (params), params, error);
}

static GPtrArray *
pg_list_terminal_status (PdvStore  *store,
                         GError   **error)
{
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT id, heard_at, version, waiting, oldest_unsynced FROM terminal_status",
                                    0, NULL, error);
  GPtrArray *list;

  if (result == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_store_terminal_status_free);
  for (int row = 0; row < PQntuples (result); row++)
    {
      PdvStoreTerminalStatus *status = g_new0 (PdvStoreTerminalStatus, 1);

      status->id = dup_value (result, row, 0);
      status->heard_at = dup_value (result, row, 1);
      status->version = dup_value (result, row, 2);
      status->waiting = PQgetisnull (result, row, 3) ? -1 : int_value (result, row, 3);
      status->oldest_unsynced = dup_value (result, row, 4);
      g_ptr_array_add (list, status);
    }
  return list;
}

static gboolean
pg_get_panel_document (PdvStore    *store,
                       const char  *key,
                       char       **out_value,
                       gint64      *out_version,
                       GError     **error)
{
  const char *params[] = { key };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store), "SELECT value, version FROM panel_documents WHERE key = $1",
                                    1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *out_value = dup_value (result, 0, 0);
      *out_version = int_value (result, 0, 1);
    }
  return TRUE;
}

static gboolean
pg_put_panel_document (PdvStore    *store,
                       const char  *key,
                       const char  *value,
                       gint64       version,
                       gboolean    *out_put,
                       GError     **error)
{
  g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  const char *params[] = { key, value, version_text };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store), version == 0
                                    ? "INSERT INTO panel_documents (key, version, value) VALUES ($1, 1, $2) "
                                      "ON CONFLICT (key) DO NOTHING RETURNING version"
                                    : "UPDATE panel_documents SET value = $2, version = version + 1 "
                                      "WHERE key = $1 AND version = $3::BIGINT RETURNING version",
                                    version == 0 ? 2 : 3, params, error);

  if (result == NULL)
    return FALSE;
  *out_put = PQntuples (result) == 1;
  return TRUE;
}

static gboolean
pg_keep_meta (PdvStore    *store,
              const char  *key,
              const char  *value,
              char       **out_value,
              GError     **error)
{
  const char *params[] = { key, value };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "WITH kept AS (INSERT INTO meta (key, value) VALUES ($1, $2) "
                                    "  ON CONFLICT (key) DO NOTHING RETURNING value) "
                                    "SELECT value FROM kept UNION ALL SELECT value FROM meta WHERE key = $1",
                                    G_N_ELEMENTS (params), params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return set_error (PDV_STORE_PG (store), error, NULL, "meta");
  *out_value = dup_value (result, 0, 0);
  return TRUE;
}

#define ENTRY_COLUMNS \
  "terminal, seq, id, kind, created_at, mono_us, user_id, payload, prev_hash, hash, status"

static PdvStoreEntry *
entry_from_row (PGresult *result,
                int       row)
{
  PdvStoreEntry *entry = g_new0 (PdvStoreEntry, 1);

  entry->terminal = dup_value (result, row, 0);
  entry->seq = int_value (result, row, 1);
  entry->id = dup_value (result, row, 2);
  entry->kind = dup_value (result, row, 3);
  entry->created_at = dup_value (result, row, 4);
  entry->mono_us = int_value (result, row, 5);
  entry->user = dup_value (result, row, 6);
  entry->payload = dup_value (result, row, 7);
  entry->prev_hash = dup_value (result, row, 8);
  entry->hash = dup_value (result, row, 9);
  entry->status = dup_value (result, row, 10);
  return entry;
}

static gboolean
pg_find_entry (PdvStore       *store,
               const char     *terminal,
               gint64          seq,
               PdvStoreEntry **out,
               GError        **error)
{
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  const char *params[] = { terminal, seq_text };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT " ENTRY_COLUMNS " FROM entries WHERE terminal = $1 AND seq = $2",
                                    G_N_ELEMENTS (params), params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *out = entry_from_row (result, 0);
  return TRUE;
}

static gboolean
pg_lock_totals (PdvStore  *store,
                gboolean   exclusive,
                GError   **error)
{
  /* Pushes share it and do not wait for each other; a rebuild waits for
   * them and holds them off. */
  return run_done (PDV_STORE_PG (store),
                   exclusive ? "SELECT pg_advisory_xact_lock (hashtextextended ('pdv-totals', 0))"
                             : "SELECT pg_advisory_xact_lock_shared (hashtextextended ('pdv-totals', 0))",
                   0, NULL, error);
}

static gboolean
pg_add_totals (PdvStore                 *store,
               const PdvStoreTotalDelta *deltas,
               guint                     n_deltas,
               GError                  **error)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **cells = g_new0 (const char *, n_deltas * 7);

  for (guint i = 0; i < n_deltas; i++)
    {
      const PdvStoreTotalDelta *delta = &deltas[i];
      const gint64 sums[] = { delta->a, delta->b, delta->c };
      const char **row = &cells[i * 7];

      row[0] = delta->terminal;
      row[1] = delta->kind;
      row[2] = delta->key;
      for (guint k = 0; k < G_N_ELEMENTS (sums); k++)
        {
          row[3 + k] = g_strdup_printf ("%" G_GINT64_FORMAT, sums[k]);
          g_ptr_array_add (numbers, (gpointer) row[3 + k]);
        }
      row[6] = delta->name;
    }
  /* unnest() gives the rows in the order given: the flush's sorted one. */
  return run_columns (PDV_STORE_PG (store),
                      "INSERT INTO totals (terminal, kind, key, a, b, c, name) "
                      "SELECT * FROM unnest ($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], "
                      "  $6::numeric[], $7::text[]) "
                      "ON CONFLICT (terminal, kind, key) DO UPDATE SET a = totals.a + excluded.a, "
                      "b = totals.b + excluded.b, c = totals.c + excluded.c, "
                      "name = COALESCE (totals.name, excluded.name)",
                      7, n_deltas, cells, error);
}

/* A NUMERIC sum as text, saturated to 64 bits. */
static gint64
sum_value (PGresult *result,
           int       row,
           int       column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static gpointer
total_from_row (PGresult *result,
                int       row)
{
  PdvStoreTotal *total = g_new0 (PdvStoreTotal, 1);

  total->kind = dup_value (result, row, 0);
  total->key = dup_value (result, row, 1);
  total->a = sum_value (result, row, 2);
  total->b = sum_value (result, row, 3);
  total->c = sum_value (result, row, 4);
  total->name = dup_value (result, row, 5);
  return total;
}

static GPtrArray *
pg_list_totals (PdvStore  *store,
                GError   **error)
{
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT kind, key, sum (a), sum (b), sum (c), max (name) FROM totals "
                                    "GROUP BY kind, key ORDER BY kind, key", 0, NULL, error);

  if (result == NULL)
    return NULL;
  return collect_rows (result, total_from_row, (GDestroyNotify) pdv_store_total_free);
}

static gboolean
pg_clear_totals (PdvStore  *store,
                 GError   **error)
{
  return run_done (PDV_STORE_PG (store), "DELETE FROM totals", 0, NULL, error) &&
         run_done (PDV_STORE_PG (store), "DELETE FROM presence", 0, NULL, error) &&
         run_done (PDV_STORE_PG (store), "DELETE FROM voided_sales", 0, NULL, error);
}

static gboolean
pg_find_presences (PdvStore            *store,
                   const char * const  *ticket_ids,
                   guint                n_tickets,
                   GHashTable          *out,
                   GError             **error)
{
  g_autofree char *ids = text_array (ticket_ids, n_tickets);
  const char *params[] = { ids };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT ticket_id, at, zone, inside FROM presence WHERE ticket_id = ANY ($1::text[])",
                                    1, params, error);

  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      PdvStorePresence *presence = g_new0 (PdvStorePresence, 1);

      presence->at = dup_value (result, row, 1);
      presence->zone = dup_value (result, row, 2);
      presence->inside = g_str_equal (PQgetvalue (result, row, 3), "t");
      g_hash_table_insert (out, g_strdup (PQgetvalue (result, row, 0)), presence);
    }
  return TRUE;
}

static gboolean
pg_put_presences (PdvStore               *store,
                  const char * const     *ticket_ids,
                  const PdvStorePresence *presences,
                  guint                   n_tickets,
                  GError                **error)
{
  g_autofree const char **cells = g_new0 (const char *, n_tickets * 4);

  for (guint i = 0; i < n_tickets; i++)
    {
      cells[i * 4] = ticket_ids[i];
      cells[i * 4 + 1] = presences[i].at;
      cells[i * 4 + 2] = presences[i].zone;
      cells[i * 4 + 3] = presences[i].inside ? "t" : "f";
    }
  return run_columns (PDV_STORE_PG (store),
                      "INSERT INTO presence (ticket_id, at, zone, inside) "
                      "SELECT * FROM unnest ($1::text[], $2::text[], $3::text[], $4::boolean[]) "
                      "ON CONFLICT (ticket_id) DO UPDATE SET at = excluded.at, zone = excluded.zone, "
                      "inside = excluded.inside",
                      4, n_tickets, cells, error);
}

static gboolean
pg_mark_voided (PdvStore    *store,
                const char  *sale_id,
                gboolean    *out_newly,
                GError     **error)
{
  const char *params[] = { sale_id };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "INSERT INTO voided_sales (id) VALUES ($1) ON CONFLICT DO NOTHING",
                                    1, params, error);

  if (result == NULL)
    return FALSE;
  *out_newly = g_strcmp0 (PQcmdTuples (result), "1") == 0;
  return TRUE;
}

static gboolean
pg_find_entry_by_id (PdvStore       *store,
                     const char     *id,
                     PdvStoreEntry **out,
                     GError        **error)
{
  const char *params[] = { id };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store), "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = $1",
                                    1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *out = entry_from_row (result, 0);
  return TRUE;
}

static gboolean
pg_find_taken_ids (PdvStore            *store,
                   const char * const  *ids,
                   guint                n_ids,
                   GHashTable          *taken,
                   GError             **error)
{
  g_autoptr(GString) array = g_string_new ("{");
  g_autoptr(PGresult) result = NULL;
  const char *params[1];

  /* Ids are UUIDs (the decoder checks): no quoting needed in the literal. */
  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (array, "%s%s", i > 0 ? "," : "", ids[i]);
  g_string_append_c (array, '}');
  params[0] = array->str;
  result = run (PDV_STORE_PG (store), "SELECT id FROM entries WHERE id = ANY ($1::text[])", 1, params, error);
  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    g_hash_table_add (taken, g_strdup (PQgetvalue (result, row, 0)));
  return TRUE;
}

static gboolean
pg_add_entries (PdvStore            *store,
                const PdvStoreEntry *rows,
                guint                n_rows,
                GError             **error)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **cells = g_new0 (const char *, n_rows * 11);

  for (guint i = 0; i < n_rows; i++)
    {
      const PdvStoreEntry *entry = &rows[i];
      char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, entry->seq);
      char *mono_us = g_strdup_printf ("%" G_GINT64_FORMAT, entry->mono_us);
      const char *row[] = {
        entry->terminal, seq, entry->id, entry->kind, entry->created_at, mono_us, entry->user,
        entry->payload, entry->prev_hash, entry->hash, entry->status,
      };

      g_ptr_array_add (numbers, seq);
      g_ptr_array_add (numbers, mono_us);
      memcpy (&cells[i * 11], row, sizeof row);
    }
  return run_columns (PDV_STORE_PG (store),
                      "INSERT INTO entries (" ENTRY_COLUMNS ") "
                      "SELECT * FROM unnest ($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], "
                      "  $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])",
                      11, n_rows, cells, error);
}

/* Entries read at a time by a scan. */
#define SCAN_PAGE 1000

static gboolean
pg_scan_entries (PdvStore            *store,
                 const char * const  *kinds,
                 PdvStoreEntryFunc    func,
                 gpointer             user_data,
                 GError             **error)
{
  json_t *array = json_array ();
  g_autoptr(PGresult) result = NULL;
  g_autofree char *kinds_text = NULL;
  char *text;

  for (guint i = 0; kinds[i] != NULL; i++)
    json_array_append_new (array, json_string (kinds[i]));
  text = json_dumps (array, JSON_COMPACT);
  json_decref (array);
  kinds_text = g_strdup (text);
  free (text);

  /* Through a cursor, a page at a time: a million entries are never all in
   * memory, and @func may use the connection between pages (the caller's
   * transaction holds the cursor). */
  {
    const char *params[] = { kinds_text };

    if (!run_done (PDV_STORE_PG (store),
                   "DECLARE pdv_scan NO SCROLL CURSOR FOR SELECT " ENTRY_COLUMNS " FROM entries "
                   "WHERE kind IN (SELECT json_array_elements_text ($1::json)) ORDER BY terminal, seq",
                   1, params, error))
      return FALSE;
  }
  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      g_clear_pointer (&result, PQclear);
      result = run (PDV_STORE_PG (store), "FETCH " G_STRINGIFY (SCAN_PAGE) " FROM pdv_scan", 0, NULL, error);
      if (result == NULL)
        return FALSE;
      if (PQntuples (result) == 0)
        break;
      /* Read out before @func runs queries of its own. */
      page = collect_rows (result, (RowFunc) entry_from_row, (GDestroyNotify) pdv_store_entry_free);
      for (guint i = 0; i < page->len; i++)
        if (!func (g_ptr_array_index (page, i), user_data))
          return run_done (PDV_STORE_PG (store), "CLOSE pdv_scan", 0, NULL, error);
    }
  return run_done (PDV_STORE_PG (store), "CLOSE pdv_scan", 0, NULL, error);
}

static gpointer
admission_from_row (PGresult *result,
                    int       row)
{
  PdvStoreAdmission *admission = g_new0 (PdvStoreAdmission, 1);

  admission->position = int_value (result, row, 0);
  admission->terminal = dup_value (result, row, 1);
  admission->seq = int_value (result, row, 2);
  admission->direction = dup_value (result, row, 3);
  admission->at = dup_value (result, row, 4);
  admission->gate = dup_value (result, row, 5);
  admission->conflict = g_strcmp0 (PQgetvalue (result, row, 6), "t") == 0;
  return admission;
}

static gboolean
pg_list_admissions_many (PdvStore            *store,
                         const char * const  *ticket_ids,
                         guint                n_tickets,
                         GHashTable          *out,
                         GError             **error)
{
  g_autofree char *ids = text_array (ticket_ids, n_tickets);
  const char *params[] = { ids };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT position, terminal, seq, direction, at, gate, conflict, ticket_id "
                                    "FROM admissions WHERE ticket_id = ANY ($1::text[]) ORDER BY ticket_id, position",
                                    1, params, error);

  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      GPtrArray *list = g_hash_table_lookup (out, PQgetvalue (result, row, 7));

      if (list != NULL)
        g_ptr_array_add (list, admission_from_row (result, row));
    }
  return TRUE;
}

static gboolean
pg_add_admissions (PdvStore                *store,
                   const char * const      *ticket_ids,
                   const PdvStoreAdmission *admissions,
                   guint                    n_admissions,
                   GError                 **error)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **cells = g_new0 (const char *, n_admissions * 7);

  for (guint i = 0; i < n_admissions; i++)
    {
      const PdvStoreAdmission *admission = &admissions[i];
      char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, admission->seq);
      const char *row[] = {
        ticket_ids[i], admission->terminal, seq, admission->direction, admission->at, admission->gate,
        admission->conflict ? "true" : "false",
      };

      g_ptr_array_add (numbers, seq);
      memcpy (&cells[i * 7], row, sizeof row);
    }
  /* Positions are taken in the order of the rows. */
  return run_columns (PDV_STORE_PG (store),
                      "INSERT INTO admissions (ticket_id, terminal, seq, direction, at, gate, conflict) "
                      "SELECT t, term, s, d, a, g, c FROM unnest ($1::text[], $2::text[], $3::bigint[], $4::text[], "
                      "  $5::text[], $6::text[], $7::boolean[]) WITH ORDINALITY AS u (t, term, s, d, a, g, c, o) "
                      "ORDER BY o",
                      7, n_admissions, cells, error);
}

static gboolean
pg_add_conflict (PdvStore    *store,
                 const char  *id,
                 const char  *ticket_id,
                 const char  *created_at,
                 const char  *data,
                 GError     **error)
{
  const char *params[] = { id, ticket_id, created_at, data };

  return run_done (PDV_STORE_PG (store),
                   "INSERT INTO conflicts (id, ticket_id, created_at, data) VALUES ($1, $2, $3, $4)",
                   G_N_ELEMENTS (params), params, error);
}

static gint64
pg_add_change (PdvStore    *store,
               const char  *type,
               const char  *terminal,
               const char  *data,
               GError     **error)
{
  g_autofree char *floor = g_strdup_printf ("%" G_GINT64_FORMAT, pdv_store_cursor_floor (store));
  const char *params[] = { type, terminal, data, floor };
  /* See pdv_store_add_change(): never below the time in microseconds; the
   * caller holds the feed's lock, so no other server adds one meanwhile. */
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "INSERT INTO changes (cursor, type, terminal, data) "
                                    "VALUES (GREATEST ((SELECT COALESCE (MAX (cursor), 0) FROM changes) + 1, $4::bigint), "
                                    "  $1, $2, $3) "
                                    "RETURNING cursor",
                                    G_N_ELEMENTS (params), params, error);

  if (result == NULL)
    return 0;
  return int_value (result, 0, 0);
}

static gboolean
pg_add_changes (PdvStore            *store,
                const char * const  *types,
                const char * const  *terminals,
                const char * const  *data,
                guint                n_changes,
                GError             **error)
{
  g_autofree char *floor = g_strdup_printf ("%" G_GINT64_FORMAT, pdv_store_cursor_floor (store));
  g_autofree char *types_text = text_array (types, n_changes);
  g_autofree char *terminals_text = text_array (terminals, n_changes);
  g_autofree char *data_text = text_array (data, n_changes);
  const char *params[] = { types_text, terminals_text, data_text, floor };

  /* As pg_add_change() for the first, one more for each after it. */
  return run_done (PDV_STORE_PG (store),
                   "INSERT INTO changes (cursor, type, terminal, data) "
                   "SELECT GREATEST ((SELECT COALESCE (MAX (cursor), 0) FROM changes) + 1, $4::bigint) + o - 1, "
                   "  t, term, d "
                   "FROM unnest ($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u (t, term, d, o) ORDER BY o",
                   G_N_ELEMENTS (params), params, error);
}

static gpointer
change_from_row (PGresult *result,
                 int       row)
{
  PdvStoreChange *change = g_new0 (PdvStoreChange, 1);

  change->cursor = int_value (result, row, 0);
  change->type = dup_value (result, row, 1);
  change->terminal = dup_value (result, row, 2);
  change->data = dup_value (result, row, 3);
  return change;
}

static GPtrArray *
pg_list_changes (PdvStore  *store,
                 gint64     since,
                 gint64     limit,
                 GError   **error)
{
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  g_autofree char *limit_text = g_strdup_printf ("%" G_GINT64_FORMAT, limit);
  const char *params[] = { since_text, limit_text };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT cursor, type, terminal, data FROM changes WHERE cursor > $1 "
                                    "ORDER BY cursor LIMIT $2",
                                    G_N_ELEMENTS (params), params, error);

  if (result == NULL)
    return NULL;
  return collect_rows (result, change_from_row, (GDestroyNotify) pdv_store_change_free);
}

static gboolean
pg_add_document (PdvStore    *store,
                 const char  *type,
                 const char  *body,
                 const char  *created_at,
                 gint64       cursor,
                 GError     **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);
  const char *params[] = { type, body, created_at, cursor_text };

  return run_done (PDV_STORE_PG (store),
                   "INSERT INTO documents (type, body, created_at, cursor) VALUES ($1, $2, $3, $4)",
                   G_N_ELEMENTS (params), params, error);
}

static GPtrArray *
pg_list_documents (PdvStore    *store,
                   const char  *type,
                   gint64       after,
                   GArray      *out_cursors,
                   GError     **error)
{
  g_autofree char *after_text = g_strdup_printf ("%" G_GINT64_FORMAT, after);
  const char *params[] = { type, after_text };
  g_autoptr(PGresult) result = run (PDV_STORE_PG (store),
                                    "SELECT body, cursor FROM documents WHERE type = $1 AND cursor > $2 "
                                    "ORDER BY cursor",
                                    G_N_ELEMENTS (params), params, error);
  GPtrArray *documents;

  if (result == NULL)
    return NULL;
  documents = g_ptr_array_new_with_free_func (g_free);
  for (int row = 0; row < PQntuples (result); row++)
    {
      gint64 cursor = int_value (result, row, 1);

      g_ptr_array_add (documents, dup_value (result, row, 0));
      if (out_cursors != NULL)
        g_array_append_val (out_cursors, cursor);
    }
  return documents;
}

static void
pdv_store_pg_class_init (PdvStorePgClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdvStoreClass *store_class = PDV_STORE_CLASS (klass);

  object_class->finalize = pdv_store_pg_finalize;

  store_class->backend_name = "postgresql";
  store_class->ping = pg_ping;
  store_class->begin = pg_begin;
  store_class->commit = pg_commit;
  store_class->rollback = pg_rollback;
  store_class->lock_tickets = pg_lock_tickets;
  store_class->list_admissions_many = pg_list_admissions_many;
  store_class->add_admissions = pg_add_admissions;
  store_class->add_changes = pg_add_changes;
  store_class->find_presences = pg_find_presences;
  store_class->put_presences = pg_put_presences;
  store_class->lock_changes = pg_lock_changes;
  store_class->find_terminal = pg_find_terminal;
  store_class->find_terminal_by_token = pg_find_terminal_by_token;
  store_class->enrol_terminal = pg_enrol_terminal;
  store_class->advance_terminal = pg_advance_terminal;
  store_class->list_terminals = pg_list_terminals;
  store_class->count = pg_count;
  store_class->add_enrolment = pg_add_enrolment;
  store_class->find_enrolment = pg_find_enrolment;
  store_class->spend_enrolment = pg_spend_enrolment;
  store_class->put_panel_account = pg_put_panel_account;
  store_class->find_panel_account = pg_find_panel_account;
  store_class->end_panel_session = pg_end_panel_session;
  store_class->panel_session_ended = pg_panel_session_ended;
  store_class->keep_meta = pg_keep_meta;
  store_class->get_panel_document = pg_get_panel_document;
  store_class->put_terminal_status = pg_put_terminal_status;
  store_class->list_terminal_status = pg_list_terminal_status;
  store_class->put_panel_document = pg_put_panel_document;
  store_class->find_entry = pg_find_entry;
  store_class->find_taken_ids = pg_find_taken_ids;
  store_class->add_entries = pg_add_entries;
  store_class->add_totals = pg_add_totals;
  store_class->scan_entries = pg_scan_entries;
  store_class->add_conflict = pg_add_conflict;
  store_class->add_change = pg_add_change;
  store_class->list_changes = pg_list_changes;
  store_class->add_document = pg_add_document;
  store_class->list_documents = pg_list_documents;
  store_class->lock_totals = pg_lock_totals;
  store_class->list_totals = pg_list_totals;
  store_class->clear_totals = pg_clear_totals;
  store_class->mark_voided = pg_mark_voided;
  store_class->find_entry_by_id = pg_find_entry_by_id;
}

static void
pdv_store_pg_init (PdvStorePg *self)
{
}

static gboolean
create_schema (PdvStorePg  *self,
               GError     **error)
{
  g_autofree char *version_text = g_strdup_printf ("%d", PDV_STORE_SCHEMA_VERSION);
  g_autoptr(PGresult) result = NULL;
  gint64 version = 0;

  /* Several servers may start at once on an empty database. */
  if (!run_done (self, "BEGIN", 0, NULL, error) ||
      !run_done (self, "SELECT pg_advisory_xact_lock (hashtextextended ('pdv-schema', 0))", 0, NULL, error) ||
      !run_done (self, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                 0, NULL, error))
    goto failed;
  result = run (self, "SELECT value FROM meta WHERE key = 'schema_version'", 0, NULL, error);
  if (result == NULL)
    goto failed;
  if (PQntuples (result) > 0)
    version = int_value (result, 0, 0);
  if (version > PDV_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, PDV_STORE_ERROR, PDV_STORE_ERROR_TOO_NEW,
                   _("The database was written by a newer pdv-syncd (schema %lld, this one knows %d); "
                     "run that version or a later one"),
                   (long long) version, PDV_STORE_SCHEMA_VERSION);
      goto failed;
    }
  if (version < PDV_STORE_SCHEMA_VERSION)
    {
      const char *params[] = { version_text };
      PGresult *created = PQexec (self->conn, schema_sql);

      if (PQresultStatus (created) != PGRES_COMMAND_OK)
        {
          set_error (self, error, created, "schema");
          PQclear (created);
          goto failed;
        }
      PQclear (created);
      if (!run_done (self,
                     "INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     1, params, error))
        goto failed;
    }
  return run_done (self, "COMMIT", 0, NULL, error);

failed:
  pg_rollback (PDV_STORE (self));
  return FALSE;
}

/**
 * pdv_store_pg_open:
 * @conninfo: a libpq connection URI
 *
 * Several pdv-syncd processes may share one database: everything that must
 * happen one at a time takes a row or advisory lock inside its transaction.
 */
PdvStore *
pdv_store_pg_open (const char  *conninfo,
                   GError     **error)
{
  g_autoptr(PdvStorePg) self = g_object_new (PDV_TYPE_STORE_PG, NULL);

  self->conninfo = g_strdup (conninfo);
  self->conn = PQconnectdb (conninfo);
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = self->conn ? g_strstrip (g_strdup (PQerrorMessage (self->conn)))
                                            : g_strdup ("out of memory");

      g_set_error (error, PDV_STORE_ERROR, PDV_STORE_ERROR_UNAVAILABLE,
                   _("Could not connect to PostgreSQL: %s"), message);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);
  if (!create_schema (self, error))
    return NULL;

  return PDV_STORE (g_steal_pointer (&self));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-store-sqlite"

#include "config.h"

#include <glib/gi18n.h>
#include <jansson.h>
#include <sqlite3.h>

#include "pdv-store-sqlite.h"

struct _PdvStoreSqlite
{
  PdvStore    parent_instance;
  char       *path;
  sqlite3    *handle;
  GHashTable *statements;   /* SQL text → sqlite3_stmt */
  gboolean    writing;      /* holds writer_lock */
};

/* SQLite lets one connection write at a time and makes the others poll for
 * the lock; the connections of this process queue here instead, and meet
 * SQLite's lock only against other processes. */
static GMutex writer_lock;

G_DEFINE_FINAL_TYPE (PdvStoreSqlite, pdv_store_sqlite, PDV_TYPE_STORE)

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  PDV_STORE_SCHEMA_SQL ("INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER", "INTEGER");

static gboolean
set_error (PdvStoreSqlite  *self,
           GError         **error,
           const char      *what)
{
  int code = sqlite3_errcode (self->handle) & 0xff;
  gboolean unavailable = code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_IOERR ||
                         code == SQLITE_FULL || code == SQLITE_CANTOPEN || code == SQLITE_READONLY;

  g_set_error (error, PDV_STORE_ERROR,
               unavailable ? PDV_STORE_ERROR_UNAVAILABLE : PDV_STORE_ERROR_FAILED,
               "%s: %s", what, sqlite3_errmsg (self->handle));
  return FALSE;
}

/* A cached statement, reset and without bindings. */
static sqlite3_stmt *
prepare (PdvStoreSqlite  *self,
         const char      *sql,
         GError         **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      set_error (self, error, "prepare");
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Makes one value of the current row of a statement. */
typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);

/* Every row of @stmt (prepared and bound), each made by @make; %NULL with
 * @error set when a step fails. */
static GPtrArray *
collect_rows (PdvStoreSqlite  *self,
              sqlite3_stmt    *stmt,
              RowFunc          make,
              GDestroyNotify   free_func,
              const char      *what,
              GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, make (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (self, error, what);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* The first row of @stmt made by @make into *@out, left alone when there
 * is none. */
static gboolean
find_row (PdvStoreSqlite  *self,
          sqlite3_stmt    *stmt,
          RowFunc          make,
          gpointer        *out,
          const char      *what,
          GError         **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    *out = make (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, error, what);
  return TRUE;
}

static gboolean
step_done (PdvStoreSqlite  *self,
           sqlite3_stmt    *stmt,
           GError         **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error (self, error, "write");
  return TRUE;
}

static gboolean
exec (PdvStoreSqlite  *self,
      const char      *sql,
      GError         **error)
{
  if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_error (self, error, sql);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
release_writer (PdvStoreSqlite *self)
{
  if (self->writing)
    {
      self->writing = FALSE;
      g_mutex_unlock (&writer_lock);
    }
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pdv_store_sqlite_finalize (GObject *object)
{
  PdvStoreSqlite *self = (PdvStoreSqlite *) object;

  release_writer (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    sqlite3_close (self->handle);
  g_free (self->path);

  G_OBJECT_CLASS (pdv_store_sqlite_parent_class)->finalize (object);
}

static gboolean
sqlite_ping (PdvStore  *store,
             GError   **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT count(*) FROM meta", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_error (self, error, "ping");
  return TRUE;
}

static gboolean
sqlite_begin (PdvStore  *store,
              gboolean   write,
              GError   **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);

  if (!write)
    return exec (self, "BEGIN", error);
  g_return_val_if_fail (!self->writing, FALSE);
  g_mutex_lock (&writer_lock);
  self->writing = TRUE;
  /* IMMEDIATE takes the write lock now, so that what is read is what the
   * writes are checked against. */
  if (!exec (self, "BEGIN IMMEDIATE", error))
    {
      release_writer (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_commit (PdvStore  *store,
               GError   **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);

  /* A failed COMMIT leaves the transaction open for the caller's rollback. */
  if (!exec (self, "COMMIT", error))
    return FALSE;
  release_writer (self);
  return TRUE;
}

static void
sqlite_rollback (PdvStore *store)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);

  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
  release_writer (self);
}

static gboolean
sqlite_lock_nothing (PdvStore  *store,
                     GError   **error)
{
  /* BEGIN IMMEDIATE already made this the only writer. */
  return TRUE;
}

static gboolean
sqlite_lock_tickets (PdvStore            *store,
                     const char * const  *ticket_ids,
                     guint                n_tickets,
                     GError             **error)
{
  return sqlite_lock_nothing (store, error);
}

static PdvStoreTerminal *
terminal_from_row (sqlite3_stmt *stmt)
{
  PdvStoreTerminal *terminal = g_new0 (PdvStoreTerminal, 1);

  terminal->id = dup_column (stmt, 0);
  terminal->name = dup_column (stmt, 1);
  terminal->last_seq = sqlite3_column_int64 (stmt, 2);
  terminal->last_hash = dup_column (stmt, 3);
  terminal->last_seen = dup_column (stmt, 4);
  return terminal;
}

#define TERMINAL_COLUMNS "id, name, last_seq, last_hash, last_seen"

static gboolean
find_one_terminal (PdvStoreSqlite    *self,
                   const char        *sql,
                   const char        *key,
                   PdvStoreTerminal **out,
                   GError           **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = terminal_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, error, "terminals");
  return TRUE;
}

static gboolean
sqlite_find_terminal (PdvStore          *store,
                      const char        *id,
                      gboolean           lock,
                      PdvStoreTerminal **out,
                      GError           **error)
{
  return find_one_terminal (PDV_STORE_SQLITE (store),
                            "SELECT " TERMINAL_COLUMNS " FROM terminals WHERE id = ?", id, out, error);
}

static gboolean
sqlite_find_terminal_by_token (PdvStore          *store,
                               const char        *token_hash,
                               PdvStoreTerminal **out,
                               GError           **error)
{
  return find_one_terminal (PDV_STORE_SQLITE (store),
                            "SELECT " TERMINAL_COLUMNS " FROM terminals WHERE token_hash = ?",
                            token_hash, out, error);
}

static gboolean
sqlite_enrol_terminal (PdvStore    *store,
                       const char  *id,
                       const char  *name,
                       const char  *token_hash,
                       const char  *now,
                       GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO terminals (id, name, token_hash, last_seq, last_hash, enrolled_at) "
                  "VALUES (?1, ?2, ?3, 0, ?4, ?5) "
                  "ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, "
                  "  enrolled_at = excluded.enrolled_at",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, name);
  bind_text (stmt, 3, token_hash);
  bind_text (stmt, 4, "0000000000000000000000000000000000000000000000000000000000000000");
  bind_text (stmt, 5, now);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_advance_terminal (PdvStore    *store,
                         const char  *id,
                         gint64       last_seq,
                         const char  *last_hash,
                         const char  *now,
                         GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "UPDATE terminals SET last_seq = ?, last_hash = ?, last_seen = ? WHERE id = ?",
                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, last_seq);
  bind_text (stmt, 2, last_hash);
  bind_text (stmt, 3, now);
  bind_text (stmt, 4, id);
  return step_done (self, stmt, error);
}

static GPtrArray *
sqlite_list_terminals (PdvStore  *store,
                       GError   **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " TERMINAL_COLUMNS " FROM terminals ORDER BY name, id", error);

  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, (RowFunc) terminal_from_row, (GDestroyNotify) pdv_store_terminal_free,
                       "terminals", error);
}

static gboolean
sqlite_count (PdvStore       *store,
              PdvStoreCount   what,
              gint64         *out,
              GError        **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  what == PDV_STORE_COUNT_TERMINALS ? "SELECT count(*) FROM terminals"
                                                     : "SELECT count(*) FROM conflicts",
                  error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_error (self, error, "count");
  return TRUE;
}

static gboolean
sqlite_add_enrolment (PdvStore    *store,
                      const char  *code_hash,
                      const char  *terminal_name,
                      const char  *created_at,
                      const char  *expires_at,
                      GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO enrolments (code_hash, terminal_name, created_at, expires_at) "
                                "VALUES (?, ?, ?, ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, code_hash);
  bind_text (stmt, 2, terminal_name);
  bind_text (stmt, 3, created_at);
  bind_text (stmt, 4, expires_at);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_find_enrolment (PdvStore           *store,
                       const char         *code_hash,
                       PdvStoreEnrolment **out,
                       GError            **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT terminal_name, expires_at, used_at FROM enrolments WHERE code_hash = ?",
                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, code_hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      PdvStoreEnrolment *enrolment = g_new0 (PdvStoreEnrolment, 1);

      enrolment->terminal_name = dup_column (stmt, 0);
      enrolment->expires_at = dup_column (stmt, 1);
      enrolment->used_at = dup_column (stmt, 2);
      *out = enrolment;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, error, "enrolments");
  return TRUE;
}

static gboolean
sqlite_spend_enrolment (PdvStore    *store,
                        const char  *code_hash,
                        const char  *used_at,
                        GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "UPDATE enrolments SET used_at = ? WHERE code_hash = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, used_at);
  bind_text (stmt, 2, code_hash);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_put_panel_account (PdvStore                   *store,
                          const PdvStorePanelAccount *account,
                          GError                    **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO panel_accounts (name, role, password_hash, created_at) "
                                      "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET role = excluded.role, "
                                      "  password_hash = excluded.password_hash", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, account->name);
  bind_text (stmt, 2, account->role);
  bind_text (stmt, 3, account->password_hash);
  bind_text (stmt, 4, account->created_at);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_find_panel_account (PdvStore              *store,
                           const char            *name,
                           PdvStorePanelAccount **out,
                           GError               **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT name, role, password_hash, created_at FROM panel_accounts "
                                      "WHERE name = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      PdvStorePanelAccount *account = g_new0 (PdvStorePanelAccount, 1);

      account->name = dup_column (stmt, 0);
      account->role = dup_column (stmt, 1);
      account->password_hash = dup_column (stmt, 2);
      account->created_at = dup_column (stmt, 3);
      *out = account;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, error, "panel_accounts");
  return TRUE;
}

/* Whether @sql (one parameter, @key) finds a row; @what names the table
 * in an error. */
static gboolean
row_exists (PdvStoreSqlite  *self,
            const char      *sql,
            const char      *key,
            gboolean        *out,
            const char      *what,
            GError         **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, error, what);
  return TRUE;
}

static gboolean
sqlite_end_panel_session (PdvStore    *store,
                          const char  *id,
                          gint64       expires_at,
                          gint64       now,
                          GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "DELETE FROM panel_sessions_ended WHERE expires_at < ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!step_done (self, stmt, error))
    return FALSE;
  stmt = prepare (self, "INSERT INTO panel_sessions_ended (id, expires_at) VALUES (?, ?) "
                        "ON CONFLICT (id) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, expires_at);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_panel_session_ended (PdvStore    *store,
                            const char  *id,
                            gboolean    *out_ended,
                            GError     **error)
{
  return row_exists (PDV_STORE_SQLITE (store), "SELECT 1 FROM panel_sessions_ended WHERE id = ?", id, out_ended,
                     "panel_sessions_ended", error);
}

static gboolean
sqlite_put_terminal_status (PdvStore                     *store,
                            const PdvStoreTerminalStatus *status,
                            GError                      **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO terminal_status (id, heard_at, version, waiting, oldest_unsynced) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET heard_at = ?2, "
                                      "  version = ?3, waiting = ?4, oldest_unsynced = ?5", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, status->id);
  bind_text (stmt, 2, status->heard_at);
  bind_text (stmt, 3, status->version);
  if (status->waiting >= 0)
    sqlite3_bind_int64 (stmt, 4, status->waiting);
  else
    sqlite3_bind_null (stmt, 4);
  bind_text (stmt, 5, status->oldest_unsynced);
  return step_done (self, stmt, error);
}

static GPtrArray *
sqlite_list_terminal_status (PdvStore  *store,
                             GError   **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_store_terminal_status_free);
  sqlite3_stmt *stmt = prepare (self, "SELECT id, heard_at, version, waiting, oldest_unsynced FROM terminal_status",
                                error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvStoreTerminalStatus *status = g_new0 (PdvStoreTerminalStatus, 1);

      status->id = dup_column (stmt, 0);
      status->heard_at = dup_column (stmt, 1);
      status->version = dup_column (stmt, 2);
      status->waiting = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 3);
      status->oldest_unsynced = dup_column (stmt, 4);
      g_ptr_array_add (list, status);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (self, error, "terminal_status");
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
sqlite_get_panel_document (PdvStore    *store,
                           const char  *key,
                           char       **out_value,
                           gint64      *out_version,
                           GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT value, version FROM panel_documents WHERE key = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_value = dup_column (stmt, 0);
      *out_version = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, error, "panel_documents");
  return TRUE;
}

static gboolean
sqlite_put_panel_document (PdvStore    *store,
                           const char  *key,
                           const char  *value,
                           gint64       version,
                           gboolean    *out_put,
                           GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, version == 0
                                      ? "INSERT INTO panel_documents (key, version, value) VALUES (?1, 1, ?2) "
                                        "ON CONFLICT (key) DO NOTHING"
                                      : "UPDATE panel_documents SET value = ?2, version = version + 1 "
                                        "WHERE key = ?1 AND version = ?3", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  if (version != 0)
    sqlite3_bind_int64 (stmt, 3, version);
  if (!step_done (self, stmt, error))
    return FALSE;
  *out_put = sqlite3_changes (self->handle) == 1;
  return TRUE;
}

static gboolean
sqlite_keep_meta (PdvStore    *store,
                  const char  *key,
                  const char  *value,
                  char       **out_value,
                  GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  if (!step_done (self, stmt, error))
    return FALSE;
  stmt = prepare (self, "SELECT value FROM meta WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = dup_column (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_error (self, error, "meta");
  return TRUE;
}

#define ENTRY_COLUMNS \
  "terminal, seq, id, kind, created_at, mono_us, user_id, payload, prev_hash, hash, status"

static PdvStoreEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  PdvStoreEntry *entry = g_new0 (PdvStoreEntry, 1);

  entry->terminal = dup_column (stmt, 0);
  entry->seq = sqlite3_column_int64 (stmt, 1);
  entry->id = dup_column (stmt, 2);
  entry->kind = dup_column (stmt, 3);
  entry->created_at = dup_column (stmt, 4);
  entry->mono_us = sqlite3_column_int64 (stmt, 5);
  entry->user = dup_column (stmt, 6);
  entry->payload = dup_column (stmt, 7);
  entry->prev_hash = dup_column (stmt, 8);
  entry->hash = dup_column (stmt, 9);
  entry->status = dup_column (stmt, 10);
  return entry;
}

static gboolean
sqlite_find_entry (PdvStore       *store,
                   const char     *terminal,
                   gint64          seq,
                   PdvStoreEntry **out,
                   GError        **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " ENTRY_COLUMNS " FROM entries WHERE terminal = ? AND seq = ?",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, terminal);
  sqlite3_bind_int64 (stmt, 2, seq);
  return find_row (self, stmt, (RowFunc) entry_from_row, (gpointer *) out, "entries", error);
}

static gboolean
sqlite_lock_totals (PdvStore  *store,
                    gboolean   exclusive,
                    GError   **error)
{
  /* BEGIN IMMEDIATE already made this the only writer. */
  return TRUE;
}

#define ADD_TOTAL_SQL(P) \
  "INSERT INTO totals (terminal, kind, key, a, b, c, name) VALUES (" P ") " \
  "ON CONFLICT (terminal, kind, key) DO UPDATE SET a = totals.a + excluded.a, b = totals.b + excluded.b, " \
  "c = totals.c + excluded.c, name = COALESCE (totals.name, excluded.name)"

static gboolean
add_total (PdvStore                 *store,
           const PdvStoreTotalDelta *delta,
           GError                  **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, ADD_TOTAL_SQL ("?, ?, ?, ?, ?, ?, ?"), error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, delta->terminal);
  bind_text (stmt, 2, delta->kind);
  bind_text (stmt, 3, delta->key);
  sqlite3_bind_int64 (stmt, 4, delta->a);
  sqlite3_bind_int64 (stmt, 5, delta->b);
  sqlite3_bind_int64 (stmt, 6, delta->c);
  bind_text (stmt, 7, delta->name);
  return step_done (self, stmt, error);
}

static gpointer
total_from_row (sqlite3_stmt *stmt)
{
  PdvStoreTotal *total = g_new0 (PdvStoreTotal, 1);

  total->kind = dup_column (stmt, 0);
  total->key = dup_column (stmt, 1);
  total->a = sqlite3_column_int64 (stmt, 2);
  total->b = sqlite3_column_int64 (stmt, 3);
  total->c = sqlite3_column_int64 (stmt, 4);
  total->name = dup_column (stmt, 5);
  return total;
}

static GPtrArray *
sqlite_list_totals (PdvStore  *store,
                    GError   **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  /* Sums past 64 bits become floating point in SQLite; read back, they
   * saturate. */
  sqlite3_stmt *stmt = prepare (self, "SELECT kind, key, sum (a), sum (b), sum (c), max (name) FROM totals "
                                      "GROUP BY kind, key ORDER BY kind, key", error);

  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, total_from_row, (GDestroyNotify) pdv_store_total_free, "totals", error);
}

static gboolean
sqlite_clear_totals (PdvStore  *store,
                     GError   **error)
{
  return exec (PDV_STORE_SQLITE (store), "DELETE FROM totals; DELETE FROM presence; DELETE FROM voided_sales;",
               error);
}

static gpointer
presence_from_row (sqlite3_stmt *stmt)
{
  PdvStorePresence *presence = g_new0 (PdvStorePresence, 1);

  presence->at = dup_column (stmt, 0);
  presence->zone = dup_column (stmt, 1);
  presence->inside = sqlite3_column_int (stmt, 2) != 0;
  return presence;
}

static gboolean
find_presence (PdvStore          *store,
                      const char        *ticket_id,
                      PdvStorePresence **out,
                      GError           **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT at, zone, inside FROM presence WHERE ticket_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, ticket_id);
  return find_row (self, stmt, presence_from_row, (gpointer *) out, "presence", error);
}

static gboolean
put_presence (PdvStore               *store,
                     const char             *ticket_id,
                     const PdvStorePresence *presence,
                     GError                **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO presence (ticket_id, at, zone, inside) "
                                      "VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, ticket_id);
  bind_text (stmt, 2, presence->at);
  bind_text (stmt, 3, presence->zone);
  sqlite3_bind_int (stmt, 4, presence->inside);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_mark_voided (PdvStore    *store,
                    const char  *sale_id,
                    gboolean    *out_newly,
                    GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "INSERT OR IGNORE INTO voided_sales (id) VALUES (?)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, sale_id);
  if (!step_done (self, stmt, error))
    return FALSE;
  *out_newly = sqlite3_changes (self->handle) > 0;
  return TRUE;
}

static gboolean
sqlite_find_entry_by_id (PdvStore       *store,
                         const char     *id,
                         PdvStoreEntry **out,
                         GError        **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  return find_row (self, stmt, (RowFunc) entry_from_row, (gpointer *) out, "entries", error);
}

static gboolean
entry_id_exists (PdvStore    *store,
                 const char  *id,
                 gboolean    *out,
                 GError     **error)
{
  return row_exists (PDV_STORE_SQLITE (store), "SELECT 1 FROM entries WHERE id = ?", id, out, "entries", error);
}

static gboolean
add_entry (PdvStore             *store,
                  const PdvStoreEntry  *entry,
                  GError              **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO entries (" ENTRY_COLUMNS ") "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, entry->terminal);
  sqlite3_bind_int64 (stmt, 2, entry->seq);
  bind_text (stmt, 3, entry->id);
  bind_text (stmt, 4, entry->kind);
  bind_text (stmt, 5, entry->created_at);
  sqlite3_bind_int64 (stmt, 6, entry->mono_us);
  bind_text (stmt, 7, entry->user);
  bind_text (stmt, 8, entry->payload);
  bind_text (stmt, 9, entry->prev_hash);
  bind_text (stmt, 10, entry->hash);
  bind_text (stmt, 11, entry->status);
  return step_done (self, stmt, error);
}

static char *
kinds_json (const char * const *kinds)
{
  json_t *array = json_array ();
  char *text;
  char *ret;

  for (guint i = 0; kinds[i] != NULL; i++)
    json_array_append_new (array, json_string (kinds[i]));
  text = json_dumps (array, JSON_COMPACT);
  json_decref (array);
  ret = g_strdup (text);
  free (text);
  return ret;
}

static gboolean
sqlite_scan_entries (PdvStore            *store,
                     const char * const  *kinds,
                     PdvStoreEntryFunc    func,
                     gpointer             user_data,
                     GError             **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  g_autofree char *kinds_text = kinds_json (kinds);
  sqlite3_stmt *stmt;
  int rc;

  /* Not the cached statement: @func may run other queries. */
  if (sqlite3_prepare_v2 (self->handle,
                          "SELECT " ENTRY_COLUMNS " FROM entries "
                          "WHERE kind IN (SELECT value FROM json_each (?)) ORDER BY terminal, seq",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_error (self, error, "entries");
  bind_text (stmt, 1, kinds_text);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PdvStoreEntry) entry = entry_from_row (stmt);

      if (!func (entry, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  if (rc != SQLITE_DONE)
    set_error (self, error, "entries");
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static gpointer
admission_from_row (sqlite3_stmt *stmt)
{
  PdvStoreAdmission *admission = g_new0 (PdvStoreAdmission, 1);

  admission->position = sqlite3_column_int64 (stmt, 0);
  admission->terminal = dup_column (stmt, 1);
  admission->seq = sqlite3_column_int64 (stmt, 2);
  admission->direction = dup_column (stmt, 3);
  admission->at = dup_column (stmt, 4);
  admission->gate = dup_column (stmt, 5);
  admission->conflict = sqlite3_column_int (stmt, 6) != 0;
  return admission;
}

static GPtrArray *
list_admissions (PdvStore    *store,
                        const char  *ticket_id,
                        GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT position, terminal, seq, direction, at, gate, conflict FROM admissions "
                                "WHERE ticket_id = ? ORDER BY position",
                                error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, ticket_id);
  return collect_rows (self, stmt, admission_from_row, (GDestroyNotify) pdv_store_admission_free, "admissions",
                       error);
}

static gboolean
add_admission (PdvStore                 *store,
                      const char               *ticket_id,
                      const PdvStoreAdmission  *admission,
                      GError                  **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO admissions (ticket_id, terminal, seq, direction, at, gate, conflict) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, ticket_id);
  bind_text (stmt, 2, admission->terminal);
  sqlite3_bind_int64 (stmt, 3, admission->seq);
  bind_text (stmt, 4, admission->direction);
  bind_text (stmt, 5, admission->at);
  bind_text (stmt, 6, admission->gate);
  sqlite3_bind_int (stmt, 7, admission->conflict ? 1 : 0);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_add_conflict (PdvStore    *store,
                     const char  *id,
                     const char  *ticket_id,
                     const char  *created_at,
                     const char  *data,
                     GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO conflicts (id, ticket_id, created_at, data) VALUES (?, ?, ?, ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, ticket_id);
  bind_text (stmt, 3, created_at);
  bind_text (stmt, 4, data);
  return step_done (self, stmt, error);
}

static gint64
sqlite_add_change (PdvStore    *store,
                   const char  *type,
                   const char  *terminal,
                   const char  *data,
                   GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  /* See pdv_store_add_change(): never below the time in microseconds. */
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO changes (cursor, type, terminal, data) "
                                "VALUES (MAX ((SELECT COALESCE (MAX (cursor), 0) FROM changes) + 1, ?4), ?1, ?2, ?3)",
                                error);

  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, type);
  bind_text (stmt, 2, terminal);
  bind_text (stmt, 3, data);
  sqlite3_bind_int64 (stmt, 4, pdv_store_cursor_floor (store));
  if (!step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->handle);
}

static gpointer
change_from_row (sqlite3_stmt *stmt)
{
  PdvStoreChange *change = g_new0 (PdvStoreChange, 1);

  change->cursor = sqlite3_column_int64 (stmt, 0);
  change->type = dup_column (stmt, 1);
  change->terminal = dup_column (stmt, 2);
  change->data = dup_column (stmt, 3);
  return change;
}

static GPtrArray *
sqlite_list_changes (PdvStore  *store,
                     gint64     since,
                     gint64     limit,
                     GError   **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT cursor, type, terminal, data FROM changes WHERE cursor > ? "
                                "ORDER BY cursor LIMIT ?",
                                error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit);
  return collect_rows (self, stmt, change_from_row, (GDestroyNotify) pdv_store_change_free, "changes", error);
}

static gboolean
sqlite_add_document (PdvStore    *store,
                     const char  *type,
                     const char  *body,
                     const char  *created_at,
                     gint64       cursor,
                     GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO documents (type, body, created_at, cursor) VALUES (?, ?, ?, ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, type);
  bind_text (stmt, 2, body);
  bind_text (stmt, 3, created_at);
  sqlite3_bind_int64 (stmt, 4, cursor);
  return step_done (self, stmt, error);
}

static GPtrArray *
sqlite_list_documents (PdvStore    *store,
                       const char  *type,
                       gint64       after,
                       GArray      *out_cursors,
                       GError     **error)
{
  PdvStoreSqlite *self = PDV_STORE_SQLITE (store);
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = prepare (self, "SELECT body, cursor FROM documents WHERE type = ? AND cursor > ? "
                                      "ORDER BY cursor", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, type);
  sqlite3_bind_int64 (stmt, 2, after);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 cursor = sqlite3_column_int64 (stmt, 1);

      g_ptr_array_add (documents, dup_column (stmt, 0));
      if (out_cursors != NULL)
        g_array_append_val (out_cursors, cursor);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (self, error, "documents");
      return NULL;
    }
  return g_steal_pointer (&documents);
}

/* ---- A push's batch: SQLite has no round trips, one statement a row ---- */

static gboolean
sqlite_find_taken_ids (PdvStore            *store,
                       const char * const  *ids,
                       guint                n_ids,
                       GHashTable          *taken,
                       GError             **error)
{
  for (guint i = 0; i < n_ids; i++)
    {
      gboolean exists = FALSE;

      if (!entry_id_exists (store, ids[i], &exists, error))
        return FALSE;
      if (exists)
        g_hash_table_add (taken, g_strdup (ids[i]));
    }
  return TRUE;
}

static gboolean
sqlite_add_entries (PdvStore            *store,
                    const PdvStoreEntry *rows,
                    guint                n_rows,
                    GError             **error)
{
  for (guint i = 0; i < n_rows; i++)
    if (!add_entry (store, &rows[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
sqlite_list_admissions_many (PdvStore            *store,
                             const char * const  *ticket_ids,
                             guint                n_tickets,
                             GHashTable          *out,
                             GError             **error)
{
  for (guint i = 0; i < n_tickets; i++)
    {
      GPtrArray *found = list_admissions (store, ticket_ids[i], error);

      if (found == NULL)
        return FALSE;
      g_ptr_array_extend_and_steal (g_hash_table_lookup (out, ticket_ids[i]), found);
    }
  return TRUE;
}

static gboolean
sqlite_add_admissions (PdvStore                *store,
                       const char * const      *ticket_ids,
                       const PdvStoreAdmission *admissions,
                       guint                    n_admissions,
                       GError                 **error)
{
  for (guint i = 0; i < n_admissions; i++)
    if (!add_admission (store, ticket_ids[i], &admissions[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
sqlite_add_changes (PdvStore            *store,
                    const char * const  *types,
                    const char * const  *terminals,
                    const char * const  *data,
                    guint                n_changes,
                    GError             **error)
{
  for (guint i = 0; i < n_changes; i++)
    if (sqlite_add_change (store, types[i], terminals[i], data[i], error) <= 0)
      return FALSE;
  return TRUE;
}

static gboolean
sqlite_add_totals (PdvStore                 *store,
                   const PdvStoreTotalDelta *deltas,
                   guint                     n_deltas,
                   GError                  **error)
{
  for (guint i = 0; i < n_deltas; i++)
    if (!add_total (store, &deltas[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
sqlite_find_presences (PdvStore            *store,
                       const char * const  *ticket_ids,
                       guint                n_tickets,
                       GHashTable          *out,
                       GError             **error)
{
  for (guint i = 0; i < n_tickets; i++)
    {
      PdvStorePresence *presence = NULL;

      if (!find_presence (store, ticket_ids[i], &presence, error))
        return FALSE;
      if (presence != NULL)
        g_hash_table_insert (out, g_strdup (ticket_ids[i]), presence);
    }
  return TRUE;
}

static gboolean
sqlite_put_presences (PdvStore               *store,
                      const char * const     *ticket_ids,
                      const PdvStorePresence *presences,
                      guint                   n_tickets,
                      GError                **error)
{
  for (guint i = 0; i < n_tickets; i++)
    if (!put_presence (store, ticket_ids[i], &presences[i], error))
      return FALSE;
  return TRUE;
}

static void
pdv_store_sqlite_class_init (PdvStoreSqliteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PdvStoreClass *store_class = PDV_STORE_CLASS (klass);

  object_class->finalize = pdv_store_sqlite_finalize;

  store_class->backend_name = "sqlite";
  store_class->ping = sqlite_ping;
  store_class->begin = sqlite_begin;
  store_class->commit = sqlite_commit;
  store_class->rollback = sqlite_rollback;
  store_class->lock_tickets = sqlite_lock_tickets;
  store_class->lock_changes = sqlite_lock_nothing;
  store_class->find_terminal = sqlite_find_terminal;
  store_class->find_terminal_by_token = sqlite_find_terminal_by_token;
  store_class->enrol_terminal = sqlite_enrol_terminal;
  store_class->advance_terminal = sqlite_advance_terminal;
  store_class->list_terminals = sqlite_list_terminals;
  store_class->count = sqlite_count;
  store_class->add_enrolment = sqlite_add_enrolment;
  store_class->find_enrolment = sqlite_find_enrolment;
  store_class->spend_enrolment = sqlite_spend_enrolment;
  store_class->put_panel_account = sqlite_put_panel_account;
  store_class->find_panel_account = sqlite_find_panel_account;
  store_class->end_panel_session = sqlite_end_panel_session;
  store_class->panel_session_ended = sqlite_panel_session_ended;
  store_class->keep_meta = sqlite_keep_meta;
  store_class->get_panel_document = sqlite_get_panel_document;
  store_class->put_terminal_status = sqlite_put_terminal_status;
  store_class->list_terminal_status = sqlite_list_terminal_status;
  store_class->put_panel_document = sqlite_put_panel_document;
  store_class->find_entry = sqlite_find_entry;
  store_class->scan_entries = sqlite_scan_entries;
  store_class->add_conflict = sqlite_add_conflict;
  store_class->add_change = sqlite_add_change;
  store_class->list_changes = sqlite_list_changes;
  store_class->add_document = sqlite_add_document;
  store_class->list_documents = sqlite_list_documents;
  store_class->lock_totals = sqlite_lock_totals;
  store_class->list_totals = sqlite_list_totals;
  store_class->clear_totals = sqlite_clear_totals;
  store_class->mark_voided = sqlite_mark_voided;
  store_class->find_entry_by_id = sqlite_find_entry_by_id;
  store_class->find_taken_ids = sqlite_find_taken_ids;
  store_class->add_entries = sqlite_add_entries;
  store_class->list_admissions_many = sqlite_list_admissions_many;
  store_class->add_admissions = sqlite_add_admissions;
  store_class->add_changes = sqlite_add_changes;
  store_class->add_totals = sqlite_add_totals;
  store_class->find_presences = sqlite_find_presences;
  store_class->put_presences = sqlite_put_presences;
}

static void
pdv_store_sqlite_init (PdvStoreSqlite *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            finalize_statement);
}

static gboolean
read_schema_version (PdvStoreSqlite  *self,
                     gint64          *out,
                     GError         **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = 'schema_version'", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW ? g_ascii_strtoll ((const char *) sqlite3_column_text (stmt, 0), NULL, 10) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, error, "meta");
  return TRUE;
}

static gboolean
create_schema (PdvStoreSqlite  *self,
               GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!exec (self, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", error) ||
      !read_schema_version (self, &version, error))
    goto failed;
  if (version > PDV_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, PDV_STORE_ERROR, PDV_STORE_ERROR_TOO_NEW,
                   _("%s was written by a newer pdv-syncd (schema %lld, this one knows %d); "
                     "run that version or a later one"),
                   self->path, (long long) version, PDV_STORE_SCHEMA_VERSION);
      goto failed;
    }
  if (version < PDV_STORE_SCHEMA_VERSION)
    {
      g_autofree char *text = g_strdup_printf ("%d", PDV_STORE_SCHEMA_VERSION);

      if (!exec (self, schema_sql, error))
        goto failed;
      stmt = prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", error);
      if (stmt == NULL)
        goto failed;
      bind_text (stmt, 1, text);
      if (!step_done (self, stmt, error))
        goto failed;
    }
  return exec (self, "COMMIT", error);

failed:
  sqlite_rollback (PDV_STORE (self));
  return FALSE;
}

/**
 * pdv_store_sqlite_open:
 * @path: the database file; created when missing
 *
 * One file in WAL mode with synchronous=FULL: an acknowledged push survives a
 * power cut.
 */
PdvStore *
pdv_store_sqlite_open (const char  *path,
                       GError     **error)
{
  g_autoptr(PdvStoreSqlite) self = g_object_new (PDV_TYPE_STORE_SQLITE, NULL);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  const char *mode;
  int rc;

  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PDV_STORE_ERROR, PDV_STORE_ERROR_UNAVAILABLE,
                   _("Could not open the database %s: %s"), path,
                   self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->handle, 10000);
  sqlite3_extended_result_codes (self->handle, 1);

  stmt = prepare (self, "PRAGMA journal_mode = WAL", &local_error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, PDV_STORE_ERROR, PDV_STORE_ERROR_UNAVAILABLE,
                   _("%s is not a pdv-syncd database, or it is damaged: %s"), path,
                   local_error ? local_error->message : sqlite3_errmsg (self->handle));
      return NULL;
    }
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, PDV_STORE_ERROR, PDV_STORE_ERROR_UNAVAILABLE,
                   _("%s cannot use write-ahead logging (mode “%s”); put it on a local disk"),
                   path, mode);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  if (!exec (self, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", error) ||
      !create_schema (self, error))
    return NULL;

  return PDV_STORE (g_steal_pointer (&self));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync-state"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-checkin-private.h"
#include "pdv-datetime.h"
#include "pdv-db-private.h"
#include "pdv-sync-state.h"

/* The sync tables of the terminal database (migration 7): which servers to
 * talk to, what they acknowledged, where pulling stands, and what was pulled
 * from them. */

G_DEFINE_QUARK (pdv-sync-error-quark, pdv_sync_error)

G_DEFINE_BOXED_TYPE (PdvSyncStatus, pdv_sync_status, pdv_sync_status_copy, pdv_sync_status_free)
G_DEFINE_BOXED_TYPE (PdvSyncConflict, pdv_sync_conflict, pdv_sync_conflict_copy, pdv_sync_conflict_free)

PdvSyncStatus *
pdv_sync_status_new (void)
{
  return g_new0 (PdvSyncStatus, 1);
}

static GDateTime *
ref_time (GDateTime *time)
{
  return time ? g_date_time_ref (time) : NULL;
}

PdvSyncStatus *
pdv_sync_status_copy (const PdvSyncStatus *status)
{
  PdvSyncStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = g_memdup2 (status, sizeof *status);
  copy->oldest_unsynced = ref_time (status->oldest_unsynced);
  copy->last_attempt = ref_time (status->last_attempt);
  copy->last_success = ref_time (status->last_success);
  copy->last_error = g_strdup (status->last_error);
  copy->last_error_at = ref_time (status->last_error_at);
  copy->server = g_strdup (status->server);
  return copy;
}

void
pdv_sync_status_free (PdvSyncStatus *status)
{
  if (status == NULL)
    return;
  g_clear_pointer (&status->oldest_unsynced, g_date_time_unref);
  g_clear_pointer (&status->last_attempt, g_date_time_unref);
  g_clear_pointer (&status->last_success, g_date_time_unref);
  g_clear_pointer (&status->last_error, g_free);
  g_clear_pointer (&status->last_error_at, g_date_time_unref);
  g_clear_pointer (&status->server, g_free);
  g_free (status);
}

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

/**
 * pdv_sync_status_equal:
 *
 * Whether a person would see the same thing. The time of the last attempt
 * does not count: it changes at every poll.
 */
gboolean
pdv_sync_status_equal (const PdvSyncStatus *a,
                       const PdvSyncStatus *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->enrolled == b->enrolled &&
         a->online == b->online &&
         a->last_seq == b->last_seq &&
         a->acked_seq == b->acked_seq &&
         a->queued == b->queued &&
         same_time (a->oldest_unsynced, b->oldest_unsynced) &&
         same_time (a->last_success, b->last_success) &&
         g_strcmp0 (a->last_error, b->last_error) == 0 &&
         g_strcmp0 (a->server, b->server) == 0 &&
         a->pull_cursor == b->pull_cursor &&
         a->conflicts == b->conflicts &&
         a->open_conflicts == b->open_conflicts &&
         a->diverged == b->diverged;
}

/**
 * pdv_sync_status_get_oldest_age:
 * @now: (nullable): the time to measure from, or %NULL for the clock
 *
 * Returns: how many seconds the oldest entry not yet on the server has
 *   waited, 0 when there is none
 */
gint64
pdv_sync_status_get_oldest_age (const PdvSyncStatus *status,
                                GDateTime           *now)
{
  g_autoptr(GDateTime) clock = NULL;

  g_return_val_if_fail (status != NULL, 0);

  if (status->oldest_unsynced == NULL)
    return 0;
  if (now == NULL)
    now = clock = g_date_time_new_now_utc ();
  return MAX (g_date_time_difference (now, status->oldest_unsynced) / G_TIME_SPAN_SECOND, 0);
}

PdvSyncConflict *
pdv_sync_conflict_copy (const PdvSyncConflict *conflict)
{
  PdvSyncConflict *copy;

  g_return_val_if_fail (conflict != NULL, NULL);

  copy = g_memdup2 (conflict, sizeof *conflict);
  copy->id = g_strdup (conflict->id);
  copy->ticket_id = g_strdup (conflict->ticket_id);
  copy->winner_terminal = g_strdup (conflict->winner_terminal);
  copy->winner_at = g_strdup (conflict->winner_at);
  copy->winner_gate = g_strdup (conflict->winner_gate);
  copy->loser_terminal = g_strdup (conflict->loser_terminal);
  copy->loser_at = g_strdup (conflict->loser_at);
  copy->loser_gate = g_strdup (conflict->loser_gate);
  copy->reason = g_strdup (conflict->reason);
  copy->created_at = g_strdup (conflict->created_at);
  return copy;
}

void
pdv_sync_conflict_free (PdvSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->ticket_id);
  g_free (conflict->winner_terminal);
  g_free (conflict->winner_at);
  g_free (conflict->winner_gate);
  g_free (conflict->loser_terminal);
  g_free (conflict->loser_at);
  g_free (conflict->loser_gate);
  g_free (conflict->reason);
  g_free (conflict->created_at);
  g_free (conflict);
}

void
pdv_sync_config_clear (PdvSyncConfig *config)
{
  g_clear_pointer (&config->token, g_free);
  g_clear_pointer (&config->tls_pin, g_free);
  g_clear_pointer (&config->tls_ca, g_free);
}

/* The time on @db's clock: the terminal's, shared with the worker. */
char *
pdv_sync_now_iso8601 (PdvDb *db)
{
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (pdv_db_get_clock (db));

  /* Microseconds: an attempt and its outcome can fall in the same second. */
  return pdv_journal_format_time (now);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static GDateTime *
time_column (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
query_int64 (PdvDb       *db,
             const char  *sql,
             gint64       parameter,
             gint64      *out_value,
             GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, parameter);
  rc = sqlite3_step (stmt);
  *out_value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the sync state"));
  return TRUE;
}

/**
 * pdv_sync_load_status:
 *
 * Returns: (transfer full): where synchronisation stands, or %NULL with
 *   @error set when the database cannot be read
 */
PdvSyncStatus *
pdv_sync_load_status (PdvDb   *db,
                      GError **error)
{
  g_autoptr(PdvSyncStatus) status = pdv_sync_status_new ();
  g_autoptr(GDateTime) last_reached = NULL;
  sqlite3_stmt *stmt;
  gint64 n_servers = 0;
  gboolean has_token = FALSE;
  int rc;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  stmt = pdv_db_prepare (db,
                         "SELECT token, acked_seq, pull_cursor, last_server, last_attempt_at, "
                         "  last_reached_at, last_success_at, last_error, last_error_at, diverged "
                         "FROM sync_state WHERE id = 1",
                         error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      has_token = sqlite3_column_type (stmt, 0) != SQLITE_NULL;
      status->acked_seq = sqlite3_column_int64 (stmt, 1);
      status->pull_cursor = sqlite3_column_int64 (stmt, 2);
      status->server = dup_column (stmt, 3);
      status->last_attempt = time_column (stmt, 4);
      last_reached = time_column (stmt, 5);
      status->last_success = time_column (stmt, 6);
      status->last_error = dup_column (stmt, 7);
      status->last_error_at = time_column (stmt, 8);
      status->diverged = sqlite3_column_int (stmt, 9) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pdv_db_set_error (db, error, _("Reading the sync state"));
      return NULL;
    }

  if (!query_int64 (db, "SELECT COUNT (*) FROM sync_servers", 0, &n_servers, error) ||
      !query_int64 (db, "SELECT COALESCE (MAX (seq), 0) FROM journal", 0,
                    &status->last_seq, error) ||
      !query_int64 (db, "SELECT COUNT (*) FROM conflicts", 0, &status->conflicts, error) ||
      !query_int64 (db, "SELECT COUNT (*) FROM conflicts WHERE seen = ?", 0, &status->open_conflicts, error))
    return NULL;

  status->enrolled = has_token && n_servers > 0;
  status->online = last_reached != NULL && status->last_attempt != NULL &&
                   g_date_time_compare (last_reached, status->last_attempt) >= 0;
  status->queued = MAX (status->last_seq - status->acked_seq, 0);

  if (status->queued > 0)
    {
      stmt = pdv_db_prepare (db, "SELECT created_at FROM journal WHERE seq > ? ORDER BY seq LIMIT 1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, status->acked_seq);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        status->oldest_unsynced = time_column (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          pdv_db_set_error (db, error, _("Reading the journal"));
          return NULL;
        }
    }

  return g_steal_pointer (&status);
}

#define CONFLICT_COLUMNS \
  "id, ticket_id, winner_terminal, winner_seq, winner_at, winner_gate, " \
  "loser_terminal, loser_seq, loser_at, loser_gate, reason, created_at, seen"

/**
 * pdv_sync_list_conflicts:
 * @unseen_only: only those nobody has marked as seen
 *
 * Returns: (transfer container) (element-type PdvSyncConflict): the newest
 *   first, or %NULL with @error set
 */
GPtrArray *
pdv_sync_list_conflicts (PdvDb     *db,
                         gboolean   unseen_only,
                         GError   **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  stmt = pdv_db_prepare (db,
                         "SELECT " CONFLICT_COLUMNS " FROM conflicts WHERE seen <= ? "
                         "ORDER BY created_at DESC, loser_terminal, loser_seq",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, unseen_only ? 0 : 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvSyncConflict *conflict = g_new0 (PdvSyncConflict, 1);

      conflict->id = dup_column (stmt, 0);
      conflict->ticket_id = dup_column (stmt, 1);
      conflict->winner_terminal = dup_column (stmt, 2);
      conflict->winner_seq = sqlite3_column_int64 (stmt, 3);
      conflict->winner_at = dup_column (stmt, 4);
      conflict->winner_gate = dup_column (stmt, 5);
      conflict->loser_terminal = dup_column (stmt, 6);
      conflict->loser_seq = sqlite3_column_int64 (stmt, 7);
      conflict->loser_at = dup_column (stmt, 8);
      conflict->loser_gate = dup_column (stmt, 9);
      conflict->reason = dup_column (stmt, 10);
      conflict->created_at = dup_column (stmt, 11);
      conflict->seen = sqlite3_column_int (stmt, 12) != 0;
      g_ptr_array_add (conflicts, conflict);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (db, error, _("Reading the conflicts"));
      return NULL;
    }
  return g_steal_pointer (&conflicts);
}

/**
 * pdv_sync_mark_conflicts_seen:
 *
 * A manager has looked at every conflict there is now.
 */
gboolean
pdv_sync_mark_conflicts_seen (PdvDb   *db,
                              GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);

  stmt = pdv_db_prepare (db, "UPDATE conflicts SET seen = 1 WHERE seen = 0", error);
  if (stmt == NULL)
    return FALSE;
  return pdv_db_step_done (db, stmt, error);
}

/**
 * pdv_sync_normalise_url:
 * @url: a server's address, such as `https://sync.example:8443`
 *
 * Returns: (transfer full): the address without a trailing slash, or %NULL
 *   with @error set when it is not an http or https URL
 */
char *
pdv_sync_normalise_url (const char  *url,
                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  const char *scheme;
  gsize length;

  g_return_val_if_fail (url != NULL, NULL);

  text = g_strstrip (g_strdup (url));
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_INVALID_URL,
                   _("“%s” is not a sync server address (expected http://HOST:PORT or https://HOST:PORT)"),
                   url);
      return NULL;
    }
  length = strlen (text);
  while (length > 0 && text[length - 1] == '/')
    text[--length] = '\0';
  return g_steal_pointer (&text);
}

/**
 * pdv_sync_dup_servers:
 *
 * Returns: (transfer full): the configured servers, the preferred first
 */
GStrv
pdv_sync_dup_servers (PdvDb   *db,
                      GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  stmt = pdv_db_prepare (db, "SELECT url FROM sync_servers ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (db, error, _("Reading the sync servers"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/* Inside the caller's transaction. */
gboolean
pdv_sync_state_put_servers (PdvDb              *db,
                            const char * const *urls,
                            GError            **error)
{
  g_autoptr(GPtrArray) normalised = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  for (guint i = 0; urls[i] != NULL; i++)
    {
      char *url = pdv_sync_normalise_url (urls[i], error);

      if (url == NULL)
        return FALSE;
      if (g_ptr_array_find_with_equal_func (normalised, url, g_str_equal, NULL))
        {
          g_free (url);
          continue;
        }
      g_ptr_array_add (normalised, url);
    }

  if (!pdv_db_exec (db, "DELETE FROM sync_servers", error))
    return FALSE;
  for (guint i = 0; i < normalised->len; i++)
    {
      stmt = pdv_db_prepare (db, "INSERT INTO sync_servers (position, url) VALUES (?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, (int) i);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (normalised, i), -1, SQLITE_TRANSIENT);
      if (!pdv_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * pdv_sync_set_servers:
 * @urls: the servers to try, in order of preference
 *
 * Replaces the configured servers. The token stays: servers in front of one
 * storage share their terminals.
 */
gboolean
pdv_sync_set_servers (PdvDb              *db,
                      const char * const *urls,
                      GError            **error)
{
  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (urls != NULL, FALSE);

  if (!pdv_db_begin (db, error))
    return FALSE;
  if (!pdv_sync_state_put_servers (db, urls, error) || !pdv_db_commit (db, error))
    {
      pdv_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
pdv_sync_state_read (PdvDb          *db,
                     PdvSyncConfig  *config,
                     GError        **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT token, acked_seq, pull_cursor, tls_pin, tls_ca FROM sync_state WHERE id = 1",
                                       error);
  int rc;

  memset (config, 0, sizeof *config);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      config->token = dup_column (stmt, 0);
      config->acked_seq = sqlite3_column_int64 (stmt, 1);
      config->pull_cursor = sqlite3_column_int64 (stmt, 2);
      config->tls_pin = dup_column (stmt, 3);
      config->tls_ca = dup_column (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the sync state"));
  return TRUE;
}

static gboolean
update_one (PdvDb       *db,
            const char  *sql,
            gint64       value,
            GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, value);
  return pdv_db_step_done (db, stmt, error);
}

gboolean
pdv_sync_state_set_token (PdvDb       *db,
                          const char  *token,
                          GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "UPDATE sync_state SET token = ? WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, token);
  return pdv_db_step_done (db, stmt, error);
}

gboolean
pdv_sync_state_set_tls_pin (PdvDb       *db,
                            const char  *sha256_hex,
                            GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "UPDATE sync_state SET tls_pin = ? WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, sha256_hex);
  return pdv_db_step_done (db, stmt, error);
}

/**
 * pdv_sync_set_tls_ca:
 * @pem: (nullable): one or more certificates in PEM, or %NULL for the
 *   system's authorities again
 *
 * The certificate authority a sync server's certificate must be signed by,
 * for an event's own servers whose certificates no public authority signed.
 * Refuses text that holds no certificate.
 */
gboolean
pdv_sync_set_tls_ca (PdvDb       *db,
                     const char  *pem,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  if (pem != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;
      g_autoptr(GError) local_error = NULL;

      certificate = g_tls_certificate_new_from_pem (pem, -1, &local_error);
      if (certificate == NULL)
        {
          g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_INVALID_CERTIFICATE,
                       _("This is not a certificate authority’s certificate in PEM form: %s"), local_error->message);
          return FALSE;
        }
    }
  stmt = pdv_db_prepare (db, "UPDATE sync_state SET tls_ca = ? WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, pem);
  return pdv_db_step_done (db, stmt, error);
}

char *
pdv_sync_dup_tls_ca (PdvDb *db)
{
  g_auto(PdvSyncConfig) config = { 0 };

  if (!pdv_sync_state_read (db, &config, NULL))
    return NULL;
  return g_steal_pointer (&config.tls_ca);
}

/**
 * pdv_sync_describe_tls_ca:
 *
 * Returns: (transfer full) (nullable): who the authority in @pem is, for
 *   people: its subject and when it expires
 */
char *
pdv_sync_describe_tls_ca (const char *pem)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *date = NULL;

  if (pem == NULL || (certificate = g_tls_certificate_new_from_pem (pem, -1, NULL)) == NULL)
    return NULL;
  g_object_get (certificate, "subject-name", &subject, "not-valid-after", &until, NULL);
  if (until == NULL)
    return g_strdup (subject ? subject : "?");
  date = pdv_datetime_format (until, NULL, PDV_DATETIME_DATE);
  /* Translators: a certificate's subject, then the day it expires */
  return g_strdup_printf (_("%s, until %s"), subject ? subject : "?", date);
}

gboolean
pdv_sync_state_set_acked_seq (PdvDb    *db,
                              gint64    acked_seq,
                              GError  **error)
{
  return update_one (db, "UPDATE sync_state SET acked_seq = ? WHERE id = 1", acked_seq, error);
}

gboolean
pdv_sync_state_set_cursor (PdvDb    *db,
                           gint64    cursor,
                           GError  **error)
{
  return update_one (db, "UPDATE sync_state SET pull_cursor = ? WHERE id = 1", cursor, error);
}

gboolean
pdv_sync_state_record_attempt (PdvDb   *db,
                               GError **error)
{
  g_autofree char *now = pdv_sync_now_iso8601 (db);
  sqlite3_stmt *stmt = pdv_db_prepare (db, "UPDATE sync_state SET last_attempt_at = ? WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

/**
 * pdv_sync_state_record_outcome:
 * @server: (nullable): the server that answered
 * @reached: whether a server answered at all
 * @error_message: (nullable): why the attempt failed, %NULL if it succeeded
 * @diverged: whether it failed because this terminal was restored from a
 *   backup (pdv_sync_recover() is the way out)
 */
gboolean
pdv_sync_state_record_outcome (PdvDb       *db,
                               const char  *server,
                               gboolean     reached,
                               const char  *error_message,
                               gboolean     diverged,
                               GError     **error)
{
  g_autofree char *now = pdv_sync_now_iso8601 (db);
  sqlite3_stmt *stmt;

  stmt = pdv_db_prepare (db,
                         "UPDATE sync_state SET "
                         "  last_server = COALESCE (?1, last_server), "
                         "  last_reached_at = CASE WHEN ?2 THEN ?3 ELSE last_reached_at END, "
                         "  last_success_at = CASE WHEN ?4 IS NULL THEN ?3 ELSE last_success_at END, "
                         "  last_error = ?4, "
                         "  last_error_at = CASE WHEN ?4 IS NULL THEN NULL ELSE ?3 END, "
                         "  diverged = ?5 "
                         "WHERE id = 1",
                         error);
  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, server);
  sqlite3_bind_int (stmt, 2, reached ? 1 : 0);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 4, error_message);
  sqlite3_bind_int (stmt, 5, diverged ? 1 : 0);
  return pdv_db_step_done (db, stmt, error);
}

/* The latest accepted scan of a ticket at another terminal. */
gboolean
pdv_sync_state_put_checkin (PdvDb       *db,
                            const char  *ticket_id,
                            const char  *terminal,
                            gint64       seq,
                            const char  *direction,
                            const char  *at,
                            const char  *gate,
                            GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = pdv_db_prepare (db,
                         "INSERT INTO remote_checkins (ticket_id, terminal, seq, direction, at, gate) "
                         "VALUES (?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (ticket_id, terminal) DO UPDATE SET seq = excluded.seq, "
                         "  direction = excluded.direction, at = excluded.at, gate = excluded.gate "
                         "WHERE excluded.seq > remote_checkins.seq",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, terminal, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, seq);
  sqlite3_bind_text (stmt, 4, direction, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, gate, -1, SQLITE_TRANSIENT);
  if (!pdv_db_step_done (db, stmt, error))
    return FALSE;
  /* And the venue's count hears of it, if it is the latest news of the ticket. */
  return pdv_venue_note_scan (db, ticket_id, at, g_strcmp0 (direction, "exit") != 0, gate, NULL, error);
}

/* A conflict record pulled from the server. It completes the row a push
 * made for this terminal's losing entry, if there is one, and keeps whether
 * it was seen. */
gboolean
pdv_sync_state_put_conflict (PdvDb                 *db,
                             const PdvSyncConflict *conflict,
                             GError               **error)
{
  sqlite3_stmt *stmt;

  stmt = pdv_db_prepare (db,
                         "INSERT INTO conflicts (loser_terminal, loser_seq, id, ticket_id, loser_at, loser_gate, "
                         "  winner_terminal, winner_seq, winner_at, winner_gate, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (loser_terminal, loser_seq) DO UPDATE SET id = excluded.id, "
                         "  ticket_id = excluded.ticket_id, "
                         "  loser_at = COALESCE (excluded.loser_at, loser_at), "
                         "  loser_gate = COALESCE (excluded.loser_gate, loser_gate), "
                         "  winner_terminal = excluded.winner_terminal, winner_seq = excluded.winner_seq, "
                         "  winner_at = excluded.winner_at, winner_gate = excluded.winner_gate, "
                         "  created_at = excluded.created_at",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conflict->loser_terminal, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, conflict->loser_seq);
  bind_text_or_null (stmt, 3, conflict->id);
  sqlite3_bind_text (stmt, 4, conflict->ticket_id, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 5, conflict->loser_at);
  bind_text_or_null (stmt, 6, conflict->loser_gate);
  bind_text_or_null (stmt, 7, conflict->winner_terminal);
  sqlite3_bind_int64 (stmt, 8, conflict->winner_seq);
  bind_text_or_null (stmt, 9, conflict->winner_at);
  bind_text_or_null (stmt, 10, conflict->winner_gate);
  sqlite3_bind_text (stmt, 11, conflict->created_at, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

/* One of this terminal's entries lost an arbitration: shown at once, and
 * completed when the server's record is pulled. */
gboolean
pdv_sync_state_put_lost_entry (PdvDb                 *db,
                               const PdvSyncConflict *conflict,
                               GError               **error)
{
  sqlite3_stmt *stmt;

  stmt = pdv_db_prepare (db,
                         "INSERT INTO conflicts (loser_terminal, loser_seq, ticket_id, loser_at, loser_gate, "
                         "  reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (loser_terminal, loser_seq) DO UPDATE SET reason = excluded.reason",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conflict->loser_terminal, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, conflict->loser_seq);
  sqlite3_bind_text (stmt, 3, conflict->ticket_id, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 4, conflict->loser_at);
  bind_text_or_null (stmt, 5, conflict->loser_gate);
  bind_text_or_null (stmt, 6, conflict->reason);
  sqlite3_bind_text (stmt, 7, conflict->created_at, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

/**
 * pdv_sync_read_queue:
 * @out_queued: (out): entries not yet on the server
 * @out_oldest: (out): when the oldest of them was made (ISO 8601), %NULL
 *   when none
 *
 * What waits to be sent, in one read: what a request tells the server of
 * this terminal, for the organiser's panel.
 *
 * Returns: %FALSE when it could not be read
 */
gboolean
pdv_sync_read_queue (PdvDb   *db,
                     gint64  *out_queued,
                     char   **out_oldest)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT (SELECT MAX (seq) FROM journal) - s.acked_seq, j.created_at "
                                           "FROM sync_state s LEFT JOIN journal j ON j.seq = s.acked_seq + 1 "
                                           "WHERE s.id = 1", NULL);
  gboolean found = FALSE;

  *out_queued = 0;
  *out_oldest = NULL;
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *out_queued = MAX (0, sqlite3_column_int64 (stmt, 0));
      *out_oldest = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdv-db-private.h"
#include "pdv-test-util.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->path = g_build_filename (f->dir, "terminal.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
query_int (PdvDb      *db,
           const char *sql)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, NULL);
  gint64 value;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static char *
query_text (PdvDb      *db,
            const char *sql)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, NULL);
  char *value;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
test_open_empty (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  g_autofree char *mode = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (pdv_db_get_user_version (db), ==, pdv_db_schema_version ());
  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 2); /* FULL */
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM sqlite_schema WHERE name IN "
                                  "('journal', 'products', 'tickets', 'users', 'stock')"), ==, 5);
}

/* Writes something at @version that each later migration must carry over. */
static void
fill_at_version (PdvDb *db,
                 int    version)
{
  g_autoptr(GError) error = NULL;

  if (version >= 1)
    {
      g_autoptr(PdvJournal) journal = pdv_journal_new (db);
      g_autoptr(PdvJournalEntry) entry = NULL;
      json_t *payload = pdv_test_payload ("{\"note\": \"written at an older schema\"}");

      pdv_journal_initialise (journal, "Old terminal", &error);
      g_assert_no_error (error);
      entry = pdv_journal_append (journal, "test.note", "ana", payload, &error);
      json_decref (payload);
      g_assert_no_error (error);
    }
  if (version >= 2)
    {
      pdv_db_exec (db, "INSERT INTO categories (id, name, position) VALUES ('bebidas', 'Bebidas', 1);"
                       "INSERT INTO products (id, name, price, category_id) "
                       "VALUES ('AGUA', 'Água', 600, 'bebidas');", &error);
      g_assert_no_error (error);
    }
  if (version >= 3)
    {
      pdv_db_exec (db, "INSERT INTO tickets (id, secret, order_code, holder_name, type, zone, "
                       "entry_policy, status) VALUES ('T1', 'secret-123456', 'NV-1', 'Ana', 'Pista', "
                       "'general', 'single', 'valid');", &error);
      g_assert_no_error (error);
    }
}

static void
test_migrate_from_each_version (Fixture       *f,
                                gconstpointer  data)
{
  for (int version = 0; version < pdv_db_schema_version (); version++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdvDb) old = NULL;
      g_autoptr(PdvDb) db = NULL;
      g_autoptr(PdvJournal) journal = NULL;
      gint64 n_entries = 0;

      g_test_message ("migrating from schema %d", version);
      g_remove (f->path);
      old = pdv_db_open_at_version (f->path, version, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pdv_db_get_user_version (old), ==, version);
      fill_at_version (old, version);
      g_clear_object (&old);

      db = pdv_db_open (f->path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pdv_db_get_user_version (db), ==, pdv_db_schema_version ());

      journal = pdv_journal_new (db);
      g_assert_true (pdv_journal_verify (journal, &n_entries, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (n_entries, ==, version >= 1 ? 2 : 0);
      if (version >= 2)
        g_assert_cmpint (query_int (db, "SELECT price FROM products WHERE id = 'AGUA'"), ==, 600);
      if (version >= 3)
        g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM tickets"), ==, 1);
      /* The newest tables work after a migration too. */
      g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM stock"), ==, 0);

      g_clear_object (&journal);
      g_clear_object (&db);
      g_remove (f->path);
    }
}

static void
test_refuses_newer_schema (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  g_autofree char *set = g_strdup_printf ("PRAGMA user_version = %d", pdv_db_schema_version () + 1);
  g_autoptr(PdvDb) again = NULL;

  g_assert_no_error (error);
  pdv_db_exec (db, set, &error);
  g_assert_no_error (error);
  g_clear_object (&db);

  again = pdv_db_open (f->path, &error);
  g_assert_null (again);
  g_assert_error (error, PDV_DB_ERROR, PDV_DB_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);

  /* Nothing was downgraded. */
  db = pdv_db_open_at_version (f->path, 0, &error);
  g_assert_null (db);
  g_assert_error (error, PDV_DB_ERROR, PDV_DB_ERROR_TOO_NEW);
}

static void
test_refuses_garbage_file (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = NULL;
  g_autofree char *after = NULL;
  const char *garbage = "this is a shopping list, not a database\n";
  gsize length = 0;

  g_file_set_contents (f->path, garbage, -1, &error);
  g_assert_no_error (error);

  db = pdv_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, PDV_DB_ERROR, PDV_DB_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, f->path));

  g_file_get_contents (f->path, &after, &length, NULL);
  g_assert_cmpstr (after, ==, garbage);
}

static void
test_journal_is_append_only (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  g_autoptr(PdvJournal) journal = pdv_journal_new (db);

  pdv_journal_initialise (journal, "Bar 1", &error);
  g_assert_no_error (error);

  g_assert_false (pdv_db_exec (db, "UPDATE journal SET kind = 'x'", &error));
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);
  g_assert_false (pdv_db_exec (db, "DELETE FROM journal", &error));
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM journal"), ==, 1);
}

static void
test_meta (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  g_autofree char *missing = pdv_db_get_meta (db, "nothing");
  g_autofree char *value = NULL;

  g_assert_null (missing);
  g_assert_true (pdv_db_set_meta (db, "k", "one", &error));
  g_assert_true (pdv_db_set_meta (db, "k", "two", &error));
  g_assert_no_error (error);
  value = pdv_db_get_meta (db, "k");
  g_assert_cmpstr (value, ==, "two");
}

/* Checkpoints. A scratch table whose rows span several pages stands in for
 * sales: each commit adds about a dozen frames to the write-ahead log, like a
 * sale with its projections. */
#define WAL_FRAME_BYTES(page_size) ((page_size) + 24)
#define WAL_HEADER_BYTES 32

static void
create_scratch (PdvDb *db)
{
  g_autoptr(GError) error = NULL;

  pdv_db_exec (db, "CREATE TABLE scratch (id INTEGER PRIMARY KEY, body BLOB NOT NULL)", &error);
  g_assert_no_error (error);
}

/* Commits one row; returns how many frames the commit added to the log, or
 * a negative number when the log was restarted. */
static int
commit_scratch_row (PdvDb *db)
{
  g_autoptr(GError) error = NULL;
  int before = pdv_db_get_wal_frames (db);

  pdv_db_exec (db, "INSERT INTO scratch (body) VALUES (randomblob (40000))", &error);
  g_assert_no_error (error);
  return pdv_db_get_wal_frames (db) - before;
}

/* Commits until a checkpoint is wanted; returns the most frames one commit
 * added. */
static int
commit_until_due (PdvDb *db)
{
  int most = 0;

  while (pdv_db_get_wal_frames (db) < PDV_DB_CHECKPOINT_FRAMES)
    {
      int added = commit_scratch_row (db);

      g_assert_cmpint (added, >, 0);
      most = MAX (most, added);
    }
  return most;
}

static goffset
wal_file_size (PdvDb *db)
{
  g_autofree char *wal = g_strconcat (pdv_db_get_path (db), "-wal", NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  return st.st_size;
}

/* By default, as SQLite does on its own: the commit that takes the log past
 * the threshold copies it back, and the next one starts the log over. */
static void
test_checkpoint_in_commit (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  int most;

  g_assert_no_error (error);
  create_scratch (db);
  most = commit_until_due (db);
  g_assert_false (pdv_db_checkpoint_is_due (db));
  g_assert_cmpint (commit_scratch_row (db), <, 0);
  g_assert_cmpint (pdv_db_get_wal_frames (db), <=, most);
  g_assert_false (g_main_context_iteration (NULL, FALSE));
}

/* Deferred: nothing is copied back inside a commit until the main loop is
 * idle; then the log starts over. */
static void
test_checkpoint_deferred_to_idle (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  int most;

  g_assert_no_error (error);
  create_scratch (db);
  pdv_db_set_deferred_checkpoints (db, TRUE);
  most = commit_until_due (db);
  g_assert_true (pdv_db_checkpoint_is_due (db));

  /* More sales before the loop gets a chance: the log only grows. */
  for (int i = 0; i < 10; i++)
    g_assert_cmpint (commit_scratch_row (db), >, 0);
  g_assert_cmpint (pdv_db_get_wal_frames (db), >, PDV_DB_CHECKPOINT_FRAMES);
  g_assert_true (pdv_db_checkpoint_is_due (db));

  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_false (pdv_db_checkpoint_is_due (db));
  g_assert_false (g_main_context_iteration (NULL, FALSE));
  /* Started over while idle, so the next sale does not pay for it. */
  g_assert_cmpint (pdv_db_get_wal_frames (db), ==, 1);
  g_assert_cmpint (commit_scratch_row (db), >, 0);
  g_assert_cmpint (pdv_db_get_wal_frames (db), <=, 1 + most);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM scratch"), ==,
                   query_int (db, "SELECT MAX (id) FROM scratch"));
}

/* Without a main loop, whoever has idle time runs the checkpoint. */
static void
test_checkpoint_if_due (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  int most;

  g_assert_no_error (error);
  create_scratch (db);
  pdv_db_set_deferred_checkpoints (db, TRUE);

  /* Nothing to do yet. */
  g_assert_true (pdv_db_checkpoint_if_due (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (commit_scratch_row (db), >, 0);

  most = commit_until_due (db);
  g_assert_true (pdv_db_checkpoint_is_due (db));
  g_assert_true (pdv_db_checkpoint_if_due (db, &error));
  g_assert_no_error (error);
  g_assert_false (pdv_db_checkpoint_is_due (db));
  g_assert_cmpint (pdv_db_get_wal_frames (db), ==, 1);
  /* The idle source it replaced is gone too. */
  g_assert_false (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpint (commit_scratch_row (db), >, 0);
  g_assert_cmpint (pdv_db_get_wal_frames (db), <=, 1 + most);
}

/* A main loop that is never idle: the log stops growing at the limit, where
 * the commit checkpoints as it would without deferring. */
static void
test_checkpoint_limit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  g_autoptr(GMainContext) never_idle = g_main_context_new ();
  gint64 page_size;
  int most = 0, restarts = 0, highest = 0;

  g_assert_no_error (error);
  create_scratch (db);
  g_main_context_push_thread_default (never_idle);
  pdv_db_set_deferred_checkpoints (db, TRUE);
  g_main_context_pop_thread_default (never_idle);

  most = commit_scratch_row (db);
  g_assert_cmpint (most, >, 0);
  /* Twice round the limit, or a log that never stops growing. */
  for (int i = 0; restarts < 2; i++)
    {
      int added = commit_scratch_row (db);

      if (added < 0)
        restarts++;
      else
        most = MAX (most, added);
      highest = MAX (highest, pdv_db_get_wal_frames (db));
      g_assert_cmpint (i, <, 3 * PDV_DB_CHECKPOINT_LIMIT_FRAMES);
      g_assert_cmpint (highest, <, PDV_DB_CHECKPOINT_LIMIT_FRAMES + most);
    }
  g_assert_cmpint (highest, >=, PDV_DB_CHECKPOINT_LIMIT_FRAMES);
  page_size = query_int (db, "PRAGMA page_size");
  g_assert_cmpint (wal_file_size (db), <=,
                   WAL_HEADER_BYTES + (PDV_DB_CHECKPOINT_LIMIT_FRAMES + most) * WAL_FRAME_BYTES (page_size));
  /* The source is on the other context: this one has nothing to run. */
  g_assert_false (g_main_context_iteration (NULL, FALSE));
}

/* A database closed with a checkpoint pending leaves nothing behind on the
 * main loop, and everything it committed is there. */
static void
test_checkpoint_pending_at_close (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);
  gint64 rows;

  g_assert_no_error (error);
  create_scratch (db);
  pdv_db_set_deferred_checkpoints (db, TRUE);
  commit_until_due (db);
  g_assert_true (pdv_db_checkpoint_is_due (db));
  rows = query_int (db, "SELECT COUNT (*) FROM scratch");
  g_clear_object (&db);
  g_assert_false (g_main_context_iteration (NULL, FALSE));

  db = pdv_db_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM scratch"), ==, rows);
}

/* A main loop that runs inside a transaction (a modal dialog, say) leaves the
 * checkpoint for after the commit. */
static void
test_checkpoint_not_in_transaction (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (f->path, &error);

  g_assert_no_error (error);
  create_scratch (db);
  pdv_db_set_deferred_checkpoints (db, TRUE);
  commit_until_due (db);

  g_assert_true (pdv_db_begin (db, &error));
  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_true (pdv_db_checkpoint_is_due (db));
  pdv_db_exec (db, "INSERT INTO scratch (body) VALUES (x'00')", &error);
  g_assert_no_error (error);
  g_assert_true (pdv_db_commit (db, &error));
  g_assert_no_error (error);

  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_false (pdv_db_checkpoint_is_due (db));
  g_assert_cmpint (pdv_db_get_wal_frames (db), ==, 1);
}

/* Reads what a writer reported: a committed row's id, or "checkpoint" just
 * before it makes one. Returns whether it reached @target rows, or a
 * checkpoint when @at_checkpoint. */
static gboolean
read_reports (int       fd,
              GString  *pending,
              gint64   *confirmed,
              gint64    target,
              gboolean  at_checkpoint)
{
  char buf[4096];
  ssize_t n;

  for (;;)
    {
      char *newline;

      while ((newline = strchr (pending->str, '\n')) != NULL)
        {
          gboolean checkpoint = g_str_has_prefix (pending->str, "checkpoint");

          if (!checkpoint)
            *confirmed = MAX (*confirmed, g_ascii_strtoll (pending->str, NULL, 10));
          g_string_erase (pending, 0, newline - pending->str + 1);
          if (at_checkpoint ? checkpoint : *confirmed >= target)
            return TRUE;
        }
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        return FALSE;
      g_string_append_len (pending, buf, n);
    }
}

/* A terminal killed at any moment, in a sale or in the checkpoint it makes
 * while idle, still has every sale it confirmed. */
static void
test_checkpoint_killed (Fixture       *f,
                        gconstpointer  data)
{
  gint64 confirmed = 0;

  for (int round = 0; round < 12; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdvDb) db = NULL;
      g_autoptr(GString) pending = g_string_new (NULL);
      gboolean at_checkpoint = round % 2 == 1;
      int fds[2];
      int status;
      pid_t pid;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          db = pdv_db_open (f->path, &error);
          if (db == NULL ||
              !pdv_db_exec (db, "CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
                            &error))
            _exit (1);
          pdv_db_set_deferred_checkpoints (db, TRUE);
          for (;;)
            {
              char line[32];
              int len;

              if (!pdv_db_exec (db, "INSERT INTO scratch (body) VALUES (randomblob (100000))", &error))
                _exit (1);
              len = g_snprintf (line, sizeof line, "%lld\n",
                                (long long) sqlite3_last_insert_rowid (pdv_db_get_handle (db)));
              if (write (fds[1], line, len) != len)
                _exit (1);
              if (pdv_db_checkpoint_is_due (db) && write (fds[1], "checkpoint\n", 11) != 11)
                _exit (1);
              while (g_main_context_iteration (NULL, FALSE))
                ;
            }
        }

      /* Every other round, right as the writer starts a checkpoint; the
       * others a random number of sales in. */
      close (fds[1]);
      g_assert_true (read_reports (fds[0], pending, &confirmed,
                                   confirmed + g_test_rand_int_range (1, 60), at_checkpoint));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      /* What it wrote before it died was committed too. */
      read_reports (fds[0], pending, &confirmed, G_MAXINT64, FALSE);
      close (fds[0]);

      db = pdv_db_open (f->path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM scratch"), >=, confirmed);
      g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM scratch"), ==,
                       query_int (db, "SELECT MAX (id) FROM scratch"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/db/open/empty", test_open_empty);
  ADD ("/db/migrate/from-each-version", test_migrate_from_each_version);
  ADD ("/db/migrate/refuses-newer-schema", test_refuses_newer_schema);
  ADD ("/db/open/refuses-garbage", test_refuses_garbage_file);
  ADD ("/db/journal/append-only", test_journal_is_append_only);
  ADD ("/db/meta", test_meta);
  ADD ("/db/checkpoint/in-commit", test_checkpoint_in_commit);
  ADD ("/db/checkpoint/deferred-to-idle", test_checkpoint_deferred_to_idle);
  ADD ("/db/checkpoint/if-due", test_checkpoint_if_due);
  ADD ("/db/checkpoint/limit", test_checkpoint_limit);
  ADD ("/db/checkpoint/pending-at-close", test_checkpoint_pending_at_close);
  ADD ("/db/checkpoint/not-in-transaction", test_checkpoint_not_in_transaction);
  ADD ("/db/checkpoint/killed", test_checkpoint_killed);
#undef ADD

  return g_test_run ();
}

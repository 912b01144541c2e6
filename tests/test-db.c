/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

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
#undef ADD

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Latency of the durable writes everything else is built on, each measured
 * against a bare SQLite commit in the same run on the same disk, so the ratio
 * means something even where absolute figures drift. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "pdv-core.h"

static int iterations = 2000;
static char *work_dir = NULL;

static GOptionEntry entries[] = {
  { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Samples per measurement (default 2000)", "N" },
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &work_dir, "Where to put the databases (default: a temp dir)", "DIR" },
  { NULL }
};

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *samples,
               double  p)
{
  guint index;

  g_array_sort (samples, compare_gint64);
  index = MIN (samples->len - 1, (guint) (p * samples->len));
  return g_array_index (samples, gint64, index) / 1000.0;
}

static sqlite3 *
open_bare (const char *path)
{
  sqlite3 *db;

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("bare database: %s", sqlite3_errmsg (db));
  return db;
}

static gint64
bare_commit (sqlite3      *db,
             sqlite3_stmt *insert,
             const char   *body)
{
  gint64 start = g_get_monotonic_time ();

  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  sqlite3_bind_text (insert, 1, body, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    g_error ("bare insert: %s", sqlite3_errmsg (db));
  sqlite3_reset (insert);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("bare commit: %s", sqlite3_errmsg (db));
  return g_get_monotonic_time () - start;
}

/* What a bar sale looks like in the journal: a few lines, a payment. */
static json_t *
typical_payload (int n)
{
  return json_pack ("{s:s, s:[{s:s, s:i, s:i}, {s:s, s:i, s:i}, {s:s, s:i, s:i}], s:[{s:s, s:i, s:i}], s:i}",
                    "sale", "bench",
                    "lines",
                    "product", "CERV-LATA-350", "qty", 2, "price", 1200,
                    "product", "AGUA-500", "qty", 1, "price", 600,
                    "product", "DRK-CAIPIRINHA", "qty", 1, "price", 2800,
                    "payments", "method", "cash", "amount", 5000, "tendered", 5000,
                    "n", n);
}

static void
report (const char *label,
        GArray     *samples)
{
  printf ("%-40s p50 %7.3f ms   p99 %7.3f ms   (%u samples)\n", label,
          percentile_ms (samples, 0.50), percentile_ms (samples, 0.99), samples->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— durable write latency of the PDV journal");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) append = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(PdvContext) context = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *bare_path = NULL;
  g_autofree char *journal_path = NULL;
  g_autofree char *body = NULL;
  sqlite3 *bare_db;
  sqlite3_stmt *insert;
  const int rounds = 10;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);

  dir = work_dir ? g_strdup (work_dir) : g_dir_make_tmp ("pdv-bench-XXXXXX", &error);
  g_assert_no_error (error);
  bare_path = g_build_filename (dir, "bare.db", NULL);
  journal_path = g_build_filename (dir, "journal.db", NULL);

  bare_db = open_bare (bare_path);
  sqlite3_prepare_v2 (bare_db, "INSERT INTO t (body) VALUES (?)", -1, &insert, NULL);
  {
    json_t *payload = typical_payload (0);
    body = pdv_canonical_json (payload);
    json_decref (payload);
  }

  context = pdv_context_open (journal_path, &error);
  if (context == NULL || !pdv_journal_initialise (pdv_context_get_journal (context), "Bench", &error))
    g_error ("%s", error->message);

  /* Warm both up, then interleave rounds so drift hits both alike. */
  for (int i = 0; i < 50; i++)
    {
      json_t *payload = typical_payload (i);
      g_autoptr(PdvJournalEntry) entry = pdv_journal_append (pdv_context_get_journal (context), "bench.sale",
                                                             "bench", payload, &error);
      json_decref (payload);
      bare_commit (bare_db, insert, body);
    }

  for (int round = 0; round < rounds; round++)
    {
      for (int i = 0; i < iterations / rounds; i++)
        {
          gint64 elapsed = bare_commit (bare_db, insert, body);
          g_array_append_val (bare, elapsed);
        }
      for (int i = 0; i < iterations / rounds; i++)
        {
          json_t *payload = typical_payload (i);
          gint64 start = g_get_monotonic_time ();
          g_autoptr(PdvJournalEntry) entry = pdv_journal_append (pdv_context_get_journal (context), "bench.sale",
                                                                 "bench", payload, &error);
          gint64 elapsed = g_get_monotonic_time () - start;

          json_decref (payload);
          if (entry == NULL)
            g_error ("%s", error->message);
          g_array_append_val (append, elapsed);
        }
    }

  printf ("PDV journal benchmark — %s, SQLite %s, synchronous=FULL, WAL\n", dir, sqlite3_libversion ());
  report ("bare SQLite insert+commit (1 row)", bare);
  report ("pdv_journal_append (typical sale)", append);
  {
    double p50 = percentile_ms (append, 0.50) / percentile_ms (bare, 0.50);
    double p99 = percentile_ms (append, 0.99) / percentile_ms (bare, 0.99);
    printf ("%-40s p50 %6.2fx     p99 %6.2fx     (target: p50 <= 2x)\n", "ratio journal / bare", p50, p99);
  }

  sqlite3_finalize (insert);
  sqlite3_close (bare_db);
  g_clear_object (&context);
  if (work_dir == NULL)
    {
      const char *names[] = { "bare.db", "bare.db-wal", "bare.db-shm", "journal.db", "journal.db-wal",
                              "journal.db-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (dir, names[i], NULL);
          remove (path);
        }
      g_rmdir (dir);
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Latency of the durable writes everything else is built on, each measured
 * against a bare SQLite commit in the same run on the same disk, so the ratio
 * means something even where absolute figures drift. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A 5-line sale paid with card and cash, as the cashier page commits it. */
static gint64
sale_commit (PdvContext *context)
{
  static const char * const skus[] = { "CERV-LATA-350", "SA-AGUA-500", "CERV-LATAO-473", "SA-REFRI-LATA-350", "COM-BATATA-FRITA" };
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSaleResult) result = NULL;
  PdvMoney total = 0;
  gint64 start;

  for (guint i = 0; i < G_N_ELEMENTS (skus); i++)
    pdv_sale_draft_add_line (draft, skus[i], 1);
  if (!pdv_sale_draft_total (draft, pdv_context_get_catalog (context), &total, &error))
    g_error ("%s", error->message);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, total / 2, 0, "AUTH");
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total - total / 2, 10000, NULL);

  start = g_get_monotonic_time ();
  result = pdv_sale_commit (pdv_context_get_journal (context), pdv_context_get_catalog (context), draft,
                            "bench", NULL, &error);
  if (result == NULL)
    g_error ("%s", error->message);
  return g_get_monotonic_time () - start;
}

/* A catalog of @n products with realistic names, imported as a person would. */
static void
import_big_catalog (PdvContext *context,
                    guint       n)
{
  static const char * const nouns[] = { "Cerveja", "Água", "Refrigerante", "Suco", "Caipirinha", "Drink",
                                        "Dose", "Lanche", "Pastel", "Batata", "Espetinho", "Combo" };
  static const char * const adjectives[] = { "Lata", "Long Neck", "Latão", "Gelada", "Artesanal", "Zero",
                                             "Limão", "Maracujá", "Morango", "Queijo", "Carne", "Frango" };
  g_autoptr(GString) csv = g_string_new ("id,name,price,category\n");
  g_autoptr(GError) error = NULL;
  const char categories[] = "id,name\nbig,Tudo\n";

  if (!pdv_import_data (pdv_context_get_journal (context), "categories.csv", categories, strlen (categories),
                        PDV_IMPORT_KIND_AUTO, NULL, NULL, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "SKU-%05u,%s %s %u ml,%u,big\n", i, nouns[i % G_N_ELEMENTS (nouns)],
                            adjectives[(i / G_N_ELEMENTS (nouns)) % G_N_ELEMENTS (adjectives)],
                            100 + i % 900, 500 + i % 5000);
  if (!pdv_import_data (pdv_context_get_journal (context), "products.csv", csv->str, csv->len,
                        PDV_IMPORT_KIND_AUTO, NULL, NULL, &error))
    g_error ("%s", error->message);
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

  /* Sales: the same interleaving against the same bare commit. */
  {
    g_autofree char *sales_path = g_build_filename (dir, "sales.db", NULL);
    g_autoptr(PdvContext) shop = pdv_context_open (sales_path, &error);
    g_autofree char *demo = pdv_demo_dir ();
    g_autoptr(GArray) bare_again = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GArray) sales = g_array_new (FALSE, FALSE, sizeof (gint64));

    if (shop == NULL || !pdv_journal_initialise (pdv_context_get_journal (shop), "Bench", &error))
      g_error ("%s", error->message);
    {
      g_autofree char *event = g_build_filename (demo, "event.json", NULL);
      g_autofree char *catalog = g_build_filename (demo, "catalog.json", NULL);
      if (!pdv_import_file (pdv_context_get_journal (shop), event, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error) ||
          !pdv_import_file (pdv_context_get_journal (shop), catalog, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error))
        g_error ("%s (set PDV_DEMO_DIR to data/demo)", error->message);
    }
    /* Enough stock for every sale below. */
    {
      json_t *payload = json_pack ("{s:[{s:s,s:i},{s:s,s:i},{s:s,s:i},{s:s,s:i},{s:s,s:i}]}", "items",
                                   "product", "CERV-LATA-350", "qty", 1000000, "product", "SA-AGUA-500", "qty", 1000000,
                                   "product", "CERV-LATAO-473", "qty", 1000000, "product", "SA-REFRI-LATA-350", "qty", 1000000,
                                   "product", "COM-BATATA-FRITA", "qty", 1000000);
      g_autoptr(PdvJournalEntry) entry = pdv_journal_append (pdv_context_get_journal (shop), "stock.count", NULL,
                                                             payload, &error);
      json_decref (payload);
      if (entry == NULL)
        g_error ("%s", error->message);
    }
    for (int i = 0; i < 50; i++)
      sale_commit (shop);
    for (int round = 0; round < rounds; round++)
      {
        for (int i = 0; i < iterations / rounds; i++)
          {
            gint64 elapsed = bare_commit (bare_db, insert, body);
            g_array_append_val (bare_again, elapsed);
          }
        for (int i = 0; i < iterations / rounds; i++)
          {
            gint64 elapsed = sale_commit (shop);
            g_array_append_val (sales, elapsed);
          }
      }
    printf ("\nSales — 5 lines, card + cash\n");
    report ("bare SQLite insert+commit (1 row)", bare_again);
    report ("pdv_sale_commit (5 lines, 2 payments)", sales);
    printf ("%-40s p50 %6.2fx     p99 %6.2fx     (target: <= 3x)\n", "ratio sale / bare",
            percentile_ms (sales, 0.50) / percentile_ms (bare_again, 0.50),
            percentile_ms (sales, 0.99) / percentile_ms (bare_again, 0.99));
  }

  /* Product search per keystroke over a 10,000-product catalog. */
  {
    g_autofree char *search_path = g_build_filename (dir, "search.db", NULL);
    g_autoptr(PdvContext) big = pdv_context_open (search_path, &error);
    g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (gint64));
    static const char * const typed[] = { "cerveja lata", "agua", "caipirinha limao", "SKU-0042", "pastel queijo",
                                          "latão gelada", "zzz" };
    guint found = 0;

    if (big == NULL || !pdv_journal_initialise (pdv_context_get_journal (big), "Bench", &error))
      g_error ("%s", error->message);
    import_big_catalog (big, 10000);
    {
      g_autoptr(GPtrArray) warm = pdv_catalog_search (pdv_context_get_catalog (big), "", 1, &error);
    }
    for (int repeat = 0; repeat < 20; repeat++)
      for (guint t = 0; t < G_N_ELEMENTS (typed); t++)
        for (gsize len = 1; len <= strlen (typed[t]); len++)
          {
            g_autofree char *prefix = g_strndup (typed[t], len);
            gint64 start = g_get_monotonic_time ();
            g_autoptr(GPtrArray) results = pdv_catalog_search (pdv_context_get_catalog (big), prefix, 50, &error);
            gint64 elapsed = g_get_monotonic_time () - start;

            if (results == NULL)
              g_error ("%s", error->message);
            found += results->len;
            g_array_append_val (keystrokes, elapsed);
          }
    printf ("\nProduct search — 10,000 products, one search per keystroke (%u results)\n", found);
    report ("pdv_catalog_search (limit 50)", keystrokes);
    printf ("%-40s p99 %7.3f ms   (target: < 2 ms)\n", "", percentile_ms (keystrokes, 0.99));
  }

  sqlite3_finalize (insert);
  sqlite3_close (bare_db);
  g_clear_object (&context);
  if (work_dir == NULL)
    {
      const char *names[] = { "bare.db", "bare.db-wal", "bare.db-shm", "journal.db", "journal.db-wal",
                              "journal.db-shm", "sales.db", "sales.db-wal", "sales.db-shm",
                              "search.db", "search.db-wal", "search.db-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (dir, names[i], NULL);
          remove (path);
        }
      g_rmdir (dir);
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Latency of the durable writes everything else is built on, each measured
 * against a bare SQLite commit in the same run on the same disk, so the ratio
 * means something even where absolute figures drift. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "pdv-camera-scanner.h"
#include "pdv-core.h"
#include "pdv-db-private.h"
#include "pdv-image-scanner.h"

static int iterations = 2000;
/* Samples are taken in rounds, alternating with the bare commit, so that
 * drift hits both alike. */
static const int rounds = 10;
static char *work_dir = NULL;
static char *only = NULL;
static int door_tickets = 1000000;

static GOptionEntry entries[] = {
  { "only", 's', 0, G_OPTION_ARG_STRING, &only, "Run one section: journal, sales, search, report, door or fichas", "SECTION" },
  { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Samples per measurement (default 2000)", "N" },
  { "door-tickets", 0, 0, G_OPTION_ARG_INT, &door_tickets, "Tickets on the door's terminal (default 1,000,000)", "N" },
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &work_dir, "Where to put the databases (default: a temp dir)", "DIR" },
  { NULL }
};

/* CPU time of this process, beside wall time: on a loaded machine every
 * durable write settles near 4 ms of wall and ratios collapse towards 1×,
 * while the CPU a sample costs stays what it is. */
static gint64
cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static gboolean
section_wanted (const char *name)
{
  return only == NULL || g_str_equal (only, name);
}

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

/* One round of bare commits into @bare; returns the CPU time they took. */
static gint64
bare_round (sqlite3      *db,
            sqlite3_stmt *insert,
            const char   *body,
            GArray       *bare)
{
  gint64 cpu = cpu_us ();

  for (int i = 0; i < iterations / rounds; i++)
    {
      gint64 elapsed = bare_commit (db, insert, body);
      g_array_append_val (bare, elapsed);
    }
  return cpu_us () - cpu;
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

/* A 5-line sale paid with card and cash, as the cashier page commits it:
 * the card payment is journalled as it is taken (its time in
 * @out_payment_us), then the cash completes the sale. */
static gint64
sale_commit (PdvContext *context,
             gint64     *out_payment_us)
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

  start = g_get_monotonic_time ();
  if (!pdv_sale_take_payment (pdv_context_get_journal (context), pdv_context_get_catalog (context), draft,
                              PDV_PAYMENT_CARD, PDV_CARD_CREDIT, total / 2, 0, "AUTH", "bench", NULL, &error))
    g_error ("%s", error->message);
  *out_payment_us = g_get_monotonic_time () - start;
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total - total / 2, 10000, NULL);

  start = g_get_monotonic_time ();
  result = pdv_sale_commit (pdv_context_get_journal (context), pdv_context_get_catalog (context), draft,
                            "bench", NULL, &error);
  if (result == NULL)
    g_error ("%s", error->message);
  return g_get_monotonic_time () - start;
}

/* A shop with the demo event and catalog, and stock for every sale below.
 * With @deferred, checkpoints wait for @loop (NULL: this thread's default
 * main context) to be idle. */
static PdvContext *
open_shop (const char   *path,
           gboolean      deferred,
           GMainContext *loop)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) shop = pdv_context_open (path, &error);
  g_autofree char *demo = pdv_demo_dir ();
  g_autofree char *event = g_build_filename (demo, "event.json", NULL);
  g_autofree char *catalog = g_build_filename (demo, "catalog.json", NULL);
  json_t *payload;
  g_autoptr(PdvJournalEntry) entry = NULL;

  if (shop == NULL || !pdv_journal_initialise (pdv_context_get_journal (shop), "Bench", &error))
    g_error ("%s", error->message);
  if (!pdv_import_file (pdv_context_get_journal (shop), event, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error) ||
      !pdv_import_file (pdv_context_get_journal (shop), catalog, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error))
    g_error ("%s (set PDV_DEMO_DIR to data/demo)", error->message);
  payload = json_pack ("{s:[{s:s,s:i},{s:s,s:i},{s:s,s:i},{s:s,s:i},{s:s,s:i}]}", "items",
                       "product", "CERV-LATA-350", "qty", 1000000, "product", "SA-AGUA-500", "qty", 1000000,
                       "product", "CERV-LATAO-473", "qty", 1000000, "product", "SA-REFRI-LATA-350", "qty", 1000000,
                       "product", "COM-BATATA-FRITA", "qty", 1000000);
  entry = pdv_journal_append (pdv_context_get_journal (shop), "stock.count", NULL, payload, &error);
  json_decref (payload);
  if (entry == NULL)
    g_error ("%s", error->message);
  g_clear_pointer (&entry, pdv_journal_entry_free);
  /* Selling needs an open shift, as at a bar. */
  payload = json_pack ("{s:i, s:i, s:{s:[], s:i}}", "z", 1, "float", 20000, "count", "pieces", "loose", 20000);
  entry = pdv_journal_append (pdv_context_get_journal (shop), "shift.open", "bench", payload, &error);
  json_decref (payload);
  if (entry == NULL)
    g_error ("%s", error->message);

  if (deferred)
    {
      if (loop != NULL)
        g_main_context_push_thread_default (loop);
      pdv_db_set_deferred_checkpoints (pdv_context_get_db (shop), TRUE);
      if (loop != NULL)
        g_main_context_pop_thread_default (loop);
    }
  return g_steal_pointer (&shop);
}

typedef struct {
  const char   *file;
  const char   *label;
  const char   *short_label;
  gboolean      deferred;
  GMainContext *loop;
  PdvContext   *shop;
  GArray       *samples;
  GArray       *payment_samples;
} SaleSeries;

/* One sale (timed), then what the terminal does while the next customer
 * steps up (not timed): its main loop runs whatever is idle, here the
 * deferred checkpoint if one is due. */
static gint64
sale_commit_between_customers (SaleSeries *series)
{
  gint64 payment_us;
  gint64 elapsed = sale_commit (series->shop, &payment_us);

  if (series->payment_samples != NULL)
    g_array_append_val (series->payment_samples, payment_us);

  if (series->deferred && series->loop == NULL)
    while (g_main_context_iteration (NULL, FALSE))
      ;
  return elapsed;
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

/* @cpu: the CPU time the samples took, in all */
static void
report (const char *label,
        GArray     *samples,
        gint64      cpu)
{
  printf ("%-40s p50 %7.3f ms   p99 %7.3f ms   p99.9 %7.3f ms   CPU %7.3f ms each   (%u samples)\n", label,
          percentile_ms (samples, 0.50), percentile_ms (samples, 0.99), percentile_ms (samples, 0.999),
          cpu / 1000.0 / MAX (samples->len, 1), samples->len);
}

/* Appending a typical sale to the journal, against the bare commit. */
static void
bench_journal (const char   *dir,
               sqlite3      *bare_db,
               sqlite3_stmt *insert,
               const char   *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *journal_path = g_build_filename (dir, "journal.db", NULL);
  g_autoptr(PdvContext) context = pdv_context_open (journal_path, &error);
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) append = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 bare_cpu = 0, append_cpu = 0;

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
      gint64 cpu;

      bare_cpu += bare_round (bare_db, insert, body, bare);
      cpu = cpu_us ();
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
      append_cpu += cpu_us () - cpu;
    }

  printf ("\nJournal — a typical sale appended\n");
  report ("bare SQLite insert+commit (1 row)", bare, bare_cpu);
  report ("pdv_journal_append (typical sale)", append, append_cpu);
  {
    double p50 = percentile_ms (append, 0.50) / percentile_ms (bare, 0.50);
    double p99 = percentile_ms (append, 0.99) / percentile_ms (bare, 0.99);
    printf ("%-40s p50 %6.2fx     p99 %6.2fx     (target: p50 <= 2x)\n", "ratio journal / bare", p50, p99);
  }
}

/* Sales: the same interleaving against the same bare commit, on three
 * shops that differ only in when the write-ahead log is copied back into
 * the database file (the checkpoint). */
static void
bench_sales (const char   *dir,
             sqlite3      *bare_db,
             sqlite3_stmt *insert,
             const char   *body)
{
  g_autoptr(GMainContext) busy_loop = g_main_context_new ();
  g_autoptr(GArray) bare_again = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 bare_cpu = 0;
  gint64 series_cpu[3] = { 0 };
  SaleSeries series[] = {
    /* What the terminal does: checkpoints deferred to its main loop, which
     * is idle between customers. */
    { "sales-idle.db", "pdv_sale_commit (5 lines, 2 payments)", "idle between sales", TRUE, NULL, NULL, NULL, NULL },
    /* The same with a main loop that is never idle: the log grows to its
     * limit and is checkpointed inside a commit. */
    { "sales-busy.db", "  same, main loop never idle", "never idle", TRUE, busy_loop, NULL, NULL, NULL },
    /* SQLite's automatic checkpoint inside the commit, as pdvctl does. */
    { "sales-auto.db", "  same, checkpoint inside the commit", "checkpoint in commit", FALSE, NULL, NULL, NULL, NULL },
  };

  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    {
      g_autofree char *path = g_build_filename (dir, series[s].file, NULL);

      series[s].shop = open_shop (path, series[s].deferred, series[s].loop);
      series[s].samples = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (int i = 0; i < 50; i++)
        sale_commit_between_customers (&series[s]);
      series[s].payment_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  G_STATIC_ASSERT (G_N_ELEMENTS (series) == G_N_ELEMENTS (series_cpu));
  for (int round = 0; round < rounds; round++)
    {
      bare_cpu += bare_round (bare_db, insert, body, bare_again);
      for (guint s = 0; s < G_N_ELEMENTS (series); s++)
        {
          gint64 cpu = cpu_us ();

          for (int i = 0; i < iterations / rounds; i++)
            {
              gint64 elapsed = sale_commit_between_customers (&series[s]);
              g_array_append_val (series[s].samples, elapsed);
            }
          series_cpu[s] += cpu_us () - cpu;
        }
    }
  printf ("\nSales — 5 lines, card (journalled as taken) + cash\n");
  report ("bare SQLite insert+commit (1 row)", bare_again, bare_cpu);
  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    report (series[s].label, series[s].samples, series_cpu[s]);
  /* Its CPU time is in the sale's line above, which times both. */
  printf ("%-40s p50 %7.3f ms   p99 %7.3f ms   p99.9 %7.3f ms   (CPU: in the line above)\n",
          "pdv_sale_take_payment (card, idle)", percentile_ms (series[0].payment_samples, 0.50),
          percentile_ms (series[0].payment_samples, 0.99), percentile_ms (series[0].payment_samples, 0.999));
  printf ("%-40s p50 %6.2fx     p99 %6.2fx     (target: <= 2x)\n", "ratio payment / bare (idle between sales)",
          percentile_ms (series[0].payment_samples, 0.50) / percentile_ms (bare_again, 0.50),
          percentile_ms (series[0].payment_samples, 0.99) / percentile_ms (bare_again, 0.99));
  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    {
      g_autofree char *label = g_strdup_printf ("ratio sale / bare (%s)", series[s].short_label);

      printf ("%-40s p50 %6.2fx     p99 %6.2fx%s\n", label,
              percentile_ms (series[s].samples, 0.50) / percentile_ms (bare_again, 0.50),
              percentile_ms (series[s].samples, 0.99) / percentile_ms (bare_again, 0.99),
              s == 0 ? "     (target: <= 3x)" : "");
      g_clear_object (&series[s].shop);
      g_clear_pointer (&series[s].samples, g_array_unref);
      g_clear_pointer (&series[s].payment_samples, g_array_unref);
    }
}

/* Product search per keystroke over a 10,000-product catalog. */
static void
bench_search (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *search_path = g_build_filename (dir, "search.db", NULL);
  g_autoptr(PdvContext) big = pdv_context_open (search_path, &error);
  g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) grid = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 keystrokes_cpu = 0, grid_cpu = 0;
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
          gint64 cpu = cpu_us ();
          gint64 start = g_get_monotonic_time ();
          /* What the sell grid runs on each keystroke: every match, best
           * first, as ids. */
          g_autoptr(GPtrArray) ids = pdv_catalog_search_ids (pdv_context_get_catalog (big), prefix, &error);
          gint64 elapsed = g_get_monotonic_time () - start;
          g_autoptr(GPtrArray) results = NULL;

          grid_cpu += cpu_us () - cpu;
          if (ids == NULL)
            g_error ("%s", error->message);
          g_array_append_val (grid, elapsed);

          /* What pdvctl and the door's search run: the first 50, copied. */
          cpu = cpu_us ();
          start = g_get_monotonic_time ();
          results = pdv_catalog_search (pdv_context_get_catalog (big), prefix, 50, &error);
          elapsed = g_get_monotonic_time () - start;
          keystrokes_cpu += cpu_us () - cpu;
          if (results == NULL)
            g_error ("%s", error->message);
          found += results->len;
          g_array_append_val (keystrokes, elapsed);
        }
  printf ("\nProduct search — 10,000 products, one search per keystroke (%u results)\n", found);
  report ("pdv_catalog_search_ids (the sell grid)", grid, grid_cpu);
  report ("pdv_catalog_search (limit 50, pdvctl)", keystrokes, keystrokes_cpu);
  printf ("%-40s p99 %7.3f ms   (target: < 2 ms)\n", "", percentile_ms (grid, 0.99));
}

/* An X report over a night of @n_lines sale lines, against one walk of the
 * journal; returns its p50 in ms. */
static double
bench_report_of (const char *dir,
                 int         n_lines)
{
  g_autoptr(GError) error = NULL;
  static const char * const skus[] = { "CERV-LATA-350", "CERV-LATAO-473", "CERV-CHOPP-400", "DRK-CAIP-LIMAO",
                                       "DRK-GIN-TONICA", "SA-AGUA-500", "SA-REFRI-LATA-350", "COM-BATATA-FRITA",
                                       "DRK-MOJITO", "CERV-IPA-355", "DOSE-VODKA", "COMBO-BALDE" };
  static const char * const methods[] = { "cash", "card", "pix" };
  const int lines_per_sale = 8, sales_wanted = n_lines / 8;
  g_autofree char *report_name = g_strdup_printf ("report-%d.db", n_lines);
  g_autofree char *report_path = g_build_filename (dir, report_name, NULL);
  g_autoptr(PdvContext) night = pdv_context_open (report_path, &error);
  g_autoptr(PdvUser) manager = pdv_user_new ("bench", "Bench", PDV_ROLE_MANAGER);
  g_autoptr(GArray) reports = g_array_new (FALSE, FALSE, sizeof (gint64));
  PdvJournal *journal;
  PdvDb *db;
  gint64 start, generated, scan_us = G_MAXINT64;
  gint64 lines_in_db = 0;
  gint64 report_cpu = 0;

  if (night == NULL || !pdv_journal_initialise (pdv_context_get_journal (night), "Bench", &error))
    g_error ("%s", error->message);
  journal = pdv_context_get_journal (night);
  db = pdv_context_get_db (night);

  start = g_get_monotonic_time ();
  if (!pdv_db_begin (db, &error))
    g_error ("%s", error->message);
  {
    json_t *open = json_pack ("{s:i, s:i, s:{s:[], s:i}}", "z", 1, "float", 20000, "count", "pieces",
                              "loose", 20000);
    g_autoptr(PdvJournalEntry) entry = pdv_journal_append_in_transaction (journal, "shift.open", "bench", open,
                                                                          &error);
    json_decref (open);
    if (entry == NULL)
      g_error ("%s", error->message);
  }
  for (int i = 0; i < sales_wanted; i++)
    {
      json_t *lines = json_array ();
      json_t *payload;
      g_autoptr(PdvJournalEntry) entry = NULL;
      gint64 total = 0;

      for (int l = 0; l < lines_per_sale; l++)
        {
          gint64 qty = 1 + (i + l) % 3, price = 500 + 100 * ((i * 7 + l) % 40);

          json_array_append_new (lines, json_pack ("{s:s, s:s, s:I, s:I, s:I, s:b}",
                                                   "product", skus[(i + l) % G_N_ELEMENTS (skus)],
                                                   "name", skus[(i + l) % G_N_ELEMENTS (skus)],
                                                   "qty", (json_int_t) qty, "unit_price", (json_int_t) price,
                                                   "total", (json_int_t) (qty * price), "tracked", FALSE));
          total += qty * price;
        }
      payload = json_pack ("{s:o, s:[{s:s, s:I}], s:I, s:i}", "lines", lines,
                           "payments", "method", methods[i % G_N_ELEMENTS (methods)], "amount", (json_int_t) total,
                           "total", (json_int_t) total, "change", 0);
      entry = pdv_journal_append_in_transaction (journal, "sale", i % 2 ? "ana" : "bruno", payload, &error);
      json_decref (payload);
      if (entry == NULL)
        g_error ("%s", error->message);
      lines_in_db += lines_per_sale;
    }
  if (!pdv_db_commit (db, &error))
    g_error ("%s", error->message);
  generated = g_get_monotonic_time () - start;

  for (int i = 0; i < 50; i++)
    {
      g_autoptr(PdvReport) report = NULL;
      gint64 elapsed;
      gint64 cpu = cpu_us ();

      start = g_get_monotonic_time ();
      report = pdv_report_new_x (db, manager, &error);
      elapsed = g_get_monotonic_time () - start;
      report_cpu += cpu_us () - cpu;
      if (report == NULL)
        g_error ("%s", error->message);
      if (report->sales_count != sales_wanted)
        g_error ("the X report counts %" G_GINT64_FORMAT " sales, not %d", report->sales_count, sales_wanted);
      g_array_append_val (reports, elapsed);
    }

  /* What a report without projections would do: read every entry. */
  for (int round = 0; round < 3; round++)
    {
      sqlite3_stmt *stmt;
      gint64 sum = 0;

      start = g_get_monotonic_time ();
      sqlite3_prepare_v2 (pdv_db_get_handle (db), "SELECT kind, payload FROM journal ORDER BY seq", -1, &stmt, NULL);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          json_t *payload = json_loads ((const char *) sqlite3_column_text (stmt, 1), 0, NULL);

          if (g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "sale"))
            sum += json_integer_value (json_object_get (payload, "total"));
          json_decref (payload);
        }
      sqlite3_finalize (stmt);
      scan_us = MIN (scan_us, g_get_monotonic_time () - start);
      if (sum <= 0)
        g_error ("the scan found no sales");
    }

  printf ("\nX report — %" G_GINT64_FORMAT " sale lines in %d sales (generated in %.1f s)\n", lines_in_db,
          sales_wanted, generated / 1e6);
  report ("pdv_report_new_x", reports, report_cpu);
  printf ("%-40s %7.1f ms\n", "full journal scan (parse every entry)", scan_us / 1000.0);
  printf ("%-40s p50 1/%.0f of the scan   (target: X < 50 ms, far below the scan)\n", "ratio X report / scan",
          (scan_us / 1000.0) / MAX (percentile_ms (reports, 0.50), 0.001));
  return percentile_ms (reports, 0.50);
}

/* The X report read from the projections costs the same whatever the
 * night held: timed at 1,000 and at 1,000,000 lines in one run. */
static void
bench_report (const char *dir)
{
  double small = bench_report_of (dir, 1000);
  double big = bench_report_of (dir, 1000000);

  printf ("%-40s %.2f×   (1,000,000 lines / 1,000 lines, p50; constant time is 1×)\n", "ratio X report by size",
          big / MAX (small, 0.001));
}

/* ---- The door ---- */

#define DOOR_TICKETS ((guint) door_tickets)
#define DOOR_LIST    100000
#define DOOR_NIGHT   "2026-12-12T21:00:00-03:00"

static char *
door_secret (guint n)
{
  /* 22 characters, as a ticketing platform's secrets are. */
  return g_strdup_printf ("door%08uQx%02u%06u", n, n % 97, (n * 7919u) % 1000000u);
}

/* A ticket list as an organiser exports it, @n tickets from @first. */
static void
write_door_list (const char *path,
                 guint       first,
                 guint       n)
{
  static const char * const names[] = { "Ana", "Bruno", "Carla", "Diego", "Eduarda", "Felipe", "Gabriela",
                                        "Heitor", "Isabela", "João", "Larissa", "Marcos" };
  static const char * const surnames[] = { "Santos", "Silva", "Oliveira", "Souza", "Lima", "Pereira",
                                           "Costa", "Almeida", "Rocha", "Gomes" };
  FILE *file = fopen (path, "w");

  g_assert (file != NULL);
  fputs ("id,secret,order_code,holder_name,type,zone,entry_policy\n", file);
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *secret = door_secret (i);
      fprintf (file, "D%07u,%s,NV-%06u,%s %s %s,Pista,general,single\n", i, secret, i / 3,
               names[i % G_N_ELEMENTS (names)], surnames[(i / 12) % G_N_ELEMENTS (surnames)],
               surnames[(i / 120) % G_N_ELEMENTS (surnames)]);
    }
  g_assert (fclose (file) == 0);
}

/* The demo event with room for everyone, its door at 21:00 on the night. */
static PdvContext *
open_door (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) door = pdv_context_open (path, &error);
  g_autofree char *demo = pdv_demo_dir ();
  g_autofree char *event_path = g_build_filename (demo, "event.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 (DOOR_NIGHT, NULL);
  json_t *event;

  if (door == NULL)
    g_error ("%s", error->message);
  if (!pdv_journal_is_initialised (pdv_context_get_journal (door)))
    {
      if (!pdv_journal_initialise (pdv_context_get_journal (door), "Bench door", &error))
        g_error ("%s", error->message);
      event = json_load_file (event_path, 0, NULL);
      g_assert (event != NULL);
      json_object_set_new (json_object_get (event, "event"), "capacity", json_integer (10 * DOOR_TICKETS));
      text = json_dumps (event, 0);
      json_decref (event);
      if (!pdv_import_data (pdv_context_get_journal (door), "event.json", text, strlen (text),
                            PDV_IMPORT_KIND_EVENT, NULL, NULL, &error))
        g_error ("%s", error->message);
    }
  pdv_clock_set_time (pdv_db_get_clock (pdv_context_get_db (door)), night);
  return g_steal_pointer (&door);
}

/* Imports @list in a process of its own, for its peak memory alone. */
static void
bench_door_import (const char *db_path,
                   const char *list)
{
  struct rusage usage;
  gint64 start = g_get_monotonic_time ();
  int status;
  pid_t child;

  child = fork ();
  g_assert (child >= 0);
  if (child == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdvContext) door = open_door (db_path);
      PdvImportResult result;

      if (!pdv_import_file (pdv_context_get_journal (door), list, PDV_IMPORT_KIND_AUTO, NULL, &result, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          _exit (1);
        }
      _exit (result.n_tickets == DOOR_TICKETS ? 0 : 2);
    }
  g_assert (wait4 (child, &status, 0, &usage) == child);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("the import of %s failed", list);
  printf ("%-40s %7.1f s wall   CPU %.1f s user + %.1f s system   peak RSS %ld MB   (target: < 30 s)\n",
          "import the tickets (CSV, 1 file)", (g_get_monotonic_time () - start) / 1e6,
          usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6, usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6,
          usage.ru_maxrss / 1024);
}

typedef struct {
  PdvContext *door;
  GString    *list;
  gint        running;
  double      seconds;
} DoorList;

static gpointer
door_list_thread (gpointer data)
{
  DoorList *apply = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) worker = pdv_context_open_beside (apply->door, &error);
  gint64 start = g_get_monotonic_time ();

  if (worker == NULL ||
      !pdv_import_data_in_steps (pdv_context_get_journal (worker), "sync-1-tickets.json", apply->list->str,
                                 apply->list->len, PDV_IMPORT_KIND_TICKETS, NULL, NULL, &error))
    g_error ("%s", error->message);
  apply->seconds = (g_get_monotonic_time () - start) / 1e6;
  g_atomic_int_set (&apply->running, FALSE);
  return NULL;
}

static gint64
door_scan (PdvCheckin *checkin,
           guint       n)
{
  g_autofree char *secret = door_secret (n);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckinResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  result = pdv_checkin_validate (checkin, secret, -1, PDV_SCAN_CAMERA, &error);
  elapsed = g_get_monotonic_time () - start;
  if (result == NULL || !pdv_checkin_result_is_accepted (result))
    g_error ("ticket %u: %s", n, result ? result->message : error->message);
  /* The next person steps up (not timed): the main loop runs what is idle,
   * the deferred checkpoint when one is due. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return elapsed;
}

/* Fichas: the counter's verdict on each (signature checked, redemption
 * journalled), and what a sale of ten costs the till and the printer. */
static void
bench_fichas (const char   *dir,
              sqlite3      *bare_db,
              sqlite3_stmt *insert,
              const char   *body)
{
  g_autofree char *path = g_build_filename (dir, "fichas.db", NULL);
  g_autoptr(PdvContext) shop = open_shop (path, TRUE, NULL);
  PdvJournal *journal = pdv_context_get_journal (shop);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) redeems = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) sales = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) renders = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) reads = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) checks = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 bare_cpu = 0, redeem_cpu = 0, sale_cpu = 0, render_cpu = 0, read_cpu = 0, check_cpu = 0;
  g_autofree char *public_text = NULL;
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  guint next = 0;

  /* Sales of ten cans, each handing ten fichas over; their receipt and
   * slips rendered as the printer gets them. */
  while (tokens->len < 50 + (guint) iterations)
    {
      g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
      g_autoptr(PdvSaleResult) result = NULL;
      g_autoptr(PdvReceipt) receipt = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(json_t) fichas = NULL;
      gint64 start, cpu;

      pdv_sale_draft_add_line (draft, "CERV-LATA-350", 10);
      pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, 12000, 0, "AUTH");
      cpu = cpu_us ();
      start = g_get_monotonic_time ();
      result = pdv_sale_commit (journal, pdv_context_get_catalog (shop), draft, "bench", NULL, &error);
      g_array_append_vals (sales, (gint64[]) { g_get_monotonic_time () - start }, 1);
      sale_cpu += cpu_us () - cpu;
      if (result == NULL)
        g_error ("%s", error->message);
      /* As the terminal prints it: read on the till's thread, laid out on
       * the printer's. */
      cpu = cpu_us ();
      start = g_get_monotonic_time ();
      receipt = pdv_receipt_new_for_sale (journal, result->sale_id, &error);
      g_array_append_vals (reads, (gint64[]) { g_get_monotonic_time () - start }, 1);
      read_cpu += cpu_us () - cpu;
      cpu = cpu_us ();
      start = g_get_monotonic_time ();
      bytes = receipt != NULL ? pdv_receipt_render_escpos (receipt, NULL) : NULL;
      g_array_append_vals (renders, (gint64[]) { g_get_monotonic_time () - start }, 1);
      render_cpu += cpu_us () - cpu;
      if (bytes == NULL)
        g_error ("%s", error->message);
      fichas = json_deep_copy (result->fichas);
      if (!pdv_ficha_add_tokens (pdv_context_get_db (shop), fichas, &error))
        g_error ("%s", error->message);
      for (size_t i = 0; i < json_array_size (fichas); i++)
        g_ptr_array_add (tokens, g_strdup (json_string_value (json_object_get (json_array_get (fichas, i), "token"))));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  for (int i = 0; i < 50; i++)
    {
      g_autoptr(PdvFichaRedemption) r = pdv_ficha_redeem (journal, tokens->pdata[next++], "Balcão 1", "bench", NULL);
    }
  public_text = pdv_ficha_dup_public_key (pdv_context_get_db (shop), NULL);
  if (public_text == NULL || !pdv_ticket_public_key_parse (public_text, public_key, NULL))
    g_error ("the till's ficha key cannot be read");
  for (int round = 0; round < rounds; round++)
    {
      guint first = next;
      gint64 cpu;

      bare_cpu += bare_round (bare_db, insert, body, bare);
      cpu = cpu_us ();
      for (int i = 0; i < iterations / rounds; i++)
        {
          g_autoptr(PdvFichaRedemption) r = NULL;
          g_autoptr(GError) error = NULL;
          gint64 start = g_get_monotonic_time ();

          r = pdv_ficha_redeem (journal, tokens->pdata[next++], "Balcão 1", "bench", &error);
          g_array_append_vals (redeems, (gint64[]) { g_get_monotonic_time () - start }, 1);
          if (r == NULL || r->verdict != PDV_FICHA_VALID)
            g_error ("ficha %u: %s", next, r != NULL ? r->message : error->message);
          /* The next customer steps up: the deferred checkpoint when due. */
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
      redeem_cpu += cpu_us () - cpu;
      /* The signature check alone, on the same tokens with no database:
       * the part of a redemption no disk makes cheaper. */
      cpu = cpu_us ();
      for (guint i = first; i < next; i++)
        {
          gint64 start = g_get_monotonic_time ();

          if (!pdv_ficha_token_verify (tokens->pdata[i], public_key, NULL))
            g_error ("ficha %u does not verify", i);
          g_array_append_vals (checks, (gint64[]) { g_get_monotonic_time () - start }, 1);
        }
      check_cpu += cpu_us () - cpu;
    }
  printf ("\nFichas — a counter serving them, a till selling ten at a time\n");
  report ("bare SQLite insert+commit (1 row)", bare, bare_cpu);
  report ("ficha verify + redemption entry", redeems, redeem_cpu);
  report ("  of which the Ed25519 check alone", checks, check_cpu);
  printf ("%-40s p50 %6.2fx     p99 %6.2fx     p99 %7.3f ms   (target: p50 <= 2x, p99 < 5 ms)\n",
          "ratio redemption / bare", percentile_ms (redeems, 0.50) / percentile_ms (bare, 0.50),
          percentile_ms (redeems, 0.99) / percentile_ms (bare, 0.99), percentile_ms (redeems, 0.99));
  printf ("%-40s p50 %6.2fx     (what the redemption costs beyond it: %.2fx)\n", "ratio Ed25519 check / bare",
          percentile_ms (checks, 0.50) / percentile_ms (bare, 0.50),
          (percentile_ms (redeems, 0.50) - percentile_ms (checks, 0.50)) / percentile_ms (bare, 0.50));
  report ("sale of 10 fichas (commit)", sales, sale_cpu);
  report ("  its receipt read, tokens signed (till)", reads, read_cpu);
  report ("  receipt and 10 slips laid out (thread)", renders, render_cpu);
}

/* A QR code of @text, @scale pixels a module, in the middle of a 640×480
 * grey picture; with @noise, every pixel off by up to ±@noise. */
static guint8 *
qr_frame (const char *text,
          guint       scale,
          guint       noise)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvQrCode) code = *text ? pdv_qr_encode (text, &error) : NULL;
  guint8 *pixels = g_malloc (640 * 480);
  guint side, left, top;

  g_assert_no_error (error);
  side = code ? code->width * scale : 0;
  left = (640 - side) / 2;
  top = (480 - side) / 2;
  for (guint y = 0; y < 480; y++)
    for (guint x = 0; x < 640; x++)
      {
        gboolean dark = code != NULL && x >= left && y >= top && x < left + side && y < top + side &&
                        pdv_qr_code_is_dark (code, (x - left) / scale, (y - top) / scale);
        int value = dark ? 40 : 210;

        if (noise > 0)
          value += g_random_int_range (-(int) noise, (int) noise + 1);
        pixels[y * 640 + x] = CLAMP (value, 0, 255);
      }
  return pixels;
}

static void
bench_zbar (void)
{
  const char *texts[] = { "door00001234Qx21099990", NULL };
  g_autoptr(PdvImageScanner) scanner = pdv_image_scanner_new ();
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *secret_key = NULL;
  g_autofree char *public_key = NULL;
  g_autofree char *compact = NULL;
  g_autoptr(GError) error = NULL;
  guint8 key[PDV_TICKET_SECRET_KEY_BYTES];
  PdvTicketClaims claims = { .ticket_id = (char *) "D0001234", .event_id = (char *) "noite-de-verao-2026",
                             .type = (char *) "Pista", .zone = (char *) "general",
                             .policy = PDV_ENTRY_POLICY_SINGLE };
  guint decoded = 0, n = 0;
  gint64 wall, cpu;
  struct timespec t;

  if (!pdv_ticket_key_generate (&secret_key, &public_key, &error) ||
      !pdv_ticket_secret_key_parse (secret_key, key, &error) ||
      (compact = pdv_ticket_token_sign_compact (&claims, key, &error)) == NULL)
    g_error ("%s", error->message);
  texts[1] = compact;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_ptr_array_add (frames, qr_frame (texts[i], 4, 0));
      g_ptr_array_add (frames, qr_frame (texts[i], 3, 25));
    }
  /* A frame with nothing in it costs zbar as much as one with a code. */
  g_ptr_array_add (frames, qr_frame ("", 0, 25));

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  cpu = (gint64) t.tv_sec * G_USEC_PER_SEC + t.tv_nsec / 1000;
  wall = g_get_monotonic_time ();
  for (; n < 300; n++)
    {
      g_auto(GStrv) codes = pdv_image_scanner_scan_gray (scanner, g_ptr_array_index (frames, n % frames->len),
                                                         640, 480, 640);
      decoded += codes != NULL && codes[0] != NULL;
    }
  wall = g_get_monotonic_time () - wall;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  cpu = (gint64) t.tv_sec * G_USEC_PER_SEC + t.tv_nsec / 1000 - cpu;
  printf ("%-40s %7.1f frames/s of CPU   %.1f frames/s wall   (%u of %u decoded, %u with no code; target: >= 30)\n",
          "zbar, 640x480 frames, one thread", n / (cpu / 1e6), n / (wall / 1e6), decoded, n, n / frames->len);
}

typedef struct {
  GMainLoop  *loop;
  PdvCheckin *checkin;
  gint64      written;
} CameraRun;

static void
camera_code_cb (PdvCameraScanner *scanner,
                const char       *code,
                CameraRun        *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckinResult) result = NULL;

  if (run->written != 0)
    return;
  result = pdv_checkin_validate (run->checkin, code, -1, PDV_SCAN_CAMERA, &error);
  if (result == NULL)
    g_error ("%s", error->message);
  run->written = g_get_monotonic_time ();
  g_main_loop_quit (run->loop);
}

/* Frames at 30 a second through the terminal's camera code: a second of
 * nothing, then a ticket's QR code. From the moment it is shown to the
 * verdict written in the journal. */
static void
bench_camera (PdvCheckin *checkin,
              const char *dir)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *pattern = g_build_filename (dir, "camera-%03d.png", NULL);
  const guint blank = 30, shown = 45, runs = 12;

  for (guint run = 0; run < runs; run++)
    {
      g_autofree char *secret = door_secret (DOOR_TICKETS - 1 - run);
      g_autofree char *source = NULL;
      g_autoptr(PdvCameraScanner) scanner = pdv_camera_scanner_new ();
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_autoptr(GError) error = NULL;
      CameraRun state = { loop, checkin, 0 };
      gint64 started, latency;

      for (guint i = 0; i < blank + shown; i++)
        {
          g_autofree guint8 *pixels = qr_frame (i < blank ? "" : secret, i < blank ? 0 : 4, 12);
          g_autofree char *name = g_strdup_printf ("camera-%03u.png", i);
          g_autofree char *path = g_build_filename (dir, name, NULL);
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 640, 480);
          guint32 *row;

          cairo_surface_flush (surface);
          for (guint y = 0; y < 480; y++)
            {
              row = (guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface));
              for (guint x = 0; x < 640; x++)
                row[x] = pixels[y * 640 + x] * 0x010101u;
            }
          cairo_surface_mark_dirty (surface);
          g_assert (cairo_surface_write_to_png (surface, path) == CAIRO_STATUS_SUCCESS);
          cairo_surface_destroy (surface);
        }
      source = g_strdup_printf ("multifilesrc location=\"%s\" index=0 stop-index=%u caps=image/png,framerate=30/1 "
                                "! pngdec", pattern, blank + shown - 1);
      pdv_camera_scanner_set_source_description (scanner, source);
      g_signal_connect (scanner, "code-detected", G_CALLBACK (camera_code_cb), &state);
      /* The stream's clock starts at the earliest when start() is called,
       * so the code shows at the earliest a second later: the latency
       * measured is never less than the real one. */
      started = g_get_monotonic_time ();
      if (!pdv_camera_scanner_start (scanner, &error))
        g_error ("%s", error->message);
      g_main_loop_run (loop);
      pdv_camera_scanner_stop (scanner);
      latency = state.written - started - blank * G_USEC_PER_SEC / 30;
      g_array_append_val (samples, latency);
    }
  printf ("%-40s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms   (%u runs; target: p95 < 300 ms)\n",
          "camera: QR shown -> verdict written", percentile_ms (samples, 0.50), percentile_ms (samples, 0.95),
          percentile_ms (samples, 1.0), runs);
}

static void
bench_door (const char   *dir,
            sqlite3      *bare_db,
            sqlite3_stmt *insert,
            const char   *body)
{
  g_autofree char *list_path = g_build_filename (dir, "door-tickets.csv", NULL);
  g_autofree char *db_path = g_build_filename (dir, "door.db", NULL);
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) scans = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) during = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(PdvContext) door = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  gint64 bare_cpu = 0, scan_cpu = 0, during_cpu;
  guint next = 0;
  DoorList apply = { 0 };
  GThread *thread;

  printf ("\nDoor — %u tickets on the terminal\n", DOOR_TICKETS);
  write_door_list (list_path, 0, DOOR_TICKETS);
  bench_door_import (db_path, list_path);
  g_remove (list_path);

  door = open_door (db_path);
  /* As the app's door does: the log is copied back while it waits for the
   * next person, not in a scan's commit. */
  pdv_db_set_deferred_checkpoints (pdv_context_get_db (door), TRUE);
  checkin = pdv_checkin_new (pdv_context_get_journal (door));
  pdv_checkin_set_gate (checkin, "Portão 1");
  /* Tickets in no order, as people arrive. */
  for (int i = 0; i < 50; i++)
    door_scan (checkin, (next++ * 7919u) % DOOR_TICKETS);

  for (int round = 0; round < rounds; round++)
    {
      gint64 cpu;

      bare_cpu += bare_round (bare_db, insert, body, bare);
      cpu = cpu_us ();
      for (int i = 0; i < iterations / rounds; i++)
        {
          gint64 elapsed = door_scan (checkin, (next++ * 7919u) % DOOR_TICKETS);
          g_array_append_val (scans, elapsed);
        }
      scan_cpu += cpu_us () - cpu;
    }
  report ("bare SQLite insert+commit (1 row)", bare, bare_cpu);
  report ("scan -> durable verdict", scans, scan_cpu);
  printf ("%-40s p50 %6.2fx     p99 %6.2fx     (target: p50 <= 2x, p99 < 5 ms)\n", "ratio scan / bare",
          percentile_ms (scans, 0.50) / percentile_ms (bare, 0.50),
          percentile_ms (scans, 0.99) / percentile_ms (bare, 0.99));

  /* The same while a list of 100,000 more arrives from the sync server. */
  apply.door = door;
  apply.list = g_string_new ("{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": [\n");
  for (guint i = 0; i < DOOR_LIST; i++)
    g_string_append_printf (apply.list, "%s{\"id\": \"L%07u\", \"secret\": \"list%018u\", \"order_code\": \"NV-L%u\", "
                            "\"holder_name\": \"Pessoa %u da Silva\", \"type\": \"Pista\", \"zone\": \"general\"}\n",
                            i > 0 ? "," : "", i, i, i / 2, i);
  g_string_append (apply.list, "]}\n");
  g_atomic_int_set (&apply.running, TRUE);
  thread = g_thread_new ("list", door_list_thread, &apply);
  during_cpu = cpu_us ();
  while (g_atomic_int_get (&apply.running))
    {
      gint64 elapsed = door_scan (checkin, (next++ * 7919u) % DOOR_TICKETS);
      g_array_append_val (during, elapsed);
      /* A person every 5 ms at most: a door, not a flood. */
      g_usleep (5000);
    }
  during_cpu = cpu_us () - during_cpu;
  g_thread_join (thread);
  g_string_free (apply.list, TRUE);
  printf ("%-40s p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms   (%u samples; target: p99 < 20 ms)\n",
          "scan while 100,000 tickets apply", percentile_ms (during, 0.50), percentile_ms (during, 0.99),
          percentile_ms (during, 1.0), during->len);
  printf ("%-40s %.1f s wall in steps; the process's CPU meanwhile %.1f s\n", "the 100,000-ticket list applied",
          apply.seconds, during_cpu / 1e6);

  bench_zbar ();
  bench_camera (checkin, dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— durable write latency of the PDV journal");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *bare_path = NULL;
  g_autofree char *body = NULL;
  sqlite3 *bare_db;
  sqlite3_stmt *insert;

  /* Results print as they come: a failure later loses none of them. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  /* As every PDV program does. */
  pdv_process_tune_memory ();
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);
  /* Runs from the build tree as it is: the demo catalog of the sources. */
  if (g_getenv ("PDV_DEMO_DIR") == NULL)
    g_setenv ("PDV_DEMO_DIR", PDV_BENCH_DEMO_DIR, TRUE);

  dir = work_dir ? g_strdup (work_dir) : g_dir_make_tmp ("pdv-bench-XXXXXX", &error);
  g_assert_no_error (error);
  bare_path = g_build_filename (dir, "bare.db", NULL);

  bare_db = open_bare (bare_path);
  sqlite3_prepare_v2 (bare_db, "INSERT INTO t (body) VALUES (?)", -1, &insert, NULL);
  {
    json_t *payload = typical_payload (0);
    body = pdv_canonical_json (payload);
    json_decref (payload);
  }

  printf ("PDV journal benchmark — %s, SQLite %s, synchronous=FULL, WAL\n", dir, sqlite3_libversion ());
  if (section_wanted ("journal"))
    {
      bench_journal (dir, bare_db, insert, body);
    }
  else
    {
      /* The bare database as the journal section leaves it (its log grown to
       * full size), so that the sales section compares alike. */
      for (int i = 0; i < 50 + iterations; i++)
        bare_commit (bare_db, insert, body);
    }
  if (section_wanted ("sales"))
    bench_sales (dir, bare_db, insert, body);
  if (section_wanted ("search"))
    bench_search (dir);
  if (section_wanted ("report"))
    bench_report (dir);
  if (section_wanted ("door"))
    bench_door (dir, bare_db, insert, body);
  if (section_wanted ("fichas"))
    bench_fichas (dir, bare_db, insert, body);

  sqlite3_finalize (insert);
  sqlite3_close (bare_db);
  if (work_dir == NULL)
    {
      const char *names[] = { "bare.db", "bare.db-wal", "bare.db-shm", "journal.db", "journal.db-wal",
                              "journal.db-shm", "sales-idle.db", "sales-idle.db-wal", "sales-idle.db-shm",
                              "sales-busy.db", "sales-busy.db-wal", "sales-busy.db-shm",
                              "sales-auto.db", "sales-auto.db-wal", "sales-auto.db-shm",
                              "search.db", "search.db-wal", "search.db-shm",
                              "report-1000.db", "report-1000.db-wal", "report-1000.db-shm",
                              "report-1000000.db", "report-1000000.db-wal", "report-1000000.db-shm",
                              "door.db", "door.db-wal", "door.db-shm", "fichas.db", "fichas.db-wal",
                              "fichas.db-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (dir, names[i], NULL);
          remove (path);
        }
      for (guint i = 0; i < 75; i++)
        {
          g_autofree char *name = g_strdup_printf ("camera-%03u.png", i);
          g_autofree char *path = g_build_filename (dir, name, NULL);
          remove (path);
        }
      g_rmdir (dir);
    }
  return 0;
}

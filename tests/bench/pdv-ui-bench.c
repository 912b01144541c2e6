/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a person waits for on the screen, with a big catalog: how long the
 * terminal takes to show its first frame (the login screen) against a bare
 * libadwaita window started the same way, how much memory 10,000 products
 * cost over the demo catalog, and how long a keystroke in the product search
 * takes to reach the screen. Each start is a process of its own, measured
 * from its first instruction to the first frame painted, alternating so
 * that drift hits all alike. Needs a display: xvfb-run -a pdv-ui-bench. */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "pdv-application.h"
#include "pdv-core.h"
#include "pdv-sell-page-private.h"
#include "pdv-window-private.h"

#define BIG_CATALOG 10000
#define KEYS_TEXT "cerveja lata 350"

static gint64 process_start_us;
static int starts = 5;
static int key_rounds = 5;
static char *child_mode = NULL;
static char *child_db = NULL;

static GOptionEntry entries[] = {
  { "starts", 'n', 0, G_OPTION_ARG_INT, &starts, "Starts of each program to time (default 5)", "N" },
  { "key-rounds", 'k', 0, G_OPTION_ARG_INT, &key_rounds, "Times the search is typed and erased (default 5)", "N" },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child_mode, NULL, NULL },
  { "db", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &child_db, NULL, NULL },
  { NULL }
};

static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return strtol (line + strlen ("VmRSS:"), NULL, 10);
}

/* Children: one start, one line on stdout. */

static void
first_frame_painted_cb (GdkFrameClock *frame_clock,
                        GApplication  *application)
{
  double wall_ms = (g_get_monotonic_time () - process_start_us) / 1000.0;

  g_signal_handlers_disconnect_by_func (frame_clock, first_frame_painted_cb, application);
  printf ("frame %.1f %.1f %ld\n", wall_ms, cpu_ms (), rss_kb ());
  fflush (stdout);
  g_application_quit (application);
}

static void
window_mapped_cb (GtkWidget    *window,
                  GApplication *application)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (first_frame_painted_cb),
                    application);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window)
{
  g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), application);
}

static void
bare_activated_cb (GtkApplication *application)
{
  GtkWidget *window = adw_application_window_new (application);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new ("PDV"));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
}

/* The terminal as `pdv --db DB` starts: the login screen. */
static int
run_start (const char *mode,
           const char *db)
{
  g_autoptr(GtkApplication) application = NULL;

  if (g_str_equal (mode, "bare"))
    {
      application = GTK_APPLICATION (adw_application_new ("br.com.pdv.Bench", G_APPLICATION_NON_UNIQUE));
      g_signal_connect (application, "activate", G_CALLBACK (bare_activated_cb), NULL);
    }
  else
    {
      /* As `pdv` starts, renderer included. */
      pdv_application_choose_renderer ();
      application = GTK_APPLICATION (pdv_application_new ());
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      pdv_application_set_db_path (PDV_APPLICATION (application), db);
    }
  g_signal_connect (application, "window-added", G_CALLBACK (window_added_cb), NULL);
  return g_application_run (G_APPLICATION (application), 0, NULL);
}

typedef struct {
  PdvWindow *window;
  guint      painted;
} Keys;

static void
painted_cb (GdkFrameClock *frame_clock,
            Keys          *keys)
{
  keys->painted++;
}

static void
paint_once (Keys *keys)
{
  guint before = keys->painted;

  gtk_widget_queue_draw (GTK_WIDGET (keys->window));
  while (keys->painted == before)
    g_main_context_iteration (NULL, TRUE);
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
keys_activated_cb (GtkApplication *application,
                   PdvContext     *context)
{
  Keys keys = { 0 };
  PdvSellPage *page;
  g_autoptr(GString) typed = g_string_new (NULL);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  GdkFrameClock *frame_clock;
  double cpu_before;
  double keys_cpu_ms;

  keys.window = g_object_new (PDV_TYPE_WINDOW, "application", application, "context", context,
                              "settings", pdv_application_get_settings (PDV_APPLICATION (application)),
                              "require-login", FALSE, NULL);
  gtk_window_set_default_size (GTK_WINDOW (keys.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (keys.window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (keys.window)))
    g_main_context_iteration (NULL, TRUE);
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (keys.window));
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (painted_cb), &keys);
  paint_once (&keys);
  paint_once (&keys);

  page = PDV_SELL_PAGE (pdv_window_get_page (keys.window, "sell"));
  /* The sell grid is on screen, its catalog loaded. */
  printf ("rss %ld\n", rss_kb ());
  /* What a frame of this window costs with nothing changed: the floor
   * under every keystroke on this display. */
  {
    g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));

    for (int i = 0; i < 20; i++)
      {
        gint64 start = g_get_monotonic_time ();
        double ms;

        paint_once (&keys);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (idle, ms);
      }
    printf ("paint");
    for (guint i = 0; i < idle->len; i++)
      printf (" %.3f", g_array_index (idle, double, i));
    printf ("\n");
  }
  cpu_before = cpu_ms ();
  /* Typed a key at a time, then erased: each step filters the whole
   * catalog and redraws the grid. */
  for (int round = 0; round < key_rounds; round++)
    {
      for (int step = 0; step < 2 * (int) strlen (KEYS_TEXT); step++)
        {
          gint64 start;
          double ms;

          if (step < (int) strlen (KEYS_TEXT))
            g_string_append_c (typed, KEYS_TEXT[step]);
          else
            g_string_truncate (typed, typed->len - 1);
          start = g_get_monotonic_time ();
          pdv_sell_page_search (page, typed->str);
          paint_once (&keys);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (samples, ms);
        }
    }
  keys_cpu_ms = (cpu_ms () - cpu_before) / samples->len;
  /* The floor: the same keys into the search field with no search run
   * (the field waits a moment before it searches), what typing alone costs
   * on this display. */
  {
    GtkWidget *entry = find_search_entry (GTK_WIDGET (page));
    g_autoptr(GArray) typing = g_array_new (FALSE, FALSE, sizeof (double));

    g_string_truncate (typed, 0);
    for (int step = 0; entry != NULL && step < 2 * (int) strlen (KEYS_TEXT); step++)
      {
        gint64 start;
        double ms;

        if (step < (int) strlen (KEYS_TEXT))
          g_string_append_c (typed, KEYS_TEXT[step]);
        else
          g_string_truncate (typed, typed->len - 1);
        start = g_get_monotonic_time ();
        gtk_editable_set_text (GTK_EDITABLE (entry), typed->str);
        paint_once (&keys);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (typing, ms);
      }
    printf ("typing");
    for (guint i = 0; i < typing->len; i++)
      printf (" %.3f", g_array_index (typing, double, i));
    printf ("\n");
  }
  g_signal_handlers_disconnect_by_func (frame_clock, painted_cb, &keys);
  printf ("keys %.3f", keys_cpu_ms);
  for (guint i = 0; i < samples->len; i++)
    printf (" %.3f", g_array_index (samples, double, i));
  printf ("\n");
  fflush (stdout);
  gtk_window_destroy (GTK_WINDOW (keys.window));
  g_application_quit (G_APPLICATION (application));
}

static int
run_keys (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = pdv_context_open (db, &error);
  g_autoptr(PdvApplication) application = NULL;

  if (context == NULL)
    g_error ("%s", error->message);
  pdv_application_choose_renderer ();
  printf ("renderer %s\n", g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "gtk-default");
  application = pdv_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "activate", G_CALLBACK (keys_activated_cb), context);
  return g_application_run (G_APPLICATION (application), 0, NULL);
}

/* The orchestrator. */

/* A valid EAN-13 for @n: 789, the number, and its check digit. */
static char *
ean13 (int n)
{
  g_autofree char *body = g_strdup_printf ("789%09d", n);
  int sum = 0;

  for (int i = 0; i < 12; i++)
    sum += (body[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return g_strdup_printf ("%s%d", body, (10 - sum % 10) % 10);
}

static char *
write_big_catalog (const char *dir)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": \"pdv-catalog\", \"version\": 1, \"categories\": [");
  static const char * const words[] = { "Cerveja", "Lata", "Long Neck", "Caipirinha", "Dose", "Água", "Suco",
                                        "Porção", "Pastel", "Combo", "Gin", "Vodka", "Refrigerante", "Açaí" };
  char *path = g_build_filename (dir, "big-catalog.json", NULL);
  g_autoptr(GError) error = NULL;

  for (int c = 0; c < 10; c++)
    g_string_append_printf (json, "%s{\"id\": \"cat-%d\", \"name\": \"Categoria %d\", \"position\": %d}",
                            c ? ", " : "", c, c, c + 1);
  g_string_append (json, "], \"products\": [");
  for (int p = 0; p < BIG_CATALOG; p++)
    {
      g_autofree char *barcode = ean13 (p);

      g_string_append_printf (json, "%s{\"id\": \"P%05d\", \"name\": \"%s %s %d ml\", \"price\": %d, "
                              "\"category\": \"cat-%d\", \"barcode\": \"%s\", \"track_stock\": true, "
                              "\"stock\": %d, \"stock_policy\": \"warn\", \"position\": %d, \"active\": true}",
                              p ? ", " : "", p, words[p % G_N_ELEMENTS (words)],
                              words[(p / 7) % G_N_ELEMENTS (words)], 100 + p % 900, 500 + (p * 37) % 9000,
                              p % 10, barcode, 10 + p % 500, p + 1);
    }
  g_string_append (json, "]}");
  if (!g_file_set_contents (path, json->str, json->len, &error))
    g_error ("%s", error->message);
  return path;
}

static char *
make_terminal (const char *dir,
               const char *name,
               const char *extra_catalog)
{
  g_autofree char *demo_dir = pdv_demo_dir ();
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = pdv_context_open (path, &error);

  if (context == NULL ||
      !pdv_journal_initialise (pdv_context_get_journal (context), "Bar 1", &error) ||
      !pdv_context_load_demo (context, demo_dir, NULL, NULL, &error) ||
      (extra_catalog != NULL &&
       !pdv_import_file (pdv_context_get_journal (context), extra_catalog, PDV_IMPORT_KIND_AUTO, NULL, NULL,
                         &error)))
    g_error ("%s: %s", path, error->message);
  return path;
}

/* @renderer: NULL for the one GTK picks, or a GSK_RENDERER name */
static char *
run_child_with (const char *self_path,
                const char *mode,
                const char *db,
                const char *renderer)
{
  const char *argv[] = { self_path, "--child", mode, db ? "--db" : NULL, db, NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (renderer != NULL)
    env = g_environ_setenv (env, "GSK_RENDERER", renderer, TRUE);
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    g_error ("%s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s %s failed: %s\n%s", mode, db ? db : "", error->message, err);
  return g_steal_pointer (&out);
}

static char *
run_child (const char *self_path,
           const char *mode,
           const char *db)
{
  return run_child_with (self_path, mode, db, NULL);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *samples,
            double  p)
{
  g_array_sort (samples, compare_double);
  return g_array_index (samples, double, MIN (samples->len - 1, (guint) (p * samples->len)));
}

/* What one run of the keystroke child measured. */
typedef struct {
  GArray *keys;     /* search and paint, a keystroke each */
  GArray *typing;   /* the same keys with no search: the floor */
  GArray *paints;   /* a frame with nothing changed */
  double  cpu;      /* CPU a keystroke */
  double  rss_mb;   /* with the sell grid shown */
  char   *renderer; /* the one the app drew with */
} KeysRun;

static void
keys_clear (KeysRun *k)
{
  g_clear_pointer (&k->keys, g_array_unref);
  g_clear_pointer (&k->typing, g_array_unref);
  g_clear_pointer (&k->paints, g_array_unref);
  g_clear_pointer (&k->renderer, g_free);
}

static void
run_keys_child (const char *self_path,
                const char *db,
                const char *renderer,
                KeysRun    *k)
{
  g_autofree char *out = run_child_with (self_path, "keys", db, renderer);
  g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);

  k->keys = g_array_new (FALSE, FALSE, sizeof (double));
  k->typing = g_array_new (FALSE, FALSE, sizeof (double));
  k->paints = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[l], " ", -1);
      gboolean is_keys = g_str_equal (fields[0], "keys");
      GArray *into = is_keys ? k->keys : g_str_equal (fields[0], "typing") ? k->typing : k->paints;

      if (g_str_equal (fields[0], "rss"))
        {
          k->rss_mb = g_ascii_strtod (fields[1], NULL) / 1024.0;
          continue;
        }
      if (g_str_equal (fields[0], "renderer"))
        {
          g_free (k->renderer);
          k->renderer = g_strdup (fields[1]);
          continue;
        }
      g_assert (is_keys || g_str_equal (fields[0], "paint") || g_str_equal (fields[0], "typing"));
      if (is_keys)
        k->cpu = g_ascii_strtod (fields[1], NULL);
      for (guint i = is_keys ? 2 : 1; fields[i] != NULL; i++)
        {
          double ms = g_ascii_strtod (fields[i], NULL);

          g_array_append_val (into, ms);
        }
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KeysRun, keys_clear)

static void
print_keys (const char *renderer,
            KeysRun    *k)
{
  guint steps = 2 * strlen (KEYS_TEXT);
  g_autoptr(GArray) medians = g_array_new (FALSE, FALSE, sizeof (double));
  guint slowest[3] = { 0 };
  double slowest_ms[3] = { 0 };

  /* Which keystrokes are slow: each step's median over the rounds (before
   * the percentiles sort the samples). */
  for (guint step = 0; step < steps && k->keys->len >= steps; step++)
    {
      g_autoptr(GArray) at = g_array_new (FALSE, FALSE, sizeof (double));
      double median;

      for (guint i = step; i < k->keys->len; i += steps)
        g_array_append_val (at, g_array_index (k->keys, double, i));
      median = percentile (at, 0.5);
      g_array_append_val (medians, median);
    }
  for (guint n = 0; n < G_N_ELEMENTS (slowest) && medians->len > 0; n++)
    {
      for (guint step = 0; step < medians->len; step++)
        if (g_array_index (medians, double, step) > g_array_index (medians, double, slowest[n]))
          slowest[n] = step;
      /* Taken: the next round looks for the next slowest. */
      slowest_ms[n] = g_array_index (medians, double, slowest[n]);
      g_array_index (medians, double, slowest[n]) = -1;
    }

  g_print ("\nKeystroke in the product search → grid painted, %d products, %u keystrokes, %s (%s):\n",
           BIG_CATALOG, k->keys->len, renderer, k->renderer ? k->renderer : "?");
  g_print ("  p50 %.2f ms  p95 %.2f ms  max %.2f ms  (CPU %.2f ms a key; goal p95 < 50 ms)\n",
           percentile (k->keys, 0.5), percentile (k->keys, 0.95), percentile (k->keys, 1.0), k->cpu);
  g_print ("  the slowest, as the field reads after the key (median of the rounds):");
  for (guint n = 0; n < G_N_ELEMENTS (slowest) && medians->len > 0; n++)
    {
      guint step = slowest[n];
      guint typed = step < strlen (KEYS_TEXT) ? step + 1 : steps - step - 1;

      g_print ("%s “%.*s” %.2f ms", n == 0 ? "" : ",", (int) typed, KEYS_TEXT, slowest_ms[n]);
    }
  g_print ("\n");
  g_print ("  the same keys typed with no search run (the display's floor): p50 %.2f ms  p95 %.2f ms\n",
           percentile (k->typing, 0.5), percentile (k->typing, 0.95));
  g_print ("  a frame of the same window with nothing changed: p50 %.2f ms  p95 %.2f ms\n",
           percentile (k->paints, 0.5), percentile (k->paints, 0.95));
}

typedef struct {
  GArray *wall;
  GArray *cpu;
  GArray *rss;
} Starts;

static void
add_start (Starts     *starts_of,
           const char *line)
{
  double wall, cpu;
  long rss;

  if (sscanf (line, "frame %lf %lf %ld", &wall, &cpu, &rss) != 3)
    g_error ("unexpected: %s", line);
  g_array_append_val (starts_of->wall, wall);
  g_array_append_val (starts_of->cpu, cpu);
  {
    double rss_mb = rss / 1024.0;

    g_array_append_val (starts_of->rss, rss_mb);
  }
}


int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— first frame, memory and search with a big catalog");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *demo_db = NULL;
  g_autofree char *big_db = NULL;
  Starts bare = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)),
                  g_array_new (FALSE, FALSE, sizeof (double)) };
  Starts demo = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)),
                  g_array_new (FALSE, FALSE, sizeof (double)) };
  Starts big = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)),
                 g_array_new (FALSE, FALSE, sizeof (double)) };
  g_auto(KeysRun) demo_keys = { 0 };
  g_auto(KeysRun) big_keys = { 0 };
  g_auto(KeysRun) gl_keys = { 0 };
  double load[3] = { 0 };

  process_start_us = g_get_monotonic_time ();
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (child_mode != NULL)
    {
      pdv_i18n_init ();
      return g_str_equal (child_mode, "keys") ? run_keys (child_db) : run_start (child_mode, child_db);
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("pdv-ui-bench needs a display: xvfb-run -a %s\n", argv[0]);
      return 2;
    }

  /* The terminal's settings, never the user's; the schema and the demo
   * catalog of the build and source trees. */
  if (g_getenv ("GSETTINGS_BACKEND") == NULL)
    g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", PDV_BENCH_SCHEMA_DIR, TRUE);
  if (g_getenv ("PDV_DEMO_DIR") == NULL)
    g_setenv ("PDV_DEMO_DIR", PDV_BENCH_DEMO_DIR, TRUE);
  setvbuf (stdout, NULL, _IOLBF, 0);
  dir = g_dir_make_tmp ("pdv-ui-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  g_print ("Preparing a demo terminal and one with %d more products…\n", BIG_CATALOG);
  catalog = write_big_catalog (dir);
  demo_db = make_terminal (dir, "demo.db", NULL);
  big_db = make_terminal (dir, "big.db", catalog);

  if (getloadavg (load, 3) < 0)
    load[0] = -1;
  g_print ("load average before: %.2f\n", load[0]);
  for (int i = 0; i < starts; i++)
    {
      g_autofree char *b = run_child (argv[0], "bare", NULL);
      g_autofree char *d = run_child (argv[0], "pdv", demo_db);
      g_autofree char *g = run_child (argv[0], "pdv", big_db);

      add_start (&bare, b);
      add_start (&demo, d);
      add_start (&big, g);
    }
  /* The keystrokes that count are the big catalog's: with the renderer the
   * app picks on this machine and, for comparison, with GL (in software
   * where there is no GPU). */
  run_keys_child (argv[0], demo_db, NULL, &demo_keys);
  run_keys_child (argv[0], big_db, NULL, &big_keys);
  run_keys_child (argv[0], big_db, "gl", &gl_keys);

  {
    double bare_ms = percentile (bare.wall, 0.5), demo_ms = percentile (demo.wall, 0.5);
    double big_ms = percentile (big.wall, 0.5);
    double demo_rss = percentile (demo.rss, 0.5), big_rss = percentile (big.rss, 0.5);

    g_print ("\nFirst frame (median of %d starts, from process start; CPU beside wall):\n", starts);
    g_print ("  bare libadwaita window      %8.1f ms  (CPU %.1f ms)  RSS %.1f MB\n", bare_ms,
             percentile (bare.cpu, 0.5), percentile (bare.rss, 0.5));
    g_print ("  terminal, demo catalog      %8.1f ms  (CPU %.1f ms)  RSS %.1f MB\n", demo_ms,
             percentile (demo.cpu, 0.5), demo_rss);
    g_print ("  terminal, +%d products   %8.1f ms  (CPU %.1f ms)  RSS %.1f MB\n", BIG_CATALOG, big_ms,
             percentile (big.cpu, 0.5), big_rss);
    g_print ("  ratio, %d products / bare: %.2f×  (goal ≤ 1.5×)\n", BIG_CATALOG, big_ms / bare_ms);
    g_print ("  memory at the login screen, %d products − demo: %+.1f MB (the catalog is read when the sell grid "
             "is first shown)\n", BIG_CATALOG, big_rss - demo_rss);
    g_print ("  memory with the sell grid shown: demo %.1f MB, +%d products %.1f MB: %+.1f MB  (goal ≤ +50 MB)\n",
             demo_keys.rss_mb, BIG_CATALOG, big_keys.rss_mb, big_keys.rss_mb - demo_keys.rss_mb);
  }
  print_keys ("the renderer the app picks", &big_keys);
  print_keys ("GL renderer, for comparison", &gl_keys);
  if (getloadavg (load, 3) >= 0)
    g_print ("load average after: %.2f\n", load[0]);

  g_array_unref (bare.wall); g_array_unref (bare.cpu); g_array_unref (bare.rss);
  g_array_unref (demo.wall); g_array_unref (demo.cpu); g_array_unref (demo.rss);
  g_array_unref (big.wall); g_array_unref (big.cpu); g_array_unref (big.rss);
  {
    g_autoptr(GFile) tmp = g_file_new_for_path (dir);
    g_autoptr(GFileEnumerator) children = g_file_enumerate_children (tmp, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                      G_FILE_QUERY_INFO_NONE, NULL, NULL);
    GFileInfo *info;

    while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
      {
        g_autoptr(GFile) child = g_file_get_child (tmp, g_file_info_get_name (info));

        g_file_delete (child, NULL, NULL);
        g_object_unref (info);
      }
    g_file_delete (tmp, NULL, NULL);
  }
  return 0;
}

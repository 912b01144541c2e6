/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The load test of pdv-syncd: a fleet of simulated terminals pushing their
 * journals at once against real servers on loopback ports, a health probe
 * timing /v1/health meanwhile, and the same rows inserted straight into
 * SQLite as the baseline of the same run.
 *
 *   pdv-load                          200 terminals x 1,000 entries, SQLite
 *   pdv-load -t 20 -e 100 --check     small, exits 1 on any failed request
 *   pdv-load --postgres --servers 2   two servers on one PostgreSQL database
 *   pdv-load -t 1 -e 100000           one terminal's long backlog
 *   pdv-load --fleet 20                20 terminals running pdvctl sync: gates
 *                                     hearing each other, a 60 s outage
 *
 * Runs the pdv-syncd of its build tree ($PDV_SYNCD for another).
 */
#define G_LOG_DOMAIN "pdv-load"

#include "config.h"

#include <jansson.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "pdv-context.h"
#include "pdv-journal.h"
#include "pdv-store.h"
#include "pdv-sync-client.h"
#include "pdv-sync-codec.h"
#include "pdv-sync-state.h"
#include "pdv-test-servers.h"

#define ADMIN_TOKEN "load-admin-token"

static int opt_terminals = 200;
static int opt_entries = 1000;
static int opt_batch = 500;
static int opt_servers = 1;
static int opt_workers = 0;
static int opt_health_ms = 20;
static int opt_reports = 0;
static gboolean opt_postgres = FALSE;
static gboolean opt_check = FALSE;
static gboolean opt_compare_servers = FALSE;
static int opt_panels = 0;
static gboolean opt_compare_panels = FALSE;
static gboolean opt_panel_load = FALSE;
static int opt_fleet = 0;
static int opt_outage_s = 60;
static int opt_crossings = 50;

typedef struct {
  guint      index;
  char      *id;
  char      *token;
  const char *url;          /* the server it talks to */
  GPtrArray *bodies;        /* GBytes: each push's body, made before the storm */
  GPtrArray *rows;          /* PdvJournalEntry, for the baseline */
  GArray    *latencies;     /* double, ms per push */
  guint      failures;
  gint64     acked;
  char      *problem;       /* the first failure */
} Terminal;

typedef struct {
  const char *url;
  gint        stop;
  GArray     *latencies;    /* double, ms */
  guint       failures;
} Probe;

/* An organiser's panel held open during the storm: asks for the figures
 * again each time they change, as the page does. */
typedef struct {
  const char *url;
  char       *cookie;
  gint        stop;
  guint       updates;
  guint       failures;
} Panel;

static GMutex   start_lock;
static GCond    start_cond;
static gboolean started;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* user + system CPU of a process so far, from /proc. */
static double
process_cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  /* utime and stime are fields 14 and 15 of the line, 12 and 13 after the name. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 / sysconf (_SC_CLK_TCK);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

/* One request; returns the status (0 for a transport error) and the body. */
static guint
request (SoupSession  *session,
         const char   *method,
         const char   *url,
         const char   *token,
         GBytes       *body,
         json_t      **out_json,
         char        **out_problem)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  if (token != NULL)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL)
    {
      if (out_problem != NULL)
        *out_problem = g_strdup (error->message);
      return 0;
    }
  status = soup_message_get_status (msg);
  if (out_json != NULL)
    *out_json = json_loadb (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), 0, NULL);
  if (status >= 300 && out_problem != NULL)
    *out_problem = g_strdup_printf ("%u %.*s", status, (int) MIN (g_bytes_get_size (answer), 300),
                                    (const char *) g_bytes_get_data (answer, NULL));
  return status;
}

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("timeout", 300, "max-conns", 4, "max-conns-per-host", 4, NULL);
}

static void
enrol (Terminal *terminal)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *name = g_strdup_printf ("LOAD%03u", terminal->index);
  g_autoptr(json_t) ask = json_pack ("{s:s}", "terminal_name", name);
  g_autofree char *ask_text = json_dumps (ask, JSON_COMPACT);
  g_autoptr(GBytes) ask_body = g_bytes_new_take (g_strdup (ask_text), strlen (ask_text));
  g_autofree char *codes_url = g_strconcat (terminal->url, "/v1/admin/enrolments", NULL);
  g_autofree char *enrol_url = g_strconcat (terminal->url, "/v1/enroll", NULL);
  g_autoptr(json_t) code = NULL;
  g_autoptr(json_t) enrolled = NULL;
  g_autoptr(json_t) claim = NULL;
  g_autofree char *claim_text = NULL;
  g_autoptr(GBytes) claim_body = NULL;
  g_autofree char *problem = NULL;

  if (request (session, "POST", codes_url, ADMIN_TOKEN, ask_body, &code, &problem) != 201)
    g_error ("enrolment code: %s", problem);
  claim = json_pack ("{s:O, s:s, s:s}", "code", json_object_get (code, "code"), "terminal_id", terminal->id,
                     "terminal_name", name);
  claim_text = json_dumps (claim, JSON_COMPACT);
  claim_body = g_bytes_new (claim_text, strlen (claim_text));
  if (request (session, "POST", enrol_url, NULL, claim_body, &enrolled, &problem) != 200)
    g_error ("enrolment: %s", problem);
  terminal->token = g_strdup (json_string_value (json_object_get (enrolled, "token")));
}

/* What a bar terminal writes most (sales, paid in one or two ways) and a
 * door's admissions, with the shapes the terminal gives them. */
static json_t *
make_payload (Terminal   *terminal,
              gint64      seq,
              const char *at,
              const char **out_kind)
{
  static const struct { const char *sku, *name; gint64 price; } products[] = {
    { "CERV-LATA-350", "Cerveja Lata 350 ml", 1200 }, { "CERV-LATAO-473", "Cerveja Latão 473 ml", 1500 },
    { "SA-AGUA-500", "Água 500 ml", 600 }, { "DRK-GIN-TON", "Gin Tônica", 3200 },
  };
  guint which = (guint) (seq * 7 + terminal->index) % G_N_ELEMENTS (products);
  gint64 qty = 1 + seq % 3;
  gint64 total = products[which].price * qty;
  g_autofree char *ticket = NULL;

  if (seq % 5 == 0)
    {
      *out_kind = PDV_ENTRY_CHECKIN;
      ticket = g_strdup_printf ("L%03u-%06" G_GINT64_FORMAT, terminal->index, seq);
      return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at", at, "direction", "entry", "gate", "Gate A",
                        "policy", "single", "ticket_id", ticket, "verdict", "valid", "zone", "general");
    }
  *out_kind = PDV_ENTRY_SALE;
  return json_pack ("{s:I, s:[{s:s, s:s, s:I, s:I, s:b, s:I}], s:[{s:I, s:s, s:s}], s:I}",
                    "change", (json_int_t) 0,
                    "lines", "name", products[which].name, "product", products[which].sku, "qty", (json_int_t) qty,
                    "total", (json_int_t) total, "tracked", TRUE, "unit_price", (json_int_t) products[which].price,
                    "payments", "amount", (json_int_t) total, "card", "credit", "method", seq % 2 ? "card" : "pix",
                    "total", (json_int_t) total);
}

/* The terminal's journal, hash-chained as a terminal writes it, cut into
 * push bodies. */
static void
make_journal (Terminal *terminal)
{
  g_autofree char *prev_hash = g_strdup (PDV_JOURNAL_GENESIS_HASH);
  g_autoptr(json_t) batch = json_array ();
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 12, 22, 0, 0);

  terminal->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  terminal->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_journal_entry_free);
  for (gint64 seq = 1; seq <= opt_entries; seq++)
    {
      PdvJournalEntry *entry = g_new0 (PdvJournalEntry, 1);
      g_autoptr(GDateTime) when = g_date_time_add_seconds (start, (double) seq * 3);
      g_autofree char *at = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
      const char *kind = NULL;

      entry->seq = seq;
      entry->id = g_uuid_string_random ();
      entry->terminal = g_strdup (terminal->id);
      entry->created_at = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.000000Z");
      entry->mono_us = seq * 1000;
      entry->user = g_strdup ("ana");
      entry->payload = make_payload (terminal, seq, at, &kind);
      entry->kind = g_strdup (kind);
      entry->payload_text = pdv_canonical_json (entry->payload);
      entry->prev_hash = g_steal_pointer (&prev_hash);
      entry->hash = pdv_journal_entry_compute_hash (entry);
      prev_hash = g_strdup (entry->hash);
      json_array_append_new (batch, pdv_journal_entry_to_json (entry));
      g_ptr_array_add (terminal->rows, entry);

      if ((int) json_array_size (batch) == opt_batch || seq == opt_entries)
        {
          g_autoptr(json_t) body = json_pack ("{s:s, s:O}", "terminal_id", terminal->id, "entries", batch);
          char *text = json_dumps (body, JSON_COMPACT);

          g_ptr_array_add (terminal->bodies, g_bytes_new_take (text, strlen (text)));
          json_array_clear (batch);
        }
    }
}

static gpointer
terminal_thread (gpointer data)
{
  Terminal *terminal = data;
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *url = g_strconcat (terminal->url, "/v1/push", NULL);

  g_mutex_lock (&start_lock);
  while (!started)
    g_cond_wait (&start_cond, &start_lock);
  g_mutex_unlock (&start_lock);

  for (guint i = 0; i < terminal->bodies->len; i++)
    {
      g_autoptr(json_t) answer = NULL;
      g_autofree char *problem = NULL;
      double began = now_ms ();
      guint status = request (session, "POST", url, terminal->token, g_ptr_array_index (terminal->bodies, i),
                              &answer, &problem);

      g_array_append_val (terminal->latencies, (double) { now_ms () - began });
      if (status != 200)
        {
          /* Counted, then sent again: what a terminal would do. */
          terminal->failures++;
          if (terminal->problem == NULL)
            terminal->problem = g_steal_pointer (&problem);
          i--;
          g_usleep (100 * 1000);
          continue;
        }
      terminal->acked = json_integer_value (json_object_get (answer, "acked_seq"));
    }
  return NULL;
}

static gpointer
probe_thread (gpointer data)
{
  Probe *probe = data;
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *url = g_strconcat (probe->url, "/v1/health", NULL);

  while (!g_atomic_int_get (&probe->stop))
    {
      double began = now_ms ();

      if (request (session, "GET", url, NULL, NULL, NULL, NULL) != 200)
        probe->failures++;
      g_array_append_val (probe->latencies, (double) { now_ms () - began });
      g_usleep (opt_health_ms * 1000);
    }
  return NULL;
}

#define PANEL_ACCOUNT "load-organiser"
#define PANEL_PASSWORD "load test password"

/* The panel's account, once per server's database, and a session for it. */
static char *
panel_log_in (const char *url)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *accounts_url = g_strconcat (url, "/v1/admin/panel-accounts", NULL);
  g_autofree char *login_url = g_strconcat (url, "/v1/panel/login", NULL);
  g_autofree char *account_text = g_strdup_printf ("{\"name\": \"%s\", \"role\": \"organiser\", "
                                                   "\"password\": \"%s\"}", PANEL_ACCOUNT, PANEL_PASSWORD);
  g_autofree char *login_text = g_strdup_printf ("{\"name\": \"%s\", \"password\": \"%s\"}", PANEL_ACCOUNT,
                                                 PANEL_PASSWORD);
  g_autoptr(GBytes) account = g_bytes_new (account_text, strlen (account_text));
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *problem = NULL;
  const char *cookie;
  char *end;

  if (request (session, "POST", accounts_url, ADMIN_TOKEN, account, NULL, &problem) != 201)
    g_error ("the panel's account: %s", problem);
  msg = soup_message_new ("POST", login_url);
  soup_message_set_request_body_from_bytes (msg, "application/json",
                                            g_bytes_new (login_text, strlen (login_text)));
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  cookie = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie");
  if (soup_message_get_status (msg) != 200 || cookie == NULL)
    g_error ("the panel's login answered %u", soup_message_get_status (msg));
  end = strchr (cookie, ';');
  return g_strndup (cookie, end != NULL ? (gsize) (end - cookie) : strlen (cookie));
}

static gpointer
panel_thread (gpointer data)
{
  Panel *panel = data;
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *version = NULL;

  while (!g_atomic_int_get (&panel->stop))
    {
      g_autofree char *url = version != NULL
                             ? g_strdup_printf ("%s/v1/panel/state?after=%s&wait=2", panel->url, version)
                             : g_strdup_printf ("%s/v1/panel/state", panel->url);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(json_t) state = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", panel->cookie);
      answer = soup_session_send_and_read (session, msg, NULL, NULL);
      state = answer != NULL ? json_loadb (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), 0, NULL)
                             : NULL;
      if (soup_message_get_status (msg) != 200 || !json_is_string (json_object_get (state, "version")))
        {
          panel->failures++;
          g_usleep (100 * 1000);
          continue;
        }
      if (version == NULL || !g_str_equal (version, json_string_value (json_object_get (state, "version"))))
        panel->updates++;
      g_free (version);
      version = g_strdup (json_string_value (json_object_get (state, "version")));
    }
  return NULL;
}

/* The panel's first load, as a browser makes it: the page, its style and
 * script, its words, the login, the figures. */
static double
panel_first_load_ms (const char *url)
{
  static const char * const files[] = { "/panel", "/panel/panel.css", "/panel/panel.js", "/v1/panel/strings?lang=pt_BR" };
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *cookie = NULL;
  g_autofree char *state_url = g_strconcat (url, "/v1/panel/state", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", state_url);
  g_autoptr(GBytes) answer = NULL;
  double began = now_ms ();

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *file_url = g_strconcat (url, files[i], NULL);

      if (request (session, "GET", file_url, NULL, NULL, NULL, NULL) != 200)
        g_error ("the panel's %s did not load", files[i]);
    }
  cookie = panel_log_in (url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  if (soup_message_get_status (msg) != 200)
    g_error ("the panel's figures answered %u", soup_message_get_status (msg));
  return now_ms () - began;
}

static Probe *
probe_start (const char *url,
             GThread   **out_thread)
{
  Probe *probe = g_new0 (Probe, 1);

  probe->url = url;
  probe->latencies = g_array_new (FALSE, FALSE, sizeof (double));
  *out_thread = g_thread_new ("health", probe_thread, probe);
  return probe;
}

static void
probe_stop (Probe   *probe,
            GThread *thread)
{
  g_atomic_int_set (&probe->stop, 1);
  g_thread_join (thread);
}

/* The same rows straight into an SQLite file of the server's schema, in
 * transactions of one push each: what storing them costs without HTTP,
 * JSON or checks. */
static void
raw_insert (Terminal  *terminals,
            guint      n_terminals,
            const char *dir,
            double    *out_wall_ms,
            double    *out_cpu_ms)
{
  g_autofree char *path = g_build_filename (dir, "raw.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  double began = now_ms (), cpu = thread_cpu_ms ();

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                     PDV_STORE_SCHEMA_SQL ("INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER", "INTEGER"),
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO entries (terminal, seq, id, kind, created_at, mono_us, user_id, "
                                           "payload, prev_hash, hash, status) "
                                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted')",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  for (guint t = 0; t < n_terminals; t++)
    for (guint i = 0; i < terminals[t].rows->len; i++)
      {
        const PdvJournalEntry *entry = g_ptr_array_index (terminals[t].rows, i);

        if (i % opt_batch == 0)
          sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_text (insert, 1, entry->terminal, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (insert, 2, entry->seq);
        sqlite3_bind_text (insert, 3, entry->id, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 4, entry->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 5, entry->created_at, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (insert, 6, entry->mono_us);
        sqlite3_bind_text (insert, 7, entry->user, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 8, entry->payload_text, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 9, entry->prev_hash, -1, SQLITE_STATIC);
        sqlite3_bind_text (insert, 10, entry->hash, -1, SQLITE_STATIC);
        g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
        sqlite3_reset (insert);
        if ((int) i % opt_batch == opt_batch - 1 || i + 1 == terminals[t].rows->len)
          g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
      }
  sqlite3_finalize (insert);
  sqlite3_close (db);
  *out_wall_ms = now_ms () - began;
  *out_cpu_ms = thread_cpu_ms () - cpu;
}

/* What every push costs before it is stored, done here on one thread to
 * the same bodies: jansson reading them and each entry's hash checked over
 * its canonical text (the server does both for every entry). */
static void
decode_floor (Terminal *terminals,
              guint     n_terminals,
              double   *out_wall_ms,
              double   *out_cpu_ms)
{
  double began = now_ms (), cpu = thread_cpu_ms ();

  for (guint t = 0; t < n_terminals; t++)
    for (guint b = 0; b < terminals[t].bodies->len; b++)
      {
        gsize length;
        const char *data = g_bytes_get_data (g_ptr_array_index (terminals[t].bodies, b), &length);
        g_autoptr(json_t) request = json_loadb (data, length, JSON_REJECT_DUPLICATES, NULL);
        g_autoptr(GPtrArray) entries = NULL;
        const char *terminal_id = NULL;
        g_autofree char *problem = NULL;

        g_assert_nonnull (request);
        entries = pdv_sync_push_request_decode (request, G_MAXUINT, &terminal_id, &problem);
        g_assert_nonnull (entries);
        for (guint i = 0; i < entries->len; i++)
          {
            const PdvJournalEntry *entry = g_ptr_array_index (entries, i);
            g_autofree char *hash = pdv_journal_entry_compute_hash_from_text (entry);

            g_assert_cmpstr (hash, ==, entry->hash);
          }
      }
  *out_wall_ms = now_ms () - began;
  *out_cpu_ms = thread_cpu_ms () - cpu;
}

typedef struct {
  double wall_ms;
  double server_cpu_ms;
  double raw_wall_ms;
  double raw_cpu_ms;
  double floor_wall_ms;
  double floor_cpu_ms;
  guint  failures;
  guint  health_failures;
  double push_p50, push_p99, health_p50, health_p99;
  double report_ms;         /* the slowest report */
  double report_health_p99;
  guint  panel_updates;     /* figures the panels were sent, all told */
  guint  panel_failures;
  double panel_load_ms;     /* the first load, after the storm */
} Result;

/* One storm: @n_servers servers on one database, every terminal at once. */
static gboolean
storm (const char *db,
       guint       n_servers,
       const char *dir,
       gboolean    baseline,
       Result     *result)
{
  g_autoptr(GPtrArray) servers = g_ptr_array_new ();
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GArray) pushes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) panel_threads = g_ptr_array_new ();
  Panel *panels;
  g_autofree char *workers = g_strdup_printf ("%d", opt_workers);
  const char *args[] = { "--rate-limit", "0", opt_workers > 0 ? "--workers" : NULL, workers, NULL };
  Terminal *terminals = g_new0 (Terminal, opt_terminals);
  GThread *probe_thread_handle = NULL;
  Probe *probe;
  double began, cpu_before = 0, cpu_after = 0;
  gint64 stored = 0;
  gboolean ok = TRUE;

  memset (result, 0, sizeof *result);
  for (guint i = 0; i < n_servers; i++)
    g_ptr_array_add (servers, pdv_test_syncd_start (db, ADMIN_TOKEN, args));

  for (int t = 0; t < opt_terminals; t++)
    {
      terminals[t].index = t;
      terminals[t].id = g_uuid_string_random ();
      terminals[t].url = pdv_test_syncd_get_url (g_ptr_array_index (servers, t % n_servers));
      terminals[t].latencies = g_array_new (FALSE, FALSE, sizeof (double));
      enrol (&terminals[t]);
      make_journal (&terminals[t]);
    }

  /* The organisers' panels, open before the terminals start. */
  panels = g_new0 (Panel, MAX (1, opt_panels));
  if (opt_panels > 0)
    {
      g_autofree char *cookie = panel_log_in (pdv_test_syncd_get_url (g_ptr_array_index (servers, 0)));

      for (int p = 0; p < opt_panels; p++)
        {
          panels[p].url = pdv_test_syncd_get_url (g_ptr_array_index (servers, p % n_servers));
          panels[p].cookie = g_strdup (cookie);
          g_ptr_array_add (panel_threads, g_thread_new ("panel", panel_thread, &panels[p]));
        }
    }

  started = FALSE;
  for (int t = 0; t < opt_terminals; t++)
    g_ptr_array_add (threads, g_thread_new ("terminal", terminal_thread, &terminals[t]));
  probe = probe_start (pdv_test_syncd_get_url (g_ptr_array_index (servers, 0)), &probe_thread_handle);
  for (guint i = 0; i < n_servers; i++)
    cpu_before += process_cpu_ms (pdv_test_syncd_get_pid (g_ptr_array_index (servers, i)));
  began = now_ms ();
  g_mutex_lock (&start_lock);
  started = TRUE;
  g_cond_broadcast (&start_cond);
  g_mutex_unlock (&start_lock);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  result->wall_ms = now_ms () - began;
  for (guint i = 0; i < n_servers; i++)
    cpu_after += process_cpu_ms (pdv_test_syncd_get_pid (g_ptr_array_index (servers, i)));
  for (int p = 0; p < opt_panels; p++)
    g_atomic_int_set (&panels[p].stop, 1);
  for (guint i = 0; i < panel_threads->len; i++)
    g_thread_join (g_ptr_array_index (panel_threads, i));
  for (int p = 0; p < opt_panels; p++)
    {
      result->panel_updates += panels[p].updates;
      result->panel_failures += panels[p].failures;
      g_free (panels[p].cookie);
    }
  g_free (panels);
  result->server_cpu_ms = cpu_after - cpu_before;
  probe_stop (probe, probe_thread_handle);
  result->health_p50 = percentile (probe->latencies, 0.50);
  result->health_p99 = percentile (probe->latencies, 0.99);
  result->health_failures = probe->failures;

  for (int t = 0; t < opt_terminals; t++)
    {
      g_array_append_vals (pushes, terminals[t].latencies->data, terminals[t].latencies->len);
      result->failures += terminals[t].failures;
      if (terminals[t].problem != NULL)
        g_printerr ("pdv-load: terminal %d: %u failed pushes, first: %s\n", t, terminals[t].failures,
                    terminals[t].problem);
      if (terminals[t].acked != opt_entries)
        {
          g_printerr ("pdv-load: terminal %d: acknowledged %" G_GINT64_FORMAT " of %d\n", t, terminals[t].acked,
                      opt_entries);
          ok = FALSE;
        }
    }
  result->push_p50 = percentile (pushes, 0.50);
  result->push_p99 = percentile (pushes, 0.99);
  for (guint i = 0; i < n_servers; i++)
    stored += MAX (0, pdv_test_syncd_metric (pdv_test_syncd_get_url (g_ptr_array_index (servers, i)),
                                              "pdv_entries_stored_total"));
  if (stored != (gint64) opt_terminals * opt_entries)
    {
      g_printerr ("pdv-load: the servers stored %" G_GINT64_FORMAT " entries of %" G_GINT64_FORMAT "\n", stored,
                  (gint64) opt_terminals * opt_entries);
      ok = FALSE;
    }

  /* Reports over what was stored, with the health probe running. */
  if (opt_reports > 0)
    {
      g_autoptr(SoupSession) session = new_session ();
      g_autofree char *url = g_strconcat (pdv_test_syncd_get_url (g_ptr_array_index (servers, 0)),
                                          "/v1/admin/report", NULL);
      Probe *during;
      GThread *during_thread = NULL;

      /* The totals the report reads agree with the entries they sum. */
      if (opt_check)
        {
          g_autofree char *checked_url = g_strconcat (url, "?check=1", NULL);
          g_autoptr(json_t) checked = NULL;
          g_autofree char *problem = NULL;

          if (request (session, "GET", checked_url, ADMIN_TOKEN, NULL, &checked, &problem) != 200 ||
              !json_is_true (json_object_get (json_object_get (checked, "check"), "matched")))
            {
              g_printerr ("pdv-load: the report's totals differ from the entries %s\n", problem ? problem : "");
              ok = FALSE;
            }
        }
      during = probe_start (pdv_test_syncd_get_url (g_ptr_array_index (servers, 0)), &during_thread);
      for (int i = 0; i < opt_reports; i++)
        {
          g_autofree char *problem = NULL;
          double report_began = now_ms ();

          if (request (session, "GET", url, ADMIN_TOKEN, NULL, NULL, &problem) != 200)
            {
              g_printerr ("pdv-load: report: %s\n", problem);
              ok = FALSE;
            }
          result->report_ms = MAX (result->report_ms, now_ms () - report_began);
        }
      probe_stop (during, during_thread);
      result->report_health_p99 = percentile (during->latencies, 0.99);
      result->health_failures += during->failures;
      g_array_unref (during->latencies);
      g_free (during);
    }

  if (opt_panel_load)
    result->panel_load_ms = panel_first_load_ms (pdv_test_syncd_get_url (g_ptr_array_index (servers, 0)));

  for (guint i = 0; i < n_servers; i++)
    if (pdv_test_syncd_stop (g_ptr_array_index (servers, i)) != 0)
      {
        g_printerr ("pdv-load: a server did not stop cleanly\n");
        ok = FALSE;
      }
  if (baseline)
    {
      raw_insert (terminals, opt_terminals, dir, &result->raw_wall_ms, &result->raw_cpu_ms);
      decode_floor (terminals, opt_terminals, &result->floor_wall_ms, &result->floor_cpu_ms);
    }

  for (int t = 0; t < opt_terminals; t++)
    {
      g_free (terminals[t].id);
      g_free (terminals[t].token);
      g_free (terminals[t].problem);
      g_ptr_array_unref (terminals[t].bodies);
      g_ptr_array_unref (terminals[t].rows);
      g_array_unref (terminals[t].latencies);
    }
  g_free (terminals);
  g_array_unref (probe->latencies);
  g_free (probe);
  return ok && result->failures == 0 && result->health_failures == 0 && result->panel_failures == 0;
}

static void
print_result (const char   *label,
              const Result *r)
{
  double entries = (double) opt_terminals * opt_entries;

  g_print ("%s: %d terminals x %d entries in pushes of %d\n", label, opt_terminals, opt_entries, opt_batch);
  g_print ("  stored          %.0f entries in %.0f ms wall, %.0f ms server CPU: %.0f entries/s\n", entries,
           r->wall_ms, r->server_cpu_ms, entries / (r->wall_ms / 1000));
  if (r->raw_wall_ms > 0)
    g_print ("  raw SQLite      %.0f ms wall, %.0f ms CPU: server/raw %.2fx wall, %.2fx CPU\n", r->raw_wall_ms,
             r->raw_cpu_ms, r->wall_ms / r->raw_wall_ms, r->server_cpu_ms / r->raw_cpu_ms);
  if (r->floor_wall_ms > 0)
    g_print ("  raw + reading   %.0f ms wall: the raw insert plus jansson reading the bodies and the hashes checked "
             "(%.0f ms wall, %.0f ms CPU), %.2fx raw before HTTP, checks or totals\n",
             r->raw_wall_ms + r->floor_wall_ms, r->floor_wall_ms, r->floor_cpu_ms,
             (r->raw_wall_ms + r->floor_wall_ms) / r->raw_wall_ms);
  g_print ("  push            p50 %.1f ms, p99 %.1f ms; failed requests %u\n", r->push_p50, r->push_p99, r->failures);
  g_print ("  /v1/health      p50 %.1f ms, p99 %.1f ms during the storm; failed %u\n", r->health_p50, r->health_p99,
           r->health_failures);
  if (opt_reports > 0)
    g_print ("  /v1/admin/report slowest of %d: %.0f ms; /v1/health p99 meanwhile %.1f ms\n", opt_reports,
             r->report_ms, r->report_health_p99);
  if (opt_panels > 0)
    g_print ("  panels          %d open: %u updates sent, %u failed requests\n", opt_panels, r->panel_updates,
             r->panel_failures);
  if (r->panel_load_ms > 0)
    g_print ("  panel           first load (page, style, script, words, login, figures) %.0f ms\n",
             r->panel_load_ms);
}

/* ---- The fleet: real terminals (pdvctl sync) against a real server ---- */

typedef struct {
  char       *path;
  PdvContext *context;    /* the load test's own connection to its database */
  GPid        pid;        /* its pdvctl sync */
} Gate;

static void
gate_append (Gate       *gate,
             const char *kind,
             json_t     *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvJournalEntry) entry = pdv_journal_append (pdv_context_get_journal (gate->context), kind, "ana",
                                                         payload, &error);

  g_assert_no_error (error);
}

static gboolean
gate_delivered (Gate *gate)
{
  g_autoptr(PdvSyncStatus) status = pdv_sync_load_status (pdv_context_get_db (gate->context), NULL);

  return status != NULL && status->queued == 0;
}

static gboolean
gate_heard (Gate       *gate,
            const char *ticket_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean heard = FALSE;

  /* A connection of its own each time: what the terminal committed since. */
  if (sqlite3_open_v2 (gate->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT 1 FROM remote_checkins WHERE ticket_id = ?", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
      heard = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return heard;
}

/* Polls @done for every gate for at most @seconds; returns when the last
 * one was done, in ms from @since, or -1. */
static double
wait_for_gates (Gate     *gates,
                gboolean (*done) (Gate *gate),
                double    since,
                double    seconds)
{
  g_autofree gboolean *finished = g_new0 (gboolean, opt_fleet);
  double last = -1;
  int left = opt_fleet;

  while (left > 0 && now_ms () - since < seconds * 1000)
    {
      for (int i = 0; i < opt_fleet; i++)
        if (!finished[i] && done (&gates[i]))
          {
            finished[i] = TRUE;
            last = now_ms () - since;
            left--;
          }
      g_usleep (20 * 1000);
    }
  return left == 0 ? MAX (last, 0) : -1;
}

static PdvTestSyncd *
fleet_server (const char *db,
              const char *listen)
{
  const char *args[] = { "--rate-limit", "0", listen ? "--listen" : NULL, listen, NULL };

  return pdv_test_syncd_start (db, ADMIN_TOKEN, args);
}

/* Gates hearing each other while online, then the server killed for
 * --outage-s while every terminal sells, and how long after its return
 * the last sale reaches it. */
static gboolean
fleet (const char *dir)
{
  g_autofree char *db = g_build_filename (dir, "fleet.db", NULL);
  g_autofree char *listen = NULL;
  g_autoptr(GArray) crossings = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  const char *pdvctl = g_getenv ("PDVCTL") ? g_getenv ("PDVCTL") : PDV_LOAD_PDVCTL;
  PdvTestSyncd *server = fleet_server (db, NULL);
  Gate *gates = g_new0 (Gate, opt_fleet);
  double began, delivered, back;
  gboolean ok = TRUE;
  int lost = 0;

  uri = g_uri_parse (pdv_test_syncd_get_url (server), G_URI_FLAGS_NONE, NULL);
  listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  for (int i = 0; i < opt_fleet; i++)
    {
      g_autoptr(SoupSession) session = new_session ();
      g_autofree char *name = g_strdup_printf ("GATE%02d", i);
      g_autofree char *file = g_strdup_printf ("%s.db", name);
      g_autofree char *codes_url = g_strconcat (pdv_test_syncd_get_url (server), "/v1/admin/enrolments", NULL);
      g_autofree char *ask = g_strdup_printf ("{\"terminal_name\": \"%s\"}", name);
      g_autoptr(GBytes) ask_body = g_bytes_new (ask, strlen (ask));
      g_autoptr(json_t) code = NULL;
      const char *argv[] = { pdvctl, "--db", NULL, "sync", NULL };

      gates[i].path = g_build_filename (dir, file, NULL);
      gates[i].context = pdv_context_open (gates[i].path, &error);
      g_assert_no_error (error);
      pdv_journal_initialise (pdv_context_get_journal (gates[i].context), name, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (request (session, "POST", codes_url, ADMIN_TOKEN, ask_body, &code, NULL), ==, 201);
      pdv_sync_enroll (pdv_context_get_db (gates[i].context), pdv_test_syncd_get_url (server),
                       json_string_value (json_object_get (code, "code")), &error);
      g_assert_no_error (error);
      argv[2] = gates[i].path;
      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &gates[i].pid, &error);
      g_assert_no_error (error);
    }
  if (wait_for_gates (gates, gate_delivered, now_ms (), 120) < 0)
    {
      g_printerr ("pdv-load: the fleet did not sync at first\n");
      ok = FALSE;
    }

  /* One gate admits, the next hears of it. */
  for (int k = 0; ok && k < opt_crossings; k++)
    {
      Gate *a = &gates[k % opt_fleet];
      Gate *b = &gates[(k + 1) % opt_fleet];
      g_autofree char *ticket = g_strdup_printf ("X%05d", k);
      g_autoptr(json_t) payload = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at", "2026-12-12T22:00:00Z",
                                             "direction", "entry", "gate", "A", "policy", "single",
                                             "ticket_id", ticket, "verdict", "valid", "zone", "general");
      double admitted;

      gate_append (a, PDV_ENTRY_CHECKIN, payload);
      admitted = now_ms ();
      while (!gate_heard (b, ticket) && now_ms () - admitted < 30000)
        g_usleep (2 * 1000);
      if (!gate_heard (b, ticket))
        {
          g_printerr ("pdv-load: %s admitted at one gate never reached the next\n", ticket);
          ok = FALSE;
          break;
        }
      g_array_append_val (crossings, (double) { now_ms () - admitted });
    }

  /* The outage: killed, sales go on, back on the same address. */
  pdv_test_syncd_kill (server);
  began = now_ms ();
  for (int second = 0; second < opt_outage_s; second++)
    {
      for (int i = 0; i < opt_fleet; i++)
        {
          g_autoptr(json_t) payload = json_pack ("{s:i, s:i}", "second", second, "gate", i);

          gate_append (&gates[i], "load.sale", payload);
        }
      while (now_ms () - began < (second + 1) * 1000.0)
        g_usleep (10 * 1000);
    }
  server = fleet_server (db, listen);
  back = now_ms ();
  delivered = wait_for_gates (gates, gate_delivered, back, 120);
  for (int i = 0; i < opt_fleet; i++)
    if (!gate_delivered (&gates[i]))
      lost++;

  g_print ("fleet: %d terminals (pdvctl sync) against one server\n", opt_fleet);
  g_print ("  cross-gate      admission at one gate seen at the next: p50 %.0f ms, p95 %.0f ms, max %.0f ms "
           "(%u admissions)\n", percentile (crossings, 0.5), percentile (crossings, 0.95),
           percentile (crossings, 1.0), crossings->len);
  g_print ("  outage          server killed %d s while every terminal sold once a second; the last sale reached "
           "it %.1f s after it was back%s\n", opt_outage_s, delivered / 1000, lost ? " (NOT ALL)" : "");
  if (lost > 0 || delivered < 0)
    ok = FALSE;

  for (int i = 0; i < opt_fleet; i++)
    {
      int status;

      kill (gates[i].pid, SIGTERM);
      waitpid (gates[i].pid, &status, 0);
      g_spawn_close_pid (gates[i].pid);
      g_object_unref (gates[i].context);
      g_free (gates[i].path);
    }
  g_free (gates);
  if (pdv_test_syncd_stop (server) != 0)
    ok = FALSE;
  return ok;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  PdvTestPostgres *postgres = NULL;
  struct rlimit limit;
  gboolean ok = TRUE;
  Result result;
  GOptionEntry entries[] = {
    { "terminals", 't', 0, G_OPTION_ARG_INT, &opt_terminals, "Simulated terminals (200)", "N" },
    { "entries", 'e', 0, G_OPTION_ARG_INT, &opt_entries, "Entries each terminal pushes (1000)", "N" },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &opt_batch, "Entries per push (500)", "N" },
    { "servers", 's', 0, G_OPTION_ARG_INT, &opt_servers, "Servers on one database (1)", "N" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &opt_workers, "--workers of each server (its default)", "N" },
    { "reports", 'r', 0, G_OPTION_ARG_INT, &opt_reports, "Reports asked for after the storm (0)", "N" },
    { "postgres", 0, 0, G_OPTION_ARG_NONE, &opt_postgres, "Store in PostgreSQL (a cluster of its own)", NULL },
    { "compare-servers", 0, 0, G_OPTION_ARG_NONE, &opt_compare_servers,
      "One server, then --servers on a new database: the throughput ratio", NULL },
    { "fleet", 0, 0, G_OPTION_ARG_INT, &opt_fleet,
      "Instead: N terminals running pdvctl sync; gates hearing each other, then an outage", "N" },
    { "outage-s", 0, 0, G_OPTION_ARG_INT, &opt_outage_s, "With --fleet: seconds the server is down (60)", "S" },
    { "crossings", 0, 0, G_OPTION_ARG_INT, &opt_crossings, "With --fleet: admissions timed gate to gate (50)", "N" },
    { "check", 0, 0, G_OPTION_ARG_NONE, &opt_check, "Exit 1 on any failed request or lost entry", NULL },
    { "panels", 0, 0, G_OPTION_ARG_INT, &opt_panels, "Organisers' panels held open during the storm (0)", "N" },
    { "compare-panels", 0, 0, G_OPTION_ARG_NONE, &opt_compare_panels,
      "A storm without panels, then one with --panels on a new database: push p99 compared", NULL },
    { "panel-load", 0, 0, G_OPTION_ARG_NONE, &opt_panel_load,
      "After the storm, time the panel's first load over what was stored", NULL },
    { NULL }
  };

  context = g_option_context_new ("— the load test of pdv-syncd");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("pdv-load: %s\n", error->message);
      return 2;
    }
  if (opt_terminals < 1 || opt_entries < 1 || opt_batch < 1 || opt_batch > 500 || opt_servers < 1)
    {
      g_printerr ("pdv-load: --terminals, --entries and --servers at least 1, --batch 1 to 500\n");
      return 2;
    }
  if (g_getenv ("PDV_SYNCD") == NULL)
    g_setenv ("PDV_SYNCD", PDV_LOAD_SYNCD, FALSE);
  /* Each terminal holds a connection, and each server one per terminal. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }

  dir = g_dir_make_tmp ("pdv-load-XXXXXX", &error);
  g_assert_no_error (error);
  if (opt_postgres)
    {
      postgres = pdv_test_postgres_start (&error);
      if (postgres == NULL)
        {
          g_printerr ("pdv-load: PostgreSQL: %s\n", error->message);
          return 1;
        }
    }

  if (opt_fleet > 0)
    ok = fleet (dir);
  else if (opt_compare_servers)
    {
      Result one, several;
      g_autofree char *first = postgres ? pdv_test_postgres_create_database (postgres, "load1")
                                        : g_build_filename (dir, "one.db", NULL);
      g_autofree char *second = postgres ? pdv_test_postgres_create_database (postgres, "load2")
                                         : g_build_filename (dir, "several.db", NULL);
      g_autofree char *label = g_strdup_printf ("%d servers", opt_servers);

      ok &= storm (first, 1, dir, FALSE, &one);
      print_result ("1 server", &one);
      ok &= storm (second, opt_servers, dir, FALSE, &several);
      print_result (label, &several);
      g_print ("throughput %d servers / 1 server: %.2fx\n", opt_servers, one.wall_ms / several.wall_ms);
    }
  else if (opt_compare_panels)
    {
      Result without, with;
      int panels = opt_panels;
      g_autofree char *first = postgres ? pdv_test_postgres_create_database (postgres, "load1")
                                        : g_build_filename (dir, "without.db", NULL);
      g_autofree char *second = postgres ? pdv_test_postgres_create_database (postgres, "load2")
                                         : g_build_filename (dir, "with.db", NULL);
      g_autofree char *label = g_strdup_printf ("%d panels open", panels);

      opt_panels = 0;
      ok &= storm (first, opt_servers, dir, FALSE, &without);
      print_result ("no panel open", &without);
      opt_panels = panels;
      ok &= storm (second, opt_servers, dir, FALSE, &with);
      print_result (label, &with);
      g_print ("push p99 with %d panels / without: %.2fx (p50 %.2fx; wall %.2fx)\n", panels,
               with.push_p99 / without.push_p99, with.push_p50 / without.push_p50, with.wall_ms / without.wall_ms);
    }
  else
    {
      db = postgres ? pdv_test_postgres_create_database (postgres, "load") : g_build_filename (dir, "syncd.db", NULL);
      ok = storm (db, opt_servers, dir, TRUE, &result);
      print_result (postgres ? "PostgreSQL" : "SQLite", &result);
    }

  if (postgres != NULL)
    pdv_test_postgres_stop (postgres);
  if (!ok)
    g_printerr ("pdv-load: FAILED: requests failed or entries are missing (see above)\n");
  return opt_check && !ok ? 1 : 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdv-db-private.h"
#include "pdv-sync-private.h"
#include "pdv-sync.h"
#include "pdv-test-servers.h"
#include "pdv-test-util.h"

#define ADMIN_TOKEN "admin-token-of-the-sync-tests"

/* A ticket of the demo event that admits one entry, and one that admits
 * re-entry after an exit. */
#define SINGLE_SECRET "aWdDF80JXBHWJAtcRgE9Gg"     /* T000005 */
#define SINGLE_ID "T000005"
#define REENTRY_SECRET "huywXXFbkmSPxXCW3I1JUw"    /* T000001 */
#define REENTRY_ID "T000001"

/* An evening of the demo event, at the door. */
#define EVENING "2026-12-12T21:30:00-03:00"

typedef struct {
  char       *dir;
  PdvContext *context;
  char       *db_path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, data != NULL);
  f->db_path = g_strdup (pdv_db_get_path (pdv_context_get_db (f->context)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->context));
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

static const char *
terminal_id (PdvContext *context)
{
  return pdv_journal_get_terminal_id (pdv_context_get_journal (context));
}

static gint64
last_seq (PdvContext *context)
{
  return pdv_journal_get_last_seq (pdv_context_get_journal (context));
}

static void
sync_once (PdvContext     *context,
           PdvSyncSummary *summary)
{
  g_autoptr(GError) error = NULL;

  pdv_sync_summary_clear (summary);
  pdv_sync_run_once (pdv_context_get_db (context), NULL, summary, &error);
  g_assert_no_error (error);
  g_test_message ("%s: pushed %lld, duplicates %lld, conflicts %lld, acked %lld; pulled %lld (%lld lists, "
                  "%lld scans, %lld conflicts)", terminal_id (context), (long long) summary->pushed,
                  (long long) summary->duplicates, (long long) summary->conflicts, (long long) summary->acked_seq,
                  (long long) summary->pulled, (long long) summary->documents, (long long) summary->checkins,
                  (long long) summary->pulled_conflicts);
}

static PdvCheckinResult *
scan (PdvContext          *context,
      const char          *secret,
      const char          *gate,
      PdvCheckinDirection  direction,
      const char          *when)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckin) checkin = pdv_checkin_new (pdv_context_get_journal (context));
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (when, NULL);
  PdvCheckinResult *result;

  g_assert_nonnull (now);
  pdv_test_set_door_time (checkin, now);
  pdv_checkin_set_gate (checkin, gate);
  pdv_checkin_set_direction (checkin, direction);
  result = pdv_checkin_validate (checkin, secret, -1, PDV_SCAN_CAMERA, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
put_remote_checkin (PdvContext *context,
                    const char *ticket_id,
                    const char *terminal,
                    gint64      seq,
                    const char *direction,
                    const char *at,
                    const char *gate)
{
  g_autoptr(GError) error = NULL;

  pdv_sync_state_put_checkin (pdv_context_get_db (context), ticket_id, terminal, seq, direction, at, gate, &error);
  g_assert_no_error (error);
}

static gint64
query_int (PdvDb      *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (pdv_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
assert_journal_intact (PdvContext *context,
                       gint64      expected_entries)
{
  g_autoptr(GError) error = NULL;
  gint64 entries = 0;

  /* The chain, the projections, and what was pulled and imported (sealed as
   * it was applied, in steps or with its page). */
  gboolean intact = pdv_check_state (pdv_context_get_journal (context), TRUE, &entries, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (intact);
  g_assert_cmpint (entries, ==, expected_entries);
}

/* A ticket admitted at another terminal is refused here as if it had been
 * admitted here, with where and when. */
static void
test_door_remote_admission (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(PdvCheckinResult) used = NULL;
  g_autoptr(PdvCheckinResult) inside = NULL;
  g_autoptr(PdvCheckinResult) leaves = NULL;
  g_autoptr(PdvCheckinResult) again = NULL;
  g_autoptr(PdvCheckinResult) fresh = NULL;
  g_autoptr(PdvCheckinResult) later = NULL;
  g_autofree char *expected = NULL;

  /* 21:03 in São Paulo. */
  put_remote_checkin (f->context, SINGLE_ID, "9f0c-remote", 17, "entry", "2026-12-13T00:03:00Z", "Portão 1");
  used = scan (f->context, SINGLE_SECRET, "Portão 2", PDV_CHECKIN_ENTRY, EVENING);
  g_assert_cmpint (used->verdict, ==, PDV_CHECKIN_ALREADY_USED);
  g_assert_cmpstr (used->message, ==, "Already used at Portão 1 at 21:03");
  g_assert_cmpstr (used->last_gate, ==, "Portão 1");

  /* Re-entry: inside after an entry elsewhere, until an exit anywhere. */
  put_remote_checkin (f->context, REENTRY_ID, "9f0c-remote", 18, "entry", "2026-12-13T00:05:00Z", "Portão VIP");
  inside = scan (f->context, REENTRY_SECRET, "Portão 2", PDV_CHECKIN_ENTRY, EVENING);
  g_assert_cmpint (inside->verdict, ==, PDV_CHECKIN_ALREADY_INSIDE);
  g_assert_cmpstr (inside->message, ==, "Already inside: came in at Portão VIP at 21:05");

  /* Someone who came in elsewhere can leave here... */
  leaves = scan (f->context, REENTRY_SECRET, "Portão 2", PDV_CHECKIN_EXIT, "2026-12-12T21:40:00-03:00");
  g_assert_cmpint (leaves->verdict, ==, PDV_CHECKIN_EXITED);
  /* ...and come back in, the local exit being the latest scan anywhere. */
  again = scan (f->context, REENTRY_SECRET, "Portão 2", PDV_CHECKIN_ENTRY, "2026-12-12T21:50:00-03:00");
  g_assert_cmpint (again->verdict, ==, PDV_CHECKIN_VALID);
  g_assert_true (again->warnings & PDV_CHECKIN_WARNING_RE_ENTRY);

  /* A later exit at the other terminal wins over the earlier local entry. */
  put_remote_checkin (f->context, REENTRY_ID, "9f0c-remote", 25, "exit", "2026-12-13T01:10:00Z", "Portão 1");
  later = scan (f->context, REENTRY_SECRET, "Portão 2", PDV_CHECKIN_ENTRY, "2026-12-12T22:20:00-03:00");
  g_assert_cmpint (later->verdict, ==, PDV_CHECKIN_VALID);

  /* An older scan from a terminal never replaces its newer one. */
  put_remote_checkin (f->context, SINGLE_ID, "9f0c-remote", 3, "exit", "2026-12-12T23:00:00Z", "Portão 3");
  g_assert_cmpint (query_int (pdv_context_get_db (f->context),
                              "SELECT seq FROM remote_checkins WHERE ticket_id = 'T000005'"), ==, 17);

  /* Tickets nobody scanned elsewhere are not affected. */
  fresh = scan (f->context, "X7aD_N9KUCjv3ZyMtaH9Gw", "Portão 2", PDV_CHECKIN_ENTRY, EVENING);
  g_assert_cmpint (fresh->verdict, ==, PDV_CHECKIN_VALID);

  /* Pulled scans are reference data: the journal and its projections still
   * agree. */
  assert_journal_intact (f->context, pdv_journal_get_last_seq (pdv_context_get_journal (f->context)));
}

#define PIN_HEX "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define PIN_COLONS "0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0"

static void
test_enrolment_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pin = NULL;
  static const char * const bad[] = {
    "", "PDVENROLL1:", "PDVENROLL1:https://sync.example", "PDVENROLL1:https://sync.example#",
    "PDVENROLL1:#K7Q2", "PDVENROLL1:ftp://sync.example#K7Q2", "PDVENROLL2:https://sync.example#K7Q2",
    "https://sync.example#K7Q2", "PDVENROLL1:https://sync.example#K7Q2#sha256:abc",
    "PDVENROLL1:https://sync.example#K7Q2#md5:" PIN_HEX, "PDVENROLL1:http://sync.example#K7Q2#sha256:" PIN_HEX,
    "PDVENROLL1:https://sync.example#K7Q2#sha256:" PIN_HEX "#more",
  };

  g_assert_true (pdv_sync_parse_enrolment ("PDVENROLL1:https://sync.example:8443/#K7Q2-M9XD", &url, &code, &pin,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://sync.example:8443");
  g_assert_cmpstr (code, ==, "K7Q2-M9XD");
  g_assert_null (pin);
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&code, g_free);

  /* A fingerprint as a server over HTTPS gives it, or as a tool prints it. */
  g_assert_true (pdv_sync_parse_enrolment ("PDVENROLL1:https://10.0.0.5:8443#K7Q2-M9XD#sha256:" PIN_COLONS, &url,
                                           &code, &pin, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pin, ==, PIN_HEX);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *bad_url = NULL;
      g_autofree char *bad_code = NULL;

      g_assert_false (pdv_sync_parse_enrolment (bad[i], &bad_url, &bad_code, NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == PDV_SYNC_ERROR);
      g_assert_null (bad_url);
      g_clear_error (&error);
    }
}

/* A server that is not a PDV sync server, in a thread of its own so that the
 * blocking client can talk to it. */
typedef enum {
  FAKE_NOT_JSON,
  FAKE_WRONG_SHAPE,
  FAKE_HTTP_500,
  FAKE_PROTOCOL,    /* just enough of the protocol, with faults to order */
} FakeMode;

typedef struct {
  FakeMode      mode;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         ready;
  guint         port;
  gint          requests;

  /* FAKE_PROTOCOL, under the lock. */
  gint64        held;         /* the last seq it holds */
  gint64        reject_seq;   /* refuses this entry, when not 0 */
  char         *pull_page;    /* the answer to a pull from 0 */
} FakeServer;

static void
fake_reply_json (SoupServerMessage *msg,
                 guint              status,
                 json_t            *body)
{
  char *text = json_dumps (body, JSON_COMPACT);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
  free (text);
  json_decref (body);
}

/* A push is taken in order like a real server would; a pull from 0 gets
 * the page the test set. */
static void
fake_protocol (FakeServer        *fake,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fake->lock);

  if (g_str_equal (path, "/v1/push"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(json_t) request = json_loadb (body->data, body->length, 0, NULL);
      json_t *results = json_array ();
      json_t *entry;
      size_t i;

      json_array_foreach (json_object_get (request, "entries"), i, entry)
        {
          gint64 seq = json_integer_value (json_object_get (entry, "seq"));

          if (seq <= fake->held)
            json_array_append_new (results, json_pack ("{s:I, s:s}", "seq", (json_int_t) seq, "status", "duplicate"));
          else if (seq == fake->held + 1 && seq != fake->reject_seq)
            {
              json_array_append_new (results, json_pack ("{s:I, s:s}", "seq", (json_int_t) seq, "status", "accepted"));
              fake->held = seq;
            }
          else
            {
              g_autofree char *reason = seq == fake->reject_seq
                                        ? g_strdup ("bad hash: the entry does not match its hash")
                                        : g_strdup_printf ("gap: expected seq %lld, got %lld",
                                                           (long long) fake->held + 1, (long long) seq);
              json_array_append_new (results, json_pack ("{s:I, s:s, s:s}", "seq", (json_int_t) seq,
                                                         "status", "rejected", "reason", reason));
              break;
            }
        }
      fake_reply_json (msg, 200, json_pack ("{s:o, s:I}", "results", results, "acked_seq", (json_int_t) fake->held));
    }
  else if (g_str_equal (path, "/v1/pull"))
    {
      const char *since = query ? g_hash_table_lookup (query, "since") : NULL;

      if (g_strcmp0 (since, "0") == 0 && fake->pull_page != NULL)
        fake_reply_json (msg, 200, json_loads (fake->pull_page, 0, NULL));
      else
        fake_reply_json (msg, 200, json_pack ("{s:[], s:I, s:b}", "changes", "next",
                                              (json_int_t) g_ascii_strtoll (since ? since : "0", NULL, 10),
                                              "more", FALSE));
    }
  else
    fake_reply_json (msg, 404, json_pack ("{s:{s:s, s:s}}", "error", "code", "not_found", "message", "no such path"));
}

static void
fake_request_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FakeServer *fake = user_data;
  static const char page[] = "<html><body>Welcome to the hotel wifi</body></html>";
  static const char shape[] = "{\"hello\": \"world\", \"changes\": 3}";
  static const char failure[] = "Internal Server Error";

  g_atomic_int_inc (&fake->requests);
  switch (fake->mode)
    {
    case FAKE_NOT_JSON:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
      break;
    case FAKE_WRONG_SHAPE:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, shape, strlen (shape));
      break;
    case FAKE_PROTOCOL:
      fake_protocol (fake, msg, path, query);
      break;
    case FAKE_HTTP_500:
    default:
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, failure, strlen (failure));
      break;
    }
}

static gpointer
fake_server_thread (gpointer data)
{
  FakeServer *fake = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fake->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, fake_request_cb, fake, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_mutex_lock (&fake->lock);
  fake->port = g_uri_get_port (uris->data);
  g_cond_signal (&fake->ready);
  g_mutex_unlock (&fake->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (fake->loop);

  soup_server_disconnect (server);
  g_clear_object (&server);
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

static FakeServer *
fake_server_start (FakeMode mode)
{
  FakeServer *fake = g_new0 (FakeServer, 1);

  fake->mode = mode;
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  g_mutex_init (&fake->lock);
  g_cond_init (&fake->ready);
  g_mutex_lock (&fake->lock);
  fake->thread = g_thread_new ("fake-server", fake_server_thread, fake);
  while (fake->port == 0)
    g_cond_wait (&fake->ready, &fake->lock);
  g_mutex_unlock (&fake->lock);
  return fake;
}

static gboolean
fake_quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fake_server_stop (FakeServer *fake)
{
  g_main_context_invoke (fake->context, fake_quit_cb, fake->loop);
  g_thread_join (fake->thread);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->ready);
  g_free (fake->pull_page);
  g_free (fake);
}

static char *
fake_server_url (FakeServer *fake)
{
  return g_strdup_printf ("http://127.0.0.1:%u", fake->port);
}

/* A loopback port nothing listens on. */
static guint
closed_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* As if enrolled: the servers and a token, without asking a server. */
static void
configure (PdvContext         *context,
           const char * const *servers)
{
  g_autoptr(GError) error = NULL;
  PdvDb *db = pdv_context_get_db (context);

  pdv_sync_set_servers (db, servers, &error);
  g_assert_no_error (error);
  pdv_sync_state_set_token (db, "not-a-real-token", &error);
  g_assert_no_error (error);
}

static void
append_notes (PdvContext *context,
              guint       count)
{
  g_autoptr(GError) error = NULL;
  PdvJournal *journal = pdv_context_get_journal (context);
  PdvDb *db = pdv_context_get_db (context);

  /* One transaction: the test is about sync, not about fsync. */
  pdv_db_begin (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(json_t) payload = json_pack ("{s:i, s:s}", "n", (int) i, "text", "till count");
      g_autoptr(PdvJournalEntry) entry = pdv_journal_append_in_transaction (journal, "test.note", "ana", payload,
                                                                           &error);
      g_assert_no_error (error);
      g_assert_nonnull (entry);
    }
  pdv_db_commit (db, &error);
  g_assert_no_error (error);
}

static PdvSyncStatus *
load_status (PdvContext *context)
{
  g_autoptr(GError) error = NULL;
  PdvSyncStatus *status = pdv_sync_load_status (pdv_context_get_db (context), &error);

  g_assert_no_error (error);
  g_assert_nonnull (status);
  return status;
}

typedef struct {
  GMainContext  *main_context;
  guint          deliveries;
  gboolean       all_on_main;
  PdvSyncStatus *last;
} StatusWatch;

static void
status_changed_cb (PdvSyncWorker       *worker,
                   const PdvSyncStatus *status,
                   StatusWatch         *watch)
{
  /* Delivered on the thread that made the worker, never the sync thread. */
  if (!g_main_context_is_owner (watch->main_context))
    watch->all_on_main = FALSE;
  g_assert_true (g_main_context_is_owner (watch->main_context));
  watch->deliveries++;
  g_clear_pointer (&watch->last, pdv_sync_status_free);
  watch->last = pdv_sync_status_copy (status);
}

static void
status_watch_clear (StatusWatch *watch)
{
  g_clear_pointer (&watch->last, pdv_sync_status_free);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @done says so, looking every few
 * milliseconds, or until @seconds pass. */
static gboolean
run_until (gboolean (*done) (gpointer data),
           gpointer   data,
           double     seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add ((guint) (seconds * 1000), timeout_cb, &expired);
  guint tick = g_timeout_add (2, tick_cb, NULL);

  while (!expired && (done == NULL || !done (data)))
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_source_remove (tick);
  return done != NULL && done (data);
}

static const struct {
  FakeMode     mode;
  int          code;
  const char  *says;
} garbage_cases[] = {
  { FAKE_NOT_JSON, PDV_SYNC_ERROR_BAD_ANSWER, "not JSON" },
  { FAKE_WRONG_SHAPE, PDV_SYNC_ERROR_BAD_ANSWER, "“results”" },
  { FAKE_HTTP_500, PDV_SYNC_ERROR_SERVER, "HTTP 500" },
};

/* A server answering garbage: a clear error, backing off, and nothing marked
 * as delivered. */
static void
test_garbage_server (Fixture       *f,
                     gconstpointer  data)
{
  for (guint c = 0; c < G_N_ELEMENTS (garbage_cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdvSyncStatus) status = NULL;
      g_autoptr(PdvSyncWorker) worker = NULL;
      g_autofree char *url = NULL;
      g_auto(PdvSyncSummary) summary = { 0 };
      StatusWatch watch = { g_main_context_default (), 0, TRUE, NULL };
      FakeServer *fake = fake_server_start (garbage_cases[c].mode);
      gint64 last_seq;
      gint requests;

      g_test_message ("garbage case %u", c);
      url = fake_server_url (fake);
      configure (f->context, (const char * const[]) { url, NULL });
      if (c == 0)
        append_notes (f->context, 20);
      last_seq = pdv_journal_get_last_seq (pdv_context_get_journal (f->context));

      g_assert_false (pdv_sync_run_once (pdv_context_get_db (f->context), NULL, &summary, &error));
      g_assert_error (error, PDV_SYNC_ERROR, garbage_cases[c].code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, url));
      g_assert_nonnull (strstr (error->message, garbage_cases[c].says));

      status = load_status (f->context);
      g_assert_cmpint (status->acked_seq, ==, 0);
      g_assert_cmpint (status->queued, ==, last_seq);
      g_assert_cmpstr (status->last_error, ==, error->message);
      g_assert_false (status->online);
      g_assert_null (status->last_success);

      /* The worker backs off: at once, then about 1 s later, then about
       * 2 s after that. */
      g_atomic_int_set (&fake->requests, 0);
      worker = pdv_sync_worker_new (f->db_path);
      g_signal_connect (worker, "status-changed", G_CALLBACK (status_changed_cb), &watch);
      pdv_sync_worker_start (worker);
      run_until (NULL, NULL, 3.5);
      pdv_sync_worker_stop (worker);
      requests = g_atomic_int_get (&fake->requests);
      g_test_message ("%d requests in 3.5 s", requests);
      g_assert_cmpint (requests, >=, 2);
      g_assert_cmpint (requests, <=, 4);
      g_assert_true (watch.all_on_main);
      g_assert_nonnull (watch.last);
      g_assert_nonnull (watch.last->last_error);
      g_assert_nonnull (strstr (watch.last->last_error, garbage_cases[c].says));
      g_assert_cmpint (watch.last->acked_seq, ==, 0);

      g_clear_pointer (&status, pdv_sync_status_free);
      status = load_status (f->context);
      g_assert_cmpint (status->acked_seq, ==, 0);
      g_assert_cmpint (pdv_journal_get_last_seq (pdv_context_get_journal (f->context)), ==, last_seq);
      assert_journal_intact (f->context, last_seq);

      g_assert_finalize_object (g_steal_pointer (&worker));
      status_watch_clear (&watch);
      fake_server_stop (fake);
    }
}

static void
fake_set_pull_page (FakeServer *fake,
                    const char *page)
{
  g_mutex_lock (&fake->lock);
  g_free (fake->pull_page);
  fake->pull_page = g_strdup (page);
  g_mutex_unlock (&fake->lock);
}

static const char bad_page[] =
  "{\"changes\": ["
  " {\"cursor\": 1, \"type\": \"checkin\", \"terminal\": \"other-terminal\", \"data\": {\"ticket_id\": \"T000005\","
  "  \"direction\": \"entry\", \"verdict\": \"VALID\", \"at\": \"2026-12-13T00:03:00Z\", \"gate\": \"Portão 1\","
  "  \"seq\": 17}},"
  " {\"cursor\": 2, \"type\": \"tickets\", \"data\": {\"format\": \"pdv-tickets\", \"version\": 1,"
  "  \"tickets\": [{\"id\": \"T9\", \"secret\": \"abcdefghij\"}]}}],"
  " \"next\": 2, \"more\": false}";

static const char good_page[] =
  "{\"changes\": ["
  " {\"cursor\": 1, \"type\": \"checkin\", \"terminal\": \"other-terminal\", \"data\": {\"ticket_id\": \"T000005\","
  "  \"direction\": \"entry\", \"verdict\": \"VALID\", \"at\": \"2026-12-13T00:03:00Z\", \"gate\": \"Portão 1\","
  "  \"seq\": 17}},"
  " {\"cursor\": 2, \"type\": \"checkin\", \"terminal\": \"OWN\", \"data\": {\"ticket_id\": \"T000006\","
  "  \"direction\": \"entry\", \"verdict\": \"valid\", \"at\": \"2026-12-13T00:04:00Z\", \"gate\": \"Bar 1\","
  "  \"seq\": 2}},"
  " {\"cursor\": 3, \"type\": \"revocations\", \"data\": {\"format\": \"pdv-revocations\", \"version\": 1,"
  "  \"revocations\": []}},"
  " {\"cursor\": 4, \"type\": \"tickets\", \"data\": {\"format\": \"pdv-tickets\", \"version\": 1,"
  "  \"tickets\": [{\"id\": \"T9\", \"secret\": \"abcdefghij\", \"order_code\": \"NV-9\", \"holder_name\": \"Ana\","
  "  \"type\": \"Pista\", \"zone\": \"general\"}]}},"
  " {\"cursor\": 7, \"type\": \"something-new\", \"data\": {}}],"
  " \"next\": 9, \"more\": false}";

/* What the server says about each entry, and pages applied all or nothing. */
static void
test_protocol_faults (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSyncStatus) status = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_auto(PdvSyncSummary) summary = { 0 };
  FakeServer *fake = fake_server_start (FAKE_PROTOCOL);
  PdvDb *db = pdv_context_get_db (f->context);
  gint64 total;

  url = fake_server_url (fake);
  configure (f->context, (const char * const[]) { url, NULL });
  append_notes (f->context, 9);
  total = last_seq (f->context);

  /* A refused entry stops the push there, and is never skipped. */
  fake->reject_seq = 6;
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_assert_false (pdv_sync_run_once (db, NULL, &summary, &error));
      g_assert_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_REJECTED);
      g_assert_nonnull (strstr (error->message, "entry 6"));
      g_assert_nonnull (strstr (error->message, "bad hash"));
      g_clear_error (&error);
      g_clear_pointer (&status, pdv_sync_status_free);
      status = load_status (f->context);
      g_assert_cmpint (status->acked_seq, ==, 5);
      g_assert_cmpint (status->queued, ==, total - 5);
      g_assert_nonnull (strstr (status->last_error, "bad hash"));
      /* The server answered: it is there, it refuses. */
      g_assert_true (status->online);
    }
  assert_journal_intact (f->context, total);

  /* The server lost what it had acknowledged: this terminal pushes again
   * from where the server stands. */
  fake->reject_seq = 0;
  fake->held = 2;
  sync_once (f->context, &summary);
  g_assert_cmpint (summary.acked_seq, ==, total);
  g_assert_cmpint (summary.pushed, ==, total - 2);

  /* A page with a document that does not import changes nothing, the scan
   * in the same page included, and the cursor stays. */
  fake_set_pull_page (fake, bad_page);
  g_assert_false (pdv_sync_run_once (db, NULL, &summary, &error));
  g_assert_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_PULL);
  g_assert_nonnull (strstr (error->message, "Change 2"));
  g_assert_nonnull (strstr (error->message, "sync-2-tickets.json"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM remote_checkins"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT pull_cursor FROM sync_state"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM tickets"), ==, 0);
  g_assert_cmpint (last_seq (f->context), ==, total);

  /* The terminal's own scans come back too; they are skipped. An empty
   * list and a change of a type this terminal does not know change nothing. */
  {
    g_autofree char *own = g_strdup_printf ("\"%s\"", terminal_id (f->context));
    g_autoptr(GString) text = g_string_new (good_page);

    g_string_replace (text, "\"OWN\"", own, 1);
    page = g_string_free (g_steal_pointer (&text), FALSE);
  }
  fake_set_pull_page (fake, page);
  sync_once (f->context, &summary);
  g_assert_cmpint (summary.cursor, ==, 9);
  g_assert_cmpint (summary.checkins, ==, 1);
  g_assert_cmpint (summary.documents, ==, 1);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM remote_checkins"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM tickets"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT pull_cursor FROM sync_state"), ==, 9);
  /* Journalled as an import, like a file. */
  g_assert_cmpint (query_int (db, "SELECT COUNT (*) FROM journal WHERE kind = 'tickets.import' "
                                  "AND json_extract (payload, '$.file') = 'sync-4-tickets.json'"), ==, 1);
  assert_journal_intact (f->context, last_seq (f->context));

  fake_server_stop (fake);
}

/* No server at all: the error says so, and so does the status. */
static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSyncStatus) status = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autofree char *other = g_strdup_printf ("http://127.0.0.1:%u/", closed_port ());
  g_auto(GStrv) servers = NULL;

  g_assert_false (pdv_sync_run_once (pdv_context_get_db (f->context), NULL, NULL, &error));
  g_assert_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_NOT_ENROLLED);
  g_clear_error (&error);

  configure (f->context, (const char * const[]) { url, other, url, NULL });
  servers = pdv_sync_dup_servers (pdv_context_get_db (f->context), &error);
  g_assert_no_error (error);
  /* Normalised, and each once. */
  g_assert_cmpuint (g_strv_length (servers), ==, 2);
  g_assert_cmpstr (servers[0], ==, url);
  g_assert_true (g_str_has_suffix (other, "/") && !g_str_has_suffix (servers[1], "/"));

  g_assert_false (pdv_sync_run_once (pdv_context_get_db (f->context), NULL, NULL, &error));
  g_assert_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, url));

  status = load_status (f->context);
  g_assert_true (status->enrolled);
  g_assert_false (status->online);
  /* terminal.init and the shifts setting */
  g_assert_cmpint (status->queued, ==, 2);
  g_assert_nonnull (status->oldest_unsynced);
  g_assert_nonnull (status->last_attempt);
  g_assert_cmpstr (status->last_error, ==, error->message);

  g_clear_error (&error);
  g_assert_false (pdv_sync_set_servers (pdv_context_get_db (f->context),
                                        (const char * const[]) { "ftp://example.com", NULL }, &error));
  g_assert_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_INVALID_URL);
}

/* The real server. */

typedef struct {
  char *dir;
} Scratch;

static void
scratch_set_up (Scratch       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
}

static void
scratch_tear_down (Scratch       *f,
                   gconstpointer  data)
{
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static PdvContext *
new_terminal (const char *dir,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s.db", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  PdvContext *context = pdv_context_open (path, &error);

  g_assert_no_error (error);
  pdv_journal_initialise (pdv_context_get_journal (context), name, &error);
  g_assert_no_error (error);
  return context;
}

/* A request to a server: as the administrator (@admin), with a panel's
 * session @cookie, or neither; the body is a JSON text or NULL. The cookie
 * a login sets goes to *@out_cookie. */
static json_t *
server_request (const char  *server,
                const char  *method,
                const char  *path,
                gboolean     admin,
                const char  *cookie,
                const char  *body,
                guint        expected_status,
                char       **out_cookie)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (server, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  json_error_t json_error;
  json_t *reply;

  if (admin)
    soup_message_headers_replace (headers, "Authorization", "Bearer " ADMIN_TOKEN);
  if (cookie != NULL)
    soup_message_headers_replace (headers, "Cookie", cookie);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  response = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (message) != expected_status)
    g_test_message ("%s %s: %.*s", method, path, (int) g_bytes_get_size (response),
                    (const char *) g_bytes_get_data (response, NULL));
  g_assert_cmpuint (soup_message_get_status (message), ==, expected_status);
  if (out_cookie != NULL)
    {
      const char *set = soup_message_headers_get_one (soup_message_get_response_headers (message), "Set-Cookie");

      g_assert_nonnull (set);
      *out_cookie = g_strndup (set, strcspn (set, ";"));
    }
  if (g_str_has_prefix (path, "/metrics"))
    return json_stringn (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  reply = json_loadb (g_bytes_get_data (response, NULL), g_bytes_get_size (response), 0, &json_error);
  g_assert_nonnull (reply);
  return reply;
}

static json_t *
admin_request (const char *server,
               const char *method,
               const char *path,
               const char *body,
               guint       expected_status)
{
  return server_request (server, method, path, TRUE, NULL, body, expected_status, NULL);
}

/* Returns: (transfer full): the QR text of a new enrolment code */
static char *
new_enrolment (const char *server,
               const char *name,
               char      **out_code)
{
  g_autofree char *body = g_strdup_printf ("{\"terminal_name\": \"%s\", \"valid_for_s\": 600}", name);
  g_autoptr(json_t) reply = admin_request (server, "POST", "/v1/admin/enrolments", body, 201);
  const char *code = json_string_value (json_object_get (reply, "code"));
  const char *qr = json_string_value (json_object_get (reply, "qr"));

  g_assert_nonnull (code);
  g_assert_nonnull (qr);
  if (out_code != NULL)
    *out_code = g_strdup (code);
  return g_strdup (qr);
}

static void
enrol (PdvContext *context,
       const char *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *qr = new_enrolment (server, "Bar", &code);

  pdv_sync_enroll (pdv_context_get_db (context), server, code, &error);
  g_assert_no_error (error);
}

static json_t *
report_terminal (json_t     *report,
                 const char *id)
{
  json_t *terminals = json_object_get (report, "terminals");
  json_t *terminal;
  size_t i;

  json_array_foreach (terminals, i, terminal)
    if (g_strcmp0 (json_string_value (json_object_get (terminal, "terminal")), id) == 0)
      return terminal;
  return NULL;
}

/* What the server holds of a terminal, by its admin report. */
static gint64
server_last_seq (const char *server,
                 const char *id)
{
  g_autoptr(json_t) report = admin_request (server, "GET", "/v1/admin/report", NULL, 200);
  json_t *terminal = report_terminal (report, id);

  return terminal ? json_integer_value (json_object_get (terminal, "last_seq")) : 0;
}

/* The server's own file, read behind its back: every entry of @id once, in
 * order, each following the one before. */
static void
assert_server_chain (const char *server_db,
                     const char *id,
                     gint64      expected)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *previous = g_strdup (PDV_JOURNAL_GENESIS_HASH);
  gint64 expected_seq = 1;

  g_assert_cmpint (sqlite3_open_v2 (server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, prev_hash, hash FROM entries WHERE terminal = ? ORDER BY seq",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, expected_seq);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, previous);
      g_free (previous);
      previous = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      expected_seq++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (expected_seq - 1, ==, expected);
}

static char *
closed_url (void)
{
  return g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
}

/* (a) Ten thousand entries made with no server, then the server appears. */
static void
test_offline_backlog (Scratch       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) terminal = new_terminal (f->dir, "Bar 1");
  g_autoptr(PdvSyncStatus) status = NULL;
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *nowhere = closed_url ();
  g_auto(PdvSyncSummary) summary = { 0 };
  PdvTestSyncd *syncd;
  gint64 total;

  configure (terminal, (const char * const[]) { nowhere, NULL });
  append_notes (terminal, 10000);
  total = last_seq (terminal);
  g_assert_cmpint (total, ==, 10001);
  g_assert_false (pdv_sync_run_once (pdv_context_get_db (terminal), NULL, NULL, &error));
  g_assert_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_UNREACHABLE);
  g_clear_error (&error);
  status = load_status (terminal);
  g_assert_cmpint (status->queued, ==, total);
  g_assert_cmpint (status->acked_seq, ==, 0);

  syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  enrol (terminal, pdv_test_syncd_get_url (syncd));
  sync_once (terminal, &summary);
  g_assert_cmpstr (summary.server, ==, pdv_test_syncd_get_url (syncd));
  g_assert_cmpint (summary.pushed, ==, total);
  g_assert_cmpint (summary.duplicates, ==, 0);
  g_assert_cmpint (summary.acked_seq, ==, total);

  g_clear_pointer (&status, pdv_sync_status_free);
  status = load_status (terminal);
  g_assert_cmpint (status->acked_seq, ==, total);
  g_assert_cmpint (status->queued, ==, 0);
  g_assert_null (status->oldest_unsynced);
  g_assert_null (status->last_error);
  g_assert_true (status->online);
  g_assert_nonnull (status->last_success);

  /* Exactly once: stored once each by this server process, all of them. */
  g_assert_cmpint (server_last_seq (pdv_test_syncd_get_url (syncd), terminal_id (terminal)), ==, total);
  g_assert_cmpint (pdv_test_syncd_metric (pdv_test_syncd_get_url (syncd), "pdv_entries_stored_total{kind=\"test.note\"}"),
                   ==, 10000);
  assert_server_chain (server_db, terminal_id (terminal), total);

  /* Nothing left to send. */
  sync_once (terminal, &summary);
  g_assert_cmpint (summary.pushed + summary.duplicates, ==, 0);
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

static gboolean
acked_beyond (gpointer data)
{
  gpointer *args = data;
  g_autoptr(PdvSyncStatus) status = load_status (args[0]);

  return status->acked_seq >= GPOINTER_TO_INT (args[1]);
}

/* (b) The server dies in the middle of a push, and an answer is lost after
 * the server committed: nothing lost, nothing twice. */
static void
test_server_crash (Scratch       *f,
                   gconstpointer  data)
{
  g_autoptr(PdvContext) terminal = new_terminal (f->dir, "Bar 1");
  g_autoptr(PdvContext) second = new_terminal (f->dir, "Bar 2");
  g_autoptr(PdvSyncWorker) worker = NULL;
  g_autoptr(PdvSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *faulty_db = g_build_filename (f->dir, "faulty.db", NULL);
  g_auto(PdvSyncSummary) summary = { 0 };
  StatusWatch watch = { g_main_context_default (), 0, TRUE, NULL };
  const char * const drop_second[] = { "--fault-drop-response-after-commit", "2", NULL };
  PdvTestSyncd *syncd;
  gpointer args[2];
  gint64 total, acked_at_kill;

  syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  enrol (terminal, pdv_test_syncd_get_url (syncd));
  append_notes (terminal, 8000);
  total = last_seq (terminal);

  worker = pdv_sync_worker_new (pdv_db_get_path (pdv_context_get_db (terminal)));
  g_signal_connect (worker, "status-changed", G_CALLBACK (status_changed_cb), &watch);
  pdv_sync_worker_start (worker);

  /* Killed once the first batches are in, while the next are on their way. */
  args[0] = terminal;
  args[1] = GINT_TO_POINTER (1000);
  g_assert_true (run_until (acked_beyond, args, 60));
  pdv_test_syncd_kill (syncd);
  status = load_status (terminal);
  acked_at_kill = status->acked_seq;
  g_test_message ("killed with %lld of %lld acknowledged", (long long) acked_at_kill, (long long) total);
  g_assert_cmpint (acked_at_kill, <, total);

  /* Back on the same file (on another port). */
  syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  pdv_sync_set_servers (pdv_context_get_db (terminal),
                        (const char * const[]) { pdv_test_syncd_get_url (syncd), NULL }, &error);
  g_assert_no_error (error);
  pdv_sync_worker_sync_now (worker);
  args[1] = GINT_TO_POINTER ((int) total);
  g_assert_true (run_until (acked_beyond, args, 60));
  pdv_sync_worker_stop (worker);
  g_assert_true (watch.all_on_main);

  g_assert_cmpint (server_last_seq (pdv_test_syncd_get_url (syncd), terminal_id (terminal)), ==, total);
  assert_server_chain (server_db, terminal_id (terminal), total);
  assert_journal_intact (terminal, total);
  sync_once (terminal, &summary);
  g_assert_cmpint (summary.pushed + summary.duplicates, ==, 0);
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);

  /* The answer to the second push is lost after it committed. */
  syncd = pdv_test_syncd_start (faulty_db, ADMIN_TOKEN, drop_second);
  enrol (second, pdv_test_syncd_get_url (syncd));
  append_notes (second, 1200);
  total = last_seq (second);
  g_assert_false (pdv_sync_run_once (pdv_context_get_db (second), NULL, NULL, &error));
  g_assert_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_clear_pointer (&status, pdv_sync_status_free);
  status = load_status (second);
  g_assert_cmpint (status->acked_seq, ==, 500);
  g_assert_nonnull (status->last_error);

  sync_once (second, &summary);
  g_assert_cmpint (summary.duplicates, ==, 500);
  g_assert_cmpint (summary.pushed, ==, total - 1000);
  g_assert_cmpint (summary.acked_seq, ==, total);
  g_assert_cmpint (server_last_seq (pdv_test_syncd_get_url (syncd), terminal_id (second)), ==, total);
  g_assert_cmpint (pdv_test_syncd_metric (pdv_test_syncd_get_url (syncd), "pdv_entries_stored_total{kind=\"test.note\"}"),
                   ==, 1200);
  assert_server_chain (faulty_db, terminal_id (second), total);
  assert_journal_intact (second, total);
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&worker));
  status_watch_clear (&watch);
}

static const char tickets_document[] =
  "{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": ["
  "{\"id\": \"T000005\", \"secret\": \"" SINGLE_SECRET "\", \"order_code\": \"NV-QP5C5G\","
  " \"holder_name\": \"Bruna Sampaio\", \"type\": \"Pista\", \"zone\": \"general\","
  " \"valid_from\": \"2026-12-12T17:00:00-03:00\", \"valid_until\": \"2026-12-13T05:00:00-03:00\","
  " \"entry_policy\": \"single\", \"status\": \"valid\"},"
  "{\"id\": \"T000001\", \"secret\": \"" REENTRY_SECRET "\", \"order_code\": \"NV-3ZMYVX\","
  " \"holder_name\": \"Emerson Santos\", \"type\": \"Camarote\", \"zone\": \"vip\","
  " \"valid_from\": \"2026-12-12T17:00:00-03:00\", \"valid_until\": \"2026-12-13T05:00:00-03:00\","
  " \"entry_policy\": \"reentry\", \"status\": \"valid\"}]}";

static gint64
count_conflicts (PdvContext *context)
{
  return query_int (pdv_context_get_db (context), "SELECT COUNT (*) FROM conflicts");
}

/* (c) Two gates admit the same ticket while offline. */
static void
run_double_admission (const char *dir,
                      const char *server_db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) gate1 = new_terminal (dir, "Portão 1");
  g_autoptr(PdvContext) gate2 = new_terminal (dir, "Portão 2");
  g_autoptr(PdvContext) gate3 = new_terminal (dir, "Portão 3");
  g_autoptr(PdvCheckinResult) first = NULL;
  g_autoptr(PdvCheckinResult) second = NULL;
  g_autoptr(PdvCheckinResult) third = NULL;
  g_autoptr(PdvCheckinResult) fourth = NULL;
  g_autoptr(PdvCheckinResult) elsewhere = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(json_t) report = NULL;
  g_autoptr(json_t) imported = NULL;
  g_autofree char *event = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *event_name = NULL;
  g_auto(PdvSyncSummary) summary = { 0 };
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  const char *url = pdv_test_syncd_get_url (syncd);
  PdvSyncConflict *conflict;

  {
    g_autofree char *path = g_build_filename (pdv_test_demo_dir (), "event.json", NULL);
    g_file_get_contents (path, &event, NULL, &error);
    g_assert_no_error (error);
  }
  imported = admin_request (url, "POST", "/v1/admin/import", event, 201);
  g_clear_pointer (&imported, json_decref);
  imported = admin_request (url, "POST", "/v1/admin/import", tickets_document, 201);

  /* One by the QR text, the others by address and code; the event comes
   * with the enrolment, the tickets with the first pull. */
  qr = new_enrolment (url, "Portão 1", NULL);
  pdv_sync_enroll (pdv_context_get_db (gate1), qr, NULL, &error);
  g_assert_no_error (error);
  event_name = pdv_context_dup_event_name (gate1);
  g_assert_cmpstr (event_name, ==, "Festival Noite de Verão 2026");
  enrol (gate2, url);
  enrol (gate3, url);
  sync_once (gate1, &summary);
  g_assert_cmpint (summary.documents, >=, 1);
  sync_once (gate2, &summary);
  sync_once (gate3, &summary);
  g_assert_cmpuint (pdv_context_count_tickets (gate2), ==, 2);
  g_assert_cmpint (query_int (pdv_context_get_db (gate2),
                              "SELECT COUNT (*) FROM journal WHERE kind = 'tickets.import'"), ==, 1);

  /* Offline, one minute apart. */
  first = scan (gate1, SINGLE_SECRET, "Portão 1", PDV_CHECKIN_ENTRY, "2026-12-12T21:03:00-03:00");
  second = scan (gate2, SINGLE_SECRET, "Portão 2", PDV_CHECKIN_ENTRY, "2026-12-12T21:04:00-03:00");
  g_assert_cmpint (first->verdict, ==, PDV_CHECKIN_VALID);
  g_assert_cmpint (second->verdict, ==, PDV_CHECKIN_VALID);

  sync_once (gate1, &summary);
  g_assert_cmpint (summary.conflicts, ==, 0);
  sync_once (gate2, &summary);
  g_assert_cmpint (summary.conflicts, ==, 1);
  g_assert_cmpint (summary.checkins, ==, 1);
  sync_once (gate1, &summary);
  g_assert_cmpint (summary.pulled_conflicts, ==, 1);
  sync_once (gate3, &summary);

  /* Exactly one conflict, seen the same way everywhere. */
  report = admin_request (url, "GET", "/v1/admin/report", NULL, 200);
  g_assert_cmpint (json_integer_value (json_object_get (report, "conflicts")), ==, 1);
  g_assert_cmpint (count_conflicts (gate1), ==, 1);
  g_assert_cmpint (count_conflicts (gate2), ==, 1);
  g_assert_cmpint (count_conflicts (gate3), ==, 1);
  conflicts = pdv_sync_list_conflicts (pdv_context_get_db (gate2), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_nonnull (conflict->id);
  g_assert_cmpstr (conflict->ticket_id, ==, SINGLE_ID);
  g_assert_cmpstr (conflict->winner_terminal, ==, terminal_id (gate1));
  g_assert_cmpstr (conflict->winner_gate, ==, "Portão 1");
  g_assert_cmpstr (conflict->loser_terminal, ==, terminal_id (gate2));
  g_assert_cmpint (conflict->loser_seq, ==, second->seq);
  /* The refusal the push brought is kept with the record. */
  g_assert_nonnull (conflict->reason);

  /* After pulling, a third scan is refused at either gate, and at a gate
   * that never saw the ticket. The latest admission anywhere is shown. */
  third = scan (gate1, SINGLE_SECRET, "Portão 1", PDV_CHECKIN_ENTRY, "2026-12-12T21:30:00-03:00");
  fourth = scan (gate2, SINGLE_SECRET, "Portão 2", PDV_CHECKIN_ENTRY, "2026-12-12T21:31:00-03:00");
  elsewhere = scan (gate3, SINGLE_SECRET, "Portão 3", PDV_CHECKIN_ENTRY, "2026-12-12T21:32:00-03:00");
  g_assert_cmpint (third->verdict, ==, PDV_CHECKIN_ALREADY_USED);
  g_assert_cmpint (fourth->verdict, ==, PDV_CHECKIN_ALREADY_USED);
  g_assert_cmpint (elsewhere->verdict, ==, PDV_CHECKIN_ALREADY_USED);
  g_assert_cmpstr (third->message, ==, "Already used at Portão 2 at 21:04");
  g_assert_cmpstr (elsewhere->message, ==, "Already used at Portão 2 at 21:04");

  /* Seen by a manager. */
  pdv_sync_mark_conflicts_seen (pdv_context_get_db (gate2), &error);
  g_assert_no_error (error);
  {
    g_autoptr(PdvSyncStatus) status = load_status (gate2);
    g_assert_cmpint (status->conflicts, ==, 1);
    g_assert_cmpint (status->open_conflicts, ==, 0);
  }

  assert_journal_intact (gate1, last_seq (gate1));
  assert_journal_intact (gate2, last_seq (gate2));
  assert_journal_intact (gate3, last_seq (gate3));
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

static void
test_double_admission_sqlite (Scratch       *f,
                              gconstpointer  data)
{
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);

  run_double_admission (f->dir, server_db);
}

/* @run against a pdv-syncd on a PostgreSQL database of its own. */
static void
run_on_postgres (Scratch    *f,
                 const char *database,
                 void      (*run) (const char *dir,
                                   const char *server_db))
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  PdvTestPostgres *postgres = pdv_test_postgres_start (&error);

  if (postgres == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  conninfo = pdv_test_postgres_create_database (postgres, database);
  run (f->dir, conninfo);
  pdv_test_postgres_stop (postgres);
}

static void
test_double_admission_postgres (Scratch       *f,
                                gconstpointer  data)
{
  run_on_postgres (f, "pdv_sync_client", run_double_admission);
}

static PdvFichaRedemption *
redeem_ficha (PdvContext *counter,
              const char *token,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  PdvFichaRedemption *r = pdv_ficha_redeem (pdv_context_get_journal (counter), token, name, NULL, &error);

  g_assert_no_error (error);
  g_test_message ("%s: %s — %s", name, pdv_ficha_verdict_to_string (r->verdict), r->message);
  return r;
}

static const PdvReportFichas *
find_ficha_row (PdvReport  *report,
                const char *product)
{
  for (guint i = 0; i < report->fichas->len; i++)
    {
      const PdvReportFichas *row = g_ptr_array_index (report->fichas, i);

      if (g_str_equal (row->key, product))
        return row;
    }
  g_assert_not_reached ();
}

static json_t *
find_by (json_t     *array,
         const char *field,
         const char *value)
{
  size_t i;
  json_t *item;

  json_array_foreach (array, i, item)
    if (g_strcmp0 (json_string_value (json_object_get (item, field)), value) == 0)
      return item;
  g_assert_not_reached ();
}

/* The fichas in the reports, after run_fichas(): at the till 6 cans (1
 * served twice, 2 served once, 1 voided, 1 refunded, 1 owed) and a voided
 * shot; at the counters what each served and refused; at the server the
 * same figures for the whole event, a ficha served twice counted once.
 * Each reconciles: issued = served + taken back + to serve. */
static void
assert_ficha_reports (PdvContext *till,
                      PdvContext *counter1,
                      PdvContext *counter2,
                      const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) manager = pdv_user_new ("fernanda", "Fernanda Lima", PDV_ROLE_MANAGER);
  g_autoptr(PdvReport) at_till = pdv_report_new_x (pdv_context_get_db (till), manager, &error);
  g_autoptr(PdvReport) at_counter1 = pdv_report_new_x (pdv_context_get_db (counter1), manager, &error);
  g_autoptr(PdvReport) at_counter2 = pdv_report_new_x (pdv_context_get_db (counter2), manager, &error);
  /* Checked against the entries read again: the running totals agree. */
  g_autoptr(json_t) server = admin_request (url, "GET", "/v1/admin/report?check=true", NULL, 200);
  json_t *server_fichas = json_object_get (server, "fichas");
  const PdvReportFichas *cans, *shots;
  const PdvReportCounter *counter;
  json_t *row;

  g_assert_no_error (error);
  g_assert_cmpuint (at_till->fichas->len, ==, 2);
  cans = find_ficha_row (at_till, "CERV-LATA-350");
  g_assert_cmpint (cans->issued, ==, 6);
  g_assert_cmpint (cans->served, ==, 3);
  g_assert_cmpint (cans->revoked, ==, 2);
  g_assert_cmpint (cans->outstanding, ==, 1);
  shots = find_ficha_row (at_till, "DOSE-VODKA");
  g_assert_cmpint (shots->issued, ==, 1);
  g_assert_cmpint (shots->served, ==, 0);
  g_assert_cmpint (shots->revoked, ==, 1);
  g_assert_cmpint (shots->outstanding, ==, 0);
  g_assert_cmpint (at_till->fichas_issued, ==, 7);
  g_assert_cmpint (at_till->fichas_issued_in_period, ==, 7);
  g_assert_cmpint (at_till->fichas_issued, ==,
                   at_till->fichas_served + at_till->fichas_revoked + at_till->fichas_outstanding);
  /* The till served nothing itself: it refused a can served elsewhere. */
  g_assert_cmpuint (at_till->counters->len, ==, 1);
  counter = g_ptr_array_index (at_till->counters, 0);
  g_assert_cmpint (counter->served, ==, 0);
  g_assert_cmpint (counter->refused, ==, 1);

  /* The counters: what each served and refused, by product and reason. */
  g_assert_cmpuint (at_counter1->fichas->len, ==, 0);
  g_assert_cmpuint (at_counter1->counters->len, ==, 1);
  counter = g_ptr_array_index (at_counter1->counters, 0);
  g_assert_cmpstr (counter->counter, ==, "Balcão 1");
  g_assert_cmpint (counter->served, ==, 3);
  g_assert_cmpint (counter->refused, ==, 1);
  g_assert_cmpstr (((PdvReportRow *) g_ptr_array_index (counter->products, 0))->key, ==, "CERV-LATA-350");
  g_assert_cmpstr (((PdvReportRow *) g_ptr_array_index (counter->refusals, 0))->key, ==, "unknown_issuer");
  counter = g_ptr_array_index (at_counter2->counters, 0);
  g_assert_cmpint (counter->served, ==, 1);
  g_assert_cmpint (counter->refused, ==, 1);
  g_assert_cmpstr (((PdvReportRow *) g_ptr_array_index (counter->refusals, 0))->key, ==, "voided");
  {
    g_autofree char *text = pdv_report_render_text (at_till, PDV_PAPER_80MM);
    g_autofree char *csv = pdv_report_render_csv (at_till, PDV_CSV_RFC4180);

    g_test_message ("%s", text);
    g_assert_nonnull (strstr (text, pdv_report_section_title (PDV_REPORT_SECTION_FICHAS)));
    g_assert_nonnull (strstr (csv, "fichas,CERV-LATA-350:outstanding,Cerveja Lata 350 ml,1,"));
    g_assert_nonnull (strstr (csv, "fichas,total:issued,Total,7,"));
  }

  /* The server: the event's fichas, one can served twice counted once. */
  g_assert_true (json_is_true (json_object_get (json_object_get (server, "check"), "matched")));
  g_assert_nonnull (server_fichas);
  row = find_by (json_object_get (server_fichas, "products"), "product", "CERV-LATA-350");
  g_assert_cmpint (json_integer_value (json_object_get (row, "issued")), ==, 6);
  g_assert_cmpint (json_integer_value (json_object_get (row, "served")), ==, 3);
  g_assert_cmpint (json_integer_value (json_object_get (row, "revoked")), ==, 2);
  g_assert_cmpint (json_integer_value (json_object_get (row, "outstanding")), ==, 1);
  row = find_by (json_object_get (server_fichas, "products"), "product", "DOSE-VODKA");
  g_assert_cmpint (json_integer_value (json_object_get (row, "issued")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (row, "revoked")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (row, "outstanding")), ==, 0);
  row = json_object_get (server_fichas, "total");
  g_assert_cmpint (json_integer_value (json_object_get (row, "issued")), ==, 7);
  g_assert_cmpint (json_integer_value (json_object_get (row, "issued")), ==,
                   json_integer_value (json_object_get (row, "served")) +
                   json_integer_value (json_object_get (row, "revoked")) +
                   json_integer_value (json_object_get (row, "outstanding")));
  row = find_by (json_object_get (server_fichas, "counters"), "counter", "Balcão 1");
  g_assert_cmpint (json_integer_value (json_object_get (row, "served")), ==, 3);
  g_assert_cmpint (json_integer_value (json_object_get (row, "refused")), ==, 1);
  row = find_by (json_object_get (server_fichas, "counters"), "counter", "Balcão 2");
  g_assert_cmpint (json_integer_value (json_object_get (row, "served")), ==, 0);
  g_assert_cmpint (json_integer_value (json_object_get (row, "served_twice")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (row, "refused")), ==, 1);
}

/* A till sells fichas; two counters, offline, both serve the same one;
 * once synchronised, one conflict everywhere, and the ficha refused at
 * both. The till's key reaches the counters through the server, and so do
 * the fichas a void takes back. */
static void
run_fichas (const char *dir,
            const char *server_db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) till = new_terminal (dir, "Bar 1");
  g_autoptr(PdvContext) counter1 = new_terminal (dir, "Balcão 1");
  g_autoptr(PdvContext) counter2 = new_terminal (dir, "Balcão 2");
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) sale = NULL;
  g_autoptr(json_t) fichas = NULL;
  g_autoptr(json_t) imported = NULL;
  g_autoptr(json_t) report = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_auto(PdvSyncSummary) summary = { 0 };
  g_autofree char *event = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *users = NULL;
  g_autofree char *conflict_key = NULL;
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  const char *url = pdv_test_syncd_get_url (syncd);
  const char *token0, *token1;

  {
    g_autofree char *event_path = g_build_filename (pdv_test_demo_dir (), "event.json", NULL);
    g_autofree char *catalog_path = g_build_filename (pdv_test_demo_dir (), "catalog.json", NULL);
    g_autofree char *users_path = g_build_filename (pdv_test_demo_dir (), "users.json", NULL);

    g_file_get_contents (event_path, &event, NULL, &error);
    g_assert_no_error (error);
    g_file_get_contents (catalog_path, &catalog, NULL, &error);
    g_assert_no_error (error);
    g_file_get_contents (users_path, &users, NULL, &error);
    g_assert_no_error (error);
  }
  imported = admin_request (url, "POST", "/v1/admin/import", event, 201);
  g_clear_pointer (&imported, json_decref);
  imported = admin_request (url, "POST", "/v1/admin/import", catalog, 201);
  g_clear_pointer (&imported, json_decref);
  imported = admin_request (url, "POST", "/v1/admin/import", users, 201);
  enrol (till, url);
  enrol (counter1, url);
  enrol (counter2, url);
  sync_once (till, &summary);
  sync_once (counter1, &summary);
  sync_once (counter2, &summary);

  /* A bar that sells without shifts, as a manager set it. */
  pdv_shift_set_required (pdv_context_get_db (till), FALSE, &error);
  g_assert_no_error (error);
  pdv_journal_record_setting (pdv_context_get_journal (till), "fernanda", "shifts_required", "no", &error);
  g_assert_no_error (error);
  /* Two cans and a shot: three fichas, the till's first (its key made). */
  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
  pdv_sale_draft_add_line (draft, "DOSE-VODKA", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, 2 * 1200 + pdv_test_price_of (pdv_context_get_catalog (till),
                                                                                     "DOSE-VODKA"), 0, "AUTH");
  sale = pdv_sale_commit (pdv_context_get_journal (till), pdv_context_get_catalog (till), draft, "ana", NULL,
                          &error);
  g_assert_no_error (error);
  fichas = json_deep_copy (sale->fichas);
  g_assert_true (pdv_ficha_add_tokens (pdv_context_get_db (till), fichas, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_size (fichas), ==, 3);
  token0 = json_string_value (json_object_get (json_array_get (fichas, 0), "token"));
  token1 = json_string_value (json_object_get (json_array_get (fichas, 1), "token"));

  /* Before the till's key reached it, a counter cannot tell. */
  {
    g_autoptr(PdvFichaRedemption) r = redeem_ficha (counter1, token1, "Balcão 1");

    g_assert_cmpint (r->verdict, ==, PDV_FICHA_UNKNOWN_ISSUER);
  }
  sync_once (till, &summary);
  sync_once (counter1, &summary);
  sync_once (counter2, &summary);
  g_assert_cmpint (query_int (pdv_context_get_db (counter2), "SELECT COUNT (*) FROM ficha_keys"), ==, 1);

  /* Offline, both counters serve the first can. */
  {
    g_autoptr(PdvFichaRedemption) first = redeem_ficha (counter1, token0, "Balcão 1");
    g_autoptr(PdvFichaRedemption) second = redeem_ficha (counter2, token0, "Balcão 2");

    g_assert_cmpint (first->verdict, ==, PDV_FICHA_VALID);
    g_assert_cmpint (second->verdict, ==, PDV_FICHA_VALID);
    g_assert_cmpstr (second->product_name, ==, "Cerveja Lata 350 ml");
  }
  sync_once (counter1, &summary);
  g_assert_cmpint (summary.conflicts, ==, 0);
  sync_once (counter2, &summary);
  g_assert_cmpint (summary.conflicts, ==, 1);
  g_assert_cmpint (summary.fichas, ==, 1);
  sync_once (counter1, &summary);
  g_assert_cmpint (summary.pulled_conflicts, ==, 1);
  sync_once (till, &summary);

  /* One conflict, the same on both counters (and at the till). */
  report = admin_request (url, "GET", "/v1/admin/report", NULL, 200);
  g_assert_cmpint (json_integer_value (json_object_get (report, "conflicts")), ==, 1);
  g_assert_cmpint (count_conflicts (counter1), ==, 1);
  g_assert_cmpint (count_conflicts (counter2), ==, 1);
  g_assert_cmpint (count_conflicts (till), ==, 1);
  conflicts = pdv_sync_list_conflicts (pdv_context_get_db (counter2), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  {
    PdvSyncConflict *conflict = g_ptr_array_index (conflicts, 0);

    conflict_key = g_strconcat ("ficha:", json_string_value (json_object_get (json_array_get (fichas, 0), "id")),
                                NULL);
    g_assert_cmpstr (conflict->ticket_id, ==, conflict_key);
    g_assert_cmpstr (pdv_ficha_id_from_conflict (conflict->ticket_id), ==,
                     json_string_value (json_object_get (json_array_get (fichas, 0), "id")));
    g_assert_cmpstr (conflict->winner_terminal, ==, terminal_id (counter1));
    g_assert_cmpstr (conflict->winner_gate, ==, "Balcão 1");
    g_assert_cmpstr (conflict->loser_terminal, ==, terminal_id (counter2));
    g_assert_cmpstr (conflict->loser_gate, ==, "Balcão 2");
  }

  /* Now refused everywhere, with where it was served. */
  {
    g_autoptr(PdvFichaRedemption) at_till = redeem_ficha (till, token0, "Bar 1");

    g_assert_cmpint (at_till->verdict, ==, PDV_FICHA_ALREADY_REDEEMED);
    g_assert_nonnull (strstr (at_till->message, "already served at Balcão"));
  }

  /* The till voids the sale: the cans not served and the shot are taken
   * back, and the counters hear it. */
  g_assert_true (pdv_sale_void (pdv_context_get_journal (till), sale->sale_id, "ana", "9090", "wrong order", &error));
  g_assert_no_error (error);
  {
    g_autoptr(json_t) listed = pdv_ficha_list_for_sale (pdv_context_get_db (till), sale->sale_id, &error);

    g_assert_no_error (error);
    /* Served elsewhere stays served: the void does not take it back. */
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (listed, 0), "state")), ==, "redeemed");
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (listed, 1), "state")), ==, "revoked");
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (listed, 2), "state")), ==, "revoked");
  }
  sync_once (till, &summary);
  sync_once (counter2, &summary);
  g_assert_cmpint (summary.fichas, ==, 2);
  {
    g_autoptr(PdvFichaRedemption) r = redeem_ficha (counter2, token1, "Balcão 2");

    g_assert_cmpint (r->verdict, ==, PDV_FICHA_VOIDED);
  }

  /* Four more cans: two served at the first counter, one refunded, one
   * still owed. */
  {
    g_autofree char *sale_id = NULL;
    g_autoptr(json_t) cans = pdv_test_sell_fichas (till, "CERV-LATA-350", 4, &sale_id);
    const char *refunded[] = { json_string_value (json_object_get (json_array_get (cans, 3), "code")), NULL };

    sync_once (till, &summary);
    sync_once (counter1, &summary);
    for (int i = 0; i < 2; i++)
      {
        g_autoptr(PdvFichaRedemption) r =
          redeem_ficha (counter1, json_string_value (json_object_get (json_array_get (cans, i), "token")), "Balcão 1");

        g_assert_cmpint (r->verdict, ==, PDV_FICHA_VALID);
      }
    g_assert_true (pdv_sale_refund_fichas (pdv_context_get_journal (till), sale_id, 1200, PDV_PAYMENT_CARD, "ana",
                                           "9090", "warm beer", refunded, &error));
    g_assert_no_error (error);
  }
  sync_once (counter1, &summary);
  sync_once (till, &summary);
  sync_once (counter2, &summary);
  assert_ficha_reports (till, counter1, counter2, url);

  assert_journal_intact (till, last_seq (till));
  assert_journal_intact (counter1, last_seq (counter1));
  assert_journal_intact (counter2, last_seq (counter2));
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

static void
test_fichas_sqlite (Scratch       *f,
                    gconstpointer  data)
{
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);

  run_fichas (f->dir, server_db);
}

static void
test_fichas_postgres (Scratch       *f,
                      gconstpointer  data)
{
  run_on_postgres (f, "pdv_sync_fichas", run_fichas);
}

/* A request of the organiser's panel, with its session's cookie. */
static json_t *
panel_request (const char  *server,
               const char  *method,
               const char  *path,
               const char  *cookie,
               const char  *body,
               guint        expected_status,
               char       **out_cookie)
{
  return server_request (server, method, path, FALSE, cookie, body, expected_status, out_cookie);
}

static json_t *
find_open_alerts (json_t *state)
{
  json_t *open = json_array ();
  json_t *alert;
  size_t i;

  json_array_foreach (json_object_get (state, "alerts"), i, alert)
    if (json_object_get (alert, "cleared_at") == NULL)
      json_array_append (open, alert);
  return open;
}

/* The organiser's panel on two servers of one store: a session opened at
 * one is good at the other (they share its secret), settings made at
 * either are the same at both, and an alert both check is raised once and
 * delivered once, whichever server sends it (to a webhook that refuses the
 * connection: tried again, still one delivery). */
static void
run_panel (const char *dir,
           const char *server_db,
           guint       n_servers)
{
  g_autofree char *event = NULL;
  g_autofree char *event_path = g_build_filename (pdv_test_demo_dir (), "event.json", NULL);
  g_autofree char *cookie = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) reply = NULL;
  g_autoptr(json_t) state = NULL;
  PdvTestSyncd *servers[2] = { NULL, NULL };
  const char *a, *b;
  gint64 deadline;

  for (guint i = 0; i < n_servers; i++)
    servers[i] = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  a = pdv_test_syncd_get_url (servers[0]);
  b = pdv_test_syncd_get_url (servers[n_servers - 1]);
  g_file_get_contents (event_path, &event, NULL, &error);
  g_assert_no_error (error);
  reply = admin_request (a, "POST", "/v1/admin/import", event, 201);
  g_clear_pointer (&reply, json_decref);
  reply = admin_request (a, "POST", "/v1/admin/panel-accounts",
                         "{\"name\": \"fernanda\", \"role\": \"organiser\", \"password\": \"noite de verao 26\"}",
                         201);
  g_clear_pointer (&reply, json_decref);
  reply = panel_request (a, "POST", "/v1/panel/login", NULL,
                         "{\"name\": \"fernanda\", \"password\": \"noite de verao 26\"}", 200, &cookie);
  g_clear_pointer (&reply, json_decref);
  reply = panel_request (b, "GET", "/v1/panel/state", cookie, NULL, 200, NULL);
  g_assert_cmpstr (json_string_value (json_object_get (reply, "role")), ==, "organiser");
  g_clear_pointer (&reply, json_decref);

  /* Occupancy at 0 %: holds at once. */
  reply = panel_request (b, "POST", "/v1/panel/rules", cookie,
                         "{\"rules\": [{\"kind\": \"occupancy_at\", \"threshold\": 0}]}", 200, NULL);
  g_clear_pointer (&reply, json_decref);
  reply = panel_request (a, "POST", "/v1/panel/webhooks", cookie,
                         "{\"webhooks\": [{\"url\": \"http://127.0.0.1:1/refused\"}]}", 200, NULL);
  g_clear_pointer (&reply, json_decref);

  /* Both servers check every 2 s; the delivery is tried again after 1 s,
   * 2 s: wait for its third attempt. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  for (;;)
    {
      json_t *deliveries;

      g_clear_pointer (&state, json_decref);
      state = panel_request (a, "GET", "/v1/panel/state", cookie, NULL, 200, NULL);
      deliveries = json_object_get (state, "deliveries");
      if (json_array_size (deliveries) > 0 &&
          json_integer_value (json_object_get (json_array_get (deliveries, 0), "attempts")) >= 3)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }
  {
    g_autoptr(json_t) open = find_open_alerts (state);
    json_t *delivery = json_array_get (json_object_get (state, "deliveries"), 0);

    g_assert_cmpuint (json_array_size (open), ==, 1);
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (open, 0), "kind")), ==, "occupancy_at");
    g_assert_cmpuint (json_array_size (json_object_get (state, "deliveries")), ==, 1);
    g_assert_cmpstr (json_string_value (json_object_get (delivery, "status")), ==, "pending");
    g_assert_cmpuint (json_array_size (json_object_get (delivery, "log")), ==, 3);
    g_assert_nonnull (json_string_value (json_object_get (json_array_get (json_object_get (delivery, "log"), 0),
                                                         "error")));
  }
  /* The same at the other server. */
  g_clear_pointer (&state, json_decref);
  state = panel_request (b, "GET", "/v1/panel/state", cookie, NULL, 200, NULL);
  g_assert_cmpuint (json_array_size (json_object_get (state, "webhooks")), ==, 1);
  g_assert_cmpuint (json_array_size (json_object_get (state, "rules")), ==, 1);

  /* Logging out ends that session at every server: a copy of its cookie
   * is refused at the other one; a session opened elsewhere (her phone)
   * goes on. */
  {
    g_autofree char *phone = NULL;
    g_autofree char *cleared = NULL;

    reply = panel_request (b, "POST", "/v1/panel/login", NULL,
                           "{\"name\": \"fernanda\", \"password\": \"noite de verao 26\"}", 200, &phone);
    g_clear_pointer (&reply, json_decref);
    g_assert_cmpstr (phone, !=, cookie);
    reply = panel_request (a, "POST", "/v1/panel/logout", cookie, "{}", 200, &cleared);
    g_clear_pointer (&reply, json_decref);
    g_assert_cmpstr (cleared, ==, "pdv_panel=");
    reply = panel_request (b, "GET", "/v1/panel/state", cookie, NULL, 401, NULL);
    g_assert_cmpstr (json_string_value (json_object_get (json_object_get (reply, "error"), "message")), ==,
                     "the session was logged out: log in again");
    g_clear_pointer (&reply, json_decref);
    reply = panel_request (a, "GET", "/v1/panel/state", phone, NULL, 200, NULL);
    g_clear_pointer (&reply, json_decref);
    g_free (cookie);
    cookie = g_steal_pointer (&phone);
  }

  /* A new password ends the sessions opened with the old one. */
  reply = admin_request (b, "POST", "/v1/admin/panel-accounts",
                         "{\"name\": \"fernanda\", \"role\": \"organiser\", \"password\": \"a new one, longer\"}",
                         201);
  g_clear_pointer (&reply, json_decref);
  reply = panel_request (a, "GET", "/v1/panel/state", cookie, NULL, 401, NULL);
  g_clear_pointer (&reply, json_decref);
  for (guint i = 0; i < n_servers; i++)
    g_assert_cmpint (pdv_test_syncd_stop (servers[i]), ==, 0);
}

static void
run_panel_one (const char *dir,
               const char *server_db)
{
  run_panel (dir, server_db, 1);
}

static void
run_panel_two (const char *dir,
               const char *server_db)
{
  run_panel (dir, server_db, 2);
}

static void
test_panel_sqlite (Scratch       *f,
                   gconstpointer  data)
{
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);

  run_panel_one (f->dir, server_db);
}

static void
test_panel_postgres (Scratch       *f,
                     gconstpointer  data)
{
  run_on_postgres (f, "pdv_sync_panel", run_panel_two);
}

/* (e) The first server is gone, the second is there. */
static void
test_failover (Scratch       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) terminal = new_terminal (f->dir, "Bar 1");
  g_autoptr(PdvSyncStatus) status = NULL;
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *dead = closed_url ();
  g_auto(PdvSyncSummary) summary = { 0 };
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  const char *url = pdv_test_syncd_get_url (syncd);

  enrol (terminal, url);
  append_notes (terminal, 30);
  pdv_sync_set_servers (pdv_context_get_db (terminal), (const char * const[]) { dead, url, NULL }, &error);
  g_assert_no_error (error);

  sync_once (terminal, &summary);
  g_assert_cmpstr (summary.server, ==, url);
  g_assert_cmpint (summary.acked_seq, ==, last_seq (terminal));
  status = load_status (terminal);
  g_assert_null (status->last_error);
  g_assert_cmpstr (status->server, ==, url);
  g_assert_true (status->online);
  g_assert_cmpint (server_last_seq (url, terminal_id (terminal)), ==, last_seq (terminal));
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

static gboolean
status_acked (gpointer data)
{
  gpointer *args = data;
  StatusWatch *watch = args[0];

  return watch->last != NULL && watch->last->acked_seq >= GPOINTER_TO_INT (args[1]);
}

/* (f) The worker: status only on the main thread, and a new entry pushed
 * at once rather than at the next poll. */
static void
test_worker (Scratch       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) terminal = new_terminal (f->dir, "Bar 1");
  g_autoptr(PdvSyncWorker) worker = NULL;
  g_autoptr(PdvSyncStatus) copy = NULL;
  g_autoptr(json_t) payload = json_pack ("{s:s}", "text", "after start");
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  StatusWatch watch = { g_main_context_default (), 0, TRUE, NULL };
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  gpointer args[2];
  gint64 started;

  enrol (terminal, pdv_test_syncd_get_url (syncd));
  append_notes (terminal, 10);

  worker = pdv_sync_worker_new (pdv_db_get_path (pdv_context_get_db (terminal)));
  g_assert_cmpuint (pdv_sync_worker_get_poll_interval (worker), ==, 30);
  copy = pdv_sync_worker_dup_status (worker);
  g_assert_false (copy->enrolled);
  g_signal_connect (worker, "status-changed", G_CALLBACK (status_changed_cb), &watch);
  pdv_sync_worker_start (worker);
  g_assert_true (pdv_sync_worker_is_running (worker));

  args[0] = &watch;
  args[1] = GINT_TO_POINTER ((int) last_seq (terminal));
  g_assert_true (run_until (status_acked, args, 30));
  g_assert_true (watch.last->online);
  g_assert_cmpint (watch.last->queued, ==, 0);

  /* Made on this thread, with the worker asleep for 30 s. */
  run_until (NULL, NULL, 0.3);
  entry = pdv_journal_append (pdv_context_get_journal (terminal), "test.note", "ana", payload, &error);
  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  pdv_sync_worker_notify_new_entry (worker);
  args[1] = GINT_TO_POINTER ((int) entry->seq);
  g_assert_true (run_until (status_acked, args, 5));
  g_test_message ("pushed %lld ms after the notification",
                  (long long) ((g_get_monotonic_time () - started) / 1000));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 1500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (server_last_seq (pdv_test_syncd_get_url (syncd), terminal_id (terminal)), ==, entry->seq);

  /* Written by another connection (another page's thread, pdvctl) with
   * nobody telling the worker, which would otherwise sleep for an hour: it
   * sees the database change and sends the entry. */
  pdv_sync_worker_set_poll_interval (worker, 3600);
  run_until (NULL, NULL, 0.2);
  {
    g_autoptr(PdvContext) other = pdv_context_open (pdv_db_get_path (pdv_context_get_db (terminal)), &error);
    g_autoptr(json_t) other_payload = json_pack ("{s:s}", "text", "from another connection");
    g_autoptr(PdvJournalEntry) other_entry = NULL;

    g_assert_no_error (error);
    other_entry = pdv_journal_append (pdv_context_get_journal (other), "test.note", "bia", other_payload, &error);
    g_assert_no_error (error);
    args[1] = GINT_TO_POINTER ((int) other_entry->seq);
  }
  g_assert_true (run_until (status_acked, args, 60));
  g_assert_cmpint (server_last_seq (pdv_test_syncd_get_url (syncd), terminal_id (terminal)), ==,
                   GPOINTER_TO_INT (args[1]));

  g_clear_pointer (&copy, pdv_sync_status_free);
  copy = pdv_sync_worker_dup_status (worker);
  g_assert_true (pdv_sync_status_equal (copy, watch.last));
  g_assert_true (watch.all_on_main);
  g_assert_cmpuint (watch.deliveries, >=, 2);

  /* Stopping while the server is gone: the thread ends promptly. */
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
  pdv_sync_worker_sync_now (worker);
  run_until (NULL, NULL, 0.2);
  started = g_get_monotonic_time ();
  g_assert_finalize_object (g_steal_pointer (&worker));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_TIME_SPAN_SECOND);
  /* Deliveries still queued for the finalized worker are dropped. */
  run_until (NULL, NULL, 0.1);
  status_watch_clear (&watch);
}

static gboolean
status_online (gpointer data)
{
  StatusWatch *watch = data;

  return watch->last != NULL && watch->last->online && watch->last->queued == 0;
}

static gboolean
status_pulled_past (gpointer data)
{
  gpointer *args = data;
  StatusWatch *watch = args[0];

  return watch->last != NULL && watch->last->pull_cursor > *(gint64 *) args[1];
}


/* A check-in entry as a gate writes it. */
static void
append_admission (PdvContext *context,
                  const char *ticket_id,
                  const char *gate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) payload = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}", "at", "2026-12-12T22:00:00Z",
                                         "direction", "entry", "gate", gate, "policy", "single",
                                         "ticket_id", ticket_id, "verdict", "valid");
  g_autoptr(PdvJournalEntry) entry = pdv_journal_append (pdv_context_get_journal (context), PDV_ENTRY_CHECKIN,
                                                         "diego", payload, &error);

  g_assert_no_error (error);
}

/* A gate hears of another's admission as soon as the server stores it:
 * its worker waits on the server between rounds, with no poll due for an
 * hour and its clock stopped. */
static void
test_worker_hears (Scratch       *f,
                   gconstpointer  data)
{
  g_autoptr(PdvContext) gate_a = new_terminal (f->dir, "Gate A");
  g_autoptr(PdvContext) gate_b = new_terminal (f->dir, "Gate B");
  g_autoptr(PdvSyncWorker) worker = NULL;
  g_autoptr(PdvClock) clock = pdv_clock_new ();
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T21:00:00Z", NULL);
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  StatusWatch watch = { g_main_context_default (), 0, TRUE, NULL };
  /* Its metrics are read every few milliseconds. */
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, (const char * const[]) { "--rate-limit", "0",
                                                                                              NULL });
  const char *url = pdv_test_syncd_get_url (syncd);
  gpointer pulled[2];
  gint64 cursor;
  gint64 stored;

  enrol (gate_a, url);
  enrol (gate_b, url);
  pdv_clock_set_time (clock, night);
  worker = pdv_sync_worker_new (pdv_db_get_path (pdv_context_get_db (gate_a)));
  pdv_sync_worker_set_clock (worker, clock);
  pdv_sync_worker_set_poll_interval (worker, 3600);
  g_signal_connect (worker, "status-changed", G_CALLBACK (status_changed_cb), &watch);
  pdv_sync_worker_start (worker);
  g_assert_true (run_until (status_online, &watch, 60));
  g_assert_true (pdv_test_syncd_wait_for_metric (url, "pdv_pulls_waiting", 1, 60));
  cursor = watch.last->pull_cursor;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *ticket = g_strdup_printf ("T%u", i);
      g_auto(PdvSyncSummary) summary = { 0 };

      append_admission (gate_b, ticket, "Gate B");
      sync_once (gate_b, &summary);
      stored = g_get_monotonic_time ();
      pulled[0] = &watch;
      pulled[1] = &cursor;
      g_assert_true (run_until (status_pulled_past, pulled, 60));
      g_test_message ("admission %u at gate B heard at gate A %lld ms after it was stored", i,
                      (long long) ((g_get_monotonic_time () - stored) / 1000));
      cursor = watch.last->pull_cursor;
      /* And it waits again. */
      g_assert_true (pdv_test_syncd_wait_for_metric (url, "pdv_pulls_waiting", 1, 60));
    }
  g_assert_cmpint (query_int (pdv_context_get_db (gate_a), "SELECT count(*) FROM remote_checkins"), ==, 3);

  g_assert_finalize_object (g_steal_pointer (&worker));
  g_assert_true (pdv_test_syncd_wait_for_metric (url, "pdv_pulls_waiting", 0, 60));
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
  status_watch_clear (&watch);
}

/* A failed attempt changes nothing a person sees, so the status is not
 * sent again: it is read from the database. */
static gboolean
attempted_after (gpointer data)
{
  gpointer *args = data;
  g_autoptr(PdvSyncStatus) status = load_status (args[0]);
  GDateTime *before = args[1];

  return status->last_attempt != NULL && (before == NULL || g_date_time_compare (status->last_attempt, before) > 0);
}

/* Entries made while the server is down reach it within seconds of its
 * return, however long it was gone: the wait between attempts stops
 * growing at a few seconds while entries wait (jittered, so that a fleet
 * does not come back at once). */
static void
test_worker_outage (Scratch       *f,
                    gconstpointer  data)
{
  g_autoptr(PdvContext) terminal = new_terminal (f->dir, "Bar 1");
  g_autoptr(PdvSyncWorker) worker = NULL;
  g_autoptr(PdvClock) clock = pdv_clock_new ();
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T21:00:00Z", NULL);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *listen = NULL;
  StatusWatch watch = { g_main_context_default (), 0, TRUE, NULL };
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  gpointer attempted[2];
  gpointer acked[2];
  guint attempts = 0;
  guint waited;

  enrol (terminal, pdv_test_syncd_get_url (syncd));
  uri = g_uri_parse (pdv_test_syncd_get_url (syncd), G_URI_FLAGS_NONE, NULL);
  listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  pdv_clock_set_time (clock, night);
  worker = pdv_sync_worker_new (pdv_db_get_path (pdv_context_get_db (terminal)));
  pdv_sync_worker_set_clock (worker, clock);
  pdv_sync_worker_set_poll_interval (worker, 3600);
  g_signal_connect (worker, "status-changed", G_CALLBACK (status_changed_cb), &watch);
  pdv_sync_worker_start (worker);
  g_assert_true (run_until (status_online, &watch, 60));

  /* The server goes; sales go on. */
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
  append_notes (terminal, 5);
  pdv_sync_worker_notify_new_entry (worker);
  /* An hour of failed attempts, each let happen by moving the clock on.
   * A round may still be ending (its next attempt not yet timed) when the
   * clock moves: the clock moves again if no attempt comes. */
  attempted[0] = terminal;
  for (guint moves = 0; attempts < 12; moves++)
    {
      g_autoptr(PdvSyncStatus) status = load_status (terminal);

      g_assert_cmpuint (moves, <, 40);
      attempted[1] = status->last_attempt;
      pdv_clock_advance (clock, 5 * G_TIME_SPAN_MINUTE);
      if (run_until (attempted_after, attempted, 2))
        attempts++;
    }
  g_assert_false (watch.last->online);
  g_assert_cmpint (watch.last->queued, ==, 5);

  /* Back on the same address: within 6 s of the terminal's clock (5 s and
   * a fifth of jitter; a second more for a round that was ending as the
   * clock moved), everything is there. */
  syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, (const char * const[]) { "--listen", listen, NULL });
  acked[0] = &watch;
  acked[1] = GINT_TO_POINTER ((int) last_seq (terminal));
  for (waited = 0; !status_acked (acked); waited++)
    {
      g_assert_cmpuint (waited, <=, 7);
      pdv_clock_advance (clock, G_TIME_SPAN_SECOND);
      run_until (status_acked, acked, 1);
    }
  g_test_message ("delivered %u s (terminal's clock) after the server came back", waited);
  g_assert_true (run_until (status_acked, acked, 60));
  g_assert_cmpint (server_last_seq (pdv_test_syncd_get_url (syncd), terminal_id (terminal)), ==, last_seq (terminal));

  g_assert_finalize_object (g_steal_pointer (&worker));
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
  status_watch_clear (&watch);
}

/* pdvctl enroll and sync, as a person would type them. */
static void
test_pdvctl (Scratch       *f,
             gconstpointer  data)
{
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *db = g_build_filename (f->dir, "terminal.db", NULL);
  g_autofree char *code = NULL;
  g_autofree char *qr = NULL;
  g_autoptr(json_t) status = NULL;
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  const char *url = pdv_test_syncd_get_url (syncd);

  {
    g_auto(PdvTestRun) run = { 0 };
    pdv_test_pdvctl (db, NULL, &run, (const char * const[]) { "enroll", url, "NOPE-NOPE", NULL });
    g_assert_cmpint (run.status, ==, 1);
    /* The server's own words. */
    g_assert_nonnull (strstr (run.err, "unknown enrolment code"));
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    qr = new_enrolment (url, "Bar 9", &code);
    pdv_test_pdvctl (db, NULL, &run, (const char * const[]) { "enroll", qr, "--name", "Bar 9", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, url));
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    pdv_test_pdvctl (db, NULL, &run, (const char * const[]) { "sync", "--status", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Queued entries:  1"));
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    pdv_test_pdvctl (db, NULL, &run, (const char * const[]) { "sync", "--once", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Pushed 1 entry"));
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    json_error_t json_error;

    pdv_test_pdvctl (db, NULL, &run, (const char * const[]) { "sync", "--status", "--json", NULL });
    g_assert_cmpint (run.status, ==, 0);
    status = json_loads (run.out, 0, &json_error);
    g_assert_nonnull (status);
    g_assert_cmpint (json_integer_value (json_object_get (status, "queued")), ==, 0);
    g_assert_true (json_is_true (json_object_get (status, "online")));
    g_assert_true (json_is_null (json_object_get (status, "last_error")));
  }

  /* In the foreground until interrupted, a line per change. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) out = g_string_new (NULL);
    g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
    const char *argv[] = { g_getenv ("PDVCTL"), "--db", db, "sync", "--poll", "1", NULL };
    gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
    int out_fd = -1, wait_status = 0;
    GPid pid;

    g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                              &out_fd, NULL, &error);
    g_assert_no_error (error);
    while (strstr (out->str, "online · 0 queued") == NULL && g_get_monotonic_time () < deadline)
      {
        char buffer[256];
        struct pollfd pfd = { .fd = out_fd, .events = POLLIN };
        ssize_t n;

        if (poll (&pfd, 1, 100) <= 0)
          continue;
        n = read (out_fd, buffer, sizeof buffer);
        if (n <= 0)
          break;
        g_string_append_len (out, buffer, n);
      }
    g_test_message ("pdvctl sync said: %s", out->str);
    g_assert_nonnull (strstr (out->str, "online · 0 queued"));
    kill (pid, SIGINT);
    g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
    g_assert_true (WIFEXITED (wait_status));
    g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
    close (out_fd);
    g_spawn_close_pid (pid);
  }

  /* The server gone: exit 1 and why. */
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
  {
    g_auto(PdvTestRun) run = { 0 };
    pdv_test_pdvctl (db, NULL, &run, (const char * const[]) { "sync", "--once", NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "Could not reach the sync server"));
  }
}

/* pdvctl with @args on @db; its exit status must be @expected. */
static void
ctl (const char  *db,
     int          expected,
     PdvTestRun  *run,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  pdv_test_pdvctl (db, NULL, run, (const char * const *) args->pdata);
  if (run->status != expected)
    g_test_message ("pdvctl said: %s%s", run->out, run->err);
  g_assert_cmpint (run->status, ==, expected);
}

static gint64
query_int64 (const char *db_path,
             const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
exec_sql (const char *db_path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The README's backup drill. A till backs up mid-shift, sells on, closes
 * Z 1, opens Z 2 and delivers everything; its disk is then replaced by the
 * backup and the cashier, not knowing, sells and closes "Z 1" again. Sync
 * then says what happened instead of failing for ever; a server that gives
 * back a tampered history is refused with the journal untouched; recovery
 * puts the history back, writes the two new entries after it (the close
 * filed under Z 2, its expected cash worked out again), every sale is in
 * the journal once, and both the terminal's and the server's chains verify
 * after the next sync. */
static void
test_restore_drill (Scratch       *f,
                    gconstpointer  data)
{
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *db = g_build_filename (f->dir, "terminal.db", NULL);
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *qr = NULL;
  g_autofree char *terminal = NULL;
  g_autoptr(GPtrArray) sale_ids = g_ptr_array_new_with_free_func (g_free);
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  const char *url = pdv_test_syncd_get_url (syncd);

  {
    g_auto(PdvTestRun) run = { 0 };
    ctl (db, 0, &run, "init", "--demo", "--name", "Bar 1", NULL);
  }
  qr = new_enrolment (url, "Bar 1", NULL);
  {
    g_auto(PdvTestRun) enrolled = { 0 }, opened = { 0 };

    ctl (db, 0, &enrolled, "enroll", qr, NULL);
    ctl (db, 0, &opened, "shift", "open", "--amount", "100", "--pin", "1111", NULL);
  }
#define SELL()                                                                                       \
  G_STMT_START {                                                                                     \
    g_auto(PdvTestRun) sold = { 0 };                                                                 \
    g_autoptr(json_t) reply = NULL;                                                                  \
    ctl (db, 0, &sold, "--json", "sell", "SA-AGUA-500", "--pay", "cash:6", NULL);                    \
    reply = json_loads (sold.out, 0, NULL);                                                          \
    g_assert_nonnull (json_string_value (json_object_get (reply, "sale_id")));                            \
    g_ptr_array_add (sale_ids, g_strdup (json_string_value (json_object_get (reply, "sale_id"))));        \
  } G_STMT_END
  SELL ();
  {
    g_auto(PdvTestRun) synced = { 0 }, saved = { 0 }, refused = { 0 };

    ctl (db, 0, &synced, "sync", "--once", NULL);
    ctl (db, 0, &saved, "backup", backup, NULL);
    g_assert_nonnull (strstr (saved.out, "7 entries"));
    /* A backup never overwrites. */
    ctl (db, 1, &refused, "backup", backup, NULL);
  }
  {
    sqlite3 *handle = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT terminal FROM journal WHERE seq = 1", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    terminal = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (handle);
  }

  SELL ();
  {
    g_auto(PdvTestRun) closed = { 0 }, opened = { 0 };

    ctl (db, 0, &closed, "shift", "close", "--amount", "112", "--pin", "1111", NULL);
    ctl (db, 0, &opened, "shift", "open", "--amount", "100", "--pin", "1111", NULL);
  }
  SELL ();
  {
    g_auto(PdvTestRun) synced = { 0 };
    ctl (db, 0, &synced, "sync", "--once", NULL);
    g_assert_nonnull (strstr (synced.out, "up to entry 11"));
  }

  /* The disk is replaced by the backup. */
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (backup, &contents, &length, NULL));
    g_unlink (wal);
    g_unlink (shm);
    g_assert_true (g_file_set_contents (db, contents, length, NULL));
  }
  SELL ();
  {
    g_auto(PdvTestRun) closed = { 0 }, synced = { 0 }, status = { 0 };

    /* The restored till believes it is still in Z 1, with one sale. */
    ctl (db, 0, &closed, "shift", "close", "--amount", "112", "--pin", "1111", NULL);
    g_assert_nonnull (strstr (closed.out, "Z 1 closed"));
    ctl (db, 1, &synced, "sync", "--once", NULL);
    g_assert_nonnull (strstr (synced.err, "restored from a backup"));
    g_assert_nonnull (strstr (synced.err, "pdvctl recover"));
  }
  /* Once the restored journal is as long as the server's copy, the server
   * refuses its first new entry: nothing is marked as delivered. */
  {
    g_auto(PdvTestRun) opened = { 0 };
    ctl (db, 0, &opened, "shift", "open", "--amount", "100", "--pin", "1111", NULL);
  }
  SELL ();
  {
    g_auto(PdvTestRun) synced = { 0 }, status = { 0 };
    g_autoptr(json_t) reply = NULL;

    ctl (db, 1, &synced, "sync", "--once", NULL);
    g_assert_nonnull (strstr (synced.err, "from entry 8 on"));
    g_assert_nonnull (strstr (synced.err, "pdvctl recover"));
    ctl (db, 0, &status, "--json", "sync", "--status", NULL);
    reply = json_loads (status.out, 0, NULL);
    g_assert_cmpint (json_integer_value (json_object_get (reply, "acked_seq")), ==, 7);
    g_assert_cmpint (json_integer_value (json_object_get (reply, "queued")), ==, 4);
    g_assert_true (json_is_true (json_object_get (reply, "diverged")));
  }
  g_assert_cmpint (query_int64 (db, "SELECT MAX (seq) FROM journal"), ==, 11);

  /* A history altered on the server is refused; nothing changes here. */
  exec_sql (server_db, "UPDATE entries SET payload = replace (payload, '\"float\":10000', '\"float\":1') WHERE seq = 10");
  {
    g_auto(PdvTestRun) refused = { 0 }, verified = { 0 };

    ctl (db, 1, &refused, "recover", NULL);
    g_assert_nonnull (strstr (refused.err, "entry 10 the server sent does not match its hash"));
    g_assert_nonnull (strstr (refused.err, "Nothing was changed"));
    ctl (db, 0, &verified, "verify", NULL);
  }
  g_assert_cmpint (query_int64 (db, "SELECT MAX (seq) FROM journal"), ==, 11);
  exec_sql (server_db, "UPDATE entries SET payload = replace (payload, '\"float\":1,', '\"float\":10000,') WHERE seq = 10");

  {
    g_auto(PdvTestRun) recovered = { 0 }, verified = { 0 }, synced = { 0 }, again = { 0 };
    g_autoptr(json_t) reply = NULL;
    g_autoptr(json_t) close_payload = NULL;
    g_autofree char *ids = NULL;
    g_autofree char *count_sql = NULL;
    g_autoptr(GString) list = g_string_new (NULL);

    ctl (db, 0, &recovered, "--json", "recover", NULL);
    reply = json_loads (recovered.out, 0, NULL);
    g_assert_nonnull (reply);
    g_assert_cmpint (json_integer_value (json_object_get (reply, "common_seq")), ==, 7);
    g_assert_cmpint (json_integer_value (json_object_get (reply, "recovered")), ==, 4);
    g_assert_cmpint (json_integer_value (json_object_get (reply, "rewritten")), ==, 4);
    g_assert_cmpint (json_integer_value (json_object_get (reply, "marker_seq")), ==, 12);
    g_assert_cmpint (json_integer_value (json_object_get (reply, "last_seq")), ==, 16);
    g_assert_true (json_is_true (json_object_get (reply, "state_ok")));

    /* Every sale, made before or after the restore, is in the journal once. */
    for (guint i = 0; i < sale_ids->len; i++)
      g_string_append_printf (list, "%s'%s'", i > 0 ? ", " : "", (const char *) g_ptr_array_index (sale_ids, i));
    count_sql = g_strdup_printf ("SELECT COUNT (*) FROM journal WHERE kind = 'sale' AND id IN (%s)", list->str);
    g_assert_cmpint (sale_ids->len, ==, 5);
    g_assert_cmpint (query_int64 (db, count_sql), ==, 5);
    g_assert_cmpint (query_int64 (db, "SELECT COUNT (*) FROM journal WHERE kind = 'sale'"), ==, 5);
    /* The restored till's close is Z 2's now, the drawer's cash worked out
     * with the history's sale in it; as first written it is kept. */
    g_assert_cmpint (query_int64 (db, "SELECT json_extract (payload, '$.z') FROM journal WHERE seq = 14"), ==, 2);
    g_assert_cmpint (query_int64 (db, "SELECT json_extract (payload, '$.restored.z') FROM journal WHERE seq = 14"), ==, 1);
    g_assert_cmpint (query_int64 (db, "SELECT json_extract (payload, '$.restored.seq') FROM journal WHERE seq = 14"), ==, 9);
    g_assert_cmpint (query_int64 (db, "SELECT json_extract (payload, '$.expected') FROM journal WHERE seq = 14"), ==, 11200);
    g_assert_cmpint (query_int64 (db, "SELECT COUNT (*) FROM journal_replaced WHERE seq - 8 = new_seq - 13"), ==, 4);
    /* The shift the restored till opened after it is Z 3, open. */
    g_assert_cmpint (query_int64 (db, "SELECT json_extract (payload, '$.z') FROM journal WHERE seq = 15"), ==, 3);
    g_assert_cmpint (query_int64 (db, "SELECT current_z FROM shift_state WHERE open_seq = 15"), ==, 3);

    /* A sale written again keeps, for people, the number on its receipt. */
    {
      g_auto(PdvTestRun) receipt = { 0 };

      ctl (db, 0, &receipt, "receipt", (const char *) g_ptr_array_index (sale_ids, 3), NULL);
      g_assert_nonnull (strstr (receipt.out, "BAR1-000008"));
      g_assert_null (strstr (receipt.out, "BAR1-000013"));
    }
    ctl (db, 0, &verified, "verify", NULL);
    ctl (db, 0, &synced, "sync", "--once", NULL);
    g_assert_nonnull (strstr (synced.out, "up to entry 16"));
    assert_server_chain (server_db, terminal, 16);
    ctl (db, 0, &again, "recover", NULL);
    g_assert_nonnull (strstr (again.out, "Nothing to recover"));
  }
#undef SELL
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

/* ---- Trust without a CA -------------------------------------------------- */

static void
openssl (const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  int wait_status = 0;

  /* openssl comes with Debian's ca-certificates. */
  g_ptr_array_add (argv, g_find_program_in_path ("openssl"));
  g_assert_nonnull (g_ptr_array_index (argv, 0));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

static gboolean
accept_any_cb (SoupMessage          *message,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  errors,
               gpointer              data)
{
  return TRUE;
}

/* The admin's side, over HTTPS with a certificate no authority signed. */
static json_t *
enrolment_over_tls (const char *server,
                    const char *name)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (server, "/v1/admin/enrolments", NULL);
  g_autofree char *body = g_strdup_printf ("{\"terminal_name\": \"%s\"}", name);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", "Bearer " ADMIN_TOKEN);
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  response = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 201);
  return json_loadb (g_bytes_get_data (response, NULL), g_bytes_get_size (response), 0, NULL);
}

static char *
file_sha256 (const char *pem_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (pem_path, &error);
  g_autoptr(GByteArray) der = NULL;

  g_assert_no_error (error);
  g_object_get (certificate, "certificate", &der, NULL);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

/* An event's own server over HTTPS, its certificate signed by no public
 * authority. The enrolment text carries the certificate's fingerprint: the
 * terminal checks it before sending the code and trusts that certificate
 * only — a text naming another is refused before the code leaves, and the
 * code is still good. Or a manager gives the event's own authority
 * (--cacert), which signed the server's certificate for its address; the
 * system's authorities alone do not do. A server that comes back with
 * another certificate gets nothing. */
static void
test_trust (Scratch       *f,
            gconstpointer  data)
{
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *pinned_db = g_build_filename (f->dir, "pinned.db", NULL);
  g_autofree char *ca_db = g_build_filename (f->dir, "ca.db", NULL);
  g_autofree char *ca_key = g_build_filename (f->dir, "ca.key", NULL);
  g_autofree char *ca_pem = g_build_filename (f->dir, "ca.pem", NULL);
  g_autofree char *server_key = g_build_filename (f->dir, "server.key", NULL);
  g_autofree char *server_csr = g_build_filename (f->dir, "server.csr", NULL);
  g_autofree char *server_pem = g_build_filename (f->dir, "server.pem", NULL);
  g_autofree char *other_key = g_build_filename (f->dir, "other.key", NULL);
  g_autofree char *other_pem = g_build_filename (f->dir, "other.pem", NULL);
  g_autofree char *extensions = g_build_filename (f->dir, "san.cnf", NULL);
  g_autofree char *fingerprint = NULL;
  g_autofree char *other_fingerprint = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *port = NULL;
  g_autoptr(json_t) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  PdvTestSyncd *syncd;
  const char *qr;

  g_file_set_contents (extensions, "subjectAltName=IP:127.0.0.1\n", -1, &error);
  g_assert_no_error (error);
  openssl ((const char * const[]) { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                                    "/CN=Festival Test CA", "-keyout", ca_key, "-out", ca_pem, NULL });
  openssl ((const char * const[]) { "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
                                    server_key, "-out", server_csr, NULL });
  openssl ((const char * const[]) { "x509", "-req", "-in", server_csr, "-CA", ca_pem, "-CAkey", ca_key,
                                    "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", server_pem,
                                    NULL });
  openssl ((const char * const[]) { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                                    "/CN=127.0.0.1", "-keyout", other_key, "-out", other_pem, NULL });
  fingerprint = file_sha256 (server_pem);
  other_fingerprint = file_sha256 (other_pem);

  syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN,
                                (const char * const[]) { "--tls-cert", server_pem, "--tls-key", server_key, NULL });
  g_assert_true (g_str_has_prefix (pdv_test_syncd_get_url (syncd), "https://"));
  port = g_strdup (strrchr (pdv_test_syncd_get_url (syncd), ':') + 1);
  {
    g_auto(PdvTestRun) run = { 0 };
    ctl (pinned_db, 0, &run, "init", "--demo", "--name", "Bar 1", NULL);
    pdv_test_run_clear (&run);
    ctl (ca_db, 0, &run, "init", "--demo", "--name", "Bar 2", NULL);
  }

  /* The text names the certificate the server serves. */
  enrolment = enrolment_over_tls (pdv_test_syncd_get_url (syncd), "Bar 1");
  qr = json_string_value (json_object_get (enrolment, "qr"));
  g_test_message ("enrolment text: %s", qr);
  g_assert_true (g_str_has_suffix (qr, fingerprint));
  g_assert_nonnull (strstr (qr, "#sha256:"));

  /* Another certificate's fingerprint: refused before the code is sent. */
  forged = g_strndup (qr, strlen (qr) - 64);
  {
    g_autofree char *text = g_strconcat (forged, other_fingerprint, NULL);
    g_auto(PdvTestRun) refused = { 0 }, enrolled = { 0 }, sold = { 0 }, synced = { 0 };

    ctl (pinned_db, 1, &refused, "enroll", text, NULL);
    g_assert_nonnull (strstr (refused.err, "other than the one this terminal trusts"));
    g_assert_nonnull (strstr (refused.err, "nothing was sent"));
    /* The code never left: it still enrols, with the true text. */
    ctl (pinned_db, 0, &enrolled, "enroll", qr, NULL);
    ctl (pinned_db, 0, &sold, "shift", "open", "--amount", "100", "--pin", "1111", NULL);
    ctl (pinned_db, 0, &synced, "sync", "--once", NULL);
    g_assert_nonnull (strstr (synced.out, "Pushed"));
  }

  /* The administrator's pdvctl trusts the same two ways. */
  {
    g_autofree char *token_file = g_build_filename (f->dir, "admin-token", NULL);
    g_auto(PdvTestRun) unknown = { 0 }, pinned = { 0 }, signed_by = { 0 };

    g_file_set_contents (token_file, ADMIN_TOKEN, -1, &error);
    g_assert_no_error (error);
    ctl (pinned_db, 1, &unknown, "admin", "enrolment", "Bar 3", "--server", pdv_test_syncd_get_url (syncd),
         "--token-file", token_file, NULL);
    ctl (pinned_db, 0, &pinned, "admin", "enrolment", "Bar 3", "--server", pdv_test_syncd_get_url (syncd),
         "--token-file", token_file, "--sha256", fingerprint, NULL);
    g_assert_nonnull (strstr (pinned.out, fingerprint));
    ctl (pinned_db, 0, &signed_by, "admin", "enrolment", "Bar 4", "--server", pdv_test_syncd_get_url (syncd),
         "--token-file", token_file, "--cacert", ca_pem, NULL);
  }

  /* A code typed with the address: the system's authorities do not know
   * this server; the event's own authority does. */
  {
    g_autoptr(json_t) second = enrolment_over_tls (pdv_test_syncd_get_url (syncd), "Bar 2");
    const char *code = json_string_value (json_object_get (second, "code"));
    g_auto(PdvTestRun) unknown = { 0 }, enrolled = { 0 }, synced = { 0 }, bad_ca = { 0 };

    ctl (ca_db, 1, &unknown, "enroll", pdv_test_syncd_get_url (syncd), code, NULL);
    g_assert_nonnull (strstr (unknown.err, "Could not reach the sync server"));
    ctl (ca_db, 1, &bad_ca, "enroll", "--cacert", extensions, pdv_test_syncd_get_url (syncd), code, NULL);
    g_assert_nonnull (strstr (bad_ca.err, "certificate authority"));
    ctl (ca_db, 0, &enrolled, "enroll", "--cacert", ca_pem, pdv_test_syncd_get_url (syncd), code, NULL);
    ctl (ca_db, 0, &synced, "sync", "--once", NULL);
  }
  {
    g_auto(PdvTestRun) system = { 0 };

    ctl (ca_db, 1, &system, "sync", "--once", "--system-ca", NULL);
    g_assert_nonnull (strstr (system.err, "Could not reach the sync server"));
  }

  /* The server comes back with another certificate on the same address:
   * neither terminal sends it anything. */
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
  {
    g_autofree char *listen = g_strdup_printf ("127.0.0.1:%s", port);

    syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN,
                                  (const char * const[]) { "--listen", listen, "--tls-cert", other_pem,
                                                           "--tls-key", other_key, NULL });
  }
  {
    g_auto(PdvTestRun) pinned = { 0 }, signed_by = { 0 }, status = { 0 };
    g_autoptr(json_t) reply = NULL;

    ctl (pinned_db, 1, &pinned, "sync", "--once", NULL);
    g_assert_nonnull (strstr (pinned.err, other_fingerprint));
    g_assert_nonnull (strstr (pinned.err, "enrol again"));
    ctl (ca_db, 0, &status, "sync", "--cacert", ca_pem, "--status", NULL);
    ctl (ca_db, 1, &signed_by, "sync", "--once", NULL);
    g_assert_nonnull (strstr (signed_by.err, "did not sign"));
  }
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

/* The server put back from a backup: terminals send again what it lost,
 * and a gate that had pulled past the backup's end still hears of every
 * admission made since — new changes are numbered above any it saw. */
static void
test_server_restored (Scratch       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) gate_a = new_terminal (f->dir, "Portão A");
  g_autoptr(PdvContext) gate_b = new_terminal (f->dir, "Portão B");
  g_autofree char *server_db = g_build_filename (f->dir, "server.db", NULL);
  g_autofree char *backup = g_build_filename (f->dir, "server-backup.db", NULL);
  g_autofree char *listen = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(json_t) imported = NULL;
  g_autoptr(PdvCheckinResult) first = NULL;
  g_autoptr(PdvCheckinResult) second = NULL;
  g_autoptr(PdvCheckinResult) third = NULL;
  g_autoptr(PdvCheckinResult) again = NULL;
  g_auto(PdvSyncSummary) summary = { 0 };
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  gsize length = 0;

  listen = g_strdup_printf ("127.0.0.1:%s", strrchr (pdv_test_syncd_get_url (syncd), ':') + 1);
  imported = admin_request (pdv_test_syncd_get_url (syncd), "POST", "/v1/admin/import", tickets_document, 201);
  enrol (gate_a, pdv_test_syncd_get_url (syncd));
  enrol (gate_b, pdv_test_syncd_get_url (syncd));
  sync_once (gate_a, &summary);
  sync_once (gate_b, &summary);
  first = scan (gate_a, REENTRY_SECRET, "Portão A", PDV_CHECKIN_ENTRY, "2026-12-12T21:00:00-03:00");
  g_assert_cmpint (first->verdict, ==, PDV_CHECKIN_VALID);
  sync_once (gate_a, &summary);
  sync_once (gate_b, &summary);
  g_assert_cmpint (summary.checkins, ==, 1);

  /* The backup, taken with the server stopped. */
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
  g_file_get_contents (server_db, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (backup, contents, length, &error);
  g_assert_no_error (error);
  syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, (const char * const[]) { "--listen", listen, NULL });

  /* After it: an exit at gate A and a list the administrator sends again,
   * both pulled by gate B. */
  second = scan (gate_a, REENTRY_SECRET, "Portão A", PDV_CHECKIN_EXIT, "2026-12-12T21:05:00-03:00");
  sync_once (gate_a, &summary);
  g_clear_pointer (&imported, json_decref);
  imported = admin_request (pdv_test_syncd_get_url (syncd), "POST", "/v1/admin/import", tickets_document, 201);
  sync_once (gate_b, &summary);
  g_assert_cmpint (summary.checkins, ==, 1);
  g_assert_cmpint (summary.documents, ==, 1);

  /* The server's disk is replaced by the backup. */
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
  {
    g_autofree char *wal = g_strconcat (server_db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (server_db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_file_set_contents (server_db, contents, length, &error);
    g_assert_no_error (error);
  }
  syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, (const char * const[]) { "--listen", listen, NULL });
  g_assert_cmpint (server_last_seq (pdv_test_syncd_get_url (syncd), terminal_id (gate_a)), <, last_seq (gate_a));

  /* Gate A sends again what the server lost, and a new admission; gate B,
   * whose cursor is past the backup's end (the list it pulled is not there
   * any more), still hears of it, and refuses the ticket. */
  third = scan (gate_a, SINGLE_SECRET, "Portão A", PDV_CHECKIN_ENTRY, "2026-12-12T21:10:00-03:00");
  g_assert_cmpint (third->verdict, ==, PDV_CHECKIN_VALID);
  sync_once (gate_a, &summary);
  g_assert_cmpint (server_last_seq (pdv_test_syncd_get_url (syncd), terminal_id (gate_a)), ==, last_seq (gate_a));
  sync_once (gate_b, &summary);
  g_assert_cmpint (query_int (pdv_context_get_db (gate_b),
                              "SELECT COUNT (*) FROM remote_checkins WHERE ticket_id = '" SINGLE_ID "'"), ==, 1);
  again = scan (gate_b, SINGLE_SECRET, "Portão B", PDV_CHECKIN_ENTRY, "2026-12-12T21:20:00-03:00");
  g_assert_cmpint (again->verdict, ==, PDV_CHECKIN_ALREADY_USED);
  assert_server_chain (server_db, terminal_id (gate_a), last_seq (gate_a));
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

/* A venue of capacity 10 with three gates against a real server: each gate
 * counts every gate's admissions and exits once it has pulled them, the
 * eleventh person is refused at a gate that admitted no one, and an exit at
 * one gate frees a place at another. */
static char *
venue_secret (int i)
{
  return g_strdup_printf ("VenueSecret%011d", i);
}

static char *
venue_tickets (void)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": [");

  for (int i = 1; i <= 14; i++)
    {
      g_autofree char *secret = venue_secret (i);

      g_string_append_printf (json, "%s{\"id\": \"V%03d\", \"secret\": \"%s\", \"order_code\": \"NV-V%03d\", \"holder_name\": \"Pessoa %d\","
                              " \"type\": \"Pista\", \"zone\": \"%s\", \"entry_policy\": \"reentry\","
                              " \"valid_from\": \"2026-12-12T17:00:00-03:00\","
                              " \"valid_until\": \"2026-12-13T05:00:00-03:00\", \"status\": \"valid\"}",
                              i > 1 ? ", " : "", i, secret, i, i, i % 5 == 0 ? "vip" : "general");
    }
  g_string_append (json, "]}");
  return g_string_free (g_steal_pointer (&json), FALSE);
}

static gint64
venue_inside (PdvContext *context,
              PdvOccupancy *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckin) checkin = pdv_checkin_new (pdv_context_get_journal (context));
  PdvOccupancy occupancy;

  g_assert_true (pdv_checkin_get_occupancy (checkin, &occupancy, &error));
  g_assert_no_error (error);
  if (out != NULL)
    *out = occupancy;
  return occupancy.inside;
}

static gint64
zone_inside (PdvContext *context,
             const char *zone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckin) checkin = pdv_checkin_new (pdv_context_get_journal (context));
  g_autoptr(GPtrArray) zones = pdv_checkin_list_occupancy (checkin, PDV_OCCUPANCY_BY_ZONE, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < zones->len; i++)
    {
      PdvOccupancyPart *part = g_ptr_array_index (zones, i);

      if (g_str_equal (part->name, zone))
        return part->inside;
    }
  return 0;
}

static void
test_venue_occupancy (Scratch       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) gate_a = new_terminal (f->dir, "Portão A");
  g_autoptr(PdvContext) gate_b = new_terminal (f->dir, "Portão B");
  g_autoptr(PdvContext) gate_c = new_terminal (f->dir, "Portão C");
  g_autofree char *server_db = g_build_filename (f->dir, "venue-server.db", NULL);
  g_autofree char *tickets = venue_tickets ();
  g_autofree char *event = NULL;
  g_autoptr(json_t) event_json = NULL;
  g_autoptr(json_t) imported = NULL;
  g_auto(PdvSyncSummary) summary = { 0 };
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  const char *url = pdv_test_syncd_get_url (syncd);
  PdvContext *gates[] = { gate_a, gate_b, gate_c };
  PdvOccupancy occupancy;

  {
    g_autofree char *path = g_build_filename (pdv_test_demo_dir (), "event.json", NULL);

    event_json = json_load_file (path, 0, NULL);
    g_assert_nonnull (event_json);
    json_object_set_new (json_object_get (event_json, "event"), "capacity", json_integer (10));
    event = json_dumps (event_json, JSON_COMPACT);
  }
  imported = admin_request (url, "POST", "/v1/admin/import", event, 201);
  g_clear_pointer (&imported, json_decref);
  imported = admin_request (url, "POST", "/v1/admin/import", tickets, 201);
  for (guint g = 0; g < G_N_ELEMENTS (gates); g++)
    {
      enrol (gates[g], url);
      sync_once (gates[g], &summary);
      /* Enrolled, but nothing heard of the others' scans yet: still a venue of one. */
      g_assert_cmpint (venue_inside (gates[g], &occupancy), ==, 0);
      g_assert_true (occupancy.shared);
      g_assert_cmpint (occupancy.capacity, ==, 10);
    }

  /* Offline, six in at A and four at B: each gate alone thinks there is room. */
  for (int i = 1; i <= 10; i++)
    {
      g_autofree char *secret = venue_secret (i);
      g_autofree char *when = g_strdup_printf ("2026-12-12T21:%02d:00-03:00", i);
      g_autoptr(PdvCheckinResult) result = scan (i <= 6 ? gate_a : gate_b, secret, i <= 6 ? "Portão A" : "Portão B",
                                                 PDV_CHECKIN_ENTRY, when);

      g_assert_cmpint (result->verdict, ==, PDV_CHECKIN_VALID);
    }
  g_assert_cmpint (venue_inside (gate_a, NULL), ==, 6);
  g_assert_cmpint (venue_inside (gate_b, NULL), ==, 4);

  /* Once every gate has pushed and pulled, each counts the venue. */
  for (guint round = 0; round < 2; round++)
    for (guint g = 0; g < G_N_ELEMENTS (gates); g++)
      sync_once (gates[g], &summary);
  for (guint g = 0; g < G_N_ELEMENTS (gates); g++)
    {
      g_assert_cmpint (venue_inside (gates[g], &occupancy), ==, 10);
      g_assert_cmpint (occupancy.others_as_of, >, 0);
      g_assert_cmpint (zone_inside (gates[g], "vip"), ==, 2);
      g_assert_cmpint (zone_inside (gates[g], "general"), ==, 8);
    }
  g_assert_cmpint (occupancy.gate_inside, ==, 0);

  /* Gate C admitted no one and still refuses the eleventh. */
  {
    g_autofree char *secret = venue_secret (11);
    g_autoptr(PdvCheckinResult) result = scan (gate_c, secret, "Portão C", PDV_CHECKIN_ENTRY,
                                               "2026-12-12T21:30:00-03:00");

    g_assert_cmpint (result->verdict, ==, PDV_CHECKIN_CAPACITY_FULL);
    g_assert_cmpstr (result->message, ==, "Venue full: 10 of 10 inside");
  }

  /* Someone who came in at B leaves through A; after a sync, C has room again. */
  {
    g_autofree char *secret = venue_secret (7);
    g_autoptr(PdvCheckinResult) result = scan (gate_a, secret, "Portão A", PDV_CHECKIN_EXIT,
                                               "2026-12-12T21:40:00-03:00");

    g_assert_cmpint (result->verdict, ==, PDV_CHECKIN_EXITED);
    g_assert_cmpint (result->inside, ==, 9);
  }
  sync_once (gate_a, &summary);
  sync_once (gate_c, &summary);
  g_assert_cmpint (venue_inside (gate_c, NULL), ==, 9);

  /* C last heard from the other gates at 21:30 (its clock when it synced).
   * At 21:45 its count is stale: near capacity it refuses early, 5 % short
   * of it, as gates do unless set otherwise. */
  {
    g_autofree char *secret = venue_secret (11);
    g_autoptr(PdvCheckinResult) result = scan (gate_c, secret, "Portão C", PDV_CHECKIN_ENTRY,
                                               "2026-12-12T21:45:00-03:00");

    g_assert_cmpint (result->verdict, ==, PDV_CHECKIN_CAPACITY_FULL);
    g_assert_cmpstr (result->message, ==, "Venue may be full: other gates not heard from for 15 minutes");
    g_assert_cmpstr (result->detail, ==,
                     "Until they are heard from, entries stop at 9 of 10 (9 inside as far as this gate knows)");
  }

  /* Set to warn only, it admits up to capacity, and says the count is old. */
  {
    g_autofree char *secret = venue_secret (11);
    g_autoptr(PdvCheckinResult) result = NULL;
    g_auto(PdvGateProfile) profile = { 0 };

    pdv_gate_profile_load (pdv_context_get_db (gate_c), &profile);
    g_assert_cmpint (profile.stale_capacity, ==, PDV_STALE_REFUSE_EARLY);
    g_assert_cmpuint (profile.stale_margin, ==, 5);
    profile.stale_capacity = PDV_STALE_WARN_ONLY;
    g_assert_true (pdv_gate_profile_save (pdv_context_get_db (gate_c), &profile, &error));
    g_assert_true (pdv_journal_record_setting (pdv_context_get_journal (gate_c), NULL, "gate", "warn only", &error));
    g_assert_no_error (error);
    result = scan (gate_c, secret, "Portão C", PDV_CHECKIN_ENTRY, "2026-12-12T21:46:00-03:00");
    g_assert_cmpint (result->verdict, ==, PDV_CHECKIN_VALID);
    g_assert_true (result->warnings & PDV_CHECKIN_WARNING_CAPACITY_FULL);
    g_assert_nonnull (strstr (result->detail, "Other gates not heard from for 16 minutes: the venue may be fuller"));
    g_assert_cmpint (result->inside, ==, 10);
  }

  /* The server's report says who is inside now, per zone, as the gates do. */
  sync_once (gate_c, &summary);
  {
    json_t *report = admin_request (url, "GET", "/v1/admin/report", NULL, 200);
    json_t *zones = json_object_get (report, "zones");
    json_t *zone;
    gint64 sum = 0;
    size_t z;

    g_assert_cmpint (json_integer_value (json_object_get (report, "inside")), ==, 10);
    json_array_foreach (zones, z, zone)
      {
        const char *name = json_string_value (json_object_get (zone, "zone"));
        gint64 inside = json_integer_value (json_object_get (zone, "inside"));

        g_assert_cmpint (inside, ==, zone_inside (gate_c, name));
        sum += inside;
      }
    g_assert_cmpint (sum, ==, 10);
    g_assert_cmpuint (json_array_size (zones), ==, 2);
    json_decref (report);
  }

  /* A rebuild from the journal keeps what was heard from the other gates. */
  g_assert_true (pdv_journal_rebuild (pdv_context_get_journal (gate_c), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (venue_inside (gate_c, NULL), ==, 10);
  for (guint g = 0; g < G_N_ELEMENTS (gates); g++)
    {
      g_assert_true (pdv_journal_verify_projections (pdv_context_get_journal (gates[g]), &error));
      g_assert_no_error (error);
      assert_journal_intact (gates[g], last_seq (gates[g]));
    }
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

/* A list larger than a request may be goes in parts: pdvctl admin import
 * splits it, the server keeps each part, pull pages stay under their byte
 * limit, and the terminal ends with every ticket. */
#define LARGE_LIST 36000

static void
test_large_list (Scratch       *f,
                 gconstpointer  data)
{
  g_autoptr(PdvContext) terminal = new_terminal (f->dir, "Portão L");
  g_autofree char *server_db = g_build_filename (f->dir, "large-server.db", NULL);
  g_autofree char *list = g_build_filename (f->dir, "ingressos.csv", NULL);
  g_autofree char *token = g_build_filename (f->dir, "admin-token", NULL);
  g_autofree char *db = g_strdup (pdv_db_get_path (pdv_context_get_db (terminal)));
  g_autoptr(GString) csv = g_string_new ("id,secret,order_code,holder_name,type,zone\n");
  g_autoptr(GError) error = NULL;
  g_auto(PdvSyncSummary) summary = { 0 };
  g_auto(PdvTestRun) run = { 0 };
  PdvTestSyncd *syncd = pdv_test_syncd_start (server_db, ADMIN_TOKEN, NULL);
  const char *url = pdv_test_syncd_get_url (syncd);
  guint before = pdv_context_count_tickets (terminal);

  for (int i = 0; i < LARGE_LIST; i++)
    g_string_append_printf (csv, "L%06d,large-list-secret-%06d,NV-L%05d,Participante %d da Silva Santos,Pista,general\n",
                            i, i, i / 4, i);
  /* As one document it would be well over the server's 4 MiB. */
  g_assert_cmpuint (csv->len * 2, >, 4 * 1024 * 1024);
  g_assert_true (g_file_set_contents (list, csv->str, csv->len, &error));
  g_assert_true (g_file_set_contents (token, ADMIN_TOKEN, -1, &error));
  g_assert_no_error (error);

  pdv_test_pdvctl (db, NULL, &run, (const char * const[]) { "admin", "import", "--server", url,
                                                            "--token-file", token, list, NULL });
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "ingressos.csv: part 8 (1000) sent to every terminal"));

  enrol (terminal, url);
  sync_once (terminal, &summary);
  g_assert_cmpint (summary.documents, ==, 8);
  g_assert_cmpuint (pdv_context_count_tickets (terminal), ==, before + LARGE_LIST);
  {
    g_autoptr(GPtrArray) found = pdv_ticket_search (pdv_context_get_db (terminal), "L035999", 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (((PdvTicketInfo *) g_ptr_array_index (found, 0))->holder_name, ==,
                     "Participante 35999 da Silva Santos");
  }
  assert_journal_intact (terminal, last_seq (terminal));
  g_assert_cmpint (pdv_test_syncd_stop (syncd), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/door/remote-admission", Fixture, "demo", fixture_set_up, test_door_remote_admission,
              fixture_tear_down);
  g_test_add_func ("/sync/enrolment/text", test_enrolment_text);
  g_test_add ("/sync/errors/unreachable", Fixture, NULL, fixture_set_up, test_unreachable, fixture_tear_down);
  g_test_add ("/sync/errors/garbage-server", Fixture, NULL, fixture_set_up, test_garbage_server,
              fixture_tear_down);
  g_test_add ("/sync/protocol/faults", Fixture, NULL, fixture_set_up, test_protocol_faults, fixture_tear_down);
  g_test_add ("/sync/server/offline-backlog", Scratch, NULL, scratch_set_up, test_offline_backlog,
              scratch_tear_down);
  g_test_add ("/sync/server/crash-and-lost-answer", Scratch, NULL, scratch_set_up, test_server_crash,
              scratch_tear_down);
  g_test_add ("/sync/server/double-admission/sqlite", Scratch, NULL, scratch_set_up,
              test_double_admission_sqlite, scratch_tear_down);
  g_test_add ("/sync/server/double-admission/postgresql", Scratch, NULL, scratch_set_up,
              test_double_admission_postgres, scratch_tear_down);
  g_test_add ("/sync/server/failover", Scratch, NULL, scratch_set_up, test_failover, scratch_tear_down);
  g_test_add ("/sync/fichas/sqlite", Scratch, NULL, scratch_set_up, test_fichas_sqlite, scratch_tear_down);
  g_test_add ("/sync/fichas/postgresql", Scratch, NULL, scratch_set_up, test_fichas_postgres, scratch_tear_down);
  g_test_add ("/sync/panel/sqlite", Scratch, NULL, scratch_set_up, test_panel_sqlite, scratch_tear_down);
  g_test_add ("/sync/panel/postgresql", Scratch, NULL, scratch_set_up, test_panel_postgres, scratch_tear_down);
  g_test_add ("/sync/door/venue-occupancy", Scratch, NULL, scratch_set_up, test_venue_occupancy,
              scratch_tear_down);
  g_test_add ("/sync/large-list", Scratch, NULL, scratch_set_up, test_large_list, scratch_tear_down);
  g_test_add ("/sync/worker/thread", Scratch, NULL, scratch_set_up, test_worker, scratch_tear_down);
  g_test_add ("/sync/worker/hears-other-gates", Scratch, NULL, scratch_set_up, test_worker_hears, scratch_tear_down);
  g_test_add ("/sync/worker/outage", Scratch, NULL, scratch_set_up, test_worker_outage, scratch_tear_down);
  g_test_add ("/sync/pdvctl", Scratch, NULL, scratch_set_up, test_pdvctl, scratch_tear_down);
  g_test_add ("/sync/restore-drill", Scratch, NULL, scratch_set_up, test_restore_drill, scratch_tear_down);
  g_test_add ("/sync/trust", Scratch, NULL, scratch_set_up, test_trust, scratch_tear_down);
  g_test_add ("/sync/server/restored-from-backup", Scratch, NULL, scratch_set_up, test_server_restored,
              scratch_tear_down);

  return g_test_run ();
}

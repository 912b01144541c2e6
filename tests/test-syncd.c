/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdv-checkin.h"
#include "pdv-import.h"
#include "pdv-sale.h"
#include "pdv-sync-codec.h"
#include "pdv-test-servers.h"
#include "pdv-test-util.h"
#include "pdv-users.h"

#define ADMIN_TOKEN "test-admin-token-7f3a"
#define MANAGER_PIN "9999"

typedef enum {
  BACKEND_SQLITE,
  BACKEND_POSTGRESQL,
} Backend;

/* One cluster for the whole program; each test gets a database of its own. */
static PdvTestPostgres *postgres;
static char *postgres_problem;
static guint n_databases;
static char *manager_pin_hash;

typedef struct {
  Backend       backend;
  char         *dir;
  char         *db;
  PdvTestSyncd *syncd;
  SoupSession  *session;
  GPtrArray    *terminals;
} Fixture;

typedef struct {
  char       *dir;
  PdvContext *context;
  char       *id;
  char       *name;
  char       *token;
} Terminal;

typedef struct {
  guint   status;
  json_t *json;
  char   *text;
  char   *retry_after;
} Response;

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->json, json_decref);
  g_clear_pointer (&response->text, g_free);
  g_clear_pointer (&response->retry_after, g_free);
  response->status = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

static void
terminal_free (Terminal *terminal)
{
  g_assert_finalize_object (terminal->context);
  pdv_test_remove_tree (terminal->dir);
  g_free (terminal->dir);
  g_free (terminal->id);
  g_free (terminal->name);
  g_free (terminal->token);
  g_free (terminal);
}

/* Sends one request; FALSE with @error when no answer came. */
static gboolean
send_request (SoupSession  *session,
              const char   *base_url,
              const char   *method,
              const char   *path,
              const char   *token,
              const char   *body,
              gssize        length,
              Response     *out,
              GError      **error)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  const char *type;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  answer = soup_session_send_and_read (session, msg, NULL, error);
  if (answer == NULL)
    return FALSE;

  out->status = soup_message_get_status (msg);
  out->text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  out->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                             "Retry-After"));
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (g_strcmp0 (type, "application/json") == 0)
    {
      json_error_t json_error;

      out->json = json_loads (out->text, 0, &json_error);
      if (out->json == NULL)
        g_error ("%s %s answered %u with bad JSON (%s): %s", method, path, out->status, json_error.text, out->text);
    }
  g_test_message ("%s %s → %u %.300s", method, path, out->status, out->text);
  return TRUE;
}

static void
call_raw (Fixture    *f,
          const char *method,
          const char *path,
          const char *token,
          const char *body,
          gssize      length,
          Response   *out)
{
  g_autoptr(GError) error = NULL;

  send_request (f->session, pdv_test_syncd_get_url (f->syncd), method, path, token, body, length, out, &error);
  g_assert_no_error (error);
}

static void
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      json_t     *body,
      Response   *out)
{
  g_autofree char *text = body ? pdv_canonical_json (body) : NULL;

  call_raw (f, method, path, token, text, -1, out);
}

/* An error answer: its status, and the protocol's error body. */
static void
assert_error (const Response *response,
              guint           status,
              const char     *code)
{
  json_t *error = json_object_get (response->json, "error");

  g_assert_cmpuint (response->status, ==, status);
  g_assert_true (json_is_object (error));
  g_assert_cmpstr (json_string_value (json_object_get (error, "code")), ==, code);
  g_assert_true (json_is_string (json_object_get (error, "message")));
}

static void
assert_healthy (Fixture *f)
{
  g_auto(Response) response = { 0 };

  call (f, "GET", "/v1/health", NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpstr (json_string_value (json_object_get (response.json, "status")), ==, "ok");
  g_assert_cmpstr (json_string_value (json_object_get (response.json, "storage")), ==,
                   f->backend == BACKEND_SQLITE ? "sqlite" : "postgresql");
}

static char *
new_database (Fixture *f)
{
  g_autofree char *name = NULL;

  if (f->backend == BACKEND_SQLITE)
    return g_build_filename (f->dir, "syncd.db", NULL);
  name = g_strdup_printf ("syncd_%u", ++n_databases);
  return pdv_test_postgres_create_database (postgres, name);
}

static PdvTestSyncd *
start_server (Fixture            *f,
              const char * const *extra_args)
{
  static const char * const fast[] = { "--rate-limit", "1000", NULL };

  return pdv_test_syncd_start (f->db, ADMIN_TOKEN, extra_args ? extra_args : fast);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->backend = GPOINTER_TO_INT (data);
  if (f->backend == BACKEND_POSTGRESQL && postgres == NULL)
    {
      g_test_skip (postgres_problem);
      return;
    }
  f->dir = pdv_test_make_tmpdir ();
  f->db = new_database (f);
  f->syncd = start_server (f, NULL);
  f->session = soup_session_new ();
  soup_session_set_timeout (f->session, 120);
  f->terminals = g_ptr_array_new_with_free_func ((GDestroyNotify) terminal_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir == NULL)
    return;
  g_clear_pointer (&f->terminals, g_ptr_array_unref);
  g_clear_object (&f->session);
  /* A clean exit: no crash, no sanitizer report. */
  if (f->syncd != NULL)
    g_assert_cmpint (pdv_test_syncd_stop (f->syncd), ==, 0);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static const char *
skip_if_unavailable (Fixture *f)
{
  return f->dir == NULL ? "skip" : NULL;
}

static void
import_text (Terminal   *terminal,
             const char *name,
             const char *text)
{
  g_autoptr(GError) error = NULL;

  pdv_import_data (pdv_context_get_journal (terminal->context), name, text, strlen (text),
                   PDV_IMPORT_KIND_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
}

static const char tickets_json[] =
  "{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": ["
  "{\"id\": \"TS1\", \"secret\": \"single-secret-1\", \"order_code\": \"ORD-1\", \"holder_name\": \"Ana Lima\","
  " \"type\": \"Pista\", \"zone\": \"general\", \"entry_policy\": \"single\"},"
  "{\"id\": \"TS2\", \"secret\": \"single-secret-2\", \"order_code\": \"ORD-2\", \"holder_name\": \"Bia Reis\","
  " \"type\": \"Pista\", \"zone\": \"general\", \"entry_policy\": \"single\"},"
  "{\"id\": \"TM1\", \"secret\": \"multi-secret-1\", \"order_code\": \"ORD-3\", \"holder_name\": \"Caio Melo\","
  " \"type\": \"Staff\", \"zone\": \"general\", \"entry_policy\": \"multi\"},"
  "{\"id\": \"TR1\", \"secret\": \"reentry-secret-1\", \"order_code\": \"ORD-4\", \"holder_name\": \"Davi Nunes\","
  " \"type\": \"VIP\", \"zone\": \"vip\", \"entry_policy\": \"reentry\"}]}";

static char *
users_json (void)
{
  return g_strdup_printf ("{\"format\": \"pdv-users\", \"version\": 1, \"users\": ["
                          "{\"id\": \"ana\", \"name\": \"Ana Souza\", \"role\": \"cashier\", \"pin_hash\": \"%s\"},"
                          "{\"id\": \"gil\", \"name\": \"Gil Prado\", \"role\": \"manager\", \"pin_hash\": \"%s\"}]}",
                          manager_pin_hash, manager_pin_hash);
}

/* Enrols with a fresh code; returns the token. */
static char *
enrol (Fixture    *f,
       const char *terminal_id,
       const char *name)
{
  g_auto(Response) code = { 0 };
  g_auto(Response) enrolled = { 0 };
  g_autoptr(json_t) request = json_pack ("{s:s}", "terminal_name", name);
  g_autoptr(json_t) enrolment = NULL;

  call (f, "POST", "/v1/admin/enrolments", ADMIN_TOKEN, request, &code);
  g_assert_cmpuint (code.status, ==, 201);
  enrolment = json_pack ("{s:O, s:s, s:s}", "code", json_object_get (code.json, "code"),
                         "terminal_id", terminal_id, "terminal_name", name);
  call (f, "POST", "/v1/enroll", NULL, enrolment, &enrolled);
  g_assert_cmpuint (enrolled.status, ==, 200);
  g_assert_cmpstr (json_string_value (json_object_get (enrolled.json, "terminal_id")), ==, terminal_id);
  return g_strdup (json_string_value (json_object_get (enrolled.json, "token")));
}

/* A terminal with the demo event and catalog, a few tickets and a manager,
 * enrolled with the server. */
static Terminal *
add_terminal (Fixture    *f,
              const char *name)
{
  Terminal *terminal = g_new0 (Terminal, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *users = users_json ();
  static const char * const files[] = { "event.json", "catalog.json" };

  terminal->dir = pdv_test_make_tmpdir ();
  terminal->context = pdv_test_open_terminal (terminal->dir, FALSE);
  terminal->id = g_strdup (pdv_journal_get_terminal_id (pdv_context_get_journal (terminal->context)));
  terminal->name = g_strdup (name);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (pdv_test_demo_dir (), files[i], NULL);

      pdv_import_file (pdv_context_get_journal (terminal->context), path, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  import_text (terminal, "tickets.json", tickets_json);
  import_text (terminal, "users.json", users);
  terminal->token = enrol (f, terminal->id, name);
  g_ptr_array_add (f->terminals, terminal);
  return terminal;
}

static PdvJournal *
journal_of (Terminal *terminal)
{
  return pdv_context_get_journal (terminal->context);
}

static gint64
last_seq (Terminal *terminal)
{
  return pdv_journal_get_last_seq (journal_of (terminal));
}

/* The entries after @since, at most @limit (0: all), as a push body. */
static json_t *
push_body (Terminal *terminal,
           gint64    since,
           gint64    limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pdv_journal_list (journal_of (terminal), since, limit, &error);
  json_t *list = json_array ();

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    json_array_append_new (list, pdv_journal_entry_to_json (g_ptr_array_index (entries, i)));
  return json_pack ("{s:s, s:o}", "terminal_id", terminal->id, "entries", list);
}

static json_t *
result_at (const Response *response,
           guint           index)
{
  return json_array_get (json_object_get (response->json, "results"), index);
}

static const char *
status_at (const Response *response,
           guint           index)
{
  return json_string_value (json_object_get (result_at (response, index), "status"));
}

static gint64
acked_seq (const Response *response)
{
  return json_integer_value (json_object_get (response->json, "acked_seq"));
}

static guint
n_results (const Response *response)
{
  return json_array_size (json_object_get (response->json, "results"));
}

static void
push (Fixture  *f,
      Terminal *terminal,
      gint64    since,
      gint64    limit,
      Response *out)
{
  g_autoptr(json_t) body = push_body (terminal, since, limit);

  call (f, "POST", "/v1/push", terminal->token, body, out);
}

/* Pushes everything and checks every entry was stored. */
static void
push_all (Fixture  *f,
          Terminal *terminal)
{
  g_auto(Response) response = { 0 };

  push (f, terminal, 0, 0, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpint (acked_seq (&response), ==, last_seq (terminal));
}

static char *
sell (Terminal         *terminal,
      const char       *product,
      gint64            qty,
      PdvPaymentMethod  method)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdvCatalog *catalog = pdv_context_get_catalog (terminal->context);
  PdvMoney total = 0;

  pdv_sale_draft_add_line (draft, product, qty);
  pdv_sale_draft_total (draft, catalog, &total, &error);
  g_assert_no_error (error);
  pdv_sale_draft_add_payment (draft, method, total, 0, NULL);
  result = pdv_sale_commit (journal_of (terminal), catalog, draft, "ana", NULL, &error);
  g_assert_no_error (error);
  return g_strdup (result->sale_id);
}

static void
admit (Terminal   *terminal,
       const char *ticket_id,
       const char *gate)
{
  g_autoptr(PdvCheckin) checkin = pdv_checkin_new (journal_of (terminal));
  g_autoptr(PdvCheckinResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-12-12T22:00:00-03:00", NULL);

  pdv_checkin_set_gate (checkin, gate);
  pdv_test_set_door_time (checkin, now);
  result = pdv_checkin_admit_manual (checkin, ticket_id, "diego", "QR unreadable", &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->verdict, ==, PDV_CHECKIN_VALID);
}

/* Every change from @since on, following the pages. */
static json_t *
pull_all (Fixture  *f,
          Terminal *terminal)
{
  json_t *changes = json_array ();
  gint64 cursor = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_auto(Response) page = { 0 };
      g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT, cursor);

      call (f, "GET", path, terminal->token, NULL, &page);
      g_assert_cmpuint (page.status, ==, 200);
      json_array_extend (changes, json_object_get (page.json, "changes"));
      cursor = json_integer_value (json_object_get (page.json, "next"));
      more = json_is_true (json_object_get (page.json, "more"));
    }
  return changes;
}

static guint
count_changes (json_t     *changes,
               const char *type)
{
  json_t *change;
  size_t i;
  guint n = 0;

  json_array_foreach (changes, i, change)
    if (g_strcmp0 (json_string_value (json_object_get (change, "type")), type) == 0)
      n++;
  return n;
}

static json_t *
find_change (json_t     *changes,
             const char *type)
{
  json_t *change;
  size_t i;

  json_array_foreach (changes, i, change)
    if (g_strcmp0 (json_string_value (json_object_get (change, "type")), type) == 0)
      return change;
  return NULL;
}

static void
report (Fixture  *f,
        Response *out)
{
  call (f, "GET", "/v1/admin/report", ADMIN_TOKEN, NULL, out);
  g_assert_cmpuint (out->status, ==, 200);
}

static json_t *
report_terminal (const Response *response,
                 const char     *id)
{
  json_t *terminal;
  size_t i;

  json_array_foreach (json_object_get (response->json, "terminals"), i, terminal)
    if (g_strcmp0 (json_string_value (json_object_get (terminal, "terminal")), id) == 0)
      return terminal;
  return NULL;
}

/* Enrolment: a code works once, expires, and only the admin makes codes. */
static void
test_enrol (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Response) code = { 0 };
  g_auto(Response) response = { 0 };
  g_autoptr(json_t) request = NULL;
  g_autoptr(json_t) enrolment = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *token = NULL;
  g_autofree char *second_token = NULL;
  g_autofree char *short_code = NULL;

  if (skip_if_unavailable (f))
    return;

  request = json_pack ("{s:s, s:i}", "terminal_name", "Bar 1", "valid_for_s", 3600);
  call (f, "POST", "/v1/admin/enrolments", ADMIN_TOKEN, request, &code);
  g_assert_cmpuint (code.status, ==, 201);
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (code.json, "qr")), "PDVENROLL1:http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (json_string_value (json_object_get (code.json, "qr")),
                                   json_string_value (json_object_get (code.json, "code"))));

  enrolment = json_pack ("{s:O, s:s, s:s}", "code", json_object_get (code.json, "code"), "terminal_id", id,
                         "terminal_name", "Bar 1");
  call (f, "POST", "/v1/enroll", NULL, enrolment, &response);
  g_assert_cmpuint (response.status, ==, 200);
  token = g_strdup (json_string_value (json_object_get (response.json, "token")));
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_true (json_is_string (json_object_get (response.json, "server_time")));
  response_clear (&response);

  /* Spent. */
  call (f, "POST", "/v1/enroll", NULL, enrolment, &response);
  assert_error (&response, 409, "enrolment_refused");
  response_clear (&response);

  /* Unknown, and lower case with the dash left out is the same code. */
  json_object_set_new (enrolment, "code", json_string ("zzzz-zzzz"));
  call (f, "POST", "/v1/enroll", NULL, enrolment, &response);
  assert_error (&response, 409, "enrolment_refused");
  response_clear (&response);

  /* Expired. */
  json_decref (request);
  request = json_pack ("{s:s, s:i}", "terminal_name", "Bar 2", "valid_for_s", 1);
  response_clear (&code);
  call (f, "POST", "/v1/admin/enrolments", ADMIN_TOKEN, request, &code);
  g_assert_cmpuint (code.status, ==, 201);
  g_usleep (2100 * G_USEC_PER_SEC / 1000);
  json_object_set (enrolment, "code", json_object_get (code.json, "code"));
  call (f, "POST", "/v1/enroll", NULL, enrolment, &response);
  assert_error (&response, 409, "enrolment_refused");
  g_assert_nonnull (strstr (json_string_value (json_object_get (json_object_get (response.json, "error"), "message")),
                            "expired"));
  response_clear (&response);

  /* Not a UUID. */
  json_object_set_new (enrolment, "terminal_id", json_string ("bar-1"));
  call (f, "POST", "/v1/enroll", NULL, enrolment, &response);
  assert_error (&response, 400, "bad_request");
  response_clear (&response);

  /* Who may make codes. */
  call (f, "POST", "/v1/admin/enrolments", "not-the-admin-token", request, &response);
  assert_error (&response, 401, "unauthenticated");
  response_clear (&response);
  call (f, "POST", "/v1/admin/enrolments", NULL, request, &response);
  assert_error (&response, 401, "unauthenticated");
  response_clear (&response);
  call (f, "POST", "/v1/admin/enrolments", token, request, &response);
  assert_error (&response, 403, "forbidden");
  response_clear (&response);
  call (f, "GET", "/v1/admin/report", token, NULL, &response);
  assert_error (&response, 403, "forbidden");
  response_clear (&response);
  call (f, "GET", "/v1/pull?since=0", ADMIN_TOKEN, NULL, &response);
  assert_error (&response, 403, "forbidden");
  response_clear (&response);

  /* Enrolling again replaces the token. */
  call (f, "GET", "/v1/pull?since=0", token, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  response_clear (&response);
  second_token = enrol (f, id, "Bar 1");
  g_assert_cmpstr (second_token, !=, token);
  call (f, "GET", "/v1/pull?since=0", token, NULL, &response);
  assert_error (&response, 401, "unauthenticated");
  response_clear (&response);
  call (f, "GET", "/v1/pull?since=0", second_token, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
}

/* A terminal reads back its own entries as pushed, a page at a time, and
 * nobody else's. */
static void
test_entries (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) local = NULL;
  g_autoptr(GError) error = NULL;
  Terminal *terminal, *other;
  gint64 after = 0;
  guint pages = 0;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  other = add_terminal (f, "Bar 2");
  for (int i = 0; i < 7; i++)
    g_free (sell (terminal, "CERV-LATA-350", 1 + i, PDV_PAYMENT_CARD));
  g_free (sell (other, "CERV-LATA-350", 1, PDV_PAYMENT_CARD));
  push_all (f, terminal);
  push_all (f, other);
  local = pdv_journal_list (journal_of (terminal), 0, 0, &error);
  g_assert_no_error (error);

  for (gboolean more = TRUE; more; pages++)
    {
      g_auto(Response) response = { 0 };
      g_autofree char *path = g_strdup_printf ("/v1/entries?after=%" G_GINT64_FORMAT "&limit=5", after);
      g_autofree char *problem = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      gint64 server_last = 0;

      call (f, "GET", path, terminal->token, NULL, &response);
      g_assert_cmpuint (response.status, ==, 200);
      entries = pdv_sync_entries_reply_decode (response.json, &server_last, &more, &problem);
      g_assert_null (problem);
      g_assert_nonnull (entries);
      g_assert_cmpint (server_last, ==, last_seq (terminal));
      g_assert_cmpuint (entries->len, >, 0);
      g_assert_cmpuint (entries->len, <=, 5);
      for (guint i = 0; i < entries->len; i++)
        {
          const PdvJournalEntry *entry = g_ptr_array_index (entries, i);
          const PdvJournalEntry *mine = g_ptr_array_index (local, after + i);
          g_autofree char *hash = pdv_journal_entry_compute_hash (entry);

          /* As pushed, byte for byte: the hash holds. */
          g_assert_cmpint (entry->seq, ==, mine->seq);
          g_assert_cmpstr (entry->terminal, ==, terminal->id);
          g_assert_cmpstr (entry->payload_text, ==, mine->payload_text);
          g_assert_cmpstr (hash, ==, mine->hash);
          g_assert_cmpstr (entry->prev_hash, ==, mine->prev_hash);
        }
      after += entries->len;
    }
  g_assert_cmpint (after, ==, last_seq (terminal));
  g_assert_cmpuint (pages, ==, (last_seq (terminal) + 4) / 5);

  {
    g_auto(Response) response = { 0 };
    g_autofree char *path = g_strdup_printf ("/v1/entries?after=%" G_GINT64_FORMAT, last_seq (terminal));

    /* Past the end: an empty page. */
    call (f, "GET", path, terminal->token, NULL, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_cmpuint (json_array_size (json_object_get (response.json, "entries")), ==, 0);
    g_assert_false (json_is_true (json_object_get (response.json, "more")));
    response_clear (&response);

    call (f, "GET", "/v1/entries?after=-1", terminal->token, NULL, &response);
    assert_error (&response, 400, "bad_request");
    response_clear (&response);
    call (f, "GET", "/v1/entries?limit=0", terminal->token, NULL, &response);
    assert_error (&response, 400, "bad_request");
    response_clear (&response);
    call (f, "GET", "/v1/entries", NULL, NULL, &response);
    assert_error (&response, 401, "unauthenticated");
    response_clear (&response);
    call (f, "GET", "/v1/entries", ADMIN_TOKEN, NULL, &response);
    assert_error (&response, 403, "forbidden");
    response_clear (&response);
    /* The other terminal gets its own, one entry more than its imports. */
    call (f, "GET", "/v1/entries", other->token, NULL, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_cmpuint (json_array_size (json_object_get (response.json, "entries")), ==, last_seq (other));
  }
}

/* A batch pushed twice is stored once. */
static void
test_push_duplicate (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Response) first = { 0 };
  g_auto(Response) again = { 0 };
  g_auto(Response) summary = { 0 };
  g_autofree char *sale = NULL;
  Terminal *terminal;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  sale = sell (terminal, "CERV-LATA-350", 2, PDV_PAYMENT_CARD);

  push (f, terminal, 0, 0, &first);
  g_assert_cmpuint (first.status, ==, 200);
  g_assert_cmpuint (n_results (&first), ==, last_seq (terminal));
  for (guint i = 0; i < n_results (&first); i++)
    g_assert_cmpstr (status_at (&first, i), ==, "accepted");
  g_assert_cmpint (acked_seq (&first), ==, last_seq (terminal));

  push (f, terminal, 0, 0, &again);
  g_assert_cmpuint (again.status, ==, 200);
  g_assert_cmpuint (n_results (&again), ==, last_seq (terminal));
  for (guint i = 0; i < n_results (&again); i++)
    g_assert_cmpstr (status_at (&again, i), ==, "duplicate");
  g_assert_cmpint (acked_seq (&again), ==, last_seq (terminal));

  report (f, &summary);
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, terminal->id), "entries")), ==,
                   last_seq (terminal));
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, terminal->id), "sales")), ==, 1);
}

/* A gap is refused and nothing after it is stored. */
static void
test_push_gap (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Response) head = { 0 };
  g_auto(Response) gap = { 0 };
  g_auto(Response) rest = { 0 };
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  Terminal *terminal;
  gint64 total;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  a = sell (terminal, "CERV-LATA-350", 1, PDV_PAYMENT_CASH);
  b = sell (terminal, "CERV-LATA-350", 1, PDV_PAYMENT_CASH);
  c = sell (terminal, "CERV-LATA-350", 1, PDV_PAYMENT_CASH);
  total = last_seq (terminal);

  push (f, terminal, 0, 3, &head);
  g_assert_cmpint (acked_seq (&head), ==, 3);

  /* Entry 4 left out: 5 is refused, and 6 and later are not even looked at. */
  push (f, terminal, 4, 0, &gap);
  g_assert_cmpuint (gap.status, ==, 200);
  g_assert_cmpuint (n_results (&gap), ==, 1);
  g_assert_cmpstr (status_at (&gap, 0), ==, "rejected");
  g_assert_cmpstr (json_string_value (json_object_get (result_at (&gap, 0), "reason")), ==,
                   "gap: expected seq 4, got 5");
  g_assert_cmpint (acked_seq (&gap), ==, 3);

  /* Had anything after the gap been stored, these would be duplicates. */
  push (f, terminal, 3, 0, &rest);
  g_assert_cmpuint (n_results (&rest), ==, total - 3);
  for (guint i = 0; i < n_results (&rest); i++)
    g_assert_cmpstr (status_at (&rest, i), ==, "accepted");
  g_assert_cmpint (acked_seq (&rest), ==, total);
}

/* A changed payload breaks the hash; a changed prev_hash breaks the chain. */
static void
test_push_tampered (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autoptr(json_t) body = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvJournalEntry) forged = NULL;
  g_autofree char *sale = NULL;
  json_t *entry;
  Terminal *terminal;
  gint64 total;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  sale = sell (terminal, "CERV-LATA-350", 3, PDV_PAYMENT_CASH);
  total = last_seq (terminal);
  push (f, terminal, 0, total - 1, &response);
  g_assert_cmpint (acked_seq (&response), ==, total - 1);
  response_clear (&response);

  /* The sale, cheaper than it was. */
  body = push_body (terminal, total - 1, 0);
  entry = json_array_get (json_object_get (body, "entries"), 0);
  json_object_set_new (json_object_get (entry, "payload"), "total", json_integer (1));
  call (f, "POST", "/v1/push", terminal->token, body, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpstr (status_at (&response, 0), ==, "rejected");
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (result_at (&response, 0), "reason")),
                                   "bad hash"));
  g_assert_cmpint (acked_seq (&response), ==, total - 1);
  response_clear (&response);

  /* Hashed consistently, but not following the chain. */
  entries = pdv_journal_list (journal_of (terminal), total - 1, 0, &error);
  g_assert_no_error (error);
  forged = pdv_journal_entry_copy (g_ptr_array_index (entries, 0));
  g_free (forged->prev_hash);
  forged->prev_hash = g_strdup (PDV_JOURNAL_GENESIS_HASH);
  g_free (forged->hash);
  forged->hash = pdv_journal_entry_compute_hash (forged);
  json_array_set_new (json_object_get (body, "entries"), 0, pdv_journal_entry_to_json (forged));
  call (f, "POST", "/v1/push", terminal->token, body, &response);
  g_assert_cmpstr (status_at (&response, 0), ==, "rejected");
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (result_at (&response, 0), "reason")),
                                   "broken chain"));
  response_clear (&response);

  /* A time that is no time, and a text far past what a terminal writes
   * (a gate name of 100 KB would have gone to every terminal's pull): refused
   * for what they hold, even when hashed consistently. */
  {
    PdvJournalEntry *genuine = g_ptr_array_index (entries, 0);
    g_autoptr(PdvJournalEntry) timeless = pdv_journal_entry_copy (genuine);
    g_autoptr(PdvJournalEntry) huge = pdv_journal_entry_copy (genuine);
    g_autofree char *long_text = g_strnfill (100 * 1024, 'G');

    g_free (timeless->created_at);
    timeless->created_at = g_strdup ("");
    g_free (timeless->hash);
    timeless->hash = pdv_journal_entry_compute_hash (timeless);
    json_array_set_new (json_object_get (body, "entries"), 0, pdv_journal_entry_to_json (timeless));
    call (f, "POST", "/v1/push", terminal->token, body, &response);
    assert_error (&response, 400, "bad_request");
    response_clear (&response);

    json_object_set_new (huge->payload, "gate", json_string (long_text));
    g_free (huge->payload_text);
    huge->payload_text = pdv_canonical_json (huge->payload);
    g_free (huge->hash);
    huge->hash = pdv_journal_entry_compute_hash (huge);
    json_array_set_new (json_object_get (body, "entries"), 0, pdv_journal_entry_to_json (huge));
    call (f, "POST", "/v1/push", terminal->token, body, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_cmpstr (status_at (&response, 0), ==, "rejected");
    g_assert_cmpstr (json_string_value (json_object_get (result_at (&response, 0), "reason")), ==,
                     "a text in the payload is longer than 4096 bytes");
    g_assert_cmpint (acked_seq (&response), ==, total - 1);
    response_clear (&response);
  }

  /* A number with an exponent has no one form to hash: refused by name,
   * not as a hash that does not match. */
  {
    g_autoptr(PdvJournalEntry) real = pdv_journal_entry_copy (g_ptr_array_index (entries, 0));

    json_object_set_new (real->payload, "total", json_real (1e300));
    g_free (real->payload_text);
    real->payload_text = pdv_canonical_json (real->payload);
    g_free (real->hash);
    real->hash = pdv_journal_entry_compute_hash (real);
    json_array_set_new (json_object_get (body, "entries"), 0, pdv_journal_entry_to_json (real));
    call (f, "POST", "/v1/push", terminal->token, body, &response);
    assert_error (&response, 400, "bad_request");
    g_assert_nonnull (strstr (json_string_value (json_object_get (json_object_get (response.json, "error"),
                                                                  "message")),
                              "payload.total is a number with a fraction"));
    response_clear (&response);
  }

  /* The genuine entry still goes in. */
  push (f, terminal, total - 1, 0, &response);
  g_assert_cmpstr (status_at (&response, 0), ==, "accepted");
  g_assert_cmpint (acked_seq (&response), ==, total);
}

/* A terminal cannot push for another. */
static void
test_push_forged (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autoptr(json_t) body = NULL;
  Terminal *a, *b;

  if (skip_if_unavailable (f))
    return;
  a = add_terminal (f, "Bar 1");
  b = add_terminal (f, "Bar 2");

  /* B's entries, sent with A's token as if they were A's. */
  body = push_body (b, 0, 0);
  json_object_set_new (body, "terminal_id", json_string (a->id));
  call (f, "POST", "/v1/push", a->token, body, &response);
  assert_error (&response, 403, "forbidden");
  response_clear (&response);

  /* B's entries under B's name, with A's token. */
  json_object_set_new (body, "terminal_id", json_string (b->id));
  call (f, "POST", "/v1/push", a->token, body, &response);
  assert_error (&response, 403, "forbidden");
  response_clear (&response);

  /* Nothing of B's was stored: B's own push is all new. */
  push (f, b, 0, 0, &response);
  for (guint i = 0; i < n_results (&response); i++)
    g_assert_cmpstr (status_at (&response, i), ==, "accepted");
}

/* Two gates admit one single-entry ticket offline: one conflict, seen by all. */
static void
test_checkin_conflict (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_auto(Response) summary = { 0 };
  g_autoptr(json_t) changes_a = NULL;
  g_autoptr(json_t) changes_b = NULL;
  json_t *conflict;
  json_t *result;
  Terminal *a, *b;

  if (skip_if_unavailable (f))
    return;
  a = add_terminal (f, "Portão 1");
  b = add_terminal (f, "Portão 2");
  admit (a, "TS1", "Portão 1");
  admit (b, "TS1", "Portão 2");
  /* Another ticket, only at one gate: no conflict. */
  admit (b, "TS2", "Portão 2");

  push_all (f, a);
  push (f, b, 0, 0, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpint (acked_seq (&response), ==, last_seq (b));
  result = result_at (&response, n_results (&response) - 2);
  g_assert_cmpstr (json_string_value (json_object_get (result, "status")), ==, "conflict");
  g_assert_nonnull (strstr (json_string_value (json_object_get (result, "reason")), "TS1 was admitted at Portão 1"));
  g_assert_nonnull (strstr (json_string_value (json_object_get (result, "reason")), "by Portão 1"));
  g_assert_cmpstr (status_at (&response, n_results (&response) - 1), ==, "accepted");

  changes_a = pull_all (f, a);
  changes_b = pull_all (f, b);
  g_assert_cmpuint (count_changes (changes_a, "conflict"), ==, 1);
  g_assert_cmpuint (count_changes (changes_b, "conflict"), ==, 1);
  g_assert_cmpuint (count_changes (changes_a, "checkin"), ==, 3);
  conflict = json_object_get (find_change (changes_b, "conflict"), "data");
  g_assert_cmpstr (json_string_value (json_object_get (conflict, "ticket_id")), ==, "TS1");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (conflict, "winner"), "terminal")), ==, a->id);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (conflict, "winner"), "gate")), ==, "Portão 1");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (conflict, "loser"), "terminal")), ==, b->id);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (conflict, "loser"), "gate")), ==, "Portão 2");
  g_assert_true (json_is_string (json_object_get (conflict, "id")));
  g_assert_true (json_is_string (json_object_get (find_change (changes_a, "checkin"), "terminal")));

  /* A retried push does not arbitrate again, and says what it said the
   * first time: the scan that lost is a conflict, not a copy. */
  response_clear (&response);
  push (f, b, 0, 0, &response);
  g_assert_cmpstr (status_at (&response, n_results (&response) - 2), ==, "conflict");
  g_assert_cmpstr (json_string_value (json_object_get (result_at (&response, n_results (&response) - 2), "reason")),
                   ==, "stored before, as a conflict");

  report (f, &summary);
  g_assert_cmpint (json_integer_value (json_object_get (summary.json, "conflicts")), ==, 1);
}

/* A multi-entry ticket may come in at every gate. */
static void
test_checkin_multi (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_auto(Response) summary = { 0 };
  g_autoptr(json_t) changes = NULL;
  Terminal *a, *b;

  if (skip_if_unavailable (f))
    return;
  a = add_terminal (f, "Portão 1");
  b = add_terminal (f, "Portão 2");
  admit (a, "TM1", "Portão 1");
  admit (b, "TM1", "Portão 2");
  admit (a, "TM1", "Portão 1");

  push_all (f, a);
  push (f, b, 0, 0, &response);
  for (guint i = 0; i < n_results (&response); i++)
    g_assert_cmpstr (status_at (&response, i), ==, "accepted");

  changes = pull_all (f, a);
  g_assert_cmpuint (count_changes (changes, "conflict"), ==, 0);
  g_assert_cmpuint (count_changes (changes, "checkin"), ==, 3);
  report (f, &summary);
  g_assert_cmpint (json_integer_value (json_object_get (summary.json, "conflicts")), ==, 0);
}

static const char revocations_json[] =
  "{\"format\": \"pdv-revocations\", \"version\": 1, \"revocations\": [{\"ticket_id\": \"TS2\", \"reason\": \"lost\"}]}";

static void
import_document (Fixture    *f,
                 const char *text,
                 Response   *out)
{
  call_raw (f, "POST", "/v1/admin/import", ADMIN_TOKEN, text, -1, out);
}

static void
import_demo_file (Fixture    *f,
                  const char *name,
                  Response   *out)
{
  g_autofree char *path = g_build_filename (pdv_test_demo_dir (), name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  import_document (f, text, out);
}

/* The change feed comes in pages. */
static void
test_pull_paging (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *users = users_json ();
  const char *documents[] = { tickets_json, users, revocations_json };
  gint64 cursors[5];
  gint64 since = 0;
  Terminal *terminal;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  for (guint i = 0; i < 5; i++)
    {
      g_auto(Response) response = { 0 };

      if (i == 0)
        import_demo_file (f, "event.json", &response);
      else if (i == 1)
        import_demo_file (f, "catalog.json", &response);
      else
        import_document (f, documents[i - 2], &response);
      g_assert_cmpuint (response.status, ==, 201);
      cursors[i] = json_integer_value (json_object_get (response.json, "cursor"));
      g_assert_cmpint (cursors[i], >, i > 0 ? cursors[i - 1] : 0);
    }

  for (guint page = 0; page < 3; page++)
    {
      g_auto(Response) response = { 0 };
      g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT "&limit=2", since);
      json_t *changes;

      call (f, "GET", path, terminal->token, NULL, &response);
      g_assert_cmpuint (response.status, ==, 200);
      changes = json_object_get (response.json, "changes");
      g_assert_cmpuint (json_array_size (changes), ==, page < 2 ? 2 : 1);
      g_assert_cmpint (json_integer_value (json_object_get (json_array_get (changes, 0), "cursor")), ==,
                       cursors[page * 2]);
      g_assert_true (json_is_boolean (json_object_get (response.json, "more")));
      g_assert_cmpint (json_is_true (json_object_get (response.json, "more")), ==, page < 2);
      since = json_integer_value (json_object_get (response.json, "next"));
      g_assert_cmpint (since, ==, cursors[MIN (page * 2 + 1, 4)]);
      if (page == 0)
        {
          json_t *event = json_array_get (changes, 0);

          g_assert_cmpstr (json_string_value (json_object_get (event, "type")), ==, "event");
          g_assert_cmpstr (json_string_value (json_object_get (json_object_get (event, "data"), "format")), ==,
                           "pdv-event");
        }
    }

  {
    g_auto(Response) response = { 0 };
    g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT, since);

    call (f, "GET", path, terminal->token, NULL, &response);
    g_assert_cmpuint (json_array_size (json_object_get (response.json, "changes")), ==, 0);
    g_assert_cmpint (json_integer_value (json_object_get (response.json, "next")), ==, since);
    g_assert_false (json_is_true (json_object_get (response.json, "more")));
    response_clear (&response);

    call (f, "GET", "/v1/pull?since=-1", terminal->token, NULL, &response);
    assert_error (&response, 400, "bad_request");
    response_clear (&response);
    call (f, "GET", "/v1/pull?since=0&limit=abc", terminal->token, NULL, &response);
    assert_error (&response, 400, "bad_request");
  }

  /* Pages also stop by size: six lists of 1.5 MB come a few at a time. */
  {
    g_autoptr(GString) list = g_string_new ("{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": [");
    guint pages = 0, lists = 0;
    gboolean more = TRUE;

    for (guint i = 0; i < 9000; i++)
      g_string_append_printf (list, "%s{\"id\": \"P%05u\", \"secret\": \"page-size-secret-%05u\", "
                              "\"order_code\": \"NV-P%u\", \"holder_name\": \"Participante %u\", "
                              "\"type\": \"Pista\", \"zone\": \"general\"}", i > 0 ? ", " : "", i, i, i, i);
    g_string_append (list, "]}");
    g_assert_cmpuint (list->len, >, 1024 * 1024);
    for (guint i = 0; i < 6; i++)
      {
        g_auto(Response) response = { 0 };

        import_document (f, list->str, &response);
        g_assert_cmpuint (response.status, ==, 201);
      }
    while (more)
      {
        g_auto(Response) response = { 0 };
        g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT, since);
        guint n;

        call (f, "GET", path, terminal->token, NULL, &response);
        g_assert_cmpuint (response.status, ==, 200);
        n = json_array_size (json_object_get (response.json, "changes"));
        g_assert_cmpuint (n, >=, 1);
        g_assert_cmpuint ((guint64) n * list->len, <, (guint64) 4 * 1024 * 1024 + list->len);
        lists += n;
        pages++;
        since = json_integer_value (json_object_get (response.json, "next"));
        more = json_is_true (json_object_get (response.json, "more"));
      }
    g_assert_cmpuint (lists, ==, 6);
    g_assert_cmpuint (pages, >=, 2);
  }
}

/* Admin imports: validated as a terminal would, all or nothing. */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autoptr(json_t) changes = NULL;
  const char *message;
  Terminal *terminal;
  static const char bad_catalog[] =
    "{\n"
    "  \"format\": \"pdv-catalog\",\n"
    "  \"version\": 1,\n"
    "  \"products\": [\n"
    "    {\"id\": \"AGUA\", \"name\": \"Água\", \"price\": 400, \"category\": \"sem-alcool\"},\n"
    "    {\"id\": \"SUCO\", \"name\": \"Suco\", \"price\": \"caro\", \"category\": \"sem-alcool\"}\n"
    "  ]\n"
    "}\n";
  /* Names a category only an earlier catalog brought. */
  static const char later_catalog[] =
    "{\"format\": \"pdv-catalog\", \"version\": 1, \"products\": ["
    "{\"id\": \"AGUA\", \"name\": \"Água\", \"price\": 400, \"category\": \"sem-alcool\"}]}";

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");

  import_demo_file (f, "catalog.json", &response);
  g_assert_cmpuint (response.status, ==, 201);
  g_assert_cmpstr (json_string_value (json_object_get (response.json, "type")), ==, "catalog");
  response_clear (&response);

  import_document (f, bad_catalog, &response);
  assert_error (&response, 422, "invalid_document");
  message = json_string_value (json_object_get (json_object_get (response.json, "error"), "message"));
  g_assert_nonnull (strstr (message, "catalog.json:6:"));
  g_assert_nonnull (strstr (message, "price"));
  response_clear (&response);

  import_document (f, "{\"format\": \"pdv-menu\", \"version\": 1}", &response);
  assert_error (&response, 422, "invalid_document");
  response_clear (&response);
  import_document (f, "{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": [{\"id\": \"T1\"}]}", &response);
  assert_error (&response, 422, "invalid_document");
  response_clear (&response);
  import_document (f, "not json", &response);
  assert_error (&response, 400, "bad_request");
  response_clear (&response);
  call_raw (f, "POST", "/v1/admin/import", terminal->token, later_catalog, -1, &response);
  assert_error (&response, 403, "forbidden");
  response_clear (&response);

  import_document (f, later_catalog, &response);
  g_assert_cmpuint (response.status, ==, 201);

  /* Only the two good documents reached the feed. */
  changes = pull_all (f, terminal);
  g_assert_cmpuint (json_array_size (changes), ==, 2);
  g_assert_cmpuint (count_changes (changes, "catalog"), ==, 2);
  g_clear_pointer (&changes, json_decref);
  response_clear (&response);

  /* PINs sent in clear are hashed before they are stored or sent on. */
  import_document (f, "{\"format\": \"pdv-users\", \"version\": 1, \"users\": ["
                      "{\"id\": \"rui\", \"name\": \"Rui Lopes\", \"role\": \"door\", \"pin\": \"4321\"}]}",
                   &response);
  g_assert_cmpuint (response.status, ==, 201);
  changes = pull_all (f, terminal);
  {
    json_t *user = json_array_get (json_object_get (json_object_get (json_array_get (changes, 2), "data"), "users"), 0);
    const char *hash = json_string_value (json_object_get (user, "pin_hash"));

    g_assert_null (json_object_get (user, "pin"));
    g_assert_nonnull (hash);
    g_assert_true (pdv_pin_verify (hash, "4321"));
  }
}

typedef struct {
  GHashTable *sales;    /* id → payload */
  GHashTable *voided;   /* id */
  gint64      total;
  gint64      count;
  gint64      payments[4];
} Expected;

static int
method_index (const char *method)
{
  static const char * const methods[] = { "cash", "card", "pix", "voucher" };

  for (int i = 0; i < 4; i++)
    if (g_strcmp0 (methods[i], method) == 0)
      return i;
  g_assert_not_reached ();
}

/* The report's figures for one terminal, worked out from its own journal. */
static void
recompute (Terminal *terminal,
           Expected *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pdv_journal_list (journal_of (terminal), 0, 0, &error);
  g_autoptr(GHashTable) sales = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) voided = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      PdvJournalEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->kind, "sale"))
        g_hash_table_insert (sales, entry->id, entry->payload);
      else if (g_str_equal (entry->kind, "sale.void"))
        g_hash_table_add (voided, (gpointer) json_string_value (json_object_get (entry->payload, "sale_id")));
      else if (g_str_equal (entry->kind, "sale.refund"))
        {
          gint64 amount = json_integer_value (json_object_get (entry->payload, "amount"));

          expected->total -= amount;
          expected->payments[method_index (json_string_value (json_object_get (entry->payload, "method")))] -= amount;
        }
    }
  g_hash_table_iter_init (&iter, sales);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_t *payment;
      size_t i;

      if (g_hash_table_contains (voided, key))
        continue;
      expected->count++;
      expected->total += json_integer_value (json_object_get (value, "total"));
      json_array_foreach (json_object_get (value, "payments"), i, payment)
        expected->payments[method_index (json_string_value (json_object_get (payment, "method")))] +=
          json_integer_value (json_object_get (payment, "amount"));
    }
}

static json_t *
find_named (json_t     *list,
            const char *field,
            const char *value)
{
  json_t *item;
  size_t i;

  json_array_foreach (list, i, item)
    if (g_strcmp0 (json_string_value (json_object_get (item, field)), value) == 0)
      return item;
  return NULL;
}

/* Totals across terminals, voids and refunds deducted. */
static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Response) summary = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL;
  Expected expected_a = { 0 }, expected_b = { 0 };
  json_t *payments, *products, *gates, *hours, *hour;
  Terminal *a, *b;
  gint64 checkins = 0;
  size_t i;

  if (skip_if_unavailable (f))
    return;
  /* Hours are told in the event's time zone. */
  {
    g_auto(Response) imported = { 0 };

    import_demo_file (f, "event.json", &imported);
    g_assert_cmpuint (imported.status, ==, 201);
  }
  a = add_terminal (f, "Bar 1");
  b = add_terminal (f, "Bar 2");
  s1 = sell (a, "CERV-LATA-350", 2, PDV_PAYMENT_CARD);
  s2 = sell (a, "CERV-LATAO-473", 1, PDV_PAYMENT_CASH);
  s3 = sell (a, "CERV-LATA-350", 1, PDV_PAYMENT_PIX);
  s4 = sell (b, "CERV-LATAO-473", 3, PDV_PAYMENT_CASH);
  pdv_sale_void (journal_of (a), s2, "ana", MANAGER_PIN, "wrong product", &error);
  g_assert_no_error (error);
  pdv_sale_refund (journal_of (a), s1, 500, PDV_PAYMENT_CASH, "ana", MANAGER_PIN, "warm beer", &error);
  g_assert_no_error (error);
  admit (b, "TS1", "Portão 2");
  push_all (f, a);
  push_all (f, b);

  recompute (a, &expected_a);
  recompute (b, &expected_b);
  /* The figures by hand: 2 × 12,00 + 12,00 − 5,00 at bar 1, 3 × 15,00 at bar 2. */
  g_assert_cmpint (expected_a.total, ==, 2400 + 1200 - 500);
  g_assert_cmpint (expected_b.total, ==, 4500);

  report (f, &summary);
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, a->id), "sales_total")), ==,
                   expected_a.total);
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, a->id), "sales")), ==,
                   expected_a.count);
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, b->id), "sales_total")), ==,
                   expected_b.total);
  g_assert_cmpstr (json_string_value (json_object_get (report_terminal (&summary, b->id), "name")), ==, "Bar 2");
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, b->id), "last_seq")), ==,
                   last_seq (b));

  payments = json_object_get (summary.json, "payments");
  g_assert_cmpint (json_integer_value (json_object_get (payments, "cash")), ==,
                   expected_a.payments[0] + expected_b.payments[0]);
  g_assert_cmpint (json_integer_value (json_object_get (payments, "card")), ==,
                   expected_a.payments[1] + expected_b.payments[1]);
  g_assert_cmpint (json_integer_value (json_object_get (payments, "pix")), ==,
                   expected_a.payments[2] + expected_b.payments[2]);
  g_assert_cmpint (json_integer_value (json_object_get (payments, "voucher")), ==, 0);
  g_assert_cmpint (json_integer_value (json_object_get (payments, "cash")), ==, 4500 - 500);

  products = json_object_get (summary.json, "products");
  g_assert_cmpint (json_integer_value (json_object_get (find_named (products, "product", "CERV-LATA-350"), "qty")),
                   ==, 3);
  g_assert_cmpint (json_integer_value (json_object_get (find_named (products, "product", "CERV-LATAO-473"), "qty")),
                   ==, 3);
  g_assert_cmpint (json_integer_value (json_object_get (find_named (products, "product", "CERV-LATAO-473"), "total")),
                   ==, 4500);

  gates = json_object_get (summary.json, "gates");
  g_assert_cmpint (json_integer_value (json_object_get (find_named (gates, "gate", "Portão 2"), "entries")), ==, 1);

  /* Hours add up to the whole, and are in the event's time zone. */
  {
    gint64 sum = 0;

    hours = json_object_get (summary.json, "hours");
    json_array_foreach (hours, i, hour)
      {
        g_assert_true (g_str_has_suffix (json_string_value (json_object_get (hour, "hour")), ":00:00-03:00"));
        sum += json_integer_value (json_object_get (hour, "sales_total"));
        checkins += json_integer_value (json_object_get (hour, "checkins"));
      }
    g_assert_cmpint (sum, ==, expected_a.total + expected_b.total);
    g_assert_cmpint (checkins, ==, 1);
  }

  /* The report reads running totals; made from the entries it is the same. */
  {
    g_auto(Response) checked = { 0 };

    call (f, "GET", "/v1/admin/report?check=1", ADMIN_TOKEN, NULL, &checked);
    g_assert_cmpuint (checked.status, ==, 200);
    g_assert_true (json_is_true (json_object_get (json_object_get (checked.json, "check"), "matched")));
    g_assert_true (json_is_false (json_object_get (json_object_get (checked.json, "check"), "rebuilt")));
    json_object_del (checked.json, "check");
    g_assert_true (json_equal (checked.json, summary.json));
  }
}

static void
sqlite_exec (const char *path,
             const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
report_cash (Fixture    *f,
             const char *path)
{
  g_auto(Response) response = { 0 };

  call (f, "GET", path, ADMIN_TOKEN, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  return json_integer_value (json_object_get (json_object_get (response.json, "payments"), "cash"));
}

/* Totals that went wrong behind the server's back are found and made again
 * by a checked report; a store from before totals were kept gets them as
 * the server starts. */
static void
test_report_totals (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *sale = NULL;
  Terminal *terminal;
  gint64 cash;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  g_free (sell (terminal, "CERV-LATA-350", 2, PDV_PAYMENT_CASH));
  sale = sell (terminal, "CERV-LATAO-473", 1, PDV_PAYMENT_CASH);
  push_all (f, terminal);
  cash = report_cash (f, "/v1/admin/report");
  g_assert_cmpint (cash, ==, 2 * 1200 + 1500);

  g_assert_cmpint (pdv_test_syncd_stop (f->syncd), ==, 0);
  sqlite_exec (f->db, "UPDATE totals SET a = a + 999 WHERE kind = 'method' AND key = 'cash'");
  f->syncd = start_server (f, NULL);
  /* What the report reads. */
  g_assert_cmpint (report_cash (f, "/v1/admin/report"), ==, cash + 999);
  {
    g_auto(Response) checked = { 0 };

    call (f, "GET", "/v1/admin/report?check=1", ADMIN_TOKEN, NULL, &checked);
    g_assert_cmpuint (checked.status, ==, 200);
    g_assert_true (json_is_false (json_object_get (json_object_get (checked.json, "check"), "matched")));
    g_assert_true (json_is_true (json_object_get (json_object_get (checked.json, "check"), "rebuilt")));
    g_assert_cmpint (json_integer_value (json_object_get (json_object_get (checked.json, "payments"), "cash")), ==,
                     cash);
  }
  g_assert_cmpint (report_cash (f, "/v1/admin/report"), ==, cash);

  /* As a store of an earlier pdv-syncd: entries, no totals. */
  g_assert_cmpint (pdv_test_syncd_stop (f->syncd), ==, 0);
  sqlite_exec (f->db, "DELETE FROM totals; DELETE FROM presence; DELETE FROM voided_sales;");
  f->syncd = start_server (f, NULL);
  g_assert_cmpint (report_cash (f, "/v1/admin/report"), ==, cash);
}

/* Bad requests get 4xx JSON errors, and the server carries on. */
static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *huge = NULL;
  Terminal *terminal;
  struct {
    const char *body;
    const char *code;
  } bodies[] = {
    { "not json at all", "bad_request" },
    { "", "bad_request" },
    { "[1, 2, 3]", "bad_request" },
    { "{\"terminal_id\": \"x\", \"entries\": [], \"terminal_id\": \"y\"}", "bad_request" },
    { "{\"terminal_id\": \"\xff\xfe\", \"entries\": []}", "bad_request" },
    { "{\"terminal_id\": \"a\\u0000b\", \"entries\": []}", "bad_request" },
    { "{\"terminal_id\": 12, \"entries\": []}", "bad_request" },
    { "{\"entries\": {}}", "bad_request" },
    { "{\"terminal_id\": \"x\", \"entries\": [1e400]}", "bad_request" },
  };

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto(Response) response = { 0 };

      call_raw (f, "POST", "/v1/push", terminal->token, bodies[i].body, -1, &response);
      assert_error (&response, 400, bodies[i].code);
    }

  /* Deeper than any parser should follow. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  {
    g_auto(Response) response = { 0 };

    call_raw (f, "POST", "/v1/push", terminal->token, deep->str, deep->len, &response);
    assert_error (&response, 400, "bad_request");
    response_clear (&response);
    call_raw (f, "POST", "/v1/enroll", NULL, deep->str, deep->len, &response);
    assert_error (&response, 400, "bad_request");
  }

  /* Entries of the wrong shape. */
  {
    g_autoptr(json_t) body = push_body (terminal, 0, 1);
    json_t *entry = json_array_get (json_object_get (body, "entries"), 0);
    static const char * const fields[] = { "seq", "id", "payload", "hash", "prev_hash", "created_at", "kind" };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        g_auto(Response) response = { 0 };
        g_autoptr(json_t) copy = json_deep_copy (body);
        json_t *copied = json_array_get (json_object_get (copy, "entries"), 0);

        json_object_set_new (copied, fields[i], g_str_equal (fields[i], "kind") ? json_string ("Not A Kind")
                                                : i % 2 ? json_integer (7) : json_string ("7"));
        call (f, "POST", "/v1/push", terminal->token, copy, &response);
        assert_error (&response, 400, "bad_request");
      }
    {
      g_auto(Response) response = { 0 };
      g_autofree char *text = NULL;
      g_autofree char *big = NULL;

      json_object_del (entry, "seq");
      text = pdv_canonical_json (body);
      big = g_strdup_printf ("{\"seq\": 123456789012345678901234567890, %s", strchr (text, '{') + 1);
      call_raw (f, "POST", "/v1/push", terminal->token, big, -1, &response);
      assert_error (&response, 400, "bad_request");
    }
  }

  /* Too large: refused before it is stored anywhere. */
  huge = g_malloc (10 * 1024 * 1024 + 1);
  memset (huge, ' ', 10 * 1024 * 1024);
  huge[0] = '{';
  huge[10 * 1024 * 1024 - 1] = '}';
  huge[10 * 1024 * 1024] = '\0';
  {
    g_auto(Response) response = { 0 };

    call_raw (f, "POST", "/v1/push", terminal->token, huge, 10 * 1024 * 1024, &response);
    assert_error (&response, 413, "too_large");
    response_clear (&response);
    call_raw (f, "POST", "/v1/admin/import", ADMIN_TOKEN, huge, 10 * 1024 * 1024, &response);
    assert_error (&response, 413, "too_large");
    response_clear (&response);

    call (f, "GET", "/v1/nowhere", NULL, NULL, &response);
    assert_error (&response, 404, "not_found");
    response_clear (&response);
    call (f, "GET", "/v1/push", terminal->token, NULL, &response);
    assert_error (&response, 405, "method_not_allowed");
    response_clear (&response);
    call (f, "POST", "/v1/push", NULL, NULL, &response);
    assert_error (&response, 401, "unauthenticated");
  }

  assert_healthy (f);
  push_all (f, terminal);
}

/* Too many requests: 429 with Retry-After. */
static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const slow[] = { "--rate-limit", "2", NULL };
  guint limited = 0;

  if (skip_if_unavailable (f))
    return;
  g_assert_cmpint (pdv_test_syncd_stop (f->syncd), ==, 0);
  f->syncd = start_server (f, slow);

  for (guint i = 0; i < 20; i++)
    {
      g_auto(Response) response = { 0 };

      call (f, "GET", "/v1/health", NULL, NULL, &response);
      if (response.status == 429)
        {
          assert_error (&response, 429, "rate_limited");
          g_assert_nonnull (response.retry_after);
          g_assert_cmpint (atoi (response.retry_after), >=, 1);
          limited++;
        }
      else
        g_assert_cmpuint (response.status, ==, 200);
    }
  g_assert_cmpuint (limited, >=, 10);

  g_usleep (2 * G_USEC_PER_SEC);
  assert_healthy (f);
}

/* GET /v1/health, as from behind a proxy that says it forwards for
 * @forwarded; returns the status. */
static guint
health_forwarded_for (Fixture    *f,
                      SoupSession *session,
                      const char *forwarded)
{
  g_autofree char *url = g_strconcat (pdv_test_syncd_get_url (f->syncd), "/v1/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For", forwarded);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* Behind a venue's NAT or a TLS proxy every terminal has the proxy's
 * address: a trusted proxy's X-Forwarded-For gives each its own rate limit.
 * Anyone else's X-Forwarded-For is ignored, or a client would pick a fresh
 * address for every request. */
static void
test_trusted_proxy (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const trusting[] = { "--rate-limit", "2", "--trusted-proxy", "127.0.0.1", NULL };
  static const char * const distrusting[] = { "--rate-limit", "2", "--trusted-proxy", "10.9.9.9", NULL };
  g_autoptr(SoupSession) session = soup_session_new ();
  guint limited = 0;

  if (skip_if_unavailable (f))
    return;
  g_assert_cmpint (pdv_test_syncd_stop (f->syncd), ==, 0);
  f->syncd = start_server (f, trusting);
  /* Twenty terminals, one request each: none limited. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *client = g_strdup_printf ("192.168.0.%u", i + 10);
      g_autofree char *forwarded = g_strdup_printf ("%s, 127.0.0.1", client);

      g_assert_cmpuint (health_forwarded_for (f, session, forwarded), ==, 200);
    }
  /* One terminal, twenty requests: limited as it would be on its own. */
  for (guint i = 0; i < 20; i++)
    if (health_forwarded_for (f, session, "192.168.0.99") == 429)
      limited++;
  g_assert_cmpuint (limited, >=, 10);

  /* The header from a peer that is not a trusted proxy is ignored. */
  g_assert_cmpint (pdv_test_syncd_stop (f->syncd), ==, 0);
  f->syncd = start_server (f, distrusting);
  limited = 0;
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *forged = g_strdup_printf ("172.16.0.%u", i + 10);

      if (health_forwarded_for (f, session, forged) == 429)
        limited++;
    }
  g_assert_cmpuint (limited, >=, 10);
}

/* Prometheus counters. */
static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autofree char *sale = NULL;
  Terminal *terminal;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  sale = sell (terminal, "CERV-LATA-350", 1, PDV_PAYMENT_CARD);
  push_all (f, terminal);
  push_all (f, terminal);

  call (f, "GET", "/metrics", NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_nonnull (strstr (response.text, "pdv_http_requests_total{path=\"/v1/push\",code=\"200\"} 2\n"));
  g_assert_nonnull (strstr (response.text, "pdv_entries_stored_total{kind=\"sale\"} 1\n"));
  g_assert_nonnull (strstr (response.text, "pdv_entries_rejected_total 0\n"));
  g_assert_nonnull (strstr (response.text, "pdv_conflicts_total 0\n"));
  g_assert_nonnull (strstr (response.text, "pdv_terminals 1\n"));
  g_assert_nonnull (strstr (response.text, "# TYPE pdv_http_requests_total counter\n"));
  /* How long requests took, in buckets; what is running. */
  g_assert_nonnull (strstr (response.text, "# TYPE pdv_http_request_duration_seconds histogram\n"));
  g_assert_nonnull (strstr (response.text, "pdv_http_request_duration_seconds_bucket{path=\"/v1/push\",le=\"+Inf\"} 2\n"));
  g_assert_nonnull (strstr (response.text, "pdv_http_request_duration_seconds_count{path=\"/v1/push\"} 2\n"));
  g_assert_nonnull (strstr (response.text, "pdv_build_info{version=\"" PACKAGE_VERSION "\"} 1\n"));
}

typedef struct {
  const char *url;
  const char *body;
  guint       status;
  gint        sent;   /* the whole body is on its way */
  gint        done;
} ImportCall;

static void
import_sent_cb (SoupMessage *msg,
                gpointer     data)
{
  ImportCall *import = data;

  g_atomic_int_set (&import->sent, 1);
}

static gpointer
import_thread (gpointer data)
{
  ImportCall *import = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 300, NULL);
  g_autofree char *url = g_strconcat (import->url, "/v1/admin/import", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_static (import->body, strlen (import->body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " ADMIN_TOKEN);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (import_sent_cb), import);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  import->status = soup_message_get_status (msg);
  g_atomic_int_set (&import->done, 1);
  return NULL;
}

/* A pull on another thread, as a gate waiting for news would make it. */
typedef struct {
  const char *url;
  const char *token;
  char       *path;
  Response    response;
} HeldPull;

static gpointer
held_pull_thread (gpointer data)
{
  HeldPull *pull = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, NULL);
  g_autoptr(GError) error = NULL;

  send_request (session, pull->url, "GET", pull->path, pull->token, NULL, 0, &pull->response, &error);
  g_assert_no_error (error);
  return NULL;
}

/* The number after @name in the server's metrics. */
static gint64
metric (Fixture    *f,
        const char *name)
{
  gint64 value = pdv_test_syncd_metric (pdv_test_syncd_get_url (f->syncd), name);

  g_assert_cmpint (value, >=, 0);
  return value;
}

/* Polls the metrics until @name reads @value, for at most 60 s. */
static void
wait_for_metric (Fixture    *f,
                 const char *name,
                 gint64      value)
{
  g_assert_true (pdv_test_syncd_wait_for_metric (pdv_test_syncd_get_url (f->syncd), name, value, 60));
}

static gint64
current_cursor (Fixture  *f,
                Terminal *terminal)
{
  g_auto(Response) page = { 0 };

  call (f, "GET", "/v1/pull?since=0&limit=1000", terminal->token, NULL, &page);
  g_assert_cmpuint (page.status, ==, 200);
  g_assert_false (json_is_true (json_object_get (page.json, "more")));
  return json_integer_value (json_object_get (page.json, "next"));
}

/* A pull with `wait` is held until a change comes, and only then answers:
 * a gate hears of another's admission as it is stored. */
static void
test_pull_wait (Fixture       *f,
                gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *raw = NULL;
  HeldPull held = { 0 };
  GThread *thread;
  Terminal *a, *b;
  gint64 cursor;
  json_t *changes;

  if (skip_if_unavailable (f))
    return;
  a = add_terminal (f, "Portão 1");
  b = add_terminal (f, "Portão 2");
  admit (b, "TM1", "Portão 2");
  push_all (f, b);
  cursor = current_cursor (f, a);

  call (f, "GET", "/v1/pull?since=0&wait=soon", a->token, NULL, &response);
  assert_error (&response, 400, "bad_request");
  response_clear (&response);
  call (f, "GET", "/v1/pull?since=0&wait=61", a->token, NULL, &response);
  assert_error (&response, 400, "bad_request");
  response_clear (&response);
  /* What is there already comes at once. */
  call (f, "GET", "/v1/pull?since=0&wait=60", a->token, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpuint (json_array_size (json_object_get (response.json, "changes")), >, 0);
  response_clear (&response);
  /* Nothing new within the time asked for: an empty page. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT "&wait=1", cursor);

    call (f, "GET", path, a->token, NULL, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_cmpuint (json_array_size (json_object_get (response.json, "changes")), ==, 0);
    g_assert_cmpint (json_integer_value (json_object_get (response.json, "next")), ==, cursor);
    response_clear (&response);
  }

  /* Held, while the server goes on answering everyone else. */
  held.url = pdv_test_syncd_get_url (f->syncd);
  held.token = a->token;
  held.path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT "&wait=60", cursor);
  thread = g_thread_new ("held pull", held_pull_thread, &held);
  wait_for_metric (f, "pdv_pulls_waiting", 1);
  assert_healthy (f);
  admit (b, "TS1", "Portão 2");
  push_all (f, b);
  g_thread_join (thread);
  g_assert_cmpuint (held.response.status, ==, 200);
  changes = json_object_get (held.response.json, "changes");
  g_assert_cmpuint (json_array_size (changes), ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (changes, 0), "type")), ==, "checkin");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (json_array_get (changes, 0), "data"),
                                                       "ticket_id")), ==, "TS1");
  g_assert_cmpint (metric (f, "pdv_pulls_waiting"), ==, 0);
  response_clear (&held.response);
  g_free (held.path);

  /* A client that gives up while held leaves nothing behind. */
  uri = g_uri_parse (pdv_test_syncd_get_url (f->syncd), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri), (guint16) g_uri_get_port (uri), NULL,
                                                &error);
  g_assert_no_error (error);
  raw = g_strdup_printf ("GET /v1/pull?since=%" G_GINT64_FORMAT "&wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Authorization: Bearer %s\r\n\r\n", current_cursor (f, a), a->token);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), raw, strlen (raw), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  wait_for_metric (f, "pdv_pulls_waiting", 1);
  g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
  g_assert_no_error (error);
  wait_for_metric (f, "pdv_pulls_waiting", 0);
  admit (b, "TS2", "Portão 2");
  push_all (f, b);
  assert_healthy (f);
}

/* Storage work runs beside the main loop: a long import does not hold up
 * health checks, pushes or pulls. */
static void
test_never_blocks (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) tickets = g_string_new ("{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": [");
  ImportCall import = { 0 };
  GThread *thread;
  gboolean sent = FALSE;
  guint answered = 0;
  Terminal *terminal;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (tickets, "%s{\"id\": \"B%05u\", \"secret\": \"secret-%05u\", \"order_code\": \"O%05u\", "
                            "\"holder_name\": \"Pessoa %u\", \"type\": \"Pista\", \"zone\": \"general\", "
                            "\"entry_policy\": \"single\"}", i ? "," : "", i, i, i, i);
  g_string_append (tickets, "]}");

  import.url = pdv_test_syncd_get_url (f->syncd);
  import.body = tickets->str;
  thread = g_thread_new ("import", import_thread, &import);
  /* Health and a terminal's push and pull answer while the import runs. */
  while (!g_atomic_int_get (&import.done))
    {
      g_autofree char *sale = sell (terminal, "CERV-LATA-350", 1, PDV_PAYMENT_CARD);
      g_auto(Response) page = { 0 };

      assert_healthy (f);
      push_all (f, terminal);
      call (f, "GET", "/v1/pull?since=0&limit=1", terminal->token, NULL, &page);
      g_assert_cmpuint (page.status, ==, 200);
      /* Counted from when the server has the document to check. */
      if (sent && !g_atomic_int_get (&import.done))
        answered++;
      sent = g_atomic_int_get (&import.sent);
    }
  g_thread_join (thread);
  g_assert_cmpuint (import.status, ==, 201);
  g_test_message ("%u rounds of health, push and pull answered while the server checked the import", answered);
  g_assert_cmpuint (answered, >=, 2);
}

/* Keeps every line the server logs. */
static gboolean
log_line_cb (const char *line,
             gpointer    data)
{
  g_string_append_printf (data, "%s\n", line);
  return FALSE;
}

/* A config file the flags override; one log line per request and audit
 * lines, as an operator reads them; a config file with a mistake in it
 * stops the server with where it is. */
static void
test_config_and_log (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "syncd.db", NULL);
  g_autofree char *config = g_build_filename (dir, "pdv-syncd.conf", NULL);
  g_autofree char *bad_config = g_build_filename (dir, "bad.conf", NULL);
  g_autofree char *line = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_auto(PdvTestRun) bad = { 0 };
  const char *argv[] = { g_getenv ("PDV_SYNCD"), "--config", config, "--db", db, NULL };
  const char *bad_argv[] = { g_getenv ("PDV_SYNCD"), "--config", bad_config, NULL };
  const char *url;
  GPid pid;
  int out_fd, err_fd, status;

  /* The file says where to listen and where to store; --db wins over it. */
  g_assert_true (g_file_set_contents (config, "# pdv-syncd settings\n[pdv-syncd]\nlisten=127.0.0.1:0\n"
                                      "db=/nonexistent/elsewhere.db\nrate-limit=1000\n", -1, NULL));
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                            &out_fd, &err_fd, &error);
  g_assert_no_error (error);
  while (strchr (out->str, '\n') == NULL)
    {
      char buf[256];
      ssize_t n = read (out_fd, buf, sizeof buf);

      g_assert_cmpint (n, >, 0);
      g_string_append_len (out, buf, n);
    }
  g_assert_true (g_str_has_prefix (out->str, "listening on http://127.0.0.1:"));
  url = strchr (out->str, ' ') + strlen (" on ");
  *strchr (out->str, '\n') = '\0';
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));

  {
    g_autofree char *health = g_strconcat (url, "/v1/health", NULL);
    g_autofree char *pull = g_strconcat (url, "/v1/pull?since=0", NULL);
    g_autoptr(SoupMessage) first = soup_message_new ("GET", health);
    g_autoptr(SoupMessage) second = soup_message_new ("GET", pull);
    g_autoptr(GBytes) a = NULL;
    g_autoptr(GBytes) b = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (second), "Authorization", "Bearer not-a-token");
    a = soup_session_send_and_read (session, first, NULL, &error);
    g_assert_no_error (error);
    b = soup_session_send_and_read (session, second, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (second), ==, 401);
  }
  kill (pid, SIGTERM);
  {
    g_autoptr(GString) pending = g_string_new (NULL);

    /* Until the server closes its stderr on the way out. */
    pdv_test_read_lines (err_fd, pending, g_get_monotonic_time () + 60 * G_USEC_PER_SEC, FALSE, log_line_cb, err);
  }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  close (out_fd);
  close (err_fd);
  g_spawn_close_pid (pid);
  g_test_message ("%s", err->str);
  /* Method, path, status, time, who. */
  g_assert_true (g_regex_match_simple ("GET /v1/health 200 [0-9.]+ ms 127\\.0\\.0\\.1\n", err->str, 0, 0));
  g_assert_true (g_regex_match_simple ("GET /v1/pull 401 [0-9.]+ ms 127\\.0\\.0\\.1\n", err->str, 0, 0));
  g_assert_nonnull (strstr (err->str, "audit: unknown token from 127.0.0.1 on /v1/pull"));

  /* A setting that does not exist is a mistake, not a default. */
  g_assert_true (g_file_set_contents (bad_config, "[pdv-syncd]\nlisten=127.0.0.1:0\nrate_limit=10\n", -1, NULL));
  pdv_test_spawn (bad_argv, NULL, &bad);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "unknown setting “rate_limit”"));
  pdv_test_remove_tree (dir);
}

/* The answer to a committed push is lost; the retry is harmless. */
static void
test_fault_dropped_answer (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const faulty[] = { "--rate-limit", "1000", "--fault-drop-response-after-commit", "1", NULL };
  g_auto(Response) response = { 0 };
  g_auto(Response) summary = { 0 };
  g_autoptr(json_t) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sale = NULL;
  Terminal *terminal;

  if (skip_if_unavailable (f))
    return;
  terminal = add_terminal (f, "Bar 1");
  sale = sell (terminal, "CERV-LATA-350", 1, PDV_PAYMENT_CARD);
  g_assert_cmpint (pdv_test_syncd_stop (f->syncd), ==, 0);
  f->syncd = start_server (f, faulty);

  /* A connection of its own, so that no retry on a reused one hides the loss. */
  session = soup_session_new ();
  body = push_body (terminal, 0, 0);
  text = pdv_canonical_json (body);
  g_assert_false (send_request (session, pdv_test_syncd_get_url (f->syncd), "POST", "/v1/push", terminal->token,
                                text, -1, &response, &error));
  g_assert_nonnull (error);
  g_test_message ("the client saw: %s", error->message);

  call_raw (f, "POST", "/v1/push", terminal->token, text, -1, &response);
  g_assert_cmpuint (response.status, ==, 200);
  for (guint i = 0; i < n_results (&response); i++)
    g_assert_cmpstr (status_at (&response, i), ==, "duplicate");
  g_assert_cmpint (acked_seq (&response), ==, last_seq (terminal));

  report (f, &summary);
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, terminal->id), "sales")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (summary.json, "payments"), "card")), ==,
                   1200);
}

/* Killed mid-run and started again: everything acknowledged is still there. */
static void
test_kill_restart (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autoptr(json_t) changes = NULL;
  Terminal *a, *b;
  gint64 acked;

  if (skip_if_unavailable (f))
    return;
  a = add_terminal (f, "Portão 1");
  b = add_terminal (f, "Portão 2");
  for (guint i = 0; i < 5; i++)
    g_free (sell (a, "CERV-LATA-350", 1, PDV_PAYMENT_CASH));
  admit (a, "TS1", "Portão 1");
  admit (b, "TS1", "Portão 2");
  push_all (f, b);
  push (f, a, 0, 0, &response);
  acked = acked_seq (&response);
  g_assert_cmpint (acked, ==, last_seq (a));
  response_clear (&response);

  pdv_test_syncd_kill (f->syncd);
  f->syncd = start_server (f, NULL);

  push (f, a, 0, 0, &response);
  g_assert_cmpint (acked_seq (&response), ==, acked);
  /* Sent again, each says what it was the first time: the scan that lost to
   * Portão 2 is still a conflict, not a copy. */
  for (guint i = 0; i < n_results (&response); i++)
    g_assert_cmpstr (status_at (&response, i), ==, i + 1 < n_results (&response) ? "duplicate" : "conflict");
  response_clear (&response);

  changes = pull_all (f, b);
  g_assert_cmpuint (count_changes (changes, "conflict"), ==, 1);
  g_assert_cmpuint (count_changes (changes, "checkin"), ==, 2);

  /* The old tokens still work, and new entries go on from there. */
  g_free (sell (a, "CERV-LATA-350", 1, PDV_PAYMENT_CASH));
  push (f, a, acked, 0, &response);
  g_assert_cmpstr (status_at (&response, 0), ==, "accepted");
  g_assert_cmpint (acked_seq (&response), ==, acked + 1);
}

typedef struct {
  const char *url;
  const char *token;
  GPtrArray  *bodies;   /* push bodies, as text */
  GPtrArray  *answers;  /* Response * */
} Pusher;

static gpointer
pusher_thread (gpointer data)
{
  Pusher *pusher = data;
  g_autoptr(SoupSession) session = soup_session_new ();

  soup_session_set_timeout (session, 120);
  for (guint i = 0; i < pusher->bodies->len; i++)
    {
      Response *response = g_new0 (Response, 1);
      g_autoptr(GError) error = NULL;

      send_request (session, pusher->url, "POST", "/v1/push", pusher->token, g_ptr_array_index (pusher->bodies, i),
                    -1, response, &error);
      g_assert_no_error (error);
      g_ptr_array_add (pusher->answers, response);
    }
  return NULL;
}

static void
free_response (Response *response)
{
  response_clear (response);
  g_free (response);
}

static void
prepare_pusher (Pusher       *pusher,
                Terminal     *terminal,
                PdvTestSyncd *syncd)
{
  gint64 total = last_seq (terminal);

  pusher->url = pdv_test_syncd_get_url (syncd);
  pusher->token = terminal->token;
  pusher->bodies = g_ptr_array_new_with_free_func (g_free);
  pusher->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) free_response);
  for (gint64 since = 0; since < total; since += 7)
    {
      g_autoptr(json_t) body = push_body (terminal, since, 7);

      g_ptr_array_add (pusher->bodies, pdv_canonical_json (body));
    }
}

/* Two servers on one database, two terminals pushing at once and the same
 * ticket admitted through both: one conflict, both chains whole. */
static void
test_two_servers (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Response) summary = { 0 };
  g_auto(Response) response = { 0 };
  g_autoptr(json_t) changes = NULL;
  PdvTestSyncd *second;
  Pusher pushers[2] = { 0 };
  GThread *threads[2];
  Terminal *a, *b;
  guint conflicts = 0;

  if (skip_if_unavailable (f))
    return;
  a = add_terminal (f, "Portão 1");
  b = add_terminal (f, "Portão 2");
  for (guint i = 0; i < 20; i++)
    {
      g_free (sell (a, "CERV-LATA-350", 1, PDV_PAYMENT_CARD));
      g_free (sell (b, "CERV-LATAO-473", 1, PDV_PAYMENT_PIX));
      if (i == 10)
        {
          admit (a, "TS1", "Portão 1");
          admit (b, "TS1", "Portão 2");
          admit (a, "TR1", "Portão 1");
          admit (b, "TR1", "Portão 2");
        }
    }

  second = start_server (f, NULL);
  prepare_pusher (&pushers[0], a, f->syncd);
  prepare_pusher (&pushers[1], b, second);
  threads[0] = g_thread_new ("push-a", pusher_thread, &pushers[0]);
  threads[1] = g_thread_new ("push-b", pusher_thread, &pushers[1]);
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);

  for (guint p = 0; p < 2; p++)
    {
      for (guint i = 0; i < pushers[p].answers->len; i++)
        {
          Response *answer = g_ptr_array_index (pushers[p].answers, i);

          g_assert_cmpuint (answer->status, ==, 200);
          for (guint r = 0; r < n_results (answer); r++)
            {
              const char *status = status_at (answer, r);

              g_assert_true (g_str_equal (status, "accepted") || g_str_equal (status, "conflict"));
              conflicts += g_str_equal (status, "conflict");
            }
        }
      g_ptr_array_unref (pushers[p].bodies);
      g_ptr_array_unref (pushers[p].answers);
    }
  /* TS1 (single) and TR1 (re-entry, nobody left) each lost once. */
  g_assert_cmpuint (conflicts, ==, 2);

  report (f, &summary);
  g_assert_cmpint (json_integer_value (json_object_get (summary.json, "conflicts")), ==, 2);
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, a->id), "last_seq")), ==,
                   last_seq (a));
  g_assert_cmpint (json_integer_value (json_object_get (report_terminal (&summary, b->id), "last_seq")), ==,
                   last_seq (b));

  /* Both chains whole, through either server: sent again, each entry is
   * what it was (a scan that lost, a conflict; the rest, copies). */
  push (f, b, 0, 0, &response);
  g_assert_cmpint (acked_seq (&response), ==, last_seq (b));
  for (guint i = 0; i < n_results (&response); i++)
    g_assert_true (g_str_equal (status_at (&response, i), "duplicate") ||
                   g_str_equal (status_at (&response, i), "conflict"));

  changes = pull_all (f, a);
  g_assert_cmpuint (count_changes (changes, "conflict"), ==, 2);
  g_assert_cmpuint (count_changes (changes, "checkin"), ==, 4);
  {
    /* Cursors strictly increase: no change can be skipped by a puller. */
    json_t *change;
    size_t i;
    gint64 previous = 0;

    json_array_foreach (changes, i, change)
      {
        gint64 cursor = json_integer_value (json_object_get (change, "cursor"));

        g_assert_cmpint (cursor, >, previous);
        previous = cursor;
      }
  }

  g_assert_cmpint (pdv_test_syncd_stop (second), ==, 0);
}

/* A database from a newer pdv-syncd is left alone. */
static void
test_schema_too_new (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(PdvTestRun) run = { 0 };
  const char *argv[] = { g_getenv ("PDV_SYNCD"), "--db", f->db, "--listen", "127.0.0.1:0", NULL };

  if (skip_if_unavailable (f))
    return;
  g_assert_cmpint (pdv_test_syncd_stop (g_steal_pointer (&f->syncd)), ==, 0);

  sqlite_exec (f->db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");

  pdv_test_spawn (argv, NULL, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "newer pdv-syncd"));
  g_assert_cmpstr (run.out, ==, "");
}

static gboolean
accept_test_certificate_cb (SoupMessage          *message,
                            GTlsCertificate      *peer,
                            GTlsCertificateFlags  errors,
                            gpointer              user_data)
{
  /* Self-signed for the test: trusted because it is exactly the one made. */
  return g_tls_certificate_is_same (peer, G_TLS_CERTIFICATE (user_data));
}

static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_build_filename (f->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "key.pem", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *health = NULL;
  g_autoptr(GTlsCertificate) expected = NULL;
  g_autoptr(SoupMessage) trusted = NULL;
  g_autoptr(SoupMessage) untrusted = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) refused = NULL;
  g_autoptr(SoupSession) stranger = NULL;
  PdvTestSyncd *tls;
  int wait_status = 0;
  const char *args[] = { "--rate-limit", "1000", "--tls-cert", cert, "--tls-key", key, NULL };
  const char *make_cert[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                              "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL };

  if (skip_if_unavailable (f))
    return;
  /* openssl comes with Debian's ca-certificates; without it this test cannot run. */
  if (openssl == NULL)
    g_error ("openssl is needed to make the test certificate");
  g_spawn_sync (NULL, (char **) make_cert, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  expected = g_tls_certificate_new_from_file (cert, &error);
  g_assert_no_error (error);

  g_assert_cmpint (pdv_test_syncd_stop (f->syncd), ==, 0);
  f->syncd = NULL;
  tls = pdv_test_syncd_start (f->db, ADMIN_TOKEN, args);
  g_assert_true (g_str_has_prefix (pdv_test_syncd_get_url (tls), "https://"));
  health = g_strconcat (pdv_test_syncd_get_url (tls), "/v1/health", NULL);

  trusted = soup_message_new ("GET", health);
  g_signal_connect (trusted, "accept-certificate", G_CALLBACK (accept_test_certificate_cb), expected);
  body = soup_session_send_and_read (f->session, trusted, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (trusted), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\"ok\""));

  /* A client that does not trust the certificate gets nothing (a session of
   * its own: the first one keeps its trusted connection open). */
  untrusted = soup_message_new ("GET", health);
  stranger = soup_session_new ();
  refused = soup_session_send_and_read (stranger, untrusted, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_clear_error (&error);

  /* TLS 1.2 and newer: a client that offers only 1.1 (and would take any
   * cipher) is refused; one offering 1.2 is served. */
  {
    g_autoptr(GUri) uri = g_uri_parse (pdv_test_syncd_get_url (tls), G_URI_FLAGS_NONE, NULL);
    g_autofree char *address = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
    const char *versions[] = { "-tls1_1", "-tls1_2" };

    for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
      {
        const char *client[] = { openssl, "s_client", "-connect", address, versions[i], "-cipher", "DEFAULT@SECLEVEL=0",
                                 NULL };
        g_autofree char *out = NULL;

        g_spawn_sync (NULL, (char **) client, NULL, G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                      NULL, &out, NULL, &wait_status, &error);
        g_assert_no_error (error);
        g_test_message ("openssl s_client %s: %s", versions[i], strstr (out, "Cipher is") ? strstr (out, "Cipher is")
                                                                                          : "no handshake");
        if (i == 0)
          {
            g_assert_false (g_spawn_check_wait_status (wait_status, NULL));
            g_assert_null (strstr (out, "TLSv1.1, Cipher is"));
          }
        else
          {
            g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
            g_assert_nonnull (strstr (out, "Protocol  : TLSv1.2"));
          }
      }
  }

  g_assert_cmpint (pdv_test_syncd_stop (tls), ==, 0);
}

/* Operations: the version, a help without test switches, a database only its
 * owner can read, and a listen queue that holds a fleet reconnecting at once
 * (the server stopped, 300 connections are still taken by the kernel). */
static void
test_operations (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(PdvTestRun) version = { 0 };
  g_auto(PdvTestRun) help = { 0 };
  const char *version_argv[] = { g_getenv ("PDV_SYNCD"), "--version", NULL };
  const char *help_argv[] = { g_getenv ("PDV_SYNCD"), "--help", NULL };
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  GStatBuf st;
  guint connected = 0;
  gint64 deadline;

  if (skip_if_unavailable (f))
    return;

  pdv_test_spawn (version_argv, NULL, &version);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_cmpstr (version.out, ==, "pdv-syncd " PACKAGE_VERSION "\n");
  pdv_test_spawn (help_argv, NULL, &help);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--backlog"));
  g_assert_null (strstr (help.out, "--fault-"));

  g_assert_cmpint (g_stat (f->db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  uri = g_uri_parse (pdv_test_syncd_get_url (f->syncd), G_URI_FLAGS_NONE, NULL);
  address = g_inet_socket_address_new (loopback, (guint16) g_uri_get_port (uri));
  g_assert_cmpint (kill (pdv_test_syncd_get_pid (f->syncd), SIGSTOP), ==, 0);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

      g_assert_no_error (error);
      g_socket_set_blocking (socket, FALSE);
      if (!g_socket_connect (socket, address, NULL, &error))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
      g_ptr_array_add (sockets, socket);
    }
  /* The kernel completes what the queue holds; the rest would wait for a
   * retry of their handshake (or be reset). */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do
    {
      connected = 0;
      for (guint i = 0; i < sockets->len; i++)
        {
          GSocket *socket = g_ptr_array_index (sockets, i);

          if (g_socket_condition_check (socket, G_IO_OUT) & G_IO_OUT &&
              g_socket_check_connect_result (socket, NULL))
            connected++;
        }
      if (connected < sockets->len)
        g_usleep (20 * 1000);
    }
  while (connected < sockets->len && g_get_monotonic_time () < deadline);
  g_assert_cmpint (kill (pdv_test_syncd_get_pid (f->syncd), SIGCONT), ==, 0);
  g_test_message ("%u of %u connections taken while the server was stopped", connected, sockets->len);
  g_assert_cmpuint (connected, ==, sockets->len);
  g_ptr_array_set_size (sockets, 0);
}

static void
add_test (Backend     backend,
          const char *name,
          void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/syncd/%s/%s", backend == BACKEND_SQLITE ? "sqlite" : "postgresql", name);

  g_test_add (path, Fixture, GINT_TO_POINTER (backend), fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  manager_pin_hash = pdv_pin_hash (MANAGER_PIN, &error);
  g_assert_no_error (error);

  for (Backend backend = BACKEND_SQLITE; backend <= BACKEND_POSTGRESQL; backend++)
    {
      add_test (backend, "enrol", test_enrol);
      add_test (backend, "push/duplicate", test_push_duplicate);
      add_test (backend, "push/gap", test_push_gap);
      add_test (backend, "push/tampered", test_push_tampered);
      add_test (backend, "push/forged", test_push_forged);
      add_test (backend, "checkin/conflict", test_checkin_conflict);
      add_test (backend, "checkin/multi", test_checkin_multi);
      add_test (backend, "pull/paging", test_pull_paging);
      add_test (backend, "pull/wait", test_pull_wait);
      add_test (backend, "entries", test_entries);
      add_test (backend, "never-blocks", test_never_blocks);
      add_test (backend, "import", test_import);
      add_test (backend, "report", test_report);
      add_test (backend, "garbage", test_garbage);
      add_test (backend, "rate-limit", test_rate_limit);
      add_test (backend, "metrics", test_metrics);
      add_test (backend, "fault/dropped-answer", test_fault_dropped_answer);
      add_test (backend, "fault/kill-restart", test_kill_restart);
    }
  add_test (BACKEND_SQLITE, "schema-too-new", test_schema_too_new);
  add_test (BACKEND_SQLITE, "report/totals", test_report_totals);
  add_test (BACKEND_SQLITE, "tls", test_tls);
  add_test (BACKEND_SQLITE, "operations", test_operations);
  add_test (BACKEND_SQLITE, "trusted-proxy", test_trusted_proxy);
  g_test_add_func ("/syncd/operations/config-and-log", test_config_and_log);
  add_test (BACKEND_POSTGRESQL, "two-servers", test_two_servers);

  postgres = pdv_test_postgres_start (&error);
  if (postgres == NULL)
    {
      /* Installed but broken is a failure; not installed is a skip. */
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_error ("PostgreSQL would not start: %s", error->message);
      postgres_problem = g_strdup (error->message);
    }

  status = g_test_run ();

  g_clear_pointer (&postgres, pdv_test_postgres_stop);
  g_free (postgres_problem);
  g_free (manager_pin_hash);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "pdv-rate-limiter.h"
#include "pdv-sync-alerts.h"
#include "pdv-sync-panel.h"
#include "pdv-sync-metrics.h"
#include "pdv-sync-protocol.h"
#include "pdv-sync-server.h"

/*
 * Requests are read and answered on the main loop; whatever touches storage
 * runs on a thread of its own, each with its own connection, while the
 * request waits paused. Health checks and metrics have a lane of their own,
 * so that they answer while every worker is busy.
 */
struct _PdvSyncServer
{
  GObject         parent_instance;
  SoupServer     *soup;
  GMainContext   *context;
  GPtrArray      *stores;       /* PdvStore: the health lane's, then the workers' */
  GAsyncQueue    *idle_stores;  /* the workers' stores not in use */
  GThreadPool    *workers;
  GThreadPool    *health_lane;
  char           *tls_sha256;   /* the certificate's fingerprint, for enrolment texts; NULL over HTTP */
  guint           in_flight;    /* jobs not yet answered */
  GQueue          waiters;      /* Job: pulls with `wait` held until a change */
  GQueue          panel_waiters; /* Job: panels held until their figures change */
  guint           panel_tick_id; /* panels look again, at most once a second */
  gboolean        stored_since_tick; /* a push stored since they last looked */
  gint64          panels_woken_at; /* when they last looked (monotonic µs) */
  PdvSyncPanel   *panel;
  PdvSyncAlerts  *alerts;
  guint           alerts_id;     /* the rules are checked every few seconds */
  gboolean        alerts_running;
  gint            alerts_changed;
  guint           recheck_id;   /* waiters look again: others write to the store too */
  guint64         generation;   /* how many answers so far grew the change feed */
  gint            n_waiting;    /* the waiters' length, for the metrics' thread */
  gboolean        shared_store; /* other servers may write to it (PostgreSQL) */
  PdvSyncMetrics *metrics;
  PdvRateLimiter *limiter;
  guint8          admin_hash[crypto_hash_sha256_BYTES];
  gboolean        has_admin_token;
  gsize           max_body;
  guint           fault_drop_after;
  guint           push_commits;
  GPtrArray      *trusted_proxies;   /* GInetAddress; NULL: none */
};

G_DEFINE_FINAL_TYPE (PdvSyncServer, pdv_sync_server, G_TYPE_OBJECT)

#define BODY_SIZE_KEY "pdv-body-size"
#define STARTED_KEY   "pdv-started"
#define TERMINAL_KEY  "pdv-terminal"
#define CLIENT_KEY    "pdv-client"

/* How often held pulls look again when other servers share the store. */
#define PDV_SYNC_SERVER_RECHECK_MS 500

static const char *
request_path (SoupServerMessage *msg)
{
  return g_uri_get_path (soup_server_message_get_uri (msg));
}

static void
send_reply (SoupServerMessage *msg,
            PdvSyncReply      *reply)
{
  char *text = NULL;
  gsize length;

  if (reply->raw != NULL)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      soup_server_message_set_status (msg, reply->status, NULL);
      if (reply->file_name != NULL)
        {
          g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s\"", reply->file_name);

          soup_message_headers_replace (headers, "Content-Disposition", disposition);
        }
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (reply->raw, NULL), g_bytes_get_size (reply->raw));
      return;
    }
  text = json_dumps (reply->body, JSON_COMPACT);
  length = text ? strlen (text) : 0;

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", reply->retry_after);
  if (reply->set_cookie != NULL)
    soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", reply->set_cookie);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text ? text : "", length);
  free (text);
}

static void send_error (SoupServerMessage *msg,
                        guint              status,
                        const char        *code,
                        const char        *format,
                        ...) G_GNUC_PRINTF (4, 5);

static void
send_error (SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *format,
            ...)
{
  g_auto(PdvSyncReply) reply = { 0 };
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  pdv_sync_reply_error (&reply, status, code, "%s", message);
  send_reply (msg, &reply);
}

/* The bearer token, or NULL. */
static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  header += 7;
  while (*header == ' ')
    header++;
  return *header ? header : NULL;
}

/* Who the client is, as early_request_cb() found: the peer, or behind a
 * trusted proxy the address it forwarded for. */
static const char *
remote_host (SoupServerMessage *msg)
{
  const char *client = g_object_get_data (G_OBJECT (msg), CLIENT_KEY);
  const char *host = client != NULL ? client : soup_server_message_get_remote_host (msg);

  return host != NULL ? host : "?";
}

static gboolean
is_trusted_proxy (PdvSyncServer *self,
                  const char    *address)
{
  g_autoptr(GInetAddress) parsed = address ? g_inet_address_new_from_string (address) : NULL;

  if (parsed == NULL)
    return FALSE;
  for (guint i = 0; self->trusted_proxies != NULL && i < self->trusted_proxies->len; i++)
    if (g_inet_address_equal (parsed, g_ptr_array_index (self->trusted_proxies, i)))
      return TRUE;
  return FALSE;
}

/* The client's address: the peer's, unless the peer is a trusted proxy
 * (a venue's NAT gateway or a TLS terminator): then the right-most address
 * of X-Forwarded-For that is not itself one, so that a client cannot pick
 * its own by sending the header. */
static char *
find_client (PdvSyncServer     *self,
             SoupServerMessage *msg)
{
  const char *peer = soup_server_message_get_remote_host (msg);
  const char *forwarded;
  g_auto(GStrv) hops = NULL;

  if (!is_trusted_proxy (self, peer))
    return g_strdup (peer ? peer : "?");
  forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg), "X-Forwarded-For");
  if (forwarded == NULL)
    return g_strdup (peer);
  hops = g_strsplit (forwarded, ",", -1);
  for (int i = (int) g_strv_length (hops) - 1; i >= 0; i--)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (g_strstrip (hops[i]));

      if (address == NULL)
        break;
      if (!is_trusted_proxy (self, hops[i]))
        return g_inet_address_to_string (address);
    }
  return g_strdup (peer);
}

static gboolean
is_admin_token (PdvSyncServer *self,
                const char    *token)
{
  guint8 hash[crypto_hash_sha256_BYTES];

  if (!self->has_admin_token || token == NULL)
    return FALSE;
  crypto_hash_sha256 (hash, (const guint8 *) token, strlen (token));
  return sodium_memcmp (hash, self->admin_hash, sizeof hash) == 0;
}

typedef enum {
  ROUTE_HEALTH,
  ROUTE_METRICS,
  ROUTE_PUSH,
  ROUTE_PULL,
  ROUTE_ENTRIES,
  ROUTE_ENROL,
  ROUTE_ENROLMENTS,
  ROUTE_IMPORT,
  ROUTE_REPORT,
  ROUTE_PANEL_ACCOUNTS,
  ROUTE_PANEL_LOGIN,
  ROUTE_PANEL_LOGOUT,
  ROUTE_PANEL_STATE,
  ROUTE_PANEL_STRINGS,
  ROUTE_PANEL_EXPORT,
  ROUTE_PANEL_RULES,
  ROUTE_PANEL_WEBHOOKS,
} Route;

static const struct {
  const char *path;
  const char *method;
  Route       route;
} routes[] = {
  { "/v1/health", "GET", ROUTE_HEALTH },
  { "/metrics", "GET", ROUTE_METRICS },
  { "/v1/push", "POST", ROUTE_PUSH },
  { "/v1/pull", "GET", ROUTE_PULL },
  { "/v1/entries", "GET", ROUTE_ENTRIES },
  { "/v1/enroll", "POST", ROUTE_ENROL },
  { "/v1/admin/enrolments", "POST", ROUTE_ENROLMENTS },
  { "/v1/admin/import", "POST", ROUTE_IMPORT },
  { "/v1/admin/report", "GET", ROUTE_REPORT },
  { "/v1/admin/panel-accounts", "POST", ROUTE_PANEL_ACCOUNTS },
  { "/v1/panel/login", "POST", ROUTE_PANEL_LOGIN },
  { "/v1/panel/logout", "POST", ROUTE_PANEL_LOGOUT },
  { "/v1/panel/state", "GET", ROUTE_PANEL_STATE },
  { "/v1/panel/strings", "GET", ROUTE_PANEL_STRINGS },
  { "/v1/panel/export", "GET", ROUTE_PANEL_EXPORT },
  { "/v1/panel/rules", "POST", ROUTE_PANEL_RULES },
  { "/v1/panel/webhooks", "POST", ROUTE_PANEL_WEBHOOKS },
};

/* One request's storage work, handed to a thread and back. */
typedef struct {
  PdvSyncServer     *server;
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           gone;         /* the client left before its answer */
  Route              route;
  char              *token;
  GBytes            *body;
  char              *since;
  char              *after;
  char              *limit;
  char              *url;          /* this server's, as the client reached it */
  char              *client;
  gboolean           check;        /* a report checked against the entries */
  gint64             wait_until;   /* monotonic µs: a pull held until then for a change; 0: not held */
  GList             *waiting;      /* its link in the server's waiters while held */
  GQueue            *queue;        /* ...and the waiters it is in */
  char              *cookie;       /* a panel's Cookie header */
  char              *language;     /* the panel's words asked for */
  char              *format;       /* an export's: csv or pdf */
  char              *user_agent;   /* a terminal's: its version */
  char              *queue_waiting; /* ...X-PDV-Waiting */
  char              *oldest;       /* ...X-PDV-Oldest-Unsynced */
  gboolean           secure;       /* over TLS */
  GSource           *hangup;       /* watches for the client leaving while held */
  guint64            generation;   /* the server's when the job was last handed to a thread */
  guint              expire_id;
  /* What the thread found. */
  PdvSyncReply       reply;
  char              *metrics;      /* the /metrics text, sent as is */
  char              *terminal_id;  /* who sent it, for the log line */
  gboolean           committed;    /* a push that stored */
  gboolean           changed;      /* the change feed grew */
} Job;

static void
job_free (Job *job)
{
  g_assert (job->waiting == NULL);
  g_clear_handle_id (&job->expire_id, g_source_remove);
  if (job->finished_id != 0)
    g_signal_handler_disconnect (job->msg, job->finished_id);
  g_object_unref (job->msg);
  g_free (job->token);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->since);
  g_free (job->after);
  g_free (job->limit);
  g_free (job->url);
  g_free (job->client);
  g_free (job->cookie);
  g_free (job->language);
  g_free (job->format);
  g_free (job->user_agent);
  g_free (job->queue_waiting);
  g_free (job->oldest);
  pdv_sync_reply_clear (&job->reply);
  g_free (job->metrics);
  g_free (job->terminal_id);
  g_free (job);
}

/* Who sent the request. Sets the refusal and returns FALSE when the request
 * must go no further. */
static gboolean
authenticate (Job               *job,
              PdvStore          *store,
              gboolean           admin_path,
              PdvStoreTerminal **out_terminal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvStoreTerminal) terminal = NULL;
  g_autofree char *token_hash = NULL;
  gboolean admin;

  if (job->token == NULL)
    {
      pdv_sync_reply_error (&job->reply, 401, "unauthenticated", "this path needs Authorization: Bearer <token>");
      return FALSE;
    }
  admin = is_admin_token (job->server, job->token);
  if (admin_path && admin)
    return TRUE;
  if (admin)
    {
      pdv_sync_reply_error (&job->reply, 403, "forbidden", "the admin token cannot act as a terminal");
      return FALSE;
    }

  token_hash = pdv_sync_sha256_hex (job->token);
  if (!pdv_store_find_terminal_by_token (store, token_hash, &terminal, &error))
    {
      pdv_sync_reply_store_error (&job->reply, error);
      return FALSE;
    }
  if (terminal == NULL)
    {
      pdv_sync_audit ("unknown token from %s on %s", job->client, routes[job->route].path);
      pdv_sync_reply_error (&job->reply, 401, "unauthenticated", "unknown token");
      return FALSE;
    }
  /* A held pull comes through here again each time it looks. */
  g_free (job->terminal_id);
  job->terminal_id = g_strdup (terminal->id);
  if (admin_path)
    {
      pdv_sync_reply_error (&job->reply, 403, "forbidden", "a terminal token cannot use admin paths");
      return FALSE;
    }
  if (out_terminal != NULL)
    *out_terminal = g_steal_pointer (&terminal);
  return TRUE;
}

/* The request body as a JSON object; sets the refusal and returns NULL when
 * it is not one. */
static json_t *
read_json_body (Job *job)
{
  json_error_t json_error;
  json_t *root;
  gsize length = 0;
  const char *data = job->body ? g_bytes_get_data (job->body, &length) : NULL;

  root = json_loadb (data ? data : "", length, JSON_REJECT_DUPLICATES, &json_error);
  if (root == NULL)
    {
      pdv_sync_reply_error (&job->reply, 400, "bad_request", "the body is not JSON: %s (line %d, column %d)",
                            json_error.text, json_error.line, json_error.column);
      return NULL;
    }
  if (!json_is_object (root))
    {
      json_decref (root);
      pdv_sync_reply_error (&job->reply, 400, "bad_request", "the body must be a JSON object");
      return NULL;
    }
  return root;
}

/* How the client reached this server, without a path: what enrolment QR
 * codes point terminals to. */
static char *
server_url (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri), g_uri_get_port (uri),
                     "", NULL, NULL);
}

static gboolean
drop_connection_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
run_push (Job      *job,
          PdvStore *store)
{
  PdvSyncServer *self = job->server;
  g_autoptr(PdvStoreTerminal) terminal = NULL;
  g_autoptr(json_t) request = NULL;

  if (!authenticate (job, store, FALSE, &terminal) || (request = read_json_body (job)) == NULL)
    return;
  job->committed = pdv_sync_push (store, self->metrics, terminal, request, &job->changed, &job->reply);
  /* What waited before the push, less what it stored. */
  {
    json_t *acked = json_object_get (job->reply.body, "acked_seq");
    gint64 waiting = 0;
    g_autofree char *left = NULL;

    if (job->queue_waiting != NULL && json_is_integer (acked) &&
        g_ascii_string_to_signed (job->queue_waiting, 10, 0, G_MAXINT64, &waiting, NULL))
      {
        gint64 stored = (gint64) json_integer_value (acked) - terminal->last_seq;

        left = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (0, waiting - stored));
      }
    pdv_sync_panel_heard (self->panel, store, terminal->id, job->user_agent, left != NULL ? left : job->queue_waiting,
                          left != NULL && g_str_equal (left, "0") ? NULL : job->oldest);
  }
  if (job->reply.status >= 400)
    pdv_sync_audit ("push of terminal %s (%s) from %s refused (%u): %s", terminal->id, terminal->name,
                    job->client, job->reply.status,
                    json_string_value (json_object_get (json_object_get (job->reply.body, "error"), "message")));
}

static void
run_health (Job      *job,
            PdvStore *store)
{
  g_autoptr(GError) error = NULL;

  if (!pdv_store_ping (store, &error))
    {
      pdv_sync_reply_store_error (&job->reply, error);
      return;
    }
  pdv_sync_reply_json (&job->reply, 200, json_pack ("{s:s, s:s, s:s}", "status", "ok", "version", PACKAGE_VERSION,
                                                    "storage", pdv_store_get_backend_name (store)));
}

static void
run_metrics (Job      *job,
             PdvStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 terminals = 0;

  if (!pdv_store_count (store, PDV_STORE_COUNT_TERMINALS, &terminals, &error))
    g_warning ("metrics: %s", error->message);
  job->metrics = pdv_sync_metrics_render (job->server->metrics, terminals,
                                          (guint) g_atomic_int_get (&job->server->n_waiting));
}

static void
run_enrol (Job      *job,
           PdvStore *store)
{
  g_autoptr(json_t) request = read_json_body (job);

  if (request == NULL)
    return;
  pdv_sync_enrol (store, request, &job->reply);
  if (job->reply.status == 200)
    pdv_sync_audit ("terminal %s enrolled from %s",
                    json_string_value (json_object_get (job->reply.body, "terminal_id")), job->client);
  else
    pdv_sync_audit ("enrolment from %s refused (%u)", job->client, job->reply.status);
}

static void
run_enrolments (Job      *job,
                PdvStore *store)
{
  g_autoptr(json_t) request = NULL;

  if (!authenticate (job, store, TRUE, NULL) || (request = read_json_body (job)) == NULL)
    return;
  pdv_sync_create_enrolment (store, job->url, job->server->tls_sha256, request, &job->reply);
  if (job->reply.status < 300)
    pdv_sync_audit ("enrolment code for “%s” issued to %s",
                    json_string_value (json_object_get (request, "terminal_name")), job->client);
}

static void
run_import (Job      *job,
            PdvStore *store)
{
  gsize length = 0;
  const char *data = job->body ? g_bytes_get_data (job->body, &length) : NULL;

  if (!authenticate (job, store, TRUE, NULL))
    return;
  pdv_sync_import (store, data ? data : "", length, &job->reply);
  job->changed = job->reply.status < 300;
  if (job->reply.status < 300)
    pdv_sync_audit ("%s document of %" G_GSIZE_FORMAT " bytes imported from %s (change %" G_GINT64_FORMAT ")",
                    json_string_value (json_object_get (job->reply.body, "type")), length, job->client,
                    (gint64) json_integer_value (json_object_get (job->reply.body, "cursor")));
  else
    pdv_sync_audit ("import from %s refused (%u)", job->client, job->reply.status);
}

static void submit (PdvSyncServer *self,
                    Job           *job);

static void
send_job_answer (Job *job)
{
  if (job->metrics != NULL)
    {
      soup_server_message_set_status (job->msg, 200, NULL);
      soup_server_message_set_response (job->msg, "text/plain; version=0.0.4; charset=utf-8", SOUP_MEMORY_COPY,
                                        job->metrics, strlen (job->metrics));
    }
  else
    send_reply (job->msg, &job->reply);
  soup_server_message_unpause (job->msg);
  job_free (job);
}

static void
unhold (PdvSyncServer *self,
        Job           *job)
{
  g_queue_delete_link (job->queue, job->waiting);
  job->waiting = NULL;
  job->queue = NULL;
  if (job->hangup != NULL)
    {
      g_source_destroy (job->hangup);
      g_clear_pointer (&job->hangup, g_source_unref);
    }
  g_atomic_int_set (&self->n_waiting, (gint) self->waiters.length);
  g_clear_handle_id (&job->expire_id, g_source_remove);
  if (g_queue_is_empty (&self->waiters))
    g_clear_handle_id (&self->recheck_id, g_source_remove);
  if (g_queue_is_empty (&self->panel_waiters))
    g_clear_handle_id (&self->panel_tick_id, g_source_remove);
}

/* Nothing came in time: the empty page goes out. */
static gboolean
wait_expired_cb (gpointer user_data)
{
  Job *job = user_data;

  job->expire_id = 0;
  unhold (job->server, job);
  send_job_answer (job);
  return G_SOURCE_REMOVE;
}

/* Every held pull (or panel) looks again. */
static void
wake_queue (PdvSyncServer *self,
            GQueue        *waiters)
{
  while (!g_queue_is_empty (waiters))
    {
      Job *job = g_queue_peek_head (waiters);

      unhold (self, job);
      pdv_sync_reply_clear (&job->reply);
      memset (&job->reply, 0, sizeof job->reply);
      submit (self, job);
    }
}

static void
wake_waiters (PdvSyncServer *self)
{
  wake_queue (self, &self->waiters);
}

/* Held panels look again once a second when something was stored (or
 * always, when other servers store too): one read of the figures for all
 * of them, however many pushes came meanwhile. */
/* The held panels look again: the figures read once, for all of them. */
static void
wake_panels (PdvSyncServer *self)
{
  self->stored_since_tick = FALSE;
  self->panels_woken_at = g_get_monotonic_time ();
  g_clear_handle_id (&self->panel_tick_id, g_source_remove);
  pdv_sync_panel_forget_figures (self->panel);
  wake_queue (self, &self->panel_waiters);
}

static gboolean
panel_tick_cb (gpointer user_data)
{
  PdvSyncServer *self = user_data;

  if (self->stored_since_tick || self->shared_store)
    {
      /* The source ends here: wake_panels() must not remove it. */
      self->panel_tick_id = 0;
      wake_panels (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* What the panels show changed (a push was stored, an alert raised or
 * cleared): panels that looked a second ago or more see it now (a sale on
 * the board as it is made, when sales are few); else at their next tick,
 * so that a storm of pushes reads the figures once a second. */
static void
changed_for_panels (PdvSyncServer *self)
{
  self->stored_since_tick = TRUE;
  if (!g_queue_is_empty (&self->panel_waiters) &&
      g_get_monotonic_time () - self->panels_woken_at >= PDV_PANEL_STATE_MAX_AGE_MS * 1000)
    wake_panels (self);
}

static gboolean
recheck_cb (gpointer user_data)
{
  PdvSyncServer *self = user_data;

  self->recheck_id = 0;
  wake_waiters (self);
  return G_SOURCE_REMOVE;
}

/* libsoup reads nothing from a paused request's connection, so it does not
 * see a client hang up: this does, and answers (into the void), which ends
 * the request. A client that sends something instead is left to its time. */
static gboolean
client_left_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  char byte;
  GInputVector vector = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  gssize got = 0;

  if (!(condition & (G_IO_HUP | G_IO_ERR)))
    got = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, &error);
  g_clear_pointer (&job->hangup, g_source_unref);
  if (got > 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_REMOVE;
  unhold (job->server, job);
  send_job_answer (job);
  return G_SOURCE_REMOVE;
}

/* An empty page of a pull that may wait: held until a change comes, or
 * until its time is up. */
static void
watch_hangup (PdvSyncServer *self,
              Job           *job,
              gint64         now)
{
  job->expire_id = g_timeout_add ((guint) MAX (1, (job->wait_until - now) / 1000), wait_expired_cb, job);
  if (soup_server_message_get_socket (job->msg) != NULL)
    {
      job->hangup = g_socket_create_source (soup_server_message_get_socket (job->msg),
                                            G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (job->hangup, G_SOURCE_FUNC (client_left_cb), job, NULL);
      g_source_attach (job->hangup, self->context);
    }
}

/* A panel's figures as it has them already: held until they change, or
 * until its time is up. */
static gboolean
hold_if_unchanged (PdvSyncServer *self,
                   Job           *job)
{
  gint64 now = g_get_monotonic_time ();

  if (job->route != ROUTE_PANEL_STATE || job->wait_until <= now || job->reply.status != 200 ||
      job->after == NULL ||
      g_strcmp0 (json_string_value (json_object_get (job->reply.body, "version")), job->after) != 0)
    return FALSE;
  g_queue_push_tail (&self->panel_waiters, job);
  job->queue = &self->panel_waiters;
  job->waiting = g_queue_peek_tail_link (&self->panel_waiters);
  watch_hangup (self, job, now);
  if (self->panel_tick_id == 0)
    self->panel_tick_id = g_timeout_add (PDV_PANEL_STATE_MAX_AGE_MS, panel_tick_cb, self);
  return TRUE;
}

static gboolean
hold_if_empty (PdvSyncServer *self,
               Job           *job)
{
  gint64 now = g_get_monotonic_time ();

  if (hold_if_unchanged (self, job))
    return TRUE;
  if (job->route != ROUTE_PULL || job->wait_until <= now || job->reply.status != 200 ||
      json_array_size (json_object_get (job->reply.body, "changes")) > 0)
    return FALSE;
  if (job->generation != self->generation)
    {
      /* A change was stored while this pull read: it may have missed it. */
      pdv_sync_reply_clear (&job->reply);
      memset (&job->reply, 0, sizeof job->reply);
      submit (self, job);
      return TRUE;
    }
  g_queue_push_tail (&self->waiters, job);
  job->queue = &self->waiters;
  job->waiting = g_queue_peek_tail_link (&self->waiters);
  g_atomic_int_set (&self->n_waiting, (gint) self->waiters.length);
  watch_hangup (self, job, now);
  /* Another server on the same database stores changes this one does not
   * hear of: its held pulls look again each second. */
  if (self->recheck_id == 0 && self->shared_store)
    self->recheck_id = g_timeout_add (PDV_SYNC_SERVER_RECHECK_MS, recheck_cb, self);
  return TRUE;
}

/* Back on the main loop: the answer goes out. */
static gboolean
answer_job_cb (gpointer user_data)
{
  Job *job = user_data;
  PdvSyncServer *self = job->server;
  SoupServerMessage *msg = job->msg;

  self->in_flight--;
  if (job->changed)
    {
      self->generation++;
      wake_waiters (self);
    }
  if (job->committed)
    changed_for_panels (self);
  if (job->gone)
    {
      job_free (job);
      return G_SOURCE_REMOVE;
    }
  if (hold_if_empty (self, job))
    return G_SOURCE_REMOVE;
  if (job->committed && self->fault_drop_after > 0 && ++self->push_commits == self->fault_drop_after)
    {
      /* Test only: the push is durable, but the client never hears so. */
      g_message ("Dropping the answer to push commit %u, as asked", self->push_commits);
      g_idle_add (drop_connection_cb, g_object_ref (msg));
      job_free (job);
      return G_SOURCE_REMOVE;
    }
  if (job->terminal_id != NULL)
    g_object_set_data_full (G_OBJECT (msg), TERMINAL_KEY, g_strdup (job->terminal_id), g_free);
  send_job_answer (job);
  return G_SOURCE_REMOVE;
}

static void
submit (PdvSyncServer *self,
        Job           *job)
{
  self->in_flight++;
  job->generation = self->generation;
  /* The panels' figures too: read at most once a second, they stay live
   * while pushes keep every worker busy, and take none from them. */
  if (job->route == ROUTE_HEALTH || job->route == ROUTE_METRICS || job->route == ROUTE_PANEL_STATE)
    g_thread_pool_push (self->health_lane, job, NULL);
  else
    g_thread_pool_push (self->workers, job, NULL);
}

static void
run_job (Job      *job,
         PdvStore *store)
{
  switch (job->route)
    {
    case ROUTE_HEALTH:
      run_health (job, store);
      break;
    case ROUTE_METRICS:
      run_metrics (job, store);
      break;
    case ROUTE_PUSH:
      run_push (job, store);
      break;
    case ROUTE_PULL:
      {
        g_autoptr(PdvStoreTerminal) terminal = NULL;

        if (authenticate (job, store, FALSE, &terminal))
          {
            pdv_sync_panel_heard (job->server->panel, store, terminal->id, job->user_agent, job->queue_waiting,
                                  job->oldest);
            pdv_sync_pull (store, job->since, job->limit, terminal->last_seq, &job->reply);
          }
      }
      break;
    case ROUTE_ENTRIES:
      {
        g_autoptr(PdvStoreTerminal) terminal = NULL;

        if (authenticate (job, store, FALSE, &terminal))
          pdv_sync_entries (store, terminal, job->after, job->limit, &job->reply);
      }
      break;
    case ROUTE_ENROL:
      run_enrol (job, store);
      break;
    case ROUTE_ENROLMENTS:
      run_enrolments (job, store);
      break;
    case ROUTE_IMPORT:
      run_import (job, store);
      break;
    case ROUTE_REPORT:
      if (authenticate (job, store, TRUE, NULL))
        pdv_sync_report (store, job->check, &job->reply);
      break;
    case ROUTE_PANEL_ACCOUNTS:
      if (authenticate (job, store, TRUE, NULL))
        pdv_sync_panel_add_account (job->server->panel, store, job->body, &job->reply);
      break;
    case ROUTE_PANEL_LOGIN:
      pdv_sync_panel_login (job->server->panel, store, job->body, job->client, job->secure, &job->reply);
      break;
    case ROUTE_PANEL_LOGOUT:
      pdv_sync_panel_logout (job->server->panel, store, job->cookie, job->client, job->secure, &job->reply);
      break;
    case ROUTE_PANEL_STATE:
      {
        g_autofree char *name = NULL;
        PdvPanelRole role;

        if (pdv_sync_panel_session (job->server->panel, store, job->cookie, &name, &role, &job->reply))
          pdv_sync_panel_state (job->server->panel, store, name, role, &job->reply);
      }
      break;
    case ROUTE_PANEL_STRINGS:
      pdv_sync_panel_strings (job->language, &job->reply);
      break;
    case ROUTE_PANEL_RULES:
    case ROUTE_PANEL_WEBHOOKS:
      {
        g_autofree char *name = NULL;
        PdvPanelRole role;

        if (!pdv_sync_panel_session (job->server->panel, store, job->cookie, &name, &role, &job->reply))
          break;
        if (role != PDV_PANEL_ROLE_ORGANISER)
          {
            pdv_sync_reply_error (&job->reply, 403, "forbidden", "only an organiser sets the alerts");
            break;
          }
        pdv_sync_alerts_put_settings (job->server->alerts, store,
                                      job->route == ROUTE_PANEL_RULES ? "rules" : "webhooks", job->body,
                                      &job->reply);
      }
      break;
    case ROUTE_PANEL_EXPORT:
      {
        g_autofree char *name = NULL;
        PdvPanelRole role;

        if (pdv_sync_panel_session (job->server->panel, store, job->cookie, &name, &role, &job->reply))
          pdv_sync_panel_export (job->server->panel, store, name, role, job->format, job->language, &job->reply);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  g_main_context_invoke (job->server->context, answer_job_cb, job);
}

/* What a worker is handed for a round of the panel's alerts. */
static int alerts_round;

static gboolean
alerts_done_cb (gpointer user_data)
{
  PdvSyncServer *self = user_data;

  self->alerts_running = FALSE;
  /* What the panels show of the alerts changed: they look again. */
  if (g_atomic_int_exchange (&self->alerts_changed, FALSE))
    changed_for_panels (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Every few seconds a worker checks the panel's rules, unless the last
 * round is still going. */
static gboolean
alerts_tick_cb (gpointer user_data)
{
  PdvSyncServer *self = user_data;

  if (!self->alerts_running && self->workers != NULL)
    {
      self->alerts_running = TRUE;
      g_object_ref (self);
      g_thread_pool_push (self->workers, &alerts_round, NULL);
    }
  return G_SOURCE_CONTINUE;
}

/* A worker thread: takes whichever connection is free. */
static void
worker_cb (gpointer data,
           gpointer user_data)
{
  PdvSyncServer *self = user_data;
  PdvStore *store = g_async_queue_pop (self->idle_stores);

  if (data == &alerts_round)
    {
      if (pdv_sync_alerts_run (self->alerts, self->panel, store))
        g_atomic_int_set (&self->alerts_changed, TRUE);
      g_async_queue_push_front (self->idle_stores, store);
      g_main_context_invoke (self->context, alerts_done_cb, self);
      return;
    }
  run_job (data, store);
  /* Back in front: the connection used last is taken first, its page cache
   * warm with what it just wrote (the others' caches went stale then). */
  g_async_queue_push_front (self->idle_stores, store);
}

static void
health_lane_cb (gpointer data,
                gpointer user_data)
{
  PdvSyncServer *self = user_data;

  run_job (data, g_ptr_array_index (self->stores, 0));
}

static void
message_finished_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Job *job = user_data;

  job->gone = TRUE;
  /* A held pull whose client left is dropped; one with a thread frees
   * itself when it comes back. */
  if (job->waiting != NULL)
    {
      unhold (job->server, job);
      job_free (job);
    }
}

/* The panel's page and files, as compiled in: answered at once. */
static void
send_panel_asset (SoupServerMessage *msg,
                  const char        *path,
                  const char        *method)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) bytes = NULL;
  const char *type = NULL;

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (headers, "Allow", "GET");
      send_error (msg, 405, "method_not_allowed", "use GET on %s", path);
      return;
    }
  bytes = pdv_sync_panel_asset (path, &type);
  if (bytes == NULL)
    {
      send_error (msg, 404, "not_found", "no such path");
      return;
    }
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes));
}

static void
request_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PdvSyncServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  Job *job;
  guint i;

  if (g_str_equal (path, "/panel") || g_str_has_prefix (path, "/panel/"))
    {
      send_panel_asset (msg, path, method);
      return;
    }
  for (i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (path, routes[i].path))
      break;
  if (i == G_N_ELEMENTS (routes))
    {
      send_error (msg, 404, "not_found", "no such path");
      return;
    }
  /* A panel's posts are JSON: no form of another site can make one. */
  if ((routes[i].route == ROUTE_PANEL_LOGIN || routes[i].route == ROUTE_PANEL_LOGOUT ||
       routes[i].route == ROUTE_PANEL_RULES || routes[i].route == ROUTE_PANEL_WEBHOOKS) &&
      g_strcmp0 (soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL),
                 "application/json") != 0)
    {
      send_error (msg, 415, "unsupported_media_type", "send the body as application/json");
      return;
    }
  if (!g_str_equal (method, routes[i].method))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", routes[i].method);
      send_error (msg, 405, "method_not_allowed", "use %s on %s", routes[i].method, path);
      return;
    }

  job = g_new0 (Job, 1);
  job->server = self;
  job->msg = g_object_ref (msg);
  job->route = routes[i].route;
  job->token = g_strdup (bearer_token (msg));
  job->client = g_strdup (remote_host (msg));
  if (g_str_equal (method, "POST"))
    job->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (query != NULL)
    {
      const char *wait = g_hash_table_lookup (query, "wait");
      guint64 seconds = 0;

      job->since = g_strdup (g_hash_table_lookup (query, "since"));
      job->after = g_strdup (g_hash_table_lookup (query, "after"));
      job->limit = g_strdup (g_hash_table_lookup (query, "limit"));
      job->language = g_strdup (g_hash_table_lookup (query, "lang"));
      job->format = g_strdup (g_hash_table_lookup (query, "format"));
      job->check = g_strcmp0 (g_hash_table_lookup (query, "check"), "true") == 0 ||
                   g_strcmp0 (g_hash_table_lookup (query, "check"), "1") == 0;
      if (wait != NULL &&
          (!g_ascii_string_to_unsigned (wait, 10, 0, PDV_SYNC_MAX_PULL_WAIT_S, &seconds, NULL)))
        {
          send_error (msg, 400, "bad_request", "wait must be a whole number of seconds from 0 to %d",
                      PDV_SYNC_MAX_PULL_WAIT_S);
          job_free (job);
          return;
        }
      if (seconds > 0)
        job->wait_until = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
    }
  if (job->route == ROUTE_ENROLMENTS)
    job->url = server_url (msg);
  job->cookie = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cookie"));
  if (job->route == ROUTE_PUSH || job->route == ROUTE_PULL)
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

      job->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
      job->queue_waiting = g_strdup (soup_message_headers_get_one (headers, "X-PDV-Waiting"));
      job->oldest = g_strdup (soup_message_headers_get_one (headers, "X-PDV-Oldest-Unsynced"));
    }
  job->secure = self->tls_sha256 != NULL;
  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), job);

  soup_server_message_pause (msg);
  submit (self, job);
}

static void
refuse_body (SoupServerMessage *msg,
             PdvSyncServer     *self)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  /* The rest is read and thrown away, so that the client hears the answer. */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  send_error (msg, 413, "too_large", "the body exceeds this server's limit of %" G_GSIZE_FORMAT " bytes",
              self->max_body);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  PdvSyncServer *self = user_data;
  gsize size = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (msg), BODY_SIZE_KEY));

  if (soup_server_message_get_status (msg) != 0)
    return;
  size += g_bytes_get_size (chunk);
  g_object_set_data (G_OBJECT (msg), BODY_SIZE_KEY, GSIZE_TO_POINTER (size));
  if (size > self->max_body)
    refuse_body (msg, self);
}

/* Before the body is read: rate limits and the size limit. */
static void
early_request_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  PdvSyncServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *token = bearer_token (msg);
  char *client = find_client (self, msg);
  g_autofree char *address_key = g_strdup_printf ("address %s", client);
  g_autofree char *token_hash = token ? pdv_sync_sha256_hex (token) : NULL;
  gint64 now = pdv_clock_get_monotonic_time (pdv_store_get_clock (g_ptr_array_index (self->stores, 0)));
  guint retry_after = 1;

  g_object_set_data_full (G_OBJECT (msg), CLIENT_KEY, client, g_free);
  if (!pdv_rate_limiter_take (self->limiter, address_key, now, &retry_after) ||
      (token_hash != NULL && !pdv_rate_limiter_take (self->limiter, token_hash, now, &retry_after)))
    {
      g_auto(PdvSyncReply) reply = { 0 };

      pdv_sync_reply_error (&reply, 429, "rate_limited", "too many requests; retry in %u s", retry_after);
      reply.retry_after = g_strdup_printf ("%u", retry_after);
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      send_reply (msg, &reply);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) self->max_body)
    {
      refuse_body (msg, self);
      return;
    }
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), STARTED_KEY, started, g_free);
}

/* One log line per request, and its latency in the metrics. */
static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  PdvSyncServer *self = user_data;
  const char *path = request_path (msg);
  const gint64 *started = g_object_get_data (G_OBJECT (msg), STARTED_KEY);
  const char *terminal = g_object_get_data (G_OBJECT (msg), TERMINAL_KEY);
  double seconds = started != NULL ? (g_get_monotonic_time () - *started) / (double) G_USEC_PER_SEC : 0;
  guint status = soup_server_message_get_status (msg);

  const char *label = "other";

  /* Labels stay few: the server's paths, and "other". */
  for (guint i = 0; path != NULL && i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (path, routes[i].path))
      label = routes[i].path;
  pdv_sync_metrics_count_request (self->metrics, label, status, seconds);
  g_message ("%s %s %u %.1f ms %s%s%s", soup_server_message_get_method (msg), path ? path : "?", status,
             seconds * 1000, remote_host (msg), terminal ? " terminal=" : "", terminal ? terminal : "");
}

static void
pdv_sync_server_finalize (GObject *object)
{
  PdvSyncServer *self = (PdvSyncServer *) object;

  pdv_sync_server_disconnect (self);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->idle_stores, g_async_queue_unref);
  g_clear_pointer (&self->stores, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->tls_sha256, g_free);
  g_clear_pointer (&self->metrics, pdv_sync_metrics_free);
  g_clear_pointer (&self->limiter, pdv_rate_limiter_free);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
  g_clear_pointer (&self->alerts, pdv_sync_alerts_free);
  g_clear_pointer (&self->panel, pdv_sync_panel_free);
  sodium_memzero (self->admin_hash, sizeof self->admin_hash);

  G_OBJECT_CLASS (pdv_sync_server_parent_class)->finalize (object);
}

static void
pdv_sync_server_class_init (PdvSyncServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdv_sync_server_finalize;
}

static void
pdv_sync_server_init (PdvSyncServer *self)
{
  self->panel = pdv_sync_panel_new ();
  self->alerts = pdv_sync_alerts_new ();
}

/**
 * pdv_sync_server_new:
 * @stores: (element-type PdvStore): at least two connections to one
 *   location: the first answers health checks and metrics, each of the
 *   others serves requests on a thread of its own
 *
 * The HTTP side of pdv-syncd: routing, authentication, limits and metrics,
 * with storage work off the main loop (which must be the thread-default
 * context's). Call pdv_sync_server_listen() to start serving.
 */
PdvSyncServer *
pdv_sync_server_new (GPtrArray                  *stores,
                     const PdvSyncServerOptions *options)
{
  PdvSyncServer *self;

  g_return_val_if_fail (stores != NULL && stores->len >= 2, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (PDV_TYPE_SYNC_SERVER, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->stores = g_ptr_array_new_with_free_func (g_object_unref);
  self->idle_stores = g_async_queue_new ();
  for (guint i = 0; i < stores->len; i++)
    {
      g_ptr_array_add (self->stores, g_object_ref (g_ptr_array_index (stores, i)));
      if (i > 0)
        g_async_queue_push (self->idle_stores, g_ptr_array_index (stores, i));
    }
  self->shared_store = !g_str_equal (pdv_store_get_backend_name (g_ptr_array_index (stores, 0)), "sqlite");
  /* Exclusive threads: started now, kept, one per connection. */
  self->workers = g_thread_pool_new (worker_cb, self, (int) stores->len - 1, TRUE, NULL);
  self->health_lane = g_thread_pool_new (health_lane_cb, self, 1, TRUE, NULL);
  self->metrics = pdv_sync_metrics_new ();
  /* A burst of twice the rate lets a terminal catch up after an outage. */
  self->limiter = pdv_rate_limiter_new (options->rate_limit, options->rate_limit * 2);
  self->max_body = options->max_body;
  self->fault_drop_after = options->fault_drop_after;
  for (guint i = 0; options->trusted_proxies != NULL && options->trusted_proxies[i] != NULL; i++)
    {
      GInetAddress *address = g_inet_address_new_from_string (options->trusted_proxies[i]);

      g_return_val_if_fail (address != NULL, NULL);
      if (self->trusted_proxies == NULL)
        self->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->trusted_proxies, address);
    }
  if (options->admin_token != NULL && *options->admin_token != '\0')
    {
      crypto_hash_sha256 (self->admin_hash, (const guint8 *) options->admin_token, strlen (options->admin_token));
      self->has_admin_token = TRUE;
    }

  self->soup = soup_server_new ("server-header", "pdv-syncd/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_request_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, request_cb, self, NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self, 0);
  self->alerts_id = g_timeout_add (PDV_ALERTS_INTERVAL_MS, alerts_tick_cb, self);
  return self;
}

/**
 * pdv_sync_server_get_tls_sha256:
 *
 * Returns: (nullable): the SHA-256 of the certificate served, in hex, as
 *   enrolment texts carry it; %NULL over plain HTTP
 */
const char *
pdv_sync_server_get_tls_sha256 (PdvSyncServer *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_SERVER (self), NULL);
  return self->tls_sha256;
}

/**
 * pdv_sync_server_listen:
 * @address: `ADDR:PORT`, an IP address (or "localhost") and a port; port 0
 *   picks a free one
 * @certificate: (nullable): serve HTTPS with it
 * @backlog: connections the kernel may hold for the server before it takes
 *   them: a fleet reconnecting at once must not meet resets
 * @out_url: (out): the URL clients reach, with the actual port
 */
gboolean
pdv_sync_server_listen (PdvSyncServer    *self,
                        const char       *address,
                        GTlsCertificate  *certificate,
                        guint             backlog,
                        char            **out_url,
                        GError          **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) socket = NULL;
  GSList *uris;
  const char *host;
  guint16 port;

  g_return_val_if_fail (PDV_IS_SYNC_SERVER (self), FALSE);

  parsed = g_network_address_parse (address, 8080, error);
  if (parsed == NULL)
    return FALSE;
  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
  port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL && g_ascii_strcasecmp (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address to listen on (e.g. 127.0.0.1:8080 or 0.0.0.0:8443)"), address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, port);

  if (certificate != NULL)
    {
      g_autoptr(GByteArray) der = NULL;

      soup_server_set_tls_certificate (self->soup, certificate);
      /* Terminals pin it from the enrolment text: no CA needed. */
      g_object_get (certificate, "certificate", &der, NULL);
      g_free (self->tls_sha256);
      self->tls_sha256 = der != NULL ? g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len) : NULL;
    }
  /* The socket made here, not by libsoup, whose listen queue holds 10. */
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, (int) MIN (backlog, (guint) G_MAXINT));
  if (!g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;
  if (certificate == NULL && !g_inet_address_get_is_loopback (inet))
    g_printerr ("pdv-syncd: %s\n", _("Serving plain HTTP beyond this machine: tokens and sales cross the "
                                     "network readable by anyone on it; give --tls-cert and --tls-key"));

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL && out_url != NULL)
    {
      GUri *uri = uris->data;

      *out_url = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                             g_uri_get_port (uri), "", NULL, NULL);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

/**
 * pdv_sync_server_disconnect:
 *
 * Stops listening, lets the requests under way finish their storage work
 * (a push being stored is stored) and stops the threads.
 */
void
pdv_sync_server_disconnect (PdvSyncServer *self)
{
  g_return_if_fail (PDV_IS_SYNC_SERVER (self));

  /* Held pulls are answered with what they have: nothing; panels with
   * what they had. */
  while (!g_queue_is_empty (&self->waiters))
    {
      Job *job = g_queue_peek_head (&self->waiters);

      unhold (self, job);
      send_job_answer (job);
    }
  while (!g_queue_is_empty (&self->panel_waiters))
    {
      Job *job = g_queue_peek_head (&self->panel_waiters);

      unhold (self, job);
      send_job_answer (job);
    }
  g_clear_handle_id (&self->panel_tick_id, g_source_remove);
  g_clear_handle_id (&self->alerts_id, g_source_remove);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  if (self->workers != NULL)
    g_thread_pool_free (g_steal_pointer (&self->workers), FALSE, TRUE);
  if (self->health_lane != NULL)
    g_thread_pool_free (g_steal_pointer (&self->health_lane), FALSE, TRUE);
  /* Their answers wait on the main loop: nobody hears them now, but each
   * holds its request. */
  while (self->in_flight > 0 || self->alerts_running)
    g_main_context_iteration (self->context, TRUE);
}

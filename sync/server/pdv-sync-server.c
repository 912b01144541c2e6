/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "pdv-rate-limiter.h"
#include "pdv-sync-metrics.h"
#include "pdv-sync-protocol.h"
#include "pdv-sync-server.h"

struct _PdvSyncServer
{
  GObject         parent_instance;
  SoupServer     *soup;
  PdvStore       *store;
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

/* The paths metrics are labelled with; anything else is "other". */
static const char * const known_paths[] = {
  "/v1/health", "/v1/enroll", "/v1/push", "/v1/pull", "/v1/admin/enrolments", "/v1/admin/import",
  "/v1/admin/report", "/metrics", NULL
};

static const char *
request_path (SoupServerMessage *msg)
{
  return g_uri_get_path (soup_server_message_get_uri (msg));
}

static void
send_reply (SoupServerMessage *msg,
            PdvSyncReply      *reply)
{
  char *text = json_dumps (reply->body, JSON_COMPACT);
  gsize length = text ? strlen (text) : 0;

  soup_server_message_set_status (msg, reply->status, NULL);
  if (reply->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", reply->retry_after);
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

/* Who sent the request. Sends the refusal itself and returns FALSE when the
 * request must go no further. */
static gboolean
authenticate (PdvSyncServer      *self,
              SoupServerMessage  *msg,
              gboolean            admin_path,
              PdvStoreTerminal  **out_terminal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvStoreTerminal) terminal = NULL;
  g_autofree char *token_hash = NULL;
  const char *token = bearer_token (msg);
  gboolean admin;

  if (token == NULL)
    {
      send_error (msg, 401, "unauthenticated", "this path needs Authorization: Bearer <token>");
      return FALSE;
    }
  admin = is_admin_token (self, token);
  if (admin_path && admin)
    return TRUE;
  if (admin)
    {
      send_error (msg, 403, "forbidden", "the admin token cannot act as a terminal");
      return FALSE;
    }

  token_hash = pdv_sync_sha256_hex (token);
  if (!pdv_store_find_terminal_by_token (self->store, token_hash, &terminal, &error))
    {
      g_auto(PdvSyncReply) reply = { 0 };

      pdv_sync_reply_store_error (&reply, error);
      send_reply (msg, &reply);
      return FALSE;
    }
  if (terminal == NULL)
    {
      pdv_sync_audit ("unknown token from %s on %s", remote_host (msg), request_path (msg));
      send_error (msg, 401, "unauthenticated", "unknown token");
      return FALSE;
    }
  /* For the request's log line. */
  g_object_set_data_full (G_OBJECT (msg), TERMINAL_KEY, g_strdup (terminal->id), g_free);
  if (admin_path)
    {
      send_error (msg, 403, "forbidden", "a terminal token cannot use admin paths");
      return FALSE;
    }
  if (out_terminal != NULL)
    *out_terminal = g_steal_pointer (&terminal);
  return TRUE;
}

/* The request body as a JSON object; sends the refusal and returns NULL when
 * it is not one. */
static json_t *
read_json_body (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  json_error_t json_error;
  json_t *root;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  root = json_loadb (data ? data : "", length, JSON_REJECT_DUPLICATES, &json_error);
  if (root == NULL)
    {
      send_error (msg, 400, "bad_request", "the body is not JSON: %s (line %d, column %d)", json_error.text,
                  json_error.line, json_error.column);
      return NULL;
    }
  if (!json_is_object (root))
    {
      json_decref (root);
      send_error (msg, 400, "bad_request", "the body must be a JSON object");
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
handle_push (PdvSyncServer     *self,
             SoupServerMessage *msg)
{
  g_autoptr(PdvStoreTerminal) terminal = NULL;
  g_autoptr(json_t) request = NULL;
  g_auto(PdvSyncReply) reply = { 0 };

  if (!authenticate (self, msg, FALSE, &terminal) || (request = read_json_body (msg)) == NULL)
    return;
  if (pdv_sync_push (self->store, self->metrics, terminal, request, &reply) &&
      self->fault_drop_after > 0 && ++self->push_commits == self->fault_drop_after)
    {
      /* Test only: the push is durable, but the client never hears so. */
      g_message ("Dropping the answer to push commit %u, as asked", self->push_commits);
      soup_server_message_pause (msg);
      g_idle_add (drop_connection_cb, g_object_ref (msg));
      return;
    }
  if (reply.status >= 400)
    pdv_sync_audit ("push of terminal %s (%s) from %s refused (%u): %s", terminal->id, terminal->name,
                    remote_host (msg), reply.status,
                    json_string_value (json_object_get (json_object_get (reply.body, "error"), "message")));
  send_reply (msg, &reply);
}

static void
handle_health (PdvSyncServer     *self,
               SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_auto(PdvSyncReply) reply = { 0 };

  if (!pdv_store_ping (self->store, &error))
    {
      pdv_sync_reply_store_error (&reply, error);
      send_reply (msg, &reply);
      return;
    }
  pdv_sync_reply_json (&reply, 200, json_pack ("{s:s, s:s, s:s}", "status", "ok", "version", PACKAGE_VERSION,
                                               "storage", pdv_store_get_backend_name (self->store)));
  send_reply (msg, &reply);
}

static void
handle_metrics (PdvSyncServer     *self,
                SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 terminals = 0;

  if (!pdv_store_count (self->store, PDV_STORE_COUNT_TERMINALS, &terminals, &error))
    g_warning ("metrics: %s", error->message);
  text = pdv_sync_metrics_render (self->metrics, terminals);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain; version=0.0.4; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static gboolean
check_method (SoupServerMessage *msg,
              const char        *allowed)
{
  if (g_str_equal (soup_server_message_get_method (msg), allowed))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
  send_error (msg, 405, "method_not_allowed", "use %s on %s", allowed, request_path (msg));
  return FALSE;
}

static void
request_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  PdvSyncServer *self = user_data;
  g_auto(PdvSyncReply) reply = { 0 };
  g_autoptr(json_t) request = NULL;

  if (g_str_equal (path, "/v1/health"))
    {
      if (check_method (msg, SOUP_METHOD_GET))
        handle_health (self, msg);
    }
  else if (g_str_equal (path, "/metrics"))
    {
      if (check_method (msg, SOUP_METHOD_GET))
        handle_metrics (self, msg);
    }
  else if (g_str_equal (path, "/v1/push"))
    {
      if (check_method (msg, SOUP_METHOD_POST))
        handle_push (self, msg);
    }
  else if (g_str_equal (path, "/v1/pull"))
    {
      if (check_method (msg, SOUP_METHOD_GET) && authenticate (self, msg, FALSE, NULL))
        {
          pdv_sync_pull (self->store, query ? g_hash_table_lookup (query, "since") : NULL,
                         query ? g_hash_table_lookup (query, "limit") : NULL, &reply);
          send_reply (msg, &reply);
        }
    }
  else if (g_str_equal (path, "/v1/enroll"))
    {
      if (check_method (msg, SOUP_METHOD_POST) && (request = read_json_body (msg)) != NULL)
        {
          pdv_sync_enrol (self->store, request, &reply);
          if (reply.status == 200)
            pdv_sync_audit ("terminal %s enrolled from %s",
                            json_string_value (json_object_get (reply.body, "terminal_id")), remote_host (msg));
          else
            pdv_sync_audit ("enrolment from %s refused (%u)", remote_host (msg), reply.status);
          send_reply (msg, &reply);
        }
    }
  else if (g_str_equal (path, "/v1/admin/enrolments"))
    {
      if (check_method (msg, SOUP_METHOD_POST) && authenticate (self, msg, TRUE, NULL) &&
          (request = read_json_body (msg)) != NULL)
        {
          g_autofree char *url = server_url (msg);

          pdv_sync_create_enrolment (self->store, url, request, &reply);
          if (reply.status < 300)
            pdv_sync_audit ("enrolment code for “%s” issued to %s",
                            json_string_value (json_object_get (request, "terminal_name")), remote_host (msg));
          send_reply (msg, &reply);
        }
    }
  else if (g_str_equal (path, "/v1/admin/import"))
    {
      if (check_method (msg, SOUP_METHOD_POST) && authenticate (self, msg, TRUE, NULL))
        {
          g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
          gsize length = 0;
          const char *data = g_bytes_get_data (bytes, &length);

          pdv_sync_import (self->store, data ? data : "", length, &reply);
          if (reply.status < 300)
            pdv_sync_audit ("%s document of %" G_GSIZE_FORMAT " bytes imported from %s (change %" G_GINT64_FORMAT ")",
                            json_string_value (json_object_get (reply.body, "type")), length, remote_host (msg),
                            (gint64) json_integer_value (json_object_get (reply.body, "cursor")));
          else
            pdv_sync_audit ("import from %s refused (%u)", remote_host (msg), reply.status);
          send_reply (msg, &reply);
        }
    }
  else if (g_str_equal (path, "/v1/admin/report"))
    {
      if (check_method (msg, SOUP_METHOD_GET) && authenticate (self, msg, TRUE, NULL))
        {
          pdv_sync_report (self->store, &reply);
          send_reply (msg, &reply);
        }
    }
  else
    send_error (msg, 404, "not_found", "no such path");
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
  gint64 now = pdv_clock_get_monotonic_time (pdv_store_get_clock (self->store));
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

  pdv_sync_metrics_count_request (self->metrics, path && g_strv_contains (known_paths, path) ? path : "other",
                                  status, seconds);
  g_message ("%s %s %u %.1f ms %s%s%s", soup_server_message_get_method (msg), path ? path : "?", status,
             seconds * 1000, remote_host (msg), terminal ? " terminal=" : "", terminal ? terminal : "");
}

static void
pdv_sync_server_finalize (GObject *object)
{
  PdvSyncServer *self = (PdvSyncServer *) object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->metrics, pdv_sync_metrics_free);
  g_clear_pointer (&self->limiter, pdv_rate_limiter_free);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
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
}

/**
 * pdv_sync_server_new:
 *
 * The HTTP side of pdv-syncd over @store: routing, authentication, limits
 * and metrics. Call pdv_sync_server_listen() to start serving.
 */
PdvSyncServer *
pdv_sync_server_new (PdvStore                   *store,
                     const PdvSyncServerOptions *options)
{
  PdvSyncServer *self;

  g_return_val_if_fail (PDV_IS_STORE (store), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (PDV_TYPE_SYNC_SERVER, NULL);
  self->store = g_object_ref (store);
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
  return self;
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
    soup_server_set_tls_certificate (self->soup, certificate);
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

void
pdv_sync_server_disconnect (PdvSyncServer *self)
{
  g_return_if_fail (PDV_IS_SYNC_SERVER (self));
  soup_server_disconnect (self->soup);
}

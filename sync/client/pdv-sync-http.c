/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "pdv-sync-codec.h"
#include "pdv-sync-private.h"

/* JSON over HTTP as sync/PROTOCOL.md has it, and the errors a person reads
 * when a server cannot be reached or answers something else. */

/* Seconds without progress on a connection before a request fails. */
#define HTTP_TIMEOUT_S 30

#define TRUST_KEY "pdv-trust"
#define UNTRUSTED_KEY "pdv-untrusted"

/* What a session trusts instead of the system's authorities. */
typedef struct {
  char            *pin;   /* SHA-256 of the one certificate, hex */
  GTlsCertificate *ca;
} Trust;

static void
trust_free (Trust *trust)
{
  g_free (trust->pin);
  g_clear_object (&trust->ca);
  g_free (trust);
}

/**
 * pdv_sync_new_session:
 * @tls_pin: (nullable): the SHA-256 (hex) of the only server certificate
 *   to trust, as an enrolment text carries it
 * @tls_ca: (nullable): a certificate authority (PEM) to trust instead of
 *   the system's
 *
 * With neither, servers are trusted by the system's authorities. With
 * either, no certificate is taken on the system's word: each is checked
 * against the pin, or else against the authority and the server's name,
 * before anything is sent.
 */
SoupSession *
pdv_sync_new_session (const char *tls_pin,
                      const char *tls_ca)
{
  g_autofree char *agent = g_strdup_printf ("pdv/%s", PACKAGE_VERSION);
  SoupSession *session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                        "idle-timeout", 60,
                                                        "user-agent", agent,
                                                        NULL);
  Trust *trust;

  if (tls_pin == NULL && tls_ca == NULL)
    return session;
  trust = g_new0 (Trust, 1);
  trust->pin = g_ascii_strdown (tls_pin ? tls_pin : "", -1);
  if (*trust->pin == '\0')
    g_clear_pointer (&trust->pin, g_free);
  if (tls_ca != NULL)
    trust->ca = g_tls_certificate_new_from_pem (tls_ca, -1, NULL);
  /* No database: every certificate comes to accept_certificate_cb. */
  soup_session_set_tls_database (session, NULL);
  g_object_set_data_full (G_OBJECT (session), TRUST_KEY, trust, (GDestroyNotify) trust_free);
  return session;
}

static char *
certificate_sha256 (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  return der != NULL ? g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len) : NULL;
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       Trust                *trust)
{
  g_autofree char *sha256 = certificate_sha256 (certificate);

  if (trust->pin != NULL)
    {
      if (g_strcmp0 (sha256, trust->pin) == 0)
        return TRUE;
    }
  else if (trust->ca != NULL)
    {
      GUri *uri = soup_message_get_uri (message);
      g_autoptr(GSocketConnectable) identity = g_network_address_new (g_uri_get_host (uri),
                                                                        (guint16) MAX (g_uri_get_port (uri), 0));

      if (g_tls_certificate_verify (certificate, identity, trust->ca) == 0)
        return TRUE;
    }
  g_object_set_data_full (G_OBJECT (message), UNTRUSTED_KEY, g_steal_pointer (&sha256), g_free);
  return FALSE;
}

static guint
parse_retry_after (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  guint64 seconds = 0;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, 24 * 3600, &seconds, NULL))
    return 0;
  return (guint) seconds;
}

/**
 * pdv_sync_trust_message:
 *
 * Has @message, to be sent on @session, trust what @session trusts.
 */
void
pdv_sync_trust_message (SoupSession *session,
                        SoupMessage *message)
{
  Trust *trust = g_object_get_data (G_OBJECT (session), TRUST_KEY);

  if (trust != NULL)
    g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), trust);
}

/**
 * pdv_sync_request:
 * @path: from the protocol's version on, with the query: `/v1/pull?since=0`
 * @body: (nullable): the JSON body
 * @token: (nullable): the bearer token
 * @extra_headers: (nullable): more headers: names and values in turn,
 *   %NULL-terminated
 * @out_status: (out): the HTTP status, 0 when there was no answer
 * @out_retry_after: (out): seconds a busy server asked to wait
 * @out_reached: (inout): set when a server answered in the protocol
 *
 * Sends one request and returns the JSON object the server answered with.
 * An answer outside the protocol, or an error the server reports, becomes an
 * error that says which server and why.
 */
json_t *
pdv_sync_request (SoupSession         *session,
                  const char          *method,
                  const char          *server,
                  const char          *path,
                  json_t              *body,
                  const char          *token,
                  const char * const  *extra_headers,
                  GCancellable        *cancellable,
                  guint               *out_status,
                  guint               *out_retry_after,
                  gboolean            *out_reached,
                  GError             **error)
{
  g_autofree char *url = g_strconcat (server, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(json_t) reply = NULL;
  SoupMessageHeaders *headers;
  const char *data;
  const char *error_code = NULL;
  const char *error_message = NULL;
  gsize size = 0;
  guint status;

  *out_status = 0;
  *out_retry_after = 0;
  if (message == NULL)
    {
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_INVALID_URL,
                   _("“%s” is not a sync server address"), server);
      return NULL;
    }

  pdv_sync_trust_message (session, message);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL && extra_headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (headers, extra_headers[i], extra_headers[i + 1]);
  if (body != NULL)
    {
      char *text = json_dumps (body, JSON_COMPACT);
      g_autoptr(GBytes) bytes = NULL;

      if (text == NULL)
        {
          g_set_error_literal (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_BAD_ANSWER,
                               _("A request to the sync server could not be encoded"));
          return NULL;
        }
      bytes = g_bytes_new_with_free_func (text, strlen (text), free, text);
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  response = soup_session_send_and_read (session, message, cancellable, &local_error);
  if (response == NULL)
    {
      const char *untrusted = g_object_get_data (G_OBJECT (message), UNTRUSTED_KEY);
      Trust *trust = g_object_get_data (G_OBJECT (session), TRUST_KEY);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (untrusted != NULL && trust->pin != NULL)
        g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_UNTRUSTED,
                     _("The sync server %s showed a certificate (SHA-256 %s) other than the one this terminal "
                       "trusts (%s); nothing was sent. If the server’s certificate was replaced, enrol again with "
                       "a new code."),
                     server, untrusted, trust->pin);
      else if (untrusted != NULL)
        g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_UNTRUSTED,
                     _("The sync server %s showed a certificate (SHA-256 %s) that the certificate authority this "
                       "terminal trusts did not sign for that name; nothing was sent."),
                     server, untrusted);
      else
        g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_UNREACHABLE,
                     _("Could not reach the sync server %s: %s"), server, local_error->message);
      return NULL;
    }

  status = soup_message_get_status (message);
  *out_status = status;
  data = g_bytes_get_data (response, &size);
  if (data != NULL && size > 0)
    reply = json_loadb (data, size, JSON_REJECT_DUPLICATES, NULL);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (!json_is_object (reply))
        {
          g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_BAD_ANSWER,
                       reply == NULL ? _("The sync server %s answered with something that is not JSON (HTTP %u); "
                                         "is this address really a PDV sync server?")
                                     : _("The sync server %s answered with JSON that is not an object (HTTP %u); "
                                         "is this address really a PDV sync server?"),
                       server, status);
          return NULL;
        }
      *out_reached = TRUE;
      return g_steal_pointer (&reply);
    }

  pdv_sync_error_decode (reply, &error_code, &error_message);
  if (error_message != NULL)
    *out_reached = TRUE;

  /* Too Many Requests: libsoup 3.2 has no name for it. */
  if (status == 429)
    {
      *out_retry_after = parse_retry_after (message);
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_RATE_LIMITED,
                   _("The sync server %s is busy and asked to wait %u s before trying again"),
                   server, *out_retry_after);
    }
  else if (error_message != NULL && status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_UNAUTHENTICATED,
                 _("The sync server %s does not know this terminal (%s); enrol it again with a new code"),
                 server, error_message);
  else if (error_message != NULL && g_strcmp0 (error_code, "enrolment_refused") == 0)
    g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_ENROLMENT_REFUSED,
                 _("The sync server %s refused the enrolment code: %s"), server, error_message);
  else if (error_message != NULL)
    g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_SERVER,
                 _("The sync server %s refused the request: %s (HTTP %u, %s)"),
                 server, error_message, status, error_code ? error_code : "?");
  else
    g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_SERVER,
                 _("The sync server %s failed: HTTP %u %s"), server, status,
                 soup_message_get_reason_phrase (message) ? soup_message_get_reason_phrase (message) : "");
  return NULL;
}

gboolean
pdv_sync_bad_answer (GError     **error,
                     const char  *server,
                     const char  *what)
{
  g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_BAD_ANSWER,
               _("The sync server %s answered outside the protocol: %s"), server, what);
  return FALSE;
}

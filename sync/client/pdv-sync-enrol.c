/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "pdv-sync-codec.h"
#include "pdv-import.h"
#include "pdv-journal.h"
#include "pdv-sync-private.h"

/* Enrolment: a one-time code an administrator made becomes this terminal's
 * token on a server. */

#define ENROLMENT_PREFIX "PDVENROLL1:"

#define PIN_PREFIX "sha256:"

/**
 * pdv_sync_parse_sha256:
 *
 * Returns: (transfer full) (nullable): @text, 64 hex digits with or
 *   without colons between pairs as tools print a fingerprint, in lower
 *   case without them; %NULL when it is not one
 */
char *
pdv_sync_parse_sha256 (const char *text)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ':')
        continue;
      if (!g_ascii_isxdigit (*p))
        return NULL;
      g_string_append_c (hex, g_ascii_tolower (*p));
    }
  return hex->len == 64 ? g_string_free (g_steal_pointer (&hex), FALSE) : NULL;
}

/**
 * pdv_sync_parse_enrolment:
 * @text: what an enrolment QR code holds: `PDVENROLL1:<url>#<code>`, and
 *   from a server over HTTPS `#sha256:<certificate's SHA-256>` after it
 * @out_pin: (out) (optional) (nullable): the certificate's SHA-256, in lower
 *   case hex, when the text has one
 *
 * Splits an enrolment QR text into the server address, the code and the
 * server certificate's fingerprint.
 */
gboolean
pdv_sync_parse_enrolment (const char  *text,
                          char       **out_url,
                          char       **out_code,
                          char       **out_pin,
                          GError     **error)
{
  g_autofree char *rest = NULL;
  g_autofree char *url = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pin = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (g_ascii_strncasecmp (text, ENROLMENT_PREFIX, strlen (ENROLMENT_PREFIX)) != 0)
    goto invalid;
  rest = g_strstrip (g_strdup (text + strlen (ENROLMENT_PREFIX)));
  parts = g_strsplit (rest, "#", 0);
  if (g_strv_length (parts) < 2 || g_strv_length (parts) > 3 || *parts[0] == '\0')
    goto invalid;
  code = g_strstrip (g_strdup (parts[1]));
  if (*code == '\0')
    goto invalid;
  if (parts[2] != NULL)
    {
      g_strstrip (parts[2]);
      if (g_ascii_strncasecmp (parts[2], PIN_PREFIX, strlen (PIN_PREFIX)) != 0 ||
          (pin = pdv_sync_parse_sha256 (parts[2] + strlen (PIN_PREFIX))) == NULL)
        {
          g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_INVALID_ENROLMENT,
                       _("“%s” is not an enrolment code: after the code comes the certificate’s fingerprint, "
                         "sha256: and 64 hexadecimal digits"), text);
          return FALSE;
        }
    }
  url = pdv_sync_normalise_url (parts[0], error);
  if (url == NULL)
    return FALSE;
  if (pin != NULL && !g_str_has_prefix (url, "https://"))
    {
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_INVALID_ENROLMENT,
                   _("“%s” gives a certificate for a server reached without TLS (http://)"), text);
      return FALSE;
    }

  *out_url = g_steal_pointer (&url);
  *out_code = g_steal_pointer (&code);
  if (out_pin != NULL)
    *out_pin = g_steal_pointer (&pin);
  return TRUE;

invalid:
  g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_INVALID_ENROLMENT,
               _("“%s” is not an enrolment code (expected %sURL#CODE)"), text, ENROLMENT_PREFIX);
  return FALSE;
}

/* The enrolment server first, then the others as they were. */
static GStrv
servers_with_first (GStrv       servers,
                    const char *first)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, first);
  for (guint i = 0; servers[i] != NULL; i++)
    if (!g_str_equal (servers[i], first))
      g_strv_builder_add (builder, servers[i]);
  return g_strv_builder_end (builder);
}

/**
 * pdv_sync_enroll:
 * @url: the server's address, or a whole enrolment QR text
 *   (`PDVENROLL1:<url>#<code>[#sha256:<fingerprint>]`)
 * @code: (nullable): the one-time code, or %NULL when @url is a QR text
 *
 * Makes this terminal known to a sync server: the server comes first among
 * the configured ones, its token is stored, and the event it sends is
 * imported. A fingerprint in the text is checked before the code is sent
 * and trusted from then on instead of any authority; an enrolment without
 * one trusts the authorities again. Blocks the calling thread; @db is a
 * connection of that thread.
 */
gboolean
pdv_sync_enroll (PdvDb       *db,
                 const char  *url,
                 const char  *code,
                 GError     **error)
{
  g_autoptr(PdvJournal) journal = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(json_t) body = NULL;
  g_autoptr(json_t) reply = NULL;
  g_autoptr(GError) import_error = NULL;
  g_auto(GStrv) old_servers = NULL;
  g_auto(GStrv) servers = NULL;
  g_autofree char *server = NULL;
  g_autofree char *the_code = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *name = NULL;
  g_auto(PdvSyncConfig) config = { 0 };
  const char *terminal_id;
  const char *token;
  const char *answered_id;
  json_t *event;
  guint status = 0, retry_after = 0;
  gboolean reached = FALSE;
  gboolean imported = TRUE;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  if (g_ascii_strncasecmp (url, ENROLMENT_PREFIX, strlen (ENROLMENT_PREFIX)) == 0)
    {
      if (!pdv_sync_parse_enrolment (url, &server, &the_code, &pin, error))
        return FALSE;
    }
  else
    {
      server = pdv_sync_normalise_url (url, error);
      if (server == NULL)
        return FALSE;
      the_code = g_strstrip (g_strdup (code ? code : ""));
      if (*the_code == '\0')
        {
          g_set_error_literal (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_INVALID_ENROLMENT,
                               _("An enrolment needs the code the sync server’s administrator made"));
          return FALSE;
        }
    }

  journal = pdv_journal_new (db);
  terminal_id = pdv_journal_get_terminal_id (journal);
  if (terminal_id == NULL)
    {
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_NOT_INITIALISED,
                   _("%s is not a terminal yet; run “pdvctl init” before enrolling it"), pdv_db_get_path (db));
      return FALSE;
    }
  name = pdv_db_get_meta (db, "terminal_name");
  if (!pdv_sync_state_read (db, &config, error))
    return FALSE;

  session = pdv_sync_new_session (pin, config.tls_ca);
  body = pdv_sync_enrol_request_encode (the_code, terminal_id, name ? name : terminal_id);
  reply = pdv_sync_request (session, "POST", server, "/v1/enroll", body, NULL, NULL, NULL, &status, &retry_after,
                            &reached, error);
  if (reply == NULL)
    return FALSE;

  pdv_sync_enrol_reply_decode (reply, &answered_id, &token, &event);
  if (token == NULL || *token == '\0')
    return pdv_sync_bad_answer (error, server, _("an enrolment answer needs a “token”"));
  if (answered_id != NULL && !g_str_equal (answered_id, terminal_id))
    return pdv_sync_bad_answer (error, server, _("the enrolment answer names another terminal"));

  old_servers = pdv_sync_dup_servers (db, error);
  if (old_servers == NULL)
    return FALSE;
  servers = servers_with_first (old_servers, server);

  if (!pdv_db_begin (db, error))
    return FALSE;
  if (!pdv_sync_state_put_servers (db, (const char * const *) servers, error) ||
      !pdv_sync_state_set_token (db, token, error) || !pdv_sync_state_set_tls_pin (db, pin, error))
    goto failed;
  /* A server this terminal never used numbers its changes its own way. */
  if (!g_strv_contains ((const char * const *) old_servers, server) &&
      !pdv_sync_state_set_cursor (db, 0, error))
    goto failed;
  /* The code is spent: keep the token even if the event does not import. */
  if (json_is_object (event))
    {
      char *text = json_dumps (event, JSON_INDENT (2));

      imported = text != NULL &&
                 pdv_import_data_in_transaction (journal, "enrolment-event.json", text, strlen (text),
                                                 PDV_IMPORT_KIND_EVENT, NULL, NULL, &import_error);
      free (text);
    }
  if (!pdv_db_commit (db, error))
    goto failed;

  if (!imported)
    {
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_PULL,
                   _("Enrolled with %s, but the event it sent could not be imported: %s"), server,
                   import_error ? import_error->message : _("it could not be encoded"));
      return FALSE;
    }
  return TRUE;

failed:
  pdv_db_rollback (db);
  return FALSE;
}

typedef struct {
  char *db_path;
  char *url;
  char *code;
} EnrolTask;

static void
enrol_task_free (EnrolTask *data)
{
  g_free (data->db_path);
  g_free (data->url);
  g_free (data->code);
  g_free (data);
}

static void
enrol_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  EnrolTask *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (data->db_path, &error);

  if (db == NULL || !pdv_sync_enroll (db, data->url, data->code, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pdv_sync_enroll_async:
 * @db_path: the terminal database; a connection of its own is opened
 *
 * pdv_sync_enroll() in a thread, for the application.
 */
void
pdv_sync_enroll_async (const char          *db_path,
                       const char          *url,
                       const char          *code,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EnrolTask *data;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (url != NULL);

  data = g_new0 (EnrolTask, 1);
  data->db_path = g_strdup (db_path);
  data->url = g_strdup (url);
  data->code = g_strdup (code);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_sync_enroll_async);
  g_task_set_task_data (task, data, (GDestroyNotify) enrol_task_free);
  g_task_run_in_thread (task, enrol_thread);
}

gboolean
pdv_sync_enroll_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include "pdv-sync.h"
#include "pdvctl.h"

/* The sync server's administrator at a shell: enrolment codes for new
 * terminals, the event's documents for every terminal, and the night's
 * totals. Talks to the admin endpoints of sync/PROTOCOL.md with the admin
 * token; needs no terminal database. */

typedef struct {
  char *server;
  char *token;
  char *pin;      /* --sha256: the server certificate trusted, in hex */
  char *ca;       /* --cacert: an authority trusted (PEM) */
} Admin;

static void
admin_clear (Admin *admin)
{
  g_clear_pointer (&admin->server, g_free);
  if (admin->token != NULL)
    memset (admin->token, 0, strlen (admin->token));
  g_clear_pointer (&admin->token, g_free);
  g_clear_pointer (&admin->pin, g_free);
  g_clear_pointer (&admin->ca, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Admin, admin_clear)

/* The options every admin command takes. */
#define ADMIN_OPTIONS(server, token_file, sha256, cacert)                                                         \
  { "server", 0, 0, G_OPTION_ARG_STRING, &(server), N_("The sync server’s address"), N_("URL") },                \
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &(token_file),                                                    \
    N_("File holding the admin token (default: $PDV_SYNCD_ADMIN_TOKEN)"), N_("FILE") },                         \
  { "sha256", 0, 0, G_OPTION_ARG_STRING, &(sha256),                                                              \
    N_("Trust only the server certificate with this SHA-256 (pdv-syncd prints it as it starts)"),              \
    N_("FINGERPRINT") },                                                                                         \
  { "cacert", 0, 0, G_OPTION_ARG_FILENAME, &(cacert),                                                            \
    N_("Trust the server’s certificate when this certificate authority (PEM) signed it"), N_("FILE") }

/* --server and the token (--token-file, else $PDV_SYNCD_ADMIN_TOKEN), and
 * what to trust over HTTPS (--sha256, --cacert). */
static gboolean
admin_init (Admin       *admin,
            const char  *server,
            const char  *token_file,
            const char  *sha256,
            const char  *cacert,
            GError     **error)
{
  g_autofree char *token = NULL;

  if (sha256 != NULL && (admin->pin = pdv_sync_parse_sha256 (sha256)) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a SHA-256 fingerprint: 64 hexadecimal digits, with or without colons"), sha256);
      return FALSE;
    }
  if (cacert != NULL && !g_file_get_contents (cacert, &admin->ca, NULL, error))
    return FALSE;

  if (server == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--server URL is needed: the sync server’s address"));
      return FALSE;
    }
  admin->server = g_strdup (server);
  while (g_str_has_suffix (admin->server, "/"))
    admin->server[strlen (admin->server) - 1] = '\0';

  if (token_file != NULL)
    {
      if (!g_file_get_contents (token_file, &token, NULL, error))
        return FALSE;
      g_strstrip (token);
    }
  else
    token = g_strdup (g_getenv ("PDV_SYNCD_ADMIN_TOKEN"));
  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("no admin token: use --token-file FILE or set PDV_SYNCD_ADMIN_TOKEN"));
      return FALSE;
    }
  admin->token = g_steal_pointer (&token);
  return TRUE;
}

/* As g_malloc'd text, for g_autofree. */
static char *
dump_json (json_t *value)
{
  char *dumped = json_dumps (value, JSON_COMPACT);
  char *copy = g_strdup (dumped);

  free (dumped);
  return copy;
}

/* One admin request; the answer's JSON, or an error that says why. */
static json_t *
admin_request (Admin       *admin,
               const char  *method,
               const char  *path,
               const char  *body,
               gsize        length,
               GError     **error)
{
  g_autoptr(SoupSession) session = pdv_sync_new_session (admin->pin, admin->ca);
  g_autofree char *url = g_strconcat (admin->server, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", admin->token, NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(json_t) reply = NULL;
  json_error_t json_error;
  const char *message_text;
  guint status;

  message = soup_message_new (method, url);
  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a sync server address (expected http://HOST:PORT or https://HOST:PORT)"),
                   admin->server);
      return NULL;
    }
  pdv_sync_trust_message (session, message);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length);

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  response = soup_session_send_and_read (session, message, NULL, &local_error);
  if (response == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, _("Could not reach %s: %s"),
                   admin->server, local_error->message);
      return NULL;
    }
  status = soup_message_get_status (message);
  reply = json_loadb (g_bytes_get_data (response, NULL), g_bytes_get_size (response), 0, &json_error);
  if (status >= 200 && status < 300 && json_is_object (reply))
    return g_steal_pointer (&reply);

  message_text = json_string_value (json_object_get (json_object_get (reply, "error"), "message"));
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s answered HTTP %u: %s"), admin->server, status,
               message_text != NULL ? message_text : soup_message_get_reason_phrase (message));
  return NULL;
}

/* ---- enrolment ----------------------------------------------------------- */

static int
admin_enrolment (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_auto(Admin) admin = { 0 };
  g_autofree char *server = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *cacert = NULL;
  g_autofree char *png = NULL;
  g_autoptr(json_t) request = NULL;
  g_autoptr(json_t) reply = NULL;
  g_autofree char *body = NULL;
  gint64 valid_for = 0;
  const char *code;
  const char *qr;
  GOptionEntry entries[] = {
    ADMIN_OPTIONS (server, token_file, sha256, cacert),
    { "valid-for", 0, 0, G_OPTION_ARG_INT64, &valid_for,
      N_("How long the code can be used, in seconds (default: a day)"), N_("SECONDS") },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, N_("Also write the enrolment QR code as a PNG image"), N_("FILE") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("NAME — make an enrolment code for the terminal called NAME"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 3)
    return pdvctl_fail_usage (options, _("admin enrolment needs the name of the terminal the code is for"));
  if (!admin_init (&admin, server, token_file, sha256, cacert, &error))
    return pdvctl_fail_error (options, error);

  request = json_pack ("{s:s}", "terminal_name", options->args[2]);
  if (valid_for > 0)
    json_object_set_new (request, "valid_for_s", json_integer (valid_for));
  body = dump_json (request);
  reply = admin_request (&admin, "POST", "/v1/admin/enrolments", body, strlen (body), &error);
  if (reply == NULL)
    return pdvctl_fail_error (options, error);
  code = json_string_value (json_object_get (reply, "code"));
  qr = json_string_value (json_object_get (reply, "qr"));
  if (code == NULL || qr == NULL)
    return pdvctl_fail (options, _("the server’s answer has no “code” or “qr”"));
  if (png != NULL && !pdvctl_write_qr_png (qr, png, &error))
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_object_set_new (reply, "ok", json_true ());
      pdvctl_print_json (reply);
      return 0;
    }
  g_print (_("Enrolment code for “%s”: %s (valid until %s)\n"), options->args[2], code,
           json_string_value (json_object_get (reply, "expires_at")));
  g_print (_("Enrolment text:  %s\n"), qr);
  g_print (_("On the terminal: pdvctl enroll %s\n"), qr);
  return 0;
}

/* ---- import -------------------------------------------------------------- */

/* A JSON document starts with "{", after any spaces or byte-order mark. */
static gboolean
looks_like_json (const char *text)
{
  if (g_str_has_prefix (text, "\xef\xbb\xbf"))
    text += 3;
  while (g_ascii_isspace (*text))
    text++;
  return *text == '{';
}

/* Tickets (or revocations) in one part sent to the server: a part is a
 * document of its own, well under the server's request size limit. */
#define PART_ITEMS 5000

typedef struct {
  Admin      *admin;
  json_t     *list;
  Options    *options;
  const char *base;
  guint       sent;    /* parts the server took */
  guint       items;
} Parts;

static gboolean
send_part_cb (const char  *document,
              gsize        length,
              guint        n_items,
              gpointer     user_data,
              GError     **error)
{
  Parts *parts = user_data;
  g_autoptr(json_t) reply = admin_request (parts->admin, "POST", "/v1/admin/import", document, length, error);

  if (reply == NULL)
    return FALSE;
  parts->sent++;
  parts->items += n_items;
  json_array_append_new (parts->list, json_pack ("{s:s, s:i, s:i, s:O?, s:O?}", "file", parts->base,
                                                 "part", parts->sent, "items", n_items,
                                                 "type", json_object_get (reply, "type"),
                                                 "cursor", json_object_get (reply, "cursor")));
  if (!parts->options->json)
    /* Translators: a file name, which part of it, how many tickets or revocations, the server's change number */
    g_print (_("%s: part %u (%u) sent to every terminal (change %lld)\n"), parts->base, parts->sent, n_items,
             (long long) json_integer_value (json_object_get (reply, "cursor")));
  return TRUE;
}

static int
admin_import (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_auto(Admin) admin = { 0 };
  g_autofree char *server = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *cacert = NULL;
  g_autoptr(json_t) list = json_array ();
  GOptionEntry entries[] = {
    ADMIN_OPTIONS (server, token_file, sha256, cacert),
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("FILE… — send event, catalog, ticket, user or revocation documents to every terminal"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) < 3)
    return pdvctl_fail_usage (options, _("admin import needs at least one file"));
  if (!admin_init (&admin, server, token_file, sha256, cacert, &error))
    return pdvctl_fail_error (options, error);

  for (guint i = 2; options->args[i] != NULL; i++)
    {
      const char *path = options->args[i];
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *text = NULL;
      g_autoptr(json_t) reply = NULL;
      const char *body;
      gsize length = 0;
      gboolean not_list = FALSE;
      Parts parts = { &admin, list, options, base, 0, 0 };

      /* A ticket or revocation list, of any size, goes in parts. */
      if (!pdv_import_split_list (path, PART_ITEMS, send_part_cb, &parts, &not_list, &error))
        {
          if (!not_list)
            {
              /* Translators: %s is a file name, then why it could not be sent */
              g_autofree char *message = g_strdup_printf (_("%s: %s"), base, error->message);

              if (parts.sent > 0)
                g_printerr (ngettext ("%s: %u part was sent before this one failed; send the file again\n",
                                      "%s: %u parts were sent before this one failed; send the file again\n",
                                      parts.sent), base, parts.sent);
              return pdvctl_fail (options, message);
            }
        }
      else
        continue;

      if (!g_file_get_contents (path, &text, &length, &error))
        return pdvctl_fail_error (options, error);
      /* JSON goes byte for byte, as the server keeps and sends it; a CSV
       * that is no ticket or revocation list has no document to go in. */
      body = text;
      if (!looks_like_json (text))
        {
          g_autofree char *message =
            g_strdup_printf (_("%s: only ticket and revocation lists are sent as CSV; send the others as JSON documents"),
                             base);

          return pdvctl_fail (options, message);
        }
      reply = admin_request (&admin, "POST", "/v1/admin/import", body, length, &error);
      if (reply == NULL)
        {
          /* Translators: %s is a file name, then why the server refused it */
          g_autofree char *message = g_strdup_printf (_("%s: %s"), base, error->message);

          return pdvctl_fail (options, message);
        }
      json_array_append_new (list, json_pack ("{s:s, s:O?, s:O?}", "file", base,
                                              "type", json_object_get (reply, "type"),
                                              "cursor", json_object_get (reply, "cursor")));
      if (!options->json)
        /* Translators: a file name, the kind of document (event, catalog…), the server's change number */
        g_print (_("%s: sent to every terminal (%s, change %lld)\n"), base,
                 json_string_value (json_object_get (reply, "type")),
                 (long long) json_integer_value (json_object_get (reply, "cursor")));
    }

  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:O}", "ok", TRUE, "imported", list);

      pdvctl_print_json (body);
      json_decref (body);
    }
  return 0;
}

/* ---- report -------------------------------------------------------------- */

static int
admin_report (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_auto(Admin) admin = { 0 };
  g_autofree char *server = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *cacert = NULL;
  g_autoptr(json_t) reply = NULL;
  json_t *terminal;
  size_t i;
  GOptionEntry entries[] = {
    ADMIN_OPTIONS (server, token_file, sha256, cacert),
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("— totals across every terminal, from what they sent"), entries, &error))
    return pdvctl_fail_error (options, error);
  if (!admin_init (&admin, server, token_file, sha256, cacert, &error))
    return pdvctl_fail_error (options, error);
  reply = admin_request (&admin, "GET", "/v1/admin/report", NULL, 0, &error);
  if (reply == NULL)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_object_set_new (reply, "ok", json_true ());
      pdvctl_print_json (reply);
      return 0;
    }
  json_array_foreach (json_object_get (reply, "terminals"), i, terminal)
    {
      g_autofree char *total = pdv_money_format (json_integer_value (json_object_get (terminal, "sales_total")));

      /* Translators: a terminal's name, its journal entries, its sales, their total */
      g_print (_("%s: %lld entries, %lld sales, %s (last seen %s)\n"),
               json_string_value (json_object_get (terminal, "name")),
               (long long) json_integer_value (json_object_get (terminal, "entries")),
               (long long) json_integer_value (json_object_get (terminal, "sales")),
               total,
               json_string_value (json_object_get (terminal, "last_seen")));
    }
  g_print (_("Conflicts: %lld\n"), (long long) json_integer_value (json_object_get (reply, "conflicts")));
  return 0;
}

/* ---- panel-account ------------------------------------------------------- */

static int
admin_panel_account (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_auto(Admin) admin = { 0 };
  g_autofree char *server = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *cacert = NULL;
  g_autofree char *role = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *body = NULL;
  g_autoptr(json_t) request = NULL;
  g_autoptr(json_t) reply = NULL;
  GOptionEntry entries[] = {
    ADMIN_OPTIONS (server, token_file, sha256, cacert),
    { "role", 0, 0, G_OPTION_ARG_STRING, &role,
      N_("What the account sees: organiser (everything), bar or door (default: organiser)"), N_("ROLE") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("File holding the password (default: read from the standard input)"), N_("FILE") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("NAME — give NAME an account on the organiser’s panel, or a new password "
                                        "and role"), entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 3)
    return pdvctl_fail_usage (options, _("admin panel-account needs the account’s name"));
  if (!admin_init (&admin, server, token_file, sha256, cacert, &error))
    return pdvctl_fail_error (options, error);
  if (password_file != NULL)
    {
      if (!g_file_get_contents (password_file, &password, NULL, &error))
        return pdvctl_fail_error (options, error);
    }
  else
    {
      g_autoptr(GBytes) input = pdvctl_read_stdin (&error);

      if (input == NULL)
        return pdvctl_fail_error (options, error);
      password = g_strndup (g_bytes_get_data (input, NULL), g_bytes_get_size (input));
    }
  /* A password file or a pipe ends with a line break that is not part of it. */
  while (g_str_has_suffix (password, "\n") || g_str_has_suffix (password, "\r"))
    password[strlen (password) - 1] = '\0';

  request = json_pack ("{s:s, s:s, s:s}", "name", options->args[2], "role", role != NULL ? role : "organiser",
                       "password", password);
  memset (password, 0, strlen (password));
  body = dump_json (request);
  json_object_del (request, "password");
  reply = admin_request (&admin, "POST", "/v1/admin/panel-accounts", body, strlen (body), &error);
  memset (body, 0, strlen (body));
  if (reply == NULL)
    return pdvctl_fail_error (options, error);
  if (options->json)
    {
      json_object_set_new (reply, "ok", json_true ());
      pdvctl_print_json (reply);
      return 0;
    }
  /* Translators: an account's name, then its role (organiser, bar or door) */
  g_print (_("Panel account “%s” (%s) saved: log in at %s/panel\n"), json_string_value (json_object_get (reply, "name")),
           json_string_value (json_object_get (reply, "role")), admin.server);
  return 0;
}

int
pdvctl_command_admin (Options *options)
{
  static const char *usage =
    N_("Usage: pdvctl admin enrolment NAME | import FILE… | report | panel-account NAME  --server URL "
       "[--token-file FILE]\n");
  const char *subcommand = g_strv_length (options->args) > 1 ? options->args[1] : NULL;

  if (g_strcmp0 (subcommand, "enrolment") == 0)
    return admin_enrolment (options);
  if (g_strcmp0 (subcommand, "panel-account") == 0)
    return admin_panel_account (options);
  if (g_strcmp0 (subcommand, "import") == 0)
    return admin_import (options);
  if (g_strcmp0 (subcommand, "report") == 0)
    return admin_report (options);
  if (subcommand == NULL || g_str_equal (subcommand, "--help") || g_str_equal (subcommand, "-h"))
    {
      g_print ("%s", _(usage));
      return subcommand == NULL ? 2 : 0;
    }
  g_printerr (_("pdvctl: unknown admin command “%s”\n"), subcommand);
  g_printerr ("%s", _(usage));
  return 2;
}

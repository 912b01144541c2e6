/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdv-i18n.h"
#include "pdv-process.h"
#include "pdv-store.h"
#include "pdv-sync-protocol.h"
#include "pdv-sync-server.h"

#define DEFAULT_MAX_BODY (4 * 1024 * 1024)
#define DEFAULT_RATE_LIMIT 50
/* A fleet of hundreds of terminals reconnecting at once after an outage. */
#define DEFAULT_BACKLOG 1024
/* Storage threads, each with its own connection: pushes, pulls and reports
 * side by side (SQLite writes one at a time; PostgreSQL writes of different
 * terminals at once). */
#define DEFAULT_WORKERS 4
#define MAX_WORKERS 64

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* TLS 1.2 and newer only. glib-networking hands GnuTLS's default
 * priorities on, which still take TLS 1.0 and 1.1, and GnuTLS reads its
 * system settings once, as the process starts (libpq loads it), from the
 * file GNUTLS_SYSTEM_PRIORITY_FILE names: the server starts itself again
 * with a file of its own there, which it removes at once (GnuTLS keeps what
 * it read). An administrator's own file (the variable already set) wins. */
#define TLS_POLICY_ENV "PDV_SYNCD_TLS_POLICY"

static void
require_modern_tls (char **argv)
{
  static const char policy[] = "[overrides]\n"
                               "disabled-version = tls1.0\n"
                               "disabled-version = tls1.1\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *self = NULL;
  const char *ours = g_getenv (TLS_POLICY_ENV);
  int fd;

  if (ours != NULL)
    {
      /* Started again: GnuTLS has read it. */
      g_unlink (ours);
      g_unsetenv (TLS_POLICY_ENV);
      g_unsetenv ("GNUTLS_SYSTEM_PRIORITY_FILE");
      return;
    }
  if (g_getenv ("GNUTLS_SYSTEM_PRIORITY_FILE") != NULL)
    return;
  /* The file itself, not /proc/self/exe: the process keeps its name. */
  self = g_file_read_link ("/proc/self/exe", &error);
  if (self == NULL)
    {
      g_printerr ("pdv-syncd: %s\n", error->message);
      return;
    }
  fd = g_file_open_tmp ("pdv-syncd-tls-XXXXXX.conf", &path, &error);
  if (fd < 0 || write (fd, policy, sizeof policy - 1) != (gssize) (sizeof policy - 1))
    {
      g_printerr ("pdv-syncd: %s\n", error ? error->message : g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return;
    }
  close (fd);
  g_setenv ("GNUTLS_SYSTEM_PRIORITY_FILE", path, TRUE);
  g_setenv (TLS_POLICY_ENV, path, TRUE);
  execv (self, argv);
  g_printerr ("pdv-syncd: %s\n", g_strerror (errno));
  g_unlink (path);
  g_unsetenv (TLS_POLICY_ENV);
  g_unsetenv ("GNUTLS_SYSTEM_PRIORITY_FILE");
}

static char *
read_admin_token (const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;

  if (path == NULL)
    return g_strdup (g_getenv ("PDV_SYNCD_ADMIN_TOKEN"));
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  g_strstrip (contents);
  if (*contents == '\0')
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s holds no admin token"), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* What a config file may set: the long options' names, in group
 * [pdv-syncd]. A flag given on the command line wins over the file. */
static gboolean
read_config (const char  *path,
             char       **db,
             char       **listen,
             char       **admin_token_file,
             char       **tls_cert,
             char       **tls_key,
             gint64      *max_body,
             double      *rate_limit,
             int         *backlog,
             int         *workers,
             char      ***trusted_proxies,
             GError     **error)
{
  static const char * const known[] = {
    "db", "listen", "admin-token-file", "tls-cert", "tls-key", "max-body", "rate-limit", "backlog",
    "workers", "trusted-proxy", NULL,
  };
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) keys = NULL;
  struct { const char *key; char **value; } texts[] = {
    { "db", db }, { "listen", listen }, { "admin-token-file", admin_token_file }, { "tls-cert", tls_cert },
    { "tls-key", tls_key },
  };
  struct { const char *key; int *value; } numbers[] = { { "backlog", backlog }, { "workers", workers } };

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return FALSE;
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (!g_str_equal (groups[i], "pdv-syncd"))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                     _("%s: unknown group [%s]; the settings go in [pdv-syncd]"), path, groups[i]);
        return FALSE;
      }
  keys = g_key_file_get_keys (file, "pdv-syncd", NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (known, keys[i]))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     _("%s: unknown setting “%s”"), path, keys[i]);
        return FALSE;
      }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (*texts[i].value == NULL && g_key_file_has_key (file, "pdv-syncd", texts[i].key, NULL))
      {
        *texts[i].value = g_key_file_get_string (file, "pdv-syncd", texts[i].key, error);
        if (*texts[i].value == NULL)
          return FALSE;
      }
  if (*max_body < 0 && g_key_file_has_key (file, "pdv-syncd", "max-body", NULL))
    {
      *max_body = g_key_file_get_int64 (file, "pdv-syncd", "max-body", error);
      if (*error != NULL)
        return FALSE;
    }
  if (*rate_limit < 0 && g_key_file_has_key (file, "pdv-syncd", "rate-limit", NULL))
    {
      *rate_limit = g_key_file_get_double (file, "pdv-syncd", "rate-limit", error);
      if (*error != NULL)
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if (*numbers[i].value < 0 && g_key_file_has_key (file, "pdv-syncd", numbers[i].key, NULL))
      {
        *numbers[i].value = g_key_file_get_integer (file, "pdv-syncd", numbers[i].key, error);
        if (*error != NULL)
          return FALSE;
      }
  /* A list: trusted-proxy=10.0.0.1;10.0.0.2 */
  if (*trusted_proxies == NULL && g_key_file_has_key (file, "pdv-syncd", "trusted-proxy", NULL))
    {
      *trusted_proxies = g_key_file_get_string_list (file, "pdv-syncd", "trusted-proxy", NULL, error);
      if (*trusted_proxies == NULL)
        return FALSE;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stores = NULL;
  g_autoptr(PdvSyncServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *db = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *admin_token_file = NULL;
  g_autofree char *admin_token = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *url = NULL;
  g_autofree char *config = NULL;
  g_auto(GStrv) trusted_proxies = NULL;
  /* Not given yet: a config file may say, else the defaults. */
  gint64 max_body = -1;
  double rate_limit = -1;
  int fault_drop = 0;
  int backlog = -1;
  int workers = -1;
  gboolean version = FALSE;
  PdvSyncServerOptions options = { 0 };
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &db,
      N_("Where to store what terminals send: an SQLite file (default ./pdv-syncd.db) or a postgresql:// URI"),
      N_("FILE|URI") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on (default 127.0.0.1:8080; port 0 picks a free one)"), N_("ADDR:PORT") },
    { "admin-token-file", 0, 0, G_OPTION_ARG_FILENAME, &admin_token_file,
      N_("File holding the admin token (default: the PDV_SYNCD_ADMIN_TOKEN environment variable)"), N_("FILE") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("Serve HTTPS with this PEM certificate"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("The certificate's PEM private key"), N_("FILE") },
    { "max-body", 0, 0, G_OPTION_ARG_INT64, &max_body,
      N_("Largest request body accepted (default 4 MiB)"), N_("BYTES") },
    { "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &rate_limit,
      N_("Requests per second allowed per token and per client address, with bursts of twice as many "
         "(default 50; 0 turns the limit off)"), N_("N") },
    { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &trusted_proxies,
      N_("A proxy or NAT gateway in front of the server, whose X-Forwarded-For names the client for rate limits "
         "and logs (repeat for several)"), N_("ADDRESS") },
    { "backlog", 0, 0, G_OPTION_ARG_INT, &backlog,
      N_("Connections waiting to be taken before new ones are refused (default 1024)"), N_("N") },
    { "workers", 0, 0, G_OPTION_ARG_INT, &workers,
      N_("Threads serving requests, each with its own database connection (default 4)"), N_("N") },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config,
      N_("Read settings from this file: the options' long names in group [pdv-syncd]; options given here win"),
      N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    /* For the tests of lost answers; not for people, so not in --help. */
    { "fault-drop-response-after-commit", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &fault_drop, NULL, NULL },
    { NULL }
  };

  /* What the server writes (its SQLite file and journal) holds tokens and
   * every sale: for its own user only. */
  umask (0077);
  pdv_process_tune_memory ();
  pdv_i18n_init ();
  if (sodium_init () < 0)
    {
      g_printerr ("pdv-syncd: %s\n", _("The cryptography library could not start"));
      return 1;
    }

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("PDV sync server: terminals push their journals to it and pull "
                                           "what the others did."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("pdv-syncd: %s\n", error->message);
      return 2;
    }
  if (g_strv_length (args) > 1)
    {
      g_printerr ("pdv-syncd: %s\n", _("Unexpected arguments; see pdv-syncd --help"));
      return 2;
    }
  if (version)
    {
      g_print ("pdv-syncd %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (config != NULL &&
      !read_config (config, &db, &listen, &admin_token_file, &tls_cert, &tls_key, &max_body, &rate_limit, &backlog,
                    &workers, &trusted_proxies, &error))
    {
      g_printerr ("pdv-syncd: %s\n", error->message);
      return 2;
    }
  if (max_body == -1)
    max_body = DEFAULT_MAX_BODY;
  if (rate_limit == -1)
    rate_limit = DEFAULT_RATE_LIMIT;
  if (backlog == -1)
    backlog = DEFAULT_BACKLOG;
  if (workers == -1)
    workers = DEFAULT_WORKERS;
  if (max_body < 1024 || rate_limit < 0 || fault_drop < 0 || backlog < 16 || workers < 1 || workers > MAX_WORKERS)
    {
      g_printerr ("pdv-syncd: %s\n", _("--max-body must be at least 1024, --backlog at least 16, --workers "
                                       "between 1 and 64 and --rate-limit at least 0"));
      return 2;
    }
  for (guint i = 0; trusted_proxies != NULL && trusted_proxies[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (g_strstrip (trusted_proxies[i]));

      if (address == NULL)
        {
          g_printerr ("pdv-syncd: ");
          g_printerr (_("--trusted-proxy takes an IP address, not “%s”"), trusted_proxies[i]);
          g_printerr ("\n");
          return 2;
        }
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("pdv-syncd: %s\n", _("--tls-cert and --tls-key go together"));
      return 2;
    }
  if (tls_cert != NULL)
    require_modern_tls (argv);

  admin_token = read_admin_token (admin_token_file, &error);
  if (error != NULL)
    {
      g_printerr ("pdv-syncd: %s\n", error->message);
      return 1;
    }
  if (admin_token == NULL || *admin_token == '\0')
    g_printerr ("pdv-syncd: %s\n", _("No admin token (--admin-token-file or PDV_SYNCD_ADMIN_TOKEN): "
                                     "admin requests will be refused"));

  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("pdv-syncd: %s\n", error->message);
          return 1;
        }
    }

  /* One connection for health checks, one per worker. */
  stores = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i <= workers; i++)
    {
      PdvStore *store = pdv_store_open (db ? db : "pdv-syncd.db", &error);

      if (store == NULL)
        {
          g_printerr ("pdv-syncd: %s\n", error->message);
          return 1;
        }
      g_ptr_array_add (stores, store);
    }

  /* A store from before the report's totals were kept gets them now. */
  if (!pdv_sync_totals_prepare (g_ptr_array_index (stores, 0), &error))
    {
      g_printerr ("pdv-syncd: %s\n", error->message);
      return 1;
    }

  /* Before anyone learns where we listen: a SIGTERM from then on is a clean stop. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  /* A client that hangs up must not kill the server. */
  signal (SIGPIPE, SIG_IGN);

  options.admin_token = admin_token;
  options.max_body = (gsize) max_body;
  options.rate_limit = rate_limit;
  options.fault_drop_after = (guint) fault_drop;
  options.trusted_proxies = (const char * const *) trusted_proxies;
  server = pdv_sync_server_new (stores, &options);
  if (!pdv_sync_server_listen (server, listen ? listen : "127.0.0.1:8080", certificate, (guint) backlog, &url,
                               &error))
    {
      g_printerr ("pdv-syncd: %s\n", error->message);
      return 1;
    }

  /* Scripts and tests read this line to learn the port: it stays in English. */
  g_print ("listening on %s\n", url);
  if (pdv_sync_server_get_tls_sha256 (server) != NULL)
    g_print ("certificate sha256:%s\n", pdv_sync_server_get_tls_sha256 (server));
  fflush (stdout);
  g_main_loop_run (loop);

  pdv_sync_server_disconnect (server);
  g_clear_object (&server);
  g_clear_pointer (&stores, g_ptr_array_unref);
  if (admin_token != NULL)
    sodium_memzero (admin_token, strlen (admin_token));
  return 0;
}

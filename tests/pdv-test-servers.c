/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdv-test-servers.h"
#include "pdv-test-util.h"

/* Sanitizer builds start slowly. */
#define START_TIMEOUT_MS (60 * 1000)
#define STOP_TIMEOUT_MS (30 * 1000)

struct _PdvTestSyncd
{
  GPid  pid;
  int   stdout_fd;
  char *url;
};

static int
wait_status_to_code (int status)
{
  return WIFSIGNALED (status) ? 128 + WTERMSIG (status) : WEXITSTATUS (status);
}

/* Waits for @pid; kills it when it does not end in time. */
static int
reap (GPid pid,
      guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  int status = 0;

  for (;;)
    {
      pid_t done = waitpid (pid, &status, WNOHANG);

      if (done == pid)
        return wait_status_to_code (status);
      if (done < 0 && errno != EINTR)
        g_error ("waitpid %d: %s", (int) pid, g_strerror (errno));
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("process %d did not end in time; killing it", (int) pid);
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          return -1;
        }
      g_usleep (10 * 1000);
    }
}

static char *
read_line (int    fd,
           guint  timeout_ms)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char c;
      ssize_t n;

      if (left_ms <= 0 || poll (&pfd, 1, (int) left_ms) <= 0)
        return NULL;
      n = read (fd, &c, 1);
      if (n <= 0)
        return NULL;
      if (c == '\n')
        return g_string_free (g_steal_pointer (&line), FALSE);
      g_string_append_c (line, c);
    }
}

/* A server must not outlive a test that crashed. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * pdv_test_syncd_start:
 * @db: an SQLite path or a postgresql:// URI
 * @admin_token: (nullable): passed in PDV_SYNCD_ADMIN_TOKEN
 * @extra_args: (nullable): more options, %NULL-terminated
 *
 * Starts $PDV_SYNCD on 127.0.0.1 with a port of its choosing and waits until
 * it says where it listens. Its stderr goes to the test's.
 */
PdvTestSyncd *
pdv_test_syncd_start (const char         *db,
                      const char         *admin_token,
                      const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *line = NULL;
  const char *exe = g_getenv ("PDV_SYNCD");
  PdvTestSyncd *self;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (char *) exe);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  for (guint i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  if (admin_token != NULL)
    env = g_environ_setenv (env, "PDV_SYNCD_ADMIN_TOKEN", admin_token, TRUE);
  else
    env = g_environ_unsetenv (env, "PDV_SYNCD_ADMIN_TOKEN");

  self = g_new0 (PdvTestSyncd, 1);
  self->stdout_fd = -1;
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, env, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL,
                            &self->pid, NULL, &self->stdout_fd, NULL, &error);
  g_assert_no_error (error);

  line = read_line (self->stdout_fd, START_TIMEOUT_MS);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      int status = reap (self->pid, STOP_TIMEOUT_MS);
      g_error ("pdv-syncd did not start (exit %d, said “%s”)", status, line ? line : "");
    }
  self->url = g_strdup (line + strlen ("listening on "));
  g_test_message ("pdv-syncd %d on %s (%s)", (int) self->pid, self->url, db);
  return self;
}

const char *
pdv_test_syncd_get_url (PdvTestSyncd *self)
{
  return self->url;
}

GPid
pdv_test_syncd_get_pid (PdvTestSyncd *self)
{
  return self->pid;
}

static void
syncd_free (PdvTestSyncd *self)
{
  if (self->stdout_fd >= 0)
    close (self->stdout_fd);
  g_free (self->url);
  g_free (self);
}

/**
 * pdv_test_syncd_stop:
 *
 * Asks the server to end (SIGTERM) and frees @self.
 *
 * Returns: its exit status (0 for a clean exit), 128 + signal for a crash,
 *   -1 when it had to be killed
 */
int
pdv_test_syncd_stop (PdvTestSyncd *self)
{
  int status;

  kill (self->pid, SIGTERM);
  status = reap (self->pid, STOP_TIMEOUT_MS);
  syncd_free (self);
  return status;
}

/**
 * pdv_test_syncd_kill:
 *
 * Kills the server at once (SIGKILL), as a power cut would, and frees @self.
 */
void
pdv_test_syncd_kill (PdvTestSyncd *self)
{
  kill (self->pid, SIGKILL);
  g_assert_cmpint (reap (self->pid, STOP_TIMEOUT_MS), ==, 128 + SIGKILL);
  syncd_free (self);
}

struct _PdvTestPostgres
{
  char *dir;
  char *data_dir;
  char *bindir;
  char *conninfo;
  guint port;
  gboolean as_postgres;
  GPid watchdog;
  int watchdog_fd;
};

/* The newest installed server, or $PDV_PG_BINDIR. */
static char *
find_bindir (void)
{
  const char *env = g_getenv ("PDV_PG_BINDIR");
  g_autoptr(GDir) dir = NULL;
  const char *name;
  int best = 0;
  char *bindir = NULL;

  if (env != NULL)
    return g_strdup (env);
  dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *candidate = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *initdb = g_build_filename (candidate, "initdb", NULL);
      int version = atoi (name);

      if (version > best && g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        {
          best = version;
          g_free (bindir);
          bindir = g_steal_pointer (&candidate);
        }
    }
  return bindir;
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (socket);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static GPtrArray *pg_argv (PdvTestPostgres    *self,
                           const char * const *args);

/* Runs a PostgreSQL program from the cluster's directory, as `postgres`
 * when we are root: initdb and the server refuse to run as root. */
static gboolean
run_pg (PdvTestPostgres     *self,
        const char * const  *args,
        GError             **error)
{
  g_autoptr(GPtrArray) argv = pg_argv (self, args);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (self->dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s failed: %s%s", args[0], out, err);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
pg_argv (PdvTestPostgres    *self,
         const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  if (self->as_postgres)
    {
      g_autofree char *runuser = g_find_program_in_path ("runuser");

      g_ptr_array_add (argv, runuser ? g_steal_pointer (&runuser) : g_strdup ("/usr/sbin/runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (self->bindir, args[0], NULL));
  for (guint i = 1; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* The cluster runs detached from the test: a shell waits for the test to
 * end, however it ends (its stdin then closes), and takes the cluster and
 * its directory with it. */
static void
start_watchdog (PdvTestPostgres *self)
{
  const char *stop[] = { "pg_ctl", "-D", self->data_dir, "-m", "immediate", "-w", "stop", NULL };
  g_autoptr(GPtrArray) command = pg_argv (self, stop);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) "/bin/sh");
  g_ptr_array_add (argv, (char *) "-c");
  g_ptr_array_add (argv, (char *) "dir=$1; shift; while read -r line; do :; done; \"$@\" >/dev/null 2>&1; rm -rf \"$dir\"");
  g_ptr_array_add (argv, (char *) "pdv-test-postgres-watchdog");
  g_ptr_array_add (argv, self->dir);
  for (guint i = 0; i < command->len - 1; i++)
    g_ptr_array_add (argv, g_ptr_array_index (command, i));
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes ("/", (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &self->watchdog, &self->watchdog_fd, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
postgres_free (PdvTestPostgres *self)
{
  if (self->watchdog != 0)
    {
      close (self->watchdog_fd);
      reap (self->watchdog, STOP_TIMEOUT_MS);
    }
  if (self->dir != NULL)
    pdv_test_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->data_dir);
  g_free (self->bindir);
  g_free (self->conninfo);
  g_free (self);
}

/**
 * pdv_test_postgres_start:
 *
 * initdb and start a throwaway cluster on a free loopback port, trusting
 * local connections as `postgres`. Never touches a system cluster.
 *
 * Returns: the cluster, or %NULL with @error set when PostgreSQL is not
 *   installed or would not start
 */
PdvTestPostgres *
pdv_test_postgres_start (GError **error)
{
  PdvTestPostgres *self = g_new0 (PdvTestPostgres, 1);
  g_autofree char *log = NULL;
  g_autofree char *options = NULL;

  self->bindir = find_bindir ();
  if (self->bindir == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "PostgreSQL is not installed (no initdb found)");
      postgres_free (self);
      return NULL;
    }

  self->dir = pdv_test_make_tmpdir ();
  self->data_dir = g_build_filename (self->dir, "data", NULL);
  log = g_build_filename (self->dir, "postgresql.log", NULL);
  if (geteuid () == 0)
    {
      struct passwd *user = getpwnam ("postgres");

      if (user == NULL || chown (self->dir, user->pw_uid, user->pw_gid) != 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                       "running as root, and the postgres user is missing or cannot own %s", self->dir);
          postgres_free (self);
          return NULL;
        }
      self->as_postgres = TRUE;
    }

  {
    const char *initdb[] = { "initdb", "-D", self->data_dir, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                             "--locale=C", "--no-sync", NULL };

    if (!run_pg (self, initdb, error))
      {
        postgres_free (self);
        return NULL;
      }
  }

  start_watchdog (self);
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *start[] = { "pg_ctl", "-D", self->data_dir, "-l", log, "-w", "-t", "60", "-o", NULL, "start",
                              NULL };

      self->port = free_port ();
      g_free (options);
      options = g_strdup_printf ("-k %s -c listen_addresses=127.0.0.1 -p %u -c fsync=off", self->dir, self->port);
      start[9] = options;
      if (run_pg (self, start, &local_error))
        break;
      if (attempt == 4)
        {
          g_autofree char *contents = NULL;

          g_file_get_contents (log, &contents, NULL, NULL);
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s\n%s", local_error->message,
                       contents ? contents : "");
          postgres_free (self);
          return NULL;
        }
    }

  self->conninfo = g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/postgres", self->port);
  g_test_message ("PostgreSQL on port %u in %s", self->port, self->dir);
  return self;
}

/**
 * pdv_test_postgres_create_database:
 * @name: letters, digits and underscores
 *
 * Returns: (transfer full): a connection URI for the new, empty database
 */
char *
pdv_test_postgres_create_database (PdvTestPostgres *self,
                                   const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", self->port);
  const char *createdb[] = { "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", name, NULL };

  for (const char *p = name; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '_');
  run_pg (self, createdb, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/%s", self->port, name);
}

const char *
pdv_test_postgres_get_conninfo (PdvTestPostgres *self)
{
  return self->conninfo;
}

/**
 * pdv_test_postgres_stop:
 *
 * Stops the cluster at once and removes its directory.
 */
void
pdv_test_postgres_stop (PdvTestPostgres *self)
{
  g_autoptr(GError) error = NULL;
  const char *stop[] = { "pg_ctl", "-D", self->data_dir, "-m", "immediate", "-w", "stop", NULL };

  if (!run_pg (self, stop, &error))
    g_test_message ("stopping PostgreSQL: %s", error->message);
  postgres_free (self);
}

static gint64
read_metric (SoupSession *session,
             const char  *url,
             const char  *name)
{
  g_autofree char *metrics_url = g_strconcat (url, "/metrics", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", metrics_url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = strlen (name);
  gint64 sum = -1;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  lines = g_strsplit (g_bytes_get_data (body, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *space = strrchr (line, ' ');

      if (*line == '#' || space == NULL || strncmp (line, name, length) != 0 ||
          (line + length != space && line[length] != '{'))
        continue;
      sum = MAX (sum, 0) + g_ascii_strtoll (space + 1, NULL, 10);
    }
  return sum;
}

/**
 * pdv_test_syncd_metric:
 * @name: a sample as /metrics writes it (`pdv_pulls_waiting`,
 *   `pdv_entries_stored_total{kind="sale"}`), or a metric's name alone to
 *   add up all its samples
 *
 * Returns: the value, or -1 when the server writes no such sample
 */
gint64
pdv_test_syncd_metric (const char *url,
                       const char *name)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  return read_metric (session, url, name);
}

static gboolean
poll_due_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * pdv_test_syncd_wait_for_metric:
 *
 * Reads the server's metrics every 10 ms, on one connection, until @name
 * reads @value or @seconds pass; the thread-default main context runs in
 * between.
 *
 * Returns: whether it read @value in time
 */
gboolean
pdv_test_syncd_wait_for_metric (const char *url,
                                const char *name,
                                gint64      value,
                                guint       seconds)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (read_metric (session, url, name) != value)
    {
      gboolean due = FALSE;

      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_timeout_add (10, poll_due_cb, &due);
      while (!due)
        g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

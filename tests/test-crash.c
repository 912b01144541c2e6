/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdv-test-util.h"

#define N_KILLS 40

/* Reads what the writer reported until @deadline (monotonic µs), returning
 * the highest seq it confirmed. */
static gint64
read_confirmed (int      fd,
                GString *pending,
                gint64   deadline,
                gboolean drain)
{
  gint64 highest = 0;

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      gint64 left = drain ? 0 : (deadline - g_get_monotonic_time ()) / 1000;
      char buf[4096];
      ssize_t n;
      char *newline;

      if (!drain && left <= 0)
        break;
      if (poll (&pfd, 1, drain ? 0 : (int) left) <= 0)
        {
          if (drain || g_get_monotonic_time () >= deadline)
            break;
          continue;
        }
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        break;
      g_string_append_len (pending, buf, n);
      while ((newline = strchr (pending->str, '\n')) != NULL)
        {
          gint64 seq = g_ascii_strtoll (pending->str, NULL, 10);
          highest = MAX (highest, seq);
          g_string_erase (pending, 0, newline - pending->str + 1);
        }
    }
  return highest;
}

static void
test_kill_while_appending (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *path = NULL;
  g_autoptr(GRand) rand = g_rand_new ();
  const char *writer = g_getenv ("PDV_CRASH_WRITER");
  gint64 confirmed_total = 0;
  gint64 expected_stock;
  gint64 adjusts;

  g_assert_nonnull (writer);
  {
    g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, TRUE);
    path = g_strdup (pdv_db_get_path (pdv_context_get_db (context)));
  }
  g_test_message ("seed %u", g_test_rand_int ());

  for (int round = 0; round < N_KILLS; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) pending = g_string_new (NULL);
      const char *child_argv[] = { writer, path, "CERV-LATA-350", NULL };
      GPid pid;
      int out_fd;
      int status;
      gint64 highest;
      gint64 last_seq;
      gint64 n_entries = 0;
      g_autoptr(PdvContext) context = NULL;

      g_spawn_async_with_pipes (NULL, (char **) child_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);

      /* Let it run for 5–80 ms, then pull the plug. */
      highest = read_confirmed (out_fd, pending,
                                g_get_monotonic_time () + g_rand_int_range (rand, 5, 80) * 1000, FALSE);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      /* Lines written before the kill are still in the pipe. */
      highest = MAX (highest, read_confirmed (out_fd, pending, 0, TRUE));
      close (out_fd);
      g_spawn_close_pid (pid);

      context = pdv_context_open (path, &error);
      g_assert_no_error (error);
      last_seq = pdv_journal_get_last_seq (pdv_context_get_journal (context));
      if (last_seq < highest)
        g_error ("round %d: seq %" G_GINT64_FORMAT " was confirmed but the journal ends at %" G_GINT64_FORMAT,
                 round, highest, last_seq);
      g_assert_true (pdv_journal_verify (pdv_context_get_journal (context), &n_entries, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (n_entries, ==, last_seq);
      confirmed_total = MAX (confirmed_total, highest);
    }

  /* The stock projection agrees with the journal after all those kills. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdvContext) context = pdv_context_open (path, &error);
    g_autoptr(PdvProduct) product = pdv_catalog_lookup (pdv_context_get_catalog (context), "CERV-LATA-350", NULL);
    sqlite3_stmt *stmt = pdv_db_prepare (pdv_context_get_db (context),
                                         "SELECT COUNT (*) FROM journal WHERE kind = 'stock.adjust'", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    adjusts = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    expected_stock = 600 - adjusts;
    g_assert_cmpint (product->stock, ==, expected_stock);
  }

  g_test_message ("%d kills, %" G_GINT64_FORMAT " entries confirmed, none lost", N_KILLS, confirmed_total);
  g_assert_cmpint (confirmed_total, >, N_KILLS);
  pdv_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/journal/crash/sigkill-while-appending", test_kill_while_appending);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdv-db-private.h"
#include "pdv-test-util.h"

#define N_KILLS 40
/* How long a writer may take to confirm its entries, however loaded the
 * machine: a deadline for a stuck writer, not a pace. */
#define CONFIRM_DEADLINE_S 120

typedef struct {
  gint64 wanted;
  gint64 highest;
} Confirmed;

static gboolean
confirmed_cb (const char *line,
              gpointer    data)
{
  Confirmed *confirmed = data;

  confirmed->highest = MAX (confirmed->highest, g_ascii_strtoll (line, NULL, 10));
  return confirmed->highest >= confirmed->wanted;
}

/* Reads what the writer reports until it has confirmed seq @wanted (see
 * read_lines()). Returns the highest seq it confirmed. */
static gint64
read_confirmed (int      fd,
                GString *pending,
                gint64   wanted,
                gint64   deadline,
                gboolean drain)
{
  Confirmed confirmed = { wanted, 0 };

  pdv_test_read_lines (fd, pending, deadline, drain, confirmed_cb, &confirmed);
  return confirmed.highest;
}

static gint64
count_entries (PdvContext *context,
               const char *sql)
{
  sqlite3_stmt *stmt = pdv_db_prepare (pdv_context_get_db (context), sql, NULL);
  gint64 count;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

/* Sales, check-ins and stock adjustments, each killed mid-write: every
 * entry the writer confirmed is there, the chain is whole, and every
 * projection (stock, tickets, occupancy, shift totals) agrees with it. */
static void
test_kill_while_appending (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *path = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  const char *writer = g_getenv ("PDV_CRASH_WRITER");
  gint64 confirmed_total = 0;

  g_assert_nonnull (writer);
  {
    g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, TRUE);
    path = g_strdup (pdv_db_get_path (pdv_context_get_db (context)));
  }

  for (int round = 0; round < N_KILLS; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) pending = g_string_new (NULL);
      const char *child_argv[] = { writer, path, "CERV-LATA-350", NULL };
      GPid pid;
      int out_fd;
      int status;
      gint64 before;
      gint64 wanted;
      gint64 highest;
      gint64 last_seq;
      gint64 n_entries = 0;
      g_autoptr(PdvContext) context = NULL;

      {
        g_autoptr(PdvContext) peek = pdv_context_open (path, &error);
        g_assert_no_error (error);
        before = pdv_journal_get_last_seq (pdv_context_get_journal (peek));
      }
      g_spawn_async_with_pipes (NULL, (char **) child_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);

      /* Pull the plug once the writer has confirmed 1–6 more entries: by then
       * it is inside the next one, whatever the machine's pace. */
      wanted = before + g_rand_int_range (rand, 1, 7);
      highest = read_confirmed (out_fd, pending, wanted,
                                g_get_monotonic_time () + CONFIRM_DEADLINE_S * G_USEC_PER_SEC, FALSE);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (highest < wanted)
        g_error ("round %d: the writer confirmed seq %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                 " within %d s (exit status %d)", round, highest, wanted, CONFIRM_DEADLINE_S, status);
      g_assert_true (WIFSIGNALED (status));
      /* Lines written before the kill are still in the pipe. */
      highest = MAX (highest, read_confirmed (out_fd, pending, 0, 0, TRUE));
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
      confirmed_total += highest - before;
    }

  /* Every kind was written and killed, and the stock projection agrees with
   * the sales and adjustments that survived. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdvContext) context = pdv_context_open (path, &error);
    g_autoptr(PdvProduct) product = pdv_test_lookup_product (pdv_context_get_catalog (context), "CERV-LATA-350");
    gint64 sales = count_entries (context, "SELECT COUNT (*) FROM journal WHERE kind = 'sale'");
    gint64 checkins = count_entries (context, "SELECT COUNT (*) FROM journal WHERE kind = 'checkin'");
    gint64 adjusts = count_entries (context, "SELECT COUNT (*) FROM journal WHERE kind = 'stock.adjust'");
    PdvOccupancy occupancy;
    g_autoptr(PdvCheckin) checkin = pdv_checkin_new (pdv_context_get_journal (context));

    g_test_message ("%d kills, %" G_GINT64_FORMAT " entries confirmed (%" G_GINT64_FORMAT " sales, %"
                    G_GINT64_FORMAT " check-ins, %" G_GINT64_FORMAT " stock adjustments), none lost",
                    N_KILLS, confirmed_total, sales, checkins, adjusts);
    g_assert_cmpint (sales, >, 0);
    g_assert_cmpint (checkins, >, 0);
    g_assert_cmpint (adjusts, >, 0);
    g_assert_cmpint (product->stock, ==, 600 - sales + adjusts);
    g_assert_true (pdv_checkin_get_occupancy (checkin, &occupancy, &error));
    g_assert_no_error (error);
    g_assert_cmpint (occupancy.entries + occupancy.refusals, ==, checkins);
    g_assert_cmpint (occupancy.inside, ==, occupancy.entries);
  }

  g_assert_cmpint (confirmed_total, >=, N_KILLS);
  pdv_test_remove_tree (dir);
}

#define N_PAYMENT_KILLS 200

/* A till killed while taking split payments: every payment it reported
 * taken is on the terminal after the restart, in a sale or in the sale
 * still open, never in two; the next start finishes the open sale. */
static void
test_kill_during_split_payments (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *path = NULL;
  const char *writer = g_getenv ("PDV_CRASH_WRITER");
  guint paid, reopened;

  g_assert_nonnull (writer);
  {
    g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, TRUE);
    path = g_strdup (pdv_db_get_path (pdv_context_get_db (context)));
  }
  pdv_test_kill_tills (path, (const char * const[]) { writer, path, "CERV-LATA-350", "payments", NULL },
                       N_PAYMENT_KILLS, &paid, &reopened);
  g_test_message ("%d kills, %u payments reported taken, all on the terminal; %u sales reopened with "
                  "their payments", N_PAYMENT_KILLS, paid, reopened);
  g_assert_cmpuint (paid, >=, N_PAYMENT_KILLS / 2);
  g_assert_cmpuint (reopened, >, 0);
  pdv_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/journal/crash/sigkill-while-appending", test_kill_while_appending);
  g_test_add_func ("/journal/crash/sigkill-during-split-payments", test_kill_during_split_payments);

  return g_test_run ();
}

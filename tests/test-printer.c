/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cups/cups.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pdv-printer.h"
#include "pdv-receipt-printer.h"
#include "pdv-test-util.h"

/* The queue of this test's own print server; its backend writes every job
 * to a file instead of a printer. */
#define QUEUE "pdvtest"
#define WAIT_SECONDS 20

static const guint8 drawer_pulse[] = { 0x1b, 'p', 0, 25, 250 };

/* One directory and socket for the whole program: CUPS reads $CUPS_SERVER
 * once per thread, so every test's server must answer at the same place. */
static char *server_dir;
static char *socket_path;

typedef struct {
  GSubprocess *cupsd;
  char        *capture_dir;
  GHashTable  *captured;      /* the capture files already looked at */
  char        *terminal_dir;
  PdvContext  *context;
  PdvJournal  *journal;
} Fixture;

static char *
find_tool (const char *name)
{
  char *path = g_find_program_in_path (name);

  if (path == NULL)
    {
      path = g_build_filename ("/usr/sbin", name, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        g_clear_pointer (&path, g_free);
    }
  return path;
}

static void
run_tool (const char *name,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  int wait_status = 0;
  va_list args;

  g_ptr_array_add (argv, find_tool (name));
  g_assert_nonnull (argv->pdata[0]);
  va_start (args, name);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("%s failed: %s %s", name, error->message, err);
}

static void
make_dir_for_lp (const char *name)
{
  g_autofree char *path = g_build_filename (server_dir, name, NULL);
  struct passwd *lp = getpwnam ("lp");

  g_assert_nonnull (lp);
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  g_assert_cmpint (chown (path, lp->pw_uid, lp->pw_gid), ==, 0);
}

static void
write_file (const char *name,
            const char *contents,
            int         mode)
{
  g_autofree char *path = g_build_filename (server_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, mode, &error);
  g_assert_no_error (error);
}

/* ServerBin is /usr/lib/cups with a backend directory of our own. */
static void
make_server_bin (void)
{
  g_autofree char *bin = g_build_filename (server_dir, "bin", NULL);
  g_autofree char *backend = g_strdup_printf (
    "#!/bin/sh\n"
    "# Writes each job where the test can read it, whole or not at all.\n"
    "if [ $# -eq 0 ]; then\n"
    "  echo 'direct capture \"Unknown\" \"PDV test capture\"'\n"
    "  exit 0\n"
    "fi\n"
    "out=\"%s/capture/job-$1\"\n"
    "if [ -n \"$6\" ]; then cat \"$6\" > \"$out.part\"; else cat > \"$out.part\"; fi\n"
    "mv \"$out.part\" \"$out.bin\"\n",
    server_dir);
  g_autofree char *backend_dir = g_build_filename (bin, "backend", NULL);
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/cups", 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (backend_dir, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *target = g_build_filename ("/usr/lib/cups", name, NULL);
      g_autofree char *link = g_build_filename (bin, name, NULL);

      if (!g_str_equal (name, "backend"))
        g_assert_cmpint (symlink (target, link), ==, 0);
    }
  /* Not 0700: cupsd runs it as lp, not as root. */
  write_file ("bin/backend/capture", backend, 0755);
}

static void
kill_on_parent_death (gpointer data)
{
  /* A failed assertion aborts the test: the print server must not outlive it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
server_answers (void)
{
  http_t *http = httpConnect2 (socket_path, ippPort (), NULL, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 1000,
                               NULL);

  if (http == NULL)
    return FALSE;
  httpClose (http);
  return TRUE;
}

static void
start_print_server (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;
  g_autofree char *cupsd = find_tool ("cupsd");
  g_autofree char *conf = g_build_filename (server_dir, "cupsd.conf", NULL);
  g_autofree char *files_conf = g_build_filename (server_dir, "cups-files.conf", NULL);
  g_autofree char *log = g_build_filename (server_dir, "log", "cupsd.out", NULL);
  g_autofree char *cupsd_conf = g_strdup_printf (
    "LogLevel warn\n"
    "Listen %s\n"
    "Browsing No\n"
    "WebInterface No\n"
    "DefaultAuthType None\n"
    "<Location />\n"
    "  Order allow,deny\n"
    "  Allow all\n"
    "</Location>\n",
    socket_path);
  g_autofree char *files = g_strdup_printf (
    "User lp\n"
    "Group lp\n"
    "ServerRoot %1$s/root\n"
    "RequestRoot %1$s/spool\n"
    "CacheDir %1$s/cache\n"
    "StateDir %1$s/state\n"
    "TempDir %1$s/tmp\n"
    "ServerBin %1$s/bin\n"
    "ErrorLog %1$s/log/error_log\n"
    "AccessLog %1$s/log/access_log\n"
    "PageLog %1$s/log/page_log\n",
    server_dir);
  static const char * const lp_dirs[] = { "root", "spool", "cache", "state", "tmp", "log", "capture" };
  gint64 deadline;

  pdv_test_remove_tree (server_dir);
  g_assert_cmpint (g_mkdir_with_parents (server_dir, 0755), ==, 0);
  /* lp must reach the capture directory through it. */
  g_assert_cmpint (g_chmod (server_dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (lp_dirs); i++)
    make_dir_for_lp (lp_dirs[i]);
  make_server_bin ();
  write_file ("cupsd.conf", cupsd_conf, 0644);
  write_file ("cups-files.conf", files, 0644);

  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, kill_on_parent_death, NULL, NULL);
  f->cupsd = g_subprocess_launcher_spawn (launcher, &error, cupsd, "-f", "-c", conf, "-s", files_conf, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (!server_answers ())
    {
      if (g_subprocess_get_identifier (f->cupsd) == NULL || g_get_monotonic_time () > deadline)
        g_error ("the test's print server did not start; see %s and %s/log/error_log", log, server_dir);
      g_usleep (20 * 1000);
    }
  run_tool ("lpadmin", "-p", QUEUE, "-E", "-v", "capture:/x", NULL);
}

static void
stop_print_server (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  if (f->cupsd == NULL)
    return;
  g_subprocess_send_signal (f->cupsd, SIGTERM);
  while (g_subprocess_get_identifier (f->cupsd) != NULL && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  g_subprocess_force_exit (f->cupsd);
  g_subprocess_wait (f->cupsd, NULL, NULL);
  g_clear_object (&f->cupsd);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  start_print_server (f);
  f->capture_dir = g_build_filename (server_dir, "capture", NULL);
  f->captured = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->terminal_dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->terminal_dir, TRUE);
  f->journal = pdv_context_get_journal (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  stop_print_server (f);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->terminal_dir);
  g_free (f->terminal_dir);
  g_hash_table_unref (f->captured);
  g_free (f->capture_dir);
}

/* Waits for one more job to reach the capture backend, and returns what the
 * printer would have received. Jobs are asynchronous: the server has only
 * queued them when printing returns. */
static GBytes *
wait_for_job (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GDir) dir = g_dir_open (f->capture_dir, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".bin") && !g_hash_table_contains (f->captured, name))
          {
            g_autofree char *path = g_build_filename (f->capture_dir, name, NULL);
            g_autoptr(GError) error = NULL;
            char *contents = NULL;
            gsize length = 0;

            g_hash_table_add (f->captured, g_strdup (name));
            g_file_get_contents (path, &contents, &length, &error);
            g_assert_no_error (error);
            return g_bytes_new_take (contents, length);
          }
      if (g_get_monotonic_time () > deadline)
        g_error ("no job reached the printer in %d s; see %s/log", WAIT_SECONDS, server_dir);
      g_usleep (20 * 1000);
    }
}

/* How many jobs the print server ever took, printed or not. */
static int
count_server_jobs (void)
{
  http_t *http = httpConnect2 (socket_path, ippPort (), NULL, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000,
                               NULL);
  cups_job_t *jobs = NULL;
  int n;

  g_assert_nonnull (http);
  n = cupsGetJobs2 (http, &jobs, QUEUE, 0, CUPS_WHICHJOBS_ALL);
  g_assert_cmpint (n, >=, 0);
  cupsFreeJobs (n, jobs);
  httpClose (http);
  return n;
}

static guint
count_occurrences (GBytes     *haystack,
                   const void *needle,
                   gsize       needle_len)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (haystack, &size);
  guint n = 0;

  for (gsize i = 0; i + needle_len <= size; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      n++;
  return n;
}

static GBytes *
load_golden (const char *name)
{
  g_autofree char *relative = g_build_filename ("receipts", name, NULL);
  g_autofree char *path = pdv_test_data_path (relative);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* The fixed receipts of tests/data/receipts, as test-receipt renders them. */
static GBytes *
render_fixed_receipt (const char    *name,
                      PdvPaperWidth  width)
{
  g_autoptr(PdvReceipt) receipt = pdv_test_load_receipt (name);
  PdvReceiptOptions options = { width, NULL, NULL };

  return pdv_receipt_render_escpos (receipt, &options);
}

static char *
commit_sale (Fixture          *f,
             PdvPaymentMethod  method)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
  pdv_sale_draft_add_payment (draft, method, 2400, method == PDV_PAYMENT_CASH ? 5000 : 0,
                              method == PDV_PAYMENT_CASH ? NULL : "AUTH-1");
  result = pdv_sale_commit (f->journal, pdv_context_get_catalog (f->context), draft, "ana", NULL, &error);
  g_assert_no_error (error);
  return g_strdup (result->sale_id);
}

static GBytes *
render_sale (Fixture    *f,
             const char *sale_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReceipt) receipt = pdv_receipt_new_for_sale (f->journal, sale_id, &error);

  g_assert_no_error (error);
  return pdv_receipt_render_escpos (receipt, NULL);
}

static void
test_cash_receipt (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PdvPrinter) printer = pdv_printer_new (QUEUE);
  g_autoptr(GBytes) golden = load_golden ("cash-80.escpos");
  g_autoptr(GBytes) bytes = render_fixed_receipt ("cash", PDV_PAPER_80MM);
  g_autoptr(GBytes) printed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_bytes_equal (bytes, golden));
  g_assert_true (pdv_printer_print_raw (printer, bytes, "Receipt", &error));
  g_assert_no_error (error);

  /* The printer gets exactly the bytes, drawer pulse included. */
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, golden));
  g_assert_cmpuint (count_occurrences (printed, drawer_pulse, sizeof drawer_pulse), ==, 1);
}

static void
test_card_receipt (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PdvPrinter) printer = pdv_printer_new (QUEUE);
  g_autoptr(GBytes) golden = load_golden ("split-58.escpos");
  g_autoptr(GBytes) bytes = render_fixed_receipt ("split", PDV_PAPER_58MM);
  g_autoptr(GBytes) printed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pdv_printer_print_raw (printer, bytes, "Receipt", &error));
  g_assert_no_error (error);
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, golden));
  /* No cash, no drawer. */
  g_assert_cmpuint (count_occurrences (printed, "\x1bp", 2), ==, 0);
}

static void
test_stopped_printer (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PdvPrinter) printer = pdv_printer_new (QUEUE);
  g_autofree char *sale_id = commit_sale (f, PDV_PAYMENT_CASH);
  g_autoptr(GBytes) bytes = render_sale (f, sale_id);
  g_autoptr(GBytes) printed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReceipt) receipt = NULL;

  /* What cupsd does when the printer runs out of paper. */
  run_tool ("cupsdisable", QUEUE, NULL);
  g_assert_false (pdv_printer_print_raw (printer, bytes, "Receipt", &error));
  g_assert_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_STOPPED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“" QUEUE "” is stopped"));
  g_clear_error (&error);
  /* Nothing was queued to come out later by surprise. */
  g_assert_cmpint (count_server_jobs (), ==, 0);

  /* The sale is untouched and its receipt still there to reprint. */
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, &error));
  g_assert_no_error (error);
  receipt = pdv_receipt_new_for_sale (f->journal, sale_id, &error);
  g_assert_no_error (error);

  run_tool ("cupsenable", QUEUE, NULL);
  g_assert_true (pdv_printer_print_raw (printer, bytes, "Receipt", &error));
  g_assert_no_error (error);
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, bytes));
  g_assert_cmpint (count_server_jobs (), ==, 1);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PdvPrinter) printer = pdv_printer_new ("nosuch");
  g_autoptr(PdvPrinter) default_printer = pdv_printer_new (NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\x1b@hello\n", 8);
  g_autoptr(GBytes) printed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (pdv_printer_print_raw (printer, bytes, "Receipt", &error));
  g_assert_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“nosuch”"));
  g_clear_error (&error);

  g_assert_false (pdv_printer_print_raw (default_printer, bytes, "Receipt", &error));
  g_assert_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NO_DEFAULT);
  g_clear_error (&error);
  run_tool ("lpadmin", "-d", QUEUE, NULL);
  g_assert_true (pdv_printer_print_raw (default_printer, bytes, "Receipt", &error));
  g_assert_no_error (error);
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, bytes));

  /* No print server at all. */
  stop_print_server (f);
  g_assert_false (pdv_printer_print_raw (default_printer, bytes, "Receipt", &error));
  g_assert_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NO_SERVER);
  g_test_message ("%s", error->message);
}

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Outcome;

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = pdv_printer_print_raw_finish (PDV_PRINTER (object), result, &outcome->error);
  outcome->done = TRUE;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PdvPrinter) printer = pdv_printer_new (QUEUE);
  g_autofree char *sale_id = commit_sale (f, PDV_PAYMENT_CARD);
  g_autoptr(GBytes) bytes = render_sale (f, sale_id);
  g_autoptr(GBytes) printed = NULL;
  Outcome outcome = { 0 };

  pdv_printer_print_raw_async (printer, bytes, "Receipt", NULL, printed_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, bytes));

  run_tool ("cupsdisable", QUEUE, NULL);
  outcome = (Outcome) { 0 };
  pdv_printer_print_raw_async (printer, bytes, "Receipt", NULL, printed_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_STOPPED);
  g_clear_error (&outcome.error);
}

static void
bytes_printed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = pdv_receipt_printer_print_bytes_finish (PDV_RECEIPT_PRINTER (object), result, &outcome->error);
  outcome->done = TRUE;
}

static void
print_bytes (PdvReceiptPrinter *printer,
             GBytes            *bytes,
             Outcome           *outcome)
{
  *outcome = (Outcome) { 0 };
  pdv_receipt_printer_print_bytes_async (printer, bytes, "Open cash drawer", NULL, bytes_printed_cb, outcome);
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
}

static PdvUser *
login (Fixture    *f,
       const char *user_id,
       const char *pin)
{
  g_autoptr(GError) error = NULL;
  PdvUser *user = pdv_auth_login (pdv_context_get_db (f->context), user_id, pin, &error);

  g_assert_no_error (error);
  return user;
}

/* The drawer opened without a sale: journalled first, then the pulse goes
 * the way receipts go, and a printer that fails keeps the record. */
static void
test_drawer_pulse (Fixture       *f,
                   gconstpointer  data)
{
  static const guint8 init_and_pulse[] = { 0x1b, '@', 0x1b, 'p', 0, 25, 250 };
  g_autoptr(PdvReceiptPrinter) printer = pdv_receipt_printer_new (f->journal, QUEUE);
  g_autoptr(PdvReceiptPrinter) unset_printer = pdv_receipt_printer_new (f->journal, NULL);
  g_autoptr(GBytes) pulse = pdv_escpos_open_drawer ();
  g_autoptr(GBytes) printed = NULL;
  g_autoptr(PdvUser) ana = login (f, "ana", "1111");
  g_autoptr(PdvUser) fernanda = login (f, "fernanda", "9090");
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome;
  gint64 seq;

  /* Nothing but the printer's reset and the pulse: no paper moves. */
  g_assert_cmpmem (g_bytes_get_data (pulse, NULL), g_bytes_get_size (pulse), init_and_pulse, sizeof init_and_pulse);

  g_assert_true (pdv_drawer_open (f->journal, ana, fernanda, "troco", &error));
  g_assert_no_error (error);
  print_bytes (printer, pulse, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, pulse));
  g_assert_cmpuint (count_occurrences (printed, drawer_pulse, sizeof drawer_pulse), ==, 1);
  g_assert_cmpint (count_server_jobs (), ==, 1);

  /* Out of paper: the failure is reported, the opening stays recorded. */
  run_tool ("cupsdisable", QUEUE, NULL);
  g_assert_true (pdv_drawer_open (f->journal, fernanda, NULL, NULL, &error));
  g_assert_no_error (error);
  seq = pdv_journal_get_last_seq (f->journal);
  print_bytes (printer, pulse, &outcome);
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_STOPPED);
  g_assert_nonnull (strstr (outcome.error->message, "“" QUEUE "” is stopped"));
  g_clear_error (&outcome.error);
  g_assert_cmpint (count_server_jobs (), ==, 1);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, seq);
  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_cmpstr (entry->kind, ==, "drawer.open");
  g_assert_cmpstr (entry->user, ==, "fernanda");
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, &error));
  g_assert_no_error (error);

  /* No printer chosen and no default: nowhere to print, as for receipts. */
  print_bytes (unset_printer, pulse, &outcome);
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, PDV_RECEIPT_PRINTER_ERROR, PDV_RECEIPT_PRINTER_ERROR_NO_PRINTER);
  g_clear_error (&outcome.error);

  /* Back in service: the next opening comes out. */
  run_tool ("cupsenable", QUEUE, NULL);
  g_clear_pointer (&printed, g_bytes_unref);
  print_bytes (printer, pulse, &outcome);
  g_assert_no_error (outcome.error);
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, pulse));
}

/* Runs pdvctl --db DB ARGS… with $PDV_PRINTER set to @printer_env. */
static int
pdvctl (Fixture     *f,
        const char  *printer_env,
        char       **out,
        char       **err,
        ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("PDVCTL");
  const char *arg;
  va_list args;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_build_filename (f->terminal_dir, "terminal.db", NULL));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (printer_env != NULL)
    g_subprocess_launcher_setenv (launcher, "PDV_PRINTER", printer_env, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "PDV_PRINTER");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  /* A crash or a sanitizer abort must never pass for success. */
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
sale_id_from_json (const char *text)
{
  g_autoptr(json_t) body = pdv_test_payload (text);

  g_assert_true (json_is_true (json_object_get (body, "ok")));
  return g_strdup (json_string_value (json_object_get (body, "sale_id")));
}

static void
test_pdvctl (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sale_id = NULL;
  g_autofree char *reprint_hint = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) printed = NULL;
  g_autoptr(PdvReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) body = NULL;

  /* A sale prints its receipt once it is saved. */
  g_assert_cmpint (pdvctl (f, NULL, &out, &err, "--json", "sell", "CERV-LATA-350x2", "--pay", "cash:50",
                           "--printer", QUEUE, NULL), ==, 0);
  body = pdv_test_payload (out);
  g_assert_true (json_is_true (json_object_get (body, "printed")));
  sale_id = sale_id_from_json (out);
  bytes = render_sale (f, sale_id);
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, bytes));
  g_assert_cmpuint (count_occurrences (printed, drawer_pulse, sizeof drawer_pulse), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&printed, g_bytes_unref);

  /* Printing that cash sale again is a copy: the drawer stays shut. */
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "receipt", sale_id, "--print", NULL), ==, 0);
  printed = wait_for_job (f);
  g_assert_cmpuint (count_occurrences (printed, drawer_pulse, sizeof drawer_pulse), ==, 0);
  g_assert_cmpuint (count_occurrences (printed, "\x1bp", 2), ==, 0);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (printed, NULL), g_bytes_get_size (printed), "COPY"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&sale_id, g_free);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&printed, g_bytes_unref);

  /* A printer out of paper does not undo the sale: a warning says how to
   * print the receipt later, and the command succeeds. */
  run_tool ("cupsdisable", QUEUE, NULL);
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "--json", "sell", "SA-AGUA-500", "--pay", "pix", "--print",
                           NULL), ==, 0);
  g_test_message ("%s", err);
  sale_id = sale_id_from_json (out);
  reprint_hint = g_strdup_printf ("pdvctl receipt %s --print", sale_id);
  g_assert_nonnull (strstr (err, "is saved"));
  g_assert_nonnull (strstr (err, "“" QUEUE "” is stopped"));
  g_assert_nonnull (strstr (err, reprint_hint));
  /* The cash sale and its copy; nothing of the stopped queue's. */
  g_assert_cmpint (count_server_jobs (), ==, 2);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, &error));
  g_assert_no_error (error);
  receipt = pdv_receipt_new_for_sale (f->journal, sale_id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Reprint, to $PDV_PRINTER. */
  run_tool ("cupsenable", QUEUE, NULL);
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "receipt", sale_id, "--print", NULL), ==, 0);
  {
    PdvReceiptOptions copy = PDV_RECEIPT_OPTIONS_INIT;

    copy.copy = TRUE;
    bytes = pdv_receipt_render_escpos (receipt, &copy);
  }
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, bytes));
  g_assert_cmpuint (count_occurrences (printed, "\x1bp", 2), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A reprint that fails says why, and fails. */
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "receipt", sale_id, "--printer", "nosuch", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "No printer named “nosuch”"));
}

/* The raster images (GS v 0) in what the printer received, as PBM files
 * (the same bits: 1 is black, rows packed from the left), in order. */
static GPtrArray *
extract_rasters (GBytes     *printed,
                 const char *dir)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (printed, &size);

  for (gsize i = 0; i + 8 <= size; i++)
    {
      guint row_bytes, rows;
      g_autoptr(GString) pbm = NULL;
      g_autoptr(GError) error = NULL;
      char *path;

      if (data[i] != 0x1d || data[i + 1] != 'v' || data[i + 2] != '0' || data[i + 3] != 0)
        continue;
      row_bytes = data[i + 4] | (data[i + 5] << 8);
      rows = data[i + 6] | (data[i + 7] << 8);
      g_assert_cmpuint (i + 8 + (gsize) row_bytes * rows, <=, size);
      pbm = g_string_new (NULL);
      g_string_append_printf (pbm, "P4\n%u %u\n", row_bytes * 8, rows);
      g_string_append_len (pbm, (const char *) data + i + 8, (gssize) row_bytes * rows);
      path = g_strdup_printf ("%s/raster-%u.pbm", dir, files->len);
      g_file_set_contents (path, pbm->str, pbm->len, &error);
      g_assert_no_error (error);
      g_ptr_array_add (files, path);
      i += 8 + (gsize) row_bytes * rows - 1;
    }
  return files;
}

/* What zbar reads in an image. */
static char *
decode_qr (const char *path)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  const char *argv[] = { zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path, NULL };
  g_auto(PdvTestRun) run = { 0 };

  if (zbarimg == NULL)
    g_error ("zbarimg is not installed (Debian package zbar-tools)");
  pdv_test_spawn (argv, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  return g_strdup (g_strchomp (run.out));
}

/* A sale of drinks prints, after its receipt, one slip per ficha, cut
 * apart; the QR on each, read back from the bytes the printer received,
 * is the ficha's token, and the terminal's key vouches for it. A copy of
 * the receipt hands no ficha over again. */
static void
test_fichas (Fixture       *f,
             gconstpointer  data)
{
  static const guint8 partial_cut[] = { 0x1d, 'V', 66, 0 };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sale_id = NULL;
  g_autofree char *public_text = NULL;
  g_autofree char *images = g_build_filename (f->terminal_dir, "images", NULL);
  g_autoptr(GBytes) printed = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GPtrArray) rasters = NULL;
  g_autoptr(json_t) body = NULL;
  g_autoptr(GError) error = NULL;
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  json_t *fichas;

  g_assert_cmpint (pdvctl (f, NULL, &out, &err, "--json", "sell", "CERV-LATA-350x2", "DRK-MOJITO", "SA-AGUA-500",
                           "--pay", "cash:100", "--printer", QUEUE, NULL), ==, 0);
  body = pdv_test_payload (out);
  sale_id = sale_id_from_json (out);
  fichas = json_object_get (body, "fichas");
  g_assert_cmpuint (json_array_size (fichas), ==, 3);
  printed = wait_for_job (f);
  expected = render_sale (f, sale_id);
  g_assert_true (g_bytes_equal (printed, expected));

  /* The receipt's cut, and one before each slip. */
  g_assert_cmpuint (count_occurrences (printed, partial_cut, sizeof partial_cut), ==, 4);
  /* Once on the receipt, once on each of its two slips. */
  g_assert_cmpuint (count_occurrences (printed, "Cerveja Lata 350 ml", 19), ==, 3);
  g_assert_cmpuint (count_occurrences (printed, "FICHA", 5), ==, 3);
  /* The product at double width and height, for across the counter. */
  g_assert_cmpuint (count_occurrences (printed, "\x1d!\x11", 3), ==, 3);

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  rasters = extract_rasters (printed, images);
  g_assert_cmpuint (rasters->len, ==, 3);
  public_text = pdv_ficha_dup_public_key (pdv_context_get_db (f->context), &error);
  g_assert_no_error (error);
  g_assert_true (pdv_ticket_public_key_parse (public_text, public_key, &error));
  for (guint i = 0; i < rasters->len; i++)
    {
      json_t *ficha = json_array_get (fichas, i);
      g_autofree char *decoded = decode_qr (rasters->pdata[i]);
      const char *code = json_string_value (json_object_get (ficha, "code"));

      g_assert_cmpstr (decoded, ==, json_string_value (json_object_get (ficha, "token")));
      g_assert_true (pdv_ficha_token_verify (decoded, public_key, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count_occurrences (printed, code, strlen (code)), ==, 1);
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The receipt's copy: no slip, no QR. */
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "receipt", sale_id, "--print", NULL), ==, 0);
  copy = wait_for_job (f);
  g_assert_cmpuint (count_occurrences (copy, partial_cut, sizeof partial_cut), ==, 1);
  g_assert_cmpuint (count_occurrences (copy, "\x1dv0", 3), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The fichas again (the customer lost them): only with a manager's PIN,
   * journalled, each marked a copy and carrying the same token — an
   * original and its copy cannot both be served. */
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "receipt", sale_id, "--fichas", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "receipt", sale_id, "--fichas", "--pin", "1111", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "--json", "receipt", sale_id, "--fichas", "--pin", "9090",
                           "--print", NULL), ==, 0);
  {
    g_autoptr(GBytes) again = wait_for_job (f);
    g_autoptr(GPtrArray) again_rasters = NULL;
    g_autofree char *again_dir = g_build_filename (f->terminal_dir, "again", NULL);
    g_autoptr(PdvJournalEntry) entry = pdv_test_journal_last_entry (f->journal);

    g_assert_cmpstr (entry->kind, ==, "ficha.reprint");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authorised_by")), ==, "fernanda");
    g_assert_cmpuint (json_array_size (json_object_get (entry->payload, "fichas")), ==, 3);
    /* No drawer, no receipt: the three slips, two cuts between them. */
    g_assert_cmpuint (count_occurrences (again, drawer_pulse, sizeof drawer_pulse), ==, 0);
    g_assert_cmpuint (count_occurrences (again, "COPY", 4), ==, 3);
    g_assert_cmpuint (count_occurrences (again, "TOTAL", 5), ==, 0);
    g_assert_cmpint (g_mkdir (again_dir, 0700), ==, 0);
    again_rasters = extract_rasters (again, again_dir);
    g_assert_cmpuint (again_rasters->len, ==, 3);
    for (guint i = 0; i < again_rasters->len; i++)
      {
        g_autofree char *decoded = decode_qr (again_rasters->pdata[i]);

        g_assert_cmpstr (decoded, ==, json_string_value (json_object_get (json_array_get (fichas, i), "token")));
      }
  }
}

static void
test_pdvctl_drawer (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) pulse = pdv_escpos_open_drawer ();
  g_autoptr(GBytes) printed = NULL;
  g_autoptr(json_t) body = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 seq;

  /* A cashier, with a manager's PIN, to the printer named. */
  g_assert_cmpint (pdvctl (f, NULL, &out, &err, "--json", "drawer", "open", "--user", "ana", "--pin", "1111",
                           "--manager-pin", "9090", "--reason", "troco", "--printer", QUEUE, NULL), ==, 0);
  body = pdv_test_payload (out);
  g_assert_true (json_is_true (json_object_get (body, "ok")));
  g_assert_cmpstr (json_string_value (json_object_get (body, "authorised_by")), ==, "fernanda");
  printed = wait_for_job (f);
  g_assert_true (g_bytes_equal (printed, pulse));
  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_cmpstr (entry->kind, ==, "drawer.open");
  g_assert_cmpstr (entry->user, ==, "ana");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authorised_by")), ==, "fernanda");
  g_clear_pointer (&entry, pdv_journal_entry_free);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A stopped printer: recorded all the same, and the command says the
   * drawer did not open. */
  run_tool ("cupsdisable", QUEUE, NULL);
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "drawer", "open", "--manager-pin", "8080", "--print", NULL), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "recorded"));
  g_assert_nonnull (strstr (err, "“" QUEUE "” is stopped"));
  seq = pdv_journal_get_last_seq (f->journal);
  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_cmpstr (entry->kind, ==, "drawer.open");
  g_assert_cmpstr (entry->user, ==, "gustavo");
  g_assert_cmpint (count_server_jobs (), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Refused to a cashier alone: nothing recorded, nothing printed. */
  run_tool ("cupsenable", QUEUE, NULL);
  g_assert_cmpint (pdvctl (f, QUEUE, &out, &err, "drawer", "open", "--user", "ana", "--pin", "1111", "--print",
                           NULL), ==, 1);
  g_assert_nonnull (strstr (err, "ask a manager"));
  {
    /* Her login is journalled, as every login is; no opening. */
    g_autoptr(GPtrArray) since = pdv_journal_list (f->journal, seq, 100, NULL);

    for (guint i = 0; i < since->len; i++)
      g_assert_cmpstr (((PdvJournalEntry *) g_ptr_array_index (since, i))->kind, !=, "drawer.open");
  }
  g_assert_cmpint (count_server_jobs (), ==, 1);
}

static void
test_skipped (gconstpointer data)
{
  g_test_skip (data);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cupsd = find_tool ("cupsd");
  g_autofree char *lpadmin = find_tool ("lpadmin");
  g_autofree char *base = NULL;
  int status;

  /* Receipts show local time. */
  g_setenv ("TZ", "America/Sao_Paulo", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (cupsd == NULL || lpadmin == NULL || getpwnam ("lp") == NULL)
    {
      g_test_add_data_func ("/printer/skipped", "CUPS is not installed (cups-daemon, cups-client)", test_skipped);
      return g_test_run ();
    }
  if (getuid () != 0)
    {
      g_test_add_data_func ("/printer/skipped", "starting a print server needs root (cupsd runs jobs as lp)",
                            test_skipped);
      return g_test_run ();
    }

  base = pdv_test_make_tmpdir ();
  server_dir = g_build_filename (base, "cups", NULL);
  socket_path = g_build_filename (base, "cups.sock", NULL);
  g_assert_cmpint (g_chmod (base, 0755), ==, 0);
  /* Before the first CUPS call: this program talks to its own server only,
   * with no options of this machine's or user's. */
  g_setenv ("CUPS_SERVER", socket_path, TRUE);
  g_setenv ("CUPS_SERVERROOT", server_dir, TRUE);
  g_unsetenv ("LPDEST");
  g_unsetenv ("PRINTER");
  g_unsetenv ("PDV_PRINTER");

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/printer/raw/cash-receipt-opens-drawer", test_cash_receipt);
  ADD ("/printer/raw/card-receipt-keeps-drawer-shut", test_card_receipt);
  ADD ("/printer/raw/stopped-printer", test_stopped_printer);
  ADD ("/printer/raw/errors", test_errors);
  ADD ("/printer/async", test_async);
  ADD ("/printer/pdvctl", test_pdvctl);
  ADD ("/printer/receipt-printer/drawer-pulse", test_drawer_pulse);
  ADD ("/printer/pdvctl/drawer", test_pdvctl_drawer);
  ADD ("/printer/fichas", test_fichas);
#undef ADD

  status = g_test_run ();
  pdv_test_remove_tree (base);
  g_free (server_dir);
  g_free (socket_path);
  return status;
}

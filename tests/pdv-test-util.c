/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdv-db-private.h"
#include "pdv-test-util.h"

char *
pdv_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("pdv-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
pdv_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        pdv_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

const char *
pdv_test_demo_dir (void)
{
  const char *dir = g_getenv ("PDV_DEMO_DIR");

  g_assert_nonnull (dir);
  return dir;
}

char *
pdv_test_data_path (const char *name)
{
  const char *dir = g_getenv ("PDV_TEST_DATA");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

/* Importing the demo event hashes eight PINs with Argon2id; do it once per test
 * program and terminal name, and hand every fixture a copy of the result. */
static char *template_dir = NULL;
static GHashTable *templates = NULL;  /* terminal name → template database */

static void
remove_templates (void)
{
  pdv_test_remove_tree (template_dir);
  g_clear_pointer (&template_dir, g_free);
  g_clear_pointer (&templates, g_hash_table_unref);
}

static const char *
demo_template (const char *terminal_name)
{
  const char *template_path;

  if (templates == NULL)
    {
      template_dir = pdv_test_make_tmpdir ();
      templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      atexit (remove_templates);
    }

  template_path = g_hash_table_lookup (templates, terminal_name);
  if (template_path == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdvContext) context = NULL;
      g_autofree char *file_name = g_strdup_printf ("template-%u.db", g_hash_table_size (templates));
      g_autofree char *wal = NULL;
      char *path;

      path = g_build_filename (template_dir, file_name, NULL);
      g_hash_table_insert (templates, g_strdup (terminal_name), path);
      template_path = path;
      wal = g_strconcat (path, "-wal", NULL);
      context = pdv_context_open (path, &error);
      g_assert_no_error (error);
      pdv_journal_initialise (pdv_context_get_journal (context), terminal_name, &error);
      g_assert_no_error (error);
      pdv_context_load_demo (context, pdv_test_demo_dir (), NULL, NULL, &error);
      g_assert_no_error (error);
      /* Closing the last connection folds the WAL into the file. */
      g_assert_finalize_object (g_steal_pointer (&context));
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }
  return template_path;
}

/**
 * pdv_test_open_named_terminal:
 * @dir: where the database goes, as terminal.db
 * @terminal_name: what the terminal calls itself (a door's gate, a bar)
 * @with_demo: whether the demo event, catalog, tickets and users are in it
 *
 * Opens a new terminal's database: a copy of one made once per program and
 * name with the demo in it, or an empty one.
 */
PdvContext *
pdv_test_open_named_terminal (const char *dir,
                              const char *terminal_name,
                              gboolean    with_demo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "terminal.db", NULL);
  PdvContext *context;

  if (with_demo)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_file_get_contents (demo_template (terminal_name), &contents, &length, &error);
      g_assert_no_error (error);
      g_file_set_contents (path, contents, length, &error);
      g_assert_no_error (error);
    }

  context = pdv_context_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);
  if (!with_demo)
    {
      pdv_journal_initialise (pdv_context_get_journal (context), terminal_name, &error);
      g_assert_no_error (error);
    }
  /* Most tests sell without opening a shift first; those about shifts (and
   * the one about the default) turn the requirement back on. */
  g_assert_true (pdv_shift_set_required (pdv_context_get_db (context), FALSE, &error));
  g_assert_no_error (error);
  /* Journalled, as pdvctl does: a setting the journal does not know of is
   * what the tamper alarm looks for. */
  g_assert_true (pdv_journal_record_setting (pdv_context_get_journal (context), NULL, "shifts_required", "no",
                                             &error));
  g_assert_no_error (error);
  return context;
}

/**
 * pdv_test_open_terminal:
 *
 * Opens a new database of the terminal "Bar 1" in @dir; see
 * pdv_test_open_named_terminal().
 */
PdvContext *
pdv_test_open_terminal (const char *dir,
                        gboolean    with_demo)
{
  return pdv_test_open_named_terminal (dir, "Bar 1", with_demo);
}

/**
 * pdv_test_set_door_time:
 *
 * Stops the clock of @checkin's terminal at @now: scans, their journal
 * entries and everything else on that terminal happen then.
 */
void
pdv_test_set_door_time (PdvCheckin *checkin,
                        GDateTime  *now)
{
  g_autoptr(PdvJournal) journal = NULL;

  g_object_get (checkin, "journal", &journal, NULL);
  pdv_clock_set_time (pdv_db_get_clock (pdv_journal_get_db (journal)), now);
}

/**
 * pdv_test_login:
 *
 * Returns: (transfer full): @user_id, logged in with @pin, which must be
 *   right
 */
PdvUser *
pdv_test_login (PdvDb      *db,
                const char *user_id,
                const char *pin)
{
  g_autoptr(GError) error = NULL;
  PdvUser *user = pdv_auth_login (db, user_id, pin, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  return user;
}

/**
 * pdv_test_lookup_product:
 *
 * Returns: (transfer full): the product @product_id of @catalog; the test
 *   fails when there is none
 */
PdvProduct *
pdv_test_lookup_product (PdvCatalog *catalog,
                         const char *product_id)
{
  g_autoptr(GError) error = NULL;
  PdvProduct *product = pdv_catalog_lookup (catalog, product_id, &error);

  g_assert_no_error (error);
  if (product == NULL)
    g_error ("no product %s", product_id);
  return product;
}

PdvMoney
pdv_test_price_of (PdvCatalog *catalog,
                   const char *product_id)
{
  g_autoptr(PdvProduct) product = pdv_test_lookup_product (catalog, product_id);

  return product->price;
}

gint64
pdv_test_stock_of (PdvCatalog *catalog,
                   const char *product_id)
{
  g_autoptr(PdvProduct) product = pdv_test_lookup_product (catalog, product_id);

  return product->stock;
}

/**
 * pdv_test_sell:
 * @authorised_by: (nullable): the manager a voucher needs
 *
 * Sells @qty of @product_id as @user through the core, paid exactly in one
 * @method.
 *
 * Returns: (transfer full): the sale's id
 */
char *
pdv_test_sell (PdvContext       *context,
               const char       *user,
               const char       *authorised_by,
               const char       *product_id,
               gint64            qty,
               PdvPaymentMethod  method)
{
  PdvCatalog *catalog = pdv_context_get_catalog (context);
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pdv_sale_draft_add_line (draft, product_id, qty);
  pdv_sale_draft_add_payment (draft, method, qty * pdv_test_price_of (catalog, product_id), 0, NULL);
  result = pdv_sale_commit (pdv_context_get_journal (context), catalog, draft, user, authorised_by, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return g_strdup (result->sale_id);
}

/**
 * pdv_test_scan_ticket:
 *
 * Scans @secret at @checkin as a keyboard-wedge scanner would, whatever the
 * verdict.
 */
void
pdv_test_scan_ticket (PdvCheckin *checkin,
                      const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckinResult) result = pdv_checkin_validate (checkin, secret, -1, PDV_SCAN_WEDGE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
}

/**
 * pdv_test_journal_entry_at:
 *
 * Returns: (transfer full): the entry @seq of @journal, which must be there
 */
PdvJournalEntry *
pdv_test_journal_entry_at (PdvJournal *journal,
                           gint64      seq)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pdv_journal_list (journal, seq - 1, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  return pdv_journal_entry_copy (g_ptr_array_index (entries, 0));
}

/**
 * pdv_test_journal_last_entry:
 *
 * Returns: (transfer full): the newest entry of @journal
 */
PdvJournalEntry *
pdv_test_journal_last_entry (PdvJournal *journal)
{
  return pdv_test_journal_entry_at (journal, pdv_journal_get_last_seq (journal));
}

json_t *
pdv_test_payload (const char *text)
{
  json_error_t json_error;
  json_t *value = json_loads (text, 0, &json_error);

  if (value == NULL)
    g_error ("bad test payload %s: %s", text, json_error.text);
  return value;
}

void
pdv_test_run_clear (PdvTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/**
 * pdv_test_spawn:
 * @locale: (nullable): LC_ALL for the program; %NULL for C.UTF-8
 */
void
pdv_test_spawn (const char * const *argv,
                const char         *locale,
                PdvTestRun         *run)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  env = g_environ_setenv (env, "LC_ALL", locale ? locale : "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "", TRUE);
  env = g_environ_unsetenv (env, "PDV_DB");
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  /* A crash or a sanitizer abort must never pass for success. */
  run->status = WIFSIGNALED (wait_status) ? 128 + WTERMSIG (wait_status) : WEXITSTATUS (wait_status);
  g_test_message ("%s → %d\nstdout: %s\nstderr: %s", argv[1] ? argv[1] : argv[0], run->status,
                  run->out, run->err);
}

/**
 * pdv_test_pdvctl:
 * @args: what follows `pdvctl --db DB`, %NULL-terminated
 *
 * Runs the pdvctl under test ($PDVCTL).
 */
void
pdv_test_pdvctl (const char         *db,
                 const char         *locale,
                 PdvTestRun         *run,
                 const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *exe = g_getenv ("PDVCTL");

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (char *) exe);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  pdv_test_spawn ((const char * const *) argv->pdata, locale, run);
}

/**
 * pdv_test_load_receipt:
 * @name: tests/data/receipts/@name.json: a sale's entry and the terminal's
 *   details, fixed, so that its rendering never varies
 *
 * Returns: (transfer full): the receipt
 */
PdvReceipt *
pdv_test_load_receipt (const char *name)
{
  g_autofree char *file = g_strdup_printf ("receipts" G_DIR_SEPARATOR_S "%s.json", name);
  g_autofree char *path = pdv_test_data_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) root = NULL;
  json_error_t json_error;
  PdvReceipt *receipt;

  root = json_load_file (path, 0, &json_error);
  if (root == NULL)
    g_error ("%s: %s", path, json_error.text);
  receipt = pdv_receipt_new_from_payload (json_object_get (root, "payload"),
                                          json_string_value (json_object_get (root, "sale_id")),
                                          json_string_value (json_object_get (root, "created_at")),
                                          json_string_value (json_object_get (root, "cashier")),
                                          json_string_value (json_object_get (root, "event_name")),
                                          json_string_value (json_object_get (root, "terminal_name")),
                                          &error);
  g_assert_no_error (error);
  if (json_is_object (json_object_get (root, "details")))
    {
      json_t *details = json_object_get (root, "details");
      g_autoptr(GTimeZone) timezone = g_time_zone_new_identifier (json_string_value (json_object_get (details,
                                                                                                      "timezone")));
      PdvReceiptDetails set = { json_string_value (json_object_get (details, "number")),
                                json_string_value (json_object_get (details, "operator_name")),
                                json_string_value (json_object_get (details, "merchant_name")),
                                json_string_value (json_object_get (details, "merchant_cnpj")), timezone };
      json_t *correction;
      size_t i;

      pdv_receipt_set_details (receipt, &set);
      json_array_foreach (json_object_get (root, "corrections"), i, correction)
        {
          PdvReceiptCorrection item = { json_is_true (json_object_get (correction, "refund")),
                                        json_integer_value (json_object_get (correction, "amount")),
                                        PDV_PAYMENT_CASH,
                                        json_string_value (json_object_get (correction, "created_at")),
                                        json_string_value (json_object_get (correction, "reason")),
                                        json_string_value (json_object_get (correction, "authorised_by")) };

          pdv_receipt_add_correction (receipt, &item);
        }
    }
  return receipt;
}

/**
 * pdv_test_read_lines:
 *
 * Hands each line a child reports on @fd to @line_cb until it says it has
 * what it waited for, the child stops, or @deadline (monotonic µs) passes;
 * with @drain, only what is already in the pipe. @pending keeps a line cut
 * in two between calls.
 */
void
pdv_test_read_lines (int              fd,
                     GString         *pending,
                     gint64           deadline,
                     gboolean         drain,
                     PdvTestLineFunc  line_cb,
                     gpointer         data)
{
  gboolean done = FALSE;

  while (drain || !done)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      gint64 left = drain ? 0 : (deadline - g_get_monotonic_time ()) / 1000;
      char buf[4096];
      ssize_t n;
      char *newline;

      if (!drain && left <= 0)
        break;
      if (poll (&pfd, 1, (int) left) <= 0)
        {
          if (drain)
            break;
          continue;
        }
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        break;
      g_string_append_len (pending, buf, n);
      while ((newline = strchr (pending->str, '\n')) != NULL)
        {
          *newline = '\0';
          done = line_cb (pending->str, data) || done;
          g_string_erase (pending, 0, newline - pending->str + 1);
        }
    }
}

typedef struct {
  GPtrArray *paid;
  guint      wanted;
  guint      n;
} Reported;

static gboolean
reported_cb (const char *line,
             gpointer    data)
{
  Reported *reported = data;

  if (g_str_has_prefix (line, "paid "))
    g_ptr_array_add (reported->paid, g_strdup (line + strlen ("paid ")));
  else
    g_assert_true (g_str_has_prefix (line, "sold "));
  return ++reported->n >= reported->wanted;
}

/* Every payment id the terminal holds: in its sales and its open sales. */
static GHashTable *
payments_held (PdvContext *context)
{
  g_autoptr(GError) error = NULL;
  GHashTable *held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = pdv_db_prepare (pdv_context_get_db (context),
                                       "SELECT payload FROM journal WHERE kind = 'sale'", NULL);
  g_autoptr(GPtrArray) open = pdv_open_sales_list (pdv_context_get_db (context), &error);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(json_t) payload = json_loads ((const char *) sqlite3_column_text (stmt, 0), 0, NULL);
      json_t *item;
      size_t i;

      json_array_foreach (json_object_get (payload, "payments"), i, item)
        if (json_is_string (json_object_get (item, "id")))
          /* A payment in two sales would be money counted twice. */
          g_assert_true (g_hash_table_add (held, g_strdup (json_string_value (json_object_get (item, "id")))));
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < open->len; i++)
    {
      PdvOpenSale *sale = g_ptr_array_index (open, i);
      const GArray *payments = pdv_sale_draft_get_payments (sale->draft);

      for (guint j = 0; j < payments->len; j++)
        g_assert_true (g_hash_table_add (held, g_strdup (g_array_index (payments, PdvPayment, j).id)));
    }
  return held;
}

/* How long a till may take to report what it did, however loaded the
 * machine: a deadline for a stuck till, not a pace. */
#define TILL_DEADLINE_S 120

/**
 * pdv_test_kill_tills:
 * @argv: a till on @db_path that takes split payments until killed,
 *   reporting "paid ID" once a payment is journalled and "sold SEQ" once a
 *   sale is, and finishing first the sale a killed till left open
 * @out_paid: (out): how many payments the tills reported taken
 * @out_reopened: (out): how many times a sale was found open after a kill
 *
 * Runs the till @rounds times and pulls the plug (SIGKILL) once it reported
 * 1 to 5 more writes: by then it is inside the next payment or sale,
 * whatever the machine's pace. After each kill, every payment reported is
 * on the terminal, in a sale or in the one sale still open, never in two,
 * and the journal verifies.
 */
void
pdv_test_kill_tills (const char         *db_path,
                     const char * const *argv,
                     guint               rounds,
                     guint              *out_paid,
                     guint              *out_reopened)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GPtrArray) paid = g_ptr_array_new_with_free_func (g_free);
  guint reopened = 0;

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) pending = g_string_new (NULL);
      g_autoptr(GHashTable) held = NULL;
      g_autoptr(PdvContext) context = NULL;
      g_autoptr(GPtrArray) open = NULL;
      Reported reported = { paid, g_rand_int_range (rand, 1, 6), 0 };
      GPid pid;
      int out_fd;
      int status;

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);
      pdv_test_read_lines (out_fd, pending, g_get_monotonic_time () + TILL_DEADLINE_S * G_USEC_PER_SEC, FALSE,
                           reported_cb, &reported);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (reported.n < reported.wanted)
        g_error ("round %u: the till reported %u of %u writes within %d s (exit status %d)",
                 round, reported.n, reported.wanted, TILL_DEADLINE_S, status);
      g_assert_true (WIFSIGNALED (status));
      /* Lines written before the kill are still in the pipe. */
      reported.wanted = G_MAXUINT;
      pdv_test_read_lines (out_fd, pending, 0, TRUE, reported_cb, &reported);
      close (out_fd);
      g_spawn_close_pid (pid);

      context = pdv_context_open (db_path, &error);
      g_assert_no_error (error);
      g_assert_true (pdv_journal_verify (pdv_context_get_journal (context), NULL, NULL, &error));
      g_assert_no_error (error);
      held = payments_held (context);
      for (guint i = 0; i < paid->len; i++)
        if (!g_hash_table_contains (held, g_ptr_array_index (paid, i)))
          g_error ("round %u: payment %s was reported taken but is not on the terminal", round,
                   (const char *) g_ptr_array_index (paid, i));
      open = pdv_open_sales_list (pdv_context_get_db (context), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (open->len, <=, 1);
      reopened += open->len;
    }
  *out_paid = paid->len;
  *out_reopened = reopened;
}

/**
 * pdv_test_sell_fichas:
 * @out_sale_id: (out) (optional): the sale's id
 *
 * Sells @qty of @product_id, paid by card, as "ana".
 *
 * Returns: (transfer full): the fichas it handed over, with their tokens
 */
json_t *
pdv_test_sell_fichas (PdvContext *context,
                      const char *product_id,
                      gint64      qty,
                      char      **out_sale_id)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;
  json_t *fichas;

  pdv_sale_draft_add_line (draft, product_id, qty);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD,
                              qty * pdv_test_price_of (pdv_context_get_catalog (context), product_id), 0, "AUTH");
  result = pdv_sale_commit (pdv_context_get_journal (context), pdv_context_get_catalog (context), draft, "ana", NULL,
                            &error);
  g_assert_no_error (error);
  fichas = json_deep_copy (result->fichas);
  g_assert_true (pdv_ficha_add_tokens (pdv_context_get_db (context), fichas, &error));
  g_assert_no_error (error);
  if (out_sale_id != NULL)
    *out_sale_id = g_strdup (result->sale_id);
  return fichas;
}

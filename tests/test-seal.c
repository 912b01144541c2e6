/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-db-private.h"
#include "pdv-test-util.h"

/* Tamper evidence: the catalog, users, tickets, revocations, the event and
 * the settings kept in the database are held to what the journal recorded;
 * an edit made behind PDV's back is named, raises the alarm, and the sales
 * made under it are marked. */

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
  PdvDb      *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->journal = pdv_context_get_journal (f->context);
  f->db = pdv_context_get_db (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* What someone with the sqlite3 shell would do. */
static void
tamper (Fixture    *f,
        const char *sql)
{
  char *message = NULL;

  g_assert_cmpint (sqlite3_exec (pdv_db_get_handle (f->db), sql, NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_null (message);
  g_assert_cmpint (sqlite3_changes (pdv_db_get_handle (f->db)), >, 0);
}

static void
assert_intact (Fixture *f)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (pdv_check_state (f->journal, TRUE, NULL, NULL, notes, &error));
  g_assert_no_error (error);
  /* Everything the demo imported is sealed: nothing to note either. */
  g_assert_cmpuint (notes->len, ==, 0);
}

/* Returns: (transfer full): the message, which names what was changed */
static char *
assert_damaged (Fixture *f,
                int      code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (pdv_seal_verify (f->journal, NULL, &error));
  g_assert_error (error, PDV_SEAL_ERROR, code);
  g_test_message ("%s", error->message);
  return g_strdup (error->message);
}

static void
reimport (Fixture    *f,
          const char *name)
{
  g_autofree char *path = g_build_filename (pdv_test_demo_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (pdv_import_file (f->journal, path, PDV_IMPORT_KIND_AUTO, "fernanda", NULL, &error));
  g_assert_no_error (error);
}

static void
test_imports_are_sealed (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(PdvJournalEntry) entry = NULL;
  json_t *seal;

  assert_intact (f);

  /* The entry holds the sum the import left: rows and 64 hex digits. */
  reimport (f, "tickets.csv");
  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_cmpstr (entry->kind, ==, PDV_ENTRY_TICKETS_IMPORT);
  seal = json_object_get (json_object_get (entry->payload, "seal"), "tickets");
  g_assert_cmpint (json_integer_value (json_object_get (seal, "rows")), ==,
                   json_integer_value (json_object_get (entry->payload, "tickets")));
  g_assert_cmpuint (strlen (json_string_value (json_object_get (seal, "sum"))), ==, 64);
  assert_intact (f);
}

static void
test_edited_rows_are_named (Fixture       *f,
                            gconstpointer  data)
{
  static const struct {
    const char *sql;
    const char *named;
    const char *file;
  } cases[] = {
    { "UPDATE products SET price = 1 WHERE id = 'CERV-LATA-350'", "“CERV-LATA-350”", "catalog.json" },
    { "UPDATE users SET role = 'manager' WHERE id = 'ana'", "“ana”", "users.json" },
    { "UPDATE tickets SET status = 'valid' WHERE id = (SELECT id FROM tickets WHERE status != 'valid' LIMIT 1)",
      "ticket", "tickets.csv" },
    { "UPDATE categories SET name = 'Grátis' WHERE id = (SELECT id FROM categories LIMIT 1)", "category",
      "catalog.json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = NULL;

      tamper (f, cases[i].sql);
      message = assert_damaged (f, PDV_SEAL_ERROR_ROW_CHANGED);
      g_assert_nonnull (strstr (message, cases[i].named));
      /* pdvctl verify says the same, and so does the whole check. */
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (pdv_check_state (f->journal, TRUE, NULL, NULL, NULL, &error));
        g_assert_error (error, PDV_SEAL_ERROR, PDV_SEAL_ERROR_ROW_CHANGED);
      }
      /* Importing from the source puts it right, and the check passes. */
      reimport (f, cases[i].file);
      assert_intact (f);
    }
}

static void
test_resealed_and_removed_rows (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *removed = NULL;
  g_autofree char *resealed = NULL;
  guint8 hash[32];
  const char *row[] = { "CERV-LATA-350", NULL };
  g_autofree char *sql = NULL;

  /* A row removed: the count the last import left says so. */
  tamper (f, "DELETE FROM tickets WHERE rowid = (SELECT MAX(rowid) FROM tickets)");
  removed = assert_damaged (f, PDV_SEAL_ERROR_SET_CHANGED);
  g_assert_nonnull (strstr (removed, "tickets"));
  reimport (f, "tickets.csv");
  assert_intact (f);

  /* Someone who knows how a row is sealed seals their edit too: the sum the
   * journal holds still differs. */
  {
    g_autoptr(PdvCatalog) catalog = pdv_catalog_new (f->db);
    g_autoptr(PdvProduct) product = pdv_test_lookup_product (catalog, "CERV-LATA-350");
    g_autofree char *position = NULL;
    g_autofree char *track = NULL;
    g_autofree char *active = NULL;
    sqlite3_stmt *stmt;
    const char *values[11];

    g_assert_cmpint (sqlite3_prepare_v2 (pdv_db_get_handle (f->db),
                                         "SELECT id, name, 1, category_id, barcode, track_stock, stock_policy, "
                                         "colour, position, active, has_components FROM products WHERE id = ?",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, row[0], -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    for (guint c = 0; c < G_N_ELEMENTS (values); c++)
      values[c] = sqlite3_column_type (stmt, c) == SQLITE_NULL ? NULL : (const char *) sqlite3_column_text (stmt, c);
    pdv_seal_hash_row ("products", values, G_N_ELEMENTS (values), hash);
    sqlite3_finalize (stmt);
    g_assert_nonnull (product);
  }
  sql = g_strdup_printf ("UPDATE products SET price = 1, seal = %" G_GINT64_FORMAT " WHERE id = 'CERV-LATA-350'",
                         pdv_seal_of_hash (hash));
  tamper (f, sql);
  resealed = assert_damaged (f, PDV_SEAL_ERROR_SET_CHANGED);
  g_assert_nonnull (strstr (resealed, "catalog"));
}

/* A terminal that never imported users must have none: one slipped in with
 * the shell (and a PIN hash of the intruder's choosing) is found. */
static void
test_never_imported (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, FALSE);
  g_autoptr(GError) error = NULL;
  char *message = NULL;

  g_assert_true (pdv_seal_verify (pdv_context_get_journal (context), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (pdv_db_get_handle (pdv_context_get_db (context)),
                                 "INSERT INTO users (id, name, role, pin_hash) VALUES ('x', 'X', 'admin', "
                                 "'$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA')",
                                 NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_false (pdv_seal_verify (pdv_context_get_journal (context), NULL, &error));
  g_assert_error (error, PDV_SEAL_ERROR, PDV_SEAL_ERROR_ROW_CHANGED);
  g_assert_nonnull (strstr (error->message, "“x”"));
  g_clear_object (&context);
  pdv_test_remove_tree (dir);
}

static void
test_settings_and_event (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *setting = NULL;
  g_autofree char *event = NULL;
  g_autoptr(GError) error = NULL;

  /* Turned off through PDV: journalled, so it holds. */
  g_assert_true (pdv_shift_set_tolerance (f->db, 1000, &error));
  g_assert_true (pdv_journal_record_setting (f->journal, "fernanda", "cash_tolerance", "R$ 10,00", &error));
  g_assert_no_error (error);
  assert_intact (f);

  /* Behind its back: named, with both values. */
  tamper (f, "UPDATE meta SET value = '100000' WHERE key = 'cash_tolerance'");
  setting = assert_damaged (f, PDV_SEAL_ERROR_SETTING_CHANGED);
  g_assert_nonnull (strstr (setting, "cash_tolerance"));
  g_assert_nonnull (strstr (setting, "100000"));
  g_assert_nonnull (strstr (setting, "1000"));
  g_assert_true (pdv_shift_set_tolerance (f->db, 1000, &error));
  assert_intact (f);

  tamper (f, "UPDATE meta SET value = 'Outro Evento' WHERE key = 'event_name'");
  event = assert_damaged (f, PDV_SEAL_ERROR_SETTING_CHANGED);
  g_assert_nonnull (strstr (event, "event_name"));
  reimport (f, "event.json");
  assert_intact (f);
}

/* A ticket row as an import writes it, sealed. */
static void
insert_sealed_ticket (Fixture    *f,
                      const char *id)
{
  g_autofree char *secret = g_strdup_printf ("secret-%s-000", id);
  const char *row[] = { id, secret, "O", "N", "Pista", "geral", NULL, NULL, "single", "valid", NULL };
  g_autofree char *sql = NULL;
  guint8 hash[32];

  pdv_seal_hash_row ("tickets", row, G_N_ELEMENTS (row), hash);
  sql = g_strdup_printf ("INSERT INTO tickets (id, secret, order_code, holder_name, type, zone, entry_policy, "
                         "status, seal) VALUES ('%s', '%s', 'O', 'N', 'Pista', 'geral', 'single', 'valid', "
                         "%" G_GINT64_FORMAT ")", id, secret, pdv_seal_of_hash (hash));
  tamper (f, sql);
}

static void
test_list_in_steps (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("id,secret,order_code,holder_name,type,zone\n");
  g_autoptr(GError) error = NULL;
  gint64 before = pdv_journal_get_last_seq (f->journal);
  g_autoptr(GPtrArray) entries = NULL;

  /* Enough rows for several steps: each step's rows are sealed and the
   * journal says a list is on its way; the sum comes with the last. */
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (csv, "S%06u,secret-steps-%06u,ORD%u,Pessoa %u,Pista,geral\n", i, i, i / 4, i);
  g_assert_true (pdv_import_data_in_steps (f->journal, "steps.csv", csv->str, csv->len, PDV_IMPORT_KIND_AUTO,
                                           NULL, NULL, &error));
  g_assert_no_error (error);
  entries = pdv_journal_list (f->journal, before, 0, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((PdvJournalEntry *) g_ptr_array_index (entries, 0))->kind, ==, PDV_ENTRY_IMPORT_BEGIN);
  g_assert_cmpstr (((PdvJournalEntry *) g_ptr_array_index (entries, 1))->kind, ==, PDV_ENTRY_TICKETS_IMPORT);
  assert_intact (f);

  /* A sealed row slipped in by hand, no list under way: found by the sum. */
  insert_sealed_ticket (f, "X1");
  g_free (assert_damaged (f, PDV_SEAL_ERROR_SET_CHANGED));
  tamper (f, "DELETE FROM tickets WHERE id = 'X1'");
  assert_intact (f);

  /* Cut short between steps: the journal's import.begin has no import
   * after it, so rows the steps sealed are noted, not alarmed... */
  {
    g_autoptr(json_t) payload = json_pack ("{s:s, s:s}", "file", "sync-9-tickets.json", "set", "tickets");
    g_autoptr(PdvJournalEntry) begun = pdv_journal_append (f->journal, PDV_ENTRY_IMPORT_BEGIN, NULL, payload, &error);
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

    g_assert_no_error (error);
    insert_sealed_ticket (f, "X2");
    g_assert_true (pdv_seal_verify (f->journal, notes, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (notes->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (notes, 0), "interrupted"));
  }
  /* ...but a row sealed wrongly is still named. */
  tamper (f, "UPDATE tickets SET holder_name = 'Outra' WHERE id = 'X2'");
  g_free (assert_damaged (f, PDV_SEAL_ERROR_ROW_CHANGED));
}

static void
test_alarm_marks_sales (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *message = NULL;
  g_autofree char *reason = NULL;
  gint64 before;

  tamper (f, "UPDATE products SET price = 1 WHERE id = 'CERV-LATA-350'");
  message = assert_damaged (f, PDV_SEAL_ERROR_ROW_CHANGED);
  before = pdv_journal_get_last_seq (f->journal);
  g_assert_true (pdv_alarm_raise (f->journal, message, &error));
  g_assert_no_error (error);
  /* Raised once, however often the same is found. */
  g_assert_true (pdv_alarm_raise (f->journal, message, &error));
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, before + 1);
  reason = pdv_alarm_get (f->db);
  g_assert_cmpstr (reason, ==, message);

  /* The till keeps selling; the sale is saved, and marked. */
  first = pdv_test_sell (f->context, "ana", NULL, "SA-AGUA-500", 1, PDV_PAYMENT_CASH);
  {
    g_autoptr(PdvJournalEntry) sale = pdv_test_journal_last_entry (f->journal);
    g_assert_cmpstr (sale->kind, ==, PDV_ENTRY_SALE);
    g_assert_true (json_is_true (json_object_get (sale->payload, "alarm")));
  }

  reimport (f, "catalog.json");
  assert_intact (f);
  g_assert_true (pdv_alarm_clear (f->journal, "fernanda", &error));
  g_assert_no_error (error);
  g_assert_null (pdv_alarm_get (f->db));
  second = pdv_test_sell (f->context, "ana", NULL, "SA-AGUA-500", 1, PDV_PAYMENT_CASH);
  {
    g_autoptr(PdvJournalEntry) sale = pdv_test_journal_last_entry (f->journal);
    g_assert_null (json_object_get (sale->payload, "alarm"));
  }

  /* The manager's audit tells all three: raised, the sale under it, cleared. */
  events = pdv_audit_list (f->db, &(PdvAuditFilter) { .categories = PDV_AUDIT_ALARMS }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_nonnull (strstr (((PdvAuditEvent *) g_ptr_array_index (events, 0))->what, "cleared"));
  g_assert_nonnull (strstr (((PdvAuditEvent *) g_ptr_array_index (events, 1))->what, "under the tamper alarm"));
  g_assert_nonnull (strstr (((PdvAuditEvent *) g_ptr_array_index (events, 2))->what, "CERV-LATA-350"));
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, &error));
}

static void
test_pdvctl_verify (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(PdvTestRun) run = { 0 };
  g_auto(PdvTestRun) json = { 0 };
  g_auto(PdvTestRun) again = { 0 };
  const char *path = pdv_db_get_path (f->db);
  g_autofree char *alarm = NULL;

  pdv_test_pdvctl (path, NULL, &run, (const char * const[]) { "verify", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "imported state and settings match"));

  tamper (f, "UPDATE users SET role = 'manager' WHERE id = 'ana'");
  pdv_test_pdvctl (path, NULL, &json, (const char * const[]) { "verify", "--json", NULL });
  g_assert_cmpint (json.status, ==, 1);
  g_assert_nonnull (strstr (json.out, "\"ok\": false"));
  g_assert_nonnull (strstr (json.err, "“ana”"));
  /* pdvctl raised the alarm the app shows. */
  alarm = pdv_alarm_get (f->db);
  g_assert_nonnull (alarm);
  g_assert_nonnull (strstr (alarm, "“ana”"));

  /* pdvctl's till sells on, and says so at each sale. */
  {
    g_auto(PdvTestRun) sale = { 0 };

    pdv_test_pdvctl (path, NULL, &sale, (const char * const[]) { "--json", "sell", "SA-AGUA-500", "--user", "ana",
                                                                 "--pay", "cash", NULL });
    g_assert_cmpint (sale.status, ==, 0);
    g_assert_nonnull (strstr (sale.err, "tamper alarm"));
    g_assert_nonnull (strstr (sale.out, "\"alarm\": \"The user “ana”"));
  }

  /* The database's missing file is an error, not an empty journal. */
  {
    g_autofree char *missing = g_build_filename (f->dir, "typo.db", NULL);

    pdv_test_pdvctl (missing, NULL, &again, (const char * const[]) { "verify", NULL });
    g_assert_cmpint (again.status, !=, 0);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/seal/imports-are-sealed", test_imports_are_sealed);
  ADD ("/seal/edited-rows-are-named", test_edited_rows_are_named);
  ADD ("/seal/resealed-and-removed-rows", test_resealed_and_removed_rows);
  ADD ("/seal/settings-and-event", test_settings_and_event);
  g_test_add_func ("/seal/never-imported", test_never_imported);
  ADD ("/seal/list-in-steps", test_list_in_steps);
  ADD ("/seal/alarm-marks-sales", test_alarm_marks_sales);
  ADD ("/seal/pdvctl-verify", test_pdvctl_verify);
#undef ADD

  return g_test_run ();
}

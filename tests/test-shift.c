/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-db-private.h"
#include "pdv-projections.h"
#include "pdv-shift-private.h"
#include "pdv-test-util.h"

/* The demo users: ana and bruno are cashiers (1111, 2222), diego door staff
 * (4444), fernanda and gustavo managers (9090, 8080), admin the admin (0000). */

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
  PdvCatalog *catalog;
  PdvDb      *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->journal = pdv_context_get_journal (f->context);
  f->catalog = pdv_context_get_catalog (f->context);
  f->db = pdv_context_get_db (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (f->context != NULL)
    {
      pdv_journal_verify (f->journal, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_finalize_object (f->context);
    }
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Reopens the terminal, as after a restart. */
static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "terminal.db", NULL);

  g_assert_finalize_object (f->context);
  f->context = pdv_context_open (path, &error);
  g_assert_no_error (error);
  f->journal = pdv_context_get_journal (f->context);
  f->catalog = pdv_context_get_catalog (f->context);
  f->db = pdv_context_get_db (f->context);
}

static PdvUser *
login (Fixture    *f,
       const char *id,
       const char *pin)
{
  return pdv_test_login (f->db, id, pin);
}

static PdvCashCount
count_of (const char *text)
{
  g_autoptr(GError) error = NULL;
  PdvCashCount count;

  pdv_cash_count_init (&count);
  g_assert_true (pdv_cash_count_parse (&count, text, &error));
  g_assert_no_error (error);
  return count;
}

static PdvCashCount
amount_count (PdvMoney amount)
{
  PdvCashCount count;

  pdv_cash_count_init (&count);
  g_assert_true (pdv_cash_count_add (&count, 0, amount, NULL));
  return count;
}

static char *
sell (Fixture          *f,
      const char       *user,
      const char       *product,
      gint64            qty,
      PdvPaymentMethod  method,
      PdvMoney          tendered)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pdv_sale_draft_add_line (draft, product, qty);
  pdv_sale_draft_add_payment (draft, method, qty * pdv_test_price_of (f->catalog, product), tendered, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, user, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (result->sale_id);
}

static void
assert_override (Fixture    *f,
                 gint64      seq,
                 const char *action,
                 const char *operator_id,
                 const char *authoriser)
{
  g_autoptr(PdvJournalEntry) entry = pdv_test_journal_entry_at (f->journal, seq);

  g_assert_cmpstr (entry->kind, ==, "auth.override");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "action")), ==, action);
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "operator")), ==, operator_id);
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authoriser")), ==, authoriser);
}

static void
test_cash_count (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) json = NULL;
  PdvCashCount count = count_of ("200x1 50x2\t0,25x4 0.05x3 2");
  PdvCashCount back;
  PdvMoney total;

  g_assert_true (pdv_cash_count_total (&count, &total, &error));
  g_assert_cmpint (total, ==, 20000 + 10000 + 100 + 15 + 200);

  json = pdv_cash_count_to_json (&count);
  g_assert_true (pdv_cash_count_from_json (&back, json));
  g_assert_cmpmem (&back, sizeof back, &count, sizeof count);

  pdv_cash_count_init (&count);
  g_assert_false (pdv_cash_count_parse (&count, "3x1", &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT);
  g_clear_error (&error);
  g_assert_false (pdv_cash_count_parse (&count, "50xtwo", &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT);
  g_clear_error (&error);
  g_assert_false (pdv_cash_count_parse (&count, "0,03x1", &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT);
  g_clear_error (&error);
  g_assert_false (pdv_cash_count_add (&count, 100, -1, &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT);
}

/* A whole shift by hand: every figure of the drawer. */
static void
test_arithmetic (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) ana = login (f, "ana", "1111");
  g_autoptr(PdvUser) fernanda = login (f, "fernanda", "9090");
  g_autoptr(PdvUser) authoriser = NULL;
  g_autoptr(PdvShiftCloseResult) closed = NULL;
  g_auto(PdvShiftStatus) status = { 0 };
  PdvCashCount float_count = count_of ("50x1 20x2 5x1 1x4 0,25x4");
  g_autofree char *cash_sale = NULL;
  g_autofree char *card_sale = NULL;
  g_autofree char *refunded = NULL;
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  PdvMoney water = pdv_test_price_of (f->catalog, "SA-AGUA-500");
  PdvMoney expected, seen;
  gint64 z;

  z = pdv_shift_open (f->journal, ana, NULL, &float_count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (z, ==, 1);
  g_assert_true (pdv_shift_get_status (f->db, &status, &error));
  g_assert_true (status.open);
  g_assert_cmpint (status.z_number, ==, 1);
  g_assert_cmpint (status.float_amount, ==, 10000);
  g_assert_cmpstr (status.opened_by, ==, "ana");

  cash_sale = sell (f, "ana", "CERV-LATA-350", 3, PDV_PAYMENT_CASH, 5000);   /* change given back */
  card_sale = sell (f, "ana", "CERV-LATA-350", 2, PDV_PAYMENT_CARD, 0);
  g_free (sell (f, "ana", "SA-AGUA-500", 1, PDV_PAYMENT_PIX, 0));
  refunded = sell (f, "ana", "SA-AGUA-500", 4, PDV_PAYMENT_CASH, 0);

  /* A drop needs the drawer: not a cashier's alone. */
  g_assert_false (pdv_shift_drop (f->journal, ana, NULL, 5000, "cofre", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  authoriser = pdv_auth_find_by_pin (f->db, PDV_PERMISSION_DRAWER_OPEN, "9090", "ana", &error);
  g_assert_no_error (error);
  g_assert_true (pdv_shift_drop (f->journal, ana, authoriser, 5000, "cofre", &error));
  g_assert_no_error (error);
  assert_override (f, pdv_journal_get_last_seq (f->journal) - 1, "drawer_open", "ana", "fernanda");
  g_assert_false (pdv_shift_payin (f->journal, fernanda, NULL, 2000, "  ", &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NEEDS_REASON);
  g_clear_error (&error);
  g_assert_false (pdv_shift_payin (f->journal, fernanda, NULL, 0, "troco", &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_AMOUNT);
  g_clear_error (&error);
  g_assert_true (pdv_shift_payin (f->journal, fernanda, NULL, 2000, "troco", &error));
  g_assert_no_error (error);

  g_assert_true (pdv_sale_void (f->journal, card_sale, "ana", "8080", "wrong beer", &error));
  g_assert_no_error (error);
  g_assert_true (pdv_sale_refund (f->journal, refunded, water, PDV_PAYMENT_CASH, "ana", "9090", "warm", &error));
  g_assert_no_error (error);

  expected = 10000 + 3 * beer + 4 * water - 5000 + 2000 - water;
  /* Blind: the cashier cannot see it, a manager can. */
  g_assert_false (pdv_shift_get_expected_cash (f->db, ana, &seen, &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (pdv_shift_get_expected_cash (f->db, fernanda, &seen, &error));
  g_assert_cmpint (seen, ==, expected);

  {
    PdvCashCount count = amount_count (expected);
    closed = pdv_shift_close (f->journal, ana, NULL, &count, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (closed->z_number, ==, 1);
  g_assert_cmpint (closed->expected, ==, expected);
  g_assert_cmpint (closed->counted, ==, expected);
  g_assert_cmpint (closed->difference, ==, 0);
  g_assert_null (closed->authorised_by);

  {
    g_auto(PdvShiftStatus) after = { 0 };
    g_assert_true (pdv_shift_get_status (f->db, &after, &error));
    g_assert_false (after.open);
    g_assert_cmpint (after.z_number, ==, 2);
  }
  {
    g_autoptr(PdvReport) z_report = pdv_report_new_z (f->db, fernanda, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpint (z_report->sales_count, ==, 4);
    g_assert_cmpint (z_report->sales_total, ==, 5 * beer + 5 * water);
    g_assert_cmpint (z_report->voids_total, ==, 2 * beer);
    g_assert_cmpint (z_report->refunds_total, ==, water);
    g_assert_cmpint (z_report->payments[PDV_PAYMENT_CASH].sales_amount, ==, 3 * beer + 4 * water);
    g_assert_cmpint (z_report->payments[PDV_PAYMENT_CARD].voids_amount, ==, 2 * beer);
    g_assert_cmpint (z_report->payments[PDV_PAYMENT_CASH].refunds_amount, ==, water);
    g_assert_cmpint (z_report->drops_total, ==, 5000);
    g_assert_cmpint (z_report->payins_total, ==, 2000);
    g_assert_true (z_report->counted);
    g_assert_cmpint (z_report->expected_cash, ==, expected);
    g_assert_cmpint (z_report->float_amount, ==, 10000);
  }
}

/* Recovery after a restore (pdv_journal_recover()), with the shifts a
 * restored till opened and closed: the history closed Z 1, the restored
 * till, still in Z 1, closed it again and opened the next. Its close is
 * kept with no effect on the periods; its opening opens Z 2; its sale goes
 * to Z 2; both chains and every projection hold. */
static void
test_recover_shifts (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PdvUser) ana = login (f, "ana", "1111");
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autoptr(PdvContext) restored = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(PdvShiftCloseResult) closed = NULL;
  g_autoptr(PdvShiftCloseResult) closed_again = NULL;
  PdvCashCount float_count = amount_count (10000);
  PdvMoney price = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  PdvCashCount count = amount_count (10000 + price);
  PdvJournalRecovery recovery;
  PdvJournal *journal;
  gint64 common, z, open_seq;

  pdv_shift_open (f->journal, ana, NULL, &float_count, &error);
  g_assert_no_error (error);
  g_free (sell (f, "ana", "CERV-LATA-350", 1, PDV_PAYMENT_CASH, 0));
  g_assert_true (pdv_db_backup (f->db, backup, &error));
  g_assert_no_error (error);
  common = pdv_journal_get_last_seq (f->journal);
  closed = pdv_shift_close (f->journal, ana, NULL, &count, &error);
  g_assert_no_error (error);
  history = pdv_journal_list (f->journal, common, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);

  restored = pdv_context_open (backup, &error);
  g_assert_no_error (error);
  journal = pdv_context_get_journal (restored);
  {
    g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
    g_autoptr(PdvSaleResult) sale = NULL;
    PdvCashCount second = amount_count (10000 + 2 * price);

    pdv_sale_draft_add_line (draft, "CERV-LATA-350", 1);
    pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, price, 0, NULL);
    sale = pdv_sale_commit (journal, pdv_context_get_catalog (restored), draft, "ana", NULL, &error);
    g_assert_no_error (error);
    closed_again = pdv_shift_close (journal, ana, NULL, &second, &error);
    g_assert_no_error (error);
    g_assert_cmpint (pdv_shift_open (journal, ana, NULL, &float_count, &error), >, 0);
    g_assert_no_error (error);
  }

  /* A history that does not follow this journal is refused whole. */
  {
    PdvJournalEntry *first = g_ptr_array_index (history, 0);
    g_autofree char *real = g_steal_pointer (&first->prev_hash);

    first->prev_hash = g_strdup (PDV_JOURNAL_GENESIS_HASH);
    g_assert_false (pdv_journal_recover (journal, common, history, NULL, "fernanda", &recovery, &error));
    g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_REFUSED);
    g_clear_error (&error);
    g_assert_cmpint (pdv_journal_get_last_seq (journal), ==, common + 3);
    g_free (first->prev_hash);
    first->prev_hash = g_steal_pointer (&real);
  }

  g_assert_true (pdv_journal_recover (journal, common, history, NULL, "fernanda", &recovery, &error));
  g_assert_no_error (error);
  g_assert_cmpint (recovery.recovered, ==, 1);
  g_assert_cmpint (recovery.rewritten, ==, 3);
  g_assert_cmpint (recovery.marker_seq, ==, common + 2);
  g_assert_cmpint (recovery.last_seq, ==, common + 5);
  {
    g_autoptr(GPtrArray) entries = pdv_journal_list (journal, common, 0, &error);
    const PdvJournalEntry *close_again = g_ptr_array_index (entries, 3);
    const PdvJournalEntry *reopen_entry = g_ptr_array_index (entries, 4);
    json_t *mark = json_object_get (close_again->payload, "restored");

    g_assert_cmpint (((PdvJournalEntry *) g_ptr_array_index (entries, 0))->seq, ==, closed->seq);
    g_assert_cmpstr (((PdvJournalEntry *) g_ptr_array_index (entries, 0))->hash, ==,
                     ((PdvJournalEntry *) g_ptr_array_index (history, 0))->hash);
    g_assert_cmpstr (((PdvJournalEntry *) g_ptr_array_index (entries, 1))->kind, ==, PDV_ENTRY_JOURNAL_RECOVER);
    g_assert_cmpstr (close_again->kind, ==, PDV_ENTRY_SHIFT_CLOSE);
    g_assert_true (json_is_true (json_object_get (mark, "unmatched")));
    g_assert_cmpint (json_integer_value (json_object_get (mark, "seq")), ==, common + 2);
    g_assert_cmpstr (reopen_entry->kind, ==, PDV_ENTRY_SHIFT_OPEN);
    g_assert_cmpint (json_integer_value (json_object_get (reopen_entry->payload, "z")), ==, 2);
    g_assert_null (json_object_get (json_object_get (reopen_entry->payload, "restored"), "unmatched"));
    g_assert_true (pdv_shift_read_state (pdv_context_get_db (restored), &z, &open_seq, &error));
    g_assert_cmpint (z, ==, 2);
    g_assert_cmpint (open_seq, ==, reopen_entry->seq);
  }
  g_assert_true (pdv_journal_verify (journal, NULL, NULL, &error));
  g_assert_no_error (error);
}

static PdvShiftCloseResult *
open_sell_close (Fixture        *f,
                 const PdvUser  *cashier,
                 const PdvUser  *authoriser,
                 PdvMoney        off_by,
                 GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  PdvCashCount float_count = amount_count (10000);
  PdvCashCount count;
  PdvMoney expected = 10000 + 3 * pdv_test_price_of (f->catalog, "CERV-LATA-350");
  g_auto(PdvShiftStatus) status = { 0 };

  g_assert_true (pdv_shift_get_status (f->db, &status, NULL));
  if (!status.open)
    {
      pdv_shift_open (f->journal, cashier, NULL, &float_count, &local_error);
      g_assert_no_error (local_error);
      g_free (sell (f, cashier->id, "CERV-LATA-350", 3, PDV_PAYMENT_CASH, 0));
    }
  count = amount_count (expected + off_by);
  return pdv_shift_close (f->journal, cashier, authoriser, &count, error);
}

static void
test_over_short (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) ana = login (f, "ana", "1111");
  g_autoptr(PdvUser) bruno = login (f, "bruno", "2222");
  g_autoptr(PdvUser) fernanda = login (f, "fernanda", "9090");
  g_autoptr(PdvUser) manager = NULL;
  PdvShiftCloseResult *result;
  gint64 last;

  g_assert_cmpint (pdv_shift_get_tolerance (f->db), ==, 500);

  /* Over by R$ 3,00: within the tolerance. */
  result = open_sell_close (f, ana, NULL, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->difference, ==, 300);
  g_assert_null (result->authorised_by);
  pdv_shift_close_result_free (result);

  /* Exactly the tolerance, short: still fine. */
  result = open_sell_close (f, ana, NULL, -500, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->difference, ==, -500);
  pdv_shift_close_result_free (result);

  /* Short by R$ 10,00: refused, without saying by how much. */
  last = pdv_journal_get_last_seq (f->journal);
  result = open_sell_close (f, ana, NULL, -1000, &error);
  g_assert_null (result);
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER);
  g_assert_null (strstr (error->message, "10"));
  g_assert_null (strpbrk (error->message, "0123456789"));
  g_clear_error (&error);
  /* The shift stays open; the attempt is on record, for a manager to see
   * (a cashier trying amounts until one passes leaves a trail). */
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last + 3);
  {
    g_autoptr(PdvJournalEntry) attempt = pdv_test_journal_entry_at (f->journal, last + 3);

    g_assert_cmpstr (attempt->kind, ==, "shift.count");
    g_assert_cmpstr (attempt->user, ==, "ana");
    g_assert_cmpstr (json_string_value (json_object_get (attempt->payload, "outcome")), ==, "needs_manager");
    g_assert_cmpint (json_integer_value (json_object_get (attempt->payload, "difference")), ==, -1000);
    g_assert_cmpint (json_integer_value (json_object_get (attempt->payload, "z")), ==, 3);
  }
  {
    g_auto(PdvShiftStatus) status = { 0 };
    g_assert_true (pdv_shift_get_status (f->db, &status, NULL));
    g_assert_true (status.open);
    g_assert_cmpint (status.z_number, ==, 3);
  }

  /* Another cashier cannot authorise it. */
  result = open_sell_close (f, ana, bruno, -1000, &error);
  g_assert_null (result);
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER);
  g_clear_error (&error);

  /* A manager can, and both are recorded. */
  manager = pdv_auth_find_by_pin (f->db, PDV_PERMISSION_CLOSE_WITH_DIFFERENCE, "9090", "ana", &error);
  g_assert_no_error (error);
  result = open_sell_close (f, ana, manager, -1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->z_number, ==, 3);
  g_assert_cmpint (result->difference, ==, -1000);
  g_assert_cmpstr (result->authorised_by, ==, "fernanda");
  assert_override (f, result->seq - 1, "close_with_difference", "ana", "fernanda");
  {
    g_autoptr(PdvJournalEntry) close = pdv_test_journal_entry_at (f->journal, result->seq);
    g_assert_cmpstr (close->kind, ==, "shift.close");
    g_assert_cmpstr (close->user, ==, "ana");
    g_assert_cmpstr (json_string_value (json_object_get (close->payload, "authorised_by")), ==, "fernanda");
  }
  pdv_shift_close_result_free (result);

  /* A manager closing alone authorises her own difference, without an override. */
  last = pdv_journal_get_last_seq (f->journal);
  result = open_sell_close (f, fernanda, NULL, 2500, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->authorised_by, ==, "fernanda");
  g_assert_cmpint (result->seq, ==, last + 3);
  pdv_shift_close_result_free (result);

  /* A tolerance of zero: every centavo counts. */
  g_assert_true (pdv_shift_set_tolerance (f->db, 0, &error));
  result = open_sell_close (f, ana, NULL, 1, &error);
  g_assert_null (result);
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER);
  g_clear_error (&error);
  result = open_sell_close (f, ana, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->z_number, ==, 5);
  pdv_shift_close_result_free (result);

  {
    g_autoptr(PdvReport) z3 = pdv_report_new_z (f->db, fernanda, 3, &error);
    g_assert_no_error (error);
    g_assert_cmpint (z3->difference, ==, -1000);
    g_assert_cmpstr (z3->difference_authorised_by, ==, "Fernanda Lima");
  }
}

static void
dump_projections (PdvDb     *db,
                  GString   *out)
{
  guint n;
  const PdvProjection * const *projections = pdv_projections_get (&n);

  for (guint i = 0; i < n; i++)
    {
      sqlite3_stmt *stmt;

      g_string_append_printf (out, "[%s]\n", projections[i]->name);
      g_assert_cmpint (sqlite3_prepare_v2 (pdv_db_get_handle (db), projections[i]->dump_sql, -1, &stmt, NULL),
                       ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *value = (const char *) sqlite3_column_text (stmt, c);
              g_string_append_printf (out, "%s|", value ? value : "NULL");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
}

static void
test_z_numbers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) ana = login (f, "ana", "1111");
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  PdvCashCount float_count = amount_count (5000);
  gint64 previous = 0;

  for (int i = 0; i < 3; i++)
    {
      PdvShiftCloseResult *result = open_sell_close (f, ana, NULL, 0, &error);

      g_assert_no_error (error);
      g_assert_cmpint (result->z_number, ==, previous + 1);
      previous = result->z_number;
      pdv_shift_close_result_free (result);
    }

  /* Nothing opens twice or closes unopened. */
  g_assert_cmpint (pdv_shift_open (f->journal, ana, NULL, &float_count, &error), ==, 4);
  g_assert_cmpint (pdv_shift_open (f->journal, ana, NULL, &float_count, &error), ==, 0);
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_ALREADY_OPEN);
  g_clear_error (&error);
  {
    PdvCashCount count = amount_count (5000);
    g_autoptr(PdvShiftCloseResult) result = pdv_shift_close (f->journal, ana, NULL, &count, &error);
    g_autoptr(PdvShiftCloseResult) none = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (result->z_number, ==, 4);
    none = pdv_shift_close (f->journal, ana, NULL, &count, &error);
    g_assert_null (none);
    g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NOT_OPEN);
    g_clear_error (&error);
  }
  g_assert_false (pdv_shift_payin (f->journal, ana, NULL, 100, "troco", &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NOT_OPEN);
  g_clear_error (&error);

  /* A rebuild gives back exactly the same projections. */
  dump_projections (f->db, before);
  g_assert_true (pdv_journal_rebuild (f->journal, NULL, &error));
  g_assert_no_error (error);
  dump_projections (f->db, after);
  g_assert_cmpstr (before->str, ==, after->str);
  g_assert_nonnull (strstr (before->str, "[shift_state]\n1|5|NULL|"));

  /* Rewinding the shift tables is caught, and no Z is reused meanwhile. */
  g_assert_true (pdv_db_exec (f->db, "UPDATE shift_state SET current_z = 2", &error));
  g_assert_false (pdv_journal_verify (f->journal, NULL, NULL, &error));
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_PROJECTION_DIVERGED);
  g_clear_error (&error);
  g_assert_cmpint (pdv_shift_open (f->journal, ana, NULL, &float_count, &error), ==, 0);
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIVERGED);
  g_clear_error (&error);
  g_assert_true (pdv_journal_rebuild (f->journal, NULL, &error));
  g_assert_cmpint (pdv_shift_open (f->journal, ana, NULL, &float_count, &error), ==, 5);
  g_assert_no_error (error);

  /* An entry that does not follow from the journal is refused. */
  {
    gint64 last = pdv_journal_get_last_seq (f->journal);
    json_t *forged = json_pack ("{s:i, s:{s:[], s:i}, s:i, s:i, s:i, s:i}", "z", 2, "count", "pieces", "loose", 0,
                                "counted", 0, "expected", 0, "difference", 0, "tolerance", 500);
    g_autoptr(PdvJournalEntry) entry = pdv_journal_append (f->journal, "shift.close", "ana", forged, &error);

    json_decref (forged);
    g_assert_null (entry);
    g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID);
    g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);
  }
}

static void
test_required (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) ana = login (f, "ana", "1111");
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autofree char *sale = NULL;
  PdvCashCount float_count = amount_count (5000);

  /* Off unless set: sales without shifts, as scripts make them. */
  g_assert_false (pdv_shift_is_required (f->db));
  sale = sell (f, "ana", "SA-AGUA-500", 1, PDV_PAYMENT_CASH, 0);

  g_assert_true (pdv_shift_set_required (f->db, TRUE, &error));
  g_assert_true (pdv_shift_is_required (f->db));
  pdv_sale_draft_add_line (draft, "SA-AGUA-500", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, pdv_test_price_of (f->catalog, "SA-AGUA-500"), 0, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NOT_OPEN);
  g_clear_error (&error);
  g_assert_false (pdv_sale_void (f->journal, sale, "ana", "9090", NULL, &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NOT_OPEN);
  g_clear_error (&error);

  pdv_shift_open (f->journal, ana, NULL, &float_count, &error);
  g_assert_no_error (error);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pdv_sale_void (f->journal, sale, "ana", "9090", NULL, &error));
  g_assert_no_error (error);
}

/* Every protected action refuses whoever may not do it. */
static void
test_role_gating (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) ana = login (f, "ana", "1111");
  g_autoptr(PdvUser) diego = login (f, "diego", "4444");
  g_autoptr(PdvUser) fernanda = login (f, "fernanda", "9090");
  g_autoptr(PdvUser) admin = login (f, "admin", "0000");
  g_autofree char *sale = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 12, 22, 0, 0);
  PdvCashCount float_count = amount_count (5000);
  PdvMoney expected;

  /* The refusals below add up to a lockout of overrides; a clock to wait it out. */
  pdv_clock_set_time (pdv_db_get_clock (f->db), now);
  g_assert_true (pdv_auth_require (ana, PDV_PERMISSION_SELL, &error));
  g_assert_false (pdv_auth_require (diego, PDV_PERMISSION_SELL, &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "Diego Nascimento"));
  g_clear_error (&error);
  g_assert_true (pdv_auth_require (diego, PDV_PERMISSION_CHECKIN, &error));
  g_assert_false (pdv_auth_require (ana, PDV_PERMISSION_CHECKIN, &error));
  g_clear_error (&error);
  g_assert_false (pdv_auth_require (NULL, PDV_PERMISSION_SELL, &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Shifts: door staff do not open or close them. */
  g_assert_cmpint (pdv_shift_open (f->journal, diego, NULL, &float_count, &error), ==, 0);
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpint (pdv_shift_open (f->journal, ana, NULL, &float_count, &error), ==, 1);
  sale = sell (f, "ana", "SA-AGUA-500", 2, PDV_PAYMENT_CASH, 0);
  {
    PdvCashCount count = amount_count (5000);
    g_assert_null (pdv_shift_close (f->journal, diego, NULL, &count, &error));
    g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
    g_clear_error (&error);
  }

  /* The drawer. */
  g_assert_false (pdv_shift_drop (f->journal, ana, NULL, 100, "cofre", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (pdv_shift_payin (f->journal, diego, NULL, 100, "troco", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (pdv_shift_payin (f->journal, ana, diego, 100, "troco", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (pdv_shift_drop (f->journal, fernanda, NULL, 100, "cofre", &error));
  g_assert_true (pdv_shift_payin (f->journal, admin, NULL, 100, "troco", &error));

  /* Reading what the drawer should hold, and reports. */
  g_assert_false (pdv_shift_get_expected_cash (f->db, diego, &expected, &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_null (pdv_report_new_x (f->db, ana, &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_null (pdv_report_new_z (f->db, diego, 0, &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  {
    g_autoptr(PdvReport) report = pdv_report_new_x (f->db, fernanda, &error);
    g_assert_no_error (error);
  }

  /* Voids, refunds and courtesies take a manager's PIN, not anyone's. */
  for (guint i = 0; i < 2; i++)
    {
      const char *pin = i == 0 ? "1111" : "4444";
      const char *who = i == 0 ? "ana" : "diego";

      /* Typing one's own PIN is the usual mistake; the message names it. */
      g_assert_false (pdv_sale_void (f->journal, sale, who, pin, NULL, &error));
      g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
      g_assert_nonnull (strstr (error->message, i == 0 ? "Ana Souza" : "Diego Nascimento"));
      g_clear_error (&error);
      g_assert_false (pdv_sale_refund (f->journal, sale, 100, PDV_PAYMENT_CASH, "ana", pin, NULL, &error));
      g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
      g_clear_error (&error);
      g_assert_null (pdv_authorise_manager (f->db, pin, &error));
      g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
      g_clear_error (&error);
    }

  /* Enrolment is an admin's, not a manager's. */
  {
    g_autoptr(GDateTime) later = g_date_time_add_seconds (now, PDV_AUTH_LOCKOUT_SECONDS);
    pdv_clock_set_time (pdv_db_get_clock (f->db), later);
  }
  {
    PdvPermission admin_only[] = { PDV_PERMISSION_ENROLL };

    for (guint i = 0; i < G_N_ELEMENTS (admin_only); i++)
      {
        g_autoptr(PdvUser) nobody = pdv_auth_authorise (f->db, admin_only[i], "9090", "fernanda", &error);
        g_autoptr(PdvUser) someone = NULL;

        g_assert_null (nobody);
        g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
        g_clear_error (&error);
        someone = pdv_auth_authorise (f->db, admin_only[i], "0000", "fernanda", &error);
        g_assert_no_error (error);
        g_assert_cmpstr (someone->id, ==, "admin");
      }
  }

  /* Closing with a difference is a manager's. */
  {
    PdvCashCount count = amount_count (99999);
    g_assert_null (pdv_shift_close (f->journal, ana, ana, &count, &error));
    g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER);
    g_clear_error (&error);
  }
}

static void
test_overrides_recorded (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) manager = NULL;
  g_autofree char *sale = sell (f, "ana", "CERV-LATA-350", 1, PDV_PAYMENT_CASH, 0);
  g_autofree char *courtesy = NULL;
  gint64 last;

  manager = pdv_auth_authorise (f->db, PDV_PERMISSION_DRAWER_OPEN, "9090", "ana", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (manager->id, ==, "fernanda");
  assert_override (f, pdv_journal_get_last_seq (f->journal), "drawer_open", "ana", "fernanda");

  g_assert_true (pdv_sale_refund (f->journal, sale, 100, PDV_PAYMENT_CASH, "bruno", "8080", NULL, &error));
  last = pdv_journal_get_last_seq (f->journal);
  assert_override (f, last - 1, "refund", "bruno", "gustavo");
  g_assert_true (pdv_sale_refund (f->journal, sale, 100, PDV_PAYMENT_CASH, "ana", "9090", NULL, &error));

  /* A correction that fails leaves no override behind. */
  last = pdv_journal_get_last_seq (f->journal);
  g_assert_false (pdv_sale_void (f->journal, sale, "ana", "9090", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_ALREADY_VOIDED);
  g_clear_error (&error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);

  /* A wrong PIN is recorded with who asked and for what. */
  g_assert_false (pdv_sale_void (f->journal, sale, "ana", "5678", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);
  {
    g_autoptr(PdvJournalEntry) entry = pdv_test_journal_last_entry (f->journal);
    g_assert_cmpstr (entry->kind, ==, "auth.failed");
    g_assert_cmpstr (entry->user, ==, "ana");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "action")), ==, "void");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "reason")), ==, "wrong_pin");
  }

  /* A courtesy's override is journalled with its sale. */
  {
    g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
    g_autoptr(PdvSaleResult) result = NULL;
    g_autofree char *authoriser = pdv_authorise_manager (f->db, "8080", &error);

    g_assert_no_error (error);
    pdv_sale_draft_add_line (draft, "SA-AGUA-500", 1);
    pdv_sale_draft_add_payment (draft, PDV_PAYMENT_VOUCHER, pdv_test_price_of (f->catalog, "SA-AGUA-500"), 0,
                                "BANDA");
    result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", authoriser, &error);
    g_assert_no_error (error);
    assert_override (f, result->seq - 1, "courtesy", "ana", "gustavo");
    courtesy = g_strdup (result->sale_id);
  }
  {
    g_autoptr(PdvUser) fernanda = login (f, "fernanda", "9090");
    g_autoptr(PdvReport) report = pdv_report_new_x (f->db, fernanda, &error);
    gboolean seen_refund = FALSE, seen_courtesy = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < report->corrections->len; i++)
      {
        PdvReportRow *row = g_ptr_array_index (report->corrections, i);
        if (g_str_equal (row->key, "refund") && g_str_equal (row->label, "Gustavo Araújo"))
          seen_refund = row->count == 1 && row->amount == 100;
        if (g_str_equal (row->key, "courtesy"))
          seen_courtesy = g_str_equal (row->label, "Gustavo Araújo") &&
                          row->amount == pdv_test_price_of (f->catalog, "SA-AGUA-500");
      }
    g_assert_true (seen_refund);
    g_assert_true (seen_courtesy);
  }
}

/* The drawer opened without a sale: a cashier needs a manager, whose
 * override is kept with the opening; a manager opens it alone. */
static void
test_drawer_open (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) ana = login (f, "ana", "1111");
  g_autoptr(PdvUser) diego = login (f, "diego", "4444");
  g_autoptr(PdvUser) fernanda = login (f, "fernanda", "9090");
  g_autoptr(PdvJournalEntry) entry = NULL;
  PdvCashCount float_count = amount_count (10000);
  PdvMoney expected_before = 0, expected_after = 0;
  gint64 last = pdv_journal_get_last_seq (f->journal);

  /* A cashier alone is refused, and nothing is written. */
  g_assert_false (pdv_drawer_open (f->journal, ana, NULL, "troco", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  /* So is one whose authoriser may not open it either. */
  g_assert_false (pdv_drawer_open (f->journal, ana, diego, "troco", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);

  /* With a manager: the override and the opening, both users recorded. */
  g_assert_true (pdv_drawer_open (f->journal, ana, fernanda, "  troco para o caixa 2 ", &error));
  g_assert_no_error (error);
  last = pdv_journal_get_last_seq (f->journal);
  assert_override (f, last - 1, "drawer_open", "ana", "fernanda");
  entry = pdv_test_journal_entry_at (f->journal, last);
  g_assert_cmpstr (entry->kind, ==, "drawer.open");
  g_assert_cmpstr (entry->user, ==, "ana");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "reason")), ==, "troco para o caixa 2");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authorised_by")), ==, "fernanda");
  g_assert_false (json_is_true (json_object_get (entry->payload, "shift_open")));
  g_clear_pointer (&entry, pdv_journal_entry_free);

  /* A manager alone: no override, and the reason may be left out. */
  g_assert_true (pdv_drawer_open (f->journal, fernanda, NULL, "   ", &error));
  g_assert_no_error (error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last + 1);
  entry = pdv_test_journal_entry_at (f->journal, last + 1);
  g_assert_cmpstr (entry->kind, ==, "drawer.open");
  g_assert_cmpstr (entry->user, ==, "fernanda");
  g_assert_null (json_string_value (json_object_get (entry->payload, "reason")));
  g_assert_null (json_string_value (json_object_get (entry->payload, "authorised_by")));
  g_clear_pointer (&entry, pdv_journal_entry_free);

  /* Where shifts are required, only while one is open, manager or not. */
  g_assert_true (pdv_shift_set_required (f->db, TRUE, &error));
  last = pdv_journal_get_last_seq (f->journal);
  g_assert_false (pdv_drawer_open (f->journal, fernanda, NULL, NULL, &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NOT_OPEN);
  g_clear_error (&error);
  g_assert_false (pdv_drawer_open (f->journal, ana, fernanda, NULL, &error));
  g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NOT_OPEN);
  g_clear_error (&error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);

  g_assert_cmpint (pdv_shift_open (f->journal, ana, NULL, &float_count, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (pdv_shift_get_expected_cash (f->db, fernanda, &expected_before, &error));
  g_assert_true (pdv_drawer_open (f->journal, ana, fernanda, NULL, &error));
  g_assert_no_error (error);
  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_true (json_is_true (json_object_get (entry->payload, "shift_open")));
  g_assert_cmpint (json_integer_value (json_object_get (entry->payload, "z")), ==, 1);
  /* Opening the drawer moves no money in the books. */
  g_assert_true (pdv_shift_get_expected_cash (f->db, fernanda, &expected_after, &error));
  g_assert_no_error (error);
  g_assert_cmpint (expected_after, ==, expected_before);

  /* The projections rebuilt from the journal agree. */
  reopen (f);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The property test: X totals against a recomputation from the journal. */

typedef struct {
  gint64   sales_count;
  PdvMoney sales_total;
  gint64   voids_count;
  PdvMoney voids_total;
  gint64   refunds_count;
  PdvMoney refunds_total;
  PdvMoney method_sales[4];
  PdvMoney method_voids[4];
  PdvMoney method_refunds[4];
  gint64   method_count[4];
  gint64   drops_count;
  PdvMoney drops_total;
  gint64   payins_count;
  PdvMoney payins_total;
  PdvMoney float_amount;
  gint64   z;
  GHashTable *products;   /* id → gint64[2]: qty, amount */
  GHashTable *hours;      /* hour → gint64[2]: count, amount */
  GHashTable *operators;  /* id → gint64[2] */
} Expected;

static void
add_pair_to (GHashTable *table,
             const char *key,
             gint64      a,
             gint64      b)
{
  gint64 *pair = g_hash_table_lookup (table, key);

  if (pair == NULL)
    {
      pair = g_new0 (gint64, 2);
      g_hash_table_insert (table, g_strdup (key), pair);
    }
  pair[0] += a;
  pair[1] += b;
}

static int
method_index (const char *name)
{
  PdvPaymentMethod method;

  g_assert_true (pdv_payment_method_from_string (name, &method));
  return (int) method;
}

/* Straight from the journal, the slow way, sharing nothing with core. */
static void
recompute (Fixture  *f,
           Expected *e)
{
  g_autoptr(GPtrArray) entries = pdv_journal_list (f->journal, 0, 0, NULL);
  g_autoptr(GHashTable) sales = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                       (GDestroyNotify) json_decref);
  gint64 z = 1;

  memset (e, 0, G_STRUCT_OFFSET (Expected, products));
  e->products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  e->hours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  e->operators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < entries->len; i++)
    {
      PdvJournalEntry *entry = g_ptr_array_index (entries, i);
      json_t *p = entry->payload;
      json_t *item;
      size_t k;

      if (g_str_equal (entry->kind, "sale"))
        g_hash_table_insert (sales, GINT_TO_POINTER (entry->seq), json_incref (p));
      if (g_str_equal (entry->kind, "shift.close"))
        {
          z++;
          memset (e, 0, G_STRUCT_OFFSET (Expected, products));
          g_hash_table_remove_all (e->products);
          g_hash_table_remove_all (e->hours);
          g_hash_table_remove_all (e->operators);
          continue;
        }

      if (g_str_equal (entry->kind, "sale"))
        {
          g_autofree char *hour = g_strndup (entry->created_at, 13);
          g_autofree char *hour_key = g_strconcat (hour, ":00:00Z", NULL);
          PdvMoney total = json_integer_value (json_object_get (p, "total"));

          e->sales_count++;
          e->sales_total += total;
          json_array_foreach (json_object_get (p, "payments"), k, item)
            {
              int m = method_index (json_string_value (json_object_get (item, "method")));
              e->method_sales[m] += json_integer_value (json_object_get (item, "amount"));
              e->method_count[m]++;
            }
          json_array_foreach (json_object_get (p, "lines"), k, item)
            add_pair_to (e->products, json_string_value (json_object_get (item, "product")),
                         json_integer_value (json_object_get (item, "qty")),
                         json_integer_value (json_object_get (item, "total")));
          add_pair_to (e->hours, hour_key, 1, total);
          add_pair_to (e->operators, entry->user ? entry->user : "", 1, total);
        }
      else if (g_str_equal (entry->kind, "sale.void"))
        {
          json_t *sale = g_hash_table_lookup (sales, GINT_TO_POINTER (json_integer_value (json_object_get (p, "sale_seq"))));

          g_assert_nonnull (sale);
          e->voids_count++;
          e->voids_total += json_integer_value (json_object_get (p, "total"));
          json_array_foreach (json_object_get (sale, "payments"), k, item)
            e->method_voids[method_index (json_string_value (json_object_get (item, "method")))] +=
              json_integer_value (json_object_get (item, "amount"));
          json_array_foreach (json_object_get (sale, "lines"), k, item)
            add_pair_to (e->products, json_string_value (json_object_get (item, "product")),
                         -json_integer_value (json_object_get (item, "qty")),
                         -json_integer_value (json_object_get (item, "total")));
        }
      else if (g_str_equal (entry->kind, "sale.refund"))
        {
          PdvMoney amount = json_integer_value (json_object_get (p, "amount"));

          e->refunds_count++;
          e->refunds_total += amount;
          e->method_refunds[method_index (json_string_value (json_object_get (p, "method")))] += amount;
        }
      else if (g_str_equal (entry->kind, "shift.drop"))
        {
          e->drops_count++;
          e->drops_total += json_integer_value (json_object_get (p, "amount"));
        }
      else if (g_str_equal (entry->kind, "shift.payin"))
        {
          e->payins_count++;
          e->payins_total += json_integer_value (json_object_get (p, "amount"));
        }
      else if (g_str_equal (entry->kind, "shift.open"))
        e->float_amount = json_integer_value (json_object_get (p, "float"));
    }
  e->z = z;
}

static void
expected_clear (Expected *e)
{
  g_clear_pointer (&e->products, g_hash_table_unref);
  g_clear_pointer (&e->hours, g_hash_table_unref);
  g_clear_pointer (&e->operators, g_hash_table_unref);
}

static void
assert_rows (GHashTable *expected,
             GPtrArray  *rows,
             gboolean    skip_zero)
{
  guint wanted = 0;
  GHashTableIter iter;
  gint64 *pair;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pair))
    if (!skip_zero || pair[0] != 0 || pair[1] != 0)
      wanted++;
  g_assert_cmpuint (rows->len, ==, wanted);
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (rows, i);
      gint64 *want = g_hash_table_lookup (expected, row->key);

      g_assert_nonnull (want);
      g_assert_cmpint (row->count, ==, want[0]);
      g_assert_cmpint (row->amount, ==, want[1]);
    }
}

static void
assert_x_matches_journal (Fixture       *f,
                          const PdvUser *manager)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReport) x = pdv_report_new_x (f->db, manager, &error);
  Expected e;
  PdvMoney expected_cash;

  g_assert_no_error (error);
  recompute (f, &e);
  g_assert_cmpint (x->z_number, ==, e.z);
  g_assert_cmpint (x->sales_count, ==, e.sales_count);
  g_assert_cmpint (x->sales_total, ==, e.sales_total);
  g_assert_cmpint (x->voids_count, ==, e.voids_count);
  g_assert_cmpint (x->voids_total, ==, e.voids_total);
  g_assert_cmpint (x->refunds_count, ==, e.refunds_count);
  g_assert_cmpint (x->refunds_total, ==, e.refunds_total);
  g_assert_cmpint (x->net_total, ==, e.sales_total - e.voids_total - e.refunds_total);
  for (int m = 0; m < 4; m++)
    {
      g_assert_cmpint (x->payments[m].sales_amount, ==, e.method_sales[m]);
      g_assert_cmpint (x->payments[m].sales_count, ==, e.method_count[m]);
      g_assert_cmpint (x->payments[m].voids_amount, ==, e.method_voids[m]);
      g_assert_cmpint (x->payments[m].refunds_amount, ==, e.method_refunds[m]);
    }
  g_assert_cmpint (x->drops_count, ==, e.drops_count);
  g_assert_cmpint (x->drops_total, ==, e.drops_total);
  g_assert_cmpint (x->payins_count, ==, e.payins_count);
  g_assert_cmpint (x->payins_total, ==, e.payins_total);
  g_assert_cmpint (x->float_amount, ==, e.float_amount);
  expected_cash = e.float_amount + e.method_sales[PDV_PAYMENT_CASH] - e.method_voids[PDV_PAYMENT_CASH] -
                  e.method_refunds[PDV_PAYMENT_CASH] - e.drops_total + e.payins_total;
  g_assert_cmpint (x->expected_cash, ==, expected_cash);
  assert_rows (e.products, x->products, TRUE);
  assert_rows (e.hours, x->hours, FALSE);
  assert_rows (e.operators, x->operators, FALSE);
  expected_clear (&e);
}

typedef struct {
  char     *id;
  PdvMoney  total;
  PdvMoney  refunded;
  gboolean  voided;
} SoldSale;

static void
sold_sale_free (SoldSale *sale)
{
  g_free (sale->id);
  g_free (sale);
}

static void
test_property (Fixture       *f,
               gconstpointer  data)
{
  static const char * const products[] = { "CERV-CHOPP-400", "DRK-CAIP-LIMAO", "DRK-GIN-TONICA", "CERV-LONG-330",
                                            "SA-AGUA-500", "CERV-LATA-350" };
  static const char * const cashiers[] = { "ana", "bruno", "carla" };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) manager = login (f, "fernanda", "9090");
  g_autoptr(PdvUser) cashier = login (f, "ana", "1111");
  g_autoptr(GPtrArray) sold = g_ptr_array_new_with_free_func ((GDestroyNotify) sold_sale_free);
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  int steps = g_test_slow () ? 1000 : 300;
  gint64 closes = 0;
  gboolean open = FALSE;

  /* Plenty of everything, so that stock never refuses a sale. */
  {
    json_t *payload = json_pack ("{s:[]}", "items");
    g_autoptr(PdvJournalEntry) entry = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (products); i++)
      json_array_append_new (json_object_get (payload, "items"),
                             json_pack ("{s:s, s:i}", "product", products[i], "qty", 1000000));
    entry = pdv_journal_append (f->journal, "stock.count", NULL, payload, &error);
    json_decref (payload);
    g_assert_no_error (error);
  }

  for (int step = 0; step < steps; step++)
    {
      int what = g_test_rand_int_range (0, 100);

      if (!open && what < 90)
        {
          PdvCashCount float_count = amount_count (g_test_rand_int_range (0, 50000));
          g_assert_cmpint (pdv_shift_open (f->journal, cashier, NULL, &float_count, &error), ==, closes + 1);
          g_assert_no_error (error);
          open = TRUE;
        }
      else if (what < 55)
        {
          g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
          g_autoptr(PdvSaleResult) result = NULL;
          SoldSale *sale;
          PdvMoney total = 0, part;
          int kind = g_test_rand_int_range (0, 4);

          for (int l = g_test_rand_int_range (1, 4); l > 0; l--)
            pdv_sale_draft_add_line (draft, products[g_test_rand_int_range (0, G_N_ELEMENTS (products))],
                                     g_test_rand_int_range (1, 5));
          g_assert_true (pdv_sale_draft_total (draft, f->catalog, &total, NULL));
          switch (kind)
            {
            case 0:
              pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total, total + g_test_rand_int_range (0, 5000),
                                          NULL);
              break;
            case 1:
              pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, total, 0, "AUTH");
              break;
            case 2:
              pdv_sale_draft_add_payment (draft, PDV_PAYMENT_PIX, total, 0, "TXID");
              break;
            default:
              part = g_test_rand_int_range (1, (int) total);
              pdv_sale_draft_add_payment (draft, g_test_rand_bit () ? PDV_PAYMENT_CARD : PDV_PAYMENT_PIX, part, 0,
                                          NULL);
              /* Cash handed over with change, never the R$ 200 or more the
               * terminal refuses as a typo. */
              pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total - part,
                                          total - part + MIN (part, PDV_TENDER_MAX_CHANGE - 1), NULL);
              break;
            }
          result = pdv_sale_commit (f->journal, f->catalog, draft,
                                    cashiers[g_test_rand_int_range (0, G_N_ELEMENTS (cashiers))], NULL, &error);
          g_assert_no_error (error);
          sale = g_new0 (SoldSale, 1);
          sale->id = g_strdup (result->sale_id);
          sale->total = total;
          g_ptr_array_add (sold, sale);
        }
      else if (what < 65 && sold->len > 0)
        {
          SoldSale *sale = g_ptr_array_index (sold, g_test_rand_int_range (0, sold->len));
          gboolean ok = pdv_sale_void (f->journal, sale->id, "ana", "0000", "test", &error);

          g_assert_cmpint (ok, ==, !sale->voided && sale->refunded == 0);
          g_clear_error (&error);
          if (ok)
            sale->voided = TRUE;
        }
      else if (what < 75 && sold->len > 0)
        {
          SoldSale *sale = g_ptr_array_index (sold, g_test_rand_int_range (0, sold->len));
          PdvMoney amount = g_test_rand_int_range (1, (int) sale->total + 1);
          PdvPaymentMethod method = g_test_rand_int_range (0, 3);
          gboolean ok = pdv_sale_refund (f->journal, sale->id, amount, method, "ana", "0000", NULL, &error);

          g_assert_cmpint (ok, ==, !sale->voided && amount <= sale->total - sale->refunded);
          g_clear_error (&error);
          if (ok)
            sale->refunded += amount;
        }
      else if (what < 85 && open)
        {
          gboolean drop = g_test_rand_bit ();
          PdvMoney amount = g_test_rand_int_range (1, 20000);

          if (drop)
            g_assert_true (pdv_shift_drop (f->journal, manager, NULL, amount, "cofre", &error));
          else
            g_assert_true (pdv_shift_payin (f->journal, manager, NULL, amount, "troco", &error));
          g_assert_no_error (error);
        }
      else if (what >= 85 && what < 90 && open)
        {
          PdvCashCount count = amount_count (g_test_rand_int_range (0, 100000));
          g_autoptr(PdvShiftCloseResult) result = pdv_shift_close (f->journal, manager, NULL, &count, &error);

          g_assert_no_error (error);
          g_assert_cmpint (result->z_number, ==, ++closes);
          open = FALSE;
        }
      assert_x_matches_journal (f, manager);
    }

  dump_projections (f->db, before);
  g_assert_true (pdv_journal_rebuild (f->journal, NULL, &error));
  dump_projections (f->db, after);
  g_assert_cmpstr (before->str, ==, after->str);
  assert_x_matches_journal (f, manager);
}

/* A terminal that already had a journal when the shift projections came
 * gets them filled in when it is next opened. */
static void
test_upgrade (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) manager = login (f, "fernanda", "9090");
  g_autoptr(PdvReport) before = NULL;
  g_autoptr(PdvReport) after = NULL;
  g_autofree char *old_path = g_build_filename (f->dir, "old.db", NULL);

  g_free (sell (f, "ana", "CERV-LATA-350", 2, PDV_PAYMENT_CASH, 0));
  g_free (sell (f, "bruno", "SA-AGUA-500", 1, PDV_PAYMENT_PIX, 0));
  before = pdv_report_new_x (f->db, manager, &error);
  g_assert_no_error (error);

  g_assert_true (pdv_db_exec (f->db,
                              "DELETE FROM shift_totals; DELETE FROM shift_payments; DELETE FROM sales_by_product;"
                              "DELETE FROM sales_by_hour; DELETE FROM sales_by_operator; DELETE FROM auth_lockout;"
                              "INSERT INTO meta (key, value) VALUES ('projections_stale', '1')",
                              &error));
  reopen (f);
  after = pdv_report_new_x (f->db, manager, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->sales_count, ==, 2);
  g_assert_cmpint (after->sales_total, ==, before->sales_total);
  g_assert_cmpuint (after->products->len, ==, 2);
  g_assert_null (pdv_db_get_meta (f->db, "projections_stale"));

  /* The migration itself marks a journal that was there before it (10 is
   * the last that changed what the projections keep). */
  {
    g_autoptr(PdvDb) old = pdv_db_open_at_version (old_path, 9, &error);
    g_autoptr(PdvDb) upgraded = NULL;
    g_autofree char *stale = NULL;

    g_assert_no_error (error);
    g_assert_true (pdv_db_exec (old,
                                "INSERT INTO journal (seq, id, terminal, kind, created_at, mono_us, payload, "
                                "  prev_hash, hash) VALUES (1, 'x', 't', 'terminal.init', 'now', 0, '{}', '', '')",
                                &error));
    g_clear_object (&old);
    upgraded = pdv_db_open (old_path, &error);
    g_assert_no_error (error);
    stale = pdv_db_get_meta (upgraded, "projections_stale");
    g_assert_cmpstr (stale, ==, "1");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shift/cash-count", test_cash_count);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/shift/arithmetic", test_arithmetic);
  ADD ("/shift/recover-after-restore", test_recover_shifts);
  ADD ("/shift/over-short-tolerance", test_over_short);
  ADD ("/shift/z-numbers", test_z_numbers);
  ADD ("/shift/required", test_required);
  ADD ("/shift/property", test_property);
  ADD ("/shift/upgrade", test_upgrade);
  ADD ("/auth/role-gating", test_role_gating);
  ADD ("/auth/overrides-recorded", test_overrides_recorded);
  ADD ("/shift/drawer-open", test_drawer_open);
#undef ADD

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

/* The recent sales a cashier picks from to reprint, void or refund: their
 * order, the limit and the search, and how voids and refunds show. */

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvDb      *db;
  PdvJournal *journal;
  PdvCatalog *catalog;
  PdvUser    *cashier;
  PdvUser    *manager;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->db = pdv_context_get_db (f->context);
  f->journal = pdv_context_get_journal (f->context);
  f->catalog = pdv_context_get_catalog (f->context);
  f->cashier = pdv_user_new ("ana", "Ana Souza", PDV_ROLE_CASHIER);
  f->manager = pdv_user_new ("fernanda", "Fernanda Lima", PDV_ROLE_MANAGER);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  pdv_user_free (f->cashier);
  pdv_user_free (f->manager);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Sells @lines ("CODE", qty, …, NULL) to @user, paid in one @method; the
 * sale's id. */
static char *
sell (Fixture          *f,
      const char       *user,
      PdvPaymentMethod  method,
      ...)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdvMoney total = 0;
  const char *code;
  va_list args;

  va_start (args, method);
  while ((code = va_arg (args, const char *)) != NULL)
    {
      int qty = va_arg (args, int);

      pdv_sale_draft_add_line (draft, code, qty);
      total += qty * pdv_test_price_of (f->catalog, code);
    }
  va_end (args);
  pdv_sale_draft_add_payment (draft, method, total, 0, method == PDV_PAYMENT_CARD ? "AUTH-1" : NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, user, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (result->sale_id);
}

static GPtrArray *
list (Fixture    *f,
      const char *filter,
      guint       limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = pdv_sale_history_list (f->db, filter, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static PdvSaleRecord *
record_at (GPtrArray *records,
           guint      index)
{
  g_assert_cmpuint (index, <, records->len);
  return g_ptr_array_index (records, index);
}

static PdvSaleRecord *
find_record (Fixture    *f,
             const char *sale_id)
{
  g_autoptr(GPtrArray) records = list (f, sale_id, 1);

  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (record_at (records, 0)->sale_id, ==, sale_id);
  return g_ptr_array_steal_index (records, 0);
}

static PdvSaleDetail *
get_detail (Fixture    *f,
            const char *sale_id)
{
  g_autoptr(GError) error = NULL;
  PdvSaleDetail *detail = pdv_sale_history_get_detail (f->db, sale_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (detail);
  return detail;
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) all = list (f, NULL, 0);
  g_autoptr(GPtrArray) filtered = list (f, "cerveja", 10);

  g_assert_cmpuint (all->len, ==, 0);
  g_assert_cmpuint (filtered->len, ==, 0);
}

static void
test_order_and_limit (Fixture       *f,
                      gconstpointer  data)
{
  char *ids[5] = { NULL };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) three = NULL;
  g_autoptr(PdvJournalEntry) note = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = sell (f, "ana", PDV_PAYMENT_CASH, "CERV-LATA-350", (int) i + 1, NULL);
  /* Other entries between sales are not sales. */
  {
    g_autoptr(json_t) payload = json_pack ("{s:s}", "text", "not a sale");

    note = pdv_journal_append (f->journal, "note", "ana", payload, NULL);
    g_assert_nonnull (note);
  }

  all = list (f, NULL, 0);
  g_assert_cmpuint (all->len, ==, 5);
  for (guint i = 0; i < all->len; i++)
    {
      /* Newest first. */
      g_assert_cmpstr (record_at (all, i)->sale_id, ==, ids[4 - i]);
      g_assert_cmpint (record_at (all, i)->n_items, ==, 5 - i);
      if (i > 0)
        g_assert_cmpint (record_at (all, i)->seq, <, record_at (all, i - 1)->seq);
    }

  three = list (f, NULL, 3);
  g_assert_cmpuint (three->len, ==, 3);
  g_assert_cmpstr (record_at (three, 0)->sale_id, ==, ids[4]);
  g_assert_cmpstr (record_at (three, 2)->sale_id, ==, ids[2]);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
test_record_fields (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(PdvSaleRecord) record = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  PdvMoney water = pdv_test_price_of (f->catalog, "SA-AGUA-500");

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
  pdv_sale_draft_add_line (draft, "SA-AGUA-500", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, 1000, 0, "AUTH-778");
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, 2 * beer + water - 1000, 5000, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_no_error (error);

  record = find_record (f, result->sale_id);
  g_assert_cmpint (record->seq, ==, result->seq);
  g_assert_cmpint (record->total, ==, 2 * beer + water);
  g_assert_cmpint (record->refunded, ==, 0);
  g_assert_false (record->voided);
  g_assert_cmpint (pdv_sale_record_get_refundable (record), ==, record->total);
  g_assert_cmpint (record->n_items, ==, 3);
  g_assert_cmpstr (record->user, ==, "ana");
  g_assert_cmpstr (record->user_name, ==, "Ana Souza");
  g_assert_cmpstr (record->summary, ==, "2× Cerveja Lata 350 ml, 1× Água Mineral 500 ml");
  g_assert_cmpuint (g_strv_length (record->methods), ==, 2);
  g_assert_cmpstr (record->methods[0], ==, "card");
  g_assert_cmpstr (record->methods[1], ==, "cash");

  created = g_date_time_new_from_iso8601 (record->created_at, NULL);
  g_assert_nonnull (created);
  g_assert_cmpint (ABS (g_date_time_difference (now, created)), <, 60 * G_USEC_PER_SEC);
}

static void
test_summary_trails_off (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = sell (f, NULL, PDV_PAYMENT_PIX,
                              "CERV-LATA-350", 1, "SA-AGUA-500", 2, "DRK-MOJITO", 1, "COM-PASTEL-CARNE", 3, NULL);
  g_autoptr(PdvSaleRecord) record = find_record (f, id);

  g_assert_cmpstr (record->summary, ==, "1× Cerveja Lata 350 ml, 2× Água Mineral 500 ml, 1× Mojito…");
  g_assert_null (strstr (record->summary, "Pastel"));
  g_assert_cmpint (record->n_items, ==, 7);
  g_assert_null (record->user);
  g_assert_null (record->user_name);
  g_assert_cmpstr (record->methods[0], ==, "pix");
  g_assert_null (record->methods[1]);
}

static void
test_filter (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *beer = sell (f, "ana", PDV_PAYMENT_CASH, "CERV-LATA-350", 2, NULL);
  g_autofree char *water = sell (f, "ana", PDV_PAYMENT_CASH, "SA-AGUA-500", 1, NULL);
  g_autofree char *both = sell (f, "bruno", PDV_PAYMENT_CARD, "CERV-LATAO-473", 1, "SA-AGUA-COCO-330", 1, NULL);
  g_autofree char *mojito = sell (f, "ana", PDV_PAYMENT_PIX, "DRK-MOJITO", 1, NULL);
  g_autofree char *prefix = g_ascii_strup (mojito, 8);
  g_autoptr(GPtrArray) agua = list (f, "agua", 0);
  g_autoptr(GPtrArray) agua_one = list (f, "  ÁGUA ", 1);
  g_autoptr(GPtrArray) cerveja = list (f, "Cerveja", 0);
  g_autoptr(GPtrArray) by_id = list (f, prefix, 0);
  g_autoptr(GPtrArray) nothing = list (f, "whisky", 0);
  g_autoptr(GPtrArray) blank = list (f, "   ", 0);

  /* A piece of a product's name, with or without accents and capitals. */
  g_assert_cmpuint (agua->len, ==, 2);
  g_assert_cmpstr (record_at (agua, 0)->sale_id, ==, both);
  g_assert_cmpstr (record_at (agua, 1)->sale_id, ==, water);
  /* The limit counts matches, newest first. */
  g_assert_cmpuint (agua_one->len, ==, 1);
  g_assert_cmpstr (record_at (agua_one, 0)->sale_id, ==, both);
  g_assert_cmpuint (cerveja->len, ==, 2);
  g_assert_cmpstr (record_at (cerveja, 0)->sale_id, ==, both);
  g_assert_cmpstr (record_at (cerveja, 1)->sale_id, ==, beer);
  /* The beginning of the sale's id, as on the receipt. */
  g_assert_cmpuint (by_id->len, ==, 1);
  g_assert_cmpstr (record_at (by_id, 0)->sale_id, ==, mojito);
  g_assert_cmpuint (nothing->len, ==, 0);
  /* Blank is no filter. */
  g_assert_cmpuint (blank->len, ==, 4);

  /* The number the receipt prints, whole or by its sequence alone. */
  {
    const PdvSaleRecord *record = record_at (by_id, 0);
    g_autofree char *number = pdv_sale_number ("Bar 1", record->seq);
    g_autofree char *lower = g_ascii_strdown (number, -1);
    g_autofree char *sequence = g_strdup_printf ("%" G_GINT64_FORMAT, record->seq);
    g_autoptr(GPtrArray) by_number = list (f, lower, 0);
    g_autoptr(GPtrArray) by_sequence = list (f, sequence, 0);

    g_assert_cmpstr (record->number, ==, number);
    g_assert_true (g_str_has_prefix (number, "BAR1-"));
    g_assert_cmpuint (by_number->len, ==, 1);
    g_assert_cmpstr (record_at (by_number, 0)->sale_id, ==, mojito);
    g_assert_cmpuint (by_sequence->len, >=, 1);
    g_assert_cmpstr (record_at (by_sequence, 0)->sale_id, ==, mojito);
  }
}

static void
test_void (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = sell (f, "ana", PDV_PAYMENT_CASH, "CERV-LATA-350", 1, NULL);
  g_autofree char *voided = sell (f, "ana", PDV_PAYMENT_CASH, "CERV-LATA-350", 2, NULL);
  g_autoptr(PdvSaleRecord) record = NULL;
  g_autoptr(PdvSaleRecord) kept_record = NULL;
  g_autoptr(PdvSaleDetail) detail = NULL;
  g_autoptr(PdvSaleDetail) kept_detail = NULL;
  g_autoptr(GPtrArray) all = NULL;
  const PdvSaleCorrection *correction;

  g_assert_true (pdv_sale_void_authorised (f->journal, voided, f->cashier, f->manager, "wrong beer", &error));
  g_assert_no_error (error);

  record = find_record (f, voided);
  g_assert_true (record->voided);
  g_assert_cmpint (record->refunded, ==, 0);
  g_assert_cmpint (pdv_sale_record_get_refundable (record), ==, 0);
  kept_record = find_record (f, kept);
  g_assert_false (kept_record->voided);
  g_assert_cmpint (pdv_sale_record_get_refundable (kept_record), ==, kept_record->total);

  /* A voided sale stays in the list, where it was. */
  all = list (f, NULL, 0);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (record_at (all, 0)->sale_id, ==, voided);

  detail = get_detail (f, voided);
  g_assert_true (detail->record->voided);
  g_assert_cmpstr (detail->voided_by, ==, "fernanda");
  g_assert_cmpuint (detail->corrections->len, ==, 1);
  correction = &g_array_index (detail->corrections, PdvSaleCorrection, 0);
  g_assert_cmpint (correction->kind, ==, PDV_SALE_CORRECTION_VOID);
  g_assert_cmpstr (correction->user, ==, "ana");
  g_assert_cmpstr (correction->authorised_by, ==, "fernanda");
  g_assert_cmpstr (correction->reason, ==, "wrong beer");
  g_assert_cmpint (correction->amount, ==, detail->record->total);
  g_assert_cmpint (correction->seq, >, detail->record->seq);
  g_assert_nonnull (correction->entry_id);
  g_assert_nonnull (correction->created_at);

  kept_detail = get_detail (f, kept);
  g_assert_cmpuint (kept_detail->corrections->len, ==, 0);
  g_assert_null (kept_detail->voided_by);
}

static void
test_refunds (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sale = sell (f, "ana", PDV_PAYMENT_CARD, "CERV-LATAO-473", 2, NULL);
  g_autofree char *other = sell (f, "ana", PDV_PAYMENT_CASH, "CERV-LATAO-473", 1, NULL);
  PdvMoney total = 2 * pdv_test_price_of (f->catalog, "CERV-LATAO-473");
  g_autoptr(PdvSaleRecord) record = NULL;
  g_autoptr(PdvSaleDetail) detail = NULL;
  const PdvSaleCorrection *first, *second;

  g_assert_true (pdv_sale_refund_authorised (f->journal, sale, 500, PDV_PAYMENT_CARD, f->cashier, f->manager,
                                             "warm", &error));
  g_assert_no_error (error);
  /* Another sale's refund is not this one's. */
  g_assert_true (pdv_sale_refund_authorised (f->journal, other, 100, PDV_PAYMENT_CASH, f->manager, NULL, NULL,
                                             &error));
  g_assert_no_error (error);
  g_assert_true (pdv_sale_refund_authorised (f->journal, sale, 300, PDV_PAYMENT_CASH, f->manager, NULL, NULL,
                                             &error));
  g_assert_no_error (error);

  record = find_record (f, sale);
  g_assert_false (record->voided);
  g_assert_cmpint (record->refunded, ==, 800);
  g_assert_cmpint (pdv_sale_record_get_refundable (record), ==, total - 800);

  detail = get_detail (f, sale);
  g_assert_cmpuint (detail->corrections->len, ==, 2);
  first = &g_array_index (detail->corrections, PdvSaleCorrection, 0);
  second = &g_array_index (detail->corrections, PdvSaleCorrection, 1);
  g_assert_cmpint (first->kind, ==, PDV_SALE_CORRECTION_REFUND);
  g_assert_cmpint (first->amount, ==, 500);
  g_assert_cmpint (first->method, ==, PDV_PAYMENT_CARD);
  g_assert_cmpstr (first->user, ==, "ana");
  g_assert_cmpstr (first->authorised_by, ==, "fernanda");
  g_assert_cmpstr (first->reason, ==, "warm");
  g_assert_cmpint (second->amount, ==, 300);
  g_assert_cmpint (second->method, ==, PDV_PAYMENT_CASH);
  g_assert_cmpstr (second->user, ==, "fernanda");
  g_assert_null (second->reason);
  g_assert_cmpint (second->seq, >, first->seq);
  g_assert_null (detail->voided_by);

  /* More than is left is refused, and the remainder stays as it was. */
  g_assert_false (pdv_sale_refund_authorised (f->journal, sale, total - 799, PDV_PAYMENT_CASH, f->manager, NULL,
                                              NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_REFUND_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&record, pdv_sale_record_free);
  record = find_record (f, sale);
  g_assert_cmpint (pdv_sale_record_get_refundable (record), ==, total - 800);

  /* Exactly what is left: nothing more to refund, and it is not voided. */
  g_assert_true (pdv_sale_refund_authorised (f->journal, sale, total - 800, PDV_PAYMENT_CASH, f->manager, NULL,
                                             NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&record, pdv_sale_record_free);
  record = find_record (f, sale);
  g_assert_cmpint (record->refunded, ==, total);
  g_assert_cmpint (pdv_sale_record_get_refundable (record), ==, 0);
  g_assert_false (record->voided);

  /* The history comes from the journal: the same after a rebuild. */
  g_assert_true (pdv_journal_rebuild (f->journal, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&record, pdv_sale_record_free);
  record = find_record (f, sale);
  g_assert_cmpint (record->refunded, ==, total);
}

static void
test_detail (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(PdvSaleDetail) detail = NULL;
  g_autoptr(PdvSaleDetail) missing = NULL;
  g_autoptr(GError) error = NULL;
  PdvMoney mojito = pdv_test_price_of (f->catalog, "DRK-MOJITO");
  PdvMoney water = pdv_test_price_of (f->catalog, "SA-AGUA-500");
  const PdvSaleRecordLine *line;
  const PdvSaleRecordPayment *payment;
  g_autofree char *manager = NULL;

  manager = pdv_authorise_manager (f->db, "8080", &error);
  g_assert_no_error (error);
  pdv_sale_draft_add_line (draft, "DRK-MOJITO", 2);
  pdv_sale_draft_add_line (draft, "SA-AGUA-500", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_VOUCHER, mojito, 0, "VIP-7");
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, mojito + water, 10000, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", manager, &error);
  g_assert_no_error (error);

  detail = get_detail (f, result->sale_id);
  g_assert_cmpstr (detail->record->sale_id, ==, result->sale_id);
  g_assert_cmpstr (detail->authorised_by, ==, "gustavo");
  g_assert_cmpint (detail->change, ==, 10000 - (mojito + water));

  g_assert_cmpuint (detail->lines->len, ==, 2);
  line = &g_array_index (detail->lines, PdvSaleRecordLine, 0);
  g_assert_cmpstr (line->product_id, ==, "DRK-MOJITO");
  g_assert_cmpstr (line->name, ==, "Mojito");
  g_assert_cmpint (line->qty, ==, 2);
  g_assert_cmpint (line->unit_price, ==, mojito);
  g_assert_cmpint (line->total, ==, 2 * mojito);

  g_assert_cmpuint (detail->payments->len, ==, 2);
  payment = &g_array_index (detail->payments, PdvSaleRecordPayment, 0);
  g_assert_cmpint (payment->method, ==, PDV_PAYMENT_VOUCHER);
  g_assert_cmpint (payment->amount, ==, mojito);
  g_assert_cmpstr (payment->reference, ==, "VIP-7");
  g_assert_cmpint (payment->change, ==, 0);
  payment = &g_array_index (detail->payments, PdvSaleRecordPayment, 1);
  g_assert_cmpint (payment->method, ==, PDV_PAYMENT_CASH);
  g_assert_cmpint (payment->tendered, ==, 10000);
  g_assert_cmpint (payment->change, ==, 10000 - (mojito + water));
  g_assert_null (payment->reference);

  missing = pdv_sale_history_get_detail (f->db, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_null (missing);
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNKNOWN_SALE);
}

/* A sale with a discount, as the journal holds it, shows what was taken
 * off and who allowed it; older sales have no discount. */
static void
test_discount (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) payload = pdv_test_payload ("{\"lines\": [{\"product\": \"DRK-MOJITO\", \"name\": \"Mojito\","
                                                " \"qty\": 1, \"unit_price\": 3000, \"total\": 3000, \"tracked\": false}],"
                                                " \"payments\": [{\"method\": \"cash\", \"amount\": 2700,"
                                                " \"tendered\": 2700, \"change\": 0}],"
                                                " \"total\": 2700, \"change\": 0, \"subtotal\": 3000,"
                                                " \"discount\": 300, \"discount_reason\": \"happy hour\","
                                                " \"discount_authorised_by\": \"gustavo\"}");
  g_autoptr(PdvJournalEntry) entry = pdv_journal_append (f->journal, "sale", "ana", payload, &error);
  g_autofree char *plain = sell (f, "ana", PDV_PAYMENT_CASH, "DRK-MOJITO", 1, NULL);
  g_autoptr(PdvSaleDetail) detail = NULL;
  g_autoptr(PdvSaleDetail) plain_detail = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (entry);
  detail = get_detail (f, entry->id);
  g_assert_cmpint (detail->record->total, ==, 2700);
  g_assert_cmpint (detail->discount, ==, 300);
  g_assert_cmpstr (detail->discount_reason, ==, "happy hour");
  g_assert_cmpstr (detail->discount_authorised_by, ==, "gustavo");
  g_assert_cmpint (pdv_sale_record_get_refundable (detail->record), ==, 2700);

  plain_detail = get_detail (f, plain);
  g_assert_cmpint (plain_detail->discount, ==, 0);
  g_assert_null (plain_detail->discount_reason);
  g_assert_null (plain_detail->discount_authorised_by);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sale-history/empty", test_empty);
  ADD ("/sale-history/order-and-limit", test_order_and_limit);
  ADD ("/sale-history/record-fields", test_record_fields);
  ADD ("/sale-history/summary-trails-off", test_summary_trails_off);
  ADD ("/sale-history/filter", test_filter);
  ADD ("/sale-history/void", test_void);
  ADD ("/sale-history/refunds", test_refunds);
  ADD ("/sale-history/detail", test_detail);
  ADD ("/sale-history/discount", test_discount);
#undef ADD

  return g_test_run ();
}

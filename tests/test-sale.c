/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
  PdvCatalog *catalog;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->journal = pdv_context_get_journal (f->context);
  f->catalog = pdv_context_get_catalog (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
stock_of (Fixture    *f,
          const char *id)
{
  g_autoptr(PdvProduct) product = pdv_catalog_lookup (f->catalog, id, NULL);

  if (product == NULL)
    g_error ("no product %s", id);
  return product->stock;
}

static PdvMoney
price_of (Fixture    *f,
          const char *id)
{
  g_autoptr(PdvProduct) product = pdv_catalog_lookup (f->catalog, id, NULL);

  if (product == NULL)
    g_error ("no product %s", id);
  return product->price;
}

static void
test_cash_with_change (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  PdvJournalEntry *entry;
  PdvMoney beer = price_of (f, "CERV-LATA-350");
  PdvMoney water = price_of (f, "SA-AGUA-500");
  gint64 beer_stock = stock_of (f, "CERV-LATA-350");

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 3);
  pdv_sale_draft_add_line (draft, "SA-AGUA-500", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, 3 * beer + water, 10000, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->total, ==, 3 * beer + water);
  g_assert_cmpint (result->change, ==, 10000 - (3 * beer + water));
  g_assert_cmpuint (g_strv_length (result->warnings), ==, 0);
  g_assert_cmpint (stock_of (f, "CERV-LATA-350"), ==, beer_stock - 3);

  entries = pdv_journal_list (f->journal, result->seq - 1, 1, &error);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->kind, ==, "sale");
  g_assert_cmpstr (entry->id, ==, result->sale_id);
  g_assert_cmpstr (entry->user, ==, "ana");
  g_assert_cmpint (json_integer_value (json_object_get (entry->payload, "total")), ==, result->total);
  g_assert_cmpuint (json_array_size (json_object_get (entry->payload, "lines")), ==, 2);
}

static void
test_split_payment (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdvMoney total = 2 * price_of (f, "CERV-LATA-350");

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, 1000, 0, "AUTH-778");
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_PIX, 500, 0, "TXID123");
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total - 1500, 2000, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->change, ==, 2000 - (total - 1500));
}

typedef struct {
  const char *name;
  int         code;
} Refusal;

static void
expect_refused (Fixture      *f,
                PdvSaleDraft *draft,
                const char   *authorised_by,
                int           code)
{
  g_autoptr(GError) error = NULL;
  gint64 last = pdv_journal_get_last_seq (f->journal);
  PdvSaleResult *result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", authorised_by, &error);

  g_assert_null (result);
  g_assert_error (error, PDV_SALE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  PdvMoney beer = price_of (f, "CERV-LATA-350");

  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CASH, 100, 0, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_EMPTY);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "NO-SUCH", 1);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CASH, 100, 0, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_UNKNOWN_PRODUCT);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "DRK-CAIPIROSKA-MOR", 1);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CASH, 100000, 0, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_INACTIVE_PRODUCT);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "CERV-LATA-350", 0);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CASH, beer, 0, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_INVALID_QUANTITY);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "CERV-LATA-350", 1);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_UNDERPAID);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "CERV-LATA-350", 1);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CARD, beer - 1, 0, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_UNDERPAID);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "CERV-LATA-350", 1);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CARD, beer + 1, 0, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_OVERPAID);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "CERV-LATA-350", 1);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CASH, beer, beer - 1, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_UNDERPAID);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "CERV-LATA-350", 1);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CARD, beer, beer + 500, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_INVALID_PAYMENT);
  }
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, "CERV-LATA-350", 1);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_VOUCHER, beer, 0, "CORTESIA");
    expect_refused (f, d, NULL, PDV_SALE_ERROR_NOT_AUTHORISED);
  }
  {
    /* Three lines of the same product count together against its stock. */
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    g_autoptr(GError) error = NULL;
    for (int i = 0; i < 3; i++)
      pdv_sale_draft_add_line (d, "CERV-LATA-350", 10000);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CARD, 30000 * beer, 0, NULL);
    g_assert_null (pdv_sale_commit (f->journal, f->catalog, d, "ana", NULL, &error));
    g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OUT_OF_STOCK);
  }
}

static void
test_voucher_with_manager (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *manager = pdv_authorise_manager (pdv_context_get_db (f->context), "9090", &error);
  g_autofree char *cashier = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (manager, ==, "fernanda");
  cashier = pdv_authorise_manager (pdv_context_get_db (f->context), "1111", &error);
  g_assert_null (cashier);
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_VOUCHER, price_of (f, "CERV-LATA-350"), 0, "CORTESIA-BANDA");
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", manager, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

static void
test_stock_policies (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = pdv_catalog_list_products (f->catalog, NULL, FALSE, NULL);
  PdvProduct *blocking = NULL, *warning = NULL;

  for (guint i = 0; i < products->len; i++)
    {
      PdvProduct *p = g_ptr_array_index (products, i);
      if (p->track_stock && p->stock_policy == PDV_STOCK_POLICY_BLOCK && blocking == NULL)
        blocking = p;
      if (p->track_stock && p->stock_policy == PDV_STOCK_POLICY_WARN && warning == NULL)
        warning = p;
    }
  g_assert_nonnull (blocking);
  g_assert_nonnull (warning);

  /* Block: one more than is left is refused, even split over two lines. */
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    pdv_sale_draft_add_line (d, blocking->id, blocking->stock);
    pdv_sale_draft_add_line (d, blocking->id, 1);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CARD, (blocking->stock + 1) * blocking->price, 0, NULL);
    expect_refused (f, d, NULL, PDV_SALE_ERROR_OUT_OF_STOCK);
    g_assert_cmpint (stock_of (f, blocking->id), ==, blocking->stock);
  }
  /* Exactly what is left sells, and leaves zero. */
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    g_autoptr(PdvSaleResult) r = NULL;
    pdv_sale_draft_add_line (d, blocking->id, blocking->stock);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CARD, blocking->stock * blocking->price, 0, NULL);
    r = pdv_sale_commit (f->journal, f->catalog, d, "ana", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (stock_of (f, blocking->id), ==, 0);
  }
  /* Warn: sells past zero, and says so. */
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    g_autoptr(PdvSaleResult) r = NULL;
    pdv_sale_draft_add_line (d, warning->id, warning->stock + 2);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CARD, (warning->stock + 2) * warning->price, 0, NULL);
    r = pdv_sale_commit (f->journal, f->catalog, d, "ana", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (r->warnings), ==, 1);
    g_assert_nonnull (strstr (r->warnings[0], warning->name));
    g_assert_cmpint (stock_of (f, warning->id), ==, -2);
  }
}

static char *
sell_beers (Fixture *f,
            int      n)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(GError) error = NULL;
  PdvSaleResult *result;
  char *id;

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", n);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, n * price_of (f, "CERV-LATA-350"), 0, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_no_error (error);
  id = g_strdup (result->sale_id);
  pdv_sale_result_free (result);
  return id;
}

static void
test_void_rules (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 before = stock_of (f, "CERV-LATA-350");
  g_autofree char *sale = sell_beers (f, 4);
  gint64 last;

  g_assert_cmpint (stock_of (f, "CERV-LATA-350"), ==, before - 4);

  g_assert_false (pdv_sale_void (f->journal, sale, "ana", "1111", "customer changed mind", &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);
  g_assert_false (pdv_sale_void (f->journal, sale, "ana", NULL, NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);

  g_assert_true (pdv_sale_void (f->journal, sale, "ana", "8080", "customer changed mind", &error));
  g_assert_no_error (error);
  g_assert_cmpint (stock_of (f, "CERV-LATA-350"), ==, before);

  last = pdv_journal_get_last_seq (f->journal);
  g_assert_false (pdv_sale_void (f->journal, sale, "ana", "8080", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_ALREADY_VOIDED);
  g_clear_error (&error);
  g_assert_false (pdv_sale_refund (f->journal, sale, 100, PDV_PAYMENT_CASH, "ana", "8080", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_ALREADY_VOIDED);
  g_clear_error (&error);
  g_assert_false (pdv_sale_void (f->journal, "00000000-0000-4000-8000-000000000000", "ana", "8080", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNKNOWN_SALE);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);

  /* The void is recorded with who authorised it. */
  {
    g_autoptr(GPtrArray) entries = pdv_journal_list (f->journal, last - 1, 1, NULL);
    PdvJournalEntry *entry = g_ptr_array_index (entries, 0);
    g_assert_cmpstr (entry->kind, ==, "sale.void");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authorised_by")), ==, "gustavo");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "sale_id")), ==, sale);
  }
}

static void
test_refund_rules (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sale = sell_beers (f, 2);
  PdvMoney total = 2 * price_of (f, "CERV-LATA-350");
  gint64 entries = 0;

  g_assert_true (pdv_sale_refund (f->journal, sale, 500, PDV_PAYMENT_CASH, "ana", "9090", "warm beer", &error));
  g_assert_no_error (error);
  g_assert_false (pdv_sale_refund (f->journal, sale, total - 499, PDV_PAYMENT_CASH, "ana", "9090", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_REFUND_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (pdv_sale_refund (f->journal, sale, 0, PDV_PAYMENT_CASH, "ana", "9090", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_PAYMENT);
  g_clear_error (&error);
  g_assert_true (pdv_sale_refund (f->journal, sale, total - 500, PDV_PAYMENT_CASH, "ana", "9090", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (pdv_sale_refund (f->journal, sale, 1, PDV_PAYMENT_CASH, "ana", "9090", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_REFUND_TOO_LARGE);
  g_clear_error (&error);
  /* A refunded sale is not voided on top. */
  g_assert_false (pdv_sale_void (f->journal, sale, "ana", "9090", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_ALREADY_VOIDED);
  g_clear_error (&error);

  /* The rules hold after a rebuild too: they come from the journal. */
  g_assert_true (pdv_journal_rebuild (f->journal, &entries, &error));
  g_assert_false (pdv_sale_refund (f->journal, sale, 1, PDV_PAYMENT_CASH, "ana", "9090", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_REFUND_TOO_LARGE);
}

/* The last @n entries' kinds, oldest first, joined by spaces. */
static char *
last_kinds (Fixture *f,
            guint    n)
{
  gint64 last = pdv_journal_get_last_seq (f->journal);
  g_autoptr(GPtrArray) entries = pdv_journal_list (f->journal, last - n, n, NULL);
  g_autoptr(GString) kinds = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    g_string_append_printf (kinds, "%s%s", i ? " " : "",
                            ((PdvJournalEntry *) g_ptr_array_index (entries, i))->kind);
  return g_string_free (g_steal_pointer (&kinds), FALSE);
}

static void
test_corrections_authorised (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) ana = pdv_user_new ("ana", "Ana", PDV_ROLE_CASHIER);
  g_autoptr(PdvUser) bruno = pdv_user_new ("bruno", "Bruno", PDV_ROLE_CASHIER);
  g_autoptr(PdvUser) fernanda = pdv_user_new ("fernanda", "Fernanda", PDV_ROLE_MANAGER);
  g_autofree char *first = sell_beers (f, 2);
  g_autofree char *second = sell_beers (f, 1);
  gint64 last = pdv_journal_get_last_seq (f->journal);
  g_autofree char *kinds = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  PdvJournalEntry *entry;

  /* A cashier alone, or with another cashier, may not. */
  g_assert_false (pdv_sale_void_authorised (f->journal, first, ana, NULL, NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);
  g_assert_false (pdv_sale_refund_authorised (f->journal, first, 100, PDV_PAYMENT_CASH, ana, bruno, NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);

  /* With a manager: the override and the refund, both users recorded. */
  g_assert_true (pdv_sale_refund_authorised (f->journal, first, 100, PDV_PAYMENT_CARD, ana, fernanda, "warm",
                                             &error));
  g_assert_no_error (error);
  kinds = last_kinds (f, 2);
  g_assert_cmpstr (kinds, ==, "auth.override sale.refund");
  entries = pdv_journal_list (f->journal, last, 2, NULL);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "action")), ==, "refund");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "operator")), ==, "ana");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authoriser")), ==, "fernanda");
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->user, ==, "ana");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authorised_by")), ==, "fernanda");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "method")), ==, "card");
  g_assert_cmpint (json_integer_value (json_object_get (entry->payload, "amount")), ==, 100);

  /* A manager at the terminal needs nobody else and no override. */
  last = pdv_journal_get_last_seq (f->journal);
  g_assert_true (pdv_sale_void_authorised (f->journal, second, fernanda, NULL, "wrong beer", &error));
  g_assert_no_error (error);
  g_clear_pointer (&kinds, g_free);
  kinds = last_kinds (f, 1);
  g_assert_cmpstr (kinds, ==, "sale.void");
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last + 1);

  /* The same rules as with a PIN. */
  g_assert_false (pdv_sale_void_authorised (f->journal, second, ana, fernanda, NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_ALREADY_VOIDED);
  g_clear_error (&error);
  g_assert_false (pdv_sale_refund_authorised (f->journal, first, 0, PDV_PAYMENT_CASH, ana, fernanda, NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_PAYMENT);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sale/cash-with-change", test_cash_with_change);
  ADD ("/sale/split-payment", test_split_payment);
  ADD ("/sale/refusals", test_refusals);
  ADD ("/sale/voucher-needs-manager", test_voucher_with_manager);
  ADD ("/sale/stock-policies", test_stock_policies);
  ADD ("/sale/void-rules", test_void_rules);
  ADD ("/sale/refund-rules", test_refund_rules);
  ADD ("/sale/corrections-authorised", test_corrections_authorised);
#undef ADD

  return g_test_run ();
}

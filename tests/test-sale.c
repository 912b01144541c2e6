/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-db-private.h"
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

static void
test_cash_with_change (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  PdvJournalEntry *entry;
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  PdvMoney water = pdv_test_price_of (f->catalog, "SA-AGUA-500");
  gint64 beer_stock = pdv_test_stock_of (f->catalog, "CERV-LATA-350");

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 3);
  pdv_sale_draft_add_line (draft, "SA-AGUA-500", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, 3 * beer + water, 10000, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->total, ==, 3 * beer + water);
  g_assert_cmpint (result->change, ==, 10000 - (3 * beer + water));
  g_assert_cmpuint (g_strv_length (result->warnings), ==, 0);
  g_assert_cmpint (pdv_test_stock_of (f->catalog, "CERV-LATA-350"), ==, beer_stock - 3);

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
  PdvMoney total = 2 * pdv_test_price_of (f->catalog, "CERV-LATA-350");

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
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");

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
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_VOUCHER, pdv_test_price_of (f->catalog, "CERV-LATA-350"), 0,
                              "CORTESIA-BANDA");
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
  g_autoptr(json_t) event = pdv_context_dup_event (f->context);
  PdvProduct *blocking = NULL, *warning = NULL;

  for (guint i = 0; i < products->len; i++)
    {
      PdvProduct *p = g_ptr_array_index (products, i);
      /* The whole stock in one sale: not of a product that hands over a
       * ficha per unit (a sale prints at most 200). */
      if (p->track_stock && p->stock_policy == PDV_STOCK_POLICY_BLOCK && blocking == NULL &&
          !pdv_ficha_event_issues (event, p->id))
        blocking = p;
      if (p->track_stock && p->stock_policy == PDV_STOCK_POLICY_WARN && warning == NULL &&
          !pdv_ficha_event_issues (event, p->id))
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
    g_assert_cmpint (pdv_test_stock_of (f->catalog, blocking->id), ==, blocking->stock);
  }
  /* Exactly what is left sells, and leaves zero. */
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    g_autoptr(PdvSaleResult) r = NULL;
    pdv_sale_draft_add_line (d, blocking->id, blocking->stock);
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CARD, blocking->stock * blocking->price, 0, NULL);
    r = pdv_sale_commit (f->journal, f->catalog, d, "ana", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (pdv_test_stock_of (f->catalog, blocking->id), ==, 0);
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
    g_assert_cmpint (pdv_test_stock_of (f->catalog, warning->id), ==, -2);
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
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, n * pdv_test_price_of (f->catalog, "CERV-LATA-350"), 0,
                              NULL);
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
  gint64 before = pdv_test_stock_of (f->catalog, "CERV-LATA-350");
  g_autofree char *sale = sell_beers (f, 4);
  gint64 last;

  g_assert_cmpint (pdv_test_stock_of (f->catalog, "CERV-LATA-350"), ==, before - 4);

  g_assert_false (pdv_sale_void (f->journal, sale, "ana", "1111", "customer changed mind", &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);
  g_assert_false (pdv_sale_void (f->journal, sale, "ana", NULL, NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);

  g_assert_true (pdv_sale_void (f->journal, sale, "ana", "8080", "customer changed mind", &error));
  g_assert_no_error (error);
  g_assert_cmpint (pdv_test_stock_of (f->catalog, "CERV-LATA-350"), ==, before);

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
  PdvMoney total = 2 * pdv_test_price_of (f->catalog, "CERV-LATA-350");
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

/* A sale of @qty beers with a discount, paid in cash to the centavo. */
static PdvSaleResult *
sell_discounted (Fixture          *f,
                 const char       *user,
                 gint64            qty,
                 PdvDiscountKind   kind,
                 gint64            value,
                 const char       *reason,
                 const char       *authorised_by,
                 GError          **error)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  PdvMoney total = 0;

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", qty);
  if (!pdv_sale_draft_set_discount (draft, kind, value, reason, authorised_by, error))
    return NULL;
  /* What the commit would refuse is for it to refuse. */
  if (!pdv_sale_draft_total (draft, f->catalog, &total, NULL))
    total = qty * pdv_test_price_of (f->catalog, "CERV-LATA-350");
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total, 0, NULL);
  return pdv_sale_commit (f->journal, f->catalog, draft, user, NULL, error);
}

static const char *
payload_text (const PdvJournalEntry *entry,
              const char            *key)
{
  return json_string_value (json_object_get (entry->payload, key));
}

static gint64
payload_int (const PdvJournalEntry *entry,
             const char            *key)
{
  json_t *value = json_object_get (entry->payload, key);

  g_assert_true (json_is_integer (value));
  return json_integer_value (value);
}

/* A cashier's discount of an amount, with the manager who allowed it: the
 * override and the sale, both users recorded; the lines and the stock at
 * full price, the sale's total what was paid. */
static void
test_discount_amount (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(PdvJournalEntry) override = NULL;
  g_autoptr(PdvJournalEntry) sale = NULL;
  g_autofree char *kinds = NULL;
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  gint64 stock = pdv_test_stock_of (f->catalog, "CERV-LATA-350");
  gint64 last = pdv_journal_get_last_seq (f->journal);
  json_t *line;

  result = sell_discounted (f, "ana", 3, PDV_DISCOUNT_AMOUNT, 500, "  Cliente da casa  ", "fernanda", &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->subtotal, ==, 3 * beer);
  g_assert_cmpint (result->discount, ==, 500);
  g_assert_cmpint (result->total, ==, 3 * beer - 500);
  g_assert_cmpint (pdv_test_stock_of (f->catalog, "CERV-LATA-350"), ==, stock - 3);

  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last + 2);
  kinds = last_kinds (f, 2);
  g_assert_cmpstr (kinds, ==, "auth.override sale");
  override = pdv_test_journal_entry_at (f->journal, last + 1);
  g_assert_cmpstr (override->user, ==, "ana");
  g_assert_cmpstr (payload_text (override, "action"), ==, "discount");
  g_assert_cmpstr (payload_text (override, "operator"), ==, "ana");
  g_assert_cmpstr (payload_text (override, "authoriser"), ==, "fernanda");

  sale = pdv_test_journal_entry_at (f->journal, last + 2);
  g_assert_cmpstr (sale->id, ==, result->sale_id);
  g_assert_cmpstr (sale->user, ==, "ana");
  g_assert_cmpint (payload_int (sale, "subtotal"), ==, 3 * beer);
  g_assert_cmpint (payload_int (sale, "discount"), ==, 500);
  g_assert_cmpint (payload_int (sale, "total"), ==, 3 * beer - 500);
  g_assert_cmpstr (payload_text (sale, "discount_reason"), ==, "Cliente da casa");
  g_assert_cmpstr (payload_text (sale, "discount_authorised_by"), ==, "fernanda");
  g_assert_null (json_object_get (sale->payload, "discount_percent_bp"));
  /* The voucher's field stays the voucher's. */
  g_assert_null (json_object_get (sale->payload, "authorised_by"));
  line = json_array_get (json_object_get (sale->payload, "lines"), 0);
  g_assert_cmpint (json_integer_value (json_object_get (line, "total")), ==, 3 * beer);
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (json_object_get (sale->payload, "payments"), 0),
                                                        "amount")), ==, 3 * beer - 500);

  /* What was paid is what can come back. */
  g_assert_false (pdv_sale_refund (f->journal, result->sale_id, 3 * beer - 499, PDV_PAYMENT_CASH, "ana", "9090",
                                   NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_REFUND_TOO_LARGE);
  g_clear_error (&error);
  g_assert_true (pdv_sale_refund (f->journal, result->sale_id, 3 * beer - 500, PDV_PAYMENT_CASH, "ana", "9090",
                                  NULL, &error));
  g_assert_no_error (error);
}

/* Half a centavo and more rounds up, less rounds down. */
static void
test_discount_percent_rounding (Fixture       *f,
                                gconstpointer  data)
{
  static const struct {
    gint64   basis_points;
    PdvMoney subtotal;
    PdvMoney expected;
  } cases[] = {
    { 1000, 1235, 124 },       /* 123,5 */
    { 1000, 1234, 123 },       /* 123,4 */
    { 1000, 1236, 124 },       /* 123,6 */
    { 1250, 1000, 125 },
    { 3333, 100, 33 },         /* 33,33 */
    { 100, 50, 1 },            /* 0,5 */
    { 100, 49, 0 },            /* 0,49 */
    { 9999, 10000, 9999 },
    { 5000, 3, 2 },            /* 1,5 */
    { 1500, G_MAXINT64 / 2, (G_MAXINT64 / 2 / 10000) * 1500 + ((G_MAXINT64 / 2 % 10000) * 1500 + 5000) / 10000 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(PdvJournalEntry) sale = NULL;
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  PdvMoney subtotal, discount, total;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PdvMoney computed = -1;

      g_assert_true (pdv_discount_compute (PDV_DISCOUNT_PERCENT, cases[i].basis_points, cases[i].subtotal,
                                           &computed, &error));
      g_assert_no_error (error);
      g_assert_cmpint (computed, ==, cases[i].expected);
    }

  /* Priced and committed the same way: 7 % of three beers. */
  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 3);
  g_assert_true (pdv_sale_draft_set_discount (draft, PDV_DISCOUNT_PERCENT, 700, NULL, "gustavo", &error));
  g_assert_true (pdv_sale_draft_get_amounts (draft, f->catalog, &subtotal, &discount, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpint (subtotal, ==, 3 * beer);
  g_assert_cmpint (discount, ==, (3 * beer * 7 + 50) / 100);
  g_assert_cmpint (total, ==, subtotal - discount);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, total, 0, "AUTH-1");
  result = pdv_sale_commit (f->journal, f->catalog, draft, "bruno", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->total, ==, total);
  sale = pdv_test_journal_entry_at (f->journal, result->seq);
  g_assert_cmpint (payload_int (sale, "discount"), ==, discount);
  g_assert_cmpint (payload_int (sale, "discount_percent_bp"), ==, 700);
  g_assert_null (json_object_get (sale->payload, "discount_reason"));
  g_assert_cmpstr (payload_text (sale, "discount_authorised_by"), ==, "gustavo");
}

static void
expect_discount_refused (Fixture         *f,
                         PdvDiscountKind  kind,
                         gint64           value,
                         const char      *authorised_by,
                         int              code)
{
  g_autoptr(GError) error = NULL;
  gint64 last = pdv_journal_get_last_seq (f->journal);
  PdvSaleResult *result = sell_discounted (f, "ana", 2, kind, value, NULL, authorised_by, &error);

  g_assert_null (result);
  g_assert_error (error, PDV_SALE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);
}

/* Nothing negative, nothing that leaves nothing to pay, nothing nobody
 * allowed: refused, and nothing journalled. */
static void
test_discount_refusals (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  PdvMoney two_beers = 2 * pdv_test_price_of (f->catalog, "CERV-LATA-350");
  PdvMoney total = 0;

  expect_discount_refused (f, PDV_DISCOUNT_AMOUNT, -100, "fernanda", PDV_SALE_ERROR_INVALID_DISCOUNT);
  expect_discount_refused (f, PDV_DISCOUNT_AMOUNT, 0, "fernanda", PDV_SALE_ERROR_INVALID_DISCOUNT);
  expect_discount_refused (f, PDV_DISCOUNT_PERCENT, -1000, "fernanda", PDV_SALE_ERROR_INVALID_DISCOUNT);
  expect_discount_refused (f, PDV_DISCOUNT_PERCENT, 10000, "fernanda", PDV_SALE_ERROR_INVALID_DISCOUNT);
  expect_discount_refused (f, PDV_DISCOUNT_NONE, 100, "fernanda", PDV_SALE_ERROR_INVALID_DISCOUNT);
  expect_discount_refused (f, PDV_DISCOUNT_AMOUNT, two_beers, "fernanda", PDV_SALE_ERROR_DISCOUNT_TOO_LARGE);
  expect_discount_refused (f, PDV_DISCOUNT_AMOUNT, two_beers + 1, "fernanda", PDV_SALE_ERROR_DISCOUNT_TOO_LARGE);
  /* 99,99 % of R$ 24,00 rounds to all of it. */
  expect_discount_refused (f, PDV_DISCOUNT_PERCENT, 9999, "fernanda", PDV_SALE_ERROR_DISCOUNT_TOO_LARGE);

  /* A cashier alone, another cashier, a door keeper, nobody at all, or
   * someone this terminal does not know. */
  expect_discount_refused (f, PDV_DISCOUNT_AMOUNT, 100, NULL, PDV_SALE_ERROR_NOT_AUTHORISED);
  expect_discount_refused (f, PDV_DISCOUNT_AMOUNT, 100, "bruno", PDV_SALE_ERROR_NOT_AUTHORISED);
  expect_discount_refused (f, PDV_DISCOUNT_PERCENT, 1000, "diego", PDV_SALE_ERROR_NOT_AUTHORISED);
  expect_discount_refused (f, PDV_DISCOUNT_PERCENT, 1000, "nobody", PDV_SALE_ERROR_NOT_AUTHORISED);
  {
    g_autoptr(PdvSaleDraft) d = pdv_sale_draft_new ();
    gint64 last = pdv_journal_get_last_seq (f->journal);

    pdv_sale_draft_add_line (d, "CERV-LATA-350", 2);
    g_assert_true (pdv_sale_draft_set_discount (d, PDV_DISCOUNT_AMOUNT, 100, NULL, NULL, &error));
    pdv_sale_draft_add_payment (d, PDV_PAYMENT_CASH, two_beers - 100, 0, NULL);
    g_assert_null (pdv_sale_commit (f->journal, f->catalog, d, NULL, NULL, &error));
    g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
    g_clear_error (&error);
    g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);
  }

  /* Pricing says so before any money is taken; clearing the discount
   * prices the lines again. */
  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
  g_assert_true (pdv_sale_draft_set_discount (draft, PDV_DISCOUNT_AMOUNT, two_beers, NULL, "fernanda", &error));
  g_assert_false (pdv_sale_draft_total (draft, f->catalog, &total, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_DISCOUNT_TOO_LARGE);
  g_clear_error (&error);
  pdv_sale_draft_clear_discount (draft);
  g_assert_true (pdv_sale_draft_total (draft, f->catalog, &total, &error));
  g_assert_cmpint (total, ==, two_beers);
  /* A refused discount leaves the one before it. */
  g_assert_true (pdv_sale_draft_set_discount (draft, PDV_DISCOUNT_AMOUNT, 100, NULL, "fernanda", &error));
  g_assert_false (pdv_sale_draft_set_discount (draft, PDV_DISCOUNT_AMOUNT, -5, NULL, "fernanda", &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_DISCOUNT);
  g_clear_error (&error);
  g_assert_true (pdv_sale_draft_total (draft, f->catalog, &total, &error));
  g_assert_cmpint (total, ==, two_beers - 100);
}

/* A manager gives one on their own authority: no override. With a courtesy
 * too, each keeps its own authoriser. */
static void
test_discount_by_manager (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(PdvSaleResult) mixed = NULL;
  g_autoptr(PdvJournalEntry) sale = NULL;
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autofree char *kinds = NULL;
  g_autofree char *mixed_kinds = NULL;
  gint64 last = pdv_journal_get_last_seq (f->journal);
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");

  result = sell_discounted (f, "fernanda", 2, PDV_DISCOUNT_PERCENT, 1000, "Equipe", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last + 1);
  kinds = last_kinds (f, 1);
  g_assert_cmpstr (kinds, ==, "sale");
  sale = pdv_test_journal_entry_at (f->journal, result->seq);
  g_assert_cmpstr (payload_text (sale, "discount_authorised_by"), ==, "fernanda");

  /* Naming themselves is the same. */
  g_clear_pointer (&result, pdv_sale_result_free);
  result = sell_discounted (f, "gustavo", 1, PDV_DISCOUNT_AMOUNT, 100, NULL, "gustavo", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last + 2);

  last = pdv_journal_get_last_seq (f->journal);
  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 4);
  g_assert_true (pdv_sale_draft_set_discount (draft, PDV_DISCOUNT_AMOUNT, 200, NULL, "fernanda", &error));
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_VOUCHER, beer, 0, "CORTESIA");
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, 3 * beer - 200, 0, NULL);
  mixed = pdv_sale_commit (f->journal, f->catalog, draft, "ana", "gustavo", &error);
  g_assert_no_error (error);
  mixed_kinds = last_kinds (f, 3);
  g_assert_cmpstr (mixed_kinds, ==, "auth.override auth.override sale");
  g_clear_pointer (&sale, pdv_journal_entry_free);
  sale = pdv_test_journal_entry_at (f->journal, mixed->seq);
  g_assert_cmpstr (payload_text (sale, "authorised_by"), ==, "gustavo");
  g_assert_cmpstr (payload_text (sale, "discount_authorised_by"), ==, "fernanda");
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last + 3);
}

/* "10%", "12,5 %", "5,00": what pdvctl and the dialog accept. */
static void
test_discount_parse (void)
{
  static const struct {
    const char      *text;
    PdvDiscountKind  kind;
    gint64           value;
  } good[] = {
    { "10%", PDV_DISCOUNT_PERCENT, 1000 },
    { " 12,5 % ", PDV_DISCOUNT_PERCENT, 1250 },
    { "12.55%", PDV_DISCOUNT_PERCENT, 1255 },
    { "0,5%", PDV_DISCOUNT_PERCENT, 50 },
    { "5,00", PDV_DISCOUNT_AMOUNT, 500 },
    { "R$ 7", PDV_DISCOUNT_AMOUNT, 700 },
  };
  static const char * const bad[] = { "", "%", "abc%", "10,%", "1,234%", "100%", "0%", "-5", "0", "dez", "5%%" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      PdvDiscountKind kind = PDV_DISCOUNT_NONE;
      gint64 value = 0;

      g_assert_true (pdv_discount_parse (good[i].text, &kind, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpint (kind, ==, good[i].kind);
      g_assert_cmpint (value, ==, good[i].value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      PdvDiscountKind kind;
      gint64 value;

      g_test_message ("%s", bad[i]);
      g_assert_false (pdv_discount_parse (bad[i], &kind, &value, &error));
      g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_DISCOUNT);
    }

  {
    g_autofree char *whole = pdv_discount_format_percent (1000);
    g_autofree char *half = pdv_discount_format_percent (1250);
    g_autofree char *fine = pdv_discount_format_percent (1255);

    g_assert_cmpstr (whole, ==, "10%");
    g_assert_cmpstr (half, ==, "12.5%");
    g_assert_cmpstr (fine, ==, "12.55%");
  }
}

static const PdvReportRow *
find_correction (PdvReport  *report,
                 const char *kind,
                 const char *label)
{
  for (guint i = 0; i < report->corrections->len; i++)
    {
      const PdvReportRow *row = g_ptr_array_index (report->corrections, i);

      if (g_strcmp0 (row->key, kind) == 0 && g_strcmp0 (row->label, label) == 0)
        return row;
    }
  return NULL;
}

/* The X report counts discounts and says who allowed them, separately from
 * the courtesies given in the same sales; a rebuild agrees. */
static void
test_discount_report (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) manager = pdv_user_new ("fernanda", "Fernanda Lima", PDV_ROLE_MANAGER);
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  gint64 entries = 0;

  pdv_sale_result_free (sell_discounted (f, "ana", 2, PDV_DISCOUNT_AMOUNT, 300, NULL, "fernanda", &error));
  pdv_sale_result_free (sell_discounted (f, "bruno", 1, PDV_DISCOUNT_AMOUNT, 200, NULL, "fernanda", &error));
  pdv_sale_result_free (sell_discounted (f, "ana", 5, PDV_DISCOUNT_AMOUNT, 400, NULL, "gustavo", &error));
  g_free (sell_beers (f, 1));
  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
  g_assert_true (pdv_sale_draft_set_discount (draft, PDV_DISCOUNT_AMOUNT, 100, NULL, "fernanda", &error));
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_VOUCHER, beer - 100, 0, NULL);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, beer, 0, NULL);
  pdv_sale_result_free (pdv_sale_commit (f->journal, f->catalog, draft, "ana", "gustavo", &error));
  g_assert_no_error (error);

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(PdvReport) x = pdv_report_new_x (pdv_context_get_db (f->context), manager, &error);
      g_autofree char *text = NULL;
      const PdvReportRow *row;

      g_assert_no_error (error);
      g_assert_cmpint (x->sales_count, ==, 5);
      g_assert_cmpint (x->sales_total, ==, 11 * beer - 1000);
      g_assert_cmpint (x->discounts_count, ==, 4);
      g_assert_cmpint (x->discounts_total, ==, 1000);
      row = find_correction (x, "discount", "Fernanda Lima");
      g_assert_nonnull (row);
      g_assert_cmpint (row->count, ==, 3);
      g_assert_cmpint (row->amount, ==, 600);
      row = find_correction (x, "discount", "Gustavo Araújo");
      g_assert_nonnull (row);
      g_assert_cmpint (row->count, ==, 1);
      g_assert_cmpint (row->amount, ==, 400);
      row = find_correction (x, "courtesy", "Gustavo Araújo");
      g_assert_nonnull (row);
      g_assert_cmpint (row->amount, ==, beer - 100);
      g_assert_null (find_correction (x, "courtesy", "Fernanda Lima"));

      text = pdv_report_render_text (x, PDV_PAPER_80MM);
      g_test_message ("%s", text);
      g_assert_nonnull (strstr (text, "Discounts given"));
      g_assert_nonnull (strstr (text, "Discounts — Fernanda Lima"));

      g_assert_true (pdv_journal_rebuild (f->journal, &entries, &error));
      g_assert_no_error (error);
    }
}

static PdvUser *
find_user (Fixture    *f,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  PdvUser *user = NULL;

  g_assert_true (pdv_auth_find_user (pdv_context_get_db (f->context), id, &user, &error));
  g_assert_no_error (error);
  return user;
}

/* A card payment taken before the rest is journalled at once, listed as an
 * open sale from a fresh connection (as after a crash), and completed by the
 * sale, which must carry it. */
static void
test_open_sale_recovered (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(PdvContext) again = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *path = g_strdup (pdv_db_get_path (pdv_context_get_db (f->context)));
  g_autofree char *described = NULL;
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  PdvMoney total = 3 * beer;
  PdvOpenSale *sale;
  gint64 entries_before, entries_after;

  {
    g_autoptr(PdvUser) manager = find_user (f, "fernanda");
    PdvCashCount float_count = { .loose = 10000 };

    g_assert_cmpint (pdv_shift_open (f->journal, manager, NULL, &float_count, &error), >, 0);
    g_assert_no_error (error);
  }
  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 3);
  g_assert_true (pdv_sale_take_payment (f->journal, f->catalog, draft, PDV_PAYMENT_CARD, PDV_CARD_CREDIT, 1000, 0, "AUTH-1",
                                        "ana", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pdv_sale_take_payment (f->journal, f->catalog, draft, PDV_PAYMENT_PIX, PDV_CARD_UNSPECIFIED, 500, 0, "TX1",
                                        "ana", NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (pdv_sale_draft_get_open_id (draft));
  g_assert_cmpint (pdv_sale_draft_get_paid (draft), ==, 1500);

  /* More than is due is refused, and journals nothing. */
  entries_before = pdv_journal_get_last_seq (f->journal);
  g_assert_false (pdv_sale_take_payment (f->journal, f->catalog, draft, PDV_PAYMENT_CARD, PDV_CARD_DEBIT, total, 0, NULL,
                                         "ana", NULL, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OVERPAID);
  g_clear_error (&error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, entries_before);

  /* Seen from another connection, as a restarted terminal would. */
  again = pdv_context_open (path, &error);
  g_assert_no_error (error);
  open = pdv_open_sales_list (pdv_context_get_db (again), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  sale = g_ptr_array_index (open, 0);
  g_assert_cmpstr (sale->id, ==, pdv_sale_draft_get_open_id (draft));
  g_assert_cmpstr (sale->user, ==, "ana");
  g_assert_cmpint (sale->paid, ==, 1500);
  g_assert_cmpuint (pdv_sale_draft_get_lines (sale->draft)->len, ==, 1);
  described = pdv_open_sale_describe_payments (sale);
  g_assert_nonnull (strstr (described, "PIX"));

  /* A shift cannot close over it. */
  {
    g_autoptr(PdvUser) manager = find_user (f, "fernanda");
    g_autoptr(PdvShiftCloseResult) closed = NULL;
    PdvCashCount count = { .loose = 1500 };

    closed = pdv_shift_close (f->journal, manager, NULL, &count, &error);
    g_assert_null (closed);
    g_assert_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_SALE_OPEN);
    g_clear_error (&error);
  }

  /* The sale that completes it must carry both payments as taken. */
  {
    g_autoptr(PdvSaleResult) refused = NULL;

    /* Not yet paid in full. */
    refused = pdv_sale_commit (f->journal, f->catalog, sale->draft, "ana", NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNDERPAID);
    g_clear_error (&error);
  }
  pdv_sale_draft_add_payment (sale->draft, PDV_PAYMENT_CASH, total - 1500, 5000, NULL);
  result = pdv_sale_commit (pdv_context_get_journal (again), pdv_context_get_catalog (again), sale->draft, "bruno",
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->total, ==, total);
  entries_after = pdv_journal_get_last_seq (f->journal);
  entries = pdv_journal_list (f->journal, entries_after - 1, 1, &error);
  {
    PdvJournalEntry *entry = g_ptr_array_index (entries, 0);
    json_t *payments = json_object_get (entry->payload, "payments");

    g_assert_cmpstr (entry->kind, ==, "sale");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "open_sale")), ==, sale->id);
    g_assert_cmpuint (json_array_size (payments), ==, 3);
    g_assert_nonnull (json_string_value (json_object_get (json_array_get (payments, 0), "id")));
  }
  g_assert_cmpint (pdv_open_sales_count (pdv_context_get_db (f->context), &error), ==, 0);

  /* The draft still in the first window can no longer complete it. */
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total - 1500, 0, NULL);
  g_clear_pointer (&result, pdv_sale_result_free);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OPEN_SALE);
  g_clear_error (&error);

  /* The projection is rebuilt from the journal alike. */
  g_assert_true (pdv_journal_rebuild (f->journal, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pdv_open_sales_count (pdv_context_get_db (f->context), &error), ==, 0);
}

/* Handing a payment back, and giving up a sale: cash alone needs nobody,
 * a card payment needs a manager; both are journalled. */
static void
test_open_sale_abandoned (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) cashier = find_user (f, "ana");
  g_autoptr(PdvUser) manager = find_user (f, "fernanda");
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  PdvJournalEntry *entry;

  {
    g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();

    pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
    g_assert_true (pdv_sale_take_payment (f->journal, f->catalog, draft, PDV_PAYMENT_CASH, PDV_CARD_UNSPECIFIED, 500, 0, NULL, "ana",
                                          NULL, &error));
    g_assert_true (pdv_sale_take_payment (f->journal, f->catalog, draft, PDV_PAYMENT_CARD, PDV_CARD_DEBIT, 300, 0, NULL, "ana",
                                          NULL, &error));
    g_assert_no_error (error);
    /* The card payment reversed: the sale holds the cash alone. */
    g_assert_true (pdv_sale_cancel_payment (f->journal, draft, 1, "ana", &error));
    g_assert_no_error (error);
    open = pdv_open_sales_list (pdv_context_get_db (f->context), &error);
    g_assert_cmpuint (open->len, ==, 1);
    g_assert_cmpint (((PdvOpenSale *) g_ptr_array_index (open, 0))->paid, ==, 500);
    g_assert_false (pdv_open_sale_needs_authoriser (g_ptr_array_index (open, 0)));
    g_assert_false (pdv_open_sale_abandon (f->journal, pdv_sale_draft_get_open_id (draft), cashier, NULL, "",
                                           &error));
    g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OPEN_SALE);
    g_clear_error (&error);
    g_assert_true (pdv_open_sale_abandon (f->journal, pdv_sale_draft_get_open_id (draft), cashier, NULL,
                                          "customer changed their mind", &error));
    g_assert_no_error (error);
    g_clear_pointer (&open, g_ptr_array_unref);
  }

  {
    g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();

    pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
    g_assert_true (pdv_sale_take_payment (f->journal, f->catalog, draft, PDV_PAYMENT_CARD, PDV_CARD_DEBIT, 300, 0, NULL, "ana",
                                          NULL, &error));
    g_assert_no_error (error);
    g_assert_false (pdv_open_sale_abandon (f->journal, pdv_sale_draft_get_open_id (draft), cashier, NULL,
                                           "card declined later", &error));
    g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED);
    g_clear_error (&error);
    g_assert_true (pdv_open_sale_abandon (f->journal, pdv_sale_draft_get_open_id (draft), cashier, manager,
                                          "card declined later", &error));
    g_assert_no_error (error);
    entries = pdv_journal_list (f->journal, pdv_journal_get_last_seq (f->journal) - 1, 1, &error);
    entry = g_ptr_array_index (entries, 0);
    g_assert_cmpstr (entry->kind, ==, "sale.abandon");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "authorised_by")), ==, "fernanda");
    g_assert_cmpint (json_integer_value (json_object_get (entry->payload, "paid")), ==, 300);
  }
  g_assert_cmpint (pdv_open_sales_count (pdv_context_get_db (f->context), &error), ==, 0);
}

/* A combo takes its parts out of stock, a void puts them back, and a part
 * that may not be oversold refuses the combo too. */
static void
test_combo_takes_components (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvUser) manager = find_user (f, "fernanda");
  gint64 long_necks = pdv_test_stock_of (f->catalog, "CERV-LONG-330");
  PdvMoney balde = pdv_test_price_of (f->catalog, "CMB-BALDE-6-LONG");
  PdvMoney long_neck = pdv_test_price_of (f->catalog, "CERV-LONG-330");
  g_autoptr(PdvJournalEntry) entry = NULL;
  json_t *components;

  /* Two buckets and a loose long neck: 13 out of stock. */
  pdv_sale_draft_add_line (draft, "CMB-BALDE-6-LONG", 2);
  pdv_sale_draft_add_line (draft, "CERV-LONG-330", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, 2 * balde + long_neck, 0, NULL);
  result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdv_test_stock_of (f->catalog, "CERV-LONG-330"), ==, long_necks - 13);
  entry = pdv_test_journal_last_entry (f->journal);
  components = json_object_get (json_array_get (json_object_get (entry->payload, "lines"), 0), "components");
  g_assert_cmpuint (json_array_size (components), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (components, 0), "qty")), ==, 12);

  /* Voided: all 13 come back. */
  g_assert_true (pdv_sale_void_authorised (f->journal, result->sale_id, manager, NULL, "teste", &error));
  g_assert_no_error (error);
  g_assert_cmpint (pdv_test_stock_of (f->catalog, "CERV-LONG-330"), ==, long_necks);

  /* Long necks that may not be oversold: 5 left refuse a bucket of 6. */
  {
    g_autoptr(PdvSaleDraft) bucket = pdv_sale_draft_new ();
    g_autoptr(PdvSaleResult) refused = NULL;
    json_t *payload = json_pack ("{s:[{s:s, s:i}]}", "items", "product", "CERV-LONG-330", "qty", 5);
    g_autoptr(PdvJournalEntry) count = pdv_journal_append (f->journal, "stock.count", NULL, payload, &error);

    json_decref (payload);
    g_assert_no_error (error);
    g_assert_true (pdv_db_exec (pdv_context_get_db (f->context),
                                "UPDATE products SET stock_policy = 'block' WHERE id = 'CERV-LONG-330'", &error));
    pdv_sale_draft_add_line (bucket, "CMB-BALDE-6-LONG", 1);
    pdv_sale_draft_add_payment (bucket, PDV_PAYMENT_CASH, balde, 0, NULL);
    refused = pdv_sale_commit (f->journal, f->catalog, bucket, "ana", NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OUT_OF_STOCK);
    g_assert_cmpint (pdv_test_stock_of (f->catalog, "CERV-LONG-330"), ==, 5);
  }
}

/* Card payments say debit or credit, and the report splits the card's total
 * by them; a payment from before the split counts in the card's total only. */
static void
test_debit_and_credit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) manager = find_user (f, "fernanda");
  g_autoptr(PdvReport) report = NULL;
  g_autofree char *csv = NULL;
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  const PdvCardKind kinds[] = { PDV_CARD_DEBIT, PDV_CARD_CREDIT, PDV_CARD_CREDIT, PDV_CARD_UNSPECIFIED };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
      g_autoptr(PdvSaleResult) result = NULL;

      pdv_sale_draft_add_line (draft, "CERV-LATA-350", 1);
      pdv_sale_draft_add_card_payment (draft, kinds[i], beer, "AUTH");
      result = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
    g_autoptr(PdvSaleResult) refused = NULL;

    /* Debit is a card's. */
    pdv_sale_draft_add_line (draft, "CERV-LATA-350", 1);
    pdv_sale_draft_add_payment (draft, PDV_PAYMENT_PIX, beer, 0, "TX");
    g_array_index ((GArray *) pdv_sale_draft_get_payments (draft), PdvPayment, 0).card = PDV_CARD_DEBIT;
    refused = pdv_sale_commit (f->journal, f->catalog, draft, "ana", NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_PAYMENT);
    g_clear_error (&error);
  }

  report = pdv_report_new_x (pdv_context_get_db (f->context), manager, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->payments[PDV_PAYMENT_CARD].sales_count, ==, 4);
  g_assert_cmpint (report->payments[PDV_PAYMENT_CARD].sales_amount, ==, 4 * beer);
  g_assert_cmpint (report->cards[PDV_CARD_DEBIT].sales_count, ==, 1);
  g_assert_cmpint (report->cards[PDV_CARD_DEBIT].sales_amount, ==, beer);
  g_assert_cmpint (report->cards[PDV_CARD_CREDIT].sales_count, ==, 2);
  g_assert_cmpint (report->cards[PDV_CARD_CREDIT].sales_amount, ==, 2 * beer);
  csv = pdv_report_render_csv (report, PDV_CSV_RFC4180);
  g_assert_nonnull (strstr (csv, "card.credit:sales"));
  {
    g_autofree char *text = pdv_report_render_text (report, PDV_PAPER_80MM);

    g_test_message ("%s", text);
    g_assert_nonnull (strstr (text, "  Credit"));
    g_assert_nonnull (strstr (text, "  Debit"));
  }
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
  ADD ("/sale/discount/amount", test_discount_amount);
  ADD ("/sale/discount/percent-rounding", test_discount_percent_rounding);
  ADD ("/sale/discount/refusals", test_discount_refusals);
  ADD ("/sale/discount/by-manager", test_discount_by_manager);
  ADD ("/sale/discount/report", test_discount_report);
  ADD ("/sale/open/recovered", test_open_sale_recovered);
  ADD ("/sale/open/abandoned", test_open_sale_abandoned);
  ADD ("/sale/combo-takes-components", test_combo_takes_components);
  ADD ("/sale/debit-and-credit", test_debit_and_credit);
#undef ADD
  g_test_add_func ("/sale/discount/parse", test_discount_parse);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

/* The audit reads what the journal holds: each sensitive kind of entry, the
 * sales that gave a discount, by kind, person and time, as CSV and PDF. */

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
  PdvDb      *db;
  PdvUser    *cashier;
  PdvUser    *manager;
} Fixture;

static PdvUser *
find_user (PdvDb      *db,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  PdvUser *user = NULL;

  g_assert_true (pdv_auth_find_user (db, id, &user, &error));
  g_assert_no_error (error);
  g_assert_nonnull (user);
  return user;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->journal = pdv_context_get_journal (f->context);
  f->db = pdv_context_get_db (f->context);
  f->cashier = find_user (f->db, "ana");
  f->manager = find_user (f->db, "fernanda");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  pdv_user_free (f->cashier);
  pdv_user_free (f->manager);
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static const PdvAuditEvent *
find_event (GPtrArray        *events,
            PdvAuditCategory  category)
{
  for (guint i = 0; i < events->len; i++)
    {
      const PdvAuditEvent *event = g_ptr_array_index (events, i);

      if (event->category == category)
        return event;
    }
  return NULL;
}

static const PdvAuditEvent *
expect_event (GPtrArray        *events,
              PdvAuditCategory  category)
{
  const PdvAuditEvent *event = find_event (events, category);

  if (event == NULL)
    g_error ("no event of category %d", category);
  return event;
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) voids = NULL;
  g_autoptr(GPtrArray) by_manager = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(PdvUser) wrong = NULL;
  g_autofree char *sale_id = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *pdf_path = g_build_filename (f->dir, "audit.pdf", NULL);
  g_autofree char *pdf = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  const PdvAuditEvent *event;
  PdvAuditFilter filter = { 0 };
  gsize pdf_length = 0;

  /* The drawer, opened by a cashier under a manager's PIN. */
  g_assert_true (pdv_drawer_open (f->journal, f->cashier, f->manager, "troco", &error));
  g_assert_no_error (error);
  /* A wrong PIN at the login. */
  wrong = pdv_auth_login (f->db, "ana", "0000", &error);
  g_assert_null (wrong);
  g_clear_error (&error);
  /* A discount, a void and a refund. */
  {
    g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
    g_autoptr(PdvSaleResult) result = NULL;
    PdvMoney price = pdv_test_price_of (pdv_context_get_catalog (f->context), "CERV-LATA-350");

    pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
    g_assert_true (pdv_sale_draft_set_discount (draft, PDV_DISCOUNT_AMOUNT, 300, "aniversário", "fernanda", &error));
    pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, 2 * price - 300, 0, NULL);
    result = pdv_sale_commit (f->journal, pdv_context_get_catalog (f->context), draft, "ana", NULL, &error);
    g_assert_no_error (error);
    sale_id = g_strdup (result->sale_id);
  }
  g_assert_true (pdv_sale_refund (f->journal, sale_id, 500, PDV_PAYMENT_CASH, "ana", "9090", "quente", &error));
  g_assert_no_error (error);
  g_assert_true (pdv_journal_record_setting (f->journal, "fernanda", "shifts_required", "yes", &error));
  g_assert_no_error (error);

  all = pdv_audit_list (f->db, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      const PdvAuditEvent *e = g_ptr_array_index (all, i);

      g_test_message ("%s · %s · %s · %s", e->created_at, e->user_name ? e->user_name : "-",
                      e->authorised_by ? e->authorised_by : "-", e->what);
    }
  /* Newest first. */
  g_assert_cmpuint (all->len, >, 0);
  event = g_ptr_array_index (all, 0);
  g_assert_cmpint (event->category, ==, PDV_AUDIT_SETTINGS);
  event = expect_event (all, PDV_AUDIT_DRAWER);
  g_assert_cmpstr (event->what, ==, "Drawer opened without a sale: troco");
  g_assert_cmpstr (event->user_name, ==, "Ana Souza");
  g_assert_cmpstr (event->authorised_by, ==, "Fernanda Lima");
  event = expect_event (all, PDV_AUDIT_PINS);
  g_assert_cmpstr (event->what, ==, "Wrong PIN for Ana Souza");
  event = expect_event (all, PDV_AUDIT_DISCOUNTS);
  g_assert_nonnull (strstr (event->what, "aniversário"));
  event = expect_event (all, PDV_AUDIT_REFUNDS);
  g_assert_nonnull (strstr (event->what, "quente"));
  g_assert_nonnull (strstr (event->what, "BAR1-"));
  g_assert_nonnull (find_event (all, PDV_AUDIT_OVERRIDES));
  g_assert_nonnull (find_event (all, PDV_AUDIT_IMPORTS));

  /* By kind. */
  filter.categories = PDV_AUDIT_REFUNDS | PDV_AUDIT_VOIDS;
  voids = pdv_audit_list (f->db, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (voids->len, ==, 1);
  /* By person: what Fernanda allowed or did. */
  filter.categories = 0;
  filter.user = "fernanda";
  by_manager = pdv_audit_list (f->db, &filter, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_event (by_manager, PDV_AUDIT_DRAWER));
  g_assert_nonnull (find_event (by_manager, PDV_AUDIT_SETTINGS));
  g_assert_null (find_event (by_manager, PDV_AUDIT_PINS));
  /* By time: nothing after tomorrow. */
  filter.user = NULL;
  tomorrow = g_date_time_add_days (pdv_clock_get_now (pdv_context_get_clock (f->context), NULL), 1);
  filter.since = tomorrow;
  later = pdv_audit_list (f->db, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 0);

  /* CSV a spreadsheet reads; a PDF. */
  csv = pdv_audit_to_csv (all, NULL, PDV_CSV_RFC4180);
  g_assert_true (g_str_has_prefix (csv, "time,seq,category,kind,user,user_name,authorised_by,what\r\n"));
  g_assert_nonnull (strstr (csv, ",drawer.open,ana,Ana Souza,Fernanda Lima,Drawer opened without a sale: troco\r\n"));
  g_assert_true (pdv_audit_write_pdf (all, "Festival", NULL, pdf_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &pdf_length, &error));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_cmpuint (pdf_length, >, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/audit/list-filter-export", Fixture, NULL, fixture_set_up, test_audit, fixture_tear_down);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

/* The exact amount first, then the round sums that notes make above it. */
static void
test_tender_suggestions (void)
{
  static const struct {
    PdvMoney due;
    PdvMoney expected[PDV_QUICK_TENDERS_MAX];
    guint    n;
  } cases[] = {
    { 3700, { 3700, 4000, 5000, 10000, 20000 }, 5 },
    { 1200, { 1200, 1500, 2000, 5000, 10000 }, 5 },
    /* Already round: nothing above it repeats it. */
    { 5000, { 5000, 6000, 10000, 20000 }, 4 },
    { 20000, { 20000 }, 1 },
    { 1, { 1, 500, 1000, 2000, 5000 }, 5 },
    { 25990, { 25990, 26000, 30000, 40000 }, 4 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      PdvMoney out[PDV_QUICK_TENDERS_MAX] = { 0 };
      guint n = pdv_cash_suggest_tenders (cases[c].due, out);

      g_assert_cmpuint (n, ==, cases[c].n);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (out[i], ==, cases[c].expected[i]);
    }

  /* The biggest amounts do not overflow. */
  {
    PdvMoney out[PDV_QUICK_TENDERS_MAX];
    guint n = pdv_cash_suggest_tenders (G_MAXINT64 - 1, out);

    g_assert_cmpuint (n, >=, 1);
    g_assert_cmpint (out[0], ==, G_MAXINT64 - 1);
  }
}

/* Change of a note's worth or more is a typo, said in the cashier's words. */
static void
test_tender_change_limit (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pdv_cash_check_tendered (3700, 3700, NULL));
  g_assert_true (pdv_cash_check_tendered (3700, 20000, NULL));
  g_assert_true (pdv_cash_check_tendered (3700, 3700 + PDV_TENDER_MAX_CHANGE - 1, NULL));
  g_assert_false (pdv_cash_check_tendered (3700, 3700 + PDV_TENDER_MAX_CHANGE, &error));
  g_assert_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "of change"));
  g_clear_error (&error);
  /* A scanned barcode in the amount field. */
  g_assert_false (pdv_cash_check_tendered (1200, 789036290028400, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tender/suggestions", test_tender_suggestions);
  g_test_add_func ("/tender/change-limit", test_tender_change_limit);

  return g_test_run ();
}

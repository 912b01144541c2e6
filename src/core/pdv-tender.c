/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-tender"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "pdv-tender.h"

/* Cash handed over at the till: the amounts a cashier is offered in one
 * tap, and what is too much to be real. */

static int
compare_money (gconstpointer a,
               gconstpointer b)
{
  PdvMoney x = *(const PdvMoney *) a;
  PdvMoney y = *(const PdvMoney *) b;

  return x < y ? -1 : x > y;
}

/**
 * pdv_cash_suggest_tenders:
 * @due: what is to be paid, in centavos (> 0)
 * @out: (out caller-allocates): the amounts, the exact one first, then
 *   ascending
 *
 * What customers hand over for @due: the exact amount, and the next round
 * sums above it that notes make (R$ 37,00 → 40, 50, 100, 200).
 *
 * Returns: how many amounts were written to @out
 */
guint
pdv_cash_suggest_tenders (PdvMoney due,
                          PdvMoney out[PDV_QUICK_TENDERS_MAX])
{
  static const PdvMoney steps[] = { 500, 1000, 2000, 5000, 10000, 20000 };
  PdvMoney candidates[G_N_ELEMENTS (steps)];
  guint n_candidates = 0;
  guint n = 0;

  g_return_val_if_fail (due > 0, 0);

  out[n++] = due;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      PdvMoney rounded;

      if (due > G_MAXINT64 - steps[i])
        break;
      rounded = (due + steps[i] - 1) / steps[i] * steps[i];
      if (rounded > due)
        candidates[n_candidates++] = rounded;
    }
  qsort (candidates, n_candidates, sizeof candidates[0], compare_money);

  for (guint i = 0; i < n_candidates && n < PDV_QUICK_TENDERS_MAX; i++)
    if (candidates[i] != out[n - 1])
      out[n++] = candidates[i];
  return n;
}

/**
 * pdv_cash_check_tendered:
 * @due: what is to be paid
 * @tendered: what the cashier says was handed over
 *
 * Returns: %FALSE with @error set when the change would be implausible
 *   (%PDV_TENDER_MAX_CHANGE or more): a typo, or a barcode scanned into the
 *   amount
 */
gboolean
pdv_cash_check_tendered (PdvMoney   due,
                         PdvMoney   tendered,
                         GError   **error)
{
  if (tendered > due && tendered - due >= PDV_TENDER_MAX_CHANGE)
    {
      g_autofree char *change = pdv_money_format (tendered - due);

      /* Translators: %s is an implausible amount of change */
      g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_INVALID,
                   _("That would be %s of change: check the amount"), change);
      return FALSE;
    }
  return TRUE;
}

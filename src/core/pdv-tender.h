/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdv-money.h"

G_BEGIN_DECLS

/* How many quick amounts the cash panel offers. */
#define PDV_QUICK_TENDERS_MAX 5

/* Nobody hands over a note more than the largest one (R$ 200) beyond what
 * is due; more than that is a typo, or a barcode scanned into the field. */
#define PDV_TENDER_MAX_CHANGE 20000

guint     pdv_cash_suggest_tenders (PdvMoney   due,
                                    PdvMoney   out[PDV_QUICK_TENDERS_MAX]);
gboolean  pdv_cash_check_tendered  (PdvMoney   due,
                                    PdvMoney   tendered,
                                    GError   **error);

G_END_DECLS

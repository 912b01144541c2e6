/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_CASH_COUNTER (pdv_cash_counter_get_type ())
G_DECLARE_FINAL_TYPE (PdvCashCounter, pdv_cash_counter, PDV, CASH_COUNTER, GtkWidget)

GtkWidget *pdv_cash_counter_new            (void);
void       pdv_cash_counter_get_count      (PdvCashCounter *self,
                                          PdvCashCount       *out_count);
PdvMoney   pdv_cash_counter_get_total      (PdvCashCounter *self);
void       pdv_cash_counter_set_quantity   (PdvCashCounter *self,
                                          PdvMoney            denomination,
                                          gint64              qty);
void       pdv_cash_counter_reset          (PdvCashCounter *self);
const char *pdv_cash_counter_get_total_text (PdvCashCounter *self);

G_END_DECLS

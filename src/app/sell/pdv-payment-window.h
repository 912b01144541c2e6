/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-cart.h"
#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_PAYMENT_WINDOW (pdv_payment_window_get_type ())
G_DECLARE_FINAL_TYPE (PdvPaymentWindow, pdv_payment_window, PDV, PAYMENT_WINDOW, AdwWindow)

PdvPaymentWindow    *pdv_payment_window_new             (GtkWindow        *parent,
                                                         PdvContext       *context,
                                                         PdvCart          *cart);
const PdvSaleResult *pdv_payment_window_get_result      (PdvPaymentWindow *self);
char                *pdv_payment_window_dup_summary     (PdvPaymentWindow *self);
void                 pdv_payment_window_set_user        (PdvPaymentWindow *self,
                                                         const char       *user_id);
gboolean             pdv_payment_window_has_payments_on_record (PdvPaymentWindow *self);
void                 pdv_payment_window_resume          (PdvPaymentWindow *self,
                                                         PdvOpenSale      *sale);

G_END_DECLS

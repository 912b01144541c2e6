/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-cash-panel.h"
#include "pdv-manager-prompt.h"
#include "pdv-payment-window.h"
#include "pdv-pin-pad.h"
#include "pdv-qr-view.h"

G_BEGIN_DECLS

/* What the UI tests observe and drive, through the same paths a person's
 * taps and typing take. */

const char  *pdv_payment_window_get_method          (PdvPaymentWindow *self);
PdvMoney     pdv_payment_window_get_due             (PdvPaymentWindow *self);
const char  *pdv_payment_window_get_due_text        (PdvPaymentWindow *self);
const char  *pdv_payment_window_get_change_text     (PdvPaymentWindow *self);
const char  *pdv_payment_window_get_error_text      (PdvPaymentWindow *self);
guint        pdv_payment_window_count_payments      (PdvPaymentWindow *self);
void         pdv_payment_window_type_amount         (PdvPaymentWindow *self,
                                                     const char       *text);
void         pdv_payment_window_type_reference      (PdvPaymentWindow *self,
                                                     const char       *text);
const char  *pdv_payment_window_get_pix_payload     (PdvPaymentWindow *self);
const char  *pdv_payment_window_get_pix_txid        (PdvPaymentWindow *self);
PdvQrView   *pdv_payment_window_get_qr_view         (PdvPaymentWindow *self);
PdvPinPad   *pdv_payment_window_get_pin_pad         (PdvPaymentWindow *self);
gboolean     pdv_payment_window_get_authorising     (PdvPaymentWindow *self);
PdvManagerPrompt *pdv_payment_window_get_give_up_prompt (PdvPaymentWindow *self);
const char  *pdv_payment_window_get_subtitle        (PdvPaymentWindow *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-discount-dialog.h"
#include "pdv-manager-prompt.h"

G_BEGIN_DECLS

/* What the UI tests observe and drive, through the same paths a person's
 * taps and typing take. */

void              pdv_discount_dialog_type_value      (PdvDiscountDialog *self,
                                                       const char        *text);
void              pdv_discount_dialog_type_reason     (PdvDiscountDialog *self,
                                                       const char        *text);
const char       *pdv_discount_dialog_get_total_text  (PdvDiscountDialog *self);
const char       *pdv_discount_dialog_get_error_text  (PdvDiscountDialog *self);
PdvManagerPrompt *pdv_discount_dialog_get_prompt      (PdvDiscountDialog *self);

G_END_DECLS

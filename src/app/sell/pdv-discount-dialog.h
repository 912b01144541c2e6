/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-cart.h"
#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_DISCOUNT_DIALOG (pdv_discount_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PdvDiscountDialog, pdv_discount_dialog, PDV, DISCOUNT_DIALOG, AdwWindow)

PdvDiscountDialog *pdv_discount_dialog_new (GtkWindow     *parent,
                                            PdvCart       *cart,
                                            PdvContext    *context,
                                            const PdvUser *operator_user);

G_END_DECLS

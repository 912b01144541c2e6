/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"
#include "pdv-session.h"
#include "pdv-receipt-printer.h"

G_BEGIN_DECLS

#define PDV_TYPE_SHIFT_PAGE (pdv_shift_page_get_type ())
G_DECLARE_FINAL_TYPE (PdvShiftPage, pdv_shift_page, PDV, SHIFT_PAGE, GtkWidget)

GtkWidget     *pdv_shift_page_new      (PdvContext    *context);
const PdvUser *pdv_shift_page_get_user (PdvShiftPage  *self);
void           pdv_shift_page_set_session (PdvShiftPage *self,
                                           PdvSession   *session);
PdvReceiptPrinter *pdv_shift_page_get_receipt_printer (PdvShiftPage      *self);
void               pdv_shift_page_set_receipt_printer (PdvShiftPage      *self,
                                                       PdvReceiptPrinter *printer);

G_END_DECLS

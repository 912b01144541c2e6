/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"
#include "pdv-pin-pad.h"

G_BEGIN_DECLS

#define PDV_TYPE_VOUCHER_PANEL (pdv_voucher_panel_get_type ())
G_DECLARE_FINAL_TYPE (PdvVoucherPanel, pdv_voucher_panel, PDV, VOUCHER_PANEL, GtkWidget)

GtkWidget  *pdv_voucher_panel_new              (void);
void        pdv_voucher_panel_set_context      (PdvVoucherPanel  *self,
                                                PdvContext       *context);
void        pdv_voucher_panel_set_due          (PdvVoucherPanel  *self,
                                                PdvMoney          due);
gboolean    pdv_voucher_panel_get_amount       (PdvVoucherPanel  *self,
                                                PdvMoney         *out_amount,
                                                GError          **error);
const char *pdv_voucher_panel_get_reference    (PdvVoucherPanel  *self);
void        pdv_voucher_panel_submit           (PdvVoucherPanel  *self);
gboolean    pdv_voucher_panel_get_authorising  (PdvVoucherPanel  *self);
PdvPinPad  *pdv_voucher_panel_get_pin_pad      (PdvVoucherPanel  *self);
void        pdv_voucher_panel_type_amount      (PdvVoucherPanel  *self,
                                                const char       *text);
void        pdv_voucher_panel_type_reference   (PdvVoucherPanel  *self,
                                                const char       *text);
void        pdv_voucher_panel_focus            (PdvVoucherPanel  *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_CASH_PANEL (pdv_cash_panel_get_type ())
G_DECLARE_FINAL_TYPE (PdvCashPanel, pdv_cash_panel, PDV, CASH_PANEL, GtkWidget)

GtkWidget  *pdv_cash_panel_new              (void);
PdvMoney    pdv_cash_panel_get_due          (PdvCashPanel *self);
void        pdv_cash_panel_set_due          (PdvCashPanel *self,
                                             PdvMoney      due);
gboolean    pdv_cash_panel_get_tendered     (PdvCashPanel *self,
                                             PdvMoney     *out_tendered,
                                             GError      **error);
void        pdv_cash_panel_set_tendered     (PdvCashPanel *self,
                                             PdvMoney      tendered);
void        pdv_cash_panel_type             (PdvCashPanel *self,
                                             const char   *text);
const char *pdv_cash_panel_get_change_text  (PdvCashPanel *self);
void        pdv_cash_panel_focus            (PdvCashPanel *self);
void        pdv_cash_panel_focus_confirm    (PdvCashPanel *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-cart.h"
#include "pdv-core.h"
#include "pdv-session.h"

G_BEGIN_DECLS

#define PDV_TYPE_SELL_PAGE (pdv_sell_page_get_type ())
G_DECLARE_FINAL_TYPE (PdvSellPage, pdv_sell_page, PDV, SELL_PAGE, GtkWidget)

GtkWidget  *pdv_sell_page_new          (PdvContext  *context);
PdvContext *pdv_sell_page_get_context  (PdvSellPage *self);
PdvCart    *pdv_sell_page_get_cart     (PdvSellPage *self);
char       *pdv_sell_page_dup_payments_taken (PdvSellPage  *self,
                                              GtkWindow   **out_window);
void        pdv_sell_page_reload       (PdvSellPage *self);
void        pdv_sell_page_set_session  (PdvSellPage *self,
                                        PdvSession  *session);

G_END_DECLS

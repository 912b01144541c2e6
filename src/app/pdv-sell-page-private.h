/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-discount-dialog.h"
#include "pdv-payment-window.h"
#include "pdv-sell-page.h"

G_BEGIN_DECLS

/* What the UI tests observe and drive, through the same paths a person's
 * taps and typing take. */

guint       pdv_sell_page_count_visible_products   (PdvSellPage *self);
GPtrArray  *pdv_sell_page_list_visible_product_ids (PdvSellPage *self);
gboolean    pdv_sell_page_select_category          (PdvSellPage *self,
                                                    const char  *category_id);
void        pdv_sell_page_search                   (PdvSellPage *self,
                                                    const char  *text);
gboolean    pdv_sell_page_tap_product              (PdvSellPage *self,
                                                    const char  *product_id);
const char *pdv_sell_page_get_total_text           (PdvSellPage *self);
guint       pdv_sell_page_count_cart_rows          (PdvSellPage *self);
void        pdv_sell_page_scan                     (PdvSellPage *self,
                                                    const char  *text);
const char *pdv_sell_page_get_selected_product_id  (PdvSellPage *self);
gboolean    pdv_sell_page_press_key                (PdvSellPage *self,
                                                    guint        keyval,
                                                    GdkModifierType state);
PdvPaymentWindow *pdv_sell_page_get_payment_window (PdvSellPage *self);
gboolean    pdv_sell_page_get_sale_done            (PdvSellPage *self);
const char *pdv_sell_page_get_done_change_text     (PdvSellPage *self);
const char *pdv_sell_page_get_done_total_text      (PdvSellPage *self);
const char *pdv_sell_page_get_discount_text        (PdvSellPage *self);
PdvDiscountDialog *pdv_sell_page_get_discount_dialog (PdvSellPage *self);

G_END_DECLS

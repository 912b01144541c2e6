/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-cart-totals.h"
#include "pdv-discount-dialog.h"
#include "pdv-payment-window.h"
#include "pdv-product-picker.h"
#include "pdv-sale-done.h"
#include "pdv-sell-page.h"
#include "pdv-sync-worker.h"

G_BEGIN_DECLS

/* The cashier's screen: the products to pick from on the left (a
 * PdvProductPicker), the sale being built on the right. Once paid, the
 * right side shows the change until the next sale starts, with "New Sale"
 * or with the next product tapped.
 *
 * pdv-sell-page.c holds the sale and its way through payment;
 * pdv-sell-page-actions.c the page's actions and keys. */
struct _PdvSellPage
{
  GtkWidget       parent_instance;

  PdvContext     *context;
  PdvSyncWorker  *sync_worker;
  PdvCart        *cart;

  gboolean        sale_done;
  char           *selected_product_id;
  PdvPaymentWindow *payment_window;
  guint             sale_inhibit;    /* gtk_application_inhibit() while it is open */
  PdvDiscountDialog *discount_dialog;
  char           *user_id;       /* who is selling; NULL when no one logged in */

  PdvProductPicker *picker;
  GtkStack       *cart_stack;
  GtkListBox     *cart_list;
  PdvCartTotals  *cart_totals;
  GtkButton      *pay_button;
  PdvSaleDone    *sale_done_pane;
};

void        _pdv_sell_page_class_actions_init      (PdvSellPageClass *klass);
void        _pdv_sell_page_actions_init            (PdvSellPage *self);
void        _pdv_sell_page_update_actions          (PdvSellPage *self);
void        _pdv_sell_page_show_toast              (PdvSellPage *self,
                                                    const char  *message);
void        _pdv_sell_page_select_line             (PdvSellPage *self,
                                                    const char  *product_id);
void        _pdv_sell_page_start_new_sale          (PdvSellPage *self);
void        _pdv_sell_page_pay                     (PdvSellPage *self);

/* What the UI tests observe and drive, through the same paths a person's
 * taps and typing take. */

guint       pdv_sell_page_count_visible_products   (PdvSellPage *self);
const char *pdv_sell_page_get_search_hint          (PdvSellPage *self);
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

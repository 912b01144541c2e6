/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-drawer-opener.h"
#include "pdv-kiosk.h"
#include "pdv-receipt-printer.h"
#include "pdv-sync-indicator.h"
#include "pdv-window.h"

G_BEGIN_DECLS

GtkWidget  *pdv_window_get_page             (PdvWindow  *self,
                                             const char *page_name);
const char *pdv_window_get_last_print_error (PdvWindow  *self);
guint       pdv_window_get_n_printing       (PdvWindow  *self);
void        pdv_window_set_printer          (PdvWindow  *self,
                                             const char *destination);
PdvSyncWorker    *pdv_window_get_sync_worker    (PdvWindow  *self);
PdvSyncIndicator *pdv_window_get_sync_indicator (PdvWindow  *self);
PdvKiosk         *pdv_window_get_kiosk          (PdvWindow  *self);
PdvReceiptPrinter *pdv_window_get_receipt_printer (PdvWindow  *self);
PdvDrawerOpener  *pdv_window_get_drawer_opener  (PdvWindow  *self);
GtkWidget  *pdv_window_get_login_page       (PdvWindow  *self);
gboolean    pdv_window_get_locked           (PdvWindow  *self);
GtkWidget  *pdv_window_get_user_button      (PdvWindow  *self);
gboolean    pdv_window_get_page_buttons_shown (PdvWindow  *self);

G_END_DECLS

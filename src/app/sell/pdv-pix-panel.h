/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"
#include "pdv-qr-view.h"

G_BEGIN_DECLS

#define PDV_TYPE_PIX_PANEL (pdv_pix_panel_get_type ())
G_DECLARE_FINAL_TYPE (PdvPixPanel, pdv_pix_panel, PDV, PIX_PANEL, GtkWidget)

GtkWidget  *pdv_pix_panel_new           (void);
gboolean    pdv_pix_panel_set_merchant  (PdvPixPanel  *self,
                                         const char   *key,
                                         const char   *name,
                                         const char   *city,
                                         GError      **error);
void        pdv_pix_panel_set_due       (PdvPixPanel  *self,
                                         PdvMoney      due);
gboolean    pdv_pix_panel_get_amount    (PdvPixPanel  *self,
                                         PdvMoney     *out_amount,
                                         GError      **error);
const char *pdv_pix_panel_get_payload   (PdvPixPanel  *self);
const char *pdv_pix_panel_get_txid      (PdvPixPanel  *self);
void        pdv_pix_panel_renew_txid    (PdvPixPanel  *self);
void        pdv_pix_panel_type_amount   (PdvPixPanel  *self,
                                         const char   *text);
PdvQrView  *pdv_pix_panel_get_qr_view   (PdvPixPanel  *self);
void        pdv_pix_panel_focus         (PdvPixPanel  *self);

G_END_DECLS

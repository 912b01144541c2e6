/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PDV_TYPE_QR_VIEW (pdv_qr_view_get_type ())
G_DECLARE_FINAL_TYPE (PdvQrView, pdv_qr_view, PDV, QR_VIEW, GtkWidget)

GtkWidget  *pdv_qr_view_new              (void);
const char *pdv_qr_view_get_text         (PdvQrView  *self);
gboolean    pdv_qr_view_set_text         (PdvQrView  *self,
                                          const char *text,
                                          GError    **error);
guint       pdv_qr_view_get_module_size  (PdvQrView  *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"
#include "pdv-settings.h"

G_BEGIN_DECLS

#define PDV_TYPE_KIOSK (pdv_kiosk_get_type ())
G_DECLARE_FINAL_TYPE (PdvKiosk, pdv_kiosk, PDV, KIOSK, GObject)

PdvKiosk     *pdv_kiosk_new         (GtkWindow    *window,
                                     AdwHeaderBar *header_bar,
                                     PdvSettings  *settings,
                                     PdvContext   *context);
gboolean      pdv_kiosk_get_active  (PdvKiosk     *self);
GActionGroup *pdv_kiosk_get_actions (PdvKiosk     *self);
GtkWindow    *pdv_kiosk_get_prompt  (PdvKiosk     *self);

G_END_DECLS

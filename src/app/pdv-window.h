/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"
#include "pdv-session.h"
#include "pdv-settings.h"

G_BEGIN_DECLS

#define PDV_TYPE_WINDOW (pdv_window_get_type ())
G_DECLARE_FINAL_TYPE (PdvWindow, pdv_window, PDV, WINDOW, AdwApplicationWindow)

PdvWindow   *pdv_window_new               (GtkApplication *application,
                                           PdvContext     *context);
PdvContext  *pdv_window_get_context       (PdvWindow      *self);
PdvSettings *pdv_window_get_settings      (PdvWindow      *self);
gboolean     pdv_window_show_page         (PdvWindow      *self,
                                           const char     *page_name);
const char  *pdv_window_get_visible_page  (PdvWindow      *self);
PdvSession  *pdv_window_get_session       (PdvWindow      *self);
gboolean     pdv_window_can               (PdvWindow      *self,
                                           PdvPermission   permission);
void         pdv_window_lock              (PdvWindow      *self);
char        *pdv_window_render_receipt    (PdvWindow      *self,
                                           const char     *sale_id,
                                           GError        **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"
#include "pdv-session.h"

G_BEGIN_DECLS

#define PDV_TYPE_CHECKIN_PAGE (pdv_checkin_page_get_type ())
G_DECLARE_FINAL_TYPE (PdvCheckinPage, pdv_checkin_page, PDV, CHECKIN_PAGE, GtkWidget)

GtkWidget *pdv_checkin_page_new (PdvContext *context);

void            pdv_checkin_page_set_session  (PdvCheckinPage *self,
                                               PdvSession     *session);

G_END_DECLS

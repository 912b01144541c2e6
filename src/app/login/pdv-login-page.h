/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_LOGIN_PAGE (pdv_login_page_get_type ())
G_DECLARE_FINAL_TYPE (PdvLoginPage, pdv_login_page, PDV, LOGIN_PAGE, GtkWidget)

GtkWidget  *pdv_login_page_new              (PdvContext   *context);
void        pdv_login_page_reset            (PdvLoginPage *self);

/* What the UI tests observe and drive, through the same paths a person's
 * taps and typing take. */
guint       pdv_login_page_count_users      (PdvLoginPage *self);
gboolean    pdv_login_page_choose_user      (PdvLoginPage *self,
                                             const char   *user_id);
void        pdv_login_page_type_pin         (PdvLoginPage *self,
                                             const char   *pin);
const char *pdv_login_page_get_chosen_user  (PdvLoginPage *self);
const char *pdv_login_page_get_message      (PdvLoginPage *self);
gboolean    pdv_login_page_get_busy         (PdvLoginPage *self);
gboolean    pdv_login_page_get_pin_enabled  (PdvLoginPage *self);

G_END_DECLS

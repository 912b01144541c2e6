/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_SESSION (pdv_session_get_type ())
G_DECLARE_FINAL_TYPE (PdvSession, pdv_session, PDV, SESSION, GObject)

PdvSession    *pdv_session_new            (void);
void           pdv_session_log_in         (PdvSession     *self,
                                           const PdvUser  *user);
void           pdv_session_log_out        (PdvSession     *self);
gboolean       pdv_session_is_logged_in   (PdvSession     *self);
const PdvUser *pdv_session_get_user       (PdvSession     *self);
const char    *pdv_session_get_user_id    (PdvSession     *self);
const char    *pdv_session_get_user_name  (PdvSession     *self);
PdvRole        pdv_session_get_role       (PdvSession     *self);
gboolean       pdv_session_can            (PdvSession     *self,
                                           PdvPermission   permission);
const char    *pdv_role_describe          (PdvRole         role);
PdvUser       *pdv_operator_dup           (const PdvUser  *user);

G_END_DECLS

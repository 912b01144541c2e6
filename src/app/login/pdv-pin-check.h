/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdv-core.h"

G_BEGIN_DECLS

void      pdv_authorise_async   (PdvContext           *context,
                                 PdvPermission         permission,
                                 const char           *pin,
                                 const char           *operator_id,
                                 gboolean              record_override,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
PdvUser  *pdv_authorise_finish  (GAsyncResult         *result,
                                 GError              **error);

void      pdv_login_async       (PdvContext           *context,
                                 const char           *user_id,
                                 const char           *pin,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
PdvUser  *pdv_login_finish      (GAsyncResult         *result,
                                 GError              **error);

G_END_DECLS

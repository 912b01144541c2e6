/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void  pdv_authorise_manager_async   (const char           *db_path,
                                     const char           *pin,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
char *pdv_authorise_manager_finish  (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS

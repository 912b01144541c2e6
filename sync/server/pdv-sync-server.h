/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdv-store.h"

G_BEGIN_DECLS

typedef struct {
  const char *admin_token;       /* NULL: admin paths refuse everyone */
  gsize       max_body;          /* bytes */
  double      rate_limit;        /* requests per second per token and per address; 0: none */
  guint       fault_drop_after;  /* test only: drop the answer to this push commit; 0: never */
  const char * const *trusted_proxies;  /* IP addresses whose X-Forwarded-For names the client; may be NULL */
} PdvSyncServerOptions;

#define PDV_TYPE_SYNC_SERVER (pdv_sync_server_get_type ())
G_DECLARE_FINAL_TYPE (PdvSyncServer, pdv_sync_server, PDV, SYNC_SERVER, GObject)

PdvSyncServer *pdv_sync_server_new        (GPtrArray                  *stores,
                                           const PdvSyncServerOptions *options);
const char    *pdv_sync_server_get_tls_sha256 (PdvSyncServer           *self);
gboolean       pdv_sync_server_listen     (PdvSyncServer              *self,
                                           const char                 *address,
                                           GTlsCertificate            *certificate,
                                           guint                       backlog,
                                           char                      **out_url,
                                           GError                    **error);
void           pdv_sync_server_disconnect (PdvSyncServer              *self);

G_END_DECLS

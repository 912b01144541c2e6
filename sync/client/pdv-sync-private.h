/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "pdv-journal.h"
#include "pdv-sync-client.h"
#include "pdv-sync-state.h"

G_BEGIN_DECLS

/* HTTP and JSON, as sync/PROTOCOL.md has them (pdv-sync-http.c). */
json_t        *pdv_sync_request          (SoupSession     *session,
                                          const char      *method,
                                          const char      *server,
                                          const char      *path,
                                          json_t          *body,
                                          const char      *token,
                                          const char * const *headers,
                                          GCancellable    *cancellable,
                                          guint           *out_status,
                                          guint           *out_retry_after,
                                          gboolean        *out_reached,
                                          GError         **error);
gboolean       pdv_sync_bad_answer       (GError         **error,
                                          const char      *server,
                                          const char      *what);

/* What pdv-sync-client.c and pdv-sync-worker.c share: one connection to the
 * terminal database and one HTTP session, both of the thread that made them. */
typedef struct _PdvSyncClient PdvSyncClient;

PdvSyncClient *pdv_sync_client_new        (PdvDb           *db);
void           pdv_sync_client_free       (PdvSyncClient   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSyncClient, pdv_sync_client_free)
PdvDb         *pdv_sync_client_get_db     (PdvSyncClient   *self);
gboolean       pdv_sync_client_run        (PdvSyncClient   *self,
                                           GCancellable    *cancellable,
                                           PdvSyncSummary  *summary,
                                           GError         **error);
/* Seconds the last server asked to wait (429 Retry-After), 0 if none. */
guint          pdv_sync_client_get_retry_after (PdvSyncClient *self);
gboolean       pdv_sync_client_wait_async (PdvSyncClient       *self,
                                           guint                seconds,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean       pdv_sync_client_wait_finish (GAsyncResult       *result,
                                           GError             **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdv-sync-state.h"

G_BEGIN_DECLS

/* How long the worker waits between rounds when all went well. */
#define PDV_SYNC_WORKER_POLL_INTERVAL_DEFAULT 30

#define PDV_TYPE_SYNC_WORKER (pdv_sync_worker_get_type ())
G_DECLARE_FINAL_TYPE (PdvSyncWorker, pdv_sync_worker, PDV, SYNC_WORKER, GObject)

PdvSyncWorker *pdv_sync_worker_new              (const char     *db_path);
const char    *pdv_sync_worker_get_db_path      (PdvSyncWorker  *self);
PdvClock      *pdv_sync_worker_get_clock        (PdvSyncWorker  *self);
void           pdv_sync_worker_set_clock        (PdvSyncWorker  *self,
                                                 PdvClock       *clock);
guint          pdv_sync_worker_get_poll_interval (PdvSyncWorker *self);
void           pdv_sync_worker_set_poll_interval (PdvSyncWorker *self,
                                                  guint          seconds);

void           pdv_sync_worker_start            (PdvSyncWorker  *self);
void           pdv_sync_worker_stop             (PdvSyncWorker  *self);
gboolean       pdv_sync_worker_is_running       (PdvSyncWorker  *self);

void           pdv_sync_worker_notify_new_entry (PdvSyncWorker  *self);
void           pdv_sync_worker_sync_now         (PdvSyncWorker  *self);

PdvSyncStatus *pdv_sync_worker_dup_status       (PdvSyncWorker  *self);

G_END_DECLS

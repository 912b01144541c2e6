/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-sync-panel.h"

G_BEGIN_DECLS

/* The panel's alerts (pdv-sync-alerts.c): rules an organiser sets, checked
 * against the figures every few seconds, and delivered by webhooks. */
typedef struct _PdvSyncAlerts PdvSyncAlerts;

/* How often the rules are checked and due deliveries sent. */
#define PDV_ALERTS_INTERVAL_MS 2000
/* A delivery is tried this many times, 1 s, 2 s, 4 s… apart. */
#define PDV_ALERTS_MAX_ATTEMPTS 8

PdvSyncAlerts *pdv_sync_alerts_new           (void);
void           pdv_sync_alerts_free          (PdvSyncAlerts *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSyncAlerts, pdv_sync_alerts_free)

gboolean       pdv_sync_alerts_run           (PdvSyncAlerts *self,
                                              PdvSyncPanel  *panel,
                                              PdvStore      *store);
void           pdv_sync_alerts_put_settings  (PdvSyncAlerts *self,
                                              PdvStore      *store,
                                              const char    *key,
                                              GBytes        *body,
                                              PdvSyncReply  *reply);

G_END_DECLS

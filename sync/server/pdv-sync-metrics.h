/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Counters of one pdv-syncd process, in the Prometheus text format. */
typedef struct _PdvSyncMetrics PdvSyncMetrics;

PdvSyncMetrics *pdv_sync_metrics_new            (void);
void            pdv_sync_metrics_free           (PdvSyncMetrics *self);
void            pdv_sync_metrics_count_request  (PdvSyncMetrics *self,
                                                 const char     *path,
                                                 guint           status,
                                                 double          seconds);
void            pdv_sync_metrics_count_entry    (PdvSyncMetrics *self,
                                                 const char     *kind,
                                                 const char     *status);
char           *pdv_sync_metrics_render         (PdvSyncMetrics *self,
                                                 gint64          terminals,
                                                 guint           pulls_waiting);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSyncMetrics, pdv_sync_metrics_free)

G_END_DECLS

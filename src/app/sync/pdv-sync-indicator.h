/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-sync-worker.h"

G_BEGIN_DECLS

#define PDV_TYPE_SYNC_INDICATOR (pdv_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (PdvSyncIndicator, pdv_sync_indicator, PDV, SYNC_INDICATOR, GtkWidget)

GtkWidget     *pdv_sync_indicator_new                 (PdvSyncWorker    *sync_worker);
PdvSyncWorker *pdv_sync_indicator_get_sync_worker     (PdvSyncIndicator *self);
void           pdv_sync_indicator_set_sync_worker     (PdvSyncIndicator *self,
                                                       PdvSyncWorker    *sync_worker);
const char    *pdv_sync_indicator_get_text            (PdvSyncIndicator *self);
const char    *pdv_sync_indicator_get_icon_name       (PdvSyncIndicator *self);
gboolean       pdv_sync_indicator_get_needs_attention (PdvSyncIndicator *self);

G_END_DECLS

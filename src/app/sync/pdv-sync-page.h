/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"
#include "pdv-sync-worker.h"

G_BEGIN_DECLS

#define PDV_TYPE_SYNC_PAGE (pdv_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (PdvSyncPage, pdv_sync_page, PDV, SYNC_PAGE, GtkWidget)

GtkWidget *pdv_sync_page_new (PdvContext    *context,
                              PdvSyncWorker *sync_worker);

G_END_DECLS

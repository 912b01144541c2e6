/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdv-sync-state.h"

G_BEGIN_DECLS

/* Entries waiting longer than this to reach the server need someone to
 * look: ten minutes without a sync at a busy bar is a lot of sales. */
#define PDV_SYNC_OLDEST_WARNING_S (10 * 60)

/* How the header indicator and the sync page put the sync status into
 * words, so both always say the same. */

char     *pdv_sync_text_age             (gint64               seconds);
char     *pdv_sync_text_time            (GDateTime           *time,
                                         GDateTime           *now,
                                         GTimeZone           *timezone);
char     *pdv_sync_text_iso_time        (const char          *iso8601,
                                         GDateTime           *now,
                                         GTimeZone           *timezone);
char     *pdv_sync_text_to_send         (gint64               queued);
gboolean  pdv_sync_status_is_offline    (const PdvSyncStatus *status);
gboolean  pdv_sync_status_needs_attention (const PdvSyncStatus *status,
                                         GDateTime           *now);

G_END_DECLS

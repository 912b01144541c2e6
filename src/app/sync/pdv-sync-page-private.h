/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-manager-prompt.h"
#include "pdv-sync-page.h"

G_BEGIN_DECLS

/* What the UI tests observe and drive, through the same paths a person's
 * typing and taps take. */

void        pdv_sync_page_set_enrolment_text  (PdvSyncPage *self,
                                               const char  *server,
                                               const char  *code);
gboolean    pdv_sync_page_get_enrolling       (PdvSyncPage *self);
gboolean    pdv_sync_page_get_enrolment_shown (PdvSyncPage *self);
const char *pdv_sync_page_get_enrol_error     (PdvSyncPage *self);
const char *pdv_sync_page_get_connection_text (PdvSyncPage *self);
const char *pdv_sync_page_get_queued_text     (PdvSyncPage *self);
const char *pdv_sync_page_get_error_text      (PdvSyncPage *self);
gboolean    pdv_sync_page_get_recovery_offered (PdvSyncPage *self);
gboolean    pdv_sync_page_get_recovering      (PdvSyncPage *self);
PdvManagerPrompt *pdv_sync_page_get_recover_prompt (PdvSyncPage *self);
guint       pdv_sync_page_count_conflict_rows (PdvSyncPage *self);
char       *pdv_sync_page_dup_conflict_text   (PdvSyncPage *self,
                                               guint        index);

G_END_DECLS

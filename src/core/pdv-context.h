/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <jansson.h>

#include "pdv-catalog.h"
#include "pdv-clock.h"
#include "pdv-db.h"
#include "pdv-import.h"
#include "pdv-journal.h"

G_BEGIN_DECLS

#define PDV_TYPE_CONTEXT (pdv_context_get_type ())
G_DECLARE_FINAL_TYPE (PdvContext, pdv_context, PDV, CONTEXT, GObject)

PdvContext *pdv_context_open              (const char  *db_path,
                                           GError     **error);
PdvContext *pdv_context_open_read_only    (const char  *db_path,
                                           GError     **error);
PdvContext *pdv_context_open_beside       (PdvContext  *self,
                                           GError     **error);
PdvDb      *pdv_context_get_db            (PdvContext  *self);
PdvJournal *pdv_context_get_journal       (PdvContext  *self);
PdvCatalog *pdv_context_get_catalog       (PdvContext  *self);
PdvClock   *pdv_context_get_clock         (PdvContext  *self);
char       *pdv_context_dup_terminal_name (PdvContext  *self);
char       *pdv_context_dup_event_name    (PdvContext  *self);
json_t     *pdv_context_dup_event         (PdvContext  *self);
GTimeZone  *pdv_context_dup_event_timezone (PdvContext *self);
GTimeZone  *pdv_event_timezone_for_db     (PdvDb       *db);
guint       pdv_context_count_tickets     (PdvContext  *self);

char       *pdv_default_db_path           (void);
char       *pdv_demo_dir                  (void);
/* What the demo is made of, in the order it is imported. */
extern const char * const pdv_demo_files[4];
GBytes     *pdv_demo_document             (const char  *demo_dir,
                                           const char  *file,
                                           GDateTime   *starts,
                                           GError     **error);
gboolean    pdv_context_load_demo         (PdvContext       *self,
                                           const char       *demo_dir,
                                           GDateTime        *starts,
                                           PdvImportResult  *results,
                                           GError          **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"
#include "pdv-report-view.h"

G_BEGIN_DECLS

#define PDV_TYPE_AUDIT_WINDOW (pdv_audit_window_get_type ())
G_DECLARE_FINAL_TYPE (PdvAuditWindow, pdv_audit_window, PDV, AUDIT_WINDOW, AdwWindow)

PdvAuditWindow *pdv_audit_window_new            (GtkWindow        *parent,
                                                 PdvContext       *context);

/* What the UI tests observe and drive. */
gboolean        pdv_audit_window_get_loading    (PdvAuditWindow   *self);
GPtrArray      *pdv_audit_window_get_events     (PdvAuditWindow   *self);
void            pdv_audit_window_set_filter     (PdvAuditWindow   *self,
                                                 PdvAuditCategory  categories,
                                                 const char       *user_id,
                                                 guint            hours);
gboolean        pdv_audit_window_export         (PdvAuditWindow   *self,
                                                 GFile            *file,
                                                 PdvReportFormat   format,
                                                 GError          **error);

G_END_DECLS

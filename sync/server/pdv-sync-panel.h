/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-sync-protocol.h"

G_BEGIN_DECLS

/* The organiser's panel (pdv-sync-panel.c): its accounts, sessions and what
 * it shows. */
typedef struct _PdvSyncPanel PdvSyncPanel;

typedef enum {
  PDV_PANEL_ROLE_ORGANISER,   /* everything */
  PDV_PANEL_ROLE_BAR,         /* the bars: sales, products, fichas */
  PDV_PANEL_ROLE_DOOR,        /* the doors: check-ins, occupancy */
} PdvPanelRole;

/* A failed login more than this many times in PDV_PANEL_LOCKOUT_S locks the
 * account for as long. */
#define PDV_PANEL_MAX_FAILURES 5
#define PDV_PANEL_LOCKOUT_S (15 * 60)
/* How long a session lasts. */
#define PDV_PANEL_SESSION_S (12 * 60 * 60)
/* How stale the panel's figures may be: read at most once in this long,
 * however many panels are open. */
#define PDV_PANEL_STATE_MAX_AGE_MS 1000

#define PDV_PANEL_COOKIE "pdv_panel"

PdvSyncPanel *pdv_sync_panel_new          (void);
void          pdv_sync_panel_free         (PdvSyncPanel   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSyncPanel, pdv_sync_panel_free)

gboolean      pdv_panel_role_from_string  (const char     *text,
                                           PdvPanelRole   *out_role);
const char   *pdv_panel_role_to_string    (PdvPanelRole    role);

void          pdv_sync_panel_add_account  (PdvSyncPanel   *self,
                                           PdvStore       *store,
                                           GBytes         *body,
                                           PdvSyncReply   *reply);
void          pdv_sync_panel_login        (PdvSyncPanel   *self,
                                           PdvStore       *store,
                                           GBytes         *body,
                                           const char     *client,
                                           gboolean        secure,
                                           PdvSyncReply   *reply);
void          pdv_sync_panel_logout       (PdvSyncPanel   *self,
                                           PdvStore       *store,
                                           const char     *cookie,
                                           const char     *client,
                                           gboolean        secure,
                                           PdvSyncReply   *reply);
gboolean      pdv_sync_panel_session      (PdvSyncPanel   *self,
                                           PdvStore       *store,
                                           const char     *cookie,
                                           char          **out_name,
                                           PdvPanelRole   *out_role,
                                           PdvSyncReply   *reply);
json_t       *pdv_sync_panel_figures      (PdvSyncPanel   *self,
                                           PdvStore       *store,
                                           GError        **error);
void          pdv_sync_panel_heard        (PdvSyncPanel   *self,
                                           PdvStore       *store,
                                           const char     *terminal_id,
                                           const char     *user_agent,
                                           const char     *waiting,
                                           const char     *oldest);
gboolean      pdv_sync_panel_set_live     (PdvSyncPanel   *self,
                                           json_t         *live);
void          pdv_sync_panel_forget_figures (PdvSyncPanel *self);
void          pdv_sync_panel_state        (PdvSyncPanel   *self,
                                           PdvStore       *store,
                                           const char     *name,
                                           PdvPanelRole    role,
                                           PdvSyncReply   *reply);
void          pdv_sync_panel_export       (PdvSyncPanel   *self,
                                           PdvStore       *store,
                                           const char     *name,
                                           PdvPanelRole    role,
                                           const char     *format,
                                           const char     *language,
                                           PdvSyncReply   *reply);
void          pdv_sync_panel_strings      (const char     *language,
                                           PdvSyncReply   *reply);
GBytes       *pdv_sync_panel_asset        (const char     *path,
                                           const char    **out_content_type);

/* pdv-sync-report.c: the report from the running totals. */
json_t       *pdv_sync_report_from_totals (PdvStore       *store,
                                           GError        **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "pdv-db.h"
#include "pdv-journal.h"
#include "pdv-sync-state.h"

G_BEGIN_DECLS

/* What one round of synchronisation did. */
typedef struct {
  char   *server;       /* the server that answered */
  gint64  pushed;       /* entries the server stored */
  gint64  duplicates;   /* entries it already had */
  gint64  conflicts;    /* entries it stored as the loser of an arbitration */
  gint64  acked_seq;    /* everything up to here is on the server */
  gint64  pulled;       /* changes applied here */
  gint64  documents;    /* of which: event, catalog, ticket, user and revocation lists */
  gint64  checkins;     /* of which: scans at other terminals */
  gint64  fichas;       /* of which: fichas served or taken back at other terminals */
  gint64  pulled_conflicts;
  gint64  cursor;       /* where the next pull starts */
} PdvSyncSummary;

void      pdv_sync_summary_clear    (PdvSyncSummary       *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvSyncSummary, pdv_sync_summary_clear)

gboolean  pdv_sync_run_once         (PdvDb                *db,
                                     GCancellable         *cancellable,
                                     PdvSyncSummary       *summary,
                                     GError              **error);

/* An HTTP session that trusts a pinned certificate or an authority instead
 * of the system's (pdv-sync-http.c); for pdvctl admin too. */
SoupSession *pdv_sync_new_session   (const char           *tls_pin,
                                     const char           *tls_ca);
void      pdv_sync_trust_message    (SoupSession          *session,
                                     SoupMessage          *message);
char     *pdv_sync_parse_sha256     (const char           *text);
gboolean  pdv_sync_parse_enrolment  (const char           *text,
                                     char                **out_url,
                                     char                **out_code,
                                     char                **out_pin,
                                     GError              **error);
gboolean  pdv_sync_enroll           (PdvDb                *db,
                                     const char           *url,
                                     const char           *code,
                                     GError              **error);
void      pdv_sync_enroll_async     (const char           *db_path,
                                     const char           *url,
                                     const char           *code,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  pdv_sync_enroll_finish    (GAsyncResult         *result,
                                     GError              **error);

gboolean  pdv_sync_recover          (PdvDb                *db,
                                     const char           *user,
                                     GCancellable         *cancellable,
                                     PdvJournalRecovery   *out,
                                     char                **out_server,
                                     GError              **error);
void      pdv_sync_recover_async    (const char           *db_path,
                                     const char           *user,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  pdv_sync_recover_finish   (GAsyncResult         *result,
                                     PdvJournalRecovery   *out,
                                     GError              **error);

G_END_DECLS

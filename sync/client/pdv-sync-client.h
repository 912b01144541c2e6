/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdv-db.h"

G_BEGIN_DECLS

#define PDV_SYNC_ERROR (pdv_sync_error_quark ())

typedef enum {
  PDV_SYNC_ERROR_NOT_INITIALISED,   /* the database is not a terminal yet */
  PDV_SYNC_ERROR_NOT_ENROLLED,      /* no server or no token */
  PDV_SYNC_ERROR_INVALID_URL,
  PDV_SYNC_ERROR_INVALID_ENROLMENT, /* not an enrolment QR text */
  PDV_SYNC_ERROR_ENROLMENT_REFUSED, /* an unknown, used or expired code */
  PDV_SYNC_ERROR_UNREACHABLE,       /* no answer: network, DNS, refused connection */
  PDV_SYNC_ERROR_UNAUTHENTICATED,   /* the server does not know this terminal's token */
  PDV_SYNC_ERROR_RATE_LIMITED,
  PDV_SYNC_ERROR_SERVER,            /* the server answered with an error */
  PDV_SYNC_ERROR_BAD_ANSWER,        /* the answer is not what the protocol says */
  PDV_SYNC_ERROR_REJECTED,          /* the server refused one of this terminal's entries */
  PDV_SYNC_ERROR_PULL,              /* something pulled could not be applied here */
} PdvSyncError;

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
  gint64  pulled_conflicts;
  gint64  cursor;       /* where the next pull starts */
} PdvSyncSummary;

GQuark    pdv_sync_error_quark      (void);

void      pdv_sync_summary_clear    (PdvSyncSummary       *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvSyncSummary, pdv_sync_summary_clear)

gboolean  pdv_sync_run_once         (PdvDb                *db,
                                     GCancellable         *cancellable,
                                     PdvSyncSummary       *summary,
                                     GError              **error);

gboolean  pdv_sync_parse_enrolment  (const char           *text,
                                     char                **out_url,
                                     char                **out_code,
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

G_END_DECLS

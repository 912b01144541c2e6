/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-db.h"

G_BEGIN_DECLS

/* What synchronisation can fail with, here and in the sync client. */
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
  PDV_SYNC_ERROR_DIVERGED,          /* the server holds other entries under this terminal's seqs: it was
                                     * restored from a backup and needs pdv_sync_recover() */
  PDV_SYNC_ERROR_INVALID_CERTIFICATE, /* a certificate authority that is not one */
  PDV_SYNC_ERROR_UNTRUSTED,         /* the server's certificate is not the one this terminal trusts */
} PdvSyncError;

GQuark         pdv_sync_error_quark       (void);

/* Where synchronisation stands, as the sync page and `pdvctl sync --status`
 * show it. Everything is read from the terminal database. */
typedef struct {
  gboolean   enrolled;         /* a server and a token are configured */
  gboolean   online;           /* the last attempt got an answer from a server */
  gint64     last_seq;         /* the newest journal entry */
  gint64     acked_seq;        /* entries up to here are on the server */
  gint64     queued;           /* entries not yet on the server */
  GDateTime *oldest_unsynced;  /* when the oldest of them was made; NULL when none */
  GDateTime *last_attempt;
  GDateTime *last_success;     /* the last time everything was pushed and pulled */
  char      *last_error;       /* why the last attempt failed; NULL when it did not */
  GDateTime *last_error_at;
  char      *server;           /* the server last reached */
  gint64     pull_cursor;
  gint64     conflicts;        /* conflict records on this terminal */
  gint64     open_conflicts;   /* those nobody has marked as seen */
  gboolean   diverged;         /* the last attempt found this terminal restored from a backup */
} PdvSyncStatus;

#define PDV_TYPE_SYNC_STATUS (pdv_sync_status_get_type ())
GType          pdv_sync_status_get_type   (void) G_GNUC_CONST;
PdvSyncStatus *pdv_sync_status_new        (void);
PdvSyncStatus *pdv_sync_status_copy       (const PdvSyncStatus *status);
void           pdv_sync_status_free       (PdvSyncStatus       *status);
gboolean       pdv_sync_status_equal      (const PdvSyncStatus *a,
                                           const PdvSyncStatus *b);
gint64         pdv_sync_status_get_oldest_age (const PdvSyncStatus *status,
                                           GDateTime           *now);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSyncStatus, pdv_sync_status_free)

PdvSyncStatus *pdv_sync_load_status       (PdvDb               *db,
                                           GError             **error);

/* Two gates admitted the same ticket while offline: the one the server
 * stored first won. */
typedef struct {
  char      *id;               /* NULL until the server's record is pulled */
  char      *ticket_id;
  char      *winner_terminal;  /* NULL until the server's record is pulled */
  gint64     winner_seq;
  char      *winner_at;
  char      *winner_gate;
  char      *loser_terminal;
  gint64     loser_seq;
  char      *loser_at;
  char      *loser_gate;
  char      *reason;           /* what the server said when it refused this terminal's entry */
  char      *created_at;
  gboolean   seen;
} PdvSyncConflict;

#define PDV_TYPE_SYNC_CONFLICT (pdv_sync_conflict_get_type ())
GType            pdv_sync_conflict_get_type (void) G_GNUC_CONST;
PdvSyncConflict *pdv_sync_conflict_copy     (const PdvSyncConflict *conflict);
void             pdv_sync_conflict_free     (PdvSyncConflict       *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSyncConflict, pdv_sync_conflict_free)

GPtrArray     *pdv_sync_list_conflicts       (PdvDb              *db,
                                              gboolean            unseen_only,
                                              GError            **error);
gboolean       pdv_sync_mark_conflicts_seen  (PdvDb              *db,
                                              GError            **error);

GStrv          pdv_sync_dup_servers          (PdvDb              *db,
                                              GError            **error);
gboolean       pdv_sync_set_servers          (PdvDb              *db,
                                              const char * const *urls,
                                              GError            **error);
char          *pdv_sync_normalise_url        (const char         *url,
                                              GError            **error);
gboolean       pdv_sync_set_tls_ca           (PdvDb              *db,
                                              const char         *pem,
                                              GError            **error);
char          *pdv_sync_dup_tls_ca           (PdvDb              *db);
char          *pdv_sync_describe_tls_ca      (const char         *pem);

/* For the sync client: the rest of the sync tables (migration 7). Writers
 * expect the caller's transaction where they say so. */
typedef struct {
  char   *token;
  gint64  acked_seq;
  gint64  pull_cursor;
  char   *tls_pin;     /* the server certificate's SHA-256 in hex: only it is trusted */
  char   *tls_ca;      /* a certificate authority (PEM) trusted instead of the system's */
} PdvSyncConfig;

void      pdv_sync_config_clear          (PdvSyncConfig  *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvSyncConfig, pdv_sync_config_clear)
gboolean  pdv_sync_read_queue            (PdvDb          *db,
                                          gint64         *out_queued,
                                          char          **out_oldest);
gboolean  pdv_sync_state_read            (PdvDb          *db,
                                          PdvSyncConfig  *config,
                                          GError        **error);
gboolean  pdv_sync_state_set_token       (PdvDb          *db,
                                          const char     *token,
                                          GError        **error);
gboolean  pdv_sync_state_set_tls_pin     (PdvDb          *db,
                                          const char     *sha256_hex,
                                          GError        **error);
gboolean  pdv_sync_state_set_acked_seq   (PdvDb          *db,
                                          gint64          acked_seq,
                                          GError        **error);
gboolean  pdv_sync_state_set_cursor      (PdvDb          *db,
                                          gint64          cursor,
                                          GError        **error);
gboolean  pdv_sync_state_record_attempt  (PdvDb          *db,
                                          GError        **error);
gboolean  pdv_sync_state_record_outcome  (PdvDb          *db,
                                          const char     *server,
                                          gboolean        reached,
                                          const char     *error_message,
                                          gboolean        diverged,
                                          GError        **error);
gboolean  pdv_sync_state_put_servers     (PdvDb              *db,
                                          const char * const *urls,
                                          GError            **error);
gboolean  pdv_sync_state_put_checkin     (PdvDb          *db,
                                          const char     *ticket_id,
                                          const char     *terminal,
                                          gint64          seq,
                                          const char     *direction,
                                          const char     *at,
                                          const char     *gate,
                                          GError        **error);
gboolean  pdv_sync_state_put_conflict    (PdvDb                 *db,
                                          const PdvSyncConflict *conflict,
                                          GError               **error);
gboolean  pdv_sync_state_put_lost_entry  (PdvDb                 *db,
                                          const PdvSyncConflict *conflict,
                                          GError               **error);

char     *pdv_sync_now_iso8601           (PdvDb           *db);

G_END_DECLS

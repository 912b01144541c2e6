/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-journal.h"  /* jansson, with its autoptr */

G_BEGIN_DECLS

/* The wire protocol of sync/PROTOCOL.md, encoded and decoded in one place
 * for the terminal (sync/client) and pdv-syncd (sync/server). Decoders check
 * shapes and types; what a message means is for its reader. Strings a
 * decoder hands back are borrowed from the JSON it read. */

/* Entries and pushes. */
json_t          *pdv_sync_entry_encode           (const PdvJournalEntry *entry);
PdvJournalEntry *pdv_sync_entry_decode           (json_t                *item,
                                                  guint                  index,
                                                  char                 **problem);
json_t          *pdv_sync_push_request_encode    (const char            *terminal_id,
                                                  GPtrArray             *entries);
GPtrArray       *pdv_sync_push_request_decode    (json_t                *request,
                                                  guint                  max_entries,
                                                  const char           **out_terminal_id,
                                                  char                 **problem);

typedef enum {
  PDV_SYNC_RESULT_ACCEPTED,
  PDV_SYNC_RESULT_DUPLICATE,
  PDV_SYNC_RESULT_CONFLICT,   /* stored, but it lost an arbitration */
  PDV_SYNC_RESULT_REJECTED,   /* not stored, nor anything after it */
} PdvSyncResultStatus;

typedef struct {
  gint64               seq;
  const char          *id;
  PdvSyncResultStatus  status;
  const char          *reason;   /* may be NULL */
} PdvSyncResult;

const char *pdv_sync_result_status_to_string (PdvSyncResultStatus  status);
json_t     *pdv_sync_result_encode            (const PdvSyncResult *result);
json_t     *pdv_sync_push_reply_encode        (json_t              *results,
                                               gint64               acked_seq);
GArray     *pdv_sync_push_reply_decode        (json_t              *reply,
                                               gint64              *out_acked_seq,
                                               char               **problem);

/* The change feed. */
typedef struct {
  gint64      cursor;
  const char *type;       /* "checkin", "conflict", "tickets", … */
  const char *terminal;   /* the terminal it came from, if any */
  json_t     *data;
} PdvSyncChange;

json_t     *pdv_sync_change_encode            (const PdvSyncChange *change);
gboolean    pdv_sync_change_decode            (json_t              *item,
                                               PdvSyncChange       *out_change,
                                               char               **problem);
json_t     *pdv_sync_pull_reply_encode        (json_t              *changes,
                                               gint64               next,
                                               gboolean             more,
                                               gint64               acked_seq);
gint64      pdv_sync_pull_reply_get_acked     (json_t              *reply);
gboolean    pdv_sync_pull_reply_decode        (json_t              *reply,
                                               json_t             **out_changes,
                                               gint64              *out_next,
                                               gboolean            *out_more,
                                               char               **problem);

/* A terminal's own entries as the server holds them (GET /v1/entries),
 * to recover a terminal restored from a backup. */
json_t     *pdv_sync_entries_reply_encode     (json_t              *entries,
                                               gint64               last_seq,
                                               gboolean             more);
GPtrArray  *pdv_sync_entries_reply_decode     (json_t              *reply,
                                               gint64              *out_last_seq,
                                               gboolean            *out_more,
                                               char               **problem);

/* A check-in as other terminals hear of it ("checkin" changes). */
typedef struct {
  const char *ticket_id;
  const char *direction;   /* "entry" or "exit" */
  const char *verdict;
  const char *at;
  const char *gate;
  gint64      seq;
  gboolean    has_seq;
} PdvSyncCheckin;

json_t     *pdv_sync_checkin_encode           (const PdvSyncCheckin *checkin);
void        pdv_sync_checkin_decode           (json_t               *data,
                                               PdvSyncCheckin       *out_checkin);

/* Two gates admitted one ticket: the first stored won ("conflict" changes). */
typedef struct {
  const char *terminal;
  gint64      seq;
  gboolean    has_seq;
  const char *at;
  const char *gate;
} PdvSyncAdmission;

typedef struct {
  const char       *id;
  const char       *ticket_id;
  const char       *created_at;
  PdvSyncAdmission  winner;
  PdvSyncAdmission  loser;
} PdvSyncConflictRecord;

json_t     *pdv_sync_conflict_encode          (const PdvSyncConflictRecord *conflict);
void        pdv_sync_conflict_decode          (json_t                      *data,
                                               PdvSyncConflictRecord       *out_conflict);

/* Enrolment: a one-time code for a token. */
json_t     *pdv_sync_enrol_request_encode     (const char  *code,
                                               const char  *terminal_id,
                                               const char  *terminal_name);
json_t     *pdv_sync_enrol_reply_encode       (const char  *terminal_id,
                                               const char  *token,
                                               json_t      *event,
                                               const char  *server_time);
void        pdv_sync_enrol_reply_decode       (json_t      *reply,
                                               const char **out_terminal_id,
                                               const char **out_token,
                                               json_t     **out_event);

/* Errors: {"error": {"code": …, "message": …}}. */
json_t     *pdv_sync_error_encode             (const char *code,
                                               const char *message);
gboolean    pdv_sync_error_decode             (json_t      *reply,
                                               const char **out_code,
                                               const char **out_message);

G_END_DECLS

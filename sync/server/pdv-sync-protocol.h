/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-journal.h"  /* jansson, with its autoptr */

#include "pdv-store.h"
#include "pdv-sync-metrics.h"

G_BEGIN_DECLS

/* What one request answers: an HTTP status and a JSON body. */
typedef struct {
  guint   status;
  json_t *body;
  char   *retry_after;  /* seconds, for 429 and 503; may be NULL */
  char   *set_cookie;   /* a Set-Cookie header; may be NULL */
  GBytes *raw;          /* sent instead of the JSON body, when set... */
  char   *content_type; /* ...as this */
  char   *file_name;    /* ...to be saved as this (Content-Disposition) */
} PdvSyncReply;

void      pdv_sync_reply_clear          (PdvSyncReply *reply);
void      pdv_sync_audit                (const char   *format,
                                         ...) G_GNUC_PRINTF (1, 2);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvSyncReply, pdv_sync_reply_clear)

void      pdv_sync_reply_error          (PdvSyncReply *reply,
                                         guint         status,
                                         const char   *code,
                                         const char   *format,
                                         ...) G_GNUC_PRINTF (4, 5);
void      pdv_sync_reply_store_error    (PdvSyncReply *reply,
                                         GError       *error);
void      pdv_sync_reply_json           (PdvSyncReply *reply,
                                         guint         status,
                                         json_t       *body);

char     *pdv_sync_now                  (PdvStore     *store);
char     *pdv_sync_sha256_hex           (const char   *text);
json_t   *pdv_sync_parse_json           (const char   *text);
GPtrArray *pdv_sync_sorted_keys         (GHashTable   *table);

/* The most entries one push may carry. */
#define PDV_SYNC_MAX_BATCH 500
/* An entry's payload, and any text in it: far above what a terminal writes
 * (a sale of a hundred lines is under 20 KiB), so that one terminal cannot
 * make every other's pull page huge. */
#define PDV_SYNC_MAX_PAYLOAD_BYTES (256 * 1024)
#define PDV_SYNC_MAX_TEXT_BYTES 4096
#define PDV_SYNC_DEFAULT_PULL_LIMIT 500
#define PDV_SYNC_MAX_PULL_LIMIT 1000
/* A pull page stops once its changes' data pass this many bytes (it always
 * holds at least one change): a list sent in parts reaches a terminal a few
 * parts at a time. */
#define PDV_SYNC_PULL_PAGE_BYTES (4 * 1024 * 1024)
/* Changes are read from the store this many at a time while a page fills. */
#define PDV_SYNC_PULL_BATCH 64
/* The longest a pull with `wait` is held for a change to come. */
#define PDV_SYNC_MAX_PULL_WAIT_S 60

/* pdv-sync-push.c. Returns TRUE when the push committed. */
gboolean  pdv_sync_push                 (PdvStore               *store,
                                         PdvSyncMetrics         *metrics,
                                         const PdvStoreTerminal *terminal,
                                         json_t                 *request,
                                         gboolean               *out_changed,
                                         PdvSyncReply           *reply);

/* pdv-sync-admin.c */
void      pdv_sync_create_enrolment     (PdvStore               *store,
                                         const char             *server_url,
                                         const char             *tls_sha256,
                                         json_t                 *request,
                                         PdvSyncReply           *reply);
void      pdv_sync_enrol                (PdvStore               *store,
                                         json_t                 *request,
                                         PdvSyncReply           *reply);
void      pdv_sync_pull                 (PdvStore               *store,
                                         const char             *since,
                                         const char             *limit,
                                         gint64                  acked_seq,
                                         PdvSyncReply           *reply);
void      pdv_sync_entries              (PdvStore               *store,
                                         const PdvStoreTerminal *terminal,
                                         const char             *after,
                                         const char             *limit,
                                         PdvSyncReply           *reply);
void      pdv_sync_import               (PdvStore               *store,
                                         const char             *data,
                                         gsize                   length,
                                         PdvSyncReply           *reply);

/* pdv-sync-report.c. With @check, the report is also made from the
 * entries; totals that differ are made again. */
void      pdv_sync_report               (PdvStore               *store,
                                         gboolean                check,
                                         PdvSyncReply           *reply);

/* pdv-sync-totals.c */
typedef struct _PdvSyncTotals PdvSyncTotals;

PdvSyncTotals *pdv_sync_totals_new       (void);
void      pdv_sync_totals_free          (PdvSyncTotals          *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSyncTotals, pdv_sync_totals_free)
char     *pdv_sync_totals_quarter       (const char             *created_at);
gboolean  pdv_sync_totals_add_entry     (PdvSyncTotals          *self,
                                         PdvStore               *store,
                                         const PdvStoreEntry    *entry,
                                         json_t                 *payload,
                                         GError                **error);
void      pdv_sync_totals_add_ficha     (PdvSyncTotals          *self,
                                         const char             *terminal,
                                         const char             *product,
                                         const char             *name,
                                         gint64                  issued,
                                         gint64                  served,
                                         gint64                  revoked);
gboolean  pdv_sync_totals_ficha_sold_as (json_t                 *sale_payload,
                                         const char             *ficha_id,
                                         const char            **out_product,
                                         const char            **out_name);
gboolean  pdv_sync_totals_read_presence (PdvSyncTotals         *self,
                                         PdvStore               *store,
                                         const char * const     *ticket_ids,
                                         guint                   n_tickets,
                                         GError                **error);
gboolean  pdv_sync_totals_flush         (PdvSyncTotals          *self,
                                         PdvStore               *store,
                                         GError                **error);
gboolean  pdv_sync_totals_rebuild       (PdvStore               *store,
                                         GError                **error);
gboolean  pdv_sync_totals_prepare       (PdvStore               *store,
                                         GError                **error);

G_END_DECLS

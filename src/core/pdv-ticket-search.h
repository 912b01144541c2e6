/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdv-db.h"
#include "pdv-ticket-token.h"

G_BEGIN_DECLS

/* A ticket of the list as search finds it, with where it stands tonight. */
typedef struct {
  char           *id;
  char           *order_code;
  char           *holder_name;
  char           *type;
  char           *zone;
  PdvEntryPolicy  policy;
  char           *status;        /* valid, cancelled or blocked */
  gboolean        revoked;
  gboolean        inside;
  gint64          entries;
  gint64          exits;
  GDateTime      *last_at;       /* NULL if never scanned in or out */
  char           *last_gate;
  GDateTime      *valid_from;    /* NULL: from the start */
  GDateTime      *valid_until;   /* NULL: to the end */
  char           *attention;     /* what door staff must check, or NULL */
} PdvTicketInfo;

void        pdv_ticket_info_free      (PdvTicketInfo  *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvTicketInfo, pdv_ticket_info_free)

gboolean    pdv_ticket_index_name     (PdvDb          *db,
                                       const char     *ticket_id,
                                       const char     *holder_name,
                                       GError        **error);
gboolean    pdv_ticket_index_new_name (PdvDb          *db,
                                       const char     *ticket_id,
                                       const char     *holder_name,
                                       GError        **error);
gboolean    pdv_ticket_index_refresh  (PdvDb          *db,
                                       GError        **error);
GPtrArray  *pdv_ticket_search         (PdvDb          *db,
                                       const char     *text,
                                       guint           limit,
                                       GError        **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-checkin.h"

G_BEGIN_DECLS

/* The rules of the door, shared by the PdvCheckin object (pdv-checkin.c) and
 * the rules themselves (pdv-checkin-rules.c). Every function here runs
 * inside the transaction that journals the scan. */

/* What the terminal knows of the event, read again at every scan so that an
 * import between two scans counts at once. */
typedef struct {
  char      *event_id;
  gint64     capacity;
  GTimeZone *timezone;
  gboolean   has_key;
  guint8     key[PDV_TICKET_PUBLIC_KEY_BYTES];
} PdvCheckinEvent;

/* A ticket once the scan identified it. */
typedef struct {
  char           *id;
  char           *event_id;     /* signed tickets only */
  char           *order_code;
  char           *holder_name;
  char           *attention;    /* what door staff must check, from the list */
  char           *type;
  char           *zone;
  char           *status;
  PdvEntryPolicy  policy;
  gboolean        is_signed;
  gboolean        has_valid_from;
  gint64          valid_from;
  gboolean        has_valid_until;
  gint64          valid_until;
} PdvCheckinTicket;

void      pdv_checkin_event_load          (PdvDb                   *db,
                                           PdvCheckinEvent         *event);
void      pdv_checkin_event_clear         (PdvCheckinEvent         *event);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvCheckinEvent, pdv_checkin_event_clear)
void      pdv_checkin_ticket_clear        (PdvCheckinTicket        *ticket);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvCheckinTicket, pdv_checkin_ticket_clear)

char     *pdv_checkin_read_input          (const char              *text,
                                           gsize                    length,
                                           const char             **out_problem);
json_t   *pdv_checkin_input_summary       (const char              *text,
                                           gsize                    length,
                                           const char              *problem);
void      pdv_checkin_set_message         (PdvCheckinResult        *result,
                                           char                    *message,
                                           char                    *detail);
void      pdv_checkin_refuse_unreadable   (PdvCheckinResult        *result,
                                           const char              *problem,
                                           const char             **out_problem);
/* A scan, this terminal's or another gate's, in the venue's count: the
 * latest scan of a ticket anywhere says whether it is inside. @zone NULL
 * looks it up in the ticket list. */
gboolean  pdv_venue_note_scan             (PdvDb                   *db,
                                           const char              *ticket_id,
                                           const char              *at,
                                           gboolean                 entered,
                                           const char              *gate,
                                           const char              *zone,
                                           GError                 **error);
gboolean  pdv_checkin_load_occupancy      (PdvDb                   *db,
                                           PdvOccupancy            *occupancy,
                                           GError                 **error);
gboolean  pdv_checkin_find_ticket         (PdvDb                   *db,
                                           const char              *id,
                                           PdvCheckinTicket        *ticket,
                                           gboolean                *out_found,
                                           GError                 **error);
gboolean  pdv_checkin_identify            (PdvDb                   *db,
                                           const char              *code,
                                           const PdvCheckinEvent   *event,
                                           PdvCheckinTicket        *ticket,
                                           PdvCheckinResult        *result,
                                           gboolean                *out_identified,
                                           const char             **out_problem,
                                           GError                 **error);
gboolean  pdv_checkin_judge               (PdvDb                   *db,
                                           const char * const      *zones,
                                           const PdvCheckinTicket  *ticket,
                                           PdvCheckinDirection      direction,
                                           GDateTime               *now,
                                           const PdvCheckinEvent   *event,
                                           PdvCheckinResult        *result,
                                           json_t                  *payload,
                                           GError                 **error);

G_END_DECLS

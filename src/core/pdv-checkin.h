/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-journal.h"
#include "pdv-ticket-search.h"
#include "pdv-ticket-token.h"

G_BEGIN_DECLS

/* The longest scanned text read as a ticket; anything longer is unreadable. */
#define PDV_CHECKIN_MAX_INPUT 4096

typedef enum {
  PDV_CHECKIN_VALID,           /* entry recorded */
  PDV_CHECKIN_EXITED,          /* exit recorded */
  PDV_CHECKIN_ALREADY_INSIDE,
  PDV_CHECKIN_ALREADY_USED,
  PDV_CHECKIN_NOT_INSIDE,      /* an exit scan of a ticket that is not inside */
  PDV_CHECKIN_UNKNOWN,
  PDV_CHECKIN_CANCELLED,       /* cancelled or blocked */
  PDV_CHECKIN_REVOKED,
  PDV_CHECKIN_WRONG_EVENT,
  PDV_CHECKIN_NOT_YET_VALID,
  PDV_CHECKIN_EXPIRED,
  PDV_CHECKIN_WRONG_ZONE,
  PDV_CHECKIN_CAPACITY_FULL,   /* entry refused: the venue is full */
  PDV_CHECKIN_BAD_SIGNATURE,
  PDV_CHECKIN_UNREADABLE,
} PdvCheckinVerdict;

typedef enum {
  PDV_CHECKIN_WARNING_NONE          = 0,
  PDV_CHECKIN_WARNING_RE_ENTRY      = 1 << 0,  /* readmitted after an exit */
  PDV_CHECKIN_WARNING_CAPACITY_NEAR = 1 << 1,  /* at least 90 % of capacity inside */
  PDV_CHECKIN_WARNING_CAPACITY_FULL = 1 << 2,  /* this entry filled the venue */
  PDV_CHECKIN_WARNING_OVERRIDE      = 1 << 3,  /* refused, let in by a supervisor */
} PdvCheckinWarnings;

typedef enum {
  PDV_CHECKIN_ENTRY,
  PDV_CHECKIN_EXIT,
} PdvCheckinDirection;

typedef enum {
  PDV_SCAN_CAMERA,
  PDV_SCAN_WEDGE,
  PDV_SCAN_MANUAL,
  PDV_SCAN_FILE,
} PdvScanSource;

#define PDV_TYPE_CHECKIN_DIRECTION (pdv_checkin_direction_get_type ())
GType pdv_checkin_direction_get_type (void) G_GNUC_CONST;

/* Everything the door screen shows about one scan. */
typedef struct {
  PdvCheckinVerdict    verdict;
  PdvCheckinWarnings   warnings;
  PdvCheckinDirection  direction;
  char                *message;        /* translated: the verdict in words */
  char                *detail;         /* translated, may be NULL: warnings, reasons */
  gint64               seq;            /* the journal entry of this scan */
  GDateTime           *scanned_at;     /* when, on the terminal's clock */

  /* The ticket, when it was identified. */
  char                *ticket_id;
  char                *holder_name;
  char                *order_code;     /* NULL for signed tickets */
  char                *type;
  char                *zone;
  PdvEntryPolicy       policy;
  gboolean             is_signed;
  char                *attention;      /* from the list: what to check ("check ID: under 18"), or NULL */

  /* Its last accepted scan before this one; last_at is NULL if there was none. */
  GDateTime           *last_at;
  char                *last_gate;
  PdvCheckinDirection  last_direction;

  gint64               inside;         /* people inside after this scan */
  gint64               capacity;       /* 0 when the event sets none */
} PdvCheckinResult;

#define PDV_TYPE_CHECKIN_RESULT (pdv_checkin_result_get_type ())
GType             pdv_checkin_result_get_type (void) G_GNUC_CONST;
PdvCheckinResult *pdv_checkin_result_copy     (const PdvCheckinResult *result);
void              pdv_checkin_result_free     (PdvCheckinResult       *result);
gboolean          pdv_checkin_result_is_accepted (const PdvCheckinResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvCheckinResult, pdv_checkin_result_free)

typedef struct {
  gint64   inside;        /* the venue: this gate's scans and the other gates' pulled */
  gint64   gate_inside;   /* admitted here and not left here */
  gint64   entries;       /* at this gate */
  gint64   exits;
  gint64   refusals;
  gint64   capacity;      /* 0 when the event sets none */
  gboolean shared;        /* this terminal syncs with other gates */
  gint64   others_as_of;  /* UNIX time the other gates were last heard from; 0 never */
} PdvOccupancy;

#define PDV_TYPE_CHECKIN (pdv_checkin_get_type ())
G_DECLARE_FINAL_TYPE (PdvCheckin, pdv_checkin, PDV, CHECKIN, GObject)

const char       *pdv_checkin_verdict_to_string   (PdvCheckinVerdict    verdict);
const char       *pdv_checkin_direction_to_string (PdvCheckinDirection  direction);
const char       *pdv_scan_source_to_string       (PdvScanSource        source);
gboolean          pdv_scan_source_from_string     (const char          *text,
                                                   PdvScanSource       *out_source);
GStrv             pdv_checkin_warnings_to_strv    (PdvCheckinWarnings   warnings);

PdvCheckin       *pdv_checkin_new                 (PdvJournal          *journal);

const char       *pdv_checkin_get_gate            (PdvCheckin          *self);
void              pdv_checkin_set_gate            (PdvCheckin          *self,
                                                   const char          *gate);
PdvCheckinDirection pdv_checkin_get_direction     (PdvCheckin          *self);
void              pdv_checkin_set_direction       (PdvCheckin          *self,
                                                   PdvCheckinDirection  direction);
const char * const *pdv_checkin_get_zones         (PdvCheckin          *self);
void              pdv_checkin_set_zones           (PdvCheckin          *self,
                                                   const char * const  *zones);
const char       *pdv_checkin_get_user            (PdvCheckin          *self);
void              pdv_checkin_set_user            (PdvCheckin          *self,
                                                   const char          *user);

PdvCheckinResult *pdv_checkin_validate            (PdvCheckin          *self,
                                                   const char          *text,
                                                   gssize               length,
                                                   PdvScanSource        source,
                                                   GError             **error);
PdvCheckinResult *pdv_checkin_admit_manual        (PdvCheckin          *self,
                                                   const char          *ticket_id,
                                                   const char          *user,
                                                   const char          *reason,
                                                   GError             **error);
gboolean          pdv_checkin_verdict_can_override (PdvCheckinVerdict   verdict);
PdvCheckinResult *pdv_checkin_override            (PdvCheckin          *self,
                                                   const char          *text,
                                                   gssize               length,
                                                   PdvScanSource        source,
                                                   const char          *supervisor,
                                                   const char          *reason,
                                                   GError             **error);
GPtrArray        *pdv_checkin_search              (PdvCheckin          *self,
                                                   const char          *text,
                                                   guint                limit,
                                                   GError             **error);
GPtrArray        *pdv_checkin_list_recent         (PdvCheckin          *self,
                                                   guint                limit,
                                                   GError             **error);
gboolean          pdv_checkin_get_occupancy       (PdvCheckin          *self,
                                                   PdvOccupancy        *out_occupancy,
                                                   GError             **error);

/* What a gate does near capacity while the other gates' figures are stale
 * (not heard from for PDV_OCCUPANCY_STALE_S): entries they made since may not
 * be counted yet. */
typedef enum {
  PDV_STALE_REFUSE_EARLY,   /* refuse from capacity less a margin */
  PDV_STALE_WARN_ONLY,      /* admit up to capacity, warning that the count is old */
} PdvStaleCapacity;

#define PDV_OCCUPANCY_STALE_S 120
/* As long as an event lists them, and far below what the sync server takes. */
#define PDV_GATE_NAME_MAX_CHARS 120
#define PDV_STALE_MARGIN_DEFAULT 5   /* percent of capacity */
#define PDV_STALE_MARGIN_MAX 50

/* How this terminal works as a gate, kept in its database: the gate's name,
 * the zones it admits and the direction it scans by default, and what it does
 * near capacity while the other gates are not heard from. pdvctl and the app
 * both start from it. */
typedef struct {
  char                *gate;        /* NULL: the terminal's name */
  GStrv                zones;       /* NULL: every zone */
  PdvCheckinDirection  direction;
  PdvStaleCapacity     stale_capacity;
  guint                stale_margin;  /* percent of capacity, for PDV_STALE_REFUSE_EARLY */
} PdvGateProfile;

void              pdv_gate_profile_clear          (PdvGateProfile      *profile);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvGateProfile, pdv_gate_profile_clear)
void              pdv_gate_profile_load           (PdvDb               *db,
                                                   PdvGateProfile      *out_profile);
void              pdv_gate_profile_load_stale     (PdvDb               *db,
                                                   PdvStaleCapacity    *out_policy,
                                                   guint               *out_margin);
gboolean          pdv_gate_profile_save           (PdvDb               *db,
                                                   const PdvGateProfile *profile,
                                                   GError             **error);
char             *pdv_gate_profile_describe       (const PdvGateProfile *profile);
void              pdv_checkin_use_profile         (PdvCheckin          *self,
                                                   const PdvGateProfile *profile);

/* How many are inside per zone, or per gate they last came in through. */
typedef struct {
  char   *name;     /* a zone ("" when not known) or a gate */
  gint64  inside;
} PdvOccupancyPart;

typedef enum {
  PDV_OCCUPANCY_BY_ZONE,
  PDV_OCCUPANCY_BY_GATE,
} PdvOccupancyParts;

void              pdv_occupancy_part_free         (PdvOccupancyPart    *part);
GPtrArray        *pdv_checkin_list_occupancy      (PdvCheckin          *self,
                                                   PdvOccupancyParts    parts,
                                                   GError             **error);

G_END_DECLS

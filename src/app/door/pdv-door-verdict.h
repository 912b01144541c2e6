/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"

G_BEGIN_DECLS

/* What the door staff must tell at a glance, by colour first. */
typedef enum {
  PDV_DOOR_VERDICT_IDLE,       /* ready for the next ticket */
  PDV_DOOR_VERDICT_ACCEPTED,   /* in: green */
  PDV_DOOR_VERDICT_WARNING,    /* in, but look: amber */
  PDV_DOOR_VERDICT_REFUSED,    /* not in: red */
  PDV_DOOR_VERDICT_EXITED,     /* out: blue */
} PdvDoorVerdictKind;

#define PDV_TYPE_DOOR_VERDICT (pdv_door_verdict_get_type ())
G_DECLARE_FINAL_TYPE (PdvDoorVerdict, pdv_door_verdict, PDV, DOOR_VERDICT, GtkWidget)

PdvDoorVerdictKind  pdv_door_verdict_kind_for_result   (const PdvCheckinResult *result);
const char         *pdv_door_verdict_kind_to_css_class (PdvDoorVerdictKind      kind);
const char         *pdv_door_verdict_short_text        (const PdvCheckinResult *result);

GtkWidget          *pdv_door_verdict_new               (void);
void                pdv_door_verdict_show_result       (PdvDoorVerdict         *self,
                                                        const PdvCheckinResult *result,
                                                        PdvScanSource           source);
void                pdv_door_verdict_show_idle         (PdvDoorVerdict         *self);
void                pdv_door_verdict_show_checking     (PdvDoorVerdict         *self);
void                pdv_door_verdict_show_problem      (PdvDoorVerdict         *self,
                                                        const char             *title,
                                                        const char             *detail);
PdvDoorVerdictKind  pdv_door_verdict_get_kind          (PdvDoorVerdict         *self);
const char         *pdv_door_verdict_get_headline      (PdvDoorVerdict         *self);
const char         *pdv_door_verdict_get_title         (PdvDoorVerdict         *self);
const char         *pdv_door_verdict_get_detail        (PdvDoorVerdict         *self);
const char         *pdv_door_verdict_get_meta          (PdvDoorVerdict         *self);
void                pdv_door_verdict_set_clock         (PdvDoorVerdict         *self,
                                                        PdvClock               *clock);
void                pdv_door_verdict_set_timezone      (PdvDoorVerdict         *self,
                                                        GTimeZone              *timezone);
void                pdv_door_verdict_set_direction     (PdvDoorVerdict         *self,
                                                        PdvCheckinDirection     direction);
guint               pdv_door_verdict_get_hold_time     (PdvDoorVerdict         *self);
void                pdv_door_verdict_set_hold_time     (PdvDoorVerdict         *self,
                                                        guint                   seconds);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-checkin-page.h"
#include "pdv-manager-prompt.h"
#include "pdv-door-camera.h"
#include "pdv-door-search.h"
#include "pdv-door-sounds.h"
#include "pdv-door-verdict.h"

G_BEGIN_DECLS

/* What the UI tests observe and drive, through the same paths the scanners,
 * the keyboard and door staff's taps take. */

PdvCheckin     *pdv_checkin_page_get_checkin        (PdvCheckinPage      *self);
PdvDoorVerdict *pdv_checkin_page_get_verdict        (PdvCheckinPage      *self);
PdvDoorSounds  *pdv_checkin_page_get_sounds         (PdvCheckinPage      *self);
PdvDoorSearch  *pdv_checkin_page_get_search         (PdvCheckinPage      *self);
PdvDoorCamera  *pdv_checkin_page_get_camera         (PdvCheckinPage      *self);
void            pdv_checkin_page_set_direction      (PdvCheckinPage      *self,
                                                     PdvCheckinDirection  direction);
gboolean        pdv_checkin_page_press_key          (PdvCheckinPage      *self,
                                                     guint                keyval,
                                                     GdkModifierType      state,
                                                     guint32              time_ms);
void            pdv_checkin_page_release_held_keys  (PdvCheckinPage      *self);
guint           pdv_checkin_page_get_n_scans        (PdvCheckinPage      *self);
guint           pdv_checkin_page_get_n_pending      (PdvCheckinPage      *self);
AdwMessageDialog *pdv_checkin_page_get_override_dialog (PdvCheckinPage    *self);
GtkEditable      *pdv_checkin_page_get_override_entry  (PdvCheckinPage    *self);
PdvManagerPrompt *pdv_checkin_page_get_override_prompt (PdvCheckinPage    *self);
const char     *pdv_checkin_page_get_inside_text    (PdvCheckinPage      *self);
const char     *pdv_checkin_page_get_venue_text     (PdvCheckinPage      *self);
const char     *pdv_checkin_page_get_entries_text   (PdvCheckinPage      *self);
const char     *pdv_checkin_page_get_capacity_text  (PdvCheckinPage      *self);
const char     *pdv_checkin_page_get_occupancy_text (PdvCheckinPage      *self);
guint           pdv_checkin_page_count_history      (PdvCheckinPage      *self);
char           *pdv_checkin_page_dup_history_text   (PdvCheckinPage      *self,
                                                     guint                index);

G_END_DECLS

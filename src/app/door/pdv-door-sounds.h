/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-door-verdict.h"

G_BEGIN_DECLS

#define PDV_TYPE_DOOR_SOUNDS (pdv_door_sounds_get_type ())
G_DECLARE_FINAL_TYPE (PdvDoorSounds, pdv_door_sounds, PDV, DOOR_SOUNDS, GObject)

PdvDoorSounds *pdv_door_sounds_new        (void);
gboolean       pdv_door_sounds_get_muted  (PdvDoorSounds      *self);
void           pdv_door_sounds_set_muted  (PdvDoorSounds      *self,
                                           gboolean            muted);
double         pdv_door_sounds_get_volume (PdvDoorSounds      *self);
void           pdv_door_sounds_set_volume (PdvDoorSounds      *self,
                                           double              volume);
void           pdv_door_sounds_play       (PdvDoorSounds      *self,
                                           PdvDoorVerdictKind  kind);
guint          pdv_door_sounds_get_n_played (PdvDoorSounds    *self);

G_END_DECLS

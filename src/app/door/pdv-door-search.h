/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_TYPE_DOOR_SEARCH (pdv_door_search_get_type ())
G_DECLARE_FINAL_TYPE (PdvDoorSearch, pdv_door_search, PDV, DOOR_SEARCH, GtkWidget)

PdvCheckin       *pdv_door_search_get_checkin          (PdvDoorSearch *self);
void              pdv_door_search_set_checkin          (PdvDoorSearch *self,
                                                        PdvCheckin    *checkin);
void              pdv_door_search_set_timezone         (PdvDoorSearch *self,
                                                        GTimeZone     *timezone);
void              pdv_door_search_refresh              (PdvDoorSearch *self);
void              pdv_door_search_set_text             (PdvDoorSearch *self,
                                                        const char    *text);
const char       *pdv_door_search_get_text             (PdvDoorSearch *self);
GtkWidget        *pdv_door_search_get_entry            (PdvDoorSearch *self);
guint             pdv_door_search_count_results        (PdvDoorSearch *self);
const char       *pdv_door_search_get_result_ticket_id (PdvDoorSearch *self,
                                                        guint          index);
const char       *pdv_door_search_get_result_subtitle  (PdvDoorSearch *self,
                                                        guint          index);
AdwMessageDialog *pdv_door_search_get_admit_dialog     (PdvDoorSearch *self);
GtkEditable      *pdv_door_search_get_admit_reason     (PdvDoorSearch *self);

G_END_DECLS

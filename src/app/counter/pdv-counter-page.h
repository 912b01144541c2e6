/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"
#include "pdv-door-camera.h"
#include "pdv-door-sounds.h"
#include "pdv-session.h"

G_BEGIN_DECLS

#define PDV_TYPE_COUNTER_PAGE (pdv_counter_page_get_type ())
G_DECLARE_FINAL_TYPE (PdvCounterPage, pdv_counter_page, PDV, COUNTER_PAGE, GtkWidget)

GtkWidget                *pdv_counter_page_new           (PdvContext     *context);
void                      pdv_counter_page_set_session   (PdvCounterPage *self,
                                                          PdvSession     *session);
void                      pdv_counter_page_set_counter   (PdvCounterPage *self,
                                                          const char     *name);
const PdvFichaRedemption *pdv_counter_page_scan          (PdvCounterPage *self,
                                                          const char     *text);
const PdvFichaRedemption *pdv_counter_page_get_last      (PdvCounterPage *self);
const char               *pdv_counter_page_get_headline  (PdvCounterPage *self);
const char               *pdv_counter_page_get_error     (PdvCounterPage *self);
GtkEntry                 *pdv_counter_page_get_entry     (PdvCounterPage *self);
PdvDoorCamera            *pdv_counter_page_get_camera    (PdvCounterPage *self);
PdvDoorSounds            *pdv_counter_page_get_sounds    (PdvCounterPage *self);

G_END_DECLS

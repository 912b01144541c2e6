/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-camera-scanner.h"

G_BEGIN_DECLS

#define PDV_TYPE_DOOR_CAMERA (pdv_door_camera_get_type ())
G_DECLARE_FINAL_TYPE (PdvDoorCamera, pdv_door_camera, PDV, DOOR_CAMERA, GtkWidget)

PdvCameraScanner *pdv_door_camera_get_scanner (PdvDoorCamera *self);
void              pdv_door_camera_set_device  (PdvDoorCamera *self,
                                               const char    *device);
gboolean          pdv_door_camera_get_enabled (PdvDoorCamera *self);
void              pdv_door_camera_set_enabled (PdvDoorCamera *self,
                                               gboolean       enabled);
const char       *pdv_door_camera_get_status  (PdvDoorCamera *self);
gboolean          pdv_door_camera_get_showing_preview (PdvDoorCamera *self);

G_END_DECLS

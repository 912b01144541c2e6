/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-image-scanner.h"

G_BEGIN_DECLS

#define PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS 2000
#define PDV_CAMERA_SCANNER_PREVIEW_MAX_FPS 15
#define PDV_CAMERA_SCANNER_PREVIEW_MAX_WIDTH 640

/* One preview picture: packed 8-bit RGB rows. */
typedef struct {
  GBytes *pixels;
  guint   width;
  guint   height;
  gsize   stride;
} PdvCameraFrame;

#define PDV_TYPE_CAMERA_FRAME (pdv_camera_frame_get_type ())
GType           pdv_camera_frame_get_type (void) G_GNUC_CONST;
PdvCameraFrame *pdv_camera_frame_copy     (const PdvCameraFrame *frame);
void            pdv_camera_frame_free     (PdvCameraFrame       *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvCameraFrame, pdv_camera_frame_free)

#define PDV_TYPE_CAMERA_SCANNER (pdv_camera_scanner_get_type ())
G_DECLARE_FINAL_TYPE (PdvCameraScanner, pdv_camera_scanner, PDV, CAMERA_SCANNER, GObject)

PdvCameraScanner *pdv_camera_scanner_new                (void);

gboolean          pdv_camera_scanner_has_camera         (void);

const char       *pdv_camera_scanner_get_device         (PdvCameraScanner  *self);
void              pdv_camera_scanner_set_device         (PdvCameraScanner  *self,
                                                         const char        *device);
const char       *pdv_camera_scanner_get_source_description (PdvCameraScanner *self);
void              pdv_camera_scanner_set_source_description (PdvCameraScanner *self,
                                                             const char       *description);
guint             pdv_camera_scanner_get_repeat_interval (PdvCameraScanner *self);
void              pdv_camera_scanner_set_repeat_interval (PdvCameraScanner *self,
                                                          guint             interval_ms);
gboolean          pdv_camera_scanner_get_preview        (PdvCameraScanner  *self);
void              pdv_camera_scanner_set_preview        (PdvCameraScanner  *self,
                                                         gboolean           preview);

gboolean          pdv_camera_scanner_start              (PdvCameraScanner  *self,
                                                         GError           **error);
void              pdv_camera_scanner_stop               (PdvCameraScanner  *self);
gboolean          pdv_camera_scanner_get_running        (PdvCameraScanner  *self);
guint             pdv_camera_scanner_get_n_decoded      (PdvCameraScanner  *self);

G_END_DECLS

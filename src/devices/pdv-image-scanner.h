/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PDV_SCANNER_ERROR (pdv_scanner_error_quark ())

typedef enum {
  PDV_SCANNER_ERROR_NO_CAMERA,       /* nothing to capture from */
  PDV_SCANNER_ERROR_CAMERA_FAILED,   /* the camera was there but stopped working */
  PDV_SCANNER_ERROR_UNREADABLE,      /* a file that is not an image we can read */
} PdvScannerError;

/* Finds QR codes in greyscale pictures with zbar. Keeps zbar's scanner
 * between pictures, so it belongs to one thread at a time. */
typedef struct _PdvImageScanner PdvImageScanner;

GQuark           pdv_scanner_error_quark      (void);

PdvImageScanner *pdv_image_scanner_new        (void);
void             pdv_image_scanner_free       (PdvImageScanner *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvImageScanner, pdv_image_scanner_free)

GStrv            pdv_image_scanner_scan_gray  (PdvImageScanner *self,
                                               const guint8    *pixels,
                                               guint            width,
                                               guint            height,
                                               gsize            stride);
GStrv            pdv_image_scanner_scan_bytes (GBytes          *bytes,
                                               const char      *name,
                                               GError         **error);
GStrv            pdv_image_scanner_scan_file  (const char      *path,
                                               GError         **error);

G_END_DECLS

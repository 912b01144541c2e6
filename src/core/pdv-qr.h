/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PDV_QR_ERROR (pdv_qr_error_quark ())

typedef enum {
  PDV_QR_ERROR_EMPTY,
  PDV_QR_ERROR_TOO_LONG,
  PDV_QR_ERROR_FAILED,
} PdvQrError;

/* A QR code symbol without its quiet zone: @width × @width modules, row by
 * row from the top left, 1 for a dark module and 0 for a light one. */
typedef struct {
  guint   width;
  guint   version;
  guint8 *modules;
} PdvQrCode;

GQuark     pdv_qr_error_quark   (void);

PdvQrCode *pdv_qr_encode        (const char      *text,
                                 GError         **error);
gboolean   pdv_qr_code_is_dark  (const PdvQrCode *code,
                                 guint            x,
                                 guint            y);
void       pdv_qr_code_free     (PdvQrCode       *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvQrCode, pdv_qr_code_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-qr"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <qrencode.h>
#include <string.h>

#include "pdv-qr.h"

G_DEFINE_QUARK (pdv-qr-error-quark, pdv_qr_error)

/**
 * pdv_qr_encode:
 * @text: what the code carries, as bytes (UTF-8 or plain ASCII)
 *
 * Encodes @text in the smallest QR code version that holds it, with error
 * correction level M (15 % of the symbol can be damaged), which phone cameras
 * read well from a screen or a thermal receipt.
 *
 * Returns: (transfer full): the symbol, or %NULL with @error set
 */
PdvQrCode *
pdv_qr_encode (const char  *text,
               GError     **error)
{
  QRcode *qr;
  PdvQrCode *code;
  gsize n_modules;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*text == '\0')
    {
      g_set_error_literal (error, PDV_QR_ERROR, PDV_QR_ERROR_EMPTY,
                           _("There is nothing to put in the QR code"));
      return NULL;
    }

  errno = 0;
  qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    {
      int saved_errno = errno;

      if (saved_errno == ERANGE)
        g_set_error (error, PDV_QR_ERROR, PDV_QR_ERROR_TOO_LONG,
                     _("The text is too long for a QR code (%u bytes)"), (guint) strlen (text));
      else
        g_set_error (error, PDV_QR_ERROR, PDV_QR_ERROR_FAILED,
                     _("Could not make a QR code: %s"), g_strerror (saved_errno));
      return NULL;
    }

  g_assert (qr->width > 0);
  n_modules = (gsize) qr->width * (gsize) qr->width;
  code = g_new0 (PdvQrCode, 1);
  code->width = (guint) qr->width;
  code->version = (guint) qr->version;
  code->modules = g_new (guint8, n_modules);
  /* libqrencode keeps other facts about each module in the upper bits. */
  for (gsize i = 0; i < n_modules; i++)
    code->modules[i] = qr->data[i] & 1;
  QRcode_free (qr);

  return code;
}

/**
 * pdv_qr_code_is_dark:
 * @x: column, from 0 at the left
 * @y: row, from 0 at the top
 *
 * Returns: whether the module at (@x, @y) is dark; %FALSE outside the symbol,
 *   where the quiet zone is
 */
gboolean
pdv_qr_code_is_dark (const PdvQrCode *code,
                     guint            x,
                     guint            y)
{
  g_return_val_if_fail (code != NULL, FALSE);

  if (x >= code->width || y >= code->width)
    return FALSE;
  return code->modules[(gsize) y * code->width + x] != 0;
}

void
pdv_qr_code_free (PdvQrCode *code)
{
  if (code == NULL)
    return;
  g_free (code->modules);
  g_free (code);
}

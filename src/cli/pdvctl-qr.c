/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <cairo.h>
#include <glib/gi18n.h>

#include "pdvctl.h"

/* Phone cameras find a symbol by the light margin around it: four modules,
 * as the QR code standard asks. */
#define PNG_QUIET_ZONE     4
#define PNG_MODULE_PIXELS  8

static cairo_status_t
append_png_bytes (void                *user_data,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_byte_array_append (user_data, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * pdvctl_write_qr_png:
 * @text: what the QR code holds
 * @path: the PNG file to write
 *
 * Draws @text as a QR code, 8 pixels a module, into a PNG file.
 */
gboolean
pdvctl_write_qr_png (const char  *text,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(PdvQrCode) code = pdv_qr_encode (text, error);
  g_autoptr(GByteArray) png = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  int side;

  if (code == NULL)
    return FALSE;
  side = (int) (code->width + 2 * PNG_QUIET_ZONE) * PNG_MODULE_PIXELS;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  cr = cairo_create (surface);

  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint y = 0; y < code->width; y++)
    for (guint x = 0; x < code->width; x++)
      if (pdv_qr_code_is_dark (code, x, y))
        cairo_rectangle (cr, (x + PNG_QUIET_ZONE) * PNG_MODULE_PIXELS,
                         (y + PNG_QUIET_ZONE) * PNG_MODULE_PIXELS,
                         PNG_MODULE_PIXELS, PNG_MODULE_PIXELS);
  cairo_fill (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_png_bytes, png);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Could not draw the QR code: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  /* Through GLib rather than cairo's own writer, whose errors do not name
   * the cause; in place, so the error names the file that was asked for. */
  return g_file_set_contents_full (path, (const char *) png->data, png->len,
                                   G_FILE_SET_CONTENTS_NONE, 0666, error);
}


/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-image-scanner"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <zbar.h>

#include "pdv-image-scanner.h"

/* Tickets are QR codes. The other symbologies stay off: each one decoder
 * more is one more chance to read a code into camera noise. */

struct _PdvImageScanner
{
  zbar_image_scanner_t *zbar;
};

G_DEFINE_QUARK (pdv-scanner-error-quark, pdv_scanner_error)

PdvImageScanner *
pdv_image_scanner_new (void)
{
  PdvImageScanner *self = g_new0 (PdvImageScanner, 1);

  self->zbar = zbar_image_scanner_create ();
  zbar_image_scanner_set_config (self->zbar, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (self->zbar, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  /* A phone in dark mode shows light modules on a dark ground: read what
   * the picture holds, and failing that its negative. */
  zbar_image_scanner_set_config (self->zbar, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 1);
  return self;
}

void
pdv_image_scanner_free (PdvImageScanner *self)
{
  if (self == NULL)
    return;
  zbar_image_scanner_destroy (self->zbar);
  g_free (self);
}

/**
 * pdv_image_scanner_scan_gray:
 * @pixels: 8-bit luminance, row by row from the top left
 * @stride: bytes from one row to the next, at least @width
 *
 * Returns: (transfer full): the text of every QR code in the picture, each
 *   once, in the order zbar found them; empty when there is none
 */
GStrv
pdv_image_scanner_scan_gray (PdvImageScanner *self,
                             const guint8    *pixels,
                             guint            width,
                             guint            height,
                             gsize            stride)
{
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint8 *packed = NULL;
  const guint8 *data = pixels;
  zbar_image_t *image;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (pixels != NULL || width == 0 || height == 0, NULL);
  g_return_val_if_fail (stride >= width, NULL);

  if (width == 0 || height == 0)
    return g_strv_builder_end (codes);

  /* zbar reads rows with no padding between them; video frames have some. */
  if (stride != width)
    {
      packed = g_malloc ((gsize) width * height);
      for (guint y = 0; y < height; y++)
        memcpy (packed + (gsize) y * width, pixels + (gsize) y * stride, width);
      data = packed;
    }

  image = zbar_image_create ();
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  zbar_image_set_data (image, data, (unsigned long) width * height, NULL);

  if (zbar_scan_image (self->zbar, image) > 0)
    for (const zbar_symbol_t *symbol = zbar_image_first_symbol (image);
         symbol != NULL;
         symbol = zbar_symbol_next (symbol))
      {
        const char *text = zbar_symbol_get_data (symbol);
        unsigned int length = zbar_symbol_get_data_length (symbol);
        g_autofree char *code = NULL;
        gboolean duplicate = FALSE;

        if (zbar_symbol_get_type (symbol) != ZBAR_QRCODE || text == NULL || length == 0)
          continue;
        code = g_strndup (text, length);
        for (guint i = 0; i < seen->len && !duplicate; i++)
          duplicate = g_str_equal (g_ptr_array_index (seen, i), code);
        if (duplicate)
          continue;
        g_strv_builder_add (codes, code);
        g_ptr_array_add (seen, g_steal_pointer (&code));
      }

  zbar_image_destroy (image);
  return g_strv_builder_end (codes);
}

/* The picture as zbar wants it: luminance, transparent parts on white paper. */
static guint8 *
pixbuf_to_gray (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  guint8 *gray = g_malloc ((gsize) width * height);

  for (int y = 0; y < height; y++)
    {
      const guint8 *p = pixels + (gsize) y * rowstride;

      for (int x = 0; x < width; x++, p += channels)
        {
          guint luma = (p[0] * 299u + p[1] * 587u + p[2] * 114u) / 1000u;

          if (alpha)
            luma = (luma * p[3] + 255u * (255u - p[3])) / 255u;
          gray[(gsize) y * width + x] = (guint8) luma;
        }
    }
  return gray;
}

/* The codes in @pixbuf (%NULL: it could not be read, @load_error says
 * why); @name says what it was in messages. */
static GStrv
scan_pixbuf (GdkPixbuf   *pixbuf,
             GError      *load_error,
             const char  *name,
             GError     **error)
{
  g_autoptr(PdvImageScanner) scanner = NULL;
  g_autofree guint8 *gray = NULL;

  if (pixbuf == NULL)
    {
      /* gdk-pixbuf says it well when the file is missing or unreadable. */
      if (load_error != NULL && load_error->domain == G_FILE_ERROR)
        g_set_error_literal (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_UNREADABLE, load_error->message);
      else
        g_set_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_UNREADABLE,
                     _("%s is not a picture this terminal can read (PNG or JPEG)"), name);
      return NULL;
    }
  if (gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 || gdk_pixbuf_get_n_channels (pixbuf) < 3)
    {
      g_set_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_UNREADABLE,
                   _("%s is not a picture this terminal can read (PNG or JPEG)"), name);
      return NULL;
    }

  gray = pixbuf_to_gray (pixbuf);
  scanner = pdv_image_scanner_new ();
  return pdv_image_scanner_scan_gray (scanner, gray,
                                      (guint) gdk_pixbuf_get_width (pixbuf),
                                      (guint) gdk_pixbuf_get_height (pixbuf),
                                      (gsize) gdk_pixbuf_get_width (pixbuf));
}

/**
 * pdv_image_scanner_scan_file:
 * @path: a picture: PNG, JPEG or any format gdk-pixbuf reads
 *
 * Returns: (transfer full): every QR code in the picture, each once; empty
 *   when there is none; %NULL with @error set when the file cannot be read
 *   as a picture
 */
GStrv
pdv_image_scanner_scan_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pixbuf = gdk_pixbuf_new_from_file (path, &local_error);
  return scan_pixbuf (pixbuf, local_error, path, error);
}

/**
 * pdv_image_scanner_scan_bytes:
 * @name: what the picture is, for messages ("stdin")
 *
 * pdv_image_scanner_scan_file() for a picture in memory.
 */
GStrv
pdv_image_scanner_scan_bytes (GBytes      *bytes,
                              const char  *name,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  stream = g_memory_input_stream_new_from_bytes (bytes);
  pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &local_error);
  return scan_pixbuf (pixbuf, local_error, name, error);
}

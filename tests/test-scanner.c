/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-scanner"

#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "pdv-camera-scanner.h"
#include "pdv-core.h"
#include "pdv-image-scanner.h"
#include "pdv-test-util.h"
#include "pdv-wedge.h"

/* The scanners as the door uses them: QR frames drawn here go through a real
 * GStreamer pipeline into the camera scanner's own worker and zbar; key
 * sequences at scanner and at human speed go through the wedge; pictures go
 * through the image scanner and pdvctl. */

#define CODE_A "huywXXFbkmSPxXCW3I1JUw"
#define CODE_B "2aeDWQLBiYXbwAD8JvF6Bg"
#define CODE_SIGNED \
  "PDV1.eyJlIjoibm9pdGUtZGUtdmVyYW8tMjAyNiIsImYiOjE3OTcxMDU2MDAsIm4iOiJBbmEgU8OhIiwicCI6InNpbmdsZSIs" \
  "InQiOiJUOTAwMDAxIiwidSI6MTc5NzE0ODgwMCwieSI6IlBpc3RhIiwieiI6ImdlbmVyYWwifQ.dUt2SBgHQmTMnCqSpXcuTsF" \
  "L4oBPGbG7TP2E_dkIzDfkwtve0LP9s_daC4QJXsQRb_qo_c7r_lDQJKkzwrb_Dw"

/* The compact form of a signed ticket (PDV2:, base45): a version-6 code. */
#define CODE_COMPACT \
  "PDV2:*$13+T3 QSIP312JDQ8NA746746AU0+ED3WE5.01$C5$CAEC$8UTZDM+01$6V:GGY6JC6 5LQ-VL1J+N8/IOF26G3F0 " \
  "E$GF3N7:Y6DBOY:M.XESNCIA58$P-ZSY5UBNHEY1/$84GNH37PSB"

#define FRAME_WIDTH  640
#define FRAME_HEIGHT 480

/* ---- Drawing frames ---------------------------------------------------- */

typedef struct {
  const char *text;
  double      x, y;        /* centre, in pixels */
  double      module;      /* pixels per module */
  double      degrees;     /* rotation */
} QrPlacement;

static cairo_surface_t *
new_frame (int width,
           int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  /* Paper under office light, not pure white. */
  cairo_set_source_rgb (cr, 0.93, 0.92, 0.90);
  cairo_paint (cr);
  cairo_destroy (cr);
  return surface;
}

static void
draw_qr (cairo_surface_t   *surface,
         const QrPlacement *placement)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvQrCode) code = pdv_qr_encode (placement->text, &error);
  cairo_t *cr = cairo_create (surface);
  double side;

  g_assert_no_error (error);
  side = (code->width + 8) * placement->module;

  cairo_translate (cr, placement->x, placement->y);
  cairo_rotate (cr, placement->degrees * G_PI / 180.0);
  cairo_scale (cr, placement->module, placement->module);
  cairo_translate (cr, -(code->width + 8.0) / 2.0, -(code->width + 8.0) / 2.0);

  /* The printed ticket: white paper with the quiet zone around the symbol. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, code->width + 8, code->width + 8);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.08, 0.08, 0.10);
  for (guint y = 0; y < code->width; y++)
    for (guint x = 0; x < code->width; x++)
      if (pdv_qr_code_is_dark (code, x, y))
        cairo_rectangle (cr, x + 4, y + 4, 1, 1);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpfloat (side, <, MAX (cairo_image_surface_get_width (surface),
                                   cairo_image_surface_get_height (surface)));
}

/* A ticket held tilted back from the camera: the symbol (with its quiet
 * zone) mapped onto the quadrilateral @corners (top left, top right,
 * bottom right, bottom left) by a projective transform, module by module. */
static cairo_surface_t *
perspective_frame (const char   *text,
                   const double  corners[8])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvQrCode) code = pdv_qr_encode (text, &error);
  cairo_surface_t *surface = new_frame (FRAME_WIDTH, FRAME_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  double x0 = corners[0], y0 = corners[1], x1 = corners[2], y1 = corners[3];
  double x2 = corners[4], y2 = corners[5], x3 = corners[6], y3 = corners[7];
  double dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
  double dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  double det = dx1 * dy2 - dx2 * dy1;
  double g = (dx3 * dy2 - dx2 * dy3) / det, h = (dx1 * dy3 - dx3 * dy1) / det;
  double a = x1 - x0 + g * x1, b = x3 - x0 + h * x3, d = y1 - y0 + g * y1, e = y3 - y0 + h * y3;
  double size;

  g_assert_no_error (error);
  size = code->width + 8.0;
#define MAP_X(u, v) ((a * (u) + b * (v) + x0) / (g * (u) + h * (v) + 1))
#define MAP_Y(u, v) ((d * (u) + e * (v) + y0) / (g * (u) + h * (v) + 1))
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_line_to (cr, x2, y2);
  cairo_line_to (cr, x3, y3);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.08, 0.08, 0.10);
  for (guint y = 0; y < code->width; y++)
    for (guint x = 0; x < code->width; x++)
      if (pdv_qr_code_is_dark (code, x, y))
        {
          double u0 = (x + 4) / size, u1 = (x + 5) / size, v0 = (y + 4) / size, v1 = (y + 5) / size;

          cairo_move_to (cr, MAP_X (u0, v0), MAP_Y (u0, v0));
          cairo_line_to (cr, MAP_X (u1, v0), MAP_Y (u1, v0));
          cairo_line_to (cr, MAP_X (u1, v1), MAP_Y (u1, v1));
          cairo_line_to (cr, MAP_X (u0, v1), MAP_Y (u0, v1));
          cairo_close_path (cr);
        }
  cairo_fill (cr);
#undef MAP_X
#undef MAP_Y
  cairo_destroy (cr);
  return surface;
}

/* A plain box blur, run twice: close enough to an out-of-focus lens. */
static void
blur (cairo_surface_t *surface,
      int              radius)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autofree guint8 *copy = NULL;
  guint8 *data;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  copy = g_malloc ((gsize) stride * height);

  for (int pass = 0; pass < 2; pass++)
    for (int vertical = 0; vertical < 2; vertical++)
      {
        memcpy (copy, data, (gsize) stride * height);
        for (int y = 0; y < height; y++)
          for (int x = 0; x < width; x++)
            for (int c = 0; c < 3; c++)
              {
                guint sum = 0, n = 0;

                for (int d = -radius; d <= radius; d++)
                  {
                    int sx = vertical ? x : x + d;
                    int sy = vertical ? y + d : y;

                    if (sx < 0 || sy < 0 || sx >= width || sy >= height)
                      continue;
                    sum += copy[(gsize) sy * stride + sx * 4 + c];
                    n++;
                  }
                data[(gsize) y * stride + x * 4 + c] = (guint8) (sum / n);
              }
      }
  cairo_surface_mark_dirty (surface);
}

/* Sensor noise: a share of the pixels, in parts per thousand, set to a
 * random grey. */
static void
add_noise (cairo_surface_t *surface,
           guint            per_mille)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *data;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if ((guint) g_test_rand_int_range (0, 1000) < per_mille)
        {
          guint8 grey = (guint8) g_test_rand_int_range (0, 256);

          memset (data + (gsize) y * stride + x * 4, grey, 3);
        }
  cairo_surface_mark_dirty (surface);
}

/* A phone in dark mode: light modules on a dark ground. */
static void
invert (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *data;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        data[(gsize) y * stride + x * 4 + c] = 255 - data[(gsize) y * stride + x * 4 + c];
  cairo_surface_mark_dirty (surface);
}

static cairo_surface_t *
noise_frame (void)
{
  cairo_surface_t *surface = new_frame (FRAME_WIDTH, FRAME_HEIGHT);

  add_noise (surface, 1000);
  return surface;
}

static cairo_surface_t *
qr_frame (const char *text,
          double      module,
          double      degrees)
{
  cairo_surface_t *surface = new_frame (FRAME_WIDTH, FRAME_HEIGHT);
  QrPlacement placement = { text, FRAME_WIDTH / 2.0, FRAME_HEIGHT / 2.0, module, degrees };

  draw_qr (surface, &placement);
  return surface;
}

static cairo_status_t
append_bytes_cb (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
save_png (cairo_surface_t *surface,
          const char      *path)
{
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
}

/* A recording of @n_frames copies of @surface, after what @frames holds. */
static void
film (GPtrArray       *frames,
      cairo_surface_t *surface,
      guint            n_frames)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_bytes_cb, png), ==,
                   CAIRO_STATUS_SUCCESS);
  for (guint i = 0; i < n_frames; i++)
    g_ptr_array_add (frames, g_bytes_new (png->data, png->len));
  cairo_surface_destroy (surface);
}

/* ---- Running the camera scanner on frames ------------------------------ */

typedef struct {
  char      *dir;
  GPtrArray *frames;      /* GBytes of PNG files, in order */
  GPtrArray *codes;       /* what came out, in order */
  GThread   *main_thread;
  GError    *error;
  guint      n_previews;
  guint      max_preview_width;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = pdv_test_make_tmpdir ();
  fixture->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  fixture->codes = g_ptr_array_new_with_free_func (g_free);
  fixture->main_thread = g_thread_self ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  pdv_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_ptr_array_unref (fixture->frames);
  g_ptr_array_unref (fixture->codes);
  g_clear_error (&fixture->error);
}

static void
code_detected_cb (PdvCameraScanner *scanner,
                  const char       *code,
                  Fixture          *fixture)
{
  /* Straight to the door page: it must be the main thread. */
  g_assert_true (g_thread_self () == fixture->main_thread);
  g_test_message ("code detected: %s", code);
  g_ptr_array_add (fixture->codes, g_strdup (code));
}

static void
preview_frame_cb (PdvCameraScanner     *scanner,
                  const PdvCameraFrame *frame,
                  Fixture              *fixture)
{
  g_assert_true (g_thread_self () == fixture->main_thread);
  g_assert_cmpuint (g_bytes_get_size (frame->pixels), >=, frame->stride * frame->height);
  g_assert_cmpuint (frame->stride, >=, frame->width * 3);
  fixture->n_previews++;
  fixture->max_preview_width = MAX (fixture->max_preview_width, frame->width);
}

static void
error_cb (PdvCameraScanner *scanner,
          const GError     *error,
          Fixture          *fixture)
{
  g_assert_null (fixture->error);
  fixture->error = g_error_copy (error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
running_changed_cb (PdvCameraScanner *scanner,
                    GParamSpec       *pspec,
                    GMainLoop        *loop)
{
  if (!pdv_camera_scanner_get_running (scanner))
    g_main_loop_quit (loop);
}

static char *
source_for (Fixture *fixture)
{
  g_autofree char *pattern = g_build_filename (fixture->dir, "frame-%05d.png", NULL);

  for (guint i = 0; i < fixture->frames->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("frame-%05u.png", i);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      GBytes *png = g_ptr_array_index (fixture->frames, i);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, g_bytes_get_data (png, NULL), (gssize) g_bytes_get_size (png), &error);
      g_assert_no_error (error);
    }
  return g_strdup_printf ("multifilesrc location=\"%s\" index=0 caps=image/png,framerate=30/1 ! pngdec", pattern);
}

/* Plays the frames, at 30 a second, through a camera scanner until their end. */
static PdvCameraScanner *
play (Fixture *fixture,
      guint    repeat_interval_ms,
      gboolean preview)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *source = source_for (fixture);
  PdvCameraScanner *scanner = pdv_camera_scanner_new ();
  guint timeout_id;
  gint64 started = g_get_monotonic_time ();

  pdv_camera_scanner_set_source_description (scanner, source);
  pdv_camera_scanner_set_repeat_interval (scanner, repeat_interval_ms);
  pdv_camera_scanner_set_preview (scanner, preview);
  g_signal_connect (scanner, "code-detected", G_CALLBACK (code_detected_cb), fixture);
  g_signal_connect (scanner, "preview-frame", G_CALLBACK (preview_frame_cb), fixture);
  g_signal_connect (scanner, "error", G_CALLBACK (error_cb), fixture);
  g_signal_connect (scanner, "notify::running", G_CALLBACK (running_changed_cb), loop);

  g_assert_true (pdv_camera_scanner_start (scanner, &error));
  g_assert_no_error (error);
  g_assert_true (pdv_camera_scanner_get_running (scanner));

  timeout_id = g_timeout_add_seconds (30, timeout_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (timeout_id);

  g_assert_no_error (fixture->error);
  g_assert_false (pdv_camera_scanner_get_running (scanner));
  g_test_message ("%u frames played in %.2f s, %u decoded", fixture->frames->len,
                  (g_get_monotonic_time () - started) / 1e6, pdv_camera_scanner_get_n_decoded (scanner));
  /* Frames may be dropped while zbar is busy, never all of them. */
  g_assert_cmpuint (pdv_camera_scanner_get_n_decoded (scanner), >, 0);
  g_assert_cmpuint (pdv_camera_scanner_get_n_decoded (scanner), <=, fixture->frames->len);
  return scanner;
}

static void
assert_codes (Fixture            *fixture,
              const char * const *expected)
{
  guint n_expected = g_strv_length ((GStrv) expected);

  for (guint i = 0; i < MIN (n_expected, fixture->codes->len); i++)
    g_assert_cmpstr (g_ptr_array_index (fixture->codes, i), ==, expected[i]);
  g_assert_cmpuint (fixture->codes->len, ==, n_expected);
}

static void
test_camera_clean (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  static const char * const expected[] = { CODE_A, NULL };

  /* One ticket held still for a second: one scan, not thirty. */
  film (fixture->frames, qr_frame (CODE_A, 8, 0), 30);
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, expected);
}

static void
test_camera_rotated (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  static const char * const expected[] = { CODE_A, CODE_B, NULL };

  film (fixture->frames, qr_frame (CODE_A, 7, 15), 20);
  film (fixture->frames, qr_frame (CODE_B, 7, -28), 20);
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, expected);
}

static void
test_camera_blurred (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  cairo_surface_t *dense = qr_frame (CODE_SIGNED, 4, 20);
  cairo_surface_t *coarse = qr_frame (CODE_B, 7, 0);
  static const char * const expected[] = { CODE_SIGNED, CODE_B, NULL };

  /* A signed ticket is a dense symbol, the hardest to read out of focus;
   * a short code survives a blur wider than one of its modules. */
  blur (dense, 1);
  blur (coarse, 2);
  film (fixture->frames, dense, 20);
  film (fixture->frames, coarse, 20);
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, expected);
}

static void
test_camera_noisy (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  static const char * const expected[] = { CODE_B, NULL };

  /* Every frame has its own noise, as a real sensor's would: 3 % of the
   * pixels at random. At 5 % some seeds left zbar no frame it could read
   * (20 of 20 failed for R02Sce8f60773f0bbaa7f0dea349fb206810). */
  for (guint i = 0; i < 20; i++)
    {
      cairo_surface_t *surface = qr_frame (CODE_B, 6, 10);

      add_noise (surface, 30);
      film (fixture->frames, surface, 1);
    }
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, expected);
}

static void
test_camera_inverted (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  cairo_surface_t *list_code = qr_frame (CODE_B, 6, 8);
  cairo_surface_t *signed_code = qr_frame (CODE_SIGNED, 4, -12);
  static const char * const expected[] = { CODE_B, CODE_SIGNED, NULL };

  /* Both kinds of ticket, as a phone in dark mode shows them. */
  invert (list_code);
  invert (signed_code);
  film (fixture->frames, list_code, 20);
  film (fixture->frames, signed_code, 20);
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, expected);
}

/* A compact signed ticket reads under the degradations a list secret
 * survives: out of focus, small and far, noisy. Three tickets, one a
 * degradation, so that each must be read on its own. */
/* Tilted back a third (the top edge 70 % of the bottom one) and turned a
 * little: both forms of ticket. */
static void
test_camera_perspective (Fixture       *fixture,
                         gconstpointer  user_data)
{
  static const double tilted[] = { 222, 92, 418, 100, 472, 396, 168, 388 };
  static const double turned[] = { 190, 120, 420, 80, 470, 380, 200, 420 };
  static const char * const expected[] = { CODE_A, CODE_COMPACT, NULL };
  g_autoptr(PdvCameraScanner) scanner = NULL;

  film (fixture->frames, perspective_frame (CODE_A, tilted), 20);
  film (fixture->frames, perspective_frame (CODE_COMPACT, turned), 20);
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, expected);
}

static void
test_camera_compact_degraded (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  g_autofree char *second = g_strdup (CODE_COMPACT);
  g_autofree char *third = g_strdup (CODE_COMPACT);
  cairo_surface_t *blurred = qr_frame (CODE_COMPACT, 4, 20);
  cairo_surface_t *small = new_frame (1280, 720);
  QrPlacement far = { second, 1000, 200, 2, 0 };
  const char *expected[] = { CODE_COMPACT, second, third, NULL };

  second[20] = '7';
  third[40] = '9';
  blur (blurred, 1);
  film (fixture->frames, blurred, 20);
  draw_qr (small, &far);
  film (fixture->frames, small, 20);
  for (guint i = 0; i < 20; i++)
    {
      cairo_surface_t *noisy = qr_frame (third, 5, -10);

      add_noise (noisy, 30);
      film (fixture->frames, noisy, 1);
    }
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, (const char * const *) expected);
}

static void
test_camera_small (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  cairo_surface_t *surface = new_frame (1280, 720);
  QrPlacement placement = { CODE_A, 1000, 200, 2, 0 };
  static const char * const expected[] = { CODE_A, NULL };

  /* A ticket far from the camera: two pixels a module in a wide frame. */
  draw_qr (surface, &placement);
  film (fixture->frames, surface, 20);
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, expected);
}

static void
test_camera_garbage (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  static const char * const expected[] = { NULL };

  for (guint i = 0; i < 20; i++)
    film (fixture->frames, noise_frame (), 1);
  film (fixture->frames, new_frame (FRAME_WIDTH, FRAME_HEIGHT), 20);
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, FALSE);
  assert_codes (fixture, expected);
}

/* Two people in a row, then the first one's ticket again: reported again
 * only once it was out of sight for the repeat interval. */
static void
test_camera_repeat (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  static const char * const short_interval[] = { CODE_A, CODE_B, CODE_A, NULL };
  static const char * const long_interval[] = { CODE_A, CODE_B, NULL };

  film (fixture->frames, qr_frame (CODE_A, 8, 0), 15);
  film (fixture->frames, new_frame (FRAME_WIDTH, FRAME_HEIGHT), 30);
  film (fixture->frames, qr_frame (CODE_B, 8, 5), 15);
  film (fixture->frames, qr_frame (CODE_A, 8, -5), 15);

  scanner = play (fixture, 500, FALSE);
  assert_codes (fixture, short_interval);
  g_clear_object (&scanner);

  g_ptr_array_set_size (fixture->codes, 0);
  scanner = play (fixture, 10000, FALSE);
  assert_codes (fixture, long_interval);
}

static void
test_camera_preview (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PdvCameraScanner) scanner = NULL;
  cairo_surface_t *surface = new_frame (1280, 720);
  QrPlacement placement = { CODE_B, 640, 360, 8, 0 };
  static const char * const expected[] = { CODE_B, NULL };

  /* Two seconds of a 30 fps camera: at most 15 preview frames a second, no
   * wider than the preview needs, and the codes still come. */
  draw_qr (surface, &placement);
  film (fixture->frames, surface, 60);
  scanner = play (fixture, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS, TRUE);
  assert_codes (fixture, expected);
  g_test_message ("%u preview frames", fixture->n_previews);
  g_assert_cmpuint (fixture->n_previews, >=, 5);
  g_assert_cmpuint (fixture->n_previews, <=, 2 * PDV_CAMERA_SCANNER_PREVIEW_MAX_FPS + 2);
  g_assert_cmpuint (fixture->max_preview_width, ==, PDV_CAMERA_SCANNER_PREVIEW_MAX_WIDTH);
}

static void
test_camera_missing (void)
{
  g_autoptr(PdvCameraScanner) scanner = pdv_camera_scanner_new ();
  g_autoptr(GError) error = NULL;

  pdv_camera_scanner_set_device (scanner, "/dev/video-that-is-not-there");
  g_assert_false (pdv_camera_scanner_start (scanner, &error));
  g_assert_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_NO_CAMERA);
  g_assert_cmpstr (error->message, ==, "No camera found — connect one or use a USB scanner");
  g_assert_false (pdv_camera_scanner_get_running (scanner));
  g_clear_error (&error);

  /* Whatever camera the system has, or a clear no. */
  pdv_camera_scanner_set_device (scanner, NULL);
  if (pdv_camera_scanner_has_camera ())
    g_test_message ("this machine has a camera: the automatic choice is not tested");
  else
    {
      g_assert_false (pdv_camera_scanner_start (scanner, &error));
      g_assert_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_NO_CAMERA);
      g_assert_false (pdv_camera_scanner_get_running (scanner));
      g_clear_error (&error);
    }

  pdv_camera_scanner_set_source_description (scanner, "no-such-element-anywhere");
  g_assert_false (pdv_camera_scanner_start (scanner, &error));
  g_assert_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_CAMERA_FAILED);
  g_assert_false (pdv_camera_scanner_get_running (scanner));

  /* Stopping what never started is harmless. */
  pdv_camera_scanner_stop (scanner);
}

/* ---- The keyboard wedge ------------------------------------------------ */

typedef struct {
  GPtrArray *scans;
  GString   *released;
} WedgeLog;

static void
wedge_scanned_cb (PdvWedge   *wedge,
                  const char *code,
                  WedgeLog   *log)
{
  g_ptr_array_add (log->scans, g_strdup (code));
}

static void
wedge_released_cb (PdvWedge   *wedge,
                   const char *text,
                   WedgeLog   *log)
{
  g_string_append (log->released, text);
}

static PdvWedge *
new_wedge (WedgeLog *log)
{
  PdvWedge *wedge = pdv_wedge_new ();

  log->scans = g_ptr_array_new_with_free_func (g_free);
  log->released = g_string_new (NULL);
  g_signal_connect (wedge, "scanned", G_CALLBACK (wedge_scanned_cb), log);
  g_signal_connect (wedge, "released", G_CALLBACK (wedge_released_cb), log);
  return wedge;
}

static void
wedge_log_clear (WedgeLog *log)
{
  g_ptr_array_unref (log->scans);
  g_string_free (log->released, TRUE);
}

/* Types @text a key every @gap_ms from *@now, then Enter if @enter; returns
 * how many keys were let through. */
static guint
type (PdvWedge   *wedge,
      const char *text,
      guint       gap_ms,
      gboolean    enter,
      gint64     *now)
{
  guint passed = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      *now += gap_ms * 1000;
      if (pdv_wedge_feed_char (wedge, g_utf8_get_char (p), *now) == PDV_WEDGE_KEY_PASS)
        passed++;
    }
  if (enter)
    {
      *now += gap_ms * 1000;
      if (pdv_wedge_feed_enter (wedge, *now) == PDV_WEDGE_KEY_PASS)
        passed++;
    }
  return passed;
}

static void
test_wedge_scanner_speed (void)
{
  WedgeLog log;
  g_autoptr(PdvWedge) wedge = new_wedge (&log);
  gint64 now = 1000000;

  /* Not one key reaches the focused widget, Enter included. */
  g_assert_cmpuint (type (wedge, CODE_SIGNED, 10, TRUE, &now), ==, 0);
  g_assert_cmpuint (log.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.scans, 0), ==, CODE_SIGNED);
  g_assert_cmpstr (log.released->str, ==, "");
  g_assert_false (pdv_wedge_is_holding (wedge));

  /* The next scan right after is a scan of its own. */
  g_assert_cmpuint (type (wedge, CODE_A, 5, TRUE, &now), ==, 0);
  g_assert_cmpuint (log.scans->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (log.scans, 1), ==, CODE_A);
  wedge_log_clear (&log);
}

static void
test_wedge_human_speed (void)
{
  WedgeLog log;
  g_autoptr(PdvWedge) wedge = new_wedge (&log);
  gint64 now = 1000000;

  /* Each key is held only until the next one shows it was typing; the
   * Enter goes through, after the text. */
  g_assert_cmpuint (type (wedge, "joão silva", 120, TRUE, &now), ==, 1);
  g_assert_cmpuint (log.scans->len, ==, 0);
  g_assert_cmpstr (log.released->str, ==, "joão silva");
  g_assert_false (pdv_wedge_is_holding (wedge));
  wedge_log_clear (&log);
}

static void
test_wedge_no_enter (void)
{
  WedgeLog log;
  g_autoptr(PdvWedge) wedge = new_wedge (&log);
  gint64 now = 1000000;

  /* A fast burst with no Enter: nothing is scanned, and once the caller's
   * timer says no key came, all of it is released. */
  g_assert_cmpuint (type (wedge, CODE_A, 10, FALSE, &now), ==, 0);
  g_assert_true (pdv_wedge_is_holding (wedge));
  g_assert_cmpstr (pdv_wedge_peek_held (wedge), ==, CODE_A);
  pdv_wedge_interrupt (wedge);
  g_assert_cmpuint (log.scans->len, ==, 0);
  g_assert_cmpstr (log.released->str, ==, CODE_A);

  /* Enter long after the burst is a person pressing it. */
  g_string_truncate (log.released, 0);
  type (wedge, CODE_B, 10, FALSE, &now);
  now += 300 * 1000;
  g_assert_cmpint (pdv_wedge_feed_enter (wedge, now), ==, PDV_WEDGE_KEY_PASS);
  g_assert_cmpuint (log.scans->len, ==, 0);
  g_assert_cmpstr (log.released->str, ==, CODE_B);

  /* Too short to be a ticket, however fast: "ok" and Enter. */
  g_string_truncate (log.released, 0);
  g_assert_cmpuint (type (wedge, "ok", 10, TRUE, &now), ==, 1);
  g_assert_cmpuint (log.scans->len, ==, 0);
  g_assert_cmpstr (log.released->str, ==, "ok");
  wedge_log_clear (&log);
}

static void
test_wedge_mixed (void)
{
  WedgeLog log;
  g_autoptr(PdvWedge) wedge = new_wedge (&log);
  gint64 now = 1000000;

  /* Someone types a name into the search, a ticket is scanned half way,
   * and the typing goes on: the name stays whole, the scan is one scan. */
  type (wedge, "mar", 150, FALSE, &now);
  now += 200 * 1000;
  g_assert_cmpuint (type (wedge, CODE_B, 12, TRUE, &now), ==, 0);
  g_assert_cmpuint (log.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.scans, 0), ==, CODE_B);
  g_assert_cmpstr (log.released->str, ==, "mar");
  now += 400 * 1000;
  type (wedge, "ia", 130, FALSE, &now);
  now += 500 * 1000;
  pdv_wedge_interrupt (wedge);
  g_assert_cmpstr (log.released->str, ==, "maria");
  g_assert_cmpuint (log.scans->len, ==, 1);

  /* A key that is neither text nor Enter (Backspace) releases at once. */
  g_string_truncate (log.released, 0);
  type (wedge, "x", 10, FALSE, &now);
  pdv_wedge_interrupt (wedge);
  g_assert_cmpstr (log.released->str, ==, "x");
  wedge_log_clear (&log);
}

/* Types @text with the gap before each key taken from @gaps_ms in turn (and
 * before the ending), then the ending; returns how many keys were let through. */
static guint
type_irregular (PdvWedge      *wedge,
                const char    *text,
                const guint   *gaps_ms,
                guint          n_gaps,
                gint64        *now)
{
  guint passed = 0;
  guint k = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), k++)
    {
      *now += gaps_ms[k % n_gaps] * 1000;
      if (pdv_wedge_feed_char (wedge, g_utf8_get_char (p), *now) == PDV_WEDGE_KEY_PASS)
        passed++;
    }
  *now += gaps_ms[k % n_gaps] * 1000;
  if (pdv_wedge_feed_enter (wedge, *now) == PDV_WEDGE_KEY_PASS)
    passed++;
  return passed;
}

static void
test_wedge_real_scanners (void)
{
  WedgeLog log;
  g_autoptr(PdvWedge) wedge = new_wedge (&log);
  gint64 now = 1000000;
  /* A wired scanner that stalls now and then (USB polling, a busy host). */
  static const guint stalling[] = { 4, 4, 4, 4, 4, 4, 4, 75 };
  /* A Bluetooth scanner: uneven, 30 ms on average, up to 80. */
  static const guint bluetooth[] = { 12, 80, 20, 8, 45, 15, 30 };
  /* The fastest typist: 60 ms a key, and Enter as fast. */
  static const guint typist[] = { 55, 65, 60, 58, 62 };

  g_assert_cmpuint (type_irregular (wedge, CODE_SIGNED, stalling, G_N_ELEMENTS (stalling), &now), ==, 0);
  g_assert_cmpuint (log.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.scans, 0), ==, CODE_SIGNED);
  now += 500 * 1000;
  g_assert_cmpuint (type_irregular (wedge, CODE_A, bluetooth, G_N_ELEMENTS (bluetooth), &now), ==, 0);
  g_assert_cmpuint (log.scans->len, ==, 2);
  g_assert_cmpstr (log.released->str, ==, "");

  /* A person is never a scanner, however fast: the text and the Enter go
   * where they were typed. */
  now += 500 * 1000;
  g_assert_cmpuint (type_irregular (wedge, "maria eduarda", typist, G_N_ELEMENTS (typist), &now), ==, 1);
  g_assert_cmpuint (log.scans->len, ==, 2);
  g_assert_cmpstr (log.released->str, ==, "maria eduarda");

  /* A scanner ending codes with CR LF: the LF right after the scan is
   * swallowed too; an Enter a person presses later goes through. */
  g_string_truncate (log.released, 0);
  now += 500 * 1000;
  g_assert_cmpuint (type (wedge, CODE_B, 8, TRUE, &now), ==, 0);
  now += 3 * 1000;
  g_assert_cmpint (pdv_wedge_feed_enter (wedge, now), ==, PDV_WEDGE_KEY_HELD);
  now += 300 * 1000;
  g_assert_cmpint (pdv_wedge_feed_enter (wedge, now), ==, PDV_WEDGE_KEY_PASS);
  g_assert_cmpuint (log.scans->len, ==, 3);
  g_assert_cmpstr (log.released->str, ==, "");
  wedge_log_clear (&log);
}

static void
test_wedge_thresholds (void)
{
  WedgeLog log;
  g_autoptr(PdvWedge) wedge = new_wedge (&log);
  gint64 now = 1000000;

  g_assert_cmpuint (pdv_wedge_get_min_length (wedge), ==, PDV_WEDGE_DEFAULT_MIN_LENGTH);
  g_assert_cmpuint (pdv_wedge_get_max_gap (wedge), ==, PDV_WEDGE_DEFAULT_MAX_GAP_MS);

  /* A slow scanner, 35 ms a key, is a scanner by default… */
  type (wedge, CODE_A, 35, TRUE, &now);
  g_assert_cmpuint (log.scans->len, ==, 1);

  /* …and typing once the gap is set to 20 ms. */
  g_object_set (wedge, "max-gap", 20, "min-length", 4, NULL);
  type (wedge, CODE_A, 35, TRUE, &now);
  g_assert_cmpuint (log.scans->len, ==, 1);
  g_assert_cmpstr (log.released->str, ==, CODE_A);

  /* Four characters make a scan now. */
  type (wedge, "1234", 5, TRUE, &now);
  g_assert_cmpuint (log.scans->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (log.scans, 1), ==, "1234");
  wedge_log_clear (&log);
}

/* ---- Pictures ---------------------------------------------------------- */

static char *
write_two_codes_as (const char *dir,
                    const char *name,
                    gboolean    inverted)
{
  cairo_surface_t *surface = new_frame (900, 420);
  QrPlacement left = { CODE_A, 220, 210, 8, 0 };
  QrPlacement right = { CODE_SIGNED, 640, 210, 4, 12 };
  char *path = g_build_filename (dir, name, NULL);

  draw_qr (surface, &left);
  draw_qr (surface, &right);
  if (inverted)
    invert (surface);
  save_png (surface, path);
  cairo_surface_destroy (surface);
  return path;
}

static char *
write_two_codes (const char *dir)
{
  return write_two_codes_as (dir, "two.png", FALSE);
}

static void
test_image_two_codes (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *path = write_two_codes (dir);
  g_autofree char *dark = write_two_codes_as (dir, "dark-mode.png", TRUE);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = pdv_image_scanner_scan_file (path, &error);
  g_auto(GStrv) dark_codes = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (codes), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) codes, CODE_A));
  g_assert_true (g_strv_contains ((const char * const *) codes, CODE_SIGNED));

  /* A screenshot of a phone in dark mode reads the same. */
  dark_codes = pdv_image_scanner_scan_file (dark, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (dark_codes), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) dark_codes, CODE_A));
  g_assert_true (g_strv_contains ((const char * const *) dark_codes, CODE_SIGNED));
  pdv_test_remove_tree (dir);
}

static void
test_image_errors (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *text = g_build_filename (dir, "ticket.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autofree char *blank = g_build_filename (dir, "blank.png", NULL);
  cairo_surface_t *surface = new_frame (320, 240);
  g_autoptr(GError) error = NULL;
  GStrv codes;

  g_assert_true (g_file_set_contents (text, "T000001,huywXXFbkmSPxXCW3I1JUw\n", -1, NULL));
  codes = pdv_image_scanner_scan_file (text, &error);
  g_assert_null (codes);
  g_assert_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, text));
  g_assert_nonnull (strstr (error->message, "not a picture"));
  g_clear_error (&error);

  codes = pdv_image_scanner_scan_file (missing, &error);
  g_assert_null (codes);
  g_assert_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, "missing.png"));
  g_clear_error (&error);

  /* A picture without a code is no error: just nothing found. */
  save_png (surface, blank);
  cairo_surface_destroy (surface);
  codes = pdv_image_scanner_scan_file (blank, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (codes), ==, 0);
  g_strfreev (codes);

  pdv_test_remove_tree (dir);
}

static guint
count_lines_equal (GStrv       lines,
                   const char *text)
{
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_equal (lines[i], text);
  return n;
}

static void
test_pdvctl_scan (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "unused.db", NULL);
  g_autofree char *two = write_two_codes (dir);
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *blank = g_build_filename (dir, "blank.png", NULL);
  g_autofree char *expected_json = NULL;
  cairo_surface_t *surface = new_frame (320, 240);
  g_auto(GStrv) lines = NULL;
  json_error_t json_error;
  json_t *body;

  {
    g_auto(PdvTestRun) run = { 0 };
    const char *args[] = { "scan", two, NULL };

    pdv_test_pdvctl (db, NULL, &run, args);
    g_assert_cmpint (run.status, ==, 0);
    lines = g_strsplit (run.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    g_assert_true (g_strv_contains ((const char * const *) lines, CODE_A));
    g_assert_true (g_strv_contains ((const char * const *) lines, CODE_SIGNED));
    g_assert_cmpstr (lines[2], ==, "");
  }
  /* "-": the picture on standard input. */
  {
    g_auto(PdvTestRun) run = { 0 };
    g_autofree char *script = g_strdup_printf ("exec \"$PDVCTL\" --db '%s' scan - < '%s'", db, two);
    const char *argv[] = { "/bin/sh", "-c", script, NULL };

    pdv_test_spawn (argv, NULL, &run);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, CODE_A));
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    const char *args[] = { "--json", "scan", two, NULL };

    pdv_test_pdvctl (db, NULL, &run, args);
    g_assert_cmpint (run.status, ==, 0);
    body = json_loads (run.out, 0, &json_error);
    g_assert_nonnull (body);
    g_assert_true (json_is_true (json_object_get (body, "ok")));
    g_assert_cmpuint (json_array_size (json_object_get (body, "codes")), ==, 2);
    json_decref (body);
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    const char *args[] = { "scan", text, NULL };

    g_assert_true (g_file_set_contents (text, "not a picture", -1, NULL));
    pdv_test_pdvctl (db, NULL, &run, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, "notes.txt is not a picture"));
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    const char *args[] = { "scan", blank, NULL };

    save_png (surface, blank);
    pdv_test_pdvctl (db, NULL, &run, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "No QR code found in"));
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    g_autofree char *dark = write_two_codes_as (dir, "dark.png", TRUE);
    const char *args[] = { "scan", two, blank, text, dark, NULL };
    g_auto(GStrv) found = NULL;

    /* Every picture is read: the codes of those with one, and on stderr
     * the names of those without. */
    pdv_test_pdvctl (db, NULL, &run, args);
    g_assert_cmpint (run.status, ==, 1);
    found = g_strsplit (run.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (found), ==, 5);
    g_assert_cmpuint (count_lines_equal (found, CODE_A), ==, 2);
    g_assert_cmpuint (count_lines_equal (found, CODE_SIGNED), ==, 2);
    g_assert_nonnull (strstr (run.err, "No QR code found in"));
    g_assert_nonnull (strstr (run.err, "blank.png"));
    g_assert_nonnull (strstr (run.err, "notes.txt is not a picture"));
    g_assert_null (strstr (run.err, "two.png"));
    g_assert_null (strstr (run.err, "dark.png"));
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    const char *args[] = { "--json", "scan", two, blank, NULL };
    json_t *files;

    pdv_test_pdvctl (db, NULL, &run, args);
    g_assert_cmpint (run.status, ==, 1);
    body = json_loads (run.out, 0, &json_error);
    g_assert_nonnull (body);
    g_assert_true (json_is_false (json_object_get (body, "ok")));
    g_assert_cmpuint (json_array_size (json_object_get (body, "codes")), ==, 2);
    files = json_object_get (body, "files");
    g_assert_cmpuint (json_array_size (files), ==, 2);
    g_assert_cmpuint (json_array_size (json_object_get (json_array_get (files, 0), "codes")), ==, 2);
    g_assert_null (json_object_get (json_array_get (files, 0), "error"));
    g_assert_cmpuint (json_array_size (json_object_get (json_array_get (files, 1), "codes")), ==, 0);
    g_assert_nonnull (strstr (json_string_value (json_object_get (json_array_get (files, 1), "error")),
                              "blank.png"));
    json_decref (body);
  }
  {
    g_auto(PdvTestRun) run = { 0 };
    const char *args[] = { "scan", NULL };

    pdv_test_pdvctl (db, NULL, &run, args);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "scan needs a picture"));
  }
  cairo_surface_destroy (surface);
  /* The command reads pictures only: no terminal database was made. */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  pdv_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD_CAMERA_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_CAMERA_TEST ("/scanner/camera/clean-once", test_camera_clean);
  ADD_CAMERA_TEST ("/scanner/camera/rotated", test_camera_rotated);
  ADD_CAMERA_TEST ("/scanner/camera/perspective", test_camera_perspective);
  ADD_CAMERA_TEST ("/scanner/camera/blurred", test_camera_blurred);
  ADD_CAMERA_TEST ("/scanner/camera/noisy", test_camera_noisy);
  ADD_CAMERA_TEST ("/scanner/camera/inverted", test_camera_inverted);
  ADD_CAMERA_TEST ("/scanner/camera/small", test_camera_small);
  ADD_CAMERA_TEST ("/scanner/camera/compact-degraded", test_camera_compact_degraded);
  ADD_CAMERA_TEST ("/scanner/camera/garbage", test_camera_garbage);
  ADD_CAMERA_TEST ("/scanner/camera/repeat", test_camera_repeat);
  ADD_CAMERA_TEST ("/scanner/camera/preview", test_camera_preview);
  g_test_add_func ("/scanner/camera/missing", test_camera_missing);
  g_test_add_func ("/scanner/wedge/scanner-speed", test_wedge_scanner_speed);
  g_test_add_func ("/scanner/wedge/human-speed", test_wedge_human_speed);
  g_test_add_func ("/scanner/wedge/no-enter", test_wedge_no_enter);
  g_test_add_func ("/scanner/wedge/mixed", test_wedge_mixed);
  g_test_add_func ("/scanner/wedge/thresholds", test_wedge_thresholds);
  g_test_add_func ("/scanner/wedge/real-scanners", test_wedge_real_scanners);
  g_test_add_func ("/scanner/image/two-codes", test_image_two_codes);
  g_test_add_func ("/scanner/image/errors", test_image_errors);
  g_test_add_func ("/scanner/pdvctl-scan", test_pdvctl_scan);

  return g_test_run ();
}

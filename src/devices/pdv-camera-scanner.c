/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-camera-scanner"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "pdv-camera-scanner.h"

/* A camera that reads QR codes. One GStreamer pipeline: the source, then a
 * tee with a branch per consumer.
 *
 * - Decoding: greyscale frames into an appsink that keeps only the newest
 *   one, pulled by a worker thread that hands them to zbar. While zbar is
 *   busy the camera goes on and older frames are dropped, so a slow decode
 *   never delays the picture or the main loop. The sink never blocks, so
 *   the queue before it need not leak: a source that is not live (files)
 *   is then held to its frame rate by the sink's clock, as a camera would
 *   be, instead of racing ahead and losing frames in a leaky queue.
 * - Preview (optional): small RGB frames, at most 15 a second, handed to the
 *   main thread one at a time; a frame the main thread has not taken yet is
 *   replaced by the newer one. Its queue leaks, so a slow preview never
 *   holds up decoding.
 *
 * Everything reaches the main thread through one queue drained by one idle
 * source, so codes and the end of the stream arrive in the order they
 * happened. A code is reported once, and again only after it has been out of
 * sight for the repeat interval: a ticket held in front of the camera is one
 * scan, not one a frame. */

#define PULL_TIMEOUT (100 * GST_MSECOND)
#define MAX_REMEMBERED_CODES 64

/* State the worker thread, GStreamer's streaming threads and the main
 * thread share. Reference counted: a dispatch may still be pending when the
 * scanner is gone. */
typedef struct {
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GMainContext    *context;
  GWeakRef         scanner;
  GstAppSink      *decode_sink;
  guint            repeat_interval_ms;
  gint             stopping;       /* atomic */
  guint            n_decoded;      /* atomic */

  /* Under mutex. */
  GQueue           codes;
  gboolean         finished;
  PdvCameraFrame  *frame;
  gint64           last_frame_time;
  GSource         *dispatch_source;
} Shared;

struct _PdvCameraScanner
{
  GObject       parent_instance;

  char         *device;
  char         *source_description;
  guint         repeat_interval_ms;
  gboolean      preview;

  GstElement   *pipeline;
  guint         bus_watch_id;
  GThread      *worker;
  Shared       *shared;
  guint         n_decoded;         /* of the last run, once it stopped */
  gboolean      running;
  gint          fake_source;       /* atomic: autovideosrc found no camera */
};

G_DEFINE_FINAL_TYPE (PdvCameraScanner, pdv_camera_scanner, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PdvCameraFrame, pdv_camera_frame, pdv_camera_frame_copy, pdv_camera_frame_free)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_SOURCE_DESCRIPTION,
  PROP_REPEAT_INTERVAL,
  PROP_PREVIEW,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CODE_DETECTED,
  PREVIEW_FRAME,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

PdvCameraFrame *
pdv_camera_frame_copy (const PdvCameraFrame *frame)
{
  PdvCameraFrame *copy = g_memdup2 (frame, sizeof *frame);

  copy->pixels = g_bytes_ref (frame->pixels);
  return copy;
}

void
pdv_camera_frame_free (PdvCameraFrame *frame)
{
  if (frame == NULL)
    return;
  g_bytes_unref (frame->pixels);
  g_free (frame);
}

static Shared *
shared_new (PdvCameraScanner *scanner,
            GstAppSink       *decode_sink)
{
  Shared *shared = g_new0 (Shared, 1);

  g_atomic_ref_count_init (&shared->ref_count);
  g_mutex_init (&shared->mutex);
  shared->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&shared->scanner, scanner);
  shared->decode_sink = g_object_ref (decode_sink);
  shared->repeat_interval_ms = scanner->repeat_interval_ms;
  g_queue_init (&shared->codes);
  return shared;
}

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

static void
shared_unref (gpointer data)
{
  Shared *shared = data;

  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;
  g_assert (shared->dispatch_source == NULL);
  g_queue_clear_full (&shared->codes, g_free);
  g_clear_pointer (&shared->frame, pdv_camera_frame_free);
  g_clear_object (&shared->decode_sink);
  g_weak_ref_clear (&shared->scanner);
  g_main_context_unref (shared->context);
  g_mutex_clear (&shared->mutex);
  g_free (shared);
}

/* On the main thread: everything the other threads queued, in order. */
static gboolean
dispatch_cb (gpointer data)
{
  Shared *shared = data;
  g_autoptr(PdvCameraScanner) self = NULL;
  g_autoptr(PdvCameraFrame) frame = NULL;
  GQueue codes = G_QUEUE_INIT;
  gboolean finished;
  char *code;

  g_mutex_lock (&shared->mutex);
  g_clear_pointer (&shared->dispatch_source, g_source_unref);
  codes = shared->codes;
  g_queue_init (&shared->codes);
  frame = g_steal_pointer (&shared->frame);
  finished = shared->finished;
  g_mutex_unlock (&shared->mutex);

  self = g_weak_ref_get (&shared->scanner);
  if (self == NULL || g_atomic_int_get (&shared->stopping) || self->shared != shared)
    {
      g_queue_clear_full (&codes, g_free);
      return G_SOURCE_REMOVE;
    }

  while ((code = g_queue_pop_head (&codes)) != NULL)
    {
      g_signal_emit (self, signals[CODE_DETECTED], 0, code);
      g_free (code);
      /* A handler may have stopped the camera. */
      if (self->shared != shared)
        {
          g_queue_clear_full (&codes, g_free);
          return G_SOURCE_REMOVE;
        }
    }
  if (frame != NULL)
    g_signal_emit (self, signals[PREVIEW_FRAME], 0, frame);
  if (finished && self->shared == shared)
    pdv_camera_scanner_stop (self);
  return G_SOURCE_REMOVE;
}

/* Called with the mutex held. */
static void
schedule_dispatch (Shared *shared)
{
  if (shared->dispatch_source != NULL)
    return;
  shared->dispatch_source = g_idle_source_new ();
  g_source_set_priority (shared->dispatch_source, G_PRIORITY_DEFAULT);
  g_source_set_name (shared->dispatch_source, "[pdv] camera scanner dispatch");
  g_source_set_callback (shared->dispatch_source, dispatch_cb, shared_ref (shared), shared_unref);
  g_source_attach (shared->dispatch_source, shared->context);
}

/* Whether @code is news: not seen within the repeat interval. Either way it
 * counts as seen now. */
static gboolean
code_is_new (GHashTable *last_seen,
             const char *code,
             gint64      now,
             gint64      interval)
{
  gint64 *seen_at = g_hash_table_lookup (last_seen, code);
  gboolean is_new = seen_at == NULL || now - *seen_at > interval;

  if (seen_at == NULL)
    {
      if (g_hash_table_size (last_seen) >= MAX_REMEMBERED_CODES)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, last_seen);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (now - *(gint64 *) value > interval)
              g_hash_table_iter_remove (&iter);
        }
      seen_at = g_new (gint64, 1);
      g_hash_table_insert (last_seen, g_strdup (code), seen_at);
    }
  *seen_at = now;
  return is_new;
}

static GStrv
decode_sample (PdvImageScanner *scanner,
               GstSample       *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstVideoInfo info;
  GstVideoFrame frame;
  GStrv codes;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_GRAY8 ||
      !gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ))
    return NULL;
  codes = pdv_image_scanner_scan_gray (scanner,
                                       GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
                                       (guint) GST_VIDEO_FRAME_WIDTH (&frame),
                                       (guint) GST_VIDEO_FRAME_HEIGHT (&frame),
                                       (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0));
  gst_video_frame_unmap (&frame);
  return codes;
}

static gpointer
decode_thread (gpointer data)
{
  Shared *shared = data;
  g_autoptr(PdvImageScanner) scanner = pdv_image_scanner_new ();
  g_autoptr(GHashTable) last_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 interval = (gint64) shared->repeat_interval_ms * 1000;

  while (!g_atomic_int_get (&shared->stopping))
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (shared->decode_sink, PULL_TIMEOUT);
      g_auto(GStrv) codes = NULL;
      gint64 now;

      if (sample == NULL)
        {
          if (gst_app_sink_is_eos (shared->decode_sink))
            break;
          continue;
        }

      codes = decode_sample (scanner, sample);
      g_atomic_int_inc (&shared->n_decoded);
      if (codes == NULL || codes[0] == NULL)
        continue;

      now = g_get_monotonic_time ();
      g_mutex_lock (&shared->mutex);
      for (guint i = 0; codes[i] != NULL; i++)
        if (code_is_new (last_seen, codes[i], now, interval))
          g_queue_push_tail (&shared->codes, g_strdup (codes[i]));
      if (!g_queue_is_empty (&shared->codes))
        schedule_dispatch (shared);
      g_mutex_unlock (&shared->mutex);
    }

  /* The end of the stream (a file source, a camera unplugged): after the
   * last codes, tell the main thread. */
  if (!g_atomic_int_get (&shared->stopping))
    {
      g_mutex_lock (&shared->mutex);
      shared->finished = TRUE;
      schedule_dispatch (shared);
      g_mutex_unlock (&shared->mutex);
    }
  shared_unref (shared);
  return NULL;
}

typedef struct {
  GstVideoFrame  frame;
  GstSample     *sample;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;

  gst_video_frame_unmap (&mapped->frame);
  gst_sample_unref (mapped->sample);
  g_free (mapped);
}

/* In a streaming thread: keep the newest preview frame for the main thread,
 * without copying its pixels. */
static GstFlowReturn
preview_sample_cb (GstAppSink *sink,
                   gpointer    user_data)
{
  Shared *shared = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  GstCaps *caps;
  GstVideoInfo info;
  MappedFrame *mapped;
  PdvCameraFrame *frame;
  gint64 now = g_get_monotonic_time ();

  if (sample == NULL)
    return GST_FLOW_EOS;
  buffer = gst_sample_get_buffer (sample);
  caps = gst_sample_get_caps (sample);
  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps))
    return GST_FLOW_OK;

  g_mutex_lock (&shared->mutex);
  if (now - shared->last_frame_time < G_USEC_PER_SEC / PDV_CAMERA_SCANNER_PREVIEW_MAX_FPS)
    {
      g_mutex_unlock (&shared->mutex);
      return GST_FLOW_OK;
    }
  shared->last_frame_time = now;
  g_mutex_unlock (&shared->mutex);

  mapped = g_new0 (MappedFrame, 1);
  if (!gst_video_frame_map (&mapped->frame, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return GST_FLOW_OK;
    }
  mapped->sample = g_steal_pointer (&sample);

  frame = g_new0 (PdvCameraFrame, 1);
  frame->width = (guint) GST_VIDEO_FRAME_WIDTH (&mapped->frame);
  frame->height = (guint) GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  frame->stride = (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0);
  frame->pixels = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0),
                                              frame->stride * frame->height,
                                              mapped_frame_free, mapped);

  g_mutex_lock (&shared->mutex);
  g_clear_pointer (&shared->frame, pdv_camera_frame_free);
  shared->frame = frame;
  schedule_dispatch (shared);
  g_mutex_unlock (&shared->mutex);
  return GST_FLOW_OK;
}

static void
element_added_cb (GstBin           *bin,
                  GstBin           *sub_bin,
                  GstElement       *element,
                  PdvCameraScanner *self)
{
  /* autovideosrc shows a test pattern when it finds no camera. */
  if (g_str_has_prefix (GST_OBJECT_NAME (element), "fake-auto-video-src"))
    g_atomic_int_set (&self->fake_source, TRUE);
}

static GError *
error_from_message (PdvCameraScanner *self,
                    GstMessage       *message)
{
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (message, &gst_error, &debug);
  g_message ("Camera error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (message),
             gst_error->message, debug ? debug : "no details");

  if (self->source_description == NULL && gst_error->domain == GST_RESOURCE_ERROR &&
      (gst_error->code == GST_RESOURCE_ERROR_NOT_FOUND ||
       gst_error->code == GST_RESOURCE_ERROR_OPEN_READ ||
       gst_error->code == GST_RESOURCE_ERROR_OPEN_READ_WRITE))
    return g_error_new_literal (PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_NO_CAMERA,
                                _("No camera found — connect one or use a USB scanner"));
  if (gst_error->domain == GST_RESOURCE_ERROR && gst_error->code == GST_RESOURCE_ERROR_BUSY)
    return g_error_new_literal (PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_CAMERA_FAILED,
                                _("The camera is in use by another program"));
  /* Translators: %s is what the video system said went wrong */
  return g_error_new (PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_CAMERA_FAILED,
                      _("The camera stopped: %s"), gst_error->message);
}

static gboolean
bus_message_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  PdvCameraScanner *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = error_from_message (self, message);

      g_object_ref (self);
      pdv_camera_scanner_stop (self);
      g_signal_emit (self, signals[ERROR], 0, error);
      g_object_unref (self);
    }
  /* The end of the stream is the worker's to report, after its last codes. */
  return G_SOURCE_CONTINUE;
}

static char *
pipeline_description (PdvCameraScanner *self)
{
  const char *source = self->source_description != NULL ? self->source_description
                     : self->device != NULL ? "v4l2src name=pdv-source"
                     : "autovideosrc";
  GString *description = g_string_new (NULL);

  g_string_append_printf (description,
                          "%s ! tee name=pdv-tee "
                          "pdv-tee. ! queue max-size-buffers=2 max-size-bytes=0 max-size-time=0 "
                          "! videoconvert ! video/x-raw,format=GRAY8 "
                          "! appsink name=pdv-decode max-buffers=1 drop=true",
                          source);
  if (self->preview)
    g_string_append_printf (description,
                            " pdv-tee. ! queue leaky=downstream max-size-buffers=1 max-size-bytes=0 max-size-time=0 "
                            "! videorate drop-only=true max-rate=%d ! videoscale ! videoconvert "
                            "! video/x-raw,format=RGB,width=[1,%d],pixel-aspect-ratio=1/1 "
                            "! appsink name=pdv-preview max-buffers=1 drop=true",
                            PDV_CAMERA_SCANNER_PREVIEW_MAX_FPS, PDV_CAMERA_SCANNER_PREVIEW_MAX_WIDTH);
  return g_string_free (description, FALSE);
}

static void
set_running (PdvCameraScanner *self,
             gboolean          running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* Tears down whatever start() built; safe at any stage. */
static void
stop_pipeline (PdvCameraScanner *self)
{
  if (self->shared != NULL)
    g_atomic_int_set (&self->shared->stopping, TRUE);
  if (self->bus_watch_id != 0)
    {
      g_source_remove (self->bus_watch_id);
      self->bus_watch_id = 0;
    }
  /* Stopping the sinks wakes the worker from its pull. */
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_pointer (&self->worker, g_thread_join);
  if (self->shared != NULL)
    {
      self->n_decoded = g_atomic_int_get (&self->shared->n_decoded);
      g_mutex_lock (&self->shared->mutex);
      if (self->shared->dispatch_source != NULL)
        {
          g_source_destroy (self->shared->dispatch_source);
          g_clear_pointer (&self->shared->dispatch_source, g_source_unref);
        }
      g_mutex_unlock (&self->shared->mutex);
    }
  g_clear_pointer (&self->shared, shared_unref);
  g_clear_object (&self->pipeline);
}

static void
pdv_camera_scanner_dispose (GObject *object)
{
  PdvCameraScanner *self = PDV_CAMERA_SCANNER (object);

  stop_pipeline (self);

  G_OBJECT_CLASS (pdv_camera_scanner_parent_class)->dispose (object);
}

static void
pdv_camera_scanner_finalize (GObject *object)
{
  PdvCameraScanner *self = PDV_CAMERA_SCANNER (object);

  g_free (self->device);
  g_free (self->source_description);

  G_OBJECT_CLASS (pdv_camera_scanner_parent_class)->finalize (object);
}

static void
pdv_camera_scanner_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdvCameraScanner *self = PDV_CAMERA_SCANNER (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;
    case PROP_SOURCE_DESCRIPTION:
      g_value_set_string (value, self->source_description);
      break;
    case PROP_REPEAT_INTERVAL:
      g_value_set_uint (value, self->repeat_interval_ms);
      break;
    case PROP_PREVIEW:
      g_value_set_boolean (value, self->preview);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_camera_scanner_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdvCameraScanner *self = PDV_CAMERA_SCANNER (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      pdv_camera_scanner_set_device (self, g_value_get_string (value));
      break;
    case PROP_SOURCE_DESCRIPTION:
      pdv_camera_scanner_set_source_description (self, g_value_get_string (value));
      break;
    case PROP_REPEAT_INTERVAL:
      pdv_camera_scanner_set_repeat_interval (self, g_value_get_uint (value));
      break;
    case PROP_PREVIEW:
      pdv_camera_scanner_set_preview (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_camera_scanner_class_init (PdvCameraScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_camera_scanner_dispose;
  object_class->finalize = pdv_camera_scanner_finalize;
  object_class->get_property = pdv_camera_scanner_get_property;
  object_class->set_property = pdv_camera_scanner_set_property;

  /**
   * PdvCameraScanner:device:
   *
   * A video device such as /dev/video0; %NULL picks the first camera found.
   * Takes effect at the next start.
   */
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvCameraScanner:source-description:
   *
   * A GStreamer pipeline description that produces raw video, used instead
   * of a camera: "multifilesrc location=frame-%05d.png
   * caps=image/png,framerate=30/1 ! pngdec" for tests and rehearsals.
   */
  properties[PROP_SOURCE_DESCRIPTION] =
    g_param_spec_string ("source-description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvCameraScanner:repeat-interval:
   *
   * How long, in milliseconds, a code must have been out of sight before it
   * is reported again.
   */
  properties[PROP_REPEAT_INTERVAL] =
    g_param_spec_uint ("repeat-interval", NULL, NULL, 0, 60000, PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvCameraScanner:preview:
   *
   * Whether to emit #PdvCameraScanner::preview-frame. Takes effect at the
   * next start.
   */
  properties[PROP_PREVIEW] =
    g_param_spec_boolean ("preview", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvCameraScanner::code-detected:
   * @code: the text of a QR code that came into sight
   *
   * Emitted on the thread that started the scanner.
   */
  signals[CODE_DETECTED] =
    g_signal_new ("code-detected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * PdvCameraScanner::preview-frame:
   * @frame: what the camera sees, scaled down
   */
  signals[PREVIEW_FRAME] =
    g_signal_new ("preview-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PDV_TYPE_CAMERA_FRAME);
  /**
   * PdvCameraScanner::error:
   * @error: why the camera stopped
   *
   * The scanner has stopped when this is emitted.
   */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
pdv_camera_scanner_init (PdvCameraScanner *self)
{
  self->repeat_interval_ms = PDV_CAMERA_SCANNER_DEFAULT_REPEAT_INTERVAL_MS;
}

PdvCameraScanner *
pdv_camera_scanner_new (void)
{
  return g_object_new (PDV_TYPE_CAMERA_SCANNER, NULL);
}

/**
 * pdv_camera_scanner_has_camera:
 *
 * Asks the system for video capture devices. It may take a moment: call it
 * from a thread.
 */
gboolean
pdv_camera_scanner_has_camera (void)
{
  g_autoptr(GstDeviceMonitor) monitor = NULL;
  GList *devices;
  gboolean found;

  if (!gst_init_check (NULL, NULL, NULL))
    return FALSE;
  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  devices = gst_device_monitor_get_devices (monitor);
  found = devices != NULL;
  g_list_free_full (devices, gst_object_unref);
  return found;
}

const char *
pdv_camera_scanner_get_device (PdvCameraScanner *self)
{
  g_return_val_if_fail (PDV_IS_CAMERA_SCANNER (self), NULL);
  return self->device;
}

void
pdv_camera_scanner_set_device (PdvCameraScanner *self,
                               const char       *device)
{
  g_return_if_fail (PDV_IS_CAMERA_SCANNER (self));

  if (device != NULL && *device == '\0')
    device = NULL;
  if (g_strcmp0 (self->device, device) == 0)
    return;
  g_free (self->device);
  self->device = g_strdup (device);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
}

const char *
pdv_camera_scanner_get_source_description (PdvCameraScanner *self)
{
  g_return_val_if_fail (PDV_IS_CAMERA_SCANNER (self), NULL);
  return self->source_description;
}

void
pdv_camera_scanner_set_source_description (PdvCameraScanner *self,
                                           const char       *description)
{
  g_return_if_fail (PDV_IS_CAMERA_SCANNER (self));

  if (description != NULL && *description == '\0')
    description = NULL;
  if (g_strcmp0 (self->source_description, description) == 0)
    return;
  g_free (self->source_description);
  self->source_description = g_strdup (description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE_DESCRIPTION]);
}

guint
pdv_camera_scanner_get_repeat_interval (PdvCameraScanner *self)
{
  g_return_val_if_fail (PDV_IS_CAMERA_SCANNER (self), 0);
  return self->repeat_interval_ms;
}

void
pdv_camera_scanner_set_repeat_interval (PdvCameraScanner *self,
                                        guint             interval_ms)
{
  g_return_if_fail (PDV_IS_CAMERA_SCANNER (self));

  if (self->repeat_interval_ms == interval_ms)
    return;
  self->repeat_interval_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPEAT_INTERVAL]);
}

gboolean
pdv_camera_scanner_get_preview (PdvCameraScanner *self)
{
  g_return_val_if_fail (PDV_IS_CAMERA_SCANNER (self), FALSE);
  return self->preview;
}

void
pdv_camera_scanner_set_preview (PdvCameraScanner *self,
                                gboolean          preview)
{
  g_return_if_fail (PDV_IS_CAMERA_SCANNER (self));

  preview = !!preview;
  if (self->preview == preview)
    return;
  self->preview = preview;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
}

/**
 * pdv_camera_scanner_start:
 *
 * Opens the camera (or the source description) and starts looking for
 * codes. Codes, preview frames and errors are emitted on the thread-default
 * main context of the caller.
 *
 * Returns: %FALSE with @error set when there is no camera or it cannot be
 *   opened
 */
gboolean
pdv_camera_scanner_start (PdvCameraScanner  *self,
                          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) decode_sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstStateChangeReturn state;

  g_return_val_if_fail (PDV_IS_CAMERA_SCANNER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->running)
    return TRUE;

  if (!gst_init_check (NULL, NULL, &local_error))
    {
      g_set_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_CAMERA_FAILED,
                   _("The video system cannot start: %s"), local_error->message);
      return FALSE;
    }

  description = pipeline_description (self);
  g_debug ("Camera pipeline: %s", description);
  self->pipeline = gst_parse_launch (description, &local_error);
  if (self->pipeline != NULL)
    gst_object_ref_sink (self->pipeline);
  /* A pipeline with missing pieces comes with an error: refuse it rather
   * than half run it. */
  if (self->pipeline != NULL && local_error != NULL)
    g_clear_object (&self->pipeline);
  if (self->pipeline == NULL)
    {
      g_set_error (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_CAMERA_FAILED,
                   _("The camera cannot start: %s"),
                   local_error ? local_error->message : _("the video pipeline is not valid"));
      return FALSE;
    }

  if (self->device != NULL && self->source_description == NULL)
    {
      g_autoptr(GstElement) source = gst_bin_get_by_name (GST_BIN (self->pipeline), "pdv-source");

      g_object_set (source, "device", self->device, NULL);
    }

  decode_sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "pdv-decode");
  g_assert (decode_sink != NULL);
  self->shared = shared_new (self, GST_APP_SINK (decode_sink));

  if (self->preview)
    {
      g_autoptr(GstElement) preview_sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "pdv-preview");
      GstAppSinkCallbacks callbacks = { .new_sample = preview_sample_cb };

      gst_app_sink_set_callbacks (GST_APP_SINK (preview_sink), &callbacks,
                                  shared_ref (self->shared), shared_unref);
    }

  g_atomic_int_set (&self->fake_source, FALSE);
  g_signal_connect (self->pipeline, "deep-element-added", G_CALLBACK (element_added_cb), self);

  bus = gst_element_get_bus (self->pipeline);
  state = gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  if (state == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (message != NULL)
        local_error = error_from_message (self, message);
      else
        local_error = g_error_new_literal (PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_NO_CAMERA,
                                           _("No camera found — connect one or use a USB scanner"));
      stop_pipeline (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_atomic_int_get (&self->fake_source))
    {
      stop_pipeline (self);
      g_set_error_literal (error, PDV_SCANNER_ERROR, PDV_SCANNER_ERROR_NO_CAMERA,
                           _("No camera found — connect one or use a USB scanner"));
      return FALSE;
    }

  self->bus_watch_id = gst_bus_add_watch (bus, bus_message_cb, self);
  self->worker = g_thread_new ("pdv-camera-decode", decode_thread, shared_ref (self->shared));
  set_running (self, TRUE);
  return TRUE;
}

/**
 * pdv_camera_scanner_stop:
 *
 * Closes the camera. No code is reported after this returns.
 */
void
pdv_camera_scanner_stop (PdvCameraScanner *self)
{
  g_return_if_fail (PDV_IS_CAMERA_SCANNER (self));

  stop_pipeline (self);
  set_running (self, FALSE);
}

gboolean
pdv_camera_scanner_get_running (PdvCameraScanner *self)
{
  g_return_val_if_fail (PDV_IS_CAMERA_SCANNER (self), FALSE);
  return self->running;
}

/**
 * pdv_camera_scanner_get_n_decoded:
 *
 * Returns: how many frames zbar looked at in the current (or the last) run
 */
guint
pdv_camera_scanner_get_n_decoded (PdvCameraScanner *self)
{
  g_return_val_if_fail (PDV_IS_CAMERA_SCANNER (self), 0);
  if (self->shared != NULL)
    return (guint) g_atomic_int_get (&self->shared->n_decoded);
  return self->n_decoded;
}

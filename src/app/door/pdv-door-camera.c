/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-door-camera"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-door-camera.h"

/* The door's camera: a switch, what the camera sees, and a plain sentence
 * when there is no camera or it failed. It looks for a camera once, off the
 * main thread, and turns itself on if it finds one; it runs only while it is
 * on screen. The codes it reads come out of its scanner's
 * PdvCameraScanner::code-detected, which the page listens to. */

struct _PdvDoorCamera
{
  GtkWidget         parent_instance;

  PdvCameraScanner *scanner;
  GCancellable     *cancellable;
  gboolean          updating_switch;
  gboolean          stopping;
  gboolean          device_from_environment;
  guint             switch_back_id;

  GtkSwitch        *camera_switch;
  GtkStack         *stack;
  GtkLabel         *status_label;
  GtkPicture       *picture;
};

G_DEFINE_FINAL_TYPE (PdvDoorCamera, pdv_door_camera, GTK_TYPE_WIDGET)

static void
set_switch (PdvDoorCamera *self,
            gboolean       active)
{
  self->updating_switch = TRUE;
  gtk_switch_set_active (self->camera_switch, active);
  self->updating_switch = FALSE;
}

static void
show_off (PdvDoorCamera *self,
          const char    *status)
{
  gtk_label_set_label (self->status_label, status);
  gtk_stack_set_visible_child_name (self->stack, "off");
  gtk_picture_set_paintable (self->picture, NULL);
}

static gboolean
switch_back_cb (gpointer user_data)
{
  PdvDoorCamera *self = user_data;

  self->switch_back_id = 0;
  set_switch (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
start (PdvDoorCamera *self)
{
  g_autoptr(GError) error = NULL;

  if (pdv_camera_scanner_get_running (self->scanner))
    return;
  if (!pdv_camera_scanner_start (self->scanner, &error))
    {
      show_off (self, error->message);
      /* Not from inside the switch's own change: it would change back. */
      if (self->switch_back_id == 0)
        self->switch_back_id = g_idle_add_full (G_PRIORITY_DEFAULT, switch_back_cb, self, NULL);
      return;
    }
  show_off (self, _("Starting the camera…"));
}

static void
stop (PdvDoorCamera *self,
      const char    *status)
{
  self->stopping = TRUE;
  pdv_camera_scanner_stop (self->scanner);
  self->stopping = FALSE;
  show_off (self, status);
}

static void
switch_changed_cb (PdvDoorCamera *self)
{
  if (self->updating_switch)
    return;
  if (!gtk_switch_get_active (self->camera_switch))
    stop (self, _("Camera off — use the USB scanner"));
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start (self);
}

static void
preview_frame_cb (PdvDoorCamera        *self,
                  const PdvCameraFrame *frame)
{
  g_autoptr(GdkTexture) texture = NULL;

  /* The frame's pixels, not a copy: the texture keeps them alive. */
  texture = gdk_memory_texture_new ((int) frame->width, (int) frame->height, GDK_MEMORY_R8G8B8,
                                    frame->pixels, frame->stride);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->stack, "preview");
}

static void
error_cb (PdvDoorCamera *self,
          const GError  *error)
{
  set_switch (self, FALSE);
  show_off (self, error->message);
}

static void
running_changed_cb (PdvDoorCamera *self)
{
  /* Stopped without an error and without the switch: the video ended (a
   * camera unplugged, a rehearsal file played out). */
  if (!pdv_camera_scanner_get_running (self->scanner) && gtk_switch_get_active (self->camera_switch) &&
      gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->stopping)
    {
      set_switch (self, FALSE);
      show_off (self, _("The camera stopped sending pictures"));
    }
}

static void
probed_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PdvDoorCamera *self = PDV_DOOR_CAMERA (source_object);
  g_autoptr(GError) error = NULL;
  gboolean found = g_task_propagate_boolean (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!found)
    {
      show_off (self, _("No camera found — connect one or use a USB scanner"));
      return;
    }
  /* A door with a camera reads with it from the start. */
  set_switch (self, TRUE);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start (self);
  else
    show_off (self, _("Camera ready"));
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_task_return_boolean (task, pdv_camera_scanner_has_camera ());
}

static void
mapped_cb (PdvDoorCamera *self)
{
  if (gtk_switch_get_active (self->camera_switch))
    start (self);
}

static void
unmapped_cb (PdvDoorCamera *self)
{
  /* Nobody is looking at the door. */
  if (pdv_camera_scanner_get_running (self->scanner))
    stop (self, _("Camera paused"));
}

static void
pdv_door_camera_dispose (GObject *object)
{
  PdvDoorCamera *self = PDV_DOOR_CAMERA (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->switch_back_id, g_source_remove);
  if (self->scanner != NULL)
    pdv_camera_scanner_stop (self->scanner);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_DOOR_CAMERA);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->scanner);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pdv_door_camera_parent_class)->dispose (object);
}

static void
pdv_door_camera_class_init (PdvDoorCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_door_camera_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/door/pdv-door-camera.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvDoorCamera, camera_switch);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorCamera, stack);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorCamera, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorCamera, picture);
  gtk_widget_class_bind_template_callback (widget_class, switch_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "doorcamera");
}

static void
pdv_door_camera_init (PdvDoorCamera *self)
{
  const char *setting = g_getenv ("PDV_CAMERA");
  g_autoptr(GTask) task = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->scanner = pdv_camera_scanner_new ();
  pdv_camera_scanner_set_preview (self->scanner, TRUE);
  g_signal_connect_object (self->scanner, "preview-frame", G_CALLBACK (preview_frame_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scanner, "error", G_CALLBACK (error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scanner, "notify::running", G_CALLBACK (running_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmapped_cb), NULL);

  /* The environment may name a device (/dev/video2) or a GStreamer source
   * for rehearsals and tests, over the terminal's setting. */
  self->device_from_environment = setting != NULL && *setting != '\0';
  if (setting != NULL && g_str_has_prefix (setting, "/dev/"))
    pdv_camera_scanner_set_device (self->scanner, setting);
  else if (setting != NULL && *setting != '\0')
    pdv_camera_scanner_set_source_description (self->scanner, setting);

  show_off (self, _("Looking for a camera…"));
  task = g_task_new (self, self->cancellable, probed_cb, NULL);
  g_task_set_source_tag (task, pdv_door_camera_init);
  if (setting != NULL && *setting != '\0')
    g_task_return_boolean (task, TRUE);
  else
    g_task_run_in_thread (task, probe_thread);
}

PdvCameraScanner *
pdv_door_camera_get_scanner (PdvDoorCamera *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_CAMERA (self), NULL);
  return self->scanner;
}

/**
 * pdv_door_camera_set_device:
 * @device: (nullable): a video device such as /dev/video2; %NULL or "" for
 *   the first camera found
 *
 * Reads from @device from now on, switching over at once if the camera is
 * running. PDV_CAMERA, when set, wins over this.
 */
void
pdv_door_camera_set_device (PdvDoorCamera *self,
                            const char    *device)
{
  g_return_if_fail (PDV_IS_DOOR_CAMERA (self));

  if (self->device_from_environment)
    return;
  if (device != NULL && *device == '\0')
    device = NULL;
  if (g_strcmp0 (pdv_camera_scanner_get_device (self->scanner), device) == 0)
    return;
  pdv_camera_scanner_set_device (self->scanner, device);
  if (pdv_camera_scanner_get_running (self->scanner))
    {
      stop (self, _("Switching cameras…"));
      start (self);
    }
}

gboolean
pdv_door_camera_get_enabled (PdvDoorCamera *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_CAMERA (self), FALSE);
  return gtk_switch_get_active (self->camera_switch);
}

/**
 * pdv_door_camera_set_enabled:
 *
 * What flipping the switch does.
 */
void
pdv_door_camera_set_enabled (PdvDoorCamera *self,
                             gboolean       enabled)
{
  g_return_if_fail (PDV_IS_DOOR_CAMERA (self));
  gtk_switch_set_active (self->camera_switch, enabled);
}

/**
 * pdv_door_camera_get_status:
 *
 * Returns: what the camera area says when it shows no picture
 */
const char *
pdv_door_camera_get_status (PdvDoorCamera *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_CAMERA (self), NULL);
  return gtk_label_get_label (self->status_label);
}

gboolean
pdv_door_camera_get_showing_preview (PdvDoorCamera *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_CAMERA (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "preview") == 0;
}

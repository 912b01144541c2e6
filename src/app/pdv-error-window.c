/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-error-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-error-window.h"

/* Shown instead of the terminal when its database cannot be opened: the
 * person at the counter must be able to read, and pass on, what is wrong. */
struct _PdvErrorWindow
{
  AdwApplicationWindow  parent_instance;

  AdwStatusPage        *status_page;
  GtkLabel             *message_label;
  GtkLabel             *path_label;
  GtkWidget            *quit_button;
};

G_DEFINE_FINAL_TYPE (PdvErrorWindow, pdv_error_window, ADW_TYPE_APPLICATION_WINDOW)

/* The labels are selectable so the message can be copied into a support
 * request, but a window opening with its text highlighted looks broken. */
static void
pdv_error_window_map (GtkWidget *widget)
{
  PdvErrorWindow *self = PDV_ERROR_WINDOW (widget);

  GTK_WIDGET_CLASS (pdv_error_window_parent_class)->map (widget);

  gtk_widget_grab_focus (self->quit_button);
  gtk_label_select_region (self->message_label, 0, 0);
  gtk_label_select_region (self->path_label, 0, 0);
}

static void
pdv_error_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PDV_TYPE_ERROR_WINDOW);

  G_OBJECT_CLASS (pdv_error_window_parent_class)->dispose (object);
}

static void
pdv_error_window_class_init (PdvErrorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_error_window_dispose;
  widget_class->map = pdv_error_window_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/pdv-error-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvErrorWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, PdvErrorWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdvErrorWindow, path_label);
  gtk_widget_class_bind_template_child (widget_class, PdvErrorWindow, quit_button);
}

static void
pdv_error_window_init (PdvErrorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdvErrorWindow *
pdv_error_window_new (GtkApplication *application,
                      const char     *db_path,
                      const GError   *error)
{
  PdvErrorWindow *self;
  g_autofree char *path_text = NULL;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (PDV_TYPE_ERROR_WINDOW, "application", application, NULL);

  adw_status_page_set_description (self->status_page,
                                   _("The terminal database could not be opened, so this terminal cannot sell or check tickets in until the problem below is fixed."));
  gtk_label_set_label (self->message_label, error->message);
  /* Translators: %s is the path of the terminal's database file */
  path_text = g_strdup_printf (_("Database: %s"), db_path);
  gtk_label_set_label (self->path_label, path_text);

  return self;
}

const char *
pdv_error_window_get_message (PdvErrorWindow *self)
{
  g_return_val_if_fail (PDV_IS_ERROR_WINDOW (self), NULL);
  return gtk_label_get_label (self->message_label);
}

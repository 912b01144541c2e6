/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-kiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-kiosk.h"
#include "pdv-manager-prompt.h"

/* Kiosk mode for one window, following the kiosk-mode setting: the window
 * fills the screen, has no window controls and cannot be closed; leaving
 * kiosk mode, quitting and closing the window take a manager's PIN. The
 * setting outlives the program, so a terminal restarted in kiosk mode comes
 * back in it.
 *
 * It adds the "kiosk" action group to the window:
 *   kiosk.leave  asks for a PIN and turns kiosk mode off (enabled only in it)
 *   kiosk.quit   quits the application, after a PIN when in kiosk mode */
struct _PdvKiosk
{
  GObject             parent_instance;

  GtkWindow          *window;       /* weak: the window owns this */
  AdwHeaderBar       *header_bar;   /* weak, as part of the window */
  PdvSettings        *settings;
  PdvContext         *context;
  GSimpleActionGroup *actions;
  GSimpleAction      *leave_action;
  PdvManagerPrompt   *prompt;       /* weak: the one open, if any */
  gboolean            active;
  gboolean            closing;
};

G_DEFINE_FINAL_TYPE (PdvKiosk, pdv_kiosk, G_TYPE_OBJECT)

typedef void (*AuthorisedFunc) (PdvKiosk *self);

static void
apply (PdvKiosk *self)
{
  gboolean active = pdv_settings_get_kiosk_mode (self->settings);

  self->active = active;
  g_simple_action_set_enabled (self->leave_action, active);
  if (self->window == NULL)
    return;

  gtk_window_set_deletable (self->window, !active);
  if (self->header_bar != NULL)
    {
      adw_header_bar_set_show_start_title_buttons (self->header_bar, !active);
      adw_header_bar_set_show_end_title_buttons (self->header_bar, !active);
    }
  if (active)
    gtk_window_fullscreen (self->window);
  else
    gtk_window_unfullscreen (self->window);
}

static void
kiosk_mode_changed_cb (PdvKiosk *self)
{
  apply (self);
}

static void
fullscreened_changed_cb (PdvKiosk *self)
{
  /* Whatever took the screen away (a key of the window manager's), a kiosk
   * takes it back. */
  if (self->active && self->window != NULL && !gtk_window_is_fullscreen (self->window))
    gtk_window_fullscreen (self->window);
}

static void
prompt_authorised_cb (PdvManagerPrompt *prompt,
                      PdvUser          *manager,
                      gpointer          user_data)
{
  AuthorisedFunc func = user_data;
  PdvKiosk *self = g_object_get_data (G_OBJECT (prompt), "pdv-kiosk");

  if (self == NULL)
    return;
  g_message ("Kiosk mode: %s authorised by %s", gtk_window_get_title (GTK_WINDOW (prompt)), manager->id);
  func (self);
}

static void
ask_for_pin (PdvKiosk       *self,
             const char     *title,
             const char     *message,
             AuthorisedFunc  func)
{
  if (self->prompt != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->prompt));
      return;
    }

  self->prompt = pdv_manager_prompt_new (self->window, self->context, PDV_PERMISSION_SETTINGS, title, message);
  pdv_manager_prompt_set_record_override (self->prompt, TRUE);
  g_object_add_weak_pointer (G_OBJECT (self->prompt), (gpointer *) &self->prompt);
  /* The prompt lives no longer than the window, which owns this. */
  g_object_set_data (G_OBJECT (self->prompt), "pdv-kiosk", self);
  g_signal_connect (self->prompt, "authorised", G_CALLBACK (prompt_authorised_cb), func);
  gtk_window_present (GTK_WINDOW (self->prompt));
}

static void
leave_authorised (PdvKiosk *self)
{
  pdv_settings_set_kiosk_mode (self->settings, FALSE);
}

static void
quit_authorised (PdvKiosk *self)
{
  GApplication *application = self->window != NULL ? G_APPLICATION (gtk_window_get_application (self->window)) : NULL;

  if (application != NULL)
    g_application_quit (application);
}

static void
close_authorised (PdvKiosk *self)
{
  if (self->window == NULL)
    return;
  self->closing = TRUE;
  gtk_window_close (self->window);
}

static gboolean
close_request_cb (GtkWindow *window,
                  PdvKiosk  *self)
{
  if (!self->active || self->closing)
    return FALSE;

  ask_for_pin (self, _("Close the Terminal"),
               _("The terminal is in kiosk mode. A manager’s PIN is needed to close it."),
               close_authorised);
  return TRUE;
}

static void
leave_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PdvKiosk *self = user_data;

  if (!self->active)
    return;
  ask_for_pin (self, _("Leave Kiosk Mode"),
               _("A manager’s PIN is needed to leave kiosk mode."),
               leave_authorised);
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  PdvKiosk *self = user_data;

  if (!self->active)
    {
      quit_authorised (self);
      return;
    }
  ask_for_pin (self, _("Quit"),
               _("The terminal is in kiosk mode. A manager’s PIN is needed to quit."),
               quit_authorised);
}

static void
pdv_kiosk_dispose (GObject *object)
{
  PdvKiosk *self = PDV_KIOSK (object);

  if (self->prompt != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->prompt), (gpointer *) &self->prompt);
      g_object_set_data (G_OBJECT (self->prompt), "pdv-kiosk", NULL);
      gtk_window_destroy (GTK_WINDOW (self->prompt));
      self->prompt = NULL;
    }
  if (self->window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  if (self->header_bar != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->header_bar), (gpointer *) &self->header_bar);
      self->header_bar = NULL;
    }
  g_clear_object (&self->leave_action);
  g_clear_object (&self->actions);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pdv_kiosk_parent_class)->dispose (object);
}

static void
pdv_kiosk_finalize (GObject *object)
{
  PdvKiosk *self = PDV_KIOSK (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_kiosk_parent_class)->finalize (object);
}

static void
pdv_kiosk_class_init (PdvKioskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_kiosk_dispose;
  object_class->finalize = pdv_kiosk_finalize;
}

static void
pdv_kiosk_init (PdvKiosk *self)
{
}

/**
 * pdv_kiosk_new:
 * @window: the terminal's window, which keeps the returned object
 * @header_bar: (nullable): its header bar, whose window buttons go in kiosk mode
 * @context: the terminal, for the managers' PINs
 */
PdvKiosk *
pdv_kiosk_new (GtkWindow    *window,
               AdwHeaderBar *header_bar,
               PdvSettings  *settings,
               PdvContext   *context)
{
  g_autoptr(GSimpleAction) quit_action = NULL;
  PdvKiosk *self;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (header_bar == NULL || ADW_IS_HEADER_BAR (header_bar), NULL);
  g_return_val_if_fail (PDV_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  self = g_object_new (PDV_TYPE_KIOSK, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  if (header_bar != NULL)
    {
      self->header_bar = header_bar;
      g_object_add_weak_pointer (G_OBJECT (header_bar), (gpointer *) &self->header_bar);
    }
  self->settings = g_object_ref (settings);
  self->context = g_object_ref (context);

  self->actions = g_simple_action_group_new ();
  self->leave_action = g_simple_action_new ("leave", NULL);
  g_signal_connect_object (self->leave_action, "activate", G_CALLBACK (leave_activated_cb), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (self->leave_action));
  quit_action = g_simple_action_new ("quit", NULL);
  g_signal_connect_object (quit_action, "activate", G_CALLBACK (quit_activated_cb), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (quit_action));
  gtk_widget_insert_action_group (GTK_WIDGET (window), "kiosk", G_ACTION_GROUP (self->actions));

  g_signal_connect_object (settings, "notify::kiosk-mode", G_CALLBACK (kiosk_mode_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::fullscreened", G_CALLBACK (fullscreened_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "close-request", G_CALLBACK (close_request_cb), self, 0);
  apply (self);
  return self;
}

gboolean
pdv_kiosk_get_active (PdvKiosk *self)
{
  g_return_val_if_fail (PDV_IS_KIOSK (self), FALSE);
  return self->active;
}

/**
 * pdv_kiosk_get_actions:
 *
 * Returns: (transfer none): the "kiosk" actions: leave, quit
 */
GActionGroup *
pdv_kiosk_get_actions (PdvKiosk *self)
{
  g_return_val_if_fail (PDV_IS_KIOSK (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

/**
 * pdv_kiosk_get_prompt:
 *
 * Returns: (nullable) (transfer none): the PIN prompt open, if one is
 */
GtkWindow *
pdv_kiosk_get_prompt (PdvKiosk *self)
{
  g_return_val_if_fail (PDV_IS_KIOSK (self), NULL);
  return self->prompt != NULL ? GTK_WINDOW (self->prompt) : NULL;
}

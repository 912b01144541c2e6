/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-manager-prompt"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-pin-check.h"
#include "pdv-manager-prompt.h"

/* A small modal window that asks for the PIN of someone allowed to do what
 * the operator may not: void or refund a sale, give a discount, open the
 * drawer, close with a difference, open the preferences, leave kiosk mode.
 * It says "authorised" with who it was and closes; a wrong PIN is said in
 * the window and it stays open; Cancel or Escape just close it. The PIN is
 * checked in a worker (see pdv-pin-check.c). */
struct _PdvManagerPrompt
{
  AdwWindow     parent_instance;

  PdvContext   *context;
  char         *operator_id;
  PdvPermission permission;
  gboolean      record_override;
  GCancellable *cancellable;

  GtkLabel     *message_label;
  PdvPinPad    *pin_pad;
  GtkSpinner   *spinner;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (PdvManagerPrompt, pdv_manager_prompt, ADW_TYPE_WINDOW)

enum {
  AUTHORISED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_checking (PdvManagerPrompt *self,
              gboolean          checking)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), checking);
  gtk_spinner_set_spinning (self->spinner, checking);
}

static void
authorised_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PdvManagerPrompt) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) manager = pdv_authorise_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_checking (self, FALSE);
  pdv_pin_pad_clear (self->pin_pad);

  if (manager != NULL)
    {
      g_debug ("%s authorised by %s", pdv_permission_to_string (self->permission), manager->id);
      g_signal_emit (self, signals[AUTHORISED], 0, manager);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  gtk_label_set_label (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_error_bell (GTK_WIDGET (self));
  pdv_pin_pad_focus (self->pin_pad);
}

static void
pin_submitted_cb (PdvManagerPrompt *self,
                  const char       *pin)
{
  /* One check at a time; a PIN typed meanwhile waits in the pad. */
  if (self->cancellable != NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  set_checking (self, TRUE);
  self->cancellable = g_cancellable_new ();
  pdv_authorise_async (self->context, self->permission, pin, self->operator_id, self->record_override,
                       self->cancellable, authorised_cb, g_object_ref (self));
}

static void
pdv_manager_prompt_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pdv_manager_prompt_parent_class)->map (widget);

  pdv_pin_pad_focus (PDV_MANAGER_PROMPT (widget)->pin_pad);
}

static void
pdv_manager_prompt_dispose (GObject *object)
{
  PdvManagerPrompt *self = PDV_MANAGER_PROMPT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_MANAGER_PROMPT);

  G_OBJECT_CLASS (pdv_manager_prompt_parent_class)->dispose (object);
}

static void
pdv_manager_prompt_finalize (GObject *object)
{
  PdvManagerPrompt *self = PDV_MANAGER_PROMPT (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->operator_id, g_free);

  G_OBJECT_CLASS (pdv_manager_prompt_parent_class)->finalize (object);
}

static void
pdv_manager_prompt_class_init (PdvManagerPromptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_manager_prompt_dispose;
  object_class->finalize = pdv_manager_prompt_finalize;
  widget_class->map = pdv_manager_prompt_map;

  /**
   * PdvManagerPrompt::authorised:
   * @authoriser: (type PdvUser): who typed their PIN; their role has the
   *   prompt's permission
   *
   * Emitted once, just before the prompt closes itself.
   */
  signals[AUTHORISED] =
    g_signal_new ("authorised",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PDV_TYPE_USER);

  g_type_ensure (PDV_TYPE_PIN_PAD);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/login/pdv-manager-prompt.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvManagerPrompt, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdvManagerPrompt, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, PdvManagerPrompt, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdvManagerPrompt, error_label);
  gtk_widget_class_bind_template_callback (widget_class, pin_submitted_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdv_manager_prompt_init (PdvManagerPrompt *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pdv_manager_prompt_new:
 * @parent: (nullable): the window it is about
 * @context: the terminal, whose users' PINs count
 * @permission: what the PIN is to allow; only users whose role has it are
 *   admitted
 * @title: what is being asked for, e.g. "Preferences"
 * @message: why a PIN is needed, in a sentence
 *
 * The override is not journalled by the prompt: the action it allows
 * records it with itself, unless pdv_manager_prompt_set_record_override()
 * says otherwise.
 */
PdvManagerPrompt *
pdv_manager_prompt_new (GtkWindow     *parent,
                        PdvContext    *context,
                        PdvPermission  permission,
                        const char    *title,
                        const char    *message)
{
  PdvManagerPrompt *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  self = g_object_new (PDV_TYPE_MANAGER_PROMPT,
                       "transient-for", parent,
                       "title", title,
                       NULL);
  self->context = g_object_ref (context);
  self->permission = permission;
  gtk_label_set_label (self->message_label, message);
  return self;
}

/**
 * pdv_manager_prompt_set_operator:
 * @operator_id: (nullable): who is at the terminal and asks, for the
 *   journal and to say why their own PIN is refused
 */
void
pdv_manager_prompt_set_operator (PdvManagerPrompt *self,
                                 const char       *operator_id)
{
  g_return_if_fail (PDV_IS_MANAGER_PROMPT (self));
  g_free (self->operator_id);
  self->operator_id = g_strdup (operator_id);
}

/**
 * pdv_manager_prompt_set_record_override:
 *
 * Whether an accepted PIN is journalled as an override straight away, for
 * actions that have no journal entry of their own (opening the preferences,
 * leaving kiosk mode).
 */
void
pdv_manager_prompt_set_record_override (PdvManagerPrompt *self,
                                        gboolean          record_override)
{
  g_return_if_fail (PDV_IS_MANAGER_PROMPT (self));
  self->record_override = record_override;
}

PdvPermission
pdv_manager_prompt_get_permission (PdvManagerPrompt *self)
{
  g_return_val_if_fail (PDV_IS_MANAGER_PROMPT (self), PDV_PERMISSION_SELL);
  return self->permission;
}

PdvPinPad *
pdv_manager_prompt_get_pin_pad (PdvManagerPrompt *self)
{
  g_return_val_if_fail (PDV_IS_MANAGER_PROMPT (self), NULL);
  return self->pin_pad;
}

/**
 * pdv_manager_prompt_get_error_text:
 *
 * Returns: (nullable): why the last PIN was refused, if it was
 */
const char *
pdv_manager_prompt_get_error_text (PdvManagerPrompt *self)
{
  g_return_val_if_fail (PDV_IS_MANAGER_PROMPT (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}

gboolean
pdv_manager_prompt_get_checking (PdvManagerPrompt *self)
{
  g_return_val_if_fail (PDV_IS_MANAGER_PROMPT (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * pdv_manager_prompt_ask:
 * @parent: (nullable): the window it is about
 * @operator_id: (nullable): who is at the terminal and asks
 * @on_authorised: called as `(instance, PdvUser *authoriser)` when a PIN is
 *   accepted
 * @on_destroyed: called as `(instance, PdvManagerPrompt *prompt)` when the
 *   prompt closes, authorised or not
 * @instance: the object both callbacks are for; they stop with it
 *
 * The usual way to ask: a modal pdv_manager_prompt_new() for @operator_id,
 * connected and presented.
 *
 * Returns: (transfer none): the prompt, which destroys itself
 */
PdvManagerPrompt *
pdv_manager_prompt_ask (GtkWindow     *parent,
                        PdvContext    *context,
                        PdvPermission  permission,
                        const char    *operator_id,
                        const char    *title,
                        const char    *message,
                        GCallback      on_authorised,
                        GCallback      on_destroyed,
                        gpointer       instance)
{
  PdvManagerPrompt *self = pdv_manager_prompt_new (parent, context, permission, title, message);

  g_return_val_if_fail (G_IS_OBJECT (instance), self);

  pdv_manager_prompt_set_operator (self, operator_id);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  g_signal_connect_object (self, "authorised", on_authorised, instance, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "destroy", on_destroyed, instance, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

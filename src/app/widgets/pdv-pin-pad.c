/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-pin-pad"

#include "config.h"

#include <string.h>

#include "pdv-pin-pad.h"

/* A PIN typed on big keys or on the keyboard, shown only as dots. The pad
 * checks nothing itself: it says when the PIN was submitted. */
struct _PdvPinPad
{
  GtkWidget         parent_instance;

  GtkPasswordEntry *entry;
};

G_DEFINE_FINAL_TYPE (PdvPinPad, pdv_pin_pad, GTK_TYPE_WIDGET)

enum {
  SUBMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Longer than any PIN users can have (4–8 digits), short of a typo loop. */
#define MAX_DIGITS 12

static void
submit (PdvPinPad *self)
{
  const char *pin = pdv_pin_pad_get_pin (self);

  if (*pin != '\0')
    g_signal_emit (self, signals[SUBMITTED], 0, pin);
}

static void
text_inserted_cb (GtkEditable *editable,
                  const char  *text,
                  int          length,
                  int         *position,
                  PdvPinPad   *self)
{
  /* PINs are digits: anything else is a slip of the finger. */
  for (const char *p = text; *p != '\0' && (length < 0 || p - text < length); p++)
    if (!g_ascii_isdigit (*p))
      {
        g_signal_stop_emission_by_name (editable, "insert-text");
        gtk_widget_error_bell (GTK_WIDGET (self));
        return;
      }
}

static void
entry_activated_cb (GtkPasswordEntry *entry,
                    PdvPinPad        *self)
{
  submit (self);
}

static void
digit_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdvPinPad *self = PDV_PIN_PAD (widget);
  const char *digit = g_variant_get_string (parameter, NULL);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *new_text = NULL;

  if (strlen (text) >= MAX_DIGITS)
    return;
  new_text = g_strconcat (text, digit, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), new_text);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

static void
backspace_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdvPinPad *self = PDV_PIN_PAD (widget);
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  gsize length = strlen (text);

  if (length == 0)
    return;
  text[length - 1] = '\0';
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

static void
submit_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  submit (PDV_PIN_PAD (widget));
}

static void
pdv_pin_pad_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PDV_TYPE_PIN_PAD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_pin_pad_parent_class)->dispose (object);
}

static void
pdv_pin_pad_class_init (PdvPinPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_pin_pad_dispose;

  /**
   * PdvPinPad::submitted:
   * @pin: the digits typed
   *
   * OK or Enter was pressed with at least one digit typed.
   */
  signals[SUBMITTED] =
    g_signal_new ("submitted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/widgets/pdv-pin-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvPinPad, entry);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "pinpad.digit", "s", digit_cb);
  gtk_widget_class_install_action (widget_class, "pinpad.backspace", NULL, backspace_cb);
  gtk_widget_class_install_action (widget_class, "pinpad.submit", NULL, submit_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pinpad");
}

static void
pdv_pin_pad_init (PdvPinPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->entry)), "insert-text",
                           G_CALLBACK (text_inserted_cb), self, 0);
}

GtkWidget *
pdv_pin_pad_new (void)
{
  return g_object_new (PDV_TYPE_PIN_PAD, NULL);
}

const char *
pdv_pin_pad_get_pin (PdvPinPad *self)
{
  g_return_val_if_fail (PDV_IS_PIN_PAD (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
pdv_pin_pad_clear (PdvPinPad *self)
{
  g_return_if_fail (PDV_IS_PIN_PAD (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

void
pdv_pin_pad_focus (PdvPinPad *self)
{
  g_return_if_fail (PDV_IS_PIN_PAD (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/**
 * pdv_pin_pad_set_prompt:
 * @prompt: whose PIN is asked for, e.g. "Your PIN"
 *
 * Replaces "Manager PIN" as the entry's placeholder and accessible name.
 */
void
pdv_pin_pad_set_prompt (PdvPinPad  *self,
                        const char *prompt)
{
  g_return_if_fail (PDV_IS_PIN_PAD (self));
  g_return_if_fail (prompt != NULL);

  g_object_set (self->entry, "placeholder-text", prompt, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, prompt, -1);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-accessible"

#include "config.h"

#include "pdv-accessible.h"

/* GTK 4.8 names a button with a mnemonic ("_Pay") from both its raw label
 * and the label inside it, so a screen reader says "underscore Pay Pay".
 * Each such button is given the label's words once. */

static char *
strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            g_string_append_c (out, '_'), p++;
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void button_label_changed_cb (GtkButton  *button,
                                     GParamSpec *pspec,
                                     gpointer    user_data);

static void
name_button (GtkButton *button)
{
  const char *label = gtk_button_get_label (button);
  g_autofree char *words = NULL;

  if (label == NULL || !gtk_button_get_use_underline (button))
    return;
  words = strip_mnemonic (label);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
  if (g_object_get_data (G_OBJECT (button), "pdv-accessible-named") == NULL)
    {
      g_object_set_data (G_OBJECT (button), "pdv-accessible-named", GINT_TO_POINTER (TRUE));
      g_signal_connect_after (button, "notify::label", G_CALLBACK (button_label_changed_cb), NULL);
    }
}

static void
button_label_changed_cb (GtkButton  *button,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  name_button (button);
}

/**
 * pdv_accessible_name_buttons:
 *
 * Gives every button with a mnemonic under @root its name once (see above).
 */
void
pdv_accessible_name_buttons (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root))
    name_button (GTK_BUTTON (root));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    pdv_accessible_name_buttons (child);
}

static gboolean
window_mapped_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  GObject *widget = g_value_get_object (&values[0]);

  if (GTK_IS_WINDOW (widget))
    pdv_accessible_name_buttons (GTK_WIDGET (widget));
  return TRUE;
}

/**
 * pdv_accessible_init:
 *
 * Names the buttons of every window of this process as it is shown.
 */
void
pdv_accessible_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      /* The class holds the signal: made before any widget is. */
      gpointer klass = g_type_class_ref (GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, window_mapped_hook, NULL, NULL);
      g_type_class_unref (klass);
      g_once_init_leave (&done, 1);
    }
}

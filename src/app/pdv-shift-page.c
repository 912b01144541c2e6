/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-shift-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-shift-page-private.h"

/* The manager's page. Shifts and reports come later; what it already offers
 * is the state of the journal and a way to check that nothing in it was
 * altered. */
struct _PdvShiftPage
{
  GtkWidget     parent_instance;

  PdvContext   *context;
  GCancellable *verify_cancellable;
  char         *verify_summary;

  GtkLabel     *terminal_label;
  GtkLabel     *entries_label;
  AdwActionRow *verify_row;
  GtkImage     *verify_icon;
};

G_DEFINE_FINAL_TYPE (PdvShiftPage, pdv_shift_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
refresh (PdvShiftPage *self)
{
  g_autofree char *terminal_name = pdv_context_dup_terminal_name (self->context);
  g_autofree char *entries = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              pdv_journal_get_last_seq (pdv_context_get_journal (self->context)));

  gtk_label_set_label (self->terminal_label,
                       terminal_name != NULL ? terminal_name : _("Not set up"));
  gtk_label_set_label (self->entries_label, entries);
}

static void
mapped_cb (PdvShiftPage *self)
{
  refresh (self);
}

/* Verification reads the whole journal, which grows all night; it runs on
 * its own connection in a worker so the till never freezes. */
static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *db_path = task_data;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_entries = 0;

  context = pdv_context_open (db_path, &error);
  if (context == NULL ||
      !pdv_journal_verify_chain (pdv_context_get_journal (context), &n_entries, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_memdup2 (&n_entries, sizeof n_entries), g_free);
}

static void
verify_finished_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (source_object);
  g_autofree gint64 *n_entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  n_entries = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->verify_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "shift.verify-journal", TRUE);

  if (n_entries != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, *n_entries);

      /* Translators: %s is a number of journal entries */
      summary = g_strdup_printf (ngettext ("The journal is intact: %s entry checked",
                                           "The journal is intact: %s entries checked",
                                           (gulong) CLAMP (*n_entries, 0, G_MAXLONG)),
                                 count);
      gtk_image_set_from_icon_name (self->verify_icon, "emblem-ok-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verify_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->verify_icon), "success");
    }
  else
    {
      /* Translators: %s says what is wrong with the journal */
      summary = g_strdup_printf (_("The journal is damaged: %s"), error->message);
      gtk_image_set_from_icon_name (self->verify_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->verify_icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->verify_icon), "error");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->verify_icon), TRUE);
  adw_action_row_set_subtitle (self->verify_row, summary);
  g_free (self->verify_summary);
  self->verify_summary = g_steal_pointer (&summary);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", self->verify_summary);
  refresh (self);
}

static void
verify_journal_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (widget);
  PdvDb *db = pdv_context_get_db (self->context);
  g_autoptr(GTask) task = NULL;

  if (self->verify_cancellable != NULL)
    return;

  self->verify_cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (widget, "shift.verify-journal", FALSE);
  adw_action_row_set_subtitle (self->verify_row, _("Checking every entry…"));
  gtk_widget_set_visible (GTK_WIDGET (self->verify_icon), FALSE);

  task = g_task_new (self, self->verify_cancellable, verify_finished_cb, NULL);
  g_task_set_source_tag (task, verify_journal_cb);
  g_task_set_task_data (task, g_strdup (pdv_db_get_path (db)), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, verify_thread);
}

static void
pdv_shift_page_constructed (GObject *object)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  G_OBJECT_CLASS (pdv_shift_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  refresh (self);
}

static void
pdv_shift_page_dispose (GObject *object)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->verify_cancellable);
  g_clear_object (&self->verify_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SHIFT_PAGE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_shift_page_parent_class)->dispose (object);
}

static void
pdv_shift_page_finalize (GObject *object)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  g_clear_pointer (&self->verify_summary, g_free);

  G_OBJECT_CLASS (pdv_shift_page_parent_class)->finalize (object);
}

static void
pdv_shift_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_shift_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PdvShiftPage *self = PDV_SHIFT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_shift_page_class_init (PdvShiftPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_shift_page_constructed;
  object_class->dispose = pdv_shift_page_dispose;
  object_class->finalize = pdv_shift_page_finalize;
  object_class->get_property = pdv_shift_page_get_property;
  object_class->set_property = pdv_shift_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/pdv-shift-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, terminal_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, entries_label);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, verify_row);
  gtk_widget_class_bind_template_child (widget_class, PdvShiftPage, verify_icon);

  gtk_widget_class_install_action (widget_class, "shift.verify-journal", NULL, verify_journal_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_shift_page_init (PdvShiftPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Every sale adds entries; show the count as it is when the page opens. */
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
}

GtkWidget *
pdv_shift_page_new (PdvContext *context)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_SHIFT_PAGE, "context", context, NULL);
}

gboolean
pdv_shift_page_get_verifying (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), FALSE);
  return self->verify_cancellable != NULL;
}

/**
 * pdv_shift_page_get_verify_summary:
 *
 * Returns: (nullable): what the last verification found, %NULL before the first
 */
const char *
pdv_shift_page_get_verify_summary (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return self->verify_summary;
}

const char *
pdv_shift_page_get_entries_text (PdvShiftPage *self)
{
  g_return_val_if_fail (PDV_IS_SHIFT_PAGE (self), NULL);
  return gtk_label_get_label (self->entries_label);
}

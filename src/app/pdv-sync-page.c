/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-sync-page.h"

/* Sync health. No server can be configured yet, so it says plainly that the
 * terminal is on its own and how much is waiting to be sent. */
struct _PdvSyncPage
{
  GtkWidget      parent_instance;

  PdvContext    *context;

  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (PdvSyncPage, pdv_sync_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
refresh (PdvSyncPage *self)
{
  gint64 n_entries = pdv_journal_get_last_seq (pdv_context_get_journal (self->context));
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, n_entries);
  g_autofree char *description = NULL;

  /* Translators: %s is a number of journal entries */
  description = g_strdup_printf (ngettext ("%s entry is stored on this terminal and will be sent when a sync server is configured.",
                                           "%s entries are stored on this terminal and will be sent when a sync server is configured.",
                                           (gulong) CLAMP (n_entries, 0, G_MAXLONG)),
                                 count);
  adw_status_page_set_description (self->status_page, description);
}

static void
mapped_cb (PdvSyncPage *self)
{
  refresh (self);
}

static void
pdv_sync_page_constructed (GObject *object)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (object);

  G_OBJECT_CLASS (pdv_sync_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  refresh (self);
}

static void
pdv_sync_page_dispose (GObject *object)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SYNC_PAGE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_sync_page_parent_class)->dispose (object);
}

static void
pdv_sync_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (object);

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
pdv_sync_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (object);

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
pdv_sync_page_class_init (PdvSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_sync_page_constructed;
  object_class->dispose = pdv_sync_page_dispose;
  object_class->get_property = pdv_sync_page_get_property;
  object_class->set_property = pdv_sync_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/pdv-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, status_page);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_sync_page_init (PdvSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Every sale adds an entry to send; count them when the page opens. */
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
}

GtkWidget *
pdv_sync_page_new (PdvContext *context)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_SYNC_PAGE, "context", context, NULL);
}

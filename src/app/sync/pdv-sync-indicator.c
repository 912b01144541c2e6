/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-sync-indicator.h"
#include "pdv-sync-text.h"

/* Sync at a glance, in the header bar: online or not, how much is still to
 * send, and an amber warning when someone should open the sync page (which
 * a click does). The details are in the tooltip. */

/* The oldest entry's age is not part of the status the worker sends; while
 * shown, the indicator looks again this often. */
#define TICK_SECONDS 15

struct _PdvSyncIndicator
{
  GtkWidget      parent_instance;

  PdvSyncWorker *sync_worker;
  gulong         status_changed_id;
  PdvSyncStatus *status;
  guint          tick_id;
  gboolean       needs_attention;
  const char    *icon_name;

  GtkButton     *button;
  GtkImage      *icon;
  GtkLabel      *label;
};

G_DEFINE_FINAL_TYPE (PdvSyncIndicator, pdv_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SYNC_WORKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
dup_label (const PdvSyncStatus *status)
{
  g_autofree char *to_send = NULL;

  if (!status->enrolled)
    return g_strdup (_("Not enrolled"));
  if (status->queued > 0)
    {
      to_send = pdv_sync_text_to_send (status->queued);
      if (pdv_sync_status_is_offline (status))
        /* Translators: %s is how many entries wait, e.g. "12 to send" */
        return g_strdup_printf (_("Offline · %s"), to_send);
      return g_steal_pointer (&to_send);
    }
  if (pdv_sync_status_is_offline (status))
    return g_strdup (_("Offline"));
  if (status->open_conflicts > 0)
    return g_strdup_printf (ngettext ("%lld conflict", "%lld conflicts",
                                      (gulong) CLAMP (status->open_conflicts, 0, G_MAXLONG)),
                            (long long) status->open_conflicts);
  return g_strdup (_("Synced"));
}

static const char *
choose_icon (const PdvSyncStatus *status,
             gint64               oldest_age)
{
  if (!status->enrolled || pdv_sync_status_is_offline (status))
    return "network-offline-symbolic";
  if (status->open_conflicts > 0 || oldest_age > PDV_SYNC_OLDEST_WARNING_S || status->last_error != NULL)
    return "dialog-warning-symbolic";
  if (status->queued > 0)
    return "emblem-synchronizing-symbolic";
  return "emblem-ok-symbolic";
}

/* One line per fact, for the tooltip and the screen reader. */
static char *
dup_details (const PdvSyncStatus *status,
             GDateTime           *now,
             gint64               oldest_age)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *last_success = NULL;

  if (!status->enrolled)
    return g_strdup (_("This terminal is not enrolled with a sync server: everything it does stays on it. "
                       "Open the Sync page to enrol it."));

  if (status->online)
    /* Translators: %s is the sync server's address */
    g_string_append_printf (text, _("Online: %s"), status->server != NULL ? status->server : "");
  else if (status->last_attempt == NULL)
    g_string_append (text, _("Not in touch with the server yet"));
  else
    g_string_append (text, _("Offline: sales and check-ins are kept on this terminal until the server can be reached"));

  g_string_append_c (text, '\n');
  if (status->queued > 0)
    {
      g_autofree char *age = pdv_sync_text_age (oldest_age);

      /* Translators: %lld is a number of journal entries, %s how long the oldest has waited ("3 min") */
      g_string_append_printf (text, ngettext ("%lld entry to send, waiting for %s",
                                              "%lld entries to send, the oldest waiting for %s",
                                              (gulong) CLAMP (status->queued, 0, G_MAXLONG)),
                              (long long) status->queued, age);
    }
  else
    g_string_append (text, _("Everything is on the server"));

  last_success = pdv_sync_text_time (status->last_success, now, NULL);
  g_string_append_c (text, '\n');
  /* Translators: %s is a time, or "Never" */
  g_string_append_printf (text, _("Last synced: %s"), last_success);

  if (status->open_conflicts > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, ngettext ("%lld conflict nobody has looked at",
                                              "%lld conflicts nobody has looked at",
                                              (gulong) CLAMP (status->open_conflicts, 0, G_MAXLONG)),
                              (long long) status->open_conflicts);
    }
  if (status->last_error != NULL)
    {
      g_string_append_c (text, '\n');
      /* Translators: %s says why the last sync failed */
      g_string_append_printf (text, _("Last error: %s"), status->last_error);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update (PdvSyncIndicator *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *label = NULL;
  g_autofree char *details = NULL;
  g_autofree char *accessible_name = NULL;
  gint64 oldest_age;

  gtk_widget_set_visible (GTK_WIDGET (self), self->sync_worker != NULL);
  if (self->status == NULL || self->sync_worker == NULL)
    return;
  now = pdv_clock_get_now_utc (pdv_sync_worker_get_clock (self->sync_worker));

  oldest_age = pdv_sync_status_get_oldest_age (self->status, now);
  label = dup_label (self->status);
  details = dup_details (self->status, now, oldest_age);
  self->icon_name = choose_icon (self->status, oldest_age);
  self->needs_attention = pdv_sync_status_needs_attention (self->status, now);

  gtk_label_set_label (self->label, label);
  gtk_image_set_from_icon_name (self->icon, self->icon_name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), details);
  if (self->needs_attention)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");
  gtk_widget_set_opacity (GTK_WIDGET (self->label), self->status->enrolled ? 1.0 : 0.7);

  /* Translators: what a screen reader says for the header's sync button; %s is e.g. "12 to send" */
  accessible_name = g_strdup_printf (_("Sync: %s"), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
}

static void
status_changed_cb (PdvSyncIndicator    *self,
                   const PdvSyncStatus *status)
{
  g_clear_pointer (&self->status, pdv_sync_status_free);
  self->status = pdv_sync_status_copy (status);
  update (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  update (PDV_SYNC_INDICATOR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
mapped_cb (PdvSyncIndicator *self)
{
  update (self);
  if (self->tick_id == 0 && self->sync_worker != NULL)
    self->tick_id = pdv_clock_timeout_add_seconds (pdv_sync_worker_get_clock (self->sync_worker), TICK_SECONDS,
                                                   tick_cb, self);
}

static void
unmapped_cb (PdvSyncIndicator *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
pdv_sync_indicator_dispose (GObject *object)
{
  PdvSyncIndicator *self = PDV_SYNC_INDICATOR (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  pdv_sync_indicator_set_sync_worker (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SYNC_INDICATOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_sync_indicator_parent_class)->dispose (object);
}

static void
pdv_sync_indicator_finalize (GObject *object)
{
  PdvSyncIndicator *self = PDV_SYNC_INDICATOR (object);

  g_clear_pointer (&self->status, pdv_sync_status_free);

  G_OBJECT_CLASS (pdv_sync_indicator_parent_class)->finalize (object);
}

static void
pdv_sync_indicator_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdvSyncIndicator *self = PDV_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SYNC_WORKER:
      g_value_set_object (value, self->sync_worker);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_sync_indicator_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdvSyncIndicator *self = PDV_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SYNC_WORKER:
      pdv_sync_indicator_set_sync_worker (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_sync_indicator_class_init (PdvSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_sync_indicator_dispose;
  object_class->finalize = pdv_sync_indicator_finalize;
  object_class->get_property = pdv_sync_indicator_get_property;
  object_class->set_property = pdv_sync_indicator_set_property;

  /**
   * PdvSyncIndicator:sync-worker:
   *
   * Whose status to show; %NULL hides the indicator (a terminal that is
   * not set up has nothing to sync).
   */
  properties[PROP_SYNC_WORKER] =
    g_param_spec_object ("sync-worker", NULL, NULL, PDV_TYPE_SYNC_WORKER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sync/pdv-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncIndicator, label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "syncindicator");
}

static void
pdv_sync_indicator_init (PdvSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmapped_cb), NULL);
}

GtkWidget *
pdv_sync_indicator_new (PdvSyncWorker *sync_worker)
{
  g_return_val_if_fail (sync_worker == NULL || PDV_IS_SYNC_WORKER (sync_worker), NULL);

  return g_object_new (PDV_TYPE_SYNC_INDICATOR, "sync-worker", sync_worker, NULL);
}

PdvSyncWorker *
pdv_sync_indicator_get_sync_worker (PdvSyncIndicator *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_INDICATOR (self), NULL);
  return self->sync_worker;
}

/**
 * pdv_sync_indicator_set_sync_worker:
 * @sync_worker: (nullable): the worker whose status to show
 */
void
pdv_sync_indicator_set_sync_worker (PdvSyncIndicator *self,
                                    PdvSyncWorker    *sync_worker)
{
  g_return_if_fail (PDV_IS_SYNC_INDICATOR (self));
  g_return_if_fail (sync_worker == NULL || PDV_IS_SYNC_WORKER (sync_worker));

  if (self->sync_worker == sync_worker)
    return;

  if (self->sync_worker != NULL)
    g_clear_signal_handler (&self->status_changed_id, self->sync_worker);
  g_clear_object (&self->sync_worker);
  g_clear_pointer (&self->status, pdv_sync_status_free);

  if (sync_worker != NULL)
    {
      self->sync_worker = g_object_ref (sync_worker);
      self->status_changed_id = g_signal_connect_object (sync_worker, "status-changed",
                                                         G_CALLBACK (status_changed_cb), self,
                                                         G_CONNECT_SWAPPED);
      self->status = pdv_sync_worker_dup_status (sync_worker);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_WORKER]);
}

/**
 * pdv_sync_indicator_get_text:
 *
 * Returns: what the indicator says, e.g. "12 to send"
 */
const char *
pdv_sync_indicator_get_text (PdvSyncIndicator *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_INDICATOR (self), NULL);
  return gtk_label_get_label (self->label);
}

const char *
pdv_sync_indicator_get_icon_name (PdvSyncIndicator *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_INDICATOR (self), NULL);
  return self->icon_name;
}

/**
 * pdv_sync_indicator_get_needs_attention:
 *
 * Returns: whether it shows the warning: a failed attempt, unseen
 *   conflicts, or entries waiting too long
 */
gboolean
pdv_sync_indicator_get_needs_attention (PdvSyncIndicator *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_INDICATOR (self), FALSE);
  return self->needs_attention;
}

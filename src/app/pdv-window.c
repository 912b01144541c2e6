/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-checkin-page.h"
#include "pdv-sell-page.h"
#include "pdv-shift-page.h"
#include "pdv-sync-page.h"
#include "pdv-window-private.h"

/* The terminal's one window: a page per job, switched from the header (or
 * the bottom bar when narrow), with toasts over everything. */
struct _PdvWindow
{
  AdwApplicationWindow  parent_instance;

  PdvContext           *context;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  GtkLabel             *terminal_label;
  GtkLabel             *event_label;
};

G_DEFINE_FINAL_TYPE (PdvWindow, pdv_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_page (PdvWindow  *self,
          GtkWidget  *page,
          const char *name,
          const char *title,
          const char *icon_name)
{
  adw_view_stack_add_titled_with_icon (self->view_stack, page, name, title, icon_name);
}

static void
update_titles (PdvWindow *self)
{
  g_autofree char *event_name = pdv_context_dup_event_name (self->context);
  g_autofree char *terminal_name = pdv_context_dup_terminal_name (self->context);
  const char *title = event_name != NULL ? event_name : _("No Event Loaded");
  const char *subtitle = terminal_name != NULL ? terminal_name : _("Terminal not set up");

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_title (self->switcher_title, title);
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);

  /* When wide the switcher takes the title's place; whoever stands at the
   * till still needs to see which terminal and event this is. */
  gtk_label_set_label (self->terminal_label, subtitle);
  gtk_label_set_label (self->event_label, title);
}

static gboolean
invert_boolean (gpointer  instance,
                gboolean  value)
{
  return !value;
}

static void
show_page_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  pdv_window_show_page (PDV_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_toast_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdvWindow *self = PDV_WINDOW (widget);
  AdwToast *toast = adw_toast_new (g_variant_get_string (parameter, NULL));

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
pdv_window_constructed (GObject *object)
{
  PdvWindow *self = PDV_WINDOW (object);

  G_OBJECT_CLASS (pdv_window_parent_class)->constructed (object);

  g_assert (self->context != NULL);

  add_page (self, pdv_sell_page_new (self->context),
            "sell", _("Sell"), "view-grid-symbolic");
  add_page (self, pdv_checkin_page_new (self->context),
            "checkin", _("Check-in"), "system-users-symbolic");
  add_page (self, pdv_shift_page_new (self->context),
            "shift", _("Shift & Reports"), "x-office-spreadsheet-symbolic");
  add_page (self, pdv_sync_page_new (self->context),
            "sync", _("Sync"), "network-transmit-receive-symbolic");
  adw_view_stack_set_visible_child_name (self->view_stack, "sell");

  update_titles (self);
}

static void
pdv_window_dispose (GObject *object)
{
  PdvWindow *self = PDV_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_WINDOW);

  G_OBJECT_CLASS (pdv_window_parent_class)->dispose (object);
}

static void
pdv_window_finalize (GObject *object)
{
  PdvWindow *self = PDV_WINDOW (object);

  /* Held until the pages, which share it, are gone. */
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_window_parent_class)->finalize (object);
}

static void
pdv_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PdvWindow *self = PDV_WINDOW (object);

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
pdv_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PdvWindow *self = PDV_WINDOW (object);

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
pdv_window_class_init (PdvWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_window_constructed;
  object_class->dispose = pdv_window_dispose;
  object_class->finalize = pdv_window_finalize;
  object_class->get_property = pdv_window_get_property;
  object_class->set_property = pdv_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/pdv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, terminal_label);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, event_label);
  gtk_widget_class_bind_template_callback (widget_class, invert_boolean);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_cb);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_cb);
}

static void
pdv_window_init (PdvWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdvWindow *
pdv_window_new (GtkApplication *application,
                PdvContext     *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

PdvContext *
pdv_window_get_context (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->context;
}

/**
 * pdv_window_show_page:
 * @page_name: "sell", "checkin", "shift" or "sync"
 *
 * Returns: whether there is such a page
 */
gboolean
pdv_window_show_page (PdvWindow  *self,
                      const char *page_name)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (page_name != NULL, FALSE);

  if (adw_view_stack_get_child_by_name (self->view_stack, page_name) == NULL)
    return FALSE;
  adw_view_stack_set_visible_child_name (self->view_stack, page_name);
  return TRUE;
}

const char *
pdv_window_get_visible_page (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GtkWidget *
pdv_window_get_page (PdvWindow  *self,
                     const char *page_name)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->view_stack, page_name);
}

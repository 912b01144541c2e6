/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-checkin-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-checkin-page.h"

/* What the door staff will use. For now it states what this terminal holds
 * for the door: the event and how many tickets were loaded. */
struct _PdvCheckinPage
{
  GtkWidget      parent_instance;

  PdvContext    *context;

  AdwStatusPage *status_page;
  GtkLabel      *event_label;
  GtkLabel      *tickets_label;
};

G_DEFINE_FINAL_TYPE (PdvCheckinPage, pdv_checkin_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
refresh (PdvCheckinPage *self)
{
  g_autofree char *event_name = pdv_context_dup_event_name (self->context);
  guint n_tickets = pdv_context_count_tickets (self->context);
  g_autofree char *count = g_strdup_printf ("%u", n_tickets);
  g_autofree char *description = NULL;

  gtk_label_set_label (self->event_label,
                       event_name != NULL ? event_name : _("No event loaded"));
  gtk_label_set_label (self->tickets_label, count);

  if (event_name != NULL)
    /* Translators: %u is a number of tickets, %s the event's name */
    description = g_strdup_printf (ngettext ("%u ticket loaded for %s",
                                             "%u tickets loaded for %s", n_tickets),
                                   n_tickets, event_name);
  else
    description = g_strdup_printf (ngettext ("%u ticket loaded",
                                             "%u tickets loaded", n_tickets),
                                   n_tickets);
  adw_status_page_set_description (self->status_page, description);
}

static void
mapped_cb (PdvCheckinPage *self)
{
  refresh (self);
}

static void
pdv_checkin_page_constructed (GObject *object)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (object);

  G_OBJECT_CLASS (pdv_checkin_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  refresh (self);
}

static void
pdv_checkin_page_dispose (GObject *object)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_CHECKIN_PAGE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_checkin_page_parent_class)->dispose (object);
}

static void
pdv_checkin_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (object);

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
pdv_checkin_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (object);

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
pdv_checkin_page_class_init (PdvCheckinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_checkin_page_constructed;
  object_class->dispose = pdv_checkin_page_dispose;
  object_class->get_property = pdv_checkin_page_get_property;
  object_class->set_property = pdv_checkin_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/pdv-checkin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, event_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, tickets_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_checkin_page_init (PdvCheckinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Tickets arrive by import or sync while the window is open. */
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
}

GtkWidget *
pdv_checkin_page_new (PdvContext *context)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_CHECKIN_PAGE, "context", context, NULL);
}

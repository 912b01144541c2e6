/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-counter-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-counter-page.h"
#include "pdv-door-sounds.h"
#include "pdv-door-camera.h"

/* What the bartender sees of the last few fichas, newest first. */
#define RECENT_ROWS 8

/* The bar's counter: a ficha is scanned (a USB scanner types it and Enter
 * into the entry, which keeps the focus), the verdict fills the page in the
 * door's colours — VALID and what to serve, or why not — and the scan is
 * journalled, with no network needed (pdv_ficha_redeem()). */
struct _PdvCounterPage
{
  GtkWidget           parent_instance;

  PdvContext         *context;
  PdvSession         *session;
  char               *counter;   /* NULL: the terminal's name */
  PdvFichaRedemption *last;
  char               *error;
  guint               served;

  GtkWidget          *scroller;
  GtkWidget          *verdict_box;
  GtkImage           *icon;
  GtkLabel           *headline_label;
  GtkLabel           *title_label;
  GtkLabel           *detail_label;
  GtkLabel           *meta_label;
  GtkEntry           *code_entry;
  PdvDoorCamera      *camera;
  PdvDoorSounds      *sounds;    /* the door's: the bartender keeps their eyes on the bar */
  GtkLabel           *served_label;
  GtkListBox         *recent_list;
};

G_DEFINE_FINAL_TYPE (PdvCounterPage, pdv_counter_page, GTK_TYPE_WIDGET)

static const char * const verdict_css_classes[] = {
  "verdict-idle", "verdict-accepted", "verdict-warning", "verdict-refused",
};

static void
set_css_class (PdvCounterPage *self,
               const char     *css_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (verdict_css_classes); i++)
    gtk_widget_remove_css_class (self->verdict_box, verdict_css_classes[i]);
  gtk_widget_add_css_class (self->verdict_box, css_class);
}

static char *
counter_name (PdvCounterPage *self)
{
  g_autofree char *terminal = NULL;

  if (self->counter != NULL && *self->counter != '\0')
    return g_strdup (self->counter);
  terminal = pdv_context_dup_terminal_name (self->context);
  return terminal != NULL ? g_steal_pointer (&terminal) : g_strdup (_("Counter"));
}

static void
update_served (PdvCounterPage *self)
{
  g_autofree char *text = g_strdup_printf (ngettext ("%u ficha served here since the terminal started",
                                                     "%u fichas served here since the terminal started",
                                                     self->served),
                                           self->served);

  gtk_label_set_label (self->served_label, text);
}

static void
show_idle (PdvCounterPage *self)
{
  g_autofree char *counter = counter_name (self);
  /* Translators: the counter page before the first scan; %s is the counter's name */
  g_autofree char *where = g_strdup_printf (_("Counter: %s"), counter);

  set_css_class (self, "verdict-idle");
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "verdict-reason");
  gtk_image_set_from_icon_name (self->icon, "emblem-default-symbolic");
  gtk_label_set_label (self->headline_label, _("Ready"));
  gtk_label_set_label (self->title_label, _("Scan the ficha the customer hands over"));
  gtk_label_set_label (self->detail_label, _("Serve only what the screen says, once"));
  gtk_label_set_label (self->meta_label, where);
}

static const char *
css_class_for (PdvFichaVerdict verdict)
{
  switch (verdict)
    {
    case PDV_FICHA_VALID:
      return "verdict-accepted";
    case PDV_FICHA_UNKNOWN_ISSUER:
      /* Not known to be false: the till may not have synchronised yet. */
      return "verdict-warning";
    default:
      return "verdict-refused";
    }
}

static const char *
icon_for (PdvFichaVerdict verdict)
{
  switch (verdict)
    {
    case PDV_FICHA_VALID:
      return "emblem-ok-symbolic";
    case PDV_FICHA_UNKNOWN_ISSUER:
      return "dialog-warning-symbolic";
    default:
      return "action-unavailable-symbolic";
    }
}

static void
add_recent (PdvCounterPage           *self,
            const PdvFichaRedemption *r,
            const char               *time)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *subtitle = NULL;
  GtkWidget *child;
  guint n = 0;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pdv_ficha_verdict_label (r->verdict));
  /* Translators: a ficha in the counter's list of scans: "21:04:10 · Cerveja Lata 350 ml · ZAJR-YMFN" */
  subtitle = r->code != NULL ? g_strdup_printf (_("%s · %s · %s"), time, r->product_name, r->code)
                             : g_strdup (time);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (dot, "scan-dot");
  gtk_widget_add_css_class (dot, css_class_for (r->verdict));
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), dot);
  gtk_list_box_prepend (self->recent_list, row);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list)); child != NULL; n++)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (n >= RECENT_ROWS)
        gtk_list_box_remove (self->recent_list, child);
      child = next;
    }
}

static void
show_redemption (PdvCounterPage           *self,
                 const PdvFichaRedemption *r)
{
  g_autoptr(GTimeZone) zone = pdv_context_dup_event_timezone (self->context);
  g_autoptr(GDateTime) now = pdv_clock_get_now (pdv_context_get_clock (self->context), zone);
  g_autofree char *time = pdv_datetime_format (now, NULL, PDV_DATETIME_TIME_SECONDS);
  g_autofree char *meta = NULL;

  set_css_class (self, css_class_for (r->verdict));
  gtk_image_set_from_icon_name (self->icon, icon_for (r->verdict));
  gtk_label_set_label (self->headline_label, pdv_ficha_verdict_label (r->verdict));
  if (r->verdict == PDV_FICHA_VALID)
    {
      /* What to pour, as large as it gets. */
      gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "verdict-reason");
      gtk_label_set_label (self->title_label, r->product_name);
      /* Translators: under a valid ficha's product: the slip stays at the counter, so it cannot be used again */
      gtk_label_set_label (self->detail_label, _("Serve it, and keep the ficha"));
    }
  else
    {
      /* Why not, whole: a reason the size of a name would be cut short. */
      gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "verdict-reason");
      gtk_label_set_label (self->title_label, r->message);
      gtk_label_set_label (self->detail_label, r->verdict == PDV_FICHA_UNREADABLE ? "" : r->product_name);
    }
  if (r->code != NULL)
    /* Translators: under a ficha's verdict: its short code and the time of the scan */
    meta = g_strdup_printf (_("Ficha %s · %s"), r->code, time);
  else
    meta = g_strdup (time);
  gtk_label_set_label (self->meta_label, meta);
  add_recent (self, r, time);
}

/**
 * pdv_counter_page_scan:
 * @text: what the scanner read
 *
 * Gives the verdict on a ficha, journalled, and shows it.
 *
 * Returns: (nullable): the verdict, or %NULL when it could not be
 *   journalled (an error is shown; nothing is to be served)
 */
const PdvFichaRedemption *
pdv_counter_page_scan (PdvCounterPage *self,
                       const char     *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *counter = NULL;
  PdvFichaRedemption *r;

  g_return_val_if_fail (PDV_IS_COUNTER_PAGE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  /* What scanners add around a code; the code's own spaces stay. */
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return NULL;
  counter = counter_name (self);
  r = pdv_ficha_redeem (pdv_context_get_journal (self->context), trimmed, counter,
                        self->session != NULL ? pdv_session_get_user_id (self->session) : NULL, &error);
  g_clear_pointer (&self->error, g_free);
  if (r == NULL)
    {
      /* Translators: the counter could not record a scan; %s says why */
      self->error = g_strdup_printf (_("This scan could not be recorded, so do not serve it: %s"), error->message);
      set_css_class (self, "verdict-refused");
      gtk_image_set_from_icon_name (self->icon, "dialog-error-symbolic");
      gtk_label_set_label (self->headline_label, _("NOT RECORDED"));
      gtk_label_set_label (self->title_label, self->error);
      gtk_label_set_label (self->detail_label, "");
      gtk_label_set_label (self->meta_label, "");
      pdv_door_sounds_play (self->sounds, PDV_DOOR_VERDICT_REFUSED);
      return NULL;
    }
  g_clear_pointer (&self->last, pdv_ficha_redemption_free);
  self->last = r;
  if (r->verdict == PDV_FICHA_VALID)
    {
      self->served++;
      update_served (self);
    }
  pdv_door_sounds_play (self->sounds, r->verdict == PDV_FICHA_VALID ? PDV_DOOR_VERDICT_ACCEPTED
                                                                     : PDV_DOOR_VERDICT_REFUSED);
  show_redemption (self, r);
  return r;
}

static void
entry_activate_cb (PdvCounterPage *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_entry)));

  /* Ready for the next one at once, whatever this one was. */
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  pdv_counter_page_scan (self, text);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

/* A ficha held up to the camera: read once while it stays in view. */
static void
camera_code_detected_cb (PdvCounterPage *self,
                         const char     *code)
{
  pdv_counter_page_scan (self, code);
}

static gboolean
focus_entry_cb (gpointer data)
{
  PdvCounterPage *self = data;

  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
  return G_SOURCE_REMOVE;
}

/* The field the scanner types into has the focus whenever the page shows:
 * once everything on it is shown (the camera's switch would take it). */
static void
map_cb (PdvCounterPage *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, focus_entry_cb, g_object_ref (self), g_object_unref);
}

GtkWidget *
pdv_counter_page_new (PdvContext *context)
{
  PdvCounterPage *self;

  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  self = g_object_new (PDV_TYPE_COUNTER_PAGE, NULL);
  self->context = g_object_ref (context);
  show_idle (self);
  update_served (self);
  return GTK_WIDGET (self);
}

void
pdv_counter_page_set_session (PdvCounterPage *self,
                              PdvSession     *session)
{
  g_return_if_fail (PDV_IS_COUNTER_PAGE (self));

  g_set_object (&self->session, session);
}

/**
 * pdv_counter_page_set_counter:
 * @name: (nullable): the counter's name, as the other counters are told
 *   where a ficha was served; %NULL or empty for the terminal's name
 */
void
pdv_counter_page_set_counter (PdvCounterPage *self,
                              const char     *name)
{
  g_return_if_fail (PDV_IS_COUNTER_PAGE (self));

  g_free (self->counter);
  self->counter = g_strdup (name);
  if (self->last == NULL)
    show_idle (self);
}

const PdvFichaRedemption *
pdv_counter_page_get_last (PdvCounterPage *self)
{
  g_return_val_if_fail (PDV_IS_COUNTER_PAGE (self), NULL);
  return self->last;
}

const char *
pdv_counter_page_get_headline (PdvCounterPage *self)
{
  g_return_val_if_fail (PDV_IS_COUNTER_PAGE (self), NULL);
  return gtk_label_get_label (self->headline_label);
}

const char *
pdv_counter_page_get_error (PdvCounterPage *self)
{
  g_return_val_if_fail (PDV_IS_COUNTER_PAGE (self), NULL);
  return self->error;
}

GtkEntry *
pdv_counter_page_get_entry (PdvCounterPage *self)
{
  g_return_val_if_fail (PDV_IS_COUNTER_PAGE (self), NULL);
  return self->code_entry;
}

/**
 * pdv_counter_page_get_sounds:
 *
 * Returns: (transfer none): the sounds a verdict plays (the door's, muted
 *   and set as the settings say)
 */
PdvDoorSounds *
pdv_counter_page_get_sounds (PdvCounterPage *self)
{
  g_return_val_if_fail (PDV_IS_COUNTER_PAGE (self), NULL);
  return self->sounds;
}

PdvDoorCamera *
pdv_counter_page_get_camera (PdvCounterPage *self)
{
  g_return_val_if_fail (PDV_IS_COUNTER_PAGE (self), NULL);
  return self->camera;
}

static void
pdv_counter_page_dispose (GObject *object)
{
  PdvCounterPage *self = PDV_COUNTER_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_COUNTER_PAGE);
  g_clear_object (&self->session);
  g_clear_object (&self->context);
  g_clear_pointer (&self->last, pdv_ficha_redemption_free);
  g_clear_pointer (&self->counter, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_object (&self->sounds);

  G_OBJECT_CLASS (pdv_counter_page_parent_class)->dispose (object);
}

static void
pdv_counter_page_class_init (PdvCounterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_counter_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/counter/pdv-counter-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, icon);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, headline_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, camera);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, served_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCounterPage, recent_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "counter-page");
}

static void
pdv_counter_page_init (PdvCounterPage *self)
{
  g_type_ensure (PDV_TYPE_DOOR_CAMERA);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->sounds = pdv_door_sounds_new ();
  g_signal_connect_object (pdv_door_camera_get_scanner (self->camera), "code-detected",
                           G_CALLBACK (camera_code_detected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->code_entry, "activate", G_CALLBACK (entry_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
}

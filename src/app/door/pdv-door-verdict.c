/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-door-verdict"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-door-verdict.h"

/* The verdict of the last scan, across the whole width of the door screen:
 * its colour says in or out from across the queue, the name or the reason
 * is readable from two metres. After a few seconds it goes back to "Ready",
 * so the next person never reads the verdict of the one before. It is an
 * alert for assistive technologies, so every verdict is also spoken. */

#define DEFAULT_HOLD_TIME_S 6

struct _PdvDoorVerdict
{
  GtkWidget           parent_instance;

  PdvDoorVerdictKind  kind;
  PdvCheckinDirection direction;
  GTimeZone          *timezone;
  PdvClock           *clock;
  guint               hold_time_s;
  guint               idle_timeout_id;

  GtkWidget          *box;
  GtkImage           *icon;
  GtkLabel           *headline_label;
  GtkLabel           *title_label;
  GtkLabel           *detail_label;
  GtkLabel           *meta_label;
  GtkWidget       *override_button;   /* shown under a refusal a supervisor may lift */

  /* The compact form, for short screens and large text: smaller type and
   * icon. The full form's minimum height, last measured, says when there
   * is room for it again. */
  gboolean            compact;
  int                 full_height;
  int                 full_width;
};

G_DEFINE_FINAL_TYPE (PdvDoorVerdict, pdv_door_verdict, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  PROP_HOLD_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_css_classes[] = {
  "verdict-idle", "verdict-accepted", "verdict-warning", "verdict-refused", "verdict-exited",
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_css_classes) == PDV_DOOR_VERDICT_EXITED + 1);

static const char * const kind_icons[] = {
  "pdv-qr-symbolic", "object-select-symbolic", "dialog-warning-symbolic",
  "window-close-symbolic", "system-log-out-symbolic",
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_icons) == PDV_DOOR_VERDICT_EXITED + 1);

/**
 * pdv_door_verdict_kind_for_result:
 *
 * Which colour and sound @result gets: an entry with a warning is amber, an
 * exit blue, any refusal red.
 */
PdvDoorVerdictKind
pdv_door_verdict_kind_for_result (const PdvCheckinResult *result)
{
  g_return_val_if_fail (result != NULL, PDV_DOOR_VERDICT_REFUSED);

  switch (result->verdict)
    {
    case PDV_CHECKIN_VALID:
      return result->warnings != PDV_CHECKIN_WARNING_NONE || result->attention != NULL
             ? PDV_DOOR_VERDICT_WARNING : PDV_DOOR_VERDICT_ACCEPTED;
    case PDV_CHECKIN_EXITED:
      return PDV_DOOR_VERDICT_EXITED;
    case PDV_CHECKIN_ALREADY_INSIDE:
    case PDV_CHECKIN_ALREADY_USED:
    case PDV_CHECKIN_NOT_INSIDE:
    case PDV_CHECKIN_UNKNOWN:
    case PDV_CHECKIN_CANCELLED:
    case PDV_CHECKIN_REVOKED:
    case PDV_CHECKIN_WRONG_EVENT:
    case PDV_CHECKIN_NOT_YET_VALID:
    case PDV_CHECKIN_EXPIRED:
    case PDV_CHECKIN_WRONG_ZONE:
    case PDV_CHECKIN_CAPACITY_FULL:
    case PDV_CHECKIN_BAD_SIGNATURE:
    case PDV_CHECKIN_UNREADABLE:
    default:
      return PDV_DOOR_VERDICT_REFUSED;
    }
}

const char *
pdv_door_verdict_kind_to_css_class (PdvDoorVerdictKind kind)
{
  g_return_val_if_fail (kind <= PDV_DOOR_VERDICT_EXITED, NULL);
  return kind_css_classes[kind];
}

/**
 * pdv_door_verdict_short_text:
 *
 * Returns: the verdict in a word or two, for the list of last scans
 */
const char *
pdv_door_verdict_short_text (const PdvCheckinResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  switch (result->verdict)
    {
    case PDV_CHECKIN_VALID:
      if (result->warnings & PDV_CHECKIN_WARNING_OVERRIDE)
        return C_("verdict", "Override");
      if (result->warnings & PDV_CHECKIN_WARNING_RE_ENTRY)
        return C_("verdict", "Re-entry");
      if (result->warnings & PDV_CHECKIN_WARNING_CAPACITY_FULL)
        return C_("verdict", "Valid, now full");
      if (result->warnings & PDV_CHECKIN_WARNING_CAPACITY_NEAR)
        return C_("verdict", "Valid, nearly full");
      return C_("verdict", "Valid");
    case PDV_CHECKIN_EXITED:
      return C_("verdict", "Exit");
    case PDV_CHECKIN_ALREADY_INSIDE:
      return C_("verdict", "Already inside");
    case PDV_CHECKIN_ALREADY_USED:
      return C_("verdict", "Already used");
    case PDV_CHECKIN_NOT_INSIDE:
      return C_("verdict", "Not inside");
    case PDV_CHECKIN_UNKNOWN:
      return C_("verdict", "Unknown");
    case PDV_CHECKIN_CANCELLED:
      return C_("verdict", "Cancelled");
    case PDV_CHECKIN_REVOKED:
      return C_("verdict", "Revoked");
    case PDV_CHECKIN_WRONG_EVENT:
      return C_("verdict", "Other event");
    case PDV_CHECKIN_NOT_YET_VALID:
      return C_("verdict", "Not valid yet");
    case PDV_CHECKIN_EXPIRED:
      return C_("verdict", "Expired");
    case PDV_CHECKIN_WRONG_ZONE:
      return C_("verdict", "Wrong zone");
    case PDV_CHECKIN_CAPACITY_FULL:
      return C_("verdict", "Venue full");
    case PDV_CHECKIN_BAD_SIGNATURE:
      return C_("verdict", "Forged");
    case PDV_CHECKIN_UNREADABLE:
    default:
      return C_("verdict", "Unreadable");
    }
}

static const char *
headline_for (const PdvCheckinResult *result,
              PdvDoorVerdictKind      kind)
{
  switch (kind)
    {
    case PDV_DOOR_VERDICT_ACCEPTED:
      return C_("verdict headline", "Valid");
    case PDV_DOOR_VERDICT_WARNING:
      if (result->warnings & PDV_CHECKIN_WARNING_OVERRIDE)
        return C_("verdict headline", "Valid — supervisor override");
      if (result->attention != NULL)
        return C_("verdict headline", "Valid — check first");
      if (result->warnings & PDV_CHECKIN_WARNING_RE_ENTRY)
        return C_("verdict headline", "Valid — re-entry");
      if (result->warnings & PDV_CHECKIN_WARNING_CAPACITY_FULL)
        return C_("verdict headline", "Valid — venue now full");
      return C_("verdict headline", "Valid — nearly full");
    case PDV_DOOR_VERDICT_EXITED:
      return C_("verdict headline", "Exit");
    case PDV_DOOR_VERDICT_REFUSED:
      return result->direction == PDV_CHECKIN_EXIT ? C_("verdict headline", "Exit refused")
                                                   : C_("verdict headline", "Refused");
    case PDV_DOOR_VERDICT_IDLE:
    default:
      return C_("verdict headline", "Ready");
    }
}

/* "Pista · vip": what kind of ticket, as door staff check a wristband. */
static char *
describe_ticket (const PdvCheckinResult *result)
{
  if (result->type != NULL && result->zone != NULL && g_strcmp0 (result->type, result->zone) != 0)
    return g_strdup_printf ("%s · %s", result->type, result->zone);
  return g_strdup (result->type != NULL ? result->type : result->zone);
}

static const char *
source_name (PdvScanSource source)
{
  switch (source)
    {
    case PDV_SCAN_CAMERA:
      return C_("scan source", "Camera");
    case PDV_SCAN_WEDGE:
      return C_("scan source", "Scanner");
    case PDV_SCAN_MANUAL:
      return C_("scan source", "Manual");
    case PDV_SCAN_FILE:
    default:
      return C_("scan source", "File");
    }
}

/* The full form's size is known only while it shows: a new text may fit. */
static void
forget_full_height (PdvDoorVerdict *self)
{
  self->full_height = 0;
  self->full_width = 0;
}

static void
set_kind (PdvDoorVerdict     *self,
          PdvDoorVerdictKind  kind)
{
  if (!gtk_widget_has_css_class (self->box, kind_css_classes[kind]))
    forget_full_height (self);
  for (guint i = 0; i < G_N_ELEMENTS (kind_css_classes); i++)
    gtk_widget_remove_css_class (self->box, kind_css_classes[i]);
  gtk_widget_add_css_class (self->box, kind_css_classes[kind]);
  gtk_image_set_from_icon_name (self->icon, kind_icons[kind]);

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  PdvDoorVerdict *self = PDV_DOOR_VERDICT (gtk_widget_get_ancestor (GTK_WIDGET (label), PDV_TYPE_DOOR_VERDICT));

  if (self != NULL && g_strcmp0 (gtk_label_get_label (label), text != NULL ? text : "") != 0)
    forget_full_height (self);
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
announce (PdvDoorVerdict *self)
{
  g_autofree char *spoken = g_strjoin (". ",
                                       gtk_label_get_label (self->headline_label),
                                       gtk_label_get_label (self->title_label),
                                       gtk_label_get_label (self->detail_label),
                                       NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
}

static gboolean
hold_time_elapsed_cb (gpointer user_data)
{
  PdvDoorVerdict *self = user_data;

  self->idle_timeout_id = 0;
  pdv_door_verdict_show_idle (self);
  return G_SOURCE_REMOVE;
}

static void
hold (PdvDoorVerdict *self)
{
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  if (self->hold_time_s > 0)
    self->idle_timeout_id = pdv_clock_timeout_add_seconds (self->clock, self->hold_time_s, hold_time_elapsed_cb, self);
}

static void
set_compact (PdvDoorVerdict *self,
             gboolean        compact)
{
  if (self->compact == compact)
    return;
  self->compact = compact;
  if (compact)
    gtk_widget_add_css_class (self->box, "compact");
  else
    gtk_widget_remove_css_class (self->box, "compact");
}

/* Asks for no height of its own: the page gives it what the rest leaves,
 * and the verdict takes the compact form when the full one does not fit. */
static void
pdv_door_verdict_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PdvDoorVerdict *self = PDV_DOOR_VERDICT (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = 0;
}

static void
pdv_door_verdict_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  PdvDoorVerdict *self = PDV_DOOR_VERDICT (widget);
  int box_height;

  if (!self->compact)
    {
      gtk_widget_measure (self->box, GTK_ORIENTATION_VERTICAL, width, &box_height, NULL, NULL, NULL);
      self->full_height = box_height;
      self->full_width = width;
      if (box_height > height)
        set_compact (self, TRUE);
    }
  else if (self->full_height == 0 || (width >= self->full_width && height >= self->full_height))
    {
      /* Try the full form again; a new allocation goes back if it does not fit. */
      set_compact (self, FALSE);
      gtk_widget_measure (self->box, GTK_ORIENTATION_VERTICAL, width, &box_height, NULL, NULL, NULL);
      self->full_height = box_height;
      self->full_width = width;
      if (box_height > height)
        set_compact (self, TRUE);
    }

  /* Even the compact form may need more than a tiny window has: it is cut
   * at the rounded corner rather than drawn over the rows below. */
  gtk_widget_measure (self->box, GTK_ORIENTATION_VERTICAL, width, &box_height, NULL, NULL, NULL);
  gtk_widget_allocate (self->box, width, MAX (height, box_height), -1, NULL);
}

static void
pdv_door_verdict_dispose (GObject *object)
{
  PdvDoorVerdict *self = PDV_DOOR_VERDICT (object);

  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_DOOR_VERDICT);
  g_clear_pointer (&self->timezone, g_time_zone_unref);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pdv_door_verdict_parent_class)->dispose (object);
}

static void
pdv_door_verdict_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PdvDoorVerdict *self = PDV_DOOR_VERDICT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_HOLD_TIME:
      g_value_set_uint (value, self->hold_time_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_door_verdict_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PdvDoorVerdict *self = PDV_DOOR_VERDICT (object);

  switch (prop_id)
    {
    case PROP_HOLD_TIME:
      pdv_door_verdict_set_hold_time (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_door_verdict_class_init (PdvDoorVerdictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_door_verdict_dispose;
  object_class->get_property = pdv_door_verdict_get_property;
  object_class->set_property = pdv_door_verdict_set_property;

  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, PDV_DOOR_VERDICT_IDLE, PDV_DOOR_VERDICT_EXITED,
                      PDV_DOOR_VERDICT_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvDoorVerdict:hold-time:
   *
   * Seconds a verdict stays before the screen says "Ready" again; 0 keeps
   * it until the next one.
   */
  properties[PROP_HOLD_TIME] =
    g_param_spec_uint ("hold-time", NULL, NULL, 0, 3600, DEFAULT_HOLD_TIME_S,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/door/pdv-door-verdict.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvDoorVerdict, box);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorVerdict, icon);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorVerdict, headline_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorVerdict, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorVerdict, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorVerdict, meta_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorVerdict, override_button);

  widget_class->measure = pdv_door_verdict_measure;
  widget_class->size_allocate = pdv_door_verdict_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
  gtk_widget_class_set_css_name (widget_class, "doorverdict");
}

static void
pdv_door_verdict_init (PdvDoorVerdict *self)
{
  self->hold_time_s = DEFAULT_HOLD_TIME_S;
  self->kind = PDV_DOOR_VERDICT_IDLE;
  self->timezone = g_time_zone_new_local ();
  self->clock = pdv_clock_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  pdv_door_verdict_show_idle (self);
}

GtkWidget *
pdv_door_verdict_new (void)
{
  return g_object_new (PDV_TYPE_DOOR_VERDICT, NULL);
}

/**
 * pdv_door_verdict_show_result:
 * @source: what read the ticket, shown small under the verdict
 *
 * Shows @result: for a person let in or out, their name (or the ticket
 * type) as the title; for a refusal, the reason.
 */
void
pdv_door_verdict_show_result (PdvDoorVerdict         *self,
                              const PdvCheckinResult *result,
                              PdvScanSource           source)
{
  PdvDoorVerdictKind kind;
  g_autofree char *ticket = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GDateTime) now = pdv_clock_get_now (self->clock, self->timezone);
  g_autofree char *time = pdv_datetime_format (now, NULL, PDV_DATETIME_TIME_SECONDS);
  const char *title;

  g_return_if_fail (PDV_IS_DOOR_VERDICT (self));
  g_return_if_fail (result != NULL);

  kind = pdv_door_verdict_kind_for_result (result);
  ticket = describe_ticket (result);

  switch (kind)
    {
    case PDV_DOOR_VERDICT_ACCEPTED:
    case PDV_DOOR_VERDICT_EXITED:
      title = result->holder_name != NULL ? result->holder_name : result->message;
      detail = g_strdup (ticket);
      break;
    case PDV_DOOR_VERDICT_WARNING:
      {
        /* What the list says to check comes first: it is why the colour
         * changed. */
        g_autofree char *why = result->warnings & PDV_CHECKIN_WARNING_OVERRIDE ? g_strdup (result->message)
                               : result->attention != NULL && result->detail != NULL
                               ? g_strdup_printf ("%s · %s", result->attention, result->detail)
                               : g_strdup (result->attention != NULL ? result->attention : result->detail);

        title = result->holder_name != NULL ? result->holder_name : result->message;
        detail = ticket != NULL && why != NULL ? g_strdup_printf ("%s — %s", why, ticket)
                                               : g_strdup (why != NULL ? why : ticket);
      }
      break;
    case PDV_DOOR_VERDICT_REFUSED:
    case PDV_DOOR_VERDICT_IDLE:
    default:
      {
        g_autofree char *who = NULL;

        /* The reason first; whose ticket it was helps sort it out. */
        title = result->message;
        if (result->holder_name != NULL && ticket != NULL)
          who = g_strdup_printf ("%s · %s", result->holder_name, ticket);
        else
          who = g_strdup (result->holder_name != NULL ? result->holder_name : ticket);
        if (who != NULL && result->detail != NULL)
          detail = g_strdup_printf ("%s — %s", who, result->detail);
        else
          detail = g_strdup (who != NULL ? who : result->detail);
      }
      break;
    }

  /* Translators: under the verdict: the time of the scan and what read it,
   * e.g. "21:04:05 · Camera" */
  meta = g_strdup_printf (C_("verdict meta", "%s · %s"), time, source_name (source));

  set_kind (self, kind);
  set_label (self->headline_label, headline_for (result, kind));
  set_label (self->title_label, title);
  set_label (self->detail_label, detail);
  set_label (self->meta_label, meta);
  gtk_widget_set_visible (self->override_button, result->direction == PDV_CHECKIN_ENTRY &&
                                                 pdv_checkin_verdict_can_override (result->verdict));
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "verdict-reason");
  if (kind == PDV_DOOR_VERDICT_REFUSED)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "verdict-reason");
  announce (self);
  hold (self);
}

/**
 * pdv_door_verdict_show_problem:
 *
 * A scan that got no verdict at all (the database failed): red, with what
 * to do.
 */
void
pdv_door_verdict_show_problem (PdvDoorVerdict *self,
                               const char     *title,
                               const char     *detail)
{
  g_return_if_fail (PDV_IS_DOOR_VERDICT (self));

  gtk_widget_set_visible (self->override_button, FALSE);
  set_kind (self, PDV_DOOR_VERDICT_REFUSED);
  set_label (self->headline_label, C_("verdict headline", "Not checked"));
  set_label (self->title_label, title);
  set_label (self->detail_label, detail);
  set_label (self->meta_label, NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "verdict-reason");
  announce (self);
  hold (self);
}

/**
 * pdv_door_verdict_show_checking:
 *
 * A code was read and is being checked: the previous person's verdict goes
 * at once, so that nobody reads it as this one's.
 */
void
pdv_door_verdict_show_checking (PdvDoorVerdict *self)
{
  g_return_if_fail (PDV_IS_DOOR_VERDICT (self));

  gtk_widget_set_visible (self->override_button, FALSE);
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  set_kind (self, PDV_DOOR_VERDICT_IDLE);
  set_label (self->headline_label, NULL);
  set_label (self->title_label, _("Checking…"));
  set_label (self->detail_label, NULL);
  set_label (self->meta_label, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "verdict-reason");
}

void
pdv_door_verdict_show_idle (PdvDoorVerdict *self)
{
  g_return_if_fail (PDV_IS_DOOR_VERDICT (self));

  gtk_widget_set_visible (self->override_button, FALSE);
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  set_kind (self, PDV_DOOR_VERDICT_IDLE);
  if (self->direction == PDV_CHECKIN_EXIT)
    {
      /* A door left on exits by mistake would turn everyone away. */
      set_label (self->headline_label, C_("verdict headline", "Exits"));
      set_label (self->title_label, _("Ready — scan to let someone out"));
    }
  else
    {
      set_label (self->headline_label, NULL);
      set_label (self->title_label, _("Ready — scan a ticket"));
    }
  set_label (self->detail_label, _("Camera or USB scanner; search by name below when a code will not scan"));
  set_label (self->meta_label, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "verdict-reason");
  /* "Ready" is no news: only verdicts are announced. */
}

PdvDoorVerdictKind
pdv_door_verdict_get_kind (PdvDoorVerdict *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_VERDICT (self), PDV_DOOR_VERDICT_IDLE);
  return self->kind;
}

const char *
pdv_door_verdict_get_headline (PdvDoorVerdict *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_VERDICT (self), NULL);
  return gtk_label_get_label (self->headline_label);
}

const char *
pdv_door_verdict_get_title (PdvDoorVerdict *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_VERDICT (self), NULL);
  return gtk_label_get_label (self->title_label);
}

const char *
pdv_door_verdict_get_detail (PdvDoorVerdict *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_VERDICT (self), NULL);
  return gtk_label_get_label (self->detail_label);
}

/**
 * pdv_door_verdict_get_meta:
 *
 * Returns: the small print under a verdict: "21:04:05 · Camera"
 */
const char *
pdv_door_verdict_get_meta (PdvDoorVerdict *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_VERDICT (self), NULL);
  return gtk_label_get_label (self->meta_label);
}

/**
 * pdv_door_verdict_set_timezone:
 *
 * Where the time of a scan is told: the event's.
 */
/**
 * pdv_door_verdict_set_clock:
 *
 * The terminal's clock: what a verdict's time says, and what the hold time
 * runs on.
 */
void
pdv_door_verdict_set_clock (PdvDoorVerdict *self,
                            PdvClock       *clock)
{
  g_return_if_fail (PDV_IS_DOOR_VERDICT (self));
  g_return_if_fail (PDV_IS_CLOCK (clock));

  g_set_object (&self->clock, clock);
}

void
pdv_door_verdict_set_timezone (PdvDoorVerdict *self,
                               GTimeZone      *timezone)
{
  g_return_if_fail (PDV_IS_DOOR_VERDICT (self));
  g_return_if_fail (timezone != NULL);

  g_time_zone_unref (self->timezone);
  self->timezone = g_time_zone_ref (timezone);
}

/**
 * pdv_door_verdict_set_direction:
 *
 * Which way the door lets people through, as "Ready" says it.
 */
void
pdv_door_verdict_set_direction (PdvDoorVerdict      *self,
                                PdvCheckinDirection  direction)
{
  g_return_if_fail (PDV_IS_DOOR_VERDICT (self));

  if (self->direction == direction)
    return;
  self->direction = direction;
  if (self->kind == PDV_DOOR_VERDICT_IDLE)
    pdv_door_verdict_show_idle (self);
}

guint
pdv_door_verdict_get_hold_time (PdvDoorVerdict *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_VERDICT (self), 0);
  return self->hold_time_s;
}

void
pdv_door_verdict_set_hold_time (PdvDoorVerdict *self,
                                guint           seconds)
{
  g_return_if_fail (PDV_IS_DOOR_VERDICT (self));

  if (self->hold_time_s == seconds)
    return;
  self->hold_time_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLD_TIME]);
}

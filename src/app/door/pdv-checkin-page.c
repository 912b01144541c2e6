/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-checkin-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-checkin-page-private.h"
#include "pdv-door-camera.h"
#include "pdv-door-checker.h"
#include "pdv-manager-prompt.h"
#include "pdv-door-search.h"
#include "pdv-wedge.h"

/* The door: a check-in station for a queue of hundreds. A ticket comes in
 * from the camera, from a USB scanner typing it, or from a search by name
 * when the code will not scan; whatever brought it, one call judges it and
 * the verdict fills the screen, with a sound, in the list of last scans and
 * in the counters.
 *
 * The USB scanner is a keyboard. A key controller in the capture phase sees
 * every key before the widget with the focus does, wherever that is on the
 * page, and feeds the wedge state machine (pdv-wedge.c), which holds each
 * character back until it knows whether it belongs to a scan. A scan is
 * taken whole and never reaches the search field; typing is released a
 * moment later into the focused text field, in order, as if it had gone
 * straight there. Characters come from the key's keyval, as the keyboard
 * layout translated it, not from hardware key codes: whatever the layout,
 * what the scanner meant arrives as long as the scanner is set up for the
 * same layout. With Caps Lock on, letters come back inverted and are put
 * right. */

#define HISTORY_LENGTH 20

/* Held keys go to the focused field if no key followed for this long: twice
 * the longest gap of a scan, so a burst delivered late by a busy main loop
 * is not split. */
#define RELEASE_DELAY_FACTOR 2

/* Layout, top to bottom: the bar, the verdict, the row of last scans, the
 * search and the camera. The verdict gets this much height (with its
 * margins) before the row grows past its minimum, up to ROW_HEIGHT; on a
 * short screen the row keeps its minimum and the verdict what is left. */
#define VERDICT_HEIGHT 338
#define ROW_HEIGHT 284

struct _PdvCheckinPage
{
  GtkWidget         parent_instance;

  PdvContext       *context;
  PdvCheckin       *checkin;        /* the gate's settings, search, counters */
  PdvDoorChecker   *checker;        /* checks scans off the screen's thread */
  PdvWedge         *wedge;
  PdvDoorSounds    *sounds;
  GTimeZone        *timezone;

  guint             release_timeout_id;
  gboolean          compose_pending;
  PdvSession       *session;         /* weak */

  /* The last refusal a supervisor may lift: the code as read, kept in
   * memory only until the next verdict. */
  char             *refused_text;
  PdvScanSource     refused_source;
  char             *refused_message;
  char             *override_reason;
  GtkWidget        *override_dialog;
  GtkEditable      *override_entry;
  PdvManagerPrompt *override_prompt;
  gboolean          caps_lock;
  guint             n_scans;

  GtkWidget        *door_bar;
  GtkWidget        *bottom_row;
  GtkToggleButton  *entry_button;
  GtkToggleButton  *exit_button;
  GtkWidget        *counters_box;
  GtkLabel         *inside_label;
  GtkLabel         *inside_caption;
  GtkLabel         *venue_label;
  guint             counters_tick_id;
  GtkLabel         *entries_label;
  GtkLabel         *capacity_label;
  GtkLabel         *occupancy_label;
  GtkLabel         *gate_label;
  GtkToggleButton  *mute_button;
  PdvDoorVerdict   *verdict;
  GtkListBox       *history_list;
  PdvDoorSearch    *search;
  PdvDoorCamera    *camera;
};

G_DEFINE_FINAL_TYPE (PdvCheckinPage, pdv_checkin_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_MUTED,
  PROP_SOUND_VOLUME,
  PROP_CAMERA_DEVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define HISTORY_TEXT_KEY "pdv-history-text"

static char *
format_count (gint64 count)
{
  /* Thousands grouped as the locale groups them: "2.500" in Brazil. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

/* ---- Counters ------------------------------------------------------------ */

/* How fresh the venue's figure is: the other gates' scans are as old as the
 * last time this terminal heard from the sync server. */
static void
show_freshness (PdvCheckinPage     *self,
                const PdvOccupancy *occupancy)
{
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (pdv_context_get_clock (self->context));
  g_autofree char *text = NULL;
  gint64 age = occupancy->others_as_of > 0 ? MAX (0, g_date_time_to_unix (now) - occupancy->others_as_of) : -1;

  gtk_widget_remove_css_class (GTK_WIDGET (self->venue_label), "warning");
  /* A terminal on its own is the whole venue. */
  gtk_widget_set_visible (GTK_WIDGET (self->venue_label), occupancy->shared);
  gtk_label_set_label (self->inside_caption, occupancy->shared ? _("Inside the venue") : _("Inside now"));
  if (!occupancy->shared)
    return;

  if (age < 0)
    text = g_strdup (_("This gate only: other gates not heard from yet"));
  else if (age < 60)
    /* Translators: how old the other gates' figures are, in seconds */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Other gates as of %lld second ago",
                                         "Other gates as of %lld seconds ago", age), (long long) age);
  else if (age < 3600)
    /* Translators: how old the other gates' figures are, in minutes */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Other gates as of %lld minute ago",
                                         "Other gates as of %lld minutes ago", age / 60), (long long) (age / 60));
  else
    /* Translators: how old the other gates' figures are, in hours */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Other gates as of %lld hour ago",
                                         "Other gates as of %lld hours ago", age / 3600), (long long) (age / 3600));
  /* Older than this, the count may be behind: amber. */
  if (age < 0 || age > PDV_OCCUPANCY_STALE_S)
    gtk_widget_add_css_class (GTK_WIDGET (self->venue_label), "warning");
  gtk_label_set_label (self->venue_label, text);
}

static void refresh_counters (PdvCheckinPage *self);

/* Other gates' scans arrive with the sync worker's pulls, and the figure's
 * age grows: read again every few seconds while the page shows. */
static gboolean
counters_tick_cb (gpointer data)
{
  refresh_counters (data);
  return G_SOURCE_CONTINUE;
}

static void
refresh_counters (PdvCheckinPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inside = NULL;
  g_autofree char *entries = NULL;
  g_autofree char *capacity = NULL;
  PdvOccupancy occupancy;

  gtk_widget_remove_css_class (self->counters_box, "occupancy-near");
  gtk_widget_remove_css_class (self->counters_box, "occupancy-full");
  if (!pdv_checkin_get_occupancy (self->checkin, &occupancy, &error))
    {
      g_warning ("Cannot read the occupancy: %s", error->message);
      return;
    }

  inside = format_count (occupancy.inside);
  entries = format_count (occupancy.entries);
  show_freshness (self, &occupancy);
  capacity = occupancy.capacity > 0 ? format_count (occupancy.capacity) : g_strdup ("—");
  gtk_label_set_label (self->inside_label, inside);
  gtk_label_set_label (self->entries_label, entries);
  gtk_label_set_label (self->capacity_label, capacity);

  /* The same thresholds as the verdict's warnings: 90 % and full. */
  if (occupancy.capacity > 0 && occupancy.inside >= occupancy.capacity)
    {
      gtk_widget_add_css_class (self->counters_box, "occupancy-full");
      gtk_label_set_label (self->occupancy_label, _("Full"));
      gtk_widget_set_visible (GTK_WIDGET (self->occupancy_label), TRUE);
    }
  else if (occupancy.capacity > 0 && occupancy.inside * 10 >= occupancy.capacity * 9)
    {
      gtk_widget_add_css_class (self->counters_box, "occupancy-near");
      gtk_label_set_label (self->occupancy_label, _("Nearly full"));
      gtk_widget_set_visible (GTK_WIDGET (self->occupancy_label), TRUE);
    }
  else
    {
      gtk_label_set_label (self->occupancy_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->occupancy_label), FALSE);
    }
}

/* ---- Last scans ---------------------------------------------------------- */

static void add_history_row (PdvCheckinPage         *self,
                             const PdvCheckinResult *result);

/* The last scans survive a restart: they are read back from the journal. */
static void
load_history (PdvCheckinPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recent = pdv_checkin_list_recent (self->checkin, HISTORY_LENGTH, &error);

  if (recent == NULL)
    {
      g_warning ("Cannot read the last scans: %s", error->message);
      return;
    }
  for (guint i = recent->len; i > 0; i--)
    add_history_row (self, g_ptr_array_index (recent, i - 1));
}

static void
add_history_row (PdvCheckinPage         *self,
                 const PdvCheckinResult *result)
{
  PdvDoorVerdictKind kind = pdv_door_verdict_kind_for_result (result);
  /* When it was scanned, in the event's time. */
  g_autoptr(GDateTime) when = result->scanned_at != NULL
                              ? g_date_time_to_timezone (result->scanned_at, self->timezone)
                              : pdv_clock_get_now (pdv_context_get_clock (self->context), self->timezone);
  g_autofree char *time = pdv_datetime_format (when, NULL, PDV_DATETIME_TIME_SECONDS);
  const char *name = result->holder_name != NULL ? result->holder_name
                   : result->type != NULL ? result->type
                   : C_("holder", "Unknown");
  const char *verdict = pdv_door_verdict_short_text (result);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *dot = g_object_new (GTK_TYPE_BOX, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *time_label = gtk_label_new (time);
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *verdict_label = gtk_label_new (verdict);
  GtkListBoxRow *oldest;

  gtk_widget_add_css_class (dot, "scan-dot");
  gtk_widget_add_css_class (dot, pdv_door_verdict_kind_to_css_class (kind));
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_add_css_class (time_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name_label, TRUE);
  gtk_widget_add_css_class (verdict_label, "scan-verdict");
  gtk_widget_add_css_class (verdict_label, pdv_door_verdict_kind_to_css_class (kind));

  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), time_label);
  gtk_box_append (GTK_BOX (box), name_label);
  gtk_box_append (GTK_BOX (box), verdict_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "door-history-row");
  g_object_set_data_full (G_OBJECT (row), HISTORY_TEXT_KEY,
                          g_strdup_printf ("%s · %s · %s", time, name, verdict), g_free);

  gtk_list_box_prepend (self->history_list, row);
  while ((oldest = gtk_list_box_get_row_at_index (self->history_list, HISTORY_LENGTH)) != NULL)
    gtk_list_box_remove (self->history_list, GTK_WIDGET (oldest));
}

/* ---- Verdicts ------------------------------------------------------------ */

static void
show_result (PdvCheckinPage         *self,
             const PdvCheckinResult *result,
             PdvScanSource           source)
{
  pdv_door_verdict_show_result (self->verdict, result, source);
  pdv_door_sounds_play (self->sounds, pdv_door_verdict_kind_for_result (result));
  add_history_row (self, result);
  refresh_counters (self);
}

typedef struct {
  PdvCheckinPage *page;
  PdvScanSource   source;
  char           *text;
} Scan;

static void
scan_free (Scan *scan)
{
  g_free (scan->text);
  g_free (scan);
}

static void
forget_refusal (PdvCheckinPage *self)
{
  g_clear_pointer (&self->refused_text, g_free);
  g_clear_pointer (&self->refused_message, g_free);
}

static void
checked_cb (PdvCheckinResult *result,
            const GError     *error,
            gpointer          data)
{
  Scan *scan = data;
  PdvCheckinPage *self = scan->page;

  forget_refusal (self);
  if (result == NULL)
    {
      g_warning ("Scan not recorded: %s", error->message);
      pdv_door_verdict_show_problem (self->verdict, _("Not recorded: scan again"), error->message);
      pdv_door_sounds_play (self->sounds, PDV_DOOR_VERDICT_REFUSED);
      return;
    }
  /* Written on the checker's connection: the sync worker hears of it here. */
  pdv_journal_announce (pdv_context_get_journal (self->context), result->seq, PDV_ENTRY_CHECKIN);
  if (result->direction == PDV_CHECKIN_ENTRY && pdv_checkin_verdict_can_override (result->verdict))
    {
      self->refused_text = g_steal_pointer (&scan->text);
      self->refused_source = scan->source;
      self->refused_message = g_strdup (result->message);
    }
  show_result (self, result, scan->source);
  /* A ticket found by search shows where it stands now. */
  pdv_door_search_refresh (self->search);
}

/* The previous verdict goes the moment a code is read; this one's comes when
 * the check is done, off the screen's thread. */
static void
scan (PdvCheckinPage *self,
      const char     *text,
      PdvScanSource   source)
{
  Scan *scan = g_new0 (Scan, 1);

  scan->page = self;
  scan->source = source;
  scan->text = g_strdup (text);
  self->n_scans++;
  forget_refusal (self);
  pdv_door_verdict_show_checking (self->verdict);
  pdv_door_checker_check (self->checker, self->checkin, text, source, checked_cb, scan, (GDestroyNotify) scan_free);
}

/* ---- Supervisor override ----------------------------------------------- */

static void
let_in (PdvCheckinPage *self,
        const char     *supervisor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckinResult) result = NULL;

  if (self->refused_text == NULL || self->override_reason == NULL)
    return;
  result = pdv_checkin_override (self->checkin, self->refused_text, -1, self->refused_source, supervisor,
                                 self->override_reason, &error);
  forget_refusal (self);
  g_clear_pointer (&self->override_reason, g_free);
  self->n_scans++;
  if (result == NULL)
    {
      g_warning ("Override not recorded: %s", error->message);
      pdv_door_verdict_show_problem (self->verdict, _("Not recorded: scan again"), error->message);
      pdv_door_sounds_play (self->sounds, PDV_DOOR_VERDICT_REFUSED);
      return;
    }
  show_result (self, result, self->refused_source);
  pdv_door_search_refresh (self->search);
}

static void
override_authorised_cb (PdvCheckinPage *self,
                        PdvUser        *supervisor)
{
  let_in (self, supervisor->id);
}

static void
override_prompt_destroyed_cb (PdvCheckinPage *self,
                              GtkWidget      *prompt)
{
  if ((GtkWidget *) self->override_prompt == prompt)
    self->override_prompt = NULL;
}

static void
override_dialog_destroyed_cb (PdvCheckinPage *self,
                              GtkWidget      *dialog)
{
  if (self->override_dialog == dialog)
    {
      self->override_dialog = NULL;
      self->override_entry = NULL;
    }
}

static void
override_reason_changed_cb (PdvCheckinPage *self)
{
  const char *reason = gtk_editable_get_text (self->override_entry);
  g_autofree char *stripped = g_strstrip (g_strdup (reason));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->override_dialog), "let-in", *stripped != '\0');
}

static void
override_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      PdvCheckinPage   *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *user_id = self->session != NULL ? pdv_session_get_user_id (self->session) : NULL;

  if (g_strcmp0 (response, "let-in") != 0 || self->override_entry == NULL)
    return;
  g_free (self->override_reason);
  self->override_reason = g_strstrip (g_strdup (gtk_editable_get_text (self->override_entry)));
  if (*self->override_reason == '\0')
    return;
  if (self->session != NULL && pdv_session_can (self->session, PDV_PERMISSION_DOOR_OVERRIDE))
    {
      let_in (self, user_id);
      return;
    }
  self->override_prompt = pdv_manager_prompt_ask (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->context,
                                                  PDV_PERMISSION_DOOR_OVERRIDE, user_id, _("Let In Anyway"),
                                                  _("A supervisor’s PIN is needed to let in someone the door refused."),
                                                  G_CALLBACK (override_authorised_cb),
                                                  G_CALLBACK (override_prompt_destroyed_cb), self);
}

static void
override_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->refused_text == NULL || self->override_dialog != NULL)
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Let In Anyway?"), NULL);
  /* Translators: the body of the override dialog; %s is why the door refused */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The door refused: %s. Letting this person in is recorded with the "
                                    "supervisor’s name and the reason. A full venue cannot be overridden."),
                                  self->refused_message);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (required)"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "let-in", _("_Let In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "let-in", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "let-in", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "let-in");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  self->override_dialog = dialog;
  self->override_entry = GTK_EDITABLE (entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (override_reason_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (override_response_cb), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (override_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* ---- The USB scanner ----------------------------------------------------- */

static gboolean
is_modifier_keyval (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Shift_L:
    case GDK_KEY_Shift_R:
    case GDK_KEY_Control_L:
    case GDK_KEY_Control_R:
    case GDK_KEY_Caps_Lock:
    case GDK_KEY_Shift_Lock:
    case GDK_KEY_Meta_L:
    case GDK_KEY_Meta_R:
    case GDK_KEY_Alt_L:
    case GDK_KEY_Alt_R:
    case GDK_KEY_Super_L:
    case GDK_KEY_Super_R:
    case GDK_KEY_Hyper_L:
    case GDK_KEY_Hyper_R:
    case GDK_KEY_ISO_Level3_Shift:
    case GDK_KEY_ISO_Level5_Shift:
    case GDK_KEY_Num_Lock:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_compose_keyval (guint keyval)
{
  return keyval == GDK_KEY_Multi_key ||
         (keyval >= GDK_KEY_dead_grave && keyval <= GDK_KEY_dead_greek);
}

static GtkEditable *
focused_editable (PdvCheckinPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !GTK_IS_EDITABLE (focus) || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) ||
      !gtk_editable_get_editable (GTK_EDITABLE (focus)))
    return NULL;
  return GTK_EDITABLE (focus);
}

static void
wedge_released_cb (PdvCheckinPage *self,
                   const char     *text)
{
  GtkEditable *editable = focused_editable (self);
  int start, end, position;

  /* Typing meant for a button or a list has nowhere to go. */
  if (editable == NULL)
    return;
  if (gtk_editable_get_selection_bounds (editable, &start, &end))
    gtk_editable_delete_text (editable, start, end);
  position = gtk_editable_get_position (editable);
  gtk_editable_insert_text (editable, text, -1, &position);
  gtk_editable_set_position (editable, position);
}

static void
wedge_scanned_cb (PdvCheckinPage *self,
                  const char     *code)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->release_timeout_id, g_source_remove);
  if (!self->caps_lock)
    {
      scan (self, code, PDV_SCAN_WEDGE);
      return;
    }
  /* Caps Lock inverts what the scanner shifted. Codes are ASCII. */
  text = g_strdup (code);
  for (char *p = text; *p != '\0'; p++)
    *p = g_ascii_isupper (*p) ? g_ascii_tolower (*p) : g_ascii_toupper (*p);
  scan (self, text, PDV_SCAN_WEDGE);
}

static gboolean
release_timeout_cb (gpointer user_data)
{
  PdvCheckinPage *self = user_data;

  self->release_timeout_id = 0;
  pdv_wedge_interrupt (self->wedge);
  return G_SOURCE_REMOVE;
}

static gboolean
handle_key (PdvCheckinPage  *self,
            guint            keyval,
            GdkModifierType  state,
            gint64           time_us)
{
  gunichar c;

  if (is_modifier_keyval (keyval))
    return FALSE;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_HYPER_MASK | GDK_META_MASK)) != 0)
    {
      /* A shortcut, never part of a scan. */
      pdv_wedge_interrupt (self->wedge);
      return FALSE;
    }

  /* What scanners end a code with: Enter, keypad Enter, Linefeed or Tab. */
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter ||
      keyval == GDK_KEY_Linefeed || keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    {
      self->compose_pending = FALSE;
      g_clear_handle_id (&self->release_timeout_id, g_source_remove);
      return pdv_wedge_feed_enter (self->wedge, time_us) == PDV_WEDGE_KEY_HELD;
    }

  c = gdk_keyval_to_unicode (keyval);
  if (is_compose_keyval (keyval) || self->compose_pending)
    {
      /* Accents typed with dead keys belong to the input method: let the
       * dead key and the key after it through untouched. */
      self->compose_pending = is_compose_keyval (keyval);
      pdv_wedge_interrupt (self->wedge);
      return FALSE;
    }
  if (c == 0 || g_unichar_iscntrl (c) || (c == ' ' && focused_editable (self) == NULL))
    {
      /* Tab, arrows, Backspace, Escape; space on a button presses it. */
      pdv_wedge_interrupt (self->wedge);
      return FALSE;
    }

  self->caps_lock = (state & GDK_LOCK_MASK) != 0;
  if (pdv_wedge_feed_char (self->wedge, c, time_us) != PDV_WEDGE_KEY_HELD)
    return FALSE;
  g_clear_handle_id (&self->release_timeout_id, g_source_remove);
  self->release_timeout_id = g_timeout_add (pdv_wedge_get_max_gap (self->wedge) * RELEASE_DELAY_FACTOR,
                                            release_timeout_cb, self);
  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PdvCheckinPage        *self)
{
  guint32 time_ms = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));
  gint64 time_us = time_ms != GDK_CURRENT_TIME ? (gint64) time_ms * 1000 : g_get_monotonic_time ();

  return handle_key (self, keyval, state, time_us);
}

/* ---- Direction, sound ---------------------------------------------------- */

static void
direction_toggled_cb (PdvCheckinPage *self)
{
  PdvCheckinDirection direction = gtk_toggle_button_get_active (self->exit_button) ? PDV_CHECKIN_EXIT
                                                                                    : PDV_CHECKIN_ENTRY;

  /* Toggled once while the template is built, before there is a station. */
  if (self->checkin == NULL)
    return;
  pdv_checkin_set_direction (self->checkin, direction);
  pdv_door_verdict_set_direction (self->verdict, direction);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "door-entry");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "door-exit");
  gtk_widget_add_css_class (GTK_WIDGET (self), direction == PDV_CHECKIN_EXIT ? "door-exit" : "door-entry");
}

static void
mute_toggled_cb (PdvCheckinPage *self)
{
  gboolean muted = gtk_toggle_button_get_active (self->mute_button);

  pdv_door_sounds_set_muted (self->sounds, muted);
  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            muted ? "audio-volume-muted-symbolic" : "audio-volume-high-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mute_button),
                               muted ? _("Play the verdict sounds") : _("Mute the verdict sounds"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

/* ---- Camera and manual admission ---------------------------------------- */

static void
camera_code_detected_cb (PdvCheckinPage *self,
                         const char     *code)
{
  scan (self, code, PDV_SCAN_CAMERA);
}

static void
admitted_cb (PdvCheckinPage         *self,
             const PdvCheckinResult *result)
{
  self->n_scans++;
  show_result (self, result, PDV_SCAN_MANUAL);
}

/* ---- Page ---------------------------------------------------------------- */

/* Times on the door are the event's, as the verdicts' reasons tell them. */
static void
load_timezone (PdvCheckinPage *self)
{
  g_clear_pointer (&self->timezone, g_time_zone_unref);
  self->timezone = pdv_context_dup_event_timezone (self->context);
  pdv_door_verdict_set_timezone (self->verdict, self->timezone);
  pdv_door_verdict_set_clock (self->verdict, pdv_context_get_clock (self->context));
  pdv_door_search_set_timezone (self->search, self->timezone);
}

/* The gate this terminal is (Preferences, pdvctl gate): its name, the
 * zones it admits and, when the page is made, the direction it starts in. */
static void
load_gate (PdvCheckinPage *self,
           gboolean        with_direction)
{
  g_auto(PdvGateProfile) profile = { 0 };
  g_autofree char *terminal = pdv_context_dup_terminal_name (self->context);
  g_autofree char *gate_text = NULL;
  const char *gate;

  pdv_gate_profile_load (pdv_context_get_db (self->context), &profile);
  /* The gate is the terminal's name until one is set. */
  gate = profile.gate != NULL ? profile.gate : terminal;
  pdv_checkin_set_gate (self->checkin, gate);
  pdv_checkin_set_zones (self->checkin, (const char * const *) profile.zones);
  if (profile.zones != NULL)
    {
      g_autofree char *zones = g_strjoinv (", ", profile.zones);

      /* Translators: the gate, then the zones it admits */
      gate_text = g_strdup_printf (_("Gate: %s · %s"), gate != NULL ? gate : "—", zones);
    }
  else
    /* Translators: %s is the gate, the terminal's name */
    gate_text = g_strdup_printf (_("Gate: %s"), gate != NULL ? gate : "—");
  gtk_label_set_label (self->gate_label, gate_text);
  if (with_direction)
    gtk_toggle_button_set_active (profile.direction == PDV_CHECKIN_EXIT ? self->exit_button : self->entry_button,
                                  TRUE);
}

static void
mapped_cb (PdvCheckinPage *self)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));

  /* An event imported meanwhile may have brought its time zone; the gate
   * may have been set in the preferences. */
  load_timezone (self);
  load_gate (self, FALSE);
  refresh_counters (self);
  if (self->counters_tick_id == 0)
    self->counters_tick_id = pdv_clock_timeout_add_seconds (pdv_context_get_clock (self->context), 5,
                                                            counters_tick_cb, self);
  /* Keys reach the page only when the focus is on it: a scanner must work
   * the moment the page shows. */
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_widget_grab_focus (pdv_door_search_get_entry (self->search));
}

static void
unmapped_cb (PdvCheckinPage *self)
{
  /* Nobody watches the door: no half-typed scan stays held. */
  g_clear_handle_id (&self->release_timeout_id, g_source_remove);
  g_clear_handle_id (&self->counters_tick_id, g_source_remove);
  pdv_wedge_interrupt (self->wedge);
}

static void
pdv_checkin_page_constructed (GObject *object)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (object);

  G_OBJECT_CLASS (pdv_checkin_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->checkin = pdv_checkin_new (pdv_context_get_journal (self->context));
  self->checker = pdv_door_checker_new (self->context);
  pdv_door_search_set_checkin (self->search, self->checkin);
  load_timezone (self);
  load_gate (self, TRUE);

  direction_toggled_cb (self);
  refresh_counters (self);
  load_history (self);
}

static void
pdv_checkin_page_dispose (GObject *object)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->release_timeout_id, g_source_remove);
  g_clear_handle_id (&self->counters_tick_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_CHECKIN_PAGE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->sounds);
  g_clear_object (&self->wedge);
  g_clear_pointer (&self->timezone, g_time_zone_unref);
  if (self->override_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->override_dialog));
  if (self->override_prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->override_prompt));
  forget_refusal (self);
  g_clear_pointer (&self->override_reason, g_free);
  g_clear_weak_pointer (&self->session);
  g_clear_object (&self->checker);
  g_clear_object (&self->checkin);
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
    case PROP_MUTED:
      g_value_set_boolean (value, gtk_toggle_button_get_active (self->mute_button));
      break;
    case PROP_SOUND_VOLUME:
      g_value_set_double (value, pdv_door_sounds_get_volume (self->sounds));
      break;
    case PROP_CAMERA_DEVICE:
      g_value_set_string (value, pdv_camera_scanner_get_device (pdv_door_camera_get_scanner (self->camera)));
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
    case PROP_MUTED:
      gtk_toggle_button_set_active (self->mute_button, g_value_get_boolean (value));
      break;
    case PROP_SOUND_VOLUME:
      pdv_door_sounds_set_volume (self->sounds, g_value_get_double (value));
      break;
    case PROP_CAMERA_DEVICE:
      pdv_door_camera_set_device (self->camera, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_checkin_page_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (widget);
  GtkWidget *children[] = { self->door_bar, GTK_WIDGET (self->verdict), self->bottom_row };

  *minimum = *natural = 0;
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      int child_min, child_nat;

      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          gtk_widget_measure (children[i], orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          gtk_widget_measure (children[i], orientation, for_size, &child_min, &child_nat, NULL, NULL);
          if (children[i] == self->bottom_row)
            child_nat = MAX (child_nat, ROW_HEIGHT);
          else if (children[i] == GTK_WIDGET (self->verdict))
            child_nat = MAX (child_nat, VERDICT_HEIGHT);
          *minimum += child_min;
          *natural += child_nat;
        }
    }
}

static void
pdv_checkin_page_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  PdvCheckinPage *self = PDV_CHECKIN_PAGE (widget);
  int bar_min, bar_nat, verdict_min, verdict_nat, row_min, row_height, rest;

  gtk_widget_measure (self->door_bar, GTK_ORIENTATION_VERTICAL, width, &bar_min, &bar_nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->verdict), GTK_ORIENTATION_VERTICAL, width, &verdict_min, &verdict_nat, NULL, NULL);
  gtk_widget_measure (self->bottom_row, GTK_ORIENTATION_VERTICAL, width, &row_min, NULL, NULL, NULL);

  bar_nat = MIN (bar_nat, MAX (bar_min, height - verdict_min - row_min));
  rest = MAX (height - bar_nat, verdict_min + row_min);
  row_height = CLAMP (rest - MAX (verdict_nat, VERDICT_HEIGHT), row_min, MAX (row_min, ROW_HEIGHT));

  gtk_widget_size_allocate (self->door_bar, &(GtkAllocation) { 0, 0, width, bar_nat }, -1);
  gtk_widget_size_allocate (GTK_WIDGET (self->verdict),
                            &(GtkAllocation) { 0, bar_nat, width, rest - row_height }, -1);
  gtk_widget_size_allocate (self->bottom_row,
                            &(GtkAllocation) { 0, bar_nat + rest - row_height, width, row_height }, -1);
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
  /* The terminal's settings bind to these; the speaker button sets "muted" too. */
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOUND_VOLUME] =
    g_param_spec_double ("sound-volume", NULL, NULL, 0.0, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERA_DEVICE] =
    g_param_spec_string ("camera-device", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PDV_TYPE_DOOR_CAMERA);
  g_type_ensure (PDV_TYPE_DOOR_SEARCH);
  g_type_ensure (PDV_TYPE_DOOR_VERDICT);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/door/pdv-checkin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, door_bar);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, bottom_row);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, entry_button);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, exit_button);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, counters_box);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, inside_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, inside_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, venue_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, entries_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, capacity_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, occupancy_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, gate_label);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, mute_button);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, verdict);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, search);
  gtk_widget_class_bind_template_child (widget_class, PdvCheckinPage, camera);
  gtk_widget_class_bind_template_callback (widget_class, direction_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, mute_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, admitted_cb);
  gtk_widget_class_install_action (widget_class, "door.override", NULL, override_activated);

  widget_class->measure = pdv_checkin_page_measure;
  widget_class->size_allocate = pdv_checkin_page_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "checkinpage");
}

static void
pdv_checkin_page_init (PdvCheckinPage *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->sounds = pdv_door_sounds_new ();

  self->wedge = pdv_wedge_new ();
  g_signal_connect_object (self->wedge, "scanned", G_CALLBACK (wedge_scanned_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->wedge, "released", G_CALLBACK (wedge_released_cb), self, G_CONNECT_SWAPPED);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  g_signal_connect_object (pdv_door_camera_get_scanner (self->camera), "code-detected",
                           G_CALLBACK (camera_code_detected_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmapped_cb), NULL);
}

GtkWidget *
pdv_checkin_page_new (PdvContext *context)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_CHECKIN_PAGE, "context", context, NULL);
}

static void
session_changed_cb (PdvSession     *session,
                    PdvCheckinPage *self)
{
  pdv_checkin_set_user (self->checkin, pdv_session_get_user_id (session));
  /* The next person at the door does not inherit a refusal to lift. */
  forget_refusal (self);
}

/**
 * pdv_checkin_page_set_session:
 * @session: who is at the door, followed from now on: every scan is
 *   journalled as theirs
 */
void
pdv_checkin_page_set_session (PdvCheckinPage *self,
                              PdvSession     *session)
{
  g_return_if_fail (PDV_IS_CHECKIN_PAGE (self));
  g_return_if_fail (PDV_IS_SESSION (session));

  g_set_weak_pointer (&self->session, session);
  g_signal_connect_object (session, "changed", G_CALLBACK (session_changed_cb), self, 0);
  session_changed_cb (session, self);
}

/* ---- For tests ------------------------------------------------------------ */

PdvCheckin *
pdv_checkin_page_get_checkin (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return self->checkin;
}

PdvDoorVerdict *
pdv_checkin_page_get_verdict (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return self->verdict;
}

PdvDoorSounds *
pdv_checkin_page_get_sounds (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return self->sounds;
}

PdvDoorSearch *
pdv_checkin_page_get_search (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return self->search;
}

PdvDoorCamera *
pdv_checkin_page_get_camera (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return self->camera;
}

void
pdv_checkin_page_set_direction (PdvCheckinPage      *self,
                                PdvCheckinDirection  direction)
{
  g_return_if_fail (PDV_IS_CHECKIN_PAGE (self));
  gtk_toggle_button_set_active (direction == PDV_CHECKIN_EXIT ? self->exit_button : self->entry_button, TRUE);
}

/**
 * pdv_checkin_page_press_key:
 * @time_ms: the key's event time, as GDK gives it
 *
 * What the page's key controller does with a key press.
 *
 * Returns: %TRUE if the key was taken from the focused widget
 */
gboolean
pdv_checkin_page_press_key (PdvCheckinPage  *self,
                            guint            keyval,
                            GdkModifierType  state,
                            guint32          time_ms)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), FALSE);
  return handle_key (self, keyval, state, (gint64) time_ms * 1000);
}

/**
 * pdv_checkin_page_release_held_keys:
 *
 * What happens when no key follows held ones for a while.
 */
void
pdv_checkin_page_release_held_keys (PdvCheckinPage *self)
{
  g_return_if_fail (PDV_IS_CHECKIN_PAGE (self));

  g_clear_handle_id (&self->release_timeout_id, g_source_remove);
  pdv_wedge_interrupt (self->wedge);
}

guint
pdv_checkin_page_get_n_scans (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), 0);
  return self->n_scans;
}

AdwMessageDialog *
pdv_checkin_page_get_override_dialog (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return self->override_dialog != NULL ? ADW_MESSAGE_DIALOG (self->override_dialog) : NULL;
}

GtkEditable *
pdv_checkin_page_get_override_entry (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return self->override_entry;
}

PdvManagerPrompt *
pdv_checkin_page_get_override_prompt (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return self->override_prompt;
}

/* Codes read and not yet checked: their verdicts are still to come. */
guint
pdv_checkin_page_get_n_pending (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), 0);
  return pdv_door_checker_get_n_pending (self->checker);
}

const char *
pdv_checkin_page_get_inside_text (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return gtk_label_get_label (self->inside_label);
}

const char *
pdv_checkin_page_get_entries_text (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return gtk_label_get_label (self->entries_label);
}

const char *
pdv_checkin_page_get_capacity_text (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return gtk_label_get_label (self->capacity_label);
}

/**
 * pdv_checkin_page_get_venue_text:
 *
 * Returns: (nullable): how fresh the other gates' figures are, as shown;
 *   %NULL when the terminal counts alone
 */
const char *
pdv_checkin_page_get_venue_text (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->venue_label)))
    return NULL;
  return gtk_label_get_label (self->venue_label);
}

/**
 * pdv_checkin_page_get_occupancy_text:
 *
 * Returns: "Nearly full", "Full", or "" below 90 % of capacity
 */
const char *
pdv_checkin_page_get_occupancy_text (PdvCheckinPage *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  return gtk_label_get_label (self->occupancy_label);
}

guint
pdv_checkin_page_count_history (PdvCheckinPage *self)
{
  guint n = 0;

  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), 0);
  while (gtk_list_box_get_row_at_index (self->history_list, (int) n) != NULL)
    n++;
  return n;
}

/**
 * pdv_checkin_page_dup_history_text:
 * @index: 0 for the newest scan
 *
 * Returns: (transfer full) (nullable): "21:04:05 · Ana Sá · Valid"
 */
char *
pdv_checkin_page_dup_history_text (PdvCheckinPage *self,
                                   guint           index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (PDV_IS_CHECKIN_PAGE (self), NULL);
  row = gtk_list_box_get_row_at_index (self->history_list, (int) index);
  return row != NULL ? g_strdup (g_object_get_data (G_OBJECT (row), HISTORY_TEXT_KEY)) : NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-door-search"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-door-search.h"

/* When a code will not scan (a cracked phone screen, a crumpled print), door
 * staff find the ticket by the holder's name or the order code and admit it
 * by hand: an explicit tap, a confirmation with a reason, and the same rules
 * as a scan. The page shows the verdict; this widget only says "admitted". */

#define SEARCH_LIMIT 30
#define TICKET_ID_KEY "pdv-ticket-id"

struct _PdvDoorSearch
{
  GtkWidget       parent_instance;

  PdvCheckin     *checkin;
  GTimeZone      *timezone;
  GtkWidget      *admit_dialog;
  GtkWidget      *admit_reason;

  GtkSearchEntry *search_entry;
  GtkListBox     *results_list;
  GtkLabel       *results_placeholder;
};

G_DEFINE_FINAL_TYPE (PdvDoorSearch, pdv_door_search, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHECKIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ADMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_toast (PdvDoorSearch *self,
            const char    *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

/* The terminal's clock, which tests and rehearsals may set. */
static GDateTime *
search_now (PdvDoorSearch *self)
{
  g_autoptr(PdvJournal) journal = NULL;

  if (self->checkin == NULL)
    return g_date_time_new_now_utc ();
  g_object_get (self->checkin, "journal", &journal, NULL);
  return pdv_clock_get_now_utc (pdv_db_get_clock (pdv_journal_get_db (journal)));
}

/* "NV-3ZMYVX · Camarote · vip — Inside since 21:04 (Portão 1)" */
static char *
describe_ticket (PdvDoorSearch       *self,
                 const PdvTicketInfo *info)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) now = search_now (self);

  if (info->order_code != NULL)
    g_string_append (text, info->order_code);
  if (info->type != NULL)
    g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", info->type);
  if (info->zone != NULL && g_strcmp0 (info->zone, info->type) != 0)
    g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", info->zone);
  if (text->len > 0)
    g_string_append (text, " — ");

  if (info->revoked)
    g_string_append (text, _("Revoked"));
  else if (g_strcmp0 (info->status, "cancelled") == 0)
    g_string_append (text, _("Cancelled"));
  else if (g_strcmp0 (info->status, "blocked") == 0)
    g_string_append (text, _("Blocked"));
  else if (info->valid_until != NULL && g_date_time_compare (now, info->valid_until) > 0)
    {
      g_autofree char *when = pdv_datetime_format (info->valid_until, self->timezone, PDV_DATETIME_DAY_TIME);

      /* Translators: a ticket whose time is over, "Expired at 13/12 05:00" */
      g_string_append_printf (text, _("Expired at %s"), when);
    }
  else if (info->valid_from != NULL && g_date_time_compare (now, info->valid_from) < 0)
    {
      g_autofree char *when = pdv_datetime_format (info->valid_from, self->timezone, PDV_DATETIME_DAY_TIME);

      /* Translators: a ticket not valid yet, "Valid from 13/12 17:00" */
      g_string_append_printf (text, _("Valid from %s"), when);
    }
  else if (info->last_at != NULL)
    {
      g_autofree char *when = pdv_datetime_format (info->last_at, self->timezone, PDV_DATETIME_TIME);
      const char *gate = info->last_gate != NULL ? info->last_gate : "—";

      if (info->inside)
        /* Translators: "Inside since 21:04 (Portão 2)" */
        g_string_append_printf (text, _("Inside since %s (%s)"), when, gate);
      else
        /* Translators: "Left at 23:10 (Portão 2)" */
        g_string_append_printf (text, _("Left at %s (%s)"), when, gate);
    }
  else
    g_string_append (text, _("Not checked in"));
  if (info->attention != NULL)
    /* Translators: after a ticket's state in search, what the list asks to check */
    g_string_append_printf (text, _(" · Check: %s"), info->attention);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
new_result_row (PdvDoorSearch       *self,
                const PdvTicketInfo *info)
{
  g_autofree char *subtitle = describe_ticket (self, info);
  g_autofree char *accessible = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (_("Admit"));
  const char *name = info->holder_name != NULL ? info->holder_name : info->id;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (row, "door-result-row");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_add_css_class (button, "admit-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "door.admit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", info->id);
  /* Translators: what a screen reader says for the Admit button of a ticket */
  accessible = g_strdup_printf (_("Admit %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  g_object_set_data_full (G_OBJECT (row), TICKET_ID_KEY, g_strdup (info->id), g_free);
  return row;
}

static void
clear_results (PdvDoorSearch *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->results_list, 0)) != NULL)
    gtk_list_box_remove (self->results_list, GTK_WIDGET (row));
}

static void
search_changed_cb (PdvDoorSearch *self)
{
  pdv_door_search_refresh (self);
}

static void
admit_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   PdvDoorSearch    *self)
{
  const char *ticket_id = g_object_get_data (G_OBJECT (dialog), TICKET_ID_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckinResult) result = NULL;
  g_autofree char *reason = NULL;
  const char *user;

  if (g_strcmp0 (response, "admit") != 0 || ticket_id == NULL || self->checkin == NULL)
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->admit_reason))));
  /* Until door staff log in, the journal names the system account. */
  user = pdv_checkin_get_user (self->checkin);
  if (user == NULL)
    user = g_get_user_name ();

  result = pdv_checkin_admit_manual (self->checkin, ticket_id, user, reason, &error);
  if (result == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  g_signal_emit (self, signals[ADMITTED], 0, result);
  pdv_door_search_refresh (self);
}

static void
admit_dialog_destroyed_cb (PdvDoorSearch *self)
{
  self->admit_dialog = NULL;
  self->admit_reason = NULL;
}

static void
admit_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdvDoorSearch *self = PDV_DOOR_SEARCH (widget);
  const char *ticket_id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  const PdvTicketInfo *info = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *state = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *caption;

  if (self->checkin == NULL)
    return;
  /* Where the ticket stands now, not when the list was drawn. */
  tickets = pdv_checkin_search (self->checkin, ticket_id, 1, &error);
  if (tickets != NULL)
    g_ptr_array_set_free_func (tickets, (GDestroyNotify) pdv_ticket_info_free);
  if (tickets != NULL && tickets->len > 0)
    info = g_ptr_array_index (tickets, 0);
  if (info == NULL || g_strcmp0 (info->id, ticket_id) != 0)
    {
      show_toast (self, error != NULL ? error->message : _("This ticket is no longer on the list"));
      return;
    }
  if (self->admit_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->admit_dialog));

  state = describe_ticket (self, info);
  /* Translators: %s is the ticket holder's name */
  heading = g_strdup_printf (_("Admit %s?"), info->holder_name != NULL ? info->holder_name : info->id);
  body = g_strdup_printf ("%s\n\n%s", state,
                          _("The entry is recorded as admitted by hand, with the reason below. "
                            "The rules of a scan still apply."));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "admit", _("_Admit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "admit", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "admit");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  caption = gtk_label_new (_("Reason"));
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "heading");
  self->admit_reason = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (self->admit_reason), _("QR code would not scan"));
  gtk_entry_set_activates_default (GTK_ENTRY (self->admit_reason), TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->admit_reason),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL,
                                  -1);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), self->admit_reason);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  g_object_set_data_full (G_OBJECT (dialog), TICKET_ID_KEY, g_strdup (info->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (admit_response_cb), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (admit_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  self->admit_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pdv_door_search_dispose (GObject *object)
{
  PdvDoorSearch *self = PDV_DOOR_SEARCH (object);
  GtkWidget *child;

  if (self->admit_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->admit_dialog));
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_DOOR_SEARCH);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->checkin);
  g_clear_pointer (&self->timezone, g_time_zone_unref);

  G_OBJECT_CLASS (pdv_door_search_parent_class)->dispose (object);
}

static void
pdv_door_search_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdvDoorSearch *self = PDV_DOOR_SEARCH (object);

  switch (prop_id)
    {
    case PROP_CHECKIN:
      g_value_set_object (value, self->checkin);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_door_search_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdvDoorSearch *self = PDV_DOOR_SEARCH (object);

  switch (prop_id)
    {
    case PROP_CHECKIN:
      pdv_door_search_set_checkin (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_door_search_class_init (PdvDoorSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_door_search_dispose;
  object_class->get_property = pdv_door_search_get_property;
  object_class->set_property = pdv_door_search_set_property;

  properties[PROP_CHECKIN] =
    g_param_spec_object ("checkin", NULL, NULL, PDV_TYPE_CHECKIN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvDoorSearch::admitted:
   * @result: the verdict of a ticket admitted by hand (which may still be
   *   refused by the rules)
   */
  signals[ADMITTED] =
    g_signal_new ("admitted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PDV_TYPE_CHECKIN_RESULT);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/door/pdv-door-search.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvDoorSearch, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorSearch, results_list);
  gtk_widget_class_bind_template_child (widget_class, PdvDoorSearch, results_placeholder);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "door.admit", "s", admit_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "doorsearch");
}

static void
pdv_door_search_init (PdvDoorSearch *self)
{
  self->timezone = g_time_zone_new_local ();
  gtk_widget_init_template (GTK_WIDGET (self));
  pdv_door_search_refresh (self);
}

PdvCheckin *
pdv_door_search_get_checkin (PdvDoorSearch *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_SEARCH (self), NULL);
  return self->checkin;
}

void
pdv_door_search_set_checkin (PdvDoorSearch *self,
                             PdvCheckin    *checkin)
{
  g_return_if_fail (PDV_IS_DOOR_SEARCH (self));
  g_return_if_fail (checkin == NULL || PDV_IS_CHECKIN (checkin));

  if (g_set_object (&self->checkin, checkin))
    {
      pdv_door_search_refresh (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKIN]);
    }
}

/**
 * pdv_door_search_set_timezone:
 *
 * Where times are told: the event's, as on the verdicts.
 */
void
pdv_door_search_set_timezone (PdvDoorSearch *self,
                              GTimeZone     *timezone)
{
  g_return_if_fail (PDV_IS_DOOR_SEARCH (self));
  g_return_if_fail (timezone != NULL);

  g_time_zone_unref (self->timezone);
  self->timezone = g_time_zone_ref (timezone);
}

/**
 * pdv_door_search_refresh:
 *
 * Searches again: the tickets found show where they stand after a scan.
 */
void
pdv_door_search_refresh (PdvDoorSearch *self)
{
  g_autofree char *query = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = NULL;

  g_return_if_fail (PDV_IS_DOOR_SEARCH (self));

  clear_results (self);
  query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  if (*query == '\0' || self->checkin == NULL)
    {
      gtk_label_set_label (self->results_placeholder, _("For a ticket whose code will not scan"));
      return;
    }

  /* An indexed read of a few rows: quick enough for the main thread. */
  tickets = pdv_checkin_search (self->checkin, query, SEARCH_LIMIT, &error);
  if (tickets == NULL)
    {
      gtk_label_set_label (self->results_placeholder, error->message);
      return;
    }
  g_ptr_array_set_free_func (tickets, (GDestroyNotify) pdv_ticket_info_free);
  gtk_label_set_label (self->results_placeholder, _("No ticket found"));
  for (guint i = 0; i < tickets->len; i++)
    gtk_list_box_append (self->results_list, new_result_row (self, g_ptr_array_index (tickets, i)));
}

/**
 * pdv_door_search_set_text:
 *
 * Searches for @text at once, without the search field's typing delay.
 */
void
pdv_door_search_set_text (PdvDoorSearch *self,
                          const char    *text)
{
  g_return_if_fail (PDV_IS_DOOR_SEARCH (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  pdv_door_search_refresh (self);
}

const char *
pdv_door_search_get_text (PdvDoorSearch *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_SEARCH (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

GtkWidget *
pdv_door_search_get_entry (PdvDoorSearch *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_SEARCH (self), NULL);
  return GTK_WIDGET (self->search_entry);
}

guint
pdv_door_search_count_results (PdvDoorSearch *self)
{
  guint n = 0;

  g_return_val_if_fail (PDV_IS_DOOR_SEARCH (self), 0);
  while (gtk_list_box_get_row_at_index (self->results_list, (int) n) != NULL)
    n++;
  return n;
}

const char *
pdv_door_search_get_result_ticket_id (PdvDoorSearch *self,
                                      guint          index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (PDV_IS_DOOR_SEARCH (self), NULL);
  row = gtk_list_box_get_row_at_index (self->results_list, (int) index);
  return row != NULL ? g_object_get_data (G_OBJECT (row), TICKET_ID_KEY) : NULL;
}

const char *
pdv_door_search_get_result_subtitle (PdvDoorSearch *self,
                                     guint          index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (PDV_IS_DOOR_SEARCH (self), NULL);
  row = gtk_list_box_get_row_at_index (self->results_list, (int) index);
  return row != NULL ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
}

/**
 * pdv_door_search_get_admit_dialog:
 *
 * Returns: (nullable): the confirmation of a manual admission, while open
 */
AdwMessageDialog *
pdv_door_search_get_admit_dialog (PdvDoorSearch *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_SEARCH (self), NULL);
  return self->admit_dialog != NULL ? ADW_MESSAGE_DIALOG (self->admit_dialog) : NULL;
}

GtkEditable *
pdv_door_search_get_admit_reason (PdvDoorSearch *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_SEARCH (self), NULL);
  return self->admit_reason != NULL ? GTK_EDITABLE (self->admit_reason) : NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-manager-prompt.h"
#include "pdv-sync-page-private.h"
#include "pdv-sync-text.h"
#include "pdv-sync.h"

/* Sync health for the manager: where the server is and whether it answers,
 * what is still waiting to be sent and since when, what went wrong last,
 * and the conflicts two gates made offline. A terminal that is not enrolled
 * yet gets the form that enrols it.
 *
 * What it shows comes from the window's sync worker, whose status arrives
 * on this thread; after something done here (an enrolment, conflicts marked
 * as seen) the page reads the same tables itself rather than wait. */

#define ENROLMENT_PREFIX "PDVENROLL1:"

/* Ages on the page count up while it is shown. */
#define TICK_SECONDS 15

#define NEW_TAG_KEY "pdv-new-tag"

struct _PdvSyncPage
{
  GtkWidget            parent_instance;

  PdvContext          *context;
  PdvSyncWorker       *sync_worker;
  gulong               status_changed_id;
  PdvSyncStatus       *status;
  GCancellable        *cancellable;
  guint                tick_id;
  gboolean             enrolling;
  gboolean             recovering;
  PdvManagerPrompt    *recover_prompt;
  gboolean             show_enrolment;
  GPtrArray           *conflict_rows;  /* AdwActionRow, owned by the group */
  gint64               shown_conflicts;
  gint64               shown_open_conflicts;
  gint64               shown_pull_cursor;

  GtkStack            *stack;
  AdwPreferencesGroup *enrol_group;
  AdwEntryRow         *server_row;
  AdwEntryRow         *code_row;
  GtkLabel            *enrol_error_label;
  GtkSpinner          *enrol_spinner;
  GtkWidget           *enrol_cancel_button;
  AdwPreferencesGroup *server_group;
  AdwActionRow        *connection_row;
  GtkImage            *connection_icon;
  GtkLabel            *connection_label;
  AdwActionRow        *servers_row;
  GtkLabel            *queued_label;
  GtkLabel            *oldest_label;
  GtkLabel            *last_success_label;
  AdwActionRow        *entries_row;
  GtkLabel            *entries_label;
  AdwPreferencesGroup *recover_group;
  AdwActionRow        *recover_row;
  GtkSpinner          *recover_spinner;
  AdwPreferencesGroup *error_group;
  GtkLabel            *error_label;
  AdwPreferencesGroup *conflicts_group;
  AdwActionRow        *no_conflicts_row;
};

G_DEFINE_FINAL_TYPE (PdvSyncPage, pdv_sync_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SYNC_WORKER,
  N_PROPS
};

enum {
  ENROLLED,
  RECOVERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_toast (PdvSyncPage *self,
            const char  *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

/* ---- Conflicts ------------------------------------------------------------ */

static char *
describe_terminal (PdvSyncPage *self,
                   const char  *terminal_id)
{
  const char *own_id = pdv_journal_get_terminal_id (pdv_context_get_journal (self->context));

  if (terminal_id == NULL)
    return g_strdup (_("an unknown terminal"));
  if (g_strcmp0 (terminal_id, own_id) == 0)
    return g_strdup (_("this terminal"));
  /* Translators: %.8s is the start of a terminal's id, enough to tell it apart */
  return g_strdup_printf (_("terminal %.8s"), terminal_id);
}

/* Translators: how one admission of a ticket is described in a conflict:
 * the gate, the time and the terminal, e.g. "Portão 1, 21:03:10, this terminal" */
#define ADMISSION_FORMAT N_("%s, %s, %s")

/* The gate and the time, as door staff know them; which terminal only when
 * it is this one, or when the gate is not known. */
static char *
describe_admission (PdvSyncPage *self,
                    const char  *gate,
                    const char  *at,
                    const char  *terminal_id,
                    GDateTime   *now,
                    GTimeZone   *timezone)
{
  const char *own_id = pdv_journal_get_terminal_id (pdv_context_get_journal (self->context));
  g_autofree char *time = pdv_sync_text_iso_time (at, now, timezone);
  g_autofree char *terminal = NULL;

  if (gate != NULL && *gate != '\0' && g_strcmp0 (gate, "—") != 0 && g_strcmp0 (terminal_id, own_id) != 0)
    /* Translators: one admission of a ticket in a conflict: the gate and the time, e.g. "Portão 2, 21:03:08" */
    return g_strdup_printf (C_("admission", "%s, %s"), gate, time);
  terminal = describe_terminal (self, terminal_id);
  return g_strdup_printf (_(ADMISSION_FORMAT), gate != NULL && *gate != '\0' ? gate : _("unknown gate"), time,
                          terminal);
}

/* Whether @a was scanned after @b: the server tells them in the order they
 * reached it, which an offline gate turns around. */
static gboolean
scanned_after (const char *a,
               const char *b)
{
  g_autoptr(GDateTime) at_a = a != NULL ? g_date_time_new_from_iso8601 (a, NULL) : NULL;
  g_autoptr(GDateTime) at_b = b != NULL ? g_date_time_new_from_iso8601 (b, NULL) : NULL;

  return at_a != NULL && at_b != NULL && g_date_time_compare (at_a, at_b) > 0;
}

static GtkWidget *
new_conflict_row (PdvSyncPage           *self,
                  const PdvSyncConflict *conflict,
                  GDateTime             *now,
                  GTimeZone             *timezone)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *loser = describe_admission (self, conflict->loser_gate, conflict->loser_at,
                                               conflict->loser_terminal, now, timezone);

  const char *ficha = pdv_ficha_id_from_conflict (conflict->ticket_id);
  g_autoptr(GPtrArray) found = ficha == NULL ? pdv_ticket_search (pdv_context_get_db (self->context),
                                                                  conflict->ticket_id, 1, NULL) : NULL;
  PdvTicketInfo *info = found != NULL && found->len > 0 ? g_ptr_array_index (found, 0) : NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (ficha != NULL)
    {
      g_autofree char *code = pdv_ficha_code_for_id (ficha);

      /* Translators: a ficha served at two counters, by its short code */
      title = g_strdup_printf (_("Ficha %s"), code != NULL ? code : ficha);
    }
  else if (info != NULL && g_strcmp0 (info->id, conflict->ticket_id) == 0 && info->holder_name != NULL)
    /* Translators: a ticket's id and its holder's name */
    title = g_strdup_printf (_("Ticket %s · %s"), conflict->ticket_id, info->holder_name);
  else
    /* Translators: %s is a ticket's id */
    title = g_strdup_printf (_("Ticket %s"), conflict->ticket_id);
  if (conflict->winner_terminal != NULL)
    {
      g_autofree char *winner = describe_admission (self, conflict->winner_gate, conflict->winner_at,
                                                    conflict->winner_terminal, now, timezone);
      gboolean turned = scanned_after (conflict->winner_at, conflict->loser_at);

      if (ficha != NULL)
        /* Translators: a ficha served at two counters, in the order it was
         * scanned, each "counter, time" */
        subtitle = g_strdup_printf (_("Served first: %s\nServed again: %s"), turned ? loser : winner,
                                    turned ? winner : loser);
      else
        /* Translators: the two admissions of one ticket in the order they
         * were scanned, each "gate, time" */
        subtitle = g_strdup_printf (_("Admitted first: %s\nAdmitted again: %s"), turned ? loser : winner,
                                    turned ? winner : loser);
    }
  else
    /* Translators: this terminal's admission, then what the server said about it */
    subtitle = g_strdup_printf (_("Admitted here: %s\nThe server had it admitted first: %s"),
                                loser, conflict->reason != NULL ? conflict->reason : "?");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  if (!conflict->seen)
    {
      GtkWidget *tag = gtk_label_new (_("New"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "sync-new-tag");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
      g_object_set_data (G_OBJECT (row), NEW_TAG_KEY, tag);
    }
  return row;
}

/* Admissions are told in the event's time, as the door tells them. */
static GTimeZone *
dup_event_timezone (PdvSyncPage *self)
{
  return pdv_context_dup_event_timezone (self->context);
}

static void
load_conflicts (PdvSyncPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (pdv_context_get_clock (self->context));
  g_autoptr(GTimeZone) timezone = dup_event_timezone (self);

  for (guint i = 0; i < self->conflict_rows->len; i++)
    adw_preferences_group_remove (self->conflicts_group, g_ptr_array_index (self->conflict_rows, i));
  g_ptr_array_set_size (self->conflict_rows, 0);

  conflicts = pdv_sync_list_conflicts (pdv_context_get_db (self->context), FALSE, &error);
  if (conflicts == NULL)
    {
      g_warning ("Could not read the conflicts: %s", error->message);
      conflicts = g_ptr_array_new ();
    }
  for (guint i = 0; i < conflicts->len; i++)
    {
      GtkWidget *row = new_conflict_row (self, g_ptr_array_index (conflicts, i), now, timezone);

      adw_preferences_group_add (self->conflicts_group, row);
      g_ptr_array_add (self->conflict_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->no_conflicts_row), conflicts->len == 0);
}

/* ---- Status --------------------------------------------------------------- */

static void
update_connection (PdvSyncPage *self)
{
  const PdvSyncStatus *status = self->status;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) servers = pdv_sync_dup_servers (pdv_context_get_db (self->context), &error);
  g_autofree char *server_list = NULL;

  if (status->online)
    {
      gtk_label_set_label (self->connection_label, _("Online"));
      gtk_image_set_from_icon_name (self->connection_icon, "emblem-ok-symbolic");
      adw_action_row_set_subtitle (self->connection_row, status->server != NULL ? status->server : "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "warning");
    }
  else if (!pdv_sync_status_is_offline (status))
    {
      gtk_label_set_label (self->connection_label, _("Connecting…"));
      gtk_image_set_from_icon_name (self->connection_icon, "emblem-synchronizing-symbolic");
      adw_action_row_set_subtitle (self->connection_row, _("Not in touch with the server yet"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "warning");
    }
  else
    {
      gtk_label_set_label (self->connection_label, _("Offline"));
      gtk_image_set_from_icon_name (self->connection_icon, "network-offline-symbolic");
      adw_action_row_set_subtitle (self->connection_row,
                                   _("No answer from the server; sales and check-ins wait safely on this terminal"));
      gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), "warning");
    }

  if (servers == NULL)
    g_warning ("Could not read the sync servers: %s", error->message);
  server_list = servers != NULL ? g_strjoinv ("\n", servers) : g_strdup ("");
  adw_action_row_set_subtitle (self->servers_row, server_list);
}

static void
update (PdvSyncPage *self)
{
  const PdvSyncStatus *status = self->status;
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (pdv_context_get_clock (self->context));
  g_autoptr(GTimeZone) timezone = dup_event_timezone (self);
  g_autofree char *queued = NULL;
  g_autofree char *oldest = NULL;
  g_autofree char *last_success = NULL;
  g_autofree char *entries = NULL;
  g_autofree char *acked = NULL;
  gboolean enrolled;

  if (self->sync_worker == NULL || status == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "not-set-up");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.sync-now", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enrol", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.mark-conflicts-seen", FALSE);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "sync");
  enrolled = status->enrolled;

  /* Enrolling again is for a terminal whose server was replaced. */
  gtk_widget_set_visible (GTK_WIDGET (self->enrol_group), !enrolled || self->show_enrolment);
  adw_preferences_group_set_title (self->enrol_group, enrolled ? _("Enrol Again") : _("Enrol This Terminal"));
  gtk_widget_set_visible (self->enrol_cancel_button, enrolled);
  gtk_widget_set_visible (GTK_WIDGET (self->enrol_spinner), self->enrolling);
  gtk_spinner_set_spinning (self->enrol_spinner, self->enrolling);
  /* The fields stay as they are while the server answers (the request has
   * its own copy); making a focused field insensitive would steal the
   * focus from under the person typing. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enrol", !self->enrolling);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.cancel-enrolment", !self->enrolling);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.show-enrolment", enrolled && !self->show_enrolment);

  gtk_widget_set_visible (GTK_WIDGET (self->server_group), enrolled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.sync-now", enrolled);
  if (enrolled)
    update_connection (self);

  if (status->queued > 0)
    queued = g_strdup_printf (ngettext ("%lld entry", "%lld entries", (gulong) CLAMP (status->queued, 0, G_MAXLONG)),
                              (long long) status->queued);
  else
    queued = g_strdup (_("None"));
  gtk_label_set_label (self->queued_label, queued);
  oldest = status->queued > 0 ? pdv_sync_text_age (pdv_sync_status_get_oldest_age (status, now)) : g_strdup ("—");
  gtk_label_set_label (self->oldest_label, oldest);
  if (pdv_sync_status_get_oldest_age (status, now) > PDV_SYNC_OLDEST_WARNING_S)
    gtk_widget_add_css_class (GTK_WIDGET (self->oldest_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->oldest_label), "warning");
  /* The event's time, as the door and the conflicts below tell it. */
  last_success = pdv_sync_text_time (status->last_success, now, timezone);
  gtk_label_set_label (self->last_success_label, last_success);
  entries = g_strdup_printf ("%lld", (long long) status->last_seq);
  gtk_label_set_label (self->entries_label, entries);
  /* Translators: how many of this terminal's journal entries the server has */
  acked = g_strdup_printf (_("%lld of them on the server"), (long long) status->acked_seq);
  adw_action_row_set_subtitle (self->entries_row, acked);

  /* A restored terminal: the error says what happened, this what to do. */
  gtk_widget_set_visible (GTK_WIDGET (self->recover_group), enrolled && (status->diverged || self->recovering));
  gtk_widget_set_visible (GTK_WIDGET (self->recover_spinner), self->recovering);
  gtk_spinner_set_spinning (self->recover_spinner, self->recovering);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.recover", enrolled && status->diverged && !self->recovering);
  adw_action_row_set_subtitle (self->recover_row, self->recovering ? _("Fetching and checking the history…")
                                                                   : _("Needs a manager’s PIN"));

  gtk_widget_set_visible (GTK_WIDGET (self->error_group), enrolled && status->last_error != NULL);
  if (status->last_error != NULL)
    {
      g_autofree char *error_time = pdv_sync_text_time (status->last_error_at, now, timezone);
      /* Translators: %s is when the last sync attempt failed */
      g_autofree char *description = g_strdup_printf (_("At %s"), error_time);

      gtk_label_set_label (self->error_label, status->last_error);
      adw_preferences_group_set_description (self->error_group, description);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), enrolled || status->conflicts > 0);
  /* A pull may also complete a conflict already listed: who won, where. */
  if (status->conflicts != self->shown_conflicts || status->open_conflicts != self->shown_open_conflicts ||
      status->pull_cursor != self->shown_pull_cursor)
    {
      load_conflicts (self);
      self->shown_conflicts = status->conflicts;
      self->shown_open_conflicts = status->open_conflicts;
      self->shown_pull_cursor = status->pull_cursor;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.mark-conflicts-seen", status->open_conflicts > 0);
}

static void
set_status (PdvSyncPage         *self,
            const PdvSyncStatus *status)
{
  g_clear_pointer (&self->status, pdv_sync_status_free);
  self->status = pdv_sync_status_copy (status);
  update (self);
}

/* Reads the sync tables on this thread, for what the worker has not seen. */
static void
reload_status (PdvSyncPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSyncStatus) status = pdv_sync_load_status (pdv_context_get_db (self->context), &error);

  if (status == NULL)
    {
      g_warning ("Could not read the sync status: %s", error->message);
      return;
    }
  set_status (self, status);
}

static void
status_changed_cb (PdvSyncPage         *self,
                   const PdvSyncStatus *status)
{
  set_status (self, status);
}

/* ---- Enrolment ------------------------------------------------------------ */

static void
show_enrol_error (PdvSyncPage *self,
                  const char  *message)
{
  gtk_label_set_label (self->enrol_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->enrol_error_label), message != NULL);
}

static void
enrol_form_changed_cb (PdvSyncPage *self)
{
  /* Whatever was wrong is being put right. */
  if (!self->enrolling)
    show_enrol_error (self, NULL);
}

static void
enrolled_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PdvSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean enrolled = pdv_sync_enroll_finish (result, &error);

  /* The page went away while the server was answering. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->enrolling = FALSE;
  /* Enrolled, but the event the server sent was refused: the token is kept. */
  if (!enrolled && !g_error_matches (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_PULL))
    {
      g_message ("Enrolment failed: %s", error->message);
      show_enrol_error (self, error->message);
      update (self);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  self->show_enrolment = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  show_enrol_error (self, NULL);
  reload_status (self);
  g_signal_emit (self, signals[ENROLLED], 0);
  if (self->sync_worker != NULL)
    pdv_sync_worker_sync_now (self->sync_worker);

  if (error != NULL)
    show_toast (self, error->message);
  else
    show_toast (self, _("Enrolled: this terminal now sends its journal to the sync server"));
}

static gboolean
has_enrolment_prefix (const char *text)
{
  return g_ascii_strncasecmp (text, ENROLMENT_PREFIX, strlen (ENROLMENT_PREFIX)) == 0;
}

static void
enrol (PdvSyncPage *self)
{
  g_autofree char *server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  const char *url = server;
  const char *the_code = code;

  if (self->enrolling || self->sync_worker == NULL)
    return;

  /* The enrolment text holds the address and the code: pasted anywhere. */
  if (has_enrolment_prefix (code))
    {
      url = code;
      the_code = NULL;
    }
  else if (has_enrolment_prefix (server))
    the_code = NULL;
  else if (*server == '\0')
    {
      show_enrol_error (self, _("Type the sync server’s address (such as https://sync.example:8443), or paste the whole enrolment text."));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }
  else if (*code == '\0')
    {
      show_enrol_error (self, _("Type the enrolment code the sync server’s administrator made."));
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }

  self->enrolling = TRUE;
  show_enrol_error (self, NULL);
  update (self);
  pdv_sync_enroll_async (pdv_sync_worker_get_db_path (self->sync_worker), url, the_code, self->cancellable,
                         enrolled_cb, g_object_ref (self));
}

static void
enrol_entry_activated_cb (PdvSyncPage *self,
                          AdwEntryRow *row)
{
  /* Enter in the address moves on to the code, unless the address is the
   * whole enrolment text. */
  if (row == self->server_row && !has_enrolment_prefix (gtk_editable_get_text (GTK_EDITABLE (row))) &&
      *gtk_editable_get_text (GTK_EDITABLE (self->code_row)) == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }
  enrol (self);
}

/* ---- Actions -------------------------------------------------------------- */

static void
enrol_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  enrol (PDV_SYNC_PAGE (widget));
}

static void
show_enrolment_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (widget);

  self->show_enrolment = TRUE;
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}

static void
cancel_enrolment_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (widget);

  self->show_enrolment = FALSE;
  show_enrol_error (self, NULL);
  update (self);
}

static void
sync_now_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (widget);

  if (self->sync_worker != NULL)
    pdv_sync_worker_sync_now (self->sync_worker);
}

static void
mark_conflicts_seen_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!pdv_sync_mark_conflicts_seen (pdv_context_get_db (self->context), &error))
    {
      show_toast (self, error->message);
      return;
    }
  reload_status (self);
  /* The header's indicator hears it from the worker. */
  if (self->sync_worker != NULL)
    pdv_sync_worker_sync_now (self->sync_worker);
}

/* ---- Recovery after a restore ------------------------------------------- */

static void
recovered_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PdvSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;
  PdvJournalRecovery recovery = { 0 };
  g_autofree char *message = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->recovering = FALSE;
  if (!pdv_sync_recover_finish (result, &recovery, &error))
    {
      g_message ("Recovery failed: %s", error->message);
      update (self);
      gtk_widget_error_bell (GTK_WIDGET (self));
      show_toast (self, error->message);
      return;
    }
  reload_status (self);
  g_signal_emit (self, signals[RECOVERED], 0);
  if (self->sync_worker != NULL)
    pdv_sync_worker_sync_now (self->sync_worker);
  if (recovery.marker_seq == 0)
    message = g_strdup (_("Nothing to recover: the sync server holds nothing this terminal lacks"));
  else
    /* Translators: the first %lld counts entries given back by the server,
     * the second entries made on the terminal since it was restored */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "History recovered: %lld entry back from the sync server, %lld made "
                                            "here since the restore after it",
                                            "History recovered: %lld entries back from the sync server, %lld made "
                                            "here since the restore after them",
                                            (gulong) CLAMP (recovery.recovered, 0, G_MAXLONG)),
                               (long long) recovery.recovered, (long long) recovery.rewritten);
  show_toast (self, message);
}

static void
recover_authorised_cb (PdvSyncPage *self,
                       PdvUser     *manager)
{
  if (self->recovering || self->sync_worker == NULL)
    return;
  self->recovering = TRUE;
  update (self);
  pdv_sync_recover_async (pdv_sync_worker_get_db_path (self->sync_worker), manager->id, self->cancellable,
                          recovered_cb, g_object_ref (self));
}

static void
recover_prompt_destroyed_cb (PdvSyncPage *self)
{
  self->recover_prompt = NULL;
}

static void
recover_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->recover_prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->recover_prompt));
  self->recover_prompt =
    pdv_manager_prompt_ask (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->context, PDV_PERMISSION_SETTINGS,
                            NULL, _("Recover History"),
                            _("The history this terminal lost is fetched from the sync server and checked; what was "
                              "done here since the restore follows it."),
                            G_CALLBACK (recover_authorised_cb), G_CALLBACK (recover_prompt_destroyed_cb), self);
}

/* ---- Page ----------------------------------------------------------------- */

static gboolean
tick_cb (gpointer user_data)
{
  update (PDV_SYNC_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
mapped_cb (PdvSyncPage *self)
{
  update (self);
  if (self->tick_id == 0)
    self->tick_id = pdv_clock_timeout_add_seconds (pdv_context_get_clock (self->context), TICK_SECONDS,
                                                   tick_cb, self);
}

static void
unmapped_cb (PdvSyncPage *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
set_sync_worker (PdvSyncPage   *self,
                 PdvSyncWorker *sync_worker)
{
  g_assert (self->sync_worker == NULL);

  if (sync_worker == NULL)
    return;
  self->sync_worker = g_object_ref (sync_worker);
  self->status_changed_id = g_signal_connect_object (sync_worker, "status-changed",
                                                     G_CALLBACK (status_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
pdv_sync_page_constructed (GObject *object)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (object);

  G_OBJECT_CLASS (pdv_sync_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  /* The worker's first status is on its way; what the database says now
   * is the same, and here at once. */
  if (self->sync_worker != NULL)
    reload_status (self);
  update (self);
}

static void
pdv_sync_page_dispose (GObject *object)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->recover_prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->recover_prompt));
  if (self->sync_worker != NULL)
    g_clear_signal_handler (&self->status_changed_id, self->sync_worker);
  g_clear_object (&self->sync_worker);

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SYNC_PAGE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_sync_page_parent_class)->dispose (object);
}

static void
pdv_sync_page_finalize (GObject *object)
{
  PdvSyncPage *self = PDV_SYNC_PAGE (object);

  g_clear_pointer (&self->status, pdv_sync_status_free);
  g_clear_pointer (&self->conflict_rows, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pdv_sync_page_parent_class)->finalize (object);
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
    case PROP_SYNC_WORKER:
      g_value_set_object (value, self->sync_worker);
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
    case PROP_SYNC_WORKER:
      set_sync_worker (self, g_value_get_object (value));
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
  object_class->finalize = pdv_sync_page_finalize;
  object_class->get_property = pdv_sync_page_get_property;
  object_class->set_property = pdv_sync_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvSyncPage:sync-worker:
   *
   * The window's sync worker; %NULL for a database that is not a terminal.
   */
  properties[PROP_SYNC_WORKER] =
    g_param_spec_object ("sync-worker", NULL, NULL, PDV_TYPE_SYNC_WORKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvSyncPage::enrolled:
   *
   * The terminal was enrolled from this page; the event the server sent
   * may have changed.
   */
  signals[ENROLLED] =
    g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The journal was given back its history: every page reads it again. */
  signals[RECOVERED] =
    g_signal_new ("history-recovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sync/pdv-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, enrol_group);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, enrol_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, enrol_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, enrol_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, connection_row);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, connection_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, servers_row);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, queued_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, oldest_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, last_success_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, entries_row);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, entries_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, recover_group);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, recover_row);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, recover_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, error_group);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, PdvSyncPage, no_conflicts_row);
  gtk_widget_class_bind_template_callback (widget_class, enrol_form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, enrol_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "sync.enrol", NULL, enrol_action_cb);
  gtk_widget_class_install_action (widget_class, "sync.show-enrolment", NULL, show_enrolment_cb);
  gtk_widget_class_install_action (widget_class, "sync.cancel-enrolment", NULL, cancel_enrolment_cb);
  gtk_widget_class_install_action (widget_class, "sync.sync-now", NULL, sync_now_cb);
  gtk_widget_class_install_action (widget_class, "sync.mark-conflicts-seen", NULL, mark_conflicts_seen_cb);
  gtk_widget_class_install_action (widget_class, "sync.recover", NULL, recover_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "syncpage");
}

static void
pdv_sync_page_init (PdvSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->conflict_rows = g_ptr_array_new ();
  self->shown_conflicts = -1;
  self->shown_open_conflicts = -1;
  self->shown_pull_cursor = -1;

  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmapped_cb), NULL);
}

/**
 * pdv_sync_page_new:
 * @sync_worker: (nullable): the window's worker, %NULL when the database is
 *   not a terminal
 */
GtkWidget *
pdv_sync_page_new (PdvContext    *context,
                   PdvSyncWorker *sync_worker)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (sync_worker == NULL || PDV_IS_SYNC_WORKER (sync_worker), NULL);

  return g_object_new (PDV_TYPE_SYNC_PAGE,
                       "context", context,
                       "sync-worker", sync_worker,
                       NULL);
}

/* ---- For tests ------------------------------------------------------------ */

void
pdv_sync_page_set_enrolment_text (PdvSyncPage *self,
                                  const char  *server,
                                  const char  *code)
{
  g_return_if_fail (PDV_IS_SYNC_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server != NULL ? server : "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code != NULL ? code : "");
}

gboolean
pdv_sync_page_get_enrolling (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), FALSE);
  return self->enrolling;
}

gboolean
pdv_sync_page_get_enrolment_shown (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->enrol_group)) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "sync") == 0;
}

/**
 * pdv_sync_page_get_enrol_error:
 *
 * Returns: (nullable): the error shown under the enrolment form
 */
const char *
pdv_sync_page_get_enrol_error (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->enrol_error_label)))
    return NULL;
  return gtk_label_get_label (self->enrol_error_label);
}

const char *
pdv_sync_page_get_connection_text (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), NULL);
  return gtk_label_get_label (self->connection_label);
}

const char *
pdv_sync_page_get_queued_text (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), NULL);
  return gtk_label_get_label (self->queued_label);
}

/**
 * pdv_sync_page_get_error_text:
 *
 * Returns: (nullable): the last error, when the page shows one
 */
const char *
pdv_sync_page_get_error_text (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_group)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

/* Whether the page offers to recover a restored terminal's history, and
 * the way to it is open. */
gboolean
pdv_sync_page_get_recovery_offered (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->recover_group)) &&
         gtk_widget_is_sensitive (GTK_WIDGET (self->recover_row)) && !self->recovering &&
         self->status != NULL && self->status->diverged;
}

gboolean
pdv_sync_page_get_recovering (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), FALSE);
  return self->recovering;
}

PdvManagerPrompt *
pdv_sync_page_get_recover_prompt (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), NULL);
  return self->recover_prompt;
}

guint
pdv_sync_page_count_conflict_rows (PdvSyncPage *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), 0);
  return self->conflict_rows->len;
}

/**
 * pdv_sync_page_dup_conflict_text:
 *
 * Returns: (transfer full): a conflict row's title and subtitle, and "New"
 *   when it has not been seen
 */
char *
pdv_sync_page_dup_conflict_text (PdvSyncPage *self,
                                 guint        index)
{
  AdwActionRow *row;

  g_return_val_if_fail (PDV_IS_SYNC_PAGE (self), NULL);
  g_return_val_if_fail (index < self->conflict_rows->len, NULL);

  row = g_ptr_array_index (self->conflict_rows, index);
  return g_strdup_printf ("%s\n%s%s",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          adw_action_row_get_subtitle (row),
                          g_object_get_data (G_OBJECT (row), NEW_TAG_KEY) != NULL ? "\nNew" : "");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "pdv-sync.h"
#include "pdvctl.h"

/* Enrolment with a sync server, and synchronisation from a shell: once, in
 * the foreground until interrupted, or just where it stands. */

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup (_("never"));
  local = pdvctl_local_time (time);
  return pdv_datetime_format (local, NULL, PDV_DATETIME_DATE_TIME_SECONDS);
}

static char *
format_age (gint64 seconds)
{
  if (seconds < 120)
    return g_strdup_printf (_("%lld s"), (long long) seconds);
  if (seconds < 2 * 3600)
    return g_strdup_printf (_("%lld min"), (long long) (seconds / 60));
  return g_strdup_printf (_("%lld h"), (long long) (seconds / 3600));
}

static json_t *
time_to_json (GDateTime *time)
{
  g_autofree char *text = NULL;

  if (time == NULL)
    return json_null ();
  text = g_date_time_format_iso8601 (time);
  return json_string (text);
}

/* --cacert FILE: the authority trusted from now on; --system-ca: the
 * system's again. */
static gboolean
apply_trust (PdvContext  *context,
             const char  *cacert,
             gboolean     system_ca,
             GError     **error)
{
  g_autofree char *pem = NULL;

  if (system_ca)
    return pdv_sync_set_tls_ca (pdv_context_get_db (context), NULL, error);
  if (cacert == NULL)
    return TRUE;
  if (!g_file_get_contents (cacert, &pem, NULL, error))
    return FALSE;
  return pdv_sync_set_tls_ca (pdv_context_get_db (context), pem, error);
}

#define TRUST_OPTIONS(cacert, system_ca)                                                                          \
  { "cacert", 0, 0, G_OPTION_ARG_FILENAME, &(cacert),                                                             \
    N_("Trust the sync server’s certificate when this certificate authority (PEM) signed it, instead of the "     \
       "system’s authorities; kept for next time"), N_("FILE") },                                                \
  { "system-ca", 0, 0, G_OPTION_ARG_NONE, &(system_ca),                                                          \
    N_("Trust the system’s certificate authorities again"), NULL }

static json_t *
status_to_json (const PdvSyncStatus *status,
                GStrv                servers)
{
  json_t *list = json_array ();

  for (guint i = 0; servers != NULL && servers[i] != NULL; i++)
    json_array_append_new (list, json_string (servers[i]));
  return json_pack ("{s:b, s:o, s:b, s:b, s:s?, s:I, s:I, s:I, s:o, s:I, s:o, s:o, s:s?, s:o, s:I, s:I, s:I, s:b}",
                    "ok", TRUE,
                    "servers", list,
                    "enrolled", status->enrolled,
                    "online", status->online,
                    "server", status->server,
                    "last_seq", (json_int_t) status->last_seq,
                    "acked_seq", (json_int_t) status->acked_seq,
                    "queued", (json_int_t) status->queued,
                    "oldest_unsynced", time_to_json (status->oldest_unsynced),
                    "oldest_unsynced_age_s", (json_int_t) pdv_sync_status_get_oldest_age (status, NULL),
                    "last_attempt", time_to_json (status->last_attempt),
                    "last_success", time_to_json (status->last_success),
                    "last_error", status->last_error,
                    "last_error_at", time_to_json (status->last_error_at),
                    "pull_cursor", (json_int_t) status->pull_cursor,
                    "conflicts", (json_int_t) status->conflicts,
                    "open_conflicts", (json_int_t) status->open_conflicts,
                    "diverged", status->diverged);
}

static json_t *
conflict_to_json (const PdvSyncConflict *conflict)
{
  json_t *item;

  item = json_pack ("{s:s?, s:s, s:s?, s:I, s:s?, s:s?, s:s, s:I, s:s?, s:s?, s:s?, s:s, s:b}",
                    "id", conflict->id,
                    "ticket_id", conflict->ticket_id,
                    "winner_terminal", conflict->winner_terminal,
                    "winner_seq", (json_int_t) conflict->winner_seq,
                    "winner_at", conflict->winner_at,
                    "winner_gate", conflict->winner_gate,
                    "loser_terminal", conflict->loser_terminal,
                    "loser_seq", (json_int_t) conflict->loser_seq,
                    "loser_at", conflict->loser_at,
                    "loser_gate", conflict->loser_gate,
                    "reason", conflict->reason,
                    "created_at", conflict->created_at,
                    "seen", conflict->seen);
  /* A ficha served at two counters: which one. */
  if (pdv_ficha_id_from_conflict (conflict->ticket_id) != NULL)
    json_object_set_new (item, "ficha", json_string (pdv_ficha_id_from_conflict (conflict->ticket_id)));
  return item;
}

static void
print_conflict (const PdvSyncConflict *conflict)
{
  const char *ficha = pdv_ficha_id_from_conflict (conflict->ticket_id);

  if (ficha != NULL && conflict->winner_terminal != NULL)
    {
      g_autofree char *code = pdv_ficha_code_for_id (ficha);

      g_print (_("  Ficha %s: served at %s (%s) first; served again at %s (%s, entry %lld of terminal %s)%s\n"),
               code != NULL ? code : ficha,
               conflict->winner_gate ? conflict->winner_gate : "?",
               conflict->winner_at ? conflict->winner_at : "?",
               conflict->loser_gate ? conflict->loser_gate : "?",
               conflict->loser_at ? conflict->loser_at : "?",
               (long long) conflict->loser_seq, conflict->loser_terminal,
               conflict->seen ? "" : _(" (not seen)"));
      return;
    }
  if (conflict->winner_terminal != NULL)
    g_print (_("  %s: admitted at %s (%s) first; the admission at %s (%s, entry %lld of terminal %s) came second%s\n"),
             conflict->ticket_id,
             conflict->winner_gate ? conflict->winner_gate : "?",
             conflict->winner_at ? conflict->winner_at : "?",
             conflict->loser_gate ? conflict->loser_gate : "?",
             conflict->loser_at ? conflict->loser_at : "?",
             (long long) conflict->loser_seq, conflict->loser_terminal,
             conflict->seen ? "" : _(" (not seen)"));
  else
    g_print (_("  %s: entry %lld of this terminal lost: %s%s\n"),
             conflict->ticket_id, (long long) conflict->loser_seq,
             conflict->reason ? conflict->reason : "?",
             conflict->seen ? "" : _(" (not seen)"));
}

static int
print_status (Options    *options,
              PdvContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSyncStatus) status = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_auto(GStrv) servers = NULL;
  PdvDb *db = pdv_context_get_db (context);

  status = pdv_sync_load_status (db, &error);
  if (status == NULL || (servers = pdv_sync_dup_servers (db, &error)) == NULL ||
      (conflicts = pdv_sync_list_conflicts (db, FALSE, &error)) == NULL)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_t *body = status_to_json (status, servers);
      json_t *list = json_array ();

      for (guint i = 0; i < conflicts->len; i++)
        json_array_append_new (list, conflict_to_json (g_ptr_array_index (conflicts, i)));
      json_object_set_new (body, "conflict_list", list);
      pdvctl_print_json (body);
      json_decref (body);
      return 0;
    }

  {
    g_autofree char *joined = g_strjoinv (", ", servers);
    g_autofree char *success = format_time (status->last_success);

    g_print (_("Servers:         %s\n"), *joined ? joined : _("none (run “pdvctl enroll”)"));
    g_print (_("State:           %s\n"),
             !status->enrolled ? _("not enrolled") :
             status->last_attempt == NULL ? _("never synchronised") :
             status->online ? _("online") : _("offline"));
    if (status->queued > 0)
      {
        g_autofree char *age = format_age (pdv_sync_status_get_oldest_age (status, NULL));
        g_autofree char *since = format_time (status->oldest_unsynced);

        g_print (_("Queued entries:  %lld (the oldest has waited %s, since %s)\n"),
                 (long long) status->queued, age, since);
      }
    else
      g_print (_("Queued entries:  0\n"));
    g_print (_("Delivered:       up to entry %lld of %lld\n"), (long long) status->acked_seq,
             (long long) status->last_seq);
    g_print (_("Last success:    %s\n"), success);
    if (status->last_error != NULL)
      {
        g_autofree char *when = format_time (status->last_error_at);
        g_print (_("Last error:      %s (%s)\n"), status->last_error, when);
      }
    g_print (_("Conflicts:       %lld (%lld not seen)\n"), (long long) status->conflicts,
             (long long) status->open_conflicts);
    for (guint i = 0; i < conflicts->len; i++)
      print_conflict (g_ptr_array_index (conflicts, i));
  }
  return 0;
}

static int
sync_once (Options    *options,
           PdvContext *context)
{
  g_autoptr(GError) error = NULL;
  g_auto(PdvSyncSummary) summary = { 0 };

  if (!pdv_sync_run_once (pdv_context_get_db (context), NULL, &summary, &error))
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
                                "ok", TRUE,
                                "server", summary.server,
                                "pushed", (json_int_t) summary.pushed,
                                "duplicates", (json_int_t) summary.duplicates,
                                "conflicts", (json_int_t) summary.conflicts,
                                "acked_seq", (json_int_t) summary.acked_seq,
                                "pulled", (json_int_t) summary.pulled,
                                "documents", (json_int_t) summary.documents,
                                "checkins", (json_int_t) summary.checkins,
                                "pulled_conflicts", (json_int_t) summary.pulled_conflicts,
                                "cursor", (json_int_t) summary.cursor);
      pdvctl_print_json (body);
      json_decref (body);
      return 0;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "Pushed %lld entry to %s", "Pushed %lld entries to %s",
                        (gulong) summary.pushed),
           (long long) summary.pushed, summary.server);
  g_print (_(" (%lld already there, %lld lost a conflict); the server holds everything up to entry %lld.\n"),
           (long long) summary.duplicates, (long long) summary.conflicts, (long long) summary.acked_seq);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Pulled %lld change", "Pulled %lld changes", (gulong) summary.pulled),
           (long long) summary.pulled);
  g_print (_(": %lld lists, %lld scans at other terminals, %lld conflicts.\n"),
           (long long) summary.documents, (long long) summary.checkins, (long long) summary.pulled_conflicts);
  if (summary.conflicts > 0 || summary.pulled_conflicts > 0)
    g_print (_("Two gates admitted the same ticket: see “pdvctl sync --status”.\n"));
  return 0;
}

typedef struct {
  Options   *options;
  GMainLoop *loop;
} Foreground;

static void
status_changed_cb (PdvSyncWorker       *worker,
                   const PdvSyncStatus *status,
                   Foreground          *foreground)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = pdv_datetime_format (now, NULL, PDV_DATETIME_TIME_SECONDS);
  g_autoptr(GString) line = g_string_new (NULL);

  if (foreground->options->json)
    {
      json_t *body = status_to_json (status, NULL);
      char *text = json_dumps (body, JSON_COMPACT | JSON_ENSURE_ASCII);

      g_print ("%s\n", text);
      free (text);
      json_decref (body);
      return;
    }

  g_string_append_printf (line, "[%s] %s", clock,
                          !status->enrolled ? _("not enrolled") : status->online ? _("online") : _("offline"));
  g_string_append_printf (line, _(" · %lld queued"), (long long) status->queued);
  if (status->queued > 0)
    {
      g_autofree char *age = format_age (pdv_sync_status_get_oldest_age (status, now));
      g_string_append_printf (line, _(" (the oldest has waited %s)"), age);
    }
  if (status->last_success != NULL)
    {
      g_autoptr(GDateTime) local = pdvctl_local_time (status->last_success);
      g_autofree char *when = pdv_datetime_format (local, NULL, PDV_DATETIME_TIME_SECONDS);
      g_string_append_printf (line, _(" · last success %s"), when);
    }
  if (status->open_conflicts > 0)
    g_string_append_printf (line, _(" · %lld conflicts not seen"), (long long) status->open_conflicts);
  if (status->last_error != NULL)
    g_string_append_printf (line, " · %s", status->last_error);
  g_print ("%s\n", line->str);
}

static gboolean
interrupted_cb (gpointer data)
{
  Foreground *foreground = data;

  g_main_loop_quit (foreground->loop);
  return G_SOURCE_CONTINUE;
}

static int
sync_foreground (Options *options,
                 guint    poll_interval)
{
  g_autoptr(PdvSyncWorker) worker = pdv_sync_worker_new (options->db_path);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Foreground foreground = { options, loop };
  guint sigint_id, sigterm_id;

  if (poll_interval > 0)
    pdv_sync_worker_set_poll_interval (worker, poll_interval);
  g_signal_connect (worker, "status-changed", G_CALLBACK (status_changed_cb), &foreground);
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, &foreground);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, &foreground);

  if (!options->json)
    g_print (_("Synchronising %s; Ctrl+C stops.\n"), options->db_path);
  pdv_sync_worker_start (worker);
  g_main_loop_run (loop);
  pdv_sync_worker_stop (worker);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return 0;
}

int
pdvctl_command_sync (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_auto(GStrv) servers = NULL;
  gboolean once = FALSE;
  gboolean status = FALSE;
  gint poll_interval = 0;
  g_autofree char *cacert = NULL;
  gboolean system_ca = FALSE;
  GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_("Push and pull everything once, then exit"), NULL },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status, N_("Show where synchronisation stands, without the network"), NULL },
    { "server", 0, 0, G_OPTION_ARG_STRING_ARRAY, &servers,
      N_("Use these servers, in order of preference (repeat the option); kept for next time"), N_("URL") },
    { "poll", 0, 0, G_OPTION_ARG_INT, &poll_interval, N_("Seconds between rounds when all is well (default 30)"),
      N_("SECONDS") },
    TRUST_OPTIONS (cacert, system_ca),
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("— synchronise with the sync server (Ctrl+C stops)"), entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) > 1)
    return pdvctl_fail_usage (options, _("sync takes no arguments; see “pdvctl sync --help”"));
  if (once && status)
    return pdvctl_fail_usage (options, _("--once and --status do not go together"));
  if (cacert != NULL && system_ca)
    return pdvctl_fail_usage (options, _("--cacert and --system-ca do not go together"));
  if (poll_interval < 0 || poll_interval > 24 * 3600)
    return pdvctl_fail_usage (options, _("--poll takes a number of seconds between 1 and 86400"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  if (servers != NULL && !pdv_sync_set_servers (pdv_context_get_db (context), (const char * const *) servers, &error))
    return pdvctl_fail_error (options, error);
  if (!apply_trust (context, cacert, system_ca, &error))
    return pdvctl_fail_error (options, error);

  if (status)
    return print_status (options, context);
  if (once)
    return sync_once (options, context);
  /* The worker opens its own connection. */
  g_clear_object (&context);
  return sync_foreground (options, (guint) poll_interval);
}

int
pdvctl_command_enroll (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autofree char *name = NULL;
  g_autofree char *event_name = NULL;
  g_auto(GStrv) servers = NULL;
  PdvJournal *journal;
  g_autofree char *cacert = NULL;
  gboolean system_ca = FALSE;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("What people call this terminal, if it is not set up yet (default: the host name)"), N_("NAME") },
    TRUST_OPTIONS (cacert, system_ca),
    { NULL }
  };
  guint n_args;

  if (!pdvctl_parse_options (options, _("URL CODE | PDVENROLL1:URL#CODE — make this terminal known to a sync server"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  n_args = g_strv_length (options->args) - 1;
  if (n_args < 1 || n_args > 2 ||
      (n_args == 1 && !g_str_has_prefix (options->args[1], "PDVENROLL1:")))
    return pdvctl_fail_usage (options, _("enroll needs the server’s URL and the enrolment code, or the text of the "
                                   "enrolment QR code (PDVENROLL1:URL#CODE)"));

  if (cacert != NULL && system_ca)
    return pdvctl_fail_usage (options, _("--cacert and --system-ca do not go together"));

  context = pdvctl_open_context (options, FALSE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  journal = pdv_context_get_journal (context);
  if (!pdv_journal_is_initialised (journal))
    {
      if (name == NULL)
        name = g_strdup (g_get_host_name ());
      if (!pdv_journal_initialise (journal, name, &error))
        return pdvctl_fail_error (options, error);
      if (!options->json)
        g_print (_("Terminal “%s” (%s) created in %s\n"), name, pdv_journal_get_terminal_id (journal),
                 options->db_path);
    }
  g_clear_pointer (&name, g_free);
  name = pdv_context_dup_terminal_name (context);
  if (!apply_trust (context, cacert, system_ca, &error))
    return pdvctl_fail_error (options, error);

  if (!pdv_sync_enroll (pdv_context_get_db (context), options->args[1], n_args == 2 ? options->args[2] : NULL,
                        &error))
    return pdvctl_fail_error (options, error);

  servers = pdv_sync_dup_servers (pdv_context_get_db (context), &error);
  if (servers == NULL)
    return pdvctl_fail_error (options, error);
  event_name = pdv_context_dup_event_name (context);

  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s, s:s, s:s?, s:s?}", "ok", TRUE,
                                "server", servers[0],
                                "terminal_id", pdv_journal_get_terminal_id (journal),
                                "terminal_name", name,
                                "event", event_name);
      pdvctl_print_json (body);
      json_decref (body);
      return 0;
    }
  g_print (_("Terminal “%s” is enrolled with %s.\n"), name ? name : pdv_journal_get_terminal_id (journal),
           servers[0]);
  if (event_name != NULL)
    g_print (_("Event: %s\n"), event_name);
  g_print (_("Run “pdvctl sync --once” to synchronise now.\n"));
  return 0;
}

int
pdvctl_command_recover (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(GError) alarm_error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autofree char *server = NULL;
  PdvJournalRecovery recovery = { 0 };
  gboolean checked;

  if (!pdvctl_parse_options (options, _("— give a terminal restored from a backup its history back from the sync "
                                        "server"),
                             NULL, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) > 1)
    return pdvctl_fail_usage (options, _("recover takes no arguments; see “pdvctl help recover”"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  if (!pdv_sync_recover (pdv_context_get_db (context), NULL, NULL, &recovery, &server, &error))
    return pdvctl_fail_error (options, error);

  /* The history may hold imports this copy never applied: say so now, as
   * verify would. */
  checked = recovery.marker_seq == 0 ||
            pdv_check_state (pdv_context_get_journal (context), TRUE, NULL, NULL, NULL, &check_error);
  if (recovery.marker_seq > 0 && !pdv_alarm_follow_check (pdv_context_get_journal (context), check_error, &alarm_error))
    g_debug ("The alarm was left as it was: %s", alarm_error->message);

  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s?, s:I, s:I, s:I, s:I, s:I, s:b, s:s?}", "ok", TRUE,
                                "server", server,
                                "common_seq", (json_int_t) recovery.common_seq,
                                "recovered", (json_int_t) recovery.recovered,
                                "rewritten", (json_int_t) recovery.rewritten,
                                "marker_seq", (json_int_t) recovery.marker_seq,
                                "last_seq", (json_int_t) recovery.last_seq,
                                "state_ok", checked,
                                "state_error", check_error ? check_error->message : NULL);
      pdvctl_print_json (body);
      json_decref (body);
      return 0;
    }
  if (recovery.marker_seq == 0)
    {
      g_print (_("Nothing to recover: the sync server holds no entry of this terminal that its journal lacks.\n"));
      return 0;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Recovered %lld entry from %s after entry %lld, where this journal and the server’s copy "
                        "agree.\n",
                        "Recovered %lld entries from %s after entry %lld, where this journal and the server’s copy "
                        "agree.\n",
                        recovery.recovered),
           (long long) recovery.recovered, server, (long long) recovery.common_seq);
  if (recovery.rewritten > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%lld entry made since the restore was written again after them, as entry %lld to %lld, "
                          "marked as made on a restored terminal; as first written it is kept aside.\n",
                          "%lld entries made since the restore were written again after them, as entries %lld to "
                          "%lld, marked as made on a restored terminal; as first written they are kept aside.\n",
                          recovery.rewritten),
             (long long) recovery.rewritten, (long long) (recovery.marker_seq + 1), (long long) recovery.last_seq);
  if (!checked)
    g_print (_("The recovered history changed what this copy holds: %s\n"
               "Import the event’s lists again (“pdvctl sync --once” fetches the server’s).\n"),
             check_error->message);
  g_print (_("Run “pdvctl sync --once” to deliver the rest.\n"));
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-checkin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-checkin-private.h"
#include "pdv-datetime.h"
#include "pdv-db-private.h"

/* How a scan becomes a verdict: reading the input, identifying the ticket,
 * then the rules in the order docs/TICKETS.md gives them. */

/* The bytes of unreadable input kept in the journal, for support. */
#define INPUT_HEAD_BYTES 64

typedef struct {
  gboolean  known;
  gboolean  inside;
  gint64    entries;
  gint64    exits;
} PdvCheckinTicketState;

void
pdv_checkin_event_clear (PdvCheckinEvent *event)
{
  g_clear_pointer (&event->event_id, g_free);
  g_clear_pointer (&event->timezone, g_time_zone_unref);
}

void
pdv_checkin_ticket_clear (PdvCheckinTicket *ticket)
{
  g_clear_pointer (&ticket->id, g_free);
  g_clear_pointer (&ticket->event_id, g_free);
  g_clear_pointer (&ticket->order_code, g_free);
  g_clear_pointer (&ticket->holder_name, g_free);
  g_clear_pointer (&ticket->attention, g_free);
  g_clear_pointer (&ticket->type, g_free);
  g_clear_pointer (&ticket->zone, g_free);
  g_clear_pointer (&ticket->status, g_free);
}

/* What a scan needs of the event, parsed once for as long as the event and
 * its key stay as they are (GLib, for one, would read the zone's file again
 * at every scan). */
static struct {
  GMutex     lock;
  char      *text;
  char      *key_text;
  gint64     capacity;
  GTimeZone *timezone;
  gboolean   has_key;
  guint8     key[PDV_TICKET_PUBLIC_KEY_BYTES];
} parsed_event;

void
pdv_checkin_event_load (PdvDb           *db,
                        PdvCheckinEvent *event)
{
  g_autofree char *text = pdv_db_get_meta (db, "event");
  g_autofree char *key = pdv_db_get_meta (db, "ticket_public_key");

  event->event_id = pdv_db_get_meta (db, "event_id");
  g_mutex_lock (&parsed_event.lock);
  if (parsed_event.timezone == NULL || g_strcmp0 (parsed_event.text, text) != 0 ||
      g_strcmp0 (parsed_event.key_text, key) != 0)
    {
      g_autoptr(json_t) object = text ? json_loads (text, 0, NULL) : NULL;
      const char *timezone = json_string_value (json_object_get (object, "timezone"));
      json_t *capacity = json_object_get (object, "capacity");

      g_free (parsed_event.text);
      g_free (parsed_event.key_text);
      g_clear_pointer (&parsed_event.timezone, g_time_zone_unref);
      parsed_event.text = g_strdup (text);
      parsed_event.key_text = g_strdup (key);
      parsed_event.capacity = json_is_integer (capacity) ? MAX (json_integer_value (capacity), 0) : 0;
      if (timezone != NULL)
        parsed_event.timezone = g_time_zone_new_identifier (timezone);
      if (parsed_event.timezone == NULL)
        parsed_event.timezone = g_time_zone_new_local ();
      parsed_event.has_key = key != NULL && pdv_ticket_public_key_parse (key, parsed_event.key, NULL);
    }
  event->capacity = parsed_event.capacity;
  event->timezone = g_time_zone_ref (parsed_event.timezone);
  event->has_key = parsed_event.has_key;
  memcpy (event->key, parsed_event.key, sizeof event->key);
  g_mutex_unlock (&parsed_event.lock);
}

/* Times on the door screen are the event's local time; the date only when it
 * is not today. */
static char *
format_when (GDateTime             *when,
             GDateTime             *now,
             const PdvCheckinEvent *event,
             gboolean               always_date)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, event->timezone);
  g_autoptr(GDateTime) local_now = g_date_time_to_timezone (now, event->timezone);

  if (!always_date &&
      g_date_time_get_year (local) == g_date_time_get_year (local_now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (local_now))
    return pdv_datetime_format (local, NULL, PDV_DATETIME_TIME);
  return pdv_datetime_format (local, NULL, PDV_DATETIME_DAY_TIME);
}

static GDateTime *
unix_to_time (gint64 seconds)
{
  return g_date_time_new_from_unix_utc (seconds);
}

/* The ticket list's times are ISO 8601 text. */
static gboolean
parse_list_time (const char *text,
                 gint64     *out_seconds)
{
  g_autoptr(GDateTime) time = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (time == NULL)
    return FALSE;
  *out_seconds = g_date_time_to_unix (time);
  return TRUE;
}

static gboolean
read_ticket_row (PdvDb             *db,
                 const char        *sql,
                 const char        *key,
                 PdvCheckinTicket  *ticket,
                 gboolean          *out_found,
                 GError           **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, error);
  int rc;

  *out_found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_found = TRUE;
      ticket->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      ticket->order_code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      ticket->holder_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      ticket->type = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      ticket->zone = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      ticket->has_valid_from = parse_list_time ((const char *) sqlite3_column_text (stmt, 5),
                                                &ticket->valid_from);
      ticket->has_valid_until = parse_list_time ((const char *) sqlite3_column_text (stmt, 6),
                                                 &ticket->valid_until);
      if (!pdv_entry_policy_from_string ((const char *) sqlite3_column_text (stmt, 7), &ticket->policy))
        ticket->policy = PDV_ENTRY_POLICY_SINGLE;
      ticket->status = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      ticket->attention = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the ticket list"));
  return TRUE;
}

#define TICKET_COLUMNS \
  "id, order_code, holder_name, type, zone, valid_from, valid_until, entry_policy, status, attention"

static gboolean
find_by_secret (PdvDb             *db,
                const char        *secret,
                PdvCheckinTicket  *ticket,
                gboolean          *out_found,
                GError           **error)
{
  return read_ticket_row (db, "SELECT " TICKET_COLUMNS " FROM tickets WHERE secret = ?",
                          secret, ticket, out_found, error);
}

gboolean
pdv_checkin_find_ticket (PdvDb             *db,
                         const char        *id,
                         PdvCheckinTicket  *ticket,
                         gboolean          *out_found,
                         GError           **error)
{
  return read_ticket_row (db, "SELECT " TICKET_COLUMNS " FROM tickets WHERE id = ?",
                          id, ticket, out_found, error);
}

static void
ticket_from_claims (PdvCheckinTicket *ticket,
                    PdvTicketClaims  *claims)
{
  ticket->id = g_steal_pointer (&claims->ticket_id);
  ticket->event_id = g_steal_pointer (&claims->event_id);
  ticket->holder_name = g_steal_pointer (&claims->holder_name);
  ticket->type = g_steal_pointer (&claims->type);
  ticket->zone = g_steal_pointer (&claims->zone);
  ticket->status = g_strdup ("valid");
  ticket->policy = claims->policy;
  ticket->is_signed = TRUE;
  ticket->has_valid_from = claims->has_valid_from;
  ticket->valid_from = claims->valid_from;
  ticket->has_valid_until = claims->has_valid_until;
  ticket->valid_until = claims->valid_until;
}

static gboolean
load_revocation (PdvDb       *db,
                 const char  *ticket_id,
                 char       **out_reason,
                 GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT reason FROM revocations WHERE ticket_id = ?", error);
  int rc;

  *out_reason = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_reason = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the revocation list"));
  return TRUE;
}

/* Scans accepted at other terminals, pulled from the sync server (the latest
 * per terminal): any of them means the ticket was used, and the latest scan
 * anywhere, here or there, says whether it is inside and where it was last
 * seen. */
static gboolean
merge_remote_state (PdvDb                  *db,
                    const char             *ticket_id,
                    PdvCheckinTicketState  *state,
                    PdvCheckinResult       *result,
                    GError                **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT direction, at, gate FROM remote_checkins WHERE ticket_id = ?",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean entered = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "exit") != 0;
      GDateTime *at = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 1), NULL);

      if (at == NULL)
        continue;
      state->known = TRUE;
      state->entries++;
      if (result->last_at == NULL || g_date_time_compare (at, result->last_at) > 0)
        {
          g_clear_pointer (&result->last_at, g_date_time_unref);
          result->last_at = g_steal_pointer (&at);
          g_free (result->last_gate);
          result->last_gate = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          result->last_direction = entered ? PDV_CHECKIN_ENTRY : PDV_CHECKIN_EXIT;
          state->inside = entered;
        }
      g_clear_pointer (&at, g_date_time_unref);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the ticket states"));
  return TRUE;
}

static gboolean
load_state (PdvDb                  *db,
            const char             *ticket_id,
            PdvCheckinTicketState  *state,
            PdvCheckinResult       *result,
            GError                **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT inside, entries, exits, last_at, last_gate, last_direction "
                                       "FROM ticket_state WHERE ticket_id = ?",
                                       error);
  int rc;

  memset (state, 0, sizeof *state);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->known = TRUE;
      state->inside = sqlite3_column_int (stmt, 0) != 0;
      state->entries = sqlite3_column_int64 (stmt, 1);
      state->exits = sqlite3_column_int64 (stmt, 2);
      result->last_at = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 3), NULL);
      result->last_gate = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      result->last_direction = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 5), "exit") == 0
                               ? PDV_CHECKIN_EXIT : PDV_CHECKIN_ENTRY;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the ticket states"));
  return merge_remote_state (db, ticket_id, state, result, error);
}

gboolean
pdv_checkin_load_occupancy (PdvDb         *db,
                            PdvOccupancy  *occupancy,
                            GError       **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT inside, entries, exits, refusals FROM door_counts WHERE key = 'gate'",
                                       error);
  int rc;

  memset (occupancy, 0, sizeof *occupancy);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      occupancy->inside = sqlite3_column_int64 (stmt, 0);
      occupancy->entries = sqlite3_column_int64 (stmt, 1);
      occupancy->exits = sqlite3_column_int64 (stmt, 2);
      occupancy->refusals = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the occupancy"));
  occupancy->gate_inside = occupancy->inside;

  /* The venue: this gate's scans and every other gate's this terminal has
   * pulled, and when it last heard from them. */
  stmt = pdv_db_prepare (db,
                         "SELECT (SELECT COALESCE (SUM (inside), 0) FROM door_counts WHERE key >= 'zone:' AND key < 'zone;'), "
                         "  (SELECT last_success_at FROM sync_state WHERE id = 1), "
                         "  EXISTS (SELECT 1 FROM sync_servers)",
                         error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *heard = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(GDateTime) heard_at = heard ? g_date_time_new_from_iso8601 (heard, NULL) : NULL;

      occupancy->inside = sqlite3_column_int64 (stmt, 0);
      occupancy->others_as_of = heard_at ? g_date_time_to_unix (heard_at) : 0;
      occupancy->shared = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return pdv_db_set_error (db, error, _("Reading the occupancy"));
  return TRUE;
}

/* What a scan that identified no ticket leaves in the journal: never the
 * text itself, which could be someone's valid secret. */
json_t *
pdv_checkin_input_summary (const char *text,
                           gsize       length,
                           const char *problem)
{
  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, length);
  json_t *summary = json_pack ("{s:I, s:s}", "length", (json_int_t) length, "sha256", sha256);

  if (problem != NULL)
    {
      GString *head = g_string_sized_new (2 * INPUT_HEAD_BYTES);

      for (gsize i = 0; i < MIN (length, INPUT_HEAD_BYTES); i++)
        g_string_append_printf (head, "%02x", (guchar) text[i]);
      json_object_set_new (summary, "head", json_string (head->str));
      json_object_set_new (summary, "problem", json_string (problem));
      g_string_free (head, TRUE);
    }
  return summary;
}

void
pdv_checkin_set_message (PdvCheckinResult *result,
                         char             *message,
                         char             *detail)
{
  g_free (result->message);
  result->message = message;
  g_free (result->detail);
  result->detail = detail;
}

void
pdv_checkin_refuse_unreadable (PdvCheckinResult  *result,
                               const char        *problem,
                               const char       **out_problem)
{
  const char *detail;

  result->verdict = PDV_CHECKIN_UNREADABLE;
  if (out_problem != NULL)
    *out_problem = problem;
  if (g_str_equal (problem, "empty"))
    detail = _("Nothing was read");
  else if (g_str_equal (problem, "too_long"))
    detail = _("Far too long to be a ticket");
  else if (g_str_equal (problem, "signed_contents"))
    detail = _("The ticket is signed by the event but its contents are not valid; ask the ticket office");
  else
    detail = _("This is not a ticket code");
  pdv_checkin_set_message (result, g_strdup (_("Unreadable code: scan again")), g_strdup (detail));
}

/* A scanner may end what it read with CR, LF, tab or spaces (a keyboard-wedge
 * suffix), or start it with some: those are dropped. Anything else that is
 * not plain text makes the input unreadable.
 *
 * Returns: (nullable): the code, or %NULL with @out_problem set */
char *
pdv_checkin_read_input (const char  *text,
                        gsize        length,
                        const char **out_problem)
{
  const char *start = text;
  const char *end = text + length;

  *out_problem = NULL;
  if (length > PDV_CHECKIN_MAX_INPUT)
    *out_problem = "too_long";
  else if (memchr (text, '\0', length) != NULL)
    *out_problem = "nul";
  else if (!g_utf8_validate_len (text, length, NULL))
    *out_problem = "not_utf8";
  if (*out_problem != NULL)
    return NULL;

  while (start < end && (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n'))
    start++;
  while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
    end--;
  if (start == end)
    {
      *out_problem = "empty";
      return NULL;
    }
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        *out_problem = "control";
        return NULL;
      }
  return g_strndup (start, end - start);
}

/* A ticket-list secret: 8 to 256 characters without spaces, as the import
 * accepts them. */
static gboolean
looks_like_secret (const char *code)
{
  glong chars = g_utf8_strlen (code, -1);

  if (chars < 8 || chars > 256)
    return FALSE;
  for (const char *p = code; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
fill_ticket (PdvCheckinResult       *result,
             const PdvCheckinTicket *ticket,
             json_t                 *payload)
{
  result->ticket_id = g_strdup (ticket->id);
  result->holder_name = g_strdup (ticket->holder_name);
  result->attention = g_strdup (ticket->attention);
  result->order_code = g_strdup (ticket->order_code);
  result->type = g_strdup (ticket->type);
  result->zone = g_strdup (ticket->zone);
  result->policy = ticket->policy;
  result->is_signed = ticket->is_signed;
  json_object_set_new (payload, "ticket_id", json_string (ticket->id));
  json_object_set_new (payload, "signed", json_boolean (ticket->is_signed));
  /* Counted per zone by the venue, here and at every gate that pulls it. */
  if (ticket->zone != NULL)
    json_object_set_new (payload, "zone", json_string (ticket->zone));
  /* The sync server arbitrates admissions by the ticket's entry policy. */
  json_object_set_new (payload, "policy", json_string (pdv_entry_policy_to_string (ticket->policy)));
}

static char *
welcome (const PdvCheckinTicket *ticket,
         gboolean                again)
{
  if (ticket->holder_name == NULL)
    return g_strdup (again ? _("Valid ticket: re-entry") : _("Valid ticket"));
  return g_strdup_printf (again ? _("Welcome back, %s") : _("Welcome, %s"), ticket->holder_name);
}

/* The rules for an identified ticket, in order. Fills the verdict and the
 * message; the caller journals them. */
gboolean
pdv_checkin_judge (PdvDb                   *db,
                   const char * const      *zones,
                   const PdvCheckinTicket  *ticket,
                   PdvCheckinDirection      direction,
                   GDateTime               *now,
                   const PdvCheckinEvent   *event,
                   PdvCheckinResult        *result,
                   json_t                  *payload,
                   GError                 **error)
{
  g_autofree char *revoked_reason = NULL;
  g_autofree char *last_when = NULL;
  g_autofree char *stale_warning = NULL;
  gint64 stale_for;
  PdvOccupancy occupancy;
  PdvCheckinTicketState state;
  gint64 now_s = g_date_time_to_unix (now);
  gint64 inside_after;

  fill_ticket (result, ticket, payload);

  if (ticket->is_signed && g_strcmp0 (ticket->event_id, event->event_id) != 0)
    {
      result->verdict = PDV_CHECKIN_WRONG_EVENT;
      json_object_set_new (payload, "event_id", json_string (ticket->event_id));
      pdv_checkin_set_message (result, g_strdup (_("Ticket for another event")),
                   g_strdup_printf (_("This ticket is for “%s”"), ticket->event_id));
      return TRUE;
    }

  if (!load_state (db, ticket->id, &state, result, error) ||
      !pdv_checkin_load_occupancy (db, &occupancy, error))
    return FALSE;
  last_when = result->last_at != NULL ? format_when (result->last_at, now, event, FALSE) : g_strdup ("—");

  /* Whoever is inside may always leave, whatever became of the ticket. */
  if (direction == PDV_CHECKIN_EXIT)
    {
      if (state.inside)
        {
          result->verdict = PDV_CHECKIN_EXITED;
          pdv_checkin_set_message (result, ticket->holder_name ? g_strdup_printf (_("Exit recorded: %s"), ticket->holder_name)
                                                   : g_strdup (_("Exit recorded")),
                       NULL);
        }
      else
        {
          result->verdict = PDV_CHECKIN_NOT_INSIDE;
          pdv_checkin_set_message (result, g_strdup (_("Not inside: this ticket has no entry to leave from")),
                       result->last_at != NULL ? g_strdup_printf (_("Left at %s at %s"), result->last_gate, last_when)
                                               : NULL);
        }
      return TRUE;
    }

  if (!load_revocation (db, ticket->id, &revoked_reason, error))
    return FALSE;
  if (revoked_reason != NULL)
    {
      result->verdict = PDV_CHECKIN_REVOKED;
      pdv_checkin_set_message (result, g_strdup (_("Revoked ticket")), g_strdup (revoked_reason));
      return TRUE;
    }
  if (g_strcmp0 (ticket->status, "valid") != 0)
    {
      result->verdict = PDV_CHECKIN_CANCELLED;
      pdv_checkin_set_message (result, g_strdup (g_strcmp0 (ticket->status, "blocked") == 0 ? _("Blocked ticket")
                                                                                : _("Cancelled ticket")),
                   ticket->order_code ? g_strdup_printf (_("Order %s"), ticket->order_code) : NULL);
      return TRUE;
    }

  /* Both ends of the window are valid times, to the second. */
  if (ticket->has_valid_from && now_s < ticket->valid_from)
    {
      g_autoptr(GDateTime) from = unix_to_time (ticket->valid_from);
      g_autofree char *shown = format_when (from, now, event, TRUE);

      result->verdict = PDV_CHECKIN_NOT_YET_VALID;
      pdv_checkin_set_message (result, g_strdup_printf (_("Not valid yet: from %s"), shown), NULL);
      return TRUE;
    }
  if (ticket->has_valid_until && now_s > ticket->valid_until)
    {
      g_autoptr(GDateTime) until = unix_to_time (ticket->valid_until);
      g_autofree char *shown = format_when (until, now, event, TRUE);

      result->verdict = PDV_CHECKIN_EXPIRED;
      pdv_checkin_set_message (result, g_strdup_printf (_("Expired: valid until %s"), shown), NULL);
      return TRUE;
    }

  if (zones != NULL && !g_strv_contains (zones, ticket->zone))
    {
      g_autofree char *admitted = g_strjoinv (", ", (GStrv) zones);

      result->verdict = PDV_CHECKIN_WRONG_ZONE;
      pdv_checkin_set_message (result, g_strdup_printf (_("Wrong zone: this ticket is for “%s”"), ticket->zone),
                   g_strdup_printf (_("This gate admits: %s"), admitted));
      return TRUE;
    }

  if (ticket->policy == PDV_ENTRY_POLICY_SINGLE && state.entries > 0)
    {
      result->verdict = PDV_CHECKIN_ALREADY_USED;
      pdv_checkin_set_message (result, g_strdup_printf (_("Already used at %s at %s"), result->last_gate, last_when),
                   g_strdup (_("This ticket admits one entry only")));
      return TRUE;
    }
  if (ticket->policy == PDV_ENTRY_POLICY_REENTRY && state.inside)
    {
      result->verdict = PDV_CHECKIN_ALREADY_INSIDE;
      pdv_checkin_set_message (result, g_strdup_printf (_("Already inside: came in at %s at %s"), result->last_gate, last_when),
                   g_strdup (_("Scan the ticket at an exit before it can enter again")));
      return TRUE;
    }

  /* A full venue refuses entries; exits are never refused for it. Someone
   * already inside (a multi-entry pass) does not add to the count. */
  inside_after = occupancy.inside + (state.inside ? 0 : 1);
  if (event->capacity > 0 && !state.inside && occupancy.inside >= event->capacity)
    {
      result->verdict = PDV_CHECKIN_CAPACITY_FULL;
      pdv_checkin_set_message (result, g_strdup_printf (_("Venue full: %lld of %lld inside"),
                                            (long long) occupancy.inside, (long long) event->capacity),
                   g_strdup (_("Admit someone only after someone leaves")));
      return TRUE;
    }

  /* The other gates not heard from for a while: their entries since may be
   * missing from the count. Near capacity the gate refuses early, or warns,
   * as it is set to. */
  stale_for = occupancy.shared ? (occupancy.others_as_of > 0 ? now_s - occupancy.others_as_of : -1) : 0;
  if (event->capacity > 0 && !state.inside && (stale_for < 0 || stale_for > PDV_OCCUPANCY_STALE_S))
    {
      PdvStaleCapacity policy;
      guint margin;
      gint64 limit;

      pdv_gate_profile_load_stale (db, &policy, &margin);
      limit = event->capacity - (event->capacity * margin + 99) / 100;
      if (occupancy.inside >= limit)
        {
          g_autofree char *age = stale_for < 0 ? g_strdup (_("never heard from"))
                                                : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                                "not heard from for %lld minute",
                                                                                "not heard from for %lld minutes",
                                                                                stale_for / 60),
                                                                   (long long) (stale_for / 60));

          if (policy == PDV_STALE_REFUSE_EARLY)
            {
              result->verdict = PDV_CHECKIN_CAPACITY_FULL;
              /* Translators: %s is e.g. "not heard from for 7 minutes" */
              pdv_checkin_set_message (result, g_strdup_printf (_("Venue may be full: other gates %s"), age),
                                       g_strdup_printf (_("Until they are heard from, entries stop at %lld of %lld "
                                                          "(%lld inside as far as this gate knows)"),
                                                        (long long) limit, (long long) event->capacity,
                                                        (long long) occupancy.inside));
              json_object_set_new (payload, "stale_for", json_integer (stale_for));
              return TRUE;
            }
          stale_warning = g_strdup_printf (_("Other gates %s: the venue may be fuller"), age);
        }
    }

  result->verdict = PDV_CHECKIN_VALID;
  if (state.entries > 0 && !state.inside)
    result->warnings |= PDV_CHECKIN_WARNING_RE_ENTRY;
  if (event->capacity > 0 && inside_after >= event->capacity)
    result->warnings |= PDV_CHECKIN_WARNING_CAPACITY_FULL;
  else if (event->capacity > 0 && (inside_after * 10 >= event->capacity * 9 || stale_warning != NULL))
    result->warnings |= PDV_CHECKIN_WARNING_CAPACITY_NEAR;

  {
    g_autoptr(GString) detail = g_string_new (NULL);

    if ((result->warnings & PDV_CHECKIN_WARNING_RE_ENTRY) && result->last_at != NULL)
      g_string_append_printf (detail, _("Re-entry: left at %s at %s"), result->last_gate, last_when);
    if (result->warnings & (PDV_CHECKIN_WARNING_CAPACITY_NEAR | PDV_CHECKIN_WARNING_CAPACITY_FULL))
      {
        if (detail->len > 0)
          g_string_append (detail, " · ");
        g_string_append_printf (detail, (result->warnings & PDV_CHECKIN_WARNING_CAPACITY_FULL)
                                        ? _("The venue is now full: %lld of %lld inside")
                                        : _("Nearly full: %lld of %lld inside"),
                                (long long) inside_after, (long long) event->capacity);
      }
    if (stale_warning != NULL)
      g_string_append_printf (detail, "%s%s", detail->len > 0 ? " · " : "", stale_warning);
    pdv_checkin_set_message (result, welcome (ticket, (result->warnings & PDV_CHECKIN_WARNING_RE_ENTRY) != 0),
                 detail->len > 0 ? g_strdup (detail->str) : NULL);
  }
  if (result->warnings != PDV_CHECKIN_WARNING_NONE)
    {
      g_auto(GStrv) names = pdv_checkin_warnings_to_strv (result->warnings);
      json_t *list = json_array ();

      for (guint i = 0; names[i]; i++)
        json_array_append_new (list, json_string (names[i]));
      json_object_set_new (payload, "warnings", list);
    }
  return TRUE;
}

/* Identifies the ticket in @code, or gives the verdict that says why not. */
gboolean
pdv_checkin_identify (PdvDb                  *db,
                      const char             *code,
                      const PdvCheckinEvent  *event,
                      PdvCheckinTicket       *ticket,
                      PdvCheckinResult       *result,
                      gboolean               *out_identified,
                      const char            **out_problem,
                      GError                **error)
{
  *out_identified = FALSE;
  *out_problem = NULL;

  if (pdv_ticket_token_is_signed (code))
    {
      g_autoptr(GError) token_error = NULL;
      g_autoptr(PdvTicketClaims) claims = NULL;

      if (!event->has_key)
        {
          result->verdict = PDV_CHECKIN_BAD_SIGNATURE;
          pdv_checkin_set_message (result, g_strdup (_("Signed ticket, but this terminal has no key to check it")),
                       g_strdup (_("Import the event file with its ticket_public_key")));
          return TRUE;
        }
      claims = pdv_ticket_token_verify (code, event->key, &token_error);
      if (claims == NULL)
        {
          if (g_error_matches (token_error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_BAD_SIGNATURE))
            {
              result->verdict = PDV_CHECKIN_BAD_SIGNATURE;
              pdv_checkin_set_message (result, g_strdup (_("Invalid signature: forged or altered ticket")),
                           g_strdup (_("Or a ticket signed for another event")));
            }
          else if (g_error_matches (token_error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_INVALID_CLAIMS))
            pdv_checkin_refuse_unreadable (result, "signed_contents", out_problem);
          else if (g_error_matches (token_error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_CRYPTO))
            {
              g_propagate_error (error, g_steal_pointer (&token_error));
              return FALSE;
            }
          else
            pdv_checkin_refuse_unreadable (result, "not_a_code", out_problem);
          return TRUE;
        }
      /* A compact ticket names its event by a tag: it is this event's, or
       * one that can only be shown by its tag. */
      if (claims->event_id == NULL)
        claims->event_id = pdv_ticket_claims_is_for_event (claims, event->event_id)
                           ? g_strdup (event->event_id)
                           : g_strdup_printf ("#%02x%02x%02x%02x", claims->event_tag[0], claims->event_tag[1],
                                              claims->event_tag[2], claims->event_tag[3]);
      ticket_from_claims (ticket, claims);
      *out_identified = TRUE;
      /* The signature says what was sold; the list on this terminal says
       * what became of it since (cancelled, blocked). */
      {
        g_auto(PdvCheckinTicket) listed = { 0 };
        gboolean found = FALSE;

        if (!pdv_checkin_find_ticket (db, ticket->id, &listed, &found, error))
          return FALSE;
        if (found && g_strcmp0 (listed.status, "valid") != 0)
          {
            g_free (ticket->status);
            ticket->status = g_steal_pointer (&listed.status);
            if (ticket->order_code == NULL)
              ticket->order_code = g_steal_pointer (&listed.order_code);
          }
      }
      return TRUE;
    }

  if (!looks_like_secret (code))
    {
      pdv_checkin_refuse_unreadable (result, "not_a_code", out_problem);
      return TRUE;
    }
  if (!find_by_secret (db, code, ticket, out_identified, error))
    return FALSE;
  if (!*out_identified)
    {
      result->verdict = PDV_CHECKIN_UNKNOWN;
      pdv_checkin_set_message (result, g_strdup (_("Unknown ticket: not on this event’s list")),
                   g_strdup (_("Search by name or order code if the holder has a ticket")));
    }
  return TRUE;
}


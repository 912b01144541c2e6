/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-checkin-state"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-checkin-private.h"
#include "pdv-db-private.h"
#include "pdv-projections.h"

/* Where every ticket stands and how full the venue is, both kept from the
 * "checkin" entries of the journal. An entry's verdict already says what
 * happened: these only count. */

static gboolean
malformed (const PdvJournalEntry *entry,
           GError               **error)
{
  g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
               _("Journal entry %lld (%s) is a malformed check-in"), (long long) entry->seq, entry->kind);
  return FALSE;
}

static const char *
payload_string (const PdvJournalEntry *entry,
                const char            *key)
{
  return json_string_value (json_object_get (entry->payload, key));
}

/* "valid" (an entry), "exited" (an exit) or NULL (a refusal). */
static const char *
accepted_verdict (const PdvJournalEntry *entry)
{
  const char *verdict = payload_string (entry, "verdict");

  if (g_strcmp0 (verdict, "valid") == 0 || g_strcmp0 (verdict, "exited") == 0)
    return verdict;
  return NULL;
}

static gboolean
is_inside (PdvDb       *db,
           const char  *ticket_id,
           gboolean    *out_inside,
           GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT inside FROM ticket_state WHERE ticket_id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out_inside = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the ticket states"));
  return TRUE;
}

/* Runs before ticket_state (see pdv-projections.c): whether the ticket was
 * inside is read from the state this entry has not changed yet. */
static gboolean
occupancy_apply (PdvDb                 *db,
                 const PdvJournalEntry *entry,
                 GError               **error)
{
  const char *verdict;
  const char *ticket_id;
  gboolean was_inside = FALSE;
  gint64 inside = 0, entries = 0, exits = 0, refusals = 0;
  sqlite3_stmt *stmt;

  if (!g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
    return TRUE;
  if (payload_string (entry, "verdict") == NULL)
    return malformed (entry, error);

  verdict = accepted_verdict (entry);
  ticket_id = payload_string (entry, "ticket_id");
  if (verdict != NULL && ticket_id == NULL)
    return malformed (entry, error);
  if (verdict != NULL && !is_inside (db, ticket_id, &was_inside, error))
    return FALSE;

  if (g_strcmp0 (verdict, "valid") == 0)
    {
      entries = 1;
      inside = was_inside ? 0 : 1;
    }
  else if (g_strcmp0 (verdict, "exited") == 0)
    {
      exits = 1;
      inside = was_inside ? -1 : 0;
    }
  else
    refusals = 1;

  stmt = pdv_db_prepare (db,
                         "INSERT INTO door_counts (key, inside, entries, exits, refusals, updated_seq) "
                         "VALUES ('gate', ?, ?, ?, ?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET inside = inside + excluded.inside, "
                         "  entries = entries + excluded.entries, exits = exits + excluded.exits, "
                         "  refusals = refusals + excluded.refusals, updated_seq = excluded.updated_seq",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, inside);
  sqlite3_bind_int64 (stmt, 2, entries);
  sqlite3_bind_int64 (stmt, 3, exits);
  sqlite3_bind_int64 (stmt, 4, refusals);
  sqlite3_bind_int64 (stmt, 5, entry->seq);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
ticket_state_apply (PdvDb                 *db,
                    const PdvJournalEntry *entry,
                    GError               **error)
{
  const char *verdict;
  const char *ticket_id;
  const char *at;
  const char *gate;
  const char *direction;
  gboolean entered;
  sqlite3_stmt *stmt;

  if (!g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
    return TRUE;
  verdict = accepted_verdict (entry);
  if (verdict == NULL)
    return TRUE;

  ticket_id = payload_string (entry, "ticket_id");
  at = payload_string (entry, "at");
  gate = payload_string (entry, "gate");
  direction = payload_string (entry, "direction");
  if (ticket_id == NULL || at == NULL || gate == NULL || direction == NULL)
    return malformed (entry, error);
  entered = g_str_equal (verdict, "valid");

  stmt = pdv_db_prepare (db,
                         "INSERT INTO ticket_state (ticket_id, inside, entries, exits, last_seq, last_at, "
                         "  last_gate, last_direction) VALUES (?1, ?2, ?2, 1 - ?2, ?3, ?4, ?5, ?6) "
                         "ON CONFLICT (ticket_id) DO UPDATE SET inside = excluded.inside, "
                         "  entries = entries + excluded.entries, exits = exits + excluded.exits, "
                         "  last_seq = excluded.last_seq, last_at = excluded.last_at, "
                         "  last_gate = excluded.last_gate, last_direction = excluded.last_direction",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, entered ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, entry->seq);
  sqlite3_bind_text (stmt, 4, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, gate, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, direction, -1, SQLITE_STATIC);
  return pdv_db_step_done (db, stmt, error);
}

const PdvProjection pdv_occupancy_projection = {
  .name = "occupancy",
  .clear_sql = "DELETE FROM door_counts WHERE key = 'gate'",
  .dump_sql = "SELECT key, inside, entries, exits, refusals, updated_seq FROM door_counts WHERE key = 'gate'",
  .apply = occupancy_apply,
};

const PdvProjection pdv_ticket_state_projection = {
  .name = "ticket_state",
  .clear_sql = "DELETE FROM ticket_state",
  .dump_sql = "SELECT ticket_id, inside, entries, exits, last_seq, last_at, last_gate, last_direction "
              "FROM ticket_state ORDER BY ticket_id",
  .apply = ticket_state_apply,
};

/* ---- The venue: every gate's scans -------------------------------------- */

static gboolean
add_to_zone (PdvDb       *db,
             const char  *zone,
             gint64       delta,
             GError     **error)
{
  sqlite3_stmt *stmt;

  if (delta == 0)
    return TRUE;
  stmt = pdv_db_prepare (db,
                         "INSERT INTO door_counts (key, inside) VALUES ('zone:' || ?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET inside = inside + excluded.inside",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, zone, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, delta);
  return pdv_db_step_done (db, stmt, error);
}

static char *
listed_zone (PdvDb       *db,
             const char  *ticket_id)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT zone FROM tickets WHERE id = ?", NULL);
  char *zone = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    zone = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return zone;
}

gboolean
pdv_venue_note_scan (PdvDb       *db,
                     const char  *ticket_id,
                     const char  *at,
                     gboolean     entered,
                     const char  *gate,
                     const char  *zone,
                     GError     **error)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (at, NULL);
  g_autofree char *known_zone = NULL;
  g_autofree char *old_zone = NULL;
  gboolean had_row = FALSE;
  gboolean was_inside = FALSE;
  gint64 at_us;
  sqlite3_stmt *stmt;
  int rc;

  /* A time nobody can read cannot say it is the latest. */
  if (when == NULL)
    return TRUE;
  at_us = g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when);

  stmt = pdv_db_prepare (db, "SELECT at_us, inside, zone FROM venue_presence WHERE ticket_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      had_row = TRUE;
      /* Older news is dropped. A scan of the same instant is taken as the
       * later one: this terminal's journal order (a frozen clock in a
       * rehearsal), or the same scan heard again, which changes nothing. */
      if (sqlite3_column_int64 (stmt, 0) > at_us)
        {
          sqlite3_reset (stmt);
          return TRUE;
        }
      was_inside = sqlite3_column_int (stmt, 1) != 0;
      old_zone = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading who is inside"));

  if (zone == NULL || *zone == '\0')
    zone = known_zone = listed_zone (db, ticket_id);
  if (zone == NULL)
    zone = "";

  stmt = pdv_db_prepare (db,
                         "INSERT INTO venue_presence (ticket_id, at_us, inside, gate, zone) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (ticket_id) DO UPDATE SET at_us = excluded.at_us, inside = excluded.inside, "
                         "  gate = excluded.gate, zone = excluded.zone",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at_us);
  sqlite3_bind_int (stmt, 3, entered ? 1 : 0);
  sqlite3_bind_text (stmt, 4, gate ? gate : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, zone, -1, SQLITE_STATIC);
  if (!pdv_db_step_done (db, stmt, error))
    return FALSE;

  if (had_row && was_inside && !add_to_zone (db, old_zone, -1, error))
    return FALSE;
  return !entered || add_to_zone (db, zone, 1, error);
}

static gboolean
venue_apply (PdvDb                 *db,
             const PdvJournalEntry *entry,
             GError               **error)
{
  const char *verdict;
  const char *ticket_id;
  const char *at;

  if (!g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
    return TRUE;
  verdict = accepted_verdict (entry);
  if (verdict == NULL)
    return TRUE;
  ticket_id = payload_string (entry, "ticket_id");
  at = payload_string (entry, "at");
  if (ticket_id == NULL || at == NULL)
    return malformed (entry, error);
  return pdv_venue_note_scan (db, ticket_id, at, g_str_equal (verdict, "valid"), payload_string (entry, "gate"),
                              payload_string (entry, "zone"), error);
}

/* What other gates told this terminal (through the sync server) is not in its
 * journal: a rebuild hears it again before the journal replays. */
static gboolean
venue_reset (PdvDb   *db,
             GError **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT ticket_id, at, direction, gate FROM remote_checkins "
                                           "ORDER BY ticket_id, terminal", error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  int rc;

  if (stmt == NULL)
    return FALSE;
  /* Read first: noting a scan prepares statements of its own. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 5);

      for (int i = 0; i < 4; i++)
        row[i] = g_strdup ((const char *) sqlite3_column_text (stmt, i));
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading other gates’ scans"));
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      if (!pdv_venue_note_scan (db, row[0], row[1], g_strcmp0 (row[2], "exit") != 0, row[3], NULL, error))
        return FALSE;
    }
  return TRUE;
}

const PdvProjection pdv_venue_projection = {
  .name = "venue",
  .clear_sql = "DELETE FROM venue_presence; DELETE FROM door_counts WHERE key >= 'zone:' AND key < 'zone;'",
  .dump_sql = "SELECT ticket_id, at_us, inside, gate, zone FROM venue_presence ORDER BY ticket_id",
  .apply = venue_apply,
  .reset = venue_reset,
};

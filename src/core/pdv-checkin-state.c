/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-checkin-state"

#include "config.h"

#include <glib/gi18n-lib.h>

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
                         "INSERT INTO occupancy (id, inside, entries, exits, refusals, updated_seq) "
                         "VALUES (1, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET inside = inside + excluded.inside, "
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
  .clear_sql = "DELETE FROM occupancy",
  .dump_sql = "SELECT id, inside, entries, exits, refusals, updated_seq FROM occupancy ORDER BY id",
  .apply = occupancy_apply,
};

const PdvProjection pdv_ticket_state_projection = {
  .name = "ticket_state",
  .clear_sql = "DELETE FROM ticket_state",
  .dump_sql = "SELECT ticket_id, inside, entries, exits, last_seq, last_at, last_gate, last_direction "
              "FROM ticket_state ORDER BY ticket_id",
  .apply = ticket_state_apply,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-ticket-search"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-db-private.h"
#include "pdv-text.h"
#include "pdv-ticket-search.h"

/* Door staff look a ticket up by a piece of the holder's name ("joao",
 * "silva", "jo sil") when its QR code will not scan. Every word of every name
 * is kept folded (lower case, no accents) in ticket_words, so a search is a
 * range scan of an index whatever the size of the list. */

#define MAX_WORDS_PER_NAME 16
#define MAX_WORD_CHARS     32

/* Name matches sorted before the first ones are returned: past this many, a
 * search is too vague to be useful and door staff type more. */
#define MAX_NAME_MATCHES   1000

/* Set by the migration that introduced ticket_words, for tickets imported before. */
#define STALE_KEY "ticket_index_stale"

#define INFO_COLUMNS \
  "t.id, t.order_code, t.holder_name, t.type, t.zone, t.entry_policy, t.status, " \
  "r.ticket_id IS NOT NULL, COALESCE (s.inside, 0), COALESCE (s.entries, 0), " \
  "COALESCE (s.exits, 0), s.last_at, s.last_gate, t.valid_from, t.valid_until, t.attention "
#define INFO_TABLES \
  "FROM tickets t LEFT JOIN ticket_state s ON s.ticket_id = t.id " \
  "LEFT JOIN revocations r ON r.ticket_id = t.id "

void
pdv_ticket_info_free (PdvTicketInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->order_code);
  g_free (info->holder_name);
  g_free (info->type);
  g_free (info->zone);
  g_free (info->status);
  g_clear_pointer (&info->last_at, g_date_time_unref);
  g_free (info->last_gate);
  g_clear_pointer (&info->valid_from, g_date_time_unref);
  g_clear_pointer (&info->valid_until, g_date_time_unref);
  g_free (info->attention);
  g_free (info);
}

/* The distinct folded words of @text, in order. */
static GPtrArray *
fold_words (const char *text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *folded = pdv_text_fold (text);
  const char *p = folded;

  while (*p != '\0' && words->len < MAX_WORDS_PER_NAME)
    {
      const char *start;
      g_autofree char *word = NULL;
      gboolean seen = FALSE;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      start = p;
      while (g_ascii_isalnum (*p))
        p++;
      if (p == start)
        break;
      word = g_strndup (start, MIN (p - start, MAX_WORD_CHARS));
      for (guint i = 0; i < words->len && !seen; i++)
        seen = g_str_equal (g_ptr_array_index (words, i), word);
      if (!seen)
        g_ptr_array_add (words, g_steal_pointer (&word));
    }
  return g_steal_pointer (&words);
}

/**
 * pdv_ticket_index_name:
 *
 * Replaces the words search finds @ticket_id by. Call it inside the
 * transaction that writes the ticket.
 */
gboolean
pdv_ticket_index_name (PdvDb       *db,
                       const char  *ticket_id,
                       const char  *holder_name,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (ticket_id != NULL, FALSE);

  stmt = pdv_db_prepare (db, "DELETE FROM ticket_words WHERE ticket_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  if (!pdv_db_step_done (db, stmt, error))
    return FALSE;
  return pdv_ticket_index_new_name (db, ticket_id, holder_name, error);
}

/**
 * pdv_ticket_index_new_name:
 *
 * pdv_ticket_index_name() for a ticket just written for the first time, which
 * has no words to replace.
 */
gboolean
pdv_ticket_index_new_name (PdvDb       *db,
                           const char  *ticket_id,
                           const char  *holder_name,
                           GError     **error)
{
  g_autoptr(GPtrArray) words = fold_words (holder_name);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (ticket_id != NULL, FALSE);

  for (guint i = 0; i < words->len; i++)
    {
      stmt = pdv_db_prepare (db, "INSERT OR IGNORE INTO ticket_words (word, ticket_id) VALUES (?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (words, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, ticket_id, -1, SQLITE_STATIC);
      if (!pdv_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
rebuild_index (PdvDb   *db,
               GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!pdv_db_exec (db, "DELETE FROM ticket_words", error))
    return FALSE;
  /* Not a cached statement: pdv_ticket_index_name() uses the cache meanwhile. */
  if (sqlite3_prepare_v2 (pdv_db_get_handle (db), "SELECT id, holder_name FROM tickets", -1, &stmt, NULL) != SQLITE_OK)
    return pdv_db_set_error (db, error, _("Reading the ticket list"));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!pdv_ticket_index_name (db, (const char *) sqlite3_column_text (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1), error))
      {
        sqlite3_finalize (stmt);
        return FALSE;
      }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the ticket list"));

  stmt = pdv_db_prepare (db, "DELETE FROM meta WHERE key = '" STALE_KEY "'", error);
  return stmt != NULL && pdv_db_step_done (db, stmt, error);
}

/**
 * pdv_ticket_index_refresh:
 *
 * Indexes the names of tickets imported by a version of PDV that had no
 * search; does nothing (and writes nothing) when the index is up to date.
 */
gboolean
pdv_ticket_index_refresh (PdvDb   *db,
                          GError **error)
{
  g_autofree char *stale = NULL;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);

  stale = pdv_db_get_meta (db, STALE_KEY);
  if (stale == NULL)
    return TRUE;
  if (pdv_db_in_transaction (db))
    return rebuild_index (db, error);
  if (!pdv_db_begin (db, error))
    return FALSE;
  if (!rebuild_index (db, error) || !pdv_db_commit (db, error))
    {
      pdv_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static PdvTicketInfo *
info_from_row (sqlite3_stmt *stmt)
{
  PdvTicketInfo *info = g_new0 (PdvTicketInfo, 1);

  info->id = g_strdup (column_text (stmt, 0));
  info->order_code = g_strdup (column_text (stmt, 1));
  info->holder_name = g_strdup (column_text (stmt, 2));
  info->type = g_strdup (column_text (stmt, 3));
  info->zone = g_strdup (column_text (stmt, 4));
  if (!pdv_entry_policy_from_string (column_text (stmt, 5), &info->policy))
    info->policy = PDV_ENTRY_POLICY_SINGLE;
  info->status = g_strdup (column_text (stmt, 6));
  info->revoked = sqlite3_column_int (stmt, 7) != 0;
  info->inside = sqlite3_column_int (stmt, 8) != 0;
  info->entries = sqlite3_column_int64 (stmt, 9);
  info->exits = sqlite3_column_int64 (stmt, 10);
  if (column_text (stmt, 11) != NULL)
    info->last_at = g_date_time_new_from_iso8601 (column_text (stmt, 11), NULL);
  info->last_gate = g_strdup (column_text (stmt, 12));
  if (column_text (stmt, 13) != NULL)
    info->valid_from = g_date_time_new_from_iso8601 (column_text (stmt, 13), NULL);
  if (column_text (stmt, 14) != NULL)
    info->valid_until = g_date_time_new_from_iso8601 (column_text (stmt, 14), NULL);
  info->attention = g_strdup (column_text (stmt, 15));
  return info;
}

static gboolean
add_by_code (PdvDb       *db,
             const char  *text,
             guint        limit,
             GPtrArray   *results,
             GHashTable  *seen,
             GError     **error)
{
  g_autofree char *upper = g_ascii_strup (text, -1);
  sqlite3_stmt *stmt;
  int rc;

  stmt = pdv_db_prepare (db,
                         "SELECT " INFO_COLUMNS INFO_TABLES
                         "WHERE t.order_code IN (?1, ?2) OR t.id IN (?1, ?2) "
                         "ORDER BY t.holder_name, t.id LIMIT ?3",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvTicketInfo *info = info_from_row (stmt);

      g_hash_table_add (seen, g_strdup (info->id));
      g_ptr_array_add (results, info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Searching the ticket list"));
  return TRUE;
}

static PdvTicketInfo *
load_info (PdvDb       *db,
           const char  *ticket_id,
           GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT " INFO_COLUMNS INFO_TABLES "WHERE t.id = ?", error);
  PdvTicketInfo *info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    info = info_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    pdv_db_set_error (db, error, _("Searching the ticket list"));
  return info;
}

/* Every word typed starts some word of the name. */
static gboolean
name_matches (GPtrArray  *query_words,
              const char *holder_name)
{
  g_autoptr(GPtrArray) name_words = fold_words (holder_name);

  for (guint q = 0; q < query_words->len; q++)
    {
      gboolean found = FALSE;

      for (guint n = 0; n < name_words->len && !found; n++)
        found = g_str_has_prefix (g_ptr_array_index (name_words, n), g_ptr_array_index (query_words, q));
      if (!found)
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  char *key;   /* the folded name, then the id: the order results are shown in */
  char *id;
} NameMatch;

static void
name_match_free (gpointer data)
{
  NameMatch *match = data;

  g_free (match->key);
  g_free (match->id);
  g_free (match);
}

static int
compare_matches (gconstpointer a,
                 gconstpointer b)
{
  const NameMatch *x = *(NameMatch * const *) a;
  const NameMatch *y = *(NameMatch * const *) b;

  return strcmp (x->key, y->key);
}

static gboolean
add_by_name (PdvDb       *db,
             const char  *text,
             guint        limit,
             GPtrArray   *results,
             GHashTable  *seen,
             GError     **error)
{
  g_autoptr(GPtrArray) query_words = fold_words (text);
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (name_match_free);
  g_autofree char *upper_bound = NULL;
  const char *driver = NULL;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  if (query_words->len == 0 || results->len >= limit)
    return TRUE;
  /* The longest word narrows the index range the most. */
  for (guint i = 0; i < query_words->len; i++)
    if (driver == NULL || strlen (g_ptr_array_index (query_words, i)) > strlen (driver))
      driver = g_ptr_array_index (query_words, i);
  /* Words are ASCII letters and digits, all below DEL. */
  upper_bound = g_strconcat (driver, "\x7f", NULL);

  stmt = pdv_db_prepare (db,
                         "SELECT w.ticket_id, t.holder_name FROM ticket_words w "
                         "JOIN tickets t ON t.id = w.ticket_id "
                         "WHERE w.word >= ? AND w.word < ? ORDER BY w.word, w.ticket_id",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, driver, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper_bound, -1, SQLITE_STATIC);
  while (matches->len < MAX_NAME_MATCHES && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = column_text (stmt, 0);
      const char *holder_name = column_text (stmt, 1);
      g_autofree char *folded = NULL;
      NameMatch *match;

      if (g_hash_table_contains (seen, id) || !name_matches (query_words, holder_name))
        continue;
      g_hash_table_add (seen, g_strdup (id));
      folded = pdv_text_fold (holder_name);
      match = g_new0 (NameMatch, 1);
      match->key = g_strconcat (folded, "\n", id, NULL);
      match->id = g_strdup (id);
      g_ptr_array_add (matches, match);
    }
  if (matches->len >= MAX_NAME_MATCHES)
    rc = SQLITE_DONE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Searching the ticket list"));

  g_ptr_array_sort (matches, compare_matches);
  for (guint i = 0; i < matches->len && results->len < limit; i++)
    {
      PdvTicketInfo *info = load_info (db, ((NameMatch *) g_ptr_array_index (matches, i))->id, error);

      if (info == NULL)
        return FALSE;
      g_ptr_array_add (results, info);
    }
  return TRUE;
}

/**
 * pdv_ticket_search:
 * @text: an order code, a ticket id, or words of the holder's name (case and
 *   accents do not matter)
 * @limit: at most this many tickets
 *
 * Exact order code and ticket id matches come first, then names in
 * alphabetical order.
 *
 * Returns: (transfer container) (element-type PdvTicketInfo): the tickets found
 */
GPtrArray *
pdv_ticket_search (PdvDb       *db,
                   const char  *text,
                   guint        limit,
                   GError     **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_ticket_info_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  if (text == NULL || limit == 0 || !g_utf8_validate (text, -1, NULL))
    return g_steal_pointer (&results);
  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return g_steal_pointer (&results);

  if (!pdv_ticket_index_refresh (db, error) ||
      !add_by_code (db, stripped, limit, results, seen, error) ||
      !add_by_name (db, stripped, limit, results, seen, error))
    return NULL;
  return g_steal_pointer (&results);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-journal"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-db-private.h"
#include "pdv-journal-private.h"
#include "pdv-seal.h"
#include "pdv-shift-private.h"
#include "pdv-sync-state.h"

/* Recovery of a terminal restored from a backup.
 *
 * The backup ends at some entry; the server holds what the terminal wrote
 * after it (the history), and the restored terminal may have written new
 * entries under the same seqs since (the branch). Recovery puts the history
 * back in its place, checked link by link against the terminal's own chain,
 * and writes the branch again after it: same ids, times and payloads, each
 * marked "restored" with the seq and hash it first had, which are also kept
 * whole in journal_replaced. A shift the branch opened or closed is filed
 * under the period the journal is at by then; a close's expected cash is
 * worked out again (the drawer holds the history's cash too) and the figures
 * it first had are kept in the mark. */

static gboolean
recovery_refused (GError     **error,
                  const char  *format,
                  ...) G_GNUC_PRINTF (2, 3);

static gboolean
recovery_refused (GError     **error,
                  const char  *format,
                  ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_REFUSED,
               _("The history cannot be recovered: %s. Nothing was changed."), message);
  return FALSE;
}

static char *
hash_at (PdvJournal  *self,
         gint64       seq,
         GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  if (seq == 0)
    return g_strdup (PDV_JOURNAL_GENESIS_HASH);
  entries = pdv_journal_list (self, seq - 1, 1, error);
  if (entries == NULL)
    return NULL;
  if (entries->len == 0 || ((PdvJournalEntry *) g_ptr_array_index (entries, 0))->seq != seq)
    {
      recovery_refused (error, _("this terminal’s journal has no entry %lld"), (long long) seq);
      return NULL;
    }
  return g_strdup (((PdvJournalEntry *) g_ptr_array_index (entries, 0))->hash);
}

/* Each entry of @history continues the chain from @prev_hash, is this
 * terminal's and carries the hash of what it holds. */
static gboolean
check_history (PdvJournal  *self,
               gint64       common_seq,
               const char  *prev_hash,
               GPtrArray   *history,
               GError     **error)
{
  const char *terminal_id = pdv_journal_get_terminal_id (self);

  for (guint i = 0; i < history->len; i++)
    {
      const PdvJournalEntry *entry = g_ptr_array_index (history, i);
      g_autofree char *hash = NULL;

      if (entry->seq != common_seq + 1 + (gint64) i)
        return recovery_refused (error, _("the server sent entry %lld where %lld was due"),
                                 (long long) entry->seq, (long long) (common_seq + 1 + i));
      if (g_strcmp0 (entry->terminal, terminal_id) != 0)
        return recovery_refused (error, _("entry %lld the server sent belongs to another terminal"),
                                 (long long) entry->seq);
      if (g_strcmp0 (entry->prev_hash, prev_hash) != 0)
        return recovery_refused (error, _("entry %lld the server sent does not follow the entry before it"),
                                 (long long) entry->seq);
      hash = pdv_journal_entry_compute_hash (entry);
      if (hash == NULL || g_strcmp0 (hash, entry->hash) != 0)
        return recovery_refused (error, _("entry %lld the server sent does not match its hash"),
                                 (long long) entry->seq);
      prev_hash = entry->hash;
    }
  return TRUE;
}

/* The branch entry's payload as written again: its mark, and a shift's
 * figures for the period the journal is at now. */
static json_t *
rewritten_payload (PdvDb                 *db,
                   const PdvJournalEntry *entry,
                   GError               **error)
{
  g_autoptr(json_t) payload = json_deep_copy (entry->payload);
  json_t *mark = json_pack ("{s:I, s:s}", "seq", (json_int_t) entry->seq, "hash", entry->hash);
  gboolean opening = g_str_equal (entry->kind, PDV_ENTRY_SHIFT_OPEN);

  json_object_set_new (payload, "restored", mark);
  if (opening || g_str_equal (entry->kind, PDV_ENTRY_SHIFT_CLOSE))
    {
      json_t *z = json_object_get (payload, "z");
      gint64 current_z, open_seq;

      if (!pdv_shift_read_state (db, &current_z, &open_seq, error))
        return NULL;
      if (z != NULL)
        json_object_set (mark, "z", z);
      json_object_set_new (payload, "z", json_integer (current_z));
      if (opening ? open_seq != 0 : open_seq == 0)
        {
          /* The history opened (or closed) the shift meanwhile: the entry
           * stays, as a count, with no effect on the periods. */
          json_object_set_new (mark, "unmatched", json_true ());
        }
      else if (!opening)
        {
          json_t *counted = json_object_get (payload, "counted");
          PdvMoney expected;

          if (!json_is_integer (counted) || !pdv_shift_compute_expected (db, current_z, &expected, error))
            {
              if (error != NULL && *error == NULL)
                g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                             _("Journal entry %lld (%s) is malformed"), (long long) entry->seq, entry->kind);
              return NULL;
            }
          json_object_set (mark, "expected", json_object_get (payload, "expected"));
          json_object_set (mark, "difference", json_object_get (payload, "difference"));
          json_object_set_new (payload, "expected", json_integer (expected));
          json_object_set_new (payload, "difference", json_integer (json_integer_value (counted) - expected));
        }
    }
  return g_steal_pointer (&payload);
}

static PdvJournalEntry *
write_again (PdvJournal            *self,
             const PdvJournalEntry *original,
             json_t                *payload,
             gint64                 seq,
             const char            *prev_hash,
             GError               **error)
{
  g_autoptr(PdvJournalEntry) entry = g_new0 (PdvJournalEntry, 1);

  entry->seq = seq;
  entry->id = g_strdup (original->id);
  entry->terminal = g_strdup (original->terminal);
  entry->kind = g_strdup (original->kind);
  entry->created_at = g_strdup (original->created_at);
  entry->mono_us = original->mono_us;
  entry->user = g_strdup (original->user);
  entry->payload = json_incref (payload);
  entry->prev_hash = g_strdup (prev_hash);
  if (!pdv_journal_store_new (self, entry, error))
    return NULL;
  return g_steal_pointer (&entry);
}

static gboolean
recover_in_transaction (PdvJournal          *self,
                        gint64               common_seq,
                        GPtrArray           *history,
                        const char          *source,
                        const char          *user,
                        PdvJournalRecovery  *out,
                        GError             **error)
{
  PdvDb *db = pdv_journal_get_db (self);
  g_autoptr(GPtrArray) branch = NULL;
  g_autoptr(PdvJournalEntry) marker = NULL;
  g_autoptr(GDateTime) now_time = pdv_clock_get_now_utc (pdv_db_get_clock (db));
  g_autofree char *now = pdv_journal_format_time (now_time);
  g_autofree char *prev_hash = NULL;
  g_autoptr(json_t) marker_payload = NULL;
  gint64 history_end = common_seq + history->len;
  gint64 seq;
  sqlite3_stmt *stmt;

  branch = pdv_journal_list (self, common_seq, 0, error);
  if (branch == NULL)
    return FALSE;

  /* The branch leaves the journal, kept whole with the seq it will have
   * (after the history and the mark); the history takes its place. */
  stmt = pdv_db_prepare (db,
                         "INSERT INTO journal_replaced (seq, id, terminal, kind, created_at, mono_us, user_id, "
                         "  payload, prev_hash, hash, recovered_at, new_seq) "
                         "SELECT seq, id, terminal, kind, created_at, mono_us, user_id, payload, prev_hash, hash, ?1, "
                         "  seq - ?2 + ?3 + 1 "
                         "FROM journal WHERE seq > ?2 ORDER BY seq",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, common_seq);
  sqlite3_bind_int64 (stmt, 3, history_end);
  if (!pdv_db_step_done (db, stmt, error) || !pdv_db_set_meta (db, "journal_recovering", now, error))
    return FALSE;
  stmt = pdv_db_prepare (db, "DELETE FROM journal WHERE seq > ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, common_seq);
  if (!pdv_db_step_done (db, stmt, error) ||
      !pdv_db_exec (db, "DELETE FROM meta WHERE key = 'journal_recovering'", error))
    return FALSE;
  for (guint i = 0; i < history->len; i++)
    if (!pdv_journal_insert_row (self, g_ptr_array_index (history, i), error))
      return FALSE;
  if (!pdv_journal_replay (self, NULL, error))
    return FALSE;

  /* Then what was made since the restore, after a mark that says so. */
  prev_hash = g_strdup (history->len > 0 ? ((PdvJournalEntry *) g_ptr_array_index (history, history->len - 1))->hash
                                         : NULL);
  if (prev_hash == NULL && (prev_hash = hash_at (self, common_seq, error)) == NULL)
    return FALSE;
  marker_payload = json_pack ("{s:I, s:I, s:I, s:s?}",
                              "common_seq", (json_int_t) common_seq,
                              "recovered", (json_int_t) history->len,
                              "rewritten", (json_int_t) branch->len,
                              "source", source);
  if (branch->len > 0)
    json_object_set_new (marker_payload, "replaced",
                         json_pack ("{s:I, s:I}",
                                    "first", (json_int_t) ((PdvJournalEntry *) g_ptr_array_index (branch, 0))->seq,
                                    "last", (json_int_t) ((PdvJournalEntry *) g_ptr_array_index (branch, branch->len - 1))->seq));
  {
    PdvJournalEntry template = { 0 };

    template.id = g_uuid_string_random ();
    template.terminal = (char *) pdv_journal_get_terminal_id (self);
    template.kind = (char *) PDV_ENTRY_JOURNAL_RECOVER;
    template.created_at = now;
    template.mono_us = pdv_clock_get_monotonic_time (pdv_db_get_clock (db));
    template.user = (char *) user;
    marker = write_again (self, &template, marker_payload, history_end + 1, prev_hash, error);
    g_free (template.id);
  }
  if (marker == NULL)
    return FALSE;
  g_free (prev_hash);
  prev_hash = g_strdup (marker->hash);

  seq = history_end + 2;
  for (guint i = 0; i < branch->len; i++, seq++)
    {
      const PdvJournalEntry *original = g_ptr_array_index (branch, i);
      g_autoptr(json_t) payload = NULL;
      g_autoptr(PdvJournalEntry) entry = NULL;

      if (original->payload == NULL)
        return recovery_refused (error, _("this terminal’s entry %lld has no readable payload"),
                                 (long long) original->seq);
      payload = rewritten_payload (db, original, error);
      if (payload == NULL)
        return FALSE;
      entry = write_again (self, original, payload, seq, prev_hash, error);
      if (entry == NULL)
        return FALSE;
      g_free (prev_hash);
      prev_hash = g_strdup (entry->hash);
    }

  /* Settings and the event as the newest entries left them; everything up
   * to the history's end is on the server. */
  if (!pdv_seal_restore_meta (self, error) || !pdv_sync_state_set_acked_seq (db, history_end, error) ||
      !pdv_db_exec (db, "UPDATE sync_state SET diverged = 0, last_error = NULL, last_error_at = NULL", error))
    return FALSE;
  pdv_journal_announce (self, marker->seq, marker->kind);

  out->common_seq = common_seq;
  out->recovered = history->len;
  out->rewritten = branch->len;
  out->marker_seq = marker->seq;
  out->last_seq = seq - 1;
  return TRUE;
}

/**
 * pdv_journal_recover:
 * @common_seq: the last entry this terminal and the server agree on
 * @history: (element-type PdvJournalEntry): this terminal's entries after
 *   @common_seq, as the server holds them
 * @source: (nullable): where the history came from, for the record
 * @user: (nullable): who asked for it
 * @out: (out caller-allocates): what was done
 *
 * Puts @history back after @common_seq, checked against the chain, and
 * writes the entries this terminal made after @common_seq since it was
 * restored again after it, marked, in one transaction: all or nothing.
 */
gboolean
pdv_journal_recover (PdvJournal          *self,
                     gint64               common_seq,
                     GPtrArray           *history,
                     const char          *source,
                     const char          *user,
                     PdvJournalRecovery  *out,
                     GError             **error)
{
  PdvDb *db;
  g_autofree char *common_hash = NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (history != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  db = pdv_journal_get_db (self);
  memset (out, 0, sizeof *out);
  if (pdv_journal_get_terminal_id (self) == NULL)
    {
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_NOT_INITIALISED,
                   _("%s has not been set up as a terminal yet; run “pdvctl init” first"), pdv_db_get_path (db));
      return FALSE;
    }
  if (common_seq < 0 || common_seq > pdv_journal_get_last_seq (self))
    return recovery_refused (error, _("this terminal’s journal has no entry %lld"), (long long) common_seq);

  if (!pdv_db_begin (db, error))
    return FALSE;
  if ((common_hash = hash_at (self, common_seq, error)) == NULL ||
      !check_history (self, common_seq, common_hash, history, error) ||
      !recover_in_transaction (self, common_seq, history, source, user, out, error) ||
      !pdv_db_commit (db, error))
    {
      pdv_db_rollback (db);
      memset (out, 0, sizeof *out);
      return FALSE;
    }
  return TRUE;
}

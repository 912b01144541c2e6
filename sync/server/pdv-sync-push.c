/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <string.h>

#include "pdv-journal.h"
#include "pdv-sync-codec.h"
#include "pdv-sync-protocol.h"

/* What arbitration needs from a check-in entry's payload. */
typedef struct {
  const char *ticket_id;
  const char *direction;
  const char *verdict;
  const char *policy;
  const char *at;
  const char *gate;
  gboolean    admission;  /* an accepted entry */
  gboolean    exit;       /* an accepted exit */
} Checkin;

static const char *
payload_string (const PdvJournalEntry *entry,
                const char            *field)
{
  return json_string_value (json_object_get (entry->payload, field));
}

/* A check-in the server arbitrates or passes on; FALSE for anything else,
 * refusals included. */
static gboolean
read_checkin (const PdvJournalEntry *entry,
              Checkin               *checkin)
{
  memset (checkin, 0, sizeof *checkin);
  if (!g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
    return FALSE;
  checkin->ticket_id = payload_string (entry, "ticket_id");
  checkin->direction = payload_string (entry, "direction");
  checkin->verdict = payload_string (entry, "verdict");
  checkin->policy = payload_string (entry, "policy");
  checkin->at = payload_string (entry, "at");
  checkin->gate = payload_string (entry, "gate");
  if (checkin->ticket_id == NULL || *checkin->ticket_id == '\0' ||
      checkin->direction == NULL || checkin->verdict == NULL)
    return FALSE;
  /* The terminal writes verdicts in lower case; accept either. */
  checkin->admission = g_ascii_strcasecmp (checkin->verdict, "valid") == 0 &&
                       g_str_equal (checkin->direction, "entry");
  checkin->exit = g_ascii_strcasecmp (checkin->verdict, "exited") == 0 &&
                  g_str_equal (checkin->direction, "exit");
  if (checkin->at == NULL)
    checkin->at = entry->created_at;
  return checkin->admission || checkin->exit;
}

/* The earlier admission that wins against a new one from @terminal_id, or
 * NULL when the new one stands. */
static const PdvStoreAdmission *
find_winner (GPtrArray  *admissions,
             const char *terminal_id,
             const char *policy)
{
  const PdvStoreAdmission *latest = NULL;

  if (g_strcmp0 (policy, "multi") == 0)
    return NULL;

  if (g_strcmp0 (policy, "reentry") != 0)
    {
      /* single (and anything unknown, the safe reading): the first stored
       * admission from another terminal. */
      for (guint i = 0; i < admissions->len; i++)
        {
          const PdvStoreAdmission *a = g_ptr_array_index (admissions, i);

          if (g_str_equal (a->direction, "entry") && !a->conflict && !g_str_equal (a->terminal, terminal_id))
            return a;
        }
      return NULL;
    }

  /* reentry: the latest admission from another terminal, unless an exit
   * was stored after it. */
  for (guint i = 0; i < admissions->len; i++)
    {
      const PdvStoreAdmission *a = g_ptr_array_index (admissions, i);

      if (g_str_equal (a->direction, "entry") && !a->conflict && !g_str_equal (a->terminal, terminal_id))
        latest = a;
      else if (g_str_equal (a->direction, "exit") && latest != NULL)
        latest = NULL;
    }
  return latest;
}

/* A change for the feed, added when the batch is stored. */
typedef struct {
  const char *type;
  char       *terminal;
  char       *text;
} PendingChange;

static void
pending_change_free (PendingChange *change)
{
  g_free (change->terminal);
  g_free (change->text);
  g_free (change);
}

static void
add_change (GPtrArray  *pending,
            const char *type,
            const char *terminal,
            json_t     *data)
{
  PendingChange *change = g_new0 (PendingChange, 1);

  change->type = type;
  change->terminal = g_strdup (terminal);
  change->text = pdv_canonical_json (data);
  g_ptr_array_add (pending, change);
}

/* The batch's changes, last thing before the commit: the feed's lock, which
 * keeps cursors in the order they become visible, is held only from here to
 * the commit, while batches of other terminals are checked and stored side
 * by side (tickets have locks of their own). */
static gboolean
flush_changes (PdvStore   *store,
               GPtrArray  *pending,
               GError    **error)
{
  if (pending->len == 0)
    return TRUE;
  if (!pdv_store_lock_changes (store, error))
    return FALSE;
  for (guint i = 0; i < pending->len; i++)
    {
      const PendingChange *change = g_ptr_array_index (pending, i);

      if (pdv_store_add_change (store, change->type, change->terminal, change->text, error) <= 0)
        return FALSE;
    }
  return TRUE;
}

/* Arbitrates a check-in and records it for the other terminals. */
static gboolean
store_checkin (PdvStore               *store,
               GPtrArray              *pending,
               const char             *terminal_id,
               const PdvJournalEntry  *entry,
               const Checkin          *checkin,
               gboolean               *out_conflict,
               char                  **out_reason,
               GError                **error)
{
  g_autoptr(GPtrArray) admissions = NULL;
  g_autoptr(json_t) change = NULL;
  const PdvStoreAdmission *winner = NULL;
  PdvStoreAdmission admission = { 0 };

  *out_conflict = FALSE;
  if (checkin->admission)
    {
      admissions = pdv_store_list_admissions (store, checkin->ticket_id, error);
      if (admissions == NULL)
        return FALSE;
      winner = find_winner (admissions, terminal_id, checkin->policy);
    }

  admission.terminal = (char *) terminal_id;
  admission.seq = entry->seq;
  admission.direction = (char *) checkin->direction;
  admission.at = (char *) checkin->at;
  admission.gate = (char *) checkin->gate;
  admission.conflict = winner != NULL;
  if (!pdv_store_add_admission (store, checkin->ticket_id, &admission, error))
    return FALSE;

  {
    PdvSyncCheckin heard = { checkin->ticket_id, checkin->direction, checkin->verdict, checkin->at,
                             checkin->gate, entry->seq, TRUE };

    change = pdv_sync_checkin_encode (&heard);
  }
  add_change (pending, "checkin", terminal_id, change);

  if (winner != NULL)
    {
      g_autoptr(PdvStoreTerminal) winner_terminal = NULL;
      g_autoptr(json_t) conflict = NULL;
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *now = pdv_sync_now (store);
      g_autofree char *text = NULL;

      if (!pdv_store_find_terminal (store, winner->terminal, FALSE, &winner_terminal, error))
        return FALSE;
      {
        PdvSyncConflictRecord record = {
          id, checkin->ticket_id, now,
          { winner->terminal, winner->seq, TRUE, winner->at, winner->gate },
          { terminal_id, entry->seq, TRUE, checkin->at, checkin->gate },
        };

        conflict = pdv_sync_conflict_encode (&record);
      }
      text = pdv_canonical_json (conflict);
      if (!pdv_store_add_conflict (store, id, checkin->ticket_id, now, text, error))
        return FALSE;
      add_change (pending, "conflict", NULL, conflict);
      *out_conflict = TRUE;
      *out_reason = g_strdup_printf ("%s was admitted at %s at %s by %s", checkin->ticket_id,
                                     winner->gate ? winner->gate : "?", winner->at ? winner->at : "?",
                                     winner_terminal ? winner_terminal->name : winner->terminal);
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every ticket the batch may arbitrate, locked in one order so that two
 * batches never wait for each other in a circle. */
static gboolean
lock_tickets (PdvStore    *store,
              GPtrArray   *entries,
              GError     **error)
{
  g_autoptr(GPtrArray) tickets = g_ptr_array_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      Checkin checkin;

      if (read_checkin (g_ptr_array_index (entries, i), &checkin))
        g_ptr_array_add (tickets, (gpointer) checkin.ticket_id);
    }
  g_ptr_array_sort (tickets, compare_strings);
  for (guint i = 0; i < tickets->len; i++)
    {
      if (i > 0 && g_str_equal (g_ptr_array_index (tickets, i), g_ptr_array_index (tickets, i - 1)))
        continue;
      if (!pdv_store_lock_ticket (store, g_ptr_array_index (tickets, i), error))
        return FALSE;
    }
  return TRUE;
}

static json_t *
result_json (const PdvJournalEntry *entry,
             PdvSyncResultStatus    status,
             const char            *reason)
{
  PdvSyncResult result = { entry->seq, entry->id, status, reason };

  return pdv_sync_result_encode (&result);
}

/* Why @entry is refused before its hash is even checked, or NULL: a
 * payload or a text in it past the limits (the request's decoder already
 * refused what is no entry at all). */
static char *
check_bounds (const PdvJournalEntry *entry)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();
  gsize size = entry->payload_text != NULL ? strlen (entry->payload_text) : 0;

  if (size > PDV_SYNC_MAX_PAYLOAD_BYTES)
    return g_strdup_printf ("payload too large: %" G_GSIZE_FORMAT " bytes, at most %d", size,
                            PDV_SYNC_MAX_PAYLOAD_BYTES);
  if (entry->user != NULL && strlen (entry->user) > PDV_SYNC_MAX_TEXT_BYTES)
    return g_strdup ("user too long");
  g_ptr_array_add (pending, entry->payload);
  while (pending->len > 0)
    {
      json_t *value = g_ptr_array_steal_index_fast (pending, pending->len - 1);
      const char *key;
      json_t *member;
      size_t i;

      if (json_is_string (value) && json_string_length (value) > PDV_SYNC_MAX_TEXT_BYTES)
        return g_strdup_printf ("a text in the payload is longer than %d bytes", PDV_SYNC_MAX_TEXT_BYTES);
      if (json_is_object (value))
        json_object_foreach (value, key, member)
          {
            if (strlen (key) > PDV_SYNC_MAX_TEXT_BYTES)
              return g_strdup_printf ("a field name in the payload is longer than %d bytes",
                                      PDV_SYNC_MAX_TEXT_BYTES);
            g_ptr_array_add (pending, member);
          }
      if (json_is_array (value))
        json_array_foreach (value, i, member)
          g_ptr_array_add (pending, member);
    }
  return NULL;
}

/* Checks and stores the batch in the open transaction. */
static gboolean
store_batch (PdvStore               *store,
             const PdvStoreTerminal *terminal,
             GPtrArray              *entries,
             json_t                 *results,
             gint64                 *out_acked,
             gboolean               *out_changed,
             GError                **error)
{
  g_autoptr(PdvStoreTerminal) locked = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_change_free);
  g_autoptr(PdvSyncTotals) totals = pdv_sync_totals_new ();
  g_autofree char *last_hash = NULL;
  g_autofree char *now = pdv_sync_now (store);
  gint64 last_seq;
  gboolean stored = FALSE;

  /* Pushes of one terminal run one at a time, whichever server takes them. */
  if (!pdv_store_find_terminal (store, terminal->id, TRUE, &locked, error))
    return FALSE;
  if (locked == NULL)
    {
      g_set_error (error, PDV_STORE_ERROR, PDV_STORE_ERROR_UNAVAILABLE, "terminal %s is gone", terminal->id);
      return FALSE;
    }
  if (!lock_tickets (store, entries, error) ||
      !pdv_store_lock_totals (store, FALSE, error))
    return FALSE;

  last_seq = locked->last_seq;
  last_hash = g_strdup (locked->last_hash);

  for (guint i = 0; i < entries->len; i++)
    {
      const PdvJournalEntry *entry = g_ptr_array_index (entries, i);
      /* payload_text is the decoder's own canonical text of the payload. */
      g_autofree char *hash = pdv_journal_entry_compute_hash_from_text (entry);
      g_autofree char *rejection = NULL;
      g_autofree char *reason = NULL;
      gboolean conflict = FALSE;
      PdvStoreEntry row;
      Checkin checkin;

      if ((rejection = check_bounds (entry)) != NULL)
        {
          /* Refused for what it holds, below. */
        }
      else if (hash == NULL || !g_str_equal (hash, entry->hash))
        rejection = g_strdup ("bad hash: the hash does not match the entry's contents");
      else if (entry->seq <= last_seq)
        {
          g_autoptr(PdvStoreEntry) existing = NULL;

          if (!pdv_store_find_entry (store, terminal->id, entry->seq, &existing, error))
            return FALSE;
          if (existing != NULL && g_str_equal (existing->hash, entry->hash))
            {
              /* Sent again: said as it was the first time, so that a scan
               * that lost to another gate is not taken for a plain copy. */
              gboolean was_conflict = g_strcmp0 (existing->status, "conflict") == 0;

              json_array_append_new (results, result_json (entry, was_conflict ? PDV_SYNC_RESULT_CONFLICT
                                                                               : PDV_SYNC_RESULT_DUPLICATE,
                                                           was_conflict ? "stored before, as a conflict" : NULL));
              continue;
            }
          rejection = g_strdup_printf ("another entry already has seq %" G_GINT64_FORMAT, entry->seq);
        }
      else if (entry->seq > last_seq + 1)
        rejection = g_strdup_printf ("gap: expected seq %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT,
                                     last_seq + 1, entry->seq);
      else if (!g_str_equal (entry->prev_hash, last_hash))
        rejection = last_seq == 0
                    ? g_strdup ("broken chain: seq 1 must follow the genesis hash")
                    : g_strdup_printf ("broken chain: prev_hash does not match seq %" G_GINT64_FORMAT, last_seq);
      else
        {
          gboolean taken = FALSE;

          if (!pdv_store_entry_id_exists (store, entry->id, &taken, error))
            return FALSE;
          if (taken)
            rejection = g_strdup_printf ("another entry already has id %s", entry->id);
        }

      if (rejection != NULL)
        {
          pdv_sync_audit ("entry %" G_GINT64_FORMAT " of terminal %s (%s) rejected: %s", entry->seq, terminal->id,
                          terminal->name, rejection);
          json_array_append_new (results, result_json (entry, PDV_SYNC_RESULT_REJECTED, rejection));
          break;
        }

      if (read_checkin (entry, &checkin))
        {
          if (!store_checkin (store, pending, terminal->id, entry, &checkin, &conflict, &reason, error))
            return FALSE;
          *out_changed = TRUE;
        }

      row.terminal = entry->terminal;
      row.seq = entry->seq;
      row.id = entry->id;
      row.kind = entry->kind;
      row.created_at = entry->created_at;
      row.mono_us = entry->mono_us;
      row.user = entry->user;
      row.payload = entry->payload_text;
      row.prev_hash = entry->prev_hash;
      row.hash = entry->hash;
      row.status = (char *) pdv_sync_result_status_to_string (conflict ? PDV_SYNC_RESULT_CONFLICT
                                                                       : PDV_SYNC_RESULT_ACCEPTED);
      if (!pdv_store_add_entry (store, &row, error) ||
          !pdv_sync_totals_add_entry (totals, store, &row, entry->payload, error))
        return FALSE;

      json_array_append_new (results, result_json (entry, conflict ? PDV_SYNC_RESULT_CONFLICT
                                                                   : PDV_SYNC_RESULT_ACCEPTED, reason));
      last_seq = entry->seq;
      g_free (last_hash);
      last_hash = g_strdup (entry->hash);
      stored = TRUE;
    }

  if (stored && !pdv_store_advance_terminal (store, terminal->id, last_seq, last_hash, now, error))
    return FALSE;
  if (!pdv_sync_totals_flush (totals, store, error) ||
      !flush_changes (store, pending, error))
    return FALSE;
  *out_acked = last_seq;
  return TRUE;
}

/**
 * pdv_sync_push:
 * @terminal: the terminal the request's token belongs to
 * @out_changed: (out): set when the change feed grew (a check-in was stored)
 *
 * Checks each entry's hash and its place in the terminal's chain, arbitrates
 * check-ins, and stores the batch up to the first refused entry, all in one
 * transaction.
 */
gboolean
pdv_sync_push (PdvStore               *store,
               PdvSyncMetrics         *metrics,
               const PdvStoreTerminal *terminal,
               json_t                 *request,
               gboolean               *out_changed,
               PdvSyncReply           *reply)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) results = json_array ();
  g_autofree char *problem = NULL;
  const char *terminal_id = NULL;
  gint64 acked = 0;
  gboolean changed = FALSE;
  json_t *item;
  size_t i;

  *out_changed = FALSE;
  entries = pdv_sync_push_request_decode (request, PDV_SYNC_MAX_BATCH, &terminal_id, &problem);
  if (entries == NULL)
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "%s", problem);
      return FALSE;
    }
  if (!g_str_equal (terminal_id, terminal->id))
    {
      pdv_sync_reply_error (reply, 403, "forbidden", "this token belongs to terminal %s, not %s",
                            terminal->id, terminal_id);
      return FALSE;
    }
  for (i = 0; i < entries->len; i++)
    {
      const PdvJournalEntry *entry = g_ptr_array_index (entries, i);

      if (!g_str_equal (entry->terminal, terminal->id))
        {
          pdv_sync_reply_error (reply, 403, "forbidden", "entries[%zu] belongs to terminal %s, not to %s",
                                i, entry->terminal, terminal->id);
          return FALSE;
        }
    }

  if (!pdv_store_begin (store, TRUE, &error) ||
      !store_batch (store, terminal, entries, results, &acked, &changed, &error) ||
      !pdv_store_commit (store, &error))
    {
      pdv_store_rollback (store);
      pdv_sync_reply_store_error (reply, error);
      return FALSE;
    }

  *out_changed = changed;
  /* Counted once durable: results follow the entries, up to the first refusal. */
  json_array_foreach (results, i, item)
    {
      const PdvJournalEntry *entry = g_ptr_array_index (entries, i);

      pdv_sync_metrics_count_entry (metrics, entry->kind, json_string_value (json_object_get (item, "status")));
    }

  pdv_sync_reply_json (reply, 200, pdv_sync_push_reply_encode (json_incref (results), acked));
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <string.h>

#include "pdv-journal.h"
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

static gboolean
is_hex64 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
is_kind (const char *kind)
{
  if (kind == NULL || *kind == '\0' || strlen (kind) > 64)
    return FALSE;
  for (const char *p = kind; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/* Reads one pushed entry; on failure says which field is wrong. */
static PdvJournalEntry *
entry_from_json (json_t  *item,
                 guint    index,
                 char   **problem)
{
  g_autoptr(PdvJournalEntry) entry = g_new0 (PdvJournalEntry, 1);
  g_autoptr(GDateTime) created = NULL;
  json_t *seq, *id, *terminal, *kind, *created_at, *mono_us, *user, *payload, *prev_hash, *hash;
  const char *field = NULL;

  if (!json_is_object (item))
    {
      *problem = g_strdup_printf ("entries[%u] must be an object", index);
      return NULL;
    }
  seq = json_object_get (item, "seq");
  id = json_object_get (item, "id");
  terminal = json_object_get (item, "terminal");
  kind = json_object_get (item, "kind");
  created_at = json_object_get (item, "created_at");
  mono_us = json_object_get (item, "mono_us");
  user = json_object_get (item, "user");
  payload = json_object_get (item, "payload");
  prev_hash = json_object_get (item, "prev_hash");
  hash = json_object_get (item, "hash");

  if (!json_is_integer (seq) || json_integer_value (seq) < 1)
    field = "seq (a positive integer)";
  else if (!json_is_string (id) || !g_uuid_string_is_valid (json_string_value (id)))
    field = "id (a UUID)";
  else if (!json_is_string (terminal) || *json_string_value (terminal) == '\0')
    field = "terminal";
  else if (!json_is_string (kind) || !is_kind (json_string_value (kind)))
    field = "kind";
  else if (!json_is_string (created_at) ||
           (created = g_date_time_new_from_iso8601 (json_string_value (created_at), NULL)) == NULL)
    field = "created_at (ISO 8601 with an offset)";
  else if (!json_is_integer (mono_us))
    field = "mono_us (an integer)";
  else if (user != NULL && !json_is_null (user) && !json_is_string (user))
    field = "user (a string or null)";
  else if (!json_is_object (payload))
    field = "payload (an object)";
  else if (!json_is_string (prev_hash) || !is_hex64 (json_string_value (prev_hash)))
    field = "prev_hash (64 lowercase hex digits)";
  else if (!json_is_string (hash) || !is_hex64 (json_string_value (hash)))
    field = "hash (64 lowercase hex digits)";
  if (field != NULL)
    {
      *problem = g_strdup_printf ("entries[%u]: missing or invalid field %s", index, field);
      return NULL;
    }

  entry->seq = json_integer_value (seq);
  entry->id = g_strdup (json_string_value (id));
  entry->terminal = g_strdup (json_string_value (terminal));
  entry->kind = g_strdup (json_string_value (kind));
  entry->created_at = g_strdup (json_string_value (created_at));
  entry->mono_us = json_integer_value (mono_us);
  entry->user = g_strdup (json_string_value (user));
  entry->payload = json_incref (payload);
  entry->payload_text = pdv_canonical_json (payload);
  entry->prev_hash = g_strdup (json_string_value (prev_hash));
  entry->hash = g_strdup (json_string_value (hash));
  return g_steal_pointer (&entry);
}

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
  if (!g_str_equal (entry->kind, "checkin"))
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

static json_t *
admission_json (const char *terminal,
                gint64      seq,
                const char *at,
                const char *gate)
{
  return json_pack ("{s:s, s:I, s:s?, s:s?}", "terminal", terminal, "seq", (json_int_t) seq,
                    "at", at, "gate", gate);
}

static gboolean
add_change (PdvStore    *store,
            const char  *type,
            const char  *terminal,
            json_t      *data,
            GError     **error)
{
  g_autofree char *text = pdv_canonical_json (data);

  return pdv_store_lock_changes (store, error) &&
         pdv_store_add_change (store, type, terminal, text, error) > 0;
}

/* Arbitrates a check-in and records it for the other terminals. */
static gboolean
store_checkin (PdvStore               *store,
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

  change = json_pack ("{s:s, s:s, s:s, s:s?, s:s?, s:I}",
                      "ticket_id", checkin->ticket_id, "direction", checkin->direction,
                      "verdict", checkin->verdict, "at", checkin->at, "gate", checkin->gate,
                      "seq", (json_int_t) entry->seq);
  if (!add_change (store, "checkin", terminal_id, change, error))
    return FALSE;

  if (winner != NULL)
    {
      g_autoptr(PdvStoreTerminal) winner_terminal = NULL;
      g_autoptr(json_t) conflict = NULL;
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *now = pdv_sync_now ();
      g_autofree char *text = NULL;

      if (!pdv_store_find_terminal (store, winner->terminal, FALSE, &winner_terminal, error))
        return FALSE;
      conflict = json_pack ("{s:s, s:s, s:s, s:o, s:o}",
                            "id", id, "ticket_id", checkin->ticket_id, "created_at", now,
                            "winner", admission_json (winner->terminal, winner->seq, winner->at, winner->gate),
                            "loser", admission_json (terminal_id, entry->seq, checkin->at, checkin->gate));
      text = pdv_canonical_json (conflict);
      if (!pdv_store_add_conflict (store, id, checkin->ticket_id, now, text, error) ||
          !add_change (store, "conflict", NULL, conflict, error))
        return FALSE;
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
             const char            *status,
             const char            *reason)
{
  return json_pack ("{s:I, s:s, s:s, s:s?}", "seq", (json_int_t) entry->seq, "id", entry->id,
                    "status", status, "reason", reason);
}

/* Checks and stores the batch in the open transaction. */
static gboolean
store_batch (PdvStore               *store,
             const PdvStoreTerminal *terminal,
             GPtrArray              *entries,
             json_t                 *results,
             gint64                 *out_acked,
             GError                **error)
{
  g_autoptr(PdvStoreTerminal) locked = NULL;
  g_autofree char *last_hash = NULL;
  g_autofree char *now = pdv_sync_now ();
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
  if (!lock_tickets (store, entries, error))
    return FALSE;

  last_seq = locked->last_seq;
  last_hash = g_strdup (locked->last_hash);

  for (guint i = 0; i < entries->len; i++)
    {
      const PdvJournalEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *hash = pdv_journal_entry_compute_hash (entry);
      g_autofree char *rejection = NULL;
      g_autofree char *reason = NULL;
      gboolean conflict = FALSE;
      PdvStoreEntry row;
      Checkin checkin;

      if (hash == NULL || !g_str_equal (hash, entry->hash))
        rejection = g_strdup ("bad hash: the hash does not match the entry's contents");
      else if (entry->seq <= last_seq)
        {
          g_autoptr(PdvStoreEntry) existing = NULL;

          if (!pdv_store_find_entry (store, terminal->id, entry->seq, &existing, error))
            return FALSE;
          if (existing != NULL && g_str_equal (existing->hash, entry->hash))
            {
              json_array_append_new (results, result_json (entry, "duplicate", NULL));
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
          json_array_append_new (results, result_json (entry, "rejected", rejection));
          break;
        }

      if (read_checkin (entry, &checkin) &&
          !store_checkin (store, terminal->id, entry, &checkin, &conflict, &reason, error))
        return FALSE;

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
      row.status = (char *) (conflict ? "conflict" : "accepted");
      if (!pdv_store_add_entry (store, &row, error))
        return FALSE;

      json_array_append_new (results, result_json (entry, row.status, reason));
      last_seq = entry->seq;
      g_free (last_hash);
      last_hash = g_strdup (entry->hash);
      stored = TRUE;
    }

  if (stored && !pdv_store_advance_terminal (store, terminal->id, last_seq, last_hash, now, error))
    return FALSE;
  *out_acked = last_seq;
  return TRUE;
}

/**
 * pdv_sync_push:
 * @terminal: the terminal the request's token belongs to
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
               PdvSyncReply           *reply)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_journal_entry_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) results = json_array ();
  json_t *terminal_id = json_object_get (request, "terminal_id");
  json_t *items = json_object_get (request, "entries");
  gint64 acked = 0;
  json_t *item;
  size_t i;

  if (!json_is_string (terminal_id) || !json_is_array (items))
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "a push needs terminal_id (a string) and entries (a list)");
      return FALSE;
    }
  if (!g_str_equal (json_string_value (terminal_id), terminal->id))
    {
      pdv_sync_reply_error (reply, 403, "forbidden", "this token belongs to terminal %s, not %s",
                            terminal->id, json_string_value (terminal_id));
      return FALSE;
    }
  if (json_array_size (items) > PDV_SYNC_MAX_BATCH)
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "at most %d entries per push, got %zu",
                            PDV_SYNC_MAX_BATCH, json_array_size (items));
      return FALSE;
    }

  json_array_foreach (items, i, item)
    {
      g_autofree char *problem = NULL;
      PdvJournalEntry *entry = entry_from_json (item, i, &problem);

      if (entry == NULL)
        {
          pdv_sync_reply_error (reply, 400, "bad_request", "%s", problem);
          return FALSE;
        }
      g_ptr_array_add (entries, entry);
      if (!g_str_equal (entry->terminal, terminal->id))
        {
          pdv_sync_reply_error (reply, 403, "forbidden", "entries[%zu] belongs to terminal %s, not to %s",
                                i, entry->terminal, terminal->id);
          return FALSE;
        }
    }

  if (!pdv_store_begin (store, TRUE, &error) ||
      !store_batch (store, terminal, entries, results, &acked, &error) ||
      !pdv_store_commit (store, &error))
    {
      pdv_store_rollback (store);
      pdv_sync_reply_store_error (reply, error);
      return FALSE;
    }

  /* Counted once durable: results follow the entries, up to the first refusal. */
  json_array_foreach (results, i, item)
    {
      const PdvJournalEntry *entry = g_ptr_array_index (entries, i);

      pdv_sync_metrics_count_entry (metrics, entry->kind, json_string_value (json_object_get (item, "status")));
    }

  pdv_sync_reply_json (reply, 200, json_pack ("{s:O, s:I}", "results", results, "acked_seq", (json_int_t) acked));
  return TRUE;
}

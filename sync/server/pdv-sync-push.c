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
  /* A ficha served at a counter: arbitrated as a ticket "ficha:ID" admitted
   * once (at the counter, its "gate"); told to the others as a "ficha". */
  const char *ficha_id;
} Checkin;

/* The arbitration key of a served ficha, alive as long as @strings. */
static const char *
ficha_ticket (GStringChunk *strings,
              const char   *ficha_id)
{
  g_autofree char *key = g_strconcat ("ficha:", ficha_id, NULL);

  return g_string_chunk_insert_const (strings, key);
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
              GStringChunk          *strings,
              Checkin               *checkin)
{
  memset (checkin, 0, sizeof *checkin);
  if (g_str_equal (entry->kind, PDV_ENTRY_FICHA_REDEEM))
    {
      checkin->ficha_id = payload_string (entry, "ficha");
      checkin->verdict = payload_string (entry, "verdict");
      if (checkin->ficha_id == NULL || *checkin->ficha_id == '\0' || g_strcmp0 (checkin->verdict, "valid") != 0)
        return FALSE;
      checkin->ticket_id = ficha_ticket (strings, checkin->ficha_id);
      checkin->direction = "entry";
      checkin->policy = "single";
      checkin->at = entry->created_at;
      checkin->gate = payload_string (entry, "counter");
      checkin->admission = TRUE;
      return TRUE;
    }
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
  g_autofree const char **types = NULL;
  g_autofree const char **terminals = NULL;
  g_autofree const char **texts = NULL;

  if (pending->len == 0)
    return TRUE;
  if (!pdv_store_lock_changes (store, error))
    return FALSE;
  types = g_new0 (const char *, pending->len);
  terminals = g_new0 (const char *, pending->len);
  texts = g_new0 (const char *, pending->len);
  for (guint i = 0; i < pending->len; i++)
    {
      const PendingChange *change = g_ptr_array_index (pending, i);

      types[i] = change->type;
      terminals[i] = change->terminal;
      texts[i] = change->text;
    }
  return pdv_store_add_changes (store, types, terminals, texts, pending->len, error);
}

/* What a batch knows of its tickets: their admissions as stored, read
 * once, with the batch's own added as they are arbitrated; and those to
 * write when the batch is stored. */
typedef struct {
  GStringChunk *strings;    /* the fichas' arbitration keys */
  GPtrArray  *ids;          /* the batch's tickets, sorted, borrowed */
  GHashTable *admissions;   /* ticket id → GPtrArray of PdvStoreAdmission */
  GPtrArray  *new_tickets;  /* borrowed ticket ids, one for each of ... */
  GArray     *new_rows;     /* PdvStoreAdmission, borrowing the entries' strings */
} Tickets;

static void
tickets_clear (Tickets *tickets)
{
  g_clear_pointer (&tickets->ids, g_ptr_array_unref);
  g_clear_pointer (&tickets->strings, g_string_chunk_free);
  g_clear_pointer (&tickets->admissions, g_hash_table_unref);
  g_clear_pointer (&tickets->new_tickets, g_ptr_array_unref);
  g_clear_pointer (&tickets->new_rows, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tickets, tickets_clear)

/* Records @admission (its strings borrowed from the batch's entries) to be
 * written with the batch, and in what the batch knows of @ticket_id. */
static void
keep_admission (Tickets                 *tickets,
                GPtrArray               *admissions,
                const char              *ticket_id,
                const PdvStoreAdmission *admission)
{
  PdvStoreAdmission *kept;

  g_ptr_array_add (tickets->new_tickets, (gpointer) ticket_id);
  g_array_append_val (tickets->new_rows, *admission);
  /* The next scan of this ticket in the batch sees this one. */
  kept = g_new0 (PdvStoreAdmission, 1);
  kept->terminal = g_strdup (admission->terminal);
  kept->seq = admission->seq;
  kept->direction = g_strdup (admission->direction);
  kept->at = g_strdup (admission->at);
  kept->gate = g_strdup (admission->gate);
  kept->conflict = admission->conflict;
  g_ptr_array_add (admissions, kept);
}

static gboolean
has_direction (GPtrArray  *admissions,
               const char *direction,
               gboolean    won)
{
  for (guint i = 0; i < admissions->len; i++)
    {
      const PdvStoreAdmission *a = g_ptr_array_index (admissions, i);

      if (g_str_equal (a->direction, direction) && (!won || !a->conflict))
        return TRUE;
    }
  return FALSE;
}

/* The fichas a void or refund takes back: those not served yet as the
 * server knows (served wins), each an admission "revoked" of its ticket so
 * that a serving stored later finds it. Counted in the report's totals. */
static gboolean
revoke_fichas (PdvStore               *store,
               Tickets                *tickets,
               PdvSyncTotals          *totals,
               const char             *terminal_id,
               const PdvJournalEntry  *entry,
               GError                **error)
{
  json_t *revoked = json_object_get (entry->payload, "fichas_revoked");
  const char *sale_id = payload_string (entry, "sale_id");
  g_autoptr(PdvStoreEntry) sale = NULL;
  g_autoptr(json_t) sale_payload = NULL;
  json_t *id;
  size_t i;

  if (json_array_size (revoked) == 0 || sale_id == NULL)
    return TRUE;
  if (!pdv_store_find_entry_by_id (store, sale_id, &sale, error))
    return FALSE;
  if (sale == NULL || !g_str_equal (sale->terminal, terminal_id))
    return TRUE;
  sale_payload = json_loads (sale->payload, 0, NULL);
  json_array_foreach (revoked, i, id)
    {
      const char *ticket_id;
      GPtrArray *admissions;
      const char *product = NULL, *name = NULL;
      PdvStoreAdmission admission = { 0 };

      if (!json_is_string (id))
        continue;
      ticket_id = ficha_ticket (tickets->strings, json_string_value (id));
      admissions = g_hash_table_lookup (tickets->admissions, ticket_id);
      g_assert (admissions != NULL);
      if (has_direction (admissions, "entry", TRUE) || has_direction (admissions, "revoked", FALSE) ||
          !pdv_sync_totals_ficha_sold_as (sale_payload, json_string_value (id), &product, &name))
        continue;
      admission.terminal = (char *) terminal_id;
      admission.seq = entry->seq;
      admission.direction = (char *) "revoked";
      admission.at = (char *) entry->created_at;
      keep_admission (tickets, admissions, ticket_id, &admission);
      pdv_sync_totals_add_ficha (totals, terminal_id, product, name, 0, 0, 1);
    }
  return TRUE;
}

/* Arbitrates a check-in and records it for the other terminals. */
static gboolean
store_checkin (PdvStore               *store,
               Tickets                *tickets,
               PdvSyncTotals          *totals,
               GPtrArray              *pending,
               const char             *terminal_id,
               const PdvJournalEntry  *entry,
               const Checkin          *checkin,
               gboolean               *out_conflict,
               char                  **out_reason,
               GError                **error)
{
  GPtrArray *admissions = g_hash_table_lookup (tickets->admissions, checkin->ticket_id);
  g_autoptr(json_t) change = NULL;
  const PdvStoreAdmission *winner = NULL;
  PdvStoreAdmission admission = { 0 };

  g_assert (admissions != NULL);
  *out_conflict = FALSE;
  if (checkin->admission)
    winner = find_winner (admissions, terminal_id, checkin->policy);
  /* Served after a void or refund took it back: served after all (the
   * report moves it from taken back to served). */
  if (checkin->ficha_id != NULL && winner == NULL && !has_direction (admissions, "entry", TRUE) &&
      has_direction (admissions, "revoked", FALSE))
    pdv_sync_totals_add_ficha (totals, terminal_id, payload_string (entry, "product"), payload_string (entry, "name"),
                               0, 0, -1);

  admission.terminal = (char *) terminal_id;
  admission.seq = entry->seq;
  admission.direction = (char *) checkin->direction;
  admission.at = (char *) checkin->at;
  admission.gate = (char *) checkin->gate;
  admission.conflict = winner != NULL;
  keep_admission (tickets, admissions, checkin->ticket_id, &admission);

  if (checkin->ficha_id != NULL)
    {
      /* Served: every other counter is told, with where and when. */
      change = json_pack ("{s:s, s:s, s:s, s:s?, s:I, s:s?, s:s?, s:s?}", "ficha", checkin->ficha_id,
                          "state", "redeemed", "at", checkin->at, "counter", checkin->gate,
                          "seq", (json_int_t) entry->seq, "product", payload_string (entry, "product"),
                          "name", payload_string (entry, "name"), "key", payload_string (entry, "key"));
      add_change (pending, "ficha", terminal_id, change);
    }
  else
    {
      PdvSyncCheckin heard = { checkin->ticket_id, checkin->direction, checkin->verdict, checkin->at,
                               checkin->gate, entry->seq, TRUE };

      change = pdv_sync_checkin_encode (&heard);
      add_change (pending, "checkin", terminal_id, change);
    }

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
      *out_reason = g_strdup_printf (checkin->ficha_id != NULL ? "ficha %s was served at %s at %s by %s"
                                                               : "%s was admitted at %s at %s by %s",
                                     checkin->ficha_id != NULL ? checkin->ficha_id : checkin->ticket_id,
                                     winner->gate ? winner->gate : "?", winner->at ? winner->at : "?",
                                     winner_terminal ? winner_terminal->name : winner->terminal);
    }
  return TRUE;
}

/* What every other terminal must hear of a till's fichas: the key it signs
 * them with, and those a void or refund took back. */
static gboolean
tell_fichas (GPtrArray              *pending,
             const PdvStoreTerminal *terminal,
             const PdvJournalEntry  *entry)
{
  /* The key is said by the first sale that handed fichas over. */
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE))
    {
      json_t *key = json_object_get (entry->payload, "ficha_key");
      const char *public_key = json_string_value (json_object_get (key, "public_key"));
      g_autoptr(json_t) change = NULL;

      if (public_key == NULL)
        return FALSE;
      change = json_pack ("{s:s, s:s?, s:s?, s:I}", "public_key", public_key,
                          "tag", json_string_value (json_object_get (key, "tag")),
                          "terminal_name", terminal->name, "seq", (json_int_t) entry->seq);
      add_change (pending, "ficha_key", terminal->id, change);
      return TRUE;
    }
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID) || g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
    {
      json_t *revoked = json_object_get (entry->payload, "fichas_revoked");
      gboolean told = FALSE;
      size_t i;
      json_t *id;

      json_array_foreach (revoked, i, id)
        if (json_is_string (id))
          {
            g_autoptr(json_t) change = json_pack ("{s:O, s:s, s:s, s:I}", "ficha", id, "state", "revoked",
                                                  "at", entry->created_at, "seq", (json_int_t) entry->seq);

            add_change (pending, "ficha", terminal->id, change);
            told = TRUE;
          }
      return told;
    }
  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every ticket the batch may arbitrate, locked in one order so that two
 * batches never wait for each other in a circle; then what is stored of
 * them, read once. */
static gboolean
lock_tickets (PdvStore    *store,
              GPtrArray   *entries,
              Tickets     *out,
              GError     **error)
{
  GPtrArray *tickets = out->ids = g_ptr_array_new ();
  guint n = 0;

  out->strings = g_string_chunk_new (256);
  for (guint i = 0; i < entries->len; i++)
    {
      Checkin checkin;

      const PdvJournalEntry *entry = g_ptr_array_index (entries, i);

      if (read_checkin (entry, out->strings, &checkin))
        g_ptr_array_add (tickets, (gpointer) checkin.ticket_id);
      else if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID) || g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
        {
          /* What it takes back is arbitrated against the servings. */
          size_t j;
          json_t *id;

          json_array_foreach (json_object_get (entry->payload, "fichas_revoked"), j, id)
            if (json_is_string (id))
              g_ptr_array_add (tickets, (gpointer) ficha_ticket (out->strings, json_string_value (id)));
        }
    }
  g_ptr_array_sort (tickets, compare_strings);
  for (guint i = 0; i < tickets->len; i++)
    if (i == 0 || !g_str_equal (g_ptr_array_index (tickets, i), g_ptr_array_index (tickets, n - 1)))
      tickets->pdata[n++] = g_ptr_array_index (tickets, i);
  g_ptr_array_set_size (tickets, n);

  out->admissions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  out->new_tickets = g_ptr_array_new ();
  out->new_rows = g_array_new (FALSE, FALSE, sizeof (PdvStoreAdmission));
  return pdv_store_lock_tickets (store, (const char * const *) tickets->pdata, tickets->len, error) &&
         pdv_store_list_admissions_many (store, (const char * const *) tickets->pdata, tickets->len,
                                         out->admissions, error);
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
/* Writes the rows waiting, at once where the store can. */
static gboolean
flush_rows (PdvStore  *store,
            GArray    *rows,
            GError   **error)
{
  gboolean done = pdv_store_add_entries (store, (const PdvStoreEntry *) (gpointer) rows->data, rows->len, error);

  g_array_set_size (rows, 0);
  return done;
}

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
  /* Ids stored before, and in this batch; rows waiting to be written. */
  g_autoptr(GHashTable) taken_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) batch_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PdvStoreEntry));
  g_auto(Tickets) tickets = { 0 };
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
  if (!lock_tickets (store, entries, &tickets, error) ||
      !pdv_store_lock_totals (store, FALSE, error) ||
      !pdv_sync_totals_read_presence (totals, store, (const char * const *) tickets.ids->pdata, tickets.ids->len,
                                      error))
    return FALSE;

  last_seq = locked->last_seq;
  last_hash = g_strdup (locked->last_hash);

  /* Whether any new entry's id is taken, asked once for the batch; the
   * rows are written a few hundred at a time (see flush below). */
  {
    g_autoptr(GPtrArray) ids = g_ptr_array_new ();

    for (guint i = 0; i < entries->len; i++)
      {
        const PdvJournalEntry *entry = g_ptr_array_index (entries, i);

        if (entry->seq > last_seq)
          g_ptr_array_add (ids, entry->id);
      }
    if (!pdv_store_find_taken_ids (store, (const char * const *) ids->pdata, ids->len, taken_ids, error))
      return FALSE;
  }

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
      else if (g_hash_table_contains (taken_ids, entry->id) || g_hash_table_contains (batch_ids, entry->id))
        rejection = g_strdup_printf ("another entry already has id %s", entry->id);

      if (rejection != NULL)
        {
          pdv_sync_audit ("entry %" G_GINT64_FORMAT " of terminal %s (%s) rejected: %s", entry->seq, terminal->id,
                          terminal->name, rejection);
          json_array_append_new (results, result_json (entry, PDV_SYNC_RESULT_REJECTED, rejection));
          break;
        }

      if (read_checkin (entry, tickets.strings, &checkin))
        {
          if (!store_checkin (store, &tickets, totals, pending, terminal->id, entry, &checkin, &conflict, &reason,
                              error))
            return FALSE;
          *out_changed = TRUE;
        }
      else if (tell_fichas (pending, terminal, entry))
        *out_changed = TRUE;

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
      /* A void or a refund looks up its sale, which may be in this batch:
       * the rows before it are written first. */
      if (!g_str_equal (entry->kind, PDV_ENTRY_SALE) && !g_str_equal (entry->kind, PDV_ENTRY_CHECKIN) &&
          !g_str_equal (entry->kind, PDV_ENTRY_FICHA_REDEEM) && !flush_rows (store, rows, error))
        return FALSE;
      if ((g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID) || g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND)) &&
          !revoke_fichas (store, &tickets, totals, terminal->id, entry, error))
        return FALSE;
      g_array_append_val (rows, row);
      g_hash_table_add (batch_ids, entry->id);
      if (!pdv_sync_totals_add_entry (totals, store, &row, entry->payload, error))
        return FALSE;

      json_array_append_new (results, result_json (entry, conflict ? PDV_SYNC_RESULT_CONFLICT
                                                                   : PDV_SYNC_RESULT_ACCEPTED, reason));
      last_seq = entry->seq;
      g_free (last_hash);
      last_hash = g_strdup (entry->hash);
      stored = TRUE;
    }

  if (!flush_rows (store, rows, error) ||
      !pdv_store_add_admissions (store, (const char * const *) tickets.new_tickets->pdata,
                                 (const PdvStoreAdmission *) (gpointer) tickets.new_rows->data,
                                 tickets.new_rows->len, error))
    return FALSE;
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "pdv-ficha.h"
#include "pdv-import.h"
#include "pdv-journal.h"
#include "pdv-sync-codec.h"
#include "pdv-sync-private.h"

/* One round of synchronisation with the servers of sync/PROTOCOL.md: push
 * what the server has not acknowledged, in seq order, then pull what changed
 * since the cursor, one page per transaction. Every step can be repeated
 * after a lost answer without harm. */

/* The protocol's largest push. */
#define PUSH_BATCH_MAX 500
#define PULL_PAGE_SIZE 500
/* How often one round follows a server that holds fewer of this terminal's
 * entries than it acknowledged before (its storage was restored). */
#define MAX_REWINDS 3

struct _PdvSyncClient
{
  PdvDb       *db;
  PdvJournal  *journal;
  SoupSession *session;
  char        *session_pin;   /* the trust the session was made with */
  char        *session_ca;
  guint        preferred;     /* the server that answered last */
  guint        batch_limit;   /* lowered when a server finds a push too large */
  guint        retry_after;
  guint        last_status;
  gboolean     reached;
};

void
pdv_sync_summary_clear (PdvSyncSummary *summary)
{
  g_clear_pointer (&summary->server, g_free);
  memset (summary, 0, sizeof *summary);
}

PdvSyncClient *
pdv_sync_client_new (PdvDb *db)
{
  PdvSyncClient *self = g_new0 (PdvSyncClient, 1);

  self->db = g_object_ref (db);
  self->journal = pdv_journal_new (db);
  self->batch_limit = PUSH_BATCH_MAX;
  return self;
}

void
pdv_sync_client_free (PdvSyncClient *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->session);
  g_free (self->session_pin);
  g_free (self->session_ca);
  g_clear_object (&self->journal);
  g_clear_object (&self->db);
  g_free (self);
}

PdvDb *
pdv_sync_client_get_db (PdvSyncClient *self)
{
  return self->db;
}

guint
pdv_sync_client_get_retry_after (PdvSyncClient *self)
{
  return self->retry_after;
}

/* A session that trusts what the terminal trusts now: made again when a
 * manager changed it (or a new enrolment brought a new pin). */
static void
ensure_session (PdvSyncClient       *self,
                const PdvSyncConfig *config)
{
  if (self->session != NULL && g_strcmp0 (self->session_pin, config->tls_pin) == 0 &&
      g_strcmp0 (self->session_ca, config->tls_ca) == 0)
    return;
  g_clear_object (&self->session);
  g_free (self->session_pin);
  g_free (self->session_ca);
  self->session_pin = g_strdup (config->tls_pin);
  self->session_ca = g_strdup (config->tls_ca);
  self->session = pdv_sync_new_session (config->tls_pin, config->tls_ca);
}

static json_t *
client_request (PdvSyncClient  *self,
                const char     *method,
                const char     *server,
                const char     *path,
                json_t         *body,
                const char     *token,
                GCancellable   *cancellable,
                GError        **error)
{
  guint retry_after = 0;
  json_t *reply;
  g_autofree char *waiting = NULL;
  g_autofree char *oldest = NULL;
  const char *headers[5] = { NULL };
  gint64 queued = 0;

  /* What waits to be sent, told to the server for the organiser's panel. */
  if (pdv_sync_read_queue (self->db, &queued, &oldest))
    waiting = g_strdup_printf ("%" G_GINT64_FORMAT, queued);
  if (waiting != NULL)
    {
      headers[0] = "X-PDV-Waiting";
      headers[1] = waiting;
      if (oldest != NULL)
        {
          headers[2] = "X-PDV-Oldest-Unsynced";
          headers[3] = oldest;
        }
    }
  reply = pdv_sync_request (self->session, method, server, path, body, token, headers, cancellable,
                            &self->last_status, &retry_after, &self->reached, error);
  self->retry_after = MAX (self->retry_after, retry_after);
  return reply;
}

static const char *
payload_string (const PdvJournalEntry *entry,
                const char            *key)
{
  return json_string_value (json_object_get (entry->payload, key));
}

/* Stores what the server said about one batch: the new acknowledged seq and
 * the entries of this terminal that lost an arbitration, in one
 * transaction. Sets @out_rejected_seq and @out_reason when the server refused
 * an entry. */
static gboolean
handle_push_reply (PdvSyncClient   *self,
                   const char      *server,
                   GPtrArray       *entries,
                   json_t          *reply,
                   PdvSyncSummary  *summary,
                   gint64          *out_acked,
                   gint64          *out_rejected_seq,
                   char           **out_reason,
                   GError         **error)
{
  const PdvJournalEntry *first = g_ptr_array_index (entries, 0);
  g_autoptr(GArray) results = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_sync_conflict_free);
  g_autofree char *now = pdv_sync_now_iso8601 (self->db);
  gint64 pushed = 0, duplicates = 0, conflicts = 0;
  gint64 last_seq, delivered;

  *out_rejected_seq = 0;
  *out_reason = NULL;
  results = pdv_sync_push_reply_decode (reply, out_acked, &problem);
  if (results == NULL)
    return pdv_sync_bad_answer (error, server, problem);

  last_seq = pdv_journal_get_last_seq (self->journal);
  if (*out_acked < 0 || *out_acked > last_seq)
    {
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_DIVERGED,
                   _("The sync server %s holds entries of this terminal up to %lld, but its journal ends at %lld: "
                     "it was restored from a backup. A manager recovers its history with Sync › Recover History "
                     "(or “pdvctl recover”); nothing made here is lost."),
                   server, (long long) *out_acked, (long long) last_seq);
      return FALSE;
    }

  for (guint i = 0; i < results->len; i++)
    {
      const PdvSyncResult *result = &g_array_index (results, PdvSyncResult, i);
      const PdvJournalEntry *entry;
      gint64 seq = result->seq;

      if (seq < first->seq || seq >= first->seq + (gint64) entries->len)
        return pdv_sync_bad_answer (error, server, _("a push result names an entry that was not sent"));
      entry = g_ptr_array_index (entries, seq - first->seq);

      if (result->status == PDV_SYNC_RESULT_ACCEPTED)
        pushed++;
      else if (result->status == PDV_SYNC_RESULT_DUPLICATE)
        duplicates++;
      else if (result->status == PDV_SYNC_RESULT_CONFLICT)
        {
          PdvSyncConflict *conflict = g_new0 (PdvSyncConflict, 1);
          const char *ticket_id = payload_string (entry, "ticket_id");

          conflict->ticket_id = g_strdup (ticket_id ? ticket_id : "?");
          conflict->loser_terminal = g_strdup (entry->terminal);
          conflict->loser_seq = entry->seq;
          conflict->loser_at = g_strdup (payload_string (entry, "at"));
          conflict->loser_gate = g_strdup (payload_string (entry, "gate"));
          /* A ficha served at two counters: as the server arbitrates it. */
          if (g_str_equal (entry->kind, PDV_ENTRY_FICHA_REDEEM) && payload_string (entry, "ficha") != NULL)
            {
              g_free (conflict->ticket_id);
              g_free (conflict->loser_at);
              g_free (conflict->loser_gate);
              conflict->ticket_id = g_strconcat ("ficha:", payload_string (entry, "ficha"), NULL);
              conflict->loser_at = g_strdup (entry->created_at);
              conflict->loser_gate = g_strdup (payload_string (entry, "counter"));
            }
          conflict->reason = g_strdup (result->reason);
          conflict->created_at = g_strdup (now);
          g_ptr_array_add (lost, conflict);
          conflicts++;
        }
      else
        {
          *out_rejected_seq = seq;
          *out_reason = g_strdup (result->reason ? result->reason : _("no reason given"));
          break;
        }
    }

  /* A refused entry the server holds another of (a terminal restored from
   * a backup) was not delivered, whatever the server holds after it. */
  delivered = *out_acked;
  if (*out_rejected_seq > 0 && *out_rejected_seq <= delivered)
    delivered = *out_rejected_seq - 1;

  if (!pdv_db_begin (self->db, error))
    return FALSE;
  for (guint c = 0; c < lost->len; c++)
    if (!pdv_sync_state_put_lost_entry (self->db, g_ptr_array_index (lost, c), error))
      goto failed;
  if (!pdv_sync_state_set_acked_seq (self->db, delivered, error) || !pdv_db_commit (self->db, error))
    goto failed;

  summary->pushed += pushed;
  summary->duplicates += duplicates;
  summary->conflicts += conflicts;
  summary->acked_seq = delivered;
  return TRUE;

failed:
  pdv_db_rollback (self->db);
  return FALSE;
}

static gboolean
push (PdvSyncClient   *self,
      const char      *server,
      const char      *token,
      const char      *terminal_id,
      GCancellable    *cancellable,
      PdvSyncSummary  *summary,
      GError         **error)
{
  guint rewinds = 0;

  for (;;)
    {
      g_auto(PdvSyncConfig) config = { 0 };
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(json_t) body = NULL;
      g_autoptr(json_t) reply = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *reason = NULL;
      gint64 acked = 0, rejected_seq = 0;

      if (!pdv_sync_state_read (self->db, &config, error))
        return FALSE;
      summary->acked_seq = config.acked_seq;
      entries = pdv_journal_list (self->journal, config.acked_seq, self->batch_limit, error);
      if (entries == NULL)
        return FALSE;
      if (entries->len == 0)
        return TRUE;

      body = pdv_sync_push_request_encode (terminal_id, entries);

      reply = client_request (self, "POST", server, "/v1/push", body, token, cancellable, &local_error);
      if (reply == NULL)
        {
          /* Entries can be large (an import records its whole list): send
           * fewer at a time. */
          if (self->last_status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE && self->batch_limit > 1)
            {
              self->batch_limit = MAX (self->batch_limit / 2, 1);
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (!handle_push_reply (self, server, entries, reply, summary, &acked, &rejected_seq, &reason, error))
        return FALSE;

      if (rejected_seq > 0)
        {
          /* The server holds less than it acknowledged before: push again
           * from where it stands. */
          if (acked < config.acked_seq && rewinds++ < MAX_REWINDS)
            continue;
          if (rejected_seq <= acked)
            {
              /* The server holds another entry under this seq. */
              g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_DIVERGED,
                           _("The sync server %s holds other entries of this terminal from entry %lld on: this "
                             "terminal was restored from a backup. A manager recovers its history with Sync › "
                             "Recover History (or “pdvctl recover”); nothing made here is lost."),
                           server, (long long) rejected_seq);
              return FALSE;
            }
          g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_REJECTED,
                       _("The sync server %s refused entry %lld of this terminal: %s"),
                       server, (long long) rejected_seq, reason);
          return FALSE;
        }
      if (acked <= config.acked_seq)
        return pdv_sync_bad_answer (error, server, _("a push was answered without storing or refusing anything"));
    }
}

static gboolean
change_failed (GError    **error,
               const char *server,
               gint64      cursor,
               const char *what)
{
  g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_PULL,
               _("Change %lld from the sync server %s could not be applied: %s"),
               (long long) cursor, server, what);
  return FALSE;
}

/* Past this many tickets or revocations, a list is applied in steps rather
 * than with the rest of its page, all or nothing. */
#define STEPPED_LIST_MIN 2000

static gsize
list_length (PdvImportKind  kind,
             json_t        *data)
{
  if (kind == PDV_IMPORT_KIND_TICKETS)
    return json_array_size (json_object_get (data, "tickets"));
  if (kind == PDV_IMPORT_KIND_REVOCATIONS)
    return json_array_size (json_object_get (data, "revocations"));
  return 0;
}

/* A list with nothing in it changes nothing, and an import refuses it. */
static gboolean
document_is_empty (PdvImportKind  kind,
                   json_t        *data)
{
  switch (kind)
    {
    case PDV_IMPORT_KIND_CATALOG:
      return json_array_size (json_object_get (data, "categories")) == 0 &&
             json_array_size (json_object_get (data, "products")) == 0;
    case PDV_IMPORT_KIND_TICKETS:
    case PDV_IMPORT_KIND_REVOCATIONS:
      return list_length (kind, data) == 0;
    case PDV_IMPORT_KIND_USERS:
      return json_array_size (json_object_get (data, "users")) == 0;
    case PDV_IMPORT_KIND_EVENT:
    case PDV_IMPORT_KIND_AUTO:
    case PDV_IMPORT_KIND_CATEGORIES:
    case PDV_IMPORT_KIND_PRODUCTS:
    default:
      return FALSE;
    }
}

static gboolean
apply_document (PdvSyncClient   *self,
                const char      *server,
                gint64           cursor,
                PdvImportKind    kind,
                json_t          *data,
                PdvSyncSummary  *summary,
                GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  char *text;
  gboolean ok;

  if (!json_is_object (data))
    return change_failed (error, server, cursor, _("its document is not a JSON object"));
  if (document_is_empty (kind, data))
    return TRUE;

  /* Named in the journal like a file, after the change it came from. */
  name = g_strdup_printf ("sync-%lld-%s.json", (long long) cursor, pdv_import_kind_name (kind));
  text = json_dumps (data, JSON_INDENT (2));
  if (text == NULL)
    return change_failed (error, server, cursor, _("its document could not be encoded"));
  if (list_length (kind, data) > STEPPED_LIST_MIN)
    {
      /* A long list goes in short steps that let the door scan between
       * them, outside the page's transaction. What the page applied before
       * it is committed first, without the cursor: should anything fail from
       * here on, the page comes again and applies alike. */
      ok = pdv_db_commit (self->db, &local_error) &&
           pdv_import_data_in_steps (self->journal, name, text, strlen (text), kind, NULL, NULL, &local_error);
      free (text);
      if (!pdv_db_in_transaction (self->db) && !pdv_db_begin (self->db, ok ? error : NULL))
        return FALSE;
    }
  else
    {
      ok = pdv_import_data_in_transaction (self->journal, name, text, strlen (text), kind, NULL, NULL,
                                           &local_error);
      free (text);
    }
  if (!ok)
    return change_failed (error, server, cursor, local_error->message);
  summary->documents++;
  return TRUE;
}

static gboolean
valid_time (const char *text)
{
  g_autoptr(GDateTime) time = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL;
}

static gboolean
apply_checkin (PdvSyncClient        *self,
               const char           *server,
               const char           *own_terminal,
               const PdvSyncChange  *change,
               PdvSyncSummary       *summary,
               GError              **error)
{
  const char *terminal = change->terminal;
  gint64 cursor = change->cursor;
  PdvSyncCheckin checkin;
  const char *direction;

  pdv_sync_checkin_decode (change->data, &checkin);
  direction = checkin.direction;
  if (terminal == NULL || !json_is_object (change->data))
    return change_failed (error, server, cursor, _("a check-in needs “terminal” and “data”"));
  if (g_strcmp0 (terminal, own_terminal) == 0)
    return TRUE;
  /* Only scans that let someone in or out count at this door. */
  if (checkin.verdict != NULL && g_ascii_strcasecmp (checkin.verdict, "valid") != 0 &&
      g_ascii_strcasecmp (checkin.verdict, "exited") != 0)
    return TRUE;
  if (direction == NULL && checkin.verdict != NULL)
    direction = g_ascii_strcasecmp (checkin.verdict, "exited") == 0 ? "exit" : "entry";
  if (checkin.ticket_id == NULL || !checkin.has_seq || !valid_time (checkin.at) ||
      (g_strcmp0 (direction, "entry") != 0 && g_strcmp0 (direction, "exit") != 0))
    return change_failed (error, server, cursor,
                          _("a check-in needs “ticket_id”, “seq”, “at” (a time) and “direction” (entry or exit)"));

  if (!pdv_sync_state_put_checkin (self->db, checkin.ticket_id, terminal, checkin.seq, direction, checkin.at,
                                   checkin.gate ? checkin.gate : "—", error))
    return FALSE;
  summary->checkins++;
  return TRUE;
}

/* Another till's or counter's ficha: served there, or taken back. */
static gboolean
apply_ficha (PdvSyncClient        *self,
             const char           *server,
             const char           *own_terminal,
             const PdvSyncChange  *change,
             PdvSyncSummary       *summary,
             GError              **error)
{
  const char *id = json_string_value (json_object_get (change->data, "ficha"));
  const char *state = json_string_value (json_object_get (change->data, "state"));
  const char *at = json_string_value (json_object_get (change->data, "at"));
  json_t *seq = json_object_get (change->data, "seq");

  if (change->terminal == NULL || id == NULL || !json_is_integer (seq) ||
      (g_strcmp0 (state, "redeemed") != 0 && g_strcmp0 (state, "revoked") != 0) || !valid_time (at))
    return change_failed (error, server, change->cursor,
                          _("a ficha needs “terminal”, “ficha”, “state” (redeemed or revoked), “at” (a time) "
                            "and “seq”"));
  if (g_str_equal (change->terminal, own_terminal))
    return TRUE;
  if (!pdv_ficha_put_heard (self->db, id, state, at, json_string_value (json_object_get (change->data, "counter")),
                            change->terminal, json_integer_value (seq),
                            json_string_value (json_object_get (change->data, "product")),
                            json_string_value (json_object_get (change->data, "name")),
                            json_string_value (json_object_get (change->data, "key")), error))
    return FALSE;
  summary->fichas++;
  return TRUE;
}

/* The key another terminal signs its fichas with. */
static gboolean
apply_ficha_key (PdvSyncClient        *self,
                 const char           *server,
                 const char           *own_terminal,
                 const PdvSyncChange  *change,
                 GError              **error)
{
  const char *public_key = json_string_value (json_object_get (change->data, "public_key"));
  g_autoptr(GError) key_error = NULL;
  guint8 key[PDV_TICKET_PUBLIC_KEY_BYTES];

  if (change->terminal == NULL || public_key == NULL || !pdv_ticket_public_key_parse (public_key, key, &key_error))
    return change_failed (error, server, change->cursor,
                          _("a ficha key needs “terminal” and “public_key” (an Ed25519 public key)"));
  if (g_str_equal (change->terminal, own_terminal))
    return TRUE;
  return pdv_ficha_record_key (self->db, public_key, change->terminal,
                               json_string_value (json_object_get (change->data, "terminal_name")), error);
}

static gboolean
apply_conflict (PdvSyncClient   *self,
                const char      *server,
                gint64           cursor,
                json_t          *data,
                PdvSyncSummary  *summary,
                GError         **error)
{
  g_autofree char *now = NULL;
  PdvSyncConflictRecord record;
  PdvSyncConflict conflict = { 0 };

  pdv_sync_conflict_decode (data, &record);
  conflict.id = (char *) record.id;
  conflict.ticket_id = (char *) record.ticket_id;
  conflict.created_at = (char *) record.created_at;
  conflict.winner_terminal = (char *) record.winner.terminal;
  conflict.winner_seq = record.winner.seq;
  conflict.winner_at = (char *) record.winner.at;
  conflict.winner_gate = (char *) record.winner.gate;
  conflict.loser_terminal = (char *) record.loser.terminal;
  conflict.loser_seq = record.loser.seq;
  conflict.loser_at = (char *) record.loser.at;
  conflict.loser_gate = (char *) record.loser.gate;

  if (conflict.id == NULL || conflict.ticket_id == NULL || conflict.loser_terminal == NULL ||
      !record.loser.has_seq || conflict.winner_terminal == NULL)
    return change_failed (error, server, cursor,
                          _("a conflict needs “id”, “ticket_id”, “winner” and “loser” with their terminal and seq"));
  if (conflict.created_at == NULL)
    conflict.created_at = now = pdv_sync_now_iso8601 (self->db);

  if (!pdv_sync_state_put_conflict (self->db, &conflict, error))
    return FALSE;
  summary->pulled_conflicts++;
  return TRUE;
}

/* One page of changes and the cursor after it, in one transaction. */
static gboolean
apply_page (PdvSyncClient   *self,
            const char      *server,
            const char      *own_terminal,
            json_t          *changes,
            gint64           since,
            gint64           next,
            PdvSyncSummary  *summary,
            GError         **error)
{
  gint64 previous = since;
  json_t *change;
  size_t i;

  if (!pdv_db_begin (self->db, error))
    return FALSE;

  json_array_foreach (changes, i, change)
    {
      g_autofree char *problem = NULL;
      PdvSyncChange decoded;
      const char *type;
      json_t *data;
      PdvImportKind kind;
      gint64 cursor;
      gboolean ok = TRUE;

      if (!pdv_sync_change_decode (change, &decoded, &problem))
        {
          pdv_sync_bad_answer (error, server, problem);
          goto failed;
        }
      cursor = decoded.cursor;
      type = decoded.type;
      data = decoded.data;
      if (cursor <= previous || cursor > next)
        {
          pdv_sync_bad_answer (error, server, _("changes are not in cursor order"));
          goto failed;
        }

      if (g_str_equal (type, "checkin"))
        ok = apply_checkin (self, server, own_terminal, &decoded, summary, error);
      else if (g_str_equal (type, "ficha"))
        ok = apply_ficha (self, server, own_terminal, &decoded, summary, error);
      else if (g_str_equal (type, "ficha_key"))
        ok = apply_ficha_key (self, server, own_terminal, &decoded, error);
      else if (g_str_equal (type, "conflict"))
        ok = json_is_object (data) ? apply_conflict (self, server, cursor, data, summary, error)
                                   : change_failed (error, server, cursor, _("a conflict needs “data”"));
      else if (!g_str_equal (type, "auto") && !g_str_equal (type, "categories") && !g_str_equal (type, "products") &&
               pdv_import_kind_parse (type, &kind))
        ok = apply_document (self, server, cursor, kind, data, summary, error);
      else
        g_debug ("Skipping change %lld of unknown type “%s”", (long long) cursor, type);
      if (!ok)
        goto failed;
      summary->pulled++;
      previous = cursor;
    }

  if (!pdv_sync_state_set_cursor (self->db, next, error) || !pdv_db_commit (self->db, error))
    goto failed;
  summary->cursor = next;
  return TRUE;

failed:
  pdv_db_rollback (self->db);
  return FALSE;
}

static gboolean
pull (PdvSyncClient   *self,
      const char      *server,
      const char      *token,
      const char      *own_terminal,
      GCancellable    *cancellable,
      PdvSyncSummary  *summary,
      gboolean        *out_lost,
      GError         **error)
{
  *out_lost = FALSE;
  for (;;)
    {
      g_auto(PdvSyncConfig) config = { 0 };
      g_autoptr(json_t) reply = NULL;
      g_autofree char *path = NULL;
      g_autofree char *problem = NULL;
      json_t *changes;
      gint64 next;
      gboolean more;

      if (!pdv_sync_state_read (self->db, &config, error))
        return FALSE;
      summary->cursor = config.pull_cursor;
      path = g_strdup_printf ("/v1/pull?since=%lld&limit=%d", (long long) config.pull_cursor, PULL_PAGE_SIZE);
      reply = client_request (self, "GET", server, path, NULL, token, cancellable, error);
      if (reply == NULL)
        return FALSE;

      if (!pdv_sync_pull_reply_decode (reply, &changes, &next, &more, &problem))
        return pdv_sync_bad_answer (error, server, problem);
      if (next < config.pull_cursor)
        return pdv_sync_bad_answer (error, server, _("the pull cursor went backwards"));
      if (more && next == config.pull_cursor)
        return pdv_sync_bad_answer (error, server, _("a pull said there is more but gave nothing"));
      /* A server put back from a backup holds less of this terminal than it
       * acknowledged: what it lost goes again. */
      if (pdv_sync_pull_reply_get_acked (reply) >= 0 && pdv_sync_pull_reply_get_acked (reply) < config.acked_seq)
        {
          g_message ("The sync server %s holds entries of this terminal up to %lld only, not %lld: sending the rest "
                     "again", server, (long long) pdv_sync_pull_reply_get_acked (reply),
                     (long long) config.acked_seq);
          if (!pdv_sync_state_set_acked_seq (self->db, pdv_sync_pull_reply_get_acked (reply), error))
            return FALSE;
          summary->acked_seq = pdv_sync_pull_reply_get_acked (reply);
          *out_lost = TRUE;
        }

      if (!apply_page (self, server, own_terminal, changes, config.pull_cursor, next, summary, error))
        return FALSE;
      if (!more)
        return TRUE;
    }
}

/* Which failures another server may not have. A refused entry, or a change
 * that cannot be applied here, would be the same anywhere. */
static gboolean
worth_another_server (const GError *error)
{
  return error->domain == PDV_SYNC_ERROR &&
         error->code != PDV_SYNC_ERROR_REJECTED &&
         error->code != PDV_SYNC_ERROR_PULL &&
         error->code != PDV_SYNC_ERROR_NOT_ENROLLED &&
         error->code != PDV_SYNC_ERROR_NOT_INITIALISED;
}

static void
record_outcome (PdvSyncClient *self,
                const char    *server,
                gboolean       reached,
                const GError  *failure)
{
  g_autoptr(GError) error = NULL;

  if (!pdv_sync_state_record_outcome (self->db, server, reached, failure ? failure->message : NULL,
                                      g_error_matches (failure, PDV_SYNC_ERROR, PDV_SYNC_ERROR_DIVERGED), &error))
    g_warning ("Could not record how synchronisation went: %s", error->message);
}

/**
 * pdv_sync_client_run:
 *
 * One round: the configured servers are tried in turn, starting with the one
 * that answered last, until one takes every entry and gives every change.
 * Records the outcome in the database whatever it is.
 */
gboolean
pdv_sync_client_run (PdvSyncClient   *self,
                     GCancellable    *cancellable,
                     PdvSyncSummary  *summary,
                     GError         **error)
{
  g_auto(PdvSyncConfig) config = { 0 };
  g_auto(GStrv) servers = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *failed_server = NULL;
  const char *terminal_id;
  gboolean reached_any = FALSE;
  guint n_servers;

  pdv_sync_summary_clear (summary);
  self->retry_after = 0;

  terminal_id = pdv_journal_get_terminal_id (self->journal);
  if (terminal_id == NULL)
    {
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_NOT_INITIALISED,
                   _("%s is not a terminal yet; run “pdvctl init” first"), pdv_db_get_path (self->db));
      return FALSE;
    }
  servers = pdv_sync_dup_servers (self->db, error);
  if (servers == NULL || !pdv_sync_state_read (self->db, &config, error))
    return FALSE;
  ensure_session (self, &config);
  n_servers = g_strv_length (servers);
  if (n_servers == 0 || config.token == NULL)
    {
      g_set_error_literal (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_NOT_ENROLLED,
                           _("This terminal is not enrolled with a sync server; run “pdvctl enroll URL CODE”"));
      return FALSE;
    }
  if (!pdv_sync_state_record_attempt (self->db, &local_error))
    g_warning ("Could not record a sync attempt: %s", local_error->message);
  g_clear_error (&local_error);

  for (guint i = 0; i < n_servers; i++)
    {
      guint index = (MIN (self->preferred, n_servers - 1) + i) % n_servers;
      const char *server = servers[index];

      gboolean lost = FALSE;

      self->reached = FALSE;
      if (push (self, server, config.token, terminal_id, cancellable, summary, &local_error) &&
          pull (self, server, config.token, terminal_id, cancellable, summary, &lost, &local_error) &&
          (!lost || push (self, server, config.token, terminal_id, cancellable, summary, &local_error)))
        {
          self->preferred = index;
          summary->server = g_strdup (server);
          record_outcome (self, server, TRUE, NULL);
          return TRUE;
        }
      /* An answer outside the protocol is not a server of ours answering. */
      if (g_error_matches (local_error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_BAD_ANSWER))
        self->reached = FALSE;
      reached_any |= self->reached;
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Sync with %s failed: %s", server, local_error->message);
      if (first_error == NULL)
        {
          first_error = g_steal_pointer (&local_error);
          failed_server = server;
        }
      else if (self->reached)
        {
          /* A server that answered says more than one that could not be reached. */
          g_clear_error (&first_error);
          first_error = g_steal_pointer (&local_error);
          failed_server = server;
        }
      g_clear_error (&local_error);
      if (!worth_another_server (first_error))
        break;
    }

  record_outcome (self, failed_server, reached_any, first_error);
  g_propagate_error (error, g_steal_pointer (&first_error));
  return FALSE;
}

/**
 * pdv_sync_run_once:
 * @summary: (out caller-allocates) (optional): what was pushed and pulled
 *
 * Pushes every entry the server has not acknowledged and pulls every change,
 * blocking the calling thread, with its own HTTP session on @db (a
 * connection of the calling thread).
 */
gboolean
pdv_sync_run_once (PdvDb           *db,
                   GCancellable    *cancellable,
                   PdvSyncSummary  *summary,
                   GError         **error)
{
  g_autoptr(PdvSyncClient) client = NULL;
  g_auto(PdvSyncSummary) local_summary = { 0 };

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);

  client = pdv_sync_client_new (db);
  return pdv_sync_client_run (client, cancellable, summary ? summary : &local_summary, error);
}

/* What a wait needs, read from the database in the worker's thread. */
typedef struct {
  char   *server;
  char   *token;
  char   *tls_pin;
  char   *tls_ca;
  gint64  cursor;
  guint   seconds;
} Wait;

static void
wait_free (Wait *wait)
{
  g_free (wait->server);
  g_free (wait->token);
  g_free (wait->tls_pin);
  g_free (wait->tls_ca);
  g_free (wait);
}

static void
wait_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Wait *wait = data;
  g_autoptr(SoupSession) session = pdv_sync_new_session (wait->tls_pin, wait->tls_ca);
  g_autoptr(json_t) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/pull?since=%lld&limit=1&wait=%u", (long long) wait->cursor,
                                           wait->seconds);
  g_autofree char *problem = NULL;
  guint status = 0, retry_after = 0;
  gboolean reached = FALSE;
  json_t *changes = NULL;
  gint64 next = 0;
  gboolean more = FALSE;

  reply = pdv_sync_request (session, "GET", wait->server, path, NULL, wait->token, NULL, cancellable, &status,
                            &retry_after, &reached, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!pdv_sync_pull_reply_decode (reply, &changes, &next, &more, &problem))
    {
      pdv_sync_bad_answer (&error, wait->server, problem);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, json_array_size (changes) > 0);
}

/**
 * pdv_sync_client_wait_async:
 * @seconds: how long the server may hold the pull
 *
 * Asks the server that answered last to hold a pull until a change for
 * this terminal comes (another gate's admission, a new document), on a
 * thread of its own: the caller's thread goes on. Only whether news came is
 * told; a round fetches it.
 *
 * Returns: FALSE when there is nothing to wait on (not enrolled)
 */
gboolean
pdv_sync_client_wait_async (PdvSyncClient       *self,
                            guint                seconds,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_auto(PdvSyncConfig) config = { 0 };
  g_auto(GStrv) servers = NULL;
  g_autoptr(GTask) task = NULL;
  Wait *wait;
  guint n_servers;

  servers = pdv_sync_dup_servers (self->db, NULL);
  if (servers == NULL || !pdv_sync_state_read (self->db, &config, NULL) || config.token == NULL)
    return FALSE;
  n_servers = g_strv_length (servers);
  if (n_servers == 0)
    return FALSE;

  wait = g_new0 (Wait, 1);
  wait->server = g_strdup (servers[MIN (self->preferred, n_servers - 1)]);
  wait->token = g_strdup (config.token);
  wait->tls_pin = g_strdup (config.tls_pin);
  wait->tls_ca = g_strdup (config.tls_ca);
  wait->cursor = config.pull_cursor;
  wait->seconds = seconds;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_sync_client_wait_async);
  g_task_set_task_data (task, wait, (GDestroyNotify) wait_free);
  g_task_run_in_thread (task, wait_thread);
  return TRUE;
}

/**
 * pdv_sync_client_wait_finish:
 *
 * Returns: TRUE when a change came (or may have); FALSE with @error unset
 *   when the time ran out with none
 */
gboolean
pdv_sync_client_wait_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

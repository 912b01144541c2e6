/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-sync-codec.h"

/* What pdv-syncd says about a terminal's request stays in English, as
 * PROTOCOL.md documents it; what a terminal says about a server's answer is
 * for the person at it, and translated. */

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

/**
 * pdv_sync_entry_encode:
 *
 * Returns: (transfer full): a journal entry as it travels: every field,
 *   the payload as an object, and both hashes
 */
json_t *
pdv_sync_entry_encode (const PdvJournalEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  return pdv_journal_entry_to_json (entry);
}

/**
 * pdv_sync_entry_decode:
 * @index: its place in the batch, for @problem
 * @problem: (out): which field is wrong, when it is
 *
 * Returns: (transfer full) (nullable): the entry, its payload in canonical
 *   form, so that its hash can be checked
 */
PdvJournalEntry *
pdv_sync_entry_decode (json_t  *item,
                       guint    index,
                       char   **problem)
{
  g_autoptr(PdvJournalEntry) entry = NULL;
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
  else if (!json_is_string (kind) || !pdv_journal_kind_is_valid (json_string_value (kind)))
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
  {
    g_autofree char *path = NULL;

    /* A real has no one textual form to hash: refused by name, not as a
     * hash that does not match. */
    if (pdv_json_find_fraction (payload, &path))
      {
        *problem = g_strdup_printf ("entries[%u]: payload.%s is a number with a fraction or an exponent; "
                                    "entries carry whole numbers only (money in centavos)", index, path);
        return NULL;
      }
  }

  entry = g_new0 (PdvJournalEntry, 1);
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

/**
 * pdv_sync_push_request_encode:
 * @entries: (element-type PdvJournalEntry): in seq order
 */
json_t *
pdv_sync_push_request_encode (const char *terminal_id,
                              GPtrArray  *entries)
{
  json_t *list = json_array ();

  for (guint i = 0; i < entries->len; i++)
    json_array_append_new (list, pdv_sync_entry_encode (g_ptr_array_index (entries, i)));
  return json_pack ("{s:s, s:o}", "terminal_id", terminal_id, "entries", list);
}

/**
 * pdv_sync_push_request_decode:
 * @max_entries: the most one push may carry
 * @out_terminal_id: (out): whom the request says it is from
 *
 * Returns: (transfer full) (element-type PdvJournalEntry) (nullable): the
 *   entries, or %NULL with @problem set
 */
GPtrArray *
pdv_sync_push_request_decode (json_t      *request,
                              guint        max_entries,
                              const char **out_terminal_id,
                              char       **problem)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_journal_entry_free);
  json_t *terminal_id = json_object_get (request, "terminal_id");
  json_t *items = json_object_get (request, "entries");
  json_t *item;
  size_t i;

  if (!json_is_string (terminal_id) || !json_is_array (items))
    {
      *problem = g_strdup ("a push needs terminal_id (a string) and entries (a list)");
      return NULL;
    }
  if (json_array_size (items) > max_entries)
    {
      *problem = g_strdup_printf ("at most %u entries per push, got %zu", max_entries, json_array_size (items));
      return NULL;
    }
  json_array_foreach (items, i, item)
    {
      PdvJournalEntry *entry = pdv_sync_entry_decode (item, i, problem);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
    }
  *out_terminal_id = json_string_value (terminal_id);
  return g_steal_pointer (&entries);
}

static const char * const result_statuses[] = {
  [PDV_SYNC_RESULT_ACCEPTED] = "accepted",
  [PDV_SYNC_RESULT_DUPLICATE] = "duplicate",
  [PDV_SYNC_RESULT_CONFLICT] = "conflict",
  [PDV_SYNC_RESULT_REJECTED] = "rejected",
};

const char *
pdv_sync_result_status_to_string (PdvSyncResultStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (result_statuses), NULL);
  return result_statuses[status];
}

static gboolean
result_status_from_string (const char          *text,
                           PdvSyncResultStatus *out_status)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (result_statuses); i++)
    if (g_str_equal (text, result_statuses[i]))
      {
        *out_status = i;
        return TRUE;
      }
  return FALSE;
}

json_t *
pdv_sync_result_encode (const PdvSyncResult *result)
{
  return json_pack ("{s:I, s:s, s:s, s:s?}", "seq", (json_int_t) result->seq, "id", result->id,
                    "status", pdv_sync_result_status_to_string (result->status), "reason", result->reason);
}

/**
 * pdv_sync_push_reply_encode:
 * @results: (transfer full): one pdv_sync_result_encode() per entry handled
 */
json_t *
pdv_sync_push_reply_encode (json_t *results,
                            gint64  acked_seq)
{
  return json_pack ("{s:o, s:I}", "results", results, "acked_seq", (json_int_t) acked_seq);
}

/**
 * pdv_sync_push_reply_decode:
 *
 * Returns: (transfer full) (element-type PdvSyncResult) (nullable): the
 *   results in the server's order, or %NULL with @problem set
 */
GArray *
pdv_sync_push_reply_decode (json_t  *reply,
                            gint64  *out_acked_seq,
                            char   **problem)
{
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (PdvSyncResult));
  json_t *items = json_object_get (reply, "results");
  json_t *acked = json_object_get (reply, "acked_seq");
  json_t *item;
  size_t i;

  if (!json_is_array (items) || !json_is_integer (acked))
    {
      *problem = g_strdup (_("a push answer needs “results” and “acked_seq”"));
      return NULL;
    }
  json_array_foreach (items, i, item)
    {
      json_t *seq = json_object_get (item, "seq");
      PdvSyncResult result = { 0 };

      if (!json_is_integer (seq) || !json_is_string (json_object_get (item, "status")))
        {
          *problem = g_strdup (_("a push result needs “seq” and “status”"));
          return NULL;
        }
      if (!result_status_from_string (json_string_value (json_object_get (item, "status")), &result.status))
        {
          *problem = g_strdup (_("a push result has an unknown status"));
          return NULL;
        }
      result.seq = json_integer_value (seq);
      result.id = json_string_value (json_object_get (item, "id"));
      result.reason = json_string_value (json_object_get (item, "reason"));
      g_array_append_val (results, result);
    }
  *out_acked_seq = json_integer_value (acked);
  return g_steal_pointer (&results);
}

json_t *
pdv_sync_change_encode (const PdvSyncChange *change)
{
  json_t *item = json_pack ("{s:I, s:s, s:O}", "cursor", (json_int_t) change->cursor, "type", change->type,
                            "data", change->data);

  if (change->terminal != NULL)
    json_object_set_new (item, "terminal", json_string (change->terminal));
  return item;
}

gboolean
pdv_sync_change_decode (json_t         *item,
                        PdvSyncChange  *out_change,
                        char          **problem)
{
  json_t *cursor = json_object_get (item, "cursor");
  const char *type = json_string_value (json_object_get (item, "type"));

  if (!json_is_integer (cursor) || type == NULL)
    {
      *problem = g_strdup (_("a change needs “cursor” and “type”"));
      return FALSE;
    }
  out_change->cursor = json_integer_value (cursor);
  out_change->type = type;
  out_change->terminal = json_string_value (json_object_get (item, "terminal"));
  out_change->data = json_object_get (item, "data");
  return TRUE;
}

/**
 * pdv_sync_pull_reply_encode:
 * @changes: (transfer full): pdv_sync_change_encode()s in cursor order
 */
json_t *
pdv_sync_pull_reply_encode (json_t   *changes,
                            gint64    next,
                            gboolean  more,
                            gint64    acked_seq)
{
  json_t *reply = json_pack ("{s:o, s:I, s:b}", "changes", changes, "next", (json_int_t) next, "more", more);

  if (acked_seq >= 0)
    json_object_set_new (reply, "acked_seq", json_integer (acked_seq));
  return reply;
}

/**
 * pdv_sync_pull_reply_get_acked:
 *
 * Returns: how much of the asking terminal's journal the server holds, as
 *   a pull answer says it; -1 when it does not
 */
gint64
pdv_sync_pull_reply_get_acked (json_t *reply)
{
  json_t *acked = json_object_get (reply, "acked_seq");

  return json_is_integer (acked) && json_integer_value (acked) >= 0 ? json_integer_value (acked) : -1;
}

gboolean
pdv_sync_pull_reply_decode (json_t    *reply,
                            json_t   **out_changes,
                            gint64    *out_next,
                            gboolean  *out_more,
                            char     **problem)
{
  json_t *changes = json_object_get (reply, "changes");
  json_t *next = json_object_get (reply, "next");
  json_t *more = json_object_get (reply, "more");

  if (!json_is_array (changes) || !json_is_integer (next) || !json_is_boolean (more))
    {
      *problem = g_strdup (_("a pull answer needs “changes”, “next” and “more”"));
      return FALSE;
    }
  *out_changes = changes;
  *out_next = json_integer_value (next);
  *out_more = json_is_true (more);
  return TRUE;
}

json_t *
pdv_sync_entries_reply_encode (json_t   *entries,
                               gint64    last_seq,
                               gboolean  more)
{
  return json_pack ("{s:o, s:I, s:b}", "entries", entries, "last_seq", (json_int_t) last_seq, "more", more);
}

/**
 * pdv_sync_entries_reply_decode:
 *
 * Returns: (transfer full) (element-type PdvJournalEntry) (nullable): the
 *   entries, each checked as a pushed one is
 */
GPtrArray *
pdv_sync_entries_reply_decode (json_t    *reply,
                               gint64    *out_last_seq,
                               gboolean  *out_more,
                               char     **problem)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_journal_entry_free);
  json_t *list = json_object_get (reply, "entries");
  json_t *last_seq = json_object_get (reply, "last_seq");
  json_t *more = json_object_get (reply, "more");
  json_t *item;
  size_t i;

  if (!json_is_array (list) || !json_is_integer (last_seq) || json_integer_value (last_seq) < 0 ||
      !json_is_boolean (more))
    {
      *problem = g_strdup (_("an answer with entries needs “entries”, “last_seq” and “more”"));
      return NULL;
    }
  json_array_foreach (list, i, item)
    {
      PdvJournalEntry *entry = pdv_sync_entry_decode (item, i, problem);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
    }
  *out_last_seq = json_integer_value (last_seq);
  *out_more = json_is_true (more);
  return g_steal_pointer (&entries);
}

json_t *
pdv_sync_checkin_encode (const PdvSyncCheckin *checkin)
{
  json_t *data = json_pack ("{s:s, s:s?, s:s?, s:s?, s:s?}", "ticket_id", checkin->ticket_id,
                            "direction", checkin->direction, "verdict", checkin->verdict, "at", checkin->at,
                            "gate", checkin->gate);

  if (checkin->has_seq)
    json_object_set_new (data, "seq", json_integer (checkin->seq));
  return data;
}

void
pdv_sync_checkin_decode (json_t         *data,
                         PdvSyncCheckin *out_checkin)
{
  json_t *seq = json_object_get (data, "seq");

  memset (out_checkin, 0, sizeof *out_checkin);
  out_checkin->ticket_id = json_string_value (json_object_get (data, "ticket_id"));
  out_checkin->direction = json_string_value (json_object_get (data, "direction"));
  out_checkin->verdict = json_string_value (json_object_get (data, "verdict"));
  out_checkin->at = json_string_value (json_object_get (data, "at"));
  out_checkin->gate = json_string_value (json_object_get (data, "gate"));
  out_checkin->has_seq = json_is_integer (seq);
  out_checkin->seq = json_integer_value (seq);
}

static json_t *
admission_encode (const PdvSyncAdmission *admission)
{
  return json_pack ("{s:s, s:I, s:s?, s:s?}", "terminal", admission->terminal, "seq", (json_int_t) admission->seq,
                    "at", admission->at, "gate", admission->gate);
}

static void
admission_decode (json_t           *data,
                  PdvSyncAdmission *out_admission)
{
  json_t *seq = json_object_get (data, "seq");

  out_admission->terminal = json_string_value (json_object_get (data, "terminal"));
  out_admission->has_seq = json_is_integer (seq);
  out_admission->seq = json_integer_value (seq);
  out_admission->at = json_string_value (json_object_get (data, "at"));
  out_admission->gate = json_string_value (json_object_get (data, "gate"));
}

json_t *
pdv_sync_conflict_encode (const PdvSyncConflictRecord *conflict)
{
  return json_pack ("{s:s, s:s, s:s, s:o, s:o}", "id", conflict->id, "ticket_id", conflict->ticket_id,
                    "created_at", conflict->created_at, "winner", admission_encode (&conflict->winner),
                    "loser", admission_encode (&conflict->loser));
}

void
pdv_sync_conflict_decode (json_t                *data,
                          PdvSyncConflictRecord *out_conflict)
{
  memset (out_conflict, 0, sizeof *out_conflict);
  out_conflict->id = json_string_value (json_object_get (data, "id"));
  out_conflict->ticket_id = json_string_value (json_object_get (data, "ticket_id"));
  out_conflict->created_at = json_string_value (json_object_get (data, "created_at"));
  admission_decode (json_object_get (data, "winner"), &out_conflict->winner);
  admission_decode (json_object_get (data, "loser"), &out_conflict->loser);
}

json_t *
pdv_sync_enrol_request_encode (const char *code,
                               const char *terminal_id,
                               const char *terminal_name)
{
  return json_pack ("{s:s, s:s, s:s}", "code", code, "terminal_id", terminal_id, "terminal_name", terminal_name);
}

/**
 * pdv_sync_enrol_reply_encode:
 * @event: (nullable): the event the terminal joins, as imported
 */
json_t *
pdv_sync_enrol_reply_encode (const char *terminal_id,
                             const char *token,
                             json_t     *event,
                             const char *server_time)
{
  return json_pack ("{s:s, s:s, s:O?, s:s}", "terminal_id", terminal_id, "token", token, "event", event,
                    "server_time", server_time);
}

void
pdv_sync_enrol_reply_decode (json_t      *reply,
                             const char **out_terminal_id,
                             const char **out_token,
                             json_t     **out_event)
{
  *out_terminal_id = json_string_value (json_object_get (reply, "terminal_id"));
  *out_token = json_string_value (json_object_get (reply, "token"));
  *out_event = json_object_get (reply, "event");
}

/**
 * pdv_sync_error_encode:
 * @code: one of the protocol's error codes ("bad_request", "gap", …)
 * @message: UTF-8
 */
json_t *
pdv_sync_error_encode (const char *code,
                       const char *message)
{
  return json_pack ("{s:{s:s, s:s}}", "error", "code", code, "message", message);
}

/**
 * pdv_sync_error_decode:
 *
 * Returns: whether @reply is an error body; its code and message may
 *   still be %NULL when the server left them out
 */
gboolean
pdv_sync_error_decode (json_t      *reply,
                       const char **out_code,
                       const char **out_message)
{
  json_t *description = json_object_get (reply, "error");

  if (!json_is_object (description))
    return FALSE;
  *out_code = json_string_value (json_object_get (description, "code"));
  *out_message = json_string_value (json_object_get (description, "message"));
  return TRUE;
}

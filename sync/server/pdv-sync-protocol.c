/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <errno.h>
#include <stdarg.h>

#include "pdv-sync-codec.h"
#include "pdv-sync-protocol.h"

void
pdv_sync_reply_clear (PdvSyncReply *reply)
{
  g_clear_pointer (&reply->body, json_decref);
  g_clear_pointer (&reply->retry_after, g_free);
  g_clear_pointer (&reply->set_cookie, g_free);
  g_clear_pointer (&reply->raw, g_bytes_unref);
  g_clear_pointer (&reply->content_type, g_free);
  g_clear_pointer (&reply->file_name, g_free);
  reply->status = 0;
}

/**
 * pdv_sync_reply_json:
 * @body: (transfer full): the response body
 */
void
pdv_sync_reply_json (PdvSyncReply *reply,
                     guint         status,
                     json_t       *body)
{
  g_clear_pointer (&reply->body, json_decref);
  reply->status = status;
  reply->body = body;
}

/**
 * pdv_sync_audit:
 *
 * One line of the server's log that an operator audits: enrolments,
 * imports, refused pushes and entries, unknown tokens. Starts with "audit:".
 */
void
pdv_sync_audit (const char *format,
                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_message ("audit: %s", text);
}

/**
 * pdv_sync_reply_error:
 * @code: one of the protocol's error codes ("bad_request", "gap", …)
 *
 * The protocol's error body: {"error": {"code": …, "message": …}}.
 */
void
pdv_sync_reply_error (PdvSyncReply *reply,
                      guint         status,
                      const char   *code,
                      const char   *format,
                      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *valid = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Messages may quote what the client sent; JSON strings must be UTF-8. */
  valid = g_utf8_make_valid (message, -1);
  pdv_sync_reply_json (reply, status, pdv_sync_error_encode (code, valid));
}

/* A storage failure: 503, so that the terminal retries later. */
void
pdv_sync_reply_store_error (PdvSyncReply *reply,
                            GError       *error)
{
  g_warning ("storage: %s", error ? error->message : "unknown error");
  pdv_sync_reply_error (reply, 503, "unavailable", "the storage failed; retry later");
  g_free (reply->retry_after);
  reply->retry_after = g_strdup ("5");
}

/* Now on the server's clock, in UTC, to the second. */
char *
pdv_sync_now (PdvStore *store)
{
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (pdv_store_get_clock (store));

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

char *
pdv_sync_sha256_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* Parses a JSON text the server stored itself. */
json_t *
pdv_sync_parse_json (const char *text)
{
  json_t *value = text != NULL ? json_loads (text, JSON_DECODE_ANY, NULL) : NULL;

  return value != NULL ? value : json_null ();
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * pdv_sync_sorted_keys:
 *
 * Returns: (transfer container): the keys of @table, sorted, so that what
 *   the server prints is the same from one call to the next
 */
GPtrArray *
pdv_sync_sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);
  return keys;
}

static gboolean
parse_int64 (const char *text,
             gint64     *out)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == NULL || *end != '\0')
    return FALSE;
  *out = value;
  return TRUE;
}

/**
 * pdv_sync_pull:
 * @since: (nullable): the query's `since`
 * @limit: (nullable): the query's `limit`
 * @acked_seq: how much of the asking terminal's journal is stored here
 *
 * One page of the change feed after @since.
 */
void
pdv_sync_pull (PdvStore     *store,
               const char   *since,
               const char   *limit,
               gint64        acked_seq,
               PdvSyncReply *reply)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  json_t *list;
  gint64 since_value = 0;
  gint64 limit_value = PDV_SYNC_DEFAULT_PULL_LIMIT;
  gint64 next;
  gboolean more;

  if (since != NULL && (!parse_int64 (since, &since_value) || since_value < 0))
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "since must be a cursor (an integer from 0)");
      return;
    }
  if (limit != NULL && (!parse_int64 (limit, &limit_value) || limit_value < 1))
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "limit must be an integer from 1 to %d",
                            PDV_SYNC_MAX_PULL_LIMIT);
      return;
    }
  limit_value = MIN (limit_value, PDV_SYNC_MAX_PULL_LIMIT);

  /* Read a batch at a time until the page is full by count or by bytes;
   * one more than asked for tells whether there is more. */
  list = json_array ();
  next = since_value;
  more = FALSE;
  {
    gint64 taken = 0;
    gsize bytes = 0;

    while (taken < limit_value)
      {
        gint64 batch = MIN (PDV_SYNC_PULL_BATCH, limit_value - taken) + 1;
        guint i;

        g_clear_pointer (&changes, g_ptr_array_unref);
        changes = pdv_store_list_changes (store, next, batch, &error);
        if (changes == NULL)
          {
            json_decref (list);
            pdv_sync_reply_store_error (reply, error);
            return;
          }
        for (i = 0; i < changes->len && taken < limit_value; i++)
          {
            const PdvStoreChange *stored = g_ptr_array_index (changes, i);
            g_autoptr(json_t) data = NULL;
            PdvSyncChange change = { stored->cursor, stored->type, stored->terminal, NULL };

            if (taken > 0 && bytes >= PDV_SYNC_PULL_PAGE_BYTES)
              break;
            data = pdv_sync_parse_json (stored->data);
            change.data = data;
            json_array_append_new (list, pdv_sync_change_encode (&change));
            bytes += stored->data != NULL ? strlen (stored->data) : 0;
            next = stored->cursor;
            taken++;
          }
        if (i < changes->len)
          {
            /* Stopped by count or bytes with changes left. */
            more = TRUE;
            break;
          }
        if (changes->len < (guint) batch)
          break;   /* the feed ends here */
      }
  }
  pdv_sync_reply_json (reply, 200, pdv_sync_pull_reply_encode (list, next, more, acked_seq));
}

/**
 * pdv_sync_entries:
 * @terminal: the terminal asking, whose entries are sent
 * @after: (nullable): the seq the terminal already holds
 * @limit: (nullable): at most this many entries
 *
 * The terminal's own entries after @after, as stored: what a terminal
 * restored from a backup fetches to find its history again.
 */
void
pdv_sync_entries (PdvStore               *store,
                  const PdvStoreTerminal *terminal,
                  const char             *after,
                  const char             *limit,
                  PdvSyncReply           *reply)
{
  g_autoptr(GError) error = NULL;
  gint64 after_value = 0;
  gint64 limit_value = PDV_SYNC_MAX_BATCH;
  gint64 seq;
  gsize bytes = 0;
  json_t *list;

  if (after != NULL && (!parse_int64 (after, &after_value) || after_value < 0))
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "after must be a seq (an integer from 0)");
      return;
    }
  if (limit != NULL && (!parse_int64 (limit, &limit_value) || limit_value < 1))
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "limit must be an integer from 1 to %d", PDV_SYNC_MAX_BATCH);
      return;
    }
  limit_value = MIN (limit_value, PDV_SYNC_MAX_BATCH);

  /* Entries are never changed once stored, and every one up to last_seq is
   * there: they are read one by one, with no transaction. */
  list = json_array ();
  for (seq = after_value + 1; seq <= terminal->last_seq && seq <= after_value + limit_value; seq++)
    {
      g_autoptr(PdvStoreEntry) stored = NULL;
      PdvJournalEntry entry = { 0 };
      g_autoptr(json_t) payload = NULL;

      if (seq > after_value + 1 && bytes >= PDV_SYNC_PULL_PAGE_BYTES)
        break;
      if (!pdv_store_find_entry (store, terminal->id, seq, &stored, &error))
        {
          json_decref (list);
          pdv_sync_reply_store_error (reply, error);
          return;
        }
      if (stored == NULL)
        break;
      payload = json_loads (stored->payload, 0, NULL);
      entry.seq = stored->seq;
      entry.id = stored->id;
      entry.terminal = stored->terminal;
      entry.kind = stored->kind;
      entry.created_at = stored->created_at;
      entry.mono_us = stored->mono_us;
      entry.user = stored->user;
      entry.payload = payload != NULL ? payload : json_object ();
      entry.prev_hash = stored->prev_hash;
      entry.hash = stored->hash;
      json_array_append_new (list, pdv_sync_entry_encode (&entry));
      if (payload == NULL)
        json_decref (entry.payload);
      bytes += strlen (stored->payload);
    }
  pdv_sync_reply_json (reply, 200,
                       pdv_sync_entries_reply_encode (list, terminal->last_seq, seq <= terminal->last_seq));
}

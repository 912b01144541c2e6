/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-journal.h"
#include "pdv-sync-codec.h"
#include "pdv-sync-private.h"

/* A terminal restored from a backup asks the server for its own entries
 * (GET /v1/entries) from the last one it knows was delivered, finds where
 * its journal and the server's copy part, and hands what the server holds
 * after that to pdv_journal_recover(), which checks it against the chain. */

#define ENTRIES_PAGE 500

static gboolean
fetch_history (PdvDb         *db,
               SoupSession   *session,
               PdvJournal    *journal,
               const char    *server,
               const char    *token,
               gint64         start,
               GCancellable  *cancellable,
               gint64        *out_common,
               GPtrArray    **out_history,
               GError       **error)
{
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_journal_entry_free);
  gint64 after = start;
  gint64 common = start;
  gboolean parted = FALSE;

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/v1/entries?after=%lld&limit=%d", (long long) after, ENTRIES_PAGE);
      g_autofree char *problem = NULL;
      g_autoptr(json_t) reply = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GPtrArray) local = NULL;
      gint64 last_seq;
      gboolean more, reached = FALSE;
      guint status, retry_after;

      reply = pdv_sync_request (session, "GET", server, path, NULL, token, NULL, cancellable, &status, &retry_after,
                                &reached, error);
      if (reply == NULL)
        return FALSE;
      page = pdv_sync_entries_reply_decode (reply, &last_seq, &more, &problem);
      if (page == NULL)
        return pdv_sync_bad_answer (error, server, problem);
      if (page->len == 0 && more)
        return pdv_sync_bad_answer (error, server, _("an answer said there are more entries but gave none"));

      if (!parted && page->len > 0 && (local = pdv_journal_list (journal, after, page->len, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          PdvJournalEntry *entry = g_ptr_array_index (page, i);

          if (entry->seq != after + 1 + (gint64) i)
            return pdv_sync_bad_answer (error, server, _("the entries sent are not in order"));
          if (!parted && i < local->len &&
              g_strcmp0 (((PdvJournalEntry *) g_ptr_array_index (local, i))->hash, entry->hash) == 0)
            {
              common = entry->seq;
              continue;
            }
          parted = TRUE;
          g_ptr_array_add (history, g_steal_pointer (&g_ptr_array_index (page, i)));
        }
      after += page->len;
      if (!more)
        break;
    }
  *out_common = common;
  *out_history = g_steal_pointer (&history);
  return TRUE;
}

/**
 * pdv_sync_recover:
 * @user: (nullable): who asked for it
 * @out: (out caller-allocates): what was done; all zero when the terminal
 *   had nothing to recover
 * @out_server: (out) (optional): the server that gave the history back
 *
 * Recovers a terminal restored from a backup (pdv_journal_recover()) from
 * the first of its servers that answers, blocking the calling thread.
 */
gboolean
pdv_sync_recover (PdvDb               *db,
                  const char          *user,
                  GCancellable        *cancellable,
                  PdvJournalRecovery  *out,
                  char               **out_server,
                  GError             **error)
{
  g_auto(PdvSyncConfig) config = { 0 };
  g_autoptr(PdvJournal) journal = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GError) first_error = NULL;
  g_auto(GStrv) servers = NULL;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  journal = pdv_journal_new (db);
  if (pdv_journal_get_terminal_id (journal) == NULL)
    {
      g_set_error (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_NOT_INITIALISED,
                   _("%s is not a terminal yet; run “pdvctl init” first"), pdv_db_get_path (db));
      return FALSE;
    }
  servers = pdv_sync_dup_servers (db, error);
  if (servers == NULL || !pdv_sync_state_read (db, &config, error))
    return FALSE;
  if (servers[0] == NULL || config.token == NULL)
    {
      g_set_error_literal (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_NOT_ENROLLED,
                           _("This terminal is not enrolled with a sync server; run “pdvctl enroll URL CODE”"));
      return FALSE;
    }

  session = pdv_sync_new_session (config.tls_pin, config.tls_ca);
  for (guint i = 0; servers[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) history = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 common = 0;

      /* What the terminal marked as delivered is on the server as it is
       * here (a restored server is the push's business, not this). */
      if (!fetch_history (db, session, journal, servers[i], config.token, config.acked_seq, cancellable,
                          &common, &history, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || servers[i + 1] == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("Recovering from %s failed: %s", servers[i], local_error->message);
          continue;
        }
      if (history == NULL || history->len == 0)
        return TRUE;   /* the server holds nothing this terminal lacks */
      if (!pdv_journal_recover (journal, common, history, servers[i], user, out, error))
        return FALSE;
      if (out_server != NULL)
        *out_server = g_strdup (servers[i]);
      return TRUE;
    }
  g_assert_not_reached ();
}

typedef struct {
  char               *db_path;
  char               *user;
  PdvJournalRecovery  recovery;
  char               *server;
} RecoverTask;

static void
recover_task_free (RecoverTask *data)
{
  g_free (data->db_path);
  g_free (data->user);
  g_free (data->server);
  g_free (data);
}

static void
recover_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RecoverTask *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (data->db_path, &error);

  if (db == NULL || !pdv_sync_recover (db, data->user, cancellable, &data->recovery, &data->server, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pdv_sync_recover_async:
 * @db_path: the terminal database; a connection of its own is opened
 *
 * pdv_sync_recover() in a thread, for the application.
 */
void
pdv_sync_recover_async (const char          *db_path,
                        const char          *user,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RecoverTask *data;

  g_return_if_fail (db_path != NULL);

  data = g_new0 (RecoverTask, 1);
  data->db_path = g_strdup (db_path);
  data->user = g_strdup (user);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_sync_recover_async);
  g_task_set_task_data (task, data, (GDestroyNotify) recover_task_free);
  g_task_run_in_thread (task, recover_thread);
}

gboolean
pdv_sync_recover_finish (GAsyncResult        *result,
                         PdvJournalRecovery  *out,
                         GError             **error)
{
  RecoverTask *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (out != NULL)
    *out = data->recovery;
  return TRUE;
}

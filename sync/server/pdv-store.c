/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-store"

#include "config.h"

#include <string.h>

#include "pdv-store.h"
#include "pdv-store-pg.h"
#include "pdv-store-sqlite.h"

typedef struct {
  PdvClock *clock;
  char     *location;
} PdvStorePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (PdvStore, pdv_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (pdv-store-error-quark, pdv_store_error)

#define CLASS(self) (PDV_STORE_GET_CLASS (self))

void
pdv_store_terminal_free (PdvStoreTerminal *terminal)
{
  if (terminal == NULL)
    return;
  g_free (terminal->id);
  g_free (terminal->name);
  g_free (terminal->last_hash);
  g_free (terminal->last_seen);
  g_free (terminal);
}

void
pdv_store_enrolment_free (PdvStoreEnrolment *enrolment)
{
  if (enrolment == NULL)
    return;
  g_free (enrolment->terminal_name);
  g_free (enrolment->expires_at);
  g_free (enrolment->used_at);
  g_free (enrolment);
}

void
pdv_store_entry_free (PdvStoreEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->terminal);
  g_free (entry->id);
  g_free (entry->kind);
  g_free (entry->created_at);
  g_free (entry->user);
  g_free (entry->payload);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry->status);
  g_free (entry);
}

void
pdv_store_admission_free (PdvStoreAdmission *admission)
{
  if (admission == NULL)
    return;
  g_free (admission->terminal);
  g_free (admission->direction);
  g_free (admission->at);
  g_free (admission->gate);
  g_free (admission);
}

void
pdv_store_change_free (PdvStoreChange *change)
{
  if (change == NULL)
    return;
  g_free (change->type);
  g_free (change->terminal);
  g_free (change->data);
  g_free (change);
}

void
pdv_store_total_free (PdvStoreTotal *total)
{
  if (total == NULL)
    return;
  g_free (total->kind);
  g_free (total->key);
  g_free (total->name);
  g_free (total);
}

void
pdv_store_presence_free (PdvStorePresence *presence)
{
  if (presence == NULL)
    return;
  g_free (presence->at);
  g_free (presence->zone);
  g_free (presence);
}

static void
pdv_store_finalize (GObject *object)
{
  PdvStorePrivate *priv = pdv_store_get_instance_private (PDV_STORE (object));

  g_clear_object (&priv->clock);
  g_free (priv->location);

  G_OBJECT_CLASS (pdv_store_parent_class)->finalize (object);
}

static void
pdv_store_class_init (PdvStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdv_store_finalize;
}

static void
pdv_store_init (PdvStore *self)
{
  PdvStorePrivate *priv = pdv_store_get_instance_private (self);

  priv->clock = pdv_clock_new ();
}

/**
 * pdv_store_get_clock:
 *
 * The server's clock: the times it stores and answers with, enrolment
 * expiry and rate limits read it.
 */
PdvClock *
pdv_store_get_clock (PdvStore *self)
{
  PdvStorePrivate *priv;

  g_return_val_if_fail (PDV_IS_STORE (self), NULL);

  priv = pdv_store_get_instance_private (self);
  return priv->clock;
}

/**
 * pdv_store_open:
 * @location: a `postgresql://` (or `postgres://`) connection URI, or the
 *   path of an SQLite file
 *
 * Connects to the storage and creates or checks its schema. A schema from a
 * newer pdv-syncd is refused.
 */
PdvStore *
pdv_store_open (const char  *location,
                GError     **error)
{
  PdvStore *store;

  g_return_val_if_fail (location != NULL, NULL);

  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    store = pdv_store_pg_open (location, error);
  else
    store = pdv_store_sqlite_open (location, error);
  if (store != NULL)
    {
      PdvStorePrivate *priv = pdv_store_get_instance_private (store);

      priv->location = g_strdup (location);
    }
  return store;
}

/**
 * pdv_store_get_location:
 *
 * What the store was opened with: stores of one location are connections
 * to the same data.
 */
const char *
pdv_store_get_location (PdvStore *self)
{
  PdvStorePrivate *priv;

  g_return_val_if_fail (PDV_IS_STORE (self), NULL);

  priv = pdv_store_get_instance_private (self);
  return priv->location;
}

const char *
pdv_store_get_backend_name (PdvStore *self)
{
  g_return_val_if_fail (PDV_IS_STORE (self), NULL);
  return CLASS (self)->backend_name;
}

gboolean
pdv_store_ping (PdvStore  *self,
                GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->ping (self, error);
}

gboolean
pdv_store_begin (PdvStore  *self,
                 gboolean   write,
                 GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->begin (self, write, error);
}

gboolean
pdv_store_commit (PdvStore  *self,
                  GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->commit (self, error);
}

void
pdv_store_rollback (PdvStore *self)
{
  g_return_if_fail (PDV_IS_STORE (self));
  CLASS (self)->rollback (self);
}

/**
 * pdv_store_lock_tickets:
 *
 * Locks each ticket, in the order given, until the transaction ends.
 */
gboolean
pdv_store_lock_tickets (PdvStore            *self,
                        const char * const  *ticket_ids,
                        guint                n_tickets,
                        GError             **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  if (n_tickets == 0)
    return TRUE;
  return CLASS (self)->lock_tickets (self, ticket_ids, n_tickets, error);
}

gboolean
pdv_store_lock_changes (PdvStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->lock_changes (self, error);
}

gboolean
pdv_store_find_terminal (PdvStore          *self,
                         const char        *id,
                         gboolean           lock,
                         PdvStoreTerminal **out,
                         GError           **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  *out = NULL;
  return CLASS (self)->find_terminal (self, id, lock, out, error);
}

gboolean
pdv_store_find_terminal_by_token (PdvStore          *self,
                                  const char        *token_hash,
                                  PdvStoreTerminal **out,
                                  GError           **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  *out = NULL;
  return CLASS (self)->find_terminal_by_token (self, token_hash, out, error);
}

gboolean
pdv_store_enrol_terminal (PdvStore    *self,
                          const char  *id,
                          const char  *name,
                          const char  *token_hash,
                          const char  *now,
                          GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->enrol_terminal (self, id, name, token_hash, now, error);
}

gboolean
pdv_store_advance_terminal (PdvStore    *self,
                            const char  *id,
                            gint64       last_seq,
                            const char  *last_hash,
                            const char  *now,
                            GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->advance_terminal (self, id, last_seq, last_hash, now, error);
}

/**
 * pdv_store_list_terminals:
 *
 * Returns: (transfer container) (element-type PdvStoreTerminal): by name
 */
GPtrArray *
pdv_store_list_terminals (PdvStore  *self,
                          GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), NULL);
  return CLASS (self)->list_terminals (self, error);
}

gboolean
pdv_store_count (PdvStore       *self,
                 PdvStoreCount   what,
                 gint64         *out,
                 GError        **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->count (self, what, out, error);
}

gboolean
pdv_store_add_enrolment (PdvStore    *self,
                         const char  *code_hash,
                         const char  *terminal_name,
                         const char  *created_at,
                         const char  *expires_at,
                         GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->add_enrolment (self, code_hash, terminal_name, created_at, expires_at, error);
}

gboolean
pdv_store_find_enrolment (PdvStore           *self,
                          const char         *code_hash,
                          PdvStoreEnrolment **out,
                          GError            **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  *out = NULL;
  return CLASS (self)->find_enrolment (self, code_hash, out, error);
}

void
pdv_store_terminal_status_free (PdvStoreTerminalStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->id);
  g_free (status->heard_at);
  g_free (status->version);
  g_free (status->oldest_unsynced);
  g_free (status);
}

/**
 * pdv_store_put_terminal_status:
 *
 * Keeps what a terminal said of itself (its version, what waits to be
 * sent) and when it was heard from, over what was kept before.
 */
gboolean
pdv_store_put_terminal_status (PdvStore                     *self,
                               const PdvStoreTerminalStatus *status,
                               GError                      **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->put_terminal_status (self, status, error);
}

/**
 * pdv_store_list_terminal_status:
 *
 * Returns: (transfer full) (element-type PdvStoreTerminalStatus): every
 *   terminal's, or %NULL with @error set
 */
GPtrArray *
pdv_store_list_terminal_status (PdvStore  *self,
                                GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), NULL);
  return CLASS (self)->list_terminal_status (self, error);
}

void
pdv_store_panel_account_free (PdvStorePanelAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->role);
  if (account->password_hash != NULL)
    memset (account->password_hash, 0, strlen (account->password_hash));
  g_free (account->password_hash);
  g_free (account->created_at);
  g_free (account);
}

/**
 * pdv_store_put_panel_account:
 *
 * Adds an account to the organiser's panel, or replaces the one of that
 * name (its role and password).
 */
gboolean
pdv_store_put_panel_account (PdvStore                   *self,
                             const PdvStorePanelAccount *account,
                             GError                    **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->put_panel_account (self, account, error);
}

gboolean
pdv_store_find_panel_account (PdvStore              *self,
                              const char            *name,
                              PdvStorePanelAccount **out,
                              GError               **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  *out = NULL;
  return CLASS (self)->find_panel_account (self, name, out, error);
}

/**
 * pdv_store_end_panel_session:
 * @id: the session's id, as its cookie carries it
 * @expires_at: when it would end by itself (Unix seconds)
 * @now: the time now (Unix seconds): sessions ended that are over by now
 *   are forgotten
 *
 * Ends a panel session before its time (its account logged out): every
 * server of the store refuses it from then on.
 */
gboolean
pdv_store_end_panel_session (PdvStore    *self,
                             const char  *id,
                             gint64       expires_at,
                             gint64       now,
                             GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return CLASS (self)->end_panel_session (self, id, expires_at, now, error);
}

/**
 * pdv_store_panel_session_ended:
 * @out_ended: (out): whether the session @id was logged out
 */
gboolean
pdv_store_panel_session_ended (PdvStore    *self,
                               const char  *id,
                               gboolean    *out_ended,
                               GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_ended != NULL, FALSE);
  *out_ended = FALSE;
  return CLASS (self)->panel_session_ended (self, id, out_ended, error);
}

/**
 * pdv_store_get_panel_document:
 * @out_value: (out): the document's JSON text, %NULL when there is none
 * @out_version: (out): its version, 0 when there is none
 */
gboolean
pdv_store_get_panel_document (PdvStore    *self,
                              const char  *key,
                              char       **out_value,
                              gint64      *out_version,
                              GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  *out_value = NULL;
  *out_version = 0;
  return CLASS (self)->get_panel_document (self, key, out_value, out_version, error);
}

/**
 * pdv_store_put_panel_document:
 * @version: the version read (0: there was none)
 * @out_put: (out): whether it was written: FALSE when another server
 *   changed it since it was read (read it again and retry)
 */
gboolean
pdv_store_put_panel_document (PdvStore    *self,
                              const char  *key,
                              const char  *value,
                              gint64       version,
                              gboolean    *out_put,
                              GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  *out_put = FALSE;
  return CLASS (self)->put_panel_document (self, key, value, version, out_put, error);
}

/**
 * pdv_store_keep_meta:
 * @value: what @key holds from now on, unless it holds something already
 * @out_value: (out): what @key holds
 *
 * A value every server of the store shares, set once (a secret).
 */
gboolean
pdv_store_keep_meta (PdvStore    *self,
                     const char  *key,
                     const char  *value,
                     char       **out_value,
                     GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  *out_value = NULL;
  return CLASS (self)->keep_meta (self, key, value, out_value, error);
}

gboolean
pdv_store_spend_enrolment (PdvStore    *self,
                           const char  *code_hash,
                           const char  *used_at,
                           GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->spend_enrolment (self, code_hash, used_at, error);
}

gboolean
pdv_store_find_entry (PdvStore       *self,
                      const char     *terminal,
                      gint64          seq,
                      PdvStoreEntry **out,
                      GError        **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  *out = NULL;
  return CLASS (self)->find_entry (self, terminal, seq, out, error);
}

/**
 * pdv_store_find_taken_ids:
 * @taken: (element-type utf8 utf8): where the ids already stored are added
 *
 * Which of @ids entries already have.
 */
gboolean
pdv_store_find_taken_ids (PdvStore            *self,
                          const char * const  *ids,
                          guint                n_ids,
                          GHashTable          *taken,
                          GError             **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  if (n_ids == 0)
    return TRUE;
  return CLASS (self)->find_taken_ids (self, ids, n_ids, taken, error);
}

/**
 * pdv_store_add_entries:
 *
 * Stores @n_rows entries.
 */
gboolean
pdv_store_add_entries (PdvStore            *self,
                       const PdvStoreEntry *rows,
                       guint                n_rows,
                       GError             **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  if (n_rows == 0)
    return TRUE;
  return CLASS (self)->add_entries (self, rows, n_rows, error);
}

gboolean
pdv_store_scan_entries (PdvStore            *self,
                        const char * const  *kinds,
                        PdvStoreEntryFunc    func,
                        gpointer             user_data,
                        GError             **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (kinds != NULL && func != NULL, FALSE);
  return CLASS (self)->scan_entries (self, kinds, func, user_data, error);
}

/**
 * pdv_store_list_admissions_many:
 * @out: (element-type utf8 GPtrArray): each ticket's admissions, in the
 *   order stored, under its id (an empty array for a ticket with none)
 *
 * Each ticket's accepted entries and exits, in the order stored.
 */
gboolean
pdv_store_list_admissions_many (PdvStore            *self,
                                const char * const  *ticket_ids,
                                guint                n_tickets,
                                GHashTable          *out,
                                GError             **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  for (guint i = 0; i < n_tickets; i++)
    if (!g_hash_table_contains (out, ticket_ids[i]))
      g_hash_table_insert (out, g_strdup (ticket_ids[i]),
                           g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_store_admission_free));
  if (n_tickets == 0)
    return TRUE;
  return CLASS (self)->list_admissions_many (self, ticket_ids, n_tickets, out, error);
}

/**
 * pdv_store_add_admissions:
 *
 * Stores an admission (or exit) of @ticket_ids[i] for each, in their order.
 */
gboolean
pdv_store_add_admissions (PdvStore                *self,
                          const char * const      *ticket_ids,
                          const PdvStoreAdmission *admissions,
                          guint                    n_admissions,
                          GError                 **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  if (n_admissions == 0)
    return TRUE;
  return CLASS (self)->add_admissions (self, ticket_ids, admissions, n_admissions, error);
}

gboolean
pdv_store_add_conflict (PdvStore    *self,
                        const char  *id,
                        const char  *ticket_id,
                        const char  *created_at,
                        const char  *data,
                        GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->add_conflict (self, id, ticket_id, created_at, data, error);
}

/**
 * pdv_store_cursor_floor:
 *
 * The least cursor a new change may have: the time, in microseconds since
 * 1970. Cursors grow by one from the last otherwise, but never go back
 * below the time: a store put back from a backup numbers its new changes
 * above every cursor it gave before the backup was made and after,
 * so terminals that pulled that far still get them.
 */
gint64
pdv_store_cursor_floor (PdvStore *self)
{
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (pdv_store_get_clock (self));

  return g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
}

/**
 * pdv_store_add_changes:
 *
 * pdv_store_add_change() for each, in their order.
 */
gboolean
pdv_store_add_changes (PdvStore            *self,
                       const char * const  *types,
                       const char * const  *terminals,
                       const char * const  *data,
                       guint                n_changes,
                       GError             **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  if (n_changes == 0)
    return TRUE;
  return CLASS (self)->add_changes (self, types, terminals, data, n_changes, error);
}

gint64
pdv_store_add_change (PdvStore    *self,
                      const char  *type,
                      const char  *terminal,
                      const char  *data,
                      GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), 0);
  return CLASS (self)->add_change (self, type, terminal, data, error);
}

/**
 * pdv_store_list_changes:
 *
 * Returns: (transfer container) (element-type PdvStoreChange): at most
 *   @limit changes after @since, in cursor order
 */
GPtrArray *
pdv_store_list_changes (PdvStore  *self,
                        gint64     since,
                        gint64     limit,
                        GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), NULL);
  return CLASS (self)->list_changes (self, since, limit, error);
}

gboolean
pdv_store_add_document (PdvStore    *self,
                        const char  *type,
                        const char  *body,
                        const char  *created_at,
                        gint64       cursor,
                        GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->add_document (self, type, body, created_at, cursor, error);
}

/**
 * pdv_store_list_documents:
 *
 * Returns: (transfer container) (element-type utf8): oldest first
 */
GPtrArray *
pdv_store_list_documents (PdvStore    *self,
                          const char  *type,
                          GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), NULL);
  return CLASS (self)->list_documents (self, type, 0, NULL, error);
}

/**
 * pdv_store_list_documents_after:
 * @after: a change cursor: documents stored after it only
 * @out_cursors: (nullable): receives the change cursor (gint64) of each
 */
GPtrArray *
pdv_store_list_documents_after (PdvStore    *self,
                                const char  *type,
                                gint64       after,
                                GArray      *out_cursors,
                                GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);

  return CLASS (self)->list_documents (self, type, after, out_cursors, error);
}

gboolean
pdv_store_lock_totals (PdvStore  *self,
                       gboolean   exclusive,
                       GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->lock_totals (self, exclusive, error);
}

/**
 * pdv_store_add_totals:
 *
 * Adds each of @deltas to its running total, in their order.
 */
gboolean
pdv_store_add_totals (PdvStore                 *self,
                      const PdvStoreTotalDelta *deltas,
                      guint                     n_deltas,
                      GError                  **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  if (n_deltas == 0)
    return TRUE;
  return CLASS (self)->add_totals (self, deltas, n_deltas, error);
}

GPtrArray *
pdv_store_list_totals (PdvStore  *self,
                       GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), NULL);
  return CLASS (self)->list_totals (self, error);
}

gboolean
pdv_store_clear_totals (PdvStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->clear_totals (self, error);
}

/**
 * pdv_store_find_presences:
 * @out: (element-type utf8 PdvStorePresence): where the tickets that have
 *   one are added, by id
 *
 * Where each ticket stands, for those that ever went in or out.
 */
gboolean
pdv_store_find_presences (PdvStore            *self,
                          const char * const  *ticket_ids,
                          guint                n_tickets,
                          GHashTable          *out,
                          GError             **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  if (n_tickets == 0)
    return TRUE;
  return CLASS (self)->find_presences (self, ticket_ids, n_tickets, out, error);
}

/**
 * pdv_store_put_presences:
 *
 * Stores where each ticket stands now.
 */
gboolean
pdv_store_put_presences (PdvStore               *self,
                         const char * const     *ticket_ids,
                         const PdvStorePresence *presences,
                         guint                   n_tickets,
                         GError                **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);

  if (n_tickets == 0)
    return TRUE;
  return CLASS (self)->put_presences (self, ticket_ids, presences, n_tickets, error);
}

gboolean
pdv_store_mark_voided (PdvStore    *self,
                       const char  *sale_id,
                       gboolean    *out_newly,
                       GError     **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  return CLASS (self)->mark_voided (self, sale_id, out_newly, error);
}

gboolean
pdv_store_find_entry_by_id (PdvStore       *self,
                            const char     *id,
                            PdvStoreEntry **out,
                            GError        **error)
{
  g_return_val_if_fail (PDV_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL && *out == NULL, FALSE);
  return CLASS (self)->find_entry_by_id (self, id, out, error);
}

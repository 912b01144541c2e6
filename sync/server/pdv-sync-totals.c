/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <string.h>

#include "pdv-sync-protocol.h"

/*
 * The report's running totals, kept as entries are stored so that a report
 * reads a few hundred rows instead of every entry. Each terminal has rows
 * of its own (a push touches no row another terminal's push touches, so
 * pushes of different terminals do not wait for each other); the report
 * sums them:
 *
 *   kind       key                      a          b          c         name
 *   terminal   the terminal's id        sales      sales total   check-ins
 *   method     cash, card, pix…         amount
 *   product    SKU                      quantity   total                first name seen
 *   hour       UTC quarter-hour         sales      check-ins
 *   gate       gate                     entries    exits      refusals
 *   zone       zone                     inside now (a ticket's latest scan)
 *   ficha      SKU                      issued     served     taken back   first name seen
 *   counter    counter                  served     refused    served twice
 *
 * Hours are kept in UTC quarter-hours, which every time zone's hours are
 * made of, and put in the event's zone when read. Voids take back what
 * their sale added (voided_sales says which were), refunds are deducted
 * where and when they happen, and the presence table holds each ticket's
 * latest scan. One row (kind "built") says the totals hold every entry.
 *
 * A ficha is served once it has a serving that won its arbitration, and
 * then stays served; it is taken back when a void or refund names it and
 * it was never served (served wins, whatever order the two arrived in: a
 * taking back is an admission "revoked" of the ficha's ticket, so that a
 * serving stored after it moves the ficha from taken back to served).
 */

struct _PdvSyncTotals
{
  GHashTable *deltas;    /* "terminal\tkind\tkey" → Delta */
  GHashTable *presence;  /* ticket id → PdvStorePresence as it stands, at NULL for none; read once */
  GHashTable *moved;     /* ticket ids whose presence is to be written */
};

typedef struct {
  gint64  a, b, c;
  char   *name;
} Delta;

static void
delta_free (Delta *delta)
{
  g_free (delta->name);
  g_free (delta);
}

PdvSyncTotals *
pdv_sync_totals_new (void)
{
  PdvSyncTotals *self = g_new0 (PdvSyncTotals, 1);

  self->deltas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) delta_free);
  self->presence = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pdv_store_presence_free);
  self->moved = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
pdv_sync_totals_free (PdvSyncTotals *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->deltas);
  g_hash_table_unref (self->moved);
  g_hash_table_unref (self->presence);
  g_free (self);
}

static gint64
payload_int (json_t     *object,
             const char *field)
{
  return json_integer_value (json_object_get (object, field));
}

static gint64
negate (gint64 value)
{
  return value == G_MININT64 ? G_MAXINT64 : -value;
}

static void
add (PdvSyncTotals *self,
     const char    *terminal,
     const char    *kind,
     const char    *key,
     gint64         a,
     gint64         b,
     gint64         c,
     const char    *name)
{
  g_autofree char *id = g_strjoin ("\t", terminal, kind, key, NULL);
  Delta *delta = g_hash_table_lookup (self->deltas, id);

  if (delta == NULL)
    {
      delta = g_new0 (Delta, 1);
      g_hash_table_insert (self->deltas, g_steal_pointer (&id), delta);
    }
  /* Money saturates rather than wrapping: a terminal may push absurd numbers. */
  if (__builtin_add_overflow (delta->a, a, &delta->a))
    delta->a = a > 0 ? G_MAXINT64 : G_MININT64;
  if (__builtin_add_overflow (delta->b, b, &delta->b))
    delta->b = b > 0 ? G_MAXINT64 : G_MININT64;
  if (__builtin_add_overflow (delta->c, c, &delta->c))
    delta->c = c > 0 ? G_MAXINT64 : G_MININT64;
  if (delta->name == NULL && name != NULL)
    delta->name = g_strdup (name);
}

/**
 * pdv_sync_totals_quarter:
 *
 * The UTC quarter-hour an entry was made in (`2026-12-12T21:45:00Z`), or
 * "unknown".
 */
char *
pdv_sync_totals_quarter (const char *created_at)
{
  g_autoptr(GDateTime) when = created_at ? g_date_time_new_from_iso8601 (created_at, NULL) : NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (when == NULL)
    return g_strdup ("unknown");
  utc = g_date_time_to_utc (when);
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:00Z", g_date_time_get_year (utc), g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc) / 15 * 15);
}

/**
 * pdv_sync_totals_add_ficha:
 *
 * Counts fichas of @product: handed over, served, taken back (each may be
 * negative, to move a ficha from one to another).
 */
void
pdv_sync_totals_add_ficha (PdvSyncTotals *self,
                           const char    *terminal,
                           const char    *product,
                           const char    *name,
                           gint64         issued,
                           gint64         served,
                           gint64         revoked)
{
  add (self, terminal, "ficha", product != NULL ? product : "", issued, served, revoked, name);
}

/**
 * pdv_sync_totals_ficha_sold_as:
 *
 * What the ficha @ficha_id of a sale was sold as, from the sale's payload.
 */
gboolean
pdv_sync_totals_ficha_sold_as (json_t      *sale_payload,
                               const char  *ficha_id,
                               const char **out_product,
                               const char **out_name)
{
  json_t *ficha;
  size_t i;

  json_array_foreach (json_object_get (sale_payload, "fichas"), i, ficha)
    if (g_strcmp0 (json_string_value (json_object_get (ficha, "id")), ficha_id) == 0)
      {
        *out_product = json_string_value (json_object_get (ficha, "product"));
        *out_name = json_string_value (json_object_get (ficha, "name"));
        return *out_product != NULL;
      }
  return FALSE;
}

/* A ficha scanned at a counter: served (once: a serving that lost its
 * arbitration is a ficha served twice), or refused. */
static void
add_redemption (PdvSyncTotals       *self,
                const PdvStoreEntry *entry,
                json_t              *payload)
{
  const char *verdict = json_string_value (json_object_get (payload, "verdict"));
  const char *counter = json_string_value (json_object_get (payload, "counter"));
  gboolean valid = g_strcmp0 (verdict, "valid") == 0;
  gboolean lost = g_strcmp0 (entry->status, "conflict") == 0;

  if (counter == NULL)
    counter = "";
  if (!valid)
    add (self, entry->terminal, "counter", counter, 0, 1, 0, NULL);
  else if (lost)
    add (self, entry->terminal, "counter", counter, 0, 0, 1, NULL);
  else
    {
      add (self, entry->terminal, "counter", counter, 1, 0, 0, NULL);
      pdv_sync_totals_add_ficha (self, entry->terminal, json_string_value (json_object_get (payload, "product")),
                                 json_string_value (json_object_get (payload, "name")), 0, 1, 0);
    }
}

/* What a sale adds, or with @sign -1 what its void takes back. */
static void
add_sale (PdvSyncTotals *self,
          const char    *terminal,
          const char    *created_at,
          json_t        *payload,
          int            sign)
{
  g_autofree char *quarter = pdv_sync_totals_quarter (created_at);
  gint64 total = payload_int (payload, "total");
  json_t *item;
  size_t i;

#define SIGNED(value) (sign > 0 ? (value) : negate (value))
  add (self, terminal, "terminal", terminal, sign, SIGNED (total), 0, NULL);
  add (self, terminal, "hour", quarter, SIGNED (total), 0, 0, NULL);
  json_array_foreach (json_object_get (payload, "payments"), i, item)
    {
      const char *method = json_string_value (json_object_get (item, "method"));

      if (method != NULL)
        add (self, terminal, "method", method, SIGNED (payload_int (item, "amount")), 0, 0, NULL);
    }
  json_array_foreach (json_object_get (payload, "lines"), i, item)
    {
      const char *product = json_string_value (json_object_get (item, "product"));

      if (product != NULL)
        add (self, terminal, "product", product, SIGNED (payload_int (item, "qty")),
             SIGNED (payload_int (item, "total")), 0, json_string_value (json_object_get (item, "name")));
    }
  /* Handed over for good: a void takes them back (counted apart). */
  if (sign > 0)
    json_array_foreach (json_object_get (payload, "fichas"), i, item)
      pdv_sync_totals_add_ficha (self, terminal, json_string_value (json_object_get (item, "product")),
                                 json_string_value (json_object_get (item, "name")), 1, 0, 0);
#undef SIGNED
}

/**
 * pdv_sync_totals_read_presence:
 *
 * Reads where @ticket_ids stand from @store, those not read before, in one
 * request where the store can; the batch's scans then move them in memory
 * and pdv_sync_totals_flush() writes them.
 */
gboolean
pdv_sync_totals_read_presence (PdvSyncTotals       *self,
                               PdvStore            *store,
                               const char * const  *ticket_ids,
                               guint                n_tickets,
                               GError             **error)
{
  g_autoptr(GPtrArray) unread = g_ptr_array_new ();
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) pdv_store_presence_free);

  for (guint i = 0; i < n_tickets; i++)
    if (!g_hash_table_contains (self->presence, ticket_ids[i]))
      g_ptr_array_add (unread, (gpointer) ticket_ids[i]);
  if (unread->len == 0)
    return TRUE;
  if (!pdv_store_find_presences (store, (const char * const *) unread->pdata, unread->len, found, error))
    return FALSE;
  for (guint i = 0; i < unread->len; i++)
    {
      PdvStorePresence *presence = NULL;
      g_autofree char *key = NULL;

      if (!g_hash_table_steal_extended (found, unread->pdata[i], (gpointer *) &key, (gpointer *) &presence))
        presence = g_new0 (PdvStorePresence, 1);
      g_hash_table_insert (self->presence, g_strdup (unread->pdata[i]), presence);
    }
  return TRUE;
}

/* A ticket's latest scan decides whether it is inside, and in which zone. */
static gboolean
add_presence (PdvSyncTotals  *self,
              PdvStore       *store,
              const char     *terminal,
              const char     *ticket_id,
              const char     *at,
              const char     *zone,
              gboolean        entered,
              GError        **error)
{
  PdvStorePresence *presence;
  PdvStorePresence *now;
  gpointer stored_key = NULL;

  if (!pdv_sync_totals_read_presence (self, store, &ticket_id, 1, error))
    return FALSE;
  presence = g_hash_table_lookup (self->presence, ticket_id);
  if (presence->at != NULL && strcmp (at, presence->at) < 0)
    return TRUE;
  if (presence->at != NULL && presence->inside)
    add (self, terminal, "zone", presence->zone ? presence->zone : "", -1, 0, 0, NULL);
  now = g_new0 (PdvStorePresence, 1);
  now->at = g_strdup (at);
  now->zone = g_strdup (zone != NULL ? zone : presence->zone);
  now->inside = entered;
  if (entered)
    add (self, terminal, "zone", now->zone ? now->zone : "", 1, 0, 0, NULL);
  /* The table keeps its own key (the one given is freed), which the set
   * of moved tickets borrows. */
  g_hash_table_insert (self->presence, g_strdup (ticket_id), now);
  if (g_hash_table_lookup_extended (self->presence, ticket_id, &stored_key, NULL))
    g_hash_table_add (self->moved, stored_key);
  return TRUE;
}

/**
 * pdv_sync_totals_add_entry:
 * @entry: a stored entry (its payload text is read when @payload is %NULL)
 *
 * Adds what @entry changes to the totals: in memory, and for a ticket's
 * presence and a void's sale in the store, whose transaction must be open.
 */
gboolean
pdv_sync_totals_add_entry (PdvSyncTotals        *self,
                           PdvStore             *store,
                           const PdvStoreEntry  *entry,
                           json_t               *payload,
                           GError              **error)
{
  g_autoptr(json_t) parsed = NULL;
  const char *terminal = entry->terminal;

  if (payload == NULL)
    payload = parsed = json_loads (entry->payload, 0, NULL);
  if (!json_is_object (payload))
    return TRUE;

  if (g_str_equal (entry->kind, PDV_ENTRY_SALE))
    add_sale (self, terminal, entry->created_at, payload, 1);
  else if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID))
    {
      /* A void names a sale of its own terminal, stored before it. */
      const char *sale_id = json_string_value (json_object_get (payload, "sale_id"));
      g_autoptr(PdvStoreEntry) sale = NULL;
      g_autoptr(json_t) sale_payload = NULL;
      gboolean newly = FALSE;

      if (sale_id == NULL || !pdv_store_find_entry_by_id (store, sale_id, &sale, error))
        return sale_id == NULL;
      if (sale == NULL || !g_str_equal (sale->kind, PDV_ENTRY_SALE) || !g_str_equal (sale->terminal, terminal) ||
          sale->seq >= entry->seq)
        return TRUE;
      if (!pdv_store_mark_voided (store, sale_id, &newly, error))
        return FALSE;
      sale_payload = json_loads (sale->payload, 0, NULL);
      if (newly && json_is_object (sale_payload))
        add_sale (self, terminal, sale->created_at, sale_payload, -1);
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
    {
      g_autofree char *quarter = pdv_sync_totals_quarter (entry->created_at);
      gint64 amount = negate (payload_int (payload, "amount"));
      const char *method = json_string_value (json_object_get (payload, "method"));

      add (self, terminal, "terminal", terminal, 0, amount, 0, NULL);
      add (self, terminal, "hour", quarter, amount, 0, 0, NULL);
      if (method != NULL)
        add (self, terminal, "method", method, amount, 0, 0, NULL);
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_FICHA_REDEEM))
    add_redemption (self, entry, payload);
  else if (g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
    {
      const char *gate = json_string_value (json_object_get (payload, "gate"));
      const char *verdict = json_string_value (json_object_get (payload, "verdict"));
      const char *direction = json_string_value (json_object_get (payload, "direction"));
      const char *ticket_id = json_string_value (json_object_get (payload, "ticket_id"));
      const char *at = json_string_value (json_object_get (payload, "at"));
      gboolean entered = g_ascii_strcasecmp (verdict ? verdict : "", "valid") == 0 &&
                         g_strcmp0 (direction, "entry") == 0;
      gboolean exited = g_ascii_strcasecmp (verdict ? verdict : "", "exited") == 0;

      add (self, terminal, "gate", gate ? gate : "-", entered, exited, !entered && !exited, NULL);
      /* A terminal that scans tickets is a door. */
      add (self, terminal, "terminal", terminal, 0, 0, 1, NULL);
      if (entered)
        {
          g_autofree char *quarter = pdv_sync_totals_quarter (entry->created_at);

          add (self, terminal, "hour", quarter, 0, 1, 0, NULL);
        }
      if ((entered || exited) && ticket_id != NULL && at != NULL &&
          !add_presence (self, store, terminal, ticket_id, at, json_string_value (json_object_get (payload, "zone")),
                         entered, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * pdv_sync_totals_flush:
 *
 * Writes what was added since the last flush, in the open transaction.
 */
gboolean
pdv_sync_totals_flush (PdvSyncTotals  *self,
                       PdvStore       *store,
                       GError        **error)
{
  g_autoptr(GPtrArray) ids = pdv_sync_sorted_keys (self->deltas);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) deltas = g_array_sized_new (FALSE, FALSE, sizeof (PdvStoreTotalDelta), ids->len);
  gboolean done;

  /* In one order, so that two flushes never wait for each other in a circle. */
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      char **split = g_strsplit (id, "\t", 3);
      const Delta *delta = g_hash_table_lookup (self->deltas, id);
      PdvStoreTotalDelta row = { split[0], split[1], split[2], delta->a, delta->b, delta->c, delta->name };

      g_ptr_array_add (parts, split);
      g_array_append_val (deltas, row);
    }
  done = pdv_store_add_totals (store, (const PdvStoreTotalDelta *) (gpointer) deltas->data, deltas->len, error);
  g_hash_table_remove_all (self->deltas);
  if (done && g_hash_table_size (self->moved) > 0)
    {
      g_autoptr(GPtrArray) moved = pdv_sync_sorted_keys (self->moved);
      g_autoptr(GArray) rows = g_array_sized_new (FALSE, FALSE, sizeof (PdvStorePresence), moved->len);

      for (guint i = 0; i < moved->len; i++)
        g_array_append_val (rows, *(PdvStorePresence *) g_hash_table_lookup (self->presence, moved->pdata[i]));
      done = pdv_store_put_presences (store, (const char * const *) moved->pdata,
                                      (const PdvStorePresence *) (gpointer) rows->data, rows->len, error);
      g_hash_table_remove_all (self->moved);
    }
  return done;
}

typedef struct {
  PdvSyncTotals *totals;
  PdvStore      *store;
  GError        *error;
  gint64         entries;
} Rebuild;

/* The fichas a stored void or refund took back: those never served (the
 * admissions hold every serving, whenever it came). */
static gboolean
rebuild_revocations (Rebuild             *rebuild,
                     const PdvStoreEntry *entry)
{
  g_autoptr(json_t) payload = json_loads (entry->payload, 0, NULL);
  json_t *revoked = json_object_get (payload, "fichas_revoked");
  const char *sale_id = json_string_value (json_object_get (payload, "sale_id"));
  g_autoptr(PdvStoreEntry) sale = NULL;
  g_autoptr(json_t) sale_payload = NULL;
  g_autoptr(GHashTable) admissions = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  json_t *id;
  size_t i;

  if (json_array_size (revoked) == 0 || sale_id == NULL)
    return TRUE;
  if (!pdv_store_find_entry_by_id (rebuild->store, sale_id, &sale, &rebuild->error))
    return FALSE;
  if (sale == NULL)
    return TRUE;
  sale_payload = json_loads (sale->payload, 0, NULL);
  tickets = g_ptr_array_new_with_free_func (g_free);
  json_array_foreach (revoked, i, id)
    if (json_is_string (id))
      g_ptr_array_add (tickets, g_strconcat ("ficha:", json_string_value (id), NULL));
  admissions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  if (!pdv_store_list_admissions_many (rebuild->store, (const char * const *) tickets->pdata, tickets->len,
                                       admissions, &rebuild->error))
    return FALSE;
  for (guint t = 0; t < tickets->len; t++)
    {
      GPtrArray *rows = g_hash_table_lookup (admissions, tickets->pdata[t]);
      const char *product = NULL, *name = NULL;
      gboolean served = FALSE;

      for (guint r = 0; rows != NULL && r < rows->len; r++)
        {
          const PdvStoreAdmission *a = g_ptr_array_index (rows, r);

          served |= g_str_equal (a->direction, "entry") && !a->conflict;
        }
      if (!served && pdv_sync_totals_ficha_sold_as (sale_payload, (char *) tickets->pdata[t] + strlen ("ficha:"),
                                                    &product, &name))
        pdv_sync_totals_add_ficha (rebuild->totals, entry->terminal, product, name, 0, 0, 1);
    }
  return TRUE;
}

static gboolean
rebuild_entry_cb (const PdvStoreEntry *entry,
                  gpointer             user_data)
{
  Rebuild *rebuild = user_data;

  rebuild->entries++;
  if ((g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID) || g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND)) &&
      !rebuild_revocations (rebuild, entry))
    return FALSE;
  return pdv_sync_totals_add_entry (rebuild->totals, rebuild->store, entry, NULL, &rebuild->error);
}

/**
 * pdv_sync_totals_rebuild:
 *
 * Makes the totals again from every stored entry, in one transaction that
 * holds pushes off.
 */
gboolean
pdv_sync_totals_rebuild (PdvStore  *store,
                         GError   **error)
{
  static const char * const kinds[] = { PDV_ENTRY_SALE, PDV_ENTRY_SALE_VOID, PDV_ENTRY_SALE_REFUND, PDV_ENTRY_CHECKIN,
                                        PDV_ENTRY_FICHA_REDEEM, NULL };
  g_autoptr(PdvSyncTotals) totals = pdv_sync_totals_new ();
  Rebuild rebuild = { totals, store, NULL, 0 };

  if (!pdv_store_begin (store, TRUE, error) ||
      !pdv_store_lock_totals (store, TRUE, error) ||
      !pdv_store_clear_totals (store, error))
    goto failed;
  if (!pdv_store_scan_entries (store, kinds, rebuild_entry_cb, &rebuild, error))
    goto failed;
  if (rebuild.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&rebuild.error));
      goto failed;
    }
  add (totals, "", "built", "", 1, 0, 0, NULL);
  if (!pdv_sync_totals_flush (totals, store, error) || !pdv_store_commit (store, error))
    goto failed;
  pdv_sync_audit ("report totals made again from %" G_GINT64_FORMAT " entries", rebuild.entries);
  return TRUE;

failed:
  pdv_store_rollback (store);
  return FALSE;
}

/**
 * pdv_sync_totals_prepare:
 *
 * Makes the totals from the entries when the store has none yet (a store
 * from before they were kept).
 */
gboolean
pdv_sync_totals_prepare (PdvStore  *store,
                         GError   **error)
{
  g_autoptr(GPtrArray) totals = NULL;

  if (!pdv_store_begin (store, FALSE, error))
    return FALSE;
  totals = pdv_store_list_totals (store, error);
  pdv_store_rollback (store);
  if (totals == NULL)
    return FALSE;
  for (guint i = 0; i < totals->len; i++)
    if (g_str_equal (((PdvStoreTotal *) g_ptr_array_index (totals, i))->kind, "built"))
      return TRUE;
  return pdv_sync_totals_rebuild (store, error);
}

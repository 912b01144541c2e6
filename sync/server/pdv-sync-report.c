/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <string.h>

#include "pdv-sync-panel.h"
#include "pdv-sync-protocol.h"

/* A sale as the report needs it. */
typedef struct {
  char    *terminal;
  char    *hour;
  json_t  *payload;
  gboolean voided;
} Sale;

typedef struct {
  gint64 qty;
  gint64 total;
  char  *name;
} ProductTotal;

typedef struct {
  gint64 sales_total;
  gint64 checkins;
} HourTotal;

typedef struct {
  gint64 entries;
  gint64 exits;
  gint64 refusals;
} GateTotal;

typedef struct {
  gint64 sales;
  gint64 sales_total;
} TerminalTotal;

/* A ticket's latest scan that let it in or out, by scan time, whichever
 * gate it was. */
typedef struct {
  char     *at;        /* ISO 8601 UTC, as terminals write it: compares as text */
  char     *zone;
  gboolean  inside;
} Presence;

static void
presence_free (Presence *presence)
{
  g_free (presence->at);
  g_free (presence->zone);
  g_free (presence);
}

/* Fichas of a product, and a counter's scans. */
typedef struct {
  gint64  issued;
  gint64  served;
  gint64  revoked;
  char   *name;
} FichaTotal;

typedef struct {
  gint64 served;
  gint64 refused;
  gint64 served_twice;
} CounterTotal;

static void
ficha_total_free (FichaTotal *total)
{
  g_free (total->name);
  g_free (total);
}

/* The report's "fichas": by product (handed over, served, taken back, to
 * serve), by counter, and in all. */
static json_t *
fichas_json (GHashTable *products,
             GHashTable *counters)
{
  g_autoptr(GPtrArray) keys = pdv_sync_sorted_keys (products);
  json_t *product_list = json_array ();
  json_t *counter_list = json_array ();
  gint64 issued = 0, served = 0, revoked = 0;

  for (guint i = 0; i < keys->len; i++)
    {
      const FichaTotal *total = g_hash_table_lookup (products, keys->pdata[i]);

      json_array_append_new (product_list,
                             json_pack ("{s:s, s:s?, s:I, s:I, s:I, s:I}", "product", (char *) keys->pdata[i],
                                        "name", total->name, "issued", (json_int_t) total->issued,
                                        "served", (json_int_t) total->served, "revoked", (json_int_t) total->revoked,
                                        "outstanding", (json_int_t) (total->issued - total->served - total->revoked)));
      issued += total->issued;
      served += total->served;
      revoked += total->revoked;
    }
  g_ptr_array_unref (keys);
  keys = pdv_sync_sorted_keys (counters);
  for (guint i = 0; i < keys->len; i++)
    {
      const CounterTotal *total = g_hash_table_lookup (counters, keys->pdata[i]);

      json_array_append_new (counter_list,
                             json_pack ("{s:s, s:I, s:I, s:I}", "counter", (char *) keys->pdata[i],
                                        "served", (json_int_t) total->served, "refused", (json_int_t) total->refused,
                                        "served_twice", (json_int_t) total->served_twice));
    }
  return json_pack ("{s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "products", product_list, "counters", counter_list,
                    "total", "issued", (json_int_t) issued, "served", (json_int_t) served,
                    "revoked", (json_int_t) revoked, "outstanding", (json_int_t) (issued - served - revoked));
}

typedef struct {
  GTimeZone  *zone;
  GHashTable *ficha_served;  /* ficha id → the serving's payload (that won its arbitration) */
  GHashTable *ficha_revoked; /* ficha id → the terminal that took it back */
  GHashTable *counters;      /* counter → CounterTotal */
  GHashTable *scans;         /* terminal → gint64: its check-ins */
  GHashTable *presence;    /* ticket id → Presence */
  GHashTable *sales;       /* sale id → Sale */
  GPtrArray  *refunds;     /* json_t payloads, with "hour" and "terminal" added */
  GHashTable *hours;       /* hour → HourTotal */
  GHashTable *gates;       /* gate → GateTotal */
} Report;

static void
sale_free (Sale *sale)
{
  g_free (sale->terminal);
  g_free (sale->hour);
  json_decref (sale->payload);
  g_free (sale);
}

static void
product_total_free (ProductTotal *total)
{
  g_free (total->name);
  g_free (total);
}

/* Totals saturate instead of wrapping: a terminal may push absurd numbers. */
static gint64
add_money (gint64 a,
           gint64 b)
{
  gint64 sum;

  if (__builtin_add_overflow (a, b, &sum))
    return b > 0 ? G_MAXINT64 : G_MININT64;
  return sum;
}

static gint64
sub_money (gint64 a,
           gint64 b)
{
  gint64 difference;

  if (__builtin_sub_overflow (a, b, &difference))
    return b < 0 ? G_MAXINT64 : G_MININT64;
  return difference;
}

static gint64
payload_int (json_t     *object,
             const char *field)
{
  return json_integer_value (json_object_get (object, field));
}

static gpointer
lookup_or_add (GHashTable *table,
               const char *key,
               gsize       size)
{
  gpointer value = g_hash_table_lookup (table, key);

  if (value == NULL)
    {
      value = g_malloc0 (size);
      g_hash_table_insert (table, g_strdup (key), value);
    }
  return value;
}

/* The hour an entry happened in, in the event's time zone. */
static char *
hour_of (Report     *report,
         const char *created_at)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (created_at, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("unknown");
  local = g_date_time_to_timezone (when, report->zone);
  return g_date_time_format (local, "%Y-%m-%dT%H:00:00%:z");
}

static gboolean
collect_entry_cb (const PdvStoreEntry *entry,
                  gpointer             user_data)
{
  Report *report = user_data;
  g_autoptr(json_t) payload = json_loads (entry->payload, 0, NULL);
  g_autofree char *hour = NULL;

  if (!json_is_object (payload))
    return TRUE;
  hour = hour_of (report, entry->created_at);

  if (g_str_equal (entry->kind, PDV_ENTRY_SALE))
    {
      Sale *sale = g_new0 (Sale, 1);
      HourTotal *hour_total = lookup_or_add (report->hours, hour, sizeof (HourTotal));

      sale->terminal = g_strdup (entry->terminal);
      sale->hour = g_strdup (hour);
      sale->payload = g_steal_pointer (&payload);
      hour_total->sales_total = add_money (hour_total->sales_total, payload_int (sale->payload, "total"));
      g_hash_table_replace (report->sales, g_strdup (entry->id), sale);
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_FICHA_REDEEM))
    {
      const char *counter = json_string_value (json_object_get (payload, "counter"));
      const char *ficha = json_string_value (json_object_get (payload, "ficha"));
      CounterTotal *total = lookup_or_add (report->counters, counter ? counter : "", sizeof (CounterTotal));

      if (g_strcmp0 (json_string_value (json_object_get (payload, "verdict")), "valid") != 0)
        total->refused++;
      else if (g_strcmp0 (entry->status, "conflict") == 0 || ficha == NULL)
        total->served_twice++;
      else
        {
          total->served++;
          g_hash_table_replace (report->ficha_served, g_strdup (ficha), g_steal_pointer (&payload));
        }
      return TRUE;
    }

  if ((g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID) || g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND)))
    {
      json_t *id;
      size_t i;

      json_array_foreach (json_object_get (payload, "fichas_revoked"), i, id)
        if (json_is_string (id))
          g_hash_table_replace (report->ficha_revoked, g_strdup (json_string_value (id)), g_strdup (entry->terminal));
    }

  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID))
    {
      /* A void names a sale of its own terminal, stored before it. */
      Sale *sale = g_hash_table_lookup (report->sales, json_string_value (json_object_get (payload, "sale_id")) ?: "");

      if (sale != NULL && g_str_equal (sale->terminal, entry->terminal) && !sale->voided)
        {
          HourTotal *hour_total = lookup_or_add (report->hours, sale->hour, sizeof (HourTotal));

          sale->voided = TRUE;
          hour_total->sales_total = sub_money (hour_total->sales_total, payload_int (sale->payload, "total"));
        }
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
    {
      HourTotal *hour_total = lookup_or_add (report->hours, hour, sizeof (HourTotal));

      json_object_set_new (payload, "terminal", json_string (entry->terminal));
      hour_total->sales_total = sub_money (hour_total->sales_total, payload_int (payload, "amount"));
      g_ptr_array_add (report->refunds, g_steal_pointer (&payload));
    }
  else if (g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
    {
      const char *gate = json_string_value (json_object_get (payload, "gate"));
      const char *verdict = json_string_value (json_object_get (payload, "verdict"));
      const char *direction = json_string_value (json_object_get (payload, "direction"));
      GateTotal *gate_total = lookup_or_add (report->gates, gate ? gate : "-", sizeof (GateTotal));
      gint64 *scans = lookup_or_add (report->scans, entry->terminal, sizeof (gint64));

      gboolean entered = g_ascii_strcasecmp (verdict ? verdict : "", "valid") == 0 &&
                         g_strcmp0 (direction, "entry") == 0;
      gboolean exited = g_ascii_strcasecmp (verdict ? verdict : "", "exited") == 0;
      const char *ticket_id = json_string_value (json_object_get (payload, "ticket_id"));
      const char *at = json_string_value (json_object_get (payload, "at"));

      (*scans)++;
      if (entered)
        {
          HourTotal *hour_total = lookup_or_add (report->hours, hour, sizeof (HourTotal));

          gate_total->entries++;
          hour_total->checkins++;
        }
      else if (exited)
        gate_total->exits++;
      else
        gate_total->refusals++;

      if ((entered || exited) && ticket_id != NULL && at != NULL)
        {
          Presence *presence = g_hash_table_lookup (report->presence, ticket_id);
          const char *zone = json_string_value (json_object_get (payload, "zone"));

          if (presence == NULL)
            {
              presence = g_new0 (Presence, 1);
              g_hash_table_insert (report->presence, g_strdup (ticket_id), presence);
            }
          if (presence->at == NULL || strcmp (at, presence->at) >= 0)
            {
              g_free (presence->at);
              presence->at = g_strdup (at);
              presence->inside = entered;
              if (zone != NULL)
                {
                  g_free (presence->zone);
                  presence->zone = g_strdup (zone);
                }
            }
        }
    }
  return TRUE;
}

static void
add_payment (json_t     *payments,
             const char *method,
             gint64      amount)
{
  if (method == NULL)
    return;
  json_object_set_new (payments, method,
                       json_integer (add_money (json_integer_value (json_object_get (payments, method)), amount)));
}

/* A terminal's line of the report. */
static json_t *
terminal_json (const PdvStoreTerminal *terminal,
               gint64                  sales,
               gint64                  sales_total,
               gint64                  scans)
{
  /* The chain has no gaps: the last seq is how many entries it holds. */
  return json_pack ("{s:s, s:s, s:I, s:I, s:s?, s:I, s:I, s:I}",
                    "terminal", terminal->id, "name", terminal->name,
                    "entries", (json_int_t) terminal->last_seq,
                    "last_seq", (json_int_t) terminal->last_seq,
                    "last_seen", terminal->last_seen,
                    "sales", (json_int_t) sales,
                    "sales_total", (json_int_t) sales_total,
                    "scans", (json_int_t) scans);
}

/* hour → HourTotal, as the report's list of hours in order. */
static json_t *
hours_json (GHashTable *hours)
{
  g_autoptr(GPtrArray) keys = pdv_sync_sorted_keys (hours);
  json_t *list = json_array ();

  for (guint i = 0; i < keys->len; i++)
    {
      const char *hour = g_ptr_array_index (keys, i);
      HourTotal *total = g_hash_table_lookup (hours, hour);

      json_array_append_new (list, json_pack ("{s:s, s:I, s:I}", "hour", hour,
                                              "sales_total", (json_int_t) total->sales_total,
                                              "checkins", (json_int_t) total->checkins));
    }
  return list;
}

/* Everything but the sales tables, from what was collected. */
static json_t *
build_report (Report    *report,
              GPtrArray *terminals,
              gint64     conflicts)
{
  g_autoptr(GHashTable) by_terminal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) product_total_free);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GHashTable) fichas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) ficha_total_free);
  json_t *payments = json_pack ("{s:i, s:i, s:i, s:i}", "cash", 0, "card", 0, "pix", 0, "voucher", 0);
  json_t *terminal_list = json_array ();
  json_t *product_list = json_array ();
  json_t *hour_list;
  json_t *gate_list = json_array ();
  json_t *zone_list;
  gint64 inside_now;
  GHashTableIter iter;
  gpointer value;

  /* Fichas: each sale's handed over for good; taken back when its own
   * terminal's void or refund named it and it was never served. */
  g_hash_table_iter_init (&iter, report->sales);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Sale *sale = value;
      json_t *item;
      size_t i;

      json_array_foreach (json_object_get (sale->payload, "fichas"), i, item)
        {
          const char *id = json_string_value (json_object_get (item, "id"));
          const char *product = json_string_value (json_object_get (item, "product"));
          FichaTotal *total;

          if (product == NULL)
            continue;
          total = lookup_or_add (fichas, product, sizeof (FichaTotal));
          total->issued++;
          if (total->name == NULL)
            total->name = g_strdup (json_string_value (json_object_get (item, "name")));
          if (id != NULL && !g_hash_table_contains (report->ficha_served, id) &&
              g_strcmp0 (g_hash_table_lookup (report->ficha_revoked, id), sale->terminal) == 0)
            total->revoked++;
        }
    }
  g_hash_table_iter_init (&iter, report->ficha_served);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const char *product = json_string_value (json_object_get (value, "product"));
      FichaTotal *total;

      if (product == NULL)
        continue;
      total = lookup_or_add (fichas, product, sizeof (FichaTotal));
      total->served++;
      if (total->name == NULL)
        total->name = g_strdup (json_string_value (json_object_get (value, "name")));
    }

  g_hash_table_iter_init (&iter, report->sales);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Sale *sale = value;
      TerminalTotal *total;
      json_t *item;
      size_t i;

      if (sale->voided)
        continue;
      total = lookup_or_add (by_terminal, sale->terminal, sizeof (TerminalTotal));
      total->sales++;
      total->sales_total = add_money (total->sales_total, payload_int (sale->payload, "total"));
      json_array_foreach (json_object_get (sale->payload, "payments"), i, item)
        add_payment (payments, json_string_value (json_object_get (item, "method")), payload_int (item, "amount"));
      json_array_foreach (json_object_get (sale->payload, "lines"), i, item)
        {
          const char *product = json_string_value (json_object_get (item, "product"));
          ProductTotal *product_total;

          if (product == NULL)
            continue;
          product_total = lookup_or_add (products, product, sizeof (ProductTotal));
          product_total->qty = add_money (product_total->qty, payload_int (item, "qty"));
          product_total->total = add_money (product_total->total, payload_int (item, "total"));
          if (product_total->name == NULL)
            product_total->name = g_strdup (json_string_value (json_object_get (item, "name")));
        }
    }
  for (guint i = 0; i < report->refunds->len; i++)
    {
      json_t *refund = g_ptr_array_index (report->refunds, i);
      TerminalTotal *total = lookup_or_add (by_terminal, json_string_value (json_object_get (refund, "terminal")),
                                            sizeof (TerminalTotal));

      total->sales_total = sub_money (total->sales_total, payload_int (refund, "amount"));
      add_payment (payments, json_string_value (json_object_get (refund, "method")),
                   sub_money (0, payload_int (refund, "amount")));
    }

  for (guint i = 0; i < terminals->len; i++)
    {
      const PdvStoreTerminal *terminal = g_ptr_array_index (terminals, i);
      TerminalTotal *total = g_hash_table_lookup (by_terminal, terminal->id);

      gint64 *scans = g_hash_table_lookup (report->scans, terminal->id);

      json_array_append_new (terminal_list, terminal_json (terminal, total ? total->sales : 0,
                                                           total ? total->sales_total : 0, scans ? *scans : 0));
    }

  keys = pdv_sync_sorted_keys (products);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *product = g_ptr_array_index (keys, i);
      ProductTotal *total = g_hash_table_lookup (products, product);

      json_array_append_new (product_list, json_pack ("{s:s, s:s?, s:I, s:I}", "product", product,
                                                      "name", total->name, "qty", (json_int_t) total->qty,
                                                      "total", (json_int_t) total->total));
    }
  g_clear_pointer (&keys, g_ptr_array_unref);

  hour_list = hours_json (report->hours);

  keys = pdv_sync_sorted_keys (report->gates);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *gate = g_ptr_array_index (keys, i);
      GateTotal *total = g_hash_table_lookup (report->gates, gate);

      json_array_append_new (gate_list, json_pack ("{s:s, s:I, s:I, s:I}", "gate", gate,
                                                   "entries", (json_int_t) total->entries,
                                                   "exits", (json_int_t) total->exits,
                                                   "refusals", (json_int_t) total->refusals));
    }

  /* Inside now, per zone and in all, by every ticket's latest scan. */
  {
    g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GHashTableIter tickets;
    Presence *presence;
    gint64 inside = 0;

    g_hash_table_iter_init (&tickets, report->presence);
    while (g_hash_table_iter_next (&tickets, NULL, (gpointer *) &presence))
      if (presence->inside)
        {
          gint64 *count = lookup_or_add (zones, presence->zone ? presence->zone : "", sizeof (gint64));

          (*count)++;
          inside++;
        }
    g_clear_pointer (&keys, g_ptr_array_unref);
    keys = pdv_sync_sorted_keys (zones);
    zone_list = json_array ();
    for (guint i = 0; i < keys->len; i++)
      json_array_append_new (zone_list, json_pack ("{s:s, s:I}", "zone", (char *) g_ptr_array_index (keys, i),
                                                   "inside", (json_int_t) *(gint64 *) g_hash_table_lookup (
                                                     zones, g_ptr_array_index (keys, i))));
    inside_now = inside;
  }

  return json_pack ("{s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "terminals", terminal_list,
                    "payments", payments, "products", product_list, "hours", hour_list, "gates", gate_list,
                    "conflicts", (json_int_t) conflicts, "inside", (json_int_t) inside_now, "zones", zone_list,
                    "fichas", fichas_json (fichas, report->counters));
}

/* The time zone of the newest event document, or UTC. */
static GTimeZone *
event_zone (PdvStore  *store,
            GError   **error)
{
  g_autoptr(GPtrArray) events = pdv_store_list_documents (store, "event", error);
  g_autoptr(json_t) event = NULL;
  const char *name;
  GTimeZone *zone;

  if (events == NULL)
    return NULL;
  if (events->len == 0)
    return g_time_zone_new_utc ();
  event = pdv_sync_parse_json (g_ptr_array_index (events, events->len - 1));
  name = json_string_value (json_object_get (json_object_get (event, "event"), "timezone"));
  zone = name ? g_time_zone_new_identifier (name) : NULL;
  return zone ? zone : g_time_zone_new_utc ();
}

/* The report as the entries make it: every stored sale, void, refund and
 * check-in read again. What the totals are checked against. */
static json_t *
report_from_entries (PdvStore  *store,
                     GError   **error)
{
  static const char * const kinds[] = { PDV_ENTRY_SALE, PDV_ENTRY_SALE_VOID, PDV_ENTRY_SALE_REFUND, PDV_ENTRY_CHECKIN,
                                        PDV_ENTRY_FICHA_REDEEM, NULL };
  g_autoptr(GPtrArray) terminals = NULL;
  Report report = { 0 };
  gint64 conflicts = 0;
  json_t *result = NULL;

  report.sales = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sale_free);
  report.refunds = g_ptr_array_new_with_free_func ((GDestroyNotify) json_decref);
  report.hours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  report.gates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  report.presence = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) presence_free);
  report.ficha_served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_decref);
  report.ficha_revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  report.counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  report.scans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!pdv_store_begin (store, FALSE, error) ||
      (report.zone = event_zone (store, error)) == NULL ||
      (terminals = pdv_store_list_terminals (store, error)) == NULL ||
      !pdv_store_count (store, PDV_STORE_COUNT_CONFLICTS, &conflicts, error) ||
      !pdv_store_scan_entries (store, kinds, collect_entry_cb, &report, error) ||
      !pdv_store_commit (store, error))
    pdv_store_rollback (store);
  else
    result = build_report (&report, terminals, conflicts);

  g_clear_pointer (&report.zone, g_time_zone_unref);
  g_hash_table_unref (report.sales);
  g_ptr_array_unref (report.refunds);
  g_hash_table_unref (report.hours);
  g_hash_table_unref (report.gates);
  g_hash_table_unref (report.presence);
  g_hash_table_unref (report.ficha_served);
  g_hash_table_unref (report.ficha_revoked);
  g_hash_table_unref (report.counters);
  g_hash_table_unref (report.scans);
  return result;
}

/* A UTC quarter-hour as the event's local hour, in the report's form. */
static char *
local_hour (GTimeZone  *zone,
            const char *quarter)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (quarter, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("unknown");
  local = g_date_time_to_timezone (when, zone);
  return g_date_time_format (local, "%Y-%m-%dT%H:00:00%:z");
}

/**
 * pdv_sync_report_from_totals:
 *
 * The report from the running totals: a few hundred rows, however many
 * entries are stored.
 */
json_t *
pdv_sync_report_from_totals (PdvStore  *store,
                             GError   **error)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GPtrArray) terminals = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GHashTable) by_terminal = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) hours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) fichas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) ficha_total_free);
  g_autoptr(GHashTable) counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_t *payments, *terminal_list, *product_list, *hour_list, *gate_list, *zone_list;
  gint64 conflicts = 0;
  gint64 inside = 0;

  if (!pdv_store_begin (store, FALSE, error) ||
      (zone = event_zone (store, error)) == NULL ||
      (terminals = pdv_store_list_terminals (store, error)) == NULL ||
      !pdv_store_count (store, PDV_STORE_COUNT_CONFLICTS, &conflicts, error) ||
      (totals = pdv_store_list_totals (store, error)) == NULL ||
      !pdv_store_commit (store, error))
    {
      pdv_store_rollback (store);
      return NULL;
    }

  payments = json_pack ("{s:i, s:i, s:i, s:i}", "cash", 0, "card", 0, "pix", 0, "voucher", 0);
  terminal_list = json_array ();
  product_list = json_array ();
  gate_list = json_array ();
  zone_list = json_array ();
  /* Sorted by kind, then key. */
  for (guint i = 0; i < totals->len; i++)
    {
      PdvStoreTotal *total = g_ptr_array_index (totals, i);

      if (g_str_equal (total->kind, "terminal"))
        g_hash_table_insert (by_terminal, total->key, total);
      else if (g_str_equal (total->kind, "method"))
        json_object_set_new (payments, total->key, json_integer (total->a));
      else if (g_str_equal (total->kind, "product") && (total->a != 0 || total->b != 0))
        json_array_append_new (product_list, json_pack ("{s:s, s:s?, s:I, s:I}", "product", total->key,
                                                        "name", total->name, "qty", (json_int_t) total->a,
                                                        "total", (json_int_t) total->b));
      else if (g_str_equal (total->kind, "hour"))
        {
          g_autofree char *hour = local_hour (zone, total->key);
          HourTotal *sum = lookup_or_add (hours, hour, sizeof (HourTotal));

          sum->sales_total = add_money (sum->sales_total, total->a);
          sum->checkins += total->b;
        }
      else if (g_str_equal (total->kind, "gate"))
        json_array_append_new (gate_list, json_pack ("{s:s, s:I, s:I, s:I}", "gate", total->key,
                                                     "entries", (json_int_t) total->a,
                                                     "exits", (json_int_t) total->b,
                                                     "refusals", (json_int_t) total->c));
      else if (g_str_equal (total->kind, "ficha"))
        {
          FichaTotal *sum = lookup_or_add (fichas, total->key, sizeof (FichaTotal));

          sum->issued += total->a;
          sum->served += total->b;
          sum->revoked += total->c;
          if (sum->name == NULL)
            sum->name = g_strdup (total->name);
        }
      else if (g_str_equal (total->kind, "counter"))
        {
          CounterTotal *sum = lookup_or_add (counters, total->key, sizeof (CounterTotal));

          sum->served += total->a;
          sum->refused += total->b;
          sum->served_twice += total->c;
        }
      else if (g_str_equal (total->kind, "zone") && total->a > 0)
        {
          json_array_append_new (zone_list, json_pack ("{s:s, s:I}", "zone", total->key,
                                                       "inside", (json_int_t) total->a));
          inside += total->a;
        }
    }

  for (guint i = 0; i < terminals->len; i++)
    {
      const PdvStoreTerminal *terminal = g_ptr_array_index (terminals, i);
      PdvStoreTotal *total = g_hash_table_lookup (by_terminal, terminal->id);

      json_array_append_new (terminal_list, terminal_json (terminal, total ? total->a : 0, total ? total->b : 0,
                                                           total ? total->c : 0));
    }
  hour_list = hours_json (hours);

  return json_pack ("{s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "terminals", terminal_list,
                    "payments", payments, "products", product_list, "hours", hour_list, "gates", gate_list,
                    "conflicts", (json_int_t) conflicts, "inside", (json_int_t) inside, "zones", zone_list,
                    "fichas", fichas_json (fichas, counters));
}

/**
 * pdv_sync_report:
 * @check: make the report from the entries too, and the totals again when
 *   the two differ
 *
 * Totals across terminals, voids and refunds deducted, from the running
 * totals kept as entries are stored, read from one snapshot.
 */
void
pdv_sync_report (PdvStore     *store,
                 gboolean      check,
                 PdvSyncReply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) report = pdv_sync_report_from_totals (store, &error);
  g_autoptr(json_t) expected = NULL;

  if (report != NULL && check)
    {
      expected = report_from_entries (store, &error);
      if (expected != NULL)
        {
          gboolean matches = json_equal (report, expected);

          if (!matches)
            {
              pdv_sync_audit ("the report's totals differ from the entries: making them again");
              if (!pdv_sync_totals_rebuild (store, &error))
                g_clear_pointer (&report, json_decref);
              else
                {
                  json_decref (report);
                  report = pdv_sync_report_from_totals (store, &error);
                }
            }
          if (report != NULL)
            json_object_set_new (report, "check", json_pack ("{s:b, s:b}", "matched", matches,
                                                             "rebuilt", !matches));
        }
      else
        g_clear_pointer (&report, json_decref);
    }
  if (report == NULL)
    {
      pdv_sync_reply_store_error (reply, error);
      return;
    }
  pdv_sync_reply_json (reply, 200, g_steal_pointer (&report));
}

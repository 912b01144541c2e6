/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "pdv-sync-alerts.h"

/*
 * The panel's alerts and automations.
 *
 * An organiser sets rules on the panel: a product's stock below N, the
 * venue's occupancy at N %, a terminal silent for N minutes, more than N
 * conflicts in 10 minutes, a gate refusing more than N % of its scans in
 * 10 minutes. Every PDV_ALERTS_INTERVAL_MS the server checks them against
 * the figures (those the panels read) and a history of them it keeps in
 * memory (the last 30 minutes, for paces and rates): an alert is raised
 * when a rule starts to hold, and cleared when it stops.
 *
 * Each alert raised or cleared is delivered to every webhook: a JSON POST
 * signed with HMAC-SHA256 over its timestamp and body, tried again 1 s,
 * 2 s, 4 s… later until it is answered 2xx (PDV_ALERTS_MAX_ATTEMPTS in
 * all), every attempt in the delivery's log. The posts go out from threads
 * of their own, never holding a request's worker.
 *
 * Rules, webhooks, alerts and deliveries are documents of the store
 * (panel_documents), each written only over the version read: several
 * servers on one PostgreSQL check and deliver without raising an alert
 * twice or sending a delivery twice at once.
 */

#define HISTORY_US (30 * 60 * G_USEC_PER_SEC)
#define SNAPSHOT_SPACING_US (10 * G_USEC_PER_SEC)
#define WINDOW_US (10 * 60 * G_USEC_PER_SEC)
#define GATE_PACE_US (5 * 60 * G_USEC_PER_SEC)
#define CLAIM_MS (60 * 1000)
#define KEEP_ALERTS 200
#define KEEP_DELIVERIES 200

typedef struct {
  gint64      at_us;       /* monotonic */
  gint64      conflicts;
  GHashTable *gates;       /* gate → gint64[3]: entries, exits, refusals */
  GHashTable *sold;        /* product → gint64 quantity */
} Snapshot;

typedef struct {
  char   *delivery;
  guint   code;         /* 0: no answer */
  char   *error;
  gint64  at_ms;        /* wall */
} Result;

typedef struct {
  PdvSyncAlerts *alerts;
  char          *delivery;
  char          *url;
  char          *secret;
  char          *body;
} Sending;

struct _PdvSyncAlerts
{
  GQueue       history;     /* Snapshot, oldest first; the run's thread only */
  GAsyncQueue *results;     /* Result, from the senders */
  GThreadPool *senders;
  char        *server_id;   /* who claims a delivery */
};

static void
snapshot_free (Snapshot *snapshot)
{
  g_hash_table_unref (snapshot->gates);
  g_hash_table_unref (snapshot->sold);
  g_free (snapshot);
}

static void
result_free (Result *result)
{
  g_free (result->delivery);
  g_free (result->error);
  g_free (result);
}

static void
sending_free (Sending *sending)
{
  g_free (sending->delivery);
  g_free (sending->url);
  if (sending->secret != NULL)
    sodium_memzero (sending->secret, strlen (sending->secret));
  g_free (sending->secret);
  g_free (sending->body);
  g_free (sending);
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static char *
iso_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

/* One POST, on a sender's thread: the result goes back to the next run. */
static void
send_cb (gpointer data,
         gpointer user_data)
{
  Sending *sending = data;
  PdvSyncAlerts *self = sending->alerts;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, "user-agent",
                                                                  "pdv-syncd/" PACKAGE_VERSION, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", sending->url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *signature = NULL;
  Result *result = g_new0 (Result, 1);
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
  crypto_auth_hmacsha256_state state;

  result->delivery = g_strdup (sending->delivery);
  if (msg == NULL)
    {
      result->error = g_strdup ("not a URL");
      goto done;
    }
  /* Over the timestamp, a dot and the body: a replay is seen by its time. */
  crypto_auth_hmacsha256_init (&state, (const guint8 *) sending->secret, strlen (sending->secret));
  crypto_auth_hmacsha256_update (&state, (const guint8 *) timestamp, strlen (timestamp));
  crypto_auth_hmacsha256_update (&state, (const guint8 *) ".", 1);
  crypto_auth_hmacsha256_update (&state, (const guint8 *) sending->body, strlen (sending->body));
  crypto_auth_hmacsha256_final (&state, mac);
  sodium_bin2hex (hex, sizeof hex, mac, sizeof mac);
  signature = g_strconcat ("sha256=", hex, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-PDV-Timestamp", timestamp);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-PDV-Signature", signature);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-PDV-Delivery", sending->delivery);
  soup_message_set_request_body_from_bytes (msg, "application/json",
                                            g_bytes_new (sending->body, strlen (sending->body)));
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL)
    result->error = g_strdup (error->message);
  else
    result->code = soup_message_get_status (msg);

done:
  result->at_ms = now_ms ();
  g_async_queue_push (self->results, result);
  sending_free (sending);
}

PdvSyncAlerts *
pdv_sync_alerts_new (void)
{
  PdvSyncAlerts *self = g_new0 (PdvSyncAlerts, 1);

  g_queue_init (&self->history);
  self->results = g_async_queue_new_full ((GDestroyNotify) result_free);
  self->senders = g_thread_pool_new (send_cb, self, 2, FALSE, NULL);
  self->server_id = g_uuid_string_random ();
  return self;
}

void
pdv_sync_alerts_free (PdvSyncAlerts *self)
{
  if (self == NULL)
    return;
  /* Posts under way finish (each within its timeout) before the queue goes. */
  g_thread_pool_free (self->senders, FALSE, TRUE);
  g_async_queue_unref (self->results);
  g_queue_clear_full (&self->history, (GDestroyNotify) snapshot_free);
  g_free (self->server_id);
  g_free (self);
}

/* ---- The figures' history ------------------------------------------------ */

static void
remember (PdvSyncAlerts *self,
          json_t        *figures,
          gint64         now_us)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);
  Snapshot *last = g_queue_peek_tail (&self->history);
  Snapshot *before_last;
  json_t *item;
  size_t i;

  snapshot->at_us = now_us;
  snapshot->conflicts = json_integer_value (json_object_get (figures, "conflicts"));
  snapshot->gates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  snapshot->sold = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_array_foreach (json_object_get (figures, "gates"), i, item)
    {
      gint64 *counts = g_new0 (gint64, 3);

      counts[0] = json_integer_value (json_object_get (item, "entries"));
      counts[1] = json_integer_value (json_object_get (item, "exits"));
      counts[2] = json_integer_value (json_object_get (item, "refusals"));
      g_hash_table_insert (snapshot->gates, g_strdup (json_string_value (json_object_get (item, "gate"))), counts);
    }
  json_array_foreach (json_object_get (figures, "products"), i, item)
    g_hash_table_insert (snapshot->sold, g_strdup (json_string_value (json_object_get (item, "product"))),
                         g_memdup2 (&(gint64) { json_integer_value (json_object_get (item, "qty")) }, sizeof (gint64)));

  /* One every ten seconds is enough; the newest always stands for now. */
  before_last = self->history.length >= 2 ? g_queue_peek_nth (&self->history, self->history.length - 2) : NULL;
  if (last != NULL && before_last != NULL && last->at_us - before_last->at_us < SNAPSHOT_SPACING_US)
    snapshot_free (g_queue_pop_tail (&self->history));
  g_queue_push_tail (&self->history, snapshot);
  while (self->history.length > 1 &&
         ((Snapshot *) g_queue_peek_head (&self->history))->at_us < now_us - HISTORY_US)
    snapshot_free (g_queue_pop_head (&self->history));
}

/* The oldest snapshot within @window of now (the oldest kept, when the
 * history is shorter). */
static Snapshot *
since (PdvSyncAlerts *self,
       gint64         window_us)
{
  Snapshot *newest = g_queue_peek_tail (&self->history);

  for (GList *l = self->history.head; l != NULL; l = l->next)
    {
      Snapshot *snapshot = l->data;

      if (snapshot->at_us >= newest->at_us - window_us)
        return snapshot;
    }
  return newest;
}

static gint64
sold_in (Snapshot   *snapshot,
         const char *product)
{
  gint64 *qty = g_hash_table_lookup (snapshot->sold, product);

  return qty != NULL ? *qty : 0;
}

/* Stock by product across the bars (each bar starts with the catalog's),
 * with the pace of the last 30 minutes and how long it lasts at it. */
static json_t *
stock_now (PdvSyncAlerts *self,
           json_t        *figures)
{
  Snapshot *newest = g_queue_peek_tail (&self->history);
  Snapshot *oldest = g_queue_peek_head (&self->history);
  json_t *stock = json_array ();
  json_t *terminal;
  const char *product;
  json_t *start;
  gint64 bars = 0;
  double minutes = (newest->at_us - oldest->at_us) / 60e6;
  size_t i;

  json_array_foreach (json_object_get (figures, "terminals"), i, terminal)
    if (json_integer_value (json_object_get (terminal, "sales")) > 0)
      bars++;
  bars = MAX (bars, 1);
  json_object_foreach (json_object_get (figures, "stock_start"), product, start)
    {
      gint64 sold = sold_in (newest, product);
      gint64 left = bars * json_integer_value (json_object_get (start, "stock")) - sold;
      double per_minute = minutes >= 1 ? (sold - sold_in (oldest, product)) / minutes : 0;
      json_t *row = json_pack ("{s:s, s:O?, s:I, s:I, s:I}", "product", product, "name",
                               json_object_get (start, "name"), "stock", (json_int_t) left, "sold", (json_int_t) sold,
                               "per_hour", (json_int_t) (per_minute * 60 + 0.5));

      /* No forecast from a pace of less than a unit in ten minutes. */
      if (per_minute >= 0.1)
        json_object_set_new (row, "minutes_left", json_integer ((json_int_t) MAX (0, left / per_minute)));
      json_array_append_new (stock, row);
    }
  return stock;
}

/* Each gate's check-ins a minute (last 5 minutes) and share of refusals
 * (last 10). */
static json_t *
gate_rates (PdvSyncAlerts *self)
{
  Snapshot *newest = g_queue_peek_tail (&self->history);
  Snapshot *pace = since (self, GATE_PACE_US);
  Snapshot *window = since (self, WINDOW_US);
  double pace_minutes = MAX ((newest->at_us - pace->at_us) / 60e6, 1.0);
  json_t *rates = json_array ();
  g_autoptr(GList) gates = g_list_sort (g_hash_table_get_keys (newest->gates), (GCompareFunc) g_strcmp0);

  for (GList *l = gates; l != NULL; l = l->next)
    {
      gint64 *now = g_hash_table_lookup (newest->gates, l->data);
      gint64 *then = g_hash_table_lookup (pace->gates, l->data);
      gint64 *earlier = g_hash_table_lookup (window->gates, l->data);
      gint64 entries = now[0] - (then != NULL ? then[0] : 0);
      gint64 scans = 0, refused = 0;

      for (int k = 0; k < 3; k++)
        scans += now[k] - (earlier != NULL ? earlier[k] : 0);
      refused = now[2] - (earlier != NULL ? earlier[2] : 0);
      json_array_append_new (rates, json_pack ("{s:s, s:f, s:I, s:I}", (char *) "gate", (char *) l->data,
                                               "per_minute", entries / pace_minutes, "scans", (json_int_t) scans,
                                               "refused", (json_int_t) refused));
    }
  return rates;
}

/* ---- Documents ------------------------------------------------------------ */

static json_t *
read_document (PdvStore    *store,
               const char  *key,
               gint64      *out_version,
               GError     **error)
{
  g_autofree char *text = NULL;
  json_t *document;

  if (!pdv_store_begin (store, FALSE, error) ||
      !pdv_store_get_panel_document (store, key, &text, out_version, error) ||
      !pdv_store_commit (store, error))
    {
      pdv_store_rollback (store);
      return NULL;
    }
  document = text != NULL ? json_loads (text, 0, NULL) : NULL;
  if (!json_is_object (document))
    {
      g_clear_pointer (&document, json_decref);
      document = json_object ();
    }
  return document;
}

static gboolean
write_document (PdvStore    *store,
                const char  *key,
                json_t      *document,
                gint64       version,
                gboolean    *out_written,
                GError     **error)
{
  g_autofree char *text = pdv_canonical_json (document);

  if (!pdv_store_begin (store, TRUE, error) ||
      !pdv_store_put_panel_document (store, key, text, version, out_written, error) ||
      !pdv_store_commit (store, error))
    {
      pdv_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* ---- Rules ---------------------------------------------------------------- */

typedef struct {
  char   *key;       /* rule id and subject */
  json_t *rule;
  char   *subject;
  gint64  value;
  char   *message;
} Holding;

static void
holding_free (Holding *holding)
{
  g_free (holding->key);
  json_decref (holding->rule);
  g_free (holding->subject);
  g_free (holding->message);
  g_free (holding);
}

static void
hold (GPtrArray  *holding,
      json_t     *rule,
      const char *subject,
      gint64      value,
      char       *message)
{
  Holding *h = g_new0 (Holding, 1);

  h->key = g_strconcat (json_string_value (json_object_get (rule, "id")), "\t", subject, NULL);
  h->rule = json_incref (rule);
  h->subject = g_strdup (subject);
  h->value = value;
  h->message = message;
  g_ptr_array_add (holding, h);
}

/* Which rules hold now, each for what (a product, a gate, a terminal). */
static GPtrArray *
check_rules (PdvSyncAlerts *self,
             json_t        *rules,
             json_t        *figures,
             json_t        *stock,
             json_t        *rates)
{
  GPtrArray *holding = g_ptr_array_new_with_free_func ((GDestroyNotify) holding_free);
  Snapshot *newest = g_queue_peek_tail (&self->history);
  Snapshot *window = since (self, WINDOW_US);
  json_t *rule;
  size_t i;

  json_array_foreach (json_object_get (rules, "rules"), i, rule)
    {
      const char *kind = json_string_value (json_object_get (rule, "kind"));
      gint64 threshold = json_integer_value (json_object_get (rule, "threshold"));
      json_t *item;
      size_t j;

      if (g_strcmp0 (kind, "stock_below") == 0)
        json_array_foreach (stock, j, item)
          {
            const char *product = json_string_value (json_object_get (item, "product"));
            gint64 left = json_integer_value (json_object_get (item, "stock"));

            if (g_strcmp0 (json_string_value (json_object_get (rule, "product")), product) == 0 && left < threshold)
              hold (holding, rule, product, left,
                    g_strdup_printf ("stock of %s is %" G_GINT64_FORMAT ", below %" G_GINT64_FORMAT,
                                     json_string_value (json_object_get (item, "name")), left, threshold));
          }
      else if (g_strcmp0 (kind, "occupancy_at") == 0)
        {
          gint64 capacity = json_integer_value (json_object_get (json_object_get (figures, "event"), "capacity"));
          gint64 inside = json_integer_value (json_object_get (figures, "inside"));

          if (capacity > 0 && inside * 100 >= threshold * capacity)
            hold (holding, rule, "", inside * 100 / capacity,
                  g_strdup_printf ("occupancy at %" G_GINT64_FORMAT " %% (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                                   ")", inside * 100 / capacity, inside, capacity));
        }
      else if (g_strcmp0 (kind, "terminal_silent") == 0)
        json_array_foreach (json_object_get (figures, "terminals"), j, item)
          {
            const char *seen = json_string_value (json_object_get (item, "heard_at"));
            g_autoptr(GDateTime) when = NULL;
            gint64 silent;

            if (seen == NULL)
              seen = json_string_value (json_object_get (item, "last_seen"));
            when = seen != NULL ? g_date_time_new_from_iso8601 (seen, NULL) : NULL;
            silent = when != NULL ? (g_get_real_time () - g_date_time_to_unix (when) * G_USEC_PER_SEC) /
                                    (60 * G_USEC_PER_SEC) : 0;

            if (when != NULL && silent >= threshold)
              hold (holding, rule, json_string_value (json_object_get (item, "name")), silent,
                    g_strdup_printf ("%s silent for %" G_GINT64_FORMAT " minutes",
                                     json_string_value (json_object_get (item, "name")), silent));
          }
      else if (g_strcmp0 (kind, "conflicts_over") == 0)
        {
          gint64 recent = newest->conflicts - window->conflicts;

          if (recent > threshold)
            hold (holding, rule, "", recent,
                  g_strdup_printf ("%" G_GINT64_FORMAT " conflicts in 10 minutes", recent));
        }
      else if (g_strcmp0 (kind, "refusal_rate_over") == 0)
        json_array_foreach (rates, j, item)
          {
            const char *gate = json_string_value (json_object_get (item, "gate"));
            const char *only = json_string_value (json_object_get (rule, "gate"));
            gint64 scans = json_integer_value (json_object_get (item, "scans"));
            gint64 refused = json_integer_value (json_object_get (item, "refused"));

            /* Ten scans at least: two refusals of three are no trend. */
            if ((only == NULL || *only == '\0' || g_strcmp0 (only, gate) == 0) && scans >= 10 &&
                refused * 100 > threshold * scans)
              hold (holding, rule, gate, refused * 100 / scans,
                    g_strdup_printf ("%s refused %" G_GINT64_FORMAT " %% of %" G_GINT64_FORMAT " scans in 10 minutes",
                                     gate, refused * 100 / scans, scans));
          }
    }
  return holding;
}

/* What a webhook receives. */
static char *
delivery_body (json_t     *alert,
               const char *event,
               json_t     *figures)
{
  g_autoptr(json_t) body = json_pack ("{s:s, s:O, s:O?}", "event", event, "alert", alert, "event_name",
                                      json_object_get (json_object_get (figures, "event"), "name"));

  return pdv_canonical_json (body);
}

/* Raises and clears alerts as the rules hold or stop holding, and queues
 * their deliveries; over the versions read, again when another server
 * wrote meanwhile. */
static gboolean
update_alerts (PdvStore   *store,
               GPtrArray  *holding,
               json_t     *figures,
               GError    **error)
{
  for (int attempt = 0; attempt < 5; attempt++)
    {
      gint64 version = 0, deliveries_version = 0, webhooks_version = 0;
      g_autoptr(json_t) document = read_document (store, "alerts", &version, error);
      g_autoptr(json_t) deliveries = NULL;
      g_autoptr(json_t) webhooks = NULL;
      g_autoptr(GHashTable) open = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) held = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(json_t) transitions = json_array ();
      g_autofree char *now = iso_now ();
      json_t *alerts, *alert;
      gboolean written = FALSE;
      size_t i;

      if (document == NULL)
        return FALSE;
      alerts = json_object_get (document, "alerts");
      if (!json_is_array (alerts))
        {
          alerts = json_array ();
          json_object_set_new (document, "alerts", alerts);
        }
      json_array_foreach (alerts, i, alert)
        if (json_object_get (alert, "cleared_at") == NULL)
          g_hash_table_insert (open, (gpointer) json_string_value (json_object_get (alert, "key")), alert);
      for (guint h = 0; h < holding->len; h++)
        {
          Holding *now_holding = g_ptr_array_index (holding, h);

          g_hash_table_add (held, now_holding->key);
          if (!g_hash_table_contains (open, now_holding->key))
            {
              g_autofree char *id = g_uuid_string_random ();
              json_t *raised = json_pack ("{s:s, s:s, s:O, s:O, s:s, s:I, s:O, s:s, s:s}", "id", id,
                                          "key", now_holding->key, "rule", json_object_get (now_holding->rule, "id"),
                                          "kind", json_object_get (now_holding->rule, "kind"),
                                          "subject", now_holding->subject, "value", (json_int_t) now_holding->value,
                                          "threshold", json_object_get (now_holding->rule, "threshold"),
                                          "message", now_holding->message, "raised_at", now);

              json_array_append_new (alerts, raised);
              json_array_append_new (transitions, json_pack ("{s:s, s:O}", "event", "alert.raised", "alert", raised));
              pdv_sync_audit ("alert raised: %s", now_holding->message);
            }
        }
      json_array_foreach (alerts, i, alert)
        if (json_object_get (alert, "cleared_at") == NULL &&
            !g_hash_table_contains (held, json_string_value (json_object_get (alert, "key"))))
          {
            json_object_set_new (alert, "cleared_at", json_string (now));
            json_array_append_new (transitions, json_pack ("{s:s, s:O}", "event", "alert.cleared", "alert", alert));
            pdv_sync_audit ("alert cleared: %s", json_string_value (json_object_get (alert, "message")));
          }
      if (json_array_size (transitions) == 0)
        return TRUE;
      while (json_array_size (alerts) > KEEP_ALERTS)
        json_array_remove (alerts, 0);
      if (!write_document (store, "alerts", document, version, &written, error))
        return FALSE;
      if (!written)
        continue;

      /* Each change goes to every webhook; a lost race here is tried again
       * with what the other server wrote. */
      for (int queued = 0; queued < 5; queued++)
        {
          json_t *list, *webhook, *transition;
          size_t w, t;

          g_clear_pointer (&deliveries, json_decref);
          g_clear_pointer (&webhooks, json_decref);
          deliveries = read_document (store, "deliveries", &deliveries_version, error);
          webhooks = read_document (store, "webhooks", &webhooks_version, error);
          if (deliveries == NULL || webhooks == NULL)
            return FALSE;
          list = json_object_get (deliveries, "deliveries");
          if (!json_is_array (list))
            {
              list = json_array ();
              json_object_set_new (deliveries, "deliveries", list);
            }
          json_array_foreach (json_object_get (webhooks, "webhooks"), w, webhook)
            json_array_foreach (transitions, t, transition)
              {
                g_autofree char *id = g_uuid_string_random ();
                g_autofree char *body = delivery_body (json_object_get (transition, "alert"),
                                                       json_string_value (json_object_get (transition, "event")),
                                                       figures);

                json_array_append_new (list, json_pack ("{s:s, s:O, s:O, s:O, s:s, s:s, s:i, s:I, s:I, s:s, s:[]}",
                                                        "id", id, "webhook", json_object_get (webhook, "id"),
                                                        "alert", json_object_get (json_object_get (transition, "alert"),
                                                                                  "id"),
                                                        "event", json_object_get (transition, "event"),
                                                        "body", body, "created_at", now, "attempts", 0,
                                                        "next_at", (json_int_t) now_ms (), "claimed_until",
                                                        (json_int_t) 0, "status", "pending", "log"));
              }
          if (json_array_size (json_object_get (webhooks, "webhooks")) == 0)
            return TRUE;
          while (json_array_size (list) > KEEP_DELIVERIES)
            json_array_remove (list, 0);
          if (!write_document (store, "deliveries", deliveries, deliveries_version, &written, error))
            return FALSE;
          if (written)
            return TRUE;
        }
      return TRUE;
    }
  return TRUE;
}

/* ---- Deliveries ------------------------------------------------------------ */

static json_t *
find_by_id (json_t     *list,
            const char *id)
{
  json_t *item;
  size_t i;

  json_array_foreach (list, i, item)
    if (g_strcmp0 (json_string_value (json_object_get (item, "id")), id) == 0)
      return item;
  return NULL;
}

/* The answers of the posts sent since the last run, into the deliveries'
 * log: delivered, tried again later, or given up. */
static gboolean
record_results (PdvSyncAlerts  *self,
                PdvStore       *store,
                GError        **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  Result *result;

  while ((result = g_async_queue_try_pop (self->results)) != NULL)
    g_ptr_array_add (results, result);
  if (results->len == 0)
    return TRUE;
  for (int attempt = 0; attempt < 5; attempt++)
    {
      gint64 version = 0;
      g_autoptr(json_t) deliveries = read_document (store, "deliveries", &version, error);
      gboolean written = FALSE;

      if (deliveries == NULL)
        return FALSE;
      for (guint r = 0; r < results->len; r++)
        {
          Result *done = g_ptr_array_index (results, r);
          json_t *delivery = find_by_id (json_object_get (deliveries, "deliveries"), done->delivery);
          gint64 attempts;
          gboolean ok = done->code >= 200 && done->code < 300;

          if (delivery == NULL)
            continue;
          attempts = json_integer_value (json_object_get (delivery, "attempts")) + 1;
          json_array_append_new (json_object_get (delivery, "log"),
                                 json_pack ("{s:I, s:i, s:s?}", "at_ms", (json_int_t) done->at_ms, "code",
                                            (int) done->code, "error", done->error));
          json_object_set_new (delivery, "attempts", json_integer (attempts));
          json_object_set_new (delivery, "claimed_until", json_integer (0));
          if (ok)
            json_object_set_new (delivery, "status", json_string ("delivered"));
          else if (attempts >= PDV_ALERTS_MAX_ATTEMPTS)
            {
              json_object_set_new (delivery, "status", json_string ("failed"));
              pdv_sync_audit ("webhook delivery %s given up after %" G_GINT64_FORMAT " attempts", done->delivery,
                              attempts);
            }
          else
            json_object_set_new (delivery, "next_at",
                                 json_integer (done->at_ms + ((gint64) 1000 << (attempts - 1))));
        }
      if (!write_document (store, "deliveries", deliveries, version, &written, error))
        return FALSE;
      if (written)
        return TRUE;
    }
  return TRUE;
}

/* The deliveries due now, claimed by this server for a while, handed to
 * the senders. */
static gboolean
send_due (PdvSyncAlerts  *self,
          PdvStore       *store,
          GError        **error)
{
  gint64 version = 0, webhooks_version = 0;
  g_autoptr(json_t) deliveries = read_document (store, "deliveries", &version, error);
  g_autoptr(json_t) webhooks = read_document (store, "webhooks", &webhooks_version, error);
  g_autoptr(GPtrArray) claimed = g_ptr_array_new ();
  gint64 now = now_ms ();
  gboolean written = FALSE;
  json_t *delivery;
  size_t i;

  if (deliveries == NULL || webhooks == NULL)
    return FALSE;
  json_array_foreach (json_object_get (deliveries, "deliveries"), i, delivery)
    if (g_strcmp0 (json_string_value (json_object_get (delivery, "status")), "pending") == 0 &&
        json_integer_value (json_object_get (delivery, "next_at")) <= now &&
        json_integer_value (json_object_get (delivery, "claimed_until")) < now)
      {
        json_object_set_new (delivery, "claimed_until", json_integer (now + CLAIM_MS));
        json_object_set_new (delivery, "claimed_by", json_string (self->server_id));
        g_ptr_array_add (claimed, delivery);
      }
  if (claimed->len == 0)
    return TRUE;
  /* Another server claimed or changed them meanwhile: its turn. */
  if (!write_document (store, "deliveries", deliveries, version, &written, error) || !written)
    return written || error == NULL || *error == NULL;
  for (guint c = 0; c < claimed->len; c++)
    {
      json_t *chosen = g_ptr_array_index (claimed, c);
      json_t *webhook = find_by_id (json_object_get (webhooks, "webhooks"),
                                    json_string_value (json_object_get (chosen, "webhook")));
      Sending *sending = g_new0 (Sending, 1);

      sending->alerts = self;
      sending->delivery = g_strdup (json_string_value (json_object_get (chosen, "id")));
      sending->body = g_strdup (json_string_value (json_object_get (chosen, "body")));
      if (webhook == NULL)
        {
          /* The webhook was taken away: nothing to send it to. */
          Result *result = g_new0 (Result, 1);

          result->delivery = g_strdup (sending->delivery);
          result->error = g_strdup ("the webhook was removed");
          result->at_ms = now;
          g_async_queue_push (self->results, result);
          sending_free (sending);
          continue;
        }
      sending->url = g_strdup (json_string_value (json_object_get (webhook, "url")));
      sending->secret = g_strdup (json_string_value (json_object_get (webhook, "secret")));
      g_thread_pool_push (self->senders, sending, NULL);
    }
  return TRUE;
}

/* What the panel shows of the alerts: the open ones first, then the last
 * cleared; each delivery without its body; rules and webhooks. */
static json_t *
live_for_panel (json_t *stock,
                json_t *rates,
                json_t *rules,
                json_t *alerts,
                json_t *deliveries,
                json_t *webhooks)
{
  json_t *shown = json_array ();
  json_t *log = json_array ();
  json_t *hooks = json_array ();
  json_t *item;
  size_t i;
  guint cleared = 0;

  json_array_foreach (json_object_get (alerts, "alerts"), i, item)
    if (json_object_get (item, "cleared_at") == NULL)
      json_array_insert (shown, 0, item);
  for (i = json_array_size (json_object_get (alerts, "alerts")); i > 0 && cleared < 20; i--)
    {
      item = json_array_get (json_object_get (alerts, "alerts"), i - 1);
      if (json_object_get (item, "cleared_at") != NULL)
        {
          json_array_append (shown, item);
          cleared++;
        }
    }
  for (i = json_array_size (json_object_get (deliveries, "deliveries")); i > 0 && json_array_size (log) < 30; i--)
    {
      json_t *copy = json_copy (json_array_get (json_object_get (deliveries, "deliveries"), i - 1));

      json_object_del (copy, "body");
      json_object_del (copy, "claimed_by");
      json_array_append_new (log, copy);
    }
  json_array_foreach (json_object_get (webhooks, "webhooks"), i, item)
    json_array_append (hooks, item);
  return json_pack ("{s:O, s:O, s:O?, s:o, s:o, s:o}", "stock", stock, "gate_rates", rates, "rules",
                    json_object_get (rules, "rules"), "alerts", shown, "deliveries", log, "webhooks", hooks);
}

/**
 * pdv_sync_alerts_run:
 *
 * One round: the answers of the last posts recorded, the figures read and
 * remembered, the rules checked, alerts raised and cleared, due deliveries
 * sent; what the panel shows of it updated. On a worker's thread, one
 * round at a time.
 *
 * Returns: whether what the panel shows of it changed
 */
gboolean
pdv_sync_alerts_run (PdvSyncAlerts *self,
                     PdvSyncPanel  *panel,
                     PdvStore      *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) figures = pdv_sync_panel_figures (panel, store, &error);
  g_autoptr(json_t) stock = NULL;
  g_autoptr(json_t) rates = NULL;
  g_autoptr(json_t) rules = NULL;
  g_autoptr(json_t) alerts = NULL;
  g_autoptr(json_t) deliveries = NULL;
  g_autoptr(json_t) webhooks = NULL;
  g_autoptr(json_t) live = NULL;
  g_autoptr(GPtrArray) holding = NULL;
  gint64 version = 0;

  if (figures == NULL || !record_results (self, store, &error))
    goto failed;
  remember (self, figures, g_get_monotonic_time ());
  stock = stock_now (self, figures);
  rates = gate_rates (self);
  rules = read_document (store, "rules", &version, &error);
  if (rules == NULL)
    goto failed;
  holding = check_rules (self, rules, figures, stock, rates);
  if (!update_alerts (store, holding, figures, &error) || !send_due (self, store, &error))
    goto failed;
  alerts = read_document (store, "alerts", &version, &error);
  deliveries = read_document (store, "deliveries", &version, &error);
  webhooks = read_document (store, "webhooks", &version, &error);
  if (alerts == NULL || deliveries == NULL || webhooks == NULL)
    goto failed;
  live = live_for_panel (stock, rates, rules, alerts, deliveries, webhooks);
  return pdv_sync_panel_set_live (panel, live);

failed:
  g_warning ("The panel's alerts were not checked: %s", error != NULL ? error->message : "?");
  return FALSE;
}

/* ---- Settings ---------------------------------------------------------------- */

static gboolean
valid_rule (json_t  *rule,
            char   **out_problem)
{
  static const char * const kinds[] = { "stock_below", "occupancy_at", "terminal_silent", "conflicts_over",
                                        "refusal_rate_over" };
  const char *kind = json_string_value (json_object_get (rule, "kind"));
  json_t *threshold = json_object_get (rule, "threshold");
  gboolean known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    known |= g_strcmp0 (kind, kinds[i]) == 0;
  if (!known)
    *out_problem = g_strdup ("a rule's “kind” is stock_below, occupancy_at, terminal_silent, conflicts_over or "
                             "refusal_rate_over");
  else if (!json_is_integer (threshold) || json_integer_value (threshold) < 0 ||
           json_integer_value (threshold) > 1000000)
    *out_problem = g_strdup ("a rule's “threshold” is a whole number from 0 to 1000000");
  else if (g_str_equal (kind, "stock_below") && !json_is_string (json_object_get (rule, "product")))
    *out_problem = g_strdup ("a stock_below rule names its “product”");
  else
    return TRUE;
  return FALSE;
}

/**
 * pdv_sync_alerts_put_settings:
 * @key: "rules" (`{"rules": [{"id"?, "kind", "threshold", "product"?,
 *   "gate"?}]}`) or "webhooks" (`{"webhooks": [{"id"?, "url", "secret"?}]}`)
 *
 * Replaces the panel's rules or webhooks (an organiser's); a rule or
 * webhook without an id gets one, a webhook without a secret a new one.
 */
void
pdv_sync_alerts_put_settings (PdvSyncAlerts *self,
                              PdvStore      *store,
                              const char    *key,
                              GBytes        *body,
                              PdvSyncReply  *reply)
{
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  g_autoptr(json_t) request = data != NULL ? json_loadb (data, size, 0, NULL) : NULL;
  json_t *list = json_object_get (request, key);
  json_t *item;
  size_t i;

  if (!json_is_array (list) || json_array_size (list) > 100)
    {
      pdv_sync_reply_error (reply, 422, "invalid_settings", "the body is {\"%s\": […]}, at most 100", key);
      return;
    }
  json_array_foreach (list, i, item)
    {
      g_autofree char *problem = NULL;

      if (!json_is_object (item))
        {
          pdv_sync_reply_error (reply, 422, "invalid_settings", "each of “%s” is an object", key);
          return;
        }
      if (g_str_equal (key, "rules") && !valid_rule (item, &problem))
        {
          pdv_sync_reply_error (reply, 422, "invalid_settings", "%s", problem);
          return;
        }
      if (g_str_equal (key, "webhooks"))
        {
          const char *url = json_string_value (json_object_get (item, "url"));
          g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

          if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                              g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
            {
              pdv_sync_reply_error (reply, 422, "invalid_settings", "a webhook's “url” is an http or https address");
              return;
            }
          if (!json_is_string (json_object_get (item, "secret")) ||
              json_string_length (json_object_get (item, "secret")) < 16)
            {
              guint8 random[24];
              char secret[2 * sizeof random + 1];

              randombytes_buf (random, sizeof random);
              sodium_bin2hex (secret, sizeof secret, random, sizeof random);
              json_object_set_new (item, "secret", json_string (secret));
            }
        }
      if (!json_is_string (json_object_get (item, "id")))
        {
          g_autofree char *id = g_uuid_string_random ();

          json_object_set_new (item, "id", json_string (id));
        }
    }
  for (int attempt = 0; attempt < 5; attempt++)
    {
      gint64 version = 0;
      g_autoptr(json_t) document = read_document (store, key, &version, &error);
      gboolean written = FALSE;

      if (document == NULL)
        break;
      json_object_set (document, key, list);
      if (!write_document (store, key, document, version, &written, &error))
        break;
      if (written)
        {
          pdv_sync_audit ("panel %s set: %zu", key, json_array_size (list));
          pdv_sync_reply_json (reply, 200, json_pack ("{s:O}", key, list));
          return;
        }
    }
  if (error != NULL)
    pdv_sync_reply_store_error (reply, error);
  else
    pdv_sync_reply_error (reply, 503, "unavailable", "the %s kept changing: try again", key);
}

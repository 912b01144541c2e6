/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <string.h>

#include "pdv-sync-protocol.h"
#include "pdv-sync-metrics.h"

/* Upper bounds of the request-latency buckets, in seconds. */
static const double latency_bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

typedef struct {
  guint64 buckets[G_N_ELEMENTS (latency_bounds)];   /* each counts what is at most its bound */
  guint64 count;
  double  sum;
} Latency;

/* Counted from the main loop and the storage threads alike. */
struct _PdvSyncMetrics
{
  GMutex      lock;
  GHashTable *latencies;  /* path → Latency */
  GHashTable *requests;   /* "path\tcode" → count */
  GHashTable *stored;     /* kind → count */
  guint64     duplicates;
  guint64     rejected;
  guint64     conflicts;
};

static void
increment (GHashTable *table,
           const char *key)
{
  guint64 *count = g_hash_table_lookup (table, key);

  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (table, g_strdup (key), count);
    }
  (*count)++;
}

PdvSyncMetrics *
pdv_sync_metrics_new (void)
{
  PdvSyncMetrics *self = g_new0 (PdvSyncMetrics, 1);

  g_mutex_init (&self->lock);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->latencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
pdv_sync_metrics_free (PdvSyncMetrics *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->latencies);
  g_hash_table_unref (self->stored);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * pdv_sync_metrics_count_request:
 * @path: one of the server's paths, or "other": labels stay few
 * @seconds: from the request's first byte to its answer's last
 */
void
pdv_sync_metrics_count_request (PdvSyncMetrics *self,
                                const char     *path,
                                guint           status,
                                double          seconds)
{
  g_autofree char *key = g_strdup_printf ("%s\t%u", path, status);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Latency *latency = g_hash_table_lookup (self->latencies, path);

  increment (self->requests, key);
  if (latency == NULL)
    {
      latency = g_new0 (Latency, 1);
      g_hash_table_insert (self->latencies, g_strdup (path), latency);
    }
  for (guint i = 0; i < G_N_ELEMENTS (latency_bounds); i++)
    if (seconds <= latency_bounds[i])
      latency->buckets[i]++;
  latency->count++;
  latency->sum += seconds;
}

/**
 * pdv_sync_metrics_count_entry:
 * @status: "accepted", "conflict", "duplicate" or "rejected"
 */
void
pdv_sync_metrics_count_entry (PdvSyncMetrics *self,
                              const char     *kind,
                              const char     *status)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (g_str_equal (status, "duplicate"))
    self->duplicates++;
  else if (g_str_equal (status, "rejected"))
    self->rejected++;
  else
    {
      increment (self->stored, kind);
      if (g_str_equal (status, "conflict"))
        self->conflicts++;
    }
}

char *
pdv_sync_metrics_render (PdvSyncMetrics *self,
                         gint64          terminals,
                         guint           pulls_waiting)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GString *out = g_string_new (NULL);
  GPtrArray *keys;

  g_string_append (out, "# HELP pdv_http_requests_total HTTP requests answered, by path and status.\n"
                        "# TYPE pdv_http_requests_total counter\n");
  keys = pdv_sync_sorted_keys (self->requests);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const char *tab = strchr (key, '\t');
      const guint64 *count = g_hash_table_lookup (self->requests, key);

      g_string_append_printf (out, "pdv_http_requests_total{path=\"%.*s\",code=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              (int) (tab - key), key, tab + 1, *count);
    }
  g_ptr_array_unref (keys);
  g_string_append (out, "# HELP pdv_http_request_duration_seconds Time to answer HTTP requests, by path.\n"
                        "# TYPE pdv_http_request_duration_seconds histogram\n");
  keys = pdv_sync_sorted_keys (self->latencies);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *path = g_ptr_array_index (keys, i);
      const Latency *latency = g_hash_table_lookup (self->latencies, path);
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      for (guint b = 0; b < G_N_ELEMENTS (latency_bounds); b++)
        g_string_append_printf (out, "pdv_http_request_duration_seconds_bucket{path=\"%s\",le=\"%s\"} %"
                                G_GUINT64_FORMAT "\n", path,
                                g_ascii_formatd (number, sizeof number, "%g", latency_bounds[b]), latency->buckets[b]);
      g_string_append_printf (out, "pdv_http_request_duration_seconds_bucket{path=\"%s\",le=\"+Inf\"} %"
                              G_GUINT64_FORMAT "\n", path, latency->count);
      g_string_append_printf (out, "pdv_http_request_duration_seconds_sum{path=\"%s\"} %s\n", path,
                              g_ascii_formatd (number, sizeof number, "%.6f", latency->sum));
      g_string_append_printf (out, "pdv_http_request_duration_seconds_count{path=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              path, latency->count);
    }
  g_ptr_array_unref (keys);
  g_string_append (out, "# HELP pdv_entries_stored_total Journal entries stored, by kind.\n"
                        "# TYPE pdv_entries_stored_total counter\n");
  keys = pdv_sync_sorted_keys (self->stored);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *kind = g_ptr_array_index (keys, i);
      const guint64 *count = g_hash_table_lookup (self->stored, kind);

      g_string_append_printf (out, "pdv_entries_stored_total{kind=\"%s\"} %" G_GUINT64_FORMAT "\n", kind, *count);
    }
  g_ptr_array_unref (keys);
  g_string_append_printf (out,
                          "# HELP pdv_entries_duplicate_total Entries pushed again that were already stored.\n"
                          "# TYPE pdv_entries_duplicate_total counter\n"
                          "pdv_entries_duplicate_total %" G_GUINT64_FORMAT "\n"
                          "# HELP pdv_entries_rejected_total Entries refused (gap, broken chain, bad hash).\n"
                          "# TYPE pdv_entries_rejected_total counter\n"
                          "pdv_entries_rejected_total %" G_GUINT64_FORMAT "\n"
                          "# HELP pdv_conflicts_total Check-ins that lost an arbitration.\n"
                          "# TYPE pdv_conflicts_total counter\n"
                          "pdv_conflicts_total %" G_GUINT64_FORMAT "\n"
                          "# HELP pdv_terminals Terminals enrolled.\n"
                          "# TYPE pdv_terminals gauge\n"
                          "pdv_terminals %" G_GINT64_FORMAT "\n"
                          "# HELP pdv_pulls_waiting Pulls held open until a change comes.\n"
                          "# TYPE pdv_pulls_waiting gauge\n"
                          "pdv_pulls_waiting %u\n"
                          "# HELP pdv_build_info The server's version.\n"
                          "# TYPE pdv_build_info gauge\n"
                          "pdv_build_info{version=\"%s\"} 1\n",
                          self->duplicates, self->rejected, self->conflicts, terminals, pulls_waiting,
                          PACKAGE_VERSION);
  return g_string_free (out, FALSE);
}

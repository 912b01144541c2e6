/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <math.h>

#include "pdv-rate-limiter.h"

typedef struct {
  double tokens;
  gint64 updated_us;
} Bucket;

struct _PdvRateLimiter
{
  double      rate;
  double      burst;
  GHashTable *buckets;      /* key → Bucket */
  gint64      swept_us;
};

/* How often full buckets are forgotten, so that many clients seen once do
 * not hold memory for ever. */
#define SWEEP_INTERVAL_US (60 * G_USEC_PER_SEC)

PdvRateLimiter *
pdv_rate_limiter_new (double rate,
                      double burst)
{
  PdvRateLimiter *self = g_new0 (PdvRateLimiter, 1);

  self->rate = rate;
  self->burst = MAX (burst, 1.0);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
pdv_rate_limiter_free (PdvRateLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->buckets);
  g_free (self);
}

static void
refill (PdvRateLimiter *self,
        Bucket         *bucket,
        gint64          now_us)
{
  double elapsed = (double) MAX (now_us - bucket->updated_us, 0) / G_USEC_PER_SEC;

  bucket->tokens = MIN (self->burst, bucket->tokens + elapsed * self->rate);
  bucket->updated_us = now_us;
}

static void
sweep (PdvRateLimiter *self,
       gint64          now_us)
{
  GHashTableIter iter;
  gpointer value;

  if (now_us - self->swept_us < SWEEP_INTERVAL_US)
    return;
  self->swept_us = now_us;
  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      refill (self, value, now_us);
      if (((Bucket *) value)->tokens >= self->burst)
        g_hash_table_iter_remove (&iter);
    }
}

/**
 * pdv_rate_limiter_take:
 * @now_us: the monotonic time
 * @out_retry_after_s: (out): when refused, in how many seconds to try again
 *
 * Returns: %TRUE if the request may go ahead
 */
gboolean
pdv_rate_limiter_take (PdvRateLimiter *self,
                       const char     *key,
                       gint64          now_us,
                       guint          *out_retry_after_s)
{
  Bucket *bucket;

  if (self->rate <= 0)
    return TRUE;

  sweep (self, now_us);
  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->updated_us = now_us;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  refill (self, bucket, now_us);
  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }
  *out_retry_after_s = (guint) MAX (1.0, ceil ((1.0 - bucket->tokens) / self->rate));
  return FALSE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-clock"

#include "config.h"

#include "pdv-clock.h"

/* The one clock of a terminal: the journal's timestamps, lockouts,
 * check-in windows, auto-lock, dashboards, the sync worker's backoff and
 * every timer of the screens read it. It follows the system's clocks until
 * it is set or advanced (tests, rehearsals, `pdvctl --at`); from then on
 * time moves only when told, and timers made with it fire when it passes
 * their deadline, so nothing waits for real time to pass.
 *
 * Any thread may read and move it: worker threads with connections of
 * their own share the terminal's clock. */
struct _PdvClock
{
  GObject    parent_instance;

  GMutex     lock;
  gboolean   frozen;
  gint64     frozen_real_us;
  gint64     frozen_mono_us;
  /* Added to the system's monotonic time once thawed, so that it never
   * runs backwards after an advance. */
  gint64     mono_offset_us;
  /* ClockSource, not owned: they leave the list when they finalize. */
  GPtrArray *sources;
};

G_DEFINE_FINAL_TYPE (PdvClock, pdv_clock, G_TYPE_OBJECT)

typedef struct {
  GSource   source;
  PdvClock *clock;
  gint64    deadline_us;   /* on the clock's monotonic time */
  gint64    interval_us;
} ClockSource;

static gint64
monotonic_locked (PdvClock *self)
{
  return self->frozen ? self->frozen_mono_us : g_get_monotonic_time () + self->mono_offset_us;
}

static void
freeze_locked (PdvClock *self)
{
  if (self->frozen)
    return;
  self->frozen_mono_us = monotonic_locked (self);
  self->frozen_real_us = g_get_real_time ();
  self->frozen = TRUE;
}

/* Sleeping main loops re-check their clock timers after a jump. */
static void
wake_sources (PdvClock *self)
{
  g_autoptr(GPtrArray) contexts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_main_context_unref);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->sources->len; i++)
    {
      GMainContext *context = g_source_get_context (g_ptr_array_index (self->sources, i));

      if (context != NULL && !g_ptr_array_find (contexts, context, NULL))
        g_ptr_array_add (contexts, g_main_context_ref (context));
    }
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < contexts->len; i++)
    g_main_context_wakeup (g_ptr_array_index (contexts, i));
}

static gboolean
clock_source_prepare (GSource *source,
                      gint    *timeout)
{
  ClockSource *clock_source = (ClockSource *) source;
  PdvClock *self = clock_source->clock;
  gint64 now;
  gboolean frozen;

  g_mutex_lock (&self->lock);
  now = monotonic_locked (self);
  frozen = self->frozen;
  g_mutex_unlock (&self->lock);

  if (now >= clock_source->deadline_us)
    {
      *timeout = 0;
      return TRUE;
    }
  /* A frozen clock moves only by pdv_clock_advance(), which wakes us. */
  *timeout = frozen ? -1 : (gint) MIN ((clock_source->deadline_us - now + 999) / 1000, G_MAXINT);
  return FALSE;
}

static gboolean
clock_source_check (GSource *source)
{
  ClockSource *clock_source = (ClockSource *) source;

  return pdv_clock_get_monotonic_time (clock_source->clock) >= clock_source->deadline_us;
}

static gboolean
clock_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  ClockSource *clock_source = (ClockSource *) source;
  gboolean again;

  if (callback == NULL)
    return G_SOURCE_REMOVE;
  again = callback (user_data);
  if (again)
    clock_source->deadline_us = pdv_clock_get_monotonic_time (clock_source->clock) + clock_source->interval_us;
  return again;
}

static void
clock_source_finalize (GSource *source)
{
  ClockSource *clock_source = (ClockSource *) source;
  PdvClock *self = clock_source->clock;

  g_mutex_lock (&self->lock);
  g_ptr_array_remove_fast (self->sources, source);
  g_mutex_unlock (&self->lock);
  g_object_unref (self);
}

static GSourceFuncs clock_source_funcs = {
  .prepare = clock_source_prepare,
  .check = clock_source_check,
  .dispatch = clock_source_dispatch,
  .finalize = clock_source_finalize,
};

static void
pdv_clock_finalize (GObject *object)
{
  PdvClock *self = (PdvClock *) object;

  /* Every source holds a reference: none can be left. */
  g_assert (self->sources->len == 0);
  g_ptr_array_unref (self->sources);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pdv_clock_parent_class)->finalize (object);
}

static void
pdv_clock_class_init (PdvClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdv_clock_finalize;
}

static void
pdv_clock_init (PdvClock *self)
{
  g_mutex_init (&self->lock);
  self->sources = g_ptr_array_new ();
}

/**
 * pdv_clock_new:
 *
 * Returns: (transfer full): a clock that follows the system's clocks
 */
PdvClock *
pdv_clock_new (void)
{
  return g_object_new (PDV_TYPE_CLOCK, NULL);
}

/**
 * pdv_clock_get_real_time:
 *
 * Returns: microseconds since the Unix epoch, as g_get_real_time()
 */
gint64
pdv_clock_get_real_time (PdvClock *self)
{
  gint64 now;

  g_return_val_if_fail (PDV_IS_CLOCK (self), 0);

  g_mutex_lock (&self->lock);
  now = self->frozen ? self->frozen_real_us : g_get_real_time ();
  g_mutex_unlock (&self->lock);
  return now;
}

/**
 * pdv_clock_get_monotonic_time:
 *
 * Returns: microseconds on a clock that never runs backwards, for
 *   intervals, as g_get_monotonic_time()
 */
gint64
pdv_clock_get_monotonic_time (PdvClock *self)
{
  gint64 now;

  g_return_val_if_fail (PDV_IS_CLOCK (self), 0);

  g_mutex_lock (&self->lock);
  now = monotonic_locked (self);
  g_mutex_unlock (&self->lock);
  return now;
}

/**
 * pdv_clock_get_now_utc:
 *
 * Returns: (transfer full): the current time, in UTC
 */
GDateTime *
pdv_clock_get_now_utc (PdvClock *self)
{
  gint64 now_us;
  g_autoptr(GDateTime) seconds = NULL;

  g_return_val_if_fail (PDV_IS_CLOCK (self), NULL);

  now_us = pdv_clock_get_real_time (self);
  seconds = g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC);
  return g_date_time_add (seconds, now_us % G_USEC_PER_SEC);
}

/**
 * pdv_clock_get_now:
 * @timezone: (nullable): where; %NULL for the local time zone
 *
 * Returns: (transfer full): the current time in @timezone
 */
GDateTime *
pdv_clock_get_now (PdvClock  *self,
                   GTimeZone *timezone)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (PDV_IS_CLOCK (self), NULL);

  utc = pdv_clock_get_now_utc (self);
  return timezone != NULL ? g_date_time_to_timezone (utc, timezone) : g_date_time_to_local (utc);
}

gboolean
pdv_clock_is_frozen (PdvClock *self)
{
  gboolean frozen;

  g_return_val_if_fail (PDV_IS_CLOCK (self), FALSE);

  g_mutex_lock (&self->lock);
  frozen = self->frozen;
  g_mutex_unlock (&self->lock);
  return frozen;
}

/**
 * pdv_clock_set_time:
 * @now: (nullable): the time it is from now on; %NULL follows the system
 *   clock again, as pdv_clock_thaw()
 *
 * Stops the clock at @now: it moves from then on only by
 * pdv_clock_advance(). Monotonic time does not jump with it.
 */
void
pdv_clock_set_time (PdvClock  *self,
                    GDateTime *now)
{
  g_return_if_fail (PDV_IS_CLOCK (self));

  if (now == NULL)
    {
      pdv_clock_thaw (self);
      return;
    }
  g_mutex_lock (&self->lock);
  freeze_locked (self);
  self->frozen_real_us = g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
  g_mutex_unlock (&self->lock);
}

/**
 * pdv_clock_advance:
 * @span: how far, not negative
 *
 * Moves both the wall and the monotonic time forward (stopping a running
 * clock first); timers made with the clock whose deadline passes fire at
 * their main context's next iteration.
 */
void
pdv_clock_advance (PdvClock  *self,
                   GTimeSpan  span)
{
  g_return_if_fail (PDV_IS_CLOCK (self));
  g_return_if_fail (span >= 0);

  g_mutex_lock (&self->lock);
  freeze_locked (self);
  self->frozen_real_us += span;
  self->frozen_mono_us += span;
  g_mutex_unlock (&self->lock);
  wake_sources (self);
}

/**
 * pdv_clock_thaw:
 *
 * Follows the system's clocks again; monotonic time carries on from where
 * it was, never backwards.
 */
void
pdv_clock_thaw (PdvClock *self)
{
  g_return_if_fail (PDV_IS_CLOCK (self));

  g_mutex_lock (&self->lock);
  if (self->frozen)
    {
      self->mono_offset_us = MAX (self->frozen_mono_us - g_get_monotonic_time (), 0);
      self->frozen = FALSE;
    }
  g_mutex_unlock (&self->lock);
  wake_sources (self);
}

/**
 * pdv_clock_timeout_source_new:
 * @interval_ms: how long after now, and between dispatches while the
 *   callback returns %G_SOURCE_CONTINUE
 *
 * As g_timeout_source_new(), on this clock.
 *
 * Returns: (transfer full): a source to attach to a main context
 */
GSource *
pdv_clock_timeout_source_new (PdvClock *self,
                              guint     interval_ms)
{
  GSource *source;
  ClockSource *clock_source;

  g_return_val_if_fail (PDV_IS_CLOCK (self), NULL);

  source = g_source_new (&clock_source_funcs, sizeof (ClockSource));
  g_source_set_static_name (source, "[pdv] clock timeout");
  clock_source = (ClockSource *) source;
  clock_source->clock = g_object_ref (self);
  clock_source->interval_us = (gint64) interval_ms * 1000;
  clock_source->deadline_us = pdv_clock_get_monotonic_time (self) + clock_source->interval_us;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->sources, source);
  g_mutex_unlock (&self->lock);
  return source;
}

/**
 * pdv_clock_timeout_add:
 *
 * As g_timeout_add(), on this clock, in the thread-default main context.
 *
 * Returns: the source's id, for g_source_remove()
 */
guint
pdv_clock_timeout_add (PdvClock    *self,
                       guint        interval_ms,
                       GSourceFunc  function,
                       gpointer     data)
{
  g_autoptr(GSource) source = NULL;

  g_return_val_if_fail (PDV_IS_CLOCK (self), 0);
  g_return_val_if_fail (function != NULL, 0);

  source = pdv_clock_timeout_source_new (self, interval_ms);
  g_source_set_callback (source, function, data, NULL);
  return g_source_attach (source, g_main_context_get_thread_default ());
}

/**
 * pdv_clock_timeout_add_seconds:
 *
 * As g_timeout_add_seconds(), on this clock.
 */
guint
pdv_clock_timeout_add_seconds (PdvClock    *self,
                               guint        interval_s,
                               GSourceFunc  function,
                               gpointer     data)
{
  g_return_val_if_fail (interval_s <= G_MAXUINT / 1000, 0);

  return pdv_clock_timeout_add (self, interval_s * 1000, function, data);
}

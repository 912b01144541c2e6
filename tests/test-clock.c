/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pdv-test-util.h"

static gboolean
count_cb (gpointer data)
{
  guint *count = data;

  (*count)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
once_cb (gpointer data)
{
  guint *count = data;

  (*count)++;
  return G_SOURCE_REMOVE;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A clock that was set tells that time, and moves only when advanced. */
static void
test_clock_set_and_advance (void)
{
  g_autoptr(PdvClock) clock = pdv_clock_new ();
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T22:00:00.250-03:00", NULL);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) sao_paulo = g_time_zone_new_identifier ("America/Sao_Paulo");
  gint64 mono;

  g_assert_false (pdv_clock_is_frozen (clock));
  g_assert_cmpint (ABS (pdv_clock_get_real_time (clock) - g_get_real_time ()), <, 60 * G_USEC_PER_SEC);

  mono = pdv_clock_get_monotonic_time (clock);
  pdv_clock_set_time (clock, night);
  g_assert_true (pdv_clock_is_frozen (clock));
  now = pdv_clock_get_now_utc (clock);
  g_assert_true (g_date_time_equal (now, night));
  g_assert_cmpint (g_date_time_get_microsecond (now), ==, 250000);
  /* Setting the wall time leaves the monotonic time where it was. */
  g_assert_cmpint (pdv_clock_get_monotonic_time (clock), >=, mono);
  mono = pdv_clock_get_monotonic_time (clock);

  pdv_clock_advance (clock, 90 * G_USEC_PER_SEC);
  g_assert_cmpint (pdv_clock_get_monotonic_time (clock), ==, mono + 90 * G_USEC_PER_SEC);
  local = pdv_clock_get_now (clock, sao_paulo);
  g_assert_cmpint (g_date_time_get_hour (local), ==, 22);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 1);
  g_assert_cmpint (g_date_time_get_second (local), ==, 30);

  /* Back to the system's clocks: the monotonic time never runs backwards. */
  mono = pdv_clock_get_monotonic_time (clock);
  pdv_clock_thaw (clock);
  g_assert_false (pdv_clock_is_frozen (clock));
  g_assert_cmpint (pdv_clock_get_monotonic_time (clock), >=, mono);
  g_assert_cmpint (ABS (pdv_clock_get_real_time (clock) - g_get_real_time ()), <, 60 * G_USEC_PER_SEC);
}

/* Timers on a stopped clock fire when an advance passes their deadline,
 * not before, and repeat from the time they fired. */
static void
test_clock_timers (void)
{
  g_autoptr(PdvClock) clock = pdv_clock_new ();
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T22:00:00-03:00", NULL);
  guint ticks = 0;
  guint once = 0;
  guint tick_id;

  pdv_clock_set_time (clock, night);
  tick_id = pdv_clock_timeout_add_seconds (clock, 30, count_cb, &ticks);
  pdv_clock_timeout_add (clock, 4500, once_cb, &once);

  drain ();
  g_assert_cmpuint (ticks, ==, 0);
  g_assert_cmpuint (once, ==, 0);

  pdv_clock_advance (clock, 4499 * G_TIME_SPAN_MILLISECOND);
  drain ();
  g_assert_cmpuint (once, ==, 0);
  pdv_clock_advance (clock, 1 * G_TIME_SPAN_MILLISECOND);
  drain ();
  g_assert_cmpuint (once, ==, 1);

  pdv_clock_advance (clock, 26 * G_USEC_PER_SEC);
  drain ();
  g_assert_cmpuint (ticks, ==, 1);
  pdv_clock_advance (clock, 29 * G_USEC_PER_SEC);
  drain ();
  g_assert_cmpuint (ticks, ==, 1);
  pdv_clock_advance (clock, 1 * G_USEC_PER_SEC);
  drain ();
  g_assert_cmpuint (ticks, ==, 2);
  g_assert_cmpuint (once, ==, 1);

  g_source_remove (tick_id);
  pdv_clock_advance (clock, 60 * G_USEC_PER_SEC);
  drain ();
  g_assert_cmpuint (ticks, ==, 2);
}

typedef struct {
  PdvClock     *clock;
  GMainContext *context;
  GMainLoop    *loop;
  guint         fired;
} Sleeper;

static gboolean
sleeper_fired_cb (gpointer data)
{
  Sleeper *sleeper = data;

  g_atomic_int_inc (&sleeper->fired);
  g_main_loop_quit (sleeper->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
sleeper_thread (gpointer data)
{
  Sleeper *sleeper = data;

  g_main_context_push_thread_default (sleeper->context);
  g_main_loop_run (sleeper->loop);
  g_main_context_pop_thread_default (sleeper->context);
  return NULL;
}

/* A main loop of another thread asleep on a stopped clock wakes when the
 * clock is advanced past its timer (as the sync worker's backoff does). */
static void
test_clock_wakes_other_threads (void)
{
  g_autoptr(PdvClock) clock = pdv_clock_new ();
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T22:00:00-03:00", NULL);
  g_autoptr(GSource) source = NULL;
  Sleeper sleeper = { clock, g_main_context_new (), NULL, 0 };
  GThread *thread;

  sleeper.loop = g_main_loop_new (sleeper.context, FALSE);
  pdv_clock_set_time (clock, night);
  source = pdv_clock_timeout_source_new (clock, 5 * 60 * 1000);
  g_source_set_callback (source, sleeper_fired_cb, &sleeper, NULL);
  g_source_attach (source, sleeper.context);

  thread = g_thread_new ("sleeper", sleeper_thread, &sleeper);
  pdv_clock_advance (clock, 5 * 60 * G_USEC_PER_SEC);
  g_thread_join (thread);
  g_assert_cmpuint (g_atomic_int_get (&sleeper.fired), ==, 1);

  g_source_destroy (source);
  g_main_loop_unref (sleeper.loop);
  g_main_context_unref (sleeper.context);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clock/set-and-advance", test_clock_set_and_advance);
  g_test_add_func ("/clock/timers", test_clock_timers);
  g_test_add_func ("/clock/wakes-other-threads", test_clock_wakes_other_threads);

  return g_test_run ();
}

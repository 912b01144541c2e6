/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync-worker"

#include "config.h"


#include "pdv-sync-private.h"
#include "pdv-sync-worker.h"

/* Synchronisation in the background: a thread with its own GMainContext, its
 * own connection to the terminal database and its own HTTP session. It runs
 * a round at once; between rounds it asks the server to hold a pull until
 * there is news for it (another gate's admission reaches it as soon as it is
 * stored), and runs the next round when news comes, when told of a new
 * entry, of a change of network, or when asked to. A server that does not
 * hold pulls is asked again after the poll interval. After a failure it
 * waits longer each time (with jitter, so that terminals that lost the same
 * server do not come back together), but never more than a few seconds while
 * entries wait and no server can be reached: trying a server that is down
 * costs one refused connection, and the sales get there soon after it is
 * back. Status goes to the thread that made the worker, and only there. */

/* After the first failure, then doubling up to the cap. */
#define BACKOFF_INITIAL_MS 1000
#define BACKOFF_MAX_MS (5 * 60 * 1000)
/* The cap while entries wait for a server nobody could reach. */
#define BACKOFF_WAITING_MAX_MS 5000
#define BACKOFF_JITTER 0.2

/* How long the server may hold a pull; a wait back sooner without news
 * means a server that does not hold them. */
#define LONG_POLL_S 25
/* Another look at the journal after its log changed with no new entry. */
#define LOOK_AGAIN_MS 100
#define LONG_POLL_MIN_S 5

/* Lets a burst of network changes settle before trying. */
#define NETWORK_SETTLE_MS 500

/* What the worker object and its thread share. The object and the thread
 * each hold a reference, and so does every status on its way to the main
 * context: whoever lets go last frees it. */
typedef struct {
  /* Set before the thread starts and never changed after. */
  char          *db_path;
  GMainContext  *context;
  GMainLoop     *loop;
  GCancellable  *cancellable;
  GMainContext  *main_context;
  GWeakRef       worker;
  PdvClock      *clock;

  /* Any thread. */
  gint           poll_interval_s;
  gint           wake_queued;
  gint           wake_urgent;

  /* The worker thread only. */
  PdvDb         *db;
  PdvJournal    *journal;   /* on db: where the last entry is read */
  PdvSyncClient *client;
  GSource       *timer;
  GFileMonitor  *wal_monitor;
  gint64         seen_seq;
  guint          failures;
  PdvSyncStatus *published;
  GCancellable  *wait_cancellable;  /* the wait under way, if any */
  GSource       *look_again;        /* another look at the journal, soon */
  guint          waits;             /* waits whose end is still to come */
} Shared;

struct _PdvSyncWorker
{
  GObject        parent_instance;
  char          *db_path;
  guint          poll_interval_s;
  GMainContext  *main_context;
  Shared        *shared;
  GThread       *thread;
  GMutex         status_lock;
  PdvSyncStatus *status;
  GNetworkMonitor *monitor;
  gulong         network_changed_id;
  PdvClock      *clock;
};

G_DEFINE_FINAL_TYPE (PdvSyncWorker, pdv_sync_worker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB_PATH,
  PROP_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  Shared        *shared;
  PdvSyncStatus *status;
} Delivery;

static void
shared_clear (gpointer data)
{
  Shared *shared = data;

  g_assert (shared->db == NULL && shared->journal == NULL && shared->client == NULL && shared->timer == NULL &&
            shared->wal_monitor == NULL);

  g_free (shared->db_path);
  g_clear_pointer (&shared->loop, g_main_loop_unref);
  g_clear_pointer (&shared->context, g_main_context_unref);
  g_clear_object (&shared->cancellable);
  g_clear_pointer (&shared->main_context, g_main_context_unref);
  g_clear_object (&shared->clock);
  g_weak_ref_clear (&shared->worker);
  g_clear_pointer (&shared->published, pdv_sync_status_free);
}

static void
shared_release (Shared *shared)
{
  g_atomic_rc_box_release_full (shared, shared_clear);
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  shared_release (delivery->shared);
  pdv_sync_status_free (delivery->status);
  g_free (delivery);
}

/* In the thread that made the worker. */
static gboolean
deliver_status_cb (gpointer data)
{
  Delivery *delivery = data;
  g_autoptr(PdvSyncWorker) self = g_weak_ref_get (&delivery->shared->worker);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  g_mutex_lock (&self->status_lock);
  g_clear_pointer (&self->status, pdv_sync_status_free);
  self->status = pdv_sync_status_copy (delivery->status);
  g_mutex_unlock (&self->status_lock);

  g_signal_emit (self, signals[STATUS_CHANGED], 0, delivery->status);
  return G_SOURCE_REMOVE;
}

/* In the worker thread: reads where things stand and sends it to the main
 * context when a person would see a difference. */
static void
publish_status (Shared     *shared,
                const char *problem)
{
  g_autoptr(PdvSyncStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  Delivery *delivery;

  if (shared->db != NULL)
    status = pdv_sync_load_status (shared->db, &error);
  if (status == NULL)
    {
      status = pdv_sync_status_new ();
      status->last_error = g_strdup (problem ? problem : error->message);
    }
  if (pdv_sync_status_equal (status, shared->published))
    return;

  g_clear_pointer (&shared->published, pdv_sync_status_free);
  shared->published = pdv_sync_status_copy (status);

  delivery = g_new0 (Delivery, 1);
  delivery->shared = g_atomic_rc_box_acquire (shared);
  delivery->status = g_steal_pointer (&status);
  g_main_context_invoke_full (shared->main_context, G_PRIORITY_DEFAULT, deliver_status_cb,
                              delivery, delivery_free);
}

static guint
backoff_ms (guint    failures,
            gboolean entries_wait)
{
  guint64 cap = entries_wait ? BACKOFF_WAITING_MAX_MS : BACKOFF_MAX_MS;
  guint64 delay = BACKOFF_INITIAL_MS;

  for (guint i = 1; i < failures && delay < cap; i++)
    delay *= 2;
  delay = MIN (delay, cap);
  return (guint) (delay * g_random_double_range (1.0 - BACKOFF_JITTER, 1.0 + BACKOFF_JITTER));
}

static gboolean cycle_cb (gpointer data);

static void
stop_waiting (Shared *shared)
{
  if (shared->wait_cancellable != NULL)
    {
      g_cancellable_cancel (shared->wait_cancellable);
      g_clear_object (&shared->wait_cancellable);
    }
}

static void
schedule (Shared *shared,
          guint   delay_ms)
{
  stop_waiting (shared);
  if (shared->timer != NULL)
    {
      g_source_destroy (shared->timer);
      g_clear_pointer (&shared->timer, g_source_unref);
    }
  if (g_cancellable_is_cancelled (shared->cancellable))
    return;
  shared->timer = pdv_clock_timeout_source_new (shared->clock, delay_ms);
  g_source_set_static_name (shared->timer, "[pdv] sync round");
  g_source_set_callback (shared->timer, cycle_cb, shared, NULL);
  g_source_attach (shared->timer, shared->context);
}

static gboolean
open_database (Shared  *shared,
               GError **error)
{
  if (shared->db != NULL)
    return TRUE;
  shared->db = pdv_db_open (shared->db_path, error);
  if (shared->db == NULL)
    return FALSE;
  pdv_db_set_clock (shared->db, shared->clock);
  shared->journal = pdv_journal_new (shared->db);
  shared->client = pdv_sync_client_new (shared->db);
  return TRUE;
}

static gint64
read_last_seq (Shared *shared)
{
  return pdv_journal_get_last_seq (shared->journal);
}

/* One round; returns how long to wait before the next, and whether all
 * went well with nothing left to do (a wait for news may follow). */
static guint
run_round (Shared   *shared,
           gboolean *out_idle)
{
  g_auto(PdvSyncSummary) summary = { 0 };
  g_autoptr(GError) error = NULL;
  guint delay;

  if (!open_database (shared, &error))
    {
      shared->failures++;
      publish_status (shared, error->message);
      return backoff_ms (shared->failures, FALSE);
    }
  /* This round sends everything up to here: a change of the log it already
   * covers is no reason for another. */
  shared->seen_seq = read_last_seq (shared);

  if (pdv_sync_client_run (shared->client, shared->cancellable, &summary, &error) ||
      g_error_matches (error, PDV_SYNC_ERROR, PDV_SYNC_ERROR_NOT_ENROLLED))
    shared->failures = 0;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return 0;
  else
    {
      shared->failures++;
      g_debug ("Sync round failed (%u in a row): %s", shared->failures, error->message);
    }
  publish_status (shared, NULL);

  /* Importing what was pulled journals it: those entries go at once too,
   * not at the next poll. */
  if (shared->failures == 0 && summary.documents > 0)
    return 0;
  if (shared->failures == 0)
    {
      *out_idle = TRUE;
      return (guint) g_atomic_int_get (&shared->poll_interval_s) * 1000;
    }
  delay = backoff_ms (shared->failures, shared->published != NULL && shared->published->queued > 0 &&
                                        !shared->published->online);
  return MAX (delay, pdv_sync_client_get_retry_after (shared->client) * 1000);
}

typedef struct {
  Shared       *shared;
  GCancellable *cancellable;
  gint64        started;
} WaitCall;

static void
wait_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  WaitCall *call = data;
  Shared *shared = call->shared;
  g_autoptr(GError) error = NULL;
  gboolean news = pdv_sync_client_wait_finish (result, &error);
  gboolean held = g_get_monotonic_time () - call->started >= LONG_POLL_MIN_S * G_USEC_PER_SEC;
  gboolean stopped = g_cancellable_is_cancelled (call->cancellable);

  shared->waits--;
  if (call->cancellable == shared->wait_cancellable)
    g_clear_object (&shared->wait_cancellable);
  g_object_unref (call->cancellable);
  g_free (call);
  /* Whoever stopped the wait saw to what comes next. */
  if (stopped || g_cancellable_is_cancelled (shared->cancellable))
    return;
  if (error != NULL)
    g_debug ("Waiting for news failed: %s", error->message);
  /* News, or the time is up: a round, which waits again. Back too soon
   * with nothing: a server that does not hold pulls, polled instead. */
  if (news || held)
    schedule (shared, 0);
  else
    schedule (shared, (guint) g_atomic_int_get (&shared->poll_interval_s) * 1000);
}

/* Between rounds: the server holds a pull until there is news. */
static gboolean
start_waiting (Shared *shared)
{
  WaitCall *call = g_new0 (WaitCall, 1);

  call->shared = shared;
  call->cancellable = g_cancellable_new ();
  call->started = g_get_monotonic_time ();
  if (!pdv_sync_client_wait_async (shared->client, LONG_POLL_S, call->cancellable, wait_done_cb, call))
    {
      g_object_unref (call->cancellable);
      g_free (call);
      return FALSE;
    }
  shared->wait_cancellable = g_object_ref (call->cancellable);
  shared->waits++;
  return TRUE;
}

static gboolean
cycle_cb (gpointer data)
{
  Shared *shared = data;
  gboolean idle = FALSE;
  guint delay;

  /* The context keeps the source alive while it is dispatched. */
  g_clear_pointer (&shared->timer, g_source_unref);
  if (g_cancellable_is_cancelled (shared->cancellable))
    return G_SOURCE_REMOVE;
  delay = run_round (shared, &idle);
  if (idle && start_waiting (shared))
    return G_SOURCE_REMOVE;
  schedule (shared, delay);
  return G_SOURCE_REMOVE;
}

static gboolean
wake_cb (gpointer data)
{
  Shared *shared = data;
  gboolean urgent;

  g_atomic_int_set (&shared->wake_queued, 0);
  urgent = g_atomic_int_compare_and_exchange (&shared->wake_urgent, 1, 0);
  /* What was just committed (or marked as seen) shows at once, before the
   * round that sends it, and while backing off, when no round follows. */
  if (shared->db != NULL)
    publish_status (shared, NULL);
  /* New entries do not cut a backoff short: a struggling server should not
   * hear from every sale. A new network or a person asking does. */
  if (urgent || shared->failures == 0)
    schedule (shared, 0);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer data)
{
  Shared *shared = data;

  g_main_loop_quit (shared->loop);
  return G_SOURCE_REMOVE;
}

/* Another connection wrote to the database: any page's worker thread, or
 * pdvctl in a process of its own. Only new journal entries wake a round;
 * the worker's own writes (acknowledgements, pulled documents) do not. */
/* Whether the journal grew since the last look; wakes a round if so. */
static gboolean
look_at_journal (Shared *shared)
{
  gint64 last_seq = read_last_seq (shared);

  if (last_seq <= shared->seen_seq)
    return FALSE;
  shared->seen_seq = last_seq;
  wake_cb (shared);
  return TRUE;
}

static gboolean
look_again_cb (gpointer data)
{
  Shared *shared = data;

  g_clear_pointer (&shared->look_again, g_source_unref);
  look_at_journal (shared);
  return G_SOURCE_REMOVE;
}

static void
wal_changed_cb (GFileMonitor      *monitor,
                GFile             *file,
                GFile             *other_file,
                GFileMonitorEvent  event,
                gpointer           data)
{
  Shared *shared = data;

  if (shared->db == NULL ||
      (event != G_FILE_MONITOR_EVENT_CHANGED && event != G_FILE_MONITOR_EVENT_CREATED))
    return;
  if (look_at_journal (shared) || shared->look_again != NULL)
    return;
  /* The log is written before the commit that ends it: a commit under way
   * as we looked is seen a moment later (this is real time: another
   * process is writing). */
  shared->look_again = g_timeout_source_new (LOOK_AGAIN_MS);
  g_source_set_static_name (shared->look_again, "[pdv] journal look again");
  g_source_set_callback (shared->look_again, look_again_cb, shared, NULL);
  g_source_attach (shared->look_again, shared->context);
}

/* Every commit of any connection writes to the write-ahead log first. */
static void
watch_database (Shared *shared)
{
  g_autofree char *wal_path = g_strconcat (shared->db_path, "-wal", NULL);
  g_autoptr(GFile) wal = g_file_new_for_path (wal_path);
  g_autoptr(GError) error = NULL;

  shared->wal_monitor = g_file_monitor_file (wal, G_FILE_MONITOR_NONE, shared->cancellable, &error);
  if (shared->wal_monitor == NULL)
    {
      g_debug ("Not watching %s (entries of other processes wait for the next round): %s",
               wal_path, error->message);
      return;
    }
  /* GIO folds a file's changes into one every 800 ms unless told: a sale
   * made by pdvctl, or a scan by another gate's process, would wait. */
  g_file_monitor_set_rate_limit (shared->wal_monitor, 50);
  g_signal_connect (shared->wal_monitor, "changed", G_CALLBACK (wal_changed_cb), shared);
}

static gpointer
worker_thread (gpointer data)
{
  Shared *shared = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (shared->context);

  if (open_database (shared, &error))
    {
      shared->seen_seq = read_last_seq (shared);
      publish_status (shared, NULL);
    }
  watch_database (shared);
  schedule (shared, 0);
  g_main_loop_run (shared->loop);

  if (shared->look_again != NULL)
    {
      g_source_destroy (shared->look_again);
      g_clear_pointer (&shared->look_again, g_source_unref);
    }
  if (shared->wal_monitor != NULL)
    {
      g_file_monitor_cancel (shared->wal_monitor);
      g_signal_handlers_disconnect_by_func (shared->wal_monitor, wal_changed_cb, shared);
      g_clear_object (&shared->wal_monitor);
    }

  if (shared->timer != NULL)
    {
      g_source_destroy (shared->timer);
      g_clear_pointer (&shared->timer, g_source_unref);
    }
  /* A wait under way ends, cancelled, before what it uses goes. */
  stop_waiting (shared);
  while (shared->waits > 0)
    g_main_context_iteration (shared->context, TRUE);
  /* The session and the connection end in the thread that used them. */
  g_clear_pointer (&shared->client, pdv_sync_client_free);
  g_clear_object (&shared->journal);
  g_clear_object (&shared->db);

  g_main_context_pop_thread_default (shared->context);
  shared_release (shared);
  return NULL;
}

static void
wake (PdvSyncWorker *self,
      gboolean       urgent)
{
  Shared *shared = self->shared;

  if (shared == NULL)
    return;
  if (urgent)
    g_atomic_int_set (&shared->wake_urgent, 1);
  if (g_atomic_int_compare_and_exchange (&shared->wake_queued, 0, 1))
    g_main_context_invoke (shared->context, wake_cb, shared);
}

static gboolean
network_settled_cb (gpointer data)
{
  return wake_cb (data);
}

/* Wherever the monitor emits: only reaches into the worker's context. */
static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    PdvSyncWorker   *self)
{
  Shared *shared = self->shared;
  GSource *source;

  if (!available || shared == NULL)
    return;
  g_atomic_int_set (&shared->wake_urgent, 1);
  source = pdv_clock_timeout_source_new (shared->clock, NETWORK_SETTLE_MS);
  g_source_set_static_name (source, "[pdv] network changed");
  /* Like every source of the worker's context, it ends with the context. */
  g_source_set_callback (source, network_settled_cb, shared, NULL);
  g_source_attach (source, shared->context);
  g_source_unref (source);
}

static void
pdv_sync_worker_dispose (GObject *object)
{
  PdvSyncWorker *self = (PdvSyncWorker *) object;

  pdv_sync_worker_stop (self);

  G_OBJECT_CLASS (pdv_sync_worker_parent_class)->dispose (object);
}

static void
pdv_sync_worker_finalize (GObject *object)
{
  PdvSyncWorker *self = (PdvSyncWorker *) object;

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->status, pdv_sync_status_free);
  g_clear_object (&self->clock);
  g_mutex_clear (&self->status_lock);

  G_OBJECT_CLASS (pdv_sync_worker_parent_class)->finalize (object);
}

static void
pdv_sync_worker_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdvSyncWorker *self = PDV_SYNC_WORKER (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      g_value_set_string (value, self->db_path);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_sync_worker_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdvSyncWorker *self = PDV_SYNC_WORKER (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      self->db_path = g_value_dup_string (value);
      break;
    case PROP_POLL_INTERVAL:
      pdv_sync_worker_set_poll_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_sync_worker_class_init (PdvSyncWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_sync_worker_dispose;
  object_class->finalize = pdv_sync_worker_finalize;
  object_class->get_property = pdv_sync_worker_get_property;
  object_class->set_property = pdv_sync_worker_set_property;

  properties[PROP_DB_PATH] =
    g_param_spec_string ("db-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL, 1, 24 * 3600, PDV_SYNC_WORKER_POLL_INTERVAL_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvSyncWorker::status-changed:
   * @status: where synchronisation stands now
   *
   * Emitted in the thread that made the worker (its thread-default main
   * context), whenever what a person would see changes.
   */
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PDV_TYPE_SYNC_STATUS | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pdv_sync_worker_init (PdvSyncWorker *self)
{
  g_mutex_init (&self->status_lock);
  self->poll_interval_s = PDV_SYNC_WORKER_POLL_INTERVAL_DEFAULT;
  self->clock = pdv_clock_new ();
  self->main_context = g_main_context_ref_thread_default ();
}

/**
 * pdv_sync_worker_new:
 * @db_path: the terminal database; the worker opens a connection of its own
 *
 * Status will be delivered in the calling thread's thread-default main
 * context. Nothing runs until pdv_sync_worker_start().
 */
PdvSyncWorker *
pdv_sync_worker_new (const char *db_path)
{
  g_return_val_if_fail (db_path != NULL, NULL);

  return g_object_new (PDV_TYPE_SYNC_WORKER, "db-path", db_path, NULL);
}

/**
 * pdv_sync_worker_set_clock:
 * @clock: the terminal's clock: polls and backoff wait on it, and the
 *   worker's connection writes with it
 *
 * Before pdv_sync_worker_start().
 */
void
pdv_sync_worker_set_clock (PdvSyncWorker *self,
                           PdvClock      *clock)
{
  g_return_if_fail (PDV_IS_SYNC_WORKER (self));
  g_return_if_fail (PDV_IS_CLOCK (clock));
  g_return_if_fail (self->thread == NULL);

  g_set_object (&self->clock, clock);
}

PdvClock *
pdv_sync_worker_get_clock (PdvSyncWorker *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_WORKER (self), NULL);
  return self->clock;
}

const char *
pdv_sync_worker_get_db_path (PdvSyncWorker *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_WORKER (self), NULL);
  return self->db_path;
}

guint
pdv_sync_worker_get_poll_interval (PdvSyncWorker *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_WORKER (self), 0);
  return self->poll_interval_s;
}

/**
 * pdv_sync_worker_set_poll_interval:
 * @seconds: how long to wait between rounds when all went well
 *
 * Counts from the next round.
 */
void
pdv_sync_worker_set_poll_interval (PdvSyncWorker *self,
                                   guint          seconds)
{
  g_return_if_fail (PDV_IS_SYNC_WORKER (self));
  g_return_if_fail (seconds > 0);

  if (self->poll_interval_s == seconds)
    return;
  self->poll_interval_s = seconds;
  if (self->shared != NULL)
    g_atomic_int_set (&self->shared->poll_interval_s, (gint) seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);
}

/**
 * pdv_sync_worker_start:
 *
 * Starts the thread; the first round runs at once.
 */
void
pdv_sync_worker_start (PdvSyncWorker *self)
{
  Shared *shared;

  g_return_if_fail (PDV_IS_SYNC_WORKER (self));
  g_return_if_fail (self->db_path != NULL);

  if (self->thread != NULL)
    return;

  shared = g_atomic_rc_box_new0 (Shared);
  shared->db_path = g_strdup (self->db_path);
  shared->context = g_main_context_new ();
  shared->loop = g_main_loop_new (shared->context, FALSE);
  shared->cancellable = g_cancellable_new ();
  shared->main_context = g_main_context_ref (self->main_context);
  shared->poll_interval_s = (gint) self->poll_interval_s;
  shared->clock = g_object_ref (self->clock);
  g_weak_ref_init (&shared->worker, self);
  self->shared = shared;

  /* Made here, not in the worker thread: the default monitor watches the
   * network from the context it was first asked for in, and that must
   * outlive this worker. */
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                               G_CALLBACK (network_changed_cb), self);

  self->thread = g_thread_new ("pdv-sync", worker_thread, g_atomic_rc_box_acquire (shared));
}

/**
 * pdv_sync_worker_stop:
 *
 * Cancels what the worker is doing and waits for its thread to end. What was
 * acknowledged or pulled so far stays; the rest is done at the next start.
 */
void
pdv_sync_worker_stop (PdvSyncWorker *self)
{
  g_return_if_fail (PDV_IS_SYNC_WORKER (self));

  if (self->thread == NULL)
    return;

  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_object (&self->monitor);

  g_cancellable_cancel (self->shared->cancellable);
  g_main_context_invoke (self->shared->context, quit_cb, self->shared);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->shared, shared_release);
}

gboolean
pdv_sync_worker_is_running (PdvSyncWorker *self)
{
  g_return_val_if_fail (PDV_IS_SYNC_WORKER (self), FALSE);
  return self->thread != NULL;
}

/**
 * pdv_sync_worker_notify_new_entry:
 *
 * A new journal entry was committed: push it soon rather than at the next
 * poll. Callable from any thread; cheap enough to call after every entry.
 */
void
pdv_sync_worker_notify_new_entry (PdvSyncWorker *self)
{
  g_return_if_fail (PDV_IS_SYNC_WORKER (self));
  wake (self, FALSE);
}

/**
 * pdv_sync_worker_sync_now:
 *
 * Runs a round at once, even while backing off after failures.
 */
void
pdv_sync_worker_sync_now (PdvSyncWorker *self)
{
  g_return_if_fail (PDV_IS_SYNC_WORKER (self));
  wake (self, TRUE);
}

/**
 * pdv_sync_worker_dup_status:
 *
 * Returns: (transfer full): the last status delivered, or an empty one
 *   before the first
 */
PdvSyncStatus *
pdv_sync_worker_dup_status (PdvSyncWorker *self)
{
  PdvSyncStatus *status;

  g_return_val_if_fail (PDV_IS_SYNC_WORKER (self), NULL);

  g_mutex_lock (&self->status_lock);
  status = self->status ? pdv_sync_status_copy (self->status) : pdv_sync_status_new ();
  g_mutex_unlock (&self->status_lock);
  return status;
}

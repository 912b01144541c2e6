/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks the codes the door reads on a thread of its own, over a connection
 * of its own to the terminal, one after the other in the order they were
 * read. The screen never waits for the database: not for a list the sync
 * worker is applying, nor for a checkpoint; it shows "Checking…" meanwhile. */
#define G_LOG_DOMAIN "pdv-door"

#include "config.h"

#include "pdv-door-checker.h"

typedef struct {
  gint        ref_count;
  char       *path;          /* the terminal's database */
  PdvClock   *clock;         /* the terminal's clock, shared with the screen */
  GAsyncQueue *requests;
  gint        gone;          /* the checker was disposed: deliver nothing */
  gint        pending;
} Shared;

typedef struct {
  Shared              *shared;
  gboolean             stop;
  char                *text;
  PdvScanSource        source;
  char                *gate;
  GStrv                zones;
  PdvCheckinDirection  direction;
  char                *user;
  PdvDoorCheckedFunc   callback;
  gpointer             user_data;
  GDestroyNotify       destroy;
  GMainContext        *reply_context;
  PdvCheckinResult    *result;
  GError              *error;
} Request;

struct _PdvDoorChecker
{
  GObject  parent_instance;
  Shared  *shared;
  GThread *thread;
};

G_DEFINE_FINAL_TYPE (PdvDoorChecker, pdv_door_checker, G_TYPE_OBJECT)

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_int_inc (&shared->ref_count);
  return shared;
}

static void
shared_unref (Shared *shared)
{
  if (!g_atomic_int_dec_and_test (&shared->ref_count))
    return;
  g_async_queue_unref (shared->requests);
  g_free (shared->path);
  g_object_unref (shared->clock);
  g_free (shared);
}

static void
request_free (Request *request)
{
  g_free (request->text);
  g_free (request->gate);
  g_strfreev (request->zones);
  g_free (request->user);
  g_clear_pointer (&request->reply_context, g_main_context_unref);
  g_clear_pointer (&request->result, pdv_checkin_result_free);
  g_clear_error (&request->error);
  if (request->destroy != NULL)
    request->destroy (request->user_data);
  shared_unref (request->shared);
  g_free (request);
}

/* On the thread that asked. */
static gboolean
deliver_cb (gpointer data)
{
  Request *request = data;

  g_atomic_int_dec_and_test (&request->shared->pending);
  if (!g_atomic_int_get (&request->shared->gone))
    request->callback (request->result, request->error, request->user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
check_thread (gpointer data)
{
  Shared *shared = data;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvCheckin) station = NULL;
  g_autoptr(GError) open_error = NULL;

  for (;;)
    {
      Request *request = g_async_queue_pop (shared->requests);

      if (request->stop)
        {
          request_free (request);
          break;
        }
      if (context == NULL && open_error == NULL)
        {
          context = pdv_context_open (shared->path, &open_error);
          if (context != NULL)
            {
              pdv_db_set_clock (pdv_context_get_db (context), shared->clock);
              station = pdv_checkin_new (pdv_context_get_journal (context));
            }
        }
      if (station == NULL)
        request->error = g_error_copy (open_error);
      else
        {
          pdv_checkin_set_gate (station, request->gate);
          pdv_checkin_set_zones (station, (const char * const *) request->zones);
          pdv_checkin_set_direction (station, request->direction);
          pdv_checkin_set_user (station, request->user);
          request->result = pdv_checkin_validate (station, request->text, -1, request->source, &request->error);
        }
      g_main_context_invoke_full (request->reply_context, G_PRIORITY_DEFAULT, deliver_cb, request,
                                  (GDestroyNotify) request_free);
    }
  shared_unref (shared);
  return NULL;
}

static void
pdv_door_checker_dispose (GObject *object)
{
  PdvDoorChecker *self = PDV_DOOR_CHECKER (object);

  if (self->thread != NULL)
    {
      Request *stop = g_new0 (Request, 1);

      g_atomic_int_set (&self->shared->gone, TRUE);
      stop->shared = shared_ref (self->shared);
      stop->stop = TRUE;
      g_async_queue_push (self->shared->requests, stop);
      /* At most the scan being checked: a few milliseconds. */
      g_thread_join (g_steal_pointer (&self->thread));
    }
  G_OBJECT_CLASS (pdv_door_checker_parent_class)->dispose (object);
}

static void
pdv_door_checker_finalize (GObject *object)
{
  PdvDoorChecker *self = PDV_DOOR_CHECKER (object);

  g_clear_pointer (&self->shared, shared_unref);
  G_OBJECT_CLASS (pdv_door_checker_parent_class)->finalize (object);
}

static void
pdv_door_checker_class_init (PdvDoorCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_door_checker_dispose;
  object_class->finalize = pdv_door_checker_finalize;
}

static void
pdv_door_checker_init (PdvDoorChecker *self)
{
}

PdvDoorChecker *
pdv_door_checker_new (PdvContext *context)
{
  PdvDoorChecker *self;

  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  self = g_object_new (PDV_TYPE_DOOR_CHECKER, NULL);
  self->shared = g_new0 (Shared, 1);
  self->shared->ref_count = 1;
  self->shared->path = g_strdup (pdv_db_get_path (pdv_context_get_db (context)));
  self->shared->clock = g_object_ref (pdv_db_get_clock (pdv_context_get_db (context)));
  self->shared->requests = g_async_queue_new ();
  self->thread = g_thread_new ("pdv-door-check", check_thread, shared_ref (self->shared));
  return self;
}

/**
 * pdv_door_checker_check:
 * @station: the gate, zones, direction and user to check as, read now
 * @callback: called on this thread's main context with the verdict
 * @destroy: (nullable): frees @user_data once the check is over, whether
 *   @callback was called or the checker went first
 *
 * Checks @text (and records the scan) after the codes read before it.
 */
void
pdv_door_checker_check (PdvDoorChecker     *self,
                        PdvCheckin         *station,
                        const char         *text,
                        PdvScanSource       source,
                        PdvDoorCheckedFunc  callback,
                        gpointer            user_data,
                        GDestroyNotify      destroy)
{
  Request *request;

  g_return_if_fail (PDV_IS_DOOR_CHECKER (self));
  g_return_if_fail (PDV_IS_CHECKIN (station));
  g_return_if_fail (text != NULL && callback != NULL);

  request = g_new0 (Request, 1);
  request->shared = shared_ref (self->shared);
  request->text = g_strdup (text);
  request->source = source;
  request->gate = g_strdup (pdv_checkin_get_gate (station));
  request->zones = g_strdupv ((GStrv) pdv_checkin_get_zones (station));
  request->direction = pdv_checkin_get_direction (station);
  request->user = g_strdup (pdv_checkin_get_user (station));
  request->callback = callback;
  request->user_data = user_data;
  request->destroy = destroy;
  request->reply_context = g_main_context_ref_thread_default ();
  g_atomic_int_inc (&self->shared->pending);
  g_async_queue_push (self->shared->requests, request);
}

/* Codes read and not yet checked. */
guint
pdv_door_checker_get_n_pending (PdvDoorChecker *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_CHECKER (self), 0);
  return (guint) g_atomic_int_get (&self->shared->pending);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-login-auth"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pdv-login-auth.h"

typedef struct {
  char *db_path;
  char *user_id;
  char *pin;
} LoginRequest;

static void
login_request_free (LoginRequest *request)
{
  g_free (request->db_path);
  g_free (request->user_id);
  /* A PIN should not linger in freed memory. */
  if (request->pin != NULL)
    memset (request->pin, 0, strlen (request->pin));
  g_free (request->pin);
  g_free (request);
}

/* Checking a PIN costs about 100 ms of Argon2: it runs here, on a
 * connection of this thread's own, never on the main loop's. */
static void
login_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LoginRequest *request = task_data;
  g_autoptr(PdvDb) db = NULL;
  g_autoptr(GError) error = NULL;
  PdvUser *user;

  if (g_task_return_error_if_cancelled (task))
    return;

  db = pdv_db_open (request->db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  user = pdv_auth_login (db, request->user_id, request->pin, &error);
  if (user == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, user, (GDestroyNotify) pdv_user_free);
}

/**
 * pdv_login_async:
 * @db_path: the terminal database, opened again in a worker thread
 * @user_id: who says they are at the terminal
 * @pin: what they typed
 *
 * pdv_auth_login() without blocking the caller's main loop.
 */
void
pdv_login_async (const char          *db_path,
                 const char          *user_id,
                 const char          *pin,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoginRequest *request;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (pin != NULL);

  request = g_new0 (LoginRequest, 1);
  request->db_path = g_strdup (db_path);
  request->user_id = g_strdup (user_id);
  request->pin = g_strdup (pin);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_login_async);
  g_task_set_task_data (task, request, (GDestroyNotify) login_request_free);
  g_task_run_in_thread (task, login_in_thread);
}

/**
 * pdv_login_finish:
 *
 * Returns: (transfer full): the user, or %NULL with @error set
 *   (%PDV_AUTH_ERROR_WRONG_PIN, %PDV_AUTH_ERROR_LOCKED, …)
 */
PdvUser *
pdv_login_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

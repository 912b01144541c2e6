/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-pin-check"

#include "config.h"

#include <string.h>

#include "pdv-core.h"
#include "pdv-pin-check.h"

/* PINs are checked here for logging in and for authorising what the operator
 * may not do. Each check costs about 100 ms of Argon2 per candidate hash: it
 * runs in a worker thread, on a database connection of that thread's own,
 * never on the main loop's. */

typedef struct {
  PdvContext    *context;
  char          *pin;
  char          *user_id;      /* logging in: who says they are there */
  char          *operator_id;  /* authorising: who asks */
  PdvPermission  permission;
  gboolean       record_override;
} AuthRequest;

static void
auth_request_free (AuthRequest *request)
{
  g_clear_object (&request->context);
  g_free (request->user_id);
  g_free (request->operator_id);
  /* A PIN should not linger in freed memory. */
  if (request->pin != NULL)
    memset (request->pin, 0, strlen (request->pin));
  g_free (request->pin);
  g_free (request);
}

static AuthRequest *
auth_request_new (PdvContext *context,
                  const char *pin)
{
  AuthRequest *request = g_new0 (AuthRequest, 1);

  request->context = g_object_ref (context);
  request->pin = g_strdup (pin);
  return request;
}

static void
check_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AuthRequest *request = task_data;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GError) error = NULL;
  PdvDb *db;
  PdvUser *user;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Lockouts run on the terminal's clock, which the connection shares. */
  context = pdv_context_open_beside (request->context, &error);
  if (context == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  db = pdv_context_get_db (context);
  if (request->user_id != NULL)
    user = pdv_auth_login (db, request->user_id, request->pin, &error);
  else if (request->record_override)
    user = pdv_auth_authorise (db, request->permission, request->pin, request->operator_id, &error);
  else
    user = pdv_auth_find_by_pin (db, request->permission, request->pin, request->operator_id, &error);
  if (user == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, user, (GDestroyNotify) pdv_user_free);
}

/**
 * pdv_authorise_async:
 * @context: the terminal, whose database a worker thread opens again
 * @permission: what the PIN is to allow
 * @pin: what was typed
 * @operator_id: (nullable): who is at the terminal and asks for it
 * @record_override: whether to journal the override now
 *   (pdv_auth_authorise()), for actions that leave no journal entry of their
 *   own; otherwise the action records it in its own transaction
 *   (pdv_auth_find_by_pin())
 *
 * Checks a manager's PIN without blocking the caller's main loop.
 */
void
pdv_authorise_async (PdvContext          *context,
                     PdvPermission        permission,
                     const char          *pin,
                     const char          *operator_id,
                     gboolean             record_override,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AuthRequest *request;

  g_return_if_fail (PDV_IS_CONTEXT (context));
  g_return_if_fail (pin != NULL);
  g_return_if_fail (permission < PDV_N_PERMISSIONS);

  request = auth_request_new (context, pin);
  request->operator_id = g_strdup (operator_id);
  request->permission = permission;
  request->record_override = record_override;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_authorise_async);
  g_task_set_task_data (task, request, (GDestroyNotify) auth_request_free);
  g_task_run_in_thread (task, check_in_thread);
}

/**
 * pdv_authorise_finish:
 *
 * Returns: (transfer full): who authorised it, or %NULL with @error set
 *   (a %PDV_AUTH_ERROR for a wrong, forbidden or locked-out PIN)
 */
PdvUser *
pdv_authorise_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pdv_login_async:
 * @context: the terminal, whose database a worker thread opens again
 * @user_id: who says they are at the terminal
 * @pin: what they typed
 *
 * pdv_auth_login() without blocking the caller's main loop.
 */
void
pdv_login_async (PdvContext          *context,
                 const char          *user_id,
                 const char          *pin,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AuthRequest *request;

  g_return_if_fail (PDV_IS_CONTEXT (context));
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (pin != NULL);

  request = auth_request_new (context, pin);
  request->user_id = g_strdup (user_id);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_login_async);
  g_task_set_task_data (task, request, (GDestroyNotify) auth_request_free);
  g_task_run_in_thread (task, check_in_thread);
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
  return pdv_authorise_finish (result, error);
}

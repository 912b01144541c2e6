/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-session"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-session.h"

/* Who is working at the terminal right now, if anyone: the window shows
 * and allows what their role may do, and records them on what they do. */
struct _PdvSession
{
  GObject  parent_instance;

  PdvUser *user;   /* NULL while the terminal is locked */
};

G_DEFINE_FINAL_TYPE (PdvSession, pdv_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOGGED_IN,
  PROP_USER_ID,
  PROP_USER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_user (PdvSession *self,
          PdvUser    *user)
{
  g_clear_pointer (&self->user, pdv_user_free);
  self->user = user;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_NAME]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
pdv_session_finalize (GObject *object)
{
  PdvSession *self = PDV_SESSION (object);

  g_clear_pointer (&self->user, pdv_user_free);

  G_OBJECT_CLASS (pdv_session_parent_class)->finalize (object);
}

static void
pdv_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PdvSession *self = PDV_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOGGED_IN:
      g_value_set_boolean (value, self->user != NULL);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, pdv_session_get_user_id (self));
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, pdv_session_get_user_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_session_class_init (PdvSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdv_session_finalize;
  object_class->get_property = pdv_session_get_property;

  properties[PROP_LOGGED_IN] =
    g_param_spec_boolean ("logged-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_NAME] =
    g_param_spec_string ("user-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvSession::changed:
   *
   * Someone logged in, or the terminal was locked.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
pdv_session_init (PdvSession *self)
{
}

PdvSession *
pdv_session_new (void)
{
  return g_object_new (PDV_TYPE_SESSION, NULL);
}

/**
 * pdv_session_log_in:
 * @user: who proved who they are with their PIN
 */
void
pdv_session_log_in (PdvSession    *self,
                    const PdvUser *user)
{
  g_return_if_fail (PDV_IS_SESSION (self));
  g_return_if_fail (user != NULL);

  set_user (self, pdv_user_copy (user));
}

void
pdv_session_log_out (PdvSession *self)
{
  g_return_if_fail (PDV_IS_SESSION (self));

  if (self->user != NULL)
    set_user (self, NULL);
}

gboolean
pdv_session_is_logged_in (PdvSession *self)
{
  g_return_val_if_fail (PDV_IS_SESSION (self), FALSE);
  return self->user != NULL;
}

/**
 * pdv_session_get_user:
 *
 * Returns: (nullable) (transfer none): who is logged in
 */
const PdvUser *
pdv_session_get_user (PdvSession *self)
{
  g_return_val_if_fail (PDV_IS_SESSION (self), NULL);
  return self->user;
}

const char *
pdv_session_get_user_id (PdvSession *self)
{
  g_return_val_if_fail (PDV_IS_SESSION (self), NULL);
  return self->user != NULL ? self->user->id : NULL;
}

const char *
pdv_session_get_user_name (PdvSession *self)
{
  g_return_val_if_fail (PDV_IS_SESSION (self), NULL);
  return self->user != NULL ? self->user->name : NULL;
}

/**
 * pdv_session_get_role:
 *
 * Returns: the logged-in user's role; only meaningful while logged in
 */
PdvRole
pdv_session_get_role (PdvSession *self)
{
  g_return_val_if_fail (PDV_IS_SESSION (self), PDV_ROLE_CASHIER);
  return self->user != NULL ? self->user->role : PDV_ROLE_CASHIER;
}

/**
 * pdv_session_can:
 *
 * Returns: whether someone is logged in whose role has @permission
 */
gboolean
pdv_session_can (PdvSession    *self,
                 PdvPermission  permission)
{
  g_return_val_if_fail (PDV_IS_SESSION (self), FALSE);
  return self->user != NULL && pdv_user_can (self->user, permission);
}

/**
 * pdv_role_describe:
 *
 * Returns: the role's name as people at the terminal read it
 */
const char *
pdv_role_describe (PdvRole role)
{
  switch (role)
    {
    case PDV_ROLE_CASHIER:
      return _("Cashier");
    case PDV_ROLE_DOOR:
      return _("Door");
    case PDV_ROLE_MANAGER:
      return _("Manager");
    case PDV_ROLE_ADMIN:
      return _("Administrator");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pdv_operator_dup:
 * @user: (nullable): who is logged in, if anyone
 *
 * Who asks for what is done at the terminal: @user, or where no one logs in,
 * the terminal itself with a cashier's rights, so that anything more takes
 * a manager's PIN.
 *
 * Returns: (transfer full): the operator
 */
PdvUser *
pdv_operator_dup (const PdvUser *user)
{
  if (user != NULL)
    return pdv_user_copy (user);
  return pdv_user_new ("terminal", _("This terminal"), PDV_ROLE_CASHIER);
}

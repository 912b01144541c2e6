/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-db.h"
#include "pdv-journal.h"
#include "pdv-users.h"

G_BEGIN_DECLS

#define PDV_AUTH_ERROR (pdv_auth_error_quark ())

typedef enum {
  PDV_AUTH_ERROR_UNKNOWN_USER,
  PDV_AUTH_ERROR_WRONG_PIN,
  PDV_AUTH_ERROR_LOCKED,
  PDV_AUTH_ERROR_FORBIDDEN,
} PdvAuthError;

/* What a person may do on a terminal; see pdv_role_can(). */
typedef enum {
  PDV_PERMISSION_SELL,
  PDV_PERMISSION_CHECKIN,
  PDV_PERMISSION_VOID,
  PDV_PERMISSION_REFUND,
  PDV_PERMISSION_DISCOUNT,
  PDV_PERMISSION_COURTESY,
  PDV_PERMISSION_DRAWER_OPEN,
  PDV_PERMISSION_SHIFT_OPEN,
  PDV_PERMISSION_SHIFT_CLOSE,
  PDV_PERMISSION_CLOSE_WITH_DIFFERENCE,
  PDV_PERMISSION_REPORT,
  PDV_PERMISSION_SETTINGS,
  PDV_PERMISSION_ENROLL,
  PDV_PERMISSION_DOOR_OVERRIDE,   /* let someone in whom the door refused */
} PdvPermission;

#define PDV_N_PERMISSIONS (PDV_PERMISSION_DOOR_OVERRIDE + 1)

/* Wrong PINs in a row that lock a user (or the terminal's overrides), and
 * for how long. */
#define PDV_AUTH_MAX_FAILURES    5
#define PDV_AUTH_LOCKOUT_SECONDS 60

/* Someone who proved who they are with their PIN. */
typedef struct {
  char    *id;
  char    *name;
  PdvRole  role;
} PdvUser;

#define PDV_TYPE_USER (pdv_user_get_type ())
GType         pdv_user_get_type             (void) G_GNUC_CONST;
PdvUser      *pdv_user_new                  (const char     *id,
                                             const char     *name,
                                             PdvRole         role);
PdvUser      *pdv_user_copy                 (const PdvUser  *user);
void          pdv_user_free                 (PdvUser        *user);
gboolean      pdv_user_can                  (const PdvUser  *user,
                                             PdvPermission   permission);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvUser, pdv_user_free)

GQuark        pdv_auth_error_quark          (void);

gboolean      pdv_role_can                  (PdvRole         role,
                                             PdvPermission   permission);
const char   *pdv_permission_to_string      (PdvPermission   permission);
gboolean      pdv_permission_from_string    (const char     *text,
                                             PdvPermission  *out_permission);
const char   *pdv_permission_describe       (PdvPermission   permission);

GDateTime    *pdv_auth_get_now              (PdvDb          *db);

PdvUser      *pdv_auth_login                (PdvDb          *db,
                                             const char     *user_id,
                                             const char     *pin,
                                             GError        **error);
PdvUser      *pdv_auth_find_by_pin          (PdvDb          *db,
                                             PdvPermission   permission,
                                             const char     *pin,
                                             const char     *operator_id,
                                             GError        **error);
PdvUser      *pdv_auth_authorise            (PdvDb          *db,
                                             PdvPermission   permission,
                                             const char     *pin,
                                             const char     *operator_id,
                                             GError        **error);
gboolean      pdv_auth_require              (const PdvUser  *user,
                                             PdvPermission   permission,
                                             GError        **error);
gboolean      pdv_auth_permit_in_transaction (PdvJournal    *journal,
                                             PdvPermission   permission,
                                             const PdvUser  *operator_user,
                                             const PdvUser  *authoriser,
                                             const char    **out_authorised_by,
                                             GError        **error);
gboolean      pdv_auth_record_override      (PdvJournal     *journal,
                                             PdvPermission   permission,
                                             const char     *operator_id,
                                             const char     *authoriser_id,
                                             GError        **error);
gint64        pdv_auth_get_lockout          (PdvDb          *db,
                                             const char     *user_id);

GPtrArray    *pdv_auth_list_users           (PdvDb          *db,
                                             GError        **error);
gboolean      pdv_auth_find_user            (PdvDb          *db,
                                             const char     *user_id,
                                             PdvUser       **out_user,
                                             GError        **error);

G_END_DECLS

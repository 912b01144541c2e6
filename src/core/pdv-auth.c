/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-auth"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-auth.h"
#include "pdv-db-private.h"
#include "pdv-projections.h"

/* Who is at the terminal and what they may do. Every login, every wrong PIN
 * and every manager override is a journal entry; the lockout after too many
 * wrong PINs is a projection of those entries, so it survives a restart and
 * a rebuild gives it back exactly. */

G_DEFINE_QUARK (pdv-auth-error-quark, pdv_auth_error)

G_DEFINE_BOXED_TYPE (PdvUser, pdv_user, pdv_user_copy, pdv_user_free)

/* Overrides are typed as a PIN alone, so their wrong guesses cannot be
 * charged to a user: they count against the terminal, under a name no user
 * id can take. */
#define OVERRIDE_SUBJECT ":override"

#define BIT(p) (1u << (p))

/* The permission table. */
static const guint32 role_permissions[] = {
  [PDV_ROLE_CASHIER] = BIT (PDV_PERMISSION_SELL) | BIT (PDV_PERMISSION_SHIFT_OPEN) |
                       BIT (PDV_PERMISSION_SHIFT_CLOSE),
  [PDV_ROLE_DOOR]    = BIT (PDV_PERMISSION_CHECKIN),
  [PDV_ROLE_MANAGER] = BIT (PDV_PERMISSION_SELL) | BIT (PDV_PERMISSION_CHECKIN) |
                       BIT (PDV_PERMISSION_VOID) | BIT (PDV_PERMISSION_REFUND) |
                       BIT (PDV_PERMISSION_DISCOUNT) | BIT (PDV_PERMISSION_COURTESY) |
                       BIT (PDV_PERMISSION_DRAWER_OPEN) | BIT (PDV_PERMISSION_SHIFT_OPEN) |
                       BIT (PDV_PERMISSION_SHIFT_CLOSE) | BIT (PDV_PERMISSION_CLOSE_WITH_DIFFERENCE) |
                       BIT (PDV_PERMISSION_REPORT) | BIT (PDV_PERMISSION_SETTINGS) |
                       BIT (PDV_PERMISSION_DOOR_OVERRIDE),
  [PDV_ROLE_ADMIN]   = (1u << PDV_N_PERMISSIONS) - 1,
};

static const char * const permission_names[] = {
  "sell", "checkin", "void", "refund", "discount", "courtesy", "drawer_open", "shift_open",
  "shift_close", "close_with_difference", "report", "settings", "enroll", "door_override",
};
G_STATIC_ASSERT (G_N_ELEMENTS (permission_names) == PDV_N_PERMISSIONS);

/**
 * pdv_role_can:
 *
 * The permission table: cashiers sell and open and close their shift with a
 * blind count; door staff check tickets in; managers do everything on the
 * terminal (voids, refunds, discounts, courtesies, the drawer, closing with
 * a difference, reports, the terminal's settings); admins also enrol the
 * terminal.
 */
gboolean
pdv_role_can (PdvRole       role,
              PdvPermission permission)
{
  g_return_val_if_fail (role <= PDV_ROLE_ADMIN, FALSE);
  g_return_val_if_fail (permission < PDV_N_PERMISSIONS, FALSE);
  return (role_permissions[role] & BIT (permission)) != 0;
}

const char *
pdv_permission_to_string (PdvPermission permission)
{
  g_return_val_if_fail (permission < PDV_N_PERMISSIONS, NULL);
  return permission_names[permission];
}

gboolean
pdv_permission_from_string (const char    *text,
                            PdvPermission *out_permission)
{
  for (guint i = 0; i < G_N_ELEMENTS (permission_names); i++)
    if (g_strcmp0 (text, permission_names[i]) == 0)
      {
        *out_permission = (PdvPermission) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * pdv_permission_describe:
 *
 * What the permission allows, to complete "may not …" and "ask a manager
 * to …" in messages.
 */
const char *
pdv_permission_describe (PdvPermission permission)
{
  switch (permission)
    {
    case PDV_PERMISSION_SELL:
      /* Translators: completes "… may not %s"; what a permission allows */
      return _("sell");
    case PDV_PERMISSION_CHECKIN:
      return _("check tickets in");
    case PDV_PERMISSION_VOID:
      return _("void sales");
    case PDV_PERMISSION_REFUND:
      return _("refund sales");
    case PDV_PERMISSION_DISCOUNT:
      return _("give discounts");
    case PDV_PERMISSION_COURTESY:
      return _("give courtesies and vouchers");
    case PDV_PERMISSION_DRAWER_OPEN:
      return _("open the cash drawer");
    case PDV_PERMISSION_SHIFT_OPEN:
      return _("open shifts");
    case PDV_PERMISSION_SHIFT_CLOSE:
      return _("close shifts");
    case PDV_PERMISSION_CLOSE_WITH_DIFFERENCE:
      return _("close a shift whose cash does not match");
    case PDV_PERMISSION_REPORT:
      return _("read reports");
    case PDV_PERMISSION_SETTINGS:
      return _("change settings");
    case PDV_PERMISSION_ENROLL:
      return _("enrol the terminal");
    case PDV_PERMISSION_DOOR_OVERRIDE:
      return _("let someone in whom the door refused");
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
role_label (PdvRole role)
{
  switch (role)
    {
    case PDV_ROLE_CASHIER:
      /* Translators: a user's role */
      return C_("role", "cashier");
    case PDV_ROLE_DOOR:
      return C_("role", "door staff");
    case PDV_ROLE_MANAGER:
      return C_("role", "manager");
    case PDV_ROLE_ADMIN:
      return C_("role", "administrator");
    default:
      g_return_val_if_reached (NULL);
    }
}

PdvUser *
pdv_user_new (const char *id,
              const char *name,
              PdvRole     role)
{
  PdvUser *user;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (role <= PDV_ROLE_ADMIN, NULL);

  user = g_new0 (PdvUser, 1);
  user->id = g_strdup (id);
  user->name = g_strdup (name ? name : id);
  user->role = role;
  return user;
}

PdvUser *
pdv_user_copy (const PdvUser *user)
{
  return pdv_user_new (user->id, user->name, user->role);
}

void
pdv_user_free (PdvUser *user)
{
  if (user == NULL)
    return;
  g_free (user->id);
  g_free (user->name);
  g_free (user);
}

gboolean
pdv_user_can (const PdvUser *user,
              PdvPermission  permission)
{
  return user != NULL && pdv_role_can (user->role, permission);
}

/**
 * pdv_auth_get_now:
 *
 * Returns: (transfer full): the current time of @db's clock, in UTC: what
 *   lockouts run on
 */
GDateTime *
pdv_auth_get_now (PdvDb *db)
{
  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  return pdv_clock_get_now_utc (pdv_db_get_clock (db));
}

static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

/* How many seconds @subject stays locked at @now; 0 when it is not. */
static gint64
lockout_left (PdvDb      *db,
              const char *subject,
              GDateTime  *now)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT locked_until FROM auth_lockout WHERE subject = ?", NULL);
  g_autoptr(GDateTime) until = NULL;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    until = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 0), NULL);
  sqlite3_reset (stmt);
  if (until == NULL || g_date_time_compare (until, now) <= 0)
    return 0;
  /* Whole seconds, rounded up: "locked for 0 seconds" would be a lie. */
  return (g_date_time_difference (until, now) + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

/**
 * pdv_auth_get_lockout:
 * @user_id: a user, or %NULL for the terminal's manager overrides
 *
 * Returns: how many seconds are left before @user_id may try a PIN again;
 *   0 when they may now
 */
gint64
pdv_auth_get_lockout (PdvDb      *db,
                      const char *user_id)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (PDV_IS_DB (db), 0);

  now = pdv_auth_get_now (db);
  return lockout_left (db, user_id ? user_id : OVERRIDE_SUBJECT, now);
}

/* Journals one entry in a transaction of its own. */
static gboolean
record (PdvDb       *db,
        const char  *kind,
        const char  *user,
        json_t      *payload,
        GError     **error)
{
  g_autoptr(PdvJournal) journal = pdv_journal_new (db);
  g_autoptr(PdvJournalEntry) entry = pdv_journal_append (journal, kind, user, payload, error);

  json_decref (payload);
  return entry != NULL;
}

/* Journals a wrong PIN (or an attempt while locked) and sets @error to say
 * so, or to say why it could not be journalled. */
static void
record_failure (PdvDb         *db,
                const char    *subject,
                const char    *reason,
                GDateTime     *now,
                json_t        *details,
                GError       **error)
{
  g_autofree char *at = format_time (now);
  json_t *payload = json_pack ("{s:s, s:s, s:s}", "subject", subject, "reason", reason, "at", at);
  g_autoptr(GError) local_error = NULL;

  if (details != NULL)
    {
      json_object_update (payload, details);
      json_decref (details);
    }
  if (!record (db, PDV_ENTRY_AUTH_FAILED,
               g_str_equal (subject, OVERRIDE_SUBJECT) ? json_string_value (json_object_get (payload, "operator"))
                                                       : subject,
               payload, &local_error))
    {
      /* An attempt that cannot be recorded is refused all the same. */
      g_clear_error (error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
}

static void
set_locked_error (GError     **error,
                  const char  *who,
                  gint64       seconds)
{
  g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_LOCKED,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too many wrong PINs: %s is locked for %lld more second",
                            "Too many wrong PINs: %s is locked for %lld more seconds", seconds),
               who, (long long) seconds);
}

typedef struct {
  char    *id;
  char    *name;
  char    *pin_hash;
  PdvRole  role;
  gboolean active;
} StoredUser;

static void
stored_user_clear (StoredUser *user)
{
  g_clear_pointer (&user->id, g_free);
  g_clear_pointer (&user->name, g_free);
  g_clear_pointer (&user->pin_hash, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoredUser, stored_user_clear)

static gboolean
load_user (PdvDb       *db,
           const char  *user_id,
           StoredUser  *out,
           gboolean    *out_found,
           GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT id, name, role, pin_hash, active FROM users WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out_found = rc == SQLITE_ROW &&
               pdv_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &out->role);
  if (*out_found)
    {
      out->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      out->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      out->pin_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      out->active = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the users"));
  return TRUE;
}

/**
 * pdv_auth_find_user:
 * @user_id: a user's id
 * @out_user: (out) (transfer full) (nullable): the active user with that
 *   id, or %NULL when there is none
 *
 * Returns: %FALSE with @error set if the users could not be read
 */
gboolean
pdv_auth_find_user (PdvDb       *db,
                    const char  *user_id,
                    PdvUser    **out_user,
                    GError     **error)
{
  g_auto(StoredUser) stored = { 0 };
  gboolean found = FALSE;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (out_user != NULL, FALSE);

  *out_user = NULL;
  if (user_id == NULL)
    return TRUE;
  if (!load_user (db, user_id, &stored, &found, error))
    return FALSE;
  if (found && stored.active)
    *out_user = pdv_user_new (stored.id, stored.name, stored.role);
  return TRUE;
}

/**
 * pdv_auth_login:
 * @user_id: who says they are at the terminal
 * @pin: what they typed
 *
 * Checks @pin against @user_id's and journals the outcome: "auth.login", or
 * "auth.failed". After %PDV_AUTH_MAX_FAILURES wrong PINs in a row the user is
 * locked for %PDV_AUTH_LOCKOUT_SECONDS; while locked, PINs are not even
 * checked.
 *
 * Returns: (transfer full): the user, or %NULL with @error set
 *   (%PDV_AUTH_ERROR_WRONG_PIN, %PDV_AUTH_ERROR_LOCKED, …)
 */
PdvUser *
pdv_auth_login (PdvDb       *db,
                const char  *user_id,
                const char  *pin,
                GError     **error)
{
  g_auto(StoredUser) stored = { 0 };
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *at = NULL;
  gboolean found = FALSE;
  gint64 left;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  now = pdv_auth_get_now (db);
  if (!load_user (db, user_id, &stored, &found, error))
    return NULL;
  if (!found || !stored.active)
    {
      g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_UNKNOWN_USER,
                   found ? _("%s may no longer use this terminal") : _("There is no user %s on this terminal"),
                   user_id);
      record_failure (db, user_id, found ? "inactive" : "unknown_user", now, NULL, error);
      return NULL;
    }

  left = lockout_left (db, stored.id, now);
  if (left > 0)
    {
      set_locked_error (error, stored.name, left);
      record_failure (db, stored.id, "locked", now, NULL, error);
      return NULL;
    }

  if (pin == NULL || !pdv_pin_is_well_formed (pin) || !pdv_pin_verify (stored.pin_hash, pin))
    {
      record_failure (db, stored.id, "wrong_pin", now, NULL, error);
      if (error != NULL && *error != NULL)
        return NULL;
      left = lockout_left (db, stored.id, now);
      if (left > 0)
        set_locked_error (error, stored.name, left);
      else
        g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_WRONG_PIN, _("Wrong PIN for %s"), stored.name);
      return NULL;
    }

  at = format_time (now);
  if (!record (db, PDV_ENTRY_AUTH_LOGIN, stored.id,
               json_pack ("{s:s, s:s, s:s}", "subject", stored.id, "role", pdv_role_to_string (stored.role),
                          "at", at),
               error))
    return NULL;
  return pdv_user_new (stored.id, stored.name, stored.role);
}

/* Whose PIN @pin is among the active users whose role does (@allowed) or
 * does not have @permission, or only @only_id among them. Returns TRUE when
 * the query ran. */
static gboolean
match_pin (PdvDb          *db,
           const char     *pin,
           PdvPermission   permission,
           gboolean        allowed,
           const char     *only_id,
           PdvUser       **out_user,
           GError        **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT id, name, role, pin_hash FROM users WHERE active ORDER BY id",
                                       error);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_user_free);
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  int rc;

  *out_user = NULL;
  if (stmt == NULL)
    return FALSE;
  /* Read everything first: Argon2 takes a while, and a statement left
   * stepping would hold the database meanwhile. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvRole role;

      if (!pdv_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &role) ||
          pdv_role_can (role, permission) != allowed ||
          (only_id != NULL && g_strcmp0 (only_id, (const char *) sqlite3_column_text (stmt, 0)) != 0))
        continue;
      g_ptr_array_add (candidates, pdv_user_new ((const char *) sqlite3_column_text (stmt, 0),
                                                 (const char *) sqlite3_column_text (stmt, 1), role));
      g_ptr_array_add (hashes, g_strdup ((const char *) sqlite3_column_text (stmt, 3)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the users"));

  for (guint i = 0; i < candidates->len; i++)
    if (pdv_pin_verify (g_ptr_array_index (hashes, i), pin))
      {
        *out_user = g_ptr_array_steal_index (candidates, i);
        break;
      }
  return TRUE;
}

/**
 * pdv_auth_find_by_pin:
 * @permission: what the PIN is to allow
 * @pin: what was typed on the PIN pad
 * @operator_id: (nullable): who is at the terminal and asks for it
 *
 * Finds the active user with @pin whose role has @permission, without
 * journalling an override: for callers that record it themselves with the
 * action it allowed (pdv_auth_permit_in_transaction()). Wrong PINs are
 * journalled ("auth.failed") and count towards locking the terminal's
 * overrides, as a PIN that belongs to someone without @permission does.
 *
 * Returns: (transfer full): the user, or %NULL with @error set
 */
PdvUser *
pdv_auth_find_by_pin (PdvDb          *db,
                      PdvPermission   permission,
                      const char     *pin,
                      const char     *operator_id,
                      GError        **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(PdvUser) user = NULL;
  g_autoptr(PdvUser) other = NULL;
  json_t *details;
  gint64 left;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);
  g_return_val_if_fail (permission < PDV_N_PERMISSIONS, NULL);

  now = pdv_auth_get_now (db);
  details = json_pack ("{s:s, s:s?}", "action", pdv_permission_to_string (permission), "operator", operator_id);

  left = lockout_left (db, OVERRIDE_SUBJECT, now);
  if (left > 0)
    {
      g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_LOCKED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many wrong PINs: authorisations are locked for %lld more second",
                                "Too many wrong PINs: authorisations are locked for %lld more seconds", left),
                   (long long) left);
      record_failure (db, OVERRIDE_SUBJECT, "locked", now, details, error);
      return NULL;
    }

  if (pin != NULL && pdv_pin_is_well_formed (pin))
    {
      if (!match_pin (db, pin, permission, TRUE, NULL, &user, error))
        {
          json_decref (details);
          return NULL;
        }
      if (user != NULL)
        {
          json_decref (details);
          return g_steal_pointer (&user);
        }
      /* Only to say why, when the operator typed their own PIN. Argon2 is
       * slow on purpose: trying everyone's would make every wrong PIN wait. */
      if (operator_id != NULL && !match_pin (db, pin, permission, FALSE, operator_id, &other, error))
        {
          json_decref (details);
          return NULL;
        }
    }

  if (other != NULL)
    json_object_set_new (details, "user", json_string (other->id));
  record_failure (db, OVERRIDE_SUBJECT, other ? "forbidden" : "wrong_pin", now, details, error);
  if (error != NULL && *error != NULL)
    return NULL;

  left = lockout_left (db, OVERRIDE_SUBJECT, now);
  if (left > 0)
    g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_LOCKED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Too many wrong PINs: authorisations are locked for %lld more second",
                              "Too many wrong PINs: authorisations are locked for %lld more seconds", left),
                 (long long) left);
  else if (other != NULL)
    g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN,
                 /* Translators: "Ana Souza (cashier) may not void sales; …" */
                 _("%s (%s) may not %s; ask a manager to authorise this"),
                 other->name, role_label (other->role), pdv_permission_describe (permission));
  else
    g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_WRONG_PIN,
                 _("That PIN does not belong to anyone who may %s; ask a manager to authorise this"),
                 pdv_permission_describe (permission));
  return NULL;
}

static json_t *
override_payload (PdvPermission  permission,
                  const char    *operator_id,
                  const char    *authoriser_id,
                  GDateTime     *now)
{
  g_autofree char *at = format_time (now);

  return json_pack ("{s:s, s:s?, s:s, s:s}",
                    "action", pdv_permission_to_string (permission),
                    "operator", operator_id,
                    "authoriser", authoriser_id,
                    "at", at);
}

/**
 * pdv_auth_record_override:
 * @operator_id: (nullable): who asked
 * @authoriser_id: who allowed it
 *
 * Journals an "auth.override" inside the caller's transaction, for an
 * action journalled in the same transaction: both are kept, or neither.
 */
gboolean
pdv_auth_record_override (PdvJournal     *journal,
                          PdvPermission   permission,
                          const char     *operator_id,
                          const char     *authoriser_id,
                          GError        **error)
{
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GDateTime) now = NULL;
  json_t *payload;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (authoriser_id != NULL, FALSE);

  now = pdv_auth_get_now (pdv_journal_get_db (journal));
  payload = override_payload (permission, operator_id, authoriser_id, now);
  entry = pdv_journal_append_in_transaction (journal, PDV_ENTRY_AUTH_OVERRIDE, operator_id, payload, error);
  json_decref (payload);
  return entry != NULL;
}

/**
 * pdv_auth_authorise:
 * @permission: what is to be allowed
 * @pin: what the authorising person typed
 * @operator_id: (nullable): who is at the terminal and asks for it
 *
 * A manager override: pdv_auth_find_by_pin(), then an "auth.override" entry
 * with the action, the operator and the authoriser.
 *
 * Returns: (transfer full): the authorising user, or %NULL with @error set
 */
PdvUser *
pdv_auth_authorise (PdvDb          *db,
                    PdvPermission   permission,
                    const char     *pin,
                    const char     *operator_id,
                    GError        **error)
{
  g_autoptr(PdvUser) user = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  user = pdv_auth_find_by_pin (db, permission, pin, operator_id, error);
  if (user == NULL)
    return NULL;
  now = pdv_auth_get_now (db);
  if (!record (db, PDV_ENTRY_AUTH_OVERRIDE, operator_id, override_payload (permission, operator_id, user->id, now), error))
    return NULL;
  return g_steal_pointer (&user);
}

/**
 * pdv_auth_require:
 * @user: (nullable): who is asking
 *
 * Returns: whether @user's role has @permission; if not, @error says so
 */
gboolean
pdv_auth_require (const PdvUser  *user,
                  PdvPermission   permission,
                  GError        **error)
{
  g_return_val_if_fail (permission < PDV_N_PERMISSIONS, FALSE);

  if (user == NULL)
    {
      g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN,
                   _("Log in with your PIN to %s"), pdv_permission_describe (permission));
      return FALSE;
    }
  if (!pdv_user_can (user, permission))
    {
      g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_FORBIDDEN,
                   _("%s (%s) may not %s; ask a manager to authorise this"),
                   user->name, role_label (user->role), pdv_permission_describe (permission));
      return FALSE;
    }
  return TRUE;
}

/**
 * pdv_auth_permit_in_transaction:
 * @operator_user: who is at the terminal
 * @authoriser: (nullable): who authorised it, from pdv_auth_find_by_pin(),
 *   when @operator_user may not do it alone
 * @out_authorised_by: (out) (optional) (transfer none): the authoriser's id
 *   when the override was needed, else %NULL
 *
 * Whether @permission is granted, to the operator or through the
 * authoriser. An override is journalled ("auth.override") inside the
 * caller's transaction, so it is kept exactly when the action is.
 */
gboolean
pdv_auth_permit_in_transaction (PdvJournal     *journal,
                                PdvPermission   permission,
                                const PdvUser  *operator_user,
                                const PdvUser  *authoriser,
                                const char    **out_authorised_by,
                                GError        **error)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);

  if (out_authorised_by)
    *out_authorised_by = NULL;
  if (pdv_user_can (operator_user, permission))
    return TRUE;
  if (authoriser == NULL || !pdv_user_can (authoriser, permission))
    return pdv_auth_require (authoriser ? authoriser : operator_user, permission, error);
  if (!pdv_auth_record_override (journal, permission, operator_user ? operator_user->id : NULL, authoriser->id,
                                 error))
    return FALSE;
  if (out_authorised_by)
    *out_authorised_by = authoriser->id;
  return TRUE;
}

/* The "auth_lockout" projection: wrong PINs in a row per user (and for the
 * terminal's overrides), and until when each is locked. */
static gboolean
lockout_apply (PdvDb                 *db,
               const PdvJournalEntry *entry,
               GError               **error)
{
  const char *subject;
  const char *reason;
  const char *at;
  sqlite3_stmt *stmt;

  if (!g_str_has_prefix (entry->kind, "auth."))
    return TRUE;

  subject = json_string_value (json_object_get (entry->payload, "subject"));
  if (g_str_equal (entry->kind, PDV_ENTRY_AUTH_LOGIN))
    {
      stmt = pdv_db_prepare (db, "DELETE FROM auth_lockout WHERE subject = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_STATIC);
      return pdv_db_step_done (db, stmt, error);
    }
  if (g_str_equal (entry->kind, PDV_ENTRY_AUTH_OVERRIDE))
    {
      stmt = pdv_db_prepare (db, "DELETE FROM auth_lockout WHERE subject = '" OVERRIDE_SUBJECT "'", error);
      return stmt != NULL && pdv_db_step_done (db, stmt, error);
    }
  if (!g_str_equal (entry->kind, PDV_ENTRY_AUTH_FAILED))
    return TRUE;

  reason = json_string_value (json_object_get (entry->payload, "reason"));
  at = json_string_value (json_object_get (entry->payload, "at"));
  if (subject == NULL || reason == NULL || at == NULL)
    {
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                   _("Journal entry %lld (%s) is malformed"), (long long) entry->seq, entry->kind);
      return FALSE;
    }
  /* Attempts while locked, and names that are nobody's, lock nothing. */
  if (!g_str_equal (reason, "wrong_pin") && !g_str_equal (reason, "forbidden"))
    return TRUE;

  {
    g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (at, NULL);
    g_autoptr(GDateTime) until = NULL;
    g_autofree char *until_text = NULL;

    if (when == NULL)
      {
        g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                     _("Journal entry %lld (%s) is malformed"), (long long) entry->seq, entry->kind);
        return FALSE;
      }
    until = g_date_time_add_seconds (when, PDV_AUTH_LOCKOUT_SECONDS);
    until_text = format_time (until);

    /* The failure that completes a run locks, and starts the count again. */
    stmt = pdv_db_prepare (db,
                           "INSERT INTO auth_lockout (subject, failures, locked_until, updated_seq) "
                           "VALUES (?1, 1, NULL, ?3) "
                           "ON CONFLICT (subject) DO UPDATE SET "
                           "  locked_until = CASE WHEN failures + 1 >= ?4 THEN ?2 ELSE locked_until END, "
                           "  failures = CASE WHEN failures + 1 >= ?4 THEN 0 ELSE failures + 1 END, "
                           "  updated_seq = excluded.updated_seq",
                           error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, until_text, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, entry->seq);
    sqlite3_bind_int (stmt, 4, PDV_AUTH_MAX_FAILURES);
    return pdv_db_step_done (db, stmt, error);
  }
}

const PdvProjection pdv_auth_lockout_projection = {
  .name = "auth_lockout",
  .clear_sql = "DELETE FROM auth_lockout",
  .dump_sql = "SELECT subject, failures, locked_until, updated_seq FROM auth_lockout ORDER BY subject",
  .apply = lockout_apply,
};

/**
 * pdv_auth_list_users:
 *
 * The people who may log in at this terminal, by name. Cheap: no PIN is
 * checked.
 *
 * Returns: (transfer full) (element-type PdvUser): the active users, or
 *   %NULL with @error set
 */
GPtrArray *
pdv_auth_list_users (PdvDb   *db,
                     GError **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_user_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  stmt = pdv_db_prepare (db, "SELECT id, name, role FROM users WHERE active ORDER BY name COLLATE NOCASE, id",
                         error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvRole role;

      if (!pdv_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &role))
        continue;
      g_ptr_array_add (users, pdv_user_new ((const char *) sqlite3_column_text (stmt, 0),
                                            (const char *) sqlite3_column_text (stmt, 1), role));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (db, error, _("Reading the users"));
      return NULL;
    }
  return g_steal_pointer (&users);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-users"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

#include "pdv-users.h"

static const char * const role_names[] = { "cashier", "door", "manager", "admin" };

const char *
pdv_role_to_string (PdvRole role)
{
  g_return_val_if_fail (role <= PDV_ROLE_ADMIN, NULL);
  return role_names[role];
}

gboolean
pdv_role_from_string (const char *text,
                      PdvRole    *out_role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *out_role = (PdvRole) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
ensure_sodium (GError **error)
{
  static gsize initialised = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialised))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialised, 1);
    }
  if (!ok)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("The cryptography library could not start"));
  return ok;
}

/**
 * pdv_pin_is_well_formed:
 *
 * A PIN is 4 to 8 digits.
 */
gboolean
pdv_pin_is_well_formed (const char *pin)
{
  gsize len;

  if (pin == NULL)
    return FALSE;
  len = strlen (pin);
  if (len < 4 || len > 8)
    return FALSE;
  for (const char *p = pin; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/**
 * pdv_pin_hash:
 *
 * Returns: an Argon2id hash string of @pin, or %NULL with @error set
 */
char *
pdv_pin_hash (const char  *pin,
              GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (pin != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;
  if (crypto_pwhash_str_alg (hash, pin, strlen (pin),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Not enough memory to protect the PIN"));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
pdv_pin_verify (const char *pin_hash,
                const char *pin)
{
  if (pin_hash == NULL || pin == NULL || !ensure_sodium (NULL))
    return FALSE;
  return crypto_pwhash_str_verify (pin_hash, pin, strlen (pin)) == 0;
}

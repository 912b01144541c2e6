/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PDV_ROLE_CASHIER,
  PDV_ROLE_DOOR,
  PDV_ROLE_MANAGER,
  PDV_ROLE_ADMIN,
} PdvRole;

const char *pdv_role_to_string   (PdvRole      role);
gboolean    pdv_role_from_string (const char  *text,
                                  PdvRole     *out_role);

/* PINs are stored as Argon2id hashes, never in clear. */
gboolean    pdv_pin_is_well_formed (const char *pin);
char       *pdv_pin_hash         (const char  *pin,
                                  GError     **error);
gboolean    pdv_pin_verify       (const char  *pin_hash,
                                  const char  *pin);

G_END_DECLS

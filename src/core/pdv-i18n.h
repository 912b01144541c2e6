/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Follows the user's locale and finds the translations: installed ones, or
 * $PDV_LOCALEDIR when running from a build tree. */
void pdv_i18n_init (void);

G_END_DECLS

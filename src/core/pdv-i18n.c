/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-i18n"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "pdv-i18n.h"

void
pdv_i18n_init (void)
{
  const char *localedir = g_getenv ("PDV_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

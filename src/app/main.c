/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv"

#include "config.h"

#include "pdv-application.h"
#include "pdv-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PdvApplication) application = NULL;

  pdv_process_tune_memory ();
  pdv_i18n_init ();

  pdv_application_choose_renderer ();
  application = pdv_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-settings.h"

G_BEGIN_DECLS

#define PDV_TYPE_APPLICATION (pdv_application_get_type ())
G_DECLARE_FINAL_TYPE (PdvApplication, pdv_application, PDV, APPLICATION, AdwApplication)

PdvApplication *pdv_application_new          (void);
void            pdv_application_choose_renderer (void);
PdvSettings    *pdv_application_get_settings (PdvApplication *self);
const char     *pdv_application_get_db_path  (PdvApplication *self);
void            pdv_application_set_db_path  (PdvApplication *self,
                                              const char     *db_path);

G_END_DECLS

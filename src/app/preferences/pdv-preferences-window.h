/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"
#include "pdv-settings.h"

G_BEGIN_DECLS

#define PDV_TYPE_PREFERENCES_WINDOW (pdv_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PdvPreferencesWindow, pdv_preferences_window, PDV, PREFERENCES_WINDOW, AdwPreferencesWindow)

PdvPreferencesWindow *pdv_preferences_window_new          (GtkWindow            *parent,
                                                           PdvSettings          *settings,
                                                           PdvContext           *context);
GtkWindow            *pdv_preferences_window_request      (GtkWindow            *parent,
                                                           PdvSettings          *settings,
                                                           PdvContext           *context);
PdvSettings          *pdv_preferences_window_get_settings (PdvPreferencesWindow *self);
gboolean              pdv_preferences_window_get_loading_printers
                                                          (PdvPreferencesWindow *self);
void                  pdv_preferences_window_set_ca_file  (PdvPreferencesWindow *self,
                                                           const char           *path);
const char           *pdv_preferences_window_get_ca_text  (PdvPreferencesWindow *self,
                                                           gboolean              error);

G_END_DECLS

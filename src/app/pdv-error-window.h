/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PDV_TYPE_ERROR_WINDOW (pdv_error_window_get_type ())
G_DECLARE_FINAL_TYPE (PdvErrorWindow, pdv_error_window, PDV, ERROR_WINDOW, AdwApplicationWindow)

PdvErrorWindow *pdv_error_window_new         (GtkApplication *application,
                                              const char     *db_path,
                                              const GError   *error);
const char     *pdv_error_window_get_message (PdvErrorWindow *self);

G_END_DECLS

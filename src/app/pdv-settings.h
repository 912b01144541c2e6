/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PDV_TYPE_SETTINGS (pdv_settings_get_type ())
G_DECLARE_FINAL_TYPE (PdvSettings, pdv_settings, PDV, SETTINGS, GObject)

gboolean     pdv_settings_schema_is_installed (void);

PdvSettings *pdv_settings_new                 (void);
PdvSettings *pdv_settings_new_for_settings    (GSettings   *settings);
GSettings   *pdv_settings_get_gsettings       (PdvSettings *self);

char        *pdv_settings_dup_terminal_name   (PdvSettings *self);
char       **pdv_settings_dup_server_urls     (PdvSettings *self);
char        *pdv_settings_dup_printer         (PdvSettings *self);
guint        pdv_settings_get_paper_width     (PdvSettings *self);
char       **pdv_settings_dup_receipt_header  (PdvSettings *self);
char       **pdv_settings_dup_receipt_footer  (PdvSettings *self);
char        *pdv_settings_dup_camera_device   (PdvSettings *self);
gboolean     pdv_settings_get_sounds_enabled  (PdvSettings *self);
gboolean     pdv_settings_get_bar_counter     (PdvSettings *self);
double       pdv_settings_get_sound_volume    (PdvSettings *self);
guint        pdv_settings_get_lock_timeout    (PdvSettings *self);
gboolean     pdv_settings_get_kiosk_mode      (PdvSettings *self);
void         pdv_settings_set_kiosk_mode      (PdvSettings *self,
                                               gboolean     kiosk_mode);

G_END_DECLS

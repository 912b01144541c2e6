/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"
#include "pdv-pin-pad.h"

G_BEGIN_DECLS

#define PDV_TYPE_MANAGER_PROMPT (pdv_manager_prompt_get_type ())
G_DECLARE_FINAL_TYPE (PdvManagerPrompt, pdv_manager_prompt, PDV, MANAGER_PROMPT, AdwWindow)

PdvManagerPrompt *pdv_manager_prompt_new            (GtkWindow        *parent,
                                                     PdvContext       *context,
                                                     PdvPermission     permission,
                                                     const char       *title,
                                                     const char       *message);
void              pdv_manager_prompt_set_operator   (PdvManagerPrompt *self,
                                                     const char       *operator_id);
void              pdv_manager_prompt_set_record_override (PdvManagerPrompt *self,
                                                     gboolean          record_override);
PdvPermission     pdv_manager_prompt_get_permission (PdvManagerPrompt *self);
PdvManagerPrompt *pdv_manager_prompt_ask            (GtkWindow        *parent,
                                                     PdvContext       *context,
                                                     PdvPermission     permission,
                                                     const char       *operator_id,
                                                     const char       *title,
                                                     const char       *message,
                                                     GCallback         on_authorised,
                                                     GCallback         on_destroyed,
                                                     gpointer          instance);
PdvPinPad        *pdv_manager_prompt_get_pin_pad    (PdvManagerPrompt *self);
const char       *pdv_manager_prompt_get_error_text (PdvManagerPrompt *self);
gboolean          pdv_manager_prompt_get_checking   (PdvManagerPrompt *self);

G_END_DECLS

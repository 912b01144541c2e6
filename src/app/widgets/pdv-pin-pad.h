/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PDV_TYPE_PIN_PAD (pdv_pin_pad_get_type ())
G_DECLARE_FINAL_TYPE (PdvPinPad, pdv_pin_pad, PDV, PIN_PAD, GtkWidget)

GtkWidget  *pdv_pin_pad_new        (void);
const char *pdv_pin_pad_get_pin    (PdvPinPad *self);
void        pdv_pin_pad_clear      (PdvPinPad *self);
void        pdv_pin_pad_focus      (PdvPinPad *self);
void        pdv_pin_pad_set_prompt (PdvPinPad  *self,
                                    const char *prompt);

G_END_DECLS

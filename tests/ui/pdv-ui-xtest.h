/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <X11/Xlib.h>
#include <glib.h>

G_BEGIN_DECLS

/* Real key events, made by the X server (XTest): @text then @terminator,
 * @gaps_ms[i % @n_gaps] before each key, as a USB scanner or a person types. */
void pdv_ui_xtest_type (Display     *display,
                        const char  *text,
                        KeySym       terminator,
                        const guint *gaps_ms,
                        guint        n_gaps);

G_END_DECLS

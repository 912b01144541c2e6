/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lower-case ASCII without accents, for matching what people type against
 * names: "Água de Coco" → "agua de coco". */
char *pdv_text_fold (const char *text);

G_END_DECLS

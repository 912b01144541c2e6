/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Maps the paths of a JSON document's values ("products/3/price") to the line
 * each value starts on, down to @max_depth levels, so that a complaint about a
 * value can point at the line a person has to fix. The text must be valid JSON. */
GHashTable *pdv_json_lines_index (const char *text,
                                  gsize       length,
                                  guint       max_depth);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PDV_PRINT_ALIGN_LEFT,
  PDV_PRINT_ALIGN_CENTRE,
} PdvPrintAlign;

/* Lines laid out for the columns of a thermal printer's standard font, that
 * render as plain text (the screen, a terminal) or as ESC/POS commands. */
typedef struct _PdvPrintLayout PdvPrintLayout;

PdvPrintLayout *pdv_print_layout_new           (guint            columns,
                                                gboolean         for_printer);
void            pdv_print_layout_free          (PdvPrintLayout  *layout);
guint           pdv_print_layout_get_columns   (PdvPrintLayout  *layout);

void            pdv_print_layout_add_text      (PdvPrintLayout  *layout,
                                                const char      *text,
                                                guint            indent,
                                                PdvPrintAlign    align,
                                                gboolean         bold,
                                                guint            max_lines);
void            pdv_print_layout_add_pair      (PdvPrintLayout  *layout,
                                                guint            indent,
                                                const char      *label,
                                                const char      *value,
                                                gboolean         bold,
                                                gboolean         tall);
void            pdv_print_layout_add_row       (PdvPrintLayout  *layout,
                                                guint            indent,
                                                const char      *label,
                                                const char      *count,
                                                const char      *amount,
                                                gboolean         bold);
void            pdv_print_layout_add_rule      (PdvPrintLayout  *layout,
                                                char             c);
void            pdv_print_layout_add_blank     (PdvPrintLayout  *layout);
void            pdv_print_layout_add_large_text (PdvPrintLayout *layout,
                                                const char      *text);
void            pdv_print_layout_add_qr        (PdvPrintLayout  *layout,
                                                const char      *text);
void            pdv_print_layout_add_cut       (PdvPrintLayout  *layout);

char           *pdv_print_layout_render_text   (PdvPrintLayout  *layout);
GBytes         *pdv_print_layout_render_escpos (PdvPrintLayout  *layout,
                                                gboolean         open_drawer);

GBytes         *pdv_escpos_open_drawer         (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvPrintLayout, pdv_print_layout_free)

G_END_DECLS

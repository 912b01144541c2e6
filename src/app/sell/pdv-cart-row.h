/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-cart-line.h"

G_BEGIN_DECLS

#define PDV_TYPE_CART_ROW (pdv_cart_row_get_type ())
G_DECLARE_FINAL_TYPE (PdvCartRow, pdv_cart_row, PDV, CART_ROW, GtkListBoxRow)

GtkWidget   *pdv_cart_row_new      (PdvCartLine *line);
PdvCartLine *pdv_cart_row_get_line (PdvCartRow  *self);

G_END_DECLS

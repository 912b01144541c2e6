/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void pdv_accessible_init         (void);
void pdv_accessible_name_buttons (GtkWidget *root);

G_END_DECLS

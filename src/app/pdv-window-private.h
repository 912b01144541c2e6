/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-window.h"

G_BEGIN_DECLS

GtkWidget *pdv_window_get_page (PdvWindow  *self,
                                const char *page_name);

G_END_DECLS

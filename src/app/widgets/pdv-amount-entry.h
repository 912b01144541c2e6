/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-core.h"

G_BEGIN_DECLS

/* Fields where the cashier types an amount of money. */

void     pdv_amount_entry_set         (GtkEditable  *entry,
                                       PdvMoney      amount);
gboolean pdv_amount_entry_parse       (GtkEditable  *entry,
                                       PdvMoney     *out_amount,
                                       GError      **error);
gboolean pdv_amount_entry_parse_part  (GtkEditable  *entry,
                                       PdvMoney      due,
                                       PdvMoney     *out_amount,
                                       GError      **error);
void     pdv_amount_entry_mark_valid  (GtkEditable  *entry,
                                       gboolean      valid);

G_END_DECLS

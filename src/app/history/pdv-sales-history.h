/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"
#include "pdv-manager-prompt.h"

G_BEGIN_DECLS

#define PDV_TYPE_SALES_HISTORY (pdv_sales_history_get_type ())
G_DECLARE_FINAL_TYPE (PdvSalesHistory, pdv_sales_history, PDV, SALES_HISTORY, AdwWindow)

PdvSalesHistory  *pdv_sales_history_new                (GtkWindow       *parent,
                                                        PdvContext      *context,
                                                        const PdvUser   *operator_user);
void              pdv_sales_history_refresh            (PdvSalesHistory *self);
gboolean          pdv_sales_history_select_sale        (PdvSalesHistory *self,
                                                        const char      *sale_id);
const char       *pdv_sales_history_get_selected_sale  (PdvSalesHistory *self);

/* What the window has open or under way, for tests. */
gboolean          pdv_sales_history_get_loading        (PdvSalesHistory *self);
guint             pdv_sales_history_get_n_sales        (PdvSalesHistory *self);
GtkListBoxRow    *pdv_sales_history_get_row            (PdvSalesHistory *self,
                                                        const char      *sale_id);
AdwMessageDialog *pdv_sales_history_get_dialog         (PdvSalesHistory *self);
PdvManagerPrompt *pdv_sales_history_get_manager_prompt (PdvSalesHistory *self);
const char       *pdv_sales_history_get_error_text     (PdvSalesHistory *self);

G_END_DECLS

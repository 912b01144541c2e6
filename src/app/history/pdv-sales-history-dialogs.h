/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"

G_BEGIN_DECLS

/* What the cashier asked for in a void or refund dialog. */
typedef struct {
  PdvSaleCorrectionKind  kind;
  char                  *sale_id;
  PdvMoney               amount;   /* what goes back; a void's sale total */
  PdvPaymentMethod       method;   /* how a refund goes back */
  char                  *reason;   /* NULL when none was given */
} PdvCorrectionRequest;

void                  pdv_correction_request_free          (PdvCorrectionRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvCorrectionRequest, pdv_correction_request_free)

GtkWidget            *pdv_sales_history_void_dialog_new    (GtkWindow            *parent,
                                                            const PdvSaleRecord  *record,
                                                            gboolean              asks_manager);
GtkWidget            *pdv_sales_history_refund_dialog_new  (GtkWindow            *parent,
                                                            const PdvSaleDetail  *detail,
                                                            gboolean              asks_manager);
GtkWidget            *pdv_sales_history_receipt_window_new (GtkWindow          *parent,
                                                            const char           *text);
PdvCorrectionRequest *pdv_sales_history_dialog_get_request (AdwMessageDialog     *dialog,
                                                            const char           *response,
                                                            GError              **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-cash-count.h"
#include "pdv-dashboard.h"
#include "pdv-manager-prompt.h"
#include "pdv-report-view.h"
#include "pdv-shift-page.h"

G_BEGIN_DECLS

typedef enum {
  PDV_CASH_MOVE_DROP,
  PDV_CASH_MOVE_PAYIN,
} PdvCashMove;

gboolean            pdv_shift_page_get_verifying       (PdvShiftPage *self);
const char         *pdv_shift_page_get_verify_summary  (PdvShiftPage *self);
const char         *pdv_shift_page_get_entries_text    (PdvShiftPage *self);

const char         *pdv_shift_page_get_state           (PdvShiftPage *self);
const char         *pdv_shift_page_get_error_text      (PdvShiftPage *self);
PdvCashCounter     *pdv_shift_page_get_float_counter   (PdvShiftPage *self);
PdvCashCounter     *pdv_shift_page_get_close_counter   (PdvShiftPage *self);
PdvReportView      *pdv_shift_page_get_report_view     (PdvShiftPage *self);
PdvDashboard       *pdv_shift_page_get_dashboard       (PdvShiftPage *self);
PdvManagerPrompt   *pdv_shift_page_get_manager_prompt  (PdvShiftPage *self);
GtkWidget          *pdv_shift_page_get_cash_dialog     (PdvShiftPage *self);
GtkWidget          *pdv_shift_page_get_expected_label  (PdvShiftPage *self);
GtkWidget          *pdv_shift_page_get_difference_label (PdvShiftPage *self);
const char         *pdv_shift_page_get_float_text      (PdvShiftPage *self);
void                pdv_shift_page_move_cash           (PdvShiftPage *self,
                                                        PdvCashMove   move,
                                                        PdvMoney      amount,
                                                        const char   *reason);
void                pdv_shift_page_show_view           (PdvShiftPage *self,
                                                        const char   *name);

G_END_DECLS

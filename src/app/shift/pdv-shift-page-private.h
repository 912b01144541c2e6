/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-cash-count.h"
#include "pdv-dashboard.h"
#include "pdv-manager-prompt.h"
#include "pdv-report-view.h"
#include "pdv-shift-page.h"

G_BEGIN_DECLS

typedef struct _PdvShiftPending PdvShiftPending;

/* The manager's page: opening the shift with a counted float, drops and
 * pay-ins, X reports, the blind close and its Z report; a dashboard of the
 * night; and a check that nothing in the journal was altered.
 *
 * Shift operations are single short transactions on the terminal's own
 * connection, as a sale is. What needs a manager the core refuses; the page
 * then asks for a manager's PIN and tries again with them as authoriser.
 *
 * pdv-shift-page.c holds the page and what it shows of the shift;
 * pdv-shift-page-actions.c the page's actions and the manager's PIN. */
struct _PdvShiftPage
{
  GtkWidget         parent_instance;

  PdvContext       *context;
  PdvUser          *user;
  PdvReceiptPrinter *receipt_printer;
  GCancellable     *verify_cancellable;
  char             *verify_summary;
  PdvShiftPending  *pending;          /* waiting for a manager's PIN */
  PdvManagerPrompt *prompt;
  PdvUser          *recounter;        /* the manager recounting after a refused count */
  GtkWidget        *cash_dialog;
  gint64            closed_z;         /* the Z just closed, 0 when none */

  GtkWidget        *view_switcher;
  GtkStack         *view_stack;
  GtkStack         *state_stack;
  GtkLabel         *error_label;
  PdvCashCounter   *float_counter;
  PdvCashCounter   *close_counter;
  GtkLabel         *open_title;
  GtkLabel         *opened_at_label;
  GtkLabel         *operator_label;
  GtkLabel         *float_label;
  GtkLabel         *result_title;
  GtkWidget        *result_box;
  GtkLabel         *expected_label;
  GtkLabel         *counted_label;
  GtkLabel         *difference_label;
  GtkLabel         *result_note_label;
  PdvReportView    *report_view;
  PdvDashboard     *dashboard;
  GtkLabel         *terminal_label;
  GtkLabel         *entries_label;
  AdwActionRow     *verify_row;
  GtkImage         *verify_icon;
};

void                _pdv_shift_page_class_actions_init (GtkWidgetClass *widget_class);
void                _pdv_shift_pending_free            (PdvShiftPending *pending);
void                _pdv_shift_page_show_error         (PdvShiftPage   *self,
                                                        const char     *message);
void                _pdv_shift_page_refresh_journal    (PdvShiftPage   *self);
void                _pdv_shift_page_refresh_state      (PdvShiftPage   *self);
void                _pdv_shift_page_clear_result       (PdvShiftPage   *self);
void                _pdv_shift_page_show_close_result  (PdvShiftPage              *self,
                                                        const PdvShiftCloseResult *result);
void                _pdv_shift_page_show_report        (PdvShiftPage   *self,
                                                        PdvReport      *report);

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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <jansson.h>

#include "pdv-auth.h"
#include "pdv-journal.h"
#include "pdv-money.h"

G_BEGIN_DECLS

#define PDV_SHIFT_ERROR (pdv_shift_error_quark ())

typedef enum {
  PDV_SHIFT_ERROR_NOT_OPEN,
  PDV_SHIFT_ERROR_ALREADY_OPEN,
  PDV_SHIFT_ERROR_INVALID_COUNT,
  PDV_SHIFT_ERROR_INVALID_AMOUNT,
  PDV_SHIFT_ERROR_NEEDS_REASON,
  PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER,
  PDV_SHIFT_ERROR_UNKNOWN_SHIFT,
  PDV_SHIFT_ERROR_DIVERGED,
  PDV_SHIFT_ERROR_SALE_OPEN,
} PdvShiftError;

/* The Brazilian real's notes (R$ 200 to R$ 2) and coins (R$ 1 to 1 centavo),
 * in centavos, largest first. */
#define PDV_N_DENOMINATIONS 13
extern const PdvMoney pdv_cash_denominations[PDV_N_DENOMINATIONS];

/* Cash counted by denomination, as in a float or a closing count. */
typedef struct {
  gint64    qty[PDV_N_DENOMINATIONS];   /* how many of pdv_cash_denominations[i] */
  PdvMoney  loose;                      /* counted as a sum, without a breakdown */
} PdvCashCount;

/* Meta keys: "shifts_required" (unless "false": no sale, void or refund
 * without an open shift) and "cash_tolerance" (centavos; default 500). */
#define PDV_SHIFT_DEFAULT_TOLERANCE 500

typedef struct {
  gint64    z_number;      /* the open shift's, or the one the next close gets */
  gboolean  open;
  gint64    opened_seq;    /* 0 when not open */
  char     *opened_at;     /* ISO 8601, UTC; NULL when not open */
  char     *opened_by;
  PdvMoney  float_amount;
} PdvShiftStatus;

typedef struct {
  gint64    z_number;
  gint64    seq;           /* the "shift.close" entry */
  PdvMoney  counted;
  PdvMoney  expected;
  PdvMoney  difference;    /* counted − expected: over when positive, short when negative */
  PdvMoney  tolerance;
  char     *authorised_by; /* who allowed a difference beyond the tolerance, or NULL */
} PdvShiftCloseResult;

GQuark        pdv_shift_error_quark         (void);

void          pdv_cash_count_init           (PdvCashCount        *count);
gboolean      pdv_cash_count_add            (PdvCashCount        *count,
                                             PdvMoney             denomination,
                                             gint64               qty,
                                             GError             **error);
gboolean      pdv_cash_count_parse          (PdvCashCount        *count,
                                             const char          *text,
                                             GError             **error);
gboolean      pdv_cash_count_total          (const PdvCashCount  *count,
                                             PdvMoney            *out_total,
                                             GError             **error);
json_t       *pdv_cash_count_to_json        (const PdvCashCount  *count);
gboolean      pdv_cash_count_from_json      (PdvCashCount        *count,
                                             json_t              *json);

gboolean      pdv_shift_is_required         (PdvDb               *db);
gboolean      pdv_shift_set_required        (PdvDb               *db,
                                             gboolean             required,
                                             GError             **error);
PdvMoney      pdv_shift_get_tolerance       (PdvDb               *db);
gboolean      pdv_shift_set_tolerance       (PdvDb               *db,
                                             PdvMoney             tolerance,
                                             GError             **error);
gboolean      pdv_shift_check_can_sell      (PdvDb               *db,
                                             GError             **error);

gboolean      pdv_shift_get_status          (PdvDb               *db,
                                             PdvShiftStatus      *out_status,
                                             GError             **error);
void          pdv_shift_status_clear        (PdvShiftStatus      *status);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvShiftStatus, pdv_shift_status_clear)

gint64        pdv_shift_open                (PdvJournal          *journal,
                                             const PdvUser       *operator_user,
                                             const PdvUser       *authoriser,
                                             const PdvCashCount  *float_count,
                                             GError             **error);
gboolean      pdv_shift_drop                (PdvJournal          *journal,
                                             const PdvUser       *operator_user,
                                             const PdvUser       *authoriser,
                                             PdvMoney             amount,
                                             const char          *reason,
                                             GError             **error);
gboolean      pdv_shift_payin               (PdvJournal          *journal,
                                             const PdvUser       *operator_user,
                                             const PdvUser       *authoriser,
                                             PdvMoney             amount,
                                             const char          *reason,
                                             GError             **error);
gboolean      pdv_drawer_open               (PdvJournal          *journal,
                                             const PdvUser       *operator_user,
                                             const PdvUser       *authoriser,
                                             const char          *reason,
                                             GError             **error);
gboolean      pdv_shift_cancel_close        (PdvJournal          *journal,
                                             const PdvUser       *operator_user,
                                             GError             **error);
PdvShiftCloseResult *pdv_shift_close        (PdvJournal          *journal,
                                             const PdvUser       *operator_user,
                                             const PdvUser       *authoriser,
                                             const PdvCashCount  *count,
                                             GError             **error);
void          pdv_shift_close_result_free   (PdvShiftCloseResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvShiftCloseResult, pdv_shift_close_result_free)

gboolean      pdv_shift_get_expected_cash   (PdvDb               *db,
                                             const PdvUser       *user,
                                             PdvMoney            *out_expected,
                                             GError             **error);

G_END_DECLS

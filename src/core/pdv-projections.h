/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-journal.h"

G_BEGIN_DECLS

/* Every projection kept by core, applied in this order to each new entry. */
const PdvProjection * const *pdv_projections_get (guint *n_projections);

extern const PdvProjection pdv_stock_projection;
extern const PdvProjection pdv_sales_projection;
extern const PdvProjection pdv_occupancy_projection;
extern const PdvProjection pdv_ticket_state_projection;
extern const PdvProjection pdv_venue_projection;
extern const PdvProjection pdv_auth_lockout_projection;
extern const PdvProjection pdv_shift_totals_projection;
extern const PdvProjection pdv_shift_payments_projection;
extern const PdvProjection pdv_sales_by_product_projection;
extern const PdvProjection pdv_sales_by_hour_projection;
extern const PdvProjection pdv_sales_by_operator_projection;
extern const PdvProjection pdv_shift_corrections_projection;
extern const PdvProjection pdv_shift_cash_moves_projection;
extern const PdvProjection pdv_checkins_by_hour_projection;
extern const PdvProjection pdv_shift_state_projection;
extern const PdvProjection pdv_open_sales_projection;
extern const PdvProjection pdv_fichas_projection;
extern const PdvProjection pdv_ficha_refusals_projection;

G_END_DECLS

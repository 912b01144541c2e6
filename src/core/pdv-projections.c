/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-projections"

#include "config.h"

#include "pdv-projections.h"

static const PdvProjection * const projections[] = {
  &pdv_stock_projection,
  &pdv_sales_projection,
  /* Before ticket_state: it reads whether a ticket was inside before the entry. */
  &pdv_occupancy_projection,
  &pdv_ticket_state_projection,
  &pdv_venue_projection,
  &pdv_auth_lockout_projection,
  &pdv_shift_totals_projection,
  &pdv_shift_payments_projection,
  &pdv_sales_by_product_projection,
  &pdv_sales_by_hour_projection,
  &pdv_sales_by_operator_projection,
  &pdv_shift_corrections_projection,
  &pdv_shift_cash_moves_projection,
  &pdv_checkins_by_hour_projection,
  &pdv_open_sales_projection,
  &pdv_fichas_projection,
  &pdv_ficha_refusals_projection,
  /* Last: the others file each entry under the period before it. */
  &pdv_shift_state_projection,
};

const PdvProjection * const *
pdv_projections_get (guint *n_projections)
{
  *n_projections = G_N_ELEMENTS (projections);
  return projections;
}

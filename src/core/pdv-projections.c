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
};

const PdvProjection * const *
pdv_projections_get (guint *n_projections)
{
  *n_projections = G_N_ELEMENTS (projections);
  return projections;
}

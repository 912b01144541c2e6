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

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-auth.h"
#include "pdv-context.h"
#include "pdv-report.h"

G_BEGIN_DECLS

/* The pace of a stock forecast: units taken out of stock (sold alone or in
 * combos, voids left out) over this many minutes before now... */
#define PDV_STOCK_FORECAST_WINDOW_MINUTES 30
/* ...and no forecast from fewer units than this: a burst is not a pace. */
#define PDV_STOCK_FORECAST_MIN_UNITS 5

/* A tracked product and how long its stock lasts at the recent pace. */
typedef struct {
  char    *product_id;
  char    *name;
  gint64   stock;
  gint64   sold_in_window; /* units out of stock in the last window */
  double   per_minute;     /* sold_in_window per minute of the window */
  gint64   minutes_left;   /* -1: too few sold to tell */
  gboolean alert;          /* out, or running out within the hour */
} PdvStockForecast;

/* What the dashboard shows, read in one go from the projections. */
typedef struct {
  gint64      sales_last_hour;     /* sales rung up in the current hour */
  PdvMoney    revenue;             /* the shift's net total */
  gint64      sales_count;
  double      checkins_per_minute; /* entries in the current hour, per minute */
  gint64      inside;
  gint64      capacity;            /* 0 when the event sets none */
  GPtrArray  *top_products;        /* PdvReportRow, most sold first, at most 5 */
  GPtrArray  *sales_by_hour;       /* PdvReportRow */
  GPtrArray  *checkins_by_hour;    /* PdvReportRow: count the entries */
  GPtrArray  *stock;               /* PdvStockForecast, soonest to run out first */
  gint64      fichas_issued;       /* by this till since the event began */
  gint64      fichas_outstanding;  /* of those, still to be served */
} PdvDashboardData;

PdvDashboardData *pdv_dashboard_data_collect (PdvContext        *context,
                                              const PdvUser     *reader,
                                              GDateTime         *now,
                                              GError           **error);
void              pdv_dashboard_data_free    (PdvDashboardData  *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvDashboardData, pdv_dashboard_data_free)

char             *pdv_stock_forecast_describe (const PdvStockForecast *forecast);
char             *pdv_stock_forecast_describe_basis (const PdvStockForecast *forecast);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <jansson.h>

#include "pdv-auth.h"
#include "pdv-csv.h"
#include "pdv-receipt.h"
#include "pdv-report-labels.h"
#include "pdv-sale.h"

G_BEGIN_DECLS

#define PDV_REPORT_ERROR (pdv_report_error_quark ())

typedef enum {
  PDV_REPORT_ERROR_UNKNOWN_Z,
  PDV_REPORT_ERROR_WRITE,
} PdvReportError;

typedef enum {
  PDV_REPORT_X,   /* mid-shift: the period so far, the shift stays open */
  PDV_REPORT_Z,   /* a closed shift, with its count */
} PdvReportKind;

/* The paper a PDF report is laid out for. */
typedef enum {
  PDV_REPORT_PAGE_A4,
  PDV_REPORT_PAGE_80MM,   /* one long page as wide as a thermal receipt */
} PdvReportPage;

/* One line of a table: a product, an hour, an operator… */
typedef struct {
  char     *key;     /* stable, for files: a product id, "2026-12-12T21:00:00Z", a user id */
  char     *label;   /* for people */
  gint64    count;
  PdvMoney  amount;
} PdvReportRow;

typedef struct {
  PdvPaymentMethod  method;
  gint64            sales_count;
  PdvMoney          sales_amount;
  gint64            voids_count;
  PdvMoney          voids_amount;
  gint64            refunds_count;
  PdvMoney          refunds_amount;
} PdvReportPayment;

typedef struct {
  char   *key;       /* an hour (UTC, ISO 8601) or a gate */
  char   *label;
  gint64  entries;
  gint64  exits;
  gint64  refusals;
} PdvReportCheckins;

/* A product this terminal hands fichas over for: those it issued since the
 * event began and what became of them as far as it knows when the report
 * is made (a ficha served and taken back counts as served); issued =
 * served + revoked + outstanding. */
typedef struct {
  char   *key;                /* the product */
  char   *label;
  gint64  issued_in_period;
  gint64  issued;
  gint64  served;             /* at any counter this terminal has heard of */
  gint64  revoked;            /* taken back by a void or refund */
  gint64  outstanding;        /* still to be served: the bar owes them */
} PdvReportFichas;

/* A counter of this terminal in the period: what it served and refused. */
typedef struct {
  char      *counter;
  gint64     served;
  gint64     refused;
  GPtrArray *products;        /* PdvReportRow: count served */
  GPtrArray *refusals;        /* PdvReportRow: key the verdict */
} PdvReportCounter;

/* An X or Z report, read from the shift projections: building one costs the
 * same whatever the number of sales. Amounts are centavos. */
typedef struct {
  PdvReportKind     kind;
  char             *title;          /* "X report", "Z report no. 3", translated */
  gint64            z_number;       /* X: the Z that will close this period */
  gboolean          shift_open;
  char             *terminal_id;
  char             *terminal_name;
  char             *event_name;
  GTimeZone        *timezone;       /* the event's: its times are told in it */
  GDateTime        *generated_at;
  GDateTime        *opened_at;      /* NULL: no shift was opened in the period */
  char             *opened_by;
  GDateTime        *closed_at;      /* Z only */
  char             *closed_by;
  gint64            first_seq;      /* the journal entries the period spans */
  gint64            last_seq;

  gint64            sales_count;
  PdvMoney          sales_total;    /* as rung up, before voids and refunds */
  gint64            voids_count;
  PdvMoney          voids_total;
  gint64            refunds_count;
  PdvMoney          refunds_total;
  gint64            discounts_count;
  PdvMoney          discounts_total;
  PdvMoney          net_total;      /* sales − voids − refunds */

  PdvReportPayment  payments[PDV_PAYMENT_VOUCHER + 1];
  /* The card's payments that said how: debit, credit (indexed by PdvCardKind; [0] unused). */
  PdvReportPayment  cards[PDV_CARD_CREDIT + 1];

  /* The drawer. */
  PdvMoney          float_amount;
  PdvMoney          cash_sales;
  PdvMoney          cash_returned;  /* given back for voids and refunds */
  gint64            drops_count;
  PdvMoney          drops_total;
  gint64            payins_count;
  PdvMoney          payins_total;
  PdvMoney          expected_cash;
  gboolean          counted;        /* Z: whether the figures below are set */
  PdvMoney          counted_cash;
  PdvMoney          difference;     /* counted − expected: over when positive */
  char             *difference_authorised_by;

  GPtrArray        *float_count;    /* PdvReportRow: key the value in centavos, count pieces */
  GPtrArray        *closing_count;  /* PdvReportRow, Z only */
  GPtrArray        *cash_moves;     /* PdvReportRow: key "drop" or "payin", label the reason */
  GPtrArray        *products;       /* PdvReportRow: net of voids */
  GPtrArray        *hours;          /* PdvReportRow: sales as rung up, by hour */
  GPtrArray        *operators;      /* PdvReportRow */
  GPtrArray        *corrections;    /* PdvReportRow: key "void", "refund", "discount" or "courtesy",
                                     * label who authorised them */

  gint64            checkin_entries;
  gint64            checkin_exits;
  gint64            checkin_refusals;
  GPtrArray        *checkins_by_hour;  /* PdvReportCheckins */
  GPtrArray        *checkins_by_gate;  /* PdvReportCheckins */
  GPtrArray        *refusals;          /* PdvReportRow: key the verdict */

  GPtrArray        *fichas;            /* PdvReportFichas */
  gint64            fichas_issued_in_period;
  gint64            fichas_issued;
  gint64            fichas_served;
  gint64            fichas_revoked;
  gint64            fichas_outstanding;
  GPtrArray        *counters;          /* PdvReportCounter */
} PdvReport;

GQuark        pdv_report_error_quark  (void);

PdvReport    *pdv_report_new_x        (PdvDb          *db,
                                       const PdvUser  *user,
                                       GError        **error);
PdvReport    *pdv_report_new_z        (PdvDb          *db,
                                       const PdvUser  *user,
                                       gint64          z_number,
                                       GError        **error);
void          pdv_report_free         (PdvReport      *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvReport, pdv_report_free)

char         *pdv_report_render_text   (PdvReport      *report,
                                        PdvPaperWidth   width);
GBytes       *pdv_report_render_escpos (PdvReport      *report,
                                        PdvPaperWidth   width);
json_t       *pdv_report_to_json       (PdvReport      *report);
char         *pdv_report_render_csv    (PdvReport      *report,
                                        PdvCsvDialect   dialect);
gboolean      pdv_report_write_pdf     (PdvReport      *report,
                                        PdvReportPage   page,
                                        const char     *path,
                                        GError        **error);

G_END_DECLS

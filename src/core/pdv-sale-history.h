/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdv-db.h"
#include "pdv-money.h"
#include "pdv-sale.h"

G_BEGIN_DECLS

/* How many sales a listing returns at most when asked for 0. */
#define PDV_SALE_HISTORY_DEFAULT_LIMIT 50

/* A sale of this terminal as it stands now, for a list of recent sales. */
typedef struct {
  char      *sale_id;
  char      *number;       /* as on the receipt: "BAR1-000123" (pdv_sale_number()) */
  gint64     seq;
  char      *created_at;   /* UTC, ISO 8601, as journalled */
  char      *user;         /* who sold it (a user id); may be NULL */
  char      *user_name;    /* their name, when they are a known user */
  PdvMoney   total;
  PdvMoney   refunded;     /* all refunds so far */
  gboolean   voided;
  gint64     n_items;      /* units over all lines */
  char      *summary;      /* "2× Cerveja Lata 350 ml, 1× Água Mineral…" */
  GStrv      methods;      /* how it was paid ("cash", "pix"), each once, in order */
} PdvSaleRecord;

void        pdv_sale_record_free            (PdvSaleRecord       *record);
PdvMoney    pdv_sale_record_get_refundable  (const PdvSaleRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSaleRecord, pdv_sale_record_free)

typedef struct {
  char      *product_id;
  char      *name;
  gint64     qty;
  PdvMoney   unit_price;
  PdvMoney   total;
} PdvSaleRecordLine;

typedef struct {
  PdvPaymentMethod  method;
  PdvMoney          amount;
  PdvMoney          tendered;   /* cash only, else 0 */
  PdvMoney          change;     /* cash only, else 0 */
  char             *reference;  /* card authorisation, PIX txid, voucher code */
} PdvSaleRecordPayment;

typedef enum {
  PDV_SALE_CORRECTION_VOID,
  PDV_SALE_CORRECTION_REFUND,
} PdvSaleCorrectionKind;

/* A "sale.void" or "sale.refund" entry that refers to the sale. */
typedef struct {
  PdvSaleCorrectionKind  kind;
  char                  *entry_id;
  gint64                 seq;
  char                  *created_at;
  char                  *user;           /* who was at the terminal */
  char                  *authorised_by;  /* who allowed it: a manager, or the operator */
  char                  *reason;         /* may be NULL */
  PdvMoney               amount;         /* a refund's amount; a void's sale total */
  PdvPaymentMethod       method;         /* how a refund went back; cash for a void */
} PdvSaleCorrection;

/* A sale with everything the journal holds about it. */
typedef struct {
  PdvSaleRecord *record;
  GArray        *lines;          /* PdvSaleRecordLine */
  GArray        *payments;       /* PdvSaleRecordPayment */
  GArray        *corrections;    /* PdvSaleCorrection, oldest first */
  PdvMoney       change;
  char          *authorised_by;  /* the manager who allowed a voucher or courtesy */
  char          *voided_by;      /* who authorised the void, when voided */
  PdvMoney       discount;       /* off the lines' sum; 0 when none */
  char          *discount_reason;
  char          *discount_authorised_by;
} PdvSaleDetail;

void           pdv_sale_detail_free          (PdvSaleDetail  *detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSaleDetail, pdv_sale_detail_free)

GPtrArray     *pdv_sale_history_list         (PdvDb          *db,
                                              const char     *filter,
                                              guint           limit,
                                              GError        **error);
PdvSaleDetail *pdv_sale_history_get_detail   (PdvDb          *db,
                                              const char     *sale_id,
                                              GError        **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdv-auth.h"
#include "pdv-catalog.h"
#include "pdv-journal.h"
#include "pdv-money.h"

G_BEGIN_DECLS

#define PDV_SALE_ERROR (pdv_sale_error_quark ())

typedef enum {
  PDV_SALE_ERROR_EMPTY,
  PDV_SALE_ERROR_UNKNOWN_PRODUCT,
  PDV_SALE_ERROR_INACTIVE_PRODUCT,
  PDV_SALE_ERROR_INVALID_QUANTITY,
  PDV_SALE_ERROR_OUT_OF_STOCK,
  PDV_SALE_ERROR_UNDERPAID,
  PDV_SALE_ERROR_OVERPAID,
  PDV_SALE_ERROR_INVALID_PAYMENT,
  PDV_SALE_ERROR_NOT_AUTHORISED,
  PDV_SALE_ERROR_UNKNOWN_SALE,
  PDV_SALE_ERROR_ALREADY_VOIDED,
  PDV_SALE_ERROR_REFUND_TOO_LARGE,
  PDV_SALE_ERROR_INVALID_DISCOUNT,
  PDV_SALE_ERROR_DISCOUNT_TOO_LARGE,
  PDV_SALE_ERROR_OPEN_SALE,
  PDV_SALE_ERROR_INVALID_FICHA,
} PdvSaleError;

typedef enum {
  PDV_PAYMENT_CASH,
  PDV_PAYMENT_CARD,
  PDV_PAYMENT_PIX,
  PDV_PAYMENT_VOUCHER,
} PdvPaymentMethod;

/* A card payment is debit or credit: the card machine asks, the report
 * splits them. Entries from before the split say neither. */
typedef enum {
  PDV_CARD_UNSPECIFIED,
  PDV_CARD_DEBIT,
  PDV_CARD_CREDIT,
} PdvCardKind;

typedef struct {
  PdvPaymentMethod  method;
  PdvMoney          amount;     /* what this payment covers of the total */
  PdvMoney          tendered;   /* cash handed over (>= amount); 0 means exact */
  char             *reference;  /* card authorisation, PIX txid, voucher code */
  char             *id;         /* once journalled as taken (pdv_sale_take_payment()) */
  PdvCardKind       card;       /* a card payment's kind */
} PdvPayment;

/* How a discount is given. A percentage is in basis points (hundredths of
 * a percent: 1000 is 10 %, 1250 is 12.5 %) and is rounded half up to the
 * centavo; an amount is in centavos. Either way it comes off the subtotal
 * and must leave something to pay. */
typedef enum {
  PDV_DISCOUNT_NONE,
  PDV_DISCOUNT_AMOUNT,
  PDV_DISCOUNT_PERCENT,
} PdvDiscountKind;

#define PDV_DISCOUNT_BASIS_POINTS_PER_PERCENT 100

typedef struct {
  char   *product_id;   /* id or barcode */
  gint64  qty;
} PdvSaleLine;

/* What the cashier rang up, before it is a sale. */
typedef struct _PdvSaleDraft PdvSaleDraft;

PdvSaleDraft *pdv_sale_draft_new          (void);
void          pdv_sale_draft_free         (PdvSaleDraft      *draft);
void          pdv_sale_draft_add_line     (PdvSaleDraft      *draft,
                                           const char        *product_id,
                                           gint64             qty);
void          pdv_sale_draft_add_payment  (PdvSaleDraft      *draft,
                                           PdvPaymentMethod   method,
                                           PdvMoney           amount,
                                           PdvMoney           tendered,
                                           const char        *reference);
gboolean      pdv_sale_draft_total        (PdvSaleDraft      *draft,
                                           PdvCatalog        *catalog,
                                           PdvMoney          *out_total,
                                           GError           **error);
gboolean      pdv_sale_draft_set_discount (PdvSaleDraft      *draft,
                                           PdvDiscountKind    kind,
                                           gint64             value,
                                           const char        *reason,
                                           const char        *authorised_by,
                                           GError           **error);
void          pdv_sale_draft_clear_discount (PdvSaleDraft    *draft);
gboolean      pdv_sale_draft_get_amounts  (PdvSaleDraft      *draft,
                                           PdvCatalog        *catalog,
                                           PdvMoney          *out_subtotal,
                                           PdvMoney          *out_discount,
                                           PdvMoney          *out_total,
                                           GError           **error);
void          pdv_sale_draft_add_card_payment (PdvSaleDraft  *draft,
                                           PdvCardKind        card,
                                           PdvMoney           amount,
                                           const char        *reference);
const GArray *pdv_sale_draft_get_payments (PdvSaleDraft     *draft);
char         *pdv_payments_describe       (const GArray      *payments,
                                           gboolean           tendered);
gboolean      pdv_payments_any_outside    (const GArray      *payments);
PdvMoney      pdv_sale_draft_get_paid     (PdvSaleDraft      *draft);
const char   *pdv_sale_draft_get_open_id  (PdvSaleDraft      *draft);
const GArray *pdv_sale_draft_get_lines    (PdvSaleDraft      *draft);
PdvDiscountKind pdv_sale_draft_get_discount (PdvSaleDraft    *draft,
                                           gint64            *out_value,
                                           const char       **out_reason,
                                           const char       **out_authorised_by);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSaleDraft, pdv_sale_draft_free)

typedef struct {
  char     *sale_id;       /* the journal entry's id */
  gint64    seq;
  PdvMoney  total;         /* what was paid: the subtotal less the discount */
  PdvMoney  change;
  GStrv     warnings;      /* e.g. stock running below zero on a "warn" product */
  PdvMoney  subtotal;      /* the lines at catalog prices */
  PdvMoney  discount;
  json_t   *fichas;        /* the fichas it handed over, as its entry keeps them */
} PdvSaleResult;

void          pdv_sale_result_free        (PdvSaleResult     *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSaleResult, pdv_sale_result_free)

GQuark        pdv_sale_error_quark        (void);
gboolean      pdv_discount_check          (PdvDiscountKind    kind,
                                           gint64             value,
                                           GError           **error);
gboolean      pdv_discount_compute        (PdvDiscountKind    kind,
                                           gint64             value,
                                           PdvMoney           subtotal,
                                           PdvMoney          *out_discount,
                                           GError           **error);
gboolean      pdv_discount_parse          (const char        *text,
                                           PdvDiscountKind   *out_kind,
                                           gint64            *out_value,
                                           GError           **error);
char         *pdv_discount_format_percent (gint64             basis_points);
const char   *pdv_payment_method_to_string (PdvPaymentMethod method);
const char   *pdv_payment_method_label  (PdvPaymentMethod   method);
const char   *pdv_card_kind_to_string   (PdvCardKind        card);
gboolean      pdv_card_kind_from_string (const char        *text,
                                         PdvCardKind       *out_card);
const char   *pdv_card_kind_label       (PdvCardKind        card);
gboolean      pdv_payment_method_from_string (const char      *text,
                                           PdvPaymentMethod  *out_method);

PdvSaleResult *pdv_sale_commit            (PdvJournal        *journal,
                                           PdvCatalog        *catalog,
                                           PdvSaleDraft      *draft,
                                           const char        *user,
                                           const char        *authorised_by,
                                           GError           **error);

char          *pdv_sale_number            (const char        *terminal_name,
                                           gint64             seq);
gint64         pdv_sale_printed_seq       (gint64             seq,
                                           json_t            *payload);
char          *pdv_authorise_manager      (PdvDb             *db,
                                           const char        *pin,
                                           GError           **error);

gboolean       pdv_sale_void              (PdvJournal        *journal,
                                           const char        *sale_id,
                                           const char        *user,
                                           const char        *manager_pin,
                                           const char        *reason,
                                           GError           **error);
gboolean       pdv_sale_refund            (PdvJournal        *journal,
                                           const char        *sale_id,
                                           PdvMoney           amount,
                                           PdvPaymentMethod   method,
                                           const char        *user,
                                           const char        *manager_pin,
                                           const char        *reason,
                                           GError           **error);
gboolean       pdv_sale_refund_fichas     (PdvJournal        *journal,
                                           const char        *sale_id,
                                           PdvMoney           amount,
                                           PdvPaymentMethod   method,
                                           const char        *user,
                                           const char        *manager_pin,
                                           const char        *reason,
                                           const char * const *fichas,
                                           GError           **error);
gboolean       pdv_sale_void_authorised   (PdvJournal        *journal,
                                           const char        *sale_id,
                                           const PdvUser     *operator_user,
                                           const PdvUser     *authoriser,
                                           const char        *reason,
                                           GError           **error);
gboolean       pdv_sale_refund_authorised (PdvJournal        *journal,
                                           const char        *sale_id,
                                           PdvMoney           amount,
                                           PdvPaymentMethod   method,
                                           const PdvUser     *operator_user,
                                           const PdvUser     *authoriser,
                                           const char        *reason,
                                           GError           **error);

G_END_DECLS

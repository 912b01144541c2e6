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
} PdvSaleError;

typedef enum {
  PDV_PAYMENT_CASH,
  PDV_PAYMENT_CARD,
  PDV_PAYMENT_PIX,
  PDV_PAYMENT_VOUCHER,
} PdvPaymentMethod;

typedef struct {
  PdvPaymentMethod  method;
  PdvMoney          amount;     /* what this payment covers of the total */
  PdvMoney          tendered;   /* cash handed over (>= amount); 0 means exact */
  char             *reference;  /* card authorisation, PIX txid, voucher code */
} PdvPayment;

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
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSaleDraft, pdv_sale_draft_free)

typedef struct {
  char     *sale_id;       /* the journal entry's id */
  gint64    seq;
  PdvMoney  total;
  PdvMoney  change;
  GStrv     warnings;      /* e.g. stock running below zero on a "warn" product */
} PdvSaleResult;

void          pdv_sale_result_free        (PdvSaleResult     *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvSaleResult, pdv_sale_result_free)

GQuark        pdv_sale_error_quark        (void);
const char   *pdv_payment_method_to_string (PdvPaymentMethod method);
const char   *pdv_payment_method_label  (PdvPaymentMethod   method);
gboolean      pdv_payment_method_from_string (const char      *text,
                                           PdvPaymentMethod  *out_method);

PdvSaleResult *pdv_sale_commit            (PdvJournal        *journal,
                                           PdvCatalog        *catalog,
                                           PdvSaleDraft      *draft,
                                           const char        *user,
                                           const char        *authorised_by,
                                           GError           **error);

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

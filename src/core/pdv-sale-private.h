/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <jansson.h>

#include "pdv-sale.h"

G_BEGIN_DECLS

/* A sale draft's discount, shared by pdv-sale.c and pdv-sale-discount.c. */
typedef struct {
  PdvDiscountKind  kind;            /* PDV_DISCOUNT_NONE: no discount */
  gint64           value;           /* centavos, or basis points */
  char            *reason;
  char            *authorised_by;   /* NULL: the operator, on their own authority */
} PdvSaleDiscount;

struct _PdvSaleDraft
{
  GArray          *lines;     /* PdvSaleLine */
  GArray          *payments;  /* PdvPayment */
  PdvSaleDiscount  discount;
  char            *open_id;   /* once a payment was taken before the sale: pdv-open-sale.c */
};

const PdvUser *pdv_sale_correction_authoriser      (PdvPermission           permission,
                                                    const PdvUser          *operator_user,
                                                    const PdvUser          *authoriser,
                                                    GError                **error);
void      pdv_payment_clear                        (PdvPayment             *payment);
gboolean  pdv_sale_check_payment                   (const PdvPayment       *payment,
                                                    gboolean                authorised,
                                                    GError                **error);
json_t   *pdv_sale_payment_to_json                 (const PdvPayment       *payment);
gboolean  pdv_sale_payment_from_json               (json_t                 *item,
                                                    PdvPayment             *out);
gboolean  pdv_open_sale_check_in_transaction       (PdvDb                  *db,
                                                    PdvSaleDraft           *draft,
                                                    GError                **error);

void      pdv_sale_discount_clear                  (PdvSaleDiscount        *discount);
gboolean  pdv_sale_discount_set                    (PdvSaleDiscount        *discount,
                                                    PdvDiscountKind         kind,
                                                    gint64                  value,
                                                    const char             *reason,
                                                    const char             *authorised_by,
                                                    GError                **error);
gboolean  pdv_sale_discount_compute                (const PdvSaleDiscount  *discount,
                                                    PdvMoney                subtotal,
                                                    PdvMoney               *out_discount,
                                                    GError                **error);
gboolean  pdv_sale_discount_authorise_in_transaction (PdvJournal           *journal,
                                                    const PdvSaleDiscount  *discount,
                                                    const char             *user,
                                                    char                  **out_authoriser,
                                                    GError                **error);
void      pdv_sale_discount_add_to_payload         (const PdvSaleDiscount  *discount,
                                                    PdvMoney                subtotal,
                                                    PdvMoney                amount,
                                                    const char             *authoriser,
                                                    json_t                 *payload);

G_END_DECLS

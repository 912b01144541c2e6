/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-auth.h"
#include "pdv-catalog.h"
#include "pdv-journal.h"
#include "pdv-sale.h"

G_BEGIN_DECLS

/* A sale being paid in parts: the payments taken so far are journalled one
 * by one, so that a crash, a quit or a power cut between them loses none;
 * the sale that completes it, or a void of it, closes it. */
typedef struct {
  char          *id;
  char          *user;           /* who took its first payment */
  char          *started_at;     /* UTC, ISO 8601 */
  gint64         started_seq;
  char          *authorised_by;  /* the manager who allowed a voucher among its payments */
  PdvSaleDraft  *draft;          /* its lines, discount and payments, as last journalled */
  PdvMoney       paid;
} PdvOpenSale;

void          pdv_open_sale_free          (PdvOpenSale       *sale);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvOpenSale, pdv_open_sale_free)

GPtrArray    *pdv_open_sales_list         (PdvDb             *db,
                                           GError           **error);
gint64        pdv_open_sales_count        (PdvDb             *db,
                                           GError           **error);
char         *pdv_open_sale_describe_payments (PdvOpenSale   *sale);

gboolean      pdv_sale_take_payment       (PdvJournal        *journal,
                                           PdvCatalog        *catalog,
                                           PdvSaleDraft      *draft,
                                           PdvPaymentMethod   method,
                                           PdvCardKind        card,
                                           PdvMoney           amount,
                                           PdvMoney           tendered,
                                           const char        *reference,
                                           const char        *user,
                                           const char        *authorised_by,
                                           GError           **error);
gboolean      pdv_sale_cancel_payment     (PdvJournal        *journal,
                                           PdvSaleDraft      *draft,
                                           guint              index,
                                           const char        *user,
                                           GError           **error);
gboolean      pdv_open_sale_needs_authoriser (PdvOpenSale    *sale);
gboolean      pdv_open_sale_abandon       (PdvJournal        *journal,
                                           const char        *open_id,
                                           const PdvUser     *operator_user,
                                           const PdvUser     *authoriser,
                                           const char        *reason,
                                           GError           **error);

extern const PdvProjection pdv_open_sales_projection;

G_END_DECLS

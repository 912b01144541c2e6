/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <jansson.h>

#include "pdv-journal.h"
#include "pdv-sale.h"

G_BEGIN_DECLS

#define PDV_RECEIPT_ERROR (pdv_receipt_error_quark ())

typedef enum {
  PDV_RECEIPT_ERROR_UNKNOWN_SALE,
  PDV_RECEIPT_ERROR_INVALID,
} PdvReceiptError;

/* The two widths of thermal paper rolls sold in Brazil. */
typedef enum {
  PDV_PAPER_58MM = 58,
  PDV_PAPER_80MM = 80,
} PdvPaperWidth;

typedef struct {
  PdvPaperWidth        paper_width;
  const char * const  *header_lines;  /* NULL: the event's name; empty: none */
  const char * const  *footer_lines;  /* NULL: a thank-you line; empty: none */
  gboolean             copy;          /* a reprint: marked as such, and the drawer stays shut */
} PdvReceiptOptions;

#define PDV_RECEIPT_OPTIONS_INIT { PDV_PAPER_80MM, NULL, NULL, FALSE }

/* What a sale's receipt says, independent of the printer. */
typedef struct _PdvReceipt PdvReceipt;

/* What a receipt says about where and by whom, beyond the sale's entry. */
typedef struct {
  const char *number;          /* "BAR1-000123" (pdv_sale_number()); NULL: the sale's id */
  const char *operator_name;   /* the cashier's name; NULL: their login */
  const char *merchant_name;   /* who sells, from the event's merchant */
  const char *merchant_cnpj;   /* their CNPJ, 14 digits */
  GTimeZone  *timezone;        /* the event's; NULL: this machine's */
} PdvReceiptDetails;

/* A void or refund, printed on the sale's copy and on its own slip. */
typedef struct {
  gboolean    refund;          /* FALSE: a void */
  PdvMoney    amount;          /* a refund's; a void's the sale's total */
  PdvPaymentMethod method;     /* how a refund went back */
  const char *created_at;      /* UTC, ISO 8601 */
  const char *reason;
  const char *authorised_by;
} PdvReceiptCorrection;

GQuark       pdv_receipt_error_quark       (void);
guint        pdv_paper_width_get_columns   (PdvPaperWidth       width);

PdvReceipt  *pdv_receipt_new_from_payload  (json_t             *payload,
                                            const char         *sale_id,
                                            const char         *created_at,
                                            const char         *cashier,
                                            const char         *event_name,
                                            const char         *terminal_name,
                                            GError            **error);
PdvReceipt  *pdv_receipt_new_for_sale      (PdvJournal         *journal,
                                            const char         *sale_id,
                                            GError            **error);
void         pdv_receipt_free              (PdvReceipt         *receipt);
void         pdv_receipt_set_details       (PdvReceipt         *receipt,
                                            const PdvReceiptDetails *details);
void         pdv_receipt_add_correction    (PdvReceipt         *receipt,
                                            const PdvReceiptCorrection *correction);
gboolean     pdv_receipt_is_slip           (PdvReceipt         *receipt);
gboolean     pdv_cnpj_normalise            (const char         *text,
                                            char                out_digits[15]);
char        *pdv_cnpj_format               (const char         *digits);

const char  *pdv_receipt_get_sale_id       (PdvReceipt         *receipt);
gboolean     pdv_receipt_opens_drawer      (PdvReceipt         *receipt);

char        *pdv_receipt_render_text       (PdvReceipt         *receipt,
                                            const PdvReceiptOptions *options);
GBytes      *pdv_receipt_render_escpos     (PdvReceipt         *receipt,
                                            const PdvReceiptOptions *options);
char         *pdv_receipt_render_fichas_text   (PdvReceipt              *receipt,
                                                const PdvReceiptOptions *options,
                                                json_t                  *ids);
GBytes       *pdv_receipt_render_fichas_escpos (PdvReceipt              *receipt,
                                                const PdvReceiptOptions *options,
                                                json_t                  *ids);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvReceipt, pdv_receipt_free)

G_END_DECLS

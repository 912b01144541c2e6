/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdv-money.h"

G_BEGIN_DECLS

#define PDV_PIX_ERROR (pdv_pix_error_quark ())

typedef enum {
  PDV_PIX_ERROR_INVALID_KEY,
  PDV_PIX_ERROR_TOO_LONG,
  PDV_PIX_ERROR_INVALID_AMOUNT,
  PDV_PIX_ERROR_INVALID_TXID,
  PDV_PIX_ERROR_MALFORMED,        /* not a sequence of ID, length, value */
  PDV_PIX_ERROR_NOT_ASCII,
  PDV_PIX_ERROR_BAD_CRC,
  PDV_PIX_ERROR_MISSING_FIELD,
  PDV_PIX_ERROR_WRONG_VALUE,
  PDV_PIX_ERROR_DUPLICATE_FIELD,
  PDV_PIX_ERROR_WRONG_ORDER,      /* 00 not first or 63 not last */
} PdvPixError;

typedef enum {
  PDV_PIX_KEY_EMAIL,
  PDV_PIX_KEY_PHONE,
  PDV_PIX_KEY_CPF,
  PDV_PIX_KEY_CNPJ,
  PDV_PIX_KEY_RANDOM,
} PdvPixKeyKind;

/* Field 01 of a BR Code. */
typedef enum {
  PDV_PIX_INITIATION_UNSPECIFIED, /* field 01 absent */
  PDV_PIX_INITIATION_STATIC,      /* "11": the code may be paid again and again */
  PDV_PIX_INITIATION_DYNAMIC,     /* "12": the code is for one payment */
} PdvPixInitiation;

/* Longest values a BR Code can carry, in ASCII characters. */
#define PDV_PIX_NAME_MAX        25
#define PDV_PIX_CITY_MAX        15
#define PDV_PIX_TXID_MAX        25
#define PDV_PIX_EMAIL_MAX       77
#define PDV_PIX_AMOUNT_MAX      G_GINT64_CONSTANT (999999999999) /* R$ 9.999.999.999,99 */

/* The txid of a code that refers to no particular payment. */
#define PDV_PIX_NO_TXID         "***"

/* What a BR Code says, as pdv_pix_parse() reads it. */
typedef struct {
  char             *key;
  PdvPixKeyKind     key_kind;
  char             *name;
  char             *city;
  gboolean          has_amount;  /* FALSE: the payer types the amount */
  PdvMoney          amount;      /* centavos, > 0 when has_amount */
  char             *txid;        /* PDV_PIX_NO_TXID when there is none */
  PdvPixInitiation  initiation;
} PdvPixCode;

GQuark       pdv_pix_error_quark    (void);

guint16      pdv_pix_crc16          (const char        *data,
                                     gsize              length);
char        *pdv_pix_normalise_key  (const char        *key,
                                     PdvPixKeyKind     *out_kind,
                                     GError           **error);
const char  *pdv_pix_key_kind_name  (PdvPixKeyKind      kind);

char        *pdv_pix_build          (const char        *key,
                                     const char        *name,
                                     const char        *city,
                                     gboolean           has_amount,
                                     PdvMoney           amount,
                                     const char        *txid,
                                     GError           **error);
gboolean     pdv_pix_parse          (const char        *payload,
                                     PdvPixCode       **out,
                                     GError           **error);

void         pdv_pix_code_free      (PdvPixCode        *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvPixCode, pdv_pix_code_free)

G_END_DECLS

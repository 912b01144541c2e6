/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The dearest thing a catalog may sell: R$ 1.000.000,00 (a whole camarote,
 * not a drink). More is a misread price — a spreadsheet's decimals taken as
 * thousands. */
#define PDV_MONEY_MAX_PRICE 100000000

/* Money is always an integer number of centavos (BRL cents). */
typedef gint64 PdvMoney;

#define PDV_MONEY_ERROR (pdv_money_error_quark ())

typedef enum {
  PDV_MONEY_ERROR_INVALID,
  PDV_MONEY_ERROR_OVERFLOW,
  PDV_MONEY_ERROR_NEGATIVE,
  PDV_MONEY_ERROR_PRECISION,
  PDV_MONEY_ERROR_AMBIGUOUS,   /* "6,000": thousands, or three decimals? */
} PdvMoneyError;

typedef enum {
  PDV_MONEY_PARSE_DEFAULT        = 0,
  PDV_MONEY_PARSE_ALLOW_NEGATIVE = 1 << 0,
} PdvMoneyParseFlags;

GQuark    pdv_money_error_quark     (void);

gboolean  pdv_money_parse           (const char          *text,
                                     PdvMoneyParseFlags   flags,
                                     PdvMoney            *out_cents,
                                     GError             **error);
char     *pdv_money_format          (PdvMoney             cents);
char     *pdv_money_format_for_locale (PdvMoney           cents,
                                     const char          *locale_name);
char     *pdv_money_format_plain    (PdvMoney             cents);
char     *pdv_money_format_brazilian (PdvMoney            cents,
                                     gboolean             with_symbol);

gboolean  pdv_money_add             (PdvMoney             a,
                                     PdvMoney             b,
                                     PdvMoney            *out,
                                     GError             **error);
gboolean  pdv_money_multiply        (PdvMoney             amount,
                                     gint64               factor,
                                     PdvMoney            *out,
                                     GError             **error);
PdvMoney  pdv_money_average         (PdvMoney             total,
                                     gint64               count);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <jansson.h>

#include "pdv-auth.h"
#include "pdv-db.h"
#include "pdv-journal.h"
#include "pdv-ticket-token.h"

G_BEGIN_DECLS

/* A ficha: a slip for one unit of a product, handed over at the bar for the
 * drink. Its QR holds a compact signed token of the same family as compact
 * tickets: "PDVF:" then base45 of a binary payload and the Ed25519
 * signature, made with the issuing terminal's own key, over the prefix and
 * the payload. docs/FICHAS.md describes the format. */
#define PDV_FICHA_PREFIX        "PDVF:"
#define PDV_FICHA_ID_BYTES      8
#define PDV_FICHA_KEY_TAG_BYTES 4

#define PDV_FICHA_ERROR (pdv_ficha_error_quark ())

typedef enum {
  PDV_FICHA_ERROR_UNREADABLE,     /* not a ficha, or damaged */
  PDV_FICHA_ERROR_FORGED,         /* the signature does not hold */
  PDV_FICHA_ERROR_WRONG_EVENT,
  PDV_FICHA_ERROR_CRYPTO,
  PDV_FICHA_ERROR_INVALID,        /* claims that cannot be signed */
} PdvFichaError;

/* What a ficha's token says. */
typedef struct {
  guint8  event_tag[PDV_TICKET_EVENT_TAG_BYTES];
  guint8  key_tag[PDV_FICHA_KEY_TAG_BYTES];   /* the issuing terminal's key */
  guint8  id[PDV_FICHA_ID_BYTES];
  char   *product_id;
  /* As read from a token (pdv_ficha_token_read()): its signature. */
  gboolean has_signature;
  guint8  signature[64];
} PdvFichaClaims;

GQuark          pdv_ficha_error_quark    (void);

void            pdv_ficha_claims_free    (PdvFichaClaims  *claims);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvFichaClaims, pdv_ficha_claims_free)

char           *pdv_ficha_token_sign     (const PdvFichaClaims *claims,
                                          const guint8     secret_key[PDV_TICKET_SECRET_KEY_BYTES],
                                          GError         **error);
PdvFichaClaims *pdv_ficha_token_read     (const char      *token,
                                          GError         **error);
gboolean        pdv_ficha_claims_verify  (const PdvFichaClaims *claims,
                                          const guint8     public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                                          GError         **error);
gboolean        pdv_ficha_token_verify   (const char      *token,
                                          const guint8     public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                                          GError         **error);

void            pdv_ficha_key_tag        (const guint8     public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                                          guint8           out_tag[PDV_FICHA_KEY_TAG_BYTES]);
char           *pdv_ficha_id_to_string   (const guint8     id[PDV_FICHA_ID_BYTES]);
char           *pdv_ficha_code           (const guint8     id[PDV_FICHA_ID_BYTES]);
char           *pdv_ficha_code_for_id    (const char      *id);
const char     *pdv_ficha_id_from_conflict (const char    *ticket_id);

char           *pdv_ficha_dup_public_key (PdvDb           *db,
                                          GError         **error);
gboolean        pdv_ficha_event_issues   (json_t          *event,
                                          const char      *product_id);
json_t         *pdv_ficha_issue_in_transaction (PdvJournal *journal,
                                          const char      *event_text,
                                          json_t          *lines,
                                          json_t         **out_new_key,
                                          GError         **error);
gboolean        pdv_ficha_add_tokens     (PdvDb           *db,
                                          json_t          *fichas,
                                          GError         **error);
char           *pdv_ficha_dup_key_tag    (PdvDb           *db,
                                          GError         **error);
gboolean        pdv_ficha_record_key     (PdvDb           *db,
                                          const char      *public_text,
                                          const char      *terminal_id,
                                          const char      *terminal_name,
                                          GError         **error);
gboolean        pdv_ficha_put_heard      (PdvDb           *db,
                                          const char      *id,
                                          const char      *state,
                                          const char      *at,
                                          const char      *counter,
                                          const char      *terminal,
                                          gint64           seq,
                                          const char      *product,
                                          const char      *name,
                                          const char      *key,
                                          GError         **error);
json_t         *pdv_ficha_list_for_sale  (PdvDb           *db,
                                          const char      *sale_id,
                                          GError         **error);

/* At the counter. */
typedef enum {
  PDV_FICHA_VALID,              /* served now */
  PDV_FICHA_ALREADY_REDEEMED,   /* a photocopy, or the same slip twice */
  PDV_FICHA_VOIDED,             /* its sale was voided or refunded */
  PDV_FICHA_WRONG_EVENT,
  PDV_FICHA_FORGED,             /* the signature does not hold */
  PDV_FICHA_UNKNOWN_ISSUER,     /* signed by a key this terminal has not been given */
  PDV_FICHA_UNREADABLE,
} PdvFichaVerdict;

typedef struct {
  PdvFichaVerdict  verdict;
  char            *ficha_id;      /* NULL when unreadable */
  char            *code;
  char            *product_id;
  char            *product_name;  /* the catalog's, else the product's id */
  char            *redeemed_at;   /* when it was served (now, or the first time) */
  char            *redeemed_by;   /* at which counter */
  char            *issuer;        /* the name of the terminal whose key signs it, when known */
  char            *message;       /* what the bartender reads under the verdict */
  char            *entry_id;      /* the journal entry of this scan */
} PdvFichaRedemption;

json_t             *pdv_ficha_reprint           (PdvJournal         *journal,
                                                 const char         *sale_id,
                                                 const char         *user,
                                                 const char         *manager_pin,
                                                 GError            **error);
json_t             *pdv_ficha_reprint_authorised (PdvJournal        *journal,
                                                  const char        *sale_id,
                                                  const PdvUser     *operator_user,
                                                  const PdvUser     *authoriser,
                                                  GError           **error);
void                pdv_ficha_redemption_free   (PdvFichaRedemption *redemption);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvFichaRedemption, pdv_ficha_redemption_free)
const char         *pdv_ficha_verdict_to_string (PdvFichaVerdict     verdict);
const char         *pdv_ficha_verdict_label     (PdvFichaVerdict     verdict);
PdvFichaRedemption *pdv_ficha_redeem            (PdvJournal         *journal,
                                                 const char         *text,
                                                 const char         *counter,
                                                 const char         *user,
                                                 GError            **error);

G_END_DECLS

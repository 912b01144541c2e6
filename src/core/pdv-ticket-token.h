/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A signed ticket: "PDV1." base64url(payload) "." base64url(signature), no
 * padding. The signature is Ed25519 over the ASCII text up to the second dot.
 * docs/TICKETS.md describes the format for issuers. */
#define PDV_TICKET_TOKEN_PREFIX "PDV1."

/* The compact form, for QR codes a phone's camera or a worn print still
 * reads: "PDV2:" then base45 (RFC 9285, QR's alphanumeric alphabet) of a
 * binary payload and its Ed25519 signature. The event is named by a tag (the
 * first bytes of SHA-256 of its id) rather than its id. docs/TICKETS.md. */
#define PDV_TICKET_COMPACT_PREFIX "PDV2:"
#define PDV_TICKET_EVENT_TAG_BYTES 4

#define PDV_TICKET_PUBLIC_KEY_BYTES 32
#define PDV_TICKET_SECRET_KEY_BYTES 64

#define PDV_TICKET_TOKEN_ERROR (pdv_ticket_token_error_quark ())

typedef enum {
  PDV_TICKET_TOKEN_ERROR_MALFORMED,
  PDV_TICKET_TOKEN_ERROR_BAD_SIGNATURE,
  PDV_TICKET_TOKEN_ERROR_INVALID_CLAIMS,
  PDV_TICKET_TOKEN_ERROR_INVALID_KEY,
  PDV_TICKET_TOKEN_ERROR_CRYPTO,
} PdvTicketTokenError;

typedef enum {
  PDV_ENTRY_POLICY_SINGLE,
  PDV_ENTRY_POLICY_MULTI,
  PDV_ENTRY_POLICY_REENTRY,
} PdvEntryPolicy;

/* What a signed ticket says about itself. */
typedef struct {
  char           *ticket_id;    /* "t" */
  char           *event_id;     /* "e" */
  char           *type;         /* "y" */
  char           *zone;         /* "z" */
  gboolean        has_valid_from;
  gint64          valid_from;   /* "f", Unix seconds */
  gboolean        has_valid_until;
  gint64          valid_until;  /* "u", Unix seconds */
  PdvEntryPolicy  policy;       /* "p" */
  char           *holder_name;  /* "n", may be NULL */
  /* A compact ticket names its event by a tag only: event_id is NULL then. */
  gboolean        has_event_tag;
  guint8          event_tag[PDV_TICKET_EVENT_TAG_BYTES];
} PdvTicketClaims;

GQuark           pdv_ticket_token_error_quark  (void);

const char      *pdv_entry_policy_to_string    (PdvEntryPolicy          policy);
gboolean         pdv_entry_policy_from_string  (const char             *text,
                                                PdvEntryPolicy         *out_policy);

PdvTicketClaims *pdv_ticket_claims_new         (void);
void             pdv_ticket_claims_free        (PdvTicketClaims        *claims);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvTicketClaims, pdv_ticket_claims_free)

char            *pdv_base64url_encode          (const guint8           *data,
                                                gsize                   length);
GBytes          *pdv_base64url_decode          (const char             *text,
                                                gsize                   length);

gboolean         pdv_ticket_key_generate       (char                  **out_secret_key,
                                                char                  **out_public_key,
                                                GError                **error);
gboolean         pdv_ticket_public_key_parse   (const char             *text,
                                                guint8                  out_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                                                GError                **error);
gboolean         pdv_ticket_secret_key_parse   (const char             *text,
                                                guint8                  out_key[PDV_TICKET_SECRET_KEY_BYTES],
                                                GError                **error);

gboolean         pdv_ticket_token_is_signed    (const char             *text);
char            *pdv_ticket_token_sign         (const PdvTicketClaims  *claims,
                                                const guint8            secret_key[PDV_TICKET_SECRET_KEY_BYTES],
                                                GError                **error);
PdvTicketClaims *pdv_ticket_token_verify       (const char             *text,
                                                const guint8            public_key[PDV_TICKET_PUBLIC_KEY_BYTES],
                                                GError                **error);
char            *pdv_ticket_token_sign_compact (const PdvTicketClaims  *claims,
                                                const guint8            secret_key[PDV_TICKET_SECRET_KEY_BYTES],
                                                GError                **error);
void             pdv_ticket_event_tag          (const char             *event_id,
                                                guint8                  out_tag[PDV_TICKET_EVENT_TAG_BYTES]);
gboolean         pdv_ticket_claims_is_for_event (const PdvTicketClaims *claims,
                                                const char             *event_id);

char            *pdv_base45_encode             (const guint8           *data,
                                                gsize                   length);
GBytes          *pdv_base45_decode             (const char             *text);

G_END_DECLS

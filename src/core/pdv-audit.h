/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdv-db.h"
#include "pdv-report.h"

G_BEGIN_DECLS

/* What a manager audits: the sensitive things people did at the terminal. */
typedef enum {
  PDV_AUDIT_DRAWER      = 1 << 0,  /* the drawer opened without a sale */
  PDV_AUDIT_PINS        = 1 << 1,  /* wrong PINs and lockouts */
  PDV_AUDIT_OVERRIDES   = 1 << 2,  /* a manager's PIN allowed someone else */
  PDV_AUDIT_VOIDS       = 1 << 3,
  PDV_AUDIT_REFUNDS     = 1 << 4,
  PDV_AUDIT_DISCOUNTS   = 1 << 5,
  PDV_AUDIT_COUNTS      = 1 << 6,  /* closing counts refused, closes given up */
  PDV_AUDIT_GIVEN_UP    = 1 << 7,  /* sales being paid given up, payments handed back */
  PDV_AUDIT_IMPORTS     = 1 << 8,  /* event, catalog, tickets, users */
  PDV_AUDIT_SETTINGS    = 1 << 9,
  PDV_AUDIT_ALARMS      = 1 << 10, /* tamper alarms, and sales made while one stood */
} PdvAuditCategory;

#define PDV_AUDIT_ALL ((PdvAuditCategory) 0x7ff)

typedef struct {
  gint64            seq;
  char             *created_at;     /* UTC, ISO 8601 */
  PdvAuditCategory  category;
  char             *kind;           /* the journal entry's */
  char             *user;           /* who was at the terminal (id), may be NULL */
  char             *user_name;      /* their name, when known */
  char             *authorised_by;  /* the manager who allowed it, by name, may be NULL */
  char             *what;           /* for people: "Drawer opened: troco" */
} PdvAuditEvent;

typedef struct {
  PdvAuditCategory  categories;     /* 0: all */
  const char       *user;           /* someone's id, as operator or authoriser; NULL: anyone */
  GDateTime        *since;          /* NULL: from the start */
  GDateTime        *until;          /* NULL: up to now */
  guint             limit;          /* 0: PDV_AUDIT_DEFAULT_LIMIT */
} PdvAuditFilter;

#define PDV_AUDIT_DEFAULT_LIMIT 500

void          pdv_audit_event_free     (PdvAuditEvent      *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvAuditEvent, pdv_audit_event_free)

const char   *pdv_audit_category_label (PdvAuditCategory    category);
GPtrArray    *pdv_audit_list           (PdvDb              *db,
                                        const PdvAuditFilter *filter,
                                        GError            **error);
char         *pdv_audit_to_csv         (GPtrArray          *events,
                                        GTimeZone          *timezone,
                                        PdvCsvDialect       dialect);
gboolean      pdv_audit_write_pdf      (GPtrArray          *events,
                                        const char         *heading,
                                        GTimeZone          *timezone,
                                        const char         *path,
                                        GError            **error);

G_END_DECLS

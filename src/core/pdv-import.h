/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdv-journal.h"

G_BEGIN_DECLS

#define PDV_IMPORT_ERROR (pdv_import_error_quark ())

typedef enum {
  PDV_IMPORT_ERROR_READ,
  PDV_IMPORT_ERROR_ENCODING,
  PDV_IMPORT_ERROR_SYNTAX,
  PDV_IMPORT_ERROR_UNKNOWN_FORMAT,
  PDV_IMPORT_ERROR_MISSING_FIELD,
  PDV_IMPORT_ERROR_UNKNOWN_FIELD,
  PDV_IMPORT_ERROR_DUPLICATE,
  PDV_IMPORT_ERROR_INVALID_VALUE,
  PDV_IMPORT_ERROR_UNKNOWN_REFERENCE,
} PdvImportError;

typedef enum {
  PDV_IMPORT_KIND_AUTO,
  PDV_IMPORT_KIND_EVENT,
  PDV_IMPORT_KIND_CATALOG,    /* categories and products (JSON) */
  PDV_IMPORT_KIND_CATEGORIES, /* CSV */
  PDV_IMPORT_KIND_PRODUCTS,   /* CSV */
  PDV_IMPORT_KIND_TICKETS,
  PDV_IMPORT_KIND_USERS,
  PDV_IMPORT_KIND_REVOCATIONS, /* tickets that must no longer enter */
} PdvImportKind;

typedef struct {
  PdvImportKind kind;
  guint         n_categories;
  guint         n_products;
  guint         n_tickets;
  guint         n_users;
  guint         n_revocations;
  gint64        seq;          /* the journal entry that records the import */
} PdvImportResult;

/* Largest event, catalog or user file accepted, far above a real one. Ticket
 * and revocation lists are read a piece at a time and have no limit. */
#define PDV_IMPORT_MAX_BYTES (64 * 1024 * 1024)

/* One part of a list split for the sync server: a pdv-tickets or
 * pdv-revocations document of @n_items items. */
typedef gboolean (*PdvImportPartFunc) (const char  *document,
                                       gsize        length,
                                       guint        n_items,
                                       gpointer     user_data,
                                       GError     **error);

GQuark      pdv_import_error_quark (void);
const char *pdv_import_kind_name   (PdvImportKind     kind);
gboolean    pdv_import_kind_parse  (const char       *name,
                                    PdvImportKind    *out_kind);

gboolean    pdv_import_file        (PdvJournal       *journal,
                                    const char       *path,
                                    PdvImportKind     kind,
                                    const char       *user,
                                    PdvImportResult  *result,
                                    GError          **error);
gboolean    pdv_import_data        (PdvJournal       *journal,
                                    const char       *file_name,
                                    const char       *data,
                                    gsize             length,
                                    PdvImportKind     kind,
                                    const char       *user,
                                    PdvImportResult  *result,
                                    GError          **error);
gboolean    pdv_import_data_in_transaction (PdvJournal       *journal,
                                    const char       *file_name,
                                    const char       *data,
                                    gsize             length,
                                    PdvImportKind     kind,
                                    const char       *user,
                                    PdvImportResult  *result,
                                    GError          **error);
gboolean    pdv_import_data_in_steps (PdvJournal       *journal,
                                      const char       *file_name,
                                      const char       *data,
                                      gsize             length,
                                      PdvImportKind     kind,
                                      const char       *user,
                                      PdvImportResult  *result,
                                      GError          **error);
gboolean    pdv_import_split_list    (const char        *path,
                                      guint              part_items,
                                      PdvImportPartFunc  func,
                                      gpointer           user_data,
                                      gboolean          *out_not_list,
                                      GError           **error);

G_END_DECLS

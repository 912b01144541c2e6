/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-clock.h"

G_BEGIN_DECLS

#define PDV_DB_ERROR (pdv_db_error_quark ())

typedef enum {
  PDV_DB_ERROR_OPEN,
  PDV_DB_ERROR_SQL,
  PDV_DB_ERROR_BUSY,
  PDV_DB_ERROR_TOO_NEW,
  PDV_DB_ERROR_MIGRATION,
  PDV_DB_ERROR_CORRUPT,
  PDV_DB_ERROR_NOT_INITIALISED,
  PDV_DB_ERROR_READ_ONLY,
} PdvDbError;

/* A checkpoint is wanted once the write-ahead log holds this many pages
 * (SQLite's default), and made inside the commit, deferred or not, once it
 * holds the limit. */
#define PDV_DB_CHECKPOINT_FRAMES       1000
#define PDV_DB_CHECKPOINT_LIMIT_FRAMES 4000

/* The terminal database. Only the core reads and writes it (its statements
 * are in pdv-db-private.h); everyone else calls the core. */
#define PDV_TYPE_DB (pdv_db_get_type ())
G_DECLARE_FINAL_TYPE (PdvDb, pdv_db, PDV, DB, GObject)

typedef void (*PdvDbWaiting) (PdvDb    *db,
                              gpointer  user_data);

GQuark        pdv_db_error_quark          (void);

/* The schema version this build writes. */
int           pdv_db_schema_version       (void);

PdvDb        *pdv_db_open                 (const char  *path,
                                           GError     **error);
PdvDb        *pdv_db_open_read_only       (const char  *path,
                                           GError     **error);
PdvDb        *pdv_db_open_at_version      (const char  *path,
                                           int          version,
                                           GError     **error);
const char   *pdv_db_get_path             (PdvDb       *self);
gboolean      pdv_db_is_read_only         (PdvDb       *self);
void          pdv_db_wait_patiently       (PdvDb       *self,
                                           PdvDbWaiting waiting,
                                           gpointer     user_data);
PdvClock     *pdv_db_get_clock            (PdvDb       *self);
void          pdv_db_set_clock            (PdvDb       *self,
                                           PdvClock    *clock);
int           pdv_db_get_user_version     (PdvDb       *self);

gboolean      pdv_db_begin                (PdvDb       *self,
                                           GError     **error);
gboolean      pdv_db_commit               (PdvDb       *self,
                                           GError     **error);
void          pdv_db_rollback             (PdvDb       *self);
gboolean      pdv_db_in_transaction       (PdvDb       *self);

char         *pdv_db_get_meta             (PdvDb       *self,
                                           const char  *key);
gboolean      pdv_db_set_meta             (PdvDb       *self,
                                           const char  *key,
                                           const char  *value,
                                           GError     **error);

gboolean      pdv_db_backup               (PdvDb       *self,
                                           const char  *path,
                                           GError     **error);

void          pdv_db_set_deferred_checkpoints (PdvDb    *self,
                                               gboolean  deferred);
gboolean      pdv_db_checkpoint_is_due    (PdvDb       *self);
gboolean      pdv_db_checkpoint_if_due    (PdvDb       *self,
                                           GError     **error);
int           pdv_db_get_wal_frames       (PdvDb       *self);

G_END_DECLS

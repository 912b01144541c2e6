/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The terminal database's SQL, for the core's own sources (and the core's
 * unit tests). Nothing outside src/core includes this. */

#include <sqlite3.h>

#include "pdv-db.h"
#include "pdv-entry-kinds.h"

/* The index of the journal by kind leaves out the kinds written most often
 * and never looked up by kind (a page less for each: scans at the door and
 * at the bar's counter, sales, which their projections list, payments): a
 * query by kind adds "AND " PDV_JOURNAL_KIND_INDEXED, word for word, to
 * use it. */
#define PDV_JOURNAL_KIND_INDEXED \
  "kind NOT IN ('" PDV_ENTRY_CHECKIN "', '" PDV_ENTRY_SALE "', '" PDV_ENTRY_PAYMENT_TAKEN "', '" \
  PDV_ENTRY_PAYMENT_CANCEL "', '" PDV_ENTRY_FICHA_REDEEM "')"

G_BEGIN_DECLS

sqlite3      *pdv_db_get_handle           (PdvDb        *self);
sqlite3_stmt *pdv_db_prepare              (PdvDb        *self,
                                           const char   *sql,
                                           GError      **error);
gboolean      pdv_db_exec                 (PdvDb        *self,
                                           const char   *sql,
                                           GError      **error);
gboolean      pdv_db_step_done            (PdvDb        *self,
                                           sqlite3_stmt *stmt,
                                           GError      **error);
gboolean      pdv_db_set_error            (PdvDb        *self,
                                           GError      **error,
                                           const char   *what);

PdvDb        *pdv_db_copy_to_memory       (PdvDb       *self,
                                           GError     **error);

G_END_DECLS

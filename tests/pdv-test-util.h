/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-core.h"

G_BEGIN_DECLS

char       *pdv_test_make_tmpdir      (void);
void        pdv_test_remove_tree      (const char *path);
PdvContext *pdv_test_open_terminal    (const char *dir,
                                       gboolean    with_demo);
void        pdv_test_set_door_time    (PdvCheckin *checkin,
                                       GDateTime  *now);
PdvContext *pdv_test_open_named_terminal (const char *dir,
                                          const char *terminal_name,
                                          gboolean    with_demo);
char       *pdv_test_data_path        (const char *name);
const char *pdv_test_demo_dir         (void);
json_t     *pdv_test_payload          (const char *text);

PdvUser    *pdv_test_login            (PdvDb      *db,
                                       const char *user_id,
                                       const char *pin);
PdvProduct *pdv_test_lookup_product   (PdvCatalog *catalog,
                                       const char *product_id);
PdvMoney    pdv_test_price_of         (PdvCatalog *catalog,
                                       const char *product_id);
gint64      pdv_test_stock_of         (PdvCatalog *catalog,
                                       const char *product_id);
char       *pdv_test_sell             (PdvContext       *context,
                                       const char       *user,
                                       const char       *authorised_by,
                                       const char       *product_id,
                                       gint64            qty,
                                       PdvPaymentMethod  method);
json_t     *pdv_test_sell_fichas      (PdvContext *context,
                                       const char *product_id,
                                       gint64      qty,
                                       char      **out_sale_id);
void        pdv_test_scan_ticket      (PdvCheckin *checkin,
                                       const char *secret);
PdvJournalEntry *pdv_test_journal_entry_at   (PdvJournal *journal,
                                              gint64      seq);
PdvJournalEntry *pdv_test_journal_last_entry (PdvJournal *journal);

/* What a spawned program did. */
typedef struct {
  int   status;   /* exit status, or 128 + signal */
  char *out;
  char *err;
} PdvTestRun;

void        pdv_test_run_clear        (PdvTestRun         *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdvTestRun, pdv_test_run_clear)
void        pdv_test_spawn            (const char * const *argv,
                                       const char         *locale,
                                       PdvTestRun         *run);
void        pdv_test_pdvctl           (const char         *db,
                                       const char         *locale,
                                       PdvTestRun         *run,
                                       const char * const *args);

PdvReceipt *pdv_test_load_receipt     (const char         *name);

typedef gboolean (*PdvTestLineFunc) (const char *line,
                                     gpointer    data);
void        pdv_test_read_lines       (int                 fd,
                                       GString            *pending,
                                       gint64              deadline,
                                       gboolean            drain,
                                       PdvTestLineFunc     line_cb,
                                       gpointer            data);
void        pdv_test_kill_tills       (const char         *db_path,
                                       const char * const *argv,
                                       guint               rounds,
                                       guint              *out_paid,
                                       guint              *out_reopened);

G_END_DECLS

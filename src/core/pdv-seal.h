/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-journal.h"

G_BEGIN_DECLS

/* Tamper evidence for the state a terminal keeps outside its projections:
 * the catalog, users, tickets and revocations it imported, the event, and
 * the settings kept in its database.
 *
 * Every row of an imported table carries a seal (the first 8 bytes of the
 * SHA-256 of its canonical form), and each import journals the sum of its
 * set's row hashes as it leaves them ("seal" in the entry's payload). Each
 * settings change journals every guarded setting as it stands. Verification
 * recomputes both from the tables and names the first row or setting that
 * differs from what was journalled. */

typedef enum {
  PDV_SEAL_CATALOG,
  PDV_SEAL_USERS,
  PDV_SEAL_TICKETS,
  PDV_SEAL_REVOCATIONS,
  PDV_SEAL_N_SETS
} PdvSealSet;

/* A sum of row hashes: 4 lanes added modulo 2^64, which an import updates
 * row by row. */
typedef struct {
  guint64 lane[4];
  gint64  rows;
} PdvSealSum;

const char *pdv_seal_set_name          (PdvSealSet          set);
PdvSealSet  pdv_seal_set_for_kind      (const char         *entry_kind);

void        pdv_seal_hash_row          (const char         *table,
                                        const char * const *values,
                                        guint               n_values,
                                        guint8              hash[32]);
gint64      pdv_seal_of_hash           (const guint8        hash[32]);
void        pdv_seal_sum_add           (PdvSealSum         *sum,
                                        const guint8        hash[32]);
void        pdv_seal_sum_remove        (PdvSealSum         *sum,
                                        const guint8        hash[32]);
json_t     *pdv_seal_sum_to_json       (const PdvSealSum   *sum);

gboolean    pdv_seal_get_running       (PdvDb              *db,
                                        PdvSealSet          set,
                                        PdvSealSum         *sum,
                                        GError            **error);
gboolean    pdv_seal_put_running       (PdvDb              *db,
                                        PdvSealSet          set,
                                        const PdvSealSum   *sum,
                                        GError            **error);
gboolean    pdv_seal_recompute         (PdvDb              *db,
                                        PdvSealSet          set,
                                        PdvSealSum         *sum,
                                        GError            **error);

json_t     *pdv_seal_settings_snapshot (PdvDb              *db);
json_t     *pdv_seal_event_snapshot    (PdvDb              *db);

#define PDV_SEAL_ERROR (pdv_seal_error_quark ())

typedef enum {
  PDV_SEAL_ERROR_ROW_CHANGED,      /* a row differs from its seal */
  PDV_SEAL_ERROR_SET_CHANGED,      /* rows added, removed or resealed */
  PDV_SEAL_ERROR_SETTING_CHANGED,  /* a setting or the event differs from the journal */
} PdvSealError;

GQuark      pdv_seal_error_quark       (void);
gboolean    pdv_seal_restore_meta      (PdvJournal         *journal,
                                        GError            **error);
gboolean    pdv_seal_verify            (PdvJournal         *journal,
                                        GPtrArray          *notes,
                                        GError            **error);

/* The alarm a damaged journal or state raises: kept in the database,
 * journalled when raised and when cleared, and marked on every sale made
 * while it stands. */
char       *pdv_alarm_get              (PdvDb              *db);
gboolean    pdv_alarm_raise            (PdvJournal         *journal,
                                        const char         *reason,
                                        GError            **error);
gboolean    pdv_alarm_clear            (PdvJournal         *journal,
                                        const char         *user,
                                        GError            **error);
gboolean    pdv_alarm_follow_check     (PdvJournal         *journal,
                                        const GError       *check_error,
                                        GError            **error);
gboolean    pdv_check_state            (PdvJournal         *journal,
                                        gboolean            with_projections,
                                        gint64             *out_entries,
                                        gint64             *out_bad_seq,
                                        GPtrArray          *notes,
                                        GError            **error);

G_END_DECLS

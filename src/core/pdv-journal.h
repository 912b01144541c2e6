/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <jansson.h>

#include "pdv-db.h"
#include "pdv-entry-kinds.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

#define PDV_JOURNAL_ERROR (pdv_journal_error_quark ())

typedef enum {
  PDV_JOURNAL_ERROR_NOT_INITIALISED,
  PDV_JOURNAL_ERROR_ALREADY_INITIALISED,
  PDV_JOURNAL_ERROR_INVALID,
  PDV_JOURNAL_ERROR_BROKEN_CHAIN,
  PDV_JOURNAL_ERROR_PROJECTION_DIVERGED,
  PDV_JOURNAL_ERROR_REFUSED,
} PdvJournalError;

/* The prev_hash of the first entry of every terminal. */
#define PDV_JOURNAL_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct {
  gint64  seq;
  char   *id;
  char   *terminal;
  char   *kind;
  char   *created_at;   /* UTC, ISO 8601 with microseconds */
  gint64  mono_us;      /* g_get_monotonic_time() when appended */
  char   *user;         /* may be NULL */
  char   *payload_text; /* canonical JSON */
  json_t *payload;
  char   *prev_hash;
  char   *hash;
} PdvJournalEntry;

#define PDV_TYPE_JOURNAL_ENTRY (pdv_journal_entry_get_type ())
GType             pdv_journal_entry_get_type  (void) G_GNUC_CONST;
PdvJournalEntry  *pdv_journal_entry_copy      (const PdvJournalEntry *entry);
void              pdv_journal_entry_free      (PdvJournalEntry       *entry);
json_t           *pdv_journal_entry_to_json   (const PdvJournalEntry *entry);
char             *pdv_journal_entry_compute_hash (const PdvJournalEntry *entry);
char             *pdv_journal_entry_compute_hash_from_text (const PdvJournalEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvJournalEntry, pdv_journal_entry_free)

/* A table kept from the journal in the same transaction as each entry. */
typedef struct {
  const char *name;
  /* Empties the tables the projection owns. */
  const char *clear_sql;
  /* Every row the projection owns, in a stable order: what verify compares. */
  const char *dump_sql;
  gboolean  (*apply) (PdvDb                 *db,
                      const PdvJournalEntry *entry,
                      GError               **error);
  /* Optional: fills in, after clearing, what the projection keeps from
   * outside the journal (other gates' scans), before the journal replays. */
  gboolean  (*reset) (PdvDb                 *db,
                      GError               **error);
} PdvProjection;

#define PDV_TYPE_JOURNAL (pdv_journal_get_type ())
G_DECLARE_FINAL_TYPE (PdvJournal, pdv_journal, PDV, JOURNAL, GObject)

GQuark            pdv_journal_error_quark       (void);
gboolean          pdv_journal_kind_is_valid     (const char   *kind);

PdvJournal       *pdv_journal_new               (PdvDb        *db);
PdvDb            *pdv_journal_get_db            (PdvJournal   *self);
const char       *pdv_journal_get_terminal_id   (PdvJournal   *self);
gboolean          pdv_journal_is_initialised    (PdvJournal   *self);
gboolean          pdv_journal_initialise        (PdvJournal   *self,
                                                 const char   *terminal_name,
                                                 GError      **error);

PdvJournalEntry  *pdv_journal_append            (PdvJournal   *self,
                                                 const char   *kind,
                                                 const char   *user,
                                                 json_t       *payload,
                                                 GError      **error);
PdvJournalEntry  *pdv_journal_append_in_transaction (PdvJournal *self,
                                                 const char   *kind,
                                                 const char   *user,
                                                 json_t       *payload,
                                                 GError      **error);

gint64            pdv_journal_get_last_seq      (PdvJournal   *self);
gboolean          pdv_journal_record_setting    (PdvJournal   *self,
                                                 const char   *user,
                                                 const char   *setting,
                                                 const char   *value,
                                                 GError      **error);
void              pdv_journal_announce          (PdvJournal   *self,
                                                 gint64        seq,
                                                 const char   *kind);
GPtrArray        *pdv_journal_list              (PdvJournal   *self,
                                                 gint64        since_seq,
                                                 gint64        limit,
                                                 GError      **error);

gboolean          pdv_journal_verify_chain      (PdvJournal   *self,
                                                 gint64       *out_entries,
                                                 gint64       *out_bad_seq,
                                                 GError      **error);
gboolean          pdv_journal_verify_projections (PdvJournal  *self,
                                                 GError      **error);
gboolean          pdv_journal_verify            (PdvJournal   *self,
                                                 gint64       *out_entries,
                                                 gint64       *out_bad_seq,
                                                 GError      **error);
gboolean          pdv_journal_rebuild           (PdvJournal   *self,
                                                 gint64       *out_entries,
                                                 GError      **error);

/* pdv-journal-recover.c */
typedef struct {
  gint64 common_seq;   /* the last entry the terminal and the server agreed on */
  gint64 recovered;    /* entries the server gave back */
  gint64 rewritten;    /* entries made since the restore, written again after them */
  gint64 marker_seq;   /* the journal.recover entry between the two */
  gint64 last_seq;
} PdvJournalRecovery;

gboolean          pdv_journal_recover           (PdvJournal   *self,
                                                 gint64        common_seq,
                                                 GPtrArray    *history,
                                                 const char   *source,
                                                 const char   *user,
                                                 PdvJournalRecovery *out,
                                                 GError      **error);

char             *pdv_canonical_json            (json_t       *value);
gboolean          pdv_json_find_fraction        (json_t       *value,
                                                 char        **out_path);
char             *pdv_journal_format_time       (GDateTime    *time);

G_END_DECLS

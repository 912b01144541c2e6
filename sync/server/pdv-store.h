/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-clock.h"

#include <glib-object.h>

G_BEGIN_DECLS

/* The storage schema, written once for both backends: @INT is a 64-bit
 * integer, @SERIAL an auto-incrementing key, @BOOL a flag. */
#define PDV_STORE_SCHEMA_SQL(INT, SERIAL, BOOL, SUM) \
  "CREATE TABLE IF NOT EXISTS terminals (" \
  "  id          TEXT PRIMARY KEY," \
  "  name        TEXT NOT NULL," \
  "  token_hash  TEXT UNIQUE," \
  "  last_seq    " INT " NOT NULL DEFAULT 0," \
  "  last_hash   TEXT NOT NULL," \
  "  last_seen   TEXT," \
  "  enrolled_at TEXT NOT NULL" \
  ");" \
  "CREATE TABLE IF NOT EXISTS entries (" \
  "  terminal   TEXT NOT NULL REFERENCES terminals (id)," \
  "  seq        " INT " NOT NULL," \
  "  id         TEXT NOT NULL UNIQUE," \
  "  kind       TEXT NOT NULL," \
  "  created_at TEXT NOT NULL," \
  "  mono_us    " INT " NOT NULL," \
  "  user_id    TEXT," \
  "  payload    TEXT NOT NULL," \
  "  prev_hash  TEXT NOT NULL," \
  "  hash       TEXT NOT NULL," \
  "  status     TEXT NOT NULL," \
  "  PRIMARY KEY (terminal, seq)" \
  ");" \
  "CREATE INDEX IF NOT EXISTS entries_by_kind ON entries (kind);" \
  "CREATE TABLE IF NOT EXISTS enrolments (" \
  "  code_hash     TEXT PRIMARY KEY," \
  "  terminal_name TEXT NOT NULL," \
  "  created_at    TEXT NOT NULL," \
  "  expires_at    TEXT NOT NULL," \
  "  used_at       TEXT" \
  ");" \
  "CREATE TABLE IF NOT EXISTS admissions (" \
  "  position  " SERIAL "," \
  "  ticket_id TEXT NOT NULL," \
  "  terminal  TEXT NOT NULL," \
  "  seq       " INT " NOT NULL," \
  "  direction TEXT NOT NULL," \
  "  at        TEXT," \
  "  gate      TEXT," \
  "  conflict  " BOOL " NOT NULL" \
  ");" \
  "CREATE INDEX IF NOT EXISTS admissions_by_ticket ON admissions (ticket_id, position);" \
  "CREATE TABLE IF NOT EXISTS conflicts (" \
  "  id         TEXT PRIMARY KEY," \
  "  ticket_id  TEXT NOT NULL," \
  "  created_at TEXT NOT NULL," \
  "  data       TEXT NOT NULL" \
  ");" \
  "CREATE TABLE IF NOT EXISTS changes (" \
  "  cursor   " SERIAL "," \
  "  type     TEXT NOT NULL," \
  "  terminal TEXT," \
  "  data     TEXT NOT NULL" \
  ");" \
  "CREATE TABLE IF NOT EXISTS documents (" \
  "  position   " SERIAL "," \
  "  type       TEXT NOT NULL," \
  "  body       TEXT NOT NULL," \
  "  created_at TEXT NOT NULL," \
  "  cursor     " INT " NOT NULL" \
  ");" \
  "CREATE INDEX IF NOT EXISTS documents_by_type ON documents (type, position);" \
  "CREATE INDEX IF NOT EXISTS documents_by_cursor ON documents (type, cursor);" \
  "CREATE TABLE IF NOT EXISTS totals (" \
  "  terminal TEXT NOT NULL," \
  "  kind     TEXT NOT NULL," \
  "  key      TEXT NOT NULL," \
  "  a        " SUM " NOT NULL DEFAULT 0," \
  "  b        " SUM " NOT NULL DEFAULT 0," \
  "  c        " SUM " NOT NULL DEFAULT 0," \
  "  name     TEXT," \
  "  PRIMARY KEY (terminal, kind, key)" \
  ");" \
  "CREATE TABLE IF NOT EXISTS presence (" \
  "  ticket_id TEXT PRIMARY KEY," \
  "  at        TEXT NOT NULL," \
  "  zone      TEXT," \
  "  inside    " BOOL " NOT NULL" \
  ");" \
  "CREATE TABLE IF NOT EXISTS voided_sales (" \
  "  id TEXT PRIMARY KEY" \
  ");" \
  "CREATE TABLE IF NOT EXISTS terminal_status (" \
  "  id              TEXT PRIMARY KEY," \
  "  heard_at        TEXT NOT NULL," \
  "  version         TEXT," \
  "  waiting         " INT "," \
  "  oldest_unsynced TEXT" \
  ");" \
  "CREATE TABLE IF NOT EXISTS panel_documents (" \
  "  key     TEXT PRIMARY KEY," \
  "  version " INT " NOT NULL," \
  "  value   TEXT NOT NULL" \
  ");" \
  "CREATE TABLE IF NOT EXISTS panel_accounts (" \
  "  name          TEXT PRIMARY KEY," \
  "  role          TEXT NOT NULL," \
  "  password_hash TEXT NOT NULL," \
  "  created_at    TEXT NOT NULL" \
  ");" \
  /* Panel sessions logged out before their end (Unix seconds): a copy of \
   * the cookie is refused at every server from then on. */ \
  "CREATE TABLE IF NOT EXISTS panel_sessions_ended (" \
  "  id         TEXT PRIMARY KEY," \
  "  expires_at " INT " NOT NULL" \
  ");"

#define PDV_STORE_ERROR (pdv_store_error_quark ())

typedef enum {
  PDV_STORE_ERROR_UNAVAILABLE,  /* cannot reach or use the storage: retry later */
  PDV_STORE_ERROR_FAILED,       /* a statement failed */
  PDV_STORE_ERROR_TOO_NEW,      /* the schema was written by a newer pdv-syncd */
} PdvStoreError;

/* The schema version this build writes, in both backends. */
#define PDV_STORE_SCHEMA_VERSION 6

typedef struct {
  char   *id;
  char   *name;
  gint64  last_seq;
  char   *last_hash;
  char   *last_seen;   /* may be NULL */
} PdvStoreTerminal;

typedef struct {
  char   *terminal_name;
  char   *expires_at;
  char   *used_at;     /* NULL while unused */
} PdvStoreEnrolment;

/* What a terminal said of itself when it was last heard from. */
typedef struct {
  char   *id;
  char   *heard_at;
  char   *version;          /* "pdv/0.1.0", may be NULL */
  gint64  waiting;          /* entries it has not sent yet; -1: it did not say */
  char   *oldest_unsynced;  /* when the oldest of them was made; may be NULL */
} PdvStoreTerminalStatus;

/* Who may open the organiser's panel (pdv-sync-panel.c). */
typedef struct {
  char   *name;
  char   *role;           /* "organiser", "bar" or "door" */
  char   *password_hash;  /* Argon2id, crypto_pwhash_str() */
  char   *created_at;
} PdvStorePanelAccount;

/* An entry as stored; payload is its canonical JSON text. */
typedef struct {
  char   *terminal;
  gint64  seq;
  char   *id;
  char   *kind;
  char   *created_at;
  gint64  mono_us;
  char   *user;        /* may be NULL */
  char   *payload;
  char   *prev_hash;
  char   *hash;
  char   *status;      /* "accepted" or "conflict" */
} PdvStoreEntry;

/* An accepted entry or exit of a ticket, in the order the server stored it. */
typedef struct {
  gint64    position;
  char     *terminal;
  gint64    seq;
  char     *direction;  /* "entry" or "exit" */
  char     *at;
  char     *gate;
  gboolean  conflict;   /* an entry that lost its arbitration */
} PdvStoreAdmission;

typedef struct {
  gint64  cursor;
  char   *type;
  char   *terminal;    /* the terminal it came from, or NULL */
  char   *data;        /* JSON text */
} PdvStoreChange;

/* A running total, summed over the terminals that added to it: what the
 * report reads instead of the entries. */
typedef struct {
  char   *kind;
  char   *key;
  gint64  a;
  gint64  b;
  gint64  c;
  char   *name;        /* may be NULL */
} PdvStoreTotal;

/* An amount to add to a running total (pdv_store_add_totals()). */
typedef struct {
  const char *terminal;
  const char *kind;
  const char *key;
  gint64      a;
  gint64      b;
  gint64      c;
  const char *name;        /* may be NULL */
} PdvStoreTotalDelta;

/* A ticket's latest scan that let it in or out. */
typedef struct {
  char     *at;
  char     *zone;      /* may be NULL */
  gboolean  inside;
} PdvStorePresence;

typedef enum {
  PDV_STORE_COUNT_TERMINALS,
  PDV_STORE_COUNT_CONFLICTS,
} PdvStoreCount;

typedef gboolean (*PdvStoreEntryFunc) (const PdvStoreEntry *entry,
                                       gpointer             user_data);

void pdv_store_terminal_free  (PdvStoreTerminal  *terminal);
void pdv_store_enrolment_free (PdvStoreEnrolment *enrolment);
void pdv_store_entry_free     (PdvStoreEntry     *entry);
void pdv_store_admission_free (PdvStoreAdmission *admission);
void pdv_store_change_free    (PdvStoreChange    *change);
void pdv_store_total_free     (PdvStoreTotal     *total);
void pdv_store_presence_free  (PdvStorePresence  *presence);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvStoreTerminal, pdv_store_terminal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvStoreEnrolment, pdv_store_enrolment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvStoreEntry, pdv_store_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvStorePresence, pdv_store_presence_free)

#define PDV_TYPE_STORE (pdv_store_get_type ())
G_DECLARE_DERIVABLE_TYPE (PdvStore, pdv_store, PDV, STORE, GObject)

/*
 * What the sync protocol needs from a database. One store is one connection,
 * used by one thread at a time; a server opens several of one location to
 * serve requests side by side. Every method works inside the
 * transaction the caller opened with begin(); the protocol code decides, the
 * backend only reads and writes rows. Lookups return TRUE with *out = NULL
 * when there is no such row, FALSE with @error set when the storage failed.
 */
struct _PdvStoreClass
{
  GObjectClass parent_class;

  const char *backend_name;

  gboolean  (*ping)             (PdvStore            *self,
                                 GError             **error);
  /* A write transaction serialises with every other writer of the same rows
   * (BEGIN IMMEDIATE in SQLite); a read one sees one consistent snapshot. */
  gboolean  (*begin)            (PdvStore            *self,
                                 gboolean             write,
                                 GError             **error);
  gboolean  (*commit)           (PdvStore            *self,
                                 GError             **error);
  void      (*rollback)         (PdvStore            *self);

  /* Held until the transaction ends: pushes of one terminal, arbitrations of
   * one ticket, and appends to the change feed each run one at a time, even
   * across several servers on one database. Tickets in the order given. */
  gboolean  (*lock_tickets)     (PdvStore            *self,
                                 const char * const  *ticket_ids,
                                 guint                n_tickets,
                                 GError             **error);
  gboolean  (*lock_changes)     (PdvStore            *self,
                                 GError             **error);

  gboolean  (*find_terminal)    (PdvStore            *self,
                                 const char          *id,
                                 gboolean             lock,
                                 PdvStoreTerminal   **out,
                                 GError             **error);
  gboolean  (*find_terminal_by_token) (PdvStore      *self,
                                 const char          *token_hash,
                                 PdvStoreTerminal   **out,
                                 GError             **error);
  /* Creates the terminal, or gives a known one its new name and token. */
  gboolean  (*enrol_terminal)   (PdvStore            *self,
                                 const char          *id,
                                 const char          *name,
                                 const char          *token_hash,
                                 const char          *now,
                                 GError             **error);
  gboolean  (*advance_terminal) (PdvStore            *self,
                                 const char          *id,
                                 gint64               last_seq,
                                 const char          *last_hash,
                                 const char          *now,
                                 GError             **error);
  GPtrArray *(*list_terminals)  (PdvStore            *self,
                                 GError             **error);
  gboolean  (*count)            (PdvStore            *self,
                                 PdvStoreCount        what,
                                 gint64              *out,
                                 GError             **error);

  gboolean  (*add_enrolment)    (PdvStore            *self,
                                 const char          *code_hash,
                                 const char          *terminal_name,
                                 const char          *created_at,
                                 const char          *expires_at,
                                 GError             **error);
  /* Locks the row until the transaction ends. */
  gboolean  (*find_enrolment)   (PdvStore            *self,
                                 const char          *code_hash,
                                 PdvStoreEnrolment  **out,
                                 GError             **error);
  gboolean  (*spend_enrolment)  (PdvStore            *self,
                                 const char          *code_hash,
                                 const char          *used_at,
                                 GError             **error);

  gboolean  (*find_entry)       (PdvStore            *self,
                                 const char          *terminal,
                                 gint64               seq,
                                 PdvStoreEntry      **out,
                                 GError             **error);
  /* What a push reads and writes, a batch at a time (each statement may
   * cost a round trip): the ids of @ids already stored, added to @taken;
   * @n_rows entries at once. */
  gboolean  (*find_taken_ids)   (PdvStore            *self,
                                 const char * const  *ids,
                                 guint                n_ids,
                                 GHashTable          *taken,
                                 GError             **error);
  gboolean  (*add_entries)      (PdvStore            *self,
                                 const PdvStoreEntry *rows,
                                 guint                n_rows,
                                 GError             **error);
  /* Calls @func for every entry of one of @kinds, by terminal and seq,
   * until it returns FALSE, inside the caller's transaction; @func may use
   * the store. */
  gboolean  (*scan_entries)     (PdvStore            *self,
                                 const char * const  *kinds,
                                 PdvStoreEntryFunc    func,
                                 gpointer             user_data,
                                 GError             **error);

  /* See pdv_store_list_admissions_many() and pdv_store_add_admissions(). */
  gboolean  (*list_admissions_many) (PdvStore        *self,
                                 const char * const  *ticket_ids,
                                 guint                n_tickets,
                                 GHashTable          *out,
                                 GError             **error);
  gboolean  (*add_admissions)   (PdvStore            *self,
                                 const char * const  *ticket_ids,
                                 const PdvStoreAdmission *admissions,
                                 guint                n_admissions,
                                 GError             **error);
  gboolean  (*add_conflict)     (PdvStore            *self,
                                 const char          *id,
                                 const char          *ticket_id,
                                 const char          *created_at,
                                 const char          *data,
                                 GError             **error);

  /* Returns the new cursor, or 0 with @error set. */
  gint64    (*add_change)       (PdvStore            *self,
                                 const char          *type,
                                 const char          *terminal,
                                 const char          *data,
                                 GError             **error);
  /* Several at once, cursors in the order given. */
  gboolean  (*add_changes)      (PdvStore            *self,
                                 const char * const  *types,
                                 const char * const  *terminals,
                                 const char * const  *data,
                                 guint                n_changes,
                                 GError             **error);
  GPtrArray *(*list_changes)    (PdvStore            *self,
                                 gint64               since,
                                 gint64               limit,
                                 GError             **error);

  gboolean  (*add_document)     (PdvStore            *self,
                                 const char          *type,
                                 const char          *body,
                                 const char          *created_at,
                                 gint64               cursor,
                                 GError             **error);
  /* The documents of @type after the change @after as texts, oldest first;
   * with @out_cursors, the change of each. */
  GPtrArray *(*list_documents)  (PdvStore            *self,
                                 const char          *type,
                                 gint64               after,
                                 GArray              *out_cursors,
                                 GError             **error);

  /* The report's running totals. add_total() adds to the row of
   * (@terminal, @kind, @key); list_totals() sums every terminal's. A
   * rebuild takes lock_totals() exclusively, pushes share it. */
  gboolean  (*lock_totals)      (PdvStore            *self,
                                 gboolean             exclusive,
                                 GError             **error);
  /* Several at once, in the order given. */
  gboolean  (*add_totals)       (PdvStore            *self,
                                 const PdvStoreTotalDelta *deltas,
                                 guint                n_deltas,
                                 GError             **error);
  GPtrArray *(*list_totals)     (PdvStore            *self,
                                 GError             **error);
  gboolean  (*clear_totals)     (PdvStore            *self,
                                 GError             **error);
  /* A batch's tickets at once. */
  gboolean  (*find_presences)   (PdvStore            *self,
                                 const char * const  *ticket_ids,
                                 guint                n_tickets,
                                 GHashTable          *out,
                                 GError             **error);
  gboolean  (*put_presences)    (PdvStore            *self,
                                 const char * const  *ticket_ids,
                                 const PdvStorePresence *presences,
                                 guint                n_tickets,
                                 GError             **error);
  /* Sets *out_newly when the sale was not marked before. */
  gboolean  (*mark_voided)      (PdvStore            *self,
                                 const char          *sale_id,
                                 gboolean            *out_newly,
                                 GError             **error);
  gboolean  (*find_entry_by_id) (PdvStore            *self,
                                 const char          *id,
                                 PdvStoreEntry      **out,
                                 GError             **error);

  /* The panel's accounts, and a value kept once for every server: the
   * first @value given for @key stays, and *out_value is what stays. */
  gboolean  (*put_panel_account) (PdvStore                  *self,
                                  const PdvStorePanelAccount *account,
                                  GError                   **error);
  gboolean  (*find_panel_account) (PdvStore                 *self,
                                   const char               *name,
                                   PdvStorePanelAccount    **out,
                                   GError                  **error);
  /* A panel session logged out: refused from now until @expires_at (Unix
   * seconds), when it would have ended anyway; those over by @now are
   * forgotten. */
  gboolean  (*end_panel_session) (PdvStore                  *self,
                                  const char                *id,
                                  gint64                     expires_at,
                                  gint64                     now,
                                  GError                   **error);
  gboolean  (*panel_session_ended) (PdvStore                *self,
                                    const char              *id,
                                    gboolean                *out_ended,
                                    GError                 **error);
  gboolean  (*keep_meta)         (PdvStore                  *self,
                                  const char                *key,
                                  const char                *value,
                                  char                     **out_value,
                                  GError                   **error);
  /* The panel's documents (its rules, alerts, webhooks), each changed only
   * from the version read: see pdv_store_put_panel_document(). */
  gboolean  (*get_panel_document) (PdvStore                 *self,
                                   const char               *key,
                                   char                    **out_value,
                                   gint64                   *out_version,
                                   GError                  **error);
  gboolean  (*put_panel_document) (PdvStore                 *self,
                                   const char               *key,
                                   const char               *value,
                                   gint64                    version,
                                   gboolean                 *out_put,
                                   GError                  **error);

  gboolean  (*put_terminal_status) (PdvStore                *self,
                                    const PdvStoreTerminalStatus *status,
                                    GError                 **error);
  GPtrArray *(*list_terminal_status) (PdvStore               *self,
                                      GError                **error);

  gpointer padding[1];
};

PdvClock *pdv_store_get_clock (PdvStore *self);
gint64    pdv_store_cursor_floor (PdvStore *self);

GQuark      pdv_store_error_quark          (void);

PdvStore   *pdv_store_open                 (const char          *location,
                                            GError             **error);
const char *pdv_store_get_backend_name     (PdvStore            *self);
const char *pdv_store_get_location         (PdvStore            *self);

gboolean    pdv_store_ping                 (PdvStore            *self,
                                            GError             **error);
gboolean    pdv_store_begin                (PdvStore            *self,
                                            gboolean             write,
                                            GError             **error);
gboolean    pdv_store_commit               (PdvStore            *self,
                                            GError             **error);
void        pdv_store_rollback             (PdvStore            *self);
gboolean    pdv_store_lock_tickets         (PdvStore            *self,
                                            const char * const  *ticket_ids,
                                            guint                n_tickets,
                                            GError             **error);
gboolean    pdv_store_lock_changes         (PdvStore            *self,
                                            GError             **error);
gboolean    pdv_store_find_terminal        (PdvStore            *self,
                                            const char          *id,
                                            gboolean             lock,
                                            PdvStoreTerminal   **out,
                                            GError             **error);
gboolean    pdv_store_find_terminal_by_token (PdvStore          *self,
                                            const char          *token_hash,
                                            PdvStoreTerminal   **out,
                                            GError             **error);
gboolean    pdv_store_enrol_terminal       (PdvStore            *self,
                                            const char          *id,
                                            const char          *name,
                                            const char          *token_hash,
                                            const char          *now,
                                            GError             **error);
gboolean    pdv_store_advance_terminal     (PdvStore            *self,
                                            const char          *id,
                                            gint64               last_seq,
                                            const char          *last_hash,
                                            const char          *now,
                                            GError             **error);
GPtrArray  *pdv_store_list_terminals       (PdvStore            *self,
                                            GError             **error);
gboolean    pdv_store_count                (PdvStore            *self,
                                            PdvStoreCount        what,
                                            gint64              *out,
                                            GError             **error);
gboolean    pdv_store_add_enrolment        (PdvStore            *self,
                                            const char          *code_hash,
                                            const char          *terminal_name,
                                            const char          *created_at,
                                            const char          *expires_at,
                                            GError             **error);
gboolean    pdv_store_find_enrolment       (PdvStore            *self,
                                            const char          *code_hash,
                                            PdvStoreEnrolment  **out,
                                            GError             **error);
void        pdv_store_terminal_status_free (PdvStoreTerminalStatus *status);
gboolean    pdv_store_put_terminal_status  (PdvStore            *self,
                                            const PdvStoreTerminalStatus *status,
                                            GError             **error);
GPtrArray  *pdv_store_list_terminal_status (PdvStore            *self,
                                            GError             **error);
void        pdv_store_panel_account_free   (PdvStorePanelAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvStorePanelAccount, pdv_store_panel_account_free)
gboolean    pdv_store_put_panel_account    (PdvStore            *self,
                                            const PdvStorePanelAccount *account,
                                            GError             **error);
gboolean    pdv_store_find_panel_account   (PdvStore            *self,
                                            const char          *name,
                                            PdvStorePanelAccount **out,
                                            GError             **error);
gboolean    pdv_store_end_panel_session    (PdvStore            *self,
                                            const char          *id,
                                            gint64               expires_at,
                                            gint64               now,
                                            GError             **error);
gboolean    pdv_store_panel_session_ended  (PdvStore            *self,
                                            const char          *id,
                                            gboolean            *out_ended,
                                            GError             **error);
gboolean    pdv_store_get_panel_document   (PdvStore            *self,
                                            const char          *key,
                                            char               **out_value,
                                            gint64              *out_version,
                                            GError             **error);
gboolean    pdv_store_put_panel_document   (PdvStore            *self,
                                            const char          *key,
                                            const char          *value,
                                            gint64               version,
                                            gboolean            *out_put,
                                            GError             **error);
gboolean    pdv_store_keep_meta            (PdvStore            *self,
                                            const char          *key,
                                            const char          *value,
                                            char               **out_value,
                                            GError             **error);
gboolean    pdv_store_spend_enrolment      (PdvStore            *self,
                                            const char          *code_hash,
                                            const char          *used_at,
                                            GError             **error);
gboolean    pdv_store_find_entry           (PdvStore            *self,
                                            const char          *terminal,
                                            gint64               seq,
                                            PdvStoreEntry      **out,
                                            GError             **error);
gboolean    pdv_store_find_taken_ids       (PdvStore            *self,
                                            const char * const  *ids,
                                            guint                n_ids,
                                            GHashTable          *taken,
                                            GError             **error);
gboolean    pdv_store_add_entries          (PdvStore            *self,
                                            const PdvStoreEntry *rows,
                                            guint                n_rows,
                                            GError             **error);
gboolean    pdv_store_scan_entries         (PdvStore            *self,
                                            const char * const  *kinds,
                                            PdvStoreEntryFunc    func,
                                            gpointer             user_data,
                                            GError             **error);
gboolean    pdv_store_list_admissions_many (PdvStore            *self,
                                            const char * const  *ticket_ids,
                                            guint                n_tickets,
                                            GHashTable          *out,
                                            GError             **error);
gboolean    pdv_store_add_admissions       (PdvStore            *self,
                                            const char * const  *ticket_ids,
                                            const PdvStoreAdmission *admissions,
                                            guint                n_admissions,
                                            GError             **error);
gboolean    pdv_store_add_conflict         (PdvStore            *self,
                                            const char          *id,
                                            const char          *ticket_id,
                                            const char          *created_at,
                                            const char          *data,
                                            GError             **error);
gint64      pdv_store_add_change           (PdvStore            *self,
                                            const char          *type,
                                            const char          *terminal,
                                            const char          *data,
                                            GError             **error);
gboolean    pdv_store_add_changes          (PdvStore            *self,
                                            const char * const  *types,
                                            const char * const  *terminals,
                                            const char * const  *data,
                                            guint                n_changes,
                                            GError             **error);
GPtrArray  *pdv_store_list_changes         (PdvStore            *self,
                                            gint64               since,
                                            gint64               limit,
                                            GError             **error);
gboolean    pdv_store_add_document         (PdvStore            *self,
                                            const char          *type,
                                            const char          *body,
                                            const char          *created_at,
                                            gint64               cursor,
                                            GError             **error);
GPtrArray  *pdv_store_list_documents       (PdvStore            *self,
                                            const char          *type,
                                            GError             **error);
GPtrArray  *pdv_store_list_documents_after (PdvStore            *self,
                                            const char          *type,
                                            gint64               after,
                                            GArray              *out_cursors,
                                            GError             **error);

gboolean    pdv_store_lock_totals          (PdvStore            *self,
                                            gboolean             exclusive,
                                            GError             **error);
gboolean    pdv_store_add_totals           (PdvStore            *self,
                                            const PdvStoreTotalDelta *deltas,
                                            guint                n_deltas,
                                            GError             **error);
GPtrArray  *pdv_store_list_totals          (PdvStore            *self,
                                            GError             **error);
gboolean    pdv_store_clear_totals         (PdvStore            *self,
                                            GError             **error);
gboolean    pdv_store_find_presences       (PdvStore            *self,
                                            const char * const  *ticket_ids,
                                            guint                n_tickets,
                                            GHashTable          *out,
                                            GError             **error);
gboolean    pdv_store_put_presences        (PdvStore            *self,
                                            const char * const  *ticket_ids,
                                            const PdvStorePresence *presences,
                                            guint                n_tickets,
                                            GError             **error);
gboolean    pdv_store_mark_voided          (PdvStore            *self,
                                            const char          *sale_id,
                                            gboolean            *out_newly,
                                            GError             **error);
gboolean    pdv_store_find_entry_by_id     (PdvStore            *self,
                                            const char          *id,
                                            PdvStoreEntry      **out,
                                            GError             **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-db"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdv-db-private.h"
#include "pdv-db.h"

struct _PdvDb
{
  GObject       parent_instance;
  char         *path;
  sqlite3      *handle;
  PdvClock     *clock;
  GHashTable   *statements;
  gboolean      in_transaction;
  gboolean      read_only;    /* a copy this process may not write */

  /* Deferred checkpoints: where they run, the idle source that will run the
   * next one, and whether the log has grown enough to want one. */
  GMainContext *checkpoint_context;
  GSource      *checkpoint_source;
  gboolean      checkpoint_due;
  int           wal_frames;

  /* Waiting for another connection's write lock. */
  int           busy_timeout_ms;
  gint64        busy_since;
  /* pdv_db_wait_patiently(): told once a wait passes a second. */
  PdvDbWaiting  waiting;
  gpointer      waiting_data;
  gboolean      waiting_told;
};

G_DEFINE_FINAL_TYPE (PdvDb, pdv_db, G_TYPE_OBJECT)

enum {
  TRANSACTION_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* How long a writer waits for another connection's transaction. */
#define BUSY_TIMEOUT_MS 10000
/* How often it tries again: soon at first, since the other transaction is
 * most likely a sale, a scan or one short step of a list being applied. */
#define BUSY_RETRY_SOON_US  250
#define BUSY_SOON_FOR_US    (100 * 1000)
#define BUSY_RETRY_LATER_US (5 * 1000)

G_DEFINE_QUARK (pdv-db-error-quark, pdv_db_error)

/* Each entry moves the schema from version N to N+1. Never edit a released one:
 * add a new one at the end. */
static const char * const migrations[] = {
  /* 1: terminal metadata and the journal */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE journal ("
  "  seq        INTEGER PRIMARY KEY CHECK (seq > 0),"
  "  id         TEXT NOT NULL UNIQUE,"
  "  terminal   TEXT NOT NULL,"
  "  kind       TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  mono_us    INTEGER NOT NULL,"
  "  user_id    TEXT,"
  "  payload    TEXT NOT NULL,"
  "  prev_hash  TEXT NOT NULL,"
  "  hash       TEXT NOT NULL"
  ");"
  "CREATE INDEX journal_by_kind ON journal (kind, seq);"
  "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
  "  BEGIN SELECT RAISE (ABORT, 'the journal is append-only'); END;"
  "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal"
  "  BEGIN SELECT RAISE (ABORT, 'the journal is append-only'); END;",

  /* 2: the catalog */
  "CREATE TABLE categories ("
  "  id       TEXT PRIMARY KEY,"
  "  name     TEXT NOT NULL,"
  "  colour   TEXT,"
  "  position INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE products ("
  "  id           TEXT PRIMARY KEY,"
  "  name         TEXT NOT NULL,"
  "  price        INTEGER NOT NULL CHECK (price >= 0),"
  "  category_id  TEXT NOT NULL REFERENCES categories (id),"
  "  barcode      TEXT UNIQUE,"
  "  track_stock  INTEGER NOT NULL DEFAULT 0,"
  "  stock_policy TEXT NOT NULL DEFAULT 'warn' CHECK (stock_policy IN ('warn', 'block')),"
  "  colour       TEXT,"
  "  position     INTEGER NOT NULL DEFAULT 0,"
  "  active       INTEGER NOT NULL DEFAULT 1"
  ");"
  "CREATE INDEX products_by_category ON products (category_id, position);",

  /* 3: tickets and users, synced down or imported */
  "CREATE TABLE tickets ("
  "  id           TEXT PRIMARY KEY,"
  "  secret       TEXT NOT NULL UNIQUE,"
  "  order_code   TEXT NOT NULL,"
  "  holder_name  TEXT NOT NULL,"
  "  type         TEXT NOT NULL,"
  "  zone         TEXT NOT NULL,"
  "  valid_from   TEXT,"
  "  valid_until  TEXT,"
  "  entry_policy TEXT NOT NULL CHECK (entry_policy IN ('single', 'multi', 'reentry')),"
  "  status       TEXT NOT NULL CHECK (status IN ('valid', 'cancelled', 'blocked'))"
  ");"
  "CREATE INDEX tickets_by_order ON tickets (order_code);"
  "CREATE INDEX tickets_by_holder ON tickets (holder_name COLLATE NOCASE);"
  "CREATE TABLE users ("
  "  id       TEXT PRIMARY KEY,"
  "  name     TEXT NOT NULL,"
  "  role     TEXT NOT NULL CHECK (role IN ('cashier', 'door', 'manager', 'admin')),"
  "  pin_hash TEXT NOT NULL,"
  "  active   INTEGER NOT NULL DEFAULT 1"
  ");",

  /* 4: the stock projection, rebuilt from the journal */
  "CREATE TABLE stock ("
  "  product_id  TEXT PRIMARY KEY REFERENCES products (id),"
  "  qty         INTEGER NOT NULL,"
  "  updated_seq INTEGER NOT NULL"
  ");",

  /* 5: the sales projection: totals, refunds and voids per sale */
  "CREATE TABLE sales ("
  "  sale_id    TEXT PRIMARY KEY,"
  "  seq        INTEGER NOT NULL UNIQUE,"
  "  total      INTEGER NOT NULL,"
  "  refunded   INTEGER NOT NULL DEFAULT 0,"
  "  voided_seq INTEGER"
  ");",

  /* 6: check-in: revoked tickets, the name index that ticket search uses, and
   * the ticket state and occupancy projections */
  "CREATE TABLE revocations ("
  "  ticket_id  TEXT PRIMARY KEY,"
  "  reason     TEXT NOT NULL,"
  "  revoked_at TEXT"
  ");"
  "CREATE TABLE ticket_words ("
  "  word      TEXT NOT NULL,"
  "  ticket_id TEXT NOT NULL,"
  "  PRIMARY KEY (word, ticket_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX ticket_words_by_ticket ON ticket_words (ticket_id);"
  /* Names are folded in C: tickets already here are indexed on first search. */
  "INSERT INTO meta (key, value) SELECT 'ticket_index_stale', '1' WHERE EXISTS (SELECT 1 FROM tickets);"
  "CREATE TABLE ticket_state ("
  "  ticket_id      TEXT PRIMARY KEY,"
  "  inside         INTEGER NOT NULL CHECK (inside IN (0, 1)),"
  "  entries        INTEGER NOT NULL,"
  "  exits          INTEGER NOT NULL,"
  "  last_seq       INTEGER NOT NULL,"
  "  last_at        TEXT NOT NULL,"
  "  last_gate      TEXT NOT NULL,"
  "  last_direction TEXT NOT NULL CHECK (last_direction IN ('entry', 'exit'))"
  ");"
  "CREATE TABLE occupancy ("
  "  id          INTEGER PRIMARY KEY CHECK (id = 1),"
  "  inside      INTEGER NOT NULL,"
  "  entries     INTEGER NOT NULL,"
  "  exits       INTEGER NOT NULL,"
  "  refusals    INTEGER NOT NULL,"
  "  updated_seq INTEGER NOT NULL"
  ");",

  /* 7: sync: the servers in order of preference, what they acknowledged and
   * where pulling stands, and what was pulled from them. remote_checkins and
   * conflicts come from the server, not from this journal: they are not
   * projections and a rebuild leaves them alone. */
  "CREATE TABLE sync_servers ("
  "  position INTEGER PRIMARY KEY,"
  "  url      TEXT NOT NULL UNIQUE"
  ");"
  "CREATE TABLE sync_state ("
  "  id              INTEGER PRIMARY KEY CHECK (id = 1),"
  "  token           TEXT,"
  "  acked_seq       INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),"
  "  pull_cursor     INTEGER NOT NULL DEFAULT 0 CHECK (pull_cursor >= 0),"
  "  last_server     TEXT,"
  "  last_attempt_at TEXT,"
  "  last_reached_at TEXT,"
  "  last_success_at TEXT,"
  "  last_error      TEXT,"
  "  last_error_at   TEXT"
  ");"
  "INSERT INTO sync_state (id) VALUES (1);"
  "CREATE TABLE remote_checkins ("
  "  ticket_id TEXT NOT NULL,"
  "  terminal  TEXT NOT NULL,"
  "  seq       INTEGER NOT NULL,"
  "  direction TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),"
  "  at        TEXT NOT NULL,"
  "  gate      TEXT NOT NULL,"
  "  PRIMARY KEY (ticket_id, terminal)"
  ") WITHOUT ROWID;"
  "CREATE TABLE conflicts ("
  "  loser_terminal  TEXT NOT NULL,"
  "  loser_seq       INTEGER NOT NULL,"
  "  id              TEXT UNIQUE,"
  "  ticket_id       TEXT NOT NULL,"
  "  loser_at        TEXT,"
  "  loser_gate      TEXT,"
  "  winner_terminal TEXT,"
  "  winner_seq      INTEGER,"
  "  winner_at       TEXT,"
  "  winner_gate     TEXT,"
  "  reason          TEXT,"
  "  created_at      TEXT NOT NULL,"
  "  seen            INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1)),"
  "  PRIMARY KEY (loser_terminal, loser_seq)"
  ");"
  "CREATE INDEX conflicts_by_ticket ON conflicts (ticket_id);",

  /* 8: managers: PIN lockouts, shifts, and the projections X and Z reports
   * are read from. Everything is kept per period z: the Z number that closes
   * it (see pdv-shift-projections.c). */
  "CREATE TABLE auth_lockout ("
  "  subject      TEXT PRIMARY KEY,"
  "  failures     INTEGER NOT NULL CHECK (failures >= 0),"
  "  locked_until TEXT,"
  "  updated_seq  INTEGER NOT NULL"
  ");"
  "CREATE TABLE shift_state ("
  "  id          INTEGER PRIMARY KEY CHECK (id = 1),"
  "  current_z   INTEGER NOT NULL CHECK (current_z > 0),"
  "  open_seq    INTEGER,"
  "  updated_seq INTEGER NOT NULL"
  ");"
  "CREATE TABLE shift_totals ("
  "  z                        INTEGER PRIMARY KEY CHECK (z > 0),"
  "  first_seq                INTEGER NOT NULL,"
  "  last_seq                 INTEGER NOT NULL,"
  "  opened_seq               INTEGER,"
  "  opened_at                TEXT,"
  "  opened_by                TEXT,"
  "  float_amount             INTEGER NOT NULL DEFAULT 0,"
  "  float_count              TEXT,"
  "  sales_count              INTEGER NOT NULL DEFAULT 0,"
  "  sales_total              INTEGER NOT NULL DEFAULT 0,"
  "  voids_count              INTEGER NOT NULL DEFAULT 0,"
  "  voids_total              INTEGER NOT NULL DEFAULT 0,"
  "  refunds_count            INTEGER NOT NULL DEFAULT 0,"
  "  refunds_total            INTEGER NOT NULL DEFAULT 0,"
  "  discounts_count          INTEGER NOT NULL DEFAULT 0,"
  "  discounts_total          INTEGER NOT NULL DEFAULT 0,"
  "  drops_count              INTEGER NOT NULL DEFAULT 0,"
  "  drops_total              INTEGER NOT NULL DEFAULT 0,"
  "  payins_count             INTEGER NOT NULL DEFAULT 0,"
  "  payins_total             INTEGER NOT NULL DEFAULT 0,"
  "  closed_seq               INTEGER,"
  "  closed_at                TEXT,"
  "  closed_by                TEXT,"
  "  close_count              TEXT,"
  "  counted                  INTEGER,"
  "  expected                 INTEGER,"
  "  difference               INTEGER,"
  "  difference_authorised_by TEXT"
  ");"
  "CREATE TABLE shift_payments ("
  "  z              INTEGER NOT NULL,"
  "  method         TEXT NOT NULL,"
  "  sales_count    INTEGER NOT NULL,"
  "  sales_amount   INTEGER NOT NULL,"
  "  voids_count    INTEGER NOT NULL,"
  "  voids_amount   INTEGER NOT NULL,"
  "  refunds_count  INTEGER NOT NULL,"
  "  refunds_amount INTEGER NOT NULL,"
  "  PRIMARY KEY (z, method)"
  ") WITHOUT ROWID;"
  "CREATE TABLE sales_by_product ("
  "  z          INTEGER NOT NULL,"
  "  product_id TEXT NOT NULL,"
  "  name       TEXT NOT NULL,"
  "  qty        INTEGER NOT NULL,"
  "  amount     INTEGER NOT NULL,"
  "  PRIMARY KEY (z, product_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE sales_by_hour ("
  "  z           INTEGER NOT NULL,"
  "  hour        TEXT NOT NULL,"
  "  sales_count INTEGER NOT NULL,"
  "  amount      INTEGER NOT NULL,"
  "  PRIMARY KEY (z, hour)"
  ") WITHOUT ROWID;"
  "CREATE TABLE sales_by_operator ("
  "  z           INTEGER NOT NULL,"
  "  operator    TEXT NOT NULL,"
  "  sales_count INTEGER NOT NULL,"
  "  amount      INTEGER NOT NULL,"
  "  PRIMARY KEY (z, operator)"
  ") WITHOUT ROWID;"
  "CREATE TABLE shift_corrections ("
  "  z          INTEGER NOT NULL,"
  "  kind       TEXT NOT NULL CHECK (kind IN ('void', 'refund', 'discount', 'courtesy')),"
  "  authoriser TEXT NOT NULL,"
  "  count      INTEGER NOT NULL,"
  "  amount     INTEGER NOT NULL,"
  "  PRIMARY KEY (z, kind, authoriser)"
  ") WITHOUT ROWID;"
  "CREATE TABLE shift_cash_moves ("
  "  seq           INTEGER PRIMARY KEY,"
  "  z             INTEGER NOT NULL,"
  "  kind          TEXT NOT NULL CHECK (kind IN ('drop', 'payin')),"
  "  amount        INTEGER NOT NULL CHECK (amount > 0),"
  "  reason        TEXT NOT NULL,"
  "  user_id       TEXT,"
  "  authorised_by TEXT,"
  "  at            TEXT NOT NULL"
  ");"
  "CREATE INDEX shift_cash_moves_by_z ON shift_cash_moves (z, seq);"
  "CREATE TABLE checkins_by_hour ("
  "  z        INTEGER NOT NULL,"
  "  hour     TEXT NOT NULL,"
  "  gate     TEXT NOT NULL,"
  "  entries  INTEGER NOT NULL,"
  "  exits    INTEGER NOT NULL,"
  "  refusals INTEGER NOT NULL,"
  "  PRIMARY KEY (z, hour, gate)"
  ") WITHOUT ROWID;"
  "CREATE TABLE refusals_by_reason ("
  "  z      INTEGER NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  count  INTEGER NOT NULL,"
  "  PRIMARY KEY (z, reason)"
  ") WITHOUT ROWID;"
  /* New projections start empty: pdv_context_open() fills them in from a
   * journal that is already there. */
  "INSERT INTO meta (key, value) SELECT 'projections_stale', '1' WHERE EXISTS (SELECT 1 FROM journal);",

  /* 9: the venue as a whole: the latest scan of each ticket known here,
   * this terminal's or another gate's (pulled), and how many are inside per
   * zone ('' when the zone is not known). A projection of the journal and of
   * remote_checkins together (pdv-checkin-state.c). */
  "CREATE TABLE venue_presence ("
  "  ticket_id TEXT PRIMARY KEY,"
  "  at_us     INTEGER NOT NULL,"
  "  inside    INTEGER NOT NULL CHECK (inside IN (0, 1)),"
  "  gate      TEXT NOT NULL,"
  "  zone      TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE venue_occupancy ("
  "  zone   TEXT PRIMARY KEY,"
  "  inside INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "INSERT OR REPLACE INTO meta (key, value) SELECT 'projections_stale', '1' WHERE EXISTS (SELECT 1 FROM journal);",

  /* 10: what door staff must check on a ticket ("check ID: under 18"); the
   * holder index goes (search uses ticket_words), one write less a ticket
   * imported; a ticket's state is kept by its id alone, one page less a
   * scan. */
  "ALTER TABLE tickets ADD COLUMN attention TEXT;"
  "DROP INDEX IF EXISTS tickets_by_holder;"
  "CREATE TABLE ticket_state_by_id ("
  "  ticket_id      TEXT PRIMARY KEY,"
  "  inside         INTEGER NOT NULL CHECK (inside IN (0, 1)),"
  "  entries        INTEGER NOT NULL,"
  "  exits          INTEGER NOT NULL,"
  "  last_seq       INTEGER NOT NULL,"
  "  last_at        TEXT NOT NULL,"
  "  last_gate      TEXT NOT NULL,"
  "  last_direction TEXT NOT NULL CHECK (last_direction IN ('entry', 'exit'))"
  ") WITHOUT ROWID;"
  "INSERT INTO ticket_state_by_id SELECT ticket_id, inside, entries, exits, last_seq, last_at, last_gate, "
  "  last_direction FROM ticket_state;"
  "DROP TABLE ticket_state;"
  "ALTER TABLE ticket_state_by_id RENAME TO ticket_state;"
  /* This gate's counters and the venue's per zone share one table (one page
   * a scan, where they took two): "gate" and "zone:<zone>". */
  "CREATE TABLE door_counts ("
  "  key         TEXT PRIMARY KEY,"
  "  inside      INTEGER NOT NULL,"
  "  entries     INTEGER NOT NULL DEFAULT 0,"
  "  exits       INTEGER NOT NULL DEFAULT 0,"
  "  refusals    INTEGER NOT NULL DEFAULT 0,"
  "  updated_seq INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;"
  "INSERT INTO door_counts SELECT 'gate', inside, entries, exits, refusals, updated_seq FROM occupancy;"
  "INSERT INTO door_counts (key, inside) SELECT 'zone:' || zone, inside FROM venue_occupancy;"
  "DROP TABLE occupancy;"
  "DROP TABLE venue_occupancy;"
  /* Scans leave the index of kinds (one page less a scan); a query by kind
   * says kind != 'checkin' to use it (since 11: PDV_JOURNAL_KIND_INDEXED). */
  "DROP INDEX journal_by_kind;"
  "CREATE INDEX journal_by_kind ON journal (kind, seq) WHERE kind != 'checkin';"
  /* A scan no longer moves its period's last entry: the projections are
   * rebuilt from the journal. */
  "INSERT OR REPLACE INTO meta (key, value) SELECT 'projections_stale', '1' WHERE EXISTS (SELECT 1 FROM journal);",

  /* 11: the sales being paid in parts, with the payments taken so far, from
   * the journal (pdv-open-sale.c). No journal before it holds one. */
  "CREATE TABLE open_sales ("
  "  id            TEXT PRIMARY KEY,"
  "  user_id       TEXT,"
  "  started_seq   INTEGER NOT NULL,"
  "  started_at    TEXT NOT NULL,"
  "  authorised_by TEXT,"
  "  cart          TEXT NOT NULL,"
  "  payments      TEXT NOT NULL"
  ") WITHOUT ROWID;"
  /* Sales and payments taken leave the index of kinds, as scans do. */
  "DROP INDEX journal_by_kind;"
  "CREATE INDEX journal_by_kind ON journal (kind, seq) WHERE " PDV_JOURNAL_KIND_INDEXED ";",

  /* 12: combos ("Balde 6 Long Necks") and what each unit of one takes out
   * of stock; has_components spares every other sale line the lookup. */
  "CREATE TABLE product_components ("
  "  product_id   TEXT NOT NULL,"
  "  component_id TEXT NOT NULL,"
  "  qty          INTEGER NOT NULL CHECK (qty > 0),"
  "  PRIMARY KEY (product_id, component_id)"
  ") WITHOUT ROWID;"
  "ALTER TABLE products ADD COLUMN has_components INTEGER NOT NULL DEFAULT 0;",

  /* 13: tamper evidence: each imported row carries its seal (pdv-seal.c),
   * filled in by the next import of its set */
  "ALTER TABLE categories ADD COLUMN seal INTEGER;"
  "ALTER TABLE products ADD COLUMN seal INTEGER;"
  "ALTER TABLE product_components ADD COLUMN seal INTEGER;"
  "ALTER TABLE users ADD COLUMN seal INTEGER;"
  "ALTER TABLE tickets ADD COLUMN seal INTEGER;"
  "ALTER TABLE revocations ADD COLUMN seal INTEGER;",

  /* 14: recovery after a restore from a backup (pdv_journal_recover()):
   * the entries a restored terminal made, as first written, kept when they
   * are written again after the history the server gave back; the journal
   * stays append-only except inside a recovery's own transaction. */
  "CREATE TABLE journal_replaced ("
  "  seq          INTEGER NOT NULL,"
  "  id           TEXT NOT NULL,"
  "  terminal     TEXT NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  created_at   TEXT NOT NULL,"
  "  mono_us      INTEGER NOT NULL,"
  "  user_id      TEXT,"
  "  payload      TEXT NOT NULL,"
  "  prev_hash    TEXT NOT NULL,"
  "  hash         TEXT NOT NULL,"
  "  recovered_at TEXT NOT NULL,"
  "  new_seq      INTEGER NOT NULL"
  ");"
  "DROP TRIGGER journal_no_delete;"
  "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal"
  "  WHEN (SELECT value FROM meta WHERE key = 'journal_recovering') IS NULL"
  "  BEGIN SELECT RAISE (ABORT, 'the journal is append-only'); END;"
  /* ... and the sync page offers it when a server said so. */
  "ALTER TABLE sync_state ADD COLUMN diverged INTEGER NOT NULL DEFAULT 0;"
  /* Trust without a CA: the server certificate's SHA-256 an enrolment
   * text gave, or the certificate authority (PEM) a manager chose. */
  "ALTER TABLE sync_state ADD COLUMN tls_pin TEXT;"
  "ALTER TABLE sync_state ADD COLUMN tls_ca TEXT;",

  /* 15: fichas (pdv-ficha-state.c): those served here or taken back here;
   * one not in the table is as its sale's entry issued it */
  "CREATE TABLE fichas ("
  "  id             TEXT PRIMARY KEY,"
  "  product_id     TEXT,"
  "  name           TEXT,"
  "  key            TEXT,"
  "  sale_id        TEXT,"           /* when taken back: the sale */
  "  state          TEXT NOT NULL CHECK (state IN ('redeemed', 'revoked')),"
  "  redeemed_at    TEXT,"
  "  redeemed_by    TEXT,"           /* the counter */
  "  redeemed_seq   INTEGER,"
  "  revoked_seq    INTEGER,"
  "  revoked_reason TEXT"
  ") WITHOUT ROWID;"
  /* The keys fichas are signed with: this terminal's, and the other
   * terminals' of the event as the sync server hands them out. */
  /* What the sync server told of other terminals' fichas: served at
   * another counter, or taken back by a void or refund at another till. */
  "CREATE TABLE ficha_heard ("
  "  id          TEXT PRIMARY KEY,"
  "  state       TEXT NOT NULL CHECK (state IN ('redeemed', 'revoked')),"
  "  at          TEXT,"
  "  counter     TEXT,"
  "  terminal    TEXT NOT NULL,"
  "  seq         INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE ficha_keys ("
  "  tag           TEXT PRIMARY KEY,"   /* pdv_ficha_key_tag(), hex */
  "  public_key    TEXT NOT NULL,"      /* base64url */
  "  terminal_id   TEXT,"
  "  terminal_name TEXT"
  ") WITHOUT ROWID;",

  /* 16: fichas in the reports. The fichas a sale hands over, by product
   * (issued, whatever became of them later); a ficha heard of with what it
   * was sold as and whose key signed it; a counter's refusals. */
  "ALTER TABLE sales_by_product ADD COLUMN fichas INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE ficha_heard ADD COLUMN product_id TEXT;"
  "ALTER TABLE ficha_heard ADD COLUMN name TEXT;"
  "ALTER TABLE ficha_heard ADD COLUMN key TEXT;"
  "CREATE TABLE ficha_refusals ("
  "  z       INTEGER NOT NULL,"
  "  counter TEXT NOT NULL,"
  "  verdict TEXT NOT NULL,"
  "  count   INTEGER NOT NULL,"
  "  PRIMARY KEY (z, counter, verdict)"
  ") WITHOUT ROWID;"
  /* A counter's scans leave the index of kinds, as the door's do. */
  "DROP INDEX journal_by_kind;"
  "CREATE INDEX journal_by_kind ON journal (kind, seq) WHERE " PDV_JOURNAL_KIND_INDEXED ";"
  /* The fichas counted from the journal's sales. */
  "INSERT OR REPLACE INTO meta (key, value) SELECT 'projections_stale', '1' WHERE EXISTS (SELECT 1 FROM journal);",
};

int
pdv_db_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

gboolean
pdv_db_set_error (PdvDb       *self,
                  GError     **error,
                  const char  *what)
{
  int code = sqlite3_extended_errcode (self->handle);
  PdvDbError kind = PDV_DB_ERROR_SQL;

  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    kind = PDV_DB_ERROR_BUSY;
  else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    kind = PDV_DB_ERROR_CORRUPT;
  else if ((code & 0xff) == SQLITE_READONLY)
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_READ_ONLY,
                   _("%s failed: %s can only be read (a copy for an audit, or a file this user may not "
                     "change); it can be listed, verified and reported on, nothing written to it"),
                   what, self->path);
      return FALSE;
    }

  g_set_error (error, PDV_DB_ERROR, kind, _("%s failed in %s: %s"),
               what, self->path, sqlite3_errmsg (self->handle));
  return FALSE;
}

static gboolean
query_int (PdvDb       *self,
           const char  *sql,
           int         *out,
           GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return pdv_db_set_error (self, error, sql);
  *out = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Copies the log back into the database file without waiting for readers on
 * other connections: what they still need stays for the next checkpoint. */
static gboolean
checkpoint (PdvDb     *self,
            gboolean  *out_complete,
            GError   **error)
{
  int log_frames = 0;
  int copied_frames = 0;
  int rc;

  self->checkpoint_due = FALSE;
  *out_complete = FALSE;
  rc = sqlite3_wal_checkpoint_v2 (self->handle, NULL, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied_frames);
  /* Another connection checkpointing right now does the same work. */
  if ((rc & 0xff) == SQLITE_BUSY)
    return TRUE;
  if (rc != SQLITE_OK)
    return pdv_db_set_error (self, error, _("Writing to the database"));
  *out_complete = log_frames > 0 && log_frames == copied_frames;
  return TRUE;
}

/* After a complete checkpoint, the next commit starts the log over, and
 * flushes the log's new header to disk before its own pages: one more flush
 * for whichever sale comes next. A transaction that rewrites the schema
 * version as it is makes that commit now, while the terminal is idle. It
 * does not wait for another connection holding the write lock: then the
 * next commit starts the log over, as it would have anyway. */
/* SQLite's own handler sleeps 1, 2, 5, 10 … 100 ms between tries, so a scan
 * waiting behind a 5 ms step of another connection would sleep on well past
 * it, and past the gap the other leaves before its next step. */
static int
busy_cb (void *data,
         int   count)
{
  PdvDb *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 waited;

  if (count == 0)
    {
      self->busy_since = now;
      self->waiting_told = FALSE;
    }
  waited = now - self->busy_since;
  if (self->busy_timeout_ms >= 0 && waited >= (gint64) self->busy_timeout_ms * 1000)
    return 0;
  if (self->waiting != NULL && !self->waiting_told && waited >= G_USEC_PER_SEC)
    {
      self->waiting_told = TRUE;
      self->waiting (self, self->waiting_data);
    }
  g_usleep (waited < BUSY_SOON_FOR_US ? BUSY_RETRY_SOON_US : BUSY_RETRY_LATER_US);
  return 1;
}

/* @timeout_ms: -1 to wait as long as it takes */
static void
set_busy_timeout (PdvDb *self,
                  int    timeout_ms)
{
  self->busy_timeout_ms = timeout_ms;
  sqlite3_busy_handler (self->handle, timeout_ms != 0 ? busy_cb : NULL, self);
}

/**
 * pdv_db_wait_patiently:
 * @waiting: (nullable): called once each time a wait passes a second, to
 *   tell the person why nothing happens yet
 *
 * Makes this connection wait for another's write lock as long as it takes
 * (instead of failing after ten seconds): for a command a person runs
 * beside a working terminal, which can always be interrupted.
 */
void
pdv_db_wait_patiently (PdvDb        *self,
                       PdvDbWaiting  waiting,
                       gpointer      user_data)
{
  g_return_if_fail (PDV_IS_DB (self));

  self->waiting = waiting;
  self->waiting_data = user_data;
  set_busy_timeout (self, -1);
}

static gboolean
restart_log (PdvDb   *self,
             GError **error)
{
  g_autofree char *rewrite = NULL;
  g_autoptr(GError) local_error = NULL;
  int version = 0;
  int timeout_ms = self->busy_timeout_ms;
  gboolean began;

  set_busy_timeout (self, 0);
  began = pdv_db_begin (self, &local_error);
  set_busy_timeout (self, timeout_ms);
  if (!began)
    {
      if ((sqlite3_errcode (self->handle) & 0xff) == SQLITE_BUSY)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!query_int (self, "PRAGMA user_version", &version, error))
    {
      pdv_db_rollback (self);
      return FALSE;
    }
  rewrite = g_strdup_printf ("PRAGMA user_version = %d", version);
  if (!pdv_db_exec (self, rewrite, error) || !pdv_db_commit (self, error))
    {
      pdv_db_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static void
cancel_deferred_checkpoint (PdvDb *self)
{
  if (self->checkpoint_source != NULL)
    g_source_destroy (self->checkpoint_source);
  g_clear_pointer (&self->checkpoint_source, g_source_unref);
}

static gboolean
checkpoint_idle_cb (gpointer user_data)
{
  PdvDb *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->checkpoint_source, g_source_unref);
  /* Inside a transaction (a nested main loop): the commit that ends it
   * schedules this again. */
  if (!sqlite3_get_autocommit (self->handle))
    return G_SOURCE_REMOVE;
  if (!pdv_db_checkpoint_if_due (self, &error))
    g_warning ("%s", error->message);
  return G_SOURCE_REMOVE;
}

static void
schedule_deferred_checkpoint (PdvDb *self)
{
  if (self->checkpoint_source != NULL)
    return;
  self->checkpoint_source = g_idle_source_new ();
  g_source_set_priority (self->checkpoint_source, G_PRIORITY_LOW);
  g_source_set_name (self->checkpoint_source, "[pdv] journal checkpoint");
  /* finalize destroys the source: it never outlives the connection. */
  g_source_set_callback (self->checkpoint_source, checkpoint_idle_cb, self, NULL);
  g_source_attach (self->checkpoint_source, self->checkpoint_context);
}

/* Called by SQLite after each commit on this connection, in place of its
 * automatic checkpoint (which would copy the log back inside whichever commit
 * happens to cross the threshold, making that sale wait for two more disk
 * flushes). The transaction is durable by now: whatever happens here, the
 * commit succeeded, so this always returns SQLITE_OK. */
static int
wal_committed_cb (void       *user_data,
                  sqlite3    *handle,
                  const char *schema,
                  int         n_frames)
{
  PdvDb *self = user_data;

  self->wal_frames = n_frames;
  if (n_frames < PDV_DB_CHECKPOINT_FRAMES)
    return SQLITE_OK;

  /* With nobody to run it later, or a main loop that has not been idle for
   * thousands of pages, the log must not grow without bound. */
  if (self->checkpoint_context == NULL || n_frames >= PDV_DB_CHECKPOINT_LIMIT_FRAMES)
    {
      gboolean complete;

      cancel_deferred_checkpoint (self);
      checkpoint (self, &complete, NULL);
      return SQLITE_OK;
    }

  self->checkpoint_due = TRUE;
  schedule_deferred_checkpoint (self);
  return SQLITE_OK;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pdv_db_finalize (GObject *object)
{
  PdvDb *self = (PdvDb *) object;

  g_clear_object (&self->clock);
  cancel_deferred_checkpoint (self);
  g_clear_pointer (&self->checkpoint_context, g_main_context_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    sqlite3_close_v2 (self->handle);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (pdv_db_parent_class)->finalize (object);
}

static void
pdv_db_class_init (PdvDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdv_db_finalize;

  /**
   * PdvDb::transaction-ended:
   * @committed: whether what it wrote is now durable
   *
   * A transaction begun with pdv_db_begin() was committed or rolled back,
   * on the thread that owns the connection.
   */
  signals[TRANSACTION_ENDED] =
    g_signal_new ("transaction-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
pdv_db_init (PdvDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->clock = pdv_clock_new ();
}

static gboolean
migrate (PdvDb   *self,
         int      target,
         GError **error)
{
  int current = 0;

  if (!query_int (self, "PRAGMA user_version", &current, error))
    return FALSE;

  if (current > pdv_db_schema_version ())
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of PDV "
                     "(schema %d; this version knows up to %d). "
                     "Install the newer PDV; the file was left untouched."),
                   self->path, current, pdv_db_schema_version ());
      return FALSE;
    }

  for (int version = current + 1; version <= target; version++)
    {
      g_autofree char *set_version = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!pdv_db_begin (self, error))
        return FALSE;
      /* Another process may have migrated while we waited for the lock. */
      if (!query_int (self, "PRAGMA user_version", &current, error))
        {
          pdv_db_rollback (self);
          return FALSE;
        }
      if (current >= version)
        {
          if (!pdv_db_commit (self, error))
            return FALSE;
          continue;
        }
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version);
      if (!pdv_db_exec (self, migrations[version - 1], &local_error) ||
          !pdv_db_exec (self, set_version, &local_error) ||
          !pdv_db_commit (self, &local_error))
        {
          pdv_db_rollback (self);
          g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_MIGRATION,
                       _("Could not upgrade %s to schema %d: %s"),
                       self->path, version, local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
configure (PdvDb   *self,
           GError **error)
{
  sqlite3_stmt *stmt;
  const char *mode;

  set_busy_timeout (self, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->handle, 1);

  stmt = pdv_db_prepare (self, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return pdv_db_set_error (self, error, _("Opening the journal"));
  mode = (const char *) sqlite3_column_text (stmt, 0);
  /* An in-memory database (a scratch terminal, e.g. to validate a document)
   * has nothing to make durable and cannot use WAL. */
  if (g_strcmp0 (mode, "wal") != 0 &&
      !(g_strcmp0 (self->path, ":memory:") == 0 && g_strcmp0 (mode, "memory") == 0))
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_OPEN,
                   _("%s cannot use write-ahead logging (mode “%s”); "
                     "put the database on a local disk"), self->path, mode);
      return FALSE;
    }
  sqlite3_reset (stmt);

  /* Replaces SQLite's automatic checkpoint with the same behaviour, which
   * pdv_db_set_deferred_checkpoints() can then move out of the commit. */
  sqlite3_wal_hook (self->handle, wal_committed_cb, self);

  /* FULL: a sale the screen shows as done must survive a power cut. */
  return pdv_db_exec (self,
                      "PRAGMA synchronous = FULL;"
                      "PRAGMA foreign_keys = ON;",
                      error);
}

/* Whether this process may write @path and make the files SQLite keeps
 * beside it (its log and shared memory, in the same folder). */
static gboolean
writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return g_access (path, W_OK) == 0 && g_access (dir, W_OK | X_OK) == 0;
}

static PdvDb *
open_read_only (PdvDb   *self_,
                GError **error)
{
  g_autoptr(PdvDb) self = self_;
  g_autofree char *wal = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;
  struct stat st;
  gboolean immutable;
  int version = -1;
  int rc = SQLITE_OK;

  self->read_only = TRUE;
  wal = g_strconcat (self->path, "-wal", NULL);
  /* With no log beside it (a copy from pdvctl backup, a terminal that
   * stopped cleanly) the file is read as immutable: SQLite then needs no
   * lock file or shared memory, which could not be made beside it. A log
   * is read through its shared memory, or the reading fails: read without
   * it, the file would be missing what the log holds. */
  immutable = stat (wal, &st) != 0 || st.st_size == 0;
  escaped = g_uri_escape_string (self->path, "/", FALSE);
  uri = g_strdup_printf ("file:%s?mode=ro%s", escaped, immutable ? "&immutable=1" : "");
  rc = sqlite3_open_v2 (uri, &self->handle,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc == SQLITE_OK)
    {
      set_busy_timeout (self, BUSY_TIMEOUT_MS);
      sqlite3_extended_result_codes (self->handle, 1);
      if (!query_int (self, "PRAGMA user_version", &version, NULL))
        version = -1;
    }
  if (version < 0 && !immutable)
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_READ_ONLY,
                   _("%s can only be read, and its last changes are still in the log beside it (%s), which "
                     "cannot be read without writing: copy it with “pdvctl backup” where it can be written, "
                     "and read the copy"), self->path, wal);
      return NULL;
    }
  if (version < 0)
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_CORRUPT,
                   _("%s can only be read, and it is not a PDV terminal database or it is damaged (%s). "
                     "It was left untouched."),
                   self->path, self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  if (version > pdv_db_schema_version ())
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of PDV "
                     "(schema %d; this version knows up to %d). "
                     "Install the newer PDV; the file was left untouched."),
                   self->path, version, pdv_db_schema_version ());
      return NULL;
    }
  if (version < pdv_db_schema_version ())
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_READ_ONLY,
                   _("%s was written by an older version of PDV (schema %d, this one reads %d) and can only "
                     "be read, so it cannot be brought up to date: open a copy this user may write"),
                   self->path, version, pdv_db_schema_version ());
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * pdv_db_open_read_only:
 *
 * Opens the database at @path to be read only, even where this process may
 * write it (an auditor who must not change what is audited); see
 * pdv_db_is_read_only().
 */
PdvDb *
pdv_db_open_read_only (const char  *path,
                       GError     **error)
{
  PdvDb *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_OPEN, _("Could not open the terminal database %s: %s"),
                   path, g_strerror (ENOENT));
      return NULL;
    }
  self = g_object_new (PDV_TYPE_DB, NULL);
  self->path = g_strdup (path);
  return open_read_only (self, error);
}

/**
 * pdv_db_copy_to_memory:
 *
 * A writable copy of the whole database in memory, sharing @self's clock:
 * where a check that writes and rolls back runs on a database only read.
 *
 * Returns: (transfer full) (nullable): the copy
 */
PdvDb *
pdv_db_copy_to_memory (PdvDb   *self,
                       GError **error)
{
  g_autoptr(PdvDb) copy = NULL;
  sqlite3_backup *backup;
  int rc;

  g_return_val_if_fail (PDV_IS_DB (self), NULL);

  copy = g_object_new (PDV_TYPE_DB, NULL);
  copy->path = g_strdup_printf (_("a copy in memory of %s"), self->path);
  g_set_object (&copy->clock, self->clock);
  rc = sqlite3_open_v2 (":memory:", &copy->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_OPEN, _("Could not copy %s to memory: %s"), self->path,
                   sqlite3_errstr (rc));
      return NULL;
    }
  backup = sqlite3_backup_init (copy->handle, "main", self->handle, "main");
  if (backup == NULL)
    {
      pdv_db_set_error (copy, error, _("Copying the database to memory"));
      return NULL;
    }
  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_SQL, _("Could not copy %s to memory: %s"), self->path,
                   sqlite3_errstr (rc));
      return NULL;
    }
  if (!pdv_db_exec (copy, "PRAGMA foreign_keys = ON;", error))
    return NULL;
  return g_steal_pointer (&copy);
}

/**
 * pdv_db_is_read_only:
 *
 * Returns: whether the database was opened only to be read: a file this
 *   process may not change (see pdv_db_open())
 */
gboolean
pdv_db_is_read_only (PdvDb *self)
{
  g_return_val_if_fail (PDV_IS_DB (self), FALSE);
  return self->read_only;
}

/**
 * pdv_db_open_at_version:
 * @version: the schema version to migrate up to
 *
 * Opens (creating if needed) the terminal database at @path and migrates it to
 * @version. Only tests want anything but pdv_db_schema_version().
 */
PdvDb *
pdv_db_open_at_version (const char  *path,
                        int          version,
                        GError     **error)
{
  g_autoptr(PdvDb) self = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version >= 0 && version <= pdv_db_schema_version (), NULL);

  self = g_object_new (PDV_TYPE_DB, NULL);
  self->path = g_strdup (path);

  /* A file this process may not change (an auditor's copy, a terminal's
   * database read by another user) is read as it is. */
  if (g_strcmp0 (path, ":memory:") != 0 && g_file_test (path, G_FILE_TEST_EXISTS) && !writable (path))
    return open_read_only (g_steal_pointer (&self), error);

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_OPEN,
                   _("Could not open the terminal database %s: %s"),
                   path, self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }

  if (!configure (self, &local_error))
    {
      if (g_error_matches (local_error, PDV_DB_ERROR, PDV_DB_ERROR_CORRUPT))
        g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_CORRUPT,
                     _("%s is not a PDV terminal database, or it is damaged (%s). "
                       "It was left untouched."), path, sqlite3_errmsg (self->handle));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!migrate (self, version, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * pdv_db_open:
 * @path: the terminal database file
 *
 * Opens the database in WAL mode with synchronous=FULL and foreign keys, and
 * migrates it to the current schema. A database from a newer PDV is refused.
 * A file this process may not change is opened to be read only (see
 * pdv_db_is_read_only()): everything that reads works, anything that writes
 * fails with %PDV_DB_ERROR_READ_ONLY.
 */
PdvDb *
pdv_db_open (const char  *path,
             GError     **error)
{
  return pdv_db_open_at_version (path, pdv_db_schema_version (), error);
}

const char *
pdv_db_get_path (PdvDb *self)
{
  g_return_val_if_fail (PDV_IS_DB (self), NULL);
  return self->path;
}

/**
 * pdv_db_get_clock:
 *
 * The clock everything on this connection reads: journal timestamps,
 * lockouts, check-in windows. A connection of a worker thread shares the
 * terminal's clock with pdv_db_set_clock().
 */
PdvClock *
pdv_db_get_clock (PdvDb *self)
{
  g_return_val_if_fail (PDV_IS_DB (self), NULL);
  return self->clock;
}

void
pdv_db_set_clock (PdvDb    *self,
                  PdvClock *clock)
{
  g_return_if_fail (PDV_IS_DB (self));
  g_return_if_fail (PDV_IS_CLOCK (clock));

  g_set_object (&self->clock, clock);
}

sqlite3 *
pdv_db_get_handle (PdvDb *self)
{
  g_return_val_if_fail (PDV_IS_DB (self), NULL);
  return self->handle;
}

int
pdv_db_get_user_version (PdvDb *self)
{
  int version = -1;

  g_return_val_if_fail (PDV_IS_DB (self), -1);
  if (!query_int (self, "PRAGMA user_version", &version, NULL))
    return -1;
  return version;
}

/**
 * pdv_db_prepare:
 * @sql: a statement with `?` parameters, a string constant
 *
 * Returns: (transfer none): a cached statement, reset and with no bindings.
 */
sqlite3_stmt *
pdv_db_prepare (PdvDb       *self,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDV_IS_DB (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      pdv_db_set_error (self, error, _("Preparing a query"));
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
pdv_db_exec (PdvDb       *self,
             const char  *sql,
             GError     **error)
{
  char *message = NULL;

  g_return_val_if_fail (PDV_IS_DB (self), FALSE);

  if (sqlite3_exec (self->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      if ((sqlite3_errcode (self->handle) & 0xff) == SQLITE_READONLY)
        {
          sqlite3_free (message);
          return pdv_db_set_error (self, error, _("Writing to the database"));
        }
      g_set_error (error, PDV_DB_ERROR,
                   (sqlite3_errcode (self->handle) & 0xff) == SQLITE_NOTADB ? PDV_DB_ERROR_CORRUPT
                                                                          : PDV_DB_ERROR_SQL,
                   _("Database error in %s: %s"), self->path,
                   message ? message : sqlite3_errmsg (self->handle));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/**
 * pdv_db_step_done:
 *
 * Steps a statement that returns no rows and resets it.
 */
gboolean
pdv_db_step_done (PdvDb         *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (self, error, _("Writing to the database"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * pdv_db_begin:
 *
 * Starts an immediate (write-locking) transaction, so two writers serialise at
 * BEGIN instead of failing at COMMIT.
 */
/* pdv_db_exec() of a statement kept prepared: a sale or a scan begins and
 * commits without parsing SQL. */
static gboolean
exec_prepared (PdvDb       *self,
               const char  *sql,
               GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if ((rc & 0xff) == SQLITE_READONLY)
    return pdv_db_set_error (self, error, _("Writing to the database"));
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PDV_DB_ERROR,
                   (rc & 0xff) == SQLITE_NOTADB ? PDV_DB_ERROR_CORRUPT : PDV_DB_ERROR_SQL,
                   _("Database error in %s: %s"), self->path, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

gboolean
pdv_db_begin (PdvDb   *self,
              GError **error)
{
  g_return_val_if_fail (PDV_IS_DB (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  /* A copy only read takes no write lock: its transactions are snapshots
   * for reading, and a write in one fails as read-only. */
  if (!exec_prepared (self, self->read_only ? "BEGIN" : "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
pdv_db_commit (PdvDb   *self,
               GError **error)
{
  g_return_val_if_fail (PDV_IS_DB (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!exec_prepared (self, "COMMIT", error))
    return FALSE;
  self->in_transaction = FALSE;
  g_signal_emit (self, signals[TRANSACTION_ENDED], 0, TRUE);
  return TRUE;
}

void
pdv_db_rollback (PdvDb *self)
{
  g_return_if_fail (PDV_IS_DB (self));

  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
  if (self->in_transaction)
    {
      self->in_transaction = FALSE;
      g_signal_emit (self, signals[TRANSACTION_ENDED], 0, FALSE);
    }
}

gboolean
pdv_db_in_transaction (PdvDb *self)
{
  g_return_val_if_fail (PDV_IS_DB (self), FALSE);
  return self->in_transaction;
}

char *
pdv_db_get_meta (PdvDb      *self,
                 const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (PDV_IS_DB (self), NULL);

  stmt = pdv_db_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
pdv_db_set_meta (PdvDb       *self,
                 const char  *key,
                 const char  *value,
                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDV_IS_DB (self), FALSE);

  stmt = pdv_db_prepare (self,
                         "INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return pdv_db_step_done (self, stmt, error);
}

/**
 * pdv_db_backup:
 * @path: a file that does not exist yet
 *
 * Copies the database, as one consistent moment, to @path (readable by its
 * owner only) while other connections go on writing; the copy is checked
 * before this returns.
 */
gboolean
pdv_db_backup (PdvDb       *self,
               const char  *path,
               GError     **error)
{
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  char *check = NULL;
  int fd, rc;

  g_return_val_if_fail (PDV_IS_DB (self), FALSE);

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("Cannot create the backup %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (sqlite3_open_v2 (path, &copy, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    goto failed;
  backup = sqlite3_backup_init (copy, "main", self->handle, "main");
  if (backup == NULL)
    goto failed;
  /* All pages in one step: the copy is of one moment. */
  while ((rc = sqlite3_backup_step (backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep (20);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE || sqlite3_errcode (copy) != SQLITE_OK)
    goto failed;
  if (sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    goto failed;
  {
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2 (copy, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW)
      check = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  if (g_strcmp0 (check, "ok") != 0)
    goto failed;
  g_free (check);
  sqlite3_close (copy);
  return TRUE;

failed:
  g_set_error (error, PDV_DB_ERROR, PDV_DB_ERROR_SQL, _("Backing up to %s failed: %s"), path,
               check != NULL ? check : copy != NULL ? sqlite3_errmsg (copy) : _("the file cannot be opened"));
  g_free (check);
  sqlite3_close (copy);
  g_unlink (path);
  return FALSE;
}

/**
 * pdv_db_set_deferred_checkpoints:
 * @deferred: whether to defer checkpoints to the main loop
 *
 * Every commit appends to the write-ahead log; once it holds
 * %PDV_DB_CHECKPOINT_FRAMES pages, they are copied back into the database
 * file (a checkpoint, with two more disk flushes). By default that happens
 * inside the commit that crosses the threshold, so one sale in sixty or so
 * waits several times longer than the others.
 *
 * When @deferred, the checkpoint is only marked as due, and made from an idle
 * source on the thread-default main context of the caller, after the commit
 * has returned: on a terminal, between customers. A log that reaches
 * %PDV_DB_CHECKPOINT_LIMIT_FRAMES all the same (a main loop that is never
 * idle, or not running) is checkpointed inside the commit again.
 *
 * Durability is the same either way: a committed transaction is in the log,
 * flushed to disk, before the commit returns.
 */
void
pdv_db_set_deferred_checkpoints (PdvDb    *self,
                                 gboolean  deferred)
{
  g_return_if_fail (PDV_IS_DB (self));

  cancel_deferred_checkpoint (self);
  g_clear_pointer (&self->checkpoint_context, g_main_context_unref);
  if (!deferred)
    return;
  self->checkpoint_context = g_main_context_ref_thread_default ();
  if (self->checkpoint_due)
    schedule_deferred_checkpoint (self);
}

/**
 * pdv_db_checkpoint_is_due:
 *
 * Returns: whether a deferred checkpoint is waiting to be made
 */
gboolean
pdv_db_checkpoint_is_due (PdvDb *self)
{
  g_return_val_if_fail (PDV_IS_DB (self), FALSE);
  return self->checkpoint_due;
}

/**
 * pdv_db_checkpoint_if_due:
 *
 * Makes the checkpoint that pdv_db_set_deferred_checkpoints() put off, if
 * there is one, now: for callers with idle time but no main loop. Never in a
 * transaction.
 *
 * Returns: %FALSE with @error set if the checkpoint failed (what was
 *   committed is safe in the log all the same)
 */
gboolean
pdv_db_checkpoint_if_due (PdvDb   *self,
                          GError **error)
{
  gboolean complete;

  g_return_val_if_fail (PDV_IS_DB (self), FALSE);
  g_return_val_if_fail (sqlite3_get_autocommit (self->handle), FALSE);

  cancel_deferred_checkpoint (self);
  if (!self->checkpoint_due)
    return TRUE;
  if (!checkpoint (self, &complete, error))
    return FALSE;
  return !complete || restart_log (self, error);
}

/**
 * pdv_db_get_wal_frames:
 *
 * Returns: how many pages the write-ahead log held after the last commit on
 *   this connection (0 before the first one, or without a log)
 */
int
pdv_db_get_wal_frames (PdvDb *self)
{
  g_return_val_if_fail (PDV_IS_DB (self), 0);
  return self->wal_frames;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-journal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-db-private.h"
#include "pdv-journal.h"
#include "pdv-journal-private.h"
#include "pdv-seal.h"
#include "pdv-projections.h"

struct _PdvJournal
{
  GObject  parent_instance;
  PdvDb   *db;
  char    *terminal_id;

  /* Entries of the open transaction, announced once it commits. */
  GArray  *unannounced;
};

typedef struct {
  gint64  seq;
  char   *kind;
} Unannounced;

G_DEFINE_FINAL_TYPE (PdvJournal, pdv_journal, G_TYPE_OBJECT)

enum {
  APPENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (pdv-journal-error-quark, pdv_journal_error)

G_DEFINE_BOXED_TYPE (PdvJournalEntry, pdv_journal_entry,
                     pdv_journal_entry_copy, pdv_journal_entry_free)

#define ENTRY_COLUMNS \
  "seq, id, terminal, kind, created_at, mono_us, user_id, payload, prev_hash, hash"

PdvJournalEntry *
pdv_journal_entry_copy (const PdvJournalEntry *entry)
{
  PdvJournalEntry *copy = g_new0 (PdvJournalEntry, 1);

  copy->seq = entry->seq;
  copy->id = g_strdup (entry->id);
  copy->terminal = g_strdup (entry->terminal);
  copy->kind = g_strdup (entry->kind);
  copy->created_at = g_strdup (entry->created_at);
  copy->mono_us = entry->mono_us;
  copy->user = g_strdup (entry->user);
  copy->payload_text = g_strdup (entry->payload_text);
  copy->payload = entry->payload ? json_incref (entry->payload) : NULL;
  copy->prev_hash = g_strdup (entry->prev_hash);
  copy->hash = g_strdup (entry->hash);
  return copy;
}

void
pdv_journal_entry_free (PdvJournalEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->terminal);
  g_free (entry->kind);
  g_free (entry->created_at);
  g_free (entry->user);
  g_free (entry->payload_text);
  if (entry->payload)
    json_decref (entry->payload);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

/**
 * pdv_json_find_fraction:
 * @out_path: (out) (optional): where the first one is ("lines[2].qty")
 *
 * Whether @value holds a number with a fraction or exponent (a JSON real).
 * Journal payloads carry whole numbers only — money in centavos, counts —
 * because a real has no one textual form that every program writes alike,
 * and the hash is computed over the text.
 */
gboolean
pdv_json_find_fraction (json_t  *value,
                        char   **out_path)
{
  const char *key;
  json_t *item;
  size_t index;

  if (json_is_real (value))
    {
      if (out_path)
        *out_path = g_strdup ("");
      return TRUE;
    }
  if (json_is_object (value))
    json_object_foreach (value, key, item)
      {
        g_autofree char *inner = NULL;

        if (pdv_json_find_fraction (item, out_path ? &inner : NULL))
          {
            if (out_path)
              *out_path = g_strconcat (key, *inner == '[' || *inner == '\0' ? "" : ".", inner, NULL);
            return TRUE;
          }
      }
  if (json_is_array (value))
    json_array_foreach (value, index, item)
      {
        g_autofree char *inner = NULL;

        if (pdv_json_find_fraction (item, out_path ? &inner : NULL))
          {
            if (out_path)
              *out_path = g_strdup_printf ("[%zu]%s%s", index, *inner == '[' || *inner == '\0' ? "" : ".", inner);
            return TRUE;
          }
      }
  return FALSE;
}

/**
 * pdv_canonical_json:
 *
 * The one textual form of a JSON value that hashes are computed over: compact,
 * keys sorted, UTF-8.
 */
char *
pdv_canonical_json (json_t *value)
{
  char *text = json_dumps (value, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY |
                                  JSON_REAL_PRECISION (17));
  char *ret = g_strdup (text);

  free (text);
  return ret;
}

/* The entry without its hashes, as hashed and as sent to the server. */
static json_t *
entry_body (const PdvJournalEntry *entry)
{
  return json_pack ("{s:I, s:s, s:s, s:s, s:s, s:I, s:s?, s:O}",
                    "seq", (json_int_t) entry->seq,
                    "id", entry->id,
                    "terminal", entry->terminal,
                    "kind", entry->kind,
                    "created_at", entry->created_at,
                    "mono_us", (json_int_t) entry->mono_us,
                    "user", entry->user,
                    "payload", entry->payload);
}

json_t *
pdv_journal_entry_to_json (const PdvJournalEntry *entry)
{
  json_t *body = entry_body (entry);

  json_object_set_new (body, "prev_hash", json_string (entry->prev_hash));
  json_object_set_new (body, "hash", json_string (entry->hash));
  return body;
}

/**
 * pdv_journal_entry_compute_hash:
 *
 * SHA-256 of the entry's prev_hash, a newline and the canonical JSON of the
 * entry without its hashes: what its hash must be.
 *
 * Returns: (transfer full) (nullable): 64 lowercase hex digits, or %NULL when
 *   the entry cannot be encoded
 */
char *
pdv_journal_entry_compute_hash (const PdvJournalEntry *entry)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  json_t *body = entry_body (entry);
  g_autofree char *canonical = NULL;

  if (body == NULL || entry->prev_hash == NULL)
    {
      g_clear_pointer (&body, json_decref);
      return NULL;
    }
  canonical = pdv_canonical_json (body);
  json_decref (body);

  g_checksum_update (checksum, (const guchar *) entry->prev_hash, strlen (entry->prev_hash));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) canonical, strlen (canonical));
  return g_strdup (g_checksum_get_string (checksum));
}

/* A string as json_dumps() writes it: quotes, backslashes and control
 * characters escaped, everything else as is (UTF-8). */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    switch (*p)
      {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\b':
        g_string_append (out, "\\b");
        break;
      case '\f':
        g_string_append (out, "\\f");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf (out, "\\u%04X", *p);
        else
          g_string_append_c (out, (char) *p);
      }
  g_string_append_c (out, '"');
}

/**
 * pdv_journal_entry_compute_hash_from_text:
 *
 * What pdv_journal_entry_compute_hash() computes, with the entry's canonical
 * text written around its payload_text rather than the whole entry encoded
 * again: for a payload_text the caller itself made with
 * pdv_canonical_json(), as the server does for every entry it receives.
 */
char *
pdv_journal_entry_compute_hash_from_text (const PdvJournalEntry *entry)
{
  g_autoptr(GChecksum) checksum = NULL;
  g_autoptr(GString) canonical = NULL;

  if (entry->payload_text == NULL || entry->prev_hash == NULL || entry->id == NULL || entry->terminal == NULL ||
      entry->kind == NULL || entry->created_at == NULL)
    return NULL;
  /* The keys in the order JSON_SORT_KEYS puts them. */
  canonical = g_string_sized_new (strlen (entry->payload_text) + 256);
  g_string_append (canonical, "{\"created_at\":");
  append_json_string (canonical, entry->created_at);
  g_string_append (canonical, ",\"id\":");
  append_json_string (canonical, entry->id);
  g_string_append (canonical, ",\"kind\":");
  append_json_string (canonical, entry->kind);
  g_string_append_printf (canonical, ",\"mono_us\":%" G_GINT64_FORMAT ",\"payload\":", entry->mono_us);
  g_string_append (canonical, entry->payload_text);
  g_string_append_printf (canonical, ",\"seq\":%" G_GINT64_FORMAT ",\"terminal\":", entry->seq);
  append_json_string (canonical, entry->terminal);
  g_string_append (canonical, ",\"user\":");
  if (entry->user != NULL)
    append_json_string (canonical, entry->user);
  else
    g_string_append (canonical, "null");
  g_string_append_c (canonical, '}');

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) entry->prev_hash, strlen (entry->prev_hash));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) canonical->str, canonical->len);
  return g_strdup (g_checksum_get_string (checksum));
}

static void
unannounced_clear (gpointer data)
{
  Unannounced *entry = data;

  g_free (entry->kind);
}

static void
transaction_ended_cb (PdvDb      *db,
                      gboolean    committed,
                      PdvJournal *self)
{
  g_autoptr(GArray) entries = NULL;

  if (self->unannounced->len == 0)
    return;
  /* A handler may append again: announce a batch of its own. */
  entries = g_steal_pointer (&self->unannounced);
  self->unannounced = g_array_new (FALSE, FALSE, sizeof (Unannounced));
  g_array_set_clear_func (self->unannounced, unannounced_clear);
  if (!committed)
    return;
  for (guint i = 0; i < entries->len; i++)
    {
      const Unannounced *entry = &g_array_index (entries, Unannounced, i);

      g_signal_emit (self, signals[APPENDED], g_quark_from_string (entry->kind), entry->seq, entry->kind);
    }
}

static void
pdv_journal_dispose (GObject *object)
{
  PdvJournal *self = (PdvJournal *) object;

  if (self->db != NULL)
    g_signal_handlers_disconnect_by_func (self->db, transaction_ended_cb, self);

  G_OBJECT_CLASS (pdv_journal_parent_class)->dispose (object);
}

static void
pdv_journal_finalize (GObject *object)
{
  PdvJournal *self = (PdvJournal *) object;

  g_clear_object (&self->db);
  g_clear_pointer (&self->terminal_id, g_free);
  g_clear_pointer (&self->unannounced, g_array_unref);

  G_OBJECT_CLASS (pdv_journal_parent_class)->finalize (object);
}

static void
pdv_journal_class_init (PdvJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_journal_dispose;
  object_class->finalize = pdv_journal_finalize;

  /**
   * PdvJournal::appended:
   * @seq: the entry's seq
   * @kind: the entry's kind, also the signal's detail ("appended::sale")
   *
   * An entry appended through this journal is durable: emitted once its
   * transaction committed, on the thread that owns the database. Entries
   * another connection or process writes are not announced here; the sync
   * worker watches the database file for those.
   */
  signals[APPENDED] =
    g_signal_new ("appended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
}

static void
pdv_journal_init (PdvJournal *self)
{
  self->unannounced = g_array_new (FALSE, FALSE, sizeof (Unannounced));
  g_array_set_clear_func (self->unannounced, unannounced_clear);
}

/**
 * pdv_journal_announce:
 *
 * Emits #PdvJournal::appended for an entry that a worker thread of this
 * process appended on its own connection, once it is durable, so that
 * everyone listening here (the sync worker first) hears of it as of any
 * other.
 */
void
pdv_journal_announce (PdvJournal *self,
                      gint64      seq,
                      const char *kind)
{
  g_return_if_fail (PDV_IS_JOURNAL (self));
  g_return_if_fail (kind != NULL);

  g_signal_emit (self, signals[APPENDED], g_quark_from_string (kind), seq, kind);
}

PdvJournal *
pdv_journal_new (PdvDb *db)
{
  PdvJournal *self;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  self = g_object_new (PDV_TYPE_JOURNAL, NULL);
  self->db = g_object_ref (db);
  self->terminal_id = pdv_db_get_meta (db, "terminal_id");
  g_signal_connect (db, "transaction-ended", G_CALLBACK (transaction_ended_cb), self);
  return self;
}

PdvDb *
pdv_journal_get_db (PdvJournal *self)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (self), NULL);
  return self->db;
}

const char *
pdv_journal_get_terminal_id (PdvJournal *self)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (self), NULL);

  if (self->terminal_id == NULL)
    self->terminal_id = pdv_db_get_meta (self->db, "terminal_id");
  return self->terminal_id;
}

gboolean
pdv_journal_is_initialised (PdvJournal *self)
{
  return pdv_journal_get_terminal_id (self) != NULL;
}

/**
 * pdv_journal_initialise:
 * @terminal_name: how people call this terminal ("Bar 1", "Portão 2")
 *
 * Gives the terminal its identity and writes the first journal entry.
 */
gboolean
pdv_journal_initialise (PdvJournal  *self,
                        const char  *terminal_name,
                        GError     **error)
{
  g_autofree char *terminal_id = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  json_t *payload;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (terminal_name != NULL && *terminal_name != '\0', FALSE);

  if (!pdv_db_begin (self->db, error))
    return FALSE;

  terminal_id = pdv_db_get_meta (self->db, "terminal_id");
  if (terminal_id != NULL)
    {
      pdv_db_rollback (self->db);
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_ALREADY_INITIALISED,
                   _("%s already belongs to terminal %s; use another file for a new terminal"),
                   pdv_db_get_path (self->db), terminal_id);
      return FALSE;
    }

  terminal_id = g_uuid_string_random ();
  if (!pdv_db_set_meta (self->db, "terminal_id", terminal_id, error) ||
      !pdv_db_set_meta (self->db, "terminal_name", terminal_name, error))
    {
      pdv_db_rollback (self->db);
      return FALSE;
    }
  g_free (self->terminal_id);
  self->terminal_id = g_strdup (terminal_id);

  payload = json_pack ("{s:s, s:s, s:i}",
                       "name", terminal_name,
                       "version", PACKAGE_VERSION,
                       "schema", pdv_db_schema_version ());
  entry = pdv_journal_append_in_transaction (self, PDV_ENTRY_TERMINAL_INIT, NULL, payload, error);
  json_decref (payload);
  if (entry == NULL || !pdv_db_commit (self->db, error))
    {
      pdv_db_rollback (self->db);
      g_clear_pointer (&self->terminal_id, g_free);
      return FALSE;
    }
  return TRUE;
}

/**
 * pdv_journal_kind_is_valid:
 *
 * What an entry kind may be: lower-case letters, digits, "." and "_", at
 * most 64 of them ("sale", "stock.adjust"). The journal and the sync server
 * both hold entries to it.
 */
gboolean
pdv_journal_kind_is_valid (const char *kind)
{
  if (kind == NULL || *kind == '\0' || strlen (kind) > 64)
    return FALSE;
  for (const char *p = kind; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * pdv_journal_format_time:
 *
 * Returns: (transfer full): @time as journal entries carry it: UTC, ISO
 *   8601 with microseconds, one fixed width, so that times compare as text
 */
char *
pdv_journal_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_get_utc_offset (time) == 0 ? g_date_time_ref (time)
                                                                       : g_date_time_to_utc (time);
  int year, month, day;

  /* As g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ") writes it, at a
   * tenth of the cost (every entry is stamped). */
  g_date_time_get_ymd (utc, &year, &month, &day);
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", year, month, day, g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc),
                          g_date_time_get_microsecond (utc));
}

static char *
now_iso8601 (PdvClock *clock)
{
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (clock);

  return pdv_journal_format_time (now);
}

/* Writes @entry's row as it is, hash included. */
gboolean
pdv_journal_insert_row (PdvJournal            *self,
                        const PdvJournalEntry *entry,
                        GError               **error)
{
  sqlite3_stmt *stmt;

  stmt = pdv_db_prepare (self->db,
                         "INSERT INTO journal (" ENTRY_COLUMNS ") "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->seq);
  sqlite3_bind_text (stmt, 2, entry->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, entry->terminal, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entry->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, entry->mono_us);
  if (entry->user)
    sqlite3_bind_text (stmt, 7, entry->user, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_text (stmt, 8, entry->payload_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, entry->prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, entry->hash, -1, SQLITE_STATIC);
  return pdv_db_step_done (self->db, stmt, error);
}

/* Gives @entry, all set but its payload text and hash, those two, writes
 * it and applies every projection to it. */
gboolean
pdv_journal_store_new (PdvJournal       *self,
                       PdvJournalEntry  *entry,
                       GError          **error)
{
  /* The payload is encoded once: the hash is made around that text. */
  entry->payload_text = pdv_canonical_json (entry->payload);
  entry->hash = entry->payload_text != NULL ? pdv_journal_entry_compute_hash_from_text (entry) : NULL;
  if (entry->hash == NULL)
    {
      g_set_error_literal (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                           _("The journal entry could not be encoded"));
      return FALSE;
    }
  return pdv_journal_insert_row (self, entry, error) && pdv_journal_apply (self, entry, error);
}

/* Applies every projection to @entry, a row just written. */
gboolean
pdv_journal_apply (PdvJournal            *self,
                   const PdvJournalEntry *entry,
                   GError               **error)
{
  const PdvProjection * const *projections;
  guint n_projections;

  projections = pdv_projections_get (&n_projections);
  for (guint i = 0; i < n_projections; i++)
    if (!projections[i]->apply (self->db, entry, error))
      return FALSE;
  return TRUE;
}

/**
 * pdv_journal_append_in_transaction:
 * @kind: what happened, e.g. "sale", "checkin"
 * @user: (nullable): who did it
 * @payload: (transfer none): a JSON object
 *
 * Appends an entry inside the caller's transaction and applies every
 * projection to it. Nothing is durable until the caller commits.
 *
 * Returns: (transfer full): the entry as stored
 */
PdvJournalEntry *
pdv_journal_append_in_transaction (PdvJournal  *self,
                                   const char  *kind,
                                   const char  *user,
                                   json_t      *payload,
                                   GError     **error)
{
  g_autoptr(PdvJournalEntry) entry = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (pdv_db_in_transaction (self->db), NULL);

  if (!pdv_journal_kind_is_valid (kind))
    {
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                   _("“%s” is not a valid journal entry kind"), kind ? kind : "");
      return NULL;
    }
  if (!json_is_object (payload))
    {
      g_set_error_literal (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                           _("A journal entry needs an object as payload"));
      return NULL;
    }
  {
    g_autofree char *path = NULL;

    if (pdv_json_find_fraction (payload, &path))
      {
        g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
                     _("A journal entry holds whole numbers only (money in centavos); “%s” has a fraction"), path);
        return NULL;
      }
  }
  if (pdv_journal_get_terminal_id (self) == NULL)
    {
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_NOT_INITIALISED,
                   _("%s has not been set up as a terminal yet; run “pdvctl init” first"),
                   pdv_db_get_path (self->db));
      return NULL;
    }

  entry = g_new0 (PdvJournalEntry, 1);

  stmt = pdv_db_prepare (self->db, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      entry->seq = sqlite3_column_int64 (stmt, 0) + 1;
      entry->prev_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      break;
    case SQLITE_DONE:
      entry->seq = 1;
      entry->prev_hash = g_strdup (PDV_JOURNAL_GENESIS_HASH);
      break;
    default:
      pdv_db_set_error (self->db, error, _("Reading the journal"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  entry->id = g_uuid_string_random ();
  entry->terminal = g_strdup (self->terminal_id);
  entry->kind = g_strdup (kind);
  entry->created_at = now_iso8601 (pdv_db_get_clock (self->db));
  entry->mono_us = pdv_clock_get_monotonic_time (pdv_db_get_clock (self->db));
  entry->user = g_strdup (user);
  entry->payload = json_incref (payload);
  if (!pdv_journal_store_new (self, entry, error))
    return NULL;

  {
    Unannounced announce = { entry->seq, g_strdup (entry->kind) };

    g_array_append_val (self->unannounced, announce);
  }
  return g_steal_pointer (&entry);
}

/**
 * pdv_journal_append:
 *
 * Appends one entry and its projection updates in one durable transaction.
 * When this returns an entry, it survives a power cut.
 *
 * Returns: (transfer full): the entry as stored, or %NULL with @error set
 */
PdvJournalEntry *
pdv_journal_append (PdvJournal  *self,
                    const char  *kind,
                    const char  *user,
                    json_t      *payload,
                    GError     **error)
{
  g_autoptr(PdvJournalEntry) entry = NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), NULL);

  if (!pdv_db_begin (self->db, error))
    return NULL;
  entry = pdv_journal_append_in_transaction (self, kind, user, payload, error);
  if (entry == NULL || !pdv_db_commit (self->db, error))
    {
      pdv_db_rollback (self->db);
      return NULL;
    }
  return g_steal_pointer (&entry);
}

gint64
pdv_journal_get_last_seq (PdvJournal *self)
{
  sqlite3_stmt *stmt;
  gint64 seq = 0;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), 0);

  stmt = pdv_db_prepare (self->db, "SELECT COALESCE (MAX (seq), 0) FROM journal", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return seq;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) != SQLITE_TEXT)
    return NULL;
  return (const char *) sqlite3_column_text (stmt, column);
}

/* Reads a row as stored, without judging it. */
static PdvJournalEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  PdvJournalEntry *entry = g_new0 (PdvJournalEntry, 1);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->id = g_strdup (column_text (stmt, 1));
  entry->terminal = g_strdup (column_text (stmt, 2));
  entry->kind = g_strdup (column_text (stmt, 3));
  entry->created_at = g_strdup (column_text (stmt, 4));
  entry->mono_us = sqlite3_column_int64 (stmt, 5);
  entry->user = g_strdup (column_text (stmt, 6));
  entry->payload_text = g_strdup (column_text (stmt, 7));
  entry->prev_hash = g_strdup (column_text (stmt, 8));
  entry->hash = g_strdup (column_text (stmt, 9));
  if (entry->payload_text != NULL)
    entry->payload = json_loads (entry->payload_text, JSON_REJECT_DUPLICATES, NULL);
  return entry;
}

/**
 * pdv_journal_list:
 * @since_seq: entries with a greater seq are listed
 * @limit: at most this many, or 0 for all
 *
 * Returns: (transfer container) (element-type PdvJournalEntry): entries in seq order
 */
GPtrArray *
pdv_journal_list (PdvJournal  *self,
                  gint64       since_seq,
                  gint64       limit,
                  GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_journal_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), NULL);

  stmt = pdv_db_prepare (self->db,
                         "SELECT " ENTRY_COLUMNS " FROM journal WHERE seq > ? ORDER BY seq LIMIT ?",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_seq);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (self->db, error, _("Reading the journal"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
bad_entry (GError   **error,
           gint64     seq,
           gint64    *out_bad_seq,
           const char *reason)
{
  if (out_bad_seq)
    *out_bad_seq = seq;
  g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_BROKEN_CHAIN,
               _("Journal entry %lld is damaged: %s"), (long long) seq, reason);
  return FALSE;
}

/* Judges one stored row against its predecessor's hash. */
static gboolean
check_entry (sqlite3_stmt  *stmt,
             gint64         expected_seq,
             const char    *expected_prev_hash,
             const char    *terminal_id,
             GError       **error,
             gint64        *out_bad_seq)
{
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GDateTime) created = NULL;
  gint64 seq = sqlite3_column_int64 (stmt, 0);

  if (sqlite3_column_type (stmt, 0) != SQLITE_INTEGER || seq != expected_seq)
    return bad_entry (error, expected_seq, out_bad_seq,
                      _("the sequence has a gap or is out of order"));
  for (int column = 1; column <= 9; column++)
    {
      int type = sqlite3_column_type (stmt, column);
      if (column == 5 ? type != SQLITE_INTEGER : (column == 6 ? (type != SQLITE_TEXT && type != SQLITE_NULL)
                                                               : type != SQLITE_TEXT))
        return bad_entry (error, seq, out_bad_seq, _("a field has the wrong type"));
    }

  entry = entry_from_row (stmt);
  if (!g_uuid_string_is_valid (entry->id))
    return bad_entry (error, seq, out_bad_seq, _("its id is not a UUID"));
  if (g_strcmp0 (entry->terminal, terminal_id) != 0)
    return bad_entry (error, seq, out_bad_seq, _("it names another terminal"));
  if (!pdv_journal_kind_is_valid (entry->kind))
    return bad_entry (error, seq, out_bad_seq, _("its kind is not valid"));
  created = g_date_time_new_from_iso8601 (entry->created_at, NULL);
  if (created == NULL)
    return bad_entry (error, seq, out_bad_seq, _("its time is not valid"));
  if (entry->payload == NULL || !json_is_object (entry->payload))
    return bad_entry (error, seq, out_bad_seq, _("its payload is not a JSON object"));
  canonical = pdv_canonical_json (entry->payload);
  if (g_strcmp0 (canonical, entry->payload_text) != 0)
    return bad_entry (error, seq, out_bad_seq, _("its payload was rewritten"));
  if (g_strcmp0 (entry->prev_hash, expected_prev_hash) != 0)
    return bad_entry (error, seq, out_bad_seq, _("it does not follow the previous entry (prev_hash)"));
  hash = pdv_journal_entry_compute_hash (entry);
  if (g_strcmp0 (hash, entry->hash) != 0)
    return bad_entry (error, seq, out_bad_seq, _("its hash does not match its contents"));
  return TRUE;
}

/**
 * pdv_journal_verify_chain:
 * @out_entries: (out) (optional): how many entries were checked
 * @out_bad_seq: (out) (optional): the first damaged entry, when verification fails
 *
 * Walks the whole hash chain and stops at the first entry that was altered,
 * removed or inserted.
 */
gboolean
pdv_journal_verify_chain (PdvJournal  *self,
                          gint64      *out_entries,
                          gint64      *out_bad_seq,
                          GError     **error)
{
  g_autofree char *prev_hash = g_strdup (PDV_JOURNAL_GENESIS_HASH);
  sqlite3_stmt *stmt;
  const char *terminal_id;
  gint64 expected = 1;
  int rc;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), FALSE);

  if (out_bad_seq)
    *out_bad_seq = 0;
  terminal_id = pdv_journal_get_terminal_id (self);

  /* Read without the cached statement: verification must not disturb a
   * statement the caller is stepping. */
  if (sqlite3_prepare_v2 (pdv_db_get_handle (self->db),
                          "SELECT " ENTRY_COLUMNS " FROM journal ORDER BY seq",
                          -1, &stmt, NULL) != SQLITE_OK)
    return pdv_db_set_error (self->db, error, _("Reading the journal"));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!check_entry (stmt, expected, prev_hash, terminal_id, error, out_bad_seq))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      g_free (prev_hash);
      prev_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      expected++;
    }
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (self->db, error, _("Reading the journal"));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  if (out_entries)
    *out_entries = expected - 1;
  return TRUE;
}

/* Clears every projection and applies the whole journal again, inside the
 * caller's transaction. */
gboolean
pdv_journal_replay (PdvJournal  *self,
                    gint64      *out_entries,
                    GError     **error)
{
  const PdvProjection * const *projections = NULL;
  sqlite3_stmt *stmt;
  guint n_projections;
  gint64 count = 0;
  int rc;

  projections = pdv_projections_get (&n_projections);
  for (guint i = 0; i < n_projections; i++)
    if (!pdv_db_exec (self->db, projections[i]->clear_sql, error) ||
        (projections[i]->reset != NULL && !projections[i]->reset (self->db, error)))
      return FALSE;

  if (sqlite3_prepare_v2 (pdv_db_get_handle (self->db),
                          "SELECT " ENTRY_COLUMNS " FROM journal ORDER BY seq",
                          -1, &stmt, NULL) != SQLITE_OK)
    return pdv_db_set_error (self->db, error, _("Reading the journal"));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PdvJournalEntry) entry = entry_from_row (stmt);

      if (entry->payload == NULL)
        {
          sqlite3_finalize (stmt);
          return bad_entry (error, entry->seq, NULL, _("its payload is not a JSON object"));
        }
      for (guint i = 0; i < n_projections; i++)
        if (!projections[i]->apply (self->db, entry, error))
          {
            sqlite3_finalize (stmt);
            return FALSE;
          }
      count++;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return pdv_db_set_error (self->db, error, _("Reading the journal"));

  if (out_entries)
    *out_entries = count;
  return TRUE;
}

/**
 * pdv_journal_rebuild:
 *
 * Recomputes every projection from the journal, in one transaction.
 */
gboolean
pdv_journal_rebuild (PdvJournal  *self,
                     gint64      *out_entries,
                     GError     **error)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (self), FALSE);

  if (!pdv_db_begin (self->db, error))
    return FALSE;
  if (!pdv_journal_replay (self, out_entries, error) || !pdv_db_commit (self->db, error))
    {
      pdv_db_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
dump_rows (PdvDb              *db,
           const PdvProjection *projection,
           GError            **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (sqlite3_prepare_v2 (pdv_db_get_handle (db), projection->dump_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      pdv_db_set_error (db, error, _("Reading a projection"));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *row = g_string_new (NULL);

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *value = (const char *) sqlite3_column_text (stmt, i);
          if (i > 0)
            g_string_append (row, " | ");
          g_string_append (row, value ? value : "NULL");
        }
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (db, error, _("Reading a projection"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * pdv_journal_verify_projections:
 *
 * Rebuilds every projection inside a transaction that is rolled back, and
 * compares the result with what is stored. Reports the first row that differs.
 */
gboolean
pdv_journal_verify_projections (PdvJournal  *self,
                                GError     **error)
{
  const PdvProjection * const *projections;
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  guint n_projections;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), FALSE);

  /* Rebuilding writes, then rolls back: a database only read (an auditor's
   * copy) is checked in a copy of it in memory. */
  if (pdv_db_is_read_only (self->db))
    {
      g_autoptr(PdvDb) scratch = pdv_db_copy_to_memory (self->db, error);
      g_autoptr(PdvJournal) copy = NULL;

      if (scratch == NULL)
        return FALSE;
      copy = pdv_journal_new (scratch);
      return pdv_journal_verify_projections (copy, error);
    }

  projections = pdv_projections_get (&n_projections);
  if (!pdv_db_begin (self->db, error))
    return FALSE;

  for (guint i = 0; i < n_projections; i++)
    {
      GPtrArray *rows = dump_rows (self->db, projections[i], error);
      if (rows == NULL)
        goto failed;
      g_ptr_array_add (stored, rows);
    }

  if (!pdv_journal_replay (self, NULL, error))
    goto failed;

  for (guint i = 0; i < n_projections; i++)
    {
      g_autoptr(GPtrArray) rebuilt = dump_rows (self->db, projections[i], error);
      GPtrArray *before = g_ptr_array_index (stored, i);

      if (rebuilt == NULL)
        goto failed;
      for (guint r = 0; r < MAX (before->len, rebuilt->len); r++)
        {
          const char *a = r < before->len ? g_ptr_array_index (before, r) : NULL;
          const char *b = r < rebuilt->len ? g_ptr_array_index (rebuilt, r) : NULL;

          if (g_strcmp0 (a, b) != 0)
            {
              g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_PROJECTION_DIVERGED,
                           _("The “%s” table does not match the journal: stored [%s], "
                             "the journal gives [%s]. Run “pdvctl rebuild” to recompute it."),
                           projections[i]->name, a ? a : _("no row"), b ? b : _("no row"));
              goto failed;
            }
        }
    }

  pdv_db_rollback (self->db);
  return TRUE;

failed:
  pdv_db_rollback (self->db);
  return FALSE;
}

/**
 * pdv_journal_verify:
 *
 * The hash chain, then the projections.
 */
gboolean
pdv_journal_verify (PdvJournal  *self,
                    gint64      *out_entries,
                    gint64      *out_bad_seq,
                    GError     **error)
{
  return pdv_journal_verify_chain (self, out_entries, out_bad_seq, error) &&
         pdv_journal_verify_projections (self, error);
}

/**
 * pdv_journal_record_setting:
 * @user: (nullable): who changed it
 * @setting: which, e.g. "shifts_required", "gate"
 * @value: its new value, for people
 *
 * Journals a change of a setting this terminal keeps in its database
 * ("settings.change"), for the audit.
 */
gboolean
pdv_journal_record_setting (PdvJournal  *self,
                            const char  *user,
                            const char  *setting,
                            const char  *value,
                            GError     **error)
{
  g_autoptr(json_t) payload = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (setting != NULL && value != NULL, FALSE);

  /* Every guarded setting as it now stands: what verification holds the
   * database to (pdv-seal.c). */
  payload = json_pack ("{s:s, s:s, s:o}", "setting", setting, "value", value, "settings",
                       pdv_seal_settings_snapshot (self->db));
  entry = pdv_journal_append (self, PDV_ENTRY_SETTINGS_CHANGE, user, payload, error);
  return entry != NULL;
}

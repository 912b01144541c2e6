/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-db-private.h"
#include "pdv-test-util.h"

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
  PdvDb      *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, data != NULL);
  f->journal = pdv_context_get_journal (f->context);
  f->db = pdv_context_get_db (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static PdvJournalEntry *
append (Fixture    *f,
        const char *kind,
        const char *payload_text)
{
  g_autoptr(GError) error = NULL;
  json_t *payload = pdv_test_payload (payload_text);
  PdvJournalEntry *entry = pdv_journal_append (f->journal, kind, "ana", payload, &error);

  json_decref (payload);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

static void
test_append_links_entries (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PdvJournalEntry) a = append (f, "test.note", "{\"n\": 1}");
  g_autoptr(PdvJournalEntry) b = append (f, "test.note", "{\"z\": \"último\", \"a\": [1, 2]}");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  PdvJournalEntry *stored;

  /* seq 1 is terminal.init, 2 the setting pdv_test_open_terminal() makes */
  g_assert_cmpint (a->seq, ==, 3);
  g_assert_cmpint (b->seq, ==, 4);
  g_assert_cmpstr (b->prev_hash, ==, a->hash);
  g_assert_cmpuint (strlen (a->hash), ==, 64);
  g_assert_true (g_uuid_string_is_valid (a->id));
  g_assert_cmpstr (a->terminal, ==, pdv_journal_get_terminal_id (f->journal));
  /* The payload is stored in canonical form: sorted keys, compact. */
  g_assert_cmpstr (b->payload_text, ==, "{\"a\":[1,2],\"z\":\"último\"}");

  all = pdv_journal_list (f->journal, 2, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  stored = g_ptr_array_index (all, 1);
  g_assert_cmpstr (stored->hash, ==, b->hash);
  g_assert_cmpstr (stored->payload_text, ==, b->payload_text);
  g_assert_cmpstr (stored->user, ==, "ana");
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, 4);
}

static void
test_append_refuses_bad_input (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  json_t *array = json_array ();
  json_t *object = json_object ();
  PdvJournalEntry *entry;

  entry = pdv_journal_append (f->journal, "Not A Kind!", NULL, object, &error);
  g_assert_null (entry);
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID);
  g_clear_error (&error);

  entry = pdv_journal_append (f->journal, "test.note", NULL, array, &error);
  g_assert_null (entry);
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID);

  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, 2);

  /* Whole numbers only: a real has no one form to hash. */
  {
    g_autoptr(json_t) real = json_pack ("{s:[{s:f}]}", "lines", "qty", 1.5);
    g_autoptr(GError) real_error = NULL;
    g_autoptr(PdvJournalEntry) none = pdv_journal_append (f->journal, "test.note", NULL, real, &real_error);

    g_assert_null (none);
    g_assert_error (real_error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID);
    g_assert_nonnull (strstr (real_error->message, "lines[0].qty"));
  }
  g_assert_false (pdv_db_in_transaction (f->db));
  json_decref (array);
  json_decref (object);
}

static void
test_not_initialised (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "t.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = pdv_context_open (path, &error);
  json_t *payload = json_object ();
  PdvJournalEntry *entry;

  g_assert_no_error (error);
  entry = pdv_journal_append (pdv_context_get_journal (context), "test.note", NULL, payload, &error);
  g_assert_null (entry);
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_NOT_INITIALISED);
  g_assert_nonnull (strstr (error->message, "pdvctl init"));
  g_clear_error (&error);

  g_assert_true (pdv_journal_initialise (pdv_context_get_journal (context), "Portão 1", &error));
  g_assert_false (pdv_journal_initialise (pdv_context_get_journal (context), "Portão 2", &error));
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_ALREADY_INITIALISED);

  json_decref (payload);
  g_clear_object (&context);
  pdv_test_remove_tree (dir);
}

static void
test_verify_intact (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 n_entries = 0;

  for (int i = 0; i < 50; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"i\": %d, \"text\": \"ação nº %d\"}", i, i);
      g_autoptr(PdvJournalEntry) entry = append (f, "test.note", text);
    }
  g_assert_true (pdv_journal_verify (f->journal, &n_entries, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, ==, 52);
}

static const char * const text_columns[] = {
  "id", "terminal", "kind", "created_at", "user_id", "payload", "prev_hash", "hash",
};

static gboolean
set_text_column (PdvDb       *db,
                 const char  *column,
                 gint64       seq,
                 const char  *value,
                 gsize        length)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE journal SET %s = ? WHERE seq = ?", column);
  sqlite3_stmt *stmt;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (pdv_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, value, length, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, seq);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static char *
get_text_column (PdvDb      *db,
                 const char *column,
                 gint64      seq,
                 gsize      *length)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM journal WHERE seq = ?", column);
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pdv_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, seq);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      *length = sqlite3_column_bytes (stmt, 0);
      value = g_memdup2 (sqlite3_column_text (stmt, 0), *length + 1);
    }
  sqlite3_finalize (stmt);
  return value;
}

static void
expect_broken_at (Fixture *f,
                  gint64   seq)
{
  g_autoptr(GError) error = NULL;
  gint64 bad_seq = 0;

  g_assert_false (pdv_journal_verify_chain (f->journal, NULL, &bad_seq, &error));
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_BROKEN_CHAIN);
  g_assert_cmpint (bad_seq, ==, seq);
}

static void
expect_intact (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pdv_journal_verify_chain (f->journal, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Someone with the file in hand changes one byte of one entry: every such
 * change, anywhere in any entry, must be caught and pinned to that entry. */
static void
test_tampering_any_byte_is_detected (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 last;
  guint n_tampered = 0;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(PdvJournalEntry) entry =
        append (f, "test.note", "{\"amount\": 1250, \"note\": \"Cerveja Latão, cartão\"}");
    }
  last = pdv_journal_get_last_seq (f->journal);

  /* Only an attacker removes the guards; the test plays one. Durability is
   * beside the point here. */
  pdv_db_exec (f->db, "DROP TRIGGER journal_no_update; PRAGMA synchronous = OFF", &error);
  g_assert_no_error (error);

  for (gint64 seq = 1; seq <= last; seq++)
    {
      for (guint c = 0; c < G_N_ELEMENTS (text_columns); c++)
        {
          gsize length = 0;
          g_autofree char *original = get_text_column (f->db, text_columns[c], seq, &length);

          if (original == NULL)
            {
              /* A NULL user (terminal.init): filling it in is tampering too. */
              g_assert_true (set_text_column (f->db, text_columns[c], seq, "ana", 3));
              expect_broken_at (f, seq);
              g_assert_true (set_text_column (f->db, "user_id", seq, NULL, 0));
              expect_intact (f);
              n_tampered++;
              continue;
            }

          for (gsize b = 0; b < length; b++)
            {
              g_autofree char *changed = g_memdup2 (original, length + 1);

              changed[b] ^= 0x01;
              g_assert_true (set_text_column (f->db, text_columns[c], seq, changed, length));
              expect_broken_at (f, seq);
              g_assert_true (set_text_column (f->db, text_columns[c], seq, original, length));
              n_tampered++;
            }
          /* A byte added or removed at the end. */
          {
            g_autofree char *longer = g_strconcat (original, " ", NULL);
            g_assert_true (set_text_column (f->db, text_columns[c], seq, longer, length + 1));
            expect_broken_at (f, seq);
            g_assert_true (set_text_column (f->db, text_columns[c], seq, original, length - 1));
            expect_broken_at (f, seq);
            g_assert_true (set_text_column (f->db, text_columns[c], seq, original, length));
          }
          expect_intact (f);
        }

      /* The integer columns. */
      {
        g_autofree char *sql = g_strdup_printf ("UPDATE journal SET mono_us = mono_us + 1 WHERE seq = %"
                                                G_GINT64_FORMAT, seq);
        g_autofree char *undo = g_strdup_printf ("UPDATE journal SET mono_us = mono_us - 1 WHERE seq = %"
                                                 G_GINT64_FORMAT, seq);
        g_autofree char *move = g_strdup_printf ("UPDATE journal SET seq = seq + 1000 WHERE seq = %"
                                                 G_GINT64_FORMAT, seq);
        g_autofree char *back = g_strdup_printf ("UPDATE journal SET seq = seq - 1000 WHERE seq = %"
                                                 G_GINT64_FORMAT, seq + 1000);

        pdv_db_exec (f->db, sql, &error);
        g_assert_no_error (error);
        expect_broken_at (f, seq);
        pdv_db_exec (f->db, undo, &error);
        pdv_db_exec (f->db, move, &error);
        g_assert_no_error (error);
        expect_broken_at (f, seq);
        pdv_db_exec (f->db, back, &error);
        g_assert_no_error (error);
        expect_intact (f);
      }
    }
  g_test_message ("%u single-byte tamperings, all detected", n_tampered);
  g_assert_cmpuint (n_tampered, >, 1000);

  /* An entry removed from the middle, or the chain cut short and re-linked. */
  pdv_db_exec (f->db, "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = 2", &error);
  g_assert_no_error (error);
  expect_broken_at (f, 2);
}

typedef struct {
  const char *path;
  int         writer;
  int         count;
} WriterArgs;

static gpointer
writer_thread (gpointer data)
{
  WriterArgs *args = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDb) db = pdv_db_open (args->path, &error);
  g_autoptr(PdvJournal) journal = NULL;

  g_assert_no_error (error);
  journal = pdv_journal_new (db);
  for (int i = 0; i < args->count; i++)
    {
      json_t *payload = json_pack ("{s:i, s:i}", "writer", args->writer, "n", i);
      g_autoptr(PdvJournalEntry) entry = pdv_journal_append (journal, "test.tick", NULL, payload, &error);

      json_decref (payload);
      g_assert_no_error (error);
      g_assert_nonnull (entry);
    }
  return NULL;
}

static void
test_two_writers_gap_free (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = g_strdup (pdv_db_get_path (f->db));
  WriterArgs a = { path, 1, 150 };
  WriterArgs b = { path, 2, 150 };
  GThread *ta, *tb;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  int next[3] = { 0, 0, 0 };
  gint64 n_entries = 0;

  ta = g_thread_new ("writer-a", writer_thread, &a);
  tb = g_thread_new ("writer-b", writer_thread, &b);
  g_thread_join (ta);
  g_thread_join (tb);

  entries = pdv_journal_list (f->journal, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 302);
  for (guint i = 0; i < entries->len; i++)
    {
      PdvJournalEntry *entry = g_ptr_array_index (entries, i);

      g_assert_cmpint (entry->seq, ==, i + 1);
      /* After terminal.init and the setting pdv_test_open_terminal() makes */
      if (i > 1)
        {
          /* Each writer's entries are all there, in its own order. */
          int writer = json_integer_value (json_object_get (entry->payload, "writer"));
          g_assert_cmpint (json_integer_value (json_object_get (entry->payload, "n")), ==, next[writer]);
          next[writer]++;
        }
    }
  g_assert_cmpint (next[1], ==, 150);
  g_assert_cmpint (next[2], ==, 150);
  g_assert_true (pdv_journal_verify (f->journal, &n_entries, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, ==, 302);
}

static void
test_stock_projection (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PdvCatalog *catalog = pdv_context_get_catalog (f->context);
  gint64 before = pdv_test_stock_of (catalog, "CERV-LATA-350");
  gint64 entries = 0;

  g_assert_cmpint (before, ==, 600);
  {
    g_autoptr(PdvJournalEntry) e1 =
      append (f, "stock.adjust", "{\"items\": [{\"product\": \"CERV-LATA-350\", \"delta\": -24}], "
                                 "\"reason\": \"breakage\"}");
    g_autoptr(PdvJournalEntry) e2 =
      append (f, "stock.adjust", "{\"items\": [{\"product\": \"CERV-LATA-350\", \"delta\": 48}], "
                                 "\"reason\": \"delivery\"}");
  }
  g_assert_cmpint (pdv_test_stock_of (catalog, "CERV-LATA-350"), ==, 624);
  {
    g_autoptr(PdvJournalEntry) e3 =
      append (f, "stock.count", "{\"items\": [{\"product\": \"CERV-LATA-350\", \"qty\": 610}]}");
  }
  g_assert_cmpint (pdv_test_stock_of (catalog, "CERV-LATA-350"), ==, 610);

  /* Somebody edits the table behind the journal's back. */
  pdv_db_exec (f->db, "UPDATE stock SET qty = 9999 WHERE product_id = 'CERV-LATA-350'", &error);
  g_assert_no_error (error);
  g_assert_false (pdv_journal_verify_projections (f->journal, &error));
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_PROJECTION_DIVERGED);
  g_assert_nonnull (strstr (error->message, "stock"));
  g_assert_nonnull (strstr (error->message, "9999"));
  g_clear_error (&error);
  /* Verify looked but did not repair. */
  g_assert_cmpint (pdv_test_stock_of (catalog, "CERV-LATA-350"), ==, 9999);

  g_assert_true (pdv_journal_rebuild (f->journal, &entries, &error));
  g_assert_no_error (error);
  g_assert_cmpint (entries, ==, pdv_journal_get_last_seq (f->journal));
  g_assert_cmpint (pdv_test_stock_of (catalog, "CERV-LATA-350"), ==, 610);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_projection_failure_rolls_back_entry (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 last = pdv_journal_get_last_seq (f->journal);
  json_t *payload = pdv_test_payload ("{\"items\": [{\"product\": \"NO-SUCH-SKU\", \"delta\": 5}]}");
  PdvJournalEntry *entry;

  entry = pdv_journal_append (f->journal, "stock.adjust", NULL, payload, &error);
  json_decref (payload);
  g_assert_null (entry);
  g_assert_nonnull (error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));

  payload = pdv_test_payload ("{\"items\": [{\"product\": \"CERV-LATA-350\"}]}");
  g_clear_error (&error);
  entry = pdv_journal_append (f->journal, "stock.adjust", NULL, payload, &error);
  json_decref (payload);
  g_assert_null (entry);
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, last);
}

typedef struct {
  GArray    *seqs;
  GPtrArray *kinds;
  gboolean   in_transaction_seen;
  PdvDb     *db;
} Announcements;

static void
appended_cb (PdvJournal    *journal,
             gint64         seq,
             const char    *kind,
             Announcements *seen)
{
  g_array_append_val (seen->seqs, seq);
  g_ptr_array_add (seen->kinds, g_strdup (kind));
  if (pdv_db_in_transaction (seen->db))
    seen->in_transaction_seen = TRUE;
}

static void
count_cb (PdvJournal *journal,
          gint64      seq,
          const char *kind,
          guint      *count)
{
  (*count)++;
}

/* Listeners hear of an entry once it is durable: after its transaction
 * commits, once per entry, never for a rolled-back one; the detail is the
 * kind. */
static void
test_append_announced (Fixture       *f,
                       gconstpointer  data)
{
  Announcements seen = { g_array_new (FALSE, FALSE, sizeof (gint64)), g_ptr_array_new_with_free_func (g_free),
                         FALSE, f->db };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvJournalEntry) single = NULL;
  g_autoptr(PdvJournalEntry) other = NULL;
  g_autoptr(PdvJournalEntry) rolled_back = NULL;
  guint others_heard = 0;
  json_t *payload;

  g_signal_connect (f->journal, "appended", G_CALLBACK (appended_cb), &seen);
  g_signal_connect (f->journal, "appended::test.other", G_CALLBACK (count_cb), &others_heard);

  single = append (f, "test.note", "{\"n\": 1}");
  g_assert_cmpuint (seen.seqs->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.seqs, gint64, 0), ==, single->seq);
  g_assert_cmpstr (g_ptr_array_index (seen.kinds, 0), ==, "test.note");

  /* Two in one transaction: nothing until the commit, then both in order. */
  g_assert_true (pdv_db_begin (f->db, &error));
  payload = pdv_test_payload ("{\"n\": 2}");
  g_clear_pointer (&single, pdv_journal_entry_free);
  single = pdv_journal_append_in_transaction (f->journal, "test.note", "ana", payload, &error);
  json_decref (payload);
  payload = pdv_test_payload ("{\"n\": 3}");
  other = pdv_journal_append_in_transaction (f->journal, "test.other", "ana", payload, &error);
  g_assert_nonnull (other);
  json_decref (payload);
  g_assert_no_error (error);
  g_assert_cmpuint (seen.seqs->len, ==, 1);
  g_assert_true (pdv_db_commit (f->db, &error));
  g_assert_cmpuint (seen.seqs->len, ==, 3);
  g_assert_cmpint (g_array_index (seen.seqs, gint64, 1), ==, single->seq);
  g_assert_cmpint (g_array_index (seen.seqs, gint64, 2), ==, single->seq + 1);
  g_assert_cmpstr (g_ptr_array_index (seen.kinds, 2), ==, "test.other");
  g_assert_cmpuint (others_heard, ==, 1);

  /* Rolled back: never announced, and not announced with the next commit. */
  g_assert_true (pdv_db_begin (f->db, &error));
  payload = pdv_test_payload ("{\"n\": 4}");
  rolled_back = pdv_journal_append_in_transaction (f->journal, "test.note", "ana", payload, &error);
  g_assert_nonnull (rolled_back);
  json_decref (payload);
  pdv_db_rollback (f->db);
  g_clear_pointer (&single, pdv_journal_entry_free);
  single = append (f, "test.note", "{\"n\": 5}");
  g_assert_cmpuint (seen.seqs->len, ==, 4);
  g_assert_cmpint (g_array_index (seen.seqs, gint64, 3), ==, single->seq);
  g_assert_false (seen.in_transaction_seen);

  g_signal_handlers_disconnect_by_data (f->journal, &seen);
  g_signal_handlers_disconnect_by_data (f->journal, &others_heard);
  g_array_unref (seen.seqs);
  g_ptr_array_unref (seen.kinds);
}

/* The server's hash, written around the payload's canonical text, is the
 * hash of the whole entry encoded again, whatever its texts hold. */
static void
test_hash_from_text (void)
{
  static const char * const texts[] = {
    "plain", "Portão 1 — VIP ☃ 𝄞", "quote \" and backslash \\", "slash / stays", "tab\there\nnew line\r",
    "\b\f", "\x01\x02\x1f control", "\x7f delete", "", "ünïcödé \xe2\x80\xa8 separator",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (guint with_user = 0; with_user < 2; with_user++)
      {
        g_autoptr(json_t) payload = json_pack ("{s:s, s:I, s:[s, i], s:{s:s}}", "name", texts[i], "total",
                                               (json_int_t) -42 - (json_int_t) i, "list", texts[i], 7,
                                               "nested", texts[i], texts[(i + 1) % G_N_ELEMENTS (texts)]);
        PdvJournalEntry entry = { 0 };
        g_autofree char *slow = NULL;
        g_autofree char *fast = NULL;
        g_autofree char *canonical = pdv_canonical_json (payload);

        entry.seq = G_MAXINT64 - i;
        entry.id = (char *) "0b7f6f3e-8a55-4a3c-9d0e-0f6d2f6a1c11";
        entry.terminal = (char *) texts[i];
        entry.kind = (char *) texts[(i + 2) % G_N_ELEMENTS (texts)];
        entry.created_at = (char *) texts[(i + 3) % G_N_ELEMENTS (texts)];
        entry.mono_us = i % 2 ? G_MININT64 : 123456789;
        entry.user = with_user ? (char *) texts[(i + 4) % G_N_ELEMENTS (texts)] : NULL;
        entry.payload = payload;
        entry.payload_text = canonical;
        entry.prev_hash = (char *) PDV_JOURNAL_GENESIS_HASH;
        slow = pdv_journal_entry_compute_hash (&entry);
        fast = pdv_journal_entry_compute_hash_from_text (&entry);
        g_assert_nonnull (slow);
        g_assert_cmpstr (fast, ==, slow);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, demo, func) \
  g_test_add (path, Fixture, (demo) ? "demo" : NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/journal/append/hash-chain", FALSE, test_append_links_entries);
  ADD ("/journal/append/refuses-bad-input", FALSE, test_append_refuses_bad_input);
  ADD ("/journal/append/announced", FALSE, test_append_announced);
  g_test_add_func ("/journal/append/not-initialised", test_not_initialised);
  g_test_add_func ("/journal/hash-from-text", test_hash_from_text);
  ADD ("/journal/verify/intact", FALSE, test_verify_intact);
  ADD ("/journal/verify/tampering-any-byte", FALSE, test_tampering_any_byte_is_detected);
  ADD ("/journal/append/two-writers-gap-free", FALSE, test_two_writers_gap_free);
  ADD ("/journal/projection/stock-rebuild", TRUE, test_stock_projection);
  ADD ("/journal/projection/failure-rolls-back", TRUE, test_projection_failure_rolls_back_entry);
#undef ADD

  return g_test_run ();
}

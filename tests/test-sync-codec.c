/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-sync-codec.h"
#include "pdv-test-util.h"

/* An entry survives the trip: what the terminal sends is what the server
 * reads, hash included, and the server can check that hash. */
static void
test_codec_entry_round_trip (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, FALSE);
  g_autoptr(json_t) payload = json_pack ("{s:s, s:i}", "text", "Cerveja Latão", "n", 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvJournalEntry) entry = pdv_journal_append (pdv_context_get_journal (context), "test.note", "ana",
                                                         payload, &error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(json_t) request = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *hash = NULL;
  const char *terminal_id = NULL;
  PdvJournalEntry *back;

  g_assert_no_error (error);
  g_ptr_array_add (entries, entry);
  request = pdv_sync_push_request_encode (pdv_journal_get_terminal_id (pdv_context_get_journal (context)), entries);
  decoded = pdv_sync_push_request_decode (request, 10, &terminal_id, &problem);
  g_assert_null (problem);
  g_assert_nonnull (decoded);
  g_assert_cmpstr (terminal_id, ==, entry->terminal);
  g_assert_cmpuint (decoded->len, ==, 1);
  back = g_ptr_array_index (decoded, 0);
  g_assert_cmpint (back->seq, ==, entry->seq);
  g_assert_cmpstr (back->id, ==, entry->id);
  g_assert_cmpstr (back->kind, ==, "test.note");
  g_assert_cmpstr (back->user, ==, "ana");
  g_assert_cmpstr (back->payload_text, ==, entry->payload_text);
  hash = pdv_journal_entry_compute_hash (back);
  g_assert_cmpstr (hash, ==, entry->hash);

  /* Too many for one push. */
  g_clear_pointer (&decoded, g_ptr_array_unref);
  decoded = pdv_sync_push_request_decode (request, 0, &terminal_id, &problem);
  g_assert_null (decoded);
  g_assert_nonnull (strstr (problem, "at most 0 entries"));
  pdv_test_remove_tree (dir);
}

/* Each wrong field is named; a kind the journal would refuse is refused. */
static void
test_codec_entry_problems (void)
{
  static const struct {
    const char *json;
    const char *says;
  } cases[] = {
    { "[]", "entries[0] must be an object" },
    { "{\"seq\": 0}", "field seq" },
    { "{\"seq\": 1, \"id\": \"x\"}", "field id" },
    { "{\"seq\": 1, \"id\": \"0b5f1e2a-8c1d-4d4e-9f00-1234567890ab\", \"terminal\": \"t\", \"kind\": \"Sale!\"}",
      "field kind" },
    { "{\"seq\": 1, \"id\": \"0b5f1e2a-8c1d-4d4e-9f00-1234567890ab\", \"terminal\": \"t\", \"kind\": \"sale\","
      " \"created_at\": \"\"}", "field created_at" },
    { "{\"seq\": 1, \"id\": \"0b5f1e2a-8c1d-4d4e-9f00-1234567890ab\", \"terminal\": \"t\", \"kind\": \"sale\","
      " \"created_at\": \"2026-12-12T22:00:00Z\", \"mono_us\": 1, \"payload\": {\"lines\": [{\"qty\": 1},"
      " {\"qty\": 1.5}]}, \"prev_hash\": \"" PDV_JOURNAL_GENESIS_HASH "\", \"hash\": \"" PDV_JOURNAL_GENESIS_HASH "\"}",
      "payload.lines[1].qty is a number with a fraction" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(json_t) item = json_loads (cases[i].json, JSON_DECODE_ANY, NULL);
      g_autofree char *problem = NULL;
      g_autoptr(PdvJournalEntry) entry = pdv_sync_entry_decode (item, 0, &problem);

      g_assert_null (entry);
      g_assert_nonnull (strstr (problem, cases[i].says));
    }
  g_assert_true (pdv_journal_kind_is_valid ("stock.adjust"));
  g_assert_false (pdv_journal_kind_is_valid ("Stock"));
}

/* Results, changes, check-ins, conflicts and errors read back as written;
 * answers of the wrong shape are refused with what was expected. */
static void
test_codec_messages (void)
{
  PdvSyncResult results[] = {
    { 7, "a", PDV_SYNC_RESULT_ACCEPTED, NULL },
    { 8, "b", PDV_SYNC_RESULT_CONFLICT, "T1 was admitted at Portão 1" },
    { 9, "c", PDV_SYNC_RESULT_REJECTED, "gap" },
  };
  g_autoptr(json_t) list = json_array ();
  g_autoptr(json_t) reply = NULL;
  g_autoptr(GArray) decoded = NULL;
  g_autoptr(json_t) bad = json_pack ("{s:[{s:i, s:s}], s:i}", "results", "seq", 1, "status", "maybe", "acked_seq", 0);
  g_autofree char *problem = NULL;
  gint64 acked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    json_array_append_new (list, pdv_sync_result_encode (&results[i]));
  reply = pdv_sync_push_reply_encode (json_incref (list), 8);
  decoded = pdv_sync_push_reply_decode (reply, &acked, &problem);
  g_assert_nonnull (decoded);
  g_assert_cmpint (acked, ==, 8);
  g_assert_cmpuint (decoded->len, ==, 3);
  g_assert_cmpint (g_array_index (decoded, PdvSyncResult, 1).status, ==, PDV_SYNC_RESULT_CONFLICT);
  g_assert_cmpstr (g_array_index (decoded, PdvSyncResult, 1).reason, ==, "T1 was admitted at Portão 1");
  g_assert_cmpint (g_array_index (decoded, PdvSyncResult, 2).status, ==, PDV_SYNC_RESULT_REJECTED);
  g_assert_null (pdv_sync_push_reply_decode (bad, &acked, &problem));
  g_assert_nonnull (strstr (problem, "unknown status"));

  {
    PdvSyncCheckin checkin = { "T000005", "entry", "valid", "2026-12-12T22:00:00-03:00", "Portão 2", 41, TRUE };
    PdvSyncChange change = { 12, "checkin", "term-2", NULL };
    g_autoptr(json_t) data = pdv_sync_checkin_encode (&checkin);
    g_autoptr(json_t) changes = json_array ();
    g_autoptr(json_t) page = NULL;
    json_t *read_changes = NULL;
    gint64 next = 0;
    gboolean more = TRUE;
    PdvSyncChange read_change;
    PdvSyncCheckin read_checkin;

    change.data = data;
    json_array_append_new (changes, pdv_sync_change_encode (&change));
    page = pdv_sync_pull_reply_encode (json_incref (changes), 12, FALSE, 7);
    g_assert_true (pdv_sync_pull_reply_decode (page, &read_changes, &next, &more, &problem));
    g_assert_cmpint (next, ==, 12);
    g_assert_false (more);
    g_assert_cmpint (pdv_sync_pull_reply_get_acked (page), ==, 7);
    g_assert_true (pdv_sync_change_decode (json_array_get (read_changes, 0), &read_change, &problem));
    g_assert_cmpint (read_change.cursor, ==, 12);
    g_assert_cmpstr (read_change.type, ==, "checkin");
    g_assert_cmpstr (read_change.terminal, ==, "term-2");
    pdv_sync_checkin_decode (read_change.data, &read_checkin);
    g_assert_cmpstr (read_checkin.ticket_id, ==, "T000005");
    g_assert_cmpstr (read_checkin.gate, ==, "Portão 2");
    g_assert_true (read_checkin.has_seq);
    g_assert_cmpint (read_checkin.seq, ==, 41);
  }

  {
    PdvSyncConflictRecord conflict = { "c1", "T000005", "2026-12-12T22:00:01Z",
                                       { "term-1", 3, TRUE, "2026-12-12T21:59:00Z", "Portão 1" },
                                       { "term-2", 41, TRUE, "2026-12-12T22:00:00Z", "Portão 2" } };
    g_autoptr(json_t) data = pdv_sync_conflict_encode (&conflict);
    PdvSyncConflictRecord back;

    pdv_sync_conflict_decode (data, &back);
    g_assert_cmpstr (back.winner.terminal, ==, "term-1");
    g_assert_cmpint (back.loser.seq, ==, 41);
    g_assert_cmpstr (back.loser.gate, ==, "Portão 2");
  }

  {
    g_autoptr(json_t) error_body = pdv_sync_error_encode ("gap", "expected seq 3");
    const char *code = NULL, *message = NULL;

    g_assert_true (pdv_sync_error_decode (error_body, &code, &message));
    g_assert_cmpstr (code, ==, "gap");
    g_assert_cmpstr (message, ==, "expected seq 3");
    g_assert_false (pdv_sync_error_decode (reply, &code, &message));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/codec/entry-round-trip", test_codec_entry_round_trip);
  g_test_add_func ("/sync/codec/entry-problems", test_codec_entry_problems);
  g_test_add_func ("/sync/codec/messages", test_codec_messages);

  return g_test_run ();
}

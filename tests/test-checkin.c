/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <qrencode.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "pdv-db-private.h"
#include "pdv-test-util.h"

/* Demo tickets (data/demo/tickets.csv): the secret, then what it is. */
#define REENTRY_VIP   "huywXXFbkmSPxXCW3I1JUw"   /* T000001, vip, reentry, order NV-3ZMYVX */
#define REENTRY_VIP_2 "2aeDWQLBiYXbwAD8JvF6Bg"   /* T000002, vip, reentry, order NV-3ZMYVX */
#define SINGLE_A      "aWdDF80JXBHWJAtcRgE9Gg"   /* T000005, general, single */
#define SINGLE_B      "X7aD_N9KUCjv3ZyMtaH9Gw"   /* T000006 */
#define SINGLE_C      "pyV3xkXtTnPGs9VmhZm7og"   /* T000007 */
#define SINGLE_D      "jJVkrXDhgouzfzwyhbIbTQ"   /* T000008 */
#define SINGLE_E      "YKoPOfHFvYGZV1YZPTAqEA"   /* T000009 */
#define MULTI_STAFF   "3grctBrFf6VmHTma5jAsXA"   /* T000049, backstage, multi */
#define BLOCKED       "FyJrCppY_x43Gkbljaajcg"   /* T000011, blocked */
#define CANCELLED     "MAwQC0dSZEfr3EWJ9W-AtA"   /* T000032, cancelled */

/* Every general ticket of the demo is valid from 17:00 to 05:00 next day. */
#define NIGHT "2026-12-12T21:00:00-03:00"

#define EVENT_ID "noite-de-verao-2026"

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
  PdvCheckin *checkin;
} Fixture;

static void
open_terminal (Fixture  *f,
               gboolean  with_demo)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, with_demo);
  f->journal = pdv_context_get_journal (f->context);
  f->checkin = pdv_checkin_new (f->journal);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  open_terminal (f, TRUE);
}

/* A terminal with no event imported: it knows no ticket key. */
static void
fixture_set_up_bare (Fixture       *f,
                     gconstpointer  data)
{
  open_terminal (f, FALSE);
}

/* A fresh terminal with the event but no ticket list: signed tickets only. */
static void
fixture_set_up_no_tickets (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *event = NULL;

  open_terminal (f, FALSE);
  event = g_build_filename (pdv_test_demo_dir (), "event.json", NULL);
  pdv_import_file (f->journal, event, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pdv_context_count_tickets (f->context), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pdv_journal_verify (f->journal, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (f->checkin);
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
set_time (Fixture    *f,
          const char *iso)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (now);
  pdv_test_set_door_time (f->checkin, now);
}

static const char *
payload_string (PdvJournalEntry *entry,
                const char      *key)
{
  return json_string_value (json_object_get (entry->payload, key));
}

/* Scans @length bytes of @text and checks that exactly one "checkin" entry
 * with the verdict was journalled. */
static PdvCheckinResult *
scan_bytes (Fixture    *f,
            const char *text,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  gint64 before = pdv_journal_get_last_seq (f->journal);
  PdvCheckinResult *result;

  result = pdv_checkin_validate (f->checkin, text, length, PDV_SCAN_CAMERA, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_nonnull (result->message);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, before + 1);
  g_assert_cmpint (result->seq, ==, before + 1);

  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_cmpstr (entry->kind, ==, "checkin");
  g_assert_cmpstr (payload_string (entry, "verdict"), ==, pdv_checkin_verdict_to_string (result->verdict));
  g_assert_cmpstr (payload_string (entry, "source"), ==, "camera");
  g_assert_cmpstr (payload_string (entry, "direction"), ==,
                   pdv_checkin_direction_to_string (pdv_checkin_get_direction (f->checkin)));
  g_assert_cmpstr (payload_string (entry, "ticket_id"), ==, result->ticket_id);
  return result;
}

static PdvCheckinResult *
scan (Fixture    *f,
      const char *text)
{
  return scan_bytes (f, text, -1);
}

static void
scan_only (Fixture    *f,
           const char *text)
{
  pdv_checkin_result_free (scan (f, text));
}

#define assert_verdict(result, expected) \
  g_assert_cmpstr (pdv_checkin_verdict_to_string ((result)->verdict), ==, \
                   pdv_checkin_verdict_to_string (expected))

typedef struct {
  const char          *when;
  const char          *gate;
  PdvCheckinDirection  direction;
  const char          *zones;    /* comma-separated, NULL for every zone */
  const char          *text;
  PdvCheckinVerdict    verdict;
  PdvCheckinWarnings   warnings;
  const char          *ticket_id;
} Step;

static void
run_steps (Fixture    *f,
           const Step *steps,
           gsize       n_steps)
{
  for (gsize i = 0; i < n_steps; i++)
    {
      const Step *step = &steps[i];
      g_autoptr(PdvCheckinResult) result = NULL;
      g_auto(GStrv) zones = step->zones ? g_strsplit (step->zones, ",", -1) : NULL;

      g_test_message ("step %zu: %s %s at %s", i + 1, pdv_checkin_direction_to_string (step->direction),
                      step->text, step->when);
      set_time (f, step->when);
      pdv_checkin_set_gate (f->checkin, step->gate);
      pdv_checkin_set_direction (f->checkin, step->direction);
      pdv_checkin_set_zones (f->checkin, (const char * const *) zones);
      result = scan (f, step->text);
      assert_verdict (result, step->verdict);
      g_assert_cmphex (result->warnings, ==, step->warnings);
      g_assert_cmpstr (result->ticket_id, ==, step->ticket_id);
      g_assert_cmpint (pdv_checkin_result_is_accepted (result), ==,
                       step->verdict == PDV_CHECKIN_VALID || step->verdict == PDV_CHECKIN_EXITED);
    }
}

static void
test_rules (Fixture       *f,
            gconstpointer  data)
{
  static const Step steps[] = {
    /* single: one entry ever, even after an exit */
    { "2026-12-12T21:04:00-03:00", "Portão 2", PDV_CHECKIN_ENTRY, NULL, SINGLE_A, PDV_CHECKIN_VALID, 0, "T000005" },
    { "2026-12-12T21:10:00-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, SINGLE_A, PDV_CHECKIN_ALREADY_USED, 0, "T000005" },
    { "2026-12-12T21:20:00-03:00", "Portão 1", PDV_CHECKIN_EXIT, NULL, SINGLE_A, PDV_CHECKIN_EXITED, 0, "T000005" },
    { "2026-12-12T21:30:00-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, SINGLE_A, PDV_CHECKIN_ALREADY_USED, 0, "T000005" },
    { "2026-12-12T21:31:00-03:00", "Portão 1", PDV_CHECKIN_EXIT, NULL, SINGLE_A, PDV_CHECKIN_NOT_INSIDE, 0, "T000005" },
    /* reentry: in, not twice while inside, out, in again */
    { "2026-12-12T21:00:00-03:00", "Portão VIP", PDV_CHECKIN_ENTRY, NULL, REENTRY_VIP, PDV_CHECKIN_VALID, 0, "T000001" },
    { "2026-12-12T21:01:00-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, REENTRY_VIP, PDV_CHECKIN_ALREADY_INSIDE, 0, "T000001" },
    { "2026-12-12T22:00:00-03:00", "Portão 1", PDV_CHECKIN_EXIT, NULL, REENTRY_VIP, PDV_CHECKIN_EXITED, 0, "T000001" },
    { "2026-12-12T22:01:00-03:00", "Portão 1", PDV_CHECKIN_EXIT, NULL, REENTRY_VIP, PDV_CHECKIN_NOT_INSIDE, 0, "T000001" },
    { "2026-12-12T23:00:00-03:00", "Portão VIP", PDV_CHECKIN_ENTRY, NULL, REENTRY_VIP, PDV_CHECKIN_VALID,
      PDV_CHECKIN_WARNING_RE_ENTRY, "T000001" },
    /* multi: never refused for being inside */
    { "2026-12-12T20:00:00-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, MULTI_STAFF, PDV_CHECKIN_VALID, 0, "T000049" },
    { "2026-12-12T20:05:00-03:00", "Portão 2", PDV_CHECKIN_ENTRY, NULL, MULTI_STAFF, PDV_CHECKIN_VALID, 0, "T000049" },
    { "2026-12-12T20:10:00-03:00", "Portão 2", PDV_CHECKIN_EXIT, NULL, MULTI_STAFF, PDV_CHECKIN_EXITED, 0, "T000049" },
    { "2026-12-12T20:20:00-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, MULTI_STAFF, PDV_CHECKIN_VALID,
      PDV_CHECKIN_WARNING_RE_ENTRY, "T000049" },
    /* tickets that never enter */
    { NIGHT, "Portão 1", PDV_CHECKIN_ENTRY, NULL, "ZZZZZZZZZZZZZZZZZZZZZZ", PDV_CHECKIN_UNKNOWN, 0, NULL },
    { NIGHT, "Portão 1", PDV_CHECKIN_ENTRY, NULL, BLOCKED, PDV_CHECKIN_CANCELLED, 0, "T000011" },
    { NIGHT, "Portão 1", PDV_CHECKIN_ENTRY, NULL, CANCELLED, PDV_CHECKIN_CANCELLED, 0, "T000032" },
    { NIGHT, "Portão 1", PDV_CHECKIN_EXIT, NULL, SINGLE_E, PDV_CHECKIN_NOT_INSIDE, 0, "T000009" },
    /* the validity window includes both of its ends, to the second */
    { "2026-12-12T16:59:59-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, SINGLE_B, PDV_CHECKIN_NOT_YET_VALID, 0, "T000006" },
    { "2026-12-12T17:00:00-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, SINGLE_B, PDV_CHECKIN_VALID, 0, "T000006" },
    { "2026-12-13T05:00:01-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, SINGLE_C, PDV_CHECKIN_EXPIRED, 0, "T000007" },
    { "2026-12-13T05:00:00-03:00", "Portão 1", PDV_CHECKIN_ENTRY, NULL, SINGLE_C, PDV_CHECKIN_VALID, 0, "T000007" },
    /* the same instant written in UTC */
    { "2026-12-12T19:59:59Z", "Portão 1", PDV_CHECKIN_ENTRY, NULL, SINGLE_E, PDV_CHECKIN_NOT_YET_VALID, 0, "T000009" },
    /* zones */
    { NIGHT, "Portão VIP", PDV_CHECKIN_ENTRY, "vip", SINGLE_D, PDV_CHECKIN_WRONG_ZONE, 0, "T000008" },
    { NIGHT, "Portão VIP", PDV_CHECKIN_ENTRY, "vip,backstage", REENTRY_VIP_2, PDV_CHECKIN_VALID, 0, "T000002" },
    { NIGHT, "Portão 1", PDV_CHECKIN_ENTRY, "general", SINGLE_D, PDV_CHECKIN_VALID, 0, "T000008" },
    { NIGHT, "Portão 1", PDV_CHECKIN_ENTRY, NULL, "", PDV_CHECKIN_UNREADABLE, 0, NULL },
  };
  g_autoptr(GError) error = NULL;
  PdvOccupancy occupancy;

  run_steps (f, steps, G_N_ELEMENTS (steps));

  /* Inside: T000001, T000049, T000006, T000007, T000002, T000008. */
  g_assert_true (pdv_checkin_get_occupancy (f->checkin, &occupancy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (occupancy.inside, ==, 6);
  g_assert_cmpint (occupancy.entries, ==, 10);
  g_assert_cmpint (occupancy.exits, ==, 3);
  g_assert_cmpint (occupancy.refusals, ==, 14);
  g_assert_cmpint (occupancy.capacity, ==, 2500);
}

static void
test_messages (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PdvCheckinResult) first = NULL;
  g_autoptr(PdvCheckinResult) again = NULL;
  g_autoptr(PdvCheckinResult) inside = NULL;
  g_autoptr(GDateTime) used_at = g_date_time_new_from_iso8601 ("2026-12-12T21:04:30-03:00", NULL);

  set_time (f, "2026-12-12T21:04:30-03:00");
  pdv_checkin_set_gate (f->checkin, "Portão 2");
  first = scan (f, SINGLE_A);
  assert_verdict (first, PDV_CHECKIN_VALID);
  g_assert_cmpstr (first->message, ==, "Welcome, Bruna Sampaio");
  g_assert_cmpstr (first->holder_name, ==, "Bruna Sampaio");
  g_assert_cmpstr (first->order_code, ==, "NV-QP5C5G");
  g_assert_cmpstr (first->type, ==, "Pista");
  g_assert_cmpstr (first->zone, ==, "general");
  g_assert_cmpint (first->policy, ==, PDV_ENTRY_POLICY_SINGLE);
  g_assert_null (first->last_at);
  g_assert_cmpint (first->inside, ==, 1);

  /* The door screen says where and when, in the event's time zone. */
  set_time (f, "2026-12-12T23:30:00-03:00");
  pdv_checkin_set_gate (f->checkin, "Portão 1");
  again = scan (f, SINGLE_A);
  assert_verdict (again, PDV_CHECKIN_ALREADY_USED);
  g_assert_cmpstr (again->message, ==, "Already used at Portão 2 at 21:04");
  g_assert_cmpstr (again->last_gate, ==, "Portão 2");
  g_assert_cmpint (g_date_time_to_unix (again->last_at), ==, g_date_time_to_unix (used_at));
  g_assert_cmpint (again->last_direction, ==, PDV_CHECKIN_ENTRY);
  g_assert_cmpint (again->inside, ==, 1);

  scan_only (f, REENTRY_VIP);
  set_time (f, "2026-12-13T00:15:00-03:00");
  inside = scan (f, REENTRY_VIP);
  assert_verdict (inside, PDV_CHECKIN_ALREADY_INSIDE);
  /* Another day than the scan's: the date is shown too. */
  g_assert_cmpstr (inside->message, ==, "Already inside: came in at Portão 1 at 12-12 23:30");
}

static void
test_whitespace_and_control (Fixture       *f,
                             gconstpointer  data)
{
  /* What USB scanners add around a code is dropped. */
  static const char * const wrapped[] = {
    SINGLE_A "\r", SINGLE_B "\r\n", SINGLE_C "\n", "  " SINGLE_D "  ", "\t" SINGLE_E "\t",
  };
  static const char * const refused[] = {
    "huywXXFbkm SPxXCW3I1JUw", "huywXXFbkm\rSPxXCW3I1JUw", REENTRY_VIP "\x1b", "\x7f" REENTRY_VIP,
    REENTRY_VIP "\xc2\x85",
  };

  set_time (f, NIGHT);
  for (guint i = 0; i < G_N_ELEMENTS (wrapped); i++)
    {
      g_autoptr(PdvCheckinResult) result = scan (f, wrapped[i]);
      assert_verdict (result, PDV_CHECKIN_VALID);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(PdvCheckinResult) result = scan (f, refused[i]);
      assert_verdict (result, PDV_CHECKIN_UNREADABLE);
    }
  /* And the ticket itself still works: the refusals were about the input. */
  {
    g_autoptr(PdvCheckinResult) result = scan (f, REENTRY_VIP);
    assert_verdict (result, PDV_CHECKIN_VALID);
  }
}

static void
check_summary (PdvJournalEntry *entry,
               const char      *text,
               gsize            length)
{
  g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, length);
  json_t *input = json_object_get (entry->payload, "input");
  const char *head = json_string_value (json_object_get (input, "head"));

  g_assert_nonnull (input);
  g_assert_cmpint (json_integer_value (json_object_get (input, "length")), ==, length);
  g_assert_cmpstr (json_string_value (json_object_get (input, "sha256")), ==, sha256);
  if (head != NULL)
    {
      g_assert_cmpuint (strlen (head), ==, 2 * MIN (length, 64));
      for (gsize i = 0; i < MIN (length, 64); i++)
        {
          g_autofree char *hex = g_strdup_printf ("%02x", (guchar) text[i]);
          g_assert_cmpint (strncmp (head + 2 * i, hex, 2), ==, 0);
        }
    }
  /* Never the whole input: the journal stays small and holds no secret. */
  g_assert_cmpuint (strlen (entry->payload_text), <, 1024);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *megabyte = g_malloc (1024 * 1024);
  g_autofree char *long_line = g_strnfill (5000, 'x');
  g_autofree char *just_too_long = g_strnfill (PDV_CHECKIN_MAX_INPUT + 1, 'B');
  g_autofree char *many_lines = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  /* A length of -1 means up to the NUL. */
  struct {
    const char *text;
    gssize      length;
  } corpus[] = {
    { "", -1 },
    { " \r\n\t ", -1 },
    { megabyte, 1024 * 1024 },
    { "huywXXFb\0kmSPxXCW3I1JUw", 23 },
    { "\0", 1 },
    { "\xff\xfe\xfd\xfc", -1 },
    { "huywXXFbkmSPxXCW3I1JUw\xc3", -1 },
    { "\xed\xa0\x80secret-surrogate", -1 },
    { "' OR 1=1; DROP TABLE tickets; --", -1 },
    { "';DROP/**/TABLE/**/tickets;--", -1 },
    { "%s%s%n%x%s%s%n%x", -1 },
    { "%n%n%n%n%n%n%n%n%n", -1 },
    { long_line, -1 },
    { just_too_long, -1 },
    { "PDV1.", -1 },
    { "PDV1..", -1 },
    { "PDV1.e30.AAAA", -1 },
    { "PDV1.%%%%.%%%%", -1 },
    { "PDV2:", -1 },
    { "PDV2:A", -1 },
    { "PDV2:GGW", -1 },
    { "PDV2:abc", -1 },
    { "\xef\xbb\xbfhuywXXFbkmSPxXCW3I1JUw", -1 },
    { "https://example.com/ticket?id=1", -1 },
    { "12345", -1 },
  };

  memset (megabyte, 'A', 1024 * 1024);
  for (guint i = 0; i < 300; i++)
    g_string_append (lines, "line of text that goes on\n");
  many_lines = g_strdup (lines->str);

  set_time (f, NIGHT);
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autoptr(PdvCheckinResult) result = NULL;
      g_autoptr(PdvJournalEntry) entry = NULL;
      gsize length = corpus[i].length < 0 ? strlen (corpus[i].text) : (gsize) corpus[i].length;

      g_test_message ("bad input %u (%zu bytes)", i, length);
      result = scan_bytes (f, corpus[i].text, corpus[i].length);
      g_assert_true (result->verdict == PDV_CHECKIN_UNREADABLE || result->verdict == PDV_CHECKIN_UNKNOWN);
      g_assert_null (result->ticket_id);
      entry = pdv_test_journal_last_entry (f->journal);
      check_summary (entry, corpus[i].text, length);
    }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, many_lines);
    assert_verdict (result, PDV_CHECKIN_UNREADABLE);
  }

  /* The tickets table is still there and still works. */
  g_assert_cmpuint (pdv_context_count_tickets (f->context), ==, 2000);
  {
    g_autoptr(PdvCheckinResult) result = scan (f, REENTRY_VIP);
    assert_verdict (result, PDV_CHECKIN_VALID);
  }
  pdv_journal_verify (f->journal, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_manual_admit (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckinResult) admitted = NULL;
  g_autoptr(PdvCheckinResult) again = NULL;
  g_autoptr(PdvCheckinResult) unknown = NULL;
  g_autoptr(PdvCheckinResult) cancelled = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;

  set_time (f, NIGHT);
  pdv_checkin_set_gate (f->checkin, "Portão 1");
  admitted = pdv_checkin_admit_manual (f->checkin, "T000012", "diego", "QR code torn", &error);
  g_assert_no_error (error);
  assert_verdict (admitted, PDV_CHECKIN_VALID);
  g_assert_cmpstr (admitted->holder_name, ==, "Carlos Eduardo Portela");

  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_cmpstr (entry->kind, ==, "checkin");
  g_assert_cmpstr (entry->user, ==, "diego");
  g_assert_cmpstr (payload_string (entry, "source"), ==, "manual");
  g_assert_cmpstr (payload_string (entry, "reason"), ==, "QR code torn");
  g_assert_cmpstr (payload_string (entry, "ticket_id"), ==, "T000012");
  g_assert_cmpstr (payload_string (entry, "verdict"), ==, "valid");

  /* By hand or by scan, the same rules. */
  again = pdv_checkin_admit_manual (f->checkin, "T000012", "elaine", "phone died", &error);
  g_assert_no_error (error);
  assert_verdict (again, PDV_CHECKIN_ALREADY_USED);
  cancelled = pdv_checkin_admit_manual (f->checkin, "T000032", "diego", "no QR", &error);
  assert_verdict (cancelled, PDV_CHECKIN_CANCELLED);
  unknown = pdv_checkin_admit_manual (f->checkin, "T999999", "diego", "no QR", &error);
  assert_verdict (unknown, PDV_CHECKIN_UNKNOWN);
  {
    g_autoptr(PdvCheckinResult) scanned = scan (f, "wk-sYGYAtLlFYMIIYS4rbg"); /* T000013, same order */
    assert_verdict (scanned, PDV_CHECKIN_VALID);
  }
}

static void
test_capacity (Fixture       *f,
               gconstpointer  data)
{
  static const char event[] =
    "{\"format\": \"pdv-event\", \"version\": 1, \"event\": {\"id\": \"" EVENT_ID "\", "
    "\"name\": \"Ensaio\", \"capacity\": 10, \"timezone\": \"America/Sao_Paulo\", "
    "\"starts_at\": \"2026-12-12T18:00:00-03:00\", \"ends_at\": \"2026-12-13T04:00:00-03:00\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) general = NULL;
  sqlite3_stmt *stmt;
  guint admitted = 0;

  pdv_import_data (f->journal, "small.json", event, strlen (event), PDV_IMPORT_KIND_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Eleven valid single tickets. */
  general = g_ptr_array_new_with_free_func (g_free);
  stmt = pdv_db_prepare (pdv_context_get_db (f->context),
                         "SELECT secret FROM tickets WHERE status = 'valid' AND entry_policy = 'single' "
                         "ORDER BY id LIMIT 12", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (general, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  g_assert_cmpuint (general->len, ==, 12);

  set_time (f, NIGHT);
  /* A multi-entry pass first, then singles up to 8 people inside. */
  scan_only (f, MULTI_STAFF);
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(PdvCheckinResult) result = scan (f, g_ptr_array_index (general, admitted++));
      assert_verdict (result, PDV_CHECKIN_VALID);
      g_assert_cmphex (result->warnings, ==, 0);
      g_assert_cmpint (result->inside, ==, admitted + 1);
      g_assert_cmpint (result->capacity, ==, 10);
    }
  /* 9 of 10 is 90 %. */
  {
    g_autoptr(PdvCheckinResult) result = scan (f, g_ptr_array_index (general, admitted++));
    assert_verdict (result, PDV_CHECKIN_VALID);
    g_assert_cmphex (result->warnings, ==, PDV_CHECKIN_WARNING_CAPACITY_NEAR);
    g_assert_cmpstr (result->detail, ==, "Nearly full: 9 of 10 inside");
  }
  /* The tenth fills the venue. */
  {
    g_autoptr(PdvCheckinResult) result = scan (f, g_ptr_array_index (general, admitted++));
    assert_verdict (result, PDV_CHECKIN_VALID);
    g_assert_cmphex (result->warnings, ==, PDV_CHECKIN_WARNING_CAPACITY_FULL);
    g_assert_cmpint (result->inside, ==, 10);
  }
  /* The eleventh waits. */
  {
    g_autoptr(PdvCheckinResult) result = scan (f, g_ptr_array_index (general, admitted));
    assert_verdict (result, PDV_CHECKIN_CAPACITY_FULL);
    g_assert_cmpint (result->inside, ==, 10);
    g_assert_cmpstr (result->message, ==, "Venue full: 10 of 10 inside");
  }
  /* The multi pass is already inside: scanning it again adds no one. */
  {
    g_autoptr(PdvCheckinResult) result = scan (f, MULTI_STAFF);
    assert_verdict (result, PDV_CHECKIN_VALID);
    g_assert_cmpint (result->inside, ==, 10);
  }
  /* Exits are never refused for capacity; then the eleventh goes in. */
  pdv_checkin_set_direction (f->checkin, PDV_CHECKIN_EXIT);
  {
    g_autoptr(PdvCheckinResult) result = scan (f, g_ptr_array_index (general, 0));
    assert_verdict (result, PDV_CHECKIN_EXITED);
    g_assert_cmpint (result->inside, ==, 9);
  }
  pdv_checkin_set_direction (f->checkin, PDV_CHECKIN_ENTRY);
  {
    g_autoptr(PdvCheckinResult) result = scan (f, g_ptr_array_index (general, admitted++));
    assert_verdict (result, PDV_CHECKIN_VALID);
    g_assert_cmphex (result->warnings, ==, PDV_CHECKIN_WARNING_CAPACITY_FULL);
  }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, g_ptr_array_index (general, admitted));
    assert_verdict (result, PDV_CHECKIN_CAPACITY_FULL);
  }
}

static void
test_revocations (Fixture       *f,
                  gconstpointer  data)
{
  static const char csv[] = "ticket_id,reason,revoked_at\n"
                            "T000009,chargeback,2026-12-10T12:00:00-03:00\n"
                            "S-REVOKED,duplicate sale,\n";
  static const char json[] = "{\"format\": \"pdv-revocations\", \"version\": 1, \"revocations\": [\n"
                             "  {\"ticket_id\": \"T000010\", \"reason\": \"fraud\"}\n]}";
  static const char bad[] = "ticket_id,reason\nT000010,fraud\nnot an id,lost\nT000011,\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  PdvImportResult result;
  gint64 before;

  g_assert_true (pdv_import_data (f->journal, "revoked.csv", csv, strlen (csv), PDV_IMPORT_KIND_AUTO, "admin",
                                  &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.kind, ==, PDV_IMPORT_KIND_REVOCATIONS);
  g_assert_cmpuint (result.n_revocations, ==, 2);
  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_cmpstr (entry->kind, ==, "revocations.import");
  g_assert_cmpint (json_integer_value (json_object_get (entry->payload, "revocations")), ==, 2);

  g_assert_true (pdv_import_data (f->journal, "revoked.json", json, strlen (json), PDV_IMPORT_KIND_AUTO, NULL,
                                  &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_revocations, ==, 1);

  /* All or nothing, with file, line and field. */
  before = pdv_journal_get_last_seq (f->journal);
  g_assert_false (pdv_import_data (f->journal, "bad.csv", bad, strlen (bad), PDV_IMPORT_KIND_AUTO, NULL,
                                   NULL, &error));
  g_assert_nonnull (strstr (error->message, "bad.csv:3: field “ticket_id”"));
  g_assert_nonnull (strstr (error->message, "bad.csv:4: field “reason”"));
  g_clear_error (&error);
  g_assert_cmpint (pdv_journal_get_last_seq (f->journal), ==, before);

  set_time (f, NIGHT);
  {
    g_autoptr(PdvCheckinResult) revoked = scan (f, "YKoPOfHFvYGZV1YZPTAqEA"); /* T000009 */
    assert_verdict (revoked, PDV_CHECKIN_REVOKED);
    g_assert_cmpstr (revoked->detail, ==, "chargeback");
  }
  {
    g_autoptr(PdvCheckinResult) revoked = scan (f, "kM3xqHt6G6zUBTGDIP9-4w"); /* T000010 */
    assert_verdict (revoked, PDV_CHECKIN_REVOKED);
  }
  {
    g_autoptr(PdvCheckinResult) fine = scan (f, SINGLE_D);
    assert_verdict (fine, PDV_CHECKIN_VALID);
  }
}

/* The demo event's signing key, as an issuer holds it. */
static void
demo_secret_key (guint8 key[PDV_TICKET_SECRET_KEY_BYTES])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (pdv_test_demo_dir (), "ticket-signing.key", NULL);
  g_autofree char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  pdv_ticket_secret_key_parse (text, key, &error);
  g_assert_no_error (error);
}

static char *
sign_ticket (const char     *ticket_id,
             const char     *event_id,
             PdvEntryPolicy  policy,
             const guint8   *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvTicketClaims) claims = pdv_ticket_claims_new ();
  g_autoptr(GDateTime) from = g_date_time_new_from_iso8601 ("2026-12-12T17:00:00-03:00", NULL);
  g_autoptr(GDateTime) until = g_date_time_new_from_iso8601 ("2026-12-13T05:00:00-03:00", NULL);
  guint8 demo_key[PDV_TICKET_SECRET_KEY_BYTES];
  char *text;

  if (key == NULL)
    {
      demo_secret_key (demo_key);
      key = demo_key;
    }
  claims->ticket_id = g_strdup (ticket_id);
  claims->event_id = g_strdup (event_id);
  claims->type = g_strdup ("Pista");
  claims->zone = g_strdup ("general");
  claims->holder_name = g_strdup ("João da Silva");
  claims->policy = policy;
  claims->has_valid_from = TRUE;
  claims->valid_from = g_date_time_to_unix (from);
  claims->has_valid_until = TRUE;
  claims->valid_until = g_date_time_to_unix (until);
  text = pdv_ticket_token_sign (claims, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, PDV_TICKET_TOKEN_PREFIX));
  return text;
}

static char *
sign_compact (const char *ticket_id,
              const char *event_id,
              const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvTicketClaims) claims = pdv_ticket_claims_new ();
  g_autoptr(GDateTime) from = g_date_time_new_from_iso8601 ("2026-12-12T17:00:00-03:00", NULL);
  g_autoptr(GDateTime) until = g_date_time_new_from_iso8601 ("2026-12-13T05:00:00-03:00", NULL);
  guint8 key[PDV_TICKET_SECRET_KEY_BYTES];
  char *text;

  demo_secret_key (key);
  claims->ticket_id = g_strdup (ticket_id);
  claims->event_id = g_strdup (event_id);
  claims->type = g_strdup (type);
  claims->zone = g_strdup ("general");
  claims->policy = PDV_ENTRY_POLICY_REENTRY;
  claims->has_valid_from = TRUE;
  claims->valid_from = g_date_time_to_unix (from);
  claims->has_valid_until = TRUE;
  claims->valid_until = g_date_time_to_unix (until);
  text = pdv_ticket_token_sign_compact (claims, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, PDV_TICKET_COMPACT_PREFIX));
  return text;
}

/* The compact form: QR's alphanumeric alphabet, a version-6 code at level M
 * for a usual ticket, and the same rules as the long form. */
static void
test_signed_compact (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *ticket = sign_compact ("S-0101", EVENT_ID, "Pista");
  g_autofree char *other_event = sign_compact ("S-0102", "outro-evento", "Pista");
  g_autofree char *cancelled = sign_compact ("T000032", EVENT_ID, "Meia");
  g_autofree char *tampered = g_strdup (ticket);
  QRcode *qr;

  g_test_message ("%s (%zu characters)", ticket, strlen (ticket));
  for (const char *p = ticket; *p; p++)
    g_assert_nonnull (strchr ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", *p));
  qr = QRcode_encodeString (ticket, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  g_assert_nonnull (qr);
  g_test_message ("QR version %d at level M", qr->version);
  g_assert_cmpint (qr->version, <=, 6);
  QRcode_free (qr);

  set_time (f, NIGHT);
  {
    g_autoptr(PdvCheckinResult) result = scan (f, ticket);
    assert_verdict (result, PDV_CHECKIN_VALID);
    g_assert_true (result->is_signed);
    g_assert_cmpstr (result->ticket_id, ==, "S-0101");
    g_assert_cmpstr (result->zone, ==, "general");
  }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, ticket);
    assert_verdict (result, PDV_CHECKIN_ALREADY_INSIDE);
  }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, other_event);
    assert_verdict (result, PDV_CHECKIN_WRONG_EVENT);
  }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, cancelled);
    assert_verdict (result, PDV_CHECKIN_CANCELLED);
  }
  /* One character changed anywhere: never admitted. */
  for (gsize i = strlen (PDV_TICKET_COMPACT_PREFIX); i < strlen (tampered); i += 7)
    {
      g_autoptr(PdvCheckinResult) result = NULL;
      char saved = tampered[i];

      tampered[i] = saved == 'A' ? 'B' : 'A';
      result = scan (f, tampered);
      g_assert_false (pdv_checkin_result_is_accepted (result));
      g_assert_true (result->verdict == PDV_CHECKIN_BAD_SIGNATURE || result->verdict == PDV_CHECKIN_UNREADABLE);
      tampered[i] = saved;
    }
}

static void
test_base45 (void)
{
  static const struct { const char *bytes; const char *text; } rfc[] = {
    { "AB", "BB8" }, { "Hello!!", "%69 VD92EX0" }, { "base-45", "UJCLQE7W581" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rfc); i++)
    {
      g_autofree char *text = pdv_base45_encode ((const guint8 *) rfc[i].bytes, strlen (rfc[i].bytes));
      g_autoptr(GBytes) back = pdv_base45_decode (rfc[i].text);

      g_assert_cmpstr (text, ==, rfc[i].text);
      g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), rfc[i].bytes, strlen (rfc[i].bytes));
    }
  g_assert_null (pdv_base45_decode ("GGW"));   /* 65536 and more: not base45 */
  g_assert_null (pdv_base45_decode ("ab"));
  g_assert_null (pdv_base45_decode ("A"));
  for (guint round = 0; round < 2000; round++)
    {
      guint8 data[40];
      gsize length = g_test_rand_int_range (0, sizeof data);
      g_autofree char *text = NULL;
      g_autoptr(GBytes) back = NULL;

      for (gsize i = 0; i < length; i++)
        data[i] = g_test_rand_int_range (0, 256);
      text = pdv_base45_encode (data, length);
      /* A scan's trimmed ends never cut a compact ticket. */
      g_assert_true (length == 0 || text[strlen (text) - 1] != ' ');
      back = pdv_base45_decode (text);
      g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), data, length);
    }
}

static void
test_signed_without_list (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *ticket = sign_ticket ("S-0001", EVENT_ID, PDV_ENTRY_POLICY_SINGLE, NULL);
  g_autofree char *with_cr = g_strconcat (ticket, "\r\n", NULL);
  g_autoptr(PdvCheckinResult) early = NULL;
  g_autoptr(PdvCheckinResult) valid = NULL;
  g_autoptr(PdvCheckinResult) again = NULL;

  set_time (f, "2026-12-12T16:59:59-03:00");
  early = scan (f, ticket);
  assert_verdict (early, PDV_CHECKIN_NOT_YET_VALID);

  set_time (f, NIGHT);
  pdv_checkin_set_gate (f->checkin, "Portão 2");
  valid = scan (f, with_cr);
  assert_verdict (valid, PDV_CHECKIN_VALID);
  g_assert_true (valid->is_signed);
  g_assert_cmpstr (valid->ticket_id, ==, "S-0001");
  g_assert_cmpstr (valid->holder_name, ==, "João da Silva");
  g_assert_cmpstr (valid->zone, ==, "general");
  g_assert_null (valid->order_code);

  again = scan (f, ticket);
  assert_verdict (again, PDV_CHECKIN_ALREADY_USED);
  g_assert_cmpstr (again->last_gate, ==, "Portão 2");
}

static void
test_signed_other_event (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_secret = NULL;
  g_autofree char *other_public = NULL;
  g_autofree char *wrong_event = sign_ticket ("S-0002", "outro-evento-2026", PDV_ENTRY_POLICY_SINGLE, NULL);
  g_autofree char *forged = NULL;
  guint8 other_key[PDV_TICKET_SECRET_KEY_BYTES];

  pdv_ticket_key_generate (&other_secret, &other_public, &error);
  g_assert_no_error (error);
  pdv_ticket_secret_key_parse (other_secret, other_key, &error);
  g_assert_no_error (error);
  forged = sign_ticket ("S-0003", EVENT_ID, PDV_ENTRY_POLICY_SINGLE, other_key);

  set_time (f, NIGHT);
  {
    g_autoptr(PdvCheckinResult) result = scan (f, wrong_event);
    assert_verdict (result, PDV_CHECKIN_WRONG_EVENT);
    g_assert_cmpstr (result->ticket_id, ==, "S-0002");
  }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, forged);
    assert_verdict (result, PDV_CHECKIN_BAD_SIGNATURE);
    g_assert_null (result->ticket_id);
  }
}

static void
test_signed_revoked (Fixture       *f,
                     gconstpointer  data)
{
  static const char csv[] = "ticket_id,reason\nS-0004,refunded\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *revoked = sign_ticket ("S-0004", EVENT_ID, PDV_ENTRY_POLICY_REENTRY, NULL);
  g_autofree char *fine = sign_ticket ("S-0005", EVENT_ID, PDV_ENTRY_POLICY_REENTRY, NULL);

  pdv_import_data (f->journal, "revoked.csv", csv, strlen (csv), PDV_IMPORT_KIND_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  set_time (f, NIGHT);
  {
    g_autoptr(PdvCheckinResult) result = scan (f, revoked);
    assert_verdict (result, PDV_CHECKIN_REVOKED);
    g_assert_cmpstr (result->detail, ==, "refunded");
  }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, fine);
    assert_verdict (result, PDV_CHECKIN_VALID);
  }
}

static void
test_signed_cancelled_in_list (Fixture       *f,
                               gconstpointer  data)
{
  /* T000032 is cancelled and T000011 blocked in the demo list; T000001 is valid. */
  g_autofree char *cancelled = sign_ticket ("T000032", EVENT_ID, PDV_ENTRY_POLICY_SINGLE, NULL);
  g_autofree char *blocked = sign_ticket ("T000011", EVENT_ID, PDV_ENTRY_POLICY_SINGLE, NULL);
  g_autofree char *listed_valid = sign_ticket ("T000001", EVENT_ID, PDV_ENTRY_POLICY_REENTRY, NULL);

  set_time (f, NIGHT);
  {
    g_autoptr(PdvCheckinResult) result = scan (f, cancelled);
    assert_verdict (result, PDV_CHECKIN_CANCELLED);
    g_assert_true (result->is_signed);
    g_assert_cmpstr (result->message, ==, "Cancelled ticket");
    g_assert_cmpstr (result->detail, ==, "Order NV-MU7BFN");
  }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, blocked);
    assert_verdict (result, PDV_CHECKIN_CANCELLED);
    g_assert_cmpstr (result->message, ==, "Blocked ticket");
  }
  {
    g_autoptr(PdvCheckinResult) result = scan (f, listed_valid);
    assert_verdict (result, PDV_CHECKIN_VALID);
  }
}

static char
other_base64url_char (char c,
                      guint variant)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char *at = strchr (alphabet, c);
  gsize index = at ? (gsize) (at - alphabet) : 0;

  return alphabet[(index + 1 + variant * 31) % 64];
}

static void
test_signed_tampering (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *ticket = sign_ticket ("S-0006", EVENT_ID, PDV_ENTRY_POLICY_SINGLE, NULL);
  g_autofree char *public_text = pdv_db_get_meta (pdv_context_get_db (f->context), "ticket_public_key");
  g_autoptr(GError) error = NULL;
  gsize start = strlen (PDV_TICKET_TOKEN_PREFIX);
  gsize length = strlen (ticket);
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  guint scans = 0;

  pdv_ticket_public_key_parse (public_text, public_key, &error);
  g_assert_no_error (error);
  set_time (f, NIGHT);

  /* Every other character at every position of the payload and signature:
   * none verifies. */
  for (gsize i = start; i < length; i++)
    {
      g_autofree char *changed = g_strdup (ticket);

      if (ticket[i] == '.')
        continue;
      for (guint c = 0; c < 256; c++)
        {
          g_autoptr(PdvTicketClaims) claims = NULL;

          if (c == (guchar) ticket[i] || c == 0)
            continue;
          changed[i] = (char) c;
          claims = pdv_ticket_token_verify (changed, public_key, NULL);
          g_assert_null (claims);
        }
    }

  /* And through the door, journalled: a flipped bit and another letter of
   * the alphabet at every position. */
  for (gsize i = start; i < length; i++)
    for (guint variant = 0; variant < 2; variant++)
      {
        g_autofree char *changed = g_strdup (ticket);
        g_autoptr(PdvCheckinResult) result = NULL;

        if (ticket[i] == '.')
          continue;
        changed[i] = variant == 0 ? (char) (ticket[i] ^ 0x01) : other_base64url_char (ticket[i], variant);
        if (changed[i] == ticket[i])
          continue;
        result = scan (f, changed);
        g_assert_true (result->verdict == PDV_CHECKIN_BAD_SIGNATURE || result->verdict == PDV_CHECKIN_UNREADABLE);
        scans++;
      }
  g_assert_cmpuint (scans, >, 2 * 200);

  /* Dropping or adding a character is no better. */
  {
    g_autofree char *shorter = g_strndup (ticket, length - 1);
    g_autofree char *longer = g_strconcat (ticket, "A", NULL);
    g_autoptr(PdvCheckinResult) a = scan (f, shorter);
    g_autoptr(PdvCheckinResult) b = scan (f, longer);

    g_assert_true (a->verdict == PDV_CHECKIN_BAD_SIGNATURE || a->verdict == PDV_CHECKIN_UNREADABLE);
    g_assert_true (b->verdict == PDV_CHECKIN_BAD_SIGNATURE || b->verdict == PDV_CHECKIN_UNREADABLE);
  }

  /* The untouched ticket was never admitted by any of them. */
  {
    g_autoptr(PdvCheckinResult) result = scan (f, ticket);
    assert_verdict (result, PDV_CHECKIN_VALID);
  }
}

static void
test_signed_without_key (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *ticket = sign_ticket ("S-0007", EVENT_ID, PDV_ENTRY_POLICY_SINGLE, NULL);
  g_autoptr(PdvCheckinResult) result = NULL;

  set_time (f, NIGHT);
  result = scan (f, ticket);
  assert_verdict (result, PDV_CHECKIN_BAD_SIGNATURE);
}

static void
test_event_key_import (Fixture       *f,
                       gconstpointer  data)
{
  static const char bad_key[] =
    "{\"format\": \"pdv-event\", \"version\": 1, \"event\": {\"id\": \"" EVENT_ID "\",\n"
    "\"name\": \"Ensaio\", \"capacity\": 10,\n"
    "\"starts_at\": \"2026-12-12T18:00:00-03:00\", \"ends_at\": \"2026-12-13T04:00:00-03:00\",\n"
    "\"ticket_public_key\": \"iwGDGEy5ds9rICt6GbkoC5VaSQuO6juzfh9RIb-tM1\"}}";
  static const char no_key[] =
    "{\"format\": \"pdv-event\", \"version\": 1, \"event\": {\"id\": \"" EVENT_ID "\",\n"
    "\"name\": \"Ensaio\", \"capacity\": 10,\n"
    "\"starts_at\": \"2026-12-12T18:00:00-03:00\", \"ends_at\": \"2026-12-13T04:00:00-03:00\"}}";
  g_autoptr(GError) error = NULL;
  g_autofree char *key = pdv_db_get_meta (pdv_context_get_db (f->context), "ticket_public_key");
  g_autofree char *after = NULL;

  g_assert_cmpstr (key, ==, "iwGDGEy5ds9rICt6GbkoC5VaSQuO6juzfh9RIb-tM1Y");
  g_assert_false (pdv_import_data (f->journal, "bad.json", bad_key, strlen (bad_key), PDV_IMPORT_KIND_AUTO,
                                   NULL, NULL, &error));
  g_assert_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "bad.json:4: field “ticket_public_key”"));
  g_clear_error (&error);

  /* An event file without a key: no signed ticket is accepted any more. */
  g_assert_true (pdv_import_data (f->journal, "event.json", no_key, strlen (no_key), PDV_IMPORT_KIND_AUTO,
                                  NULL, NULL, &error));
  g_assert_no_error (error);
  after = pdv_db_get_meta (pdv_context_get_db (f->context), "ticket_public_key");
  g_assert_null (after);
}

static char *
dump_table (PdvDb      *db,
            const char *sql)
{
  g_autoptr(GString) dump = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pdv_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (dump, "%s|", sqlite3_column_text (stmt, i));
      g_string_append_c (dump, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&dump), FALSE);
}

static void
test_rebuild (Fixture       *f,
              gconstpointer  data)
{
  static const char * const tables[] = {
    "SELECT * FROM ticket_state ORDER BY ticket_id",
    "SELECT * FROM door_counts WHERE key = 'gate'",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_ticket = sign_ticket ("S-0008", EVENT_ID, PDV_ENTRY_POLICY_REENTRY, NULL);
  PdvDb *db = pdv_context_get_db (f->context);
  char *before[G_N_ELEMENTS (tables)];
  gint64 entries = 0;

  set_time (f, NIGHT);
  scan_only (f, REENTRY_VIP);
  scan_only (f, SINGLE_A);
  scan_only (f, SINGLE_A);
  scan_only (f, signed_ticket);
  scan_only (f, "garbage");
  pdv_checkin_set_direction (f->checkin, PDV_CHECKIN_EXIT);
  scan_only (f, REENTRY_VIP);
  scan_only (f, MULTI_STAFF);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    before[i] = dump_table (db, tables[i]);
  g_assert_nonnull (strstr (before[0], "T000001|0|1|1|"));
  g_assert_nonnull (strstr (before[0], "S-0008|1|1|0|"));
  /* inside, entries, exits, refusals */
  g_assert_true (g_str_has_prefix (before[1], "gate|2|3|1|3|"));

  /* A damaged projection is caught, and rebuilt to the same state. */
  pdv_db_exec (db, "UPDATE door_counts SET inside = 99 WHERE key = 'gate'; UPDATE ticket_state SET entries = 7",
               &error);
  g_assert_no_error (error);
  g_assert_false (pdv_journal_verify_projections (f->journal, &error));
  g_assert_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_PROJECTION_DIVERGED);
  g_clear_error (&error);
  g_assert_true (pdv_journal_rebuild (f->journal, &entries, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *after = dump_table (db, tables[i]);
      g_assert_cmpstr (after, ==, before[i]);
      g_free (before[i]);
    }
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
found_id (GPtrArray  *found,
          const char *id)
{
  for (guint i = 0; i < found->len; i++)
    if (g_str_equal (((PdvTicketInfo *) g_ptr_array_index (found, i))->id, id))
      return TRUE;
  return FALSE;
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) joao = NULL;
  g_autoptr(GPtrArray) upper = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GPtrArray) two_words = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) limited = NULL;

  joao = pdv_checkin_search (f->checkin, "joao", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (joao->len, >, 5);
  for (guint i = 0; i < joao->len; i++)
    {
      PdvTicketInfo *info = g_ptr_array_index (joao, i);
      g_autofree char *folded = pdv_text_fold (info->holder_name);
      g_assert_nonnull (strstr (folded, "joao"));
    }
  g_assert_true (found_id (joao, "T000341")); /* João Gabriel Alves */

  upper = pdv_checkin_search (f->checkin, "  JOÃO  ", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (upper->len, ==, joao->len);

  two_words = pdv_checkin_search (f->checkin, "gab alv", 100, &error);
  g_assert_no_error (error);
  g_assert_true (found_id (two_words, "T000341"));
  g_assert_cmpuint (two_words->len, <, joao->len);

  /* By order code, in any case, with where the ticket stands. */
  set_time (f, NIGHT);
  pdv_checkin_set_gate (f->checkin, "Portão VIP");
  scan_only (f, REENTRY_VIP);
  order = pdv_checkin_search (f->checkin, "nv-3zmyvx", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (order->len, ==, 2);
  g_assert_cmpstr (((PdvTicketInfo *) g_ptr_array_index (order, 0))->id, ==, "T000001");
  g_assert_true (((PdvTicketInfo *) g_ptr_array_index (order, 0))->inside);
  g_assert_cmpint (((PdvTicketInfo *) g_ptr_array_index (order, 0))->entries, ==, 1);
  g_assert_cmpstr (((PdvTicketInfo *) g_ptr_array_index (order, 0))->last_gate, ==, "Portão VIP");
  g_assert_false (((PdvTicketInfo *) g_ptr_array_index (order, 1))->inside);

  none = pdv_checkin_search (f->checkin, "' OR 1=1 --", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  limited = pdv_checkin_search (f->checkin, "a", 7, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (limited->len, ==, 7);
}

/* Search is a range scan of an index, whatever the size of the list. */
static void
test_search_uses_index (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *plan = dump_table (pdv_context_get_db (f->context),
                                      "EXPLAIN QUERY PLAN SELECT w.ticket_id, t.holder_name FROM ticket_words w "
                                      "JOIN tickets t ON t.id = w.ticket_id "
                                      "WHERE w.word >= 'joao' AND w.word < 'joao~' ORDER BY w.word, w.ticket_id");

  g_test_message ("%s", plan);
  g_assert_nonnull (strstr (plan, "SEARCH w USING PRIMARY KEY (word>? AND word<?)"));
  g_assert_null (strstr (plan, "SCAN"));
}

/* Tickets imported before the search index existed are found too. */
static void
test_search_after_upgrade (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "terminal.db", NULL);
  g_autoptr(PdvDb) old = pdv_db_open_at_version (path, 5, &error);
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_assert_no_error (error);
  pdv_db_exec (old, "INSERT INTO tickets (id, secret, order_code, holder_name, type, zone, entry_policy, status) "
                    "VALUES ('T1', 'secret-123456', 'NV-1', 'Ângela Sá', 'Pista', 'general', 'single', 'valid')",
               &error);
  g_assert_no_error (error);
  g_clear_object (&old);

  context = pdv_context_open (path, &error);
  g_assert_no_error (error);
  checkin = pdv_checkin_new (pdv_context_get_journal (context));
  found = pdv_checkin_search (checkin, "angela sa", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_object (&checkin);
  g_clear_object (&context);
  pdv_test_remove_tree (dir);
}

static void
test_token_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *public = NULL;
  g_autoptr(GBytes) decoded = NULL;
  guint8 secret_key[PDV_TICKET_SECRET_KEY_BYTES];
  guint8 public_key[PDV_TICKET_PUBLIC_KEY_BYTES];
  g_autoptr(PdvTicketClaims) claims = pdv_ticket_claims_new ();
  g_autoptr(PdvTicketClaims) read = NULL;
  g_autofree char *text = NULL;
  const char *expected_payload = "{\"e\":\"ev\",\"p\":\"single\",\"t\":\"T-1\",\"y\":\"Pista\",\"z\":\"general\"}";
  const char *dot;

  g_assert_true (pdv_ticket_key_generate (&secret, &public, &error));
  g_assert_cmpuint (strlen (public), ==, 43);
  g_assert_cmpuint (strlen (secret), ==, 86);
  g_assert_true (pdv_ticket_secret_key_parse (secret, secret_key, &error));
  g_assert_true (pdv_ticket_public_key_parse (public, public_key, &error));

  claims->ticket_id = g_strdup ("T-1");
  claims->event_id = g_strdup ("ev");
  claims->type = g_strdup ("Pista");
  claims->zone = g_strdup ("general");
  text = pdv_ticket_token_sign (claims, secret_key, &error);
  g_assert_no_error (error);

  /* PDV1.<payload>.<signature>, unpadded base64url, compact JSON inside. */
  dot = strchr (text + 5, '.');
  g_assert_nonnull (dot);
  g_assert_null (strchr (text, '='));
  g_assert_cmpuint (strlen (dot + 1), ==, 86);
  decoded = pdv_base64url_decode (text + 5, dot - text - 5);
  g_assert_nonnull (decoded);
  g_assert_cmpmem (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded),
                   expected_payload, strlen (expected_payload));

  read = pdv_ticket_token_verify (text, public_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->ticket_id, ==, "T-1");
  g_assert_false (read->has_valid_from);
  g_assert_null (read->holder_name);

  /* Keys of the wrong size, or not base64url, are refused. */
  g_assert_false (pdv_ticket_public_key_parse ("iwGDGEy5ds9rICt6GbkoC5VaSQuO6juzfh9RIb-tM1", public_key, &error));
  g_assert_error (error, PDV_TICKET_TOKEN_ERROR, PDV_TICKET_TOKEN_ERROR_INVALID_KEY);
  g_clear_error (&error);
  g_assert_false (pdv_ticket_public_key_parse ("iwGDGEy5ds9rICt6GbkoC5VaSQuO6juzfh9RIb+tM1Y", public_key, &error));
  g_clear_error (&error);
  /* The unused low bits of the last character must be zero. */
  g_assert_null (pdv_base64url_decode ("QR", 2));
  g_assert_null (pdv_base64url_decode ("QQ==", 4));
}

/* Runs pdvctl --db DB ARGS… and returns its exit status; a crash is never 0.
 * @out is replaced by what it printed. */
static int
pdvctl (const char  *db,
        char       **out,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int wait_status = 0;
  va_list args;

  g_clear_pointer (out, g_free);
  g_ptr_array_add (argv, (char *) g_getenv ("PDVCTL"));
  g_assert_nonnull (argv->pdata[0]);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "", TRUE);

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, out, NULL, &wait_status, &error);
  g_assert_no_error (error);
  return WIFSIGNALED (wait_status) ? 128 + WTERMSIG (wait_status) : WEXITSTATUS (wait_status);
}

static void
test_pdvctl (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "terminal.db", NULL);
  g_autofree char *prefix = g_build_filename (dir, "event", NULL);
  g_autofree char *key_path = g_build_filename (dir, "event.key", NULL);
  g_autofree char *demo_key = g_build_filename (pdv_test_demo_dir (), "ticket-signing.key", NULL);
  g_autofree char *revocations = g_build_filename (dir, "revoked.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *signed_ticket = NULL;
  g_autoptr(json_t) json = NULL;
  GStatBuf st;

#define RUN(...) pdvctl (db, &out, __VA_ARGS__, NULL)
  g_assert_cmpint (RUN ("init", "--demo", "--demo-starts", "published", "--name", "Portão 1"), ==, 0);

  /* Exit status 0 lets the person through, 1 does not. */
  g_assert_cmpint (RUN ("checkin", REENTRY_VIP "\r\n", "--at", NIGHT), ==, 0);
  g_assert_true (g_str_has_prefix (out, "VALID: Welcome, Emerson Santos\n"));
  g_assert_cmpint (RUN ("checkin", REENTRY_VIP, "--at", NIGHT, "--gate", "Portão 2"), ==, 1);
  g_assert_true (g_str_has_prefix (out, "ALREADY_INSIDE: Already inside: came in at Portão 1 at 21:00\n"));
  g_assert_cmpint (RUN ("checkin", REENTRY_VIP, "--exit", "--at", NIGHT), ==, 0);
  /* A code that starts like an option is still a code. */
  g_assert_cmpint (RUN ("checkin", "-h-F-D4O5De0LSQWkH4fMQ", "--at", NIGHT), ==, 0); /* T000097 */
  g_assert_true (g_str_has_prefix (out, "VALID: "));
  g_assert_cmpint (RUN ("checkin", "--at", NIGHT, "--", "-h-F-D4O5De0LSQWkH4fMQ"), ==, 1);
  g_assert_true (g_str_has_prefix (out, "ALREADY_USED: "));
  g_assert_cmpint (RUN ("checkin", "' OR 1=1; --", "--json"), ==, 1);
  json = json_loads (out, 0, NULL);
  g_assert_cmpstr (json_string_value (json_object_get (json, "verdict")), ==, "unreadable");
  g_assert_true (json_is_false (json_object_get (json, "accepted")));
  g_assert_cmpint (RUN ("checkin", "T000012", "--manual", "--user", "diego", "--at", NIGHT), !=, 0);
  g_assert_cmpint (RUN ("checkin", "T000012", "--manual", "--user", "diego", "--reason", "torn", "--at", NIGHT),
                   ==, 0);

  /* Keys: the signing key readable by its owner only, never overwritten. */
  g_assert_cmpint (RUN ("keygen", "--out", prefix), ==, 0);
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (RUN ("keygen", "--out", prefix), ==, 1);

  g_assert_cmpint (RUN ("ticket", "sign", "--key", demo_key, "--ticket", "S-9", "--event", EVENT_ID,
                        "--type", "Pista", "--zone", "general", "--name", "Ana Sá",
                        "--from", "2026-12-12T17:00:00-03:00", "--until", "2026-12-13T05:00:00-03:00"), ==, 0);
  signed_ticket = g_strstrip (g_strdup (out));
  /* Compact unless asked for the long form. */
  g_assert_true (g_str_has_prefix (signed_ticket, PDV_TICKET_COMPACT_PREFIX));
  g_assert_cmpint (RUN ("ticket", "sign", "--key", demo_key, "--ticket", "S-10", "--event", EVENT_ID,
                        "--type", "Pista", "--zone", "general", "--long"), ==, 0);
  g_assert_true (g_str_has_prefix (out, PDV_TICKET_TOKEN_PREFIX));
  g_assert_cmpint (RUN ("checkin", signed_ticket, "--at", NIGHT), ==, 0);
  g_assert_cmpint (RUN ("checkin", signed_ticket, "--at", "2026-12-13T06:00:00-03:00"), ==, 1);
  g_assert_true (g_str_has_prefix (out, "EXPIRED: "));

  /* The terminal as a VIP gate: pdvctl starts from it, options override it. */
  g_assert_cmpint (RUN ("gate", "--name", "Portão VIP", "--zone", "vip", "--zone", "backstage"), ==, 0);
  g_assert_nonnull (strstr (out, "Gate: Portão VIP"));
  g_assert_nonnull (strstr (out, "Admits: vip, backstage"));
  g_assert_cmpint (RUN ("checkin", SINGLE_E, "--at", NIGHT), ==, 1);
  g_assert_true (g_str_has_prefix (out, "WRONG_ZONE: "));
  g_assert_cmpint (RUN ("checkin", SINGLE_E, "--zone", "general", "--at", NIGHT, "--json"), ==, 0);
  g_clear_pointer (&json, json_decref);
  json = json_loads (out, 0, NULL);
  g_assert_cmpstr (json_string_value (json_object_get (json, "verdict")), ==, "valid");
  g_assert_cmpint (RUN ("gate", "--all-zones", "--name", "", "--json"), ==, 0);
  g_clear_pointer (&json, json_decref);
  json = json_loads (out, 0, NULL);
  g_assert_true (json_is_null (json_object_get (json, "zones")));
  g_assert_cmpstr (json_string_value (json_object_get (json, "direction")), ==, "entry");
  g_assert_cmpint (RUN ("gate", "--direction", "sideways"), ==, 2);

  g_file_set_contents (revocations, "ticket_id,reason\nT000002,chargeback\n", -1, NULL);
  g_assert_cmpint (RUN ("import", revocations), ==, 0);
  g_assert_nonnull (strstr (out, "1 revoked ticket imported"));
  g_assert_cmpint (RUN ("checkin", REENTRY_VIP_2, "--at", NIGHT), ==, 1);
  g_assert_true (g_str_has_prefix (out, "REVOKED: "));

  g_assert_cmpint (RUN ("tickets", "search", "joao", "gabriel", "alves"), ==, 0);
  g_assert_nonnull (strstr (out, "T000341"));
  g_assert_cmpint (RUN ("occupancy", "--json"), ==, 0);
  g_clear_pointer (&json, json_decref);
  json = json_loads (out, 0, NULL);
  /* T000097, T000012, T000009 (through the VIP gate told to admit general) and S-9; T000001 left. */
  g_assert_cmpint (json_integer_value (json_object_get (json, "inside")), ==, 4);
  g_assert_cmpint (json_integer_value (json_object_get (json, "capacity")), ==, 2500);
  g_assert_cmpint (RUN ("verify"), ==, 0);
#undef RUN

  pdv_test_remove_tree (dir);
}

/* A long list arriving from the sync server is applied in steps on the sync
 * worker's own connection: the door keeps scanning meanwhile, every scan is
 * written, none fails with a locked database, and the whole list lands. */
#define STEPPED_TICKETS 40000

typedef struct {
  PdvContext *context;
  GString    *list;
  gint        running;
  GError     *error;
} ListApply;

static gpointer
apply_list_thread (gpointer data)
{
  ListApply *apply = data;
  PdvImportResult result;

  if (pdv_import_data_in_steps (pdv_context_get_journal (apply->context), "sync-9-tickets.json",
                                apply->list->str, apply->list->len, PDV_IMPORT_KIND_TICKETS, NULL, &result,
                                &apply->error))
    g_assert_cmpuint (result.n_tickets, ==, STEPPED_TICKETS);
  g_atomic_int_set (&apply->running, FALSE);
  return NULL;
}

static void
test_scans_during_list (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const secrets[] = { REENTRY_VIP, REENTRY_VIP_2, MULTI_STAFF };
  g_autoptr(GError) error = NULL;
  ListApply apply = { 0 };
  GThread *thread;
  guint during = 0, scans = 0;
  guint before = pdv_context_count_tickets (f->context);

  set_time (f, NIGHT);
  apply.context = pdv_context_open_beside (f->context, &error);
  g_assert_no_error (error);
  apply.list = g_string_new ("{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": [\n");
  for (int i = 0; i < STEPPED_TICKETS; i++)
    g_string_append_printf (apply.list,
                            "%s{\"id\": \"S%06d\", \"secret\": \"list-secret-%06d\", \"order_code\": \"NV-S%d\", "
                            "\"holder_name\": \"Pessoa %d da Silva\", \"type\": \"Pista\", \"zone\": \"general\"}\n",
                            i > 0 ? "," : "", i, i, i, i);
  g_string_append (apply.list, "]}\n");

  g_atomic_int_set (&apply.running, TRUE);
  thread = g_thread_new ("list", apply_list_thread, &apply);
  /* Scans and exits of the same tickets, for as long as the list applies.
   * Scans written while part of the list is there to see, and not all of
   * it, prove that they did not wait for all of it. */
  while (g_atomic_int_get (&apply.running) || scans < 12)
    {
      guint seen = pdv_context_count_tickets (f->context);
      gboolean was_running = g_atomic_int_get (&apply.running) && seen > before && seen < before + STEPPED_TICKETS;
      g_autoptr(PdvCheckinResult) result = NULL;

      pdv_checkin_set_direction (f->checkin, scans / G_N_ELEMENTS (secrets) % 2 ? PDV_CHECKIN_EXIT
                                                                               : PDV_CHECKIN_ENTRY);
      result = pdv_checkin_validate (f->checkin, secrets[scans % G_N_ELEMENTS (secrets)], -1, PDV_SCAN_CAMERA,
                                     &error);
      g_assert_no_error (error);
      g_assert_true (pdv_checkin_result_is_accepted (result));
      g_assert_cmpint (result->seq, >, 0);
      if (was_running && g_atomic_int_get (&apply.running))
        during++;
      scans++;
    }
  g_thread_join (thread);
  g_assert_no_error (apply.error);
  g_test_message ("%u scans, %u of them while part of the list was applied", scans, during);
  g_assert_cmpuint (during, >=, 2);
  g_assert_cmpuint (pdv_context_count_tickets (f->context), ==, before + STEPPED_TICKETS);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
  g_string_free (apply.list, TRUE);
  g_assert_finalize_object (apply.context);
}

/* A supervisor lets in someone the rules refuse: recorded as valid, with
 * who, why and what was refused; a full venue stays full; a code that is no
 * ticket is never let in this way. */
static void
test_override (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckinResult) used = NULL;
  g_autoptr(PdvCheckinResult) again = NULL;
  g_autoptr(PdvCheckinResult) unknown = NULL;
  g_autoptr(PdvCheckinResult) full = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  json_t *override;
  PdvOccupancy occupancy;

  set_time (f, NIGHT);
  g_assert_true (pdv_checkin_verdict_can_override (PDV_CHECKIN_ALREADY_USED));
  g_assert_false (pdv_checkin_verdict_can_override (PDV_CHECKIN_CAPACITY_FULL));
  g_assert_false (pdv_checkin_verdict_can_override (PDV_CHECKIN_UNKNOWN));
  g_assert_false (pdv_checkin_verdict_can_override (PDV_CHECKIN_BAD_SIGNATURE));

  g_clear_pointer (&used, pdv_checkin_result_free);
  used = scan_bytes (f, SINGLE_A, -1);
  g_assert_cmpint (used->verdict, ==, PDV_CHECKIN_VALID);
  g_clear_pointer (&used, pdv_checkin_result_free);
  used = scan_bytes (f, SINGLE_A, -1);
  g_assert_cmpint (used->verdict, ==, PDV_CHECKIN_ALREADY_USED);

  pdv_checkin_set_user (f->checkin, "porta1");
  again = pdv_checkin_override (f->checkin, SINGLE_A, -1, PDV_SCAN_CAMERA, "gerente", "Left for the car, with a stamp",
                                &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->verdict, ==, PDV_CHECKIN_VALID);
  g_assert_true (again->warnings & PDV_CHECKIN_WARNING_OVERRIDE);
  g_assert_cmpstr (again->message, ==, "Let in by a supervisor: Left for the car, with a stamp");
  g_assert_true (g_str_has_prefix (again->detail, "Already used at "));
  entry = pdv_test_journal_last_entry (f->journal);
  g_assert_cmpstr (payload_string (entry, "verdict"), ==, "valid");
  g_assert_cmpstr (entry->user, ==, "porta1");
  override = json_object_get (entry->payload, "override");
  g_assert_cmpstr (json_string_value (json_object_get (override, "by")), ==, "gerente");
  g_assert_cmpstr (json_string_value (json_object_get (override, "reason")), ==, "Left for the car, with a stamp");
  g_assert_cmpstr (json_string_value (json_object_get (override, "refused")), ==, "already_used");
  /* The same person, counted once. */
  g_assert_true (pdv_checkin_get_occupancy (f->checkin, &occupancy, &error));
  g_assert_cmpint (occupancy.inside, ==, 1);
  g_assert_cmpint (occupancy.entries, ==, 2);

  /* No ticket, no override: recorded as refused as it is. */
  unknown = pdv_checkin_override (f->checkin, "ZZZZZZZZZZZZZZZZZZZZZZ", -1, PDV_SCAN_CAMERA, "gerente", "Trust me",
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (unknown->verdict, ==, PDV_CHECKIN_UNKNOWN);

  /* A full venue stays full. */
  {
    g_autofree char *meta = pdv_db_get_meta (pdv_context_get_db (f->context), "event");
    g_autoptr(json_t) event = json_loads (meta, 0, NULL);
    g_autofree char *text = NULL;
    g_autofree char *document = NULL;

    json_object_set_new (event, "capacity", json_integer (1));
    text = json_dumps (event, 0);
    document = g_strdup_printf ("{\"format\": \"pdv-event\", \"version\": 1, \"event\": %s}", text);
    g_assert_true (pdv_import_data (f->journal, "event.json", document, strlen (document), PDV_IMPORT_KIND_EVENT,
                                    NULL, NULL, &error));
    g_assert_no_error (error);
  }
  /* Refused for its zone at a VIP gate, and the venue is full. */
  pdv_checkin_set_zones (f->checkin, (const char * const[]) { "vip", NULL });
  full = pdv_checkin_override (f->checkin, SINGLE_B, -1, PDV_SCAN_CAMERA, "gerente", "VIP guest", &error);
  g_assert_no_error (error);
  g_assert_cmpint (full->verdict, ==, PDV_CHECKIN_CAPACITY_FULL);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/checkin/rules", test_rules);
  ADD ("/checkin/messages", test_messages);
  ADD ("/checkin/input/whitespace-and-control", test_whitespace_and_control);
  ADD ("/checkin/input/bad", test_bad_input);
  ADD ("/checkin/manual-admit", test_manual_admit);
  ADD ("/checkin/capacity", test_capacity);
  ADD ("/checkin/revocations", test_revocations);
  ADD ("/checkin/signed/other-event", test_signed_other_event);
  ADD ("/checkin/signed/revoked", test_signed_revoked);
  ADD ("/checkin/signed/compact", test_signed_compact);
  g_test_add_func ("/checkin/signed/base45", test_base45);
  ADD ("/checkin/signed/cancelled-in-list", test_signed_cancelled_in_list);
  ADD ("/checkin/signed/tampering", test_signed_tampering);
  ADD ("/checkin/event-key-import", test_event_key_import);
  ADD ("/checkin/rebuild", test_rebuild);
  ADD ("/checkin/search/names-and-orders", test_search);
  ADD ("/checkin/search/uses-index", test_search_uses_index);
#undef ADD
  g_test_add ("/checkin/signed/without-ticket-list", Fixture, NULL, fixture_set_up_no_tickets,
              test_signed_without_list, fixture_tear_down);
  g_test_add ("/checkin/signed/without-key", Fixture, NULL, fixture_set_up_bare, test_signed_without_key,
              fixture_tear_down);
  g_test_add_func ("/checkin/search/after-upgrade", test_search_after_upgrade);
  g_test_add_func ("/checkin/token/format", test_token_format);
  g_test_add_func ("/checkin/pdvctl", test_pdvctl);
  g_test_add ("/checkin/override", Fixture, NULL, fixture_set_up, test_override, fixture_tear_down);
  g_test_add ("/checkin/scans-during-list", Fixture, NULL, fixture_set_up, test_scans_during_list,
              fixture_tear_down);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-door"

#include "config.h"

#include <cairo.h>
#include <string.h>
#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>

#include "pdv-application.h"
#include "pdv-checkin-page-private.h"
#include "pdv-core.h"
#include "pdv-sync-state.h"
#include "pdv-ui-test-util.h"
#include "pdv-ui-xtest.h"
#include "pdv-wedge.h"
#include "pdv-window-private.h"

/* The door page in a real window: tickets arrive the way the scanners hand
 * them over, keys the way the key controller sees them, a manual admission
 * the way door staff tap it; the verdict, the sounds, the counters and the
 * list of last scans are checked, and each kind of verdict is saved as a
 * screenshot. */

/* From the demo ticket list. */
#define SECRET_BRUNA      "aWdDF80JXBHWJAtcRgE9Gg"   /* T000005, Pista, single */
#define SECRET_RICARDO    "X7aD_N9KUCjv3ZyMtaH9Gw"   /* T000006, Pista, single */
#define SECRET_EMERSON    "huywXXFbkmSPxXCW3I1JUw"   /* T000001, Camarote, re-entry */
#define SECRET_GABRIELA   "2aeDWQLBiYXbwAD8JvF6Bg"   /* T000002, Camarote, re-entry */
#define SECRET_CANCELLED  "MAwQC0dSZEfr3EWJ9W-AtA"   /* T000032, cancelled */

static PdvApplication *application;

typedef struct {
  char           *tmp_dir;
  PdvContext     *context;
  PdvWindow      *window;
  PdvCheckinPage *page;
  PdvDoorVerdict *verdict;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T22:00:00-03:00", NULL);

  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_named_terminal (fixture->tmp_dir, "Portão 1", TRUE);

  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  fixture->page = PDV_CHECKIN_PAGE (pdv_window_get_page (fixture->window, "checkin"));
  g_assert_nonnull (fixture->page);
  fixture->verdict = pdv_checkin_page_get_verdict (fixture->page);

  /* The night of the event, and verdicts that stay until the next one. */
  pdv_test_set_door_time (pdv_checkin_page_get_checkin (fixture->page), night);
  pdv_door_verdict_set_hold_time (fixture->verdict, 0);

  g_assert_true (pdv_window_show_page (fixture->window, "checkin"));
  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  /* The page made its own check-in station from the context; neither may
   * outlive the window. */
  g_assert_finalize_object (fixture->context);
  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

/* Scans are checked off the screen's thread: until their verdicts are in. */
static void
wait_checked (Fixture *fixture)
{
  pdv_ui_test_wait_until (pdv_checkin_page_get_n_pending (fixture->page) == 0, 10);
}

/* The scanners' entry point: what the camera and the USB scanner hand over. */
static void
scan (Fixture       *fixture,
      const char    *text,
      PdvScanSource  source)
{
  guint before = pdv_checkin_page_get_n_scans (fixture->page);

  if (source == PDV_SCAN_CAMERA)
    g_signal_emit_by_name (pdv_door_camera_get_scanner (pdv_checkin_page_get_camera (fixture->page)),
                           "code-detected", text);
  else
    {
      guint32 time_ms = 1000000;

      /* Typed by a scanner: a key every 8 ms, then Enter. */
      for (const char *p = text; *p != '\0'; p++)
        {
          time_ms += 8;
          g_assert_true (pdv_checkin_page_press_key (fixture->page, gdk_unicode_to_keyval ((guchar) *p), 0, time_ms));
        }
      g_assert_true (pdv_checkin_page_press_key (fixture->page, GDK_KEY_Return, 0, time_ms + 8));
    }
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, before + 1);
  wait_checked (fixture);
}

static void
assert_verdict (Fixture            *fixture,
                PdvDoorVerdictKind  kind,
                const char         *title)
{
  GtkWidget *box = gtk_widget_get_first_child (GTK_WIDGET (fixture->verdict));
  const char *css_class = pdv_door_verdict_kind_to_css_class (kind);

  wait_checked (fixture);
  g_test_message ("verdict: %s | %s | %s", pdv_door_verdict_get_headline (fixture->verdict),
                  pdv_door_verdict_get_title (fixture->verdict), pdv_door_verdict_get_detail (fixture->verdict));
  g_assert_cmpint (pdv_door_verdict_get_kind (fixture->verdict), ==, kind);
  g_assert_true (gtk_widget_has_css_class (box, css_class));
  for (PdvDoorVerdictKind other = PDV_DOOR_VERDICT_IDLE; other <= PDV_DOOR_VERDICT_EXITED; other++)
    if (other != kind)
      g_assert_false (gtk_widget_has_css_class (box, pdv_door_verdict_kind_to_css_class (other)));
  if (title != NULL)
    g_assert_cmpstr (pdv_door_verdict_get_title (fixture->verdict), ==, title);
}

/* Saves a screenshot and checks the verdict's colour in it, as door staff
 * see it from across the queue. */
static void
save_verdict_screenshot (Fixture            *fixture,
                         const char         *name,
                         PdvDoorVerdictKind  kind)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GdkTexture) texture = pdv_ui_test_save_screenshot (window, name);
  g_autoptr(GdkTexture) rendered = NULL;
  graphene_point_t origin;
  graphene_point_t inside = GRAPHENE_POINT_INIT (40, 40);
  graphene_point_t point;
  g_autofree guchar *pixels = NULL;
  gsize stride;
  int x, y;
  guint r, g, b;

  rendered = pdv_ui_test_render (window, &origin);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (fixture->verdict), window, &inside, &point));
  x = (int) (point.x - origin.x);
  y = (int) (point.y - origin.y);
  stride = (gsize) gdk_texture_get_width (rendered) * 4;
  pixels = g_malloc (stride * (gsize) gdk_texture_get_height (rendered));
  gdk_texture_download (rendered, pixels, stride);
  /* Cairo's order in memory: B, G, R, A on little-endian machines. */
  b = pixels[(gsize) y * stride + (gsize) x * 4 + (G_BYTE_ORDER == G_LITTLE_ENDIAN ? 0 : 3)];
  g = pixels[(gsize) y * stride + (gsize) x * 4 + (G_BYTE_ORDER == G_LITTLE_ENDIAN ? 1 : 2)];
  r = pixels[(gsize) y * stride + (gsize) x * 4 + (G_BYTE_ORDER == G_LITTLE_ENDIAN ? 2 : 1)];
  g_test_message ("%s: verdict colour %02x%02x%02x", name, r, g, b);

  switch (kind)
    {
    case PDV_DOOR_VERDICT_ACCEPTED:
      g_assert_cmpuint (g, >, r + 60);
      g_assert_cmpuint (g, >, b + 40);
      break;
    case PDV_DOOR_VERDICT_REFUSED:
      g_assert_cmpuint (r, >, g + 100);
      g_assert_cmpuint (r, >, b + 100);
      break;
    case PDV_DOOR_VERDICT_WARNING:
      g_assert_cmpuint (r, >, 200);
      g_assert_cmpuint (g, >, 140);
      g_assert_cmpuint (b, <, 80);
      break;
    case PDV_DOOR_VERDICT_EXITED:
      g_assert_cmpuint (b, >, r + 100);
      break;
    case PDV_DOOR_VERDICT_IDLE:
    default:
      g_assert_cmpuint (MAX (MAX (r, g), b) - MIN (MIN (r, g), b), <, 16);
      break;
    }
}

static void
assert_title_starts_with (Fixture    *fixture,
                          const char *prefix)
{
  g_assert_true (g_str_has_prefix (pdv_door_verdict_get_title (fixture->verdict), prefix));
}

static char *
count_text (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

/* The counters show what the journal counts. */
static void
assert_counters (Fixture *fixture,
                 gint64   inside,
                 gint64   entries)
{
  g_autofree char *inside_text = count_text (inside);
  g_autofree char *entries_text = count_text (entries);
  g_autofree char *capacity_text = count_text (2500);
  g_autoptr(GError) error = NULL;
  PdvOccupancy occupancy;

  g_assert_true (pdv_checkin_get_occupancy (pdv_checkin_page_get_checkin (fixture->page), &occupancy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (occupancy.inside, ==, inside);
  g_assert_cmpint (occupancy.entries, ==, entries);
  g_assert_cmpstr (pdv_checkin_page_get_inside_text (fixture->page), ==, inside_text);
  g_assert_cmpstr (pdv_checkin_page_get_entries_text (fixture->page), ==, entries_text);
  g_assert_cmpstr (pdv_checkin_page_get_capacity_text (fixture->page), ==, capacity_text);
  g_assert_cmpstr (pdv_checkin_page_get_occupancy_text (fixture->page), ==, "");
}

static void
assert_history (Fixture    *fixture,
                guint       index,
                const char *name,
                const char *verdict)
{
  g_autofree char *text = pdv_checkin_page_dup_history_text (fixture->page, index);
  g_autofree char *tail = g_strdup_printf (" · %s · %s", name, verdict);

  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, tail));
}

static char *
sign_ticket (const char *ticket_id,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (pdv_test_demo_dir (), "ticket-signing.key", NULL);
  g_autofree char *key_text = NULL;
  g_autoptr(PdvTicketClaims) claims = pdv_ticket_claims_new ();
  guint8 key[PDV_TICKET_SECRET_KEY_BYTES];
  char *token;

  g_file_get_contents (path, &key_text, NULL, &error);
  g_assert_no_error (error);
  g_strstrip (key_text);
  pdv_ticket_secret_key_parse (key_text, key, &error);
  g_assert_no_error (error);

  claims->ticket_id = g_strdup (ticket_id);
  claims->event_id = g_strdup ("noite-de-verao-2026");
  claims->type = g_strdup ("Pista");
  claims->zone = g_strdup ("general");
  claims->holder_name = g_strdup (name);
  claims->policy = PDV_ENTRY_POLICY_SINGLE;
  token = pdv_ticket_token_sign (claims, key, &error);
  g_assert_no_error (error);
  return token;
}

static void
test_idle (Fixture       *fixture,
           gconstpointer  user_data)
{
  assert_verdict (fixture, PDV_DOOR_VERDICT_IDLE, "Ready — scan a ticket");
  assert_counters (fixture, 0, 0);
  g_assert_cmpuint (pdv_checkin_page_count_history (fixture->page), ==, 0);
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "");
  /* Scanning works the moment the page shows: the focus is on it. */
  g_assert_true (gtk_widget_has_focus (gtk_root_get_focus (GTK_ROOT (fixture->window))));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         GTK_WIDGET (fixture->page)));
  save_verdict_screenshot (fixture, "door-idle", PDV_DOOR_VERDICT_IDLE);
}

static void
test_verdicts (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *signed_ticket = sign_ticket ("T900777", "Ana Sá");
  PdvDoorSounds *sounds = pdv_checkin_page_get_sounds (fixture->page);

  /* Valid: green, the holder's name huge, the ticket type under it. */
  scan (fixture, SECRET_BRUNA, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Bruna Sampaio");
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Valid");
  g_assert_cmpstr (pdv_door_verdict_get_detail (fixture->verdict), ==, "Pista · general");
  assert_counters (fixture, 1, 1);
  assert_history (fixture, 0, "Bruna Sampaio", "Valid");
  save_verdict_screenshot (fixture, "door-valid", PDV_DOOR_VERDICT_ACCEPTED);

  /* The same ticket again: red, and why, where and when. */
  scan (fixture, SECRET_BRUNA, PDV_SCAN_WEDGE);
  assert_verdict (fixture, PDV_DOOR_VERDICT_REFUSED, NULL);
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Refused");
  assert_title_starts_with (fixture, "Already used at Portão 1 at ");
  g_assert_nonnull (strstr (pdv_door_verdict_get_detail (fixture->verdict), "Bruna Sampaio"));
  assert_counters (fixture, 1, 1);
  assert_history (fixture, 0, "Bruna Sampaio", "Already used");
  save_verdict_screenshot (fixture, "door-refused", PDV_DOOR_VERDICT_REFUSED);

  scan (fixture, SECRET_CANCELLED, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_REFUSED, "Cancelled ticket");
  assert_history (fixture, 0, "Maria Clara Macedo Prado", "Cancelled");
  save_verdict_screenshot (fixture, "door-cancelled", PDV_DOOR_VERDICT_REFUSED);

  scan (fixture, "ThisIsNoTicketOfOurs1234", PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_REFUSED, "Unknown ticket: not on this event’s list");
  assert_history (fixture, 0, "Unknown", "Unknown");
  save_verdict_screenshot (fixture, "door-unknown", PDV_DOOR_VERDICT_REFUSED);

  /* A signed ticket checks out with no list at all. */
  scan (fixture, signed_ticket, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Ana Sá");
  assert_counters (fixture, 2, 2);
  assert_history (fixture, 0, "Ana Sá", "Valid");

  /* In, out (blue), and in again: amber, a re-entry to look at. */
  scan (fixture, SECRET_EMERSON, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Emerson Santos");
  assert_counters (fixture, 3, 3);

  pdv_checkin_page_set_direction (fixture->page, PDV_CHECKIN_EXIT);
  g_assert_cmpint (pdv_checkin_get_direction (pdv_checkin_page_get_checkin (fixture->page)), ==, PDV_CHECKIN_EXIT);
  scan (fixture, SECRET_EMERSON, PDV_SCAN_WEDGE);
  assert_verdict (fixture, PDV_DOOR_VERDICT_EXITED, "Emerson Santos");
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Exit");
  assert_counters (fixture, 2, 3);
  assert_history (fixture, 0, "Emerson Santos", "Exit");
  save_verdict_screenshot (fixture, "door-exited", PDV_DOOR_VERDICT_EXITED);

  /* Leaving without having come in is refused, in the exit's words. */
  scan (fixture, SECRET_GABRIELA, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_REFUSED, NULL);
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Exit refused");
  assert_title_starts_with (fixture, "Not inside");

  pdv_checkin_page_set_direction (fixture->page, PDV_CHECKIN_ENTRY);
  scan (fixture, SECRET_EMERSON, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_WARNING, "Emerson Santos");
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Valid — re-entry");
  g_assert_true (g_str_has_prefix (pdv_door_verdict_get_detail (fixture->verdict), "Re-entry: left at Portão 1 at "));
  assert_counters (fixture, 3, 4);
  assert_history (fixture, 0, "Emerson Santos", "Re-entry");
  save_verdict_screenshot (fixture, "door-warning", PDV_DOOR_VERDICT_WARNING);

  /* One row and one sound per scan, newest first. */
  g_assert_cmpuint (pdv_checkin_page_count_history (fixture->page), ==, 9);
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, 9);
  g_assert_cmpuint (pdv_door_sounds_get_n_played (sounds), ==, 9);
  assert_history (fixture, 8, "Bruna Sampaio", "Valid");

  /* Muted: verdicts, no sound. */
  pdv_door_sounds_set_muted (sounds, TRUE);
  scan (fixture, SECRET_RICARDO, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Ricardo Sampaio");
  g_assert_cmpuint (pdv_door_sounds_get_n_played (sounds), ==, 9);
}

/* The previous person's verdict goes the moment a code is read, before the
 * check is done; a ticket the list flags shows amber, the flag first. */
static void
test_checking_and_attention (Fixture       *fixture,
                             gconstpointer  user_data)
{
  static const char list[] =
    "id,secret,order_code,holder_name,type,zone,attention,valid_until\n"
    "T800001,attention-secret-0001,NV-800001,Lia Menezes,Pista,general,check ID: under 18,\n"
    "T800002,attention-secret-0002,NV-800002,Caio Menezes,Pista,general,,2026-12-12T20:00:00-03:00\n";
  PdvDoorSearch *search = pdv_checkin_page_get_search (fixture->page);
  PdvJournal *journal = pdv_context_get_journal (fixture->context);
  g_autoptr(GError) error = NULL;
  PdvCameraScanner *camera = pdv_door_camera_get_scanner (pdv_checkin_page_get_camera (fixture->page));

  g_assert_true (pdv_import_data (journal, "flags.csv", list, strlen (list), PDV_IMPORT_KIND_AUTO, NULL, NULL,
                                  &error));
  g_assert_no_error (error);

  scan (fixture, SECRET_CANCELLED, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_REFUSED, "Cancelled ticket");

  /* Another connection holds the write lock (a list being applied, say):
   * the screen goes on drawing and answering while the check waits. */
  g_assert_true (pdv_db_begin (pdv_context_get_db (fixture->context), &error));
  g_assert_no_error (error);

  /* Read: the red verdict is gone before anything else runs. */
  g_signal_emit_by_name (camera, "code-detected", "attention-secret-0001");
  g_assert_cmpint (pdv_door_verdict_get_kind (fixture->verdict), ==, PDV_DOOR_VERDICT_IDLE);
  g_assert_cmpstr (pdv_door_verdict_get_title (fixture->verdict), ==, "Checking…");
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "");
  pdv_ui_test_settle ();
  save_verdict_screenshot (fixture, "door-checking", PDV_DOOR_VERDICT_IDLE);
  g_assert_cmpuint (pdv_checkin_page_get_n_pending (fixture->page), ==, 1);
  g_assert_cmpstr (pdv_door_verdict_get_title (fixture->verdict), ==, "Checking…");
  pdv_db_rollback (pdv_context_get_db (fixture->context));

  assert_verdict (fixture, PDV_DOOR_VERDICT_WARNING, "Lia Menezes");
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Valid — check first");
  g_assert_cmpstr (pdv_door_verdict_get_detail (fixture->verdict), ==, "check ID: under 18 — Pista · general");
  assert_history (fixture, 0, "Lia Menezes", "Valid");
  save_verdict_screenshot (fixture, "door-attention", PDV_DOOR_VERDICT_WARNING);

  /* Search says where each ticket stands before anyone presses Admit: the
   * flag, and a ticket whose time is over. */
  pdv_door_search_set_text (search, "menezes");
  g_assert_cmpuint (pdv_door_search_count_results (search), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const char *id = pdv_door_search_get_result_ticket_id (search, i);
      const char *subtitle = pdv_door_search_get_result_subtitle (search, i);

      g_test_message ("%s: %s", id, subtitle);
      if (g_str_equal (id, "T800001"))
        g_assert_true (g_str_has_suffix (subtitle, "Inside since 22:00 (Portão 1) · Check: check ID: under 18"));
      else
        g_assert_true (g_str_has_suffix (subtitle, "Expired at 12-12 20:00"));
    }
  pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "door-search-states");
}

/* The list keeps the last twenty scans. */
static void
test_history_length (Fixture       *fixture,
                     gconstpointer  user_data)
{
  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *code = g_strdup_printf ("NotATicket%04u", i);

      scan (fixture, code, PDV_SCAN_CAMERA);
    }
  g_assert_cmpuint (pdv_checkin_page_count_history (fixture->page), ==, 20);
}

/* The app restarts (a new window on the same terminal): the last scans are
 * still listed, newest first, with the times they were made. */
static void
test_history_after_restart (Fixture       *fixture,
                            gconstpointer  user_data)
{
  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);
  scan (fixture, SECRET_BRUNA, PDV_SCAN_CAMERA);
  pdv_ui_test_advance_clock (fixture->context, 61 * G_TIME_SPAN_SECOND);
  scan (fixture, SECRET_CANCELLED, PDV_SCAN_CAMERA);
  scan (fixture, "NotATicket0001", PDV_SCAN_CAMERA);

  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  fixture->page = PDV_CHECKIN_PAGE (pdv_window_get_page (fixture->window, "checkin"));
  fixture->verdict = pdv_checkin_page_get_verdict (fixture->page);
  g_assert_true (pdv_window_show_page (fixture->window, "checkin"));
  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));

  g_assert_cmpuint (pdv_checkin_page_count_history (fixture->page), ==, 3);
  assert_history (fixture, 0, "Unknown", "Unknown");
  assert_history (fixture, 1, "Maria Clara Macedo Prado", "Cancelled");
  assert_history (fixture, 2, "Bruna Sampaio", "Valid");
  {
    g_autofree char *first = pdv_checkin_page_dup_history_text (fixture->page, 2);
    g_autofree char *second = pdv_checkin_page_dup_history_text (fixture->page, 1);

    /* The night of the event, in its time zone: 22:00:00, then a minute on. */
    g_assert_true (g_str_has_prefix (first, "22:00:00 · "));
    g_assert_true (g_str_has_prefix (second, "22:01:01 · "));
  }
}

static void
type_keys (Fixture    *fixture,
           const char *text,
           guint       gap_ms,
           guint32    *time_ms,
           gboolean    expect_held)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guint keyval = gdk_unicode_to_keyval ((guchar) *p);
      GdkModifierType state = 0;

      /* A scanner presses Shift for capitals, as a person does. */
      if (g_ascii_isupper (*p))
        {
          g_assert_false (pdv_checkin_page_press_key (fixture->page, GDK_KEY_Shift_L, 0, *time_ms + gap_ms / 2));
          state = GDK_SHIFT_MASK;
        }
      *time_ms += gap_ms;
      g_assert_cmpint (pdv_checkin_page_press_key (fixture->page, keyval, state, *time_ms), ==, expect_held);
    }
}

static void
test_keyboard_wedge (Fixture       *fixture,
                     gconstpointer  user_data)
{
  PdvDoorSearch *search = pdv_checkin_page_get_search (fixture->page);
  guint32 time_ms = 5000000;
  guint before;

  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);
  gtk_widget_grab_focus (pdv_door_search_get_entry (search));

  /* A scanner's burst, with the focus in the search field: one scan, and
   * not a character of it in the field. */
  type_keys (fixture, SECRET_BRUNA, 10, &time_ms, TRUE);
  g_assert_cmpstr (pdv_door_search_get_text (search), ==, "");
  g_assert_true (pdv_checkin_page_press_key (fixture->page, GDK_KEY_Return, 0, time_ms + 10));
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, 1);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Bruna Sampaio");
  g_assert_cmpstr (pdv_door_search_get_text (search), ==, "");

  /* A person typing a name: no scan, and every letter in the field, in order. */
  before = pdv_checkin_page_get_n_scans (fixture->page);
  time_ms += 2000;
  type_keys (fixture, "Sampaio", 120, &time_ms, TRUE);
  pdv_checkin_page_release_held_keys (fixture->page);
  g_assert_cmpstr (pdv_door_search_get_text (search), ==, "Sampaio");
  /* Their Enter goes through to the field: it is no scan. */
  g_assert_false (pdv_checkin_page_press_key (fixture->page, GDK_KEY_Return, 0, time_ms + 300));
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, before);
  /* The field searches once the typing pauses (its own short delay). */
  pdv_ui_test_wait_until (pdv_door_search_count_results (search) >= 2, 10);

  /* Backspace is the person's, at once. */
  g_assert_false (pdv_checkin_page_press_key (fixture->page, GDK_KEY_BackSpace, 0, time_ms + 600));

  /* A fast burst without Enter is let through once the keys stop. */
  pdv_door_search_set_text (search, "");
  time_ms += 2000;
  type_keys (fixture, "abcdefgh", 10, &time_ms, TRUE);
  g_assert_cmpstr (pdv_door_search_get_text (search), ==, "");
  pdv_ui_test_wait_until (g_str_equal (pdv_door_search_get_text (search), "abcdefgh"), 5);
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, before);

  /* Caps Lock on: the scanner's capitals arrive small and are put right. */
  pdv_door_search_set_text (search, "");
  time_ms += 2000;
  for (const char *p = SECRET_RICARDO; *p != '\0'; p++)
    {
      char typed = g_ascii_isupper (*p) ? g_ascii_tolower (*p) : g_ascii_toupper (*p);

      time_ms += 9;
      g_assert_true (pdv_checkin_page_press_key (fixture->page, gdk_unicode_to_keyval ((guchar) typed),
                                                 GDK_LOCK_MASK, time_ms));
    }
  g_assert_true (pdv_checkin_page_press_key (fixture->page, GDK_KEY_KP_Enter, GDK_LOCK_MASK, time_ms + 9));
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, before + 1);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Ricardo Sampaio");
  g_assert_cmpstr (pdv_door_search_get_text (search), ==, "");

  /* Scanners set to end codes with Tab, or with CR LF: one scan each, the
   * focus stays, and no stray Linefeed reaches the field. */
  time_ms += 2000;
  type_keys (fixture, SECRET_EMERSON, 7, &time_ms, TRUE);
  g_assert_true (pdv_checkin_page_press_key (fixture->page, GDK_KEY_Tab, 0, time_ms + 7));
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, before + 2);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Emerson Santos");
  time_ms += 2000;
  type_keys (fixture, SECRET_GABRIELA, 7, &time_ms, TRUE);
  g_assert_true (pdv_checkin_page_press_key (fixture->page, GDK_KEY_Return, 0, time_ms + 7));
  g_assert_true (pdv_checkin_page_press_key (fixture->page, GDK_KEY_Linefeed, 0, time_ms + 9));
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, before + 3);
  g_assert_cmpstr (pdv_door_search_get_text (search), ==, "");

  /* Shortcuts are never taken. */
  g_assert_false (pdv_checkin_page_press_key (fixture->page, GDK_KEY_q, GDK_CONTROL_MASK, time_ms + 500));
}

/* What a tap on one of the dialog's buttons does. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_manual_admission (Fixture       *fixture,
                       gconstpointer  user_data)
{
  PdvDoorSearch *search = pdv_checkin_page_get_search (fixture->page);
  PdvJournal *journal = pdv_context_get_journal (fixture->context);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  PdvJournalEntry *entry;
  const char *ticket_id;
  GtkWindow *weak;

  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);

  /* Bruna came in with her phone; her friend's screen is broken. */
  scan (fixture, SECRET_BRUNA, PDV_SCAN_CAMERA);
  pdv_door_search_set_text (search, "nv-qp5c5g");
  g_assert_cmpuint (pdv_door_search_count_results (search), ==, 3);
  pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "door-manual-search");

  /* The order's three tickets, Felipe's among them. */
  ticket_id = NULL;
  for (guint i = 0; i < 3; i++)
    if (g_strcmp0 (pdv_door_search_get_result_ticket_id (search, i), "T000007") == 0)
      ticket_id = pdv_door_search_get_result_ticket_id (search, i);
  g_assert_cmpstr (ticket_id, ==, "T000007");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (search), "door.admit", "s", ticket_id));
  dialog = pdv_door_search_get_admit_dialog (search);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Admit Felipe Sales?");
  pdv_ui_test_wait_for_window (GTK_WIDGET (dialog));
  pdv_ui_test_save_screenshot (GTK_WIDGET (dialog), "door-manual-confirm");

  /* Nothing happens before door staff confirm. */
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, 1);
  gtk_editable_set_text (pdv_door_search_get_admit_reason (search), "Phone screen broken");
  weak = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  respond (dialog, "admit");
  pdv_ui_test_wait_until (weak == NULL, 5);
  g_assert_null (pdv_door_search_get_admit_dialog (search));

  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Felipe Sales");
  /* Screen readers are told every verdict. */
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (fixture->verdict)), ==,
                   GTK_ACCESSIBLE_ROLE_ALERT);
  assert_counters (fixture, 2, 2);
  assert_history (fixture, 0, "Felipe Sales", "Valid");

  /* Journalled as manual, with the gate, who and why. */
  entries = pdv_journal_list (journal, pdv_journal_get_last_seq (journal) - 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->kind, ==, "checkin");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "source")), ==, "manual");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "reason")), ==, "Phone screen broken");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "gate")), ==, "Portão 1");
  g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "ticket_id")), ==, "T000007");
  g_assert_nonnull (entry->user);

  /* The search shows where the ticket stands now; admitting it again is
   * refused by the same rules as a scan. */
  g_assert_cmpuint (pdv_door_search_count_results (search), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (search), "door.admit", "s", "T000007"));
  dialog = pdv_door_search_get_admit_dialog (search);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Inside since"));
  respond (dialog, "admit");
  pdv_ui_test_settle ();
  assert_verdict (fixture, PDV_DOOR_VERDICT_REFUSED, NULL);
  assert_title_starts_with (fixture, "Already used");

  /* Cancel records nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (search), "door.admit", "s", "T000006"));
  dialog = pdv_door_search_get_admit_dialog (search);
  respond (dialog, "cancel");
  pdv_ui_test_settle ();
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, 3);
}

/* The first @n valid single-entry tickets of the demo list, by secret. */
static GPtrArray *
demo_secrets (guint n)
{
  g_autofree char *path = g_build_filename (pdv_test_demo_dir (), "tickets.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *secrets = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL && secrets->len < n; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

      if (g_strv_length (fields) == 10 && g_str_equal (fields[8], "single") && g_str_equal (fields[9], "valid"))
        g_ptr_array_add (secrets, g_strdup (fields[1]));
    }
  g_assert_cmpuint (secrets->len, ==, n);
  return secrets;
}

/* A venue of ten: amber at nine, "Full" at ten, and the eleventh turned away. */
static void
test_capacity (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *event_path = g_build_filename (pdv_test_demo_dir (), "event.json", NULL);
  g_autofree char *small_path = g_build_filename (fixture->tmp_dir, "small-event.json", NULL);
  g_autoptr(GPtrArray) secrets = demo_secrets (11);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  json_error_t json_error;
  json_t *event;
  PdvImportResult result;

  event = json_load_file (event_path, 0, &json_error);
  g_assert_nonnull (event);
  json_object_set_new (json_object_get (event, "event"), "capacity", json_integer (10));
  g_assert_cmpint (json_dump_file (event, small_path, 0), ==, 0);
  json_decref (event);
  pdv_import_file (pdv_context_get_journal (fixture->context), small_path, PDV_IMPORT_KIND_EVENT, NULL,
                   &result, &error);
  g_assert_no_error (error);

  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);
  for (guint i = 0; i < 8; i++)
    scan (fixture, g_ptr_array_index (secrets, i), PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, NULL);
  g_assert_cmpstr (pdv_checkin_page_get_capacity_text (fixture->page), ==, "10");
  g_assert_cmpstr (pdv_checkin_page_get_occupancy_text (fixture->page), ==, "");

  scan (fixture, g_ptr_array_index (secrets, 8), PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_WARNING, NULL);
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Valid — nearly full");
  g_assert_cmpstr (pdv_checkin_page_get_inside_text (fixture->page), ==, "9");
  g_assert_cmpstr (pdv_checkin_page_get_occupancy_text (fixture->page), ==, "Nearly full");
  save_verdict_screenshot (fixture, "door-nearly-full", PDV_DOOR_VERDICT_WARNING);

  scan (fixture, g_ptr_array_index (secrets, 9), PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_WARNING, NULL);
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Valid — venue now full");
  g_assert_cmpstr (pdv_checkin_page_get_occupancy_text (fixture->page), ==, "Full");

  scan (fixture, g_ptr_array_index (secrets, 10), PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_REFUSED, NULL);
  assert_title_starts_with (fixture, "Venue full");
  g_assert_cmpstr (pdv_checkin_page_get_inside_text (fixture->page), ==, "10");
  save_verdict_screenshot (fixture, "door-full", PDV_DOOR_VERDICT_REFUSED);
}

static GtkWidget *
find_label_with_text (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Enrolled with a sync server, the door counts the venue: other gates' scans
 * pulled from it, with how fresh they are, in amber once they are old. */
static void
test_venue (Fixture       *fixture,
            gconstpointer  user_data)
{
  PdvContext *context = fixture->context;
  PdvDb *db = pdv_context_get_db (context);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_from_iso8601 ("2026-12-12T21:50:00-03:00", NULL);
  g_autofree char *at = g_date_time_format_iso8601 (before);
  static const char * const others[] = { "T000010", "T000012", "T000013" };
  GtkWidget *venue_label;

  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);
  g_assert_true (pdv_sync_set_servers (db, (const char * const[]) { "http://127.0.0.1:9", NULL }, &error));
  g_assert_no_error (error);
  scan (fixture, SECRET_BRUNA, PDV_SCAN_CAMERA);
  g_assert_cmpstr (pdv_checkin_page_get_inside_text (fixture->page), ==, "1");
  g_assert_cmpstr (pdv_checkin_page_get_venue_text (fixture->page), ==,
                   "This gate only: other gates not heard from yet");

  /* A pull brings three admissions at Portão 2. */
  g_assert_true (pdv_db_begin (db, &error));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_true (pdv_sync_state_put_checkin (db, others[i], "terminal-b", i + 1, "entry", at, "Portão 2", &error));
  g_assert_true (pdv_sync_state_record_outcome (db, "http://127.0.0.1:9", TRUE, NULL, FALSE, &error));
  g_assert_true (pdv_db_commit (db, &error));
  g_assert_no_error (error);

  /* Read again within seconds, without a scan. */
  pdv_ui_test_advance_clock (context, 5 * G_TIME_SPAN_SECOND);
  g_assert_cmpstr (pdv_checkin_page_get_inside_text (fixture->page), ==, "4");
  g_assert_cmpstr (pdv_checkin_page_get_venue_text (fixture->page), ==, "Other gates as of 5 seconds ago");
  venue_label = find_label_with_text (GTK_WIDGET (fixture->page), "Other gates as of 5 seconds ago");
  g_assert_false (gtk_widget_has_css_class (venue_label, "warning"));

  /* The server is not heard from for three minutes: amber. */
  for (guint i = 0; i < 36; i++)
    pdv_ui_test_advance_clock (context, 5 * G_TIME_SPAN_SECOND);
  g_assert_cmpstr (pdv_checkin_page_get_venue_text (fixture->page), ==, "Other gates as of 3 minutes ago");
  g_assert_true (gtk_widget_has_css_class (venue_label, "warning"));
  pdv_ui_test_settle ();
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "door-venue-stale"));
}

/* ---- The camera, for real ----------------------------------------------- */

static void
test_camera (Fixture       *fixture,
             gconstpointer  user_data)
{
  PdvDoorCamera *camera = pdv_checkin_page_get_camera (fixture->page);
  PdvCameraScanner *scanner = pdv_door_camera_get_scanner (camera);
  g_autofree char *frame = g_build_filename (fixture->tmp_dir, "ticket.png", NULL);
  g_autofree char *source = NULL;

  /* This machine has no camera, and the page says so plainly. */
  pdv_ui_test_wait_until (!g_str_equal (pdv_door_camera_get_status (camera), "Looking for a camera…"), 10);
  if (!pdv_camera_scanner_has_camera ())
    {
      g_assert_cmpstr (pdv_door_camera_get_status (camera), ==, "No camera found — connect one or use a USB scanner");
      g_assert_false (pdv_door_camera_get_enabled (camera));
      pdv_door_camera_set_enabled (camera, TRUE);
      pdv_ui_test_settle ();
      g_assert_false (pdv_door_camera_get_enabled (camera));
      g_assert_false (pdv_camera_scanner_get_running (scanner));
      g_assert_cmpstr (pdv_door_camera_get_status (camera), ==, "No camera found — connect one or use a USB scanner");
    }

  /* A ticket held in front of a "camera" for three seconds: one scan, the
   * picture on screen, through the same pipeline and worker as a camera. */
  pdv_door_camera_set_enabled (camera, FALSE);
  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);
  pdv_ui_test_write_qr_frame (SECRET_GABRIELA, frame);
  source = g_strdup_printf ("multifilesrc location=\"%s\" stop-index=90 "
                            "caps=image/png,framerate=30/1 ! pngdec", frame);
  pdv_camera_scanner_set_source_description (scanner, source);
  pdv_door_camera_set_enabled (camera, TRUE);
  g_assert_true (pdv_camera_scanner_get_running (scanner));

  pdv_ui_test_wait_until (pdv_checkin_page_get_n_scans (fixture->page) == 1, 10);
  assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Gabriela Portela Santos");
  g_assert_true (g_str_has_suffix (pdv_door_verdict_get_meta (fixture->verdict), " · Camera"));
  pdv_ui_test_wait_until (pdv_door_camera_get_showing_preview (camera), 5);
  save_verdict_screenshot (fixture, "door-camera", PDV_DOOR_VERDICT_ACCEPTED);

  /* Held still until the video ends: still one scan. */
  pdv_ui_test_wait_until (!pdv_camera_scanner_get_running (scanner), 10);
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, 1);
  g_assert_false (pdv_door_camera_get_enabled (camera));
}

static void
test_sounds (Fixture       *fixture,
             gconstpointer  user_data)
{
  PdvDoorSounds *sounds = pdv_checkin_page_get_sounds (fixture->page);

  /* Every sound plays, or stays silent where there is no audio output,
   * without an error. */
  for (PdvDoorVerdictKind kind = PDV_DOOR_VERDICT_ACCEPTED; kind <= PDV_DOOR_VERDICT_EXITED; kind++)
    {
      pdv_door_sounds_play (sounds, kind);
      pdv_ui_test_run_main_loop_for (100);
    }
  g_assert_cmpuint (pdv_door_sounds_get_n_played (sounds), ==, 4);
  for (PdvDoorVerdictKind kind = PDV_DOOR_VERDICT_ACCEPTED; kind <= PDV_DOOR_VERDICT_EXITED; kind++)
    {
      g_autofree char *path = g_strdup_printf ("/br/com/pdv/Terminal/sounds/%s.wav",
                                               kind == PDV_DOOR_VERDICT_REFUSED ? "refused"
                                               : kind == PDV_DOOR_VERDICT_WARNING ? "warning" : "accepted");
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

      g_assert_nonnull (bytes);
      g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000);
    }
  pdv_ui_test_run_main_loop_for (600);
}

/* A refused ticket let in on a supervisor's word: door staff ask, a manager
 * types their PIN, the reason is journalled; the verdict says so. */
static void
test_override (Fixture       *fixture,
               gconstpointer  user_data)
{
  PdvJournal *journal = pdv_context_get_journal (fixture->context);
  g_autoptr(PdvJournalEntry) entry = NULL;
  AdwMessageDialog *dialog;
  PdvManagerPrompt *prompt;
  json_t *override;
  GtkWidget *button;

  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);
  scan (fixture, SECRET_BRUNA, PDV_SCAN_CAMERA);
  button = pdv_ui_test_find_action_button (GTK_WIDGET (fixture->verdict), "door.override");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (button));

  /* Back with a stamp after a walk to the car: the ticket is used. */
  scan (fixture, SECRET_BRUNA, PDV_SCAN_CAMERA);
  assert_verdict (fixture, PDV_DOOR_VERDICT_REFUSED, NULL);
  g_assert_true (gtk_widget_get_visible (button));
  pdv_ui_test_settle ();
  save_verdict_screenshot (fixture, "door-override-offered", PDV_DOOR_VERDICT_REFUSED);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "door.override", NULL));
  dialog = pdv_checkin_page_get_override_dialog (fixture->page);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Already used"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "let-in"));
  gtk_editable_set_text (pdv_checkin_page_get_override_entry (fixture->page), "Stamped, came back from the car");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "let-in"));
  pdv_ui_test_wait_for_window (GTK_WIDGET (dialog));
  pdv_ui_test_save_screenshot (GTK_WIDGET (dialog), "door-override-reason");
  respond (dialog, "let-in");

  /* Whoever is at the door may not: a manager's PIN. */
  prompt = pdv_checkin_page_get_override_prompt (fixture->page);
  g_assert_nonnull (prompt);
  g_assert_true (pdv_ui_test_submit_manager_pin (prompt, "9090"));
  assert_verdict (fixture, PDV_DOOR_VERDICT_WARNING, "Bruna Sampaio");
  g_assert_cmpstr (pdv_door_verdict_get_headline (fixture->verdict), ==, "Valid — supervisor override");
  g_assert_cmpstr (pdv_door_verdict_get_detail (fixture->verdict), ==,
                   "Let in by a supervisor: Stamped, came back from the car — Pista · general");
  g_assert_false (gtk_widget_get_visible (button));
  assert_history (fixture, 0, "Bruna Sampaio", "Override");
  save_verdict_screenshot (fixture, "door-override", PDV_DOOR_VERDICT_WARNING);

  entry = pdv_test_journal_last_entry (journal);
  g_assert_cmpstr (entry->kind, ==, "checkin");
  override = json_object_get (entry->payload, "override");
  g_assert_cmpstr (json_string_value (json_object_get (override, "by")), ==, "fernanda");
  g_assert_cmpstr (json_string_value (json_object_get (override, "refused")), ==, "already_used");
}

/* ---- The USB scanner through the X server -------------------------------
 *
 * Real key events, made by the X server (XTest) at a pace the server keeps:
 * each key waits its gap there, so the times GTK sees are the server's. The
 * test watches the times the window received; a machine so busy that the
 * server itself stretched a burst past what scanners do cannot judge a
 * scanner's burst, and says so. */

typedef struct {
  GArray *times;   /* guint32 ms of each key press the window saw */
} KeyLog;

static gboolean
log_key_cb (GtkEventControllerKey *controller,
            guint                  keyval,
            guint                  keycode,
            GdkModifierType        state,
            KeyLog                *log)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  guint32 time = gdk_event_get_time (event);

  if (!(keyval >= GDK_KEY_Shift_L && keyval <= GDK_KEY_Hyper_R))
    g_array_append_val (log->times, time);
  return FALSE;
}

/* Whether the window saw the keys at a scanner's pace: the pauses and the
 * average within what the wedge takes for a scanner. */
static gboolean
at_scanner_pace (KeyLog *log,
                 guint   first)
{
  guint32 longest = 0;
  guint n = log->times->len - first;

  for (guint i = first + 1; i < log->times->len; i++)
    longest = MAX (longest, g_array_index (log->times, guint32, i) - g_array_index (log->times, guint32, i - 1));
  g_test_message ("%u keys, longest pause %u ms, average %.1f ms", n, longest,
                  n > 1 ? (double) (g_array_index (log->times, guint32, log->times->len - 1) -
                                    g_array_index (log->times, guint32, first)) / (n - 1) : 0.0);
  return n > 1 && longest <= PDV_WEDGE_DEFAULT_MAX_GAP_MS &&
         (g_array_index (log->times, guint32, log->times->len - 1) - g_array_index (log->times, guint32, first)) <=
         (guint32) PDV_WEDGE_MAX_MEAN_GAP_MS * (n - 1);
}

static void
test_wedge_xtest (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const guint scanner[] = { 8 };
  /* A Bluetooth scanner: quick, with the odd stall. */
  static const guint bluetooth[] = { 12, 9, 35, 10, 14, 60, 11, 9, 16, 10 };
  static const guint person[] = { 140, 190, 160 };
  GdkDisplay *gdk_display = gtk_widget_get_display (GTK_WIDGET (fixture->window));
  PdvDoorSearch *search = pdv_checkin_page_get_search (fixture->page);
  GtkWidget *entry = pdv_door_search_get_entry (search);
  GtkEventController *logger;
  KeyLog log = { g_array_new (FALSE, FALSE, sizeof (guint32)) };
  Display *display;
  Window xid;
  guint first;

  if (!GDK_IS_X11_DISPLAY (gdk_display))
    {
      g_test_skip ("needs an X server (XTest)");
      g_array_unref (log.times);
      return;
    }
  display = XOpenDisplay (NULL);
  g_assert_nonnull (display);
  {
    int event_base, error_base, major, minor;
    g_assert_true (XTestQueryExtension (display, &event_base, &error_base, &major, &minor));
  }
  pdv_door_sounds_set_muted (pdv_checkin_page_get_sounds (fixture->page), TRUE);
  logger = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (logger, GTK_PHASE_CAPTURE);
  g_signal_connect (logger, "key-pressed", G_CALLBACK (log_key_cb), &log);
  gtk_widget_add_controller (GTK_WIDGET (fixture->window), logger);
  xid = gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (fixture->window)));
  XSetInputFocus (display, xid, RevertToParent, CurrentTime);
  XSync (display, False);
  gtk_widget_grab_focus (entry);
  pdv_ui_test_settle ();

  /* A wired scanner, the cursor in the search field: one scan, and nothing
   * of it in the field. */
  first = log.times->len;
  pdv_ui_xtest_type (display, "aWdDF80JXBHWJAtcRgE9Gg", XK_Return, scanner, G_N_ELEMENTS (scanner));
  pdv_ui_test_wait_until (log.times->len >= first + 23, 10);
  pdv_ui_test_settle ();
  if (at_scanner_pace (&log, first))
    {
      g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, 1);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
      assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Bruna Sampaio");
    }
  else
    g_test_message ("the X server stretched the burst: too busy to judge a wired scanner");

  /* A Bluetooth scanner ending with Linefeed, stalls and all. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  first = log.times->len;
  pdv_ui_xtest_type (display, "X7aD_N9KUCjv3ZyMtaH9Gw", XK_Linefeed, bluetooth, G_N_ELEMENTS (bluetooth));
  pdv_ui_test_wait_until (log.times->len >= first + 23, 10);
  pdv_ui_test_settle ();
  if (at_scanner_pace (&log, first))
    {
      g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, 2);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
      assert_verdict (fixture, PDV_DOOR_VERDICT_ACCEPTED, "Ricardo Sampaio");
    }
  else
    g_test_message ("the X server stretched the burst: too busy to judge a Bluetooth scanner");

  /* A person typing a name, even a quick one: every letter in the field, in
   * order, and no scan (slower only makes it surer). */
  {
    guint scans = pdv_checkin_page_get_n_scans (fixture->page);

    gtk_editable_set_text (GTK_EDITABLE (entry), "");
    gtk_widget_grab_focus (entry);
    first = log.times->len;
    pdv_ui_xtest_type (display, "Sampaio", XK_Tab, person, G_N_ELEMENTS (person));
    pdv_ui_test_wait_until (log.times->len >= first + 8, 10);
    pdv_ui_test_settle ();
    g_assert_cmpuint (pdv_checkin_page_get_n_scans (fixture->page), ==, scans);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Sampaio");
  }
  pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "door-wedge-xtest");

  gtk_widget_remove_controller (GTK_WIDGET (fixture->window), logger);
  g_array_unref (log.times);
  XCloseDisplay (display);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  application = pdv_ui_test_init (&argc, &argv, TRUE);

  g_test_add ("/door/idle", Fixture, NULL, fixture_set_up, test_idle, fixture_tear_down);
  g_test_add ("/door/verdicts", Fixture, NULL, fixture_set_up, test_verdicts, fixture_tear_down);
  g_test_add ("/door/override", Fixture, NULL, fixture_set_up, test_override, fixture_tear_down);
  g_test_add ("/door/wedge-xtest", Fixture, NULL, fixture_set_up, test_wedge_xtest, fixture_tear_down);
  g_test_add ("/door/checking-and-attention", Fixture, NULL, fixture_set_up, test_checking_and_attention,
              fixture_tear_down);
  g_test_add ("/door/history-length", Fixture, NULL, fixture_set_up, test_history_length, fixture_tear_down);
  g_test_add ("/door/history-after-restart", Fixture, NULL, fixture_set_up, test_history_after_restart,
              fixture_tear_down);
  g_test_add ("/door/keyboard-wedge", Fixture, NULL, fixture_set_up, test_keyboard_wedge, fixture_tear_down);
  g_test_add ("/door/manual-admission", Fixture, NULL, fixture_set_up, test_manual_admission, fixture_tear_down);
  g_test_add ("/door/capacity", Fixture, NULL, fixture_set_up, test_capacity, fixture_tear_down);
  g_test_add ("/door/venue", Fixture, NULL, fixture_set_up, test_venue, fixture_tear_down);
  g_test_add ("/door/camera", Fixture, NULL, fixture_set_up, test_camera, fixture_tear_down);
  g_test_add ("/door/sounds", Fixture, NULL, fixture_set_up, test_sounds, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&application);
  return ret;
}

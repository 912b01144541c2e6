/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <gdk/x11/gdkx.h>
#include <sodium.h>
#include <string.h>

#include "pdv-counter-page.h"
#include "pdv-ui-test-util.h"
#include "pdv-ui-xtest.h"

/* The bar's counter in the terminal's window: every verdict a ficha can
 * get, shown and journalled, and a USB scanner typing one through the X
 * server. */

static PdvApplication *application;

typedef struct {
  char           *tmp_dir;
  PdvContext     *context;
  PdvJournal     *journal;
  PdvWindow      *window;
  PdvCounterPage *page;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);
  fixture->journal = pdv_context_get_journal (fixture->context);
  pdv_ui_test_stop_clock (fixture->context);
  /* A terminal set up as a bar's counter. */
  g_object_set (pdv_application_get_settings (application), "lock-timeout", 0u, "bar-counter", TRUE, NULL);
  fixture->window = pdv_ui_test_new_window (application, fixture->context, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1366, 768);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
  /* The demo event hands fichas over for its drinks: the counter is there. */
  g_assert_true (pdv_window_show_page (fixture->window, "counter"));
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), ==, "counter");
  fixture->page = PDV_COUNTER_PAGE (pdv_ui_test_find_widget (GTK_WIDGET (fixture->window), PDV_TYPE_COUNTER_PAGE));
  g_assert_nonnull (fixture->page);
  /* Its name as Preferences › Bar set it: what the journal and the other
   * counters are told. */
  g_object_set (pdv_application_get_settings (application), "counter-name", " Balcão 1 ", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_object_set (pdv_application_get_settings (application), "counter-name", "", NULL);
  g_assert_true (pdv_journal_verify (fixture->journal, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (fixture->context);
  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static const char *
token_of (json_t *fichas,
          guint   i)
{
  return json_string_value (json_object_get (json_array_get (fichas, i), "token"));
}

/* A token for @event_id signed with @secret, claiming @key_public's tag. */
static char *
sign (const char   *event_id,
      const guint8 *secret,
      const guint8 *key_public)
{
  PdvFichaClaims claims = { 0 };
  g_autoptr(GError) error = NULL;
  char *token;

  pdv_ticket_event_tag (event_id, claims.event_tag);
  pdv_ficha_key_tag (key_public, claims.key_tag);
  randombytes_buf (claims.id, sizeof claims.id);
  claims.product_id = (char *) "DOSE-VODKA";
  token = pdv_ficha_token_sign (&claims, secret, &error);
  g_assert_no_error (error);
  return token;
}

static void
scan_and_look (Fixture         *fixture,
               const char      *text,
               PdvFichaVerdict  verdict,
               const char      *headline,
               const char      *screenshot)
{
  const PdvFichaRedemption *r;
  gint64 before = pdv_journal_get_last_seq (fixture->journal);

  /* As a scanner gives it: the code, then Enter, into the entry. */
  gtk_editable_set_text (GTK_EDITABLE (pdv_counter_page_get_entry (fixture->page)), text);
  g_signal_emit_by_name (pdv_counter_page_get_entry (fixture->page), "activate");
  pdv_ui_test_settle ();
  r = pdv_counter_page_get_last (fixture->page);
  g_assert_nonnull (r);
  g_assert_cmpint (r->verdict, ==, verdict);
  g_assert_cmpstr (pdv_counter_page_get_headline (fixture->page), ==, headline);
  /* Journalled, refusals too; the entry is empty for the next one. */
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, before + 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (pdv_counter_page_get_entry (fixture->page))), ==, "");
  if (screenshot != NULL)
    g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), screenshot));
}

static void
test_verdicts (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(json_t) cans = pdv_test_sell_fichas (fixture->context, "CERV-LATA-350", 2, NULL);
  g_autofree char *voided_sale = NULL;
  g_autoptr(json_t) voided = pdv_test_sell_fichas (fixture->context, "DRK-MOJITO", 1, &voided_sale);
  g_autoptr(json_t) event = pdv_context_dup_event (fixture->context);
  g_autofree char *key_text = pdv_db_get_meta (pdv_context_get_db (fixture->context), "ficha_secret_key");
  guint8 secret[PDV_TICKET_SECRET_KEY_BYTES];
  guint8 stranger[PDV_TICKET_SECRET_KEY_BYTES], stranger_public[PDV_TICKET_PUBLIC_KEY_BYTES];
  g_autofree char *other_event = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *unknown = NULL;
  g_autoptr(GError) error = NULL;

  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "counter-ready"));
  g_assert_cmpstr (pdv_counter_page_get_headline (fixture->page), ==, "Ready");

  scan_and_look (fixture, token_of (cans, 0), PDV_FICHA_VALID, "VALID", "counter-valid");
  g_assert_cmpstr (pdv_counter_page_get_last (fixture->page)->product_name, ==, "Cerveja Lata 350 ml");
  scan_and_look (fixture, token_of (cans, 0), PDV_FICHA_ALREADY_REDEEMED, "ALREADY REDEEMED",
                 "counter-already-redeemed");
  g_assert_nonnull (strstr (pdv_counter_page_get_last (fixture->page)->message, "already served at Balcão 1"));

  g_assert_true (pdv_sale_void (fixture->journal, voided_sale, "ana", "9090", "wrong drink", &error));
  g_assert_no_error (error);
  scan_and_look (fixture, token_of (voided, 0), PDV_FICHA_VOIDED, "VOIDED", "counter-voided");

  g_assert_true (pdv_ticket_secret_key_parse (key_text, secret, &error));
  g_assert_no_error (error);
  other_event = sign ("another-event", secret, secret + 32);
  scan_and_look (fixture, other_event, PDV_FICHA_WRONG_EVENT, "WRONG EVENT", "counter-wrong-event");

  g_assert_cmpint (sodium_init (), >=, 0);
  crypto_sign_keypair (stranger_public, stranger);
  forged = sign (json_string_value (json_object_get (event, "id")), stranger, secret + 32);
  scan_and_look (fixture, forged, PDV_FICHA_FORGED, "FORGED", "counter-forged");
  unknown = sign (json_string_value (json_object_get (event, "id")), stranger, stranger_public);
  scan_and_look (fixture, unknown, PDV_FICHA_UNKNOWN_ISSUER, "UNKNOWN TERMINAL", "counter-unknown-terminal");
  scan_and_look (fixture, "7891234567895", PDV_FICHA_UNREADABLE, "UNREADABLE", "counter-unreadable");

  /* The second can, served: the last verdict of the night so far. */
  scan_and_look (fixture, token_of (cans, 1), PDV_FICHA_VALID, "VALID", "counter-valid-again");

  /* A sound for every verdict, as at the door; none once the settings
   * turn the sounds off. */
  g_assert_cmpuint (pdv_door_sounds_get_n_played (pdv_counter_page_get_sounds (fixture->page)), ==, 8);
  g_object_set (pdv_application_get_settings (application), "sounds-enabled", FALSE, NULL);
  g_assert_true (pdv_door_sounds_get_muted (pdv_counter_page_get_sounds (fixture->page)));
  scan_and_look (fixture, token_of (cans, 1), PDV_FICHA_ALREADY_REDEEMED, "ALREADY REDEEMED", NULL);
  g_assert_cmpuint (pdv_door_sounds_get_n_played (pdv_counter_page_get_sounds (fixture->page)), ==, 8);
  g_object_set (pdv_application_get_settings (application), "sounds-enabled", TRUE, NULL);
}

/* ---- A USB scanner through the X server ---------------------------------- */

static void
test_scanner (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(json_t) cans = pdv_test_sell_fichas (fixture->context, "CERV-LATA-350", 1, NULL);
  GdkDisplay *gdk_display = gtk_widget_get_display (GTK_WIDGET (fixture->window));
  Display *display;
  Window xid;
  int event_base, error_base, major, minor;

  if (!GDK_IS_X11_DISPLAY (gdk_display))
    {
      g_test_skip ("needs an X server (XTest)");
      return;
    }
  display = XOpenDisplay (NULL);
  g_assert_nonnull (display);
  g_assert_true (XTestQueryExtension (display, &event_base, &error_base, &major, &minor));
  xid = gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (fixture->window)));
  XSetInputFocus (display, xid, RevertToParent, CurrentTime);
  XSync (display, False);
  pdv_ui_test_settle ();
  /* The entry holds the focus from the moment the page shows. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

    g_assert_nonnull (focus);
    g_test_message ("focus on %s", G_OBJECT_TYPE_NAME (focus));
    g_assert_true (focus == GTK_WIDGET (pdv_counter_page_get_entry (fixture->page)) ||
                   gtk_widget_is_ancestor (focus, GTK_WIDGET (pdv_counter_page_get_entry (fixture->page))));
  }

  pdv_ui_xtest_type (display, token_of (cans, 0), XK_Return, (const guint[]) { 2 }, 1);
  pdv_ui_test_wait_until (pdv_counter_page_get_last (fixture->page) != NULL, 30);
  g_assert_cmpint (pdv_counter_page_get_last (fixture->page)->verdict, ==, PDV_FICHA_VALID);
  g_assert_cmpstr (pdv_counter_page_get_last (fixture->page)->product_name, ==, "Cerveja Lata 350 ml");
  XCloseDisplay (display);
}

/* A ficha held up to the camera: served once while it stays in view,
 * through the same pipeline as the door's. */
static void
test_camera (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(json_t) cans = pdv_test_sell_fichas (fixture->context, "CERV-LATA-350", 1, NULL);
  PdvDoorCamera *camera = pdv_counter_page_get_camera (fixture->page);
  PdvCameraScanner *scanner = pdv_door_camera_get_scanner (camera);
  g_autofree char *frame = g_build_filename (fixture->tmp_dir, "ficha.png", NULL);
  g_autofree char *source = NULL;
  gint64 before = pdv_journal_get_last_seq (fixture->journal);

  pdv_ui_test_wait_until (!g_str_equal (pdv_door_camera_get_status (camera), "Looking for a camera…"), 10);
  pdv_door_camera_set_enabled (camera, FALSE);
  pdv_ui_test_write_qr_frame (token_of (cans, 0), frame);
  source = g_strdup_printf ("multifilesrc location=\"%s\" stop-index=90 caps=image/png,framerate=30/1 ! pngdec",
                            frame);
  pdv_camera_scanner_set_source_description (scanner, source);
  pdv_door_camera_set_enabled (camera, TRUE);
  g_assert_true (pdv_camera_scanner_get_running (scanner));

  pdv_ui_test_wait_until (pdv_counter_page_get_last (fixture->page) != NULL, 10);
  g_assert_cmpint (pdv_counter_page_get_last (fixture->page)->verdict, ==, PDV_FICHA_VALID);
  pdv_ui_test_wait_until (pdv_door_camera_get_showing_preview (camera), 5);
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "counter-camera"));
  /* Held still until the video ends: one scan, served once. */
  pdv_ui_test_wait_until (!pdv_camera_scanner_get_running (scanner), 10);
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, before + 1);
  g_assert_cmpint (pdv_counter_page_get_last (fixture->page)->verdict, ==, PDV_FICHA_VALID);
}

/* A till is not a counter: the page shows only where the terminal is set
 * up as one, and at once when it is. */
static void
test_only_at_a_counter (Fixture       *fixture,
                        gconstpointer  user_data)
{
  PdvSettings *settings = pdv_application_get_settings (application);
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (fixture->page), ADW_TYPE_VIEW_STACK));
  AdwViewStackPage *page = adw_view_stack_get_page (stack, GTK_WIDGET (fixture->page));

  g_assert_true (adw_view_stack_page_get_visible (page));
  g_object_set (settings, "bar-counter", FALSE, NULL);
  pdv_ui_test_settle ();
  g_assert_false (adw_view_stack_page_get_visible (page));
  g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), !=, "counter");
  g_object_set (settings, "bar-counter", TRUE, NULL);
  pdv_ui_test_settle ();
  g_assert_true (adw_view_stack_page_get_visible (page));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  application = pdv_ui_test_init (&argc, &argv, FALSE);
  pdv_ui_test_tolerate_switcher_warnings ();

  g_test_add ("/counter/verdicts", Fixture, NULL, fixture_set_up, test_verdicts, fixture_tear_down);
  g_test_add ("/counter/scanner", Fixture, NULL, fixture_set_up, test_scanner, fixture_tear_down);
  g_test_add ("/counter/camera", Fixture, NULL, fixture_set_up, test_camera, fixture_tear_down);
  g_test_add ("/counter/only-at-a-counter", Fixture, NULL, fixture_set_up, test_only_at_a_counter, fixture_tear_down);

  ret = g_test_run ();
  g_clear_object (&application);
  return ret;
}

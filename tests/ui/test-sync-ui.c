/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pdv-application.h"
#include "pdv-checkin-page-private.h"
#include "pdv-core.h"
#include "pdv-sell-page-private.h"
#include "pdv-sync-indicator.h"
#include "pdv-sync-page-private.h"
#include "pdv-sync.h"
#include "pdv-test-servers.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* Sync as the people at a terminal see it, against a real pdv-syncd on a
 * loopback port: enrolling from the sync page, sales reaching the server,
 * the server going away and coming back, and a ticket two gates admitted.
 * Everything is driven through the actions and hooks the buttons use. */

#define ADMIN_TOKEN "test-admin-token-sync-ui-0123456789"
#define PULLED_PRODUCT "SYNC-CHOPP-1L"
#define SINGLE_SECRET "aWdDF80JXBHWJAtcRgE9Gg"  /* T000005, single entry */

static PdvApplication *application;

typedef struct {
  char             *tmp_dir;
  char             *server_db;
  PdvTestSyncd     *syncd;
  int               port;             /* of the server while it is stopped */
  PdvContext       *context;
  PdvWindow        *window;
  PdvSellPage      *sell_page;
  PdvSyncPage      *sync_page;
  PdvSyncIndicator *indicator;
  GPtrArray        *indicator_texts;  /* what the indicator said, in order */
} Fixture;

/* ---- The server's administrator -------------------------------------------- */

static json_t *
admin_request (Fixture    *fixture,
               const char *method,
               const char *path,
               const char *body,
               guint       expected_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (pdv_test_syncd_get_url (fixture->syncd), path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  json_error_t json_error;
  json_t *reply;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " ADMIN_TOKEN);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  response = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (message) != expected_status)
    g_error ("%s %s: HTTP %u: %.*s", method, path, soup_message_get_status (message),
             (int) g_bytes_get_size (response), (const char *) g_bytes_get_data (response, NULL));
  reply = json_loadb (g_bytes_get_data (response, NULL), g_bytes_get_size (response), 0, &json_error);
  g_assert_nonnull (reply);
  return reply;
}

/* Returns: (transfer full): the enrolment QR text; the code in @out_code */
static char *
new_enrolment (Fixture    *fixture,
               const char *terminal_name,
               char      **out_code)
{
  g_autofree char *body = g_strdup_printf ("{\"terminal_name\": \"%s\", \"valid_for_s\": 600}", terminal_name);
  g_autoptr(json_t) reply = admin_request (fixture, "POST", "/v1/admin/enrolments", body, 201);
  const char *code = json_string_value (json_object_get (reply, "code"));
  const char *qr = json_string_value (json_object_get (reply, "qr"));

  g_assert_nonnull (code);
  g_assert_nonnull (qr);
  if (out_code != NULL)
    *out_code = g_strdup (code);
  return g_strdup (qr);
}

static void
import_demo_file (Fixture    *fixture,
                  const char *name)
{
  g_autofree char *path = g_build_filename (pdv_test_demo_dir (), name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) reply = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  reply = admin_request (fixture, "POST", "/v1/admin/import", text, 201);
}

/* The demo catalog with one product more: a terminal that pulls it shows
 * a product it did not have. */
static void
import_catalog_with_new_product (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (pdv_test_demo_dir (), "catalog.json", NULL);
  g_autoptr(json_t) catalog = json_load_file (path, 0, NULL);
  g_autoptr(json_t) reply = NULL;
  char *text;

  g_assert_nonnull (catalog);
  json_array_append_new (json_object_get (catalog, "products"),
                         json_pack ("{s:s, s:s, s:i, s:s, s:b}",
                                    "id", PULLED_PRODUCT, "name", "Chopp 1 L",
                                    "price", 3000, "category", "cervejas", "track_stock", FALSE));
  text = json_dumps (catalog, JSON_COMPACT);
  reply = admin_request (fixture, "POST", "/v1/admin/import", text, 201);
  free (text);
}

static json_t *
report_terminal (Fixture *fixture)
{
  g_autoptr(json_t) report = admin_request (fixture, "GET", "/v1/admin/report", NULL, 200);
  const char *own_id = pdv_journal_get_terminal_id (pdv_context_get_journal (fixture->context));
  json_t *terminal;
  size_t i;

  json_array_foreach (json_object_get (report, "terminals"), i, terminal)
    if (g_strcmp0 (json_string_value (json_object_get (terminal, "terminal")), own_id) == 0)
      return json_incref (terminal);
  return NULL;
}

static gint64
server_sales (Fixture *fixture)
{
  g_autoptr(json_t) terminal = report_terminal (fixture);

  g_assert_nonnull (terminal);
  g_assert_cmpint (json_integer_value (json_object_get (terminal, "last_seq")), ==,
                   pdv_journal_get_last_seq (pdv_context_get_journal (fixture->context)));
  return json_integer_value (json_object_get (terminal, "sales"));
}

/* Whether the server holds every entry of the terminal, asserting nothing:
 * for waiting on the worker. */
static gboolean
server_holds_all (Fixture *fixture)
{
  g_autoptr(json_t) terminal = report_terminal (fixture);

  return terminal != NULL && json_integer_value (json_object_get (terminal, "last_seq")) ==
                             pdv_journal_get_last_seq (pdv_context_get_journal (fixture->context));
}

/* The server goes away (cleanly: a restart, a cable pulled elsewhere). */
static int
stop_server (Fixture *fixture)
{
  g_autoptr(GUri) uri = g_uri_parse (pdv_test_syncd_get_url (fixture->syncd), G_URI_FLAGS_NONE, NULL);

  fixture->port = g_uri_get_port (uri);
  return pdv_test_syncd_stop (g_steal_pointer (&fixture->syncd));
}

/* Back on the same port and file, where the terminal looks for it. */
static void
restart_server (Fixture *fixture)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%d", fixture->port);
  const char * const args[] = { "--listen", listen, NULL };

  fixture->syncd = pdv_test_syncd_start (fixture->server_db, ADMIN_TOKEN, args);
}

/* ---- The terminal ----------------------------------------------------------- */

static void
indicator_status_changed_cb (PdvSyncWorker       *worker,
                             const PdvSyncStatus *status,
                             Fixture             *fixture)
{
  const char *text = pdv_sync_indicator_get_text (fixture->indicator);
  const char *last = fixture->indicator_texts->len > 0
                     ? g_ptr_array_index (fixture->indicator_texts, fixture->indicator_texts->len - 1) : NULL;

  /* Connected after the indicator's own handler: it has updated already. */
  if (g_strcmp0 (text, last) != 0)
    {
      g_test_message ("indicator: %s", text);
      g_ptr_array_add (fixture->indicator_texts, g_strdup (text));
    }
}

static gboolean
indicator_said (Fixture    *fixture,
                const char *text)
{
  for (guint i = 0; i < fixture->indicator_texts->len; i++)
    if (g_str_equal (g_ptr_array_index (fixture->indicator_texts, i), text))
      return TRUE;
  return FALSE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->server_db = g_build_filename (fixture->tmp_dir, "server.db", NULL);
  fixture->syncd = pdv_test_syncd_start (fixture->server_db, ADMIN_TOKEN, NULL);
  import_demo_file (fixture, "event.json");
  import_catalog_with_new_product (fixture);

  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);

  fixture->indicator_texts = g_ptr_array_new_with_free_func (g_free);
  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  fixture->sell_page = PDV_SELL_PAGE (pdv_window_get_page (fixture->window, "sell"));
  fixture->sync_page = PDV_SYNC_PAGE (pdv_window_get_page (fixture->window, "sync"));
  fixture->indicator = pdv_window_get_sync_indicator (fixture->window);
  g_assert_nonnull (pdv_window_get_sync_worker (fixture->window));
  g_signal_connect (pdv_window_get_sync_worker (fixture->window), "status-changed",
                    G_CALLBACK (indicator_status_changed_cb), fixture);

  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  PdvSyncWorker *worker = pdv_window_get_sync_worker (fixture->window);

  g_object_add_weak_pointer (G_OBJECT (worker), (gpointer *) &worker);
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  /* The worker stopped with the window, and nothing kept it. */
  g_assert_null (worker);
  g_assert_finalize_object (fixture->context);
  if (fixture->syncd != NULL)
    g_assert_cmpint (pdv_test_syncd_stop (fixture->syncd), ==, 0);

  g_ptr_array_unref (fixture->indicator_texts);
  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->server_db);
  g_free (fixture->tmp_dir);
}

static void
activate (gpointer    widget,
          const char *action_name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (widget), action_name, NULL));
}

static void
wait_for_indicator (Fixture    *fixture,
                    const char *text)
{
  pdv_ui_test_wait_until (g_strcmp0 (pdv_sync_indicator_get_text (fixture->indicator), text) == 0, 30);
}

/* Enrols through the page's form, as a manager types it. */
static void
enrol_from_page (Fixture    *fixture,
                 const char *server,
                 const char *code)
{
  g_assert_true (pdv_window_show_page (fixture->window, "sync"));
  g_assert_true (pdv_sync_page_get_enrolment_shown (fixture->sync_page));
  pdv_sync_page_set_enrolment_text (fixture->sync_page, server, code);
  activate (fixture->sync_page, "sync.enrol");
  g_assert_true (pdv_sync_page_get_enrolling (fixture->sync_page));
  pdv_ui_test_wait_until (!pdv_sync_page_get_enrolling (fixture->sync_page), 30);
  g_assert_null (pdv_sync_page_get_enrol_error (fixture->sync_page));
  g_assert_false (pdv_sync_page_get_enrolment_shown (fixture->sync_page));
}

/* A cash sale of one product, through the payment window. */
static void
sell (Fixture    *fixture,
      const char *product_id)
{
  PdvPaymentWindow *payment;
  PdvPaymentWindow *weak;

  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, product_id));
  activate (fixture->sell_page, "sell.pay");
  payment = pdv_sell_page_get_payment_window (fixture->sell_page);
  g_assert_nonnull (payment);
  pdv_ui_test_wait_for_window (GTK_WIDGET (payment));
  weak = payment;
  g_object_add_weak_pointer (G_OBJECT (payment), (gpointer *) &weak);
  activate (payment, "payment.cash-exact");
  activate (payment, "payment.confirm");
  pdv_ui_test_wait_until (weak == NULL, 10);
  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));
}

static gboolean
sell_page_shows (Fixture    *fixture,
                 const char *product_id)
{
  g_autoptr(GPtrArray) ids = pdv_sell_page_list_visible_product_ids (fixture->sell_page);

  for (guint i = 0; i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), product_id) == 0)
      return TRUE;
  return FALSE;
}

/* The header bar, where the indicator is, cut out of the window. */
static void
save_header_shot (Fixture    *fixture,
                  const char *name)
{
  GtkWidget *header = gtk_widget_get_ancestor (GTK_WIDGET (fixture->indicator), ADW_TYPE_HEADER_BAR);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) crop = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guchar *pixels = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (pdv_ui_test_init_artefacts (), file_name, NULL);
  graphene_point_t origin;
  graphene_rect_t bounds;
  gsize stride, crop_stride;
  int x, y, width, height;
  guchar *cropped;

  g_assert_nonnull (header);
  texture = pdv_ui_test_render (window, &origin);
  g_assert_true (gtk_widget_compute_bounds (header, window, &bounds));
  /* The rendering may start inside the window's edge. */
  x = MAX ((int) (bounds.origin.x - origin.x), 0);
  y = MAX ((int) (bounds.origin.y - origin.y), 0);
  width = MIN ((int) (bounds.origin.x - origin.x + bounds.size.width), gdk_texture_get_width (texture)) - x;
  height = MIN ((int) (bounds.origin.y - origin.y + bounds.size.height), gdk_texture_get_height (texture)) - y;
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  stride = (gsize) gdk_texture_get_width (texture) * 4;
  pixels = g_malloc (stride * gdk_texture_get_height (texture));
  gdk_texture_download (texture, pixels, stride);
  crop_stride = (gsize) width * 4;
  cropped = g_malloc (crop_stride * height);
  for (int row = 0; row < height; row++)
    memcpy (cropped + row * crop_stride, pixels + (gsize) (y + row) * stride + (gsize) x * 4, crop_stride);
  bytes = g_bytes_new_take (cropped, crop_stride * height);
  crop = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, crop_stride);
  g_assert_true (gdk_texture_save_to_png (crop, path));
  g_test_message ("screenshot: %s", path);
}

static void
save_window_shot (Fixture    *fixture,
                  const char *name)
{
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), name));
}

/* ---- Tests ------------------------------------------------------------------ */

/* A terminal whose disk was put back from a backup: sync says so, the page
 * offers to recover, a manager's PIN does it, and every sale is on the
 * server afterwards, the ones made since the restore included. */
static void
test_restored (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *code = NULL;
  g_autofree char *qr = new_enrolment (fixture, "Bar 1", &code);
  g_autofree char *backup = g_build_filename (fixture->tmp_dir, "backup.db", NULL);
  g_autofree char *path = g_strdup (pdv_db_get_path (pdv_context_get_db (fixture->context)));
  g_autoptr(GError) error = NULL;

  enrol_from_page (fixture, pdv_test_syncd_get_url (fixture->syncd), code);
  wait_for_indicator (fixture, "Synced");
  g_assert_true (pdv_window_show_page (fixture->window, "sell"));
  sell (fixture, "SA-AGUA-500");
  pdv_ui_test_wait_until (server_holds_all (fixture), 30);
  g_assert_true (pdv_db_backup (pdv_context_get_db (fixture->context), backup, &error));
  g_assert_no_error (error);
  sell (fixture, "CERV-LATA-350");
  sell (fixture, "DRK-CAIP-LIMAO");
  pdv_ui_test_wait_until (server_holds_all (fixture), 30);
  g_assert_cmpint (server_sales (fixture), ==, 3);

  /* The terminal is shut down and its database replaced by the backup. */
  {
    g_autofree char *contents = NULL;
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    gsize length;

    pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
    g_assert_finalize_object (fixture->context);
    g_file_get_contents (backup, &contents, &length, &error);
    g_assert_no_error (error);
    g_unlink (wal);
    g_unlink (shm);
    g_file_set_contents (path, contents, length, &error);
    g_assert_no_error (error);
  }
  fixture->context = pdv_context_open (path, &error);
  g_assert_no_error (error);
  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  fixture->sell_page = PDV_SELL_PAGE (pdv_window_get_page (fixture->window, "sell"));
  fixture->sync_page = PDV_SYNC_PAGE (pdv_window_get_page (fixture->window, "sync"));
  fixture->indicator = pdv_window_get_sync_indicator (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));

  /* A sale on the restored terminal cannot go: the page says why and what
   * to do. */
  g_assert_true (pdv_window_show_page (fixture->window, "sell"));
  sell (fixture, "SA-AGUA-500");
  g_assert_true (pdv_window_show_page (fixture->window, "sync"));
  pdv_ui_test_wait_until (pdv_sync_page_get_recovery_offered (fixture->sync_page), 30);
  g_assert_nonnull (strstr (pdv_sync_page_get_error_text (fixture->sync_page), "restored from a backup"));
  save_window_shot (fixture, "sync-page-restored");

  /* A cashier's PIN does not do it; a manager's does. */
  activate (fixture->sync_page, "sync.recover");
  g_assert_nonnull (pdv_sync_page_get_recover_prompt (fixture->sync_page));
  pdv_ui_test_wait_for_window (GTK_WIDGET (pdv_sync_page_get_recover_prompt (fixture->sync_page)));
  g_assert_false (pdv_ui_test_submit_manager_pin (pdv_sync_page_get_recover_prompt (fixture->sync_page), "1111"));
  g_assert_false (pdv_sync_page_get_recovering (fixture->sync_page));
  g_assert_true (pdv_ui_test_submit_manager_pin (pdv_sync_page_get_recover_prompt (fixture->sync_page), "9090"));
  pdv_ui_test_wait_until (!pdv_sync_page_get_recovering (fixture->sync_page), 30);
  pdv_ui_test_wait_until (server_holds_all (fixture), 30);
  wait_for_indicator (fixture, "Synced");
  g_assert_false (pdv_sync_page_get_recovery_offered (fixture->sync_page));
  g_assert_null (pdv_sync_page_get_error_text (fixture->sync_page));
  /* Four sales, each once; the server's copy ends where the terminal's does. */
  g_assert_cmpint (server_sales (fixture), ==, 4);
  g_assert_true (pdv_journal_verify (pdv_context_get_journal (fixture->context), NULL, NULL, &error));
  g_assert_no_error (error);
  save_window_shot (fixture, "sync-page-recovered");
}

/* Not enrolled: the header says so, the page offers the form, and a form
 * filled in wrong says what is wrong without leaving the page. */
static void
test_enrolment (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *url = pdv_test_syncd_get_url (fixture->syncd);
  g_autofree char *code = NULL;
  g_autofree char *qr = new_enrolment (fixture, "Bar 1", &code);
  g_autoptr(PdvSyncStatus) status = NULL;
  const char *error_text;

  wait_for_indicator (fixture, "Not enrolled");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->indicator)));
  g_assert_false (pdv_sync_indicator_get_needs_attention (fixture->indicator));
  g_assert_cmpstr (pdv_sync_indicator_get_icon_name (fixture->indicator), ==, "network-offline-symbolic");
  save_header_shot (fixture, "sync-indicator-not-enrolled");

  /* A click on the indicator opens the sync page. */
  g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), ==, "sell");
  g_signal_emit_by_name (gtk_widget_get_first_child (GTK_WIDGET (fixture->indicator)), "clicked");
  g_assert_cmpstr (pdv_window_get_visible_page (fixture->window), ==, "sync");
  g_assert_true (pdv_sync_page_get_enrolment_shown (fixture->sync_page));
  save_window_shot (fixture, "sync-page-enrolment");

  /* Nothing typed. */
  activate (fixture->sync_page, "sync.enrol");
  g_assert_false (pdv_sync_page_get_enrolling (fixture->sync_page));
  g_assert_nonnull (pdv_sync_page_get_enrol_error (fixture->sync_page));
  g_assert_nonnull (strstr (pdv_sync_page_get_enrol_error (fixture->sync_page), "address"));

  /* A code the server never made. */
  pdv_sync_page_set_enrolment_text (fixture->sync_page, url, "ABCD-EFGH");
  g_assert_null (pdv_sync_page_get_enrol_error (fixture->sync_page));
  activate (fixture->sync_page, "sync.enrol");
  pdv_ui_test_wait_until (!pdv_sync_page_get_enrolling (fixture->sync_page), 30);
  error_text = pdv_sync_page_get_enrol_error (fixture->sync_page);
  g_assert_nonnull (error_text);
  g_test_message ("refused: %s", error_text);
  g_assert_nonnull (strstr (error_text, url));
  g_assert_true (pdv_sync_page_get_enrolment_shown (fixture->sync_page));
  save_window_shot (fixture, "sync-page-enrolment-refused");

  /* An address that is not one. */
  pdv_sync_page_set_enrolment_text (fixture->sync_page, "sync.example", code);
  activate (fixture->sync_page, "sync.enrol");
  pdv_ui_test_wait_until (!pdv_sync_page_get_enrolling (fixture->sync_page), 30);
  g_assert_nonnull (pdv_sync_page_get_enrol_error (fixture->sync_page));
  g_assert_nonnull (strstr (pdv_sync_page_get_enrol_error (fixture->sync_page), "sync.example"));

  /* The whole enrolment text, pasted into the address. */
  enrol_from_page (fixture, qr, NULL);
  status = pdv_sync_load_status (pdv_context_get_db (fixture->context), NULL);
  g_assert_true (status->enrolled);

  /* Enrolled, then synced at once: the catalog the server has arrives and
   * the sell page shows it. */
  wait_for_indicator (fixture, "Synced");
  g_assert_false (pdv_sync_indicator_get_needs_attention (fixture->indicator));
  pdv_ui_test_wait_until (sell_page_shows (fixture, PULLED_PRODUCT), 10);
  g_assert_cmpstr (pdv_sync_page_get_connection_text (fixture->sync_page), ==, "Online");
  g_assert_cmpstr (pdv_sync_page_get_queued_text (fixture->sync_page), ==, "None");
  g_assert_null (pdv_sync_page_get_error_text (fixture->sync_page));
  g_assert_cmpint (server_sales (fixture), ==, 0);
  save_header_shot (fixture, "sync-indicator-synced");
  save_window_shot (fixture, "sync-page-online");
}

/* Sales reach the server as they are made; with the server gone they
 * wait, counted, and go once it is back. */
static void
test_sales_and_outage (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *code = NULL;
  g_autofree char *qr = new_enrolment (fixture, "Bar 1", &code);

  enrol_from_page (fixture, pdv_test_syncd_get_url (fixture->syncd), code);
  wait_for_indicator (fixture, "Synced");
  g_assert_true (pdv_window_show_page (fixture->window, "sell"));

  /* One to send, then on the server. */
  g_ptr_array_set_size (fixture->indicator_texts, 0);
  sell (fixture, "CERV-LATA-350");
  pdv_ui_test_wait_until (indicator_said (fixture, "1 to send"), 10);
  wait_for_indicator (fixture, "Synced");
  g_assert_cmpint (server_sales (fixture), ==, 1);

  /* The server goes away: the next sale fails to go, and so do the ones
   * after it, which the indicator counts. */
  g_assert_cmpint (stop_server (fixture), ==, 0);
  sell (fixture, "SA-AGUA-500");
  wait_for_indicator (fixture, "Offline · 1 to send");
  g_assert_true (pdv_sync_indicator_get_needs_attention (fixture->indicator));
  g_assert_cmpstr (pdv_sync_indicator_get_icon_name (fixture->indicator), ==, "network-offline-symbolic");
  sell (fixture, "DRK-CAIP-LIMAO");
  wait_for_indicator (fixture, "Offline · 2 to send");
  {
    const char *tooltip = gtk_widget_get_tooltip_text (gtk_widget_get_first_child (GTK_WIDGET (fixture->indicator)));

    g_test_message ("tooltip: %s", tooltip);
    g_assert_true (g_str_has_prefix (tooltip, "Offline: "));
    g_assert_nonnull (strstr (tooltip, "2 entries to send, the oldest waiting for "));
    g_assert_nonnull (strstr (tooltip, "Last error: Could not reach the sync server"));
  }
  save_header_shot (fixture, "sync-indicator-offline");

  g_assert_true (pdv_window_show_page (fixture->window, "sync"));
  pdv_ui_test_wait_until (g_strcmp0 (pdv_sync_page_get_queued_text (fixture->sync_page), "2 entries") == 0, 10);
  g_assert_cmpstr (pdv_sync_page_get_connection_text (fixture->sync_page), ==, "Offline");
  g_assert_nonnull (pdv_sync_page_get_error_text (fixture->sync_page));
  g_test_message ("last error: %s", pdv_sync_page_get_error_text (fixture->sync_page));
  save_window_shot (fixture, "sync-page-offline");

  /* Back, and asked to sync now rather than at the end of the backoff. */
  restart_server (fixture);
  activate (fixture->sync_page, "sync.sync-now");
  wait_for_indicator (fixture, "Synced");
  g_assert_false (pdv_sync_indicator_get_needs_attention (fixture->indicator));
  pdv_ui_test_wait_until (g_strcmp0 (pdv_sync_page_get_connection_text (fixture->sync_page), "Online") == 0, 10);
  g_assert_null (pdv_sync_page_get_error_text (fixture->sync_page));
  g_assert_cmpint (server_sales (fixture), ==, 3);
}

/* Two gates admit one ticket: the second to reach the server loses, and
 * every terminal hears of it until a manager marks it as seen. */
static void
test_conflict (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T22:00:00-03:00", NULL);
  g_autoptr(GDateTime) earlier = g_date_time_new_from_iso8601 ("2026-12-12T21:59:00-03:00", NULL);
  g_autofree char *qr = new_enrolment (fixture, "Bar 1", NULL);
  g_autofree char *gate_qr = new_enrolment (fixture, "Portão 2", NULL);
  g_autofree char *gate_db = g_build_filename (fixture->tmp_dir, "gate.db", NULL);
  g_autofree char *text = NULL;
  g_autoptr(PdvContext) gate = NULL;
  g_autoptr(PdvCheckin) gate_checkin = NULL;
  g_autoptr(PdvCheckinResult) admitted = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(PdvSyncSummary) summary = { 0 };
  PdvCheckinPage *checkin_page = PDV_CHECKIN_PAGE (pdv_window_get_page (fixture->window, "checkin"));

  enrol_from_page (fixture, qr, NULL);
  wait_for_indicator (fixture, "Synced");

  /* Admitted here first, and on the server. */
  pdv_test_set_door_time (pdv_checkin_page_get_checkin (checkin_page), night);
  g_assert_true (pdv_window_show_page (fixture->window, "checkin"));
  g_signal_emit_by_name (pdv_door_camera_get_scanner (pdv_checkin_page_get_camera (checkin_page)),
                         "code-detected", SINGLE_SECRET);
  g_assert_cmpuint (pdv_checkin_page_get_n_scans (checkin_page), ==, 1);
  pdv_ui_test_wait_until (pdv_checkin_page_get_n_pending (checkin_page) == 0, 10);
  g_ptr_array_set_size (fixture->indicator_texts, 0);
  wait_for_indicator (fixture, "Synced");

  /* Another gate, offline until now, admitted the same ticket. */
  gate = pdv_context_open (gate_db, &error);
  g_assert_no_error (error);
  pdv_journal_initialise (pdv_context_get_journal (gate), "Portão 2", &error);
  g_assert_no_error (error);
  pdv_context_load_demo (gate, pdv_test_demo_dir (), NULL, NULL, &error);
  g_assert_no_error (error);
  gate_checkin = pdv_checkin_new (pdv_context_get_journal (gate));
  pdv_checkin_set_gate (gate_checkin, "Portão 2");
  /* It scanned a minute before this one did, and reached the server after. */
  pdv_test_set_door_time (gate_checkin, earlier);
  admitted = pdv_checkin_validate (gate_checkin, SINGLE_SECRET, -1, PDV_SCAN_CAMERA, &error);
  g_assert_no_error (error);
  g_assert_cmpint (admitted->verdict, ==, PDV_CHECKIN_VALID);
  pdv_sync_enroll (pdv_context_get_db (gate), gate_qr, NULL, &error);
  g_assert_no_error (error);
  pdv_sync_run_once (pdv_context_get_db (gate), NULL, &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary.conflicts, ==, 1);

  /* This terminal hears of it at its next sync. */
  g_assert_true (pdv_window_show_page (fixture->window, "sync"));
  activate (fixture->sync_page, "sync.sync-now");
  wait_for_indicator (fixture, "1 conflict");
  g_assert_true (pdv_sync_indicator_get_needs_attention (fixture->indicator));
  g_assert_cmpstr (pdv_sync_indicator_get_icon_name (fixture->indicator), ==, "dialog-warning-symbolic");
  pdv_ui_test_wait_until (pdv_sync_page_count_conflict_rows (fixture->sync_page) == 1, 10);
  text = pdv_sync_page_dup_conflict_text (fixture->sync_page, 0);
  g_test_message ("conflict: %s", text);
  /* Whose ticket; the two admissions in the order they were scanned, by
   * gate (the terminal only when it is this one), in the event's time as
   * the door tells it; on the terminal's clock it is that night now, so
   * without the date. */
  g_assert_nonnull (strstr (text, "Ticket T000005 · Bruna Sampaio"));
  g_assert_nonnull (strstr (text, "Admitted first: Portão 2, 21:59:00\n"));
  g_assert_nonnull (strstr (text, "Admitted again: Bar 1, 22:00:00, this terminal"));
  g_assert_null (strstr (text, "2026-12-12"));
  g_assert_true (g_str_has_suffix (text, "\nNew"));
  save_header_shot (fixture, "sync-indicator-conflict");
  save_window_shot (fixture, "sync-page-conflict");

  /* Seen: still listed, no longer new, and the warning goes. */
  activate (fixture->sync_page, "sync.mark-conflicts-seen");
  g_clear_pointer (&text, g_free);
  text = pdv_sync_page_dup_conflict_text (fixture->sync_page, 0);
  g_assert_false (g_str_has_suffix (text, "\nNew"));
  g_assert_cmpuint (pdv_sync_page_count_conflict_rows (fixture->sync_page), ==, 1);
  wait_for_indicator (fixture, "Synced");
  g_assert_false (pdv_sync_indicator_get_needs_attention (fixture->indicator));
  save_window_shot (fixture, "sync-page-conflict-seen");
}

/* A database that is not a terminal has nothing to sync: no worker, no
 * indicator, and a page that says why. */
static void
test_not_set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_dir = pdv_test_make_tmpdir ();
  g_autofree char *db_path = g_build_filename (tmp_dir, "terminal.db", NULL);
  PdvContext *context;
  PdvWindow *window;

  context = pdv_context_open (db_path, &error);
  g_assert_no_error (error);
  window = pdv_window_new (GTK_APPLICATION (application), context);
  gtk_window_present (GTK_WINDOW (window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (window));

  g_assert_null (pdv_window_get_sync_worker (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pdv_window_get_sync_indicator (window))));
  g_assert_true (pdv_window_show_page (window, "sync"));
  g_assert_false (pdv_sync_page_get_enrolment_shown (PDV_SYNC_PAGE (pdv_window_get_page (window, "sync"))));
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (window), "sync-page-not-set-up"));

  pdv_ui_test_destroy_window (GTK_WINDOW (window));
  g_assert_finalize_object (context);
  pdv_test_remove_tree (tmp_dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (g_getenv ("PDV_SYNCD") == NULL)
    {
      g_printerr ("PDV_SYNCD is not set: run this through meson test\n");
      return 1;
    }
  application = pdv_ui_test_init (&argc, &argv, FALSE);

  g_test_add ("/sync-ui/enrolment", Fixture, NULL, fixture_set_up, test_enrolment, fixture_tear_down);
  g_test_add ("/sync-ui/sales-and-outage", Fixture, NULL, fixture_set_up, test_sales_and_outage, fixture_tear_down);
  g_test_add ("/sync-ui/conflict", Fixture, NULL, fixture_set_up, test_conflict, fixture_tear_down);
  g_test_add ("/sync-ui/restored", Fixture, NULL, fixture_set_up, test_restored, fixture_tear_down);
  g_test_add_func ("/sync-ui/not-set-up", test_not_set_up);

  ret = g_test_run ();

  g_clear_object (&application);
  return ret;
}

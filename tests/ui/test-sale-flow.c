/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sale-flow"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdv-application.h"
#include "pdv-cart.h"
#include "pdv-core.h"
#include "pdv-discount-dialog-private.h"
#include "pdv-payment-window-private.h"
#include "pdv-sell-page-private.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* A cashier's sale from the first tap to the next customer, driven through
 * the actions and hooks the buttons and keys use, checked against what the
 * journal then holds. */

static PdvApplication *application;

typedef struct {
  char        *tmp_dir;
  PdvContext  *context;
  PdvJournal  *journal;
  PdvCatalog  *catalog;
  PdvWindow   *window;
  PdvSellPage *sell_page;
} Fixture;

static void
append_stock_count (Fixture    *fixture,
                    const char *product_id,
                    int         qty)
{
  g_autoptr(GError) error = NULL;
  json_t *payload = json_pack ("{s:[{s:s, s:i}]}", "items", "product", product_id, "qty", qty);
  g_autoptr(PdvJournalEntry) entry = pdv_journal_append (fixture->journal, "stock.count", NULL, payload, &error);

  json_decref (payload);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
}

static gboolean
reported_payment_cb (const char *line,
                     gpointer    data)
{
  return g_str_has_prefix (line, "paid ");
}

/* Runs a till taking split payments on the terminal's database and kills it
 * (SIGKILL) once it has reported its first payment taken: what a crash or
 * a power cut in the middle of a sale leaves. */
static void
kill_till_mid_sale (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) pending = g_string_new (NULL);
  const char *writer = g_getenv ("PDV_CRASH_WRITER");
  const char *argv[] = { writer, db_path, "CERV-LATAO-473", "payments", NULL };
  GPid pid;
  int out_fd;
  int status;

  g_assert_nonnull (writer);
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                            &out_fd, NULL, &error);
  g_assert_no_error (error);
  pdv_test_read_lines (out_fd, pending, g_get_monotonic_time () + 120 * G_USEC_PER_SEC, FALSE,
                       reported_payment_cb, NULL);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  close (out_fd);
  g_spawn_close_pid (pid);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);
  fixture->journal = pdv_context_get_journal (fixture->context);
  fixture->catalog = pdv_context_get_catalog (fixture->context);
  if (g_strcmp0 (user_data, "killed-mid-sale") == 0)
    kill_till_mid_sale (pdv_db_get_path (pdv_context_get_db (fixture->context)));

  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  fixture->sell_page = PDV_SELL_PAGE (pdv_window_get_page (fixture->window, "sell"));
  /* A printer someone chose, on a print server that is not there. */
  if (g_strcmp0 (user_data, "printer") == 0)
    pdv_window_set_printer (fixture->window, "Bar1-Receipts");

  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->context);

  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static PdvMoney
tap_products (Fixture            *fixture,
              const char * const *product_ids)
{
  PdvMoney total = 0;

  for (guint i = 0; product_ids[i] != NULL; i++)
    {
      g_autoptr(PdvProduct) product = pdv_test_lookup_product (fixture->catalog, product_ids[i]);

      g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, product_ids[i]));
      total += product->price;
    }
  g_assert_cmpint (pdv_cart_get_total (pdv_sell_page_get_cart (fixture->sell_page)), ==, total);
  return total;
}

static PdvPaymentWindow *
open_payment (Fixture *fixture)
{
  PdvPaymentWindow *payment;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sell_page), "sell.pay", NULL));
  payment = pdv_sell_page_get_payment_window (fixture->sell_page);
  pdv_ui_test_wait_for_dialog (GTK_WINDOW (payment), GTK_WINDOW (fixture->window));
  return payment;
}

static void
activate (gpointer    widget,
          const char *action_name,
          const char *format,
          ...)
{
  GVariant *parameter = NULL;
  va_list args;

  if (format != NULL)
    {
      va_start (args, format);
      parameter = g_variant_new_va (format, NULL, &args);
      va_end (args);
    }
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (widget), action_name, parameter));
}

/* Confirms, and checks the window closes: the sale is done. */
static void
confirm_and_wait_closed (PdvPaymentWindow *payment)
{
  PdvPaymentWindow *weak = payment;

  g_object_add_weak_pointer (G_OBJECT (payment), (gpointer *) &weak);
  activate (payment, "payment.confirm", NULL);
  pdv_ui_test_wait_until (weak == NULL, 10);
}

static json_t *
payment_at (const PdvJournalEntry *sale,
            guint                  index)
{
  json_t *payments = json_object_get (sale->payload, "payments");

  g_assert_true (json_is_array (payments));
  g_assert_cmpuint (index, <, json_array_size (payments));
  return json_array_get (payments, index);
}

static const char *
json_text (json_t     *object,
           const char *key)
{
  return json_string_value (json_object_get (object, key));
}

static gint64
json_int (json_t     *object,
          const char *key)
{
  json_t *value = json_object_get (object, key);

  g_assert_true (json_is_integer (value));
  return json_integer_value (value);
}

static void
assert_money_text (const char *text,
                   PdvMoney    amount)
{
  g_autofree char *expected = pdv_money_format (amount);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_new_sale_clears (Fixture *fixture)
{
  PdvCart *cart = pdv_sell_page_get_cart (fixture->sell_page);

  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));
  /* The cart is kept until the next sale starts. */
  g_assert_false (pdv_cart_is_empty (cart));
  activate (fixture->sell_page, "sell.new-sale", NULL);
  pdv_ui_test_settle ();
  g_assert_false (pdv_sell_page_get_sale_done (fixture->sell_page));
  g_assert_true (pdv_cart_is_empty (cart));
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 0);
}

static void
test_quick_tenders (void)
{
  static const struct {
    PdvMoney due;
    PdvMoney expected[PDV_QUICK_TENDERS_MAX];
    guint    n;
  } cases[] = {
    { 3700, { 3700, 4000, 5000, 10000, 20000 }, 5 },
    { 4000, { 4000, 5000, 10000, 20000 }, 4 },
    { 600, { 600, 1000, 2000, 5000, 10000 }, 5 },
    { 1250, { 1250, 1500, 2000, 5000, 10000 }, 5 },
    { 10600, { 10600, 11000, 12000, 15000, 20000 }, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PdvMoney out[PDV_QUICK_TENDERS_MAX];
      guint n = pdv_cash_suggest_tenders (cases[i].due, out);

      g_assert_cmpuint (n, ==, cases[i].n);
      for (guint j = 0; j < n; j++)
        g_assert_cmpint (out[j], ==, cases[i].expected[j]);
    }
}

/* Three products, R$ 100 handed over, the change on screen, the sale in
 * the journal with its lines, the stock gone down, and the next sale. */
static void
test_cash_sale (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char * const sale[] = { "CERV-LATAO-473", "DRK-CAIP-LIMAO", "SA-AGUA-500", NULL };
  g_autoptr(PdvProduct) beer_before = pdv_test_lookup_product (fixture->catalog, "CERV-LATAO-473");
  g_autoptr(PdvProduct) water_before = pdv_test_lookup_product (fixture->catalog, "SA-AGUA-500");
  g_autoptr(PdvProduct) beer_after = NULL;
  g_autoptr(PdvProduct) water_after = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  PdvPaymentWindow *payment;
  json_t *lines;
  json_t *cash;
  PdvMoney total;

  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "sale-grid");
  g_clear_object (&shot);

  total = tap_products (fixture, sale);
  g_assert_cmpint (total, ==, 4600);
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "sale-cart");
  g_clear_object (&shot);

  payment = open_payment (fixture);
  g_assert_cmpstr (pdv_payment_window_get_method (payment), ==, "cash");
  assert_money_text (pdv_payment_window_get_due_text (payment), total);
  g_assert_null (pdv_payment_window_get_error_text (payment));

  activate (payment, "payment.tender", "x", (gint64) 10000);
  assert_money_text (pdv_payment_window_get_change_text (payment), 10000 - total);
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-cash");
  g_clear_object (&shot);

  confirm_and_wait_closed (payment);
  g_assert_null (pdv_sell_page_get_payment_window (fixture->sell_page));
  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));
  assert_money_text (pdv_sell_page_get_done_change_text (fixture->sell_page), 10000 - total);
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "sale-done");
  g_clear_object (&shot);

  entry = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (entry->kind, ==, "sale");
  g_assert_cmpint (json_int (entry->payload, "total"), ==, total);
  g_assert_cmpint (json_int (entry->payload, "change"), ==, 10000 - total);
  lines = json_object_get (entry->payload, "lines");
  g_assert_cmpuint (json_array_size (lines), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (json_text (json_array_get (lines, i), "product"), ==, sale[i]);
      g_assert_cmpint (json_int (json_array_get (lines, i), "qty"), ==, 1);
    }
  cash = payment_at (entry, 0);
  g_assert_cmpstr (json_text (cash, "method"), ==, "cash");
  g_assert_cmpint (json_int (cash, "amount"), ==, total);
  g_assert_cmpint (json_int (cash, "tendered"), ==, 10000);

  beer_after = pdv_test_lookup_product (fixture->catalog, "CERV-LATAO-473");
  water_after = pdv_test_lookup_product (fixture->catalog, "SA-AGUA-500");
  g_assert_cmpint (beer_after->stock, ==, beer_before->stock - 1);
  g_assert_cmpint (water_after->stock, ==, water_before->stock - 1);

  /* No printer is set up here: no complaint either. */
  pdv_ui_test_wait_until (pdv_window_get_n_printing (fixture->window) == 0, 30);
  g_assert_null (pdv_window_get_last_print_error (fixture->window));

  assert_new_sale_clears (fixture);
}

static char *
dup_merchant_field (Fixture    *fixture,
                    const char *field)
{
  g_autofree char *text = pdv_db_get_meta (pdv_context_get_db (fixture->context), "event");
  g_autoptr(json_t) event = json_loads (text, 0, NULL);

  return g_strdup (json_text (json_object_get (event, "merchant"), field));
}

/* Cuts @widget out of a rendering of its window. */
static char *
save_widget_crop (GtkWidget  *widget,
                  const char *name)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_point_t origin;
  graphene_rect_t bounds;
  g_autoptr(GdkTexture) texture = pdv_ui_test_render (window, &origin);
  g_autoptr(GdkTexture) crop = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guchar *pixels = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (pdv_ui_test_init_artefacts (), file_name, NULL);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  int x, y, crop_width, crop_height;
  guchar *cropped;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  x = (int) (bounds.origin.x - origin.x);
  y = (int) (bounds.origin.y - origin.y);
  crop_width = (int) bounds.size.width;
  crop_height = (int) bounds.size.height;
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x + crop_width, <=, width);
  g_assert_cmpint (y + crop_height, <=, height);

  pixels = g_malloc ((gsize) height * stride);
  gdk_texture_download (texture, pixels, stride);
  cropped = g_malloc ((gsize) crop_width * 4 * crop_height);
  for (int row = 0; row < crop_height; row++)
    memcpy (cropped + (gsize) row * crop_width * 4,
            pixels + (gsize) (y + row) * stride + (gsize) x * 4,
            (gsize) crop_width * 4);
  bytes = g_bytes_new_take (cropped, (gsize) crop_width * 4 * crop_height);
  crop = gdk_memory_texture_new (crop_width, crop_height, GDK_MEMORY_DEFAULT, bytes, (gsize) crop_width * 4);
  g_assert_true (gdk_texture_save_to_png (crop, path));
  g_test_message ("QR crop: %s", path);
  return path;
}

static char *
decode_qr (const char *path)
{
  const char *argv[] = { "zbarimg", "--raw", "-q", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("zbarimg read no QR code in %s: %s", path, err);
  /* zbarimg ends its output with a newline the code does not hold. */
  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';
  return g_steal_pointer (&out);
}

/* The code on screen is what core builds, and a camera reads exactly that. */
static void
test_pix_sale (Fixture       *fixture,
               gconstpointer  user_data)
{
  static const char * const sale[] = { "DRK-GIN-TONICA", "COM-PASTEL-CARNE", NULL };
  g_autofree char *key = dup_merchant_field (fixture, "pix_key");
  g_autofree char *name = dup_merchant_field (fixture, "name");
  g_autofree char *city = dup_merchant_field (fixture, "city");
  g_autofree char *expected = NULL;
  g_autofree char *txid = NULL;
  g_autofree char *crop_path = NULL;
  g_autofree char *decoded = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  g_autoptr(GError) error = NULL;
  PdvPaymentWindow *payment;
  PdvQrView *qr_view;
  const char *payload;
  json_t *pix;
  PdvMoney total = tap_products (fixture, sale);

  payment = open_payment (fixture);
  activate (payment, "payment.method", "s", "pix");
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_payment_window_get_method (payment), ==, "pix");

  txid = g_strdup (pdv_payment_window_get_pix_txid (payment));
  g_assert_nonnull (txid);
  g_assert_cmpuint (strlen (txid), >, 0);
  g_assert_cmpuint (strlen (txid), <=, PDV_PIX_TXID_MAX);
  for (const char *p = txid; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p));

  payload = pdv_payment_window_get_pix_payload (payment);
  expected = pdv_pix_build (key, name, city, TRUE, total, txid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload, ==, expected);

  qr_view = pdv_payment_window_get_qr_view (payment);
  g_assert_cmpstr (pdv_qr_view_get_text (qr_view), ==, expected);
  g_assert_cmpuint (pdv_qr_view_get_module_size (qr_view), >=, 4);

  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-pix");
  crop_path = save_widget_crop (GTK_WIDGET (qr_view), "payment-pix-qr");
  decoded = decode_qr (crop_path);
  g_assert_cmpstr (decoded, ==, expected);

  confirm_and_wait_closed (payment);
  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));
  g_assert_null (pdv_sell_page_get_done_change_text (fixture->sell_page));

  entry = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (entry->kind, ==, "sale");
  pix = payment_at (entry, 0);
  g_assert_cmpstr (json_text (pix, "method"), ==, "pix");
  g_assert_cmpint (json_int (pix, "amount"), ==, total);
  g_assert_cmpstr (json_text (pix, "reference"), ==, txid);

  assert_new_sale_clears (fixture);
}

/* Taps the digits of @pin on @pad. */
static void
type_pin (PdvPinPad  *pad,
          const char *pin)
{
  for (const char *p = pin; *p != '\0'; p++)
    {
      char digit[2] = { *p, '\0' };

      activate (pad, "pinpad.digit", "s", digit);
    }
  g_assert_cmpstr (pdv_pin_pad_get_pin (pad), ==, pin);
}

/* A courtesy needs a manager: a wrong PIN is refused, the manager's passes,
 * and neither check stops the window from drawing. */
static void
test_voucher_sale (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char * const sale[] = { "DRK-MOJITO", NULL };
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  PdvPaymentWindow *payment;
  PdvPaymentWindow *weak;
  gint64 seq_before;
  json_t *voucher;
  PdvMoney total = tap_products (fixture, sale);

  payment = open_payment (fixture);
  activate (payment, "payment.method", "s", "voucher");
  pdv_payment_window_type_reference (payment, "Cortesia banda");
  seq_before = pdv_journal_get_last_seq (fixture->journal);

  type_pin (pdv_payment_window_get_pin_pad (payment), "1234");
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-voucher-pin");
  activate (pdv_payment_window_get_pin_pad (payment), "pinpad.submit", NULL);
  /* The check runs in a worker: the window is still answering meanwhile. */
  g_assert_true (pdv_payment_window_get_authorising (payment));
  pdv_ui_test_wait_until (!pdv_payment_window_get_authorising (payment), 20);
  g_assert_nonnull (pdv_payment_window_get_error_text (payment));
  g_assert_nonnull (strstr (pdv_payment_window_get_error_text (payment), "manager"));
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 0);
  g_assert_cmpstr (pdv_pin_pad_get_pin (pdv_payment_window_get_pin_pad (payment)), ==, "");
  /* The wrong PIN is journalled as a failed attempt, and nothing else is. */
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq_before + 1);
  {
    g_autoptr(PdvJournalEntry) failed = pdv_test_journal_last_entry (fixture->journal);
    g_assert_cmpstr (failed->kind, ==, "auth.failed");
  }

  weak = payment;
  g_object_add_weak_pointer (G_OBJECT (payment), (gpointer *) &weak);
  type_pin (pdv_payment_window_get_pin_pad (payment), "9090");
  activate (pdv_payment_window_get_pin_pad (payment), "pinpad.submit", NULL);
  pdv_ui_test_wait_until (weak == NULL, 20);

  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));
  entry = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (entry->kind, ==, "sale");
  g_assert_cmpstr (json_text (entry->payload, "authorised_by"), ==, "fernanda");
  voucher = payment_at (entry, 0);
  g_assert_cmpstr (json_text (voucher, "method"), ==, "voucher");
  g_assert_cmpint (json_int (voucher, "amount"), ==, total);
  g_assert_cmpstr (json_text (voucher, "reference"), ==, "Cortesia banda");
}

static PdvDiscountDialog *
open_discount (Fixture *fixture)
{
  PdvDiscountDialog *dialog;

  activate (fixture->sell_page, "cart.discount", NULL);
  dialog = pdv_sell_page_get_discount_dialog (fixture->sell_page);
  pdv_ui_test_wait_for_dialog (GTK_WINDOW (dialog), GTK_WINDOW (fixture->window));
  return dialog;
}

/* A cashier's 10 % discount, allowed by a manager's PIN, then paid in cash:
 * the cart, the payment window and the journal agree on every centavo, and
 * the sale records the operator and the manager. */
static void
test_discount_sale (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const char * const sale[] = { "CERV-LATAO-473", "DRK-CAIP-LIMAO", "SA-AGUA-500", NULL };
  PdvCart *cart = pdv_sell_page_get_cart (fixture->sell_page);
  g_autoptr(PdvProduct) water = pdv_test_lookup_product (fixture->catalog, "SA-AGUA-500");
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  g_autofree char *discount_text = NULL;
  PdvDiscountDialog *dialog;
  PdvDiscountDialog *weak;
  PdvManagerPrompt *prompt;
  PdvPaymentWindow *payment;
  gint64 seq_before;
  json_t *cash;
  PdvMoney subtotal = tap_products (fixture, sale);
  PdvMoney discount = (subtotal + 5) / 10;
  PdvMoney total = subtotal - discount;

  g_assert_cmpint (subtotal, ==, 4600);
  g_assert_null (pdv_sell_page_get_discount_text (fixture->sell_page));

  dialog = open_discount (fixture);
  /* What cannot be a discount is said at once, and not applied. */
  pdv_discount_dialog_type_value (dialog, "100");
  g_assert_nonnull (pdv_discount_dialog_get_error_text (dialog));
  assert_money_text (pdv_discount_dialog_get_total_text (dialog), subtotal);
  activate (dialog, "discount.kind", "s", "amount");
  pdv_discount_dialog_type_value (dialog, "46,00");
  g_assert_nonnull (strstr (pdv_discount_dialog_get_error_text (dialog), "less than the subtotal"));

  activate (dialog, "discount.preset", "i", 10);
  g_assert_null (pdv_discount_dialog_get_error_text (dialog));
  assert_money_text (pdv_discount_dialog_get_total_text (dialog), total);
  pdv_discount_dialog_type_reason (dialog, "Aniversário do cliente");
  pdv_ui_test_settle ();
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (dialog), "discount-dialog");
  g_clear_object (&shot);

  /* A cashier's terminal: Apply asks for a manager. */
  seq_before = pdv_journal_get_last_seq (fixture->journal);
  activate (dialog, "discount.apply", NULL);
  prompt = pdv_discount_dialog_get_prompt (dialog);
  g_assert_nonnull (prompt);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prompt)) == GTK_WINDOW (dialog));
  g_assert_cmpint (pdv_manager_prompt_get_permission (prompt), ==, PDV_PERMISSION_DISCOUNT);
  pdv_ui_test_wait_for_window (GTK_WIDGET (prompt));
  g_assert_false (pdv_cart_has_discount (cart));
  type_pin (pdv_manager_prompt_get_pin_pad (prompt), "9090");
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (prompt), "discount-manager-prompt");
  g_clear_object (&shot);

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  activate (pdv_manager_prompt_get_pin_pad (prompt), "pinpad.submit", NULL);
  pdv_ui_test_wait_until (weak == NULL, 20);
  g_assert_null (pdv_sell_page_get_discount_dialog (fixture->sell_page));
  /* Nothing is journalled until the sale is. */
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq_before);

  g_assert_true (pdv_cart_has_discount (cart));
  g_assert_cmpint (pdv_cart_get_discount (cart), ==, discount);
  g_assert_cmpint (pdv_cart_get_total (cart), ==, total);
  g_assert_cmpstr (pdv_cart_get_discount_authoriser (cart)->id, ==, "fernanda");
  discount_text = pdv_money_format (-discount);
  g_assert_cmpstr (pdv_sell_page_get_discount_text (fixture->sell_page), ==, discount_text);
  assert_money_text (pdv_sell_page_get_total_text (fixture->sell_page), total);
  pdv_ui_test_settle ();
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "sale-cart-discount");
  g_clear_object (&shot);

  /* A percentage follows the cart. */
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, "SA-AGUA-500"));
  g_assert_cmpint (pdv_cart_get_discount (cart), ==, (subtotal + water->price + 5) / 10);
  activate (fixture->sell_page, "cart.decrement", "s", "SA-AGUA-500");
  g_assert_cmpint (pdv_cart_get_discount (cart), ==, discount);

  payment = open_payment (fixture);
  assert_money_text (pdv_payment_window_get_due_text (payment), total);
  g_assert_null (pdv_payment_window_get_error_text (payment));
  activate (payment, "payment.tender", "x", (gint64) 5000);
  assert_money_text (pdv_payment_window_get_change_text (payment), 5000 - total);
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-discount");
  g_clear_object (&shot);
  confirm_and_wait_closed (payment);

  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));
  assert_money_text (pdv_sell_page_get_done_change_text (fixture->sell_page), 5000 - total);

  entry = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (entry->kind, ==, "sale");
  g_assert_cmpint (json_int (entry->payload, "subtotal"), ==, subtotal);
  g_assert_cmpint (json_int (entry->payload, "discount"), ==, discount);
  g_assert_cmpint (json_int (entry->payload, "total"), ==, total);
  g_assert_cmpint (json_int (entry->payload, "change"), ==, 5000 - total);
  g_assert_cmpint (json_int (entry->payload, "discount_percent_bp"), ==, 1000);
  g_assert_cmpstr (json_text (entry->payload, "discount_reason"), ==, "Aniversário do cliente");
  g_assert_cmpstr (json_text (entry->payload, "discount_authorised_by"), ==, "fernanda");
  g_assert_null (json_object_get (entry->payload, "authorised_by"));
  cash = payment_at (entry, 0);
  g_assert_cmpstr (json_text (cash, "method"), ==, "cash");
  g_assert_cmpint (json_int (cash, "amount"), ==, total);
  g_assert_cmpint (json_int (cash, "tendered"), ==, 5000);
  /* The override is journalled with the sale, naming both. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) entries = pdv_journal_list (fixture->journal, entry->seq - 2, 1, &error);
    PdvJournalEntry *override = g_ptr_array_index (entries, 0);

    g_assert_no_error (error);
    g_assert_cmpstr (override->kind, ==, "auth.override");
    g_assert_cmpstr (json_text (override->payload, "action"), ==, "discount");
    g_assert_cmpstr (json_text (override->payload, "authoriser"), ==, "fernanda");
  }

  assert_new_sale_clears (fixture);
  g_assert_false (pdv_cart_has_discount (cart));
  g_assert_null (pdv_sell_page_get_discount_text (fixture->sell_page));
}

static void
discount_dropped_cb (PdvCart    *cart,
                     const char *message,
                     guint      *count)
{
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "Discount removed"));
  (*count)++;
}

/* A manager gives a discount without a PIN; an amount goes, with a word,
 * when the sale drops below it; × and Clear take a discount off. */
static void
test_discount_follows_cart (Fixture       *fixture,
                            gconstpointer  user_data)
{
  static const char * const sale[] = { "CERV-LATAO-473", "DRK-CAIP-LIMAO", NULL };
  PdvCart *cart = pdv_sell_page_get_cart (fixture->sell_page);
  g_autoptr(PdvUser) manager = pdv_user_new ("gustavo", "Gustavo Araújo", PDV_ROLE_MANAGER);
  g_autoptr(PdvProduct) caipirinha = pdv_test_lookup_product (fixture->catalog, "DRK-CAIP-LIMAO");
  PdvDiscountDialog *dialog;
  PdvDiscountDialog *weak;
  guint dropped = 0;
  PdvMoney subtotal = tap_products (fixture, sale);

  dialog = pdv_discount_dialog_new (GTK_WINDOW (fixture->window), cart, fixture->context, manager);
  gtk_window_present (GTK_WINDOW (dialog));
  pdv_ui_test_wait_for_window (GTK_WIDGET (dialog));
  activate (dialog, "discount.kind", "s", "amount");
  pdv_discount_dialog_type_value (dialog, "5,00");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  activate (dialog, "discount.apply", NULL);
  g_assert_null (weak);
  g_assert_cmpint (pdv_cart_get_discount (cart), ==, 500);
  g_assert_cmpint (pdv_cart_get_total (cart), ==, subtotal - 500);
  g_assert_cmpstr (pdv_cart_get_discount_authoriser (cart)->id, ==, "gustavo");

  /* The dialog starts from the discount there is. */
  dialog = open_discount (fixture);
  g_assert_null (pdv_discount_dialog_get_error_text (dialog));
  assert_money_text (pdv_discount_dialog_get_total_text (dialog), subtotal - 500);
  pdv_ui_test_destroy_window (GTK_WINDOW (dialog));
  g_assert_true (pdv_cart_has_discount (cart));

  /* Taken off by hand. */
  activate (fixture->sell_page, "cart.remove-discount", NULL);
  g_assert_false (pdv_cart_has_discount (cart));
  assert_money_text (pdv_sell_page_get_total_text (fixture->sell_page), subtotal);

  /* An amount the sale no longer exceeds goes, and the cashier is told. */
  g_assert_true (pdv_cart_set_discount (cart, PDV_DISCOUNT_AMOUNT, caipirinha->price, NULL, manager, NULL));
  g_signal_connect (cart, "discount-dropped", G_CALLBACK (discount_dropped_cb), &dropped);
  activate (fixture->sell_page, "cart.remove", "s", "CERV-LATAO-473");
  g_assert_cmpuint (dropped, ==, 1);
  g_assert_false (pdv_cart_has_discount (cart));
  g_assert_null (pdv_sell_page_get_discount_text (fixture->sell_page));

  /* Clearing the cart drops one without a word. */
  g_assert_true (pdv_sell_page_tap_product (fixture->sell_page, "CERV-LATAO-473"));
  g_assert_true (pdv_cart_set_discount (cart, PDV_DISCOUNT_PERCENT, 1000, "x", manager, NULL));
  activate (fixture->sell_page, "cart.clear", NULL);
  g_assert_false (pdv_cart_has_discount (cart));
  g_assert_cmpuint (dropped, ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->sell_page), "cart.discount", NULL);
  g_assert_null (pdv_sell_page_get_discount_dialog (fixture->sell_page));
  g_signal_handlers_disconnect_by_func (cart, discount_dropped_cb, &dropped);
}

/* Part by card, the rest in cash with change. */
static void
test_split_sale (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const char * const sale[] = { "CERV-LATAO-473", "CERV-LATAO-473", "COM-PASTEL-QUEIJO", NULL };
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  PdvPaymentWindow *payment;
  json_t *card;
  json_t *cash;
  PdvMoney total = tap_products (fixture, sale);
  PdvMoney rest = total - 2000;

  payment = open_payment (fixture);
  activate (payment, "payment.method", "s", "card");
  /* The amount starts as all that is due. */
  g_assert_null (pdv_payment_window_get_error_text (payment));
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-card"));

  /* More than is due is refused: only cash gives change. */
  pdv_payment_window_type_amount (payment, "500,00");
  gtk_widget_activate_action (GTK_WIDGET (payment), "payment.confirm-card", "s", "credit");
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 0);

  /* Enter alone does not guess debit or credit. */
  pdv_payment_window_type_amount (payment, "20,00");
  pdv_payment_window_type_reference (payment, "A1B2C3");
  activate (payment, "payment.confirm", NULL);
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 0);
  g_assert_nonnull (strstr (pdv_payment_window_get_error_text (payment), "Debit or Credit"));
  activate (payment, "payment.confirm-card", "s", "credit");
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 1);
  g_assert_cmpint (pdv_payment_window_get_due (payment), ==, rest);
  assert_money_text (pdv_payment_window_get_due_text (payment), rest);

  /* A payment taken by mistake comes off again. */
  activate (payment, "payment.remove", "u", 0);
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 0);
  g_assert_cmpint (pdv_payment_window_get_due (payment), ==, total);
  pdv_payment_window_type_amount (payment, "20,00");
  pdv_payment_window_type_reference (payment, "A1B2C3");
  activate (payment, "payment.confirm-card", "s", "credit");
  g_assert_cmpint (pdv_payment_window_get_due (payment), ==, rest);

  activate (payment, "payment.method", "s", "cash");
  activate (payment, "payment.tender", "x", (gint64) 5000);
  assert_money_text (pdv_payment_window_get_change_text (payment), 5000 - rest);
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-split");
  confirm_and_wait_closed (payment);

  assert_money_text (pdv_sell_page_get_done_change_text (fixture->sell_page), 5000 - rest);
  entry = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (entry->kind, ==, "sale");
  g_assert_cmpint (json_int (entry->payload, "total"), ==, total);
  card = payment_at (entry, 0);
  g_assert_cmpstr (json_text (card, "method"), ==, "card");
  g_assert_cmpint (json_int (card, "amount"), ==, 2000);
  g_assert_cmpstr (json_text (card, "reference"), ==, "A1B2C3");
  g_assert_cmpstr (json_text (card, "card"), ==, "credit");
  cash = payment_at (entry, 1);
  g_assert_cmpstr (json_text (cash, "method"), ==, "cash");
  g_assert_cmpint (json_int (cash, "amount"), ==, rest);
  g_assert_cmpint (json_int (cash, "tendered"), ==, 5000);
  g_assert_cmpint (json_int (cash, "change"), ==, 5000 - rest);
}

static AdwMessageDialog *
find_dialog_over (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_window_get_transient_for (toplevel) == parent)
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

/* Leaving with a card payment taken asks first: that money moved already,
 * and it is on record. Giving the sale up takes a reason and, for money taken
 * outside the drawer, a manager; both are journalled. */
static void
test_leave_with_card_payment (Fixture       *fixture,
                              gconstpointer  user_data)
{
  static const char * const sale[] = { "DRK-GIN-TONICA", NULL };
  PdvCart *cart = pdv_sell_page_get_cart (fixture->sell_page);
  g_autoptr(GdkTexture) shot = NULL;
  g_autoptr(PdvJournalEntry) taken = NULL;
  g_autoptr(PdvJournalEntry) abandoned = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  PdvPaymentWindow *payment;
  PdvManagerPrompt *prompt;
  GtkWidget *reason;

  tap_products (fixture, sale);
  payment = open_payment (fixture);
  activate (payment, "payment.method", "s", "card");
  pdv_payment_window_type_amount (payment, "10,00");
  activate (payment, "payment.confirm-card", "s", "debit");
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 1);

  /* Taken is journalled, before the rest is paid. */
  taken = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (taken->kind, ==, "payment.taken");
  g_assert_cmpint (json_int (json_object_get (taken->payload, "payment"), "amount"), ==, 1000);
  g_assert_cmpint (pdv_open_sales_count (pdv_context_get_db (fixture->context), &error), ==, 1);

  gtk_window_close (GTK_WINDOW (payment));
  pdv_ui_test_settle ();
  g_assert_true (pdv_sell_page_get_payment_window (fixture->sell_page) == payment);
  dialog = find_dialog_over (GTK_WINDOW (payment));
  g_assert_nonnull (dialog);
  reason = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (GTK_IS_EDITABLE (reason));
  /* No reason, no giving up. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "give-up"));
  gtk_editable_set_text (GTK_EDITABLE (reason), "Cliente desistiu");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "give-up"));
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (dialog), "payment-leave-dialog");

  /* Staying keeps everything as it was. */
  adw_message_dialog_response (dialog, "stay");
  pdv_ui_test_settle ();
  g_assert_true (pdv_sell_page_get_payment_window (fixture->sell_page) == payment);
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 1);

  gtk_window_close (GTK_WINDOW (payment));
  pdv_ui_test_settle ();
  dialog = find_dialog_over (GTK_WINDOW (payment));
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Cliente desistiu");
  adw_message_dialog_response (dialog, "give-up");
  pdv_ui_test_settle ();

  /* A card payment: a manager's PIN. */
  prompt = pdv_payment_window_get_give_up_prompt (payment);
  g_assert_nonnull (prompt);
  g_assert_true (pdv_ui_test_submit_manager_pin (prompt, "9090"));
  pdv_ui_test_wait_until (pdv_sell_page_get_payment_window (fixture->sell_page) == NULL, 10);

  abandoned = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (abandoned->kind, ==, "sale.abandon");
  g_assert_cmpstr (json_text (abandoned->payload, "reason"), ==, "Cliente desistiu");
  g_assert_cmpstr (json_text (abandoned->payload, "authorised_by"), ==, "fernanda");
  g_assert_cmpint (json_int (abandoned->payload, "paid"), ==, 1000);
  g_assert_cmpint (pdv_open_sales_count (pdv_context_get_db (fixture->context), &error), ==, 0);
  g_assert_false (pdv_sell_page_get_sale_done (fixture->sell_page));
  g_assert_nonnull (pdv_cart_find_line (cart, "DRK-GIN-TONICA"));
}

/* A till killed after a card payment of a split sale: the terminal opens on
 * that sale, its cart and its payment as they were, and the rest completes
 * it. */
static void
test_reopen_after_kill (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GdkTexture) shot = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(PdvProduct) latao = pdv_test_lookup_product (fixture->catalog, "CERV-LATAO-473");
  g_autoptr(GError) error = NULL;
  PdvPaymentWindow *payment;
  AdwMessageDialog *dialog;
  const char *subtitle;

  /* The window opened on it already. */
  pdv_ui_test_wait_until (pdv_sell_page_get_payment_window (fixture->sell_page) != NULL, 10);
  payment = pdv_sell_page_get_payment_window (fixture->sell_page);
  pdv_ui_test_wait_for_dialog (GTK_WINDOW (payment), GTK_WINDOW (fixture->window));
  g_assert_cmpint (pdv_cart_get_total (pdv_sell_page_get_cart (fixture->sell_page)), ==, latao->price);
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 1);
  g_assert_cmpint (pdv_payment_window_get_due (payment), ==, latao->price - 100);
  subtitle = pdv_payment_window_get_subtitle (payment);
  g_assert_nonnull (strstr (subtitle, "Card"));
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-reopened");

  /* Quitting asks first; staying changes nothing. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
  pdv_ui_test_settle ();
  dialog = find_dialog_over (GTK_WINDOW (payment));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Quit With a Sale Being Paid?");
  adw_message_dialog_response (dialog, "stay");
  pdv_ui_test_settle ();
  g_assert_true (pdv_sell_page_get_payment_window (fixture->sell_page) == payment);

  activate (payment, "payment.method", "s", "cash");
  activate (payment, "payment.tender", "x", (gint64) 5000);
  confirm_and_wait_closed (payment);

  entry = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (entry->kind, ==, "sale");
  g_assert_nonnull (json_text (entry->payload, "open_sale"));
  g_assert_cmpint (json_int (payment_at (entry, 0), "amount"), ==, 100);
  g_assert_cmpstr (json_text (payment_at (entry, 0), "method"), ==, "card");
  g_assert_cmpstr (json_text (payment_at (entry, 0), "card"), ==, "credit");
  g_assert_cmpstr (json_text (payment_at (entry, 1), "method"), ==, "cash");
  g_assert_cmpint (pdv_open_sales_count (pdv_context_get_db (fixture->context), &error), ==, 0);
}

/* The terminal's window, selling through its payment window, killed
 * (SIGKILL) 200 times in the middle of split payments: every payment it
 * showed as taken is on the terminal after each kill, and the next start
 * reopens the sale it was in. */
static void
test_window_killed_mid_payments (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *path = NULL;
  const char *till = g_getenv ("PDV_UI_TILL");
  guint paid, reopened;

  g_assert_nonnull (till);
  {
    g_autoptr(PdvContext) context = pdv_test_open_terminal (dir, TRUE);
    path = g_strdup (pdv_db_get_path (pdv_context_get_db (context)));
  }
  pdv_test_kill_tills (path, (const char * const[]) { till, path, "CERV-LATA-350", NULL }, 200, &paid,
                       &reopened);
  g_test_message ("200 kills of the window, %u payments shown taken, all on the terminal; %u sales reopened",
                  paid, reopened);
  g_assert_cmpuint (paid, >=, 100);
  g_assert_cmpuint (reopened, >, 0);
  pdv_test_remove_tree (dir);
}

/* A product that must not be oversold: refused before any money is taken,
 * and again at the commit if the stock ran out meanwhile. The cart stays. */
static void
test_out_of_stock (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char * const sale[] = { "CERV-IPA-355", "CERV-IPA-355", NULL };
  PdvCart *cart = pdv_sell_page_get_cart (fixture->sell_page);
  g_autoptr(GdkTexture) shot = NULL;
  PdvPaymentWindow *payment;
  gint64 seq_before;

  append_stock_count (fixture, "CERV-IPA-355", 1);
  pdv_sell_page_reload (fixture->sell_page);
  tap_products (fixture, sale);
  seq_before = pdv_journal_get_last_seq (fixture->journal);

  payment = open_payment (fixture);
  g_assert_nonnull (pdv_payment_window_get_error_text (payment));
  g_assert_nonnull (strstr (pdv_payment_window_get_error_text (payment), "Cerveja IPA"));
  gtk_widget_activate_action (GTK_WIDGET (payment), "payment.confirm", NULL);
  activate (payment, "payment.tender", "x", (gint64) 10000);
  gtk_widget_activate_action (GTK_WIDGET (payment), "payment.confirm", NULL);
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 0);
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-out-of-stock");
  g_clear_object (&shot);
  pdv_ui_test_destroy_window (GTK_WINDOW (payment));

  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq_before);
  g_assert_false (pdv_sell_page_get_sale_done (fixture->sell_page));
  g_assert_cmpuint (pdv_cart_line_get_quantity (pdv_cart_find_line (cart, "CERV-IPA-355")), ==, 2);

  /* One is there to sell; it runs out while the customer pays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sell_page), "cart.decrement", "s", "CERV-IPA-355"));
  payment = open_payment (fixture);
  g_assert_null (pdv_payment_window_get_error_text (payment));
  append_stock_count (fixture, "CERV-IPA-355", 0);
  seq_before = pdv_journal_get_last_seq (fixture->journal);

  activate (payment, "payment.confirm", NULL);
  pdv_ui_test_settle ();
  g_assert_true (pdv_sell_page_get_payment_window (fixture->sell_page) == payment);
  g_assert_nonnull (pdv_payment_window_get_error_text (payment));
  g_assert_nonnull (strstr (pdv_payment_window_get_error_text (payment), "only 0 left"));
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq_before);
  /* Trying again changes nothing while the stock is still gone. */
  activate (payment, "payment.retry", NULL);
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, seq_before);
  g_assert_cmpuint (pdv_payment_window_count_payments (payment), ==, 1);
  shot = pdv_ui_test_save_screenshot (GTK_WIDGET (payment), "payment-commit-refused");

  /* Cash only: leaving asks nothing, and the cart is as it was. */
  gtk_window_close (GTK_WINDOW (payment));
  pdv_ui_test_wait_until (pdv_sell_page_get_payment_window (fixture->sell_page) == NULL, 10);
  g_assert_false (pdv_sell_page_get_sale_done (fixture->sell_page));
  g_assert_cmpuint (pdv_cart_line_get_quantity (pdv_cart_find_line (cart, "CERV-IPA-355")), ==, 1);
}

/* The keyboard and the scanner: barcode, SKU, + and − on the selected line,
 * Enter to pay, F1 for the exact amount, and a scan starting the next sale. */
static void
test_keyboard_and_scanner (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(PdvProduct) can = pdv_test_lookup_product (fixture->catalog, "CERV-LATA-350");
  g_autoptr(PdvJournalEntry) entry = NULL;
  PdvCart *cart = pdv_sell_page_get_cart (fixture->sell_page);
  PdvPaymentWindow *payment;
  PdvPaymentWindow *weak;

  g_assert_cmpstr (can->barcode, ==, "7890362900284");
  pdv_sell_page_scan (fixture->sell_page, can->barcode);
  g_assert_nonnull (pdv_cart_find_line (cart, can->id));
  pdv_sell_page_scan (fixture->sell_page, "SA-AGUA-500");
  g_assert_nonnull (pdv_cart_find_line (cart, "SA-AGUA-500"));
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 2);
  g_assert_cmpstr (pdv_sell_page_get_selected_product_id (fixture->sell_page), ==, "SA-AGUA-500");

  g_assert_true (pdv_sell_page_press_key (fixture->sell_page, GDK_KEY_plus, GDK_SHIFT_MASK));
  g_assert_cmpuint (pdv_cart_line_get_quantity (pdv_cart_find_line (cart, "SA-AGUA-500")), ==, 2);
  g_assert_true (pdv_sell_page_press_key (fixture->sell_page, GDK_KEY_Up, GDK_CONTROL_MASK));
  g_assert_cmpstr (pdv_sell_page_get_selected_product_id (fixture->sell_page), ==, can->id);
  g_assert_true (pdv_sell_page_press_key (fixture->sell_page, GDK_KEY_KP_Add, 0));
  g_assert_cmpuint (pdv_cart_line_get_quantity (pdv_cart_find_line (cart, can->id)), ==, 2);
  g_assert_true (pdv_sell_page_press_key (fixture->sell_page, GDK_KEY_minus, 0));
  g_assert_cmpuint (pdv_cart_line_get_quantity (pdv_cart_find_line (cart, can->id)), ==, 1);
  g_assert_true (pdv_sell_page_press_key (fixture->sell_page, GDK_KEY_Delete, 0));
  g_assert_null (pdv_cart_find_line (cart, can->id));
  g_assert_cmpstr (pdv_sell_page_get_selected_product_id (fixture->sell_page), ==, "SA-AGUA-500");

  /* Browsing a category: no line stays picked, or looks picked. */
  g_assert_true (pdv_sell_page_select_category (fixture->sell_page, "drinks"));
  g_assert_null (pdv_sell_page_get_selected_product_id (fixture->sell_page));
  g_assert_null (gtk_list_box_get_selected_row (fixture->sell_page->cart_list));
  g_assert_false (pdv_sell_page_press_key (fixture->sell_page, GDK_KEY_plus, GDK_SHIFT_MASK));
  g_assert_cmpuint (pdv_cart_line_get_quantity (pdv_cart_find_line (cart, "SA-AGUA-500")), ==, 2);
  g_assert_true (pdv_sell_page_select_category (fixture->sell_page, NULL));

  /* While searching, + and − are text. */
  pdv_sell_page_search (fixture->sell_page, "agua");
  g_assert_false (pdv_sell_page_press_key (fixture->sell_page, GDK_KEY_minus, 0));
  pdv_sell_page_search (fixture->sell_page, "");

  /* Enter with nothing typed takes the payment; F1 fills in the exact amount. */
  pdv_sell_page_scan (fixture->sell_page, "");
  payment = pdv_sell_page_get_payment_window (fixture->sell_page);
  g_assert_nonnull (payment);
  pdv_ui_test_wait_for_window (GTK_WIDGET (payment));
  activate (payment, "payment.cash-exact", NULL);
  g_assert_cmpstr (pdv_payment_window_get_change_text (payment), ==, "No change");

  weak = payment;
  g_object_add_weak_pointer (G_OBJECT (payment), (gpointer *) &weak);
  activate (payment, "payment.confirm", NULL);
  pdv_ui_test_wait_until (weak == NULL, 10);
  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));
  g_assert_null (pdv_sell_page_get_done_change_text (fixture->sell_page));
  entry = pdv_test_journal_last_entry (fixture->journal);
  g_assert_cmpstr (entry->kind, ==, "sale");
  g_assert_cmpint (json_int (payment_at (entry, 0), "tendered"), ==, 1200);

  /* The next customer's first scan starts the next sale. */
  pdv_sell_page_scan (fixture->sell_page, can->barcode);
  g_assert_false (pdv_sell_page_get_sale_done (fixture->sell_page));
  g_assert_cmpuint (pdv_sell_page_count_cart_rows (fixture->sell_page), ==, 1);
  g_assert_nonnull (pdv_cart_find_line (cart, can->id));
  g_assert_null (pdv_cart_find_line (cart, "SA-AGUA-500"));
}

/* A receipt that cannot be printed is reported, never in the sale's way;
 * the last one can be printed again at any time. */
static void
test_print_failure (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const char * const sale[] = { "SA-REFRI-LATA-350", NULL };
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application),
                                                                "win.reprint-last");
  PdvPaymentWindow *payment;

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>p"));

  tap_products (fixture, sale);
  payment = open_payment (fixture);
  confirm_and_wait_closed (payment);
  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));

  pdv_ui_test_wait_until (pdv_window_get_n_printing (fixture->window) == 0, 30);
  g_assert_nonnull (pdv_window_get_last_print_error (fixture->window));
  g_assert_true (g_str_has_prefix (pdv_window_get_last_print_error (fixture->window), "Receipt not printed: "));
  g_assert_true (pdv_sell_page_get_sale_done (fixture->sell_page));

  /* Said above the pages, whole, with no timeout: it goes only when
   * someone acts on it. */
  g_assert_cmpstr (pdv_window_get_print_banner_text (fixture->window), ==,
                   pdv_window_get_last_print_error (fixture->window));
  pdv_ui_test_settle ();
  g_assert_nonnull (pdv_window_get_print_banner_text (fixture->window));
  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "print-failure-banner"));
  activate (fixture->window, "win.dismiss-print-error", NULL);
  g_assert_null (pdv_window_get_print_banner_text (fixture->window));

  activate (fixture->window, "win.reprint-last", NULL);
  g_assert_cmpuint (pdv_window_get_n_printing (fixture->window), ==, 1);
  pdv_ui_test_wait_until (pdv_window_get_n_printing (fixture->window) == 0, 30);
  g_assert_nonnull (pdv_window_get_last_print_error (fixture->window));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  application = pdv_ui_test_init (&argc, &argv, FALSE);

  g_test_add_func ("/sale-flow/quick-tenders", test_quick_tenders);
  g_test_add ("/sale-flow/cash", Fixture, NULL, fixture_set_up, test_cash_sale, fixture_tear_down);
  g_test_add ("/sale-flow/pix", Fixture, NULL, fixture_set_up, test_pix_sale, fixture_tear_down);
  g_test_add ("/sale-flow/voucher", Fixture, NULL, fixture_set_up, test_voucher_sale, fixture_tear_down);
  g_test_add ("/sale-flow/split", Fixture, NULL, fixture_set_up, test_split_sale, fixture_tear_down);
  g_test_add ("/sale-flow/discount", Fixture, NULL, fixture_set_up, test_discount_sale, fixture_tear_down);
  g_test_add ("/sale-flow/discount-follows-cart", Fixture, NULL, fixture_set_up, test_discount_follows_cart,
              fixture_tear_down);
  g_test_add ("/sale-flow/leave-with-card-payment", Fixture, NULL, fixture_set_up, test_leave_with_card_payment, fixture_tear_down);
  g_test_add ("/sale-flow/reopen-after-kill", Fixture, "killed-mid-sale", fixture_set_up, test_reopen_after_kill,
              fixture_tear_down);
  g_test_add ("/sale-flow/out-of-stock", Fixture, NULL, fixture_set_up, test_out_of_stock, fixture_tear_down);
  g_test_add ("/sale-flow/keyboard-and-scanner", Fixture, NULL, fixture_set_up, test_keyboard_and_scanner, fixture_tear_down);
  g_test_add ("/sale-flow/print-failure", Fixture, "printer", fixture_set_up, test_print_failure, fixture_tear_down);
  g_test_add_func ("/sale-flow/window-killed-mid-payments", test_window_killed_mid_payments);

  ret = g_test_run ();

  g_clear_object (&application);
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pdv-test-util.h"

static const guint8 drawer_pulse[] = { 0x1b, 'p', 0, 25, 250 };
static const guint8 escpos_start[] = { 0x1b, '@', 0x1b, 't', 3 };
static const guint8 partial_cut[] = { 0x1d, 'V', 66, 0 };

typedef struct {
  const char    *name;          /* tests/data/receipts/NAME.json */
  PdvPaperWidth  width;
  gboolean       opens_drawer;
} Golden;

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->journal = pdv_context_get_journal (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static PdvReceipt *
load_receipt (const char *name)
{
  return pdv_test_load_receipt (name);
}

static guint
count_occurrences (GBytes     *haystack,
                   const void *needle,
                   gsize       needle_len)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (haystack, &size);
  guint n = 0;

  for (gsize i = 0; i + needle_len <= size; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      n++;
  return n;
}

static gboolean
contains (GBytes     *haystack,
          const char *needle)
{
  return count_occurrences (haystack, needle, strlen (needle)) > 0;
}

/* Whether @text has a line of exactly @columns with @left at one end, @right
 * at the other and blanks between. */
static gboolean
has_row (const char *text,
         const char *left,
         const char *right,
         guint       columns)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  glong blanks = (glong) columns - g_utf8_strlen (left, -1) - g_utf8_strlen (right, -1);
  g_autofree char *row = NULL;

  if (blanks <= 0)
    return FALSE;
  row = g_strdup_printf ("%s%*s%s", left, (int) blanks, "", right);
  return g_strv_contains ((const char * const *) lines, row);
}

/* Compares with tests/data/receipts/@file byte for byte. */
static void
assert_golden (const char *file,
               GBytes     *actual)
{
  g_autofree char *relative = g_build_filename ("receipts", file, NULL);
  g_autofree char *path = pdv_test_data_path (relative);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (g_getenv ("PDV_UPDATE_GOLDEN") != NULL)
    {
      g_file_set_contents (path, g_bytes_get_data (actual, NULL), g_bytes_get_size (actual), &error);
      g_assert_no_error (error);
      g_test_message ("rewrote %s", path);
      return;
    }

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  expected = g_bytes_new_take (contents, length);
  if (!g_bytes_equal (expected, actual))
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "receipts-actual", NULL);
      g_autofree char *actual_path = g_build_filename (dir, file, NULL);

      g_mkdir_with_parents (dir, 0755);
      g_file_set_contents (actual_path, g_bytes_get_data (actual, NULL), g_bytes_get_size (actual), &error);
      g_assert_no_error (error);
      g_test_fail_printf ("%s differs from the receipt as rendered now, which is in %s "
                          "(compare with cmp -l, or xxd and diff). If the change is intended, "
                          "rewrite the golden files with “PDV_UPDATE_GOLDEN=1 meson test -C BUILDDIR receipt” "
                          "and review them before committing.", path, actual_path);
    }
}

static void
test_golden (gconstpointer data)
{
  const Golden *golden = data;
  g_autoptr(PdvReceipt) receipt = load_receipt (golden->name);
  PdvReceiptOptions options = PDV_RECEIPT_OPTIONS_INIT;
  g_autofree char *text_file = g_strdup_printf ("%s-%d.txt", golden->name, golden->width);
  g_autofree char *escpos_file = g_strdup_printf ("%s-%d.escpos", golden->name, golden->width);
  g_autofree char *text = NULL;
  g_autoptr(GBytes) text_bytes = NULL;
  g_autoptr(GBytes) escpos = NULL;
  g_auto(GStrv) lines = NULL;
  gsize size = 0;
  const guint8 *bytes;

  options.paper_width = golden->width;
  text = pdv_receipt_render_text (receipt, &options);
  escpos = pdv_receipt_render_escpos (receipt, &options);
  text_bytes = g_bytes_new_static (text, strlen (text));
  assert_golden (text_file, text_bytes);
  assert_golden (escpos_file, escpos);

  /* Nothing runs off the paper. */
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, pdv_paper_width_get_columns (golden->width));

  /* The printer is reset and set to PC860 first, and the paper cut last. */
  bytes = g_bytes_get_data (escpos, &size);
  g_assert_cmpuint (size, >, sizeof escpos_start + sizeof partial_cut);
  g_assert_cmpmem (bytes, sizeof escpos_start, escpos_start, sizeof escpos_start);
  g_assert_cmpmem (bytes + size - sizeof partial_cut, sizeof partial_cut, partial_cut, sizeof partial_cut);

  /* The drawer opens for cash, and only for cash. */
  g_assert_cmpint (pdv_receipt_opens_drawer (receipt), ==, golden->opens_drawer);
  g_assert_cmpuint (count_occurrences (escpos, drawer_pulse, sizeof drawer_pulse), ==,
                    golden->opens_drawer ? 1 : 0);
  g_assert_cmpuint (count_occurrences (escpos, "\x1bp", 2), ==, golden->opens_drawer ? 1 : 0);
}

static void
test_total_stands_out (void)
{
  g_autoptr(PdvReceipt) receipt = load_receipt ("cash");
  PdvReceiptOptions options = PDV_RECEIPT_OPTIONS_INIT;
  g_autoptr(GBytes) escpos = NULL;
  g_autofree char *text = NULL;

  options.paper_width = PDV_PAPER_58MM;
  escpos = pdv_receipt_render_escpos (receipt, &options);
  text = pdv_receipt_render_text (receipt, &options);
  /* Bold and double height, then back to normal after the total's line. */
  g_assert_true (contains (escpos, "\x1b" "E\x01\x1d!\x01TOTAL"));
  g_assert_true (contains (escpos, "R$ 42,00\n\x1b" "E"));
  g_assert_true (has_row (text, "TOTAL", "R$ 42,00", 32));
  /* Amounts are Brazilian whatever the locale: comma for decimals. */
  g_assert_true (has_row (text, "  Change", "8,00", 32));
}

/* Subtotal, discount and what was paid, in that order above the payments;
 * nothing of the kind on a sale without a discount. */
static void
test_discount (void)
{
  g_autoptr(PdvReceipt) percent = load_receipt ("discount");
  g_autoptr(PdvReceipt) plain = load_receipt ("cash");
  g_autoptr(json_t) payload = pdv_test_payload (
    "{\"lines\": [{\"name\": \"Gin Tônica\", \"qty\": 1, \"unit_price\": 3200, \"total\": 3200}],"
    " \"payments\": [{\"method\": \"card\", \"amount\": 2700}], \"total\": 2700, \"change\": 0,"
    " \"subtotal\": 3200, \"discount\": 500, \"discount_authorised_by\": \"fernanda\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReceipt) amount = pdv_receipt_new_from_payload (payload, "S1", "2026-12-12T23:00:00Z", "ana",
                                                               NULL, NULL, &error);
  PdvReceiptOptions narrow = { PDV_PAPER_58MM, NULL, NULL };
  g_autofree char *percent_text = pdv_receipt_render_text (percent, &narrow);
  g_autofree char *amount_text = pdv_receipt_render_text (amount, NULL);
  g_autofree char *plain_text = pdv_receipt_render_text (plain, NULL);
  g_autoptr(GBytes) escpos = pdv_receipt_render_escpos (percent, &narrow);
  const char *subtotal_row, *discount_row, *total_row;

  g_assert_no_error (error);
  g_assert_true (has_row (percent_text, "Subtotal", "R$ 76,00", 32));
  g_assert_true (has_row (percent_text, "Discount 10%", "-R$ 7,60", 32));
  g_assert_true (has_row (percent_text, "TOTAL", "R$ 68,40", 32));
  g_assert_nonnull (strstr (percent_text, "\n  Aniversário do cliente\n"));
  subtotal_row = strstr (percent_text, "Subtotal");
  discount_row = strstr (percent_text, "Discount 10%");
  total_row = strstr (percent_text, "TOTAL");
  g_assert_true (subtotal_row < discount_row && discount_row < total_row);
  /* Only the total is set in bold. */
  g_assert_true (contains (escpos, "\x1b" "E\x01\x1d!\x01TOTAL"));
  g_assert_false (contains (escpos, "\x1b" "E\x01\x1d!\x01Subtotal"));

  /* An amount: no percentage, no reason. */
  g_assert_true (has_row (amount_text, "Discount", "-R$ 5,00", 48));
  g_assert_true (has_row (amount_text, "Subtotal", "R$ 32,00", 48));
  g_assert_true (has_row (amount_text, "TOTAL", "R$ 27,00", 48));
  g_assert_null (strstr (amount_text, "%"));

  g_assert_null (strstr (plain_text, "Subtotal"));
  g_assert_null (strstr (plain_text, "Discount"));
}

static json_t *
sale_payload (const char *product_name,
              const char *method)
{
  return json_pack ("{s:[{s:s, s:s, s:i, s:i, s:i, s:b}], s:[{s:s, s:i, s:s}], s:i, s:i}",
                    "lines", "product", "X", "name", product_name, "qty", 1, "unit_price", 1000,
                    "total", 1000, "tracked", FALSE,
                    "payments", "method", method, "amount", 1000, "reference", "R1",
                    "total", 1000, "change", 0);
}

static PdvReceipt *
receipt_for (const char *product_name,
             const char *method)
{
  g_autoptr(json_t) payload = sale_payload (product_name, method);
  g_autoptr(GError) error = NULL;
  PdvReceipt *receipt;

  g_assert_nonnull (payload);
  receipt = pdv_receipt_new_from_payload (payload, "S1", "2026-12-12T23:00:00Z", "ana", "Evento", "Bar 1",
                                          &error);
  g_assert_no_error (error);
  return receipt;
}

static void
test_code_page_860 (void)
{
  static const struct {
    const char *name;
    const char *printed;
    const char *shown;   /* on screen; NULL: the name as it is */
  } cases[] = {
    { "Água de Coco", "\x86gua de Coco" },
    { "Pão de Queijo", "P\x84o de Queijo" },
    { "Ação Solidária", "A\x87\x84o Solid\xa0ria" },
    { "ÚLTIMA DOSE", "\x96LTIMA DOSE" },
    { "Caipirinha Nº 1", "Caipirinha N\xa7 1" },
    { "1ª Rodada Grátis", "1\xa6 Rodada Gr\xa0tis" },
    { "Porção à Moda", "Por\x87\x84o \x85 Moda" },
    /* Only the letters Portuguese lacks are spelled in ASCII. */
    { "Crème Brûlée", "Creme Brul\x82" "e" },
    { "Dose de Jägermeister", "Dose de Jagermeister" },
    /* Decomposed accents are composed before they are looked up. */
    { "Pa\xcc\x83o", "P\x84o", "Pão" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdvReceipt) receipt = receipt_for (cases[i].name, "card");
      g_autoptr(GBytes) escpos = pdv_receipt_render_escpos (receipt, NULL);
      g_autofree char *text = pdv_receipt_render_text (receipt, NULL);

      g_test_message ("%s", cases[i].name);
      g_assert_true (contains (escpos, cases[i].printed));
      g_assert_nonnull (strstr (text, cases[i].shown ? cases[i].shown : cases[i].name));
    }
}

static void
test_names_cannot_drive_the_printer (void)
{
  /* A product name that holds a drawer pulse and a cut. */
  g_autoptr(PdvReceipt) receipt = receipt_for ("Cerveja\x1bp\x01\x19\x7f\x1dVB Lata", "card");
  g_autoptr(GBytes) escpos = pdv_receipt_render_escpos (receipt, NULL);
  g_autofree char *text = pdv_receipt_render_text (receipt, NULL);

  g_assert_cmpuint (count_occurrences (escpos, "\x1bp", 2), ==, 0);
  g_assert_cmpuint (count_occurrences (escpos, partial_cut, 3), ==, 1);
  g_assert_null (strchr (text, 0x1b));
  g_assert_null (strchr (text, 0x1d));
}

static void
test_header_and_footer (void)
{
  g_autoptr(PdvReceipt) receipt = receipt_for ("Cerveja", "cash");
  const char * const header[] = { "Bar do Zé", "CNPJ 12.345.678/0001-90", NULL };
  const char * const none[] = { NULL };
  PdvReceiptOptions options = { PDV_PAPER_58MM, header, none };
  g_autofree char *custom = pdv_receipt_render_text (receipt, &options);
  g_autofree char *plain = pdv_receipt_render_text (receipt, NULL);

  g_assert_true (g_str_has_prefix (custom, "           Bar do Zé\n"));
  g_assert_nonnull (strstr (custom, "    CNPJ 12.345.678/0001-90\n"));
  g_assert_null (strstr (custom, "Evento"));
  g_assert_null (strstr (custom, "Thank you!"));
  /* By default: the event's name above, thanks below. */
  g_assert_true (g_str_has_prefix (plain, "                     Evento\n"));
  g_assert_nonnull (strstr (plain, "\n                   Thank you!\n"));
  /* Every receipt, with a footer of its own or not, says what it is not. */
  g_assert_true (g_str_has_suffix (plain, "\n             NOT A FISCAL DOCUMENT\n"));
  g_assert_true (g_str_has_suffix (custom, "\n     NOT A FISCAL DOCUMENT\n"));
}

static void
test_refuses_what_is_not_a_sale (void)
{
  static const char * const payloads[] = {
    "{}",
    "{\"lines\": [], \"payments\": [], \"total\": \"12\"}",
    "{\"lines\": [{\"name\": \"X\", \"qty\": 1, \"unit_price\": 1}], \"payments\": [], \"total\": 1}",
    "{\"lines\": [], \"payments\": [{\"method\": \"cheque\", \"amount\": 1}], \"total\": 1}",
    "{\"lines\": [], \"payments\": [{\"method\": \"card\", \"amount\": 1, \"reference\": 7}], \"total\": 1}",
    "{\"lines\": [], \"payments\": [], \"total\": 1, \"discount\": \"1\"}",
    "{\"lines\": [], \"payments\": [], \"total\": 1, \"discount\": -1}",
    "{\"lines\": [], \"payments\": [], \"total\": 1, \"discount\": 1, \"discount_reason\": 2}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autoptr(json_t) payload = pdv_test_payload (payloads[i]);
      g_autoptr(GError) error = NULL;
      PdvReceipt *receipt = pdv_receipt_new_from_payload (payload, "S1", "2026-12-12T23:00:00Z", NULL, NULL,
                                                          NULL, &error);

      g_assert_null (receipt);
      g_assert_error (error, PDV_RECEIPT_ERROR, PDV_RECEIPT_ERROR_INVALID);
    }
}

static char *
commit_sale (Fixture *f)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pdv_sale_draft_add_line (draft, "CERV-LATA-350", 3);
  pdv_sale_draft_add_line (draft, "SA-AGUA-500", 1);
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, 4200, 10000, NULL);
  result = pdv_sale_commit (f->journal, pdv_context_get_catalog (f->context), draft, "ana", NULL, &error);
  g_assert_no_error (error);
  return g_strdup (result->sale_id);
}

static void
test_from_journal (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *sale_id = commit_sale (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReceipt) receipt = NULL;
  g_autoptr(PdvReceipt) expected = NULL;
  g_autoptr(PdvReceipt) after_void = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *text_after_void = NULL;
  PdvJournalEntry *entry;
  PdvReceipt *missing;

  receipt = pdv_receipt_new_for_sale (f->journal, sale_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pdv_receipt_get_sale_id (receipt), ==, sale_id);
  g_assert_true (pdv_receipt_opens_drawer (receipt));
  g_assert_false (pdv_receipt_is_slip (receipt));
  text = pdv_receipt_render_text (receipt, NULL);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Festival Noite de Verão 2026\n"));
  /* The merchant and its CNPJ, from the event. */
  g_assert_nonnull (strstr (text, "NOITE DE VERAO PRODUCOES\n"));
  g_assert_nonnull (strstr (text, "CNPJ 11.222.333/0001-81\n"));
  g_assert_true (has_row (text, "Terminal", "Bar 1", 48));
  /* The cashier by name, the sale by a number people can read out. */
  g_assert_true (has_row (text, "Operator", "Ana Souza", 48));
  entries = pdv_journal_list (f->journal, pdv_journal_get_last_seq (f->journal) - 1, 1, &error);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->id, ==, sale_id);
  {
    g_autofree char *number = pdv_sale_number ("Bar 1", entry->seq);

    g_assert_true (has_row (text, "Sale", number, 48));
    g_assert_true (g_str_has_prefix (number, "BAR1-0"));
  }
  g_assert_null (strstr (text, sale_id));
  g_assert_true (has_row (text, "TOTAL", "R$ 42,00", 48));
  g_assert_true (has_row (text, "  Tendered", "100,00", 48));
  g_assert_true (has_row (text, "  Change", "58,00", 48));
  /* Then, cut apart, the three cans' fichas (the water has none). */
  {
    const char *slips = strstr (text, "NOT A FISCAL DOCUMENT\n- - -");
    g_auto(GStrv) parts = NULL;

    g_assert_nonnull (slips);
    parts = g_strsplit (slips, "\n                     FICHA\n", -1);
    g_assert_cmpuint (g_strv_length (parts), ==, 4);
    g_assert_null (strstr (slips, "Água"));
    for (guint i = 1; i < 4; i++)
      g_assert_true (g_str_has_prefix (g_strchug (parts[i]), "Cerveja Lata 350 ml\n"));
  }
  /* The event's time (São Paulo, UTC−3), whatever this machine's zone. */
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (entry->created_at, NULL);
    g_autoptr(GTimeZone) sao_paulo = g_time_zone_new_identifier ("America/Sao_Paulo");
    g_autoptr(GDateTime) there = g_date_time_to_timezone (utc, sao_paulo);
    g_autofree char *when = g_date_time_format (there, "%Y-%m-%d %H:%M");
    g_autofree char *day_first = g_date_time_format (there, "%d/%m/%Y %H:%M");
    g_autofree char *time_locale = g_strdup (setlocale (LC_TIME, NULL));
    g_autofree char *br_text = NULL;

    /* ISO 8601 in the C locale; as the terminal's locale writes dates
     * otherwise. */
    g_assert_true (has_row (text, "Date", when, 48));
    g_assert_nonnull (setlocale (LC_TIME, "pt_BR.UTF-8"));
    br_text = pdv_receipt_render_text (receipt, NULL);
    setlocale (LC_TIME, time_locale);
    g_assert_true (has_row (br_text, "Date", day_first, 48));
  }

  /* From the entry's own fields alone: the same sale, with fewer details. */
  expected = pdv_receipt_new_from_payload (entry->payload, entry->id, entry->created_at, entry->user,
                                           "Festival Noite de Verão 2026", "Bar 1", &error);
  g_assert_no_error (error);
  expected_text = pdv_receipt_render_text (expected, NULL);
  g_assert_true (has_row (expected_text, "Sale", sale_id, 48));
  g_assert_true (has_row (expected_text, "Operator", "ana", 48));

  /* A copy after a void says so, with who allowed it and why; the void's
   * own slip lists what went back. */
  g_assert_true (pdv_sale_void (f->journal, sale_id, "ana", "9090", "wrong drink", &error));
  g_assert_no_error (error);
  after_void = pdv_receipt_new_for_sale (f->journal, sale_id, &error);
  g_assert_no_error (error);
  text_after_void = pdv_receipt_render_text (after_void, NULL);
  g_assert_true (has_row (text_after_void, "Voided", "42,00", 48));
  g_assert_nonnull (strstr (text_after_void, "  wrong drink\n"));
  g_assert_true (has_row (text_after_void, "  Authorised by", "Fernanda Lima", 48));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = pdv_journal_list (f->journal, pdv_journal_get_last_seq (f->journal) - 1, 1, &error);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->kind, ==, "sale.void");
  {
    g_autoptr(PdvReceipt) slip = pdv_receipt_new_for_sale (f->journal, entry->id, &error);
    g_autofree char *slip_text = NULL;

    g_assert_no_error (error);
    g_assert_true (pdv_receipt_is_slip (slip));
    g_assert_cmpstr (pdv_receipt_get_sale_id (slip), ==, sale_id);
    /* The drawer opened when the cash went back, journalled with the void. */
    g_assert_false (pdv_receipt_opens_drawer (slip));
    slip_text = pdv_receipt_render_text (slip, NULL);
    g_test_message ("%s", slip_text);
    g_assert_nonnull (strstr (slip_text, "VOID\n"));
    g_assert_nonnull (strstr (slip_text, "Cerveja Lata 350 ml\n"));
    g_assert_true (has_row (slip_text, "Voided", "42,00", 48));
    g_assert_null (strstr (slip_text, "TOTAL"));
  }

  /* Only sales, voids and refunds have receipts. */
  missing = pdv_receipt_new_for_sale (f->journal, "no-such-sale", &error);
  g_assert_null (missing);
  g_assert_error (error, PDV_RECEIPT_ERROR, PDV_RECEIPT_ERROR_UNKNOWN_SALE);
  g_clear_error (&error);
}

/* Runs pdvctl --db DB ARGS…; its output may hold any byte. */
static int
pdvctl (Fixture     *f,
        GBytes     **out,
        char       **err,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("PDVCTL");
  const char *arg;
  va_list args;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_build_filename (f->dir, "terminal.db", NULL));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, out, &err_bytes, &error);
  g_assert_no_error (error);
  *err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  /* A crash or a sanitizer abort must never pass for success. */
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_pdvctl_receipt (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *sale_id = commit_sale (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReceipt) receipt = pdv_receipt_new_for_sale (f->journal, sale_id, &error);
  /* What pdvctl shows or prints of a sale is never the original. */
  PdvReceiptOptions wide = { PDV_PAPER_80MM, NULL, NULL, TRUE };
  PdvReceiptOptions narrow = { PDV_PAPER_58MM, NULL, NULL, TRUE };
  g_autofree char *text_80 = pdv_receipt_render_text (receipt, &wide);
  g_autofree char *text_58 = pdv_receipt_render_text (receipt, &narrow);
  g_autoptr(GBytes) escpos_58 = pdv_receipt_render_escpos (receipt, &narrow);
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;

  g_assert_no_error (error);

  g_assert_cmpint (pdvctl (f, &out, &err, "receipt", sale_id, NULL), ==, 0);
  expected = g_bytes_new_static (text_80, strlen (text_80));
  g_assert_true (g_bytes_equal (out, expected));
  g_assert_nonnull (strstr (text_80, "COPY"));
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&expected, g_bytes_unref);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pdvctl (f, &out, &err, "receipt", sale_id, "--width", "58", NULL), ==, 0);
  expected = g_bytes_new_static (text_58, strlen (text_58));
  g_assert_true (g_bytes_equal (out, expected));
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pdvctl (f, &out, &err, "receipt", sale_id, "--escpos", "--width=58", NULL), ==, 0);
  g_assert_true (g_bytes_equal (out, escpos_58));
  /* Piped to a printer, a copy leaves the drawer shut. */
  g_assert_cmpuint (count_occurrences (out, "\x1bp", 2), ==, 0);
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pdvctl (f, &out, &err, "receipt", "no-such-sale", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "There is no sale no-such-sale on this terminal"));
  g_clear_pointer (&out, g_bytes_unref);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pdvctl (f, &out, &err, "receipt", sale_id, "--width", "76", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "58 or 80"));
}

int
main (int   argc,
      char *argv[])
{
  static const Golden goldens[] = {
    { "cash", PDV_PAPER_58MM, TRUE },
    { "cash", PDV_PAPER_80MM, TRUE },
    { "split", PDV_PAPER_58MM, FALSE },
    { "split", PDV_PAPER_80MM, FALSE },
    { "long-name", PDV_PAPER_58MM, FALSE },
    { "long-name", PDV_PAPER_80MM, FALSE },
    { "discount", PDV_PAPER_58MM, TRUE },
    { "discount", PDV_PAPER_80MM, TRUE },
  };
  g_autoptr(GTimeZone) tz = NULL;

  /* Receipts show local time: pin it, before anything reads it. Brazil has
   * had no daylight saving time since 2019. */
  g_setenv ("TZ", "America/Sao_Paulo", TRUE);
  tz = g_time_zone_new_identifier ("America/Sao_Paulo");
  if (tz == NULL)
    g_error ("the time zone America/Sao_Paulo is missing: install tzdata");

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (goldens); i++)
    {
      g_autofree char *path = g_strdup_printf ("/receipt/golden/%s-%d", goldens[i].name, goldens[i].width);
      g_test_add_data_func (path, &goldens[i], test_golden);
    }
  g_test_add_func ("/receipt/escpos/total-stands-out", test_total_stands_out);
  g_test_add_func ("/receipt/discount", test_discount);
  g_test_add_func ("/receipt/escpos/code-page-860", test_code_page_860);
  g_test_add_func ("/receipt/escpos/names-cannot-drive-the-printer", test_names_cannot_drive_the_printer);
  g_test_add_func ("/receipt/header-and-footer", test_header_and_footer);
  g_test_add_func ("/receipt/refuses-what-is-not-a-sale", test_refuses_what_is_not_a_sale);
  g_test_add ("/receipt/from-journal", Fixture, NULL, fixture_set_up, test_from_journal, fixture_tear_down);
  g_test_add ("/receipt/pdvctl", Fixture, NULL, fixture_set_up, test_pdvctl_receipt, fixture_tear_down);

  return g_test_run ();
}

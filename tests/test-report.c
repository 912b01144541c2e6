/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pdv-csv.h"
#include "pdv-test-util.h"

/* A night at the bar and the door, then its X and Z reports in every form. */

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
  PdvCatalog *catalog;
  PdvDb      *db;
  PdvUser    *manager;
  PdvUser    *cashier;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T21:30:00-03:00", NULL);
  g_autoptr(GDateTime) later = g_date_time_add_hours (night, 1);
  g_autofree char *voided = NULL;
  g_autofree char *refunded = NULL;
  PdvCashCount float_count;
  gboolean with_activity = GPOINTER_TO_INT (data);

  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->journal = pdv_context_get_journal (f->context);
  f->catalog = pdv_context_get_catalog (f->context);
  f->db = pdv_context_get_db (f->context);
  f->manager = pdv_auth_login (f->db, "fernanda", "9090", &error);
  g_assert_no_error (error);
  f->cashier = pdv_auth_login (f->db, "ana", "1111", &error);
  g_assert_no_error (error);
  if (!with_activity)
    return;

  pdv_cash_count_init (&float_count);
  g_assert_true (pdv_cash_count_parse (&float_count, "100x1 20x5 0,50x10", &error));
  g_assert_cmpint (pdv_shift_open (f->journal, f->cashier, NULL, &float_count, &error), ==, 1);

  g_free (pdv_test_sell (f->context, "ana", NULL, "CERV-LATA-350", 6, PDV_PAYMENT_CASH));
  g_free (pdv_test_sell (f->context, "ana", NULL, "DRK-CAIP-LIMAO", 2, PDV_PAYMENT_CARD));
  g_free (pdv_test_sell (f->context, "bruno", NULL, "SA-AGUA-500", 3, PDV_PAYMENT_PIX));
  g_free (pdv_test_sell (f->context, "bruno", "gustavo", "DRK-GIN-TONICA", 1, PDV_PAYMENT_VOUCHER));
  voided = pdv_test_sell (f->context, "ana", NULL, "CERV-LATAO-473", 2, PDV_PAYMENT_CASH);
  refunded = pdv_test_sell (f->context, "bruno", NULL, "DRK-MOSCOW-MULE", 2, PDV_PAYMENT_CARD);
  g_assert_true (pdv_sale_void (f->journal, voided, "ana", "9090", "wrong beer", &error));
  g_assert_true (pdv_sale_refund (f->journal, refunded, 1000, PDV_PAYMENT_CARD, "bruno", "8080", "warm", &error));
  g_assert_true (pdv_shift_drop (f->journal, f->manager, NULL, 5000, "cofre, \"urgente\"", &error));
  g_assert_true (pdv_shift_payin (f->journal, f->manager, NULL, 2000, "troco", &error));
  g_assert_no_error (error);

  checkin = pdv_checkin_new (f->journal);
  pdv_test_set_door_time (checkin, night);
  pdv_checkin_set_gate (checkin, "Portão 1");
  pdv_test_scan_ticket (checkin, "huywXXFbkmSPxXCW3I1JUw");
  pdv_test_scan_ticket (checkin, "2aeDWQLBiYXbwAD8JvF6Bg");
  pdv_test_scan_ticket (checkin, "huywXXFbkmSPxXCW3I1JUw");   /* already inside */
  pdv_test_scan_ticket (checkin, "not-a-ticket");
  pdv_checkin_set_gate (checkin, "Portão 2");
  pdv_test_set_door_time (checkin, later);
  pdv_test_scan_ticket (checkin, "WEa5BN0lIgdIPQmA-vriVQ");
  pdv_test_scan_ticket (checkin, "not-a-ticket-either");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pdv_journal_verify (f->journal, NULL, NULL, &error);
  g_assert_no_error (error);
  pdv_user_free (f->manager);
  pdv_user_free (f->cashier);
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static PdvReport *
close_and_report (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvShiftCloseResult) closed = NULL;
  PdvCashCount count;
  PdvReport *report;

  pdv_cash_count_init (&count);
  g_assert_true (pdv_cash_count_parse (&count, "100x2 50x1 10x3 1x6", &error));
  closed = pdv_shift_close (f->journal, f->manager, NULL, &count, &error);
  g_assert_no_error (error);
  report = pdv_report_new_z (f->db, f->manager, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->z_number, ==, closed->z_number);
  return report;
}

static void
test_contents (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReport) x = pdv_report_new_x (f->db, f->manager, &error);
  g_autoptr(PdvReport) z = NULL;
  g_autofree char *x_text = NULL;
  g_autofree char *z_text = NULL;
  g_autofree char *narrow = NULL;
  PdvMoney beer = pdv_test_price_of (f->catalog, "CERV-LATA-350");
  PdvMoney expected = 10000 + 10000 + 500 + 6 * beer - 5000 + 2000;

  g_assert_no_error (error);
  g_assert_cmpint (x->kind, ==, PDV_REPORT_X);
  g_assert_true (x->shift_open);
  g_assert_cmpint (x->z_number, ==, 1);
  g_assert_cmpint (x->float_amount, ==, 20500);
  g_assert_cmpint (x->expected_cash, ==, expected);
  g_assert_cmpint (x->sales_count, ==, 6);
  g_assert_cmpint (x->voids_count, ==, 1);
  g_assert_cmpint (x->refunds_total, ==, 1000);
  g_assert_cmpint (x->checkin_entries, ==, 3);
  g_assert_cmpint (x->checkin_refusals, ==, 3);
  g_assert_cmpuint (x->checkins_by_gate->len, ==, 2);
  g_assert_cmpuint (x->checkins_by_hour->len, ==, 2);
  g_assert_cmpuint (x->refusals->len, ==, 2);
  g_assert_cmpstr (((PdvReportRow *) g_ptr_array_index (x->refusals, 0))->key, ==, "unknown");
  g_assert_cmpint (((PdvReportRow *) g_ptr_array_index (x->refusals, 0))->count, ==, 2);
  g_assert_cmpuint (x->cash_moves->len, ==, 2);
  g_assert_false (x->counted);

  x_text = pdv_report_render_text (x, PDV_PAPER_80MM);
  g_test_message ("%s", x_text);
  g_assert_nonnull (strstr (x_text, "X report"));
  g_assert_nonnull (strstr (x_text, "Festival Noite de Verão 2026"));
  g_assert_nonnull (strstr (x_text, "Cerveja Lata 350 ml"));
  g_assert_nonnull (strstr (x_text, "Expected in the drawer"));
  g_assert_nonnull (strstr (x_text, "Voids — Fernanda Lima"));
  g_assert_nonnull (strstr (x_text, "Courtesies — Gustavo Araújo"));
  g_assert_nonnull (strstr (x_text, "Portão 2"));
  g_assert_null (strstr (x_text, "Counted"));
  /* Every line fits the paper. */
  {
    g_auto(GStrv) lines = g_strsplit (x_text, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 48);
  }
  narrow = pdv_report_render_text (x, PDV_PAPER_58MM);
  {
    g_auto(GStrv) lines = g_strsplit (narrow, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 32);
  }

  z = close_and_report (f);
  g_assert_cmpint (z->kind, ==, PDV_REPORT_Z);
  g_assert_true (z->counted);
  g_assert_cmpint (z->counted_cash, ==, 20000 + 5000 + 3000 + 600);
  g_assert_cmpint (z->expected_cash, ==, expected);
  g_assert_cmpint (z->difference, ==, 28600 - expected);
  g_assert_nonnull (z->closed_at);
  g_assert_cmpstr (z->closed_by, ==, "Fernanda Lima");
  g_assert_cmpstr (z->opened_by, ==, "Ana Souza");
  z_text = pdv_report_render_text (z, PDV_PAPER_80MM);
  g_test_message ("%s", z_text);
  g_assert_nonnull (strstr (z_text, "Z report no. 1"));
  g_assert_nonnull (strstr (z_text, "Counted"));
  g_assert_nonnull (strstr (z_text, "Closing count"));
  g_assert_nonnull (strstr (z_text, z->difference < 0 ? "Short" : "Over"));

  /* Asked again, a Z is the same; it does not move with the next shift. */
  g_free (pdv_test_sell (f->context, "ana", NULL, "CERV-LATA-350", 1, PDV_PAYMENT_CASH));
  {
    g_autoptr(PdvReport) again = pdv_report_new_z (f->db, f->manager, 1, &error);
    g_autoptr(PdvReport) next = pdv_report_new_x (f->db, f->manager, &error);

    g_assert_no_error (error);
    g_assert_cmpint (again->sales_count, ==, z->sales_count);
    g_assert_cmpint (next->z_number, ==, 2);
    g_assert_cmpint (next->sales_count, ==, 1);
    g_assert_false (next->shift_open);
  }
  g_assert_null (pdv_report_new_z (f->db, f->manager, 2, &error));
  g_assert_error (error, PDV_REPORT_ERROR, PDV_REPORT_ERROR_UNKNOWN_Z);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReport) x = pdv_report_new_x (f->db, f->manager, &error);
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "empty.pdf", NULL);

  g_assert_no_error (error);
  g_assert_null (pdv_report_new_z (f->db, f->manager, 0, &error));
  g_assert_error (error, PDV_REPORT_ERROR, PDV_REPORT_ERROR_UNKNOWN_Z);
  g_clear_error (&error);

  text = pdv_report_render_text (x, PDV_PAPER_58MM);
  g_assert_nonnull (strstr (text, "No shift was opened"));
  csv = pdv_report_render_csv (x, PDV_CSV_RFC4180);
  g_assert_true (g_str_has_prefix (csv, "section,key,label,count,amount,exits,refusals\r\n"));
  g_assert_true (pdv_report_write_pdf (x, PDV_REPORT_PAGE_80MM, pdf, &error));
  g_assert_no_error (error);
  g_assert_false (pdv_report_write_pdf (x, PDV_REPORT_PAGE_A4, "/nonexistent/dir/x.pdf", &error));
  g_assert_error (error, PDV_REPORT_ERROR, PDV_REPORT_ERROR_WRITE);
}

static gboolean
contains (const guint8 *haystack,
          gsize         size,
          const guint8 *needle,
          gsize         length)
{
  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (haystack + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

static void
test_escpos (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReport) x = pdv_report_new_x (f->db, f->manager, &error);
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data_bytes;
  gsize size;
  static const guint8 start[] = { 0x1b, '@', 0x1b, 't', 3 };
  static const guint8 cut[] = { 0x1d, 'V', 66, 0 };
  static const guint8 drawer[] = { 0x1b, 'p' };
  static const guint8 agua[] = { 0x86, 'g', 'u', 'a' };   /* "Água" in code page 860 */

  g_assert_no_error (error);
  bytes = pdv_report_render_escpos (x, PDV_PAPER_80MM);
  data_bytes = g_bytes_get_data (bytes, &size);
  g_assert_cmpmem (data_bytes, sizeof start, start, sizeof start);
  g_assert_cmpmem (data_bytes + size - sizeof cut, sizeof cut, cut, sizeof cut);
  g_assert_false (contains (data_bytes, size, drawer, sizeof drawer));
  g_assert_true (contains (data_bytes, size, agua, sizeof agua));
}

/* Texts a spreadsheet would run as formulas stay texts; amounts, negative
 * ones too, stay numbers. */
static void
test_csv_formulas (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const reasons[] = { "=HYPERLINK(\"http://example.com\",\"x\")", "+1+1", "-cmd", "@SUM(A1)" };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReport) x = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GPtrArray) records = NULL;
  guint guarded = 0;

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    g_assert_true (pdv_shift_drop (f->journal, f->manager, NULL, 100, reasons[i], &error));
  g_assert_no_error (error);
  x = pdv_report_new_x (f->db, f->manager, &error);
  g_assert_no_error (error);
  csv = pdv_report_render_csv (x, PDV_CSV_RFC4180);
  records = pdv_csv_parse (csv, strlen (csv), "x.csv", &error);
  g_assert_no_error (error);
  for (guint r = 1; r < records->len; r++)
    {
      GStrv fields = ((PdvCsvRecord *) g_ptr_array_index (records, r))->fields;

      for (guint c = 0; fields[c] != NULL; c++)
        {
          g_assert_null (strchr ("=+@", fields[c][0] != '\0' ? fields[c][0] : 'x'));
          if (fields[c][0] == '-')
            g_assert_true (g_ascii_isdigit (fields[c][1]));
          if (fields[c][0] == '\'' && strchr ("=+-@", fields[c][1]) != NULL)
            guarded++;
        }
    }
  g_assert_cmpuint (guarded, ==, G_N_ELEMENTS (reasons));
}

/* The documented CSV, read back with the import parser. */
static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  static const char * const header[] = { "section", "key", "label", "count", "amount", "exits", "refusals", NULL };
  static const char * const sections[] = { "report", "totals", "payments", "cash", "float_count", "closing_count",
                                           "cash_moves", "products", "hours", "operators", "corrections",
                                           "checkins_by_hour", "checkins_by_gate", "refusals", "fichas",
                                           "fichas_served", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReport) z = close_and_report (f);
  g_autofree char *csv = pdv_report_render_csv (z, PDV_CSV_RFC4180);
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *sales_amount = pdv_money_format_plain (z->sales_total);
  g_autofree char *text = pdv_report_render_text (z, PDV_PAPER_80MM);
  gboolean seen_sales = FALSE, seen_reason = FALSE, seen_gate = FALSE, seen_counted = FALSE;
  guint products = 0;
  guint titles_seen = 0;

  g_assert_true (g_utf8_validate (csv, -1, NULL));
  records = pdv_csv_parse (csv, strlen (csv), "z.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, >, 30);
  g_assert_cmpstrv (((PdvCsvRecord *) g_ptr_array_index (records, 0))->fields, header);

  for (guint i = 1; i < records->len; i++)
    {
      PdvCsvRecord *record = g_ptr_array_index (records, i);
      GStrv fields = record->fields;

      g_assert_cmpuint (g_strv_length (fields), ==, 7);
      g_assert_true (g_strv_contains (sections, fields[0]));
      if (g_str_equal (fields[0], "totals") && g_str_equal (fields[1], "sales"))
        {
          g_assert_cmpstr (fields[3], ==, "6");
          g_assert_cmpstr (fields[4], ==, sales_amount);
          seen_sales = TRUE;
        }
      if (g_str_equal (fields[0], "cash_moves") && g_str_equal (fields[1], "drop"))
        {
          g_assert_cmpstr (fields[2], ==, "cofre, \"urgente\" (Fernanda Lima)");
          g_assert_cmpstr (fields[4], ==, "50.00");
          seen_reason = TRUE;
        }
      if (g_str_equal (fields[0], "checkins_by_gate") && g_str_equal (fields[1], "Portão 1"))
        {
          g_assert_cmpstr (fields[3], ==, "2");
          g_assert_cmpstr (fields[5], ==, "0");
          g_assert_cmpstr (fields[6], ==, "2");
          seen_gate = TRUE;
        }
      if (g_str_equal (fields[0], "cash") && g_str_equal (fields[1], "counted"))
        {
          g_assert_cmpstr (fields[4], ==, "286.00");
          seen_counted = TRUE;
        }
      if (g_str_equal (fields[0], "products"))
        products++;
      if (g_str_equal (fields[0], "report") && g_str_equal (fields[1], "kind"))
        g_assert_cmpstr (fields[2], ==, "Z");
      /* Titles and names as on paper and on screen, from the one list. */
      if (g_str_equal (fields[0], "report") && g_str_has_prefix (fields[1], "section:"))
        {
          PdvReportSection section = titles_seen++;

          g_assert_cmpstr (fields[1] + strlen ("section:"), ==, pdv_report_section_key (section));
          g_assert_cmpstr (fields[2], ==, pdv_report_section_title (section));
          /* No counter served here (/sync/fichas has one). */
          if (section != PDV_REPORT_SECTION_SUMMARY && section != PDV_REPORT_SECTION_FICHAS_SERVED)
            g_assert_nonnull (strstr (text, fields[2]));
        }
      if (g_str_equal (fields[0], "cash") && g_str_equal (fields[1], "expected"))
        g_assert_cmpstr (fields[2], ==, pdv_report_label (PDV_REPORT_LABEL_EXPECTED_CASH));
    }
  g_assert_cmpuint (titles_seen, ==, PDV_N_REPORT_SECTIONS);
  g_assert_nonnull (strstr (text, pdv_report_label (PDV_REPORT_LABEL_EXPECTED_CASH)));
  g_assert_true (seen_sales);
  g_assert_true (seen_reason);
  g_assert_true (seen_gate);
  g_assert_true (seen_counted);
  g_assert_cmpuint (products, ==, z->products->len);
}

/* Ink on the page: some, and not everywhere. */
static void
assert_not_blank (const char *png,
                  double      min_height_ratio)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (png);
  int width, height, stride;
  const guint8 *pixels;
  gsize dark = 0;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  stride = cairo_image_surface_get_stride (image);
  pixels = cairo_image_surface_get_data (image);
  g_assert_cmpfloat ((double) height / width, >=, min_height_ratio);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel = *(const guint32 *) (pixels + y * stride + x * 4);
        guint lum = ((pixel >> 16) & 0xff) + ((pixel >> 8) & 0xff) + (pixel & 0xff);

        if (lum < 3 * 128)
          dark++;
      }
  g_test_message ("%s: %dx%d, %.2f%% ink", png, width, height, 100.0 * dark / ((gsize) width * height));
  g_assert_cmpuint (dark, >, (gsize) width * height / 200);
  g_assert_cmpuint (dark, <, (gsize) width * height / 3);
  cairo_surface_destroy (image);
}

static void
render_pdf (PdvReport     *report,
            PdvReportPage  page,
            const char    *dir,
            const char    *name,
            double         min_height_ratio)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", dir, name);
  g_autofree char *prefix = g_strdup_printf ("%s/%s", dir, name);
  g_autofree char *png = g_strdup_printf ("%s/%s.png", dir, name);
  g_autofree char *pdftoppm = g_find_program_in_path ("pdftoppm");
  const char *argv[] = { pdftoppm, "-png", "-r", "96", "-singlefile", pdf, prefix, NULL };
  int status = -1;

  g_assert_true (pdv_report_write_pdf (report, page, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  if (pdftoppm == NULL)
    {
      g_test_skip ("pdftoppm (poppler-utils) is not installed");
      return;
    }
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  assert_not_blank (png, min_height_ratio);
}

static void
test_pdf (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvReport) x = pdv_report_new_x (f->db, f->manager, &error);
  g_autoptr(PdvReport) z = NULL;
  /* Set PDV_TEST_ARTEFACTS to keep the PDFs and PNGs for looking at. */
  const char *dir = g_getenv ("PDV_TEST_ARTEFACTS") ? g_getenv ("PDV_TEST_ARTEFACTS") : f->dir;

  g_assert_no_error (error);
  g_mkdir_with_parents (dir, 0755);
  render_pdf (x, PDV_REPORT_PAGE_A4, dir, "x-a4", 1.3);
  render_pdf (x, PDV_REPORT_PAGE_80MM, dir, "x-80mm", 2.0);
  z = close_and_report (f);
  render_pdf (z, PDV_REPORT_PAGE_A4, dir, "z-a4", 1.3);
  render_pdf (z, PDV_REPORT_PAGE_80MM, dir, "z-80mm", 2.0);
}

static void
run_pdvctl (const char *db,
            int         expected_status,
            PdvTestRun *run,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list list;

  va_start (list, run);
  while ((arg = va_arg (list, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (list);
  g_ptr_array_add (args, NULL);
  pdv_test_run_clear (run);
  pdv_test_pdvctl (db, NULL, run, (const char * const *) args->pdata);
  if (run->status != expected_status)
    g_error ("pdvctl %s: status %d\n%s%s", (const char *) args->pdata[0], run->status, run->out, run->err);
}

/* The shell's way through a shift: open, sell, X, close, Z as PDF and CSV. */
static void
test_pdvctl (void)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "terminal.db", NULL);
  g_autofree char *pdf = g_build_filename (dir, "z.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(PdvTestRun) run = { 0 };
  gboolean seen_sales = FALSE;
  json_t *body;

  run_pdvctl (db, 0, &run, "init", "--demo", NULL);
  run_pdvctl (db, 0, &run, "shift", "open", "--float", "100x1 0,25x4", "--pin", "1111", NULL);
  run_pdvctl (db, 1, &run, "shift", "open", "--amount", "50", "--pin", "1111", NULL);
  g_assert_nonnull (strstr (run.err, "already open"));
  run_pdvctl (db, 0, &run, "sell", "CERV-LATA-350x2", "--pay", "cash", "--user", "ana", NULL);
  run_pdvctl (db, 1, &run, "shift", "drop", "10", "--reason", "cofre", "--pin", "1111", NULL);
  run_pdvctl (db, 0, &run, "shift", "drop", "10", "--reason", "cofre", "--user", "ana", "--pin", "1111",
              "--manager-pin", "9090", NULL);
  run_pdvctl (db, 1, &run, "report", "x", "--pin", "1111", NULL);
  run_pdvctl (db, 0, &run, "report", "x", "--pin", "9090", "--csv", "-", NULL);
  records = pdv_csv_parse (run.out, strlen (run.out), "x.csv", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      GStrv fields = ((PdvCsvRecord *) g_ptr_array_index (records, i))->fields;
      if (g_str_equal (fields[0], "totals") && g_str_equal (fields[1], "sales"))
        {
          g_assert_cmpstr (fields[3], ==, "1");
          g_assert_cmpstr (fields[4], ==, "24.00");
          seen_sales = TRUE;
        }
    }
  g_assert_true (seen_sales);

  /* R$ 101 of float, R$ 24 of beer, R$ 10 taken out. */
  run_pdvctl (db, 0, &run, "--json", "shift", "close", "--amount", "115", "--user", "ana", "--pin", "1111", NULL);
  body = json_loads (run.out, 0, NULL);
  g_assert_nonnull (body);
  g_assert_cmpint (json_integer_value (json_object_get (body, "z_number")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (body, "expected")), ==, 11500);
  g_assert_cmpint (json_integer_value (json_object_get (body, "difference")), ==, 0);
  json_decref (body);

  run_pdvctl (db, 0, &run, "report", "z", "1", "--pin", "9090", "--pdf", pdf, "--pdf-width", "80mm", NULL);
  g_assert_nonnull (strstr (run.out, "Z report no. 1"));
  g_assert_true (g_file_get_contents (pdf, &contents, NULL, &error));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  run_pdvctl (db, 1, &run, "report", "z", "2", "--pin", "9090", NULL);
  run_pdvctl (db, 0, &run, "verify", NULL);
  pdv_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, busy, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (busy), fixture_set_up, func, fixture_tear_down)
  ADD ("/report/contents", TRUE, test_contents);
  ADD ("/report/empty", FALSE, test_empty);
  ADD ("/report/escpos", TRUE, test_escpos);
  ADD ("/report/csv", TRUE, test_csv);
  ADD ("/report/csv-formulas", TRUE, test_csv_formulas);
  ADD ("/report/pdf", TRUE, test_pdf);
#undef ADD
  g_test_add_func ("/report/pdvctl", test_pdvctl);

  return g_test_run ();
}

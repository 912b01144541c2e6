/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-csv.h"
#include "pdv-escpos.h"
#include "pdv-report-doc.h"

/* What a report shows, in order, and how it reads as text, ESC/POS and CSV
 * (PDF is in pdv-report-pdf.c). */

/* Paper and PDF are Brazilian documents; the screen speaks the terminal's
 * locale. */
static char *
money (PdvReportDocStyle style,
       PdvMoney          cents)
{
  if (style == PDV_REPORT_DOC_SCREEN)
    {
      g_autofree char *text = pdv_money_format (cents);

      /* A real minus sign. */
      if (text[0] == '-')
        return g_strconcat ("−", text + 1, NULL);
      return g_steal_pointer (&text);
    }
  return pdv_money_format_brazilian (cents, FALSE);
}

static char *
count_text (gint64 count)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

static char *
when_text (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;
  local = g_date_time_to_local (time);
  /* A Brazilian document: day first, whatever the terminal's locale. */
  return g_date_time_format (local, "%d/%m/%Y %H:%M");
}

static void
doc_row_free (PdvReportDocRow *row)
{
  g_strfreev (row->cells);
  g_free (row);
}

static void
doc_section_free (PdvReportDocSection *section)
{
  g_free (section->title);
  g_strfreev (section->headings);
  g_ptr_array_unref (section->rows);
  g_free (section);
}

void
pdv_report_doc_free (PdvReportDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->heading);
  g_free (doc->title);
  g_ptr_array_unref (doc->sections);
  g_free (doc);
}

static PdvReportDocSection *
add_section (PdvReportDoc     *doc,
             PdvReportSection  key,
             gboolean          pairs,
             const char       *first_heading,
             ...)
{
  PdvReportDocSection *section = g_new0 (PdvReportDocSection, 1);

  section->section = key;
  section->style = doc->style;
  section->title = key == PDV_REPORT_SECTION_SUMMARY ? NULL : g_strdup (pdv_report_section_title (key));
  section->pairs = pairs;
  section->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_row_free);
  if (first_heading != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      va_list args;

      va_start (args, first_heading);
      for (const char *h = first_heading; h != NULL; h = va_arg (args, const char *))
        g_strv_builder_add (builder, h);
      va_end (args);
      section->headings = g_strv_builder_end (builder);
    }
  g_ptr_array_add (doc->sections, section);
  return section;
}

/* Adds a row; takes the cells, which end with NULL. */
static void
add_cells (PdvReportDocSection *section,
           guint                indent,
           gboolean             bold,
           char                *first,
           ...)
{
  PdvReportDocRow *row = g_new0 (PdvReportDocRow, 1);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (cells, first ? first : g_strdup (""));
  va_start (args, first);
  for (guint i = 0; section->headings && i < g_strv_length (section->headings); i++)
    {
      char *cell = va_arg (args, char *);
      g_ptr_array_add (cells, cell ? cell : g_strdup (""));
    }
  va_end (args);
  if (section->pairs)
    {
      va_start (args, first);
      {
        char *value = va_arg (args, char *);
        g_ptr_array_add (cells, value ? value : g_strdup (""));
      }
      va_end (args);
    }
  g_ptr_array_add (cells, NULL);
  row->cells = (GStrv) g_ptr_array_free (g_steal_pointer (&cells), FALSE);
  row->indent = indent;
  row->bold = bold;
  row->method = -1;
  g_ptr_array_add (section->rows, row);
}

static PdvReportDocRow *
last_row (PdvReportDocSection *section)
{
  return g_ptr_array_index (section->rows, section->rows->len - 1);
}

static void
add_pair (PdvReportDocSection *section,
          const char          *label,
          const char          *value)
{
  if (value != NULL)
    add_cells (section, 0, FALSE, g_strdup (label), g_strdup (value));
}

static void
add_money_row (PdvReportDocSection *section,
               guint                indent,
               gboolean             bold,
               const char          *label,
               gint64               count,
               gboolean             with_count,
               PdvMoney             amount)
{
  add_cells (section, indent, bold, g_strdup (label), with_count ? count_text (count) : NULL,
             money (section->style, amount));
}

static void
add_rows (PdvReportDocSection *section,
          GPtrArray           *rows,
          gboolean             with_count)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (rows, i);
      add_money_row (section, 0, FALSE, row->label, row->count, with_count, row->amount);
    }
}

static void
add_checkin_rows (PdvReportDocSection *section,
                  GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportCheckins *row = g_ptr_array_index (rows, i);
      add_cells (section, 0, FALSE, g_strdup (row->label), count_text (row->entries), count_text (row->exits),
                 count_text (row->refusals));
    }
}

/**
 * pdv_report_difference_tone:
 *
 * How the drawer's count went: exact, a difference within the tolerance, or
 * one a manager had to accept (beyond it).
 */
PdvReportTone
pdv_report_difference_tone (const PdvReport *report)
{
  if (report->difference == 0)
    return PDV_REPORT_TONE_GOOD;
  return report->difference_authorised_by != NULL ? PDV_REPORT_TONE_BAD : PDV_REPORT_TONE_WARNING;
}

/**
 * pdv_report_doc_new:
 *
 * Every section of @report, in the order every rendering shows them.
 * Sections with nothing to say are left out.
 */
PdvReportDoc *
pdv_report_doc_new (const PdvReport   *report,
                    PdvReportDocStyle  style)
{
  PdvReportDoc *doc = g_new0 (PdvReportDoc, 1);
  PdvReportDocSection *section;
  const char *qty = pdv_report_column_heading (PDV_REPORT_COLUMN_QTY);
  const char *amount = pdv_report_column_heading (PDV_REPORT_COLUMN_AMOUNT);

  doc->style = style;
  doc->heading = g_strdup (report->event_name);
  doc->title = g_strdup (report->title);
  doc->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_section_free);

  section = add_section (doc, PDV_REPORT_SECTION_SUMMARY, TRUE, NULL);
  {
    g_autofree char *opened = when_text (report->opened_at);
    g_autofree char *closed = when_text (report->closed_at);
    g_autofree char *printed = when_text (report->generated_at);
    g_autofree char *seqs = g_strdup_printf ("%lld–%lld", (long long) report->first_seq,
                                             (long long) report->last_seq);

    add_pair (section, pdv_report_label (PDV_REPORT_LABEL_TERMINAL), report->terminal_name);
    if (opened != NULL)
      {
        add_pair (section, pdv_report_label (PDV_REPORT_LABEL_SHIFT_OPENED), opened);
        add_pair (section, pdv_report_label (PDV_REPORT_LABEL_OPENED_BY), report->opened_by);
      }
    else
      add_pair (section, pdv_report_label (PDV_REPORT_LABEL_SHIFT_OPENED), pdv_report_label (PDV_REPORT_LABEL_NO_SHIFT));
    if (report->kind == PDV_REPORT_X)
      add_pair (section, pdv_report_label (PDV_REPORT_LABEL_SHIFT), report->shift_open ? _("Open") : _("Not open"));
    add_pair (section, pdv_report_label (PDV_REPORT_LABEL_SHIFT_CLOSED), closed);
    add_pair (section, pdv_report_label (PDV_REPORT_LABEL_CLOSED_BY), report->closed_by);
    if (report->last_seq > 0)
      add_pair (section, pdv_report_label (PDV_REPORT_LABEL_JOURNAL_ENTRIES), seqs);
    add_pair (section, pdv_report_label (PDV_REPORT_LABEL_GENERATED), printed);
  }

  section = add_section (doc, PDV_REPORT_SECTION_SALES, FALSE, qty, amount, NULL);
  add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_SALES), report->sales_count, TRUE, report->sales_total);
  add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_VOIDS), report->voids_count, TRUE, -report->voids_total);
  add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_REFUNDS), report->refunds_count, TRUE, -report->refunds_total);
  add_money_row (section, 0, TRUE, pdv_report_label (PDV_REPORT_LABEL_NET_SALES), 0, FALSE, report->net_total);
  if (report->discounts_count > 0)
    add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_DISCOUNTS_GIVEN), report->discounts_count, TRUE,
                   report->discounts_total);

  section = add_section (doc, PDV_REPORT_SECTION_PAYMENTS, FALSE, qty, amount, NULL);
  for (int i = 0; i <= PDV_PAYMENT_VOUCHER; i++)
    {
      const PdvReportPayment *payment = &report->payments[i];

      add_money_row (section, 0, FALSE, pdv_payment_method_label (payment->method), payment->sales_count, TRUE,
                     payment->sales_amount);
      last_row (section)->method = payment->method;
      /* The card's total, then how much of it was debit and credit. */
      if (payment->method == PDV_PAYMENT_CARD)
        for (int c = PDV_CARD_DEBIT; c <= PDV_CARD_CREDIT; c++)
          if (report->cards[c].sales_count > 0)
            add_money_row (section, 1, FALSE, pdv_card_kind_label ((PdvCardKind) c), report->cards[c].sales_count,
                           TRUE, report->cards[c].sales_amount);
      if (payment->voids_count > 0)
        add_money_row (section, 1, FALSE, pdv_report_label (PDV_REPORT_LABEL_VOIDED), payment->voids_count, TRUE, -payment->voids_amount);
      if (payment->refunds_count > 0)
        add_money_row (section, 1, FALSE, pdv_report_label (PDV_REPORT_LABEL_REFUNDED), payment->refunds_count, TRUE, -payment->refunds_amount);
    }

  section = add_section (doc, PDV_REPORT_SECTION_DRAWER, FALSE, qty, amount, NULL);
  add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_FLOAT), 0, FALSE, report->float_amount);
  add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_CASH_SALES), report->payments[PDV_PAYMENT_CASH].sales_count, TRUE,
                 report->cash_sales);
  add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_CASH_RETURNED),
                 report->payments[PDV_PAYMENT_CASH].voids_count + report->payments[PDV_PAYMENT_CASH].refunds_count,
                 TRUE, -report->cash_returned);
  add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_DROPS), report->drops_count, TRUE, -report->drops_total);
  add_money_row (section, 0, FALSE, pdv_report_label (PDV_REPORT_LABEL_PAYINS), report->payins_count, TRUE, report->payins_total);
  add_money_row (section, 0, TRUE, pdv_report_label (PDV_REPORT_LABEL_EXPECTED_CASH), 0, FALSE, report->expected_cash);
  if (report->counted)
    {
      add_money_row (section, 0, TRUE, pdv_report_label (PDV_REPORT_LABEL_COUNTED), 0, FALSE, report->counted_cash);
      add_money_row (section, 0, TRUE, pdv_report_difference_label (report->difference), 0, FALSE,
                     report->difference);
      last_row (section)->tone = pdv_report_difference_tone (report);
      if (report->difference_authorised_by != NULL)
        add_cells (section, 0, FALSE, g_strdup_printf (_("Difference authorised by %s"),
                                                       report->difference_authorised_by), NULL, NULL);
    }

  if (report->cash_moves->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_CASH_MOVES, FALSE, qty, amount, NULL);
      for (guint i = 0; i < report->cash_moves->len; i++)
        {
          PdvReportRow *row = g_ptr_array_index (report->cash_moves, i);
          g_autofree char *label = g_strdup_printf ("%s: %s", pdv_report_label (g_str_equal (row->key, "drop")
                                                                                              ? PDV_REPORT_LABEL_DROP
                                                                                              : PDV_REPORT_LABEL_PAYIN),
                                                    row->label);
          add_money_row (section, 0, FALSE, label, 0, FALSE,
                         g_str_equal (row->key, "drop") ? -row->amount : row->amount);
        }
    }

  if (report->float_count->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_FLOAT_COUNT, FALSE, qty, amount, NULL);
      for (guint i = 0; i < report->float_count->len; i++)
        {
          PdvReportRow *row = g_ptr_array_index (report->float_count, i);
          if (row->amount != 0)
            add_money_row (section, 0, FALSE, row->label, row->count, row->count > 0, row->amount);
        }
    }
  if (report->closing_count->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_CLOSING_COUNT, FALSE, qty, amount, NULL);
      for (guint i = 0; i < report->closing_count->len; i++)
        {
          PdvReportRow *row = g_ptr_array_index (report->closing_count, i);
          if (row->amount != 0)
            add_money_row (section, 0, FALSE, row->label, row->count, row->count > 0, row->amount);
        }
      add_money_row (section, 0, TRUE, pdv_report_label (PDV_REPORT_LABEL_TOTAL), 0, FALSE, report->counted_cash);
    }

  if (report->products->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_PRODUCTS, FALSE, qty, amount, NULL);
      add_rows (section, report->products, TRUE);
    }
  if (report->hours->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_HOURS, FALSE, qty, amount, NULL);
      add_rows (section, report->hours, TRUE);
    }
  if (report->operators->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_OPERATORS, FALSE, qty, amount, NULL);
      add_rows (section, report->operators, TRUE);
    }
  if (report->corrections->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_CORRECTIONS, FALSE, qty, amount, NULL);
      for (guint i = 0; i < report->corrections->len; i++)
        {
          PdvReportRow *row = g_ptr_array_index (report->corrections, i);
          /* Translators: "Voids — Fernanda Lima": what, and who authorised it */
          g_autofree char *label = g_strdup_printf (_("%s — %s"), pdv_report_correction_label (row->key), row->label);
          add_money_row (section, 0, FALSE, label, row->count, TRUE, row->amount);
        }
    }

  if (report->checkins_by_hour->len > 0)
    {
      const char *in = pdv_report_column_heading (PDV_REPORT_COLUMN_IN);
      const char *out = pdv_report_column_heading (PDV_REPORT_COLUMN_OUT);
      const char *refused = pdv_report_column_heading (PDV_REPORT_COLUMN_REFUSED);

      section = add_section (doc, PDV_REPORT_SECTION_CHECKINS_BY_HOUR, FALSE, in, out, refused, NULL);
      add_checkin_rows (section, report->checkins_by_hour);
      add_cells (section, 0, TRUE, g_strdup (pdv_report_label (PDV_REPORT_LABEL_TOTAL)), count_text (report->checkin_entries),
                 count_text (report->checkin_exits), count_text (report->checkin_refusals));
      section = add_section (doc, PDV_REPORT_SECTION_CHECKINS_BY_GATE, FALSE, in, out, refused, NULL);
      add_checkin_rows (section, report->checkins_by_gate);
    }
  if (report->refusals->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_REFUSALS, FALSE, qty, NULL);
      for (guint i = 0; i < report->refusals->len; i++)
        {
          PdvReportRow *row = g_ptr_array_index (report->refusals, i);
          add_cells (section, 0, FALSE, g_strdup (row->label), count_text (row->count));
        }
    }
  return doc;
}

/* Text and ESC/POS. */

static PdvPrintLayout *
layout_report (PdvReport     *report,
               PdvPaperWidth  width,
               gboolean       for_printer)
{
  g_autoptr(PdvReportDoc) doc = pdv_report_doc_new (report, PDV_REPORT_DOC_PAPER);
  PdvPrintLayout *layout = pdv_print_layout_new (pdv_paper_width_get_columns (width), for_printer);

  if (doc->heading != NULL)
    pdv_print_layout_add_text (layout, doc->heading, 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
  pdv_print_layout_add_text (layout, doc->title, 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
  pdv_print_layout_add_rule (layout, '=');

  for (guint s = 0; s < doc->sections->len; s++)
    {
      PdvReportDocSection *section = g_ptr_array_index (doc->sections, s);
      guint columns = section->headings ? g_strv_length (section->headings) : 0;

      if (s > 0)
        pdv_print_layout_add_rule (layout, '-');
      if (section->title != NULL)
        {
          if (columns == 2)
            pdv_print_layout_add_row (layout, 0, section->title, section->headings[0], section->headings[1], TRUE);
          else if (columns == 1)
            pdv_print_layout_add_row (layout, 0, section->title, section->headings[0], NULL, TRUE);
          else
            {
              g_autofree char *headings = section->headings ? g_strjoinv (" / ", section->headings) : NULL;
              pdv_print_layout_add_pair (layout, 0, section->title, headings, TRUE, FALSE);
            }
        }
      for (guint r = 0; r < section->rows->len; r++)
        {
          PdvReportDocRow *row = g_ptr_array_index (section->rows, r);
          guint indent = row->indent * 2;

          if (section->pairs)
            pdv_print_layout_add_pair (layout, indent, row->cells[0], row->cells[1], row->bold, FALSE);
          else if (columns == 2)
            pdv_print_layout_add_row (layout, indent, row->cells[0], row->cells[1], row->cells[2], row->bold);
          else if (columns == 1)
            pdv_print_layout_add_row (layout, indent, row->cells[0], row->cells[1], NULL, row->bold);
          else
            {
              g_autofree char *figures = g_strjoinv (" / ", row->cells + 1);
              pdv_print_layout_add_pair (layout, indent, row->cells[0], figures, row->bold, FALSE);
            }
        }
    }
  pdv_print_layout_add_rule (layout, '=');
  return layout;
}

/**
 * pdv_report_render_text:
 * @width: the paper the columns are counted for
 *
 * Returns: (transfer full): the report as UTF-8 text, as it prints
 */
char *
pdv_report_render_text (PdvReport     *report,
                        PdvPaperWidth  width)
{
  g_autoptr(PdvPrintLayout) layout = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  layout = layout_report (report, width, FALSE);
  return pdv_print_layout_render_text (layout);
}

/**
 * pdv_report_render_escpos:
 *
 * Returns: (transfer full): the report as ESC/POS commands for a thermal
 *   printer; the drawer stays shut
 */
GBytes *
pdv_report_render_escpos (PdvReport     *report,
                          PdvPaperWidth  width)
{
  g_autoptr(PdvPrintLayout) layout = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  layout = layout_report (report, width, TRUE);
  return pdv_print_layout_render_escpos (layout, FALSE);
}

/* CSV. */

#define CSV_COLUMNS 7

/* One record of exactly CSV_COLUMNS fields; NULL-terminated values. */
static void
csv_record (GString    *out,
            const char *first,
            ...)
{
  va_list args;
  const char *value = first;
  guint n = 0;

  va_start (args, first);
  for (; n < CSV_COLUMNS; n++)
    {
      if (n > 0)
        g_string_append_c (out, ',');
      pdv_csv_append_field (out, value);
      if (value != NULL)
        value = va_arg (args, const char *);
    }
  va_end (args);
  g_string_append (out, "\r\n");
}

static void
csv_rows (GString          *out,
          PdvReportSection  section,
          GPtrArray        *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (rows, i);
      g_autofree char *count = count_text (row->count);
      g_autofree char *amount = pdv_money_format_plain (row->amount);

      csv_record (out, pdv_report_section_key (section), row->key, row->label, count, amount, NULL);
    }
}

static void
csv_value (GString    *out,
           const char *key,
           const char *value)
{
  csv_record (out, pdv_report_section_key (PDV_REPORT_SECTION_SUMMARY), key, value ? value : "", NULL);
}

static void
csv_time (GString    *out,
          const char *key,
          GDateTime  *time)
{
  g_autofree char *text = time ? g_date_time_format_iso8601 (time) : NULL;

  csv_value (out, key, text);
}

static void
csv_money (GString          *out,
           PdvReportSection  section,
           const char       *key,
           const char       *label,
           gint64            count,
           PdvMoney          amount)
{
  g_autofree char *count_str = count_text (count);
  g_autofree char *amount_str = pdv_money_format_plain (amount);

  csv_record (out, pdv_report_section_key (section), key, label, count_str, amount_str, NULL);
}

static void
csv_checkins (GString          *out,
              PdvReportSection  section,
              GPtrArray        *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportCheckins *row = g_ptr_array_index (rows, i);
      g_autofree char *entries = count_text (row->entries);
      g_autofree char *exits = count_text (row->exits);
      g_autofree char *refusals = count_text (row->refusals);

      csv_record (out, pdv_report_section_key (section), row->key, row->label, entries, "", exits, refusals, NULL);
    }
}

/**
 * pdv_report_render_csv:
 *
 * The report as CSV (RFC 4180: comma-separated, CRLF line ends, fields with
 * commas, quotes or line breaks quoted; UTF-8). Every record has seven
 * fields: section,key,label,count,amount,exits,refusals. The first record is
 * that header; then one section per table, each record naming its section:
 * report (key: field, label: value; "section:KEY" records give each
 * section's title, as on screen and paper), totals, payments, cash, float_count,
 * closing_count, cash_moves, products, hours, operators, corrections,
 * checkins_by_hour, checkins_by_gate, refusals. Amounts are reais with a dot
 * ("-1234.56"); counts are integers; times are ISO 8601 and hour keys are
 * in UTC. Check-in sections put entries in count, and exits and refusals in
 * the last two fields; other sections leave those empty. Labels are those
 * of the printed report, in the terminal's language.
 *
 * Returns: (transfer full): the CSV text
 */
char *
pdv_report_render_csv (PdvReport *report)
{
  GString *out = g_string_new (NULL);
  g_autofree char *z = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  z = g_strdup_printf ("%lld", (long long) report->z_number);
  csv_record (out, "section", "key", "label", "count", "amount", "exits", "refusals", NULL);

  csv_value (out, "kind", report->kind == PDV_REPORT_X ? "X" : "Z");
  csv_value (out, "title", report->title);
  csv_value (out, "z_number", z);
  csv_value (out, "terminal_id", report->terminal_id);
  csv_value (out, "terminal_name", report->terminal_name);
  csv_value (out, "event_name", report->event_name);
  csv_time (out, "generated_at", report->generated_at);
  csv_time (out, "opened_at", report->opened_at);
  csv_value (out, "opened_by", report->opened_by);
  csv_time (out, "closed_at", report->closed_at);
  csv_value (out, "closed_by", report->closed_by);
  csv_value (out, "shift_open", report->shift_open ? "true" : "false");
  for (PdvReportSection section = 0; section < PDV_N_REPORT_SECTIONS; section++)
    {
      g_autofree char *key = g_strconcat ("section:", pdv_report_section_key (section), NULL);

      csv_value (out, key, pdv_report_section_title (section));
    }

  csv_money (out, PDV_REPORT_SECTION_SALES, "sales", pdv_report_label (PDV_REPORT_LABEL_SALES),
             report->sales_count, report->sales_total);
  csv_money (out, PDV_REPORT_SECTION_SALES, "voids", pdv_report_label (PDV_REPORT_LABEL_VOIDS),
             report->voids_count, report->voids_total);
  csv_money (out, PDV_REPORT_SECTION_SALES, "refunds", pdv_report_label (PDV_REPORT_LABEL_REFUNDS),
             report->refunds_count, report->refunds_total);
  csv_money (out, PDV_REPORT_SECTION_SALES, "discounts", pdv_report_label (PDV_REPORT_LABEL_DISCOUNTS_GIVEN),
             report->discounts_count, report->discounts_total);
  csv_money (out, PDV_REPORT_SECTION_SALES, "net", pdv_report_label (PDV_REPORT_LABEL_NET_SALES), 0,
             report->net_total);

  for (int i = 0; i <= PDV_PAYMENT_VOUCHER; i++)
    {
      PdvReportPayment *payment = &report->payments[i];
      const char *method = pdv_payment_method_to_string (payment->method);
      g_autofree char *sales = g_strconcat (method, ":sales", NULL);
      g_autofree char *voids = g_strconcat (method, ":voids", NULL);
      g_autofree char *refunds = g_strconcat (method, ":refunds", NULL);

      const char *label = pdv_payment_method_label (payment->method);

      csv_money (out, PDV_REPORT_SECTION_PAYMENTS, sales, label, payment->sales_count, payment->sales_amount);
      csv_money (out, PDV_REPORT_SECTION_PAYMENTS, voids, pdv_report_label (PDV_REPORT_LABEL_VOIDED),
                 payment->voids_count, payment->voids_amount);
      csv_money (out, PDV_REPORT_SECTION_PAYMENTS, refunds, pdv_report_label (PDV_REPORT_LABEL_REFUNDED),
                 payment->refunds_count, payment->refunds_amount);
    }
  for (int c = PDV_CARD_DEBIT; c <= PDV_CARD_CREDIT; c++)
    {
      g_autofree char *sales = g_strconcat ("card.", pdv_card_kind_to_string ((PdvCardKind) c), ":sales", NULL);

      csv_money (out, PDV_REPORT_SECTION_PAYMENTS, sales, pdv_card_kind_label ((PdvCardKind) c),
                 report->cards[c].sales_count, report->cards[c].sales_amount);
    }

  csv_money (out, PDV_REPORT_SECTION_DRAWER, "float", pdv_report_label (PDV_REPORT_LABEL_FLOAT), 0,
             report->float_amount);
  csv_money (out, PDV_REPORT_SECTION_DRAWER, "sales", pdv_report_label (PDV_REPORT_LABEL_CASH_SALES),
             report->payments[PDV_PAYMENT_CASH].sales_count, report->cash_sales);
  csv_money (out, PDV_REPORT_SECTION_DRAWER, "returned", pdv_report_label (PDV_REPORT_LABEL_CASH_RETURNED), 0,
             report->cash_returned);
  csv_money (out, PDV_REPORT_SECTION_DRAWER, "drops", pdv_report_label (PDV_REPORT_LABEL_DROPS),
             report->drops_count, report->drops_total);
  csv_money (out, PDV_REPORT_SECTION_DRAWER, "payins", pdv_report_label (PDV_REPORT_LABEL_PAYINS),
             report->payins_count, report->payins_total);
  csv_money (out, PDV_REPORT_SECTION_DRAWER, "expected", pdv_report_label (PDV_REPORT_LABEL_EXPECTED_CASH), 0,
             report->expected_cash);
  if (report->counted)
    {
      csv_money (out, PDV_REPORT_SECTION_DRAWER, "counted", pdv_report_label (PDV_REPORT_LABEL_COUNTED), 0,
                 report->counted_cash);
      csv_money (out, PDV_REPORT_SECTION_DRAWER, "difference", pdv_report_difference_label (report->difference), 0,
                 report->difference);
      if (report->difference_authorised_by != NULL)
        csv_record (out, pdv_report_section_key (PDV_REPORT_SECTION_DRAWER), "difference_authorised_by",
                    report->difference_authorised_by, NULL);
    }

  csv_rows (out, PDV_REPORT_SECTION_FLOAT_COUNT, report->float_count);
  csv_rows (out, PDV_REPORT_SECTION_CLOSING_COUNT, report->closing_count);
  csv_rows (out, PDV_REPORT_SECTION_CASH_MOVES, report->cash_moves);
  csv_rows (out, PDV_REPORT_SECTION_PRODUCTS, report->products);
  csv_rows (out, PDV_REPORT_SECTION_HOURS, report->hours);
  csv_rows (out, PDV_REPORT_SECTION_OPERATORS, report->operators);
  csv_rows (out, PDV_REPORT_SECTION_CORRECTIONS, report->corrections);
  csv_checkins (out, PDV_REPORT_SECTION_CHECKINS_BY_HOUR, report->checkins_by_hour);
  csv_checkins (out, PDV_REPORT_SECTION_CHECKINS_BY_GATE, report->checkins_by_gate);
  csv_rows (out, PDV_REPORT_SECTION_REFUSALS, report->refusals);
  return g_string_free (out, FALSE);
}

/**
 * pdv_report_doc_new_pairs:
 * @heading: (nullable): above the title: the event
 * @title: the document's
 *
 * A document of one section of labels and texts, for what is not an X or Z
 * report but prints like one (the audit): fill it with
 * pdv_report_doc_add_pair().
 */
PdvReportDoc *
pdv_report_doc_new_pairs (PdvReportDocStyle  style,
                          const char        *heading,
                          const char        *title)
{
  PdvReportDoc *doc = g_new0 (PdvReportDoc, 1);

  doc->style = style;
  doc->heading = g_strdup (heading);
  doc->title = g_strdup (title);
  doc->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_section_free);
  add_section (doc, PDV_REPORT_SECTION_SUMMARY, TRUE, NULL);
  return doc;
}

void
pdv_report_doc_add_pair (PdvReportDoc *doc,
                         const char   *label,
                         const char   *value)
{
  g_return_if_fail (doc != NULL && doc->sections->len > 0);
  add_pair (g_ptr_array_index (doc->sections, doc->sections->len - 1), label, value);
}

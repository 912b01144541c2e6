/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-csv.h"
#include "pdv-datetime.h"
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

/* In the event's time, as the person reading it writes dates. */
static char *
when_text (const PdvReport *report,
           GDateTime       *time)
{
  return time != NULL ? pdv_datetime_format (time, report->timezone, PDV_DATETIME_DATE_TIME) : NULL;
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

/* The fichas the terminal handed over and what became of them; what its
 * counters served and refused. */
static void
add_fichas (PdvReportDoc    *doc,
            const PdvReport *report)
{
  const char *served = pdv_report_column_heading (PDV_REPORT_COLUMN_SERVED);
  PdvReportDocSection *section;

  if (report->fichas->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_FICHAS, FALSE, pdv_report_column_heading (PDV_REPORT_COLUMN_ISSUED),
                             served, pdv_report_column_heading (PDV_REPORT_COLUMN_REVOKED),
                             pdv_report_column_heading (PDV_REPORT_COLUMN_OUTSTANDING), NULL);
      for (guint i = 0; i < report->fichas->len; i++)
        {
          PdvReportFichas *row = g_ptr_array_index (report->fichas, i);

          add_cells (section, 0, FALSE, g_strdup (row->label), count_text (row->issued), count_text (row->served),
                     count_text (row->revoked), count_text (row->outstanding));
        }
      add_cells (section, 0, TRUE, g_strdup (pdv_report_label (PDV_REPORT_LABEL_TOTAL)),
                 count_text (report->fichas_issued), count_text (report->fichas_served),
                 count_text (report->fichas_revoked), count_text (report->fichas_outstanding));
    }
  if (report->counters->len > 0)
    {
      section = add_section (doc, PDV_REPORT_SECTION_FICHAS_SERVED, FALSE, served,
                             pdv_report_column_heading (PDV_REPORT_COLUMN_REFUSED), NULL);
      for (guint i = 0; i < report->counters->len; i++)
        {
          PdvReportCounter *counter = g_ptr_array_index (report->counters, i);

          add_cells (section, 0, TRUE, g_strdup (counter->counter), count_text (counter->served),
                     count_text (counter->refused));
          for (guint p = 0; p < counter->products->len; p++)
            {
              PdvReportRow *row = g_ptr_array_index (counter->products, p);
              add_cells (section, 1, FALSE, g_strdup (row->label), count_text (row->count), g_strdup (""));
            }
          for (guint r = 0; r < counter->refusals->len; r++)
            {
              PdvReportRow *row = g_ptr_array_index (counter->refusals, r);
              add_cells (section, 1, FALSE, g_strdup (row->label), g_strdup (""), count_text (row->count));
            }
        }
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
    g_autofree char *opened = when_text (report, report->opened_at);
    g_autofree char *closed = when_text (report, report->closed_at);
    g_autofree char *printed = when_text (report, report->generated_at);
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
  if (report->fichas_issued_in_period > 0)
    add_cells (section, 0, FALSE, g_strdup (pdv_report_label (PDV_REPORT_LABEL_FICHAS_ISSUED)),
               count_text (report->fichas_issued_in_period), g_strdup (""));

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
  add_fichas (doc, report);
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

/* One record of the report as CSV and JSON give it: a section's row, or a
 * summary value (in the label). */
typedef struct {
  const char *section;
  const char *key;
  const char *label;
  gboolean    has_count;
  gint64      count;
  gboolean    has_amount;
  PdvMoney    amount;
  gboolean    checkins;   /* exits and refusals too */
  gint64      exits;
  gint64      refusals;
} Record;

typedef void (*RecordFunc) (const Record *record,
                            gpointer      user_data);

typedef struct {
  RecordFunc func;
  gpointer   data;
} Records;

static void
emit_value (Records    *out,
            const char *key,
            const char *value)
{
  Record record = { pdv_report_section_key (PDV_REPORT_SECTION_SUMMARY), key, value ? value : "" };

  out->func (&record, out->data);
}

static void
emit_time (Records    *out,
           const char *key,
           GDateTime  *time)
{
  g_autofree char *text = time ? g_date_time_format_iso8601 (time) : NULL;

  emit_value (out, key, text);
}

static void
emit_money (Records          *out,
            PdvReportSection  section,
            const char       *key,
            const char       *label,
            gint64            count,
            PdvMoney          amount)
{
  Record record = { pdv_report_section_key (section), key, label, TRUE, count, TRUE, amount };

  out->func (&record, out->data);
}

static void
emit_rows (Records          *out,
           PdvReportSection  section,
           GPtrArray        *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (rows, i);

      emit_money (out, section, row->key, row->label, row->count, row->amount);
    }
}

static void
emit_checkins (Records          *out,
               PdvReportSection  section,
               GPtrArray        *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportCheckins *row = g_ptr_array_index (rows, i);
      Record record = { pdv_report_section_key (section), row->key, row->label, TRUE, row->entries, FALSE, 0,
                        TRUE, row->exits, row->refusals };

      out->func (&record, out->data);
    }
}

static void
emit_count (Records          *out,
            PdvReportSection  section,
            const char       *key,
            const char       *label,
            gint64            count)
{
  Record record = { pdv_report_section_key (section), key, label, TRUE, count };

  out->func (&record, out->data);
}

/* Fichas: for each product (and "total") "PRODUCT:issued", ":served",
 * ":revoked", ":outstanding" since the event began and ":issued_in_period";
 * for each counter "COUNTER:served", "COUNTER:refused",
 * "COUNTER:served:PRODUCT" and "COUNTER:refused:VERDICT". */
static void
emit_fichas (Records   *out,
             PdvReport *report)
{
  for (guint i = 0; i <= report->fichas->len; i++)
    {
      PdvReportFichas total = { (char *) "total", (char *) pdv_report_label (PDV_REPORT_LABEL_TOTAL),
                                report->fichas_issued_in_period, report->fichas_issued, report->fichas_served,
                                report->fichas_revoked, report->fichas_outstanding };
      PdvReportFichas *row = i < report->fichas->len ? g_ptr_array_index (report->fichas, i) : &total;
      static const char * const fields[] = { "issued", "served", "revoked", "outstanding", "issued_in_period" };
      gint64 counts[] = { row->issued, row->served, row->revoked, row->outstanding, row->issued_in_period };

      if (report->fichas->len == 0)
        break;
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          g_autofree char *key = g_strconcat (row->key, ":", fields[f], NULL);

          emit_count (out, PDV_REPORT_SECTION_FICHAS, key, row->label, counts[f]);
        }
    }
  for (guint i = 0; i < report->counters->len; i++)
    {
      PdvReportCounter *counter = g_ptr_array_index (report->counters, i);
      g_autofree char *served = g_strconcat (counter->counter, ":served", NULL);
      g_autofree char *refused = g_strconcat (counter->counter, ":refused", NULL);

      emit_count (out, PDV_REPORT_SECTION_FICHAS_SERVED, served, counter->counter, counter->served);
      emit_count (out, PDV_REPORT_SECTION_FICHAS_SERVED, refused, counter->counter, counter->refused);
      for (guint p = 0; p < counter->products->len; p++)
        {
          PdvReportRow *row = g_ptr_array_index (counter->products, p);
          g_autofree char *key = g_strconcat (served, ":", row->key, NULL);

          emit_count (out, PDV_REPORT_SECTION_FICHAS_SERVED, key, row->label, row->count);
        }
      for (guint r = 0; r < counter->refusals->len; r++)
        {
          PdvReportRow *row = g_ptr_array_index (counter->refusals, r);
          g_autofree char *key = g_strconcat (refused, ":", row->key, NULL);

          emit_count (out, PDV_REPORT_SECTION_FICHAS_SERVED, key, row->label, row->count);
        }
    }
}

/* Every record of @report, in the order of the CSV. */
static void
report_records (PdvReport  *report,
                RecordFunc  func,
                gpointer    data)
{
  Records records = { func, data };
  Records *out = &records;
  g_autofree char *z = g_strdup_printf ("%lld", (long long) report->z_number);

  emit_value (out, "kind", report->kind == PDV_REPORT_X ? "X" : "Z");
  emit_value (out, "title", report->title);
  emit_value (out, "z_number", z);
  emit_value (out, "terminal_id", report->terminal_id);
  emit_value (out, "terminal_name", report->terminal_name);
  emit_value (out, "event_name", report->event_name);
  emit_time (out, "generated_at", report->generated_at);
  emit_time (out, "opened_at", report->opened_at);
  emit_value (out, "opened_by", report->opened_by);
  emit_time (out, "closed_at", report->closed_at);
  emit_value (out, "closed_by", report->closed_by);
  emit_value (out, "shift_open", report->shift_open ? "true" : "false");
  for (PdvReportSection section = 0; section < PDV_N_REPORT_SECTIONS; section++)
    {
      g_autofree char *key = g_strconcat ("section:", pdv_report_section_key (section), NULL);

      emit_value (out, key, pdv_report_section_title (section));
    }

  emit_money (out, PDV_REPORT_SECTION_SALES, "sales", pdv_report_label (PDV_REPORT_LABEL_SALES),
             report->sales_count, report->sales_total);
  emit_money (out, PDV_REPORT_SECTION_SALES, "voids", pdv_report_label (PDV_REPORT_LABEL_VOIDS),
             report->voids_count, report->voids_total);
  emit_money (out, PDV_REPORT_SECTION_SALES, "refunds", pdv_report_label (PDV_REPORT_LABEL_REFUNDS),
             report->refunds_count, report->refunds_total);
  emit_money (out, PDV_REPORT_SECTION_SALES, "discounts", pdv_report_label (PDV_REPORT_LABEL_DISCOUNTS_GIVEN),
             report->discounts_count, report->discounts_total);
  emit_money (out, PDV_REPORT_SECTION_SALES, "net", pdv_report_label (PDV_REPORT_LABEL_NET_SALES), 0,
             report->net_total);

  for (int i = 0; i <= PDV_PAYMENT_VOUCHER; i++)
    {
      PdvReportPayment *payment = &report->payments[i];
      const char *method = pdv_payment_method_to_string (payment->method);
      g_autofree char *sales = g_strconcat (method, ":sales", NULL);
      g_autofree char *voids = g_strconcat (method, ":voids", NULL);
      g_autofree char *refunds = g_strconcat (method, ":refunds", NULL);

      const char *label = pdv_payment_method_label (payment->method);

      emit_money (out, PDV_REPORT_SECTION_PAYMENTS, sales, label, payment->sales_count, payment->sales_amount);
      emit_money (out, PDV_REPORT_SECTION_PAYMENTS, voids, pdv_report_label (PDV_REPORT_LABEL_VOIDED),
                 payment->voids_count, payment->voids_amount);
      emit_money (out, PDV_REPORT_SECTION_PAYMENTS, refunds, pdv_report_label (PDV_REPORT_LABEL_REFUNDED),
                 payment->refunds_count, payment->refunds_amount);
    }
  for (int c = PDV_CARD_DEBIT; c <= PDV_CARD_CREDIT; c++)
    {
      g_autofree char *sales = g_strconcat ("card.", pdv_card_kind_to_string ((PdvCardKind) c), ":sales", NULL);

      emit_money (out, PDV_REPORT_SECTION_PAYMENTS, sales, pdv_card_kind_label ((PdvCardKind) c),
                 report->cards[c].sales_count, report->cards[c].sales_amount);
    }

  emit_money (out, PDV_REPORT_SECTION_DRAWER, "float", pdv_report_label (PDV_REPORT_LABEL_FLOAT), 0,
             report->float_amount);
  emit_money (out, PDV_REPORT_SECTION_DRAWER, "sales", pdv_report_label (PDV_REPORT_LABEL_CASH_SALES),
             report->payments[PDV_PAYMENT_CASH].sales_count, report->cash_sales);
  emit_money (out, PDV_REPORT_SECTION_DRAWER, "returned", pdv_report_label (PDV_REPORT_LABEL_CASH_RETURNED), 0,
             report->cash_returned);
  emit_money (out, PDV_REPORT_SECTION_DRAWER, "drops", pdv_report_label (PDV_REPORT_LABEL_DROPS),
             report->drops_count, report->drops_total);
  emit_money (out, PDV_REPORT_SECTION_DRAWER, "payins", pdv_report_label (PDV_REPORT_LABEL_PAYINS),
             report->payins_count, report->payins_total);
  emit_money (out, PDV_REPORT_SECTION_DRAWER, "expected", pdv_report_label (PDV_REPORT_LABEL_EXPECTED_CASH), 0,
             report->expected_cash);
  if (report->counted)
    {
      emit_money (out, PDV_REPORT_SECTION_DRAWER, "counted", pdv_report_label (PDV_REPORT_LABEL_COUNTED), 0,
                 report->counted_cash);
      emit_money (out, PDV_REPORT_SECTION_DRAWER, "difference", pdv_report_difference_label (report->difference), 0,
                 report->difference);
      if (report->difference_authorised_by != NULL)
        {
          Record record = { pdv_report_section_key (PDV_REPORT_SECTION_DRAWER), "difference_authorised_by",
                            report->difference_authorised_by };

          out->func (&record, out->data);
        }
    }

  emit_rows (out, PDV_REPORT_SECTION_FLOAT_COUNT, report->float_count);
  emit_rows (out, PDV_REPORT_SECTION_CLOSING_COUNT, report->closing_count);
  emit_rows (out, PDV_REPORT_SECTION_CASH_MOVES, report->cash_moves);
  emit_rows (out, PDV_REPORT_SECTION_PRODUCTS, report->products);
  emit_rows (out, PDV_REPORT_SECTION_HOURS, report->hours);
  emit_rows (out, PDV_REPORT_SECTION_OPERATORS, report->operators);
  emit_rows (out, PDV_REPORT_SECTION_CORRECTIONS, report->corrections);
  emit_checkins (out, PDV_REPORT_SECTION_CHECKINS_BY_HOUR, report->checkins_by_hour);
  emit_checkins (out, PDV_REPORT_SECTION_CHECKINS_BY_GATE, report->checkins_by_gate);
  emit_rows (out, PDV_REPORT_SECTION_REFUSALS, report->refusals);
  emit_fichas (out, report);
}

#define CSV_COLUMNS 7

static void
csv_number (PdvCsvWriter *out,
            gboolean      has,
            gint64        value)
{
  g_autofree char *text = has ? count_text (value) : NULL;

  pdv_csv_writer_number (out, text);
}

static void
csv_record_cb (const Record *record,
               gpointer      user_data)
{
  PdvCsvWriter *out = user_data;
  g_autofree char *amount = record->has_amount ? pdv_money_format_plain (record->amount) : NULL;

  pdv_csv_writer_text (out, record->section);
  pdv_csv_writer_text (out, record->key);
  pdv_csv_writer_text (out, record->label);
  csv_number (out, record->has_count, record->count);
  pdv_csv_writer_number (out, amount);
  csv_number (out, record->checkins, record->exits);
  csv_number (out, record->checkins, record->refusals);
  pdv_csv_writer_end_record (out);
}

/**
 * pdv_report_render_csv:
 *
 * The report as CSV (CRLF line ends, fields with separators, quotes or line
 * breaks quoted; UTF-8): for %PDV_CSV_SPREADSHEET with a byte order mark,
 * and where the locale writes a decimal comma separated by ';' with amounts
 * as "-1234,56"; for %PDV_CSV_RFC4180 comma-separated, amounts as
 * "-1234.56", no mark (see pdv_csv_writer_init()). Every record has seven
 * fields: section,key,label,count,amount,exits,refusals. The first record is
 * that header; then one section per table, each record naming its section:
 * report (key: field, label: value; "section:KEY" records give each
 * section's title, as on screen and paper), totals, payments, cash, float_count,
 * closing_count, cash_moves, products, hours, operators, corrections,
 * checkins_by_hour, checkins_by_gate, refusals, fichas, fichas_served
 * (counts only: see emit_fichas()). Amounts are reais; counts
 * are integers; texts a spreadsheet would take for a formula begin with an
 * apostrophe; times are ISO 8601 and hour keys are
 * in UTC. Check-in sections put entries in count, and exits and refusals in
 * the last two fields; other sections leave those empty. Labels are those
 * of the printed report, in the terminal's language.
 *
 * Returns: (transfer full): the CSV text
 */
char *
pdv_report_render_csv (PdvReport     *report,
                       PdvCsvDialect  dialect)
{
  static const char * const header[CSV_COLUMNS] = { "section", "key", "label", "count", "amount", "exits",
                                                    "refusals" };
  PdvCsvWriter writer;

  g_return_val_if_fail (report != NULL, NULL);

  pdv_csv_writer_init (&writer, dialect);
  for (guint i = 0; i < CSV_COLUMNS; i++)
    pdv_csv_writer_text (&writer, header[i]);
  pdv_csv_writer_end_record (&writer);
  report_records (report, csv_record_cb, &writer);
  return pdv_csv_writer_finish (&writer);
}

static void
json_record_cb (const Record *record,
                gpointer      user_data)
{
  json_t *sections = user_data;
  json_t *rows;
  json_t *row;

  if (g_str_equal (record->section, pdv_report_section_key (PDV_REPORT_SECTION_SUMMARY)))
    {
      /* The titles are given with each section. */
      if (g_str_has_prefix (record->key, "section:"))
        {
          const char *name = record->key + strlen ("section:");
          json_t *section = json_object_get (sections, name);

          if (section == NULL)
            {
              section = json_pack ("{s:[]}", "rows");
              json_object_set_new (sections, name, section);
            }
          json_object_set_new (section, "title", json_string (record->label));
        }
      else
        json_object_set_new (json_object_get (json_object_get (sections, record->section), "values"), record->key,
                             json_string (record->label));
      return;
    }
  rows = json_object_get (json_object_get (sections, record->section), "rows");
  row = json_pack ("{s:s, s:s}", "key", record->key, "label", record->label);
  if (record->has_count)
    json_object_set_new (row, record->checkins ? "entries" : "count", json_integer (record->count));
  if (record->has_amount)
    json_object_set_new (row, "amount", json_integer (record->amount));
  if (record->checkins)
    {
      json_object_set_new (row, "exits", json_integer (record->exits));
      json_object_set_new (row, "refusals", json_integer (record->refusals));
    }
  json_array_append_new (rows, row);
}

/**
 * pdv_report_to_json:
 *
 * The report's records as the CSV has them (see pdv_report_render_csv()),
 * by section: `{"report": {"title": …, "rows": [], "values": {"kind": "X",
 * …}}, "totals": {"title": "Sales", "rows": [{"key", "label", "count",
 * "amount"}…]}, …}`; amounts in centavos; check-in rows give entries, exits
 * and refusals.
 *
 * Returns: (transfer full): the sections
 */
json_t *
pdv_report_to_json (PdvReport *report)
{
  json_t *sections = json_object ();
  json_t *summary = json_pack ("{s:[], s:{}}", "rows", "values");

  g_return_val_if_fail (report != NULL, NULL);

  json_object_set_new (sections, pdv_report_section_key (PDV_REPORT_SECTION_SUMMARY), summary);
  report_records (report, json_record_cb, sections);
  return sections;
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

/**
 * pdv_report_doc_add_table:
 * @title: the table's
 * @headings: one per column after the label, %NULL-terminated
 *
 * Starts a table of its own in a document made with
 * pdv_report_doc_new_pairs(): pdv_report_doc_add_row() fills it.
 */
void
pdv_report_doc_add_table (PdvReportDoc       *doc,
                          const char         *title,
                          const char * const *headings)
{
  PdvReportDocSection *section;

  g_return_if_fail (doc != NULL && title != NULL);

  section = add_section (doc, PDV_REPORT_SECTION_SUMMARY, FALSE, NULL);
  section->title = g_strdup (title);
  section->headings = g_strdupv ((char **) headings);
}

/**
 * pdv_report_doc_add_row:
 * @cells: the label, then one per column, %NULL-terminated
 * @bold: a total
 */
void
pdv_report_doc_add_row (PdvReportDoc       *doc,
                        gboolean            bold,
                        const char * const *cells)
{
  PdvReportDocSection *section;
  PdvReportDocRow *row;

  g_return_if_fail (doc != NULL && doc->sections->len > 0 && cells != NULL && cells[0] != NULL);

  section = g_ptr_array_index (doc->sections, doc->sections->len - 1);
  row = g_new0 (PdvReportDocRow, 1);
  row->cells = g_strdupv ((char **) cells);
  row->bold = bold;
  row->method = -1;
  g_ptr_array_add (section->rows, row);
}

void
pdv_report_doc_add_pair (PdvReportDoc *doc,
                         const char   *label,
                         const char   *value)
{
  g_return_if_fail (doc != NULL && doc->sections->len > 0);
  add_pair (g_ptr_array_index (doc->sections, doc->sections->len - 1), label, value);
}

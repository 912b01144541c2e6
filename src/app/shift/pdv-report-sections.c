/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report-sections"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-chart.h"
#include "pdv-report-sections.h"
#include "pdv-report-table.h"

/* An X or Z report laid out for the screen: who and when at the top, the
 * figures a manager looks for first in large type, then one table per
 * section of the report's document (pdv-report-doc.h, the one paper and PDF
 * render) in two columns. */

typedef enum {
  COLUMN_START,
  COLUMN_END,
  COLUMN_CHECKINS_START,
  COLUMN_CHECKINS_END,
} Placement;

/* Where each section of the report's document goes on screen, in the order
 * shown. The summary is the header and the figures. */
static const struct {
  PdvReportSection section;
  Placement        placement;
} layout[] = {
  { PDV_REPORT_SECTION_SALES, COLUMN_START },
  { PDV_REPORT_SECTION_PAYMENTS, COLUMN_START },
  { PDV_REPORT_SECTION_DRAWER, COLUMN_START },
  { PDV_REPORT_SECTION_CASH_MOVES, COLUMN_START },
  { PDV_REPORT_SECTION_CORRECTIONS, COLUMN_START },
  /* The products last: on a long night theirs is the longest table. */
  { PDV_REPORT_SECTION_HOURS, COLUMN_END },
  { PDV_REPORT_SECTION_OPERATORS, COLUMN_END },
  { PDV_REPORT_SECTION_FLOAT_COUNT, COLUMN_END },
  { PDV_REPORT_SECTION_CLOSING_COUNT, COLUMN_END },
  { PDV_REPORT_SECTION_PRODUCTS, COLUMN_END },
  { PDV_REPORT_SECTION_FICHAS, COLUMN_START },
  { PDV_REPORT_SECTION_FICHAS_SERVED, COLUMN_START },
  { PDV_REPORT_SECTION_CHECKINS_BY_HOUR, COLUMN_CHECKINS_START },
  { PDV_REPORT_SECTION_REFUSALS, COLUMN_CHECKINS_START },
  { PDV_REPORT_SECTION_CHECKINS_BY_GATE, COLUMN_CHECKINS_END },
};

struct _PdvReportSections
{
  GtkWidget      parent_instance;

  GPtrArray      *tables;   /* PdvReportTable, as laid out */

  GtkLabel       *kind_label;
  GtkLabel       *event_label;
  GtkLabel       *terminal_label;
  GtkLabel       *generated_label;
  GtkLabel       *opened_label;
  GtkLabel       *closed_label;
  GtkLabel       *entries_label;

  GtkLabel       *net_caption;
  GtkLabel       *net_label;
  GtkLabel       *net_detail;
  GtkLabel       *count_caption;
  GtkLabel       *count_label;
  GtkLabel       *count_detail;
  GtkLabel       *average_caption;
  GtkLabel       *average_label;
  GtkLabel       *average_detail;
  GtkLabel       *expected_caption;
  GtkLabel       *expected_label;
  GtkLabel       *expected_detail;
  GtkWidget      *counted_card;
  GtkLabel       *counted_caption;
  GtkLabel       *counted_label;
  GtkLabel       *counted_detail;
  GtkWidget      *difference_card;
  GtkLabel       *difference_caption;
  GtkLabel       *terminal_caption;
  GtkLabel       *opened_caption;
  GtkLabel       *closed_caption;
  GtkLabel       *generated_caption;
  GtkLabel       *entries_caption;
  GtkLabel       *difference_label;
  GtkLabel       *difference_detail;

  GtkBox         *start_column;
  GtkBox         *end_column;
  GtkWidget      *checkins_box;
  GtkBox         *checkins_start_column;
  GtkBox         *checkins_end_column;
};

G_DEFINE_FINAL_TYPE (PdvReportSections, pdv_report_sections, GTK_TYPE_WIDGET)

/* Money as the rest of the terminal shows it, with a real minus sign. */
static char *
money_text (PdvMoney cents)
{
  g_autofree char *text = pdv_money_format (cents);

  if (text[0] == '-')
    return g_strconcat ("−", text + 1, NULL);
  return g_steal_pointer (&text);
}

static char *
count_text (gint64 count)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

static char *
when_text (const PdvReport *report,
           GDateTime       *time)
{
  return time != NULL ? pdv_datetime_format (time, report->timezone, PDV_DATETIME_DATE_TIME) : NULL;
}

/* "12/12/2026 21:04 by Ana Souza" */
static char *
when_and_who_text (const PdvReport *report,
                   GDateTime       *time,
                   const char      *who)
{
  g_autofree char *when = when_text (report, time);

  if (who == NULL || *who == '\0')
    return g_steal_pointer (&when);
  /* Translators: when a shift was opened or closed, and by whom */
  return g_strdup_printf (_("%s by %s"), when, who);
}

static const char *
payment_icon_name (PdvPaymentMethod method)
{
  switch (method)
    {
    case PDV_PAYMENT_CASH:
      return "pdv-cash-symbolic";
    case PDV_PAYMENT_CARD:
      return "pdv-card-symbolic";
    case PDV_PAYMENT_PIX:
      return "pdv-qr-symbolic";
    case PDV_PAYMENT_VOUCHER:
      return "pdv-voucher-symbolic";
    default:
      return NULL;
    }
}

/* Over, short or exact, in the colours the close of a shift uses. */
static const char *
tone_class (PdvReportTone tone)
{
  switch (tone)
    {
    case PDV_REPORT_TONE_GOOD:
      return "success";
    case PDV_REPORT_TONE_WARNING:
      return "warning";
    case PDV_REPORT_TONE_BAD:
      return "error";
    case PDV_REPORT_TONE_NONE:
    default:
      return NULL;
    }
}

static GtkWidget *
hours_chart_new (const PdvReport *report)
{
  GtkWidget *chart = pdv_chart_new ();
  g_autofree const char **labels = g_new0 (const char *, report->hours->len + 1);
  g_autofree double *values = g_new0 (double, report->hours->len + 1);

  for (guint i = 0; i < report->hours->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->hours, i);

      labels[i] = row->label;
      values[i] = (double) row->count;
    }
  pdv_chart_set_bars (PDV_CHART (chart), labels, values, report->hours->len);
  gtk_widget_set_size_request (chart, -1, 140);
  gtk_widget_add_css_class (chart, "report-chart");
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sales per hour"), -1);
  return chart;
}

/* Signed both ways: the caption beside it says over or short. */
static char *
difference_text (PdvMoney difference)
{
  g_autofree char *amount = money_text (difference);

  if (difference > 0)
    return g_strconcat ("+", amount, NULL);
  return g_steal_pointer (&amount);
}

/* One table per section of the document, as paper has them. */
static void
fill_tables (PdvReportSections *self,
             const PdvReport   *report)
{
  g_autoptr(PdvReportDoc) doc = pdv_report_doc_new (report, PDV_REPORT_DOC_SCREEN);
  GtkBox *columns[] = { self->start_column, self->end_column,
                        self->checkins_start_column, self->checkins_end_column };
  gboolean checkins = FALSE;

  for (guint l = 0; l < G_N_ELEMENTS (layout); l++)
    for (guint i = 0; i < doc->sections->len; i++)
      {
        PdvReportDocSection *section = g_ptr_array_index (doc->sections, i);
        PdvReportTable *table;

        if (section->section != layout[l].section || section->headings == NULL)
          continue;
        table = PDV_REPORT_TABLE (pdv_report_table_new (section->title, (const char * const *) section->headings));
        g_object_set_data (G_OBJECT (table), "pdv-section", (gpointer) pdv_report_section_key (section->section));
        for (guint r = 0; r < section->rows->len; r++)
          {
            PdvReportDocRow *row = g_ptr_array_index (section->rows, r);
            PdvReportRowFlags flags = (row->bold ? PDV_REPORT_ROW_TOTAL : 0) |
                                      (row->indent > 0 ? PDV_REPORT_ROW_DETAIL : 0);

            pdv_report_table_add_row (table, flags, row->method >= 0 ? payment_icon_name (row->method) : NULL,
                                      row->cells[0], NULL, (const char * const *) row->cells + 1,
                                      tone_class (row->tone));
          }
        pdv_report_table_finish (table);

        /* The hours as bars over their table. */
        if (section->section == PDV_REPORT_SECTION_HOURS)
          pdv_report_table_set_top_widget (table, hours_chart_new (report));
        checkins |= layout[l].placement >= COLUMN_CHECKINS_START;
        gtk_box_append (columns[layout[l].placement], GTK_WIDGET (table));
        g_ptr_array_add (self->tables, table);
      }
  /* A bar's terminal scans no tickets: no empty door tables on its report. */
  gtk_widget_set_visible (self->checkins_box, checkins);
}

static void
clear_tables (PdvReportSections *self)
{
  for (guint i = 0; i < self->tables->len; i++)
    {
      GtkWidget *table = g_ptr_array_index (self->tables, i);

      gtk_box_remove (GTK_BOX (gtk_widget_get_parent (table)), table);
    }
  g_ptr_array_set_size (self->tables, 0);
}

/* A large figure: its caption is read out with it, as one name. */
static void
set_figure (GtkLabel   *caption,
            GtkLabel   *value,
            GtkLabel   *detail,
            const char *caption_text,
            const char *value_text,
            const char *detail_text)
{
  /* Translators: a figure of the report read out, e.g. "Net sales: R$ 150,00" */
  g_autofree char *name = g_strdup_printf (_("%s: %s"), caption_text, value_text);

  gtk_label_set_label (caption, caption_text);
  gtk_label_set_label (value, value_text);
  gtk_label_set_label (detail, detail_text ? detail_text : "");
  gtk_widget_set_visible (GTK_WIDGET (detail), detail_text != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
fill_header (PdvReportSections *self,
             const PdvReport   *report)
{
  g_autofree char *opened = when_and_who_text (report, report->opened_at, report->opened_by);
  g_autofree char *closed = when_and_who_text (report, report->closed_at, report->closed_by);
  g_autofree char *generated = when_text (report, report->generated_at);
  g_autofree char *entries = NULL;
  gboolean x = report->kind == PDV_REPORT_X;

  gtk_label_set_label (self->kind_label, x ? "X" : "Z");
  gtk_widget_remove_css_class (GTK_WIDGET (self->kind_label), x ? "z-report" : "x-report");
  gtk_widget_add_css_class (GTK_WIDGET (self->kind_label), x ? "x-report" : "z-report");
  gtk_label_set_label (self->event_label, report->event_name ? report->event_name : report->title);

  gtk_label_set_label (self->terminal_label, report->terminal_name ? report->terminal_name : report->terminal_id);
  gtk_label_set_label (self->generated_label, generated ? generated : "");
  gtk_label_set_label (self->opened_label, opened ? opened : pdv_report_label (PDV_REPORT_LABEL_NO_SHIFT));
  if (closed != NULL)
    gtk_label_set_label (self->closed_label, closed);
  else
    gtk_label_set_label (self->closed_label, report->shift_open ? _("Still open") : _("Not open"));
  if (report->last_seq > 0)
    entries = g_strdup_printf ("%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT, report->first_seq, report->last_seq);
  gtk_label_set_label (self->entries_label, entries ? entries : "–");
}

static void
fill_figures (PdvReportSections *self,
              const PdvReport   *report)
{
  /* A voided sale is no sale: it does not weigh on the average. */
  gint64 kept = report->sales_count - report->voids_count;
  g_autofree char *net = money_text (report->net_total);
  g_autofree char *count = count_text (report->sales_count);
  g_autofree char *average = kept > 0 ? money_text (pdv_money_average (report->net_total, kept)) : g_strdup ("–");
  g_autofree char *expected = money_text (report->expected_cash);
  g_autofree char *net_detail = NULL;
  g_autofree char *discount_detail = NULL;
  g_autoptr(GString) count_detail = g_string_new (NULL);

  if (report->voids_count > 0 || report->refunds_count > 0)
    {
      g_autofree char *gross = money_text (report->sales_total);

      /* Translators: %s is the sales total before voids and refunds */
      net_detail = g_strdup_printf (_("%s before voids and refunds"), gross);
    }
  if (report->voids_count > 0)
    /* Translators: under the number of sales: how many of them were voided */
    g_string_append_printf (count_detail, ngettext ("%lld voided", "%lld voided", report->voids_count),
                            (long long) report->voids_count);
  if (report->voids_count > 0 && report->refunds_count > 0)
    g_string_append (count_detail, " · ");
  if (report->refunds_count > 0)
    /* Translators: under the number of sales: how many were refunded, in part or whole */
    g_string_append_printf (count_detail, ngettext ("%lld refunded", "%lld refunded", report->refunds_count),
                            (long long) report->refunds_count);
  if (report->discounts_count > 0)
    {
      g_autofree char *discounts = money_text (report->discounts_total);

      /* Translators: %s is the total of the discounts given */
      discount_detail = g_strdup_printf (_("%s in discounts"), discounts);
    }
  set_figure (self->net_caption, self->net_label, self->net_detail, pdv_report_label (PDV_REPORT_LABEL_NET_SALES), net, net_detail);
  set_figure (self->count_caption, self->count_label, self->count_detail, pdv_report_label (PDV_REPORT_LABEL_SALES), count,
              count_detail->len > 0 ? count_detail->str : NULL);
  set_figure (self->average_caption, self->average_label, self->average_detail, pdv_report_label (PDV_REPORT_LABEL_AVERAGE_SALE), average,
              discount_detail);

  set_figure (self->expected_caption, self->expected_label, self->expected_detail, pdv_report_label (PDV_REPORT_LABEL_EXPECTED_CASH),
              expected, report->counted ? NULL : _("The drawer is counted when the shift closes"));
  gtk_widget_set_visible (self->counted_card, report->counted);
  gtk_widget_set_visible (self->difference_card, report->counted);
  gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "error");
  if (report->counted)
    {
      g_autofree char *counted = money_text (report->counted_cash);
      g_autofree char *difference = difference_text (report->difference);
      g_autofree char *authorised = NULL;

      if (report->difference_authorised_by != NULL)
        authorised = g_strdup_printf (_("Authorised by %s"), report->difference_authorised_by);
      set_figure (self->counted_caption, self->counted_label, self->counted_detail, pdv_report_label (PDV_REPORT_LABEL_COUNTED), counted, NULL);
      set_figure (self->difference_caption, self->difference_label, self->difference_detail,
                  pdv_report_difference_label (report->difference), difference, authorised);
      gtk_widget_add_css_class (GTK_WIDGET (self->difference_label), tone_class (pdv_report_difference_tone (report)));
    }
}

static void
pdv_report_sections_dispose (GObject *object)
{
  PdvReportSections *self = PDV_REPORT_SECTIONS (object);
  GtkWidget *child;

  g_clear_pointer (&self->tables, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_REPORT_SECTIONS);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_report_sections_parent_class)->dispose (object);
}

static void
pdv_report_sections_class_init (PdvReportSectionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_report_sections_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/shift/pdv-report-sections.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, kind_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, event_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, terminal_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, generated_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, opened_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, closed_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, entries_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, net_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, net_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, net_detail);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, count_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, count_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, count_detail);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, average_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, average_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, average_detail);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, expected_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, expected_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, expected_detail);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, counted_card);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, counted_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, counted_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, counted_detail);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, difference_card);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, difference_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, terminal_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, opened_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, closed_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, generated_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, entries_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, difference_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, difference_detail);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, start_column);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, end_column);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, checkins_box);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, checkins_start_column);
  gtk_widget_class_bind_template_child (widget_class, PdvReportSections, checkins_end_column);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reportsections");
}

static void
pdv_report_sections_init (PdvReportSections *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The same names as on paper and in files. */
  gtk_label_set_label (self->terminal_caption, pdv_report_label (PDV_REPORT_LABEL_TERMINAL));
  gtk_label_set_label (self->opened_caption, pdv_report_label (PDV_REPORT_LABEL_SHIFT_OPENED));
  gtk_label_set_label (self->closed_caption, pdv_report_label (PDV_REPORT_LABEL_SHIFT_CLOSED));
  gtk_label_set_label (self->generated_caption, pdv_report_label (PDV_REPORT_LABEL_GENERATED));
  gtk_label_set_label (self->entries_caption, pdv_report_label (PDV_REPORT_LABEL_JOURNAL_ENTRIES));

  self->tables = g_ptr_array_new ();
}

GtkWidget *
pdv_report_sections_new (void)
{
  return g_object_new (PDV_TYPE_REPORT_SECTIONS, NULL);
}

/**
 * pdv_report_sections_set_report:
 * @report: (nullable): the report to show; not kept, the widgets hold
 *   copies of what they show
 */
void
pdv_report_sections_set_report (PdvReportSections *self,
                                const PdvReport   *report)
{
  g_return_if_fail (PDV_IS_REPORT_SECTIONS (self));

  clear_tables (self);
  gtk_widget_set_visible (gtk_widget_get_first_child (GTK_WIDGET (self)), report != NULL);
  if (report == NULL)
    return;

  fill_header (self, report);
  fill_figures (self, report);
  fill_tables (self, report);
}

/**
 * pdv_report_sections_dup_section_text:
 * @name: a section's key, as in the CSV: "payments", "cash", "products"…
 *
 * Returns: (transfer full) (nullable): the rows of the section as shown, one
 *   a line, cells separated by tabs; %NULL for a section not on screen
 */
char *
pdv_report_sections_dup_section_text (PdvReportSections *self,
                                      const char        *name)
{
  g_return_val_if_fail (PDV_IS_REPORT_SECTIONS (self), NULL);

  for (guint i = 0; i < self->tables->len; i++)
    {
      PdvReportTable *table = g_ptr_array_index (self->tables, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (table), "pdv-section"), name) == 0)
        return gtk_widget_is_visible (GTK_WIDGET (table)) ? pdv_report_table_dup_text (table) : NULL;
    }
  return NULL;
}

/**
 * pdv_report_sections_get_figure_label:
 * @name: "net", "count", "average", "expected", "counted" or "difference"
 *
 * Returns: (transfer none): the label of one of the large figures
 */
GtkWidget *
pdv_report_sections_get_figure_label (PdvReportSections *self,
                                      const char        *name)
{
  g_return_val_if_fail (PDV_IS_REPORT_SECTIONS (self), NULL);

  if (g_strcmp0 (name, "net") == 0)
    return GTK_WIDGET (self->net_label);
  if (g_strcmp0 (name, "count") == 0)
    return GTK_WIDGET (self->count_label);
  if (g_strcmp0 (name, "average") == 0)
    return GTK_WIDGET (self->average_label);
  if (g_strcmp0 (name, "expected") == 0)
    return GTK_WIDGET (self->expected_label);
  if (g_strcmp0 (name, "counted") == 0)
    return GTK_WIDGET (self->counted_label);
  if (g_strcmp0 (name, "difference") == 0)
    return GTK_WIDGET (self->difference_label);
  g_return_val_if_reached (NULL);
}

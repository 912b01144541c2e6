/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report-sections"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-chart.h"
#include "pdv-report-sections.h"
#include "pdv-report-table.h"

/* An X or Z report laid out for the screen: who and when at the top, the
 * figures a manager looks for first in large type, then one table per
 * section in two columns. Built from the report's fields, not from its
 * printed text. */

typedef enum {
  COLUMNS_MONEY,      /* how many, how much */
  COLUMNS_AMOUNT,     /* how much */
  COLUMNS_COUNT,      /* how many */
  COLUMNS_CHECKINS,   /* entries, exits, refusals */
} Columns;

typedef enum {
  SECTION_PAYMENTS,
  SECTION_DRAWER,
  SECTION_MOVES,
  SECTION_CORRECTIONS,
  SECTION_HOURS,
  SECTION_OPERATORS,
  SECTION_PRODUCTS,
  SECTION_CHECKIN_HOURS,
  SECTION_CHECKIN_GATES,
  SECTION_REFUSALS,
  N_SECTIONS
} SectionId;

typedef enum {
  COLUMN_START,
  COLUMN_END,
  COLUMN_CHECKINS_START,
  COLUMN_CHECKINS_END,
} Placement;

static const struct {
  const char      *name;       /* for tests */
  PdvReportSection section;   /* its title, as on paper */
  Columns          columns;
  Placement   placement;
} section_info[N_SECTIONS] = {
  [SECTION_PAYMENTS] = { "payments", PDV_REPORT_SECTION_PAYMENTS, COLUMNS_MONEY, COLUMN_START },
  [SECTION_DRAWER] = { "drawer", PDV_REPORT_SECTION_DRAWER, COLUMNS_MONEY, COLUMN_START },
  [SECTION_MOVES] = { "cash-moves", PDV_REPORT_SECTION_CASH_MOVES, COLUMNS_AMOUNT, COLUMN_START },
  [SECTION_CORRECTIONS] = { "corrections", PDV_REPORT_SECTION_CORRECTIONS, COLUMNS_MONEY, COLUMN_START },
  /* The products last: on a long night theirs is the longest table. */
  [SECTION_HOURS] = { "hours", PDV_REPORT_SECTION_HOURS, COLUMNS_MONEY, COLUMN_END },
  [SECTION_OPERATORS] = { "operators", PDV_REPORT_SECTION_OPERATORS, COLUMNS_MONEY, COLUMN_END },
  [SECTION_PRODUCTS] = { "products", PDV_REPORT_SECTION_PRODUCTS, COLUMNS_MONEY, COLUMN_END },
  [SECTION_CHECKIN_HOURS] = { "checkin-hours", PDV_REPORT_SECTION_CHECKINS_BY_HOUR, COLUMNS_CHECKINS, COLUMN_CHECKINS_START },
  [SECTION_CHECKIN_GATES] = { "checkin-gates", PDV_REPORT_SECTION_CHECKINS_BY_GATE, COLUMNS_CHECKINS, COLUMN_CHECKINS_END },
  [SECTION_REFUSALS] = { "refusals", PDV_REPORT_SECTION_REFUSALS, COLUMNS_COUNT, COLUMN_CHECKINS_START },
};

#define MAX_VALUES 3

struct _PdvReportSections
{
  GtkWidget      parent_instance;

  PdvReportTable *tables[N_SECTIONS];
  PdvChart       *hours_chart;

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
when_text (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;
  local = g_date_time_to_local (time);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%d/%m/%Y %H:%M"));
}

/* "12/12/2026 21:04 by Ana Souza" */
static char *
when_and_who_text (GDateTime  *time,
                   const char *who)
{
  g_autofree char *when = when_text (time);

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

static guint
n_values (Columns columns)
{
  switch (columns)
    {
    case COLUMNS_MONEY:
      return 2;
    case COLUMNS_CHECKINS:
      return 3;
    case COLUMNS_AMOUNT:
    case COLUMNS_COUNT:
    default:
      return 1;
    }
}

static const char *
column_caption (Columns columns,
                guint   index)
{
  switch (columns)
    {
    case COLUMNS_MONEY:
      return pdv_report_column_heading (index == 0 ? PDV_REPORT_COLUMN_QTY : PDV_REPORT_COLUMN_AMOUNT);
    case COLUMNS_AMOUNT:
      return pdv_report_column_heading (PDV_REPORT_COLUMN_AMOUNT);
    case COLUMNS_COUNT:
      return pdv_report_column_heading (PDV_REPORT_COLUMN_QTY);
    case COLUMNS_CHECKINS:
      return pdv_report_column_heading (index == 0 ? PDV_REPORT_COLUMN_IN
                                        : index == 1 ? PDV_REPORT_COLUMN_OUT : PDV_REPORT_COLUMN_REFUSED);
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
add_row (PdvReportSections  *self,
         SectionId           id,
         PdvReportRowFlags   flags,
         const char         *icon_name,
         const char         *title,
         const char         *subtitle,
         const char * const *values,
         const char         *value_class)
{
  pdv_report_table_add_row (self->tables[id], flags, icon_name, title, subtitle, values, value_class);
}

static void
add_money_row (PdvReportSections *self,
               SectionId          id,
               PdvReportRowFlags  flags,
               const char        *icon_name,
               const char        *title,
               const char        *subtitle,
               gboolean           with_count,
               gint64             count,
               PdvMoney           amount)
{
  g_autofree char *count_str = with_count ? count_text (count) : NULL;
  g_autofree char *amount_str = money_text (amount);
  const char *values[MAX_VALUES] = { count_str, amount_str, NULL };

  /* A table of amounts only has no column for the count. */
  if (section_info[id].columns == COLUMNS_AMOUNT)
    values[0] = amount_str;

  add_row (self, id, flags, icon_name, title, subtitle, values, NULL);
}

static void
finish_section (PdvReportSections *self,
                SectionId          id)
{
  pdv_report_table_finish (self->tables[id]);
}

static void
add_rows (PdvReportSections *self,
          SectionId          id,
          GPtrArray         *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (rows, i);

      add_money_row (self, id, PDV_REPORT_ROW_PLAIN, NULL, row->label, NULL, TRUE, row->count, row->amount);
    }
  finish_section (self, id);
}

static void
add_checkin_rows (PdvReportSections *self,
                  SectionId          id,
                  GPtrArray         *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportCheckins *row = g_ptr_array_index (rows, i);
      g_autofree char *entries = count_text (row->entries);
      g_autofree char *exits = count_text (row->exits);
      g_autofree char *refusals = count_text (row->refusals);
      const char *values[MAX_VALUES] = { entries, exits, refusals };

      add_row (self, id, PDV_REPORT_ROW_PLAIN, NULL, row->label, NULL, values, NULL);
    }
}

static void
fill_payments (PdvReportSections *self,
               const PdvReport   *report)
{
  for (int i = 0; i <= PDV_PAYMENT_VOUCHER; i++)
    {
      const PdvReportPayment *payment = &report->payments[i];

      if (payment->sales_count == 0 && payment->voids_count == 0 && payment->refunds_count == 0)
        continue;
      add_money_row (self, SECTION_PAYMENTS, PDV_REPORT_ROW_PLAIN, payment_icon_name (payment->method),
                     pdv_payment_method_label (payment->method), NULL, TRUE,
                     payment->sales_count, payment->sales_amount);
      if (payment->voids_count > 0)
        add_money_row (self, SECTION_PAYMENTS, PDV_REPORT_ROW_DETAIL, NULL, pdv_report_label (PDV_REPORT_LABEL_VOIDED), NULL, TRUE,
                       payment->voids_count, -payment->voids_amount);
      if (payment->refunds_count > 0)
        add_money_row (self, SECTION_PAYMENTS, PDV_REPORT_ROW_DETAIL, NULL, pdv_report_label (PDV_REPORT_LABEL_REFUNDED), NULL, TRUE,
                       payment->refunds_count, -payment->refunds_amount);
    }
  finish_section (self, SECTION_PAYMENTS);
}

/* Over, short or exact: in the colours the close of a shift uses. A
 * difference that needed a manager was beyond the tolerance. */
static const char *
difference_class (const PdvReport *report)
{
  if (report->difference == 0)
    return "success";
  return report->difference_authorised_by != NULL ? "error" : "warning";
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

static void
fill_drawer (PdvReportSections *self,
             const PdvReport   *report)
{
  const PdvReportPayment *cash = &report->payments[PDV_PAYMENT_CASH];
  gint64 returned_count = cash->voids_count + cash->refunds_count;

  add_money_row (self, SECTION_DRAWER, PDV_REPORT_ROW_PLAIN, NULL, pdv_report_label (PDV_REPORT_LABEL_FLOAT), NULL, FALSE, 0,
                 report->float_amount);
  add_money_row (self, SECTION_DRAWER, PDV_REPORT_ROW_PLAIN, NULL, pdv_report_label (PDV_REPORT_LABEL_CASH_SALES), NULL, TRUE, cash->sales_count,
                 report->cash_sales);
  if (returned_count > 0)
    add_money_row (self, SECTION_DRAWER, PDV_REPORT_ROW_PLAIN, NULL, pdv_report_label (PDV_REPORT_LABEL_CASH_RETURNED), NULL, TRUE,
                   returned_count, -report->cash_returned);
  if (report->drops_count > 0)
    /* Translators: cash taken out of the drawer during the shift ("sangrias") */
    add_money_row (self, SECTION_DRAWER, PDV_REPORT_ROW_PLAIN, NULL, pdv_report_label (PDV_REPORT_LABEL_DROPS), NULL, TRUE, report->drops_count,
                   -report->drops_total);
  if (report->payins_count > 0)
    /* Translators: cash put into the drawer during the shift ("suprimentos") */
    add_money_row (self, SECTION_DRAWER, PDV_REPORT_ROW_PLAIN, NULL, pdv_report_label (PDV_REPORT_LABEL_PAYINS), NULL, TRUE, report->payins_count,
                   report->payins_total);
  add_money_row (self, SECTION_DRAWER, PDV_REPORT_ROW_TOTAL, NULL, pdv_report_label (PDV_REPORT_LABEL_EXPECTED_CASH), NULL, FALSE, 0,
                 report->expected_cash);
  if (report->counted)
    {
      g_autofree char *counted = money_text (report->counted_cash);
      g_autofree char *difference = difference_text (report->difference);
      g_autofree char *authorised = NULL;
      const char *counted_values[MAX_VALUES] = { NULL, counted, NULL };
      const char *difference_values[MAX_VALUES] = { NULL, difference, NULL };

      if (report->difference_authorised_by != NULL)
        /* Translators: %s is the manager who accepted the difference */
        authorised = g_strdup_printf (_("Authorised by %s"), report->difference_authorised_by);
      add_row (self, SECTION_DRAWER, PDV_REPORT_ROW_TOTAL, NULL, pdv_report_label (PDV_REPORT_LABEL_COUNTED), NULL, counted_values, NULL);
      add_row (self, SECTION_DRAWER, PDV_REPORT_ROW_TOTAL, NULL, pdv_report_difference_label (report->difference),
               authorised, difference_values, difference_class (report));
    }
  finish_section (self, SECTION_DRAWER);
}

static void
fill_moves (PdvReportSections *self,
            const PdvReport   *report)
{
  for (guint i = 0; i < report->cash_moves->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->cash_moves, i);
      gboolean drop = g_strcmp0 (row->key, "drop") == 0;

      /* Translators: one cash move of the shift; its reason goes under it */
      add_money_row (self, SECTION_MOVES, PDV_REPORT_ROW_PLAIN, NULL, pdv_report_label (drop ? PDV_REPORT_LABEL_DROP : PDV_REPORT_LABEL_PAYIN), row->label,
                     FALSE, 0, drop ? -row->amount : row->amount);
    }
  finish_section (self, SECTION_MOVES);
}

static void
fill_corrections (PdvReportSections *self,
                  const PdvReport   *report)
{
  for (guint i = 0; i < report->corrections->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->corrections, i);
      /* Translators: %s is the manager who authorised a void, refund or discount */
      g_autofree char *authorised = g_strdup_printf (_("Authorised by %s"), row->label);

      add_money_row (self, SECTION_CORRECTIONS, PDV_REPORT_ROW_PLAIN, NULL, pdv_report_correction_label (row->key), authorised,
                     TRUE, row->count, row->amount);
    }
  finish_section (self, SECTION_CORRECTIONS);
}

static void
fill_hours (PdvReportSections *self,
            const PdvReport   *report)
{
  g_autofree const char **labels = g_new0 (const char *, report->hours->len + 1);
  g_autofree double *values = g_new0 (double, report->hours->len + 1);

  for (guint i = 0; i < report->hours->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->hours, i);

      labels[i] = row->label;
      values[i] = (double) row->count;
    }
  pdv_chart_set_bars (self->hours_chart, labels, values, report->hours->len);
  gtk_widget_set_visible (GTK_WIDGET (self->hours_chart), report->hours->len > 0);
  add_rows (self, SECTION_HOURS, report->hours);
}

static void
fill_checkins (PdvReportSections *self,
               const PdvReport   *report)
{
  gboolean any = report->checkins_by_hour->len > 0 || report->refusals->len > 0;

  /* A bar's terminal scans no tickets: no empty door tables on its report. */
  gtk_widget_set_visible (self->checkins_box, any);
  add_checkin_rows (self, SECTION_CHECKIN_HOURS, report->checkins_by_hour);
  if (report->checkins_by_hour->len > 0)
    {
      g_autofree char *entries = count_text (report->checkin_entries);
      g_autofree char *exits = count_text (report->checkin_exits);
      g_autofree char *refusals = count_text (report->checkin_refusals);
      const char *values[MAX_VALUES] = { entries, exits, refusals };

      add_row (self, SECTION_CHECKIN_HOURS, PDV_REPORT_ROW_TOTAL, NULL, pdv_report_label (PDV_REPORT_LABEL_TOTAL), NULL, values, NULL);
    }
  finish_section (self, SECTION_CHECKIN_HOURS);
  add_checkin_rows (self, SECTION_CHECKIN_GATES, report->checkins_by_gate);
  finish_section (self, SECTION_CHECKIN_GATES);

  for (guint i = 0; i < report->refusals->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (report->refusals, i);
      g_autofree char *count = count_text (row->count);
      const char *values[MAX_VALUES] = { count, NULL, NULL };

      add_row (self, SECTION_REFUSALS, PDV_REPORT_ROW_PLAIN, NULL, row->label, NULL, values, NULL);
    }
  finish_section (self, SECTION_REFUSALS);
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
  g_autofree char *opened = when_and_who_text (report->opened_at, report->opened_by);
  g_autofree char *closed = when_and_who_text (report->closed_at, report->closed_by);
  g_autofree char *generated = when_text (report->generated_at);
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
  g_autofree char *average = kept > 0 ? money_text (report->net_total / kept) : g_strdup ("–");
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
      gtk_widget_add_css_class (GTK_WIDGET (self->difference_label), difference_class (report));
    }
}

static void
pdv_report_sections_dispose (GObject *object)
{
  PdvReportSections *self = PDV_REPORT_SECTIONS (object);
  GtkWidget *child;

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

  for (guint i = 0; i < N_SECTIONS; i++)
    {
      GtkBox *columns[] = { self->start_column, self->end_column,
                            self->checkins_start_column, self->checkins_end_column };
      Columns kind = section_info[i].columns;
      const char *captions[MAX_VALUES + 1] = { NULL };

      for (guint c = 0; c < n_values (kind); c++)
        captions[c] = column_caption (kind, c);
      self->tables[i] = PDV_REPORT_TABLE (pdv_report_table_new (pdv_report_section_title (section_info[i].section), captions));
      gtk_box_append (columns[section_info[i].placement], GTK_WIDGET (self->tables[i]));
    }

  /* The hours as bars over their table. */
  self->hours_chart = PDV_CHART (pdv_chart_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->hours_chart), -1, 140);
  gtk_widget_add_css_class (GTK_WIDGET (self->hours_chart), "report-chart");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->hours_chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sales per hour"), -1);
  pdv_report_table_set_top_widget (self->tables[SECTION_HOURS], GTK_WIDGET (self->hours_chart));
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

  for (guint i = 0; i < N_SECTIONS; i++)
    pdv_report_table_clear (self->tables[i]);
  gtk_widget_set_visible (gtk_widget_get_first_child (GTK_WIDGET (self)), report != NULL);
  if (report == NULL)
    return;

  fill_header (self, report);
  fill_figures (self, report);
  fill_payments (self, report);
  fill_drawer (self, report);
  fill_moves (self, report);
  fill_corrections (self, report);
  add_rows (self, SECTION_PRODUCTS, report->products);
  fill_hours (self, report);
  add_rows (self, SECTION_OPERATORS, report->operators);
  fill_checkins (self, report);
}

/**
 * pdv_report_sections_dup_section_text:
 * @name: a section: "payments", "drawer", "products"…
 *
 * Returns: (transfer full) (nullable): the rows of the section as shown, one
 *   a line, cells separated by tabs; %NULL for a section not on screen
 */
char *
pdv_report_sections_dup_section_text (PdvReportSections *self,
                                      const char        *name)
{
  g_return_val_if_fail (PDV_IS_REPORT_SECTIONS (self), NULL);

  for (guint i = 0; i < N_SECTIONS; i++)
    if (g_strcmp0 (section_info[i].name, name) == 0)
      return gtk_widget_is_visible (GTK_WIDGET (self->tables[i])) ? pdv_report_table_dup_text (self->tables[i])
                                                                  : NULL;
  g_return_val_if_reached (NULL);
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

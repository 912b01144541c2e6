/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sale-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-sale-view.h"

/* How a past sale is shown: as a row of the recent sales ("2× Cerveja…,
 * 21:04 · Ana · Cash, R$ 24,00, Voided"), and whole: what was sold, how it
 * was paid, and the voids and refunds since. Read-only: what can be done
 * with the sale is the window's. */

#define SHORT_ID_CHARS 8
#define SALE_ID_KEY    "pdv-sale-id"

struct _PdvSaleView
{
  GtkWidget   parent_instance;

  GHashTable *user_names;   /* id → name, of the sale shown */

  GtkLabel   *sale_title;
  GtkLabel   *sale_subtitle;
  GtkLabel   *sale_total;
  GtkLabel   *sale_status;
  GtkListBox *lines_list;
  GtkListBox *payments_list;
  GtkWidget  *corrections_heading;
  GtkListBox *corrections_list;
};

G_DEFINE_FINAL_TYPE (PdvSaleView, pdv_sale_view, GTK_TYPE_WIDGET)

/**
 * pdv_sale_short_id:
 *
 * Returns: the beginning of a sale's id, which is what people read off a
 *   receipt and say
 */
char *
pdv_sale_short_id (const char *sale_id)
{
  return g_utf8_substring (sale_id, 0, SHORT_ID_CHARS);
}

/* In the event's time (@now is in its zone): the time alone when it is
 * today's. */
static char *
format_when (const char *created_at,
             GDateTime  *now,
             gboolean    with_date)
{
  GTimeZone *zone = g_date_time_get_timezone (now);
  g_autoptr(GDateTime) utc = created_at ? g_date_time_new_from_iso8601 (created_at, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, zone) : NULL;

  if (local == NULL)
    return g_strdup (created_at ? created_at : "");
  if (with_date || g_date_time_get_year (local) != g_date_time_get_year (now) ||
      g_date_time_get_day_of_year (local) != g_date_time_get_day_of_year (now))
    return pdv_datetime_format (local, NULL, PDV_DATETIME_DATE_TIME);
  return pdv_datetime_format (local, NULL, PDV_DATETIME_TIME);
}

static const char *
user_name (PdvSaleView *self,
           const char  *user_id)
{
  const char *name = NULL;

  if (user_id != NULL && self->user_names != NULL)
    name = g_hash_table_lookup (self->user_names, user_id);
  return name != NULL ? name : user_id;
}

static char *
describe_methods (const char * const *methods)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; methods != NULL && methods[i] != NULL; i++)
    {
      PdvPaymentMethod method;

      if (!pdv_payment_method_from_string (methods[i], &method))
        continue;
      if (text->len > 0)
        /* Translators: between payment methods, "Cash, Card" */
        g_string_append (text, _(", "));
      g_string_append (text, pdv_payment_method_label (method));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "Voided", "Refunded R$ 5,00", or NULL for a sale as it was. */
static char *
describe_status (const PdvSaleRecord *record)
{
  g_autofree char *refunded = NULL;

  if (record->voided)
    return g_strdup (_("Voided"));
  if (record->refunded <= 0)
    return NULL;
  if (record->refunded >= record->total)
    return g_strdup (_("Refunded"));
  refunded = pdv_money_format (record->refunded);
  /* Translators: a sale partly refunded; %s is the amount that went back */
  return g_strdup_printf (_("Refunded %s"), refunded);
}

static void
style_status (GtkWidget           *label,
              const PdvSaleRecord *record)
{
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_add_css_class (label, record->voided ? "error" : "warning");
}

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A read-only row of the sale's details: not a Tab stop of its own. */
static GtkWidget *
make_info_row (const char *title,
               const char *subtitle,
               const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value_label = gtk_label_new (value);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (value_label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value_label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  return row;
}

/* "−R$ 5,00" */
static char *
format_minus (PdvMoney amount)
{
  g_autofree char *text = pdv_money_format (amount);

  /* Translators: an amount taken off the sale or given back */
  return g_strdup_printf (_("−%s"), text);
}

static void
show_lines (PdvSaleView         *self,
            const PdvSaleDetail *detail)
{
  GArray *lines = detail->lines;

  clear_list_box (self->lines_list);
  for (guint i = 0; i < lines->len; i++)
    {
      const PdvSaleRecordLine *line = &g_array_index (lines, PdvSaleRecordLine, i);
      g_autofree char *unit_price = pdv_money_format (line->unit_price);
      g_autofree char *total = pdv_money_format (line->total);
      /* Translators: a quantity and a product, "2× Cerveja Lata" */
      g_autofree char *title = g_strdup_printf (_("%lld× %s"), (long long) line->qty,
                                                line->name ? line->name : line->product_id);
      /* Translators: %s is the price of one */
      g_autofree char *subtitle = g_strdup_printf (_("%s each"), unit_price);

      gtk_list_box_append (self->lines_list, make_info_row (title, line->qty > 1 ? subtitle : NULL, total));
    }
  if (detail->discount > 0)
    {
      g_autofree char *value = format_minus (detail->discount);
      g_autoptr(GString) subtitle = g_string_new (detail->discount_reason);

      if (detail->discount_authorised_by != NULL)
        {
          if (subtitle->len > 0)
            g_string_append (subtitle, " · ");
          /* Translators: %s is the manager who allowed it */
          g_string_append_printf (subtitle, _("Authorised by %s"), user_name (self, detail->discount_authorised_by));
        }
      gtk_list_box_append (self->lines_list, make_info_row (_("Discount"), subtitle->str, value));
    }
}

static void
show_payments (PdvSaleView         *self,
               const PdvSaleDetail *detail)
{
  GArray *payments = detail->payments;

  clear_list_box (self->payments_list);
  for (guint i = 0; i < payments->len; i++)
    {
      const PdvSaleRecordPayment *payment = &g_array_index (payments, PdvSaleRecordPayment, i);
      g_autofree char *amount = pdv_money_format (payment->amount);
      g_autofree char *subtitle = NULL;

      if (payment->method == PDV_PAYMENT_CASH && payment->change > 0)
        {
          g_autofree char *tendered = pdv_money_format (payment->tendered);
          g_autofree char *change = pdv_money_format (payment->change);

          /* Translators: cash handed over and the change given */
          subtitle = g_strdup_printf (_("%s handed over, %s change"), tendered, change);
        }
      else if (payment->method == PDV_PAYMENT_VOUCHER && detail->authorised_by != NULL)
        {
          const char *manager = user_name (self, detail->authorised_by);

          if (payment->reference != NULL)
            /* Translators: a voucher's code, then the manager who allowed it */
            subtitle = g_strdup_printf (_("Code %s, authorised by %s"), payment->reference, manager);
          else
            /* Translators: %s is the manager who allowed it */
            subtitle = g_strdup_printf (_("Authorised by %s"), manager);
        }
      else if (payment->reference != NULL)
        /* Translators: a card authorisation or PIX transaction id */
        subtitle = g_strdup_printf (_("Reference %s"), payment->reference);

      gtk_list_box_append (self->payments_list,
                           make_info_row (pdv_payment_method_label (payment->method), subtitle, amount));
    }
}

static void
show_corrections (PdvSaleView         *self,
                  const PdvSaleDetail *detail,
                  GDateTime           *now)
{
  GArray *corrections = detail->corrections;

  clear_list_box (self->corrections_list);
  for (guint i = 0; i < corrections->len; i++)
    {
      const PdvSaleCorrection *correction = &g_array_index (corrections, PdvSaleCorrection, i);
      g_autofree char *when = format_when (correction->created_at, now, FALSE);
      g_autofree char *value = NULL;
      g_autofree char *title = NULL;
      g_autoptr(GString) subtitle = g_string_new (when);

      if (correction->kind == PDV_SALE_CORRECTION_VOID)
        {
          title = g_strdup (_("Voided"));
          value = pdv_money_format (correction->amount);
        }
      else
        {
          /* Translators: %s is how the money went back, e.g. "Cash" */
          title = g_strdup_printf (_("Refund (%s)"), pdv_payment_method_label (correction->method));
          value = format_minus (correction->amount);
        }
      if (correction->authorised_by != NULL && g_strcmp0 (correction->authorised_by, correction->user) != 0)
        {
          g_string_append (subtitle, " · ");
          /* Translators: who was at the terminal, then the manager who allowed it */
          g_string_append_printf (subtitle, _("%s, authorised by %s"),
                                  user_name (self, correction->user), user_name (self, correction->authorised_by));
        }
      else if (correction->user != NULL)
        g_string_append_printf (subtitle, " · %s", user_name (self, correction->user));
      if (correction->reason != NULL && *correction->reason != '\0')
        g_string_append_printf (subtitle, " · “%s”", correction->reason);

      gtk_list_box_append (self->corrections_list, make_info_row (title, subtitle->str, value));
    }
  if (corrections->len > 0 && !detail->record->voided)
    {
      g_autofree char *left = pdv_money_format (pdv_sale_record_get_refundable (detail->record));

      gtk_list_box_append (self->corrections_list, make_info_row (_("Left to refund"), NULL, left));
    }
  gtk_widget_set_visible (self->corrections_heading, corrections->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->corrections_list), corrections->len > 0);
}

static void
pdv_sale_view_dispose (GObject *object)
{
  PdvSaleView *self = PDV_SALE_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_SALE_VIEW);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->user_names, g_hash_table_unref);

  G_OBJECT_CLASS (pdv_sale_view_parent_class)->dispose (object);
}

static void
pdv_sale_view_class_init (PdvSaleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_sale_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/history/pdv-sale-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvSaleView, sale_title);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleView, sale_subtitle);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleView, sale_total);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleView, sale_status);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleView, lines_list);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleView, payments_list);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleView, corrections_heading);
  gtk_widget_class_bind_template_child (widget_class, PdvSaleView, corrections_list);
}

static void
pdv_sale_view_init (PdvSaleView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pdv_sale_view_new (void)
{
  return g_object_new (PDV_TYPE_SALE_VIEW, NULL);
}

/**
 * pdv_sale_view_show:
 * @user_names: (nullable): people's names by user id; ids show where a
 *   name is missing
 *
 * Shows @detail: what was sold, how it was paid, its voids and refunds.
 */
void
pdv_sale_view_show (PdvSaleView         *self,
                    const PdvSaleDetail *detail,
                    GHashTable          *user_names,
                    GDateTime           *now)
{
  const PdvSaleRecord *record;
  g_autofree char *title = NULL;
  g_autofree char *when = NULL;
  g_autofree char *total = NULL;
  g_autofree char *status = NULL;
  g_autofree char *items = NULL;
  g_autoptr(GString) subtitle = NULL;
  const char *who;

  g_return_if_fail (PDV_IS_SALE_VIEW (self));
  g_return_if_fail (detail != NULL);

  g_clear_pointer (&self->user_names, g_hash_table_unref);
  self->user_names = user_names ? g_hash_table_ref (user_names) : NULL;

  record = detail->record;
  /* Translators: %s is the sale's number, as on the receipt */
  title = g_strdup_printf (_("Sale %s"), record->number);
  when = format_when (record->created_at, now, TRUE);
  total = pdv_money_format (record->total);
  status = describe_status (record);
  items = g_strdup_printf (ngettext ("%lld item", "%lld items", record->n_items), (long long) record->n_items);
  who = record->user_name ? record->user_name : record->user;
  subtitle = g_string_new (when);
  if (who != NULL)
    g_string_append_printf (subtitle, " · %s", who);
  g_string_append_printf (subtitle, " · %s", items);

  gtk_label_set_label (self->sale_title, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sale_title), record->sale_id);
  gtk_label_set_label (self->sale_subtitle, subtitle->str);
  gtk_label_set_label (self->sale_total, total);
  gtk_label_set_label (self->sale_status, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sale_status), status != NULL);
  style_status (GTK_WIDGET (self->sale_status), record);

  show_lines (self, detail);
  show_payments (self, detail);
  show_corrections (self, detail, now);
}

/**
 * pdv_sale_row_new:
 *
 * A row of the recent sales: what was sold, when, by whom and how it was
 * paid; the total, and whether it was voided or refunded.
 */
GtkWidget *
pdv_sale_row_new (const PdvSaleRecord *record,
                  GDateTime           *now)
{
  g_autofree char *total = NULL;
  g_autofree char *when = NULL;
  g_autofree char *methods = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GString) subtitle = NULL;
  const char *who;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *total_label;

  g_return_val_if_fail (record != NULL, NULL);

  total = pdv_money_format (record->total);
  when = format_when (record->created_at, now, FALSE);
  methods = describe_methods ((const char * const *) record->methods);
  status = describe_status (record);
  who = record->user_name ? record->user_name : record->user;
  row = adw_action_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  total_label = gtk_label_new (total);

  subtitle = g_string_new (when);
  /* "21:04 · Ana Souza · Cash" */
  if (who != NULL)
    g_string_append_printf (subtitle, " · %s", who);
  if (*methods != '\0')
    g_string_append_printf (subtitle, " · %s", methods);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), record->summary);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (total_label), 1);
  gtk_widget_add_css_class (total_label, "heading");
  gtk_widget_add_css_class (total_label, "numeric");
  if (record->voided)
    gtk_widget_add_css_class (total_label, "dim-label");
  gtk_box_append (GTK_BOX (box), total_label);
  if (status != NULL)
    {
      GtkWidget *status_label = gtk_label_new (status);

      gtk_label_set_xalign (GTK_LABEL (status_label), 1);
      gtk_widget_add_css_class (status_label, "caption-heading");
      style_status (status_label, record);
      gtk_box_append (GTK_BOX (box), status_label);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), SALE_ID_KEY, g_strdup (record->sale_id), g_free);
  return row;
}

/**
 * pdv_sale_row_get_sale_id:
 *
 * Returns: (nullable): the sale of a row made by pdv_sale_row_new()
 */
const char *
pdv_sale_row_get_sale_id (GtkListBoxRow *row)
{
  g_return_val_if_fail (GTK_IS_LIST_BOX_ROW (row), NULL);
  return g_object_get_data (G_OBJECT (row), SALE_ID_KEY);
}

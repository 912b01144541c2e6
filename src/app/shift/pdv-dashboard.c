/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-dashboard"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pdv-dashboard-data.h"
#include "pdv-dashboard.h"

/* The night at a glance for the manager. The figures are read in a worker
 * on its own connection, every few seconds while the dashboard is on
 * screen, so sales at the other tills show up without freezing this one. */
struct _PdvDashboard
{
  GtkWidget     parent_instance;

  PdvContext   *context;
  PdvUser      *reader;
  GCancellable *cancellable;
  guint         timeout_id;
  guint         n_refreshes;

  GtkLabel     *sales_label;
  GtkLabel     *revenue_label;
  GtkLabel     *checkins_label;
  GtkLabel     *occupancy_label;
  GtkWidget    *fichas_card;
  GtkLabel     *fichas_label;
  GtkLabel     *fichas_caption;
  PdvChart     *sales_chart;
  PdvChart     *checkins_chart;
  GtkListBox   *top_list;
  GtkListBox   *stock_list;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (PdvDashboard, pdv_dashboard, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define REFRESH_SECONDS 10

typedef struct {
  PdvContext *context;
  PdvUser    *reader;
} CollectJob;

static void
collect_job_free (CollectJob *job)
{
  g_clear_object (&job->context);
  g_clear_pointer (&job->reader, pdv_user_free);
  g_free (job);
}

static void
collect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CollectJob *job = task_data;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  PdvDashboardData *data;

  context = pdv_context_open_beside (job->context, &error);
  if (context == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  now = pdv_clock_get_now (pdv_context_get_clock (context), NULL);
  data = pdv_dashboard_data_collect (context, job->reader, now, &error);
  if (data == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, data, (GDestroyNotify) pdv_dashboard_data_free);
}

static GtkWidget *
make_row (const char *title,
          const char *value,
          gboolean    alert)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (label, "numeric");
  if (alert)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_add_css_class (label, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
set_bars (PdvChart  *chart,
          GPtrArray *rows)
{
  g_autofree const char **labels = g_new0 (const char *, rows->len + 1);
  g_autofree double *values = g_new0 (double, rows->len + 1);

  for (guint i = 0; i < rows->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (rows, i);

      labels[i] = row->label;
      values[i] = (double) row->count;
    }
  pdv_chart_set_bars (chart, labels, values, rows->len);
}

static void
show_data (PdvDashboard     *self,
           PdvDashboardData *data)
{
  g_autofree char *sales = g_strdup_printf ("%" G_GINT64_FORMAT, data->sales_last_hour);
  g_autofree char *revenue = pdv_money_format (data->revenue);
  g_autofree char *checkins = g_strdup_printf ("%.1f", data->checkins_per_minute);
  g_autofree char *occupancy = NULL;

  if (data->capacity > 0)
    occupancy = g_strdup_printf ("%.0f %%", 100.0 * data->inside / data->capacity);
  else
    occupancy = g_strdup_printf ("%" G_GINT64_FORMAT, data->inside);

  gtk_label_set_label (self->sales_label, sales);
  gtk_label_set_label (self->revenue_label, revenue);
  gtk_label_set_label (self->checkins_label, checkins);
  gtk_label_set_label (self->occupancy_label, occupancy);
  /* The bar's liability: fichas paid for and not served yet. */
  gtk_widget_set_visible (self->fichas_card, data->fichas_issued > 0);
  if (data->fichas_issued > 0)
    {
      g_autofree char *outstanding = g_strdup_printf ("%" G_GINT64_FORMAT, data->fichas_outstanding);
      /* Translators: under the number of fichas not served yet */
      g_autofree char *caption = g_strdup_printf (ngettext ("Fichas to serve, of %lld handed over",
                                                            "Fichas to serve, of %lld handed over",
                                                            (gulong) data->fichas_issued),
                                                  (long long) data->fichas_issued);

      gtk_label_set_label (self->fichas_label, outstanding);
      gtk_label_set_label (self->fichas_caption, caption);
    }

  set_bars (self->sales_chart, data->sales_by_hour);
  set_bars (self->checkins_chart, data->checkins_by_hour);

  clear_list (self->top_list);
  for (guint i = 0; i < data->top_products->len; i++)
    {
      PdvReportRow *row = g_ptr_array_index (data->top_products, i);
      g_autofree char *amount = pdv_money_format (row->amount);
      /* Translators: how many sold and for how much, e.g. "6 · R$ 72,00" */
      g_autofree char *value = g_strdup_printf (_("%lld · %s"), (long long) row->count, amount);

      gtk_list_box_append (self->top_list, make_row (row->label, value, FALSE));
    }
  if (data->top_products->len == 0)
    gtk_list_box_append (self->top_list, make_row (_("No sales yet"), "", FALSE));

  clear_list (self->stock_list);
  for (guint i = 0; i < data->stock->len; i++)
    {
      PdvStockForecast *forecast = g_ptr_array_index (data->stock, i);
      g_autofree char *left = pdv_stock_forecast_describe (forecast);
      g_autofree char *basis = pdv_stock_forecast_describe_basis (forecast);
      /* Translators: units in stock and how long they last, e.g. "48 · ~40 min left" */
      g_autofree char *value = g_strdup_printf (_("%lld · %s"), (long long) forecast->stock, left);
      GtkWidget *row = make_row (forecast->name, value, forecast->alert);

      /* What the forecast rests on, under the product's name. */
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), basis);
      gtk_list_box_append (self->stock_list, row);
    }
  if (data->stock->len == 0)
    gtk_list_box_append (self->stock_list, make_row (_("No product tracks its stock"), "", FALSE));
}

static void
collected_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PdvDashboard *self = PDV_DASHBOARD (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvDashboardData) data = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  self->n_refreshes++;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), data == NULL);
  if (data == NULL)
    {
      /* Translators: %s says why the figures could not be read */
      g_autofree char *message = g_strdup_printf (_("The figures could not be read: %s"), error->message);

      gtk_label_set_label (self->error_label, message);
      return;
    }
  show_data (self, data);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  pdv_dashboard_refresh (PDV_DASHBOARD (user_data));
  return G_SOURCE_CONTINUE;
}

static void
pdv_dashboard_map (GtkWidget *widget)
{
  PdvDashboard *self = PDV_DASHBOARD (widget);

  GTK_WIDGET_CLASS (pdv_dashboard_parent_class)->map (widget);

  pdv_dashboard_refresh (self);
  if (self->timeout_id == 0)
    self->timeout_id = pdv_clock_timeout_add_seconds (pdv_context_get_clock (self->context), REFRESH_SECONDS,
                                                      refresh_timeout_cb, self);
}

static void
pdv_dashboard_unmap (GtkWidget *widget)
{
  PdvDashboard *self = PDV_DASHBOARD (widget);

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  GTK_WIDGET_CLASS (pdv_dashboard_parent_class)->unmap (widget);
}

static void
pdv_dashboard_dispose (GObject *object)
{
  PdvDashboard *self = PDV_DASHBOARD (object);
  GtkWidget *child;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_DASHBOARD);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);
  g_clear_pointer (&self->reader, pdv_user_free);

  G_OBJECT_CLASS (pdv_dashboard_parent_class)->dispose (object);
}

static void
pdv_dashboard_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PdvDashboard *self = PDV_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_dashboard_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PdvDashboard *self = PDV_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      if (g_set_object (&self->context, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_dashboard_class_init (PdvDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_dashboard_dispose;
  object_class->get_property = pdv_dashboard_get_property;
  object_class->set_property = pdv_dashboard_set_property;
  widget_class->map = pdv_dashboard_map;
  widget_class->unmap = pdv_dashboard_unmap;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PDV_TYPE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/shift/pdv-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, sales_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, revenue_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, checkins_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, occupancy_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, fichas_card);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, fichas_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, fichas_caption);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, sales_chart);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, checkins_chart);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, top_list);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, stock_list);
  gtk_widget_class_bind_template_child (widget_class, PdvDashboard, error_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_dashboard_init (PdvDashboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pdv_dashboard_new (PdvContext *context)
{
  g_return_val_if_fail (context == NULL || PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_DASHBOARD, "context", context, NULL);
}

/**
 * pdv_dashboard_refresh:
 *
 * Reads the figures again, in a worker; a read under way is left to finish.
 */
void
pdv_dashboard_refresh (PdvDashboard *self)
{
  g_autoptr(GTask) task = NULL;
  CollectJob *job;

  g_return_if_fail (PDV_IS_DASHBOARD (self));

  if (self->cancellable != NULL || self->context == NULL || self->reader == NULL)
    return;

  job = g_new0 (CollectJob, 1);
  job->context = g_object_ref (self->context);
  job->reader = pdv_user_copy (self->reader);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, collected_cb, NULL);
  g_task_set_source_tag (task, pdv_dashboard_refresh);
  g_task_set_task_data (task, job, (GDestroyNotify) collect_job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, collect_thread);
}

/**
 * pdv_dashboard_set_reader:
 * @reader: (nullable): who is looking: their role must allow reading
 *   reports; %NULL reads nothing
 */
void
pdv_dashboard_set_reader (PdvDashboard  *self,
                          const PdvUser *reader)
{
  g_return_if_fail (PDV_IS_DASHBOARD (self));

  g_clear_pointer (&self->reader, pdv_user_free);
  self->reader = reader != NULL ? pdv_user_copy (reader) : NULL;
}

gboolean
pdv_dashboard_get_loading (PdvDashboard *self)
{
  g_return_val_if_fail (PDV_IS_DASHBOARD (self), FALSE);
  return self->cancellable != NULL;
}

guint
pdv_dashboard_get_n_refreshes (PdvDashboard *self)
{
  g_return_val_if_fail (PDV_IS_DASHBOARD (self), 0);
  return self->n_refreshes;
}

const char *
pdv_dashboard_get_revenue_text (PdvDashboard *self)
{
  g_return_val_if_fail (PDV_IS_DASHBOARD (self), NULL);
  return gtk_label_get_label (self->revenue_label);
}

const char *
pdv_dashboard_get_sales_text (PdvDashboard *self)
{
  g_return_val_if_fail (PDV_IS_DASHBOARD (self), NULL);
  return gtk_label_get_label (self->sales_label);
}

/**
 * pdv_dashboard_get_checkins_text:
 *
 * Returns: the tickets let in per minute over the last ten minutes, as shown
 */
const char *
pdv_dashboard_get_checkins_text (PdvDashboard *self)
{
  g_return_val_if_fail (PDV_IS_DASHBOARD (self), NULL);
  return gtk_label_get_label (self->checkins_label);
}

PdvChart *
pdv_dashboard_get_sales_chart (PdvDashboard *self)
{
  g_return_val_if_fail (PDV_IS_DASHBOARD (self), NULL);
  return self->sales_chart;
}

GtkListBox *
pdv_dashboard_get_stock_list (PdvDashboard *self)
{
  g_return_val_if_fail (PDV_IS_DASHBOARD (self), NULL);
  return self->stock_list;
}

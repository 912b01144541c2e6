/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-chart.h"

/* A bar chart small enough for a dashboard: one bar per label, its value
 * above it, drawn in the theme's accent colour. */
struct _PdvChart
{
  GtkWidget  parent_instance;

  GStrv      labels;
  GArray    *values;   /* double */
};

G_DEFINE_FINAL_TYPE (PdvChart, pdv_chart, GTK_TYPE_WIDGET)

#define LABEL_HEIGHT 20
#define BAR_GAP      6

static PangoLayout *
make_layout (PdvChart   *self,
             const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  return layout;
}

static void
draw_centred (GtkSnapshot   *snapshot,
              PangoLayout   *layout,
              float          centre_x,
              float          y,
              const GdkRGBA *colour)
{
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (centre_x - width / 2.f, y));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
pdv_chart_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  PdvChart *self = PDV_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg, accent;
  double max = 0;
  guint n = self->values->len;
  float slot, plot_height;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  accent = (GdkRGBA) { 0.21f, 0.52f, 0.89f, 1.f };   /* Adwaita's blue */

  if (n == 0)
    {
      g_autoptr(PangoLayout) layout = make_layout (self, _("Nothing yet"));
      GdkRGBA dim = fg;

      dim.alpha = 0.55f;
      draw_centred (snapshot, layout, width / 2.f, height / 2.f - 10, &dim);
      return;
    }

  for (guint i = 0; i < n; i++)
    max = MAX (max, g_array_index (self->values, double, i));
  if (max <= 0)
    max = 1;

  slot = (float) width / n;
  plot_height = MAX (0, height - 2 * LABEL_HEIGHT);

  for (guint i = 0; i < n; i++)
    {
      double value = g_array_index (self->values, double, i);
      float bar_height = (float) (value / max) * plot_height;
      /* A few bars stay bars rather than filling the whole width. */
      float bar_width = CLAMP (slot - BAR_GAP, 1, 72);
      float x = i * slot + (slot - bar_width) / 2.f;
      float top = LABEL_HEIGHT + plot_height - bar_height;
      g_autofree char *value_text = g_strdup_printf ("%.0f", value);
      g_autoptr(PangoLayout) value_layout = make_layout (self, value_text);
      g_autoptr(PangoLayout) label_layout = make_layout (self, self->labels[i]);

      gtk_snapshot_append_color (snapshot, &accent, &GRAPHENE_RECT_INIT (x, top, bar_width, bar_height));
      draw_centred (snapshot, value_layout, x + bar_width / 2, top - LABEL_HEIGHT + 2, &fg);
      draw_centred (snapshot, label_layout, x + bar_width / 2, LABEL_HEIGHT + plot_height + 2, &fg);
    }
}

static void
pdv_chart_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 160;
}

static void
pdv_chart_finalize (GObject *object)
{
  PdvChart *self = PDV_CHART (object);

  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->values, g_array_unref);

  G_OBJECT_CLASS (pdv_chart_parent_class)->finalize (object);
}

static void
pdv_chart_class_init (PdvChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pdv_chart_finalize;
  widget_class->snapshot = pdv_chart_snapshot;
  widget_class->measure = pdv_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "pdvchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pdv_chart_init (PdvChart *self)
{
  self->labels = g_new0 (char *, 1);
  self->values = g_array_new (FALSE, TRUE, sizeof (double));
}

GtkWidget *
pdv_chart_new (void)
{
  return g_object_new (PDV_TYPE_CHART, NULL);
}

/**
 * pdv_chart_set_bars:
 * @labels: (array length=n_bars): what each bar is, e.g. "21h"
 * @values: (array length=n_bars): their heights, zero or more
 */
void
pdv_chart_set_bars (PdvChart           *self,
                    const char * const *labels,
                    const double       *values,
                    guint               n_bars)
{
  GStrvBuilder *builder;

  g_return_if_fail (PDV_IS_CHART (self));
  g_return_if_fail (n_bars == 0 || (labels != NULL && values != NULL));

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n_bars; i++)
    g_strv_builder_add (builder, labels[i]);
  g_strfreev (self->labels);
  self->labels = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n_bars);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
pdv_chart_get_n_bars (PdvChart *self)
{
  g_return_val_if_fail (PDV_IS_CHART (self), 0);
  return self->values->len;
}

double
pdv_chart_get_value (PdvChart *self,
                     guint     index)
{
  g_return_val_if_fail (PDV_IS_CHART (self), 0);
  g_return_val_if_fail (index < self->values->len, 0);
  return g_array_index (self->values, double, index);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report-table"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-report-table.h"

/* One table of a report on screen: a heading over a card whose rows are a
 * name and one or more figures, right-aligned in tabular figures under
 * their column headings. A grid keeps the columns aligned whatever the
 * width of what is in them.
 *
 * Each row is read out as one sentence ("Cash, Qty 6, Amount R$ 72,00"): a
 * screen reader reading the cells one by one would lose which number
 * belongs to what. */
struct _PdvReportTable
{
  GtkWidget  parent_instance;

  GStrv      captions;   /* of the figure columns */
  GtkWidget *top_widget;
  GtkGrid   *grid;       /* replaced by a new one when cleared */
  guint      n_rows;
  GString   *text;       /* the rows as tab-separated text */

  GtkLabel  *heading;
  GtkBox    *card;
};

G_DEFINE_FINAL_TYPE (PdvReportTable, pdv_report_table, GTK_TYPE_WIDGET)

static void
hide_from_screen_readers (GtkWidget *widget)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

static GtkWidget *
cell_new (const char *text,
          gboolean    numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "report-cell");
  if (numeric)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    {
      /* Names wrap rather than lose their end: large text, long names. */
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (label, TRUE);
    }
  return label;
}

/* The name cell of a row with an icon before the name or a line under it. */
static GtkWidget *
name_box_new (GtkWidget  *name,
              const char *icon_name,
              const char *subtitle)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *lines = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_remove_css_class (name, "report-cell");
  gtk_widget_set_valign (lines, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (box, "report-cell");
  gtk_widget_set_hexpand (box, TRUE);
  if (icon_name != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      hide_from_screen_readers (icon);
      gtk_box_append (GTK_BOX (box), icon);
    }
  gtk_box_append (GTK_BOX (lines), name);
  if (subtitle != NULL)
    {
      GtkWidget *line = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (line), 0);
      gtk_label_set_wrap (GTK_LABEL (line), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (line), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (line, "caption");
      gtk_widget_add_css_class (line, "dim-label");
      hide_from_screen_readers (line);
      gtk_box_append (GTK_BOX (lines), line);
    }
  gtk_box_append (GTK_BOX (box), lines);
  return box;
}

static void
pdv_report_table_dispose (GObject *object)
{
  PdvReportTable *self = PDV_REPORT_TABLE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_REPORT_TABLE);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_report_table_parent_class)->dispose (object);
}

static void
pdv_report_table_finalize (GObject *object)
{
  PdvReportTable *self = PDV_REPORT_TABLE (object);

  g_clear_pointer (&self->captions, g_strfreev);
  g_string_free (self->text, TRUE);

  G_OBJECT_CLASS (pdv_report_table_parent_class)->finalize (object);
}

static void
pdv_report_table_class_init (PdvReportTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_report_table_dispose;
  object_class->finalize = pdv_report_table_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/shift/pdv-report-table.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvReportTable, heading);
  gtk_widget_class_bind_template_child (widget_class, PdvReportTable, card);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "reporttable");
}

static void
pdv_report_table_init (PdvReportTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->text = g_string_new (NULL);
  self->captions = g_new0 (char *, 1);
}

/**
 * pdv_report_table_new:
 * @title: the heading over the table
 * @captions: (array zero-terminated=1): the headings of the figure columns,
 *   one to three of them
 */
GtkWidget *
pdv_report_table_new (const char         *title,
                      const char * const *captions)
{
  PdvReportTable *self;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (captions != NULL && captions[0] != NULL, NULL);

  self = g_object_new (PDV_TYPE_REPORT_TABLE, NULL);
  gtk_label_set_label (self->heading, title);
  g_strfreev (self->captions);
  self->captions = g_strdupv ((GStrv) captions);
  pdv_report_table_clear (self);
  return GTK_WIDGET (self);
}

/**
 * pdv_report_table_set_top_widget:
 * @widget: (transfer none): shown in the card above the rows, e.g. a chart
 */
void
pdv_report_table_set_top_widget (PdvReportTable *self,
                                 GtkWidget      *widget)
{
  g_return_if_fail (PDV_IS_REPORT_TABLE (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (self->top_widget == NULL);

  self->top_widget = widget;
  gtk_box_prepend (self->card, widget);
}

guint
pdv_report_table_get_n_columns (PdvReportTable *self)
{
  g_return_val_if_fail (PDV_IS_REPORT_TABLE (self), 0);
  return g_strv_length (self->captions);
}

/**
 * pdv_report_table_clear:
 *
 * Removes every row, for the next report.
 */
void
pdv_report_table_clear (PdvReportTable *self)
{
  guint n;

  g_return_if_fail (PDV_IS_REPORT_TABLE (self));

  if (self->grid != NULL)
    gtk_box_remove (self->card, GTK_WIDGET (self->grid));
  self->grid = GTK_GRID (gtk_grid_new ());
  self->n_rows = 0;
  g_string_truncate (self->text, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->grid), "report-table");
  gtk_box_append (self->card, GTK_WIDGET (self->grid));

  /* The column headings, shown once there is a row under them; the rows
   * are read out with them. */
  n = pdv_report_table_get_n_columns (self);
  for (guint i = 0; i <= n; i++)
    {
      GtkWidget *caption = cell_new (i == 0 ? "" : self->captions[i - 1], i > 0);

      gtk_widget_add_css_class (caption, "report-caption");
      gtk_widget_add_css_class (caption, i == 0 ? "first" : i == n ? "last" : "middle");
      gtk_widget_set_visible (caption, FALSE);
      hide_from_screen_readers (caption);
      gtk_grid_attach (self->grid, caption, i, 0, 1, 1);
    }
}

/**
 * pdv_report_table_add_row:
 * @icon_name: (nullable): an icon before the name
 * @subtitle: (nullable): a line under the name, e.g. who authorised it
 * @values: one text per figure column; %NULL or "" leaves a cell empty
 * @value_class: (nullable): a style class for the last figure, e.g. "error"
 */
void
pdv_report_table_add_row (PdvReportTable     *self,
                          PdvReportRowFlags   flags,
                          const char         *icon_name,
                          const char         *title,
                          const char         *subtitle,
                          const char * const *values,
                          const char         *value_class)
{
  guint n;
  int row;
  GtkWidget *name;
  GtkWidget *first;
  g_autoptr(GString) sentence = NULL;

  g_return_if_fail (PDV_IS_REPORT_TABLE (self));
  g_return_if_fail (title != NULL);
  g_return_if_fail (values != NULL);

  n = pdv_report_table_get_n_columns (self);
  row = self->n_rows + 1;
  name = cell_new (title, FALSE);
  first = name;
  sentence = g_string_new (title);

  if (self->n_rows == 0)
    for (guint i = 0; i <= n; i++)
      gtk_widget_set_visible (gtk_grid_get_child_at (self->grid, i, 0), TRUE);

  g_string_append (self->text, title);
  if (icon_name != NULL || subtitle != NULL)
    first = name_box_new (name, icon_name, subtitle);
  if (subtitle != NULL)
    {
      g_string_append_printf (sentence, ", %s", subtitle);
      g_string_append_printf (self->text, " (%s)", subtitle);
    }
  gtk_widget_add_css_class (first, "first");
  if (flags & PDV_REPORT_ROW_DETAIL)
    {
      gtk_widget_add_css_class (first, "detail");
      gtk_widget_add_css_class (name, "dim-label");
    }
  if (flags & PDV_REPORT_ROW_TOTAL)
    gtk_widget_add_css_class (name, "total");
  gtk_grid_attach (self->grid, first, 0, row, 1, 1);

  for (guint i = 0; i < n; i++)
    {
      const char *value = values[i] ? values[i] : "";
      GtkWidget *cell = cell_new (value, TRUE);

      gtk_widget_add_css_class (cell, i + 1 == n ? "last" : "middle");
      if (i + 1 == n && value_class != NULL)
        gtk_widget_add_css_class (cell, value_class);
      if (flags & PDV_REPORT_ROW_TOTAL)
        gtk_widget_add_css_class (cell, "total");
      if (flags & PDV_REPORT_ROW_DETAIL)
        {
          gtk_widget_add_css_class (cell, "dim-label");
          gtk_widget_add_css_class (cell, "detail");
        }
      hide_from_screen_readers (cell);
      gtk_grid_attach (self->grid, cell, i + 1, row, 1, 1);
      if (*value != '\0')
        /* Translators: one figure of a report row read out, after the
         * row's name: a column heading and the figure, e.g. ", Qty 6" */
        g_string_append_printf (sentence, _(", %s %s"), self->captions[i], value);
      g_string_append_printf (self->text, "\t%s", value);
    }
  g_string_append_c (self->text, '\n');

  gtk_accessible_update_property (GTK_ACCESSIBLE (name), GTK_ACCESSIBLE_PROPERTY_LABEL, sentence->str, -1);
  self->n_rows++;
}

/**
 * pdv_report_table_finish:
 *
 * Says "None" in a table left without rows rather than showing an empty
 * card.
 */
void
pdv_report_table_finish (PdvReportTable *self)
{
  GtkWidget *none;

  g_return_if_fail (PDV_IS_REPORT_TABLE (self));

  if (self->n_rows > 0)
    return;
  /* Translators: what a table of a report says when it has no rows */
  none = cell_new (_("None"), FALSE);
  gtk_widget_add_css_class (none, "first");
  gtk_widget_add_css_class (none, "last");
  gtk_widget_add_css_class (none, "report-none");
  gtk_widget_add_css_class (none, "dim-label");
  gtk_grid_attach (self->grid, none, 0, 1, pdv_report_table_get_n_columns (self) + 1, 1);
}

/**
 * pdv_report_table_dup_text:
 *
 * Returns: (transfer full): the rows as shown, one a line: the name (with
 *   the line under it in brackets) and the figures, separated by tabs
 */
char *
pdv_report_table_dup_text (PdvReportTable *self)
{
  g_return_val_if_fail (PDV_IS_REPORT_TABLE (self), NULL);
  return g_strdup (self->text->str);
}

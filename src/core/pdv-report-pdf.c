/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report-pdf"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "pdv-report-doc.h"

/* Reports as PDF for ordinary printers and for sending on: an A4 document
 * with as many pages as it takes, or one long page as wide as an 80 mm
 * receipt. Units are PostScript points. */

#define MM (72.0 / 25.4)
#define FONT_FAMILY "DejaVu Sans, Sans"

typedef struct {
  double    width;
  double    height;       /* 0: one page as tall as the content */
  double    margin;
  double    body;         /* font sizes */
  double    small;
  double    section;
  double    title;
  double    heading;
  double    row_gap;
  double    section_gap;
  gboolean  stripes;
  gboolean  footer;
} Geometry;

static const Geometry a4 = {
  .width = 210 * MM, .height = 297 * MM, .margin = 18 * MM,
  .body = 9.5, .small = 7.5, .section = 11, .title = 18, .heading = 12,
  .row_gap = 2.5, .section_gap = 14, .stripes = TRUE, .footer = TRUE,
};

static const Geometry receipt = {
  .width = 80 * MM, .height = 0, .margin = 4 * MM,
  .body = 7.5, .small = 6.5, .section = 8.5, .title = 12, .heading = 9,
  .row_gap = 1.5, .section_gap = 8, .stripes = FALSE, .footer = FALSE,
};

typedef struct {
  cairo_t        *cr;
  PangoContext   *pango;
  const Geometry *g;
  const char     *footer_text;
  double          y;
  int             page;
} Pen;

static PangoLayout *
text_layout (Pen           *pen,
             const char    *text,
             double         size,
             gboolean       bold,
             double         width,
             PangoAlignment align)
{
  PangoLayout *layout = pango_layout_new (pen->pango);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int width, height;

  pango_layout_get_size (layout, &width, &height);
  return (double) height / PANGO_SCALE;
}

static double
text_width (Pen        *pen,
            const char *text,
            double      size,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = text_layout (pen, text, size, bold, -1, PANGO_ALIGN_LEFT);
  int width, height;

  pango_layout_get_size (layout, &width, &height);
  return (double) width / PANGO_SCALE;
}

static void
show (Pen         *pen,
      PangoLayout *layout,
      double       x,
      double       y,
      double       grey)
{
  cairo_set_source_rgb (pen->cr, grey, grey, grey);
  cairo_move_to (pen->cr, x, y);
  pango_cairo_show_layout (pen->cr, layout);
}

static void
rule (Pen    *pen,
      double  y,
      double  thickness,
      double  grey)
{
  cairo_set_source_rgb (pen->cr, grey, grey, grey);
  cairo_set_line_width (pen->cr, thickness);
  cairo_move_to (pen->cr, pen->g->margin, y);
  cairo_line_to (pen->cr, pen->g->width - pen->g->margin, y);
  cairo_stroke (pen->cr);
}

static double
content_width (Pen *pen)
{
  return pen->g->width - 2 * pen->g->margin;
}

static void
draw_footer (Pen *pen)
{
  g_autofree char *page = NULL;
  g_autoptr(PangoLayout) left = NULL;
  g_autoptr(PangoLayout) right = NULL;
  double y = pen->g->height - pen->g->margin + 6;

  if (!pen->g->footer)
    return;
  /* Translators: the page number at the foot of a PDF report */
  page = g_strdup_printf (_("Page %d"), pen->page);
  left = text_layout (pen, pen->footer_text, pen->g->small, FALSE, content_width (pen) * 0.75, PANGO_ALIGN_LEFT);
  right = text_layout (pen, page, pen->g->small, FALSE, content_width (pen), PANGO_ALIGN_RIGHT);
  rule (pen, y - 3, 0.4, 0.6);
  show (pen, left, pen->g->margin, y, 0.35);
  show (pen, right, pen->g->margin, y, 0.35);
}

/* Starts a new page when @needed more points do not fit on this one. */
static void
make_room (Pen    *pen,
           double  needed)
{
  double bottom;

  if (pen->g->height <= 0)
    return;
  bottom = pen->g->height - pen->g->margin;
  if (pen->y + needed <= bottom)
    return;
  draw_footer (pen);
  cairo_show_page (pen->cr);
  pen->page++;
  pen->y = pen->g->margin;
}

/* How wide each figure column of a table with @columns columns must be: its
 * heading or its widest cell, in every such table of the document, so that
 * figures line up from one table to the next. */
static double *
column_widths (Pen          *pen,
               PdvReportDoc *doc,
               guint         columns)
{
  double *widths = g_new0 (double, columns);
  double gap = pen->g->body * 1.2;

  for (guint s = 0; s < doc->sections->len; s++)
    {
      PdvReportDocSection *section = g_ptr_array_index (doc->sections, s);

      if (section->pairs || section->headings == NULL || g_strv_length (section->headings) != columns)
        continue;
      for (guint c = 0; c < columns; c++)
        {
          widths[c] = MAX (widths[c], text_width (pen, section->headings[c], pen->g->small, TRUE) + gap);
          for (guint r = 0; r < section->rows->len; r++)
            {
              PdvReportDocRow *row = g_ptr_array_index (section->rows, r);
              widths[c] = MAX (widths[c], text_width (pen, row->cells[c + 1], pen->g->body, row->bold) + gap);
            }
        }
    }
  return widths;
}

static gboolean
has_figures (PdvReportDocRow *row)
{
  for (guint c = 1; row->cells[c] != NULL; c++)
    if (*row->cells[c] != '\0')
      return TRUE;
  return FALSE;
}

static void
draw_pairs (Pen                 *pen,
            PdvReportDocSection *section)
{
  double label_width = 0;

  for (guint r = 0; r < section->rows->len; r++)
    {
      PdvReportDocRow *row = g_ptr_array_index (section->rows, r);
      label_width = MAX (label_width, text_width (pen, row->cells[0], pen->g->body, TRUE));
    }
  label_width = MIN (label_width + pen->g->body, content_width (pen) * 0.45);

  for (guint r = 0; r < section->rows->len; r++)
    {
      PdvReportDocRow *row = g_ptr_array_index (section->rows, r);
      g_autoptr(PangoLayout) label = text_layout (pen, row->cells[0], pen->g->body, TRUE, label_width,
                                                  PANGO_ALIGN_LEFT);
      g_autoptr(PangoLayout) value = text_layout (pen, row->cells[1], pen->g->body, FALSE,
                                                  content_width (pen) - label_width, PANGO_ALIGN_LEFT);
      double height = MAX (layout_height (label), layout_height (value));

      make_room (pen, height + pen->g->row_gap);
      show (pen, label, pen->g->margin, pen->y, 0.3);
      show (pen, value, pen->g->margin + label_width, pen->y, 0);
      pen->y += height + pen->g->row_gap;
    }
}

static void
draw_table (Pen                 *pen,
            PdvReportDoc        *doc,
            PdvReportDocSection *section)
{
  guint columns = section->headings ? g_strv_length (section->headings) : 0;
  g_autofree double *widths = column_widths (pen, doc, columns);
  double figures = 0;
  double label_width;
  double x;

  for (guint c = 0; c < columns; c++)
    figures += widths[c];
  label_width = content_width (pen) - figures;

  /* The title and the column headings, kept with the first rows. */
  {
    g_autoptr(PangoLayout) title = text_layout (pen, section->title, pen->g->section, TRUE, label_width,
                                                PANGO_ALIGN_LEFT);
    double height = layout_height (title);

    make_room (pen, height + 3 * (pen->g->body * 1.4));
    show (pen, title, pen->g->margin, pen->y, 0);
    x = pen->g->margin + label_width;
    for (guint c = 0; c < columns; c++)
      {
        g_autoptr(PangoLayout) heading = text_layout (pen, section->headings[c], pen->g->small, TRUE, widths[c],
                                                      PANGO_ALIGN_RIGHT);
        show (pen, heading, x, pen->y + height - layout_height (heading) - 1, 0.4);
        x += widths[c];
      }
    pen->y += height + 2;
    rule (pen, pen->y, 0.8, 0);
    pen->y += pen->g->row_gap + 1;
  }

  for (guint r = 0; r < section->rows->len; r++)
    {
      PdvReportDocRow *row = g_ptr_array_index (section->rows, r);
      double indent = row->indent * pen->g->body * 1.5;
      /* A row of words alone may run across the figure columns. */
      double room = has_figures (row) ? label_width - pen->g->body * 0.5 : content_width (pen);
      g_autoptr(PangoLayout) label = text_layout (pen, row->cells[0], pen->g->body, row->bold, room - indent,
                                                  PANGO_ALIGN_LEFT);
      double height = layout_height (label);

      make_room (pen, height + pen->g->row_gap);
      if (pen->g->stripes && r % 2 == 1)
        {
          cairo_set_source_rgb (pen->cr, 0.94, 0.94, 0.94);
          cairo_rectangle (pen->cr, pen->g->margin, pen->y - pen->g->row_gap / 2, content_width (pen),
                           height + pen->g->row_gap);
          cairo_fill (pen->cr);
        }
      if (row->bold && !pen->g->stripes)
        rule (pen, pen->y - pen->g->row_gap / 2, 0.3, 0.5);
      show (pen, label, pen->g->margin + indent, pen->y, row->indent > 0 ? 0.3 : 0);
      x = pen->g->margin + label_width;
      for (guint c = 0; c < columns; c++)
        {
          g_autoptr(PangoLayout) cell = text_layout (pen, row->cells[c + 1], pen->g->body, row->bold, widths[c],
                                                     PANGO_ALIGN_RIGHT);
          /* Figures on the label's last line when the label wraps. */
          show (pen, cell, x, pen->y + height - layout_height (cell), row->indent > 0 ? 0.3 : 0);
          x += widths[c];
        }
      pen->y += height + pen->g->row_gap;
    }
}

/* Lays the whole document out from the top of the first page; returns how
 * tall it came out. */
static double
render (Pen          *pen,
        PdvReportDoc *doc)
{
  pen->y = pen->g->margin;
  pen->page = 1;

  if (doc->heading != NULL)
    {
      g_autoptr(PangoLayout) heading = text_layout (pen, doc->heading, pen->g->heading, TRUE, content_width (pen),
                                                    PANGO_ALIGN_CENTER);
      show (pen, heading, pen->g->margin, pen->y, 0.25);
      pen->y += layout_height (heading) + 2;
    }
  {
    g_autoptr(PangoLayout) title = text_layout (pen, doc->title, pen->g->title, TRUE, content_width (pen),
                                                PANGO_ALIGN_CENTER);
    show (pen, title, pen->g->margin, pen->y, 0);
    pen->y += layout_height (title) + 4;
  }
  rule (pen, pen->y, 1.5, 0);
  pen->y += pen->g->section_gap * 0.75;

  for (guint s = 0; s < doc->sections->len; s++)
    {
      PdvReportDocSection *section = g_ptr_array_index (doc->sections, s);

      if (section->pairs)
        draw_pairs (pen, section);
      else
        draw_table (pen, doc, section);
      pen->y += pen->g->section_gap;
    }
  if (pen->g->height > 0)
    draw_footer (pen);
  return pen->y - pen->g->section_gap + pen->g->margin;
}

static void
pen_init (Pen            *pen,
          cairo_t        *cr,
          PangoFontMap   *font_map,
          const Geometry *g,
          const char     *footer_text)
{
  pen->cr = cr;
  pen->g = g;
  pen->footer_text = footer_text;
  pen->pango = pango_font_map_create_context (font_map);
  pango_cairo_update_context (cr, pen->pango);
  /* Font sizes in points on a surface measured in points. */
  pango_cairo_context_set_resolution (pen->pango, 72);
}

static gboolean
surface_ok (cairo_surface_t  *surface,
            const char       *path,
            GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, PDV_REPORT_ERROR, PDV_REPORT_ERROR_WRITE,
               _("Could not write the report to %s: %s"), path, cairo_status_to_string (status));
  return FALSE;
}

/**
 * pdv_report_doc_write_pdf:
 * @page: A4, or one long page 80 mm wide
 * @footer: what each page says at its foot
 * @path: the PDF file to write
 *
 * Any report document (an X or Z report, the audit) as a PDF.
 */
gboolean
pdv_report_doc_write_pdf (PdvReportDoc   *doc,
                          PdvReportPage   page,
                          const char     *footer,
                          const char     *path,
                          GError        **error)
{
  const Geometry *g = page == PDV_REPORT_PAGE_80MM ? &receipt : &a4;
  /* A font map of its own, let go of when done: the default one is per
   * thread and lives as long as the thread, for a report now and then. */
  g_autoptr(PangoFontMap) font_map = pango_cairo_font_map_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  double height = g->height;
  Pen pen = { 0 };
  gboolean ok;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (height <= 0)
    {
      /* Once to learn how long the paper must be. */
      cairo_surface_t *scratch = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);

      cr = cairo_create (scratch);
      pen_init (&pen, cr, font_map, g, footer);
      height = (double) (gint64) (render (&pen, doc) + 0.999);
      g_object_unref (pen.pango);
      cairo_destroy (cr);
      cairo_surface_destroy (scratch);
    }

  surface = cairo_pdf_surface_create (path, g->width, height);
  if (!surface_ok (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "PDV " PACKAGE_VERSION);

  cr = cairo_create (surface);
  pen_init (&pen, cr, font_map, g, footer);
  render (&pen, doc);
  g_object_unref (pen.pango);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = surface_ok (surface, path, error);
  cairo_surface_destroy (surface);
  return ok;
}

/**
 * pdv_report_write_pdf:
 * @page: A4, or one long page 80 mm wide
 * @path: the PDF file to write
 */
gboolean
pdv_report_write_pdf (PdvReport      *report,
                      PdvReportPage   page,
                      const char     *path,
                      GError        **error)
{
  g_autoptr(PdvReportDoc) doc = NULL;
  g_autofree char *footer = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  doc = pdv_report_doc_new (report, PDV_REPORT_DOC_PAPER);
  footer = g_strjoin (" · ", report->terminal_name ? report->terminal_name : "", report->title, NULL);
  return pdv_report_doc_write_pdf (doc, page, footer, path, error);
}

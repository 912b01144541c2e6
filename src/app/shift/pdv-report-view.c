/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-printer.h"
#include "pdv-receipt-printer.h"
#include "pdv-report-view-private.h"

/* An X or Z report on screen, laid out to be read at a glance, with a way to
 * print it on the receipt printer or save it as PDF or CSV. Writing files and
 * talking to the print server happen in threads: a report of a long night is
 * big. */
struct _PdvReportView
{
  GtkWidget          parent_instance;

  /* Shared with the threads that render it, hence reference-counted. */
  PdvReport        **report_ref;
  GCancellable      *cancellable;
  PdvPrinter        *printer;
  PdvReceiptPrinter *receipt_printer;
  guint              n_busy;

  GtkLabel          *title_label;
  PdvReportSections *sections;
};

G_DEFINE_FINAL_TYPE (PdvReportView, pdv_report_view, GTK_TYPE_WIDGET)

static void
clear_report_ref (gpointer data)
{
  PdvReport **ref = data;

  g_clear_pointer (ref, pdv_report_free);
}

static void
report_ref_release (PdvReport **ref)
{
  g_atomic_rc_box_release_full (ref, clear_report_ref);
}

typedef struct {
  PdvReport       **report_ref;
  PdvReportFormat   format;
  char             *path;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  report_ref_release (job->report_ref);
  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  PdvReport *report = *job->report_ref;
  g_autoptr(GError) error = NULL;

  if (job->format == PDV_REPORT_FORMAT_PDF)
    {
      if (!pdv_report_write_pdf (report, PDV_REPORT_PAGE_A4, job->path, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else
    {
      g_autofree char *csv = pdv_report_render_csv (report, job->format == PDV_REPORT_FORMAT_CSV_RFC4180
                                                              ? PDV_CSV_RFC4180 : PDV_CSV_SPREADSHEET);

      if (!g_file_set_contents (job->path, csv, -1, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
show_toast (PdvReportView *self,
            const char    *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

static void
exported_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PdvReportView *self = PDV_REPORT_VIEW (source_object);
  g_autoptr(GError) error = NULL;

  if (pdv_report_view_export_finish (self, result, &error))
    show_toast (self, _("Report saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s says why the file could not be written */
      g_autofree char *message = g_strdup_printf (_("Could not save the report: %s"), error->message);

      show_toast (self, message);
    }
}

/**
 * pdv_report_format_add_choice:
 *
 * Offers, in a dialog saving CSV, the two ways to write it: for this
 * language's spreadsheets (the default) or RFC 4180 for programs.
 */
void
pdv_report_format_add_choice (GtkFileChooser *chooser)
{
  static const char *options[] = { "spreadsheet", "rfc4180", NULL };
  const char *labels[] = {
    /* Translators: a CSV format; "this language" is the person's */
    _("Spreadsheet in this language"),
    /* Translators: a CSV format: commas between fields, a point in numbers */
    _("RFC 4180 (comma, decimal point)"),
    NULL
  };

  gtk_file_chooser_add_choice (chooser, "csv-format", _("Format"), options, labels);
  gtk_file_chooser_set_choice (chooser, "csv-format", "spreadsheet");
}

/**
 * pdv_report_format_from_choice:
 *
 * Returns: the CSV format chosen in a dialog given
 *   pdv_report_format_add_choice()
 */
PdvReportFormat
pdv_report_format_from_choice (GtkFileChooser *chooser)
{
  return g_strcmp0 (gtk_file_chooser_get_choice (chooser, "csv-format"), "rfc4180") == 0
           ? PDV_REPORT_FORMAT_CSV_RFC4180 : PDV_REPORT_FORMAT_CSV;
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  PdvReportView *self = PDV_REPORT_VIEW (user_data);
  PdvReportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "pdv-format"));

  if (format != PDV_REPORT_FORMAT_PDF)
    format = pdv_report_format_from_choice (GTK_FILE_CHOOSER (chooser));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      pdv_report_view_export_async (self, format, file, self->cancellable, exported_cb, NULL);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdvReportView *self = PDV_REPORT_VIEW (widget);
  gboolean pdf = g_strcmp0 (g_variant_get_string (parameter, NULL), "pdf") == 0;
  PdvReport *report = pdv_report_view_get_report (self);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (report == NULL)
    return;

  chooser = gtk_file_chooser_native_new (pdf ? _("Export Report as PDF") : _("Export Report as CSV"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, pdf ? _("PDF documents") : _("CSV spreadsheets"));
  gtk_file_filter_add_suffix (filter, pdf ? "pdf" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: a file name; %s is "x" or "z", %lld the Z number, %s the extension */
  name = g_strdup_printf (_("report-%s-%lld.%s"), report->kind == PDV_REPORT_X ? "x" : "z",
                          (long long) report->z_number, pdf ? "pdf" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (!pdf)
    pdv_report_format_add_choice (GTK_FILE_CHOOSER (chooser));
  g_object_set_data (G_OBJECT (chooser), "pdv-format",
                     GINT_TO_POINTER (pdf ? PDV_REPORT_FORMAT_PDF : PDV_REPORT_FORMAT_CSV));
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
printed_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PdvReportView) self = user_data;
  g_autoptr(GError) error = NULL;

  self->n_busy--;
  if (PDV_IS_RECEIPT_PRINTER (source_object)
        ? pdv_receipt_printer_print_bytes_finish (PDV_RECEIPT_PRINTER (source_object), result, &error)
        : pdv_printer_print_raw_finish (PDV_PRINTER (source_object), result, &error))
    show_toast (self, _("Report sent to the printer"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s says what went wrong with the printer */
      g_autofree char *message = g_strdup_printf (_("The report was not printed: %s"), error->message);

      show_toast (self, message);
    }
}

static void
print_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdvReportView *self = PDV_REPORT_VIEW (widget);
  PdvReport *report = pdv_report_view_get_report (self);
  g_autoptr(GBytes) bytes = NULL;

  if (report == NULL)
    return;

  self->n_busy++;
  if (self->receipt_printer != NULL)
    {
      guint width = PDV_PAPER_80MM;

      /* The terminal's printer, at its paper's width. */
      g_object_get (self->receipt_printer, "paper-width", &width, NULL);
      bytes = pdv_report_render_escpos (report, width);
      pdv_receipt_printer_print_bytes_async (self->receipt_printer, bytes, report->title, self->cancellable,
                                             printed_cb, g_object_ref (self));
      return;
    }

  bytes = pdv_report_render_escpos (report, PDV_PAPER_80MM);
  if (self->printer == NULL)
    self->printer = pdv_printer_new (NULL);
  pdv_printer_print_raw_async (self->printer, bytes, report->title, self->cancellable,
                               printed_cb, g_object_ref (self));
}

static void
pdv_report_view_dispose (GObject *object)
{
  PdvReportView *self = PDV_REPORT_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_REPORT_VIEW);
  /* A widget that is not a container must unparent its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->printer);
  g_clear_object (&self->receipt_printer);

  G_OBJECT_CLASS (pdv_report_view_parent_class)->dispose (object);
}

static void
pdv_report_view_finalize (GObject *object)
{
  PdvReportView *self = PDV_REPORT_VIEW (object);

  g_clear_pointer (&self->report_ref, report_ref_release);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pdv_report_view_parent_class)->finalize (object);
}

static void
pdv_report_view_class_init (PdvReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_report_view_dispose;
  object_class->finalize = pdv_report_view_finalize;

  g_type_ensure (PDV_TYPE_REPORT_SECTIONS);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/shift/pdv-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvReportView, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdvReportView, sections);

  gtk_widget_class_install_action (widget_class, "report.print", NULL, print_cb);
  gtk_widget_class_install_action (widget_class, "report.export", "s", export_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_report_view_init (PdvReportView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", FALSE);
}

GtkWidget *
pdv_report_view_new (void)
{
  return g_object_new (PDV_TYPE_REPORT_VIEW, NULL);
}

/**
 * pdv_report_view_set_report:
 * @report: (transfer full) (nullable): the report to show
 */
void
pdv_report_view_set_report (PdvReportView *self,
                            PdvReport     *report)
{
  g_return_if_fail (PDV_IS_REPORT_VIEW (self));

  g_clear_pointer (&self->report_ref, report_ref_release);
  if (report != NULL)
    {
      self->report_ref = g_atomic_rc_box_new0 (PdvReport *);
      *self->report_ref = report;
    }

  gtk_label_set_label (self->title_label, report ? report->title : "");
  pdv_report_sections_set_report (self->sections, report);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print", report != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", report != NULL);
}

/**
 * pdv_report_view_get_report:
 *
 * Returns: (transfer none) (nullable): the report shown
 */
PdvReport *
pdv_report_view_get_report (PdvReportView *self)
{
  g_return_val_if_fail (PDV_IS_REPORT_VIEW (self), NULL);
  return self->report_ref ? *self->report_ref : NULL;
}

/**
 * pdv_report_view_dup_text:
 *
 * Returns: (transfer full): the report shown as it prints on an 80 mm
 *   receipt, or "" when there is none
 */
char *
pdv_report_view_dup_text (PdvReportView *self)
{
  PdvReport *report;

  g_return_val_if_fail (PDV_IS_REPORT_VIEW (self), NULL);

  report = pdv_report_view_get_report (self);
  return report ? pdv_report_render_text (report, PDV_PAPER_80MM) : g_strdup ("");
}

PdvReportSections *
pdv_report_view_get_sections (PdvReportView *self)
{
  g_return_val_if_fail (PDV_IS_REPORT_VIEW (self), NULL);
  return self->sections;
}

gboolean
pdv_report_view_get_busy (PdvReportView *self)
{
  g_return_val_if_fail (PDV_IS_REPORT_VIEW (self), FALSE);
  return self->n_busy > 0;
}

/**
 * pdv_report_view_export_async:
 * @file: a local file to write, replaced if it exists
 *
 * Writes the report shown as a PDF for A4 paper or as CSV (for a
 * spreadsheet in this language, or RFC 4180), in a thread.
 */
void
pdv_report_view_export_async (PdvReportView       *self,
                              PdvReportFormat      format,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (PDV_IS_REPORT_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_report_view_export_async);

  if (self->report_ref == NULL || g_file_peek_path (file) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("There is no report to save, or the place chosen is not a local folder"));
      return;
    }

  job = g_new0 (ExportJob, 1);
  job->report_ref = g_atomic_rc_box_acquire (self->report_ref);
  job->format = format;
  job->path = g_file_get_path (file);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
pdv_report_view_export_finish (PdvReportView  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pdv_report_view_set_receipt_printer:
 * @printer: (nullable): the terminal's receipt printer; without one, reports
 *   print on the print server's default printer
 */
void
pdv_report_view_set_receipt_printer (PdvReportView     *self,
                                     PdvReceiptPrinter *printer)
{
  g_return_if_fail (PDV_IS_REPORT_VIEW (self));
  g_return_if_fail (printer == NULL || PDV_IS_RECEIPT_PRINTER (printer));

  g_set_object (&self->receipt_printer, printer);
}

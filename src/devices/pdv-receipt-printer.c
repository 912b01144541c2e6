/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-receipt-printer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-printer.h"
#include "pdv-receipt-printer.h"

/* Turns a journalled sale into a receipt on paper. Whatever happens here —
 * no printer, no paper, a print server that never answers — the sale is
 * already safe: this only ever reports, it never undoes or blocks. */
struct _PdvReceiptPrinter
{
  GObject     parent_instance;

  PdvJournal *journal;
  PdvPrinter *printer;
  guint       timeout_s;

  /* How receipts look; the terminal's settings set them. */
  PdvPaperWidth paper_width;
  char      **header_lines;
  char      **footer_lines;
};

G_DEFINE_FINAL_TYPE (PdvReceiptPrinter, pdv_receipt_printer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DESTINATION,
  PROP_PAPER_WIDTH,
  PROP_HEADER_LINES,
  PROP_FOOTER_LINES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (pdv-receipt-printer-error-quark, pdv_receipt_printer_error)

/* Past this a receipt is no use to the customer who already left. */
#define DEFAULT_TIMEOUT_S 20
/* How far back the journal is read at a time, looking for the last sale. */
#define SCAN_WINDOW 256

typedef struct {
  GTask *task;
  guint  timeout_id;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  g_clear_object (&job->task);
  g_free (job);
}

static gboolean
print_timed_out_cb (gpointer user_data)
{
  PrintJob *job = user_data;
  PdvReceiptPrinter *self = g_task_get_source_object (job->task);

  job->timeout_id = 0;
  g_task_return_new_error (job->task, PDV_RECEIPT_PRINTER_ERROR, PDV_RECEIPT_PRINTER_ERROR_TIMED_OUT,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "the printer did not answer within %u second",
                                        "the printer did not answer within %u seconds",
                                        self->timeout_s),
                           self->timeout_s);
  /* The job's bytes may still come out later; only the report is final. */
  g_clear_object (&job->task);
  return G_SOURCE_REMOVE;
}

static void
printed_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PrintJob *job = user_data;
  g_autoptr(GError) error = NULL;
  PdvReceiptPrinter *self;

  pdv_printer_print_raw_finish (PDV_PRINTER (source_object), result, &error);

  if (job->task == NULL)
    {
      /* Already reported as timed out. */
      if (error != NULL)
        g_debug ("A receipt that timed out failed later: %s", error->message);
      print_job_free (job);
      return;
    }

  self = g_task_get_source_object (job->task);
  if (error == NULL)
    g_task_return_boolean (job->task, TRUE);
  else if (pdv_printer_get_destination (self->printer) == NULL &&
           (g_error_matches (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NO_DEFAULT) ||
            g_error_matches (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NO_SERVER)))
    /* Nobody chose a printer and there is none to fall back on: a terminal
     * without a printer, not a failure. */
    g_task_return_new_error (job->task, PDV_RECEIPT_PRINTER_ERROR, PDV_RECEIPT_PRINTER_ERROR_NO_PRINTER,
                             "%s", error->message);
  else
    g_task_return_error (job->task, g_steal_pointer (&error));
  print_job_free (job);
}

/* Takes @task; it finishes when the print server has the job, fails, or
 * does not answer in time. */
static void
send_to_printer (PdvReceiptPrinter *self,
                 GTask             *task,
                 GBytes            *bytes,
                 const char        *title,
                 GCancellable      *cancellable)
{
  PrintJob *job = g_new0 (PrintJob, 1);

  job->task = task;
  job->timeout_id = g_timeout_add_seconds (self->timeout_s, print_timed_out_cb, job);
  pdv_printer_print_raw_async (self->printer, bytes, title, cancellable, printed_cb, job);
}

/* No lines means the receipt's own (the event's name, a thank-you). */
static char **
dup_lines (const char * const *lines)
{
  return lines != NULL && lines[0] != NULL ? g_strdupv ((char **) lines) : NULL;
}

static void
pdv_receipt_printer_dispose (GObject *object)
{
  PdvReceiptPrinter *self = PDV_RECEIPT_PRINTER (object);

  g_clear_object (&self->journal);
  g_clear_object (&self->printer);

  G_OBJECT_CLASS (pdv_receipt_printer_parent_class)->dispose (object);
}

static void
pdv_receipt_printer_finalize (GObject *object)
{
  PdvReceiptPrinter *self = PDV_RECEIPT_PRINTER (object);

  g_clear_pointer (&self->header_lines, g_strfreev);
  g_clear_pointer (&self->footer_lines, g_strfreev);

  G_OBJECT_CLASS (pdv_receipt_printer_parent_class)->finalize (object);
}

static void
pdv_receipt_printer_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PdvReceiptPrinter *self = PDV_RECEIPT_PRINTER (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      g_value_set_string (value, pdv_receipt_printer_get_destination (self));
      break;
    case PROP_PAPER_WIDTH:
      g_value_set_uint (value, self->paper_width);
      break;
    case PROP_HEADER_LINES:
      g_value_set_boxed (value, self->header_lines);
      break;
    case PROP_FOOTER_LINES:
      g_value_set_boxed (value, self->footer_lines);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_receipt_printer_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PdvReceiptPrinter *self = PDV_RECEIPT_PRINTER (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      pdv_receipt_printer_set_destination (self, g_value_get_string (value));
      break;
    case PROP_PAPER_WIDTH:
      self->paper_width = g_value_get_uint (value) == PDV_PAPER_58MM ? PDV_PAPER_58MM : PDV_PAPER_80MM;
      break;
    case PROP_HEADER_LINES:
      g_clear_pointer (&self->header_lines, g_strfreev);
      self->header_lines = dup_lines (g_value_get_boxed (value));
      break;
    case PROP_FOOTER_LINES:
      g_clear_pointer (&self->footer_lines, g_strfreev);
      self->footer_lines = dup_lines (g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_receipt_printer_class_init (PdvReceiptPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_receipt_printer_dispose;
  object_class->finalize = pdv_receipt_printer_finalize;
  object_class->get_property = pdv_receipt_printer_get_property;
  object_class->set_property = pdv_receipt_printer_set_property;

  /**
   * PdvReceiptPrinter:destination:
   *
   * The CUPS queue; %NULL or "" for the print server's default.
   */
  properties[PROP_DESTINATION] =
    g_param_spec_string ("destination", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvReceiptPrinter:paper-width:
   *
   * 58 or 80 (mm), a #PdvPaperWidth.
   */
  properties[PROP_PAPER_WIDTH] =
    g_param_spec_uint ("paper-width", NULL, NULL, PDV_PAPER_58MM, PDV_PAPER_80MM, PDV_PAPER_80MM,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * PdvReceiptPrinter:header-lines:
   *
   * Printed at the top of each receipt; %NULL or none for the event's name.
   */
  properties[PROP_HEADER_LINES] =
    g_param_spec_boxed ("header-lines", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * PdvReceiptPrinter:footer-lines:
   *
   * Printed at the bottom of each receipt; %NULL or none for a thank-you.
   */
  properties[PROP_FOOTER_LINES] =
    g_param_spec_boxed ("footer-lines", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdv_receipt_printer_init (PdvReceiptPrinter *self)
{
  self->timeout_s = DEFAULT_TIMEOUT_S;
  self->paper_width = PDV_PAPER_80MM;
}

/**
 * pdv_receipt_printer_new:
 * @destination: (nullable): a CUPS queue; %NULL for the print server's
 *   default, if it has one
 */
PdvReceiptPrinter *
pdv_receipt_printer_new (PdvJournal *journal,
                         const char *destination)
{
  PdvReceiptPrinter *self;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), NULL);

  self = g_object_new (PDV_TYPE_RECEIPT_PRINTER, NULL);
  self->journal = g_object_ref (journal);
  self->printer = pdv_printer_new (destination != NULL && *destination != '\0' ? destination : NULL);
  return self;
}

const char *
pdv_receipt_printer_get_destination (PdvReceiptPrinter *self)
{
  g_return_val_if_fail (PDV_IS_RECEIPT_PRINTER (self), NULL);
  return pdv_printer_get_destination (self->printer);
}

/**
 * pdv_receipt_printer_set_destination:
 * @destination: (nullable): a CUPS queue; %NULL or "" for the print
 *   server's default
 *
 * Prints the receipts asked for from now on on @destination; those already
 * on their way finish where they were going.
 */
void
pdv_receipt_printer_set_destination (PdvReceiptPrinter *self,
                                     const char        *destination)
{
  g_return_if_fail (PDV_IS_RECEIPT_PRINTER (self));

  if (destination != NULL && *destination == '\0')
    destination = NULL;
  if (g_strcmp0 (pdv_printer_get_destination (self->printer), destination) == 0)
    return;
  pdv_printer_set_destination (self->printer, destination);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
}

/**
 * pdv_receipt_printer_set_timeout:
 * @seconds: how long a print may take before it is reported as failed
 */
void
pdv_receipt_printer_set_timeout (PdvReceiptPrinter *self,
                                 guint              seconds)
{
  g_return_if_fail (PDV_IS_RECEIPT_PRINTER (self));
  g_return_if_fail (seconds > 0);
  self->timeout_s = seconds;
}

/* How this printer lays a receipt out: its paper, header and footer. */
static PdvReceiptOptions
options_for (PdvReceiptPrinter *self,
             gboolean           copy)
{
  PdvReceiptOptions options = PDV_RECEIPT_OPTIONS_INIT;

  options.paper_width = self->paper_width;
  options.header_lines = (const char * const *) self->header_lines;
  options.footer_lines = (const char * const *) self->footer_lines;
  options.copy = copy;
  return options;
}

/* A receipt laid out off the main thread: with a sale's fichas it holds
 * QR codes to draw, and the till takes the next sale meanwhile. */
typedef struct {
  PdvReceipt        *receipt;
  PdvReceiptOptions  options;
  char             **header_lines;
  char             **footer_lines;
  char              *title;
  json_t            *fichas; /* the ids of the fichas to print, alone; NULL: the receipt */
  GTask             *task;   /* the print's own */
  GCancellable      *cancellable;
} RenderJob;

static void
render_job_free (RenderJob *job)
{
  g_clear_pointer (&job->receipt, pdv_receipt_free);
  g_strfreev (job->header_lines);
  g_strfreev (job->footer_lines);
  g_free (job->title);
  g_clear_pointer (&job->fichas, json_decref);
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
render_thread (GTask        *render,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;

  g_task_return_pointer (render, job->fichas != NULL
                                   ? pdv_receipt_render_fichas_escpos (job->receipt, &job->options, job->fichas)
                                   : pdv_receipt_render_escpos (job->receipt, &job->options),
                         (GDestroyNotify) g_bytes_unref);
}

static void
rendered_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PdvReceiptPrinter *self = PDV_RECEIPT_PRINTER (source_object);
  RenderJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), NULL);

  send_to_printer (self, g_steal_pointer (&job->task), bytes, job->title, job->cancellable);
}

/**
 * pdv_receipt_printer_print_async:
 * @sale_id: the id of a "sale" journal entry
 * @copy: a reprint: marked as a copy, and the cash drawer stays shut
 *
 * Prints the sale's receipt (ESC/POS) in the background. Finishes with
 * %PDV_RECEIPT_PRINTER_ERROR_NO_PRINTER when there is nowhere to print, and
 * with %PDV_RECEIPT_PRINTER_ERROR_TIMED_OUT when the print server did not
 * answer in time.
 */
static void
print_sale (PdvReceiptPrinter   *self,
            const char          *sale_id,
            gboolean             copy,
            json_t              *fichas,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  PdvReceiptOptions options = options_for (self, copy);
  g_autoptr(GTask) task = NULL;
  g_autoptr(PdvReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (PDV_IS_RECEIPT_PRINTER (self));
  g_return_if_fail (sale_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_receipt_printer_print_async);

  /* One journal row read here (the journal's connection is this thread's);
   * laid out on a thread of its own. */
  receipt = pdv_receipt_new_for_sale (self->journal, sale_id, &error);
  if (receipt == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Translators: the job's name in the print queue */
  title = g_strdup_printf (fichas != NULL ? _("Fichas of sale %s") : _("Receipt %s"), sale_id);
  {
    RenderJob *job = g_new0 (RenderJob, 1);
    g_autoptr(GTask) render = g_task_new (self, NULL, rendered_cb, NULL);

    job->receipt = g_steal_pointer (&receipt);
    job->header_lines = options.header_lines != NULL ? g_strdupv ((char **) options.header_lines) : NULL;
    job->footer_lines = options.footer_lines != NULL ? g_strdupv ((char **) options.footer_lines) : NULL;
    job->options = options;
    job->options.header_lines = (const char * const *) job->header_lines;
    job->options.footer_lines = (const char * const *) job->footer_lines;
    job->title = g_steal_pointer (&title);
    job->fichas = fichas != NULL ? json_incref (fichas) : NULL;
    job->task = g_steal_pointer (&task);
    job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
    g_task_set_task_data (render, job, (GDestroyNotify) render_job_free);
    g_task_run_in_thread (render, render_thread);
  }
}

void
pdv_receipt_printer_print_async (PdvReceiptPrinter   *self,
                                 const char          *sale_id,
                                 gboolean             copy,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  print_sale (self, sale_id, copy, NULL, cancellable, callback, user_data);
}

/**
 * pdv_receipt_printer_print_fichas_async:
 * @fichas: the ids of the sale's fichas to print again (pdv_ficha_reprint())
 *
 * Prints the fichas alone, each marked as a copy with its own token, as
 * pdv_receipt_printer_print_async() does; finish with
 * pdv_receipt_printer_print_finish().
 */
void
pdv_receipt_printer_print_fichas_async (PdvReceiptPrinter   *self,
                                        const char          *sale_id,
                                        json_t              *fichas,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (json_is_array (fichas));

  print_sale (self, sale_id, TRUE, fichas, cancellable, callback, user_data);
}

/**
 * pdv_receipt_printer_render_text:
 * @copy: as a reprint would print it (marked as a copy, with the sale's
 *   voids and refunds)
 *
 * Returns: (transfer full): the sale's receipt as this printer would print
 *   it, on its paper and with its header and footer, as text; %NULL with
 *   @error set when there is no such sale
 */
char *
pdv_receipt_printer_render_text (PdvReceiptPrinter  *self,
                                 const char         *sale_id,
                                 gboolean            copy,
                                 GError            **error)
{
  g_autoptr(PdvReceipt) receipt = NULL;
  PdvReceiptOptions options = options_for (self, copy);

  g_return_val_if_fail (PDV_IS_RECEIPT_PRINTER (self), NULL);
  g_return_val_if_fail (sale_id != NULL, NULL);

  receipt = pdv_receipt_new_for_sale (self->journal, sale_id, error);
  if (receipt == NULL)
    return NULL;
  return pdv_receipt_render_text (receipt, &options);
}

gboolean
pdv_receipt_printer_print_finish (PdvReceiptPrinter  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (PDV_IS_RECEIPT_PRINTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pdv_receipt_printer_print_bytes_async:
 * @bytes: what to send to the printer as it is (ESC/POS, on a raw queue)
 * @title: the job's name in the print queue
 *
 * Sends @bytes to the receipt printer in the background: to the same
 * destination as the receipts, within the same time, finishing with the
 * same errors as pdv_receipt_printer_print_async(). For what is not a
 * sale's receipt: a report, the cash drawer's pulse.
 */
void
pdv_receipt_printer_print_bytes_async (PdvReceiptPrinter   *self,
                                       GBytes              *bytes,
                                       const char          *title,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PDV_IS_RECEIPT_PRINTER (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (title != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_receipt_printer_print_bytes_async);
  send_to_printer (self, task, bytes, title, cancellable);
}

gboolean
pdv_receipt_printer_print_bytes_finish (PdvReceiptPrinter  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (PDV_IS_RECEIPT_PRINTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pdv_receipt_printer_find_last_sale:
 *
 * Reads the journal backwards from its end to the last "sale" entry.
 *
 * Returns: (transfer full) (nullable): the last sale's id, or %NULL when
 *   there is none (then @error is set only if the journal could not be read)
 */
char *
pdv_receipt_printer_find_last_sale (PdvReceiptPrinter  *self,
                                    GError            **error)
{
  gint64 upper;

  g_return_val_if_fail (PDV_IS_RECEIPT_PRINTER (self), NULL);

  upper = pdv_journal_get_last_seq (self->journal);
  while (upper > 0)
    {
      gint64 since = MAX (upper - SCAN_WINDOW, 0);
      g_autoptr(GPtrArray) entries = pdv_journal_list (self->journal, since, upper - since, error);

      if (entries == NULL)
        return NULL;
      for (guint i = entries->len; i > 0; i--)
        {
          const PdvJournalEntry *entry = g_ptr_array_index (entries, i - 1);

          if (g_strcmp0 (entry->kind, PDV_ENTRY_SALE) == 0)
            return g_strdup (entry->id);
        }
      upper = since;
    }
  return NULL;
}

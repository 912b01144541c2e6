/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-printer"

#include "config.h"

#include <cups/cups.h>
#include <glib/gi18n-lib.h>
#include <sys/socket.h>

#include "pdv-printer.h"

/* A printer is a CUPS destination that takes raw bytes (ESC/POS for a
 * thermal printer). Printing only ever takes bytes: whatever happens to the
 * job, the sale it belongs to is already safe in the journal. */
struct _PdvPrinter
{
  GObject  parent_instance;

  char    *destination;   /* NULL: the CUPS default destination */
};

G_DEFINE_FINAL_TYPE (PdvPrinter, pdv_printer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DESTINATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (pdv-printer-error-quark, pdv_printer_error)

/* How long to wait for the print server to answer a connection. */
#define CONNECT_TIMEOUT_MS 10000

typedef struct {
  char   *destination;
  GBytes *data;
  char   *title;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_free (job->destination);
  g_bytes_unref (job->data);
  g_free (job->title);
  g_free (job);
}

static void
set_error_from_cups (GError     **error,
                     const char  *name)
{
  switch (cupsLastError ())
    {
    case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE:
      g_set_error_literal (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NO_SERVER,
                           _("No print server is running — check that CUPS is started; nothing was printed"));
      break;
    case IPP_STATUS_ERROR_NOT_FOUND:
      g_set_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NOT_FOUND,
                   _("No printer named “%s” — check the printer settings; nothing was printed"), name);
      break;
    case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
      g_set_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NOT_ACCEPTING,
                   _("The printer “%s” is not accepting jobs — ask a manager to enable it; nothing was printed"),
                   name);
      break;
    default:
      g_set_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_FAILED,
                   _("The printer “%s” did not take the job (%s); nothing was printed"), name,
                   cupsLastErrorString ());
      break;
    }
}

/* Refuses a destination that would only queue the job: a stopped printer
 * usually means no paper or an open cover, and a receipt printed minutes
 * later would only confuse the next customer. */
static gboolean
check_ready (cups_dest_t  *dest,
             GError      **error)
{
  const char *state = cupsGetOption ("printer-state", dest->num_options, dest->options);
  const char *accepting = cupsGetOption ("printer-is-accepting-jobs", dest->num_options, dest->options);

  if (state != NULL && g_ascii_strtoll (state, NULL, 10) == IPP_PSTATE_STOPPED)
    {
      g_set_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_STOPPED,
                   _("The printer “%s” is stopped — check paper and cover, then resume it; nothing was printed"),
                   dest->name);
      return FALSE;
    }
  if (accepting != NULL && g_ascii_strcasecmp (accepting, "false") == 0)
    {
      g_set_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NOT_ACCEPTING,
                   _("The printer “%s” is not accepting jobs — ask a manager to enable it; nothing was printed"),
                   dest->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
submit (http_t       *http,
        cups_dest_t  *dest,
        GBytes       *data,
        const char   *title,
        GError      **error)
{
  gsize size = 0;
  const char *bytes = g_bytes_get_data (data, &size);
  int job_id;

  job_id = cupsCreateJob (http, dest->name, title, 0, NULL);
  if (job_id == 0)
    {
      set_error_from_cups (error, dest->name);
      return FALSE;
    }
  if (cupsStartDocument (http, dest->name, job_id, title, CUPS_FORMAT_RAW, 1) != HTTP_STATUS_CONTINUE ||
      (size > 0 && cupsWriteRequestData (http, bytes, size) != HTTP_STATUS_CONTINUE))
    {
      set_error_from_cups (error, dest->name);
      /* Half a receipt is worse than none. */
      cupsFinishDocument (http, dest->name);
      cupsCancelJob2 (http, dest->name, job_id, 0);
      return FALSE;
    }
  if (cupsFinishDocument (http, dest->name) > IPP_STATUS_OK_EVENTS_COMPLETE)
    {
      set_error_from_cups (error, dest->name);
      return FALSE;
    }
  g_debug ("job %d queued on %s (%" G_GSIZE_FORMAT " bytes)", job_id, dest->name, size);
  return TRUE;
}

/* Safe in any thread: CUPS keeps its last error per thread, and the
 * connection is this call's own. */
static gboolean
print_raw (const char  *destination,
           GBytes      *data,
           const char  *title,
           GError     **error)
{
  http_t *http;
  cups_dest_t *dest;
  gboolean ok;

  http = httpConnect2 (cupsServer (), ippPort (), NULL, AF_UNSPEC, cupsEncryption (), 1,
                       CONNECT_TIMEOUT_MS, NULL);
  if (http == NULL)
    {
      g_set_error_literal (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NO_SERVER,
                           _("No print server is running — check that CUPS is started; nothing was printed"));
      return FALSE;
    }

  dest = cupsGetNamedDest (http, destination, NULL);
  if (dest == NULL)
    {
      if (cupsLastError () == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE)
        set_error_from_cups (error, destination);
      else if (destination == NULL)
        g_set_error_literal (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NO_DEFAULT,
                             _("No printer is chosen and the print server has no default printer — "
                               "choose one in the settings; nothing was printed"));
      else
        g_set_error (error, PDV_PRINTER_ERROR, PDV_PRINTER_ERROR_NOT_FOUND,
                     _("No printer named “%s” — check the printer settings; nothing was printed"),
                     destination);
      httpClose (http);
      return FALSE;
    }

  ok = check_ready (dest, error) && submit (http, dest, data, title, error);
  cupsFreeDests (1, dest);
  httpClose (http);
  return ok;
}

static void
print_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PrintJob *job = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (print_raw (job->destination, job->data, job->title, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
pdv_printer_finalize (GObject *object)
{
  PdvPrinter *self = PDV_PRINTER (object);

  g_free (self->destination);

  G_OBJECT_CLASS (pdv_printer_parent_class)->finalize (object);
}

static void
pdv_printer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PdvPrinter *self = PDV_PRINTER (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      g_value_set_string (value, self->destination);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_printer_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PdvPrinter *self = PDV_PRINTER (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      pdv_printer_set_destination (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_printer_class_init (PdvPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdv_printer_finalize;
  object_class->get_property = pdv_printer_get_property;
  object_class->set_property = pdv_printer_set_property;

  /**
   * PdvPrinter:destination:
   *
   * The CUPS queue to print on, a raw one for a thermal printer; %NULL for
   * the print server's default.
   */
  properties[PROP_DESTINATION] =
    g_param_spec_string ("destination", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdv_printer_init (PdvPrinter *self)
{
}

/**
 * pdv_printer_new:
 * @destination: (nullable): a CUPS destination name, or %NULL for the
 *   default one
 */
PdvPrinter *
pdv_printer_new (const char *destination)
{
  return g_object_new (PDV_TYPE_PRINTER, "destination", destination, NULL);
}

const char *
pdv_printer_get_destination (PdvPrinter *self)
{
  g_return_val_if_fail (PDV_IS_PRINTER (self), NULL);
  return self->destination;
}

void
pdv_printer_set_destination (PdvPrinter *self,
                             const char *destination)
{
  g_return_if_fail (PDV_IS_PRINTER (self));

  if (destination != NULL && *destination == '\0')
    destination = NULL;
  if (g_strcmp0 (self->destination, destination) == 0)
    return;
  g_free (self->destination);
  self->destination = g_strdup (destination);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
}

/**
 * pdv_printer_print_raw:
 * @data: what the printer gets, byte for byte
 * @title: the job's name in the print queue
 *
 * Hands @data to the print server, unfiltered. Returns once the server has
 * queued the job, not when it is on paper. A stopped or missing printer is
 * an error and nothing is queued, so that the same bytes can be sent again
 * later. Blocks: from the UI use pdv_printer_print_raw_async().
 */
gboolean
pdv_printer_print_raw (PdvPrinter  *self,
                       GBytes      *data,
                       const char  *title,
                       GError     **error)
{
  g_return_val_if_fail (PDV_IS_PRINTER (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (title != NULL, FALSE);

  return print_raw (self->destination, data, title, error);
}

/**
 * pdv_printer_print_raw_async:
 *
 * Like pdv_printer_print_raw(), in a worker thread. The destination is the
 * one set when this is called.
 */
void
pdv_printer_print_raw_async (PdvPrinter          *self,
                             GBytes              *data,
                             const char          *title,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrintJob *job;

  g_return_if_fail (PDV_IS_PRINTER (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (title != NULL);

  job = g_new0 (PrintJob, 1);
  job->destination = g_strdup (self->destination);
  job->data = g_bytes_ref (data);
  job->title = g_strdup (title);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdv_printer_print_raw_async);
  g_task_set_task_data (task, job, (GDestroyNotify) print_job_free);
  g_task_run_in_thread (task, print_in_thread);
}

gboolean
pdv_printer_print_raw_finish (PdvPrinter    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (PDV_IS_PRINTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

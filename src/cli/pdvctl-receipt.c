/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "pdv-printer.h"
#include "pdvctl.h"

/**
 * pdvctl_print_sale_receipt:
 * @printer: (nullable): a CUPS destination; %NULL for $PDV_PRINTER, else the
 *   print server's default
 *
 * Sends a sale's receipt to a thermal printer as ESC/POS; a @copy is
 * marked as one and never opens the cash drawer.
 */
gboolean
pdvctl_print_sale_receipt (PdvContext     *context,
                           gboolean        copy,
                           const char     *sale_id,
                           const char     *printer,
                           PdvPaperWidth   width,
                           GError        **error)
{
  PdvReceiptOptions receipt_options = PDV_RECEIPT_OPTIONS_INIT;
  g_autoptr(PdvReceipt) receipt = NULL;
  g_autoptr(PdvPrinter) device = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *title = NULL;

  receipt = pdv_receipt_new_for_sale (pdv_context_get_journal (context), sale_id, error);
  if (receipt == NULL)
    return FALSE;
  receipt_options.paper_width = width;
  receipt_options.copy = copy;
  bytes = pdv_receipt_render_escpos (receipt, &receipt_options);
  /* Translators: the job's name in the print queue */
  title = g_strdup_printf (_("Receipt %s"), sale_id);
  device = pdv_printer_new (printer != NULL ? printer : g_getenv ("PDV_PRINTER"));
  return pdv_printer_print_raw (device, bytes, title, error);
}

/* "receipt SALE --fichas": journalled, then printed, written or shown. */
static int
print_fichas_again (Options     *options,
                    PdvContext  *context,
                    const char  *sale_id,
                    const char  *user,
                    const char  *pin,
                    gboolean     print,
                    const char  *printer,
                    gboolean     escpos,
                    int          width)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) ids = NULL;
  g_autoptr(PdvReceipt) receipt = NULL;
  PdvReceiptOptions receipt_options = PDV_RECEIPT_OPTIONS_INIT;

  /* Read first: a sale that is not there is not journalled as reprinted. */
  receipt = pdv_receipt_new_for_sale (pdv_context_get_journal (context), sale_id, &error);
  if (receipt == NULL)
    return pdvctl_fail_error (options, error);
  ids = pdv_ficha_reprint (pdv_context_get_journal (context), sale_id, user, pin, &error);
  if (ids == NULL)
    return pdvctl_fail_error (options, error);
  receipt_options.paper_width = width;
  receipt_options.copy = TRUE;

  if (print)
    {
      g_autoptr(GBytes) bytes = pdv_receipt_render_fichas_escpos (receipt, &receipt_options, ids);
      g_autoptr(PdvPrinter) device = pdv_printer_new (printer != NULL ? printer : g_getenv ("PDV_PRINTER"));
      /* Translators: the job's name in the print queue */
      g_autofree char *title = g_strdup_printf (_("Fichas of sale %s, again"), sale_id);

      if (!pdv_printer_print_raw (device, bytes, title, &error))
        return pdvctl_fail_error (options, error);
    }
  else if (escpos)
    {
      g_autoptr(GBytes) bytes = pdv_receipt_render_fichas_escpos (receipt, &receipt_options, ids);
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (bytes, &size);

      if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
        return pdvctl_fail (options, _("Could not write the receipt to standard output"));
      return 0;
    }
  if (options->json)
    {
      g_autoptr(json_t) body = json_pack ("{s:b, s:s, s:O, s:b}", "ok", TRUE, "sale_id", sale_id, "fichas", ids,
                                          "printed", print);
      pdvctl_print_json (body);
    }
  else if (print)
    g_print (ngettext ("%zu ficha of sale %s sent to the printer again, marked as a copy\n",
                          "%zu fichas of sale %s sent to the printer again, marked as copies\n",
                          json_array_size (ids)),
             json_array_size (ids), sale_id);
  else
    {
      g_autofree char *text = pdv_receipt_render_fichas_text (receipt, &receipt_options, ids);

      g_print ("%s", text);
    }
  return 0;
}

int
pdvctl_command_receipt (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvReceipt) receipt = NULL;
  g_autofree char *printer = NULL;
  PdvReceiptOptions receipt_options = PDV_RECEIPT_OPTIONS_INIT;
  gboolean escpos = FALSE;
  gboolean print = FALSE;
  gboolean fichas = FALSE;
  g_autofree char *pin = NULL;
  g_autofree char *user = NULL;
  int width = 80;
  const char *sale_id;
  GOptionEntry entries[] = {
    { "fichas", 0, 0, G_OPTION_ARG_NONE, &fichas,
      N_("The sale’s fichas not served yet, again, marked as copies (a manager’s --pin)"), NULL },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, N_("--fichas: the PIN of the manager who allows it"), N_("PIN") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("--fichas: who asks for it"), N_("ID") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Paper width: 58 or 80 mm (default 80)"), N_("MM") },
    { "escpos", 0, 0, G_OPTION_ARG_NONE, &escpos, N_("Write the printer’s ESC/POS bytes instead of text"), NULL },
    { "print", 0, 0, G_OPTION_ARG_NONE, &print, N_("Send the receipt to the printer"), NULL },
    { "printer", 0, 0, G_OPTION_ARG_STRING, &printer,
      N_("The CUPS printer to use (default: $PDV_PRINTER, else the default printer); implies --print"),
      N_("NAME") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("receipt SALE_ID — show, or print again, a sale’s receipt"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 2)
    return pdvctl_fail_usage (options, _("name exactly one sale id"));
  if (width != PDV_PAPER_58MM && width != PDV_PAPER_80MM)
    return pdvctl_fail_usage (options, _("--width is 58 or 80 (millimetres)"));
  if (printer != NULL)
    print = TRUE;
  if (print && escpos)
    return pdvctl_fail_usage (options, _("--escpos writes the receipt to standard output; leave it out to print"));
  sale_id = options->args[1];

  if (fichas && pin == NULL)
    return pdvctl_fail_usage (options, _("--fichas needs a manager’s --pin: fichas are money"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);

  if (fichas)
    return print_fichas_again (options, context, sale_id, user, pin, print, printer, escpos, width);

  if (print)
    {
      /* What this command prints is always a copy. */
      if (!pdvctl_print_sale_receipt (context, TRUE, sale_id, printer, width, &error))
        return pdvctl_fail_error (options, error);
      if (options->json)
        {
          json_t *body = json_pack ("{s:b, s:s, s:b}", "ok", TRUE, "sale_id", sale_id, "printed", TRUE);
          pdvctl_print_json (body);
          json_decref (body);
        }
      else
        g_print (_("Receipt of sale %s sent to the printer\n"), sale_id);
      return 0;
    }

  receipt = pdv_receipt_new_for_sale (pdv_context_get_journal (context), sale_id, &error);
  if (receipt == NULL)
    return pdvctl_fail_error (options, error);
  receipt_options.paper_width = width;
  /* Shown or piped to a printer later, this is not the original either. */
  receipt_options.copy = TRUE;

  if (escpos)
    {
      g_autoptr(GBytes) bytes = pdv_receipt_render_escpos (receipt, &receipt_options);
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (bytes, &size);

      if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
        return pdvctl_fail (options, _("Could not write the receipt to standard output"));
      return 0;
    }
  else
    {
      g_autofree char *text = pdv_receipt_render_text (receipt, &receipt_options);

      if (options->json)
        {
          json_t *body = json_pack ("{s:b, s:s, s:s}", "ok", TRUE, "sale_id", sale_id, "text", text);
          pdvctl_print_json (body);
          json_decref (body);
        }
      else
        g_print ("%s", text);
    }
  return 0;
}

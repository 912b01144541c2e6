/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-printer.h"
#include "pdvctl.h"

/* The cash drawer opened without a sale. Whoever opens it proves it with a
 * PIN: --user ID --pin PIN logs in (a cashier then needs --manager-pin as
 * well), and --manager-pin or --pin alone is someone who may open it
 * alone. The opening is journalled before the pulse goes to the printer. */

static PdvUser *
identify (PdvDb       *db,
          const char  *user_id,
          const char  *pin,
          GError     **error)
{
  if (user_id != NULL)
    return pdv_auth_login (db, user_id, pin, error);
  return pdv_auth_find_by_pin (db, PDV_PERMISSION_DRAWER_OPEN, pin, NULL, error);
}

/**
 * pdvctl_command_drawer:
 *
 * drawer open: journals a "drawer.open" and, with --print, pulses the
 * drawer through the receipt printer.
 */
int
pdvctl_command_drawer (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvUser) user = NULL;
  g_autoptr(PdvUser) manager = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *manager_pin = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *printer = NULL;
  gboolean print = FALSE;
  const char *action = options->args[1] && options->args[1][0] != '-' ? options->args[1] : "";
  PdvDb *db;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the drawer is opened"), N_("TEXT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_id, N_("Who opens it (logs in with --pin)"), N_("ID") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, N_("The PIN of whoever opens it"), N_("PIN") },
    { "manager-pin", 0, 0, G_OPTION_ARG_STRING, &manager_pin,
      N_("A manager’s PIN: authorises the user, or opens it on their own"), N_("PIN") },
    { "print", 0, 0, G_OPTION_ARG_NONE, &print, N_("Send the pulse that opens the drawer to the printer"), NULL },
    { "printer", 0, 0, G_OPTION_ARG_STRING, &printer,
      N_("The CUPS printer to use (default: $PDV_PRINTER, else the default printer); implies --print"),
      N_("NAME") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("drawer open — open the cash drawer without a sale"), entries, &error))
    return pdvctl_fail_error (options, error);
  if (!g_str_equal (action, "open") || g_strv_length (options->args) != 2)
    return pdvctl_fail_usage (options, _("drawer needs open"));
  if (user_id != NULL && pin == NULL)
    return pdvctl_fail_usage (options, _("--user needs --pin, the user’s PIN"));
  if (pin == NULL && manager_pin == NULL)
    return pdvctl_fail_usage (options, _("Say who opens the drawer: --user ID --pin PIN, or --manager-pin PIN"));
  if (pin != NULL && manager_pin != NULL && user_id == NULL)
    return pdvctl_fail_usage (options, _("--manager-pin authorises someone else: say who with --user ID --pin PIN"));
  if (printer != NULL)
    print = TRUE;

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  db = pdv_context_get_db (context);

  if (pin != NULL)
    {
      user = identify (db, user_id, pin, &error);
      if (user == NULL)
        return pdvctl_fail_error (options, error);
    }
  if (manager_pin != NULL)
    {
      manager = pdv_auth_find_by_pin (db, PDV_PERMISSION_DRAWER_OPEN, manager_pin, user ? user->id : NULL, &error);
      if (manager == NULL)
        return pdvctl_fail_error (options, error);
    }
  /* A manager on their own opens it as themselves, with no override. */
  if (user == NULL)
    user = g_steal_pointer (&manager);

  if (!pdv_drawer_open (pdv_context_get_journal (context), user, manager, reason, &error))
    return pdvctl_fail_error (options, error);

  if (print)
    {
      g_autoptr(PdvPrinter) device = pdv_printer_new (printer != NULL ? printer : g_getenv ("PDV_PRINTER"));
      g_autoptr(GBytes) bytes = pdv_escpos_open_drawer ();

      /* Translators: the job's name in the print queue */
      if (!pdv_printer_print_raw (device, bytes, _("Open cash drawer"), &error))
        {
          /* Translators: %s says what went wrong with the printer */
          g_autofree char *message = g_strdup_printf (_("The opening is recorded, but the drawer did not "
                                                        "open: %s"), error->message);

          return pdvctl_fail (options, message);
        }
    }

  if (options->json)
    {
      gboolean override = manager != NULL && !pdv_user_can (user, PDV_PERMISSION_DRAWER_OPEN);
      json_t *body = json_pack ("{s:b, s:s, s:s?, s:b}", "ok", TRUE, "user", user->id,
                                "authorised_by", override ? manager->id : NULL, "printed", print);
      pdvctl_print_json (body);
      json_decref (body);
    }
  else if (print)
    g_print (_("Cash drawer opened\n"));
  else
    g_print (_("Cash drawer opening recorded\n"));
  return 0;
}

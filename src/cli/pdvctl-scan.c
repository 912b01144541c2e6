/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-image-scanner.h"
#include "pdvctl.h"

/* Reads the QR codes in a picture: a photo of a ticket a customer sent, a
 * screenshot for support. The same decoder the door's camera uses. */

int
pdvctl_command_scan (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) codes = NULL;
  guint n_files;

  if (!pdvctl_parse_options (options, _("scan IMAGE… — print the QR codes in pictures, one a line"),
                              NULL, &error))
    return pdvctl_fail_error (options, error);
  n_files = g_strv_length (options->args) - 1;
  if (n_files == 0)
    return pdvctl_fail (options, _("scan needs a picture (PNG or JPEG) to read"));

  for (guint i = 1; options->args[i] != NULL; i++)
    {
      g_auto(GStrv) found = pdv_image_scanner_scan_file (options->args[i], &error);

      if (found == NULL)
        return pdvctl_fail_error (options, error);
      if (found[0] == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("No QR code found in %s"), options->args[i]);
          return pdvctl_fail (options, message);
        }
      g_strv_builder_addv (builder, (const char **) found);
    }
  codes = g_strv_builder_end (builder);

  if (options->json)
    {
      json_t *list = json_array ();
      json_t *body;

      /* JSON holds text only; a code of other bytes shows what it can. */
      for (guint i = 0; codes[i] != NULL; i++)
        {
          g_autofree char *text = g_utf8_make_valid (codes[i], -1);
          json_array_append_new (list, json_string (text));
        }
      body = json_pack ("{s:b, s:o}", "ok", TRUE, "codes", list);
      pdvctl_print_json (body);
      json_decref (body);
      return 0;
    }
  for (guint i = 0; codes[i] != NULL; i++)
    g_print ("%s\n", codes[i]);
  return 0;
}

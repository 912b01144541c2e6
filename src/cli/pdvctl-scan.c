/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-image-scanner.h"
#include "pdvctl.h"

/* Reads the QR codes in pictures: photos of tickets a customer sent, a
 * screenshot for support. The same decoder the door's camera uses. Every
 * picture is read; one without a code, or one that is no picture, is named
 * on stderr and makes the exit status 1, after the codes of the others. */

int
pdvctl_command_scan (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) codes_json = NULL;
  g_autoptr(json_t) files_json = NULL;
  gboolean all_read = TRUE;

  if (!pdvctl_parse_options (options, _("scan IMAGE… — print the QR codes in pictures, one a line"),
                              NULL, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) < 2)
    return pdvctl_fail_usage (options, _("scan needs a picture (PNG or JPEG) to read"));

  codes_json = json_array ();
  files_json = json_array ();
  for (guint i = 1; options->args[i] != NULL; i++)
    {
      /* "-": a picture on standard input. */
      gboolean from_stdin = g_str_equal (options->args[i], "-");
      const char *path = from_stdin ? "stdin" : options->args[i];
      g_autoptr(GError) file_error = NULL;
      g_autoptr(GBytes) data = from_stdin ? pdvctl_read_stdin (&file_error) : NULL;
      g_auto(GStrv) found = from_stdin ? (data != NULL ? pdv_image_scanner_scan_bytes (data, path, &file_error)
                                                       : NULL)
                                       : pdv_image_scanner_scan_file (path, &file_error);
      g_autofree char *problem = NULL;
      json_t *file_codes = json_array ();
      json_t *file_json;

      if (found == NULL)
        problem = g_strdup (file_error->message);
      else if (found[0] == NULL)
        problem = g_strdup_printf (_("No QR code found in %s"), path);

      for (guint c = 0; found != NULL && found[c] != NULL; c++)
        {
          /* JSON holds text only; a code of other bytes shows what it can. */
          g_autofree char *text = g_utf8_make_valid (found[c], -1);

          if (!options->json)
            g_print ("%s\n", found[c]);
          json_array_append_new (codes_json, json_string (text));
          json_array_append_new (file_codes, json_string (text));
        }
      file_json = json_pack ("{s:s, s:o}", "file", path, "codes", file_codes);
      if (problem != NULL)
        {
          all_read = FALSE;
          json_object_set_new (file_json, "error", json_string (problem));
          g_printerr ("pdvctl: %s\n", problem);
        }
      json_array_append_new (files_json, file_json);
    }

  if (options->json)
    {
      g_autoptr(json_t) body = json_pack ("{s:b, s:O, s:O}", "ok", all_read, "codes", codes_json,
                                          "files", files_json);

      pdvctl_print_json (body);
    }
  return all_read ? 0 : 1;
}

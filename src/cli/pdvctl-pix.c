/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib/gi18n.h>

#include "pdvctl.h"

static const char *
key_kind_label (PdvPixKeyKind kind)
{
  switch (kind)
    {
    case PDV_PIX_KEY_EMAIL:
      return _("e-mail");
    case PDV_PIX_KEY_PHONE:
      return _("phone");
    case PDV_PIX_KEY_CPF:
      return _("CPF");
    case PDV_PIX_KEY_CNPJ:
      return _("CNPJ");
    case PDV_PIX_KEY_RANDOM:
      return _("random key");
    default:
      g_return_val_if_reached ("");
    }
}

static const char *
initiation_name (PdvPixInitiation initiation)
{
  switch (initiation)
    {
    case PDV_PIX_INITIATION_STATIC:
      return "static";
    case PDV_PIX_INITIATION_DYNAMIC:
      return "dynamic";
    case PDV_PIX_INITIATION_UNSPECIFIED:
    default:
      return NULL;
    }
}

static const char *
initiation_label (PdvPixInitiation initiation)
{
  switch (initiation)
    {
    case PDV_PIX_INITIATION_STATIC:
      return _("reusable (11)");
    case PDV_PIX_INITIATION_DYNAMIC:
      return _("one payment only (12)");
    case PDV_PIX_INITIATION_UNSPECIFIED:
    default:
      return _("not stated");
    }
}

/* printf pads by bytes; labels are padded by characters so translations line up. */
static void
print_row (const char *label,
           const char *value)
{
  glong chars = g_utf8_strlen (label, -1);

  g_print ("  %s%*s %s\n", label, (int) MAX (0, 16 - chars), "", value);
}

static void
print_code_json (const char       *payload,
                 const PdvPixCode *code,
                 const char       *png_path)
{
  json_t *body = json_pack ("{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}",
                            "ok", TRUE, "payload", payload, "key", code->key,
                            "key_kind", pdv_pix_key_kind_name (code->key_kind),
                            "name", code->name, "city", code->city, "txid", code->txid,
                            "initiation", initiation_name (code->initiation));

  json_object_set_new (body, "amount", code->has_amount ? json_integer (code->amount) : json_null ());
  if (png_path != NULL)
    {
      g_autofree char *shown = g_filename_display_name (png_path);

      json_object_set_new (body, "png", json_string (shown));
    }
  pdvctl_print_json (body);
  json_decref (body);
}

static void
print_code_text (const PdvPixCode *code)
{
  g_autofree char *key = g_strdup_printf ("%s (%s)", code->key, key_kind_label (code->key_kind));
  g_autofree char *amount = code->has_amount ? pdv_money_format (code->amount)
                                             : g_strdup (_("none: the payer types it"));
  g_autofree char *txid = g_str_equal (code->txid, PDV_PIX_NO_TXID)
                          ? g_strdup_printf (_("%s (none)"), code->txid) : g_strdup (code->txid);

  g_print (_("Valid PIX code\n"));
  print_row (_("Key:"), key);
  print_row (_("Name:"), code->name);
  print_row (_("City:"), code->city);
  print_row (_("Amount:"), amount);
  print_row (_("Transaction ID:"), txid);
  print_row (_("Use:"), initiation_label (code->initiation));
}

/**
 * pdvctl_command_pix:
 *
 * Builds the payload of a static PIX BR Code and prints it, alone on its line
 * so scripts can take it; or, with --check, reads one and says what it holds.
 * Needs no terminal database.
 */
int
pdvctl_command_pix (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvPixCode) code = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *city = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *txid = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *check = NULL;
  g_autofree char *payload = NULL;
  PdvMoney amount = 0;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_STRING, &key,
      N_("The PIX key that receives the payment: e-mail, phone with +55, CPF, CNPJ or random key"), N_("KEY") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Who receives the payment (at most 25 letters)"), N_("NAME") },
    { "city", 0, 0, G_OPTION_ARG_STRING, &city, N_("The receiver’s city (at most 15 letters)"), N_("CITY") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text,
      N_("The amount, e.g. 12,50 (default: the payer types it)"), N_("AMOUNT") },
    { "txid", 0, 0, G_OPTION_ARG_STRING, &txid,
      N_("A reference for the payment: at most 25 letters and digits"), N_("TXID") },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png_path, N_("Also write the QR code to this PNG file"), N_("FILE") },
    { "check", 0, 0, G_OPTION_ARG_STRING, &check,
      N_("Check a BR Code and show what it holds instead of building one"), N_("PAYLOAD") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("pix — build a PIX BR Code, or check one with --check"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) > 1)
    {
      g_autofree char *message = g_strdup_printf (_("pix takes options only, not “%s” (quote values with spaces)"),
                                                  options->args[1]);
      return pdvctl_fail (options, message);
    }

  if (check != NULL)
    {
      if (key != NULL || name != NULL || city != NULL || amount_text != NULL || txid != NULL)
        return pdvctl_fail_usage (options, _("--check reads an existing code; it cannot be combined with "
                                       "--key, --name, --city, --amount or --txid"));
      /* A pasted code often brings a line break along; a BR Code never
       * starts or ends with a space. */
      payload = g_strdup (g_strstrip (check));
    }
  else
    {
      if (key == NULL)
        return pdvctl_fail_usage (options, _("pix needs --key KEY (or --check PAYLOAD to read a code)"));
      if (name == NULL)
        return pdvctl_fail_usage (options, _("pix needs --name NAME, the name the payer will see"));
      if (city == NULL)
        return pdvctl_fail_usage (options, _("pix needs --city CITY"));
      if (amount_text != NULL &&
          !pdv_money_parse (amount_text, PDV_MONEY_PARSE_DEFAULT, &amount, &error))
        return pdvctl_fail_error (options, error);
      payload = pdv_pix_build (key, name, city, amount_text != NULL, amount, txid, &error);
      if (payload == NULL)
        return pdvctl_fail_error (options, error);
    }

  if (!pdv_pix_parse (payload, &code, &error))
    return pdvctl_fail_error (options, error);

  if (png_path != NULL)
    {
      if (!pdvctl_write_qr_png (payload, png_path, &error))
        return pdvctl_fail_error (options, error);
    }

  if (options->json)
    print_code_json (payload, code, png_path);
  else if (check == NULL)
    g_print ("%s\n", payload);
  else
    print_code_text (code);
  return 0;
}

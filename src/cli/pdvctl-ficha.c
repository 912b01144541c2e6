/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib/gi18n.h>

#include "pdvctl.h"

/* The counter's name: --counter, else the terminal's. */
static char *
counter_name (PdvContext *context,
              const char *given)
{
  g_autofree char *terminal = NULL;

  if (given != NULL && *given != '\0')
    return g_strdup (given);
  terminal = pdv_context_dup_terminal_name (context);
  return terminal != NULL ? g_steal_pointer (&terminal) : g_strdup (_("Counter"));
}

static json_t *
redemption_to_json (const PdvFichaRedemption *r)
{
  json_t *body = json_pack ("{s:b, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s}",
                            "ok", r->verdict == PDV_FICHA_VALID,
                            "verdict", pdv_ficha_verdict_to_string (r->verdict),
                            "label", pdv_ficha_verdict_label (r->verdict),
                            "ficha", r->ficha_id, "code", r->code, "product", r->product_id,
                            "name", r->product_name, "redeemed_at", r->redeemed_at,
                            "redeemed_by", r->redeemed_by, "issuer", r->issuer,
                            "message", r->message);

  json_object_set_new (body, "entry", json_string (r->entry_id));
  return body;
}

static int
redeem (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvFichaRedemption) redemption = NULL;
  g_autofree char *counter = NULL;
  g_autofree char *user = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "counter", 0, 0, G_OPTION_ARG_STRING, &counter, N_("The counter’s name (default: the terminal’s)"),
      N_("NAME") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The bartender"), N_("ID") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("ficha redeem TOKEN|- — serve the drink a ficha is for, or say why not"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 3)
    return pdvctl_fail_usage (options, _("ficha redeem needs the code read from one ficha (or - to read it from "
                                          "standard input)"));
  if (g_str_equal (options->args[2], "-"))
    {
      g_autoptr(GBytes) input = pdvctl_read_stdin (&error);

      if (input == NULL)
        return pdvctl_fail_error (options, error);
      text = g_strndup (g_bytes_get_data (input, NULL), g_bytes_get_size (input));
    }
  else
    text = g_strdup (options->args[2]);
  /* What scanners add around a code; the code's own spaces stay. */
  g_strstrip (text);

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  name = counter_name (context, counter);
  redemption = pdv_ficha_redeem (pdv_context_get_journal (context), text, name, user, &error);
  if (redemption == NULL)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      g_autoptr(json_t) body = redemption_to_json (redemption);

      pdvctl_print_json (body);
    }
  else
    {
      g_print ("%s\n%s\n", pdv_ficha_verdict_label (redemption->verdict), redemption->message);
      if (redemption->code != NULL)
        /* Translators: the ficha's short code, as printed on it */
        g_print (_("Ficha %s\n"), redemption->code);
    }
  return redemption->verdict == PDV_FICHA_VALID ? 0 : PDVCTL_EXIT_FAILED;
}

static const char *
state_label (const char *state)
{
  if (g_strcmp0 (state, "redeemed") == 0)
    /* Translators: a ficha's state: exchanged for its drink */
    return _("served");
  if (g_strcmp0 (state, "revoked") == 0)
    /* Translators: a ficha's state: its sale was voided or refunded */
    return _("taken back");
  /* Translators: a ficha's state: sold, not served yet */
  return _("to serve");
}

static int
list (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(json_t) fichas = NULL;
  size_t i;
  json_t *ficha;

  if (!pdvctl_parse_options (options, _("ficha list SALE_ID — a sale’s fichas and what became of them"), NULL,
                             &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 3)
    return pdvctl_fail_usage (options, _("ficha list needs a sale’s id"));
  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  fichas = pdv_ficha_list_for_sale (pdv_context_get_db (context), options->args[2], &error);
  if (fichas == NULL)
    return pdvctl_fail_error (options, error);
  if (options->json)
    {
      pdvctl_print_json_list ("fichas", g_steal_pointer (&fichas));
      return 0;
    }
  if (json_array_size (fichas) == 0)
    g_print (_("Sale %s handed over no fichas\n"), options->args[2]);
  json_array_foreach (fichas, i, ficha)
    g_print ("%s  %-10s  %s\n", json_string_value (json_object_get (ficha, "code")),
             state_label (json_string_value (json_object_get (ficha, "state"))),
             json_string_value (json_object_get (ficha, "name")));
  return 0;
}

/**
 * pdvctl_command_ficha:
 *
 * "ficha redeem TOKEN": exit status 0 when the drink is to be served, 1
 * when the ficha is refused. "ficha list SALE_ID".
 */
int
pdvctl_command_ficha (Options *options)
{
  const char *action = options->args[1] != NULL ? options->args[1] : "";

  if (g_str_equal (action, "redeem"))
    return redeem (options);
  if (g_str_equal (action, "list"))
    return list (options);
  return pdvctl_fail_usage (options, _("ficha needs what to do: redeem TOKEN, or list SALE_ID"));
}

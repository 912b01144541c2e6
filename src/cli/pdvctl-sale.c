/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pdvctl.h"

/* "SKU" or "SKUxQTY" (also "SKU*QTY"). */
static gboolean
parse_item (const char  *text,
            char       **out_id,
            gint64      *out_qty,
            GError     **error)
{
  const char *mark = strrchr (text, 'x');
  const char *star = strrchr (text, '*');
  guint64 qty = 1;

  if (star != NULL && (mark == NULL || star > mark))
    mark = star;
  if (mark != NULL && mark != text && mark[1] != '\0' &&
      g_ascii_string_to_unsigned (mark + 1, 10, 1, 10000, &qty, NULL))
    *out_id = g_strndup (text, mark - text);
  else
    {
      *out_id = g_strdup (text);
      qty = 1;
    }
  if (**out_id == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("“%s” is not a product"), text);
      g_clear_pointer (out_id, g_free);
      return FALSE;
    }
  *out_qty = (gint64) qty;
  return TRUE;
}

typedef struct {
  PdvPaymentMethod  method;
  PdvCardKind       card;
  PdvMoney          amount;
  char             *reference;
} PayArg;

static gboolean
parse_pay (const char  *text,
           PayArg      *out,
           GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", 3);

  out->card = PDV_CARD_UNSPECIFIED;
  /* "debit" and "credit" are a card's, said as the machine took it. */
  if (parts[0] != NULL && pdv_card_kind_from_string (parts[0], &out->card))
    out->method = PDV_PAYMENT_CARD;
  else if (parts[0] == NULL || !pdv_payment_method_from_string (parts[0], &out->method))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s”: pay with cash, debit, credit, card, pix or voucher (e.g. cash:50,00 or "
                     "credit:24,00:AUTH123)"), text);
      return FALSE;
    }
  out->amount = 0;
  if (parts[1] != NULL && *parts[1] != '\0' &&
      !pdv_money_parse (parts[1], PDV_MONEY_PARSE_DEFAULT, &out->amount, error))
    return FALSE;
  out->reference = parts[1] != NULL && parts[2] != NULL ? g_strdup (parts[2]) : NULL;
  return TRUE;
}

/* --discount: who allows it is the manager whose --pin it is, or, with no
 * PIN, the --user, which the commit refuses unless they are a manager. */
static gboolean
set_discount (PdvSaleDraft  *draft,
              PdvDb         *db,
              const char    *text,
              const char    *reason,
              const char    *user,
              const char    *pin,
              GError       **error)
{
  g_autoptr(PdvUser) manager = NULL;
  PdvDiscountKind kind;
  gint64 value;

  if (!pdv_discount_parse (text, &kind, &value, error))
    return FALSE;
  if (pin != NULL)
    {
      manager = pdv_auth_find_by_pin (db, PDV_PERMISSION_DISCOUNT, pin, user, error);
      if (manager == NULL)
        return FALSE;
    }
  return pdv_sale_draft_set_discount (draft, kind, value, reason, manager ? manager->id : NULL, error);
}

static gboolean
pays_with_voucher (GArray *payments)
{
  for (guint i = 0; i < payments->len; i++)
    if (g_array_index (payments, PayArg, i).method == PDV_PAYMENT_VOUCHER)
      return TRUE;
  return FALSE;
}

/**
 * pdvctl_command_sell:
 *
 * Non-cash payments cover what they say; cash covers the rest and whatever
 * it exceeds by is change. A payment with no amount covers what is left,
 * after the discount.
 */
int
pdvctl_command_sell (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_auto(GStrv) pays = NULL;
  g_autofree char *user = NULL;
  g_autofree char *alarm = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *authorised_by = NULL;
  g_autofree char *printer = NULL;
  g_autofree char *discount = NULL;
  g_autofree char *discount_reason = NULL;
  g_autoptr(GError) print_error = NULL;
  gboolean print = FALSE;
  gboolean printed = FALSE;
  g_autoptr(GArray) payments = g_array_new (FALSE, TRUE, sizeof (PayArg));
  PdvMoney total = 0, covered = 0;
  GOptionEntry entries[] = {
    { "pay", 0, 0, G_OPTION_ARG_STRING_ARRAY, &pays,
      N_("A payment: cash[:TENDERED], card[:AMOUNT[:REF]], pix[:AMOUNT[:TXID]], voucher[:AMOUNT[:CODE]]"),
      N_("METHOD:AMOUNT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The cashier"), N_("ID") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, N_("A manager’s PIN, for vouchers and discounts"), N_("PIN") },
    { "discount", 0, 0, G_OPTION_ARG_STRING, &discount,
      N_("A discount off the subtotal: an amount (5,00) or a percentage (10%); needs a manager’s --pin "
         "unless --user is a manager"),
      N_("PCT%|AMOUNT") },
    { "discount-reason", 0, 0, G_OPTION_ARG_STRING, &discount_reason, N_("Why the discount was given"),
      N_("TEXT") },
    { "print", 0, 0, G_OPTION_ARG_NONE, &print, N_("Print the receipt once the sale is saved"), NULL },
    { "printer", 0, 0, G_OPTION_ARG_STRING, &printer,
      N_("The CUPS printer to use (default: $PDV_PRINTER, else the default printer); implies --print"),
      N_("NAME") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("sell SKU[xQTY]… --pay METHOD:AMOUNT… [--discount PCT%|AMOUNT] — "
                                        "ring up and commit a sale"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) < 2)
    return pdvctl_fail_usage (options, _("sell needs at least one product (SKU or SKUxQTY)"));
  if (pays == NULL)
    return pdvctl_fail_usage (options, _("sell needs at least one --pay"));
  if (discount_reason != NULL && discount == NULL)
    return pdvctl_fail_usage (options, _("--discount-reason goes with a --discount"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);

  for (guint i = 1; options->args[i]; i++)
    {
      g_autofree char *id = NULL;
      gint64 qty;

      if (!parse_item (options->args[i], &id, &qty, &error))
        return pdvctl_fail_error (options, error);
      pdv_sale_draft_add_line (draft, id, qty);
    }
  if (discount != NULL &&
      !set_discount (draft, pdv_context_get_db (context), discount, discount_reason, user, pin, &error))
    return pdvctl_fail_error (options, error);
  if (!pdv_sale_draft_total (draft, pdv_context_get_catalog (context), &total, &error))
    return pdvctl_fail_error (options, error);

  g_array_set_clear_func (payments, (GDestroyNotify) NULL);
  for (guint i = 0; pays[i]; i++)
    {
      PayArg pay = { 0 };

      if (!parse_pay (pays[i], &pay, &error))
        return pdvctl_fail_error (options, error);
      g_array_append_val (payments, pay);
    }
  /* Non-cash first, so cash covers the remainder. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < payments->len; i++)
      {
        PayArg *pay = &g_array_index (payments, PayArg, i);
        gboolean is_cash = pay->method == PDV_PAYMENT_CASH;
        PdvMoney left = total - covered;

        if ((pass == 0) == is_cash)
          continue;
        if (is_cash)
          {
            PdvMoney tendered = pay->amount ? pay->amount : left;
            PdvMoney amount = MIN (tendered, left);
            if (amount <= 0)
              {
                g_free (pay->reference);
                return pdvctl_fail (options, _("The other payments already cover the total; drop the cash payment"));
              }
            pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, amount, tendered, pay->reference);
            covered += amount;
          }
        else
          {
            PdvMoney amount = pay->amount ? pay->amount : left;

            if (pay->method == PDV_PAYMENT_CARD)
              pdv_sale_draft_add_card_payment (draft, pay->card, amount, pay->reference);
            else
              pdv_sale_draft_add_payment (draft, pay->method, amount, 0, pay->reference);
            covered += amount;
          }
        g_clear_pointer (&pay->reference, g_free);
      }

  /* With a discount, the PIN is the courtesy's only when a voucher pays. */
  if (pin != NULL && (discount == NULL || pays_with_voucher (payments)))
    {
      authorised_by = pdv_authorise_manager (pdv_context_get_db (context), pin, &error);
      if (authorised_by == NULL)
        return pdvctl_fail_error (options, error);
    }

  result = pdv_sale_commit (pdv_context_get_journal (context), pdv_context_get_catalog (context), draft,
                            user, authorised_by, &error);
  if (result == NULL)
    return pdvctl_fail_error (options, error);

  /* Saved and marked; whoever runs the till hears of it at every sale. */
  alarm = pdv_alarm_get (pdv_context_get_db (context));
  if (alarm != NULL)
    g_printerr (_("pdvctl: warning: this terminal is in tamper alarm, and sale %s is marked as made under it: %s\n"
                  "Call a manager; “pdvctl verify” checks again.\n"),
                result->sale_id, alarm);

  /* The sale is saved whatever happens to its receipt. */
  if (print || printer != NULL)
    {
      printed = pdvctl_print_sale_receipt (context, FALSE, result->sale_id, printer, PDV_PAPER_80MM, &print_error);
      if (!printed)
        g_printerr (_("pdvctl: warning: sale %s is saved, but its receipt was not printed: %s\n"
                      "Print it again with “pdvctl receipt %s --print”.\n"),
                    result->sale_id, print_error->message, result->sale_id);
    }

  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s, s:I, s:I, s:I, s:o}", "ok", TRUE, "sale_id", result->sale_id,
                                "seq", (json_int_t) result->seq, "total", (json_int_t) result->total,
                                "change", (json_int_t) result->change, "warnings", json_array ());
      if (result->discount > 0)
        {
          json_object_set_new (body, "subtotal", json_integer (result->subtotal));
          json_object_set_new (body, "discount", json_integer (result->discount));
        }
      for (guint i = 0; result->warnings[i]; i++)
        json_array_append_new (json_object_get (body, "warnings"), json_string (result->warnings[i]));
      if (print || printer != NULL)
        json_object_set_new (body, "printed", json_boolean (printed));
      if (alarm != NULL)
        json_object_set_new (body, "alarm", json_string (alarm));
      /* The fichas it handed over: their ids and tokens. */
      json_object_set_new (body, "fichas", result->fichas != NULL ? json_incref (result->fichas) : json_array ());
      {
        g_autoptr(GError) token_error = NULL;

        if (!pdv_ficha_add_tokens (pdv_context_get_db (context), json_object_get (body, "fichas"), &token_error))
          g_printerr (_("pdvctl: warning: %s\n"), token_error->message);
      }
      pdvctl_print_json (body);
      json_decref (body);
    }
  else
    {
      g_autofree char *total_text = pdv_money_format (result->total);
      g_autofree char *change_text = pdv_money_format (result->change);

      if (result->discount > 0)
        {
          g_autofree char *subtotal_text = pdv_money_format (result->subtotal);
          g_autofree char *discount_text = pdv_money_format (result->discount);

          /* Translators: the discount, then the subtotal it came off */
          g_print (_("Discount: %s off %s\n"), discount_text, subtotal_text);
        }
      g_print (_("Sale %s: total %s, change %s\n"), result->sale_id, total_text, change_text);
      for (size_t i = 0; i < json_array_size (result->fichas); i++)
        {
          json_t *ficha = json_array_get (result->fichas, i);

          /* Translators: a ficha the sale handed over: its short code and the product */
          g_print (_("Ficha %s: %s\n"), json_string_value (json_object_get (ficha, "code")),
                   json_string_value (json_object_get (ficha, "name")));
        }
      for (guint i = 0; result->warnings[i]; i++)
        g_print (_("Warning: %s\n"), result->warnings[i]);
    }
  return 0;
}

static int
void_or_refund (Options  *options,
                gboolean  refund)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *user = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *method_text = NULL;
  g_auto(GStrv) fichas_args = NULL;
  g_autoptr(GStrvBuilder) fichas = g_strv_builder_new ();
  g_auto(GStrv) ficha_list = NULL;
  PdvPaymentMethod method = PDV_PAYMENT_CASH;
  PdvMoney amount = 0;
  gboolean ok;
  GOptionEntry entries[] = {
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, N_("The authorising manager’s PIN"), N_("PIN") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Who asks for it"), N_("ID") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why"), N_("TEXT") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text, N_("How much to refund"), N_("AMOUNT") },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_text, N_("How the refund is paid (default cash)"), N_("METHOD") },
    { "fichas", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fichas_args,
      N_("The fichas it takes back, by code (repeat, or CODE,CODE); default: all not served when it refunds the "
         "rest, else none"), N_("CODES") },
    { NULL }
  };

  if (!refund)
    entries[3].long_name = NULL;
  if (!pdvctl_parse_options (options, refund ? _("refund SALE_ID --amount AMOUNT --pin PIN — refund part of a sale")
                                             : _("void SALE_ID --pin PIN — cancel a sale"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 2)
    return pdvctl_fail_usage (options, _("name exactly one sale id"));
  if (pin == NULL)
    return pdvctl_fail_usage (options, _("a manager’s --pin is required"));
  if (refund)
    {
      if (amount_text == NULL)
        return pdvctl_fail_usage (options, _("refund needs --amount"));
      if (!pdv_money_parse (amount_text, PDV_MONEY_PARSE_DEFAULT, &amount, &error))
        return pdvctl_fail_error (options, error);
      if (method_text != NULL && !pdv_payment_method_from_string (method_text, &method))
        return pdvctl_fail_usage (options, _("--method is cash, card, pix or voucher"));
    }

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);

  for (guint i = 0; fichas_args != NULL && fichas_args[i] != NULL; i++)
    {
      g_auto(GStrv) codes = g_strsplit (fichas_args[i], ",", -1);

      for (guint c = 0; codes[c] != NULL; c++)
        if (*g_strstrip (codes[c]) != '\0')
          g_strv_builder_add (fichas, codes[c]);
    }
  ficha_list = g_strv_builder_end (fichas);
  if (refund)
    ok = pdv_sale_refund_fichas (pdv_context_get_journal (context), options->args[1], amount, method, user, pin,
                                 reason, fichas_args != NULL ? (const char * const *) ficha_list : NULL, &error);
  else
    ok = pdv_sale_void (pdv_context_get_journal (context), options->args[1], user, pin, reason, &error);
  if (!ok)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s}", "ok", TRUE, "sale_id", options->args[1]);
      pdvctl_print_json (body);
      json_decref (body);
    }
  else if (refund)
    {
      g_autofree char *shown = pdv_money_format (amount);
      g_print (_("Refunded %s of sale %s\n"), shown, options->args[1]);
    }
  else
    g_print (_("Sale %s voided\n"), options->args[1]);
  return 0;
}

int
pdvctl_command_void (Options *options)
{
  return void_or_refund (options, FALSE);
}

int
pdvctl_command_refund (Options *options)
{
  return void_or_refund (options, TRUE);
}

static int
list_open_sales (Options    *options,
                 PdvContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = pdv_open_sales_list (pdv_context_get_db (context), &error);
  json_t *sales;

  if (open == NULL)
    return pdvctl_fail_error (options, error);
  if (!options->json)
    {
      if (open->len == 0)
        g_print (_("No sale is being paid.\n"));
      for (guint i = 0; i < open->len; i++)
        {
          PdvOpenSale *sale = g_ptr_array_index (open, i);
          g_autofree char *paid = pdv_open_sale_describe_payments (sale);
          g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (sale->started_at, NULL);
          g_autoptr(GDateTime) local = utc != NULL ? pdvctl_local_time (utc) : NULL;
          g_autofree char *when = local != NULL ? pdv_datetime_format (local, NULL, PDV_DATETIME_DAY_TIME)
                                                 : g_strdup ("?");

          /* Translators: an open sale: its id, when its first payment was taken, by whom, and the payments */
          g_print (_("%s  %s  %s  paid: %s\n"), sale->id, when, sale->user != NULL ? sale->user : "-", paid);
        }
      return 0;
    }

  sales = json_array ();
  for (guint i = 0; i < open->len; i++)
    {
      PdvOpenSale *sale = g_ptr_array_index (open, i);
      const GArray *payments = pdv_sale_draft_get_payments (sale->draft);
      json_t *items = json_array ();

      for (guint j = 0; j < payments->len; j++)
        {
          const PdvPayment *payment = &g_array_index (payments, PdvPayment, j);

          json_array_append_new (items, json_pack ("{s:s, s:s, s:I}", "id", payment->id,
                                                   "method", pdv_payment_method_to_string (payment->method),
                                                   "amount", (json_int_t) payment->amount));
        }
      json_array_append_new (sales, json_pack ("{s:s, s:s?, s:s, s:I, s:o}", "id", sale->id, "user", sale->user,
                                               "started_at", sale->started_at, "paid", (json_int_t) sale->paid,
                                               "payments", items));
    }
  {
    g_autoptr(json_t) body = json_pack ("{s:b, s:o}", "ok", TRUE, "open_sales", sales);
    pdvctl_print_json (body);
  }
  return 0;
}

/* pdvctl open-sales [give-up ID --reason TEXT [--pin PIN] [--user ID]] */
int
pdvctl_command_open_sales (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvUser) operator_user = NULL;
  g_autoptr(PdvUser) manager = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *user = NULL;
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, N_("The authorising manager’s PIN"), N_("PIN") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Who asks for it"), N_("ID") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why"), N_("TEXT") },
    { NULL }
  };
  guint n_args;

  if (!pdvctl_parse_options (options, _("open-sales [give-up ID --reason TEXT [--pin PIN]] — sales being paid"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  n_args = g_strv_length (options->args);
  if (n_args != 1 && !(n_args == 3 && g_str_equal (options->args[1], "give-up")))
    return pdvctl_fail_usage (options, _("say “open-sales” to list them, or “open-sales give-up ID --reason TEXT”"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  if (n_args == 1)
    return list_open_sales (options, context);

  if (user != NULL && !pdv_auth_find_user (pdv_context_get_db (context), user, &operator_user, &error))
    return pdvctl_fail_error (options, error);
  if (pin != NULL)
    {
      manager = pdv_auth_find_by_pin (pdv_context_get_db (context), PDV_PERMISSION_VOID, pin, user, &error);
      if (manager == NULL)
        return pdvctl_fail_error (options, error);
    }
  if (!pdv_open_sale_abandon (pdv_context_get_journal (context), options->args[2], operator_user, manager, reason,
                              &error))
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      g_autoptr(json_t) body = json_pack ("{s:b, s:s}", "ok", TRUE, "open_sale", options->args[2]);
      pdvctl_print_json (body);
    }
  else
    g_print (_("Sale %s given up; hand its payments back to the customer\n"), options->args[2]);
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sale"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-auth.h"
#include "pdv-db-private.h"
#include "pdv-ficha.h"
#include "pdv-projections.h"
#include "pdv-sale-private.h"
#include "pdv-seal.h"
#include "pdv-shift.h"
#include "pdv-tender.h"
#include "pdv-users.h"

G_DEFINE_QUARK (pdv-sale-error-quark, pdv_sale_error)

static const char * const method_names[] = { "cash", "card", "pix", "voucher" };

const char *
pdv_payment_method_to_string (PdvPaymentMethod method)
{
  g_return_val_if_fail (method <= PDV_PAYMENT_VOUCHER, NULL);
  return method_names[method];
}

/**
 * pdv_payment_method_label:
 *
 * The method's name for people, translated: on screen and on receipts.
 */
const char *
pdv_payment_method_label (PdvPaymentMethod method)
{
  switch (method)
    {
    case PDV_PAYMENT_CASH:
      /* Translators: a way of paying, on screen and on the printed receipt */
      return _("Cash");
    case PDV_PAYMENT_CARD:
      return _("Card");
    case PDV_PAYMENT_PIX:
      return C_("payment method", "PIX");
    case PDV_PAYMENT_VOUCHER:
      return _("Voucher");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
pdv_payment_method_from_string (const char       *text,
                                PdvPaymentMethod *out_method)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    if (g_strcmp0 (text, method_names[i]) == 0)
      {
        *out_method = (PdvPaymentMethod) i;
        return TRUE;
      }
  return FALSE;
}

static void
clear_line (gpointer data)
{
  PdvSaleLine *line = data;

  g_clear_pointer (&line->product_id, g_free);
}

/* Frees what @payment holds, as an array of payments does. */
void
pdv_payment_clear (PdvPayment *payment)
{
  g_clear_pointer (&payment->reference, g_free);
  g_clear_pointer (&payment->id, g_free);
}

PdvSaleDraft *
pdv_sale_draft_new (void)
{
  PdvSaleDraft *draft = g_new0 (PdvSaleDraft, 1);

  draft->lines = g_array_new (FALSE, TRUE, sizeof (PdvSaleLine));
  g_array_set_clear_func (draft->lines, clear_line);
  draft->payments = g_array_new (FALSE, TRUE, sizeof (PdvPayment));
  g_array_set_clear_func (draft->payments, (GDestroyNotify) pdv_payment_clear);
  return draft;
}

void
pdv_sale_draft_free (PdvSaleDraft *draft)
{
  if (draft == NULL)
    return;
  g_array_unref (draft->lines);
  g_array_unref (draft->payments);
  pdv_sale_discount_clear (&draft->discount);
  g_free (draft->open_id);
  g_free (draft);
}

void
pdv_sale_draft_add_line (PdvSaleDraft *draft,
                         const char   *product_id,
                         gint64        qty)
{
  PdvSaleLine line = { g_strdup (product_id), qty };

  g_return_if_fail (draft != NULL);
  g_array_append_val (draft->lines, line);
}

/**
 * pdv_sale_draft_add_payment:
 * @amount: the part of the total this payment covers
 * @tendered: for cash, what the customer handed over (0: exactly @amount)
 * @reference: (nullable): card authorisation, PIX txid or voucher code
 */
void
pdv_sale_draft_add_payment (PdvSaleDraft     *draft,
                            PdvPaymentMethod  method,
                            PdvMoney          amount,
                            PdvMoney          tendered,
                            const char       *reference)
{
  PdvPayment payment = { method, amount, tendered, g_strdup (reference), NULL };

  g_return_if_fail (draft != NULL);
  g_array_append_val (draft->payments, payment);
}

/**
 * pdv_sale_draft_add_card_payment:
 * @card: debit or credit, as the card machine took it
 * @reference: (nullable): the machine's authorisation
 */
void
pdv_sale_draft_add_card_payment (PdvSaleDraft *draft,
                                 PdvCardKind   card,
                                 PdvMoney      amount,
                                 const char   *reference)
{
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CARD, amount, 0, reference);
  g_array_index (draft->payments, PdvPayment, draft->payments->len - 1).card = card;
}

static const char * const card_names[] = { NULL, "debit", "credit" };

const char *
pdv_card_kind_to_string (PdvCardKind card)
{
  g_return_val_if_fail (card <= PDV_CARD_CREDIT, NULL);
  return card_names[card];
}

gboolean
pdv_card_kind_from_string (const char  *text,
                           PdvCardKind *out_card)
{
  for (guint i = 1; i < G_N_ELEMENTS (card_names); i++)
    if (g_strcmp0 (text, card_names[i]) == 0)
      {
        *out_card = (PdvCardKind) i;
        return TRUE;
      }
  return FALSE;
}

/* For people: "Debit", "Credit". */
const char *
pdv_card_kind_label (PdvCardKind card)
{
  switch (card)
    {
    case PDV_CARD_DEBIT: return _("Debit");
    case PDV_CARD_CREDIT: return _("Credit");
    case PDV_CARD_UNSPECIFIED:
    default: return _("Card");
    }
}

/**
 * pdv_payments_describe:
 * @payments: (element-type PdvPayment): payments
 * @tendered: for cash, what was handed over rather than what it covered
 *
 * Returns: (transfer full): the payments for people: "Card R$ 20,00 + Cash
 *   R$ 50,00"
 */
char *
pdv_payments_describe (const GArray *payments,
                       gboolean      tendered)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < payments->len; i++)
    {
      const PdvPayment *payment = &g_array_index (payments, PdvPayment, i);
      g_autofree char *amount = pdv_money_format (tendered && payment->method == PDV_PAYMENT_CASH &&
                                                  payment->tendered > 0 ? payment->tendered : payment->amount);

      if (text->len > 0)
        g_string_append (text, " + ");
      /* Translators: a payment method and an amount, e.g. "Cash R$ 50,00" */
      g_string_append_printf (text, _("%s %s"), pdv_payment_method_label (payment->method), amount);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * pdv_payments_any_outside:
 * @payments: (element-type PdvPayment): payments
 *
 * Whether money moved outside the drawer: a card, PIX or voucher payment.
 */
gboolean
pdv_payments_any_outside (const GArray *payments)
{
  for (guint i = 0; i < payments->len; i++)
    if (g_array_index (payments, PdvPayment, i).method != PDV_PAYMENT_CASH)
      return TRUE;
  return FALSE;
}

/**
 * pdv_sale_draft_get_payments:
 *
 * Returns: (transfer none) (element-type PdvPayment): the payments so far,
 *   those taken (with an id) first
 */
const GArray *
pdv_sale_draft_get_payments (PdvSaleDraft *draft)
{
  g_return_val_if_fail (draft != NULL, NULL);
  return draft->payments;
}

/* What the payments cover, with no check: each was checked as it came. */
PdvMoney
pdv_sale_draft_get_paid (PdvSaleDraft *draft)
{
  PdvMoney paid = 0;

  g_return_val_if_fail (draft != NULL, 0);
  for (guint i = 0; i < draft->payments->len; i++)
    paid += g_array_index (draft->payments, PdvPayment, i).amount;
  return paid;
}

/**
 * pdv_sale_draft_get_open_id:
 *
 * Returns: (nullable): the open sale the draft's payments were journalled
 *   under, once one was taken before the sale
 */
const char *
pdv_sale_draft_get_open_id (PdvSaleDraft *draft)
{
  g_return_val_if_fail (draft != NULL, NULL);
  return draft->open_id;
}

/**
 * pdv_sale_draft_get_lines:
 *
 * Returns: (transfer none) (element-type PdvSaleLine): the lines
 */
const GArray *
pdv_sale_draft_get_lines (PdvSaleDraft *draft)
{
  g_return_val_if_fail (draft != NULL, NULL);
  return draft->lines;
}

PdvDiscountKind
pdv_sale_draft_get_discount (PdvSaleDraft  *draft,
                             gint64        *out_value,
                             const char   **out_reason,
                             const char   **out_authorised_by)
{
  g_return_val_if_fail (draft != NULL, PDV_DISCOUNT_NONE);
  if (out_value != NULL)
    *out_value = draft->discount.value;
  if (out_reason != NULL)
    *out_reason = draft->discount.reason;
  if (out_authorised_by != NULL)
    *out_authorised_by = draft->discount.authorised_by;
  return draft->discount.kind;
}

/**
 * pdv_sale_draft_set_discount:
 * @kind: %PDV_DISCOUNT_AMOUNT or %PDV_DISCOUNT_PERCENT
 * @value: centavos off, or basis points (1000 is 10 %)
 * @reason: (nullable): why, for the receipt and the journal
 * @authorised_by: (nullable): the id of the manager who allowed it, once
 *   their PIN was checked (pdv_auth_find_by_pin()); %NULL when the
 *   operator's own role allows discounts
 *
 * Gives the draft a discount, in place of any it had. Whether it fits is
 * known once the draft is priced: pdv_sale_draft_get_amounts() and
 * pdv_sale_commit() refuse one that leaves nothing to pay, and the commit
 * one that nobody with %PDV_PERMISSION_DISCOUNT allowed.
 */
gboolean
pdv_sale_draft_set_discount (PdvSaleDraft     *draft,
                             PdvDiscountKind   kind,
                             gint64            value,
                             const char       *reason,
                             const char       *authorised_by,
                             GError          **error)
{
  g_return_val_if_fail (draft != NULL, FALSE);
  return pdv_sale_discount_set (&draft->discount, kind, value, reason, authorised_by, error);
}

void
pdv_sale_draft_clear_discount (PdvSaleDraft *draft)
{
  g_return_if_fail (draft != NULL);
  pdv_sale_discount_clear (&draft->discount);
}

/* What the draft's lines cost at today's catalog prices. */
static gboolean
draft_subtotal (PdvSaleDraft  *draft,
                PdvCatalog    *catalog,
                PdvMoney      *out_subtotal,
                GError       **error)
{
  PdvMoney total = 0;

  for (guint i = 0; i < draft->lines->len; i++)
    {
      PdvSaleLine *line = &g_array_index (draft->lines, PdvSaleLine, i);
      g_autoptr(PdvProduct) product = pdv_catalog_lookup (catalog, line->product_id, error);
      PdvMoney line_total;

      if (product == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNKNOWN_PRODUCT,
                         _("No product has the code “%s”"), line->product_id);
          return FALSE;
        }
      if (!pdv_money_multiply (product->price, line->qty, &line_total, error) ||
          !pdv_money_add (total, line_total, &total, error))
        return FALSE;
    }
  *out_subtotal = total;
  return TRUE;
}

/**
 * pdv_sale_draft_get_amounts:
 * @out_subtotal: (out) (optional): the lines at today's catalog prices
 * @out_discount: (out) (optional): what the discount takes off, 0 without one
 * @out_total: (out) (optional): what is to be paid
 *
 * Prices the draft as pdv_sale_commit() will.
 */
gboolean
pdv_sale_draft_get_amounts (PdvSaleDraft  *draft,
                            PdvCatalog    *catalog,
                            PdvMoney      *out_subtotal,
                            PdvMoney      *out_discount,
                            PdvMoney      *out_total,
                            GError       **error)
{
  PdvMoney subtotal;
  PdvMoney discount;

  g_return_val_if_fail (draft != NULL, FALSE);

  if (!draft_subtotal (draft, catalog, &subtotal, error) ||
      !pdv_sale_discount_compute (&draft->discount, subtotal, &discount, error))
    return FALSE;
  if (out_subtotal != NULL)
    *out_subtotal = subtotal;
  if (out_discount != NULL)
    *out_discount = discount;
  if (out_total != NULL)
    *out_total = subtotal - discount;
  return TRUE;
}

/**
 * pdv_sale_draft_total:
 *
 * What is to be paid for the draft at today's catalog prices: its lines,
 * less its discount.
 */
gboolean
pdv_sale_draft_total (PdvSaleDraft  *draft,
                      PdvCatalog    *catalog,
                      PdvMoney      *out_total,
                      GError       **error)
{
  return pdv_sale_draft_get_amounts (draft, catalog, NULL, NULL, out_total, error);
}

void
pdv_sale_result_free (PdvSaleResult *result)
{
  if (result == NULL)
    return;
  g_free (result->sale_id);
  g_strfreev (result->warnings);
  g_clear_pointer (&result->fichas, json_decref);
  g_free (result);
}

/* Who may authorise @permission with @pin, for the sale's rules: any refusal
 * of the PIN is %PDV_SALE_ERROR_NOT_AUTHORISED. */
static PdvUser *
find_authoriser (PdvDb          *db,
                 PdvPermission   permission,
                 const char     *pin,
                 const char     *operator_id,
                 GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  PdvUser *user = pdv_auth_find_by_pin (db, permission, pin, operator_id, &local_error);

  if (user != NULL)
    return user;
  if (local_error == NULL || local_error->domain == PDV_AUTH_ERROR)
    g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED,
                         local_error ? local_error->message : _("Ask a manager to authorise this"));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * pdv_sale_number:
 * @terminal_name: (nullable): the terminal's name
 * @seq: the sale's journal entry
 *
 * A sale's number for people, on its receipt and in lists: the terminal's
 * name in a few capitals and the entry's place in its journal, unique on
 * the terminal and growing ("Bar 1" → "BAR1-000123").
 *
 * Returns: (transfer full): the number
 */
char *
pdv_sale_number (const char *terminal_name,
                 gint64      seq)
{
  g_autofree char *ascii = g_str_to_ascii (terminal_name != NULL ? terminal_name : "", "C");
  g_autoptr(GString) code = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0' && code->len < 6; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (code, g_ascii_toupper (*p));
  if (code->len == 0)
    g_string_append (code, "PDV");
  return g_strdup_printf ("%s-%06" G_GINT64_FORMAT, code->str, seq);
}

/**
 * pdv_sale_printed_seq:
 * @payload: (nullable): the sale's
 *
 * The seq a sale's number comes from: its entry's, or for a sale written
 * again after a recovery (pdv-journal-recover.c) the one it had when its
 * receipt was printed, so that the number people see is the one the
 * customer holds.
 */
gint64
pdv_sale_printed_seq (gint64  seq,
                      json_t *payload)
{
  json_t *first = json_object_get (json_object_get (payload, "restored"), "seq");

  return json_is_integer (first) ? json_integer_value (first) : seq;
}

/**
 * pdv_authorise_manager:
 * @pin: what was typed on the PIN pad
 *
 * Who authorises a voucher or courtesy with @pin (see pdv_auth_find_by_pin()).
 * The override is journalled with the sale it allows.
 *
 * Returns: (transfer full): the id of the active manager or admin whose PIN
 *   this is, or %NULL with @error set
 */
char *
pdv_authorise_manager (PdvDb       *db,
                       const char  *pin,
                       GError     **error)
{
  g_autoptr(PdvUser) user = NULL;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  user = find_authoriser (db, PDV_PERMISSION_COURTESY, pin, NULL, error);
  return user ? g_strdup (user->id) : NULL;
}

static gboolean
add_checked (PdvMoney  *sum,
             PdvMoney   value,
             GError   **error)
{
  return pdv_money_add (*sum, value, sum, error);
}

/* One payment on its own: its amount, who may give it, cash tendered. */
gboolean
pdv_sale_check_payment (const PdvPayment  *payment,
                        gboolean           authorised,
                        GError           **error)
{
  if (payment->amount <= 0)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_PAYMENT,
                           _("Every payment must be of a positive amount"));
      return FALSE;
    }
  if (payment->method == PDV_PAYMENT_VOUCHER && !authorised)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED,
                           _("A voucher or courtesy needs a manager’s authorisation"));
      return FALSE;
    }
  if (payment->card != PDV_CARD_UNSPECIFIED && payment->method != PDV_PAYMENT_CARD)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_PAYMENT,
                           _("Only a card payment is debit or credit"));
      return FALSE;
    }
  if (payment->method != PDV_PAYMENT_CASH && payment->tendered != 0 &&
      payment->tendered != payment->amount)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_PAYMENT,
                           _("Only cash can be handed over in excess and given change"));
      return FALSE;
    }
  if (payment->method == PDV_PAYMENT_CASH && payment->tendered != 0 &&
      !pdv_cash_check_tendered (payment->amount, payment->tendered, error))
    return FALSE;
  if (payment->method == PDV_PAYMENT_CASH && payment->tendered != 0 &&
      payment->tendered < payment->amount)
    {
      g_autofree char *tendered = pdv_money_format (payment->tendered);
      g_autofree char *amount = pdv_money_format (payment->amount);
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNDERPAID,
                   _("%s in cash does not cover %s"), tendered, amount);
      return FALSE;
    }
  return TRUE;
}

/* A payment as the journal holds it, in a sale or taken before one. */
json_t *
pdv_sale_payment_to_json (const PdvPayment *payment)
{
  json_t *item = json_pack ("{s:s, s:I}", "method", pdv_payment_method_to_string (payment->method),
                            "amount", (json_int_t) payment->amount);

  if (payment->method == PDV_PAYMENT_CASH)
    {
      PdvMoney tendered = payment->tendered ? payment->tendered : payment->amount;
      json_object_set_new (item, "tendered", json_integer (tendered));
      json_object_set_new (item, "change", json_integer (tendered - payment->amount));
    }
  if (payment->reference != NULL && *payment->reference != '\0')
    json_object_set_new (item, "reference", json_string (payment->reference));
  if (payment->method == PDV_PAYMENT_CARD && payment->card != PDV_CARD_UNSPECIFIED)
    json_object_set_new (item, "card", json_string (pdv_card_kind_to_string (payment->card)));
  if (payment->id != NULL)
    json_object_set_new (item, "id", json_string (payment->id));
  return item;
}

/* Checks the payments against @total and describes them for the journal. */
static json_t *
settle (PdvSaleDraft  *draft,
        PdvMoney       total,
        gboolean       authorised,
        PdvMoney      *out_change,
        GError       **error)
{
  g_autoptr(json_t) payments = json_array ();
  PdvMoney paid = 0;
  PdvMoney change = 0;

  if (draft->payments->len == 0)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNDERPAID,
                           _("Choose how the customer pays"));
      return NULL;
    }

  for (guint i = 0; i < draft->payments->len; i++)
    {
      PdvPayment *payment = &g_array_index (draft->payments, PdvPayment, i);

      if (!pdv_sale_check_payment (payment, authorised, error) ||
          !add_checked (&paid, payment->amount, error))
        return NULL;
      if (payment->method == PDV_PAYMENT_CASH)
        change += (payment->tendered ? payment->tendered : payment->amount) - payment->amount;
      json_array_append_new (payments, pdv_sale_payment_to_json (payment));
    }

  if (paid < total)
    {
      g_autofree char *missing = pdv_money_format (total - paid);
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNDERPAID, _("%s is still to be paid"), missing);
      return NULL;
    }
  if (paid > total)
    {
      g_autofree char *excess = pdv_money_format (paid - total);
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OVERPAID,
                   _("The payments exceed the total by %s; give change only from cash tendered"), excess);
      return NULL;
    }

  *out_change = change;
  return g_steal_pointer (&payments);
}

/* Takes @qty of @product (tracked) out of what the sale wants of it so far,
 * refusing what a "block" product does not have. */
static gboolean
take_stock (const PdvProduct  *product,
            gint64             qty,
            GHashTable        *wanted,
            GPtrArray         *warnings,
            GError           **error)
{
  /* The same product may be on several lines, and in combos. */
  gint64 already = GPOINTER_TO_SIZE (g_hash_table_lookup (wanted, product->id)) + qty;

  g_hash_table_replace (wanted, g_strdup (product->id), GSIZE_TO_POINTER (already));
  if (product->stock - already >= 0)
    return TRUE;
  if (product->stock_policy == PDV_STOCK_POLICY_BLOCK)
    {
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OUT_OF_STOCK,
                   g_dngettext (GETTEXT_PACKAGE, "%s: only %lld left", "%s: only %lld left",
                                MAX (product->stock, 0)),
                   product->name, (long long) MAX (product->stock, (gint64) 0));
      return FALSE;
    }
  for (guint i = 0; i < warnings->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (warnings, i), product->name))
      return TRUE;
  g_ptr_array_add (warnings, g_strdup_printf (_("%s: the stock count is now below zero"), product->name));
  return TRUE;
}

/* What @qty of the combo @product takes out of stock, checked as its own
 * lines would be, for the sale's line. */
static json_t *
combo_components (PdvCatalog        *catalog,
                  const PdvProduct  *product,
                  gint64             qty,
                  GHashTable        *wanted,
                  GPtrArray         *warnings,
                  GError           **error)
{
  g_autoptr(GArray) components = pdv_catalog_get_components (catalog, product->id, error);
  g_autoptr(json_t) items = json_array ();

  if (components == NULL)
    return NULL;
  for (guint i = 0; i < components->len; i++)
    {
      const PdvComponent *component = &g_array_index (components, PdvComponent, i);
      g_autoptr(PdvProduct) part = pdv_catalog_lookup (catalog, component->product_id, error);
      gint64 total = component->qty * qty;

      if (part == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNKNOWN_PRODUCT,
                         _("%s holds “%s”, which is no longer in the catalog"), product->name,
                         component->product_id);
          return NULL;
        }
      if (part->track_stock && !take_stock (part, total, wanted, warnings, error))
        return NULL;
      json_array_append_new (items, json_pack ("{s:s, s:I, s:b}", "product", part->id, "qty", (json_int_t) total,
                                               "tracked", part->track_stock));
    }
  return g_steal_pointer (&items);
}

/**
 * pdv_sale_commit:
 * @user: (nullable): the cashier
 * @authorised_by: (nullable): the manager who authorised a voucher, if any
 *
 * Prices the draft from the catalog, checks stock and payments, and journals
 * one "sale" entry with its stock effects in one durable transaction. When this
 * returns, the sale is done and survives a power cut.
 *
 * A discount needs %PDV_PERMISSION_DISCOUNT, the operator's or its
 * authoriser's (see pdv_sale_draft_set_discount()); an authoriser other
 * than the operator is journalled as an "auth.override" in the same
 * transaction. The entry then also holds "subtotal", "discount",
 * "discount_percent_bp" (a percentage's basis points), "discount_reason"
 * and "discount_authorised_by", and its "total" is what was paid. Stock and
 * the lines keep their full prices.
 */
PdvSaleResult *
pdv_sale_commit (PdvJournal    *journal,
                 PdvCatalog    *catalog,
                 PdvSaleDraft  *draft,
                 const char    *user,
                 const char    *authorised_by,
                 GError       **error)
{
  g_autoptr(PdvSaleResult) result = g_new0 (PdvSaleResult, 1);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(json_t) lines = json_array ();
  g_autoptr(json_t) payments = NULL;
  g_autoptr(json_t) new_ficha_key = NULL;
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *discount_authoriser = NULL;
  json_t *payload;
  PdvDb *db = pdv_journal_get_db (journal);
  PdvMoney subtotal = 0;
  PdvMoney discount = 0;
  PdvMoney total;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (PDV_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  if (draft->lines->len == 0)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_EMPTY, _("The cart is empty"));
      return NULL;
    }

  /* Stock is read and written under the same write lock. */
  if (!pdv_db_begin (db, error))
    return NULL;
  if (!pdv_shift_check_can_sell (db, error))
    goto failed;

  for (guint i = 0; i < draft->lines->len; i++)
    {
      PdvSaleLine *line = &g_array_index (draft->lines, PdvSaleLine, i);
      g_autoptr(PdvProduct) product = NULL;
      g_autoptr(json_t) components = NULL;
      json_t *line_json;
      PdvMoney line_total;

      if (line->qty <= 0 || line->qty > 10000)
        {
          g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_QUANTITY,
                       _("%lld is not a quantity that can be sold"), (long long) line->qty);
          goto failed;
        }
      product = pdv_catalog_lookup (catalog, line->product_id, error);
      if (product == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNKNOWN_PRODUCT,
                         _("No product has the code “%s”"), line->product_id);
          goto failed;
        }
      if (!product->active)
        {
          g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INACTIVE_PRODUCT,
                       _("%s is no longer sold"), product->name);
          goto failed;
        }
      if (!pdv_money_multiply (product->price, line->qty, &line_total, error) ||
          !add_checked (&subtotal, line_total, error))
        goto failed;

      if (product->track_stock && !take_stock (product, line->qty, wanted, warnings, error))
        goto failed;
      if (product->has_components)
        {
          components = combo_components (catalog, product, line->qty, wanted, warnings, error);
          if (components == NULL)
            goto failed;
        }

      line_json = json_pack ("{s:s, s:s, s:I, s:I, s:I, s:b}",
                             "product", product->id, "name", product->name,
                             "qty", (json_int_t) line->qty,
                             "unit_price", (json_int_t) product->price,
                             "total", (json_int_t) line_total,
                             "tracked", product->track_stock);
      /* What the combo took out of stock, kept with the sale: a later
       * catalog cannot change what this sale consumed. */
      if (components != NULL)
        json_object_set_new (line_json, "components", g_steal_pointer (&components));
      json_array_append_new (lines, line_json);
    }

  if (!pdv_sale_discount_compute (&draft->discount, subtotal, &discount, error))
    goto failed;
  if (discount > 0 &&
      !pdv_sale_discount_authorise_in_transaction (journal, &draft->discount, user, &discount_authoriser, error))
    goto failed;
  total = subtotal - discount;

  payments = settle (draft, total, authorised_by != NULL, &result->change, error);
  if (payments == NULL)
    goto failed;

  if (draft->open_id != NULL && !pdv_open_sale_check_in_transaction (db, draft, error))
    goto failed;

  /* One ficha per unit of what the event hands fichas over for. */
  {
    g_autofree char *event_text = pdv_db_get_meta (db, "event");

    if (event_text != NULL && strstr (event_text, "\"fichas\"") != NULL)
      {
        result->fichas = pdv_ficha_issue_in_transaction (journal, event_text, lines, &new_ficha_key, error);
        if (result->fichas == NULL)
          goto failed;
      }
  }

  payload = json_pack ("{s:O, s:O, s:I, s:I}", "lines", lines, "payments", payments,
                       "total", (json_int_t) total, "change", (json_int_t) result->change);
  if (result->fichas != NULL && json_array_size (result->fichas) > 0)
    json_object_set (payload, "fichas", result->fichas);
  /* The key they are signed with, the first time: the journal says it. */
  if (new_ficha_key != NULL)
    json_object_set (payload, "ficha_key", new_ficha_key);
  if (draft->open_id != NULL)
    json_object_set_new (payload, "open_sale", json_string (draft->open_id));
  if (authorised_by != NULL)
    json_object_set_new (payload, "authorised_by", json_string (authorised_by));
  /* Saved all the same, and marked: the terminal's state was found damaged. */
  {
    g_autofree char *alarm = pdv_alarm_get (db);
    if (alarm != NULL)
      json_object_set_new (payload, "alarm", json_true ());
  }
  if (discount > 0)
    pdv_sale_discount_add_to_payload (&draft->discount, subtotal, discount, discount_authoriser, payload);
  if (authorised_by != NULL &&
      !pdv_auth_record_override (journal, PDV_PERMISSION_COURTESY, user, authorised_by, error))
    {
      json_decref (payload);
      goto failed;
    }
  entry = pdv_journal_append_in_transaction (journal, PDV_ENTRY_SALE, user, payload, error);
  json_decref (payload);
  if (entry == NULL || !pdv_db_commit (db, error))
    goto failed;

  result->sale_id = g_strdup (entry->id);
  result->seq = entry->seq;
  result->total = total;
  result->subtotal = subtotal;
  result->discount = discount;
  g_ptr_array_add (warnings, NULL);
  result->warnings = (GStrv) g_ptr_array_free (g_steal_pointer (&warnings), FALSE);
  return g_steal_pointer (&result);

failed:
  pdv_db_rollback (db);
  return NULL;
}

typedef struct {
  gint64    seq;
  PdvMoney  total;
  PdvMoney  refunded;
  gboolean  voided;
  json_t   *payload;
} SaleState;

static gboolean
load_sale (PdvDb       *db,
           const char  *sale_id,
           SaleState   *state,
           GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT s.seq, s.total, s.refunded, s.voided_seq IS NOT NULL, j.payload "
                                       "FROM sales s JOIN journal j ON j.seq = s.seq WHERE s.sale_id = ?",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sale_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->seq = sqlite3_column_int64 (stmt, 0);
      state->total = sqlite3_column_int64 (stmt, 1);
      state->refunded = sqlite3_column_int64 (stmt, 2);
      state->voided = sqlite3_column_int (stmt, 3);
      state->payload = json_loads ((const char *) sqlite3_column_text (stmt, 4), 0, NULL);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_UNKNOWN_SALE,
                   _("There is no sale %s on this terminal"), sale_id);
      return FALSE;
    }
  return TRUE;
}

/* Who a correction is authorised by: the operator when their role allows
 * it, else @authoriser when theirs does (pdv-sale-private.h). */
const PdvUser *
pdv_sale_correction_authoriser (PdvPermission   permission,
                                const PdvUser  *operator_user,
                                const PdvUser  *authoriser,
                                GError        **error)
{
  if (operator_user != NULL && pdv_user_can (operator_user, permission))
    return operator_user;
  if (authoriser != NULL && pdv_user_can (authoriser, permission))
    return authoriser;
  g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED,
               _("Ask a manager to authorise this: only they may %s"), pdv_permission_describe (permission));
  return NULL;
}

/* What a void and a refund both start with: the write lock and the sale as
 * it stands. On success the transaction is open. */
static gboolean
begin_correction (PdvJournal     *journal,
                  const char     *sale_id,
                  SaleState      *state,
                  GError        **error)
{
  PdvDb *db = pdv_journal_get_db (journal);

  if (!pdv_db_begin (db, error))
    return FALSE;
  if (!pdv_shift_check_can_sell (db, error) || !load_sale (db, sale_id, state, error))
    {
      pdv_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/* Journals a void or refund inside the open transaction and commits. */
static gboolean
finish_correction (PdvJournal     *journal,
                   PdvPermission   permission,
                   const char     *kind,
                   const char     *user,
                   const char     *manager,
                   json_t         *payload,
                   SaleState      *state,
                   GError        **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(PdvJournalEntry) entry = NULL;
  gboolean ok;

  /* The override first, in the same transaction: a correction that fails
   * leaves no trace of having been authorised. A manager at the terminal
   * needs no override. */
  if (g_strcmp0 (user, manager) == 0 || pdv_auth_record_override (journal, permission, user, manager, error))
    entry = pdv_journal_append_in_transaction (journal, kind, user, payload, error);
  ok = entry != NULL && pdv_db_commit (db, error);

  if (!ok)
    pdv_db_rollback (db);
  json_decref (payload);
  g_clear_pointer (&state->payload, json_decref);
  return ok;
}

/* The fichas a void or refund takes back: of @sale_id, not served yet.
 * @wanted: ids or short codes, each of which must be such a ficha; %NULL:
 * all of them. */
static json_t *
fichas_to_revoke (PdvDb               *db,
                  const char          *sale_id,
                  const char * const  *wanted,
                  GError             **error)
{
  g_autoptr(json_t) fichas = pdv_ficha_list_for_sale (db, sale_id, error);
  g_autoptr(json_t) revoked = json_array ();
  size_t i;
  json_t *ficha;

  if (fichas == NULL)
    return NULL;
  if (wanted == NULL)
    {
      json_array_foreach (fichas, i, ficha)
        if (g_strcmp0 (json_string_value (json_object_get (ficha, "state")), "issued") == 0)
          json_array_append (revoked, json_object_get (ficha, "id"));
      return g_steal_pointer (&revoked);
    }
  for (guint w = 0; wanted[w] != NULL; w++)
    {
      json_t *found = NULL;

      json_array_foreach (fichas, i, ficha)
        {
          const char *id = json_string_value (json_object_get (ficha, "id"));
          const char *code = json_string_value (json_object_get (ficha, "code"));

          if (g_ascii_strcasecmp (wanted[w], id) == 0 || (code != NULL && g_ascii_strcasecmp (wanted[w], code) == 0))
            found = ficha;
        }
      if (found == NULL || g_strcmp0 (json_string_value (json_object_get (found, "state")), "issued") != 0)
        {
          g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_FICHA,
                       found == NULL ? _("Ficha %s is not one of sale %s’s fichas")
                                     : _("Ficha %s of sale %s was already served or taken back"),
                       wanted[w], sale_id);
          return NULL;
        }
      {
        gboolean listed = FALSE;
        size_t r;
        json_t *taken;

        json_array_foreach (revoked, r, taken)
          listed = listed || json_equal (taken, json_object_get (found, "id"));
        if (!listed)
          json_array_append (revoked, json_object_get (found, "id"));
      }
    }
  return g_steal_pointer (&revoked);
}

static gboolean
void_sale (PdvJournal  *journal,
           const char  *sale_id,
           const char  *user,
           const char  *manager,
           const char  *reason,
           GError     **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  SaleState state = { 0 };
  g_autoptr(json_t) revoked = NULL;
  json_t *payload;

  if (!begin_correction (journal, sale_id, &state, error))
    return FALSE;
  if (state.voided)
    {
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_ALREADY_VOIDED,
                   _("Sale %s was already voided"), sale_id);
      goto failed;
    }
  if (state.refunded > 0)
    {
      g_autofree char *refunded = pdv_money_format (state.refunded);
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_ALREADY_VOIDED,
                   _("Sale %s was partly refunded (%s); refund the rest instead of voiding it"),
                   sale_id, refunded);
      goto failed;
    }

  revoked = fichas_to_revoke (db, sale_id, NULL, error);
  if (revoked == NULL)
    goto failed;
  payload = json_pack ("{s:s, s:I, s:I, s:O, s:s, s:s?}", "sale_id", sale_id, "sale_seq", (json_int_t) state.seq,
                       "total", (json_int_t) state.total,
                       "lines", json_object_get (state.payload, "lines"),
                       "authorised_by", manager, "reason", reason);
  /* Its fichas not served yet can no longer be. */
  if (json_array_size (revoked) > 0)
    json_object_set (payload, "fichas_revoked", revoked);
  return finish_correction (journal, PDV_PERMISSION_VOID, PDV_ENTRY_SALE_VOID, user, manager, payload, &state, error);

failed:
  pdv_db_rollback (db);
  g_clear_pointer (&state.payload, json_decref);
  return FALSE;
}

/**
 * pdv_sale_void:
 * @manager_pin: the PIN of the manager who authorises it
 *
 * Cancels a whole sale with a new journal entry that refers to it; its stock
 * comes back. A sale is voided at most once, and never after a refund.
 */
gboolean
pdv_sale_void (PdvJournal  *journal,
               const char  *sale_id,
               const char  *user,
               const char  *manager_pin,
               const char  *reason,
               GError     **error)
{
  g_autoptr(PdvUser) manager = NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (sale_id != NULL, FALSE);

  manager = find_authoriser (pdv_journal_get_db (journal), PDV_PERMISSION_VOID, manager_pin, user, error);
  return manager != NULL && void_sale (journal, sale_id, user, manager->id, reason, error);
}

/**
 * pdv_sale_void_authorised:
 * @operator_user: who is at the terminal
 * @authoriser: (nullable): who authorised it (pdv_auth_find_by_pin() with
 *   %PDV_PERMISSION_VOID), when the operator may not void sales
 *
 * pdv_sale_void() for a caller that has checked the manager's PIN already,
 * e.g. in a worker thread. The override, when one was needed, is journalled
 * with the void.
 */
gboolean
pdv_sale_void_authorised (PdvJournal     *journal,
                          const char     *sale_id,
                          const PdvUser  *operator_user,
                          const PdvUser  *authoriser,
                          const char     *reason,
                          GError        **error)
{
  const PdvUser *manager;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (sale_id != NULL, FALSE);
  g_return_val_if_fail (operator_user != NULL, FALSE);

  manager = pdv_sale_correction_authoriser (PDV_PERMISSION_VOID, operator_user, authoriser, error);
  return manager != NULL && void_sale (journal, sale_id, operator_user->id, manager->id, reason, error);
}

static gboolean
refund_sale (PdvJournal          *journal,
             const char          *sale_id,
             PdvMoney             amount,
             PdvPaymentMethod     method,
             const char          *user,
             const char          *manager,
             const char          *reason,
             const char * const  *fichas,
             GError             **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  SaleState state = { 0 };
  g_autoptr(json_t) revoked = NULL;
  json_t *payload;

  if (!begin_correction (journal, sale_id, &state, error))
    return FALSE;
  if (state.voided)
    {
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_ALREADY_VOIDED,
                   _("Sale %s was voided; there is nothing left to refund"), sale_id);
      goto failed;
    }
  if (amount > state.total - state.refunded)
    {
      g_autofree char *left = pdv_money_format (state.total - state.refunded);
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_REFUND_TOO_LARGE,
                   _("At most %s of sale %s can still be refunded"), left, sale_id);
      goto failed;
    }

  /* The fichas it takes back: those it names; with none named, all the
   * sale's not served yet when it refunds all that is left, else none. */
  if (fichas != NULL || amount == state.total - state.refunded)
    {
      revoked = fichas_to_revoke (db, sale_id, fichas, error);
      if (revoked == NULL)
        goto failed;
    }
  payload = json_pack ("{s:s, s:I, s:I, s:s, s:s, s:s?}", "sale_id", sale_id, "sale_seq", (json_int_t) state.seq,
                       "amount", (json_int_t) amount, "method", pdv_payment_method_to_string (method),
                       "authorised_by", manager, "reason", reason);
  if (json_array_size (revoked) > 0)
    json_object_set (payload, "fichas_revoked", revoked);
  return finish_correction (journal, PDV_PERMISSION_REFUND, PDV_ENTRY_SALE_REFUND, user, manager, payload, &state,
                            error);

failed:
  pdv_db_rollback (db);
  g_clear_pointer (&state.payload, json_decref);
  return FALSE;
}

static gboolean
check_refund_amount (PdvMoney   amount,
                     GError   **error)
{
  if (amount > 0)
    return TRUE;
  g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_PAYMENT,
                       _("A refund must be of a positive amount"));
  return FALSE;
}

/**
 * pdv_sale_refund:
 * @amount: what goes back to the customer
 * @method: how it goes back
 *
 * A partial (or full) refund of a sale, journalled with who authorised it.
 * Refunds never add up to more than the sale's total.
 */
gboolean
pdv_sale_refund (PdvJournal        *journal,
                 const char        *sale_id,
                 PdvMoney           amount,
                 PdvPaymentMethod   method,
                 const char        *user,
                 const char        *manager_pin,
                 const char        *reason,
                 GError           **error)
{
  return pdv_sale_refund_fichas (journal, sale_id, amount, method, user, manager_pin, reason, NULL, error);
}

/**
 * pdv_sale_refund_fichas:
 * @fichas: (nullable): the fichas it takes back, by id or short code: each
 *   one of the sale's not served yet
 *
 * pdv_sale_refund() that names which of the sale's fichas go back with the
 * money: they can no longer be served. Without @fichas, a refund of all
 * that is left takes back every ficha not served yet, and a smaller one
 * none.
 */
gboolean
pdv_sale_refund_fichas (PdvJournal          *journal,
                        const char          *sale_id,
                        PdvMoney             amount,
                        PdvPaymentMethod     method,
                        const char          *user,
                        const char          *manager_pin,
                        const char          *reason,
                        const char * const  *fichas,
                        GError             **error)
{
  g_autoptr(PdvUser) manager = NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (sale_id != NULL, FALSE);

  if (!check_refund_amount (amount, error))
    return FALSE;
  manager = find_authoriser (pdv_journal_get_db (journal), PDV_PERMISSION_REFUND, manager_pin, user, error);
  return manager != NULL && refund_sale (journal, sale_id, amount, method, user, manager->id, reason, fichas, error);
}

/**
 * pdv_sale_refund_authorised:
 * @operator_user: who is at the terminal
 * @authoriser: (nullable): who authorised it (pdv_auth_find_by_pin() with
 *   %PDV_PERMISSION_REFUND), when the operator may not refund sales
 *
 * pdv_sale_refund() for a caller that has checked the manager's PIN already.
 */
gboolean
pdv_sale_refund_authorised (PdvJournal        *journal,
                            const char        *sale_id,
                            PdvMoney           amount,
                            PdvPaymentMethod   method,
                            const PdvUser     *operator_user,
                            const PdvUser     *authoriser,
                            const char        *reason,
                            GError           **error)
{
  const PdvUser *manager;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (sale_id != NULL, FALSE);
  g_return_val_if_fail (operator_user != NULL, FALSE);

  if (!check_refund_amount (amount, error))
    return FALSE;
  manager = pdv_sale_correction_authoriser (PDV_PERMISSION_REFUND, operator_user, authoriser, error);
  return manager != NULL &&
         refund_sale (journal, sale_id, amount, method, operator_user->id, manager->id, reason, NULL, error);
}

/* The "sales" projection: one row per sale with what was refunded and whether
 * it was voided, so that the rules above hold in constant time. */
static gboolean
sales_apply (PdvDb                 *db,
             const PdvJournalEntry *entry,
             GError               **error)
{
  sqlite3_stmt *stmt;

  if (g_str_equal (entry->kind, PDV_ENTRY_SALE))
    {
      stmt = pdv_db_prepare (db, "INSERT INTO sales (sale_id, seq, total, refunded) VALUES (?, ?, ?, 0)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, entry->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, entry->seq);
      sqlite3_bind_int64 (stmt, 3, json_integer_value (json_object_get (entry->payload, "total")));
      return pdv_db_step_done (db, stmt, error);
    }
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_VOID))
    {
      stmt = pdv_db_prepare (db, "UPDATE sales SET voided_seq = ? WHERE sale_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, entry->seq);
      sqlite3_bind_text (stmt, 2, json_string_value (json_object_get (entry->payload, "sale_id")), -1,
                         SQLITE_STATIC);
      return pdv_db_step_done (db, stmt, error);
    }
  if (g_str_equal (entry->kind, PDV_ENTRY_SALE_REFUND))
    {
      stmt = pdv_db_prepare (db, "UPDATE sales SET refunded = refunded + ? WHERE sale_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, json_integer_value (json_object_get (entry->payload, "amount")));
      sqlite3_bind_text (stmt, 2, json_string_value (json_object_get (entry->payload, "sale_id")), -1,
                         SQLITE_STATIC);
      return pdv_db_step_done (db, stmt, error);
    }
  return TRUE;
}

const PdvProjection pdv_sales_projection = {
  .name = "sales",
  .clear_sql = "DELETE FROM sales",
  .dump_sql = "SELECT sale_id, seq, total, refunded, voided_seq FROM sales ORDER BY seq",
  .apply = sales_apply,
};

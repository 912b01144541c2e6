/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-open-sale"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-db-private.h"
#include "pdv-open-sale.h"
#include "pdv-projections.h"
#include "pdv-sale-private.h"
#include "pdv-shift.h"

/* A card or PIX payment happens on another machine: once taken, the money
 * has moved whatever this terminal does next. So every payment that does
 * not complete its sale is journalled on its own the moment it is taken
 * ("payment.taken", with the cart as it stands), and the open_sales table
 * keeps, from the journal, each sale that has taken payments and is not yet
 * finished. The sale that completes it names it ("open_sale") and carries
 * every payment taken; a payment handed back is a "payment.cancel"; a sale
 * given up is a "sale.abandon", authorised by a manager when money moved
 * elsewhere. */

void
pdv_open_sale_free (PdvOpenSale *sale)
{
  if (sale == NULL)
    return;
  g_free (sale->id);
  g_free (sale->user);
  g_free (sale->started_at);
  g_free (sale->authorised_by);
  pdv_sale_draft_free (sale->draft);
  g_free (sale);
}

static gboolean
malformed (const PdvJournalEntry *entry,
           GError               **error)
{
  g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
               _("Journal entry %lld (%s) is malformed"), (long long) entry->seq, entry->kind);
  return FALSE;
}

static const char *
discount_kind_name (PdvDiscountKind kind)
{
  return kind == PDV_DISCOUNT_PERCENT ? "percent" : "amount";
}

/* The cart part of a payment.taken entry: what is being bought. */
static json_t *
cart_to_json (PdvSaleDraft *draft)
{
  json_t *lines = json_array ();
  json_t *cart;

  for (guint i = 0; i < draft->lines->len; i++)
    {
      PdvSaleLine *line = &g_array_index (draft->lines, PdvSaleLine, i);

      json_array_append_new (lines, json_pack ("{s:s, s:I}", "product", line->product_id,
                                               "qty", (json_int_t) line->qty));
    }
  cart = json_pack ("{s:o}", "lines", lines);
  if (draft->discount.kind != PDV_DISCOUNT_NONE)
    json_object_set_new (cart, "discount",
                         json_pack ("{s:s, s:I, s:s?, s:s?}", "kind", discount_kind_name (draft->discount.kind),
                                    "value", (json_int_t) draft->discount.value,
                                    "reason", draft->discount.reason,
                                    "authorised_by", draft->discount.authorised_by));
  return cart;
}

/* A payment as the journal holds it (pdv_sale_payment_to_json()). */
gboolean
pdv_sale_payment_from_json (json_t     *item,
                            PdvPayment *out)
{
  json_t *amount = json_object_get (item, "amount");
  json_t *tendered = json_object_get (item, "tendered");
  json_t *reference = json_object_get (item, "reference");
  json_t *id = json_object_get (item, "id");

  if (!json_is_integer (amount) || json_integer_value (amount) <= 0 || (id != NULL && !json_is_string (id)) ||
      !pdv_payment_method_from_string (json_string_value (json_object_get (item, "method")), &out->method))
    return FALSE;
  out->amount = json_integer_value (amount);
  out->tendered = json_is_integer (tendered) && json_integer_value (tendered) != out->amount
                  ? json_integer_value (tendered) : 0;
  out->reference = json_is_string (reference) ? g_strdup (json_string_value (reference)) : NULL;
  out->id = g_strdup (json_string_value (id));
  if (!pdv_card_kind_from_string (json_string_value (json_object_get (item, "card")), &out->card))
    out->card = PDV_CARD_UNSPECIFIED;
  return TRUE;
}

static PdvSaleDraft *
draft_from_json (json_t *cart,
                 json_t *payments)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  json_t *lines = json_object_get (cart, "lines");
  json_t *discount = json_object_get (cart, "discount");
  json_t *item;
  size_t i;

  if (!json_is_array (lines) || !json_is_array (payments))
    return NULL;
  json_array_foreach (lines, i, item)
    {
      json_t *product = json_object_get (item, "product");
      json_t *qty = json_object_get (item, "qty");

      if (!json_is_string (product) || !json_is_integer (qty))
        return NULL;
      pdv_sale_draft_add_line (draft, json_string_value (product), json_integer_value (qty));
    }
  if (json_is_object (discount))
    {
      PdvDiscountKind kind = g_strcmp0 (json_string_value (json_object_get (discount, "kind")), "percent") == 0
                             ? PDV_DISCOUNT_PERCENT : PDV_DISCOUNT_AMOUNT;

      if (!pdv_sale_draft_set_discount (draft, kind, json_integer_value (json_object_get (discount, "value")),
                                        json_string_value (json_object_get (discount, "reason")),
                                        json_string_value (json_object_get (discount, "authorised_by")), NULL))
        return NULL;
    }
  json_array_foreach (payments, i, item)
    {
      PdvPayment payment = { 0 };

      if (!pdv_sale_payment_from_json (item, &payment))
        return NULL;
      /* Every payment taken was journalled with its id. */
      if (payment.id == NULL)
        {
          pdv_payment_clear (&payment);
          return NULL;
        }
      g_array_append_val (draft->payments, payment);
    }
  return g_steal_pointer (&draft);
}

static PdvOpenSale *
open_sale_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(PdvOpenSale) sale = g_new0 (PdvOpenSale, 1);
  g_autoptr(json_t) cart = json_loads ((const char *) sqlite3_column_text (stmt, 5), 0, NULL);
  g_autoptr(json_t) payments = json_loads ((const char *) sqlite3_column_text (stmt, 6), 0, NULL);

  sale->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sale->user = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sale->started_seq = sqlite3_column_int64 (stmt, 2);
  sale->started_at = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  sale->authorised_by = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  sale->draft = draft_from_json (cart, payments);
  if (sale->draft == NULL)
    return NULL;
  sale->draft->open_id = g_strdup (sale->id);
  sale->paid = pdv_sale_draft_get_paid (sale->draft);
  return g_steal_pointer (&sale);
}

#define OPEN_SALE_COLUMNS "id, user_id, started_seq, started_at, authorised_by, cart, payments"

static PdvOpenSale *
load_open_sale (PdvDb       *db,
                const char  *id,
                GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT " OPEN_SALE_COLUMNS " FROM open_sales WHERE id = ?", error);
  PdvOpenSale *sale = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      sale = open_sale_from_row (stmt);
      if (sale == NULL)
        g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_PROJECTION_DIVERGED,
                     _("The open sale %s cannot be read back; run “pdvctl rebuild”"), id);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OPEN_SALE,
                 _("The sale being paid (%s) was finished or given up meanwhile"), id);
  else
    pdv_db_set_error (db, error, _("Reading the sales being paid"));
  sqlite3_reset (stmt);
  return sale;
}

/**
 * pdv_open_sales_list:
 *
 * The sales that took payments and were neither completed nor given up, the
 * oldest first: after a crash, what the terminal must reopen.
 *
 * Returns: (transfer full) (element-type PdvOpenSale): the open sales
 */
GPtrArray *
pdv_open_sales_list (PdvDb   *db,
                     GError **error)
{
  g_autoptr(GPtrArray) sales = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_open_sale_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  stmt = pdv_db_prepare (db, "SELECT " OPEN_SALE_COLUMNS " FROM open_sales ORDER BY started_seq", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvOpenSale *sale = open_sale_from_row (stmt);

      if (sale == NULL)
        {
          g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_PROJECTION_DIVERGED,
                       _("An open sale cannot be read back; run “pdvctl rebuild”"));
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (sales, sale);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (db, error, _("Reading the sales being paid"));
      return NULL;
    }
  return g_steal_pointer (&sales);
}

gint64
pdv_open_sales_count (PdvDb   *db,
                      GError **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT COUNT (*) FROM open_sales", error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    pdv_db_set_error (db, error, _("Reading the sales being paid"));
  sqlite3_reset (stmt);
  return count;
}

/**
 * pdv_open_sale_describe_payments:
 *
 * Returns: (transfer full): the payments taken, e.g. "Card R$ 20,00 + PIX
 *   R$ 10,00"
 */
char *
pdv_open_sale_describe_payments (PdvOpenSale *sale)
{
  return pdv_payments_describe (sale->draft->payments, FALSE);
}

/**
 * pdv_sale_take_payment:
 * @draft: the sale being paid; it gains the payment, and an open sale id
 *   with its first
 * @card: for a card, debit or credit
 * @tendered: for cash, what was handed over (0: exactly @amount)
 * @reference: (nullable): card authorisation, PIX txid or voucher code
 * @authorised_by: (nullable): the manager who allowed a voucher
 *
 * Journals one payment of a sale that it does not complete, in one durable
 * transaction: when this returns, the payment survives a crash or a power
 * cut, and pdv_open_sales_list() lists the sale until pdv_sale_commit()
 * completes it or pdv_open_sale_abandon() gives it up. The payment that
 * completes a sale goes with pdv_sale_commit() instead.
 */
gboolean
pdv_sale_take_payment (PdvJournal        *journal,
                       PdvCatalog        *catalog,
                       PdvSaleDraft      *draft,
                       PdvPaymentMethod   method,
                       PdvCardKind        card,
                       PdvMoney           amount,
                       PdvMoney           tendered,
                       const char        *reference,
                       const char        *user,
                       const char        *authorised_by,
                       GError           **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  PdvPayment payment = { method, amount, tendered, NULL, NULL, card };
  g_autofree char *open_id = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(json_t) payload = NULL;
  PdvMoney total, due;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  if (draft->lines->len == 0)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_EMPTY, _("The cart is empty"));
      return FALSE;
    }
  if (!pdv_sale_check_payment (&payment, authorised_by != NULL, error) ||
      !pdv_sale_draft_total (draft, catalog, &total, error))
    return FALSE;
  due = total - pdv_sale_draft_get_paid (draft);
  if (amount > due)
    {
      g_autofree char *excess = pdv_money_format (amount - due);
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OVERPAID,
                   _("The payments exceed the total by %s; give change only from cash tendered"), excess);
      return FALSE;
    }

  open_id = draft->open_id != NULL ? g_strdup (draft->open_id) : g_uuid_string_random ();
  payment.reference = reference != NULL && *reference != '\0' ? (char *) reference : NULL;
  payment.id = g_uuid_string_random ();
  payload = json_pack ("{s:s, s:o, s:o, s:s?}", "open_sale", open_id,
                       "payment", pdv_sale_payment_to_json (&payment),
                       "cart", cart_to_json (draft), "authorised_by", authorised_by);

  if (!pdv_db_begin (db, error))
    {
      g_free (payment.id);
      return FALSE;
    }
  if (pdv_shift_check_can_sell (db, error))
    entry = pdv_journal_append_in_transaction (journal, PDV_ENTRY_PAYMENT_TAKEN, user, payload, error);
  if (entry == NULL || !pdv_db_commit (db, error))
    {
      pdv_db_rollback (db);
      g_free (payment.id);
      return FALSE;
    }

  payment.reference = g_strdup (payment.reference);
  g_array_append_val (draft->payments, payment);
  if (draft->open_id == NULL)
    draft->open_id = g_steal_pointer (&open_id);
  return TRUE;
}

/**
 * pdv_sale_cancel_payment:
 * @index: which of the draft's payments
 *
 * Takes a payment off the sale being paid: the cash went back across the
 * counter, the card payment was reversed on its machine. Journalled when the
 * payment was.
 */
gboolean
pdv_sale_cancel_payment (PdvJournal    *journal,
                         PdvSaleDraft  *draft,
                         guint          index,
                         const char    *user,
                         GError       **error)
{
  const PdvPayment *payment;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(json_t) payload = NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);
  g_return_val_if_fail (index < draft->payments->len, FALSE);

  payment = &g_array_index (draft->payments, PdvPayment, index);
  if (payment->id != NULL)
    {
      payload = json_pack ("{s:s, s:s, s:s, s:I}", "open_sale", draft->open_id, "payment", payment->id,
                           "method", pdv_payment_method_to_string (payment->method),
                           "amount", (json_int_t) payment->amount);
      entry = pdv_journal_append (journal, PDV_ENTRY_PAYMENT_CANCEL, user, payload, error);
      if (entry == NULL)
        return FALSE;
    }
  g_array_remove_index (draft->payments, index);
  if (draft->payments->len == 0)
    g_clear_pointer (&draft->open_id, g_free);
  return TRUE;
}

/**
 * pdv_open_sale_needs_authoriser:
 *
 * Whether giving the sale up needs %PDV_PERMISSION_VOID: when a payment was
 * taken by card, PIX or voucher, money moved outside the drawer.
 */
gboolean
pdv_open_sale_needs_authoriser (PdvOpenSale *sale)
{
  return pdv_payments_any_outside (sale->draft->payments);
}

/**
 * pdv_open_sale_abandon:
 * @operator_user: (nullable): who is at the terminal
 * @authoriser: (nullable): who authorised it (pdv_auth_find_by_pin() with
 *   %PDV_PERMISSION_VOID)
 * @reason: why, for the audit
 *
 * Gives up a sale being paid: its payments are handed back to the customer
 * outside this terminal. Cash alone goes back across the counter; once a
 * card, PIX or voucher payment was taken, someone who may void sales must
 * allow it (pdv_open_sale_needs_authoriser()).
 */
gboolean
pdv_open_sale_abandon (PdvJournal     *journal,
                       const char     *open_id,
                       const PdvUser  *operator_user,
                       const PdvUser  *authoriser,
                       const char     *reason,
                       GError        **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autoptr(PdvOpenSale) sale = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autoptr(json_t) payload = NULL;
  g_autoptr(json_t) payments = json_array ();
  const PdvUser *manager = NULL;
  const char *user = operator_user != NULL ? operator_user->id : NULL;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (open_id != NULL, FALSE);

  if (reason == NULL || *reason == '\0')
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OPEN_SALE,
                           _("Say why the sale is given up"));
      return FALSE;
    }
  if (!pdv_db_begin (db, error))
    return FALSE;
  sale = load_open_sale (db, open_id, error);
  if (sale == NULL)
    goto failed;
  if (pdv_open_sale_needs_authoriser (sale))
    {
      manager = pdv_sale_correction_authoriser (PDV_PERMISSION_VOID, operator_user, authoriser, error);
      if (manager == NULL)
        goto failed;
    }
  for (guint i = 0; i < sale->draft->payments->len; i++)
    json_array_append_new (payments, pdv_sale_payment_to_json (&g_array_index (sale->draft->payments,
                                                                                PdvPayment, i)));
  payload = json_pack ("{s:s, s:O, s:I, s:s, s:s?}", "open_sale", open_id, "payments", payments,
                       "paid", (json_int_t) sale->paid, "reason", reason,
                       "authorised_by", manager != NULL ? manager->id : NULL);
  if (manager != NULL && manager != operator_user && user != NULL &&
      !pdv_auth_record_override (journal, PDV_PERMISSION_VOID, user, manager->id, error))
    goto failed;
  entry = pdv_journal_append_in_transaction (journal, PDV_ENTRY_SALE_ABANDON,
                                             user != NULL ? user : (manager != NULL ? manager->id : NULL),
                                             payload, error);
  if (entry == NULL || !pdv_db_commit (db, error))
    goto failed;
  return TRUE;

failed:
  pdv_db_rollback (db);
  return FALSE;
}

/* The payments journalled so far for @id, or NULL when it is not open. */
static json_t *
read_payments (PdvDb       *db,
               const char  *id,
               GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT payments FROM open_sales WHERE id = ?", error);
  json_t *payments = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    payments = json_loads ((const char *) sqlite3_column_text (stmt, 0), 0, NULL);
  sqlite3_reset (stmt);
  return payments;
}

/* For pdv_sale_commit(), inside its transaction: the sale completing an open
 * one carries every payment journalled for it, as it was taken. */
gboolean
pdv_open_sale_check_in_transaction (PdvDb         *db,
                                    PdvSaleDraft  *draft,
                                    GError       **error)
{
  g_autoptr(json_t) taken = read_payments (db, draft->open_id, error);
  json_t *item;
  size_t i;

  if (taken == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OPEN_SALE,
                     _("The sale being paid (%s) was finished or given up meanwhile"), draft->open_id);
      return FALSE;
    }
  json_array_foreach (taken, i, item)
    {
      const char *id = json_string_value (json_object_get (item, "id"));
      json_int_t amount = json_integer_value (json_object_get (item, "amount"));
      gboolean found = FALSE;

      for (guint j = 0; j < draft->payments->len && !found; j++)
        {
          const PdvPayment *payment = &g_array_index (draft->payments, PdvPayment, j);

          found = g_strcmp0 (payment->id, id) == 0 && payment->amount == amount;
        }
      if (!found)
        {
          g_autofree char *text = pdv_money_format (amount);
          g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_OPEN_SALE,
                       _("A payment taken for this sale (%s) is missing from it"), text);
          return FALSE;
        }
    }
  return TRUE;
}

/* The projection. */

static gboolean
store_payments (PdvDb       *db,
                const char  *id,
                json_t      *payments,
                GError     **error)
{
  g_autofree char *text = pdv_canonical_json (payments);
  sqlite3_stmt *stmt = pdv_db_prepare (db, "UPDATE open_sales SET payments = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
delete_open_sale (PdvDb       *db,
                  const char  *id,
                  GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "DELETE FROM open_sales WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
apply_taken (PdvDb                 *db,
             const PdvJournalEntry *entry,
             const char            *id,
             GError               **error)
{
  json_t *payment = json_object_get (entry->payload, "payment");
  json_t *cart = json_object_get (entry->payload, "cart");
  json_t *authorised_by = json_object_get (entry->payload, "authorised_by");
  g_autoptr(json_t) payments = read_payments (db, id, error);
  g_autofree char *cart_text = NULL;
  g_autofree char *payments_text = NULL;
  sqlite3_stmt *stmt;

  if (!json_is_object (payment) || !json_is_string (json_object_get (payment, "id")) || !json_is_object (cart))
    return malformed (entry, error);
  if (payments == NULL)
    payments = json_array ();
  json_array_append (payments, payment);
  cart_text = pdv_canonical_json (cart);
  payments_text = pdv_canonical_json (payments);

  stmt = pdv_db_prepare (db,
                         "INSERT INTO open_sales (" OPEN_SALE_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET cart = excluded.cart, payments = excluded.payments, "
                         "  authorised_by = COALESCE (excluded.authorised_by, authorised_by)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entry->user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, entry->seq);
  sqlite3_bind_text (stmt, 4, entry->created_at, -1, SQLITE_TRANSIENT);
  if (json_is_string (authorised_by))
    sqlite3_bind_text (stmt, 5, json_string_value (authorised_by), -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, cart_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, payments_text, -1, SQLITE_TRANSIENT);
  return pdv_db_step_done (db, stmt, error);
}

static gboolean
apply_cancel (PdvDb                 *db,
              const PdvJournalEntry *entry,
              const char            *id,
              GError               **error)
{
  const char *payment_id = json_string_value (json_object_get (entry->payload, "payment"));
  g_autoptr(json_t) payments = read_payments (db, id, error);
  size_t i;
  json_t *item;

  if (payment_id == NULL)
    return malformed (entry, error);
  if (payments == NULL)
    goto unknown;
  json_array_foreach (payments, i, item)
    if (g_strcmp0 (json_string_value (json_object_get (item, "id")), payment_id) == 0)
      {
        json_array_remove (payments, i);
        return json_array_size (payments) == 0 ? delete_open_sale (db, id, error)
                                               : store_payments (db, id, payments, error);
      }

unknown:
  g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_INVALID,
               _("Journal entry %lld hands back a payment that is not part of a sale being paid"),
               (long long) entry->seq);
  return FALSE;
}

static gboolean
open_sales_apply (PdvDb                 *db,
                  const PdvJournalEntry *entry,
                  GError               **error)
{
  const char *id;

  if (!g_str_equal (entry->kind, PDV_ENTRY_PAYMENT_TAKEN) && !g_str_equal (entry->kind, PDV_ENTRY_PAYMENT_CANCEL) &&
      !g_str_equal (entry->kind, PDV_ENTRY_SALE) && !g_str_equal (entry->kind, PDV_ENTRY_SALE_ABANDON))
    return TRUE;
  id = json_string_value (json_object_get (entry->payload, "open_sale"));
  if (id == NULL)
    return g_str_equal (entry->kind, PDV_ENTRY_SALE) ? TRUE : malformed (entry, error);

  if (g_str_equal (entry->kind, PDV_ENTRY_PAYMENT_TAKEN))
    return apply_taken (db, entry, id, error);
  if (g_str_equal (entry->kind, PDV_ENTRY_PAYMENT_CANCEL))
    return apply_cancel (db, entry, id, error);
  return delete_open_sale (db, id, error);
}

const PdvProjection pdv_open_sales_projection = {
  .name = "open_sales",
  .clear_sql = "DELETE FROM open_sales",
  .dump_sql = "SELECT " OPEN_SALE_COLUMNS " FROM open_sales ORDER BY id",
  .apply = open_sales_apply,
};

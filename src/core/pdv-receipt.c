/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-receipt"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-db-private.h"
#include "pdv-datetime.h"
#include "pdv-ficha.h"
#include "pdv-escpos.h"
#include "pdv-auth.h"
#include "pdv-receipt.h"
#include "pdv-sale.h"
#include "pdv-sale-history.h"

typedef struct {
  char     *name;
  gint64    qty;
  PdvMoney  unit_price;
  PdvMoney  total;
} ReceiptItem;

typedef struct {
  PdvPaymentMethod  method;
  PdvCardKind       card;
  PdvMoney          amount;
  PdvMoney          tendered;
  PdvMoney          change;
  char             *reference;
} ReceiptPayment;

typedef struct {
  gboolean          refund;
  PdvMoney          amount;
  PdvPaymentMethod  method;
  GDateTime        *created_at;
  char             *reason;
  char             *authorised_by;
} ReceiptCorrection;

struct _PdvReceipt
{
  char      *sale_id;
  char      *number;        /* NULL: the sale's id stands for it */
  json_t    *fichas;        /* NULL: none; [{id, code, product, name, key, token}]; only
                             * those with a token print */
  char      *operator_name;
  char      *merchant_name;
  char      *merchant_cnpj;
  GTimeZone *timezone;      /* NULL: this machine's */
  GArray    *corrections;   /* ReceiptCorrection, oldest first */
  gint       slip;          /* -1: the sale's receipt; else the correction it is the slip of */
  GDateTime *created_at;
  char      *cashier;
  char      *event_name;
  char      *terminal_name;
  char      *authorised_by;
  GArray    *items;     /* ReceiptItem */
  GArray    *payments;  /* ReceiptPayment */
  PdvMoney   total;
  PdvMoney   subtotal;
  PdvMoney   discount;   /* 0: none */
  gint64     discount_percent_bp;  /* 0: an amount */
  char      *discount_reason;
};

G_DEFINE_QUARK (pdv-receipt-error-quark, pdv_receipt_error)

/* Receipts are Brazilian documents: amounts always read "1.234,56", whatever
 * the locale of the terminal that prints them. */
static char *
format_amount (PdvMoney cents)
{
  return pdv_money_format_brazilian (cents, FALSE);
}

static const char *
reference_label (PdvPaymentMethod method)
{
  switch (method)
    {
    case PDV_PAYMENT_CARD:
      /* Translators: on the printed receipt, the card terminal's authorisation code */
      return _("Authorisation");
    case PDV_PAYMENT_PIX:
      /* Translators: on the printed receipt, the PIX transaction id */
      return _("PIX txid");
    case PDV_PAYMENT_VOUCHER:
      return _("Voucher code");
    case PDV_PAYMENT_CASH:
    default:
      return _("Reference");
    }
}

static void
clear_item (gpointer data)
{
  ReceiptItem *item = data;

  g_clear_pointer (&item->name, g_free);
}

static void
clear_correction (gpointer data)
{
  ReceiptCorrection *correction = data;

  g_clear_pointer (&correction->created_at, g_date_time_unref);
  g_clear_pointer (&correction->reason, g_free);
  g_clear_pointer (&correction->authorised_by, g_free);
}

static void
clear_payment (gpointer data)
{
  ReceiptPayment *payment = data;

  g_clear_pointer (&payment->reference, g_free);
}

static gboolean
get_money (json_t     *object,
           const char *key,
           gboolean    required,
           PdvMoney   *out)
{
  json_t *value = json_object_get (object, key);

  if (value == NULL && !required)
    {
      *out = 0;
      return TRUE;
    }
  if (!json_is_integer (value))
    return FALSE;
  *out = json_integer_value (value);
  return TRUE;
}

/* A discount's percentage on a Brazilian document: "10%", "12,5%". */
static char *
format_percent (gint64 basis_points)
{
  gint64 whole = basis_points / PDV_DISCOUNT_BASIS_POINTS_PER_PERCENT;
  gint64 hundredths = basis_points % PDV_DISCOUNT_BASIS_POINTS_PER_PERCENT;

  if (hundredths == 0)
    return g_strdup_printf ("%lld%%", (long long) whole);
  if (hundredths % 10 == 0)
    return g_strdup_printf ("%lld,%lld%%", (long long) whole, (long long) (hundredths / 10));
  return g_strdup_printf ("%lld,%02lld%%", (long long) whole, (long long) hundredths);
}

/* The optional discount of a sale payload; see pdv_sale_commit(). */
static gboolean
read_discount (PdvReceipt *receipt,
               json_t     *payload)
{
  json_t *reason = json_object_get (payload, "discount_reason");

  if (!get_money (payload, "discount", FALSE, &receipt->discount) || receipt->discount < 0 ||
      !get_money (payload, "discount_percent_bp", FALSE, &receipt->discount_percent_bp) ||
      !get_money (payload, "subtotal", FALSE, &receipt->subtotal) ||
      (reason != NULL && !json_is_string (reason)))
    return FALSE;
  if (receipt->subtotal == 0)
    receipt->subtotal = receipt->total + receipt->discount;
  receipt->discount_reason = g_strdup (json_string_value (reason));
  return TRUE;
}

/**
 * pdv_paper_width_get_columns:
 *
 * Returns: how many characters of the printer's standard font fit across
 *   the paper
 */
guint
pdv_paper_width_get_columns (PdvPaperWidth width)
{
  g_return_val_if_fail (width == PDV_PAPER_58MM || width == PDV_PAPER_80MM, 48);
  return width == PDV_PAPER_58MM ? 32 : 48;
}

/**
 * pdv_receipt_new_from_payload:
 * @payload: a "sale" journal entry's payload
 * @sale_id: the entry's id
 * @created_at: the entry's time, ISO 8601
 * @cashier: (nullable): who sold
 * @event_name: (nullable): the event, the receipt's default heading
 * @terminal_name: (nullable): which terminal sold
 *
 * Returns: (transfer full): the receipt, or %NULL with @error set when the
 *   payload does not describe a sale
 */
PdvReceipt *
pdv_receipt_new_from_payload (json_t      *payload,
                              const char  *sale_id,
                              const char  *created_at,
                              const char  *cashier,
                              const char  *event_name,
                              const char  *terminal_name,
                              GError     **error)
{
  g_autoptr(PdvReceipt) receipt = NULL;
  json_t *lines;
  json_t *payments;
  json_t *value;
  size_t i;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (sale_id != NULL, NULL);
  g_return_val_if_fail (created_at != NULL, NULL);

  receipt = g_new0 (PdvReceipt, 1);
  receipt->sale_id = g_strdup (sale_id);
  receipt->cashier = g_strdup (cashier);
  receipt->event_name = g_strdup (event_name);
  receipt->terminal_name = g_strdup (terminal_name);
  receipt->items = g_array_new (FALSE, TRUE, sizeof (ReceiptItem));
  g_array_set_clear_func (receipt->items, clear_item);
  receipt->payments = g_array_new (FALSE, TRUE, sizeof (ReceiptPayment));
  g_array_set_clear_func (receipt->payments, clear_payment);
  receipt->corrections = g_array_new (FALSE, TRUE, sizeof (ReceiptCorrection));
  g_array_set_clear_func (receipt->corrections, clear_correction);
  receipt->slip = -1;
  receipt->authorised_by = g_strdup (json_string_value (json_object_get (payload, "authorised_by")));

  receipt->created_at = g_date_time_new_from_iso8601 (created_at, NULL);
  value = json_object_get (payload, "fichas");
  if (value != NULL)
    {
      json_t *ficha;

      if (!json_is_array (value))
        goto invalid;
      json_array_foreach (value, i, ficha)
        if (!json_is_string (json_object_get (ficha, "id")) || !json_is_string (json_object_get (ficha, "code")) ||
            !json_is_string (json_object_get (ficha, "name")) || !json_is_string (json_object_get (ficha, "product")))
          goto invalid;
      /* A copy: its tokens are added to it, not to @payload. */
      receipt->fichas = json_deep_copy (value);
    }
  lines = json_object_get (payload, "lines");
  payments = json_object_get (payload, "payments");
  if (receipt->created_at == NULL || !json_is_array (lines) || !json_is_array (payments) ||
      !get_money (payload, "total", TRUE, &receipt->total) || !read_discount (receipt, payload))
    goto invalid;

  json_array_foreach (lines, i, value)
    {
      ReceiptItem item = { 0 };
      const char *name = json_string_value (json_object_get (value, "name"));
      json_t *qty = json_object_get (value, "qty");

      if (name == NULL || !json_is_integer (qty) ||
          !get_money (value, "unit_price", TRUE, &item.unit_price) ||
          !get_money (value, "total", TRUE, &item.total))
        goto invalid;
      item.name = g_strdup (name);
      item.qty = json_integer_value (qty);
      g_array_append_val (receipt->items, item);
    }

  json_array_foreach (payments, i, value)
    {
      ReceiptPayment payment = { 0 };
      json_t *reference = json_object_get (value, "reference");

      if (!pdv_payment_method_from_string (json_string_value (json_object_get (value, "method")),
                                           &payment.method) ||
          !get_money (value, "amount", TRUE, &payment.amount) ||
          !get_money (value, "tendered", FALSE, &payment.tendered) ||
          !get_money (value, "change", FALSE, &payment.change) ||
          (reference != NULL && !json_is_string (reference)))
        goto invalid;
      payment.reference = g_strdup (json_string_value (reference));
      if (!pdv_card_kind_from_string (json_string_value (json_object_get (value, "card")), &payment.card))
        payment.card = PDV_CARD_UNSPECIFIED;
      g_array_append_val (receipt->payments, payment);
    }

  return g_steal_pointer (&receipt);

invalid:
  g_set_error (error, PDV_RECEIPT_ERROR, PDV_RECEIPT_ERROR_INVALID,
               _("Sale %s has no receipt: its journal entry is not a sale this version can read"), sale_id);
  return NULL;
}

/* Reads one journal entry of @kinds (an SQL list) by id. */
static gboolean
read_entry (PdvDb       *db,
            const char  *sql,
            const char  *id,
            gint64      *out_seq,
            char       **out_kind,
            char       **out_created_at,
            char       **out_user,
            json_t     **out_payload,
            GError     **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_seq = sqlite3_column_int64 (stmt, 0);
      *out_kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      *out_created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      *out_user = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      *out_payload = json_loads ((const char *) sqlite3_column_text (stmt, 4), 0, NULL);
    }
  else if (rc != SQLITE_DONE)
    pdv_db_set_error (db, error, _("Reading the sale"));
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, PDV_RECEIPT_ERROR, PDV_RECEIPT_ERROR_UNKNOWN_SALE,
                 _("There is no sale %s on this terminal"), id);
  return rc == SQLITE_ROW;
}

/* The terminal's details for the receipt of the sale at @seq: its number,
 * who sold it by name, the merchant and the event's time zone. */
static void
add_terminal_details (PdvReceipt  *receipt,
                      PdvDb       *db,
                      gint64       seq,
                      const char  *cashier)
{
  g_autofree char *event_text = pdv_db_get_meta (db, "event");
  g_autoptr(json_t) event = event_text != NULL ? json_loads (event_text, 0, NULL) : NULL;
  json_t *merchant = json_object_get (event, "merchant");
  const char *zone = json_string_value (json_object_get (event, "timezone"));
  g_autofree char *number = pdv_sale_number (receipt->terminal_name, seq);
  g_autoptr(PdvUser) user = NULL;
  g_autoptr(GTimeZone) timezone = zone != NULL ? g_time_zone_new_identifier (zone) : NULL;
  char cnpj[15];
  PdvReceiptDetails details = { number, NULL, json_string_value (json_object_get (merchant, "name")), NULL,
                                timezone };

  if (cashier != NULL && pdv_auth_find_user (db, cashier, &user, NULL) && user != NULL)
    details.operator_name = user->name;
  if (pdv_cnpj_normalise (json_string_value (json_object_get (merchant, "cnpj")), cnpj))
    details.merchant_cnpj = cnpj;
  pdv_receipt_set_details (receipt, &details);
}

/* Every void and refund of the sale, for its copies; the one whose entry
 * is @slip_of (nullable), the slip this receipt is. */
static gboolean
add_corrections (PdvReceipt  *receipt,
                 PdvDb       *db,
                 const char  *slip_of,
                 GError     **error)
{
  g_autoptr(PdvSaleDetail) detail = pdv_sale_history_get_detail (db, receipt->sale_id, error);

  if (detail == NULL)
    return FALSE;
  for (guint i = 0; i < detail->corrections->len; i++)
    {
      const PdvSaleCorrection *correction = &g_array_index (detail->corrections, PdvSaleCorrection, i);
      g_autoptr(PdvUser) manager = NULL;
      PdvReceiptCorrection item = { correction->kind == PDV_SALE_CORRECTION_REFUND, correction->amount,
                                    correction->method, correction->created_at, correction->reason,
                                    correction->authorised_by };

      /* Who allowed it, by name. */
      if (correction->authorised_by != NULL &&
          pdv_auth_find_user (db, correction->authorised_by, &manager, NULL) && manager != NULL)
        item.authorised_by = manager->name;
      pdv_receipt_add_correction (receipt, &item);
      if (g_strcmp0 (correction->entry_id, slip_of) == 0)
        receipt->slip = (gint) i;
    }
  return TRUE;
}

/**
 * pdv_receipt_new_for_sale:
 * @sale_id: the id of a "sale" journal entry, or of a "sale.void" or
 *   "sale.refund" one for its slip
 *
 * The receipt of a sale as it was made, with this terminal's names, its
 * number, the merchant and the event's time: with its voids and refunds
 * since, which a copy carries. For a void or a refund, the slip the
 * customer gets for it.
 *
 * Returns: (transfer full): the receipt, or %NULL with @error set
 */
PdvReceipt *
pdv_receipt_new_for_sale (PdvJournal  *journal,
                          const char  *sale_id,
                          GError     **error)
{
  g_autofree char *kind = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *cashier = NULL;
  g_autofree char *event_name = NULL;
  g_autofree char *terminal_name = NULL;
  g_autofree char *correction_of = NULL;
  g_autoptr(json_t) payload = NULL;
  g_autoptr(PdvReceipt) receipt = NULL;
  gint64 seq = 0;
  PdvDb *db;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (sale_id != NULL, NULL);

  db = pdv_journal_get_db (journal);
  if (!read_entry (db, "SELECT seq, kind, created_at, user_id, payload FROM journal WHERE id = ? AND kind IN ('"
                       PDV_ENTRY_SALE "', '" PDV_ENTRY_SALE_VOID "', '" PDV_ENTRY_SALE_REFUND "')",
                   sale_id, &seq, &kind, &created_at, &cashier, &payload, error))
    return NULL;
  /* A void or refund: its sale's receipt, turned into the slip. */
  if (!g_str_equal (kind, PDV_ENTRY_SALE))
    {
      correction_of = g_strdup (json_string_value (json_object_get (payload, "sale_id")));
      g_clear_pointer (&kind, g_free);
      g_clear_pointer (&created_at, g_free);
      g_clear_pointer (&cashier, g_free);
      g_clear_pointer (&payload, json_decref);
      if (correction_of == NULL ||
          !read_entry (db, "SELECT seq, kind, created_at, user_id, payload FROM journal WHERE id = ? AND kind = '"
                           PDV_ENTRY_SALE "'",
                       correction_of, &seq, &kind, &created_at, &cashier, &payload, error))
        return NULL;
    }
  if (payload == NULL)
    {
      g_set_error (error, PDV_RECEIPT_ERROR, PDV_RECEIPT_ERROR_INVALID,
                   _("Sale %s has no receipt: its journal entry is not a sale this version can read"),
                   sale_id);
      return NULL;
    }
  event_name = pdv_db_get_meta (db, "event_name");
  terminal_name = pdv_db_get_meta (db, "terminal_name");
  receipt = pdv_receipt_new_from_payload (payload, correction_of != NULL ? correction_of : sale_id, created_at,
                                          cashier, event_name, terminal_name, error);
  if (receipt == NULL)
    return NULL;
  add_terminal_details (receipt, db, pdv_sale_printed_seq (seq, payload), cashier);
  if (!add_corrections (receipt, db, correction_of != NULL ? sale_id : NULL, error))
    return NULL;
  /* The fichas' tokens, signed again with this terminal's key: the same as
   * when the sale was made. */
  if (receipt->fichas != NULL && !pdv_ficha_add_tokens (db, receipt->fichas, error))
    return NULL;
  g_assert (correction_of == NULL || receipt->slip >= 0);
  return g_steal_pointer (&receipt);
}

/**
 * pdv_receipt_set_details:
 *
 * Gives the receipt its number, the cashier's name, the merchant and the
 * time zone its times are told in.
 */
void
pdv_receipt_set_details (PdvReceipt              *receipt,
                         const PdvReceiptDetails *details)
{
  g_return_if_fail (receipt != NULL);
  g_return_if_fail (details != NULL);

  g_free (receipt->number);
  receipt->number = g_strdup (details->number);
  g_free (receipt->operator_name);
  receipt->operator_name = g_strdup (details->operator_name);
  g_free (receipt->merchant_name);
  receipt->merchant_name = g_strdup (details->merchant_name);
  g_free (receipt->merchant_cnpj);
  receipt->merchant_cnpj = g_strdup (details->merchant_cnpj);
  g_clear_pointer (&receipt->timezone, g_time_zone_unref);
  receipt->timezone = details->timezone != NULL ? g_time_zone_ref (details->timezone) : NULL;
}

/**
 * pdv_receipt_add_correction:
 *
 * A void or refund of the sale, oldest first: a copy of the receipt says
 * what became of the sale.
 */
void
pdv_receipt_add_correction (PdvReceipt                 *receipt,
                            const PdvReceiptCorrection *correction)
{
  ReceiptCorrection item = { correction->refund, correction->amount, correction->method,
                             g_date_time_new_from_iso8601 (correction->created_at, NULL),
                             g_strdup (correction->reason), g_strdup (correction->authorised_by) };

  g_return_if_fail (receipt != NULL);
  g_return_if_fail (item.created_at != NULL);
  g_array_append_val (receipt->corrections, item);
}

/**
 * pdv_receipt_is_slip:
 *
 * Returns: whether this is the slip of a void or refund rather than a
 *   sale's receipt
 */
gboolean
pdv_receipt_is_slip (PdvReceipt *receipt)
{
  g_return_val_if_fail (receipt != NULL, FALSE);
  return receipt->slip >= 0;
}

/**
 * pdv_cnpj_normalise:
 * @text: (nullable): a CNPJ, with or without its dots, slash and dash
 * @out_digits: its 14 digits, when it is one
 *
 * Returns: whether @text is a CNPJ whose check digits are right
 */
gboolean
pdv_cnpj_normalise (const char *text,
                    char        out_digits[15])
{
  static const int weights[13] = { 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2 };
  guint n = 0;

  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (n == 14)
            return FALSE;
          out_digits[n++] = *p;
        }
      else if (strchr (". /-", *p) == NULL)
        return FALSE;
    }
  if (n != 14)
    return FALSE;
  out_digits[14] = '\0';
  for (guint check = 12; check <= 13; check++)
    {
      int sum = 0;
      int digit;

      for (guint i = 0; i < check; i++)
        sum += (out_digits[i] - '0') * weights[13 - check + i];
      digit = sum % 11 < 2 ? 0 : 11 - sum % 11;
      if (out_digits[check] - '0' != digit)
        return FALSE;
    }
  return TRUE;
}

/**
 * pdv_cnpj_format:
 * @digits: 14 digits (pdv_cnpj_normalise())
 *
 * Returns: (transfer full): "11.222.333/0001-81"
 */
char *
pdv_cnpj_format (const char *digits)
{
  g_return_val_if_fail (digits != NULL && strlen (digits) == 14, NULL);
  return g_strdup_printf ("%.2s.%.3s.%.3s/%.4s-%.2s", digits, digits + 2, digits + 5, digits + 8, digits + 12);
}

void
pdv_receipt_free (PdvReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_free (receipt->sale_id);
  g_free (receipt->number);
  g_clear_pointer (&receipt->fichas, json_decref);
  g_free (receipt->operator_name);
  g_free (receipt->merchant_name);
  g_free (receipt->merchant_cnpj);
  g_clear_pointer (&receipt->timezone, g_time_zone_unref);
  g_array_unref (receipt->corrections);
  g_clear_pointer (&receipt->created_at, g_date_time_unref);
  g_free (receipt->cashier);
  g_free (receipt->event_name);
  g_free (receipt->terminal_name);
  g_free (receipt->authorised_by);
  g_free (receipt->discount_reason);
  g_array_unref (receipt->items);
  g_array_unref (receipt->payments);
  g_free (receipt);
}

const char *
pdv_receipt_get_sale_id (PdvReceipt *receipt)
{
  g_return_val_if_fail (receipt != NULL, NULL);
  return receipt->sale_id;
}

/**
 * pdv_receipt_opens_drawer:
 *
 * Returns: whether the sale took cash, so the drawer must open for it;
 *   never for the slip of a void or refund
 */
gboolean
pdv_receipt_opens_drawer (PdvReceipt *receipt)
{
  g_return_val_if_fail (receipt != NULL, FALSE);

  /* The drawer opens for cash going back when the void or refund is made,
   * journalled with it (pdv_drawer_opener_give_back()): its slip does not
   * open it again. */
  if (receipt->slip >= 0)
    return FALSE;
  for (guint i = 0; i < receipt->payments->len; i++)
    if (g_array_index (receipt->payments, ReceiptPayment, i).method == PDV_PAYMENT_CASH)
      return TRUE;
  return FALSE;
}

static void
add_amount (PdvPrintLayout *layout,
            guint           indent,
            const char     *label,
            PdvMoney        amount)
{
  g_autofree char *text = format_amount (amount);

  pdv_print_layout_add_pair (layout, indent, label, text, FALSE, FALSE);
}

/* In the event's time, as the terminal's locale writes dates (its labels
 * are in the terminal's language too). */
static char *
format_when (PdvReceipt *receipt,
             GDateTime  *time)
{
  g_autoptr(GDateTime) local = receipt->timezone != NULL ? g_date_time_to_timezone (time, receipt->timezone)
                                                         : g_date_time_to_local (time);

  return pdv_datetime_format (local, NULL, PDV_DATETIME_DATE_TIME);
}

/* After the receipt, one slip per ficha, cut apart: what the bartender
 * reads from across the counter, and the code that proves it. */
static void
add_fichas (PdvPrintLayout *layout,
            PdvReceipt     *receipt,
            const char     *when,
            json_t         *only,
            gboolean        copy)
{
  size_t n = json_array_size (receipt->fichas);
  const char *sale = receipt->number != NULL ? receipt->number : receipt->sale_id;
  gboolean first = TRUE;

  for (size_t i = 0; i < n; i++)
    {
      json_t *ficha = json_array_get (receipt->fichas, i);
      const char *token = json_string_value (json_object_get (ficha, "token"));
      /* Translators: on a ficha slip: the sale's number, and which of its fichas this is */
      g_autofree char *which = g_strdup_printf (_("Sale %s — %zu of %zu"), sale, i + 1, n);
      gboolean wanted = only == NULL;
      size_t w;
      json_t *id;

      json_array_foreach (only, w, id)
        wanted = wanted || json_equal (id, json_object_get (ficha, "id"));
      if (token == NULL || !wanted)
        continue;
      /* After the receipt, each slip is cut from what comes before it. */
      if (!first || only == NULL)
        pdv_print_layout_add_cut (layout);
      first = FALSE;
      if (copy)
        pdv_print_layout_add_text (layout, _("COPY"), 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
      if (receipt->event_name != NULL)
        pdv_print_layout_add_text (layout, receipt->event_name, 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 2);
      /* Translators: the heading of a slip exchanged at the bar for one drink; in Brazil "FICHA" */
      pdv_print_layout_add_text (layout, _("FICHA"), 0, PDV_PRINT_ALIGN_CENTRE, FALSE, 1);
      pdv_print_layout_add_large_text (layout, json_string_value (json_object_get (ficha, "name")));
      pdv_print_layout_add_text (layout, json_string_value (json_object_get (ficha, "code")), 0,
                                 PDV_PRINT_ALIGN_CENTRE, TRUE, 1);
      pdv_print_layout_add_qr (layout, token);
      pdv_print_layout_add_text (layout, which, 0, PDV_PRINT_ALIGN_CENTRE, FALSE, 2);
      pdv_print_layout_add_text (layout, when, 0, PDV_PRINT_ALIGN_CENTRE, FALSE, 1);
    }
}

static void
add_items (PdvPrintLayout *layout,
           PdvReceipt     *receipt)
{
  for (guint i = 0; i < receipt->items->len; i++)
    {
      ReceiptItem *item = &g_array_index (receipt->items, ReceiptItem, i);
      g_autofree char *unit = format_amount (item->unit_price);
      g_autofree char *qty_unit = g_strdup_printf ("%" G_GINT64_FORMAT " x %s", item->qty, unit);

      pdv_print_layout_add_text (layout, item->name, 0, PDV_PRINT_ALIGN_LEFT, FALSE, 3);
      add_amount (layout, 2, qty_unit, item->total);
    }
}

/* A void or refund: what, when, why and who allowed it. */
static void
add_correction (PdvPrintLayout          *layout,
                PdvReceipt              *receipt,
                const ReceiptCorrection *correction)
{
  g_autofree char *when = format_when (receipt, correction->created_at);

  if (correction->refund)
    {
      /* Translators: on a receipt, a refund and how it went back, e.g. "Refund (Cash)" */
      g_autofree char *label = g_strdup_printf (_("Refund (%s)"), pdv_payment_method_label (correction->method));

      add_amount (layout, 0, label, correction->amount);
    }
  else
    /* Translators: on a receipt, the sale was cancelled */
    add_amount (layout, 0, _("Voided"), correction->amount);
  pdv_print_layout_add_pair (layout, 2, _("Date"), when, FALSE, FALSE);
  if (correction->reason != NULL && *correction->reason != '\0')
    pdv_print_layout_add_text (layout, correction->reason, 2, PDV_PRINT_ALIGN_LEFT, FALSE, 2);
  if (correction->authorised_by != NULL)
    pdv_print_layout_add_pair (layout, 2, _("Authorised by"), correction->authorised_by, FALSE, FALSE);
}

static PdvPrintLayout *
layout_receipt (PdvReceipt              *receipt,
                const PdvReceiptOptions *options,
                gboolean                 for_printer)
{
  const PdvReceiptOptions defaults = PDV_RECEIPT_OPTIONS_INIT;
  const char *default_header[] = { receipt->event_name, NULL };
  /* Translators: the last line of a printed receipt */
  const char *default_footer[] = { _("Thank you!"), NULL };
  const char * const *header;
  const char * const *footer;
  const ReceiptCorrection *slip = receipt->slip >= 0
                                  ? &g_array_index (receipt->corrections, ReceiptCorrection, receipt->slip) : NULL;
  g_autofree char *when = format_when (receipt, receipt->created_at);
  g_autofree char *amount = format_amount (receipt->total);
  g_autofree char *total = g_strconcat ("R$ ", amount, NULL);
  PdvPrintLayout *layout;

  if (options == NULL)
    options = &defaults;
  header = options->header_lines ? options->header_lines : default_header;
  footer = options->footer_lines ? options->footer_lines : default_footer;

  layout = pdv_print_layout_new (pdv_paper_width_get_columns (options->paper_width), for_printer);

  /* Translators: printed at the top and the foot of a reprinted receipt; in
   * Brazil "2ª VIA" */
  if (options->copy)
    pdv_print_layout_add_text (layout, _("COPY"), 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
  for (guint i = 0; header[i] != NULL; i++)
    pdv_print_layout_add_text (layout, header[i], 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
  if (receipt->merchant_name != NULL)
    pdv_print_layout_add_text (layout, receipt->merchant_name, 0, PDV_PRINT_ALIGN_CENTRE, FALSE, 0);
  if (receipt->merchant_cnpj != NULL)
    {
      g_autofree char *cnpj = pdv_cnpj_format (receipt->merchant_cnpj);
      /* Translators: on a receipt, the merchant's company number (Brazil's CNPJ) */
      g_autofree char *line = g_strdup_printf (_("CNPJ %s"), cnpj);

      pdv_print_layout_add_text (layout, line, 0, PDV_PRINT_ALIGN_CENTRE, FALSE, 0);
    }
  if (slip != NULL)
    /* Translators: the title of the slip given for a refund, or for a voided sale */
    pdv_print_layout_add_text (layout, slip->refund ? _("REFUND") : _("VOID"), 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
  pdv_print_layout_add_rule (layout, '=');
  /* Translators: on a receipt, the sale's number */
  pdv_print_layout_add_pair (layout, 0, _("Sale"), receipt->number != NULL ? receipt->number : receipt->sale_id,
                             FALSE, FALSE);
  if (receipt->terminal_name != NULL)
    pdv_print_layout_add_pair (layout, 0, _("Terminal"), receipt->terminal_name, FALSE, FALSE);
  if (receipt->operator_name != NULL || receipt->cashier != NULL)
    pdv_print_layout_add_pair (layout, 0, _("Operator"),
                               receipt->operator_name != NULL ? receipt->operator_name : receipt->cashier,
                               FALSE, FALSE);
  pdv_print_layout_add_rule (layout, '-');

  if (slip != NULL)
    {
      /* What goes back: a void's lines; a refund's amount. */
      if (!slip->refund)
        {
          add_items (layout, receipt);
          pdv_print_layout_add_rule (layout, '-');
        }
      add_correction (layout, receipt, slip);
      pdv_print_layout_add_rule (layout, '-');
      /* Translators: on a refund's or void's slip, when the sale itself was made */
      pdv_print_layout_add_pair (layout, 0, _("Sale made"), when, FALSE, FALSE);
    }
  else
    {
      add_items (layout, receipt);
      pdv_print_layout_add_rule (layout, '-');

      if (receipt->discount > 0)
        {
          g_autofree char *subtotal_amount = format_amount (receipt->subtotal);
          g_autofree char *subtotal = g_strconcat ("R$ ", subtotal_amount, NULL);
          g_autofree char *discount_amount = format_amount (receipt->discount);
          /* An ASCII minus: the printer's code page has no other. */
          g_autofree char *discount = g_strconcat ("-R$ ", discount_amount, NULL);
          g_autofree char *percent = NULL;
          g_autofree char *label = NULL;

          if (receipt->discount_percent_bp > 0)
            {
              percent = format_percent (receipt->discount_percent_bp);
              /* Translators: on the printed receipt, %s is the discount's percentage, e.g. "10%" */
              label = g_strdup_printf (_("Discount %s"), percent);
            }
          /* Translators: on the printed receipt, the sale's total before its discount */
          pdv_print_layout_add_pair (layout, 0, _("Subtotal"), subtotal, FALSE, FALSE);
          pdv_print_layout_add_pair (layout, 0, label != NULL ? label : _("Discount"), discount, FALSE, FALSE);
          if (receipt->discount_reason != NULL && *receipt->discount_reason != '\0')
            pdv_print_layout_add_text (layout, receipt->discount_reason, 2, PDV_PRINT_ALIGN_LEFT, FALSE, 2);
        }
      pdv_print_layout_add_pair (layout, 0, _("TOTAL"), total, TRUE, TRUE);
      pdv_print_layout_add_rule (layout, '-');

      for (guint i = 0; i < receipt->payments->len; i++)
        {
          ReceiptPayment *payment = &g_array_index (receipt->payments, ReceiptPayment, i);

          /* A card as the machine took it: "Debit", "Credit". */
          add_amount (layout, 0, payment->card != PDV_CARD_UNSPECIFIED ? pdv_card_kind_label (payment->card)
                                                                       : pdv_payment_method_label (payment->method),
                      payment->amount);
          if (payment->method == PDV_PAYMENT_CASH && payment->tendered > 0)
            {
              /* Translators: the cash the customer handed over, on the receipt */
              add_amount (layout, 2, _("Tendered"), payment->tendered);
              add_amount (layout, 2, _("Change"), payment->change);
            }
          if (payment->reference != NULL)
            pdv_print_layout_add_pair (layout, 2, reference_label (payment->method), payment->reference,
                                       FALSE, FALSE);
        }
      if (receipt->authorised_by != NULL)
        pdv_print_layout_add_pair (layout, 0, _("Authorised by"), receipt->authorised_by, FALSE, FALSE);
      pdv_print_layout_add_rule (layout, '-');
      /* What became of the sale since, on its copies. */
      for (guint i = 0; i < receipt->corrections->len; i++)
        add_correction (layout, receipt, &g_array_index (receipt->corrections, ReceiptCorrection, i));
      if (receipt->corrections->len > 0)
        pdv_print_layout_add_rule (layout, '-');
      pdv_print_layout_add_pair (layout, 0, _("Date"), when, FALSE, FALSE);
    }

  if (footer[0] != NULL)
    pdv_print_layout_add_blank (layout);
  for (guint i = 0; footer[i] != NULL; i++)
    pdv_print_layout_add_text (layout, footer[i], 0, PDV_PRINT_ALIGN_CENTRE, FALSE, 0);
  /* Translators: the foot of every receipt: it is not a tax invoice; in
   * Brazil "NÃO É DOCUMENTO FISCAL" */
  pdv_print_layout_add_text (layout, _("NOT A FISCAL DOCUMENT"), 0, PDV_PRINT_ALIGN_CENTRE, FALSE, 0);
  if (options->copy)
    {
      pdv_print_layout_add_blank (layout);
      pdv_print_layout_add_text (layout, _("COPY"), 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
    }
  /* The fichas come with the sale's own receipt only: a copy of the receipt
   * must not hand them over a second time. */
  else if (slip == NULL)
    add_fichas (layout, receipt, when, NULL, FALSE);
  return layout;
}

/**
 * pdv_receipt_render_text:
 * @options: (nullable): paper width, header and footer
 *
 * The receipt as plain UTF-8 text at the paper's width, for the screen and
 * for people reading it in a terminal.
 *
 * Returns: (transfer full): the text, one line per printed line
 */
char *
pdv_receipt_render_text (PdvReceipt              *receipt,
                         const PdvReceiptOptions *options)
{
  g_autoptr(PdvPrintLayout) layout = NULL;

  g_return_val_if_fail (receipt != NULL, NULL);

  layout = layout_receipt (receipt, options, FALSE);
  return pdv_print_layout_render_text (layout);
}

/* The sale's fichas named by @ids alone, as pdv_ficha_reprint() allows
 * them printed again: each marked a copy (2ª via) when @options says. */
static PdvPrintLayout *
layout_fichas (PdvReceipt              *receipt,
               const PdvReceiptOptions *options,
               json_t                  *ids,
               gboolean                 for_printer)
{
  const PdvReceiptOptions defaults = PDV_RECEIPT_OPTIONS_INIT;
  g_autofree char *when = format_when (receipt, receipt->created_at);
  PdvPrintLayout *layout;

  if (options == NULL)
    options = &defaults;
  layout = pdv_print_layout_new (pdv_paper_width_get_columns (options->paper_width), for_printer);
  add_fichas (layout, receipt, when, ids, options->copy);
  return layout;
}

/**
 * pdv_receipt_render_fichas_text:
 * @ids: the fichas' ids (pdv_ficha_reprint())
 *
 * Returns: (transfer full): those of the sale's fichas, their slips alone,
 *   as text
 */
char *
pdv_receipt_render_fichas_text (PdvReceipt              *receipt,
                                const PdvReceiptOptions *options,
                                json_t                  *ids)
{
  g_autoptr(PdvPrintLayout) layout = NULL;

  g_return_val_if_fail (receipt != NULL, NULL);
  g_return_val_if_fail (json_is_array (ids), NULL);

  layout = layout_fichas (receipt, options, ids, FALSE);
  return pdv_print_layout_render_text (layout);
}

/**
 * pdv_receipt_render_fichas_escpos:
 *
 * pdv_receipt_render_fichas_text() for the printer: the slips cut apart,
 * never a drawer pulse.
 */
GBytes *
pdv_receipt_render_fichas_escpos (PdvReceipt              *receipt,
                                  const PdvReceiptOptions *options,
                                  json_t                  *ids)
{
  g_autoptr(PdvPrintLayout) layout = NULL;

  g_return_val_if_fail (receipt != NULL, NULL);
  g_return_val_if_fail (json_is_array (ids), NULL);

  layout = layout_fichas (receipt, options, ids, TRUE);
  return pdv_print_layout_render_escpos (layout, FALSE);
}

/**
 * pdv_receipt_render_escpos:
 * @options: (nullable): paper width, header and footer
 *
 * The receipt as ESC/POS commands for a thermal printer on a raw queue:
 * code page 860, the total in bold at double height, a partial cut, and a
 * pulse that opens the cash drawer when the sale took cash — on its first
 * print only: a copy (@options' copy) never opens the drawer.
 *
 * Returns: (transfer full): the bytes to send to the printer
 */
GBytes *
pdv_receipt_render_escpos (PdvReceipt              *receipt,
                           const PdvReceiptOptions *options)
{
  g_autoptr(PdvPrintLayout) layout = NULL;

  g_return_val_if_fail (receipt != NULL, NULL);

  layout = layout_receipt (receipt, options, TRUE);
  return pdv_print_layout_render_escpos (layout, pdv_receipt_opens_drawer (receipt) &&
                                                   !(options != NULL && options->copy));
}

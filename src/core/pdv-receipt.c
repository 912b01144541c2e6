/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-receipt"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-db-private.h"
#include "pdv-escpos.h"
#include "pdv-receipt.h"
#include "pdv-sale.h"

typedef struct {
  char     *name;
  gint64    qty;
  PdvMoney  unit_price;
  PdvMoney  total;
} ReceiptItem;

typedef struct {
  PdvPaymentMethod  method;
  PdvMoney          amount;
  PdvMoney          tendered;
  PdvMoney          change;
  char             *reference;
} ReceiptPayment;

struct _PdvReceipt
{
  char      *sale_id;
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
  receipt->authorised_by = g_strdup (json_string_value (json_object_get (payload, "authorised_by")));

  receipt->created_at = g_date_time_new_from_iso8601 (created_at, NULL);
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
      g_array_append_val (receipt->payments, payment);
    }

  return g_steal_pointer (&receipt);

invalid:
  g_set_error (error, PDV_RECEIPT_ERROR, PDV_RECEIPT_ERROR_INVALID,
               _("Sale %s has no receipt: its journal entry is not a sale this version can read"), sale_id);
  return NULL;
}

/**
 * pdv_receipt_new_for_sale:
 * @sale_id: the id of a "sale" journal entry
 *
 * The receipt of a sale as it was made, with this terminal's names. A voided
 * or refunded sale's receipt is the original one.
 *
 * Returns: (transfer full): the receipt, or %NULL with @error set
 */
PdvReceipt *
pdv_receipt_new_for_sale (PdvJournal  *journal,
                          const char  *sale_id,
                          GError     **error)
{
  g_autofree char *created_at = NULL;
  g_autofree char *cashier = NULL;
  g_autofree char *payload_text = NULL;
  g_autofree char *event_name = NULL;
  g_autofree char *terminal_name = NULL;
  g_autoptr(json_t) payload = NULL;
  sqlite3_stmt *stmt;
  PdvDb *db;
  int rc;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (sale_id != NULL, NULL);

  db = pdv_journal_get_db (journal);
  stmt = pdv_db_prepare (db, "SELECT created_at, user_id, payload FROM journal "
                             "WHERE id = ? AND kind = '" PDV_ENTRY_SALE "'", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sale_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      cashier = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      payload_text = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  else if (rc != SQLITE_DONE)
    pdv_db_set_error (db, error, _("Reading the sale"));
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, PDV_RECEIPT_ERROR, PDV_RECEIPT_ERROR_UNKNOWN_SALE,
                 _("There is no sale %s on this terminal"), sale_id);
  if (rc != SQLITE_ROW)
    return NULL;

  payload = json_loads (payload_text, 0, NULL);
  if (payload == NULL)
    {
      g_set_error (error, PDV_RECEIPT_ERROR, PDV_RECEIPT_ERROR_INVALID,
                   _("Sale %s has no receipt: its journal entry is not a sale this version can read"),
                   sale_id);
      return NULL;
    }
  event_name = pdv_db_get_meta (db, "event_name");
  terminal_name = pdv_db_get_meta (db, "terminal_name");
  return pdv_receipt_new_from_payload (payload, sale_id, created_at, cashier, event_name, terminal_name,
                                       error);
}

void
pdv_receipt_free (PdvReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_free (receipt->sale_id);
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
 * Returns: whether the sale took cash, so the drawer must open for it
 */
gboolean
pdv_receipt_opens_drawer (PdvReceipt *receipt)
{
  g_return_val_if_fail (receipt != NULL, FALSE);

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
  g_autoptr(GDateTime) local = g_date_time_to_local (receipt->created_at);
  /* A Brazilian document: day first, whatever the terminal's locale. */
  g_autofree char *when = g_date_time_format (local, "%d/%m/%Y %H:%M");
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
  pdv_print_layout_add_rule (layout, '=');
  if (receipt->terminal_name != NULL)
    pdv_print_layout_add_pair (layout, 0, _("Terminal"), receipt->terminal_name, FALSE, FALSE);
  if (receipt->cashier != NULL)
    pdv_print_layout_add_pair (layout, 0, _("Operator"), receipt->cashier, FALSE, FALSE);
  pdv_print_layout_add_rule (layout, '-');

  for (guint i = 0; i < receipt->items->len; i++)
    {
      ReceiptItem *item = &g_array_index (receipt->items, ReceiptItem, i);
      g_autofree char *unit = format_amount (item->unit_price);
      g_autofree char *qty_unit = g_strdup_printf ("%" G_GINT64_FORMAT " x %s", item->qty, unit);

      pdv_print_layout_add_text (layout, item->name, 0, PDV_PRINT_ALIGN_LEFT, FALSE, 3);
      add_amount (layout, 2, qty_unit, item->total);
    }
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

      add_amount (layout, 0, pdv_payment_method_label (payment->method), payment->amount);
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

  pdv_print_layout_add_pair (layout, 0, _("Sale"), receipt->sale_id, FALSE, FALSE);
  pdv_print_layout_add_pair (layout, 0, _("Date"), when, FALSE, FALSE);

  if (footer[0] != NULL)
    pdv_print_layout_add_blank (layout);
  for (guint i = 0; footer[i] != NULL; i++)
    pdv_print_layout_add_text (layout, footer[i], 0, PDV_PRINT_ALIGN_CENTRE, FALSE, 0);
  if (options->copy)
    {
      pdv_print_layout_add_blank (layout);
      pdv_print_layout_add_text (layout, _("COPY"), 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
    }
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

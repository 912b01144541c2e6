/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-receipt"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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
};

typedef enum {
  ALIGN_LEFT,
  ALIGN_CENTRE,
} Alignment;

/* One printed line, laid out for the paper's columns. */
typedef struct {
  char      *text;
  Alignment  align;
  gboolean   bold;
  gboolean   tall;
} PrintLine;

typedef struct {
  GArray   *lines;    /* PrintLine */
  guint     columns;
  gboolean  cp860;    /* only what the printer's code page can show */
} Layout;

G_DEFINE_QUARK (pdv-receipt-error-quark, pdv_receipt_error)

#define ESC 0x1b
#define GS  0x1d

/* The letters of Portuguese in code page 860, which ESC/POS printers call
 * "PC860 (Portuguese)", character table 3. */
static const struct {
  gunichar c;
  guint8   byte;
} cp860_letters[] = {
  { 0x00E1, 0xA0 }, /* á */  { 0x00C1, 0x86 }, /* Á */
  { 0x00E0, 0x85 }, /* à */  { 0x00C0, 0x91 }, /* À */
  { 0x00E2, 0x83 }, /* â */  { 0x00C2, 0x8F }, /* Â */
  { 0x00E3, 0x84 }, /* ã */  { 0x00C3, 0x8E }, /* Ã */
  { 0x00E9, 0x82 }, /* é */  { 0x00C9, 0x90 }, /* É */
  { 0x00EA, 0x88 }, /* ê */  { 0x00CA, 0x89 }, /* Ê */
  { 0x00ED, 0xA1 }, /* í */  { 0x00CD, 0x8B }, /* Í */
  { 0x00F3, 0xA2 }, /* ó */  { 0x00D3, 0x9F }, /* Ó */
  { 0x00F4, 0x93 }, /* ô */  { 0x00D4, 0x8C }, /* Ô */
  { 0x00F5, 0x94 }, /* õ */  { 0x00D5, 0x99 }, /* Õ */
  { 0x00FA, 0xA3 }, /* ú */  { 0x00DA, 0x96 }, /* Ú */
  { 0x00FC, 0x81 }, /* ü */  { 0x00DC, 0x9A }, /* Ü */
  { 0x00E7, 0x87 }, /* ç */  { 0x00C7, 0x80 }, /* Ç */
  { 0x00BA, 0xA7 }, /* º */  { 0x00AA, 0xA6 }, /* ª */
};

static int
cp860_byte (gunichar c)
{
  if (c < 0x80)
    return (int) c;
  for (guint i = 0; i < G_N_ELEMENTS (cp860_letters); i++)
    if (cp860_letters[i].c == c)
      return cp860_letters[i].byte;
  return -1;
}

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

static void
clear_print_line (gpointer data)
{
  PrintLine *line = data;

  g_clear_pointer (&line->text, g_free);
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
      !get_money (payload, "total", TRUE, &receipt->total))
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
  stmt = pdv_db_prepare (db, "SELECT created_at, user_id, payload FROM journal WHERE id = ? AND kind = 'sale'",
                         error);
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

/* What a line may hold. No control characters: a product name must not be
 * able to send commands to the printer. For the printer, only characters its
 * code page has; the others are spelled in ASCII ("ä" → "a", "—" → "-")
 * before columns are counted, so that alignment survives. */
static char *
printable (Layout     *layout,
           const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *composed = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  GString *out = g_string_new (NULL);

  for (const char *p = composed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        g_string_append_c (out, ' ');
      else if (!layout->cp860 || cp860_byte (c) >= 0)
        g_string_append_unichar (out, c);
      else
        {
          char one[8] = { 0 };
          g_autofree char *ascii = NULL;

          g_unichar_to_utf8 (c, one);
          ascii = g_str_to_ascii (one, "pt_BR");
          g_string_append (out, ascii);
        }
    }
  return g_string_free (out, FALSE);
}

/* Splits printable @text into lines of at most @width characters: at spaces
 * where it can, after a hyphen in a word too long for a line, anywhere
 * otherwise. With @max_lines, the last line ends in "..." when something was
 * left out. */
static GPtrArray *
wrap (const char *text,
      guint       width,
      guint       max_lines)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  glong n = 0;
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (text, -1, &n);
  glong pos = 0;

  g_assert (width > 3);

  for (;;)
    {
      glong end = -1;
      glong next;

      while (pos < n && chars[pos] == ' ')
        pos++;
      if (pos >= n)
        break;

      if (n - pos <= (glong) width)
        end = next = n;
      else if (max_lines > 0 && lines->len + 1 == max_lines)
        {
          g_autofree char *start = NULL;

          end = pos + width - 3;
          while (end > pos && chars[end - 1] == ' ')
            end--;
          start = g_ucs4_to_utf8 (chars + pos, end - pos, NULL, NULL, NULL);
          g_ptr_array_add (lines, g_strconcat (start, "...", NULL));
          break;
        }
      else
        {
          for (glong i = pos + width; i > pos && end < 0; i--)
            if (chars[i] == ' ')
              end = i;
          for (glong i = pos + width - 1; i > pos && end < 0; i--)
            if (chars[i] == '-')
              end = i + 1;
          if (end < 0)
            end = pos + width;
          next = end;
        }

      while (end > pos && chars[end - 1] == ' ')
        end--;
      g_ptr_array_add (lines, g_ucs4_to_utf8 (chars + pos, end - pos, NULL, NULL, NULL));
      pos = next;
    }
  return lines;
}

static void
add_line (Layout    *layout,
          char      *text,
          Alignment  align,
          gboolean   bold,
          gboolean   tall)
{
  PrintLine line = { text, align, bold, tall };

  g_assert (g_utf8_strlen (text, -1) <= (glong) layout->columns);
  g_array_append_val (layout->lines, line);
}

static void
add_text (Layout     *layout,
          const char *text,
          guint       indent,
          Alignment   align,
          gboolean    bold,
          guint       max_lines)
{
  g_autofree char *clean = printable (layout, text);
  g_autoptr(GPtrArray) lines = wrap (clean, layout->columns - indent, max_lines);

  for (guint i = 0; i < lines->len; i++)
    add_line (layout, g_strdup_printf ("%*s%s", (int) indent, "", (const char *) lines->pdata[i]),
              align, bold, FALSE);
}

/* "label      value" across the line; the value on lines of its own below
 * the label when both do not fit. */
static void
add_pair (Layout     *layout,
          guint       indent,
          const char *label,
          const char *value,
          gboolean    bold,
          gboolean    tall)
{
  g_autofree char *left = printable (layout, label);
  g_autofree char *right = printable (layout, value);
  glong used = indent + g_utf8_strlen (left, -1) + g_utf8_strlen (right, -1);

  if (used < (glong) layout->columns)
    {
      add_line (layout, g_strdup_printf ("%*s%s%*s%s", (int) indent, "", left,
                                         (int) (layout->columns - used), "", right),
                ALIGN_LEFT, bold, tall);
      return;
    }
  add_text (layout, left, indent, ALIGN_LEFT, bold, 0);
  add_text (layout, right, indent + 2, ALIGN_LEFT, bold, 0);
}

static void
add_rule (Layout *layout,
          char    c)
{
  add_line (layout, g_strnfill (layout->columns, c), ALIGN_LEFT, FALSE, FALSE);
}

static void
add_amount (Layout     *layout,
            guint       indent,
            const char *label,
            PdvMoney    amount)
{
  g_autofree char *text = format_amount (amount);

  add_pair (layout, indent, label, text, FALSE, FALSE);
}

static void
layout_receipt (Layout                  *layout,
                PdvReceipt              *receipt,
                const PdvReceiptOptions *options,
                gboolean                 cp860)
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

  if (options == NULL)
    options = &defaults;
  header = options->header_lines ? options->header_lines : default_header;
  footer = options->footer_lines ? options->footer_lines : default_footer;

  layout->lines = g_array_new (FALSE, TRUE, sizeof (PrintLine));
  g_array_set_clear_func (layout->lines, clear_print_line);
  layout->columns = pdv_paper_width_get_columns (options->paper_width);
  layout->cp860 = cp860;

  for (guint i = 0; header[i] != NULL; i++)
    add_text (layout, header[i], 0, ALIGN_CENTRE, TRUE, 0);
  add_rule (layout, '=');
  if (receipt->terminal_name != NULL)
    add_pair (layout, 0, _("Terminal"), receipt->terminal_name, FALSE, FALSE);
  if (receipt->cashier != NULL)
    add_pair (layout, 0, _("Operator"), receipt->cashier, FALSE, FALSE);
  add_rule (layout, '-');

  for (guint i = 0; i < receipt->items->len; i++)
    {
      ReceiptItem *item = &g_array_index (receipt->items, ReceiptItem, i);
      g_autofree char *unit = format_amount (item->unit_price);
      g_autofree char *qty_unit = g_strdup_printf ("%" G_GINT64_FORMAT " x %s", item->qty, unit);

      add_text (layout, item->name, 0, ALIGN_LEFT, FALSE, 3);
      add_amount (layout, 2, qty_unit, item->total);
    }
  add_rule (layout, '-');

  add_pair (layout, 0, _("TOTAL"), total, TRUE, TRUE);
  add_rule (layout, '-');

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
        add_pair (layout, 2, reference_label (payment->method), payment->reference, FALSE, FALSE);
    }
  if (receipt->authorised_by != NULL)
    add_pair (layout, 0, _("Authorised by"), receipt->authorised_by, FALSE, FALSE);
  add_rule (layout, '-');

  add_pair (layout, 0, _("Sale"), receipt->sale_id, FALSE, FALSE);
  add_pair (layout, 0, _("Date"), when, FALSE, FALSE);

  if (footer[0] != NULL)
    add_line (layout, g_strdup (""), ALIGN_LEFT, FALSE, FALSE);
  for (guint i = 0; footer[i] != NULL; i++)
    add_text (layout, footer[i], 0, ALIGN_CENTRE, FALSE, 0);
}

/* The line without its trailing blanks: the paper does not need them. */
static gsize
visible_length (const char *text)
{
  gsize len = strlen (text);

  while (len > 0 && text[len - 1] == ' ')
    len--;
  return len;
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
  Layout layout = { 0 };
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (receipt != NULL, NULL);

  layout_receipt (&layout, receipt, options, FALSE);
  for (guint i = 0; i < layout.lines->len; i++)
    {
      PrintLine *line = &g_array_index (layout.lines, PrintLine, i);
      glong width = g_utf8_strlen (line->text, -1);

      if (line->align == ALIGN_CENTRE)
        for (glong pad = ((glong) layout.columns - width) / 2; pad > 0; pad--)
          g_string_append_c (out, ' ');
      g_string_append_len (out, line->text, visible_length (line->text));
      g_string_append_c (out, '\n');
    }
  g_array_unref (layout.lines);
  return g_string_free (out, FALSE);
}

static void
append_command (GByteArray *out,
                guint8      a,
                guint8      b,
                guint8      n)
{
  const guint8 command[] = { a, b, n };

  g_byte_array_append (out, command, sizeof command);
}

/**
 * pdv_receipt_render_escpos:
 * @options: (nullable): paper width, header and footer
 *
 * The receipt as ESC/POS commands for a thermal printer on a raw queue:
 * code page 860, the total in bold at double height, a partial cut, and a
 * pulse that opens the cash drawer when the sale took cash.
 *
 * Returns: (transfer full): the bytes to send to the printer
 */
GBytes *
pdv_receipt_render_escpos (PdvReceipt              *receipt,
                           const PdvReceiptOptions *options)
{
  static const guint8 init[] = { ESC, '@' };
  static const guint8 drawer_pulse[] = { ESC, 'p', 0, 25, 250 };
  static const guint8 partial_cut[] = { GS, 'V', 66, 0 };
  Layout layout = { 0 };
  GByteArray *out = g_byte_array_new ();
  Alignment align = ALIGN_LEFT;
  gboolean bold = FALSE;
  gboolean tall = FALSE;

  g_return_val_if_fail (receipt != NULL, NULL);

  layout_receipt (&layout, receipt, options, TRUE);

  g_byte_array_append (out, init, sizeof init);
  append_command (out, ESC, 't', 3);
  /* First, so that the drawer is open by the time the receipt is out. */
  if (pdv_receipt_opens_drawer (receipt))
    g_byte_array_append (out, drawer_pulse, sizeof drawer_pulse);

  for (guint i = 0; i < layout.lines->len; i++)
    {
      PrintLine *line = &g_array_index (layout.lines, PrintLine, i);
      gsize len = visible_length (line->text);

      if (line->align != align)
        append_command (out, ESC, 'a', line->align == ALIGN_CENTRE ? 1 : 0);
      if (line->bold != bold)
        append_command (out, ESC, 'E', line->bold ? 1 : 0);
      /* Double height only: at double width the total would not fit on 58 mm. */
      if (line->tall != tall)
        append_command (out, GS, '!', line->tall ? 0x01 : 0x00);
      align = line->align;
      bold = line->bold;
      tall = line->tall;

      for (const char *p = line->text; p < line->text + len; p = g_utf8_next_char (p))
        {
          int byte = cp860_byte (g_utf8_get_char (p));
          guint8 c = byte >= 0 ? (guint8) byte : '?';

          g_byte_array_append (out, &c, 1);
        }
      g_byte_array_append (out, (const guint8 *) "\n", 1);
    }

  g_byte_array_append (out, partial_cut, sizeof partial_cut);
  g_array_unref (layout.lines);
  return g_byte_array_free_to_bytes (out);
}

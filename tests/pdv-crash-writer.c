/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes to the terminal as a busy bar and door would, until killed: in
 * turn a cash sale, a check-in and a stock adjustment. After each write it
 * reports the entry's seq on stdout; once the line is written the entry
 * must survive anything.
 *
 * With "payments", a till taking split payments instead: each sale takes a
 * card and a PIX payment on their own, then the rest in cash. It reports
 * "paid ID" once a payment is journalled and "sold SEQ" once a sale is; a
 * sale left open by the last writer is finished first, as the app reopens
 * it on its next start. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pdv-core.h"

/* Inside the demo event's validity window, so that check-ins are admitted. */
#define DOOR_TIME "2026-12-12T22:00:00-03:00"

static char **
read_ticket_secrets (const char  *demo_dir,
                     GError     **error)
{
  g_autofree char *path = g_build_filename (demo_dir, "tickets.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) secrets = g_strv_builder_new ();

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  /* id,secret,… after a header line */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", 3);

      if (g_strv_length (fields) >= 2)
        g_strv_builder_add (secrets, fields[1]);
    }
  return g_strv_builder_end (secrets);
}

static gint64
write_sale (PdvContext  *context,
            const char  *product,
            GError     **error)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  PdvMoney total;

  pdv_sale_draft_add_line (draft, product, 1);
  if (!pdv_sale_draft_total (draft, pdv_context_get_catalog (context), &total, error))
    return 0;
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total, total + 800, NULL);
  result = pdv_sale_commit (pdv_context_get_journal (context), pdv_context_get_catalog (context),
                            draft, "crash", NULL, error);
  return result != NULL ? result->seq : 0;
}

static gint64
write_checkin (PdvCheckin  *checkin,
               const char  *secret,
               GError     **error)
{
  g_autoptr(PdvCheckinResult) result = pdv_checkin_validate (checkin, secret, -1, PDV_SCAN_WEDGE, error);

  return result != NULL ? result->seq : 0;
}

/* A restock of one, so that the sales never run the product out. */
static gint64
write_stock_adjust (PdvContext  *context,
                    const char  *product,
                    GError     **error)
{
  g_autoptr(PdvJournalEntry) entry = NULL;
  json_t *payload = json_pack ("{s:[{s:s, s:i}], s:s}", "items", "product", product, "delta", 1,
                               "reason", "crash test");

  entry = pdv_journal_append (pdv_context_get_journal (context), "stock.adjust", "crash", payload, error);
  json_decref (payload);
  return entry != NULL ? entry->seq : 0;
}

static gboolean
report (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static gboolean
report (const char *format,
        ...)
{
  g_autofree char *line = NULL;
  va_list args;
  size_t len;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  len = strlen (line);
  return write (STDOUT_FILENO, line, len) == (ssize_t) len;
}

static gboolean
finish_sale (PdvContext    *context,
             PdvSaleDraft  *draft,
             GError       **error)
{
  g_autoptr(PdvSaleResult) result = NULL;
  PdvMoney total;

  if (!pdv_sale_draft_total (draft, pdv_context_get_catalog (context), &total, error))
    return FALSE;
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total - pdv_sale_draft_get_paid (draft), 0, NULL);
  result = pdv_sale_commit (pdv_context_get_journal (context), pdv_context_get_catalog (context),
                            draft, "crash", NULL, error);
  return result != NULL && report ("sold %" G_GINT64_FORMAT "\n", result->seq);
}

static gboolean
take (PdvContext        *context,
      PdvSaleDraft      *draft,
      PdvPaymentMethod   method,
      GError           **error)
{
  const GArray *payments;

  if (!pdv_sale_take_payment (pdv_context_get_journal (context), pdv_context_get_catalog (context), draft,
                              method, method == PDV_PAYMENT_CARD ? PDV_CARD_CREDIT : PDV_CARD_UNSPECIFIED, 100, 0, NULL,
                              "crash", NULL, error))
    return FALSE;
  payments = pdv_sale_draft_get_payments (draft);
  return report ("paid %s\n", g_array_index (payments, PdvPayment, payments->len - 1).id);
}

static int
take_split_payments (PdvContext *context,
                     const char *product)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = pdv_open_sales_list (pdv_context_get_db (context), &error);

  for (guint i = 0; open != NULL && i < open->len; i++)
    if (!finish_sale (context, ((PdvOpenSale *) g_ptr_array_index (open, i))->draft, &error))
      break;
  while (error == NULL)
    {
      g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();

      pdv_sale_draft_add_line (draft, product, 1);
      if (!take (context, draft, PDV_PAYMENT_CARD, &error) || !take (context, draft, PDV_PAYMENT_PIX, &error))
        break;
      finish_sale (context, draft, &error);
    }
  g_printerr ("%s\n", error != NULL ? error->message : "no entry written");
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  g_autoptr(GDateTime) door_time = NULL;
  g_auto(GStrv) secrets = NULL;
  g_autofree char *demo_dir = pdv_demo_dir ();
  const char *product;
  guint n_secrets;
  guint64 n;

  if (argc != 3 && !(argc == 4 && g_str_equal (argv[3], "payments")))
    {
      g_printerr ("usage: %s DB PRODUCT [payments]\n", argv[0]);
      return 2;
    }
  product = argv[2];
  context = pdv_context_open (argv[1], &error);
  if (context != NULL && argc == 4)
    return take_split_payments (context, product);
  secrets = context != NULL ? read_ticket_secrets (demo_dir, &error) : NULL;
  if (secrets == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  n_secrets = g_strv_length (secrets);
  g_assert (n_secrets > 0);

  checkin = pdv_checkin_new (pdv_context_get_journal (context));
  pdv_checkin_set_gate (checkin, "Crash gate");
  pdv_checkin_set_user (checkin, "crash");
  door_time = g_date_time_new_from_iso8601 (DOOR_TIME, NULL);
  pdv_clock_set_time (pdv_context_get_clock (context), door_time);

  /* Carries on where the last writer was killed, so each kind keeps its turn
   * and each ticket is scanned once. */
  for (n = pdv_journal_get_last_seq (pdv_context_get_journal (context));; n++)
    {
      gint64 seq;
      char line[32];
      int len;

      switch (n % 3)
        {
        case 0:
          seq = write_sale (context, product, &error);
          break;
        case 1:
          seq = write_checkin (checkin, secrets[(n / 3) % n_secrets], &error);
          break;
        default:
          seq = write_stock_adjust (context, product, &error);
          break;
        }
      if (seq <= 0)
        {
          g_printerr ("%s\n", error != NULL ? error->message : "no entry written");
          return 1;
        }
      len = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT "\n", seq);
      if (write (STDOUT_FILENO, line, len) != len)
        return 1;
    }
}

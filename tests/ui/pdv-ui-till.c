/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The terminal's window on a database, selling as a cashier would through
 * its screens until killed: each sale is paid by card on credit, by card on
 * debit, then the rest in cash, in the payment window. It reports "paid ID"
 * once the window journalled a payment and "sold SEQ" once the sale is; a
 * sale left open by the last till is the one the window reopens on start,
 * and is finished first.
 *
 * usage: pdv-ui-till DB PRODUCT (under an X server, with the UI tests'
 * environment) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "pdv-application.h"
#include "pdv-payment-window-private.h"
#include "pdv-sell-page-private.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

static void
report (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static void
report (const char *format,
        ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  /* Once the line is out, what it names must survive the kill. */
  fflush (stdout);
}

static void
activate (gpointer    widget,
          const char *action_name,
          GVariant   *parameter)
{
  if (!gtk_widget_activate_action_variant (GTK_WIDGET (widget), action_name, parameter))
    g_error ("%s could not be activated", action_name);
}

/* A card payment of R$ 1,00, as the card machine took it. */
static void
take_card (PdvPaymentWindow *payment,
           PdvJournal       *journal,
           const char       *kind)
{
  guint before = pdv_payment_window_count_payments (payment);
  g_autoptr(PdvJournalEntry) entry = NULL;

  activate (payment, "payment.method", g_variant_new_string ("card"));
  pdv_payment_window_type_amount (payment, "1,00");
  activate (payment, "payment.confirm-card", g_variant_new_string (kind));
  if (pdv_payment_window_count_payments (payment) != before + 1)
    g_error ("the %s payment was not taken: %s", kind, pdv_payment_window_get_error_text (payment));
  entry = pdv_test_journal_last_entry (journal);
  g_assert_cmpstr (entry->kind, ==, PDV_ENTRY_PAYMENT_TAKEN);
  report ("paid %s\n", json_string_value (json_object_get (json_object_get (entry->payload, "payment"), "id")));
}

/* The rest in cash, exact; the window closes on the sale. */
static void
finish_in_cash (PdvPaymentWindow *payment,
                PdvJournal       *journal)
{
  PdvPaymentWindow *weak = payment;
  g_autoptr(PdvJournalEntry) entry = NULL;

  g_object_add_weak_pointer (G_OBJECT (payment), (gpointer *) &weak);
  activate (payment, "payment.method", g_variant_new_string ("cash"));
  activate (payment, "payment.cash-exact", NULL);
  activate (payment, "payment.confirm", NULL);
  pdv_ui_test_wait_until (weak == NULL, 60);
  entry = pdv_test_journal_last_entry (journal);
  g_assert_cmpstr (entry->kind, ==, PDV_ENTRY_SALE);
  report ("sold %" G_GINT64_FORMAT "\n", entry->seq);
}

static PdvPaymentWindow *
wait_for_payment (PdvWindow   *window,
                  PdvSellPage *sell_page)
{
  PdvPaymentWindow *payment;

  pdv_ui_test_wait_until (pdv_sell_page_get_payment_window (sell_page) != NULL, 60);
  payment = pdv_sell_page_get_payment_window (sell_page);
  pdv_ui_test_wait_for_dialog (GTK_WINDOW (payment), GTK_WINDOW (window));
  return payment;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PdvApplication) application = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GError) error = NULL;
  PdvJournal *journal;
  PdvWindow *window;
  PdvSellPage *sell_page;

  if (argc != 3)
    {
      g_printerr ("usage: %s DB PRODUCT\n", argv[0]);
      return 2;
    }
  /* Not a test program: standard output is for what the till did only. */
  pdv_i18n_init ();
  application = pdv_ui_test_init_application (FALSE);
  context = pdv_context_open (argv[1], &error);
  if (context == NULL)
    g_error ("%s", error->message);
  journal = pdv_context_get_journal (context);

  window = pdv_window_new (GTK_APPLICATION (application), context);
  sell_page = PDV_SELL_PAGE (pdv_window_get_page (window, "sell"));
  gtk_window_present (GTK_WINDOW (window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (window));

  /* The sale the last till was killed in: the window reopened it. */
  if (pdv_open_sales_count (pdv_context_get_db (context), &error) > 0)
    finish_in_cash (wait_for_payment (window, sell_page), journal);
  g_assert_no_error (error);

  for (;;)
    {
      PdvPaymentWindow *payment;

      pdv_ui_test_wait_until (pdv_sell_page_get_payment_window (sell_page) == NULL, 60);
      if (!pdv_sell_page_tap_product (sell_page, argv[2]))
        g_error ("%s could not be tapped", argv[2]);
      activate (sell_page, "sell.pay", NULL);
      payment = wait_for_payment (window, sell_page);
      take_card (payment, journal, "credit");
      take_card (payment, journal, "debit");
      finish_in_cash (payment, journal);
    }
  return 1;
}

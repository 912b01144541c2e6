/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sales-history"

#include "config.h"

#include <string.h>

#include "pdv-amount-entry.h"
#include "pdv-application.h"
#include "pdv-core.h"
#include "pdv-login-page.h"
#include "pdv-sales-history.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* The recent sales window over the terminal's: a cashier finds a sale,
 * voids one and refunds part of another with a manager's PIN, and the
 * journal says who did what and who allowed it. */

static PdvApplication *application;

typedef struct {
  int      width;
  int      height;
  gboolean require_login;
} ScreenSize;

static const ScreenSize screen_sizes[] = {
  { 1366, 768, TRUE },
  { 1024, 600, TRUE },
};

/* A terminal where nobody logs in. */
static const ScreenSize no_login = { 1366, 768, FALSE };

typedef struct {
  char            *tmp_dir;
  PdvContext      *context;
  PdvJournal      *journal;
  PdvSettings     *settings;
  PdvWindow       *window;
  PdvSalesHistory *history;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const ScreenSize *size = user_data != NULL ? user_data : &screen_sizes[0];

  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);
  fixture->journal = pdv_context_get_journal (fixture->context);

  fixture->settings = pdv_application_get_settings (application);
  g_object_set (fixture->settings, "lock-timeout", 0u, NULL);
  fixture->window = pdv_ui_test_new_window (application, fixture->context, size->require_login);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), size->width, size->height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->history != NULL)
    pdv_ui_test_destroy_window (GTK_WINDOW (fixture->history));
  pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_assert_true (pdv_journal_verify (fixture->journal, NULL, NULL, NULL));
  g_assert_finalize_object (fixture->context);

  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

/* Sells @qty of @product_id to @user through the core, as the sell page does. */
static char *
sell (Fixture          *fixture,
      const char       *user,
      const char       *product_id,
      gint64            qty,
      PdvPaymentMethod  method)
{
  PdvCatalog *catalog = pdv_context_get_catalog (fixture->context);
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pdv_sale_draft_add_line (draft, product_id, qty);
  pdv_sale_draft_add_payment (draft, method, qty * pdv_test_price_of (catalog, product_id), 0,
                              method == PDV_PAYMENT_CARD ? "AUTH-42" : NULL);
  result = pdv_sale_commit (fixture->journal, catalog, draft, user, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (result->sale_id);
}

static PdvSalesHistory *
find_history (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (PDV_IS_SALES_HISTORY (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
wait_until_listed (PdvSalesHistory *history)
{
  pdv_ui_test_wait_until (!pdv_sales_history_get_loading (history), 10);
  pdv_ui_test_settle ();
}

/* Opens the window the way the menu item and F9 do. */
static PdvSalesHistory *
open_history (Fixture *fixture)
{
  g_assert_null (find_history ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.recent-sales", NULL));
  pdv_ui_test_settle ();
  fixture->history = find_history ();
  pdv_ui_test_wait_for_dialog (GTK_WINDOW (fixture->history), GTK_WINDOW (fixture->window));
  wait_until_listed (fixture->history);
  return fixture->history;
}

static void
activate (gpointer    widget,
          const char *action_name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (widget), action_name, NULL));
  pdv_ui_test_settle ();
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
action_enabled (PdvSalesHistory *history,
                const char      *action_name)
{
  GtkWidget *button = pdv_ui_test_find_action_button (GTK_WIDGET (history), action_name);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static AdwMessageDialog *
wait_for_dialog (PdvSalesHistory *history)
{
  AdwMessageDialog *dialog = pdv_sales_history_get_dialog (history);

  g_assert_nonnull (dialog);
  pdv_ui_test_wait_for_window (GTK_WIDGET (dialog));
  return dialog;
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Taps the dialog's button for @response, labelled @label. */
static void
respond (PdvSalesHistory  *history,
         AdwMessageDialog *dialog,
         const char       *response,
         const char       *label)
{
  GtkWidget *button = find_button_labelled (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  pdv_ui_test_wait_until (pdv_sales_history_get_dialog (history) == NULL, 10);
  pdv_ui_test_settle ();
}

/* Types @pin into the window's manager prompt: TRUE when it was accepted. */
static gboolean
submit_pin (PdvSalesHistory *history,
            const char      *pin)
{
  return pdv_ui_test_submit_manager_pin (pdv_sales_history_get_manager_prompt (history), pin);
}

/* The last @n journal entries, oldest first. */
static GPtrArray *
last_entries (Fixture *fixture,
              guint    n)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = pdv_journal_list (fixture->journal, pdv_journal_get_last_seq (fixture->journal) - n, n,
                                         &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, n);
  return entries;
}

static const char *
payload_string (PdvJournalEntry *entry,
                const char      *key)
{
  return json_string_value (json_object_get (entry->payload, key));
}

static void
screenshot (gpointer    window,
            const char *name,
            int         width)
{
  g_autofree char *file_name = g_strdup_printf ("%s-%d", name, width);

  g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (window), file_name));
}

static GtkWidget *
find_of_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_search (PdvSalesHistory *history,
            const char      *text)
{
  GtkWidget *search = find_of_type (GTK_WIDGET (history), GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), text);
  /* The search entry waits a moment for more keys before it searches. */
  pdv_ui_test_run_main_loop_for (400);
  wait_until_listed (history);
}

/* Tab, from nothing focused, reaches each of @targets (or a widget inside). */
static void
assert_tab_reaches (GtkWindow         *window,
                    GtkWidget * const *targets)
{
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  GtkWidget *first = NULL;

  gtk_window_set_focus (window, NULL);
  for (guint i = 0; i < 200; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        break;
      pdv_ui_test_run_main_loop_for (10);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus == NULL || focus == first)
        break;
      if (first == NULL)
        first = focus;
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        g_hash_table_add (reached, w);
    }
  for (guint i = 0; targets[i] != NULL; i++)
    if (!g_hash_table_contains (reached, targets[i]))
      g_test_fail_printf ("Tab never reaches a %s", G_OBJECT_TYPE_NAME (targets[i]));
}

static void
test_void_and_refund (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const ScreenSize *size = user_data;
  PdvCatalog *catalog = pdv_context_get_catalog (fixture->context);
  g_autofree char *water = NULL;
  g_autofree char *mojito = NULL;
  g_autofree char *beers = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  PdvSalesHistory *history;
  AdwMessageDialog *dialog;
  GtkWidget *row;
  GtkWidget *amount_entry;
  PdvMoney amount = 0;
  gint64 last_seq;
  gint64 water_stock;

  /* Locked, nobody may look at the sales. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.recent-sales", NULL);
  pdv_ui_test_settle ();
  g_assert_null (find_history ());

  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  water = sell (fixture, "ana", "SA-AGUA-500", 2, PDV_PAYMENT_CASH);
  mojito = sell (fixture, "ana", "DRK-MOJITO", 1, PDV_PAYMENT_CARD);
  beers = sell (fixture, "ana", "CERV-LATAO-473", 3, PDV_PAYMENT_PIX);
  water_stock = pdv_test_stock_of (catalog, "SA-AGUA-500");

  /* The newest sale first, and shown. */
  history = open_history (fixture);
  g_assert_cmpuint (pdv_sales_history_get_n_sales (history), ==, 3);
  g_assert_cmpstr (pdv_sales_history_get_selected_sale (history), ==, beers);
  g_assert_true (gtk_list_box_row_get_index (pdv_sales_history_get_row (history, beers)) == 0);
  g_assert_true (gtk_list_box_row_get_index (pdv_sales_history_get_row (history, water)) == 2);
  g_assert_nonnull (find_label (GTK_WIDGET (history), "3× Cerveja Latão 473 ml"));
  g_assert_true (action_enabled (history, "history.void"));
  g_assert_true (action_enabled (history, "history.refund"));
  g_assert_true (action_enabled (history, "history.reprint"));
  screenshot (history, "sales-history-list", size->width);
  g_assert_cmpuint (pdv_ui_test_assert_buttons_named (GTK_WIDGET (history), "recent sales"), >=, 4);
  pdv_ui_test_assert_fully_shown (GTK_WIDGET (history),
                                  pdv_ui_test_find_action_button (GTK_WIDGET (history), "history.void"),
                                  "the Void button");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (history)), <=, size->width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (history)), <=, size->height);
  {
    /* The list is one stop: its selected row, and the arrows inside. */
    GtkWidget *targets[] = {
      find_of_type (GTK_WIDGET (history), GTK_TYPE_SEARCH_ENTRY),
      GTK_WIDGET (pdv_sales_history_get_row (history, beers)),
      pdv_ui_test_find_action_button (GTK_WIDGET (history), "history.reprint"),
      pdv_ui_test_find_action_button (GTK_WIDGET (history), "history.refund"),
      pdv_ui_test_find_action_button (GTK_WIDGET (history), "history.void"),
      NULL,
    };

    assert_tab_reaches (GTK_WINDOW (history), targets);
  }

  /* The search: a product's name, then every sale again. */
  set_search (history, "mojito");
  g_assert_cmpuint (pdv_sales_history_get_n_sales (history), ==, 1);
  g_assert_nonnull (pdv_sales_history_get_row (history, mojito));
  set_search (history, "");
  g_assert_cmpuint (pdv_sales_history_get_n_sales (history), ==, 3);

  /* A reprint goes to the terminal's printer. */
  g_assert_cmpuint (pdv_window_get_n_printing (fixture->window), ==, 0);
  activate (history, "history.reprint");
  g_assert_cmpuint (pdv_window_get_n_printing (fixture->window) + (pdv_window_get_last_print_error (fixture->window) != NULL), >=, 1);

  /* The water was the wrong order: void it, which a cashier may not alone. */
  g_assert_true (pdv_sales_history_select_sale (history, water));
  pdv_ui_test_settle ();
  g_assert_cmpstr (pdv_sales_history_get_selected_sale (history), ==, water);
  activate (history, "history.void");
  dialog = wait_for_dialog (history);
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (dialog), "reason-entry")), "wrong order");
  screenshot (dialog, "sales-history-void-dialog", size->width);
  pdv_ui_test_assert_buttons_named (GTK_WIDGET (dialog), "void dialog");
  last_seq = pdv_journal_get_last_seq (fixture->journal);
  respond (history, dialog, "void", "_Void Sale");
  g_assert_nonnull (pdv_sales_history_get_manager_prompt (history));
  g_assert_cmpint (pdv_manager_prompt_get_permission (pdv_sales_history_get_manager_prompt (history)), ==,
                   PDV_PERMISSION_VOID);
  pdv_ui_test_wait_for_window (GTK_WIDGET (pdv_sales_history_get_manager_prompt (history)));
  screenshot (pdv_sales_history_get_manager_prompt (history), "sales-history-void-prompt", size->width);

  /* A cashier's PIN is refused: no void and no override, only the failed
   * attempt, which counts towards locking the overrides out. */
  g_assert_false (submit_pin (history, "1111"));
  g_assert_nonnull (pdv_manager_prompt_get_error_text (pdv_sales_history_get_manager_prompt (history)));
  if (pdv_journal_get_last_seq (fixture->journal) != last_seq)
    {
      entries = last_entries (fixture, pdv_journal_get_last_seq (fixture->journal) - last_seq);
      for (guint i = 0; i < entries->len; i++)
        g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[i])->kind, ==, "auth.failed");
      g_clear_pointer (&entries, g_ptr_array_unref);
      last_seq = pdv_journal_get_last_seq (fixture->journal);
    }
  row = GTK_WIDGET (pdv_sales_history_get_row (history, water));
  g_assert_null (find_label (row, "Voided"));
  screenshot (pdv_sales_history_get_manager_prompt (history), "sales-history-void-prompt-refused", size->width);

  /* The manager's: the override and the void, both users in the journal. */
  g_assert_true (submit_pin (history, "9090"));
  g_assert_null (pdv_sales_history_get_error_text (history));
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, last_seq + 2);
  entries = last_entries (fixture, 2);
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[0])->kind, ==, "auth.override");
  g_assert_cmpstr (payload_string (entries->pdata[0], "action"), ==, "void");
  g_assert_cmpstr (payload_string (entries->pdata[0], "operator"), ==, "ana");
  g_assert_cmpstr (payload_string (entries->pdata[0], "authoriser"), ==, "fernanda");
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[1])->kind, ==, "sale.void");
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[1])->user, ==, "ana");
  g_assert_cmpstr (payload_string (entries->pdata[1], "authorised_by"), ==, "fernanda");
  g_assert_cmpstr (payload_string (entries->pdata[1], "sale_id"), ==, water);
  g_assert_cmpstr (payload_string (entries->pdata[1], "reason"), ==, "wrong order");
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_assert_cmpint (pdv_test_stock_of (catalog, "SA-AGUA-500"), ==, water_stock + 2);

  /* It was paid in cash: the drawer opens to give it back (or, with no
   * printer to open it, says to use the key), with the amount. */
  {
    PdvDrawerOpener *opener = pdv_window_get_drawer_opener (fixture->window);
    g_autofree char *paid = pdv_money_format (2 * pdv_test_price_of (catalog, "SA-AGUA-500"));

    pdv_ui_test_wait_until (pdv_drawer_opener_get_last_message (opener) != NULL &&
                            pdv_drawer_opener_get_n_printing (opener) == 0, 20);
    g_assert_nonnull (strstr (pdv_drawer_opener_get_last_message (opener), paid));
  }

  /* The row says so, the sale stays shown, and it cannot be voided twice. */
  wait_until_listed (history);
  row = GTK_WIDGET (pdv_sales_history_get_row (history, water));
  g_assert_nonnull (row);
  g_assert_nonnull (find_label (row, "Voided"));
  g_assert_cmpstr (pdv_sales_history_get_selected_sale (history), ==, water);
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));
  g_assert_false (action_enabled (history, "history.void"));
  g_assert_false (action_enabled (history, "history.refund"));
  g_assert_false (action_enabled (history, "history.reprint"));
  screenshot (history, "sales-history-after-void", size->width);

  /* Part of the mojito goes back on the card. */
  g_assert_true (pdv_sales_history_select_sale (history, mojito));
  pdv_ui_test_settle ();
  activate (history, "history.refund");
  dialog = wait_for_dialog (history);
  amount_entry = find_named (GTK_WIDGET (dialog), "amount-entry");
  g_assert_nonnull (amount_entry);
  /* What is left, to start with. */
  g_assert_true (pdv_amount_entry_parse (GTK_EDITABLE (amount_entry), &amount, &error));
  g_assert_no_error (error);
  g_assert_cmpint (amount, ==, 3000);
  /* The sale was paid by card: the card is chosen. */
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_named (GTK_WIDGET (dialog), "method-card"))));
  /* More than the sale is refused before it gets anywhere. */
  gtk_editable_set_text (GTK_EDITABLE (amount_entry), "31,00");
  pdv_ui_test_settle ();
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "refund"));
  g_assert_true (gtk_widget_get_visible (find_named (GTK_WIDGET (dialog), "amount-hint")));
  screenshot (dialog, "sales-history-refund-dialog-too-much", size->width);
  gtk_editable_set_text (GTK_EDITABLE (amount_entry), "12,50");
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (dialog), "reason-entry")), "too much ice");
  pdv_ui_test_settle ();
  g_assert_false (gtk_widget_get_visible (find_named (GTK_WIDGET (dialog), "amount-hint")));
  screenshot (dialog, "sales-history-refund-dialog", size->width);
  pdv_ui_test_assert_buttons_named (GTK_WIDGET (dialog), "refund dialog");
  last_seq = pdv_journal_get_last_seq (fixture->journal);
  respond (history, dialog, "refund", "_Refund");
  g_assert_cmpint (pdv_manager_prompt_get_permission (pdv_sales_history_get_manager_prompt (history)), ==,
                   PDV_PERMISSION_REFUND);
  g_assert_true (submit_pin (history, "8080"));
  g_assert_null (pdv_sales_history_get_error_text (history));
  entries = last_entries (fixture, 2);
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, last_seq + 2);
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[0])->kind, ==, "auth.override");
  g_assert_cmpstr (payload_string (entries->pdata[0], "authoriser"), ==, "gustavo");
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[1])->kind, ==, "sale.refund");
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[1])->user, ==, "ana");
  g_assert_cmpstr (payload_string (entries->pdata[1], "authorised_by"), ==, "gustavo");
  g_assert_cmpstr (payload_string (entries->pdata[1], "method"), ==, "card");
  g_assert_cmpstr (payload_string (entries->pdata[1], "reason"), ==, "too much ice");
  g_assert_cmpint (json_integer_value (json_object_get (((PdvJournalEntry *) entries->pdata[1])->payload, "amount")),
                   ==, 1250);

  wait_until_listed (history);
  row = GTK_WIDGET (pdv_sales_history_get_row (history, mojito));
  {
    g_autofree char *refunded = pdv_money_format (1250);
    g_autofree char *badge = g_strdup_printf ("Refunded %s", refunded);

    g_assert_nonnull (find_label (row, badge));
  }
  /* The rest can still go back; a void no longer can. */
  g_assert_true (action_enabled (history, "history.refund"));
  g_assert_false (action_enabled (history, "history.void"));
  g_assert_true (action_enabled (history, "history.reprint"));
  screenshot (history, "sales-history-after-refund", size->width);

  /* Its receipt on screen is the copy a reprint prints: marked, with the
   * refund. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWindow *preview = NULL;
    GtkLabel *text;

    activate (history, "history.show-receipt");
    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && preview == NULL; i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (g_object_get_data (G_OBJECT (toplevel), "pdv-receipt-text") != NULL)
          preview = toplevel;
      }
    g_assert_nonnull (preview);
    pdv_ui_test_wait_for_dialog (preview, GTK_WINDOW (history));
    text = g_object_get_data (G_OBJECT (preview), "pdv-receipt-text");
    g_assert_nonnull (strstr (gtk_label_get_text (text), "COPY"));
    g_assert_nonnull (strstr (gtk_label_get_text (text), "Refund"));
    g_assert_nonnull (strstr (gtk_label_get_text (text), "NOT A FISCAL DOCUMENT"));
    if (size->width == 1366)
      g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (preview), "receipt-copy"));
    pdv_ui_test_destroy_window (preview);
  }

  /* The third sale was never touched. */
  g_assert_null (find_label (GTK_WIDGET (pdv_sales_history_get_row (history, beers)), "Voided"));
}

/* A manager at the terminal voids without anyone's PIN, and no override is
 * journalled; Cancel leaves the sale alone. */
static void
test_manager_voids (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *sale = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  PdvSalesHistory *history;
  AdwMessageDialog *dialog;
  gint64 last_seq;

  pdv_ui_test_log_in (fixture->window, "fernanda", "9090");
  sale = sell (fixture, "ana", "CERV-LATA-350", 1, PDV_PAYMENT_CASH);
  history = open_history (fixture);
  g_assert_cmpstr (pdv_sales_history_get_selected_sale (history), ==, sale);
  last_seq = pdv_journal_get_last_seq (fixture->journal);

  activate (history, "history.void");
  respond (history, wait_for_dialog (history), "cancel", "_Keep Sale");
  g_assert_null (pdv_sales_history_get_manager_prompt (history));
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, last_seq);

  activate (history, "history.void");
  dialog = wait_for_dialog (history);
  respond (history, dialog, "void", "_Void Sale");
  g_assert_null (pdv_sales_history_get_manager_prompt (history));
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), ==, last_seq + 1);
  entries = last_entries (fixture, 1);
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[0])->kind, ==, "sale.void");
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[0])->user, ==, "fernanda");
  g_assert_cmpstr (payload_string (entries->pdata[0], "authorised_by"), ==, "fernanda");
  wait_until_listed (history);
  g_assert_nonnull (find_label (GTK_WIDGET (pdv_sales_history_get_row (history, sale)), "Voided"));
}

/* A customer lost the fichas of a sale: the cashier prints them again
 * from the sale, a manager allowing it; journalled, sent to the printer.
 * A sale without fichas offers nothing of the kind. */
static void
test_reprint_fichas (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *water = NULL;
  g_autofree char *cans = NULL;
  g_autoptr(json_t) fichas = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  PdvSalesHistory *history;
  gint64 last_seq;

  pdv_ui_test_log_in (fixture->window, "ana", "1111");
  water = sell (fixture, "ana", "SA-AGUA-500", 1, PDV_PAYMENT_CASH);
  fichas = pdv_test_sell_fichas (fixture->context, "CERV-LATA-350", 3, &cans);
  history = open_history (fixture);
  g_assert_cmpstr (pdv_sales_history_get_selected_sale (history), ==, cans);
  g_assert_true (action_enabled (history, "history.reprint-fichas"));
  screenshot (history, "sales-history-fichas", 1366);

  last_seq = pdv_journal_get_last_seq (fixture->journal);
  activate (history, "history.reprint-fichas");
  g_assert_nonnull (pdv_sales_history_get_manager_prompt (history));
  g_assert_cmpint (pdv_manager_prompt_get_permission (pdv_sales_history_get_manager_prompt (history)), ==,
                   PDV_PERMISSION_COURTESY);
  pdv_ui_test_wait_for_window (GTK_WIDGET (pdv_sales_history_get_manager_prompt (history)));
  screenshot (pdv_sales_history_get_manager_prompt (history), "sales-history-fichas-prompt", 1366);
  /* A cashier may not allow it. */
  g_assert_false (submit_pin (history, "1111"));
  g_assert_true (submit_pin (history, "9090"));
  entries = last_entries (fixture, 2);
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[1])->kind, ==, "ficha.reprint");
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[1])->user, ==, "ana");
  g_assert_cmpstr (payload_string (entries->pdata[1], "authorised_by"), ==, "fernanda");
  g_assert_cmpstr (payload_string (entries->pdata[1], "sale_id"), ==, cans);
  g_assert_cmpuint (json_array_size (json_object_get (((PdvJournalEntry *) entries->pdata[1])->payload, "fichas")),
                    ==, 3);
  g_assert_cmpint (pdv_journal_get_last_seq (fixture->journal), >, last_seq);
  /* Sent to the terminal's printer (here there is none: it says so). */
  g_assert_cmpuint (pdv_window_get_n_printing (fixture->window) + (pdv_window_get_last_print_error (fixture->window) != NULL), >=, 1);
  pdv_ui_test_wait_until (pdv_window_get_n_printing (fixture->window) == 0, 30);
  if (pdv_window_get_last_print_error (fixture->window) != NULL)
    g_assert_nonnull (strstr (pdv_window_get_last_print_error (fixture->window), "Fichas not printed"));

  g_assert_true (pdv_sales_history_select_sale (history, water));
  pdv_ui_test_settle ();
  g_assert_false (gtk_widget_get_visible (pdv_ui_test_find_action_button (GTK_WIDGET (history),
                                                                          "history.reprint-fichas")));
}

/* Where nobody logs in, the terminal itself voids, with a cashier's
 * rights: a manager's PIN, journalled as the terminal's. */
static void
test_no_login (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *sale = sell (fixture, NULL, "CERV-LATA-350", 2, PDV_PAYMENT_CASH);
  g_autoptr(GPtrArray) entries = NULL;
  PdvSalesHistory *history = open_history (fixture);

  g_assert_cmpstr (pdv_sales_history_get_selected_sale (history), ==, sale);
  activate (history, "history.void");
  respond (history, wait_for_dialog (history), "void", "_Void Sale");
  g_assert_true (submit_pin (history, "9090"));
  entries = last_entries (fixture, 2);
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[0])->kind, ==, "auth.override");
  g_assert_cmpstr (payload_string (entries->pdata[0], "operator"), ==, "terminal");
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[1])->kind, ==, "sale.void");
  g_assert_cmpstr (((PdvJournalEntry *) entries->pdata[1])->user, ==, "terminal");
  g_assert_cmpstr (payload_string (entries->pdata[1], "authorised_by"), ==, "fernanda");
  g_assert_null (payload_string (entries->pdata[1], "reason"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  application = pdv_ui_test_init (&argc, &argv, FALSE);
  pdv_ui_test_tolerate_switcher_warnings ();

  for (guint i = 0; i < G_N_ELEMENTS (screen_sizes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sales-history/void-and-refund/%dx%d", screen_sizes[i].width,
                                               screen_sizes[i].height);

      g_test_add (path, Fixture, &screen_sizes[i], fixture_set_up, test_void_and_refund, fixture_tear_down);
    }
  g_test_add ("/sales-history/manager-voids", Fixture, NULL, fixture_set_up, test_manager_voids, fixture_tear_down);
  g_test_add ("/sales-history/no-login", Fixture, &no_login, fixture_set_up, test_no_login, fixture_tear_down);
  g_test_add ("/sales-history/reprint-fichas", Fixture, NULL, fixture_set_up, test_reprint_fichas,
              fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&application);
  return ret;
}

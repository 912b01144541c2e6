/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-application-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-application-private.h"
#include "pdv-preferences-window.h"
#include "pdv-sell-page.h"
#include "pdv-window.h"
#include "pdv-window-private.h"

/* The terminal's window, also when a dialog of its is the active window. */
static PdvWindow *
find_terminal_window (GtkApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (application);

  for (GtkWindow *w = window; w != NULL; w = gtk_window_get_transient_for (w))
    if (PDV_IS_WINDOW (w))
      return PDV_WINDOW (w);
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (PDV_IS_WINDOW (l->data))
      return PDV_WINDOW (l->data);
  return NULL;
}

static void
quit (GtkApplication *application)
{
  PdvWindow *window = find_terminal_window (application);

  /* A terminal in kiosk mode quits only with a manager's PIN. */
  if (window != NULL && gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.quit", NULL))
    return;
  g_application_quit (G_APPLICATION (application));
}

static void
quit_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  GtkApplication   *application)
{
  if (g_strcmp0 (response, "quit") == 0)
    quit (application);
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  PdvWindow *window = find_terminal_window (application);
  GtkWidget *sell_page = window != NULL ? pdv_window_get_page (window, "sell") : NULL;
  GtkWindow *payment_window = NULL;
  g_autofree char *paid = NULL;
  GtkWidget *dialog;

  if (sell_page != NULL)
    paid = pdv_sell_page_dup_payments_taken (PDV_SELL_PAGE (sell_page), &payment_window);
  if (paid == NULL)
    {
      quit (application);
      return;
    }

  /* Nothing is lost, but the customer at the counter should not be left
   * standing by accident. */
  dialog = adw_message_dialog_new (payment_window, _("Quit With a Sale Being Paid?"), NULL);
  /* Translators: %s lists the payments taken, e.g. "Card R$ 20,00" */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The payments taken so far (%s) are recorded. The sale opens again with them "
                                    "when PDV starts."),
                                  paid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "stay", _("_Keep Paying"), "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "stay");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "stay");
  g_signal_connect_object (dialog, "response", G_CALLBACK (quit_response_cb), application, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  PdvApplication *self = PDV_APPLICATION (user_data);
  PdvWindow *window = find_terminal_window (GTK_APPLICATION (self));
  PdvContext *context;

  /* Managers prove who they are against the terminal's database: with none
   * open (the error window), there are no preferences to change. */
  if (window == NULL)
    return;
  if (!pdv_window_can (window, PDV_PERMISSION_SETTINGS))
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-toast", "s",
                                  _("Only an administrator may change the preferences"));
      return;
    }
  context = pdv_window_get_context (window);
  pdv_preferences_window_request (GTK_WINDOW (window), pdv_application_get_settings (self),
                                  context);
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  static const char *developers[] = { "PDV contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("PDV"),
                        "application-icon", PDV_APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Point of sale and check-in for events. Every sale and check-in is kept on the terminal first, so it keeps working without a network."),
                        "developer-name", _("PDV contributors"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb },
  { "preferences", preferences_activated_cb },
  { "about", about_activated_cb },
};

static const struct {
  const char *action;
  const char *accels[2];
} accelerators[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.reprint-last", { "<Control>p", NULL } },
  { "win.recent-sales", { "F9", NULL } },
  { "win.show-page::sell", { "<Alt>1", NULL } },
  { "win.show-page::checkin", { "<Alt>2", NULL } },
  { "win.show-page::shift", { "<Alt>3", NULL } },
  { "win.show-page::sync", { "<Alt>4", NULL } },
};

void
_pdv_application_actions_init (PdvApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accelerators[i].action,
                                           accelerators[i].accels);
}

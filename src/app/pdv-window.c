/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-application.h"
#include "pdv-checkin-page-private.h"
#include "pdv-counter-page.h"
#include "pdv-drawer-opener.h"
#include "pdv-kiosk.h"
#include "pdv-login-page.h"
#include "pdv-receipt-printer.h"
#include "pdv-sell-page.h"
#include "pdv-session.h"
#include "pdv-shift-page.h"
#include "pdv-sync-indicator.h"
#include "pdv-sync-page.h"
#include "pdv-sync.h"
#include "pdv-window-private.h"

G_DEFINE_FINAL_TYPE (PdvWindow, pdv_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SETTINGS,
  PROP_REQUIRE_LOGIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_page (PdvWindow  *self,
          GtkWidget  *page,
          const char *name,
          const char *title,
          const char *icon_name)
{
  adw_view_stack_add_titled_with_icon (self->view_stack, page, name, title, icon_name);
}

/* The servers set in Preferences, when there are any, replace the list the
 * terminal got at enrolment; an empty setting leaves that list alone. */
static void
server_urls_changed_cb (PdvWindow *self)
{
  g_auto(GStrv) urls = pdv_settings_dup_server_urls (self->settings);
  g_autoptr(GError) error = NULL;

  if (self->sync_worker == NULL || urls == NULL || urls[0] == NULL)
    return;
  if (!pdv_sync_set_servers (pdv_context_get_db (self->context), (const char * const *) urls, &error))
    {
      g_warning ("Could not use the sync servers from the settings: %s", error->message);
      return;
    }
  pdv_sync_worker_sync_now (self->sync_worker);
}

static void
update_titles (PdvWindow *self)
{
  g_autofree char *event_name = pdv_context_dup_event_name (self->context);
  g_autofree char *setting = g_strstrip (pdv_settings_dup_terminal_name (self->settings));
  g_autofree char *terminal_name = *setting != '\0' ? g_strdup (setting)
                                                    : pdv_context_dup_terminal_name (self->context);
  const char *title = event_name != NULL ? event_name : _("No Event Loaded");
  const char *subtitle = terminal_name != NULL ? terminal_name : _("Terminal not set up");

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_title (self->switcher_title, title);
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);

  /* When wide the switcher takes the title's place; whoever stands at the
   * till still needs to see which terminal and event this is. */
  gtk_label_set_label (self->terminal_label, subtitle);
  gtk_label_set_label (self->event_label, title);
}

static gboolean
invert_boolean (gpointer  instance,
                gboolean  value)
{
  return !value;
}

/* Whether the header shows the title rather than the pages' buttons. */
static gboolean
is_title (gpointer   instance,
          GtkWidget *visible_child)
{
  return ADW_IS_VIEW_SWITCHER_TITLE (visible_child);
}

static void
drawer_finished_cb (PdvWindow  *self,
                    gboolean    recorded,
                    const char *message)
{
  /* A toast's title is markup. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  _pdv_window_show_print_toast (self, escaped, NULL);
}

/* The event, the catalog or the tickets came from the server. */
static void
reload_synced_data (PdvWindow *self)
{
  GtkWidget *sell_page = adw_view_stack_get_child_by_name (self->view_stack, "sell");

  if (sell_page != NULL)
    pdv_sell_page_reload (PDV_SELL_PAGE (sell_page));
  update_titles (self);
}

static void
sync_status_changed_cb (PdvWindow           *self,
                        const PdvSyncStatus *status)
{
  gboolean pulled = self->pull_cursor >= 0 && status->pull_cursor != self->pull_cursor;

  self->pull_cursor = status->pull_cursor;
  if (pulled)
    reload_synced_data (self);
}

static void
sync_page_enrolled_cb (PdvWindow *self)
{
  reload_synced_data (self);
}


/* Which page needs which permission from whoever is logged in. */
static const struct {
  const char    *page_name;
  PdvPermission  permission;
} page_permissions[] = {
  { "sell", PDV_PERMISSION_SELL },
  { "checkin", PDV_PERMISSION_CHECKIN },
  /* The bar's counter, at an event that hands fichas over. */
  { "counter", PDV_PERMISSION_SELL },
  { "shift", PDV_PERMISSION_SHIFT_OPEN },
  { "sync", PDV_PERMISSION_REPORT },
};

/* The counter reads with the camera the settings name, as the door does,
 * and goes by the name they give it (the terminal's when they give none). */
static void
counter_camera_device_cb (PdvSettings    *settings,
                          GParamSpec     *pspec,
                          PdvCounterPage *page)
{
  g_autofree char *device = NULL;
  g_autofree char *name = NULL;

  g_object_get (settings, "camera-device", &device, "counter-name", &name, NULL);
  pdv_door_camera_set_device (pdv_counter_page_get_camera (page), device);
  pdv_counter_page_set_counter (page, g_strstrip (name));
}

static gboolean
event_issues_fichas (PdvWindow *self)
{
  g_autoptr(json_t) event = pdv_context_dup_event (self->context);
  json_t *products = json_object_get (json_object_get (event, "fichas"), "products");

  return json_array_size (products) > 0;
}

/* "Maria Aparecida dos Santos" → "MS": the first letters of the first and
 * the last word. */
static char *
dup_initials (const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (name != NULL ? name : "", " \t", -1);
  GString *initials = g_string_new (NULL);
  const char *first = NULL;
  const char *last = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && g_utf8_validate (words[i], -1, NULL))
      {
        if (first == NULL)
          first = words[i];
        else
          last = words[i];
      }
  if (first != NULL)
    g_string_append_unichar (initials, g_unichar_toupper (g_utf8_get_char (first)));
  if (last != NULL)
    g_string_append_unichar (initials, g_unichar_toupper (g_utf8_get_char (last)));
  return g_string_free (initials, FALSE);
}

/* Shows the pages and actions the logged-in role may use; the pages follow
 * the session themselves for who commits what. */
/* While someone works at the terminal the screen does not blank: a queue
 * does not wait for it to wake. Locked, it may. */
static void
update_in_service (PdvWindow *self,
                   gboolean   in_service)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application == NULL || in_service == (self->in_service_inhibit != 0))
    return;
  if (in_service)
    self->in_service_inhibit = gtk_application_inhibit (application, GTK_WINDOW (self), GTK_APPLICATION_INHIBIT_IDLE,
                                                        _("The terminal is in service"));
  else
    {
      gtk_application_uninhibit (application, self->in_service_inhibit);
      self->in_service_inhibit = 0;
    }
}

static void
apply_session (PdvWindow *self)
{
  gboolean logged_in = pdv_session_is_logged_in (self->session);
  const char *visible = adw_view_stack_get_visible_child_name (self->view_stack);
  const char *first_allowed = NULL;
  gboolean visible_allowed = FALSE;
  GtkWidget *page;

  for (guint i = 0; i < G_N_ELEMENTS (page_permissions); i++)
    {
      /* While locked the pages stay as they were, behind the login screen:
       * a view switcher with no page at all to show misdraws. */
      gboolean allowed = (self->require_login && !logged_in) ||
                         pdv_window_can (self, page_permissions[i].permission);

      /* A terminal set up as a bar's counter, at an event with fichas. */
      if (g_str_equal (page_permissions[i].page_name, "counter") &&
          (!pdv_settings_get_bar_counter (self->settings) || !event_issues_fichas (self)))
        allowed = FALSE;

      page = adw_view_stack_get_child_by_name (self->view_stack, page_permissions[i].page_name);
      if (page == NULL)
        continue;
      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->view_stack, page), allowed);
      if (allowed && first_allowed == NULL)
        first_allowed = page_permissions[i].page_name;
      if (allowed && g_strcmp0 (visible, page_permissions[i].page_name) == 0)
        visible_allowed = TRUE;
    }
  if (!visible_allowed && first_allowed != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, first_allowed);

  _pdv_window_update_actions (self);
  update_in_service (self, !self->require_login || logged_in);

  if (!self->require_login)
    return;


  gtk_widget_set_visible (GTK_WIDGET (self->user_squeezer), logged_in);
  if (logged_in)
    {
      const char *name = pdv_session_get_user_name (self->session);
      /* Translators: the header button's name for screen readers; %s is who is logged in */
      g_autofree char *accessible = g_strdup_printf (_("Lock and switch user (%s is logged in)"), name);

      /* Translators: the header button's tooltip; %s is who is logged in */
      g_autofree char *tooltip = g_strdup_printf (_("Lock the Terminal and Switch User\n%s is logged in"), name);
      g_autofree char *initials = dup_initials (name);

      gtk_label_set_label (self->user_label, name);
      gtk_label_set_label (self->user_initials_label, initials);
      /* Where the header is crowded, the initials stand for the name. */
      gtk_widget_set_tooltip_text (self->user_button, tooltip);
      gtk_widget_set_tooltip_text (self->user_initials_button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_initials_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
    }
  /* Nothing to switch to while locked. Only greyed out: hiding the
   * switcher, or its pages, makes the header bar lay itself out again and
   * again between the title and the switcher. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->title_squeezer), logged_in);
  /* The PIN entry must not keep the focus from behind the pages. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->lock_stack, logged_in ? "pages" : "login");
}

/* Another window of ours in front (payment, a PIN prompt) means someone is
 * in the middle of something: that counts as use. */
static gboolean
has_window_in_front (PdvWindow *self)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) self && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (self))
      return TRUE;
  return FALSE;
}

static gboolean idle_timeout_cb (gpointer user_data);

static void
schedule_idle_lock (PdvWindow *self)
{
  guint timeout = pdv_settings_get_lock_timeout (self->settings);
  gint64 left;

  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (!self->require_login || timeout == 0 || !pdv_session_is_logged_in (self->session))
    return;

  left = self->last_activity + timeout * G_USEC_PER_SEC - pdv_clock_get_monotonic_time (pdv_context_get_clock (self->context));
  self->idle_source = pdv_clock_timeout_add (pdv_context_get_clock (self->context), MAX (left, 0) / 1000 + 1, idle_timeout_cb, self);
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  PdvWindow *self = user_data;
  gint64 timeout = pdv_settings_get_lock_timeout (self->settings) * G_USEC_PER_SEC;
  gint64 now = pdv_clock_get_monotonic_time (pdv_context_get_clock (self->context));

  self->idle_source = 0;
  if (has_window_in_front (self))
    {
      /* A payment waiting for the card machine or a PIX: the idle time
       * starts when that window closes, not at the last check before. */
      self->last_activity = now;
      if (timeout > 0)
        self->idle_source = pdv_clock_timeout_add_seconds (pdv_context_get_clock (self->context), 1, idle_timeout_cb, self);
      return G_SOURCE_REMOVE;
    }
  if (timeout > 0 && now - self->last_activity >= timeout)
    _pdv_window_lock (self);
  else
    schedule_idle_lock (self);
  return G_SOURCE_REMOVE;
}

static gboolean
window_event_cb (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 PdvWindow                *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_MOTION_NOTIFY:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
      self->last_activity = pdv_clock_get_monotonic_time (pdv_context_get_clock (self->context));
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

void
_pdv_window_lock (PdvWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  /* Whose cart is left on the sell page, for whoever logs in next. */
  if (pdv_session_is_logged_in (self->session))
    {
      g_free (self->locked_user_id);
      self->locked_user_id = g_strdup (pdv_session_get_user_id (self->session));
      g_free (self->locked_user_name);
      self->locked_user_name = g_strdup (pdv_session_get_user_name (self->session));
    }
  pdv_drawer_opener_cancel (self->drawer_opener);
  pdv_login_page_reset (PDV_LOGIN_PAGE (self->login_page));
  pdv_session_log_out (self->session);
  apply_session (self);
}

/* The sale someone left unfinished when the terminal locked is theirs:
 * it is kept for them, and never sold under the next person's name. */
static void
clear_cart_of_previous_user (PdvWindow     *self,
                             const PdvUser *user)
{
  GtkWidget *sell_page = adw_view_stack_get_child_by_name (self->view_stack, "sell");
  g_autofree char *previous_id = g_steal_pointer (&self->locked_user_id);
  g_autofree char *previous_name = g_steal_pointer (&self->locked_user_name);
  PdvCart *cart;

  if (previous_id == NULL || g_strcmp0 (previous_id, user->id) == 0 || sell_page == NULL)
    return;

  cart = pdv_sell_page_get_cart (PDV_SELL_PAGE (sell_page));
  /* A sale already paid only waits for "New Sale": not theirs to see. */
  gtk_widget_activate_action (sell_page, "sell.new-sale", NULL);
  if (pdv_cart_is_empty (cart))
    return;
  gtk_widget_activate_action (sell_page, "cart.clear", NULL);
  if (pdv_cart_is_empty (cart))
    {
      /* A toast's title is markup. */
      g_autofree char *escaped_name = g_markup_escape_text (previous_name != NULL ? previous_name : "", -1);
      /* Translators: %s is the name of the person who was selling before */
      g_autofree char *message = g_strdup_printf (_("The unfinished sale of %s was cleared"), escaped_name);

      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
    }
}

static void
shift_offer_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         PdvWindow        *self)
{
  if (g_strcmp0 (response, "open") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "shift");
}

/* Someone who sells, logging in where no shift is open and one is needed:
 * the first thing to do is open it, float counted. Said now rather than at
 * the first customer's payment. */
static void
offer_shift (PdvWindow     *self,
             const PdvUser *user)
{
  PdvDb *db = pdv_context_get_db (self->context);
  g_auto(PdvShiftStatus) status = { 0 };
  gboolean may_open = pdv_user_can (user, PDV_PERMISSION_SHIFT_OPEN);
  GtkWidget *dialog;

  if (!pdv_user_can (user, PDV_PERMISSION_SELL) || !pdv_shift_is_required (db) ||
      !pdv_shift_get_status (db, &status, NULL) || status.open)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("No Shift Is Open"), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               may_open ? _("Selling needs an open shift, started with the float in the drawer "
                                            "counted.")
                                        : _("Selling needs an open shift. Ask a manager to open it, with the float "
                                            "in the drawer counted."));
  if (may_open)
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "later", _("_Not Now"),
                                        "open", _("_Open Shift"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
    }
  else
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "later", _("_OK"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  g_signal_connect_object (dialog, "response", G_CALLBACK (shift_offer_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
logged_in_cb (PdvWindow     *self,
              const PdvUser *user)
{
  clear_cart_of_previous_user (self, user);
  pdv_session_log_in (self->session, user);
  apply_session (self);
  self->last_activity = pdv_clock_get_monotonic_time (pdv_context_get_clock (self->context));
  schedule_idle_lock (self);
  offer_shift (self, user);
}

static void
lock_timeout_changed_cb (PdvWindow *self)
{
  schedule_idle_lock (self);
}

static void
pdv_window_constructed (GObject *object)
{
  PdvWindow *self = PDV_WINDOW (object);
  GtkWidget *sell_page;
  GtkWidget *checkin_page;
  GtkWidget *counter_page;
  GtkWidget *shift_page;
  GtkWidget *sync_page;

  G_OBJECT_CLASS (pdv_window_parent_class)->constructed (object);

  g_assert (self->context != NULL);

  /* The settings say where receipts go and what they look like, and a
   * change applies to the next receipt; PDV_PRINTER, for tests and
   * development, wins over the setting. */
  self->receipt_printer = pdv_receipt_printer_new (pdv_context_get_journal (self->context), NULL);
  if (g_getenv ("PDV_PRINTER") != NULL)
    pdv_receipt_printer_set_destination (self->receipt_printer, g_getenv ("PDV_PRINTER"));
  else
    g_object_bind_property (self->settings, "printer", self->receipt_printer, "destination",
                            G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "paper-width", self->receipt_printer, "paper-width",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "receipt-header", self->receipt_printer, "header-lines",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "receipt-footer", self->receipt_printer, "footer-lines",
                          G_BINDING_SYNC_CREATE);
  self->cancellable = g_cancellable_new ();
  self->drawer_opener = pdv_drawer_opener_new (self->context, self->receipt_printer);
  g_signal_connect_object (self->drawer_opener, "finished", G_CALLBACK (drawer_finished_cb), self,
                           G_CONNECT_SWAPPED);

  /* Its own thread and connection; status comes back to this thread. */
  self->pull_cursor = -1;
  if (pdv_journal_is_initialised (pdv_context_get_journal (self->context)))
    {
      self->sync_worker = pdv_sync_worker_new (pdv_db_get_path (pdv_context_get_db (self->context)));
      pdv_sync_worker_set_clock (self->sync_worker, pdv_context_get_clock (self->context));
      g_signal_connect_object (self->sync_worker, "status-changed",
                               G_CALLBACK (sync_status_changed_cb), self, G_CONNECT_SWAPPED);
      /* Whatever page wrote it, an entry goes to the server now rather than
       * at the next poll; the worker watches for other connections' entries. */
      g_signal_connect_object (pdv_context_get_journal (self->context), "appended",
                               G_CALLBACK (pdv_sync_worker_notify_new_entry), self->sync_worker,
                               G_CONNECT_SWAPPED);
    }

  /* Every page follows who is logged in from here. */
  self->session = pdv_session_new ();

  sell_page = pdv_sell_page_new (self->context);
  pdv_sell_page_set_session (PDV_SELL_PAGE (sell_page), self->session);
  add_page (self, sell_page, "sell", _("Sell"), "view-grid-symbolic");
  checkin_page = pdv_checkin_page_new (self->context);
  pdv_checkin_page_set_session (PDV_CHECKIN_PAGE (checkin_page), self->session);
  /* The setting is how the door starts, and changes it at once; the speaker
   * button mutes for the moment without changing the setting. */
  g_object_bind_property (self->settings, "sounds-enabled", checkin_page, "muted",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self->settings, "sound-volume", checkin_page, "sound-volume",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "camera-device", checkin_page, "camera-device",
                          G_BINDING_SYNC_CREATE);
  add_page (self, checkin_page, "checkin", _("Check-in"), "system-users-symbolic");
  counter_page = pdv_counter_page_new (self->context);
  pdv_counter_page_set_session (PDV_COUNTER_PAGE (counter_page), self->session);
  g_signal_connect_object (self->settings, "notify::camera-device", G_CALLBACK (counter_camera_device_cb),
                           counter_page, 0);
  g_signal_connect_object (self->settings, "notify::counter-name", G_CALLBACK (counter_camera_device_cb),
                           counter_page, 0);
  counter_camera_device_cb (self->settings, NULL, PDV_COUNTER_PAGE (counter_page));
  g_object_bind_property (self->settings, "sounds-enabled", pdv_counter_page_get_sounds (PDV_COUNTER_PAGE (counter_page)),
                          "muted", G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self->settings, "sound-volume", pdv_counter_page_get_sounds (PDV_COUNTER_PAGE (counter_page)),
                          "volume", G_BINDING_SYNC_CREATE);
  /* Translators: the page where the bar's staff scan fichas and serve */
  add_page (self, counter_page, "counter", _("Counter"), "pdv-ficha-symbolic");
  g_signal_connect_object (self->settings, "notify::bar-counter", G_CALLBACK (apply_session), self,
                           G_CONNECT_SWAPPED);
  shift_page = pdv_shift_page_new (self->context);
  pdv_shift_page_set_session (PDV_SHIFT_PAGE (shift_page), self->session);
  pdv_shift_page_set_receipt_printer (PDV_SHIFT_PAGE (shift_page), self->receipt_printer);
  add_page (self, shift_page, "shift", _("Shift & Reports"), "x-office-spreadsheet-symbolic");
  sync_page = pdv_sync_page_new (self->context, self->sync_worker);
  g_signal_connect_object (sync_page, "enrolled", G_CALLBACK (sync_page_enrolled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync_page, "history-recovered", G_CALLBACK (sync_page_enrolled_cb), self,
                           G_CONNECT_SWAPPED);
  add_page (self, sync_page, "sync", _("Sync"), "network-transmit-receive-symbolic");
  adw_view_stack_set_visible_child_name (self->view_stack, "sell");
  pdv_sync_indicator_set_sync_worker (self->sync_indicator, self->sync_worker);

  update_titles (self);
  g_signal_connect_object (self->settings, "notify::terminal-name", G_CALLBACK (update_titles), self,
                           G_CONNECT_SWAPPED);

  if (self->require_login)
    {
      GtkEventController *controller = gtk_event_controller_legacy_new ();

      self->login_page = pdv_login_page_new (self->context);
      gtk_stack_add_named (self->lock_stack, self->login_page, "login");
      g_signal_connect_object (self->login_page, "logged-in", G_CALLBACK (logged_in_cb), self, G_CONNECT_SWAPPED);

      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect_object (controller, "event", G_CALLBACK (window_event_cb), self, 0);
      gtk_widget_add_controller (GTK_WIDGET (self), controller);
      g_signal_connect_object (self->settings, "notify::lock-timeout", G_CALLBACK (lock_timeout_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  apply_session (self);

  self->kiosk = pdv_kiosk_new (GTK_WINDOW (self), self->header_bar, self->settings, self->context);

  server_urls_changed_cb (self);
  g_signal_connect_object (self->settings, "notify::server-urls", G_CALLBACK (server_urls_changed_cb), self,
                           G_CONNECT_SWAPPED);

  if (self->sync_worker != NULL)
    pdv_sync_worker_start (self->sync_worker);
  /* An alarm raised before (or by pdvctl) shows at once; the check that
   * follows, on a thread of its own, raises or clears it. */
  if (pdv_journal_is_initialised (pdv_context_get_journal (self->context)))
    _pdv_window_check_state (self);
}

static void
pdv_window_dispose (GObject *object)
{
  PdvWindow *self = PDV_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->state_check != NULL)
    g_cancellable_cancel (self->state_check);
  g_clear_object (&self->state_check);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  update_in_service (self, FALSE);
  /* No status reaches a window that is going away; the pages let go of
   * the worker with the template. */
  if (self->sync_worker != NULL)
    {
      pdv_sync_worker_stop (self->sync_worker);
      g_signal_handlers_disconnect_by_data (self->sync_worker, self);
    }
  g_clear_object (&self->kiosk);
  g_clear_object (&self->drawer_opener);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_WINDOW);
  g_clear_object (&self->sync_worker);
  g_clear_object (&self->receipt_printer);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pdv_window_parent_class)->dispose (object);
}

static void
pdv_window_finalize (GObject *object)
{
  PdvWindow *self = PDV_WINDOW (object);

  /* Held until the pages, which share it, are gone. */
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_print_error, g_free);
  g_clear_pointer (&self->locked_user_id, g_free);
  g_clear_pointer (&self->locked_user_name, g_free);

  G_OBJECT_CLASS (pdv_window_parent_class)->finalize (object);
}

static void
pdv_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PdvWindow *self = PDV_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_REQUIRE_LOGIN:
      g_value_set_boolean (value, self->require_login);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PdvWindow *self = PDV_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_REQUIRE_LOGIN:
      self->require_login = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_window_class_init (PdvWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_window_constructed;
  object_class->dispose = pdv_window_dispose;
  object_class->finalize = pdv_window_finalize;
  object_class->get_property = pdv_window_get_property;
  object_class->set_property = pdv_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, PDV_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The program asks who is working; a window built on its own (tests,
   * demos) opens unlocked with every page, as before there were logins. */
  properties[PROP_REQUIRE_LOGIN] =
    g_param_spec_boolean ("require-login", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PDV_TYPE_SYNC_INDICATOR);
  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/pdv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, alarm_banner);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, alarm_banner_label);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, print_banner);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, print_banner_label);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, print_banner_reprint);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, title_squeezer);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, terminal_label);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, event_label);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, lock_stack);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, user_squeezer);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, user_button);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, user_initials_button);
  gtk_widget_class_bind_template_child (widget_class, PdvWindow, user_initials_label);
  gtk_widget_class_bind_template_callback (widget_class, invert_boolean);
  gtk_widget_class_bind_template_callback (widget_class, is_title);

  _pdv_window_class_actions_init (widget_class);
}

static void
pdv_window_init (PdvWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PdvWindow *
pdv_window_new (GtkApplication *application,
                PdvContext     *context)
{
  g_autoptr(PdvSettings) settings = NULL;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  /* The application's, shared by its windows and the preferences. */
  if (PDV_IS_APPLICATION (application))
    settings = g_object_ref (pdv_application_get_settings (PDV_APPLICATION (application)));
  else
    settings = pdv_settings_new ();

  return g_object_new (PDV_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       "settings", settings,
                       NULL);
}

PdvSettings *
pdv_window_get_settings (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->settings;
}

PdvContext *
pdv_window_get_context (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->context;
}

/**
 * pdv_window_show_page:
 * @page_name: "sell", "checkin", "shift" or "sync"
 *
 * Returns: whether there is such a page
 */
gboolean
pdv_window_show_page (PdvWindow  *self,
                      const char *page_name)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (page_name != NULL, FALSE);

  if (adw_view_stack_get_child_by_name (self->view_stack, page_name) == NULL)
    return FALSE;
  adw_view_stack_set_visible_child_name (self->view_stack, page_name);
  return TRUE;
}

const char *
pdv_window_get_visible_page (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GtkWidget *
pdv_window_get_page (PdvWindow  *self,
                     const char *page_name)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->view_stack, page_name);
}

PdvKiosk *
pdv_window_get_kiosk (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->kiosk;
}

/**
 * pdv_window_get_sync_worker:
 *
 * Returns: (nullable): the terminal's sync worker
 */
PdvSyncWorker *
pdv_window_get_sync_worker (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->sync_worker;
}

PdvSyncIndicator *
pdv_window_get_sync_indicator (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->sync_indicator;
}

/**
 * pdv_window_get_session:
 *
 * Returns: (transfer none): who is working at this window
 */
PdvSession *
pdv_window_get_session (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->session;
}

/**
 * pdv_window_can:
 *
 * Returns: whether whoever is logged in may do what @permission allows;
 *   always %TRUE for a window that does not ask anyone to log in
 */
gboolean
pdv_window_can (PdvWindow     *self,
                PdvPermission  permission)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), FALSE);
  return !self->require_login || pdv_session_can (self->session, permission);
}

/**
 * pdv_window_lock:
 *
 * Logs out whoever is working and shows the login screen; nothing without
 * require-login.
 */
void
pdv_window_lock (PdvWindow *self)
{
  g_return_if_fail (PDV_IS_WINDOW (self));

  if (self->require_login)
    _pdv_window_lock (self);
}

/**
 * pdv_window_get_login_page:
 *
 * Returns: (nullable) (transfer none): the login screen, with require-login
 */
GtkWidget *
pdv_window_get_login_page (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return self->login_page;
}

/**
 * pdv_window_get_user_button:
 *
 * Returns: (transfer none): the header's button that says who is logged in
 *   and locks the terminal: with the name, or the initials where the name
 *   does not fit
 */
GtkWidget *
pdv_window_get_user_button (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), NULL);
  return adw_squeezer_get_visible_child (self->user_squeezer);
}

/**
 * pdv_window_get_page_buttons_shown:
 *
 * Returns: whether the pages' buttons are in the header, rather than in the
 *   bottom bar under a title
 */
gboolean
pdv_window_get_page_buttons_shown (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), FALSE);
  return !is_title (self, adw_squeezer_get_visible_child (self->title_squeezer));
}

gboolean
pdv_window_get_locked (PdvWindow *self)
{
  g_return_val_if_fail (PDV_IS_WINDOW (self), FALSE);
  return self->require_login && !pdv_session_is_logged_in (self->session);
}

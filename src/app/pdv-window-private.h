/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-drawer-opener.h"
#include "pdv-kiosk.h"
#include "pdv-receipt-printer.h"
#include "pdv-session.h"
#include "pdv-sync-indicator.h"
#include "pdv-sync-worker.h"
#include "pdv-window.h"

G_BEGIN_DECLS

/* The terminal's one window: a page per job, switched from the header (or
 * the bottom bar when narrow), with toasts over everything. It also prints
 * receipts for the pages, so that a print outlives the page that asked, and
 * owns the terminal's one sync worker, which the pages are given.
 *
 * pdv-window.c holds the pages, the session and the lock;
 * pdv-window-actions.c the window's actions and the receipts it prints. */
struct _PdvWindow
{
  AdwApplicationWindow  parent_instance;

  PdvContext           *context;
  PdvSettings          *settings;
  PdvKiosk             *kiosk;
  PdvReceiptPrinter    *receipt_printer;
  PdvSyncWorker        *sync_worker;     /* NULL when the database is not a terminal */
  gint64                pull_cursor;     /* -1 until the worker's first status */
  GCancellable         *cancellable;
  char                 *last_print_error;
  guint                 n_printing;
  PdvDrawerOpener      *drawer_opener;

  /* Who is working here; with require-login, nothing shows until someone
   * logs in, and the terminal locks itself after the idle time. */
  PdvSession           *session;
  gboolean              require_login;
  GtkWidget            *login_page;
  gint64                last_activity;   /* monotonic µs */
  guint                 idle_source;
  guint                 in_service_inhibit;  /* no screen blanking while someone works here */
  char                 *locked_user_id;  /* who worked here before the lock */
  char                 *locked_user_name;

  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *alarm_banner;
  GtkLabel             *alarm_banner_label;
  GCancellable         *state_check;     /* a check of the journal and state under way */
  GtkRevealer          *print_banner;
  GtkLabel             *print_banner_label;
  GtkWidget            *print_banner_reprint;
  AdwHeaderBar         *header_bar;
  AdwSqueezer          *title_squeezer;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  GtkLabel             *terminal_label;
  GtkLabel             *event_label;
  PdvSyncIndicator     *sync_indicator;
  GtkStack             *lock_stack;
  AdwSqueezer          *user_squeezer;
  GtkWidget            *user_button;
  GtkLabel             *user_label;
  GtkWidget            *user_initials_button;
  GtkLabel             *user_initials_label;
};

void        _pdv_window_class_actions_init  (GtkWidgetClass *widget_class);
void        _pdv_window_show_print_toast    (PdvWindow      *self,
                                             const char     *message,
                                             const char     *sale_id);
void        _pdv_window_update_actions      (PdvWindow      *self);
void        _pdv_window_lock                (PdvWindow      *self);
void        _pdv_window_check_state         (PdvWindow      *self);

/* What the UI tests observe and drive. */

GtkWidget  *pdv_window_get_page             (PdvWindow  *self,
                                             const char *page_name);
const char *pdv_window_get_last_print_error (PdvWindow  *self);
gboolean    pdv_window_is_checking_state    (PdvWindow  *self);
gboolean    pdv_window_shows_alarm          (PdvWindow  *self);
guint       pdv_window_get_n_printing       (PdvWindow  *self);
void        pdv_window_set_printer          (PdvWindow  *self,
                                             const char *destination);
PdvSyncWorker    *pdv_window_get_sync_worker    (PdvWindow  *self);
PdvSyncIndicator *pdv_window_get_sync_indicator (PdvWindow  *self);
PdvKiosk         *pdv_window_get_kiosk          (PdvWindow  *self);
PdvReceiptPrinter *pdv_window_get_receipt_printer (PdvWindow  *self);
PdvDrawerOpener  *pdv_window_get_drawer_opener  (PdvWindow  *self);
GtkWidget  *pdv_window_get_login_page       (PdvWindow  *self);
gboolean    pdv_window_get_locked           (PdvWindow  *self);
GtkWidget  *pdv_window_get_user_button      (PdvWindow  *self);
gboolean    pdv_window_get_page_buttons_shown (PdvWindow  *self);
const char *pdv_window_get_print_banner_text (PdvWindow  *self);

G_END_DECLS

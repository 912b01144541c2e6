/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdv-application.h"
#include "pdv-manager-prompt.h"
#include "pdv-test-util.h"
#include "pdv-window.h"

G_BEGIN_DECLS

void        pdv_ui_test_run_main_loop_for   (guint        ms);
void        pdv_ui_test_settle              (void);
void        pdv_ui_test_stop_clock          (PdvContext  *context);
void        pdv_ui_test_advance_clock       (PdvContext  *context,
                                             GTimeSpan    span);
void        pdv_ui_test_wait_for_window     (GtkWidget   *window);
void        pdv_ui_test_wait_for_dialog     (GtkWindow   *dialog,
                                             GtkWindow   *parent);
void        pdv_ui_test_destroy_window      (GtkWindow   *window);
GtkWindow  *pdv_ui_test_find_toplevel       (GType        type);
const char *pdv_ui_test_init_artefacts      (void);
PdvApplication *pdv_ui_test_init_application (gboolean   animations);
GdkTexture *pdv_ui_test_render              (GtkWidget   *window,
                                             graphene_point_t *out_origin);
GdkTexture *pdv_ui_test_save_screenshot     (GtkWidget   *window,
                                             const char  *name);

PdvApplication *pdv_ui_test_init            (int         *argc,
                                             char      ***argv,
                                             gboolean     animations);
void        pdv_ui_test_tolerate_switcher_warnings (void);

PdvWindow  *pdv_ui_test_new_window          (PdvApplication *application,
                                             PdvContext     *context,
                                             gboolean        require_login);
void        pdv_ui_test_log_in              (PdvWindow   *window,
                                             const char  *user_id,
                                             const char  *pin);
gboolean    pdv_ui_test_submit_manager_pin  (PdvManagerPrompt *prompt,
                                             const char       *pin);

GtkWidget  *pdv_ui_test_find_action_button  (GtkWidget   *widget,
                                             const char  *action_name);
void        pdv_ui_test_assert_fully_shown  (GtkWidget   *window,
                                             GtkWidget   *widget,
                                             const char  *what);
char       *pdv_ui_test_describe_widget     (GtkWidget   *widget);
GtkWidget  *pdv_ui_test_find_widget         (GtkWidget   *widget,
                                             GType        type);
void        pdv_ui_test_write_qr_frame      (const char  *text,
                                             const char  *path);
guint       pdv_ui_test_assert_buttons_named (GtkWidget  *root,
                                              const char *what);

/* Runs the main loop until @condition holds, failing the test after @seconds. */
#define pdv_ui_test_wait_until(condition, seconds) \
  G_STMT_START { \
    gint64 pdv_deadline_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC; \
    while (!(condition)) \
      { \
        g_assert_cmpint (g_get_monotonic_time (), <, pdv_deadline_); \
        pdv_ui_test_run_main_loop_for (10); \
      } \
  } G_STMT_END

G_END_DECLS

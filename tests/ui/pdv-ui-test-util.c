/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-ui-test"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "pdv-login-page.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

static char *artefacts_dir;

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
pdv_ui_test_run_main_loop_for (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_loop_cb, loop);
  g_main_loop_run (loop);
}

static void
laid_out_cb (GdkFrameClock *frame_clock,
             guint         *laid_out)
{
  (*laid_out)++;
}

/* Every shown window goes through one frame, laying out what is pending (a
 * deadline for the display server, not a pace); then what the frame queued
 * (idles) runs. */
static void
run_one_frame (GListModel *toplevels)
{
  g_autoptr(GPtrArray) clocks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) laid_out = NULL;
  guint n = g_list_model_get_n_items (toplevels);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean all_laid_out = FALSE;

  laid_out = g_array_sized_new (FALSE, TRUE, sizeof (guint), n);
  g_array_set_size (laid_out, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GdkFrameClock *frame_clock = gtk_widget_get_mapped (window) ? gtk_widget_get_frame_clock (window) : NULL;

      if (frame_clock == NULL)
        continue;
      g_ptr_array_add (clocks, g_object_ref (frame_clock));
      g_signal_connect (frame_clock, "layout", G_CALLBACK (laid_out_cb),
                        &g_array_index (laid_out, guint, clocks->len - 1));
      gdk_frame_clock_request_phase (frame_clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
    }

  while (!all_laid_out)
    {
      all_laid_out = TRUE;
      for (guint i = 0; i < clocks->len; i++)
        all_laid_out = all_laid_out && g_array_index (laid_out, guint, i) > 0;
      if (all_laid_out || g_get_monotonic_time () >= deadline)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  for (guint i = 0; i < clocks->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (clocks, i), laid_out_cb,
                                          &g_array_index (laid_out, guint, i));
  g_assert_true (all_laid_out);

  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* Lets the frame clock lay out and draw what the last change did: two
 * frames, since what one frame's layout shows (a page behind the login
 * screen, a toast) is allocated in the next. Only the layout is asked for:
 * whatever changed is drawn in the same frame, and forcing a redraw of a
 * whole window can catch a part of it between two allocations. */
void
pdv_ui_test_settle (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  run_one_frame (toplevels);
  run_one_frame (toplevels);
}

/**
 * pdv_ui_test_stop_clock:
 *
 * Stops the terminal's clock where it is: from now on the app's timers
 * (auto-lock, countdowns, refreshes) move only with
 * pdv_ui_test_advance_clock().
 */
void
pdv_ui_test_stop_clock (PdvContext *context)
{
  PdvClock *clock = pdv_context_get_clock (context);

  pdv_clock_advance (clock, 0);
  g_assert_true (pdv_clock_is_frozen (clock));
}

/**
 * pdv_ui_test_advance_clock:
 *
 * Moves the terminal's clock on by @span and runs the timers that fall due,
 * and what they queue.
 */
void
pdv_ui_test_advance_clock (PdvContext *context,
                           GTimeSpan   span)
{
  pdv_clock_advance (pdv_context_get_clock (context), span);
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

void
pdv_ui_test_wait_for_window (GtkWidget *window)
{
  pdv_ui_test_wait_until (gtk_widget_get_mapped (window) && gtk_widget_get_width (window) > 0, 10);
  /* The terminal's window checks its state as it opens: tests start after. */
  if (PDV_IS_WINDOW (window))
    pdv_ui_test_wait_until (!pdv_window_is_checking_state (PDV_WINDOW (window)), 60);
  pdv_ui_test_settle ();
}

/**
 * pdv_ui_test_wait_for_dialog:
 *
 * Waits for @dialog to show, which must be modal over @parent.
 */
void
pdv_ui_test_wait_for_dialog (GtkWindow *dialog,
                             GtkWindow *parent)
{
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == parent);
  g_assert_true (gtk_window_get_modal (dialog));
  pdv_ui_test_wait_for_window (GTK_WIDGET (dialog));
}

void
pdv_ui_test_destroy_window (GtkWindow *window)
{
  GtkWindow *weak = window;

  /* A check under way holds the terminal open. */
  if (PDV_IS_WINDOW (window))
    pdv_ui_test_wait_until (!pdv_window_is_checking_state (PDV_WINDOW (window)), 60);
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  gtk_window_destroy (window);
  pdv_ui_test_wait_until (weak == NULL, 10);
}

/**
 * pdv_ui_test_init_artefacts:
 *
 * Returns: where screenshots go: $PDV_TEST_ARTEFACTS, else ./artefacts
 */
const char *
pdv_ui_test_init_artefacts (void)
{
  const char *env = g_getenv ("PDV_TEST_ARTEFACTS");

  if (artefacts_dir != NULL)
    return artefacts_dir;

  if (env != NULL && *env != '\0')
    artefacts_dir = g_strdup (env);
  else
    artefacts_dir = g_build_filename (g_get_current_dir (), "artefacts", NULL);
  if (g_mkdir_with_parents (artefacts_dir, 0755) != 0)
    g_error ("Cannot create %s: %s", artefacts_dir, g_strerror (errno));
  return artefacts_dir;
}

/**
 * pdv_ui_test_render:
 * @out_origin: (out) (optional): where the texture's top left pixel is in
 *   the window's coordinates (a window's shadow starts left of and above 0, 0)
 *
 * Draws @window as it is on screen, without a screen grab.
 */
GdkTexture *
pdv_ui_test_render (GtkWidget        *window,
                    graphene_point_t *out_origin)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  graphene_rect_t bounds;

  pdv_ui_test_settle ();

  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  if (out_origin != NULL)
    *out_origin = bounds.origin;

  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, &bounds);
}

/* Checks the image is a real rendering, not a blank or single-colour surface. */
static void
assert_png_has_content (const char *path,
                        GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc ((gsize) height * stride);
  g_autoptr(GHashTable) colours = g_hash_table_new (g_direct_hash, g_direct_equal);
  GStatBuf st;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 4096);

  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + (gsize) y * stride + (gsize) x * 4, sizeof pixel);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      }
  g_assert_cmpuint (g_hash_table_size (colours), >, 32);
}

/**
 * pdv_ui_test_save_screenshot:
 *
 * Saves @window as NAME.png among the artefacts.
 *
 * Returns: (transfer full): the image saved
 */
GdkTexture *
pdv_ui_test_save_screenshot (GtkWidget  *window,
                             const char *name)
{
  g_autoptr(GdkTexture) texture = pdv_ui_test_render (window, NULL);
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (pdv_ui_test_init_artefacts (), file_name, NULL);

  g_assert_nonnull (texture);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  assert_png_has_content (path, texture);
  g_test_message ("screenshot: %s", path);
  return g_steal_pointer (&texture);
}

/**
 * pdv_ui_test_init_application:
 * @animations: whether widgets animate; screenshots usually want them off, to
 *   show where a change ends rather than halfway through it
 *
 * Starts GTK and libadwaita and registers the application the windows under
 * test belong to, with the terminal's resources.
 */
PdvApplication *
pdv_ui_test_init_application (gboolean animations)
{
  g_autoptr(GError) error = NULL;
  PdvApplication *application;

  gtk_init ();
  adw_init ();
  if (!animations)
    g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  application = g_object_new (PDV_TYPE_APPLICATION,
                              "application-id", PDV_APP_ID,
                              "flags", G_APPLICATION_NON_UNIQUE,
                              "resource-base-path", "/br/com/pdv/Terminal",
                              NULL);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  return application;
}

/**
 * pdv_ui_test_init:
 * @animations: see pdv_ui_test_init_application()
 *
 * Starts a UI test program: translations, GTest, the artefacts folder and
 * the application. Every fixture copies the demo event from
 * $PDV_DEMO_DIR: without it the program stops here, with a hint, rather
 * than in its first test.
 */
PdvApplication *
pdv_ui_test_init (int       *argc,
                  char    ***argv,
                  gboolean   animations)
{
  const char *demo_dir;

  pdv_i18n_init ();
  g_test_init (argc, argv, NULL);

  demo_dir = g_getenv ("PDV_DEMO_DIR");
  if (demo_dir == NULL || *demo_dir == '\0')
    {
      g_printerr ("PDV_DEMO_DIR is not set: point it at data/demo in the source tree\n");
      exit (1);
    }
  pdv_ui_test_init_artefacts ();

  return pdv_ui_test_init_application (animations);
}

/* GTK 4.8 and libadwaita 1.2 warn when the bottom view switcher is revealed
 * in a narrow window (its action bar is allocated -1 px high inside a 0 px
 * revealer): theirs to fix, and harmless. Everything else goes to the
 * default writer, fatal as the test harness made it. */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  static const char * const known[] = {
    "attempt to allocate GtkBox box",
    "attempt to allocate AdwViewSwitcher viewswitcher",
    "Trying to snapshot AdwGizmo",
  };
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }
  if (g_strcmp0 (domain, "Gtk") == 0 && (log_level & G_LOG_LEVEL_WARNING) != 0 && message != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (known); i++)
      if (strstr (message, known[i]) != NULL && (i != 0 || strstr (message, "height -1") != NULL))
        {
          g_test_message ("toolkit warning, tolerated: %s", message);
          return G_LOG_WRITER_HANDLED;
        }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/**
 * pdv_ui_test_tolerate_switcher_warnings:
 *
 * Tolerates the warnings GTK 4.8 and libadwaita 1.2 give about the bottom
 * view switcher of a narrow window, for tests that shrink the window; every
 * other warning still fails the test. Call it once, after
 * pdv_ui_test_init().
 */
void
pdv_ui_test_tolerate_switcher_warnings (void)
{
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
}

/**
 * pdv_ui_test_new_window:
 * @require_login: whether it opens on the login screen, as the program does
 *
 * Returns: (transfer none): a terminal window over @context, sharing
 *   @application's settings as pdv_window_new() does; not presented yet
 */
PdvWindow *
pdv_ui_test_new_window (PdvApplication *application,
                        PdvContext     *context,
                        gboolean        require_login)
{
  return g_object_new (PDV_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       "settings", pdv_application_get_settings (application),
                       "require-login", require_login,
                       NULL);
}

/**
 * pdv_ui_test_log_in:
 *
 * Logs @user_id in on @window's login screen with @pin, which must be
 * right: the window unlocks for them.
 */
void
pdv_ui_test_log_in (PdvWindow  *window,
                    const char *user_id,
                    const char *pin)
{
  PdvLoginPage *login_page = PDV_LOGIN_PAGE (pdv_window_get_login_page (window));

  g_assert_true (pdv_window_get_locked (window));
  g_assert_true (pdv_login_page_choose_user (login_page, user_id));
  pdv_login_page_type_pin (login_page, pin);
  pdv_ui_test_wait_until (!pdv_login_page_get_busy (login_page), 10);
  g_assert_null (pdv_login_page_get_message (login_page));
  g_assert_false (pdv_window_get_locked (window));
  g_assert_cmpstr (pdv_session_get_user_id (pdv_window_get_session (window)), ==, user_id);
  pdv_ui_test_settle ();
}

/**
 * pdv_ui_test_submit_manager_pin:
 *
 * Waits for @prompt to show, types @pin on its pad and waits for its
 * verdict.
 *
 * Returns: %TRUE when @prompt accepted @pin (and closed)
 */
gboolean
pdv_ui_test_submit_manager_pin (PdvManagerPrompt *prompt,
                                const char       *pin)
{
  PdvManagerPrompt *weak = prompt;

  g_assert_nonnull (prompt);
  pdv_ui_test_wait_for_window (GTK_WIDGET (prompt));
  g_object_add_weak_pointer (G_OBJECT (prompt), (gpointer *) &weak);
  g_signal_emit_by_name (pdv_manager_prompt_get_pin_pad (prompt), "submitted", pin);
  pdv_ui_test_wait_until (weak == NULL || !pdv_manager_prompt_get_checking (weak), 20);
  pdv_ui_test_settle ();
  if (weak == NULL)
    return TRUE;
  g_object_remove_weak_pointer (G_OBJECT (prompt), (gpointer *) &weak);
  return FALSE;
}

/**
 * pdv_ui_test_find_action_button:
 *
 * Returns: (nullable) (transfer none): the first button in @widget (itself
 *   included) that activates @action_name
 */
GtkWidget *
pdv_ui_test_find_action_button (GtkWidget  *widget,
                                const char *action_name)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pdv_ui_test_find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * pdv_ui_test_assert_fully_shown:
 * @what: what @widget is, for the failure message
 *
 * Fails the test unless @widget is wholly inside @window: not cut off by a
 * window too small for what it holds.
 */
void
pdv_ui_test_assert_fully_shown (GtkWidget  *window,
                                GtkWidget  *widget,
                                const char *what)
{
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  if (bounds.origin.x < 0 || bounds.origin.y < 0 ||
      bounds.origin.x + bounds.size.width > width + 0.5 || bounds.origin.y + bounds.size.height > height + 0.5)
    g_test_fail_printf ("%s is cut off: %g,%g %gx%g in a %dx%d window", what,
                        bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height, width, height);
}

/**
 * pdv_ui_test_describe_widget:
 *
 * Returns: (transfer full): how a failure message names @widget: its type,
 *   its id, its icon and the terminal's widget it is in
 */
char *
pdv_ui_test_describe_widget (GtkWidget *widget)
{
  GString *path = g_string_new (G_OBJECT_TYPE_NAME (widget));
  const char *id = GTK_IS_BUILDABLE (widget) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) : NULL;

  if (id != NULL)
    g_string_append_printf (path, "#%s", id);
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (path, " (icon %s)", gtk_button_get_icon_name (GTK_BUTTON (widget)));
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL)
    g_string_append_printf (path, " (icon %s)", gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)));
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (w), "Pdv"))
      {
        g_string_append_printf (path, " in %s", G_OBJECT_TYPE_NAME (w));
        break;
      }
  return g_string_free (path, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Words on the button: a label that shows, which is its name. */
static gboolean
has_words (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child) && !is_blank (gtk_label_get_text (GTK_LABEL (child))))
        return TRUE;
      if (has_words (child))
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  /* Not "labelled-by": GTK points a button's at its child, which for an
   * icon is a picture without a name. */
  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* The value if it is not "", else NULL. */
      g_autofree char *label = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");

      return label != NULL && *label != '\0';
    }
  return FALSE;
}

/* Buttons inside these are the toolkit's own, named by it or not reachable
 * on their own: not ours to name. */
static gboolean
is_toolkit_internal (GtkWidget *widget,
                     GtkWidget *root)
{
  static const char * const owners[] = {
    "GtkWindowControls",    /* minimise, maximise, close: named by GTK */
    "GtkSpinButton",        /* its + and −: the spin button is the control */
    "GtkPopoverMenu",       /* menu items: their labels */
    "AdwViewSwitcher",      /* page buttons: their labels */
    "AdwToastWidget",
  };

  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL && w != root; w = gtk_widget_get_parent (w))
    {
      /* A menu button's own toggle button: the menu button is checked. */
      if (GTK_IS_MENU_BUTTON (w))
        return TRUE;
      /* An entry row's Apply button (libadwaita 1.2 names it only with a
       * tooltip); buttons added to the row are checked. */
      if (ADW_IS_ENTRY_ROW (w) && GTK_IS_BUILDABLE (widget) &&
          g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), "apply_button") == 0)
        return TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
        if (g_strcmp0 (G_OBJECT_TYPE_NAME (w), owners[i]) == 0)
          return TRUE;
    }
  return FALSE;
}

static void
collect_unnamed_buttons (GtkWidget *root,
                         GtkWidget *widget,
                         GPtrArray *problems,
                         guint     *n_checked)
{
  if ((GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) && !is_toolkit_internal (widget, root))
    {
      (*n_checked)++;
      if (!has_words (widget))
        {
          gboolean named = has_accessible_name (widget);
          gboolean tooltip = gtk_widget_get_tooltip_text (widget) != NULL || gtk_widget_get_tooltip_markup (widget) != NULL;

          if (!named || !tooltip)
            {
              g_autofree char *where = pdv_ui_test_describe_widget (widget);

              g_ptr_array_add (problems, g_strdup_printf ("%s: %s%s%s", where,
                                                          named ? "" : "no accessible name",
                                                          !named && !tooltip ? ", " : "",
                                                          tooltip ? "" : "no tooltip"));
            }
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed_buttons (root, child, problems, n_checked);
}

/**
 * pdv_ui_test_assert_buttons_named:
 * @what: what @root is, for the messages
 *
 * Fails the test unless every button in @root without words on it (an
 * icon) has a name a screen reader reads and a tooltip. Buttons that are
 * the toolkit's own are left out.
 *
 * Returns: how many buttons were checked, with words or without; at least one
 */
guint
pdv_ui_test_assert_buttons_named (GtkWidget  *root,
                                  const char *what)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  guint n_checked = 0;

  collect_unnamed_buttons (root, root, problems, &n_checked);
  g_test_message ("%s: %u buttons checked", what, n_checked);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", what, (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (n_checked, >, 0);
  if (problems->len > 0)
    g_test_fail_printf ("%s: %u buttons without a name or a tooltip (listed above), e.g. %s",
                        what, problems->len, (const char *) g_ptr_array_index (problems, 0));
  return n_checked;
}

/**
 * pdv_ui_test_find_toplevel:
 *
 * Returns: (transfer none) (nullable): the first toplevel window of @type
 */
GtkWindow *
pdv_ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return toplevel;
    }
  return NULL;
}

/* @text as a QR code held up to a camera: a 640×480 picture. */
void
pdv_ui_test_write_qr_frame (const char *text,
                            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvQrCode) code = pdv_qr_encode (text, &error);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 640, 480);
  cairo_t *cr = cairo_create (surface);
  double module = 8;
  double side;

  g_assert_no_error (error);
  side = (code->width + 8) * module;
  cairo_set_source_rgb (cr, 0.35, 0.38, 0.42);
  cairo_paint (cr);
  cairo_translate (cr, (640 - side) / 2, (480 - side) / 2);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, side, side);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint y = 0; y < code->width; y++)
    for (guint x = 0; x < code->width; x++)
      if (pdv_qr_code_is_dark (code, x, y))
        cairo_rectangle (cr, (x + 4) * module, (y + 4) * module, module, module);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* The first widget of @type in @widget's tree, @widget included. */
GtkWidget *
pdv_ui_test_find_widget (GtkWidget *widget,
                         GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pdv_ui_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

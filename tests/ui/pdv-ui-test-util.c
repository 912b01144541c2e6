/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-ui-test"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <string.h>

#include "pdv-ui-test-util.h"

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

/* Lets the frame clock lay out and draw what the last change did. */
void
pdv_ui_test_settle (void)
{
  pdv_ui_test_run_main_loop_for (150);
}

void
pdv_ui_test_wait_for_window (GtkWidget *window)
{
  pdv_ui_test_wait_until (gtk_widget_get_mapped (window) && gtk_widget_get_width (window) > 0, 10);
  pdv_ui_test_settle ();
}

void
pdv_ui_test_destroy_window (GtkWindow *window)
{
  GtkWindow *weak = window;

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

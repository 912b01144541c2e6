/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-catalog-colours"

#include "config.h"

#include "pdv-catalog-colours.h"

/* The colours an imported catalog gives its products and categories, as
 * CSS classes for the product tiles and the category tabs. Catalog colours
 * come from a file: they are parsed rather than pasted into CSS, and each
 * gets the text colour that stays readable on it. The rules apply for as
 * long as the object lives. */
struct _PdvCatalogColours
{
  GObject         parent_instance;

  GHashTable     *classes;     /* "#rrggbb" → class name */
  GString        *css;
  GtkCssProvider *provider;    /* NULL until installed */
  GdkDisplay     *display;
};

G_DEFINE_FINAL_TYPE (PdvCatalogColours, pdv_catalog_colours, G_TYPE_OBJECT)

static gboolean
normalise_colour (const char *colour,
                  char        out_hex[8],
                  gboolean   *out_dark_text)
{
  GdkRGBA rgba;
  double luminance;

  if (colour == NULL || !gdk_rgba_parse (&rgba, colour))
    return FALSE;

  g_snprintf (out_hex, 8, "#%02x%02x%02x",
              (guint) (rgba.red * 255. + .5),
              (guint) (rgba.green * 255. + .5),
              (guint) (rgba.blue * 255. + .5));
  luminance = 0.2126 * rgba.red + 0.7152 * rgba.green + 0.0722 * rgba.blue;
  *out_dark_text = luminance > 0.5;
  return TRUE;
}

static void
pdv_catalog_colours_dispose (GObject *object)
{
  PdvCatalogColours *self = PDV_CATALOG_COLOURS (object);

  if (self->provider != NULL)
    gtk_style_context_remove_provider_for_display (self->display, GTK_STYLE_PROVIDER (self->provider));
  g_clear_object (&self->provider);
  g_clear_object (&self->display);

  G_OBJECT_CLASS (pdv_catalog_colours_parent_class)->dispose (object);
}

static void
pdv_catalog_colours_finalize (GObject *object)
{
  PdvCatalogColours *self = PDV_CATALOG_COLOURS (object);

  g_clear_pointer (&self->classes, g_hash_table_unref);
  g_string_free (self->css, TRUE);

  G_OBJECT_CLASS (pdv_catalog_colours_parent_class)->finalize (object);
}

static void
pdv_catalog_colours_class_init (PdvCatalogColoursClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_catalog_colours_dispose;
  object_class->finalize = pdv_catalog_colours_finalize;
}

static void
pdv_catalog_colours_init (PdvCatalogColours *self)
{
  self->classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->css = g_string_new (NULL);
}

PdvCatalogColours *
pdv_catalog_colours_new (void)
{
  return g_object_new (PDV_TYPE_CATALOG_COLOURS, NULL);
}

/**
 * pdv_catalog_colours_add:
 * @colour: (nullable): a colour from the catalog, e.g. "#f5c211"
 *
 * Returns: (nullable): the CSS class that gives a tile or a tab @colour,
 *   %NULL when @colour is not one
 */
const char *
pdv_catalog_colours_add (PdvCatalogColours *self,
                         const char        *colour)
{
  char hex[8];
  gboolean dark_text;
  char *klass;

  g_return_val_if_fail (PDV_IS_CATALOG_COLOURS (self), NULL);
  g_return_val_if_fail (self->provider == NULL, NULL);

  if (!normalise_colour (colour, hex, &dark_text))
    return NULL;

  klass = g_hash_table_lookup (self->classes, hex);
  if (klass != NULL)
    return klass;

  klass = g_strdup_printf ("pdv-colour-%u", g_hash_table_size (self->classes));
  g_hash_table_insert (self->classes, g_strdup (hex), klass);

  g_string_append_printf (self->css,
                          ".product-tile.%1$s, .category-button.%1$s:checked {"
                          " background-color: %2$s; color: %3$s; }\n"
                          ".category-button.%1$s { box-shadow: inset 0 -4px %2$s; }\n",
                          klass, hex,
                          dark_text ? "rgba(0, 0, 0, 0.87)" : "#ffffff");
  return klass;
}

/**
 * pdv_catalog_colours_install:
 *
 * Puts the classes added so far to work on @display, until @self goes.
 */
void
pdv_catalog_colours_install (PdvCatalogColours *self,
                             GdkDisplay        *display)
{
  g_return_if_fail (PDV_IS_CATALOG_COLOURS (self));
  g_return_if_fail (GDK_IS_DISPLAY (display));
  g_return_if_fail (self->provider == NULL);

  if (self->css->len == 0)
    return;

  self->display = g_object_ref (display);
  self->provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (self->provider, self->css->str, self->css->len);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (self->provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-settings"

#include "config.h"

#include "pdv-settings.h"

/* The terminal's settings (br.com.pdv.Terminal) as properties that widgets
 * and the objects that use them bind to. Every property has the name of its
 * key and notifies whenever the key changes, whoever changed it: a change in
 * the preferences takes effect at once, with no restart. */
struct _PdvSettings
{
  GObject    parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (PdvSettings, pdv_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TERMINAL_NAME,
  PROP_SERVER_URLS,
  PROP_PRINTER,
  PROP_PAPER_WIDTH,
  PROP_RECEIPT_HEADER,
  PROP_RECEIPT_FOOTER,
  PROP_CAMERA_DEVICE,
  PROP_SOUNDS_ENABLED,
  PROP_SOUND_VOLUME,
  PROP_LOCK_TIMEOUT,
  PROP_KIOSK_MODE,
  PROP_BAR_COUNTER,
  PROP_COUNTER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
key_for (guint prop_id)
{
  return g_param_spec_get_name (properties[prop_id]);
}

static gboolean
strv_equal (const char * const *a,
            const char * const *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || *a == NULL) && (b == NULL || *b == NULL);
  return g_strv_equal (a, b);
}

static void
settings_changed_cb (PdvSettings *self,
                     const char  *key)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), key);

  if (pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
pdv_settings_dispose (GObject *object)
{
  PdvSettings *self = PDV_SETTINGS (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pdv_settings_parent_class)->dispose (object);
}

static void
pdv_settings_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PdvSettings *self = PDV_SETTINGS (object);
  const char *key = g_param_spec_get_name (pspec);

  switch (prop_id)
    {
    case PROP_TERMINAL_NAME:
    case PROP_PRINTER:
    case PROP_CAMERA_DEVICE:
    case PROP_COUNTER_NAME:
      g_value_take_string (value, g_settings_get_string (self->settings, key));
      break;
    case PROP_SERVER_URLS:
    case PROP_RECEIPT_HEADER:
    case PROP_RECEIPT_FOOTER:
      g_value_take_boxed (value, g_settings_get_strv (self->settings, key));
      break;
    case PROP_PAPER_WIDTH:
      g_value_set_uint (value, (guint) g_settings_get_enum (self->settings, key));
      break;
    case PROP_SOUNDS_ENABLED:
    case PROP_KIOSK_MODE:
    case PROP_BAR_COUNTER:
      g_value_set_boolean (value, g_settings_get_boolean (self->settings, key));
      break;
    case PROP_SOUND_VOLUME:
      g_value_set_double (value, g_settings_get_double (self->settings, key));
      break;
    case PROP_LOCK_TIMEOUT:
      g_value_set_uint (value, g_settings_get_uint (self->settings, key));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_settings_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PdvSettings *self = PDV_SETTINGS (object);
  const char *key = g_param_spec_get_name (pspec);

  /* Only real changes are written: a two-way binding that hands a value
   * back must not make the key change again. */
  switch (prop_id)
    {
    case PROP_TERMINAL_NAME:
    case PROP_PRINTER:
    case PROP_CAMERA_DEVICE:
    case PROP_COUNTER_NAME:
      {
        g_autofree char *old = g_settings_get_string (self->settings, key);
        const char *text = g_value_get_string (value);

        if (g_strcmp0 (old, text != NULL ? text : "") != 0)
          g_settings_set_string (self->settings, key, text != NULL ? text : "");
      }
      break;
    case PROP_SERVER_URLS:
    case PROP_RECEIPT_HEADER:
    case PROP_RECEIPT_FOOTER:
      {
        g_auto(GStrv) old = g_settings_get_strv (self->settings, key);
        const char * const *lines = g_value_get_boxed (value);

        if (!strv_equal ((const char * const *) old, lines))
          g_settings_set_strv (self->settings, key, lines);
      }
      break;
    case PROP_PAPER_WIDTH:
      {
        guint width = g_value_get_uint (value);

        if (width != 58 && width != 80)
          g_warning ("Paper is 58 or 80 mm wide, not %u", width);
        else if ((guint) g_settings_get_enum (self->settings, key) != width)
          g_settings_set_enum (self->settings, key, (int) width);
      }
      break;
    case PROP_SOUNDS_ENABLED:
    case PROP_KIOSK_MODE:
    case PROP_BAR_COUNTER:
      if (g_settings_get_boolean (self->settings, key) != g_value_get_boolean (value))
        g_settings_set_boolean (self->settings, key, g_value_get_boolean (value));
      break;
    case PROP_SOUND_VOLUME:
      if (g_settings_get_double (self->settings, key) != g_value_get_double (value))
        g_settings_set_double (self->settings, key, g_value_get_double (value));
      break;
    case PROP_LOCK_TIMEOUT:
      if (g_settings_get_uint (self->settings, key) != g_value_get_uint (value))
        g_settings_set_uint (self->settings, key, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_settings_class_init (PdvSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = pdv_settings_dispose;
  object_class->get_property = pdv_settings_get_property;
  object_class->set_property = pdv_settings_set_property;

  /* Names, ranges and defaults are those of the schema's keys. */
  properties[PROP_TERMINAL_NAME] =
    g_param_spec_string ("terminal-name", NULL, NULL, "", flags);
  properties[PROP_SERVER_URLS] =
    g_param_spec_boxed ("server-urls", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_PRINTER] =
    g_param_spec_string ("printer", NULL, NULL, "", flags);
  properties[PROP_PAPER_WIDTH] =
    g_param_spec_uint ("paper-width", NULL, NULL, 58, 80, 80, flags);
  properties[PROP_RECEIPT_HEADER] =
    g_param_spec_boxed ("receipt-header", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_RECEIPT_FOOTER] =
    g_param_spec_boxed ("receipt-footer", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_CAMERA_DEVICE] =
    g_param_spec_string ("camera-device", NULL, NULL, "", flags);
  properties[PROP_SOUNDS_ENABLED] =
    g_param_spec_boolean ("sounds-enabled", NULL, NULL, TRUE, flags);
  properties[PROP_SOUND_VOLUME] =
    g_param_spec_double ("sound-volume", NULL, NULL, 0.0, 1.0, 1.0, flags);
  properties[PROP_LOCK_TIMEOUT] =
    g_param_spec_uint ("lock-timeout", NULL, NULL, 0, 86400, 0, flags);
  properties[PROP_KIOSK_MODE] =
    g_param_spec_boolean ("kiosk-mode", NULL, NULL, FALSE, flags);
  properties[PROP_BAR_COUNTER] =
    g_param_spec_boolean ("bar-counter", NULL, NULL, FALSE, flags);
  properties[PROP_COUNTER_NAME] =
    g_param_spec_string ("counter-name", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdv_settings_init (PdvSettings *self)
{
}

/**
 * pdv_settings_schema_is_installed:
 *
 * Returns: whether GSettings can find the terminal's schema (installed, or
 *   in $GSETTINGS_SCHEMA_DIR for a build that is not)
 */
gboolean
pdv_settings_schema_is_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, PDV_APP_ID, TRUE);
  return schema != NULL;
}

/**
 * pdv_settings_new:
 *
 * The terminal's settings, from the default backend. The schema must be
 * installed (see pdv_settings_schema_is_installed()).
 */
PdvSettings *
pdv_settings_new (void)
{
  g_autoptr(GSettings) settings = g_settings_new (PDV_APP_ID);

  return pdv_settings_new_for_settings (settings);
}

/**
 * pdv_settings_new_for_settings:
 * @settings: a #GSettings of the br.com.pdv.Terminal schema
 */
PdvSettings *
pdv_settings_new_for_settings (GSettings *settings)
{
  PdvSettings *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PDV_TYPE_SETTINGS, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

GSettings *
pdv_settings_get_gsettings (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), NULL);
  return self->settings;
}

/**
 * pdv_settings_dup_terminal_name:
 *
 * Returns: (transfer full): the name to show, "" for the one the terminal
 *   was set up with
 */
char *
pdv_settings_dup_terminal_name (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), NULL);
  return g_settings_get_string (self->settings, key_for (PROP_TERMINAL_NAME));
}

char **
pdv_settings_dup_server_urls (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), NULL);
  return g_settings_get_strv (self->settings, key_for (PROP_SERVER_URLS));
}

/**
 * pdv_settings_dup_printer:
 *
 * Returns: (transfer full): the CUPS destination, "" for the default one
 */
char *
pdv_settings_dup_printer (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), NULL);
  return g_settings_get_string (self->settings, key_for (PROP_PRINTER));
}

/**
 * pdv_settings_get_paper_width:
 *
 * Returns: 58 or 80, in millimetres, as #PdvPaperWidth has them
 */
guint
pdv_settings_get_paper_width (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), 80);
  return (guint) g_settings_get_enum (self->settings, key_for (PROP_PAPER_WIDTH));
}

char **
pdv_settings_dup_receipt_header (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), NULL);
  return g_settings_get_strv (self->settings, key_for (PROP_RECEIPT_HEADER));
}

char **
pdv_settings_dup_receipt_footer (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), NULL);
  return g_settings_get_strv (self->settings, key_for (PROP_RECEIPT_FOOTER));
}

char *
pdv_settings_dup_camera_device (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), NULL);
  return g_settings_get_string (self->settings, key_for (PROP_CAMERA_DEVICE));
}

gboolean
pdv_settings_get_bar_counter (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), FALSE);
  return g_settings_get_boolean (self->settings, key_for (PROP_BAR_COUNTER));
}

gboolean
pdv_settings_get_sounds_enabled (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), TRUE);
  return g_settings_get_boolean (self->settings, key_for (PROP_SOUNDS_ENABLED));
}

double
pdv_settings_get_sound_volume (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), 1.0);
  return g_settings_get_double (self->settings, key_for (PROP_SOUND_VOLUME));
}

/**
 * pdv_settings_get_lock_timeout:
 *
 * Returns: seconds without use before the terminal locks; 0 for never
 */
guint
pdv_settings_get_lock_timeout (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), 0);
  return g_settings_get_uint (self->settings, key_for (PROP_LOCK_TIMEOUT));
}

gboolean
pdv_settings_get_kiosk_mode (PdvSettings *self)
{
  g_return_val_if_fail (PDV_IS_SETTINGS (self), FALSE);
  return g_settings_get_boolean (self->settings, key_for (PROP_KIOSK_MODE));
}

void
pdv_settings_set_kiosk_mode (PdvSettings *self,
                             gboolean     kiosk_mode)
{
  g_return_if_fail (PDV_IS_SETTINGS (self));
  g_object_set (self, "kiosk-mode", kiosk_mode, NULL);
}


/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-application"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-accessible.h"
#include "pdv-application-private.h"
#include "pdv-core.h"
#include "pdv-error-window.h"
#include "pdv-settings.h"
#include "pdv-window.h"

struct _PdvApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  PdvSettings    *settings;
};

G_DEFINE_FINAL_TYPE (PdvApplication, pdv_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DB_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The terminal database to use (default: the one in your data folder)"), N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

/* The database this terminal opens, as the running one names its own. */
static char *
db_path_in_use (PdvApplication *self)
{
  g_autofree char *path = self->db_path != NULL ? g_strdup (self->db_path) : pdv_default_db_path ();

  return g_canonicalize_filename (path, NULL);
}

/* Started while PDV runs in this session: the running one is brought to the
 * front when it has the database asked for; it cannot open a second. */
static int
tell_running (PdvApplication *self)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self), "db-path");
  g_autofree char *wanted = db_path_in_use (self);
  const char *running = state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_STRING)
                          ? g_variant_get_string (state, NULL) : NULL;

  if (running != NULL && !g_str_equal (running, wanted))
    {
      g_printerr (_("PDV is already running on %s and cannot open %s beside it: one terminal has one database. "
                    "Close it first, or open the other as another user.\n"), running, wanted);
      return 1;
    }
  g_application_activate (G_APPLICATION (self));
  g_dbus_connection_flush_sync (g_application_get_dbus_connection (G_APPLICATION (self)), NULL, NULL);
  g_print (_("PDV is already running on %s: its window was brought to the front.\n"), running ? running : wanted);
  return 0;
}

static int
pdv_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  PdvApplication *self = PDV_APPLICATION (application);
  g_autofree char *db_path = NULL;
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("pdv %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^ay", &db_path))
    pdv_application_set_db_path (self, db_path);

  if (!pdv_settings_schema_is_installed ())
    {
      g_printerr ("%s\n", _("PDV is not installed properly: its settings schema (br.com.pdv.Terminal) is missing. "
                            "Install it, or run it from the build with GSETTINGS_SCHEMA_DIR set to the build's data folder."));
      return 1;
    }

  /* One terminal per person's session: a second start says what it did. */
  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (g_application_get_is_remote (application))
    return tell_running (self);

  return G_APPLICATION_CLASS (pdv_application_parent_class)->handle_local_options (application, options);
}

static void
pdv_application_startup (GApplication *application)
{
  PdvApplication *self = PDV_APPLICATION (application);
  g_autofree char *db_path = db_path_in_use (self);
  g_autoptr(GSimpleAction) db_action = NULL;

  G_APPLICATION_CLASS (pdv_application_parent_class)->startup (application);
  pdv_accessible_init ();

  _pdv_application_actions_init (self);
  /* What a second start asks: which database this terminal has open. */
  db_action = g_simple_action_new_stateful ("db-path", NULL, g_variant_new_string (db_path));
  g_simple_action_set_enabled (db_action, FALSE);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (db_action));
}

static void
pdv_application_activate (GApplication *application)
{
  PdvApplication *self = PDV_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      g_autofree char *db_path = self->db_path != NULL ? g_strdup (self->db_path)
                                                       : pdv_default_db_path ();
      g_autoptr(PdvContext) context = NULL;
      g_autoptr(GError) error = NULL;

      context = pdv_context_open (db_path, &error);
      /* pdvctl reads a copy it may not write; a terminal must write. */
      if (context != NULL && pdv_db_is_read_only (pdv_context_get_db (context)))
        {
          g_set_error (&error, PDV_DB_ERROR, PDV_DB_ERROR_READ_ONLY,
                       _("%s can only be read by this user: the terminal writes every sale and scan to it. Give "
                         "this user the right to change the file and its folder, or read it with “pdvctl "
                         "--read-only”."), db_path);
          g_clear_object (&context);
        }
      if (context != NULL)
        {
          /* Checkpoints of the write-ahead log wait for the main loop to be
           * idle, between customers, instead of landing inside a sale. */
          pdv_db_set_deferred_checkpoints (pdv_context_get_db (context), TRUE);
          /* Whoever stands at the terminal logs in before anything. */
          window = g_object_new (PDV_TYPE_WINDOW,
                                 "application", self,
                                 "context", context,
                                 "settings", pdv_application_get_settings (self),
                                 "require-login", TRUE,
                                 NULL);
        }
      else
        {
          g_warning ("Could not open %s: %s", db_path, error->message);
          window = GTK_WINDOW (pdv_error_window_new (GTK_APPLICATION (self), db_path, error));
        }
    }

  gtk_window_present (window);
}

static void
pdv_application_finalize (GObject *object)
{
  PdvApplication *self = (PdvApplication *) object;

  g_clear_pointer (&self->db_path, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pdv_application_parent_class)->finalize (object);
}

static void
pdv_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdvApplication *self = PDV_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      g_value_set_string (value, self->db_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_application_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdvApplication *self = PDV_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      pdv_application_set_db_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_application_class_init (PdvApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pdv_application_finalize;
  object_class->get_property = pdv_application_get_property;
  object_class->set_property = pdv_application_set_property;

  application_class->handle_local_options = pdv_application_handle_local_options;
  application_class->startup = pdv_application_startup;
  application_class->activate = pdv_application_activate;

  /**
   * PdvApplication:db-path:
   *
   * The terminal database; %NULL for pdv_default_db_path().
   */
  properties[PROP_DB_PATH] =
    g_param_spec_string ("db-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdv_application_init (PdvApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Point of sale and check-in terminal for events"));
}

PdvApplication *
pdv_application_new (void)
{
  return g_object_new (PDV_TYPE_APPLICATION,
                       "application-id", PDV_APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/br/com/pdv/Terminal",
                       NULL);
}

/**
 * pdv_application_get_settings:
 *
 * Returns: (transfer none): the terminal's settings, shared by its windows
 */
PdvSettings *
pdv_application_get_settings (PdvApplication *self)
{
  g_return_val_if_fail (PDV_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = pdv_settings_new ();
  return self->settings;
}

const char *
pdv_application_get_db_path (PdvApplication *self)
{
  g_return_val_if_fail (PDV_IS_APPLICATION (self), NULL);
  return self->db_path;
}

void
pdv_application_set_db_path (PdvApplication *self,
                             const char     *db_path)
{
  g_return_if_fail (PDV_IS_APPLICATION (self));

  if (g_strcmp0 (self->db_path, db_path) == 0)
    return;
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_PATH]);
}

/**
 * pdv_application_choose_renderer:
 *
 * Call before GTK starts. On a machine with no GPU render node, GTK's GL
 * renderer draws in software (llvmpipe): there a frame of the terminal's
 * window costs 40 ms or more, and a keystroke in the product search about
 * 70 ms, against 17 ms and 30 ms with cairo's renderer, which draws on the
 * CPU directly. Such a terminal draws with cairo; GSK_RENDERER still decides
 * when it is set.
 */
void
pdv_application_choose_renderer (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  dir = g_dir_open ("/dev/dri", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return;
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

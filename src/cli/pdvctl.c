/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "pdvctl.h"

void
pdvctl_print_json (json_t *value)
{
  /* UTF-8 as it is ("Latão", not "Lat\u00e3o"), whatever the locale: it is
   * for programs. */
  char *text = json_dumps (value, JSON_INDENT (2) | JSON_ENCODE_ANY);

  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
  free (text);
}

/**
 * pdvctl_print_json_list:
 * @list: (transfer full): what was listed
 *
 * Prints a list as every command prints its answer: an object, here
 * `{"ok": true, "KEY": [...]}`.
 */
void
pdvctl_print_json_list (const char *key,
                        json_t     *list)
{
  json_t *body = json_pack ("{s:b, s:o}", "ok", TRUE, key, list);

  pdvctl_print_json (body);
  json_decref (body);
}

/**
 * pdvctl_pad:
 *
 * Returns: (transfer full): @text with spaces after it up to @width
 *   characters: printf pads by bytes, which misaligns accented names
 */
char *
pdvctl_pad (const char *text,
            int         width)
{
  glong chars = g_utf8_strlen (text, -1);

  return g_strdup_printf ("%s%*s", text, (int) MAX (0, width - chars), "");
}

int
pdvctl_fail (Options    *options,
             const char *message)
{
  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s}", "ok", FALSE, "error", message);
      pdvctl_print_json (body);
      json_decref (body);
    }
  g_printerr ("pdvctl: %s\n", message);
  return PDVCTL_EXIT_FAILED;
}

/* A command line that does not say what to do: exit status 2, with where
 * to read how. */
int
pdvctl_fail_usage (Options    *options,
                   const char *message)
{
  pdvctl_fail (options, message);
  if (options->command != NULL)
    g_printerr (_("Run “pdvctl %s --help” for its options.\n"), options->command);
  return PDVCTL_EXIT_USAGE;
}

int
pdvctl_fail_error (Options *options,
                   GError  *error)
{
  /* An option the command does not know, or a value it cannot read. */
  if (error->domain == G_OPTION_ERROR)
    return pdvctl_fail_usage (options, error->message);
  return pdvctl_fail (options, error->message);
}

/* Times are told in the event's zone, as every screen of the terminal tells
 * them: an organiser's laptop may be set to any zone. */
static GTimeZone *display_zone;

/**
 * pdvctl_local_time:
 *
 * Returns: (transfer full): @time in the event's zone (once a terminal was
 *   opened), this machine's otherwise
 */
GDateTime *
pdvctl_local_time (GDateTime *time)
{
  return display_zone != NULL ? g_date_time_to_timezone (time, display_zone) : g_date_time_to_local (time);
}

/* Beside a working terminal, a command waits its turn and says so. */
static void
waiting_cb (PdvDb    *db,
            gpointer  user_data)
{
  g_printerr (_("pdvctl: waiting for %s: another program (the terminal, or another pdvctl) is writing to it; "
                "Ctrl+C gives up\n"), pdv_db_get_path (db));
}

PdvContext *
pdvctl_open_context (Options   *options,
                     gboolean   must_be_initialised,
                     GError   **error)
{
  g_autoptr(PdvContext) context = NULL;

  /* Only init and enroll make a terminal: any other command given a path
   * that is not there (a typo) says so, rather than make an empty terminal
   * and report on it. */
  if (g_strcmp0 (options->command, "init") != 0 && g_strcmp0 (options->command, "enroll") != 0 && !g_file_test (options->db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_NOT_INITIALISED,
                   _("There is no terminal database at %s; check the path, or run “pdvctl --db %s init” to make one"),
                   options->db_path, options->db_path);
      return NULL;
    }
  context = options->read_only ? pdv_context_open_read_only (options->db_path, error)
                               : pdv_context_open (options->db_path, error);
  if (context == NULL)
    return NULL;
  if (must_be_initialised && !pdv_journal_is_initialised (pdv_context_get_journal (context)))
    {
      g_set_error (error, PDV_JOURNAL_ERROR, PDV_JOURNAL_ERROR_NOT_INITIALISED,
                   _("%s is not a terminal database yet; run “pdvctl --db %s init” first"),
                   options->db_path, options->db_path);
      return NULL;
    }
  g_clear_pointer (&display_zone, g_time_zone_unref);
  display_zone = pdv_context_dup_event_timezone (context);
  pdv_db_wait_patiently (pdv_context_get_db (context), waiting_cb, NULL);
  return g_steal_pointer (&context);
}

gboolean
pdvctl_parse_options (Options       *options,
                      const char    *usage,
                      GOptionEntry  *entries,
                      GError       **error)
{
  g_autoptr(GOptionContext) parser = g_option_context_new (usage);

  g_option_context_set_help_enabled (parser, TRUE);
  if (entries)
    g_option_context_add_main_entries (parser, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (parser, GETTEXT_PACKAGE);
  /* The strv variant frees what it consumes; plain parse would leak it. */
  return g_option_context_parse_strv (parser, &options->args, error);
}

/**
 * pdvctl_read_stdin:
 *
 * Returns: (transfer full): all of standard input, or %NULL with @error set
 */
GBytes *
pdvctl_read_stdin (GError **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buf[65536];

  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, buf, sizeof buf);

      if (n == 0)
        break;
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not read standard input: %s"),
                       g_strerror (saved));
          return NULL;
        }
      g_byte_array_append (data, buf, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* Adds the import to @list, and tells a person about it unless output is JSON. */
static void
summarise_import (Options               *options,
                  json_t                *list,
                  const char            *file,
                  const PdvImportResult *result)
{
  g_autofree char *base = g_path_get_basename (file);

  json_array_append_new (list, json_pack ("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:I}",
                                          "file", base,
                                          "kind", pdv_import_kind_name (result->kind),
                                          "categories", result->n_categories,
                                          "products", result->n_products,
                                          "tickets", result->n_tickets,
                                          "users", result->n_users,
                                          "revocations", result->n_revocations,
                                          "seq", (json_int_t) result->seq));
  if (options->json)
    return;
  switch (result->kind)
    {
    case PDV_IMPORT_KIND_EVENT:
      g_print (_("%s: event imported\n"), base);
      break;
    case PDV_IMPORT_KIND_CATALOG:
    case PDV_IMPORT_KIND_CATEGORIES:
    case PDV_IMPORT_KIND_PRODUCTS:
      {
        g_autofree char *categories = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u category", "%u categories",
                                                                    result->n_categories), result->n_categories);
        g_autofree char *products = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u product", "%u products",
                                                                  result->n_products), result->n_products);

        /* Translators: a file name, then "7 categories", "42 products" */
        g_print (_("%s: %s and %s imported\n"), base, categories, products);
      }
      break;
    case PDV_IMPORT_KIND_TICKETS:
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %u ticket imported\n", "%s: %u tickets imported\n",
                            result->n_tickets), base, result->n_tickets);
      break;
    case PDV_IMPORT_KIND_USERS:
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %u user imported\n", "%s: %u users imported\n",
                            result->n_users), base, result->n_users);
      break;
    case PDV_IMPORT_KIND_REVOCATIONS:
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %u revoked ticket imported\n",
                            "%s: %u revoked tickets imported\n", result->n_revocations),
               base, result->n_revocations);
      break;
    case PDV_IMPORT_KIND_AUTO:
    default:
      break;
    }
}

/* The database and the files SQLite keeps beside it. */
static void
remove_database (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* Sets the terminal up in @path, which does not exist yet. */
static gboolean
init_database (Options     *options,
               const char  *path,
               const char  *name,
               const char  *demo_dir,
               GDateTime   *demo_starts,
               json_t      *imports,
               char       **out_terminal_id,
               GError     **error)
{
  g_autoptr(PdvContext) context = pdv_context_open (path, error);
  PdvImportResult results[G_N_ELEMENTS (pdv_demo_files)];

  if (context == NULL || !pdv_journal_initialise (pdv_context_get_journal (context), name, error))
    return FALSE;
  *out_terminal_id = g_strdup (pdv_journal_get_terminal_id (pdv_context_get_journal (context)));
  if (!options->json)
    g_print (_("Terminal “%s” (%s) created in %s\n"), name, *out_terminal_id, options->db_path);
  if (demo_dir == NULL)
    return TRUE;
  if (!pdv_context_load_demo (context, demo_dir, demo_starts, results, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (pdv_demo_files); i++)
    {
      g_autofree char *shown = g_build_filename (demo_dir, pdv_demo_files[i], NULL);

      summarise_import (options, imports, shown, &results[i]);
    }
  if (demo_starts != NULL && !options->json)
    {
      g_autoptr(GTimeZone) zone = pdv_context_dup_event_timezone (context);
      g_autofree char *when = pdv_datetime_format (demo_starts, zone, PDV_DATETIME_DATE_TIME);

      /* Translators: %s is a date and time in the event's time zone */
      g_print (_("The demo event began at %s: its doors are open.\n"), when);
    }
  return TRUE;
}

/* --demo-starts and --demo-dir: when the demo begins (an hour ago unless
 * said; NULL for "published") and where its files are. Returns an exit
 * status, 0 to go on. */
static int
demo_options (Options     *options,
              const char  *starts,
              char       **inout_demo_dir,
              GDateTime  **out_starts)
{
  if (starts == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      *out_starts = g_date_time_add_seconds (now, -3600 - g_date_time_get_seconds (now));
    }
  else if (!g_str_equal (starts, "published"))
    {
      *out_starts = g_date_time_new_from_iso8601 (starts, NULL);
      if (*out_starts == NULL)
        return pdvctl_fail_usage (options, _("--demo-starts is a time like 2026-12-12T18:00:00-03:00, or "
                                             "“published”"));
    }
  if (*inout_demo_dir == NULL)
    *inout_demo_dir = pdv_demo_dir ();
  if (!g_file_test (*inout_demo_dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *message = g_strdup_printf (_("There are no demo files in %s: give their folder with "
                                                    "--demo-dir, or set PDV_DEMO_DIR"), *inout_demo_dir);

      return pdvctl_fail (options, message);
    }
  return 0;
}

/* demo-files OUT_DIR: the demo's documents as init --demo imports them,
 * for a sync server to send to its terminals. */
static int
command_demo_files (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) demo_starts = NULL;
  g_autofree char *demo_dir = NULL;
  g_autofree char *starts = NULL;
  const char *out_dir;
  int status;
  GOptionEntry entries[] = {
    { "demo-dir", 0, 0, G_OPTION_ARG_FILENAME, &demo_dir, N_("Where the demo files are"), N_("DIR") },
    { "demo-starts", 0, 0, G_OPTION_ARG_STRING, &starts,
      N_("When the demo event begins (default: an hour ago, so that its doors are open; “published”: as in its "
         "files)"), N_("TIME") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("demo-files OUT_DIR — write the demo's files as init --demo imports them"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 2)
    return pdvctl_fail_usage (options, _("demo-files needs the folder to write them in"));
  out_dir = options->args[1];
  status = demo_options (options, starts, &demo_dir, &demo_starts);
  if (status != 0)
    return status;
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("Could not create the folder %s: %s"), out_dir,
                                                  g_strerror (errno));

      return pdvctl_fail (options, message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pdv_demo_files); i++)
    {
      g_autoptr(GBytes) bytes = pdv_demo_document (demo_dir, pdv_demo_files[i], demo_starts, &error);
      g_autofree char *path = g_build_filename (out_dir, pdv_demo_files[i], NULL);
      gsize length = 0;
      const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

      if (bytes == NULL || !g_file_set_contents (path, data, length, &error))
        return pdvctl_fail_error (options, error);
    }
  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s}", "ok", TRUE, "dir", out_dir);

      pdvctl_print_json (body);
      json_decref (body);
    }
  else
    g_print (_("The demo's files are in %s\n"), out_dir);
  return 0;
}

static int
command_init (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) demo_starts = NULL;
  g_autoptr(json_t) imports = json_array ();
  g_autofree char *name = NULL;
  g_autofree char *demo_dir = NULL;
  g_autofree char *starts = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *terminal_id = NULL;
  gboolean demo = FALSE;
  GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, N_("Load the demo event, catalog, tickets and users"), NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("What people call this terminal (default: the host name)"), N_("NAME") },
    { "demo-dir", 0, 0, G_OPTION_ARG_FILENAME, &demo_dir, N_("Where the demo files are"), N_("DIR") },
    { "demo-starts", 0, 0, G_OPTION_ARG_STRING, &starts,
      N_("When the demo event begins (default: an hour ago, so that its doors are open; “published”: as in its "
         "files)"), N_("TIME") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("init — set up a new terminal database"), entries, &error))
    return pdvctl_fail_error (options, error);
  if (name == NULL)
    name = g_strdup (g_get_host_name ());
  if (starts != NULL && !demo)
    return pdvctl_fail_usage (options, _("--demo-starts goes with --demo"));
  if (demo)
    {
      int status = demo_options (options, starts, &demo_dir, &demo_starts);

      if (status != 0)
        return status;
    }

  /* An existing database says whose it is. */
  if (g_file_test (options->db_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(PdvContext) context = pdvctl_open_context (options, FALSE, &error);
      g_autofree char *message = NULL;

      if (context == NULL)
        return pdvctl_fail_error (options, error);
      /* Initialising one that is set up refuses, saying whose it is. */
      if (pdv_journal_is_initialised (pdv_context_get_journal (context)) &&
          !pdv_journal_initialise (pdv_context_get_journal (context), name, &error))
        return pdvctl_fail_error (options, error);
      message = g_strdup_printf (_("%s exists but holds no terminal (a set-up that was interrupted?): remove it "
                                   "and run init again"), options->db_path);
      return pdvctl_fail (options, message);
    }

  /* All or nothing: made beside, and put in place only when whole. */
  {
    g_autofree char *dir = g_path_get_dirname (options->db_path);

    if (g_mkdir_with_parents (dir, 0700) != 0)
      {
        g_autofree char *message = g_strdup_printf (_("Could not create the folder %s: %s"), dir,
                                                    g_strerror (errno));

        return pdvctl_fail (options, message);
      }
  }
  partial = g_strdup_printf ("%s.%d.partial", options->db_path, (int) getpid ());
  remove_database (partial);
  if (!init_database (options, partial, name, demo ? demo_dir : NULL, demo_starts, imports, &terminal_id,
                      &error))
    {
      remove_database (partial);
      return pdvctl_fail_error (options, error);
    }
  if (g_rename (partial, options->db_path) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("Could not put the new database in place at %s: %s"),
                                                  options->db_path, g_strerror (errno));

      remove_database (partial);
      return pdvctl_fail (options, message);
    }

  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s, s:s, s:s, s:O}", "ok", TRUE, "terminal_id", terminal_id,
                                "terminal_name", name, "db", options->db_path, "imports", imports);

      if (demo_starts != NULL)
        {
          g_autofree char *when = g_date_time_format_iso8601 (demo_starts);

          json_object_set_new (body, "demo_starts", json_string (when));
        }
      pdvctl_print_json (body);
      json_decref (body);
    }
  return 0;
}

static int
command_import (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autofree char *kind_name = NULL;
  PdvImportKind kind = PDV_IMPORT_KIND_AUTO;
  json_t *imports;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name,
      N_("What the file holds: event, catalog, categories, products, tickets, users or revocations "
         "(default: tell from the content)"),
      N_("KIND") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("import FILE… — import event, catalog, tickets, users or revocations"),
                              entries, &error))
    return pdvctl_fail_error (options, error);
  if (kind_name != NULL && !pdv_import_kind_parse (kind_name, &kind))
    {
      g_autofree char *message = g_strdup_printf (_("unknown kind “%s”"), kind_name);
      return pdvctl_fail_usage (options, message);
    }
  if (g_strv_length (options->args) < 2)
    return pdvctl_fail_usage (options, _("import needs a file to import"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);

  imports = json_array ();
  for (guint i = 1; options->args[i]; i++)
    {
      PdvImportResult result;
      gboolean ok;

      /* "-" is standard input, read whole: what it holds is told from its
       * content, which a pipe gives only once. */
      if (g_str_equal (options->args[i], "-"))
        {
          g_autoptr(GBytes) data = pdvctl_read_stdin (&error);

          ok = data != NULL && pdv_import_data (pdv_context_get_journal (context), "stdin",
                                                g_bytes_get_data (data, NULL), g_bytes_get_size (data), kind,
                                                NULL, &result, &error);
        }
      else
        ok = pdv_import_file (pdv_context_get_journal (context), options->args[i], kind, NULL, &result, &error);
      if (!ok)
        {
          json_decref (imports);
          return pdvctl_fail_error (options, error);
        }
      summarise_import (options, imports, g_str_equal (options->args[i], "-") ? "stdin" : options->args[i], &result);
    }
  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:O}", "ok", TRUE, "imports", imports);
      pdvctl_print_json (body);
      json_decref (body);
    }
  json_decref (imports);
  return 0;
}

static int
command_products (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GPtrArray) products = NULL;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Also list inactive products"), NULL },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("products — list the catalog"), entries, &error))
    return pdvctl_fail_error (options, error);
  context = pdvctl_open_context (options, FALSE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  products = pdv_catalog_list_products (pdv_context_get_catalog (context), NULL, all, &error);
  if (products == NULL)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_t *list = json_array ();

      for (guint i = 0; i < products->len; i++)
        {
          PdvProduct *p = g_ptr_array_index (products, i);
          json_t *item = json_pack ("{s:s, s:s, s:I, s:s, s:s?, s:b, s:b}",
                                    "id", p->id, "name", p->name, "price", (json_int_t) p->price,
                                    "category", p->category_id, "barcode", p->barcode,
                                    "active", p->active, "track_stock", p->track_stock);
          if (p->track_stock)
            {
              json_object_set_new (item, "stock", json_integer (p->stock));
              json_object_set_new (item, "stock_policy",
                                   json_string (p->stock_policy == PDV_STOCK_POLICY_BLOCK ? "block" : "warn"));
            }
          json_array_append_new (list, item);
        }
      pdvctl_print_json_list ("products", list);
      return 0;
    }

  if (products->len == 0)
    {
      g_print (_("The catalog is empty; import one with “pdvctl import catalog.json”.\n"));
      return 0;
    }
  /* Translators: column headings of the product list; keep them short */
  g_print ("%-20s %-40s %14s  %-12s %s\n", _("SKU"), _("Name"), _("Price"), _("Category"), _("Stock"));
  for (guint i = 0; i < products->len; i++)
    {
      PdvProduct *p = g_ptr_array_index (products, i);
      g_autofree char *price = pdv_money_format (p->price);
      g_autofree char *stock = p->track_stock ? g_strdup_printf ("%" G_GINT64_FORMAT, p->stock) : g_strdup ("—");
      /* printf pads by bytes: pad names by characters instead. */
      glong name_chars = g_utf8_strlen (p->name, -1);
      glong price_chars = g_utf8_strlen (price, -1);

      g_print ("%-20s %s%*s %*s%s  %-12s %s%s\n", p->id, p->name, (int) MAX (0, 40 - name_chars), "",
               (int) MAX (0, 14 - price_chars), "", price, p->category_id, stock,
               p->active ? "" : _(" (inactive)"));
    }
  return 0;
}

static int
command_journal (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GPtrArray) entries_list = NULL;
  gint64 since = 0;
  gint64 limit = 0;
  GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_INT64, &since, N_("Only entries after this sequence number"), N_("SEQ") },
    { "limit", 0, 0, G_OPTION_ARG_INT64, &limit, N_("At most this many entries"), N_("N") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("journal — list journal entries"), entries, &error))
    return pdvctl_fail_error (options, error);
  if (since < 0 || limit < 0)
    return pdvctl_fail_usage (options, _("--since and --limit cannot be negative"));
  context = pdvctl_open_context (options, FALSE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  entries_list = pdv_journal_list (pdv_context_get_journal (context), since, limit, &error);
  if (entries_list == NULL)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_t *list = json_array ();

      for (guint i = 0; i < entries_list->len; i++)
        json_array_append_new (list, pdv_journal_entry_to_json (g_ptr_array_index (entries_list, i)));
      pdvctl_print_json_list ("entries", list);
      return 0;
    }

  for (guint i = 0; i < entries_list->len; i++)
    {
      PdvJournalEntry *e = g_ptr_array_index (entries_list, i);

      g_print ("%6" G_GINT64_FORMAT "  %s  %-16s %-10s %s\n", e->seq, e->created_at, e->kind,
               e->user ? e->user : "-", e->payload_text ? e->payload_text : "");
    }
  return 0;
}

static int
command_verify (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) alarm_error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  PdvJournal *journal;
  gint64 n_entries = 0;
  gint64 bad_seq = 0;
  gboolean ok;

  if (!pdvctl_parse_options (options, _("verify — check the journal’s hash chain and projections, and the "
                                        "imported state and settings against it"),
                              NULL, &error))
    return pdvctl_fail_error (options, error);
  context = pdvctl_open_context (options, FALSE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  journal = pdv_context_get_journal (context);

  ok = pdv_check_state (journal, TRUE, &n_entries, &bad_seq, notes, &error);
  /* What was found stays on the terminal until a check passes; a database
   * that cannot be written (an auditor's copy) is only read. */
  if (!pdv_alarm_follow_check (journal, error, &alarm_error))
    g_debug ("The alarm was left as it was: %s", alarm_error->message);
  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:I}", "ok", ok, "entries", (json_int_t) n_entries);
      json_t *list = json_array ();

      for (guint i = 0; i < notes->len; i++)
        json_array_append_new (list, json_string (g_ptr_array_index (notes, i)));
      json_object_set_new (body, "notes", list);
      if (!ok)
        {
          json_object_set_new (body, "error", json_string (error->message));
          if (bad_seq > 0)
            json_object_set_new (body, "bad_seq", json_integer (bad_seq));
        }
      pdvctl_print_json (body);
      json_decref (body);
    }
  if (!ok)
    {
      g_printerr ("pdvctl: %s\n", error->message);
      return 1;
    }
  if (!options->json)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "Journal intact: %lld entry, hash chain and projections consistent; imported state "
                            "and settings match it.\n",
                            "Journal intact: %lld entries, hash chain and projections consistent; imported state "
                            "and settings match it.\n",
                            n_entries), (long long) n_entries);
      for (guint i = 0; i < notes->len; i++)
        g_print ("%s\n", (const char *) g_ptr_array_index (notes, i));
    }
  return 0;
}

static int
command_backup (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  gint64 last_seq;

  if (!pdvctl_parse_options (options, _("FILE — copy the terminal’s database to FILE while it keeps working"),
                             NULL, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 2)
    return pdvctl_fail_usage (options, _("backup needs the file to write, one that does not exist yet"));
  context = pdvctl_open_context (options, FALSE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  last_seq = pdv_journal_get_last_seq (pdv_context_get_journal (context));
  if (!pdv_db_backup (pdv_context_get_db (context), options->args[1], &error))
    return pdvctl_fail_error (options, error);
  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:s, s:I}", "ok", TRUE, "file", options->args[1],
                                "last_seq", (json_int_t) last_seq);

      pdvctl_print_json (body);
      json_decref (body);
      return 0;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "Backed up to %s, with the journal’s %lld entry.\n",
                        "Backed up to %s, with the journal’s %lld entries.\n", last_seq),
           options->args[1], (long long) last_seq);
  return 0;
}

static int
command_rebuild (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  gint64 n_entries = 0;

  if (!pdvctl_parse_options (options, _("rebuild — recompute stock and other tables from the journal"),
                              NULL, &error))
    return pdvctl_fail_error (options, error);
  context = pdvctl_open_context (options, FALSE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  /* Never rebuild from a chain that does not verify. */
  if (!pdv_journal_verify_chain (pdv_context_get_journal (context), NULL, NULL, &error) ||
      !pdv_journal_rebuild (pdv_context_get_journal (context), &n_entries, &error))
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:I}", "ok", TRUE, "entries", (json_int_t) n_entries);
      pdvctl_print_json (body);
      json_decref (body);
    }
  else
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "Projections rebuilt from %lld journal entry.\n",
                          "Projections rebuilt from %lld journal entries.\n",
                          n_entries), (long long) n_entries);
  return 0;
}

static const struct {
  const char  *name;
  CommandFunc  func;
  const char  *summary;
} commands[] = {
  { "init", command_init, N_("Set up a new terminal database (--demo loads the demo event)") },
  { "demo-files", command_demo_files, N_("Write the demo's files as init --demo imports them (for a sync server)") },
  { "import", command_import, N_("Import an event, catalog, ticket or user file (JSON or CSV)") },
  { "products", command_products, N_("List the catalog") },
  { "journal", command_journal, N_("List journal entries (--since SEQ)") },
  { "verify", command_verify, N_("Check the journal, and the imported state and settings against it") },
  { "backup", command_backup, N_("Copy the terminal’s database to a file while it keeps working") },
  { "rebuild", command_rebuild, N_("Recompute projections from the journal") },
  { "sell", pdvctl_command_sell, N_("Commit a sale: SKU[xQTY]… --pay METHOD:AMOUNT… [--discount PCT%|AMOUNT]") },
  { "void", pdvctl_command_void, N_("Void a sale (manager PIN)") },
  { "refund", pdvctl_command_refund, N_("Refund part of a sale (manager PIN)") },
  { "open-sales", pdvctl_command_open_sales, N_("Sales being paid in parts; give one up (open-sales give-up ID)") },
  { "shift", pdvctl_command_shift, N_("Open, drop, pay in, close (blind count) the drawer’s shift") },
  { "drawer", pdvctl_command_drawer, N_("Open the cash drawer without a sale (drawer open --reason TEXT)") },
  { "report", pdvctl_command_report, N_("The X or Z report as text, ESC/POS, PDF or CSV (manager PIN)") },
  { "dashboard", pdvctl_command_dashboard, N_("The shift’s figures, the door’s pace and the stock forecast (manager PIN)") },
  { "receipt", pdvctl_command_receipt, N_("Show or print again a sale’s receipt (--print)") },
  { "pix", pdvctl_command_pix, N_("Build or check a PIX BR Code") },
  { "ficha", pdvctl_command_ficha, N_("Serve a ficha’s drink or say why not (ficha redeem TOKEN); a sale’s fichas (ficha list SALE_ID)") },
  { "checkin", pdvctl_command_checkin, N_("Check a ticket in (or out with --exit); exit status 1 if refused") },
  { "tickets", pdvctl_command_tickets, N_("Find tickets: tickets search NAME|ORDER") },
  { "occupancy", pdvctl_command_occupancy, N_("How many people are inside, against capacity") },
  { "gate", pdvctl_command_gate, N_("Show or set the gate this terminal is: name, zones, direction") },
  { "keygen", pdvctl_command_keygen, N_("Make a key pair for signing tickets (--out PREFIX)") },
  { "ticket", pdvctl_command_ticket, N_("Make a signed ticket: ticket sign --key FILE …") },
  { "enroll", pdvctl_command_enroll, N_("Make this terminal known to a sync server: enroll URL CODE") },
  { "sync", pdvctl_command_sync, N_("Synchronise with the sync server (--once, --status)") },
  { "recover", pdvctl_command_recover, N_("Give a terminal restored from a backup its history back from the sync server") },
  { "admin", pdvctl_command_admin, N_("The sync server’s administration: enrolment codes, documents, totals") },
  { "scan", pdvctl_command_scan, N_("Print the QR codes in pictures (PNG or JPEG)") },
};

/* To standard output when asked for, to standard error with a mistake. */
static void
print_usage (gboolean asked)
{
  g_autofree char *db = pdv_default_db_path ();
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append (text, _("Usage: pdvctl [--db PATH] [--json] [--read-only] COMMAND [OPTIONS…]\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (text, _("\nThe database defaults to %s ($PDV_DB). --read-only opens it without "
                                  "changing anything (an audit); a file this user may not write is opened so.\n"
                                  "Run “pdvctl help COMMAND” for a command’s options.\n"
                                  "Exit status: 0 done, 1 refused or failed, 2 a command line that does not say "
                                  "what to do.\n"), db);
  if (asked)
    g_print ("%s", text->str);
  else
    g_printerr ("%s", text->str);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  /* Freed on every way out, early ones included. */
  g_autofree char *db_path = NULL;
  Options options = { 0 };
  const char *command = NULL;
  const char *unknown = NULL;
  int status;

  pdv_process_tune_memory ();
  pdv_i18n_init ();

  /* Global options may come before or after the command. */
  g_ptr_array_add (rest, argv[0]);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--json"))
        options.json = TRUE;
      else if (g_str_equal (argv[i], "--read-only"))
        options.read_only = TRUE;
      else if (g_str_equal (argv[i], "--db") && i + 1 < argc)
        {
          g_free (db_path);
          db_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (db_path);
          db_path = g_strdup (argv[i] + 5);
        }
      else if (g_str_equal (argv[i], "--db"))
        {
          g_printerr ("pdvctl: %s\n", _("--db needs a path"));
          return 2;
        }
      else if (command == NULL && argv[i][0] != '-')
        command = argv[i];
      else if (command == NULL && (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h")))
        {
          print_usage (TRUE);
          return 0;
        }
      else if (command == NULL && g_str_equal (argv[i], "--version"))
        {
          g_print ("pdvctl %s\n", PACKAGE_VERSION);
          return 0;
        }
      else
        {
          if (command == NULL && unknown == NULL)
            unknown = argv[i];
          g_ptr_array_add (rest, argv[i]);
        }
    }

  if (command == NULL)
    {
      if (unknown != NULL)
        g_printerr (_("pdvctl: unknown option “%s”\n"), unknown);
      else
        g_printerr ("pdvctl: %s\n", _("say which command to run"));
      print_usage (FALSE);
      return PDVCTL_EXIT_USAGE;
    }
  /* "pdvctl help" is the usage; "pdvctl help COMMAND" the command's --help. */
  if (g_str_equal (command, "help"))
    {
      if (rest->len < 2)
        {
          print_usage (TRUE);
          return 0;
        }
      command = g_ptr_array_index (rest, 1);
      g_ptr_array_set_size (rest, 1);
      g_ptr_array_add (rest, (gpointer) "--help");
    }
  g_ptr_array_add (rest, NULL);
  if (db_path == NULL)
    db_path = pdv_default_db_path ();
  options.db_path = db_path;

  options.args = g_strdupv ((GStrv) rest->pdata);
  status = -1;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (command, commands[i].name))
      {
        options.command = commands[i].name;
        status = commands[i].func (&options);
        break;
      }
  if (status == -1)
    {
      g_printerr (_("pdvctl: unknown command “%s”\n"), command);
      print_usage (FALSE);
      status = PDVCTL_EXIT_USAGE;
    }

  g_strfreev (options.args);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-context"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pdv-context.h"
#include "pdv-csv.h"
#include "pdv-db-private.h"
#include "pdv-import.h"

/* What a terminal works with, passed to every page and command instead of
 * globals. Everything here belongs to the thread that opened it. */
struct _PdvContext
{
  GObject     parent_instance;
  PdvDb      *db;
  PdvJournal *journal;
  PdvCatalog *catalog;
};

G_DEFINE_FINAL_TYPE (PdvContext, pdv_context, G_TYPE_OBJECT)

static void
pdv_context_finalize (GObject *object)
{
  PdvContext *self = (PdvContext *) object;

  g_clear_object (&self->catalog);
  g_clear_object (&self->journal);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (pdv_context_parent_class)->finalize (object);
}

static void
pdv_context_class_init (PdvContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdv_context_finalize;
}

static void
pdv_context_init (PdvContext *self)
{
}

/* A migration that adds projections leaves them empty on a terminal whose
 * journal is already there (meta "projections_stale"): fill them in once. */
static gboolean
catch_up_projections (PdvContext  *self,
                      GError     **error)
{
  g_autofree char *stale = pdv_db_get_meta (self->db, "projections_stale");

  if (stale == NULL)
    return TRUE;
  if (pdv_journal_is_initialised (self->journal) && !pdv_journal_rebuild (self->journal, NULL, error))
    return FALSE;
  return pdv_db_exec (self->db, "DELETE FROM meta WHERE key = 'projections_stale'", error);
}

/* Takes @db. */
static PdvContext *
context_new (PdvDb   *db,
             GError **error)
{
  g_autoptr(PdvContext) self = NULL;

  if (db == NULL)
    return NULL;
  self = g_object_new (PDV_TYPE_CONTEXT, NULL);
  self->db = db;
  self->journal = pdv_journal_new (self->db);
  self->catalog = pdv_catalog_new (self->db);
  if (!catch_up_projections (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * pdv_context_open:
 * @db_path: the terminal database; its folder is created if needed
 */
PdvContext *
pdv_context_open (const char  *db_path,
                  GError     **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);

  dir = g_path_get_dirname (db_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }
  return context_new (pdv_db_open (db_path, error), error);
}

/**
 * pdv_context_open_read_only:
 *
 * Opens an existing terminal to read only (see pdv_db_open_read_only()):
 * listed, verified and reported on, nothing written.
 */
PdvContext *
pdv_context_open_read_only (const char  *db_path,
                            GError     **error)
{
  g_return_val_if_fail (db_path != NULL, NULL);

  return context_new (pdv_db_open_read_only (db_path, error), error);
}

/**
 * pdv_context_open_beside:
 * @self: a terminal opened by another thread
 *
 * Opens the same terminal again, on a connection of the calling thread's
 * own and on @self's clock: for worker threads, since a connection belongs
 * to the thread that opened it. Only @self's path and clock are read here,
 * both safe from any thread.
 */
PdvContext *
pdv_context_open_beside (PdvContext  *self,
                         GError     **error)
{
  PdvContext *beside;

  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);

  beside = pdv_context_open (pdv_db_get_path (self->db), error);
  if (beside != NULL)
    pdv_db_set_clock (beside->db, pdv_db_get_clock (self->db));
  return beside;
}

PdvDb *
pdv_context_get_db (PdvContext *self)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);
  return self->db;
}

PdvJournal *
pdv_context_get_journal (PdvContext *self)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);
  return self->journal;
}

PdvCatalog *
pdv_context_get_catalog (PdvContext *self)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);
  return self->catalog;
}

/**
 * pdv_context_get_clock:
 *
 * The terminal's one clock (its database's): tests and rehearsals set or
 * advance it instead of waiting.
 */
PdvClock *
pdv_context_get_clock (PdvContext *self)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);
  return pdv_db_get_clock (self->db);
}

char *
pdv_context_dup_terminal_name (PdvContext *self)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);
  return pdv_db_get_meta (self->db, "terminal_name");
}

char *
pdv_context_dup_event_name (PdvContext *self)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);
  return pdv_db_get_meta (self->db, "event_name");
}

/**
 * pdv_context_dup_event:
 *
 * Returns: (transfer full) (nullable): the imported event (name, times,
 *   time zone, merchant…) as JSON, %NULL before one is imported
 */
json_t *
pdv_context_dup_event (PdvContext *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);

  text = pdv_db_get_meta (self->db, "event");
  return text != NULL ? json_loads (text, 0, NULL) : NULL;
}

/**
 * pdv_context_dup_event_timezone:
 *
 * Returns: (transfer full): where the event happens, in which its times
 *   are told; this machine's zone when the event names none
 */
GTimeZone *
pdv_context_dup_event_timezone (PdvContext *self)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (self), NULL);

  return pdv_event_timezone_for_db (self->db);
}

/**
 * pdv_event_timezone_for_db:
 *
 * Returns: (transfer full): the zone of the event @db was set up for, as
 *   pdv_context_dup_event_timezone()
 */
GTimeZone *
pdv_event_timezone_for_db (PdvDb *db)
{
  g_autofree char *text = pdv_db_get_meta (db, "event");
  g_autoptr(json_t) event = text != NULL ? json_loads (text, 0, NULL) : NULL;
  const char *identifier = json_string_value (json_object_get (event, "timezone"));
  GTimeZone *timezone = identifier != NULL ? g_time_zone_new_identifier (identifier) : NULL;

  return timezone != NULL ? timezone : g_time_zone_new_local ();
}

guint
pdv_context_count_tickets (PdvContext *self)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (PDV_IS_CONTEXT (self), 0);

  stmt = pdv_db_prepare (self->db, "SELECT COUNT (*) FROM tickets", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return count;
}

/**
 * pdv_default_db_path:
 *
 * $PDV_DB if set, else the terminal database in the user's data folder.
 */
char *
pdv_default_db_path (void)
{
  const char *env = g_getenv ("PDV_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "pdv", "terminal.db", NULL);
}

const char * const pdv_demo_files[4] = { "event.json", "catalog.json", "tickets.csv", "users.json" };

/**
 * pdv_demo_dir:
 *
 * $PDV_DEMO_DIR if set, else the installed copy, else (a build that was not
 * installed) the one in its source tree.
 */
char *
pdv_demo_dir (void)
{
  const char *env = g_getenv ("PDV_DEMO_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (!g_file_test (PDV_DEMO_DIR, G_FILE_TEST_IS_DIR) && g_file_test (PDV_SOURCE_DEMO_DIR, G_FILE_TEST_IS_DIR))
    return g_strdup (PDV_SOURCE_DEMO_DIR);
  return g_strdup (PDV_DEMO_DIR);
}

/* @text moved by @offset, in its own offset from UTC; "" stays "". */
static char *
move_time (const char *text,
           GTimeSpan   offset)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) moved = NULL;

  if (text == NULL || *text == '\0')
    return g_strdup (text);
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return NULL;
  moved = g_date_time_add (time, offset);
  return g_date_time_format (moved, "%FT%T%:z");
}

/**
 * pdv_demo_document:
 * @file: event.json, catalog.json, tickets.csv or users.json
 * @starts: (nullable): when the demo event is to begin; %NULL: as published
 *
 * A demo document as it is imported: with @starts, the event and its
 * tickets' validity are moved so that the event begins then, lasting as
 * long (a demo made today opens its doors today).
 *
 * Returns: (transfer full) (nullable): the document's bytes
 */
GBytes *
pdv_demo_document (const char  *demo_dir,
                   const char  *file,
                   GDateTime   *starts,
                   GError     **error)
{
  g_autofree char *path = g_build_filename (demo_dir, file, NULL);
  g_autofree char *event_path = g_build_filename (demo_dir, "event.json", NULL);
  g_autofree char *data = NULL;
  g_autoptr(json_t) event = NULL;
  g_autoptr(GDateTime) published = NULL;
  json_error_t json_error;
  GTimeSpan offset;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  if (starts == NULL || (!g_str_equal (file, "event.json") && !g_str_equal (file, "tickets.csv")))
    return g_bytes_new_take (g_steal_pointer (&data), length);

  /* The event's published start, from the text just read when it is the
   * event. */
  event = g_str_equal (file, "event.json") ? json_loadb (data, length, 0, &json_error)
                                           : json_load_file (event_path, 0, &json_error);
  if (event == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s is not JSON: %s (line %d)"), event_path,
                   json_error.text, json_error.line);
      return NULL;
    }
  published = g_date_time_new_from_iso8601 (json_string_value (json_object_get (json_object_get (event, "event"),
                                                                                "starts_at")), NULL);
  if (published == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s has no event start (starts_at) to move"),
                   event_path);
      return NULL;
    }
  offset = g_date_time_difference (starts, published);

  if (g_str_equal (file, "event.json"))
    {
      json_t *fields = json_object_get (event, "event");
      static const char * const keys[] = { "starts_at", "ends_at" };
      char *text;
      char *moved_text;

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          g_autofree char *moved = move_time (json_string_value (json_object_get (fields, keys[i])), offset);

          if (moved != NULL)
            json_object_set_new (fields, keys[i], json_string (moved));
        }
      text = json_dumps (event, JSON_INDENT (2));
      moved_text = g_strdup (text);
      free (text);
      return g_bytes_new_take (moved_text, strlen (moved_text));
    }

  /* tickets.csv: each ticket's validity. */
  {
    g_autoptr(GPtrArray) records = pdv_csv_parse (data, length, path, error);
    PdvCsvWriter out;
    int from = -1, until = -1;
    GStrv header;
    char *text;

    if (records == NULL || records->len == 0)
      {
        if (records != NULL)
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s is empty"), path);
        return NULL;
      }
    header = ((PdvCsvRecord *) g_ptr_array_index (records, 0))->fields;
    for (int c = 0; header[c] != NULL; c++)
      {
        if (g_str_equal (header[c], "valid_from"))
          from = c;
        else if (g_str_equal (header[c], "valid_until"))
          until = c;
      }
    pdv_csv_writer_init (&out, PDV_CSV_RFC4180);
    for (guint r = 0; r < records->len; r++)
      {
        GStrv fields = ((PdvCsvRecord *) g_ptr_array_index (records, r))->fields;

        for (int c = 0; fields[c] != NULL; c++)
          {
            g_autofree char *moved = r > 0 && (c == from || c == until) ? move_time (fields[c], offset) : NULL;

            pdv_csv_writer_text (&out, moved != NULL ? moved : fields[c]);
          }
        pdv_csv_writer_end_record (&out);
      }
    text = pdv_csv_writer_finish (&out);
    return g_bytes_new_take (text, strlen (text));
  }
}

/**
 * pdv_context_load_demo:
 * @starts: (nullable): when the demo event begins; %NULL: as published
 * @results: (out caller-allocates) (array fixed-size=4) (optional): what
 *   each of pdv_demo_files brought
 *
 * Imports the demo event, its catalog, tickets and users (see
 * pdv_demo_document()).
 */
gboolean
pdv_context_load_demo (PdvContext       *self,
                       const char       *demo_dir,
                       GDateTime        *starts,
                       PdvImportResult  *results,
                       GError          **error)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (pdv_demo_files); i++)
    {
      g_autoptr(GBytes) bytes = pdv_demo_document (demo_dir, pdv_demo_files[i], starts, error);
      gsize length = 0;
      const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

      if (bytes == NULL ||
          !pdv_import_data (self->journal, pdv_demo_files[i], data, length, PDV_IMPORT_KIND_AUTO, NULL,
                            results != NULL ? &results[i] : NULL, error))
        return FALSE;
    }
  return TRUE;
}

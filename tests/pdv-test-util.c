/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "pdv-test-util.h"

char *
pdv_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("pdv-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
pdv_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        pdv_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

const char *
pdv_test_demo_dir (void)
{
  const char *dir = g_getenv ("PDV_DEMO_DIR");

  g_assert_nonnull (dir);
  return dir;
}

char *
pdv_test_data_path (const char *name)
{
  const char *dir = g_getenv ("PDV_TEST_DATA");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

/* Importing the demo event hashes eight PINs with Argon2id; do it once per test
 * program and hand every fixture a copy of the result. */
static char *template_dir = NULL;
static char *template_path = NULL;

static void
remove_template (void)
{
  pdv_test_remove_tree (template_dir);
  g_clear_pointer (&template_dir, g_free);
  g_clear_pointer (&template_path, g_free);
}

static const char *
demo_template (void)
{
  if (template_path == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdvContext) context = NULL;
      g_autofree char *wal = NULL;
      char *path;

      template_dir = pdv_test_make_tmpdir ();
      atexit (remove_template);
      path = template_path = g_build_filename (template_dir, "template.db", NULL);
      wal = g_build_filename (template_dir, "template.db-wal", NULL);
      context = pdv_context_open (path, &error);
      g_assert_no_error (error);
      pdv_journal_initialise (pdv_context_get_journal (context), "Bar 1", &error);
      g_assert_no_error (error);
      pdv_context_load_demo (context, pdv_test_demo_dir (), &error);
      g_assert_no_error (error);
      /* Closing the last connection folds the WAL into the file. */
      g_assert_finalize_object (g_steal_pointer (&context));
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }
  return template_path;
}

PdvContext *
pdv_test_open_terminal (const char *dir,
                        gboolean    with_demo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "terminal.db", NULL);
  PdvContext *context;

  if (with_demo)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_file_get_contents (demo_template (), &contents, &length, &error);
      g_assert_no_error (error);
      g_file_set_contents (path, contents, length, &error);
      g_assert_no_error (error);
    }

  context = pdv_context_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);
  if (!with_demo)
    {
      pdv_journal_initialise (pdv_context_get_journal (context), "Bar 1", &error);
      g_assert_no_error (error);
    }
  return context;
}

json_t *
pdv_test_payload (const char *text)
{
  json_error_t json_error;
  json_t *value = json_loads (text, 0, &json_error);

  if (value == NULL)
    g_error ("bad test payload %s: %s", text, json_error.text);
  return value;
}

void
pdv_test_run_clear (PdvTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/**
 * pdv_test_spawn:
 * @locale: (nullable): LC_ALL for the program; %NULL for C.UTF-8
 */
void
pdv_test_spawn (const char * const *argv,
                const char         *locale,
                PdvTestRun         *run)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  env = g_environ_setenv (env, "LC_ALL", locale ? locale : "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "", TRUE);
  env = g_environ_unsetenv (env, "PDV_DB");
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  /* A crash or a sanitizer abort must never pass for success. */
  run->status = WIFSIGNALED (wait_status) ? 128 + WTERMSIG (wait_status) : WEXITSTATUS (wait_status);
  g_test_message ("%s → %d\nstdout: %s\nstderr: %s", argv[1] ? argv[1] : argv[0], run->status,
                  run->out, run->err);
}

/**
 * pdv_test_pdvctl:
 * @args: what follows `pdvctl --db DB`, %NULL-terminated
 *
 * Runs the pdvctl under test ($PDVCTL).
 */
void
pdv_test_pdvctl (const char         *db,
                 const char         *locale,
                 PdvTestRun         *run,
                 const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *exe = g_getenv ("PDVCTL");

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (char *) exe);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  pdv_test_spawn ((const char * const *) argv->pdata, locale, run);
}

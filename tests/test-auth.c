/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

/* The demo users: ana and bruno are cashiers (1111, 2222), diego door staff
 * (4444), fernanda and gustavo managers (9090, 8080), admin the admin (0000). */

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvJournal *journal;
  PdvDb      *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->journal = pdv_context_get_journal (f->context);
  f->db = pdv_context_get_db (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Reopens the terminal, as after a restart: on a new clock, which the test
 * sets again. */
static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (pdv_db_get_path (f->db));

  g_assert_finalize_object (f->context);
  f->context = pdv_context_open (path, &error);
  g_assert_no_error (error);
  f->journal = pdv_context_get_journal (f->context);
  f->db = pdv_context_get_db (f->context);
}

static void
test_lockout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 12, 22, 0, 0);
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  PdvUser *user;
  gint64 before = pdv_journal_get_last_seq (f->journal);
  guint failed = 0;

  pdv_clock_set_time (pdv_db_get_clock (f->db), start);
  for (int i = 0; i < PDV_AUTH_MAX_FAILURES - 1; i++)
    {
      g_assert_null (pdv_auth_login (f->db, "ana", "1234", &error));
      g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  g_assert_cmpint (pdv_auth_get_lockout (f->db, "ana"), ==, 0);
  g_assert_null (pdv_auth_login (f->db, "ana", "1234", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_LOCKED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (pdv_auth_get_lockout (f->db, "ana"), ==, 60);
  /* Locked: even the right PIN is not looked at. */
  g_assert_null (pdv_auth_login (f->db, "ana", "1111", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_LOCKED);
  g_clear_error (&error);
  /* Only ana. */
  user = pdv_test_login (f->db, "bruno", "2222");
  pdv_user_free (user);

  entries = pdv_journal_list (f->journal, before, 0, NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      PdvJournalEntry *entry = g_ptr_array_index (entries, i);
      if (g_str_equal (entry->kind, "auth.failed"))
        {
          g_assert_cmpstr (entry->user, ==, "ana");
          failed++;
        }
    }
  g_assert_cmpuint (failed, ==, PDV_AUTH_MAX_FAILURES + 1);

  /* The lock survives a restart. */
  reopen (f);
  later = g_date_time_add_seconds (start, 30);
  pdv_clock_set_time (pdv_db_get_clock (f->db), later);
  g_assert_cmpint (pdv_auth_get_lockout (f->db, "ana"), ==, 30);
  g_assert_null (pdv_auth_login (f->db, "ana", "1111", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "30"));
  g_clear_error (&error);

  /* And ends after 60 seconds. */
  g_clear_pointer (&later, g_date_time_unref);
  later = g_date_time_add_seconds (start, 60);
  pdv_clock_set_time (pdv_db_get_clock (f->db), later);
  g_assert_cmpint (pdv_auth_get_lockout (f->db, "ana"), ==, 0);
  user = pdv_test_login (f->db, "ana", "1111");
  g_assert_cmpstr (user->id, ==, "ana");
  g_assert_cmpint (user->role, ==, PDV_ROLE_CASHIER);
  pdv_user_free (user);
  {
    g_autoptr(PdvJournalEntry) entry = pdv_test_journal_last_entry (f->journal);
    g_assert_cmpstr (entry->kind, ==, "auth.login");
    g_assert_cmpstr (entry->user, ==, "ana");
  }

  /* A good PIN starts the count again. */
  for (int i = 0; i < PDV_AUTH_MAX_FAILURES - 1; i++)
    {
      g_assert_null (pdv_auth_login (f->db, "ana", "4321", &error));
      g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  user = pdv_test_login (f->db, "ana", "1111");
  pdv_user_free (user);
  g_assert_null (pdv_auth_login (f->db, "ana", "4321", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_WRONG_PIN);
  g_clear_error (&error);

  /* Unknown users are refused and recorded. */
  g_assert_null (pdv_auth_login (f->db, "zeca", "1111", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_UNKNOWN_USER);
  g_clear_error (&error);

  /* Manager overrides lock on their own, for the terminal. */
  for (int i = 0; i < PDV_AUTH_MAX_FAILURES; i++)
    {
      g_assert_null (pdv_auth_authorise (f->db, PDV_PERMISSION_VOID, "7777", "ana", &error));
      g_assert_error (error, PDV_AUTH_ERROR,
                      (i + 1 < PDV_AUTH_MAX_FAILURES ? PDV_AUTH_ERROR_WRONG_PIN : PDV_AUTH_ERROR_LOCKED));
      g_clear_error (&error);
    }
  g_assert_null (pdv_auth_authorise (f->db, PDV_PERMISSION_VOID, "9090", "ana", &error));
  g_assert_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpint (pdv_auth_get_lockout (f->db, NULL), ==, 60);
  /* Logging in is a different matter. */
  user = pdv_test_login (f->db, "fernanda", "9090");
  pdv_user_free (user);

  g_clear_pointer (&later, g_date_time_unref);
  later = g_date_time_add_seconds (start, 121);
  pdv_clock_set_time (pdv_db_get_clock (f->db), later);
  user = pdv_auth_authorise (f->db, PDV_PERMISSION_VOID, "9090", "ana", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->id, ==, "fernanda");
  pdv_user_free (user);
}

/* What each role may do: the whole table, spelled out. */
static void
test_permission_table (void)
{
  static const struct {
    PdvRole     role;
    const char *allowed;
  } expected[] = {
    { PDV_ROLE_CASHIER, " sell shift_open shift_close " },
    { PDV_ROLE_DOOR, " checkin " },
    { PDV_ROLE_MANAGER, " sell checkin void refund discount courtesy drawer_open shift_open shift_close "
                        "close_with_difference report settings door_override " },
    { PDV_ROLE_ADMIN, " sell checkin void refund discount courtesy drawer_open shift_open shift_close "
                      "close_with_difference report settings enroll door_override " },
  };

  for (guint r = 0; r < G_N_ELEMENTS (expected); r++)
    for (int p = 0; p < PDV_N_PERMISSIONS; p++)
      {
        g_autofree char *word = g_strdup_printf (" %s ", pdv_permission_to_string ((PdvPermission) p));
        PdvPermission back;

        g_assert_true (pdv_permission_from_string (pdv_permission_to_string ((PdvPermission) p), &back));
        g_assert_cmpint (back, ==, p);
        if (pdv_role_can (expected[r].role, (PdvPermission) p) != (strstr (expected[r].allowed, word) != NULL))
          g_error ("%s: %s", pdv_role_to_string (expected[r].role), word);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/auth/permission-table", test_permission_table);
  g_test_add ("/auth/lockout", Fixture, NULL, fixture_set_up, test_lockout, fixture_tear_down);

  return g_test_run ();
}

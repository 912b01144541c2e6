/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-json-lines.h"
#include "pdv-test-util.h"

static guint
line_of (GHashTable *lines,
         const char *path)
{
  gpointer value = NULL;

  g_assert_true (g_hash_table_lookup_extended (lines, path, NULL, &value));
  return GPOINTER_TO_UINT (value);
}

static void
test_index (void)
{
  static const char text[] =
    "{\n"
    "  \"format\": \"pdv-catalog\",\n"
    "  \"products\": [\n"
    "    {\"id\": \"AGUA\", \"price\": 600},\n"
    "    {\"id\": \"SUCO\",\n"
    "     \"price\": -300,\n"
    "     \"tags\": [true, null]}\n"
    "  ]\n"
    "}\n";
  g_autoptr(GHashTable) lines = pdv_json_lines_index (text, strlen (text), 3);

  g_assert_cmpuint (line_of (lines, "format"), ==, 2);
  g_assert_cmpuint (line_of (lines, "products"), ==, 3);
  g_assert_cmpuint (line_of (lines, "products/0"), ==, 4);
  g_assert_cmpuint (line_of (lines, "products/1/id"), ==, 5);
  g_assert_cmpuint (line_of (lines, "products/1/price"), ==, 6);
  g_assert_cmpuint (line_of (lines, "products/1/tags"), ==, 7);
  /* Deeper than asked: not indexed. */
  g_assert_false (g_hash_table_contains (lines, "products/1/tags/0"));
}

/* Whatever the bytes, the walk ends: form feeds and vertical tabs outside
 * strings (which JSON does not allow, but a caller may pass), stray quotes,
 * brackets that never close, escapes at the very end. */
static void
test_any_input_ends (void)
{
  static const char alphabet[] = "{}[]\",:\\ \t\r\n\f\v0123abcnul-.e\x01\xff";
  char buffer[256];

  for (guint round = 0; round < 20000; round++)
    {
      gsize length = (gsize) g_test_rand_int_range (0, sizeof buffer);

      for (gsize i = 0; i < length; i++)
        buffer[i] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
      g_hash_table_unref (pdv_json_lines_index (buffer, length, 1 + round % 4));
    }
  /* The cases that once never returned. */
  g_hash_table_unref (pdv_json_lines_index ("{\"a\": \f1}", 9, 2));
  g_hash_table_unref (pdv_json_lines_index ("[\v]", 3, 2));
  g_hash_table_unref (pdv_json_lines_index ("\f", 1, 2));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-lines/index", test_index);
  g_test_add_func ("/json-lines/any-input-ends", test_any_input_ends);
  return g_test_run ();
}

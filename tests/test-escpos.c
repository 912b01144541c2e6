/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

static gboolean
bytes_contain (GBytes       *bytes,
               const guint8 *needle,
               gsize         length)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

/* Columns are counted in letters, not bytes: accented names line up, and
 * amounts end at the right edge of the paper. */
static void
test_escpos_text_columns (void)
{
  g_autoptr(PdvPrintLayout) layout = pdv_print_layout_new (32, FALSE);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  pdv_print_layout_add_text (layout, "Festival Noite de Verão", 0, PDV_PRINT_ALIGN_CENTRE, TRUE, 0);
  pdv_print_layout_add_rule (layout, '-');
  pdv_print_layout_add_row (layout, 0, "Açaí 300 ml", "2", "40,00", FALSE);
  pdv_print_layout_add_pair (layout, 0, "Total", "R$ 40,00", TRUE, TRUE);
  text = pdv_print_layout_render_text (layout);
  lines = g_strsplit (text, "\n", -1);

  g_assert_cmpuint (pdv_print_layout_get_columns (layout), ==, 32);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 32);
  g_assert_cmpint (g_utf8_strlen (lines[1], -1), ==, 32);
  g_assert_true (g_str_has_prefix (lines[2], "Açaí 300 ml"));
  g_assert_true (g_str_has_suffix (lines[2], "40,00"));
  g_assert_cmpint (g_utf8_strlen (lines[2], -1), ==, 32);
  g_assert_true (g_str_has_suffix (lines[3], "R$ 40,00"));
}

/* On the printer: initialised, code page 860 chosen, accents as its bytes,
 * bold where asked, a partial cut; the drawer pulse only when asked, and
 * first. */
static void
test_escpos_bytes (void)
{
  static const guint8 init[] = { 0x1b, '@' };
  static const guint8 codepage[] = { 0x1b, 't', 3 };
  static const guint8 bold_on[] = { 0x1b, 'E', 1 };
  static const guint8 cut[] = { 0x1d, 'V', 66, 0 };
  static const guint8 pulse[] = { 0x1b, 'p', 0, 25, 250 };
  /* "Verão": ã is 0x84 in code page 860. */
  static const guint8 verao[] = { 'V', 'e', 'r', 0x84, 'o' };
  g_autoptr(PdvPrintLayout) layout = pdv_print_layout_new (48, TRUE);
  g_autoptr(GBytes) receipt = NULL;
  g_autoptr(GBytes) with_drawer = NULL;
  g_autoptr(GBytes) drawer = pdv_escpos_open_drawer ();
  const guint8 *data;
  gsize size = 0;

  pdv_print_layout_add_text (layout, "Verão", 0, PDV_PRINT_ALIGN_LEFT, TRUE, 0);
  receipt = pdv_print_layout_render_escpos (layout, FALSE);
  data = g_bytes_get_data (receipt, &size);
  g_assert_cmpmem (data, sizeof init, init, sizeof init);
  g_assert_true (bytes_contain (receipt, codepage, sizeof codepage));
  g_assert_true (bytes_contain (receipt, bold_on, sizeof bold_on));
  g_assert_true (bytes_contain (receipt, verao, sizeof verao));
  g_assert_true (bytes_contain (receipt, cut, sizeof cut));
  g_assert_false (bytes_contain (receipt, pulse, sizeof pulse));

  with_drawer = pdv_print_layout_render_escpos (layout, TRUE);
  g_assert_true (bytes_contain (with_drawer, pulse, sizeof pulse));
  g_assert_cmpuint (g_bytes_get_size (with_drawer), ==, size + sizeof pulse);

  /* The drawer alone: what the manager's "open the drawer" sends. */
  g_assert_true (bytes_contain (drawer, pulse, sizeof pulse));
  g_assert_false (bytes_contain (drawer, cut, sizeof cut));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/escpos/text-columns", test_escpos_text_columns);
  g_test_add_func ("/escpos/bytes", test_escpos_bytes);

  return g_test_run ();
}

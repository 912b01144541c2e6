/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-json-lines"

#include "config.h"

#include "pdv-json-lines.h"

typedef struct {
  gboolean  is_array;
  gboolean  expect_key;
  guint     index;
  char     *key;
} Frame;

static void
record (GHashTable *lines,
        GArray     *frames,
        guint       max_depth,
        guint       line)
{
  GString *path;

  if (frames->len == 0 || frames->len > max_depth)
    return;

  path = g_string_new (NULL);
  for (guint i = 0; i < frames->len; i++)
    {
      Frame *frame = &g_array_index (frames, Frame, i);

      if (i > 0)
        g_string_append_c (path, '/');
      if (frame->is_array)
        g_string_append_printf (path, "%u", frame->index);
      else
        g_string_append (path, frame->key ? frame->key : "");
    }
  if (!g_hash_table_contains (lines, path->str))
    g_hash_table_insert (lines, g_string_free (path, FALSE), GUINT_TO_POINTER (line));
  else
    g_string_free (path, TRUE);
}

static void
clear_frame (gpointer data)
{
  Frame *frame = data;

  g_clear_pointer (&frame->key, g_free);
}

GHashTable *
pdv_json_lines_index (const char *text,
                      gsize       length,
                      guint       max_depth)
{
  GHashTable *lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  guint line = 1;
  gsize i = 0;

  g_array_set_clear_func (frames, clear_frame);

  while (i < length)
    {
      char c = text[i];
      Frame *top = frames->len ? &g_array_index (frames, Frame, frames->len - 1) : NULL;

      switch (c)
        {
        case '\n':
          line++;
          i++;
          break;

        case '"':
          {
            gsize start = ++i;

            while (i < length && text[i] != '"')
              i += text[i] == '\\' ? 2 : 1;
            if (top && !top->is_array && top->expect_key)
              {
                g_free (top->key);
                top->key = g_strndup (text + start, MIN (i, length) - start);
                top->expect_key = FALSE;
              }
            else
              record (lines, frames, max_depth, line);
            i++;
          }
          break;

        case '{':
        case '[':
          {
            Frame frame = { c == '[', c == '{', 0, NULL };

            record (lines, frames, max_depth, line);
            g_array_append_val (frames, frame);
            i++;
          }
          break;

        case '}':
        case ']':
          if (frames->len)
            g_array_remove_index (frames, frames->len - 1);
          i++;
          break;

        case ',':
          if (top && top->is_array)
            top->index++;
          else if (top)
            top->expect_key = TRUE;
          i++;
          break;

        case ' ': case '\t': case '\r': case '\f': case '\v': case ':':
          i++;
          break;

        default:
          /* A number, true, false or null (or anything else: at least one
           * character is always taken, so no input stops the walk). */
          record (lines, frames, max_depth, line);
          do
            i++;
          while (i < length && !g_ascii_isspace (text[i]) && text[i] != ',' &&
                 text[i] != '}' && text[i] != ']');
          break;
        }
    }

  return lines;
}

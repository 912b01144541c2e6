/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-escpos"

#include "config.h"

#include <qrencode.h>
#include <string.h>

#include "pdv-escpos.h"

/* One printed line, laid out for the paper's columns. */
typedef enum {
  LINE_TEXT,
  LINE_QR,    /* text: what the code holds */
  LINE_CUT,
} LineKind;

typedef struct {
  char          *text;
  PdvPrintAlign  align;
  gboolean       bold;
  gboolean       tall;
  gboolean       wide;   /* and double width: half the columns */
  LineKind       kind;
} PrintLine;

struct _PdvPrintLayout
{
  GArray   *lines;    /* PrintLine */
  guint     columns;
  gboolean  cp860;    /* only what the printer's code page can show */
};

#define ESC 0x1b
#define GS  0x1d

/* The columns of pdv_print_layout_add_row(): a count and an amount, right
 * aligned, so that the figures of consecutive rows line up. */
#define COUNT_WIDTH  5
#define AMOUNT_WIDTH 12

/* The letters of Portuguese in code page 860, which ESC/POS printers call
 * "PC860 (Portuguese)", character table 3. */
static const struct {
  gunichar c;
  guint8   byte;
} cp860_letters[] = {
  { 0x00E1, 0xA0 }, /* á */  { 0x00C1, 0x86 }, /* Á */
  { 0x00E0, 0x85 }, /* à */  { 0x00C0, 0x91 }, /* À */
  { 0x00E2, 0x83 }, /* â */  { 0x00C2, 0x8F }, /* Â */
  { 0x00E3, 0x84 }, /* ã */  { 0x00C3, 0x8E }, /* Ã */
  { 0x00E9, 0x82 }, /* é */  { 0x00C9, 0x90 }, /* É */
  { 0x00EA, 0x88 }, /* ê */  { 0x00CA, 0x89 }, /* Ê */
  { 0x00ED, 0xA1 }, /* í */  { 0x00CD, 0x8B }, /* Í */
  { 0x00F3, 0xA2 }, /* ó */  { 0x00D3, 0x9F }, /* Ó */
  { 0x00F4, 0x93 }, /* ô */  { 0x00D4, 0x8C }, /* Ô */
  { 0x00F5, 0x94 }, /* õ */  { 0x00D5, 0x99 }, /* Õ */
  { 0x00FA, 0xA3 }, /* ú */  { 0x00DA, 0x96 }, /* Ú */
  { 0x00FC, 0x81 }, /* ü */  { 0x00DC, 0x9A }, /* Ü */
  { 0x00E7, 0x87 }, /* ç */  { 0x00C7, 0x80 }, /* Ç */
  { 0x00BA, 0xA7 }, /* º */  { 0x00AA, 0xA6 }, /* ª */
};

static int
cp860_byte (gunichar c)
{
  if (c < 0x80)
    return (int) c;
  for (guint i = 0; i < G_N_ELEMENTS (cp860_letters); i++)
    if (cp860_letters[i].c == c)
      return cp860_letters[i].byte;
  return -1;
}

static void
clear_print_line (gpointer data)
{
  PrintLine *line = data;

  g_clear_pointer (&line->text, g_free);
}

/**
 * pdv_print_layout_new:
 * @columns: characters across the paper (see pdv_paper_width_get_columns())
 * @for_printer: whether the lines go to a printer: then only characters of
 *   its code page are kept, the others spelled in ASCII
 */
PdvPrintLayout *
pdv_print_layout_new (guint    columns,
                      gboolean for_printer)
{
  PdvPrintLayout *layout;

  g_return_val_if_fail (columns > 3, NULL);

  layout = g_new0 (PdvPrintLayout, 1);
  layout->lines = g_array_new (FALSE, TRUE, sizeof (PrintLine));
  g_array_set_clear_func (layout->lines, clear_print_line);
  layout->columns = columns;
  layout->cp860 = for_printer;
  return layout;
}

void
pdv_print_layout_free (PdvPrintLayout *layout)
{
  if (layout == NULL)
    return;
  g_array_unref (layout->lines);
  g_free (layout);
}

guint
pdv_print_layout_get_columns (PdvPrintLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);
  return layout->columns;
}

/* What a line may hold. No control characters: a product name must not be
 * able to send commands to the printer. For the printer, only characters its
 * code page has; the others are spelled in ASCII ("ä" → "a", "—" → "-")
 * before columns are counted, so that alignment survives. */
static char *
printable (PdvPrintLayout *layout,
           const char     *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *composed = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  GString *out = g_string_new (NULL);

  for (const char *p = composed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        g_string_append_c (out, ' ');
      else if (!layout->cp860 || cp860_byte (c) >= 0)
        g_string_append_unichar (out, c);
      else
        {
          char one[8] = { 0 };
          g_autofree char *ascii = NULL;

          g_unichar_to_utf8 (c, one);
          ascii = g_str_to_ascii (one, "pt_BR");
          g_string_append (out, ascii);
        }
    }
  return g_string_free (out, FALSE);
}

/* Splits printable @text into lines of at most @width characters: at spaces
 * where it can, after a hyphen in a word too long for a line, anywhere
 * otherwise. With @max_lines, the last line ends in "..." when something was
 * left out. */
static GPtrArray *
wrap (const char *text,
      guint       width,
      guint       max_lines)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  glong n = 0;
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (text, -1, &n);
  glong pos = 0;

  g_assert (width > 3);

  for (;;)
    {
      glong end = -1;
      glong next;

      while (pos < n && chars[pos] == ' ')
        pos++;
      if (pos >= n)
        break;

      if (n - pos <= (glong) width)
        end = next = n;
      else if (max_lines > 0 && lines->len + 1 == max_lines)
        {
          g_autofree char *start = NULL;

          end = pos + width - 3;
          while (end > pos && chars[end - 1] == ' ')
            end--;
          start = g_ucs4_to_utf8 (chars + pos, end - pos, NULL, NULL, NULL);
          g_ptr_array_add (lines, g_strconcat (start, "...", NULL));
          break;
        }
      else
        {
          for (glong i = pos + width; i > pos && end < 0; i--)
            if (chars[i] == ' ')
              end = i;
          for (glong i = pos + width - 1; i > pos && end < 0; i--)
            if (chars[i] == '-')
              end = i + 1;
          if (end < 0)
            end = pos + width;
          next = end;
        }

      while (end > pos && chars[end - 1] == ' ')
        end--;
      g_ptr_array_add (lines, g_ucs4_to_utf8 (chars + pos, end - pos, NULL, NULL, NULL));
      pos = next;
    }
  return lines;
}

static void
add_line (PdvPrintLayout *layout,
          char           *text,
          PdvPrintAlign   align,
          gboolean        bold,
          gboolean        tall)
{
  PrintLine line = { text, align, bold, tall, FALSE, LINE_TEXT };

  g_assert (g_utf8_strlen (text, -1) <= (glong) layout->columns);
  g_array_append_val (layout->lines, line);
}

/**
 * pdv_print_layout_add_large_text:
 *
 * @text centred, bold, at double width and height (half as many letters to
 * a line): what must be read from across a bar.
 */
void
pdv_print_layout_add_large_text (PdvPrintLayout *layout,
                                 const char     *text)
{
  g_autofree char *clean = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  g_return_if_fail (layout != NULL);

  clean = printable (layout, text ? text : "");
  lines = wrap (clean, layout->columns / 2, 3);
  for (guint i = 0; i < lines->len; i++)
    {
      PrintLine line = { g_strdup (lines->pdata[i]), PDV_PRINT_ALIGN_CENTRE, TRUE, TRUE, TRUE, LINE_TEXT };

      g_array_append_val (layout->lines, line);
    }
}

/**
 * pdv_print_layout_add_qr:
 * @text: what the code holds (ASCII)
 *
 * A QR code, centred, printed as an image: any ESC/POS printer that prints
 * raster images prints it, whatever QR commands it knows.
 */
void
pdv_print_layout_add_qr (PdvPrintLayout *layout,
                         const char     *text)
{
  PrintLine line = { NULL, PDV_PRINT_ALIGN_CENTRE, FALSE, FALSE, FALSE, LINE_QR };

  g_return_if_fail (layout != NULL);
  g_return_if_fail (text != NULL && g_str_is_ascii (text));

  line.text = g_strdup (text);
  g_array_append_val (layout->lines, line);
}

/**
 * pdv_print_layout_add_cut:
 *
 * The paper is cut here (partly, so that the pieces hang together until
 * torn), and what follows starts a new piece.
 */
void
pdv_print_layout_add_cut (PdvPrintLayout *layout)
{
  PrintLine line = { g_strdup (""), PDV_PRINT_ALIGN_LEFT, FALSE, FALSE, FALSE, LINE_CUT };

  g_return_if_fail (layout != NULL);
  g_array_append_val (layout->lines, line);
}

/**
 * pdv_print_layout_add_text:
 * @indent: blanks before every line
 * @max_lines: at most this many lines (the last one ends in "..." when
 *   something was left out), or 0 for as many as it takes
 *
 * @text wrapped at spaces to the paper's width.
 */
void
pdv_print_layout_add_text (PdvPrintLayout *layout,
                           const char     *text,
                           guint           indent,
                           PdvPrintAlign   align,
                           gboolean        bold,
                           guint           max_lines)
{
  g_autofree char *clean = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (indent + 4 <= layout->columns);

  clean = printable (layout, text ? text : "");
  lines = wrap (clean, layout->columns - indent, max_lines);
  for (guint i = 0; i < lines->len; i++)
    add_line (layout, g_strdup_printf ("%*s%s", (int) indent, "", (const char *) lines->pdata[i]),
              align, bold, FALSE);
}

/**
 * pdv_print_layout_add_pair:
 *
 * "label      value" across the line; the value on lines of its own below
 * the label when both do not fit.
 */
void
pdv_print_layout_add_pair (PdvPrintLayout *layout,
                           guint           indent,
                           const char     *label,
                           const char     *value,
                           gboolean        bold,
                           gboolean        tall)
{
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;
  glong used;

  g_return_if_fail (layout != NULL);

  left = printable (layout, label ? label : "");
  right = printable (layout, value ? value : "");
  used = indent + g_utf8_strlen (left, -1) + g_utf8_strlen (right, -1);
  if (used < (glong) layout->columns)
    {
      add_line (layout, g_strdup_printf ("%*s%s%*s%s", (int) indent, "", left,
                                         (int) (layout->columns - used), "", right),
                PDV_PRINT_ALIGN_LEFT, bold, tall);
      return;
    }
  pdv_print_layout_add_text (layout, left, indent, PDV_PRINT_ALIGN_LEFT, bold, 0);
  pdv_print_layout_add_text (layout, right, indent + 2, PDV_PRINT_ALIGN_LEFT, bold, 0);
}

static char *
pad_left (const char *text,
          guint       width)
{
  glong len = g_utf8_strlen (text, -1);

  return g_strdup_printf ("%*s%s", (int) (len < (glong) width ? (glong) width - len : 0), "", text);
}

/**
 * pdv_print_layout_add_row:
 * @count: (nullable): a quantity, right aligned in a narrow column
 * @amount: (nullable): an amount, right aligned at the end of the line
 *
 * A row of a table: the figures of consecutive rows line up. A label too
 * long for the room left of them gets lines of its own above them.
 */
void
pdv_print_layout_add_row (PdvPrintLayout *layout,
                          guint           indent,
                          const char     *label,
                          const char     *count,
                          const char     *amount,
                          gboolean        bold)
{
  g_autofree char *left = NULL;
  g_autofree char *count_text = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *figures = NULL;
  glong room;

  g_return_if_fail (layout != NULL);

  left = printable (layout, label ? label : "");
  count_text = printable (layout, count ? count : "");
  amount_text = printable (layout, amount ? amount : "");
  if (*count_text == '\0' && *amount_text == '\0')
    {
      pdv_print_layout_add_text (layout, left, indent, PDV_PRINT_ALIGN_LEFT, bold, 0);
      return;
    }
  if (g_utf8_strlen (count_text, -1) > COUNT_WIDTH ||
      g_utf8_strlen (amount_text, -1) > AMOUNT_WIDTH)
    {
      /* Figures wider than their columns: as label and value. */
      g_autofree char *both = g_strjoin (" ", count_text, amount_text, NULL);
      pdv_print_layout_add_pair (layout, indent, left, g_strstrip (both), bold, FALSE);
      return;
    }

  {
    g_autofree char *count_cell = pad_left (count_text, COUNT_WIDTH);
    g_autofree char *amount_cell = pad_left (amount_text, AMOUNT_WIDTH);

    figures = g_strdup_printf (" %s %s", count_cell, amount_cell);
  }
  room = (glong) layout->columns - (glong) indent - g_utf8_strlen (figures, -1);
  if (g_utf8_strlen (left, -1) > room)
    {
      pdv_print_layout_add_text (layout, left, indent, PDV_PRINT_ALIGN_LEFT, bold, 0);
      g_clear_pointer (&left, g_free);
      left = g_strdup ("");
    }
  add_line (layout, g_strdup_printf ("%*s%s%*s%s", (int) indent, "", left,
                                     (int) (room - g_utf8_strlen (left, -1)), "", figures),
            PDV_PRINT_ALIGN_LEFT, bold, FALSE);
}

void
pdv_print_layout_add_rule (PdvPrintLayout *layout,
                           char            c)
{
  g_return_if_fail (layout != NULL);
  add_line (layout, g_strnfill (layout->columns, c), PDV_PRINT_ALIGN_LEFT, FALSE, FALSE);
}

void
pdv_print_layout_add_blank (PdvPrintLayout *layout)
{
  g_return_if_fail (layout != NULL);
  add_line (layout, g_strdup (""), PDV_PRINT_ALIGN_LEFT, FALSE, FALSE);
}

/* The line without its trailing blanks: the paper does not need them. */
static gsize
visible_length (const char *text)
{
  gsize len = strlen (text);

  while (len > 0 && text[len - 1] == ' ')
    len--;
  return len;
}

/**
 * pdv_print_layout_render_text:
 *
 * Returns: (transfer full): UTF-8 text, one line per printed line
 */
char *
pdv_print_layout_render_text (PdvPrintLayout *layout)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (layout != NULL, NULL);

  for (guint i = 0; i < layout->lines->len; i++)
    {
      PrintLine *line = &g_array_index (layout->lines, PrintLine, i);
      glong width = g_utf8_strlen (line->text, -1) * (line->wide ? 2 : 1);

      if (line->kind == LINE_CUT)
        {
          for (guint c = 0; c < layout->columns; c++)
            g_string_append_c (out, c % 2 == 0 ? '-' : ' ');
          g_string_append_c (out, '\n');
          continue;
        }
      if (line->kind == LINE_QR)
        {
          /* On a screen, what the code holds, as lines of the paper's width. */
          gsize length = strlen (line->text);

          for (gsize start = 0; start < length; start += layout->columns)
            {
              g_string_append_len (out, line->text + start, MIN (layout->columns, length - start));
              g_string_append_c (out, '\n');
            }
          continue;
        }
      if (line->align == PDV_PRINT_ALIGN_CENTRE)
        for (glong pad = ((glong) layout->columns - width) / 2; pad > 0; pad--)
          g_string_append_c (out, ' ');
      g_string_append_len (out, line->text, visible_length (line->text));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Font A is 12 dots wide: 32 columns on 384 dots (58 mm), 48 on 576 (80 mm). */
#define DOTS_PER_COLUMN 12
/* A module of at most this many dots: big enough for a worn print, small
 * enough that the code fits beside the paper's margins. */
#define QR_MAX_MODULE_DOTS 8
#define QR_QUIET_MODULES   4

/* @text as a QR code (level M), printed as a raster image (GS v 0) at most
 * @dots wide, with its quiet zone. */
static void
append_qr_raster (GByteArray *out,
                  const char *text,
                  guint       dots)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, TRUE);
  guint modules;
  guint scale;
  guint side;
  guint row_bytes;
  guint8 header[8];
  g_autofree guint8 *row = NULL;

  if (code == NULL)
    {
      g_warning ("A QR code could not be made of %zu characters", strlen (text));
      return;
    }
  modules = code->width + 2 * QR_QUIET_MODULES;
  scale = CLAMP (dots / modules, 1, QR_MAX_MODULE_DOTS);
  side = modules * scale;
  row_bytes = (side + 7) / 8;
  header[0] = GS;
  header[1] = 'v';
  header[2] = '0';
  header[3] = 0;
  header[4] = row_bytes & 0xff;
  header[5] = (row_bytes >> 8) & 0xff;
  header[6] = side & 0xff;
  header[7] = (side >> 8) & 0xff;
  g_byte_array_append (out, header, sizeof header);
  row = g_new0 (guint8, row_bytes);
  /* A row of dots per row of modules, sent @scale times. */
  for (guint my = 0; my < modules; my++)
    {
      int qy = (int) my - QR_QUIET_MODULES;

      memset (row, 0, row_bytes);
      if (qy >= 0 && qy < code->width)
        for (int qx = 0; qx < code->width; qx++)
          if (code->data[qy * code->width + qx] & 1)
            for (guint x = (qx + QR_QUIET_MODULES) * scale; x < (qx + QR_QUIET_MODULES + 1) * scale; x++)
              row[x / 8] |= 0x80 >> (x % 8);
      for (guint copy = 0; copy < scale; copy++)
        g_byte_array_append (out, row, row_bytes);
    }
  g_byte_array_append (out, (const guint8 *) "\n", 1);
  QRcode_free (code);
}

/* Resets the printer to its defaults. */
static const guint8 escpos_init[] = { ESC, '@' };
/* A 50 ms pulse on pin 2 (the drawer's connector), then 500 ms off. */
static const guint8 escpos_drawer_pulse[] = { ESC, 'p', 0, 25, 250 };

static void
append_command (GByteArray *out,
                guint8      a,
                guint8      b,
                guint8      n)
{
  const guint8 command[] = { a, b, n };

  g_byte_array_append (out, command, sizeof command);
}

/**
 * pdv_print_layout_render_escpos:
 * @open_drawer: whether to pulse the cash drawer open first
 *
 * ESC/POS commands for a thermal printer on a raw queue: code page 860,
 * bold and double height where the lines ask for them, and a partial cut.
 *
 * Returns: (transfer full): the bytes to send to the printer
 */
GBytes *
pdv_print_layout_render_escpos (PdvPrintLayout *layout,
                                gboolean        open_drawer)
{
  static const guint8 partial_cut[] = { GS, 'V', 66, 0 };
  GByteArray *out;
  PdvPrintAlign align = PDV_PRINT_ALIGN_LEFT;
  gboolean bold = FALSE;
  gboolean tall = FALSE;
  gboolean wide = FALSE;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (layout->cp860, NULL);

  out = g_byte_array_new ();
  g_byte_array_append (out, escpos_init, sizeof escpos_init);
  append_command (out, ESC, 't', 3);
  /* First, so that the drawer is open by the time the paper is out. */
  if (open_drawer)
    g_byte_array_append (out, escpos_drawer_pulse, sizeof escpos_drawer_pulse);

  for (guint i = 0; i < layout->lines->len; i++)
    {
      PrintLine *line = &g_array_index (layout->lines, PrintLine, i);
      gsize len = visible_length (line->text);

      if (line->kind == LINE_CUT)
        {
          g_byte_array_append (out, partial_cut, sizeof partial_cut);
          continue;
        }
      if (line->align != align)
        append_command (out, ESC, 'a', line->align == PDV_PRINT_ALIGN_CENTRE ? 1 : 0);
      align = line->align;
      if (line->kind == LINE_QR)
        {
          append_qr_raster (out, line->text, layout->columns * DOTS_PER_COLUMN);
          continue;
        }
      if (line->bold != bold)
        append_command (out, ESC, 'E', line->bold ? 1 : 0);
      /* Double height for totals (at double width they would not fit on
       * 58 mm); both for what must be read from afar. */
      if (line->tall != tall || line->wide != wide)
        append_command (out, GS, '!', (line->tall ? 0x01 : 0x00) | (line->wide ? 0x10 : 0x00));
      bold = line->bold;
      tall = line->tall;
      wide = line->wide;

      for (const char *p = line->text; p < line->text + len; p = g_utf8_next_char (p))
        {
          int byte = cp860_byte (g_utf8_get_char (p));
          guint8 c = byte >= 0 ? (guint8) byte : '?';

          g_byte_array_append (out, &c, 1);
        }
      g_byte_array_append (out, (const guint8 *) "\n", 1);
    }

  g_byte_array_append (out, partial_cut, sizeof partial_cut);
  return g_byte_array_free_to_bytes (out);
}

/**
 * pdv_escpos_open_drawer:
 *
 * The commands that open the cash drawer wired to a thermal printer, with
 * nothing printed and no paper cut: the same pulse a cash sale's receipt
 * starts with.
 *
 * Returns: (transfer full): the bytes to send to the printer's raw queue
 */
GBytes *
pdv_escpos_open_drawer (void)
{
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, escpos_init, sizeof escpos_init);
  g_byte_array_append (out, escpos_drawer_pulse, sizeof escpos_drawer_pulse);
  return g_byte_array_free_to_bytes (out);
}

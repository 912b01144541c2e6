/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-import"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#include "pdv-checkin.h"
#include "pdv-catalog.h"
#include "pdv-csv.h"
#include "pdv-db-private.h"
#include "pdv-import.h"
#include "pdv-json-lines.h"
#include "pdv-money.h"
#include "pdv-receipt.h"
#include "pdv-seal.h"
#include "pdv-users.h"

G_DEFINE_QUARK (pdv-import-error-quark, pdv_import_error)

/* How many problems one rejected file reports before "and N more". */
#define MAX_REPORTED_PROBLEMS 20

typedef struct {
  const char     *file;
  GHashTable     *lines;      /* JSON only: value path → line */
  gboolean        is_csv;
  PdvDb          *db;
  GPtrArray      *problems;
  guint           n_problems;
  PdvImportError  first_code;
  GStringChunk   *strings;    /* keys of the seen tables when streaming */
  /* Tickets are sealed row by row (pdv-seal.h): the set's sum as it stands. */
  PdvSealSum      tickets_sum;
  gboolean        tickets_sum_loaded;
  gboolean        tickets_reseal; /* a row was met that differs from its seal, or a
                                   * whole list is imported by hand: seal every row */
} Import;

/* One element to import: a JSON object (from JSON, or a CSV row turned into
 * one with string values). */
typedef struct {
  json_t     *object;
  const char *section;
  guint       index;
  guint       line;
  /* A streamed JSON element: its text, indexed for field lines only when a
   * problem needs one. */
  const char *text;
  gsize       length;
} Item;

static const char * const event_fields[] = {
  "id", "name", "venue", "city", "capacity", "starts_at", "ends_at", "timezone",
  "gates", "zones", "merchant", "ticket_public_key", "fichas", NULL
};
static const char * const category_fields[] = { "id", "name", "colour", "position", NULL };
static const char * const product_fields[] = {
  "id", "name", "price", "category", "barcode", "track_stock", "stock", "stock_policy",
  "colour", "position", "active", "components", NULL
};
static const char * const ticket_fields[] = {
  "id", "secret", "order_code", "holder_name", "type", "zone", "valid_from", "valid_until",
  "entry_policy", "status", "attention", NULL
};
static const char * const user_fields[] = { "id", "name", "role", "pin", "pin_hash", "active", NULL };
static const char * const revocation_fields[] = { "ticket_id", "reason", "revoked_at", NULL };

static const struct {
  PdvImportKind kind;
  const char   *name;
} kind_names[] = {
  { PDV_IMPORT_KIND_AUTO, "auto" },
  { PDV_IMPORT_KIND_EVENT, "event" },
  { PDV_IMPORT_KIND_CATALOG, "catalog" },
  { PDV_IMPORT_KIND_CATEGORIES, "categories" },
  { PDV_IMPORT_KIND_PRODUCTS, "products" },
  { PDV_IMPORT_KIND_TICKETS, "tickets" },
  { PDV_IMPORT_KIND_USERS, "users" },
  { PDV_IMPORT_KIND_REVOCATIONS, "revocations" },
};

const char *
pdv_import_kind_name (PdvImportKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (kind_names[i].kind == kind)
      return kind_names[i].name;
  return NULL;
}

gboolean
pdv_import_kind_parse (const char    *name,
                       PdvImportKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind_names[i].name, name) == 0)
      {
        *out_kind = kind_names[i].kind;
        return TRUE;
      }
  return FALSE;
}

static void problem (Import         *import,
                     PdvImportError  code,
                     guint           line,
                     const char     *field,
                     const char     *format,
                     ...) G_GNUC_PRINTF (5, 6);

static void
problem (Import         *import,
         PdvImportError  code,
         guint           line,
         const char     *field,
         const char     *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (import->n_problems++ == 0)
    import->first_code = code;
  if (import->problems->len >= MAX_REPORTED_PROBLEMS)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (field)
    g_ptr_array_add (import->problems,
                     g_strdup_printf (_("%s:%u: field “%s”: %s"), import->file, line, field, message));
  else
    g_ptr_array_add (import->problems, g_strdup_printf ("%s:%u: %s", import->file, line, message));
}

static guint
field_line (Import     *import,
            const Item *item,
            const char *field)
{
  g_autofree char *path = NULL;
  gpointer line;

  if (item->text != NULL)
    {
      g_autoptr(GHashTable) lines = pdv_json_lines_index (item->text, item->length, 1);

      line = g_hash_table_lookup (lines, field);
      return line ? item->line + GPOINTER_TO_UINT (line) - 1 : item->line;
    }
  if (import->is_csv || import->lines == NULL)
    return item->line;
  path = g_strdup_printf ("%s/%u/%s", item->section, item->index, field);
  line = g_hash_table_lookup (import->lines, path);
  return line ? GPOINTER_TO_UINT (line) : item->line;
}

static guint
element_line (Import     *import,
              const char *section,
              guint       index)
{
  g_autofree char *path = g_strdup_printf ("%s/%u", section, index);
  gpointer line = g_hash_table_lookup (import->lines, path);

  return line ? GPOINTER_TO_UINT (line) : 1;
}

static void
check_unknown_fields (Import            *import,
                      const Item        *item,
                      const char * const *known)
{
  const char *key;
  json_t *value;

  json_object_foreach (item->object, key, value)
    if (!g_strv_contains (known, key))
      {
        g_autofree char *expected = g_strjoinv (", ", (GStrv) known);
        problem (import, PDV_IMPORT_ERROR_UNKNOWN_FIELD, field_line (import, item, key), key,
                 _("unknown field (expected one of: %s)"), expected);
      }
}

static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Returns the string, NULL when absent (reported if @required) or invalid. */
static const char *
get_text (Import     *import,
          const Item *item,
          const char *field,
          gboolean    required,
          guint       max_chars,
          gboolean   *ok)
{
  json_t *value = json_object_get (item->object, field);
  const char *text;

  if (value == NULL || json_is_null (value) ||
      (json_is_string (value) && *json_string_value (value) == '\0'))
    {
      if (required)
        {
          problem (import, PDV_IMPORT_ERROR_MISSING_FIELD, field_line (import, item, field), field,
                   _("missing, and it is required"));
          *ok = FALSE;
        }
      return NULL;
    }
  if (!json_is_string (value))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("must be text"));
      *ok = FALSE;
      return NULL;
    }
  text = json_string_value (value);
  if (g_utf8_strlen (text, -1) > max_chars)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("longer than %u characters"), max_chars);
      *ok = FALSE;
      return NULL;
    }
  if (has_control_chars (text))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("contains control characters"));
      *ok = FALSE;
      return NULL;
    }
  if (*text == ' ' || (*text && text[strlen (text) - 1] == ' '))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("starts or ends with a space"));
      *ok = FALSE;
      return NULL;
    }
  return text;
}

static gboolean
is_identifier (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static const char *
get_identifier (Import     *import,
                const Item *item,
                const char *field,
                gboolean    required,
                gboolean   *ok)
{
  const char *text = get_text (import, item, field, required, 64, ok);

  if (text != NULL && !is_identifier (text))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("“%s” may only hold letters, digits, “-”, “_” and “.”"), text);
      *ok = FALSE;
      return NULL;
    }
  return text;
}

static gboolean
get_integer (Import     *import,
             const Item *item,
             const char *field,
             gboolean    required,
             gint64      min,
             gint64      max,
             gint64      fallback,
             gint64     *out,
             gboolean   *ok)
{
  json_t *value = json_object_get (item->object, field);
  gint64 number;

  *out = fallback;
  if (value == NULL || json_is_null (value) ||
      (json_is_string (value) && *json_string_value (value) == '\0'))
    {
      if (required)
        {
          problem (import, PDV_IMPORT_ERROR_MISSING_FIELD, field_line (import, item, field), field,
                   _("missing, and it is required"));
          *ok = FALSE;
        }
      return FALSE;
    }
  if (json_is_integer (value))
    number = json_integer_value (value);
  else if (!json_is_string (value) ||
           !g_ascii_string_to_signed (json_string_value (value), 10, G_MININT64, G_MAXINT64, &number, NULL))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("must be a whole number"));
      *ok = FALSE;
      return FALSE;
    }
  if (number < min || number > max)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("%lld is out of range (%lld to %lld)"),
               (long long) number, (long long) min, (long long) max);
      *ok = FALSE;
      return FALSE;
    }
  *out = number;
  return TRUE;
}

static gboolean
get_boolean (Import     *import,
             const Item *item,
             const char *field,
             gboolean    fallback,
             gboolean   *ok)
{
  static const char * const yes[] = { "true", "1", "yes", "y", "sim", "s", NULL };
  static const char * const no[] = { "false", "0", "no", "n", "não", "nao", NULL };
  json_t *value = json_object_get (item->object, field);
  g_autofree char *lower = NULL;

  if (value == NULL || json_is_null (value) ||
      (json_is_string (value) && *json_string_value (value) == '\0'))
    return fallback;
  if (json_is_boolean (value))
    return json_is_true (value);
  if (json_is_string (value))
    {
      lower = g_utf8_strdown (json_string_value (value), -1);
      if (g_strv_contains (yes, lower))
        return TRUE;
      if (g_strv_contains (no, lower))
        return FALSE;
    }
  problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
           _("must be true or false"));
  *ok = FALSE;
  return fallback;
}

static const char *
get_choice (Import             *import,
            const Item         *item,
            const char         *field,
            const char * const *choices,
            const char         *fallback,
            gboolean           *ok)
{
  const char *text = get_text (import, item, field, fallback == NULL, 32, ok);

  if (text == NULL)
    return fallback;
  if (!g_strv_contains (choices, text))
    {
      g_autofree char *expected = g_strjoinv (", ", (GStrv) choices);
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("“%s” is not one of: %s"), text, expected);
      *ok = FALSE;
      return fallback;
    }
  return text;
}

static const char *
get_colour (Import     *import,
            const Item *item,
            const char *field,
            gboolean   *ok)
{
  const char *text = get_text (import, item, field, FALSE, 7, ok);
  gboolean valid = text != NULL && strlen (text) == 7 && text[0] == '#';

  for (int i = 1; valid && i < 7; i++)
    valid = g_ascii_isxdigit (text[i]);
  if (text != NULL && !valid)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("“%s” is not a colour like #f6d32d"), text);
      *ok = FALSE;
      return NULL;
    }
  return text;
}

static GDateTime *
get_time (Import     *import,
          const Item *item,
          const char *field,
          gboolean    required,
          const char **out_text,
          gboolean   *ok)
{
  const char *text = get_text (import, item, field, required, 64, ok);
  GDateTime *time;

  *out_text = NULL;
  if (text == NULL)
    return NULL;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("“%s” is not a date and time like 2026-12-12T18:00:00-03:00 "
                 "(the UTC offset is required)"), text);
      *ok = FALSE;
      return NULL;
    }
  *out_text = text;
  return time;
}

static gboolean
gtin_is_valid (const char *code)
{
  gsize len = strlen (code);
  int sum = 0;

  if (len != 8 && len != 12 && len != 13 && len != 14)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (code[i]))
      return FALSE;
  /* Weights 3,1,3,1… from the digit left of the check digit. */
  for (gsize i = 0; i < len - 1; i++)
    sum += (code[len - 2 - i] - '0') * (i % 2 == 0 ? 3 : 1);
  return (10 - sum % 10) % 10 == code[len - 1] - '0';
}

static gboolean
check_duplicate (Import     *import,
                 GHashTable *seen,
                 const Item *item,
                 const char *field,
                 const char *value)
{
  gpointer first_line;

  if (value == NULL)
    return TRUE;
  if (g_hash_table_lookup_extended (seen, value, NULL, &first_line))
    {
      problem (import, PDV_IMPORT_ERROR_DUPLICATE, field_line (import, item, field), field,
               _("“%s” appears twice (first on line %u)"), value, GPOINTER_TO_UINT (first_line));
      return FALSE;
    }
  g_hash_table_insert (seen, import->strings ? g_string_chunk_insert (import->strings, value) : g_strdup (value),
                       GUINT_TO_POINTER (item->text ? item->line : field_line (import, item, field)));
  return TRUE;
}

static gboolean
write_row (Import        *import,
           const Item    *item,
           sqlite3_stmt  *stmt)
{
  g_autoptr(GError) error = NULL;

  if (!pdv_db_step_done (import->db, stmt, &error))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, item->line, NULL,
               _("could not be stored: %s"), error->message);
      return FALSE;
    }
  return TRUE;
}

/* Another row of @table already uses @value in @column? */
static char *
taken_by (Import     *import,
          const char *sql,
          const char *value,
          const char *id)
{
  sqlite3_stmt *stmt = pdv_db_prepare (import->db, sql, NULL);
  char *other = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    other = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return other;
}

static void
import_category (Import     *import,
                 const Item *item,
                 GHashTable *seen,
                 guint      *count)
{
  gboolean ok = TRUE;
  const char *id, *name, *colour;
  gint64 position;
  sqlite3_stmt *stmt;

  check_unknown_fields (import, item, category_fields);
  id = get_identifier (import, item, "id", TRUE, &ok);
  name = get_text (import, item, "name", TRUE, 40, &ok);
  colour = get_colour (import, item, "colour", &ok);
  get_integer (import, item, "position", FALSE, 0, 10000, item->index + 1, &position, &ok);
  ok = check_duplicate (import, seen, item, "id", id) && ok;
  if (!ok || import->n_problems > 0)
    return;

  stmt = pdv_db_prepare (import->db,
                         "INSERT INTO categories (id, name, colour, position) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                         "colour = excluded.colour, position = excluded.position",
                         NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, colour, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, position);
  if (write_row (import, item, stmt))
    (*count)++;
}

static gboolean
category_exists (Import     *import,
                 const char *id)
{
  sqlite3_stmt *stmt = pdv_db_prepare (import->db, "SELECT 1 FROM categories WHERE id = ?", NULL);
  gboolean exists;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return exists;
}

static gboolean
add_component (Import     *import,
               const Item *item,
               const char *product_id,
               const char *component_id,
               gint64      qty,
               GArray     *components)
{
  PdvComponent component;
  guint line = field_line (import, item, "components");

  if (!is_identifier (component_id) || strlen (component_id) > 64)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, line, "components",
               _("“%s” is not a product id: write components as “IDxQTY; IDxQTY”, e.g. “CERV-LONG-330x6”"),
               component_id);
      return FALSE;
    }
  if (qty < 1 || qty > 1000)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, line, "components",
               _("%s: a combo holds from 1 to 1000 of each component"), component_id);
      return FALSE;
    }
  if (g_strcmp0 (component_id, product_id) == 0)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, line, "components",
               _("a product cannot be a component of itself"));
      return FALSE;
    }
  for (guint i = 0; i < components->len; i++)
    if (g_str_equal (g_array_index (components, PdvComponent, i).product_id, component_id))
      {
        problem (import, PDV_IMPORT_ERROR_DUPLICATE, line, "components",
                 _("%s is listed twice: give its quantity once"), component_id);
        return FALSE;
      }
  component.product_id = g_strdup (component_id);
  component.qty = qty;
  g_array_append_val (components, component);
  return TRUE;
}

/* What one unit of a combo takes out of stock: in JSON
 * [{"product": "CERV-LONG-330", "qty": 6}], in CSV (or JSON text)
 * "CERV-LONG-330x6; GELO-SACO" (one when no quantity is given). Whether each
 * component is a product is checked once the whole catalog is in. */
static GArray *
get_components (Import     *import,
                const Item *item,
                const char *product_id,
                gboolean   *ok)
{
  json_t *value = json_object_get (item->object, "components");
  g_autoptr(GArray) components = g_array_new (FALSE, TRUE, sizeof (PdvComponent));
  gboolean good = TRUE;

  g_array_set_clear_func (components, (GDestroyNotify) pdv_component_clear);
  if (value == NULL || json_is_null (value))
    return g_steal_pointer (&components);
  if (json_is_array (value))
    {
      json_t *element;
      size_t i;

      json_array_foreach (value, i, element)
        {
          const char *component_id = json_string_value (json_object_get (element, "product"));
          json_t *qty = json_object_get (element, "qty");

          if (component_id == NULL || (qty != NULL && !json_is_integer (qty)))
            {
              problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "components"),
                       "components", _("each component is {\"product\": ID, \"qty\": N}"));
              good = FALSE;
              break;
            }
          good = add_component (import, item, product_id, component_id, qty ? json_integer_value (qty) : 1,
                                components) && good;
        }
    }
  else if (json_is_string (value))
    {
      g_auto(GStrv) parts = g_strsplit_set (json_string_value (value), ";+", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *part = g_strstrip (parts[i]);
          char *times = strrchr (part, 'x');
          gint64 qty = 1;

          if (*part == '\0')
            continue;
          if (times == NULL)
            times = strrchr (part, 'X');
          if (times != NULL && times[1] != '\0' && strspn (times + 1, "0123456789") == strlen (times + 1))
            {
              qty = g_ascii_strtoll (times + 1, NULL, 10);
              *times = '\0';
              g_strstrip (part);
            }
          good = add_component (import, item, product_id, part, qty, components) && good;
        }
    }
  else
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "components"), "components",
               _("write components as “IDxQTY; IDxQTY”, e.g. “CERV-LONG-330x6”"));
      good = FALSE;
    }
  if (!good)
    {
      *ok = FALSE;
      return NULL;
    }
  return g_steal_pointer (&components);
}

static void
store_components (Import     *import,
                  const Item *item,
                  const char *product_id,
                  GArray     *components)
{
  sqlite3_stmt *stmt = pdv_db_prepare (import->db, "DELETE FROM product_components WHERE product_id = ?", NULL);

  sqlite3_bind_text (stmt, 1, product_id, -1, SQLITE_STATIC);
  if (!write_row (import, item, stmt))
    return;
  for (guint i = 0; i < components->len; i++)
    {
      const PdvComponent *component = &g_array_index (components, PdvComponent, i);

      stmt = pdv_db_prepare (import->db,
                             "INSERT INTO product_components (product_id, component_id, qty) VALUES (?, ?, ?)",
                             NULL);
      sqlite3_bind_text (stmt, 1, product_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, component->product_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, component->qty);
      if (!write_row (import, item, stmt))
        return;
    }
  stmt = pdv_db_prepare (import->db, "UPDATE products SET has_components = ? WHERE id = ?", NULL);
  sqlite3_bind_int (stmt, 1, components->len > 0);
  sqlite3_bind_text (stmt, 2, product_id, -1, SQLITE_STATIC);
  write_row (import, item, stmt);
}

/* Once every product is in: each combo's components are products, and
 * none is a combo itself. */
static void
check_components (Import    *import,
                  GPtrArray *items)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const Item *item = g_ptr_array_index (items, i);
      const char *product_id = json_string_value (json_object_get (item->object, "id"));
      sqlite3_stmt *stmt;

      if (product_id == NULL || json_object_get (item->object, "components") == NULL)
        continue;
      stmt = pdv_db_prepare (import->db,
                             "SELECT c.component_id, p.id IS NULL, COALESCE (p.has_components, 0) "
                             "FROM product_components c LEFT JOIN products p ON p.id = c.component_id "
                             "WHERE c.product_id = ? ORDER BY c.component_id",
                             NULL);
      sqlite3_bind_text (stmt, 1, product_id, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *component_id = (const char *) sqlite3_column_text (stmt, 0);

          if (sqlite3_column_int (stmt, 1))
            problem (import, PDV_IMPORT_ERROR_UNKNOWN_REFERENCE, field_line (import, item, "components"),
                     "components", _("unknown product “%s”"), component_id);
          else if (sqlite3_column_int (stmt, 2))
            problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "components"),
                     "components", _("%s is a combo itself: list what it is made of instead"), component_id);
        }
      sqlite3_reset (stmt);
    }
}

static void
import_product (Import     *import,
                const Item *item,
                GHashTable *seen_ids,
                GHashTable *seen_barcodes,
                json_t     *stock_items,
                guint      *count)
{
  static const char * const policies[] = { "warn", "block", NULL };
  gboolean ok = TRUE;
  const char *id, *name, *category, *barcode, *colour, *policy, *price_text = NULL;
  json_t *price_value;
  PdvMoney price = 0;
  gint64 position, stock = 0;
  gboolean track_stock, active, has_stock;
  g_autoptr(GArray) components = NULL;
  sqlite3_stmt *stmt;

  check_unknown_fields (import, item, product_fields);
  id = get_identifier (import, item, "id", TRUE, &ok);
  name = get_text (import, item, "name", TRUE, 40, &ok);
  category = get_identifier (import, item, "category", TRUE, &ok);
  barcode = get_text (import, item, "barcode", FALSE, 14, &ok);
  colour = get_colour (import, item, "colour", &ok);
  policy = get_choice (import, item, "stock_policy", policies, "warn", &ok);
  get_integer (import, item, "position", FALSE, 0, 10000, item->index + 1, &position, &ok);
  track_stock = get_boolean (import, item, "track_stock", FALSE, &ok);
  active = get_boolean (import, item, "active", TRUE, &ok);
  has_stock = get_integer (import, item, "stock", FALSE, 0, 100000000, 0, &stock, &ok);
  if (id != NULL)
    components = get_components (import, item, id, &ok);

  price_value = json_object_get (item->object, "price");
  if (price_value == NULL || json_is_null (price_value) ||
      (json_is_string (price_value) && *json_string_value (price_value) == '\0'))
    {
      problem (import, PDV_IMPORT_ERROR_MISSING_FIELD, field_line (import, item, "price"), "price",
               _("missing, and it is required"));
      ok = FALSE;
    }
  else if (json_is_integer (price_value) && !import->is_csv)
    {
      /* In JSON an integer price is in centavos. */
      price = json_integer_value (price_value);
      if (price < 0)
        {
          g_autofree char *shown = pdv_money_format_plain (price);
          problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "price"), "price",
                   _("the price is negative (%s)"), shown);
          ok = FALSE;
        }
    }
  else if (json_is_string (price_value))
    {
      g_autoptr(GError) money_error = NULL;

      price_text = json_string_value (price_value);
      if (!pdv_money_parse (price_text, PDV_MONEY_PARSE_DEFAULT, &price, &money_error))
        {
          problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "price"), "price",
                   "%s", money_error->message);
          ok = FALSE;
        }
    }
  else
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "price"), "price",
               _("must be centavos (1250) or an amount in text (\"12,50\")"));
      ok = FALSE;
    }
  if (ok && price > PDV_MONEY_MAX_PRICE)
    {
      g_autofree char *shown = pdv_money_format_plain (price);
      g_autofree char *most = pdv_money_format_plain (PDV_MONEY_MAX_PRICE);

      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "price"), "price",
               _("%s is more than any product sells for (at most %s): check the price"), shown, most);
      ok = FALSE;
    }

  if (barcode != NULL && !gtin_is_valid (barcode))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "barcode"), "barcode",
               _("“%s” is not a valid EAN/UPC barcode (8, 12, 13 or 14 digits with a correct check digit)"),
               barcode);
      ok = FALSE;
    }
  if (has_stock && !track_stock)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "stock"), "stock",
               _("a stock count is given but track_stock is not true"));
      ok = FALSE;
    }
  if (category != NULL && !category_exists (import, category))
    {
      problem (import, PDV_IMPORT_ERROR_UNKNOWN_REFERENCE, field_line (import, item, "category"), "category",
               _("unknown category “%s” (import the categories first)"), category);
      ok = FALSE;
    }
  ok = check_duplicate (import, seen_ids, item, "id", id) && ok;
  ok = check_duplicate (import, seen_barcodes, item, "barcode", barcode) && ok;
  if (ok && barcode != NULL)
    {
      g_autofree char *other = taken_by (import, "SELECT id FROM products WHERE barcode = ? AND id != ?",
                                         barcode, id);
      if (other != NULL && !g_hash_table_contains (seen_ids, other))
        {
          problem (import, PDV_IMPORT_ERROR_DUPLICATE, field_line (import, item, "barcode"), "barcode",
                   _("“%s” already belongs to product %s"), barcode, other);
          ok = FALSE;
        }
    }
  if (!ok || import->n_problems > 0)
    return;

  stmt = pdv_db_prepare (import->db,
                         "INSERT INTO products (id, name, price, category_id, barcode, track_stock, "
                         "  stock_policy, colour, position, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET name = excluded.name, price = excluded.price, "
                         "  category_id = excluded.category_id, barcode = excluded.barcode, "
                         "  track_stock = excluded.track_stock, stock_policy = excluded.stock_policy, "
                         "  colour = excluded.colour, position = excluded.position, active = excluded.active",
                         NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, price);
  sqlite3_bind_text (stmt, 4, category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, barcode, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, track_stock);
  sqlite3_bind_text (stmt, 7, policy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, colour, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, position);
  sqlite3_bind_int (stmt, 10, active);
  if (!write_row (import, item, stmt))
    return;
  store_components (import, item, id, components);
  (*count)++;
  if (track_stock && has_stock)
    json_array_append_new (stock_items, json_pack ("{s:s, s:I}", "product", id, "qty", (json_int_t) stock));
}

static void
bind_ticket (sqlite3_stmt *stmt,
             const char   *id,
             const char   *secret,
             const char   *order_code,
             const char   *holder,
             const char   *type,
             const char   *zone,
             const char   *from_text,
             const char   *until_text,
             const char   *policy,
             const char   *status,
             const char   *attention)
{
  const char *values[] = { id, secret, order_code, holder, type, zone, from_text, until_text, policy, status,
                           attention };

  for (int i = 0; i < (int) G_N_ELEMENTS (values); i++)
    sqlite3_bind_text (stmt, i + 1, values[i], -1, SQLITE_STATIC);
}

static void
import_ticket (Import     *import,
               const Item *item,
               GHashTable *seen_ids,
               GHashTable *seen_secrets,
               guint      *count)
{
  static const char * const policies[] = { "single", "multi", "reentry", NULL };
  static const char * const statuses[] = { "valid", "cancelled", "blocked", NULL };
  gboolean ok = TRUE;
  const char *id, *secret, *order_code, *holder, *type, *zone, *policy, *status, *attention;
  const char *from_text, *until_text;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE, same = FALSE, same_name = FALSE;
  guint8 new_hash[32], old_hash[32];
  sqlite3_stmt *stmt;
  int rc;

  check_unknown_fields (import, item, ticket_fields);
  id = get_identifier (import, item, "id", TRUE, &ok);
  secret = get_text (import, item, "secret", TRUE, 256, &ok);
  order_code = get_text (import, item, "order_code", TRUE, 64, &ok);
  holder = get_text (import, item, "holder_name", TRUE, 120, &ok);
  type = get_text (import, item, "type", TRUE, 40, &ok);
  zone = get_identifier (import, item, "zone", TRUE, &ok);
  policy = get_choice (import, item, "entry_policy", policies, "single", &ok);
  status = get_choice (import, item, "status", statuses, "valid", &ok);
  attention = get_text (import, item, "attention", FALSE, 120, &ok);
  from = get_time (import, item, "valid_from", FALSE, &from_text, &ok);
  until = get_time (import, item, "valid_until", FALSE, &until_text, &ok);

  if (secret != NULL && (strlen (secret) < 8 || strchr (secret, ' ') != NULL))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "secret"), "secret",
               _("a ticket secret needs at least 8 characters and no spaces"));
      ok = FALSE;
    }
  if (from != NULL && until != NULL && g_date_time_compare (from, until) >= 0)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "valid_until"), "valid_until",
               _("ends before it starts (valid_from %s)"), from_text);
      ok = FALSE;
    }
  ok = check_duplicate (import, seen_ids, item, "id", id) && ok;
  /* A streamed list leaves secrets to the table's unique index (see below):
   * a million of them would not fit in memory twice. */
  if (seen_secrets != NULL)
    ok = check_duplicate (import, seen_secrets, item, "secret", secret) && ok;
  if (!ok || import->n_problems > 0)
    return;

  /* Most tickets of a first import are new: the insert alone finds out. A
   * list imported again is mostly unchanged rows, which cost one lookup and
   * no write. */
  if (!import->tickets_sum_loaded)
    {
      if (!pdv_seal_get_running (import->db, PDV_SEAL_TICKETS, &import->tickets_sum, &error))
        goto failed;
      import->tickets_sum_loaded = TRUE;
    }
  {
    const char *row[] = { id, secret, order_code, holder, type, zone, from_text, until_text, policy, status,
                          attention };
    pdv_seal_hash_row ("tickets", row, G_N_ELEMENTS (row), new_hash);
  }

  stmt = pdv_db_prepare (import->db,
                         "INSERT INTO tickets (id, secret, order_code, holder_name, type, zone, "
                         "  valid_from, valid_until, entry_policy, status, attention, seal) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                         NULL);
  bind_ticket (stmt, id, secret, order_code, holder, type, zone, from_text, until_text, policy, status, attention);
  sqlite3_bind_int64 (stmt, 12, pdv_seal_of_hash (new_hash));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE && sqlite3_changes (pdv_db_get_handle (import->db)) == 1)
    {
      if (!pdv_ticket_index_new_name (import->db, id, holder, &error))
        goto failed;
      pdv_seal_sum_add (&import->tickets_sum, new_hash);
      (*count)++;
      return;
    }
  if (rc != SQLITE_DONE)
    goto failed_rc;

  stmt = pdv_db_prepare (import->db,
                         "SELECT secret, order_code, holder_name, type, zone, valid_from, valid_until, "
                         "  entry_policy, status, attention, seal FROM tickets WHERE id = ?",
                         NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *now[] = { secret, order_code, holder, type, zone, from_text, until_text, policy, status,
                            attention };
      const char *was[G_N_ELEMENTS (now) + 1] = { id };

      exists = TRUE;
      same = TRUE;
      for (int c = 0; c < (int) G_N_ELEMENTS (now); c++)
        {
          was[c + 1] = sqlite3_column_type (stmt, c) == SQLITE_NULL ? NULL
                                                                    : (const char *) sqlite3_column_text (stmt, c);
          same = same && g_strcmp0 (was[c + 1], now[c]) == 0;
        }
      same_name = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), holder) == 0;
      pdv_seal_hash_row ("tickets", was, G_N_ELEMENTS (was), old_hash);
      /* Changed behind the journal's back: the sum no longer holds for it. */
      if (sqlite3_column_type (stmt, G_N_ELEMENTS (now)) == SQLITE_NULL ||
          sqlite3_column_int64 (stmt, G_N_ELEMENTS (now)) != pdv_seal_of_hash (old_hash))
        import->tickets_reseal = TRUE;
    }
  sqlite3_reset (stmt);
  if (same)
    {
      (*count)++;
      return;
    }
  if (exists)
    {
      stmt = pdv_db_prepare (import->db,
                             "UPDATE tickets SET secret = ?2, order_code = ?3, holder_name = ?4, type = ?5, "
                             "  zone = ?6, valid_from = ?7, valid_until = ?8, entry_policy = ?9, status = ?10, "
                             "  attention = ?11, seal = ?12 WHERE id = ?1",
                             NULL);
      bind_ticket (stmt, id, secret, order_code, holder, type, zone, from_text, until_text, policy, status,
                   attention);
      sqlite3_bind_int64 (stmt, 12, pdv_seal_of_hash (new_hash));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        {
          pdv_seal_sum_remove (&import->tickets_sum, old_hash);
          pdv_seal_sum_add (&import->tickets_sum, new_hash);
        }
    }
  else
    rc = SQLITE_CONSTRAINT_UNIQUE; /* not inserted, not there: the secret is taken */
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      /* Only the secret is unique besides the id: another ticket, here
       * before or earlier in this file, holds it. */
      g_autofree char *other = taken_by (import, "SELECT id FROM tickets WHERE secret = ? AND id != ?",
                                         secret, id);
      gpointer first_line;

      if (other != NULL && g_hash_table_lookup_extended (seen_ids, other, NULL, &first_line))
        problem (import, PDV_IMPORT_ERROR_DUPLICATE, field_line (import, item, "secret"), "secret",
                 _("“%s” appears twice (first on line %u)"), secret, GPOINTER_TO_UINT (first_line));
      else
        problem (import, PDV_IMPORT_ERROR_DUPLICATE, field_line (import, item, "secret"), "secret",
                 _("the same secret already belongs to ticket %s"), other ? other : "?");
      return;
    }
  if (rc != SQLITE_DONE)
    goto failed_rc;
  if (!same_name && !pdv_ticket_index_name (import->db, id, holder, &error))
    goto failed;
  (*count)++;
  return;

failed_rc:
  problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, item->line, NULL, _("could not be stored: %s"),
           sqlite3_errstr (rc));
  return;
failed:
  problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, item->line, NULL, _("could not be stored: %s"),
           error->message);
}

static void
import_user (Import     *import,
             const Item *item,
             GHashTable *seen_ids,
             json_t     *summary,
             guint      *count)
{
  static const char * const roles[] = { "cashier", "door", "manager", "admin", NULL };
  gboolean ok = TRUE;
  const char *id, *name, *role, *pin, *given_hash;
  g_autofree char *pin_hash = NULL;
  gboolean active;
  sqlite3_stmt *stmt;

  check_unknown_fields (import, item, user_fields);
  id = get_identifier (import, item, "id", TRUE, &ok);
  name = get_text (import, item, "name", TRUE, 80, &ok);
  role = get_choice (import, item, "role", roles, NULL, &ok);
  pin = get_text (import, item, "pin", FALSE, 8, &ok);
  given_hash = get_text (import, item, "pin_hash", FALSE, 256, &ok);
  active = get_boolean (import, item, "active", TRUE, &ok);

  if (pin == NULL && given_hash == NULL && ok)
    {
      problem (import, PDV_IMPORT_ERROR_MISSING_FIELD, item->line, "pin",
               _("every user needs a pin (or a pin_hash)"));
      ok = FALSE;
    }
  if (pin != NULL && !pdv_pin_is_well_formed (pin))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "pin"), "pin",
               _("a PIN is 4 to 8 digits"));
      ok = FALSE;
    }
  if (given_hash != NULL && !g_str_has_prefix (given_hash, "$argon2id$"))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "pin_hash"), "pin_hash",
               _("not an Argon2id hash"));
      ok = FALSE;
    }
  ok = check_duplicate (import, seen_ids, item, "id", id) && ok;
  if (!ok || import->n_problems > 0)
    return;

  if (pin != NULL)
    {
      g_autoptr(GError) error = NULL;

      pin_hash = pdv_pin_hash (pin, &error);
      if (pin_hash == NULL)
        {
          problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, item->line, "pin", "%s", error->message);
          return;
        }
    }
  else
    pin_hash = g_strdup (given_hash);

  stmt = pdv_db_prepare (import->db,
                         "INSERT INTO users (id, name, role, pin_hash, active) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, "
                         "  pin_hash = excluded.pin_hash, active = excluded.active",
                         NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, pin_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, active);
  if (!write_row (import, item, stmt))
    return;
  (*count)++;
  json_array_append_new (summary, json_pack ("{s:s, s:s, s:b}", "id", id, "role", role, "active", active));
}

static void
import_revocation (Import     *import,
                   const Item *item,
                   GHashTable *seen_ids,
                   guint      *count)
{
  gboolean ok = TRUE;
  const char *ticket_id, *reason, *revoked_text;
  g_autoptr(GDateTime) revoked_at = NULL;
  guint8 hash[32];
  sqlite3_stmt *stmt;

  check_unknown_fields (import, item, revocation_fields);
  ticket_id = get_identifier (import, item, "ticket_id", TRUE, &ok);
  reason = get_text (import, item, "reason", TRUE, 120, &ok);
  revoked_at = get_time (import, item, "revoked_at", FALSE, &revoked_text, &ok);
  ok = check_duplicate (import, seen_ids, item, "ticket_id", ticket_id) && ok;
  if (!ok || import->n_problems > 0)
    return;

  /* A revocation is never lifted by a later list that leaves it out. */
  {
    const char *row[] = { ticket_id, reason, revoked_text };
    pdv_seal_hash_row ("revocations", row, G_N_ELEMENTS (row), hash);
  }
  stmt = pdv_db_prepare (import->db,
                         "INSERT INTO revocations (ticket_id, reason, revoked_at, seal) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (ticket_id) DO UPDATE SET reason = excluded.reason, "
                         "  revoked_at = excluded.revoked_at, seal = excluded.seal",
                         NULL);
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, revoked_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, pdv_seal_of_hash (hash));
  if (write_row (import, item, stmt))
    (*count)++;
}

static gboolean
check_string_list (Import     *import,
                   const Item *item,
                   const char *field)
{
  json_t *list = json_object_get (item->object, field);
  json_t *value;
  size_t i;

  if (list == NULL)
    return TRUE;
  if (!json_is_array (list))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
               _("must be a list of names"));
      return FALSE;
    }
  json_array_foreach (list, i, value)
    if (!json_is_string (value) || *json_string_value (value) == '\0' ||
        g_utf8_strlen (json_string_value (value), -1) > 40)
      {
        problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, field), field,
                 _("item %zu must be a name of 1 to 40 characters"), i + 1);
        return FALSE;
      }
  return TRUE;
}

/* The key signed tickets are checked with; an event file without one leaves
 * the terminal accepting no signed tickets. */
static gboolean
set_ticket_key (PdvDb       *db,
                const char  *key,
                GError     **error)
{
  sqlite3_stmt *stmt;

  if (key != NULL)
    return pdv_db_set_meta (db, "ticket_public_key", key, error);
  stmt = pdv_db_prepare (db, "DELETE FROM meta WHERE key = 'ticket_public_key'", error);
  return stmt != NULL && pdv_db_step_done (db, stmt, error);
}

static void
import_event (Import     *import,
              const Item *item,
              json_t     *event)
{
  gboolean ok = TRUE;
  const char *id, *name, *starts_text, *ends_text;
  g_autoptr(GDateTime) starts = NULL;
  g_autoptr(GDateTime) ends = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(GError) error = NULL;
  gint64 capacity;
  json_t *merchant;
  json_t *fichas;
  const char *ticket_key;
  guint8 key[PDV_TICKET_PUBLIC_KEY_BYTES];

  check_unknown_fields (import, item, event_fields);
  id = get_identifier (import, item, "id", TRUE, &ok);
  name = get_text (import, item, "name", TRUE, 80, &ok);
  get_text (import, item, "venue", FALSE, 80, &ok);
  get_text (import, item, "city", FALSE, 60, &ok);
  get_text (import, item, "timezone", FALSE, 64, &ok);
  get_integer (import, item, "capacity", TRUE, 1, 10000000, 0, &capacity, &ok);
  starts = get_time (import, item, "starts_at", TRUE, &starts_text, &ok);
  ends = get_time (import, item, "ends_at", TRUE, &ends_text, &ok);
  ok = check_string_list (import, item, "gates") && ok;
  ok = check_string_list (import, item, "zones") && ok;
  ticket_key = get_text (import, item, "ticket_public_key", FALSE, 64, &ok);
  if (ticket_key != NULL && !pdv_ticket_public_key_parse (ticket_key, key, &error))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "ticket_public_key"),
               "ticket_public_key", "%s", error->message);
      g_clear_error (&error);
      ok = FALSE;
    }
  fichas = json_object_get (item->object, "fichas");
  if (fichas != NULL)
    {
      json_t *products = json_object_get (fichas, "products");
      gboolean valid = json_is_object (fichas) && json_is_array (products) && json_object_size (fichas) == 1;
      size_t i;
      json_t *product;

      json_array_foreach (products, i, product)
        {
          const char *product_id = json_string_value (product);

          valid = valid && product_id != NULL && *product_id != '\0' && strlen (product_id) <= 64;
        }
      if (!valid)
        {
          problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "fichas"), "fichas",
                   _("must be an object whose “products” lists the codes of the products a sale hands a "
                     "ficha over for, one per unit, e.g. {\"products\": [\"CERV-LATA-350\"]}"));
          ok = FALSE;
        }
    }
  merchant = json_object_get (item->object, "merchant");
  if (merchant != NULL && !json_is_object (merchant))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "merchant"), "merchant",
               _("must be an object with name, city and pix_key"));
      ok = FALSE;
    }
  else if (json_object_get (merchant, "cnpj") != NULL)
    {
      char digits[15];

      if (!pdv_cnpj_normalise (json_string_value (json_object_get (merchant, "cnpj")), digits))
        {
          problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "merchant"), "merchant",
                   _("the CNPJ is not valid: 14 digits with the right check digits, e.g. 11.222.333/0001-81"));
          ok = FALSE;
        }
    }
  if (starts != NULL && ends != NULL && g_date_time_compare (starts, ends) >= 0)
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, field_line (import, item, "ends_at"), "ends_at",
               _("the event ends before it starts (starts_at %s)"), starts_text);
      ok = FALSE;
    }
  if (!ok || import->n_problems > 0)
    return;

  canonical = pdv_canonical_json (item->object);
  if (!pdv_db_set_meta (import->db, "event_id", id, &error) ||
      !pdv_db_set_meta (import->db, "event_name", name, &error) ||
      !pdv_db_set_meta (import->db, "event", canonical, &error) ||
      !set_ticket_key (import->db, ticket_key, &error))
    {
      problem (import, PDV_IMPORT_ERROR_INVALID_VALUE, item->line, NULL, "%s", error->message);
      return;
    }
  json_object_update (event, item->object);
}

/* One CSV record as an item: the header names the fields; empty cells are
 * absent. NULL (reported) when the record has the wrong number of fields. */
static gboolean
csv_item (Import             *import,
          const PdvCsvRecord *header,
          const PdvCsvRecord *record,
          const char         *section,
          guint               index,
          Item               *item)
{
  guint n_columns = g_strv_length (header->fields);

  if (g_strv_length (record->fields) != n_columns)
    {
      problem (import, PDV_IMPORT_ERROR_SYNTAX, record->line, NULL,
               _("expected %u fields as in the header, found %u"),
               n_columns, g_strv_length (record->fields));
      return FALSE;
    }
  *item = (Item) { json_object (), section, index, record->line, NULL, 0 };
  for (guint c = 0; c < n_columns; c++)
    if (*record->fields[c] != '\0')
      json_object_set_new (item->object, header->fields[c], json_string (record->fields[c]));
  return TRUE;
}

/* A CSV file as items. */
static GPtrArray *
csv_items (Import     *import,
           GPtrArray  *records,
           const char *section)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  PdvCsvRecord *header = g_ptr_array_index (records, 0);

  for (guint r = 1; r < records->len; r++)
    {
      Item item;

      if (csv_item (import, header, g_ptr_array_index (records, r), section, r - 1, &item))
        g_ptr_array_add (items, g_memdup2 (&item, sizeof item));
    }
  return g_steal_pointer (&items);
}

static const char * const *fields_for (PdvImportKind kind);

/* Every column known, none twice, the required ones present. */
static void
check_csv_header (Import             *import,
                  const PdvCsvRecord *header,
                  PdvImportKind       kind)
{
  const char * const *known;

  known = fields_for (kind);
  for (guint c = 0; header->fields[c]; c++)
    {
      if (!g_strv_contains (known, header->fields[c]))
        {
          g_autofree char *expected = g_strjoinv (", ", (GStrv) known);
          problem (import, PDV_IMPORT_ERROR_UNKNOWN_FIELD, 1, header->fields[c],
                   _("unknown column (expected: %s)"), expected);
        }
      for (guint d = 0; d < c; d++)
        if (g_str_equal (header->fields[c], header->fields[d]))
          problem (import, PDV_IMPORT_ERROR_DUPLICATE, 1, header->fields[c], _("column appears twice"));
    }
  {
    static const char * const required_categories[] = { "id", "name", NULL };
    static const char * const required_products[] = { "id", "name", "price", "category", NULL };
    static const char * const required_tickets[] = { "id", "secret", "order_code", "holder_name",
                                                     "type", "zone", NULL };
    static const char * const required_users[] = { "id", "name", "role", NULL };
    static const char * const required_revocations[] = { "ticket_id", "reason", NULL };
    const char * const *required = kind == PDV_IMPORT_KIND_CATEGORIES ? required_categories :
                                   kind == PDV_IMPORT_KIND_PRODUCTS ? required_products :
                                   kind == PDV_IMPORT_KIND_TICKETS ? required_tickets :
                                   kind == PDV_IMPORT_KIND_REVOCATIONS ? required_revocations : required_users;

    for (guint r = 0; required[r]; r++)
      if (!g_strv_contains ((const char * const *) header->fields, required[r]))
        problem (import, PDV_IMPORT_ERROR_MISSING_FIELD, 1, required[r], _("column is missing"));
  }
}

static void
free_csv_items (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    json_decref (((Item *) g_ptr_array_index (items, i))->object);
  g_ptr_array_unref (items);
}

static PdvImportKind
csv_kind_from_header (GStrv header)
{
  if (g_strv_contains ((const char * const *) header, "ticket_id"))
    return PDV_IMPORT_KIND_REVOCATIONS;
  if (g_strv_contains ((const char * const *) header, "secret"))
    return PDV_IMPORT_KIND_TICKETS;
  if (g_strv_contains ((const char * const *) header, "role"))
    return PDV_IMPORT_KIND_USERS;
  if (g_strv_contains ((const char * const *) header, "price") ||
      g_strv_contains ((const char * const *) header, "category") ||
      g_strv_contains ((const char * const *) header, "barcode"))
    return PDV_IMPORT_KIND_PRODUCTS;
  if (g_strv_contains ((const char * const *) header, "id") &&
      g_strv_contains ((const char * const *) header, "name"))
    return PDV_IMPORT_KIND_CATEGORIES;
  return PDV_IMPORT_KIND_AUTO;
}

static const char * const *
fields_for (PdvImportKind kind)
{
  switch (kind)
    {
    case PDV_IMPORT_KIND_CATEGORIES: return category_fields;
    case PDV_IMPORT_KIND_PRODUCTS: return product_fields;
    case PDV_IMPORT_KIND_TICKETS: return ticket_fields;
    case PDV_IMPORT_KIND_USERS: return user_fields;
    case PDV_IMPORT_KIND_REVOCATIONS: return revocation_fields;
    case PDV_IMPORT_KIND_AUTO:
    case PDV_IMPORT_KIND_EVENT:
    case PDV_IMPORT_KIND_CATALOG:
    default:
      return NULL;
    }
}

static const char *
json_format_name (PdvImportKind kind)
{
  switch (kind)
    {
    case PDV_IMPORT_KIND_EVENT: return "pdv-event";
    case PDV_IMPORT_KIND_CATALOG: return "pdv-catalog";
    case PDV_IMPORT_KIND_TICKETS: return "pdv-tickets";
    case PDV_IMPORT_KIND_USERS: return "pdv-users";
    case PDV_IMPORT_KIND_REVOCATIONS: return "pdv-revocations";
    case PDV_IMPORT_KIND_AUTO:
    case PDV_IMPORT_KIND_CATEGORIES:
    case PDV_IMPORT_KIND_PRODUCTS:
    default:
      return NULL;
    }
}

static gboolean
check_encoding (const char  *file,
                const char  *data,
                gsize        length,
                GError     **error)
{
  const char *end = NULL;
  guint line = 1;

  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, &end))
    {
      const char *bad = end ? end : memchr (data, '\0', length);

      if (end == NULL || (memchr (data, '\0', length) != NULL &&
                          (const char *) memchr (data, '\0', length) < end))
        bad = memchr (data, '\0', length);
      for (const char *p = data; p < bad; p++)
        if (*p == '\n')
          line++;
      g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_ENCODING,
                   _("%s:%u: the file is not UTF-8 text (save it as UTF-8 and import it again)"),
                   file, line);
      return FALSE;
    }
  return TRUE;
}

static void
items_for_json_array (Import     *import,
                      json_t     *root,
                      const char *section,
                      GPtrArray  *items)
{
  json_t *array = json_object_get (root, section);
  json_t *element;
  size_t i;

  if (array == NULL)
    return;
  if (!json_is_array (array))
    {
      problem (import, PDV_IMPORT_ERROR_SYNTAX, element_line (import, section, 0), section,
               _("must be a list"));
      return;
    }
  json_array_foreach (array, i, element)
    {
      Item *item;

      if (!json_is_object (element))
        {
          problem (import, PDV_IMPORT_ERROR_SYNTAX, element_line (import, section, i), NULL,
                   _("%s item %zu must be an object"), section, i + 1);
          continue;
        }
      item = g_new0 (Item, 1);
      item->object = element;
      item->section = section;
      item->index = i;
      item->line = element_line (import, section, i);
      g_ptr_array_add (items, item);
    }
}

static gboolean
fail_with_problems (Import  *import,
                    GError **error)
{
  g_autoptr(GString) message = g_string_new (NULL);

  for (guint i = 0; i < import->problems->len; i++)
    {
      if (i > 0)
        g_string_append_c (message, '\n');
      g_string_append (message, g_ptr_array_index (import->problems, i));
    }
  if (import->n_problems > import->problems->len)
    {
      guint more = import->n_problems - import->problems->len;
      g_string_append_c (message, '\n');
      g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, "(and %u more problem)",
                                                    "(and %u more problems)", more), more);
    }
  g_string_append_c (message, '\n');
  g_string_append_printf (message, _("Nothing from %s was imported."), import->file);
  g_set_error_literal (error, PDV_IMPORT_ERROR, import->first_code, message->str);
  return FALSE;
}

static void
undo_import (PdvDb    *db,
             gboolean  own_transaction)
{
  if (own_transaction)
    pdv_db_rollback (db);
  else
    pdv_db_exec (db, "ROLLBACK TO pdv_import; RELEASE pdv_import", NULL);
}

/* Adds to @payload what lets verification hold the imported state to this
 * entry (pdv-seal.h): the sum of the set's row hashes, or the event as the
 * database keeps it. In the import's transaction, before it is journalled. */
static gboolean
seal_import (Import         *import,
             PdvImportKind   kind,
             json_t         *payload,
             GError        **error)
{
  PdvSealSet set;
  PdvSealSum sum;

  switch (kind)
    {
    case PDV_IMPORT_KIND_EVENT:
      json_object_set_new (payload, "state", pdv_seal_event_snapshot (import->db));
      return TRUE;
    case PDV_IMPORT_KIND_USERS:
      set = PDV_SEAL_USERS;
      break;
    case PDV_IMPORT_KIND_TICKETS:
      set = PDV_SEAL_TICKETS;
      break;
    case PDV_IMPORT_KIND_REVOCATIONS:
      set = PDV_SEAL_REVOCATIONS;
      break;
    case PDV_IMPORT_KIND_CATALOG:
    case PDV_IMPORT_KIND_CATEGORIES:
    case PDV_IMPORT_KIND_PRODUCTS:
      set = PDV_SEAL_CATALOG;
      break;
    case PDV_IMPORT_KIND_AUTO:
    default:
      g_return_val_if_reached (FALSE);
    }

  /* A ticket list seals as it goes, unless it met a row changed behind the
   * journal's back: then every row is sealed again as it now stands (the
   * earlier entries keep what the sum was). Other sets are small. */
  if (set == PDV_SEAL_TICKETS && import->tickets_sum_loaded && !import->tickets_reseal)
    {
      sum = import->tickets_sum;
      if (!pdv_seal_put_running (import->db, set, &sum, error))
        return FALSE;
    }
  else if (!pdv_seal_recompute (import->db, set, &sum, error))
    return FALSE;
  json_object_set_new (payload, "seal", json_pack ("{s:o}", pdv_seal_set_name (set), pdv_seal_sum_to_json (&sum)));
  return TRUE;
}

static char *
sha256_hex (const char *data,
            gsize       length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
}

static gboolean
too_large (const char  *file_name,
           GError     **error)
{
  g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_READ,
               _("%s is too large to import (over %u MB)"), file_name,
               PDV_IMPORT_MAX_BYTES / (1024 * 1024));
  return FALSE;
}

/* With @own_transaction unset, the import runs inside the caller's
 * transaction, within a savepoint that a failure rolls back to. */
static gboolean
import_data (PdvJournal       *journal,
             const char       *file_name,
             const char       *data,
             gsize             length,
             PdvImportKind     kind,
             const char       *user,
             gboolean          own_transaction,
             PdvImportResult  *result,
             GError          **error)
{
  g_autoptr(GHashTable) lines = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen_a = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen_b = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen_c = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autofree char *sha256 = NULL;
  PdvImportResult local_result = { 0 };
  json_t *root = NULL;
  json_t *payload = NULL;
  json_t *stock_items = NULL;
  json_t *users = NULL;
  json_t *event = NULL;
  GPtrArray *items = NULL;
  GPtrArray *categories = NULL;
  gboolean from_csv_items = FALSE;
  const char *entry_kind = NULL;
  Import import = { 0 };
  PdvDb *db;
  gsize skip = 0;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (file_name != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  db = pdv_journal_get_db (journal);
  import.file = file_name;
  import.db = db;
  import.problems = problems;

  if (length > PDV_IMPORT_MAX_BYTES)
    return too_large (file_name, error);
  if (!check_encoding (file_name, data, length, error))
    return FALSE;
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    skip = 3;
  sha256 = sha256_hex (data, length);

  {
    gsize first = skip;
    while (first < length && g_ascii_isspace (data[first]))
      first++;
    if (first == length)
      {
        g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX, _("%s is empty"), file_name);
        return FALSE;
      }
    import.is_csv = data[first] != '{';
  }

  if (!import.is_csv)
    {
      json_error_t json_error;
      json_t *format;
      json_t *version;
      PdvImportKind file_kind = PDV_IMPORT_KIND_AUTO;
      static const PdvImportKind json_kinds[] = {
        PDV_IMPORT_KIND_EVENT, PDV_IMPORT_KIND_CATALOG, PDV_IMPORT_KIND_TICKETS, PDV_IMPORT_KIND_USERS,
        PDV_IMPORT_KIND_REVOCATIONS,
      };

      root = json_loadb (data + skip, length - skip, JSON_REJECT_DUPLICATES, &json_error);
      if (root == NULL)
        {
          g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                       _("%s:%d:%d: not valid JSON: %s"), file_name, json_error.line,
                       json_error.column, json_error.text);
          return FALSE;
        }
      lines = pdv_json_lines_index (data + skip, length - skip, 3);
      import.lines = lines;

      format = json_object_get (root, "format");
      version = json_object_get (root, "version");
      for (guint i = 0; i < G_N_ELEMENTS (json_kinds); i++)
        if (g_strcmp0 (json_string_value (format), json_format_name (json_kinds[i])) == 0)
          file_kind = json_kinds[i];
      if (file_kind == PDV_IMPORT_KIND_AUTO)
        {
          g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("%s:1: field “format”: expected pdv-event, pdv-catalog, pdv-tickets, pdv-users or pdv-revocations"),
                       file_name);
          goto out_error;
        }
      if (!json_is_integer (version) || json_integer_value (version) != 1)
        {
          g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("%s:%u: field “version”: this PDV reads version 1 files only"),
                       file_name, GPOINTER_TO_UINT (g_hash_table_lookup (lines, "version")) ?: 1);
          goto out_error;
        }
      if (kind != PDV_IMPORT_KIND_AUTO && kind != file_kind)
        {
          g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("%s holds %s, not %s"), file_name, pdv_import_kind_name (file_kind),
                       pdv_import_kind_name (kind));
          goto out_error;
        }
      kind = file_kind;

      {
        const char *key;
        json_t *value;
        const char *allowed[4] = { "format", "version", NULL, NULL };

        switch (kind)
          {
          case PDV_IMPORT_KIND_EVENT: allowed[2] = "event"; break;
          case PDV_IMPORT_KIND_TICKETS: allowed[2] = "tickets"; break;
          case PDV_IMPORT_KIND_USERS: allowed[2] = "users"; break;
          case PDV_IMPORT_KIND_REVOCATIONS: allowed[2] = "revocations"; break;
          case PDV_IMPORT_KIND_CATALOG:
          case PDV_IMPORT_KIND_AUTO:
          case PDV_IMPORT_KIND_CATEGORIES:
          case PDV_IMPORT_KIND_PRODUCTS:
          default:
            break;
          }
        json_object_foreach (root, key, value)
          {
            gboolean known = g_strv_contains (allowed, key) ||
                             (kind == PDV_IMPORT_KIND_CATALOG &&
                              (g_str_equal (key, "categories") || g_str_equal (key, "products")));
            if (!known)
              problem (&import, PDV_IMPORT_ERROR_UNKNOWN_FIELD,
                       GPOINTER_TO_UINT (g_hash_table_lookup (lines, key)) ?: 1, key,
                       _("unknown top-level field"));
          }
      }
    }
  else
    {
      PdvCsvRecord *header;
      PdvImportKind header_kind;

      records = pdv_csv_parse (data + skip, length - skip, file_name, error);
      if (records == NULL)
        return FALSE;
      header = g_ptr_array_index (records, 0);
      header_kind = csv_kind_from_header (header->fields);
      if (kind == PDV_IMPORT_KIND_AUTO)
        kind = header_kind;
      if (kind == PDV_IMPORT_KIND_AUTO || fields_for (kind) == NULL)
        {
          g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_UNKNOWN_FORMAT,
                       _("%s:1: cannot tell what this CSV file holds; its header must name the columns of "
                         "categories (id,name,…), products (…,price,…), tickets (…,secret,…), users (…,role,…) "
                         "or revocations (ticket_id,reason,…)"),
                       file_name);
          return FALSE;
        }
      check_csv_header (&import, header, kind);
    }

  if (import.n_problems > 0)
    goto out_error_problems;

  if (own_transaction ? !pdv_db_begin (db, error) : !pdv_db_exec (db, "SAVEPOINT pdv_import", error))
    goto out_error;

  switch (kind)
    {
    case PDV_IMPORT_KIND_EVENT:
      {
        Item item = { json_object_get (root, "event"), "event", 0, 1 };

        entry_kind = PDV_ENTRY_EVENT_IMPORT;
        event = json_object ();
        if (!json_is_object (item.object))
          {
            problem (&import, PDV_IMPORT_ERROR_MISSING_FIELD, 1, "event", _("missing, and it is required"));
            break;
          }
        /* The event is one object, not a list: look its fields up as "event/<field>". */
        {
          GHashTableIter iter;
          gpointer key, value;
          g_autoptr(GHashTable) remapped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

          g_hash_table_iter_init (&iter, lines);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (g_str_has_prefix (key, "event/"))
              g_hash_table_insert (remapped, g_strdup_printf ("event/0/%s", (char *) key + 6), value);
          item.line = GPOINTER_TO_UINT (g_hash_table_lookup (lines, "event")) ?: 1;
          import.lines = remapped;
          import_event (&import, &item, event);
          import.lines = lines;
        }
        payload = json_pack ("{s:s, s:s, s:O}", "file", file_name, "sha256", sha256, "event", event);
      }
      break;

    case PDV_IMPORT_KIND_CATALOG:
    case PDV_IMPORT_KIND_CATEGORIES:
    case PDV_IMPORT_KIND_PRODUCTS:
      entry_kind = PDV_ENTRY_CATALOG_IMPORT;
      stock_items = json_array ();
      if (import.is_csv)
        {
          items = csv_items (&import, records,
                             kind == PDV_IMPORT_KIND_CATEGORIES ? "categories" : "products");
          from_csv_items = TRUE;
          if (kind == PDV_IMPORT_KIND_CATEGORIES)
            {
              categories = items;
              items = NULL;
            }
        }
      else
        {
          categories = g_ptr_array_new_with_free_func (g_free);
          items = g_ptr_array_new_with_free_func (g_free);
          items_for_json_array (&import, root, "categories", categories);
          items_for_json_array (&import, root, "products", items);
        }
      for (guint i = 0; categories && i < categories->len; i++)
        import_category (&import, g_ptr_array_index (categories, i), seen_a, &local_result.n_categories);
      for (guint i = 0; items && i < items->len; i++)
        import_product (&import, g_ptr_array_index (items, i), seen_b, seen_c, stock_items,
                        &local_result.n_products);
      if (import.n_problems == 0)
        check_components (&import, items);
      payload = json_pack ("{s:s, s:s, s:i, s:i, s:O}", "file", file_name, "sha256", sha256,
                           "categories", local_result.n_categories, "products", local_result.n_products,
                           "stock", stock_items);
      break;

    case PDV_IMPORT_KIND_TICKETS:
      entry_kind = PDV_ENTRY_TICKETS_IMPORT;
      if (import.is_csv)
        {
          items = csv_items (&import, records, "tickets");
          from_csv_items = TRUE;
        }
      else
        {
          items = g_ptr_array_new_with_free_func (g_free);
          items_for_json_array (&import, root, "tickets", items);
        }
      for (guint i = 0; i < items->len; i++)
        import_ticket (&import, g_ptr_array_index (items, i), seen_a, seen_b, &local_result.n_tickets);
      payload = json_pack ("{s:s, s:s, s:i}", "file", file_name, "sha256", sha256,
                           "tickets", local_result.n_tickets);
      break;

    case PDV_IMPORT_KIND_USERS:
      entry_kind = PDV_ENTRY_USERS_IMPORT;
      users = json_array ();
      if (import.is_csv)
        {
          items = csv_items (&import, records, "users");
          from_csv_items = TRUE;
        }
      else
        {
          items = g_ptr_array_new_with_free_func (g_free);
          items_for_json_array (&import, root, "users", items);
        }
      for (guint i = 0; i < items->len; i++)
        import_user (&import, g_ptr_array_index (items, i), seen_a, users, &local_result.n_users);
      payload = json_pack ("{s:s, s:s, s:O}", "file", file_name, "sha256", sha256, "users", users);
      break;

    case PDV_IMPORT_KIND_REVOCATIONS:
      entry_kind = PDV_ENTRY_REVOCATIONS_IMPORT;
      if (import.is_csv)
        {
          items = csv_items (&import, records, "revocations");
          from_csv_items = TRUE;
        }
      else
        {
          items = g_ptr_array_new_with_free_func (g_free);
          items_for_json_array (&import, root, "revocations", items);
        }
      for (guint i = 0; i < items->len; i++)
        import_revocation (&import, g_ptr_array_index (items, i), seen_a, &local_result.n_revocations);
      payload = json_pack ("{s:s, s:s, s:i}", "file", file_name, "sha256", sha256,
                           "revocations", local_result.n_revocations);
      break;

    case PDV_IMPORT_KIND_AUTO:
    default:
      g_assert_not_reached ();
    }

  if (import.n_problems == 0 &&
      local_result.n_categories + local_result.n_products + local_result.n_tickets +
      local_result.n_users + local_result.n_revocations == 0 && kind != PDV_IMPORT_KIND_EVENT)
    problem (&import, PDV_IMPORT_ERROR_MISSING_FIELD, 1, NULL, _("the file holds nothing to import"));

  if (import.n_problems > 0)
    {
      undo_import (db, own_transaction);
      goto out_error_problems;
    }

  if (seal_import (&import, kind, payload, error))
    entry = pdv_journal_append_in_transaction (journal, entry_kind, user, payload, error);
  /* Lets every holder of a cached catalog know it is out of date. */
  if (entry != NULL && g_str_equal (entry_kind, PDV_ENTRY_CATALOG_IMPORT))
    {
      g_autofree char *generation = g_strdup_printf ("%" G_GINT64_FORMAT, entry->seq);
      if (!pdv_db_set_meta (db, "catalog_generation", generation, error))
        g_clear_pointer (&entry, pdv_journal_entry_free);
    }
  if (entry == NULL ||
      !(own_transaction ? pdv_db_commit (db, error) : pdv_db_exec (db, "RELEASE pdv_import", error)))
    {
      undo_import (db, own_transaction);
      goto out_error;
    }

  local_result.kind = kind;
  local_result.seq = entry->seq;
  if (result)
    *result = local_result;

  if (from_csv_items)
    {
      g_clear_pointer (&items, free_csv_items);
      g_clear_pointer (&categories, free_csv_items);
    }
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&categories, g_ptr_array_unref);
  g_clear_pointer (&payload, json_decref);
  g_clear_pointer (&stock_items, json_decref);
  g_clear_pointer (&users, json_decref);
  g_clear_pointer (&event, json_decref);
  g_clear_pointer (&root, json_decref);
  return TRUE;

out_error_problems:
  fail_with_problems (&import, error);
out_error:
  if (from_csv_items)
    {
      g_clear_pointer (&items, free_csv_items);
      g_clear_pointer (&categories, free_csv_items);
    }
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&categories, g_ptr_array_unref);
  g_clear_pointer (&payload, json_decref);
  g_clear_pointer (&stock_items, json_decref);
  g_clear_pointer (&users, json_decref);
  g_clear_pointer (&event, json_decref);
  g_clear_pointer (&root, json_decref);
  return FALSE;
}

/* ---- Streaming: ticket and revocation lists of any size ----
 *
 * A list of a million tickets is read a piece at a time: a CSV record or a
 * JSON list element is parsed, checked and written, then forgotten. Only the
 * ids seen so far stay in memory (duplicates are refused), and the file's
 * hash is computed as it goes. Anything else, or a JSON file laid out other
 * than {format, version, list} (fields in any order), is read whole as
 * before. */

#define SOURCE_CHUNK (1024 * 1024)
/* While a list is written, SQLite keeps this many KiB of the database in
 * memory instead of re-reading pages from the kernel at every insert. */
#define IMPORT_CACHE_KIB 65536

typedef struct {
  const char   *file;
  GInputStream *stream;     /* NULL: all the text is in @text */
  char         *buffer;     /* stream: what was read and not yet dropped */
  gsize         size;
  const char   *text;
  gsize         start;      /* the first byte not consumed */
  gsize         end;        /* the end of what was read */
  gboolean      eof;
  guint         line;       /* the line text[start] is on */
  guint         column;     /* the byte text[start] is at in its line, from 1 */
  GChecksum    *sha256;
} Source;

static void
source_init_data (Source     *source,
                  const char *file,
                  const char *data,
                  gsize       length)
{
  *source = (Source) { .file = file, .text = data, .end = length, .eof = TRUE, .line = 1, .column = 1,
                       .sha256 = g_checksum_new (G_CHECKSUM_SHA256) };
  g_checksum_update (source->sha256, (const guchar *) data, length);
}

static void
source_init_stream (Source       *source,
                    const char   *file,
                    GInputStream *stream)
{
  *source = (Source) { .file = file, .stream = g_object_ref (stream), .size = SOURCE_CHUNK,
                       .buffer = g_malloc (SOURCE_CHUNK), .line = 1, .column = 1,
                       .sha256 = g_checksum_new (G_CHECKSUM_SHA256) };
  source->text = source->buffer;
}

static void
source_clear (Source *source)
{
  g_clear_object (&source->stream);
  g_clear_pointer (&source->buffer, g_free);
  g_clear_pointer (&source->sha256, g_checksum_free);
}

/* Reads more; at the end of the file sets @eof. */
static gboolean
source_fill (Source  *source,
             GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (source->eof)
    return TRUE;
  if (source->start > 0)
    {
      memmove (source->buffer, source->buffer + source->start, source->end - source->start);
      source->end -= source->start;
      source->start = 0;
    }
  if (source->size - source->end < SOURCE_CHUNK / 2)
    {
      source->size *= 2;
      source->buffer = g_realloc (source->buffer, source->size);
      source->text = source->buffer;
    }
  n = g_input_stream_read (source->stream, source->buffer + source->end, source->size - source->end,
                           NULL, &local_error);
  if (n < 0)
    {
      g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_READ,
                   _("Could not read %s: %s"), source->file, local_error->message);
      return FALSE;
    }
  if (n == 0)
    source->eof = TRUE;
  g_checksum_update (source->sha256, (const guchar *) source->buffer + source->end, n);
  source->end += n;
  return TRUE;
}

/* Makes at least one byte available; FALSE at the end of the file. */
static gboolean
source_more (Source   *source,
             gboolean *failed,
             GError  **error)
{
  while (source->start == source->end && !source->eof)
    if (!source_fill (source, error))
      {
        *failed = TRUE;
        return FALSE;
      }
  return source->start < source->end;
}

/* Steps over @n bytes, checking that they are UTF-8 text, and counting
 * lines as it goes. */
static gboolean
source_consume (Source  *source,
                gsize    n,
                GError **error)
{
  const char *p = source->text + source->start;
  const char *bad = NULL;
  const char *nul = memchr (p, '\0', n);

  if (nul != NULL || !g_utf8_validate_len (p, n, &bad))
    {
      guint line = source->line;

      if (nul != NULL && (bad == NULL || nul < bad))
        bad = nul;
      for (const char *q = p; q < bad; q++)
        if (*q == '\n')
          line++;
      g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_ENCODING,
                   _("%s:%u: the file is not UTF-8 text (save it as UTF-8 and import it again)"),
                   source->file, line);
      return FALSE;
    }
  for (const char *q = p, *end = p + n; q < end; q++)
    {
      const char *newline = memchr (q, '\n', end - q);

      if (newline == NULL)
        {
          source->column += end - q;
          break;
        }
      source->line++;
      source->column = 1;
      q = newline;
    }
  source->start += n;
  return TRUE;
}

static char source_peek (Source   *source,
                         gboolean *failed,
                         GError  **error);

/* Past a byte-order mark and white space: @first is the first byte of the
 * content ('{' for JSON), or 0 for an empty file. */
static gboolean
source_start (Source  *source,
              char    *first,
              GError **error)
{
  gboolean failed = FALSE;

  while (source->end - source->start < 3 && !source->eof)
    if (!source_fill (source, error))
      return FALSE;
  if (source->end - source->start >= 3 && memcmp (source->text + source->start, "\xEF\xBB\xBF", 3) == 0)
    source->start += 3;
  *first = source_peek (source, &failed, error);
  return !failed;
}

/* Skips white space; returns the next byte, or 0 at the end. */
static char
source_peek (Source   *source,
             gboolean *failed,
             GError  **error)
{
  for (;;)
    {
      if (!source_more (source, failed, error))
        return 0;
      if (!g_ascii_isspace (source->text[source->start]))
        return source->text[source->start];
      if (!source_consume (source, 1, error))
        {
          *failed = TRUE;
          return 0;
        }
    }
}

/* Where the JSON value at @text ends: its length, or 0 when it runs past
 * @length. Only finds the extent; the parser judges the content. */
static gsize
json_value_extent (const char *text,
                   gsize       length)
{
  gsize i = 0;
  guint depth = 0;
  gboolean in_string = FALSE;

  if (length == 0)
    return 0;
  if (text[0] != '{' && text[0] != '[' && text[0] != '"')
    {
      while (i < length && !strchr (",}] \t\r\n", text[i]))
        i++;
      return i < length ? i : 0;
    }
  for (; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              if (depth == 0)
                return i + 1;
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        return i + 1;
    }
  return 0;
}

/* The next JSON value, parsed; its text stays at source->text + *offset
 * until the next read. */
static json_t *
source_next_json (Source   *source,
                  gsize    *offset,
                  gsize    *length,
                  guint    *line,
                  gboolean *failed,
                  GError  **error)
{
  json_error_t json_error;
  json_t *value;
  gsize extent;

  for (;;)
    {
      extent = json_value_extent (source->text + source->start, source->end - source->start);
      if (extent > 0)
        break;
      if (source->eof)
        {
          /* Runs to the end of the file: the parser says what is wrong. */
          extent = source->end - source->start;
          break;
        }
      if (!source_fill (source, error))
        {
          *failed = TRUE;
          return NULL;
        }
    }
  *offset = source->start;
  *length = extent;
  *line = source->line;
  value = json_loadb (source->text + source->start, extent, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                      &json_error);
  if (value == NULL)
    {
      g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                   _("%s:%d:%d: not valid JSON: %s"), source->file,
                   (int) source->line + json_error.line - 1,
                   json_error.line == 1 ? (int) source->column + json_error.column - 1 : json_error.column,
                   json_error.text);
      *failed = TRUE;
      return NULL;
    }
  if (!source_consume (source, extent, error))
    {
      json_decref (value);
      *failed = TRUE;
      return NULL;
    }
  return value;
}

/* Expects @c next (after white space) and steps over it. */
static gboolean
source_expect (Source     *source,
               char        c,
               const char *expected,
               gboolean   *failed,
               GError    **error)
{
  char next = source_peek (source, failed, error);

  if (*failed)
    return FALSE;
  if (next != c)
    {
      g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                   _("%s:%u:%u: not valid JSON: %s expected"), source->file, source->line, source->column,
                   expected);
      *failed = TRUE;
      return FALSE;
    }
  return source_consume (source, 1, error) || (*failed = TRUE, FALSE);
}

typedef struct {
  Import         *import;
  PdvJournal     *journal;
  gboolean        begin_journalled;  /* in steps: the list's import.begin entry is written */
  PdvImportKind   kind;
  GHashTable     *seen_ids;
  PdvImportResult result;
  gboolean        begun;
  gboolean        own_transaction;
  gboolean        in_steps;
  gint64          step_started;
  guint           step_items;
  GError         *step_error;
  /* Parts mode (pdv_import_split_list()): items are handed on in documents
   * of @part_items instead of written. */
  PdvImportPartFunc part_func;
  gpointer        part_data;
  guint           part_items;
  json_t         *part;
} Stream;

/* In steps: how long one transaction may hold the write lock, and how long
 * the lock is then left free for a scan or a sale that waits for it. */
#define STEP_US     (4 * 1000)
#define STEP_GAP_US (1 * 1000)

static gboolean
stream_begin (Stream  *stream,
              GError **error)
{
  PdvDb *db = stream->import->db;

  if (stream->begun || stream->part_func != NULL)
    return TRUE;
  /* A step's commit need not reach the disk: the last one does, and takes
   * the earlier ones with it. */
  if (stream->in_steps)
    pdv_db_exec (db, "PRAGMA synchronous = NORMAL", NULL);
  if (stream->own_transaction ? !pdv_db_begin (db, error) : !pdv_db_exec (db, "SAVEPOINT pdv_import", error))
    return FALSE;
  stream->begun = TRUE;
  stream->step_started = g_get_monotonic_time ();
  pdv_db_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (IMPORT_CACHE_KIB), NULL);
  return TRUE;
}

static void
stream_end (Stream *stream)
{
  if (stream->begun)
    pdv_db_exec (stream->import->db, "PRAGMA cache_size = -2000", NULL);
  g_clear_error (&stream->step_error);
}

/* Ends a step that has held the lock long enough, and begins the next one
 * after leaving the lock free for a moment. */
static void
stream_step (Stream *stream)
{
  PdvDb *db = stream->import->db;
  gint64 now;

  if (!stream->in_steps || stream->step_error != NULL || stream->import->n_problems > 0 ||
      ++stream->step_items % 16 != 0)
    return;
  now = g_get_monotonic_time ();
  if (now - stream->step_started < STEP_US)
    return;
  /* The step's rows are sealed; the sum that holds them is journalled only
   * with the last step. Until then the journal says a list is on its way
   * (import.begin), which is why verification finds them. */
  if (stream->import->tickets_sum_loaded &&
      !pdv_seal_put_running (db, PDV_SEAL_TICKETS, &stream->import->tickets_sum, &stream->step_error))
    return;
  if (!stream->begin_journalled)
    {
      g_autoptr(json_t) payload = json_pack ("{s:s, s:s}", "file", stream->import->file, "set",
                                             stream->kind == PDV_IMPORT_KIND_TICKETS ? "tickets" : "revocations");
      g_autoptr(PdvJournalEntry) entry = pdv_journal_append_in_transaction (stream->journal, PDV_ENTRY_IMPORT_BEGIN,
                                                                            NULL, payload, &stream->step_error);

      if (entry == NULL)
        return;
      stream->begin_journalled = TRUE;
    }
  if (!pdv_db_commit (db, &stream->step_error))
    return;
  g_usleep (STEP_GAP_US);
  if (!pdv_db_begin (db, &stream->step_error))
    return;
  stream->step_started = g_get_monotonic_time ();
}

/* Parts mode: hands on the items gathered so far as one document. */
static gboolean
stream_emit_part (Stream  *stream,
                  GError **error)
{
  g_autoptr(json_t) document = NULL;
  g_autofree char *text = NULL;
  guint n = (guint) json_array_size (stream->part);

  if (n == 0)
    return TRUE;
  /* The document takes the items; the next part starts empty. */
  document = stream->kind == PDV_IMPORT_KIND_TICKETS
             ? json_pack ("{s:s, s:i, s:o}", "format", "pdv-tickets", "version", 1, "tickets", stream->part)
             : json_pack ("{s:s, s:i, s:o}", "format", "pdv-revocations", "version", 1, "revocations", stream->part);
  stream->part = json_array ();
  text = json_dumps (document, JSON_COMPACT);
  if (text == NULL)
    {
      g_set_error_literal (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX, _("A part of the list could not be written"));
      return FALSE;
    }
  return stream->part_func (text, strlen (text), n, stream->part_data, error);
}

static void
stream_item (Stream     *stream,
             const Item *item)
{
  if (stream->part_func != NULL)
    {
      /* Once a part failed or the list holds a problem, nothing more goes. */
      if (stream->step_error != NULL || stream->import->n_problems > 0)
        return;
      json_array_append (stream->part, item->object);
      if (json_array_size (stream->part) >= stream->part_items)
        stream_emit_part (stream, &stream->step_error);
      return;
    }
  if (stream->kind == PDV_IMPORT_KIND_TICKETS)
    import_ticket (stream->import, item, stream->seen_ids, NULL, &stream->result.n_tickets);
  else
    import_revocation (stream->import, item, stream->seen_ids, &stream->result.n_revocations);
  stream_step (stream);
}

static gboolean
is_streamed (PdvImportKind kind)
{
  return kind == PDV_IMPORT_KIND_TICKETS || kind == PDV_IMPORT_KIND_REVOCATIONS;
}

typedef enum {
  STREAMED,       /* imported, or failed with @error set */
  NOT_STREAMED,   /* read it whole instead; nothing was written */
} StreamOutcome;

static StreamOutcome
stream_csv (Stream   *stream,
            Source   *source,
            gboolean *failed,
            GError  **error)
{
  Import *import = stream->import;
  g_autoptr(PdvCsvRecord) header = NULL;
  const char *section;
  char separator = ',';
  guint index = 0;

  /* The header, and the separator it uses. */
  for (;;)
    {
      gsize consumed;
      guint line = source->line;

      separator = pdv_csv_detect_separator (source->text + source->start, source->end - source->start);
      if (!pdv_csv_next_record (source->text + source->start, source->end - source->start, source->eof,
                                separator, source->file, &line, &consumed, &header, error))
        return (*failed = TRUE, STREAMED);
      if (header != NULL || source->eof)
        {
          if (!source_consume (source, consumed, error))
            return (*failed = TRUE, STREAMED);
          break;
        }
      if (!source_fill (source, error))
        return (*failed = TRUE, STREAMED);
    }
  if (header == NULL)
    return NOT_STREAMED;
  if (stream->kind == PDV_IMPORT_KIND_AUTO)
    stream->kind = csv_kind_from_header (header->fields);
  if (!is_streamed (stream->kind))
    return NOT_STREAMED;
  check_csv_header (import, header, stream->kind);
  if (import->n_problems > 0)
    return STREAMED;
  section = stream->kind == PDV_IMPORT_KIND_TICKETS ? "tickets" : "revocations";
  if (!stream_begin (stream, error))
    return (*failed = TRUE, STREAMED);

  for (;;)
    {
      g_autoptr(PdvCsvRecord) record = NULL;
      gsize consumed;
      guint line = source->line;
      Item item;

      if (!pdv_csv_next_record (source->text + source->start, source->end - source->start, source->eof,
                                separator, source->file, &line, &consumed, &record, error))
        return (*failed = TRUE, STREAMED);
      if (record == NULL && !source->eof)
        {
          if (!source_fill (source, error))
            return (*failed = TRUE, STREAMED);
          continue;
        }
      if (!source_consume (source, consumed, error))
        return (*failed = TRUE, STREAMED);
      if (record == NULL)
        break;
      if (csv_item (import, header, record, section, index++, &item))
        {
          stream_item (stream, &item);
          json_decref (item.object);
        }
    }
  return STREAMED;
}

static StreamOutcome
stream_json (Stream   *stream,
             Source   *source,
             gboolean *failed,
             GError  **error)
{
  Import *import = stream->import;
  PdvImportKind format_kind = PDV_IMPORT_KIND_AUTO;
  gboolean has_version = FALSE, streamed_list = FALSE;

  if (!source_expect (source, '{', "“{”", failed, error))
    return STREAMED;
  for (guint n = 0;; n++)
    {
      g_autoptr(json_t) key = NULL;
      gsize offset, length;
      guint line;
      PdvImportKind list_kind;
      char next = source_peek (source, failed, error);

      if (*failed)
        return STREAMED;
      if (next == '}')
        {
          if (!source_consume (source, 1, error))
            return (*failed = TRUE, STREAMED);
          break;
        }
      if (n > 0 && !source_expect (source, ',', "“,” or “}”", failed, error))
        return STREAMED;
      source_peek (source, failed, error);
      key = *failed ? NULL : source_next_json (source, &offset, &length, &line, failed, error);
      if (key == NULL)
        return STREAMED;
      if (!json_is_string (key))
        return NOT_STREAMED;
      if (!source_expect (source, ':', "“:”", failed, error))
        return STREAMED;

      if (g_str_equal (json_string_value (key), "tickets") || g_str_equal (json_string_value (key), "revocations"))
        {
          list_kind = g_str_equal (json_string_value (key), "tickets") ? PDV_IMPORT_KIND_TICKETS
                                                                        : PDV_IMPORT_KIND_REVOCATIONS;
          if (streamed_list || (stream->kind != PDV_IMPORT_KIND_AUTO && stream->kind != list_kind) ||
              (format_kind != PDV_IMPORT_KIND_AUTO && format_kind != list_kind) ||
              source_peek (source, failed, error) != '[')
            return *failed ? STREAMED : NOT_STREAMED;
          stream->kind = list_kind;
          streamed_list = TRUE;
          if (!stream_begin (stream, error) || !source_consume (source, 1, error))
            return (*failed = TRUE, STREAMED);
          for (guint index = 0;; index++)
            {
              g_autoptr(json_t) element = NULL;

              next = source_peek (source, failed, error);
              if (*failed)
                return STREAMED;
              if (next == ']')
                {
                  if (!source_consume (source, 1, error))
                    return (*failed = TRUE, STREAMED);
                  break;
                }
              if (index > 0 && !source_expect (source, ',', "“,” or “]”", failed, error))
                return STREAMED;
              source_peek (source, failed, error);
              element = *failed ? NULL : source_next_json (source, &offset, &length, &line, failed, error);
              if (element == NULL)
                return STREAMED;
              if (!json_is_object (element))
                {
                  problem (import, PDV_IMPORT_ERROR_SYNTAX, line, NULL, _("%s item %zu must be an object"),
                           json_string_value (key), (gsize) index + 1);
                  continue;
                }
              {
                Item item = { element, json_string_value (key), index, line,
                              source->text + offset, length };
                stream_item (stream, &item);
              }
            }
          continue;
        }

      {
        g_autoptr(json_t) value = NULL;
        const char *name = json_string_value (key);

        source_peek (source, failed, error);
        value = *failed ? NULL : source_next_json (source, &offset, &length, &line, failed, error);
        if (value == NULL)
          return STREAMED;
        if (g_str_equal (name, "format"))
          {
            if (g_strcmp0 (json_string_value (value), "pdv-tickets") == 0)
              format_kind = PDV_IMPORT_KIND_TICKETS;
            else if (g_strcmp0 (json_string_value (value), "pdv-revocations") == 0)
              format_kind = PDV_IMPORT_KIND_REVOCATIONS;
            else
              return NOT_STREAMED;
            if ((stream->kind != PDV_IMPORT_KIND_AUTO && stream->kind != format_kind))
              return NOT_STREAMED;
          }
        else if (g_str_equal (name, "version") && json_is_integer (value) && json_integer_value (value) == 1)
          has_version = TRUE;
        else
          return NOT_STREAMED;
      }
    }
  if (source_peek (source, failed, error) != 0)
    {
      if (!*failed)
        g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_SYNTAX,
                     _("%s:%u:%u: not valid JSON: end of file expected"), source->file, source->line,
                     source->column);
      *failed = TRUE;
      return STREAMED;
    }
  /* Whatever is missing, the whole-file path says it as it always has. */
  if (!streamed_list || !has_version || format_kind != stream->kind)
    return NOT_STREAMED;
  return STREAMED;
}

/* Imports a ticket or revocation list from @source a piece at a time;
 * anything else (*@not_streamed set) is for import_data(), as a whole. */
static gboolean
import_source (PdvJournal       *journal,
               Source           *source,
               PdvImportKind     kind,
               const char       *user,
               gboolean          own_transaction,
               gboolean          in_steps,
               gboolean          reseal,
               PdvImportResult  *result,
               gboolean         *not_streamed,
               GError          **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStringChunk) strings = g_string_chunk_new (64 * 1024);
  g_autoptr(PdvJournalEntry) entry = NULL;
  g_autofree char *sha256 = NULL;
  Import import = { 0 };
  Stream stream = { .import = &import, .journal = journal, .kind = kind, .seen_ids = seen_ids,
                    .own_transaction = own_transaction, .in_steps = in_steps && own_transaction };
  StreamOutcome outcome;
  gboolean failed = FALSE;
  json_t *payload;
  const char *entry_kind;
  char first;

  *not_streamed = FALSE;
  if (kind != PDV_IMPORT_KIND_AUTO && !is_streamed (kind))
    return (*not_streamed = TRUE, FALSE);

  import.file = source->file;
  import.db = pdv_journal_get_db (journal);
  import.problems = problems;
  import.strings = strings;
  /* A whole list from a file: every row is sealed again at the end, which
   * also puts right rows removed or re-added behind the journal's back. */
  import.tickets_reseal = reseal;

  if (!source_start (source, &first, error))
    return FALSE;
  if (first == 0)
    return (*not_streamed = TRUE, FALSE);
  import.is_csv = first != '{';

  outcome = import.is_csv ? stream_csv (&stream, source, &failed, error)
                          : stream_json (&stream, source, &failed, error);
  if (stream.step_error != NULL && !failed)
    {
      /* A step could not commit or begin: the database said why. */
      g_propagate_error (error, g_steal_pointer (&stream.step_error));
      failed = TRUE;
      outcome = STREAMED;
    }
  stream_end (&stream);
  if (outcome == NOT_STREAMED || failed)
    {
      if (stream.begun)
        undo_import (import.db, own_transaction);
      if (outcome == NOT_STREAMED)
        *not_streamed = TRUE;
      return FALSE;
    }

  if (import.n_problems == 0 && stream.result.n_tickets + stream.result.n_revocations == 0)
    problem (&import, PDV_IMPORT_ERROR_MISSING_FIELD, 1, NULL, _("the file holds nothing to import"));
  if (import.n_problems > 0)
    {
      if (stream.begun)
        undo_import (import.db, own_transaction);
      return fail_with_problems (&import, error);
    }

  /* Read to the end, so that the hash covers all of it. */
  while (!source->eof)
    {
      source->start = source->end;
      if (!source_fill (source, error))
        {
          undo_import (import.db, own_transaction);
          return FALSE;
        }
    }
  sha256 = g_strdup (g_checksum_get_string (source->sha256));
  /* In steps, the journal entry comes in a last one that reaches the disk,
   * and takes every step before it along. */
  if (stream.in_steps &&
      (!pdv_db_commit (import.db, error) || !pdv_db_exec (import.db, "PRAGMA synchronous = FULL", error) ||
       !pdv_db_begin (import.db, error)))
    {
      if (pdv_db_in_transaction (import.db))
        pdv_db_rollback (import.db);
      return FALSE;
    }
  if (stream.kind == PDV_IMPORT_KIND_TICKETS)
    {
      entry_kind = PDV_ENTRY_TICKETS_IMPORT;
      payload = json_pack ("{s:s, s:s, s:i}", "file", source->file, "sha256", sha256,
                           "tickets", stream.result.n_tickets);
    }
  else
    {
      entry_kind = PDV_ENTRY_REVOCATIONS_IMPORT;
      payload = json_pack ("{s:s, s:s, s:i}", "file", source->file, "sha256", sha256,
                           "revocations", stream.result.n_revocations);
    }
  if (seal_import (&import, stream.kind, payload, error))
    entry = pdv_journal_append_in_transaction (journal, entry_kind, user, payload, error);
  json_decref (payload);
  if (entry == NULL ||
      !(own_transaction ? pdv_db_commit (import.db, error) : pdv_db_exec (import.db, "RELEASE pdv_import", error)))
    {
      undo_import (import.db, own_transaction);
      return FALSE;
    }
  stream.result.kind = stream.kind;
  stream.result.seq = entry->seq;
  if (result)
    *result = stream.result;
  return TRUE;
}

/* ---- Lists in parts, for the sync server ---- */

/**
 * pdv_import_split_list:
 * @path: a ticket or revocation list, CSV or JSON
 * @part_items: at most this many tickets (or revocations) a part
 * @func: called with each part, a pdv-tickets (or pdv-revocations) JSON
 *   document, in order; returning %FALSE stops the split
 * @out_not_list: (out): set when @path holds something else (nothing was
 *   handed on, no error)
 *
 * Reads a list of any size a piece at a time and hands it on in parts, each
 * a document of its own that a terminal imports as it imports the whole:
 * for the sync server, whose requests and pull pages have a size limit. The
 * items are passed on as they are; the terminal that imports a part checks
 * them.
 */
gboolean
pdv_import_split_list (const char         *path,
                       guint               part_items,
                       PdvImportPartFunc   func,
                       gpointer            user_data,
                       gboolean           *out_not_list,
                       GError            **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  Import import = { 0 };
  Stream stream = { .import = &import, .kind = PDV_IMPORT_KIND_AUTO, .part_func = func, .part_data = user_data,
                    .part_items = part_items };
  StreamOutcome outcome;
  gboolean failed = FALSE, ok = FALSE;
  Source source;
  char first;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (part_items > 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  *out_not_list = FALSE;
  name = g_path_get_basename (path);
  file = g_file_new_for_path (path);
  input = g_file_read (file, NULL, &local_error);
  if (input == NULL)
    {
      g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_READ, _("Could not read %s: %s"), path,
                   local_error->message);
      return FALSE;
    }
  source_init_stream (&source, name, G_INPUT_STREAM (input));
  stream.part = json_array ();
  import.file = name;
  import.problems = problems;

  /* The same reading as an import's: a layout it would read whole is no
   * list to split. */
  if (!source_start (&source, &first, error))
    goto out;
  import.is_csv = first != '{';
  outcome = first == 0 ? NOT_STREAMED
                       : import.is_csv ? stream_csv (&stream, &source, &failed, error)
                                       : stream_json (&stream, &source, &failed, error);
  if (failed)
    goto out;
  if (outcome == NOT_STREAMED)
    {
      *out_not_list = TRUE;
      goto out;
    }
  if (stream.step_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&stream.step_error));
      goto out;
    }
  if (import.n_problems > 0)
    {
      fail_with_problems (&import, error);
      goto out;
    }
  ok = stream_emit_part (&stream, error);

out:
  g_clear_error (&stream.step_error);
  json_decref (stream.part);
  source_clear (&source);
  return ok;
}

/* Streamed when it is a ticket or revocation list, whole otherwise. */
static gboolean
import_data_either (PdvJournal       *journal,
                    const char       *file_name,
                    const char       *data,
                    gsize             length,
                    PdvImportKind     kind,
                    const char       *user,
                    gboolean          own_transaction,
                    gboolean          in_steps,
                    PdvImportResult  *result,
                    GError          **error)
{
  Source source;
  gboolean ok, not_streamed;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (file_name != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  source_init_data (&source, file_name, data, length);
  ok = import_source (journal, &source, kind, user, own_transaction, in_steps, FALSE, result, &not_streamed,
                      error);
  source_clear (&source);
  if (in_steps)
    pdv_db_exec (pdv_journal_get_db (journal), "PRAGMA synchronous = FULL", NULL);
  if (!not_streamed)
    return ok;
  return import_data (journal, file_name, data, length, kind, user, own_transaction, result, error);
}

/**
 * pdv_import_data:
 * @file_name: how the data is named in messages
 * @kind: what the data holds, or %PDV_IMPORT_KIND_AUTO to tell from its content
 * @user: (nullable): who imports
 *
 * Imports an event, catalog, ticket list, user list or revocation list, all or
 * nothing, in one transaction that also journals the import. Every rejected
 * value is reported with file, line and field.
 */
gboolean
pdv_import_data (PdvJournal       *journal,
                 const char       *file_name,
                 const char       *data,
                 gsize             length,
                 PdvImportKind     kind,
                 const char       *user,
                 PdvImportResult  *result,
                 GError          **error)
{
  return import_data_either (journal, file_name, data, length, kind, user, TRUE, FALSE, result, error);
}

/**
 * pdv_import_data_in_steps:
 *
 * pdv_import_data() for a list that arrives while the terminal works (from
 * the sync server): a ticket or revocation list is written in transactions
 * of a few milliseconds, with the write lock left free between them, so that
 * a scan or a sale never waits behind the whole list. Not all or nothing: a
 * list that fails part way keeps the steps already written, which applying
 * the same list again completes (a list only adds and updates).
 */
gboolean
pdv_import_data_in_steps (PdvJournal       *journal,
                          const char       *file_name,
                          const char       *data,
                          gsize             length,
                          PdvImportKind     kind,
                          const char       *user,
                          PdvImportResult  *result,
                          GError          **error)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (!pdv_db_in_transaction (pdv_journal_get_db (journal)), FALSE);

  return import_data_either (journal, file_name, data, length, kind, user, TRUE, TRUE, result, error);
}

/**
 * pdv_import_data_in_transaction:
 *
 * pdv_import_data() inside the caller's transaction, so that the import
 * commits together with whatever else the caller writes (a sync page and its
 * cursor). A rejected import leaves the caller's transaction as it was.
 */
gboolean
pdv_import_data_in_transaction (PdvJournal       *journal,
                                const char       *file_name,
                                const char       *data,
                                gsize             length,
                                PdvImportKind     kind,
                                const char       *user,
                                PdvImportResult  *result,
                                GError          **error)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (pdv_db_in_transaction (pdv_journal_get_db (journal)), FALSE);

  return import_data_either (journal, file_name, data, length, kind, user, FALSE, FALSE, result, error);
}

/**
 * pdv_import_file:
 *
 * pdv_import_data() on the contents of @path, which a ticket or revocation
 * list reads a piece at a time, whatever its size.
 */
gboolean
pdv_import_file (PdvJournal       *journal,
                 const char       *path,
                 PdvImportKind     kind,
                 const char       *user,
                 PdvImportResult  *result,
                 GError          **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  Source source;
  gsize length = 0;
  gboolean ok, not_streamed;
  GStatBuf info;

  g_return_val_if_fail (path != NULL, FALSE);

  name = g_path_get_basename (path);
  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_READ,
                   _("Could not read %s: %s"), path, local_error->message);
      return FALSE;
    }
  source_init_stream (&source, name, G_INPUT_STREAM (stream));
  ok = import_source (journal, &source, kind, user, TRUE, FALSE, TRUE, result, &not_streamed, error);
  source_clear (&source);
  if (!not_streamed)
    return ok;

  /* Not a list: read whole, which only a file of sensible size may be. */
  if (g_stat (path, &info) == 0 && info.st_size > PDV_IMPORT_MAX_BYTES)
    return too_large (name, error);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_READ,
                   _("Could not read %s: %s"), path, local_error->message);
      return FALSE;
    }
  return import_data (journal, name, contents, length, kind, user, TRUE, result, error);
}

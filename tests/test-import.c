/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-db-private.h"
#include "pdv-test-util.h"

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
  f->context = pdv_test_open_terminal (f->dir, data != NULL);
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

/* Everything an import could touch, as one string, to prove a rejected import
 * changed nothing. */
static char *
snapshot (Fixture *f)
{
  static const char * const queries[] = {
    "SELECT id, name, colour, position FROM categories ORDER BY id",
    "SELECT id, name, price, category_id, barcode, track_stock, stock_policy, colour, position, active "
    "FROM products ORDER BY id",
    "SELECT id, secret, order_code, holder_name, type, zone, valid_from, valid_until, entry_policy, status, "
    "attention FROM tickets ORDER BY id",
    "SELECT word, ticket_id FROM ticket_words ORDER BY word, ticket_id",
    "SELECT id, name, role, pin_hash, active FROM users ORDER BY id",
    "SELECT product_id, qty FROM stock ORDER BY product_id",
    "SELECT key, value FROM meta ORDER BY key",
    "SELECT seq, hash FROM journal ORDER BY seq",
  };
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *digest;

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt;

      g_assert_cmpint (sqlite3_prepare_v2 (pdv_db_get_handle (f->db), queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            const char *v = (const char *) sqlite3_column_text (stmt, c);
            g_checksum_update (checksum, (const guchar *) (v ? v : "\x01NULL"), -1);
            g_checksum_update (checksum, (const guchar *) "\x1f", 1);
          }
      sqlite3_finalize (stmt);
    }
  digest = g_strdup (g_checksum_get_string (checksum));
  g_checksum_free (checksum);
  return digest;
}

static gboolean
import_text (Fixture          *f,
             const char       *name,
             const char       *text,
             PdvImportResult  *result,
             GError          **error)
{
  return pdv_import_data (f->journal, name, text, strlen (text), PDV_IMPORT_KIND_AUTO, NULL, result, error);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  sqlite3_stmt *stmt = pdv_db_prepare (f->db, sql, NULL);
  gint64 value;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static void
test_demo_event (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) active = pdv_catalog_list_products (pdv_context_get_catalog (f->context), NULL, FALSE, NULL);
  g_autoptr(GPtrArray) all = pdv_catalog_list_products (pdv_context_get_catalog (f->context), NULL, TRUE, NULL);
  g_autoptr(GPtrArray) categories = pdv_catalog_list_categories (pdv_context_get_catalog (f->context), NULL);
  g_autoptr(PdvProduct) by_barcode = NULL;
  g_autofree char *event_name = pdv_context_dup_event_name (f->context);
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;

  g_assert_cmpuint (categories->len, >=, 5);
  g_assert_cmpuint (all->len, >=, 38);
  g_assert_cmpuint (active->len, ==, all->len - 1);
  g_assert_cmpuint (pdv_context_count_tickets (f->context), ==, 2000);
  g_assert_cmpint (count (f, "SELECT COUNT (*) FROM users"), ==, 8);
  g_assert_cmpint (count (f, "SELECT COUNT (DISTINCT role) FROM users"), ==, 4);
  g_assert_cmpint (count (f, "SELECT COUNT (DISTINCT type) FROM tickets"), >=, 4);
  g_assert_nonnull (event_name);

  /* Tracked products got their starting stock from the journal. */
  g_assert_cmpint (count (f, "SELECT COUNT (*) FROM stock"), ==,
                   count (f, "SELECT COUNT (*) FROM products WHERE track_stock"));

  stmt = pdv_db_prepare (f->db, "SELECT barcode FROM products WHERE barcode IS NOT NULL LIMIT 1", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    g_autofree char *barcode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    by_barcode = pdv_catalog_lookup (pdv_context_get_catalog (f->context), barcode, NULL);
    g_assert_nonnull (by_barcode);
    g_assert_cmpstr (by_barcode->barcode, ==, barcode);
  }

  /* PINs are stored hashed and still check. */
  stmt = pdv_db_prepare (f->db, "SELECT pin_hash FROM users WHERE id = 'ana'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_true (pdv_pin_verify (hash, "1111"));
  g_assert_false (pdv_pin_verify (hash, "1112"));

  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
}

static const char categories_csv[] =
  "\xEF\xBB\xBFid;name;colour;position\r\n"
  "bebidas;Bebidas;#99c1f1;1\r\n"
  "comidas;\"Comidas; lanches\";#f9f06b;2\r\n";

static const char products_csv[] =
  "id;name;price;category;barcode;track_stock;stock;stock_policy\n"
  "AGUA;Água 500 ml;6,00;bebidas;7891000100103;sim;100;block\n"
  "SUCO;\"Suco \"\"natural\"\"\";R$ 12,50;bebidas;;não;;\n"
  "\n"
  "PASTEL;Pastel de queijo;1.234,56;comidas;;true;20;warn\n";

static void
test_csv_catalog (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvProduct) suco = NULL;
  g_autoptr(PdvProduct) agua = NULL;
  g_autoptr(PdvProduct) pastel = NULL;
  PdvImportResult result;

  g_assert_true (import_text (f, "categories.csv", categories_csv, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.kind, ==, PDV_IMPORT_KIND_CATEGORIES);
  g_assert_cmpuint (result.n_categories, ==, 2);

  g_assert_true (import_text (f, "products.csv", products_csv, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.kind, ==, PDV_IMPORT_KIND_PRODUCTS);
  g_assert_cmpuint (result.n_products, ==, 3);

  suco = pdv_catalog_lookup (pdv_context_get_catalog (f->context), "SUCO", NULL);
  g_assert_cmpstr (suco->name, ==, "Suco \"natural\"");
  g_assert_cmpint (suco->price, ==, 1250);
  g_assert_false (suco->track_stock);
  agua = pdv_catalog_lookup (pdv_context_get_catalog (f->context), "7891000100103", NULL);
  g_assert_cmpstr (agua->id, ==, "AGUA");
  g_assert_true (agua->track_stock);
  g_assert_cmpint (agua->stock, ==, 100);
  g_assert_cmpint (agua->stock_policy, ==, PDV_STOCK_POLICY_BLOCK);
  g_assert_cmpstr (agua->colour, ==, "#99c1f1"); /* the category's */
  pastel = pdv_catalog_lookup (pdv_context_get_catalog (f->context), "PASTEL", NULL);
  g_assert_cmpint (pastel->price, ==, 123456);
}

static void
test_reimport_updates_without_resetting_stock (Fixture       *f,
                                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvProduct) agua = NULL;
  g_autoptr(PdvJournalEntry) entry = NULL;
  json_t *payload;
  g_autofree char *cheaper = NULL;

  g_assert_true (import_text (f, "categories.csv", categories_csv, NULL, &error));
  g_assert_true (import_text (f, "products.csv", products_csv, NULL, &error));
  g_assert_no_error (error);

  payload = pdv_test_payload ("{\"items\": [{\"product\": \"AGUA\", \"delta\": -30}]}");
  entry = pdv_journal_append (f->journal, "stock.adjust", NULL, payload, &error);
  json_decref (payload);
  g_assert_no_error (error);

  /* The price changes mid-event; the water sold so far stays sold. */
  cheaper = g_strdup ("id;name;price;category;track_stock;stock\n"
                      "AGUA;Água 500 ml;5,00;bebidas;sim;100\n");
  g_assert_true (import_text (f, "products.csv", cheaper, NULL, &error));
  g_assert_no_error (error);
  agua = pdv_catalog_lookup (pdv_context_get_catalog (f->context), "AGUA", NULL);
  g_assert_cmpint (agua->price, ==, 500);
  g_assert_cmpint (agua->stock, ==, 70);
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, &error));
  g_assert_no_error (error);
}

typedef struct {
  const char *name;
  const char *file;
  const char *text;
  int         code;
  const char *where;   /* must appear in the message: file, line and field */
} BadCase;

static const BadCase bad_cases[] = {
  { "not-utf8", "products.csv",
    "id,name,price,category\nAGUA,\xC1gua,6,bebidas\n",
    PDV_IMPORT_ERROR_ENCODING, "products.csv:2:" },
  { "nul-byte", "tickets.csv",
    "id,secret,order_code,holder_name,type,zone\nT1,abc\0defgh,NV-1,Ana,Pista,general\n",
    PDV_IMPORT_ERROR_ENCODING, "tickets.csv:2:" },
  { "missing-column", "products.csv",
    "id,name,category\nAGUA,Água,bebidas\n",
    PDV_IMPORT_ERROR_MISSING_FIELD, "products.csv:1: field “price”" },
  { "unknown-column", "products.csv",
    "id,name,prcie,price,category\nAGUA,Água,6,6,bebidas\n",
    PDV_IMPORT_ERROR_UNKNOWN_FIELD, "products.csv:1: field “prcie”" },
  { "duplicate-id", "products.csv",
    "id,name,price,category\nAGUA,Água,6,bebidas\nSUCO,Suco,8,bebidas\nAGUA,Água com gás,7,bebidas\n",
    PDV_IMPORT_ERROR_DUPLICATE, "products.csv:4: field “id”: “AGUA” appears twice (first on line 2)" },
  { "negative-price-csv", "products.csv",
    "id,name,price,category\nAGUA,Água,\"-3,00\",bebidas\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:2: field “price”" },
  { "negative-price-json", "catalog.json",
    "{\n"
    "  \"format\": \"pdv-catalog\",\n"
    "  \"version\": 1,\n"
    "  \"categories\": [ {\"id\": \"bebidas\", \"name\": \"Bebidas\"} ],\n"
    "  \"products\": [\n"
    "    {\"id\": \"AGUA\", \"name\": \"Água\", \"price\": 600, \"category\": \"bebidas\"},\n"
    "    {\"id\": \"SUCO\",\n"
    "     \"name\": \"Suco\",\n"
    "     \"price\": -300,\n"
    "     \"category\": \"bebidas\"}\n"
    "  ]\n"
    "}\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "catalog.json:9: field “price”: the price is negative (-3.00)" },
  { "unknown-category", "products.csv",
    "id,name,price,category\nAGUA,Água,6,bebidas\nPASTEL,Pastel,9,salgados\n",
    PDV_IMPORT_ERROR_UNKNOWN_REFERENCE, "products.csv:3: field “category”: unknown category “salgados”" },
  { "bad-barcode", "products.csv",
    "id,name,price,category,barcode\nAGUA,Água,6,bebidas,7891000100104\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:2: field “barcode”" },
  { "three-decimals", "products.csv",
    "id,name,price,category\nAGUA,Água,\"6,000\",bebidas\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:2: field “price”: “6,000” is ambiguous" },
  { "price-beyond-any", "products.csv",
    "id,name,price,category\nAGUA,Água,\"2.000.000,00\",bebidas\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:2: field “price”: 2000000.00 is more than any product" },
  { "bad-money", "products.csv",
    "id,name,price,category\nAGUA,Água,seis reais,bebidas\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:2: field “price”" },
  { "field-count", "products.csv",
    "id,name,price,category\nAGUA,Água,6\n",
    PDV_IMPORT_ERROR_SYNTAX, "products.csv:2:" },
  { "unclosed-quote", "products.csv",
    "id,name,price,category\nAGUA,\"Água,6,bebidas\n",
    PDV_IMPORT_ERROR_SYNTAX, "products.csv:2: a quoted field is never closed" },
  { "json-syntax", "catalog.json",
    "{\n  \"format\": \"pdv-catalog\",\n  \"version\": 1,\n  \"products\": [ {\"id\": \"A\",} ]\n}\n",
    PDV_IMPORT_ERROR_SYNTAX, "catalog.json:4:" },
  { "json-duplicate-key", "catalog.json",
    "{\"format\": \"pdv-catalog\", \"version\": 1, \"version\": 2}",
    PDV_IMPORT_ERROR_SYNTAX, "catalog.json:1:" },
  { "newer-format", "users.json",
    "{\"format\": \"pdv-users\", \"version\": 2, \"users\": []}",
    PDV_IMPORT_ERROR_UNKNOWN_FORMAT, "users.json:1: field “version”" },
  { "unknown-format", "stuff.json",
    "{\"format\": \"spreadsheet\", \"version\": 1}",
    PDV_IMPORT_ERROR_UNKNOWN_FORMAT, "stuff.json:1: field “format”" },
  { "empty", "tickets.csv", "  \n",
    PDV_IMPORT_ERROR_SYNTAX, "tickets.csv is empty" },
  { "unknown-csv", "list.csv", "a,b\n1,2\n",
    PDV_IMPORT_ERROR_UNKNOWN_FORMAT, "list.csv:1:" },
  { "ticket-window", "tickets.csv",
    "id,secret,order_code,holder_name,type,zone,valid_from,valid_until\n"
    "T1,s3cr3t-abcdef,NV-1,Ana Souza,Pista,general,2026-12-13T05:00:00-03:00,2026-12-12T17:00:00-03:00\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "tickets.csv:2: field “valid_until”" },
  { "ticket-time-without-offset", "tickets.csv",
    "id,secret,order_code,holder_name,type,zone,valid_from\n"
    "T1,s3cr3t-abcdef,NV-1,Ana Souza,Pista,general,2026-12-12 17:00\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "tickets.csv:2: field “valid_from”" },
  { "ticket-duplicate-secret", "tickets.csv",
    "id,secret,order_code,holder_name,type,zone\n"
    "T1,s3cr3t-abcdef,NV-1,Ana Souza,Pista,general\n"
    "T2,s3cr3t-abcdef,NV-1,Bruno Souza,Pista,general\n",
    PDV_IMPORT_ERROR_DUPLICATE, "tickets.csv:3: field “secret”" },
  { "ticket-bad-policy", "tickets.json",
    "{\"format\": \"pdv-tickets\", \"version\": 1, \"tickets\": [\n"
    "  {\"id\": \"T1\", \"secret\": \"s3cr3t-abcdef\", \"order_code\": \"NV-1\", \"holder_name\": \"Ana\",\n"
    "   \"type\": \"Pista\", \"zone\": \"general\", \"entry_policy\": \"twice\"}\n"
    "]}\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "tickets.json:3: field “entry_policy”: “twice” is not one of" },
  { "user-bad-pin", "users.csv",
    "id,name,role,pin\nana,Ana,cashier,12a4\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "users.csv:2: field “pin”" },
  { "user-bad-role", "users.csv",
    "id,name,role,pin\nana,Ana,owner,1234\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "users.csv:2: field “role”" },
  { "user-missing-pin", "users.json",
    "{\"format\": \"pdv-users\", \"version\": 1, \"users\": [{\"id\": \"ana\", \"name\": \"Ana\", \"role\": \"door\"}]}",
    PDV_IMPORT_ERROR_MISSING_FIELD, "users.json:1: field “pin”" },
  { "event-capacity", "event.json",
    "{\"format\": \"pdv-event\", \"version\": 1,\n \"event\": {\"id\": \"e\", \"name\": \"E\",\n"
    "  \"capacity\": 0, \"starts_at\": \"2026-12-12T18:00:00-03:00\", \"ends_at\": \"2026-12-13T04:00:00-03:00\"}}",
    PDV_IMPORT_ERROR_INVALID_VALUE, "event.json:3: field “capacity”" },
  { "control-characters", "products.csv",
    "id,name,price,category\nAGUA,\"Água\x1b[31m\",6,bebidas\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:2: field “name”" },
  { "combo-unknown-component", "products.csv",
    "id,name,price,category,components\nAGUA,Água,6,bebidas,\nKIT,Kit,20,bebidas,AGUAx2;NADAx2\n",
    PDV_IMPORT_ERROR_UNKNOWN_REFERENCE, "products.csv:3: field “components”: unknown product “NADA”" },
  { "combo-of-itself", "products.csv",
    "id,name,price,category,components\nKIT,Kit,20,bebidas,KITx2\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:2: field “components”: a product cannot be a component" },
  { "combo-of-combo", "products.csv",
    "id,name,price,category,components\nAGUA,Água,6,bebidas,\nKIT,Kit,20,bebidas,AGUAx2\n"
    "BIG,Big,50,bebidas,KITx2\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:4: field “components”: KIT is a combo itself" },
  { "combo-bad-quantity", "products.csv",
    "id,name,price,category,components\nAGUA,Água,6,bebidas,\nKIT,Kit,20,bebidas,AGUAx0\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:3: field “components”: AGUA: a combo holds from 1 to 1000" },
  { "bad-last-row", "products.csv",
    "id,name,price,category\nAGUA,Água,6,bebidas\nSUCO,Suco,8,bebidas\nCHA,Chá,abc,bebidas\n",
    PDV_IMPORT_ERROR_INVALID_VALUE, "products.csv:4: field “price”" },
};

static void
fixture_set_up_small_catalog (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_set_up (f, NULL);
  g_assert_true (import_text (f, "categories.csv", categories_csv, NULL, &error));
  g_assert_true (import_text (f, "products.csv", products_csv, NULL, &error));
  g_assert_no_error (error);
}

static void
test_rejects_bad_file (Fixture       *f,
                       gconstpointer  data)
{
  const BadCase *bad = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize length = strlen (bad->text);

  /* One case carries a NUL byte on purpose. */
  if (g_str_equal (bad->name, "nul-byte"))
    length = sizeof "id,secret,order_code,holder_name,type,zone\nT1,abc\0defgh,NV-1,Ana,Pista,general\n" - 1;

  before = snapshot (f);
  g_assert_false (pdv_import_data (f->journal, bad->file, bad->text, length, PDV_IMPORT_KIND_AUTO,
                                   NULL, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, PDV_IMPORT_ERROR, bad->code);
  if (strstr (error->message, bad->where) == NULL)
    g_error ("expected “%s” in: %s", bad->where, error->message);

  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (pdv_db_in_transaction (f->db));
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
}

static void
test_reports_many_problems (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("id,name,price,category\n");
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 30; i++)
    g_string_append_printf (csv, "P%d,Produto %d,-%d,bebidas\n", i, i, i + 1);
  g_assert_false (import_text (f, "products.csv", csv->str, NULL, &error));
  g_assert_nonnull (strstr (error->message, "products.csv:2:"));
  g_assert_nonnull (strstr (error->message, "products.csv:21:"));
  g_assert_null (strstr (error->message, "products.csv:22:"));
  g_assert_nonnull (strstr (error->message, "10 more problems"));
  g_assert_nonnull (strstr (error->message, "Nothing from products.csv was imported"));
}

static void
test_import_file_errors (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "nope.csv", NULL);

  g_assert_false (pdv_import_file (f->journal, missing, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error));
  g_assert_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_READ);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* Asked for tickets, given a catalog. */
  {
    g_autofree char *path = g_build_filename (pdv_test_demo_dir (), "catalog.json", NULL);
    g_assert_false (pdv_import_file (f->journal, path, PDV_IMPORT_KIND_TICKETS, NULL, NULL, &error));
    g_assert_error (error, PDV_IMPORT_ERROR, PDV_IMPORT_ERROR_UNKNOWN_FORMAT);
  }
}

/* A ticket list several read buffers long, in the layouts people export:
 * CSV with a BOM, CRLF and quoted commas; JSON pretty-printed with its
 * format last. Streamed, it must import whole, journal the file's hash,
 * and point at the right line when something deep in it is wrong. */
#define STREAMED_TICKETS 30000

static char *
write_ticket_list (const char *dir,
                   const char *name,
                   gboolean    json,
                   int         bad_row,
                   const char *bad_status,
                   int         copy_row,
                   int         copy_from,
                   gboolean    copy_secret)
{
  g_autoptr(GString) text = g_string_new (json ? "{\n  \"version\": 1,\n  \"tickets\": [\n"
                                               : "\xEF\xBB\xBFid,secret,order_code,holder_name,type,zone,status,attention\r\n");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (int i = 0; i < STREAMED_TICKETS; i++)
    {
      int n = i == copy_row ? copy_from : i;
      g_autofree char *id = g_strdup_printf ("T%06d", i == copy_row && !copy_secret ? copy_from : i);
      g_autofree char *secret = g_strdup_printf ("s3cr3t-%08d", n);
      const char *status = i == bad_row ? bad_status : "valid";
      const char *attention = i % 1000 == 7 ? "check ID: under 18" : "";

      if (json)
        g_string_append_printf (text, "%s    {\n      \"id\": \"%s\",\n      \"secret\": \"%s\",\n"
                                "      \"order_code\": \"NV-%d\",\n      \"holder_name\": \"Silva, Ana %d\",\n"
                                "      \"type\": \"Pista\",\n      \"zone\": \"general\",\n"
                                "      \"status\": \"%s\"%s%s%s\n    }",
                                i > 0 ? ",\n" : "", id, secret, i / 3, i, status,
                                *attention ? ",\n      \"attention\": \"" : "", attention, *attention ? "\"" : "");
      else
        g_string_append_printf (text, "%s,%s,NV-%d,\"Silva, Ana %d\",Pista,general,%s,%s\r\n",
                                id, secret, i / 3, i, status, attention);
    }
  if (json)
    g_string_append (text, "\n  ],\n  \"format\": \"pdv-tickets\"\n}\n");
  g_assert_cmpuint (text->len, >, 2 * 1024 * 1024);
  g_assert_true (g_file_set_contents (path, text->str, text->len, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_streamed_list (Fixture       *f,
                    gconstpointer  data)
{
  gboolean json = GPOINTER_TO_INT (data);
  const char *name = json ? "tickets.json" : "tickets.csv";
  /* The line of row @i's "status" in the file, and of the row itself. */
  /* (A JSON element takes 9 lines, 10 with an attention flag.) */
#define ROW_LINE(i) (json ? 4 + (i) * 9 + ((i) + 992) / 1000 : 2 + (i))
#define STATUS_LINE(i) (json ? ROW_LINE (i) + 7 : ROW_LINE (i))
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_dir = g_build_filename (f->dir, "bad", NULL);
  g_autofree char *good = write_ticket_list (f->dir, name, json, -1, NULL, -1, -1, FALSE);
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  PdvJournalEntry *last;
  PdvImportResult result;
  gsize length;

  g_assert_true (pdv_import_file (f->journal, good, PDV_IMPORT_KIND_AUTO, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.kind, ==, PDV_IMPORT_KIND_TICKETS);
  g_assert_cmpuint (result.n_tickets, ==, STREAMED_TICKETS);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM tickets"), ==, STREAMED_TICKETS);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM tickets WHERE holder_name = 'Silva, Ana 29999' "
                             "AND secret = 's3cr3t-00029999'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM tickets WHERE attention = 'check ID: under 18'"), ==,
                   STREAMED_TICKETS / 1000);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ticket_words WHERE ticket_id = 'T029999'"), ==, 3);

  /* The journal holds the hash of the whole file. */
  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  entries = pdv_journal_list (f->journal, result.seq - 1, 1, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (last->kind, ==, "tickets.import");
  g_assert_cmpstr (json_string_value (json_object_get (last->payload, "sha256")), ==, sha256);
  g_assert_cmpint (json_integer_value (json_object_get (last->payload, "tickets")), ==, STREAMED_TICKETS);

  /* The same list again changes nothing but the journal. */
  before = snapshot (f);
  g_assert_true (pdv_import_file (f->journal, good, PDV_IMPORT_KIND_AUTO, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_tickets, ==, STREAMED_TICKETS);

  /* Something wrong near the end: named by line, nothing imported. */
  {
    struct {
      int         bad_row;
      const char *bad_status;
      int         copy_row, copy_from;
      gboolean    copy_secret;
      int         code;
      char       *where;
    } cases[] = {
      { STREAMED_TICKETS - 500, "used", -1, -1, FALSE, PDV_IMPORT_ERROR_INVALID_VALUE,
        g_strdup_printf ("%s:%d: field “status”", name, STATUS_LINE (STREAMED_TICKETS - 500)) },
      { -1, NULL, STREAMED_TICKETS - 100, 30, FALSE, PDV_IMPORT_ERROR_DUPLICATE,
        g_strdup_printf ("“T000030” appears twice (first on line %d)", ROW_LINE (30)) },
      { -1, NULL, STREAMED_TICKETS - 100, 30, TRUE, PDV_IMPORT_ERROR_DUPLICATE,
        g_strdup_printf ("“s3cr3t-00000030” appears twice (first on line %d)", ROW_LINE (30)) },
    };

    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        g_autofree char *bad = NULL;
        g_autofree char *after = NULL;
        g_autofree char *was = NULL;

        /* Each over a terminal that holds the list already, and one that
         * holds another version of it. */
        g_assert_true (pdv_import_file (f->journal, good, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error));
        g_assert_no_error (error);
        was = snapshot (f);
        bad = write_ticket_list (bad_dir, name, json, cases[c].bad_row, cases[c].bad_status, cases[c].copy_row,
                                 cases[c].copy_from, cases[c].copy_secret);
        g_assert_false (pdv_import_file (f->journal, bad, PDV_IMPORT_KIND_AUTO, NULL, NULL, &error));
        g_test_message ("%s", error->message);
        g_assert_error (error, PDV_IMPORT_ERROR, cases[c].code);
        if (strstr (error->message, cases[c].where) == NULL)
          g_error ("expected “%s” in: %s", cases[c].where, error->message);
        g_assert_nonnull (strstr (error->message, "Nothing from"));
        g_clear_error (&error);
        after = snapshot (f);
        g_assert_cmpstr (was, ==, after);
        g_assert_false (pdv_db_in_transaction (f->db));
        g_free (cases[c].where);
      }
  }
  g_assert_true (pdv_journal_verify (f->journal, NULL, NULL, NULL));
#undef STATUS_LINE
#undef ROW_LINE
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/import/demo-event", Fixture, "demo", fixture_set_up, test_demo_event, fixture_tear_down);
  g_test_add ("/import/csv-catalog", Fixture, NULL, fixture_set_up, test_csv_catalog, fixture_tear_down);
  g_test_add ("/import/reimport-keeps-stock", Fixture, NULL, fixture_set_up,
              test_reimport_updates_without_resetting_stock, fixture_tear_down);
  g_test_add ("/import/reports-many-problems", Fixture, NULL, fixture_set_up_small_catalog,
              test_reports_many_problems, fixture_tear_down);
  g_test_add ("/import/file-errors", Fixture, NULL, fixture_set_up, test_import_file_errors, fixture_tear_down);
  g_test_add ("/import/streamed-list/csv", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_streamed_list,
              fixture_tear_down);
  g_test_add ("/import/streamed-list/json", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_streamed_list,
              fixture_tear_down);

  /* Each bad file against a terminal that already holds a small catalog,
   * which must come out untouched. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import/rejects/%s", bad_cases[i].name);
      g_test_add (path, Fixture, &bad_cases[i], fixture_set_up_small_catalog, test_rejects_bad_file,
                  fixture_tear_down);
    }

  return g_test_run ();
}

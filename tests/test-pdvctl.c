/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdv-db-private.h"
#include "pdv-test-util.h"

typedef struct {
  char *dir;
  char *db;
} Fixture;


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->db = g_build_filename (f->dir, "terminal.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* Runs pdvctl --db DB ARGS… under @locale (NULL: C.UTF-8). */
static void
pdvctl (Fixture    *f,
        PdvTestRun *run,
        const char *locale,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, locale);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  pdv_test_pdvctl (f->db, locale, run, (const char * const *) args->pdata);
}

/* What a cashier does first: open the drawer's shift with its float. */
static void
open_shift (Fixture *f)
{
  g_auto(PdvTestRun) opened = { 0 };

  pdvctl (f, &opened, NULL, "shift", "open", "--amount", "100", "--pin", "1111", NULL);
  g_assert_cmpint (opened.status, ==, 0);
}

static json_t *
parse_json (const char *text)
{
  json_error_t json_error;
  json_t *value = json_loads (text, 0, &json_error);

  if (value == NULL)
    g_error ("pdvctl printed invalid JSON (%s): %s", json_error.text, text);
  return value;
}

static void
test_init_demo_and_list (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) again = { 0 };
  g_auto(PdvTestRun) products = { 0 };
  g_auto(PdvTestRun) products_json = { 0 };
  json_t *body, *list;

  pdvctl (f, &init, NULL, "init", "--demo", "--name", "Bar 1", NULL);
  g_assert_cmpint (init.status, ==, 0);
  g_assert_nonnull (strstr (init.out, "Terminal “Bar 1”"));
  g_assert_nonnull (strstr (init.out, "2000 tickets imported"));
  g_assert_nonnull (strstr (init.out, "8 users imported"));

  pdvctl (f, &again, NULL, "init", NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "already belongs to terminal"));

  pdvctl (f, &products, NULL, "products", NULL);
  g_assert_cmpint (products.status, ==, 0);
  g_assert_nonnull (strstr (products.out, "CERV-LATA-350"));

  pdvctl (f, &products_json, NULL, "products", "--json", NULL);
  g_assert_cmpint (products_json.status, ==, 0);
  body = parse_json (products_json.out);
  list = json_object_get (body, "products");
  g_assert_true (json_is_array (list));
  g_assert_cmpuint (json_array_size (list), >=, 38);
  g_assert_true (json_is_integer (json_object_get (json_array_get (list, 0), "price")));
  json_decref (body);
}

static void
test_journal_listing (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) all = { 0 };
  g_auto(PdvTestRun) since = { 0 };
  g_auto(PdvTestRun) bad = { 0 };
  json_t *body, *list;

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  g_assert_cmpint (init.status, ==, 0);

  pdvctl (f, &all, NULL, "journal", NULL);
  g_assert_cmpint (all.status, ==, 0);
  g_assert_nonnull (strstr (all.out, "terminal.init"));
  g_assert_nonnull (strstr (all.out, "tickets.import"));

  pdvctl (f, &since, NULL, "journal", "--since", "3", "--json", NULL);
  g_assert_cmpint (since.status, ==, 0);
  body = parse_json (since.out);
  list = json_object_get (body, "entries");
  g_assert_cmpuint (json_array_size (list), ==, 2);
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (list, 0), "seq")), ==, 4);
  g_assert_cmpuint (strlen (json_string_value (json_object_get (json_array_get (list, 0), "hash"))), ==, 64);
  json_decref (body);

  pdvctl (f, &bad, NULL, "journal", "--since", "-1", NULL);
  g_assert_cmpint (bad.status, ==, 2);
}

static void
test_verify_and_rebuild (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) ok = { 0 };
  g_auto(PdvTestRun) diverged = { 0 };
  g_auto(PdvTestRun) rebuilt = { 0 };
  g_auto(PdvTestRun) ok_again = { 0 };
  g_auto(PdvTestRun) broken = { 0 };
  g_auto(PdvTestRun) refuse_rebuild = { 0 };
  g_autoptr(GError) error = NULL;
  json_t *body;

  /* A path that is not there (a typo) is no terminal to call intact, and
   * is left not there. */
  pdvctl (f, &init, NULL, "verify", NULL);
  g_assert_cmpint (init.status, ==, 1);
  g_assert_nonnull (strstr (init.err, "There is no terminal database at"));
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  pdv_test_run_clear (&init);

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  pdvctl (f, &ok, NULL, "verify", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "Journal intact: 5 entries"));

  {
    g_autoptr(PdvDb) db = pdv_db_open (f->db, &error);
    g_assert_no_error (error);
    pdv_db_exec (db, "UPDATE stock SET qty = qty + 1 WHERE product_id = 'CERV-LATA-350'", &error);
    g_assert_no_error (error);
  }
  pdvctl (f, &diverged, NULL, "verify", "--json", NULL);
  g_assert_cmpint (diverged.status, ==, 1);
  body = parse_json (diverged.out);
  g_assert_false (json_is_true (json_object_get (body, "ok")));
  g_assert_nonnull (strstr (json_string_value (json_object_get (body, "error")), "stock"));
  json_decref (body);

  pdvctl (f, &rebuilt, NULL, "rebuild", NULL);
  g_assert_cmpint (rebuilt.status, ==, 0);
  pdvctl (f, &ok_again, NULL, "verify", NULL);
  g_assert_cmpint (ok_again.status, ==, 0);

  {
    g_autoptr(PdvDb) db = pdv_db_open (f->db, &error);
    pdv_db_exec (db, "DROP TRIGGER journal_no_update;"
                     "UPDATE journal SET payload = replace (payload, '2000', '2001') WHERE seq = 4", &error);
    g_assert_no_error (error);
  }
  pdvctl (f, &broken, NULL, "verify", "--json", NULL);
  g_assert_cmpint (broken.status, ==, 1);
  body = parse_json (broken.out);
  g_assert_cmpint (json_integer_value (json_object_get (body, "bad_seq")), ==, 4);
  json_decref (body);

  /* A damaged chain is never used to rebuild anything. */
  pdvctl (f, &refuse_rebuild, NULL, "rebuild", NULL);
  g_assert_cmpint (refuse_rebuild.status, ==, 1);
  g_assert_nonnull (strstr (refuse_rebuild.err, "entry 4"));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_auto(PdvTestRun) uninitialised = { 0 };
  g_auto(PdvTestRun) unknown = { 0 };
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) bad_file = { 0 };
  g_auto(PdvTestRun) missing_arg = { 0 };
  g_auto(PdvTestRun) bad_kind = { 0 };
  g_autofree char *csv = g_build_filename (f->dir, "products.csv", NULL);

  g_file_set_contents (csv, "id,name,price,category\nX,Produto,-1,nada\n", -1, NULL);

  pdvctl (f, &uninitialised, NULL, "import", csv, NULL);
  g_assert_cmpint (uninitialised.status, ==, 1);
  g_assert_nonnull (strstr (uninitialised.err, "init"));

  pdvctl (f, &unknown, NULL, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "frobnicate"));

  pdvctl (f, &init, NULL, "init", NULL);
  g_assert_cmpint (init.status, ==, 0);
  pdvctl (f, &bad_file, NULL, "import", csv, NULL);
  g_assert_cmpint (bad_file.status, ==, 1);
  g_assert_nonnull (strstr (bad_file.err, "products.csv:2: field “price”"));
  g_assert_nonnull (strstr (bad_file.err, "products.csv:2: field “category”"));

  pdvctl (f, &missing_arg, NULL, "import", NULL);
  g_assert_cmpint (missing_arg.status, ==, 2);

  pdvctl (f, &bad_kind, NULL, "import", "--kind", "wine", csv, NULL);
  g_assert_cmpint (bad_kind.status, ==, 2);
  g_assert_nonnull (strstr (bad_kind.err, "wine"));
}

static void
test_sell_and_void (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) sale = { 0 };
  g_auto(PdvTestRun) human = { 0 };
  g_auto(PdvTestRun) short_paid = { 0 };
  g_auto(PdvTestRun) wrong_pin = { 0 };
  g_auto(PdvTestRun) voided = { 0 };
  g_auto(PdvTestRun) twice = { 0 };
  g_auto(PdvTestRun) no_shift = { 0 };
  g_autofree char *sale_id = NULL;
  json_t *body;

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  /* No shift, no sale: it would land in the next one opened. */
  pdvctl (f, &no_shift, NULL, "sell", "SA-AGUA-500", "--pay", "cash:10", NULL);
  g_assert_cmpint (no_shift.status, ==, 1);
  g_assert_nonnull (strstr (no_shift.err, "No shift is open"));
  open_shift (f);
  /* Who opened it by name, when in the event's time (ISO 8601 in the C
   * locale). */
  {
    g_auto(PdvTestRun) status = { 0 };
    g_autoptr(GRegex) when = g_regex_new ("since 20[0-9][0-9]-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9],", 0, 0,
                                          NULL);

    pdvctl (f, &status, NULL, "shift", "status", NULL);
    g_assert_cmpint (status.status, ==, 0);
    g_assert_nonnull (strstr (status.out, "opened by Ana Souza"));
    g_assert_true (g_regex_match (when, status.out, 0, NULL));
  }
  /* 3 × R$ 12,00 = R$ 36,00: R$ 10,00 on card, R$ 50,00 handed over in cash. */
  pdvctl (f, &sale, NULL, "--json", "sell", "CERV-LATA-350x3", "--pay", "card:10,00:AUTH9", "--pay", "cash:50", NULL);
  g_assert_cmpint (sale.status, ==, 0);
  body = parse_json (sale.out);
  g_assert_cmpint (json_integer_value (json_object_get (body, "total")), ==, 3600);
  g_assert_cmpint (json_integer_value (json_object_get (body, "change")), ==, 2400);
  sale_id = g_strdup (json_string_value (json_object_get (body, "sale_id")));
  json_decref (body);

  pdvctl (f, &human, "pt_BR.UTF-8", "sell", "SA-AGUA-500", "--pay", "cash:10", NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "R$\u00a04,00"));

  /* Spanish formats money as "6,00 R$": what it shows, it reads. */
  {
    g_auto(PdvTestRun) spanish = { 0 };
    g_auto(PdvTestRun) huge = { 0 };
    g_auto(PdvTestRun) ambiguous = { 0 };

    pdvctl (f, &spanish, "es_ES.UTF-8", "sell", "SA-AGUA-500", "--pay", "card:6,00 R$", NULL);
    g_assert_cmpint (spanish.status, ==, 0);
    /* R$ 9.999.999,00 handed over for a R$ 6,00 water: a typo, refused. */
    pdvctl (f, &huge, NULL, "sell", "SA-AGUA-500", "--pay", "cash:9999999", NULL);
    g_assert_cmpint (huge.status, ==, 1);
    g_assert_nonnull (strstr (huge.err, "of change: check the amount"));
    /* Six reais, or six thousand? Neither is guessed. */
    pdvctl (f, &ambiguous, NULL, "sell", "SA-AGUA-500", "--pay", "cash:6,000", NULL);
    g_assert_cmpint (ambiguous.status, ==, 1);
    g_assert_nonnull (strstr (ambiguous.err, "ambiguous"));
  }

  pdvctl (f, &short_paid, NULL, "sell", "CERV-LATA-350x3", "--pay", "card:10", NULL);
  g_assert_cmpint (short_paid.status, ==, 1);
  g_assert_nonnull (strstr (short_paid.err, "still to be paid"));

  pdvctl (f, &wrong_pin, NULL, "void", sale_id, "--pin", "1111", NULL);
  g_assert_cmpint (wrong_pin.status, ==, 1);
  pdvctl (f, &voided, NULL, "void", sale_id, "--pin", "9090", "--reason", "wrong order", NULL);
  g_assert_cmpint (voided.status, ==, 0);
  pdvctl (f, &twice, NULL, "void", sale_id, "--pin", "9090", NULL);
  g_assert_cmpint (twice.status, ==, 1);
  g_assert_nonnull (strstr (twice.err, "already voided"));
}

static void
require_locale (const char *name)
{
  locale_t loc = newlocale (LC_ALL_MASK, name, (locale_t) 0);

  if (loc == (locale_t) 0)
    g_error ("locale %s is not installed (Debian package locales-all)", name);
  freelocale (loc);
}

static void
test_follows_locale (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) br = { 0 };
  g_auto(PdvTestRun) us = { 0 };
  g_auto(PdvTestRun) br_error = { 0 };
  g_auto(PdvTestRun) es = { 0 };
  g_auto(PdvTestRun) es_error = { 0 };

  require_locale ("pt_BR.UTF-8");
  require_locale ("en_US.UTF-8");
  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  open_shift (f);

  pdvctl (f, &br, "pt_BR.UTF-8", "products", NULL);
  g_assert_cmpint (br.status, ==, 0);
  g_assert_nonnull (strstr (br.out, "R$\u00a012,00"));
  /* Translated headings prove the catalog of messages is found and used. */
  g_assert_nonnull (strstr (br.out, "Preço"));

  pdvctl (f, &us, "en_US.UTF-8", "products", NULL);
  g_assert_cmpint (us.status, ==, 0);
  g_assert_nonnull (strstr (us.out, "R$12.00"));
  g_assert_nonnull (strstr (us.out, "Price"));

  /* Spanish (Spain) writes the symbol after the amount. */
  require_locale ("es_ES.UTF-8");
  pdvctl (f, &es, "es_ES.UTF-8", "products", NULL);
  g_assert_cmpint (es.status, ==, 0);
  g_assert_nonnull (strstr (es.out, "12,00\u00a0R$"));
  g_assert_nonnull (strstr (es.out, "Precio"));
  pdvctl (f, &es_error, "es_ES.UTF-8", "frobnicate", NULL);
  g_assert_nonnull (strstr (es_error.err, "comando desconocido"));

  pdvctl (f, &br_error, "pt_BR.UTF-8", "frobnicate", NULL);
  g_assert_nonnull (strstr (br_error.err, "comando desconhecido"));

  /* Dates and times as each locale writes them: when the shift opened, which
   * the C locale tells in ISO 8601. */
  {
    g_auto(PdvTestRun) iso = { 0 };
    g_auto(PdvTestRun) br_shift = { 0 };
    g_auto(PdvTestRun) us_shift = { 0 };
    g_auto(PdvTestRun) es_shift = { 0 };
    g_autoptr(GRegex) regex = g_regex_new (" (20[0-9]{2})-([01][0-9])-([0-3][0-9]) ([0-2][0-9]):([0-5][0-9]),",
                                           0, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    g_auto(GStrv) parts = NULL;
    g_autofree char *day_first = NULL;
    g_autofree char *month_first = NULL;
    int hour;

    pdvctl (f, &iso, NULL, "shift", "status", NULL);
    g_assert_true (g_regex_match (regex, iso.out, 0, &match));
    parts = g_match_info_fetch_all (match);
    hour = atoi (parts[4]);
    day_first = g_strdup_printf ("%s/%s/%s %s:%s", parts[3], parts[2], parts[1], parts[4], parts[5]);
    month_first = g_strdup_printf ("%s/%s/%s %02d:%s %s", parts[2], parts[3], parts[1],
                                   hour % 12 == 0 ? 12 : hour % 12, parts[5], hour < 12 ? "AM" : "PM");

    pdvctl (f, &br_shift, "pt_BR.UTF-8", "shift", "status", NULL);
    g_assert_nonnull (strstr (br_shift.out, day_first));
    pdvctl (f, &es_shift, "es_ES.UTF-8", "shift", "status", NULL);
    g_assert_nonnull (strstr (es_shift.out, day_first));
    pdvctl (f, &us_shift, "en_US.UTF-8", "shift", "status", NULL);
    g_assert_nonnull (strstr (us_shift.out, month_first));
  }
}

/* Counts the journal's entries of @kind, and returns the last one's. */
static json_t *
find_last_entry (Fixture    *f,
                 const char *kind,
                 guint      *out_count)
{
  g_auto(PdvTestRun) run = { 0 };
  g_autoptr(json_t) body = NULL;
  json_t *list;
  json_t *last = NULL;
  guint count = 0;

  pdvctl (f, &run, NULL, "--json", "journal", NULL);
  g_assert_cmpint (run.status, ==, 0);
  body = parse_json (run.out);
  list = json_object_get (body, "entries");
  for (gsize i = 0; i < json_array_size (list); i++)
    {
      json_t *entry = json_array_get (list, i);

      if (g_strcmp0 (json_string_value (json_object_get (entry, "kind")), kind) == 0)
        {
          count++;
          json_decref (last);
          last = json_incref (entry);
        }
    }
  *out_count = count;
  return last;
}

/* --discount needs a manager's --pin unless --user is a manager; the sale
 * records both, and whatever --pay leaves open covers the net total. */
static void
test_sell_with_discount (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) alone = { 0 };
  g_auto(PdvTestRun) cashier_pin = { 0 };
  g_auto(PdvTestRun) too_large = { 0 };
  g_auto(PdvTestRun) bad = { 0 };
  g_auto(PdvTestRun) reason_only = { 0 };
  g_auto(PdvTestRun) authorised = { 0 };
  g_auto(PdvTestRun) manager = { 0 };
  g_auto(PdvTestRun) human = { 0 };
  g_auto(PdvTestRun) help = { 0 };
  json_t *body;
  json_t *entry;
  json_t *payload;
  guint count;

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  g_assert_cmpint (init.status, ==, 0);
  open_shift (f);

  pdvctl (f, &help, NULL, "sell", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--discount=PCT%|AMOUNT"));
  g_assert_nonnull (strstr (help.out, "--discount-reason=TEXT"));

  /* A cashier alone, or with their own PIN: refused, nothing sold. */
  pdvctl (f, &alone, NULL, "sell", "CERV-LATA-350x2", "--pay", "cash", "--discount", "10%", "--user", "ana", NULL);
  g_assert_cmpint (alone.status, ==, 1);
  g_assert_nonnull (strstr (alone.err, "Ask a manager"));
  pdvctl (f, &cashier_pin, NULL, "sell", "CERV-LATA-350x2", "--pay", "cash", "--discount", "10%",
          "--user", "ana", "--pin", "1111", NULL);
  g_assert_cmpint (cashier_pin.status, ==, 1);
  g_assert_nonnull (strstr (cashier_pin.err, "may not give discounts"));
  pdvctl (f, &too_large, NULL, "sell", "CERV-LATA-350x2", "--pay", "cash", "--discount", "24,00",
          "--pin", "9090", NULL);
  g_assert_cmpint (too_large.status, ==, 1);
  g_assert_nonnull (strstr (too_large.err, "less than the subtotal"));
  pdvctl (f, &bad, NULL, "sell", "CERV-LATA-350x2", "--pay", "cash", "--discount", "ten%", "--pin", "9090", NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "not a percentage"));
  pdvctl (f, &reason_only, NULL, "sell", "CERV-LATA-350x2", "--pay", "cash", "--discount-reason", "x", NULL);
  g_assert_cmpint (reason_only.status, ==, 2);
  entry = find_last_entry (f, "sale", &count);
  g_assert_cmpuint (count, ==, 0);

  /* 10 % off R$ 24,00 with the manager's PIN: R$ 21,60, change from R$ 30. */
  pdvctl (f, &authorised, NULL, "--json", "sell", "CERV-LATA-350x2", "--pay", "cash:30", "--discount", "10%",
          "--discount-reason", "Aniversário", "--user", "ana", "--pin", "9090", NULL);
  g_assert_cmpint (authorised.status, ==, 0);
  body = parse_json (authorised.out);
  g_assert_cmpint (json_integer_value (json_object_get (body, "subtotal")), ==, 2400);
  g_assert_cmpint (json_integer_value (json_object_get (body, "discount")), ==, 240);
  g_assert_cmpint (json_integer_value (json_object_get (body, "total")), ==, 2160);
  g_assert_cmpint (json_integer_value (json_object_get (body, "change")), ==, 840);
  json_decref (body);
  entry = find_last_entry (f, "sale", &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (entry, "user")), ==, "ana");
  payload = json_object_get (entry, "payload");
  g_assert_cmpint (json_integer_value (json_object_get (payload, "total")), ==, 2160);
  g_assert_cmpint (json_integer_value (json_object_get (payload, "discount")), ==, 240);
  g_assert_cmpstr (json_string_value (json_object_get (payload, "discount_reason")), ==, "Aniversário");
  g_assert_cmpstr (json_string_value (json_object_get (payload, "discount_authorised_by")), ==, "fernanda");
  /* The PIN was the discount's: no courtesy. */
  g_assert_null (json_object_get (payload, "authorised_by"));
  json_decref (entry);
  entry = find_last_entry (f, "auth.override", &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (entry, "payload"), "action")), ==, "discount");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (entry, "payload"), "operator")), ==, "ana");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (entry, "payload"), "authoriser")), ==,
                   "fernanda");
  json_decref (entry);

  /* A manager selling gives it on their own authority. */
  pdvctl (f, &manager, NULL, "sell", "CERV-LATA-350x2", "--pay", "card", "--discount", "5,00", "--user", "gustavo",
          NULL);
  g_assert_cmpint (manager.status, ==, 0);
  g_assert_nonnull (strstr (manager.out, "Discount: R$5.00 off R$24.00"));
  g_assert_nonnull (strstr (manager.out, "total R$19.00"));
  entry = find_last_entry (f, "auth.override", &count);
  g_assert_cmpuint (count, ==, 1);
  json_decref (entry);

  require_locale ("pt_BR.UTF-8");
  pdvctl (f, &human, "pt_BR.UTF-8", "sell", "SA-AGUA-500x2", "--pay", "cash", "--discount", "12,5%",
          "--user", "fernanda", NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "R$\u00a01,50"));
}

static void
test_drawer_open (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) alone = { 0 };
  g_auto(PdvTestRun) override = { 0 };
  g_auto(PdvTestRun) manager = { 0 };
  g_auto(PdvTestRun) nobody = { 0 };
  g_auto(PdvTestRun) no_shift = { 0 };
  g_auto(PdvTestRun) verify = { 0 };
  json_t *body;
  json_t *entry;
  guint count;

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  g_assert_cmpint (init.status, ==, 0);
  /* Selling needs a shift, and so does opening the drawer. */
  pdvctl (f, &no_shift, NULL, "drawer", "open", "--manager-pin", "9090", NULL);
  g_assert_cmpint (no_shift.status, ==, 1);
  g_assert_nonnull (strstr (no_shift.err, "No shift is open"));
  entry = find_last_entry (f, "drawer.open", &count);
  g_assert_cmpuint (count, ==, 0);
  open_shift (f);

  /* A cashier may not open the drawer alone. */
  pdvctl (f, &alone, NULL, "drawer", "open", "--user", "ana", "--pin", "1111", NULL);
  g_assert_cmpint (alone.status, ==, 1);
  g_assert_nonnull (strstr (alone.err, "ask a manager"));
  entry = find_last_entry (f, "drawer.open", &count);
  g_assert_cmpuint (count, ==, 0);

  /* With a manager's PIN: both are recorded, with the reason. */
  pdvctl (f, &override, NULL, "--json", "drawer", "open", "--user", "ana", "--pin", "1111",
          "--manager-pin", "9090", "--reason", "troco", NULL);
  g_assert_cmpint (override.status, ==, 0);
  body = parse_json (override.out);
  g_assert_true (json_is_true (json_object_get (body, "ok")));
  g_assert_cmpstr (json_string_value (json_object_get (body, "authorised_by")), ==, "fernanda");
  g_assert_false (json_is_true (json_object_get (body, "printed")));
  json_decref (body);
  entry = find_last_entry (f, "drawer.open", &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (entry, "user")), ==, "ana");
  body = json_object_get (entry, "payload");
  g_assert_cmpstr (json_string_value (json_object_get (body, "reason")), ==, "troco");
  g_assert_cmpstr (json_string_value (json_object_get (body, "authorised_by")), ==, "fernanda");
  json_decref (entry);
  entry = find_last_entry (f, "auth.override", &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (entry, "payload"), "action")), ==,
                   "drawer_open");
  json_decref (entry);

  /* A manager alone opens it as themselves. */
  pdvctl (f, &manager, NULL, "drawer", "open", "--manager-pin", "8080", NULL);
  g_assert_cmpint (manager.status, ==, 0);
  g_assert_nonnull (strstr (manager.out, "recorded"));
  entry = find_last_entry (f, "drawer.open", &count);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (entry, "user")), ==, "gustavo");
  json_decref (entry);

  pdvctl (f, &nobody, NULL, "drawer", "open", NULL);
  g_assert_cmpint (nobody.status, ==, 2);

  pdvctl (f, &verify, NULL, "verify", NULL);
  g_assert_cmpint (verify.status, ==, 0);
}

/* A sale left being paid (a till that died after a card payment): listed,
 * and given up only with a reason and, for a card, a manager's PIN. */
static void
test_open_sales (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) none = { 0 };
  g_auto(PdvTestRun) listed = { 0 };
  g_auto(PdvTestRun) no_reason = { 0 };
  g_auto(PdvTestRun) no_pin = { 0 };
  g_auto(PdvTestRun) given_up = { 0 };
  g_auto(PdvTestRun) after = { 0 };
  g_autoptr(json_t) list = NULL;
  g_autoptr(json_t) empty = NULL;
  g_autofree char *open_id = NULL;
  json_t *sale;

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  g_assert_cmpint (init.status, ==, 0);
  open_shift (f);
  pdvctl (f, &none, NULL, "open-sales", NULL);
  g_assert_cmpint (none.status, ==, 0);
  g_assert_nonnull (strstr (none.out, "No sale is being paid"));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdvContext) context = pdv_context_open (f->db, &error);
    g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();

    g_assert_no_error (error);
    pdv_sale_draft_add_line (draft, "CERV-LATA-350", 2);
    g_assert_true (pdv_sale_take_payment (pdv_context_get_journal (context), pdv_context_get_catalog (context), draft,
                                          PDV_PAYMENT_CARD, PDV_CARD_DEBIT, 500, 0, "AUTH9", "ana", NULL, &error));
    g_assert_no_error (error);
    open_id = g_strdup (pdv_sale_draft_get_open_id (draft));
  }

  pdvctl (f, &listed, NULL, "--json", "open-sales", NULL);
  g_assert_cmpint (listed.status, ==, 0);
  list = parse_json (listed.out);
  g_assert_cmpuint (json_array_size (json_object_get (list, "open_sales")), ==, 1);
  sale = json_array_get (json_object_get (list, "open_sales"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (sale, "id")), ==, open_id);
  g_assert_cmpint (json_integer_value (json_object_get (sale, "paid")), ==, 500);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json_object_get (sale, "payments"), 0),
                                                       "method")), ==, "card");

  pdvctl (f, &no_reason, NULL, "open-sales", "give-up", open_id, "--pin", "9090", NULL);
  g_assert_cmpint (no_reason.status, ==, 1);
  pdvctl (f, &no_pin, NULL, "open-sales", "give-up", open_id, "--reason", "card reversed", NULL);
  g_assert_cmpint (no_pin.status, ==, 1);
  g_assert_nonnull (strstr (no_pin.err, "manager"));
  pdvctl (f, &given_up, NULL, "open-sales", "give-up", open_id, "--reason", "card reversed", "--pin", "9090", NULL);
  g_assert_cmpint (given_up.status, ==, 0);
  pdvctl (f, &after, NULL, "--json", "open-sales", NULL);
  empty = parse_json (after.out);
  g_assert_cmpuint (json_array_size (json_object_get (empty, "open_sales")), ==, 0);
}

/* Exit status 0 done, 1 refused or failed, 2 a command line that does not say
 * what to do, with the message on standard error; "help"; "-" for standard
 * input. */
static void
test_exit_codes (Fixture       *f,
                 gconstpointer  data)
{
  static const struct {
    const char *args[5];
    int         status;
    const char *err;   /* in standard error */
    const char *out;   /* in standard output */
  } cases[] = {
    { { "--bogus" }, 2, "unknown option “--bogus”", NULL },
    { { NULL }, 2, "say which command to run", NULL },
    { { "frobnicate" }, 2, "unknown command “frobnicate”", NULL },
    { { "verify", "--bogus" }, 2, "--bogus", NULL },
    { { "sell" }, 2, "sell needs at least one product", NULL },
    { { "sell", "SA-AGUA-500", "--pay", "cheque:5" }, 2, "pay with cash", NULL },
    { { "import", "--kind", "nope", "x.csv" }, 2, "unknown kind", NULL },
    { { "help" }, 0, NULL, "Exit status: 0 done" },
    { { "help", "sell" }, 0, NULL, "--pay" },
    { { "receipt", "no-such-sale" }, 1, "There is no sale", NULL },
    { { "checkin", "not-a-ticket" }, 1, NULL, NULL },
  };
  g_auto(PdvTestRun) init = { 0 };

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  g_assert_cmpint (init.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(PdvTestRun) run = { 0 };

      pdv_test_pdvctl (f->db, NULL, &run, cases[i].args);
      g_test_message ("pdvctl %s %s → %d: %s", cases[i].args[0] ? cases[i].args[0] : "",
                      cases[i].args[1] ? cases[i].args[1] : "", run.status, run.err);
      g_assert_cmpint (run.status, ==, cases[i].status);
      if (cases[i].err != NULL)
        g_assert_nonnull (strstr (run.err, cases[i].err));
      if (cases[i].out != NULL)
        g_assert_nonnull (strstr (run.out, cases[i].out));
      /* A mistake never prints the usage where output goes. */
      if (cases[i].status == 2)
        g_assert_null (strstr (run.out, "Usage:"));
    }

  /* Standard input, whatever it holds told from its content. */
  {
    g_auto(PdvTestRun) run = { 0 };
    g_autofree char *script = g_strdup_printf ("printf 'id,name\\nlanches,Lanches\\n' | "
                                               "exec \"$PDVCTL\" --db '%s' import -", f->db);
    const char *argv[] = { "/bin/sh", "-c", script, NULL };

    pdv_test_spawn (argv, NULL, &run);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "stdin: 1 category"));
  }
}

/* Every --json answer is one object with "ok", its lists under a name; the
 * report's has the sections its CSV has. */
/* pdvctl at the till and at the counter: a sale's fichas listed with their
 * tokens, served once, a refund taking one back, a photocopy refused. */
static void
test_fichas (Fixture       *f,
             gconstpointer  data)
{
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) sold = { 0 };
  g_auto(PdvTestRun) served = { 0 };
  g_auto(PdvTestRun) again = { 0 };
  g_auto(PdvTestRun) refunded = { 0 };
  g_auto(PdvTestRun) taken = { 0 };
  g_auto(PdvTestRun) listed = { 0 };
  g_auto(PdvTestRun) verified = { 0 };
  g_autoptr(json_t) sale = NULL;
  g_autoptr(json_t) body = NULL;
  g_autoptr(json_t) list = NULL;
  json_t *fichas;
  const char *sale_id;
  g_autofree char *token0 = NULL;
  g_autofree char *token1 = NULL;
  g_autofree char *token2 = NULL;

  pdvctl (f, &init, NULL, "init", "--demo", "--name", "Bar 1", NULL);
  open_shift (f);
  pdvctl (f, &sold, NULL, "--json", "sell", "CERV-LATA-350x2", "DOSE-VODKA", "SA-AGUA-500", "--pay", "cash:100",
          NULL);
  g_assert_cmpint (sold.status, ==, 0);
  sale = parse_json (sold.out);
  sale_id = json_string_value (json_object_get (sale, "sale_id"));
  fichas = json_object_get (sale, "fichas");
  g_assert_cmpuint (json_array_size (fichas), ==, 3);
  token0 = g_strdup (json_string_value (json_object_get (json_array_get (fichas, 0), "token")));
  token1 = g_strdup (json_string_value (json_object_get (json_array_get (fichas, 1), "token")));
  token2 = g_strdup (json_string_value (json_object_get (json_array_get (fichas, 2), "token")));
  g_assert_true (g_str_has_prefix (token0, "PDVF:"));

  pdvctl (f, &served, NULL, "--json", "ficha", "redeem", "--counter", "Balcão 1", token0, NULL);
  g_assert_cmpint (served.status, ==, 0);
  body = parse_json (served.out);
  g_assert_cmpstr (json_string_value (json_object_get (body, "verdict")), ==, "valid");
  g_assert_cmpstr (json_string_value (json_object_get (body, "message")), ==, "Serve: Cerveja Lata 350 ml");
  g_clear_pointer (&body, json_decref);

  /* The same slip again, at another counter: refused, and where it went. */
  pdvctl (f, &again, NULL, "ficha", "redeem", "--counter", "Balcão 2", token0, NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.out, "ALREADY REDEEMED"));
  g_assert_nonnull (strstr (again.out, "already served at Balcão 1"));

  /* The shot is refunded: its ficha goes back with the money. */
  pdvctl (f, &refunded, NULL, "refund", sale_id, "--amount", "18", "--pin", "9090", "--fichas",
          json_string_value (json_object_get (json_array_get (fichas, 2), "code")), NULL);
  g_assert_cmpint (refunded.status, ==, 0);
  pdvctl (f, &taken, NULL, "ficha", "redeem", token2, NULL);
  g_assert_cmpint (taken.status, ==, 1);
  g_assert_nonnull (strstr (taken.out, "VOIDED"));

  pdvctl (f, &listed, NULL, "--json", "ficha", "list", sale_id, NULL);
  g_assert_cmpint (listed.status, ==, 0);
  list = parse_json (listed.out);
  fichas = json_object_get (list, "fichas");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (fichas, 0), "state")), ==, "redeemed");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (fichas, 1), "state")), ==, "issued");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (fichas, 2), "state")), ==, "revoked");

  /* In Portuguese, from standard input as a scanner gives it. */
  {
    g_autofree char *input = g_strdup_printf ("%s\r\n", token1);
    const char *argv[] = { g_getenv ("PDVCTL"), "--db", f->db, "ficha", "redeem", "-", NULL };
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    g_subprocess_launcher_setenv (launcher, "LC_ALL", "pt_BR.UTF-8", TRUE);
    process = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (process));
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    g_assert_nonnull (strstr (out, "VÁLIDA"));
    g_assert_nonnull (strstr (out, "Sirva: Cerveja Lata 350 ml"));
  }
  pdvctl (f, &verified, NULL, "verify", NULL);
  g_assert_cmpint (verified.status, ==, 0);
}

static void
test_json_shapes (Fixture       *f,
                  gconstpointer  data)
{
  static const struct {
    const char *args[6];
    const char *list;   /* an array under this key */
  } cases[] = {
    { { "products" }, "products" },
    { { "journal", "--limit", "3" }, "entries" },
    { { "tickets", "search", "ana" }, "tickets" },
    { { "open-sales" }, "open_sales" },
    { { "verify" }, NULL },
    { { "occupancy" }, NULL },
    { { "gate" }, NULL },
    { { "shift", "status" }, NULL },
    { { "sync", "--status" }, "servers" },
    { { "dashboard", "--pin", "9090" }, NULL },
    { { "report", "x", "--pin", "9090" }, NULL },
    { { "receipt", "no-such-sale" }, NULL },
    { { "ficha", "list", "no-such-sale" }, "fichas" },
    { { "ficha", "redeem", "PDVF:NOT A FICHA" }, NULL },
  };
  g_auto(PdvTestRun) init = { 0 };

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  g_assert_cmpint (init.status, ==, 0);
  open_shift (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(PdvTestRun) run = { 0 };
      const char *args[8] = { "--json" };
      g_autoptr(json_t) body = NULL;

      memcpy (args + 1, cases[i].args, sizeof cases[i].args);
      pdv_test_pdvctl (f->db, NULL, &run, args);
      g_test_message ("pdvctl --json %s %s → %d", args[1], args[2] ? args[2] : "", run.status);
      body = parse_json (run.out);
      g_assert_true (json_is_object (body));
      g_assert_true (json_is_boolean (json_object_get (body, "ok")));
      g_assert_true (json_is_true (json_object_get (body, "ok")) == (run.status == 0));
      if (cases[i].list != NULL)
        g_assert_true (json_is_array (json_object_get (body, cases[i].list)));
      /* Texts as they are, not escaped: "Latão". */
      g_assert_null (strstr (run.out, "\\u00"));
    }

  /* The report's sections, as in its CSV, amounts in centavos. */
  {
    g_auto(PdvTestRun) sold = { 0 };
    g_auto(PdvTestRun) run = { 0 };
    g_autoptr(json_t) body = NULL;
    json_t *sections, *rows;

    pdvctl (f, &sold, NULL, "sell", "CERV-LATA-350x2", "--pay", "cash:30", NULL);
    g_assert_cmpint (sold.status, ==, 0);
    pdvctl (f, &run, NULL, "--json", "report", "x", "--pin", "9090", NULL);
    g_assert_cmpint (run.status, ==, 0);
    body = parse_json (run.out);
    sections = json_object_get (body, "sections");
    for (PdvReportSection section = 0; section < PDV_N_REPORT_SECTIONS; section++)
      {
        json_t *item = json_object_get (sections, pdv_report_section_key (section));

        g_assert_nonnull (item);
        g_assert_true (json_is_string (json_object_get (item, "title")));
        g_assert_true (json_is_array (json_object_get (item, "rows")));
      }
    g_assert_cmpstr (json_string_value (json_object_get (json_object_get (json_object_get (sections, "report"),
                                                                          "values"), "kind")), ==, "X");
    rows = json_object_get (json_object_get (sections, "products"), "rows");
    g_assert_cmpuint (json_array_size (rows), ==, 1);
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (rows, 0), "key")), ==, "CERV-LATA-350");
    g_assert_cmpint (json_integer_value (json_object_get (json_array_get (rows, 0), "count")), ==, 2);
    g_assert_cmpint (json_integer_value (json_object_get (json_array_get (rows, 0), "amount")), ==,
                     json_integer_value (json_object_get (body, "sales_total")));
  }
}

/* The report's CSV read by Python's csv module as a pt_BR spreadsheet, an
 * English one and a program would read it. */
static void
test_csv_dialects (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *locale;
    const char *format;
    const char *dialect;   /* check-csv.py's */
    const char *amount;
  } cases[] = {
    { "pt_BR.UTF-8", NULL, "spreadsheet-comma", "12.5" },
    { "es_ES.UTF-8", "spreadsheet", "spreadsheet-comma", "12.5" },
    { NULL, NULL, "spreadsheet-point", "12.5" },
    { "pt_BR.UTF-8", "rfc4180", "rfc4180", "12.5" },
  };
  g_autofree char *checker = g_build_filename (g_getenv ("PDV_TEST_DATA"), "..", "check-csv.py", NULL);
  g_autofree char *python = g_find_program_in_path ("python3");
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) drop = { 0 };
  g_auto(PdvTestRun) bad = { 0 };

  g_assert_nonnull (python);
  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  g_assert_cmpint (init.status, ==, 0);
  open_shift (f);
  pdvctl (f, &drop, NULL, "shift", "drop", "12.50", "--reason", "=HYPERLINK(\"http://x.example\";\"ok\")",
          "--pin", "9090", NULL);
  g_assert_cmpint (drop.status, ==, 0);
  pdvctl (f, &bad, NULL, "report", "x", "--pin", "9090", "--csv", "-", "--csv-format", "excel", NULL);
  g_assert_cmpint (bad.status, ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(PdvTestRun) run = { 0 };
      g_auto(PdvTestRun) check = { 0 };
      g_autofree char *path = g_build_filename (f->dir, "report.csv", NULL);
      const char *argv[] = { python, checker, cases[i].dialect, path, cases[i].amount, NULL };

      if (cases[i].format != NULL)
        pdvctl (f, &run, cases[i].locale, "report", "x", "--pin", "9090", "--csv", path, "--csv-format",
                cases[i].format, NULL);
      else
        pdvctl (f, &run, cases[i].locale, "report", "x", "--pin", "9090", "--csv", path, NULL);
      g_assert_cmpint (run.status, ==, 0);
      pdv_test_spawn (argv, NULL, &check);
      g_test_message ("%s %s: %s%s", cases[i].locale ? cases[i].locale : "C", cases[i].dialect, check.out,
                      check.err);
      g_assert_cmpint (check.status, ==, 0);
    }
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
}

/* An auditor's copy is read, verified and reported on, and never changed;
 * beside a terminal writing, a command waits its turn and says so. */
static void
test_read_only_and_locked (Fixture       *f,
                           gconstpointer  data)
{
  static const struct {
    const char *args[5];
    int         status;
    const char *out;
    const char *err;
  } cases[] = {
    { { "verify" }, 0, "Journal intact", NULL },
    { { "products" }, 0, "CERV-LATA-350", NULL },
    { { "journal", "--limit", "50" }, 0, "sale", NULL },
    { { "report", "x", "--pin", "9090" }, 0, "24", NULL },
    { { "shift", "status" }, 0, NULL, NULL },
    { { "sell", "SA-AGUA-500", "--pay", "cash:10" }, 1, NULL, "can only be read" },
    { { "checkin", "T000001" }, 1, NULL, "can only be read" },
  };
  g_autofree char *audit_dir = g_build_filename (f->dir, "audit", NULL);
  g_autofree char *copy = g_build_filename (audit_dir, "copy.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) sold = { 0 };
  g_auto(PdvTestRun) backup = { 0 };

  pdvctl (f, &init, NULL, "init", "--demo", NULL);
  g_assert_cmpint (init.status, ==, 0);
  open_shift (f);
  pdvctl (f, &sold, NULL, "sell", "CERV-LATA-350x2", "--pay", "cash:30", NULL);
  g_assert_cmpint (sold.status, ==, 0);
  g_assert_cmpint (g_mkdir (audit_dir, 0755), ==, 0);
  pdvctl (f, &backup, NULL, "backup", copy, NULL);
  g_assert_cmpint (backup.status, ==, 0);
  before = file_sha256 (copy);

  /* --read-only, which whoever may write the file asks for. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(PdvTestRun) run = { 0 };
      const char *args[7] = { "--read-only" };

      memcpy (args + 1, cases[i].args, sizeof cases[i].args);
      pdv_test_pdvctl (copy, NULL, &run, args);
      g_assert_cmpint (run.status, ==, cases[i].status);
      if (cases[i].out != NULL)
        g_assert_nonnull (strstr (run.out, cases[i].out));
      if (cases[i].err != NULL)
        g_assert_nonnull (strstr (run.err, cases[i].err));
    }
  after = file_sha256 (copy);
  g_assert_cmpstr (before, ==, after);
  {
    g_autofree char *wal = g_strconcat (copy, "-wal", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }

  /* A file and folder this user may not write: read the same way, without
   * being asked. (Root may write anything: it tries as nobody.) */
  g_assert_cmpint (g_chmod (copy, 0444), ==, 0);
  g_assert_cmpint (g_chmod (audit_dir, 0555), ==, 0);
  {
    g_autofree char *setpriv = g_find_program_in_path ("setpriv");
    const char *pdvctl_path = g_getenv ("PDVCTL");
    const char *as_nobody[] = { setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", pdvctl_path, "--db",
                                copy, "verify", NULL };
    const char *as_me[] = { pdvctl_path, "--db", copy, "verify", NULL };
    g_auto(PdvTestRun) run = { 0 };

    if (geteuid () != 0)
      pdv_test_spawn (as_me, NULL, &run);
    else if (setpriv != NULL && g_chmod (f->dir, 0755) == 0)
      pdv_test_spawn (as_nobody, NULL, &run);
    /* setpriv's status when the program cannot be run or found (a build
     * in a folder only its owner may enter). */
    if (run.out != NULL && (run.status == 126 || run.status == 127))
      g_test_message ("nobody may not run %s here: the permission case was not tried", pdvctl_path);
    else if (run.out != NULL)
      {
        g_assert_cmpint (run.status, ==, 0);
        g_assert_nonnull (strstr (run.out, "Journal intact"));
      }
  }
  g_assert_cmpint (g_chmod (audit_dir, 0755), ==, 0);

  /* A write lock held elsewhere: verify waits, says so, and finishes when
   * it is let go. */
  {
    const char *argv[] = { g_getenv ("PDVCTL"), "--db", f->db, "verify", NULL };
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) err = g_string_new (NULL);
    sqlite3 *holder = NULL;
    GInputStream *stream;
    char buffer[512];
    gssize got;

    g_assert_cmpint (sqlite3_open (f->db, &holder), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
    process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_assert_no_error (error);
    stream = g_subprocess_get_stderr_pipe (process);
    while (strstr (err->str, "waiting for") == NULL &&
           (got = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error)) > 0)
      g_string_append_len (err, buffer, got);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (err->str, "another program"));
    g_assert_cmpint (sqlite3_exec (holder, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (holder);
    g_assert_true (g_subprocess_wait (process, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  }
}

/* A newcomer's demo: made today, its doors open now, found by a build
 * that was not installed; made whole or not at all. */
static void
test_demo_today (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *saved = g_strdup (g_getenv ("PDV_DEMO_DIR"));
  g_autofree char *broken_dir = g_build_filename (f->dir, "broken-demo", NULL);
  g_autofree char *other_db = g_build_filename (f->dir, "other.db", NULL);
  g_auto(PdvTestRun) init = { 0 };
  g_auto(PdvTestRun) checkin = { 0 };
  g_auto(PdvTestRun) broken = { 0 };
  g_auto(PdvTestRun) bad_time = { 0 };
  g_autoptr(json_t) body = NULL;
  g_autoptr(GDateTime) began = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* No PDV_DEMO_DIR: the demo in the source tree of this build. */
  g_unsetenv ("PDV_DEMO_DIR");
  pdvctl (f, &init, NULL, "--json", "init", "--demo", NULL);
  g_setenv ("PDV_DEMO_DIR", saved, TRUE);
  g_assert_cmpint (init.status, ==, 0);
  body = parse_json (init.out);
  began = g_date_time_new_from_iso8601 (json_string_value (json_object_get (body, "demo_starts")), NULL);
  g_assert_nonnull (began);
  g_assert_cmpint (g_date_time_difference (now, began), >=, G_TIME_SPAN_HOUR - G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (now, began), <=, G_TIME_SPAN_HOUR + G_TIME_SPAN_MINUTE);

  /* Emerson Santos's ticket, at the door now, with no --at. */
  pdvctl (f, &checkin, NULL, "checkin", "huywXXFbkmSPxXCW3I1JUw", NULL);
  g_assert_cmpint (checkin.status, ==, 0);
  g_assert_true (g_str_has_prefix (checkin.out, "VALID"));

  /* A demo whose last file is damaged leaves no database behind. */
  g_assert_cmpint (g_mkdir (broken_dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (pdv_demo_files); i++)
    {
      g_autofree char *from = g_build_filename (saved, pdv_demo_files[i], NULL);
      g_autofree char *to = g_build_filename (broken_dir, pdv_demo_files[i], NULL);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
      g_assert_true (g_file_set_contents (to, g_str_equal (pdv_demo_files[i], "users.json") ? "{\"format\": " : text,
                                          -1, NULL));
    }
  pdv_test_pdvctl (other_db, NULL, &broken,
                   (const char * const[]) { "init", "--demo", "--demo-dir", broken_dir, NULL });
  g_assert_cmpint (broken.status, ==, 1);
  g_assert_nonnull (strstr (broken.err, "users.json"));
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, "other.db"));

  pdv_test_pdvctl (other_db, NULL, &bad_time,
                   (const char * const[]) { "init", "--demo", "--demo-starts", "tonight", NULL });
  g_assert_cmpint (bad_time.status, ==, 2);

  /* The same documents written out, for a sync server: moved, or as
   * published byte for byte. */
  {
    g_autofree char *moved_dir = g_build_filename (f->dir, "moved", NULL);
    g_autofree char *published_dir = g_build_filename (f->dir, "published", NULL);
    g_autofree char *moved_event = g_build_filename (moved_dir, "event.json", NULL);
    g_autoptr(json_t) event = NULL;
    g_autoptr(GDateTime) starts = NULL;
    g_auto(PdvTestRun) moved = { 0 };
    g_auto(PdvTestRun) published = { 0 };

    pdvctl (f, &moved, NULL, "demo-files", moved_dir, NULL);
    g_assert_cmpint (moved.status, ==, 0);
    event = json_load_file (moved_event, 0, NULL);
    starts = g_date_time_new_from_iso8601 (json_string_value (json_object_get (json_object_get (event, "event"),
                                                                               "starts_at")), NULL);
    g_assert_nonnull (starts);
    g_assert_cmpint (g_date_time_difference (now, starts), >=, G_TIME_SPAN_HOUR - G_TIME_SPAN_MINUTE);
    g_assert_cmpint (g_date_time_difference (now, starts), <=, G_TIME_SPAN_HOUR + G_TIME_SPAN_MINUTE);
    pdvctl (f, &published, NULL, "demo-files", "--demo-starts", "published", published_dir, NULL);
    g_assert_cmpint (published.status, ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (pdv_demo_files); i++)
      {
        g_autofree char *original = g_build_filename (saved, pdv_demo_files[i], NULL);
        g_autofree char *copy = g_build_filename (published_dir, pdv_demo_files[i], NULL);
        g_autofree char *a = file_sha256 (original);
        g_autofree char *b = file_sha256 (copy);

        g_assert_cmpstr (a, ==, b);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pdvctl/init-demo-and-list", test_init_demo_and_list);
  ADD ("/pdvctl/journal", test_journal_listing);
  ADD ("/pdvctl/verify-and-rebuild", test_verify_and_rebuild);
  ADD ("/pdvctl/errors", test_errors);
  ADD ("/pdvctl/sell-and-void", test_sell_and_void);
  ADD ("/pdvctl/follows-locale", test_follows_locale);
  ADD ("/pdvctl/drawer-open", test_drawer_open);
  ADD ("/pdvctl/sell-with-discount", test_sell_with_discount);
  ADD ("/pdvctl/open-sales", test_open_sales);
  ADD ("/pdvctl/exit-codes", test_exit_codes);
  ADD ("/pdvctl/json-shapes", test_json_shapes);
  ADD ("/pdvctl/fichas", test_fichas);
  ADD ("/pdvctl/csv-dialects", test_csv_dialects);
  ADD ("/pdvctl/read-only-and-locked", test_read_only_and_locked);
  ADD ("/pdvctl/demo-today", test_demo_today);
#undef ADD

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

typedef struct {
  char       *dir;
  PdvContext *context;
  PdvCatalog *catalog;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = pdv_test_make_tmpdir ();
  f->context = pdv_test_open_terminal (f->dir, TRUE);
  f->catalog = pdv_context_get_catalog (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  pdv_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
has (GPtrArray  *products,
     const char *id)
{
  for (guint i = 0; i < products->len; i++)
    if (g_str_equal (((PdvProduct *) g_ptr_array_index (products, i))->id, id))
      return TRUE;
  return FALSE;
}

static void
test_fold (void)
{
  g_autofree char *a = pdv_text_fold ("Água de Coco AÇAÍ");
  g_autofree char *b = pdv_text_fold (NULL);

  g_assert_cmpstr (a, ==, "agua de coco acai");
  g_assert_cmpstr (b, ==, "");
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) water = pdv_catalog_search (f->catalog, "agua", 0, &error);
  g_autoptr(GPtrArray) words = pdv_catalog_search (f->catalog, "COCO água", 0, &error);
  g_autoptr(GPtrArray) sku = pdv_catalog_search (f->catalog, "cerv-lata", 0, &error);
  g_autoptr(GPtrArray) none = pdv_catalog_search (f->catalog, "whisky escocês 25 anos", 0, &error);
  g_autoptr(GPtrArray) all = pdv_catalog_search (f->catalog, "", 0, &error);
  g_autoptr(GPtrArray) limited = pdv_catalog_search (f->catalog, "", 3, &error);
  g_autoptr(GPtrArray) active = pdv_catalog_list_products (f->catalog, NULL, FALSE, &error);

  g_assert_no_error (error);
  g_assert_true (has (water, "SA-AGUA-500"));
  g_assert_true (has (water, "SA-AGUA-COCO-330"));
  /* Names that start with the query come first. */
  g_assert_true (g_str_has_prefix (((PdvProduct *) g_ptr_array_index (water, 0))->name, "Água"));
  g_assert_cmpuint (words->len, ==, 1);
  g_assert_true (has (words, "SA-AGUA-COCO-330"));
  g_assert_true (has (sku, "CERV-LATA-350"));
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (all->len, ==, active->len);
  g_assert_cmpuint (limited->len, ==, 3);
  /* Inactive products are not offered. */
  {
    g_autoptr(GPtrArray) gone = pdv_catalog_search (f->catalog, "caipiroska morango", 0, &error);
    g_assert_cmpuint (gone->len, ==, 0);
  }
}

static void
test_search_by_barcode (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PdvProduct) beer = pdv_catalog_lookup (f->catalog, "CERV-LATA-350", NULL);
  g_autofree char *prefix = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_assert_nonnull (beer);
  g_assert_nonnull (beer->barcode);
  prefix = g_strndup (beer->barcode, 10);
  found = pdv_catalog_search (f->catalog, prefix, 0, NULL);
  g_assert_true (has (found, "CERV-LATA-350"));
}

static void
test_search_sees_imports (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = pdv_catalog_search (f->catalog, "quentão", 0, &error);
  g_autoptr(GPtrArray) after = NULL;
  const char csv[] = "id,name,price,category\nDRK-QUENTAO,Quentão,15,drinks\n";

  g_assert_cmpuint (before->len, ==, 0);
  g_assert_true (pdv_import_data (pdv_context_get_journal (f->context), "products.csv", csv, strlen (csv),
                                  PDV_IMPORT_KIND_AUTO, NULL, NULL, &error));
  g_assert_no_error (error);
  after = pdv_catalog_search (f->catalog, "quentao", 0, &error);
  g_assert_cmpuint (after->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog/fold", test_fold);
  g_test_add ("/catalog/search/names", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/catalog/search/barcode", Fixture, NULL, fixture_set_up, test_search_by_barcode, fixture_tear_down);
  g_test_add ("/catalog/search/sees-imports", Fixture, NULL, fixture_set_up, test_search_sees_imports,
              fixture_tear_down);

  return g_test_run ();
}

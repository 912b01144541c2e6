/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-catalog.h"

struct _PdvCatalog
{
  GObject  parent_instance;
  PdvDb   *db;
};

G_DEFINE_FINAL_TYPE (PdvCatalog, pdv_catalog, G_TYPE_OBJECT)

#define PRODUCT_COLUMNS \
  "p.id, p.name, p.price, p.category_id, p.barcode, COALESCE (p.colour, c.colour), " \
  "p.position, p.active, p.track_stock, p.stock_policy, COALESCE (s.qty, 0) "

#define PRODUCT_FROM \
  "FROM products p JOIN categories c ON c.id = p.category_id " \
  "LEFT JOIN stock s ON s.product_id = p.id "

void
pdv_category_free (PdvCategory *category)
{
  if (category == NULL)
    return;
  g_free (category->id);
  g_free (category->name);
  g_free (category->colour);
  g_free (category);
}

void
pdv_product_free (PdvProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->id);
  g_free (product->name);
  g_free (product->category_id);
  g_free (product->barcode);
  g_free (product->colour);
  g_free (product);
}

static PdvProduct *
product_from_row (sqlite3_stmt *stmt)
{
  PdvProduct *product = g_new0 (PdvProduct, 1);

  product->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  product->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  product->price = sqlite3_column_int64 (stmt, 2);
  product->category_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  product->barcode = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  product->colour = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  product->position = sqlite3_column_int (stmt, 6);
  product->active = sqlite3_column_int (stmt, 7) != 0;
  product->track_stock = sqlite3_column_int (stmt, 8) != 0;
  product->stock_policy = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 9), "block") == 0
                          ? PDV_STOCK_POLICY_BLOCK : PDV_STOCK_POLICY_WARN;
  product->stock = sqlite3_column_int64 (stmt, 10);
  return product;
}

static void
pdv_catalog_finalize (GObject *object)
{
  PdvCatalog *self = (PdvCatalog *) object;

  g_clear_object (&self->db);

  G_OBJECT_CLASS (pdv_catalog_parent_class)->finalize (object);
}

static void
pdv_catalog_class_init (PdvCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdv_catalog_finalize;
}

static void
pdv_catalog_init (PdvCatalog *self)
{
}

PdvCatalog *
pdv_catalog_new (PdvDb *db)
{
  PdvCatalog *self;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  self = g_object_new (PDV_TYPE_CATALOG, NULL);
  self->db = g_object_ref (db);
  return self;
}

/**
 * pdv_catalog_list_categories:
 *
 * Returns: (transfer container) (element-type PdvCategory): categories in grid order
 */
GPtrArray *
pdv_catalog_list_categories (PdvCatalog  *self,
                             GError     **error)
{
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_category_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_CATALOG (self), NULL);

  stmt = pdv_db_prepare (self->db,
                         "SELECT id, name, colour, position FROM categories ORDER BY position, name",
                         error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvCategory *category = g_new0 (PdvCategory, 1);

      category->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      category->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      category->colour = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      category->position = sqlite3_column_int (stmt, 3);
      g_ptr_array_add (categories, category);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (self->db, error, _("Reading the catalog"));
      return NULL;
    }
  return g_steal_pointer (&categories);
}

/**
 * pdv_catalog_list_products:
 * @category_id: (nullable): only this category, or every one
 *
 * Returns: (transfer container) (element-type PdvProduct): products in grid order
 */
GPtrArray *
pdv_catalog_list_products (PdvCatalog  *self,
                           const char  *category_id,
                           gboolean     include_inactive,
                           GError     **error)
{
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_product_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_CATALOG (self), NULL);

  stmt = pdv_db_prepare (self->db,
                         "SELECT " PRODUCT_COLUMNS PRODUCT_FROM
                         "WHERE (?1 IS NULL OR p.category_id = ?1) AND (?2 OR p.active) "
                         "ORDER BY c.position, c.name, p.position, p.name",
                         error);
  if (stmt == NULL)
    return NULL;
  if (category_id)
    sqlite3_bind_text (stmt, 1, category_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, include_inactive ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (products, product_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (self->db, error, _("Reading the catalog"));
      return NULL;
    }
  return g_steal_pointer (&products);
}

/**
 * pdv_catalog_lookup:
 * @id_or_barcode: a product id (SKU) or its barcode
 *
 * Returns: (transfer full) (nullable): the product, or %NULL if there is none
 */
PdvProduct *
pdv_catalog_lookup (PdvCatalog  *self,
                    const char  *id_or_barcode,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  PdvProduct *product = NULL;
  int rc;

  g_return_val_if_fail (PDV_IS_CATALOG (self), NULL);
  g_return_val_if_fail (id_or_barcode != NULL, NULL);

  stmt = pdv_db_prepare (self->db,
                         "SELECT " PRODUCT_COLUMNS PRODUCT_FROM
                         "WHERE p.id = ?1 OR p.barcode = ?1 ORDER BY p.id = ?1 DESC LIMIT 1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_or_barcode, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    product = product_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    pdv_db_set_error (self->db, error, _("Reading the catalog"));
  return product;
}

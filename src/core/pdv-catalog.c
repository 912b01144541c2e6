/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-catalog.h"
#include "pdv-db-private.h"
#include "pdv-text.h"

struct _PdvCatalog
{
  GObject    parent_instance;
  PdvDb     *db;

  /* What search looks through: active products in grid order, with their
   * names folded once, reloaded when an import changes the catalog. */
  GPtrArray *search_products;
  GPtrArray *search_names;
  char      *search_generation;
};

G_DEFINE_FINAL_TYPE (PdvCatalog, pdv_catalog, G_TYPE_OBJECT)

#define PRODUCT_COLUMNS \
  "p.id, p.name, p.price, p.category_id, p.barcode, COALESCE (p.colour, c.colour), " \
  "p.position, p.active, p.track_stock, p.stock_policy, COALESCE (s.qty, 0), p.has_components "

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
  product->has_components = sqlite3_column_int (stmt, 11) != 0;
  return product;
}

static void
pdv_catalog_finalize (GObject *object)
{
  PdvCatalog *self = (PdvCatalog *) object;

  g_clear_object (&self->db);
  g_clear_pointer (&self->search_products, g_ptr_array_unref);
  g_clear_pointer (&self->search_names, g_ptr_array_unref);
  g_clear_pointer (&self->search_generation, g_free);

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

  /* By id first, then by barcode: two index lookups, where one query with
   * OR sorted its matches in a temporary tree at every line of every sale. */
  for (guint by_barcode = 0; by_barcode < 2 && product == NULL; by_barcode++)
    {
      stmt = pdv_db_prepare (self->db,
                             by_barcode ? "SELECT " PRODUCT_COLUMNS PRODUCT_FROM "WHERE p.barcode = ?"
                                        : "SELECT " PRODUCT_COLUMNS PRODUCT_FROM "WHERE p.id = ?",
                             error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, id_or_barcode, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        product = product_from_row (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          pdv_db_set_error (self->db, error, _("Reading the catalog"));
          return NULL;
        }
    }
  return product;
}

void
pdv_component_clear (PdvComponent *component)
{
  g_clear_pointer (&component->product_id, g_free);
}

/**
 * pdv_catalog_get_components:
 *
 * Returns: (transfer full) (element-type PdvComponent): what one unit of
 *   @product_id takes out of stock, empty when it is not a combo
 */
GArray *
pdv_catalog_get_components (PdvCatalog  *self,
                            const char  *product_id,
                            GError     **error)
{
  g_autoptr(GArray) components = g_array_new (FALSE, TRUE, sizeof (PdvComponent));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_CATALOG (self), NULL);

  g_array_set_clear_func (components, (GDestroyNotify) pdv_component_clear);
  stmt = pdv_db_prepare (self->db,
                         "SELECT component_id, qty FROM product_components WHERE product_id = ? "
                         "ORDER BY component_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, product_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvComponent component = { g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                                 sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (components, component);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (self->db, error, _("Reading the catalog"));
      return NULL;
    }
  return g_steal_pointer (&components);
}

PdvProduct *
pdv_product_copy (const PdvProduct *product)
{
  PdvProduct *copy = g_memdup2 (product, sizeof *product);

  copy->id = g_strdup (product->id);
  copy->name = g_strdup (product->name);
  copy->category_id = g_strdup (product->category_id);
  copy->barcode = g_strdup (product->barcode);
  copy->colour = g_strdup (product->colour);
  return copy;
}

static gboolean
ensure_search_index (PdvCatalog  *self,
                     GError     **error)
{
  g_autofree char *generation = pdv_db_get_meta (self->db, "catalog_generation");
  g_autoptr(GPtrArray) products = NULL;

  if (self->search_products != NULL && g_strcmp0 (generation, self->search_generation) == 0)
    return TRUE;

  products = pdv_catalog_list_products (self, NULL, FALSE, error);
  if (products == NULL)
    return FALSE;
  g_clear_pointer (&self->search_names, g_ptr_array_unref);
  self->search_names = g_ptr_array_new_full (products->len, g_free);
  for (guint i = 0; i < products->len; i++)
    g_ptr_array_add (self->search_names, pdv_text_fold (((PdvProduct *) g_ptr_array_index (products, i))->name));
  g_clear_pointer (&self->search_products, g_ptr_array_unref);
  self->search_products = g_steal_pointer (&products);
  g_free (self->search_generation);
  self->search_generation = g_steal_pointer (&generation);
  return TRUE;
}

/**
 * pdv_catalog_search:
 * @query: what was typed: words of the name in any order, case and accents
 *   ignored, or the start of a SKU or barcode
 * @limit: at most this many results (0: no limit)
 *
 * Fast enough to run on every keystroke: names are folded once per catalog
 * import. The stock of the products returned is as of that load; sales read
 * it afresh.
 *
 * Returns: (transfer container) (element-type PdvProduct): matching active
 *   products, those whose name starts with the query first, then in grid order
 */
/* The index's products that match @query, prefix matches of the name
 * first; borrowed from the index until it is next rebuilt. */
static GPtrArray *
search_index (PdvCatalog  *self,
              const char  *query,
              GError     **error)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new ();
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  gsize folded_length;

  if (!ensure_search_index (self, error))
    return NULL;

  folded = pdv_text_fold (query);
  g_strstrip (folded);
  folded_length = strlen (folded);
  words = g_strsplit (folded, " ", -1);

  for (guint i = 0; i < self->search_products->len; i++)
    {
      PdvProduct *product = g_ptr_array_index (self->search_products, i);
      const char *name = g_ptr_array_index (self->search_names, i);
      gboolean matches = TRUE;

      for (guint w = 0; words[w] && matches; w++)
        if (*words[w] != '\0' && strstr (name, words[w]) == NULL)
          matches = FALSE;

      if (matches && g_str_has_prefix (name, folded))
        g_ptr_array_add (first, product);
      else if (matches ||
               (folded_length > 0 && g_ascii_strncasecmp (product->id, folded, folded_length) == 0) ||
               (folded_length > 0 && product->barcode && g_str_has_prefix (product->barcode, folded)))
        g_ptr_array_add (rest, product);
    }
  g_ptr_array_extend_and_steal (first, g_steal_pointer (&rest));
  return g_steal_pointer (&first);
}

GPtrArray *
pdv_catalog_search (PdvCatalog  *self,
                    const char  *query,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) results = NULL;

  g_return_val_if_fail (PDV_IS_CATALOG (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  found = search_index (self, query, error);
  if (found == NULL)
    return NULL;
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_product_free);
  for (guint i = 0; i < found->len && (limit == 0 || results->len < limit); i++)
    g_ptr_array_add (results, pdv_product_copy (g_ptr_array_index (found, i)));
  return g_steal_pointer (&results);
}

/**
 * pdv_catalog_search_ids:
 *
 * pdv_catalog_search() without copying the products: which ones match, best
 * first, for a screen that shows what it already holds on every keystroke.
 *
 * Returns: (transfer full) (element-type utf8): every matching product id,
 *   in pdv_catalog_search()'s order
 */
GPtrArray *
pdv_catalog_search_ids (PdvCatalog  *self,
                        const char  *query,
                        GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  GPtrArray *ids;

  g_return_val_if_fail (PDV_IS_CATALOG (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  found = search_index (self, query, error);
  if (found == NULL)
    return NULL;
  ids = g_ptr_array_new_full (found->len, g_free);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (ids, g_strdup (((PdvProduct *) g_ptr_array_index (found, i))->id));
  return ids;
}

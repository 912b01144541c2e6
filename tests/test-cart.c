/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pdv-test-util.h"

static void
dropped_cb (PdvCart    *cart,
            const char *message,
            char      **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

/* Lines add up, one per product; a percentage follows the lines as they
 * change, rounded half up to the centavo. */
static void
test_cart_lines_and_percentage (void)
{
  g_autoptr(PdvCart) cart = pdv_cart_new ();
  g_autoptr(PdvUser) manager = pdv_user_new ("fernanda", "Fernanda Lima", PDV_ROLE_MANAGER);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvSaleDraft) draft = NULL;

  g_assert_true (pdv_cart_is_empty (cart));
  g_assert_true (pdv_cart_add_product (cart, "CERV-LATA-350", "Cerveja Lata 350 ml", 1200, &error));
  g_assert_true (pdv_cart_add_product (cart, "CERV-LATA-350", "Cerveja Lata 350 ml", 1200, &error));
  g_assert_true (pdv_cart_add_product (cart, "DRK-MOJITO", "Mojito", 3000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 2);
  g_assert_cmpuint (pdv_cart_get_n_units (cart), ==, 3);
  g_assert_cmpint (pdv_cart_get_subtotal (cart), ==, 5400);

  /* 12.5 % of R$ 54,00 is R$ 6,75. */
  g_assert_true (pdv_cart_set_discount (cart, PDV_DISCOUNT_PERCENT, 1250, "  aniversário ", manager, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pdv_cart_get_discount (cart), ==, 675);
  g_assert_cmpint (pdv_cart_get_total (cart), ==, 4725);
  g_assert_cmpstr (pdv_cart_get_discount_reason (cart), ==, "aniversário");
  g_assert_cmpstr (pdv_cart_get_discount_authoriser (cart)->id, ==, "fernanda");

  /* One can fewer: 12.5 % of R$ 42,00 is R$ 5,25. */
  g_assert_true (pdv_cart_decrement (cart, "CERV-LATA-350"));
  g_assert_cmpint (pdv_cart_get_discount (cart), ==, 525);
  g_assert_cmpint (pdv_cart_get_total (cart), ==, 3675);

  /* What the sale will be: the lines and the discount with who gave it. */
  draft = pdv_cart_dup_draft (cart);
  g_assert_nonnull (draft);

  /* An empty cart has no discount. */
  pdv_cart_clear (cart);
  g_assert_true (pdv_cart_is_empty (cart));
  g_assert_false (pdv_cart_has_discount (cart));
  g_assert_cmpint (pdv_cart_get_total (cart), ==, 0);
}

/* An amount the lines no longer exceed goes, and the cashier is told why. */
static void
test_cart_amount_dropped (void)
{
  g_autoptr(PdvCart) cart = pdv_cart_new ();
  g_autoptr(PdvUser) manager = pdv_user_new ("fernanda", "Fernanda Lima", PDV_ROLE_MANAGER);
  g_autoptr(GError) error = NULL;
  g_autofree char *dropped = NULL;

  g_signal_connect (cart, "discount-dropped", G_CALLBACK (dropped_cb), &dropped);
  g_assert_true (pdv_cart_add_product (cart, "DRK-MOJITO", "Mojito", 3000, &error));
  g_assert_true (pdv_cart_add_product (cart, "CERV-LATA-350", "Cerveja Lata 350 ml", 1200, &error));
  g_assert_true (pdv_cart_set_discount (cart, PDV_DISCOUNT_AMOUNT, 2000, NULL, manager, &error));
  g_assert_cmpint (pdv_cart_get_total (cart), ==, 2200);
  g_assert_null (dropped);

  /* Without the mojito, R$ 20,00 off R$ 12,00 would leave nothing to pay. */
  g_assert_true (pdv_cart_remove (cart, "DRK-MOJITO"));
  g_assert_false (pdv_cart_has_discount (cart));
  g_assert_cmpint (pdv_cart_get_total (cart), ==, 1200);
  g_assert_nonnull (dropped);
  g_assert_nonnull (strstr (dropped, "Discount removed"));

  /* The whole subtotal or more is refused up front. */
  g_assert_false (pdv_cart_set_discount (cart, PDV_DISCOUNT_AMOUNT, 1200, NULL, manager, &error));
  g_assert_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_DISCOUNT_TOO_LARGE);
  g_assert_false (pdv_cart_has_discount (cart));
  g_signal_handlers_disconnect_by_data (cart, &dropped);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cart/lines-and-percentage", test_cart_lines_and_percentage);
  g_test_add_func ("/cart/amount-dropped", test_cart_amount_dropped);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sale"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "pdv-auth.h"
#include "pdv-sale-private.h"

/* Discounts on a sale: how much one takes off the subtotal, and who may give
 * it. Only roles with %PDV_PERMISSION_DISCOUNT may; anyone else needs one of
 * them to type their PIN, and the sale journals that override with itself. */

#define WHOLE_IN_BASIS_POINTS (100 * PDV_DISCOUNT_BASIS_POINTS_PER_PERCENT)

void
pdv_sale_discount_clear (PdvSaleDiscount *discount)
{
  discount->kind = PDV_DISCOUNT_NONE;
  discount->value = 0;
  g_clear_pointer (&discount->reason, g_free);
  g_clear_pointer (&discount->authorised_by, g_free);
}

/* See pdv_sale_draft_set_discount(); a refused discount leaves @discount
 * as it was. */
gboolean
pdv_sale_discount_set (PdvSaleDiscount  *discount,
                       PdvDiscountKind   kind,
                       gint64            value,
                       const char       *reason,
                       const char       *authorised_by,
                       GError          **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  g_autofree char *authoriser = g_strdup (authorised_by);

  if (!pdv_discount_check (kind, value, error))
    return FALSE;
  pdv_sale_discount_clear (discount);
  discount->kind = kind;
  discount->value = value;
  discount->reason = *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
  discount->authorised_by = g_steal_pointer (&authoriser);
  return TRUE;
}

/* What @discount takes off @subtotal: 0 when there is none. */
gboolean
pdv_sale_discount_compute (const PdvSaleDiscount  *discount,
                           PdvMoney                subtotal,
                           PdvMoney               *out_discount,
                           GError                **error)
{
  *out_discount = 0;
  return discount->kind == PDV_DISCOUNT_NONE ||
         pdv_discount_compute (discount->kind, discount->value, subtotal, out_discount, error);
}

/**
 * pdv_discount_check:
 * @kind: %PDV_DISCOUNT_AMOUNT or %PDV_DISCOUNT_PERCENT
 * @value: centavos, or basis points
 *
 * Whether @value can be a discount at all, whatever the sale: more than
 * nothing, and a percentage below 100 %. Whether it fits a sale is for
 * pdv_discount_compute() to say.
 */
gboolean
pdv_discount_check (PdvDiscountKind   kind,
                    gint64            value,
                    GError          **error)
{
  if (kind != PDV_DISCOUNT_AMOUNT && kind != PDV_DISCOUNT_PERCENT)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_DISCOUNT,
                           _("A discount is an amount or a percentage"));
      return FALSE;
    }
  if (value <= 0)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_DISCOUNT,
                           _("A discount must be more than zero"));
      return FALSE;
    }
  if (kind == PDV_DISCOUNT_PERCENT && value >= WHOLE_IN_BASIS_POINTS)
    {
      g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_DISCOUNT,
                           _("A discount must be less than 100%; a sale given away is a courtesy"));
      return FALSE;
    }
  return TRUE;
}

/**
 * pdv_discount_compute:
 * @subtotal: the sale's lines at their prices
 * @out_discount: (out): the centavos it takes off
 *
 * A percentage is rounded half up to the centavo: 10 % of R$ 12,35 is
 * R$ 1,24. A discount must leave something to pay.
 */
gboolean
pdv_discount_compute (PdvDiscountKind   kind,
                      gint64            value,
                      PdvMoney          subtotal,
                      PdvMoney         *out_discount,
                      GError          **error)
{
  PdvMoney discount = value;

  g_return_val_if_fail (subtotal >= 0, FALSE);
  g_return_val_if_fail (out_discount != NULL, FALSE);

  if (!pdv_discount_check (kind, value, error))
    return FALSE;

  /* In two parts, so that subtotal × value cannot overflow. */
  if (kind == PDV_DISCOUNT_PERCENT)
    discount = (subtotal / WHOLE_IN_BASIS_POINTS) * value +
               ((subtotal % WHOLE_IN_BASIS_POINTS) * value + WHOLE_IN_BASIS_POINTS / 2) / WHOLE_IN_BASIS_POINTS;

  if (discount > 0 && discount >= subtotal)
    {
      g_autofree char *discount_text = pdv_money_format (discount);
      g_autofree char *subtotal_text = pdv_money_format (subtotal);

      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_DISCOUNT_TOO_LARGE,
                   /* Translators: a discount, then the sale's subtotal */
                   _("A discount of %s leaves nothing to pay on %s: it must be less than the subtotal"),
                   discount_text, subtotal_text);
      return FALSE;
    }
  *out_discount = discount;
  return TRUE;
}

/* "10", "12,5" or "12.50": whole and hundredths of a percent. */
static gboolean
parse_percent (const char *text,
               gint64     *out_basis_points)
{
  gint64 whole = 0;
  gint64 hundredths = 0;
  guint n_digits = 0;
  const char *p = text;

  for (; g_ascii_isdigit (*p); p++, n_digits++)
    {
      if (n_digits >= 9)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (n_digits == 0)
    return FALSE;
  if (*p == ',' || *p == '.')
    {
      p++;
      if (!g_ascii_isdigit (p[0]))
        return FALSE;
      hundredths = (p[0] - '0') * 10;
      if (g_ascii_isdigit (p[1]))
        hundredths += p[1] - '0';
      p += g_ascii_isdigit (p[1]) ? 2 : 1;
    }
  if (*p != '\0')
    return FALSE;
  *out_basis_points = whole * PDV_DISCOUNT_BASIS_POINTS_PER_PERCENT + hundredths;
  return TRUE;
}

/**
 * pdv_discount_parse:
 * @text: a percentage, "10%" or "12,5%", or an amount, "5,00"
 * @out_kind: (out): which it is
 * @out_value: (out): basis points, or centavos
 *
 * Reads a discount as a person types it; see pdv_discount_check() for what
 * is refused.
 */
gboolean
pdv_discount_parse (const char       *text,
                    PdvDiscountKind  *out_kind,
                    gint64           *out_value,
                    GError          **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  gsize length = strlen (copy);
  PdvDiscountKind kind;
  gint64 value = 0;

  if (length > 0 && copy[length - 1] == '%')
    {
      copy[length - 1] = '\0';
      g_strchomp (copy);
      kind = PDV_DISCOUNT_PERCENT;
      if (!parse_percent (copy, &value))
        {
          g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_DISCOUNT,
                       /* Translators: %s is what was typed as a discount */
                       _("“%s” is not a percentage; type it as 10%% or 12,5%%"), text);
          return FALSE;
        }
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      kind = PDV_DISCOUNT_AMOUNT;
      if (!pdv_money_parse (copy, PDV_MONEY_PARSE_DEFAULT, &value, &local_error))
        {
          g_set_error_literal (error, PDV_SALE_ERROR, PDV_SALE_ERROR_INVALID_DISCOUNT, local_error->message);
          return FALSE;
        }
    }

  if (!pdv_discount_check (kind, value, error))
    return FALSE;
  *out_kind = kind;
  *out_value = value;
  return TRUE;
}

/**
 * pdv_discount_format_percent:
 * @basis_points: 1000 for 10 %
 *
 * Returns: (transfer full): the percentage for people, "10%" or "12.5%",
 *   with the locale's decimal point
 */
char *
pdv_discount_format_percent (gint64 basis_points)
{
  gint64 whole = basis_points / PDV_DISCOUNT_BASIS_POINTS_PER_PERCENT;
  gint64 hundredths = ABS (basis_points % PDV_DISCOUNT_BASIS_POINTS_PER_PERCENT);
  const char *point = localeconv ()->decimal_point;
  g_autofree char *number = NULL;

  if (hundredths == 0)
    number = g_strdup_printf ("%lld", (long long) whole);
  else if (hundredths % 10 == 0)
    number = g_strdup_printf ("%lld%s%lld", (long long) whole, point, (long long) (hundredths / 10));
  else
    number = g_strdup_printf ("%lld%s%02lld", (long long) whole, point, (long long) hundredths);

  /* Translators: a percentage, %s is the number; "%%" is the percent sign */
  return g_strdup_printf (C_("percentage", "%s%%"), number);
}

/**
 * pdv_sale_discount_authorise_in_transaction:
 * @user: (nullable): the operator
 * @out_authoriser: (out) (transfer full): who allowed the discount
 *
 * Checks, inside the sale's transaction, that the discount's authoriser (or
 * the operator, when it names none) is an active user whose role may give
 * discounts, and journals the override when that is not the operator.
 */
gboolean
pdv_sale_discount_authorise_in_transaction (PdvJournal             *journal,
                                            const PdvSaleDiscount  *discount,
                                            const char             *user,
                                            char                  **out_authoriser,
                                            GError                **error)
{
  const char *authoriser_id = discount->authorised_by != NULL ? discount->authorised_by : user;
  g_autoptr(PdvUser) authoriser = NULL;

  if (!pdv_auth_find_user (pdv_journal_get_db (journal), authoriser_id, &authoriser, error))
    return FALSE;
  if (authoriser == NULL || !pdv_user_can (authoriser, PDV_PERMISSION_DISCOUNT))
    {
      g_set_error (error, PDV_SALE_ERROR, PDV_SALE_ERROR_NOT_AUTHORISED,
                   _("Ask a manager to authorise this: only they may %s"),
                   pdv_permission_describe (PDV_PERMISSION_DISCOUNT));
      return FALSE;
    }

  /* A manager at the terminal needs no override. */
  if (g_strcmp0 (authoriser->id, user) != 0 &&
      !pdv_auth_record_override (journal, PDV_PERMISSION_DISCOUNT, user, authoriser->id, error))
    return FALSE;

  *out_authoriser = g_strdup (authoriser->id);
  return TRUE;
}

/**
 * pdv_sale_discount_add_to_payload:
 * @amount: the centavos taken off @subtotal
 *
 * Describes the discount in a "sale" entry: "subtotal", "discount",
 * "discount_percent_bp" for a percentage, "discount_reason" when one was
 * given and "discount_authorised_by". The entry's "total" is what was paid.
 */
void
pdv_sale_discount_add_to_payload (const PdvSaleDiscount *discount,
                                  PdvMoney               subtotal,
                                  PdvMoney               amount,
                                  const char            *authoriser,
                                  json_t                *payload)
{
  json_object_set_new (payload, "subtotal", json_integer (subtotal));
  json_object_set_new (payload, "discount", json_integer (amount));
  if (discount->kind == PDV_DISCOUNT_PERCENT)
    json_object_set_new (payload, "discount_percent_bp", json_integer (discount->value));
  if (discount->reason != NULL)
    json_object_set_new (payload, "discount_reason", json_string (discount->reason));
  json_object_set_new (payload, "discount_authorised_by", json_string (authoriser));
}

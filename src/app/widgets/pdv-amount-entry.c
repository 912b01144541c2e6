/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-amount-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-amount-entry.h"

/**
 * pdv_amount_entry_set:
 *
 * Fills @entry with @amount as people read it, the cursor at the end.
 */
void
pdv_amount_entry_set (GtkEditable *entry,
                      PdvMoney     amount)
{
  g_autofree char *text = pdv_money_format (amount);

  gtk_editable_set_text (entry, text);
  gtk_editable_set_position (entry, -1);
}

/**
 * pdv_amount_entry_parse:
 *
 * Reads a positive amount, "12,50" or "R$ 12,50" alike.
 */
gboolean
pdv_amount_entry_parse (GtkEditable  *entry,
                        PdvMoney     *out_amount,
                        GError      **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  PdvMoney amount;

  if (*text == '\0')
    {
      g_set_error_literal (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_INVALID, _("Type the amount"));
      return FALSE;
    }
  if (!pdv_money_parse (text, PDV_MONEY_PARSE_DEFAULT, &amount, error))
    return FALSE;
  if (amount <= 0)
    {
      g_set_error_literal (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_INVALID,
                           _("The amount must be more than zero"));
      return FALSE;
    }
  *out_amount = amount;
  return TRUE;
}

/**
 * pdv_amount_entry_parse_part:
 * @due: what is still to pay
 *
 * Reads what a card, PIX or voucher payment covers: no more than @due, as
 * only cash can be handed over in excess.
 */
gboolean
pdv_amount_entry_parse_part (GtkEditable  *entry,
                             PdvMoney      due,
                             PdvMoney     *out_amount,
                             GError      **error)
{
  PdvMoney amount;

  if (!pdv_amount_entry_parse (entry, &amount, error))
    return FALSE;
  if (amount > due)
    {
      g_autofree char *due_text = pdv_money_format (due);

      /* Translators: %s is an amount of money */
      g_set_error (error, PDV_MONEY_ERROR, PDV_MONEY_ERROR_INVALID, _("Only %s is still to pay"), due_text);
      return FALSE;
    }
  *out_amount = amount;
  return TRUE;
}

void
pdv_amount_entry_mark_valid (GtkEditable *entry,
                             gboolean     valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-pix-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-amount-entry.h"
#include "pdv-pix-panel.h"

/* PIX: a static BR Code for the amount due (or part of it) with an id of
 * its own, as a QR code the customer's bank app reads off the screen. The
 * terminal cannot see the payment arrive: the cashier confirms it once the
 * customer shows it, with the panel's button ("payment.confirm"). */
struct _PdvPixPanel
{
  GtkWidget  parent_instance;

  char      *key;
  char      *name;
  char      *city;
  char      *txid;
  char      *payload;
  PdvMoney   due;

  PdvQrView *qr_view;
  GtkLabel  *amount_label;
  GtkLabel  *merchant_label;
  GtkLabel  *txid_label;
  GtkEntry  *amount_entry;
  GtkButton *confirm_button;
};

G_DEFINE_FINAL_TYPE (PdvPixPanel, pdv_pix_panel, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
new_txid (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  GString *txid = g_string_sized_new (PDV_PIX_TXID_MAX);

  /* A random UUID without its dashes, cut to what a BR Code can carry. */
  for (const char *p = uuid; *p != '\0' && txid->len < PDV_PIX_TXID_MAX; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (txid, *p);
  return g_string_free (txid, FALSE);
}

static void
refresh (PdvPixPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  PdvMoney amount = 0;

  g_clear_pointer (&self->payload, g_free);
  if (self->key == NULL)
    return;

  if (pdv_pix_panel_get_amount (self, &amount, &error))
    payload = pdv_pix_build (self->key, self->name, self->city, TRUE, amount, self->txid, &error);
  if (payload != NULL && !pdv_qr_view_set_text (self->qr_view, payload, &error))
    g_clear_pointer (&payload, g_free);
  pdv_amount_entry_mark_valid (GTK_EDITABLE (self->amount_entry), payload != NULL);
  self->payload = g_steal_pointer (&payload);

  if (self->payload != NULL)
    {
      g_autofree char *amount_text = pdv_money_format (amount);
      /* Translators: %s identifies the payment in the customer's bank app */
      g_autofree char *txid_text = g_strdup_printf (_("Payment ID %s"), self->txid);

      gtk_label_set_label (self->amount_label, amount_text);
      gtk_label_set_label (self->txid_label, txid_text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->amount_label), "error");
    }
  else
    {
      pdv_qr_view_set_text (self->qr_view, NULL, NULL);
      gtk_label_set_label (self->amount_label, error->message);
      gtk_label_set_label (self->txid_label, "");
      gtk_widget_add_css_class (GTK_WIDGET (self->amount_label), "error");
    }
}

static void
amount_changed_cb (GtkEntry    *entry,
                   PdvPixPanel *self)
{
  refresh (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
pdv_pix_panel_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PDV_TYPE_PIX_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pdv_pix_panel_parent_class)->dispose (object);
}

static void
pdv_pix_panel_finalize (GObject *object)
{
  PdvPixPanel *self = PDV_PIX_PANEL (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->city, g_free);
  g_clear_pointer (&self->txid, g_free);
  g_clear_pointer (&self->payload, g_free);

  G_OBJECT_CLASS (pdv_pix_panel_parent_class)->finalize (object);
}

static void
pdv_pix_panel_class_init (PdvPixPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_pix_panel_dispose;
  object_class->finalize = pdv_pix_panel_finalize;

  /**
   * PdvPixPanel::changed:
   *
   * The code on screen changed, or there is none for what was typed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (PDV_TYPE_QR_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-pix-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvPixPanel, qr_view);
  gtk_widget_class_bind_template_child (widget_class, PdvPixPanel, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdvPixPanel, merchant_label);
  gtk_widget_class_bind_template_child (widget_class, PdvPixPanel, txid_label);
  gtk_widget_class_bind_template_child (widget_class, PdvPixPanel, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvPixPanel, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, amount_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pdv_pix_panel_init (PdvPixPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_button_set_label (self->confirm_button, _("Payment Received"));
  self->txid = new_txid ();
}

GtkWidget *
pdv_pix_panel_new (void)
{
  return g_object_new (PDV_TYPE_PIX_PANEL, NULL);
}

/**
 * pdv_pix_panel_set_merchant:
 * @key: the merchant's PIX key
 * @name: (nullable): the name payers see
 * @city: (nullable): the merchant's city
 *
 * Returns: whether codes can be made for this merchant; if not, @error
 *   says what is wrong with its details and the panel shows no code
 */
gboolean
pdv_pix_panel_set_merchant (PdvPixPanel  *self,
                            const char   *key,
                            const char   *name,
                            const char   *city,
                            GError      **error)
{
  g_autofree char *probe = NULL;
  g_autofree char *merchant = NULL;

  g_return_val_if_fail (PDV_IS_PIX_PANEL (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  /* Better to find out now than with a customer scanning a broken code. */
  probe = pdv_pix_build (key, name, city, TRUE, 100, self->txid, error);
  if (probe == NULL)
    return FALSE;

  g_free (self->key);
  self->key = g_strdup (key);
  g_free (self->name);
  self->name = g_strdup (name);
  g_free (self->city);
  self->city = g_strdup (city);

  /* Translators: who the customer's bank app says is being paid, and where */
  merchant = g_strdup_printf (_("To %s, %s"), name != NULL ? name : "", city != NULL ? city : "");
  gtk_label_set_label (self->merchant_label, merchant);
  refresh (self);
  return TRUE;
}

/**
 * pdv_pix_panel_set_due:
 *
 * Makes the code for all of @due; the amount can be edited to split.
 */
void
pdv_pix_panel_set_due (PdvPixPanel *self,
                       PdvMoney     due)
{
  g_return_if_fail (PDV_IS_PIX_PANEL (self));

  self->due = due;
  pdv_amount_entry_set (GTK_EDITABLE (self->amount_entry), due);
  refresh (self);
}

gboolean
pdv_pix_panel_get_amount (PdvPixPanel  *self,
                          PdvMoney     *out_amount,
                          GError      **error)
{
  g_return_val_if_fail (PDV_IS_PIX_PANEL (self), FALSE);
  return pdv_amount_entry_parse_part (GTK_EDITABLE (self->amount_entry), self->due, out_amount, error);
}

/**
 * pdv_pix_panel_get_payload:
 *
 * Returns: (nullable): the BR Code on screen
 */
const char *
pdv_pix_panel_get_payload (PdvPixPanel *self)
{
  g_return_val_if_fail (PDV_IS_PIX_PANEL (self), NULL);
  return self->payload;
}

/**
 * pdv_pix_panel_get_txid:
 *
 * Returns: the payment id the code carries, which the sale records
 */
const char *
pdv_pix_panel_get_txid (PdvPixPanel *self)
{
  g_return_val_if_fail (PDV_IS_PIX_PANEL (self), NULL);
  return self->txid;
}

/**
 * pdv_pix_panel_renew_txid:
 *
 * Gives the next code an id of its own, once a payment used this one.
 */
void
pdv_pix_panel_renew_txid (PdvPixPanel *self)
{
  g_return_if_fail (PDV_IS_PIX_PANEL (self));

  g_free (self->txid);
  self->txid = new_txid ();
  refresh (self);
}

void
pdv_pix_panel_type_amount (PdvPixPanel *self,
                           const char  *text)
{
  g_return_if_fail (PDV_IS_PIX_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), text);
}

PdvQrView *
pdv_pix_panel_get_qr_view (PdvPixPanel *self)
{
  g_return_val_if_fail (PDV_IS_PIX_PANEL (self), NULL);
  return self->qr_view;
}

void
pdv_pix_panel_focus (PdvPixPanel *self)
{
  g_return_if_fail (PDV_IS_PIX_PANEL (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));
}

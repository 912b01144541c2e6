/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-discount-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pdv-discount-dialog-private.h"

/* A discount on the sale being built: a percentage or an amount, a reason,
 * and the total it leaves, worked out as it is typed. Apply gives it to the
 * cart, on the operator's own authority when their role allows discounts,
 * else once a manager typed their PIN in the prompt over this dialog. The
 * sale journals the override when it is paid. */
struct _PdvDiscountDialog
{
  AdwWindow         parent_instance;

  PdvCart          *cart;
  PdvContext       *context;
  PdvUser          *operator_user;
  char             *kind;            /* "percent" or "amount" */
  PdvManagerPrompt *prompt;

  /* What is typed, when it is a discount that fits the sale. */
  gboolean          valid;
  PdvDiscountKind   discount_kind;
  gint64            discount_value;
  PdvMoney          discount;

  GtkEditable      *value_entry;
  GtkLabel         *unit_label;
  GtkWidget        *presets_box;
  GtkEditable      *reason_entry;
  GtkLabel         *subtotal_label;
  GtkLabel         *discount_label;
  GtkLabel         *total_label;
  GtkLabel         *error_label;
  GtkWidget        *manager_hint;
};

G_DEFINE_FINAL_TYPE (PdvDiscountDialog, pdv_discount_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_percent (PdvDiscountDialog *self)
{
  return g_strcmp0 (self->kind, "percent") == 0;
}

/* What is typed as a discount on this cart; nothing typed is no error. */
static gboolean
parse_value (PdvDiscountDialog  *self,
             GError            **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (self->value_entry)));
  g_autofree char *typed = NULL;

  if (*text == '\0')
    return FALSE;
  typed = is_percent (self) && !g_str_has_suffix (text, "%") ? g_strconcat (text, "%", NULL) : g_strdup (text);
  return pdv_discount_parse (typed, &self->discount_kind, &self->discount_value, error) &&
         pdv_discount_compute (self->discount_kind, self->discount_value, pdv_cart_get_subtotal (self->cart),
                               &self->discount, error);
}

/* The unit and the shortcuts of the kind chosen. */
static void
show_kind (PdvDiscountDialog *self)
{
  gboolean percent = is_percent (self);

  /* Translators: the unit beside the discount being typed: a percentage, or reais */
  gtk_label_set_label (self->unit_label, percent ? C_("discount unit", "%") : C_("discount unit", "R$"));
  gtk_widget_set_visible (self->presets_box, percent);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->value_entry), percent ? "10" : "5,00");
}

static void
update_preview (PdvDiscountDialog *self)
{
  g_autoptr(GError) error = NULL;
  PdvMoney subtotal = pdv_cart_get_subtotal (self->cart);
  g_autofree char *subtotal_text = pdv_money_format (subtotal);
  g_autofree char *discount_text = NULL;
  g_autofree char *total_text = NULL;

  self->valid = parse_value (self, &error);
  if (!self->valid)
    self->discount = 0;
  /* "10%" typed as an amount is a percentage all the same: say so. */
  if (self->valid && (self->discount_kind == PDV_DISCOUNT_PERCENT) != is_percent (self))
    {
      g_free (self->kind);
      self->kind = g_strdup (self->discount_kind == PDV_DISCOUNT_PERCENT ? "percent" : "amount");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
      show_kind (self);
    }
  discount_text = self->valid ? pdv_money_format (-self->discount) : g_strdup ("—");
  total_text = pdv_money_format (subtotal - self->discount);

  gtk_label_set_label (self->subtotal_label, subtotal_text);
  gtk_label_set_label (self->discount_label, discount_text);
  gtk_label_set_label (self->total_label, total_text);
  gtk_label_set_label (self->error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "discount.apply", self->valid);
}

static void
set_kind (PdvDiscountDialog *self,
          const char        *kind)
{
  if (g_strcmp0 (kind, "percent") != 0 && g_strcmp0 (kind, "amount") != 0)
    {
      g_warning ("No kind of discount called “%s”", kind);
      return;
    }
  if (g_strcmp0 (kind, self->kind) != 0)
    {
      g_free (self->kind);
      self->kind = g_strdup (kind);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
    }
  show_kind (self);
  update_preview (self);
}

static void
apply_as (PdvDiscountDialog *self,
          const PdvUser     *authoriser)
{
  g_autoptr(GError) error = NULL;

  if (!pdv_cart_set_discount (self->cart, self->discount_kind, self->discount_value,
                              gtk_editable_get_text (self->reason_entry), authoriser, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
manager_authorised_cb (PdvDiscountDialog *self,
                       PdvUser           *manager)
{
  /* The prompt closes itself once this returns. */
  g_signal_handlers_disconnect_by_data (self->prompt, self);
  self->prompt = NULL;

  update_preview (self);
  if (self->valid)
    apply_as (self, manager);
}

static void
prompt_destroyed_cb (PdvDiscountDialog *self)
{
  self->prompt = NULL;
  gtk_widget_grab_focus (GTK_WIDGET (self->value_entry));
}

static void
ask_manager (PdvDiscountDialog *self)
{
  g_autofree char *value = self->discount_kind == PDV_DISCOUNT_PERCENT
                           ? pdv_discount_format_percent (self->discount_value)
                           : pdv_money_format (self->discount_value);
  g_autofree char *total = pdv_money_format (pdv_cart_get_subtotal (self->cart) - self->discount);
  /* Translators: the discount ("10%" or "R$ 5,00"), then what the sale comes to with it */
  g_autofree char *message = g_strdup_printf (_("%s off, the sale comes to %s. A manager types their PIN to allow it."),
                                              value, total);

  if (self->prompt != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->prompt));
      return;
    }
  self->prompt = pdv_manager_prompt_ask (GTK_WINDOW (self), self->context, PDV_PERMISSION_DISCOUNT,
                                         self->operator_user->id, _("Authorise Discount"), message,
                                         G_CALLBACK (manager_authorised_cb), G_CALLBACK (prompt_destroyed_cb), self);
}

static void
apply_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  PdvDiscountDialog *self = PDV_DISCOUNT_DIALOG (widget);

  update_preview (self);
  if (!self->valid)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  if (pdv_user_can (self->operator_user, PDV_PERMISSION_DISCOUNT))
    apply_as (self, self->operator_user);
  else
    ask_manager (self);
}

static void
preset_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdvDiscountDialog *self = PDV_DISCOUNT_DIALOG (widget);
  g_autofree char *text = g_strdup_printf ("%d", g_variant_get_int32 (parameter));

  gtk_editable_set_text (self->value_entry, text);
  set_kind (self, "percent");
  gtk_widget_grab_focus (GTK_WIDGET (self->value_entry));
  gtk_editable_set_position (self->value_entry, -1);
}

static void
value_changed_cb (PdvDiscountDialog *self)
{
  update_preview (self);
}

static void
entry_activated_cb (PdvDiscountDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "discount.apply", NULL);
}

static void
pdv_discount_dialog_dispose (GObject *object)
{
  PdvDiscountDialog *self = PDV_DISCOUNT_DIALOG (object);

  if (self->prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->prompt));
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_DISCOUNT_DIALOG);
  g_clear_object (&self->cart);

  G_OBJECT_CLASS (pdv_discount_dialog_parent_class)->dispose (object);
}

static void
pdv_discount_dialog_finalize (GObject *object)
{
  PdvDiscountDialog *self = PDV_DISCOUNT_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->operator_user, pdv_user_free);
  g_clear_pointer (&self->kind, g_free);

  G_OBJECT_CLASS (pdv_discount_dialog_parent_class)->finalize (object);
}

static void
pdv_discount_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PdvDiscountDialog *self = PDV_DISCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_discount_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PdvDiscountDialog *self = PDV_DISCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_KIND:
      if (g_value_get_string (value) != NULL)
        set_kind (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_discount_dialog_class_init (PdvDiscountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_discount_dialog_dispose;
  object_class->finalize = pdv_discount_dialog_finalize;
  object_class->get_property = pdv_discount_dialog_get_property;
  object_class->set_property = pdv_discount_dialog_set_property;

  /* "percent" or "amount": how what is typed is read. */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "percent",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/sell/pdv-discount-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, value_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, unit_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, presets_box);
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, subtotal_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, discount_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, total_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdvDiscountDialog, manager_hint);
  gtk_widget_class_bind_template_callback (widget_class, value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_property_action (widget_class, "discount.kind", "kind");
  gtk_widget_class_install_action (widget_class, "discount.preset", "i", preset_cb);
  gtk_widget_class_install_action (widget_class, "discount.apply", NULL, apply_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdv_discount_dialog_init (PdvDiscountDialog *self)
{
  /* The property action's state is read from the start. */
  self->kind = g_strdup ("percent");
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pdv_discount_dialog_new:
 * @parent: (nullable): the sale's window
 * @cart: the sale the discount is for; it must hold something
 * @context: the terminal, whose managers' PINs count
 * @operator_user: who is at the terminal: when their role may not give
 *   discounts, Apply asks for a manager's PIN
 *
 * Starts from the cart's discount, if it has one.
 */
PdvDiscountDialog *
pdv_discount_dialog_new (GtkWindow     *parent,
                         PdvCart       *cart,
                         PdvContext    *context,
                         const PdvUser *operator_user)
{
  PdvDiscountDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PDV_IS_CART (cart), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (operator_user != NULL, NULL);

  self = g_object_new (PDV_TYPE_DISCOUNT_DIALOG, "transient-for", parent, NULL);
  self->cart = g_object_ref (cart);
  self->context = g_object_ref (context);
  self->operator_user = pdv_user_copy (operator_user);
  gtk_widget_set_visible (self->manager_hint, !pdv_user_can (operator_user, PDV_PERMISSION_DISCOUNT));

  if (pdv_cart_has_discount (cart))
    {
      gboolean percent = pdv_cart_get_discount_kind (cart) == PDV_DISCOUNT_PERCENT;
      gint64 value = pdv_cart_get_discount_value (cart);
      g_autofree char *text = percent ? g_strdup_printf ("%lld,%02lld", (long long) (value / 100),
                                                         (long long) (value % 100))
                                      : pdv_money_format_brazilian (value, FALSE);
      const char *reason = pdv_cart_get_discount_reason (cart);

      /* "10,00" reads as 10 %: drop the idle decimals. */
      if (percent && g_str_has_suffix (text, ",00"))
        text[strlen (text) - 3] = '\0';
      gtk_editable_set_text (self->value_entry, text);
      gtk_editable_set_text (self->reason_entry, reason != NULL ? reason : "");
      set_kind (self, percent ? "percent" : "amount");
    }
  else
    set_kind (self, "percent");
  return self;
}

/**
 * pdv_discount_dialog_type_value:
 *
 * Types @text as the discount, in the unit chosen ("10" is 10 % or
 * R$ 10,00); "10%" is a percentage either way.
 */
void
pdv_discount_dialog_type_value (PdvDiscountDialog *self,
                                const char        *text)
{
  g_return_if_fail (PDV_IS_DISCOUNT_DIALOG (self));
  gtk_editable_set_text (self->value_entry, text);
}

void
pdv_discount_dialog_type_reason (PdvDiscountDialog *self,
                                 const char        *text)
{
  g_return_if_fail (PDV_IS_DISCOUNT_DIALOG (self));
  gtk_editable_set_text (self->reason_entry, text);
}

/**
 * pdv_discount_dialog_get_total_text:
 *
 * Returns: what the sale comes to with the discount typed
 */
const char *
pdv_discount_dialog_get_total_text (PdvDiscountDialog *self)
{
  g_return_val_if_fail (PDV_IS_DISCOUNT_DIALOG (self), NULL);
  return gtk_label_get_label (self->total_label);
}

/**
 * pdv_discount_dialog_get_error_text:
 *
 * Returns: (nullable): why what is typed cannot be the discount
 */
const char *
pdv_discount_dialog_get_error_text (PdvDiscountDialog *self)
{
  g_return_val_if_fail (PDV_IS_DISCOUNT_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_label (self->error_label) : NULL;
}

/**
 * pdv_discount_dialog_get_prompt:
 *
 * Returns: (nullable) (transfer none): the manager's PIN prompt, while open
 */
PdvManagerPrompt *
pdv_discount_dialog_get_prompt (PdvDiscountDialog *self)
{
  g_return_val_if_fail (PDV_IS_DISCOUNT_DIALOG (self), NULL);
  return self->prompt;
}

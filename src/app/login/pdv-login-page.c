/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-login-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-pin-check.h"
#include "pdv-login-page.h"
#include "pdv-pin-pad.h"
#include "pdv-session.h"

/* What a locked terminal shows: everyone who may work here as a big
 * button, then a PIN pad for the one who tapped their name. Naming
 * yourself first costs a tap but lets a wrong PIN count against you
 * alone, and keeps each check to one Argon2 hash. */
struct _PdvLoginPage
{
  GtkWidget     parent_instance;

  PdvContext   *context;
  GCancellable *cancellable;   /* the PIN check in flight */
  PdvUser      *chosen;
  char         *message;
  guint         countdown_source;
  gboolean      busy;

  GtkStack     *stack;
  GtkFlowBox   *user_box;
  GtkLabel     *users_error_label;
  GtkLabel     *name_label;
  GtkLabel     *role_label;
  GtkLabel     *message_label;
  PdvPinPad    *pin_pad;
  GtkSpinner   *spinner;
};

G_DEFINE_FINAL_TYPE (PdvLoginPage, pdv_login_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOGGED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (PdvLoginPage *self,
              const char   *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
update_pin_pad (PdvLoginPage *self)
{
  gboolean locked = self->countdown_source != 0;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Dropped first: a focused entry made insensitive never hears it lost
   * the focus. */
  if ((self->busy || locked) && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->pin_pad)))
    gtk_root_set_focus (root, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pin_pad), !self->busy && !locked);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  if (!self->busy && !locked && gtk_widget_get_mapped (GTK_WIDGET (self->pin_pad)))
    pdv_pin_pad_focus (self->pin_pad);
}

static gboolean update_lockout (PdvLoginPage *self);

static gboolean
countdown_cb (gpointer user_data)
{
  PdvLoginPage *self = user_data;

  self->countdown_source = 0;
  if (!update_lockout (self))
    {
      show_message (self, NULL);
      update_pin_pad (self);
    }
  return G_SOURCE_REMOVE;
}

/* Says how long the chosen user must wait, counting down each second, and
 * keeps the pad shut meanwhile. Returns whether they are locked. */
static gboolean
update_lockout (PdvLoginPage *self)
{
  gint64 left;
  g_autofree char *message = NULL;

  g_clear_handle_id (&self->countdown_source, g_source_remove);
  if (self->chosen == NULL)
    return FALSE;

  left = pdv_auth_get_lockout (pdv_context_get_db (self->context), self->chosen->id);
  if (left <= 0)
    return FALSE;

  /* Translators: %lld is a number of seconds, counting down */
  message = g_strdup_printf (ngettext ("Too many wrong PINs — try again in %lld s",
                                       "Too many wrong PINs — try again in %lld s", left),
                             (long long) left);
  show_message (self, message);
  self->countdown_source = pdv_clock_timeout_add_seconds (pdv_context_get_clock (self->context), 1, countdown_cb, self);
  update_pin_pad (self);
  return TRUE;
}

static void
choose (PdvLoginPage  *self,
        const PdvUser *user)
{
  g_clear_pointer (&self->chosen, pdv_user_free);
  self->chosen = pdv_user_copy (user);

  gtk_label_set_label (self->name_label, user->name);
  gtk_label_set_label (self->role_label, pdv_role_describe (user->role));
  pdv_pin_pad_clear (self->pin_pad);
  show_message (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "pin");
  if (!update_lockout (self))
    update_pin_pad (self);
}

static void
user_clicked_cb (GtkButton    *button,
                 PdvLoginPage *self)
{
  const PdvUser *user = g_object_get_data (G_OBJECT (button), "pdv-user");

  choose (self, user);
}

static GtkWidget *
create_user_button (PdvLoginPage *self,
                    PdvUser      *user)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *name = gtk_label_new (user->name);
  GtkWidget *role = gtk_label_new (pdv_role_describe (user->role));

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "title-3");
  gtk_widget_add_css_class (role, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), role);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "login-user");
  gtk_widget_set_name (button, user->id);
  {
    /* Translators: a person's tile on the login screen, read by a screen
     * reader: the name, then the role */
    g_autofree char *label = g_strdup_printf (_("%s, %s"), user->name, pdv_role_describe (user->role));

    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
  g_object_set_data_full (G_OBJECT (button), "pdv-user", user, (GDestroyNotify) pdv_user_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (user_clicked_cb), self, 0);
  return button;
}

static void
reload_users (PdvLoginPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->user_box))) != NULL)
    gtk_flow_box_remove (self->user_box, child);

  users = pdv_auth_list_users (pdv_context_get_db (self->context), &error);
  if (users == NULL)
    {
      g_warning ("Could not list the users: %s", error->message);
      gtk_label_set_label (self->users_error_label, error->message);
    }
  else if (users->len == 0)
    {
      gtk_label_set_label (self->users_error_label,
                           _("No one may log in yet: enrol the terminal or import the users first."));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->users_error_label), users == NULL || users->len == 0);

  while (users != NULL && users->len > 0)
    {
      GtkWidget *button = create_user_button (self, g_ptr_array_steal_index (users, 0));

      gtk_flow_box_append (self->user_box, button);
      /* The focus goes to the tile's button, where Enter logs in, not to
       * the box's wrapper around it. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
}

static void
logged_in_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PdvLoginPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvUser) user = pdv_login_finish (result, &error);

  /* Cancelled means the page went away or was reset: leave it alone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = PDV_LOGIN_PAGE (user_data);
  self->busy = FALSE;
  g_clear_object (&self->cancellable);
  pdv_pin_pad_clear (self->pin_pad);

  if (user != NULL)
    {
      update_pin_pad (self);
      g_signal_emit (self, signals[LOGGED_IN], 0, user);
      return;
    }

  gtk_widget_error_bell (GTK_WIDGET (self));
  if (!update_lockout (self))
    {
      if (g_error_matches (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_WRONG_PIN))
        show_message (self, _("Wrong PIN — try again"));
      else
        show_message (self, error->message);
      update_pin_pad (self);
    }
}

static void
pin_submitted_cb (PdvLoginPage *self,
                  const char   *pin)
{
  if (self->busy || self->chosen == NULL)
    return;

  self->busy = TRUE;
  self->cancellable = g_cancellable_new ();
  show_message (self, NULL);
  update_pin_pad (self);
  pdv_login_async (self->context, self->chosen->id, pin,
                   self->cancellable, logged_in_cb, self);
}

static void
back_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  pdv_login_page_reset (PDV_LOGIN_PAGE (widget));
}

static void
pdv_login_page_map (GtkWidget *widget)
{
  PdvLoginPage *self = PDV_LOGIN_PAGE (widget);

  GTK_WIDGET_CLASS (pdv_login_page_parent_class)->map (widget);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "pin") == 0)
    update_pin_pad (self);
}

static void
pdv_login_page_constructed (GObject *object)
{
  PdvLoginPage *self = PDV_LOGIN_PAGE (object);

  G_OBJECT_CLASS (pdv_login_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  reload_users (self);
}

static void
pdv_login_page_dispose (GObject *object)
{
  PdvLoginPage *self = PDV_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_LOGIN_PAGE);

  G_OBJECT_CLASS (pdv_login_page_parent_class)->dispose (object);
}

static void
pdv_login_page_finalize (GObject *object)
{
  PdvLoginPage *self = PDV_LOGIN_PAGE (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->chosen, pdv_user_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (pdv_login_page_parent_class)->finalize (object);
}

static void
pdv_login_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdvLoginPage *self = PDV_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_login_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PdvLoginPage *self = PDV_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_login_page_class_init (PdvLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pdv_login_page_constructed;
  object_class->dispose = pdv_login_page_dispose;
  object_class->finalize = pdv_login_page_finalize;
  object_class->get_property = pdv_login_page_get_property;
  object_class->set_property = pdv_login_page_set_property;
  widget_class->map = pdv_login_page_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, PDV_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdvLoginPage::logged-in:
   * @user: who proved who they are
   */
  signals[LOGGED_IN] =
    g_signal_new ("logged-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PDV_TYPE_USER);

  g_type_ensure (PDV_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/login/pdv-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvLoginPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PdvLoginPage, user_box);
  gtk_widget_class_bind_template_child (widget_class, PdvLoginPage, users_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdvLoginPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, PdvLoginPage, role_label);
  gtk_widget_class_bind_template_child (widget_class, PdvLoginPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdvLoginPage, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, PdvLoginPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, pin_submitted_cb);

  gtk_widget_class_install_action (widget_class, "login.back", NULL, back_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loginpage");
}

static void
pdv_login_page_init (PdvLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pdv_pin_pad_set_prompt (self->pin_pad, _("Your PIN"));
}

GtkWidget *
pdv_login_page_new (PdvContext *context)
{
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  return g_object_new (PDV_TYPE_LOGIN_PAGE, "context", context, NULL);
}

/**
 * pdv_login_page_reset:
 *
 * Back to the list of names, forgetting any PIN typed or being checked;
 * the list is read again, since users may have synced down meanwhile.
 */
void
pdv_login_page_reset (PdvLoginPage *self)
{
  g_return_if_fail (PDV_IS_LOGIN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->busy = FALSE;
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  g_clear_pointer (&self->chosen, pdv_user_free);
  pdv_pin_pad_clear (self->pin_pad);
  show_message (self, NULL);
  update_pin_pad (self);
  reload_users (self);
  gtk_stack_set_visible_child_name (self->stack, "users");
}

guint
pdv_login_page_count_users (PdvLoginPage *self)
{
  guint n = 0;

  g_return_val_if_fail (PDV_IS_LOGIN_PAGE (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->user_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/**
 * pdv_login_page_choose_user:
 *
 * Taps @user_id's name.
 *
 * Returns: whether there is such a name to tap
 */
gboolean
pdv_login_page_choose_user (PdvLoginPage *self,
                            const char   *user_id)
{
  g_return_val_if_fail (PDV_IS_LOGIN_PAGE (self), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->user_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (g_strcmp0 (gtk_widget_get_name (button), user_id) == 0)
        {
          g_signal_emit_by_name (button, "clicked");
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * pdv_login_page_type_pin:
 *
 * Types @pin on the pad's keys, then OK.
 */
void
pdv_login_page_type_pin (PdvLoginPage *self,
                         const char   *pin)
{
  g_return_if_fail (PDV_IS_LOGIN_PAGE (self));
  g_return_if_fail (pin != NULL);

  for (const char *p = pin; *p != '\0'; p++)
    {
      char digit[2] = { *p, '\0' };

      gtk_widget_activate_action (GTK_WIDGET (self->pin_pad), "pinpad.digit", "s", digit);
    }
  gtk_widget_activate_action (GTK_WIDGET (self->pin_pad), "pinpad.submit", NULL);
}

const char *
pdv_login_page_get_chosen_user (PdvLoginPage *self)
{
  g_return_val_if_fail (PDV_IS_LOGIN_PAGE (self), NULL);
  return self->chosen != NULL ? self->chosen->id : NULL;
}

/**
 * pdv_login_page_get_message:
 *
 * Returns: (nullable): why the last PIN was refused, or how long to wait
 */
const char *
pdv_login_page_get_message (PdvLoginPage *self)
{
  g_return_val_if_fail (PDV_IS_LOGIN_PAGE (self), NULL);
  return self->message;
}

gboolean
pdv_login_page_get_busy (PdvLoginPage *self)
{
  g_return_val_if_fail (PDV_IS_LOGIN_PAGE (self), FALSE);
  return self->busy;
}

gboolean
pdv_login_page_get_pin_enabled (PdvLoginPage *self)
{
  g_return_val_if_fail (PDV_IS_LOGIN_PAGE (self), FALSE);
  return gtk_widget_get_sensitive (GTK_WIDGET (self->pin_pad));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-audit-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-audit-window.h"

/* The manager's audit: drawer openings, wrong PINs and lockouts, overrides,
 * voids, refunds, discounts, cash counts, sales given up, imports and
 * settings, newest first, filtered by kind, person and time, and exported
 * as CSV or PDF. Read from the journal on a thread of its own. */
struct _PdvAuditWindow
{
  AdwWindow      parent_instance;

  PdvContext    *context;
  GCancellable  *cancellable;
  GPtrArray     *events;        /* PdvAuditEvent, as shown */
  GPtrArray     *user_ids;      /* char *, by position in the people's list; NULL first: everyone */
  gboolean       loading;

  GtkDropDown   *kind_dropdown;
  GtkDropDown   *user_dropdown;
  GtkDropDown   *time_dropdown;
  GtkListBox    *list;
  GtkStack      *stack;
  GtkLabel      *count_label;
};

G_DEFINE_FINAL_TYPE (PdvAuditWindow, pdv_audit_window, ADW_TYPE_WINDOW)

static const PdvAuditCategory categories[] = {
  0, PDV_AUDIT_DRAWER, PDV_AUDIT_PINS, PDV_AUDIT_OVERRIDES, PDV_AUDIT_VOIDS, PDV_AUDIT_REFUNDS,
  PDV_AUDIT_DISCOUNTS, PDV_AUDIT_COUNTS, PDV_AUDIT_GIVEN_UP, PDV_AUDIT_IMPORTS, PDV_AUDIT_SETTINGS,
  PDV_AUDIT_ALARMS,
};
static const guint hours[] = { 1, 12, 24, 0 };

typedef struct {
  PdvContext       *context;
  PdvAuditCategory  categories;
  char             *user;
  GDateTime        *since;
} Query;

static void
query_free (Query *query)
{
  g_clear_object (&query->context);
  g_free (query->user);
  g_clear_pointer (&query->since, g_date_time_unref);
  g_free (query);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Query *query = task_data;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(GError) error = NULL;
  PdvAuditFilter filter = { query->categories, query->user, query->since, NULL, 0 };
  GPtrArray *events;

  context = pdv_context_open_beside (query->context, &error);
  events = context != NULL ? pdv_audit_list (pdv_context_get_db (context), &filter, &error) : NULL;
  if (events == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, events, (GDestroyNotify) g_ptr_array_unref);
}

static const char *
category_icon (PdvAuditCategory category)
{
  switch (category)
    {
    case PDV_AUDIT_DRAWER: return "pdv-cash-symbolic";
    case PDV_AUDIT_PINS: return "dialog-password-symbolic";
    case PDV_AUDIT_OVERRIDES: return "emblem-ok-symbolic";
    case PDV_AUDIT_VOIDS: return "edit-delete-symbolic";
    case PDV_AUDIT_REFUNDS: return "edit-undo-symbolic";
    case PDV_AUDIT_DISCOUNTS: return "pdv-voucher-symbolic";
    case PDV_AUDIT_COUNTS: return "accessories-calculator-symbolic";
    case PDV_AUDIT_GIVEN_UP: return "process-stop-symbolic";
    case PDV_AUDIT_IMPORTS: return "document-open-symbolic";
    case PDV_AUDIT_SETTINGS: return "emblem-system-symbolic";
    case PDV_AUDIT_ALARMS: return "dialog-error-symbolic";
    default: return "dialog-information-symbolic";
    }
}

static GtkWidget *
make_row (PdvAuditWindow *self,
          PdvAuditEvent  *event)
{
  g_autoptr(GTimeZone) zone = pdv_context_dup_event_timezone (self->context);
  g_autofree char *when = pdv_datetime_format_iso8601 (event->created_at, zone, PDV_DATETIME_DAY_TIME);
  g_autoptr(GString) subtitle = g_string_new (when);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (category_icon (event->category));

  if (event->user_name != NULL)
    g_string_append_printf (subtitle, " · %s", event->user_name);
  if (event->authorised_by != NULL)
    /* Translators: in the audit, the manager who allowed it */
    g_string_append_printf (subtitle, _(" · authorised by %s"), event->authorised_by);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->what);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_tooltip_text (icon, pdv_audit_category_label (event->category));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  pdv_audit_category_label (event->category), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
listed_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PdvAuditWindow *self = PDV_AUDIT_WINDOW (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *count = NULL;
  GtkWidget *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  if (events == NULL)
    {
      gtk_label_set_label (self->count_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  for (guint i = 0; i < events->len; i++)
    gtk_list_box_append (self->list, make_row (self, g_ptr_array_index (events, i)));
  count = g_strdup_printf (ngettext ("%u event", "%u events", events->len), events->len);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, events->len > 0 ? "list" : "empty");
  self->events = g_steal_pointer (&events);
}

static void
reload (PdvAuditWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Query *query = g_new0 (Query, 1);
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint person = gtk_drop_down_get_selected (self->user_dropdown);
  guint span = gtk_drop_down_get_selected (self->time_dropdown);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  query->context = g_object_ref (self->context);
  query->categories = kind < G_N_ELEMENTS (categories) ? categories[kind] : 0;
  query->user = person < self->user_ids->len ? g_strdup (g_ptr_array_index (self->user_ids, person)) : NULL;
  if (span < G_N_ELEMENTS (hours) && hours[span] > 0)
    {
      g_autoptr(GDateTime) now = pdv_clock_get_now (pdv_context_get_clock (self->context), NULL);

      query->since = g_date_time_add_hours (now, -(gint) hours[span]);
    }
  self->loading = TRUE;
  task = g_task_new (self, self->cancellable, listed_cb, NULL);
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  g_task_run_in_thread (task, list_thread);
}

static void
filter_changed_cb (PdvAuditWindow *self)
{
  reload (self);
}

/**
 * pdv_audit_window_export:
 *
 * Writes what the window shows.
 */
gboolean
pdv_audit_window_export (PdvAuditWindow  *self,
                         GFile           *file,
                         PdvReportFormat  format,
                         GError         **error)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GPtrArray) none = NULL;
  GPtrArray *events;
  g_autofree char *path = NULL;

  g_return_val_if_fail (PDV_IS_AUDIT_WINDOW (self), FALSE);

  zone = pdv_context_dup_event_timezone (self->context);
  none = g_ptr_array_new ();
  events = self->events != NULL ? self->events : none;
  path = g_file_get_path (file);
  if (format == PDV_REPORT_FORMAT_PDF)
    {
      g_autofree char *event = pdv_db_get_meta (pdv_context_get_db (self->context), "event_name");

      return pdv_audit_write_pdf (events, event, zone, path, error);
    }
  {
    g_autofree char *csv = pdv_audit_to_csv (events, zone, format == PDV_REPORT_FORMAT_CSV_RFC4180
                                                             ? PDV_CSV_RFC4180 : PDV_CSV_SPREADSHEET);

    return g_file_set_contents (path, csv, -1, error);
  }
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    PdvAuditWindow  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pdv-pdf"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL &&
          !pdv_audit_window_export (self, file, pdf ? PDV_REPORT_FORMAT_PDF
                                                    : pdv_report_format_from_choice (GTK_FILE_CHOOSER (dialog)),
                                    &error))
        gtk_label_set_label (self->count_label, error->message);
    }
  g_object_unref (dialog);
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PdvAuditWindow *self = PDV_AUDIT_WINDOW (widget);
  gboolean pdf = g_strcmp0 (g_variant_get_string (parameter, NULL), "pdf") == 0;
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (pdf ? _("Export the Audit as PDF") : _("Export the Audit as CSV"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  /* Translators: the name an exported audit is offered under */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), pdf ? _("audit.pdf") : _("audit.csv"));
  if (!pdf)
    pdv_report_format_add_choice (GTK_FILE_CHOOSER (dialog));
  g_object_set_data (G_OBJECT (dialog), "pdv-pdf", GINT_TO_POINTER (pdf));
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Takes @items. */
static GtkDropDown *
make_dropdown (GtkStringList *items,
               const char    *name)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (items), NULL));

  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (dropdown), name);
  return dropdown;
}

static void
build (PdvAuditWindow *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *filters = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *empty = adw_status_page_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  /* Each taken by its drop-down. */
  GtkStringList *kinds = gtk_string_list_new (NULL);
  GtkStringList *people = gtk_string_list_new (NULL);
  GtkStringList *spans = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) users = pdv_auth_list_users (pdv_context_get_db (self->context), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    gtk_string_list_append (kinds, pdv_audit_category_label (categories[i]));
  gtk_string_list_append (people, _("Everyone"));
  g_ptr_array_add (self->user_ids, NULL);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      PdvUser *user = g_ptr_array_index (users, i);

      gtk_string_list_append (people, user->name);
      g_ptr_array_add (self->user_ids, g_strdup (user->id));
    }
  gtk_string_list_append (spans, _("Last hour"));
  gtk_string_list_append (spans, _("Last 12 hours"));
  gtk_string_list_append (spans, _("Last 24 hours"));
  gtk_string_list_append (spans, _("Everything on this terminal"));

  self->kind_dropdown = make_dropdown (kinds, _("What"));
  self->user_dropdown = make_dropdown (people, _("Who"));
  self->time_dropdown = make_dropdown (spans, _("When"));
  gtk_drop_down_set_selected (self->time_dropdown, 2);
  gtk_box_append (GTK_BOX (filters), GTK_WIDGET (self->kind_dropdown));
  gtk_box_append (GTK_BOX (filters), GTK_WIDGET (self->user_dropdown));
  gtk_box_append (GTK_BOX (filters), GTK_WIDGET (self->time_dropdown));
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (self->count_label), TRUE);
  gtk_label_set_xalign (self->count_label, 1);
  gtk_label_set_wrap (self->count_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_box_append (GTK_BOX (filters), GTK_WIDGET (self->count_label));
  gtk_widget_set_margin_start (filters, 12);
  gtk_widget_set_margin_end (filters, 12);
  gtk_widget_set_margin_top (filters, 12);
  gtk_widget_set_margin_bottom (filters, 6);

  g_menu_append (menu, _("Export as _CSV…"), "audit.export::csv");
  g_menu_append (menu, _("Export as _PDF…"), "audit.export::pdf");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "document-save-symbolic");
  gtk_widget_set_tooltip_text (menu_button, _("Export"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu_button);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_margin_start (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->list), 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->list));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "edit-find-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("Nothing to Show"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty), _("Nothing of this kind happened in this time."));
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, scroller, "list");
  gtk_stack_add_named (self->stack, empty, "empty");

  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_box_append (GTK_BOX (toolbar), filters);
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), toolbar);

  g_signal_connect_swapped (self->kind_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->user_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->time_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
}

static void
pdv_audit_window_dispose (GObject *object)
{
  PdvAuditWindow *self = PDV_AUDIT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->user_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pdv_audit_window_parent_class)->dispose (object);
}

static void
pdv_audit_window_class_init (PdvAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_audit_window_dispose;
  gtk_widget_class_install_action (widget_class, "audit.export", "s", export_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdv_audit_window_init (PdvAuditWindow *self)
{
  self->user_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_window_set_title (GTK_WINDOW (self), _("Audit"));
  gtk_window_set_default_size (GTK_WINDOW (self), 860, 640);
}

/**
 * pdv_audit_window_new:
 * @parent: the terminal's window
 *
 * Opens on the last 24 hours of everything. Whoever opens it must be
 * allowed to read reports (the caller checks).
 */
PdvAuditWindow *
pdv_audit_window_new (GtkWindow  *parent,
                      PdvContext *context)
{
  PdvAuditWindow *self;

  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  self = g_object_new (PDV_TYPE_AUDIT_WINDOW, "transient-for", parent, "modal", TRUE, NULL);
  self->context = g_object_ref (context);
  build (self);
  reload (self);
  return self;
}

gboolean
pdv_audit_window_get_loading (PdvAuditWindow *self)
{
  g_return_val_if_fail (PDV_IS_AUDIT_WINDOW (self), FALSE);
  return self->loading;
}

GPtrArray *
pdv_audit_window_get_events (PdvAuditWindow *self)
{
  g_return_val_if_fail (PDV_IS_AUDIT_WINDOW (self), NULL);
  return self->events;
}

/**
 * pdv_audit_window_set_filter:
 * @categories: one category, or 0 for all
 * @user_id: (nullable): someone's id, or %NULL for everyone
 * @hours: how far back: 1, 12 or 24; 0 for everything
 *
 * Picks the filters as a person would, which reloads the list.
 */
void
pdv_audit_window_set_filter (PdvAuditWindow   *self,
                             PdvAuditCategory  categories_wanted,
                             const char       *user_id,
                             guint             hours_back)
{
  g_return_if_fail (PDV_IS_AUDIT_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (categories[i] == categories_wanted)
      gtk_drop_down_set_selected (self->kind_dropdown, i);
  for (guint i = 0; i < self->user_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->user_ids, i), user_id) == 0)
      gtk_drop_down_set_selected (self->user_dropdown, i);
  for (guint i = 0; i < G_N_ELEMENTS (hours); i++)
    if (hours[i] == hours_back)
      gtk_drop_down_set_selected (self->time_dropdown, i);
  reload (self);
}

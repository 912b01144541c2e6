/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-preferences-window"

/* How long after the last edit of the gate or the tolerance it is kept. */
#define STORE_DELAY_MS 800

#include "config.h"

#include <cups/cups.h>
#include <glib/gi18n.h>

#include "pdv-manager-prompt.h"
#include "pdv-preferences-window.h"
#include "pdv-sync-state.h"

/* The terminal's preferences, a page per concern. Every control is bound to
 * PdvSettings, so a change is stored and takes effect at once; there is no
 * Apply. The printers offered are the print server's, listed in a worker
 * (the CUPS call can take seconds on a slow network) — the one set stays
 * listed even when the server does not offer it, so that a printer that is
 * off today is not lost. Opening the window takes a manager's PIN: see
 * pdv_preferences_window_request(). */
struct _PdvPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  PdvSettings          *settings;
  GCancellable         *cancellable;
  GPtrArray            *printers;      /* destinations; [0] is "" (the default) */
  GtkStringList        *printer_names; /* what the row shows for them */
  gboolean              loading_printers;
  gboolean              updating;

  AdwEntryRow          *terminal_name_row;
  AdwEntryRow          *gate_name_row;
  GtkWidget            *gate_menu_button;
  AdwComboRow          *gate_direction_row;
  AdwComboRow          *gate_stale_row;
  guint                 loaded_stale_choice;
  guint                 loaded_stale_margin;
  AdwPreferencesGroup  *gate_zones_group;
  GPtrArray            *zone_checks;    /* GtkCheckButton, one per zone of the event */
  PdvContext           *context;
  gboolean              loading_gate;
  AdwComboRow          *printer_row;
  AdwComboRow          *paper_row;
  GtkTextView          *header_view;
  GtkTextView          *footer_view;
  AdwPreferencesGroup  *camera_group;
  AdwEntryRow          *camera_row;
  GtkSwitch            *sounds_switch;
  GtkSwitch            *bar_counter_switch;
  AdwEntryRow          *counter_name_row;
  GtkScale             *volume_scale;
  GtkSpinButton        *lock_spin;
  GtkSwitch            *kiosk_switch;
  GtkSpinButton        *tolerance_spin;
  GtkTextView          *servers_view;
  GtkLabel             *servers_error_label;
  AdwActionRow         *pin_row;
  AdwActionRow         *ca_row;
  GtkWidget            *ca_clear_button;
  GtkLabel             *ca_error_label;
  /* The gate and the cash tolerance live in the terminal's database, each
   * change journalled with it: kept a moment after the last edit (not at
   * each key), and at once when the window closes. */
  char                  *user_id;          /* the manager who opened it, for the journal; may be NULL */
  gboolean               gate_pending;
  gboolean               tolerance_pending;
  guint                  store_source;
};

G_DEFINE_FINAL_TYPE (PdvPreferencesWindow, pdv_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* ---- Transforms between the settings and the controls ------------------ */

static gboolean
paper_width_to_selected (GBinding     *binding,
                         const GValue *from_value,
                         GValue       *to_value,
                         gpointer      user_data)
{
  g_value_set_uint (to_value, g_value_get_uint (from_value) == 58 ? 0 : 1);
  return TRUE;
}

static gboolean
selected_to_paper_width (GBinding     *binding,
                         const GValue *from_value,
                         GValue       *to_value,
                         gpointer      user_data)
{
  guint selected = g_value_get_uint (from_value);

  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_uint (to_value, selected == 0 ? 58 : 80);
  return TRUE;
}

static gboolean
seconds_to_minutes (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  g_value_set_double (to_value, (g_value_get_uint (from_value) + 59) / 60);
  return TRUE;
}

static gboolean
minutes_to_seconds (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  g_value_set_uint (to_value, (guint) (g_value_get_double (from_value) + 0.5) * 60);
  return TRUE;
}

/* ---- Lines of text: receipt header and footer, servers ------------------ */

static char *
dup_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The lines typed, without trailing blanks and empty last lines; blank lines
 * between two lines stay, as spacing on the receipt. */
static char **
split_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_strv_length (lines);

  for (guint i = 0; i < n; i++)
    g_strchomp (lines[i]);
  while (n > 0 && *lines[n - 1] == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, lines[i]);
  return g_strv_builder_end (builder);
}

static void
show_lines (PdvPreferencesWindow *self,
            GtkTextView          *view,
            const char           *key)
{
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) shown = NULL;
  g_autofree char *text = NULL;
  g_autofree char *joined = NULL;

  g_object_get (self->settings, key, &lines, NULL);
  text = dup_text (view);
  shown = split_lines (text);
  /* Not while the same lines are being typed: the cursor would jump. */
  if (g_strv_equal ((const char * const *) shown, (const char * const *) lines))
    return;

  joined = g_strjoinv ("\n", lines);
  self->updating = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), joined, -1);
  self->updating = FALSE;
}

static void
store_lines (PdvPreferencesWindow *self,
             GtkTextView          *view,
             const char           *key)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (self->updating)
    return;
  text = dup_text (view);
  lines = split_lines (text);
  g_object_set (self->settings, key, lines, NULL);
}

static void
header_changed_cb (PdvPreferencesWindow *self)
{
  store_lines (self, self->header_view, "receipt-header");
}

static void
footer_changed_cb (PdvPreferencesWindow *self)
{
  store_lines (self, self->footer_view, "receipt-footer");
}

static void
receipt_header_notify_cb (PdvPreferencesWindow *self)
{
  show_lines (self, self->header_view, "receipt-header");
}

static void
receipt_footer_notify_cb (PdvPreferencesWindow *self)
{
  show_lines (self, self->footer_view, "receipt-footer");
}

static gboolean
is_server_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri != NULL &&
         (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 || g_strcmp0 (g_uri_get_scheme (uri), "http") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static void
servers_changed_cb (PdvPreferencesWindow *self)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) urls = NULL;

  if (self->updating)
    return;
  text = dup_text (self->servers_view);
  lines = split_lines (text);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (*line == '\0')
        continue;
      if (!is_server_url (line))
        {
          g_autofree char *message =
            /* Translators: %s is what was typed where a server's address goes */
            g_strdup_printf (_("“%s” is not a server address: it should look like https://sync.example.com:8443"), line);

          /* Half-typed addresses are not stored: the sync would try them. */
          gtk_label_set_label (self->servers_error_label, message);
          gtk_widget_set_visible (GTK_WIDGET (self->servers_error_label), TRUE);
          gtk_widget_add_css_class (GTK_WIDGET (self->servers_view), "error");
          return;
        }
      g_strv_builder_add (builder, line);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->servers_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->servers_view), "error");
  urls = g_strv_builder_end (builder);
  g_object_set (self->settings, "server-urls", urls, NULL);
}

static void
server_urls_notify_cb (PdvPreferencesWindow *self)
{
  g_auto(GStrv) urls = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) shown = NULL;
  g_autofree char *joined = NULL;

  g_object_get (self->settings, "server-urls", &urls, NULL);
  text = dup_text (self->servers_view);
  shown = split_lines (text);
  if (g_strv_equal ((const char * const *) shown, (const char * const *) urls))
    return;
  joined = g_strjoinv ("\n", urls);
  self->updating = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->servers_view), joined, -1);
  self->updating = FALSE;
}

/* ---- The sync server's certificate ---------------------------------------- */

static void
show_trust (PdvPreferencesWindow *self)
{
  g_auto(PdvSyncConfig) config = { 0 };
  g_autofree char *described = NULL;
  g_autofree char *pin = NULL;

  if (!pdv_sync_state_read (pdv_context_get_db (self->context), &config, NULL))
    return;
  if (config.tls_pin != NULL)
    /* Translators: %s is the SHA-256 of the sync server's certificate, in hex */
    pin = g_strdup_printf (_("Only the one with SHA-256 %s, named by the enrolment code"), config.tls_pin);
  adw_action_row_set_subtitle (self->pin_row, pin ? pin : _("None: the certificate authorities below decide"));
  described = pdv_sync_describe_tls_ca (config.tls_ca);
  adw_action_row_set_subtitle (self->ca_row, described ? described : _("The system’s authorities"));
  gtk_widget_set_visible (self->ca_clear_button, config.tls_ca != NULL);
}

static void
show_ca_error (PdvPreferencesWindow *self,
               const char           *message)
{
  gtk_label_set_label (self->ca_error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->ca_error_label), message != NULL);
}

static void
store_ca (PdvPreferencesWindow *self,
          const char           *pem)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *described = pdv_sync_describe_tls_ca (pem);
  PdvDb *db = pdv_context_get_db (self->context);

  if (!pdv_sync_set_tls_ca (db, pem, &error) ||
      !pdv_journal_record_setting (pdv_context_get_journal (self->context), self->user_id, "sync_ca",
                                   described ? described : "system", &error))
    {
      show_ca_error (self, error->message);
      return;
    }
  show_ca_error (self, NULL);
  show_trust (self);
}

/**
 * pdv_preferences_window_set_ca_file:
 * @path: a PEM file, as the file chooser gives it
 *
 * Trusts the certificate authority in @path for the sync server.
 */
void
pdv_preferences_window_set_ca_file (PdvPreferencesWindow *self,
                                    const char           *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;

  g_return_if_fail (PDV_IS_PREFERENCES_WINDOW (self));

  if (!g_file_get_contents (path, &pem, NULL, &error))
    show_ca_error (self, error->message);
  else
    store_ca (self, pem);
}

const char *
pdv_preferences_window_get_ca_text (PdvPreferencesWindow *self,
                                    gboolean              error)
{
  g_return_val_if_fail (PDV_IS_PREFERENCES_WINDOW (self), NULL);
  if (error)
    return gtk_widget_get_visible (GTK_WIDGET (self->ca_error_label)) ? gtk_label_get_label (self->ca_error_label)
                                                                       : NULL;
  return adw_action_row_get_subtitle (self->ca_row);
}

static void
ca_chosen_cb (GtkNativeDialog      *dialog,
              int                   response,
              PdvPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        pdv_preferences_window_set_ca_file (self, path);
    }
  g_object_unref (dialog);
}

static void
ca_choose_clicked_cb (PdvPreferencesWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose the Certificate Authority"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Trust"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.cer");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (ca_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
ca_clear_clicked_cb (PdvPreferencesWindow *self)
{
  store_ca (self, NULL);
}

/* ---- Printers ------------------------------------------------------------ */

static const char *
printer_label (const char *destination)
{
  return *destination == '\0' ? _("Default Printer") : destination;
}

static guint
find_printer (PdvPreferencesWindow *self,
              const char           *destination)
{
  for (guint i = 0; i < self->printers->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->printers, i), destination) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
add_printer (PdvPreferencesWindow *self,
             const char           *destination)
{
  if (find_printer (self, destination) != GTK_INVALID_LIST_POSITION)
    return;
  g_ptr_array_add (self->printers, g_strdup (destination));
  gtk_string_list_append (self->printer_names, printer_label (destination));
}

static void
update_printer_subtitle (PdvPreferencesWindow *self)
{
  const char *environment = g_getenv ("PDV_PRINTER");
  g_autofree char *subtitle = NULL;

  if (environment != NULL && *environment != '\0')
    /* Translators: %s is a printer's name */
    subtitle = g_strdup_printf (_("PDV_PRINTER is set: receipts go to %s"), environment);
  else if (self->loading_printers)
    subtitle = g_strdup (_("Looking for printers…"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->printer_row), subtitle != NULL ? subtitle : "");
}

static void
show_printer (PdvPreferencesWindow *self)
{
  g_autofree char *printer = pdv_settings_dup_printer (self->settings);
  guint position;

  add_printer (self, printer);
  position = find_printer (self, printer);
  self->updating = TRUE;
  adw_combo_row_set_selected (self->printer_row, position);
  self->updating = FALSE;
}

static void
printer_selected_cb (PdvPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->printer_row);

  if (self->updating || selected >= self->printers->len)
    return;
  g_object_set (self->settings, "printer", g_ptr_array_index (self->printers, selected), NULL);
}

static void
list_printers_in_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  cups_dest_t *dests = NULL;
  int n_dests = cupsGetDests2 (CUPS_HTTP_DEFAULT, &dests);

  for (int i = 0; i < n_dests; i++)
    if (dests[i].instance == NULL)
      g_ptr_array_add (names, g_strdup (dests[i].name));
  cupsFreeDests (n_dests, dests);
  g_task_return_pointer (task, g_steal_pointer (&names), (GDestroyNotify) g_ptr_array_unref);
}

static void
printers_listed_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GPtrArray) names = g_task_propagate_pointer (G_TASK (result), NULL);
  PdvPreferencesWindow *self;

  if (g_task_had_error (G_TASK (result)) || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self = PDV_PREFERENCES_WINDOW (source_object);
  self->loading_printers = FALSE;
  for (guint i = 0; names != NULL && i < names->len; i++)
    add_printer (self, g_ptr_array_index (names, i));
  show_printer (self);
  update_printer_subtitle (self);
}

/* ---- Camera ------------------------------------------------------------- */

static void
update_camera_description (PdvPreferencesWindow *self)
{
  const char *environment = g_getenv ("PDV_CAMERA");
  g_autofree char *description = NULL;

  if (environment != NULL && *environment != '\0')
    /* Translators: %s is a video device or a GStreamer pipeline */
    description = g_strdup_printf (_("PDV_CAMERA is set: the door reads from %s"), environment);
  else
    description = g_strdup (_("A video device such as /dev/video2. Leave it empty to use the first camera found."));
  adw_preferences_group_set_description (self->camera_group, description);
}

/* ---- GObject ------------------------------------------------------------ */

/* ---- The gate (kept in the terminal's database, not in GSettings) ------- */

static void
store_gate (PdvPreferencesWindow *self)
{
  g_auto(PdvGateProfile) profile = { 0 };
  g_autoptr(GStrvBuilder) zones = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->gate_name_row));
  guint n_zones = 0;

  profile.gate = *name != '\0' ? g_strdup (name) : NULL;
  for (guint i = 0; i < self->zone_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->zone_checks, i);

      if (gtk_check_button_get_active (check))
        {
          g_strv_builder_add (zones, g_object_get_data (G_OBJECT (check), "pdv-zone"));
          n_zones++;
        }
    }
  profile.zones = n_zones > 0 ? g_strv_builder_end (zones) : NULL;
  profile.direction = adw_combo_row_get_selected (self->gate_direction_row) == 1 ? PDV_CHECKIN_EXIT
                                                                                : PDV_CHECKIN_ENTRY;
  switch (adw_combo_row_get_selected (self->gate_stale_row))
    {
    case 2:
      profile.stale_capacity = PDV_STALE_WARN_ONLY;
      profile.stale_margin = PDV_STALE_MARGIN_DEFAULT;
      break;
    case 1:
      profile.stale_capacity = PDV_STALE_REFUSE_EARLY;
      profile.stale_margin = 10;
      break;
    case 0:
    default:
      profile.stale_capacity = PDV_STALE_REFUSE_EARLY;
      profile.stale_margin = 5;
      break;
    }
  /* A margin pdvctl set stays as it is until this choice changes. */
  if (adw_combo_row_get_selected (self->gate_stale_row) == self->loaded_stale_choice)
    profile.stale_margin = self->loaded_stale_margin;
  described = pdv_gate_profile_describe (&profile);
  if (!pdv_gate_profile_save (pdv_context_get_db (self->context), &profile, &error) ||
      !pdv_journal_record_setting (pdv_context_get_journal (self->context), self->user_id, "gate", described,
                                   &error))
    {
      g_warning ("Could not keep the gate: %s", error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
    }
}

static void
store_tolerance (PdvPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  PdvMoney tolerance = (PdvMoney) (gtk_spin_button_get_value (self->tolerance_spin) * 100 + 0.5);
  g_autofree char *shown = pdv_money_format (tolerance);

  if (tolerance == pdv_shift_get_tolerance (pdv_context_get_db (self->context)))
    return;
  if (!pdv_shift_set_tolerance (pdv_context_get_db (self->context), tolerance, &error) ||
      !pdv_journal_record_setting (pdv_context_get_journal (self->context), self->user_id, "cash_tolerance", shown,
                                   &error))
    {
      g_warning ("Could not keep the cash tolerance: %s", error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
    }
}

/* What was edited goes to the database with its journal entry. */
static void
store_pending (PdvPreferencesWindow *self)
{
  g_clear_handle_id (&self->store_source, g_source_remove);
  if (self->context == NULL)
    return;
  if (self->gate_pending)
    store_gate (self);
  if (self->tolerance_pending)
    store_tolerance (self);
  self->gate_pending = self->tolerance_pending = FALSE;
}

static gboolean
store_timeout_cb (gpointer user_data)
{
  PdvPreferencesWindow *self = user_data;

  self->store_source = 0;
  store_pending (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_store (PdvPreferencesWindow *self)
{
  g_clear_handle_id (&self->store_source, g_source_remove);
  self->store_source = g_timeout_add (STORE_DELAY_MS, store_timeout_cb, self);
}

static void
save_gate (PdvPreferencesWindow *self)
{
  if (self->loading_gate)
    return;
  self->gate_pending = TRUE;
  schedule_store (self);
}

static void
tolerance_changed_cb (PdvPreferencesWindow *self)
{
  self->tolerance_pending = TRUE;
  schedule_store (self);
}

static void
gate_picked_cb (PdvPreferencesWindow *self,
                GtkWidget            *item)
{
  gtk_editable_set_text (GTK_EDITABLE (self->gate_name_row), g_object_get_data (G_OBJECT (item), "pdv-gate"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->gate_menu_button));
}

static void
load_gate (PdvPreferencesWindow *self)
{
  g_auto(PdvGateProfile) profile = { 0 };
  g_autoptr(json_t) event = pdv_context_dup_event (self->context);
  g_autofree char *terminal = pdv_context_dup_terminal_name (self->context);
  json_t *zones = json_object_get (event, "zones");
  json_t *zone;
  gsize i;

  self->loading_gate = TRUE;
  pdv_gate_profile_load (pdv_context_get_db (self->context), &profile);
  gtk_editable_set_text (GTK_EDITABLE (self->gate_name_row), profile.gate ? profile.gate : "");
  if (terminal != NULL)
    {
      /* Translators: %s is the terminal's name, the gate's when none is set */
      g_autofree char *hint = g_strdup_printf (_("Gate Name (empty: “%s”)"), terminal);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->gate_name_row), hint);
    }
  adw_combo_row_set_selected (self->gate_direction_row, profile.direction == PDV_CHECKIN_EXIT ? 1 : 0);
  /* A margin set through pdvctl shows as the nearest choice. */
  self->loaded_stale_choice = profile.stale_capacity == PDV_STALE_WARN_ONLY ? 2 : profile.stale_margin >= 8 ? 1 : 0;
  self->loaded_stale_margin = profile.stale_margin;
  adw_combo_row_set_selected (self->gate_stale_row, self->loaded_stale_choice);

  /* The event's own gates, to pick from rather than type. */
  {
    json_t *gates = json_object_get (event, "gates");
    json_t *gate;
    gsize g;

    if (json_array_size (gates) > 0)
      {
        GtkWidget *button = gtk_menu_button_new ();
        GtkWidget *popover = gtk_popover_new ();
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

        gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-symbolic");
        gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (button, "flat");
        gtk_widget_set_tooltip_text (button, _("The event’s gates"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("The event’s gates"), -1);
        json_array_foreach (gates, g, gate)
          if (json_is_string (gate))
            {
              GtkWidget *item = gtk_button_new_with_label (json_string_value (gate));

              gtk_widget_add_css_class (item, "flat");
              g_object_set_data_full (G_OBJECT (item), "pdv-gate", g_strdup (json_string_value (gate)), g_free);
              g_signal_connect_swapped (item, "clicked", G_CALLBACK (gate_picked_cb), self);
              gtk_box_append (GTK_BOX (box), item);
            }
        gtk_popover_set_child (GTK_POPOVER (popover), box);
        gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
        adw_entry_row_add_suffix (self->gate_name_row, button);
        self->gate_menu_button = button;
      }
  }

  /* One row per zone the event names; a zone only the gate still lists
   * (the event changed) shows too, so it can be unticked. */
  self->zone_checks = g_ptr_array_new ();
  json_array_foreach (zones, i, zone)
    if (json_is_string (zone))
      {
        GtkWidget *row = adw_action_row_new ();
        GtkWidget *check = gtk_check_button_new ();
        const char *name = json_string_value (zone);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
        gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                     profile.zones != NULL && g_strv_contains ((const char * const *) profile.zones, name));
        g_object_set_data_full (G_OBJECT (check), "pdv-zone", g_strdup (name), g_free);
        gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
        adw_preferences_group_add (self->gate_zones_group, row);
        g_ptr_array_add (self->zone_checks, check);
        g_signal_connect_swapped (check, "toggled", G_CALLBACK (save_gate), self);
      }
  gtk_widget_set_visible (GTK_WIDGET (self->gate_zones_group), self->zone_checks->len > 0);
  g_signal_connect_swapped (self->gate_name_row, "changed", G_CALLBACK (save_gate), self);
  g_signal_connect_swapped (self->gate_direction_row, "notify::selected", G_CALLBACK (save_gate), self);
  g_signal_connect_swapped (self->gate_stale_row, "notify::selected", G_CALLBACK (save_gate), self);
  self->loading_gate = FALSE;
}

static void
bind_settings (PdvPreferencesWindow *self)
{
  GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  g_object_bind_property (self->settings, "terminal-name", self->terminal_name_row, "text", flags);
  g_object_bind_property_full (self->settings, "paper-width", self->paper_row, "selected", flags,
                               paper_width_to_selected, selected_to_paper_width, NULL, NULL);
  g_object_bind_property (self->settings, "camera-device", self->camera_row, "text", flags);
  g_object_bind_property (self->settings, "sounds-enabled", self->sounds_switch, "active", flags);
  g_object_bind_property (self->settings, "bar-counter", self->bar_counter_switch, "active", flags);
  g_object_bind_property (self->settings, "counter-name", self->counter_name_row, "text", flags);
  g_object_bind_property (self->settings, "bar-counter", self->counter_name_row, "sensitive", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "sound-volume",
                          gtk_range_get_adjustment (GTK_RANGE (self->volume_scale)), "value", flags);
  g_object_bind_property_full (self->settings, "lock-timeout",
                               gtk_spin_button_get_adjustment (self->lock_spin), "value", flags,
                               seconds_to_minutes, minutes_to_seconds, NULL, NULL);
  g_object_bind_property (self->settings, "kiosk-mode", self->kiosk_switch, "active", flags);
  /* The database's, as closing counts read it. */
  gtk_spin_button_set_value (self->tolerance_spin, pdv_shift_get_tolerance (pdv_context_get_db (self->context)) / 100.0);
  g_signal_connect_object (self->tolerance_spin, "value-changed", G_CALLBACK (tolerance_changed_cb), self,
                           G_CONNECT_SWAPPED);

  show_lines (self, self->header_view, "receipt-header");
  show_lines (self, self->footer_view, "receipt-footer");
  server_urls_notify_cb (self);
  show_trust (self);
  show_printer (self);

  g_signal_connect_object (self->settings, "notify::receipt-header",
                           G_CALLBACK (receipt_header_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::receipt-footer",
                           G_CALLBACK (receipt_footer_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::server-urls",
                           G_CALLBACK (server_urls_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::printer",
                           G_CALLBACK (show_printer), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->header_view), "changed",
                           G_CALLBACK (header_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->footer_view), "changed",
                           G_CALLBACK (footer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->servers_view), "changed",
                           G_CALLBACK (servers_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->printer_row, "notify::selected",
                           G_CALLBACK (printer_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
pdv_preferences_window_dispose (GObject *object)
{
  PdvPreferencesWindow *self = PDV_PREFERENCES_WINDOW (object);

  store_pending (self);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDV_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->printer_names);
  g_clear_pointer (&self->printers, g_ptr_array_unref);
  g_clear_pointer (&self->zone_checks, g_ptr_array_unref);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pdv_preferences_window_parent_class)->dispose (object);
}

static void
pdv_preferences_window_class_init (PdvPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdv_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/br/com/pdv/Terminal/preferences/pdv-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, terminal_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, printer_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, paper_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, header_view);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, footer_view);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, camera_group);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, camera_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, sounds_switch);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, bar_counter_switch);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, counter_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, volume_scale);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, lock_spin);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, kiosk_switch);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, tolerance_spin);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, servers_view);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, servers_error_label);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, pin_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, ca_error_label);
  gtk_widget_class_bind_template_callback (widget_class, ca_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_clear_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, gate_name_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, gate_direction_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, gate_stale_row);
  gtk_widget_class_bind_template_child (widget_class, PdvPreferencesWindow, gate_zones_group);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pdv_preferences_window_init (PdvPreferencesWindow *self)
{
  GObject *search_button;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* libadwaita 1.2 gives its search button a tooltip but no name for
   * screen readers. */
  search_button = gtk_widget_get_template_child (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW, "search_button");
  if (GTK_IS_WIDGET (search_button))
    gtk_accessible_update_property (GTK_ACCESSIBLE (search_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search Preferences"),
                                    -1);

  self->cancellable = g_cancellable_new ();
  self->printers = g_ptr_array_new_with_free_func (g_free);
  self->printer_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->printer_row, G_LIST_MODEL (self->printer_names));
  add_printer (self, "");
  update_camera_description (self);
}

/**
 * pdv_preferences_window_new:
 *
 * The preferences, with no PIN asked: see pdv_preferences_window_request().
 */
PdvPreferencesWindow *
pdv_preferences_window_new (GtkWindow   *parent,
                            PdvSettings *settings,
                            PdvContext  *context)
{
  PdvPreferencesWindow *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PDV_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  self = g_object_new (PDV_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  self->context = g_object_ref (context);
  bind_settings (self);
  load_gate (self);

  self->loading_printers = TRUE;
  update_printer_subtitle (self);
  task = g_task_new (self, self->cancellable, printers_listed_cb, NULL);
  g_task_set_source_tag (task, pdv_preferences_window_new);
  g_task_run_in_thread (task, list_printers_in_thread);
  return self;
}

static void
preferences_authorised_cb (PdvManagerPrompt *prompt,
                           PdvUser          *manager,
                           PdvSettings      *settings)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (prompt));
  PdvContext *context = g_object_get_data (G_OBJECT (prompt), "pdv-context");

  PdvPreferencesWindow *window = pdv_preferences_window_new (parent, settings, context);

  g_message ("Preferences opened by %s", manager->id);
  window->user_id = g_strdup (manager->id);
  gtk_window_present (GTK_WINDOW (window));
}

/**
 * pdv_preferences_window_request:
 * @parent: the terminal's window
 * @context: the terminal, whose managers and admins may open them
 *
 * Asks for a manager's or admin's PIN, then opens the preferences.
 *
 * Returns: (transfer none): the PIN prompt, already presented
 */
GtkWindow *
pdv_preferences_window_request (GtkWindow   *parent,
                                PdvSettings *settings,
                                PdvContext  *context)
{
  PdvManagerPrompt *prompt;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PDV_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (PDV_IS_CONTEXT (context), NULL);

  prompt = pdv_manager_prompt_new (parent, context, PDV_PERMISSION_SETTINGS, _("Preferences"),
                                   _("A manager’s PIN is needed to change the terminal’s preferences."));
  pdv_manager_prompt_set_record_override (prompt, TRUE);
  g_object_set_data_full (G_OBJECT (prompt), "pdv-context", g_object_ref (context), g_object_unref);
  g_signal_connect_data (prompt, "authorised", G_CALLBACK (preferences_authorised_cb),
                         g_object_ref (settings), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (prompt));
  return GTK_WINDOW (prompt);
}

PdvSettings *
pdv_preferences_window_get_settings (PdvPreferencesWindow *self)
{
  g_return_val_if_fail (PDV_IS_PREFERENCES_WINDOW (self), NULL);
  return self->settings;
}

/**
 * pdv_preferences_window_get_loading_printers:
 *
 * Returns: whether the print server is still being asked for its printers
 */
gboolean
pdv_preferences_window_get_loading_printers (PdvPreferencesWindow *self)
{
  g_return_val_if_fail (PDV_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->loading_printers;
}

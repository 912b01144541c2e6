/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <string.h>

#include "pdv-application.h"
#include "pdv-checkin-page-private.h"
#include "pdv-core.h"
#include "pdv-manager-prompt.h"
#include "pdv-preferences-window.h"
#include "pdv-ui-test-util.h"
#include "pdv-window-private.h"

/* The terminal's settings, the preferences window that changes them (behind
 * a manager's PIN), what each setting changes at once in the window, and
 * kiosk mode. Settings live in the memory backend, reset before each test. */

static PdvApplication *application;

typedef struct {
  char       *tmp_dir;
  PdvContext *context;
  PdvWindow  *window;
  PdvSettings *settings;
} Fixture;

static void
reset_settings (void)
{
  GSettings *settings = pdv_settings_get_gsettings (pdv_application_get_settings (application));
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = pdv_window_new (GTK_APPLICATION (application), fixture->context);
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (fixture->window));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  reset_settings ();
  fixture->settings = pdv_application_get_settings (application);

  fixture->tmp_dir = pdv_test_make_tmpdir ();
  fixture->context = pdv_test_open_terminal (fixture->tmp_dir, TRUE);

  if (g_strcmp0 (user_data, "kiosk") == 0)
    pdv_settings_set_kiosk_mode (fixture->settings, TRUE);
  open_window (fixture);
}

static void
destroy_other_windows (Fixture *fixture)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      GtkWindow *toplevel = g_list_model_get_item (toplevels, i - 1);

      /* Not holding it, or it could not go. */
      g_object_unref (toplevel);
      /* What a test opened, not what the window keeps (its shortcuts window). */
      if (PDV_IS_MANAGER_PROMPT (toplevel) || PDV_IS_PREFERENCES_WINDOW (toplevel))
        pdv_ui_test_destroy_window (toplevel);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  destroy_other_windows (fixture);
  if (fixture->window != NULL)
    pdv_ui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_assert_null (fixture->window);
  g_assert_finalize_object (fixture->context);
  reset_settings ();

  pdv_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

/* ---- PdvSettings ----------------------------------------------------------- */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static gboolean
in_range (GSettings  *settings,
          const char *key,
          GVariant   *value)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);

  g_object_get (settings, "settings-schema", &schema, NULL);
  schema_key = g_settings_schema_get_key (schema, key);
  return g_settings_schema_key_range_check (schema_key, owned);
}

static void
test_settings_properties (Fixture       *fixture,
                          gconstpointer  user_data)
{
  PdvSettings *settings = fixture->settings;
  GSettings *gsettings = pdv_settings_get_gsettings (settings);
  const char *header[] = { "Bar do Festival LTDA", "CNPJ 12.345.678/0001-90", NULL };
  g_auto(GStrv) lines = NULL;
  g_autofree char *printer = NULL;
  guint notified = 0;

  /* The schema's defaults. */
  g_assert_cmpuint (pdv_settings_get_paper_width (settings), ==, 80);
  g_assert_true (pdv_settings_get_sounds_enabled (settings));
  g_assert_cmpfloat (pdv_settings_get_sound_volume (settings), ==, 1.0);
  /* Two minutes without use and the terminal locks. */
  g_assert_cmpuint (pdv_settings_get_lock_timeout (settings), ==, 120);
  g_assert_false (pdv_settings_get_kiosk_mode (settings));

  /* A change made under it (another process, dconf-editor) is notified. */
  g_signal_connect (settings, "notify::paper-width", G_CALLBACK (count_notify_cb), &notified);
  g_settings_set_enum (gsettings, "paper-width", 58);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (pdv_settings_get_paper_width (settings), ==, 58);

  /* And a property set is stored; setting the same value again is not a change. */
  g_object_set (settings, "paper-width", 80, NULL);
  g_assert_cmpint (g_settings_get_enum (gsettings, "paper-width"), ==, 80);
  g_assert_cmpuint (notified, ==, 2);
  g_object_set (settings, "paper-width", 80, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_signal_handlers_disconnect_by_func (settings, count_notify_cb, &notified);

  g_object_set (settings, "receipt-header", header, "printer", "Termica-Bar", NULL);
  lines = g_settings_get_strv (gsettings, "receipt-header");
  g_assert_cmpstrv (lines, header);
  printer = g_settings_get_string (gsettings, "printer");
  g_assert_cmpstr (printer, ==, "Termica-Bar");

  /* The schema's ranges hold. */
  g_assert_false (in_range (gsettings, "sound-volume", g_variant_new_double (1.5)));
  g_assert_true (in_range (gsettings, "sound-volume", g_variant_new_double (0.5)));
  g_assert_false (in_range (gsettings, "lock-timeout", g_variant_new_uint32 (86401)));
  g_assert_false (in_range (gsettings, "paper-width", g_variant_new_string ("70mm")));
  g_assert_true (in_range (gsettings, "paper-width", g_variant_new_string ("58mm")));
}

/* ---- The application's icon and accelerators --------------------------------- */

static void
test_application_icon (Fixture       *fixture,
                       gconstpointer  user_data)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (fixture->window)));
  g_autoptr(GtkIconPaintable) icon = NULL;

  /* From the resources, so About shows it also when not installed. */
  g_assert_true (gtk_icon_theme_has_icon (theme, PDV_APP_ID));
  icon = gtk_icon_theme_lookup_icon (theme, PDV_APP_ID, NULL, 128, 1, GTK_TEXT_DIR_NONE, 0);
  g_assert_nonnull (icon);
  g_assert_true (g_str_has_suffix (gtk_icon_paintable_get_icon_name (icon), PDV_APP_ID));
}

/* ---- Opening the preferences ------------------------------------------------ */

static void
test_preferences_need_a_manager (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application), "app.preferences");
  PdvManagerPrompt *prompt;
  GtkWindow *preferences;

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>comma"));

  g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  pdv_ui_test_settle ();
  prompt = PDV_MANAGER_PROMPT (pdv_ui_test_find_toplevel (PDV_TYPE_MANAGER_PROMPT));
  pdv_ui_test_wait_for_dialog (GTK_WINDOW (prompt), GTK_WINDOW (fixture->window));
  pdv_ui_test_save_screenshot (GTK_WIDGET (prompt), "preferences-pin");

  /* A cashier's PIN does not open them, and says so. */
  g_assert_false (pdv_ui_test_submit_manager_pin (prompt, "1111"));
  g_assert_nonnull (pdv_manager_prompt_get_error_text (prompt));
  g_assert_null (pdv_ui_test_find_toplevel (PDV_TYPE_PREFERENCES_WINDOW));
  /* Nor a PIN nobody has. */
  g_assert_false (pdv_ui_test_submit_manager_pin (prompt, "31337"));
  g_assert_null (pdv_ui_test_find_toplevel (PDV_TYPE_PREFERENCES_WINDOW));

  /* A manager's does. */
  g_assert_true (pdv_ui_test_submit_manager_pin (prompt, "9090"));
  preferences = pdv_ui_test_find_toplevel (PDV_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_null (pdv_ui_test_find_toplevel (PDV_TYPE_MANAGER_PROMPT));
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (fixture->window));
  pdv_ui_test_destroy_window (preferences);

  /* Every time, and an admin's PIN counts too. */
  prompt = PDV_MANAGER_PROMPT (pdv_preferences_window_request (GTK_WINDOW (fixture->window), fixture->settings, fixture->context));
  g_assert_true (pdv_ui_test_submit_manager_pin (prompt, "0000"));
  g_assert_nonnull (pdv_ui_test_find_toplevel (PDV_TYPE_PREFERENCES_WINDOW));
}

static void
test_preferences_cancel (Fixture       *fixture,
                         gconstpointer  user_data)
{
  GtkWindow *prompt;

  prompt = pdv_preferences_window_request (GTK_WINDOW (fixture->window), fixture->settings, fixture->context);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prompt), "window.close", NULL));
  pdv_ui_test_settle ();
  g_assert_null (pdv_ui_test_find_toplevel (PDV_TYPE_MANAGER_PROMPT));
  g_assert_null (pdv_ui_test_find_toplevel (PDV_TYPE_PREFERENCES_WINDOW));
}

/* ---- The preferences window ------------------------------------------------- */

static void
set_text (GtkTextView *view,
          const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

/* The door's gate, set in the preferences: kept on the terminal, and the
 * check-in page scans as that gate the next time it shows. */
/* The first descendant of @widget of @type (with @label, for a button). */
static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *label)
{
  if (widget == NULL)
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (label == NULL || (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_check_for (GtkWidget  *widget,
                const char *zone)
{
  if (GTK_IS_CHECK_BUTTON (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "pdv-zone"), zone) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_check_for (child, zone);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_preferences_gate (Fixture       *fixture,
                       gconstpointer  user_data)
{
  PdvPreferencesWindow *window = pdv_preferences_window_new (GTK_WINDOW (fixture->window), fixture->settings,
                                                             fixture->context);
  GType type = PDV_TYPE_PREFERENCES_WINDOW;
  g_auto(PdvGateProfile) profile = { 0 };
  GtkWidget *zones_group;
  GtkWidget *vip_check = NULL;
  PdvCheckinPage *page;
  g_autoptr(GDateTime) night = g_date_time_new_from_iso8601 ("2026-12-12T22:00:00-03:00", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvCheckinResult) general = NULL;
  g_autoptr(PdvCheckinResult) vip = NULL;
  gint64 seq_before = pdv_journal_get_last_seq (pdv_context_get_journal (fixture->context));

  gtk_window_present (GTK_WINDOW (window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "door");

  /* The gate is picked from the event's list of gates. */
  {
    GtkWidget *row = template_child (window, type, "gate_name_row");
    GtkWidget *menu = find_descendant (row, GTK_TYPE_MENU_BUTTON, NULL);
    GtkWidget *item;

    g_assert_nonnull (menu);
    gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
    pdv_ui_test_settle ();
    item = find_descendant (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu))), GTK_TYPE_BUTTON,
                            "Portão VIP");
    g_assert_nonnull (item);
    g_assert_nonnull (find_descendant (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu))),
                                       GTK_TYPE_BUTTON, "Portão 1"));
    pdv_ui_test_save_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu))),
                                 "preferences-door-gate-list");
    g_signal_emit_by_name (item, "clicked");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Portão VIP");
  }
  adw_combo_row_set_selected (template_child (window, type, "gate_direction_row"), 0);
  zones_group = template_child (window, type, "gate_zones_group");
  g_assert_true (gtk_widget_get_visible (zones_group));
  vip_check = find_check_for (zones_group, "vip");
  g_assert_nonnull (vip_check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (vip_check), TRUE);
  pdv_ui_test_settle ();
  pdv_ui_test_save_screenshot (GTK_WIDGET (window), "preferences-door-gate");

  /* Kept with its journal entry a moment after the last edit, or as the
   * window closes: never in the database without it. */
  gtk_window_destroy (GTK_WINDOW (window));
  pdv_gate_profile_load (pdv_context_get_db (fixture->context), &profile);
  g_assert_cmpstr (profile.gate, ==, "Portão VIP");
  g_assert_nonnull (profile.zones);
  g_assert_cmpstr (profile.zones[0], ==, "vip");
  g_assert_null (profile.zones[1]);
  g_assert_true (pdv_seal_verify (pdv_context_get_journal (fixture->context), NULL, &error));
  g_assert_no_error (error);
  /* The gate as it stood, journalled for the audit after a pause in the
   * editing (at most once per edit: here the name, then the zone), not at
   * each key. */
  {
    g_autoptr(PdvJournalEntry) entry = pdv_test_journal_last_entry (pdv_context_get_journal (fixture->context));
    g_autoptr(GPtrArray) entries = pdv_journal_list (pdv_context_get_journal (fixture->context), seq_before, 0,
                                                     &error);
    guint gate_entries = 0;

    g_assert_no_error (error);
    g_assert_cmpstr (entry->kind, ==, "settings.change");
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "setting")), ==, "gate");
    g_assert_true (g_str_has_prefix (json_string_value (json_object_get (entry->payload, "value")), "Portão VIP · vip"));
    for (guint i = 0; i < entries->len; i++)
      if (g_strcmp0 (json_string_value (json_object_get (((PdvJournalEntry *) g_ptr_array_index (entries, i))->payload,
                                                         "setting")), "gate") == 0)
        gate_entries++;
    g_assert_cmpuint (gate_entries, >=, 1);
    g_assert_cmpuint (gate_entries, <=, 2);
  }

  /* The door scans as the VIP gate once it shows again. */
  g_assert_true (pdv_window_show_page (fixture->window, "sell"));
  g_assert_true (pdv_window_show_page (fixture->window, "checkin"));
  pdv_ui_test_settle ();
  page = PDV_CHECKIN_PAGE (pdv_window_get_page (fixture->window, "checkin"));
  pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "door-vip-gate");
  pdv_test_set_door_time (pdv_checkin_page_get_checkin (page), night);
  general = pdv_checkin_validate (pdv_checkin_page_get_checkin (page), "aWdDF80JXBHWJAtcRgE9Gg", -1,
                                  PDV_SCAN_CAMERA, &error);
  g_assert_no_error (error);
  g_assert_cmpint (general->verdict, ==, PDV_CHECKIN_WRONG_ZONE);
  vip = pdv_checkin_validate (pdv_checkin_page_get_checkin (page), "huywXXFbkmSPxXCW3I1JUw", -1, PDV_SCAN_CAMERA,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (vip->verdict, ==, PDV_CHECKIN_VALID);
}

/* The sync server's certificate: the one an enrolment code named, and an
 * event's own authority chosen from a file; a file that holds no
 * certificate is refused with the reason, and the change is journalled. */
static void
test_preferences_certificate (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *dir = pdv_test_make_tmpdir ();
  g_autofree char *ca = g_build_filename (dir, "festival-ca.pem", NULL);
  g_autofree char *ca_key = g_build_filename (dir, "festival-ca.key", NULL);
  g_autofree char *not_pem = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  const char *make_ca[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
                            "/CN=Festival Noite de Verao CA", "-keyout", ca_key, "-out", ca, NULL };
  PdvDb *db = pdv_context_get_db (fixture->context);
  PdvPreferencesWindow *window;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  int wait_status = 0;

  /* openssl comes with Debian's ca-certificates. */
  g_assert_nonnull (openssl);
  g_spawn_sync (NULL, (char **) make_ca, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                NULL, NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_file_set_contents (not_pem, "the wifi password is on the fridge\n", -1, &error);
  g_assert_no_error (error);
  /* As an enrolment over HTTPS leaves it. */
  g_assert_true (pdv_sync_state_set_tls_pin (db, "0da22371818173dbd84e11bb0c9ab5a95ed0aae6fec78bc3629fd7d2b226e072",
                                             &error));

  window = pdv_preferences_window_new (GTK_WINDOW (fixture->window), fixture->settings, fixture->context);
  gtk_window_present (GTK_WINDOW (window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "sync");
  g_assert_cmpstr (pdv_preferences_window_get_ca_text (window, FALSE), ==, "The system’s authorities");

  pdv_preferences_window_set_ca_file (window, not_pem);
  g_assert_nonnull (pdv_preferences_window_get_ca_text (window, TRUE));
  g_assert_nonnull (strstr (pdv_preferences_window_get_ca_text (window, TRUE), "PEM"));
  g_assert_null (pdv_sync_dup_tls_ca (db));

  pdv_preferences_window_set_ca_file (window, ca);
  g_assert_null (pdv_preferences_window_get_ca_text (window, TRUE));
  g_assert_nonnull (strstr (pdv_preferences_window_get_ca_text (window, FALSE), "Festival Noite de Verao CA"));
  stored = pdv_sync_dup_tls_ca (db);
  g_assert_nonnull (stored);
  g_assert_true (g_str_has_prefix (stored, "-----BEGIN CERTIFICATE-----"));
  {
    g_autoptr(PdvJournalEntry) entry = pdv_test_journal_last_entry (pdv_context_get_journal (fixture->context));

    g_assert_cmpstr (entry->kind, ==, PDV_ENTRY_SETTINGS_CHANGE);
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "setting")), ==, "sync_ca");
  }
  pdv_ui_test_save_screenshot (GTK_WIDGET (window), "preferences-sync-certificate");

  pdv_ui_test_destroy_window (GTK_WINDOW (window));
  pdv_test_remove_tree (dir);
}

static void
test_preferences_controls (Fixture       *fixture,
                           gconstpointer  user_data)
{
  PdvSettings *settings = fixture->settings;
  PdvPreferencesWindow *window = pdv_preferences_window_new (GTK_WINDOW (fixture->window), settings, fixture->context);
  GType type = PDV_TYPE_PREFERENCES_WINDOW;
  const char *expected_header[] = { "Bar do Festival", "", "CNPJ 12.345.678/0001-90", NULL };
  const char *expected_servers[] = { "https://sync1.example.com:8443", "https://sync2.example.com", NULL };
  g_auto(GStrv) header = NULL;
  g_auto(GStrv) servers = NULL;
  g_autofree char *name = NULL;
  GtkLabel *servers_error;

  gtk_window_present (GTK_WINDOW (window));
  pdv_ui_test_wait_for_window (GTK_WIDGET (window));
  /* The print server the tests point at does not exist: the list is just
   * the default, soon. */
  pdv_ui_test_wait_until (!pdv_preferences_window_get_loading_printers (window), 20);

  static const char * const pages[] = { "terminal", "printing", "door", "security", "sync" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *shot = g_strconcat ("preferences-", pages[i], NULL);

      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), pages[i]);
      pdv_ui_test_save_screenshot (GTK_WIDGET (window), shot);
    }

  /* A bar counter's name: the row follows the switch and the setting. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "door");
  g_object_set (settings, "bar-counter", FALSE, NULL);
  g_assert_false (gtk_widget_get_sensitive (template_child (window, type, "counter_name_row")));
  g_object_set (settings, "bar-counter", TRUE, NULL);
  g_assert_true (gtk_widget_get_sensitive (template_child (window, type, "counter_name_row")));
  gtk_editable_set_text (GTK_EDITABLE (template_child (window, type, "counter_name_row")), "Balcão 2");
  {
    g_autofree char *counter = NULL;
    GtkWidget *scroller = gtk_widget_get_ancestor (template_child (window, type, "counter_name_row"),
                                                   GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    g_object_get (settings, "counter-name", &counter, NULL);
    g_assert_cmpstr (counter, ==, "Balcão 2");
    pdv_ui_test_settle ();
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    pdv_ui_test_settle ();
    g_object_unref (pdv_ui_test_save_screenshot (GTK_WIDGET (window), "preferences-bar"));
  }
  g_object_set (settings, "bar-counter", FALSE, "counter-name", "", NULL);

  /* Settings show in the controls... */
  g_object_set (settings, "terminal-name", "Bar 2", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (template_child (window, type, "terminal_name_row"))), ==, "Bar 2");
  g_settings_set_boolean (pdv_settings_get_gsettings (settings), "kiosk-mode", TRUE);
  g_assert_true (gtk_switch_get_active (template_child (window, type, "kiosk_switch")));
  g_settings_set_boolean (pdv_settings_get_gsettings (settings), "kiosk-mode", FALSE);

  /* ...and the controls change the settings. */
  gtk_editable_set_text (GTK_EDITABLE (template_child (window, type, "terminal_name_row")), "Bar 3");
  name = pdv_settings_dup_terminal_name (settings);
  g_assert_cmpstr (name, ==, "Bar 3");

  adw_combo_row_set_selected (template_child (window, type, "paper_row"), 0);
  g_assert_cmpuint (pdv_settings_get_paper_width (settings), ==, 58);

  gtk_switch_set_active (template_child (window, type, "sounds_switch"), FALSE);
  g_assert_false (pdv_settings_get_sounds_enabled (settings));
  g_assert_false (gtk_widget_is_sensitive (template_child (window, type, "volume_scale")));
  gtk_range_set_value (template_child (window, type, "volume_scale"), 0.25);
  g_assert_cmpfloat_with_epsilon (pdv_settings_get_sound_volume (settings), 0.25, 1e-9);

  gtk_spin_button_set_value (template_child (window, type, "lock_spin"), 5);
  g_assert_cmpuint (pdv_settings_get_lock_timeout (settings), ==, 300);
  /* The tolerance closing counts use: the terminal's, shown as it stands. */
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (window, type, "tolerance_spin")), ==,
                     pdv_shift_get_tolerance (pdv_context_get_db (fixture->context)) / 100.0);
  gtk_spin_button_set_value (template_child (window, type, "tolerance_spin"), 2.5);

  /* Lines: trailing blanks go, blank lines between stay. */
  set_text (template_child (window, type, "header_view"), "Bar do Festival  \n\nCNPJ 12.345.678/0001-90\n\n");
  header = pdv_settings_dup_receipt_header (settings);
  g_assert_cmpstrv (header, expected_header);

  /* A half-typed server is not stored; the line says what is wrong. */
  servers_error = template_child (window, type, "servers_error_label");
  set_text (template_child (window, type, "servers_view"), "https://sync1.example.com:8443\nsync2");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (servers_error)));
  g_assert_nonnull (strstr (gtk_label_get_label (servers_error), "sync2"));
  servers = pdv_settings_dup_server_urls (settings);
  g_assert_cmpuint (g_strv_length (servers), ==, 0);
  g_clear_pointer (&servers, g_strfreev);

  set_text (template_child (window, type, "servers_view"), "https://sync1.example.com:8443\nhttps://sync2.example.com\n");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (servers_error)));
  servers = pdv_settings_dup_server_urls (settings);
  g_assert_cmpstrv (servers, expected_servers);

  /* The printer set stays listed when the print server does not offer it. */
  g_object_set (settings, "printer", "Termica-Bar", NULL);
  {
    AdwComboRow *row = template_child (window, type, "printer_row");
    GtkStringObject *item = adw_combo_row_get_selected_item (row);

    g_assert_nonnull (item);
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Termica-Bar");
    adw_combo_row_set_selected (row, 0);
    g_autofree char *printer = pdv_settings_dup_printer (settings);
    g_assert_cmpstr (printer, ==, "");
  }

  /* Kept, and journalled with it, by the time the window has closed. */
  pdv_ui_test_destroy_window (GTK_WINDOW (window));
  g_assert_cmpint (pdv_shift_get_tolerance (pdv_context_get_db (fixture->context)), ==, 250);
  {
    g_autoptr(PdvJournalEntry) entry = pdv_test_journal_last_entry (pdv_context_get_journal (fixture->context));
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (entry->kind, ==, PDV_ENTRY_SETTINGS_CHANGE);
    g_assert_cmpstr (json_string_value (json_object_get (entry->payload, "setting")), ==, "cash_tolerance");
    g_assert_true (pdv_seal_verify (pdv_context_get_journal (fixture->context), NULL, &error));
    g_assert_no_error (error);
  }
}

/* ---- What the settings change, at once -------------------------------------- */

static void
test_settings_take_effect (Fixture       *fixture,
                           gconstpointer  user_data)
{
  PdvSettings *settings = fixture->settings;
  PdvReceiptPrinter *printer = pdv_window_get_receipt_printer (fixture->window);
  PdvCheckinPage *door = PDV_CHECKIN_PAGE (pdv_window_get_page (fixture->window, "checkin"));
  PdvDoorSounds *sounds = pdv_checkin_page_get_sounds (door);
  PdvCameraScanner *camera = pdv_door_camera_get_scanner (pdv_checkin_page_get_camera (door));
  const char *footer[] = { "Volte sempre!", NULL };
  g_auto(GStrv) printed_footer = NULL;
  guint paper_width;
  gboolean muted;

  g_assert_null (g_getenv ("PDV_PRINTER"));
  g_assert_null (g_getenv ("PDV_CAMERA"));

  /* The header shows the terminal's own name until one is set. */
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (template_child (fixture->window, PDV_TYPE_WINDOW, "switcher_title")), ==, "Bar 1");
  g_object_set (settings, "terminal-name", "Bar da Pista", NULL);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (template_child (fixture->window, PDV_TYPE_WINDOW, "switcher_title")), ==, "Bar da Pista");
  g_object_set (settings, "terminal-name", "", NULL);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (template_child (fixture->window, PDV_TYPE_WINDOW, "switcher_title")), ==, "Bar 1");

  /* Receipts: where and how. */
  g_assert_null (pdv_receipt_printer_get_destination (printer));
  g_object_set (settings, "printer", "Termica-Bar", "paper-width", 58, "receipt-footer", footer, NULL);
  g_assert_cmpstr (pdv_receipt_printer_get_destination (printer), ==, "Termica-Bar");
  g_object_get (printer, "paper-width", &paper_width, "footer-lines", &printed_footer, NULL);
  g_assert_cmpuint (paper_width, ==, 58);
  g_assert_cmpstrv (printed_footer, footer);
  g_object_set (settings, "printer", "", NULL);
  g_assert_null (pdv_receipt_printer_get_destination (printer));

  /* The door: sounds, volume, camera. */
  g_assert_false (pdv_door_sounds_get_muted (sounds));
  g_object_set (settings, "sounds-enabled", FALSE, NULL);
  g_object_get (door, "muted", &muted, NULL);
  g_assert_true (muted);
  g_assert_true (pdv_door_sounds_get_muted (sounds));
  g_object_set (settings, "sounds-enabled", TRUE, NULL);
  g_assert_false (pdv_door_sounds_get_muted (sounds));
  /* The speaker button mutes for now; the setting stays. */
  g_object_set (door, "muted", TRUE, NULL);
  g_assert_true (pdv_door_sounds_get_muted (sounds));
  g_assert_true (pdv_settings_get_sounds_enabled (settings));
  g_object_set (door, "muted", FALSE, NULL);

  g_object_set (settings, "sound-volume", 0.4, NULL);
  g_assert_cmpfloat_with_epsilon (pdv_door_sounds_get_volume (sounds), 0.4, 1e-9);

  g_assert_null (pdv_camera_scanner_get_device (camera));
  g_object_set (settings, "camera-device", "/dev/video7", NULL);
  g_assert_cmpstr (pdv_camera_scanner_get_device (camera), ==, "/dev/video7");
  g_object_set (settings, "camera-device", "", NULL);
  g_assert_null (pdv_camera_scanner_get_device (camera));
}

/* ---- Kiosk mode ----------------------------------------------------------- */

static void
assert_kiosk (Fixture  *fixture,
              gboolean  active)
{
  AdwHeaderBar *header_bar = template_child (fixture->window, PDV_TYPE_WINDOW, "header_bar");

  g_assert_cmpint (pdv_kiosk_get_active (pdv_window_get_kiosk (fixture->window)), ==, active);
  g_assert_cmpint (adw_header_bar_get_show_end_title_buttons (header_bar), ==, !active);
  g_assert_cmpint (adw_header_bar_get_show_start_title_buttons (header_bar), ==, !active);
  g_assert_cmpint (gtk_window_get_deletable (GTK_WINDOW (fixture->window)), ==, !active);
  g_assert_cmpint (g_action_group_get_action_enabled (pdv_kiosk_get_actions (pdv_window_get_kiosk (fixture->window)),
                                                      "leave"), ==, active);
}

static void
test_kiosk_mode (Fixture       *fixture,
                 gconstpointer  user_data)
{
  PdvKiosk *kiosk = pdv_window_get_kiosk (fixture->window);
  PdvManagerPrompt *prompt;

  assert_kiosk (fixture, FALSE);
  pdv_settings_set_kiosk_mode (fixture->settings, TRUE);
  pdv_ui_test_settle ();
  assert_kiosk (fixture, TRUE);
  pdv_ui_test_save_screenshot (GTK_WIDGET (fixture->window), "kiosk");

  /* Leaving it takes a manager's PIN. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.leave", NULL));
  prompt = PDV_MANAGER_PROMPT (pdv_kiosk_get_prompt (kiosk));
  g_assert_nonnull (prompt);
  g_assert_false (pdv_ui_test_submit_manager_pin (prompt, "4444"));
  assert_kiosk (fixture, TRUE);
  g_assert_true (pdv_ui_test_submit_manager_pin (prompt, "8080"));
  assert_kiosk (fixture, FALSE);
  g_assert_false (pdv_settings_get_kiosk_mode (fixture->settings));

  /* Out of kiosk mode, closing asks nothing. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  pdv_ui_test_wait_until (fixture->window == NULL, 10);
}

static void
test_kiosk_survives_restart (Fixture       *fixture,
                             gconstpointer  user_data)
{
  PdvKiosk *kiosk;
  PdvManagerPrompt *prompt;

  /* The window opened with the setting already on, as after a restart. */
  assert_kiosk (fixture, TRUE);
  kiosk = pdv_window_get_kiosk (fixture->window);

  /* Closing the window takes a PIN; a wrong one leaves it open. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  pdv_ui_test_settle ();
  g_assert_nonnull (fixture->window);
  prompt = PDV_MANAGER_PROMPT (pdv_kiosk_get_prompt (kiosk));
  g_assert_nonnull (prompt);
  pdv_ui_test_save_screenshot (GTK_WIDGET (prompt), "kiosk-close-pin");
  g_assert_false (pdv_ui_test_submit_manager_pin (prompt, "2222"));
  g_assert_nonnull (fixture->window);
  gtk_window_destroy (GTK_WINDOW (prompt));
  pdv_ui_test_settle ();

  /* So does quitting: app.quit asks rather than quits. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
  pdv_ui_test_settle ();
  prompt = PDV_MANAGER_PROMPT (pdv_kiosk_get_prompt (kiosk));
  g_assert_nonnull (prompt);
  g_assert_nonnull (fixture->window);
  gtk_window_destroy (GTK_WINDOW (prompt));
  pdv_ui_test_settle ();

  /* A manager closes it. */
  gtk_window_close (GTK_WINDOW (fixture->window));
  pdv_ui_test_settle ();
  prompt = PDV_MANAGER_PROMPT (pdv_kiosk_get_prompt (kiosk));
  g_assert_true (pdv_ui_test_submit_manager_pin (prompt, "9090"));
  pdv_ui_test_wait_until (fixture->window == NULL, 10);
  /* Still a kiosk when it opens again. */
  g_assert_true (pdv_settings_get_kiosk_mode (fixture->settings));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!pdv_settings_schema_is_installed ())
    {
      g_printerr ("The br.com.pdv.Terminal schema is not found: set GSETTINGS_SCHEMA_DIR\n");
      return 1;
    }
  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "memory");

  application = pdv_ui_test_init (&argc, &argv, FALSE);

  g_test_add ("/settings/properties", Fixture, NULL, fixture_set_up, test_settings_properties, fixture_tear_down);
  g_test_add ("/settings/take-effect", Fixture, NULL, fixture_set_up, test_settings_take_effect, fixture_tear_down);
  g_test_add ("/application/icon", Fixture, NULL, fixture_set_up, test_application_icon, fixture_tear_down);
  g_test_add ("/preferences/need-a-manager", Fixture, NULL, fixture_set_up, test_preferences_need_a_manager, fixture_tear_down);
  g_test_add ("/preferences/cancel", Fixture, NULL, fixture_set_up, test_preferences_cancel, fixture_tear_down);
  g_test_add ("/preferences/controls", Fixture, NULL, fixture_set_up, test_preferences_controls, fixture_tear_down);
  g_test_add ("/preferences/gate", Fixture, NULL, fixture_set_up, test_preferences_gate, fixture_tear_down);
  g_test_add ("/preferences/certificate", Fixture, NULL, fixture_set_up, test_preferences_certificate,
              fixture_tear_down);
  g_test_add ("/kiosk/leave", Fixture, NULL, fixture_set_up, test_kiosk_mode, fixture_tear_down);
  g_test_add ("/kiosk/survives-restart", Fixture, "kiosk", fixture_set_up, test_kiosk_survives_restart, fixture_tear_down);

  ret = g_test_run ();
  g_clear_object (&application);
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pdvctl.h"

/* Shifts and X/Z reports from a shell. Whoever acts proves it with a PIN:
 * --user ID --pin PIN logs in, --pin alone is matched against everyone who
 * may do it alone, and --manager-pin lets a manager allow what the user may
 * not do alone. */

static PdvUser *
identify (PdvContext     *context,
          PdvPermission   permission,
          const char     *user_id,
          const char     *pin,
          GError        **error)
{
  PdvDb *db = pdv_context_get_db (context);

  if (pin == NULL)
    {
      g_set_error (error, PDV_AUTH_ERROR, PDV_AUTH_ERROR_WRONG_PIN,
                   _("--pin is required: the PIN of someone who may %s"), pdv_permission_describe (permission));
      return NULL;
    }
  if (user_id != NULL)
    return pdv_auth_login (db, user_id, pin, error);
  return pdv_auth_find_by_pin (db, permission, pin, NULL, error);
}

static gboolean
read_count (char         **pieces,
            const char    *amount_text,
            PdvCashCount  *count,
            const char    *what,
            GError       **error)
{
  pdv_cash_count_init (count);
  if (pieces == NULL && amount_text == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give the %s by note and coin (VALUExQUANTITY, e.g. 50x2 0,25x8) or as --amount"), what);
      return FALSE;
    }
  for (guint i = 0; pieces != NULL && pieces[i] != NULL; i++)
    if (!pdv_cash_count_parse (count, pieces[i], error))
      return FALSE;
  if (amount_text != NULL)
    {
      PdvMoney amount;

      if (!pdv_money_parse (amount_text, PDV_MONEY_PARSE_DEFAULT, &amount, error) ||
          !pdv_cash_count_add (count, 0, amount, error))
        return FALSE;
    }
  return TRUE;
}

static json_t *
status_json (const PdvShiftStatus *status)
{
  return json_pack ("{s:b, s:b, s:I, s:s?, s:s?, s:I}", "ok", TRUE, "open", status->open,
                    "z_number", (json_int_t) status->z_number, "opened_at", status->opened_at,
                    "opened_by", status->opened_by, "float", (json_int_t) status->float_amount);
}

static int
shift_status (Options    *options,
              PdvContext *context)
{
  g_autoptr(GError) error = NULL;
  g_auto(PdvShiftStatus) status = { 0 };
  g_autoptr(PdvUser) opener = NULL;
  const char *opener_name;

  if (!pdv_shift_get_status (pdv_context_get_db (context), &status, &error))
    return pdvctl_fail_error (options, error);
  /* Who opened it, by name when they are a user here. */
  if (status.opened_by != NULL)
    pdv_auth_find_user (pdv_context_get_db (context), status.opened_by, &opener, NULL);
  opener_name = opener != NULL ? opener->name : status.opened_by;
  if (options->json)
    {
      json_t *body = status_json (&status);
      json_object_set_new (body, "required", json_boolean (pdv_shift_is_required (pdv_context_get_db (context))));
      if (opener_name != NULL)
        json_object_set_new (body, "opened_by_name", json_string (opener_name));
      pdvctl_print_json (body);
      json_decref (body);
    }
  else if (status.open)
    {
      g_autofree char *float_text = pdv_money_format (status.float_amount);
      g_autoptr(GDateTime) utc = status.opened_at != NULL ? g_date_time_new_from_iso8601 (status.opened_at, NULL)
                                                          : NULL;
      g_autoptr(GDateTime) local = utc != NULL ? pdvctl_local_time (utc) : NULL;
      /* The event's time, as every screen of the terminal tells it. */
      g_autofree char *since = local != NULL ? pdv_datetime_format (local, NULL, PDV_DATETIME_DATE_TIME)
                                             : g_strdup (status.opened_at ? status.opened_at : "—");

      g_print (_("Shift %lld is open since %s, opened by %s with a float of %s\n"), (long long) status.z_number,
               since, opener_name != NULL ? opener_name : "—", float_text);
    }
  else
    g_print (_("No shift is open; the next one closes as Z %lld\n"), (long long) status.z_number);
  return 0;
}

/**
 * pdvctl_command_shift:
 *
 * shift status, open, drop, payin, close and config.
 */
int
pdvctl_command_shift (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvShiftCloseResult) result = NULL;
  PdvCashCount count;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvUser) user = NULL;
  g_autoptr(PdvUser) manager = NULL;
  g_auto(GStrv) pieces = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *manager_pin = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *required = NULL;
  g_autofree char *tolerance_text = NULL;
  const char *action = options->args[1] && options->args[1][0] != '-' ? options->args[1] : "";
  gboolean opening = g_str_equal (action, "open");
  gboolean closing = g_str_equal (action, "close");
  gboolean moving = g_str_equal (action, "drop") || g_str_equal (action, "payin");
  gboolean configuring = g_str_equal (action, "config");
  GOptionEntry entries[] = {
    { "float", 0, 0, G_OPTION_ARG_STRING_ARRAY, &pieces,
      N_("open: the float by note and coin, VALUExQUANTITY (repeat, or several in one)"), N_("PIECES") },
    { "count", 0, 0, G_OPTION_ARG_STRING_ARRAY, &pieces,
      N_("close: the blind count by note and coin, VALUExQUANTITY"), N_("PIECES") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text,
      N_("open, close: the cash as one sum instead of by note and coin"), N_("AMOUNT") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("drop, payin: why"), N_("TEXT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_id, N_("Who does it (logs in with --pin)"), N_("ID") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, N_("The PIN of whoever does it"), N_("PIN") },
    { "manager-pin", 0, 0, G_OPTION_ARG_STRING, &manager_pin,
      N_("A manager’s PIN, for what the user may not do alone"), N_("PIN") },
    { "required", 0, 0, G_OPTION_ARG_STRING, &required,
      N_("config: whether selling needs an open shift (yes or no)"), N_("YES|NO") },
    { "tolerance", 0, 0, G_OPTION_ARG_STRING, &tolerance_text,
      N_("config: how far the count may be off without a manager"), N_("AMOUNT") },
    { NULL }
  };

  if (!pdvctl_parse_options (options,
                             _("shift status|open|drop|payin|close|config — the cash drawer’s shifts"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (!opening && !closing && !moving && !configuring && !g_str_equal (action, "status"))
    return pdvctl_fail_usage (options, _("shift needs status, open, drop, payin, close or config"));

  if (manager_pin != NULL && user_id == NULL)
    return pdvctl_fail_usage (options, _("--manager-pin authorises someone else: say who with --user ID --pin PIN"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  if (g_str_equal (action, "status"))
    return shift_status (options, context);

  if (configuring)
    {
      PdvDb *db = pdv_context_get_db (context);
      PdvMoney tolerance = 0;

      if (required != NULL && g_strcmp0 (required, "yes") != 0 && g_strcmp0 (required, "no") != 0)
        return pdvctl_fail_usage (options, _("--required is yes or no"));
      if (tolerance_text != NULL && !pdv_money_parse (tolerance_text, PDV_MONEY_PARSE_DEFAULT, &tolerance, &error))
        return pdvctl_fail_error (options, error);
      if (required != NULL || tolerance_text != NULL)
        {
          user = identify (context, PDV_PERMISSION_SETTINGS, user_id, pin, &error);
          if (user == NULL || !pdv_auth_require (user, PDV_PERMISSION_SETTINGS, &error))
            return pdvctl_fail_error (options, error);
          if ((required != NULL && !pdv_shift_set_required (db, g_str_equal (required, "yes"), &error)) ||
              (tolerance_text != NULL && !pdv_shift_set_tolerance (db, tolerance, &error)))
            return pdvctl_fail_error (options, error);
          /* For the audit. */
          if (required != NULL &&
              !pdv_journal_record_setting (pdv_context_get_journal (context), user->id, "shifts_required", required,
                                           &error))
            return pdvctl_fail_error (options, error);
          if (tolerance_text != NULL)
            {
              g_autofree char *shown = pdv_money_format (tolerance);

              if (!pdv_journal_record_setting (pdv_context_get_journal (context), user->id, "cash_tolerance", shown,
                                               &error))
                return pdvctl_fail_error (options, error);
            }
        }
      if (options->json)
        {
          json_t *body = json_pack ("{s:b, s:b, s:I}", "ok", TRUE, "required", pdv_shift_is_required (db),
                                    "tolerance", (json_int_t) pdv_shift_get_tolerance (db));
          pdvctl_print_json (body);
          json_decref (body);
        }
      else
        {
          g_autofree char *shown = pdv_money_format (pdv_shift_get_tolerance (db));
          g_print (pdv_shift_is_required (db) ? _("Selling needs an open shift; counts may be off by %s\n")
                                              : _("Selling does not need a shift; counts may be off by %s\n"),
                   shown);
        }
      return 0;
    }

  if (moving)
    {
      PdvMoney amount;
      gboolean drop = g_str_equal (action, "drop");
      gboolean ok;

      if (g_strv_length (options->args) != 3)
        return pdvctl_fail (options, drop ? _("shift drop needs the amount taken out")
                                          : _("shift payin needs the amount put in"));
      if (!pdv_money_parse (options->args[2], PDV_MONEY_PARSE_DEFAULT, &amount, &error))
        return pdvctl_fail_error (options, error);
      user = identify (context, PDV_PERMISSION_DRAWER_OPEN, user_id, pin, &error);
      if (user == NULL)
        return pdvctl_fail_error (options, error);
      if (manager_pin != NULL)
        {
          manager = pdv_auth_find_by_pin (pdv_context_get_db (context), PDV_PERMISSION_DRAWER_OPEN, manager_pin,
                                          user->id, &error);
          if (manager == NULL)
            return pdvctl_fail_error (options, error);
        }
      ok = drop ? pdv_shift_drop (pdv_context_get_journal (context), user, manager, amount, reason, &error)
                : pdv_shift_payin (pdv_context_get_journal (context), user, manager, amount, reason, &error);
      if (!ok)
        return pdvctl_fail_error (options, error);
      if (options->json)
        {
          json_t *body = json_pack ("{s:b, s:s, s:I}", "ok", TRUE, "kind", action, "amount", (json_int_t) amount);
          pdvctl_print_json (body);
          json_decref (body);
        }
      else
        {
          g_autofree char *shown = pdv_money_format (amount);
          g_print (drop ? _("%s taken out of the drawer\n") : _("%s put into the drawer\n"), shown);
        }
      return 0;
    }

  if (!read_count (pieces, amount_text, &count, opening ? _("float") : _("count"), &error))
    return pdvctl_fail_error (options, error);
  user = identify (context, opening ? PDV_PERMISSION_SHIFT_OPEN : PDV_PERMISSION_SHIFT_CLOSE, user_id, pin, &error);
  if (user == NULL)
    return pdvctl_fail_error (options, error);
  if (manager_pin != NULL)
    {
      manager = pdv_auth_find_by_pin (pdv_context_get_db (context),
                                      opening ? PDV_PERMISSION_SHIFT_OPEN : PDV_PERMISSION_CLOSE_WITH_DIFFERENCE,
                                      manager_pin, user->id, &error);
      if (manager == NULL)
        return pdvctl_fail_error (options, error);
    }

  if (opening)
    {
      gint64 z = pdv_shift_open (pdv_context_get_journal (context), user, manager, &count, &error);

      if (z == 0)
        return pdvctl_fail_error (options, error);
      if (options->json)
        {
          g_auto(PdvShiftStatus) status = { 0 };
          json_t *body;

          pdv_shift_get_status (pdv_context_get_db (context), &status, NULL);
          body = status_json (&status);
          pdvctl_print_json (body);
          json_decref (body);
        }
      else
        {
          PdvMoney total = 0;
          g_autofree char *shown = NULL;

          pdv_cash_count_total (&count, &total, NULL);
          shown = pdv_money_format (total);
          g_print (_("Shift %lld opened by %s with a float of %s\n"), (long long) z, user->name, shown);
        }
      return 0;
    }

  result = pdv_shift_close (pdv_context_get_journal (context), user, manager, &count, &error);
  if (result == NULL)
    return pdvctl_fail_error (options, error);
  if (options->json)
    {
      json_t *body = json_pack ("{s:b, s:I, s:I, s:I, s:I, s:I, s:s?}", "ok", TRUE,
                                "z_number", (json_int_t) result->z_number,
                                "counted", (json_int_t) result->counted,
                                "expected", (json_int_t) result->expected,
                                "difference", (json_int_t) result->difference,
                                "tolerance", (json_int_t) result->tolerance,
                                "authorised_by", result->authorised_by);
      pdvctl_print_json (body);
      json_decref (body);
    }
  else
    {
      g_autofree char *counted = pdv_money_format (result->counted);
      g_autofree char *expected = pdv_money_format (result->expected);
      g_autofree char *difference = pdv_money_format (ABS (result->difference));

      g_print (_("Z %lld closed: counted %s, expected %s\n"), (long long) result->z_number, counted, expected);
      if (result->difference > 0)
        g_print (_("Over by %s\n"), difference);
      else if (result->difference < 0)
        g_print (_("Short by %s\n"), difference);
      else
        g_print (_("The count matches\n"));
      if (result->authorised_by != NULL)
        g_print (_("Difference authorised by %s\n"),
                 manager != NULL && g_str_equal (manager->id, result->authorised_by) ? manager->name : user->name);
    }
  return 0;
}

static gboolean
write_file (const char  *path,
            const char  *data,
            gsize        length,
            GError     **error)
{
  if (g_str_equal (path, "-"))
    {
      if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write to standard output"));
          return FALSE;
        }
      return TRUE;
    }
  return g_file_set_contents (path, data, length, error);
}

/**
 * pdvctl_command_report:
 *
 * report x, or z with an optional Z number: as text, ESC/POS, PDF or CSV.
 */
int
pdvctl_command_report (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvUser) user = NULL;
  g_autoptr(PdvReport) report = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *pdf_width = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *csv_format = NULL;
  PdvCsvDialect dialect = PDV_CSV_SPREADSHEET;
  gboolean escpos = FALSE;
  int width = 80;
  gint64 z_number = 0;
  PdvReportPage page = PDV_REPORT_PAGE_A4;
  const char *kind;
  GOptionEntry entries[] = {
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Also write the report as PDF"), N_("FILE") },
    { "pdf-width", 0, 0, G_OPTION_ARG_STRING, &pdf_width,
      N_("The PDF’s paper: a4 (default) or 80mm, one long page as wide as a receipt"), N_("a4|80mm") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Also write the report as CSV (- for standard output)"),
      N_("FILE") },
    { "csv-format", 0, 0, G_OPTION_ARG_STRING, &csv_format,
      N_("spreadsheet (default: a byte order mark; “;” and decimal commas where the language writes 1,5) "
         "or rfc4180 (commas, decimal points, for programs)"), N_("spreadsheet|rfc4180") },
    { "escpos", 0, 0, G_OPTION_ARG_NONE, &escpos, N_("Write the printer’s ESC/POS bytes instead of text"), NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Paper width of the text: 58 or 80 mm (default 80)"),
      N_("MM") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_id, N_("Who reads it (logs in with --pin)"), N_("ID") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, N_("The PIN of a manager"), N_("PIN") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("report x|z [Z_NUMBER] — the X (mid-shift) or Z (closing) report"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  kind = g_strv_length (options->args) >= 2 ? options->args[1] : "";
  if ((!g_str_equal (kind, "x") && !g_str_equal (kind, "z")) || g_strv_length (options->args) > 3 ||
      (g_str_equal (kind, "x") && g_strv_length (options->args) > 2))
    return pdvctl_fail_usage (options, _("report needs x, or z with an optional Z number"));
  if (options->args[1] != NULL && options->args[2] != NULL &&
      !g_ascii_string_to_signed (options->args[2], 10, 1, G_MAXINT64, &z_number, NULL))
    return pdvctl_fail_usage (options, _("A Z number is a whole number from 1"));
  if (width != PDV_PAPER_58MM && width != PDV_PAPER_80MM)
    return pdvctl_fail_usage (options, _("--width is 58 or 80 (millimetres)"));
  if (pdf_width != NULL && g_strcmp0 (pdf_width, "a4") != 0 && g_strcmp0 (pdf_width, "80mm") != 0)
    return pdvctl_fail_usage (options, _("--pdf-width is a4 or 80mm"));
  if (g_strcmp0 (pdf_width, "80mm") == 0)
    page = PDV_REPORT_PAGE_80MM;
  if (csv_format != NULL && !pdv_csv_dialect_from_string (csv_format, &dialect))
    return pdvctl_fail_usage (options, _("--csv-format is spreadsheet or rfc4180"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  user = identify (context, PDV_PERMISSION_REPORT, user_id, pin, &error);
  if (user == NULL)
    return pdvctl_fail_error (options, error);
  report = g_str_equal (kind, "x") ? pdv_report_new_x (pdv_context_get_db (context), user, &error)
                                   : pdv_report_new_z (pdv_context_get_db (context), user, z_number, &error);
  if (report == NULL)
    return pdvctl_fail_error (options, error);

  if (pdf != NULL && !pdv_report_write_pdf (report, page, pdf, &error))
    return pdvctl_fail_error (options, error);
  if (csv != NULL)
    {
      g_autofree char *text = pdv_report_render_csv (report, dialect);

      if (!write_file (csv, text, strlen (text), &error))
        return pdvctl_fail_error (options, error);
      if (g_str_equal (csv, "-"))
        return 0;
    }

  if (escpos)
    {
      g_autoptr(GBytes) bytes = pdv_report_render_escpos (report, width);
      gsize size = 0;
      const char *data = g_bytes_get_data (bytes, &size);

      if (!write_file ("-", data, size, &error))
        return pdvctl_fail_error (options, error);
    }
  else if (options->json)
    {
      g_autofree char *text = pdv_report_render_text (report, width);
      json_t *body = json_pack ("{s:b, s:s, s:I, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "ok", TRUE,
                                "kind", g_str_equal (kind, "x") ? "X" : "Z",
                                "z_number", (json_int_t) report->z_number, "shift_open", report->shift_open,
                                "sales_count", (json_int_t) report->sales_count,
                                "sales_total", (json_int_t) report->sales_total,
                                "net_total", (json_int_t) report->net_total,
                                "expected_cash", (json_int_t) report->expected_cash,
                                "voids_total", (json_int_t) report->voids_total,
                                "refunds_total", (json_int_t) report->refunds_total,
                                "text", text);
      if (report->counted)
        {
          json_object_set_new (body, "counted_cash", json_integer (report->counted_cash));
          json_object_set_new (body, "difference", json_integer (report->difference));
        }
      json_object_set_new (body, "sections", pdv_report_to_json (report));
      pdvctl_print_json (body);
      json_decref (body);
    }
  else
    {
      g_autofree char *text = pdv_report_render_text (report, width);
      g_print ("%s", text);
    }
  return 0;
}


static json_t *
rows_to_json (GPtrArray *rows)
{
  json_t *array = json_array ();

  for (guint i = 0; i < rows->len; i++)
    {
      const PdvReportRow *row = g_ptr_array_index (rows, i);

      json_array_append_new (array, json_pack ("{s:s?, s:s?, s:I, s:I}", "key", row->key, "label", row->label,
                                               "count", (json_int_t) row->count,
                                               "amount", (json_int_t) row->amount));
    }
  return array;
}

static json_t *
dashboard_to_json (const PdvDashboardData *data)
{
  json_t *stock = json_array ();
  json_t *body;

  for (guint i = 0; i < data->stock->len; i++)
    {
      const PdvStockForecast *forecast = g_ptr_array_index (data->stock, i);
      g_autofree char *text = pdv_stock_forecast_describe (forecast);
      g_autofree char *basis = pdv_stock_forecast_describe_basis (forecast);
      json_t *item = json_pack ("{s:s, s:s, s:I, s:f, s:b, s:s, s:I, s:i, s:s}", "product", forecast->product_id,
                                "name", forecast->name, "stock", (json_int_t) forecast->stock,
                                "per_minute", forecast->per_minute, "alert", forecast->alert, "forecast", text,
                                "sold_in_window", (json_int_t) forecast->sold_in_window,
                                "window_minutes", PDV_STOCK_FORECAST_WINDOW_MINUTES, "basis", basis);

      json_object_set_new (item, "minutes_left",
                           forecast->minutes_left >= 0 ? json_integer (forecast->minutes_left) : json_null ());
      json_array_append_new (stock, item);
    }
  body = json_pack ("{s:b, s:I, s:I, s:I, s:f, s:I}", "ok", TRUE,
                    "sales_last_hour", (json_int_t) data->sales_last_hour,
                    "revenue", (json_int_t) data->revenue, "sales_count", (json_int_t) data->sales_count,
                    "checkins_per_minute", data->checkins_per_minute, "inside", (json_int_t) data->inside);
  json_object_set_new (body, "capacity", data->capacity > 0 ? json_integer (data->capacity) : json_null ());
  json_object_set_new (body, "top_products", rows_to_json (data->top_products));
  json_object_set_new (body, "sales_by_hour", rows_to_json (data->sales_by_hour));
  json_object_set_new (body, "checkins_by_hour", rows_to_json (data->checkins_by_hour));
  json_object_set_new (body, "stock", stock);
  return body;
}

static void
print_figure (const char *label,
              const char *value)
{
  g_autofree char *padded = pdvctl_pad (label, 28);

  g_print ("%s %s\n", padded, value);
}

static void
print_dashboard (const PdvDashboardData *data)
{
  g_autofree char *revenue = pdv_money_format (data->revenue);
  g_autofree char *count = g_strdup_printf ("%lld", (long long) data->sales_count);
  g_autofree char *last_hour = g_strdup_printf ("%lld", (long long) data->sales_last_hour);
  g_autofree char *pace = g_strdup_printf ("%.1f", data->checkins_per_minute);
  /* Translators: people inside, of the venue's capacity */
  g_autofree char *inside = data->capacity > 0 ? g_strdup_printf (_("%lld of %lld"), (long long) data->inside,
                                                                  (long long) data->capacity)
                                               : g_strdup_printf ("%lld", (long long) data->inside);

  print_figure (_("Net sales (shift):"), revenue);
  print_figure (_("Sales (shift):"), count);
  print_figure (_("Sales in the last hour:"), last_hour);
  print_figure (_("Check-ins per minute:"), pace);
  print_figure (_("Inside:"), inside);
  if (data->top_products->len > 0)
    g_print ("\n%s\n", _("Top products"));
  for (guint i = 0; i < data->top_products->len; i++)
    {
      const PdvReportRow *row = g_ptr_array_index (data->top_products, i);
      g_autofree char *name = pdvctl_pad (row->label, 32);

      g_print ("  %s %6lld\n", name, (long long) row->count);
    }
  if (data->stock->len > 0)
    g_print ("\n%s\n", _("Stock"));
  for (guint i = 0; i < data->stock->len; i++)
    {
      const PdvStockForecast *forecast = g_ptr_array_index (data->stock, i);
      g_autofree char *text = pdv_stock_forecast_describe (forecast);
      g_autofree char *basis = pdv_stock_forecast_describe_basis (forecast);
      g_autofree char *name = pdvctl_pad (forecast->name, 32);

      g_print ("  %s %6lld  %s%s (%s)\n", name, (long long) forecast->stock, text, forecast->alert ? " !" : "",
               basis);
    }
}

/* The manager's dashboard, from the same figures the app shows. */
int
pdvctl_command_dashboard (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvUser) user = NULL;
  g_autoptr(PdvDashboardData) data = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *pin = NULL;
  GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_id, N_("Who reads it (logs in with --pin)"), N_("ID") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, N_("The PIN of a manager"), N_("PIN") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("dashboard — the shift’s figures, pace at the door and stock forecast"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) > 1)
    return pdvctl_fail_usage (options, _("dashboard takes no arguments"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  user = identify (context, PDV_PERMISSION_REPORT, user_id, pin, &error);
  if (user == NULL)
    return pdvctl_fail_error (options, error);
  now = pdv_clock_get_now (pdv_context_get_clock (context), NULL);
  data = pdv_dashboard_data_collect (context, user, now, &error);
  if (data == NULL)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_t *body = dashboard_to_json (data);

      pdvctl_print_json (body);
      json_decref (body);
    }
  else
    print_dashboard (data);
  return 0;
}

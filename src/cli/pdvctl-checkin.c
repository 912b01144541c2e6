/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdvctl"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "pdvctl.h"

/* The door from a shell: check a ticket in or out, look one up, see how full
 * the venue is, and make the keys and signed tickets an issuer hands out. */

#define SEARCH_LIMIT_DEFAULT 20

static gboolean
parse_with_description (Options       *options,
                        const char    *usage,
                        const char    *description,
                        GOptionEntry  *entries,
                        GError       **error)
{
  g_autoptr(GOptionContext) parser = g_option_context_new (usage);

  g_option_context_set_help_enabled (parser, TRUE);
  g_option_context_add_main_entries (parser, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (parser, GETTEXT_PACKAGE);
  g_option_context_set_description (parser, description);
  return g_option_context_parse_strv (parser, &options->args, error);
}

/* A scanned code may start with "-" (base64url secrets do): only the long
 * options of @entries and --help are options, "--" ends them, and anything
 * else, "-h…" included, is an argument. Leaves the options in
 * options->args for GOption and returns the arguments. */
static GStrv
take_arguments (Options            *options,
                const GOptionEntry *entries)
{
  g_autoptr(GStrvBuilder) rest = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) arguments = g_strv_builder_new ();
  gboolean only_arguments = FALSE;

  g_strv_builder_add (rest, options->args[0]);
  for (guint i = 1; options->args[i] != NULL; i++)
    {
      const char *arg = options->args[i];
      const GOptionEntry *known = NULL;
      g_autofree char *name = NULL;

      if (!only_arguments && g_str_equal (arg, "--"))
        {
          only_arguments = TRUE;
          continue;
        }
      if (only_arguments || !g_str_has_prefix (arg, "--"))
        {
          g_strv_builder_add (arguments, arg);
          continue;
        }
      name = g_strndup (arg + 2, strcspn (arg + 2, "="));
      for (guint e = 0; entries[e].long_name != NULL && known == NULL; e++)
        if (g_str_equal (entries[e].long_name, name))
          known = &entries[e];
      if (known == NULL && !g_str_equal (name, "help"))
        {
          g_strv_builder_add (arguments, arg);
          continue;
        }
      g_strv_builder_add (rest, arg);
      if (known != NULL && known->arg != G_OPTION_ARG_NONE && strchr (arg, '=') == NULL &&
          options->args[i + 1] != NULL)
        g_strv_builder_add (rest, options->args[++i]);
    }
  g_strfreev (options->args);
  options->args = g_strv_builder_end (rest);
  return g_strv_builder_end (arguments);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = pdvctl_local_time (time);

  return pdv_datetime_format (local, NULL, PDV_DATETIME_DATE_TIME_SECONDS);
}

static json_t *
result_to_json (const PdvCheckinResult *result)
{
  g_auto(GStrv) warnings = pdv_checkin_warnings_to_strv (result->warnings);
  json_t *list = json_array ();
  json_t *body;

  for (guint i = 0; warnings[i]; i++)
    json_array_append_new (list, json_string (warnings[i]));
  body = json_pack ("{s:b, s:b, s:s, s:o, s:s, s:s, s:s?, s:I, s:I, s:I}",
                    "ok", TRUE,
                    "accepted", pdv_checkin_result_is_accepted (result),
                    "verdict", pdv_checkin_verdict_to_string (result->verdict),
                    "warnings", list,
                    "direction", pdv_checkin_direction_to_string (result->direction),
                    "message", result->message,
                    "detail", result->detail,
                    "seq", (json_int_t) result->seq,
                    "inside", (json_int_t) result->inside,
                    "capacity", (json_int_t) result->capacity);
  if (result->ticket_id != NULL)
    json_object_set_new (body, "ticket",
                         json_pack ("{s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:b, s:s?}",
                                    "id", result->ticket_id,
                                    "holder_name", result->holder_name,
                                    "order_code", result->order_code,
                                    "type", result->type,
                                    "zone", result->zone,
                                    "policy", pdv_entry_policy_to_string (result->policy),
                                    "signed", result->is_signed,
                                    "attention", result->attention));
  if (result->last_at != NULL)
    {
      g_autofree char *at = g_date_time_format_iso8601 (result->last_at);

      json_object_set_new (body, "last",
                           json_pack ("{s:s, s:s?, s:s}", "at", at, "gate", result->last_gate,
                                      "direction", pdv_checkin_direction_to_string (result->last_direction)));
    }
  return body;
}

static void
print_result (const PdvCheckinResult *result)
{
  g_autofree char *verdict = g_ascii_strup (pdv_checkin_verdict_to_string (result->verdict), -1);

  g_print ("%s: %s\n", verdict, result->message);
  if (result->attention != NULL && pdv_checkin_result_is_accepted (result))
    /* Translators: pdvctl checkin, what the ticket list asks door staff to check */
    g_print (_("  CHECK FIRST: %s\n"), result->attention);
  if (result->detail != NULL)
    g_print ("  %s\n", result->detail);
  if (result->ticket_id != NULL)
    {
      /* Translators: the ticket line of pdvctl checkin: id, type, zone */
      g_print (_("  Ticket %s · %s · %s"), result->ticket_id, result->type ? result->type : "—",
               result->zone ? result->zone : "—");
      if (result->order_code != NULL)
        g_print (_(" · order %s"), result->order_code);
      if (result->is_signed)
        g_print (_(" · signed"));
      g_print ("\n");
    }
  if (result->capacity > 0)
    g_print (_("  Inside: %lld of %lld\n"), (long long) result->inside, (long long) result->capacity);
  else
    g_print (_("  Inside: %lld\n"), (long long) result->inside);
}

/**
 * pdvctl_command_checkin:
 *
 * Exit status 0 when the person goes through (an entry or an exit recorded),
 * 1 when the scan is refused or cannot be checked: scripts open the gate on 0.
 */
int
pdvctl_command_checkin (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  g_autoptr(PdvCheckinResult) result = NULL;
  g_autofree char *gate = NULL;
  g_autofree char *source_name = NULL;
  g_autofree char *user = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *at = NULL;
  g_auto(GStrv) zones = NULL;
  g_auto(GStrv) arguments = NULL;
  gboolean exit_direction = FALSE;
  gboolean manual = FALSE;
  PdvScanSource source = PDV_SCAN_MANUAL;
  GOptionEntry entries[] = {
    { "exit", 0, 0, G_OPTION_ARG_NONE, &exit_direction, N_("Record an exit instead of an entry"), NULL },
    { "gate", 0, 0, G_OPTION_ARG_STRING, &gate, N_("The gate scanning (default: the terminal’s gate, see pdvctl gate)"),
      N_("GATE") },
    { "zone", 0, 0, G_OPTION_ARG_STRING_ARRAY, &zones,
      N_("A zone this gate admits; repeat for several (default: the terminal’s gate’s)"), N_("ZONE") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_name,
      N_("What read the code: camera, wedge, manual or file (default: manual)"), N_("SOURCE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The door staff member"), N_("ID") },
    { "manual", 0, 0, G_OPTION_ARG_NONE, &manual,
      N_("TEXT is a ticket id found by search: admit it without a scan (needs --user and --reason)"), NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why a ticket is admitted by hand"), N_("TEXT") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at,
      N_("Check as if it were this time, e.g. 2026-12-12T21:00:00-03:00 (rehearsals)"), N_("TIME") },
    { NULL }
  };

  arguments = take_arguments (options, entries);
  if (!parse_with_description (options, _("checkin [--] TEXT — check a ticket in (or out) and record the scan"),
                               _("Exit status: 0 when the entry or exit was recorded, 1 when the ticket is "
                                 "refused or could not be checked.\n"
                                 "Spaces, tabs, CR and LF around TEXT are ignored (scanners add them). "
                                 "TEXT is never read as an option, even when it starts with “-”."),
                               entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 1 || g_strv_length (arguments) != 1)
    return pdvctl_fail_usage (options, _("checkin needs exactly one ticket code (quote it if it has spaces)"));
  if (source_name != NULL && !pdv_scan_source_from_string (source_name, &source))
    {
      g_autofree char *message = g_strdup_printf (_("unknown source “%s”: camera, wedge, manual or file"),
                                                  source_name);
      return pdvctl_fail (options, message);
    }
  if (manual && (user == NULL || reason == NULL))
    return pdvctl_fail_usage (options, _("--manual needs --user and --reason: a manual admission says who and why"));
  if (manual && exit_direction)
    return pdvctl_fail_usage (options, _("--manual admits an entry; it cannot be used with --exit"));

  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);

  checkin = pdv_checkin_new (pdv_context_get_journal (context));
  /* The terminal's gate (pdvctl gate), then what the options say. */
  {
    g_auto(PdvGateProfile) profile = { 0 };

    pdv_gate_profile_load (pdv_context_get_db (context), &profile);
    pdv_checkin_use_profile (checkin, &profile);
  }
  if (gate != NULL)
    pdv_checkin_set_gate (checkin, gate);
  if (exit_direction)
    pdv_checkin_set_direction (checkin, PDV_CHECKIN_EXIT);
  if (zones != NULL)
    pdv_checkin_set_zones (checkin, (const char * const *) zones);
  pdv_checkin_set_user (checkin, user);
  if (at != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (at, NULL);

      if (now == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a time like 2026-12-12T21:00:00-03:00"), at);
          return pdvctl_fail (options, message);
        }
      pdv_clock_set_time (pdv_context_get_clock (context), now);
    }

  if (manual)
    result = pdv_checkin_admit_manual (checkin, arguments[0], user, reason, &error);
  else
    result = pdv_checkin_validate (checkin, arguments[0], -1, source, &error);
  if (result == NULL)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      g_autoptr(json_t) body = result_to_json (result);
      pdvctl_print_json (body);
    }
  else
    print_result (result);
  return pdv_checkin_result_is_accepted (result) ? 0 : 1;
}

static json_t *
info_to_json (const PdvTicketInfo *info)
{
  json_t *item = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:I, s:I}",
                            "id", info->id, "order_code", info->order_code, "holder_name", info->holder_name,
                            "type", info->type, "zone", info->zone,
                            "policy", pdv_entry_policy_to_string (info->policy), "status", info->status,
                            "revoked", info->revoked, "inside", info->inside,
                            "entries", (json_int_t) info->entries, "exits", (json_int_t) info->exits);

  if (info->last_at != NULL)
    {
      g_autofree char *at = g_date_time_format_iso8601 (info->last_at);
      json_object_set_new (item, "last_at", json_string (at));
      json_object_set_new (item, "last_gate", json_string (info->last_gate));
    }
  return item;
}

static const char *
info_state (const PdvTicketInfo *info)
{
  if (info->revoked)
    return _("revoked");
  if (g_strcmp0 (info->status, "cancelled") == 0)
    return _("cancelled");
  if (g_strcmp0 (info->status, "blocked") == 0)
    return _("blocked");
  if (info->inside)
    return _("inside");
  if (info->entries > 0)
    return _("left");
  return _("not scanned");
}

/**
 * pdvctl_command_tickets:
 *
 * "tickets search TEXT…": what door staff do when a QR code will not scan.
 */
int
pdvctl_command_tickets (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *text = NULL;
  int limit = SEARCH_LIMIT_DEFAULT;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many tickets (default: 20)"), N_("N") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("tickets search TEXT… — find tickets by holder name, order code or id"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) < 3 || !g_str_equal (options->args[1], "search"))
    return pdvctl_fail_usage (options, _("usage: pdvctl tickets search TEXT…"));
  if (limit < 1 || limit > 1000)
    return pdvctl_fail_usage (options, _("--limit must be between 1 and 1000"));

  context = pdvctl_open_context (options, FALSE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  checkin = pdv_checkin_new (pdv_context_get_journal (context));
  text = g_strjoinv (" ", options->args + 2);
  found = pdv_checkin_search (checkin, text, (guint) limit, &error);
  if (found == NULL)
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      json_t *list = json_array ();

      for (guint i = 0; i < found->len; i++)
        json_array_append_new (list, info_to_json (g_ptr_array_index (found, i)));
      pdvctl_print_json_list ("tickets", list);
      return 0;
    }

  if (found->len == 0)
    {
      g_print (_("No ticket matches “%s”.\n"), text);
      return 0;
    }
  for (guint i = 0; i < found->len; i++)
    {
      PdvTicketInfo *info = g_ptr_array_index (found, i);
      /* printf pads by bytes: pad names by characters instead. */
      glong name_chars = g_utf8_strlen (info->holder_name, -1);

      g_print ("%-10s %-12s %s%*s %-12s %-10s %s", info->id, info->order_code, info->holder_name,
               (int) MAX (0, 32 - name_chars), "", info->type, info->zone, info_state (info));
      if (info->last_at != NULL)
        {
          g_autofree char *when = format_time (info->last_at);
          /* Translators: when and where a ticket was last scanned, in the search list */
          g_print (_(" (%s, %s)"), when, info->last_gate);
        }
      g_print ("\n");
    }
  return 0;
}

int
pdvctl_command_occupancy (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  g_autoptr(GPtrArray) zones = NULL;
  g_autoptr(GPtrArray) gates = NULL;
  g_autoptr(GDateTime) heard = NULL;
  g_autofree char *heard_text = NULL;
  PdvOccupancy occupancy;

  if (!pdvctl_parse_options (options, _("occupancy — how many people are inside"), NULL, &error))
    return pdvctl_fail_error (options, error);
  context = pdvctl_open_context (options, FALSE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);
  checkin = pdv_checkin_new (pdv_context_get_journal (context));
  if (!pdv_checkin_get_occupancy (checkin, &occupancy, &error))
    return pdvctl_fail_error (options, error);

  zones = pdv_checkin_list_occupancy (checkin, PDV_OCCUPANCY_BY_ZONE, &error);
  if (zones != NULL)
    gates = pdv_checkin_list_occupancy (checkin, PDV_OCCUPANCY_BY_GATE, &error);
  if (gates == NULL)
    return pdvctl_fail_error (options, error);
  if (occupancy.others_as_of > 0)
    {
      heard = g_date_time_new_from_unix_utc (occupancy.others_as_of);
      heard_text = g_date_time_format_iso8601 (heard);
    }

  if (options->json)
    {
      g_autoptr(json_t) body = json_pack ("{s:b, s:I, s:I, s:b, s:o, s:{s:I, s:I, s:I, s:I}}", "ok", TRUE,
                                          "inside", (json_int_t) occupancy.inside,
                                          "capacity", (json_int_t) occupancy.capacity,
                                          "shared", occupancy.shared,
                                          "others_as_of", heard_text ? json_string (heard_text) : json_null (),
                                          "gate",
                                          "inside", (json_int_t) occupancy.gate_inside,
                                          "entries", (json_int_t) occupancy.entries,
                                          "exits", (json_int_t) occupancy.exits,
                                          "refusals", (json_int_t) occupancy.refusals);
      json_t *zone_list = json_array ();
      json_t *gate_list = json_array ();

      for (guint i = 0; i < zones->len; i++)
        {
          PdvOccupancyPart *part = g_ptr_array_index (zones, i);
          json_array_append_new (zone_list, json_pack ("{s:s, s:I}", "zone", part->name, "inside",
                                                       (json_int_t) part->inside));
        }
      for (guint i = 0; i < gates->len; i++)
        {
          PdvOccupancyPart *part = g_ptr_array_index (gates, i);
          json_array_append_new (gate_list, json_pack ("{s:s, s:I}", "gate", part->name, "inside",
                                                       (json_int_t) part->inside));
        }
      json_object_set_new (body, "zones", zone_list);
      json_object_set_new (body, "gates", gate_list);
      pdvctl_print_json (body);
      return 0;
    }
  if (occupancy.capacity > 0)
    g_print (_("Inside the venue: %lld of %lld (%.0f%%)\n"), (long long) occupancy.inside,
             (long long) occupancy.capacity, 100.0 * occupancy.inside / occupancy.capacity);
  else
    g_print (_("Inside the venue: %lld (the event sets no capacity)\n"), (long long) occupancy.inside);
  if (!occupancy.shared)
    g_print (_("Only this gate’s scans: the terminal is not enrolled with a sync server\n"));
  else if (heard == NULL)
    g_print (_("Only this gate’s scans: the other gates have not been heard from yet\n"));
  else
    {
      g_autoptr(GDateTime) local = pdvctl_local_time (heard);
      g_autofree char *when = pdv_datetime_format (local, NULL, PDV_DATETIME_DATE_TIME_SECONDS);

      g_print (_("Other gates as of %s\n"), when);
    }
  for (guint i = 0; i < zones->len; i++)
    {
      PdvOccupancyPart *part = g_ptr_array_index (zones, i);
      g_print (_("  zone %s: %lld inside\n"), *part->name ? part->name : _("(unknown)"), (long long) part->inside);
    }
  for (guint i = 0; i < gates->len; i++)
    {
      PdvOccupancyPart *part = g_ptr_array_index (gates, i);
      g_print (_("  came in at %s: %lld\n"), part->name, (long long) part->inside);
    }
  g_print (_("This gate: %lld inside, entries: %lld, exits: %lld, refused scans: %lld\n"),
           (long long) occupancy.gate_inside, (long long) occupancy.entries, (long long) occupancy.exits,
           (long long) occupancy.refusals);
  return 0;
}

/* Creates @path with @mode; an existing file is never overwritten. */
static gboolean
write_new_file (const char  *path,
                const char  *contents,
                int          mode,
                GError     **error)
{
  gsize length = strlen (contents);
  gsize written = 0;
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  int saved_errno;

  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  while (written < length)
    {
      gssize n = write (fd, contents + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not write %s: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
      written += n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

int
pdvctl_command_keygen (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *secret_key = NULL;
  g_autofree char *public_key = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *pub_path = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *pub_text = NULL;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &prefix,
      N_("Write PREFIX.key (the signing key, readable by you only) and PREFIX.pub"), N_("PREFIX") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("keygen --out PREFIX — make a key pair for signing tickets"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (prefix == NULL || *prefix == '\0')
    return pdvctl_fail_usage (options, _("keygen needs --out PREFIX"));
  if (g_strv_length (options->args) != 1)
    return pdvctl_fail_usage (options, _("keygen takes no other arguments"));

  if (!pdv_ticket_key_generate (&secret_key, &public_key, &error))
    return pdvctl_fail_error (options, error);
  key_path = g_strconcat (prefix, ".key", NULL);
  pub_path = g_strconcat (prefix, ".pub", NULL);
  key_text = g_strconcat (secret_key, "\n", NULL);
  pub_text = g_strconcat (public_key, "\n", NULL);
  if (g_file_test (pub_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("%s already exists; choose another prefix"), pub_path);
      return pdvctl_fail (options, message);
    }
  if (!write_new_file (key_path, key_text, 0600, &error))
    return pdvctl_fail_error (options, error);
  if (!write_new_file (pub_path, pub_text, 0644, &error))
    {
      g_remove (key_path);
      return pdvctl_fail_error (options, error);
    }

  if (options->json)
    {
      g_autoptr(json_t) body = json_pack ("{s:b, s:s, s:s, s:s}", "ok", TRUE, "key", key_path,
                                          "pub", pub_path, "ticket_public_key", public_key);
      pdvctl_print_json (body);
    }
  else
    g_print (_("Signing key: %s (keep it secret; it can make valid tickets)\n"
               "Public key:  %s\n"
               "Put this in the event file as \"ticket_public_key\": %s\n"),
             key_path, pub_path, public_key);
  return 0;
}

static gboolean
parse_time_option (const char  *text,
                   const char  *option,
                   gboolean    *out_has,
                   gint64      *out_seconds,
                   GError     **error)
{
  g_autoptr(GDateTime) time = NULL;

  *out_has = FALSE;
  if (text == NULL)
    return TRUE;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a time like 2026-12-12T18:00:00-03:00"), option, text);
      return FALSE;
    }
  *out_has = TRUE;
  *out_seconds = g_date_time_to_unix (time);
  return TRUE;
}

static int
ticket_sign (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvTicketClaims) claims = pdv_ticket_claims_new ();
  g_autofree char *key_path = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *signed_text = NULL;
  gboolean long_form = FALSE;
  guint8 secret_key[PDV_TICKET_SECRET_KEY_BYTES];
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, N_("The signing key (PREFIX.key from pdvctl keygen)"), N_("FILE") },
    { "ticket", 0, 0, G_OPTION_ARG_STRING, &claims->ticket_id, N_("The ticket id"), N_("ID") },
    { "event", 0, 0, G_OPTION_ARG_STRING, &claims->event_id, N_("The event id"), N_("EVENT") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &claims->type, N_("The ticket type, e.g. Pista"), N_("TYPE") },
    { "zone", 0, 0, G_OPTION_ARG_STRING, &claims->zone, N_("The zone it admits to, e.g. general"), N_("ZONE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Valid from this time (ISO 8601 with UTC offset)"), N_("TIME") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Valid until this time (ISO 8601 with UTC offset)"), N_("TIME") },
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy, N_("single (default), multi or reentry"), N_("POLICY") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &claims->holder_name, N_("The holder’s name"), N_("NAME") },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png_path, N_("Also write the QR code to this PNG file"), N_("FILE") },
    { "long", 0, 0, G_OPTION_ARG_NONE, &long_form,
      N_("The long form (PDV1.), for issuers that read its JSON; the default compact form (PDV2:) makes a "
         "smaller QR code that reads better"), NULL },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("ticket sign --key FILE --ticket ID --event EVENT --type TYPE --zone ZONE "
                                        "— make a signed ticket"),
                             entries, &error))
    return pdvctl_fail_error (options, error);
  if (g_strv_length (options->args) != 2)
    return pdvctl_fail_usage (options, _("ticket sign takes options only"));
  if (key_path == NULL || claims->ticket_id == NULL || claims->event_id == NULL ||
      claims->type == NULL || claims->zone == NULL)
    return pdvctl_fail_usage (options, _("ticket sign needs --key, --ticket, --event, --type and --zone"));
  if (policy != NULL && !pdv_entry_policy_from_string (policy, &claims->policy))
    {
      g_autofree char *message = g_strdup_printf (_("unknown policy “%s”: single, multi or reentry"), policy);
      return pdvctl_fail (options, message);
    }
  if (!parse_time_option (from, "--from", &claims->has_valid_from, &claims->valid_from, &error) ||
      !parse_time_option (until, "--until", &claims->has_valid_until, &claims->valid_until, &error))
    return pdvctl_fail_error (options, error);

  if (!g_file_get_contents (key_path, &key_text, NULL, &error))
    return pdvctl_fail_error (options, error);
  if (!pdv_ticket_secret_key_parse (key_text, secret_key, &error))
    return pdvctl_fail_error (options, error);
  signed_text = long_form ? pdv_ticket_token_sign (claims, secret_key, &error)
                          : pdv_ticket_token_sign_compact (claims, secret_key, &error);
  sodium_memzero (secret_key, sizeof secret_key);
  if (signed_text == NULL)
    return pdvctl_fail_error (options, error);
  if (png_path != NULL && !pdvctl_write_qr_png (signed_text, png_path, &error))
    return pdvctl_fail_error (options, error);

  if (options->json)
    {
      g_autoptr(json_t) body = json_pack ("{s:b, s:s, s:s?}", "ok", TRUE, "ticket", signed_text, "png", png_path);
      pdvctl_print_json (body);
    }
  else
    g_print ("%s\n", signed_text);
  return 0;
}

int
pdvctl_command_ticket (Options *options)
{
  if (options->args[0] != NULL && options->args[1] != NULL && g_str_equal (options->args[1], "sign"))
    return ticket_sign (options);
  return pdvctl_fail_usage (options, _("usage: pdvctl ticket sign --key FILE --ticket ID --event EVENT "
                                 "--type TYPE --zone ZONE [--from TIME] [--until TIME] [--policy POLICY] "
                                 "[--name NAME] [--png FILE]"));
}

/* gate [--name NAME] [--zone ZONE…] [--all-zones] [--direction entry|exit]
 * [--stale-capacity refuse-early|warn] [--stale-margin PERCENT]:
 * shows the gate this terminal is, or sets it. */
int
pdvctl_command_gate (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_auto(PdvGateProfile) profile = { 0 };
  g_autofree char *name = NULL;
  g_autofree char *direction = NULL;
  g_autofree char *terminal = NULL;
  g_auto(GStrv) zones = NULL;
  g_autofree char *stale = NULL;
  int stale_margin = -1;
  gboolean all_zones = FALSE;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The gate’s name, as the event lists it (\"\" for the terminal’s)"),
      N_("NAME") },
    { "zone", 0, 0, G_OPTION_ARG_STRING_ARRAY, &zones, N_("A zone the gate admits; repeat for several"), N_("ZONE") },
    { "all-zones", 0, 0, G_OPTION_ARG_NONE, &all_zones, N_("The gate admits every zone"), NULL },
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction, N_("What it scans unless told otherwise: entry or exit"),
      N_("DIRECTION") },
    { "stale-capacity", 0, 0, G_OPTION_ARG_STRING, &stale,
      N_("Near capacity while the other gates are not heard from: refuse-early or warn"), N_("POLICY") },
    { "stale-margin", 0, 0, G_OPTION_ARG_INT, &stale_margin,
      N_("How far short of capacity refuse-early stops entries, in percent (0–50, default 5)"), N_("PERCENT") },
    { NULL }
  };

  if (!pdvctl_parse_options (options, _("gate — show or set the gate this terminal is"), entries, &error))
    return pdvctl_fail_error (options, error);
  if (stale != NULL && g_strcmp0 (stale, "refuse-early") != 0 && g_strcmp0 (stale, "warn") != 0)
    return pdvctl_fail_usage (options, _("--stale-capacity is refuse-early or warn"));
  if (stale_margin != -1 && (stale_margin < 0 || stale_margin > PDV_STALE_MARGIN_MAX))
    return pdvctl_fail_usage (options, _("--stale-margin is a percentage from 0 to 50"));
  if (direction != NULL && g_strcmp0 (direction, "entry") != 0 && g_strcmp0 (direction, "exit") != 0)
    return pdvctl_fail_usage (options, _("--direction is entry or exit"));
  if (zones != NULL && all_zones)
    return pdvctl_fail_usage (options, _("--zone and --all-zones say different things: give one"));
  context = pdvctl_open_context (options, TRUE, &error);
  if (context == NULL)
    return pdvctl_fail_error (options, error);

  pdv_gate_profile_load (pdv_context_get_db (context), &profile);
  if (name != NULL || zones != NULL || all_zones || direction != NULL || stale != NULL || stale_margin != -1)
    {
      if (stale != NULL)
        profile.stale_capacity = g_str_equal (stale, "warn") ? PDV_STALE_WARN_ONLY : PDV_STALE_REFUSE_EARLY;
      if (stale_margin != -1)
        profile.stale_margin = (guint) stale_margin;
      if (name != NULL)
        {
          g_free (profile.gate);
          profile.gate = *g_strstrip (name) != '\0' ? g_strdup (name) : NULL;
        }
      if (zones != NULL || all_zones)
        {
          g_strfreev (profile.zones);
          profile.zones = all_zones ? NULL : g_strdupv (zones);
        }
      if (direction != NULL)
        profile.direction = g_str_equal (direction, "exit") ? PDV_CHECKIN_EXIT : PDV_CHECKIN_ENTRY;
      g_autofree char *described = pdv_gate_profile_describe (&profile);

      if (!pdv_gate_profile_save (pdv_context_get_db (context), &profile, &error) ||
          !pdv_journal_record_setting (pdv_context_get_journal (context), NULL, "gate", described, &error))
        return pdvctl_fail_error (options, error);
    }

  terminal = pdv_context_dup_terminal_name (context);
  if (options->json)
    {
      json_t *zone_list = json_null ();
      g_autoptr(json_t) body = NULL;

      /* null: every zone. */
      if (profile.zones != NULL)
        {
          zone_list = json_array ();
          for (guint i = 0; profile.zones[i] != NULL; i++)
            json_array_append_new (zone_list, json_string (profile.zones[i]));
        }
      body = json_pack ("{s:b, s:s?, s:o, s:s, s:s, s:i}", "ok", TRUE, "gate", profile.gate ? profile.gate : terminal,
                        "zones", zone_list, "direction", pdv_checkin_direction_to_string (profile.direction),
                        "stale_capacity", profile.stale_capacity == PDV_STALE_WARN_ONLY ? "warn" : "refuse-early",
                        "stale_margin", (int) profile.stale_margin);
      pdvctl_print_json (body);
      return 0;
    }
  g_print (_("Gate: %s\n"), profile.gate ? profile.gate : terminal ? terminal : "—");
  if (profile.zones == NULL)
    g_print (_("Admits: every zone\n"));
  else
    {
      g_autofree char *list = g_strjoinv (", ", profile.zones);

      g_print (_("Admits: %s\n"), list);
    }
  g_print (profile.direction == PDV_CHECKIN_EXIT ? _("Scans: exits\n") : _("Scans: entries\n"));
  if (profile.stale_capacity == PDV_STALE_WARN_ONLY)
    g_print (_("Other gates unheard near capacity: warn only\n"));
  else
    g_print (_("Other gates unheard near capacity: stop entries %u %% short of capacity\n"), profile.stale_margin);
  return 0;
}

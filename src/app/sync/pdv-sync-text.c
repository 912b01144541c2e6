/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-sync-text"

#include "config.h"

#include <glib/gi18n.h>

#include "pdv-datetime.h"
#include "pdv-sync-text.h"

/**
 * pdv_sync_text_age:
 * @seconds: how long something has waited
 *
 * Returns: (transfer full): "42 s", "3 min" or "2 h"
 */
char *
pdv_sync_text_age (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds < 120)
    return g_strdup_printf (_("%lld s"), (long long) seconds);
  if (seconds < 2 * 3600)
    return g_strdup_printf (_("%lld min"), (long long) (seconds / 60));
  return g_strdup_printf (_("%lld h"), (long long) (seconds / 3600));
}

/**
 * pdv_sync_text_time:
 * @time: (nullable): a moment
 * @now: what counts as today: the terminal clock's time
 * @timezone: (nullable): where the clock is read, %NULL for this machine's
 *
 * Returns: (transfer full): the time of day, with the date unless it is
 *   today; "Never" for %NULL
 */
char *
pdv_sync_text_time (GDateTime *time,
                    GDateTime *now,
                    GTimeZone *timezone)
{
  g_autoptr(GTimeZone) local_zone = timezone != NULL ? g_time_zone_ref (timezone) : g_time_zone_new_local ();
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;

  g_return_val_if_fail (now != NULL, NULL);

  if (time == NULL)
    return g_strdup (_("Never"));
  local = g_date_time_to_timezone (time, local_zone);
  local_now = g_date_time_to_timezone (now, local_zone);
  if (g_date_time_get_year (local) == g_date_time_get_year (local_now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (local_now))
    return pdv_datetime_format (local, NULL, PDV_DATETIME_TIME_SECONDS);
  return pdv_datetime_format (local, NULL, PDV_DATETIME_DATE_TIME_SECONDS);
}

/**
 * pdv_sync_text_iso_time:
 * @iso8601: (nullable): a time as the server and the journal write it
 *
 * Returns: (transfer full): as pdv_sync_text_time(), or @iso8601 itself
 *   when it cannot be read
 */
char *
pdv_sync_text_iso_time (const char *iso8601,
                        GDateTime  *now,
                        GTimeZone  *timezone)
{
  g_autoptr(GDateTime) time = NULL;

  if (iso8601 == NULL)
    return g_strdup ("?");
  time = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (time == NULL)
    return g_strdup (iso8601);
  return pdv_sync_text_time (time, now, timezone);
}

/**
 * pdv_sync_text_to_send:
 *
 * Returns: (transfer full): "12 to send"
 */
char *
pdv_sync_text_to_send (gint64 queued)
{
  /* Translators: journal entries not yet on the sync server; %lld is how many */
  return g_strdup_printf (ngettext ("%lld to send", "%lld to send", (gulong) CLAMP (queued, 0, G_MAXLONG)),
                          (long long) queued);
}

/**
 * pdv_sync_status_is_offline:
 *
 * Whether the last attempt got no answer. A terminal enrolled a moment ago
 * has not tried yet: that is not being offline.
 */
gboolean
pdv_sync_status_is_offline (const PdvSyncStatus *status)
{
  g_return_val_if_fail (status != NULL, FALSE);

  return status->enrolled && !status->online && status->last_attempt != NULL;
}

/**
 * pdv_sync_status_needs_attention:
 * @now: (nullable): %NULL for the clock
 *
 * Whether someone should look at the sync page: the last attempt failed,
 * conflicts nobody has seen, or entries that have waited too long.
 */
gboolean
pdv_sync_status_needs_attention (const PdvSyncStatus *status,
                                 GDateTime           *now)
{
  g_return_val_if_fail (status != NULL, FALSE);

  if (!status->enrolled)
    return FALSE;
  return status->last_error != NULL ||
         status->open_conflicts > 0 ||
         pdv_sync_status_get_oldest_age (status, now) > PDV_SYNC_OLDEST_WARNING_S;
}

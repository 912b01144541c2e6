/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-checkin"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-checkin-private.h"
#include "pdv-db-private.h"

/* A check-in station: its gate, direction and zones, and the one call from
 * what a scanner read to a verdict, journalled with the scan whatever it is.
 * The rules are in pdv-checkin-rules.c. */

struct _PdvCheckin
{
  GObject              parent_instance;
  PdvJournal          *journal;
  PdvDb               *db;
  char                *gate;
  PdvCheckinDirection  direction;
  GStrv                zones;
  char                *user;
};

G_DEFINE_FINAL_TYPE (PdvCheckin, pdv_checkin, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PdvCheckinDirection, pdv_checkin_direction,
                    G_DEFINE_ENUM_VALUE (PDV_CHECKIN_ENTRY, "entry"),
                    G_DEFINE_ENUM_VALUE (PDV_CHECKIN_EXIT, "exit"))

G_DEFINE_BOXED_TYPE (PdvCheckinResult, pdv_checkin_result,
                     pdv_checkin_result_copy, pdv_checkin_result_free)

enum {
  PROP_0,
  PROP_JOURNAL,
  PROP_GATE,
  PROP_DIRECTION,
  PROP_ZONES,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const verdict_names[] = {
  "valid", "exited", "already_inside", "already_used", "not_inside", "unknown", "cancelled",
  "revoked", "wrong_event", "not_yet_valid", "expired", "wrong_zone", "capacity_full",
  "bad_signature", "unreadable",
};
G_STATIC_ASSERT (G_N_ELEMENTS (verdict_names) == PDV_CHECKIN_UNREADABLE + 1);

static const char * const source_names[] = { "camera", "wedge", "manual", "file" };

const char *
pdv_checkin_verdict_to_string (PdvCheckinVerdict verdict)
{
  g_return_val_if_fail (verdict <= PDV_CHECKIN_UNREADABLE, NULL);
  return verdict_names[verdict];
}

const char *
pdv_checkin_direction_to_string (PdvCheckinDirection direction)
{
  return direction == PDV_CHECKIN_EXIT ? "exit" : "entry";
}

const char *
pdv_scan_source_to_string (PdvScanSource source)
{
  g_return_val_if_fail (source <= PDV_SCAN_FILE, NULL);
  return source_names[source];
}

gboolean
pdv_scan_source_from_string (const char    *text,
                             PdvScanSource *out_source)
{
  for (guint i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (g_strcmp0 (text, source_names[i]) == 0)
      {
        *out_source = (PdvScanSource) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * pdv_checkin_warnings_to_strv:
 *
 * Returns: (transfer full): "re_entry", "capacity_near", "capacity_full"
 */
GStrv
pdv_checkin_warnings_to_strv (PdvCheckinWarnings warnings)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (warnings & PDV_CHECKIN_WARNING_RE_ENTRY)
    g_strv_builder_add (builder, "re_entry");
  if (warnings & PDV_CHECKIN_WARNING_CAPACITY_NEAR)
    g_strv_builder_add (builder, "capacity_near");
  if (warnings & PDV_CHECKIN_WARNING_CAPACITY_FULL)
    g_strv_builder_add (builder, "capacity_full");
  if (warnings & PDV_CHECKIN_WARNING_OVERRIDE)
    g_strv_builder_add (builder, "override");
  return g_strv_builder_end (builder);
}

PdvCheckinResult *
pdv_checkin_result_copy (const PdvCheckinResult *result)
{
  PdvCheckinResult *copy = g_memdup2 (result, sizeof *result);

  copy->message = g_strdup (result->message);
  copy->detail = g_strdup (result->detail);
  copy->ticket_id = g_strdup (result->ticket_id);
  copy->holder_name = g_strdup (result->holder_name);
  copy->attention = g_strdup (result->attention);
  copy->order_code = g_strdup (result->order_code);
  copy->type = g_strdup (result->type);
  copy->zone = g_strdup (result->zone);
  copy->last_at = result->last_at ? g_date_time_ref (result->last_at) : NULL;
  copy->last_gate = g_strdup (result->last_gate);
  copy->scanned_at = result->scanned_at ? g_date_time_ref (result->scanned_at) : NULL;
  return copy;
}

void
pdv_checkin_result_free (PdvCheckinResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message);
  g_free (result->detail);
  g_free (result->ticket_id);
  g_free (result->holder_name);
  g_free (result->attention);
  g_free (result->order_code);
  g_free (result->type);
  g_free (result->zone);
  g_clear_pointer (&result->last_at, g_date_time_unref);
  g_clear_pointer (&result->scanned_at, g_date_time_unref);
  g_free (result->last_gate);
  g_free (result);
}

/**
 * pdv_checkin_result_is_accepted:
 *
 * Whether the person goes through: an entry or an exit was recorded.
 */
gboolean
pdv_checkin_result_is_accepted (const PdvCheckinResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);
  return result->verdict == PDV_CHECKIN_VALID || result->verdict == PDV_CHECKIN_EXITED;
}

static void
pdv_checkin_finalize (GObject *object)
{
  PdvCheckin *self = (PdvCheckin *) object;

  g_clear_object (&self->journal);
  g_clear_object (&self->db);
  g_clear_pointer (&self->gate, g_free);
  g_clear_pointer (&self->zones, g_strfreev);
  g_clear_pointer (&self->user, g_free);

  G_OBJECT_CLASS (pdv_checkin_parent_class)->finalize (object);
}

static void
pdv_checkin_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PdvCheckin *self = PDV_CHECKIN (object);

  switch (prop_id)
    {
    case PROP_JOURNAL:
      g_value_set_object (value, self->journal);
      break;
    case PROP_GATE:
      g_value_set_string (value, self->gate);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_ZONES:
      g_value_set_boxed (value, self->zones);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_checkin_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PdvCheckin *self = PDV_CHECKIN (object);

  switch (prop_id)
    {
    case PROP_JOURNAL:
      self->journal = g_value_dup_object (value);
      self->db = g_object_ref (pdv_journal_get_db (self->journal));
      break;
    case PROP_GATE:
      pdv_checkin_set_gate (self, g_value_get_string (value));
      break;
    case PROP_DIRECTION:
      pdv_checkin_set_direction (self, g_value_get_enum (value));
      break;
    case PROP_ZONES:
      pdv_checkin_set_zones (self, g_value_get_boxed (value));
      break;
    case PROP_USER:
      pdv_checkin_set_user (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_checkin_class_init (PdvCheckinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdv_checkin_finalize;
  object_class->get_property = pdv_checkin_get_property;
  object_class->set_property = pdv_checkin_set_property;

  properties[PROP_JOURNAL] =
    g_param_spec_object ("journal", NULL, NULL, PDV_TYPE_JOURNAL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvCheckin:gate:
   *
   * Where scans happen, as the journal and "already used at …" name it.
   * %NULL means the terminal's name.
   */
  properties[PROP_GATE] =
    g_param_spec_string ("gate", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, PDV_TYPE_CHECKIN_DIRECTION, PDV_CHECKIN_ENTRY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvCheckin:zones:
   *
   * The zones this gate admits; %NULL or empty admits every zone.
   */
  properties[PROP_ZONES] =
    g_param_spec_boxed ("zones", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PdvCheckin:user:
   *
   * The door staff member scanning, recorded with every scan.
   */
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdv_checkin_init (PdvCheckin *self)
{
  self->direction = PDV_CHECKIN_ENTRY;
}

/**
 * pdv_checkin_new:
 *
 * A check-in station on @journal's terminal: entry direction, the terminal's
 * name as gate, every zone admitted, the real clock.
 */
PdvCheckin *
pdv_checkin_new (PdvJournal *journal)
{
  g_return_val_if_fail (PDV_IS_JOURNAL (journal), NULL);

  return g_object_new (PDV_TYPE_CHECKIN, "journal", journal, NULL);
}

const char *
pdv_checkin_get_gate (PdvCheckin *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);
  return self->gate;
}

void
pdv_checkin_set_gate (PdvCheckin *self,
                      const char *gate)
{
  g_return_if_fail (PDV_IS_CHECKIN (self));

  if (gate != NULL && *gate == '\0')
    gate = NULL;
  if (g_strcmp0 (self->gate, gate) == 0)
    return;
  g_free (self->gate);
  self->gate = g_strdup (gate);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GATE]);
}

PdvCheckinDirection
pdv_checkin_get_direction (PdvCheckin *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN (self), PDV_CHECKIN_ENTRY);
  return self->direction;
}

void
pdv_checkin_set_direction (PdvCheckin          *self,
                           PdvCheckinDirection  direction)
{
  g_return_if_fail (PDV_IS_CHECKIN (self));
  g_return_if_fail (direction == PDV_CHECKIN_ENTRY || direction == PDV_CHECKIN_EXIT);

  if (self->direction == direction)
    return;
  self->direction = direction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTION]);
}

const char * const *
pdv_checkin_get_zones (PdvCheckin *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);
  return (const char * const *) self->zones;
}

void
pdv_checkin_set_zones (PdvCheckin         *self,
                       const char * const *zones)
{
  g_return_if_fail (PDV_IS_CHECKIN (self));

  if (zones != NULL && zones[0] == NULL)
    zones = NULL;
  if (zones == NULL && self->zones == NULL)
    return;
  if (zones != NULL && self->zones != NULL && g_strv_equal (zones, (const char * const *) self->zones))
    return;
  g_strfreev (self->zones);
  self->zones = g_strdupv ((GStrv) zones);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZONES]);
}

const char *
pdv_checkin_get_user (PdvCheckin *self)
{
  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);
  return self->user;
}

void
pdv_checkin_set_user (PdvCheckin *self,
                      const char *user)
{
  g_return_if_fail (PDV_IS_CHECKIN (self));

  if (g_strcmp0 (self->user, user) == 0)
    return;
  g_free (self->user);
  self->user = g_strdup (user);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static GDateTime *
current_time (PdvCheckin *self)
{
  return pdv_clock_get_now_utc (pdv_db_get_clock (pdv_journal_get_db (self->journal)));
}

static char *
effective_gate (PdvCheckin *self)
{
  char *name;

  if (self->gate != NULL)
    return g_strdup (self->gate);
  name = pdv_db_get_meta (self->db, "terminal_name");
  return name ? name : g_strdup ("-");
}

/* Journals the scan with its verdict, in the transaction the verdict was
 * reached in, and commits. */
static gboolean
record (PdvCheckin        *self,
        PdvCheckinResult  *result,
        json_t            *payload,
        const char        *user,
        GError           **error)
{
  g_autoptr(PdvJournalEntry) entry = NULL;
  PdvOccupancy occupancy;

  json_object_set_new (payload, "verdict", json_string (pdv_checkin_verdict_to_string (result->verdict)));
  entry = pdv_journal_append_in_transaction (self->journal, PDV_ENTRY_CHECKIN, user, payload, error);
  if (entry == NULL || !pdv_checkin_load_occupancy (self->db, &occupancy, error) || !pdv_db_commit (self->db, error))
    return FALSE;
  result->seq = entry->seq;
  result->scanned_at = g_date_time_new_from_iso8601 (entry->created_at, NULL);
  result->inside = occupancy.inside;
  return TRUE;
}

static json_t *
new_payload (PdvCheckinDirection  direction,
             const char          *gate,
             PdvScanSource        source,
             GDateTime           *now)
{
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  return json_pack ("{s:s, s:s, s:s, s:s}",
                    "direction", pdv_checkin_direction_to_string (direction),
                    "gate", gate,
                    "source", pdv_scan_source_to_string (source),
                    "at", at);
}

/* Reads, identifies, judges and journals one code; with @supervisor, a
 * refusal that pdv_checkin_verdict_can_override() allows becomes an entry on
 * their word (pdv_checkin_override()). */
static PdvCheckinResult *
check_code (PdvCheckin     *self,
            const char     *text,
            gssize          length,
            PdvScanSource   source,
            const char     *supervisor,
            const char     *reason,
            GError        **error)
{
  g_autoptr(PdvCheckinResult) result = g_new0 (PdvCheckinResult, 1);
  g_auto(PdvCheckinEvent) event = { 0 };
  g_auto(PdvCheckinTicket) ticket = { 0 };
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(json_t) payload = NULL;
  g_autofree char *gate = NULL;
  g_autofree char *code = NULL;
  PdvCheckinDirection direction = supervisor != NULL ? PDV_CHECKIN_ENTRY : self->direction;
  const char *problem = NULL;
  gboolean identified = FALSE;
  gsize size;

  if (text == NULL)
    text = "";
  size = length < 0 ? strlen (text) : (gsize) length;
  now = current_time (self);
  gate = effective_gate (self);
  result->direction = direction;
  payload = new_payload (direction, gate, source, now);

  code = pdv_checkin_read_input (text, size, &problem);
  if (code == NULL)
    pdv_checkin_refuse_unreadable (result, problem, NULL);

  if (!pdv_db_begin (self->db, error))
    return NULL;
  pdv_checkin_event_load (self->db, &event);
  result->capacity = event.capacity;

  if (code != NULL && !pdv_checkin_identify (self->db, code, &event, &ticket, result, &identified, &problem, error))
    goto failed;
  if (!identified)
    json_object_set_new (payload, "input", pdv_checkin_input_summary (text, size, problem));
  if (identified && !pdv_checkin_judge (self->db, (const char * const *) self->zones, &ticket, direction, now, &event,
                                          result, payload, error))
    goto failed;
  if (supervisor != NULL && identified && pdv_checkin_verdict_can_override (result->verdict))
    {
      PdvOccupancy occupancy;
      gboolean inside = result->verdict == PDV_CHECKIN_ALREADY_INSIDE;
      g_autofree char *refused = g_strdup (result->message);

      if (!pdv_checkin_load_occupancy (self->db, &occupancy, error))
        goto failed;
      if (event.capacity > 0 && !inside && occupancy.inside >= event.capacity)
        {
          result->verdict = PDV_CHECKIN_CAPACITY_FULL;
          pdv_checkin_set_message (result, g_strdup_printf (_("Venue full: %lld of %lld inside"),
                                                            (long long) occupancy.inside, (long long) event.capacity),
                                   g_strdup (_("A full venue cannot be overridden")));
        }
      else
        {
          json_object_set_new (payload, "override",
                               json_pack ("{s:s, s:s, s:s}", "by", supervisor, "reason", reason,
                                          "refused", pdv_checkin_verdict_to_string (result->verdict)));
          g_auto(GStrv) warnings = NULL;
          json_t *list = json_array ();

          result->verdict = PDV_CHECKIN_VALID;
          result->warnings |= PDV_CHECKIN_WARNING_OVERRIDE;
          warnings = pdv_checkin_warnings_to_strv (result->warnings);
          for (guint i = 0; warnings[i] != NULL; i++)
            json_array_append_new (list, json_string (warnings[i]));
          json_object_set_new (payload, "warnings", list);
          /* Translators: a refused ticket let in anyway; %s is the supervisor's reason */
          pdv_checkin_set_message (result, g_strdup_printf (_("Let in by a supervisor: %s"), reason),
                                   g_steal_pointer (&refused));
        }
    }
  if (!record (self, result, payload, self->user, error))
    goto failed;
  return g_steal_pointer (&result);

failed:
  pdv_db_rollback (self->db);
  return NULL;
}

/**
 * pdv_checkin_validate:
 * @text: what the scanner read (not necessarily text, nor NUL-terminated)
 * @length: its length in bytes, or -1 if @text is NUL-terminated
 * @source: the device that read it
 *
 * Decides whether the ticket in @text enters (or leaves, in the exit
 * direction) and journals the scan, accepted or refused, with the state
 * changes it brings, in one durable transaction.
 *
 * Returns: (transfer full): the verdict; %NULL only when the database
 *   failed, with @error set, and then nothing was recorded
 */
PdvCheckinResult *
pdv_checkin_validate (PdvCheckin     *self,
                      const char     *text,
                      gssize          length,
                      PdvScanSource   source,
                      GError        **error)
{
  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);
  g_return_val_if_fail (text != NULL || length <= 0, NULL);
  g_return_val_if_fail (source <= PDV_SCAN_FILE, NULL);

  return check_code (self, text, length, source, NULL, NULL, error);
}

/**
 * pdv_checkin_admit_manual:
 * @ticket_id: the ticket door staff found by search
 * @user: who admits
 * @reason: (nullable): why the QR code was not scanned
 *
 * An entry without a scan, under the same rules, journalled as manual with
 * who admitted and why.
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set when the
 *   database failed
 */
PdvCheckinResult *
pdv_checkin_admit_manual (PdvCheckin  *self,
                          const char  *ticket_id,
                          const char  *user,
                          const char  *reason,
                          GError     **error)
{
  g_autoptr(PdvCheckinResult) result = g_new0 (PdvCheckinResult, 1);
  g_auto(PdvCheckinEvent) event = { 0 };
  g_auto(PdvCheckinTicket) ticket = { 0 };
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(json_t) payload = NULL;
  g_autofree char *gate = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);
  g_return_val_if_fail (ticket_id != NULL, NULL);
  g_return_val_if_fail (user != NULL && *user != '\0', NULL);

  now = current_time (self);
  gate = effective_gate (self);
  result->direction = PDV_CHECKIN_ENTRY;
  payload = new_payload (PDV_CHECKIN_ENTRY, gate, PDV_SCAN_MANUAL, now);
  if (reason != NULL && *reason != '\0')
    json_object_set_new (payload, "reason", json_string (reason));

  if (!pdv_db_begin (self->db, error))
    return NULL;
  pdv_checkin_event_load (self->db, &event);
  result->capacity = event.capacity;

  if (!pdv_checkin_find_ticket (self->db, ticket_id, &ticket, &found, error))
    goto failed;
  if (found)
    {
      if (!pdv_checkin_judge (self->db, (const char * const *) self->zones, &ticket, PDV_CHECKIN_ENTRY, now,
                              &event, result, payload, error))
        goto failed;
    }
  else
    {
      result->verdict = PDV_CHECKIN_UNKNOWN;
      json_object_set_new (payload, "input", pdv_checkin_input_summary (ticket_id, strlen (ticket_id), NULL));
      pdv_checkin_set_message (result, g_strdup (_("Unknown ticket: not on this event’s list")), NULL);
    }
  if (!record (self, result, payload, user, error))
    goto failed;
  return g_steal_pointer (&result);

failed:
  pdv_db_rollback (self->db);
  return NULL;
}

/**
 * pdv_checkin_verdict_can_override:
 *
 * Whether a supervisor may let in someone refused for this: a ticket that
 * was identified and refused by its own state or the gate's rules. Never a
 * full venue, nor a code that is no ticket of this event.
 */
gboolean
pdv_checkin_verdict_can_override (PdvCheckinVerdict verdict)
{
  switch (verdict)
    {
    case PDV_CHECKIN_ALREADY_INSIDE:
    case PDV_CHECKIN_ALREADY_USED:
    case PDV_CHECKIN_CANCELLED:
    case PDV_CHECKIN_REVOKED:
    case PDV_CHECKIN_NOT_YET_VALID:
    case PDV_CHECKIN_EXPIRED:
    case PDV_CHECKIN_WRONG_ZONE:
      return TRUE;
    case PDV_CHECKIN_VALID:
    case PDV_CHECKIN_EXITED:
    case PDV_CHECKIN_NOT_INSIDE:
    case PDV_CHECKIN_UNKNOWN:
    case PDV_CHECKIN_WRONG_EVENT:
    case PDV_CHECKIN_CAPACITY_FULL:
    case PDV_CHECKIN_BAD_SIGNATURE:
    case PDV_CHECKIN_UNREADABLE:
    default:
      return FALSE;
    }
}

/**
 * pdv_checkin_override:
 * @text: the code the door refused, as it was read
 * @supervisor: the manager whose PIN allowed it
 * @reason: why, in their words
 *
 * Lets in someone the rules refuse, on a supervisor's word: the code is
 * judged again, and when the refusal is one pdv_checkin_verdict_can_override()
 * allows, the entry is recorded as valid, with who allowed it, why and what
 * was refused. A full venue stays full: capacity is never overridden. Any
 * other verdict is recorded as it is.
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set when the
 *   database failed
 */
PdvCheckinResult *
pdv_checkin_override (PdvCheckin     *self,
                      const char     *text,
                      gssize          length,
                      PdvScanSource   source,
                      const char     *supervisor,
                      const char     *reason,
                      GError        **error)
{
  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (source <= PDV_SCAN_FILE, NULL);
  g_return_val_if_fail (supervisor != NULL && *supervisor != '\0', NULL);
  g_return_val_if_fail (reason != NULL && *reason != '\0', NULL);

  return check_code (self, text, length, source, supervisor, reason, error);
}

/**
 * pdv_checkin_search:
 * @text: an order code, a ticket id or words of the holder's name, in any
 *   case and with or without accents
 *
 * Returns: (transfer container) (element-type PdvTicketInfo): at most @limit
 *   tickets with where they stand, or %NULL with @error set
 */
GPtrArray *
pdv_checkin_search (PdvCheckin  *self,
                    const char  *text,
                    guint        limit,
                    GError     **error)
{
  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);
  return pdv_ticket_search (self->db, text, limit, error);
}

/**
 * pdv_checkin_get_occupancy:
 *
 * How many people are inside, as this terminal's journal counts them, against
 * the event's capacity.
 */
gboolean
pdv_checkin_get_occupancy (PdvCheckin    *self,
                           PdvOccupancy  *out_occupancy,
                           GError       **error)
{
  g_auto(PdvCheckinEvent) event = { 0 };

  g_return_val_if_fail (PDV_IS_CHECKIN (self), FALSE);
  g_return_val_if_fail (out_occupancy != NULL, FALSE);

  if (!pdv_checkin_load_occupancy (self->db, out_occupancy, error))
    return FALSE;
  pdv_checkin_event_load (self->db, &event);
  out_occupancy->capacity = event.capacity;
  return TRUE;
}

void
pdv_occupancy_part_free (PdvOccupancyPart *part)
{
  if (part == NULL)
    return;
  g_free (part->name);
  g_free (part);
}

/**
 * pdv_checkin_list_occupancy:
 * @parts: per zone, or per gate people last came in through
 *
 * The venue's "inside" split up, from this gate's scans and the other
 * gates' this terminal has pulled; parts with no one inside are left out.
 *
 * Returns: (transfer full) (element-type PdvOccupancyPart): by name
 */
GPtrArray *
pdv_checkin_list_occupancy (PdvCheckin         *self,
                            PdvOccupancyParts   parts,
                            GError            **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_occupancy_part_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);

  stmt = pdv_db_prepare (self->db,
                         parts == PDV_OCCUPANCY_BY_ZONE
                         ? "SELECT substr (key, 6), inside FROM door_counts WHERE key >= 'zone:' AND key < 'zone;' AND inside > 0 "
                           "ORDER BY key"
                         : "SELECT gate, COUNT (*) FROM venue_presence WHERE inside = 1 GROUP BY gate ORDER BY gate",
                         error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PdvOccupancyPart *part = g_new0 (PdvOccupancyPart, 1);

      part->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      part->inside = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (list, part);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pdv_db_set_error (self->db, error, _("Reading the occupancy"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * pdv_checkin_list_recent:
 * @limit: at most this many
 *
 * The last scans at this terminal, from its journal (so they survive a
 * restart), the newest first: verdict, warnings, direction, when, and the
 * ticket's holder as the ticket list knows them. Messages are not kept.
 *
 * Returns: (transfer full) (element-type PdvCheckinResult): the scans
 */
GPtrArray *
pdv_checkin_list_recent (PdvCheckin  *self,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(GPtrArray) scans = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_checkin_result_free);
  g_autoptr(GPtrArray) entries = NULL;
  gint64 last;

  g_return_val_if_fail (PDV_IS_CHECKIN (self), NULL);

  /* Backwards from the end, a page at a time, until enough scans are found. */
  last = pdv_journal_get_last_seq (self->journal);
  while (last > 0 && scans->len < limit)
    {
      gint64 since = MAX (0, last - 200);

      entries = pdv_journal_list (self->journal, since, last - since, error);
      if (entries == NULL)
        return NULL;
      for (guint i = entries->len; i > 0 && scans->len < limit; i--)
        {
          PdvJournalEntry *entry = g_ptr_array_index (entries, i - 1);
          PdvCheckinResult *result;
          const char *verdict;
          json_t *warnings;
          json_t *warning;
          gsize w;

          if (!g_str_equal (entry->kind, PDV_ENTRY_CHECKIN))
            continue;
          verdict = json_string_value (json_object_get (entry->payload, "verdict"));
          result = g_new0 (PdvCheckinResult, 1);
          result->verdict = PDV_CHECKIN_UNREADABLE;
          for (guint v = 0; v < G_N_ELEMENTS (verdict_names); v++)
            if (g_strcmp0 (verdict, verdict_names[v]) == 0)
              result->verdict = (PdvCheckinVerdict) v;
          warnings = json_object_get (entry->payload, "warnings");
          json_array_foreach (warnings, w, warning)
            {
              const char *name = json_string_value (warning);

              if (g_strcmp0 (name, "re_entry") == 0)
                result->warnings |= PDV_CHECKIN_WARNING_RE_ENTRY;
              else if (g_strcmp0 (name, "capacity_near") == 0)
                result->warnings |= PDV_CHECKIN_WARNING_CAPACITY_NEAR;
              else if (g_strcmp0 (name, "override") == 0)
                result->warnings |= PDV_CHECKIN_WARNING_OVERRIDE;
              else if (g_strcmp0 (name, "capacity_full") == 0)
                result->warnings |= PDV_CHECKIN_WARNING_CAPACITY_FULL;
            }
          result->direction = g_strcmp0 (json_string_value (json_object_get (entry->payload, "direction")), "exit") == 0
                              ? PDV_CHECKIN_EXIT : PDV_CHECKIN_ENTRY;
          result->seq = entry->seq;
          result->scanned_at = g_date_time_new_from_iso8601 (entry->created_at, NULL);
          result->ticket_id = g_strdup (json_string_value (json_object_get (entry->payload, "ticket_id")));
          if (result->ticket_id != NULL)
            {
              g_auto(PdvCheckinTicket) ticket = { 0 };
              gboolean found = FALSE;

              if (pdv_checkin_find_ticket (self->db, result->ticket_id, &ticket, &found, NULL) && found)
                {
                  result->holder_name = g_steal_pointer (&ticket.holder_name);
                  result->type = g_steal_pointer (&ticket.type);
                  result->zone = g_steal_pointer (&ticket.zone);
                }
            }
          g_ptr_array_add (scans, result);
        }
      last = since;
    }
  return g_steal_pointer (&scans);
}

void
pdv_gate_profile_clear (PdvGateProfile *profile)
{
  g_clear_pointer (&profile->gate, g_free);
  g_clear_pointer (&profile->zones, g_strfreev);
  profile->direction = PDV_CHECKIN_ENTRY;
}

/**
 * pdv_gate_profile_load:
 *
 * The gate this terminal is, as last saved; every field at its default
 * (the terminal's name, every zone, entries) when none was.
 */
void
pdv_gate_profile_load (PdvDb          *db,
                       PdvGateProfile *out_profile)
{
  g_autofree char *zones = NULL;
  g_autofree char *direction = NULL;
  g_autoptr(json_t) list = NULL;

  g_return_if_fail (PDV_IS_DB (db));
  g_return_if_fail (out_profile != NULL);

  memset (out_profile, 0, sizeof *out_profile);
  out_profile->gate = pdv_db_get_meta (db, "gate_name");
  if (out_profile->gate != NULL && *out_profile->gate == '\0')
    g_clear_pointer (&out_profile->gate, g_free);
  zones = pdv_db_get_meta (db, "gate_zones");
  list = zones ? json_loads (zones, 0, NULL) : NULL;
  if (json_is_array (list) && json_array_size (list) > 0)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      json_t *zone;
      gsize i;

      json_array_foreach (list, i, zone)
        if (json_is_string (zone))
          g_strv_builder_add (builder, json_string_value (zone));
      out_profile->zones = g_strv_builder_end (builder);
    }
  direction = pdv_db_get_meta (db, "gate_direction");
  out_profile->direction = g_strcmp0 (direction, "exit") == 0 ? PDV_CHECKIN_EXIT : PDV_CHECKIN_ENTRY;
  pdv_gate_profile_load_stale (db, &out_profile->stale_capacity, &out_profile->stale_margin);
}

/**
 * pdv_gate_profile_load_stale:
 *
 * Only what the gate does near capacity while the other gates are stale.
 */
void
pdv_gate_profile_load_stale (PdvDb            *db,
                             PdvStaleCapacity *out_policy,
                             guint            *out_margin)
{
  g_autofree char *policy = pdv_db_get_meta (db, "gate_stale_capacity");
  g_autofree char *margin = pdv_db_get_meta (db, "gate_stale_margin");
  guint64 value = PDV_STALE_MARGIN_DEFAULT;

  *out_policy = g_strcmp0 (policy, "warn") == 0 ? PDV_STALE_WARN_ONLY : PDV_STALE_REFUSE_EARLY;
  if (margin == NULL || !g_ascii_string_to_unsigned (margin, 10, 0, PDV_STALE_MARGIN_MAX, &value, NULL))
    value = PDV_STALE_MARGIN_DEFAULT;
  *out_margin = (guint) value;
}

/**
 * pdv_gate_profile_save:
 *
 * Keeps @profile as this terminal's gate, for the app and pdvctl alike.
 */
gboolean
pdv_gate_profile_save (PdvDb                *db,
                       const PdvGateProfile *profile,
                       GError              **error)
{
  g_autoptr(json_t) list = json_array ();
  g_autofree char *zones = NULL;
  g_autofree char *gate = NULL;
  g_autofree char *margin = NULL;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  gate = g_strstrip (g_strdup (profile->gate ? profile->gate : ""));
  if (g_utf8_strlen (gate, -1) > PDV_GATE_NAME_MAX_CHARS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   g_dngettext (GETTEXT_PACKAGE, "A gate’s name has at most %d character",
                                "A gate’s name has at most %d characters", PDV_GATE_NAME_MAX_CHARS),
                   PDV_GATE_NAME_MAX_CHARS);
      return FALSE;
    }
  for (guint i = 0; profile->zones != NULL && profile->zones[i] != NULL; i++)
    json_array_append_new (list, json_string (profile->zones[i]));
  zones = json_dumps (list, JSON_COMPACT);
  margin = g_strdup_printf ("%u", MIN (profile->stale_margin, PDV_STALE_MARGIN_MAX));
  if (!pdv_db_begin (db, error))
    return FALSE;
  if (!pdv_db_set_meta (db, "gate_name", gate, error) ||
      !pdv_db_set_meta (db, "gate_zones", zones, error) ||
      !pdv_db_set_meta (db, "gate_direction", pdv_checkin_direction_to_string (profile->direction), error) ||
      !pdv_db_set_meta (db, "gate_stale_capacity",
                        profile->stale_capacity == PDV_STALE_WARN_ONLY ? "warn" : "refuse-early", error) ||
      !pdv_db_set_meta (db, "gate_stale_margin", margin, error) ||
      !pdv_db_commit (db, error))
    {
      pdv_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/**
 * pdv_gate_profile_describe:
 *
 * Returns: (transfer full): the gate as the audit tells it: "Portão VIP ·
 *   vip · entry"
 */
char *
pdv_gate_profile_describe (const PdvGateProfile *profile)
{
  g_autofree char *zones = profile->zones != NULL ? g_strjoinv (", ", profile->zones) : NULL;

  return g_strdup_printf ("%s · %s · %s", profile->gate != NULL ? profile->gate : "—",
                          /* Translators: a gate that takes every zone */
                          zones != NULL ? zones : _("every zone"),
                          pdv_checkin_direction_to_string (profile->direction));
}

/**
 * pdv_checkin_use_profile:
 *
 * Scans as @profile's gate: its name (when it has one), its zones, its
 * direction.
 */
void
pdv_checkin_use_profile (PdvCheckin           *self,
                         const PdvGateProfile *profile)
{
  g_return_if_fail (PDV_IS_CHECKIN (self));
  g_return_if_fail (profile != NULL);

  if (profile->gate != NULL)
    pdv_checkin_set_gate (self, profile->gate);
  pdv_checkin_set_zones (self, (const char * const *) profile->zones);
  pdv_checkin_set_direction (self, profile->direction);
}

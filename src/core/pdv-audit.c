/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-audit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-audit.h"
#include "pdv-auth.h"
#include "pdv-csv.h"
#include "pdv-datetime.h"
#include "pdv-db-private.h"
#include "pdv-report-doc.h"
#include "pdv-sale-private.h"

/* The audit is read from the journal itself, newest first: every entry of
 * a sensitive kind, and the sales that gave a discount. Nothing is kept for
 * it: what the journal holds is what the audit shows. */

void
pdv_audit_event_free (PdvAuditEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->created_at);
  g_free (event->kind);
  g_free (event->user);
  g_free (event->user_name);
  g_free (event->authorised_by);
  g_free (event->what);
  g_free (event);
}

const char *
pdv_audit_category_label (PdvAuditCategory category)
{
  switch (category)
    {
    case PDV_AUDIT_DRAWER: return _("Drawer openings");
    case PDV_AUDIT_PINS: return _("Wrong PINs and lockouts");
    case PDV_AUDIT_OVERRIDES: return _("Manager overrides");
    case PDV_AUDIT_VOIDS: return _("Voids");
    case PDV_AUDIT_REFUNDS: return _("Refunds");
    case PDV_AUDIT_DISCOUNTS: return _("Discounts");
    case PDV_AUDIT_COUNTS: return _("Cash counts");
    case PDV_AUDIT_GIVEN_UP: return _("Sales given up");
    case PDV_AUDIT_IMPORTS: return _("Imports");
    case PDV_AUDIT_SETTINGS: return _("Settings");
    case PDV_AUDIT_ALARMS: return _("Tamper alarms");
    default: return _("Everything");
    }
}

static PdvAuditCategory
category_of (const char *kind,
             json_t     *payload)
{
  static const struct {
    const char       *kind;
    PdvAuditCategory  category;
  } kinds[] = {
    { PDV_ENTRY_DRAWER_OPEN, PDV_AUDIT_DRAWER },
    { PDV_ENTRY_AUTH_FAILED, PDV_AUDIT_PINS },
    { PDV_ENTRY_AUTH_OVERRIDE, PDV_AUDIT_OVERRIDES },
    { PDV_ENTRY_SALE_VOID, PDV_AUDIT_VOIDS },
    { PDV_ENTRY_SALE_REFUND, PDV_AUDIT_REFUNDS },
    { PDV_ENTRY_SHIFT_COUNT, PDV_AUDIT_COUNTS },
    { PDV_ENTRY_SALE_ABANDON, PDV_AUDIT_GIVEN_UP },
    { PDV_ENTRY_PAYMENT_CANCEL, PDV_AUDIT_GIVEN_UP },
    { PDV_ENTRY_EVENT_IMPORT, PDV_AUDIT_IMPORTS },
    { PDV_ENTRY_CATALOG_IMPORT, PDV_AUDIT_IMPORTS },
    { PDV_ENTRY_TICKETS_IMPORT, PDV_AUDIT_IMPORTS },
    { PDV_ENTRY_USERS_IMPORT, PDV_AUDIT_IMPORTS },
    { PDV_ENTRY_REVOCATIONS_IMPORT, PDV_AUDIT_IMPORTS },
    { PDV_ENTRY_SETTINGS_CHANGE, PDV_AUDIT_SETTINGS },
    { PDV_ENTRY_ALARM_RAISE, PDV_AUDIT_ALARMS },
    { PDV_ENTRY_ALARM_CLEAR, PDV_AUDIT_ALARMS },
  };

  if (g_str_equal (kind, PDV_ENTRY_SALE) && json_is_true (json_object_get (payload, "alarm")))
    return PDV_AUDIT_ALARMS;
  if (g_str_equal (kind, PDV_ENTRY_SALE))
    return json_integer_value (json_object_get (payload, "discount")) > 0 ? PDV_AUDIT_DISCOUNTS : 0;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kind, kinds[i].kind))
      return kinds[i].category;
  return 0;
}

typedef struct {
  GHashTable *names;          /* user id → name */
  char       *terminal_name;
} Lookup;

static const char *
name_of (Lookup     *lookup,
         const char *id)
{
  const char *name = id != NULL ? g_hash_table_lookup (lookup->names, id) : NULL;

  return name != NULL ? name : id;
}

static char *
money (json_t     *payload,
       const char *key)
{
  return pdv_money_format (json_integer_value (json_object_get (payload, key)));
}

static char *
with_reason (char       *text,
             json_t     *payload)
{
  const char *reason = json_string_value (json_object_get (payload, "reason"));
  char *joined;

  if (reason == NULL || *reason == '\0')
    return text;
  /* Translators: what happened, then why, e.g. "Drawer opened: change for the bar" */
  joined = g_strdup_printf (_("%s: %s"), text, reason);
  g_free (text);
  return joined;
}

static char *
describe_payments (json_t *payments)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (PdvPayment));
  json_t *item;
  size_t i;

  g_array_set_clear_func (list, (GDestroyNotify) pdv_payment_clear);
  json_array_foreach (payments, i, item)
    {
      PdvPayment payment = { 0 };

      if (pdv_sale_payment_from_json (item, &payment))
        g_array_append_val (list, payment);
    }
  return pdv_payments_describe (list, FALSE);
}

/* What an entry means, in a line. */
static char *
describe (Lookup                *lookup,
          gint64                 seq,
          PdvAuditCategory       category,
          const char            *kind,
          json_t                *payload)
{
  g_autofree char *sale = NULL;
  json_t *sale_seq = json_object_get (payload, "sale_seq");

  if (json_is_integer (sale_seq))
    sale = pdv_sale_number (lookup->terminal_name, json_integer_value (sale_seq));

  switch (category)
    {
    case PDV_AUDIT_DRAWER:
      return with_reason (g_strdup (_("Drawer opened without a sale")), payload);

    case PDV_AUDIT_PINS:
      {
        const char *reason = json_string_value (json_object_get (payload, "reason"));
        const char *subject = json_string_value (json_object_get (payload, "subject"));
        const char *who = name_of (lookup, subject);

        if (g_strcmp0 (subject, "override") == 0)
          /* Translators: someone typed a manager's PIN that was wrong or not a manager's */
          return g_strdup (g_strcmp0 (reason, "locked") == 0 ? _("Manager’s PIN refused: locked out")
                                                             : _("Wrong manager’s PIN"));
        if (g_strcmp0 (reason, "locked") == 0)
          /* Translators: %s is a person */
          return g_strdup_printf (_("%s tried while locked out"), who);
        if (g_strcmp0 (reason, "wrong_pin") == 0)
          /* Translators: %s is a person */
          return g_strdup_printf (_("Wrong PIN for %s"), who);
        /* Translators: %s is a login that is not an active user */
        return g_strdup_printf (_("Login refused for %s"), who != NULL ? who : "?");
      }

    case PDV_AUDIT_OVERRIDES:
      {
        PdvPermission permission;

        if (pdv_permission_from_string (json_string_value (json_object_get (payload, "action")), &permission))
          /* Translators: %s says what was allowed, e.g. "void sales" */
          return g_strdup_printf (_("A manager allowed someone to %s"), pdv_permission_describe (permission));
        return g_strdup (_("A manager allowed an action"));
      }

    case PDV_AUDIT_VOIDS:
      {
        g_autofree char *total = money (payload, "total");

        /* Translators: a sale's number and its total */
        return with_reason (g_strdup_printf (_("Sale %s voided (%s)"), sale != NULL ? sale : "?", total), payload);
      }

    case PDV_AUDIT_REFUNDS:
      {
        g_autofree char *amount = money (payload, "amount");
        PdvPaymentMethod method = PDV_PAYMENT_CASH;

        pdv_payment_method_from_string (json_string_value (json_object_get (payload, "method")), &method);
        /* Translators: an amount, a sale's number and how the money went back */
        return with_reason (g_strdup_printf (_("%s refunded of sale %s (%s)"), amount, sale != NULL ? sale : "?",
                                             pdv_payment_method_label (method)),
                            payload);
      }

    case PDV_AUDIT_DISCOUNTS:
      {
        g_autofree char *amount = money (payload, "discount");
        g_autofree char *text = NULL;
        const char *reason = json_string_value (json_object_get (payload, "discount_reason"));

        /* Translators: an amount taken off a sale */
        text = g_strdup_printf (_("Discount of %s"), amount);
        /* Translators: what happened, then why */
        return reason != NULL ? g_strdup_printf (_("%s: %s"), text, reason) : g_steal_pointer (&text);
      }

    case PDV_AUDIT_COUNTS:
      {
        const char *outcome = json_string_value (json_object_get (payload, "outcome"));
        g_autofree char *counted = money (payload, "counted");

        if (g_strcmp0 (outcome, "cancelled") == 0)
          /* Translators: %s is the amount the refused count came to */
          return g_strdup_printf (_("Closing given up after a refused count of %s"), counted);
        {
          g_autofree char *expected = money (payload, "expected");

          /* Translators: the amount counted, then what the drawer should have held */
          return g_strdup_printf (_("Closing count of %s refused for the tolerance (expected %s)"), counted,
                                  expected);
        }
      }

    case PDV_AUDIT_GIVEN_UP:
      if (g_str_equal (kind, PDV_ENTRY_PAYMENT_CANCEL))
        {
          g_autofree char *amount = money (payload, "amount");
          PdvPaymentMethod method = PDV_PAYMENT_CASH;

          pdv_payment_method_from_string (json_string_value (json_object_get (payload, "method")), &method);
          /* Translators: a payment method and amount handed back before the sale was complete */
          return g_strdup_printf (_("Payment handed back: %s %s"), pdv_payment_method_label (method), amount);
        }
      {
        g_autofree char *payments = describe_payments (json_object_get (payload, "payments"));

        /* Translators: the payments of a sale that was given up before it was complete */
        return with_reason (g_strdup_printf (_("Sale being paid given up (%s)"), payments), payload);
      }

    case PDV_AUDIT_IMPORTS:
      /* Translators: %s is a file's name */
      return g_strdup_printf (_("%s imported"), json_string_value (json_object_get (payload, "file")) ?: "?");

    case PDV_AUDIT_SETTINGS:
      /* Translators: a setting's name and its new value */
      return g_strdup_printf (_("Setting %s changed to %s"),
                              json_string_value (json_object_get (payload, "setting")) ?: "?",
                              json_string_value (json_object_get (payload, "value")) ?: "?");

    case PDV_AUDIT_ALARMS:
      if (g_str_equal (kind, PDV_ENTRY_SALE))
        {
          g_autofree char *number = pdv_sale_number (lookup->terminal_name, pdv_sale_printed_seq (seq, payload));
          g_autofree char *total = money (payload, "total");

          /* Translators: a sale's number and total */
          return g_strdup_printf (_("Sale %s of %s made under the tamper alarm"), number, total);
        }
      if (g_str_equal (kind, PDV_ENTRY_ALARM_CLEAR))
        return g_strdup (_("Tamper alarm cleared: a check passed"));
      /* Translators: %s is what the check found */
      return g_strdup_printf (_("Tamper alarm: %s"),
                              json_string_value (json_object_get (payload, "reason")) ?: "?");

    default:
      return g_strdup (kind);
    }
}

static const char *
authoriser_of (json_t *payload)
{
  const char *keys[] = { "authorised_by", "authoriser", "discount_authorised_by", "recounted_by" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *id = json_string_value (json_object_get (payload, keys[i]));

      if (id != NULL)
        return id;
    }
  return NULL;
}

/**
 * pdv_audit_list:
 * @filter: (nullable): which kinds, whose, when; %NULL for everything
 *
 * The sensitive things done at this terminal, newest first.
 *
 * Returns: (transfer full) (element-type PdvAuditEvent): the events, or
 *   %NULL with @error set
 */
GPtrArray *
pdv_audit_list (PdvDb                 *db,
                const PdvAuditFilter  *filter,
                GError               **error)
{
  const PdvAuditFilter everything = { 0 };
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) pdv_audit_event_free);
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  PdvAuditCategory wanted;
  guint limit;
  Lookup lookup = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDV_IS_DB (db), NULL);

  if (filter == NULL)
    filter = &everything;
  wanted = filter->categories != 0 ? filter->categories : PDV_AUDIT_ALL;
  limit = filter->limit != 0 ? filter->limit : PDV_AUDIT_DEFAULT_LIMIT;
  since = filter->since != NULL ? pdv_journal_format_time (filter->since) : NULL;
  until = filter->until != NULL ? pdv_journal_format_time (filter->until) : NULL;

  users = pdv_auth_list_users (db, error);
  if (users == NULL)
    return NULL;
  lookup.names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < users->len; i++)
    {
      PdvUser *user = g_ptr_array_index (users, i);

      g_hash_table_insert (lookup.names, user->id, user->name);
    }
  lookup.terminal_name = pdv_db_get_meta (db, "terminal_name");

  /* Backwards from the end of the journal ("+kind": by seq, not by the
   * index of kinds, which leaves out what scans and payments write). */
  stmt = pdv_db_prepare (db,
                         "SELECT seq, kind, created_at, user_id, payload FROM journal "
                         "WHERE +kind IN ('" PDV_ENTRY_DRAWER_OPEN "', '" PDV_ENTRY_AUTH_FAILED "', '"
                         PDV_ENTRY_AUTH_OVERRIDE "', '" PDV_ENTRY_SALE_VOID "', '" PDV_ENTRY_SALE_REFUND "', '"
                         PDV_ENTRY_SALE "', '" PDV_ENTRY_SHIFT_COUNT "', '" PDV_ENTRY_SALE_ABANDON "', '"
                         PDV_ENTRY_PAYMENT_CANCEL "', '" PDV_ENTRY_EVENT_IMPORT "', '" PDV_ENTRY_CATALOG_IMPORT "', '"
                         PDV_ENTRY_TICKETS_IMPORT "', '" PDV_ENTRY_USERS_IMPORT "', '"
                         PDV_ENTRY_REVOCATIONS_IMPORT "', '" PDV_ENTRY_SETTINGS_CHANGE "', '"
                         PDV_ENTRY_ALARM_RAISE "', '" PDV_ENTRY_ALARM_CLEAR "') "
                         "ORDER BY seq DESC",
                         error);
  if (stmt == NULL)
    goto out;
  while (events->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *created_at = (const char *) sqlite3_column_text (stmt, 2);
      const char *user = (const char *) sqlite3_column_text (stmt, 3);
      g_autoptr(json_t) payload = NULL;
      const char *authoriser;
      PdvAuditCategory category;
      PdvAuditEvent *event;

      if (since != NULL && strcmp (created_at, since) < 0)
        break;
      if (until != NULL && strcmp (created_at, until) >= 0)
        continue;
      payload = json_loads ((const char *) sqlite3_column_text (stmt, 4), 0, NULL);
      category = category_of (kind, payload);
      if ((category & wanted) == 0)
        continue;
      authoriser = authoriser_of (payload);
      if (filter->user != NULL && g_strcmp0 (user, filter->user) != 0 && g_strcmp0 (authoriser, filter->user) != 0 &&
          g_strcmp0 (json_string_value (json_object_get (payload, "subject")), filter->user) != 0)
        continue;

      event = g_new0 (PdvAuditEvent, 1);
      event->seq = sqlite3_column_int64 (stmt, 0);
      event->created_at = g_strdup (created_at);
      event->category = category;
      event->kind = g_strdup (kind);
      event->user = g_strdup (user);
      event->user_name = g_strdup (name_of (&lookup, user));
      event->authorised_by = g_strdup (authoriser != NULL && g_strcmp0 (authoriser, user) != 0
                                       ? name_of (&lookup, authoriser) : NULL);
      event->what = describe (&lookup, event->seq, category, kind, payload);
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  if (events->len < limit && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      pdv_db_set_error (db, error, _("Reading the journal"));
      stmt = NULL;
    }

out:
  g_hash_table_unref (lookup.names);
  g_free (lookup.terminal_name);
  return stmt != NULL ? g_steal_pointer (&events) : NULL;
}

static char *
local_time (const char *created_at,
            GTimeZone  *timezone,
            const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (created_at, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (created_at);
  local = timezone != NULL ? g_date_time_to_timezone (utc, timezone) : g_date_time_to_local (utc);
  return g_date_time_format (local, format);
}

/**
 * pdv_audit_to_csv:
 * @timezone: (nullable): the event's, for the times; %NULL: this machine's
 *
 * Returns: (transfer full): the events as CSV with a header (see
 *   pdv_csv_writer_init() for the dialects)
 */
char *
pdv_audit_to_csv (GPtrArray     *events,
                  GTimeZone     *timezone,
                  PdvCsvDialect  dialect)
{
  static const char * const header[] = { "time", "seq", "category", "kind", "user", "user_name", "authorised_by",
                                         "what" };
  PdvCsvWriter out;

  pdv_csv_writer_init (&out, dialect);
  for (guint f = 0; f < G_N_ELEMENTS (header); f++)
    pdv_csv_writer_text (&out, header[f]);
  pdv_csv_writer_end_record (&out);

  for (guint i = 0; i < events->len; i++)
    {
      PdvAuditEvent *event = g_ptr_array_index (events, i);
      g_autofree char *when = local_time (event->created_at, timezone, "%Y-%m-%d %H:%M:%S");
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, event->seq);
      const char *fields[] = { when, seq, pdv_audit_category_label (event->category), event->kind, event->user,
                               event->user_name, event->authorised_by, event->what };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          if (f == 1)
            pdv_csv_writer_number (&out, fields[f]);
          else
            pdv_csv_writer_text (&out, fields[f]);
        }
      pdv_csv_writer_end_record (&out);
    }
  return pdv_csv_writer_finish (&out);
}

/**
 * pdv_audit_write_pdf:
 * @heading: (nullable): the event's name, at the top
 * @timezone: (nullable): the event's, for the times
 *
 * The events as an A4 PDF: one line each, time first.
 */
gboolean
pdv_audit_write_pdf (GPtrArray   *events,
                     const char  *heading,
                     GTimeZone   *timezone,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(PdvReportDoc) doc = pdv_report_doc_new_pairs (PDV_REPORT_DOC_PAPER, heading, _("Audit"));

  for (guint i = 0; i < events->len; i++)
    {
      PdvAuditEvent *event = g_ptr_array_index (events, i);
      g_autofree char *when = pdv_datetime_format_iso8601 (event->created_at, timezone, PDV_DATETIME_DAY_TIME);
      g_autoptr(GString) text = g_string_new (event->what);

      if (event->user_name != NULL)
        /* Translators: in the audit, who was at the terminal */
        g_string_append_printf (text, _(" — %s"), event->user_name);
      if (event->authorised_by != NULL)
        /* Translators: in the audit, the manager who allowed it */
        g_string_append_printf (text, _(" (authorised by %s)"), event->authorised_by);
      pdv_report_doc_add_pair (doc, when, text->str);
    }
  return pdv_report_doc_write_pdf (doc, PDV_REPORT_PAGE_A4, _("Audit"), path, error);
}

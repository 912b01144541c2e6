/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-shift"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pdv-db-private.h"
#include "pdv-open-sale.h"
#include "pdv-shift-private.h"

/* A shift is a cash drawer's working session: opened with a counted float,
 * carrying drops (sangria) and pay-ins (suprimento), closed with a blind
 * count. What the drawer should hold is worked out only when closing, after
 * the count, and read mid-shift only by someone allowed to read reports. */

G_DEFINE_QUARK (pdv-shift-error-quark, pdv_shift_error)

const PdvMoney pdv_cash_denominations[PDV_N_DENOMINATIONS] = {
  20000, 10000, 5000, 2000, 1000, 500, 200,
  100, 50, 25, 10, 5, 1,
};

/* More of one note or coin than anyone counts into a drawer. */
#define MAX_PIECES 1000000

void
pdv_cash_count_init (PdvCashCount *count)
{
  g_return_if_fail (count != NULL);
  memset (count, 0, sizeof *count);
}

static int
denomination_index (PdvMoney value)
{
  for (int i = 0; i < PDV_N_DENOMINATIONS; i++)
    if (pdv_cash_denominations[i] == value)
      return i;
  return -1;
}

/**
 * pdv_cash_count_add:
 * @denomination: a note or coin in centavos (20000 for R$ 200, 5 for 5
 *   centavos), or 0 for a sum counted without a breakdown
 * @qty: how many of them (for 0, the sum in centavos)
 */
gboolean
pdv_cash_count_add (PdvCashCount  *count,
                    PdvMoney       denomination,
                    gint64         qty,
                    GError       **error)
{
  int index;

  g_return_val_if_fail (count != NULL, FALSE);

  if (denomination == 0)
    {
      if (qty < 0 || qty > G_MAXINT64 / 4 || count->loose > G_MAXINT64 / 4)
        {
          g_set_error_literal (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT,
                               _("A counted amount cannot be negative"));
          return FALSE;
        }
      count->loose += qty;
      return TRUE;
    }
  index = denomination_index (denomination);
  if (index < 0)
    {
      g_autofree char *shown = pdv_money_format (denomination);
      g_set_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT,
                   _("%s is not a Brazilian note or coin"), shown);
      return FALSE;
    }
  if (qty < 0 || qty > MAX_PIECES || count->qty[index] + qty > MAX_PIECES)
    {
      g_autofree char *shown = pdv_money_format (denomination);
      g_set_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT,
                   _("%lld is not a number of %s pieces that can be counted"), (long long) qty, shown);
      return FALSE;
    }
  count->qty[index] += qty;
  return TRUE;
}

/**
 * pdv_cash_count_parse:
 * @text: pieces as VALUExQTY separated by blanks, e.g. "100x2 50x4 0,25x8";
 *   a value alone is one piece of it
 *
 * Adds what @text says to @count.
 */
gboolean
pdv_cash_count_parse (PdvCashCount  *count,
                      const char    *text,
                      GError       **error)
{
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (count != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  items = g_strsplit_set (text, " \t\n;", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *mark;
      PdvMoney value;
      guint64 qty = 1;

      if (*item == '\0')
        continue;
      mark = strpbrk (item, "x*X");
      if (mark != NULL)
        {
          *mark = '\0';
          if (!g_ascii_string_to_unsigned (mark + 1, 10, 0, MAX_PIECES, &qty, NULL))
            {
              g_set_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT,
                           _("“%s”: write each note or coin as VALUExQUANTITY, e.g. 50x3 or 0,25x8"),
                           mark + 1);
              return FALSE;
            }
        }
      if (!pdv_money_parse (item, PDV_MONEY_PARSE_DEFAULT, &value, NULL) || value <= 0)
        {
          g_set_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_COUNT,
                       _("“%s”: write each note or coin as VALUExQUANTITY, e.g. 50x3 or 0,25x8"), item);
          return FALSE;
        }
      if (!pdv_cash_count_add (count, value, (gint64) qty, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
pdv_cash_count_total (const PdvCashCount  *count,
                      PdvMoney            *out_total,
                      GError             **error)
{
  PdvMoney total = count->loose;

  for (int i = 0; i < PDV_N_DENOMINATIONS; i++)
    {
      PdvMoney part;

      if (!pdv_money_multiply (pdv_cash_denominations[i], count->qty[i], &part, error) ||
          !pdv_money_add (total, part, &total, error))
        return FALSE;
    }
  *out_total = total;
  return TRUE;
}

/**
 * pdv_cash_count_to_json:
 *
 * Returns: (transfer full): {"pieces": [{"value": 5000, "qty": 2}, …],
 *   "loose": 0}, pieces largest first and only those counted
 */
json_t *
pdv_cash_count_to_json (const PdvCashCount *count)
{
  json_t *pieces = json_array ();

  for (int i = 0; i < PDV_N_DENOMINATIONS; i++)
    if (count->qty[i] > 0)
      json_array_append_new (pieces, json_pack ("{s:I, s:I}", "value", (json_int_t) pdv_cash_denominations[i],
                                                "qty", (json_int_t) count->qty[i]));
  return json_pack ("{s:o, s:I}", "pieces", pieces, "loose", (json_int_t) count->loose);
}

gboolean
pdv_cash_count_from_json (PdvCashCount *count,
                          json_t       *json)
{
  json_t *piece;
  size_t i;

  pdv_cash_count_init (count);
  if (!json_is_object (json) || !json_is_integer (json_object_get (json, "loose")))
    return FALSE;
  if (!pdv_cash_count_add (count, 0, json_integer_value (json_object_get (json, "loose")), NULL))
    return FALSE;
  json_array_foreach (json_object_get (json, "pieces"), i, piece)
    {
      json_t *value = json_object_get (piece, "value");
      json_t *qty = json_object_get (piece, "qty");

      if (!json_is_integer (value) || !json_is_integer (qty) || json_integer_value (value) <= 0 ||
          !pdv_cash_count_add (count, json_integer_value (value), json_integer_value (qty), NULL))
        return FALSE;
    }
  return TRUE;
}

/**
 * pdv_shift_is_required:
 *
 * Whether sales, voids and refunds need an open shift on this terminal (meta
 * "shifts_required"). On unless turned off: a sale with no shift open would
 * land in whichever shift someone opens next, counted against a float it
 * never had. A door terminal scans without shifts either way.
 */
gboolean
pdv_shift_is_required (PdvDb *db)
{
  g_autofree char *value = pdv_db_get_meta (db, "shifts_required");

  return value == NULL || !(g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0"));
}

gboolean
pdv_shift_set_required (PdvDb     *db,
                        gboolean   required,
                        GError   **error)
{
  return pdv_db_set_meta (db, "shifts_required", required ? "true" : "false", error);
}

/**
 * pdv_shift_get_tolerance:
 *
 * How far the closing count may be from the expected cash, either way,
 * before a manager must authorise the close (meta "cash_tolerance", in
 * centavos; R$ 5,00 unless set).
 */
PdvMoney
pdv_shift_get_tolerance (PdvDb *db)
{
  g_autofree char *value = pdv_db_get_meta (db, "cash_tolerance");
  gint64 cents;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, 0, G_MAXINT32, &cents, NULL))
    return PDV_SHIFT_DEFAULT_TOLERANCE;
  return cents;
}

gboolean
pdv_shift_set_tolerance (PdvDb     *db,
                         PdvMoney   tolerance,
                         GError   **error)
{
  g_autofree char *value = NULL;

  if (tolerance < 0 || tolerance > G_MAXINT32)
    {
      g_set_error_literal (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_AMOUNT,
                           _("The cash tolerance must be zero or more"));
      return FALSE;
    }
  value = g_strdup_printf ("%" G_GINT64_FORMAT, tolerance);
  return pdv_db_set_meta (db, "cash_tolerance", value, error);
}

static void
set_not_open_error (GError **error)
{
  g_set_error_literal (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NOT_OPEN,
                       _("No shift is open: open one, with the float counted, first"));
}

/**
 * pdv_shift_check_can_sell:
 *
 * When shifts are required, whether one is open; for the sale's own
 * transaction.
 */
gboolean
pdv_shift_check_can_sell (PdvDb   *db,
                          GError **error)
{
  gint64 z, open_seq;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);

  if (!pdv_shift_is_required (db))
    return TRUE;
  if (!pdv_shift_read_state (db, &z, &open_seq, error))
    return FALSE;
  if (open_seq == 0)
    {
      set_not_open_error (error);
      return FALSE;
    }
  return TRUE;
}

void
pdv_shift_status_clear (PdvShiftStatus *status)
{
  g_clear_pointer (&status->opened_at, g_free);
  g_clear_pointer (&status->opened_by, g_free);
}

/**
 * pdv_shift_get_status:
 *
 * Whether a shift is open, since when, by whom and with what float. Never
 * what the drawer should hold: see pdv_shift_get_expected_cash().
 */
gboolean
pdv_shift_get_status (PdvDb           *db,
                      PdvShiftStatus  *out_status,
                      GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 open_seq;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (out_status != NULL, FALSE);

  memset (out_status, 0, sizeof *out_status);
  if (!pdv_shift_read_state (db, &out_status->z_number, &open_seq, error))
    return FALSE;
  if (open_seq == 0)
    return TRUE;

  stmt = pdv_db_prepare (db, "SELECT opened_at, opened_by, float_amount FROM shift_totals WHERE z = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, out_status->z_number);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out_status->open = TRUE;
      out_status->opened_seq = open_seq;
      out_status->opened_at = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      out_status->opened_by = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      out_status->float_amount = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The Z the next close gets, counted from the journal itself, and checked
 * against the shift_state projection: should they disagree, nothing is
 * numbered until a rebuild puts the projection right. */
static gboolean
next_z (PdvDb   *db,
        gint64  *out_z,
        gint64  *out_open_seq,
        GError **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db, "SELECT COUNT(*) FROM journal WHERE kind = '" PDV_ENTRY_SHIFT_CLOSE "' "
                                            "AND " PDV_JOURNAL_KIND_INDEXED, error);
  gint64 closes = -1;
  gint64 z;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    closes = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (closes < 0)
    return pdv_db_set_error (db, error, _("Reading the journal"));
  if (!pdv_shift_read_state (db, &z, out_open_seq, error))
    return FALSE;
  if (z != closes + 1)
    {
      g_set_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIVERGED,
                   _("The shift tables say Z %lld but the journal has %lld closes; "
                     "run “pdvctl verify” and “pdvctl rebuild”"),
                   (long long) z, (long long) closes);
      return FALSE;
    }
  *out_z = z;
  return TRUE;
}

static gboolean
append_and_commit (PdvJournal       *journal,
                   const char       *kind,
                   const PdvUser    *operator_user,
                   json_t           *payload,
                   gint64           *out_seq,
                   GError          **error)
{
  g_autoptr(PdvJournalEntry) entry = pdv_journal_append_in_transaction (journal, kind, operator_user->id,
                                                                        payload, error);

  json_decref (payload);
  if (entry == NULL || !pdv_db_commit (pdv_journal_get_db (journal), error))
    return FALSE;
  if (out_seq)
    *out_seq = entry->seq;
  return TRUE;
}

/**
 * pdv_shift_open:
 * @operator_user: who opens it
 * @authoriser: (nullable): a manager from pdv_auth_find_by_pin(), when the
 *   operator may not open shifts alone
 * @float_count: the float, counted by denomination
 *
 * Opens the drawer's shift with a "shift.open" entry.
 *
 * Returns: the Z number the shift will close with, or 0 with @error set
 */
gint64
pdv_shift_open (PdvJournal          *journal,
                const PdvUser       *operator_user,
                const PdvUser       *authoriser,
                const PdvCashCount  *float_count,
                GError             **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  const char *authorised_by = NULL;
  PdvMoney total;
  gint64 z, open_seq;
  json_t *payload;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), 0);
  g_return_val_if_fail (operator_user != NULL, 0);
  g_return_val_if_fail (float_count != NULL, 0);

  if (!pdv_cash_count_total (float_count, &total, error))
    return 0;
  if (!pdv_db_begin (db, error))
    return 0;
  if (!next_z (db, &z, &open_seq, error))
    goto failed;
  if (open_seq != 0)
    {
      g_set_error (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_ALREADY_OPEN,
                   _("Shift %lld is already open; close it before opening another"), (long long) z);
      goto failed;
    }
  if (!pdv_auth_permit_in_transaction (journal, PDV_PERMISSION_SHIFT_OPEN, operator_user, authoriser,
                                       &authorised_by, error))
    goto failed;

  payload = json_pack ("{s:I, s:I, s:o, s:s?}", "z", (json_int_t) z, "float", (json_int_t) total,
                       "count", pdv_cash_count_to_json (float_count), "authorised_by", authorised_by);
  if (!append_and_commit (journal, PDV_ENTRY_SHIFT_OPEN, operator_user, payload, NULL, error))
    goto failed;
  return z;

failed:
  pdv_db_rollback (db);
  return 0;
}

static gboolean
move_cash (PdvJournal     *journal,
           const char     *kind,
           const PdvUser  *operator_user,
           const PdvUser  *authoriser,
           PdvMoney        amount,
           const char     *reason,
           GError        **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  g_autofree char *clean_reason = g_strstrip (g_strdup (reason ? reason : ""));
  const char *authorised_by = NULL;
  gint64 z, open_seq;
  json_t *payload;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (operator_user != NULL, FALSE);

  if (amount <= 0)
    {
      g_set_error_literal (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_INVALID_AMOUNT,
                           _("The amount must be more than zero"));
      return FALSE;
    }
  if (*clean_reason == '\0')
    {
      g_set_error_literal (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_NEEDS_REASON,
                           _("Say why the cash goes in or out of the drawer"));
      return FALSE;
    }

  if (!pdv_db_begin (db, error))
    return FALSE;
  if (!next_z (db, &z, &open_seq, error))
    goto failed;
  if (open_seq == 0)
    {
      set_not_open_error (error);
      goto failed;
    }
  if (!pdv_auth_permit_in_transaction (journal, PDV_PERMISSION_DRAWER_OPEN, operator_user, authoriser,
                                       &authorised_by, error))
    goto failed;

  payload = json_pack ("{s:I, s:I, s:s, s:s?}", "z", (json_int_t) z, "amount", (json_int_t) amount,
                       "reason", clean_reason, "authorised_by", authorised_by);
  if (!append_and_commit (journal, kind, operator_user, payload, NULL, error))
    goto failed;
  return TRUE;

failed:
  pdv_db_rollback (db);
  return FALSE;
}

/**
 * pdv_shift_drop:
 * @authoriser: (nullable): a manager from pdv_auth_find_by_pin(), when the
 *   operator may not open the drawer alone
 * @reason: why, e.g. "sangria para o cofre"
 *
 * Cash taken out of the drawer during the shift (sangria).
 */
gboolean
pdv_shift_drop (PdvJournal     *journal,
                const PdvUser  *operator_user,
                const PdvUser  *authoriser,
                PdvMoney        amount,
                const char     *reason,
                GError        **error)
{
  return move_cash (journal, PDV_ENTRY_SHIFT_DROP, operator_user, authoriser, amount, reason, error);
}

/**
 * pdv_shift_payin:
 *
 * Cash put into the drawer during the shift (suprimento), e.g. more change.
 */
gboolean
pdv_shift_payin (PdvJournal     *journal,
                 const PdvUser  *operator_user,
                 const PdvUser  *authoriser,
                 PdvMoney        amount,
                 const char     *reason,
                 GError        **error)
{
  return move_cash (journal, PDV_ENTRY_SHIFT_PAYIN, operator_user, authoriser, amount, reason, error);
}

/**
 * pdv_drawer_open:
 * @operator_user: who opens it
 * @authoriser: (nullable): a manager from pdv_auth_find_by_pin(), when the
 *   operator may not open the drawer alone
 * @reason: (nullable): why, e.g. "troco para o caixa 2"; may be left out
 *
 * Records that the cash drawer is opened without a sale (a "no sale"), as a
 * "drawer.open" entry with the reason and who authorised it; an override is
 * journalled in the same transaction. When shifts are required, only while
 * one is open. Sending the pulse to the printer is the caller's: a drawer
 * that does not open does not undo the entry, the attempt was made.
 *
 * No X or Z report counts these yet: the entries are in the journal.
 */
gboolean
pdv_drawer_open (PdvJournal     *journal,
                 const PdvUser  *operator_user,
                 const PdvUser  *authoriser,
                 const char     *reason,
                 GError        **error)
{
  PdvDb *db;
  g_autofree char *clean_reason = NULL;
  const char *authorised_by = NULL;
  gint64 z, open_seq;
  json_t *payload;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (operator_user != NULL, FALSE);

  db = pdv_journal_get_db (journal);
  clean_reason = g_strstrip (g_strdup (reason ? reason : ""));

  if (!pdv_db_begin (db, error))
    return FALSE;
  if (!next_z (db, &z, &open_seq, error))
    goto failed;
  if (open_seq == 0 && pdv_shift_is_required (db))
    {
      set_not_open_error (error);
      goto failed;
    }
  if (!pdv_auth_permit_in_transaction (journal, PDV_PERMISSION_DRAWER_OPEN, operator_user, authoriser,
                                       &authorised_by, error))
    goto failed;

  payload = json_pack ("{s:I, s:b, s:s?, s:s?}", "z", (json_int_t) z, "shift_open", open_seq != 0,
                       "reason", *clean_reason != '\0' ? clean_reason : NULL, "authorised_by", authorised_by);
  if (!append_and_commit (journal, PDV_ENTRY_DRAWER_OPEN, operator_user, payload, NULL, error))
    goto failed;
  return TRUE;

failed:
  pdv_db_rollback (db);
  return FALSE;
}

void
pdv_shift_close_result_free (PdvShiftCloseResult *result)
{
  if (result == NULL)
    return;
  g_free (result->authorised_by);
  g_free (result);
}

/* The last count of shift @z refused for the tolerance (a "shift.count"
 * since @open_seq with outcome "needs_manager"), if any: what a manager's
 * recount follows. */
static gboolean
find_refused_count (PdvDb    *db,
                    gint64    open_seq,
                    gint64   *out_seq,
                    PdvMoney *out_counted,
                    GError  **error)
{
  sqlite3_stmt *stmt = pdv_db_prepare (db,
                                       "SELECT seq, json_extract (payload, '$.counted'), "
                                       "  json_extract (payload, '$.outcome') FROM journal "
                                       "WHERE kind = '" PDV_ENTRY_SHIFT_COUNT "' AND " PDV_JOURNAL_KIND_INDEXED " "
                                       "  AND seq > ? ORDER BY seq DESC LIMIT 1",
                                       error);
  int rc;

  *out_seq = 0;
  *out_counted = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, open_seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "needs_manager") == 0)
    {
      *out_seq = sqlite3_column_int64 (stmt, 0);
      *out_counted = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pdv_db_set_error (db, error, _("Reading the shift’s counts"));
  return TRUE;
}

/**
 * pdv_shift_cancel_close:
 * @operator_user: who stops closing
 *
 * Records that closing the open shift was given up after a count was
 * refused for the tolerance ("shift.count" with outcome "cancelled"): a
 * count tried and dropped is on record, as a count submitted is. Nothing is
 * journalled when no count was submitted.
 *
 * Returns: whether anything needed recording or was recorded; %FALSE with
 *   @error set on failure
 */
gboolean
pdv_shift_cancel_close (PdvJournal     *journal,
                        const PdvUser  *operator_user,
                        GError        **error)
{
  PdvDb *db = pdv_journal_get_db (journal);
  gint64 z, open_seq, refused_seq;
  PdvMoney refused_counted;
  json_t *payload;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), FALSE);
  g_return_val_if_fail (operator_user != NULL, FALSE);

  if (!pdv_db_begin (db, error))
    return FALSE;
  if (!pdv_shift_read_state (db, &z, &open_seq, error) ||
      !find_refused_count (db, open_seq, &refused_seq, &refused_counted, error))
    goto failed;
  if (open_seq == 0 || refused_seq == 0)
    {
      pdv_db_rollback (db);
      return TRUE;
    }
  payload = json_pack ("{s:I, s:I, s:I, s:s}", "z", (json_int_t) z, "count_seq", (json_int_t) refused_seq,
                       "counted", (json_int_t) refused_counted, "outcome", "cancelled");
  if (!append_and_commit (journal, PDV_ENTRY_SHIFT_COUNT, operator_user, payload, NULL, error))
    goto failed;
  return TRUE;

failed:
  pdv_db_rollback (db);
  return FALSE;
}

/**
 * pdv_shift_close:
 * @operator_user: who counted
 * @authoriser: (nullable): a manager from pdv_auth_find_by_pin(), for what
 *   the operator may not do alone: closing, or closing with a difference
 *   beyond the tolerance
 * @count: the blind count of the drawer; after a count was refused for the
 *   tolerance, the recount of the manager who is @authoriser
 *
 * Closes the shift with a "shift.close" entry numbered with the next Z. A
 * close after a refused count names it ("recount_of", "first_counted",
 * "recounted_by"): both counts stay on record. The
 * expected cash is worked out here, after the count: a difference beyond the
 * tolerance needs %PDV_PERMISSION_CLOSE_WITH_DIFFERENCE, and without it the
 * close is refused with %PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER, saying
 * nothing of the amounts, and the shift stays open; that refused count is
 * journalled ("shift.count"), so every attempt is on record.
 *
 * Returns: (transfer full): the Z number, the expected and counted cash and
 *   over/short, or %NULL with @error set
 */
PdvShiftCloseResult *
pdv_shift_close (PdvJournal          *journal,
                 const PdvUser       *operator_user,
                 const PdvUser       *authoriser,
                 const PdvCashCount  *count,
                 GError             **error)
{
  g_autoptr(PdvShiftCloseResult) result = g_new0 (PdvShiftCloseResult, 1);
  PdvDb *db = pdv_journal_get_db (journal);
  const char *authorised_by = NULL;
  gint64 open_seq;
  gint64 n_open;
  gint64 refused_seq;
  PdvMoney refused_counted;
  json_t *payload;

  g_return_val_if_fail (PDV_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (operator_user != NULL, NULL);
  g_return_val_if_fail (count != NULL, NULL);

  if (!pdv_cash_count_total (count, &result->counted, error))
    return NULL;
  result->tolerance = pdv_shift_get_tolerance (db);

  if (!pdv_db_begin (db, error))
    return NULL;
  if (!next_z (db, &result->z_number, &open_seq, error))
    goto failed;
  if (open_seq == 0)
    {
      set_not_open_error (error);
      goto failed;
    }
  if (!pdv_auth_permit_in_transaction (journal, PDV_PERMISSION_SHIFT_CLOSE, operator_user, authoriser, NULL, error))
    goto failed;
  /* Its payments belong to this shift's takings, and would be left out. */
  n_open = pdv_open_sales_count (db, error);
  if (n_open < 0)
    goto failed;
  if (n_open > 0)
    {
      g_set_error_literal (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_SALE_OPEN,
                           _("A sale is being paid: finish it, or give it up, before closing the shift"));
      goto failed;
    }
  if (!pdv_shift_compute_expected (db, result->z_number, &result->expected, error))
    goto failed;
  result->difference = result->counted - result->expected;

  if (ABS (result->difference) > result->tolerance)
    {
      if (pdv_user_can (operator_user, PDV_PERMISSION_CLOSE_WITH_DIFFERENCE))
        authorised_by = operator_user->id;
      else if (pdv_user_can (authoriser, PDV_PERMISSION_CLOSE_WITH_DIFFERENCE))
        {
          if (!pdv_auth_permit_in_transaction (journal, PDV_PERMISSION_CLOSE_WITH_DIFFERENCE, operator_user,
                                               authoriser, &authorised_by, error))
            goto failed;
        }
      else
        {
          /* Blind: nothing here tells how far off the count is. But the
           * attempt stays in the journal, so trying amounts until one
           * passes leaves a trail a manager sees. */
          payload = json_pack ("{s:I, s:o, s:I, s:I, s:I, s:I, s:s}", "z", (json_int_t) result->z_number,
                               "count", pdv_cash_count_to_json (count), "counted", (json_int_t) result->counted,
                               "expected", (json_int_t) result->expected,
                               "difference", (json_int_t) result->difference,
                               "tolerance", (json_int_t) result->tolerance, "outcome", "needs_manager");
          if (!append_and_commit (journal, PDV_ENTRY_SHIFT_COUNT, operator_user, payload, NULL, error))
            goto failed;
          g_set_error_literal (error, PDV_SHIFT_ERROR, PDV_SHIFT_ERROR_DIFFERENCE_NEEDS_MANAGER,
                               _("The count differs from what the drawer should hold by more than the "
                                 "tolerance; a manager must authorise closing this shift"));
          return NULL;
        }
      result->authorised_by = g_strdup (authorised_by);
    }

  payload = json_pack ("{s:I, s:o, s:I, s:I, s:I, s:I, s:s?}", "z", (json_int_t) result->z_number,
                       "count", pdv_cash_count_to_json (count), "counted", (json_int_t) result->counted,
                       "expected", (json_int_t) result->expected, "difference", (json_int_t) result->difference,
                       "tolerance", (json_int_t) result->tolerance, "authorised_by", authorised_by);
  /* A manager's count after the operator's was refused: both stay, the
   * first in its "shift.count", named here. */
  if (!find_refused_count (db, open_seq, &refused_seq, &refused_counted, error))
    {
      json_decref (payload);
      goto failed;
    }
  if (refused_seq > 0 && authoriser != NULL)
    {
      json_object_set_new (payload, "recount_of", json_integer (refused_seq));
      json_object_set_new (payload, "first_counted", json_integer (refused_counted));
      json_object_set_new (payload, "recounted_by", json_string (authoriser->id));
    }
  if (!append_and_commit (journal, PDV_ENTRY_SHIFT_CLOSE, operator_user, payload, &result->seq, error))
    goto failed;
  return g_steal_pointer (&result);

failed:
  pdv_db_rollback (db);
  return NULL;
}

/**
 * pdv_shift_get_expected_cash:
 * @user: who asks: their role must allow reading reports
 *
 * What the drawer should hold now. Never shown to the person who is about
 * to count it.
 */
gboolean
pdv_shift_get_expected_cash (PdvDb          *db,
                             const PdvUser  *user,
                             PdvMoney       *out_expected,
                             GError        **error)
{
  gint64 z, open_seq;

  g_return_val_if_fail (PDV_IS_DB (db), FALSE);
  g_return_val_if_fail (out_expected != NULL, FALSE);

  if (!pdv_auth_require (user, PDV_PERMISSION_REPORT, error))
    return FALSE;
  if (!pdv_shift_read_state (db, &z, &open_seq, error))
    return FALSE;
  return pdv_shift_compute_expected (db, z, out_expected, error);
}

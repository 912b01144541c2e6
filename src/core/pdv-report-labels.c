/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pdv-report-labels.h"

static const struct {
  const char *key;     /* stable: the CSV's section field, tests */
  const char *title;   /* for people */
} sections[PDV_N_REPORT_SECTIONS] = {
  /* Translators: titles of the sections of an X or Z report, on screen and on paper */
  [PDV_REPORT_SECTION_SUMMARY] = { "report", N_("Summary") },
  [PDV_REPORT_SECTION_SALES] = { "totals", N_("Sales") },
  [PDV_REPORT_SECTION_PAYMENTS] = { "payments", N_("Payments") },
  [PDV_REPORT_SECTION_DRAWER] = { "cash", N_("Cash drawer") },
  [PDV_REPORT_SECTION_CASH_MOVES] = { "cash_moves", N_("Drops and pay-ins") },
  [PDV_REPORT_SECTION_FLOAT_COUNT] = { "float_count", N_("Float count") },
  [PDV_REPORT_SECTION_CLOSING_COUNT] = { "closing_count", N_("Closing count") },
  [PDV_REPORT_SECTION_PRODUCTS] = { "products", N_("Products") },
  [PDV_REPORT_SECTION_HOURS] = { "hours", N_("Sales by hour") },
  [PDV_REPORT_SECTION_OPERATORS] = { "operators", N_("Sales by operator") },
  [PDV_REPORT_SECTION_CORRECTIONS] = { "corrections", N_("Authorised corrections") },
  [PDV_REPORT_SECTION_CHECKINS_BY_HOUR] = { "checkins_by_hour", N_("Check-ins by hour") },
  [PDV_REPORT_SECTION_CHECKINS_BY_GATE] = { "checkins_by_gate", N_("Check-ins by gate") },
  [PDV_REPORT_SECTION_REFUSALS] = { "refusals", N_("Refusals by reason") },
  /* Translators: the fichas this till handed over since the event began, and what became of them */
  [PDV_REPORT_SECTION_FICHAS] = { "fichas", N_("Fichas since the event began") },
  /* Translators: what this terminal's bar counters served and refused in the period */
  [PDV_REPORT_SECTION_FICHAS_SERVED] = { "fichas_served", N_("Fichas at the counter") },
};

static const char * const labels[PDV_N_REPORT_LABELS] = {
  /* Translators: names of the lines of an X or Z report */
  [PDV_REPORT_LABEL_TERMINAL] = N_("Terminal"),
  [PDV_REPORT_LABEL_SHIFT] = N_("Shift"),
  [PDV_REPORT_LABEL_SHIFT_OPENED] = N_("Shift opened"),
  [PDV_REPORT_LABEL_OPENED_BY] = N_("Opened by"),
  [PDV_REPORT_LABEL_SHIFT_CLOSED] = N_("Shift closed"),
  [PDV_REPORT_LABEL_CLOSED_BY] = N_("Closed by"),
  [PDV_REPORT_LABEL_NO_SHIFT] = N_("No shift was opened"),
  [PDV_REPORT_LABEL_JOURNAL_ENTRIES] = N_("Journal entries"),
  [PDV_REPORT_LABEL_GENERATED] = N_("Generated"),
  [PDV_REPORT_LABEL_SALES] = N_("Sales"),
  [PDV_REPORT_LABEL_VOIDS] = N_("Voids"),
  [PDV_REPORT_LABEL_REFUNDS] = N_("Refunds"),
  [PDV_REPORT_LABEL_NET_SALES] = N_("Net sales"),
  [PDV_REPORT_LABEL_DISCOUNTS_GIVEN] = N_("Discounts given"),
  [PDV_REPORT_LABEL_AVERAGE_SALE] = N_("Average sale"),
  [PDV_REPORT_LABEL_VOIDED] = N_("Voided"),
  [PDV_REPORT_LABEL_REFUNDED] = N_("Refunded"),
  [PDV_REPORT_LABEL_FLOAT] = N_("Float"),
  [PDV_REPORT_LABEL_CASH_SALES] = N_("Cash sales"),
  [PDV_REPORT_LABEL_CASH_RETURNED] = N_("Cash voids and refunds"),
  /* Translators: cash taken out of the drawer during the shift ("sangrias") */
  [PDV_REPORT_LABEL_DROPS] = N_("Drops"),
  /* Translators: cash put into the drawer during the shift ("suprimentos") */
  [PDV_REPORT_LABEL_PAYINS] = N_("Pay-ins"),
  [PDV_REPORT_LABEL_EXPECTED_CASH] = N_("Expected in the drawer"),
  [PDV_REPORT_LABEL_COUNTED] = N_("Counted"),
  [PDV_REPORT_LABEL_OVER] = N_("Over"),
  [PDV_REPORT_LABEL_SHORT] = N_("Short"),
  [PDV_REPORT_LABEL_DIFFERENCE] = N_("Difference"),
  [PDV_REPORT_LABEL_DROP] = N_("Drop"),
  [PDV_REPORT_LABEL_PAYIN] = N_("Pay-in"),
  [PDV_REPORT_LABEL_TOTAL] = N_("Total"),
  /* Translators: how many fichas (drink slips) the period's sales handed over */
  [PDV_REPORT_LABEL_FICHAS_ISSUED] = N_("Fichas handed over"),
};

const char *
pdv_report_section_key (PdvReportSection section)
{
  g_return_val_if_fail (section < PDV_N_REPORT_SECTIONS, NULL);
  return sections[section].key;
}

/**
 * pdv_report_section_title:
 *
 * Returns: the section's title, translated: the same on screen, on paper
 *   and in files
 */
const char *
pdv_report_section_title (PdvReportSection section)
{
  g_return_val_if_fail (section < PDV_N_REPORT_SECTIONS, NULL);
  return _(sections[section].title);
}

const char *
pdv_report_label (PdvReportLabel label)
{
  g_return_val_if_fail (label < PDV_N_REPORT_LABELS, NULL);
  return _(labels[label]);
}

const char *
pdv_report_column_heading (PdvReportColumn column)
{
  switch (column)
    {
    /* Translators: column headings of the report's tables */
    case PDV_REPORT_COLUMN_QTY:
      return C_("report column", "Qty");
    case PDV_REPORT_COLUMN_AMOUNT:
      return C_("report column", "Amount");
    /* Translators: column headings of the check-in tables: entries, exits, refusals */
    case PDV_REPORT_COLUMN_IN:
      return C_("report column", "In");
    case PDV_REPORT_COLUMN_OUT:
      return C_("report column", "Out");
    case PDV_REPORT_COLUMN_REFUSED:
      return C_("report column", "Refused");
    /* Translators: column headings of the fichas' table: handed over, served at a counter,
     * taken back by a void or refund, still to be served */
    case PDV_REPORT_COLUMN_ISSUED:
      return C_("report column", "Issued");
    case PDV_REPORT_COLUMN_SERVED:
      return C_("report column", "Served");
    case PDV_REPORT_COLUMN_REVOKED:
      return C_("report column", "Taken back");
    case PDV_REPORT_COLUMN_OUTSTANDING:
      return C_("report column", "To serve");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pdv_report_correction_label:
 * @kind: "void", "refund", "discount" or "courtesy"
 *
 * Returns: the kind of an authorised correction, for people
 */
const char *
pdv_report_correction_label (const char *kind)
{
  if (g_strcmp0 (kind, "void") == 0)
    /* Translators: a kind of authorised correction in the report */
    return _("Voids");
  if (g_strcmp0 (kind, "refund") == 0)
    return _("Refunds");
  if (g_strcmp0 (kind, "discount") == 0)
    return _("Discounts");
  if (g_strcmp0 (kind, "courtesy") == 0)
    return _("Courtesies");
  return kind;
}

/**
 * pdv_report_difference_label:
 * @difference: counted − expected
 *
 * Returns: "Over", "Short" or "Difference"
 */
const char *
pdv_report_difference_label (gint64 difference)
{
  return pdv_report_label (difference > 0 ? PDV_REPORT_LABEL_OVER
                           : difference < 0 ? PDV_REPORT_LABEL_SHORT : PDV_REPORT_LABEL_DIFFERENCE);
}

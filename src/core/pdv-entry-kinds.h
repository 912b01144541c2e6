/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Every kind of journal entry, defined once. The writers, the projections,
 * the reports, pdvctl and the sync server name kinds by these; a kind is also
 * what pdv_journal_kind_is_valid() accepts, so entries written by a newer
 * terminal still travel. */

#define PDV_ENTRY_TERMINAL_INIT      "terminal.init"

#define PDV_ENTRY_SALE               "sale"
#define PDV_ENTRY_SALE_VOID          "sale.void"
#define PDV_ENTRY_SALE_REFUND        "sale.refund"
#define PDV_ENTRY_SALE_ABANDON       "sale.abandon"    /* a sale being paid, given up */
#define PDV_ENTRY_PAYMENT_TAKEN      "payment.taken"   /* a payment of a sale not yet complete */
#define PDV_ENTRY_PAYMENT_CANCEL     "payment.cancel"  /* ... handed back before the sale */

#define PDV_ENTRY_CHECKIN            "checkin"
#define PDV_ENTRY_FICHA_REDEEM       "ficha.redeem"   /* a ficha scanned at a counter: served or refused */
#define PDV_ENTRY_FICHA_REPRINT      "ficha.reprint"  /* a sale's fichas printed again, a manager allowing it */

#define PDV_ENTRY_SHIFT_OPEN         "shift.open"
#define PDV_ENTRY_SHIFT_CLOSE        "shift.close"
#define PDV_ENTRY_SHIFT_COUNT        "shift.count"   /* a closing count that did not close the shift */
#define PDV_ENTRY_SHIFT_DROP         "shift.drop"
#define PDV_ENTRY_SHIFT_PAYIN        "shift.payin"
#define PDV_ENTRY_DRAWER_OPEN        "drawer.open"

#define PDV_ENTRY_STOCK_COUNT        "stock.count"
#define PDV_ENTRY_STOCK_ADJUST       "stock.adjust"

#define PDV_ENTRY_AUTH_LOGIN         "auth.login"
#define PDV_ENTRY_AUTH_FAILED        "auth.failed"
#define PDV_ENTRY_AUTH_OVERRIDE      "auth.override"

#define PDV_ENTRY_EVENT_IMPORT       "event.import"
#define PDV_ENTRY_CATALOG_IMPORT     "catalog.import"
#define PDV_ENTRY_TICKETS_IMPORT     "tickets.import"
#define PDV_ENTRY_USERS_IMPORT       "users.import"
#define PDV_ENTRY_REVOCATIONS_IMPORT "revocations.import"
#define PDV_ENTRY_IMPORT_BEGIN       "import.begin"      /* a list applied in steps: its import entry comes last */

#define PDV_ENTRY_SETTINGS_CHANGE    "settings.change"   /* a terminal setting kept in its database */

#define PDV_ENTRY_ALARM_RAISE        "alarm.raise"       /* verification found the journal or state damaged */
#define PDV_ENTRY_ALARM_CLEAR        "alarm.clear"       /* ... and later passed */

#define PDV_ENTRY_JOURNAL_RECOVER    "journal.recover"   /* history given back by the server after a restore */

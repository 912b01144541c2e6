/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-journal.h"

G_BEGIN_DECLS

/* What pdv-journal.c and pdv-journal-recover.c share. */

gboolean  pdv_journal_insert_row  (PdvJournal            *self,
                                   const PdvJournalEntry *entry,
                                   GError               **error);
gboolean  pdv_journal_store_new   (PdvJournal            *self,
                                   PdvJournalEntry       *entry,
                                   GError               **error);
gboolean  pdv_journal_apply       (PdvJournal            *self,
                                   const PdvJournalEntry *entry,
                                   GError               **error);
gboolean  pdv_journal_replay      (PdvJournal            *self,
                                   gint64                *out_entries,
                                   GError               **error);

G_END_DECLS

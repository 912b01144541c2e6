/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes to the terminal as a busy bar and door would, until killed: in
 * turn a cash sale, a check-in and a stock adjustment. After each write it
 * reports the entry's seq on stdout; once the line is written the entry
 * must survive anything. */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "pdv-core.h"

/* Inside the demo event's validity window, so that check-ins are admitted. */
#define DOOR_TIME "2026-12-12T22:00:00-03:00"

static char **
read_ticket_secrets (const char  *demo_dir,
                     GError     **error)
{
  g_autofree char *path = g_build_filename (demo_dir, "tickets.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) secrets = g_strv_builder_new ();

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  /* id,secret,… after a header line */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", 3);

      if (g_strv_length (fields) >= 2)
        g_strv_builder_add (secrets, fields[1]);
    }
  return g_strv_builder_end (secrets);
}

static gint64
write_sale (PdvContext  *context,
            const char  *product,
            GError     **error)
{
  g_autoptr(PdvSaleDraft) draft = pdv_sale_draft_new ();
  g_autoptr(PdvSaleResult) result = NULL;
  PdvMoney total;

  pdv_sale_draft_add_line (draft, product, 1);
  if (!pdv_sale_draft_total (draft, pdv_context_get_catalog (context), &total, error))
    return 0;
  pdv_sale_draft_add_payment (draft, PDV_PAYMENT_CASH, total, total + 800, NULL);
  result = pdv_sale_commit (pdv_context_get_journal (context), pdv_context_get_catalog (context),
                            draft, "crash", NULL, error);
  return result != NULL ? result->seq : 0;
}

static gint64
write_checkin (PdvCheckin  *checkin,
               const char  *secret,
               GError     **error)
{
  g_autoptr(PdvCheckinResult) result = pdv_checkin_validate (checkin, secret, -1, PDV_SCAN_WEDGE, error);

  return result != NULL ? result->seq : 0;
}

/* A restock of one, so that the sales never run the product out. */
static gint64
write_stock_adjust (PdvContext  *context,
                    const char  *product,
                    GError     **error)
{
  g_autoptr(PdvJournalEntry) entry = NULL;
  json_t *payload = json_pack ("{s:[{s:s, s:i}], s:s}", "items", "product", product, "delta", 1,
                               "reason", "crash test");

  entry = pdv_journal_append (pdv_context_get_journal (context), "stock.adjust", "crash", payload, error);
  json_decref (payload);
  return entry != NULL ? entry->seq : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  g_autoptr(PdvCheckin) checkin = NULL;
  g_autoptr(GDateTime) door_time = NULL;
  g_auto(GStrv) secrets = NULL;
  g_autofree char *demo_dir = pdv_demo_dir ();
  const char *product;
  guint n_secrets;
  guint64 n;

  if (argc != 3)
    {
      g_printerr ("usage: %s DB PRODUCT\n", argv[0]);
      return 2;
    }
  product = argv[2];
  context = pdv_context_open (argv[1], &error);
  secrets = context != NULL ? read_ticket_secrets (demo_dir, &error) : NULL;
  if (secrets == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  n_secrets = g_strv_length (secrets);
  g_assert (n_secrets > 0);

  checkin = pdv_checkin_new (pdv_context_get_journal (context));
  pdv_checkin_set_gate (checkin, "Crash gate");
  pdv_checkin_set_user (checkin, "crash");
  door_time = g_date_time_new_from_iso8601 (DOOR_TIME, NULL);
  pdv_clock_set_time (pdv_context_get_clock (context), door_time);

  /* Carries on where the last writer was killed, so each kind keeps its turn
   * and each ticket is scanned once. */
  for (n = pdv_journal_get_last_seq (pdv_context_get_journal (context));; n++)
    {
      gint64 seq;
      char line[32];
      int len;

      switch (n % 3)
        {
        case 0:
          seq = write_sale (context, product, &error);
          break;
        case 1:
          seq = write_checkin (checkin, secrets[(n / 3) % n_secrets], &error);
          break;
        default:
          seq = write_stock_adjust (context, product, &error);
          break;
        }
      if (seq <= 0)
        {
          g_printerr ("%s\n", error != NULL ? error->message : "no entry written");
          return 1;
        }
      len = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT "\n", seq);
      if (write (STDOUT_FILENO, line, len) != len)
        return 1;
    }
}

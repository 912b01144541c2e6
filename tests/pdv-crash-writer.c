/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Appends journal entries until killed, and reports each committed seq on
 * stdout: after the line is written, the entry must survive anything. */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "pdv-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdvContext) context = NULL;
  const char *product;
  guint64 n = 0;

  if (argc != 3)
    {
      g_printerr ("usage: %s DB PRODUCT\n", argv[0]);
      return 2;
    }
  product = argv[2];
  context = pdv_context_open (argv[1], &error);
  if (context == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (;;)
    {
      g_autoptr(PdvJournalEntry) entry = NULL;
      json_t *payload;
      const char *kind;
      char line[32];
      int len;

      /* Every other entry moves stock, so projections are exercised too. */
      if (n % 2 == 0)
        {
          kind = "stock.adjust";
          payload = json_pack ("{s:[{s:s, s:i}], s:s}", "items", "product", product, "delta", -1,
                               "reason", "crash test");
        }
      else
        {
          kind = "test.tick";
          payload = json_pack ("{s:I, s:s}", "n", (json_int_t) n, "padding",
                               "Cerveja Latão 473 ml, cartão, troco R$ 0,00");
        }
      entry = pdv_journal_append (pdv_context_get_journal (context), kind, "crash", payload, &error);
      json_decref (payload);
      if (entry == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      len = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT "\n", entry->seq);
      if (write (STDOUT_FILENO, line, len) != len)
        return 1;
      n++;
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-process"

#include "config.h"

#include <malloc.h>

#include "pdv-process.h"

/* Free memory is given back to the system only once this much sits unused
 * at the top of the heap, and the heap grows this much more than asked.
 * SQLite's statement journal takes and frees a block for every row it writes
 * with an upsert; with glibc's defaults each free shrank the heap and the
 * next row grew it again: an import of 200,000 tickets spent 10 of its 20
 * seconds in the kernel (page faults and TLB flushes), 1.7 of 7 with these. */
#define TRIM_THRESHOLD (32 * 1024 * 1024)
#define TOP_PAD        (8 * 1024 * 1024)

/**
 * pdv_process_tune_memory:
 *
 * Called first thing by each program (the app, pdvctl, pdv-syncd). An
 * explicit MALLOC_TRIM_THRESHOLD_ or MALLOC_TOP_PAD_ in the environment
 * still wins.
 */
void
pdv_process_tune_memory (void)
{
#ifdef M_TRIM_THRESHOLD
  if (g_getenv ("MALLOC_TRIM_THRESHOLD_") == NULL)
    mallopt (M_TRIM_THRESHOLD, TRIM_THRESHOLD);
  if (g_getenv ("MALLOC_TOP_PAD_") == NULL)
    mallopt (M_TOP_PAD, TOP_PAD);
#endif
}

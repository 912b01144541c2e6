/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Token buckets by key (a client address, a token): each refills at @rate
 * requests per second up to @burst. */
typedef struct _PdvRateLimiter PdvRateLimiter;

PdvRateLimiter *pdv_rate_limiter_new    (double          rate,
                                         double          burst);
void            pdv_rate_limiter_free   (PdvRateLimiter *self);
gboolean        pdv_rate_limiter_take   (PdvRateLimiter *self,
                                         const char     *key,
                                         gint64          now_us,
                                         guint          *out_retry_after_s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdvRateLimiter, pdv_rate_limiter_free)

G_END_DECLS

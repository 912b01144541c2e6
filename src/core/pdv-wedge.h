/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A USB barcode scanner that "types" what it reads: a burst of keystrokes,
 * far faster than a person types, ended with Enter. PdvWedge tells the two
 * apart from the keys and their times alone. */

#define PDV_WEDGE_DEFAULT_MIN_LENGTH 6
/* The longest pause inside a burst: Bluetooth scanners stall now and then
 * for tens of milliseconds. */
#define PDV_WEDGE_DEFAULT_MAX_GAP_MS 80
/* A burst's pace, from its first key to its end: scanners, wired or not,
 * average well under this; the fastest typists stay well over it. */
#define PDV_WEDGE_MAX_MEAN_GAP_MS 40

typedef enum {
  PDV_WEDGE_KEY_PASS,   /* not part of a scan: deliver the key as usual */
  PDV_WEDGE_KEY_HELD,   /* kept back: it may be part of a scan */
} PdvWedgeKey;

#define PDV_TYPE_WEDGE (pdv_wedge_get_type ())
G_DECLARE_FINAL_TYPE (PdvWedge, pdv_wedge, PDV, WEDGE, GObject)

PdvWedge    *pdv_wedge_new             (void);

guint        pdv_wedge_get_min_length  (PdvWedge  *self);
void         pdv_wedge_set_min_length  (PdvWedge  *self,
                                        guint      min_length);
guint        pdv_wedge_get_max_gap     (PdvWedge  *self);
void         pdv_wedge_set_max_gap     (PdvWedge  *self,
                                        guint      max_gap_ms);

PdvWedgeKey  pdv_wedge_feed_char       (PdvWedge  *self,
                                        gunichar   c,
                                        gint64     time_us);
PdvWedgeKey  pdv_wedge_feed_enter      (PdvWedge  *self,
                                        gint64     time_us);
void         pdv_wedge_interrupt       (PdvWedge  *self);
gboolean     pdv_wedge_is_holding      (PdvWedge  *self);
const char  *pdv_wedge_peek_held       (PdvWedge  *self);

G_END_DECLS

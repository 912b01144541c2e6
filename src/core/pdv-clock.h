/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PDV_TYPE_CLOCK (pdv_clock_get_type ())
G_DECLARE_FINAL_TYPE (PdvClock, pdv_clock, PDV, CLOCK, GObject)

PdvClock   *pdv_clock_new                  (void);

GDateTime  *pdv_clock_get_now_utc          (PdvClock     *self);
GDateTime  *pdv_clock_get_now              (PdvClock     *self,
                                            GTimeZone    *timezone);
gint64      pdv_clock_get_real_time        (PdvClock     *self);
gint64      pdv_clock_get_monotonic_time   (PdvClock     *self);

gboolean    pdv_clock_is_frozen            (PdvClock     *self);
void        pdv_clock_set_time             (PdvClock     *self,
                                            GDateTime    *now);
void        pdv_clock_advance              (PdvClock     *self,
                                            GTimeSpan     span);
void        pdv_clock_thaw                 (PdvClock     *self);

GSource    *pdv_clock_timeout_source_new   (PdvClock     *self,
                                            guint         interval_ms);
guint       pdv_clock_timeout_add          (PdvClock     *self,
                                            guint         interval_ms,
                                            GSourceFunc   function,
                                            gpointer      data);
guint       pdv_clock_timeout_add_seconds  (PdvClock     *self,
                                            guint         interval_s,
                                            GSourceFunc   function,
                                            gpointer      data);

G_END_DECLS

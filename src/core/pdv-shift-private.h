/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-shift.h"

G_BEGIN_DECLS

/* What pdv-shift.c, pdv-shift-projections.c and pdv-report.c share. */

gboolean  pdv_shift_read_state        (PdvDb       *db,
                                       gint64      *out_z,
                                       gint64      *out_open_seq,
                                       GError     **error);
gboolean  pdv_shift_compute_expected  (PdvDb       *db,
                                       gint64       z,
                                       PdvMoney    *out_expected,
                                       GError     **error);
char     *pdv_shift_hour_of           (const char  *iso8601);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-shift-page.h"

G_BEGIN_DECLS

gboolean    pdv_shift_page_get_verifying       (PdvShiftPage *self);
const char *pdv_shift_page_get_verify_summary  (PdvShiftPage *self);
const char *pdv_shift_page_get_entries_text    (PdvShiftPage *self);

G_END_DECLS

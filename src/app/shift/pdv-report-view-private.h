/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-report-sections.h"
#include "pdv-report-view.h"

G_BEGIN_DECLS

PdvReportSections *pdv_report_view_get_sections (PdvReportView *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-application.h"

G_BEGIN_DECLS

void _pdv_application_actions_init (PdvApplication *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-store.h"

G_BEGIN_DECLS

#define PDV_TYPE_STORE_PG (pdv_store_pg_get_type ())
G_DECLARE_FINAL_TYPE (PdvStorePg, pdv_store_pg, PDV, STORE_PG, PdvStore)

PdvStore *pdv_store_pg_open (const char  *conninfo,
                             GError     **error);

G_END_DECLS

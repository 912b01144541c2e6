/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-store.h"

G_BEGIN_DECLS

#define PDV_TYPE_STORE_SQLITE (pdv_store_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (PdvStoreSqlite, pdv_store_sqlite, PDV, STORE_SQLITE, PdvStore)

PdvStore *pdv_store_sqlite_open (const char  *path,
                                 GError     **error);

G_END_DECLS

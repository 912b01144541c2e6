/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-core.h"

G_BEGIN_DECLS

char       *pdv_test_make_tmpdir      (void);
void        pdv_test_remove_tree      (const char *path);
PdvContext *pdv_test_open_terminal    (const char *dir,
                                       gboolean    with_demo);
char       *pdv_test_data_path        (const char *name);
const char *pdv_test_demo_dir         (void);
json_t     *pdv_test_payload          (const char *text);

G_END_DECLS

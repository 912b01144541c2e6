/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A pdv-syncd ($PDV_SYNCD) running for a test on a free loopback port. */
typedef struct _PdvTestSyncd PdvTestSyncd;

PdvTestSyncd    *pdv_test_syncd_start              (const char         *db,
                                                    const char         *admin_token,
                                                    const char * const *extra_args);
const char      *pdv_test_syncd_get_url            (PdvTestSyncd       *self);
GPid             pdv_test_syncd_get_pid            (PdvTestSyncd       *self);
int              pdv_test_syncd_stop               (PdvTestSyncd       *self);
void             pdv_test_syncd_kill               (PdvTestSyncd       *self);
gint64           pdv_test_syncd_metric             (const char         *url,
                                                    const char         *name);
gboolean         pdv_test_syncd_wait_for_metric    (const char         *url,
                                                    const char         *name,
                                                    gint64              value,
                                                    guint               seconds);

/* A PostgreSQL cluster of its own in a temporary directory, run as the
 * `postgres` user when the test runs as root. */
typedef struct _PdvTestPostgres PdvTestPostgres;

PdvTestPostgres *pdv_test_postgres_start           (GError            **error);
char            *pdv_test_postgres_create_database (PdvTestPostgres    *self,
                                                    const char         *name);
const char      *pdv_test_postgres_get_conninfo    (PdvTestPostgres    *self);
void             pdv_test_postgres_stop            (PdvTestPostgres    *self);

G_END_DECLS

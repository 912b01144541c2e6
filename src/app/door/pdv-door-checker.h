/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdv-core.h"

G_BEGIN_DECLS

/* @result is NULL and @error set when the database failed: nothing was
 * recorded. */
typedef void (*PdvDoorCheckedFunc) (PdvCheckinResult *result,
                                    const GError     *error,
                                    gpointer          user_data);

#define PDV_TYPE_DOOR_CHECKER (pdv_door_checker_get_type ())
G_DECLARE_FINAL_TYPE (PdvDoorChecker, pdv_door_checker, PDV, DOOR_CHECKER, GObject)

PdvDoorChecker *pdv_door_checker_new     (PdvContext         *context);
void            pdv_door_checker_check   (PdvDoorChecker     *self,
                                          PdvCheckin         *station,
                                          const char         *text,
                                          PdvScanSource       source,
                                          PdvDoorCheckedFunc  callback,
                                          gpointer            user_data,
                                          GDestroyNotify      destroy);
guint           pdv_door_checker_get_n_pending (PdvDoorChecker *self);

G_END_DECLS

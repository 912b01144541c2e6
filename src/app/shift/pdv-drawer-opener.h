/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdv-core.h"
#include "pdv-manager-prompt.h"
#include "pdv-receipt-printer.h"

G_BEGIN_DECLS

#define PDV_TYPE_DRAWER_OPENER (pdv_drawer_opener_get_type ())
G_DECLARE_FINAL_TYPE (PdvDrawerOpener, pdv_drawer_opener, PDV, DRAWER_OPENER, GObject)

PdvDrawerOpener  *pdv_drawer_opener_new                (PdvContext        *context,
                                                        PdvReceiptPrinter *printer);
void              pdv_drawer_opener_start              (PdvDrawerOpener   *self,
                                                        GtkWindow         *parent,
                                                        const PdvUser     *operator_user,
                                                        GCancellable      *cancellable);
void              pdv_drawer_opener_cancel             (PdvDrawerOpener   *self);
void              pdv_drawer_opener_give_back          (PdvDrawerOpener   *self,
                                                        PdvMoney           cash_back,
                                                        GCancellable      *cancellable);

GtkWidget        *pdv_drawer_opener_get_dialog         (PdvDrawerOpener   *self);
GtkEditable      *pdv_drawer_opener_get_reason_entry   (PdvDrawerOpener   *self);
PdvManagerPrompt *pdv_drawer_opener_get_manager_prompt (PdvDrawerOpener   *self);
guint             pdv_drawer_opener_get_n_printing     (PdvDrawerOpener   *self);
const char       *pdv_drawer_opener_get_last_message   (PdvDrawerOpener   *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PDV_PRINTER_ERROR (pdv_printer_error_quark ())

typedef enum {
  PDV_PRINTER_ERROR_NO_SERVER,
  PDV_PRINTER_ERROR_NO_DEFAULT,
  PDV_PRINTER_ERROR_NOT_FOUND,
  PDV_PRINTER_ERROR_STOPPED,
  PDV_PRINTER_ERROR_NOT_ACCEPTING,
  PDV_PRINTER_ERROR_FAILED,
} PdvPrinterError;

#define PDV_TYPE_PRINTER (pdv_printer_get_type ())
G_DECLARE_FINAL_TYPE (PdvPrinter, pdv_printer, PDV, PRINTER, GObject)

GQuark       pdv_printer_error_quark       (void);

PdvPrinter  *pdv_printer_new               (const char          *destination);
const char  *pdv_printer_get_destination   (PdvPrinter          *self);
void         pdv_printer_set_destination   (PdvPrinter          *self,
                                            const char          *destination);

gboolean     pdv_printer_print_raw         (PdvPrinter          *self,
                                            GBytes              *data,
                                            const char          *title,
                                            GError             **error);
void         pdv_printer_print_raw_async   (PdvPrinter          *self,
                                            GBytes              *data,
                                            const char          *title,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     pdv_printer_print_raw_finish  (PdvPrinter          *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS

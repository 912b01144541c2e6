/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdv-core.h"

G_BEGIN_DECLS

#define PDV_RECEIPT_PRINTER_ERROR (pdv_receipt_printer_error_quark ())

typedef enum {
  /* No printer is configured and the print server offers none. */
  PDV_RECEIPT_PRINTER_ERROR_NO_PRINTER,
  /* The print server took too long; the job may still come out. */
  PDV_RECEIPT_PRINTER_ERROR_TIMED_OUT,
} PdvReceiptPrinterError;

#define PDV_TYPE_RECEIPT_PRINTER (pdv_receipt_printer_get_type ())
G_DECLARE_FINAL_TYPE (PdvReceiptPrinter, pdv_receipt_printer, PDV, RECEIPT_PRINTER, GObject)

GQuark             pdv_receipt_printer_error_quark        (void);

PdvReceiptPrinter *pdv_receipt_printer_new                (PdvJournal           *journal,
                                                           const char           *destination);
const char        *pdv_receipt_printer_get_destination    (PdvReceiptPrinter    *self);
void               pdv_receipt_printer_set_destination    (PdvReceiptPrinter    *self,
                                                           const char           *destination);
void               pdv_receipt_printer_set_timeout        (PdvReceiptPrinter    *self,
                                                           guint                 seconds);

char              *pdv_receipt_printer_render_text        (PdvReceiptPrinter    *self,
                                                           const char           *sale_id,
                                                           gboolean              copy,
                                                           GError              **error);
void               pdv_receipt_printer_print_async        (PdvReceiptPrinter    *self,
                                                           const char           *sale_id,
                                                           gboolean              copy,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void               pdv_receipt_printer_print_fichas_async (PdvReceiptPrinter    *self,
                                                           const char           *sale_id,
                                                           json_t               *fichas,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           pdv_receipt_printer_print_finish       (PdvReceiptPrinter    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void               pdv_receipt_printer_print_bytes_async  (PdvReceiptPrinter    *self,
                                                           GBytes               *bytes,
                                                           const char           *title,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           pdv_receipt_printer_print_bytes_finish (PdvReceiptPrinter    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

char              *pdv_receipt_printer_find_last_sale     (PdvReceiptPrinter    *self,
                                                           GError              **error);

G_END_DECLS

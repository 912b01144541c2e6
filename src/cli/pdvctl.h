/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdv-core.h"

G_BEGIN_DECLS

typedef struct {
  char     *db_path;
  gboolean  json;
  gboolean  read_only;   /* --read-only */
  GStrv     args;      /* argv[0], then what follows the command name */
  const char *command; /* the command's name */
} Options;

typedef int (*CommandFunc) (Options *options);

/* Helpers every command uses: errors go to stderr (and as JSON to stdout with
 * --json) and make the command exit 1, or 2 for a command line that does not
 * say what to do (PDVCTL_EXIT_USAGE). */
#define PDVCTL_EXIT_FAILED 1
#define PDVCTL_EXIT_USAGE  2
void        pdvctl_print_json_list (const char *key,
                                    json_t     *list);
void        pdvctl_print_json    (json_t       *value);
char       *pdvctl_pad           (const char   *text,
                                  int           width);
int         pdvctl_fail          (Options      *options,
                                  const char   *message);
int         pdvctl_fail_usage    (Options      *options,
                                  const char   *message);
int         pdvctl_fail_error    (Options      *options,
                                  GError       *error);
GDateTime  *pdvctl_local_time    (GDateTime    *time);
GBytes     *pdvctl_read_stdin    (GError      **error);
PdvContext *pdvctl_open_context  (Options      *options,
                                  gboolean      must_be_initialised,
                                  GError      **error);
gboolean    pdvctl_parse_options (Options      *options,
                                  const char   *usage,
                                  GOptionEntry *entries,
                                  GError      **error);

int         pdvctl_command_sell   (Options *options);
int         pdvctl_command_void   (Options *options);
int         pdvctl_command_refund (Options *options);
int         pdvctl_command_open_sales (Options *options);
int         pdvctl_command_receipt (Options *options);
int         pdvctl_command_pix    (Options *options);
int         pdvctl_command_checkin   (Options *options);
int         pdvctl_command_tickets   (Options *options);
int         pdvctl_command_ticket    (Options *options);
int         pdvctl_command_keygen    (Options *options);
int         pdvctl_command_occupancy (Options *options);
int         pdvctl_command_enroll    (Options *options);
int         pdvctl_command_admin     (Options *options);
int         pdvctl_command_sync      (Options *options);
int         pdvctl_command_recover   (Options *options);
int         pdvctl_command_scan      (Options *options);
int         pdvctl_command_shift     (Options *options);
int         pdvctl_command_drawer    (Options *options);
int         pdvctl_command_report    (Options *options);
int         pdvctl_command_dashboard (Options *options);
int         pdvctl_command_gate      (Options *options);
int         pdvctl_command_ficha     (Options *options);

gboolean    pdvctl_print_sale_receipt (PdvContext     *context,
                                       gboolean        copy,
                                       const char     *sale_id,
                                       const char     *printer,
                                       PdvPaperWidth   width,
                                       GError        **error);

gboolean    pdvctl_write_qr_png  (const char   *text,
                                  const char   *path,
                                  GError      **error);

G_END_DECLS

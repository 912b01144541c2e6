/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "pdv-sync-codec.h"
#include "pdv-db.h"
#include "pdv-import.h"
#include "pdv-journal.h"
#include "pdv-sync-protocol.h"
#include "pdv-users.h"

/* No 0/O, 1/I/L: read aloud or typed from a screen without mistakes. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define CODE_LENGTH 8

#define MAX_VALID_FOR_S (30 * 24 * 3600)
#define MAX_NAME_CHARS 80

static const struct {
  const char *format;
  const char *type;
} document_types[] = {
  { "pdv-event", "event" },
  { "pdv-catalog", "catalog" },
  { "pdv-tickets", "tickets" },
  { "pdv-users", "users" },
  { "pdv-revocations", "revocations" },
};

/* The code as typed, upper case and without separators, or NULL. */
static char *
normalise_code (const char *code)
{
  GString *out = g_string_new (NULL);

  for (const char *p = code; *p; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || c == ' ')
        continue;
      if (strchr (code_alphabet, c) == NULL || c == '\0')
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, c);
    }
  if (out->len != CODE_LENGTH)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_name (json_t *value)
{
  const char *text = json_string_value (value);
  glong length;

  if (text == NULL)
    return FALSE;
  length = g_utf8_strlen (text, -1);
  return length >= 1 && length <= MAX_NAME_CHARS;
}

static char *
new_token (void)
{
  guint8 bytes[32];
  char encoded[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (encoded, sizeof encoded, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (encoded);
}

/**
 * pdv_sync_create_enrolment:
 * @server_url: how the admin reached this server: what terminals scan
 *
 * A one-time code for one terminal; only its hash is stored.
 */
void
pdv_sync_create_enrolment (PdvStore     *store,
                           const char   *server_url,
                           const char   *tls_sha256,
                           json_t       *request,
                           PdvSyncReply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (pdv_store_get_clock (store));
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *code = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *code_hash = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *qr = NULL;
  json_t *name = json_object_get (request, "terminal_name");
  json_t *valid_for = json_object_get (request, "valid_for_s");
  gint64 seconds = 86400;

  if (!is_name (name))
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "terminal_name must be a name of 1 to %d characters",
                            MAX_NAME_CHARS);
      return;
    }
  if (valid_for != NULL)
    {
      if (!json_is_integer (valid_for) || json_integer_value (valid_for) < 1 ||
          json_integer_value (valid_for) > MAX_VALID_FOR_S)
        {
          pdv_sync_reply_error (reply, 400, "bad_request", "valid_for_s must be a number of seconds from 1 to %d",
                                MAX_VALID_FOR_S);
          return;
        }
      seconds = json_integer_value (valid_for);
    }

  code = g_malloc0 (CODE_LENGTH + 1);
  for (guint i = 0; i < CODE_LENGTH; i++)
    code[i] = code_alphabet[randombytes_uniform (sizeof code_alphabet - 1)];
  shown = g_strdup_printf ("%.4s-%.4s", code, code + 4);
  code_hash = pdv_sync_sha256_hex (code);
  expires = g_date_time_add_seconds (now, seconds);
  now_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");

  if (!pdv_store_begin (store, TRUE, &error) ||
      !pdv_store_add_enrolment (store, code_hash, json_string_value (name), now_text, expires_text, &error) ||
      !pdv_store_commit (store, &error))
    {
      pdv_store_rollback (store);
      pdv_sync_reply_store_error (reply, error);
      return;
    }

  /* Over HTTPS the text also carries the certificate's SHA-256: the
   * terminal trusts that certificate and no other, CA or not. */
  qr = tls_sha256 != NULL ? g_strdup_printf ("PDVENROLL1:%s#%s#sha256:%s", server_url, shown, tls_sha256)
                          : g_strdup_printf ("PDVENROLL1:%s#%s", server_url, shown);
  pdv_sync_reply_json (reply, 201, json_pack ("{s:s, s:s, s:s, s:s}", "code", shown, "expires_at", expires_text,
                                              "qr", qr, "terminal_name", json_string_value (name)));
}

/* The newest event document, what an enrolling terminal starts from. */
static gboolean
latest_event (PdvStore  *store,
              json_t   **out,
              GError   **error)
{
  g_autoptr(GPtrArray) events = pdv_store_list_documents (store, "event", error);

  if (events == NULL)
    return FALSE;
  *out = events->len > 0 ? pdv_sync_parse_json (g_ptr_array_index (events, events->len - 1)) : json_null ();
  return TRUE;
}

static gboolean
enrol_in_transaction (PdvStore      *store,
                      const char    *code_hash,
                      const char    *terminal_id,
                      json_t        *name,
                      const char    *token_hash,
                      json_t       **out_event,
                      char         **out_refusal,
                      GError       **error)
{
  g_autoptr(PdvStoreEnrolment) enrolment = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = pdv_clock_get_now_utc (pdv_store_get_clock (store));
  g_autofree char *now_text = pdv_sync_now (store);

  if (!pdv_store_find_enrolment (store, code_hash, &enrolment, error))
    return FALSE;
  if (enrolment == NULL)
    {
      *out_refusal = g_strdup ("unknown enrolment code");
      return TRUE;
    }
  if (enrolment->used_at != NULL)
    {
      *out_refusal = g_strdup_printf ("this code was already used (%s)", enrolment->used_at);
      return TRUE;
    }
  expires = g_date_time_new_from_iso8601 (enrolment->expires_at, NULL);
  if (expires == NULL || g_date_time_compare (now, expires) >= 0)
    {
      *out_refusal = g_strdup_printf ("this code expired at %s", enrolment->expires_at);
      return TRUE;
    }

  return pdv_store_spend_enrolment (store, code_hash, now_text, error) &&
         pdv_store_enrol_terminal (store, terminal_id,
                                   is_name (name) ? json_string_value (name) : enrolment->terminal_name,
                                   token_hash, now_text, error) &&
         latest_event (store, out_event, error);
}

/**
 * pdv_sync_enrol:
 *
 * Spends a code and gives the terminal a token. A terminal that enrols again
 * keeps its id and its chain; its old token stops working.
 */
void
pdv_sync_enrol (PdvStore     *store,
                json_t       *request,
                PdvSyncReply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) event = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code_hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *now = NULL;
  json_t *code_value = json_object_get (request, "code");
  json_t *terminal_id = json_object_get (request, "terminal_id");
  json_t *name = json_object_get (request, "terminal_name");

  if (!json_is_string (code_value) || !json_is_string (terminal_id) ||
      !g_uuid_string_is_valid (json_string_value (terminal_id)) ||
      (name != NULL && !json_is_null (name) && !is_name (name)))
    {
      pdv_sync_reply_error (reply, 400, "bad_request",
                            "enrolment needs code (a string), terminal_id (a UUID) and optionally terminal_name");
      return;
    }
  code = normalise_code (json_string_value (code_value));
  if (code == NULL)
    {
      pdv_sync_reply_error (reply, 409, "enrolment_refused", "unknown enrolment code");
      return;
    }
  code_hash = pdv_sync_sha256_hex (code);
  token = new_token ();
  token_hash = pdv_sync_sha256_hex (token);

  if (!pdv_store_begin (store, TRUE, &error) ||
      !enrol_in_transaction (store, code_hash, json_string_value (terminal_id), name, token_hash,
                             &event, &refusal, &error))
    {
      pdv_store_rollback (store);
      pdv_sync_reply_store_error (reply, error);
      return;
    }
  if (refusal != NULL)
    {
      pdv_store_rollback (store);
      pdv_sync_reply_error (reply, 409, "enrolment_refused", "%s", refusal);
      return;
    }
  if (!pdv_store_commit (store, &error))
    {
      pdv_store_rollback (store);
      pdv_sync_reply_store_error (reply, error);
      return;
    }

  now = pdv_sync_now (store);
  pdv_sync_reply_json (reply, 200, pdv_sync_enrol_reply_encode (json_string_value (terminal_id), token, event, now));
  sodium_memzero (token, strlen (token));
}

/* A scratch terminal per document type that has imported every document of
 * the type the store holds (a catalog may name categories an earlier one
 * brought; a ticket list may not reuse a secret an earlier one gave). Kept
 * between imports, so that validating a document costs that document alone
 * (a list sent in 200 parts would otherwise replay 199 for the last one);
 * what other servers on the same database stored since is applied first. */
typedef struct {
  char       *location;    /* the store it follows */
  PdvDb      *db;
  PdvJournal *journal;
  gint64      cursor;      /* the change of the last document applied */
} Scratch;

static GHashTable *scratches;   /* type → Scratch */
/* Imports run one at a time in a process: each is checked after the last. */
static GMutex import_lock;

static void
scratch_free (Scratch *scratch)
{
  g_clear_object (&scratch->journal);
  g_clear_object (&scratch->db);
  g_free (scratch->location);
  g_free (scratch);
}

static void
forget_scratch (const char *type)
{
  if (scratches != NULL)
    g_hash_table_remove (scratches, type);
}

static Scratch *
scratch_for (PdvStore    *store,
             const char  *type,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) earlier = NULL;
  g_autoptr(GArray) cursors = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *file_name = g_strdup_printf ("%s.json", type);
  Scratch *scratch;

  if (scratches == NULL)
    scratches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) scratch_free);
  scratch = g_hash_table_lookup (scratches, type);
  if (scratch != NULL && g_strcmp0 (scratch->location, pdv_store_get_location (store)) != 0)
    {
      forget_scratch (type);
      scratch = NULL;
    }
  if (scratch == NULL)
    {
      scratch = g_new0 (Scratch, 1);
      scratch->location = g_strdup (pdv_store_get_location (store));
      scratch->db = pdv_db_open (":memory:", &local_error);
      if (scratch->db != NULL)
        {
          scratch->journal = pdv_journal_new (scratch->db);
          if (!pdv_journal_initialise (scratch->journal, "pdv-syncd", &local_error))
            g_clear_object (&scratch->db);
        }
      if (scratch->db == NULL)
        {
          g_set_error (error, PDV_STORE_ERROR, PDV_STORE_ERROR_FAILED, "scratch terminal: %s",
                       local_error->message);
          scratch_free (scratch);
          return NULL;
        }
      g_hash_table_insert (scratches, g_strdup (type), scratch);
    }

  earlier = pdv_store_list_documents_after (store, type, scratch->cursor, cursors, error);
  if (earlier == NULL)
    {
      forget_scratch (type);
      return NULL;
    }
  for (guint i = 0; i < earlier->len; i++)
    {
      const char *text = g_ptr_array_index (earlier, i);

      if (!pdv_import_data (scratch->journal, file_name, text, strlen (text), PDV_IMPORT_KIND_AUTO, NULL, NULL,
                            &local_error))
        {
          /* Accepted once, so only a change of the rules makes it fail now. */
          g_warning ("An earlier %s document no longer imports: %s", type, local_error->message);
          g_clear_error (&local_error);
        }
      scratch->cursor = MAX (scratch->cursor, g_array_index (cursors, gint64, i));
    }
  return scratch;
}

/* Validates @data as a terminal would, after every earlier document of the
 * same type. Accepted, it stays in the scratch terminal: the caller stores
 * it and says at which change (scratch_stored()), or forgets the scratch. */
static gboolean
validate_document (PdvStore    *store,
                   const char  *type,
                   const char  *data,
                   gsize        length,
                   char       **out_problem,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *file_name = g_strdup_printf ("%s.json", type);
  Scratch *scratch = scratch_for (store, type, error);

  if (scratch == NULL)
    return FALSE;
  if (!pdv_import_data (scratch->journal, file_name, data, length, PDV_IMPORT_KIND_AUTO, NULL, NULL, &local_error))
    *out_problem = g_strdup (local_error->message);
  return TRUE;
}

static void
scratch_stored (const char *type,
                gint64      cursor)
{
  Scratch *scratch = scratches != NULL ? g_hash_table_lookup (scratches, type) : NULL;

  if (scratch != NULL)
    scratch->cursor = MAX (scratch->cursor, cursor);
}

/**
 * pdv_sync_import:
 * @data: the request body: one import document
 *
 * Validates the document exactly as a terminal would, stores it and puts it
 * in the change feed.
 */
void
pdv_sync_import (PdvStore     *store,
                 const char   *data,
                 gsize         length,
                 PdvSyncReply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) root = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *text = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  json_error_t json_error;
  const char *format;
  const char *type = NULL;
  gint64 cursor;

  root = json_loadb (data, length, JSON_REJECT_DUPLICATES, &json_error);
  if (!json_is_object (root))
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "the body must be an import document (a JSON object)%s%s",
                            root == NULL ? ": " : "", root == NULL ? json_error.text : "");
      return;
    }
  format = json_string_value (json_object_get (root, "format"));
  for (guint i = 0; i < G_N_ELEMENTS (document_types); i++)
    if (g_strcmp0 (format, document_types[i].format) == 0)
      type = document_types[i].type;
  if (type == NULL)
    {
      pdv_sync_reply_error (reply, 422, "invalid_document",
                            "document.json:1: field “format”: expected pdv-event, pdv-catalog, pdv-tickets, "
                            "pdv-users or pdv-revocations");
      return;
    }

  locker = g_mutex_locker_new (&import_lock);
  if (!validate_document (store, type, data, length, &problem, &error))
    {
      pdv_sync_reply_store_error (reply, error);
      return;
    }
  if (problem != NULL)
    {
      pdv_sync_reply_error (reply, 422, "invalid_document", "%s", problem);
      return;
    }

  /* Stored as sent — what terminals import is the document the admin wrote —
   * except that PINs never travel or rest in clear: they are hashed here. */
  if (g_str_equal (type, "users"))
    {
      json_t *users = json_object_get (root, "users");
      json_t *user;
      size_t i;

      json_array_foreach (users, i, user)
        {
          const char *pin = json_string_value (json_object_get (user, "pin"));
          g_autofree char *hash = NULL;

          if (pin == NULL)
            continue;
          hash = pdv_pin_hash (pin, &error);
          if (hash == NULL)
            {
              pdv_sync_reply_store_error (reply, error);
              return;
            }
          json_object_set_new (user, "pin_hash", json_string (hash));
          json_object_del (user, "pin");
        }
      text = pdv_canonical_json (root);
    }
  else
    text = g_strndup (data, length);
  now = pdv_sync_now (store);
  if (!pdv_store_begin (store, TRUE, &error) ||
      !pdv_store_lock_changes (store, &error) ||
      (cursor = pdv_store_add_change (store, type, NULL, text, &error)) <= 0 ||
      !pdv_store_add_document (store, type, text, now, cursor, &error) ||
      !pdv_store_commit (store, &error))
    {
      pdv_store_rollback (store);
      /* The scratch terminal took a document the store did not. */
      forget_scratch (type);
      pdv_sync_reply_store_error (reply, error);
      return;
    }
  scratch_stored (type, cursor);
  pdv_sync_reply_json (reply, 201, json_pack ("{s:I, s:s}", "cursor", (json_int_t) cursor, "type", type));
}

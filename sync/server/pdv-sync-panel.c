/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <libintl.h>
#include <locale.h>
#include <sodium.h>
#include <string.h>

#include "pdv-rate-limiter.h"
#include "pdv-sync-panel.h"

/*
 * The organiser's panel: a web page pdv-syncd serves (its files compiled
 * in, nothing from elsewhere) that shows the event live to the people who
 * run it.
 *
 * Accounts are made with the admin token (`pdvctl admin panel-account`),
 * their passwords kept as Argon2id hashes. A login gives a session cookie
 * (HttpOnly, SameSite=Strict, Secure over TLS) that carries the account's
 * name and when it ends, signed with HMAC-SHA256 under a secret every
 * server of the store shares; each request reads the account again, so a
 * role changed or an account replaced takes effect at once. Logins are
 * limited per client address, and an account that fails too often is
 * locked for a while; both are logged.
 *
 * What the panel shows is read from the report's running totals (constant
 * time, whatever the number of entries) at most once a second however many
 * panels are open, and cut to what the account's role may see.
 */

struct _PdvSyncPanel
{
  GMutex          lock;
  GHashTable     *failures;   /* account name → Failures */
  PdvRateLimiter *logins;     /* by client address */
  char           *secret;     /* hex, read once from the store */
  char           *dummy_hash; /* what an unknown name is checked against */
  json_t         *figures;    /* the last read, shared */
  gint64          figures_at; /* monotonic µs */
};

typedef struct {
  guint  count;
  gint64 first_us;
  gint64 locked_until_us;
} Failures;

static const char * const role_names[] = {
  [PDV_PANEL_ROLE_ORGANISER] = "organiser",
  [PDV_PANEL_ROLE_BAR] = "bar",
  [PDV_PANEL_ROLE_DOOR] = "door",
};

gboolean
pdv_panel_role_from_string (const char   *text,
                            PdvPanelRole *out_role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *out_role = (PdvPanelRole) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pdv_panel_role_to_string (PdvPanelRole role)
{
  g_return_val_if_fail (role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

PdvSyncPanel *
pdv_sync_panel_new (void)
{
  PdvSyncPanel *self = g_new0 (PdvSyncPanel, 1);

  g_mutex_init (&self->lock);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* A person mistyping gets ten tries at once, then one every five seconds. */
  self->logins = pdv_rate_limiter_new (0.2, 10);
  return self;
}

void
pdv_sync_panel_free (PdvSyncPanel *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->failures);
  pdv_rate_limiter_free (self->logins);
  if (self->secret != NULL)
    sodium_memzero (self->secret, strlen (self->secret));
  g_free (self->secret);
  g_free (self->dummy_hash);
  g_clear_pointer (&self->figures, json_decref);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* A name people log in with: printable, no spaces at either end, no line
 * breaks (the session's text keeps it on a line of its own). */
static gboolean
valid_name (const char *name)
{
  gsize length = name != NULL ? strlen (name) : 0;

  if (length == 0 || length > 64 || !g_utf8_validate (name, -1, NULL) || g_ascii_isspace (name[0]) ||
      g_ascii_isspace (name[length - 1]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static json_t *
parse_body (GBytes       *body,
            PdvSyncReply *reply)
{
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  json_t *json = data != NULL ? json_loadb (data, size, 0, NULL) : NULL;

  if (!json_is_object (json))
    {
      g_clear_pointer (&json, json_decref);
      pdv_sync_reply_error (reply, 400, "bad_request", "the body must be a JSON object");
    }
  return json;
}

/**
 * pdv_sync_panel_add_account:
 * @body: `{"name", "role": "organiser", "bar" or "door", "password"}`
 *
 * Adds an account to the panel, or gives the one of that name a new role
 * and password (the admin's). The password is kept as an Argon2id hash.
 */
void
pdv_sync_panel_add_account (PdvSyncPanel *self,
                            PdvStore     *store,
                            GBytes       *body,
                            PdvSyncReply *reply)
{
  g_autoptr(json_t) request = parse_body (body, reply);
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  const char *name, *role, *password;
  char hash[crypto_pwhash_STRBYTES];
  PdvStorePanelAccount account = { 0 };
  PdvPanelRole parsed;

  if (request == NULL)
    return;
  name = json_string_value (json_object_get (request, "name"));
  role = json_string_value (json_object_get (request, "role"));
  password = json_string_value (json_object_get (request, "password"));
  if (!valid_name (name))
    {
      pdv_sync_reply_error (reply, 422, "invalid_account", "“name” must be 1 to 64 characters, none of them a "
                            "control character, without spaces at either end");
      return;
    }
  if (!pdv_panel_role_from_string (role, &parsed))
    {
      pdv_sync_reply_error (reply, 422, "invalid_account", "“role” must be organiser, bar or door");
      return;
    }
  if (password == NULL || g_utf8_strlen (password, -1) < 10 || strlen (password) > 1024)
    {
      pdv_sync_reply_error (reply, 422, "invalid_account", "“password” must be 10 to 1024 characters");
      return;
    }
  if (sodium_init () < 0 ||
      crypto_pwhash_str_alg (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      pdv_sync_reply_error (reply, 503, "unavailable", "not enough memory to hash the password");
      return;
    }
  now = pdv_sync_now (store);
  account.name = (char *) name;
  account.role = (char *) role;
  account.password_hash = hash;
  account.created_at = now;
  if (!pdv_store_begin (store, FALSE, &error) ||
      !pdv_store_put_panel_account (store, &account, &error) ||
      !pdv_store_commit (store, &error))
    {
      pdv_store_rollback (store);
      sodium_memzero (hash, sizeof hash);
      pdv_sync_reply_store_error (reply, error);
      return;
    }
  sodium_memzero (hash, sizeof hash);
  pdv_sync_audit ("panel account %s (%s) set", name, role);
  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->failures, name);
  g_mutex_unlock (&self->lock);
  pdv_sync_reply_json (reply, 201, json_pack ("{s:s, s:s}", "name", name, "role", role));
}

/* The secret sessions are signed with, made by the first server that needs
 * it and shared through the store. */
static const char *
secret (PdvSyncPanel  *self,
        PdvStore      *store,
        GError       **error)
{
  guint8 random[32];
  char fresh[2 * sizeof random + 1];
  char *kept = NULL;

  g_mutex_lock (&self->lock);
  if (self->secret != NULL)
    {
      g_mutex_unlock (&self->lock);
      return self->secret;
    }
  g_mutex_unlock (&self->lock);

  randombytes_buf (random, sizeof random);
  sodium_bin2hex (fresh, sizeof fresh, random, sizeof random);
  sodium_memzero (random, sizeof random);
  if (!pdv_store_begin (store, FALSE, error) ||
      !pdv_store_keep_meta (store, "panel_session_secret", fresh, &kept, error) ||
      !pdv_store_commit (store, error))
    {
      pdv_store_rollback (store);
      sodium_memzero (fresh, sizeof fresh);
      g_free (kept);
      return NULL;
    }
  sodium_memzero (fresh, sizeof fresh);
  g_mutex_lock (&self->lock);
  if (self->secret == NULL)
    self->secret = kept;
  else
    g_free (kept);
  g_mutex_unlock (&self->lock);
  return self->secret;
}

static void
sign (const char *secret_hex,
      const char *text,
      char        out_hex[2 * crypto_auth_hmacsha256_BYTES + 1])
{
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;

  crypto_auth_hmacsha256_init (&state, (const guint8 *) secret_hex, strlen (secret_hex));
  crypto_auth_hmacsha256_update (&state, (const guint8 *) text, strlen (text));
  crypto_auth_hmacsha256_final (&state, mac);
  sodium_bin2hex (out_hex, 2 * crypto_auth_hmacsha256_BYTES + 1, mac, sizeof mac);
}

static char *
cookie_header (const char *value,
               gint64      max_age,
               gboolean    secure)
{
  return g_strdup_printf (PDV_PANEL_COOKIE "=%s; Path=/; Max-Age=%" G_GINT64_FORMAT "; HttpOnly; "
                          "SameSite=Strict%s", value, max_age, secure ? "; Secure" : "");
}

/* Counts a failed login of @name; whether it is locked now. */
static gboolean
count_failure (PdvSyncPanel *self,
               const char   *name,
               gint64        now)
{
  Failures *failures;
  gboolean locked;

  g_mutex_lock (&self->lock);
  failures = g_hash_table_lookup (self->failures, name);
  if (failures == NULL || now - failures->first_us > (gint64) PDV_PANEL_LOCKOUT_S * G_USEC_PER_SEC)
    {
      failures = g_new0 (Failures, 1);
      failures->first_us = now;
      g_hash_table_replace (self->failures, g_strdup (name), failures);
    }
  failures->count++;
  locked = failures->count >= PDV_PANEL_MAX_FAILURES;
  if (locked)
    failures->locked_until_us = now + (gint64) PDV_PANEL_LOCKOUT_S * G_USEC_PER_SEC;
  g_mutex_unlock (&self->lock);
  return locked;
}

static gint64
locked_for (PdvSyncPanel *self,
            const char   *name,
            gint64        now)
{
  Failures *failures;
  gint64 left = 0;

  g_mutex_lock (&self->lock);
  failures = g_hash_table_lookup (self->failures, name);
  if (failures != NULL && failures->locked_until_us > now)
    left = (failures->locked_until_us - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
  g_mutex_unlock (&self->lock);
  return left;
}

/**
 * pdv_sync_panel_login:
 * @body: `{"name", "password"}`
 * @client: the client's address, for the limit and the log
 * @secure: the connection is TLS: the cookie says Secure
 *
 * Checks the password and answers `{"name", "role"}` with the session's
 * cookie; 401 for a wrong name or password (the same answer for both), 429
 * when the client tried too often or the account is locked.
 */
void
pdv_sync_panel_login (PdvSyncPanel *self,
                      PdvStore     *store,
                      GBytes       *body,
                      const char   *client,
                      gboolean      secure,
                      PdvSyncReply *reply)
{
  g_autoptr(json_t) request = parse_body (body, reply);
  g_autoptr(PdvStorePanelAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *token = NULL;
  const char *name, *password, *key;
  char mac[2 * crypto_auth_hmacsha256_BYTES + 1];
  gint64 now = g_get_monotonic_time ();
  gint64 locked;
  guint retry_after = 0;
  gboolean matched;

  if (request == NULL)
    return;
  name = json_string_value (json_object_get (request, "name"));
  password = json_string_value (json_object_get (request, "password"));
  if (!valid_name (name) || password == NULL || strlen (password) > 1024)
    {
      pdv_sync_reply_error (reply, 401, "wrong_login", "wrong name or password");
      return;
    }
  if (!pdv_rate_limiter_take (self->logins, client != NULL ? client : "", now, &retry_after))
    {
      pdv_sync_audit ("panel logins from %s are coming too fast", client);
      pdv_sync_reply_error (reply, 429, "too_many_logins", "too many logins from here: try again in %u s",
                            retry_after);
      reply->retry_after = g_strdup_printf ("%u", retry_after);
      return;
    }
  locked = locked_for (self, name, now);
  if (locked > 0)
    {
      pdv_sync_audit ("panel login for %s from %s refused: the account is locked", name, client);
      pdv_sync_reply_error (reply, 429, "locked", "too many wrong passwords: this account is locked for %"
                            G_GINT64_FORMAT " s", locked);
      reply->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, locked);
      return;
    }

  if (!pdv_store_begin (store, FALSE, &error) ||
      !pdv_store_find_panel_account (store, name, &account, &error) ||
      !pdv_store_commit (store, &error) ||
      (key = secret (self, store, &error)) == NULL)
    {
      pdv_store_rollback (store);
      pdv_sync_reply_store_error (reply, error);
      return;
    }
  if (sodium_init () < 0)
    {
      pdv_sync_reply_error (reply, 503, "unavailable", "the password cannot be checked now");
      return;
    }
  if (account != NULL)
    matched = crypto_pwhash_str_verify (account->password_hash, password, strlen (password)) == 0;
  else
    {
      /* As long as a real check: the answer says nothing of which names exist. */
      g_mutex_lock (&self->lock);
      if (self->dummy_hash == NULL)
        {
          char hash[crypto_pwhash_STRBYTES];

          if (crypto_pwhash_str_alg (hash, "-", 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                     crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) == 0)
            self->dummy_hash = g_strdup (hash);
        }
      g_mutex_unlock (&self->lock);
      matched = self->dummy_hash != NULL &&
                crypto_pwhash_str_verify (self->dummy_hash, password, strlen (password)) == 0 && FALSE;
    }
  if (!matched)
    {
      gboolean now_locked = count_failure (self, name, now);

      pdv_sync_audit ("panel login for %s from %s failed%s", name, client,
                      now_locked ? ": the account is locked" : "");
      pdv_sync_reply_error (reply, 401, "wrong_login", "wrong name or password");
      return;
    }

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->failures, name);
  g_mutex_unlock (&self->lock);
  text = g_strdup_printf ("%s\n%" G_GINT64_FORMAT, name, g_get_real_time () / G_USEC_PER_SEC + PDV_PANEL_SESSION_S);
  sign (key, text, mac);
  encoded = g_base64_encode ((const guchar *) text, strlen (text));
  /* Base64 in a cookie: '=' and '+' and '/' are allowed there. */
  token = g_strconcat (encoded, ".", mac, NULL);
  reply->set_cookie = cookie_header (token, PDV_PANEL_SESSION_S, secure);
  pdv_sync_audit ("panel login for %s (%s) from %s", name, account->role, client);
  pdv_sync_reply_json (reply, 200, json_pack ("{s:s, s:s}", "name", name, "role", account->role));
}

void
pdv_sync_panel_logout (gboolean      secure,
                       PdvSyncReply *reply)
{
  reply->set_cookie = cookie_header ("", 0, secure);
  pdv_sync_reply_json (reply, 200, json_object ());
}

/* The session's token from a Cookie header, or NULL. */
static char *
find_token (const char *cookie)
{
  g_auto(GStrv) parts = cookie != NULL ? g_strsplit (cookie, ";", -1) : NULL;

  for (guint i = 0; parts != NULL && parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);

      if (g_str_has_prefix (part, PDV_PANEL_COOKIE "="))
        return g_strdup (part + strlen (PDV_PANEL_COOKIE "="));
    }
  return NULL;
}

/**
 * pdv_sync_panel_session:
 * @cookie: (nullable): the request's Cookie header
 *
 * Who the request's session is for, as the store says now; 401 set in
 * @reply when there is none, it is forged or it is over.
 */
gboolean
pdv_sync_panel_session (PdvSyncPanel  *self,
                        PdvStore      *store,
                        const char    *cookie,
                        char         **out_name,
                        PdvPanelRole  *out_role,
                        PdvSyncReply  *reply)
{
  g_autofree char *token = find_token (cookie);
  g_autoptr(PdvStorePanelAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  char mac[2 * crypto_auth_hmacsha256_BYTES + 1];
  const char *key;
  char *dot;
  gsize length = 0;
  gint64 expires = 0;

  if (token == NULL || (dot = strchr (token, '.')) == NULL)
    {
      pdv_sync_reply_error (reply, 401, "unauthenticated", "log in first");
      return FALSE;
    }
  *dot = '\0';
  if ((key = secret (self, store, &error)) == NULL)
    {
      pdv_sync_reply_store_error (reply, error);
      return FALSE;
    }
  decoded = g_base64_decode (token, &length);
  text = g_strndup ((const char *) decoded, length);
  sign (key, text, mac);
  fields = g_strsplit (text, "\n", 2);
  if (strlen (dot + 1) != strlen (mac) || sodium_memcmp (mac, dot + 1, strlen (mac)) != 0 ||
      g_strv_length (fields) != 2 || !g_ascii_string_to_signed (fields[1], 10, 0, G_MAXINT64, &expires, NULL) ||
      expires < g_get_real_time () / G_USEC_PER_SEC)
    {
      pdv_sync_reply_error (reply, 401, "unauthenticated", "the session is over: log in again");
      return FALSE;
    }
  if (!pdv_store_begin (store, FALSE, &error) ||
      !pdv_store_find_panel_account (store, fields[0], &account, &error) ||
      !pdv_store_commit (store, &error))
    {
      pdv_store_rollback (store);
      pdv_sync_reply_store_error (reply, error);
      return FALSE;
    }
  if (account == NULL || !pdv_panel_role_from_string (account->role, out_role))
    {
      pdv_sync_reply_error (reply, 401, "unauthenticated", "the account is gone: log in again");
      return FALSE;
    }
  *out_name = g_strdup (fields[0]);
  return TRUE;
}

/* The newest event document's "event", or NULL. */
static json_t *
read_event (PdvStore  *store,
            GError   **error)
{
  g_autoptr(GPtrArray) events = pdv_store_list_documents (store, "event", error);
  g_autoptr(json_t) document = NULL;

  if (events == NULL || events->len == 0)
    return NULL;
  document = pdv_sync_parse_json (g_ptr_array_index (events, events->len - 1));
  return json_incref (json_object_get (document, "event"));
}

/* The figures every panel is cut from: the report's, the event's, and a
 * version that changes when they may have. */
static json_t *
read_figures (PdvStore  *store,
              GError   **error)
{
  g_autoptr(json_t) report = pdv_sync_report_from_totals (store, error);
  g_autoptr(json_t) event = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *generated = g_date_time_format_iso8601 (now);
  g_autofree char *version = NULL;
  gint64 seqs = 0;
  json_t *terminal;
  size_t i;

  if (report == NULL)
    return NULL;
  if (!pdv_store_begin (store, FALSE, error))
    return NULL;
  event = read_event (store, error);
  pdv_store_rollback (store);
  json_array_foreach (json_object_get (report, "terminals"), i, terminal)
    seqs += json_integer_value (json_object_get (terminal, "last_seq"));
  version = g_strdup_printf ("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, seqs,
                             (gint64) json_integer_value (json_object_get (report, "conflicts")));
  json_object_set_new (report, "version", json_string (version));
  json_object_set_new (report, "generated_at", json_string (generated));
  json_object_set_new (report, "event",
                       json_pack ("{s:s?, s:s?, s:I, s:s, s:O?}", "name",
                                  json_string_value (json_object_get (event, "name")), "timezone",
                                  json_string_value (json_object_get (event, "timezone")), "capacity",
                                  (json_int_t) json_integer_value (json_object_get (event, "capacity")),
                                  "currency", "BRL", "zones", json_object_get (event, "zones")));
  return g_steal_pointer (&report);
}

/* What @role may see of @figures. */
static json_t *
cut_for (json_t       *figures,
         const char   *name,
         PdvPanelRole  role)
{
  static const char * const common[] = { "version", "generated_at", "event", "terminals", "conflicts" };
  static const char * const bars[] = { "payments", "products", "fichas" };
  static const char * const doors[] = { "gates", "inside", "zones" };
  json_t *state = json_pack ("{s:s, s:s}", "name", name, "role", pdv_panel_role_to_string (role));
  json_t *hours = json_array ();
  json_t *hour;
  size_t i;

  for (guint k = 0; k < G_N_ELEMENTS (common); k++)
    json_object_set (state, common[k], json_object_get (figures, common[k]));
  if (role != PDV_PANEL_ROLE_DOOR)
    for (guint k = 0; k < G_N_ELEMENTS (bars); k++)
      json_object_set (state, bars[k], json_object_get (figures, bars[k]));
  if (role != PDV_PANEL_ROLE_BAR)
    for (guint k = 0; k < G_N_ELEMENTS (doors); k++)
      json_object_set (state, doors[k], json_object_get (figures, doors[k]));
  /* Each terminal's sales, and each hour's, only for who may see sales. */
  if (role == PDV_PANEL_ROLE_DOOR)
    {
      json_t *terminals = json_array ();
      json_t *terminal;

      json_array_foreach (json_object_get (figures, "terminals"), i, terminal)
        {
          json_t *copy = json_copy (terminal);

          json_object_del (copy, "sales");
          json_object_del (copy, "sales_total");
          json_array_append_new (terminals, copy);
        }
      json_object_set_new (state, "terminals", terminals);
    }
  json_array_foreach (json_object_get (figures, "hours"), i, hour)
    {
      json_t *copy = json_pack ("{s:O}", "hour", json_object_get (hour, "hour"));

      if (role != PDV_PANEL_ROLE_DOOR)
        json_object_set (copy, "sales_total", json_object_get (hour, "sales_total"));
      if (role != PDV_PANEL_ROLE_BAR)
        json_object_set (copy, "checkins", json_object_get (hour, "checkins"));
      json_array_append_new (hours, copy);
    }
  json_object_set_new (state, "hours", hours);
  return state;
}

/**
 * pdv_sync_panel_state:
 *
 * What the panel of @name shows: the figures, read at most once in
 * %PDV_PANEL_STATE_MAX_AGE_MS for every panel, cut to @role; "version"
 * says whether they changed.
 */
void
pdv_sync_panel_state (PdvSyncPanel *self,
                      PdvStore     *store,
                      const char   *name,
                      PdvPanelRole  role,
                      PdvSyncReply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) figures = NULL;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  if (self->figures != NULL && now - self->figures_at < PDV_PANEL_STATE_MAX_AGE_MS * 1000)
    figures = json_incref (self->figures);
  g_mutex_unlock (&self->lock);
  if (figures == NULL)
    {
      figures = read_figures (store, &error);
      if (figures == NULL)
        {
          pdv_sync_reply_store_error (reply, error);
          return;
        }
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->figures, json_decref);
      self->figures = json_incref (figures);
      self->figures_at = now;
      g_mutex_unlock (&self->lock);
    }
  pdv_sync_reply_json (reply, 200, cut_for (figures, name, role));
}

/* The panel's words, translated on the server with the rest of PDV. */
static const struct {
  const char *key;
  const char *text;
} strings[] = {
  /* Translators: the organiser's web panel */
  { "title", N_("PDV — Event panel") },
  { "login", N_("Log in") },
  { "logout", N_("Log out") },
  { "name", N_("Name") },
  { "password", N_("Password") },
  { "wrong_login", N_("Wrong name or password.") },
  { "locked", N_("Too many wrong passwords: this account is locked for %s minutes.") },
  { "too_many_logins", N_("Too many attempts from here: try again in a moment.") },
  { "unreachable", N_("The server cannot be reached: the figures are from %s.") },
  { "live", N_("Live") },
  { "updated", N_("Updated %s") },
  { "sales", N_("Sales") },
  { "net_sales", N_("Net sales") },
  { "sales_count", N_("Sales made") },
  { "per_bar", N_("Sales per bar") },
  { "per_method", N_("Sales per payment method") },
  { "per_hour", N_("Sales per hour") },
  { "top_products", N_("Top products") },
  { "product", N_("Product") },
  { "qty", N_("Qty") },
  { "amount", N_("Amount") },
  { "cash", N_("Cash") },
  { "card", N_("Card") },
  { "pix", N_("PIX") },
  { "voucher", N_("Voucher") },
  { "doors", N_("Doors") },
  { "inside", N_("Inside now") },
  { "capacity", N_("Occupancy") },
  { "of_capacity", N_("of %s") },
  { "per_gate", N_("Check-ins per gate") },
  { "checkins_hour", N_("Check-ins per hour") },
  { "gate", N_("Gate") },
  { "entries", N_("In") },
  { "exits", N_("Out") },
  { "refusals", N_("Refused") },
  { "zone", N_("Zone") },
  { "fichas", N_("Fichas") },
  { "issued", N_("Issued") },
  { "served", N_("Served") },
  { "revoked", N_("Taken back") },
  { "outstanding", N_("To serve") },
  { "counter", N_("Counter") },
  { "served_twice", N_("Served twice") },
  { "conflicts", N_("Conflicts") },
  { "conflicts_none", N_("No conflicts") },
  { "terminals", N_("Terminals") },
  { "terminal", N_("Terminal") },
  { "last_seen", N_("Last seen") },
  { "entries_stored", N_("Entries") },
  { "never", N_("Never") },
  { "offline_since", N_("Silent since %s") },
  { "online", N_("In touch") },
  { "nothing_yet", N_("Nothing yet") },
  { "language", N_("Language") },
  { "role_organiser", N_("Organiser") },
  { "role_bar", N_("Bar supervisor") },
  { "role_door", N_("Door supervisor") },
  { "total", N_("Total") },
};

/* A language the panel speaks, as a locale this machine has. */
static const char *
locale_for (const char *language)
{
  if (g_strcmp0 (language, "pt_BR") == 0 || g_strcmp0 (language, "pt") == 0)
    return "pt_BR.UTF-8";
  if (g_strcmp0 (language, "es") == 0)
    return "es_ES.UTF-8";
  return NULL;
}

/**
 * pdv_sync_panel_strings:
 * @language: "pt_BR", "es" or "en" (or anything else: English)
 *
 * The panel's words in @language: `{"language", "strings": {key: text}}`.
 */
void
pdv_sync_panel_strings (const char   *language,
                        PdvSyncReply *reply)
{
  const char *name = locale_for (language);
  locale_t wanted = name != NULL ? newlocale (LC_MESSAGES_MASK | LC_CTYPE_MASK, name, (locale_t) 0) : (locale_t) 0;
  locale_t previous = wanted != (locale_t) 0 ? uselocale (wanted) : (locale_t) 0;
  json_t *texts = json_object ();

  /* This thread's locale only: others answer in theirs meanwhile. */
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    json_object_set_new (texts, strings[i].key,
                         json_string (wanted != (locale_t) 0 ? dgettext (GETTEXT_PACKAGE, strings[i].text)
                                                             : strings[i].text));
  if (wanted != (locale_t) 0)
    {
      uselocale (previous);
      freelocale (wanted);
    }
  pdv_sync_reply_json (reply, 200, json_pack ("{s:s, s:o}", "language", name != NULL ? language : "en",
                                              "strings", texts));
}

/**
 * pdv_sync_panel_asset:
 * @path: a path under /panel/
 *
 * Returns: (transfer full) (nullable): the panel's file at @path, compiled
 *   into pdv-syncd, with its type
 */
GBytes *
pdv_sync_panel_asset (const char  *path,
                      const char **out_content_type)
{
  static const struct {
    const char *path;
    const char *resource;
    const char *type;
  } assets[] = {
    { "/panel", "/br/com/pdv/panel/index.html", "text/html; charset=utf-8" },
    { "/panel/", "/br/com/pdv/panel/index.html", "text/html; charset=utf-8" },
    { "/panel/panel.css", "/br/com/pdv/panel/panel.css", "text/css; charset=utf-8" },
    { "/panel/panel.js", "/br/com/pdv/panel/panel.js", "text/javascript; charset=utf-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (assets); i++)
    if (g_str_equal (path, assets[i].path))
      {
        *out_content_type = assets[i].type;
        return g_resources_lookup_data (assets[i].resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      }
  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-syncd"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>
#include <sodium.h>
#include <string.h>

#include "pdv-csv.h"
#include "pdv-datetime.h"
#include "pdv-money.h"
#include "pdv-rate-limiter.h"
#include "pdv-report-doc.h"
#include "pdv-sync-panel.h"

/* A session's id, random: what a logout names to end it. */
#define SESSION_ID_BYTES 16

/*
 * The organiser's panel: a web page pdv-syncd serves (its files compiled
 * in, nothing from elsewhere) that shows the event live to the people who
 * run it.
 *
 * Accounts are made with the admin token (`pdvctl admin panel-account`),
 * their passwords kept as Argon2id hashes. A login gives a session cookie
 * (HttpOnly, SameSite=Strict, Secure over TLS) that carries the account's
 * name, when it ends, a fingerprint of its password hash and a random id,
 * signed with HMAC-SHA256 under a secret every server of the store shares;
 * each request reads the account again, so a role changed takes effect at
 * once and a new password ends the sessions opened with the old one, and
 * asks the store whether the session was logged out (at any server). Logins are
 * limited per client address, and an account that fails too often is
 * locked for a while; both are logged.
 *
 * What the panel shows is read from the report's running totals (constant
 * time, whatever the number of entries) at most once a second however many
 * panels are open, and cut to what the account's role may see.
 */

/* The newest document of a type, parsed, and its cursor. */
typedef struct {
  gint64  cursor;
  json_t *json;
} Document;

struct _PdvSyncPanel
{
  GMutex          lock;
  GHashTable     *failures;   /* account name → Failures */
  PdvRateLimiter *logins;     /* by client address */
  char           *secret;     /* hex, read once from the store */
  char           *dummy_hash; /* what an unknown name is checked against */
  json_t         *figures;    /* the last read, shared */
  gint64          figures_at; /* monotonic µs */
  json_t         *live;       /* what the alerts found: see pdv_sync_panel_set_live() */
  GHashTable     *heard;      /* terminal id → Heard: what it said last, and when it was written */
  Document        event;      /* the newest event and catalog, read once each */
  Document        catalog;
  guint64         live_version;
};

typedef struct {
  guint  count;
  gint64 first_us;
  gint64 locked_until_us;
} Failures;


typedef struct {
  gint64  written_us;   /* when the store was last told */
  char   *heard_at;     /* the latest, as this server heard it */
  char   *version;
  gint64  waiting;
  char   *oldest;
  gboolean changed;     /* since the store was last told */
} Heard;

static void
heard_free (Heard *heard)
{
  g_free (heard->heard_at);
  g_free (heard->version);
  g_free (heard->oldest);
  g_free (heard);
}

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
  self->heard = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) heard_free);
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
  g_hash_table_unref (self->heard);
  pdv_rate_limiter_free (self->logins);
  if (self->secret != NULL)
    sodium_memzero (self->secret, strlen (self->secret));
  g_free (self->secret);
  g_free (self->dummy_hash);
  g_clear_pointer (&self->figures, json_decref);
  g_clear_pointer (&self->live, json_decref);
  g_clear_pointer (&self->event.json, json_decref);
  g_clear_pointer (&self->catalog.json, json_decref);
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
  if (!pdv_store_begin (store, TRUE, &error) ||
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
  if (!pdv_store_begin (store, TRUE, error) ||
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
  /* Names tried by anyone are forgotten once their window is over: a
   * stream of made-up names does not grow the table for ever. */
  if (g_hash_table_size (self->failures) > 10000)
    {
      GHashTableIter iter;
      Failures *old;

      g_hash_table_iter_init (&iter, self->failures);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &old))
        if (now - old->first_us > (gint64) PDV_PANEL_LOCKOUT_S * G_USEC_PER_SEC && old->locked_until_us < now)
          g_hash_table_iter_remove (&iter);
    }
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

/* What a session carries of the account's password: a new password ends
 * every session opened with the old one. */
static char *
password_fingerprint (const PdvStorePanelAccount *account)
{
  g_autofree char *digest = pdv_sync_sha256_hex (account->password_hash);

  return g_strndup (digest, 16);
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
  g_autofree char *fingerprint = NULL;
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
  fingerprint = password_fingerprint (account);
  {
    guint8 id[SESSION_ID_BYTES];
    char id_text[2 * SESSION_ID_BYTES + 1];

    randombytes_buf (id, sizeof id);
    sodium_bin2hex (id_text, sizeof id_text, id, sizeof id);
    text = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%s\n%s", name,
                            g_get_real_time () / G_USEC_PER_SEC + PDV_PANEL_SESSION_S, fingerprint, id_text);
  }
  sign (key, text, mac);
  encoded = g_base64_encode ((const guchar *) text, strlen (text));
  /* Base64 in a cookie: '=' and '+' and '/' are allowed there. */
  token = g_strconcat (encoded, ".", mac, NULL);
  reply->set_cookie = cookie_header (token, PDV_PANEL_SESSION_S, secure);
  pdv_sync_audit ("panel login for %s (%s) from %s", name, account->role, client);
  pdv_sync_reply_json (reply, 200, json_pack ("{s:s, s:s}", "name", name, "role", account->role));
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

/* What a session's cookie says, once its signature and its end are
 * checked: the account's name, when it ends, the fingerprint of the
 * password it was opened with and its id. */
typedef struct {
  char   *name;
  gint64  expires_at;
  char   *fingerprint;
  char   *id;
} Session;

static void
session_clear (Session *session)
{
  g_free (session->name);
  g_free (session->fingerprint);
  g_free (session->id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Session, session_clear)

/* Reads @cookie's session into @out; 401 set in @reply when there is none,
 * it is forged or it is over. */
static gboolean
read_session (PdvSyncPanel  *self,
              PdvStore      *store,
              const char    *cookie,
              Session       *out,
              PdvSyncReply  *reply)
{
  g_autofree char *token = find_token (cookie);
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
  text = decoded != NULL ? g_strndup ((const char *) decoded, length) : NULL;
  if (text == NULL || strlen (text) != length)
    {
      pdv_sync_reply_error (reply, 401, "unauthenticated", "the session is over: log in again");
      return FALSE;
    }
  sign (key, text, mac);
  fields = g_strsplit (text, "\n", 4);
  if (strlen (dot + 1) != strlen (mac) || sodium_memcmp (mac, dot + 1, strlen (mac)) != 0 ||
      g_strv_length (fields) != 4 || !g_ascii_string_to_signed (fields[1], 10, 0, G_MAXINT64, &expires, NULL) ||
      expires < g_get_real_time () / G_USEC_PER_SEC)
    {
      pdv_sync_reply_error (reply, 401, "unauthenticated", "the session is over: log in again");
      return FALSE;
    }
  out->name = g_strdup (fields[0]);
  out->expires_at = expires;
  out->fingerprint = g_strdup (fields[2]);
  out->id = g_strdup (fields[3]);
  return TRUE;
}

/**
 * pdv_sync_panel_logout:
 * @cookie: (nullable): the request's Cookie header
 *
 * Ends the request's session at every server of the store (a copy of its
 * cookie is refused from now on) and clears the cookie.
 */
void
pdv_sync_panel_logout (PdvSyncPanel *self,
                       PdvStore     *store,
                       const char   *cookie,
                       const char   *client,
                       gboolean      secure,
                       PdvSyncReply *reply)
{
  g_auto(Session) session = { 0 };
  g_auto(PdvSyncReply) refused = { 0 };
  g_autoptr(GError) error = NULL;

  if (read_session (self, store, cookie, &session, &refused))
    {
      if (!pdv_store_begin (store, TRUE, &error) ||
          !pdv_store_end_panel_session (store, session.id, session.expires_at, g_get_real_time () / G_USEC_PER_SEC,
                                        &error) ||
          !pdv_store_commit (store, &error))
        {
          pdv_store_rollback (store);
          pdv_sync_reply_store_error (reply, error);
          return;
        }
      pdv_sync_audit ("panel logout for %s from %s", session.name, client);
    }
  else if (refused.status != 401)
    {
      /* The store could not be asked: the session is not ended yet. */
      *reply = refused;
      refused = (PdvSyncReply) { 0 };
      return;
    }
  /* No session, or one over already: nothing to end. */
  reply->set_cookie = cookie_header ("", 0, secure);
  pdv_sync_reply_json (reply, 200, json_object ());
}

/**
 * pdv_sync_panel_session:
 * @cookie: (nullable): the request's Cookie header
 *
 * Who the request's session is for, as the store says now; 401 set in
 * @reply when there is none, it is forged, it is over or it was logged
 * out.
 */
gboolean
pdv_sync_panel_session (PdvSyncPanel  *self,
                        PdvStore      *store,
                        const char    *cookie,
                        char         **out_name,
                        PdvPanelRole  *out_role,
                        PdvSyncReply  *reply)
{
  g_auto(Session) session = { 0 };
  g_autoptr(PdvStorePanelAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean ended = FALSE;

  if (!read_session (self, store, cookie, &session, reply))
    return FALSE;
  if (!pdv_store_begin (store, FALSE, &error) ||
      !pdv_store_find_panel_account (store, session.name, &account, &error) ||
      !pdv_store_panel_session_ended (store, session.id, &ended, &error) ||
      !pdv_store_commit (store, &error))
    {
      pdv_store_rollback (store);
      pdv_sync_reply_store_error (reply, error);
      return FALSE;
    }
  if (ended)
    {
      pdv_sync_reply_error (reply, 401, "unauthenticated", "the session was logged out: log in again");
      return FALSE;
    }
  if (account == NULL || !pdv_panel_role_from_string (account->role, out_role))
    {
      pdv_sync_reply_error (reply, 401, "unauthenticated", "the account is gone: log in again");
      return FALSE;
    }
  fingerprint = password_fingerprint (account);
  if (!g_str_equal (fingerprint, session.fingerprint))
    {
      pdv_sync_reply_error (reply, 401, "unauthenticated", "the password changed: log in again");
      return FALSE;
    }
  *out_name = g_steal_pointer (&session.name);
  return TRUE;
}

/**
 * pdv_sync_panel_heard:
 * @user_agent: (nullable): the terminal's User-Agent ("pdv/0.1.0")
 * @waiting: (nullable): its X-PDV-Waiting: entries it has not sent yet
 * @oldest: (nullable): its X-PDV-Oldest-Unsynced: when the oldest was made
 *
 * A terminal was heard from (a push or a pull, the held ones each time
 * they look): kept in the store for the panel, at most every 30 s unless
 * what it says changed (then every 5 s), so that a fleet's pulls do not
 * become writes.
 */
void
pdv_sync_panel_heard (PdvSyncPanel *self,
                      PdvStore     *store,
                      const char   *terminal_id,
                      const char   *user_agent,
                      const char   *waiting,
                      const char   *oldest)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 count = -1;
  gboolean write;
  Heard *heard;

  if (waiting != NULL && !g_ascii_string_to_signed (waiting, 10, 0, G_MAXINT64, &count, NULL))
    count = -1;
  if (oldest != NULL && (strlen (oldest) > 64 || !g_utf8_validate (oldest, -1, NULL)))
    oldest = NULL;
  if (user_agent != NULL && (strlen (user_agent) > 64 || !g_utf8_validate (user_agent, -1, NULL)))
    user_agent = NULL;
  g_autofree char *now_text = pdv_sync_now (store);

  g_mutex_lock (&self->lock);
  heard = g_hash_table_lookup (self->heard, terminal_id);
  if (heard == NULL)
    {
      heard = g_new0 (Heard, 1);
      heard->waiting = -2;
      g_hash_table_insert (self->heard, g_strdup (terminal_id), heard);
    }
  /* This server shows what it heard at once; the store (for the others)
   * is told at most every 30 s, or 5 s when it changed. */
  heard->changed |= heard->waiting != count || g_strcmp0 (heard->version, user_agent) != 0 ||
                    g_strcmp0 (heard->oldest, oldest) != 0;
  g_free (heard->heard_at);
  heard->heard_at = g_strdup (now_text);
  heard->waiting = count;
  g_free (heard->version);
  heard->version = g_strdup (user_agent);
  g_free (heard->oldest);
  heard->oldest = g_strdup (oldest);
  write = now - heard->written_us >= 30 * G_USEC_PER_SEC ||
          (heard->changed && now - heard->written_us >= 5 * G_USEC_PER_SEC);
  if (write)
    {
      heard->written_us = now;
      heard->changed = FALSE;
    }
  g_mutex_unlock (&self->lock);
  if (write)
    {
      PdvStoreTerminalStatus status = { (char *) terminal_id, now_text, (char *) user_agent, count, (char *) oldest };

      if (!pdv_store_begin (store, TRUE, &error) ||
          !pdv_store_put_terminal_status (store, &status, &error) ||
          !pdv_store_commit (store, &error))
        {
          pdv_store_rollback (store);
          g_debug ("terminal %s's status not kept: %s", terminal_id, error->message);
        }
    }
}

/* Each terminal's last word on itself, into the report's terminals: as
 * the store has it, or as this server heard it since. */
static void
add_terminal_status (PdvSyncPanel *self,
                     PdvStore     *store,
                     json_t       *report)
{
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  json_t *terminal;
  size_t i;

  if (!pdv_store_begin (store, FALSE, NULL))
    return;
  statuses = pdv_store_list_terminal_status (store, NULL);
  pdv_store_rollback (store);
  if (statuses == NULL)
    return;
  g_mutex_lock (&self->lock);
  {
    GHashTableIter iter;
    const char *id;
    Heard *heard;

    g_hash_table_iter_init (&iter, self->heard);
    while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &heard))
      {
        PdvStoreTerminalStatus *status = g_new0 (PdvStoreTerminalStatus, 1);

        status->id = g_strdup (id);
        status->heard_at = g_strdup (heard->heard_at);
        status->version = g_strdup (heard->version);
        status->waiting = heard->waiting;
        status->oldest_unsynced = g_strdup (heard->oldest);
        g_ptr_array_add (statuses, status);
      }
  }
  g_mutex_unlock (&self->lock);
  for (guint s = 0; s < statuses->len; s++)
    {
      PdvStoreTerminalStatus *status = g_ptr_array_index (statuses, s);
      PdvStoreTerminalStatus *known = g_hash_table_lookup (by_id, status->id);

      /* The newest word wins: the store's or this server's. */
      if (known == NULL || g_strcmp0 (status->heard_at, known->heard_at) >= 0)
        g_hash_table_insert (by_id, status->id, status);
    }
  json_array_foreach (json_object_get (report, "terminals"), i, terminal)
    {
      PdvStoreTerminalStatus *status = g_hash_table_lookup (by_id, json_string_value (json_object_get (terminal,
                                                                                                   "terminal")));
      const char *seen = json_string_value (json_object_get (terminal, "last_seen"));

      if (status == NULL)
        continue;
      /* Heard from last: a push, or a pull since. */
      if (seen == NULL || g_strcmp0 (status->heard_at, seen) > 0)
        json_object_set_new (terminal, "heard_at", json_string (status->heard_at));
      else
        json_object_set_new (terminal, "heard_at", json_string (seen));
      if (status->version != NULL)
        json_object_set_new (terminal, "version", json_string (status->version));
      if (status->waiting >= 0)
        json_object_set_new (terminal, "waiting", json_integer (status->waiting));
      if (status->oldest_unsynced != NULL)
        json_object_set_new (terminal, "oldest_unsynced", json_string (status->oldest_unsynced));
    }
}

/* The newest document of @type, parsed, as @cache keeps it: only what came
 * after the one kept is read (a catalog and an event, read a second each
 * with their every version, were most of a figures' read). NULL when there
 * is none yet. */
static json_t *
newest_document (PdvSyncPanel *self,
                 PdvStore     *store,
                 Document     *cache,
                 const char   *type)
{
  g_autoptr(GArray) cursors = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) newer = NULL;
  gint64 after;
  json_t *document;

  g_mutex_lock (&self->lock);
  after = cache->cursor;
  g_mutex_unlock (&self->lock);
  if (pdv_store_begin (store, FALSE, NULL))
    {
      newer = pdv_store_list_documents_after (store, type, after, cursors, NULL);
      pdv_store_rollback (store);
    }
  g_mutex_lock (&self->lock);
  if (newer != NULL && newer->len > 0 && g_array_index (cursors, gint64, cursors->len - 1) > cache->cursor)
    {
      g_clear_pointer (&cache->json, json_decref);
      cache->json = pdv_sync_parse_json (g_ptr_array_index (newer, newer->len - 1));
      cache->cursor = g_array_index (cursors, gint64, cursors->len - 1);
    }
  document = cache->json != NULL ? json_incref (cache->json) : NULL;
  g_mutex_unlock (&self->lock);
  return document;
}

/* The stock each bar starts the event with, by product, as @catalog says:
 * {id: {"name", "stock"}} for the products that track it. */
static json_t *
catalog_stock (json_t *catalog)
{
  json_t *stock = json_object ();
  json_t *product;
  size_t i;

  json_array_foreach (json_object_get (catalog, "products"), i, product)
    if (json_is_true (json_object_get (product, "track_stock")) && json_is_integer (json_object_get (product, "stock")) &&
        json_is_string (json_object_get (product, "id")))
      json_object_set_new (stock, json_string_value (json_object_get (product, "id")),
                           json_pack ("{s:O?, s:O}", "name", json_object_get (product, "name"),
                                      "stock", json_object_get (product, "stock")));
  return stock;
}

/* The figures every panel is cut from: the report's, the event's, and a
 * version that changes when they may have. */
static json_t *
read_figures (PdvSyncPanel  *self,
              PdvStore      *store,
              GError       **error)
{
  g_autoptr(json_t) report = pdv_sync_report_from_totals (store, error);
  g_autoptr(json_t) event_document = NULL;
  g_autoptr(json_t) catalog = NULL;
  json_t *event;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *generated = g_date_time_format_iso8601 (now);
  g_autofree char *version = NULL;
  gint64 seqs = 0;
  json_t *terminal;
  size_t i;

  if (report == NULL)
    return NULL;
  event_document = newest_document (self, store, &self->event, "event");
  event = json_object_get (event_document, "event");
  catalog = newest_document (self, store, &self->catalog, "catalog");
  json_array_foreach (json_object_get (report, "terminals"), i, terminal)
    seqs += json_integer_value (json_object_get (terminal, "last_seq"));
  version = g_strdup_printf ("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, seqs,
                             (gint64) json_integer_value (json_object_get (report, "conflicts")));
  json_object_set_new (report, "version", json_string (version));
  json_object_set_new (report, "generated_at", json_string (generated));
  add_terminal_status (self, store, report);
  json_object_set_new (report, "stock_start", catalog_stock (catalog));
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
  /* A supervisor sees the terminals of their side: a bar's sell, a door's
   * scan tickets (one that did neither yet is shown to both); each
   * terminal's sales only to who may see sales. */
  if (role != PDV_PANEL_ROLE_ORGANISER)
    {
      json_t *terminals = json_array ();
      json_t *terminal;

      json_array_foreach (json_object_get (figures, "terminals"), i, terminal)
        {
          gboolean sells = json_integer_value (json_object_get (terminal, "sales")) > 0;
          gboolean scans = json_integer_value (json_object_get (terminal, "scans")) > 0;
          json_t *copy;

          if ((role == PDV_PANEL_ROLE_BAR && scans && !sells) || (role == PDV_PANEL_ROLE_DOOR && sells && !scans))
            continue;
          copy = json_copy (terminal);
          if (role == PDV_PANEL_ROLE_DOOR)
            {
              json_object_del (copy, "sales");
              json_object_del (copy, "sales_total");
            }
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
/**
 * pdv_sync_panel_figures:
 *
 * The figures every panel is cut from, read from the store at most once in
 * %PDV_PANEL_STATE_MAX_AGE_MS.
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
json_t *
pdv_sync_panel_figures (PdvSyncPanel  *self,
                        PdvStore      *store,
                        GError       **error)
{
  json_t *figures = NULL;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  if (self->figures != NULL && self->figures_at != 0 && now - self->figures_at < PDV_PANEL_STATE_MAX_AGE_MS * 1000)
    figures = json_incref (self->figures);
  g_mutex_unlock (&self->lock);
  if (figures != NULL)
    return figures;
  figures = read_figures (self, store, error);
  if (figures == NULL)
    return NULL;
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->figures, json_decref);
  self->figures = json_incref (figures);
  self->figures_at = now;
  g_mutex_unlock (&self->lock);
  return figures;
}

/**
 * pdv_sync_panel_set_live:
 * @live: (transfer none): what the alerts found in the figures' history
 *   (stock and its forecast, each gate's pace, the alerts): `{"stock",
 *   "gate_rates", "alerts", "deliveries", "rules", "webhooks"}`
 *
 * Shown with the figures from now on.
 *
 * Returns: whether it changed: the panels are to look again
 */
gboolean
pdv_sync_panel_set_live (PdvSyncPanel *self,
                         json_t       *live)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = self->live == NULL || !json_equal (self->live, live);
  if (changed)
    {
      g_clear_pointer (&self->live, json_decref);
      self->live = json_deep_copy (live);
      self->live_version++;
    }
  g_mutex_unlock (&self->lock);
  return changed;
}

/**
 * pdv_sync_panel_forget_figures:
 *
 * Something was stored since the figures were read: the next panel to ask
 * reads them again (and the others share what it read).
 */
void
pdv_sync_panel_forget_figures (PdvSyncPanel *self)
{
  g_mutex_lock (&self->lock);
  self->figures_at = 0;
  g_mutex_unlock (&self->lock);
}

/* What the alerts add for @role: stock for the bars, pace for the doors,
 * the alerts of the kinds the role looks after; rules, webhooks and their
 * deliveries for organisers. */
static void
add_live (json_t       *state,
          json_t       *live,
          PdvPanelRole  role)
{
  json_t *alerts;
  json_t *alert;
  size_t i;

  if (live == NULL)
    return;
  alerts = json_array ();
  if (role != PDV_PANEL_ROLE_DOOR)
    json_object_set (state, "stock", json_object_get (live, "stock"));
  if (role != PDV_PANEL_ROLE_BAR)
    json_object_set (state, "gate_rates", json_object_get (live, "gate_rates"));
  json_array_foreach (json_object_get (live, "alerts"), i, alert)
    {
      const char *kind = json_string_value (json_object_get (alert, "kind"));
      gboolean bars = g_strcmp0 (kind, "stock_below") == 0;
      gboolean doors = g_strcmp0 (kind, "occupancy_at") == 0 || g_strcmp0 (kind, "refusal_rate_over") == 0;

      if (role == PDV_PANEL_ROLE_ORGANISER || (role == PDV_PANEL_ROLE_BAR && bars) ||
          (role == PDV_PANEL_ROLE_DOOR && doors))
        json_array_append (alerts, alert);
    }
  json_object_set_new (state, "alerts", alerts);
  if (role == PDV_PANEL_ROLE_ORGANISER)
    {
      json_object_set (state, "rules", json_object_get (live, "rules"));
      json_object_set (state, "webhooks", json_object_get (live, "webhooks"));
      json_object_set (state, "deliveries", json_object_get (live, "deliveries"));
    }
}

void
pdv_sync_panel_state (PdvSyncPanel *self,
                      PdvStore     *store,
                      const char   *name,
                      PdvPanelRole  role,
                      PdvSyncReply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) figures = pdv_sync_panel_figures (self, store, &error);
  g_autoptr(json_t) live = NULL;
  g_autofree char *version = NULL;
  json_t *state;
  guint64 live_version;

  if (figures == NULL)
    {
      pdv_sync_reply_store_error (reply, error);
      return;
    }
  g_mutex_lock (&self->lock);
  live = self->live != NULL ? json_incref (self->live) : NULL;
  live_version = self->live_version;
  g_mutex_unlock (&self->lock);
  state = cut_for (figures, name, role);
  add_live (state, live, role);
  version = g_strdup_printf ("%s-%" G_GUINT64_FORMAT, json_string_value (json_object_get (figures, "version")),
                             live_version);
  json_object_set_new (state, "version", json_string (version));
  pdv_sync_reply_json (reply, 200, state);
}

/* The panel's words, translated on the server with the rest of PDV: "%s"
 * is filled in by the page, "%%" is a percent sign. */
static const struct {
  const char *key;
  const char *text;
} strings[] = {
  /* Translators: the organiser's web panel */
  { "title", N_("PDV — Event panel") },
  { "login", N_("Log in") },
  { "logout", N_("Log out") },
  { "logout_failed", N_("Could not log out: the server is not answering. Try again.") },
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
  { "venue_capacity", N_("Capacity") },
  { "alerts", N_("Alerts") },
  { "alerts_none", N_("No alerts") },
  { "alert_stock_below", N_("Stock of %s: %s, below %s") },
  { "alert_occupancy_at", N_("Occupancy at %s%%") },
  { "alert_terminal_silent", N_("%s silent for %s minutes") },
  { "alert_conflicts_over", N_("%s conflicts in 10 minutes") },
  { "alert_refusal_rate_over", N_("%s refused %s%% of its scans in 10 minutes") },
  { "raised_at", N_("since %s") },
  { "cleared_at", N_("over at %s") },
  { "stock", N_("Stock") },
  { "per_hour_pace", N_("Per hour") },
  { "lasts", N_("Lasts") },
  { "hours_minutes", N_("%s h %s min") },
  { "minutes", N_("%s min") },
  { "gate_pace", N_("Gates now") },
  { "per_minute", N_("Per minute") },
  { "refused_share", N_("Refused (10 min)") },
  { "rules", N_("Alert rules") },
  { "rule_kind", N_("When") },
  { "kind_stock_below", N_("Stock of a product below") },
  { "kind_occupancy_at", N_("Occupancy at (%%)") },
  { "kind_terminal_silent", N_("A terminal silent for (minutes)") },
  { "kind_conflicts_over", N_("Conflicts in 10 minutes over") },
  { "kind_refusal_rate_over", N_("A gate refusing over (%%)") },
  { "threshold", N_("Threshold") },
  { "any_gate", N_("Any gate") },
  { "add", N_("Add") },
  { "remove", N_("Remove") },
  { "webhooks", N_("Webhooks") },
  { "webhook_url", N_("Address (https://…)") },
  { "secret", N_("Signing secret") },
  { "deliveries", N_("Deliveries") },
  { "status_pending", N_("Trying") },
  { "status_delivered", N_("Delivered") },
  { "status_failed", N_("Given up") },
  { "attempts", N_("Attempts") },
  { "answer", N_("Answer") },
  { "event_raised", N_("Raised") },
  { "event_cleared", N_("Ended") },
  { "saved", N_("Saved") },
  { "to_send", N_("To send") },
  { "oldest_unsent", N_("Oldest unsent") },
  { "version", N_("Version") },
  { "export_csv", N_("Export CSV") },
  { "export_pdf", N_("Export PDF") },
  { "export_title", N_("Event totals") },
  { "generated", N_("Generated") },
  { "payment_method", N_("Payment method") },
  { "hour", N_("Hour") },
  { "checkins", N_("Check-ins") },
  { "refused", N_("Refused") },
};

/* A language the panel speaks, as a locale this machine has. */
static const char *locale_for (const char *language);

/* The panel's text for @key, in this thread's language. */
static const char *
word (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (g_str_equal (strings[i].key, key))
      return dgettext (GETTEXT_PACKAGE, strings[i].text);
  return key;
}

/* This thread speaks @language (and writes its numbers and dates) until
 * speak_again() gives back what it had. */
static locale_t
speak (const char *language,
       locale_t   *out_previous)
{
  const char *name = locale_for (language);
  locale_t wanted = newlocale (LC_MESSAGES_MASK | LC_CTYPE_MASK | LC_NUMERIC_MASK | LC_TIME_MASK,
                               name != NULL ? name : "C.UTF-8", (locale_t) 0);

  *out_previous = wanted != (locale_t) 0 ? uselocale (wanted) : (locale_t) 0;
  return wanted;
}

static void
speak_again (locale_t wanted,
             locale_t previous)
{
  if (wanted == (locale_t) 0)
    return;
  uselocale (previous);
  freelocale (wanted);
}

static char *
count_text (json_t *value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_integer_value (value));
}

/* One record of the export: what the CSV writes and the PDF lays out. */
typedef struct {
  PdvCsvWriter  csv;
  PdvReportDoc *doc;
} Export;

static void
csv_record (Export     *export,
            const char *section,
            const char *key,
            const char *label,
            json_t     *count,
            json_t     *amount)
{
  g_autofree char *count_value = count != NULL ? count_text (count) : NULL;
  g_autofree char *amount_value = amount != NULL ? pdv_money_format_plain (json_integer_value (amount)) : NULL;

  pdv_csv_writer_text (&export->csv, section);
  pdv_csv_writer_text (&export->csv, key);
  pdv_csv_writer_text (&export->csv, label != NULL ? label : key);
  pdv_csv_writer_number (&export->csv, count_value);
  pdv_csv_writer_number (&export->csv, amount_value);
  pdv_csv_writer_end_record (&export->csv);
}

static char *
money_text (json_t *amount)
{
  return pdv_money_format_brazilian (json_integer_value (amount), TRUE);
}

/* The figures @state holds, into @export: the summary, then a table each. */
static void
fill_export (Export *export,
             json_t *state)
{
  const char *role = json_string_value (json_object_get (state, "role"));
  gboolean sales = g_strcmp0 (role, "door") != 0;
  gboolean doors = g_strcmp0 (role, "bar") != 0;
  gint64 net = 0, made = 0;
  json_t *item;
  size_t i;

  json_array_foreach (json_object_get (state, "terminals"), i, item)
    {
      net += json_integer_value (json_object_get (item, "sales_total"));
      made += json_integer_value (json_object_get (item, "sales"));
    }
  if (sales)
    {
      g_autoptr(json_t) net_value = json_integer (net);
      g_autoptr(json_t) made_value = json_integer (made);
      g_autofree char *net_text = money_text (net_value);
      g_autofree char *made_text = count_text (made_value);

      csv_record (export, "summary", "net_sales", word ("net_sales"), NULL, net_value);
      csv_record (export, "summary", "sales", word ("sales_count"), made_value, NULL);
      pdv_report_doc_add_pair (export->doc, word ("net_sales"), net_text);
      pdv_report_doc_add_pair (export->doc, word ("sales_count"), made_text);
    }
  if (doors)
    {
      g_autofree char *inside = count_text (json_object_get (state, "inside"));
      g_autofree char *capacity = count_text (json_object_get (json_object_get (state, "event"), "capacity"));

      csv_record (export, "summary", "inside", word ("inside"), json_object_get (state, "inside"), NULL);
      csv_record (export, "summary", "capacity", word ("venue_capacity"),
                  json_object_get (json_object_get (state, "event"), "capacity"), NULL);
      pdv_report_doc_add_pair (export->doc, word ("inside"), inside);
      pdv_report_doc_add_pair (export->doc, word ("venue_capacity"), capacity);
    }
  {
    g_autofree char *conflicts = count_text (json_object_get (state, "conflicts"));

    csv_record (export, "summary", "conflicts", word ("conflicts"), json_object_get (state, "conflicts"), NULL);
    pdv_report_doc_add_pair (export->doc, word ("conflicts"), conflicts);
  }

  if (sales)
    {
      const char *bar_headings[] = { word ("sales"), word ("amount"), NULL };
      const char *amount_heading[] = { word ("amount"), NULL };
      const char *product_headings[] = { word ("qty"), word ("amount"), NULL };
      const char *ficha_headings[] = { word ("issued"), word ("served"), word ("revoked"), word ("outstanding"), NULL };
      static const char * const methods[] = { "cash", "card", "pix", "voucher" };
      json_t *fichas = json_object_get (state, "fichas");

      pdv_report_doc_add_table (export->doc, word ("per_bar"), bar_headings);
      json_array_foreach (json_object_get (state, "terminals"), i, item)
        {
          g_autofree char *n = count_text (json_object_get (item, "sales"));
          g_autofree char *amount = money_text (json_object_get (item, "sales_total"));
          const char *cells[] = { json_string_value (json_object_get (item, "name")), n, amount, NULL };

          if (json_integer_value (json_object_get (item, "sales")) == 0)
            continue;
          csv_record (export, "per_bar", json_string_value (json_object_get (item, "terminal")), cells[0],
                      json_object_get (item, "sales"), json_object_get (item, "sales_total"));
          pdv_report_doc_add_row (export->doc, FALSE, cells);
        }
      pdv_report_doc_add_table (export->doc, word ("per_method"), amount_heading);
      for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
        {
          json_t *amount = json_object_get (json_object_get (state, "payments"), methods[m]);
          g_autofree char *text = money_text (amount);
          const char *cells[] = { word (methods[m]), text, NULL };

          csv_record (export, "payments", methods[m], cells[0], NULL, amount);
          pdv_report_doc_add_row (export->doc, FALSE, cells);
        }
      pdv_report_doc_add_table (export->doc, word ("per_hour"), amount_heading);
      json_array_foreach (json_object_get (state, "hours"), i, item)
        {
          const char *hour = json_string_value (json_object_get (item, "hour"));
          g_autofree char *label = hour != NULL && strlen (hour) >= 16 ? g_strndup (hour, 16) : g_strdup (hour);
          g_autofree char *amount = money_text (json_object_get (item, "sales_total"));
          const char *cells[] = { label, amount, NULL };

          if (json_integer_value (json_object_get (item, "sales_total")) == 0)
            continue;
          if (label != NULL)
            label[10] = ' ';
          csv_record (export, "hours", hour, label, NULL, json_object_get (item, "sales_total"));
          pdv_report_doc_add_row (export->doc, FALSE, cells);
        }
      pdv_report_doc_add_table (export->doc, word ("top_products"), product_headings);
      json_array_foreach (json_object_get (state, "products"), i, item)
        {
          g_autofree char *qty = count_text (json_object_get (item, "qty"));
          g_autofree char *amount = money_text (json_object_get (item, "total"));
          const char *name = json_string_value (json_object_get (item, "name"));
          const char *cells[] = { name != NULL ? name : json_string_value (json_object_get (item, "product")), qty,
                                  amount, NULL };

          csv_record (export, "products", json_string_value (json_object_get (item, "product")), cells[0],
                      json_object_get (item, "qty"), json_object_get (item, "total"));
          pdv_report_doc_add_row (export->doc, FALSE, cells);
        }
      if (json_array_size (json_object_get (fichas, "products")) > 0)
        {
          static const char * const fields[] = { "issued", "served", "revoked", "outstanding" };

          pdv_report_doc_add_table (export->doc, word ("fichas"), ficha_headings);
          json_array_foreach (json_object_get (fichas, "products"), i, item)
            {
              g_autofree char *a = count_text (json_object_get (item, "issued"));
              g_autofree char *b = count_text (json_object_get (item, "served"));
              g_autofree char *c = count_text (json_object_get (item, "revoked"));
              g_autofree char *d = count_text (json_object_get (item, "outstanding"));
              const char *name = json_string_value (json_object_get (item, "name"));
              const char *cells[] = { name != NULL ? name : json_string_value (json_object_get (item, "product")),
                                      a, b, c, d, NULL };

              for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
                {
                  g_autofree char *key = g_strconcat (json_string_value (json_object_get (item, "product")), ":",
                                                      fields[f], NULL);

                  csv_record (export, "fichas", key, cells[0], json_object_get (item, fields[f]), NULL);
                }
              pdv_report_doc_add_row (export->doc, FALSE, cells);
            }
        }
    }
  if (doors)
    {
      const char *gate_headings[] = { word ("entries"), word ("exits"), word ("refusals"), NULL };

      if (json_array_size (json_object_get (state, "gates")) > 0)
        pdv_report_doc_add_table (export->doc, word ("per_gate"), gate_headings);
      json_array_foreach (json_object_get (state, "gates"), i, item)
        {
          static const char * const fields[] = { "entries", "exits", "refusals" };
          g_autofree char *a = count_text (json_object_get (item, "entries"));
          g_autofree char *b = count_text (json_object_get (item, "exits"));
          g_autofree char *c = count_text (json_object_get (item, "refusals"));
          const char *cells[] = { json_string_value (json_object_get (item, "gate")), a, b, c, NULL };

          for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            {
              g_autofree char *key = g_strconcat (cells[0], ":", fields[f], NULL);

              csv_record (export, "gates", key, cells[0], json_object_get (item, fields[f]), NULL);
            }
          pdv_report_doc_add_row (export->doc, FALSE, cells);
        }
    }
}

/**
 * pdv_sync_panel_export:
 * @format: "csv" (for a spreadsheet in @language's conventions) or "pdf"
 *
 * The event's totals as the panel of @name shows them, as a file to save:
 * CSV records section,key,label,count,amount (amounts in reais), or a PDF
 * laid out as the terminals' reports are.
 */
void
pdv_sync_panel_export (PdvSyncPanel *self,
                       PdvStore     *store,
                       const char   *name,
                       PdvPanelRole  role,
                       const char   *format,
                       const char   *language,
                       PdvSyncReply *reply)
{
  g_auto(PdvSyncReply) figures = { 0 };
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) generated = NULL;
  g_autofree char *when = NULL;
  g_autofree char *stamp = NULL;
  json_t *state;
  Export export = { 0 };
  locale_t previous, wanted;
  const char *timezone;

  if (g_strcmp0 (format, "csv") != 0 && g_strcmp0 (format, "pdf") != 0)
    {
      pdv_sync_reply_error (reply, 400, "bad_request", "format must be csv or pdf");
      return;
    }
  pdv_sync_panel_state (self, store, name, role, &figures);
  if (figures.status != 200)
    {
      *reply = figures;
      memset (&figures, 0, sizeof figures);
      return;
    }
  state = figures.body;
  timezone = json_string_value (json_object_get (json_object_get (state, "event"), "timezone"));
  zone = timezone != NULL ? g_time_zone_new_identifier (timezone) : NULL;
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  generated = g_date_time_new_from_iso8601 (json_string_value (json_object_get (state, "generated_at")), NULL);
  stamp = generated != NULL ? pdv_datetime_format (generated, zone, PDV_DATETIME_DATE) : g_strdup ("");

  wanted = speak (language, &previous);
  when = generated != NULL ? pdv_datetime_format (generated, zone, PDV_DATETIME_DATE_TIME) : NULL;
  pdv_csv_writer_init (&export.csv, PDV_CSV_SPREADSHEET);
  {
    const char *header[] = { "section", "key", "label", "count", "amount" };

    for (guint i = 0; i < G_N_ELEMENTS (header); i++)
      pdv_csv_writer_text (&export.csv, header[i]);
    pdv_csv_writer_end_record (&export.csv);
  }
  export.doc = pdv_report_doc_new_pairs (PDV_REPORT_DOC_PAPER,
                                         json_string_value (json_object_get (json_object_get (state, "event"), "name")),
                                         word ("export_title"));
  pdv_report_doc_add_pair (export.doc, word ("generated"), when);
  fill_export (&export, state);
  {
    g_autofree char *csv = pdv_csv_writer_finish (&export.csv);
    g_autofree char *title = g_strdup (word ("export_title"));

    speak_again (wanted, previous);
    for (char *p = stamp; *p != '\0'; p++)
      if (*p == '/' || *p == ' ')
        *p = '-';
    if (g_str_equal (format, "csv"))
      {
        gsize length = strlen (csv);

        reply->raw = g_bytes_new_take (g_steal_pointer (&csv), length);
        reply->content_type = g_strdup ("text/csv; charset=utf-8");
        reply->file_name = g_strdup_printf ("pdv-totals-%s.csv", stamp);
      }
    else
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = g_dir_make_tmp ("pdv-panel-XXXXXX", &error);
        g_autofree char *path = dir != NULL ? g_build_filename (dir, "totals.pdf", NULL) : NULL;
        char *data = NULL;
        gsize size = 0;

        if (path == NULL || !pdv_report_doc_write_pdf (export.doc, PDV_REPORT_PAGE_A4, title, path, &error) ||
            !g_file_get_contents (path, &data, &size, &error))
          {
            pdv_sync_reply_error (reply, 500, "failed", "the PDF could not be made: %s", error->message);
            reply->status = 500;
          }
        else
          {
            reply->raw = g_bytes_new_take (data, size);
            reply->content_type = g_strdup ("application/pdf");
            reply->file_name = g_strdup_printf ("pdv-totals-%s.pdf", stamp);
          }
        if (path != NULL)
          g_unlink (path);
        if (dir != NULL)
          g_rmdir (dir);
      }
    pdv_report_doc_free (export.doc);
  }
  if (reply->raw != NULL)
    reply->status = 200;
}

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

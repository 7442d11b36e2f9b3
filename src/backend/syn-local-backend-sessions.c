/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-sessions.c: SynLocalBackend operations: sign in, sign out, and the token check of every server request. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-auth.h"
#include "syn-local-backend-private.h"

/* Verified against when the user is unknown, so that the answer takes as long
 * as for a wrong password and does not tell which usernames exist. */
static char *dummy_hash;

static JsonNode *
op_login (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *expires = NULL;
  const char *username, *password;
  gint64 now = syn_time_now_usec ();
  gint64 expires_at = now + SYN_AUTH_TOKEN_LIFETIME_USEC;
  gboolean ok;
  JsonObject *answer;

  if (!(username = _syn_param_string (params, "username", TRUE, error)) ||
      !(password = _syn_param_string (params, "password", TRUE, error)))
    return NULL;
  if (strlen (password) > SYN_AUTH_MAX_PASSWORD_LENGTH)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "Wrong username or password");

  user = syn_store_get_user_by_name (ctx->store, username, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (user != NULL)
    ok = syn_auth_verify_password (password, user->password_hash);
  else
    {
      if (g_once_init_enter (&dummy_hash))
        g_once_init_leave (&dummy_hash, syn_auth_hash_password ("not a password of anyone", NULL));
      syn_auth_verify_password (password, dummy_hash);
      ok = FALSE;
    }
  if (!ok)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "Wrong username or password");
  /* only once the password is right: a disabled account is no secret to its owner */
  {
    gint64 disabled_at = 0;

    if (!syn_store_get_user_disabled (ctx->store, user->id, &disabled_at, error))
      return NULL;
    if (disabled_at != 0)
      return _syn_op_fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "The account %s is disabled; ask an admin",
                           user->username);
  }

  if (!(token = syn_auth_random_token (error)))
    return NULL;
  token_hash = syn_auth_token_hash (token);
  /* Each login also sweeps the expired tokens: the table stays small. Who
   * signs in knows the password: it is no longer unshown. */
  if (!syn_store_delete_expired_tokens (ctx->store, now, error) ||
      !syn_store_insert_token (ctx->store, token_hash, user->id, now, expires_at, error) ||
      !syn_store_set_password_unshown (ctx->store, user->id, FALSE, error))
    return NULL;

  expires = syn_time_to_iso8601 (expires_at);
  answer = json_object_new ();
  json_object_set_string_member (answer, "token", token);
  json_object_set_string_member (answer, "expires_at", expires);
  json_object_set_member (answer, "user", syn_user_brief_json (user->id, user->username, user->role));
  return syn_json_node_new_object (answer);
}

static JsonNode *
op_logout (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autofree char *token_hash = NULL;
  const char *token = _syn_param_string (params, "token", TRUE, error);
  JsonObject *answer;

  if (token == NULL)
    return NULL;
  token_hash = syn_auth_token_hash (token);
  if (!syn_store_delete_token (ctx->store, token_hash, error))
    return NULL;
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "logged_out", TRUE);
  return syn_json_node_new_object (answer);
}

static JsonNode *
op_authenticate (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *token_hash = NULL;
  const char *token = _syn_param_string (params, "token", TRUE, error);
  JsonObject *answer;

  if (token == NULL)
    return NULL;
  token_hash = syn_auth_token_hash (token);
  user = syn_store_get_token_user (ctx->store, token_hash, syn_time_now_usec (), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (user == NULL)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "Invalid or expired token: sign in again");
  answer = json_object_new ();
  json_object_set_member (answer, "user", syn_user_brief_json (user->id, user->username, user->role));
  return syn_json_node_new_object (answer);
}

const SynOpEntry _syn_ops_sessions[] = {
  { SYN_OP_LOGIN, op_login },
  { SYN_OP_LOGOUT, op_logout },
  { SYN_OP_AUTHENTICATE, op_authenticate },
  { NULL, NULL }
};

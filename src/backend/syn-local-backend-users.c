/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-users.c: SynLocalBackend operations: users, their passwords, the first admin. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-auth.h"
#include "syn-local-backend-private.h"

#define MAX_USERNAME_LENGTH 64
#define ADMIN_USERNAME      "admin"

static gboolean
valid_username (const char *name, GError **error)
{
  gsize len = strlen (name);

  if (len == 0 || len > MAX_USERNAME_LENGTH)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "username: must have 1 to %d characters",
                         MAX_USERNAME_LENGTH), FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-@", *p) == NULL)
      return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID,
                           "username: \"%s\" may only hold letters, digits and . _ - @", name), FALSE;
  return TRUE;
}

static gboolean
valid_password (const char *password, GError **error)
{
  glong len = g_utf8_strlen (password, -1);

  if (!g_utf8_validate (password, -1, NULL))
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "password: not valid UTF-8"), FALSE;
  if (len < SYN_AUTH_MIN_PASSWORD_LENGTH)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "password: must have at least %d characters",
                         SYN_AUTH_MIN_PASSWORD_LENGTH), FALSE;
  if (strlen (password) > SYN_AUTH_MAX_PASSWORD_LENGTH)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "password: longer than %d bytes",
                         SYN_AUTH_MAX_PASSWORD_LENGTH), FALSE;
  return TRUE;
}

SynUser *
_syn_require_user (SynOpContext *ctx, const char *username, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  SynUser *user = syn_store_get_user_by_name (ctx->store, username, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (user == NULL)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_NOT_FOUND, "No user \"%s\"", username);
  return user;
}

static JsonNode *
op_create_user (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = syn_user_new ();
  g_autoptr(SynUser) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;
  const char *username, *password, *role;

  if (!(username = _syn_param_string (params, "username", TRUE, error)) ||
      !(password = _syn_param_string (params, "password", TRUE, error)) ||
      !(role = _syn_param_string (params, "role", TRUE, error)))
    return NULL;
  display_name = _syn_param_name (params, "display_name", FALSE, SYN_MAX_NAME_CHARS, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!valid_username (username, error) || !valid_password (password, error))
    return NULL;
  if (syn_auth_role_rank (role) == 0)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "role: \"%s\" is not admin, engineer or viewer", role);

  existing = syn_store_get_user_by_name (ctx->store, username, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (existing != NULL)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_CONFLICT, "User \"%s\" already exists", username);

  user->username = g_strdup (username);
  user->display_name = g_steal_pointer (&display_name);
  user->role = g_strdup (role);
  if (!(user->password_hash = syn_auth_hash_password (password, error)))
    return NULL;
  /* a race with another creation ends in the unique constraint: 409 */
  if (!syn_store_insert_user (ctx->store, user, error))
    return NULL;
  return syn_user_to_json (user);
}

static JsonNode *
op_list_users (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(GPtrArray) users = syn_store_list_users (ctx->store, error);

  return users ? _syn_array_answer (users, (gpointer) syn_user_to_json) : NULL;
}

static JsonNode *
op_set_password (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = NULL;
  g_autofree char *hash = NULL;
  const char *username, *password;

  if (!(username = _syn_param_string (params, "username", TRUE, error)) ||
      !(password = _syn_param_string (params, "password", TRUE, error)) ||
      !valid_password (password, error) ||
      !(user = _syn_require_user (ctx, username, error)))
    return NULL;
  if (!(hash = syn_auth_hash_password (password, error)) ||
      !syn_store_update_user_password (ctx->store, user->id, hash, error))
    return NULL;
  return syn_user_to_json (user);
}

/* A server started on an empty user table makes an admin with a random
 * password, under the write lock so two servers starting at once make one.
 * Until the server has printed it (SYN_OP_PASSWORD_SHOWN), the password is
 * marked unshown, in the same transaction: a server that dies before it
 * could print it leaves a database that says so. With users already there:
 * {created: false, unshown: [usernames whose password nobody was shown]}. */
static JsonNode *
op_ensure_admin (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(SynUser) admin = NULL;
  g_autofree char *password = NULL;
  JsonObject *answer;

  if (!syn_store_begin (ctx->store, error))
    return NULL;
  if (!(users = syn_store_list_users (ctx->store, error)))
    goto fail;
  if (users->len > 0)
    {
      g_autoptr(GPtrArray) unshown = NULL;
      JsonArray *names;

      if (!(unshown = syn_store_list_unshown_password_users (ctx->store, error)))
        goto fail;
      syn_store_rollback (ctx->store);
      names = json_array_new ();
      for (guint i = 0; i < unshown->len; i++)
        json_array_add_string_element (names, ((SynUser *) g_ptr_array_index (unshown, i))->username);
      answer = json_object_new ();
      json_object_set_boolean_member (answer, "created", FALSE);
      json_object_set_array_member (answer, "unshown", names);
      return syn_json_node_new_object (answer);
    }

  if (!(password = syn_auth_random_password (error)))
    goto fail;
  admin = syn_user_new ();
  admin->username = g_strdup (ADMIN_USERNAME);
  admin->display_name = g_strdup ("Administrator");
  admin->role = g_strdup (SYN_AUTH_ROLE_ADMIN);
  if (!(admin->password_hash = syn_auth_hash_password (password, error)) ||
      !syn_store_insert_user (ctx->store, admin, error) ||
      !syn_store_set_password_unshown (ctx->store, admin->id, TRUE, error) ||
      !syn_store_commit (ctx->store, error))
    goto fail;

  answer = json_object_new ();
  json_object_set_boolean_member (answer, "created", TRUE);
  json_object_set_string_member (answer, "username", admin->username);
  json_object_set_string_member (answer, "password", password);
  json_object_set_member (answer, "user", syn_user_to_json (admin));
  json_object_set_array_member (answer, "unshown", json_array_new ());
  return syn_json_node_new_object (answer);

fail:
  syn_store_rollback (ctx->store);
  return NULL;
}

/* The server has printed the password of {username}: no longer unshown. */
static JsonNode *
op_password_shown (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = NULL;
  const char *username = _syn_param_string (params, "username", TRUE, error);

  if (username == NULL || !(user = _syn_require_user (ctx, username, error)))
    return NULL;
  if (!syn_store_set_password_unshown (ctx->store, user->id, FALSE, error))
    return NULL;
  return syn_user_to_json (user);
}

const SynOpEntry _syn_ops_users[] = {
  { SYN_OP_CREATE_USER, op_create_user },
  { SYN_OP_LIST_USERS, op_list_users },
  { SYN_OP_SET_PASSWORD, op_set_password },
  { SYN_OP_ENSURE_ADMIN, op_ensure_admin },
  { SYN_OP_PASSWORD_SHOWN, op_password_shown },
  { NULL, NULL }
};

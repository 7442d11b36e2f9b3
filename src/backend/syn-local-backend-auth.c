/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-auth.c: SynLocalBackend operations: users, sessions, project membership, the event feed. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-auth.h"
#include "syn-local-backend-private.h"

#define MAX_USERNAME_LENGTH 64
#define FEED_DEFAULT_LIMIT  500
#define FEED_MAX_LIMIT      1000
#define ADMIN_USERNAME      "admin"

/* Verified against when the user is unknown, so that the answer takes as long
 * as for a wrong password and does not tell which usernames exist. */
static char *dummy_hash;

static gpointer
fail (GError **error, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gpointer
fail (GError **error, int code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (SYN_BACKEND_ERROR, code, format, args);
  va_end (args);
  return NULL;
}

static gboolean
valid_username (const char *name, GError **error)
{
  gsize len = strlen (name);

  if (len == 0 || len > MAX_USERNAME_LENGTH)
    return fail (error, SYN_BACKEND_ERROR_INVALID, "username: must have 1 to %d characters", MAX_USERNAME_LENGTH), FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-@", *p) == NULL)
      return fail (error, SYN_BACKEND_ERROR_INVALID,
                   "username: \"%s\" may only hold letters, digits and . _ - @", name), FALSE;
  return TRUE;
}

static gboolean
valid_password (const char *password, GError **error)
{
  glong len = g_utf8_strlen (password, -1);

  if (!g_utf8_validate (password, -1, NULL))
    return fail (error, SYN_BACKEND_ERROR_INVALID, "password: not valid UTF-8"), FALSE;
  if (len < SYN_AUTH_MIN_PASSWORD_LENGTH)
    return fail (error, SYN_BACKEND_ERROR_INVALID, "password: must have at least %d characters",
                 SYN_AUTH_MIN_PASSWORD_LENGTH), FALSE;
  if (strlen (password) > SYN_AUTH_MAX_PASSWORD_LENGTH)
    return fail (error, SYN_BACKEND_ERROR_INVALID, "password: longer than %d bytes",
                 SYN_AUTH_MAX_PASSWORD_LENGTH), FALSE;
  return TRUE;
}

/* The acting user ("_user_id"), who must exist. */
static SynUser *
require_actor (SynOpContext *ctx, GError **error)
{
  SynUser *user;

  if (ctx->user_id == NULL)
    return fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "Not signed in");
  user = syn_store_get_user (ctx->store, ctx->user_id, error);
  if (user == NULL && (error == NULL || *error == NULL))
    return fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "No user %s", ctx->user_id);
  return user;
}

/* ------------------------------------------------------------------------- */
/* Sessions                                                                  */

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
    return fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "Wrong username or password");

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
    return fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "Wrong username or password");

  if (!(token = syn_auth_random_token (error)))
    return NULL;
  token_hash = syn_auth_token_hash (token);
  /* Each login also sweeps the expired tokens: the table stays small. */
  if (!syn_store_delete_expired_tokens (ctx->store, now, error) ||
      !syn_store_insert_token (ctx->store, token_hash, user->id, now, expires_at, error))
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
    return fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "Invalid or expired token: sign in again");
  answer = json_object_new ();
  json_object_set_member (answer, "user", syn_user_brief_json (user->id, user->username, user->role));
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Users                                                                     */

static JsonNode *
op_create_user (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = syn_user_new ();
  g_autoptr(SynUser) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *username, *password, *role, *display_name = NULL;

  if (!(username = _syn_param_string (params, "username", TRUE, error)) ||
      !(password = _syn_param_string (params, "password", TRUE, error)) ||
      !(role = _syn_param_string (params, "role", TRUE, error)))
    return NULL;
  display_name = _syn_param_string (params, "display_name", FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!valid_username (username, error) || !valid_password (password, error))
    return NULL;
  if (syn_auth_role_rank (role) == 0)
    return fail (error, SYN_BACKEND_ERROR_INVALID, "role: \"%s\" is not admin, engineer or viewer", role);

  existing = syn_store_get_user_by_name (ctx->store, username, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (existing != NULL)
    return fail (error, SYN_BACKEND_ERROR_CONFLICT, "User \"%s\" already exists", username);

  user->username = g_strdup (username);
  user->display_name = g_strdup (display_name);
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
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hash = NULL;
  const char *username, *password;

  if (!(username = _syn_param_string (params, "username", TRUE, error)) ||
      !(password = _syn_param_string (params, "password", TRUE, error)) ||
      !valid_password (password, error))
    return NULL;
  user = syn_store_get_user_by_name (ctx->store, username, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (user == NULL)
    return fail (error, SYN_BACKEND_ERROR_NOT_FOUND, "No user \"%s\"", username);
  if (!(hash = syn_auth_hash_password (password, error)) ||
      !syn_store_update_user_password (ctx->store, user->id, hash, error))
    return NULL;
  return syn_user_to_json (user);
}

/* A server started on an empty user table makes an admin with a random
 * password, under the write lock so two servers starting at once make one. */
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
      syn_store_rollback (ctx->store);
      answer = json_object_new ();
      json_object_set_boolean_member (answer, "created", FALSE);
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
      !syn_store_commit (ctx->store, error))
    goto fail;

  answer = json_object_new ();
  json_object_set_boolean_member (answer, "created", TRUE);
  json_object_set_string_member (answer, "username", admin->username);
  json_object_set_string_member (answer, "password", password);
  json_object_set_member (answer, "user", syn_user_to_json (admin));
  return syn_json_node_new_object (answer);

fail:
  syn_store_rollback (ctx->store);
  return NULL;
}

/* ------------------------------------------------------------------------- */
/* Membership                                                                */

/* Whether @user may see @project: admins see every project, others their own. */
static gboolean
may_see (SynOpContext *ctx, SynUser *user, SynProject *project, gboolean *allowed, GError **error)
{
  if (g_strcmp0 (user->role, SYN_AUTH_ROLE_ADMIN) == 0)
    {
      *allowed = TRUE;
      return TRUE;
    }
  return syn_store_is_project_member (ctx->store, project->id, user->id, allowed, error);
}

static JsonNode *
op_authorize_project (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = NULL;
  g_autoptr(SynProject) project = NULL;
  gboolean allowed = FALSE;
  const char *key;

  if (!(key = _syn_param_string (params, "project_id", TRUE, error)) ||
      !(user = require_actor (ctx, error)))
    return NULL;
  if (!(project = _syn_require_project (ctx, params, error)))
    return NULL;
  if (!may_see (ctx, user, project, &allowed, error))
    return NULL;
  /* the same answer as for a project that does not exist: never tell */
  if (!allowed)
    return fail (error, SYN_BACKEND_ERROR_NOT_FOUND, "No project \"%s\"", key);
  return syn_project_to_json (project);
}

static JsonNode *
op_list_user_projects (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = require_actor (ctx, error);
  g_autoptr(GPtrArray) projects = NULL;

  if (user == NULL)
    return NULL;
  if (g_strcmp0 (user->role, SYN_AUTH_ROLE_ADMIN) == 0)
    projects = syn_store_list_projects (ctx->store, error);
  else
    projects = syn_store_list_member_projects (ctx->store, user->id, error);
  return projects ? _syn_array_answer (projects, (gpointer) syn_project_to_json) : NULL;
}

static JsonNode *
op_add_member (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *username;
  JsonObject *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(username = _syn_param_string (params, "username", TRUE, error)))
    return NULL;
  user = syn_store_get_user_by_name (ctx->store, username, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (user == NULL)
    return fail (error, SYN_BACKEND_ERROR_NOT_FOUND, "No user \"%s\"", username);
  if (!syn_store_add_project_member (ctx->store, project->id, user->id, syn_time_now_usec (), error))
    return NULL;
  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", project->id);
  json_object_set_member (answer, "user", syn_user_to_json (user));
  return syn_json_node_new_object (answer);
}

static JsonNode *
op_list_members (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  g_autoptr(GPtrArray) users = NULL;

  if (project == NULL || !(users = syn_store_list_project_members (ctx->store, project->id, error)))
    return NULL;
  return _syn_array_answer (users, (gpointer) syn_user_to_json);
}

/* create_project and the first membership in one transaction: a project
 * never exists without the member who made it. */
static JsonNode *
op_create_owned_project (SynOpContext *ctx, JsonObject *params, GError **error)
{
  SynOpFunc create = _syn_local_ops_lookup (SYN_OP_CREATE_PROJECT);
  g_autoptr(JsonNode) project = NULL;
  const char *project_id;

  g_assert (create != NULL);
  if (!syn_store_begin (ctx->store, error))
    return NULL;
  if (!(project = create (ctx, params, error)))
    goto fail;
  project_id = syn_json_get_string (json_node_get_object (project), "id");
  if (ctx->user_id != NULL &&
      !syn_store_add_project_member (ctx->store, project_id, ctx->user_id, syn_time_now_usec (), error))
    goto fail;
  if (!syn_store_commit (ctx->store, error))
    goto fail;
  return g_steal_pointer (&project);

fail:
  syn_store_rollback (ctx->store);
  return NULL;
}

/* ------------------------------------------------------------------------- */
/* The project event feed                                                    */

static JsonNode *
op_events_after (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint64 after = 0, limit = FEED_DEFAULT_LIMIT;
  gint64 last = 0;
  JsonObject *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !_syn_param_uint (params, "after", 0, G_MAXINT64, 0, &after, error) ||
      !_syn_param_uint (params, "limit", 1, FEED_MAX_LIMIT, FEED_DEFAULT_LIMIT, &limit, error))
    return NULL;
  events = syn_store_list_events_after (ctx->store, project->id, (gint64) after, (guint) limit, error);
  if (events == NULL)
    return NULL;
  last = (gint64) after;
  if (events->len > 0)
    last = ((SynEvent *) g_ptr_array_index (events, events->len - 1))->position;
  answer = json_object_new ();
  json_object_set_member (answer, "events", _syn_array_answer (events, (gpointer) syn_event_to_json));
  json_object_set_int_member (answer, "last_position", last);
  return syn_json_node_new_object (answer);
}

/* Every change of a project's events appends one (a rollback marks old
 * ones and appends BATCH_ROLLED_BACK): the newest position tells whether
 * anything changed, for caches and watchers. */
static JsonNode *
op_project_head (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  g_autoptr(SynEventQuery) q = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  JsonObject *answer;

  if (project == NULL)
    return NULL;
  q = syn_event_query_new (project->id);
  q->include_rolled_back = TRUE;
  q->limit = 1;
  /* no total asked: one index step */
  if (!(newest = syn_store_query_events (ctx->store, q, NULL, error)))
    return NULL;
  answer = json_object_new ();
  json_object_set_string_member (answer, "project_id", project->id);
  json_object_set_int_member (answer, "last_position",
                              newest->len > 0 ? ((SynEvent *) g_ptr_array_index (newest, 0))->position : 0);
  return syn_json_node_new_object (answer);
}

const SynOpEntry _syn_ops_auth[] = {
  { SYN_OP_LOGIN, op_login },
  { SYN_OP_LOGOUT, op_logout },
  { SYN_OP_AUTHENTICATE, op_authenticate },
  { SYN_OP_CREATE_USER, op_create_user },
  { SYN_OP_LIST_USERS, op_list_users },
  { SYN_OP_SET_PASSWORD, op_set_password },
  { SYN_OP_ENSURE_ADMIN, op_ensure_admin },
  { SYN_OP_AUTHORIZE_PROJECT, op_authorize_project },
  { SYN_OP_LIST_USER_PROJECTS, op_list_user_projects },
  { SYN_OP_ADD_MEMBER, op_add_member },
  { SYN_OP_LIST_MEMBERS, op_list_members },
  { SYN_OP_CREATE_OWNED_PROJECT, op_create_owned_project },
  { SYN_OP_EVENTS_AFTER, op_events_after },
  { SYN_OP_PROJECT_HEAD, op_project_head },
  { NULL, NULL }
};

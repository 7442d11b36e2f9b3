/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-admin.c: SynLocalBackend operations: readiness, roles, disabled and deleted users,
 * members removed, projects renamed and archived (issue 17). */
#include "config.h"

#include "core/syn-core.h"
#include "engine/syn-auth.h"
#include "syn-local-backend-private.h"

static JsonNode *
op_readiness (SynOpContext *ctx, JsonObject *params, GError **error)
{
  int applied = 0, shipped = 0;
  JsonObject *answer;

  if (!syn_store_read_schema_version (ctx->store, &applied, &shipped, error))
    return NULL;
  answer = json_object_new ();
  json_object_set_string_member (answer, "database", "ok");
  json_object_set_int_member (answer, "schema_applied", applied);
  json_object_set_int_member (answer, "schema_shipped", shipped);
  return syn_json_node_new_object (answer);
}

/* The user named by "username", who is not the acting one: an admin who
 * demoted, disabled or deleted themself could lock everyone out. */
static SynUser *
require_other_user (SynOpContext *ctx, JsonObject *params, const char *what, GError **error)
{
  const char *username = _syn_param_string (params, "username", TRUE, error);
  g_autoptr(SynUser) user = NULL;

  if (username == NULL || !(user = _syn_require_user (ctx, username, error)))
    return NULL;
  if (g_strcmp0 (user->id, ctx->user_id) == 0)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_CONFLICT, "You cannot %s yourself; another admin can", what);
  return g_steal_pointer (&user);
}

static JsonNode *
user_answer (SynOpContext *ctx, SynUser *user, GError **error)
{
  gint64 disabled_at = 0;
  JsonNode *node;

  if (!syn_store_get_user_disabled (ctx->store, user->id, &disabled_at, error))
    return NULL;
  node = syn_user_to_json (user);
  json_object_set_boolean_member (json_node_get_object (node), "disabled", disabled_at != 0);
  return node;
}

static JsonNode *
op_update_user (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *role;
  gboolean has_disabled = json_object_has_member (params, "disabled");
  gboolean disabled = FALSE;
  JsonNode *answer;

  role = _syn_param_string (params, "role", FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (has_disabled && !_syn_param_bool (params, "disabled", FALSE, &disabled, error))
    return NULL;
  if (role != NULL && syn_auth_role_rank (role) == 0)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "role: \"%s\" is not admin, engineer or viewer", role);
  /* the user first: a path naming nobody is a 404 whatever the body says */
  if (!(user = require_other_user (ctx, params, "change", error)))
    return NULL;
  if (role == NULL && !has_disabled)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "body: nothing to change: give role or disabled");

  if (!syn_store_begin (ctx->store, error))
    return NULL;
  if (role != NULL && !syn_store_set_user_role (ctx->store, user->id, role, error))
    goto fail;
  if (has_disabled && !syn_store_set_user_disabled (ctx->store, user->id, disabled ? syn_time_now_usec () : 0, error))
    goto fail;
  if (role != NULL)
    {
      g_free (user->role);
      user->role = g_strdup (role);
    }
  if (!(answer = user_answer (ctx, user, error)))
    goto fail;
  if (!syn_store_commit (ctx->store, error))
    {
      json_node_unref (answer);
      goto fail;
    }
  return answer;

fail:
  syn_store_rollback (ctx->store);
  return NULL;
}

static JsonNode *
op_delete_user (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = require_other_user (ctx, params, "delete", error);
  JsonObject *answer;

  if (user == NULL || !syn_store_delete_user (ctx->store, user->id, error))
    return NULL;
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "deleted", TRUE);
  json_object_set_string_member (answer, "username", user->username);
  return syn_json_node_new_object (answer);
}

static JsonNode *
op_remove_member (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynUser) user = NULL;
  const char *username;
  gboolean removed = FALSE;
  JsonObject *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(username = _syn_param_string (params, "username", TRUE, error)) ||
      !(user = _syn_require_user (ctx, username, error)))
    return NULL;
  if (!syn_store_remove_project_member (ctx->store, project->id, user->id, &removed, error))
    return NULL;
  if (!removed)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_NOT_FOUND, "%s is not a member of %s", username, project->name);
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "removed", TRUE);
  json_object_set_string_member (answer, "username", user->username);
  json_object_set_string_member (answer, "project_id", project->id);
  return syn_json_node_new_object (answer);
}

/* The rule library's stream is not a project anyone may rename or archive. */
static SynProject *
require_plain_project (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);

  if (project != NULL && g_strcmp0 (project->id, SYN_LIBRARY_PROJECT_ID) == 0)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "The rule library is not a project to change");
  return g_steal_pointer (&project);
}

static JsonNode *
op_update_project (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynProject) other = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  const char *description = NULL, *country = NULL;

  name = _syn_param_name (params, "name", FALSE, SYN_MAX_NAME_CHARS, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!_syn_param_project_details (params, &description, &country, error))
    return NULL;
  if (name == NULL && description == NULL && country == NULL)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID,
                         "body: nothing to change: give name, description or country");
  if (!(project = require_plain_project (ctx, params, error)))
    return NULL;
  if (name != NULL)
    {
      /* a name finds a project: two with one name would make it ambiguous */
      other = syn_store_find_project (ctx->store, name, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (other != NULL && g_strcmp0 (other->id, project->id) != 0)
        return _syn_op_fail (error, SYN_BACKEND_ERROR_CONFLICT, "name: a project \"%s\" exists already", name);
      g_free (project->name);
      project->name = g_steal_pointer (&name);
    }
  if (description != NULL)
    {
      g_free (project->description);
      project->description = g_strdup (description);
    }
  if (country != NULL)
    {
      g_free (project->country);
      project->country = g_ascii_strup (country, -1);
    }
  if (!syn_store_update_project (ctx->store, project, error))
    return NULL;
  return syn_project_to_json (project);
}

static JsonNode *
op_archive_project (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = require_plain_project (ctx, params, error);
  JsonObject *answer;

  if (project == NULL || !syn_store_set_project_archived (ctx->store, project->id, syn_time_now_usec (), error))
    return NULL;
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "archived", TRUE);
  json_object_set_string_member (answer, "project_id", project->id);
  return syn_json_node_new_object (answer);
}

const SynOpEntry _syn_ops_admin[] = {
  { SYN_OP_READINESS, op_readiness },
  { SYN_OP_UPDATE_USER, op_update_user },
  { SYN_OP_DELETE_USER, op_delete_user },
  { SYN_OP_REMOVE_MEMBER, op_remove_member },
  { SYN_OP_UPDATE_PROJECT, op_update_project },
  { SYN_OP_ARCHIVE_PROJECT, op_archive_project },
  { NULL, NULL }
};

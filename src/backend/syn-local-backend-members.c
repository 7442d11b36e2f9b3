/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-members.c: SynLocalBackend operations: project membership and who may see which project. */
#include "config.h"

#include "core/syn-core.h"
#include "engine/syn-auth.h"
#include "syn-local-backend-private.h"

/* The acting user ("_user_id"), who must exist. */
static SynUser *
require_actor (SynOpContext *ctx, GError **error)
{
  SynUser *user;

  if (ctx->user_id == NULL)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "Not signed in");
  user = syn_store_get_user (ctx->store, ctx->user_id, error);
  if (user == NULL && (error == NULL || *error == NULL))
    return _syn_op_fail (error, SYN_BACKEND_ERROR_UNAUTHORIZED, "No user %s", ctx->user_id);
  return user;
}

/* Whether @user may see @project: admins see every project, others their own. */
static gboolean
may_see (SynOpContext *ctx, SynUser *user, SynProject *project, gboolean *allowed, GError **error)
{
  /* the rule library's stream is everyone's to read, as its rules are */
  if (g_strcmp0 (user->role, SYN_AUTH_ROLE_ADMIN) == 0 || g_strcmp0 (project->id, SYN_LIBRARY_PROJECT_ID) == 0)
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
    return _syn_op_fail (error, SYN_BACKEND_ERROR_NOT_FOUND, "No project \"%s\"", key);
  {
    gint64 archived_at = 0;
    JsonNode *node;

    /* the server refuses writes to an archived project (409) */
    if (!syn_store_get_project_archived (ctx->store, project->id, &archived_at, error))
      return NULL;
    node = syn_project_to_json (project);
    json_object_set_boolean_member (json_node_get_object (node), "archived", archived_at != 0);
    return node;
  }
}

static JsonNode *
op_list_user_projects (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynUser) user = require_actor (ctx, error);
  g_autoptr(GPtrArray) projects = NULL;
  gboolean archived = FALSE;

  if (user == NULL || !_syn_param_bool (params, "include_archived", FALSE, &archived, error))
    return NULL;
  /* archived ones on request, for administrators (synapse verify covers them) */
  if (g_strcmp0 (user->role, SYN_AUTH_ROLE_ADMIN) == 0)
    projects = archived ? syn_store_list_projects_with_archived (ctx->store, error)
                        : syn_store_list_projects (ctx->store, error);
  else
    projects = syn_store_list_member_projects (ctx->store, user->id, error);
  return projects ? _syn_array_answer (projects, (gpointer) syn_project_to_json) : NULL;
}

static JsonNode *
op_add_member (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynUser) user = NULL;
  const char *username;
  JsonObject *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(username = _syn_param_string (params, "username", TRUE, error)) ||
      !(user = _syn_require_user (ctx, username, error)))
    return NULL;
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

const SynOpEntry _syn_ops_members[] = {
  { SYN_OP_AUTHORIZE_PROJECT, op_authorize_project },
  { SYN_OP_LIST_USER_PROJECTS, op_list_user_projects },
  { SYN_OP_ADD_MEMBER, op_add_member },
  { SYN_OP_LIST_MEMBERS, op_list_members },
  { SYN_OP_CREATE_OWNED_PROJECT, op_create_owned_project },
  { NULL, NULL }
};

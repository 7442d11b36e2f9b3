/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-rollback.c: SynLocalBackend operations: rollback and redo of batches, and what blocks them. */
#include "config.h"

#include "engine/syn-batch-id.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-redo-service.h"
#include "engine/syn-rollback-service.h"
#include "syn-local-backend-private.h"

/* The library's rules are the admins' to change, and so to change back. */
static gboolean
may_undo_in (SynOpContext *ctx, SynProject *project, const char *what, GError **error)
{
  g_autoptr(SynUser) user = NULL;

  if (g_strcmp0 (project->id, SYN_LIBRARY_PROJECT_ID) != 0 || ctx->user_id == NULL)
    return TRUE;
  user = syn_store_get_user (ctx->store, ctx->user_id, NULL);
  if (user == NULL || g_strcmp0 (user->role, "admin") == 0)
    return TRUE;
  _syn_op_fail (error, SYN_BACKEND_ERROR_FORBIDDEN, "Only an admin may %s a change of the rule library", what);
  return FALSE;
}

/* The batch the call names (a unique part of its id will do); what is no
 * batch id at all is passed on, for the service's own refusal. */
static char *
batch_param (SynOpContext *ctx, SynProject *project, JsonObject *params, GError **error)
{
  const char *text = _syn_param_string (params, "correlation_id", TRUE, error);

  if (text == NULL)
    return NULL;
  if (!syn_batch_id_is_valid (text))
    return g_strdup (text);
  return _syn_resolve_batch (ctx, project, "correlation_id", text, error);
}

/* When, by whom and how big a blocking batch was: from its snapshot and its
 * first event (a batch written without a snapshot has only events). */
static JsonNode *
blocking_batch (SynOpContext *ctx, const char *project_id, const char *correlation_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *executed_at = NULL;
  SynEvent *first;
  JsonObject *object;

  snapshot = syn_store_get_snapshot (ctx->store, project_id, correlation_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!(events = syn_store_get_events_by_correlation (ctx->store, project_id, correlation_id, error)))
    return NULL;
  first = events->len > 0 ? g_ptr_array_index (events, 0) : NULL;
  if (snapshot != NULL)
    executed_at = syn_time_to_iso8601 (snapshot->executed_at);
  else if (first != NULL)
    executed_at = syn_time_to_iso8601 (first->timestamp);

  object = json_object_new ();
  json_object_set_string_member (object, "correlation_id", correlation_id);
  syn_json_set_string_or_null (object, "executed_at", executed_at);
  syn_json_set_string_or_null (object, "user_id", first ? first->user_id : NULL);
  json_object_set_int_member (object, "events_count", snapshot ? snapshot->events_count : (gint64) events->len);
  return syn_json_node_new_object (object);
}

/* {correlation_id, blocking_batches: [...]} for the blockers' ids. */
static JsonNode *
describe_blockers (SynOpContext *ctx, const char *project_id, const char *correlation_id, GPtrArray *blockers,
                   GError **error)
{
  g_autoptr(JsonArray) array = json_array_sized_new (blockers->len);
  JsonObject *answer;

  for (guint i = 0; i < blockers->len; i++)
    {
      JsonNode *node = blocking_batch (ctx, project_id, g_ptr_array_index (blockers, i), error);

      if (node == NULL)
        return NULL;
      json_array_add_element (array, node);
    }
  answer = json_object_new ();
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  json_object_set_array_member (answer, "blocking_batches", g_steal_pointer (&array));
  return syn_json_node_new_object (answer);
}

typedef GPtrArray *(*FindBlockers) (SynStore *store, const char *project_id, const char *correlation_id,
                                    GError **error);

/* A refusal because later batches stand in the way becomes a 409 that
 * lists them: which, when, by whom. */
static void
detail_blocked (SynOpContext *ctx, const char *project_id, const char *correlation_id, FindBlockers find,
                GError **error)
{
  g_autoptr(GPtrArray) blockers = NULL;
  g_autoptr(JsonNode) details = NULL;

  if (error == NULL || !g_error_matches (*error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED))
    return;
  syn_backend_error_from_other (error);
  /* the refusal stands without its details if they cannot be read */
  if (!(blockers = find (ctx->store, project_id, correlation_id, NULL)) ||
      !(details = describe_blockers (ctx, project_id, correlation_id, blockers, NULL)))
    return;
  syn_backend_error_set_details (*error, details);
}

/* {project_id, correlation_id, cascade?: bool or "true"} */
static JsonNode *
op_rollback (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autofree char *correlation_id = NULL;
  gboolean cascade = FALSE;
  JsonNode *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !_syn_param_bool (params, "cascade", FALSE, &cascade, error) ||
      !(correlation_id = batch_param (ctx, project, params, error)) ||
      !may_undo_in (ctx, project, "roll back", error))
    return NULL;
  answer = syn_rollback_service_rollback (ctx->store, project->id, correlation_id, ctx->user_id, cascade, error);
  if (answer == NULL)
    detail_blocked (ctx, project->id, correlation_id, syn_rollback_service_find_blockers, error);
  return answer;
}

/* {project_id, correlation_id} */
static JsonNode *
op_rollback_blockers (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) blockers = NULL;
  g_autofree char *correlation_id = NULL;
  const char *text;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(text = _syn_param_string (params, "correlation_id", TRUE, error)) ||
      !(correlation_id = _syn_resolve_batch (ctx, project, "correlation_id", text, error)) ||
      !(blockers = syn_rollback_service_find_blockers (ctx->store, project->id, correlation_id, error)))
    return NULL;
  return describe_blockers (ctx, project->id, correlation_id, blockers, error);
}

/* {project_id, correlation_id}: a rolled-back batch, or a rollback's own
 * batch (undoing the rollback) */
static JsonNode *
op_redo (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autofree char *correlation_id = NULL;
  JsonNode *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(correlation_id = batch_param (ctx, project, params, error)) ||
      !may_undo_in (ctx, project, "redo", error))
    return NULL;
  answer = syn_redo_service_redo (ctx->store, project->id, correlation_id, ctx->user_id, error);
  if (answer == NULL)
    detail_blocked (ctx, project->id, correlation_id, syn_redo_service_find_blockers, error);
  return answer;
}

const SynOpEntry _syn_ops_rollback[] = {
  { SYN_OP_ROLLBACK, op_rollback },
  { SYN_OP_ROLLBACK_BLOCKERS, op_rollback_blockers },
  { SYN_OP_REDO, op_redo },
  { NULL, NULL }
};

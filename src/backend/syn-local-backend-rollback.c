/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-rollback.c: SynLocalBackend operations: rollback of batches, and what blocks it. */
#include "config.h"

#include "engine/syn-batch-id.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-rollback-service.h"
#include "syn-local-backend-private.h"

/* {project_id, correlation_id, cascade?: bool or "true"} */
static JsonNode *
op_rollback (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autofree char *correlation_id = NULL;
  const char *text;
  gboolean cascade = FALSE;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(text = _syn_param_string (params, "correlation_id", TRUE, error)) ||
      !_syn_param_bool (params, "cascade", FALSE, &cascade, error))
    return NULL;
  /* what is no batch id at all gets the specification's own refusal */
  if (!syn_batch_id_is_valid (text))
    correlation_id = g_strdup (text);
  else if (!(correlation_id = _syn_resolve_batch (ctx, project, "correlation_id", text, error)))
    return NULL;
  /* the library's rules are the admins' to change, and so to change back */
  if (g_strcmp0 (project->id, SYN_LIBRARY_PROJECT_ID) == 0 && ctx->user_id != NULL)
    {
      g_autoptr(SynUser) user = syn_store_get_user (ctx->store, ctx->user_id, NULL);

      if (user != NULL && g_strcmp0 (user->role, "admin") != 0)
        return _syn_op_fail (error, SYN_BACKEND_ERROR_FORBIDDEN,
                             "Only an admin may roll back a change of the rule library");
    }
  return syn_rollback_service_rollback (ctx->store, project->id, correlation_id, ctx->user_id, cascade, error);
}

/* When and how big a blocking batch was: from its snapshot, or from its
 * events for a batch written without one. */
static JsonNode *
blocking_batch (SynOpContext *ctx, const char *project_id, const char *correlation_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autofree char *executed_at = NULL;
  gint64 events_count = 0;
  JsonObject *object;

  snapshot = syn_store_get_snapshot (ctx->store, project_id, correlation_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (snapshot != NULL)
    {
      executed_at = syn_time_to_iso8601 (snapshot->executed_at);
      events_count = snapshot->events_count;
    }
  else
    {
      g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (ctx->store, project_id,
                                                                         correlation_id, error);

      if (events == NULL)
        return NULL;
      if (events->len > 0)
        executed_at = syn_time_to_iso8601 (((SynEvent *) g_ptr_array_index (events, 0))->timestamp);
      events_count = events->len;
    }

  object = json_object_new ();
  json_object_set_string_member (object, "correlation_id", correlation_id);
  syn_json_set_string_or_null (object, "executed_at", executed_at);
  json_object_set_int_member (object, "events_count", events_count);
  return syn_json_node_new_object (object);
}

/* {project_id, correlation_id} */
static JsonNode *
op_rollback_blockers (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) blockers = NULL;
  g_autoptr(JsonArray) array = NULL;
  g_autofree char *correlation_id = NULL;
  const char *text;
  JsonObject *answer;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !(text = _syn_param_string (params, "correlation_id", TRUE, error)) ||
      !(correlation_id = _syn_resolve_batch (ctx, project, "correlation_id", text, error)))
    return NULL;
  blockers = syn_rollback_service_find_blockers (ctx->store, project->id, correlation_id, error);
  if (blockers == NULL)
    return NULL;

  array = json_array_sized_new (blockers->len);
  for (guint i = 0; i < blockers->len; i++)
    {
      JsonNode *node = blocking_batch (ctx, project->id, g_ptr_array_index (blockers, i), error);

      if (node == NULL)
        return NULL;
      json_array_add_element (array, node);
    }
  answer = json_object_new ();
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  json_object_set_array_member (answer, "blocking_batches", g_steal_pointer (&array));
  return syn_json_node_new_object (answer);
}

const SynOpEntry _syn_ops_rollback[] = {
  { SYN_OP_ROLLBACK, op_rollback },
  { SYN_OP_ROLLBACK_BLOCKERS, op_rollback_blockers },
  { NULL, NULL }
};

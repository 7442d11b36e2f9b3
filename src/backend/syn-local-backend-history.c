/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-history.c: SynLocalBackend operations on verified history: state as of a moment, diff, audit file. */
#include "config.h"

#include "engine/syn-audit.h"
#include "engine/syn-moment.h"
#include "engine/syn-time-travel.h"
#include "syn-local-backend-private.h"

/* A moment parameter resolved, or an error that names the parameter. */
static gboolean
check_moment (SynOpContext *ctx, SynProject *project, const char *name, const char *text, gint64 *position,
              GError **error)
{
  gint64 ignored;

  if (text == NULL)
    return TRUE;
  if (!syn_moment_resolve (ctx->store, project->id, text, position ? position : &ignored, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

/* {project_id, as_of} */
static JsonNode *
op_state_as_of (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  const char *as_of;

  if (project == NULL || !(as_of = _syn_param_string (params, "as_of", TRUE, error)) ||
      !check_moment (ctx, project, "as_of", as_of, NULL, error))
    return NULL;
  if (json_object_get_boolean_member_with_default (params, SYN_PARAM_AS_TEXT, FALSE))
    {
      g_autofree char *text = syn_time_travel_state_text (ctx->store, project->id, as_of, error);
      JsonObject *answer;

      if (text == NULL)
        return NULL;
      answer = json_object_new ();
      json_object_set_string_member (answer, SYN_ANSWER_TEXT, text);
      return syn_json_node_new_object (answer);
    }
  return syn_time_travel_state (ctx->store, project->id, as_of, error);
}

/* {project_id, from, to?, format?: json|csv} */
static JsonNode *
op_diff (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) diff = NULL;
  const char *from, *to, *format;

  if (project == NULL || !(from = _syn_param_string (params, "from", TRUE, error)))
    return NULL;
  to = _syn_param_string (params, "to", FALSE, &local_error);
  format = local_error ? NULL : _syn_param_string (params, "format", FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (format != NULL && g_strcmp0 (format, "csv") != 0 && g_strcmp0 (format, "json") != 0)
    return _syn_op_fail (error, SYN_BACKEND_ERROR_INVALID, "format: csv or json, not \"%s\"", format);
  if (!check_moment (ctx, project, "from", from, NULL, error) || !check_moment (ctx, project, "to", to, NULL, error))
    return NULL;
  if (!(diff = syn_time_travel_diff (ctx->store, project->id, from, to, error)))
    return NULL;
  _syn_diff_add_names (ctx->store, diff);
  if (g_strcmp0 (format, "csv") == 0)
    {
      g_autofree char *csv = syn_time_travel_diff_csv (diff);
      g_autofree char *filename = g_strdup_printf ("%s-diff.csv", project->name);

      /* as the exports give a file */
      json_object_set_string_member (json_node_get_object (diff), "content_type", "text/csv; charset=utf-8");
      json_object_set_string_member (json_node_get_object (diff), "filename", filename);
      json_object_set_string_member (json_node_get_object (diff), "content", csv);
    }
  return g_steal_pointer (&diff);
}

/* {project_id, from?, to?} */
static JsonNode *
op_export_audit (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) content = NULL;
  g_autofree char *head = NULL;
  g_autofree char *filename = NULL;
  const char *from, *to;
  gint64 a = 0, b = -1;
  guint64 n = 0;
  JsonObject *answer;

  if (project == NULL)
    return NULL;
  from = _syn_param_string (params, "from", FALSE, &local_error);
  to = local_error ? NULL : _syn_param_string (params, "to", FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!check_moment (ctx, project, "from", from, &a, error) || !check_moment (ctx, project, "to", to, &b, error))
    return NULL;
  if (!(content = syn_audit_export (ctx->store, project->id, a, b, &n, &head, error)))
    return NULL;
  filename = g_strdup_printf ("%s-audit.jsonl", project->name);
  answer = json_object_new ();
  json_object_set_string_member (answer, "kind", "audit");
  json_object_set_string_member (answer, "format", "jsonl");
  json_object_set_string_member (answer, "content_type", "application/x-ndjson");
  json_object_set_string_member (answer, "filename", filename);
  json_object_set_int_member (answer, "rows", (gint64) n);
  json_object_set_string_member (answer, "head_hash", head);
  json_object_set_string_member (answer, "content", content->str);
  return syn_json_node_new_object (answer);
}

const SynOpEntry _syn_ops_history[] = {
  { SYN_OP_STATE_AS_OF, op_state_as_of },
  { SYN_OP_DIFF, op_diff },
  { SYN_OP_EXPORT_AUDIT, op_export_audit },
  { NULL, NULL }
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-rules.c: SynLocalBackend: rules, executions (live messages, replay, cancel), demo. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-explainer.h"
#include "engine/syn-rule-editor.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-rule-parser.h"
#include "syn-api-routes.h"
#include "syn-local-backend-private.h"

/* Finished runs are kept for replay and status for a while. */
#define KEEP_FINISHED_RUNS 16

typedef struct
{
  SynBackend   *backend;       /* weak: the backend owns the runs */
  char         *execution_id;
  char         *project_id;
  char         *mode;
  GCancellable *cancellable;
  GTask        *start_task;    /* until the run holds its project */
  SynRuleEngine *engine;
  GPtrArray    *log;           /* JsonNode: every message so far, for late watchers */
  JsonNode     *result;
  char         *error;
  gboolean      done;
} SynLocalRun;

struct _SynLocalRuns
{
  GMutex      lock;
  GHashTable *by_id;           /* execution id -> SynLocalRun */
  GQueue      finished;        /* execution ids, oldest first */
};

static void
local_run_free (SynLocalRun *run)
{
  if (run->engine != NULL)
    g_signal_handlers_disconnect_by_data (run->engine, run);
  g_clear_object (&run->engine);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->start_task);
  g_clear_pointer (&run->log, g_ptr_array_unref);
  g_clear_pointer (&run->result, json_node_unref);
  g_free (run->execution_id);
  g_free (run->project_id);
  g_free (run->mode);
  g_free (run->error);
  g_free (run);
}

SynLocalRuns *
_syn_local_runs_new (void)
{
  SynLocalRuns *runs = g_new0 (SynLocalRuns, 1);

  g_mutex_init (&runs->lock);
  runs->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) local_run_free);
  g_queue_init (&runs->finished);
  return runs;
}

void
_syn_local_runs_free (SynLocalRuns *runs)
{
  /* running engines keep their own references; cancel them so they end */
  GHashTableIter iter;
  SynLocalRun *run;

  g_hash_table_iter_init (&iter, runs->by_id);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &run))
    {
      g_cancellable_cancel (run->cancellable);
      run->backend = NULL;
    }
  g_hash_table_unref (runs->by_id);
  g_queue_clear_full (&runs->finished, g_free);
  g_mutex_clear (&runs->lock);
  g_free (runs);
}

/* A snapshot of a run for get_execution, taken under the lock (any thread). */
JsonNode *
_syn_local_runs_describe (SynLocalRuns *runs, const char *execution_id)
{
  SynLocalRun *run;
  JsonObject *o = NULL;

  g_mutex_lock (&runs->lock);
  run = g_hash_table_lookup (runs->by_id, execution_id);
  if (run != NULL)
    {
      o = json_object_new ();
      json_object_set_string_member (o, "execution_id", run->execution_id);
      json_object_set_string_member (o, "project_id", run->project_id);
      json_object_set_string_member (o, "mode", run->mode);
      if (!run->done)
        json_object_set_string_member (o, "status", "running");
      else if (run->result != NULL)
        {
          JsonObject *r = json_node_get_object (run->result);

          json_object_set_string_member (o, "status", syn_json_get_string (r, "status"));
          json_object_set_string_member (o, "correlation_id", syn_json_get_string (r, "correlation_id"));
          json_object_set_member (o, "summary", syn_json_node_deep_copy (json_object_get_member (r, "summary")));
        }
      else
        {
          json_object_set_string_member (o, "status", "failed");
          syn_json_set_string_or_null (o, "error", run->error);
        }
      json_object_set_int_member (o, "messages", run->log->len);
    }
  g_mutex_unlock (&runs->lock);
  return o ? syn_json_node_new_object (o) : NULL;
}

/* The messages of a run from index @from on (new references), for a watcher
 * that joins late; NULL when this process does not know the run. Called on
 * the main context, where messages are logged and emitted: nothing can come
 * between this copy and the next ::execution-message. */
GPtrArray *
_syn_local_runs_get_messages (SynLocalRuns *runs, const char *execution_id, guint from, gboolean *done)
{
  g_autoptr(GPtrArray) messages = NULL;
  SynLocalRun *run;

  g_mutex_lock (&runs->lock);
  run = g_hash_table_lookup (runs->by_id, execution_id);
  if (run != NULL)
    {
      messages = g_ptr_array_new_full (run->log->len > from ? run->log->len - from : 0,
                                       (GDestroyNotify) json_node_unref);
      for (guint i = from; i < run->log->len; i++)
        g_ptr_array_add (messages, json_node_ref (g_ptr_array_index (run->log, i)));
      if (done != NULL)
        *done = run->done;
    }
  g_mutex_unlock (&runs->lock);
  return g_steal_pointer (&messages);
}

static void
on_engine_started (SynRuleEngine *engine, const char *execution_id, const char *correlation_id, gpointer data)
{
  SynLocalRun *run = data;
  g_autoptr(GTask) task = g_steal_pointer (&run->start_task);
  g_autofree char *ws_url = g_strdup_printf ("/ws/execution/%s", execution_id);
  JsonObject *answer;

  if (task == NULL)
    return;
  answer = json_object_new ();
  json_object_set_string_member (answer, "execution_id", execution_id);
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  json_object_set_string_member (answer, "ws_url", ws_url);
  json_object_set_string_member (answer, "status", g_strcmp0 (run->mode, "dry_run") == 0 ? "preview" : "started");
  g_task_return_pointer (task, syn_json_node_new_object (answer), (GDestroyNotify) json_node_unref);
}

static void
on_engine_message (SynRuleEngine *engine, JsonNode *message, gpointer data)
{
  SynLocalRun *run = data;
  SynLocalBackend *backend = SYN_LOCAL_BACKEND (run->backend);
  SynLocalRuns *runs;

  if (backend == NULL)
    return;
  runs = _syn_local_backend_get_runs (backend);
  g_mutex_lock (&runs->lock);
  g_ptr_array_add (run->log, json_node_ref (message));
  g_mutex_unlock (&runs->lock);
  g_signal_emit_by_name (run->backend, "execution-message", run->execution_id, message);
}

typedef struct
{
  SynLocalBackend *backend;
  char            *execution_id;
} DoneData;

static void
on_engine_done (GObject *object, GAsyncResult *result, gpointer data)
{
  DoneData *done = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_rule_engine_execute_finish (SYN_RULE_ENGINE (object), result, &error);
  SynLocalRuns *runs = _syn_local_backend_get_runs (done->backend);
  g_autoptr(GTask) start_task = NULL;
  SynLocalRun *run;

  g_mutex_lock (&runs->lock);
  run = g_hash_table_lookup (runs->by_id, done->execution_id);
  if (run != NULL)
    {
      run->done = TRUE;
      run->result = answer ? json_node_ref (answer) : NULL;
      run->error = error ? g_strdup (error->message) : NULL;
      start_task = g_steal_pointer (&run->start_task);
      g_queue_push_tail (&runs->finished, g_strdup (done->execution_id));
      while (g_queue_get_length (&runs->finished) > KEEP_FINISHED_RUNS)
        {
          g_autofree char *old = g_queue_pop_head (&runs->finished);
          g_hash_table_remove (runs->by_id, old);
        }
    }
  g_mutex_unlock (&runs->lock);

  /* failed before it started: busy, unknown project, bad filters */
  if (start_task != NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED, "The execution ended before it started");
      syn_backend_error_from_other (&error);
      g_task_return_error (start_task, g_steal_pointer (&error));
    }
  g_object_unref (done->backend);
  g_free (done->execution_id);
  g_free (done);
}

void
_syn_local_backend_execute_async (SynBackend          *backend,
                                  JsonObject          *request,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  SynLocalBackend *self = SYN_LOCAL_BACKEND (backend);
  SynLocalRuns *runs = _syn_local_backend_get_runs (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonObject) copy = syn_json_object_copy (request);
  g_autoptr(GError) error = NULL;
  const char *user_id = syn_json_get_string (request, "_user_id");
  const SynApiRoute *route;
  SynLocalRun *run;
  DoneData *done;

  g_task_set_source_tag (task, _syn_local_backend_execute_async);
  route = syn_api_route_for_op (SYN_OP_EXECUTE, request);
  if (!syn_api_route_check_params (route, request, &error) || !syn_api_route_check_ids (route, request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (syn_json_get_string (request, "project_id") == NULL)
    g_set_error_literal (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "project_id: required");
  if (error == NULL && !syn_rule_engine_validate_request (request, &error))
    {
      /* whatever code the engine gives, a request it refuses is a bad request */
      error->domain = SYN_BACKEND_ERROR;
      error->code = SYN_BACKEND_ERROR_INVALID;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (syn_json_get_string (request, "execution_id") == NULL)
    {
      g_autofree char *id = syn_uuid_new ();
      json_object_set_string_member (copy, "execution_id", id);
    }

  run = g_new0 (SynLocalRun, 1);
  run->backend = backend;
  run->execution_id = g_strdup (syn_json_get_string (copy, "execution_id"));
  run->project_id = g_strdup (syn_json_get_string (copy, "project_id"));
  run->mode = g_strdup (syn_json_get_string (copy, "mode") ? syn_json_get_string (copy, "mode") : "execute");
  run->cancellable = g_cancellable_new ();
  run->start_task = g_object_ref (task);
  run->engine = syn_rule_engine_new (syn_local_backend_get_uri (self));
  run->log = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_signal_connect (run->engine, "started", G_CALLBACK (on_engine_started), run);
  g_signal_connect (run->engine, "message", G_CALLBACK (on_engine_message), run);

  g_mutex_lock (&runs->lock);
  if (g_hash_table_contains (runs->by_id, run->execution_id))
    {
      g_mutex_unlock (&runs->lock);
      local_run_free (run);
      g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT, "execution_id: already used");
      return;
    }
  g_hash_table_insert (runs->by_id, run->execution_id, run);
  g_mutex_unlock (&runs->lock);

  done = g_new0 (DoneData, 1);
  done->backend = g_object_ref (self);
  done->execution_id = g_strdup (run->execution_id);
  syn_rule_engine_execute_async (run->engine, copy, user_id ? user_id : syn_local_backend_get_user_id (self),
                                 run->cancellable, on_engine_done, done);
}

JsonNode *
_syn_local_backend_execute_finish (SynBackend *backend, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_syn_local_backend_cancel_execution (SynBackend *backend, const char *execution_id)
{
  SynLocalRuns *runs = _syn_local_backend_get_runs (SYN_LOCAL_BACKEND (backend));
  SynLocalRun *run;
  gboolean found = FALSE;

  g_mutex_lock (&runs->lock);
  run = g_hash_table_lookup (runs->by_id, execution_id);
  if (run != NULL && !run->done)
    {
      g_cancellable_cancel (run->cancellable);
      found = TRUE;
    }
  g_mutex_unlock (&runs->lock);
  return found;
}

/* ------------------------------------------------------------------------- */
/* Rules                                                                     */

static JsonNode *
op_list_rules (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  gboolean library = FALSE;
  JsonArray *array;
  JsonNode *node;

  if (!_syn_param_bool (params, "library", FALSE, &library, error))
    return NULL;
  if (!library && !(project = _syn_require_project (ctx, params, error)))
    return NULL;
  rules = syn_store_list_rules (ctx->store, project ? project->id : NULL, TRUE, error);
  if (rules == NULL)
    return NULL;
  array = json_array_sized_new (rules->len);
  for (guint i = 0; i < rules->len; i++)
    json_array_add_element (array, syn_rule_to_definition_json (g_ptr_array_index (rules, i)));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

static JsonNode *
op_save_rule (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(SynRule) stored = NULL;
  g_autofree char *correlation_id = NULL;
  JsonNode *rule_node = json_object_get_member (params, "rule");
  JsonNode *answer;

  if (json_object_has_member (params, "project_id") && !(project = _syn_require_project (ctx, params, error)))
    return NULL;
  if (rule_node == NULL || !JSON_NODE_HOLDS_OBJECT (rule_node))
    {
      g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "rule: must be a rule object");
      return NULL;
    }
  if (!(rule = syn_rule_parse (json_node_get_object (rule_node), project ? project->id : NULL, error)))
    return NULL;
  /* one batch with its RULE_DEFINITION_* event; a rule id belongs to one scope */
  if (!(stored = syn_rule_editor_save (ctx->store, rule, ctx->user_id, &correlation_id, error)))
    return NULL;
  answer = syn_rule_to_definition_json (stored);
  syn_json_set_string_or_null (json_node_get_object (answer), "correlation_id", correlation_id);
  return answer;
}

static JsonNode *
op_delete_rule (SynOpContext *ctx, JsonObject *params, GError **error)
{
  const char *rule_id = _syn_param_string (params, "rule_id", TRUE, error);
  g_autofree char *correlation_id = NULL;
  JsonObject *answer;

  if (rule_id == NULL)
    return NULL;
  /* with a project, only that project's own rule may go */
  if (json_object_has_member (params, "project_id"))
    {
      g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
      g_autoptr(SynRule) rule = NULL;

      if (project == NULL)
        return NULL;
      rule = syn_store_get_rule (ctx->store, rule_id, error);
      if (rule == NULL || g_strcmp0 (rule->project_id, project->id) != 0)
        {
          if (error && *error == NULL)
            g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND,
                         "No rule \"%s\" in project %s", rule_id, project->name);
          return NULL;
        }
    }
  if (!syn_rule_editor_delete (ctx->store, rule_id, NULL, ctx->user_id, &correlation_id, error))
    return NULL;
  answer = json_object_new ();
  json_object_set_boolean_member (answer, "deleted", TRUE);
  json_object_set_string_member (answer, "rule_id", rule_id);
  syn_json_set_string_or_null (answer, "correlation_id", correlation_id);
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Executions                                                                */

static JsonNode *
op_get_execution (SynOpContext *ctx, JsonObject *params, GError **error)
{
  const char *id = _syn_param_string (params, "execution_id", TRUE, error);
  g_autoptr(SynExecution) x = NULL;
  JsonNode *live;

  if (id == NULL)
    return NULL;
  if (!syn_uuid_is_valid (id))
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "execution_id: \"%s\" is not a UUID", id);
      return NULL;
    }
  x = syn_store_get_execution (ctx->store, id, error);
  if (x != NULL)
    return syn_execution_to_json (x);
  if (error && *error)
    return NULL;
  live = _syn_local_runs_describe (_syn_local_backend_get_runs (ctx->backend), id);
  if (live == NULL)
    g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND, "No execution %s", id);
  return live;
}

static JsonNode *
execution_with_state (gpointer item, SynStore *store)
{
  SynExecution *x = item;
  JsonNode *node = syn_execution_to_json (x);
  JsonObject *o = json_node_get_object (node);
  g_autoptr(SynSnapshot) snapshot = NULL;

  if (x->correlation_id != NULL)
    snapshot = syn_store_get_snapshot (store, x->project_id, x->correlation_id, NULL);
  json_object_set_boolean_member (o, "is_rolled_back",
                                  snapshot != NULL && g_strcmp0 (snapshot->status, SYN_SNAPSHOT_ROLLED_BACK) == 0);
  return node;
}

static JsonNode *
op_list_executions (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) list = NULL;
  guint64 page, limit, total = 0;
  JsonObject *answer;
  JsonArray *array;

  if (!(project = _syn_require_project (ctx, params, error)) ||
      !_syn_param_uint (params, "page", 1, G_MAXINT32, 1, &page, error) ||
      !_syn_param_uint (params, "limit", 1, 500, 50, &limit, error))
    return NULL;
  list = syn_store_list_executions (ctx->store, project->id, (page - 1) * limit, (guint) limit, &total, error);
  if (list == NULL)
    return NULL;
  answer = json_object_new ();
  array = json_array_sized_new (list->len);
  for (guint i = 0; i < list->len; i++)
    json_array_add_element (array, execution_with_state (g_ptr_array_index (list, i), ctx->store));
  json_object_set_array_member (answer, "executions", array);
  json_object_set_int_member (answer, "total", (gint64) total);
  json_object_set_int_member (answer, "page", (gint64) page);
  json_object_set_int_member (answer, "pages", (gint64) ((total + limit - 1) / limit));
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Demo                                                                      */

static JsonNode *
op_create_demo (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(GBytes) csv = g_resources_lookup_data ("/org/synapse/Synapse/demo/gold-mine-assets.csv", 0, error);
  g_autoptr(GBytes) rules_json = g_resources_lookup_data ("/org/synapse/Synapse/demo/baseline-rules.json", 0, error);
  g_autoptr(SynProject) project = syn_project_new ();
  g_autoptr(JsonNode) rules = NULL;
  g_autoptr(JsonNode) import = NULL;
  const char *name = _syn_param_string (params, "name", FALSE, error);
  JsonArray *saved;
  JsonObject *answer;

  if (csv == NULL || rules_json == NULL || (error && *error))
    return NULL;
  rules = syn_json_parse (g_bytes_get_data (rules_json, NULL), g_bytes_get_size (rules_json), error);
  if (rules == NULL)
    return NULL;

  project->name = g_strdup (name ? name : "Gold Mine Demo");
  project->description = g_strdup ("A gold-mine area list (crushing, grinding, leach, tailings) with the baseline rule set");
  project->country = g_strdup ("CA");
  if (!syn_store_insert_project (ctx->store, project, error))
    return NULL;

  saved = json_array_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (rules)); i++)
    {
      JsonObject *def = json_array_get_object_element (json_node_get_array (rules), i);
      g_autoptr(SynRule) rule = NULL;
      g_autofree char *id = NULL;

      /* FIRM and COUNTRY rules go to the library, as a firm keeps them (once:
       * a second demo reuses them); the others belong to the project, with an
       * id of their own when another demo has taken the plain one. */
      gboolean library = g_strcmp0 (syn_json_get_string (def, "source"), "FIRM") == 0 ||
                         g_strcmp0 (syn_json_get_string (def, "source"), "COUNTRY") == 0;
      g_autoptr(SynRule) existing = NULL;

      rule = syn_rule_parse (def, library ? NULL : project->id, error);
      if (rule == NULL)
        {
          json_array_unref (saved);
          return NULL;
        }
      existing = syn_store_get_rule (ctx->store, rule->id, NULL);
      if (existing != NULL && library && existing->project_id == NULL)
        {
          json_array_add_string_element (saved, rule->id);
          continue;
        }
      /* the project id's random end (its start is a timestamp, shared by
       * projects made in the same minute), and a counter if need be */
      for (guint n = 0; existing != NULL; n++)
        {
          gsize len = strlen (project->id);

          g_free (id);
          id = n == 0 ? g_strdup_printf ("%s-%s", rule->id, project->id + (len > 8 ? len - 8 : 0))
                      : g_strdup_printf ("%s-%s-%u", rule->id, project->id + (len > 8 ? len - 8 : 0), n + 1);
          g_clear_object (&existing);
          existing = syn_store_get_rule (ctx->store, id, NULL);
        }
      if (id != NULL)
        {
          g_free (rule->id);
          rule->id = g_steal_pointer (&id);
        }
      {
        g_autoptr(SynRule) stored = syn_rule_editor_save (ctx->store, rule, ctx->user_id, NULL, error);

        if (stored == NULL)
          {
            json_array_unref (saved);
            return NULL;
          }
      }
      json_array_add_string_element (saved, rule->id);
    }

  import = syn_csv_import (ctx->store, project->id, ctx->user_id, g_bytes_get_data (csv, NULL),
                           g_bytes_get_size (csv), TRUE, error);
  if (import == NULL)
    {
      json_array_unref (saved);
      return NULL;
    }
  answer = json_object_new ();
  json_object_set_member (answer, "project", syn_project_to_json (project));
  json_object_set_member (answer, "import", g_steal_pointer (&import));
  json_object_set_array_member (answer, "rules", saved);
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Explain                                                                   */

static JsonNode *
op_explain (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  const char *asset_id;

  if (project == NULL || !(asset_id = _syn_param_string (params, "asset_id", TRUE, error)))
    return NULL;
  return syn_explain_asset (ctx->store, project->id, asset_id, error);
}

/* Whether the project is up to date with its rules: a derive that writes nothing. */
static JsonNode *
op_project_status (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);

  if (project == NULL)
    return NULL;
  return syn_rule_engine_status (ctx->store, project->id, error);
}

const SynOpEntry _syn_ops_rules[] = {
  { SYN_OP_EXPLAIN, op_explain },
  { SYN_OP_PROJECT_STATUS, op_project_status },
  { SYN_OP_LIST_RULES, op_list_rules },
  { SYN_OP_SAVE_RULE, op_save_rule },
  { SYN_OP_DELETE_RULE, op_delete_rule },
  { SYN_OP_GET_EXECUTION, op_get_execution },
  { SYN_OP_LIST_EXECUTIONS, op_list_executions },
  { SYN_OP_CREATE_DEMO, op_create_demo },
  { NULL, NULL }
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-rules.c: SynLocalBackend operations: rules, the record of executions, the demo, explain. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-explainer.h"
#include "engine/syn-rule-editor.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-rule-parser.h"
#include "syn-local-backend-private.h"

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
  g_autoptr(GBytes) csv = g_resources_lookup_data ("/io/github/synapse_rules/Synapse/demo/gold-mine-assets.csv", 0, error);
  g_autoptr(GBytes) rules_json = g_resources_lookup_data ("/io/github/synapse_rules/Synapse/demo/baseline-rules.json", 0, error);
  g_autoptr(SynProject) project = syn_project_new ();
  g_autoptr(JsonNode) rules = NULL;
  g_autoptr(JsonNode) import = NULL;
  g_autoptr(GError) name_error = NULL;
  g_autofree char *name = _syn_param_name (params, "name", FALSE, SYN_MAX_NAME_CHARS, &name_error);
  JsonArray *saved;
  JsonObject *answer;

  if (name_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&name_error));
      return NULL;
    }
  if (csv == NULL || rules_json == NULL)
    return NULL;
  rules = syn_json_parse (g_bytes_get_data (rules_json, NULL), g_bytes_get_size (rules_json), error);
  if (rules == NULL)
    return NULL;

  project->name = name ? g_steal_pointer (&name) : g_strdup ("Gold Mine Demo");
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

/* The tags of a few of the ids a run would change: what a preview names. */
static JsonArray *
example_tags (SynStore *store, const char *project_id, JsonArray *ids, guint max)
{
  JsonArray *tags = json_array_new ();

  for (guint i = 0; ids != NULL && i < json_array_get_length (ids) && json_array_get_length (tags) < max; i++)
    {
      const char *id = json_array_get_string_element (ids, i);
      g_autoptr(SynAsset) asset = id ? syn_store_get_asset (store, project_id, id, NULL) : NULL;
      g_autoptr(SynCable) cable = asset == NULL && id ? syn_store_get_cable (store, project_id, id, NULL) : NULL;

      if (asset != NULL)
        json_array_add_string_element (tags, asset->tag);
      else if (cable != NULL)
        json_array_add_string_element (tags, cable->tag);
    }
  return tags;
}

/* {project_id, rule} -> the project's status with the rule as it would be
 * saved (rules: created, updated, retracted per rule) and a few example
 * tags; nothing is written. An invalid rule is the parser's error, with
 * the field's path, as saving it would be. */
static JsonNode *
op_preview_rule (SynOpContext *ctx, JsonObject *params, GError **error)
{
  g_autoptr(SynProject) project = _syn_require_project (ctx, params, error);
  JsonNode *rule_node = json_object_get_member (params, "rule");
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(SynRule) stored = NULL;
  JsonNode *answer;
  JsonObject *o;

  if (project == NULL)
    return NULL;
  if (rule_node == NULL || !JSON_NODE_HOLDS_OBJECT (rule_node))
    {
      g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "rule: must be a rule object");
      return NULL;
    }
  /* a library rule keeps its scope, as saving would */
  if ((rule = syn_rule_parse (json_node_get_object (rule_node), project->id, error)) == NULL)
    return NULL;
  stored = syn_store_get_rule (ctx->store, rule->id, NULL);
  if (stored != NULL && stored->project_id == NULL)
    g_clear_pointer (&rule->project_id, g_free);
  if ((answer = syn_rule_engine_preview_rule (ctx->store, project->id, rule, error)) == NULL)
    return NULL;
  o = json_node_get_object (answer);
  json_object_set_string_member (o, "rule_id", rule->id);
  json_object_set_array_member (o, "examples",
                                example_tags (ctx->store, project->id, json_object_get_array_member (o, "out_of_date"),
                                              5));
  return answer;
}

const SynOpEntry _syn_ops_rules[] = {
  { SYN_OP_EXPLAIN, op_explain },
  { SYN_OP_PROJECT_STATUS, op_project_status },
  { SYN_OP_LIST_RULES, op_list_rules },
  { SYN_OP_SAVE_RULE, op_save_rule },
  { SYN_OP_PREVIEW_RULE, op_preview_rule },
  { SYN_OP_DELETE_RULE, op_delete_rule },
  { SYN_OP_GET_EXECUTION, op_get_execution },
  { SYN_OP_LIST_EXECUTIONS, op_list_executions },
  { SYN_OP_CREATE_DEMO, op_create_demo },
  { NULL, NULL }
};

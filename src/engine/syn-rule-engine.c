/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-engine.c: SynRuleEngine: scope, order, chaining passes, live messages, one batch per run. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "syn-rule-condition.h"
#include "syn-rule-engine-private.h"
#include "syn-rule-parser.h"

struct _SynRuleEngine
{
  GObject  parent_instance;

  char    *db_uri;
};

G_DEFINE_FINAL_TYPE (SynRuleEngine, syn_rule_engine, G_TYPE_OBJECT)

enum {
  SIGNAL_STARTED,
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One execution per project at a time within this process; the database's
 * write lock (SQLite) or an advisory lock (PostgreSQL) covers other processes. */
static GMutex running_lock;
static GHashTable *running_projects;

static void
syn_rule_engine_finalize (GObject *object)
{
  SynRuleEngine *self = SYN_RULE_ENGINE (object);

  g_clear_pointer (&self->db_uri, g_free);

  G_OBJECT_CLASS (syn_rule_engine_parent_class)->finalize (object);
}

static void
syn_rule_engine_class_init (SynRuleEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_rule_engine_finalize;

  /* Both are emitted on the main context of the execute_async() caller. */
  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE);
}

static void
syn_rule_engine_init (SynRuleEngine *self)
{
}

SynRuleEngine *
syn_rule_engine_new (const char *db_uri)
{
  SynRuleEngine *self;

  g_return_val_if_fail (db_uri != NULL, NULL);

  self = g_object_new (SYN_TYPE_RULE_ENGINE, NULL);
  self->db_uri = g_strdup (db_uri);
  return self;
}

/* ------------------------------------------------------------------------- */
/* Requests                                                                  */

static const char * const filter_names[] = {
  "rule_ids", "disciplines", "action_types", "asset_ids", "asset_types", NULL
};

static const char * const action_types[] = {
  "CREATE_CHILD", "CREATE_CABLE", "CREATE_RELATIONSHIP", "SET_PROPERTY", "VALIDATE", NULL
};

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED, format, args);
  va_end (args);
  return FALSE;
}

/* Checks the request's shape; errors name the field. */
gboolean
syn_rule_engine_validate_request (JsonObject *request, GError **error)
{
  const char *mode;
  JsonNode *filters;

  g_return_val_if_fail (request != NULL, FALSE);

  mode = syn_json_get_string (request, "mode");
  if (json_object_has_member (request, "mode") && mode == NULL &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (request, "mode")))
    return invalid (error, "mode: must be \"execute\" or \"dry_run\"");
  if (mode != NULL && strcmp (mode, "execute") != 0 && strcmp (mode, "dry_run") != 0)
    return invalid (error, "mode: \"%s\" is not \"execute\" or \"dry_run\"", mode);

  filters = json_object_get_member (request, "filters");
  if (filters == NULL || JSON_NODE_HOLDS_NULL (filters))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (filters))
    return invalid (error, "filters: must be an object");

  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *value;

    json_object_iter_init (&iter, json_node_get_object (filters));
    while (json_object_iter_next (&iter, &name, &value))
      {
        if (!g_strv_contains (filter_names, name))
          return invalid (error, "filters.%s: unknown filter (known: rule_ids, disciplines, action_types, "
                          "asset_ids, asset_types)", name);
        if (JSON_NODE_HOLDS_NULL (value))
          continue;
        if (!JSON_NODE_HOLDS_ARRAY (value))
          return invalid (error, "filters.%s: must be a list of strings", name);
        for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
          {
            JsonNode *element = json_array_get_element (json_node_get_array (value), i);
            const char *s;

            if (json_node_get_value_type (element) != G_TYPE_STRING)
              return invalid (error, "filters.%s[%u]: must be a string", name, i);
            s = json_node_get_string (element);
            if (strcmp (name, "disciplines") == 0 && !syn_is_discipline (s))
              return invalid (error, "filters.disciplines[%u]: unknown discipline \"%s\"", i, s);
            if (strcmp (name, "action_types") == 0 && !g_strv_contains (action_types, s))
              return invalid (error, "filters.action_types[%u]: unknown action type \"%s\"", i, s);
          }
      }
  }
  return TRUE;
}

/* NULL when the filter is absent or null (no constraint). */
static GStrv
filter_list (JsonObject *request, const char *name)
{
  JsonObject *filters;
  JsonNode *node;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (!json_object_has_member (request, "filters") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "filters")))
    return NULL;
  filters = json_object_get_object_member (request, "filters");
  node = json_object_get_member (filters, name);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    g_strv_builder_add (builder, json_array_get_string_element (json_node_get_array (node), i));
  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------------- */
/* Messages                                                                  */

void
_syn_engine_send (SynEngineRun *run, JsonObject *message)
{
  JsonNode *node = syn_json_node_new_object (message);

  if (run->message_func != NULL)
    run->message_func (node, run->message_data);
  json_node_unref (node);
}

void
_syn_engine_send_error (SynEngineRun *run, const char *rule_id, const char *asset_id,
                        const char *text, gboolean recoverable)
{
  JsonObject *m = json_object_new ();

  json_object_set_string_member (m, "type", "ERROR");
  syn_json_set_string_or_null (m, "rule_id", rule_id);
  syn_json_set_string_or_null (m, "asset_id", asset_id);
  json_object_set_string_member (m, "message", text);
  json_object_set_boolean_member (m, "recoverable", recoverable);
  if (recoverable)
    run->errors++;
  _syn_engine_send (run, m);
}

/* Pass 1 fills 0..90 %, each later pass half of what is left below 99 %;
 * only COMPLETED says 100. The value never goes down. */
static void
update_progress (SynEngineRun *run, double fraction_of_pass)
{
  double low, high, value;

  if (run->pass <= 1)
    {
      low = 0;
      high = 90;
    }
  else
    {
      low = 99 - 9 * pow (0.5, run->pass - 2);
      high = 99 - 9 * pow (0.5, run->pass - 1);
    }
  value = low + (high - low) * CLAMP (fraction_of_pass, 0, 1);
  if ((guint) value > run->progress)
    run->progress = MIN ((guint) value, 99);
}

static void
send_progress (SynEngineRun *run)
{
  JsonObject *m = json_object_new ();

  json_object_set_string_member (m, "type", "PROGRESS");
  json_object_set_int_member (m, "progress", run->progress);
  json_object_set_int_member (m, "rules_completed", run->rules_completed);
  json_object_set_int_member (m, "rules_total", run->rules_total);
  json_object_set_int_member (m, "actions_completed", run->actions_taken);
  json_object_set_int_member (m, "errors", run->errors);
  _syn_engine_send (run, m);
}

/* ------------------------------------------------------------------------- */
/* In-memory view of the project                                             */

char *
_syn_engine_edge_key (const char *source_id, const char *target_id, const char *relation)
{
  return g_strconcat (source_id, "\x1f", target_id, "\x1f", relation, NULL);
}

static char *
type_area_key (const char *type, const char *area)
{
  return g_strconcat (type ? type : "", "\x1f", area ? area : "", NULL);
}

void
_syn_engine_add_asset (SynEngineRun *run, SynAsset *asset, gboolean created)
{
  g_autofree char *key = type_area_key (asset->type, asset->area);
  GPtrArray *bucket;

  g_hash_table_insert (run->assets_by_id, asset->id, g_object_ref (asset));
  g_hash_table_insert (run->assets_by_tag, asset->tag, asset);
  bucket = g_hash_table_lookup (run->assets_by_type_area, key);
  if (bucket == NULL)
    {
      bucket = g_ptr_array_new ();
      g_hash_table_insert (run->assets_by_type_area, g_steal_pointer (&key), bucket);
    }
  g_ptr_array_add (bucket, asset);
  if (created)
    g_ptr_array_add (run->created_this_pass, g_object_ref (asset));
}

void
_syn_engine_add_edge (SynEngineRun *run, SynEdge *edge)
{
  GPtrArray *kids = g_hash_table_lookup (run->children, edge->target_asset_id);

  g_hash_table_add (run->edge_keys, _syn_engine_edge_key (edge->source_asset_id, edge->target_asset_id,
                                                          edge->relation));
  if (kids == NULL)
    {
      kids = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (run->children, g_strdup (edge->target_asset_id), kids);
    }
  g_ptr_array_add (kids, g_object_ref (edge));
}

static gboolean
load_project_state (SynEngineRun *run, GError **error)
{
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) cables = NULL;

  if (!(assets = syn_store_list_assets (run->store, run->project->id, NULL, NULL, 0, 0, NULL, error)) ||
      !(edges = syn_store_list_edges (run->store, run->project->id, NULL, error)) ||
      !(cables = syn_store_list_cables (run->store, run->project->id, 0, 0, NULL, error)))
    return FALSE;
  for (guint i = 0; i < assets->len; i++)
    _syn_engine_add_asset (run, g_ptr_array_index (assets, i), FALSE);
  for (guint i = 0; i < edges->len; i++)
    _syn_engine_add_edge (run, g_ptr_array_index (edges, i));
  for (guint i = 0; i < cables->len; i++)
    g_hash_table_add (run->cable_tags, g_strdup (((SynCable *) g_ptr_array_index (cables, i))->tag));
  return TRUE;
}

/* Enforced rules first, then priority descending, then name. */
static int
compare_rules (gconstpointer a, gconstpointer b)
{
  SynRule *x = *(SynRule **) a;
  SynRule *y = *(SynRule **) b;

  if (x->is_enforced != y->is_enforced)
    return x->is_enforced ? -1 : 1;
  if (x->priority != y->priority)
    return x->priority > y->priority ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static gboolean
load_rules (SynEngineRun *run, JsonObject *request, GError **error)
{
  g_autoptr(GPtrArray) all = syn_store_list_rules (run->store, run->project->id, TRUE, error);
  g_auto(GStrv) rule_ids = filter_list (request, "rule_ids");
  g_auto(GStrv) disciplines = filter_list (request, "disciplines");
  g_auto(GStrv) types = filter_list (request, "action_types");

  if (all == NULL)
    return FALSE;
  for (guint i = 0; rule_ids && rule_ids[i]; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < all->len && !found; j++)
        found = g_strcmp0 (((SynRule *) all->pdata[j])->id, rule_ids[i]) == 0;
      if (!found)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
                       "filters.rule_ids: no rule \"%s\" in this project or the library", rule_ids[i]);
          return FALSE;
        }
    }

  for (guint i = 0; i < all->len; i++)
    {
      SynRule *rule = g_ptr_array_index (all, i);
      g_autoptr(GError) local_error = NULL;

      if (!rule->is_active)
        continue;
      if (rule_ids && !g_strv_contains ((const char * const *) rule_ids, rule->id))
        continue;
      if (disciplines && (rule->discipline == NULL ||
                          !g_strv_contains ((const char * const *) disciplines, rule->discipline)))
        continue;
      if (types && !g_strv_contains ((const char * const *) types, rule->action_type))
        continue;
      /* A stored rule that no longer validates (written by an older version,
       * say) is reported and left out rather than failing the whole run. */
      if (!syn_rule_validate (rule, &local_error))
        {
          _syn_engine_send_error (run, rule->id, NULL, local_error->message, TRUE);
          continue;
        }
      g_ptr_array_add (run->rules, g_object_ref (rule));
    }
  g_ptr_array_sort (run->rules, compare_rules);
  return TRUE;
}

/* The asset types a rule can apply to (NULL: any), for counting candidates. */
static gboolean
rule_takes_type (SynRule *rule, const char *type)
{
  JsonObject *condition;
  JsonNode *node;

  if (rule->condition == NULL || !JSON_NODE_HOLDS_OBJECT (rule->condition))
    return TRUE;
  condition = json_node_get_object (rule->condition);
  node = json_object_get_member (condition, "asset_type");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (g_strcmp0 (json_array_get_string_element (array, i), type) == 0)
          return TRUE;
      return FALSE;
    }
  return g_strcmp0 (json_node_get_string (node), type) == 0;
}

static int
compare_assets_by_tag (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 ((*(SynAsset **) a)->tag, (*(SynAsset **) b)->tag);
}

static GPtrArray *
initial_candidates (SynEngineRun *run, JsonObject *request)
{
  g_auto(GStrv) asset_ids = filter_list (request, "asset_ids");
  g_auto(GStrv) asset_types = filter_list (request, "asset_types");
  GPtrArray *candidates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GList) values = g_hash_table_get_values (run->assets_by_id);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (GList *l = values; l; l = l->next)
    g_ptr_array_add (sorted, l->data);
  /* a stable order (by tag) makes runs reproducible */
  g_ptr_array_sort (sorted, compare_assets_by_tag);
  for (guint i = 0; i < sorted->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (sorted, i);

      if (asset_ids && !g_strv_contains ((const char * const *) asset_ids, asset->id))
        continue;
      if (asset_types && !g_strv_contains ((const char * const *) asset_types, asset->type))
        continue;
      g_ptr_array_add (candidates, g_object_ref (asset));
    }
  return candidates;
}

/* ------------------------------------------------------------------------- */
/* Rule events                                                               */

SynEvent *
_syn_engine_rule_event (SynEngineRun *run,
                        const char   *event_type,
                        SynRule      *rule,
                        SynAsset     *source,
                        const char   *reason,
                        JsonObject   *extra,
                        GError      **error)
{
  JsonObject *payload;

  /* a preview drops its events: their payloads are not built */
  if (syn_batch_get_preview (run->batch))
    {
      g_clear_pointer (&extra, json_object_unref);
      return syn_batch_emit (run->batch, event_type, SYN_AGGREGATE_RULE, rule->id, NULL, rule->id,
                             rule->discipline, NULL, error);
    }
  payload = extra ? extra : json_object_new ();
  json_object_set_string_member (payload, "rule_id", rule->id);
  json_object_set_string_member (payload, "rule_name", rule->name);
  if (source != NULL)
    {
      json_object_set_string_member (payload, "source_asset_id", source->id);
      json_object_set_string_member (payload, "source_tag", source->tag);
    }
  if (reason != NULL)
    json_object_set_string_member (payload, "reason", reason);
  json_object_set_int_member (payload, "pass", run->pass);
  return syn_batch_emit (run->batch, event_type, SYN_AGGREGATE_RULE, rule->id,
                         syn_json_node_new_object (payload), rule->id, rule->discipline, NULL, error);
}

static gboolean
emit_plain (SynEngineRun *run, const char *type, const char *agg_type, const char *agg_id,
            SynRule *rule, JsonObject *payload, GError **error)
{
  g_autoptr(SynEvent) event = syn_batch_emit (run->batch, type, agg_type, agg_id,
                                              syn_json_node_new_object (payload),
                                              rule ? rule->id : NULL, rule ? rule->discipline : NULL,
                                              NULL, error);
  return event != NULL;
}

/* ------------------------------------------------------------------------- */
/* The run                                                                   */

static gboolean
run_rule (SynEngineRun *run, SynRule *rule, GPtrArray *candidates, guint rule_index, GError **error)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  SynRuleCounts counts = { 0 };
  JsonObject *m, *payload;
  guint last_percent = run->progress;

  for (guint i = 0; i < candidates->len; i++)
    if (rule_takes_type (rule, ((SynAsset *) candidates->pdata[i])->type))
      g_ptr_array_add (mine, candidates->pdata[i]);
  if (mine->len == 0)
    return TRUE;

  g_hash_table_add (run->rules_evaluated, g_strdup (rule->id));

  payload = json_object_new ();
  json_object_set_int_member (payload, "candidates", mine->len);
  {
    g_autoptr(SynEvent) started = _syn_engine_rule_event (run, SYN_EVENT_RULE_EXECUTION_STARTED, rule,
                                                          NULL, NULL, payload, error);
    if (started == NULL)
      return FALSE;
  }

  m = json_object_new ();
  json_object_set_string_member (m, "type", "RULE_START");
  json_object_set_string_member (m, "rule_id", rule->id);
  json_object_set_string_member (m, "rule_name", rule->name);
  syn_json_set_string_or_null (m, "discipline", rule->discipline);
  json_object_set_int_member (m, "assets_to_process", mine->len);
  json_object_set_int_member (m, "progress", run->progress);
  _syn_engine_send (run, m);

  for (guint i = 0; i < mine->len; i++)
    {
      /* the live object: earlier rules' changes in this batch are visible */
      SynAsset *asset = g_hash_table_lookup (run->assets_by_id, ((SynAsset *) mine->pdata[i])->id);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      if (asset == NULL)
        continue;
      counts.processed++;
      g_hash_table_add (run->assets_evaluated, asset->id);
      if (syn_rule_condition_matches (rule->condition, asset, run->project->country) &&
          !_syn_engine_apply_rule (run, rule, asset, &counts, error))
        return FALSE;

      update_progress (run, (rule_index + (double) (i + 1) / mine->len) / run->rules->len);
      if (run->progress > last_percent)
        {
          last_percent = run->progress;
          send_progress (run);
        }
    }

  payload = json_object_new ();
  json_object_set_int_member (payload, "assets_processed", counts.processed);
  json_object_set_int_member (payload, "actions_taken", counts.actions);
  json_object_set_int_member (payload, "skipped", counts.skipped);
  json_object_set_int_member (payload, "errors", counts.errors);
  {
    g_autoptr(SynEvent) completed = _syn_engine_rule_event (run, SYN_EVENT_RULE_EXECUTION_COMPLETED, rule,
                                                            NULL, NULL, payload, error);
    if (completed == NULL)
      return FALSE;
  }

  if (g_hash_table_add (run->rules_completed_set, g_strdup (rule->id)))
    run->rules_completed = MIN (run->rules_completed + 1, run->rules_total);
  m = json_object_new ();
  json_object_set_string_member (m, "type", "RULE_COMPLETE");
  json_object_set_string_member (m, "rule_id", rule->id);
  json_object_set_string_member (m, "rule_name", rule->name);
  json_object_set_int_member (m, "assets_processed", counts.processed);
  json_object_set_int_member (m, "actions_taken", counts.actions);
  json_object_set_int_member (m, "skipped", counts.skipped);
  json_object_set_int_member (m, "errors", counts.errors);
  _syn_engine_send (run, m);
  return TRUE;
}

static JsonObject *
build_summary (SynEngineRun *run)
{
  JsonObject *summary = json_object_new ();
  JsonObject *created = json_object_new ();

  json_object_set_int_member (summary, "rules_executed", g_hash_table_size (run->rules_evaluated));
  json_object_set_int_member (summary, "assets_processed", g_hash_table_size (run->assets_evaluated));
  json_object_set_int_member (summary, "actions_taken", run->actions_taken);
  json_object_set_int_member (summary, "skipped", run->skipped);
  json_object_set_int_member (summary, "errors", run->errors);
  json_object_set_int_member (created, "assets", run->created_assets);
  json_object_set_int_member (created, "cables", run->created_cables);
  json_object_set_int_member (created, "edges", run->created_edges);
  json_object_set_object_member (summary, "created", created);
  return summary;
}

static void
run_clear (SynEngineRun *run)
{
  g_clear_object (&run->project);
  g_clear_object (&run->batch);
  g_clear_pointer (&run->execution_id, g_free);
  g_clear_pointer (&run->user_id, g_free);
  g_clear_pointer (&run->rules, g_ptr_array_unref);
  g_clear_pointer (&run->assets_evaluated, g_hash_table_unref);
  g_clear_pointer (&run->assets_by_tag, g_hash_table_unref);
  g_clear_pointer (&run->assets_by_type_area, g_hash_table_unref);
  g_clear_pointer (&run->assets_by_id, g_hash_table_unref);
  g_clear_pointer (&run->children, g_hash_table_unref);
  g_clear_pointer (&run->edge_keys, g_hash_table_unref);
  g_clear_pointer (&run->cable_tags, g_hash_table_unref);
  g_clear_pointer (&run->claims, g_hash_table_unref);
  g_clear_pointer (&run->created_this_pass, g_ptr_array_unref);
  g_clear_pointer (&run->rules_evaluated, g_hash_table_unref);
  g_clear_pointer (&run->rules_completed_set, g_hash_table_unref);
}

static void
run_init (SynEngineRun *run)
{
  run->rules = g_ptr_array_new_with_free_func (g_object_unref);
  run->assets_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  run->assets_by_tag = g_hash_table_new (g_str_hash, g_str_equal);
  run->assets_by_type_area = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    (GDestroyNotify) g_ptr_array_unref);
  run->children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  run->edge_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->cable_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->claims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->created_this_pass = g_ptr_array_new_with_free_func (g_object_unref);
  run->rules_evaluated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* keys borrowed from the assets, which live as long as the run */
  run->assets_evaluated = g_hash_table_new (g_str_hash, g_str_equal);
  run->rules_completed_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static gboolean
claim_project (const char *key, GError **error)
{
  gboolean ok;

  g_mutex_lock (&running_lock);
  if (running_projects == NULL)
    running_projects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = g_hash_table_add (running_projects, g_strdup (key));
  g_mutex_unlock (&running_lock);
  if (!ok)
    g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_BUSY,
                         "An execution is already running on this project: wait for it to finish");
  return ok;
}

static void
release_project (const char *key)
{
  g_mutex_lock (&running_lock);
  g_hash_table_remove (running_projects, key);
  g_mutex_unlock (&running_lock);
}

/* The executions table keeps every run: committed ones in their batch's
 * transaction, previews, failures and cancellations afterwards. */
static void
record_execution (SynEngineRun *run, JsonObject *request, const char *correlation_id, const char *status,
                  JsonObject *summary, const char *error_text, gint64 started_at)
{
  g_autoptr(SynExecution) x = syn_execution_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *filters = json_object_get_member (request, "filters");

  x->execution_id = g_strdup (run->execution_id);
  x->project_id = g_strdup (run->project->id);
  x->correlation_id = g_strdup (correlation_id);
  x->mode = g_strdup (run->dry_run ? "dry_run" : "execute");
  x->filters = filters ? syn_json_node_deep_copy (filters) : NULL;
  x->status = g_strdup (status);
  x->user_id = g_strdup (run->user_id);
  x->started_at = started_at;
  x->finished_at = syn_time_now_usec ();
  x->summary = summary ? syn_json_node_new_object (json_object_ref (summary)) : NULL;
  x->error = g_strdup (error_text);
  if (!syn_store_insert_execution (run->store, x, &error))
    g_warning ("Could not record execution %s: %s", run->execution_id, error->message);
}

static JsonObject *
filters_applied (JsonObject *request)
{
  JsonObject *applied = json_object_new ();

  for (guint i = 0; filter_names[i]; i++)
    {
      g_auto(GStrv) list = filter_list (request, filter_names[i]);

      if (list == NULL)
        json_object_set_null_member (applied, filter_names[i]);
      else
        {
          JsonArray *array = json_array_new ();

          for (guint j = 0; list[j]; j++)
            json_array_add_string_element (array, list[j]);
          json_object_set_array_member (applied, filter_names[i], array);
        }
    }
  return applied;
}

/* Runs the whole execution on this thread, on @store (a connection of its
 * own). Returns {execution_id, correlation_id, mode, status, duration_ms,
 * summary}; on failure or cancellation nothing of the batch is committed. */
JsonNode *
syn_rule_engine_run (SynRuleEngine         *self,
                     SynStore              *store,
                     const char            *execution_id,
                     JsonObject            *request,
                     const char            *user_id,
                     GCancellable          *cancellable,
                     SynEngineStartedFunc   started,
                     SynEngineMessageFunc   message,
                     gpointer               user_data,
                     GError               **error)
{
  SynEngineRun run = { 0 };
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autofree char *lock_key = NULL;
  g_autofree char *correlation_id = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *project_id, *mode;
  gint64 started_at = syn_time_now_usec ();
  gint64 t0 = g_get_monotonic_time ();
  JsonObject *m, *answer;
  gboolean ok = FALSE;
  guint total_assets;

  g_return_val_if_fail (SYN_IS_RULE_ENGINE (self), NULL);
  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (!syn_rule_engine_validate_request (request, error))
    return NULL;
  project_id = syn_json_get_string (request, "project_id");
  if (project_id == NULL)
    {
      invalid (error, "project_id: required");
      return NULL;
    }
  mode = syn_json_get_string (request, "mode");

  run_init (&run);
  run.store = store;
  run.execution_id = execution_id ? g_strdup (execution_id) : syn_uuid_new ();
  run.user_id = g_strdup (user_id);
  run.dry_run = g_strcmp0 (mode, "dry_run") == 0;
  run.cancellable = cancellable;
  run.message_func = message;
  run.message_data = user_data;
  run.pass = 1;

  run.project = syn_store_find_project (store, project_id, &local_error);
  if (run.project == NULL)
    {
      if (local_error == NULL)
        g_set_error (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No project \"%s\"", project_id);
      goto out;
    }

  lock_key = g_strconcat (self->db_uri, "\x1f", run.project->id, NULL);
  if (!claim_project (lock_key, &local_error))
    goto out;

  run.batch = syn_batch_begin (store, run.project->id, user_id, &local_error);
  if (run.batch == NULL)
    {
      if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY))
        {
          g_clear_error (&local_error);
          g_set_error_literal (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_BUSY,
                               "Another execution or import is writing to this database: try again when it is done");
        }
      goto unlock;
    }
  if (!syn_store_lock_project (store, run.project->id, &local_error))
    goto abandon;
  syn_batch_set_preview (run.batch, run.dry_run);
  correlation_id = g_strdup (syn_batch_get_correlation_id (run.batch));
  if (started != NULL)
    started (run.execution_id, correlation_id, user_data);

  if (!load_project_state (&run, &local_error) || !load_rules (&run, request, &local_error))
    goto abandon;
  candidates = initial_candidates (&run, request);
  total_assets = candidates->len;
  run.rules_total = run.rules->len;

  {
    JsonObject *payload = json_object_new ();

    json_object_set_string_member (payload, "execution_id", run.execution_id);
    json_object_set_string_member (payload, "mode", run.dry_run ? "dry_run" : "execute");
    json_object_set_object_member (payload, "filters", filters_applied (request));
    json_object_set_int_member (payload, "total_rules", run.rules_total);
    json_object_set_int_member (payload, "total_assets", total_assets);
    if (!emit_plain (&run, SYN_EVENT_BATCH_STARTED, SYN_AGGREGATE_BATCH, correlation_id, NULL, payload, &local_error))
      goto abandon;
  }

  m = json_object_new ();
  json_object_set_string_member (m, "type", "STARTED");
  json_object_set_string_member (m, "execution_id", run.execution_id);
  json_object_set_string_member (m, "correlation_id", correlation_id);
  json_object_set_int_member (m, "total_rules", run.rules_total);
  json_object_set_int_member (m, "total_assets", total_assets);
  json_object_set_object_member (m, "filters_applied", filters_applied (request));
  _syn_engine_send (&run, m);

  /* Chaining: the assets created in pass k are the only candidates of pass k+1. */
  while (candidates->len > 0)
    {
      if (run.pass > SYN_ENGINE_MAX_PASSES)
        {
          g_set_error (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CYCLE,
                       "Rules did not settle after %d passes (pass %d would process %u new assets): "
                       "a cycle of rules creating assets; nothing was committed",
                       SYN_ENGINE_MAX_PASSES, run.pass, candidates->len);
          goto abandon;
        }
      for (guint r = 0; r < run.rules->len; r++)
        if (!run_rule (&run, g_ptr_array_index (run.rules, r), candidates, r, &local_error))
          goto abandon;

      g_ptr_array_unref (candidates);
      candidates = g_steal_pointer (&run.created_this_pass);
      run.created_this_pass = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_sort (candidates, compare_assets_by_tag);
      update_progress (&run, 1.0);
      run.pass++;
      send_progress (&run);
    }

  summary = build_summary (&run);
  {
    JsonObject *payload = json_object_new ();

    json_object_set_string_member (payload, "execution_id", run.execution_id);
    json_object_set_object_member (payload, "summary", json_object_ref (summary));
    json_object_set_int_member (payload, "passes", run.pass - 1);
    json_object_set_int_member (payload, "duration_ms", (g_get_monotonic_time () - t0) / 1000);
    if (!emit_plain (&run, SYN_EVENT_BATCH_COMPLETED, SYN_AGGREGATE_BATCH, correlation_id, NULL, payload, &local_error))
      goto abandon;
  }

  if (run.dry_run)
    {
      /* The same evaluation, then nothing persists: not an entity, event or snapshot. */
      syn_batch_abandon (run.batch);
      record_execution (&run, request, NULL, "preview", summary, NULL, started_at);
    }
  else
    {
      record_execution (&run, request, correlation_id, "completed", summary, NULL, started_at);
      if (!syn_batch_commit (run.batch, &local_error))
        {
          record_execution (&run, request, NULL, "failed", NULL, local_error->message, started_at);
          goto unlock;
        }
    }
  ok = TRUE;

  run.progress = 100;
  m = json_object_new ();
  json_object_set_string_member (m, "type", "COMPLETED");
  json_object_set_string_member (m, "execution_id", run.execution_id);
  json_object_set_string_member (m, "correlation_id", correlation_id);
  json_object_set_int_member (m, "duration_ms", (g_get_monotonic_time () - t0) / 1000);
  json_object_set_object_member (m, "summary", json_object_ref (summary));
  _syn_engine_send (&run, m);
  goto unlock;

abandon:
  syn_batch_abandon (run.batch);
  record_execution (&run, request, NULL,
                    g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled" : "failed",
                    NULL, local_error->message, started_at);
unlock:
  release_project (lock_key);
out:
  if (!ok)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _syn_engine_send_error (&run, NULL, NULL, "Execution cancelled: nothing was committed", FALSE);
      else if (correlation_id != NULL)
        _syn_engine_send_error (&run, NULL, NULL, local_error->message, FALSE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      run_clear (&run);
      return NULL;
    }

  answer = json_object_new ();
  json_object_set_string_member (answer, "execution_id", run.execution_id);
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  json_object_set_string_member (answer, "mode", run.dry_run ? "dry_run" : "execute");
  json_object_set_string_member (answer, "status", run.dry_run ? "preview" : "completed");
  json_object_set_int_member (answer, "duration_ms", (g_get_monotonic_time () - t0) / 1000);
  json_object_set_object_member (answer, "summary", json_object_ref (summary));
  run_clear (&run);
  return syn_json_node_new_object (answer);
}

/* ------------------------------------------------------------------------- */
/* Asynchronous: a worker thread, messages delivered on the caller's context */

typedef struct
{
  SynRuleEngine *engine;        /* strong */
  GMainContext  *context;
  JsonObject    *request;
  char          *user_id;
  char          *execution_id;
  GMutex         lock;
  GQueue         pending;       /* JsonNode; under lock */
  guint          flush_scheduled : 1;
  char          *started_correlation;
} AsyncRun;

static void
async_run_free (AsyncRun *r)
{
  g_object_unref (r->engine);
  g_main_context_unref (r->context);
  json_object_unref (r->request);
  g_free (r->user_id);
  g_free (r->execution_id);
  g_free (r->started_correlation);
  g_queue_clear_full (&r->pending, (GDestroyNotify) json_node_unref);
  g_mutex_clear (&r->lock);
  g_free (r);
}

/* Messages arrive by the thousand: they are queued and delivered in one
 * idle callback, so the main loop dispatches once per burst, not per message. */
static gboolean
flush_messages (gpointer data)
{
  GTask *task = data;
  AsyncRun *r = g_task_get_task_data (task);
  GQueue batch = G_QUEUE_INIT;
  JsonNode *node;

  g_mutex_lock (&r->lock);
  batch = r->pending;
  g_queue_init (&r->pending);
  r->flush_scheduled = FALSE;
  g_mutex_unlock (&r->lock);

  while ((node = g_queue_pop_head (&batch)) != NULL)
    {
      g_signal_emit (r->engine, signals[SIGNAL_MESSAGE], 0, node);
      json_node_unref (node);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (GTask *task, AsyncRun *r)
{
  GSource *source;

  if (r->flush_scheduled)
    return;
  r->flush_scheduled = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, flush_messages, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[synapse] engine messages");
  g_source_attach (source, r->context);
  g_source_unref (source);
}

static void
async_message (JsonNode *message, gpointer data)
{
  GTask *task = data;
  AsyncRun *r = g_task_get_task_data (task);

  g_mutex_lock (&r->lock);
  g_queue_push_tail (&r->pending, json_node_ref (message));
  schedule_flush (task, r);
  g_mutex_unlock (&r->lock);
}

static gboolean
emit_started (gpointer data)
{
  GTask *task = data;
  AsyncRun *r = g_task_get_task_data (task);

  g_signal_emit (r->engine, signals[SIGNAL_STARTED], 0, r->execution_id, r->started_correlation);
  return G_SOURCE_REMOVE;
}

static void
async_started (const char *execution_id, const char *correlation_id, gpointer data)
{
  GTask *task = data;
  AsyncRun *r = g_task_get_task_data (task);

  r->started_correlation = g_strdup (correlation_id);
  g_main_context_invoke_full (r->context, G_PRIORITY_DEFAULT, emit_started, g_object_ref (task), g_object_unref);
}

static void
execute_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SynRuleEngine *self = source;
  AsyncRun *r = task_data;
  g_autoptr(SynStore) store = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *answer;

  store = syn_store_open (self->db_uri, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  answer = syn_rule_engine_run (self, store, r->execution_id, r->request, r->user_id, cancellable,
                                async_started, async_message, task, &error);
  /* The messages queued so far reach the caller before the completion does:
   * both go through the same context, the flush was scheduled first. */
  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

void
syn_rule_engine_execute_async (SynRuleEngine       *self,
                               JsonObject          *request,
                               const char          *user_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncRun *r;

  g_return_if_fail (SYN_IS_RULE_ENGINE (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, syn_rule_engine_execute_async);
  g_task_set_name (task, "[synapse] execute rules");
  /* the result is a JSON answer even when cancelled: return it as is */
  g_task_set_check_cancellable (task, FALSE);

  r = g_new0 (AsyncRun, 1);
  r->engine = g_object_ref (self);
  r->context = g_main_context_ref_thread_default ();
  r->request = syn_json_object_copy (request);
  r->user_id = g_strdup (user_id);
  r->execution_id = syn_uuid_new ();
  if (syn_json_get_string (request, "execution_id") != NULL)
    {
      g_free (r->execution_id);
      r->execution_id = g_strdup (syn_json_get_string (request, "execution_id"));
    }
  g_mutex_init (&r->lock);
  g_queue_init (&r->pending);
  g_task_set_task_data (task, r, (GDestroyNotify) async_run_free);
  g_task_run_in_thread (task, execute_thread);
}

JsonNode *
syn_rule_engine_execute_finish (SynRuleEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == syn_rule_engine_execute_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-engine.c: SynRuleEngine: scope, order, chaining passes, live messages, one batch per run. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "syn-derivation.h"
#include "syn-rule-condition.h"
#include "syn-rule-engine-private.h"
#include "syn-rule-parser.h"

struct _SynRuleEngine
{
  GObject  parent_instance;

  char    *db_uri;
};

G_DEFINE_FINAL_TYPE (SynRuleEngine, syn_rule_engine, G_TYPE_OBJECT)

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
    *error = g_error_new_valist (SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID, format, args);
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
            if (strcmp (name, "disciplines") == 0 && syn_discipline_canonical (s) == NULL)
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
    {
      const char *value = json_array_get_string_element (json_node_get_array (node), i);

      /* disciplines in any case, as everywhere (validated already) */
      if (strcmp (name, "disciplines") == 0 && syn_discipline_canonical (value) != NULL)
        value = syn_discipline_canonical (value);
      g_strv_builder_add (builder, value);
    }
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

/* Counting is the caller's: a run counts each finding once. */
void
_syn_engine_send_error (SynEngineRun *run, const char *rule_id, const char *asset_id, const char *asset_tag,
                        const char *text, const char *severity, gboolean recoverable)
{
  JsonObject *m = syn_live_message_error (rule_id, asset_id, text, recoverable, severity ? severity : "error");

  /* beside the spec's fields: the list a person reads names the asset by its tag */
  if (asset_tag != NULL)
    json_object_set_string_member (m, "asset_tag", asset_tag);

  /* what a finding reports stands until its inputs change: the mark keeps it
   * so that a run that need not derive still lists it */
  if (recoverable && asset_id != NULL)
    {
      if (run->standing == NULL)
        run->standing = json_array_new ();
      json_array_add_object_element (run->standing, syn_json_object_copy (m));
    }
  _syn_engine_send (run, m);
}

/* The last message of a run that ends without a batch: an ERROR that is not
 * recoverable, whose status says how it ended ("cancelled" or "failed"), as
 * its execution record does. */
static void
send_end_error (SynEngineRun *run, const char *text, const char *status)
{
  JsonObject *m = syn_live_message_error (NULL, NULL, text, FALSE, "error");

  json_object_set_string_member (m, "status", status);
  _syn_engine_send (run, m);
}

/* ------------------------------------------------------------------------- */
/* The run                                                                   */

/* What a derive builds, empty. */
static void
init_derive_state (SynEngineRun *run)
{
  run->pairs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, _syn_engine_pair_free);
  run->dependents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  run->change_ticks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->changed_this_pass = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->created_this_pass = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->claims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->rules_evaluated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->assets_evaluated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->pass_rule_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
clear_derive_state (SynEngineRun *run)
{
  g_clear_pointer (&run->pairs, g_hash_table_unref);
  g_clear_pointer (&run->dependents, g_hash_table_unref);
  g_clear_pointer (&run->change_ticks, g_hash_table_unref);
  g_clear_pointer (&run->changed_this_pass, g_hash_table_unref);
  g_clear_pointer (&run->created_this_pass, g_hash_table_unref);
  g_clear_pointer (&run->claims, g_hash_table_unref);
  g_clear_pointer (&run->rules_evaluated, g_hash_table_unref);
  g_clear_pointer (&run->assets_evaluated, g_hash_table_unref);
  g_clear_pointer (&run->pass_rule_counts, g_hash_table_unref);
  g_clear_pointer (&run->derived, syn_rule_world_free);
}

void
_syn_engine_run_init (SynEngineRun *run)
{
  run->rules = g_ptr_array_new_with_free_func (g_object_unref);
  run->rule_index = g_hash_table_new (g_str_hash, g_str_equal);
  run->rules_in_scope = g_hash_table_new (g_str_hash, g_str_equal);
  run->rule_digests = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  run->stored_findings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->reads = g_string_new (NULL);
  run->mark_position = -1;
  init_derive_state (run);
}

/* Back to before the derive (the stored project and the rules stay): an
 * incremental attempt that did not hold gives way to a whole derive. */
void
_syn_engine_reset_derive (SynEngineRun *run)
{
  clear_derive_state (run);
  init_derive_state (run);
  run->current = NULL;
  run->tick = run->change_count = 0;
  run->pass = run->passes = 0;
}

void
_syn_engine_run_clear (SynEngineRun *run)
{
  clear_derive_state (run);
  g_clear_pointer (&run->rule_digests, g_hash_table_unref);
  g_clear_pointer (&run->stored_findings, g_hash_table_unref);
  g_clear_pointer (&run->standing, json_array_unref);
  g_clear_pointer (&run->mark_standing, json_array_unref);
  g_clear_pointer (&run->stored, syn_rule_world_free);
  g_clear_pointer (&run->rule_index, g_hash_table_unref);
  g_clear_pointer (&run->rules_in_scope, g_hash_table_unref);
  g_clear_pointer (&run->rules, g_ptr_array_unref);
  g_clear_pointer (&run->all_rules, g_ptr_array_unref);
  g_clear_pointer (&run->asset_scope, g_hash_table_unref);
  g_clear_pointer (&run->asset_ids, g_strfreev);
  g_clear_pointer (&run->asset_types, g_strfreev);
  if (run->reads != NULL)
    g_string_free (g_steal_pointer (&run->reads), TRUE);
  g_clear_object (&run->project);
  g_clear_object (&run->batch);
  g_clear_pointer (&run->execution_id, g_free);
  g_clear_pointer (&run->user_id, g_free);
}

/* Freeing a big project's two worlds takes seconds (millions of small
 * blocks): the answer need not wait for it. */
#define FREE_LATER_ASSETS 10000

static GMutex free_lock;
static GCond free_cond;
static guint frees_pending;

static gpointer
free_later_thread (gpointer data)
{
  SynEngineRun *run = data;

  _syn_engine_run_clear (run);
  g_free (run);
  g_mutex_lock (&free_lock);
  frees_pending--;
  g_cond_broadcast (&free_cond);
  g_mutex_unlock (&free_lock);
  return NULL;
}

/* Waits until every run's memory freed after its answer is (benchmarks
 * measure that apart; a process need not wait before it exits). */
void
syn_rule_engine_wait_for_cleanup (void)
{
  g_mutex_lock (&free_lock);
  while (frees_pending > 0)
    g_cond_wait (&free_cond, &free_lock);
  g_mutex_unlock (&free_lock);
}

void
_syn_engine_run_clear_later (SynEngineRun *run)
{
  SynEngineRun *later;

  if (run->stored == NULL || g_hash_table_size (syn_rule_world_assets (run->stored)) < FREE_LATER_ASSETS)
    {
      _syn_engine_run_clear (run);
      return;
    }
  later = g_new0 (SynEngineRun, 1);
  *later = *run;
  /* what the caller may still hold stays with the caller */
  later->batch = NULL;
  later->project = NULL;
  later->store = NULL;
  g_clear_object (&run->batch);
  g_clear_object (&run->project);
  memset (run, 0, sizeof *run);
  g_mutex_lock (&free_lock);
  frees_pending++;
  g_mutex_unlock (&free_lock);
  g_thread_unref (g_thread_new ("synapse-free", free_later_thread, later));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
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

/* A rule's definition, as it matters to what it derives: a change of any
 * of it can change its outputs. */
static char *
rule_digest (SynRule *rule)
{
  g_autoptr(JsonNode) json = syn_rule_to_json (rule);
  JsonObject *o = json_node_get_object (json);
  g_autofree char *text = NULL;
  char hex[17];

  /* neither the times nor the name change what it does */
  for (const char * const *m = (const char * const[]) { "created_at", "updated_at", "name", "description", NULL };
       *m; m++)
    if (json_object_has_member (o, *m))
      json_object_remove_member (o, *m);
  text = syn_json_canonical (json);
  syn_fingerprint_hex (text, strlen (text), hex);
  return g_strdup (hex);
}

/* The project's rules and the library's, and which of them the request takes. */
gboolean
_syn_engine_load_rules (SynEngineRun *run, JsonObject *request, GError **error)
{
  g_auto(GStrv) rule_ids = filter_list (request, "rule_ids");
  g_auto(GStrv) disciplines = filter_list (request, "disciplines");
  g_auto(GStrv) types = filter_list (request, "action_types");

  if (!(run->all_rules = syn_store_list_rules (run->store, run->project->id, TRUE, error)))
    return FALSE;
  if (run->candidate != NULL)
    {
      guint i;

      /* a preview: the rule as it would be saved stands for the stored one */
      for (i = 0; i < run->all_rules->len; i++)
        if (g_strcmp0 (((SynRule *) run->all_rules->pdata[i])->id, run->candidate->id) == 0)
          break;
      if (i < run->all_rules->len)
        g_ptr_array_remove_index (run->all_rules, i);
      g_ptr_array_insert (run->all_rules, (gint) MIN (i, run->all_rules->len), g_object_ref (run->candidate));
    }
  for (guint i = 0; rule_ids && rule_ids[i]; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < run->all_rules->len && !found; j++)
        found = g_strcmp0 (((SynRule *) run->all_rules->pdata[j])->id, rule_ids[i]) == 0;
      if (!found)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
                       "filters.rule_ids: no rule \"%s\" in this project or the library", rule_ids[i]);
          return FALSE;
        }
    }
  /* Without a rule filter, the outputs of every rule are re-derived, those
   * of rules switched off or gone included: they are taken back. */
  run->any_rule_in_scope = rule_ids == NULL && disciplines == NULL && types == NULL;

  for (guint i = 0; i < run->all_rules->len; i++)
    {
      SynRule *rule = g_ptr_array_index (run->all_rules, i);
      g_autoptr(GError) local_error = NULL;

      if (rule_ids && !g_strv_contains ((const char * const *) rule_ids, rule->id))
        continue;
      if (disciplines && (rule->discipline == NULL ||
                          !g_strv_contains ((const char * const *) disciplines, rule->discipline)))
        continue;
      if (types && !g_strv_contains ((const char * const *) types, rule->action_type))
        continue;
      g_hash_table_add (run->rules_in_scope, rule->id);
      if (!rule->is_active)
        continue;
      /* A stored rule that no longer validates (written by an older version,
       * say) is reported and left out rather than failing the whole run; its
       * outputs stay as they are. */
      if (!syn_rule_validate (rule, &local_error))
        {
          g_hash_table_remove (run->rules_in_scope, rule->id);
          run->errors++;
          _syn_engine_send_error (run, rule->id, NULL, NULL, local_error->message, "error", TRUE);
          continue;
        }
      g_ptr_array_add (run->rules, g_object_ref (rule));
      g_hash_table_insert (run->rule_digests, rule->id, rule_digest (rule));
    }
  if (run->any_rule_in_scope)
    {
      /* a stored rule that no longer validates keeps its outputs */
      for (guint i = 0; i < run->all_rules->len; i++)
        {
          SynRule *rule = g_ptr_array_index (run->all_rules, i);

          if (rule->is_active && !g_hash_table_contains (run->rule_digests, rule->id))
            {
              run->any_rule_in_scope = FALSE;
              break;
            }
        }
      if (!run->any_rule_in_scope)
        {
          /* every rule but those, and rules gone: tracked one by one */
          g_hash_table_remove_all (run->rules_in_scope);
          for (guint i = 0; i < run->all_rules->len; i++)
            {
              SynRule *rule = g_ptr_array_index (run->all_rules, i);

              if (!rule->is_active || g_hash_table_contains (run->rule_digests, rule->id))
                g_hash_table_add (run->rules_in_scope, rule->id);
            }
          run->any_rule_in_scope = FALSE;
        }
    }
  g_ptr_array_sort (run->rules, compare_rules);
  for (guint i = 0; i < run->rules->len; i++)
    g_hash_table_insert (run->rule_index, ((SynRule *) run->rules->pdata[i])->id, GUINT_TO_POINTER (i + 1));
  run->rules_total = run->rules->len;
  run->asset_ids = filter_list (request, "asset_ids");
  run->asset_types = filter_list (request, "asset_types");
  return TRUE;
}

/* Entities written before derivation records existed: their records,
 * inferred from the graph (see syn-rule-legacy.c for the events' part). */
void
_syn_engine_infer_origins (SynEngineRun *run)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) edges = g_ptr_array_new ();
  g_autoptr(GPtrArray) assets = g_ptr_array_new ();
  g_autoptr(GPtrArray) cables = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, syn_rule_world_edges (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((SynEdge *) value)->created_by_rule_id && !((SynEdge *) value)->derivation)
      g_ptr_array_add (edges, value);
  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((SynAsset *) value)->created_by_rule_id && !((SynAsset *) value)->derivation)
      g_ptr_array_add (assets, value);
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((SynCable *) value)->created_by_rule_id && !((SynCable *) value)->derivation)
      g_ptr_array_add (cables, value);

  /* a child's edge goes from it to its source; a relationship's from the source */
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (edges, i);
      SynAsset *from = syn_rule_world_get_asset (run->stored, edge->source_asset_id);
      gboolean child_edge = from != NULL && g_strcmp0 (from->created_by_rule_id, edge->created_by_rule_id) == 0;

      syn_rule_world_remove_edge (run->stored, edge->id);
      syn_derivation_set_origin (&edge->derivation, edge->created_by_rule_id,
                                 child_edge ? edge->target_asset_id : edge->source_asset_id, NULL, NULL);
      syn_rule_world_add_edge (run->stored, edge, FALSE);
    }
  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (assets, i);
      GPtrArray *links = syn_rule_world_edges_of (run->stored, asset->id);
      const char *source_id = NULL;

      for (guint j = 0; links != NULL && j < links->len && source_id == NULL; j++)
        {
          SynEdge *edge = g_ptr_array_index (links, j);

          if (g_strcmp0 (edge->source_asset_id, asset->id) == 0 &&
              g_strcmp0 (edge->created_by_rule_id, asset->created_by_rule_id) == 0)
            source_id = edge->target_asset_id;
        }
      /* without its link, its source is unknown: it stays as a person's would */
      if (source_id == NULL)
        continue;
      {
        g_autoptr(SynAsset) keep = g_object_ref (asset);
        g_autoptr(JsonArray) keys = json_array_new ();
        g_autoptr(GList) members = json_object_get_members (asset->properties);

        for (GList *l = members; l; l = l->next)
          json_array_add_string_element (keys, l->data);
        syn_rule_world_remove_asset (run->stored, keep->id);
        syn_derivation_set_origin (&keep->derivation, keep->created_by_rule_id, source_id, NULL,
                                   json_array_get_length (keys) ? keys : NULL);
        syn_rule_world_add_asset (run->stored, keep, FALSE);
      }
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *cable = g_ptr_array_index (cables, i);
      g_autoptr(SynCable) keep = g_object_ref (cable);
      const char *source_id = cable->to_asset_id;
      const char *to = NULL;

      for (guint j = 0; j < run->all_rules->len; j++)
        {
          SynRule *rule = g_ptr_array_index (run->all_rules, j);

          if (g_strcmp0 (rule->id, cable->created_by_rule_id) == 0 && rule->action &&
              JSON_NODE_HOLDS_OBJECT (rule->action))
            to = syn_json_get_string (json_node_get_object (rule->action), "to");
        }
      if (to != NULL && g_str_has_prefix (to, "child:"))
        {
          GPtrArray *links = syn_rule_world_edges_of (run->stored, cable->to_asset_id);

          for (guint j = 0; links != NULL && j < links->len; j++)
            if (g_strcmp0 (((SynEdge *) links->pdata[j])->source_asset_id, cable->to_asset_id) == 0)
              source_id = ((SynEdge *) links->pdata[j])->target_asset_id;
        }
      syn_rule_world_remove_cable (run->stored, keep->id);
      syn_derivation_set_origin (&keep->derivation, keep->created_by_rule_id, source_id, NULL, NULL);
      syn_rule_world_add_cable (run->stored, keep, FALSE);
    }
}

gboolean
_syn_engine_load_stored (SynEngineRun *run, GError **error)
{
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(GPtrArray) findings = NULL;

  if (!(assets = syn_store_list_assets (run->store, run->project->id, NULL, NULL, 0, 0, NULL, error)) ||
      !(edges = syn_store_list_edges (run->store, run->project->id, NULL, error)) ||
      !(cables = syn_store_list_cables (run->store, run->project->id, 0, 0, NULL, error)) ||
      !(findings = syn_store_list_findings (run->store, run->project->id, error)))
    return FALSE;
  run->stored = syn_rule_world_new ();
  for (guint i = 0; i < assets->len; i++)
    syn_rule_world_add_asset (run->stored, g_ptr_array_index (assets, i), FALSE);
  for (guint i = 0; i < edges->len; i++)
    syn_rule_world_add_edge (run->stored, g_ptr_array_index (edges, i), FALSE);
  for (guint i = 0; i < cables->len; i++)
    syn_rule_world_add_cable (run->stored, g_ptr_array_index (cables, i), FALSE);
  run->total_assets = assets->len;
  _syn_engine_infer_origins (run);
  if (!_syn_engine_infer_legacy_layers (run, error))
    return FALSE;

  /* the log's newest row per pair is its current findings */
  for (guint i = 0; i < findings->len; i++)
    {
      SynFinding *f = g_ptr_array_index (findings, i);
      char *key = syn_rule_pair_key (f->rule_id, f->source_asset_id);

      if (f->digest != NULL)
        g_hash_table_replace (run->stored_findings, key, g_strdup (f->digest));
      else
        {
          g_hash_table_remove (run->stored_findings, key);
          g_free (key);
        }
    }
  return TRUE;
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
 * transaction, previews, up-to-date runs, failures and cancellations after. */
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

static gboolean
run_changed_anything (SynEngineRun *run)
{
  return run->created_assets + run->created_cables + run->created_edges + run->updated_assets +
         run->updated_cables + run->retracted_assets + run->retracted_cables + run->retracted_edges +
         run->findings_written > 0;
}

static JsonObject *
build_summary (SynEngineRun *run)
{
  JsonObject *summary = json_object_new ();
  JsonObject *created = json_object_new ();
  JsonObject *updated = json_object_new ();
  JsonObject *retracted = json_object_new ();

  json_object_set_int_member (summary, "rules_executed", g_hash_table_size (run->rules_evaluated));
  json_object_set_int_member (summary, "assets_processed", g_hash_table_size (run->assets_evaluated));
  json_object_set_int_member (summary, "actions_taken", run->actions_taken);
  json_object_set_int_member (summary, "skipped", run->skipped);
  json_object_set_int_member (summary, "unchanged", run->unchanged);
  json_object_set_int_member (summary, "errors", run->errors);
  json_object_set_int_member (summary, "warnings", run->warnings);
  json_object_set_int_member (created, "assets", run->created_assets);
  json_object_set_int_member (created, "cables", run->created_cables);
  json_object_set_int_member (created, "edges", run->created_edges);
  json_object_set_object_member (summary, "created", created);
  json_object_set_int_member (updated, "assets", run->updated_assets);
  json_object_set_int_member (updated, "cables", run->updated_cables);
  json_object_set_object_member (summary, "updated", updated);
  json_object_set_int_member (retracted, "assets", run->retracted_assets);
  json_object_set_int_member (retracted, "cables", run->retracted_cables);
  json_object_set_int_member (retracted, "edges", run->retracted_edges);
  json_object_set_object_member (summary, "retracted", retracted);
  json_object_set_int_member (summary, "passes", run->passes);
  json_object_set_boolean_member (summary, "up_to_date", !run_changed_anything (run));
  return summary;
}

static void
send_started (SynEngineRun *run, JsonObject *request, const char *correlation_id)
{
  JsonObject *m = json_object_new ();

  json_object_set_string_member (m, "type", "STARTED");
  json_object_set_string_member (m, "execution_id", run->execution_id);
  syn_json_set_string_or_null (m, "correlation_id", correlation_id);
  json_object_set_int_member (m, "total_rules", run->rules_total);
  json_object_set_int_member (m, "total_assets", run->total_assets);
  json_object_set_object_member (m, "filters_applied", filters_applied (request));
  _syn_engine_send (run, m);
}

static gboolean
check_request (JsonObject *request, const char **project_id, GError **error)
{
  if (!syn_rule_engine_validate_request (request, error))
    return FALSE;
  *project_id = syn_json_get_string (request, "project_id");
  if (*project_id == NULL)
    return invalid (error, "project_id: required");
  return TRUE;
}

static SynProject *
find_project (SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  SynProject *project = syn_store_find_project (store, project_id, &local_error);

  if (project == NULL)
    {
      if (local_error == NULL)
        g_set_error (&local_error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No project \"%s\"", project_id);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  else if (g_strcmp0 (project->id, SYN_LIBRARY_PROJECT_ID) == 0)
    {
      g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID,
                           "The rule library has no assets: run the rules on a project, where they apply");
      g_clear_object (&project);
    }
  return project;
}

/* ------------------------------------------------------------------------- */
/* The mark of where a project was last up to date                           */

/* Every rule of the project and the library (a change of any can change
 * what a run derives), the project's country, and this engine's version (a
 * new version may derive differently). */
static char *
rules_digest (SynEngineRun *run)
{
  g_autoptr(GPtrArray) digests = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) all = g_string_new (PACKAGE_VERSION);
  char hex[17];

  g_string_append_printf (all, "\x1f%s", run->project->country ? run->project->country : "");
  for (guint i = 0; i < run->all_rules->len; i++)
    {
      SynRule *rule = g_ptr_array_index (run->all_rules, i);
      g_autofree char *digest = rule_digest (rule);

      g_ptr_array_add (digests, g_strconcat (rule->id, "=", digest, NULL));
    }
  g_ptr_array_sort (digests, compare_strings);
  for (guint i = 0; i < digests->len; i++)
    g_string_append_printf (all, "\x1f%s", (char *) g_ptr_array_index (digests, i));
  syn_fingerprint_hex (all->str, all->len, hex);
  return g_strdup (hex);
}

static gint64
head_position (SynEngineRun *run, GError **error)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (run->project->id);
  g_autoptr(GPtrArray) newest = NULL;

  q->include_rolled_back = TRUE;
  q->limit = 1;
  if (!(newest = syn_store_query_events (run->store, q, NULL, error)))
    return -1;
  return newest->len > 0 ? ((SynEvent *) g_ptr_array_index (newest, 0))->position : 0;
}

static gboolean
unfiltered (SynEngineRun *run)
{
  return run->any_rule_in_scope && (run->asset_ids == NULL || run->incremental) && run->asset_types == NULL;
}

/* Whether nothing changed since a run found or made the project up to date
 * (no event since, the same rules): then *summary is that run's, as a run
 * now would answer it (nothing done, the same errors standing). */
static gboolean
mark_holds (SynEngineRun *run, JsonObject **summary, GError **error)
{
  g_autofree char *digest = NULL;
  g_autofree char *now_digest = NULL;
  g_autoptr(JsonNode) stored = NULL;
  JsonObject *mark;
  gint64 position, head;

  *summary = NULL;
  if (!unfiltered (run))
    return TRUE;
  if (!syn_store_get_derive_mark (run->store, run->project->id, &position, &digest, &stored, error))
    return FALSE;
  if (position < 0 || stored == NULL || !JSON_NODE_HOLDS_OBJECT (stored))
    return TRUE;
  mark = json_node_get_object (stored);
  if (!json_object_has_member (mark, "summary") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (mark, "summary")) ||
      !json_object_has_member (mark, "errors") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (mark, "errors")))
    return TRUE;
  if ((head = head_position (run, error)) < 0)
    return FALSE;
  now_digest = rules_digest (run);
  if (g_strcmp0 (digest, now_digest) != 0)
    return TRUE;
  if (head != position)
    {
      /* events since, the same rules: a rerun may re-derive only what they touched */
      run->mark_position = position;
      run->mark_standing = json_array_ref (json_object_get_array_member (mark, "errors"));
      return TRUE;
    }

  /* the findings that still stand, to report again as a run that derives would */
  g_clear_pointer (&run->standing, json_array_unref);
  run->standing = json_array_ref (json_object_get_array_member (mark, "errors"));
  run->total_assets = json_object_get_int_member_with_default (mark, "total_assets", 0);
  *summary = syn_json_object_copy (json_object_get_object_member (mark, "summary"));
  json_object_set_int_member (*summary, "actions_taken", 0);
  json_object_set_boolean_member (*summary, "up_to_date", TRUE);
  for (const char * const *part = (const char * const[]) { "created", "updated", "retracted", NULL }; *part; part++)
    if (json_object_has_member (*summary, *part) && JSON_NODE_HOLDS_OBJECT (json_object_get_member (*summary, *part)))
      {
        JsonObject *counts = json_object_get_object_member (*summary, *part);
        g_autoptr(GList) names = json_object_get_members (counts);

        for (GList *l = names; l; l = l->next)
          json_object_set_int_member (counts, l->data, 0);
      }
  return TRUE;
}

static void
send_standing (SynEngineRun *run)
{
  guint n = run->standing ? json_array_get_length (run->standing) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (run->standing, i);

      if (JSON_NODE_HOLDS_OBJECT (e))
        _syn_engine_send_standing (run, json_node_get_object (e));
    }
}

/* After a run of every rule over every asset that committed or found
 * nothing to do: the project is up to date at its newest event. A cache:
 * failing to write it costs the next run its shortcut, nothing else. */
static void
write_mark (SynEngineRun *run, JsonObject *summary)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *mark;
  gint64 head;

  if (!unfiltered (run))
    return;
  if ((head = head_position (run, &error)) < 0)
    {
      g_debug ("No derive mark for %s: %s", run->project->id, error->message);
      return;
    }
  digest = rules_digest (run);
  mark = json_object_new ();
  json_object_set_object_member (mark, "summary", syn_json_object_copy (summary));
  json_object_set_array_member (mark, "errors", run->standing ? json_array_ref (run->standing) : json_array_new ());
  json_object_set_int_member (mark, "total_assets", run->total_assets);
  node = syn_json_node_new_object (mark);
  if (!syn_store_set_derive_mark (run->store, run->project->id, head, digest, node, &error))
    g_debug ("No derive mark for %s: %s", run->project->id, error->message);
}

/* $SYNAPSE_ENGINE_TIMING=1: the time each half of a run takes, on stderr
 * (a diagnostic for benchmarks and slow projects). */
static void
timing (SynEngineRun *run, const char *what)
{
  static int enabled = -1;
  gint64 now = g_get_monotonic_time ();

  if (enabled < 0)
    enabled = g_getenv ("SYNAPSE_ENGINE_TIMING") != NULL;
  if (enabled && run->timing_start != 0)
    g_printerr ("engine: %-8s %8.3f s\n", what, (now - run->timing_start) / 1e6);
  run->timing_start = now;
}

/* Runs the whole execution on this thread, on @store (a connection of its
 * own). Returns {execution_id, correlation_id, mode, status, duration_ms,
 * summary}: status "completed" (one batch committed), "up_to_date" (nothing
 * to do: no batch, no event, correlation_id null) or "preview" (a dry run:
 * nothing persisted). On failure or cancellation nothing is committed. */
/* Begin: the project claimed in this process, a legacy project recorded, then
 * the batch whose transaction holds the project to the end. On failure the
 * caller releases the claim (*lock_key) and abandons the batch if any. */
static gboolean
run_begin (SynRuleEngine *self, SynEngineRun *run, char **lock_key, GError **error)
{
  g_autofree char *key = g_strconcat (self->db_uri, "\x1f", run->project->id, NULL);
  g_autoptr(GError) local_error = NULL;

  if (!claim_project (key, error))
    return FALSE;
  *lock_key = g_steal_pointer (&key);
  /* a project from before derivation records gets them once, first */
  if (!run->dry_run && !_syn_engine_record_legacy (run->store, run->project, error))
    return FALSE;
  if (!(run->batch = syn_batch_begin (run->store, run->project->id, run->user_id, &local_error)))
    {
      if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY))
        g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_BUSY,
                             "Another execution or import is writing to this database: try again when it is done");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!syn_store_lock_project (run->store, run->project->id, error))
    return FALSE;
  syn_batch_set_preview (run->batch, run->dry_run);
  return TRUE;
}

/* The work: derive from the sources and write the difference, or answer from
 * the mark when nothing changed since the project was up to date. Returns the
 * run's summary. */
static JsonObject *
run_passes (SynEngineRun *run, JsonObject *request, const char *correlation_id, gboolean *up_to_date,
            GError **error)
{
  JsonObject *summary = NULL;

  timing (run, NULL);
  if (!_syn_engine_load_rules (run, request, error) || !mark_holds (run, &summary, error))
    return NULL;
  if (summary != NULL)
    {
      send_started (run, request, correlation_id);
      send_standing (run);
      *up_to_date = TRUE;
      return summary;
    }
  if (!_syn_engine_load_stored (run, error))
    return NULL;
  timing (run, "load");
  send_started (run, request, correlation_id);
  if (!_syn_engine_derive_since_mark (run, error))
    return NULL;
  timing (run, run->incremental ? "derive (incremental)" : "derive");
  if (!_syn_engine_apply (run, error))
    return NULL;
  timing (run, "apply");
  *up_to_date = !run_changed_anything (run);
  return build_summary (run);
}

/* Finish: BATCH_COMPLETED and the commit when something changed, otherwise
 * nothing persists (a preview, or nothing to do); the execution recorded
 * either way. On a failed commit the batch is gone (*committing set). */
static gboolean
run_finish (SynEngineRun *run, JsonObject *request, JsonObject *summary, gboolean up_to_date, const char *correlation_id,
            gint64 started_at, gint64 t0, gboolean *committing, GError **error)
{
  if (run->dry_run || up_to_date)
    {
      syn_batch_abandon (run->batch);
      record_execution (run, request, NULL, run->dry_run ? "preview" : "up_to_date", summary, NULL, started_at);
      return TRUE;
    }
  {
    JsonObject *payload = json_object_new ();
    g_autoptr(SynEvent) event = NULL;

    json_object_set_string_member (payload, "execution_id", run->execution_id);
    json_object_set_object_member (payload, "summary", json_object_ref (summary));
    json_object_set_int_member (payload, "passes", run->passes);
    json_object_set_int_member (payload, "duration_ms", (g_get_monotonic_time () - t0) / 1000);
    if (!(event = syn_batch_emit (run->batch, SYN_EVENT_BATCH_COMPLETED, SYN_AGGREGATE_BATCH, correlation_id,
                                  syn_json_node_new_object (payload), NULL, NULL, NULL, error)))
      return FALSE;
  }
  record_execution (run, request, correlation_id, "completed", summary, NULL, started_at);
  *committing = TRUE;
  if (!syn_batch_commit (run->batch, error))
    {
      record_execution (run, request, NULL, "failed", NULL, (*error)->message, started_at);
      return FALSE;
    }
  return TRUE;
}

/* The COMPLETED message (@type) or the answer (@mode) */
static JsonObject *
run_answer (SynEngineRun *run, const char *type, const char *correlation_id, const char *status,
            JsonObject *summary, gint64 t0)
{
  JsonObject *answer = json_object_new ();

  if (type != NULL)
    json_object_set_string_member (answer, "type", type);
  json_object_set_string_member (answer, "execution_id", run->execution_id);
  syn_json_set_string_or_null (answer, "correlation_id", correlation_id);
  json_object_set_string_member (answer, "status", status);
  json_object_set_int_member (answer, "duration_ms", (g_get_monotonic_time () - t0) / 1000);
  json_object_set_object_member (answer, "summary", json_object_ref (summary));
  if (type == NULL)
    json_object_set_string_member (answer, "mode", run->dry_run ? "dry_run" : "execute");
  return answer;
}

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
  g_autoptr(JsonObject) summary = NULL;
  g_autofree char *lock_key = NULL;
  g_autofree char *correlation_id = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *project_id, *status;
  gint64 started_at = syn_time_now_usec ();
  gint64 t0 = g_get_monotonic_time ();
  JsonObject *answer;
  gboolean up_to_date = FALSE, committing = FALSE, began = FALSE;

  g_return_val_if_fail (SYN_IS_RULE_ENGINE (self), NULL);
  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (!check_request (request, &project_id, error))
    return NULL;

  _syn_engine_run_init (&run);
  run.store = store;
  run.execution_id = execution_id ? g_strdup (execution_id) : syn_uuid_new ();
  run.user_id = g_strdup (user_id);
  run.dry_run = g_strcmp0 (syn_json_get_string (request, "mode"), "dry_run") == 0;
  run.cancellable = cancellable;
  run.message_func = message;
  run.message_data = user_data;

  if ((run.project = find_project (store, project_id, &local_error)) != NULL &&
      run_begin (self, &run, &lock_key, &local_error))
    {
      /* a preview commits no batch: it names none, from STARTED to its record */
      correlation_id = run.dry_run ? NULL : g_strdup (syn_batch_get_correlation_id (run.batch));
      began = TRUE;
      if (started != NULL)
        started (run.execution_id, correlation_id, user_data);
      if ((summary = run_passes (&run, request, correlation_id, &up_to_date, &local_error)) != NULL &&
          !run_finish (&run, request, summary, up_to_date, correlation_id, started_at, t0, &committing, &local_error))
        g_clear_pointer (&summary, json_object_unref);
    }
  if (summary == NULL && run.batch != NULL && !committing)
    {
      syn_batch_abandon (run.batch);
      record_execution (&run, request, NULL,
                        g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled" : "failed",
                        NULL, local_error->message, started_at);
    }
  if (lock_key != NULL)
    release_project (lock_key);

  if (summary == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        send_end_error (&run, "Execution cancelled: nothing was committed", "cancelled");
      else if (began)
        send_end_error (&run, local_error->message, "failed");
      g_propagate_error (error, g_steal_pointer (&local_error));
      _syn_engine_run_clear (&run);
      return NULL;
    }

  status = run.dry_run ? "preview" : up_to_date ? "up_to_date" : "completed";
  if (!run.dry_run)
    write_mark (&run, summary);
  if (run.dry_run || up_to_date)
    g_clear_pointer (&correlation_id, g_free);

  run.progress = 100;
  _syn_engine_send_progress (&run);
  _syn_engine_send (&run, run_answer (&run, "COMPLETED", correlation_id, status, summary, t0));
  answer = run_answer (&run, NULL, correlation_id, status, summary, t0);
  _syn_engine_run_clear_later (&run);
  return syn_json_node_new_object (answer);
}

/* Whether @project_id is up to date with its rules, and per rule what a run
 * would create, update and retract, how many outputs a person holds and how
 * many findings it would record: {project_id, up_to_date, rules: [{rule_id,
 * rule_name, create, update, retract, held, findings}], summary, duration_ms}.
 * Reads only (one read transaction where the store has one); writes nothing. */
static JsonNode *
status_with (SynStore *store, const char *project_id, SynRule *candidate, GError **error)
{
  SynEngineRun run = { 0 };
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) summary = NULL;
  gint64 t0 = g_get_monotonic_time ();
  JsonObject *report;

  _syn_engine_run_init (&run);
  run.store = store;
  run.candidate = candidate;
  run.dry_run = TRUE;
  timing (&run, NULL);
  json_object_set_string_member (request, "project_id", project_id);
  if (!(run.project = find_project (store, project_id, error)) ||
      !_syn_engine_load_rules (&run, request, error) || !mark_holds (&run, &summary, error))
    {
      _syn_engine_run_clear (&run);
      return NULL;
    }
  if (summary != NULL)
    {
      /* nothing changed since a run found or made it so */
      report = json_object_new ();
      json_object_set_boolean_member (report, "up_to_date", TRUE);
      json_object_set_array_member (report, "rules", json_array_new ());
      json_object_set_array_member (report, "out_of_date", json_array_new ());
      _syn_engine_report_held (&run, json_object_get_array_member (report, "rules"), FALSE);
      json_object_set_string_member (report, "project_id", run.project->id);
      json_object_set_object_member (report, "summary", g_steal_pointer (&summary));
      json_object_set_int_member (report, "duration_ms", (g_get_monotonic_time () - t0) / 1000);
      _syn_engine_run_clear (&run);
      return syn_json_node_new_object (report);
    }
  if (!_syn_engine_load_stored (&run, error))
    {
      _syn_engine_run_clear (&run);
      return NULL;
    }
  timing (&run, "load");
  if (!_syn_engine_derive_since_mark (&run, error))
    {
      _syn_engine_run_clear (&run);
      return NULL;
    }
  timing (&run, run.incremental ? "derive (incremental)" : "derive");
  report = _syn_engine_plan_report (&run);
  if (run.incremental)
    _syn_engine_report_held (&run, json_object_get_array_member (report, "rules"), TRUE);
  timing (&run, "plan");
  summary = build_summary (&run);
  json_object_set_string_member (report, "project_id", run.project->id);
  json_object_set_object_member (report, "summary", json_object_ref (summary));
  json_object_set_int_member (report, "duration_ms", (g_get_monotonic_time () - t0) / 1000);
  _syn_engine_run_clear_later (&run);
  return syn_json_node_new_object (report);
}

JsonNode *
syn_rule_engine_status (SynStore *store, const char *project_id, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return status_with (store, project_id, NULL, error);
}

/* What saving @rule would do to @project_id: the status (as above) with
 * @rule in place of the stored rule of its id (or added), writing nothing. */
JsonNode *
syn_rule_engine_preview_rule (SynStore *store, const char *project_id, SynRule *rule, GError **error)
{
  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (SYN_IS_RULE (rule), NULL);

  return status_with (store, project_id, rule, error);
}

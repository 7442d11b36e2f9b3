/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-evaluator.c: derive: the project as the rules make it from its sources, in passes to a fixpoint, in memory. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "syn-derivation.h"
#include "syn-rule-engine-private.h"

/* ------------------------------------------------------------------------- */
/* Pairs, scope, changes and dependencies                                    */

static void
pair_free (SynPair *pair)
{
  g_free (pair->key);
  g_free (pair->rule_id);
  g_free (pair->source_id);
  g_free (pair->source_tag);
  g_free (pair->inputs);
  g_clear_pointer (&pair->findings, json_array_unref);
  g_free (pair->digest);
  g_clear_pointer (&pair->deps, g_ptr_array_unref);
  g_free (pair);
}

void
_syn_engine_pair_free (gpointer pair)
{
  pair_free (pair);
}

SynPair *
_syn_engine_pair (SynEngineRun *run, const char *rule_id, const char *source_id)
{
  g_autofree char *key = syn_rule_pair_key (rule_id, source_id);
  SynPair *pair = g_hash_table_lookup (run->pairs, key);
  gpointer index;

  if (pair != NULL)
    return pair;
  pair = g_new0 (SynPair, 1);
  pair->key = g_steal_pointer (&key);
  pair->rule_id = g_strdup (rule_id);
  pair->source_id = g_strdup (source_id);
  pair->rule_index = G_MAXUINT;
  if ((index = g_hash_table_lookup (run->rule_index, rule_id)) != NULL)
    {
      pair->rule_index = GPOINTER_TO_UINT (index) - 1;
      pair->rule = g_ptr_array_index (run->rules, pair->rule_index);
    }
  else
    for (guint i = 0; i < run->all_rules->len; i++)
      if (g_strcmp0 (((SynRule *) run->all_rules->pdata[i])->id, rule_id) == 0)
        pair->rule = g_ptr_array_index (run->all_rules, i);
  g_hash_table_insert (run->pairs, pair->key, pair);
  return pair;
}

static gboolean
rule_in_scope (SynEngineRun *run, const char *rule_id)
{
  return run->any_rule_in_scope || g_hash_table_contains (run->rules_in_scope, rule_id);
}

gboolean
_syn_engine_asset_in_scope (SynEngineRun *run, const char *asset_id)
{
  SynAsset *asset;

  if (run->asset_ids == NULL && run->asset_types == NULL)
    return TRUE;
  if (run->asset_ids != NULL && run->asset_scope == NULL)
    {
      run->asset_scope = g_hash_table_new (g_str_hash, g_str_equal);
      for (char **id = run->asset_ids; *id; id++)
        g_hash_table_add (run->asset_scope, *id);
    }
  if (run->asset_ids != NULL && g_hash_table_contains (run->asset_scope, asset_id))
    return TRUE;
  asset = syn_rule_world_get_asset (run->stored, asset_id);
  return run->asset_types != NULL && asset != NULL &&
         g_strv_contains ((const char * const *) run->asset_types, asset->type);
}

/* Whether this run re-derives what @rule_id derives from @source_id. */
gboolean
_syn_engine_pair_in_scope (SynEngineRun *run, const char *rule_id, const char *source_id)
{
  return rule_in_scope (run, rule_id) && _syn_engine_asset_in_scope (run, source_id);
}

/* The derived project changed at @kind:@key, in the current evaluation. */
void
_syn_engine_changed (SynEngineRun *run, const char *kind, const char *key)
{
  char *full;

  if (key == NULL)
    return;
  run->change_count++;
  full = g_strconcat (kind, ":", key, NULL);
  /* only an asset's own change schedules by itself; any other key matters
   * to the pairs that read it, and a pair that reads it later sees it */
  if (strcmp (kind, "asset") != 0 && !g_hash_table_contains (run->dependents, full))
    {
      g_free (full);
      return;
    }
  g_hash_table_replace (run->change_ticks, full, GSIZE_TO_POINTER ((gsize) run->tick));
  g_hash_table_add (run->changed_this_pass, g_strdup (full));
}

/* The current evaluation read @kind:@key (beyond its source). */
void
_syn_engine_depends (SynEngineRun *run, const char *kind, const char *key)
{
  SynPair *pair = run->current;
  g_autofree char *full = NULL;
  GPtrArray *list;

  if (pair == NULL || key == NULL)
    return;
  full = g_strconcat (kind, ":", key, NULL);
  list = g_hash_table_lookup (run->dependents, full);
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (run->dependents, g_strdup (full), list);
    }
  if (list->len == 0 || g_ptr_array_index (list, list->len - 1) != pair)
    g_ptr_array_add (list, pair);
  if (pair->deps == NULL)
    pair->deps = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (pair->deps, g_steal_pointer (&full));
}

/* ------------------------------------------------------------------------- */
/* Progress: derive fills 0-20 %, apply the rest                             */

void
_syn_engine_update_progress (SynEngineRun *run, double fraction)
{
  guint value = (guint) (CLAMP (fraction, 0, 1) * 99);

  if (value > run->progress)
    run->progress = MIN (value, 99);
}

void
_syn_engine_send_progress (SynEngineRun *run)
{
  JsonObject *m = json_object_new ();

  json_object_set_string_member (m, "type", "PROGRESS");
  json_object_set_int_member (m, "progress", run->progress);
  /* 100 only once the run is through: then every rule is done, whether it
   * had anything to evaluate or not (an up-to-date run evaluates none) */
  json_object_set_int_member (m, "rules_completed", run->progress >= 100 ? run->rules_total
                              : MIN (g_hash_table_size (run->rules_evaluated), run->rules_total));
  json_object_set_int_member (m, "rules_total", run->rules_total);
  json_object_set_int_member (m, "actions_completed", run->actions_taken);
  json_object_set_int_member (m, "errors", run->errors);
  _syn_engine_send (run, m);
}

/* ------------------------------------------------------------------------- */
/* The rules' asset types                                                    */

gboolean
_syn_engine_rule_takes_type (SynRule *rule, const char *type)
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
  return strcmp ((*(SynAsset **) a)->tag, (*(SynAsset **) b)->tag);
}

/* ------------------------------------------------------------------------- */
/* The derived project's starting point                                      */

/* The stored project without what this run re-derives: the outputs of the
 * rules in scope (assets, cables, edges they made; values they laid over
 * assets). Everything else is shared with the stored project, unchanged. */
static void
start_derived (SynEngineRun *run)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) layered = g_ptr_array_new ();

  run->derived = syn_rule_world_new ();
  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynAsset *asset = value;
      const char *rule_id = syn_derivation_get_rule_id (asset->derivation);

      if (rule_id != NULL && _syn_engine_pair_in_scope (run, rule_id, syn_derivation_get_source (asset->derivation)))
        continue;
      syn_rule_world_add_asset (run->derived, asset, FALSE);
      if (syn_derivation_get_layers (asset->derivation) != NULL)
        g_ptr_array_add (layered, asset);
    }
  for (guint i = 0; i < layered->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (layered, i);
      JsonObject *layers = syn_derivation_get_layers (asset->derivation);
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();
      JsonObjectIter layer_iter;
      const char *key;
      JsonNode *node;

      json_object_iter_init (&layer_iter, layers);
      while (json_object_iter_next (&layer_iter, &key, &node))
        {
          const char *rule_id = JSON_NODE_HOLDS_OBJECT (node)
                                ? syn_json_get_string (json_node_get_object (node), "rule_id") : NULL;

          if (rule_id != NULL && _syn_engine_pair_in_scope (run, rule_id, asset->id))
            g_ptr_array_add (keys, (gpointer) key);
        }
      if (keys->len > 0)
        {
          SynAsset *copy = syn_rule_world_writable_asset (run->derived, asset->id);

          for (guint k = 0; k < keys->len; k++)
            syn_derivation_unlay (copy, g_ptr_array_index (keys, k));
        }
    }

  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynCable *cable = value;
      const char *rule_id = syn_derivation_get_rule_id (cable->derivation);

      if (rule_id == NULL || !_syn_engine_pair_in_scope (run, rule_id, syn_derivation_get_source (cable->derivation)))
        syn_rule_world_add_cable (run->derived, cable, FALSE);
    }
  g_hash_table_iter_init (&iter, syn_rule_world_edges (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynEdge *edge = value;
      const char *rule_id = syn_derivation_get_rule_id (edge->derivation);

      if (rule_id == NULL || !_syn_engine_pair_in_scope (run, rule_id, syn_derivation_get_source (edge->derivation)))
        syn_rule_world_add_edge (run->derived, edge, FALSE);
    }
}

/* What still points at an asset that is gone goes too (an edge or a cable a
 * person made to a motor the rules took back, say): as a manual delete does. */
static void
sweep_dangling (SynEngineRun *run)
{
  g_autoptr(GPtrArray) edges = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cables = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, syn_rule_world_edges (run->derived));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynEdge *edge = value;

      if (!syn_rule_world_get_asset (run->derived, edge->source_asset_id) ||
          !syn_rule_world_get_asset (run->derived, edge->target_asset_id))
        g_ptr_array_add (edges, g_strdup (edge->id));
    }
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->derived));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynCable *cable = value;

      if ((cable->to_asset_id && !syn_rule_world_get_asset (run->derived, cable->to_asset_id)) ||
          (cable->from_asset_id && !syn_rule_world_get_asset (run->derived, cable->from_asset_id)))
        g_ptr_array_add (cables, g_strdup (cable->id));
    }
  for (guint i = 0; i < edges->len; i++)
    syn_rule_world_remove_edge (run->derived, g_ptr_array_index (edges, i));
  for (guint i = 0; i < cables->len; i++)
    syn_rule_world_remove_cable (run->derived, g_ptr_array_index (cables, i));
}

/* ------------------------------------------------------------------------- */
/* Passes                                                                    */

static SynRuleCounts *
pass_counts (SynEngineRun *run, SynRule *rule)
{
  g_autofree char *key = g_strdup_printf ("%u\x1f%s", run->pass, rule->id);
  SynRuleCounts *counts = g_hash_table_lookup (run->pass_rule_counts, key);

  if (counts == NULL)
    {
      counts = g_new0 (SynRuleCounts, 1);
      g_hash_table_insert (run->pass_rule_counts, g_steal_pointer (&key), counts);
    }
  return counts;
}

static gboolean
evaluate (SynEngineRun *run, SynRule *rule, SynAsset *source, GError **error)
{
  SynPair *pair = _syn_engine_pair (run, rule->id, source->id);
  gboolean first = !pair->evaluated;
  guint64 changes_before = run->change_count;
  guint64 tick;

  run->tick++;
  tick = run->tick;
  pair->eval_tick = tick;
  if (!_syn_engine_evaluate_pair (run, pair, rule, source, error))
    return FALSE;
  g_hash_table_add (run->rules_evaluated, g_strdup (rule->id));
  g_hash_table_add (run->assets_evaluated, g_strdup (source->id));
  pass_counts (run, rule)->processed++;
  {
    gboolean changed = run->change_count != changes_before;

    if (changed && !pair->changed)
      {
        pair->changed = TRUE;
        pair->pass = run->pass;
      }
    else if (first && !pair->changed)
      pair->pass = run->pass;
  }
  return TRUE;
}

/* Per rule, the sources to evaluate in the next pass: every source whose
 * own value changed after the rule last read it (new assets included), and
 * every pair whose other reads (a child, a tag, an area) changed after. */
static GPtrArray **
schedule_next (SynEngineRun *run)
{
  GPtrArray **next = g_new0 (GPtrArray *, run->rules->len + 1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  gboolean any = FALSE;

  for (guint r = 0; r < run->rules->len; r++)
    next[r] = g_ptr_array_new ();
  /* assets for now (to sort by tag); ids by the end: evaluation replaces objects */

  g_hash_table_iter_init (&iter, run->changed_this_pass);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint64 tick = GPOINTER_TO_SIZE (g_hash_table_lookup (run->change_ticks, key));
      GPtrArray *dependents = g_hash_table_lookup (run->dependents, key);

      if (g_str_has_prefix (key, "asset:"))
        {
          const char *id = (const char *) key + strlen ("asset:");
          SynAsset *asset = syn_rule_world_get_asset (run->derived, id);

          for (guint r = 0; asset != NULL && r < run->rules->len; r++)
            {
              SynRule *rule = g_ptr_array_index (run->rules, r);
              g_autofree char *pair_key = NULL;
              SynPair *pair;

              if (!_syn_engine_rule_takes_type (rule, asset->type))
                continue;
              pair_key = syn_rule_pair_key (rule->id, id);
              pair = g_hash_table_lookup (run->pairs, pair_key);
              if ((pair == NULL || pair->eval_tick < tick) && g_hash_table_add (seen, g_steal_pointer (&pair_key)))
                g_ptr_array_add (next[r], asset);
            }
        }
      for (guint i = 0; dependents != NULL && i < dependents->len; i++)
        {
          SynPair *pair = g_ptr_array_index (dependents, i);
          SynAsset *asset;

          if (pair->eval_tick >= tick || pair->rule_index == G_MAXUINT ||
              !(asset = syn_rule_world_get_asset (run->derived, pair->source_id)))
            continue;
          if (g_hash_table_add (seen, g_strdup (pair->key)))
            g_ptr_array_add (next[pair->rule_index], asset);
        }
    }
  for (guint r = 0; r < run->rules->len; r++)
    {
      g_ptr_array_sort (next[r], compare_assets_by_tag);
      for (guint i = 0; i < next[r]->len; i++)
        next[r]->pdata[i] = g_strdup (((SynAsset *) next[r]->pdata[i])->id);
      g_ptr_array_set_free_func (next[r], g_free);
      any = any || next[r]->len > 0;
    }
  if (!any)
    {
      for (guint r = 0; r < run->rules->len; r++)
        g_ptr_array_unref (next[r]);
      g_free (next);
      return NULL;
    }
  return next;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static char *
cycle_rules (SynEngineRun *run)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, run->pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynPair *pair = value;

      if (pair->evaluated && pair->eval_tick > 0 && pair->rule != NULL && pair->changed &&
          g_hash_table_add (names, pair->rule_id))
        g_ptr_array_add (list, pair->rule_id);
    }
  g_ptr_array_sort (list, compare_strings);
  g_ptr_array_add (list, NULL);
  return g_strjoinv (", ", (char **) list->pdata);
}

/* Runs every rule in scope over the sources, then over what changed, until
 * a pass changes nothing; the derived project is then what the rules make. */
gboolean
_syn_engine_derive (SynEngineRun *run, GError **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();
  GPtrArray **next = NULL;
  GHashTableIter iter;
  gpointer value;
  guint total_work = 0, done = 0;

  start_derived (run);

  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->derived));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (_syn_engine_asset_in_scope (run, ((SynAsset *) value)->id))
      g_ptr_array_add (sources, value);
  /* a stable order (by tag) makes runs reproducible; then ids, as objects get replaced */
  g_ptr_array_sort (sources, compare_assets_by_tag);
  for (guint i = 0; i < sources->len; i++)
    sources->pdata[i] = g_strdup (((SynAsset *) sources->pdata[i])->id);
  g_ptr_array_set_free_func (sources, g_free);

  for (run->pass = 1; ; run->pass++)
    {
      g_hash_table_remove_all (run->changed_this_pass);
      if (run->pass > SYN_ENGINE_MAX_PASSES)
        {
          g_autofree char *rules = cycle_rules (run);

          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CYCLE,
                       "Rules did not settle after %d passes: a cycle among rules %s, each undoing or "
                       "redoing what another does; nothing was committed",
                       SYN_ENGINE_MAX_PASSES, rules);
          goto fail;
        }
      for (guint r = 0; r < run->rules->len; r++)
        {
          SynRule *rule = g_ptr_array_index (run->rules, r);
          GPtrArray *list = next ? next[r] : sources;
          /* the ones this rule reads, as they are now */
          g_autoptr(GPtrArray) mine = g_ptr_array_new ();

          for (guint i = 0; i < list->len; i++)
            {
              SynAsset *asset = syn_rule_world_get_asset (run->derived, g_ptr_array_index (list, i));

              if (asset != NULL && (next != NULL || _syn_engine_rule_takes_type (rule, asset->type)))
                g_ptr_array_add (mine, g_ptr_array_index (list, i));
            }
          if (run->pass == 1)
            total_work += mine->len;
          for (guint i = 0; i < mine->len; i++)
            {
              SynAsset *source = syn_rule_world_get_asset (run->derived, g_ptr_array_index (mine, i));

              if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
                goto fail;
              /* gone since (taken back with what it came from), or no longer of its type */
              if (source == NULL || !_syn_engine_rule_takes_type (rule, source->type))
                continue;
              if (!evaluate (run, rule, source, error))
                goto fail;
              if (run->pass == 1 && total_work > 0 && (++done % 256) == 0)
                {
                  guint before = run->progress;

                  _syn_engine_update_progress (run, 0.2 * done / MAX (total_work, 1));
                  if (run->progress > before)
                    _syn_engine_send_progress (run);
                }
            }
        }
      if (next != NULL)
        {
          for (guint r = 0; r < run->rules->len; r++)
            g_ptr_array_unref (next[r]);
          g_clear_pointer (&next, g_free);
        }
      next = schedule_next (run);
      if (next == NULL)
        break;
    }
  run->passes = run->pass;
  sweep_dangling (run);
  _syn_engine_update_progress (run, 0.2);
  return TRUE;

fail:
  if (next != NULL)
    {
      for (guint r = 0; r < run->rules->len; r++)
        g_ptr_array_unref (next[r]);
      g_free (next);
    }
  return FALSE;
}

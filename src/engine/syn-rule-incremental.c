/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-incremental.c: a rerun after property edits re-derives only what they touch, or gives way to a whole derive. */
#include "config.h"

#include <string.h>

#include "syn-rule-engine-private.h"

/* Past this share of the project a whole derive costs about the same. */
#define INCREMENTAL_MAX_SHARE 4
#define EVENTS_PAGE 4096

/* An event after the mark that a rerun can follow source by source: a
 * change of an asset's properties (or of its record: a person's hold, a
 * reset). A tag, type or area changes what other rules find by name or
 * place; anything else (creations, deletions, imports, rule changes,
 * rollbacks) the whole derive handles. */
static gboolean
followable (SynEvent *event)
{
  JsonObject *payload, *diff;
  JsonObjectIter iter;
  const char *member;

  if (g_strcmp0 (event->event_type, SYN_EVENT_ASSET_UPDATED) != 0 || event->aggregate_id == NULL ||
      event->payload == NULL || !JSON_NODE_HOLDS_OBJECT (event->payload))
    return FALSE;
  payload = json_node_get_object (event->payload);
  if (!json_object_has_member (payload, "diff") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "diff")))
    return FALSE;
  diff = json_object_get_object_member (payload, "diff");
  json_object_iter_init (&iter, diff);
  while (json_object_iter_next (&iter, &member, NULL))
    if (strcmp (member, "properties") != 0 && strcmp (member, "derivation") != 0)
      return FALSE;
  return TRUE;
}

static void
add_with_parents (SynEngineRun *run, GHashTable *seeds, const char *id)
{
  SynAsset *asset = syn_rule_world_get_asset (run->stored, id);
  GPtrArray *edges;

  if (asset == NULL)
    return;
  g_hash_table_add (seeds, asset->id);
  /* the pair that made it, and the pairs that read it as a child load */
  if (syn_derivation_get_source (asset->derivation) != NULL &&
      syn_rule_world_get_asset (run->stored, syn_derivation_get_source (asset->derivation)) != NULL)
    g_hash_table_add (seeds, syn_rule_world_get_asset (run->stored, syn_derivation_get_source (asset->derivation))->id);
  edges = syn_rule_world_edges_of (run->stored, id);
  for (guint i = 0; edges != NULL && i < edges->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (edges, i);

      if (g_strcmp0 (edge->source_asset_id, id) == 0 &&
          syn_rule_world_get_asset (run->stored, edge->target_asset_id) != NULL)
        g_hash_table_add (seeds, syn_rule_world_get_asset (run->stored, edge->target_asset_id)->id);
    }
}

/* When the project was up to date at the mark and only followable events
 * came since, the run's sources are the assets they changed, the sources of
 * those and the assets that read them, and everything the rules made from
 * any of these, transitively: an asset filter the rest of the run honours. */
static gboolean
plan_incremental (SynEngineRun *run, GError **error)
{
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) scope = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) outputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GQueue) queue = g_queue_new ();
  guint limit = MAX (g_hash_table_size (syn_rule_world_assets (run->stored)) / INCREMENTAL_MAX_SHARE, 1);
  gint64 after = run->mark_position;
  GHashTableIter iter;
  gpointer key, value;
  GPtrArray *ids;

  if (run->mark_position < 0 || run->mark_standing == NULL || run->asset_ids != NULL)
    return TRUE;
  for (;;)
    {
      g_autoptr(GPtrArray) page = syn_store_list_events_after (run->store, run->project->id, after, EVENTS_PAGE, error);

      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          SynEvent *event = g_ptr_array_index (page, i);

          after = event->position;
          if (!followable (event))
            return TRUE;
          g_hash_table_add (changed, g_strdup (event->aggregate_id));
        }
      if (g_hash_table_size (changed) > limit)
        return TRUE;
      if (page->len < EVENTS_PAGE)
        break;
    }
  if (g_hash_table_size (changed) == 0)
    return TRUE;

  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    add_with_parents (run, scope, key);

  /* everything the rules made from the scope, transitively */
  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynAsset *asset = value;
      const char *source = syn_derivation_get_source (asset->derivation);
      GPtrArray *list;

      if (source == NULL)
        continue;
      if (!(list = g_hash_table_lookup (outputs, source)))
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (outputs, (gpointer) source, list);
        }
      g_ptr_array_add (list, asset->id);
    }
  g_hash_table_iter_init (&iter, scope);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_queue_push_tail (queue, key);
  while (!g_queue_is_empty (queue))
    {
      GPtrArray *made = g_hash_table_lookup (outputs, g_queue_pop_head (queue));

      for (guint i = 0; made != NULL && i < made->len; i++)
        if (g_hash_table_add (scope, made->pdata[i]))
          g_queue_push_tail (queue, made->pdata[i]);
    }
  if (g_hash_table_size (scope) > limit)
    return TRUE;

  ids = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, scope);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  g_ptr_array_add (ids, NULL);
  run->asset_ids = (char **) g_ptr_array_free (ids, FALSE);
  run->incremental = TRUE;
  return TRUE;
}

static gboolean
same_text (const char *a, const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

/* Whether what the run re-derived stayed within its scope: no asset, cable
 * or edge made or taken back, no tag, type or area changed (what other
 * pairs find by name or place), and every asset that changed read by pairs
 * of the scope only. Otherwise pairs outside it might now decide otherwise. */
static gboolean
incremental_holds (SynEngineRun *run)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (syn_rule_world_assets (run->derived)) != g_hash_table_size (syn_rule_world_assets (run->stored)) ||
      g_hash_table_size (syn_rule_world_cables (run->derived)) != g_hash_table_size (syn_rule_world_cables (run->stored)) ||
      g_hash_table_size (syn_rule_world_edges (run->derived)) != g_hash_table_size (syn_rule_world_edges (run->stored)))
    return FALSE;

  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynAsset *stored = value;
      SynAsset *derived = syn_rule_world_get_asset (run->derived, stored->id);
      GPtrArray *edges;

      if (derived == NULL)
        return FALSE;
      if (derived == stored || _syn_engine_assets_equal (stored, derived))
        continue;
      if (!same_text (stored->tag, derived->tag) || !same_text (stored->type, derived->type) ||
          !same_text (stored->area, derived->area))
        return FALSE;
      edges = syn_rule_world_edges_of (run->stored, stored->id);
      for (guint i = 0; edges != NULL && i < edges->len; i++)
        {
          SynEdge *edge = g_ptr_array_index (edges, i);

          if (g_strcmp0 (edge->source_asset_id, stored->id) == 0 &&
              !_syn_engine_asset_in_scope (run, edge->target_asset_id))
            return FALSE;
        }
    }
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynCable *stored = value;
      SynCable *derived = syn_rule_world_get_cable (run->derived, stored->id);

      if (derived == NULL || !same_text (stored->tag, derived->tag) ||
          !same_text (stored->from_asset_id, derived->from_asset_id) ||
          !same_text (stored->to_asset_id, derived->to_asset_id))
        return FALSE;
    }
  g_hash_table_iter_init (&iter, syn_rule_world_edges (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (syn_rule_world_get_edge (run->derived, ((SynEdge *) value)->id) == NULL)
      return FALSE;
  return TRUE;
}

/* The @i-th entry of a standing list (a message the run sent, with how it
 * counts), and the pair it stands on; NULL when it names no pair. */
static JsonObject *
standing_entry (JsonArray *standing, guint i, const char **rule_id, const char **asset_id)
{
  JsonNode *node = json_array_get_element (standing, i);
  JsonObject *entry;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  entry = json_node_get_object (node);
  *rule_id = syn_json_get_string (entry, "rule_id");
  *asset_id = syn_json_get_string (entry, "asset_id");
  return *rule_id != NULL && *asset_id != NULL ? entry : NULL;
}

/* Sends a standing entry again, as the ERROR message it was. */
void
_syn_engine_send_standing (SynEngineRun *run, JsonObject *entry)
{
  JsonObject *message = syn_json_object_copy (entry);

  if (json_object_has_member (message, "counts_as"))
    json_object_remove_member (message, "counts_as");
  _syn_engine_send (run, message);
}

/* The findings that stand on pairs this run did not re-derive, reported and
 * counted as the run that found them did. */
static void
carry_standing (SynEngineRun *run)
{
  guint n = run->mark_standing ? json_array_get_length (run->mark_standing) : 0;

  for (guint i = 0; i < n; i++)
    {
      const char *rule_id, *asset_id;
      JsonObject *entry = standing_entry (run->mark_standing, i, &rule_id, &asset_id);

      if (entry == NULL || _syn_engine_pair_in_scope (run, rule_id, asset_id))
        continue;
      if (g_strcmp0 (syn_json_get_string (entry, "counts_as"), "warning") == 0)
        run->warnings++;
      else
        run->errors++;
      if (run->standing == NULL)
        run->standing = json_array_new ();
      json_array_add_object_element (run->standing, syn_json_object_copy (entry));
      _syn_engine_send_standing (run, entry);
    }
}

/* The derive of a run or a status: over what changed since the mark when
 * that is all that changed, otherwise over the whole project. */
gboolean
_syn_engine_derive_since_mark (SynEngineRun *run, GError **error)
{
  if (!plan_incremental (run, error) || !_syn_engine_derive (run, error))
    return FALSE;
  if (run->incremental && !incremental_holds (run))
    {
      /* what changed reaches further than a few sources: derive it all */
      g_debug ("Incremental run of %s over %u sources gave way to a whole derive", run->project->id,
               g_strv_length (run->asset_ids));
      _syn_engine_reset_derive (run);
      g_clear_pointer (&run->asset_scope, g_hash_table_unref);
      g_clear_pointer (&run->asset_ids, g_strfreev);
      run->incremental = FALSE;
      return _syn_engine_derive (run, error);
    }
  if (run->incremental)
    {
      g_debug ("Incremental run of %s over %u sources", run->project->id, g_strv_length (run->asset_ids));
      carry_standing (run);
    }
  return TRUE;
}

static JsonObject *
rule_entry (SynEngineRun *run, JsonArray *rules, const char *rule_id)
{
  JsonObject *o;

  for (guint i = 0; i < json_array_get_length (rules); i++)
    if (g_strcmp0 (syn_json_get_string (json_array_get_object_element (rules, i), "rule_id"), rule_id) == 0)
      return json_array_get_object_element (rules, i);
  o = json_object_new ();
  json_object_set_string_member (o, "rule_id", rule_id);
  json_object_set_null_member (o, "rule_name");
  for (guint i = 0; run->all_rules != NULL && i < run->all_rules->len; i++)
    if (g_strcmp0 (((SynRule *) run->all_rules->pdata[i])->id, rule_id) == 0)
      json_object_set_string_member (o, "rule_name", ((SynRule *) run->all_rules->pdata[i])->name);
  for (const char * const *m = (const char * const[]) { "create", "update", "retract", "held", "findings", NULL };
       *m; m++)
    json_object_set_int_member (o, *m, 0);
  json_array_add_object_element (rules, o);
  return o;
}

/* Status's per-rule "held" for the values a person holds that this derive
 * did not look at (all of them when it did not derive, @out_of_scope
 * FALSE): as the mark's standing findings tell. */
void
_syn_engine_report_held (SynEngineRun *run, JsonArray *rules, gboolean out_of_scope)
{
  guint n = run->mark_standing ? json_array_get_length (run->mark_standing) : 0;
  JsonArray *standing = run->mark_standing;

  /* the shortcut keeps them in @standing */
  if (!out_of_scope && run->standing != NULL)
    {
      standing = run->standing;
      n = json_array_get_length (standing);
    }
  for (guint i = 0; i < n; i++)
    {
      const char *rule_id, *asset_id;
      JsonObject *entry = standing_entry (standing, i, &rule_id, &asset_id);
      JsonObject *o;

      if (entry == NULL || g_strcmp0 (syn_json_get_string (entry, "counts_as"), "warning") != 0 ||
          (out_of_scope && _syn_engine_pair_in_scope (run, rule_id, asset_id)))
        continue;
      o = rule_entry (run, rules, rule_id);
      json_object_set_int_member (o, "held", json_object_get_int_member (o, "held") + 1);
    }
}

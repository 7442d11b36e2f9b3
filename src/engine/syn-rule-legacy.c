/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-legacy.c: derivation records for projects written before they existed, inferred from the events once. */
#include "config.h"

#include <string.h>

#include "syn-rule-engine-private.h"

/* What the events say about one property of one asset. */
typedef struct
{
  char     *rule_id;     /* the SET_PROPERTY rule that laid it; NULL: a person's */
  JsonNode *prior;       /* the value beneath it (NULL: none) */
  gboolean  held;        /* a person changed it after a rule laid it */
} KeyState;

static void
key_state_free (KeyState *state)
{
  g_free (state->rule_id);
  g_clear_pointer (&state->prior, json_node_unref);
  g_free (state);
}

static JsonObject *
member_object (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char * const columns[] = { "tag", "type", "description", "discipline", "area", NULL };

/* Folds one ASSET_* event into the per-asset, per-key states. */
static void
fold (GHashTable *assets, GHashTable *derived_ids, SynEvent *event)
{
  JsonObject *payload = event->payload && JSON_NODE_HOLDS_OBJECT (event->payload)
                        ? json_node_get_object (event->payload) : NULL;
  GHashTable *keys;
  JsonObject *diff, *props, *before;

  if (event->aggregate_id == NULL || payload == NULL)
    return;
  if (strcmp (event->event_type, SYN_EVENT_ASSET_CREATED) == 0 ||
      strcmp (event->event_type, SYN_EVENT_ASSET_DELETED) == 0)
    {
      g_hash_table_remove (assets, event->aggregate_id);
      return;
    }
  if (strcmp (event->event_type, SYN_EVENT_ASSET_UPDATED) != 0 || !(diff = member_object (payload, "diff")))
    return;
  keys = g_hash_table_lookup (assets, event->aggregate_id);
  if (keys == NULL)
    {
      keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) key_state_free);
      g_hash_table_insert (assets, g_strdup (event->aggregate_id), keys);
    }
  /* a person's change of a column of an asset a rule made: held */
  if (event->rule_id == NULL && g_hash_table_contains (derived_ids, event->aggregate_id))
    for (guint i = 0; columns[i]; i++)
      if (json_object_has_member (diff, columns[i]))
        {
          KeyState *state = g_new0 (KeyState, 1);

          state->held = TRUE;
          g_hash_table_replace (keys, g_strconcat ("\x01", columns[i], NULL), state);
        }
  props = member_object (diff, "properties");
  before = member_object (member_object (payload, "before"), "properties");
  if (props == NULL)
    return;
  {
    JsonObjectIter iter;
    const char *key;
    JsonNode *value;

    json_object_iter_init (&iter, props);
    while (json_object_iter_next (&iter, &key, &value))
      {
        KeyState *state = g_hash_table_lookup (keys, key);

        if (event->rule_id != NULL)
          {
            if (state == NULL || state->rule_id == NULL)
              {
                JsonNode *prior = before ? json_object_get_member (before, key) : NULL;

                state = g_new0 (KeyState, 1);
                state->prior = prior ? syn_json_node_deep_copy (prior) : NULL;
                g_hash_table_replace (keys, g_strdup (key), state);
              }
            g_free (state->rule_id);
            state->rule_id = g_strdup (event->rule_id);
            state->held = FALSE;
          }
        else if ((state != NULL && state->rule_id != NULL) || g_hash_table_contains (derived_ids, event->aggregate_id))
          {
            /* the person's value is the asset's own now, held against the rules */
            state = g_new0 (KeyState, 1);
            state->held = TRUE;
            g_hash_table_replace (keys, g_strdup (key), state);
          }
      }
  }
}

/* For a project flagged legacy, the SET_PROPERTY values and a person's holds
 * on the stored assets, as their events tell: one pass over the project's
 * events, in position order, rolled-back ones left out. What cannot be told
 * (a person's delete of a rule's output: it will be made again) is in the
 * design notes. */
gboolean
_syn_engine_infer_legacy_layers (SynEngineRun *run, GError **error)
{
  g_autoptr(GHashTable) assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_hash_table_unref);
  g_autoptr(GHashTable) derived_ids = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean legacy = FALSE;
  gint64 after = 0;
  GHashTableIter iter;
  gpointer key, value;

  if (!syn_store_is_legacy_project (run->store, run->project->id, &legacy, error))
    return FALSE;
  if (!legacy)
    return TRUE;

  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((SynAsset *) value)->created_by_rule_id != NULL)
      g_hash_table_add (derived_ids, key);

  for (;;)
    {
      g_autoptr(GPtrArray) page = syn_store_list_events_after (run->store, run->project->id, after, 4096, error);

      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          SynEvent *event = g_ptr_array_index (page, i);

          after = event->position;
          if (!event->is_rolled_back && g_strcmp0 (event->aggregate_type, SYN_AGGREGATE_ASSET) == 0)
            fold (assets, derived_ids, event);
        }
      if (page->len < 4096)
        break;
    }

  g_hash_table_iter_init (&iter, assets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SynAsset *asset = syn_rule_world_get_asset (run->stored, key);
      GHashTableIter keys;
      gpointer name, state_pointer;

      if (asset == NULL)
        continue;
      g_hash_table_iter_init (&keys, value);
      while (g_hash_table_iter_next (&keys, &name, &state_pointer))
        {
          KeyState *state = state_pointer;
          const char *k = name;

          if (state->held)
            {
              g_autofree char *field = k[0] == '\x01' ? g_strdup (k + 1)
                                                      : g_strconcat (SYN_FIELD_PROPERTY_PREFIX, k, NULL);

              syn_derivation_hold (&asset->derivation, field);
            }
          else if (state->rule_id != NULL && json_object_has_member (asset->properties, k))
            syn_derivation_set_layer (&asset->derivation, k, state->rule_id, NULL, state->prior);
        }
    }
  return TRUE;
}

static char *
record_text (JsonObject *derivation)
{
  return derivation ? syn_json_object_to_string (derivation) : NULL;
}

/* Once per legacy project, in a transaction of its own before its first run:
 * writes the records inferred from the graph and the events, and clears the
 * flag. These are bookkeeping about events that happened, not changes: no
 * event is written (and the state hash leaves records out). */
gboolean
_syn_engine_record_legacy (SynStore *store, SynProject *project, GError **error)
{
  SynEngineRun run = { 0 };
  g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  gboolean legacy = FALSE, ok = FALSE;
  GHashTableIter iter;
  gpointer value;

  if (!syn_store_is_legacy_project (store, project->id, &legacy, error))
    return FALSE;
  if (!legacy)
    return TRUE;
  if (!syn_store_begin (store, error))
    return FALSE;
  _syn_engine_run_init (&run);
  run.store = store;
  run.project = g_object_ref (project);
  if (!syn_store_lock_project (store, project->id, error) ||
      !syn_store_is_legacy_project (store, project->id, &legacy, error) ||
      !(run.all_rules = syn_store_list_rules (store, project->id, TRUE, error)))
    goto out;
  if (!legacy)
    {
      ok = TRUE;
      goto out;
    }
  if (!(assets = syn_store_list_assets (store, project->id, NULL, NULL, 0, 0, NULL, error)) ||
      !(cables = syn_store_list_cables (store, project->id, 0, 0, NULL, error)) ||
      !(edges = syn_store_list_edges (store, project->id, NULL, error)))
    goto out;
  run.stored = syn_rule_world_new ();
  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *a = g_ptr_array_index (assets, i);

      g_hash_table_insert (before, g_strconcat ("a", a->id, NULL), record_text (a->derivation));
      syn_rule_world_add_asset (run.stored, a, FALSE);
    }
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *e = g_ptr_array_index (edges, i);

      g_hash_table_insert (before, g_strconcat ("e", e->id, NULL), record_text (e->derivation));
      syn_rule_world_add_edge (run.stored, e, FALSE);
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *c = g_ptr_array_index (cables, i);

      g_hash_table_insert (before, g_strconcat ("c", c->id, NULL), record_text (c->derivation));
      syn_rule_world_add_cable (run.stored, c, FALSE);
    }
  _syn_engine_infer_origins (&run);
  if (!_syn_engine_infer_legacy_layers (&run, error))
    goto out;

  g_hash_table_iter_init (&iter, syn_rule_world_assets (run.stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynAsset *a = value;
      g_autofree char *key = g_strconcat ("a", a->id, NULL);
      g_autofree char *now = record_text (a->derivation);

      if (g_strcmp0 (now, g_hash_table_lookup (before, key)) != 0 && !syn_store_update_asset (store, a, error))
        goto out;
    }
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run.stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynCable *c = value;
      g_autofree char *key = g_strconcat ("c", c->id, NULL);
      g_autofree char *now = record_text (c->derivation);

      if (g_strcmp0 (now, g_hash_table_lookup (before, key)) != 0 && !syn_store_update_cable (store, c, error))
        goto out;
    }
  /* edges have no update: the same row again, with its record */
  g_hash_table_iter_init (&iter, syn_rule_world_edges (run.stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynEdge *e = value;
      g_autofree char *key = g_strconcat ("e", e->id, NULL);
      g_autofree char *now = record_text (e->derivation);

      if (g_strcmp0 (now, g_hash_table_lookup (before, key)) != 0 &&
          (!syn_store_delete_edge (store, project->id, e->id, error) || !syn_store_insert_edge (store, e, error)))
        goto out;
    }
  ok = syn_store_clear_legacy_project (store, project->id, error) && syn_store_commit (store, error);

out:
  if (syn_store_in_transaction (store))
    syn_store_rollback (store);
  _syn_engine_run_clear (&run);
  return ok;
}

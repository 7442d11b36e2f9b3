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

/* Which rule outputs a person deleted: the rule made them (an ASSET_ or
 * CABLE_CREATED caused by a RULE_EXECUTED naming the source), a person's
 * event deleted them, and no rule made them again after. A cable deleted
 * because an end of it was (the same batch deletes that asset) is the
 * cascade of that delete, not a wish of its own. */
typedef struct
{
  GHashTable *causes;    /* RULE_EXECUTED event id -> source asset id */
  GHashTable *made;      /* output id -> "RULE\x1fSOURCE" */
  GHashTable *remade;    /* "RULE\x1fSOURCE" -> position of its newest creation (gint64 *) */
  GHashTable *gone;      /* "CORRELATION\x1fASSET" of each asset deleted */
  GPtrArray  *deletes;   /* Delete */
} Origins;

typedef struct
{
  char   *pair;
  char   *correlation_id;
  char   *from_id, *to_id;  /* a cable's ends */
  gint64  position;
} Delete;

static void
delete_free (Delete *d)
{
  g_free (d->pair);
  g_free (d->correlation_id);
  g_free (d->from_id);
  g_free (d->to_id);
  g_free (d);
}

static void
origins_init (Origins *o)
{
  o->causes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  o->made = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  o->remade = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  o->gone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  o->deletes = g_ptr_array_new_with_free_func ((GDestroyNotify) delete_free);
}

static void
origins_clear (Origins *o)
{
  g_clear_pointer (&o->causes, g_hash_table_unref);
  g_clear_pointer (&o->made, g_hash_table_unref);
  g_clear_pointer (&o->remade, g_hash_table_unref);
  g_clear_pointer (&o->gone, g_hash_table_unref);
  g_clear_pointer (&o->deletes, g_ptr_array_unref);
}

static void
origins_fold (Origins *o, SynEvent *event)
{
  JsonObject *payload = event->payload && JSON_NODE_HOLDS_OBJECT (event->payload)
                        ? json_node_get_object (event->payload) : NULL;
  const char *type = event->event_type;
  gboolean created = strcmp (type, SYN_EVENT_ASSET_CREATED) == 0 || strcmp (type, SYN_EVENT_CABLE_CREATED) == 0;
  gboolean deleted = strcmp (type, SYN_EVENT_ASSET_DELETED) == 0 || strcmp (type, SYN_EVENT_CABLE_DELETED) == 0;

  if (payload == NULL)
    return;
  if (strcmp (type, SYN_EVENT_RULE_EXECUTED) == 0 && syn_json_get_string (payload, "source_asset_id") != NULL)
    {
      g_hash_table_replace (o->causes, g_strdup (event->id), g_strdup (syn_json_get_string (payload, "source_asset_id")));
      return;
    }
  if (event->aggregate_id == NULL)
    return;
  if (created && event->rule_id != NULL && event->causation_id != NULL)
    {
      const char *source = g_hash_table_lookup (o->causes, event->causation_id);
      gint64 *position;

      if (source == NULL)
        return;
      position = g_new (gint64, 1);
      *position = event->position;
      g_hash_table_replace (o->made, g_strdup (event->aggregate_id), g_strconcat (event->rule_id, "\x1f", source, NULL));
      g_hash_table_replace (o->remade, g_strconcat (event->rule_id, "\x1f", source, NULL), position);
    }
  else if (deleted)
    {
      const char *pair = g_hash_table_lookup (o->made, event->aggregate_id);

      if (strcmp (type, SYN_EVENT_ASSET_DELETED) == 0 && event->correlation_id != NULL)
        g_hash_table_add (o->gone, g_strconcat (event->correlation_id, "\x1f", event->aggregate_id, NULL));
      if (pair != NULL && event->rule_id == NULL)
        {
          Delete *d = g_new0 (Delete, 1);

          d->pair = g_strdup (pair);
          d->correlation_id = g_strdup (event->correlation_id);
          d->from_id = g_strdup (syn_json_get_string (payload, "from_asset_id"));
          d->to_id = g_strdup (syn_json_get_string (payload, "to_asset_id"));
          d->position = event->position;
          g_ptr_array_add (o->deletes, d);
        }
      g_hash_table_remove (o->made, event->aggregate_id);
    }
}

static gboolean
cascaded (Origins *o, Delete *d, const char *end)
{
  g_autofree char *key = NULL;

  if (end == NULL || d->correlation_id == NULL)
    return FALSE;
  key = g_strconcat (d->correlation_id, "\x1f", end, NULL);
  return g_hash_table_contains (o->gone, key);
}

/* Each pair whose output a person deleted, withheld on its source. */
static void
origins_withhold (Origins *o, SynRuleWorld *stored)
{
  for (guint i = 0; i < o->deletes->len; i++)
    {
      Delete *d = g_ptr_array_index (o->deletes, i);
      gint64 *remade = g_hash_table_lookup (o->remade, d->pair);
      const char *sep = strchr (d->pair, '\x1f');
      g_autofree char *rule_id = g_strndup (d->pair, sep - d->pair);
      SynAsset *source = syn_rule_world_get_asset (stored, sep + 1);

      if (source == NULL || (remade != NULL && *remade > d->position) ||
          cascaded (o, d, d->from_id) || cascaded (o, d, d->to_id))
        continue;
      syn_derivation_withhold (&source->derivation, rule_id);
    }
}

/* A record without what the inputs were; NULL stays NULL. */
static char *
without_fingerprints (JsonObject *derivation)
{
  g_autoptr(JsonObject) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *values;

  if (derivation == NULL)
    return NULL;
  copy = syn_json_object_copy (derivation);
  for (const char * const *m = (const char * const[]) { "inputs", "keys", NULL }; *m; m++)
    if (json_object_has_member (copy, *m))
      json_object_remove_member (copy, *m);
  if ((values = member_object (copy, "values")) != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (values);

      for (GList *l = names; l; l = l->next)
        {
          JsonObject *layer = member_object (values, l->data);

          if (layer != NULL && json_object_has_member (layer, "inputs"))
            json_object_remove_member (layer, "inputs");
        }
    }
  node = syn_json_node_new_object (g_steal_pointer (&copy));
  return syn_json_canonical (node);
}

/* An entity's JSON without its record. */
static char *
content_text (JsonNode *json)
{
  JsonObject *o = json_node_get_object (json);

  if (json_object_has_member (o, "derivation"))
    json_object_remove_member (o, "derivation");
  return syn_json_canonical (json);
}

/* Where the rules, run now, make an output exactly as stored, its record
 * takes the run's fingerprints: what the events cannot say (the inputs a
 * rule read) is what the rules read now, so the first run after the upgrade
 * writes only real changes. */
static gboolean
adopt (JsonNode *stored_json, JsonNode *derived_json, JsonObject **stored_record, JsonObject *derived_record)
{
  g_autoptr(JsonNode) a = stored_json;
  g_autoptr(JsonNode) b = derived_json;
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;
  g_autofree char *ra = NULL;
  g_autofree char *rb = NULL;

  /* the derive shares what it left as it was */
  if (*stored_record == NULL || derived_record == NULL || *stored_record == derived_record)
    return FALSE;
  sa = content_text (a);
  sb = content_text (b);
  ra = without_fingerprints (*stored_record);
  rb = without_fingerprints (derived_record);
  if (g_strcmp0 (sa, sb) != 0 || g_strcmp0 (ra, rb) != 0)
    return FALSE;
  g_clear_pointer (stored_record, json_object_unref);
  *stored_record = syn_json_object_copy (derived_record);
  return TRUE;
}

static void
adopt_fingerprints (SynEngineRun *run)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynAsset *stored = value;
      SynAsset *derived = syn_rule_world_get_asset (run->derived, stored->id);

      if (derived != NULL)
        adopt (syn_asset_to_json (stored), syn_asset_to_json (derived), &stored->derivation, derived->derivation);
    }
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynCable *stored = value;
      SynCable *derived = syn_rule_world_get_cable (run->derived, stored->id);

      if (derived != NULL)
        adopt (syn_cable_to_json (stored), syn_cable_to_json (derived), &stored->derivation, derived->derivation);
    }
  g_hash_table_iter_init (&iter, syn_rule_world_edges (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynEdge *stored = value;
      SynEdge *derived = syn_rule_world_get_edge (run->derived, stored->id);

      if (derived != NULL)
        adopt (syn_edge_to_json (stored), syn_edge_to_json (derived), &stored->derivation, derived->derivation);
    }
}

/* The fingerprints where a derive of its own, over the stored project with
 * the records inferred so far, reproduces an output exactly. */
static gboolean
adopt_from_derive (SynEngineRun *run, GError **error)
{
  SynEngineRun sub = { 0 };
  g_autoptr(JsonObject) request = json_object_new ();
  GHashTableIter iter;
  gpointer value;
  gboolean ok;

  _syn_engine_run_init (&sub);
  sub.store = run->store;
  sub.project = g_object_ref (run->project);
  json_object_set_string_member (request, "project_id", run->project->id);
  /* the same objects: what is adopted is the run's */
  sub.stored = syn_rule_world_new ();
  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    syn_rule_world_add_asset (sub.stored, value, FALSE);
  g_hash_table_iter_init (&iter, syn_rule_world_edges (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    syn_rule_world_add_edge (sub.stored, value, FALSE);
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    syn_rule_world_add_cable (sub.stored, value, FALSE);
  ok = _syn_engine_load_rules (&sub, request, error) && _syn_engine_derive (&sub, error);
  if (ok)
    adopt_fingerprints (&sub);
  _syn_engine_run_clear (&sub);
  return ok;
}

/* For a project flagged legacy, the SET_PROPERTY values and a person's holds
 * on the stored assets, as their events tell: one pass over the project's
 * events, in position order, rolled-back ones left out; the outputs a
 * person deleted, withheld from their rules; then the fingerprints of the
 * outputs the rules still make as they are. */
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
  Origins origins;

  if (!syn_store_is_legacy_project (run->store, run->project->id, &legacy, error))
    return FALSE;
  if (!legacy)
    return TRUE;
  origins_init (&origins);

  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((SynAsset *) value)->created_by_rule_id != NULL)
      g_hash_table_add (derived_ids, key);

  for (;;)
    {
      g_autoptr(GPtrArray) page = syn_store_list_events_after (run->store, run->project->id, after, 4096, error);

      if (page == NULL)
        {
          origins_clear (&origins);
          return FALSE;
        }
      for (guint i = 0; i < page->len; i++)
        {
          SynEvent *event = g_ptr_array_index (page, i);

          after = event->position;
          if (event->is_rolled_back)
            continue;
          origins_fold (&origins, event);
          if (g_strcmp0 (event->aggregate_type, SYN_AGGREGATE_ASSET) == 0)
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
  origins_withhold (&origins, run->stored);
  origins_clear (&origins);
  return adopt_from_derive (run, error);
}

static char *
record_text (JsonObject *derivation)
{
  return derivation ? syn_json_object_to_string (derivation) : NULL;
}

/* Once per legacy project, in a transaction of its own before its first run:
 * writes the records inferred from the graph and the events (with the
 * fingerprints of a derive where it reproduces an output), and clears the
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

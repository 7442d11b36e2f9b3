/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-state-replay.c: SynStateReplay: folds a project's events, in position order, into its state, and hashes it. */
#include "config.h"

#include <string.h>

#include "syn-engine-error.h"
#include "syn-entity-kind-private.h"
#include "syn-state-checkpoint.h"
#include "syn-state-hash.h"
#include "syn-state-replay.h"

/* Events carry whole entities (created, after an update, deleted), but a
 * BATCH_ROLLED_BACK names only the ids it deleted and restored: the content
 * of a restored entity is its state before the undone batch first touched it,
 * which the replay records itself as it folds that batch (as SynBatch records
 * its snapshot). */
typedef struct
{
  GHashTable *before[N_KINDS];   /* id -> entity before the batch's first touch, NULL: absent */
} BatchImages;

struct _SynStateReplay
{
  char       *project_id;
  GHashTable *state[N_KINDS];    /* id -> SynAsset / SynCable / SynEdge */
  GHashTable *batches;           /* correlation id -> BatchImages */
  gint64      position;
  guint64     n_events;
  guint64     n_anomalies;
  char       *first_anomaly;
  /* started from a checkpoint: a rollback after it of a batch before it
   * finds that batch's images in the batch's own events (read once) */
  gint64      base_position;     /* 0: from the first event */
  GHashTable *loaded;            /* correlation ids whose images were read */
  SynStore   *store;             /* borrowed during fold_to() */
  gboolean    write_checkpoints;
};

static void
batch_images_free (BatchImages *images)
{
  for (guint k = 0; k < N_KINDS; k++)
    g_hash_table_unref (images->before[k]);
  g_free (images);
}

static void
unref_or_null (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

SynStateReplay *
syn_state_replay_new (const char *project_id)
{
  SynStateReplay *self;

  g_return_val_if_fail (project_id != NULL, NULL);

  self = g_new0 (SynStateReplay, 1);
  self->project_id = g_strdup (project_id);
  for (guint k = 0; k < N_KINDS; k++)
    self->state[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) batch_images_free);
  self->loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
syn_state_replay_free (SynStateReplay *self)
{
  if (self == NULL)
    return;
  for (guint k = 0; k < N_KINDS; k++)
    g_hash_table_unref (self->state[k]);
  g_hash_table_unref (self->batches);
  g_hash_table_unref (self->loaded);
  g_free (self->first_anomaly);
  g_free (self->project_id);
  g_free (self);
}

static gpointer
entity_copy (EntityKind kind, gpointer object)
{
  switch (kind)
    {
    case KIND_ASSET:
      return syn_asset_copy (object);
    case KIND_CABLE:
      return syn_cable_copy (object);
    case KIND_EDGE:
      return syn_edge_copy (object);
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static JsonNode *
entity_to_json (EntityKind kind, gpointer object)
{
  switch (kind)
    {
    case KIND_ASSET:
      return syn_asset_to_json (object);
    case KIND_CABLE:
      return syn_cable_to_json (object);
    case KIND_EDGE:
      return syn_edge_to_json (object);
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* The entity a payload (or its "after") holds, parsed as the store would give it back. */
static gpointer
entity_from_json (EntityKind kind, JsonNode *node, GError **error)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED, "the payload holds no entity");
      return NULL;
    }
  object = json_node_get_object (node);
  switch (kind)
    {
    case KIND_ASSET:
      return syn_asset_from_json (object, error);
    case KIND_CABLE:
      return syn_cable_from_json (object, error);
    case KIND_EDGE:
      return syn_edge_from_json (object, error);
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static BatchImages *
batch_images (SynStateReplay *self, const char *correlation_id)
{
  BatchImages *images = g_hash_table_lookup (self->batches, correlation_id);

  if (images == NULL)
    {
      images = g_new0 (BatchImages, 1);
      for (guint k = 0; k < N_KINDS; k++)
        images->before[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_or_null);
      g_hash_table_insert (self->batches, g_strdup (correlation_id), images);
    }
  return images;
}

/* Before the batch changes an entity the first time: what it was (or that it was not). */
static void
record_before (SynStateReplay *self, SynEvent *event, EntityKind kind, const char *id)
{
  BatchImages *images = batch_images (self, event->correlation_id);
  gpointer current;

  if (g_hash_table_contains (images->before[kind], id))
    return;
  current = g_hash_table_lookup (self->state[kind], id);
  g_hash_table_insert (images->before[kind], g_strdup (id), current ? entity_copy (kind, current) : NULL);
}

static gboolean
fail (GError **error, SynEvent *event, const char *detail)
{
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
               "Event %s (%s, position %" G_GINT64_FORMAT ", batch %s #%" G_GINT64_FORMAT "): %s",
               event->id, event->event_type, event->position, event->correlation_id,
               event->sequence_num, detail);
  return FALSE;
}

/* CREATED / UPDATED / DELETED of one kind of entity. */
static gboolean
apply_entity (SynStateReplay *self, SynEvent *event, EntityKind kind, char change, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *id = event->aggregate_id;
  gboolean exists;
  gpointer entity = NULL;

  if (id == NULL)
    return fail (error, event, "no aggregate id");
  exists = g_hash_table_contains (self->state[kind], id);
  if (change == 'c' && exists)
    return fail (error, event, "created, but it exists already");
  /* `synapse repair` deletes rows an old database held without events
   * (metadata reason "missing_asset"): their deletion is the one event they have */
  if (change == 'd' && !exists && event->metadata != NULL && JSON_NODE_HOLDS_OBJECT (event->metadata) &&
      g_strcmp0 (syn_json_get_string (json_node_get_object (event->metadata), "reason"), "missing_asset") == 0)
    {
      BatchImages *images = batch_images (self, event->correlation_id);

      /* what the batch found, as its snapshot keeps it: the row the event carries */
      if (!g_hash_table_contains (images->before[kind], id) &&
          (entity = entity_from_json (kind, event->payload, NULL)))
        g_hash_table_insert (images->before[kind], g_strdup (id), entity);
      return TRUE;
    }
  if (change != 'c' && !exists)
    return fail (error, event, "changed, but it does not exist");

  if (change != 'd')
    {
      JsonNode *node = event->payload;

      if (change == 'u')
        node = node && JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node), "after") : NULL;
      if (!(entity = entity_from_json (kind, node, &local_error)))
        return fail (error, event, local_error->message);
      if (g_strcmp0 (kind == KIND_ASSET ? ((SynAsset *) entity)->id
                     : kind == KIND_CABLE ? ((SynCable *) entity)->id
                     : ((SynEdge *) entity)->id, id) != 0)
        {
          g_object_unref (entity);
          return fail (error, event, "the payload is another entity than the aggregate");
        }
    }

  record_before (self, event, kind, id);
  if (entity != NULL)
    g_hash_table_insert (self->state[kind], g_strdup (id), entity);
  else
    g_hash_table_remove (self->state[kind], id);
  return TRUE;
}

static JsonArray *
get_array (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static int
compare_positions (gconstpointer a, gconstpointer b)
{
  gint64 x = (*(SynEvent * const *) a)->position, y = (*(SynEvent * const *) b)->position;

  return (x > y) - (x < y);
}

/* A replay started from a checkpoint never saw the events before it: a
 * rollback of a batch that has some there takes what that batch found from
 * the events themselves (a creation: nothing; an update: its "before"; a
 * deletion: the entity it carries), each entity's first touch winning over
 * the ones the replay saw after the checkpoint. */
static gboolean
load_images (SynStateReplay *self, const char *correlation_id, GError **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) seen = NULL;
  BatchImages *images;

  if (self->base_position <= 0 || self->store == NULL || g_hash_table_contains (self->loaded, correlation_id))
    return TRUE;
  if (!(events = syn_store_get_events_by_correlation (self->store, self->project_id, correlation_id, error)))
    return FALSE;
  g_hash_table_add (self->loaded, g_strdup (correlation_id));
  g_ptr_array_sort (events, compare_positions);
  images = batch_images (self, correlation_id);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      g_autofree char *key = NULL;
      JsonNode *node = NULL;
      gpointer entity = NULL;

      if (e->position > self->base_position)
        break;
      for (guint c = 0; c < G_N_ELEMENTS (entity_changes); c++)
        if (g_strcmp0 (e->event_type, entity_changes[c].type) == 0 && e->aggregate_id != NULL)
          {
            EntityKind k = entity_changes[c].kind;

            key = g_strdup_printf ("%u:%s", k, e->aggregate_id);
            if (g_hash_table_contains (seen, key))
              break;
            g_hash_table_add (seen, g_steal_pointer (&key));
            if (entity_changes[c].change == 'u')
              node = e->payload && JSON_NODE_HOLDS_OBJECT (e->payload)
                     ? json_object_get_member (json_node_get_object (e->payload), "before") : NULL;
            else if (entity_changes[c].change == 'd')
              node = e->payload;
            if (node != NULL && !(entity = entity_from_json (k, node, error)))
              return fail (error, e, "its entity cannot be read back");
            g_hash_table_replace (images->before[k], g_strdup (e->aggregate_id), entity);
            break;
          }
    }
  return TRUE;
}

/* Undoes a batch as the rollback service did: the ids it says it deleted go,
 * the ids it says it restored come back as they were before that batch. */
static gboolean
apply_rollback (SynStateReplay *self, SynEvent *event, GError **error)
{
  JsonObject *payload;
  const char *original;
  BatchImages *images;

  if (event->payload == NULL || !JSON_NODE_HOLDS_OBJECT (event->payload))
    return fail (error, event, "no payload");
  payload = json_node_get_object (event->payload);
  original = syn_json_get_string (payload, "original_correlation_id");
  if (original == NULL)
    return fail (error, event, "it names no batch");
  if (!load_images (self, original, error))
    return FALSE;
  /* a batch that changed no entity (a run where every rule skipped) has no
   * images: then the rollback must delete and restore nothing */
  images = batch_images (self, original);

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autofree char *deleted_name = g_strconcat ("deleted_", kind_names[k], NULL);
      g_autofree char *restored_name = g_strconcat ("restored_", kind_names[k], NULL);
      JsonArray *deleted = get_array (payload, deleted_name);
      JsonArray *restored = get_array (payload, restored_name);

      for (guint i = 0; deleted != NULL && i < json_array_get_length (deleted); i++)
        {
          const char *id = json_array_get_string_element (deleted, i);

          if (id == NULL || !g_hash_table_remove (self->state[k], id))
            return fail (error, event, "it deletes an entity that does not exist");
        }
      for (guint i = 0; restored != NULL && i < json_array_get_length (restored); i++)
        {
          const char *id = json_array_get_string_element (restored, i);
          gpointer before = NULL;

          if (id == NULL || !g_hash_table_lookup_extended (images->before[k], id, NULL, &before) || before == NULL)
            return fail (error, event, "it restores an entity the undone batch did not find existing");
          g_hash_table_insert (self->state[k], g_strdup (id), entity_copy (k, before));
        }
    }
  return TRUE;
}

JsonObject *
syn_state_replay_get_before (SynStateReplay *self, const char *correlation_id)
{
  BatchImages *images;
  JsonObject *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (correlation_id != NULL, NULL);

  if (!(images = g_hash_table_lookup (self->batches, correlation_id)))
    return NULL;
  out = json_object_new ();
  for (guint k = 0; k < N_KINDS; k++)
    {
      JsonObject *kind = json_object_new ();
      GHashTableIter iter;
      gpointer id, before;

      g_hash_table_iter_init (&iter, images->before[k]);
      while (g_hash_table_iter_next (&iter, &id, &before))
        {
          if (before != NULL)
            json_object_set_member (kind, id, entity_to_json (k, before));
          else
            json_object_set_null_member (kind, id);
        }
      json_object_set_object_member (out, kind_names[k], kind);
    }
  return out;
}

gboolean
syn_state_replay_apply (SynStateReplay *self, SynEvent *event, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (SYN_IS_EVENT (event), FALSE);

  self->n_events++;
  if (event->position > self->position)
    self->position = event->position;
  if (g_strcmp0 (event->project_id, self->project_id) != 0)
    return fail (error, event, "an event of another project");

  for (guint i = 0; i < G_N_ELEMENTS (entity_changes); i++)
    if (g_strcmp0 (event->event_type, entity_changes[i].type) == 0)
      {
        if (g_strcmp0 (event->aggregate_type, kind_aggregates[entity_changes[i].kind]) != 0)
          return fail (error, event, "its aggregate type does not match its event type");
        return apply_entity (self, event, entity_changes[i].kind, entity_changes[i].change, error);
      }
  if (g_strcmp0 (event->event_type, SYN_EVENT_BATCH_ROLLED_BACK) == 0)
    return apply_rollback (self, event, error);
  /* rule, batch and import bookkeeping, rule definitions: no entity changes */
  return TRUE;
}

gboolean
syn_state_replay_catch_up (SynStateReplay *self, SynStore *store, GError **error)
{
  return syn_state_replay_fold_to (self, store, G_MAXINT64, NULL, NULL, error);
}

gboolean
syn_state_replay_fold_to (SynStateReplay *self, SynStore *store, gint64 position, SynReplayVisit visit,
                          gpointer user_data, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);

  self->store = store;
  while (self->position < position)
    {
      g_autoptr(GPtrArray) events = syn_store_list_events_after (store, self->project_id, self->position,
                                                                 5000, error);

      if (events == NULL)
        return FALSE;
      if (events->len == 0)
        break;
      for (guint i = 0; i < events->len; i++)
        {
          SynEvent *event = g_ptr_array_index (events, i);
          g_autoptr(GError) local_error = NULL;

          if (event->position > position)
            {
              self->store = NULL;
              return TRUE;
            }
          if (visit != NULL)
            visit (self, event, user_data);

          if (event->position <= self->position)
            {
              /* never: positions only grow; guard against looping */
              g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                           "Event positions went back from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                           self->position, event->position);
              self->store = NULL;
              return FALSE;
            }
          if (!syn_state_replay_apply (self, event, &local_error))
            {
              if (self->n_anomalies++ == 0)
                self->first_anomaly = g_strdup (local_error->message);
            }
          else if (self->write_checkpoints && syn_state_checkpoint_due (self->n_events) && self->n_anomalies == 0 &&
                   !syn_state_checkpoint_write (store, self, event->hash, &local_error))
            /* a cache not written costs time later, not correctness */
            g_warning ("No state checkpoint at position %" G_GINT64_FORMAT ": %s", event->position,
                       local_error->message);
        }
    }
  self->store = NULL;
  return TRUE;
}

void
syn_state_replay_set_write_checkpoints (SynStateReplay *self, gboolean write)
{
  g_return_if_fail (self != NULL);
  self->write_checkpoints = write;
}

char *
syn_state_replay_dup_project_id (SynStateReplay *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_strdup (self->project_id);
}

gint64
syn_state_replay_get_position (SynStateReplay *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->position;
}

guint64
syn_state_replay_get_n_events (SynStateReplay *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_events;
}

guint64
syn_state_replay_get_n_anomalies (SynStateReplay *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_anomalies;
}

const char *
syn_state_replay_get_first_anomaly (SynStateReplay *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->first_anomaly;
}

static int
kind_from_aggregate (const char *aggregate_type)
{
  for (guint k = 0; k < N_KINDS; k++)
    if (g_strcmp0 (aggregate_type, kind_aggregates[k]) == 0)
      return (int) k;
  return -1;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

GPtrArray *
syn_state_replay_list_ids (SynStateReplay *self, const char *aggregate_type)
{
  int k = kind_from_aggregate (aggregate_type);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (self != NULL, ids);
  g_return_val_if_fail (k >= 0, ids);

  g_hash_table_iter_init (&iter, self->state[k]);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  g_ptr_array_sort (ids, compare_strings);
  return ids;
}

GPtrArray *
syn_state_replay_list_entities (SynStateReplay *self, const char *aggregate_type)
{
  int k = kind_from_aggregate (aggregate_type);
  GPtrArray *entities = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (self != NULL, entities);
  g_return_val_if_fail (k >= 0, entities);

  g_hash_table_iter_init (&iter, self->state[k]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (entities, g_object_ref (value));
  return entities;
}

/* "EDGE id -> asset id" for an end that is no asset of the state. */
static void
check_end (SynStateReplay *self, GPtrArray *found, const char *aggregate_type, const char *id, const char *end)
{
  if (end != NULL && !g_hash_table_contains (self->state[KIND_ASSET], end))
    g_ptr_array_add (found, g_strdup_printf ("%s %s refers to missing asset %s", aggregate_type, id, end));
}

GPtrArray *
syn_state_replay_list_dangling (SynStateReplay *self)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (self != NULL, found);

  g_hash_table_iter_init (&iter, self->state[KIND_EDGE]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynEdge *edge = value;

      check_end (self, found, SYN_AGGREGATE_EDGE, edge->id, edge->source_asset_id);
      check_end (self, found, SYN_AGGREGATE_EDGE, edge->id, edge->target_asset_id);
    }
  g_hash_table_iter_init (&iter, self->state[KIND_CABLE]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynCable *cable = value;

      check_end (self, found, SYN_AGGREGATE_CABLE, cable->id, cable->from_asset_id);
      check_end (self, found, SYN_AGGREGATE_CABLE, cable->id, cable->to_asset_id);
    }
  g_ptr_array_sort (found, compare_strings);
  return found;
}

JsonNode *
syn_state_replay_get_entity (SynStateReplay *self, const char *aggregate_type, const char *id)
{
  int k = kind_from_aggregate (aggregate_type);
  gpointer entity;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (k >= 0, NULL);

  entity = g_hash_table_lookup (self->state[k], id);
  return entity ? entity_to_json (k, entity) : NULL;
}

/* The store's order: assets and cables by tag, edges by id, bytewise. */
static int
compare_assets (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(SynAsset **) a)->tag, (*(SynAsset **) b)->tag);
}

static int
compare_cables (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(SynCable **) a)->tag, (*(SynCable **) b)->tag);
}

static int
compare_edges (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(SynEdge **) a)->id, (*(SynEdge **) b)->id);
}

static GPtrArray *
sorted_values (GHashTable *table, GCompareFunc compare)
{
  GPtrArray *items = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (items, value);
  g_ptr_array_sort (items, compare);
  return items;
}

char *
syn_state_replay_hash (SynStateReplay *self)
{
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(GPtrArray) edges = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  /* the store's hash over the replayed state: one definition of the form */
  assets = sorted_values (self->state[KIND_ASSET], compare_assets);
  cables = sorted_values (self->state[KIND_CABLE], compare_cables);
  edges = sorted_values (self->state[KIND_EDGE], compare_edges);
  return syn_state_hash_of (assets, cables, edges);
}

char *
syn_state_replay_serialize (SynStateReplay *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_sized_new (256 * (g_hash_table_size (self->state[KIND_ASSET]) +
                                   g_hash_table_size (self->state[KIND_CABLE]) + 16));
  g_string_append_c (out, '{');
  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autoptr(GPtrArray) ids = syn_state_replay_list_ids (self, kind_aggregates[k]);

      g_string_append_printf (out, "%s\"%s\":[", k ? "," : "", kind_names[k]);
      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(JsonNode) node = entity_to_json (k, g_hash_table_lookup (self->state[k],
                                                                             g_ptr_array_index (ids, i)));

          if (i > 0)
            g_string_append_c (out, ',');
          syn_json_canonical_append (out, node);
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

SynStateReplay *
syn_state_replay_new_at (const char *project_id, gint64 position, guint64 n_events, const char *state,
                         GError **error)
{
  g_autoptr(SynStateReplay) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  g_return_val_if_fail (project_id != NULL && state != NULL, NULL);

  self = syn_state_replay_new (project_id);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, state, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  for (guint k = 0; k < N_KINDS; k++)
    {
      JsonArray *list = root && JSON_NODE_HOLDS_OBJECT (root) ? get_array (json_node_get_object (root),
                                                                            kind_names[k]) : NULL;

      if (list == NULL)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED, "The checkpoint has no %s", kind_names[k]);
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          gpointer entity = entity_from_json (k, json_array_get_element (list, i), error);
          const char *id;

          if (entity == NULL)
            return NULL;
          id = k == KIND_ASSET ? ((SynAsset *) entity)->id : k == KIND_CABLE ? ((SynCable *) entity)->id
               : ((SynEdge *) entity)->id;
          g_hash_table_insert (self->state[k], g_strdup (id), entity);
        }
    }
  self->position = self->base_position = position;
  self->n_events = n_events;
  return g_steal_pointer (&self);
}

char *
syn_state_replay_compute (SynStore *store, const char *project_id, GError **error)
{
  g_autoptr(SynStateReplay) replay = NULL;
  g_autoptr(GPtrArray) dangling = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  replay = syn_state_replay_new (project_id);
  if (!syn_state_replay_catch_up (replay, store, error))
    return NULL;
  if (replay->n_anomalies > 0)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                   "%" G_GUINT64_FORMAT " events could not be replayed; the first: %s",
                   replay->n_anomalies, replay->first_anomaly);
      return NULL;
    }
  /* the events never leave a reference to nothing behind */
  dangling = syn_state_replay_list_dangling (replay);
  if (dangling->len > 0)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
                   "The events leave %u dangling references; the first: %s",
                   dangling->len, (char *) g_ptr_array_index (dangling, 0));
      return NULL;
    }
  return syn_state_replay_hash (replay);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rollback-service.c: rollback of batches from their snapshots, with blockers and cascade, in one transaction. */
#include "config.h"

#include "syn-batch-id.h"
#include "syn-batch.h"
#include "syn-engine-error.h"
#include "syn-entity-kind-private.h"
#include "syn-integrity.h"
#include "syn-rollback-service.h"

/* What a rollback last did to an entity: the summary counts each entity once. */
enum {
  OUTCOME_DELETED = 1,
  OUTCOME_RESTORED,
};

/* One batch as rollback sees it: its snapshot and the entities it touched. */
typedef struct
{
  char        *correlation_id;
  SynSnapshot *snapshot;        /* NULL: written without one, cannot be rolled back */
  gint64       last_position;   /* of its newest event */
  GPtrArray   *ids[N_KINDS];    /* distinct entity ids (char *) */
  GPtrArray   *rule_ids;        /* rule definitions it changed (char *) */
} BatchInfo;

static void
batch_info_free (BatchInfo *info)
{
  g_free (info->correlation_id);
  g_clear_object (&info->snapshot);
  for (guint k = 0; k < N_KINDS; k++)
    g_clear_pointer (&info->ids[k], g_ptr_array_unref);
  g_clear_pointer (&info->rule_ids, g_ptr_array_unref);
  g_free (info);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatchInfo, batch_info_free)

typedef struct
{
  SynStore   *store;
  SynBatch   *batch;
  const char *project_id;
  const char *user_id;
  gint64      now;
  guint64     events_marked;
  guint       rules_changed;
  gint64      timing_start;   /* $SYNAPSE_ROLLBACK_TIMING */
  GHashTable *outcome[N_KINDS];   /* id -> OUTCOME_*, the last action on it */
} Rollback;

/* $SYNAPSE_ROLLBACK_TIMING=1: the time of each step of a rollback on stderr
 * (a diagnostic for benchmarks and big batches, as the engine's). */
static void
timing (Rollback *rb, const char *what)
{
  static int enabled = -1;
  gint64 now = g_get_monotonic_time ();

  if (enabled < 0)
    enabled = g_getenv ("SYNAPSE_ROLLBACK_TIMING") != NULL;
  if (enabled && what != NULL)
    g_printerr ("rollback: %-18s %8.3f s\n", what, (now - rb->timing_start) / 1e6);
  rb->timing_start = now;
}

/* ------------------------------------------------------------------------- */
/* Snapshot data                                                             */

static JsonObject *
get_object (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
get_string_element (JsonArray *array, guint i)
{
  JsonNode *node = json_array_get_element (array, i);

  return json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static JsonObject *
get_snapshot_data (SynSnapshot *snapshot)
{
  if (snapshot == NULL || snapshot->snapshot_data == NULL || !JSON_NODE_HOLDS_OBJECT (snapshot->snapshot_data))
    return NULL;
  return json_node_get_object (snapshot->snapshot_data);
}

/* ------------------------------------------------------------------------- */
/* Batches and their blockers                                                */

static void
add_id (GHashTable *seen, GPtrArray *ids, const char *id)
{
  char *copy;

  if (id == NULL || g_hash_table_contains (seen, id))
    return;
  copy = g_strdup (id);
  g_ptr_array_add (ids, copy);
  g_hash_table_add (seen, copy);
}

/* The snapshot names every entity the batch touched: the pre-images of the
 * ones it updated or deleted, the ids of the ones it created. */
static void
ids_from_snapshot (BatchInfo *info)
{
  JsonObject *data = get_snapshot_data (info->snapshot);
  JsonObject *created = get_object (data, "created");

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      JsonArray *images = get_array (data, kind_names[k]);
      JsonArray *made = get_array (created, kind_names[k]);

      for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
        {
          JsonNode *node = json_array_get_element (images, i);

          if (JSON_NODE_HOLDS_OBJECT (node))
            add_id (seen, info->ids[k], syn_json_get_string (json_node_get_object (node), "id"));
        }
      for (guint i = 0; made != NULL && i < json_array_get_length (made); i++)
        add_id (seen, info->ids[k], get_string_element (made, i));
    }
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    JsonArray *images = get_array (data, "rules");
    JsonArray *made = get_array (created, "rules");

    for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
      {
        JsonNode *node = json_array_get_element (images, i);

        if (JSON_NODE_HOLDS_OBJECT (node))
          add_id (seen, info->rule_ids, syn_json_get_string (json_node_get_object (node), "id"));
      }
    for (guint i = 0; made != NULL && i < json_array_get_length (made); i++)
      add_id (seen, info->rule_ids, get_string_element (made, i));
  }
}

static gboolean
find_last_position (SynStore    *store,
                    const char  *project_id,
                    const char  *correlation_id,
                    gint64       events_count,
                    gint64      *out,
                    GError     **error)
{
  g_autoptr(SynEventQuery) query = syn_event_query_new (project_id);
  g_autoptr(GPtrArray) events = NULL;

  /* The snapshot counts the batch's events: its last one is found by the
   * (correlation, sequence) key, one seek, where the timeline query walks
   * the project's newest events down to the batch. Asking for one past it
   * proves the count right; otherwise the query decides. */
  if (events_count > 0)
    {
      g_autoptr(GPtrArray) last = syn_store_get_events_by_sequence (store, project_id, correlation_id,
                                                                    events_count - 1, events_count, error);

      if (last == NULL)
        return FALSE;
      if (last->len == 1)
        {
          *out = ((SynEvent *) last->pdata[0])->position;
          return TRUE;
        }
    }
  query->correlation_id = g_strdup (correlation_id);
  query->include_rolled_back = TRUE;
  query->limit = 1;
  if (!(events = syn_store_query_events (store, query, NULL, error)))
    return FALSE;
  /* A batch without events touched nothing: nothing can block it. */
  *out = events->len > 0 ? ((SynEvent *) events->pdata[0])->position : G_MAXINT64;
  return TRUE;
}

/* A batch written without a snapshot (not through SynBatch): its entity
 * events tell what it touched. FALSE without an error when it has none. */
static gboolean
ids_from_events (SynStore *store, const char *project_id, BatchInfo *info, GError **error)
{
  g_autoptr(GPtrArray) events = NULL;

  if (!(events = syn_store_get_events_by_correlation (store, project_id, info->correlation_id, error)))
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    info->last_position = MAX (info->last_position, ((SynEvent *) g_ptr_array_index (events, i))->position);
  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < events->len; i++)
        {
          SynEvent *event = g_ptr_array_index (events, i);

          if (g_strcmp0 (event->aggregate_type, kind_aggregates[k]) == 0)
            add_id (seen, info->ids[k], event->aggregate_id);
        }
    }
  return events->len > 0;
}

/* @snapshot (taken) may be NULL: it is looked up. NULL without an error
 * when there is no such batch. */
static BatchInfo *
batch_info_load (SynStore     *store,
                 const char   *project_id,
                 const char   *correlation_id,
                 SynSnapshot  *snapshot,
                 GError      **error)
{
  g_autoptr(BatchInfo) info = g_new0 (BatchInfo, 1);
  g_autoptr(GError) local_error = NULL;

  info->correlation_id = g_strdup (correlation_id);
  for (guint k = 0; k < N_KINDS; k++)
    info->ids[k] = g_ptr_array_new_with_free_func (g_free);
  info->rule_ids = g_ptr_array_new_with_free_func (g_free);
  info->snapshot = snapshot ? snapshot : syn_store_get_snapshot (store, project_id, correlation_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (info->snapshot != NULL)
    {
      ids_from_snapshot (info);
      if (!find_last_position (store, project_id, correlation_id, info->snapshot->events_count,
                               &info->last_position, error))
        return NULL;
    }
  else if (!ids_from_events (store, project_id, info, error))
    return NULL;
  return g_steal_pointer (&info);
}

static int
compare_newest_first (gconstpointer a, gconstpointer b)
{
  const BatchInfo *x = *(BatchInfo **) a;
  const BatchInfo *y = *(BatchInfo **) b;

  return (x->last_position < y->last_position) - (x->last_position > y->last_position);
}

/* Adds the batch to @found unless seen; FALSE only on a failure to read it. */
static gboolean
take_blocker (SynStore *store, const char *project_id, const char *correlation_id, GPtrArray *found,
              GHashTable *seen, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  BatchInfo *info;

  if (g_hash_table_contains (seen, correlation_id))
    return TRUE;
  info = batch_info_load (store, project_id, correlation_id, NULL, &local_error);
  if (info == NULL)
    {
      /* it has events, so it exists: only a failure lands here */
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }
  g_ptr_array_add (found, info);
  g_hash_table_add (seen, info->correlation_id);
  return TRUE;
}

/* Every later batch, not rolled back, with an event on one of @ids. */
static gboolean
take_later_batches (SynStore *store, const char *project_id, const char *aggregate_type, GPtrArray *ids,
                    gint64 after_position, GPtrArray *found, GHashTable *seen, GError **error)
{
  g_autoptr(GPtrArray) later = NULL;

  if (ids->len == 0)
    return TRUE;
  later = syn_store_list_later_batches (store, project_id, aggregate_type, (const char * const *) ids->pdata,
                                        ids->len, after_position, error);
  if (later == NULL)
    return FALSE;
  for (guint i = 0; i < later->len; i++)
    if (!take_blocker (store, project_id, g_ptr_array_index (later, i), found, seen, error))
      return FALSE;
  return TRUE;
}

/* What would dangle once @current is undone, and who made it so:
 *  - the assets it created go: the later batches that wrote an edge or a
 *    cable to one of them, or a rule's output derived from one, must be
 *    undone first;
 *  - the edges and cables it changed or deleted come back: an end that a
 *    later batch deleted must come back first (that batch is undone). */
static gboolean
take_reference_blockers (SynStore *store, const char *project_id, BatchInfo *current, GPtrArray *found,
                         GHashTable *seen, GError **error)
{
  JsonObject *data = get_snapshot_data (current->snapshot);
  JsonArray *created = get_array (get_object (data, "created"), kind_names[KIND_ASSET]);
  g_autoptr(GPtrArray) created_ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) edges = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) derived = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) restored_assets = g_hash_table_new (g_str_hash, g_str_equal);
  static const EntityKind referring[] = { KIND_CABLE, KIND_EDGE };

  for (guint i = 0; created != NULL && i < json_array_get_length (created); i++)
    if (get_string_element (created, i) != NULL)
      g_ptr_array_add (created_ids, (gpointer) get_string_element (created, i));
  if (!syn_store_list_asset_referrers (store, project_id, (const char * const *) created_ids->pdata,
                                       created_ids->len, edges, cables, derived, error) ||
      !take_later_batches (store, project_id, SYN_AGGREGATE_EDGE, edges, current->last_position, found, seen, error) ||
      !take_later_batches (store, project_id, SYN_AGGREGATE_CABLE, cables, current->last_position, found, seen,
                           error) ||
      !take_later_batches (store, project_id, SYN_AGGREGATE_ASSET, derived, current->last_position, found, seen,
                           error))
    return FALSE;

  /* an end the batch itself deleted comes back with it */
  {
    JsonArray *images = get_array (data, kind_names[KIND_ASSET]);

    for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
      {
        JsonNode *node = json_array_get_element (images, i);

        if (JSON_NODE_HOLDS_OBJECT (node))
          g_hash_table_add (restored_assets, (gpointer) syn_json_get_string (json_node_get_object (node), "id"));
      }
  }
  for (guint r = 0; r < G_N_ELEMENTS (referring); r++)
    {
      JsonArray *images = get_array (data, kind_names[referring[r]]);
      static const char * const edge_ends[] = { "source_asset_id", "target_asset_id" };
      static const char * const cable_ends[] = { "from_asset_id", "to_asset_id" };
      const char * const *ends = referring[r] == KIND_EDGE ? edge_ends : cable_ends;

      for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
        {
          JsonNode *node = json_array_get_element (images, i);

          for (guint e = 0; JSON_NODE_HOLDS_OBJECT (node) && e < 2; e++)
            {
              const char *end = syn_json_get_string (json_node_get_object (node), ends[e]);
              g_autoptr(GError) local_error = NULL;
              g_autoptr(SynAsset) asset = NULL;
              g_autoptr(GPtrArray) history = NULL;
              SynEvent *last;

              if (end == NULL || g_hash_table_contains (restored_assets, end))
                continue;
              asset = syn_store_get_asset (store, project_id, end, &local_error);
              if (local_error != NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              if (asset != NULL)
                continue;
              /* who deleted it: the newest event on it that stands */
              if (!(history = syn_store_get_asset_history (store, project_id, end, error)))
                return FALSE;
              last = history->len > 0 ? g_ptr_array_index (history, history->len - 1) : NULL;
              if (last != NULL && last->position > current->last_position &&
                  g_strcmp0 (last->event_type, SYN_EVENT_ASSET_DELETED) == 0 &&
                  !take_blocker (store, project_id, last->correlation_id, found, seen, error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* The later batches, not rolled back, that touched an entity @target touched
 * or refer to what undoing it takes away, and transitively theirs: every
 * batch that must be undone before @target. BatchInfo *, newest first. */
static GPtrArray *
collect_blockers (SynStore *store, const char *project_id, BatchInfo *target, GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_info_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_add (seen, target->correlation_id);
  /* @found doubles as the work list: each batch is expanded once. */
  for (guint next = 0; next <= found->len; next++)
    {
      BatchInfo *current = next == 0 ? target : g_ptr_array_index (found, next - 1);

      /* a later change of the same rule definition (runs of the rule are
       * events on it too, but they do not block: a rule change never
       * changed an asset by itself) */
      if (current->rule_ids->len > 0)
        {
          g_autoptr(GPtrArray) later = syn_store_list_later_batches (store, project_id, SYN_AGGREGATE_RULE,
                                                                    (const char * const *) current->rule_ids->pdata,
                                                                    current->rule_ids->len, current->last_position,
                                                                    error);

          if (later == NULL)
            return NULL;
          for (guint i = 0; i < later->len; i++)
            {
              const char *correlation_id = g_ptr_array_index (later, i);
              g_autoptr(BatchInfo) info = NULL;
              gboolean same = FALSE;

              if (g_hash_table_contains (seen, correlation_id))
                continue;
              info = batch_info_load (store, project_id, correlation_id, NULL, NULL);
              for (guint r = 0; info != NULL && r < info->rule_ids->len && !same; r++)
                same = g_ptr_array_find_with_equal_func (current->rule_ids, info->rule_ids->pdata[r], g_str_equal, NULL);
              if (!same)
                continue;
              g_hash_table_add (seen, info->correlation_id);
              g_ptr_array_add (found, g_steal_pointer (&info));
            }
        }

      for (guint k = 0; k < N_KINDS; k++)
        if (!take_later_batches (store, project_id, kind_aggregates[k], current->ids[k], current->last_position,
                                 found, seen, error))
          return NULL;
      if (current->snapshot != NULL && !take_reference_blockers (store, project_id, current, found, seen, error))
        return NULL;
    }
  g_ptr_array_sort (found, compare_newest_first);
  return g_steal_pointer (&found);
}

static char *
join_correlation_ids (GPtrArray *infos)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < infos->len; i++)
    {
      BatchInfo *info = g_ptr_array_index (infos, i);

      g_string_append_printf (text, "%s%s", i ? ", " : "", info->correlation_id);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ------------------------------------------------------------------------- */
/* Restoring one batch                                                       */

static gboolean
damaged (GError **error, const char *correlation_id, const char *detail)
{
  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED,
               "The snapshot of batch %s is damaged: %s", correlation_id, detail);
  return FALSE;
}

/* Update when it still exists, insert (same id) when it was deleted. */
static gboolean
restore_asset (Rollback *rb, JsonObject *image, const char *correlation_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynAsset) asset = syn_asset_from_json (image, &local_error);

  if (asset == NULL)
    return damaged (error, correlation_id, local_error->message);
  if (g_strcmp0 (asset->project_id, rb->project_id) != 0)
    return damaged (error, correlation_id, "an asset of another project");
  /* the tag reused since, said as such rather than as the database's clash */
  if (!syn_integrity_check_asset_tag (rb->store, asset, error))
    return FALSE;
  if (syn_store_update_asset (rb->store, asset, &local_error))
    return TRUE;
  if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND))
    return syn_store_insert_asset (rb->store, asset, error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
restore_cable (Rollback *rb, JsonObject *image, const char *correlation_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynCable) cable = syn_cable_from_json (image, &local_error);

  if (cable == NULL)
    return damaged (error, correlation_id, local_error->message);
  if (g_strcmp0 (cable->project_id, rb->project_id) != 0)
    return damaged (error, correlation_id, "a cable of another project");
  if (!syn_integrity_check_cable_tag (rb->store, cable, error))
    return FALSE;
  if (syn_store_update_cable (rb->store, cable, &local_error))
    return TRUE;
  if (g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND))
    return syn_store_insert_cable (rb->store, cable, error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Edges have no update: one that differs is replaced under the same id. */
static gboolean
restore_edge (Rollback *rb, JsonObject *image, const char *correlation_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynEdge) edge = syn_edge_from_json (image, &local_error);
  g_autoptr(SynEdge) current = NULL;

  if (edge == NULL)
    return damaged (error, correlation_id, local_error->message);
  if (g_strcmp0 (edge->project_id, rb->project_id) != 0)
    return damaged (error, correlation_id, "an edge of another project");
  current = syn_store_get_edge (rb->store, rb->project_id, edge->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (current != NULL)
    {
      g_autoptr(JsonNode) a = syn_edge_to_json (current);
      g_autoptr(JsonNode) b = syn_edge_to_json (edge);

      if (syn_json_node_equal (a, b))
        return TRUE;
      if (!syn_store_delete_edge (rb->store, rb->project_id, edge->id, error))
        return FALSE;
    }
  return syn_integrity_check_edge_free (rb->store, edge, error) && syn_store_insert_edge (rb->store, edge, error);
}

static gboolean
restore_entity (Rollback *rb, EntityKind kind, JsonObject *image, const char *correlation_id, GError **error)
{
  switch (kind)
    {
    case KIND_ASSET:
      return restore_asset (rb, image, correlation_id, error);
    case KIND_CABLE:
      return restore_cable (rb, image, correlation_id, error);
    case KIND_EDGE:
      return restore_edge (rb, image, correlation_id, error);
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/* Deletes what the batch created, restores its pre-images, marks its events
 * and snapshot, and records BATCH_ROLLED_BACK in the rollback's batch. */
static gboolean
restore_batch (Rollback *rb, BatchInfo *info, GError **error)
{
  /* What refers to assets goes first; assets come back before what refers to them. */
  static const EntityKind delete_order[] = { KIND_EDGE, KIND_CABLE, KIND_ASSET };
  static const EntityKind restore_order[] = { KIND_ASSET, KIND_CABLE, KIND_EDGE };
  JsonObject *data = get_snapshot_data (info->snapshot);
  JsonObject *created = get_object (data, "created");
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(SynEvent) event = NULL;
  JsonArray *deleted[N_KINDS];
  JsonArray *restored[N_KINDS];
  guint64 marked = 0;

  if (data == NULL)
    return damaged (error, info->correlation_id, "not a JSON object");

  json_object_set_string_member (payload, "original_correlation_id", info->correlation_id);
  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autofree char *name = g_strconcat ("deleted_", kind_names[k], NULL);

      deleted[k] = json_array_new ();
      json_object_set_array_member (payload, name, deleted[k]);
    }
  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autofree char *name = g_strconcat ("restored_", kind_names[k], NULL);

      restored[k] = json_array_new ();
      json_object_set_array_member (payload, name, restored[k]);
    }

  for (guint o = 0; o < G_N_ELEMENTS (delete_order); o++)
    {
      EntityKind k = delete_order[o];
      JsonArray *ids = get_array (created, kind_names[k]);
      g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
      g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) gone_set = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
        {
          const char *id = get_string_element (ids, i);

          if (id == NULL)
            return damaged (error, info->correlation_id, "a created id is not a string");
          g_ptr_array_add (wanted, (gpointer) id);
        }
      /* One statement for them all. An id it did not find, the batch itself
       * deleted again (no later batch did: that one would have blocked the
       * rollback). */
      if (!syn_store_delete_entities (rb->store, rb->project_id, kind_aggregates[k],
                                      (const char * const *) wanted->pdata, wanted->len, gone, error))
        return FALSE;
      for (guint i = 0; i < gone->len; i++)
        g_hash_table_add (gone_set, gone->pdata[i]);
      /* in the snapshot's order, each once */
      for (guint i = 0; i < wanted->len; i++)
        {
          const char *id = wanted->pdata[i];

          if (!g_hash_table_remove (gone_set, id))
            continue;
          json_array_add_string_element (deleted[k], id);
          g_hash_table_insert (rb->outcome[k], g_strdup (id), GINT_TO_POINTER (OUTCOME_DELETED));
        }
    }

  timing (rb, "deletes");
  for (guint o = 0; o < G_N_ELEMENTS (restore_order); o++)
    {
      EntityKind k = restore_order[o];
      JsonArray *images = get_array (data, kind_names[k]);

      for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
        {
          JsonNode *node = json_array_get_element (images, i);
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return damaged (error, info->correlation_id, "a pre-image is not an object");
          if (!restore_entity (rb, k, json_node_get_object (node), info->correlation_id, error))
            return FALSE;
          id = syn_json_get_string (json_node_get_object (node), "id");
          json_array_add_string_element (restored[k], id);
          g_hash_table_insert (rb->outcome[k], g_strdup (id), GINT_TO_POINTER (OUTCOME_RESTORED));
        }
    }

  /* rule definitions: those it made go, those it changed or removed come back */
  {
    JsonArray *made = get_array (created, "rules");
    JsonArray *images = get_array (data, "rules");
    JsonArray *deleted_rules = json_array_new ();
    JsonArray *restored_rules = json_array_new ();

    json_object_set_array_member (payload, "deleted_rules", deleted_rules);
    json_object_set_array_member (payload, "restored_rules", restored_rules);
    for (guint i = 0; made != NULL && i < json_array_get_length (made); i++)
      {
        const char *id = get_string_element (made, i);
        g_autoptr(GError) local_error = NULL;

        if (id == NULL)
          return damaged (error, info->correlation_id, "a created rule id is not a string");
        if (!syn_store_delete_rule (rb->store, id, &local_error) &&
            !g_error_matches (local_error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
        json_array_add_string_element (deleted_rules, id);
        rb->rules_changed++;
      }
    for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
      {
        JsonNode *node = json_array_get_element (images, i);
        g_autoptr(GError) local_error = NULL;
        g_autoptr(SynRule) rule = NULL;

        if (!JSON_NODE_HOLDS_OBJECT (node) || !(rule = syn_rule_from_json (json_node_get_object (node), &local_error)))
          return damaged (error, info->correlation_id, local_error ? local_error->message : "a rule is not an object");
        if (!syn_store_save_rule (rb->store, rule, error))
          return FALSE;
        json_array_add_string_element (restored_rules, rule->id);
        rb->rules_changed++;
      }
  }

  timing (rb, "restores");
  /* one row, not a flag on each of the batch's events (docs/performance.md, section 7) */
  if (!syn_store_mark_batch_rolled_back (rb->store, rb->project_id, info->correlation_id,
                                         syn_batch_get_correlation_id (rb->batch), rb->now, &marked, error) ||
      !syn_store_mark_snapshot_rolled_back (rb->store, rb->project_id, info->correlation_id, rb->user_id,
                                            rb->now, error))
    return FALSE;
  rb->events_marked += marked;
  timing (rb, "rollback flags");
  /* rollback flags are outside the events' hashes: the hash chain proves
   * them through this event, which names the batch (its aggregate) and how
   * many of its events it flagged */
  json_object_set_int_member (payload, "events_rolled_back", (gint64) marked);

  event = syn_batch_emit (rb->batch, SYN_EVENT_BATCH_ROLLED_BACK, SYN_AGGREGATE_BATCH, info->correlation_id,
                          syn_json_node_new_object (g_steal_pointer (&payload)), NULL, NULL, NULL, error);
  timing (rb, "its event");
  return event != NULL;
}

static gint64
count_outcome (GHashTable *outcomes, int outcome)
{
  GHashTableIter iter;
  gpointer value;
  gint64 n = 0;

  g_hash_table_iter_init (&iter, outcomes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (GPOINTER_TO_INT (value) == outcome)
      n++;
  return n;
}

/* After every batch is undone, before commit: nothing the rollback deleted
 * is still referred to, and every edge and cable it brought back has both
 * ends. The blockers make this hold; this says precisely what does not
 * when something outside them (a row written without events, say) stands
 * in the way, instead of the database refusing the commit. */
static gboolean
check_references (Rollback *rb, GError **error)
{
  g_autoptr(GPtrArray) deleted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, rb->outcome[KIND_ASSET]);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_INT (value) == OUTCOME_DELETED)
      g_ptr_array_add (deleted, key);
  /* a cable or an edge of the outcomes that exists was restored */
  return syn_integrity_check_unreferenced (rb->store, rb->project_id, deleted, error) &&
         syn_integrity_check_written_ends (rb->store, rb->project_id, rb->outcome[KIND_CABLE],
                                           rb->outcome[KIND_EDGE], error);
}

/* A rollback's own batch has no snapshot: undoing it is redoing the batch
 * it undid, and the refusal says so (409) rather than "No snapshot found".
 * FALSE with @error set when @correlation_id is such a batch. */
static gboolean
check_not_a_rollback (SynStore *store, const char *project_id, const char *correlation_id, GError **error)
{
  g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (store, project_id, correlation_id, error);
  const char *target;

  if (events == NULL)
    return FALSE;
  if (events->len == 0)
    return TRUE;
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((SynEvent *) g_ptr_array_index (events, i))->event_type, SYN_EVENT_BATCH_ROLLED_BACK) != 0)
      return TRUE;
  /* the batch asked for comes last, after the ones its cascade undid first */
  target = ((SynEvent *) g_ptr_array_index (events, events->len - 1))->aggregate_id;
  if (events->len == 1)
    g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT,
                 "Batch %s is a rollback: to undo a rollback, redo batch %s (synapse redo %s)",
                 correlation_id, target, target);
  else
    g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT,
                 "Batch %s is a rollback of batch %s and %u later ones: to undo it, redo it, which redoes "
                 "them oldest first (synapse redo %s)",
                 correlation_id, target, events->len - 1, correlation_id);
  return FALSE;
}

/* ------------------------------------------------------------------------- */
/* Public API                                                                */


/* Runs under the batch's write lock, so that every check holds until commit. */
static JsonNode *
rollback_locked (Rollback *rb, const char *correlation_id, gboolean cascade, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(BatchInfo) target = NULL;
  g_autoptr(GPtrArray) blockers = NULL;
  g_autoptr(JsonArray) cascaded = NULL;
  JsonObject *answer, *summary;

  if (!syn_store_lock_project (rb->store, rb->project_id, error))
    return NULL;
  snapshot = syn_store_get_snapshot (rb->store, rb->project_id, correlation_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (snapshot == NULL)
    {
      if (check_not_a_rollback (rb->store, rb->project_id, correlation_id, error))
        g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_REFUSED,
                     "No snapshot found for correlation_id: %s", correlation_id);
      return NULL;
    }
  if (g_strcmp0 (snapshot->status, SYN_SNAPSHOT_ACTIVE) != 0)
    {
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_REFUSED,
                   "Batch %s has already been rolled back", correlation_id);
      return NULL;
    }

  if (!(target = batch_info_load (rb->store, rb->project_id, correlation_id, g_steal_pointer (&snapshot), error)) ||
      !(blockers = collect_blockers (rb->store, rb->project_id, target, error)))
    return NULL;
  timing (rb, "snapshot, blockers");
  if (blockers->len > 0 && !cascade)
    {
      g_autofree char *list = join_correlation_ids (blockers);

      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED,
                   "Batch %s is blocked by later batches that changed the same entities: %s",
                   correlation_id, list);
      return NULL;
    }

  cascaded = json_array_new ();
  for (guint i = 0; i < blockers->len; i++)
    {
      BatchInfo *blocker = g_ptr_array_index (blockers, i);

      if (blocker->snapshot == NULL || g_strcmp0 (blocker->snapshot->status, SYN_SNAPSHOT_ACTIVE) != 0)
        {
          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED,
                       "Batch %s is blocked by batch %s, which has no active snapshot to roll back from",
                       correlation_id, blocker->correlation_id);
          return NULL;
        }
      if (!restore_batch (rb, blocker, error))
        {
          g_prefix_error (error, "Cannot roll back batch %s: ", blocker->correlation_id);
          return NULL;
        }
      json_array_add_string_element (cascaded, blocker->correlation_id);
    }
  if (!restore_batch (rb, target, error) || !check_references (rb, error))
    {
      g_prefix_error (error, "Cannot roll back batch %s: ", correlation_id);
      return NULL;
    }
  timing (rb, "reference checks");

  summary = json_object_new ();
  json_object_set_int_member (summary, "assets_deleted", count_outcome (rb->outcome[KIND_ASSET], OUTCOME_DELETED));
  json_object_set_int_member (summary, "cables_deleted", count_outcome (rb->outcome[KIND_CABLE], OUTCOME_DELETED));
  json_object_set_int_member (summary, "edges_deleted", count_outcome (rb->outcome[KIND_EDGE], OUTCOME_DELETED));
  json_object_set_int_member (summary, "assets_restored", count_outcome (rb->outcome[KIND_ASSET], OUTCOME_RESTORED));
  /* only rule changes have it: the summary of any other batch keeps its four counts */
  if (rb->rules_changed > 0)
    json_object_set_int_member (summary, "rules_restored", rb->rules_changed);

  answer = json_object_new ();
  json_object_set_string_member (answer, "status", "rolled_back");
  json_object_set_string_member (answer, "correlation_id", correlation_id);
  json_object_set_string_member (answer, "rollback_correlation_id", syn_batch_get_correlation_id (rb->batch));
  json_object_set_int_member (answer, "rolled_back_events", (gint64) rb->events_marked);
  json_object_set_object_member (answer, "summary", summary);
  json_object_set_array_member (answer, "cascaded", g_steal_pointer (&cascaded));
  return syn_json_node_new_object (answer);
}

/* Returns the project to its state before the batch, in one transaction that
 * also appends the rollback's own batch of BATCH_ROLLED_BACK events, without a
 * snapshot (so a rollback cannot itself be rolled back). The answer is the
 * API's: {status, correlation_id, rollback_correlation_id, rolled_back_events,
 * summary, cascaded}. Errors: SYN_ENGINE_ERROR_ROLLBACK_REFUSED (not a UUID, no
 * snapshot, rolled back already), _ROLLBACK_BLOCKED, or the store's; on any,
 * nothing has changed. */
JsonNode *
syn_rollback_service_rollback (SynStore    *store,
                               const char  *project_id,
                               const char  *correlation_id,
                               const char  *user_id,
                               gboolean     cascade,
                               GError     **error)
{
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(JsonNode) answer = NULL;
  Rollback rb = { 0 };

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  /* The batch must own its transaction, or a failure could not undo it all. */
  g_return_val_if_fail (!syn_store_in_transaction (store), NULL);

  if (!syn_batch_id_check_full (correlation_id, SYN_ENGINE_ERROR_ROLLBACK_REFUSED, error))
    return NULL;
  /* Opened first: the checks below then hold until commit, and of two
   * rollbacks of one batch the second sees the first's result. */
  if (!(batch = syn_batch_begin (store, project_id, user_id, error)))
    return NULL;
  syn_batch_set_write_snapshot (batch, FALSE);

  rb.store = store;
  rb.batch = batch;
  rb.project_id = project_id;
  rb.user_id = user_id;
  rb.now = syn_time_now_usec ();
  timing (&rb, NULL);
  for (guint k = 0; k < N_KINDS; k++)
    rb.outcome[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  answer = rollback_locked (&rb, correlation_id, cascade, error);
  for (guint k = 0; k < N_KINDS; k++)
    g_hash_table_unref (rb.outcome[k]);
  if (answer == NULL)
    {
      syn_batch_abandon (batch);
      return NULL;
    }
  if (!syn_batch_commit (batch, error))
    return NULL;
  timing (&rb, "commit");
  return g_steal_pointer (&answer);
}

/* The later batches, not rolled back, that touched an entity the batch
 * touched, and transitively theirs: what a cascade rolls back first.
 * Correlation ids, newest first; SYN_ENGINE_ERROR_NOT_FOUND for no such batch. */
GPtrArray *
syn_rollback_service_find_blockers (SynStore    *store,
                                    const char  *project_id,
                                    const char  *correlation_id,
                                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BatchInfo) target = NULL;
  g_autoptr(GPtrArray) blockers = NULL;
  GPtrArray *ids;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  if (!syn_batch_id_check_full (correlation_id, SYN_ENGINE_ERROR_ROLLBACK_REFUSED, error))
    return NULL;
  target = batch_info_load (store, project_id, correlation_id, NULL, &local_error);
  if (target == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND,
                     "No batch found for correlation_id: %s", correlation_id);
      return NULL;
    }
  if (!(blockers = collect_blockers (store, project_id, target, error)))
    return NULL;
  ids = g_ptr_array_new_full (blockers->len, g_free);
  for (guint i = 0; i < blockers->len; i++)
    g_ptr_array_add (ids, g_strdup (((BatchInfo *) g_ptr_array_index (blockers, i))->correlation_id));
  return ids;
}

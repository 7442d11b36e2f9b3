/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-batch.c: SynBatch: every write path (rules, import, edits, rollback) goes through it, so
 * nothing changes without its event and every batch can be rolled back from its snapshot. */
#include "config.h"

#include "syn-batch.h"
#include "syn-entity-kind-private.h"
#include "syn-snapshot-service.h"

struct _SynBatch
{
  GObject        parent_instance;

  SynStore      *store;
  SynEventStore *events;
  char          *project_id;
  /* Per kind: ids created by this batch, and the pre-images (JSON) of the
   * pre-existing entities it updated or deleted, first touch only. */
  GHashTable    *created[N_KINDS];
  GPtrArray     *created_order[N_KINDS];
  GHashTable    *pre_images[N_KINDS];
  GPtrArray     *pre_image_order[N_KINDS];
  /* Rule definitions the batch created, and pre-images of those it changed
   * or deleted: only batches of rule changes have them (snapshot "rules"). */
  GHashTable    *rules_created;
  GPtrArray     *rules_created_order;
  GHashTable    *rule_images;
  GPtrArray     *rule_image_order;
  JsonObject    *metadata;        /* what every event emitted now carries, or NULL */
  guint          done : 1;
  guint          write_snapshot : 1;
  guint          preview : 1;
};

G_DEFINE_FINAL_TYPE (SynBatch, syn_batch, G_TYPE_OBJECT)

static void
syn_batch_dispose (GObject *object)
{
  SynBatch *self = SYN_BATCH (object);

  if (!self->done && self->events != NULL)
    syn_batch_abandon (self);
  g_clear_object (&self->events);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (syn_batch_parent_class)->dispose (object);
}

static void
syn_batch_finalize (GObject *object)
{
  SynBatch *self = SYN_BATCH (object);

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_clear_pointer (&self->created[k], g_hash_table_unref);
      g_clear_pointer (&self->created_order[k], g_ptr_array_unref);
      g_clear_pointer (&self->pre_images[k], g_hash_table_unref);
      g_clear_pointer (&self->pre_image_order[k], g_ptr_array_unref);
    }
  g_clear_pointer (&self->rules_created, g_hash_table_unref);
  g_clear_pointer (&self->rules_created_order, g_ptr_array_unref);
  g_clear_pointer (&self->rule_images, g_hash_table_unref);
  g_clear_pointer (&self->rule_image_order, g_ptr_array_unref);
  g_clear_pointer (&self->metadata, json_object_unref);
  g_clear_pointer (&self->project_id, g_free);

  G_OBJECT_CLASS (syn_batch_parent_class)->finalize (object);
}

static void
syn_batch_class_init (SynBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_batch_dispose;
  object_class->finalize = syn_batch_finalize;
}

static void
syn_batch_init (SynBatch *self)
{
  for (guint k = 0; k < N_KINDS; k++)
    {
      self->created[k] = g_hash_table_new (g_str_hash, g_str_equal);
      self->created_order[k] = g_ptr_array_new_with_free_func (g_free);
      self->pre_images[k] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      self->pre_image_order[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
    }
  self->rules_created = g_hash_table_new (g_str_hash, g_str_equal);
  self->rules_created_order = g_ptr_array_new_with_free_func (g_free);
  self->rule_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rule_image_order = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->write_snapshot = TRUE;
}

/* Opens the transaction and starts the batch's correlation. */
SynBatch *
syn_batch_begin (SynStore *store, const char *project_id, const char *user_id, GError **error)
{
  g_autoptr(SynBatch) self = NULL;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  self = g_object_new (SYN_TYPE_BATCH, NULL);
  self->store = g_object_ref (store);
  self->project_id = g_strdup (project_id);
  self->events = syn_event_store_new (store, project_id, user_id);
  if (syn_event_store_start_batch (self->events, error) == NULL)
    {
      self->done = TRUE;
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
syn_batch_get_correlation_id (SynBatch *self)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  return syn_event_store_get_correlation_id (self->events);
}

SynEventStore *
syn_batch_get_event_store (SynBatch *self)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  return self->events;
}

SynStore *
syn_batch_get_store (SynBatch *self)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  return self->store;
}

const char *
syn_batch_get_project_id (SynBatch *self)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  return self->project_id;
}

gint64
syn_batch_get_event_count (SynBatch *self)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), 0);
  return syn_event_store_get_batch_count (self->events);
}

/* Without a snapshot the batch cannot be rolled back: a rollback's own batch
 * is written so, and undoing it is refused for want of a snapshot. */
/* A preview (dry run) evaluates everything and writes nothing: entity writes
 * are skipped (new entities still get their ids) and events are dropped
 * instead of appended. Such a batch can only be abandoned. */
void
syn_batch_set_preview (SynBatch *self, gboolean preview)
{
  g_return_if_fail (SYN_IS_BATCH (self));

  self->preview = preview != FALSE;
  syn_event_store_set_discard (self->events, self->preview);
}

gboolean
syn_batch_get_preview (SynBatch *self)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), FALSE);
  return self->preview;
}

/* In a preview, gives a new entity its id (the store would) and says so. */
static gboolean
preview_assign_id (SynBatch *self, char **id)
{
  if (!self->preview)
    return FALSE;
  if (*id == NULL)
    *id = syn_uuid_new ();
  return TRUE;
}

void
syn_batch_set_write_snapshot (SynBatch *self, gboolean write)
{
  g_return_if_fail (SYN_IS_BATCH (self));
  g_return_if_fail (!self->done);

  self->write_snapshot = write != FALSE;
}

/* Every event emitted from now on carries a copy of @metadata (NULL: the
 * empty object again): a redo says in each event which batch it redoes. */
void
syn_batch_set_metadata (SynBatch *self, JsonObject *metadata)
{
  g_return_if_fail (SYN_IS_BATCH (self));

  g_clear_pointer (&self->metadata, json_object_unref);
  if (metadata != NULL)
    self->metadata = json_object_ref (metadata);
}

SynEvent *
syn_batch_emit (SynBatch   *self,
                const char *event_type,
                const char *aggregate_type,
                const char *aggregate_id,
                JsonNode   *payload,
                const char *rule_id,
                const char *discipline,
                const char *causation_id,
                GError    **error)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (!self->done, NULL);

  return syn_event_store_emit (self->events, event_type, aggregate_type, aggregate_id, payload,
                               rule_id, discipline, causation_id,
                               self->metadata ? syn_json_node_new_object (syn_json_object_copy (self->metadata)) : NULL,
                               error);
}

static void
record_created (SynBatch *self, EntityKind kind, const char *id)
{
  char *copy;

  if (g_hash_table_contains (self->created[kind], id))
    return;
  /* one copy, owned by the ordered list; the set borrows it */
  copy = g_strdup (id);
  g_ptr_array_add (self->created_order[kind], copy);
  g_hash_table_add (self->created[kind], copy);
}

/* Only the state before the batch's first touch matters, and nothing of what
 * the batch itself created: rollback deletes that. */
static void
record_pre_image (SynBatch *self, EntityKind kind, const char *id, JsonNode *json)
{
  if (g_hash_table_contains (self->created[kind], id) ||
      g_hash_table_contains (self->pre_images[kind], id))
    return;
  g_hash_table_add (self->pre_images[kind], g_strdup (id));
  g_ptr_array_add (self->pre_image_order[kind], json_node_ref (json));
}

/* The keys whose values differ, with their new value (null when removed). */
JsonObject *
syn_json_diff_objects (JsonObject *before, JsonObject *after)
{
  JsonObject *diff = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, after);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonNode *old = json_object_get_member (before, name);

      if (old == NULL || !syn_json_node_equal (old, node))
        {
          if (JSON_NODE_HOLDS_OBJECT (node) && old != NULL && JSON_NODE_HOLDS_OBJECT (old))
            json_object_set_object_member (diff, name,
                                           syn_json_diff_objects (json_node_get_object (old),
                                                                  json_node_get_object (node)));
          else
            json_object_set_member (diff, name, syn_json_node_deep_copy (node));
        }
    }
  json_object_iter_init (&iter, before);
  while (json_object_iter_next (&iter, &name, &node))
    if (!json_object_has_member (after, name))
      json_object_set_null_member (diff, name);
  return diff;
}

static JsonNode *
update_payload (JsonNode *before, JsonNode *after, gboolean *changed)
{
  JsonObject *payload = json_object_new ();
  JsonObject *diff = syn_json_diff_objects (json_node_get_object (before), json_node_get_object (after));

  *changed = json_object_get_size (diff) > 0;
  json_object_set_member (payload, "before", json_node_ref (before));
  json_object_set_member (payload, "after", json_node_ref (after));
  json_object_set_object_member (payload, "diff", diff);
  return syn_json_node_new_object (payload);
}

SynEvent *
syn_batch_create_asset (SynBatch   *self,
                        SynAsset   *asset,
                        const char *rule_id,
                        const char *causation_id,
                        GError    **error)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (SYN_IS_ASSET (asset), NULL);

  if (asset->project_id == NULL)
    asset->project_id = g_strdup (self->project_id);
  if (!preview_assign_id (self, &asset->id) && !syn_store_insert_asset (self->store, asset, error))
    return NULL;
  record_created (self, KIND_ASSET, asset->id);
  return syn_batch_emit (self, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, asset->id,
                         self->preview ? NULL : syn_asset_to_json (asset), rule_id, asset->discipline, causation_id, error);
}

/* Returns NULL without an error when @after equals @before: no change, no event. */
SynEvent *
syn_batch_update_asset (SynBatch   *self,
                        SynAsset   *before,
                        SynAsset   *after,
                        const char *rule_id,
                        const char *causation_id,
                        GError    **error)
{
  return syn_batch_update_asset_noted (self, before, after, rule_id, causation_id, NULL, error);
}

/* As syn_batch_update_asset(), with the members of @note added to the
 * event's payload beside before, after and diff. */
SynEvent *
syn_batch_update_asset_noted (SynBatch   *self,
                              SynAsset   *before,
                              SynAsset   *after,
                              const char *rule_id,
                              const char *causation_id,
                              JsonObject *note,
                              GError    **error)
{
  g_autoptr(JsonNode) before_json = NULL;
  g_autoptr(JsonNode) after_json = NULL;
  JsonNode *payload;
  gboolean changed;

  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (SYN_IS_ASSET (before) && SYN_IS_ASSET (after), NULL);

  /* a preview's events are dropped: no payload, and the caller has decided
   * there is a change */
  if (self->preview)
    return syn_batch_emit (self, SYN_EVENT_ASSET_UPDATED, SYN_AGGREGATE_ASSET, after->id, NULL,
                           rule_id, after->discipline, causation_id, error);

  before_json = syn_asset_to_json (before);
  after_json = syn_asset_to_json (after);
  payload = update_payload (before_json, after_json, &changed);
  if (!changed)
    {
      json_node_unref (payload);
      return NULL;
    }
  if (!self->preview && !syn_store_update_asset (self->store, after, error))
    {
      json_node_unref (payload);
      return NULL;
    }
  if (note != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, note);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (json_node_get_object (payload), name, syn_json_node_deep_copy (value));
    }
  record_pre_image (self, KIND_ASSET, before->id, before_json);
  return syn_batch_emit (self, SYN_EVENT_ASSET_UPDATED, SYN_AGGREGATE_ASSET, after->id, payload,
                         rule_id, after->discipline, causation_id, error);
}

SynEvent *
syn_batch_delete_asset (SynBatch   *self,
                        SynAsset   *asset,
                        const char *rule_id,
                        const char *causation_id,
                        GError    **error)
{
  g_autoptr(JsonNode) json = NULL;

  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (SYN_IS_ASSET (asset), NULL);

  if (!self->preview && !syn_store_delete_asset (self->store, self->project_id, asset->id, error))
    return NULL;
  json = syn_asset_to_json (asset);
  record_pre_image (self, KIND_ASSET, asset->id, json);
  return syn_batch_emit (self, SYN_EVENT_ASSET_DELETED, SYN_AGGREGATE_ASSET, asset->id,
                         json_node_ref (json), rule_id, asset->discipline, causation_id, error);
}

SynEvent *
syn_batch_create_cable (SynBatch   *self,
                        SynCable   *cable,
                        const char *rule_id,
                        const char *discipline,
                        const char *causation_id,
                        GError    **error)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (SYN_IS_CABLE (cable), NULL);

  if (cable->project_id == NULL)
    cable->project_id = g_strdup (self->project_id);
  if (!preview_assign_id (self, &cable->id) && !syn_store_insert_cable (self->store, cable, error))
    return NULL;
  record_created (self, KIND_CABLE, cable->id);
  return syn_batch_emit (self, SYN_EVENT_CABLE_CREATED, SYN_AGGREGATE_CABLE, cable->id,
                         self->preview ? NULL : syn_cable_to_json (cable), rule_id, discipline, causation_id, error);
}

SynEvent *
syn_batch_update_cable (SynBatch   *self,
                        SynCable   *before,
                        SynCable   *after,
                        const char *rule_id,
                        const char *causation_id,
                        GError    **error)
{
  g_autoptr(JsonNode) before_json = NULL;
  g_autoptr(JsonNode) after_json = NULL;
  JsonNode *payload;
  gboolean changed;

  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (SYN_IS_CABLE (before) && SYN_IS_CABLE (after), NULL);

  before_json = syn_cable_to_json (before);
  after_json = syn_cable_to_json (after);
  payload = update_payload (before_json, after_json, &changed);
  if (!changed)
    {
      json_node_unref (payload);
      return NULL;
    }
  if (!self->preview && !syn_store_update_cable (self->store, after, error))
    {
      json_node_unref (payload);
      return NULL;
    }
  record_pre_image (self, KIND_CABLE, before->id, before_json);
  return syn_batch_emit (self, SYN_EVENT_CABLE_UPDATED, SYN_AGGREGATE_CABLE, after->id, payload,
                         rule_id, NULL, causation_id, error);
}

SynEvent *
syn_batch_delete_cable (SynBatch   *self,
                        SynCable   *cable,
                        const char *rule_id,
                        const char *causation_id,
                        GError    **error)
{
  g_autoptr(JsonNode) json = NULL;

  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (SYN_IS_CABLE (cable), NULL);

  if (!self->preview && !syn_store_delete_cable (self->store, self->project_id, cable->id, error))
    return NULL;
  json = syn_cable_to_json (cable);
  record_pre_image (self, KIND_CABLE, cable->id, json);
  return syn_batch_emit (self, SYN_EVENT_CABLE_DELETED, SYN_AGGREGATE_CABLE, cable->id,
                         json_node_ref (json), rule_id, NULL, causation_id, error);
}

SynEvent *
syn_batch_create_edge (SynBatch   *self,
                       SynEdge    *edge,
                       const char *rule_id,
                       const char *discipline,
                       const char *causation_id,
                       GError    **error)
{
  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (SYN_IS_EDGE (edge), NULL);

  if (edge->project_id == NULL)
    edge->project_id = g_strdup (self->project_id);
  if (!preview_assign_id (self, &edge->id) && !syn_store_insert_edge (self->store, edge, error))
    return NULL;
  record_created (self, KIND_EDGE, edge->id);
  return syn_batch_emit (self, SYN_EVENT_RELATIONSHIP_CREATED, SYN_AGGREGATE_EDGE, edge->id,
                         self->preview ? NULL : syn_edge_to_json (edge), rule_id, discipline, causation_id, error);
}

SynEvent *
syn_batch_delete_edge (SynBatch   *self,
                       SynEdge    *edge,
                       const char *rule_id,
                       const char *causation_id,
                       GError    **error)
{
  g_autoptr(JsonNode) json = NULL;

  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (SYN_IS_EDGE (edge), NULL);

  if (!self->preview && !syn_store_delete_edge (self->store, self->project_id, edge->id, error))
    return NULL;
  json = syn_edge_to_json (edge);
  record_pre_image (self, KIND_EDGE, edge->id, json);
  return syn_batch_emit (self, SYN_EVENT_RELATIONSHIP_DELETED, SYN_AGGREGATE_EDGE, edge->id,
                         json_node_ref (json), rule_id, NULL, causation_id, error);
}

/* Rule definitions: saves @after (NULL: deletes @before), records what
 * rollback needs and emits RULE_DEFINITION_CREATED, _UPDATED (before, after,
 * diff) or _DELETED. NULL without an error when @after equals @before. */
SynEvent *
syn_batch_save_rule (SynBatch   *self,
                     SynRule    *before,
                     SynRule    *after,
                     GError    **error)
{
  g_autoptr(JsonNode) before_json = NULL;
  g_autoptr(JsonNode) after_json = NULL;
  SynRule *rule = after ? after : before;
  const char *type;
  JsonNode *payload;

  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);
  g_return_val_if_fail (before != NULL || after != NULL, NULL);

  before_json = before ? syn_rule_to_json (before) : NULL;
  after_json = after ? syn_rule_to_json (after) : NULL;
  if (before != NULL && after != NULL)
    {
      gboolean changed;

      payload = update_payload (before_json, after_json, &changed);
      if (!changed)
        {
          json_node_unref (payload);
          return NULL;
        }
      type = SYN_EVENT_RULE_DEFINITION_UPDATED;
    }
  else if (after != NULL)
    {
      payload = json_node_ref (after_json);
      type = SYN_EVENT_RULE_DEFINITION_CREATED;
    }
  else
    {
      payload = json_node_ref (before_json);
      type = SYN_EVENT_RULE_DEFINITION_DELETED;
    }
  if (!self->preview &&
      !(after ? syn_store_save_rule (self->store, after, error) : syn_store_delete_rule (self->store, before->id, error)))
    {
      json_node_unref (payload);
      return NULL;
    }
  if (before == NULL)
    {
      if (!g_hash_table_contains (self->rules_created, rule->id))
        {
          char *copy = g_strdup (rule->id);

          g_ptr_array_add (self->rules_created_order, copy);
          g_hash_table_add (self->rules_created, copy);
        }
    }
  else if (!g_hash_table_contains (self->rules_created, rule->id) &&
           g_hash_table_add (self->rule_images, g_strdup (rule->id)))
    g_ptr_array_add (self->rule_image_order, json_node_ref (before_json));
  return syn_batch_emit (self, type, SYN_AGGREGATE_RULE, rule->id, payload, rule->id, rule->discipline, NULL, error);
}

/* {"assets": [pre-images], "cables": [...], "edges": [...],
 *  "created": {"assets": [ids], "cables": [ids], "edges": [ids]}},
 * and "rules" (pre-images) with "created"."rules" (ids) when the batch
 * changed rule definitions. */
JsonNode *
syn_batch_build_snapshot_data (SynBatch *self)
{
  JsonObject *data;
  JsonObject *created;

  g_return_val_if_fail (SYN_IS_BATCH (self), NULL);

  data = json_object_new ();
  created = json_object_new ();
  for (guint k = 0; k < N_KINDS; k++)
    {
      JsonArray *images = json_array_new ();
      JsonArray *ids = json_array_new ();

      for (guint i = 0; i < self->pre_image_order[k]->len; i++)
        json_array_add_element (images, json_node_ref (g_ptr_array_index (self->pre_image_order[k], i)));
      for (guint i = 0; i < self->created_order[k]->len; i++)
        json_array_add_string_element (ids, g_ptr_array_index (self->created_order[k], i));
      json_object_set_array_member (data, kind_names[k], images);
      json_object_set_array_member (created, kind_names[k], ids);
    }
  if (self->rules_created_order->len > 0 || self->rule_image_order->len > 0)
    {
      JsonArray *images = json_array_new ();
      JsonArray *ids = json_array_new ();

      for (guint i = 0; i < self->rule_image_order->len; i++)
        json_array_add_element (images, json_node_ref (g_ptr_array_index (self->rule_image_order, i)));
      for (guint i = 0; i < self->rules_created_order->len; i++)
        json_array_add_string_element (ids, g_ptr_array_index (self->rules_created_order, i));
      json_object_set_array_member (data, "rules", images);
      json_object_set_array_member (created, "rules", ids);
    }
  json_object_set_object_member (data, "created", created);
  return syn_json_node_new_object (data);
}

/* Writes the snapshot (with the final event count) and commits everything of
 * the batch at once. On failure nothing of the batch remains. */
gboolean
syn_batch_commit (SynBatch *self, GError **error)
{
  g_autoptr(SynSnapshotService) snapshots = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;

  g_return_val_if_fail (SYN_IS_BATCH (self), FALSE);
  g_return_val_if_fail (!self->done, FALSE);

  if (!self->write_snapshot)
    {
      self->done = TRUE;
      return syn_event_store_commit_batch (self->events, error);
    }
  snapshots = syn_snapshot_service_new (self->store, self->project_id);
  snapshot = syn_snapshot_service_create_snapshot (snapshots, syn_batch_get_correlation_id (self),
                                                   syn_batch_build_snapshot_data (self), error);
  if (snapshot == NULL ||
      !syn_snapshot_service_update_event_count (snapshots, syn_batch_get_correlation_id (self),
                                                syn_batch_get_event_count (self), error))
    {
      syn_batch_abandon (self);
      return FALSE;
    }
  self->done = TRUE;
  return syn_event_store_commit_batch (self->events, error);
}

void
syn_batch_abandon (SynBatch *self)
{
  g_return_if_fail (SYN_IS_BATCH (self));

  self->done = TRUE;
  syn_event_store_abandon_batch (self->events);
}

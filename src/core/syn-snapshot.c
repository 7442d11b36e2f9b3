/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-snapshot.c: SynSnapshot, the pre-image of a batch, kept for its rollback: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-snapshot.h"

G_DEFINE_FINAL_TYPE (SynSnapshot, syn_snapshot, G_TYPE_OBJECT)

static void
syn_snapshot_finalize (GObject *object)
{
  SynSnapshot *self = SYN_SNAPSHOT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->correlation_id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->snapshot_data, json_node_unref);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->rolled_back_by, g_free);

  G_OBJECT_CLASS (syn_snapshot_parent_class)->finalize (object);
}

static void
syn_snapshot_class_init (SynSnapshotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_snapshot_finalize;
}

static void
syn_snapshot_init (SynSnapshot *self)
{
}

SynSnapshot *
syn_snapshot_new (void)
{
  return g_object_new (SYN_TYPE_SNAPSHOT, NULL);
}

SynSnapshot *
syn_snapshot_copy (SynSnapshot *self)
{
  SynSnapshot *copy;

  g_return_val_if_fail (SYN_IS_SNAPSHOT (self), NULL);

  copy = syn_snapshot_new ();
  copy->id = g_strdup (self->id);
  copy->correlation_id = g_strdup (self->correlation_id);
  copy->project_id = g_strdup (self->project_id);
  copy->snapshot_data = syn_json_node_deep_copy (self->snapshot_data);
  copy->events_count = self->events_count;
  copy->status = g_strdup (self->status);
  copy->executed_at = self->executed_at;
  copy->rolled_back_at = self->rolled_back_at;
  copy->rolled_back_by = g_strdup (self->rolled_back_by);
  return copy;
}

JsonNode *
syn_snapshot_to_json (SynSnapshot *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_SNAPSHOT (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", self->id);
  syn_json_set_string_or_null (object, "correlation_id", self->correlation_id);
  syn_json_set_string_or_null (object, "project_id", self->project_id);
  syn_json_set_copy_or_null (object, "snapshot_data", self->snapshot_data);
  json_object_set_int_member (object, "events_count", self->events_count);
  syn_json_set_string_or_null (object, "status", self->status);
  syn_json_set_time_or_null (object, "executed_at", self->executed_at);
  syn_json_set_time_or_null (object, "rolled_back_at", self->rolled_back_at);
  syn_json_set_string_or_null (object, "rolled_back_by", self->rolled_back_by);
  return syn_json_node_new_object (object);
}

SynSnapshot *
syn_snapshot_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynSnapshot) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_snapshot_new ();
  if (!syn_json_read_string (object, "id", TRUE, &self->id, error) ||
      !syn_json_read_string (object, "correlation_id", TRUE, &self->correlation_id, error) ||
      !syn_json_read_string (object, "project_id", TRUE, &self->project_id, error) ||
      !syn_json_read_int (object, "events_count", &self->events_count, error) ||
      !syn_json_read_string (object, "status", FALSE, &self->status, error) ||
      !syn_json_read_time (object, "executed_at", &self->executed_at, error) ||
      !syn_json_read_time (object, "rolled_back_at", &self->rolled_back_at, error) ||
      !syn_json_read_string (object, "rolled_back_by", FALSE, &self->rolled_back_by, error))
    return NULL;
  self->snapshot_data = syn_json_dup_member (object, "snapshot_data");
  return g_steal_pointer (&self);
}

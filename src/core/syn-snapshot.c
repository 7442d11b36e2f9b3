/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-snapshot.c: SynSnapshot, the pre-image of a batch, kept for its rollback: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-time.h"
#include "syn-snapshot.h"

static JsonNode *
time_node (gint64 usec)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = syn_time_to_iso8601 (usec);

  json_node_set_string (node, text);
  return node;
}

static gpointer
set_missing (GError **error, const char *field)
{
  g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
               "Missing required field \"%s\"", field);
  return NULL;
}

static gpointer
set_wrong_type (GError **error, const char *field, const char *expected)
{
  g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
               "Field \"%s\" must be %s", field, expected);
  return NULL;
}

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
  json_object_set_member (object, "snapshot_data", self->snapshot_data ? syn_json_node_deep_copy (self->snapshot_data) : json_node_new (JSON_NODE_NULL));
  json_object_set_int_member (object, "events_count", self->events_count);
  syn_json_set_string_or_null (object, "status", self->status);
  if (self->executed_at != 0)
    json_object_set_member (object, "executed_at", time_node (self->executed_at));
  else
    json_object_set_null_member (object, "executed_at");
  if (self->rolled_back_at != 0)
    json_object_set_member (object, "rolled_back_at", time_node (self->rolled_back_at));
  else
    json_object_set_null_member (object, "rolled_back_at");
  syn_json_set_string_or_null (object, "rolled_back_by", self->rolled_back_by);
  return syn_json_node_new_object (object);
}

SynSnapshot *
syn_snapshot_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynSnapshot) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_snapshot_new ();
  member = json_object_get_member (object, "id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "id");
  if (!syn_json_get_optional_string (object, "id", &s, error))
    return NULL;
  self->id = g_strdup (s);
  member = json_object_get_member (object, "correlation_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "correlation_id");
  if (!syn_json_get_optional_string (object, "correlation_id", &s, error))
    return NULL;
  self->correlation_id = g_strdup (s);
  member = json_object_get_member (object, "project_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "project_id");
  if (!syn_json_get_optional_string (object, "project_id", &s, error))
    return NULL;
  self->project_id = g_strdup (s);
  member = json_object_get_member (object, "snapshot_data");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->snapshot_data = syn_json_node_deep_copy (member);
  member = json_object_get_member (object, "events_count");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_INT64)
        return set_wrong_type (error, "events_count", "an integer");
      self->events_count = json_node_get_int (member);
    }
  if (!syn_json_get_optional_string (object, "status", &s, error))
    return NULL;
  self->status = g_strdup (s);
  if (!syn_json_get_optional_string (object, "executed_at", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->executed_at, error))
    return NULL;
  if (!syn_json_get_optional_string (object, "rolled_back_at", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->rolled_back_at, error))
    return NULL;
  if (!syn_json_get_optional_string (object, "rolled_back_by", &s, error))
    return NULL;
  self->rolled_back_by = g_strdup (s);
  return g_steal_pointer (&self);
}

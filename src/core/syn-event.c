/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event.c: SynEvent, one immutable workflow event, as the specification defines it: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-time.h"
#include "syn-event.h"

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

G_DEFINE_FINAL_TYPE (SynEvent, syn_event, G_TYPE_OBJECT)

static void
syn_event_finalize (GObject *object)
{
  SynEvent *self = SYN_EVENT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->event_type, g_free);
  g_clear_pointer (&self->aggregate_type, g_free);
  g_clear_pointer (&self->aggregate_id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->rule_id, g_free);
  g_clear_pointer (&self->discipline, g_free);
  g_clear_pointer (&self->payload, json_node_unref);
  g_clear_pointer (&self->metadata, json_node_unref);
  g_clear_pointer (&self->correlation_id, g_free);
  g_clear_pointer (&self->causation_id, g_free);
  g_clear_pointer (&self->user_id, g_free);

  G_OBJECT_CLASS (syn_event_parent_class)->finalize (object);
}

static void
syn_event_class_init (SynEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_event_finalize;
}

static void
syn_event_init (SynEvent *self)
{
}

SynEvent *
syn_event_new (void)
{
  return g_object_new (SYN_TYPE_EVENT, NULL);
}

SynEvent *
syn_event_copy (SynEvent *self)
{
  SynEvent *copy;

  g_return_val_if_fail (SYN_IS_EVENT (self), NULL);

  copy = syn_event_new ();
  copy->id = g_strdup (self->id);
  copy->event_type = g_strdup (self->event_type);
  copy->aggregate_type = g_strdup (self->aggregate_type);
  copy->aggregate_id = g_strdup (self->aggregate_id);
  copy->project_id = g_strdup (self->project_id);
  copy->rule_id = g_strdup (self->rule_id);
  copy->discipline = g_strdup (self->discipline);
  copy->payload = syn_json_node_deep_copy (self->payload);
  copy->metadata = syn_json_node_deep_copy (self->metadata);
  copy->correlation_id = g_strdup (self->correlation_id);
  copy->causation_id = g_strdup (self->causation_id);
  copy->sequence_num = self->sequence_num;
  copy->user_id = g_strdup (self->user_id);
  copy->timestamp = self->timestamp;
  copy->is_rolled_back = self->is_rolled_back;
  copy->position = self->position;
  return copy;
}

JsonNode *
syn_event_to_json (SynEvent *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_EVENT (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", self->id);
  syn_json_set_string_or_null (object, "event_type", self->event_type);
  syn_json_set_string_or_null (object, "aggregate_type", self->aggregate_type);
  syn_json_set_string_or_null (object, "aggregate_id", self->aggregate_id);
  syn_json_set_string_or_null (object, "project_id", self->project_id);
  syn_json_set_string_or_null (object, "rule_id", self->rule_id);
  syn_json_set_string_or_null (object, "discipline", self->discipline);
  json_object_set_member (object, "payload", self->payload ? syn_json_node_deep_copy (self->payload) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (object, "metadata", self->metadata ? syn_json_node_deep_copy (self->metadata) : json_node_new (JSON_NODE_NULL));
  syn_json_set_string_or_null (object, "correlation_id", self->correlation_id);
  syn_json_set_string_or_null (object, "causation_id", self->causation_id);
  json_object_set_int_member (object, "sequence_num", self->sequence_num);
  syn_json_set_string_or_null (object, "user_id", self->user_id);
  if (self->timestamp != 0)
    json_object_set_member (object, "timestamp", time_node (self->timestamp));
  else
    json_object_set_null_member (object, "timestamp");
  json_object_set_boolean_member (object, "is_rolled_back", self->is_rolled_back);
  json_object_set_int_member (object, "position", self->position);
  return syn_json_node_new_object (object);
}

SynEvent *
syn_event_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynEvent) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_event_new ();
  member = json_object_get_member (object, "id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "id");
  if (!syn_json_get_optional_string (object, "id", &s, error))
    return NULL;
  self->id = g_strdup (s);
  member = json_object_get_member (object, "event_type");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "event_type");
  if (!syn_json_get_optional_string (object, "event_type", &s, error))
    return NULL;
  self->event_type = g_strdup (s);
  member = json_object_get_member (object, "aggregate_type");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "aggregate_type");
  if (!syn_json_get_optional_string (object, "aggregate_type", &s, error))
    return NULL;
  self->aggregate_type = g_strdup (s);
  if (!syn_json_get_optional_string (object, "aggregate_id", &s, error))
    return NULL;
  self->aggregate_id = g_strdup (s);
  member = json_object_get_member (object, "project_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "project_id");
  if (!syn_json_get_optional_string (object, "project_id", &s, error))
    return NULL;
  self->project_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "rule_id", &s, error))
    return NULL;
  self->rule_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "discipline", &s, error))
    return NULL;
  self->discipline = g_strdup (s);
  member = json_object_get_member (object, "payload");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->payload = syn_json_node_deep_copy (member);
  member = json_object_get_member (object, "metadata");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->metadata = syn_json_node_deep_copy (member);
  member = json_object_get_member (object, "correlation_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "correlation_id");
  if (!syn_json_get_optional_string (object, "correlation_id", &s, error))
    return NULL;
  self->correlation_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "causation_id", &s, error))
    return NULL;
  self->causation_id = g_strdup (s);
  member = json_object_get_member (object, "sequence_num");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_INT64)
        return set_wrong_type (error, "sequence_num", "an integer");
      self->sequence_num = json_node_get_int (member);
    }
  if (!syn_json_get_optional_string (object, "user_id", &s, error))
    return NULL;
  self->user_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "timestamp", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->timestamp, error))
    return NULL;
  member = json_object_get_member (object, "is_rolled_back");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return set_wrong_type (error, "is_rolled_back", "true or false");
      self->is_rolled_back = json_node_get_boolean (member);
    }
  member = json_object_get_member (object, "position");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_INT64)
        return set_wrong_type (error, "position", "an integer");
      self->position = json_node_get_int (member);
    }
  return g_steal_pointer (&self);
}

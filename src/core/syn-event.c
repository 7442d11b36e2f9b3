/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event.c: SynEvent, one immutable workflow event, as the specification defines it: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-event.h"

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
  syn_json_set_copy_or_null (object, "payload", self->payload);
  syn_json_set_copy_or_null (object, "metadata", self->metadata);
  syn_json_set_string_or_null (object, "correlation_id", self->correlation_id);
  syn_json_set_string_or_null (object, "causation_id", self->causation_id);
  json_object_set_int_member (object, "sequence_num", self->sequence_num);
  syn_json_set_string_or_null (object, "user_id", self->user_id);
  syn_json_set_time_or_null (object, "timestamp", self->timestamp);
  json_object_set_boolean_member (object, "is_rolled_back", self->is_rolled_back);
  json_object_set_int_member (object, "position", self->position);
  return syn_json_node_new_object (object);
}

SynEvent *
syn_event_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynEvent) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_event_new ();
  if (!syn_json_read_string (object, "id", TRUE, &self->id, error) ||
      !syn_json_read_string (object, "event_type", TRUE, &self->event_type, error) ||
      !syn_json_read_string (object, "aggregate_type", TRUE, &self->aggregate_type, error) ||
      !syn_json_read_string (object, "aggregate_id", FALSE, &self->aggregate_id, error) ||
      !syn_json_read_string (object, "project_id", TRUE, &self->project_id, error) ||
      !syn_json_read_string (object, "rule_id", FALSE, &self->rule_id, error) ||
      !syn_json_read_string (object, "discipline", FALSE, &self->discipline, error) ||
      !syn_json_read_string (object, "correlation_id", TRUE, &self->correlation_id, error) ||
      !syn_json_read_string (object, "causation_id", FALSE, &self->causation_id, error) ||
      !syn_json_read_int (object, "sequence_num", &self->sequence_num, error) ||
      !syn_json_read_string (object, "user_id", FALSE, &self->user_id, error) ||
      !syn_json_read_time (object, "timestamp", &self->timestamp, error) ||
      !syn_json_read_boolean (object, "is_rolled_back", &self->is_rolled_back, error) ||
      !syn_json_read_int (object, "position", &self->position, error))
    return NULL;
  self->payload = syn_json_dup_member (object, "payload");
  self->metadata = syn_json_dup_member (object, "metadata");
  return g_steal_pointer (&self);
}

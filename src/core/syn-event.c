/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event.c: SynEvent, one immutable workflow event, as the specification defines it: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-event.h"

G_DEFINE_FINAL_TYPE (SynEvent, syn_event, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, id) },
  { "event_type", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, event_type) },
  { "aggregate_type", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, aggregate_type) },
  { "aggregate_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, aggregate_id) },
  { "project_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, project_id) },
  { "rule_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, rule_id) },
  { "discipline", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, discipline) },
  { "payload", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynEvent, payload) },
  { "metadata", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynEvent, metadata) },
  { "correlation_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEvent, correlation_id) },
  { "causation_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, causation_id) },
  { "sequence_num", SYN_FIELD_INT, G_STRUCT_OFFSET (SynEvent, sequence_num) },
  { "user_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEvent, user_id) },
  { "timestamp", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynEvent, timestamp) },
  { "is_rolled_back", SYN_FIELD_BOOLEAN, G_STRUCT_OFFSET (SynEvent, is_rolled_back) },
  { "position", SYN_FIELD_INT, G_STRUCT_OFFSET (SynEvent, position) },
  { NULL }
};

static void
syn_event_finalize (GObject *object)
{
  SynEvent *self = SYN_EVENT (object);

  syn_fields_clear (self, fields);

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
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_event_to_json (SynEvent *self)
{
  g_return_val_if_fail (SYN_IS_EVENT (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynEvent *
syn_event_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynEvent) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_event_new ();
  if (!syn_fields_from_json (self, fields, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-snapshot.c: SynSnapshot, the pre-image of a batch, kept for its rollback: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-snapshot.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynSnapshot, syn_snapshot, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynSnapshot, id) },
  { "correlation_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynSnapshot, correlation_id) },
  { "project_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynSnapshot, project_id) },
  { "snapshot_data", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynSnapshot, snapshot_data) },
  { "events_count", SYN_FIELD_INT, G_STRUCT_OFFSET (SynSnapshot, events_count) },
  { "status", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynSnapshot, status) },
  { "executed_at", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynSnapshot, executed_at) },
  { "rolled_back_at", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynSnapshot, rolled_back_at) },
  { "rolled_back_by", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynSnapshot, rolled_back_by) },
  { NULL }
};

const SynField *
syn_snapshot_fields (void)
{
  return fields;
}

static void
syn_snapshot_finalize (GObject *object)
{
  SynSnapshot *self = SYN_SNAPSHOT (object);

  syn_fields_clear (self, fields);

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
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_snapshot_to_json (SynSnapshot *self)
{
  g_return_val_if_fail (SYN_IS_SNAPSHOT (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynSnapshot *
syn_snapshot_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynSnapshot) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_snapshot_new ();
  if (!syn_fields_from_json (self, fields, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-edge.c: SynEdge, a relationship between two assets (powers, measures, controls...): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-edge.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynEdge, syn_edge, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEdge, id) },
  { "project_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEdge, project_id) },
  { "source_asset_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEdge, source_asset_id) },
  { "target_asset_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEdge, target_asset_id) },
  { "relation", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynEdge, relation) },
  { "created_by_rule_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynEdge, created_by_rule_id) },
  { "derivation", SYN_FIELD_OPTIONAL_OBJECT, G_STRUCT_OFFSET (SynEdge, derivation) },
  { NULL }
};

const SynField *
syn_edge_fields (void)
{
  return fields;
}

static void
syn_edge_finalize (GObject *object)
{
  SynEdge *self = SYN_EDGE (object);

  syn_fields_clear (self, fields);

  G_OBJECT_CLASS (syn_edge_parent_class)->finalize (object);
}

static void
syn_edge_class_init (SynEdgeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_edge_finalize;
}

static void
syn_edge_init (SynEdge *self)
{
}

SynEdge *
syn_edge_new (void)
{
  return g_object_new (SYN_TYPE_EDGE, NULL);
}

SynEdge *
syn_edge_copy (SynEdge *self)
{
  SynEdge *copy;

  g_return_val_if_fail (SYN_IS_EDGE (self), NULL);

  copy = syn_edge_new ();
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_edge_to_json (SynEdge *self)
{
  g_return_val_if_fail (SYN_IS_EDGE (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynEdge *
syn_edge_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynEdge) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_edge_new ();
  if (!syn_fields_from_json (self, fields, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-edge.c: SynEdge, a relationship between two assets (powers, measures, controls...): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-edge.h"

static gpointer
set_missing (GError **error, const char *field)
{
  g_set_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
               "Missing required field \"%s\"", field);
  return NULL;
}

G_DEFINE_FINAL_TYPE (SynEdge, syn_edge, G_TYPE_OBJECT)

static void
syn_edge_finalize (GObject *object)
{
  SynEdge *self = SYN_EDGE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->source_asset_id, g_free);
  g_clear_pointer (&self->target_asset_id, g_free);
  g_clear_pointer (&self->relation, g_free);
  g_clear_pointer (&self->created_by_rule_id, g_free);
  g_clear_pointer (&self->derivation, json_object_unref);

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
  copy->id = g_strdup (self->id);
  copy->project_id = g_strdup (self->project_id);
  copy->source_asset_id = g_strdup (self->source_asset_id);
  copy->target_asset_id = g_strdup (self->target_asset_id);
  copy->relation = g_strdup (self->relation);
  copy->created_by_rule_id = g_strdup (self->created_by_rule_id);
  copy->derivation = self->derivation ? syn_json_object_copy (self->derivation) : NULL;
  return copy;
}

JsonNode *
syn_edge_to_json (SynEdge *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_EDGE (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", self->id);
  syn_json_set_string_or_null (object, "project_id", self->project_id);
  syn_json_set_string_or_null (object, "source_asset_id", self->source_asset_id);
  syn_json_set_string_or_null (object, "target_asset_id", self->target_asset_id);
  syn_json_set_string_or_null (object, "relation", self->relation);
  syn_json_set_string_or_null (object, "created_by_rule_id", self->created_by_rule_id);
  if (self->derivation != NULL)
    json_object_set_object_member (object, "derivation", syn_json_object_copy (self->derivation));
  return syn_json_node_new_object (object);
}

SynEdge *
syn_edge_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynEdge) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_edge_new ();
  member = json_object_get_member (object, "id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "id");
  if (!syn_json_get_optional_string (object, "id", &s, error))
    return NULL;
  self->id = g_strdup (s);
  member = json_object_get_member (object, "project_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "project_id");
  if (!syn_json_get_optional_string (object, "project_id", &s, error))
    return NULL;
  self->project_id = g_strdup (s);
  member = json_object_get_member (object, "source_asset_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "source_asset_id");
  if (!syn_json_get_optional_string (object, "source_asset_id", &s, error))
    return NULL;
  self->source_asset_id = g_strdup (s);
  member = json_object_get_member (object, "target_asset_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "target_asset_id");
  if (!syn_json_get_optional_string (object, "target_asset_id", &s, error))
    return NULL;
  self->target_asset_id = g_strdup (s);
  member = json_object_get_member (object, "relation");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "relation");
  if (!syn_json_get_optional_string (object, "relation", &s, error))
    return NULL;
  self->relation = g_strdup (s);
  if (!syn_json_get_optional_string (object, "created_by_rule_id", &s, error))
    return NULL;
  self->created_by_rule_id = g_strdup (s);
  if (!syn_json_get_optional_object (object, "derivation", &self->derivation, error))
    return NULL;
  return g_steal_pointer (&self);
}

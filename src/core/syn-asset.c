/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset.c: SynAsset, one asset of a project (pump, motor, tank...): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-asset.h"

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

G_DEFINE_FINAL_TYPE (SynAsset, syn_asset, G_TYPE_OBJECT)

static void
syn_asset_finalize (GObject *object)
{
  SynAsset *self = SYN_ASSET (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->tag, g_free);
  g_clear_pointer (&self->type, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->discipline, g_free);
  g_clear_pointer (&self->area, g_free);
  g_clear_pointer (&self->properties, json_object_unref);
  g_clear_pointer (&self->created_by_rule_id, g_free);
  g_clear_pointer (&self->derivation, json_object_unref);

  G_OBJECT_CLASS (syn_asset_parent_class)->finalize (object);
}

static void
syn_asset_class_init (SynAssetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_asset_finalize;
}

static void
syn_asset_init (SynAsset *self)
{
  self->properties = json_object_new ();
}

SynAsset *
syn_asset_new (void)
{
  return g_object_new (SYN_TYPE_ASSET, NULL);
}

SynAsset *
syn_asset_copy (SynAsset *self)
{
  SynAsset *copy;

  g_return_val_if_fail (SYN_IS_ASSET (self), NULL);

  copy = syn_asset_new ();
  copy->id = g_strdup (self->id);
  copy->project_id = g_strdup (self->project_id);
  copy->tag = g_strdup (self->tag);
  copy->type = g_strdup (self->type);
  copy->description = g_strdup (self->description);
  copy->discipline = g_strdup (self->discipline);
  copy->area = g_strdup (self->area);
  g_clear_pointer (&copy->properties, json_object_unref);
  copy->properties = syn_json_object_copy (self->properties);
  copy->created_by_rule_id = g_strdup (self->created_by_rule_id);
  copy->derivation = self->derivation ? syn_json_object_copy (self->derivation) : NULL;
  return copy;
}

JsonNode *
syn_asset_to_json (SynAsset *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_ASSET (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", self->id);
  syn_json_set_string_or_null (object, "project_id", self->project_id);
  syn_json_set_string_or_null (object, "tag", self->tag);
  syn_json_set_string_or_null (object, "type", self->type);
  syn_json_set_string_or_null (object, "description", self->description);
  syn_json_set_string_or_null (object, "discipline", self->discipline);
  syn_json_set_string_or_null (object, "area", self->area);
  json_object_set_object_member (object, "properties", syn_json_object_copy (self->properties));
  syn_json_set_string_or_null (object, "created_by_rule_id", self->created_by_rule_id);
  if (self->derivation != NULL)
    json_object_set_object_member (object, "derivation", syn_json_object_copy (self->derivation));
  return syn_json_node_new_object (object);
}

SynAsset *
syn_asset_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynAsset) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_asset_new ();
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
  member = json_object_get_member (object, "tag");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "tag");
  if (!syn_json_get_optional_string (object, "tag", &s, error))
    return NULL;
  self->tag = g_strdup (s);
  member = json_object_get_member (object, "type");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "type");
  if (!syn_json_get_optional_string (object, "type", &s, error))
    return NULL;
  self->type = g_strdup (s);
  if (!syn_json_get_optional_string (object, "description", &s, error))
    return NULL;
  self->description = g_strdup (s);
  if (!syn_json_get_optional_string (object, "discipline", &s, error))
    return NULL;
  self->discipline = g_strdup (s);
  if (!syn_json_get_optional_string (object, "area", &s, error))
    return NULL;
  self->area = g_strdup (s);
  member = json_object_get_member (object, "properties");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        return set_wrong_type (error, "properties", "an object");
      g_clear_pointer (&self->properties, json_object_unref);
      self->properties = syn_json_object_copy (json_node_get_object (member));
    }
  if (!syn_json_get_optional_string (object, "created_by_rule_id", &s, error))
    return NULL;
  self->created_by_rule_id = g_strdup (s);
  if (!syn_json_get_optional_object (object, "derivation", &self->derivation, error))
    return NULL;
  return g_steal_pointer (&self);
}

static const char * const columns[] = { "tag", "type", "description", "discipline", "area", "created_by_rule_id",
                                        NULL };

const char * const *
syn_asset_columns (void)
{
  return columns;
}

static char **
column_slot (SynAsset *self, const char *name)
{
  if (g_str_equal (name, "tag"))
    return &self->tag;
  if (g_str_equal (name, "type"))
    return &self->type;
  if (g_str_equal (name, "description"))
    return &self->description;
  if (g_str_equal (name, "discipline"))
    return &self->discipline;
  if (g_str_equal (name, "area"))
    return &self->area;
  if (g_str_equal (name, "created_by_rule_id"))
    return &self->created_by_rule_id;
  return NULL;
}

const char *
syn_asset_get_column (SynAsset *self, const char *name)
{
  char **slot;

  g_return_val_if_fail (SYN_IS_ASSET (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  slot = column_slot (self, name);
  return slot ? *slot : NULL;
}

void
syn_asset_set_column (SynAsset *self, const char *name, const char *value)
{
  char **slot;

  g_return_if_fail (SYN_IS_ASSET (self));
  g_return_if_fail (name != NULL);

  if ((slot = column_slot (self, name)) != NULL && *slot != value)
    {
      g_free (*slot);
      *slot = g_strdup (value);
    }
}

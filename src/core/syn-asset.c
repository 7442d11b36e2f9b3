/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-asset.c: SynAsset, one asset of a project (pump, motor, tank...): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-asset.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynAsset, syn_asset, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynAsset, id) },
  { "project_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynAsset, project_id) },
  { "tag", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynAsset, tag) },
  { "type", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynAsset, type) },
  { "description", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynAsset, description) },
  { "discipline", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynAsset, discipline) },
  { "area", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynAsset, area) },
  { "properties", SYN_FIELD_OBJECT, G_STRUCT_OFFSET (SynAsset, properties) },
  { "created_by_rule_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynAsset, created_by_rule_id) },
  { "derivation", SYN_FIELD_OPTIONAL_OBJECT, G_STRUCT_OFFSET (SynAsset, derivation) },
  { NULL }
};

const SynField *
syn_asset_fields (void)
{
  return fields;
}

static void
syn_asset_finalize (GObject *object)
{
  SynAsset *self = SYN_ASSET (object);

  syn_fields_clear (self, fields);

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
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_asset_to_json (SynAsset *self)
{
  g_return_val_if_fail (SYN_IS_ASSET (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynAsset *
syn_asset_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynAsset) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_asset_new ();
  if (!syn_fields_from_json (self, fields, object, error))
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

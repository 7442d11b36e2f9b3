/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cable.c: SynCable, a power or signal cable between two assets, with its sizing results: construction, copy and JSON form. */
#include "config.h"

#include <math.h>

#include "syn-json.h"
#include "syn-cable.h"

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

G_DEFINE_FINAL_TYPE (SynCable, syn_cable, G_TYPE_OBJECT)

static void
syn_cable_finalize (GObject *object)
{
  SynCable *self = SYN_CABLE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->tag, g_free);
  g_clear_pointer (&self->from_asset_id, g_free);
  g_clear_pointer (&self->to_asset_id, g_free);
  g_clear_pointer (&self->cable_type, g_free);
  g_clear_pointer (&self->conductor_size, g_free);
  g_clear_pointer (&self->properties, json_object_unref);
  g_clear_pointer (&self->created_by_rule_id, g_free);
  g_clear_pointer (&self->derivation, json_object_unref);

  G_OBJECT_CLASS (syn_cable_parent_class)->finalize (object);
}

static void
syn_cable_class_init (SynCableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_cable_finalize;
}

static void
syn_cable_init (SynCable *self)
{
  self->voltage = NAN;
  self->length_m = NAN;
  self->flc_a = NAN;
  self->ampacity_a = NAN;
  self->voltage_drop_pct = NAN;
  self->properties = json_object_new ();
}

SynCable *
syn_cable_new (void)
{
  return g_object_new (SYN_TYPE_CABLE, NULL);
}

SynCable *
syn_cable_copy (SynCable *self)
{
  SynCable *copy;

  g_return_val_if_fail (SYN_IS_CABLE (self), NULL);

  copy = syn_cable_new ();
  copy->id = g_strdup (self->id);
  copy->project_id = g_strdup (self->project_id);
  copy->tag = g_strdup (self->tag);
  copy->from_asset_id = g_strdup (self->from_asset_id);
  copy->to_asset_id = g_strdup (self->to_asset_id);
  copy->cable_type = g_strdup (self->cable_type);
  copy->voltage = self->voltage;
  copy->length_m = self->length_m;
  copy->conductor_size = g_strdup (self->conductor_size);
  copy->flc_a = self->flc_a;
  copy->ampacity_a = self->ampacity_a;
  copy->voltage_drop_pct = self->voltage_drop_pct;
  g_clear_pointer (&copy->properties, json_object_unref);
  copy->properties = syn_json_object_copy (self->properties);
  copy->created_by_rule_id = g_strdup (self->created_by_rule_id);
  copy->derivation = self->derivation ? syn_json_object_copy (self->derivation) : NULL;
  return copy;
}

JsonNode *
syn_cable_to_json (SynCable *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_CABLE (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", self->id);
  syn_json_set_string_or_null (object, "project_id", self->project_id);
  syn_json_set_string_or_null (object, "tag", self->tag);
  syn_json_set_string_or_null (object, "from_asset_id", self->from_asset_id);
  syn_json_set_string_or_null (object, "to_asset_id", self->to_asset_id);
  syn_json_set_string_or_null (object, "cable_type", self->cable_type);
  syn_json_set_double_or_null (object, "voltage", self->voltage);
  syn_json_set_double_or_null (object, "length_m", self->length_m);
  syn_json_set_string_or_null (object, "conductor_size", self->conductor_size);
  syn_json_set_double_or_null (object, "flc_a", self->flc_a);
  syn_json_set_double_or_null (object, "ampacity_a", self->ampacity_a);
  syn_json_set_double_or_null (object, "voltage_drop_pct", self->voltage_drop_pct);
  json_object_set_object_member (object, "properties", syn_json_object_copy (self->properties));
  syn_json_set_string_or_null (object, "created_by_rule_id", self->created_by_rule_id);
  if (self->derivation != NULL)
    json_object_set_object_member (object, "derivation", syn_json_object_copy (self->derivation));
  return syn_json_node_new_object (object);
}

SynCable *
syn_cable_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynCable) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_cable_new ();
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
  if (!syn_json_get_optional_string (object, "from_asset_id", &s, error))
    return NULL;
  self->from_asset_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "to_asset_id", &s, error))
    return NULL;
  self->to_asset_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "cable_type", &s, error))
    return NULL;
  self->cable_type = g_strdup (s);
  if (!syn_json_get_optional_double (object, "voltage", &self->voltage, error))
    return NULL;
  if (!syn_json_get_optional_double (object, "length_m", &self->length_m, error))
    return NULL;
  if (!syn_json_get_optional_string (object, "conductor_size", &s, error))
    return NULL;
  self->conductor_size = g_strdup (s);
  if (!syn_json_get_optional_double (object, "flc_a", &self->flc_a, error))
    return NULL;
  if (!syn_json_get_optional_double (object, "ampacity_a", &self->ampacity_a, error))
    return NULL;
  if (!syn_json_get_optional_double (object, "voltage_drop_pct", &self->voltage_drop_pct, error))
    return NULL;
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

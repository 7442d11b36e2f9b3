/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cable.c: SynCable, a power or signal cable between two assets, with its sizing results: construction, copy and JSON form. */
#include "config.h"

#include <math.h>

#include "syn-json.h"
#include "syn-cable.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynCable, syn_cable, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynCable, id) },
  { "project_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynCable, project_id) },
  { "tag", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynCable, tag) },
  { "from_asset_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynCable, from_asset_id) },
  { "to_asset_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynCable, to_asset_id) },
  { "cable_type", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynCable, cable_type) },
  { "voltage", SYN_FIELD_DOUBLE, G_STRUCT_OFFSET (SynCable, voltage) },
  { "length_m", SYN_FIELD_DOUBLE, G_STRUCT_OFFSET (SynCable, length_m) },
  { "conductor_size", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynCable, conductor_size) },
  { "flc_a", SYN_FIELD_DOUBLE, G_STRUCT_OFFSET (SynCable, flc_a) },
  { "ampacity_a", SYN_FIELD_DOUBLE, G_STRUCT_OFFSET (SynCable, ampacity_a) },
  { "voltage_drop_pct", SYN_FIELD_DOUBLE, G_STRUCT_OFFSET (SynCable, voltage_drop_pct) },
  { "properties", SYN_FIELD_OBJECT, G_STRUCT_OFFSET (SynCable, properties) },
  { "created_by_rule_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynCable, created_by_rule_id) },
  { "derivation", SYN_FIELD_OPTIONAL_OBJECT, G_STRUCT_OFFSET (SynCable, derivation) },
  { NULL }
};

const SynField *
syn_cable_fields (void)
{
  return fields;
}

static void
syn_cable_finalize (GObject *object)
{
  SynCable *self = SYN_CABLE (object);

  syn_fields_clear (self, fields);

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
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_cable_to_json (SynCable *self)
{
  g_return_val_if_fail (SYN_IS_CABLE (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynCable *
syn_cable_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynCable) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_cable_new ();
  if (!syn_fields_from_json (self, fields, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

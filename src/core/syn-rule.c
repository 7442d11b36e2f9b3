/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule.c: SynRule, a rule definition as stored (the engine parses condition and action): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-rule.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynRule, syn_rule, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynRule, id) },
  { "project_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynRule, project_id) },
  { "name", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynRule, name) },
  { "description", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynRule, description) },
  { "source", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynRule, source) },
  { "priority", SYN_FIELD_INT, G_STRUCT_OFFSET (SynRule, priority) },
  { "discipline", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynRule, discipline) },
  { "is_enforced", SYN_FIELD_BOOLEAN, G_STRUCT_OFFSET (SynRule, is_enforced) },
  { "is_active", SYN_FIELD_BOOLEAN, G_STRUCT_OFFSET (SynRule, is_active) },
  { "action_type", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynRule, action_type) },
  { "condition", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynRule, condition) },
  { "action", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynRule, action) },
  { "created_at", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynRule, created_at) },
  { "updated_at", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynRule, updated_at) },
  { NULL }
};

const SynField *
syn_rule_fields (void)
{
  return fields;
}

static void
syn_rule_finalize (GObject *object)
{
  SynRule *self = SYN_RULE (object);

  syn_fields_clear (self, fields);

  G_OBJECT_CLASS (syn_rule_parent_class)->finalize (object);
}

static void
syn_rule_class_init (SynRuleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_rule_finalize;
}

static void
syn_rule_init (SynRule *self)
{
  self->is_active = TRUE;
}

SynRule *
syn_rule_new (void)
{
  return g_object_new (SYN_TYPE_RULE, NULL);
}

SynRule *
syn_rule_copy (SynRule *self)
{
  SynRule *copy;

  g_return_val_if_fail (SYN_IS_RULE (self), NULL);

  copy = syn_rule_new ();
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_rule_to_json (SynRule *self)
{
  g_return_val_if_fail (SYN_IS_RULE (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynRule *
syn_rule_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynRule) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_rule_new ();
  if (!syn_fields_from_json (self, fields, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

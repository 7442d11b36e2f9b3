/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule.c: SynRule, a rule definition as stored (the engine parses condition and action): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-rule.h"

G_DEFINE_FINAL_TYPE (SynRule, syn_rule, G_TYPE_OBJECT)

static void
syn_rule_finalize (GObject *object)
{
  SynRule *self = SYN_RULE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->discipline, g_free);
  g_clear_pointer (&self->action_type, g_free);
  g_clear_pointer (&self->condition, json_node_unref);
  g_clear_pointer (&self->action, json_node_unref);

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
  copy->id = g_strdup (self->id);
  copy->project_id = g_strdup (self->project_id);
  copy->name = g_strdup (self->name);
  copy->description = g_strdup (self->description);
  copy->source = g_strdup (self->source);
  copy->priority = self->priority;
  copy->discipline = g_strdup (self->discipline);
  copy->is_enforced = self->is_enforced;
  copy->is_active = self->is_active;
  copy->action_type = g_strdup (self->action_type);
  copy->condition = syn_json_node_deep_copy (self->condition);
  copy->action = syn_json_node_deep_copy (self->action);
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;
  return copy;
}

JsonNode *
syn_rule_to_json (SynRule *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_RULE (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", self->id);
  syn_json_set_string_or_null (object, "project_id", self->project_id);
  syn_json_set_string_or_null (object, "name", self->name);
  syn_json_set_string_or_null (object, "description", self->description);
  syn_json_set_string_or_null (object, "source", self->source);
  json_object_set_int_member (object, "priority", self->priority);
  syn_json_set_string_or_null (object, "discipline", self->discipline);
  json_object_set_boolean_member (object, "is_enforced", self->is_enforced);
  json_object_set_boolean_member (object, "is_active", self->is_active);
  syn_json_set_string_or_null (object, "action_type", self->action_type);
  syn_json_set_copy_or_null (object, "condition", self->condition);
  syn_json_set_copy_or_null (object, "action", self->action);
  syn_json_set_time_or_null (object, "created_at", self->created_at);
  syn_json_set_time_or_null (object, "updated_at", self->updated_at);
  return syn_json_node_new_object (object);
}

SynRule *
syn_rule_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynRule) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_rule_new ();
  if (!syn_json_read_string (object, "id", TRUE, &self->id, error) ||
      !syn_json_read_string (object, "project_id", FALSE, &self->project_id, error) ||
      !syn_json_read_string (object, "name", TRUE, &self->name, error) ||
      !syn_json_read_string (object, "description", FALSE, &self->description, error) ||
      !syn_json_read_string (object, "source", FALSE, &self->source, error) ||
      !syn_json_read_int (object, "priority", &self->priority, error) ||
      !syn_json_read_string (object, "discipline", FALSE, &self->discipline, error) ||
      !syn_json_read_boolean (object, "is_enforced", &self->is_enforced, error) ||
      !syn_json_read_boolean (object, "is_active", &self->is_active, error) ||
      !syn_json_read_string (object, "action_type", TRUE, &self->action_type, error) ||
      !syn_json_read_time (object, "created_at", &self->created_at, error) ||
      !syn_json_read_time (object, "updated_at", &self->updated_at, error))
    return NULL;
  self->condition = syn_json_dup_member (object, "condition");
  self->action = syn_json_dup_member (object, "action");
  return g_steal_pointer (&self);
}

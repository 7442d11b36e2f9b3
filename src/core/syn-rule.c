/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule.c: SynRule, a rule definition as stored (the engine parses condition and action): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-time.h"
#include "syn-rule.h"

static JsonNode *
time_node (gint64 usec)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = syn_time_to_iso8601 (usec);

  json_node_set_string (node, text);
  return node;
}

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
  json_object_set_member (object, "condition", self->condition ? syn_json_node_deep_copy (self->condition) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (object, "action", self->action ? syn_json_node_deep_copy (self->action) : json_node_new (JSON_NODE_NULL));
  if (self->created_at != 0)
    json_object_set_member (object, "created_at", time_node (self->created_at));
  else
    json_object_set_null_member (object, "created_at");
  if (self->updated_at != 0)
    json_object_set_member (object, "updated_at", time_node (self->updated_at));
  else
    json_object_set_null_member (object, "updated_at");
  return syn_json_node_new_object (object);
}

SynRule *
syn_rule_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynRule) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_rule_new ();
  member = json_object_get_member (object, "id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "id");
  if (!syn_json_get_optional_string (object, "id", &s, error))
    return NULL;
  self->id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "project_id", &s, error))
    return NULL;
  self->project_id = g_strdup (s);
  member = json_object_get_member (object, "name");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "name");
  if (!syn_json_get_optional_string (object, "name", &s, error))
    return NULL;
  self->name = g_strdup (s);
  if (!syn_json_get_optional_string (object, "description", &s, error))
    return NULL;
  self->description = g_strdup (s);
  if (!syn_json_get_optional_string (object, "source", &s, error))
    return NULL;
  self->source = g_strdup (s);
  member = json_object_get_member (object, "priority");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_INT64)
        return set_wrong_type (error, "priority", "an integer");
      self->priority = json_node_get_int (member);
    }
  if (!syn_json_get_optional_string (object, "discipline", &s, error))
    return NULL;
  self->discipline = g_strdup (s);
  member = json_object_get_member (object, "is_enforced");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return set_wrong_type (error, "is_enforced", "true or false");
      self->is_enforced = json_node_get_boolean (member);
    }
  member = json_object_get_member (object, "is_active");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return set_wrong_type (error, "is_active", "true or false");
      self->is_active = json_node_get_boolean (member);
    }
  member = json_object_get_member (object, "action_type");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "action_type");
  if (!syn_json_get_optional_string (object, "action_type", &s, error))
    return NULL;
  self->action_type = g_strdup (s);
  member = json_object_get_member (object, "condition");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->condition = syn_json_node_deep_copy (member);
  member = json_object_get_member (object, "action");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->action = syn_json_node_deep_copy (member);
  if (!syn_json_get_optional_string (object, "created_at", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->created_at, error))
    return NULL;
  if (!syn_json_get_optional_string (object, "updated_at", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->updated_at, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-execution.c: SynExecution, one run of the rule engine (or an import, an edit, a rollback): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-time.h"
#include "syn-execution.h"

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

G_DEFINE_FINAL_TYPE (SynExecution, syn_execution, G_TYPE_OBJECT)

static void
syn_execution_finalize (GObject *object)
{
  SynExecution *self = SYN_EXECUTION (object);

  g_clear_pointer (&self->execution_id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->correlation_id, g_free);
  g_clear_pointer (&self->mode, g_free);
  g_clear_pointer (&self->filters, json_node_unref);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->summary, json_node_unref);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (syn_execution_parent_class)->finalize (object);
}

static void
syn_execution_class_init (SynExecutionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_execution_finalize;
}

static void
syn_execution_init (SynExecution *self)
{
}

SynExecution *
syn_execution_new (void)
{
  return g_object_new (SYN_TYPE_EXECUTION, NULL);
}

SynExecution *
syn_execution_copy (SynExecution *self)
{
  SynExecution *copy;

  g_return_val_if_fail (SYN_IS_EXECUTION (self), NULL);

  copy = syn_execution_new ();
  copy->execution_id = g_strdup (self->execution_id);
  copy->project_id = g_strdup (self->project_id);
  copy->correlation_id = g_strdup (self->correlation_id);
  copy->mode = g_strdup (self->mode);
  copy->filters = syn_json_node_deep_copy (self->filters);
  copy->status = g_strdup (self->status);
  copy->user_id = g_strdup (self->user_id);
  copy->started_at = self->started_at;
  copy->finished_at = self->finished_at;
  copy->summary = syn_json_node_deep_copy (self->summary);
  copy->error = g_strdup (self->error);
  return copy;
}

JsonNode *
syn_execution_to_json (SynExecution *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_EXECUTION (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "execution_id", self->execution_id);
  syn_json_set_string_or_null (object, "project_id", self->project_id);
  syn_json_set_string_or_null (object, "correlation_id", self->correlation_id);
  syn_json_set_string_or_null (object, "mode", self->mode);
  json_object_set_member (object, "filters", self->filters ? syn_json_node_deep_copy (self->filters) : json_node_new (JSON_NODE_NULL));
  syn_json_set_string_or_null (object, "status", self->status);
  syn_json_set_string_or_null (object, "user_id", self->user_id);
  if (self->started_at != 0)
    json_object_set_member (object, "started_at", time_node (self->started_at));
  else
    json_object_set_null_member (object, "started_at");
  if (self->finished_at != 0)
    json_object_set_member (object, "finished_at", time_node (self->finished_at));
  else
    json_object_set_null_member (object, "finished_at");
  json_object_set_member (object, "summary", self->summary ? syn_json_node_deep_copy (self->summary) : json_node_new (JSON_NODE_NULL));
  syn_json_set_string_or_null (object, "error", self->error);
  return syn_json_node_new_object (object);
}

SynExecution *
syn_execution_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynExecution) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_execution_new ();
  member = json_object_get_member (object, "execution_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "execution_id");
  if (!syn_json_get_optional_string (object, "execution_id", &s, error))
    return NULL;
  self->execution_id = g_strdup (s);
  member = json_object_get_member (object, "project_id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "project_id");
  if (!syn_json_get_optional_string (object, "project_id", &s, error))
    return NULL;
  self->project_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "correlation_id", &s, error))
    return NULL;
  self->correlation_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "mode", &s, error))
    return NULL;
  self->mode = g_strdup (s);
  member = json_object_get_member (object, "filters");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->filters = syn_json_node_deep_copy (member);
  if (!syn_json_get_optional_string (object, "status", &s, error))
    return NULL;
  self->status = g_strdup (s);
  if (!syn_json_get_optional_string (object, "user_id", &s, error))
    return NULL;
  self->user_id = g_strdup (s);
  if (!syn_json_get_optional_string (object, "started_at", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->started_at, error))
    return NULL;
  if (!syn_json_get_optional_string (object, "finished_at", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->finished_at, error))
    return NULL;
  member = json_object_get_member (object, "summary");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    self->summary = syn_json_node_deep_copy (member);
  if (!syn_json_get_optional_string (object, "error", &s, error))
    return NULL;
  self->error = g_strdup (s);
  return g_steal_pointer (&self);
}

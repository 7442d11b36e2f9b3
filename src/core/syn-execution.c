/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-execution.c: SynExecution, one run of the rule engine (or an import, an edit, a rollback): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-execution.h"

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
  syn_json_set_copy_or_null (object, "filters", self->filters);
  syn_json_set_string_or_null (object, "status", self->status);
  syn_json_set_string_or_null (object, "user_id", self->user_id);
  syn_json_set_time_or_null (object, "started_at", self->started_at);
  syn_json_set_time_or_null (object, "finished_at", self->finished_at);
  syn_json_set_copy_or_null (object, "summary", self->summary);
  syn_json_set_string_or_null (object, "error", self->error);
  return syn_json_node_new_object (object);
}

SynExecution *
syn_execution_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynExecution) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_execution_new ();
  if (!syn_json_read_string (object, "execution_id", TRUE, &self->execution_id, error) ||
      !syn_json_read_string (object, "project_id", TRUE, &self->project_id, error) ||
      !syn_json_read_string (object, "correlation_id", FALSE, &self->correlation_id, error) ||
      !syn_json_read_string (object, "mode", FALSE, &self->mode, error) ||
      !syn_json_read_string (object, "status", FALSE, &self->status, error) ||
      !syn_json_read_string (object, "user_id", FALSE, &self->user_id, error) ||
      !syn_json_read_time (object, "started_at", &self->started_at, error) ||
      !syn_json_read_time (object, "finished_at", &self->finished_at, error) ||
      !syn_json_read_string (object, "error", FALSE, &self->error, error))
    return NULL;
  self->filters = syn_json_dup_member (object, "filters");
  self->summary = syn_json_dup_member (object, "summary");
  return g_steal_pointer (&self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-execution.c: SynExecution, one run of the rule engine (or an import, an edit, a rollback): construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-execution.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynExecution, syn_execution, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "execution_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynExecution, execution_id) },
  { "project_id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynExecution, project_id) },
  { "correlation_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynExecution, correlation_id) },
  { "mode", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynExecution, mode) },
  { "filters", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynExecution, filters) },
  { "status", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynExecution, status) },
  { "user_id", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynExecution, user_id) },
  { "started_at", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynExecution, started_at) },
  { "finished_at", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynExecution, finished_at) },
  { "summary", SYN_FIELD_NODE, G_STRUCT_OFFSET (SynExecution, summary) },
  { "error", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynExecution, error) },
  { NULL }
};

const SynField *
syn_execution_fields (void)
{
  return fields;
}

static void
syn_execution_finalize (GObject *object)
{
  SynExecution *self = SYN_EXECUTION (object);

  syn_fields_clear (self, fields);

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
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_execution_to_json (SynExecution *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynExecution *
syn_execution_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynExecution) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_execution_new ();
  if (!syn_fields_from_json (self, fields, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

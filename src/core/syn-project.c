/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-project.c: SynProject, one engineering project: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-project.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynProject, syn_project, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynProject, id) },
  { "name", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynProject, name) },
  { "description", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynProject, description) },
  { "country", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynProject, country) },
  { "created_at", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynProject, created_at) },
  { NULL }
};

const SynField *
syn_project_fields (void)
{
  return fields;
}

static void
syn_project_finalize (GObject *object)
{
  SynProject *self = SYN_PROJECT (object);

  syn_fields_clear (self, fields);

  G_OBJECT_CLASS (syn_project_parent_class)->finalize (object);
}

static void
syn_project_class_init (SynProjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_project_finalize;
}

static void
syn_project_init (SynProject *self)
{
}

SynProject *
syn_project_new (void)
{
  return g_object_new (SYN_TYPE_PROJECT, NULL);
}

SynProject *
syn_project_copy (SynProject *self)
{
  SynProject *copy;

  g_return_val_if_fail (SYN_IS_PROJECT (self), NULL);

  copy = syn_project_new ();
  syn_fields_copy (copy, self, fields);
  return copy;
}

JsonNode *
syn_project_to_json (SynProject *self)
{
  g_return_val_if_fail (SYN_IS_PROJECT (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynProject *
syn_project_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynProject) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_project_new ();
  if (!syn_fields_from_json (self, fields, object, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-project.c: SynProject, one engineering project: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-project.h"

G_DEFINE_FINAL_TYPE (SynProject, syn_project, G_TYPE_OBJECT)

static void
syn_project_finalize (GObject *object)
{
  SynProject *self = SYN_PROJECT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->country, g_free);

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
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->description = g_strdup (self->description);
  copy->country = g_strdup (self->country);
  copy->created_at = self->created_at;
  return copy;
}

JsonNode *
syn_project_to_json (SynProject *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_PROJECT (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", self->id);
  syn_json_set_string_or_null (object, "name", self->name);
  syn_json_set_string_or_null (object, "description", self->description);
  syn_json_set_string_or_null (object, "country", self->country);
  syn_json_set_time_or_null (object, "created_at", self->created_at);
  return syn_json_node_new_object (object);
}

SynProject *
syn_project_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynProject) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_project_new ();
  if (!syn_json_read_string (object, "id", TRUE, &self->id, error) ||
      !syn_json_read_string (object, "name", TRUE, &self->name, error) ||
      !syn_json_read_string (object, "description", FALSE, &self->description, error) ||
      !syn_json_read_string (object, "country", FALSE, &self->country, error) ||
      !syn_json_read_time (object, "created_at", &self->created_at, error))
    return NULL;
  return g_steal_pointer (&self);
}

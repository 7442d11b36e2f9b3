/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-project.c: SynProject, one engineering project: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-time.h"
#include "syn-project.h"

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
  if (self->created_at != 0)
    json_object_set_member (object, "created_at", time_node (self->created_at));
  else
    json_object_set_null_member (object, "created_at");
  return syn_json_node_new_object (object);
}

SynProject *
syn_project_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynProject) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_project_new ();
  member = json_object_get_member (object, "id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "id");
  if (!syn_json_get_optional_string (object, "id", &s, error))
    return NULL;
  self->id = g_strdup (s);
  member = json_object_get_member (object, "name");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "name");
  if (!syn_json_get_optional_string (object, "name", &s, error))
    return NULL;
  self->name = g_strdup (s);
  if (!syn_json_get_optional_string (object, "description", &s, error))
    return NULL;
  self->description = g_strdup (s);
  if (!syn_json_get_optional_string (object, "country", &s, error))
    return NULL;
  self->country = g_strdup (s);
  if (!syn_json_get_optional_string (object, "created_at", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->created_at, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-user.c: SynUser, a person who signs in; the password hash never leaves the store: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-time.h"
#include "syn-user.h"

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

G_DEFINE_FINAL_TYPE (SynUser, syn_user, G_TYPE_OBJECT)

static void
syn_user_finalize (GObject *object)
{
  SynUser *self = SYN_USER (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->password_hash, g_free);

  G_OBJECT_CLASS (syn_user_parent_class)->finalize (object);
}

static void
syn_user_class_init (SynUserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_user_finalize;
}

static void
syn_user_init (SynUser *self)
{
}

SynUser *
syn_user_new (void)
{
  return g_object_new (SYN_TYPE_USER, NULL);
}

SynUser *
syn_user_copy (SynUser *self)
{
  SynUser *copy;

  g_return_val_if_fail (SYN_IS_USER (self), NULL);

  copy = syn_user_new ();
  copy->id = g_strdup (self->id);
  copy->username = g_strdup (self->username);
  copy->display_name = g_strdup (self->display_name);
  copy->role = g_strdup (self->role);
  copy->password_hash = g_strdup (self->password_hash);
  copy->created_at = self->created_at;
  return copy;
}

JsonNode *
syn_user_to_json (SynUser *self)
{
  JsonObject *object;

  g_return_val_if_fail (SYN_IS_USER (self), NULL);

  object = json_object_new ();
  syn_json_set_string_or_null (object, "id", self->id);
  syn_json_set_string_or_null (object, "username", self->username);
  syn_json_set_string_or_null (object, "display_name", self->display_name);
  syn_json_set_string_or_null (object, "role", self->role);
  if (self->created_at != 0)
    json_object_set_member (object, "created_at", time_node (self->created_at));
  else
    json_object_set_null_member (object, "created_at");
  return syn_json_node_new_object (object);
}

SynUser *
syn_user_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynUser) self = NULL;
  JsonNode *member;
  const char *s;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_user_new ();
  member = json_object_get_member (object, "id");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "id");
  if (!syn_json_get_optional_string (object, "id", &s, error))
    return NULL;
  self->id = g_strdup (s);
  member = json_object_get_member (object, "username");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "username");
  if (!syn_json_get_optional_string (object, "username", &s, error))
    return NULL;
  self->username = g_strdup (s);
  if (!syn_json_get_optional_string (object, "display_name", &s, error))
    return NULL;
  self->display_name = g_strdup (s);
  member = json_object_get_member (object, "role");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return set_missing (error, "role");
  if (!syn_json_get_optional_string (object, "role", &s, error))
    return NULL;
  self->role = g_strdup (s);
  if (!syn_json_get_optional_string (object, "created_at", &s, error))
    return NULL;
  if (s != NULL && !syn_time_parse_iso8601 (s, FALSE, &self->created_at, error))
    return NULL;
  return g_steal_pointer (&self);
}

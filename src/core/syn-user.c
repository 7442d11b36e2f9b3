/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-user.c: SynUser, a person who signs in; the password hash never leaves the store: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-user.h"

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
  syn_json_set_time_or_null (object, "created_at", self->created_at);
  return syn_json_node_new_object (object);
}

SynUser *
syn_user_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynUser) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_user_new ();
  if (!syn_json_read_string (object, "id", TRUE, &self->id, error) ||
      !syn_json_read_string (object, "username", TRUE, &self->username, error) ||
      !syn_json_read_string (object, "display_name", FALSE, &self->display_name, error) ||
      !syn_json_read_string (object, "role", TRUE, &self->role, error) ||
      !syn_json_read_time (object, "created_at", &self->created_at, error))
    return NULL;
  return g_steal_pointer (&self);
}

JsonNode *
syn_user_brief_json (const char *id, const char *username, const char *role)
{
  JsonObject *o = json_object_new ();

  syn_json_set_string_or_null (o, "id", id);
  syn_json_set_string_or_null (o, "username", username);
  syn_json_set_string_or_null (o, "role", role);
  return syn_json_node_new_object (o);
}

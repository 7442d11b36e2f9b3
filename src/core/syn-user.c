/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-user.c: SynUser, a person who signs in; the password hash never leaves the store: construction, copy and JSON form. */
#include "config.h"

#include "syn-json.h"
#include "syn-user.h"
#include "syn-fields.h"

G_DEFINE_FINAL_TYPE (SynUser, syn_user, G_TYPE_OBJECT)

/* Its members, in the order of its JSON form (the password hash is not one of them) */
static const SynField fields[] = {
  { "id", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynUser, id) },
  { "username", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynUser, username) },
  { "display_name", SYN_FIELD_STRING, G_STRUCT_OFFSET (SynUser, display_name) },
  { "role", SYN_FIELD_REQUIRED_STRING, G_STRUCT_OFFSET (SynUser, role) },
  { "created_at", SYN_FIELD_TIME, G_STRUCT_OFFSET (SynUser, created_at) },
  { NULL }
};

const SynField *
syn_user_fields (void)
{
  return fields;
}

static void
syn_user_finalize (GObject *object)
{
  SynUser *self = SYN_USER (object);

  syn_fields_clear (self, fields);
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
  syn_fields_copy (copy, self, fields);
  copy->password_hash = g_strdup (self->password_hash);
  return copy;
}

JsonNode *
syn_user_to_json (SynUser *self)
{
  g_return_val_if_fail (SYN_IS_USER (self), NULL);

  return syn_json_node_new_object (syn_fields_to_json (self, fields));
}

SynUser *
syn_user_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SynUser) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = syn_user_new ();
  if (!syn_fields_from_json (self, fields, object, error))
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

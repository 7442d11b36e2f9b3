/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-user.h: SynUser, a person who signs in; the password hash never leaves the store. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_USER (syn_user_get_type ())

G_DECLARE_FINAL_TYPE (SynUser, syn_user, SYN, USER, GObject)

/* Plain data: the fields are public, like a GdkRGBA with a reference count.
 * Strings are owned (g_free), JSON members owned by reference; doubles are NAN
 * and times 0 when unset. */
struct _SynUser
{
  GObject parent_instance;

  char *id;
  char *username;
  char *display_name;
  char *role;
  char *password_hash;
  gint64 created_at;
};

SynUser *syn_user_new       (void);
SynUser *syn_user_copy      (SynUser   *self);
JsonNode  *syn_user_to_json   (SynUser   *self);
SynUser *syn_user_from_json (JsonObject *object,
                              GError    **error);
/* {id, username, role}: who signed in, as login and /auth/me answer it. */
JsonNode  *syn_user_brief_json (const char *id,
                                const char *username,
                                const char *role);

G_END_DECLS

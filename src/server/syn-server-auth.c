/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-auth.c: SynServer: who a request is (bearer tokens, cached a minute) and whether it may see a project. */
#include "config.h"

#include "syn-server-private.h"

/* Sessions and project access are cached for a minute so that a busy client
 * costs one trip to the database per request, not three. A revoked token or
 * membership may thus live on for that long in another server process. */
#define AUTH_CACHE_USEC      (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define AUTH_CACHE_MAX       10000

typedef struct
{
  char    *project_id;
  gint64   until;
  gboolean archived;
} AccessEntry;

/* ------------------------------------------------------------------------- */
/* Users                                                                     */

static void
server_user_clear (SynServerUser *user)
{
  g_free (user->id);
  g_free (user->username);
  g_free (user->role);
}

SynServerUser *
_syn_server_user_new (JsonObject *user)
{
  SynServerUser *self = g_rc_box_new0 (SynServerUser);

  self->id = g_strdup (syn_json_get_string (user, "id"));
  self->username = g_strdup (syn_json_get_string (user, "username"));
  self->role = g_strdup (syn_json_get_string (user, "role"));
  self->rank = syn_auth_role_rank (self->role);
  self->cached_until = g_get_monotonic_time () + AUTH_CACHE_USEC;
  return self;
}

SynServerUser *
_syn_server_user_ref (SynServerUser *user)
{
  return g_rc_box_acquire (user);
}

void
_syn_server_user_unref (SynServerUser *user)
{
  g_rc_box_release_full (user, (GDestroyNotify) server_user_clear);
}

JsonNode *
_syn_server_user_to_json (SynServerUser *user)
{
  return syn_user_brief_json (user->id, user->username, user->role);
}

void
_syn_server_access_entry_free (gpointer data)
{
  AccessEntry *entry = data;

  g_free (entry->project_id);
  g_free (entry);
}

void
_syn_server_cache_user (SynServer *self, const char *token, SynServerUser *user)
{
  if (g_hash_table_size (self->token_cache) >= AUTH_CACHE_MAX)
    g_hash_table_remove_all (self->token_cache);
  g_hash_table_replace (self->token_cache, syn_auth_token_hash (token), _syn_server_user_ref (user));
}

void
_syn_server_forget_token (SynServer *self, const char *token)
{
  g_autofree char *hash = syn_auth_token_hash (token);

  g_hash_table_remove (self->token_cache, hash);
}

/* ------------------------------------------------------------------------- */
/* Authorization                                                             */

typedef struct
{
  SynRequest     *req;
  SynRequestDone  done;
  char           *cache_key;
} AuthorizeData;

static void
on_authorize_done (GObject *object, GAsyncResult *result, gpointer data)
{
  AuthorizeData *ad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  SynRequest *req = ad->req;
  SynRequestDone done = ad->done;

  if (answer != NULL)
    {
      AccessEntry *entry = g_new0 (AccessEntry, 1);
      SynServer *self = req->server;

      entry->project_id = g_strdup (syn_json_get_string (json_node_get_object (answer), "id"));
      entry->until = g_get_monotonic_time () + AUTH_CACHE_USEC;
      entry->archived = json_object_get_boolean_member_with_default (json_node_get_object (answer), "archived", FALSE);
      if (g_hash_table_size (self->access_cache) >= AUTH_CACHE_MAX)
        g_hash_table_remove_all (self->access_cache);
      g_hash_table_replace (self->access_cache, g_steal_pointer (&ad->cache_key), entry);
      g_free (req->project_id);
      req->project_id = g_strdup (entry->project_id);
      req->project_archived = entry->archived;
    }
  g_free (ad->cache_key);
  g_free (ad);
  done (req, answer, error);
}

/**
 * _syn_server_authorize_project:
 * @project_key: a project's id or name
 *
 * Whether the request's user may see the project (admins: any; others: as
 * members). On success req->project_id holds its id and @done gets no
 * error (the answer is the project when the backend was asked, else %NULL);
 * otherwise @done gets 404, as if there were no such project.
 */
void
_syn_server_authorize_project (SynRequest *req, const char *project_key, SynRequestDone done)
{
  SynServer *self = req->server;
  g_autofree char *key = g_strconcat (req->user->id, "\x1f", project_key, NULL);
  AccessEntry *entry = g_hash_table_lookup (self->access_cache, key);
  g_autoptr(JsonObject) params = NULL;
  AuthorizeData *ad;

  if (entry != NULL && entry->until > g_get_monotonic_time ())
    {
      g_free (req->project_id);
      req->project_id = g_strdup (entry->project_id);
      req->project_archived = entry->archived;
      done (req, NULL, NULL);
      return;
    }
  params = json_object_new ();
  json_object_set_string_member (params, "project_id", project_key);
  json_object_set_string_member (params, "_user_id", req->user->id);
  ad = g_new0 (AuthorizeData, 1);
  ad->req = req;
  ad->done = done;
  ad->cache_key = g_steal_pointer (&key);
  syn_backend_call_async (SYN_BACKEND (self->backend), SYN_OP_AUTHORIZE_PROJECT, params, NULL,
                          on_authorize_done, ad);
}

/* ------------------------------------------------------------------------- */
/* Authentication                                                            */

static void
on_authenticated (GObject *object, GAsyncResult *result, gpointer data)
{
  SynRequest *req = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (answer == NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  req->user = _syn_server_user_new (json_object_get_object_member (json_node_get_object (answer), "user"));
  _syn_server_cache_user (req->server, req->token, req->user);
  _syn_server_signed_in (req);
}

void
_syn_server_authenticate (SynRequest *req)
{
  SynServer *self = req->server;
  g_autofree char *hash = NULL;
  g_autoptr(JsonObject) params = NULL;
  SynServerUser *cached;

  if (req->token == NULL)
    {
      _syn_server_reply_status (req, 401, NULL, "Sign in first: send Authorization: Bearer TOKEN");
      return;
    }
  hash = syn_auth_token_hash (req->token);
  cached = g_hash_table_lookup (self->token_cache, hash);
  if (cached != NULL && cached->cached_until > g_get_monotonic_time ())
    {
      req->user = _syn_server_user_ref (cached);
      _syn_server_signed_in (req);
      return;
    }
  params = json_object_new ();
  json_object_set_string_member (params, "token", req->token);
  syn_backend_call_async (SYN_BACKEND (self->backend), SYN_OP_AUTHENTICATE, params, NULL, on_authenticated, req);
}

void
_syn_server_forget_access (SynServer *self)
{
  g_hash_table_remove_all (self->token_cache);
  g_hash_table_remove_all (self->access_cache);
}

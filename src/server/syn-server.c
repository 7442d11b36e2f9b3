/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server.c: SynServer: listening, the request log, body caps, authentication and authorization,
 * the route table's dispatch, and the WebSocket upgrade. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/syn-core.h"
#include "syn-server-private.h"

/* Sessions and project access are cached for a minute so that a busy client
 * costs one trip to the database per request, not three. A revoked token or
 * membership may thus live on for that long in another server process. */
#define AUTH_CACHE_USEC      (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define AUTH_CACHE_MAX       10000
#define LOGIN_FREE_PER_USER  5
#define LOGIN_FREE_PER_HOST  20
#define LISTEN_BACKLOG       512

struct _SynServer
{
  GObject          parent_instance;

  SynLocalBackend *backend;
  SoupServer      *soup;
  SynWsHub        *hub;
  char            *database;
  char            *url;
  guint            port;

  GHashTable      *token_cache;    /* token hash -> SynServerUser */
  GHashTable      *access_cache;   /* "user id\x1fproject key" -> AccessEntry */
  GHashTable      *page_cache;     /* timeline query -> CachedPage */
  gsize            page_cache_bytes;
  SynLoginThrottle *user_throttle;  /* "host username" */
  SynLoginThrottle *host_throttle;  /* "host" */

  guint64          max_body_size;
  guint64          max_import_size;
  gboolean         log_requests;
};

typedef struct
{
  char   *project_id;
  gint64  until;
} AccessEntry;

/* A timeline answer as sent, and the project's newest event position then. */
typedef struct
{
  gint64  head;
  GBytes *body;
} CachedPage;

/* Whole answers are kept up to this much: the pages many GUIs read. */
#define PAGE_CACHE_BYTES ((gsize) 64 * 1024 * 1024)

enum {
  PROP_0,
  PROP_BACKEND,
  PROP_MAX_BODY_SIZE,
  PROP_MAX_IMPORT_SIZE,
  PROP_LOG_REQUESTS,
  PROP_PING_INTERVAL,
  PROP_FEED_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SynServer, syn_server, G_TYPE_OBJECT)

static GQuark started_quark;
static GQuark body_size_quark;

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

static void
access_entry_free (AccessEntry *entry)
{
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
/* Accessors for the route handlers                                          */

SynBackend *
_syn_server_get_backend (SynServer *self)
{
  return SYN_BACKEND (self->backend);
}

SynLocalBackend *
_syn_server_get_local (SynServer *self)
{
  return self->backend;
}

SynWsHub *
_syn_server_get_hub (SynServer *self)
{
  return self->hub;
}

const char *
_syn_server_get_database (SynServer *self)
{
  return self->database;
}

SynLoginThrottle *
_syn_server_get_throttle (SynServer *self)
{
  return self->user_throttle;
}

/* ------------------------------------------------------------------------- */
/* Requests and replies                                                      */

static void
on_message_finished (SoupServerMessage *msg, gpointer data)
{
  SynRequest *req = data;

  req->gone = TRUE;
}

static SynRequest *
request_new (SynServer *self, SoupServerMessage *msg)
{
  SynRequest *req = g_new0 (SynRequest, 1);

  req->server = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->params = json_object_new ();
  req->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), req);
  /* every answer may come later, from the backend: the message waits */
  soup_server_message_pause (msg);
  return req;
}

void
_syn_server_request_free (SynRequest *req)
{
  g_clear_signal_handler (&req->finished_id, req->msg);
  g_clear_object (&req->msg);
  g_clear_object (&req->server);
  g_clear_pointer (&req->params, json_object_unref);
  g_clear_pointer (&req->user, _syn_server_user_unref);
  g_free (req->token);
  g_free (req->project_id);
  g_free (req);
}

/* Sends whatever was set on the message and ends the request. */
static void
request_finish (SynRequest *req)
{
  if (!req->gone)
    soup_server_message_unpause (req->msg);
  _syn_server_request_free (req);
}

static void
cached_page_free (CachedPage *page)
{
  g_bytes_unref (page->body);
  g_free (page);
}

/* The answer cached for @key if the project has not changed since. */
GBytes *
_syn_server_cached_page (SynServer *self, const char *key, gint64 head)
{
  CachedPage *page = g_hash_table_lookup (self->page_cache, key);

  if (page == NULL || page->head != head)
    return NULL;
  return g_bytes_ref (page->body);
}

static void
cache_page (SynServer *self, const char *key, gint64 head, GBytes *body)
{
  CachedPage *page = g_new0 (CachedPage, 1);
  CachedPage *old = g_hash_table_lookup (self->page_cache, key);

  if (old != NULL)
    self->page_cache_bytes -= g_bytes_get_size (old->body);
  if (self->page_cache_bytes + g_bytes_get_size (body) > PAGE_CACHE_BYTES)
    {
      g_hash_table_remove_all (self->page_cache);
      self->page_cache_bytes = 0;
    }
  page->head = head;
  page->body = g_bytes_ref (body);
  self->page_cache_bytes += g_bytes_get_size (body);
  g_hash_table_replace (self->page_cache, g_strdup (key), page);
}

/* Sends a cached answer as is: nothing is built or written again. */
void
_syn_server_reply_bytes (SynRequest *req, guint status, GBytes *body)
{
  if (!req->gone)
    {
      soup_server_message_set_status (req->msg, status, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "Content-Type", "application/json");
      soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), body);
    }
  request_finish (req);
}

/* Writing a page of events as JSON and freeing its node tree cost more than
 * everything else the main loop does for a request: both happen on a worker,
 * so the main loop only routes and both cores serve. */
typedef struct
{
  SynRequest *req;
  JsonNode   *node;
  guint       status;
  char       *text;
  char       *cache_key;   /* kept in the page cache under this key */
  gint64      head;
} Reply;

static void
reply_free (Reply *reply)
{
  /* the node is gone by now unless the work never ran */
  g_clear_pointer (&reply->node, json_node_unref);
  g_free (reply->text);
  g_free (reply->cache_key);
  g_free (reply);
}

static void
serialize_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Reply *reply = task_data;

  reply->text = syn_json_to_string (reply->node);
  g_clear_pointer (&reply->node, json_node_unref);
  g_task_return_boolean (task, TRUE);
}

static void
on_serialized (GObject *object, GAsyncResult *result, gpointer data)
{
  Reply *reply = g_task_get_task_data (G_TASK (result));
  SynRequest *req = reply->req;

  if (reply->cache_key != NULL)
    {
      gsize len = strlen (reply->text);
      g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&reply->text), len);

      cache_page (req->server, reply->cache_key, reply->head, body);
      _syn_server_reply_bytes (req, reply->status, body);
      return;
    }
  if (!req->gone)
    {
      gsize len = strlen (reply->text);

      soup_server_message_set_status (req->msg, reply->status, NULL);
      soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&reply->text), len);
    }
  request_finish (req);
}

/* From an idle callback: by then whoever handed the node over (the backend
 * call's callback, the handler) has dropped its references, so the worker
 * holds the only one (json-glib's reference counts are not atomic). */
static gboolean
start_serializing (gpointer data)
{
  Reply *reply = data;
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_serialized, NULL);

  g_task_set_source_tag (task, start_serializing);
  g_task_set_name (task, "[synapse] write JSON answer");
  g_task_set_task_data (task, reply, (GDestroyNotify) reply_free);
  g_task_run_in_thread (task, serialize_thread);
  return G_SOURCE_REMOVE;
}

/* Answers @node (the server keeps a reference: the caller may drop its own
 * at once, and must not use the node afterwards). */
static void
reply_json (SynRequest *req, guint status, JsonNode *node, const char *cache_key, gint64 head)
{
  Reply *reply;
  GSource *idle;

  if (req->gone)
    {
      request_finish (req);
      return;
    }
  reply = g_new0 (Reply, 1);
  reply->req = req;
  reply->node = json_node_ref (node);
  reply->status = status;
  reply->cache_key = g_strdup (cache_key);
  reply->head = head;
  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, start_serializing, reply, NULL);
  g_source_set_static_name (idle, "[synapse] answer");
  g_source_attach (idle, g_main_context_get_thread_default ());
  g_source_unref (idle);
}

void
_syn_server_reply_json (SynRequest *req, guint status, JsonNode *node)
{
  reply_json (req, status, node, NULL, 0);
}

/* As _syn_server_reply_json(), and the text is kept for _syn_server_cached_page(). */
void
_syn_server_reply_json_cached (SynRequest *req, guint status, JsonNode *node, const char *key, gint64 head)
{
  reply_json (req, status, node, key, head);
}

void
_syn_server_reply_empty (SynRequest *req, guint status)
{
  if (!req->gone)
    soup_server_message_set_status (req->msg, status, NULL);
  request_finish (req);
}

static const char *
code_for_status (guint status)
{
  switch (status)
    {
    case 400: return "invalid";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "too_large";
    case 415: return "unsupported_media_type";
    case 423: return "busy";
    case 429: return "too_many_requests";
    case 503: return "unavailable";
    default:  return "failed";
    }
}

static void
set_error_body (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code ? code : code_for_status (status));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
  if (status == 401)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"synapse\"");
}

void
_syn_server_reply_status (SynRequest *req, guint status, const char *code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (!req->gone)
    set_error_body (req->msg, status, code, message);
  request_finish (req);
}

void
_syn_server_reply_error (SynRequest *req, const GError *error)
{
  guint status = (guint) syn_backend_error_to_http_status (error);

  /* a failure of ours is logged here; the client gets its message too */
  if (status >= 500)
    g_warning ("%s %s: %s", soup_server_message_get_method (req->msg),
               g_uri_get_path (soup_server_message_get_uri (req->msg)), error->message);
  _syn_server_reply_status (req, status, NULL, "%s", error->message);
}

/* ------------------------------------------------------------------------- */
/* Backend calls                                                             */

typedef struct
{
  SynRequest     *req;
  SynRequestDone  done;
} CallData;

static void
on_call_done (GObject *object, GAsyncResult *result, gpointer data)
{
  CallData *cd = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  SynRequest *req = cd->req;
  SynRequestDone done = cd->done;

  g_free (cd);
  done (req, answer, error);
}

/* Runs @op on the backend's workers; @done gets the answer on this thread. */
void
_syn_server_call (SynRequest *req, const char *op, JsonObject *params, SynRequestDone done)
{
  CallData *cd = g_new0 (CallData, 1);

  cd->req = req;
  cd->done = done;
  syn_backend_call_async (SYN_BACKEND (req->server->backend), op, params, NULL, on_call_done, cd);
}

/* The reply of a plain route: the operation's answer with the route's status. */
void
_syn_server_generic_done (SynRequest *req, JsonNode *answer, GError *error)
{
  const SynApiRoute *route = req->route;

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  if (route->status == SOUP_STATUS_NO_CONTENT)
    {
      /* nothing in the body: the batch of the deletion goes in a header */
      const char *correlation_id = JSON_NODE_HOLDS_OBJECT (answer)
                                   ? syn_json_get_string (json_node_get_object (answer), "correlation_id") : NULL;

      if (correlation_id != NULL && !req->gone)
        soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                      "X-Synapse-Correlation-Id", correlation_id);
      _syn_server_reply_empty (req, SOUP_STATUS_NO_CONTENT);
      return;
    }
  _syn_server_reply_json (req, route->status, answer);
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
      if (g_hash_table_size (self->access_cache) >= AUTH_CACHE_MAX)
        g_hash_table_remove_all (self->access_cache);
      g_hash_table_replace (self->access_cache, g_steal_pointer (&ad->cache_key), entry);
      g_free (req->project_id);
      req->project_id = g_strdup (entry->project_id);
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
/* Dispatch                                                                  */

/* "/api/v1/projects/A%20B/assets" -> {"api", "v1", "projects", "A B", "assets"}. */
static char **
split_path (const char *path)
{
  g_auto(GStrv) raw = g_strsplit (path, "/", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; raw[i]; i++)
    {
      g_autofree char *decoded = NULL;

      if (raw[i][0] == '\0')
        continue;
      decoded = g_uri_unescape_string (raw[i], NULL);
      if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
        return NULL;
      g_strv_builder_add (builder, decoded);
    }
  return g_strv_builder_end (builder);
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  header += 7;
  while (*header == ' ')
    header++;
  return *header ? header : NULL;
}

typedef struct
{
  GHashTable *members;   /* JsonObject -> members parsed */
  char       *duplicate;
} DuplicateScan;

static void
on_object_member (JsonParser *parser, JsonObject *object, const char *name, gpointer data)
{
  DuplicateScan *scan = data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (scan->members, object)) + 1;

  g_hash_table_insert (scan->members, object, GUINT_TO_POINTER (n));
  /* a name seen before was replaced, not added */
  if (scan->duplicate == NULL && json_object_get_size (object) < n)
    scan->duplicate = g_strdup (name);
}

/* json-glib keeps the last of two members with one name: {"cascade": true,
 * "cascade": false} would mean whatever the last one says, unseen. The
 * first name given twice, or NULL (the text is already known to parse). */
static char *
duplicate_member (const char *data, gsize len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  DuplicateScan scan = { g_hash_table_new (NULL, NULL), NULL };

  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &scan);
  json_parser_load_from_data (parser, data, (gssize) len, NULL);
  g_hash_table_unref (scan.members);
  return scan.duplicate;
}

/* A body, decoded per @route, into @params (the fuzz targets call this too). */
gboolean
_syn_server_parse_body (const SynApiRoute *route, const char *data, gsize len, JsonObject *params, GError **error)
{
  g_autoptr(JsonNode) root = NULL;

  switch (route->body)
    {
    case SYN_BODY_NONE:
      if (len > 0)
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                       "body: %s %s takes none", route->method, route->pattern);
          return FALSE;
        }
      return TRUE;

    case SYN_BODY_CSV:
      if (!g_utf8_validate_len (data ? data : "", len, NULL) || (len > 0 && memchr (data, '\0', len) != NULL))
        {
          g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                               "body: the CSV file must be UTF-8 text");
          return FALSE;
        }
      {
        g_autofree char *text = g_strndup (data ? data : "", len);

        json_object_set_string_member (params, "csv", text);
      }
      return TRUE;

    case SYN_BODY_JSON:
    case SYN_BODY_RULE:
    default:
      break;
    }

  if (len == 0)
    {
      if (route->body == SYN_BODY_RULE)
        {
          g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "body: a rule object is required");
          return FALSE;
        }
      return TRUE;
    }
  root = syn_json_parse (data, (gssize) len, error);
  if (root == NULL)
    {
      g_prefix_error (error, "body: ");
      syn_backend_error_from_other (error);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "body: must be a JSON object");
      return FALSE;
    }
  {
    g_autofree char *twice = duplicate_member (data, len);

    if (twice != NULL)
      {
        g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "body: duplicate member \"%s\"", twice);
        return FALSE;
      }
  }
  if (route->body == SYN_BODY_RULE)
    {
      json_object_set_object_member (params, "rule", json_object_ref (json_node_get_object (root)));
      return TRUE;
    }
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    if (!syn_api_route_check_members (route, json_node_get_object (root), error))
      return FALSE;
    json_object_iter_init (&iter, json_node_get_object (root));
    while (json_object_iter_next (&iter, &name, &node))
      json_object_set_member (params, name, json_node_ref (node));
  }
  return TRUE;
}

/* The body, decoded per the route, into req->params. */
static gboolean
read_body (SynRequest *req, GError **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return _syn_server_parse_body (req->route, data, len, req->params, error);
}

/* The query parameters @route takes, into @params (the fuzz targets call this too). */
gboolean
_syn_server_parse_query (const SynApiRoute *route, GHashTable *query, gboolean websocket, JsonObject *params,
                         GError **error)
{
  GHashTableIter iter;
  const char *name, *value;

  if (query == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
    {
      if (websocket && g_str_equal (name, "token"))
        continue;
      if (!syn_api_route_takes_query (route, name))
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: unknown parameter", name);
          return FALSE;
        }
      if (!g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: not UTF-8", name);
          return FALSE;
        }
      json_object_set_string_member (params, name, value);
    }
  return TRUE;
}

/* A body must say what it is, when it says anything: JSON routes take
 * application/json (or a +json type), the import takes CSV or plain text.
 * A form or multipart post is refused rather than read as JSON. NULL when
 * it is fine; else what the route takes. */
static const char *
refused_content_type (SynRequest *req)
{
  static const char * const csv[] = { "text/csv", "text/plain", "application/csv", "text/x-csv",
                                      "application/octet-stream", NULL };
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *type;

  if (req->route->body == SYN_BODY_NONE || soup_server_message_get_request_body (req->msg)->length == 0 ||
      (type = soup_message_headers_get_content_type (headers, NULL)) == NULL)
    return NULL;
  if (req->route->body == SYN_BODY_CSV)
    {
      for (guint i = 0; csv[i]; i++)
        if (g_ascii_strcasecmp (type, csv[i]) == 0)
          return NULL;
      return "text/csv";
    }
  if (g_ascii_strcasecmp (type, "application/json") == 0 || g_str_has_suffix (type, "+json"))
    return NULL;
  return "application/json";
}

static void authorized (SynRequest *req);

static void
on_route_project (SynRequest *req, JsonNode *answer, GError *error)
{
  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  json_object_set_string_member (req->params, "project_id", req->project_id);
  authorized (req);
}

/* Signed in: project access, then the role, then the handler. A user
 * outside the project gets 404 before any role check can tell it exists. */
static void
signed_in (SynRequest *req)
{
  const SynApiRoute *route = req->route;

  if (route->project)
    {
      const char *key = syn_json_get_string (req->params, "project_id");

      if (key == NULL || *key == '\0')
        {
          _syn_server_reply_status (req, 400, NULL, "project_id: required");
          return;
        }
      _syn_server_authorize_project (req, key, on_route_project);
      return;
    }
  authorized (req);
}

static void
authorized (SynRequest *req)
{
  const SynApiRoute *route = req->route;
  SynRouteHandler handle;

  if (req->user != NULL && req->user->rank < (int) route->min_role)
    {
      static const char * const names[] = { "", "viewer", "engineer", "admin" };

      _syn_server_reply_status (req, 403, NULL, "This needs the %s role; %s is %s %s",
                                names[CLAMP (route->min_role, 0, 3)], req->user->username,
                                req->user->rank == 3 || req->user->rank == 2 ? "an" : "a",
                                req->user->role);
      return;
    }
  if (req->user != NULL)
    json_object_set_string_member (req->params, "_user_id", req->user->id);
  handle = _syn_server_route_handler (route);
  if (handle != NULL)
    handle (req);
  else
    _syn_server_call (req, route->op, req->params, _syn_server_generic_done);
}

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
  signed_in (req);
}

static void
authenticate (SynRequest *req)
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
      signed_in (req);
      return;
    }
  params = json_object_new ();
  json_object_set_string_member (params, "token", req->token);
  syn_backend_call_async (SYN_BACKEND (self->backend), SYN_OP_AUTHENTICATE, params, NULL, on_authenticated, req);
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           data)
{
  SynServer *self = data;
  SynRequest *req = request_new (self, msg);
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) segments = split_path (path);
  g_autoptr(GError) error = NULL;
  gboolean path_known = FALSE;
  gboolean websocket;

  if (segments == NULL)
    {
      _syn_server_reply_status (req, 400, NULL, "The path is not valid percent-encoded UTF-8");
      return;
    }
  websocket = segments[0] != NULL && g_str_equal (segments[0], "ws");
  req->route = syn_api_route_match (websocket ? syn_api_ws_routes : syn_api_routes, method, segments, &path_known);
  if (req->route == NULL)
    {
      if (path_known)
        _syn_server_reply_status (req, 405, NULL, "%s is not allowed on %s", method, path);
      else
        _syn_server_reply_status (req, 404, NULL, "No such resource: %s", path);
      return;
    }
  req->is_websocket = websocket;

  {
    const char *wanted = refused_content_type (req);

    if (wanted != NULL)
      {
        _syn_server_reply_status (req, 415, NULL, "Content-Type: %s %s takes %s", method, req->route->pattern, wanted);
        return;
      }
  }
  /* the parameters: body, then query, then path (the path has the last word) */
  if (!read_body (req, &error))
    {
      _syn_server_reply_error (req, error);
      return;
    }
  /* libsoup decodes "?q=%00x" to "": the value would silently be cut short */
  {
    const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));

    if (raw != NULL && strstr (raw, "%00") != NULL)
      {
        _syn_server_reply_status (req, 400, NULL, "The query holds a NUL character (%%00)");
        return;
      }
  }
  if (!_syn_server_parse_query (req->route, query, websocket, req->params, &error))
    {
      _syn_server_reply_error (req, error);
      return;
    }
  syn_api_route_take_path (req->route, segments, req->params);

  if (!syn_api_route_check_ids (req->route, req->params, &error))
    {
      _syn_server_reply_status (req, 400, NULL, "%s", error->message);
      return;
    }

  if (req->route->min_role == SYN_API_ROLE_NONE)
    {
      authorized (req);
      return;
    }
  req->token = g_strdup (bearer_token (msg));
  if (req->token == NULL && websocket && query != NULL && g_hash_table_lookup (query, "token") != NULL)
    req->token = g_strdup (g_hash_table_lookup (query, "token"));
  authenticate (req);
}

/* ------------------------------------------------------------------------- */
/* Body caps                                                                 */

static gboolean
is_import (SoupServerMessage *msg, const char *path)
{
  return soup_server_message_get_method (msg) == SOUP_METHOD_POST && g_str_has_suffix (path, "/import");
}

static void
refuse_too_large (SoupServerMessage *msg, guint64 cap)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *text = g_strdup_printf ("The request body is larger than %" G_GUINT64_FORMAT " bytes", cap);

  /* what is still coming is read and dropped, never kept */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  set_error_body (msg, 413, NULL, text);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
  guint64 cap = GPOINTER_TO_SIZE (data);
  guint64 seen = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (msg), body_size_quark));

  seen += g_bytes_get_size (chunk);
  g_object_set_qdata (G_OBJECT (msg), body_size_quark, GSIZE_TO_POINTER (seen));
  if (seen > cap && soup_server_message_get_status (msg) == 0)
    refuse_too_large (msg, cap);
}

/* Before the body is read: a declared length over the cap is refused at
 * once; a chunked body is counted as it comes. */
static void
handle_early (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           data)
{
  SynServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  guint64 cap = is_import (msg, path) ? self->max_import_size : self->max_body_size;

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if ((guint64) soup_message_headers_get_content_length (headers) > cap)
        refuse_too_large (msg, cap);
      break;
    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
      g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), GSIZE_TO_POINTER ((gsize) cap));
      break;
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_NONE:
    case SOUP_ENCODING_BYTERANGES:
    default:
      break;
    }
}

/* ------------------------------------------------------------------------- */
/* The request log                                                           */

static void
log_line (SynServer *self, const char *method, const char *path, const char *status, gint64 started)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *when = NULL;
  double ms;

  if (!self->log_requests)
    return;
  now = g_date_time_new_now_utc ();
  when = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  ms = started > 0 ? (double) (g_get_monotonic_time () - started) / 1000.0 : 0.0;
  /* one write per line, so lines of concurrent requests never interleave */
  {
    g_autofree char *line = g_strdup_printf ("%sZ %s %s %s %.2f ms\n", when, method, path, status, ms);

    fputs (line, stdout);
    fflush (stdout);
  }
}

static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_qdata_full (G_OBJECT (msg), started_quark, started, g_free);
}

static gint64
message_started (SoupServerMessage *msg)
{
  gint64 *started = g_object_get_qdata (G_OBJECT (msg), started_quark);

  return started ? *started : 0;
}

/* The path without the query: a WebSocket's ?token= never reaches the log. */
static void
on_request_done (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  SynServer *self = data;
  GUri *uri = soup_server_message_get_uri (msg);
  char status[16];

  g_snprintf (status, sizeof status, "%u", soup_server_message_get_status (msg));
  log_line (self, soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : "-",
            status, message_started (msg));
}

/* The client went away before the answer was sent (libsoup then says 500). */
static void
on_request_aborted (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  SynServer *self = data;
  GUri *uri = soup_server_message_get_uri (msg);

  log_line (self, soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : "-",
            "aborted", message_started (msg));
}

/* ------------------------------------------------------------------------- */
/* WebSocket upgrade                                                         */

typedef struct
{
  SynServer *server;
  gboolean   project;        /* else an execution */
  char      *key;
  gint64     after;
  gboolean   may_cancel;
} UpgradeData;

static void
upgrade_data_free (gpointer data, GClosure *closure)
{
  UpgradeData *ud = data;

  g_object_unref (ud->server);
  g_free (ud->key);
  g_free (ud);
}

/* After the 101 is written: the connection becomes a WebSocket for the hub. */
static void
on_wrote_informational (SoupServerMessage *msg, gpointer data)
{
  UpgradeData *ud = data;
  g_autoptr(SynServer) self = NULL;
  g_autoptr(SoupServerMessage) keep = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *key = NULL;
  g_autofree char *method = NULL;
  gboolean project = ud->project;
  gboolean may_cancel = ud->may_cancel;
  gint64 after = ud->after;
  gint64 started;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;
  /* stealing may free the message and this handler's data: copy first */
  keep = g_object_ref (msg);
  self = g_object_ref (ud->server);
  key = g_strdup (ud->key);
  uri = g_uri_ref (soup_server_message_get_uri (msg));
  origin = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin"));
  method = g_strdup (soup_server_message_get_method (msg));
  started = message_started (msg);

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  log_line (self, method, g_uri_get_path (uri), "101", started);
  conn = soup_websocket_connection_new (stream, uri, SOUP_WEBSOCKET_CONNECTION_SERVER, origin, NULL, NULL);
  if (project)
    syn_ws_hub_watch_project (self->hub, conn, key, after);
  else
    syn_ws_hub_watch_execution (self->hub, conn, key, may_cancel);
}

/* Completes the handshake for an authorized request (or answers why not). */
static void
upgrade (SynRequest *req, gboolean project, const char *key, gint64 after)
{
  g_autoptr(GError) error = NULL;
  UpgradeData *ud;

  if (req->gone)
    {
      _syn_server_request_free (req);
      return;
    }
  /* libsoup's own refusal is an HTML page: this one is JSON like every error */
  if (!soup_websocket_server_check_handshake (req->msg, NULL, NULL, NULL, &error))
    {
      _syn_server_reply_status (req, 400, NULL, "Not a WebSocket handshake: %s", error->message);
      return;
    }
  if (!soup_websocket_server_process_handshake (req->msg, NULL, NULL, NULL, NULL))
    {
      /* libsoup set the refusal (400 and the reason) */
      request_finish (req);
      return;
    }
  ud = g_new0 (UpgradeData, 1);
  ud->server = g_object_ref (req->server);
  ud->project = project;
  ud->key = g_strdup (key);
  ud->after = after;
  ud->may_cancel = req->user != NULL && req->user->rank >= SYN_API_ROLE_ENGINEER;
  g_signal_connect_data (req->msg, "wrote-informational", G_CALLBACK (on_wrote_informational), ud,
                         upgrade_data_free, 0);
  request_finish (req);
}

void
_syn_server_upgrade (SynRequest *req, gboolean project, const char *key, gint64 after)
{
  upgrade (req, project, key, after);
}

/* ------------------------------------------------------------------------- */
/* Public API                                                                */

/**
 * syn_server_new:
 * @backend: the backend every route calls
 *
 * Returns: (transfer full): a server, not listening yet
 */
SynServer *
syn_server_new (SynLocalBackend *backend)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (backend), NULL);

  return g_object_new (SYN_TYPE_SERVER, "backend", backend, NULL);
}

/**
 * syn_server_listen:
 * @address: (nullable): an IP address to listen on; %NULL: 127.0.0.1
 * @port: a TCP port; 0 picks a free one (see syn_server_get_port())
 * @certificate: (nullable): serve HTTPS with it
 *
 * Starts serving on the thread-default main context of the caller: every
 * request, backend answer and WebSocket message is handled there.
 */
gboolean
syn_server_listen (SynServer        *self,
                   const char       *address,
                   guint             port,
                   GTlsCertificate  *certificate,
                   GError          **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocket) listener = NULL;
  SoupServerListenOptions options = 0;
  GSList *listeners;

  g_return_val_if_fail (SYN_IS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  inet = g_inet_address_new_from_string (address ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "\"%s\" is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::)", address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  if (certificate != NULL)
    {
      soup_server_set_tls_certificate (self->soup, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  /* A socket of our own for a longer queue of pending connections than
   * GLib's default 10: a burst of clients (a team's GUIs starting, a load
   * test's 64 connections) is queued rather than reset. */
  listener = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, socket_address, TRUE, error) ||
      !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (self->soup, listener, options, error))
    return FALSE;

  /* the port the system chose (0 asks for any); soup_server_get_uris()
   * would do, but libsoup 3.2 leaks an address object in it */
  listeners = soup_server_get_listeners (self->soup);
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);
      g_autofree char *host = g_inet_address_to_string (inet);
      gboolean v6 = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6;

      if (local != NULL)
        self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      g_free (self->url);
      self->url = g_strdup_printf ("%s://%s%s%s:%u", certificate ? "https" : "http",
                                   v6 ? "[" : "", host, v6 ? "]" : "", self->port);
    }
  g_slist_free (listeners);
  return TRUE;
}

/* Stops listening and tells every WebSocket watcher. */
void
syn_server_disconnect (SynServer *self)
{
  g_return_if_fail (SYN_IS_SERVER (self));

  syn_ws_hub_close_all (self->hub);
  soup_server_disconnect (self->soup);
}

guint
syn_server_get_port (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), 0);

  return self->port;
}

/* "http://127.0.0.1:8001", once listening. */
const char *
syn_server_get_url (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), NULL);

  return self->url;
}

SynLocalBackend *
syn_server_get_backend (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), NULL);

  return self->backend;
}

/* The underlying server, for what SynServer does not wrap (more handlers,
 * its signals). */
SoupServer *
syn_server_get_soup_server (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), NULL);

  return self->soup;
}

/* ------------------------------------------------------------------------- */
/* GObject                                                                   */

static void
syn_server_constructed (GObject *object)
{
  SynServer *self = SYN_SERVER (object);
  g_autoptr(GError) error = NULL;
  SynStore *store;

  G_OBJECT_CLASS (syn_server_parent_class)->constructed (object);

  g_assert (self->backend != NULL);
  self->hub = syn_ws_hub_new (self->backend);
  store = syn_local_backend_acquire_store (self->backend, &error);
  if (store != NULL)
    {
      self->database = g_strdup (syn_store_get_backend_name (store));
      syn_local_backend_release_store (self->backend, store);
    }
  else
    {
      g_warning ("Cannot open the database: %s", error->message);
      self->database = g_strdup ("unknown");
    }

  self->soup = soup_server_new ("server-header", "Synapse/" PACKAGE_VERSION " ", "raw-paths", TRUE, NULL);
  soup_server_add_early_handler (self->soup, NULL, handle_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_done), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_aborted), self);
}

static void
syn_server_dispose (GObject *object)
{
  SynServer *self = SYN_SERVER (object);

  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  if (self->hub != NULL)
    {
      g_object_run_dispose (G_OBJECT (self->hub));
      g_clear_object (&self->hub);
    }
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (syn_server_parent_class)->dispose (object);
}

static void
syn_server_finalize (GObject *object)
{
  SynServer *self = SYN_SERVER (object);

  g_clear_pointer (&self->token_cache, g_hash_table_unref);
  g_clear_pointer (&self->access_cache, g_hash_table_unref);
  g_clear_pointer (&self->page_cache, g_hash_table_unref);
  g_clear_pointer (&self->user_throttle, syn_login_throttle_free);
  g_clear_pointer (&self->host_throttle, syn_login_throttle_free);
  g_free (self->database);
  g_free (self->url);

  G_OBJECT_CLASS (syn_server_parent_class)->finalize (object);
}

static void
syn_server_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynServer *self = SYN_SERVER (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_object (value, self->backend);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    case PROP_MAX_IMPORT_SIZE:
      g_value_set_uint64 (value, self->max_import_size);
      break;
    case PROP_LOG_REQUESTS:
      g_value_set_boolean (value, self->log_requests);
      break;
    case PROP_PING_INTERVAL:
      g_object_get_property (G_OBJECT (self->hub), "ping-interval", value);
      break;
    case PROP_FEED_INTERVAL:
      g_object_get_property (G_OBJECT (self->hub), "feed-interval", value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_server_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynServer *self = SYN_SERVER (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      self->backend = g_value_dup_object (value);
      break;
    case PROP_MAX_BODY_SIZE:
      self->max_body_size = g_value_get_uint64 (value);
      break;
    case PROP_MAX_IMPORT_SIZE:
      self->max_import_size = g_value_get_uint64 (value);
      break;
    case PROP_LOG_REQUESTS:
      self->log_requests = g_value_get_boolean (value);
      break;
    case PROP_PING_INTERVAL:
      g_object_set_property (G_OBJECT (self->hub), "ping-interval", value);
      break;
    case PROP_FEED_INTERVAL:
      /* the hub's retries, and how often SQLite is asked for others' commits */
      g_object_set_property (G_OBJECT (self->hub), "feed-interval", value);
      syn_local_backend_set_change_interval (self->backend, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_server_class_init (SynServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = syn_server_constructed;
  object_class->dispose = syn_server_dispose;
  object_class->finalize = syn_server_finalize;
  object_class->get_property = syn_server_get_property;
  object_class->set_property = syn_server_set_property;

  properties[PROP_BACKEND] =
    g_param_spec_object ("backend", NULL, NULL, SYN_TYPE_LOCAL_BACKEND,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Bytes; larger request bodies get 413. */
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 1024, G_MAXUINT64, SYN_SERVER_DEFAULT_MAX_BODY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Bytes, for CSV import. */
  properties[PROP_MAX_IMPORT_SIZE] =
    g_param_spec_uint64 ("max-import-size", NULL, NULL, 1024, G_MAXUINT64, SYN_SERVER_DEFAULT_MAX_IMPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* One line per request on stdout: method, path, status, duration. */
  properties[PROP_LOG_REQUESTS] =
    g_param_spec_boolean ("log-requests", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PING_INTERVAL] =
    g_param_spec_uint ("ping-interval", NULL, NULL, 0, 24 * 3600, SYN_WS_HUB_DEFAULT_PING_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FEED_INTERVAL] =
    g_param_spec_uint ("feed-interval", NULL, NULL, 10, 3600 * 1000, SYN_WS_HUB_DEFAULT_FEED_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  started_quark = g_quark_from_static_string ("syn-server-started");
  body_size_quark = g_quark_from_static_string ("syn-server-body-size");
}

static void
syn_server_init (SynServer *self)
{
  self->token_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) _syn_server_user_unref);
  self->access_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) access_entry_free);
  self->page_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_page_free);
  self->user_throttle = syn_login_throttle_new (LOGIN_FREE_PER_USER);
  self->host_throttle = syn_login_throttle_new (LOGIN_FREE_PER_HOST);
  self->max_body_size = SYN_SERVER_DEFAULT_MAX_BODY;
  self->max_import_size = SYN_SERVER_DEFAULT_MAX_IMPORT;
}

SynLoginThrottle *
_syn_server_get_host_throttle (SynServer *self)
{
  return self->host_throttle;
}

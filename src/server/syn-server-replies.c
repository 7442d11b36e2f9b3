/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-replies.c: SynServer: requests from the route match to the answer: JSON written on a worker, the timeline page cache, error bodies; backend calls. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "syn-server-private.h"

/* A timeline answer as sent, and the project's newest event position then. */
typedef struct
{
  gint64  head;
  GBytes *body;
} CachedPage;

/* Whole answers are kept up to this much: the pages many GUIs read. */
#define PAGE_CACHE_BYTES ((gsize) 64 * 1024 * 1024)

/* ------------------------------------------------------------------------- */
/* Requests and replies                                                      */

static void
on_message_finished (SoupServerMessage *msg, gpointer data)
{
  SynRequest *req = data;

  req->gone = TRUE;
}

SynRequest *
_syn_server_request_new (SynServer *self, SoupServerMessage *msg)
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
void
_syn_server_request_finish (SynRequest *req)
{
  if (!req->gone)
    soup_server_message_unpause (req->msg);
  _syn_server_request_free (req);
}

void
_syn_server_cached_page_free (gpointer data)
{
  CachedPage *page = data;

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
  _syn_server_request_finish (req);
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
  _syn_server_request_finish (req);
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
      _syn_server_request_finish (req);
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
  _syn_server_request_finish (req);
}

/* {"error": {"code", "message", ...}}: the members of @details (an error's
 * details, such as the batches that block a rollback) go in the error object. */
static void
set_error_body (SoupServerMessage *msg, guint status, const char *code, const char *message, JsonNode *details)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code ? code : syn_backend_status_code_name (status));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (details != NULL && JSON_NODE_HOLDS_OBJECT (details))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (details));
      while (json_object_iter_next (&iter, &name, &value))
        if (g_strcmp0 (name, "code") != 0 && g_strcmp0 (name, "message") != 0)
          {
            json_builder_set_member_name (builder, name);
            json_builder_add_value (builder, json_node_copy (value));
          }
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
  if (status == 401)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"synapse\"");
  /* every 503 (the database away, a failover under way, a shutdown) says
   * when to try again; a caller that knows better has set it already */
  if (status == 503 && soup_message_headers_get_one (soup_server_message_get_response_headers (msg),
                                                     "Retry-After") == NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  SYN_SERVER_RETRY_AFTER_UNAVAILABLE);
}

void
_syn_server_set_error_body (SoupServerMessage *msg, guint status, const char *code,
                            const char *message)
{
  set_error_body (msg, status, code, message, NULL);
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
    _syn_server_set_error_body (req->msg, status, code, message);
  _syn_server_request_finish (req);
}

void
_syn_server_reply_error (SynRequest *req, const GError *error)
{
  guint status = (guint) syn_backend_error_to_http_status (error);

  /* a failure of ours is logged here; the client gets its message too */
  if (status == 503)
    /* the database away (a failover): not a failure of ours, but worth a line */
    g_message ("%s %s: %s", soup_server_message_get_method (req->msg),
               g_uri_get_path (soup_server_message_get_uri (req->msg)), error->message);
  else if (status >= 500)
    g_warning ("%s %s: %s", soup_server_message_get_method (req->msg),
               g_uri_get_path (soup_server_message_get_uri (req->msg)), error->message);
  if (!req->gone)
    set_error_body (req->msg, status, NULL, error->message, syn_backend_error_get_details (error));
  _syn_server_request_finish (req);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-remote-backend.c: SynRemoteBackend: each operation is one REST request, built from the route table;
 * signing in. */
#include "config.h"

#include <string.h>

#include "core/syn-json.h"
#include "syn-api-routes.h"
#include "syn-remote-backend-private.h"

static void backend_iface_init (SynBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynRemoteBackend, syn_remote_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SYN_TYPE_BACKEND, backend_iface_init))

/* ------------------------------------------------------------------------- */
/* Requests                                                                  */

static SoupMessage *
new_message (SynRemoteBackend *self, SynApiRequest *r)
{
  g_autofree char *target = r->query ? g_strconcat (r->path, "?", r->query, NULL) : g_strdup (r->path);
  g_autoptr(GUri) uri = g_uri_parse_relative (self->base, target, SOUP_HTTP_URI_FLAGS, NULL);
  SoupMessage *msg = soup_message_new_from_uri (r->method, uri);

  if (self->token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (r->body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (r->body, strlen (r->body));

      soup_message_set_request_body_from_bytes (msg, r->content_type, bytes);
    }
  return msg;
}

/* The members of the error body beyond its code and message: the error's
 * details (NULL when there are none). */
static JsonNode *
details_of (JsonObject *root, JsonObject *e)
{
  g_autoptr(JsonObject) details = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, e);
  while (json_object_iter_next (&iter, &name, &value))
    if (g_strcmp0 (name, "code") != 0 && g_strcmp0 (name, "message") != 0)
      json_object_set_member (details, name, json_node_copy (value));
  json_object_iter_init (&iter, root);
  while (json_object_iter_next (&iter, &name, &value))
    if (g_strcmp0 (name, "error") != 0 && !json_object_has_member (details, name))
      json_object_set_member (details, name, json_node_copy (value));
  if (json_object_get_size (details) == 0)
    return NULL;
  return syn_json_node_new_object (g_steal_pointer (&details));
}

/* The server's {"error": {"code", "message", ...}} as a GError of the same
 * code, with the rest of the body as its details. */
static GError *
error_from_answer (guint status, GBytes *body)
{
  const char *message = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) details = NULL;
  GError *error;
  int code;

  if (body != NULL && g_bytes_get_size (body) > 0)
    root = syn_json_parse (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (root), "error");

      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        {
          message = syn_json_get_string (json_node_get_object (member), "message");
          details = details_of (json_node_get_object (root), json_node_get_object (member));
        }
    }
  switch (status)
    {
    case 400: code = SYN_BACKEND_ERROR_INVALID; break;
    case 401: code = SYN_BACKEND_ERROR_UNAUTHORIZED; break;
    case 403: code = SYN_BACKEND_ERROR_FORBIDDEN; break;
    case 404: code = SYN_BACKEND_ERROR_NOT_FOUND; break;
    case 409: code = SYN_BACKEND_ERROR_CONFLICT; break;
    case 413: code = SYN_BACKEND_ERROR_TOO_LARGE; break;
    case 423: code = SYN_BACKEND_ERROR_BUSY; break;
    case 502:
    case 503:
    case 504: code = SYN_BACKEND_ERROR_UNAVAILABLE; break;
    default:  code = SYN_BACKEND_ERROR_FAILED; break;
    }
  if (message != NULL)
    error = g_error_new_literal (SYN_BACKEND_ERROR, code, message);
  else
    error = g_error_new (SYN_BACKEND_ERROR, code, "The server answered %u %s", status, soup_status_get_phrase (status));
  if (details != NULL)
    syn_backend_error_set_details (error, details);
  return error;
}

typedef struct
{
  const SynApiRoute *route;
  char              *op;
  JsonObject        *params;
  SoupMessage       *msg;
} CallData;

static void
call_data_free (CallData *cd)
{
  g_free (cd->op);
  g_clear_pointer (&cd->params, json_object_unref);
  g_clear_object (&cd->msg);
  g_free (cd);
}

/* An export comes as the file itself: the answer the local backend gives. */
static JsonNode *
export_answer (CallData *cd, GBytes *body)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (cd->msg);
  const char *type = soup_message_headers_get_one (headers, "Content-Type");
  const char *rows = soup_message_headers_get_one (headers, "X-Synapse-Rows");
  const char *disposition = soup_message_headers_get_one (headers, "Content-Disposition");
  const char *name = disposition ? strstr (disposition, "filename=\"") : NULL;
  g_autofree char *filename = name ? g_strndup (name + 10, strcspn (name + 10, "\"")) : NULL;
  g_autofree char *content = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  JsonObject *o = json_object_new ();

  syn_json_set_string_or_null (o, "kind", syn_json_get_string (cd->params, "kind"));
  syn_json_set_string_or_null (o, "format", syn_json_get_string (cd->params, "format"));
  syn_json_set_string_or_null (o, "content_type", type);
  syn_json_set_string_or_null (o, "filename", filename);
  json_object_set_int_member (o, "rows", rows ? g_ascii_strtoll (rows, NULL, 10) : 0);
  json_object_set_string_member (o, "content", content);
  return syn_json_node_new_object (o);
}

static void
on_sent (GObject *object, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SynRemoteBackend *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAVAILABLE,
                                 "Cannot reach %s: %s", self->url, error->message);
      return;
    }
  status = soup_message_get_status (cd->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, error_from_answer (status, body));
      return;
    }

  if (status == SOUP_STATUS_NO_CONTENT)
    {
      /* nothing in the body: the answer the local backend would give */
      const char *correlation_id = soup_message_headers_get_one (soup_message_get_response_headers (cd->msg),
                                                                 "X-Synapse-Correlation-Id");

      answer = syn_api_route_empty_answer (cd->route, cd->params, correlation_id);
    }
  else if (g_str_equal (cd->op, SYN_OP_EXPORT))
    answer = export_answer (cd, body);
  else
    {
      answer = syn_json_parse (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error);
      if (answer == NULL)
        {
          g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED,
                                   "The server's answer is not JSON: %s", error->message);
          return;
        }
    }

  /* signing in or out through the backend changes whose calls these are */
  if (g_str_equal (cd->op, SYN_OP_LOGIN) && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *a = json_node_get_object (answer);
      JsonObject *user = json_object_get_object_member (a, "user");

      syn_remote_backend_set_token (self, syn_json_get_string (a, "token"));
      g_free (self->username);
      self->username = g_strdup (user ? syn_json_get_string (user, "username") : NULL);
    }
  else if (g_str_equal (cd->op, SYN_OP_LOGOUT))
    syn_remote_backend_set_token (self, NULL);

  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) json_node_unref);
}

/* Sends @op as the request of its route; @inner completes with the answer. */
void
_syn_remote_backend_send_call (SynRemoteBackend *self, const char *op, JsonObject *params, GCancellable *cancellable,
                               GTask *inner)
{
  g_autoptr(GTask) task = inner;
  g_autoptr(SynApiRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const SynApiRoute *route = syn_api_route_for_op (op, params);
  CallData *cd;

  if (route == NULL)
    {
      g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                               "\"%s\" is not an operation of the team server's API", op);
      return;
    }
  if (!(request = syn_api_request_new (route, params, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cd = g_new0 (CallData, 1);
  cd->route = route;
  cd->op = g_strdup (op);
  cd->params = params ? syn_json_object_copy (params) : json_object_new ();
  cd->msg = new_message (self, request);
  g_task_set_task_data (task, cd, (GDestroyNotify) call_data_free);
  soup_session_send_and_read_async (self->session, cd->msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_sent, g_steal_pointer (&task));
}

void
_syn_remote_backend_call_async (SynBackend          *backend,
                                const char          *op,
                                JsonObject          *params,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  SynRemoteBackend *self = SYN_REMOTE_BACKEND (backend);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, _syn_remote_backend_call_async);
  g_task_set_name (task, op);
  _syn_remote_backend_send_call (self, op, params, cancellable, task);
}

JsonNode *
_syn_remote_backend_call_finish (SynBackend *backend, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_syn_remote_backend_connect_ws (SynRemoteBackend    *self,
                                const char          *path,
                                GMainContext        *context,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (self->base, path, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("GET", uri);

  if (self->token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  /* a retry runs from a timer: answers still go to the caller's context */
  g_main_context_push_thread_default (context);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, callback, user_data);
  g_main_context_pop_thread_default (context);
}

static const char *
remote_describe (SynBackend *backend)
{
  SynRemoteBackend *self = SYN_REMOTE_BACKEND (backend);

  g_free (self->description);
  self->description = self->username ? g_strdup_printf ("%s (%s)", self->url, self->username)
                                     : g_strdup (self->url);
  return self->description;
}

static void
backend_iface_init (SynBackendInterface *iface)
{
  iface->describe = remote_describe;
  iface->call_async = _syn_remote_backend_call_async;
  iface->call_finish = _syn_remote_backend_call_finish;
  iface->execute_async = _syn_remote_backend_execute_async;
  iface->execute_finish = _syn_remote_backend_execute_finish;
  iface->cancel_execution = _syn_remote_backend_cancel_execution;
  iface->watch_project = _syn_remote_backend_watch_project;
  iface->unwatch_project = _syn_remote_backend_unwatch_project;
}

/* ------------------------------------------------------------------------- */

static void
syn_remote_backend_dispose (GObject *object)
{
  SynRemoteBackend *self = SYN_REMOTE_BACKEND (object);

  g_clear_pointer (&self->runs, g_hash_table_unref);
  g_clear_pointer (&self->feeds, g_hash_table_unref);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (syn_remote_backend_parent_class)->dispose (object);
}

static void
syn_remote_backend_finalize (GObject *object)
{
  SynRemoteBackend *self = SYN_REMOTE_BACKEND (object);

  g_clear_pointer (&self->base, g_uri_unref);
  g_free (self->url);
  g_free (self->token);
  g_free (self->username);
  g_free (self->description);

  G_OBJECT_CLASS (syn_remote_backend_parent_class)->finalize (object);
}

static void
syn_remote_backend_class_init (SynRemoteBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_remote_backend_dispose;
  object_class->finalize = syn_remote_backend_finalize;
}

static void
syn_remote_backend_init (SynRemoteBackend *self)
{
  self->runs = _syn_remote_runs_new ();
  self->feeds = _syn_remote_feeds_new ();
  self->session = soup_session_new_with_options ("user-agent", "Synapse/" PACKAGE_VERSION " ", NULL);
}

/**
 * syn_remote_backend_new:
 * @url: the server, "http://host:port" or "https://..."
 *
 * Nothing is sent yet: sign in with the "login" operation or give a token.
 *
 * Returns: (transfer full): the backend, or %NULL if @url is not a server URL
 */
SynRemoteBackend *
syn_remote_backend_new (const char *url, GError **error)
{
  g_autoptr(SynRemoteBackend) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local_error);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                   "\"%s\" is not a server URL (e.g. http://localhost:8001)", url);
      return NULL;
    }
  self = g_object_new (SYN_TYPE_REMOTE_BACKEND, NULL);
  self->base = g_uri_build (SOUP_HTTP_URI_FLAGS, scheme, NULL, g_uri_get_host (uri), g_uri_get_port (uri),
                            "/", NULL, NULL);
  self->url = g_uri_to_string_partial (self->base, G_URI_HIDE_PASSWORD);
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  if (g_getenv ("SYNAPSE_CA_FILE") != NULL && *g_getenv ("SYNAPSE_CA_FILE") != '\0' &&
      !syn_remote_backend_set_ca_file (self, g_getenv ("SYNAPSE_CA_FILE"), error))
    {
      g_prefix_error (error, "SYNAPSE_CA_FILE: ");
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
syn_remote_backend_set_ca_file (SynRemoteBackend *self, const char *ca_file, GError **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (SYN_IS_REMOTE_BACKEND (self), FALSE);
  g_return_val_if_fail (ca_file != NULL, FALSE);

  /* GTlsFileDatabase takes absolute paths only */
  path = g_canonicalize_filename (ca_file, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: no such file", ca_file);
      return FALSE;
    }
  database = g_tls_file_database_new (path, &local_error);
  if (database == NULL)
    {
      g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: not a PEM certificate file: %s", ca_file,
                   local_error->message);
      return FALSE;
    }
  /* the session's REST calls and WebSockets alike */
  g_object_set (self->session, "tls-database", database, NULL);
  return TRUE;
}

/* "http://host:port", as the server is addressed. */
const char *
syn_remote_backend_get_url (SynRemoteBackend *self)
{
  g_return_val_if_fail (SYN_IS_REMOTE_BACKEND (self), NULL);

  return self->url;
}

void
syn_remote_backend_set_token (SynRemoteBackend *self, const char *token)
{
  g_return_if_fail (SYN_IS_REMOTE_BACKEND (self));

  g_free (self->token);
  self->token = g_strdup (token);
}

const char *
syn_remote_backend_get_token (SynRemoteBackend *self)
{
  g_return_val_if_fail (SYN_IS_REMOTE_BACKEND (self), NULL);

  return self->token;
}

/* Who signed in through this backend, if it did. */
const char *
syn_remote_backend_get_username (SynRemoteBackend *self)
{
  g_return_val_if_fail (SYN_IS_REMOTE_BACKEND (self), NULL);

  return self->username;
}

/* ------------------------------------------------------------------------- */
/* Signing in                                                                */

static JsonObject *
login_params (const char *username, const char *password)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "username", username);
  json_object_set_string_member (params, "password", password ? password : "");
  return params;
}

static void
logged_in (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * syn_remote_backend_login_async:
 * @username: who signs in
 * @password: (nullable): the password
 *
 * The "login" operation; a wrong username or password fails with
 * SYN_BACKEND_ERROR_UNAUTHORIZED. The GUI's sign-in and the command line's
 * --connect both sign in here.
 */
void
syn_remote_backend_login_async (SynRemoteBackend    *self,
                                const char          *username,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (SYN_IS_REMOTE_BACKEND (self));
  g_return_if_fail (username != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, syn_remote_backend_login_async);
  params = login_params (username, password);
  syn_backend_call_async (SYN_BACKEND (self), SYN_OP_LOGIN, params, cancellable, logged_in, g_steal_pointer (&task));
}

gboolean
syn_remote_backend_login_finish (SynRemoteBackend *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SYN_IS_REMOTE_BACKEND (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == syn_remote_backend_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Blocking, on a private main context: for the command line. */
gboolean
syn_remote_backend_login (SynRemoteBackend  *self,
                          const char        *username,
                          const char        *password,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonNode) answer = NULL;

  g_return_val_if_fail (SYN_IS_REMOTE_BACKEND (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);

  params = login_params (username, password);
  answer = syn_backend_call_sync (SYN_BACKEND (self), SYN_OP_LOGIN, params, cancellable, error);
  return answer != NULL;
}

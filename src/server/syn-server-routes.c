/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-routes.c: the handlers of the routes (backend/syn-api-routes.c) that are more than one
 * backend operation called as is. */
#include "config.h"

#include <string.h>

#include "backend/syn-api-openapi.h"
#include "core/syn-core.h"
#include "syn-server-private.h"

/* ------------------------------------------------------------------------- */
/* Health and sessions                                                       */

/* /health and /ready: the database asked now (reachable, its migrations
 * those this binary ships), then the answer. */
static void
on_readiness (SynRequest *req, JsonNode *answer, GError *error)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *checks = json_object_new ();
  JsonObject *database = json_object_new ();
  JsonObject *migrations = json_object_new ();
  gboolean ready = error == NULL;
  gboolean ready_route = g_str_equal (req->route->pattern, "api/v1/ready");

  json_object_set_boolean_member (database, "ok", error == NULL);
  if (error != NULL)
    json_object_set_string_member (database, "error", error->message);
  json_object_set_object_member (checks, "database", database);
  if (answer != NULL)
    {
      JsonObject *a = json_node_get_object (answer);
      gint64 applied = json_object_get_int_member (a, "schema_applied");
      gint64 shipped = json_object_get_int_member (a, "schema_shipped");

      json_object_set_int_member (migrations, "applied", applied);
      json_object_set_int_member (migrations, "shipped", shipped);
      json_object_set_boolean_member (migrations, "ok", applied == shipped);
      ready = ready && applied == shipped;
    }
  else
    json_object_set_boolean_member (migrations, "ok", FALSE);
  json_object_set_object_member (checks, "migrations", migrations);

  /* /health says how things are and answers 200 while the process lives;
   * /ready answers 503 when a proxy should send the request elsewhere */
  json_object_set_string_member (o, "status", ready ? "ok" : "degraded");
  json_object_set_boolean_member (o, "ready", ready);
  json_object_set_object_member (o, "checks", checks);
  json_object_set_string_member (o, "version", PACKAGE_VERSION);
  json_object_set_string_member (o, "database", _syn_server_get_database (req->server));
  /* anyone may ask /health: the outcome and counts, never which project
   * (an admin's `GET .../verify` names the event) */
  if (req->server->integrity != NULL)
    {
      JsonObject *found = json_node_get_object (req->server->integrity);
      JsonArray *projects = json_object_get_array_member (found, "projects");
      JsonObject *summary = json_object_new ();
      gint64 broken = 0;

      for (guint i = 0; i < json_array_get_length (projects); i++)
        broken += !json_object_get_boolean_member (json_array_get_object_element (projects, i), "ok");
      json_object_set_string_member (summary, "check", "hash chain, on start");
      json_object_set_boolean_member (summary, "ok", json_object_get_boolean_member (found, "ok"));
      json_object_set_string_member (summary, "checked_at", syn_json_get_string (found, "checked_at"));
      json_object_set_int_member (summary, "projects_checked", json_object_get_int_member (found, "projects_checked"));
      json_object_set_int_member (summary, "projects_broken", broken);
      json_object_set_object_member (o, "integrity", summary);
    }
  node = syn_json_node_new_object (g_steal_pointer (&o));
  if (ready_route && !ready && !req->gone)
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", "5");
  _syn_server_reply_json (req, ready_route && !ready ? SOUP_STATUS_SERVICE_UNAVAILABLE : SOUP_STATUS_OK, node);
}

static void
handle_health (SynRequest *req)
{
  g_autoptr(JsonObject) params = json_object_new ();

  _syn_server_call (req, SYN_OP_READINESS, params, on_readiness);
}

static void
handle_openapi (SynRequest *req)
{
  g_autoptr(JsonNode) document = syn_api_openapi_document ();

  _syn_server_reply_json (req, SOUP_STATUS_OK, document);
}

/* Prometheus text format 0.0.4. */
static void
handle_metrics (SynRequest *req)
{
  char *text = syn_server_metrics_render (_syn_server_get_metrics (req->server),
                                          syn_ws_hub_get_n_watchers (_syn_server_get_hub (req->server)),
                                          syn_store_get_events_appended ());

  if (!req->gone)
    {
      soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (req->msg, "text/plain; version=0.0.4; charset=utf-8", SOUP_MEMORY_TAKE,
                                        text, strlen (text));
    }
  else
    g_free (text);
  _syn_server_request_finish (req);
}

/* Users, roles, memberships and archives change who may do what: the
 * cached sessions and accesses of this process are read again. */
static void
on_admin_done (SynRequest *req, JsonNode *answer, GError *error)
{
  if (error == NULL)
    _syn_server_forget_access (req->server);
  _syn_server_generic_done (req, answer, error);
}

static void
handle_admin (SynRequest *req)
{
  _syn_server_call (req, req->route->op, req->params, on_admin_done);
}

static char *
throttle_key (SynRequest *req, const char *username)
{
  const char *host = soup_server_message_get_remote_host (req->msg);

  return g_strdup_printf ("%s %s", host ? host : "-", username ? username : "");
}

static void
on_login (SynRequest *req, JsonNode *answer, GError *error)
{
  const char *username = syn_json_get_string (req->params, "username");
  const char *host = soup_server_message_get_remote_host (req->msg);
  g_autofree char *key = throttle_key (req, username);
  gint64 now = g_get_monotonic_time ();

  if (error != NULL)
    {
      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED))
        {
          syn_login_throttle_failed (_syn_server_get_throttle (req->server), key, now);
          syn_login_throttle_failed (_syn_server_get_host_throttle (req->server), host ? host : "-", now);
        }
      _syn_server_reply_error (req, error);
      return;
    }
  syn_login_throttle_succeeded (_syn_server_get_throttle (req->server), key);
  {
    JsonObject *a = json_node_get_object (answer);
    g_autoptr(SynServerUser) user = _syn_server_user_new (json_object_get_object_member (a, "user"));

    _syn_server_cache_user (req->server, syn_json_get_string (a, "token"), user);
  }
  _syn_server_reply_json (req, SOUP_STATUS_OK, answer);
}

/* Failed logins are slowed down per host and username (and per host): after
 * a few, each try must wait longer, told by 429 and Retry-After. */
static void
handle_login (SynRequest *req)
{
  const char *username = syn_json_get_string (req->params, "username");
  const char *host = soup_server_message_get_remote_host (req->msg);
  g_autofree char *key = throttle_key (req, username);
  gint64 now = g_get_monotonic_time ();
  guint wait = MAX (syn_login_throttle_wait (_syn_server_get_throttle (req->server), key, now),
                    syn_login_throttle_wait (_syn_server_get_host_throttle (req->server), host ? host : "-", now));

  if (wait > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", wait);

      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", seconds);
      _syn_server_reply_status (req, 429, NULL, "Too many failed sign-ins; try again in %u s", wait);
      return;
    }
  _syn_server_call (req, SYN_OP_LOGIN, req->params, on_login);
}

static void
on_logout (SynRequest *req, JsonNode *answer, GError *error)
{
  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  _syn_server_forget_token (req->server, req->token);
  _syn_server_reply_empty (req, SOUP_STATUS_NO_CONTENT);
}

static void
handle_logout (SynRequest *req)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_string_member (params, "token", req->token);
  _syn_server_call (req, SYN_OP_LOGOUT, params, on_logout);
}

static void
handle_me (SynRequest *req)
{
  g_autoptr(JsonNode) node = _syn_server_user_to_json (req->user);

  _syn_server_reply_json (req, SOUP_STATUS_OK, node);
}

/* ------------------------------------------------------------------------- */
/* Projects                                                                  */

static void
on_demo_member (SynRequest *req, JsonNode *answer, GError *error)
{
  g_autoptr(JsonNode) demo = json_node_ref (g_object_get_data (G_OBJECT (req->msg), "syn-demo"));

  g_object_set_data (G_OBJECT (req->msg), "syn-demo", NULL);
  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  _syn_server_reply_json (req, SOUP_STATUS_CREATED, demo);
}

static void
on_demo (SynRequest *req, JsonNode *answer, GError *error)
{
  g_autoptr(JsonObject) params = json_object_new ();
  JsonObject *project;

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  /* its creator is the demo project's first member, as for any project */
  project = json_object_get_object_member (json_node_get_object (answer), "project");
  g_object_set_data_full (G_OBJECT (req->msg), "syn-demo", json_node_ref (answer), (GDestroyNotify) json_node_unref);
  json_object_set_string_member (params, "project_id", syn_json_get_string (project, "id"));
  json_object_set_string_member (params, "username", req->user->username);
  _syn_server_call (req, SYN_OP_ADD_MEMBER, params, on_demo_member);
}

static void
handle_demo (SynRequest *req)
{
  _syn_server_call (req, SYN_OP_CREATE_DEMO, req->params, on_demo);
}

/* ------------------------------------------------------------------------- */
/* Rules                                                                     */

static void
handle_library_rules (SynRequest *req)
{
  json_object_set_boolean_member (req->params, "library", TRUE);
  _syn_server_call (req, SYN_OP_LIST_RULES, req->params, _syn_server_generic_done);
}

/* PUT .../rules/{rule_id}: the body's id, when there is one, is the path's. */
static void
handle_put_rule (SynRequest *req)
{
  JsonObject *rule = json_object_get_object_member (req->params, "rule");
  const char *rule_id = syn_json_get_string (req->params, "rule_id");
  const char *body_id = syn_json_get_string (rule, "id");

  if (json_object_has_member (rule, "id") && body_id == NULL)
    {
      _syn_server_reply_status (req, 400, NULL, "id: must be the rule's id as a string (\"%s\")", rule_id);
      return;
    }
  if (body_id != NULL && g_strcmp0 (body_id, rule_id) != 0)
    {
      _syn_server_reply_status (req, 400, NULL, "id: \"%s\" is not the rule of the path (\"%s\")", body_id, rule_id);
      return;
    }
  json_object_set_string_member (rule, "id", rule_id);
  json_object_remove_member (req->params, "rule_id");
  _syn_server_call (req, SYN_OP_SAVE_RULE, req->params, _syn_server_generic_done);
}

static void
on_rule_scope (SynRequest *req, JsonNode *answer, GError *error)
{
  const char *rule_id = syn_json_get_string (req->params, "rule_id");
  JsonArray *rules;
  gboolean found = FALSE;

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  rules = json_node_get_array (answer);
  for (guint i = 0; i < json_array_get_length (rules) && !found; i++)
    {
      JsonObject *r = json_array_get_object_element (rules, i);

      found = g_strcmp0 (syn_json_get_string (r, "id"), rule_id) == 0 &&
              g_strcmp0 (syn_json_get_string (r, "project_id"), req->project_id) == 0;
    }
  if (!found)
    {
      _syn_server_reply_status (req, 404, NULL, "No rule \"%s\" in %s", rule_id,
                                req->project_id ? "this project" : "the library");
      return;
    }
  _syn_server_call (req, SYN_OP_DELETE_RULE, req->params, _syn_server_generic_done);
}

/* DELETE: only a rule of this scope (the project's, or the library's). */
static void
handle_delete_rule (SynRequest *req)
{
  g_autoptr(JsonObject) params = json_object_new ();

  if (req->project_id != NULL)
    json_object_set_string_member (params, "project_id", req->project_id);
  else
    json_object_set_boolean_member (params, "library", TRUE);
  _syn_server_call (req, SYN_OP_LIST_RULES, params, on_rule_scope);
}

/* ------------------------------------------------------------------------- */
/* Executions                                                                */

static void
on_registered (GObject *object, GAsyncResult *result, gpointer data)
{
  SynRequest *req = data;
  g_autoptr(JsonNode) answer = g_object_steal_data (G_OBJECT (req->msg), "syn-started");
  g_autoptr(GError) error = NULL;

  /* the run goes on here; only other servers do not know it: said, not fatal */
  if (!syn_run_relay_register_finish (result, &error))
    g_warning ("Execution %s is not known to the other servers: %s",
               syn_json_get_string (json_node_get_object (answer), "execution_id"), error->message);
  _syn_server_reply_json (req, SOUP_STATUS_OK, answer);
}

static void
on_executed (GObject *object, GAsyncResult *result, gpointer data)
{
  SynRequest *req = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_execute_finish (SYN_BACKEND (object), result, &error);

  syn_server_metrics_execution_finished (_syn_server_get_metrics (req->server));
  if (answer == NULL)
    _syn_server_reply_error (req, error);
  else if (req->server->relay != NULL)
    {
      /* the client may watch it through any server as soon as it is told */
      g_object_set_data_full (G_OBJECT (req->msg), "syn-started", json_node_ref (answer), (GDestroyNotify) json_node_unref);
      syn_run_relay_register_async (req->server->relay, syn_json_get_string (json_node_get_object (answer), "execution_id"),
                                    on_registered, req);
    }
  else
    _syn_server_reply_json (req, SOUP_STATUS_OK, answer);
}

/* The run goes on off the main loop; its messages reach the hub through
 * the backend's ::execution-message. */
static void
handle_execute (SynRequest *req)
{
  syn_server_metrics_execution_started (_syn_server_get_metrics (req->server));
  syn_backend_execute_async (_syn_server_get_backend (req->server), req->params, NULL, on_executed, req);
}

static void
on_execution_access (SynRequest *req, JsonNode *answer, GError *error)
{
  /* taken off the message: the answer's node then has one owner */
  g_autoptr(JsonNode) execution = g_object_steal_data (G_OBJECT (req->msg), "syn-execution");

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf ("No execution %s", syn_json_get_string (req->params, "execution_id"));
      g_autoptr(GError) hidden = g_error_new_literal (SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND, message);

      _syn_server_reply_error (req, g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND) ? hidden : error);
      return;
    }
  _syn_server_reply_json (req, SOUP_STATUS_OK, execution);
}

typedef void (*SynRecordFunc) (SynRequest *req, JsonNode *answer, GError *error);

typedef struct
{
  SynRequest   *req;
  SynRecordFunc func;
} RelayAsk;

static void
on_relay_described (GObject *object, GAsyncResult *result, gpointer data)
{
  RelayAsk *ask = data;
  SynRequest *req = ask->req;
  SynRecordFunc func = ask->func;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) run = syn_run_relay_describe_finish (result, &error);

  g_free (ask);
  if (run == NULL && error == NULL)
    g_set_error (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND, "No execution %s",
                 syn_json_get_string (req->params, "execution_id"));
  func (req, run, error);
}

/* Not in this process nor in the executions table (written at its end): a
 * run of another server, running or lost, as the run messages' table has it. */
static gboolean
ask_relay (SynRequest *req, GError *error, SynRecordFunc func)
{
  RelayAsk *ask;

  if (req->server->relay == NULL || !g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND))
    return FALSE;
  ask = g_new0 (RelayAsk, 1);
  ask->req = req;
  ask->func = func;
  syn_run_relay_describe_async (req->server->relay, syn_json_get_string (req->params, "execution_id"), NULL,
                                on_relay_described, ask);
  return TRUE;
}

static void
on_execution_record (SynRequest *req, JsonNode *answer, GError *error)
{
  const char *project_id;

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  project_id = syn_json_get_string (json_node_get_object (answer), "project_id");
  g_object_set_data_full (G_OBJECT (req->msg), "syn-execution", json_node_ref (answer), (GDestroyNotify) json_node_unref);
  _syn_server_authorize_project (req, project_id ? project_id : "", on_execution_access);
}

static void
on_execution (SynRequest *req, JsonNode *answer, GError *error)
{
  if (error != NULL && ask_relay (req, error, on_execution_record))
    return;
  on_execution_record (req, answer, error);
}

/* The project is known only from the execution: read it, then check it. */
static void
handle_get_execution (SynRequest *req)
{
  _syn_server_call (req, SYN_OP_GET_EXECUTION, req->params, on_execution);
}

/* ------------------------------------------------------------------------- */
/* Timeline                                                                  */

/* The query as a cache key: every parameter but the server's own, sorted. */
static char *
timeline_key (JsonObject *params)
{
  g_autoptr(GList) names = g_list_sort (json_object_get_members (params), (GCompareFunc) g_strcmp0);
  GString *key = g_string_new ("timeline");

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (params, name);

      if (name[0] == '_' || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      g_string_append_printf (key, "\x1f%s=%s", name, json_node_get_string (node));
    }
  return g_string_free (key, FALSE);
}

static void
on_timeline (SynRequest *req, JsonNode *answer, GError *error)
{
  g_autofree char *key = NULL;
  gint64 head = json_object_get_int_member_with_default (req->params, "_head", -1);

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  key = timeline_key (req->params);
  _syn_server_reply_json_cached (req, SOUP_STATUS_OK, answer, key, head);
}

static void
on_timeline_head (SynRequest *req, JsonNode *answer, GError *error)
{
  g_autofree char *key = NULL;
  g_autoptr(GBytes) cached = NULL;
  gint64 head;

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  head = json_object_get_int_member_with_default (json_node_get_object (answer), "last_position", -1);
  key = timeline_key (req->params);
  cached = _syn_server_cached_page (req->server, key, head);
  if (cached != NULL)
    {
      _syn_server_reply_bytes (req, SOUP_STATUS_OK, cached);
      return;
    }
  json_object_set_int_member (req->params, "_head", head);
  _syn_server_call (req, SYN_OP_TIMELINE, req->params, on_timeline);
}

/* ------------------------------------------------------------------------- */
/* State as of a moment                                                      */

/* The answer comes as its JSON text (100,000 entities make a tree that
 * costs more than the replay itself, issue 15): written as it is. */
static void
on_state_text (SynRequest *req, JsonNode *answer, GError *error)
{
  const char *text;
  g_autoptr(GBytes) body = NULL;

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  text = syn_json_get_string (json_node_get_object (answer), SYN_ANSWER_TEXT);
  g_assert (text != NULL);
  body = g_bytes_new (text, strlen (text));
  _syn_server_reply_bytes (req, SOUP_STATUS_OK, body);
}

static void
handle_state (SynRequest *req)
{
  json_object_set_boolean_member (req->params, SYN_PARAM_AS_TEXT, TRUE);
  _syn_server_call (req, SYN_OP_STATE_AS_OF, req->params, on_state_text);
}

/* ------------------------------------------------------------------------- */
/* Exports                                                                   */

/* The file itself, not JSON: a spreadsheet or curl -O takes it as it is. */
static void
on_exported (SynRequest *req, JsonNode *answer, GError *error)
{
  JsonObject *o;
  SoupMessageHeaders *headers;
  g_autofree char *disposition = NULL;
  g_autofree char *rows = NULL;
  const char *content;

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  o = json_node_get_object (answer);
  content = syn_json_get_string (o, "content");
  if (!req->gone)
    {
      headers = soup_server_message_get_response_headers (req->msg);
      disposition = g_strdup_printf ("attachment; filename=\"%s\"", syn_json_get_string (o, "filename"));
      rows = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (o, "rows", 0));
      soup_message_headers_replace (headers, "Content-Disposition", disposition);
      soup_message_headers_replace (headers, "X-Synapse-Rows", rows);
      soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (req->msg, syn_json_get_string (o, "content_type"), SOUP_MEMORY_COPY,
                                        content ? content : "", content ? strlen (content) : 0);
    }
  _syn_server_request_finish (req);
}

static void
handle_export (SynRequest *req)
{
  syn_api_route_take_fixed (req->route, req->params);
  _syn_server_call (req, SYN_OP_EXPORT, req->params, on_exported);
}

/* "Accept: text/csv" (or application/csv) on a list: the whole list as a
 * file, its filters kept and its page dropped. */
static gboolean
export_if_accepted (SynRequest *req, const char *kind)
{
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), "Accept");

  if (accept == NULL || (strstr (accept, "text/csv") == NULL && strstr (accept, "application/csv") == NULL))
    return FALSE;
  json_object_remove_member (req->params, "page");
  json_object_remove_member (req->params, "limit");
  json_object_set_string_member (req->params, "kind", kind);
  json_object_set_string_member (req->params, "format", "csv");
  _syn_server_call (req, SYN_OP_EXPORT, req->params, on_exported);
  return TRUE;
}

static void
handle_list_assets (SynRequest *req)
{
  if (!export_if_accepted (req, "assets"))
    _syn_server_call (req, SYN_OP_LIST_ASSETS, req->params, _syn_server_generic_done);
}

static void
handle_list_cables (SynRequest *req)
{
  if (!export_if_accepted (req, "cables"))
    _syn_server_call (req, SYN_OP_LIST_CABLES, req->params, _syn_server_generic_done);
}

/* Timeline pages are what every GUI reads, again and again: an answer is
 * kept and sent again as long as the project's newest event is the same
 * (every change of its events appends one, in any process), which costs
 * one index step instead of building the page. */
static void
handle_timeline (SynRequest *req)
{
  g_autoptr(JsonObject) params = NULL;

  if (export_if_accepted (req, "timeline"))
    return;
  params = json_object_new ();

  json_object_set_string_member (params, "project_id", req->project_id);
  _syn_server_call (req, SYN_OP_PROJECT_HEAD, params, on_timeline_head);
}

/* ------------------------------------------------------------------------- */
/* WebSockets                                                                */

static void
on_ws_execution_access (SynRequest *req, JsonNode *answer, GError *error)
{
  if (error != NULL)
    {
      _syn_server_reply_status (req, 404, NULL, "No execution %s", syn_json_get_string (req->params, "execution_id"));
      return;
    }
  _syn_server_upgrade (req, FALSE, syn_json_get_string (req->params, "execution_id"), 0);
}

static void
on_ws_execution_found (SynRequest *req, JsonNode *answer, GError *error)
{
  const char *project_id;

  if (error != NULL)
    {
      _syn_server_reply_error (req, error);
      return;
    }
  project_id = syn_json_get_string (json_node_get_object (answer), "project_id");
  _syn_server_authorize_project (req, project_id ? project_id : "", on_ws_execution_access);
}

static void
on_ws_execution_record (SynRequest *req, JsonNode *answer, GError *error)
{
  if (error != NULL && ask_relay (req, error, on_ws_execution_found))
    return;
  on_ws_execution_found (req, answer, error);
}

/* A run of this process is known at once; any other from the store. */
static void
handle_ws_execution (SynRequest *req)
{
  const char *execution_id = syn_json_get_string (req->params, "execution_id");
  g_autoptr(JsonNode) run = syn_local_backend_describe_execution (_syn_server_get_local (req->server), execution_id);

  if (run != NULL)
    on_ws_execution_record (req, run, NULL);
  else
    _syn_server_call (req, SYN_OP_GET_EXECUTION, req->params, on_ws_execution_record);
}

static void
handle_ws_project (SynRequest *req)
{
  JsonNode *after = json_object_get_member (req->params, "after");
  gint64 position = 0;

  if (after != NULL)
    {
      const char *text = json_node_get_string (after);
      guint64 value = 0;

      if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
        {
          _syn_server_reply_status (req, 400, NULL, "after: \"%s\" is not a position (a whole number, 0 or more)",
                                    text ? text : "");
          return;
        }
      position = (gint64) value;
    }
  _syn_server_upgrade (req, TRUE, req->project_id, position);
}

/* ------------------------------------------------------------------------- */
/* Handlers                                                                  */

/* The routes that are more than their operation called as is. */
static const struct
{
  const char      *method;
  const char      *pattern;
  SynRouteHandler  handle;
} handlers[] = {
  { "GET", "api/v1/health", handle_health },
  { "GET", "api/v1/ready", handle_health },
  { "GET", "api/v1/openapi.json", handle_openapi },
  { "GET", "metrics", handle_metrics },
  { "PATCH", "api/v1/users/{username}", handle_admin },
  { "DELETE", "api/v1/users/{username}", handle_admin },
  { "PATCH", "api/v1/projects/{project_id}", handle_admin },
  { "DELETE", "api/v1/projects/{project_id}", handle_admin },
  { "DELETE", "api/v1/projects/{project_id}/members/{username}", handle_admin },
  { "POST", "api/v1/auth/login", handle_login },
  { "POST", "api/v1/auth/logout", handle_logout },
  { "GET", "api/v1/auth/me", handle_me },
  { "POST", "api/v1/demo", handle_demo },
  { "PUT", "api/v1/projects/{project_id}/rules/{rule_id}", handle_put_rule },
  { "DELETE", "api/v1/projects/{project_id}/rules/{rule_id}", handle_delete_rule },
  { "GET", "api/v1/rules/library", handle_library_rules },
  { "PUT", "api/v1/rules/library/{rule_id}", handle_put_rule },
  { "DELETE", "api/v1/rules/library/{rule_id}", handle_delete_rule },
  { "GET", "api/v1/executions/{execution_id}", handle_get_execution },
  { "POST", "api/v1/rules/execute", handle_execute },
  { "GET", "api/v1/events/timeline", handle_timeline },
  { "GET", "api/v1/projects/{project_id}/assets", handle_list_assets },
  { "GET", "api/v1/projects/{project_id}/cables", handle_list_cables },
  { "GET", "api/v1/projects/{project_id}/state", handle_state },
  { "GET", "api/v1/projects/{project_id}/cables.csv", handle_export },
  { "GET", "api/v1/projects/{project_id}/cables.json", handle_export },
  { "GET", "api/v1/projects/{project_id}/assets.csv", handle_export },
  { "GET", "api/v1/projects/{project_id}/assets.json", handle_export },
  { "GET", "api/v1/events/timeline.csv", handle_export },
  { "GET", "api/v1/events/timeline.json", handle_export },
  { "GET", "ws/execution/{execution_id}", handle_ws_execution },
  { "GET", "ws/projects/{project_id}/events", handle_ws_project },
};

SynRouteHandler
_syn_server_route_handler (const SynApiRoute *route)
{
  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    if (g_str_equal (handlers[i].method, route->method) && g_str_equal (handlers[i].pattern, route->pattern))
      return handlers[i].handle;
  return NULL;
}

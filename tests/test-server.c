/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-server.c: the team server over loopback: every route's answers and refusals, validation,
 * authentication and roles, body caps, CSV import, executions watched over WebSocket (replay, two
 * watchers, cancel, keepalive), the project event feed, rollback. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-auth.h"
#include "engine/syn-batch.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"
#include "syn-test-server.h"

typedef struct
{
  SynTestServer *srv;
  char          *admin;       /* tokens */
  char          *engineer;
  char          *viewer;
  char          *outsider;    /* an engineer outside the project */
  char          *engineer_id;
  char          *viewer_id;
  char          *outsider_id;
  char          *project_id;
} Fixture;

static const SynTestServerOptions small_bodies = { 0, 0, 64 * 1024, 256 * 1024 };
static const SynTestServerOptions fast_ping = { 1, 0, 0, 0 };
static const SynTestServerOptions on_postgres = { .postgres = TRUE };
/* polls so rarely that only notifications can bring events in time */
static const SynTestServerOptions on_postgres_notified = { .postgres = TRUE, .feed_interval = 600000 };

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */

static JsonNode *
call (Fixture *f, const char *method, const char *path, const char *token, const char *body, guint expected)
{
  return syn_test_http_expect (f->srv, method, path, token, body ? "application/json" : NULL, body, expected);
}

static JsonObject *
object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/* @template with every "{P}" replaced by @project_id. */
static char *
fill (const char *template, const char *project_id)
{
  g_auto(GStrv) parts = g_strsplit (template, "{P}", -1);

  return g_strjoinv (project_id, parts);
}

/* Expects an error answer with @status and @code whose message holds @part. */
static void
expect_error (Fixture *f, const char *method, const char *path, const char *token, const char *body,
              guint status, const char *code, const char *part)
{
  g_autoptr(JsonNode) answer = call (f, method, path, token, body, status);

  g_assert_cmpstr (syn_test_error_code (answer), ==, code);
  if (part != NULL && strstr (syn_test_error_message (answer), part) == NULL)
    g_error ("%s %s: \"%s\" does not mention \"%s\"", method, path, syn_test_error_message (answer), part);
}

static char *
import_csv (Fixture *f, const char *token, const char *csv, guint expected)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/import", f->project_id);
  guint status = 0;
  g_autoptr(JsonNode) answer = syn_test_http (f->srv, "POST", path, token, "text/csv", csv, -1, &status);

  g_assert_cmpuint (status, ==, expected);
  if (status != 200)
    return NULL;
  return g_strdup (syn_json_get_string (object (answer), "correlation_id"));
}

static char *
pumps_csv (guint n)
{
  GString *csv = g_string_new ("TAG,TYPE,AREA,DISCIPLINE,pump_type,hp,length_m\n");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (csv, "210-PP-%05u,PUMP,210,MECHANICAL,CENTRIFUGAL,%u,%u\n", i, 10 + i % 90, 20 + i % 80);
  return g_string_free (csv, FALSE);
}

static const char *pump_motor_rule =
  "{\"id\": \"pump-motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
  " \"action_type\": \"CREATE_CHILD\", \"discipline\": \"ELECTRICAL\","
  " \"condition\": {\"asset_type\": [\"PUMP\"], \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]},"
  " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
  " \"inherit_properties\": [\"hp\", \"length_m\"]}}";

static const char *motor_cable_rule =
  "{\"id\": \"motor-cable\", \"name\": \"FIRM: Motors require Power Cable\", \"source\": \"FIRM\","
  " \"action_type\": \"CREATE_CABLE\", \"discipline\": \"ELECTRICAL\","
  " \"condition\": {\"asset_type\": \"MOTOR\"},"
  " \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}}";

static void
add_rule (Fixture *f, const char *rule)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/rules", f->project_id);
  g_autoptr(JsonNode) answer = call (f, "POST", path, f->engineer, rule, 201);
}

static char *
state_hash (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/state-hash", f->project_id);
  g_autoptr(JsonNode) answer = call (f, "GET", path, f->viewer, NULL, 200);

  return g_strdup (syn_json_get_string (object (answer), "state_hash"));
}

static JsonNode *
start_execution (Fixture *f, const char *token, const char *mode)
{
  g_autofree char *body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"%s\"}", f->project_id, mode);

  return call (f, "POST", "/api/v1/rules/execute", token, body, 200);
}

static JsonObject *
parse_message (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *o = syn_json_parse_object (text, -1, &error);

  g_assert_no_error (error);
  return o;
}

/* Waits for the run's final message on @ws (then the server closes). */
static void
wait_final (SynTestWs *ws)
{
  g_assert_true (syn_test_ws_wait_closed (ws, 120000));
  g_assert_cmpuint (ws->texts->len, >, 0);
}

/* ------------------------------------------------------------------------- */
/* Fixture                                                                   */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *admin_id = NULL;
  g_autoptr(JsonNode) project = NULL;
  g_autofree char *members = NULL;

  f->srv = syn_test_server_start (data);
  admin_id = syn_test_server_add_user (f->srv, "admin", "admin");
  f->engineer_id = syn_test_server_add_user (f->srv, "erin", "engineer");
  f->viewer_id = syn_test_server_add_user (f->srv, "victor", "viewer");
  f->outsider_id = syn_test_server_add_user (f->srv, "otto", "engineer");
  f->admin = syn_test_server_login (f->srv, "admin");
  f->engineer = syn_test_server_login (f->srv, "erin");
  f->viewer = syn_test_server_login (f->srv, "victor");
  f->outsider = syn_test_server_login (f->srv, "otto");

  project = call (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"Plant\", \"country\": \"CA\"}", 201);
  f->project_id = g_strdup (syn_json_get_string (object (project), "id"));
  members = g_strdup_printf ("/api/v1/projects/%s/members", f->project_id);
  json_node_unref (call (f, "POST", members, f->admin, "{\"username\": \"erin\"}", 201));
  json_node_unref (call (f, "POST", members, f->admin, "{\"username\": \"victor\"}", 201));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  syn_test_server_stop (f->srv);
  g_free (f->admin);
  g_free (f->engineer);
  g_free (f->viewer);
  g_free (f->outsider);
  g_free (f->engineer_id);
  g_free (f->viewer_id);
  g_free (f->outsider_id);
  g_free (f->project_id);
}

/* ------------------------------------------------------------------------- */
/* Health, sessions, users                                                   */

static void
test_health (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) answer = call (f, "GET", "/api/v1/health", NULL, NULL, 200);
  JsonObject *o = object (answer);

  g_assert_cmpstr (syn_json_get_string (o, "status"), ==, "ok");
  g_assert_cmpstr (syn_json_get_string (o, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (syn_json_get_string (o, "database"), ==,
                   data && ((const SynTestServerOptions *) data)->postgres ? "postgresql" : "sqlite");
  /* the hash chain was checked on start, and holds */
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (o, "integrity"), "ok"));
  expect_error (f, "GET", "/api/v1/nothing-here", f->admin, NULL, 404, "not_found", NULL);
  expect_error (f, "DELETE", "/api/v1/health", NULL, NULL, 405, "method_not_allowed", NULL);
  expect_error (f, "GET", "/elsewhere", NULL, NULL, 404, "not_found", NULL);
}

static void
test_login (Fixture *f, gconstpointer data)
{
  g_autofree char *good = g_strdup_printf ("{\"username\": \"erin\", \"password\": \"%s\"}", SYN_TEST_PASSWORD);
  g_autoptr(JsonNode) answer = call (f, "POST", "/api/v1/auth/login", NULL, good, 200);
  JsonObject *user = json_object_get_object_member (object (answer), "user");
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  const char *token = syn_json_get_string (object (answer), "token");

  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 40);
  g_assert_cmpstr (syn_json_get_string (user, "username"), ==, "erin");
  g_assert_cmpstr (syn_json_get_string (user, "role"), ==, "engineer");
  g_assert_cmpstr (syn_json_get_string (user, "id"), ==, f->engineer_id);
  g_assert_false (json_object_has_member (user, "password_hash"));

  me = call (f, "GET", "/api/v1/auth/me", token, NULL, 200);
  g_assert_cmpstr (syn_json_get_string (object (me), "username"), ==, "erin");

  /* the database keeps a real password hash, never the password */
  users = syn_store_list_users (f->srv->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < users->len; i++)
    {
      SynUser *u = g_ptr_array_index (users, i);

      g_assert_true (g_str_has_prefix (u->password_hash, "$y$"));
      g_assert_null (strstr (u->password_hash, SYN_TEST_PASSWORD));
    }

  expect_error (f, "POST", "/api/v1/auth/login", NULL, "{\"username\": \"erin\", \"password\": \"wrong password\"}",
                401, "unauthorized", "Wrong username or password");
  expect_error (f, "POST", "/api/v1/auth/login", NULL, "{\"username\": \"nobody\", \"password\": \"whatever1\"}",
                401, "unauthorized", "Wrong username or password");
  expect_error (f, "POST", "/api/v1/auth/login", NULL, "{\"username\": \"erin\"}", 400, "invalid", "password");
  expect_error (f, "POST", "/api/v1/auth/login", NULL, "{\"username\": 3, \"password\": \"x\"}", 400, "invalid", "username");
  expect_error (f, "POST", "/api/v1/auth/login", NULL, "not json", 400, "invalid", "body");
  expect_error (f, "POST", "/api/v1/auth/login", NULL, "[1, 2]", 400, "invalid", "body");
  expect_error (f, "POST", "/api/v1/auth/login", NULL, "{\"username\": \"erin\", \"password\": \"x\", \"_user_id\": \"1\"}",
                400, "invalid", "_user_id");

  /* logging out ends the token at once */
  {
    g_autoptr(JsonNode) none = call (f, "POST", "/api/v1/auth/logout", token, NULL, 204);

    g_assert_null (none);
    expect_error (f, "GET", "/api/v1/auth/me", token, NULL, 401, "unauthorized", NULL);
  }
}

static void
test_login_throttle (Fixture *f, gconstpointer data)
{
  g_autofree char *good = g_strdup_printf ("{\"username\": \"victor\", \"password\": \"%s\"}", SYN_TEST_PASSWORD);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) answer = NULL;

  for (guint i = 0; i < 5; i++)
    expect_error (f, "POST", "/api/v1/auth/login", NULL, "{\"username\": \"victor\", \"password\": \"guess guess\"}",
                  401, "unauthorized", NULL);
  /* now even the right password must wait, and is told how long */
  msg = syn_test_http_message (f->srv, "POST", "/api/v1/auth/login", NULL, "application/json", good, -1, &answer);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
  g_assert_cmpstr (syn_test_error_code (answer), ==, "too_many_requests");
  g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
  /* others are not slowed down */
  g_free (syn_test_server_login (f->srv, "erin"));
}

static void
test_users (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) created = call (f, "POST", "/api/v1/users", f->admin,
                                      "{\"username\": \"nina\", \"password\": \"long enough\", \"role\": \"viewer\"}", 201);
  g_autoptr(JsonNode) list = NULL;

  g_assert_cmpstr (syn_json_get_string (object (created), "username"), ==, "nina");
  g_assert_cmpstr (syn_json_get_string (object (created), "role"), ==, "viewer");
  g_assert_false (json_object_has_member (object (created), "password_hash"));
  g_free (syn_test_server_login (f->srv, "erin"));

  expect_error (f, "POST", "/api/v1/users", f->admin,
                "{\"username\": \"nina\", \"password\": \"long enough\", \"role\": \"viewer\"}", 409, "conflict", "nina");
  expect_error (f, "POST", "/api/v1/users", f->admin,
                "{\"username\": \"zed\", \"password\": \"long enough\", \"role\": \"boss\"}", 400, "invalid", "role");
  expect_error (f, "POST", "/api/v1/users", f->admin,
                "{\"username\": \"zed\", \"password\": \"short\", \"role\": \"viewer\"}", 400, "invalid", "password");
  expect_error (f, "POST", "/api/v1/users", f->admin,
                "{\"username\": \"bad name\", \"password\": \"long enough\", \"role\": \"viewer\"}", 400, "invalid", "username");
  expect_error (f, "POST", "/api/v1/users", f->admin,
                "{\"username\": \"   \", \"password\": \"long enough\", \"role\": \"viewer\"}", 400, "invalid", "username");
  expect_error (f, "POST", "/api/v1/users", f->admin,
                "{\"username\": \"zed\", \"password\": \"long enough\", \"role\": \"viewer\", \"display_name\": \" \"}",
                400, "invalid", "display_name: must not be blank");
  expect_error (f, "POST", "/api/v1/users", f->engineer,
                "{\"username\": \"zed\", \"password\": \"long enough\", \"role\": \"admin\"}", 403, "forbidden", "admin");
  expect_error (f, "GET", "/api/v1/users", f->viewer, NULL, 403, "forbidden", NULL);

  list = call (f, "GET", "/api/v1/users", f->admin, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 5);
}

/* ------------------------------------------------------------------------- */
/* Authentication and authorization on every route                           */

typedef struct
{
  const char *method;
  const char *path;     /* {P}: the project id */
  const char *body;
} RouteCase;

static const RouteCase every_route[] = {
  { "POST", "/api/v1/auth/logout", NULL },
  { "GET", "/api/v1/auth/me", NULL },
  { "GET", "/api/v1/users", NULL },
  { "POST", "/api/v1/users", "{}" },
  { "GET", "/api/v1/projects", NULL },
  { "POST", "/api/v1/projects", "{\"name\": \"X\"}" },
  { "POST", "/api/v1/demo", "{}" },
  { "GET", "/api/v1/projects/{P}", NULL },
  { "GET", "/api/v1/projects/{P}/members", NULL },
  { "POST", "/api/v1/projects/{P}/members", "{\"username\": \"otto\"}" },
  { "GET", "/api/v1/projects/{P}/state-hash", NULL },
  { "GET", "/api/v1/projects/{P}/assets", NULL },
  { "POST", "/api/v1/projects/{P}/assets", "{\"tag\": \"T-1\", \"type\": \"TANK\"}" },
  { "GET", "/api/v1/projects/{P}/assets/by-tag/T-1", NULL },
  { "GET", "/api/v1/projects/{P}/assets/00000000-0000-0000-0000-000000000001", NULL },
  { "PATCH", "/api/v1/projects/{P}/assets/00000000-0000-0000-0000-000000000001", "{}" },
  { "DELETE", "/api/v1/projects/{P}/assets/00000000-0000-0000-0000-000000000001", NULL },
  { "GET", "/api/v1/projects/{P}/assets/00000000-0000-0000-0000-000000000001/explain", NULL },
  { "POST", "/api/v1/projects/{P}/import", NULL },
  { "GET", "/api/v1/projects/{P}/cables", NULL },
  { "GET", "/api/v1/projects/{P}/rules", NULL },
  { "POST", "/api/v1/projects/{P}/rules", "{}" },
  { "PUT", "/api/v1/projects/{P}/rules/r1", "{}" },
  { "DELETE", "/api/v1/projects/{P}/rules/r1", NULL },
  { "GET", "/api/v1/rules/library", NULL },
  { "POST", "/api/v1/rules/library", "{}" },
  { "PUT", "/api/v1/rules/library/r1", "{}" },
  { "DELETE", "/api/v1/rules/library/r1", NULL },
  { "GET", "/api/v1/projects/{P}/executions", NULL },
  { "GET", "/api/v1/executions/00000000-0000-0000-0000-000000000001", NULL },
  { "POST", "/api/v1/rules/execute", "{}" },
  { "POST", "/api/v1/rules/rollback?project_id={P}", "{}" },
  { "GET", "/api/v1/rules/rollback/blockers?project_id={P}", NULL },
  { "POST", "/api/v1/rules/redo?project_id={P}", "{}" },
  { "GET", "/api/v1/projects/{P}/verify", NULL },
  { "GET", "/api/v1/projects/{P}/state?as_of=now", NULL },
  { "GET", "/api/v1/projects/{P}/diff?from=0", NULL },
  { "GET", "/api/v1/projects/{P}/audit", NULL },
  { "POST", "/api/v1/projects/{P}/repair", "{}" },
  { "GET", "/api/v1/events/timeline?project_id={P}", NULL },
  { "GET", "/api/v1/events/assets/00000000-0000-0000-0000-000000000001/history?project_id={P}", NULL },
  { "GET", "/api/v1/events/cables/00000000-0000-0000-0000-000000000001/history?project_id={P}", NULL },
  { "GET", "/api/v1/events/tags/T-1?project_id={P}", NULL },
};

static void
test_auth_every_route (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expired = syn_auth_random_token (&error);
  g_autofree char *expired_hash = syn_auth_token_hash (expired);
  gint64 now = syn_time_now_usec ();

  g_assert_no_error (error);
  g_assert_true (syn_store_insert_token (f->srv->store, expired_hash, f->engineer_id,
                                         now - 2 * G_USEC_PER_SEC, now - G_USEC_PER_SEC, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (every_route); i++)
    {
      const RouteCase *c = &every_route[i];
      g_autofree char *path = fill (c->path, f->project_id);
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(JsonNode) answer = NULL;

      expect_error (f, c->method, path, NULL, c->body, 401, "unauthorized", NULL);
      expect_error (f, c->method, path, "not-a-token", c->body, 401, "unauthorized", NULL);
      expect_error (f, c->method, path, expired, c->body, 401, "unauthorized", NULL);
      msg = syn_test_http_message (f->srv, c->method, path, NULL, c->body ? "application/json" : NULL, c->body, -1, &answer);
      g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg), "WWW-Authenticate"));
    }

  /* both WebSockets too */
  {
    g_autofree char *feed = g_strdup_printf ("/ws/projects/%s/events", f->project_id);
    g_autoptr(SynTestWs) a = syn_test_ws_connect (f->srv, feed, NULL);
    g_autoptr(SynTestWs) b = syn_test_ws_connect (f->srv, feed, "bad");
    g_autoptr(SynTestWs) c = syn_test_ws_connect (f->srv, "/ws/execution/00000000-0000-0000-0000-000000000001", NULL);

    g_assert_null (a->conn);
    g_assert_cmpuint (a->status, ==, 401);
    g_assert_null (b->conn);
    g_assert_cmpuint (b->status, ==, 401);
    g_assert_null (c->conn);
    g_assert_cmpuint (c->status, ==, 401);
  }
  /* ?token= is accepted for WebSockets, which cannot always set headers */
  {
    g_autofree char *feed = g_strdup_printf ("/ws/projects/%s/events?token=%s", f->project_id, f->viewer);
    g_autoptr(SynTestWs) ok = syn_test_ws_connect (f->srv, feed, NULL);

    g_assert_nonnull (ok->conn);
  }
}

static void
test_roles (Fixture *f, gconstpointer data)
{
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autofree char *rollback = g_strdup_printf ("/api/v1/rules/rollback?project_id=%s", f->project_id);
  g_autofree char *rules = g_strdup_printf ("/api/v1/projects/%s/rules", f->project_id);
  g_autofree char *members = g_strdup_printf ("/api/v1/projects/%s/members", f->project_id);
  g_autofree char *body = g_strdup_printf ("{\"project_id\": \"%s\"}", f->project_id);
  g_autoptr(JsonNode) a = NULL;

  /* viewers read */
  json_node_unref (call (f, "GET", assets, f->viewer, NULL, 200));
  expect_error (f, "POST", assets, f->viewer, "{\"tag\": \"T-1\", \"type\": \"TANK\"}", 403, "forbidden", "engineer");
  expect_error (f, "POST", "/api/v1/rules/execute", f->viewer, body, 403, "forbidden", NULL);
  expect_error (f, "POST", rollback, f->viewer, "{\"correlation_id\": \"x\"}", 403, "forbidden", NULL);
  expect_error (f, "POST", rules, f->viewer, pump_motor_rule, 403, "forbidden", NULL);
  expect_error (f, "POST", members, f->viewer, "{\"username\": \"otto\"}", 403, "forbidden", NULL);
  {
    g_autofree char *import = g_strdup_printf ("/api/v1/projects/%s/import", f->project_id);
    guint status = 0;
    g_autoptr(JsonNode) answer = syn_test_http (f->srv, "POST", import, f->viewer, "text/csv", "TAG,TYPE\nT-1,TANK\n", -1, &status);

    g_assert_cmpuint (status, ==, 403);
  }

  /* engineers also change the project, but manage no users or projects */
  a = call (f, "POST", assets, f->engineer, "{\"tag\": \"T-1\", \"type\": \"TANK\"}", 201);
  expect_error (f, "POST", "/api/v1/projects", f->engineer, "{\"name\": \"Mine\"}", 403, "forbidden", "admin");
  expect_error (f, "POST", "/api/v1/rules/library", f->engineer, pump_motor_rule, 403, "forbidden", NULL);
  /* a member engineer may add members */
  json_node_unref (call (f, "POST", members, f->engineer, "{\"username\": \"otto\"}", 201));
  {
    g_autoptr(JsonNode) list = call (f, "GET", members, f->viewer, NULL, 200);

    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 4);
  }
  expect_error (f, "POST", members, f->engineer, "{\"username\": \"ghost\"}", 404, "not_found", "ghost");
}

static void
test_wrong_project (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) asset = NULL;
  g_autoptr(JsonNode) run = NULL;
  g_autoptr(JsonNode) projects = NULL;
  g_autoptr(SynTestWs) ws = NULL;
  g_autoptr(SynTestWs) feed = NULL;
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autofree char *path = NULL;
  const char *asset_id, *execution_id;

  asset = call (f, "POST", assets, f->engineer, "{\"tag\": \"T-1\", \"type\": \"TANK\"}", 201);
  asset_id = syn_json_get_string (object (asset), "id");
  add_rule (f, pump_motor_rule);
  run = start_execution (f, f->engineer, "dry_run");
  execution_id = syn_json_get_string (object (run), "execution_id");

  /* the outsider sees nothing of the project: 404, as if it did not exist */
  projects = call (f, "GET", "/api/v1/projects", f->outsider, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (projects)), ==, 0);
  {
    const char *paths[] = {
      "/api/v1/projects/{P}", "/api/v1/projects/{P}/assets", "/api/v1/projects/{P}/cables",
      "/api/v1/projects/{P}/rules", "/api/v1/projects/{P}/executions", "/api/v1/projects/{P}/state-hash",
      "/api/v1/projects/{P}/members", "/api/v1/events/timeline?project_id={P}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_free (path);
        path = fill (paths[i], f->project_id);
        expect_error (f, "GET", path, f->outsider, NULL, 404, "not_found", NULL);
      }
    /* by name too */
    expect_error (f, "GET", "/api/v1/projects/Plant", f->outsider, NULL, 404, "not_found", NULL);
    json_node_unref (call (f, "GET", "/api/v1/projects/Plant", f->viewer, NULL, 200));
  }
  g_free (path);
  path = g_strdup_printf ("/api/v1/projects/%s/assets/%s", f->project_id, asset_id);
  expect_error (f, "GET", path, f->outsider, NULL, 404, "not_found", NULL);
  expect_error (f, "PATCH", path, f->outsider, "{\"description\": \"x\"}", 404, "not_found", NULL);
  expect_error (f, "DELETE", path, f->outsider, NULL, 404, "not_found", NULL);
  g_free (path);
  path = g_strdup_printf ("/api/v1/events/assets/%s/history?project_id=%s", asset_id, f->project_id);
  expect_error (f, "GET", path, f->outsider, NULL, 404, "not_found", NULL);
  g_free (path);
  path = g_strdup_printf ("/api/v1/executions/%s", execution_id);
  expect_error (f, "GET", path, f->outsider, NULL, 404, "not_found", NULL);
  json_node_unref (call (f, "GET", path, f->viewer, NULL, 200));
  g_free (path);
  path = g_strdup_printf ("{\"project_id\": \"%s\"}", f->project_id);
  expect_error (f, "POST", "/api/v1/rules/execute", f->outsider, path, 404, "not_found", NULL);

  g_free (path);
  path = g_strdup_printf ("/ws/execution/%s", execution_id);
  ws = syn_test_ws_connect (f->srv, path, f->outsider);
  g_assert_null (ws->conn);
  g_assert_cmpuint (ws->status, ==, 404);
  g_free (path);
  path = g_strdup_printf ("/ws/projects/%s/events", f->project_id);
  feed = syn_test_ws_connect (f->srv, path, f->outsider);
  g_assert_null (feed->conn);
  g_assert_cmpuint (feed->status, ==, 404);

  /* admins see every project */
  json_node_unref (call (f, "GET", assets, f->admin, NULL, 200));
}

/* ------------------------------------------------------------------------- */
/* Projects, assets, validation                                              */

static void
test_projects (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) second = call (f, "POST", "/api/v1/projects", f->admin,
                                     "{\"name\": \"Mill\", \"description\": \"Grinding\", \"country\": \"cl\"}", 201);
  g_autoptr(JsonNode) admin_list = call (f, "GET", "/api/v1/projects", f->admin, NULL, 200);
  g_autoptr(JsonNode) engineer_list = call (f, "GET", "/api/v1/projects", f->engineer, NULL, 200);
  g_autoptr(JsonNode) one = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s", f->project_id);

  g_assert_cmpstr (syn_json_get_string (object (second), "country"), ==, "CL");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (admin_list)), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (engineer_list)), ==, 1);
  one = call (f, "GET", path, f->viewer, NULL, 200);
  g_assert_cmpstr (syn_json_get_string (object (one), "name"), ==, "Plant");

  expect_error (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"Mill\"}", 409, "conflict", NULL);
  expect_error (f, "POST", "/api/v1/projects", f->admin, "{}", 400, "invalid", "name");
  /* blank names are refused like missing ones; a name is kept trimmed */
  expect_error (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"   \"}", 400, "invalid", "must not be blank");
  expect_error (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"\\t\\n \"}", 400, "invalid", "must not be blank");
  {
    g_autoptr(JsonNode) trimmed = call (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"  Leach  \"}", 201);

    g_assert_cmpstr (syn_json_get_string (object (trimmed), "name"), ==, "Leach");
  }
  expect_error (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"X\", \"country\": \"Canada\"}", 400, "invalid", "country");
  expect_error (f, "GET", "/api/v1/projects", f->admin, "{\"x\": 1}", 400, "invalid", "body");
}

/* Issue 12: a deleted asset is found by its tag, with its history; a cable
 * has one too. */
static void
check_deleted_and_cable_history (Fixture *f, const char *asset_id, const char *history)
{
  g_autofree char *tags = g_strdup_printf ("/api/v1/events/tags/210-TK-001?project_id=%s", f->project_id);
  g_autofree char *cable_tags = g_strdup_printf ("/api/v1/events/tags/210-PP-001-PWR?project_id=%s&kind=cable",
                                                 f->project_id);
  g_autofree char *bad_kind = g_strdup_printf ("/api/v1/events/tags/210-TK-001?project_id=%s&kind=edge", f->project_id);
  g_autofree char *bad_cable = g_strdup_printf ("/api/v1/events/cables/not-a-uuid/history?project_id=%s", f->project_id);
  g_autofree char *pump_path = g_strdup_printf ("/api/v1/projects/%s/assets/by-tag/210-PP-001", f->project_id);
  g_autofree char *cable_history = NULL;
  g_autoptr(JsonNode) found = call (f, "GET", tags, f->viewer, NULL, 200);
  g_autoptr(JsonNode) h = call (f, "GET", history, f->viewer, NULL, 200);
  g_autoptr(JsonNode) pump = call (f, "GET", pump_path, f->viewer, NULL, 200);
  g_autoptr(SynCable) cable = syn_cable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(SynEvent) event = NULL;
  JsonArray *entities = json_object_get_array_member (object (found), "entities");
  JsonObject *entity;

  g_assert_cmpuint (json_array_get_length (entities), ==, 1);
  entity = json_array_get_object_element (entities, 0);
  g_assert_cmpstr (syn_json_get_string (entity, "kind"), ==, "asset");
  g_assert_cmpstr (syn_json_get_string (entity, "id"), ==, asset_id);
  g_assert_cmpstr (syn_json_get_string (entity, "type"), ==, "TANK");
  g_assert_true (json_object_get_boolean_member (entity, "deleted"));
  g_assert_cmpint (json_object_get_int_member (object (h), "total_events"), ==, 3);

  batch = syn_batch_begin (f->srv->store, f->project_id, NULL, &error);
  g_assert_no_error (error);
  cable->tag = g_strdup ("210-PP-001-PWR");
  cable->from_asset_id = g_strdup (syn_json_get_string (object (pump), "id"));
  cable->cable_type = g_strdup ("TECK90");
  event = syn_batch_create_cable (batch, cable, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_batch_commit (batch, &error));
  json_node_unref (g_steal_pointer (&found));
  found = call (f, "GET", cable_tags, f->viewer, NULL, 200);
  entity = json_array_get_object_element (json_object_get_array_member (object (found), "entities"), 0);
  g_assert_cmpstr (syn_json_get_string (entity, "kind"), ==, "cable");
  g_assert_cmpstr (syn_json_get_string (entity, "id"), ==, cable->id);
  g_assert_false (json_object_get_boolean_member (entity, "deleted"));
  cable_history = g_strdup_printf ("/api/v1/events/cables/%s/history?project_id=%s", cable->id, f->project_id);
  json_node_unref (g_steal_pointer (&h));
  h = call (f, "GET", cable_history, f->viewer, NULL, 200);
  g_assert_cmpstr (syn_json_get_string (object (h), "cable_id"), ==, cable->id);
  g_assert_cmpint (json_object_get_int_member (object (h), "total_events"), ==, 1);
  expect_error (f, "GET", bad_kind, f->viewer, NULL, 400, "invalid", "kind");
  {
    g_autofree char *never = g_strdup_printf ("/api/v1/events/tags/NEVER-1?project_id=%s", f->project_id);

    expect_error (f, "GET", never, f->viewer, NULL, 404, "not_found", "NEVER-1");
  }
  expect_error (f, "GET", bad_cable, f->viewer, NULL, 400, "invalid", "cable_id");
}

static void
test_assets (Fixture *f, gconstpointer data)
{
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autoptr(JsonNode) created = call (f, "POST", assets, f->engineer,
                                      "{\"tag\": \"210-TK-001\", \"type\": \"TANK\", \"area\": \"210\","
                                      " \"properties\": {\"volume_m3\": 120}}", 201);
  const char *asset_id = syn_json_get_string (object (created), "id");
  g_autofree char *one = g_strdup_printf ("%s/%s", assets, asset_id);
  g_autofree char *by_tag = g_strdup_printf ("%s/by-tag/210-TK-001", assets);
  g_autofree char *history = g_strdup_printf ("/api/v1/events/assets/%s/history?project_id=%s", asset_id, f->project_id);
  g_autofree char *explain = g_strdup_printf ("%s/explain", one);
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) h = NULL;
  g_autoptr(JsonNode) why = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_assert_nonnull (syn_json_get_string (object (created), "correlation_id"));
  json_node_unref (call (f, "POST", assets, f->engineer, "{\"tag\": \"210-PP-001\", \"type\": \"PUMP\"}", 201));
  got = call (f, "GET", one, f->viewer, NULL, 200);
  g_assert_cmpstr (syn_json_get_string (object (got), "tag"), ==, "210-TK-001");
  json_node_unref (call (f, "GET", by_tag, f->viewer, NULL, 200));

  {
    g_autofree char *tanks = g_strdup_printf ("%s?type=TANK&page=1&limit=10", assets);

    list = call (f, "GET", tanks, f->viewer, NULL, 200);
  }
  g_assert_cmpint (json_object_get_int_member (object (list), "total"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object (list), "pages"), ==, 1);
  json_node_unref (g_steal_pointer (&list));
  list = call (f, "GET", assets, f->viewer, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (object (list), "total"), ==, 2);

  patched = call (f, "PATCH", one, f->engineer, "{\"description\": \"Leach tank\", \"properties\": {\"volume_m3\": null, \"lined\": \"yes\"}}", 200);
  g_assert_cmpstr (syn_json_get_string (object (patched), "description"), ==, "Leach tank");
  g_assert_false (json_object_has_member (json_object_get_object_member (object (patched), "properties"), "volume_m3"));

  h = call (f, "GET", history, f->viewer, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (object (h), "total_events"), ==, 2);
  why = call (f, "GET", explain, f->viewer, NULL, 200);
  g_assert_true (json_object_has_member (object (why), "rules"));

  expect_error (f, "POST", assets, f->engineer, "{\"tag\": \"210-TK-001\", \"type\": \"TANK\"}", 409, "conflict", NULL);
  expect_error (f, "POST", assets, f->engineer, "{\"type\": \"TANK\"}", 400, "invalid", "tag");
  expect_error (f, "PATCH", one, f->engineer, "{\"colour\": \"red\"}", 400, "invalid", "colour");
  {
    g_autofree char *bad = g_strdup_printf ("%s/not-a-uuid", assets);
    g_autofree char *unknown = g_strdup_printf ("%s/00000000-0000-0000-0000-000000000009", assets);

    expect_error (f, "GET", bad, f->viewer, NULL, 400, "invalid", "asset_id");
    expect_error (f, "GET", unknown, f->viewer, NULL, 404, "not_found", NULL);
  }

  msg = syn_test_http_message (f->srv, "DELETE", one, f->engineer, NULL, NULL, -1, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 204);
  g_assert_true (syn_uuid_is_valid (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                  "X-Synapse-Correlation-Id")));
  expect_error (f, "GET", one, f->viewer, NULL, 404, "not_found", NULL);
  check_deleted_and_cable_history (f, asset_id, history);
}

/* Keyset pages over HTTP: "before" the last position of page 1 is page 2,
 * "after" the newest of page 2 is page 1 again; the total stays the
 * filter's; a keyset answer has no page number; bad values are refused. */
static void
test_keyset_pages (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = pumps_csv (7);
  g_autofree char *base = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&limit=3", f->project_id);
  g_autofree char *page1_path = g_strdup_printf ("%s&page=1", base);
  g_autofree char *page2_path = g_strdup_printf ("%s&page=2", base);
  g_autoptr(JsonNode) page1 = NULL;
  g_autoptr(JsonNode) page2 = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *before_path = NULL;
  g_autofree char *after_path = NULL;
  g_autofree char *both_path = NULL;
  JsonArray *a1, *a2, *ab, *aa;

  g_free (import_csv (f, f->engineer, csv, 200));
  page1 = call (f, "GET", page1_path, f->viewer, NULL, 200);
  page2 = call (f, "GET", page2_path, f->viewer, NULL, 200);
  a1 = json_object_get_array_member (object (page1), "events");
  a2 = json_object_get_array_member (object (page2), "events");
  g_assert_cmpuint (json_array_get_length (a1), ==, 3);
  g_assert_cmpuint (json_array_get_length (a2), ==, 3);

  before_path = g_strdup_printf ("%s&before=%" G_GINT64_FORMAT, base,
                                 json_object_get_int_member (json_array_get_object_element (a1, 2), "position"));
  before = call (f, "GET", before_path, f->viewer, NULL, 200);
  ab = json_object_get_array_member (object (before), "events");
  g_assert_cmpuint (json_array_get_length (ab), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (ab, i), "id"), ==,
                     syn_json_get_string (json_array_get_object_element (a2, i), "id"));
  g_assert_cmpint (json_object_get_int_member (object (before), "total"), ==,
                   json_object_get_int_member (object (page1), "total"));
  g_assert_false (json_object_has_member (object (before), "page"));

  after_path = g_strdup_printf ("%s&after=%" G_GINT64_FORMAT, base,
                                json_object_get_int_member (json_array_get_object_element (a2, 0), "position"));
  after = call (f, "GET", after_path, f->viewer, NULL, 200);
  aa = json_object_get_array_member (object (after), "events");
  g_assert_cmpuint (json_array_get_length (aa), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (aa, i), "id"), ==,
                     syn_json_get_string (json_array_get_object_element (a1, i), "id"));

  both_path = g_strdup_printf ("%s&after=5&page=2", base);
  expect_error (f, "GET", both_path, f->viewer, NULL, 400, "invalid", "page");
  g_free (both_path);
  both_path = g_strdup_printf ("%s&after=5&before=5", base);
  expect_error (f, "GET", both_path, f->viewer, NULL, 400, "invalid", "after");
  g_free (both_path);
  both_path = g_strdup_printf ("%s&before=-3", base);
  expect_error (f, "GET", both_path, f->viewer, NULL, 400, "invalid", "before");
  g_free (both_path);
  both_path = g_strdup_printf ("%s&after=x", base);
  expect_error (f, "GET", both_path, f->viewer, NULL, 400, "invalid", "after");
}

static void
test_validation (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *query;
    const char *part;
  } bad[] = {
    { "event_types=ASSET_CREATED,ASSET_EXPLODED", "event_types" },
    { "from_date=yesterday", "from_date" },
    { "to_date=2026-13-45", "to_date" },
    { "from_date=2026-03-10&to_date=2026-03-01", "from_date" },
    { "correlation_id=not-a-uuid", "correlation_id" },
    { "asset_id=xyz", "asset_id" },
    { "page=0", "page" },
    { "page=-1", "page" },
    { "page=abc", "page" },
    { "limit=0", "limit" },
    { "limit=501", "limit" },
    { "include_rolled_back=maybe", "include_rolled_back" },
    { "discipline=MAGIC", "discipline" },
    { "colour=red", "colour" },
  };
  g_autofree char *ok = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&limit=500&page=1"
                                         "&event_types=ASSET_CREATED&from_date=2020-01-01&to_date=2099-12-31"
                                         "&include_rolled_back=true&discipline=electrical", f->project_id);

  json_node_unref (call (f, "GET", ok, f->viewer, NULL, 200));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&%s", f->project_id, bad[i].query);

      expect_error (f, "GET", path, f->viewer, NULL, 400, "invalid", bad[i].part);
    }
  expect_error (f, "GET", "/api/v1/events/timeline", f->viewer, NULL, 400, "invalid", "project_id");
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/assets?limit=1000", f->project_id);

    expect_error (f, "GET", path, f->viewer, NULL, 400, "invalid", "limit");
    g_free (path);
    path = g_strdup_printf ("/api/v1/projects/%s/cables?page=x", f->project_id);
    expect_error (f, "GET", path, f->viewer, NULL, 400, "invalid", "page");
    g_free (path);
    path = g_strdup_printf ("/api/v1/projects/%s/executions?limit=-5", f->project_id);
    expect_error (f, "GET", path, f->viewer, NULL, 400, "invalid", "limit");
    g_free (path);
    path = g_strdup_printf ("/api/v1/executions/123");
    expect_error (f, "GET", path, f->viewer, NULL, 400, "invalid", "execution_id");
    g_free (path);
    path = g_strdup_printf ("/api/v1/rules/rollback/blockers?project_id=%s&correlation_id=zz", f->project_id);
    expect_error (f, "GET", path, f->viewer, NULL, 400, "invalid", "correlation_id");
  }
}

static void
test_body_cap (Fixture *f, gconstpointer data)
{
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autofree char *import = g_strdup_printf ("/api/v1/projects/%s/import", f->project_id);
  g_autoptr(GString) big = g_string_new ("{\"tag\": \"T-1\", \"type\": \"TANK\", \"description\": \"");
  g_autofree char *csv = pumps_csv (3000);   /* ~150 KB: over the JSON cap, under the import cap */
  g_autofree char *huge_csv = pumps_csv (6000);
  guint status = 0;
  g_autoptr(JsonNode) answer = NULL;

  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"}");
  expect_error (f, "POST", assets, f->engineer, big->str, 413, "too_large", NULL);

  g_assert_cmpuint (strlen (csv), >, 64 * 1024);
  g_assert_cmpuint (strlen (huge_csv), >, 256 * 1024);
  answer = syn_test_http (f->srv, "POST", import, f->engineer, "text/csv", csv, -1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (object (answer), "imported"), ==, 3000);
  json_node_unref (g_steal_pointer (&answer));
  answer = syn_test_http (f->srv, "POST", import, f->engineer, "text/csv", huge_csv, -1, &status);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpstr (syn_test_error_code (answer), ==, "too_large");

  /* a chunked body, with no length said, is counted as it comes */
  {
    g_autofree char *url = g_strconcat (f->srv->url, assets, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autofree char *auth = g_strdup_printf ("Bearer %s", f->engineer);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_strdup (big->str), big->len, g_free);
    g_autoptr(GBytes) reply = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    reply = soup_session_send_and_read (f->srv->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  }
  /* and the server is still there */
  json_node_unref (call (f, "GET", "/api/v1/health", NULL, NULL, 200));
}

static void
test_import (Fixture *f, gconstpointer data)
{
  g_autofree char *import = g_strdup_printf ("/api/v1/projects/%s/import", f->project_id);
  g_autofree char *strict = g_strdup_printf ("%s?strict=true", import);
  g_autofree char *bad_flag = g_strdup_printf ("%s?strict=perhaps", import);
  guint status = 0;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *errors;

  answer = syn_test_http (f->srv, "POST", import, f->engineer, "text/csv",
                          "TAG,TYPE,DESCRIPTION,SYSTEM\nP-1,PUMP,Feed pump,Water\nP-2,,No type\nP-3,TANK,Tank,\n", -1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (object (answer), "imported"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object (answer), "skipped"), ==, 1);
  errors = json_object_get_array_member (object (answer), "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (errors, 0), "line"), ==, 3);
  g_assert_true (syn_uuid_is_valid (syn_json_get_string (object (answer), "correlation_id")));
  json_node_unref (g_steal_pointer (&answer));

  answer = syn_test_http (f->srv, "POST", strict, f->engineer, "text/csv", "TAG,TYPE\nQ-1,PUMP\nQ-2,\n", -1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (object (answer), "imported"), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object (answer), "correlation_id")));
  json_node_unref (g_steal_pointer (&answer));

  answer = syn_test_http (f->srv, "POST", bad_flag, f->engineer, "text/csv", "TAG,TYPE\nQ-1,PUMP\n", -1, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (syn_test_error_message (answer), "strict"));
  json_node_unref (g_steal_pointer (&answer));

  answer = syn_test_http (f->srv, "POST", import, f->engineer, "text/csv", "TAG,TYPE\nQ-\xff\xfe,PUMP\n", -1, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (syn_test_error_message (answer), "UTF-8"));
}

/* A revised list over REST: ?mode=revision, ?dry_run=true, ?delete_missing=true;
 * the answer carries the diff. */
static void
test_import_revision (Fixture *f, gconstpointer data)
{
  g_autofree char *import = g_strdup_printf ("/api/v1/projects/%s/import", f->project_id);
  g_autofree char *preview = g_strdup_printf ("%s?mode=revision&dry_run=true", import);
  g_autofree char *revise = g_strdup_printf ("%s?mode=revision&delete_missing=true", import);
  g_autofree char *bad_mode = g_strdup_printf ("%s?mode=replace", import);
  g_autofree char *add_delete = g_strdup_printf ("%s?delete_missing=true", import);
  const char *rev_b = "TAG\tTYPE\tHP\nP-1\tPUMP\t100\nP-3\tPUMP\t5\n";
  guint status = 0;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *first = import_csv (f, f->engineer, "TAG,TYPE,HP\nP-1,PUMP,75\nP-2,PUMP,20\n", 200);
  JsonObject *diff, *change;

  answer = syn_test_http (f->srv, "POST", preview, f->engineer, "text/csv", rev_b, -1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (syn_json_get_string (object (answer), "status"), ==, "preview");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object (answer), "correlation_id")));
  diff = json_object_get_object_member (object (answer), "diff");
  g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (json_object_get_array_member (diff, "created"), 0),
                                        "tag"), ==, "P-3");
  change = json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (
    json_object_get_array_member (diff, "updated"), 0), "changes"), 0);
  g_assert_cmpstr (syn_json_get_string (change, "field"), ==, "properties.hp");
  g_assert_cmpstr (syn_json_get_string (change, "old"), ==, "75");
  g_assert_cmpstr (syn_json_get_string (change, "new"), ==, "100");
  g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (json_object_get_array_member (diff, "missing"), 0),
                                        "tag"), ==, "P-2");
  json_node_unref (g_steal_pointer (&answer));

  /* a viewer cannot even preview: it is the import's route */
  answer = syn_test_http (f->srv, "POST", preview, f->viewer, "text/csv", rev_b, -1, &status);
  g_assert_cmpuint (status, ==, 403);
  json_node_unref (g_steal_pointer (&answer));

  answer = syn_test_http (f->srv, "POST", revise, f->engineer, "text/csv", rev_b, -1, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (syn_json_get_string (object (answer), "status"), ==, "imported");
  g_assert_cmpint (json_object_get_int_member (object (answer), "deleted"), ==, 1);
  g_assert_true (syn_uuid_is_valid (syn_json_get_string (object (answer), "correlation_id")));
  json_node_unref (g_steal_pointer (&answer));

  answer = syn_test_http (f->srv, "POST", bad_mode, f->engineer, "text/csv", rev_b, -1, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (syn_test_error_message (answer), "mode"));
  json_node_unref (g_steal_pointer (&answer));

  answer = syn_test_http (f->srv, "POST", add_delete, f->engineer, "text/csv", rev_b, -1, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (syn_test_error_message (answer), "delete_missing"));
}

static void
test_rules (Fixture *f, gconstpointer data)
{
  g_autofree char *rules = g_strdup_printf ("/api/v1/projects/%s/rules", f->project_id);
  g_autofree char *one = g_strdup_printf ("%s/pump-motor", rules);
  g_autofree char *library_one = g_strdup ("/api/v1/rules/library/lib-motor-cable");
  g_autoptr(JsonNode) saved = call (f, "POST", rules, f->engineer, pump_motor_rule, 201);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) library = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *lib_rule = NULL;

  g_assert_cmpstr (syn_json_get_string (object (saved), "project_id"), ==, f->project_id);
  json_node_unref (call (f, "PUT", one, f->engineer, pump_motor_rule, 200));
  changed = g_strdup_printf ("%s/other-id", rules);
  expect_error (f, "PUT", changed, f->engineer, pump_motor_rule, 400, "invalid", "id");
  expect_error (f, "POST", rules, f->engineer, "{\"id\": \"broken\", \"name\": \"X\", \"action_type\": \"CREATE_CHILD\","
                " \"condition\": {\"all\": [{\"key\": \"a\", \"op\": \"~~\", \"value\": 1}]}, \"action\": {}}",
                400, "invalid", NULL);

  /* the library: everyone reads it, admins write it */
  lib_rule = g_strdup (motor_cable_rule);
  {
    g_autoptr(JsonObject) o = syn_json_parse_object (motor_cable_rule, -1, NULL);
    g_autoptr(JsonNode) node = NULL;

    json_object_set_string_member (o, "id", "lib-motor-cable");
    node = syn_json_node_new_object (json_object_ref (o));
    g_free (lib_rule);
    lib_rule = syn_json_to_string (node);
  }
  second = call (f, "POST", "/api/v1/rules/library", f->admin, lib_rule, 201);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object (second), "project_id")));
  library = call (f, "GET", "/api/v1/rules/library", f->viewer, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (library)), ==, 1);
  list = call (f, "GET", rules, f->viewer, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);

  /* a project route deletes only the project's own rules */
  {
    g_autofree char *through_project = g_strdup_printf ("%s/lib-motor-cable", rules);

    expect_error (f, "DELETE", through_project, f->engineer, NULL, 404, "not_found", NULL);
  }
  expect_error (f, "DELETE", library_one, f->engineer, NULL, 403, "forbidden", NULL);
  g_assert_null (call (f, "DELETE", one, f->engineer, NULL, 204));
  expect_error (f, "DELETE", one, f->engineer, NULL, 404, "not_found", NULL);
  g_assert_null (call (f, "DELETE", library_one, f->admin, NULL, 204));
}

/* ------------------------------------------------------------------------- */
/* Executions over WebSocket                                                 */

static void
check_run_messages (GPtrArray *texts, const char *execution_id)
{
  g_autoptr(JsonObject) first = parse_message (g_ptr_array_index (texts, 0));
  g_autoptr(JsonObject) last = parse_message (g_ptr_array_index (texts, texts->len - 1));
  JsonObject *summary, *created;
  gint64 actions = 0, rule_actions = 0, errors = 0, created_msgs = 0, starts = 0, completes = 0;
  gint64 progress = -1;

  g_assert_cmpstr (syn_json_get_string (first, "type"), ==, "STARTED");
  g_assert_cmpstr (syn_json_get_string (first, "execution_id"), ==, execution_id);
  g_assert_true (json_object_has_member (first, "total_rules"));
  g_assert_true (json_object_has_member (first, "total_assets"));
  g_assert_true (json_object_has_member (first, "filters_applied"));
  g_assert_cmpstr (syn_json_get_string (last, "type"), ==, "COMPLETED");
  g_assert_cmpstr (syn_json_get_string (last, "execution_id"), ==, execution_id);

  for (guint i = 1; i + 1 < texts->len; i++)
    {
      g_autoptr(JsonObject) m = parse_message (g_ptr_array_index (texts, i));
      const char *type = syn_json_get_string (m, "type");

      if (g_strcmp0 (type, "RULE_START") == 0)
        {
          starts++;
          g_assert_true (json_object_has_member (m, "assets_to_process"));
        }
      else if (g_strcmp0 (type, "RULE_COMPLETE") == 0)
        {
          completes++;
          rule_actions += json_object_get_int_member (m, "actions_taken");
        }
      else if (g_strcmp0 (type, "ACTION") == 0)
        {
          JsonObject *result = json_object_get_object_member (m, "result");

          actions++;
          g_assert_nonnull (result);
          created_msgs += g_strcmp0 (syn_json_get_string (m, "action"), "CREATED") == 0;
        }
      else if (g_strcmp0 (type, "PROGRESS") == 0)
        {
          gint64 p = json_object_get_int_member (m, "progress");

          g_assert_cmpint (p, >=, progress);
          progress = p;
        }
      else if (g_strcmp0 (type, "ERROR") == 0)
        {
          g_assert_true (json_object_get_boolean_member (m, "recoverable"));
          errors++;
        }
      else
        g_error ("unexpected message type %s", type);
    }
  /* the counts add up */
  summary = json_object_get_object_member (last, "summary");
  created = json_object_get_object_member (summary, "created");
  g_assert_cmpint (starts, ==, completes);
  g_assert_cmpint (starts, >, 0);
  g_assert_cmpint (rule_actions, ==, json_object_get_int_member (summary, "actions_taken"));
  g_assert_cmpint (actions, ==, json_object_get_int_member (summary, "actions_taken"));
  g_assert_cmpint (errors, ==, json_object_get_int_member (summary, "errors"));
  g_assert_cmpint (created_msgs, ==, json_object_get_int_member (created, "assets") +
                                     json_object_get_int_member (created, "cables"));
}

static void
test_execute_watch (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = pumps_csv (40);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SynTestWs) first = NULL;
  g_autoptr(SynTestWs) second = NULL;
  g_autoptr(SynTestWs) late = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *ws_path = NULL;
  g_autofree char *get = NULL;
  const char *execution_id;
  JsonObject *a;

  g_free (import_csv (f, f->engineer, csv, 200));
  add_rule (f, pump_motor_rule);
  add_rule (f, motor_cable_rule);
  before = state_hash (f);

  answer = start_execution (f, f->engineer, "execute");
  a = object (answer);
  execution_id = syn_json_get_string (a, "execution_id");
  g_assert_true (syn_uuid_is_valid (execution_id));
  g_assert_true (syn_uuid_is_valid (syn_json_get_string (a, "correlation_id")));
  g_assert_cmpstr (syn_json_get_string (a, "status"), ==, "started");
  ws_path = g_strdup_printf ("/ws/execution/%s", execution_id);
  g_assert_cmpstr (syn_json_get_string (a, "ws_url"), ==, ws_path);

  /* two watchers at once, then one after the end: each gets all of it */
  first = syn_test_ws_connect (f->srv, ws_path, f->viewer);
  second = syn_test_ws_connect (f->srv, ws_path, f->engineer);
  g_assert_nonnull (first->conn);
  g_assert_nonnull (second->conn);
  wait_final (first);
  wait_final (second);
  check_run_messages (first->texts, execution_id);
  g_assert_cmpuint (first->texts->len, ==, second->texts->len);
  for (guint i = 0; i < first->texts->len; i++)
    g_assert_cmpstr (g_ptr_array_index (first->texts, i), ==, g_ptr_array_index (second->texts, i));

  late = syn_test_ws_connect (f->srv, ws_path, f->viewer);
  g_assert_nonnull (late->conn);
  wait_final (late);
  g_assert_cmpuint (late->texts->len, ==, first->texts->len);
  for (guint i = 0; i < first->texts->len; i++)
    g_assert_cmpstr (g_ptr_array_index (late->texts, i), ==, g_ptr_array_index (first->texts, i));

  after = state_hash (f);
  g_assert_cmpstr (before, !=, after);
  get = g_strdup_printf ("/api/v1/executions/%s", execution_id);
  record = call (f, "GET", get, f->viewer, NULL, 200);
  g_assert_cmpstr (syn_json_get_string (object (record), "status"), ==, "completed");
  {
    g_autofree char *list = g_strdup_printf ("/api/v1/projects/%s/executions?page=1&limit=10", f->project_id);
    g_autoptr(JsonNode) executions = call (f, "GET", list, f->viewer, NULL, 200);

    g_assert_cmpint (json_object_get_int_member (object (executions), "total"), ==, 1);
  }
  expect_error (f, "GET", "/api/v1/executions/00000000-0000-0000-0000-000000000042", f->viewer, NULL, 404, "not_found", NULL);
  expect_error (f, "POST", "/api/v1/rules/execute", f->engineer, "{\"project_id\": \"Plant\", \"mode\": \"fast\"}",
                400, "invalid", "mode");
  expect_error (f, "POST", "/api/v1/rules/execute", f->engineer, "{\"project_id\": \"Plant\", \"speed\": 1}",
                400, "invalid", "speed");
  expect_error (f, "POST", "/api/v1/rules/execute", f->engineer, "{\"mode\": \"execute\"}", 400, "invalid", "project_id");

  /* a dry run previews: the same messages, nothing changes */
  {
    g_autoptr(JsonNode) preview = start_execution (f, f->engineer, "dry_run");
    g_autofree char *path = g_strdup_printf ("/ws/execution/%s",
                                             syn_json_get_string (object (preview), "execution_id"));
    g_autoptr(SynTestWs) ws = syn_test_ws_connect (f->srv, path, f->viewer);
    g_autofree char *unchanged = NULL;

    g_assert_cmpstr (syn_json_get_string (object (preview), "status"), ==, "preview");
    wait_final (ws);
    unchanged = state_hash (f);
    g_assert_cmpstr (unchanged, ==, after);
  }
}

static void
test_ping_pong (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_strdup_printf ("/ws/projects/%s/events", f->project_id);
  g_autoptr(SynTestWs) ws = syn_test_ws_connect (f->srv, path, f->viewer);
  gint64 t0;

  g_assert_nonnull (ws->conn);
  soup_websocket_connection_send_text (ws->conn, "ping");
  g_assert_true (syn_test_ws_wait (ws, 1, 10000));
  g_assert_cmpstr (g_ptr_array_index (ws->texts, 0), ==, "pong");

  /* silence: the server says "ping" (every second in this fixture) */
  t0 = g_get_monotonic_time ();
  g_assert_true (syn_test_ws_wait (ws, 2, 10000));
  g_assert_cmpstr (g_ptr_array_index (ws->texts, 1), ==, "ping");
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 500 * 1000);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = pumps_csv (20000);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SynTestWs) viewer = NULL;
  g_autoptr(SynTestWs) engineer = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *path = NULL;
  g_autofree char *get = NULL;
  g_autoptr(JsonNode) record = NULL;

  g_free (import_csv (f, f->engineer, csv, 200));
  add_rule (f, pump_motor_rule);
  add_rule (f, motor_cable_rule);
  before = state_hash (f);

  answer = start_execution (f, f->engineer, "execute");
  path = g_strdup_printf ("/ws/execution/%s", syn_json_get_string (object (answer), "execution_id"));
  viewer = syn_test_ws_connect (f->srv, path, f->viewer);
  engineer = syn_test_ws_connect (f->srv, path, f->engineer);

  /* a viewer's cancel is refused, to that viewer only */
  soup_websocket_connection_send_text (viewer->conn, "cancel");
  soup_websocket_connection_send_text (engineer->conn, "cancel");
  wait_final (engineer);
  wait_final (viewer);
  last = parse_message (g_ptr_array_index (engineer->texts, engineer->texts->len - 1));
  g_assert_cmpstr (syn_json_get_string (last, "type"), ==, "ERROR");
  g_assert_false (json_object_get_boolean_member (last, "recoverable"));
  /* every watcher is told it was cancelled, not that it failed */
  g_assert_cmpstr (syn_json_get_string (last, "status"), ==, "cancelled");
  {
    gboolean refused = FALSE;

    for (guint i = 0; i < viewer->texts->len; i++)
      refused = refused || strstr (g_ptr_array_index (viewer->texts, i), "Only engineers") != NULL;
    g_assert_true (refused);
  }
  /* nothing of it was committed */
  after = state_hash (f);
  g_assert_cmpstr (before, ==, after);
  get = g_strdup_printf ("/api/v1/executions/%s", syn_json_get_string (object (answer), "execution_id"));
  record = call (f, "GET", get, f->viewer, NULL, 200);
  g_assert_cmpstr (syn_json_get_string (object (record), "status"), ==, "cancelled");
}

/* Reads go on while an execution writes: timeline pages come back while
 * the run is still going. */
static void
test_reads_during_execution (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = pumps_csv (20000);
  g_autofree char *timeline = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&limit=50", f->project_id);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SynTestWs) ws = NULL;
  guint served_while_running = 0;

  g_free (import_csv (f, f->engineer, csv, 200));
  add_rule (f, pump_motor_rule);
  add_rule (f, motor_cable_rule);
  answer = start_execution (f, f->engineer, "execute");
  path = g_strdup_printf ("/ws/execution/%s", syn_json_get_string (object (answer), "execution_id"));
  ws = syn_test_ws_connect (f->srv, path, f->viewer);
  while (!ws->closed)
    {
      g_autoptr(JsonNode) page = call (f, "GET", timeline, f->viewer, NULL, 200);

      if (!ws->closed)
        served_while_running++;
      while (g_main_context_iteration (g_main_context_get_thread_default (), FALSE))
        ;
    }
  g_test_message ("%u timeline pages served while the execution ran", served_while_running);
  g_assert_cmpuint (served_while_running, >, 0);
}

/* ------------------------------------------------------------------------- */
/* The project event feed                                                    */

static void
test_project_feed (Fixture *f, gconstpointer data)
{
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autofree char *path = g_strdup_printf ("/ws/projects/%s/events?after=0", f->project_id);
  g_autofree char *timeline = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&include_rolled_back=true",
                                               f->project_id);
  g_autoptr(SynTestWs) ws = NULL;
  g_autoptr(SynTestWs) later = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autofree char *later_path = NULL;
  gint64 total, last_position = 0;
  guint n;

  g_free (import_csv (f, f->engineer, "TAG,TYPE\nA-1,TANK\nA-2,PUMP\nA-3,VALVE\n", 200));
  json_node_unref (call (f, "POST", assets, f->engineer, "{\"tag\": \"B-1\", \"type\": \"TANK\"}", 201));
  page = call (f, "GET", timeline, f->viewer, NULL, 200);
  total = json_object_get_int_member (object (page), "total");
  /* CSV_IMPORTED and 3 ASSET_CREATED, then one ASSET_CREATED */
  g_assert_cmpint (total, ==, 5);

  /* catch-up: every event so far, in order */
  ws = syn_test_ws_connect (f->srv, path, f->viewer);
  g_assert_nonnull (ws->conn);
  g_assert_true (syn_test_ws_wait (ws, (guint) total, 10000));
  for (guint i = 0; i < ws->texts->len; i++)
    {
      g_autoptr(JsonObject) m = parse_message (g_ptr_array_index (ws->texts, i));
      JsonObject *event = json_object_get_object_member (m, "event");
      gint64 position = json_object_get_int_member (event, "position");

      g_assert_cmpstr (syn_json_get_string (m, "type"), ==, "EVENT");
      g_assert_cmpstr (syn_json_get_string (event, "project_id"), ==, f->project_id);
      g_assert_cmpint (position, >, last_position);
      last_position = position;
    }

  /* live: another client's change arrives */
  json_node_unref (call (f, "POST", assets, f->engineer, "{\"tag\": \"B-2\", \"type\": \"TANK\"}", 201));
  g_assert_true (syn_test_ws_wait (ws, (guint) total + 1, 10000));
  n = ws->texts->len;
  {
    g_autoptr(JsonObject) m = parse_message (g_ptr_array_index (ws->texts, n - 1));
    JsonObject *event = json_object_get_object_member (m, "event");

    g_assert_cmpstr (syn_json_get_string (event, "event_type"), ==, "ASSET_CREATED");
    g_assert_cmpint (json_object_get_int_member (event, "position"), >, last_position);
    last_position = json_object_get_int_member (event, "position");
  }

  /* a second watcher from a position: only what came after, then live too */
  later_path = g_strdup_printf ("/ws/projects/%s/events?after=%" G_GINT64_FORMAT, f->project_id, last_position - 1);
  later = syn_test_ws_connect (f->srv, later_path, f->engineer);
  g_assert_true (syn_test_ws_wait (later, 1, 10000));
  json_node_unref (call (f, "POST", assets, f->engineer, "{\"tag\": \"B-3\", \"type\": \"TANK\"}", 201));
  g_assert_true (syn_test_ws_wait (later, 2, 10000));
  g_assert_true (syn_test_ws_wait (ws, n + 1, 10000));
  g_assert_cmpuint (later->texts->len, ==, 2);
  g_assert_cmpuint (ws->texts->len, ==, n + 1);

  /* the position is checked */
  {
    g_autofree char *bad = g_strdup_printf ("/ws/projects/%s/events?after=-4", f->project_id);
    g_autoptr(SynTestWs) refused = syn_test_ws_connect (f->srv, bad, f->viewer);

    g_assert_null (refused->conn);
    g_assert_cmpuint (refused->status, ==, 400);
  }
}

/* ------------------------------------------------------------------------- */
/* Rollback                                                                  */

static void
test_rollback (Fixture *f, gconstpointer data)
{
  g_autofree char *rollback = g_strdup_printf ("/api/v1/rules/rollback?project_id=%s", f->project_id);
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autofree char *before = state_hash (f);
  g_autofree char *import = import_csv (f, f->engineer, "TAG,TYPE\nR-1,TANK\nR-2,PUMP\n", 200);
  g_autofree char *body = g_strdup_printf ("{\"correlation_id\": \"%s\"}", import);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) blockers = NULL;
  g_autofree char *one = NULL;
  g_autofree char *second = NULL;
  g_autofree char *blockers_path = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *timeline = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(JsonNode) page = NULL;

  /* a later batch on the same asset blocks it: 409, and which ones */
  {
    g_autofree char *by_tag = g_strdup_printf ("%s/by-tag/R-1", assets);

    created = call (f, "GET", by_tag, f->viewer, NULL, 200);
  }
  one = g_strdup_printf ("%s/%s", assets, syn_json_get_string (object (created), "id"));
  json_node_unref (call (f, "PATCH", one, f->engineer, "{\"description\": \"changed\"}", 200));
  changed = state_hash (f);
  /* the 409 says which batch is in the way, when and by whom */
  {
    g_autoptr(JsonNode) refused = call (f, "POST", rollback, f->engineer, body, 409);
    JsonObject *error = json_object_get_object_member (object (refused), "error");
    /* the details are members of the error object */
    JsonObject *details = error;
    JsonArray *batches = json_object_get_array_member (details, "blocking_batches");
    JsonObject *blocker = json_array_get_object_element (batches, 0);

    g_assert_cmpstr (syn_json_get_string (error, "code"), ==, "conflict");
    g_assert_cmpstr (syn_json_get_string (details, "correlation_id"), ==, import);
    g_assert_cmpuint (json_array_get_length (batches), ==, 1);
    g_assert_true (syn_uuid_is_valid (syn_json_get_string (blocker, "correlation_id")));
    g_assert_nonnull (syn_json_get_string (blocker, "executed_at"));
    g_assert_cmpstr (syn_json_get_string (blocker, "user_id"), ==, f->engineer_id);
    g_assert_cmpint (json_object_get_int_member (blocker, "events_count"), ==, 1);
  }
  blockers_path = g_strdup_printf ("/api/v1/rules/rollback/blockers?project_id=%s&correlation_id=%s", f->project_id, import);
  blockers = call (f, "GET", blockers_path, f->viewer, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (blockers), "blocking_batches")), ==, 1);

  /* the timeline page is answered again (from the server's cache)... */
  timeline = g_strdup_printf ("/api/v1/events/timeline?project_id=%s", f->project_id);
  page = call (f, "GET", timeline, f->viewer, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (object (page), "total"), ==, 4);
  json_node_unref (g_steal_pointer (&page));
  page = call (f, "GET", timeline, f->viewer, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (object (page), "total"), ==, 4);
  json_node_unref (g_steal_pointer (&page));

  /* cascade: the later one first */
  second = g_strdup_printf ("{\"correlation_id\": \"%s\", \"cascade\": true}", import);
  answer = call (f, "POST", rollback, f->engineer, second, 200);
  g_assert_cmpstr (syn_json_get_string (object (answer), "status"), ==, "rolled_back");
  g_assert_cmpstr (syn_json_get_string (object (answer), "correlation_id"), ==, import);
  g_assert_true (syn_uuid_is_valid (syn_json_get_string (object (answer), "rollback_correlation_id")));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object (answer), "summary"),
                                               "assets_deleted"), ==, 2);
  restored = state_hash (f);
  g_assert_cmpstr (restored, ==, before);
  /* ...until the events change: rolled back ones leave the default timeline */
  page = call (f, "GET", timeline, f->viewer, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (object (page), "total"), ==, 2);

  /* undoing the rollback is redoing it: the state after the edit again */
  {
    g_autofree char *redo = g_strdup_printf ("/api/v1/rules/redo?project_id=%s", f->project_id);
    g_autofree char *undo = g_strdup_printf ("{\"correlation_id\": \"%s\"}",
                                             syn_json_get_string (object (answer), "rollback_correlation_id"));
    g_autofree char *verify = g_strdup_printf ("/api/v1/projects/%s/verify", f->project_id);
    g_autoptr(JsonNode) redone = call (f, "POST", redo, f->engineer, undo, 200);
    g_autoptr(JsonNode) verified = call (f, "GET", verify, f->admin, NULL, 200);
    g_autofree char *now = state_hash (f);

    g_assert_cmpstr (syn_json_get_string (object (redone), "status"), ==, "redone");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (redone), "redone")), ==, 2);
    g_assert_cmpstr (now, ==, changed);
    g_assert_true (json_object_get_boolean_member (object (verified), "ok"));
    /* verify reads the whole log: admins only (issue 15) */
    expect_error (f, "GET", verify, f->viewer, NULL, 403, "forbidden", NULL);
    /* twice: the first redo is in the way, and the 409 names it */
    expect_error (f, "POST", redo, f->engineer, undo, 409, "conflict",
                  syn_json_get_string (object (redone), "redo_correlation_id"));
    /* a viewer may not */
    expect_error (f, "POST", redo, f->viewer, undo, 403, "forbidden", NULL);
  }

  /* twice: 400; not a UUID: the specification's 400 */
  expect_error (f, "POST", rollback, f->engineer, body, 400, "invalid", "already");
  expect_error (f, "POST", rollback, f->engineer, "{\"correlation_id\": \"nope\"}", 400, "invalid",
                "Invalid correlation_id format");
  expect_error (f, "POST", rollback, f->engineer, "{\"correlation_id\": \"00000000-0000-0000-0000-000000000007\"}",
                400, "invalid", NULL);
  expect_error (f, "POST", "/api/v1/rules/rollback", f->engineer, body, 400, "invalid", "project_id");
}

/* Issue 12: every correlation_id parameter takes 8 or more hex digits of
 * the id's start or end; one naming several batches is a 400 naming them,
 * one naming none a 404. */
static void
test_short_batch_ids (Fixture *f, gconstpointer data)
{
  g_autofree char *import = import_csv (f, f->engineer, "TAG,TYPE\nS-1,TANK\n", 200);
  g_autofree char *end = g_ascii_strup (import + strlen (import) - 8, -1);
  g_autofree char *timeline = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&correlation_id=%s",
                                               f->project_id, end);
  g_autofree char *blockers = g_strdup_printf ("/api/v1/rules/rollback/blockers?project_id=%s&correlation_id=%s",
                                               f->project_id, end);
  g_autofree char *rollback = g_strdup_printf ("/api/v1/rules/rollback?project_id=%s", f->project_id);
  g_autofree char *body = g_strdup_printf ("{\"correlation_id\": \"%s\"}", end);
  g_autofree char *ambiguous = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&correlation_id=deadbeef",
                                                f->project_id);
  g_autofree char *none = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&correlation_id=0000000000",
                                           f->project_id);
  g_autofree char *short_one = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&correlation_id=beef",
                                                f->project_id);
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *events;

  page = call (f, "GET", timeline, f->viewer, NULL, 200);
  events = json_object_get_array_member (object (page), "events");
  g_assert_cmpuint (json_array_get_length (events), >, 0);
  g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (events, 0), "correlation_id"), ==, import);
  json_node_unref (g_steal_pointer (&page));
  page = call (f, "GET", blockers, f->viewer, NULL, 200);
  g_assert_cmpstr (syn_json_get_string (object (page), "correlation_id"), ==, import);
  answer = call (f, "POST", rollback, f->engineer, body, 200);
  g_assert_cmpstr (syn_json_get_string (object (answer), "correlation_id"), ==, import);

  syn_test_append_batch (f->srv->store, f->project_id, "0190aaaa-1111-7000-8000-0000deadbeef", SYN_EVENT_BATCH_STARTED, 1);
  syn_test_append_batch (f->srv->store, f->project_id, "0190bbbb-2222-7000-8000-0000deadbeef", SYN_EVENT_BATCH_STARTED, 1);
  expect_error (f, "GET", ambiguous, f->viewer, NULL, 400, "invalid", "matches 2 batches");
  expect_error (f, "GET", ambiguous, f->viewer, NULL, 400, "invalid", "0190bbbb-2222-7000-8000-0000deadbeef");
  expect_error (f, "POST", rollback, f->engineer, "{\"correlation_id\": \"deadbeef\"}", 400, "invalid", "matches 2");
  expect_error (f, "GET", none, f->viewer, NULL, 404, "not_found", "0000000000");
  expect_error (f, "GET", short_one, f->viewer, NULL, 400, "invalid", "is not a batch id");
}

/* ------------------------------------------------------------------------- */
/* PostgreSQL: two servers on one database                                   */

/* An event committed through one server reaches the watchers of another at
 * once (LISTEN/NOTIFY), long before either would poll. */
static void
test_feed_across_servers (Fixture *f, gconstpointer data)
{
  SynTestServerOptions second_options = { .db_uri = f->srv->db_uri, .own_context = TRUE, .feed_interval = 600000 };
  SynTestServer *second = syn_test_server_start (&second_options);
  g_autofree char *path = g_strdup_printf ("/ws/projects/%s/events?after=0", f->project_id);
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autoptr(SynTestWs) ws = syn_test_ws_connect (f->srv, path, f->viewer);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonObject) m = NULL;
  guint status = 0;
  gint64 t0;

  g_assert_nonnull (ws->conn);
  /* the same sessions are good on both servers */
  t0 = g_get_monotonic_time ();
  created = syn_test_http (second, "POST", assets, f->engineer, "application/json",
                           "{\"tag\": \"X-1\", \"type\": \"TANK\"}", -1, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (syn_test_ws_wait (ws, 1, 10000));
  g_test_message ("an event from the other server arrived in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - t0) / 1000);
  m = parse_message (g_ptr_array_index (ws->texts, 0));
  g_assert_cmpstr (syn_json_get_string (json_object_get_object_member (m, "event"), "aggregate_id"), ==,
                   syn_json_get_string (object (created), "id"));
  g_clear_pointer (&ws, syn_test_ws_free);
  syn_test_server_stop (second);
}

/* A rollback of a big batch lists every entity it restored: its event is
 * larger than a WebSocket message may be for libsoup's clients (128 KiB),
 * which closed the feed (1009) and lost everything after it. It now comes
 * without its payload and with where to read it; the feed goes on. */
static void
test_feed_oversized_event (Fixture *f, gconstpointer data)
{
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autofree char *path = g_strdup_printf ("/ws/projects/%s/events?after=0", f->project_id);
  g_autofree char *rollback = g_strdup_printf ("/api/v1/rules/rollback?project_id=%s", f->project_id);
  g_autofree char *batch = NULL;
  g_autofree char *body = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(SynTestWs) ws = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonObject) big = NULL;
  g_autoptr(JsonObject) next = NULL;
  JsonObject *event, *whole = NULL;
  JsonArray *events;
  guint n;

  GString *text = g_string_new ("TAG,TYPE,DESCRIPTION\n");
  for (guint i = 1; i <= 5000; i++)
    g_string_append_printf (text, "TK-%05u,TANK,Storage tank number %u of the tank farm\n", i, i);
  csv = g_string_free (text, FALSE);
  batch = import_csv (f, f->engineer, csv, 200);
  g_assert_nonnull (batch);

  ws = syn_test_ws_connect (f->srv, path, f->viewer);
  g_assert_nonnull (ws->conn);
  g_assert_true (syn_test_ws_wait (ws, 5001, 60000));
  n = ws->texts->len;

  body = g_strdup_printf ("{\"correlation_id\": \"%s\"}", batch);
  json_node_unref (call (f, "POST", rollback, f->engineer, body, 200));
  g_assert_true (syn_test_ws_wait (ws, n + 1, 20000));
  big = parse_message (g_ptr_array_index (ws->texts, n));
  event = json_object_get_object_member (big, "event");
  g_assert_cmpstr (syn_json_get_string (big, "type"), ==, "EVENT");
  g_assert_cmpstr (syn_json_get_string (event, "event_type"), ==, "BATCH_ROLLED_BACK");
  g_assert_true (json_object_get_boolean_member (big, "payload_omitted"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (event, "payload")));

  /* the feed is still there: the next event comes */
  json_node_unref (call (f, "POST", assets, f->engineer, "{\"tag\": \"After\", \"type\": \"TANK\"}", 201));
  g_assert_true (syn_test_ws_wait (ws, n + 2, 20000));
  g_assert_false (ws->closed);
  next = parse_message (g_ptr_array_index (ws->texts, n + 1));
  g_assert_cmpstr (syn_json_get_string (json_object_get_object_member (next, "event"), "event_type"), ==,
                   "ASSET_CREATED");

  /* and the whole event is where the message says */
  page = call (f, "GET", syn_json_get_string (big, "href"), f->viewer, NULL, 200);
  events = json_object_get_array_member (object (page), "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    if (g_strcmp0 (syn_json_get_string (json_array_get_object_element (events, i), "id"),
                   syn_json_get_string (event, "id")) == 0)
      whole = json_array_get_object_element (events, i);
  g_assert_nonnull (whole);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (whole, "payload"), "deleted_assets")), ==, 5000);
}

/* The one message a watcher gets of an execution only on record (@status,
 * @summary_json or NULL). */
static JsonObject *
watch_recorded (Fixture *f, const char *status, const char *summary_json)
{
  g_autoptr(SynExecution) x = syn_execution_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SynTestWs) ws = NULL;
  g_autofree char *path = NULL;

  x->execution_id = syn_uuid_new ();
  x->project_id = g_strdup (f->project_id);
  x->mode = g_strdup ("execute");
  x->status = g_strdup (status);
  x->started_at = syn_time_now_usec ();
  x->finished_at = x->started_at + 3000;
  x->summary = summary_json ? syn_json_parse (summary_json, -1, NULL) : NULL;
  g_assert_true (syn_store_insert_execution (f->srv->store, x, &error));
  g_assert_no_error (error);

  path = g_strdup_printf ("/ws/execution/%s", x->execution_id);
  ws = syn_test_ws_connect (f->srv, path, f->viewer);
  g_assert_nonnull (ws->conn);
  g_assert_true (syn_test_ws_wait_closed (ws, 10000));
  g_assert_cmpuint (ws->texts->len, ==, 1);
  return parse_message (g_ptr_array_index (ws->texts, 0));
}

/* A run this server does not hold is answered from the executions table:
 * one that found nothing to do ("up_to_date", no batch) ends with a
 * COMPLETED that says so, not with "running in another server process". */
static void
test_watch_recorded_up_to_date (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) m = watch_recorded (f, "up_to_date", "{\"rules_executed\": 2, \"assets_processed\": 5}");

  g_assert_cmpstr (syn_json_get_string (m, "type"), ==, "COMPLETED");
  g_assert_cmpstr (syn_json_get_string (m, "status"), ==, "up_to_date");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (m, "correlation_id")));
  g_assert_cmpint (json_object_get_int_member (m, "duration_ms"), ==, 3);
}

/* A cancelled execution, replayed from its record: cancelled, as it was. */
static void
test_watch_recorded_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) cancelled = watch_recorded (f, "cancelled", NULL);
  g_autoptr(JsonObject) failed = watch_recorded (f, "failed", NULL);

  g_assert_cmpstr (syn_json_get_string (cancelled, "type"), ==, "ERROR");
  g_assert_false (json_object_get_boolean_member (cancelled, "recoverable"));
  g_assert_cmpstr (syn_json_get_string (cancelled, "status"), ==, "cancelled");
  g_assert_cmpstr (syn_json_get_string (failed, "status"), ==, "failed");
}

static void
test_postgres_missing (void)
{
  g_test_skip ("PostgreSQL 15 is not installed (postgresql-15)");
}

/* ------------------------------------------------------------------------- */

/* Issue 14: the timeline names who made each batch (people of a team server
 * are recorded by id), the same on SQLite and PostgreSQL. */
static void
test_timeline_user_names (Fixture *f, gconstpointer data)
{
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autofree char *timeline = g_strdup_printf ("/api/v1/events/timeline?project_id=%s", f->project_id);
  g_autoptr(JsonNode) created = call (f, "POST", assets, f->engineer, "{\"tag\": \"210-TK-001\", \"type\": \"TANK\"}", 201);
  g_autoptr(JsonNode) page = call (f, "GET", timeline, f->viewer, NULL, 200);
  JsonArray *events = json_object_get_array_member (object (page), "events");
  guint named = 0;

  g_assert_cmpuint (json_array_get_length (events), >, 0);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (syn_json_get_string (event, "user_id"), f->engineer_id) != 0)
        continue;
      g_assert_cmpstr (syn_json_get_string (event, "user_name"), ==, "erin");
      named++;
    }
  g_assert_cmpuint (named, >, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, options) \
  g_test_add (path, Fixture, options, fixture_setup, func, fixture_teardown)

  ADD ("/server/health", test_health, NULL);
  ADD ("/server/login", test_login, NULL);
  ADD ("/server/login-throttle", test_login_throttle, NULL);
  ADD ("/server/users", test_users, NULL);
  ADD ("/server/auth-every-route", test_auth_every_route, NULL);
  ADD ("/server/roles", test_roles, NULL);
  ADD ("/server/wrong-project", test_wrong_project, NULL);
  ADD ("/server/projects", test_projects, NULL);
  ADD ("/server/assets", test_assets, NULL);
  ADD ("/server/validation", test_validation, NULL);
  ADD ("/server/keyset-pages", test_keyset_pages, NULL);
  ADD ("/server/body-cap", test_body_cap, &small_bodies);
  ADD ("/server/import", test_import, NULL);
  ADD ("/server/import-revision", test_import_revision, NULL);
  ADD ("/server/rules", test_rules, NULL);
  ADD ("/server/execute-watch", test_execute_watch, NULL);
  ADD ("/server/ping-pong", test_ping_pong, &fast_ping);
  ADD ("/server/cancel", test_cancel, NULL);
  ADD ("/server/reads-during-execution", test_reads_during_execution, NULL);
  ADD ("/server/project-feed", test_project_feed, NULL);
  ADD ("/server/feed-oversized-event", test_feed_oversized_event, NULL);
  ADD ("/server/watch-recorded-up-to-date", test_watch_recorded_up_to_date, NULL);
  ADD ("/server/watch-recorded-cancelled", test_watch_recorded_cancelled, NULL);
  ADD ("/server/rollback", test_rollback, NULL);
  ADD ("/server/short-batch-ids", test_short_batch_ids, NULL);
  ADD ("/server/timeline-user-names", test_timeline_user_names, NULL);

  /* the same server on PostgreSQL */
  if (syn_test_pg_bindir () != NULL)
    {
      ADD ("/server/postgres/health", test_health, &on_postgres);
      ADD ("/server/postgres/auth-every-route", test_auth_every_route, &on_postgres);
      ADD ("/server/postgres/wrong-project", test_wrong_project, &on_postgres);
      ADD ("/server/postgres/assets", test_assets, &on_postgres);
      ADD ("/server/postgres/keyset-pages", test_keyset_pages, &on_postgres);
      ADD ("/server/postgres/projects", test_projects, &on_postgres);
      ADD ("/server/postgres/execute-watch", test_execute_watch, &on_postgres);
      ADD ("/server/postgres/project-feed", test_project_feed, &on_postgres);
      ADD ("/server/postgres/rollback", test_rollback, &on_postgres);
      ADD ("/server/postgres/short-batch-ids", test_short_batch_ids, &on_postgres);
      ADD ("/server/postgres/timeline-user-names", test_timeline_user_names, &on_postgres);
      ADD ("/server/postgres/feed-across-servers", test_feed_across_servers, &on_postgres_notified);
    }
  else
    g_test_add_func ("/server/postgres", test_postgres_missing);

  return g_test_run ();
}

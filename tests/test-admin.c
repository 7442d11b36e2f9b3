/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-admin.c: the server run in production (issue 17): the OpenAPI document against the route table and the
 * live dispatch, /metrics, readiness, and the administration of users, members and projects, on both databases. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "backend/syn-api-openapi.h"
#include "backend/syn-api-routes.h"
#include "backend/syn-remote-backend.h"
#include "core/syn-core.h"
#include "syn-test-pg.h"
#include "syn-test-server.h"

typedef struct
{
  SynTestServer *srv;
  char          *admin;
  char          *project_id;
} Fixture;

static const SynTestServerOptions on_postgres = { .postgres = TRUE };

static JsonNode *
call (Fixture *f, const char *method, const char *path, const char *token, const char *body, guint expected)
{
  return syn_test_http_expect (f->srv, method, path, token, body ? "application/json" : NULL, body, expected);
}

/* A request whose answer only matters by its status. */
static void
expect (Fixture *f, const char *method, const char *path, const char *token, const char *body, guint expected)
{
  JsonNode *answer = call (f, method, path, token, body, expected);

  if (answer != NULL)
    json_node_unref (answer);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) project = NULL;

  f->srv = syn_test_server_start (data);
  g_free (syn_test_server_add_user (f->srv, "admin", "admin"));
  f->admin = syn_test_server_login (f->srv, "admin");
  project = call (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"Plant\"}", 201);
  f->project_id = g_strdup (syn_json_get_string (json_node_get_object (project), "id"));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  syn_test_server_stop (f->srv);
  g_free (f->admin);
  g_free (f->project_id);
}

/* ------------------------------------------------------------------------- */
/* OpenAPI                                                                   */

static JsonObject *
operation_of (JsonObject *paths, const SynApiRoute *route)
{
  g_autofree char *path = g_strdup_printf ("/%s", route->pattern);
  g_autofree char *method = g_ascii_strdown (route->method, -1);
  JsonObject *item = json_object_has_member (paths, path) ? json_object_get_object_member (paths, path) : NULL;

  return item && json_object_has_member (item, method) ? json_object_get_object_member (item, method) : NULL;
}

/* Every route of the table is in the document with its path parameters
 * declared, and the document has nothing else. */
static void
test_openapi_table (void)
{
  g_autoptr(JsonNode) doc = syn_api_openapi_document ();
  JsonObject *paths = json_object_get_object_member (json_node_get_object (doc), "paths");
  const SynApiRoute *tables[] = { syn_api_routes, syn_api_ws_routes };
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_routes = 0, n_operations = 0;
  JsonObjectIter iter;
  const char *path;
  JsonNode *item;

  g_assert_cmpstr (syn_json_get_string (json_node_get_object (doc), "openapi"), ==, "3.1.0");
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const SynApiRoute *r = tables[t]; r->pattern != NULL; r++, n_routes++)
      {
        JsonObject *op = operation_of (paths, r);
        g_auto(GStrv) names = syn_api_route_path_names (r->pattern);
        JsonArray *params;

        if (op == NULL)
          g_error ("%s %s is not in the document", r->method, r->pattern);
        g_assert_nonnull (syn_json_get_string (op, "summary"));
        /* the database away (a failover): 503 with Retry-After */
        if (r->op != NULL)
          {
            JsonObject *unavailable = json_object_get_object_member (json_object_get_object_member (op, "responses"),
                                                                     "503");

            g_assert_nonnull (unavailable);
            g_assert_true (json_object_has_member (json_object_get_object_member (unavailable, "headers"),
                                                   "Retry-After"));
          }
        /* operation ids are unique */
        g_assert_false (g_hash_table_contains (ids, syn_json_get_string (op, "operationId")));
        g_hash_table_add (ids, (gpointer) syn_json_get_string (op, "operationId"));
        params = json_object_has_member (op, "parameters") ? json_object_get_array_member (op, "parameters") : NULL;
        for (guint i = 0; names[i]; i++)
          {
            gboolean declared = FALSE;

            for (guint j = 0; params != NULL && j < json_array_get_length (params) && !declared; j++)
              {
                JsonObject *p = json_array_get_object_element (params, j);

                declared = g_strcmp0 (syn_json_get_string (p, "name"), names[i]) == 0 &&
                           g_strcmp0 (syn_json_get_string (p, "in"), "path") == 0 &&
                           json_object_get_boolean_member (p, "required");
              }
            if (!declared)
              g_error ("%s %s: the path parameter %s is not declared", r->method, r->pattern, names[i]);
          }
      }
  json_object_iter_init (&iter, paths);
  while (json_object_iter_next (&iter, &path, &item))
    n_operations += json_object_get_size (json_node_get_object (item));
  g_assert_cmpuint (n_operations, ==, n_routes);
}

/* The served document is the table's, and the server dispatches every
 * operation in it: none answers "no such resource" or "not allowed". */
static void
test_openapi_served (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) served = call (f, "GET", "/api/v1/openapi.json", NULL, NULL, 200);
  g_autoptr(JsonNode) built = syn_api_openapi_document ();
  JsonObject *paths = json_object_get_object_member (json_node_get_object (served), "paths");
  JsonObjectIter iter;
  const char *path;
  JsonNode *item;

  g_assert_true (json_node_equal (served, built));
  json_object_iter_init (&iter, paths);
  while (json_object_iter_next (&iter, &path, &item))
    {
      JsonObjectIter ops;
      const char *method;
      g_auto(GStrv) parts = g_strsplit (path, "/", -1);
      g_autofree char *concrete = NULL;

      /* every parameter filled with something of its shape */
      for (guint i = 0; parts[i]; i++)
        if (parts[i][0] == '{')
          {
            g_free (parts[i]);
            parts[i] = g_strdup ("00000000-0000-0000-0000-000000000001");
          }
      concrete = g_strjoinv ("/", parts);
      json_object_iter_init (&ops, json_node_get_object (item));
      while (json_object_iter_next (&ops, &method, NULL))
        {
          g_autofree char *upper = g_ascii_strup (method, -1);
          guint status = 0;
          g_autoptr(JsonNode) answer = NULL;
          const char *code = NULL;

          /* a viewer's token: nothing may change, the route is still found */
          answer = syn_test_http (f->srv, upper, concrete, NULL, NULL, NULL, 0, &status);
          if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) &&
              json_object_has_member (json_node_get_object (answer), "error"))
            code = syn_json_get_string (json_object_get_object_member (json_node_get_object (answer), "error"),
                                        "code");
          if (status == 405 || (status == 404 && g_strcmp0 (code, "not_found") == 0 &&
                                strstr (syn_json_get_string (json_object_get_object_member (
                                          json_node_get_object (answer), "error"), "message"),
                                        "No such resource") != NULL))
            g_error ("%s %s is in the document; the server answers %u", upper, concrete, status);
        }
    }
}

/* ------------------------------------------------------------------------- */
/* Health and metrics                                                        */

static void
test_ready (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) health = call (f, "GET", "/api/v1/health", NULL, NULL, 200);
  g_autoptr(JsonNode) ready = call (f, "GET", "/api/v1/ready", NULL, NULL, 200);
  JsonObject *checks = json_object_get_object_member (json_node_get_object (ready), "checks");
  JsonObject *migrations = json_object_get_object_member (checks, "migrations");

  g_assert_true (json_object_get_boolean_member (json_node_get_object (health), "ready"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (checks, "database"), "ok"));
  g_assert_true (json_object_get_boolean_member (migrations, "ok"));
  g_assert_cmpint (json_object_get_int_member (migrations, "applied"), ==,
                   json_object_get_int_member (migrations, "shipped"));
  g_assert_cmpint (json_object_get_int_member (migrations, "applied"), >=, 10);
}

static char *
scrape (Fixture *f)
{
  g_autofree char *url = g_strconcat (f->srv->url, "/metrics", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (f->srv->session, msg, NULL, &error);

  g_assert_no_error (error);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                                          NULL), "text/plain"));
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* The value of the sample @name{@labels}; -1 when absent. Every line is a
 * comment or `name{labels} value`, as Prometheus reads them. */
static double
sample (const char *text, const char *series)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GRegex) line_re = g_regex_new ("^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\""
                                           "(,[a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\")*\\})? "
                                           "[-+]?([0-9.]+([eE][-+]?[0-9]+)?|Inf|NaN)$", 0, 0, NULL);
  double value = -1;

  for (guint i = 0; lines[i]; i++)
    {
      const char *space;

      if (lines[i][0] == '\0' || g_str_has_prefix (lines[i], "# HELP ") || g_str_has_prefix (lines[i], "# TYPE "))
        continue;
      if (!g_regex_match (line_re, lines[i], 0, NULL))
        g_error ("not a metrics line: %s", lines[i]);
      space = strrchr (lines[i], ' ');
      if (strlen (series) == (gsize) (space - lines[i]) && strncmp (lines[i], series, space - lines[i]) == 0)
        value = g_ascii_strtod (space + 1, NULL);
    }
  return value;
}

static void
test_metrics (Fixture *f, gconstpointer data)
{
  g_autofree char *before = scrape (f);
  g_autofree char *after = NULL;
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  const char *ok = "synapse_http_requests_total{method=\"GET\",route=\"api/v1/projects/{project_id}/assets\","
                   "status=\"200\"}";
  const char *missing = "synapse_http_requests_total{method=\"GET\",route=\"api/v1/projects/{project_id}/assets\","
                        "status=\"404\"}";
  const char *count = "synapse_http_request_duration_seconds_count{method=\"GET\","
                      "route=\"api/v1/projects/{project_id}/assets\"}";
  const char *inf = "synapse_http_request_duration_seconds_bucket{method=\"GET\","
                    "route=\"api/v1/projects/{project_id}/assets\",le=\"+Inf\"}";
  double events_before = sample (before, "synapse_events_appended_total");

  expect (f, "GET", assets, f->admin, NULL, 200);
  expect (f, "GET", assets, f->admin, NULL, 200);
  expect (f, "GET", "/api/v1/projects/Nowhere/assets", f->admin, NULL, 404);
  expect (f, "POST", assets, f->admin, "{\"tag\": \"P-1\", \"type\": \"PUMP\"}", 201);
  expect (f, "GET", "/no/such/path", NULL, NULL, 404);
  after = scrape (f);

  /* by the route's pattern, never the raw path */
  g_assert_cmpfloat (sample (after, ok), ==, 2);
  g_assert_cmpfloat (sample (after, missing), ==, 1);
  g_assert_cmpfloat (sample (after, count), ==, 3);
  g_assert_cmpfloat (sample (after, inf), ==, 3);
  g_assert_null (strstr (after, f->project_id));
  g_assert_cmpfloat (sample (after, "synapse_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"),
                     ==, 1);
  g_assert_cmpfloat (sample (after, "synapse_events_appended_total"), >, events_before);
  g_assert_cmpfloat (sample (after, "synapse_websocket_clients"), ==, 0);
  g_assert_cmpfloat (sample (after, "synapse_executions_running"), ==, 0);
}

/* ------------------------------------------------------------------------- */
/* Administration                                                            */

static void
test_users_admin (Fixture *f, gconstpointer data)
{
  g_autofree char *id = syn_test_server_add_user (f->srv, "erin", "viewer");
  g_autofree char *token = syn_test_server_login (f->srv, "erin");
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(JsonNode) me = NULL;
  const char *login = "{\"username\": \"erin\", \"password\": \"" SYN_TEST_PASSWORD "\"}";
  guint status = 0;

  /* a role: the next request sees it (this server's cache is dropped) */
  expect (f, "GET", "/api/v1/auth/me", token, NULL, 200);
  changed = call (f, "PATCH", "/api/v1/users/erin", f->admin, "{\"role\": \"engineer\"}", 200);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (changed), "role"), ==, "engineer");
  me = call (f, "GET", "/api/v1/auth/me", token, NULL, 200);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (me), "role"), ==, "engineer");
  expect (f, "PATCH", "/api/v1/users/erin", f->admin, "{\"role\": \"boss\"}", 400);
  expect (f, "PATCH", "/api/v1/users/erin", f->admin, "{}", 400);
  expect (f, "PATCH", "/api/v1/users/nobody", f->admin, "{\"role\": \"viewer\"}", 404);
  /* never oneself: an admin could lock everyone out */
  expect (f, "PATCH", "/api/v1/users/admin", f->admin, "{\"disabled\": true}", 409);
  expect (f, "DELETE", "/api/v1/users/admin", f->admin, NULL, 409);
  expect (f, "PATCH", "/api/v1/users/erin", token, "{\"role\": \"admin\"}", 403);

  /* disabled: the session ends, signing in is refused; enabled again: it works */
  expect (f, "PATCH", "/api/v1/users/erin", f->admin, "{\"disabled\": true}", 200);
  expect (f, "GET", "/api/v1/auth/me", token, NULL, 401);
  expect (f, "POST", "/api/v1/auth/login", NULL, login, 401);
  expect (f, "PATCH", "/api/v1/users/erin", f->admin, "{\"disabled\": false}", 200);
  expect (f, "POST", "/api/v1/auth/login", NULL, login, 200);

  /* deleted: gone from the list, its sessions with it */
  g_free (token);
  token = syn_test_server_login (f->srv, "erin");
  expect (f, "DELETE", "/api/v1/users/erin", f->admin, NULL, 204);
  expect (f, "GET", "/api/v1/auth/me", token, NULL, 401);
  expect (f, "DELETE", "/api/v1/users/erin", f->admin, NULL, 404);
  {
    g_autoptr(JsonNode) users = syn_test_http (f->srv, "GET", "/api/v1/users", f->admin, NULL, NULL, 0, &status);

    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (users)), ==, 1);
  }
}

static void
test_projects_admin (Fixture *f, gconstpointer data)
{
  g_autofree char *vera_id = syn_test_server_add_user (f->srv, "vera", "engineer");
  g_autofree char *vera = syn_test_server_login (f->srv, "vera");
  g_autofree char *project = g_strdup_printf ("/api/v1/projects/%s", f->project_id);
  g_autofree char *member = g_strdup_printf ("/api/v1/projects/%s/members/vera", f->project_id);
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", f->project_id);
  g_autoptr(JsonNode) renamed = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) other = NULL;

  syn_test_server_add_member (f->srv, f->project_id, vera_id);
  expect (f, "GET", project, vera, NULL, 200);

  /* removed: the project is no longer the member's */
  expect (f, "DELETE", member, vera, NULL, 403);
  expect (f, "DELETE", member, f->admin, NULL, 204);
  expect (f, "GET", project, vera, NULL, 404);
  expect (f, "DELETE", member, f->admin, NULL, 404);

  /* renamed: found by its new name; a name another project has is refused */
  other = call (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"Other\"}", 201);
  renamed = call (f, "PATCH", project, f->admin, "{\"name\": \"Plant 2\"}", 200);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (renamed), "name"), ==, "Plant 2");
  expect (f, "GET", "/api/v1/projects/Plant%202", f->admin, NULL, 200);
  expect (f, "PATCH", project, f->admin, "{\"name\": \"Other\"}", 409);
  expect (f, "PATCH", project, f->admin, "{\"name\": \"  \"}", 400);

  /* archived: out of the list, readable, refused for writes */
  expect (f, "POST", assets, f->admin, "{\"tag\": \"P-1\", \"type\": \"PUMP\"}", 201);
  expect (f, "DELETE", project, f->admin, NULL, 204);
  list = call (f, "GET", "/api/v1/projects", f->admin, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (json_node_get_array (list), 0), "name"), ==,
                   "Other");
  expect (f, "GET", assets, f->admin, NULL, 200);
  expect (f, "POST", assets, f->admin, "{\"tag\": \"P-2\", \"type\": \"PUMP\"}", 409);
  expect (f, "DELETE", "/api/v1/projects/library", f->admin, NULL, 400);
}

/* The same through the remote backend (what `synapse --connect` and the GUI
 * use): each operation finds its route. */
static JsonNode *
remote_call (SynRemoteBackend *remote, const char *op, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) params = syn_json_parse (json, -1, &error);
  JsonNode *answer;

  g_assert_no_error (error);
  answer = syn_backend_call_sync (SYN_BACKEND (remote), op, json_node_get_object (params), NULL, &error);
  g_assert_no_error (error);
  return answer;
}

static void
test_remote_admin (Fixture *f, gconstpointer data)
{
  g_autofree char *id = syn_test_server_add_user (f->srv, "erin", "viewer");
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRemoteBackend) remote = syn_remote_backend_new (f->srv->url, &error);
  g_autofree char *member = g_strdup_printf ("{\"project_id\": \"%s\", \"username\": \"erin\"}", f->project_id);
  g_autofree char *rename = g_strdup_printf ("{\"project_id\": \"%s\", \"name\": \"Renamed\"}", f->project_id);
  g_autofree char *archive = g_strdup_printf ("{\"project_id\": \"%s\"}", f->project_id);
  g_autoptr(JsonNode) user = NULL;
  g_autoptr(JsonNode) removed = NULL;
  g_autoptr(JsonNode) project = NULL;
  g_autoptr(JsonNode) archived = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) projects = NULL;

  g_assert_no_error (error);
  g_assert_true (syn_remote_backend_login (remote, "admin", SYN_TEST_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  syn_test_server_add_member (f->srv, f->project_id, id);

  user = remote_call (remote, SYN_OP_UPDATE_USER, "{\"username\": \"erin\", \"role\": \"engineer\", \"disabled\": true}");
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (user), "role"), ==, "engineer");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (user), "disabled"));
  removed = remote_call (remote, SYN_OP_REMOVE_MEMBER, member);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (removed), "removed"));
  project = remote_call (remote, SYN_OP_UPDATE_PROJECT, rename);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (project), "name"), ==, "Renamed");
  archived = remote_call (remote, SYN_OP_ARCHIVE_PROJECT, archive);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (archived), "archived"));
  deleted = remote_call (remote, SYN_OP_DELETE_USER, "{\"username\": \"erin\"}");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (deleted), "deleted"));
  projects = remote_call (remote, SYN_OP_LIST_PROJECTS, "{}");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (projects)), ==, 0);
}

/* ------------------------------------------------------------------------- */
/* --ca-file: a self-signed server trusted when told                         */

/* The server accepts connections (bounded: it starts in well under that). */
static void
wait_listening (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  for (guint i = 0; i < 600; i++)
    {
      g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

      if (conn != NULL)
        return;
      g_usleep (100 * 1000);
    }
  g_error ("the TLS server did not start on port %u", port);
}

/* What `synapse project list --connect URL [--ca-file F]` says on stderr. */
static char *
cli_error (const char *url, const char *ca_file, const char *cwd)
{
  const char *argv[] = { g_getenv ("SYNAPSE_BIN"), "project", "list", "--connect", url,
                         ca_file ? "--ca-file" : NULL, ca_file, NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "SYNAPSE_TOKEN", "not-a-token", TRUE);
  g_autofree char *out = NULL;
  char *err = NULL;
  int status = 0;

  env = g_environ_setenv (env, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_assert_true (g_spawn_sync (cwd, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  return err;
}

static void
test_ca_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synapse-tls-XXXXXX", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *db = g_build_filename (dir, "tls.db", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  guint port = syn_test_free_port ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", port);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRemoteBackend) untrusting = NULL;
  g_autoptr(SynRemoteBackend) trusting = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *accepted = NULL;
  g_autofree char *relative = NULL;

  if (openssl == NULL || g_getenv ("SYNAPSE_BIN") == NULL)
    {
      g_test_skip ("openssl or the synapse binary is missing");
      return;
    }
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                           "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("SYNAPSE_BIN"), "serve", "--db", db,
                             "--port", port_text, "--tls-cert", cert, "--tls-key", key, "--quiet", NULL);
  g_assert_no_error (error);
  wait_listening (port);

  /* not trusted: the certificate is refused before anything is asked */
  untrusting = syn_remote_backend_new (url, &error);
  g_assert_no_error (error);
  answer = syn_backend_call_sync (SYN_BACKEND (untrusting), SYN_OP_LIST_PROJECTS, NULL, NULL, &error);
  g_assert_null (answer);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED));
  g_clear_error (&error);

  /* trusted: the server answers (401: no token) */
  trusting = syn_remote_backend_new (url, &error);
  g_assert_no_error (error);
  g_assert_true (syn_remote_backend_set_ca_file (trusting, cert, &error));
  g_assert_no_error (error);
  answer = syn_backend_call_sync (SYN_BACKEND (trusting), SYN_OP_LIST_PROJECTS, NULL, NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_false (syn_remote_backend_set_ca_file (trusting, db, &error));
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_clear_error (&error);

  /* the command line the same */
  refused = cli_error (url, NULL, NULL);
  accepted = cli_error (url, cert, NULL);
  g_assert_nonnull (strstr (refused, "TLS"));
  g_assert_null (strstr (accepted, "TLS"));
  g_assert_nonnull (strstr (accepted, "token"));
  /* a path relative to where the command runs */
  relative = cli_error (url, "cert.pem", dir);
  g_assert_null (strstr (relative, "TLS"));

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_remove (cert);
  g_remove (key);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (db, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, options) \
  g_test_add (path, Fixture, options, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/admin/openapi/table", test_openapi_table);
  ADD ("/admin/openapi/served", test_openapi_served, NULL);
  g_test_add_func ("/admin/ca-file", test_ca_file);
  ADD ("/admin/sqlite/ready", test_ready, NULL);
  ADD ("/admin/sqlite/metrics", test_metrics, NULL);
  ADD ("/admin/sqlite/users", test_users_admin, NULL);
  ADD ("/admin/sqlite/projects", test_projects_admin, NULL);
  ADD ("/admin/sqlite/remote", test_remote_admin, NULL);
  if (syn_test_pg_bindir () != NULL)
    {
      ADD ("/admin/postgresql/ready", test_ready, &on_postgres);
      ADD ("/admin/postgresql/metrics", test_metrics, &on_postgres);
      ADD ("/admin/postgresql/users", test_users_admin, &on_postgres);
      ADD ("/admin/postgresql/projects", test_projects_admin, &on_postgres);
      ADD ("/admin/postgresql/remote", test_remote_admin, &on_postgres);
    }
  else
    g_test_skip ("PostgreSQL is not installed");
  return g_test_run ();
}

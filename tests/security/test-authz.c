/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-authz.c: the authorization matrix (every route x credentials x membership, written out) and cross-project ids. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-auth.h"
#include "server/syn-server-private.h"
#include "syn-security-common.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"
#include "syn-test-server.h"

/* The columns of the matrix: who asks. Admins see every project, member
 * or not; the others only their projects'. */
typedef enum {
  ANONYMOUS,      /* no token */
  BAD_TOKEN,      /* a token nobody was given */
  EXPIRED,        /* a real token, past its time */
  VIEWER_IN,      /* a viewer, member of project A */
  VIEWER_OUT,     /* a viewer, member of B only */
  ENGINEER_IN,
  ENGINEER_OUT,
  ADMIN_IN,
  ADMIN_OUT,
  N_CELLS
} Cell;

static const char * const cell_names[N_CELLS] = {
  "anonymous", "bad token", "expired token", "viewer (member)", "viewer (non-member)",
  "engineer (member)", "engineer (non-member)", "admin (member)", "admin (non-member)",
};

/* Users behind the signed-in columns. */
static const char * const cell_users[N_CELLS] = {
  NULL, NULL, NULL, "vera", "vince", "erin", "eddie", "ada", "abe",
};

/* One row: a request that succeeds for whoever may make it, and the status
 * each column must get. In paths and bodies: {A} project A's id, {asset}
 * {tag} {rule} {lib_rule} {exec} {batch} things of A; {fresh_asset}
 * {fresh_rule} {fresh_lib_rule} {fresh_batch} {fresh_undone} (a batch rolled
 * back) {fresh_user} {fresh_member} (a user, member of A) made anew for each request (the request may delete or use them up); {n} a new number. */
typedef struct
{
  const char *method;
  const char *pattern;     /* as in the server's table */
  const char *path;
  const char *body;        /* JSON (CSV for import) */
  guint       expect[N_CELLS];
} Row;

#define SIGNED_IN(s)    { 401, 401, 401, s, s, s, s, s, s }
#define PROJECT_READ    { 401, 401, 401, 200, 404, 200, 404, 200, 200 }
#define PROJECT_WRITE(s) { 401, 401, 401, 403, 404, s, 404, s, s }
#define ADMIN_ONLY(s)   { 401, 401, 401, 403, 403, 403, 403, s, s }
#define PROJECT_ADMIN(s) { 401, 401, 401, 403, 404, 403, 404, s, s }
#define WS_PROJECT      { 401, 401, 401, 101, 404, 101, 404, 101, 101 }

#define RULE(id) "{\"id\": \"" id "\", \"name\": \"Tanks need a level transmitter\", \"source\": \"FIRM\"," \
  " \"action_type\": \"CREATE_CHILD\", \"discipline\": \"INSTRUMENTATION\", \"condition\": {\"asset_type\": \"TANK\"}," \
  " \"action\": {\"type\": \"LEVEL_TRANSMITTER\", \"naming\": \"{tag}-LT\", \"relation\": \"measures\"}}"

static const Row rows[] = {
  { "GET", "api/v1/health", "/api/v1/health", NULL, { 200, 200, 200, 200, 200, 200, 200, 200, 200 } },
  /* what a proxy and a scraper ask: no token (issue 17) */
  { "GET", "api/v1/ready", "/api/v1/ready", NULL, { 200, 200, 200, 200, 200, 200, 200, 200, 200 } },
  { "GET", "api/v1/openapi.json", "/api/v1/openapi.json", NULL, { 200, 200, 200, 200, 200, 200, 200, 200, 200 } },
  { "GET", "metrics", "/metrics", NULL, { 200, 200, 200, 200, 200, 200, 200, 200, 200 } },
  /* administration: admins only, on someone else */
  { "PATCH", "api/v1/users/{username}", "/api/v1/users/{fresh_user}", "{\"role\": \"engineer\"}", ADMIN_ONLY (200) },
  { "DELETE", "api/v1/users/{username}", "/api/v1/users/{fresh_user}", NULL, ADMIN_ONLY (204) },
  { "PATCH", "api/v1/projects/{project_id}", "/api/v1/projects/{A}", "{\"description\": \"D{n}\"}", PROJECT_ADMIN (200) },
  { "DELETE", "api/v1/projects/{project_id}/members/{username}", "/api/v1/projects/{A}/members/{fresh_member}", NULL,
    PROJECT_ADMIN (204) },
  /* signing in needs no token; the body's credentials are what count */
  { "POST", "api/v1/auth/login", "/api/v1/auth/login", "{\"username\": \"vera\", \"password\": \"" SYN_TEST_PASSWORD "\"}",
    { 200, 200, 200, 200, 200, 200, 200, 200, 200 } },
  /* a session of its own for each column: signing out ends it */
  { "POST", "api/v1/auth/logout", "/api/v1/auth/logout", NULL, SIGNED_IN (204) },
  { "GET", "api/v1/auth/me", "/api/v1/auth/me", NULL, SIGNED_IN (200) },
  { "GET", "api/v1/users", "/api/v1/users", NULL, ADMIN_ONLY (200) },
  { "POST", "api/v1/users", "/api/v1/users", "{\"username\": \"u{n}\", \"password\": \"long enough\", \"role\": \"viewer\"}",
    ADMIN_ONLY (201) },
  { "GET", "api/v1/projects", "/api/v1/projects", NULL, SIGNED_IN (200) },
  { "POST", "api/v1/projects", "/api/v1/projects", "{\"name\": \"P{n}\"}", ADMIN_ONLY (201) },
  { "POST", "api/v1/demo", "/api/v1/demo", "{\"name\": \"Demo {n}\"}", ADMIN_ONLY (201) },
  { "GET", "api/v1/projects/{project_id}", "/api/v1/projects/{A}", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/members", "/api/v1/projects/{A}/members", NULL, PROJECT_READ },
  /* an engineer of the project may add members, as an admin */
  { "POST", "api/v1/projects/{project_id}/members", "/api/v1/projects/{A}/members", "{\"username\": \"{fresh_user}\"}",
    PROJECT_WRITE (201) },
  { "GET", "api/v1/projects/{project_id}/state-hash", "/api/v1/projects/{A}/state-hash", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/status", "/api/v1/projects/{A}/status", NULL, PROJECT_READ },
  /* verify reads and replays the whole log: admins (issue 15) */
  { "GET", "api/v1/projects/{project_id}/verify", "/api/v1/projects/{A}/verify", NULL,
    { 401, 401, 401, 403, 404, 403, 404, 200, 200 } },
  { "GET", "api/v1/projects/{project_id}/state", "/api/v1/projects/{A}/state?as_of=now", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/diff", "/api/v1/projects/{A}/diff?from=1", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/audit", "/api/v1/projects/{A}/audit", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/events", "/api/v1/projects/{A}/events", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/events/records", "/api/v1/projects/{A}/events/records", NULL, PROJECT_READ },
  /* nothing dangles: nothing to repair, no batch */
  { "POST", "api/v1/projects/{project_id}/repair", "/api/v1/projects/{A}/repair", "{}", PROJECT_WRITE (200) },
  { "POST", "api/v1/projects/{project_id}/sync/push", "/api/v1/projects/{A}/sync/push", "{}", PROJECT_WRITE (400) },
  { "GET", "api/v1/projects/{project_id}/assets", "/api/v1/projects/{A}/assets", NULL, PROJECT_READ },
  { "POST", "api/v1/projects/{project_id}/assets", "/api/v1/projects/{A}/assets", "{\"tag\": \"T-{n}\", \"type\": \"TANK\"}",
    PROJECT_WRITE (201) },
  { "GET", "api/v1/projects/{project_id}/assets/by-tag/{tag}", "/api/v1/projects/{A}/assets/by-tag/{tag}", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/assets/{asset_id}", "/api/v1/projects/{A}/assets/{asset}", NULL, PROJECT_READ },
  { "PATCH", "api/v1/projects/{project_id}/assets/{asset_id}", "/api/v1/projects/{A}/assets/{asset}",
    "{\"description\": \"d{n}\"}", PROJECT_WRITE (200) },
  { "DELETE", "api/v1/projects/{project_id}/assets/{asset_id}", "/api/v1/projects/{A}/assets/{fresh_asset}", NULL,
    PROJECT_WRITE (204) },
  { "PATCH", "api/v1/projects/{project_id}/assets", "/api/v1/projects/{A}/assets",
    "{\"asset_ids\": [\"{asset}\"], \"description\": \"d{n}\"}", PROJECT_WRITE (200) },
  { "POST", "api/v1/projects/{project_id}/delete", "/api/v1/projects/{A}/delete",
    "{\"asset_ids\": [\"{fresh_asset}\"]}", PROJECT_WRITE (200) },
  { "GET", "api/v1/projects/{project_id}/assets/{asset_id}/explain", "/api/v1/projects/{A}/assets/{asset}/explain", NULL,
    PROJECT_READ },
  /* handing back what is not held changes nothing: 200 with no batch */
  { "POST", "api/v1/projects/{project_id}/assets/{asset_id}/reset", "/api/v1/projects/{A}/assets/{asset}/reset",
    "{\"all\": true}", PROJECT_WRITE (200) },
  { "POST", "api/v1/projects/{project_id}/import", "/api/v1/projects/{A}/import", "TAG,TYPE\nI-{n},TANK\n", PROJECT_WRITE (200) },
  { "GET", "api/v1/projects/{project_id}/cables", "/api/v1/projects/{A}/cables", NULL, PROJECT_READ },
  /* issue 14: an asset's relations; exports, read like the lists */
  { "GET", "api/v1/projects/{project_id}/assets/{asset_id}/relations", "/api/v1/projects/{A}/assets/{asset}/relations",
    NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/cables.csv", "/api/v1/projects/{A}/cables.csv", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/cables.json", "/api/v1/projects/{A}/cables.json", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/assets.csv", "/api/v1/projects/{A}/assets.csv", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/assets.json", "/api/v1/projects/{A}/assets.json", NULL, PROJECT_READ },
  { "GET", "api/v1/projects/{project_id}/rules", "/api/v1/projects/{A}/rules", NULL, PROJECT_READ },
  { "POST", "api/v1/projects/{project_id}/rules", "/api/v1/projects/{A}/rules", RULE ("r-{n}"), PROJECT_WRITE (201) },
  { "POST", "api/v1/projects/{project_id}/rules/preview", "/api/v1/projects/{A}/rules/preview", RULE ("{rule}"),
    PROJECT_READ },
  { "PUT", "api/v1/projects/{project_id}/rules/{rule_id}", "/api/v1/projects/{A}/rules/{rule}", RULE ("{rule}"),
    PROJECT_WRITE (200) },
  { "DELETE", "api/v1/projects/{project_id}/rules/{rule_id}", "/api/v1/projects/{A}/rules/{fresh_rule}", NULL,
    PROJECT_WRITE (204) },
  { "GET", "api/v1/rules/library", "/api/v1/rules/library", NULL, SIGNED_IN (200) },
  { "POST", "api/v1/rules/library", "/api/v1/rules/library", RULE ("lib-{n}"), ADMIN_ONLY (201) },
  { "PUT", "api/v1/rules/library/{rule_id}", "/api/v1/rules/library/{lib_rule}", RULE ("{lib_rule}"), ADMIN_ONLY (200) },
  { "DELETE", "api/v1/rules/library/{rule_id}", "/api/v1/rules/library/{fresh_lib_rule}", NULL, ADMIN_ONLY (204) },
  { "GET", "api/v1/projects/{project_id}/executions", "/api/v1/projects/{A}/executions", NULL, PROJECT_READ },
  /* the project is known only from the execution */
  { "GET", "api/v1/executions/{execution_id}", "/api/v1/executions/{exec}", NULL, PROJECT_READ },
  { "POST", "api/v1/rules/execute", "/api/v1/rules/execute", "{\"project_id\": \"{A}\", \"mode\": \"dry_run\"}",
    PROJECT_WRITE (200) },
  { "POST", "api/v1/rules/rollback", "/api/v1/rules/rollback?project_id={A}", "{\"correlation_id\": \"{fresh_batch}\"}",
    PROJECT_WRITE (200) },
  { "GET", "api/v1/rules/rollback/blockers", "/api/v1/rules/rollback/blockers?project_id={A}&correlation_id={batch}", NULL,
    PROJECT_READ },
  { "POST", "api/v1/rules/redo", "/api/v1/rules/redo?project_id={A}", "{\"correlation_id\": \"{fresh_undone}\"}",
    PROJECT_WRITE (200) },
  { "GET", "api/v1/events/timeline", "/api/v1/events/timeline?project_id={A}", NULL, PROJECT_READ },
  { "GET", "api/v1/events/timeline.csv", "/api/v1/events/timeline.csv?project_id={A}", NULL, PROJECT_READ },
  { "GET", "api/v1/events/timeline.json", "/api/v1/events/timeline.json?project_id={A}", NULL, PROJECT_READ },
  { "GET", "api/v1/events/assets/{asset_id}/history", "/api/v1/events/assets/{asset}/history?project_id={A}", NULL,
    PROJECT_READ },
  /* a cable of no events has an empty history, answered all the same */
  { "GET", "api/v1/events/cables/{cable_id}/history",
    "/api/v1/events/cables/00000000-0000-0000-0000-000000000001/history?project_id={A}", NULL, PROJECT_READ },
  { "GET", "api/v1/events/tags/{tag}", "/api/v1/events/tags/{tag}?project_id={A}", NULL, PROJECT_READ },
  { "GET", "api/v1/events/timeline/counts",
    "/api/v1/events/timeline/counts?project_id={A}&bounds=2020-01-01,2100-01-01", NULL, PROJECT_READ },
  /* last: project A is archived from then on (archiving again is no error) */
  { "DELETE", "api/v1/projects/{project_id}", "/api/v1/projects/{A}", NULL, PROJECT_ADMIN (204) },
};

static const Row ws_rows[] = {
  { "GET", "ws/execution/{execution_id}", "/ws/execution/{exec}", NULL, WS_PROJECT },
  { "GET", "ws/projects/{project_id}/events", "/ws/projects/{A}/events", NULL, WS_PROJECT },
};

typedef struct
{
  SynTestServer *srv;
  SynTestFixture db;
  char          *tokens[N_CELLS];
  char          *admin;          /* ADMIN_IN's token, for setting things up */
  char          *project_a;
  char          *asset_a;
  char          *tag_a;
  char          *rule_a;
  char          *lib_rule;
  char          *exec_a;
  char          *batch_a;
  char          *project_b;      /* only abe, vince and eddie are its members */
  char          *asset_b;
  char          *rule_b;
  char          *exec_b;
  char          *batch_b;
  guint          serial;
  guint          cells;          /* cells checked */
} Fixture;

static guint total_cells;

static const SynTestServerOptions on_sqlite = { 0 };
static const SynTestServerOptions on_postgres = { .postgres = TRUE };

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */

/* The matrix sends JSON objects and CSV imports. */
static const char *
content_type_of (const char *body)
{
  return body == NULL ? NULL : body[0] == '{' ? "application/json" : "text/csv";
}

static JsonNode *
request (Fixture *f, const char *method, const char *path, const char *token, const char *body, guint *status)
{
  return syn_test_http (f->srv, method, path, token, content_type_of (body), body, -1, status);
}

static JsonNode *
call (Fixture *f, const char *method, const char *path, const char *token, const char *body, guint expected)
{
  return syn_test_http_expect (f->srv, method, path, token, content_type_of (body), body, expected);
}

static char *
string_of (JsonNode *node, const char *member)
{
  return g_strdup (syn_json_get_string (syn_security_object (node), member));
}

/* A batch of one new asset in @project: its correlation id. */
static char *
new_batch (Fixture *f, const char *project_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/import", project_id);
  g_autofree char *csv = g_strdup_printf ("TAG,TYPE\nB-%u,TANK\n", ++f->serial);
  g_autoptr(JsonNode) answer = call (f, "POST", path, f->admin, csv, 200);

  return string_of (answer, "correlation_id");
}

/* A batch of one new asset in @project, rolled back: its correlation id. */
static char *
new_undone (Fixture *f, const char *project_id)
{
  char *batch = new_batch (f, project_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/rules/rollback?project_id=%s", project_id);
  g_autofree char *body = g_strdup_printf ("{\"correlation_id\": \"%s\"}", batch);

  json_node_unref (call (f, "POST", path, f->admin, body, 200));
  return batch;
}

static char *
new_asset (Fixture *f, const char *project_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/assets", project_id);
  g_autofree char *body = g_strdup_printf ("{\"tag\": \"N-%u\", \"type\": \"TANK\"}", ++f->serial);
  g_autoptr(JsonNode) answer = call (f, "POST", path, f->admin, body, 201);

  return string_of (answer, "id");
}

static char *
new_rule (Fixture *f, const char *project_id)
{
  g_autofree char *id = g_strdup_printf ("fresh-%u", ++f->serial);
  g_autofree char *path = project_id ? g_strdup_printf ("/api/v1/projects/%s/rules", project_id)
                                     : g_strdup ("/api/v1/rules/library");
  g_auto(GStrv) parts = g_strsplit (RULE ("@ID@"), "@ID@", -1);
  g_autofree char *body = g_strjoinv (id, parts);

  json_node_unref (call (f, "POST", path, f->admin, body, 201));
  return g_steal_pointer (&id);
}

static char *
new_user (Fixture *f)
{
  g_autofree char *name = g_strdup_printf ("fresh%u", ++f->serial);

  g_free (syn_test_server_add_user (f->srv, name, "viewer"));
  return g_steal_pointer (&name);
}

static char *
replace (char *text, const char *key, const char *value)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL || strstr (text, key) == NULL)
    return text;
  parts = g_strsplit (text, key, -1);
  g_free (text);
  return g_strjoinv (value, parts);
}

/* A row's path and body for one request, with fresh things made for it. */
static void
fill (Fixture *f, const Row *row, char **path, char **body)
{
  char **texts[] = { path, body };
  g_autofree char *n = g_strdup_printf ("%u", ++f->serial);
  g_autofree char *fresh_asset = NULL, *fresh_rule = NULL, *fresh_lib_rule = NULL;
  g_autofree char *fresh_batch = NULL, *fresh_undone = NULL, *fresh_user = NULL, *fresh_member = NULL;
  g_autofree char *both = g_strconcat (row->path, row->body ? row->body : "", NULL);

  if (strstr (both, "{fresh_asset}"))
    fresh_asset = new_asset (f, f->project_a);
  if (strstr (both, "{fresh_rule}"))
    fresh_rule = new_rule (f, f->project_a);
  if (strstr (both, "{fresh_lib_rule}"))
    fresh_lib_rule = new_rule (f, NULL);
  if (strstr (both, "{fresh_batch}"))
    fresh_batch = new_batch (f, f->project_a);
  if (strstr (both, "{fresh_undone}"))
    fresh_undone = new_undone (f, f->project_a);
  if (strstr (both, "{fresh_user}"))
    fresh_user = new_user (f);
  if (strstr (both, "{fresh_member}"))
    {
      g_autofree char *id = NULL;

      fresh_member = g_strdup_printf ("fresh%u", ++f->serial);
      id = syn_test_server_add_user (f->srv, fresh_member, "viewer");
      syn_test_server_add_member (f->srv, f->project_a, id);
    }

  *path = g_strdup (row->path);
  *body = g_strdup (row->body);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      char **t = texts[i];

      *t = replace (*t, "{A}", f->project_a);
      *t = replace (*t, "{asset}", f->asset_a);
      *t = replace (*t, "{tag}", f->tag_a);
      *t = replace (*t, "{rule}", f->rule_a);
      *t = replace (*t, "{lib_rule}", f->lib_rule);
      *t = replace (*t, "{exec}", f->exec_a);
      *t = replace (*t, "{batch}", f->batch_a);
      *t = replace (*t, "{n}", n);
      if (fresh_asset) *t = replace (*t, "{fresh_asset}", fresh_asset);
      if (fresh_rule) *t = replace (*t, "{fresh_rule}", fresh_rule);
      if (fresh_lib_rule) *t = replace (*t, "{fresh_lib_rule}", fresh_lib_rule);
      if (fresh_batch) *t = replace (*t, "{fresh_batch}", fresh_batch);
      if (fresh_undone) *t = replace (*t, "{fresh_undone}", fresh_undone);
      if (fresh_user) *t = replace (*t, "{fresh_user}", fresh_user);
      if (fresh_member) *t = replace (*t, "{fresh_member}", fresh_member);
    }
}

/* What a refused request must leave as it was: both projects' state,
 * events, rules and members; users, executions and the rule library. */
static char *
fingerprint (Fixture *f)
{
  static const char * const counts[] = {
    "SELECT count(*) FROM workflow_events",
    "SELECT count(*) FROM rolled_back_batches",
    "SELECT count(*) FROM projects",
    "SELECT count(*) FROM users",
    "SELECT count(*) FROM project_members",
    "SELECT count(*) FROM rule_definitions",
    "SELECT count(*) FROM executions",
  };
  const char *projects[] = { f->project_a, f->project_b };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_string_append_printf (s, "%" G_GINT64_FORMAT " ", syn_security_query_int (&f->db, counts[i]));
  for (guint i = 0; i < G_N_ELEMENTS (projects); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *hash = syn_state_hash_compute (f->srv->store, projects[i], &error);

      g_assert_no_error (error);
      g_string_append_printf (s, "\n%s %s", projects[i], hash);
      syn_security_append_rules (f->srv->store, s, projects[i]);
    }
  syn_security_append_rules (f->srv->store, s, NULL);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------- */
/* Fixture                                                                   */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const SynTestServerOptions *options = data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *expired_hash = NULL;
  g_autofree char *user_id = NULL;
  gint64 now = syn_time_now_usec ();

  f->srv = syn_security_server_start (options, &f->db);
  for (Cell c = VIEWER_IN; c < N_CELLS; c++)
    {
      const char *role = c <= VIEWER_OUT ? "viewer" : c <= ENGINEER_OUT ? "engineer" : "admin";
      g_autofree char *id = syn_test_server_add_user (f->srv, cell_users[c], role);

      f->tokens[c] = syn_test_server_login (f->srv, cell_users[c]);
      if (c == ENGINEER_IN)
        user_id = g_strdup (id);
    }
  f->tokens[BAD_TOKEN] = g_strdup ("not-a-token-anybody-was-given");
  expired = syn_auth_random_token (&error);
  g_assert_no_error (error);
  expired_hash = syn_auth_token_hash (expired);
  g_assert_true (syn_store_insert_token (f->srv->store, expired_hash, user_id, now - 2 * G_USEC_PER_SEC,
                                         now - G_USEC_PER_SEC, &error));
  g_assert_no_error (error);
  f->tokens[EXPIRED] = g_steal_pointer (&expired);
  f->admin = g_strdup (f->tokens[ADMIN_IN]);

  /* A: ada made it (its first member), vera and erin joined */
  answer = call (f, "POST", "/api/v1/projects", f->admin, "{\"name\": \"Alpha\"}", 201);
  f->project_a = string_of (answer, "id");
  json_node_unref (g_steal_pointer (&answer));
  path = g_strdup_printf ("/api/v1/projects/%s/members", f->project_a);
  json_node_unref (call (f, "POST", path, f->admin, "{\"username\": \"vera\"}", 201));
  json_node_unref (call (f, "POST", path, f->admin, "{\"username\": \"erin\"}", 201));
  f->batch_a = new_batch (f, f->project_a);
  f->asset_a = new_asset (f, f->project_a);
  g_free (path);
  path = g_strdup_printf ("/api/v1/projects/%s/assets/%s", f->project_a, f->asset_a);
  answer = call (f, "GET", path, f->admin, NULL, 200);
  f->tag_a = string_of (answer, "tag");
  json_node_unref (g_steal_pointer (&answer));
  f->rule_a = new_rule (f, f->project_a);
  f->lib_rule = new_rule (f, NULL);
  body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"dry_run\"}", f->project_a);
  answer = call (f, "POST", "/api/v1/rules/execute", f->admin, body, 200);
  f->exec_a = string_of (answer, "execution_id");
  json_node_unref (g_steal_pointer (&answer));
  syn_security_wait_run (f->srv, f->admin, f->exec_a);

  /* B: abe made it, vince and eddie joined; nobody of A is in it */
  answer = call (f, "POST", "/api/v1/projects", f->tokens[ADMIN_OUT], "{\"name\": \"Beta\"}", 201);
  f->project_b = string_of (answer, "id");
  json_node_unref (g_steal_pointer (&answer));
  g_free (path);
  path = g_strdup_printf ("/api/v1/projects/%s/members", f->project_b);
  json_node_unref (call (f, "POST", path, f->admin, "{\"username\": \"vince\"}", 201));
  json_node_unref (call (f, "POST", path, f->admin, "{\"username\": \"eddie\"}", 201));
  f->batch_b = new_batch (f, f->project_b);
  f->asset_b = new_asset (f, f->project_b);
  f->rule_b = new_rule (f, f->project_b);
  g_free (body);
  body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"execute\"}", f->project_b);
  answer = call (f, "POST", "/api/v1/rules/execute", f->admin, body, 200);
  f->exec_b = string_of (answer, "execution_id");
  json_node_unref (g_steal_pointer (&answer));
  syn_security_wait_run (f->srv, f->admin, f->exec_b);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  total_cells += f->cells;
  syn_test_server_stop (f->srv);
  for (guint i = 0; i < N_CELLS; i++)
    g_free (f->tokens[i]);
  g_free (f->admin);
  g_free (f->project_a);
  g_free (f->asset_a);
  g_free (f->tag_a);
  g_free (f->rule_a);
  g_free (f->lib_rule);
  g_free (f->exec_a);
  g_free (f->batch_a);
  g_free (f->project_b);
  g_free (f->asset_b);
  g_free (f->rule_b);
  g_free (f->exec_b);
  g_free (f->batch_b);
}

/* ------------------------------------------------------------------------- */
/* The matrix                                                                */

/* Every route of the server's tables has its row here, and every row a
 * route: a new route cannot go unchecked. */
static void
test_every_route_has_a_row (void)
{
  const SynApiRoute *tables[] = { syn_api_routes, syn_api_ws_routes };
  const Row *row_tables[] = { rows, ws_rows };
  guint n_rows[] = { G_N_ELEMENTS (rows), G_N_ELEMENTS (ws_rows) };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      guint n_routes = 0;

      for (const SynApiRoute *route = tables[t]; route->pattern != NULL; route++, n_routes++)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < n_rows[t] && !found; i++)
            found = g_str_equal (row_tables[t][i].method, route->method) &&
                    g_str_equal (row_tables[t][i].pattern, route->pattern);
          if (!found)
            g_error ("%s %s has no row in the authorization matrix", route->method, route->pattern);
        }
      g_assert_cmpuint (n_rows[t], ==, n_routes);
    }
}

static guint
ws_status (Fixture *f, const char *path, const char *token)
{
  g_autoptr(SynTestWs) ws = syn_test_ws_connect (f->srv, path, token);

  return ws->conn != NULL ? 101 : ws->status;
}

static void
check_cell (Fixture *f, const Row *row, Cell cell, gboolean websocket)
{
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *session = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *token = f->tokens[cell];
  guint expected = row->expect[cell];
  guint status = 0;

  fill (f, row, &path, &body);
  /* signing out ends the session: a session of its own */
  if (g_str_has_suffix (row->pattern, "auth/logout") && cell_users[cell] != NULL)
    token = session = syn_test_server_login (f->srv, cell_users[cell]);
  before = expected >= 400 ? fingerprint (f) : NULL;

  if (websocket)
    status = ws_status (f, path, token);
  else
    answer = request (f, row->method, path, token, body, &status);
  f->cells++;

  if (status != expected)
    {
      g_autofree char *text = answer ? syn_json_to_string (answer) : g_strdup ("(no body)");

      g_error ("%s %s as %s: %u, expected %u: %s", row->method, path, cell_names[cell], status, expected, text);
    }
  if (expected >= 400 && !websocket)
    {
      g_assert_nonnull (syn_test_error_code (answer));
      if (expected == 401)
        g_assert_cmpstr (syn_test_error_code (answer), ==, "unauthorized");
    }
  /* a refused request changes nothing */
  if (before != NULL)
    {
      after = fingerprint (f);
      if (!g_str_equal (before, after))
        g_error ("%s %s as %s: refused, yet the database changed:\n%s\n---\n%s", row->method, path,
                 cell_names[cell], before, after);
    }
  /* a run that was started goes on after the answer */
  if (status == 200 && g_str_has_suffix (row->pattern, "/execute"))
    syn_security_wait_run (f->srv, f->admin, syn_json_get_string (syn_security_object (answer), "execution_id"));
}

static void
test_matrix (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (Cell c = 0; c < N_CELLS; c++)
      check_cell (f, &rows[i], c, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (ws_rows); i++)
    for (Cell c = 0; c < N_CELLS; c++)
      check_cell (f, &ws_rows[i], c, TRUE);
  g_assert_cmpuint (f->cells, ==, (G_N_ELEMENTS (rows) + G_N_ELEMENTS (ws_rows)) * N_CELLS);
  g_test_message ("%u cells: %u routes x %u columns", f->cells,
                  (guint) (G_N_ELEMENTS (rows) + G_N_ELEMENTS (ws_rows)), (guint) N_CELLS);
}

/* ------------------------------------------------------------------------- */
/* Ids of another project                                                    */

/* erin, an engineer of A only, aims at B's things through A (or B). */
static void
expect_refused (Fixture *f, const char *method, const char *path, const char *body, guint status)
{
  g_autofree char *before = fingerprint (f);
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) answer = call (f, method, path, f->tokens[ENGINEER_IN], body, status);

  g_assert_nonnull (syn_test_error_code (answer));
  after = fingerprint (f);
  if (!g_str_equal (before, after))
    g_error ("%s %s: refused, yet the database changed", method, path);
  f->cells++;
}

static void
test_cross_project (Fixture *f, gconstpointer data)
{
  const char *erin = f->tokens[ENGINEER_IN];
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *unknown = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) other = NULL;

#define PATH(...) (g_free (path), path = g_strdup_printf (__VA_ARGS__))
#define BODY(...) (g_free (body), body = g_strdup_printf (__VA_ARGS__))

  /* B's asset through A's path */
  expect_refused (f, "GET", PATH ("/api/v1/projects/%s/assets/%s", f->project_a, f->asset_b), NULL, 404);
  expect_refused (f, "PATCH", path, "{\"description\": \"taken over\"}", 404);
  expect_refused (f, "DELETE", path, NULL, 404);
  expect_refused (f, "GET", PATH ("/api/v1/projects/%s/assets/%s/explain", f->project_a, f->asset_b), NULL, 404);
  /* ... and B's own paths */
  expect_refused (f, "GET", PATH ("/api/v1/projects/%s/assets/%s", f->project_b, f->asset_b), NULL, 404);
  expect_refused (f, "GET", PATH ("/api/v1/projects/Beta"), NULL, 404);
  expect_refused (f, "POST", "/api/v1/rules/execute", BODY ("{\"project_id\": \"Beta\", \"mode\": \"execute\"}"), 404);
  expect_refused (f, "POST", "/api/v1/rules/execute", BODY ("{\"project_id\": \"%s\", \"mode\": \"execute\"}", f->project_b),
                  404);

  /* history and timeline of B's asset under A: nothing of B comes out */
  answer = call (f, "GET", PATH ("/api/v1/events/assets/%s/history?project_id=%s", f->asset_b, f->project_a), erin, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (syn_security_object (answer), "total_events"), ==, 0);
  json_node_unref (g_steal_pointer (&answer));
  expect_refused (f, "GET", PATH ("/api/v1/events/assets/%s/history?project_id=%s", f->asset_b, f->project_b), NULL, 404);
  answer = call (f, "GET", PATH ("/api/v1/events/timeline?project_id=%s&asset_id=%s", f->project_a, f->asset_b), erin, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (syn_security_object (answer), "total"), ==, 0);
  json_node_unref (g_steal_pointer (&answer));

  /* B's execution, over REST and WebSocket (header or ?token=) */
  expect_refused (f, "GET", PATH ("/api/v1/executions/%s", f->exec_b), NULL, 404);
  g_assert_cmpuint (ws_status (f, PATH ("/ws/execution/%s", f->exec_b), erin), ==, 404);
  g_assert_cmpuint (ws_status (f, PATH ("/ws/execution/%s?token=%s", f->exec_b, erin), NULL), ==, 404);
  g_assert_cmpuint (ws_status (f, PATH ("/ws/projects/%s/events?token=%s", f->project_b, erin), NULL), ==, 404);
  f->cells += 3;

  /* B's batch: rolled back through A it is unknown, exactly like a batch
   * that never was (the specification's 400), and B keeps it */
  unknown = syn_uuid_new ();
  answer = call (f, "POST", PATH ("/api/v1/rules/rollback?project_id=%s", f->project_a), erin,
                 BODY ("{\"correlation_id\": \"%s\"}", unknown), 400);
  other = call (f, "POST", path, erin, BODY ("{\"correlation_id\": \"%s\"}", f->batch_b), 400);
  {
    g_auto(GStrv) a = g_strsplit (syn_test_error_message (answer), unknown, -1);
    g_auto(GStrv) b = g_strsplit (syn_test_error_message (other), f->batch_b, -1);

    g_assert_true (g_strv_equal ((const char * const *) a, (const char * const *) b));
  }
  expect_refused (f, "POST", path, body, 400);
  /* the body's project does not beat the query's */
  expect_refused (f, "POST", path, BODY ("{\"project_id\": \"%s\", \"correlation_id\": \"%s\"}", f->project_b, f->batch_b),
                  400);
  expect_refused (f, "POST", PATH ("/api/v1/rules/rollback?project_id=%s", f->project_b),
                  BODY ("{\"correlation_id\": \"%s\"}", f->batch_b), 404);
  expect_refused (f, "GET", PATH ("/api/v1/rules/rollback/blockers?project_id=%s&correlation_id=%s", f->project_a, f->batch_b),
                  NULL, 404);

  /* B's rule through A, and through the library */
  expect_refused (f, "DELETE", PATH ("/api/v1/projects/%s/rules/%s", f->project_a, f->rule_b), NULL, 404);
  {
    g_auto(GStrv) parts = g_strsplit (RULE ("@ID@"), "@ID@", -1);
    g_autofree char *rule = g_strjoinv (f->rule_b, parts);

    /* rule ids are one namespace: taken is all it says */
    expect_refused (f, "PUT", PATH ("/api/v1/projects/%s/rules/%s", f->project_a, f->rule_b), rule, 409);
    expect_refused (f, "POST", PATH ("/api/v1/projects/%s/rules", f->project_a), rule, 409);
  }
  {
    g_autofree char *before = fingerprint (f);
    g_autofree char *after = NULL;

    json_node_unref (call (f, "DELETE", PATH ("/api/v1/rules/library/%s", f->rule_b), f->admin, NULL, 404));
    after = fingerprint (f);
    g_assert_cmpstr (before, ==, after);
    f->cells++;
  }

  /* a timeline page kept for a member is never handed to an outsider */
  json_node_unref (call (f, "GET", PATH ("/api/v1/events/timeline?project_id=%s", f->project_b), f->tokens[VIEWER_OUT], NULL, 200));
  expect_refused (f, "GET", path, NULL, 404);
  json_node_unref (call (f, "GET", PATH ("/api/v1/events/timeline?project_id=%s", f->project_a), erin, NULL, 200));
  g_free (path);
  path = g_strdup_printf ("/api/v1/events/timeline?project_id=%s", f->project_a);
  {
    g_autoptr(JsonNode) refused = call (f, "GET", path, f->tokens[VIEWER_OUT], NULL, 404);
  }
  f->cells++;
#undef PATH
#undef BODY
}

static void
print_totals (void)
{
  if (total_cells > 0)
    g_print ("# authz: %u cells checked\n", total_cells);
}

int
main (int argc, char **argv)
{
  /* ours, before GLib reads the rest: the whole matrix on PostgreSQL too */
  gboolean full = syn_security_take_full (&argc, &argv);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/security/authz/every-route-has-a-row", test_every_route_has_a_row);
  g_test_add ("/security/authz/sqlite/matrix", Fixture, &on_sqlite, fixture_setup, test_matrix, fixture_teardown);
  g_test_add ("/security/authz/sqlite/cross-project", Fixture, &on_sqlite, fixture_setup, test_cross_project,
              fixture_teardown);
  if (syn_test_pg_bindir () != NULL)
    {
      if (full)
        g_test_add ("/security/authz/postgresql/matrix", Fixture, &on_postgres, fixture_setup, test_matrix,
                    fixture_teardown);
      g_test_add ("/security/authz/postgresql/cross-project", Fixture, &on_postgres, fixture_setup, test_cross_project,
                  fixture_teardown);
    }
  else
    g_test_add_func ("/security/authz/postgresql", syn_security_postgres_missing);
  atexit (print_totals);
  return g_test_run ();
}

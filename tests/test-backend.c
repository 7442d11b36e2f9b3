/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backend.c: the backend layer's own pieces: error mapping, the shared route table, the run
 * object, project changes. */
#include "config.h"

#include <string.h>

#include "backend/syn-api-routes.h"
#include "backend/syn-execution-run.h"
#include "backend/syn-run-error.h"
#include "backend/syn-local-backend.h"
#include "core/syn-core.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-state-hash.h"
#include "store/syn-store.h"
#include "syn-test-fixture.h"

/* ------------------------------------------------------------------------- */
/* Error mapping                                                             */

typedef struct
{
  GQuark domain;
  int    code;
  int    status;
} Mapping;

/* One mapping of every layer's errors onto HTTP statuses. It used to be
 * written three times, and SYN_ENGINE_ERROR_FAILED (a damaged snapshot, a
 * replay that cannot go on) was a 400 in one copy and a 500 in the others. */
static void
test_error_mapping (void)
{
  const Mapping mappings[] = {
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED, 500 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CYCLE, 500 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, 404 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_BUSY, 423 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED, 409 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_REFUSED, 400 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV, 400 },
    { SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE, 400 },
    { SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT, 409 },
    { SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY, 423 },
    { SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION, 503 },
    { SYN_STORE_ERROR, SYN_STORE_ERROR_FAILED, 500 },
    { SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (mappings); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (mappings[i].domain, mappings[i].code, "the message");

      syn_backend_error_from_other (&error);
      g_assert_true (error->domain == SYN_BACKEND_ERROR);
      g_assert_cmpstr (error->message, ==, "the message");
      if (syn_backend_error_to_http_status (error) != mappings[i].status)
        g_error ("%s %d: %d, expected %d", g_quark_to_string (mappings[i].domain), mappings[i].code,
                 syn_backend_error_to_http_status (error), mappings[i].status);
    }

  /* details go with the error, through copies too; other domains have none */
  {
    g_autoptr(GError) conflict = g_error_new_literal (SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT, "blocked");
    g_autoptr(GError) copy = NULL;
    g_autoptr(GError) other = g_error_new_literal (SYN_STORE_ERROR, SYN_STORE_ERROR_FAILED, "x");
    g_autoptr(JsonNode) details = syn_json_parse ("{\"blocking_batches\": [{\"correlation_id\": \"b\"}]}", -1, NULL);

    g_assert_null (syn_backend_error_get_details (conflict));
    syn_backend_error_set_details (conflict, details);
    copy = g_error_copy (conflict);
    g_clear_error (&conflict);
    g_assert_true (syn_json_node_equal (syn_backend_error_get_details (copy), details));
    g_assert_null (syn_backend_error_get_details (other));
    g_assert_cmpstr (syn_backend_status_code_name (409), ==, "conflict");
    g_assert_cmpstr (syn_backend_status_code_name (400), ==, "invalid");
  }
}

/* ------------------------------------------------------------------------- */
/* The route table                                                           */

#define SAMPLE_UUID "0190f7b2-1d2c-7a3e-8f00-0123456789ab"

/* A well-formed value for a parameter of the table. */
static const char *
sample_value (const char *name)
{
  if (g_str_has_suffix (name, "_id") && !g_str_equal (name, "project_id") && !g_str_equal (name, "rule_id"))
    return SAMPLE_UUID;
  if (g_str_equal (name, "tag"))
    return "210-PP/001 A";   /* a slash and a space: escaped on the way */
  if (g_str_equal (name, "page") || g_str_equal (name, "limit") || g_str_equal (name, "after"))
    return "2";
  return "Gold Mine";
}

/* What a client calling the route's operation would pass: every path
 * parameter, the first query parameter, the fixed ones, a body. */
static JsonObject *
sample_params (const SynApiRoute *route)
{
  JsonObject *params = json_object_new ();
  g_auto(GStrv) parts = g_strsplit (route->pattern, "/", -1);
  g_auto(GStrv) query = g_strsplit (route->query, ",", 2);

  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] == '{')
      {
        g_autofree char *name = g_strndup (parts[i] + 1, strlen (parts[i]) - 2);

        json_object_set_string_member (params, name, sample_value (name));
      }
  if (query[0] != NULL && query[0][0] != '\0')
    json_object_set_string_member (params, query[0], sample_value (query[0]));
  syn_api_route_take_fixed (route, params);
  if (route->implied != NULL)
    json_object_set_string_member (params, route->implied, "implied");
  switch (route->body)
    {
    case SYN_BODY_CSV:
      json_object_set_string_member (params, "csv", "TAG,TYPE\nT-1,TANK\n");
      break;
    case SYN_BODY_RULE:
      json_object_set_object_member (params, "rule", json_object_new ());
      break;
    case SYN_BODY_JSON:
      if (route->members != NULL)
        {
          g_auto(GStrv) members = g_strsplit (route->members, ",", -1);

          for (guint i = 0; members[i]; i++)
            if (!json_object_has_member (params, members[i]))
              json_object_set_string_member (params, members[i], sample_value (members[i]));
        }
      else
        json_object_set_string_member (params, "description", "free text");
      break;
    case SYN_BODY_NONE:
    default:
      break;
    }
  json_object_set_string_member (params, "_user_id", "the transport's own");
  return params;
}

/* The remote backend's request for every entry is one the server's match
 * takes back to the same entry and the same path parameters: one table,
 * both directions. */
static void
check_round_trip (const SynApiRoute *table)
{
  for (const SynApiRoute *route = table; route->pattern != NULL; route++)
    {
      g_autoptr(JsonObject) params = sample_params (route);
      g_autoptr(JsonObject) back = json_object_new ();
      g_autoptr(SynApiRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) raw = NULL;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) segments = NULL;
      gboolean path_known = FALSE;
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      request = syn_api_request_new (route, params, &error);
      if (request == NULL)
        g_error ("%s %s: %s", route->method, route->pattern, error->message);
      g_assert_cmpstr (request->method, ==, route->method);
      g_assert_true (g_str_has_prefix (request->path, "/"));
      g_assert_null (strchr (request->path, '?'));
      /* the transport's own and the fixed ones never go on the wire */
      g_assert_true (request->query == NULL || strstr (request->query, "_user_id") == NULL);
      g_assert_true (request->body == NULL || strstr (request->body, "_user_id") == NULL);
      g_assert_true (request->query == NULL || strstr (request->query, "library") == NULL);
      g_assert_true ((request->body != NULL) == (route->body != SYN_BODY_NONE));

      raw = g_strsplit (request->path + 1, "/", -1);
      for (guint i = 0; raw[i]; i++)
        {
          g_autofree char *decoded = g_uri_unescape_string (raw[i], NULL);

          g_strv_builder_add (builder, decoded);
        }
      segments = g_strv_builder_end (builder);
      g_assert_true (syn_api_route_match (table, route->method, segments, &path_known) == route);
      syn_api_route_take_path (route, segments, back);
      json_object_iter_init (&iter, back);
      while (json_object_iter_next (&iter, &name, &node))
        g_assert_cmpstr (json_node_get_string (node), ==, syn_json_get_string (params, name));

      /* a call of the operation with these parameters goes by a route of the same shape */
      if (route->op != NULL)
        {
          const SynApiRoute *chosen = syn_api_route_for_op (route->op, params);

          g_assert_nonnull (chosen);
          g_assert_cmpstr (chosen->op, ==, route->op);
        }
    }
}

static void
test_routes_round_trip (void)
{
  check_round_trip (syn_api_routes);
  check_round_trip (syn_api_ws_routes);
}

/* Each operation's routes are told apart by the parameters a client gives. */
static void
test_routes_choice (void)
{
  struct { const char *op; const char *params; const char *pattern; } cases[] = {
    { SYN_OP_LIST_PROJECTS, "{}", "api/v1/projects" },
    { SYN_OP_CREATE_PROJECT, "{\"name\": \"A\"}", "api/v1/projects" },
    { SYN_OP_GET_ASSET, "{\"project_id\": \"P\", \"tag\": \"T\"}", "api/v1/projects/{project_id}/assets/by-tag/{tag}" },
    { SYN_OP_GET_ASSET, "{\"project_id\": \"P\", \"asset_id\": \"" SAMPLE_UUID "\"}",
      "api/v1/projects/{project_id}/assets/{asset_id}" },
    { SYN_OP_LIST_RULES, "{\"library\": true}", "api/v1/rules/library" },
    { SYN_OP_LIST_RULES, "{\"project_id\": \"P\"}", "api/v1/projects/{project_id}/rules" },
    { SYN_OP_SAVE_RULE, "{\"rule\": {}}", "api/v1/rules/library" },
    { SYN_OP_SAVE_RULE, "{\"project_id\": \"P\", \"rule\": {}}", "api/v1/projects/{project_id}/rules" },
    { SYN_OP_DELETE_RULE, "{\"rule_id\": \"r\"}", "api/v1/rules/library/{rule_id}" },
    { SYN_OP_DELETE_RULE, "{\"project_id\": \"P\", \"rule_id\": \"r\"}",
      "api/v1/projects/{project_id}/rules/{rule_id}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) params = syn_json_parse_object (cases[i].params, -1, NULL);
      const SynApiRoute *route = syn_api_route_for_op (cases[i].op, params);

      g_assert_nonnull (route);
      g_assert_cmpstr (route->pattern, ==, cases[i].pattern);
    }
  /* the server's own operations have no route: no client may call them */
  g_assert_null (syn_api_route_for_op (SYN_OP_AUTHENTICATE, NULL));
  g_assert_null (syn_api_route_for_op (SYN_OP_EVENTS_AFTER, NULL));
}

/* Unknown parameters are refused wherever the call comes from, named. */
static void
test_routes_unknown_parameters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = syn_json_parse_object ("{\"project_id\": \"P\", \"colour\": \"red\"}", -1, NULL);
  g_autoptr(JsonObject) body = syn_json_parse_object ("{\"project_id\": \"P\", \"cascad\": true}", -1, NULL);
  g_autoptr(JsonObject) bad_id = syn_json_parse_object ("{\"execution_id\": \"123\"}", -1, NULL);

  g_assert_false (syn_api_route_check_params (syn_api_route_for_op (SYN_OP_LIST_CABLES, params), params, &error));
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "colour: unknown parameter");
  g_clear_error (&error);
  g_assert_false (syn_api_route_check_params (syn_api_route_for_op (SYN_OP_ROLLBACK, body), body, &error));
  g_assert_cmpstr (error->message, ==, "cascad: unknown field (known: project_id, correlation_id, cascade)");
  g_clear_error (&error);
  g_assert_false (syn_api_route_check_ids (syn_api_route_for_op (SYN_OP_GET_EXECUTION, bad_id), bad_id, &error));
  g_assert_cmpstr (error->message, ==, "execution_id: \"123\" is not a UUID");
}

/* ------------------------------------------------------------------------- */
/* Project changes                                                           */

typedef struct
{
  char   *project_id;
  gint64  first;
  gint64  last;
  guint   told;
} Changes;

static void
on_project_changed (SynBackend *backend, const char *project_id, gint64 first, gint64 last, Changes *c)
{
  g_assert_cmpstr (project_id, ==, c->project_id);
  g_assert_cmpint (first, >, 0);
  g_assert_cmpint (first, <=, last);
  /* each change takes up after the one told before */
  if (c->told > 0)
    g_assert_cmpint (first, >, c->last);
  c->first = c->told == 0 ? first : c->first;
  c->last = last;
  c->told++;
}

/* Spins the main context until @c has heard of position @position or more. */
static gboolean
wait_told (Changes *c, gint64 position, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (c->last < position && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return c->last >= position;
}

static gint64
create_asset (SynBackend *backend, const char *project_id, const char *tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) timeline = json_object_new ();
  g_autoptr(JsonNode) asset = NULL;
  g_autoptr(JsonNode) events = NULL;

  json_object_set_string_member (params, "project_id", project_id);
  json_object_set_string_member (params, "tag", tag);
  json_object_set_string_member (params, "type", "TANK");
  asset = syn_backend_call_sync (backend, SYN_OP_CREATE_ASSET, params, NULL, &error);
  g_assert_no_error (error);
  /* the newest event now is the asset's */
  json_object_set_string_member (timeline, "project_id", project_id);
  json_object_set_int_member (timeline, "limit", 1);
  events = syn_backend_call_sync (backend, SYN_OP_TIMELINE, timeline, NULL, &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_array_get_object_element (
           json_object_get_array_member (json_node_get_object (events), "events"), 0), "position");
}

/* The local backend tells of its own commits, and of those made through
 * another connection: another process on SQLite (PRAGMA data_version), any
 * process or server on PostgreSQL (SynPgListener). After unwatching, nothing. */
static void
test_project_changed (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) backend = syn_local_backend_new (f->uri, &error);
  g_autoptr(SynLocalBackend) other = syn_local_backend_new (f->uri, &error);
  Changes c = { f->project->id, 0, 0, 0 };
  gint64 own, theirs;
  guint told;

  g_assert_no_error (error);
  syn_local_backend_set_change_interval (backend, 20);
  g_signal_connect (backend, "project-changed", G_CALLBACK (on_project_changed), &c);
  syn_backend_watch_project (SYN_BACKEND (backend), f->project->id, 0);

  own = create_asset (SYN_BACKEND (backend), f->project->id, "T-1");
  g_assert_true (wait_told (&c, own, 10000));
  g_assert_cmpint (c.first, ==, 1);

  theirs = create_asset (SYN_BACKEND (other), f->project->id, "T-2");
  g_assert_cmpint (theirs, >, own);
  g_assert_true (wait_told (&c, theirs, 10000));
  g_assert_cmpint (c.last, ==, theirs);

  /* a second watch of the project is one more reason to tell, not a second telling */
  syn_backend_watch_project (SYN_BACKEND (backend), f->project->id, -1);
  syn_backend_unwatch_project (SYN_BACKEND (backend), f->project->id);
  told = c.told;
  theirs = create_asset (SYN_BACKEND (other), f->project->id, "T-3");
  g_assert_true (wait_told (&c, theirs, 10000));
  g_assert_cmpuint (c.told, ==, told + 1);

  syn_backend_unwatch_project (SYN_BACKEND (backend), f->project->id);
  told = c.told;
  create_asset (SYN_BACKEND (other), f->project->id, "T-4");
  create_asset (SYN_BACKEND (backend), f->project->id, "T-5");
  g_assert_false (wait_told (&c, theirs + 1, 300));
  g_assert_cmpuint (c.told, ==, told);
  g_signal_handlers_disconnect_by_data (backend, &c);
}

/* ------------------------------------------------------------------------- */
/* The run object                                                            */

typedef struct
{
  guint messages;
  guint finished;
} RunSeen;

static void
on_run_message (SynExecutionRun *run, JsonNode *message, RunSeen *seen)
{
  seen->messages++;
}

static void
on_run_finished (SynExecutionRun *run, RunSeen *seen)
{
  seen->finished++;
}

static void
feed (SynExecutionRun *run, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) message = syn_json_parse (json, -1, &error);

  g_assert_no_error (error);
  syn_execution_run_apply_message (run, message);
}

#define STARTED "{\"type\": \"STARTED\", \"execution_id\": \"e\", \"correlation_id\": \"c-1\", " \
                "\"total_rules\": 3, \"total_assets\": 40, \"filters_applied\": {}}"

/* A recorded stream, folded: progress, counters, every error kept (not the
 * newest hundred) with its severity, and a summary with members the run
 * does not know of (the living model adds some). */
static void
test_run_fold (void)
{
  g_autoptr(SynExecutionRun) run = syn_execution_run_new (NULL, "P", FALSE, NULL);
  g_autoptr(SynRunError) first = NULL;
  g_autoptr(SynRunError) warning = NULL;
  RunSeen seen = { 0 };
  JsonObject *summary;

  g_signal_connect (run, "message", G_CALLBACK (on_run_message), &seen);
  g_signal_connect (run, "finished", G_CALLBACK (on_run_finished), &seen);
  g_assert_nonnull (syn_execution_run_get_execution_id (run));
  g_assert_true (syn_uuid_is_valid (syn_execution_run_get_execution_id (run)));

  feed (run, STARTED);
  g_assert_cmpuint (syn_execution_run_get_rules_total (run), ==, 3);
  g_assert_cmpuint (syn_execution_run_get_total_assets (run), ==, 40);
  g_assert_cmpstr (syn_execution_run_get_correlation_id (run), ==, "c-1");
  feed (run, "{\"type\": \"RULE_START\", \"rule_id\": \"r1\", \"rule_name\": \"FIRM: One\", \"progress\": 5}");
  g_assert_cmpstr (syn_execution_run_get_current_rule (run), ==, "FIRM: One");
  g_assert_cmpuint (syn_execution_run_get_progress (run), ==, 5);
  for (guint i = 0; i < 7; i++)
    feed (run, "{\"type\": \"ACTION\", \"rule_id\": \"r1\", \"action\": \"CREATED\", \"result\": {}}");
  feed (run, "{\"type\": \"ACTION\", \"rule_id\": \"r1\", \"action\": \"RETRACTED\", \"result\": {}}");
  for (guint i = 0; i < 149; i++)
    {
      g_autofree char *m = g_strdup_printf ("{\"type\": \"ERROR\", \"rule_id\": \"r2\", \"asset_id\": \"a%u\", "
                                            "\"message\": \"no hp %u\", \"recoverable\": true}", i, i);
      feed (run, m);
    }
  feed (run, "{\"type\": \"ERROR\", \"rule_id\": \"r3\", \"asset_id\": \"z\", \"message\": \"check me\", "
             "\"recoverable\": true, \"severity\": \"warning\"}");
  /* progress never goes back */
  feed (run, "{\"type\": \"PROGRESS\", \"progress\": 3, \"rules_completed\": 1, \"rules_total\": 3, "
             "\"actions_completed\": 8, \"errors\": 150}");
  g_assert_cmpuint (syn_execution_run_get_progress (run), ==, 5);
  feed (run, "{\"type\": \"PROGRESS\", \"progress\": 60, \"rules_completed\": 2, \"rules_total\": 3, "
             "\"actions_completed\": 8, \"errors\": 150}");
  feed (run, "{\"type\": \"RULE_COMPLETE\", \"rule_id\": \"r1\", \"skipped\": 2}");
  g_assert_cmpuint (syn_execution_run_get_progress (run), ==, 60);
  g_assert_cmpuint (syn_execution_run_get_rules_completed (run), ==, 2);
  g_assert_cmpuint (syn_execution_run_get_actions (run), ==, 8);
  g_assert_cmpuint (syn_execution_run_get_skipped (run), ==, 2);
  g_assert_cmpuint (syn_execution_run_get_errors (run), ==, 150);
  g_assert_false (syn_execution_run_get_finished (run));
  g_assert_cmpuint (seen.finished, ==, 0);

  g_assert_cmpuint (g_list_model_get_n_items (syn_execution_run_get_error_list (run)), ==, 150);
  first = g_list_model_get_item (syn_execution_run_get_error_list (run), 0);
  g_assert_cmpstr (syn_run_error_get_rule_id (first), ==, "r2");
  g_assert_cmpstr (syn_run_error_get_asset_id (first), ==, "a0");
  g_assert_cmpstr (syn_run_error_get_message (first), ==, "no hp 0");
  g_assert_cmpstr (syn_run_error_get_severity (first), ==, "error");
  warning = g_list_model_get_item (syn_execution_run_get_error_list (run), 149);
  g_assert_cmpstr (syn_run_error_get_severity (warning), ==, "warning");

  feed (run, "{\"type\": \"COMPLETED\", \"execution_id\": \"e\", \"correlation_id\": \"c-1\", \"duration_ms\": 42, "
             "\"summary\": {\"rules_executed\": 3, \"assets_processed\": 40, \"actions_taken\": 8, \"skipped\": 2, "
             "\"errors\": 150, \"created\": {\"assets\": 7, \"cables\": 0, \"edges\": 7}, "
             "\"updated\": {\"assets\": 1, \"cables\": 0}, \"retracted\": {\"assets\": 1, \"cables\": 0, \"edges\": 1}}}");
  g_assert_true (syn_execution_run_get_finished (run));
  g_assert_false (syn_execution_run_get_running (run));
  g_assert_cmpstr (syn_execution_run_get_status (run), ==, "completed");
  g_assert_false (syn_execution_run_get_up_to_date (run));
  g_assert_cmpuint (syn_execution_run_get_progress (run), ==, 100);
  g_assert_null (syn_execution_run_get_current_rule (run));
  g_assert_cmpuint (syn_execution_run_get_rules_completed (run), ==, 3);
  g_assert_cmpint (syn_execution_run_get_duration_ms (run), ==, 42);
  g_assert_null (syn_execution_run_get_failure (run));
  summary = syn_execution_run_get_summary (run);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (summary, "retracted"), "edges"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (summary, "updated"), "assets"), ==, 1);
  g_assert_cmpuint (seen.messages, ==, 164);
  g_assert_cmpuint (seen.finished, ==, 1);

  /* nothing comes after the end */
  feed (run, "{\"type\": \"ACTION\", \"rule_id\": \"r1\", \"action\": \"CREATED\", \"result\": {}}");
  g_assert_cmpuint (syn_execution_run_get_actions (run), ==, 8);
  g_assert_cmpuint (seen.finished, ==, 1);
}

/* A run that finds nothing to do commits no batch and says so; a preview
 * without a status is a preview; a final ERROR is the run's failure. */
static void
test_run_outcomes (void)
{
  g_autoptr(SynExecutionRun) up = syn_execution_run_new (NULL, "P", FALSE, NULL);
  g_autoptr(SynExecutionRun) preview = syn_execution_run_new (NULL, "P", TRUE, NULL);
  g_autoptr(SynExecutionRun) failed = syn_execution_run_new (NULL, "P", FALSE, NULL);
  g_autoptr(SynExecutionRun) cancelled = syn_execution_run_new (NULL, "P", FALSE, NULL);

  feed (up, STARTED);
  feed (up, "{\"type\": \"COMPLETED\", \"execution_id\": \"e\", \"correlation_id\": null, \"status\": \"up_to_date\", "
            "\"duration_ms\": 3, \"summary\": {\"rules_executed\": 3, \"assets_processed\": 40, \"actions_taken\": 0, "
            "\"skipped\": 0, \"errors\": 0, \"created\": {\"assets\": 0, \"cables\": 0, \"edges\": 0}}}");
  g_assert_true (syn_execution_run_get_up_to_date (up));
  g_assert_cmpstr (syn_execution_run_get_status (up), ==, "up_to_date");
  g_assert_null (syn_execution_run_get_correlation_id (up));
  g_assert_true (syn_execution_run_get_finished (up));

  feed (preview, STARTED);
  feed (preview, "{\"type\": \"COMPLETED\", \"execution_id\": \"e\", \"correlation_id\": \"c-1\", \"duration_ms\": 3, "
                 "\"summary\": {\"rules_executed\": 3}}");
  g_assert_cmpstr (syn_execution_run_get_status (preview), ==, "preview");
  g_assert_false (syn_execution_run_get_up_to_date (preview));

  feed (failed, STARTED);
  feed (failed, "{\"type\": \"ERROR\", \"rule_id\": null, \"asset_id\": null, \"message\": \"a cycle\", "
                "\"recoverable\": false}");
  g_assert_true (syn_execution_run_get_finished (failed));
  g_assert_cmpstr (syn_execution_run_get_status (failed), ==, "failed");
  g_assert_cmpstr (syn_execution_run_get_failure (failed), ==, "a cycle");
  g_assert_cmpuint (g_list_model_get_n_items (syn_execution_run_get_error_list (failed)), ==, 0);
  g_assert_nonnull (syn_execution_run_get_final_message (failed));

  /* cancelled by someone else (another window, the command line): this
   * watcher did not ask, the last message says so */
  feed (cancelled, STARTED);
  feed (cancelled, "{\"type\": \"ERROR\", \"rule_id\": null, \"asset_id\": null, "
                   "\"message\": \"Execution cancelled: nothing was committed\", \"recoverable\": false, "
                   "\"status\": \"cancelled\"}");
  g_assert_true (syn_execution_run_get_finished (cancelled));
  g_assert_cmpstr (syn_execution_run_get_status (cancelled), ==, "cancelled");
  g_assert_nonnull (syn_execution_run_get_failure (cancelled));
}

static void
on_start_done (GObject *object, GAsyncResult *result, gpointer data)
{
  GError **error = data;

  if (!syn_execution_run_start_finish (SYN_EXECUTION_RUN (object), result, error))
    g_assert_nonnull (*error);
}

static gboolean
run_finished (gpointer data)
{
  return syn_execution_run_get_finished (data);
}

static void
spin_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
add_pumps (SynBackend *backend, const char *project_id, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) import = json_object_new ();
  g_autoptr(JsonObject) rule = json_object_new ();
  g_autoptr(JsonNode) imported = NULL;
  g_autoptr(JsonNode) saved = NULL;
  GString *csv = g_string_new ("TAG,TYPE\n");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (csv, "P-%05u,PUMP\n", i);
  json_object_set_string_member (import, "project_id", project_id);
  json_object_set_string_member (import, "csv", csv->str);
  g_string_free (csv, TRUE);
  imported = syn_backend_call_sync (backend, SYN_OP_IMPORT_CSV, import, NULL, &error);
  g_assert_no_error (error);
  json_object_set_string_member (rule, "project_id", project_id);
  json_object_set_object_member (rule, "rule", syn_json_parse_object (
    "{\"id\": \"pump-motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
    " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
    " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{tag}-M\", \"relation\": \"powers\"}}", -1, NULL));
  saved = syn_backend_call_sync (backend, SYN_OP_SAVE_RULE, rule, NULL, &error);
  g_assert_no_error (error);
}

/* Through a backend: a run to its end agrees with its summary; a run
 * cancelled at once commits nothing and says it was cancelled; a run
 * refused at the start is finished, with the reason. */
static void
test_run_through_backend (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) backend = syn_local_backend_new (f->uri, &error);
  g_autoptr(SynExecutionRun) run = NULL;
  g_autoptr(SynExecutionRun) cancelled = NULL;
  g_autoptr(SynExecutionRun) refused = NULL;
  g_autoptr(GError) start_error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  add_pumps (SYN_BACKEND (backend), f->project->id, 2000);

  run = syn_execution_run_new (SYN_BACKEND (backend), f->project->id, TRUE, NULL);
  syn_execution_run_start_async (run, NULL, on_start_done, &start_error);
  g_assert_true (syn_execution_run_get_running (run));
  spin_until (run_finished, run);
  g_assert_no_error (start_error);
  g_assert_cmpstr (syn_execution_run_get_status (run), ==, "preview");
  g_assert_cmpuint (syn_execution_run_get_actions (run), ==,
                    json_object_get_int_member (syn_execution_run_get_summary (run), "actions_taken"));
  g_assert_cmpuint (syn_execution_run_get_actions (run), ==, 2000);

  before = syn_state_hash_compute (f->store, f->project->id, &error);
  cancelled = syn_execution_run_new (SYN_BACKEND (backend), f->project->id, FALSE, NULL);
  syn_execution_run_start_async (cancelled, NULL, on_start_done, &start_error);
  g_assert_true (syn_execution_run_cancel (cancelled));
  spin_until (run_finished, cancelled);
  g_assert_no_error (start_error);
  g_assert_cmpstr (syn_execution_run_get_status (cancelled), ==, "cancelled");
  g_assert_nonnull (syn_execution_run_get_failure (cancelled));
  g_assert_false (syn_execution_run_cancel (cancelled));
  after = syn_state_hash_compute (f->store, f->project->id, &error);
  g_assert_cmpstr (before, ==, after);

  refused = syn_execution_run_new (SYN_BACKEND (backend), "No such project", FALSE, NULL);
  syn_execution_run_start_async (refused, NULL, on_start_done, &start_error);
  spin_until (run_finished, refused);
  g_assert_error (start_error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  g_assert_cmpstr (syn_execution_run_get_status (refused), ==, "failed");
  g_assert_cmpstr (syn_execution_run_get_failure (refused), ==, start_error->message);
  g_assert_null (syn_execution_run_get_final_message (refused));
}

/* ------------------------------------------------------------------------- */

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synapse/backend/error-mapping", test_error_mapping);
  g_test_add_func ("/synapse/backend/routes/round-trip", test_routes_round_trip);
  g_test_add_func ("/synapse/backend/routes/choice", test_routes_choice);
  g_test_add_func ("/synapse/backend/routes/unknown-parameters", test_routes_unknown_parameters);
  syn_test_add ("/synapse/backend/project-changed", test_project_changed);
  g_test_add_func ("/synapse/backend/run/fold", test_run_fold);
  g_test_add_func ("/synapse/backend/run/outcomes", test_run_outcomes);
  syn_test_add ("/synapse/backend/run/through-backend", test_run_through_backend);

  return g_test_run ();
}

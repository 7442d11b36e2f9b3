/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-api-routes.c: the route table of DESIGN.md section 7 and what the server and the remote backend
 * do with it: match a path, check parameters, build a request. */
#include "config.h"

#include <string.h>

#include "backend/syn-backend.h"
#include "core/syn-json.h"
#include "engine/syn-batch-id.h"
#include "syn-api-routes.h"

#define PAGE "page,limit"
#define TIMELINE_FILTERS "project_id,asset_id,rule_id,discipline,event_types,correlation_id," \
                         "from_date,to_date,include_rolled_back"
#define TIMELINE_QUERY TIMELINE_FILTERS "," PAGE ",after,before"
#define CABLE_FILTERS "tag,type,area,discipline,where,sort"
#define ASSET_FILTERS CABLE_FILTERS ",q"

#define NONE     SYN_API_ROLE_NONE
#define VIEWER   SYN_API_ROLE_VIEWER
#define ENGINEER SYN_API_ROLE_ENGINEER
#define ADMIN    SYN_API_ROLE_ADMIN

/* Method, path, operation, query parameters, body members, body, success
 * status, least role; then what only some routes have. For one operation,
 * a client takes the first route whose path parameters it gives. */
const SynApiRoute syn_api_routes[] = {
  { "GET", "api/v1/health", NULL, "", NULL, SYN_BODY_NONE, 200, NONE,
    .summary = "Server health and readiness", .answer = "Health" },
  { "GET", "api/v1/ready", NULL, "", NULL, SYN_BODY_NONE, 200, NONE,
    .summary = "Readiness: 200 when the database answers and its migrations are current, else 503",
    .answer = "Health", .errors = "503" },
  { "GET", "api/v1/openapi.json", NULL, "", NULL, SYN_BODY_NONE, 200, NONE,
    .summary = "This description of the API (OpenAPI 3.1)", .answer = "json" },
  { "GET", "metrics", NULL, "", NULL, SYN_BODY_NONE, 200, NONE,
    .summary = "Counters in the Prometheus text format", .answer = "metrics" },
  { "POST", "api/v1/auth/login", SYN_OP_LOGIN, "", "username,password", SYN_BODY_JSON, 200, NONE,
    .summary = "Sign in: a session token", .answer = "Session", .errors = "429" },
  { "POST", "api/v1/auth/logout", SYN_OP_LOGOUT, "", NULL, SYN_BODY_NONE, 204, VIEWER,
    .implied = "token", .empty = "logged_out",
    .summary = "Sign out: the token stops working" },
  { "GET", "api/v1/auth/me", NULL, "", NULL, SYN_BODY_NONE, 200, VIEWER,
    .summary = "The signed-in user", .answer = "User" },

  { "GET", "api/v1/users", SYN_OP_LIST_USERS, "", NULL, SYN_BODY_NONE, 200, ADMIN,
    .summary = "List the users", .answer = "User[]" },
  { "POST", "api/v1/users", SYN_OP_CREATE_USER, "", "username,password,role,display_name", SYN_BODY_JSON, 201, ADMIN,
    .summary = "Create a user", .answer = "User", .errors = "409" },

  /* administration (issue 17): admins only; never oneself */
  { "PATCH", "api/v1/users/{username}", SYN_OP_UPDATE_USER, "", "role,disabled", SYN_BODY_JSON, 200, ADMIN,
    .summary = "Change a user's role, or disable (sessions end, sign-in refused) or enable them", .answer = "User",
    .errors = "409" },
  { "DELETE", "api/v1/users/{username}", SYN_OP_DELETE_USER, "", NULL, SYN_BODY_NONE, 204, ADMIN, .empty = "deleted",
    .summary = "Delete a user (their events keep their id)", .errors = "409" },

  { "GET", "api/v1/projects", SYN_OP_LIST_USER_PROJECTS, "include_archived", NULL, SYN_BODY_NONE, 200, VIEWER,
    .alias = SYN_OP_LIST_PROJECTS,
    .summary = "List the projects the user may see (archived ones too with include_archived, for administrators)",
    .answer = "Project[]" },
  { "POST", "api/v1/projects", SYN_OP_CREATE_OWNED_PROJECT, "", "name,description,country", SYN_BODY_JSON, 201, ADMIN,
    .alias = SYN_OP_CREATE_PROJECT,
    .summary = "Create a project (its creator becomes a member)", .answer = "Project", .errors = "409" },
  { "POST", "api/v1/demo", SYN_OP_CREATE_DEMO, "", "name", SYN_BODY_JSON, 201, ADMIN,
    .summary = "Create the demonstration project", .errors = "409" },
  { "GET", "api/v1/projects/{project_id}", SYN_OP_GET_PROJECT, "", NULL, SYN_BODY_NONE, 200, VIEWER, .project = 1,
    .summary = "A project, by id or name", .answer = "Project" },
  { "PATCH", "api/v1/projects/{project_id}", SYN_OP_UPDATE_PROJECT, "", "name,description,country", SYN_BODY_JSON, 200,
    ADMIN, .project = 1,
    .summary = "Rename a project, or change its description or country", .answer = "Project", .errors = "409" },
  { "DELETE", "api/v1/projects/{project_id}", SYN_OP_ARCHIVE_PROJECT, "", NULL, SYN_BODY_NONE, 204, ADMIN,
    .empty = "archived", .project = 1,
    .summary = "Archive a project: out of the lists, writes refused (409), history kept" },
  { "DELETE", "api/v1/projects/{project_id}/members/{username}", SYN_OP_REMOVE_MEMBER, "", NULL, SYN_BODY_NONE, 204,
    ADMIN, .empty = "removed", .project = 1,
    .summary = "Remove a member from a project" },
  { "GET", "api/v1/projects/{project_id}/members", SYN_OP_LIST_MEMBERS, "", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "List a project's members", .answer = "User[]" },
  { "POST", "api/v1/projects/{project_id}/members", SYN_OP_ADD_MEMBER, "", "username", SYN_BODY_JSON, 201, ENGINEER,
    .project = 1,
    .summary = "Add a member to a project", .errors = "409" },
  { "GET", "api/v1/projects/{project_id}/state-hash", SYN_OP_STATE_HASH, "", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "The hash of the project's state and its chain head" },
  { "GET", "api/v1/projects/{project_id}/status", SYN_OP_PROJECT_STATUS, "", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "What a rule run would change" },
  { "GET", "api/v1/projects/{project_id}/verify", SYN_OP_VERIFY, "expect", NULL, SYN_BODY_NONE, 200, ADMIN,
    .project = 1,
    .summary = "Check the project's hash chain" },
  /* verified history (issue 15): the project as of a moment, what changed between two, the audit file */
  { "GET", "api/v1/projects/{project_id}/state", SYN_OP_STATE_AS_OF, "as_of", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "The project as of a moment" },
  { "GET", "api/v1/projects/{project_id}/diff", SYN_OP_DIFF, "from,to,format", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "What changed between two moments" },
  { "GET", "api/v1/projects/{project_id}/audit", SYN_OP_EXPORT_AUDIT, "from,to", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "The audit file (JSON lines) of a span of history" },
  { "GET", "api/v1/projects/{project_id}/events", SYN_OP_EVENTS_AFTER, "after,limit", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "The project's events past a position, oldest first, with their chain hashes (a clone's pages)" },
  { "GET", "api/v1/projects/{project_id}/events/records", SYN_OP_SYNC_RECORDS, "after,limit", NULL, SYN_BODY_NONE, 200,
    VIEWER, .project = 1,
    .summary = "The snapshots, rule findings and derive mark of the events page past a position (a clone's pages)" },
  { "POST", "api/v1/projects/{project_id}/sync/push", SYN_OP_SYNC_PUSH, "", "clone_id,local_batch_id,op,params,basis,force",
    SYN_BODY_JSON, 200, ENGINEER, .project = 1, .writes = 1,
    .summary = "Apply a clone's offline operation once (idempotency key: clone id and local batch id)", .errors = "409" },
  { "POST", "api/v1/projects/{project_id}/repair", SYN_OP_REPAIR, "", "dry_run", SYN_BODY_JSON, 200, ENGINEER,
    .project = 1, .writes = 1,
    .summary = "Remove dangling edges and cables", .errors = "409" },

  { "GET", "api/v1/projects/{project_id}/assets", SYN_OP_LIST_ASSETS, ASSET_FILTERS "," PAGE, NULL, SYN_BODY_NONE, 200,
    VIEWER, .project = 1,
    .summary = "List assets (filtered, paged; Accept: text/csv gives the whole list)", .answer = "assets:Asset[]" },
  { "POST", "api/v1/projects/{project_id}/assets", SYN_OP_CREATE_ASSET, "", NULL, SYN_BODY_JSON, 201, ENGINEER,
    .project = 1, .writes = 1,
    .summary = "Create an asset", .answer = "Asset", .errors = "409" },
  { "GET", "api/v1/projects/{project_id}/assets/by-tag/{tag}", SYN_OP_GET_ASSET, "", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "An asset by its tag", .answer = "Asset" },
  { "GET", "api/v1/projects/{project_id}/assets/{asset_id}", SYN_OP_GET_ASSET, "", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "An asset by its id", .answer = "Asset" },
  { "PATCH", "api/v1/projects/{project_id}/assets/{asset_id}", SYN_OP_UPDATE_ASSET, "", NULL, SYN_BODY_JSON, 200,
    ENGINEER, .project = 1, .writes = 1,
    .summary = "Change an asset", .answer = "Asset", .errors = "409" },
  { "DELETE", "api/v1/projects/{project_id}/assets/{asset_id}", SYN_OP_DELETE_ASSET, "", NULL, SYN_BODY_NONE, 204,
    ENGINEER, .empty = "deleted", .project = 1, .writes = 1,
    .summary = "Delete an asset", .errors = "409" },
  { "PATCH", "api/v1/projects/{project_id}/assets", SYN_OP_UPDATE_ASSETS, "", NULL, SYN_BODY_JSON, 200, ENGINEER,
    .project = 1, .writes = 1,
    .summary = "Change several assets in one batch", .errors = "409" },
  { "POST", "api/v1/projects/{project_id}/delete", SYN_OP_DELETE_ENTITIES, "", "asset_ids,cable_ids", SYN_BODY_JSON,
    200, ENGINEER, .project = 1, .writes = 1,
    .summary = "Delete assets and cables in one batch", .errors = "409" },
  { "GET", "api/v1/projects/{project_id}/assets/{asset_id}/explain", SYN_OP_EXPLAIN, "", NULL, SYN_BODY_NONE, 200,
    VIEWER, .project = 1,
    .summary = "Why an asset is as it is: rules and provenance" },
  { "POST", "api/v1/projects/{project_id}/assets/{asset_id}/reset", SYN_OP_RESET_ASSET, "", "properties,fields,rules,all",
    SYN_BODY_JSON, 200, ENGINEER, .project = 1, .writes = 1,
    .summary = "Give fields back to the rules that derive them", .answer = "Asset", .errors = "409" },
  { "POST", "api/v1/projects/{project_id}/import", SYN_OP_IMPORT_CSV, "strict,mode,dry_run,delete_missing", NULL,
    SYN_BODY_CSV, 200, ENGINEER, .project = 1, .writes = 1,
    .summary = "Import a CSV file of assets", .errors = "409,413,423" },
  { "GET", "api/v1/projects/{project_id}/cables", SYN_OP_LIST_CABLES, CABLE_FILTERS "," PAGE, NULL, SYN_BODY_NONE, 200,
    VIEWER, .project = 1,
    .summary = "List cables (filtered, paged; Accept: text/csv gives the whole list)", .answer = "cables:Cable[]" },
  { "GET", "api/v1/projects/{project_id}/assets/{asset_id}/relations", SYN_OP_ASSET_RELATIONS, "", NULL,
    SYN_BODY_NONE, 200, VIEWER, .project = 1,
    .summary = "An asset's edges and cables" },
  /* exports: the whole (filtered) list as a file; the list routes give the
   * same for "Accept: text/csv"; as_of: the list as of that moment */
  { "GET", "api/v1/projects/{project_id}/cables.csv", SYN_OP_EXPORT, CABLE_FILTERS ",as_of", NULL, SYN_BODY_NONE, 200, VIEWER,
    .fixed = "kind=cables,format=csv", .project = 1,
    .summary = "The cable list as a CSV file", .answer = "csv" },
  { "GET", "api/v1/projects/{project_id}/cables.json", SYN_OP_EXPORT, CABLE_FILTERS ",as_of", NULL, SYN_BODY_NONE, 200, VIEWER,
    .fixed = "kind=cables,format=json", .project = 1,
    .summary = "The cable list as a JSON file", .answer = "json" },
  { "GET", "api/v1/projects/{project_id}/assets.csv", SYN_OP_EXPORT, ASSET_FILTERS ",properties,as_of", NULL, SYN_BODY_NONE,
    200, VIEWER, .fixed = "kind=assets,format=csv", .project = 1,
    .summary = "The asset list as a CSV file", .answer = "csv" },
  { "GET", "api/v1/projects/{project_id}/assets.json", SYN_OP_EXPORT, ASSET_FILTERS ",properties,as_of", NULL,
    SYN_BODY_NONE, 200, VIEWER, .fixed = "kind=assets,format=json", .project = 1,
    .summary = "The asset list as a JSON file", .answer = "json" },

  { "GET", "api/v1/projects/{project_id}/rules", SYN_OP_LIST_RULES, "", NULL, SYN_BODY_NONE, 200, VIEWER, .project = 1,
    .summary = "List the project's rules (with the library's)", .answer = "Rule[]" },
  { "POST", "api/v1/projects/{project_id}/rules", SYN_OP_SAVE_RULE, "", NULL, SYN_BODY_RULE, 201, ENGINEER,
    .project = 1,
    .summary = "Create a project rule", .answer = "Rule", .errors = "409" },
  { "POST", "api/v1/projects/{project_id}/rules/preview", SYN_OP_PREVIEW_RULE, "", NULL, SYN_BODY_RULE, 200, VIEWER,
    .project = 1,
    .summary = "What a rule would do, writing nothing" },
  { "PUT", "api/v1/projects/{project_id}/rules/{rule_id}", SYN_OP_SAVE_RULE, "", NULL, SYN_BODY_RULE, 200, ENGINEER,
    .project = 1,
    .summary = "Replace a project rule", .answer = "Rule", .errors = "409" },
  { "DELETE", "api/v1/projects/{project_id}/rules/{rule_id}", SYN_OP_DELETE_RULE, "", NULL, SYN_BODY_NONE, 204,
    ENGINEER, .empty = "deleted", .project = 1,
    .summary = "Delete a project rule" },
  { "GET", "api/v1/rules/library", SYN_OP_LIST_RULES, "", NULL, SYN_BODY_NONE, 200, VIEWER, .fixed = "library=true",
    .summary = "List the library rules (shared by every project)", .answer = "Rule[]" },
  { "POST", "api/v1/rules/library", SYN_OP_SAVE_RULE, "", NULL, SYN_BODY_RULE, 201, ADMIN,
    .summary = "Create a library rule", .answer = "Rule", .errors = "409" },
  { "PUT", "api/v1/rules/library/{rule_id}", SYN_OP_SAVE_RULE, "", NULL, SYN_BODY_RULE, 200, ADMIN,
    .summary = "Replace a library rule", .answer = "Rule", .errors = "409" },
  { "DELETE", "api/v1/rules/library/{rule_id}", SYN_OP_DELETE_RULE, "", NULL, SYN_BODY_NONE, 204, ADMIN,
    .empty = "deleted",
    .summary = "Delete a library rule" },

  { "GET", "api/v1/projects/{project_id}/executions", SYN_OP_LIST_EXECUTIONS, PAGE, NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "List a project's rule runs", .answer = "executions:Execution[]" },
  { "GET", "api/v1/executions/{execution_id}", SYN_OP_GET_EXECUTION, "", NULL, SYN_BODY_NONE, 200, VIEWER,
    .summary = "A rule run", .answer = "Execution" },
  { "POST", "api/v1/rules/execute", SYN_OP_EXECUTE, "", "project_id,mode,filters,execution_id", SYN_BODY_JSON, 200,
    ENGINEER, .project = 1,
    .summary = "Run the rules of a project (live messages: /ws/execution/{execution_id})", .errors = "409,423" },
  { "POST", "api/v1/rules/rollback", SYN_OP_ROLLBACK, "project_id", "project_id,correlation_id,cascade", SYN_BODY_JSON,
    200, ENGINEER, .project = 1, .writes = 1,
    .summary = "Roll a batch back", .errors = "409,423" },
  { "GET", "api/v1/rules/rollback/blockers", SYN_OP_ROLLBACK_BLOCKERS, "project_id,correlation_id", NULL, SYN_BODY_NONE,
    200, VIEWER, .project = 1,
    .summary = "The later batches that block a rollback" },
  { "POST", "api/v1/rules/redo", SYN_OP_REDO, "project_id", "project_id,correlation_id", SYN_BODY_JSON, 200, ENGINEER,
    .project = 1, .writes = 1,
    .summary = "Redo a rolled-back batch", .errors = "409,423" },

  { "GET", "api/v1/events/timeline", SYN_OP_TIMELINE, TIMELINE_QUERY, NULL, SYN_BODY_NONE, 200, VIEWER, .project = 1,
    .summary = "The project's events, newest first (filtered, paged)", .answer = "events:Event[]" },
  { "GET", "api/v1/events/timeline/counts", SYN_OP_TIMELINE_COUNTS, TIMELINE_FILTERS ",bounds,split", NULL,
    SYN_BODY_NONE, 200, VIEWER, .project = 1,
    .summary = "The timeline's events counted per period, split by type or discipline" },
  { "GET", "api/v1/events/timeline.csv", SYN_OP_EXPORT, TIMELINE_FILTERS, NULL, SYN_BODY_NONE, 200, VIEWER,
    .fixed = "kind=timeline,format=csv", .project = 1,
    .summary = "The timeline as a CSV file", .answer = "csv" },
  { "GET", "api/v1/events/timeline.json", SYN_OP_EXPORT, TIMELINE_FILTERS, NULL, SYN_BODY_NONE, 200, VIEWER,
    .fixed = "kind=timeline,format=json", .project = 1,
    .summary = "The timeline as a JSON file", .answer = "json" },
  { "GET", "api/v1/events/assets/{asset_id}/history", SYN_OP_ASSET_HISTORY, "project_id", NULL, SYN_BODY_NONE, 200,
    VIEWER, .project = 1,
    .summary = "An asset's events", .answer = "history:Event[]" },
  { "GET", "api/v1/events/cables/{cable_id}/history", SYN_OP_CABLE_HISTORY, "project_id", NULL, SYN_BODY_NONE, 200,
    VIEWER, .project = 1,
    .summary = "A cable's events", .answer = "history:Event[]" },
  { "GET", "api/v1/events/tags/{tag}", SYN_OP_FIND_TAG, "project_id,kind", NULL, SYN_BODY_NONE, 200, VIEWER,
    .project = 1,
    .summary = "The entities that ever had a tag" },
  { NULL }
};

const SynApiRoute syn_api_ws_routes[] = {
  { "GET", "ws/execution/{execution_id}", SYN_OP_WATCH_EXECUTION, "", NULL, SYN_BODY_NONE, 101, VIEWER,
    .websocket = 1,
    .summary = "WebSocket: a rule run's live messages" },
  { "GET", "ws/projects/{project_id}/events", SYN_OP_WATCH_PROJECT, "after", NULL, SYN_BODY_NONE, 101, VIEWER,
    .project = 1, .websocket = 1,
    .summary = "WebSocket: a project's events, then the new ones" },
  { NULL }
};


/* Every parameter by name: its type in a query is the text of that type
 * ("list": comma-separated in a query, an array of strings in a body). */
const SynApiParam syn_api_params[] = {
  { "project_id", "string", "A project's id, or its name" },
  { "asset_id", "uuid", "An asset's id" },
  { "cable_id", "uuid", "A cable's id" },
  { "execution_id", "uuid", "A rule run's id" },
  { "rule_id", "string", "A rule's id" },
  { "correlation_id", "string", "A batch's id, or 8 or more hex digits of its start or end" },
  { "tag", "string", "An asset or cable tag (a filter: a pattern with * and ?)" },
  { "username", "string", "A user's name" },
  { "password", "string", "A password" },
  { "role", "string", "viewer, engineer or admin" },
  { "display_name", "string", "A user's full name" },
  { "disabled", "boolean", "Disabled users cannot sign in; their sessions end" },
  { "name", "string", "A name" },
  { "description", "string", "A description" },
  { "country", "string", "An ISO 3166 country code (the sizing tables' country)" },
  { "page", "integer", "The page, from 1" },
  { "limit", "integer", "Rows per page" },
  { "after", "integer", "Only events past this position (the live feed's resume point)" },
  { "before", "integer", "Only events before this position (keyset paging)" },
  { "discipline", "string", "An engineering discipline" },
  { "event_types", "list", "Event types (comma-separated in a query)" },
  { "from_date", "string", "From this date (ISO 8601)" },
  { "to_date", "string", "Up to this date (ISO 8601)" },
  { "include_rolled_back", "boolean", "Rolled-back events too" },
  { "include_archived", "boolean", "Archived projects too (administrators)" },
  { "type", "string", "An asset type" },
  { "area", "string", "A plant area" },
  { "where", "string", "A property filter: name=value, name>value, ..." },
  { "sort", "string", "The column to sort by (-name: descending)" },
  { "q", "string", "Free text searched in tags and descriptions" },
  { "properties", "list", "Property names (a query: the columns of an export)" },
  { "expect", "string", "The head hash the chain must end with" },
  { "as_of", "string", "A moment: a position, a batch id or an ISO 8601 time" },
  { "from", "string", "A moment: a position, a batch id or an ISO 8601 time" },
  { "to", "string", "A moment: a position, a batch id or an ISO 8601 time" },
  { "format", "string", "json or csv" },
  { "kind", "string", "asset or cable" },
  { "strict", "boolean", "Refuse the whole file on the first bad row" },
  { "mode", "string", "An import's mode (upsert, create, update) or a run's (full, incremental)" },
  { "dry_run", "boolean", "Say what would change, write nothing" },
  { "delete_missing", "boolean", "Delete the assets the file does not name" },
  { "asset_ids", "list", "Asset ids" },
  { "cable_ids", "list", "Cable ids" },
  { "fields", "list", "Field names" },
  { "rules", "list", "Rule ids" },
  { "all", "boolean", "Everything" },
  { "filters", "object", "Which assets a run covers" },
  { "cascade", "boolean", "Roll back the later batches that depend on this one too" },
  { "clone_id", "uuid", "A clone's id (offline work)" },
  { "local_batch_id", "string", "A clone's batch id, before it was pushed" },
  { "op", "string", "A backend operation's name" },
  { "params", "object", "An operation's parameters" },
  { "basis", "object", "What an offline edit was made on: the values before it" },
  { "force", "boolean", "Apply over a conflict (keep mine)" },
  { "bounds", "string", "The periods' bounds, comma-separated dates (DATE,DATE,...)" },
  { "split", "string", "none, event_type or discipline: what each period's counts are split by" },
  { NULL }
};

/* ------------------------------------------------------------------------- */
/* Names                                                                     */

/* Whether the comma-separated @list holds @name ("a=1" entries by their name). */
static gboolean
list_contains (const char *list, const char *name)
{
  gsize len = strlen (name);
  const char *p = list;

  while (p != NULL && *p != '\0')
    {
      const char *end = strchr (p, ',');
      gsize n = end ? (gsize) (end - p) : strlen (p);
      const char *equals = memchr (p, '=', n);

      if (equals != NULL)
        n = (gsize) (equals - p);
      if (n == len && strncmp (p, name, len) == 0)
        return TRUE;
      p = end ? end + 1 : NULL;
    }
  return FALSE;
}

gboolean
syn_api_route_takes_query (const SynApiRoute *route, const char *name)
{
  g_return_val_if_fail (route != NULL, FALSE);

  return list_contains (route->query, name);
}

/* A member of a JSON body: any when the operation checks its own. */
gboolean
syn_api_route_takes_member (const SynApiRoute *route, const char *name)
{
  g_return_val_if_fail (route != NULL, FALSE);

  return route->members == NULL || list_contains (route->members, name);
}

const SynApiParam *
syn_api_param_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (const SynApiParam *p = syn_api_params; p->name != NULL; p++)
    if (g_str_equal (p->name, name))
      return p;
  return NULL;
}

GStrv
syn_api_route_path_names (const char *pattern)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] == '{')
      {
        g_autofree char *name = g_strndup (parts[i] + 1, strlen (parts[i]) - 2);

        g_strv_builder_add (names, name);
      }
  return g_strv_builder_end (names);
}

static gboolean
takes_param (const SynApiRoute *route, const char *name)
{
  g_auto(GStrv) path = syn_api_route_path_names (route->pattern);

  if (g_strv_contains ((const char * const *) path, name) || list_contains (route->query, name) ||
      list_contains (route->fixed, name) || list_contains (route->implied, name))
    return TRUE;
  switch (route->body)
    {
    case SYN_BODY_JSON:
      return syn_api_route_takes_member (route, name);
    case SYN_BODY_CSV:
      return g_str_equal (name, "csv");
    case SYN_BODY_RULE:
      return g_str_equal (name, "rule");
    case SYN_BODY_NONE:
    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------------------- */
/* Server side                                                               */

/* Matches "a/{x}/b" against the decoded segments; fills @out (when given)
 * with the variables. */
static gboolean
match_pattern (const char *pattern, char **segments, JsonObject *out)
{
  const char *p = pattern;
  guint i = 0;

  while (*p != '\0')
    {
      const char *end = strchr (p, '/');
      gsize len = end ? (gsize) (end - p) : strlen (p);

      if (segments[i] == NULL)
        return FALSE;
      if (p[0] == '{')
        {
          g_autofree char *name = g_strndup (p + 1, len - 2);

          if (out != NULL)
            json_object_set_string_member (out, name, segments[i]);
        }
      else if (strlen (segments[i]) != len || strncmp (segments[i], p, len) != 0)
        return FALSE;
      i++;
      p = end ? end + 1 : p + len;
    }
  return segments[i] == NULL;
}

const SynApiRoute *
syn_api_route_match (const SynApiRoute *table, const char *method, char **segments, gboolean *path_known)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (segments != NULL, NULL);

  *path_known = FALSE;
  for (const SynApiRoute *r = table; r->pattern != NULL; r++)
    if (match_pattern (r->pattern, segments, NULL))
      {
        *path_known = TRUE;
        if (g_str_equal (r->method, method))
          return r;
      }
  return NULL;
}

void
syn_api_route_take_path (const SynApiRoute *route, char **segments, JsonObject *params)
{
  g_return_if_fail (route != NULL);

  match_pattern (route->pattern, segments, params);
}

void
syn_api_route_take_fixed (const SynApiRoute *route, JsonObject *params)
{
  g_auto(GStrv) pairs = NULL;

  g_return_if_fail (route != NULL);

  pairs = g_strsplit (route->fixed ? route->fixed : "", ",", -1);
  for (guint i = 0; pairs[i]; i++)
    {
      g_auto(GStrv) fixed = g_strsplit (pairs[i], "=", 2);

      if (fixed[0] != NULL && fixed[1] != NULL)
        json_object_set_string_member (params, fixed[0], fixed[1]);
    }
}

static gboolean
is_uuid_param (const char *name)
{
  return g_str_equal (name, "asset_id") || g_str_equal (name, "cable_id") || g_str_equal (name, "execution_id") ||
         g_str_equal (name, "correlation_id") || g_str_equal (name, "event_id");
}

/* A correlation id may be given short: 8 or more hex digits of its start
 * or end (syn-batch-id.h), which the operation resolves. */
static gboolean
is_valid_id (const char *name, const char *text)
{
  if (g_str_equal (name, "correlation_id"))
    return syn_batch_id_is_valid (text);
  return syn_uuid_is_valid (text);
}

gboolean
syn_api_route_check_ids (const SynApiRoute *route, JsonObject *params, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (route != NULL, FALSE);

  if (params == NULL)
    return TRUE;
  json_object_iter_init (&iter, params);
  while (json_object_iter_next (&iter, &name, &node))
    if (is_uuid_param (name) && JSON_NODE_HOLDS_VALUE (node) &&
        json_node_get_value_type (node) == G_TYPE_STRING &&
        !is_valid_id (name, json_node_get_string (node)) &&
        /* the rollback body keeps the specification's own message */
        !(g_str_equal (name, "correlation_id") && route->body == SYN_BODY_JSON))
      {
        if (g_str_equal (name, "correlation_id"))
          {
            syn_batch_id_check (json_node_get_string (node), error);
            syn_backend_error_from_other (error);
            g_prefix_error (error, "%s: ", name);
          }
        else
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                       "%s: \"%s\" is not a UUID", name, json_node_get_string (node));
        return FALSE;
      }
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Client side                                                               */

/* Whether @params has every parameter @route's path needs, and its fixed
 * ones with their values. */
static gboolean
route_fits (const SynApiRoute *route, JsonObject *params)
{
  g_auto(GStrv) path = syn_api_route_path_names (route->pattern);

  for (guint i = 0; path[i]; i++)
    {
      JsonNode *node = params ? json_object_get_member (params, path[i]) : NULL;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        return FALSE;
    }
  if (route->fixed != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (route->fixed, ",", -1);

      for (guint i = 0; pairs[i]; i++)
        {
          g_auto(GStrv) fixed = g_strsplit (pairs[i], "=", 2);
          JsonNode *node = params ? json_object_get_member (params, fixed[0]) : NULL;
          g_autofree char *text = NULL;

          if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
            return FALSE;
          text = json_node_get_value_type (node) == G_TYPE_BOOLEAN
                 ? g_strdup (json_node_get_boolean (node) ? "true" : "false")
                 : g_strdup (json_node_get_string (node));
          if (g_strcmp0 (text, fixed[1]) != 0)
            return FALSE;
        }
    }
  return TRUE;
}

const SynApiRoute *
syn_api_route_for_op (const char *op, JsonObject *params)
{
  const SynApiRoute *tables[] = { syn_api_routes, syn_api_ws_routes };

  g_return_val_if_fail (op != NULL, NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const SynApiRoute *r = tables[t]; r->pattern != NULL; r++)
      if ((g_strcmp0 (r->op, op) == 0 || g_strcmp0 (r->alias, op) == 0) && route_fits (r, params))
        return r;
  return NULL;
}

static gboolean
unknown_field (const SynApiRoute *route, const char *name, GError **error)
{
  g_auto(GStrv) members = g_strsplit (route->members ? route->members : "", ",", -1);
  g_autofree char *known = g_strjoinv (", ", members);

  if (route->members != NULL)
    g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: unknown field (known: %s)", name, known);
  else
    g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: unknown field", name);
  return FALSE;
}

/* A JSON body as a client sent it: the transport's own names ("_user_id")
 * are the server's to set, never the client's. */
gboolean
syn_api_route_check_members (const SynApiRoute *route, JsonObject *body, GError **error)
{
  JsonObjectIter iter;
  const char *name;

  g_return_val_if_fail (route != NULL, FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, NULL))
    if (name[0] == '_' || !syn_api_route_takes_member (route, name))
      return unknown_field (route, name, error);
  return TRUE;
}

gboolean
syn_api_route_check_params (const SynApiRoute *route, JsonObject *params, GError **error)
{
  JsonObjectIter iter;
  const char *name;

  g_return_val_if_fail (route != NULL, FALSE);

  if (params == NULL)
    return TRUE;
  json_object_iter_init (&iter, params);
  while (json_object_iter_next (&iter, &name, NULL))
    /* "_user_id" and its kind are the transport's own */
    if (name[0] != '_' && !takes_param (route, name))
      {
        if (route->body == SYN_BODY_JSON)
          return unknown_field (route, name, error);
        g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: unknown parameter", name);
        return FALSE;
      }
  return TRUE;
}

/* A parameter as query text: strings as they are, numbers and booleans
 * written out, lists comma-separated (the timeline's event_types). */
static char *
param_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) out = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = param_text (json_array_get_element (array, i));

          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, item);
        }
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

void
syn_api_request_free (SynApiRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->body);
  g_free (request);
}

/* "/api/v1/projects/{project_id}/assets" with the parameters put in,
 * escaped; the ones used are removed from @rest. */
static char *
expand_path (const char *pattern, JsonObject *rest, GError **error)
{
  g_autoptr(GString) out = g_string_new ("/");
  const char *p = pattern;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_autofree char *escaped = NULL;
      JsonNode *node;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }
      close = strchr (open, '}');
      g_string_append_len (out, p, open - p);
      name = g_strndup (open + 1, close - open - 1);
      node = json_object_get_member (rest, name);
      if (node == NULL || !(value = param_text (node)) || *value == '\0')
        {
          g_set_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "%s: required", name);
          return NULL;
        }
      escaped = g_uri_escape_string (value, NULL, FALSE);
      g_string_append (out, escaped);
      json_object_remove_member (rest, name);
      p = close + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Moves the parameters @takes() says are the query's from @rest to @query. */
static void
take_query (const SynApiRoute *route, JsonObject *rest, GString *query, gboolean all)
{
  g_autoptr(GList) members = json_object_get_members (rest);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *text = NULL;

      if (!all && !list_contains (route->query, name))
        continue;
      text = param_text (json_object_get_member (rest, name));
      if (text != NULL)
        {
          g_autofree char *k = g_uri_escape_string (name, NULL, FALSE);
          g_autofree char *v = g_uri_escape_string (text, NULL, FALSE);

          g_string_append_printf (query, "%s%s=%s", query->len ? "&" : "", k, v);
        }
      json_object_remove_member (rest, name);
    }
}

/**
 * syn_api_request_new:
 * @route: a route of the table
 * @params: the call's parameters: path, query and body each take theirs
 *
 * Returns: (transfer full): the request, or %NULL when @params lack a path
 *   parameter or hold one the route does not take
 */
SynApiRequest *
syn_api_request_new (const SynApiRoute *route, JsonObject *params, GError **error)
{
  g_autoptr(SynApiRequest) r = g_new0 (SynApiRequest, 1);
  g_autoptr(JsonObject) rest = json_object_new ();
  g_autoptr(GString) query = g_string_new (NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (route != NULL, NULL);

  if (!syn_api_route_check_params (route, params, error) || !syn_api_route_check_ids (route, params, error))
    return NULL;
  /* the transport's own ("_user_id"), the fixed and implied ones stay out */
  if (params != NULL)
    {
      json_object_iter_init (&iter, params);
      while (json_object_iter_next (&iter, &name, &node))
        if (name[0] != '_' && !list_contains (route->fixed, name) && !list_contains (route->implied, name))
          json_object_set_member (rest, name, json_node_ref (node));
    }

  r->route = route;
  r->method = g_strdup (route->method);
  if (!(r->path = expand_path (route->pattern, rest, error)))
    return NULL;
  switch (route->body)
    {
    case SYN_BODY_NONE:
      take_query (route, rest, query, TRUE);
      break;
    case SYN_BODY_RULE:
      node = json_object_get_member (rest, "rule");
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "rule: must be a rule object");
          return NULL;
        }
      r->body = syn_json_to_string (node);
      r->content_type = "application/json";
      json_object_remove_member (rest, "rule");
      take_query (route, rest, query, TRUE);
      break;
    case SYN_BODY_CSV:
      node = json_object_get_member (rest, "csv");
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error_literal (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "csv: required");
          return NULL;
        }
      r->body = g_strdup (json_node_get_string (node));
      r->content_type = "text/csv";
      json_object_remove_member (rest, "csv");
      take_query (route, rest, query, TRUE);
      break;
    case SYN_BODY_JSON:
    default:
      take_query (route, rest, query, FALSE);
      r->body = syn_json_object_to_string (rest);
      r->content_type = "application/json";
      break;
    }
  r->query = query->len > 0 ? g_strdup (query->str) : NULL;
  return g_steal_pointer (&r);
}

JsonNode *
syn_api_route_empty_answer (const SynApiRoute *route, JsonObject *params, const char *correlation_id)
{
  g_auto(GStrv) path = NULL;
  JsonObject *o = json_object_new ();
  guint n;

  g_return_val_if_fail (route != NULL, NULL);

  json_object_set_boolean_member (o, route->empty ? route->empty : "deleted", TRUE);
  path = syn_api_route_path_names (route->pattern);
  n = g_strv_length (path);
  /* the last path parameter is what went: project_id is only where */
  if (n > 0 && params != NULL && !g_str_equal (path[n - 1], "project_id"))
    syn_json_set_string_or_null (o, path[n - 1], syn_json_get_string (params, path[n - 1]));
  if (correlation_id != NULL)
    json_object_set_string_member (o, "correlation_id", correlation_id);
  return syn_json_node_new_object (o);
}

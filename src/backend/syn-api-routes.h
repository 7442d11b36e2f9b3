/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-api-routes.h: the REST and WebSocket routes of DESIGN.md section 7, one table that the server
 * dispatches from, the remote backend builds requests from, and the tests iterate. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a route's body holds, and under which parameter names. */
typedef enum {
  SYN_BODY_NONE,      /* a body is refused */
  SYN_BODY_JSON,      /* a JSON object: its members are parameters */
  SYN_BODY_CSV,       /* text, as the parameter "csv" */
  SYN_BODY_RULE,      /* a rule object, as the parameter "rule" */
} SynApiBody;

/* The least role a route needs (viewer < engineer < admin). */
typedef enum {
  SYN_API_ROLE_NONE,      /* no token needed */
  SYN_API_ROLE_VIEWER,
  SYN_API_ROLE_ENGINEER,
  SYN_API_ROLE_ADMIN,
} SynApiRole;

/* Pseudo-operations of the routes that are not a plain call. */
#define SYN_OP_EXECUTE          "execute"          /* POST /api/v1/rules/execute: SynBackend.execute_async */
#define SYN_OP_WATCH_EXECUTION  "watch_execution"  /* the live messages of a run */
#define SYN_OP_WATCH_PROJECT    "watch_project"    /* a project's events, then the new ones */

typedef struct
{
  const char *method;
  const char *pattern;    /* "api/v1/projects/{project_id}/assets": path parameters in braces */
  const char *op;         /* the SynBackend operation; NULL: the server answers itself */
  const char *query;      /* the query parameters it takes, comma-separated */
  const char *members;    /* a JSON body's members, comma-separated; NULL: the operation checks them */
  SynApiBody  body;
  guint       status;     /* on success */
  SynApiRole  min_role;
  const char *fixed;      /* "name=value,...": parameters the path stands for (the library's rules, an export's kind) */
  const char *implied;    /* parameters the transport itself carries (the session's token) */
  const char *empty;      /* a 204's answer: {EMPTY: true, LAST PATH PARAMETER: its value} */
  const char *alias;      /* another operation a client calls by this route */
  /* What the OpenAPI description says of it (syn-api-openapi.c) */
  const char *summary;
  const char *answer;     /* the success body: "Asset", "Asset[]", "assets:Asset[]" (a page), "csv", "json"
                           * (a file), NULL (an object the operation's comment in syn-backend.h describes) */
  const char *request;    /* a JSON body the operation checks itself: the schema it follows ("Asset") */
  const char *errors;     /* answers it may give beyond what its flags imply: "409,423" */
  guint       project : 1;    /* project-scoped: project_id (path, query or body) is checked for access */
  guint       writes : 1;     /* changes the project's events */
  guint       websocket : 1;
} SynApiRoute;

/* A parameter of any route, by name: one vocabulary for the whole API. */
typedef struct
{
  const char *name;
  const char *type;         /* "string", "integer", "boolean", "number", "array", "object", "uuid" */
  const char *description;
} SynApiParam;

/* Both NULL-terminated (pattern NULL). Both need a token (header, or
 * ?token= for the WebSockets) unless min_role says none. */
extern const SynApiRoute syn_api_routes[];
extern const SynApiRoute syn_api_ws_routes[];
/* NULL-terminated (name NULL): every name a route's path, query or JSON body takes. */
extern const SynApiParam  syn_api_params[];

const SynApiParam *syn_api_param_lookup     (const char *name);
/* The path parameters of @pattern, in order. */
GStrv              syn_api_route_path_names (const char *pattern);

/* A request for @route, as a client sends it: built from the parameters of
 * a SynBackend call (path, query and body each take theirs). */
typedef struct
{
  const SynApiRoute *route;
  char              *method;
  char              *path;        /* "/api/v1/...", path parameters escaped */
  char              *query;       /* "a=1&b=x" escaped, or NULL */
  char              *body;        /* JSON text, CSV text, or NULL */
  const char        *content_type;
} SynApiRequest;

void               syn_api_request_free     (SynApiRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynApiRequest, syn_api_request_free)

/* Server side: the route of @method on the decoded path @segments
 * ("api", "v1", ...); %NULL with @path_known set when only the method is wrong. */
const SynApiRoute *syn_api_route_match      (const SynApiRoute  *table,
                                             const char         *method,
                                             char              **segments,
                                             gboolean           *path_known);
/* The path parameters of @segments (which match @route) into @params. */
void               syn_api_route_take_path  (const SynApiRoute  *route,
                                             char              **segments,
                                             JsonObject         *params);
/* The parameters @route->fixed stands for, into @params (as strings). */
void               syn_api_route_take_fixed (const SynApiRoute  *route,
                                             JsonObject         *params);
gboolean           syn_api_route_takes_query  (const SynApiRoute *route,
                                               const char        *name);
gboolean           syn_api_route_takes_member (const SynApiRoute *route,
                                               const char        *name);
/* The members of a route's JSON body are ones it takes. */
gboolean           syn_api_route_check_members (const SynApiRoute *route,
                                                JsonObject        *body,
                                                GError           **error);
/* The ids among @params that must be UUIDs (400 otherwise). */
gboolean           syn_api_route_check_ids  (const SynApiRoute  *route,
                                             JsonObject         *params,
                                             GError            **error);

/* Client side: the route a call of @op with @params goes by (the first of
 * the operation's routes whose path parameters and fixed ones it gives), or
 * %NULL when no route takes the operation. */
const SynApiRoute *syn_api_route_for_op     (const char         *op,
                                             JsonObject         *params);
/* Every parameter of @params is one the route takes. */
gboolean           syn_api_route_check_params (const SynApiRoute *route,
                                               JsonObject        *params,
                                               GError           **error);
SynApiRequest     *syn_api_request_new      (const SynApiRoute  *route,
                                             JsonObject         *params,
                                             GError            **error);
/* The answer of a 204 (DELETE, logout), as the local backend answers it. */
JsonNode          *syn_api_route_empty_answer (const SynApiRoute *route,
                                               JsonObject        *params,
                                               const char        *correlation_id);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-api-openapi.c: the OpenAPI 3.1 document of GET /api/v1/openapi.json, written from the route table
 * (syn-api-routes.c), its parameter vocabulary and the domain types' field tables: nothing is listed twice. */
#include "config.h"

#include <string.h>

#include "backend/syn-backend.h"
#include "core/syn-fields.h"
#include "core/syn-json.h"
#include "syn-api-openapi.h"
#include "syn-api-routes.h"

/* ------------------------------------------------------------------------- */
/* Schemas                                                                   */

static JsonObject *
ref (const char *name)
{
  JsonObject *o = json_object_new ();
  g_autofree char *target = g_strdup_printf ("#/components/schemas/%s", name);

  json_object_set_string_member (o, "$ref", target);
  return o;
}

static JsonObject *
typed (const char *type)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "type", type);
  return o;
}

static JsonObject *
array_of (JsonObject *items)
{
  JsonObject *o = typed ("array");

  json_object_set_object_member (o, "items", items);
  return o;
}

/* A parameter's schema by its vocabulary type; @in_query: a list is text. */
static JsonObject *
param_schema (const char *name, gboolean in_query)
{
  const SynApiParam *param = syn_api_param_lookup (name);
  const char *type = param ? param->type : "string";
  JsonObject *o;

  if (g_str_equal (type, "uuid"))
    {
      o = typed ("string");
      json_object_set_string_member (o, "format", "uuid");
    }
  else if (g_str_equal (type, "list"))
    o = in_query ? typed ("string") : array_of (typed ("string"));
  else
    o = typed (type);
  if (param != NULL && param->description != NULL)
    json_object_set_string_member (o, "description", param->description);
  return o;
}

/* {"assets": [Asset], "total", "page", "pages"}: the pages of the lists. */
static JsonObject *
page_schema (const char *member, const char *item)
{
  JsonObject *o = typed ("object");
  JsonObject *properties = json_object_new ();
  JsonArray *required = json_array_new ();

  json_object_set_object_member (properties, member, array_of (ref (item)));
  json_object_set_object_member (properties, "total", typed ("integer"));
  json_object_set_object_member (properties, "page", typed ("integer"));
  json_object_set_object_member (properties, "pages", typed ("integer"));
  json_array_add_string_element (required, member);
  json_object_set_object_member (o, "properties", properties);
  json_object_set_array_member (o, "required", required);
  return o;
}

/* The answer of a route as media types, per route->answer. */
static JsonObject *
answer_content (const SynApiRoute *route)
{
  JsonObject *content = json_object_new ();
  JsonObject *media = json_object_new ();
  const char *answer = route->answer;
  const char *colon;

  if (answer == NULL)
    {
      JsonObject *o = typed ("object");
      g_autofree char *description = g_strdup_printf ("As the %s operation answers it", route->op ? route->op : "route");

      json_object_set_string_member (o, "description", description);
      json_object_set_object_member (media, "schema", o);
      json_object_set_object_member (content, "application/json", media);
    }
  else if (g_str_equal (answer, "csv"))
    {
      json_object_set_object_member (media, "schema", typed ("string"));
      json_object_set_object_member (content, "text/csv", media);
    }
  else if (g_str_equal (answer, "metrics"))
    {
      json_object_set_object_member (media, "schema", typed ("string"));
      json_object_set_object_member (content, "text/plain", media);
    }
  else if (g_str_equal (answer, "json"))
    {
      json_object_set_object_member (media, "schema", json_object_new ());
      json_object_set_object_member (content, "application/json", media);
    }
  else if ((colon = strchr (answer, ':')) != NULL)
    {
      g_autofree char *member = g_strndup (answer, colon - answer);
      g_autofree char *item = g_strndup (colon + 1, strlen (colon + 1) - 2);   /* "Asset[]" -> "Asset" */

      json_object_set_object_member (media, "schema", page_schema (member, item));
      json_object_set_object_member (content, "application/json", media);
    }
  else if (g_str_has_suffix (answer, "[]"))
    {
      g_autofree char *item = g_strndup (answer, strlen (answer) - 2);

      json_object_set_object_member (media, "schema", array_of (ref (item)));
      json_object_set_object_member (content, "application/json", media);
    }
  else
    {
      json_object_set_object_member (media, "schema", ref (answer));
      json_object_set_object_member (content, "application/json", media);
    }
  return content;
}

static JsonObject *
error_schema (void)
{
  JsonObject *error = typed ("object");
  JsonObject *properties = json_object_new ();
  JsonArray *required = json_array_new ();
  JsonObject *outer = typed ("object");
  JsonObject *outer_properties = json_object_new ();
  JsonArray *outer_required = json_array_new ();
  JsonObject *code = typed ("string");

  json_object_set_string_member (code, "description", "invalid, unauthorized, forbidden, not_found, conflict, ...");
  json_object_set_object_member (properties, "code", code);
  json_object_set_object_member (properties, "message", typed ("string"));
  json_array_add_string_element (required, "code");
  json_array_add_string_element (required, "message");
  json_object_set_object_member (error, "properties", properties);
  json_object_set_array_member (error, "required", required);
  /* the details of some errors (the batches that block a rollback) join them */
  json_object_set_boolean_member (error, "additionalProperties", TRUE);
  json_object_set_object_member (outer_properties, "error", error);
  json_array_add_string_element (outer_required, "error");
  json_object_set_object_member (outer, "properties", outer_properties);
  json_object_set_array_member (outer, "required", outer_required);
  return outer;
}

static JsonObject *
object_of (const char * const *names, const char * const *types)
{
  JsonObject *o = typed ("object");
  JsonObject *properties = json_object_new ();

  for (guint i = 0; names[i] != NULL; i++)
    json_object_set_object_member (properties, names[i], typed (types[i]));
  json_object_set_object_member (o, "properties", properties);
  return o;
}

static JsonObject *
health_schema (void)
{
  static const char * const names[] = { "status", "ready", "version", "database", "checks", "integrity", NULL };
  static const char * const types[] = { "string", "boolean", "string", "string", "object", "object" };

  return object_of (names, types);
}

static JsonObject *
session_schema (void)
{
  JsonObject *o = object_of ((const char * const[]) { "token", "expires_at", NULL },
                             (const char * const[]) { "string", "string" });
  JsonObject *properties = json_object_get_object_member (o, "properties");

  json_object_set_object_member (properties, "user", ref ("User"));
  return o;
}

/* The live messages (DESIGN.md 7.2): their "type" and the object as sent. */
static JsonObject *
live_message_schema (const char * const *types)
{
  JsonObject *o = typed ("object");
  JsonObject *properties = json_object_new ();
  JsonObject *type = typed ("string");
  JsonArray *values = json_array_new ();
  JsonArray *required = json_array_new ();

  for (guint i = 0; types[i] != NULL; i++)
    json_array_add_string_element (values, types[i]);
  json_object_set_array_member (type, "enum", values);
  json_object_set_object_member (properties, "type", type);
  json_array_add_string_element (required, "type");
  json_object_set_object_member (o, "properties", properties);
  json_object_set_array_member (o, "required", required);
  return o;
}

static JsonObject *
components (void)
{
  static const struct
  {
    const char *name;
    const SynField *(*fields) (void);
  } types[] = {
    /* the types answers carry (an unused schema is a lint warning) */
    { "Asset", syn_asset_fields }, { "Cable", syn_cable_fields }, { "Event", syn_event_fields },
    { "Execution", syn_execution_fields }, { "Project", syn_project_fields }, { "Rule", syn_rule_fields },
    { "User", syn_user_fields },
  };
  JsonObject *c = json_object_new ();
  JsonObject *schemas = json_object_new ();
  JsonObject *security = json_object_new ();
  JsonObject *bearer = typed ("http");

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    json_object_set_object_member (schemas, types[i].name, syn_fields_schema (types[i].fields ()));
  json_object_set_object_member (schemas, "Error", error_schema ());
  json_object_set_object_member (schemas, "Health", health_schema ());
  json_object_set_object_member (schemas, "Session", session_schema ());
  json_object_set_object_member (c, "schemas", schemas);

  json_object_set_string_member (bearer, "scheme", "bearer");
  json_object_set_string_member (bearer, "description",
                                 "The token of POST /api/v1/auth/login; WebSockets may give it as ?token=");
  json_object_set_object_member (security, "bearer", bearer);
  json_object_set_object_member (c, "securitySchemes", security);
  return c;
}

/* ------------------------------------------------------------------------- */
/* Operations                                                                */

static JsonObject *
parameter (const char *name, const char *in, gboolean required)
{
  JsonObject *p = json_object_new ();
  const SynApiParam *param = syn_api_param_lookup (name);

  json_object_set_string_member (p, "name", name);
  json_object_set_string_member (p, "in", in);
  json_object_set_boolean_member (p, "required", required);
  if (param != NULL && param->description != NULL)
    json_object_set_string_member (p, "description", param->description);
  json_object_set_object_member (p, "schema", param_schema (name, TRUE));
  return p;
}

static JsonArray *
parameters (const SynApiRoute *route)
{
  JsonArray *out = json_array_new ();
  g_auto(GStrv) path = syn_api_route_path_names (route->pattern);
  g_auto(GStrv) query = g_strsplit (route->query ? route->query : "", ",", -1);

  for (guint i = 0; path[i]; i++)
    json_array_add_object_element (out, parameter (path[i], "path", TRUE));
  for (guint i = 0; query[i]; i++)
    {
      /* a project route that names its project in the query needs it there,
       * unless its JSON body may carry it instead */
      gboolean required = route->project && route->body != SYN_BODY_JSON && g_str_equal (query[i], "project_id");

      if (query[i][0] != '\0' && !g_strv_contains ((const char * const *) path, query[i]))
        json_array_add_object_element (out, parameter (query[i], "query", required));
    }
  if (route->websocket)
    {
      JsonObject *token = parameter ("token", "query", FALSE);

      json_object_set_string_member (token, "description",
                                     "The session token, for clients that cannot set the Authorization header");
      json_object_set_object_member (token, "schema", typed ("string"));
      json_array_add_object_element (out, token);
    }
  return out;
}

static JsonObject *
request_body (const SynApiRoute *route)
{
  JsonObject *body = json_object_new ();
  JsonObject *content = json_object_new ();
  JsonObject *media = json_object_new ();
  const char *type = "application/json";

  switch (route->body)
    {
    case SYN_BODY_CSV:
      type = "text/csv";
      json_object_set_object_member (media, "schema", typed ("string"));
      break;
    case SYN_BODY_RULE:
      json_object_set_object_member (media, "schema", ref ("Rule"));
      break;
    case SYN_BODY_JSON:
    case SYN_BODY_NONE:
    default:
      if (route->members != NULL)
        {
          JsonObject *o = typed ("object");
          JsonObject *properties = json_object_new ();
          g_auto(GStrv) members = g_strsplit (route->members, ",", -1);

          for (guint i = 0; members[i]; i++)
            json_object_set_object_member (properties, members[i], param_schema (members[i], FALSE));
          json_object_set_object_member (o, "properties", properties);
          json_object_set_boolean_member (o, "additionalProperties", FALSE);
          json_object_set_object_member (media, "schema", o);
        }
      else if (route->request != NULL)
        json_object_set_object_member (media, "schema", ref (route->request));
      else
        json_object_set_object_member (media, "schema", typed ("object"));
      break;
    }
  json_object_set_object_member (content, type, media);
  json_object_set_object_member (body, "content", content);
  /* an empty JSON body means "no members", which some routes accept */
  json_object_set_boolean_member (body, "required", route->body != SYN_BODY_JSON);
  return body;
}

static const char *
status_text (guint status)
{
  switch (status)
    {
    case 101: return "Switching Protocols: the WebSocket is open";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "A parameter or the body is not valid; the message names it";
    case 401: return "No valid session token";
    case 403: return "The user's role is not enough";
    case 404: return "No such resource (or not one the user may see)";
    case 409: return "It conflicts with the current state";
    case 413: return "The body is too large";
    case 415: return "The body's Content-Type is not one the route takes";
    case 423: return "The project is busy (another run or import holds it)";
    case 429: return "Too many tries: wait as long as Retry-After says";
    case 503: return "Not available now: try again (Retry-After)";
    default:  return "Error";
    }
}

static void
add_error (JsonObject *responses, guint status)
{
  g_autofree char *key = g_strdup_printf ("%u", status);
  JsonObject *r = json_object_new ();
  JsonObject *content = json_object_new ();
  JsonObject *media = json_object_new ();

  if (json_object_has_member (responses, key))
    {
      json_object_unref (r);
      json_object_unref (content);
      json_object_unref (media);
      return;
    }
  json_object_set_string_member (r, "description", status_text (status));
  json_object_set_object_member (media, "schema", ref ("Error"));
  json_object_set_object_member (content, "application/json", media);
  json_object_set_object_member (r, "content", content);
  if (status == 503)
    {
      JsonObject *headers = json_object_new ();
      JsonObject *retry = json_object_new ();
      JsonObject *schema = json_object_new ();

      json_object_set_string_member (schema, "type", "integer");
      json_object_set_string_member (retry, "description", "Seconds to wait before trying again");
      json_object_set_object_member (retry, "schema", schema);
      json_object_set_object_member (headers, "Retry-After", retry);
      json_object_set_object_member (r, "headers", headers);
    }
  json_object_set_object_member (responses, key, r);
}

static JsonObject *
responses (const SynApiRoute *route)
{
  JsonObject *out = json_object_new ();
  JsonObject *ok = json_object_new ();
  g_autofree char *key = g_strdup_printf ("%u", route->status);
  g_auto(GStrv) path = syn_api_route_path_names (route->pattern);
  g_auto(GStrv) extra = g_strsplit (route->errors ? route->errors : "", ",", -1);

  json_object_set_string_member (ok, "description", status_text (route->status));
  if (route->status != 204 && route->status != 101)
    json_object_set_object_member (ok, "content", answer_content (route));
  json_object_set_object_member (out, key, ok);

  /* what the dispatch itself answers, from the route's flags */
  add_error (out, 400);
  if (route->min_role != SYN_API_ROLE_NONE)
    add_error (out, 401);
  if (route->min_role > SYN_API_ROLE_VIEWER)
    add_error (out, 403);
  if (path[0] != NULL || route->project)
    add_error (out, 404);
  if (route->body != SYN_BODY_NONE)
    {
      add_error (out, 413);
      add_error (out, 415);
    }
  for (guint i = 0; extra[i]; i++)
    if (extra[i][0] != '\0')
      add_error (out, (guint) g_ascii_strtoull (extra[i], NULL, 10));
  /* every operation needs the database: away (a failover), it answers 503 */
  if (route->op != NULL)
    add_error (out, 503);
  return out;
}

/* An operation id of its own: the operation's name when only this route
 * has it, else made from the method and the path. */
static char *
operation_id (const SynApiRoute *route)
{
  const SynApiRoute *tables[] = { syn_api_routes, syn_api_ws_routes };
  g_autoptr(GString) id = NULL;
  guint uses = 0;

  if (route->op != NULL)
    for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
      for (const SynApiRoute *r = tables[t]; r->pattern != NULL; r++)
        uses += g_strcmp0 (r->op, route->op) == 0;
  if (uses == 1)
    return g_strdup (route->op);
  id = g_string_new (NULL);
  g_string_append_printf (id, "%s", route->method);
  for (const char *p = route->pattern; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (id, g_ascii_tolower (*p));
    else if (id->str[id->len - 1] != '_')
      g_string_append_c (id, '_');
  g_string_ascii_down (id);
  while (id->len > 0 && id->str[id->len - 1] == '_')
    g_string_truncate (id, id->len - 1);
  return g_string_free (g_steal_pointer (&id), FALSE);
}

/* "api/v1/projects/{project_id}/assets.csv" -> "assets"; the group a reader looks for. */
static char *
tag_of (const SynApiRoute *route)
{
  g_auto(GStrv) parts = g_strsplit (route->pattern, "/", -1);
  const char *tag;
  guint n = g_strv_length (parts);

  if (route->websocket)
    return g_strdup ("websocket");
  if (n < 3)
    return g_strdup ("server");
  tag = parts[2];
  if (g_str_equal (tag, "projects") && n > 4 && parts[4][0] != '{')
    tag = parts[4];
  if (g_str_equal (tag, "health") || g_str_equal (tag, "ready") || g_str_equal (tag, "openapi.json"))
    tag = "server";
  if (g_str_equal (tag, "demo"))
    tag = "projects";
  return g_strndup (tag, strcspn (tag, "."));
}

static JsonObject *
websocket_extension (const SynApiRoute *route)
{
  static const char * const run_messages[] = { "STARTED", "RULE_START", "ACTION", "PROGRESS", "RULE_COMPLETE",
                                                "COMPLETED", "ERROR", NULL };
  static const char * const feed_messages[] = { "EVENT", NULL };
  JsonObject *x = json_object_new ();
  gboolean feed = route->project;
  JsonObject *messages = live_message_schema (feed ? feed_messages : run_messages);

  /* inline: lint tools do not follow references inside extensions */
  if (feed)
    json_object_set_object_member (json_object_get_object_member (messages, "properties"), "event",
                                   syn_fields_schema (syn_event_fields ()));
  json_object_set_string_member (x, "protocol", "RFC 6455, JSON text messages");
  json_object_set_object_member (x, "messages", messages);
  json_object_set_string_member (x, "client_messages", feed ? "ping" : "ping, cancel");
  json_object_set_string_member (x, "keepalive", "the server sends ping after 30 s of silence and answers ping with pong");
  json_object_set_string_member (x, "replay", feed ? "every event after ?after=POSITION, then the live ones"
                                                   : "every message of the run so far, in order, then the live ones");
  return x;
}

static JsonObject *
operation (const SynApiRoute *route, GHashTable *tags)
{
  JsonObject *o = json_object_new ();
  g_autofree char *id = operation_id (route);
  g_autofree char *tag = tag_of (route);
  JsonArray *tag_list = json_array_new ();
  JsonArray *params = parameters (route);
  static const char * const roles[] = { "anyone", "viewer", "engineer", "admin" };
  g_autofree char *description = g_strdup_printf ("Least role: %s.%s", roles[CLAMP (route->min_role, 0, 3)],
                                                  route->project ? " Project members only (admins: any project)." : "");

  json_array_add_string_element (tag_list, tag);
  g_hash_table_add (tags, g_steal_pointer (&tag));
  json_object_set_array_member (o, "tags", tag_list);
  json_object_set_string_member (o, "summary", route->summary ? route->summary : route->pattern);
  json_object_set_string_member (o, "description", description);
  json_object_set_string_member (o, "operationId", id);
  if (json_array_get_length (params) > 0)
    json_object_set_array_member (o, "parameters", params);
  else
    json_array_unref (params);
  if (route->body != SYN_BODY_NONE)
    json_object_set_object_member (o, "requestBody", request_body (route));
  json_object_set_object_member (o, "responses", responses (route));
  if (route->min_role == SYN_API_ROLE_NONE)
    json_object_set_array_member (o, "security", json_array_new ());
  if (route->websocket)
    json_object_set_object_member (o, "x-websocket", websocket_extension (route));
  return o;
}

static void
add_routes (JsonObject *paths, const SynApiRoute *table, GHashTable *tags)
{
  for (const SynApiRoute *r = table; r->pattern != NULL; r++)
    {
      g_autofree char *path = g_strdup_printf ("/%s", r->pattern);
      g_autofree char *method = g_ascii_strdown (r->method, -1);
      JsonObject *item = json_object_has_member (paths, path) ? json_object_get_object_member (paths, path) : NULL;

      if (item == NULL)
        {
          item = json_object_new ();
          json_object_set_object_member (paths, path, item);
        }
      json_object_set_object_member (item, method, operation (r, tags));
    }
}

JsonNode *
syn_api_openapi_document (void)
{
  JsonObject *doc = json_object_new ();
  JsonObject *info = json_object_new ();
  JsonObject *license = json_object_new ();
  JsonArray *servers = json_array_new ();
  JsonObject *server = json_object_new ();
  JsonArray *security = json_array_new ();
  JsonObject *bearer = json_object_new ();
  JsonObject *paths = json_object_new ();
  JsonArray *tag_list = json_array_new ();
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) names = NULL;

  json_object_set_string_member (doc, "openapi", "3.1.0");
  json_object_set_string_member (info, "title", "Synapse team server");
  json_object_set_string_member (info, "version", PACKAGE_VERSION);
  json_object_set_string_member (info, "description",
                                 "The REST and WebSocket API of `synapse serve`: an event-sourced rule engine for "
                                 "industrial engineering data. Generated from the server's route table. "
                                 "WebSocket messages: each WebSocket operation's x-websocket extension.");
  json_object_set_string_member (license, "name", "GPL-3.0-or-later");
  json_object_set_string_member (license, "identifier", "GPL-3.0-or-later");
  json_object_set_object_member (info, "license", license);
  json_object_set_object_member (doc, "info", info);
  json_object_set_string_member (server, "url", "/");
  json_object_set_string_member (server, "description", "The server that answers this document");
  json_array_add_object_element (servers, server);
  json_object_set_array_member (doc, "servers", servers);
  json_object_set_array_member (bearer, "bearer", json_array_new ());
  json_array_add_object_element (security, bearer);
  json_object_set_array_member (doc, "security", security);

  add_routes (paths, syn_api_routes, tags);
  add_routes (paths, syn_api_ws_routes, tags);
  json_object_set_object_member (doc, "paths", paths);

  names = g_list_sort (g_hash_table_get_keys (tags), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *t = json_object_new ();
      g_autofree char *description = g_strdup_printf ("The %s routes", (const char *) l->data);

      json_object_set_string_member (t, "name", l->data);
      json_object_set_string_member (t, "description", description);
      json_array_add_object_element (tag_list, t);
    }
  json_object_set_array_member (doc, "tags", tag_list);
  json_object_set_object_member (doc, "components", components ());
  return syn_json_node_new_object (doc);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-rest-body.c: request bodies of every REST route that takes one: the server's decoding, then the route's operation on a real database. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "fuzz-common.h"
#include "server/syn-server-private.h"

/* The routes with a body, in the order of syn_api_routes: the first
 * byte of an input picks one (modulo their number), the rest is the body.
 * Left out: POST /api/v1/demo (a whole project per input) and the PUT of a
 * rule (its handler only pins the id; POST takes the same body). */
static GPtrArray *routes;

static void
find_routes (void)
{
  routes = g_ptr_array_new ();
  for (const SynApiRoute *r = syn_api_routes; r->pattern != NULL; r++)
    if (r->body != SYN_BODY_NONE && !g_str_equal (r->method, "PUT") && !g_str_equal (r->op ? r->op : "", SYN_OP_CREATE_DEMO))
      g_ptr_array_add (routes, (gpointer) r);
  g_assert_cmpuint (routes->len, >=, 10);
}

/* What the server answers with 4xx: the client's fault, told. A 5xx on
 * input from outside is a bug. */
static void
check_outcome (const SynApiRoute *route, JsonNode *answer, GError *error)
{
  /* SYN_FUZZ_VERBOSE=1: what each input came to, for triage and seeds */
  if (g_getenv ("SYN_FUZZ_VERBOSE") != NULL)
    g_printerr ("%s %s: %s\n", route->method, route->pattern, answer ? "ok" : error->message);
  if (answer != NULL)
    {
      g_assert_null (error);
      return;
    }
  g_assert (error != NULL && error->message != NULL);
  if (syn_backend_error_to_http_status (error) >= 500)
    g_error ("%s %s: %d %s", route->method, route->pattern, syn_backend_error_to_http_status (error), error->message);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  SynFuzzWorld *world;
  const SynApiRoute *route;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  syn_fuzz_init_logging ();
  world = syn_fuzz_world ();
  if (routes == NULL)
    find_routes ();
  if (size == 0)
    return 0;
  route = g_ptr_array_index (routes, data[0] % routes->len);

  /* as handle_request: the body, then the path's variables */
  if (!_syn_server_parse_body (route, (const char *) data + 1, size - 1, params, &error))
    {
      g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
      return 0;
    }
  if (strstr (route->pattern, "{asset_id}") != NULL)
    json_object_set_string_member (params, "asset_id", world->asset_id);
  if (route->project)
    {
      /* the project the server authorized: the path's, or the body's own
       * (execute, rollback) when it names one */
      if (strstr (route->pattern, "{project_id}") == NULL)
        {
          const char *key = syn_json_get_string (params, "project_id");

          if (key == NULL || *key == '\0')
            return 0;
        }
      json_object_set_string_member (params, "project_id", world->project_id);
    }
  if (!syn_api_route_check_ids (route, params, NULL))
    return 0;
  json_object_set_string_member (params, "_user_id", world->user_id);

  if (g_str_equal (route->op, SYN_OP_EXECUTE))
    {
      /* POST /api/v1/rules/execute: the run itself, to its end */
      if (!syn_api_route_check_params (route, params, NULL))
        return 0;
      answer = syn_fuzz_execute (params, &error);
    }
  else
    answer = syn_backend_call_sync (SYN_BACKEND (world->backend), route->op, params, NULL, &error);
  check_outcome (route, answer, error);
  return 0;
}

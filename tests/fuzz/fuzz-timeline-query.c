/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-timeline-query.c: query strings of GET /api/v1/events/timeline and of a paged list, decoded and run as the server does. */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "fuzz-common.h"
#include "server/syn-server-private.h"

static const SynApiRoute *
route_for (const char *pattern)
{
  for (const SynApiRoute *r = syn_api_routes; r->pattern != NULL; r++)
    if (g_str_equal (r->method, "GET") && g_str_equal (r->pattern, pattern))
      return r;
  g_assert_not_reached ();
}

/* The query as SoupServer hands it over (soup_form_decode), through the
 * server's own checks, then the route's operation. */
static void
run_query (SynFuzzWorld *world, const SynApiRoute *route, const char *query_string)
{
  g_autoptr(GHashTable) query = soup_form_decode (query_string);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  if (!_syn_server_parse_query (route, query, FALSE, params, &error))
    {
      g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
      return;
    }
  /* the server's UUID check (handle_request), then the project it authorized */
  if (!syn_api_route_check_ids (route, params, NULL))
    return;
  json_object_set_string_member (params, "project_id", world->project_id);
  json_object_set_string_member (params, "_user_id", world->user_id);

  answer = syn_backend_call_sync (SYN_BACKEND (world->backend), route->op, params, NULL, &error);
  if (answer == NULL)
    {
      /* a bad parameter is the client's (400); anything else is a bug */
      if (!g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID))
        g_error ("%s: %s (query \"%s\")", route->op, error->message, query_string);
      return;
    }
  g_assert (JSON_NODE_HOLDS_OBJECT (answer));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const SynApiRoute *timeline, *assets, *executions;
  SynFuzzWorld *world;
  g_autofree char *text = NULL;

  syn_fuzz_init_logging ();
  world = syn_fuzz_world ();
  if (timeline == NULL)
    {
      timeline = route_for ("api/v1/events/timeline");
      assets = route_for ("api/v1/projects/{project_id}/assets");
      executions = route_for ("api/v1/projects/{project_id}/executions");
    }
  /* a URI's query cannot hold a NUL: what follows one is not sent */
  text = g_strndup ((const char *) data, size);
  run_query (world, timeline, text);
  /* the paging parameters, on a list of another kind */
  run_query (world, size % 2 ? assets : executions, text);
  return 0;
}

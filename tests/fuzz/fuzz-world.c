/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-world.c: the scratch backend, project and user that the server-side fuzz targets work on. */
#include "config.h"

#include <stdlib.h>

#include "core/syn-core.h"
#include "fuzz-common.h"

static SynFuzzWorld *world;

static JsonObject *
call_or_die (const char *op, JsonObject *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_sync (SYN_BACKEND (world->backend), op, params, NULL, &error);

  if (answer == NULL)
    g_error ("fuzz world: %s: %s", op, error->message);
  return json_object_ref (json_node_get_object (answer));
}

typedef struct
{
  gboolean  done;
  JsonNode *answer;
  GError   *error;
} ExecuteCall;

static void
on_executed (GObject *object, GAsyncResult *result, gpointer data)
{
  ExecuteCall *call = data;

  call->answer = syn_backend_execute_finish (SYN_BACKEND (object), result, &call->error);
  call->done = TRUE;
}

JsonNode *
syn_fuzz_execute (JsonObject *request, GError **error)
{
  SynFuzzWorld *w = syn_fuzz_world ();
  ExecuteCall call = { 0 };
  const char *execution_id;

  syn_backend_execute_async (SYN_BACKEND (w->backend), request, NULL, on_executed, &call);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  if (call.answer == NULL)
    {
      g_propagate_error (error, call.error);
      return NULL;
    }
  /* the answer comes once the run holds its project: wait for its end */
  execution_id = syn_json_get_string (json_node_get_object (call.answer), "execution_id");
  g_assert (execution_id != NULL);
  for (;;)
    {
      g_autoptr(JsonNode) run = syn_local_backend_describe_execution (w->backend, execution_id);

      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (run == NULL || g_strcmp0 (syn_json_get_string (json_node_get_object (run), "status"), "running") != 0)
        break;
      g_usleep (1000);
    }
  return call.answer;
}

static void
world_free (void)
{
  if (world == NULL)
    return;
  g_clear_object (&world->backend);
  g_free (world->user_id);
  g_free (world->project_id);
  g_free (world->asset_id);
  g_free (world->correlation_id);
  g_free (world->execution_id);
  g_clear_pointer (&world, g_free);
}

SynFuzzWorld *
syn_fuzz_world (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonObject) admin = NULL;
  g_autoptr(JsonObject) demo = NULL;
  g_autoptr(JsonObject) assets = NULL;
  g_autoptr(JsonNode) run = NULL;
  JsonArray *list;

  if (world != NULL)
    return world;

  /* before the scratch directory's own handler: atexit runs in reverse */
  path = syn_fuzz_scratch_path ("world.db");
  world = g_new0 (SynFuzzWorld, 1);
  atexit (world_free);
  world->backend = syn_local_backend_new (path, &error);
  if (world->backend == NULL)
    g_error ("fuzz world: %s", error->message);

  params = json_object_new ();
  admin = call_or_die (SYN_OP_ENSURE_ADMIN, params);
  world->user_id = g_strdup (syn_json_get_string (json_object_get_object_member (admin, "user"), "id"));
  json_object_set_string_member (params, "_user_id", world->user_id);
  demo = call_or_die (SYN_OP_CREATE_DEMO, params);
  world->project_id = g_strdup (syn_json_get_string (json_object_get_object_member (demo, "project"), "id"));
  world->correlation_id = g_strdup (syn_json_get_string (json_object_get_object_member (demo, "import"),
                                                         "correlation_id"));

  json_object_set_string_member (params, "project_id", world->project_id);
  assets = call_or_die (SYN_OP_LIST_ASSETS, params);
  list = json_object_get_array_member (assets, "assets");
  world->asset_id = g_strdup (syn_json_get_string (json_array_get_object_element (list, 0), "id"));

  run = syn_fuzz_execute (params, &error);
  if (run == NULL)
    g_error ("fuzz world: execute: %s", error->message);
  world->execution_id = g_strdup (syn_json_get_string (json_node_get_object (run), "execution_id"));
  g_assert (world->user_id && world->project_id && world->asset_id && world->correlation_id);
  return world;
}

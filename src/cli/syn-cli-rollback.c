/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-rollback.c: synapse rollback: undo a batch exactly, or say which later batches block it. */
#include "config.h"

#include <stdio.h>

#include "syn-cli-private.h"

/* "Rolled back batch X: 3 assets, 2 cables, 4 edges deleted, 1 asset restored (12 events)" */
static void
print_answer (JsonObject *answer)
{
  JsonObject *summary = json_object_get_object_member (answer, "summary");
  JsonArray *cascaded = json_object_get_array_member (answer, "cascaded");
  gint64 events_n = json_object_get_int_member (answer, "rolled_back_events");
  g_autofree char *assets = SYN_CLI_COUNT (json_object_get_int_member (summary, "assets_deleted"),
                                           "%d asset", "%d assets");
  g_autofree char *cables = SYN_CLI_COUNT (json_object_get_int_member (summary, "cables_deleted"),
                                           "%d cable", "%d cables");
  g_autofree char *edges = SYN_CLI_COUNT (json_object_get_int_member (summary, "edges_deleted"),
                                          "%d edge deleted", "%d edges deleted");
  g_autofree char *restored = SYN_CLI_COUNT (json_object_get_int_member (summary, "assets_restored"),
                                             "%d asset restored", "%d assets restored");
  g_autofree char *events = SYN_CLI_COUNT (events_n, "%d event", "%d events");
  guint n_cascaded = cascaded ? json_array_get_length (cascaded) : 0;
  g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (answer, "correlation_id"));
  g_autofree char *rollback = _syn_cli_short_id (syn_json_get_string (answer, "rollback_correlation_id"));

  printf ("Rolled back batch %s: %s, %s, %s, %s (%s)\n", batch, assets, cables, edges, restored, events);
  if (n_cascaded > 0)
    {
      printf ("Rolled back first (newest first):\n");
      for (guint i = 0; i < n_cascaded; i++)
        {
          g_autofree char *id = _syn_cli_short_id (json_array_get_string_element (cascaded, i));

          printf ("  %s\n", id);
        }
    }
  printf ("Rollback batch: %s\n", rollback);
}

/* After a refusal for later batches: which ones ({correlation_id,
 * blocking_batches}), or NULL. The refusal itself is said anyway: a
 * failure here only loses detail. */
static JsonNode *
fetch_blockers (SynBackend *backend, const char *project, const char *correlation_id)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_string_member (params, "project_id", project);
  json_object_set_string_member (params, "correlation_id", correlation_id);
  return _syn_cli_call (backend, SYN_OP_ROLLBACK_BLOCKERS, params, NULL);
}

/* The blockers, on stderr, after the error line. */
static void
print_blockers (JsonNode *answer)
{
  JsonArray *batches = json_object_get_array_member (json_node_get_object (answer), "blocking_batches");
  guint n = batches ? json_array_get_length (batches) : 0;

  if (n == 0)
    return;
  fprintf (stderr, "Blocking batches, newest first:\n");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *batch = json_array_get_object_element (batches, i);
      g_autofree char *when = _syn_cli_local_time (syn_json_get_string (batch, "executed_at"));
      g_autofree char *events = SYN_CLI_COUNT (json_object_get_int_member_with_default (batch, "events_count", 0),
                                               "%d event", "%d events");

      g_autofree char *id = _syn_cli_short_id (syn_json_get_string (batch, "correlation_id"));

      fprintf (stderr, "  %s  %s  %s\n", id, when, events);
    }
  fprintf (stderr, "use --cascade to roll them back first\n");
}

int
_syn_cli_rollback (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  gboolean cascade = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "cascade", 0, 0, G_OPTION_ARG_NONE, &cascade,
      "First roll back the later batches that block it, newest first", NULL },
    { NULL }
  };
  int ret = 0;

  if (!_syn_cli_parse (&argc, &argv, "BATCH",
                       "Roll back a batch exactly: the project returns to its state before it.\n"
                       "BATCH is its id, or 8 or more hex digits of its start or end (as listed).",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    return _syn_cli_usage_error ("rollback: --project is required");
  if (argc != 2)
    return _syn_cli_usage_error ("usage: synapse rollback BATCH --project P [--cascade]");
  if (!(backend = _syn_cli_backend (&common, &error)))
    return _syn_cli_fail (error);

  json_object_set_string_member (params, "project_id", project);
  json_object_set_string_member (params, "correlation_id", argv[1]);
  json_object_set_boolean_member (params, "cascade", cascade);
  if (!(answer = _syn_cli_call (backend, SYN_OP_ROLLBACK, params, &error)))
    {
      g_autoptr(JsonNode) blockers = NULL;

      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT) &&
          (blockers = fetch_blockers (backend, project, argv[1])) != NULL &&
          syn_backend_error_get_details (error) == NULL)
        syn_backend_error_set_details (error, blockers);
      ret = _syn_cli_fail (error);
      if (blockers != NULL && !common.json)
        print_blockers (blockers);
      return ret;
    }
  if (common.json)
    _syn_cli_print_json (answer);
  else
    print_answer (json_node_get_object (answer));
  return ret;
}

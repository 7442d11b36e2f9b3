/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-rollback.c: synapse rollback and redo: undo a batch exactly, apply it again, or say which later batches stand in the way. */
#include "config.h"

#include <stdio.h>

#include "syn-cli-private.h"

static char *
count_of (gint64 n, const char *singular, const char *plural)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s", n, n == 1 ? singular : plural);
}

/* "Rolled back batch X: 3 assets, 2 cables, 4 edges deleted, 1 asset restored (12 events)" */
static void
print_rollback (JsonObject *answer)
{
  JsonObject *summary = json_object_get_object_member (answer, "summary");
  JsonArray *cascaded = json_object_get_array_member (answer, "cascaded");
  g_autofree char *assets = count_of (json_object_get_int_member (summary, "assets_deleted"), "asset", "assets");
  g_autofree char *cables = count_of (json_object_get_int_member (summary, "cables_deleted"), "cable", "cables");
  g_autofree char *edges = count_of (json_object_get_int_member (summary, "edges_deleted"), "edge", "edges");
  g_autofree char *restored = count_of (json_object_get_int_member (summary, "assets_restored"), "asset", "assets");
  g_autofree char *events = count_of (json_object_get_int_member (answer, "rolled_back_events"), "event", "events");
  guint n_cascaded = cascaded ? json_array_get_length (cascaded) : 0;

  printf ("Rolled back batch %s: %s, %s, %s deleted, %s restored (%s)\n",
          syn_json_get_string (answer, "correlation_id"), assets, cables, edges, restored, events);
  if (n_cascaded > 0)
    {
      printf ("Rolled back first (newest first):\n");
      for (guint i = 0; i < n_cascaded; i++)
        printf ("  %s\n", json_array_get_string_element (cascaded, i));
    }
  printf ("Rollback batch: %s (undo it with synapse redo %s)\n",
          syn_json_get_string (answer, "rollback_correlation_id"),
          syn_json_get_string (answer, "rollback_correlation_id"));
}

/* "Redid batch X: 1 asset created, 2 edges deleted" (what changed only) */
static void
print_redo (JsonObject *answer)
{
  static const char * const kinds[][2] = { { "asset", "assets" }, { "cable", "cables" }, { "edge", "edges" } };
  static const char * const verbs[] = { "created", "updated", "deleted" };
  JsonObject *summary = json_object_get_object_member (answer, "summary");
  JsonArray *redone = json_object_get_array_member (answer, "redone");
  g_autoptr(GString) what = g_string_new (NULL);
  gint64 rules = json_object_get_int_member_with_default (summary, "rules_changed", 0);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint v = 0; v < G_N_ELEMENTS (verbs); v++)
      {
        g_autofree char *name = g_strdup_printf ("%s_%s", kinds[k][1], verbs[v]);
        gint64 n = json_object_get_int_member_with_default (summary, name, 0);

        if (n > 0)
          g_string_append_printf (what, "%s%" G_GINT64_FORMAT " %s %s", what->len ? ", " : "", n,
                                  kinds[k][n == 1 ? 0 : 1], verbs[v]);
      }
  if (rules > 0)
    g_string_append_printf (what, "%s%" G_GINT64_FORMAT " rule definition%s changed", what->len ? ", " : "", rules,
                            rules == 1 ? "" : "s");
  /* a rollback's batch: what it undid is redone */
  if (redone != NULL && (json_array_get_length (redone) != 1 ||
                         g_strcmp0 (json_array_get_string_element (redone, 0),
                                    syn_json_get_string (answer, "correlation_id")) != 0))
    {
      printf ("Undid rollback %s: %s\n", syn_json_get_string (answer, "correlation_id"),
              what->len ? what->str : "no change");
      printf ("Redone (oldest first):\n");
      for (guint i = 0; i < json_array_get_length (redone); i++)
        printf ("  %s\n", json_array_get_string_element (redone, i));
    }
  else
    printf ("Redid batch %s: %s\n", syn_json_get_string (answer, "correlation_id"), what->len ? what->str : "no change");
  printf ("Redo batch: %s\n", syn_json_get_string (answer, "redo_correlation_id"));
}

/* After a refusal for later batches: which ones, when, by whom, on stderr.
 * The refusal carries them (local or remote); asking again is for a server
 * that does not send them. */
static void
print_blockers (SynBackend *backend, const char *project, const char *correlation_id, const GError *refusal,
                const char *advice)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) asked = NULL;
  JsonNode *details = syn_backend_error_get_details (refusal);
  JsonArray *batches;
  guint n;

  if (details == NULL && advice != NULL)
    {
      json_object_set_string_member (params, "project_id", project);
      json_object_set_string_member (params, "correlation_id", correlation_id);
      /* the refusal itself is already said: a failure here only loses detail */
      details = asked = _syn_cli_call (backend, SYN_OP_ROLLBACK_BLOCKERS, params, NULL);
    }
  if (details == NULL || !JSON_NODE_HOLDS_OBJECT (details))
    return;
  batches = json_object_get_array_member (json_node_get_object (details), "blocking_batches");
  n = batches ? json_array_get_length (batches) : 0;
  if (n == 0)
    return;
  fprintf (stderr, "Blocking batches, newest first:\n");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *batch = json_array_get_object_element (batches, i);
      g_autofree char *when = _syn_cli_local_time (syn_json_get_string (batch, "executed_at"));
      g_autofree char *events = count_of (json_object_get_int_member_with_default (batch, "events_count", 0),
                                          "event", "events");
      const char *who = syn_json_get_string (batch, "user_id");

      fprintf (stderr, "  %s  %s  %-16s  %s\n", syn_json_get_string (batch, "correlation_id"), when,
               who ? who : "-", events);
    }
  if (advice != NULL)
    fprintf (stderr, "%s\n", advice);
}

/* The shared shape of both commands: BATCH --project P, one call, the
 * answer printed or the refusal explained. */
static int
run_batch_command (int argc, char **argv, const char *command, const char *summary, const char *op,
                   gboolean with_cascade, const char *advice, void (*print) (JsonObject *answer))
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *usage = NULL;
  g_autofree char *correlation_id = NULL;
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
  int ret;

  if (!with_cascade)
    entries[1] = (GOptionEntry) { NULL };
  if (!_syn_cli_parse (&argc, &argv, "BATCH", summary, entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    {
      usage = g_strdup_printf ("%s: --project is required", command);
      return _syn_cli_usage_error (usage);
    }
  if (argc != 2)
    {
      usage = g_strdup_printf ("usage: synapse %s BATCH --project P%s", command, with_cascade ? " [--cascade]" : "");
      return _syn_cli_usage_error (usage);
    }
  if (!(backend = _syn_cli_backend (&common, &error)) ||
      !(correlation_id = _syn_cli_batch_id (backend, project, argv[1], &error)))
    return _syn_cli_fail (error);

  json_object_set_string_member (params, "project_id", project);
  json_object_set_string_member (params, "correlation_id", correlation_id);
  if (with_cascade)
    json_object_set_boolean_member (params, "cascade", cascade);
  if (!(answer = _syn_cli_call (backend, op, params, &error)))
    {
      ret = _syn_cli_fail (error);
      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT))
        print_blockers (backend, project, correlation_id, error, advice);
      return ret;
    }
  if (common.json)
    _syn_cli_print_json (answer);
  else
    print (json_node_get_object (answer));
  return 0;
}

int
_syn_cli_rollback (int argc, char **argv)
{
  return run_batch_command (argc, argv, "rollback",
                            "Roll back a batch exactly: the project returns to its state before it.\n"
                            "Refused when later batches changed the same entities or refer to what it\n"
                            "made (they are listed); --cascade rolls them back first.",
                            SYN_OP_ROLLBACK, TRUE, "use --cascade to roll them back first", print_rollback);
}

int
_syn_cli_redo (int argc, char **argv)
{
  return run_batch_command (argc, argv, "redo",
                            "Apply a rolled-back batch again, exactly, as a new batch. Given a rollback's\n"
                            "own batch, redo every batch it rolled back, oldest first: that undoes the\n"
                            "rollback. Refused when later batches changed the same entities (listed).",
                            SYN_OP_REDO, FALSE, NULL, print_redo);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-rollback.c: synapse rollback and redo: undo a batch exactly, apply it again, or say which later batches stand in the way. */
#include "config.h"

#include <stdio.h>

#include "syn-cli-private.h"

/* "Rolled back batch X: 3 assets, 2 cables, 4 edges deleted, 1 asset restored (12 events)" */
static void
print_rollback (JsonObject *answer)
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
  printf ("Rollback batch: %s (undo it with synapse redo %s)\n", rollback, rollback);
}

/* "Redid batch X: 1 asset created, 2 edges deleted" (what changed only) */
static void
print_redo (JsonObject *answer)
{
  static const char * const kinds[] = { "assets", "cables", "edges" };
  JsonObject *summary = json_object_get_object_member (answer, "summary");
  JsonArray *redone = json_object_get_array_member (answer, "redone");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) what = g_string_new (NULL);
  g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (answer, "correlation_id"));
  g_autofree char *redo = _syn_cli_short_id (syn_json_get_string (answer, "redo_correlation_id"));

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *created = g_strconcat (kinds[k], "_created", NULL);
      g_autofree char *updated = g_strconcat (kinds[k], "_updated", NULL);
      g_autofree char *deleted = g_strconcat (kinds[k], "_deleted", NULL);
      gint64 c = json_object_get_int_member_with_default (summary, created, 0);
      gint64 u = json_object_get_int_member_with_default (summary, updated, 0);
      gint64 d = json_object_get_int_member_with_default (summary, deleted, 0);

      /* one plural per kind and verb, for the translators */
      if (k == 0 && c > 0) g_ptr_array_add (parts, SYN_CLI_COUNT (c, "%d asset created", "%d assets created"));
      if (k == 0 && u > 0) g_ptr_array_add (parts, SYN_CLI_COUNT (u, "%d asset updated", "%d assets updated"));
      if (k == 0 && d > 0) g_ptr_array_add (parts, SYN_CLI_COUNT (d, "%d asset deleted", "%d assets deleted"));
      if (k == 1 && c > 0) g_ptr_array_add (parts, SYN_CLI_COUNT (c, "%d cable created", "%d cables created"));
      if (k == 1 && u > 0) g_ptr_array_add (parts, SYN_CLI_COUNT (u, "%d cable updated", "%d cables updated"));
      if (k == 1 && d > 0) g_ptr_array_add (parts, SYN_CLI_COUNT (d, "%d cable deleted", "%d cables deleted"));
      if (k == 2 && c > 0) g_ptr_array_add (parts, SYN_CLI_COUNT (c, "%d edge created", "%d edges created"));
      if (k == 2 && d > 0) g_ptr_array_add (parts, SYN_CLI_COUNT (d, "%d edge deleted", "%d edges deleted"));
    }
  {
    gint64 rules = json_object_get_int_member_with_default (summary, "rules_changed", 0);

    if (rules > 0)
      g_ptr_array_add (parts, SYN_CLI_COUNT (rules, "%d rule definition changed", "%d rule definitions changed"));
  }
  for (guint i = 0; i < parts->len; i++)
    g_string_append_printf (what, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (parts, i));

  /* a rollback's batch: what it undid is redone */
  if (redone != NULL && (json_array_get_length (redone) != 1 ||
                         g_strcmp0 (json_array_get_string_element (redone, 0),
                                    syn_json_get_string (answer, "correlation_id")) != 0))
    {
      printf ("Undid rollback %s: %s\n", batch, what->len ? what->str : "no change");
      printf ("Redone (oldest first):\n");
      for (guint i = 0; i < json_array_get_length (redone); i++)
        {
          g_autofree char *id = _syn_cli_short_id (json_array_get_string_element (redone, i));

          printf ("  %s\n", id);
        }
    }
  else
    printf ("Redid batch %s: %s\n", batch, what->len ? what->str : "no change");
  printf ("Redo batch: %s\n", redo);
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

/* The blockers, when, by whom, on stderr, after the error line. */
static void
print_blockers (JsonNode *details, const char *advice)
{
  JsonArray *batches = json_object_get_array_member (json_node_get_object (details), "blocking_batches");
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
      const char *who = syn_json_get_string (batch, "user_id");

      fprintf (stderr, "  %s  %s  %-16s  %s\n", id, when, who ? who : "-", events);
    }
  if (advice != NULL)
    fprintf (stderr, "%s\n", advice);
}

/* The shared shape of both commands: BATCH --project P, one call, the
 * answer printed or the refusal explained (the batches in the way come
 * with it, local or remote; a rollback asks for them from a server that
 * does not send them). */
static int
run_batch_command (int argc, char **argv, const char *command, const char *summary, const char *op,
                   gboolean is_rollback, void (*print) (JsonObject *answer))
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *usage = NULL;
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

  if (!is_rollback)
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
      usage = g_strdup_printf ("usage: synapse %s BATCH --project P%s", command, is_rollback ? " [--cascade]" : "");
      return _syn_cli_usage_error (usage);
    }
  if (!(backend = _syn_cli_backend (&common, &error)))
    return _syn_cli_fail (error);

  /* BATCH as given: the backend resolves a part of an id */
  json_object_set_string_member (params, "project_id", project);
  json_object_set_string_member (params, "correlation_id", argv[1]);
  if (is_rollback)
    json_object_set_boolean_member (params, "cascade", cascade);
  if (!(answer = _syn_cli_call (backend, op, params, &error)))
    {
      g_autoptr(JsonNode) asked = NULL;
      JsonNode *details = NULL;
      int ret;

      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT))
        {
          details = syn_backend_error_get_details (error);
          if (details == NULL && is_rollback && (asked = fetch_blockers (backend, project, argv[1])) != NULL)
            syn_backend_error_set_details (error, details = asked);
        }
      ret = _syn_cli_fail (error);
      if (details != NULL && !common.json)
        print_blockers (details, is_rollback ? "use --cascade to roll them back first" : NULL);
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
                            "BATCH is its id, or 8 or more hex digits of its start or end (as listed).\n"
                            "Refused when later batches changed the same entities or refer to what it\n"
                            "made (they are listed); --cascade rolls them back first.",
                            SYN_OP_ROLLBACK, TRUE, print_rollback);
}

int
_syn_cli_redo (int argc, char **argv)
{
  return run_batch_command (argc, argv, "redo",
                            "Apply a rolled-back batch again, exactly, as a new batch. Given a rollback's\n"
                            "own batch, redo every batch it rolled back, oldest first: that undoes the\n"
                            "rollback. BATCH is its id, or 8 or more hex digits of its start or end.\n"
                            "Refused when later batches changed the same entities (they are listed).",
                            SYN_OP_REDO, FALSE, print_redo);
}

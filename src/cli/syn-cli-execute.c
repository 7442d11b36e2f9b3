/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-execute.c: synapse execute: one run of the rules, with live progress from its SynExecutionRun;
 * Ctrl-C cancels. */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "backend/syn-execution-run.h"
#include "syn-cli-private.h"

typedef struct
{
  GMainLoop       *loop;
  SynExecutionRun *run;
  gboolean         json;
  gboolean         tty;
  guint            cancels;
  GError          *refused;   /* why the run did not start */
  gboolean         start_done;
} ExecuteState;

static void
draw_progress (ExecuteState *st)
{
  const char *rule = syn_execution_run_get_current_rule (st->run);
  guint progress = syn_execution_run_get_progress (st->run);
  guint filled = progress * 30 / 100;
  char bar[31];

  if (!st->tty || st->json || syn_execution_run_get_finished (st->run))
    return;
  for (guint i = 0; i < 30; i++)
    bar[i] = i < filled ? '#' : '-';
  bar[30] = '\0';
  fprintf (stderr, "\r\033[K[%s] %3u%%  %s", bar, progress, rule ? rule : "");
  fflush (stderr);
}

static void
on_progress (SynExecutionRun *run, GParamSpec *pspec, ExecuteState *st)
{
  draw_progress (st);
}

/* --json: every message as it comes; else the errors, as they come. */
static void
on_message (SynExecutionRun *run, JsonNode *message, ExecuteState *st)
{
  JsonObject *m = json_node_get_object (message);

  if (st->json)
    {
      g_autofree char *line = syn_json_to_string (message);

      printf ("%s\n", line);
      fflush (stdout);
    }
  /* the last one, cancelled or failed, is said once, as every error */
  else if (g_strcmp0 (syn_json_get_string (m, "type"), "ERROR") == 0 &&
           json_object_get_boolean_member_with_default (m, "recoverable", TRUE))
    {
      const char *rule = syn_json_get_string (m, "rule_id");
      const char *severity = syn_json_get_string (m, "severity");

      /* what stands: an error, a warning (a value a person holds), a
       * VALIDATE rule's own severity */
      if (st->tty)
        fprintf (stderr, "\r\033[K");
      fprintf (stderr, "%s: %s%s%s\n", severity != NULL ? severity : "error",
               rule ? rule : "", rule ? ": " : "", syn_json_get_string (m, "message"));
      draw_progress (st);
    }
}

static void
on_finished (SynExecutionRun *run, ExecuteState *st)
{
  g_main_loop_quit (st->loop);
}

static void
on_started (GObject *object, GAsyncResult *result, gpointer data)
{
  ExecuteState *st = data;

  /* a refusal finishes the run too (on_finished); its error keeps its code */
  syn_execution_run_start_finish (SYN_EXECUTION_RUN (object), result, &st->refused);
  st->start_done = TRUE;
}

static gboolean
on_sigint (gpointer data)
{
  ExecuteState *st = data;

  if (st->cancels++ == 0)
    {
      fprintf (stderr, "\nCancelling: nothing of this execution will be committed...\n");
      syn_execution_run_cancel (st->run);
      return G_SOURCE_CONTINUE;
    }
  return G_SOURCE_REMOVE;
}

static void
add_list (JsonObject *filters, const char *name, char **values)
{
  JsonArray *array;

  if (values == NULL || values[0] == NULL)
    return;
  array = json_array_new ();
  for (guint i = 0; values[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (values[i], ",", -1);

      for (guint j = 0; parts[j]; j++)
        if (*g_strstrip (parts[j]) != '\0')
          json_array_add_string_element (array, parts[j]);
    }
  json_object_set_array_member (filters, name, array);
}

static gint64
count_of (JsonObject *object, const char *member)
{
  return object ? json_object_get_int_member_with_default (object, member, 0) : 0;
}

static JsonObject *
section_of (JsonObject *object, const char *member)
{
  return object && json_object_has_member (object, member) &&
         JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, member))
         ? json_object_get_object_member (object, member) : NULL;
}

/* "26 assets, 1 cable, 32 edges" (edges left out when @with_edges is not set). */
static char *
outputs_of (JsonObject *counts, gboolean with_edges)
{
  g_autofree char *assets = SYN_CLI_COUNT (count_of (counts, "assets"), "%d asset", "%d assets");
  g_autofree char *cables = SYN_CLI_COUNT (count_of (counts, "cables"), "%d cable", "%d cables");
  g_autofree char *edges = SYN_CLI_COUNT (count_of (counts, "edges"), "%d edge", "%d edges");

  return with_edges ? g_strdup_printf ("%s, %s, %s", assets, cables, edges) : g_strdup_printf ("%s, %s", assets, cables);
}

/* What the run came to, in words: the one place the outcome is printed. */
static void
print_outcome (SynExecutionRun *run)
{
  JsonObject *s = syn_execution_run_get_summary (run);
  JsonObject *c = section_of (s, "created");
  JsonObject *u = section_of (s, "updated");
  JsonObject *r = section_of (s, "retracted");
  const char *status = syn_execution_run_get_status (run);
  gboolean preview = g_strcmp0 (status, "preview") == 0;
  gint64 errors = count_of (s, "errors"), warnings = count_of (s, "warnings");

  if (syn_execution_run_get_up_to_date (run))
    {
      g_autofree char *rules = SYN_CLI_COUNT (count_of (s, "rules_executed"), "%d rule", "%d rules");
      g_autofree char *assets = SYN_CLI_COUNT (count_of (s, "assets_processed"), "%d asset checked",
                                               "%d assets checked");

      printf ("%s: nothing to do (%s, %s)\n", preview ? "Preview: up to date" : "Up to date", rules, assets);
    }
  else
    {
      const char *correlation_id = syn_execution_run_get_correlation_id (run);
      g_autofree char *batch = correlation_id ? _syn_cli_short_id (correlation_id) : NULL;
      g_autofree char *created = outputs_of (c, TRUE);

      if (preview)
        printf ("Previewed (nothing committed) in %" G_GINT64_FORMAT " ms\n", syn_execution_run_get_duration_ms (run));
      else
        printf ("Committed batch %s in %" G_GINT64_FORMAT " ms\n", batch ? batch : "-",
                syn_execution_run_get_duration_ms (run));
      printf ("  rules executed    %" G_GINT64_FORMAT "\n", count_of (s, "rules_executed"));
      printf ("  assets processed  %" G_GINT64_FORMAT "\n", count_of (s, "assets_processed"));
      printf ("  actions taken     %" G_GINT64_FORMAT "\n", count_of (s, "actions_taken"));
      printf ("  skipped           %" G_GINT64_FORMAT "\n", count_of (s, "skipped"));
      printf ("  created           %s\n", created);
      if (count_of (u, "assets") + count_of (u, "cables") > 0)
        {
          g_autofree char *updated = outputs_of (u, FALSE);

          printf ("  updated           %s\n", updated);
        }
      if (count_of (r, "assets") + count_of (r, "cables") + count_of (r, "edges") > 0)
        {
          g_autofree char *retracted = outputs_of (r, TRUE);

          printf ("  retracted         %s\n", retracted);
        }
    }
  if (!syn_execution_run_get_up_to_date (run) || errors > 0 || warnings > 0)
    printf ("  errors            %" G_GINT64_FORMAT "\n", errors);
  if (warnings > 0)
    printf ("  warnings          %" G_GINT64_FORMAT " (values a person holds against the rules)\n", warnings);
}

int
_syn_cli_execute (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *project_id = NULL;
  g_auto(GStrv) rules = NULL, disciplines = NULL, action_types = NULL, asset_types = NULL, assets = NULL;
  gboolean dry_run = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) filters = json_object_new ();
  g_autoptr(SynExecutionRun) run = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  ExecuteState st = { 0 };
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "Preview: evaluate and report, commit nothing", NULL },
    { "rule", 0, 0, G_OPTION_ARG_STRING_ARRAY, &rules, "Only this rule (repeatable)", "ID" },
    { "discipline", 0, 0, G_OPTION_ARG_STRING_ARRAY, &disciplines, "Only rules of this discipline (repeatable)", "D" },
    { "action-type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &action_types, "Only rules of this action type (repeatable)", "T" },
    { "asset-type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &asset_types, "Only source assets of this type (repeatable)", "T" },
    { "asset", 0, 0, G_OPTION_ARG_STRING_ARRAY, &assets, "Only this source asset, by tag (repeatable)", "TAG" },
    { NULL }
  };
  guint sigint_id;

  if (!_syn_cli_parse (&argc, &argv, "", "Run the rules on a project as one batch, with live progress.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    return _syn_cli_usage_error ("execute: --project is required");
  if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)))
    return _syn_cli_fail (error);

  add_list (filters, "rule_ids", rules);
  add_list (filters, "disciplines", disciplines);
  add_list (filters, "action_types", action_types);
  add_list (filters, "asset_types", asset_types);
  if (assets != NULL)
    {
      JsonArray *ids = json_array_new ();

      for (guint i = 0; assets[i]; i++)
        {
          g_autoptr(JsonObject) asset = _syn_cli_resolve_asset (backend, project_id, assets[i], &error);

          if (asset == NULL)
            {
              json_array_unref (ids);
              return _syn_cli_fail (error);
            }
          json_array_add_string_element (ids, syn_json_get_string (asset, "id"));
        }
      json_object_set_array_member (filters, "asset_ids", ids);
    }
  run = syn_execution_run_new (backend, project_id, dry_run, filters);

  loop = g_main_loop_new (NULL, FALSE);
  st.loop = loop;
  st.run = run;
  st.json = common.json;
  st.tty = isatty (STDERR_FILENO);
  g_signal_connect (run, "message", G_CALLBACK (on_message), &st);
  g_signal_connect (run, "notify::progress", G_CALLBACK (on_progress), &st);
  g_signal_connect (run, "notify::current-rule", G_CALLBACK (on_progress), &st);
  g_signal_connect (run, "finished", G_CALLBACK (on_finished), &st);
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &st);
  syn_execution_run_start_async (run, NULL, on_started, &st);
  g_main_loop_run (loop);
  /* a refusal may finish the run before its start completes */
  while (!st.start_done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint_id);
  g_signal_handlers_disconnect_by_data (run, &st);
  if (st.tty && !st.json)
    fprintf (stderr, "\r\033[K");

  /* refused at the start (bad filters: 2), cancelled or failed: one line */
  if (syn_execution_run_get_final_message (run) == NULL)
    {
      g_autoptr(GError) refused = g_steal_pointer (&st.refused);

      if (refused == NULL)
        refused = g_error_new_literal (SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED, syn_execution_run_get_failure (run));
      return _syn_cli_fail (refused);
    }
  g_clear_error (&st.refused);
  if (syn_execution_run_get_failure (run) != NULL)
    {
      gboolean cancelled = g_strcmp0 (syn_execution_run_get_status (run), "cancelled") == 0;
      g_autoptr(GError) ended = g_error_new_literal (cancelled ? G_IO_ERROR : SYN_BACKEND_ERROR,
                                                     cancelled ? G_IO_ERROR_CANCELLED : SYN_BACKEND_ERROR_FAILED,
                                                     syn_execution_run_get_failure (run));

      return _syn_cli_fail (ended);
    }
  if (!st.json)
    print_outcome (run);
  return 0;
}

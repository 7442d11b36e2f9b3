/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-execute.c: synapse execute: one run of the rules, with live progress; Ctrl-C cancels. */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "syn-cli-private.h"

typedef struct
{
  GMainLoop  *loop;
  SynBackend *backend;
  char       *execution_id;
  gboolean    json;
  gboolean    tty;
  gboolean    started;
  gboolean    finished;
  gboolean    completed;
  GError     *start_error;
  JsonNode   *completed_message;
  char       *current_rule;
  gint64      progress;
  gint64      errors;
  guint       cancels;
} ExecuteState;

static void
draw_progress (ExecuteState *st)
{
  char bar[31];
  guint filled = (guint) (st->progress * 30 / 100);

  if (!st->tty || st->json)
    return;
  for (guint i = 0; i < 30; i++)
    bar[i] = i < filled ? '#' : '-';
  bar[30] = '\0';
  fprintf (stderr, "\r\033[K[%s] %3" G_GINT64_FORMAT "%%  %s", bar, st->progress,
           st->current_rule ? st->current_rule : "");
  fflush (stderr);
}

static void
on_message (SynBackend *backend, const char *execution_id, JsonNode *message, gpointer data)
{
  ExecuteState *st = data;
  JsonObject *m = json_node_get_object (message);
  const char *type = syn_json_get_string (m, "type");

  if (g_strcmp0 (execution_id, st->execution_id) != 0)
    return;
  if (st->json)
    {
      g_autofree char *line = syn_json_to_string (message);
      printf ("%s\n", line);
      fflush (stdout);
    }
  else if (g_strcmp0 (type, "RULE_START") == 0)
    {
      g_free (st->current_rule);
      st->current_rule = g_strdup (syn_json_get_string (m, "rule_name"));
      st->progress = json_object_get_int_member_with_default (m, "progress", st->progress);
      draw_progress (st);
    }
  else if (g_strcmp0 (type, "PROGRESS") == 0)
    {
      st->progress = json_object_get_int_member_with_default (m, "progress", st->progress);
      draw_progress (st);
    }
  else if (g_strcmp0 (type, "ERROR") == 0)
    {
      const char *rule = syn_json_get_string (m, "rule_id");

      if (st->tty)
        fprintf (stderr, "\r\033[K");
      fprintf (stderr, "%s: %s%s%s\n",
               json_object_get_boolean_member_with_default (m, "recoverable", TRUE) ? "error" : "failed",
               rule ? rule : "", rule ? ": " : "", syn_json_get_string (m, "message"));
      draw_progress (st);
    }

  if (g_strcmp0 (type, "COMPLETED") == 0)
    {
      st->completed = TRUE;
      st->completed_message = json_node_ref (message);
    }
  if (syn_backend_message_is_final (message))
    {
      st->finished = TRUE;
      g_main_loop_quit (st->loop);
    }
}

static void
on_started (GObject *object, GAsyncResult *result, gpointer data)
{
  ExecuteState *st = data;
  g_autoptr(JsonNode) answer = syn_backend_execute_finish (SYN_BACKEND (object), result, &st->start_error);

  st->started = answer != NULL;
  if (answer == NULL)
    g_main_loop_quit (st->loop);
}

static gboolean
on_sigint (gpointer data)
{
  ExecuteState *st = data;

  if (st->cancels++ == 0)
    {
      fprintf (stderr, "\nCancelling: nothing of this execution will be committed...\n");
      syn_backend_cancel_execution (st->backend, st->execution_id);
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
member_int (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_int_member (o, name) : 0;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_object_member (o, name) : NULL;
}

/* The one place the CLI words the end of a run. */
static void
print_summary (JsonNode *completed, gboolean dry_run)
{
  JsonObject *m = json_node_get_object (completed);
  JsonObject *s = json_object_get_object_member (m, "summary");
  JsonObject *c = member_object (s, "created");
  JsonObject *u = member_object (s, "updated");
  JsonObject *r = member_object (s, "retracted");
  gboolean up_to_date = json_object_has_member (s, "up_to_date") && json_object_get_boolean_member (s, "up_to_date");
  gint64 errors = member_int (s, "errors"), warnings = member_int (s, "warnings");

  if (up_to_date)
    printf ("%s: nothing to do (%" G_GINT64_FORMAT " rules checked on %" G_GINT64_FORMAT " assets, %"
            G_GINT64_FORMAT " ms)\n", dry_run ? "Preview: up to date" : "Up to date",
            member_int (s, "rules_executed"), member_int (s, "assets_processed"), member_int (m, "duration_ms"));
  else
    {
      g_autofree char *batch = syn_json_get_string (m, "correlation_id")
                               ? _syn_cli_short_id (syn_json_get_string (m, "correlation_id")) : NULL;

      if (dry_run)
        printf ("Previewed (nothing committed) in %" G_GINT64_FORMAT " ms\n", member_int (m, "duration_ms"));
      else
        printf ("Committed batch %s in %" G_GINT64_FORMAT " ms\n", batch ? batch : "-",
                member_int (m, "duration_ms"));
      printf ("  rules executed    %" G_GINT64_FORMAT "\n", member_int (s, "rules_executed"));
      printf ("  assets processed  %" G_GINT64_FORMAT "\n", member_int (s, "assets_processed"));
      printf ("  actions taken     %" G_GINT64_FORMAT "\n", member_int (s, "actions_taken"));
      printf ("  skipped           %" G_GINT64_FORMAT "\n", member_int (s, "skipped"));
      printf ("  created           %" G_GINT64_FORMAT " assets, %" G_GINT64_FORMAT " cables, %" G_GINT64_FORMAT
              " edges\n", member_int (c, "assets"), member_int (c, "cables"), member_int (c, "edges"));
      if (member_int (u, "assets") + member_int (u, "cables") > 0)
        printf ("  updated           %" G_GINT64_FORMAT " assets, %" G_GINT64_FORMAT " cables\n",
                member_int (u, "assets"), member_int (u, "cables"));
      if (member_int (r, "assets") + member_int (r, "cables") + member_int (r, "edges") > 0)
        printf ("  retracted         %" G_GINT64_FORMAT " assets, %" G_GINT64_FORMAT " cables, %" G_GINT64_FORMAT
                " edges\n", member_int (r, "assets"), member_int (r, "cables"), member_int (r, "edges"));
    }
  if (!up_to_date || errors > 0 || warnings > 0)
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
  g_autoptr(JsonObject) request = json_object_new ();
  JsonObject *filters = json_object_new ();
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
  gulong handler;
  int ret = 1;

  if (!_syn_cli_parse (&argc, &argv, "", "Run the rules on a project as one batch, with live progress.",
                       entries, &common, &error))
    {
      json_object_unref (filters);
      return _syn_cli_fail (error);
    }
  if (project == NULL)
    {
      json_object_unref (filters);
      return _syn_cli_usage_error ("execute: --project is required");
    }
  if (!(backend = _syn_cli_backend (&common, &error)) ||
      !(project_id = _syn_cli_resolve_project (backend, project, &error)))
    {
      json_object_unref (filters);
      return _syn_cli_fail (error);
    }

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
              json_object_unref (filters);
              return _syn_cli_fail (error);
            }
          json_array_add_string_element (ids, syn_json_get_string (asset, "id"));
        }
      json_object_set_array_member (filters, "asset_ids", ids);
    }
  st.execution_id = syn_uuid_new ();
  json_object_set_string_member (request, "project_id", project_id);
  json_object_set_string_member (request, "mode", dry_run ? "dry_run" : "execute");
  json_object_set_object_member (request, "filters", filters);
  json_object_set_string_member (request, "execution_id", st.execution_id);

  st.loop = g_main_loop_new (NULL, FALSE);
  st.backend = backend;
  st.json = common.json;
  st.tty = isatty (STDERR_FILENO);
  handler = g_signal_connect (backend, "execution-message", G_CALLBACK (on_message), &st);
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &st);
  syn_backend_execute_async (backend, request, NULL, on_started, &st);
  g_main_loop_run (st.loop);
  g_source_remove (sigint_id);
  g_signal_handler_disconnect (backend, handler);
  if (st.tty && !st.json)
    fprintf (stderr, "\r\033[K");

  if (st.start_error != NULL)
    ret = _syn_cli_fail (st.start_error);
  else if (st.completed)
    {
      if (!st.json)
        print_summary (st.completed_message, dry_run);
      ret = 0;
    }
  else
    ret = 1;

  g_clear_error (&st.start_error);
  g_clear_pointer (&st.completed_message, json_node_unref);
  g_clear_pointer (&st.loop, g_main_loop_unref);
  g_free (st.current_rule);
  g_free (st.execution_id);
  return ret;
}

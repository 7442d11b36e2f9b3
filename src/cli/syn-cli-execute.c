/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-execute.c: synapse execute (live progress), rules, demo. */
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

static void
print_summary (JsonNode *completed, gboolean dry_run)
{
  JsonObject *m = json_node_get_object (completed);
  JsonObject *s = json_object_get_object_member (m, "summary");
  JsonObject *c = json_object_get_object_member (s, "created");

  printf ("%s batch %s in %" G_GINT64_FORMAT " ms\n", dry_run ? "Previewed (nothing committed)" : "Committed",
          syn_json_get_string (m, "correlation_id"), json_object_get_int_member (m, "duration_ms"));
  printf ("  rules executed    %" G_GINT64_FORMAT "\n", json_object_get_int_member (s, "rules_executed"));
  printf ("  assets processed  %" G_GINT64_FORMAT "\n", json_object_get_int_member (s, "assets_processed"));
  printf ("  actions taken     %" G_GINT64_FORMAT "\n", json_object_get_int_member (s, "actions_taken"));
  printf ("  skipped           %" G_GINT64_FORMAT "\n", json_object_get_int_member (s, "skipped"));
  printf ("  errors            %" G_GINT64_FORMAT "\n", json_object_get_int_member (s, "errors"));
  printf ("  created           %" G_GINT64_FORMAT " assets, %" G_GINT64_FORMAT " cables, %" G_GINT64_FORMAT " edges\n",
          json_object_get_int_member (c, "assets"), json_object_get_int_member (c, "cables"),
          json_object_get_int_member (c, "edges"));
}

int
_syn_cli_execute (int argc, char **argv)
{
  SynCliCommon common = { 0 };
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
      ret = _syn_cli_fail (error);
      goto out;
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
              ret = _syn_cli_fail (error);
              goto out;
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
out:
  g_free (st.execution_id);
  _syn_cli_common_clear (&common);
  return ret;
}

/* ------------------------------------------------------------------------- */

static int
rules_list (SynBackend *backend, SynCliCommon *common, const char *project, gboolean library)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *rules;

  if (library)
    json_object_set_boolean_member (params, "library", TRUE);
  else
    json_object_set_string_member (params, "project_id", project);
  if (!(answer = _syn_cli_call (backend, SYN_OP_LIST_RULES, params, &error)))
    return _syn_cli_fail (error);
  if (common->json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  rules = json_node_get_array (answer);
  printf ("%-44s  %-8s  %4s  %-15s  %-19s  %s\n", "ID", "SOURCE", "PRIO", "DISCIPLINE", "ACTION", "NAME");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *r = json_array_get_object_element (rules, i);
      const char *discipline = syn_json_get_string (r, "discipline");
      gboolean scoped = syn_json_get_string (r, "project_id") != NULL;

      printf ("%-44s  %-8s  %4" G_GINT64_FORMAT "  %-15s  %-19s  %s%s%s%s\n", syn_json_get_string (r, "id"),
              syn_json_get_string (r, "source") ? syn_json_get_string (r, "source") : "-",
              json_object_get_int_member (r, "priority"), discipline ? discipline : "-",
              syn_json_get_string (r, "action_type"), syn_json_get_string (r, "name"),
              json_object_get_boolean_member_with_default (r, "is_enforced", FALSE) ? " [enforced]" : "",
              json_object_get_boolean_member_with_default (r, "is_active", TRUE) ? "" : " [inactive]",
              scoped ? "" : " [library]");
    }
  return 0;
}

static int
rules_add (SynBackend *backend, SynCliCommon *common, const char *file, const char *project)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) defs = g_ptr_array_new ();
  gsize length;

  if (!g_file_get_contents (file, &contents, &length, &error))
    return _syn_cli_fail (error);
  if (!(root = syn_json_parse (contents, length, &error)))
    {
      g_prefix_error (&error, "%s: ", file);
      return _syn_cli_fail (error);
    }
  if (JSON_NODE_HOLDS_OBJECT (root))
    g_ptr_array_add (defs, json_node_get_object (root));
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (root), i);

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              g_autofree char *msg = g_strdup_printf ("%s: element %u is not a rule object", file, i);
              return _syn_cli_usage_error (msg);
            }
          g_ptr_array_add (defs, json_node_get_object (element));
        }
    }
  else
    {
      g_autofree char *msg = g_strdup_printf ("%s: expected a rule object or an array of them", file);
      return _syn_cli_usage_error (msg);
    }

  /* every rule validates before any is saved */
  for (guint i = 0; i < defs->len; i++)
    {
      g_autoptr(JsonObject) params = json_object_new ();
      g_autoptr(JsonNode) answer = NULL;

      if (project != NULL)
        json_object_set_string_member (params, "project_id", project);
      json_object_set_object_member (params, "rule", json_object_ref (defs->pdata[i]));
      if (!(answer = _syn_cli_call (backend, SYN_OP_SAVE_RULE, params, &error)))
        return _syn_cli_fail (error);
      if (common->json)
        _syn_cli_print_json (answer);
      else
        printf ("Saved rule %s (%s)\n", syn_json_get_string (json_node_get_object (answer), "id"),
                syn_json_get_string (json_node_get_object (answer), "name"));
    }
  return 0;
}

int
_syn_cli_rules (int argc, char **argv)
{
  SynCliCommon common = { 0 };
  g_autofree char *project = NULL;
  gboolean library = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autofree char *project_id = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { "library", 0, 0, G_OPTION_ARG_NONE, &library, "The rule library (every project's FIRM and COUNTRY rules)", NULL },
    { NULL }
  };
  const char *verb;
  int ret;

  if (!_syn_cli_parse (&argc, &argv, "list | add FILE | remove ID", "List, add or remove rule definitions.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  verb = argc > 1 ? argv[1] : NULL;
  if (g_strcmp0 (verb, "list") != 0 && g_strcmp0 (verb, "add") != 0 && g_strcmp0 (verb, "remove") != 0)
    ret = _syn_cli_usage_error ("usage: synapse rules list|add FILE|remove ID (--project P | --library)");
  else if ((g_strcmp0 (verb, "list") == 0 && argc != 2) || (g_strcmp0 (verb, "list") != 0 && argc != 3))
    ret = _syn_cli_usage_error ("usage: synapse rules list|add FILE|remove ID (--project P | --library)");
  else if (g_strcmp0 (verb, "remove") != 0 && (project == NULL) == (library == FALSE))
    ret = _syn_cli_usage_error ("rules: give exactly one of --project P or --library");
  else if (!(backend = _syn_cli_backend (&common, &error)))
    ret = _syn_cli_fail (error);
  else if (project != NULL && !(project_id = _syn_cli_resolve_project (backend, project, &error)))
    ret = _syn_cli_fail (error);
  else if (g_strcmp0 (verb, "list") == 0)
    ret = rules_list (backend, &common, project_id, library);
  else if (g_strcmp0 (verb, "add") == 0)
    ret = rules_add (backend, &common, argv[2], project_id);
  else
    {
      g_autoptr(JsonObject) params = json_object_new ();
      g_autoptr(JsonNode) answer = NULL;

      json_object_set_string_member (params, "rule_id", argv[2]);
      /* a project's rule is removed through its project (the server's route) */
      if (project_id != NULL)
        json_object_set_string_member (params, "project_id", project_id);
      if (!(answer = _syn_cli_call (backend, SYN_OP_DELETE_RULE, params, &error)))
        ret = _syn_cli_fail (error);
      else
        {
          printf ("Removed rule %s\n", argv[2]);
          ret = 0;
        }
    }
  _syn_cli_common_clear (&common);
  return ret;
}

int
_syn_cli_demo (int argc, char **argv)
{
  SynCliCommon common = { 0 };
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the demo project (default: Gold Mine Demo)", "NAME" },
    { NULL }
  };
  JsonObject *a;
  int ret = 0;

  if (!_syn_cli_parse (&argc, &argv, "", "Create the gold-mine demo project: its asset list and baseline rules.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (name != NULL)
    json_object_set_string_member (params, "name", name);
  if (!(backend = _syn_cli_backend (&common, &error)) ||
      !(answer = _syn_cli_call (backend, SYN_OP_CREATE_DEMO, params, &error)))
    ret = _syn_cli_fail (error);
  else if (common.json)
    _syn_cli_print_json (answer);
  else
    {
      a = json_node_get_object (answer);
      printf ("Created project %s (%s): %" G_GINT64_FORMAT " assets imported in batch %s, %u rules\n",
              syn_json_get_string (json_object_get_object_member (a, "project"), "name"),
              syn_json_get_string (json_object_get_object_member (a, "project"), "id"),
              json_object_get_int_member (json_object_get_object_member (a, "import"), "imported"),
              syn_json_get_string (json_object_get_object_member (a, "import"), "correlation_id"),
              json_array_get_length (json_object_get_array_member (a, "rules")));
      printf ("Next: synapse execute --project \"%s\"\n",
              syn_json_get_string (json_object_get_object_member (a, "project"), "name"));
    }
  _syn_cli_common_clear (&common);
  return ret;
}

static void
print_verdicts (JsonArray *rules)
{
  printf ("%-11s  %-44s  %s\n", "VERDICT", "RULE", "WHY");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *r = json_array_get_object_element (rules, i);
      const char *verdict = syn_json_get_string (r, "verdict");
      g_autoptr(GString) why = g_string_new (syn_json_get_string (r, "reason"));

      if (g_strcmp0 (verdict, "not_matched") == 0)
        g_string_append_printf (why, ": %s (actual: %s)", syn_json_get_string (r, "failed_test"),
                                syn_json_get_string (r, "actual") ? syn_json_get_string (r, "actual") : "absent");
      if (syn_json_get_string (r, "winner_rule_id"))
        g_string_append_printf (why, " by %s", syn_json_get_string (r, "winner_rule_id"));
      if (syn_json_get_string (r, "correlation_id"))
        {
          g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (r, "correlation_id"));
          g_string_append_printf (why, " (batch %s", batch);
          if (json_object_has_member (r, "events"))
            {
              guint n = json_array_get_length (json_object_get_array_member (r, "events"));
              g_string_append_printf (why, ", %u event%s", n, n == 1 ? "" : "s");
            }
          g_string_append (why, ")");
        }
      printf ("%-11s  %-44s  %s\n", verdict, syn_json_get_string (r, "rule_id"), why->str);
    }
}

static void
print_provenance (const char *title, JsonObject *provenance)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (json_object_get_size (provenance) == 0)
    return;
  printf ("\n%-20s  %-22s  %-16s  %-36s  %-8s  %s\n", title, "VALUE", "EVENT", "RULE", "BATCH", "WHEN (UTC)");
  json_object_iter_init (&iter, provenance);
  while (json_object_iter_next (&iter, &key, &node))
    {
      JsonObject *p = json_node_get_object (node);
      g_autofree char *value = syn_json_to_string (json_object_get_member (p, "value"));
      g_autofree char *batch = _syn_cli_short_id (syn_json_get_string (p, "correlation_id"));
      g_autofree char *when = _syn_cli_local_time (syn_json_get_string (p, "timestamp"));
      const char *rule = syn_json_get_string (p, "rule_id");

      printf ("%-20s  %-22s  %-16s  %-36s  %-8s  %s\n", key, value, syn_json_get_string (p, "event_type"),
              rule ? rule : (syn_json_get_string (p, "user_id") ? syn_json_get_string (p, "user_id") : "-"),
              batch, when);
    }
}

int
_syn_cli_explain (int argc, char **argv)
{
  g_autoptr(JsonObject) asset = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *a;
  int ret;

  ret = _syn_cli_asset_op (&argc, &argv, "explain", "Why each rule did or didn't fire on an asset; who set each value.",
                           SYN_OP_EXPLAIN, &asset, &answer);
  if (ret != 0 || answer == NULL)
    return ret;

  a = json_node_get_object (answer);
  printf ("%s (%s)\n\n", argv[1], syn_json_get_string (asset, "type"));
  print_verdicts (json_object_get_array_member (a, "rules"));
  print_provenance ("PROPERTY", json_object_get_object_member (a, "provenance"));
  print_provenance ("FIELD", json_object_get_object_member (a, "fields"));
  return 0;
}

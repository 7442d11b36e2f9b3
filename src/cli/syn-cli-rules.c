/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-rules.c: synapse rules list|add|remove: rule definitions of a project or of the library. */
#include "config.h"

#include <stdio.h>

#include "syn-cli-private.h"

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
  g_autoptr(JsonArray) saved = json_array_new ();
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
        json_array_add_element (saved, json_node_ref (answer));
      else
        printf ("Saved rule %s (%s)\n", syn_json_get_string (json_node_get_object (answer), "id"),
                syn_json_get_string (json_node_get_object (answer), "name"));
    }
  /* one JSON document: the saved rule, or the array of them, as the file held */
  if (common->json && JSON_NODE_HOLDS_OBJECT (root))
    _syn_cli_print_json (json_array_get_element (saved, 0));
  else if (common->json)
    {
      g_autoptr(JsonNode) all = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (all, saved);
      _syn_cli_print_json (all);
    }
  return 0;
}

/* Switches a rule on or off: the same definition saved again with
 * is_active changed, one batch (the next run makes or retracts its outputs). */
static int
rules_set_active (SynBackend *backend, SynCliCommon *common, const char *project_id, const char *rule_id,
                  gboolean active)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *rule = NULL;
  JsonArray *rules;
  const char *correlation_id;

  if (project_id != NULL)
    json_object_set_string_member (params, "project_id", project_id);
  else
    json_object_set_boolean_member (params, "library", TRUE);
  if (!(list = _syn_cli_call (backend, SYN_OP_LIST_RULES, params, &error)))
    return _syn_cli_fail (error);
  rules = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (rules) && rule == NULL; i++)
    if (g_strcmp0 (syn_json_get_string (json_array_get_object_element (rules, i), "id"), rule_id) == 0)
      rule = json_array_get_object_element (rules, i);
  if (rule == NULL)
    {
      g_set_error (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND,
                   "No rule \"%s\" in the library (a project's rule: give --project)", rule_id);
      return _syn_cli_fail (error);
    }
  json_object_set_boolean_member (rule, "is_active", active);
  g_clear_pointer (&params, json_object_unref);
  params = json_object_new ();
  if (syn_json_get_string (rule, "project_id") != NULL)
    json_object_set_string_member (params, "project_id", syn_json_get_string (rule, "project_id"));
  json_object_set_object_member (params, "rule", json_object_ref (rule));
  if (!(answer = _syn_cli_call (backend, SYN_OP_SAVE_RULE, params, &error)))
    return _syn_cli_fail (error);
  correlation_id = syn_json_get_string (json_node_get_object (answer), "correlation_id");
  if (common->json)
    _syn_cli_print_json (answer);
  else if (correlation_id == NULL)
    printf ("Rule %s was already %s\n", rule_id, active ? "on" : "off");
  else
    {
      g_autofree char *batch = _syn_cli_short_id (correlation_id);

      printf ("Switched rule %s %s in batch %s; the next run %s its outputs\n", rule_id, active ? "on" : "off",
              batch, active ? "makes" : "retracts");
    }
  return 0;
}

#define RULES_USAGE \
  "usage: synapse rules list|add FILE (--project P | --library) | remove|enable|disable ID"

int
_syn_cli_rules (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
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

  if (!_syn_cli_parse (&argc, &argv, "list | add FILE | remove ID | enable ID | disable ID",
                       "List, add, remove, switch on or off rule definitions (each change one batch).",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  verb = argc > 1 ? argv[1] : NULL;
  /* library rules need no project: they may start a database */
  common.creates = library && g_strcmp0 (verb, "add") == 0;
  if (!g_strv_contains ((const char *[]) { "list", "add", "remove", "enable", "disable", NULL }, verb ? verb : ""))
    ret = _syn_cli_usage_error (RULES_USAGE);
  else if ((g_strcmp0 (verb, "list") == 0 && argc != 2) || (g_strcmp0 (verb, "list") != 0 && argc != 3))
    ret = _syn_cli_usage_error (RULES_USAGE);
  else if ((g_strcmp0 (verb, "list") == 0 || g_strcmp0 (verb, "add") == 0) && (project == NULL) == (library == FALSE))
    ret = _syn_cli_usage_error ("rules: give exactly one of --project P or --library");
  else if (!(backend = _syn_cli_backend (&common, &error)))
    ret = _syn_cli_fail (error);
  else if (project != NULL && !(project_id = _syn_cli_resolve_project (backend, project, &error)))
    ret = _syn_cli_fail (error);
  else if (g_strcmp0 (verb, "list") == 0)
    ret = rules_list (backend, &common, project_id, library);
  else if (g_strcmp0 (verb, "add") == 0)
    ret = rules_add (backend, &common, argv[2], project_id);
  else if (g_strcmp0 (verb, "enable") == 0 || g_strcmp0 (verb, "disable") == 0)
    ret = rules_set_active (backend, &common, project_id, argv[2], g_strcmp0 (verb, "enable") == 0);
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
          if (common.json)
            _syn_cli_print_json (answer);
          else
            printf ("Removed rule %s\n", argv[2]);
          ret = 0;
        }
    }
  return ret;
}

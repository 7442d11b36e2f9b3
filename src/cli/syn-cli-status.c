/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-status.c: synapse status: whether a project is up to date with its rules, and what a run would change. */
#include "config.h"

#include <stdio.h>

#include "syn-cli-private.h"

static gint64
count (JsonObject *o, const char *name)
{
  return json_object_has_member (o, name) ? json_object_get_int_member (o, name) : 0;
}

int
_syn_cli_status (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { NULL }
  };
  JsonObject *a;
  JsonArray *rules;

  if (!_syn_cli_parse (&argc, &argv, "",
                       "Whether a project is up to date with its rules: per rule, what a run would create, update\n"
                       "and retract, and what a person holds against it. Writes nothing.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (project == NULL)
    return _syn_cli_usage_error ("status: --project is required");
  if (argc > 1)
    return _syn_cli_usage_error ("status: takes no arguments (usage: synapse status --project P)");
  if (!(backend = _syn_cli_backend (&common, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project);
  if (!(answer = _syn_cli_call (backend, SYN_OP_PROJECT_STATUS, params, &error)))
    return _syn_cli_fail (error);
  if (common.json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }

  a = json_node_get_object (answer);
  rules = json_object_get_array_member (a, "rules");
  if (json_object_get_boolean_member (a, "up_to_date"))
    printf ("Up to date: a run would change nothing.\n");
  else
    printf ("Out of date: a run would change what follows.\n");
  if (json_array_get_length (rules) > 0)
    {
      printf ("\n%-40s  %7s  %7s  %7s  %5s  %8s\n", "RULE", "CREATE", "UPDATE", "RETRACT", "HELD", "FINDINGS");
      for (guint i = 0; i < json_array_get_length (rules); i++)
        {
          JsonObject *r = json_array_get_object_element (rules, i);

          printf ("%-40s  %7" G_GINT64_FORMAT "  %7" G_GINT64_FORMAT "  %7" G_GINT64_FORMAT "  %5" G_GINT64_FORMAT
                  "  %8" G_GINT64_FORMAT "\n", syn_json_get_string (r, "rule_id"), count (r, "create"),
                  count (r, "update"), count (r, "retract"), count (r, "held"), count (r, "findings"));
        }
    }
  {
    JsonObject *summary = json_object_get_object_member (a, "summary");
    gint64 errors = count (summary, "errors"), warnings = count (summary, "warnings");

    if (errors > 0 || warnings > 0)
      {
        g_autofree char *e = SYN_CLI_COUNT (errors, "%d error", "%d errors");
        g_autofree char *w = SYN_CLI_COUNT (warnings, "%d warning", "%d warnings");

        printf ("\n%s and %s stand (synapse execute lists them).\n", e, w);
      }
  }
  return 0;
}

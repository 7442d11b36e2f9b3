/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-demo.c: synapse demo: the gold-mine demo project, its asset list and baseline rules. */
#include "config.h"

#include <stdio.h>

#include "syn-cli-private.h"

int
_syn_cli_demo (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *name = NULL;
  g_autofree char *batch = NULL;
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
  common.creates = TRUE;
  if (!(backend = _syn_cli_backend (&common, &error)) ||
      !(answer = _syn_cli_call (backend, SYN_OP_CREATE_DEMO, params, &error)))
    ret = _syn_cli_fail (error);
  else if (common.json)
    _syn_cli_print_json (answer);
  else
    {
      g_autofree char *assets = NULL;
      g_autofree char *rules = NULL;

      a = json_node_get_object (answer);
      batch = _syn_cli_short_id (syn_json_get_string (json_object_get_object_member (a, "import"), "correlation_id"));
      assets = SYN_CLI_COUNT (json_object_get_int_member (json_object_get_object_member (a, "import"), "imported"),
                              "%d asset imported", "%d assets imported");
      rules = SYN_CLI_COUNT (json_array_get_length (json_object_get_array_member (a, "rules")), "%d rule", "%d rules");
      printf ("Created project %s (%s): %s in batch %s, %s\n",
              syn_json_get_string (json_object_get_object_member (a, "project"), "name"),
              syn_json_get_string (json_object_get_object_member (a, "project"), "id"), assets, batch, rules);
      printf ("Next: synapse execute --project \"%s\"\n",
              syn_json_get_string (json_object_get_object_member (a, "project"), "name"));
    }
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-project.c: synapse project list|create|rename|archive. */
#include "config.h"

#include <stdio.h>

#include "syn-cli-private.h"

static int
project_list (SynBackend *backend, SynCliCommon *common)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = _syn_cli_call (backend, SYN_OP_LIST_PROJECTS, NULL, &error);
  JsonArray *projects;

  if (answer == NULL)
    return _syn_cli_fail (error);
  if (common->json)
    {
      _syn_cli_print_json (answer);
      return 0;
    }
  projects = json_node_get_array (answer);
  if (json_array_get_length (projects) == 0)
    {
      printf ("No projects yet: create one with synapse project create NAME (or synapse demo).\n");
      return 0;
    }
  printf ("%-36s  %-24s  %-7s  %s\n", "ID", "NAME", "COUNTRY", "CREATED");
  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonObject *p = json_array_get_object_element (projects, i);
      g_autofree char *created = _syn_cli_local_time (syn_json_get_string (p, "created_at"));
      const char *country = syn_json_get_string (p, "country");

      printf ("%-36s  %-24s  %-7s  %s\n", syn_json_get_string (p, "id"), syn_json_get_string (p, "name"),
              country ? country : "-", created);
    }
  return 0;
}

static int
project_create (SynBackend *backend, SynCliCommon *common, const char *name,
                const char *description, const char *country)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "name", name);
  if (description)
    json_object_set_string_member (params, "description", description);
  if (country)
    json_object_set_string_member (params, "country", country);
  answer = _syn_cli_call (backend, SYN_OP_CREATE_PROJECT, params, &error);
  if (answer == NULL)
    return _syn_cli_fail (error);
  if (common->json)
    _syn_cli_print_json (answer);
  else
    printf ("Created project %s (%s)\n", name, syn_json_get_string (json_node_get_object (answer), "id"));
  return 0;
}

/* rename P NAME, archive P: an admin's (the server refuses others). */
static int
project_change (SynBackend *backend, SynCliCommon *common, const char *verb, const char *project, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *project_id = _syn_cli_resolve_project (backend, project, &error);

  if (project_id == NULL)
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project_id);
  if (name != NULL)
    json_object_set_string_member (params, "name", name);
  answer = _syn_cli_call (backend, name ? SYN_OP_UPDATE_PROJECT : SYN_OP_ARCHIVE_PROJECT, params, &error);
  if (answer == NULL)
    return _syn_cli_fail (error);
  if (common->json)
    _syn_cli_print_json (answer);
  else if (name != NULL)
    printf ("Renamed project %s to %s\n", project, name);
  else
    printf ("Archived project %s: out of the lists, read-only, its history kept\n", project);
  return 0;
}

int
_syn_cli_project (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *description = NULL;
  g_autofree char *country = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  GOptionEntry entries[] = {
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, "Description of a new project", "TEXT" },
    { "country", 0, 0, G_OPTION_ARG_STRING, &country, "Country code of a new project (scopes COUNTRY rules)", "CC" },
    { NULL }
  };
  int ret;

  if (!_syn_cli_parse (&argc, &argv, "list | create NAME | rename PROJECT NAME | archive PROJECT",
                       "List, create, rename or archive projects.", entries, &common, &error))
    return _syn_cli_fail (error);
  /* a new project may start a new database; a list never does */
  common.creates = argc >= 2 && g_strcmp0 (argv[1], "create") == 0;

  if (argc >= 2 && (g_strcmp0 (argv[1], "rename") == 0 || g_strcmp0 (argv[1], "archive") == 0))
    {
      gboolean rename = g_strcmp0 (argv[1], "rename") == 0;

      if (argc != (rename ? 4 : 3))
        return _syn_cli_usage_error (rename ? "usage: synapse project rename PROJECT NAME"
                                            : "usage: synapse project archive PROJECT");
      if (!(backend = _syn_cli_backend (&common, &error)))
        return _syn_cli_fail (error);
      return project_change (backend, &common, argv[1], argv[2], rename ? argv[3] : NULL);
    }
  if (argc < 2 || (g_strcmp0 (argv[1], "list") != 0 && g_strcmp0 (argv[1], "create") != 0))
    ret = _syn_cli_usage_error ("usage: synapse project list | create NAME [--description TEXT] [--country CC] | "
                                "rename PROJECT NAME | archive PROJECT");
  else if (g_strcmp0 (argv[1], "create") == 0 && argc != 3)
    ret = _syn_cli_usage_error ("usage: synapse project create NAME");
  else if (g_strcmp0 (argv[1], "list") == 0 && argc != 2)
    ret = _syn_cli_usage_error ("usage: synapse project list");
  else if (!(backend = _syn_cli_backend (&common, &error)))
    ret = _syn_cli_fail (error);
  else if (g_strcmp0 (argv[1], "list") == 0)
    ret = project_list (backend, &common);
  else
    ret = project_create (backend, &common, argv[2], description, country);

  return ret;
}

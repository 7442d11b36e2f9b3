/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-server.c: synapse user and synapse member: the team server's users and project members. */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "backend/syn-local-backend.h"
#include "server/syn-server.h"
#include "store/syn-pg-store.h"
#include "store/syn-store.h"
#include "syn-cli-private.h"

static void
print_users (JsonArray *users)
{
  printf ("%-24s  %-8s  %s\n", "USERNAME", "ROLE", "ID");
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *u = json_array_get_object_element (users, i);

      printf ("%-24s  %-8s  %s\n", syn_json_get_string (u, "username"), syn_json_get_string (u, "role"),
              syn_json_get_string (u, "id"));
    }
}

/* user role|disable|enable|delete: what an admin changes of another user. */
static int
user_admin (SynBackend *backend, SynCliCommon *common, const char *verb, const char *username, const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "username", username);
  if (g_str_equal (verb, "role"))
    json_object_set_string_member (params, "role", role);
  else if (!g_str_equal (verb, "delete"))
    json_object_set_boolean_member (params, "disabled", g_str_equal (verb, "disable"));
  answer = _syn_cli_call (backend, g_str_equal (verb, "delete") ? SYN_OP_DELETE_USER : SYN_OP_UPDATE_USER, params,
                          &error);
  if (answer == NULL)
    return _syn_cli_fail (error);
  if (common->json)
    _syn_cli_print_json (answer);
  else if (g_str_equal (verb, "role"))
    printf ("%s is now %s\n", username, role);
  else if (g_str_equal (verb, "delete"))
    printf ("Deleted user %s\n", username);
  else
    printf ("%s %s\n", g_str_equal (verb, "disable") ? "Disabled" : "Enabled", username);
  return 0;
}

int
_syn_cli_user (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *role = NULL;
  g_autofree char *display_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role, "admin, engineer or viewer (for add)", "ROLE" },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, "Full name (for add)", "TEXT" },
    { NULL }
  };
  const char *verb;
  int ret = 0;

  if (!_syn_cli_parse (&argc, &argv,
                       "add NAME --role ROLE | passwd NAME | list | role NAME ROLE | disable NAME | enable NAME | "
                       "delete NAME",
                       "Manage the users of a team server's database (passwords are read from stdin). "
                       "A disabled user cannot sign in and their sessions end; a deleted one's events keep their id.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  verb = argc > 1 ? argv[1] : NULL;
  if (!((g_strcmp0 (verb, "add") == 0 && argc == 3) || (g_strcmp0 (verb, "passwd") == 0 && argc == 3) ||
        (g_strcmp0 (verb, "list") == 0 && argc == 2) || (g_strcmp0 (verb, "role") == 0 && argc == 4) ||
        (g_strcmp0 (verb, "disable") == 0 && argc == 3) || (g_strcmp0 (verb, "enable") == 0 && argc == 3) ||
        (g_strcmp0 (verb, "delete") == 0 && argc == 3)))
    return _syn_cli_usage_error ("usage: synapse user add NAME --role ROLE | passwd NAME | list | role NAME ROLE | "
                                 "disable NAME | enable NAME | delete NAME");
  if (g_strcmp0 (verb, "add") == 0 && role == NULL)
    return _syn_cli_usage_error ("user add: --role is required (admin, engineer or viewer)");
  /* the first user may start a database (then served); signing in to a
   * server reads its password first */
  common.creates = g_strcmp0 (verb, "add") == 0;
  if (!(backend = _syn_cli_backend (&common, &error)))
    return _syn_cli_fail (error);

  if (g_strcmp0 (verb, "list") == 0)
    {
      if (!(answer = _syn_cli_call (backend, SYN_OP_LIST_USERS, params, &error)))
        ret = _syn_cli_fail (error);
      else if (common.json)
        _syn_cli_print_json (answer);
      else
        print_users (json_node_get_array (answer));
      return ret;
    }

  if (g_strcmp0 (verb, "add") != 0 && g_strcmp0 (verb, "passwd") != 0)
    return user_admin (backend, &common, verb, argv[2], argc > 3 ? argv[3] : NULL);

  {
    g_autofree char *prompt = g_strdup_printf ("New password for %s: ", argv[2]);
    g_autofree char *password = _syn_cli_read_password (prompt, &error);

    if (password == NULL)
      return _syn_cli_fail (error);
    json_object_set_string_member (params, "username", argv[2]);
    json_object_set_string_member (params, "password", password);
    explicit_bzero (password, strlen (password));
  }
  if (g_strcmp0 (verb, "add") == 0)
    {
      json_object_set_string_member (params, "role", role);
      if (display_name != NULL)
        json_object_set_string_member (params, "display_name", display_name);
      answer = _syn_cli_call (backend, SYN_OP_CREATE_USER, params, &error);
    }
  else
    answer = _syn_cli_call (backend, SYN_OP_SET_PASSWORD, params, &error);

  if (answer == NULL)
    ret = _syn_cli_fail (error);
  else if (common.json)
    _syn_cli_print_json (answer);
  else if (g_strcmp0 (verb, "add") == 0)
    printf ("Added user %s (%s)\n", argv[2], role);
  else
    printf ("Changed the password of %s\n", argv[2]);
  return ret;
}

int
_syn_cli_member (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *project = NULL;
  g_autofree char *project_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  GOptionEntry entries[] = {
    { "project", 'p', 0, G_OPTION_ARG_STRING, &project, "Project id or name", "P" },
    { NULL }
  };
  const char *verb;
  int ret = 0;

  if (!_syn_cli_parse (&argc, &argv, "add USERNAME | remove USERNAME | list", "Who may see and change a project.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  verb = argc > 1 ? argv[1] : NULL;
  if (project == NULL ||
      !((g_strcmp0 (verb, "add") == 0 && argc == 3) || (g_strcmp0 (verb, "remove") == 0 && argc == 3) ||
        (g_strcmp0 (verb, "list") == 0 && argc == 2)))
    return _syn_cli_usage_error ("usage: synapse member add USERNAME --project P | remove USERNAME --project P | "
                                 "list --project P");
  if (!(backend = _syn_cli_open_project (&common, project, &project_id, &error)))
    return _syn_cli_fail (error);
  json_object_set_string_member (params, "project_id", project_id);
  if (g_strcmp0 (verb, "add") == 0)
    {
      json_object_set_string_member (params, "username", argv[2]);
      answer = _syn_cli_call (backend, SYN_OP_ADD_MEMBER, params, &error);
    }
  else if (g_strcmp0 (verb, "remove") == 0)
    {
      json_object_set_string_member (params, "username", argv[2]);
      answer = _syn_cli_call (backend, SYN_OP_REMOVE_MEMBER, params, &error);
    }
  else
    answer = _syn_cli_call (backend, SYN_OP_LIST_MEMBERS, params, &error);

  if (answer == NULL)
    ret = _syn_cli_fail (error);
  else if (common.json)
    _syn_cli_print_json (answer);
  else if (g_strcmp0 (verb, "add") == 0)
    printf ("%s is a member of %s\n", argv[2], project);
  else if (g_strcmp0 (verb, "remove") == 0)
    printf ("%s is no longer a member of %s\n", argv[2], project);
  else
    print_users (json_node_get_array (answer));
  return ret;
}

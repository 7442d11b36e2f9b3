/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-server.c: synapse serve (the team server), synapse user and synapse member. */
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

static gboolean
on_stop_signal (gpointer data)
{
  GMainLoop *loop = data;

  g_main_loop_quit (loop);
  /* removed by the caller once the loop returns */
  return G_SOURCE_CONTINUE;
}

static char *
local_uri (SynCliCommon *common)
{
  if (common->db != NULL)
    return g_strdup (common->db);
  if (g_getenv ("SYNAPSE_DB") != NULL)
    return g_strdup (g_getenv ("SYNAPSE_DB"));
  return syn_store_default_path ();
}

/* The first admin's password, printed once; only once it is out is it no
 * longer marked unshown. */
static gboolean
announce_admin (SynLocalBackend *backend, SynServer *server, JsonObject *admin, GError **error)
{
  const char *username = syn_json_get_string (admin, "username");
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  printf ("Created the first user, \"%s\" (admin), with the password:\n\n    %s\n\n"
          "It is shown only this once. Sign in with it and add the team:\n"
          "    synapse user add NAME --role engineer --connect %s --user %s\n\n",
          username, syn_json_get_string (admin, "password"), syn_server_get_url (server), username);
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot print the password of \"%s\" on standard output: %s", username, g_strerror (errno));
      return FALSE;
    }
  json_object_set_string_member (params, "username", username);
  answer = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_PASSWORD_SHOWN, params, NULL, error);
  return answer != NULL;
}

/* Users whose password nobody was shown (a server stopped before it could
 * print it): how to give them one. */
static void
hint_unshown (JsonArray *usernames, SynCliCommon *common)
{
  const char *db = common->db ? common->db : g_getenv ("SYNAPSE_DB");
  g_autofree char *where = NULL;

  if (usernames == NULL || json_array_get_length (usernames) == 0)
    return;
  /* a PostgreSQL URI may hold a password: it is not repeated */
  if (db == NULL)
    where = g_strdup ("");
  else if (syn_pg_store_is_uri (db))
    where = g_strdup (" --db URI");
  else
    where = g_strdup_printf (" --db %s", db);
  for (guint i = 0; i < json_array_get_length (usernames); i++)
    {
      const char *name = json_array_get_string_element (usernames, i);

      printf ("The password of \"%s\" was never shown (a server stopped before it could print it).\n"
              "Give it one, then sign in with it:\n    synapse user passwd %s%s\n\n", name, name, where);
    }
}

int
_syn_cli_serve (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *uri = NULL;
  int port = SYN_SERVER_DEFAULT_PORT;
  int max_body_mb = 16;
  gboolean quiet = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) backend = NULL;
  g_autoptr(SynServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(JsonNode) admin = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "TCP port (default 8001; 0: any free one)", "N" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)", "ADDR" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve HTTPS with this PEM certificate", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "The certificate's PEM private key", "FILE" },
    { "max-body-mb", 0, 0, G_OPTION_ARG_INT, &max_body_mb, "Largest request body in MiB (default 16; CSV imports: 4 times that)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No line per request", NULL },
    { NULL }
  };
  guint sigint_id, sigterm_id;
  int ret = 1;

  if (!_syn_cli_parse (&argc, &argv, "", "Run the team server: REST and WebSocket API on a database.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (argc != 1)
    return _syn_cli_usage_error ("usage: synapse serve [--db URI] [--port N] [--listen ADDR] [--tls-cert F --tls-key F]");
  if (common.connect != NULL)
    return _syn_cli_usage_error ("serve: --connect makes no sense for a server; give --db");
  if (port < 0 || port > 65535)
    return _syn_cli_usage_error ("serve: --port must be between 0 and 65535");
  if (max_body_mb < 1 || max_body_mb > 4096)
    return _syn_cli_usage_error ("serve: --max-body-mb must be between 1 and 4096");
  if ((tls_cert == NULL) != (tls_key == NULL))
    return _syn_cli_usage_error ("serve: give both --tls-cert and --tls-key, or neither");
  if (tls_cert != NULL && !(certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error)))
    {
      g_prefix_error (&error, "%s: ", tls_cert);
      return _syn_cli_fail (error);
    }

  uri = local_uri (&common);
  /* a server may start on a new database; only the default one's folder is made */
  if (common.db == NULL && g_getenv ("SYNAPSE_DB") == NULL && !syn_store_make_default_folder (&error))
    return _syn_cli_fail (error);
  if (!(backend = syn_local_backend_new (uri, &error)))
    return _syn_cli_fail (error);

  server = syn_server_new (backend);
  g_object_set (server,
                "log-requests", !quiet,
                "max-body-size", (guint64) max_body_mb * 1024 * 1024,
                "max-import-size", (guint64) max_body_mb * 4 * 1024 * 1024,
                NULL);
  if (!syn_server_listen (server, listen, (guint) port, certificate, &error))
    {
      g_prefix_error (&error, "Cannot listen on %s:%d: ", listen ? listen : "127.0.0.1", port);
      return _syn_cli_fail (error);
    }
  /* from now on Ctrl+C and SIGTERM stop the server cleanly: before the
   * banner, which is what a supervisor waits for */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_stop_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_stop_signal, loop);

  /* Only once the port is ours: an empty user table gets an admin whose
   * password is said once, here; a server that cannot listen makes none. */
  if (!(admin = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_ENSURE_ADMIN, NULL, NULL, &error)) ||
      (json_object_get_boolean_member_with_default (json_node_get_object (admin), "created", FALSE) &&
       !announce_admin (backend, server, json_node_get_object (admin), &error)))
    {
      ret = _syn_cli_fail (error);
      goto out;
    }
  hint_unshown (json_object_get_array_member (json_node_get_object (admin), "unshown"), &common);
  {
    SynStore *store = syn_local_backend_acquire_store (backend, NULL);
    gboolean sqlite = store != NULL && g_strcmp0 (syn_store_get_backend_name (store), "sqlite") == 0;

    /* a PostgreSQL URI may hold a password: only a SQLite path is shown */
    printf ("Synapse %s serving the %s database%s%s at %s/ (Ctrl+C stops)\n", PACKAGE_VERSION,
            store ? syn_store_get_backend_name (store) : "unknown", sqlite ? " " : "", sqlite ? uri : "",
            syn_server_get_url (server));
    if (store != NULL)
      syn_local_backend_release_store (backend, store);
  }
  fflush (stdout);

  g_main_loop_run (loop);
  printf ("Stopping.\n");
  ret = 0;

out:
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  syn_server_disconnect (server);
  return ret;
}

/* ------------------------------------------------------------------------- */

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
  if (!(backend = _syn_cli_backend (&common, &error)) ||
      !(project_id = _syn_cli_resolve_project (backend, project, &error)))
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

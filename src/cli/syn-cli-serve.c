/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-cli-serve.c: synapse serve: the team server from a config file and flags; graceful stop, certificate reload. */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "backend/syn-local-backend.h"
#include "server/syn-server-config.h"
#include "server/syn-server.h"
#include "store/syn-pg-store.h"
#include "store/syn-store.h"
#include "syn-cli-private.h"

/* How long the WebSockets get to answer their close (1001) once the runs ended. */
#define CLOSE_GRACE_SECONDS 5

typedef struct
{
  GMainLoop       *loop;
  SynServer       *server;
  SynServerConfig *config;
} ServeState;

/* systemd's readiness protocol (Type=notify) without libsystemd: one
 * datagram to $NOTIFY_SOCKET; nothing when there is none. */
static void
notify_supervisor (const char *state)
{
  const char *path = g_getenv ("NOTIFY_SOCKET");
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL || (path[0] != '/' && path[0] != '@'))
    return;
  if (path[0] == '@')
    address = g_unix_socket_address_new_with_type (path + 1, -1, G_UNIX_SOCKET_ADDRESS_ABSTRACT);
  else
    address = g_unix_socket_address_new (path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  if (socket == NULL || g_socket_send_to (socket, address, state, strlen (state), NULL, &error) < 0)
    fprintf (stderr, "synapse: cannot tell the service manager \"%s\": %s\n", state, error->message);
}

static gboolean
on_stop_signal (gpointer data)
{
  ServeState *st = data;

  g_main_loop_quit (st->loop);
  /* removed by the caller once the loop returns */
  return G_SOURCE_CONTINUE;
}

/* SIGHUP: the certificate and key again from their files (renewed by
 * certbot or the like); new connections get the new one. A file that does
 * not load keeps the old one, and says why. */
static gboolean
on_reload_signal (gpointer data)
{
  ServeState *st = data;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  if (st->config->tls_cert == NULL)
    {
      fprintf (stderr, "synapse: SIGHUP: nothing to reload (no tls-cert: plain HTTP)\n");
      return G_SOURCE_CONTINUE;
    }
  notify_supervisor ("RELOADING=1");
  certificate = syn_server_config_load_certificate (st->config, &error);
  if (certificate == NULL)
    fprintf (stderr, "synapse: SIGHUP: keeping the current certificate: %s\n", error->message);
  else
    {
      soup_server_set_tls_certificate (syn_server_get_soup_server (st->server), certificate);
      printf ("Reloaded the TLS certificate from %s\n", st->config->tls_cert);
      fflush (stdout);
    }
  notify_supervisor ("READY=1");
  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (gpointer data)
{
  /* only wakes the loop below, which checks its deadline */
  return G_SOURCE_CONTINUE;
}

/* Iterates until @done says so or the monotonic @deadline passes. */
static gboolean
iterate_until (gboolean (*done) (SynServer *server), SynServer *server, gint64 deadline)
{
  while (!done (server) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return done (server);
}

static gboolean
no_run_left (SynServer *server)
{
  return syn_local_backend_count_running_executions (syn_server_get_backend (server)) == 0;
}

/* The graceful stop: no new connection, every run cancelled and rolled
 * back (its watchers told), WebSockets closed with 1001, all within the
 * shutdown timeout. FALSE when a run outlived it: its transaction is then
 * rolled back by the database when the process ends, nothing half-written. */
static gboolean
shut_down (SynServer *server, int timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint running = syn_local_backend_count_running_executions (syn_server_get_backend (server));
  guint tick = g_timeout_add (50, on_tick, NULL);
  gboolean ok;

  notify_supervisor ("STOPPING=1");
  if (running > 0)
    printf ("Stopping: cancelling %u running execution%s (nothing of %s is committed).\n",
            running, running == 1 ? "" : "s", running == 1 ? "it" : "them");
  else
    printf ("Stopping.\n");
  fflush (stdout);
  syn_server_begin_shutdown (server);
  ok = iterate_until (no_run_left, server, deadline);
  if (!ok)
    fprintf (stderr, "synapse: %u execution(s) still running after %d s: stopping anyway; the database rolls "
                     "back what they had not committed\n",
             syn_local_backend_count_running_executions (syn_server_get_backend (server)), timeout_s);
  syn_server_disconnect (server);
  iterate_until (syn_server_is_idle, server,
                 MIN (deadline, g_get_monotonic_time () + CLOSE_GRACE_SECONDS * G_USEC_PER_SEC));
  g_source_remove (tick);
  return ok;
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
hint_unshown (JsonArray *usernames, SynServerConfig *config)
{
  const char *db = config->database ? config->database : g_getenv ("SYNAPSE_DB");
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

static int
report_problems (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    fprintf (stderr, "synapse: %s\n", (const char *) g_ptr_array_index (problems, i));
  return 1;
}

/* Flags over the file: the file's values stay where no flag is given. */
static void
apply_flag_string (SynServerConfig *config, const char *key, char **field, char **flag)
{
  if (*flag == NULL)
    return;
  g_free (*field);
  *field = g_steal_pointer (flag);
  syn_server_config_set_by_flag (config, key);
}

static void
apply_flag_int (SynServerConfig *config, const char *key, int *field, int flag)
{
  if (flag == G_MININT)
    return;
  *field = flag;
  syn_server_config_set_by_flag (config, key);
}

int
_syn_cli_serve (int argc, char **argv)
{
  g_auto(SynCliCommon) common = { 0 };
  g_autofree char *config_path = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *uri = NULL;
  int port = G_MININT;
  int max_body_mb = G_MININT;
  int shutdown_timeout = G_MININT;
  int run_lost_after = G_MININT;
  int run_retention_hours = G_MININT;
  gboolean quiet = FALSE;
  gboolean check_config = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SynServerConfig) config = syn_server_config_new ();
  g_autoptr(SynLocalBackend) backend = NULL;
  g_autoptr(SynServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(JsonNode) admin = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "Read the settings from FILE (default " SYN_SERVER_CONFIG_DEFAULT_PATH " when it exists and can be read); "
      "flags win", "FILE" },
    { "check-config", 0, 0, G_OPTION_ARG_NONE, &check_config,
      "Check the settings and the database, report every problem, start nothing", NULL },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "TCP port (default 8001; 0: any free one)", "N" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)", "ADDR" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve HTTPS with this PEM certificate (reloaded on SIGHUP)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "The certificate's PEM private key", "FILE" },
    { "max-body-mb", 0, 0, G_OPTION_ARG_INT, &max_body_mb, "Largest request body in MiB (default 16; CSV imports: 4 times that)", "N" },
    { "shutdown-timeout", 0, 0, G_OPTION_ARG_INT, &shutdown_timeout,
      "Seconds a stop (SIGTERM) waits for cancelled executions to roll back (default 30)", "S" },
    { "run-lost-after", 0, 0, G_OPTION_ARG_INT, &run_lost_after,
      "PostgreSQL: seconds without a heartbeat from the server running an execution before another marks it "
      "failed (default 30)", "S" },
    { "run-retention-hours", 0, 0, G_OPTION_ARG_INT, &run_retention_hours,
      "PostgreSQL: hours the messages of a finished execution are kept for late watchers (default 24)", "H" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No line per request", NULL },
    { NULL }
  };
  ServeState st = { 0 };
  guint sigint_id, sigterm_id, sighup_id;
  int ret = 1;

  if (!_syn_cli_parse (&argc, &argv, "", "Run the team server: REST and WebSocket API on a database.",
                       entries, &common, &error))
    return _syn_cli_fail (error);
  if (argc != 1)
    return _syn_cli_usage_error ("usage: synapse serve [--config FILE] [--check-config] [--db URI] [--port N] "
                                 "[--listen ADDR] [--tls-cert F --tls-key F]");
  if (common.connect != NULL)
    return _syn_cli_usage_error ("serve: --connect makes no sense for a server; give --db");

  /* the service's file, on a machine where it is installed; one this user
   * may not read (the service's secrets) is said and left out */
  if (config_path == NULL && g_file_test (SYN_SERVER_CONFIG_DEFAULT_PATH, G_FILE_TEST_EXISTS))
    {
      if (g_access (SYN_SERVER_CONFIG_DEFAULT_PATH, R_OK) == 0)
        config_path = g_strdup (SYN_SERVER_CONFIG_DEFAULT_PATH);
      else
        fprintf (stderr, "synapse: note: %s is not readable by this user and is not read (--config FILE names "
                         "another)\n", SYN_SERVER_CONFIG_DEFAULT_PATH);
    }
  if (config_path != NULL)
    syn_server_config_load (config, config_path, problems);
  /* the command line is seen by every user of the machine (ps) */
  if (common.db != NULL && syn_pg_store_is_uri (common.db))
    {
      g_autofree char *password = syn_pg_uri_get_option (common.db, "password");

      if (password != NULL)
        fprintf (stderr, "synapse: warning: the --db URI holds a password, which every user of this machine can "
                         "read (ps): put it in a file (password-file in the config file, or "
                         "SYNAPSE_DB_PASSWORD_FILE)\n");
    }
  apply_flag_string (config, "database", &config->database, &common.db);
  apply_flag_string (config, "listen", &config->listen, &listen);
  apply_flag_string (config, "tls-cert", &config->tls_cert, &tls_cert);
  apply_flag_string (config, "tls-key", &config->tls_key, &tls_key);
  apply_flag_int (config, "port", &config->port, port);
  apply_flag_int (config, "max-body-mb", &config->max_body_mb, max_body_mb);
  apply_flag_int (config, "shutdown-timeout", &config->shutdown_timeout, shutdown_timeout);
  apply_flag_int (config, "run-lost-after", &config->run_lost_after, run_lost_after);
  apply_flag_int (config, "run-retention-hours", &config->run_retention_hours, run_retention_hours);
  if (quiet)
    {
      config->quiet = TRUE;
      syn_server_config_set_by_flag (config, "quiet");
    }
  if (check_config)
    {
      syn_server_config_check (config, TRUE, problems);
      if (problems->len > 0)
        return report_problems (problems);
      printf ("%s: no problem found\n", config_path ? config_path : "the command line");
      return 0;
    }
  if (problems->len > 0 || !syn_server_config_check (config, FALSE, problems))
    return report_problems (problems);

  if (config->tls_cert != NULL && !(certificate = syn_server_config_load_certificate (config, &error)))
    return _syn_cli_fail (error);
  if (!(uri = syn_server_config_database_uri (config, &error)))
    return _syn_cli_fail (error);
  /* a server may start on a new database; only the default one's folder is made */
  if (config->database == NULL && g_getenv ("SYNAPSE_DB") == NULL && !syn_store_make_default_folder (&error))
    return _syn_cli_fail (error);
  backend = syn_local_backend_new (uri, &error);
  explicit_bzero (uri, strlen (uri));
  if (backend == NULL)
    return _syn_cli_fail (error);

  server = syn_server_new (backend);
  g_object_set (server,
                "log-requests", !config->quiet,
                "max-body-size", (guint64) config->max_body_mb * 1024 * 1024,
                "max-import-size", (guint64) config->max_body_mb * 4 * 1024 * 1024,
                "run-lost-after", (guint) config->run_lost_after,
                "run-retention", (guint) config->run_retention_hours * 3600,
                NULL);
  if (!syn_server_listen (server, config->listen, (guint) config->port, certificate, &error))
    {
      g_prefix_error (&error, "Cannot listen on %s:%d: ", config->listen ? config->listen : "127.0.0.1", config->port);
      return _syn_cli_fail (error);
    }
  /* from now on Ctrl+C and SIGTERM stop the server cleanly, SIGHUP reloads
   * the certificate: before the banner, which is what a supervisor waits for */
  loop = g_main_loop_new (NULL, FALSE);
  st.loop = loop;
  st.server = server;
  st.config = config;
  sigint_id = g_unix_signal_add (SIGINT, on_stop_signal, &st);
  sigterm_id = g_unix_signal_add (SIGTERM, on_stop_signal, &st);
  sighup_id = g_unix_signal_add (SIGHUP, on_reload_signal, &st);

  /* Only once the port is ours: an empty user table gets an admin whose
   * password is said once, here; a server that cannot listen makes none. */
  if (!(admin = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_ENSURE_ADMIN, NULL, NULL, &error)) ||
      (json_object_get_boolean_member_with_default (json_node_get_object (admin), "created", FALSE) &&
       !announce_admin (backend, server, json_node_get_object (admin), &error)))
    {
      ret = _syn_cli_fail (error);
      goto out;
    }
  hint_unshown (json_object_get_array_member (json_node_get_object (admin), "unshown"), config);
  {
    SynStore *store = syn_local_backend_acquire_store (backend, NULL);
    gboolean sqlite = store != NULL && g_strcmp0 (syn_store_get_backend_name (store), "sqlite") == 0;

    /* a PostgreSQL URI may hold a password: only a SQLite path is shown */
    printf ("Synapse %s serving the %s database%s%s at %s/ (Ctrl+C stops)\n", PACKAGE_VERSION,
            store ? syn_store_get_backend_name (store) : "unknown", sqlite ? " " : "",
            sqlite ? syn_local_backend_get_uri (backend) : "", syn_server_get_url (server));
    if (store != NULL)
      syn_local_backend_release_store (backend, store);
  }
  fflush (stdout);
  notify_supervisor ("READY=1");

  g_main_loop_run (loop);
  ret = shut_down (server, config->shutdown_timeout) ? 0 : 1;

out:
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_source_remove (sighup_id);
  syn_server_disconnect (server);
  return ret;
}

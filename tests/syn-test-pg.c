/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-pg.c: the throwaway PostgreSQL cluster of one test program; never a system-wide one. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/syn-pg-store.h"
#include "syn-test-pg.h"

#define TEMPLATE_DB "synapse_template"

static char    *cluster_dir;
static char    *server_uri;
static char    *template_uri;
static gboolean durable;
static guint    next_database;
/* initdb and the server refuse to run as root: they run as this user then */
static gboolean drop_root;
static uid_t    server_uid;
static gid_t    server_gid;

const char *
syn_test_pg_bindir (void)
{
  static char *bindir;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      const char *dir = g_getenv ("SYNAPSE_TEST_PG_BINDIR");
      g_autofree char *initdb = NULL;

      if (dir == NULL)
        dir = "/usr/lib/postgresql/15/bin";
      initdb = g_build_filename (dir, "initdb", NULL);
      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        bindir = g_strdup (dir);
      g_once_init_leave (&once, 1);
    }
  return bindir;
}

void
syn_test_pg_set_durable (gboolean value)
{
  g_return_if_fail (server_uri == NULL);
  durable = value;
}

static void
as_server_user (gpointer data)
{
  if (!drop_root)
    return;
  if (setgroups (0, NULL) != 0 || setgid (server_gid) != 0 || setuid (server_uid) != 0)
    _exit (127);
}

static gboolean
run (const char * const *argv, GError **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!g_spawn_sync (cluster_dir, (char **) argv, NULL, G_SPAWN_DEFAULT, as_server_user, NULL,
                     &out, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s failed (%s%s): ", argv[0], out ? out : "", err ? err : "");
      return FALSE;
    }
  return TRUE;
}

static void
stop_cluster (void)
{
  g_autofree char *pg_ctl = NULL;
  g_autofree char *data = NULL;

  if (cluster_dir == NULL)
    return;
  pg_ctl = g_build_filename (syn_test_pg_bindir (), "pg_ctl", NULL);
  data = g_build_filename (cluster_dir, "data", NULL);
  {
    const char *argv[] = { pg_ctl, "-D", data, "-m", "immediate", "-w", "stop", NULL };
    g_autoptr(GError) error = NULL;

    if (!run (argv, &error))
      g_printerr ("# could not stop the test PostgreSQL server: %s\n", error->message);
  }
  {
    const char *argv[] = { "rm", "-rf", cluster_dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_clear_pointer (&cluster_dir, g_free);
}

/* Should this program die without running its exit handlers (a failed
 * assertion aborts), the watchdog stops the server and removes its files. */
static void
start_watchdog (const char *pg_ctl, const char *data)
{
  g_autofree char *script = g_strdup_printf ("while [ -d /proc/%d ]; do sleep 1; done; "
                                             "'%s' -D '%s' -m immediate stop >/dev/null 2>&1; rm -rf '%s'",
                                             (int) getpid (), pg_ctl, data, cluster_dir);
  const char *argv[] = { "setsid", "sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async (cluster_dir, (char **) argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL |
                      G_SPAWN_STDERR_TO_DEV_NULL, as_server_user, NULL, NULL, &error))
    g_printerr ("# no watchdog for the test PostgreSQL server: %s\n", error->message);
}

static gboolean
start_cluster (GError **error)
{
  const char *bindir = syn_test_pg_bindir ();
  g_autofree char *initdb = g_build_filename (bindir, "initdb", NULL);
  g_autofree char *pg_ctl = g_build_filename (bindir, "pg_ctl", NULL);
  g_autofree char *data = NULL;
  g_autofree char *log = NULL;
  g_autofree char *options = NULL;
  int port = g_random_int_range (20000, 60000);

  cluster_dir = g_dir_make_tmp ("synapse-pg-XXXXXX", error);
  if (cluster_dir == NULL)
    return FALSE;
  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("postgres");

      if (pw == NULL)
        {
          g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                               "running as root, and there is no \"postgres\" user to run the server as");
          return FALSE;
        }
      drop_root = TRUE;
      server_uid = pw->pw_uid;
      server_gid = pw->pw_gid;
      if (chown (cluster_dir, server_uid, server_gid) != 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM, "chown %s: %s", cluster_dir, g_strerror (errno));
          return FALSE;
        }
    }
  data = g_build_filename (cluster_dir, "data", NULL);
  log = g_build_filename (cluster_dir, "server.log", NULL);
  {
    const char *argv[] = { initdb, "-D", data, "--auth=trust", "-U", "synapse", "-E", "UTF8",
                           "--no-locale", "--no-sync", NULL };

    if (!run (argv, error))
      return FALSE;
  }
  /* Unix socket in our own directory only: no TCP port, nothing shared */
  options = g_strdup_printf ("-k '%s' -c listen_addresses='' -p %d -c max_connections=200 %s", cluster_dir, port,
                             /* benchmarks: durable, with memory for a million events (the
                              * default 128 MB of shared buffers is a toy's) */
                             durable ? "-c shared_buffers=1GB -c max_wal_size=4GB"
                                     : "-c fsync=off -c full_page_writes=off -c synchronous_commit=off");
  {
    const char *argv[] = { pg_ctl, "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start", NULL };

    if (!run (argv, error))
      {
        g_autofree char *contents = NULL;

        if (g_file_get_contents (log, &contents, NULL, NULL))
          g_prefix_error (error, "%s\n", contents);
        return FALSE;
      }
  }
  start_watchdog (pg_ctl, data);
  atexit (stop_cluster);
  server_uri = g_strdup_printf ("host='%s' port=%d user=synapse dbname=postgres", cluster_dir, port);
  return TRUE;
}

const char *
syn_test_pg_server_uri (void)
{
  if (server_uri == NULL)
    {
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (syn_test_pg_bindir ());
      if (!start_cluster (&error))
        g_error ("Cannot start the test PostgreSQL server: %s", error->message);
    }
  return server_uri;
}

gboolean
syn_test_pg_exec (const char *uri, const char *sql, char **message)
{
  PGconn *conn = PQconnectdb (uri);
  gboolean ok = FALSE;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      if (message != NULL)
        *message = g_strdup (PQerrorMessage (conn));
    }
  else
    {
      PGresult *res = PQexec (conn, sql);
      ExecStatusType status = PQresultStatus (res);

      ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
      if (!ok && message != NULL)
        *message = g_strdup (PQresultErrorMessage (res));
      PQclear (res);
    }
  PQfinish (conn);
  return ok;
}

gint64
syn_test_pg_query_int (const char *uri, const char *sql)
{
  PGconn *conn = PQconnectdb (uri);
  PGresult *res;
  gint64 value;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) < 1)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  value = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  PQfinish (conn);
  return value;
}

static char *
database_uri (const char *dbname)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = syn_pg_uri_with_database (syn_test_pg_server_uri (), dbname, &error);

  g_assert_no_error (error);
  return g_steal_pointer (&uri);
}

/* The migrated template every test database is copied from: the migrations
 * run once per program, a copy takes a few tens of milliseconds. */
static void
ensure_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autofree char *message = NULL;

  if (template_uri != NULL)
    return;
  if (!syn_test_pg_exec (syn_test_pg_server_uri (), "CREATE DATABASE " TEMPLATE_DB, &message))
    g_error ("CREATE DATABASE " TEMPLATE_DB ": %s", message);
  template_uri = database_uri (TEMPLATE_DB);
  store = syn_store_open (template_uri, &error);
  g_assert_no_error (error);
}

char *
syn_test_pg_create_database (char **out_dbname)
{
  g_autofree char *dbname = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *message = NULL;

  ensure_template ();
  dbname = g_strdup_printf ("test_%u", ++next_database);
  sql = g_strdup_printf ("CREATE DATABASE %s TEMPLATE " TEMPLATE_DB, dbname);
  if (!syn_test_pg_exec (syn_test_pg_server_uri (), sql, &message))
    g_error ("%s: %s", sql, message);
  if (out_dbname != NULL)
    *out_dbname = g_strdup (dbname);
  return database_uri (dbname);
}

void
syn_test_pg_drop_database (const char *dbname)
{
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
  g_autofree char *message = NULL;

  if (!syn_test_pg_exec (syn_test_pg_server_uri (), sql, &message))
    g_error ("%s: %s", sql, message);
}

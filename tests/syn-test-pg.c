/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-pg.c: the throwaway PostgreSQL cluster of one test program; never a system-wide one. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
run_in (const char *dir, const char * const *argv, GError **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT, as_server_user, NULL,
                     &out, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s failed (%s%s): ", argv[0], out ? out : "", err ? err : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
run (const char * const *argv, GError **error)
{
  return run_in (cluster_dir, argv, error);
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
start_watchdog (const char *dir, const char *pg_ctl, const char *data)
{
  g_autofree char *script = g_strdup_printf ("while [ -d /proc/%d ]; do sleep 1; done; "
                                             "'%s' -D '%s' -m immediate stop >/dev/null 2>&1; rm -rf '%s'",
                                             (int) getpid (), pg_ctl, data, dir);
  const char *argv[] = { "setsid", "sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async (dir, (char **) argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL |
                      G_SPAWN_STDERR_TO_DEV_NULL, as_server_user, NULL, NULL, &error))
    g_printerr ("# no watchdog for the test PostgreSQL server: %s\n", error->message);
}

/* A temporary directory the server may write (as the "postgres" user when we are root). */
static char *
make_server_dir (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("synapse-pg-XXXXXX", error);

  if (dir == NULL)
    return NULL;
  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("postgres");

      if (pw == NULL)
        {
          g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                               "running as root, and there is no \"postgres\" user to run the server as");
          return NULL;
        }
      drop_root = TRUE;
      server_uid = pw->pw_uid;
      server_gid = pw->pw_gid;
      if (chown (dir, server_uid, server_gid) != 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM, "chown %s: %s", dir, g_strerror (errno));
          return NULL;
        }
    }
  return g_steal_pointer (&dir);
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

  cluster_dir = make_server_dir (error);
  if (cluster_dir == NULL)
    return FALSE;
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
  start_watchdog (cluster_dir, pg_ctl, data);
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

/* ------------------------------------------------------------------------- */
/* A primary and a synchronous hot standby (the failover harness)            */

typedef struct
{
  char *dir;      /* its Unix socket directory; data/ and server.log inside */
  char *data;
  char *log;
  int   port;
} PgNode;

struct _SynTestPgPair
{
  PgNode nodes[2];
  guint  primary;   /* index of the node that takes writes */
};

static char *
pg_tool (const char *name)
{
  return g_build_filename (syn_test_pg_bindir (), name, NULL);
}

static char *
node_conninfo (const PgNode *node, const char *dbname)
{
  return g_strdup_printf ("host='%s' port=%d user=synapse dbname='%s'", node->dir, node->port, dbname);
}

static gboolean
node_start (PgNode *node, GError **error)
{
  g_autofree char *pg_ctl = pg_tool ("pg_ctl");
  /* fsync off: a SIGKILLed server keeps what the kernel has (the machine
   * stays up); what a failover must not lose is on the standby, which the
   * primary waits for (synchronous_commit on, synchronous_standby_names in
   * postgresql.auto.conf, where ALTER SYSTEM can change it) */
  g_autofree char *options = g_strdup_printf ("-k '%s' -c listen_addresses='' -p %d -c max_connections=200 "
                                              "-c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=256MB "
                                              "-c hot_standby=on -c synchronous_commit=on -c fsync=off",
                                              node->dir, node->port);
  const char *argv[] = { pg_ctl, "-D", node->data, "-l", node->log, "-w", "-t", "120", "-o", options, "start", NULL };

  if (!run_in (node->dir, argv, error))
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (node->log, &contents, NULL, NULL))
        g_prefix_error (error, "%s\n", contents);
      return FALSE;
    }
  return TRUE;
}

static gboolean
node_init (PgNode *node, GError **error)
{
  g_autofree char *pg_ctl = pg_tool ("pg_ctl");

  node->dir = make_server_dir (error);
  if (node->dir == NULL)
    return FALSE;
  node->data = g_build_filename (node->dir, "data", NULL);
  node->log = g_build_filename (node->dir, "server.log", NULL);
  node->port = g_random_int_range (20000, 60000);
  start_watchdog (node->dir, pg_ctl, node->data);
  return TRUE;
}

static void
node_remove_data (PgNode *node)
{
  const char *argv[] = { "rm", "-rf", node->data, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

static gboolean
exec_on (const PgNode *node, const char *sql, GError **error)
{
  g_autofree char *uri = node_conninfo (node, "postgres");
  g_autofree char *message = NULL;

  if (!syn_test_pg_exec (uri, sql, &message))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s: %s", sql, message);
      return FALSE;
    }
  return TRUE;
}

/* A hot standby of the primary in @node's directory: pg_basebackup -R, then
 * its application_name, which synchronous_standby_names names. */
static gboolean
node_make_standby (SynTestPgPair *self, PgNode *node, GError **error)
{
  const PgNode *primary = &self->nodes[self->primary];
  g_autofree char *basebackup = pg_tool ("pg_basebackup");
  g_autofree char *port = g_strdup_printf ("%d", primary->port);
  g_autofree char *conf = g_build_filename (node->data, "postgresql.auto.conf", NULL);
  g_autofree char *conninfo = g_strdup_printf ("\nprimary_conninfo = 'host=''%s'' port=%d user=synapse "
                                               "application_name=standby1'\n", primary->dir, primary->port);
  const char *argv[] = { basebackup, "-D", node->data, "-h", primary->dir, "-p", port, "-U", "synapse",
                         "-R", "-X", "stream", "--no-sync", "-c", "fast", NULL };
  g_autofree char *contents = NULL;
  g_autofree char *with_conninfo = NULL;

  node_remove_data (node);
  if (!run_in (node->dir, argv, error))
    return FALSE;
  /* the later line wins: ours names the standby */
  if (!g_file_get_contents (conf, &contents, NULL, error))
    return FALSE;
  with_conninfo = g_strconcat (contents, conninfo, NULL);
  if (!g_file_set_contents (conf, with_conninfo, -1, error))
    return FALSE;
  if (drop_root && chown (conf, server_uid, server_gid) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM, "chown %s: %s", conf, g_strerror (errno));
      return FALSE;
    }
  return node_start (node, error);
}

SynTestPgPair *
syn_test_pg_pair_start (GError **error)
{
  g_autoptr(SynTestPgPair) self = g_new0 (SynTestPgPair, 1);
  g_autofree char *initdb = pg_tool ("initdb");

  g_return_val_if_fail (syn_test_pg_bindir () != NULL, NULL);

  if (!node_init (&self->nodes[0], error) || !node_init (&self->nodes[1], error))
    return NULL;
  {
    const char *argv[] = { initdb, "-D", self->nodes[0].data, "--auth=trust", "-U", "synapse", "-E", "UTF8",
                           "--no-locale", "--no-sync", NULL };

    if (!run_in (self->nodes[0].dir, argv, error))
      return NULL;
  }
  if (!node_start (&self->nodes[0], error) ||
      !exec_on (&self->nodes[0], "ALTER SYSTEM SET synchronous_standby_names = 'standby1'", error) ||
      !exec_on (&self->nodes[0], "SELECT pg_reload_conf()", error) ||
      !node_make_standby (self, &self->nodes[1], error) ||
      !syn_test_pg_pair_wait_synchronous (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

char *
syn_test_pg_pair_uri (SynTestPgPair *self, const char *dbname)
{
  return g_strdup_printf ("postgresql:///%s?host=%s,%s&port=%d,%d&user=synapse&target_session_attrs=read-write",
                          dbname, self->nodes[0].dir, self->nodes[1].dir, self->nodes[0].port, self->nodes[1].port);
}

char *
syn_test_pg_pair_primary_uri (SynTestPgPair *self, const char *dbname)
{
  return node_conninfo (&self->nodes[self->primary], dbname);
}

/* The server's processes: the postmaster (stopped first, so that it forks
 * no more) and its children. */
static GArray *
server_processes (int postmaster)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_array_append_val (pids, postmaster);
  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *end;
      int pid = atoi (name), ppid = 0;

      if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL) || !(end = strrchr (stat, ')')))
        continue;
      /* "pid (comm) state ppid ..." */
      if (sscanf (end + 1, " %*c %d", &ppid) == 1 && ppid == postmaster)
        g_array_append_val (pids, pid);
    }
  return pids;
}

int
syn_test_pg_pair_kill_primary (SynTestPgPair *self)
{
  PgNode *node = &self->nodes[self->primary];
  g_autofree char *pidfile = g_build_filename (node->data, "postmaster.pid", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GArray) pids = NULL;
  int postmaster;

  g_assert_true (g_file_get_contents (pidfile, &contents, NULL, NULL));
  postmaster = atoi (contents);
  g_assert_cmpint (postmaster, >, 0);
  kill (postmaster, SIGSTOP);
  pids = server_processes (postmaster);
  /* the machine gone at once: every process, no shutdown of any kind */
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, int, i), SIGKILL);
  return (int) pids->len;
}

gboolean
syn_test_pg_pair_promote (SynTestPgPair *self, GError **error)
{
  guint standby = 1 - self->primary;
  g_autofree char *pg_ctl = pg_tool ("pg_ctl");
  const char *argv[] = { pg_ctl, "-D", self->nodes[standby].data, "-w", "-t", "120", "promote", NULL };

  if (!run_in (self->nodes[standby].dir, argv, error))
    return FALSE;
  self->primary = standby;
  /* no standby left to wait for: the new primary commits alone until
   * another joins (what a failover manager does) */
  return exec_on (&self->nodes[standby], "ALTER SYSTEM SET synchronous_standby_names = ''", error) &&
         exec_on (&self->nodes[standby], "SELECT pg_reload_conf()", error);
}

gboolean
syn_test_pg_pair_rebuild_standby (SynTestPgPair *self, GError **error)
{
  PgNode *primary = &self->nodes[self->primary];

  return node_make_standby (self, &self->nodes[1 - self->primary], error) &&
         exec_on (primary, "ALTER SYSTEM SET synchronous_standby_names = 'standby1'", error) &&
         exec_on (primary, "SELECT pg_reload_conf()", error) &&
         syn_test_pg_pair_wait_synchronous (self, error);
}

gboolean
syn_test_pg_pair_wait_synchronous (SynTestPgPair *self, GError **error)
{
  g_autofree char *uri = node_conninfo (&self->nodes[self->primary], "postgres");
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  const char *sql = "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'standby1' "
                    "AND sync_state = 'sync' AND state = 'streaming'";

  while (syn_test_pg_query_int (uri, sql) == 0)
    {
      if (g_get_monotonic_time () > end)
        {
          g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                               "the standby did not become synchronous in 120 s");
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
  return TRUE;
}

void
syn_test_pg_pair_free (SynTestPgPair *self)
{
  g_autofree char *pg_ctl = pg_tool ("pg_ctl");

  for (guint i = 0; i < 2; i++)
    {
      PgNode *node = &self->nodes[i];

      if (node->dir != NULL)
        {
          const char *stop[] = { pg_ctl, "-D", node->data, "-m", "immediate", "-w", "stop", NULL };
          const char *rm[] = { "rm", "-rf", node->dir, NULL };

          /* a killed node has nothing to stop */
          run_in (node->dir, stop, NULL);
          g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
        }
      g_free (node->dir);
      g_free (node->data);
      g_free (node->log);
    }
  g_free (self);
}

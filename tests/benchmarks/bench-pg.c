/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-pg.c: PostgreSQL helpers shared by the benchmarks. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench-pg.h"
#include "store/syn-pg-store.h"
#include "syn-test-pg.h"

const char *
bench_db_argument (int *argc, char **argv)
{
  const char *db = g_getenv ("SYNAPSE_BENCH_DB");

  /* removes "--db URI" so the positional arguments stay where they were */
  for (int i = 1; i < *argc; i++)
    {
      if (strcmp (argv[i], "--db") != 0 || i + 1 >= *argc)
        continue;
      db = argv[i + 1];
      memmove (&argv[i], &argv[i + 2], (*argc - i - 2) * sizeof (char *));
      *argc -= 2;
      break;
    }
  return db;
}

gboolean
bench_db_is_postgres (const char *db)
{
  return db != NULL && (strcmp (db, "postgresql") == 0 || syn_pg_store_is_uri (db));
}

const char *
bench_pg_server (const char *db)
{
  if (strcmp (db, "postgresql") != 0)
    return db;
  if (syn_test_pg_bindir () == NULL)
    g_error ("--db postgresql needs PostgreSQL 15's server binaries (postgresql-15)");
  syn_test_pg_set_durable (TRUE);
  return syn_test_pg_server_uri ();
}

PGconn *
bench_pg_connect (const char *uri)
{
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s", PQerrorMessage (conn));
  return conn;
}

void
bench_pg_exec (PGconn *conn, const char *sql)
{
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
}

char *
bench_pg_create_database (const char *server, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  PGconn *conn = bench_pg_connect (server);
  char *uri;
  SynStore *store;

  bench_pg_exec (conn, sql);
  PQfinish (conn);
  uri = syn_pg_uri_with_database (server, name, &error);
  g_assert_no_error (error);
  store = syn_store_open (uri, &error);
  g_assert_no_error (error);
  g_object_unref (store);
  return uri;
}

void
bench_pg_drop_database (const char *server, const char *name)
{
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  PGconn *conn = bench_pg_connect (server);

  bench_pg_exec (conn, sql);
  PQfinish (conn);
}

void
bench_pg_copy_in (PGconn *conn, const char *sql, const char *data, gsize length)
{
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COPY_IN)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
  for (gsize off = 0; off < length; off += 1 << 20)
    if (PQputCopyData (conn, data + off, (int) MIN ((gsize) 1 << 20, length - off)) != 1)
      g_error ("%s: %s", sql, PQerrorMessage (conn));
  if (PQputCopyEnd (conn, NULL) != 1)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  while ((res = PQgetResult (conn)) != NULL)
    {
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_error ("%s: %s", sql, PQresultErrorMessage (res));
      PQclear (res);
    }
}

/* COPY ... TO STDOUT into a file, chunk by chunk: no copy of it in memory. */
guint64
bench_pg_copy_out_file (PGconn *conn, const char *sql, const char *path)
{
  FILE *out = fopen (path, "w");
  PGresult *res = PQexec (conn, sql);
  guint64 rows = 0;
  char *buf;
  int n;

  if (out == NULL)
    g_error ("%s: %s", path, g_strerror (errno));
  if (PQresultStatus (res) != PGRES_COPY_OUT)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
  while ((n = PQgetCopyData (conn, &buf, 0)) > 0)
    {
      if (fwrite (buf, 1, n, out) != (size_t) n)
        g_error ("%s: %s", path, g_strerror (errno));
      rows++;
      PQfreemem (buf);
    }
  while ((res = PQgetResult (conn)) != NULL)
    {
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_error ("%s: %s", sql, PQresultErrorMessage (res));
      PQclear (res);
    }
  fclose (out);
  return rows;
}

void
bench_pg_copy_in_file (PGconn *conn, const char *sql, const char *path)
{
  FILE *in = fopen (path, "r");
  PGresult *res = PQexec (conn, sql);
  char buf[1 << 16];
  size_t n;

  if (in == NULL)
    g_error ("%s: %s", path, g_strerror (errno));
  if (PQresultStatus (res) != PGRES_COPY_IN)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
  while ((n = fread (buf, 1, sizeof buf, in)) > 0)
    if (PQputCopyData (conn, buf, (int) n) != 1)
      g_error ("%s: %s", sql, PQerrorMessage (conn));
  fclose (in);
  if (PQputCopyEnd (conn, NULL) != 1)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  while ((res = PQgetResult (conn)) != NULL)
    {
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_error ("%s: %s", sql, PQresultErrorMessage (res));
      PQclear (res);
    }
}

const char *
bench_pg_server_version (const char *server)
{
  static char version[64];
  PGconn *conn = bench_pg_connect (server);
  int v = PQserverVersion (conn);

  g_snprintf (version, sizeof version, "PostgreSQL %d.%d", v / 10000, v % 10000);
  PQfinish (conn);
  return version;
}

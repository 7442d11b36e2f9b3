/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-pg.h: PostgreSQL for the benchmarks: a server (given, or a throwaway durable cluster), fresh databases, raw COPY. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* --db URI, else $SYNAPSE_BENCH_DB; NULL for the default (SQLite). */
const char *bench_db_argument        (int          *argc,
                                      char        **argv);
gboolean    bench_db_is_postgres     (const char   *db);
/* The server to create the benchmark's databases on: @db itself, or for the
 * bare word "postgresql" a throwaway cluster (fsync and synchronous commit
 * on, as in production) started now and removed at exit. */
const char *bench_pg_server          (const char   *db);
/* A new database on @server, migrated by SynStore; its connection string. */
char       *bench_pg_create_database (const char   *server,
                                      const char   *name);
void        bench_pg_drop_database   (const char   *server,
                                      const char   *name);
PGconn     *bench_pg_connect         (const char   *uri);
void        bench_pg_exec            (PGconn       *conn,
                                      const char   *sql);
/* COPY ... FROM STDIN of @data (inside whatever transaction is open). */
void        bench_pg_copy_in         (PGconn       *conn,
                                      const char   *sql,
                                      const char   *data,
                                      gsize         length);
/* The same through a file, for big tables: the rows never sit in memory.
 * Returns the rows written. */
guint64     bench_pg_copy_out_file   (PGconn       *conn,
                                      const char   *sql,
                                      const char   *path);
void        bench_pg_copy_in_file    (PGconn       *conn,
                                      const char   *sql,
                                      const char   *path);
const char *bench_pg_server_version  (const char   *server);

G_END_DECLS

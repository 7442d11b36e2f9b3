/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-pg.h: a throwaway PostgreSQL 15 cluster per test program: initdb into a temporary directory, Unix socket only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where PostgreSQL's server binaries are ($SYNAPSE_TEST_PG_BINDIR, else
 * /usr/lib/postgresql/15/bin); NULL when they are not installed. */
const char *syn_test_pg_bindir             (void);
/* Benchmarks: fsync and synchronous commit as in production. Call before first use. */
void        syn_test_pg_set_durable        (gboolean     durable);
/* Starts the cluster on first use, stopped and removed at exit (or, should the
 * program die, by a watchdog); the connection string of its "postgres"
 * database. The test fails when the cluster cannot start. */
const char *syn_test_pg_server_uri         (void);
/* A new, empty (migrated) database; its connection string. */
char       *syn_test_pg_create_database    (char       **out_dbname);
void        syn_test_pg_drop_database      (const char  *dbname);
/* Raw SQL on its own connection; FALSE with the server's message on failure. */
gboolean    syn_test_pg_exec               (const char  *uri,
                                            const char  *sql,
                                            char       **message);
/* The first column of the first row, as an integer. */
gint64      syn_test_pg_query_int          (const char  *uri,
                                            const char  *sql);

G_END_DECLS

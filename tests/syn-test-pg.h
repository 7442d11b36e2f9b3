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

/* A primary and a synchronous hot standby (streaming replication: wal_level
 * replica, synchronous_standby_names 'standby1', synchronous_commit on), each
 * a throwaway cluster with its Unix socket in a directory of its own; the
 * failover harness kills the primary and promotes the standby. */
typedef struct _SynTestPgPair SynTestPgPair;

SynTestPgPair *syn_test_pg_pair_start          (GError        **error);
void           syn_test_pg_pair_free           (SynTestPgPair  *self);
/* "postgresql:///DB?host=A,B&port=PA,PB&target_session_attrs=read-write":
 * whichever node takes writes */
char          *syn_test_pg_pair_uri            (SynTestPgPair  *self,
                                                const char     *dbname);
/* The node that takes writes now, alone. */
char          *syn_test_pg_pair_primary_uri    (SynTestPgPair  *self,
                                                const char     *dbname);
/* SIGKILLs every process of the primary at once; the number killed. */
int            syn_test_pg_pair_kill_primary   (SynTestPgPair  *self);
/* pg_ctl promote: the standby takes writes, alone (no synchronous standby
 * is asked for until syn_test_pg_pair_rebuild_standby()). */
gboolean       syn_test_pg_pair_promote        (SynTestPgPair  *self,
                                                GError        **error);
/* A new standby from the new primary (pg_basebackup) where the old primary
 * was, synchronous again. */
gboolean       syn_test_pg_pair_rebuild_standby (SynTestPgPair *self,
                                                 GError       **error);
gboolean       syn_test_pg_pair_wait_synchronous (SynTestPgPair *self,
                                                  GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynTestPgPair, syn_test_pg_pair_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-fixture.h: shared test fixture: a throwaway database with one project, on each backend. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

typedef enum {
  SYN_TEST_BACKEND_SQLITE = 1,
  SYN_TEST_BACKEND_POSTGRESQL,
} SynTestBackend;

typedef struct
{
  SynTestBackend backend;
  char          *tmpdir;
  char          *uri;
  char          *dbname;    /* PostgreSQL: the test's own database on the throwaway cluster */
  SynStore      *store;
  SynProject    *project;
} SynTestFixture;

typedef void (*SynTestFunc) (SynTestFixture *fixture,
                             gconstpointer   user_data);

void      syn_test_fixture_setup      (SynTestFixture *fixture,
                                       gconstpointer   user_data);
void      syn_test_fixture_teardown   (SynTestFixture *fixture,
                                       gconstpointer   user_data);
SynStore *syn_test_fixture_open_again (SynTestFixture *fixture);
SynProject *syn_test_create_project   (SynStore       *store,
                                       const char     *name,
                                       const char     *country);
void      syn_test_rm_rf              (const char     *path);
/* Raw SQL on a connection of its own, past the store: FALSE with the
 * database's message when it fails. */
gboolean  syn_test_exec_raw           (SynTestFixture *fixture,
                                       const char     *sql,
                                       char          **message);
/* The first column of the first row of a raw query, as an integer. */
gint64    syn_test_query_int          (SynTestFixture *fixture,
                                       const char     *sql);
/* Appends a batch of @n_events events (the first of @first_type, then
 * BATCH_COMPLETED) with a chosen id, without a snapshot: ids that share
 * their start or end, for the batch id resolver (issue 12). */
void      syn_test_append_batch       (SynStore       *store,
                                       const char     *project_id,
                                       const char     *correlation_id,
                                       const char     *first_type,
                                       guint           n_events);
/* Registers @func once per backend: /synapse/AREA/CASE becomes
 * /synapse/AREA/sqlite/CASE and /synapse/AREA/postgresql/CASE. Without
 * PostgreSQL's binaries the PostgreSQL cases are skipped, and say why. */
void      syn_test_add                (const char     *path,
                                       SynTestFunc     func);

/* Registers @func on PostgreSQL only (skipped without its binaries). */
void      syn_test_add_postgresql     (const char     *path,
                                       SynTestFunc     func);

/* The project's events, rolled-back ones included. */
guint64     syn_test_count_events     (SynTestFixture *fixture);
char       *syn_test_state_hash       (SynTestFixture *fixture);
/* Saves each rule of a JSON array into the project. */
void        syn_test_save_rules       (SynTestFixture *fixture,
                                       const char     *json);
/* A full run of the project's rules (mode execute): its answer. */
JsonObject *syn_test_execute          (SynTestFixture *fixture);

#define SYN_TEST_ADD(path, func) syn_test_add (path, func)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-fixture.c: throwaway databases for tests (a SQLite file, or a PostgreSQL database), removed afterwards. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "engine/syn-rule-editor.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-rule-parser.h"
#include "engine/syn-state-hash.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"

void
syn_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            syn_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

SynProject *
syn_test_create_project (SynStore *store, const char *name, const char *country)
{
  g_autoptr(GError) error = NULL;
  SynProject *project = syn_project_new ();

  project->name = g_strdup (name);
  project->country = g_strdup (country);
  project->description = g_strdup ("Test project");
  g_assert_true (syn_store_insert_project (store, project, &error));
  g_assert_no_error (error);
  return project;
}

void
syn_test_fixture_setup (SynTestFixture *fixture, gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->backend = user_data ? (SynTestBackend) GPOINTER_TO_INT (user_data) : SYN_TEST_BACKEND_SQLITE;
  fixture->tmpdir = g_dir_make_tmp ("synapse-test-XXXXXX", &error);
  g_assert_no_error (error);
  if (fixture->backend == SYN_TEST_BACKEND_POSTGRESQL)
    fixture->uri = syn_test_pg_create_database (&fixture->dbname);
  else
    fixture->uri = g_build_filename (fixture->tmpdir, "test.db", NULL);
  fixture->store = syn_store_open (fixture->uri, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
  fixture->project = syn_test_create_project (fixture->store, "Test", "CA");
}

void
syn_test_fixture_teardown (SynTestFixture *fixture, gconstpointer user_data)
{
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->store);
  /* WITH (FORCE): a connection a failed test left open does not keep it */
  if (fixture->dbname != NULL)
    syn_test_pg_drop_database (fixture->dbname);
  syn_test_rm_rf (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->uri, g_free);
  g_clear_pointer (&fixture->dbname, g_free);
}

SynStore *
syn_test_fixture_open_again (SynTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SynStore *store = syn_store_open_another (fixture->store, &error);

  g_assert_no_error (error);
  return store;
}

gboolean
syn_test_exec_raw (SynTestFixture *fixture, const char *sql, char **message)
{
  sqlite3 *db = NULL;
  char *errmsg = NULL;
  int rc;

  if (fixture->backend == SYN_TEST_BACKEND_POSTGRESQL)
    return syn_test_pg_exec (fixture->uri, sql, message);

  g_assert_cmpint (sqlite3_open (fixture->uri, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK && message != NULL)
    *message = g_strdup (errmsg ? errmsg : sqlite3_errstr (rc));
  sqlite3_free (errmsg);
  sqlite3_close (db);
  return rc == SQLITE_OK;
}

void
syn_test_append_batch (SynStore *store, const char *project_id, const char *correlation_id, const char *first_type,
                       guint n_events)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_events; i++)
    {
      SynEvent *e = syn_event_new ();

      e->event_type = g_strdup (i == 0 ? first_type : SYN_EVENT_BATCH_COMPLETED);
      e->aggregate_type = g_strdup (SYN_AGGREGATE_BATCH);
      e->aggregate_id = g_strdup (correlation_id);
      e->project_id = g_strdup (project_id);
      e->correlation_id = g_strdup (correlation_id);
      e->sequence_num = i;
      g_ptr_array_add (events, e);
    }
  g_assert_true (syn_store_append_events (store, events, &error));
  g_assert_no_error (error);
}

gint64
syn_test_query_int (SynTestFixture *fixture, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (fixture->backend == SYN_TEST_BACKEND_POSTGRESQL)
    return syn_test_pg_query_int (fixture->uri, sql);

  g_assert_cmpint (sqlite3_open (fixture->uri, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
skip_test (gconstpointer data)
{
  g_test_skip (data);
}

/* /synapse/AREA/REST -> /synapse/AREA/BACKEND/REST */
static char *
backend_path (const char *path, const char *backend)
{
  const char *slash = path;

  for (guint i = 0; i < 3 && slash != NULL; i++)
    slash = strchr (slash + (i > 0), '/');
  if (slash == NULL)
    return g_strconcat (path, "/", backend, NULL);
  return g_strdup_printf ("%.*s/%s%s", (int) (slash - path), path, backend, slash);
}

void
syn_test_add_postgresql (const char *path, SynTestFunc func)
{
  const char *only = g_getenv ("SYNAPSE_TEST_BACKENDS");

  if (only != NULL && strstr (only, "postgresql") == NULL)
    g_test_add_data_func (path, "PostgreSQL tests not selected ($SYNAPSE_TEST_BACKENDS)", skip_test);
  else if (syn_test_pg_bindir () == NULL)
    g_test_add_data_func (path, "PostgreSQL 15 is not installed (no /usr/lib/postgresql/15/bin/initdb): "
                          "install postgresql-15 to run the PostgreSQL variants", skip_test);
  else
    g_test_add_vtable (path, sizeof (SynTestFixture), GINT_TO_POINTER (SYN_TEST_BACKEND_POSTGRESQL),
                       (GTestFixtureFunc) syn_test_fixture_setup, (GTestFixtureFunc) func,
                       (GTestFixtureFunc) syn_test_fixture_teardown);
}

void
syn_test_add (const char *path, SynTestFunc func)
{
  g_autofree char *sqlite_path = backend_path (path, "sqlite");
  g_autofree char *pg_path = backend_path (path, "postgresql");

  g_test_add_vtable (sqlite_path, sizeof (SynTestFixture), GINT_TO_POINTER (SYN_TEST_BACKEND_SQLITE),
                     (GTestFixtureFunc) syn_test_fixture_setup, (GTestFixtureFunc) func,
                     (GTestFixtureFunc) syn_test_fixture_teardown);
  syn_test_add_postgresql (pg_path, func);
}

guint64
syn_test_count_events (SynTestFixture *fixture)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (fixture->project->id);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  q->include_rolled_back = TRUE;
  q->limit = 1;
  events = syn_store_query_events (fixture->store, q, &total, &error);
  g_assert_no_error (error);
  return total;
}

char *
syn_test_state_hash (SynTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *hash = syn_state_hash_compute (fixture->store, fixture->project->id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hash);
  return hash;
}

void
syn_test_save_rules (SynTestFixture *fixture, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = syn_json_parse (json, -1, &error);
  JsonArray *rules;

  g_assert_no_error (error);
  rules = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      g_autoptr(SynRule) rule = syn_rule_parse (json_array_get_object_element (rules, i), fixture->project->id,
                                                &error);
      g_autoptr(SynRule) saved = NULL;

      g_assert_no_error (error);
      saved = syn_rule_editor_save (fixture->store, rule, "tester", NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (saved);
    }
}

JsonObject *
syn_test_execute (SynTestFixture *fixture)
{
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (syn_store_get_uri (fixture->store));
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (request, "project_id", fixture->project->id);
  json_object_set_string_member (request, "mode", "execute");
  answer = syn_rule_engine_run (engine, fixture->store, NULL, request, "tester", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return json_object_ref (json_node_get_object (answer));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: SynStore on SQLite and PostgreSQL: opening, migrations, entities, uniqueness, state hash. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "engine/syn-batch.h"
#include "engine/syn-state-hash.h"
#include "store/syn-pg-store.h"
#include "store/syn-sqlite-store.h"
#include "syn-test-fixture.h"

static int
latest_schema_version (SynTestFixture *f)
{
  return f->backend == SYN_TEST_BACKEND_POSTGRESQL ? syn_pg_store_latest_schema_version ()
                                                   : syn_sqlite_store_latest_schema_version ();
}

static int
schema_version (SynTestFixture *f, SynStore *store)
{
  return f->backend == SYN_TEST_BACKEND_POSTGRESQL ? syn_pg_store_schema_version (SYN_PG_STORE (store))
                                                   : syn_sqlite_store_schema_version (SYN_SQLITE_STORE (store));
}

/* How many migrations this build has: the numbers may have gaps while
 * branches land (each records its own number), so not always the latest. */
static int
n_migrations (SynTestFixture *f)
{
  g_auto(GStrv) names = g_resources_enumerate_children (f->backend == SYN_TEST_BACKEND_POSTGRESQL
                                                        ? "/io/github/synapse_rules/Synapse/schema/postgres/"
                                                        : "/io/github/synapse_rules/Synapse/schema/sqlite/", 0, NULL);

  return names ? (int) g_strv_length (names) : 0;
}

static void
test_migrations_recorded (SynTestFixture *f, gconstpointer data)
{
  int latest = latest_schema_version (f);
  g_autoptr(SynStore) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (latest, >=, 1);
  g_assert_cmpint (schema_version (f, f->store), ==, latest);
  g_assert_cmpint (syn_test_query_int (f, "SELECT MAX(version) FROM schema_version"), ==, latest);
  g_assert_cmpint (n_migrations (f), >=, 1);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM schema_version"), ==, n_migrations (f));

  /* reopening applies nothing twice */
  again = syn_store_open (f->uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (schema_version (f, again), ==, latest);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM schema_version"), ==, n_migrations (f));

  if (f->backend == SYN_TEST_BACKEND_SQLITE)
    {
      sqlite3 *db;
      sqlite3_stmt *stmt;

      /* WAL, foreign keys and the busy timeout are set on every connection */
      g_assert_cmpint (sqlite3_open (f->uri, &db), ==, SQLITE_OK);
      sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }

  /* every table of the design exists */
  {
    static const char *tables[] = { "projects", "users", "assets", "cables", "edges", "rule_definitions",
                                    "workflow_events", "execution_snapshots", "executions" };
    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *sql = NULL;

        if (f->backend == SYN_TEST_BACKEND_POSTGRESQL)
          sql = g_strdup_printf ("SELECT count(*) FROM information_schema.tables WHERE table_name = '%s'", tables[i]);
        else
          sql = g_strdup_printf ("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", tables[i]);
        g_assert_cmpint (syn_test_query_int (f, sql), ==, 1);
      }
  }
}

static void
test_foreign_keys_enforced (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) asset = syn_asset_new ();
  g_autoptr(GError) error = NULL;

  asset->project_id = g_strdup ("no-such-project");
  asset->tag = g_strdup ("X-1");
  asset->type = g_strdup ("PUMP");
  g_assert_false (syn_store_insert_asset (f->store, asset, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
}

static void
test_newer_schema_refused (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autofree char *message = NULL;
  /* applied_at copied from a row: an integer on SQLite, a timestamptz on PostgreSQL */
  g_autofree char *sql = g_strdup_printf ("INSERT INTO schema_version (version, applied_at) "
                                          "SELECT %d, applied_at FROM schema_version LIMIT 1",
                                          latest_schema_version (f) + 1);

  g_clear_object (&f->store);
  g_assert_true (syn_test_exec_raw (f, sql, &message));
  store = syn_store_open (f->uri, &error);
  g_assert_null (store);
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer"));
  /* and nothing was changed by the attempt */
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM projects WHERE id <> 'library'"), ==, 1);
  f->store = syn_sqlite_store_open (":memory:", NULL);
}

/* A connection opens while another one holds the write lock (a batch being
 * written): the backend's pool opens one for a reader in the middle of a
 * run. Opening used to take the write lock to read the schema version, and
 * waited for the batch (30 s, then BUSY). */
static void
test_open_while_writing (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) second = NULL;
  g_autoptr(GPtrArray) projects = NULL;

  g_assert_true (syn_store_begin (f->store, &error));
  g_assert_true (syn_store_lock_project (f->store, f->project->id, &error));
  second = syn_store_open (f->uri, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  projects = syn_store_list_projects (second, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (projects->len, ==, 1);
  syn_store_rollback (f->store);
}

/* PostgreSQL: a database that does not exist, a server that is not there. */
static void
test_not_a_database_pg (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = syn_pg_uri_with_database (f->uri, "no_such_database", &error);
  g_autoptr(SynStore) store = NULL;

  g_assert_no_error (error);
  store = syn_store_open (missing, &error);
  g_assert_null (store);
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "no_such_database"));
  g_clear_error (&error);

  store = syn_store_open ("host=/nonexistent-socket-dir port=1 dbname=synapse user=nobody", &error);
  g_assert_null (store);
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN);
}

static void
test_not_a_database (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text_path = g_build_filename (f->tmpdir, "notes.txt", NULL);
  g_autofree char *damaged_path = g_build_filename (f->tmpdir, "damaged.db", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  SynStore *store;

  if (f->backend == SYN_TEST_BACKEND_POSTGRESQL)
    {
      test_not_a_database_pg (f);
      return;
    }

  g_assert_true (g_file_set_contents (text_path, "This is not a database, just some text.\n"
                                      "It is long enough to look like a page header to nobody.\n"
                                      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", -1, NULL));
  store = syn_store_open (text_path, &error);
  g_assert_null (store);
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "not a Synapse database"));
  g_clear_error (&error);

  /* a real database whose pages were overwritten */
  g_clear_object (&f->store);
  g_assert_true (g_file_get_contents (f->uri, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4096);
  memset (contents + 16, 0xA5, length - 16);
  g_assert_true (g_file_set_contents (damaged_path, contents, length, NULL));
  store = syn_store_open (damaged_path, &error);
  g_assert_null (store);
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN);
  g_clear_error (&error);

  /* a directory where the file should be */
  store = syn_store_open (f->tmpdir, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  f->store = syn_sqlite_store_open (":memory:", NULL);
}

static void
test_projects (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynProject) by_name = syn_store_find_project (f->store, "Test", &error);
  g_autoptr(SynProject) by_id = syn_store_find_project (f->store, f->project->id, &error);
  g_autoptr(SynProject) none = syn_store_find_project (f->store, "Nope", &error);
  g_autoptr(SynProject) dup = syn_project_new ();
  g_autoptr(SynProject) other = syn_test_create_project (f->store, "Alpha", NULL);
  g_autoptr(GPtrArray) all = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (by_name->id, ==, f->project->id);
  g_assert_cmpstr (by_id->name, ==, "Test");
  g_assert_cmpstr (by_id->country, ==, "CA");
  g_assert_cmpint (by_id->created_at, ==, f->project->created_at);
  g_assert_null (none);

  dup->name = g_strdup ("Test");
  g_assert_false (syn_store_insert_project (f->store, dup, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "already exists"));
  g_clear_error (&error);

  all = syn_store_list_projects (f->store, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((SynProject *) all->pdata[0])->name, ==, "Alpha");
}

static SynAsset *
make_asset (SynTestFixture *f, const char *tag, const char *type)
{
  g_autoptr(GError) error = NULL;
  SynAsset *asset = syn_asset_new ();

  asset->project_id = g_strdup (f->project->id);
  asset->tag = g_strdup (tag);
  asset->type = g_strdup (type);
  asset->area = g_strdup ("210");
  json_object_set_int_member (asset->properties, "hp", 50);
  g_assert_true (syn_store_insert_asset (f->store, asset, &error));
  g_assert_no_error (error);
  return asset;
}

static void
test_assets_and_unique_tags (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) pump = make_asset (f, "210-PP-001", "PUMP");
  g_autoptr(SynAsset) tank = make_asset (f, "310-TK-001", "TANK");
  g_autoptr(SynAsset) dup = syn_asset_new ();
  g_autoptr(SynAsset) fetched = NULL;
  g_autoptr(SynProject) other = syn_test_create_project (f->store, "Other", NULL);
  g_autoptr(SynAsset) same_tag_elsewhere = syn_asset_new ();
  g_autoptr(GPtrArray) list = NULL;
  guint64 total;

  dup->project_id = g_strdup (f->project->id);
  dup->tag = g_strdup ("210-PP-001");
  dup->type = g_strdup ("PUMP");
  g_assert_false (syn_store_insert_asset (f->store, dup, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "210-PP-001"));
  g_clear_error (&error);

  /* unique per project only */
  same_tag_elsewhere->project_id = g_strdup (other->id);
  same_tag_elsewhere->tag = g_strdup ("210-PP-001");
  same_tag_elsewhere->type = g_strdup ("PUMP");
  g_assert_true (syn_store_insert_asset (f->store, same_tag_elsewhere, &error));

  fetched = syn_store_get_asset_by_tag (f->store, f->project->id, "210-PP-001", &error);
  g_assert_cmpstr (fetched->id, ==, pump->id);
  g_assert_cmpint (json_object_get_int_member (fetched->properties, "hp"), ==, 50);

  list = syn_store_list_assets (f->store, f->project->id, "TANK", NULL, 0, 10, &total, &error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpstr (((SynAsset *) list->pdata[0])->tag, ==, "310-TK-001");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = syn_store_list_assets (f->store, f->project->id, NULL, "pp", 0, 10, &total, &error);
  g_assert_cmpuint (total, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (syn_store_delete_asset (f->store, f->project->id, tank->id, &error));
  g_assert_false (syn_store_delete_asset (f->store, f->project->id, tank->id, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND);
}

static void
test_rules_scope (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRule) lib = syn_rule_new ();
  g_autoptr(SynRule) proj = syn_rule_new ();
  g_autoptr(GPtrArray) with_lib = NULL;
  g_autoptr(GPtrArray) only_lib = NULL;
  g_autoptr(GPtrArray) only_proj = NULL;

  lib->id = g_strdup ("firm-1");
  lib->name = g_strdup ("FIRM: Library rule");
  lib->action_type = g_strdup ("VALIDATE");
  lib->priority = 10;
  proj->id = g_strdup ("proj-1");
  proj->project_id = g_strdup (f->project->id);
  proj->name = g_strdup ("PROJECT: Project rule");
  proj->action_type = g_strdup ("VALIDATE");
  proj->priority = 50;
  g_assert_true (syn_store_save_rule (f->store, lib, &error));
  g_assert_true (syn_store_save_rule (f->store, proj, &error));
  g_assert_no_error (error);

  with_lib = syn_store_list_rules (f->store, f->project->id, TRUE, &error);
  only_lib = syn_store_list_rules (f->store, NULL, FALSE, &error);
  only_proj = syn_store_list_rules (f->store, f->project->id, FALSE, &error);
  g_assert_cmpuint (with_lib->len, ==, 2);
  g_assert_cmpstr (((SynRule *) with_lib->pdata[0])->id, ==, "proj-1");
  g_assert_cmpuint (only_lib->len, ==, 1);
  g_assert_cmpuint (only_proj->len, ==, 1);

  /* save is an upsert */
  proj->priority = 100;
  g_assert_true (syn_store_save_rule (f->store, proj, &error));
  {
    g_autoptr(SynRule) again = syn_store_get_rule (f->store, "proj-1", &error);
    g_assert_cmpint (again->priority, ==, 100);
    g_assert_true (again->is_active);
  }
}

static void
test_state_hash (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = syn_state_hash_compute (f->store, f->project->id, &error);
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;
  g_autofree char *h3 = NULL;
  g_autoptr(SynAsset) a = NULL;
  g_autoptr(SynAsset) b = NULL;
  g_autoptr(SynProject) other = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (empty), ==, 64);
  /* sha256 of {"assets":[],"cables":[],"edges":[]} */
  {
    g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                               "{\"assets\":[],\"cables\":[],\"edges\":[]}", -1);
    g_assert_cmpstr (empty, ==, expected);
  }

  a = make_asset (f, "B-2", "PUMP");
  b = make_asset (f, "A-1", "TANK");
  h1 = syn_state_hash_compute (f->store, f->project->id, &error);
  g_assert_cmpstr (h1, !=, empty);

  /* a change of one property value changes it; changing it back restores it */
  json_object_set_int_member (a->properties, "hp", 51);
  g_assert_true (syn_store_update_asset (f->store, a, &error));
  h2 = syn_state_hash_compute (f->store, f->project->id, &error);
  g_assert_cmpstr (h2, !=, h1);
  json_object_set_int_member (a->properties, "hp", 50);
  g_assert_true (syn_store_update_asset (f->store, a, &error));
  h3 = syn_state_hash_compute (f->store, f->project->id, &error);
  g_assert_cmpstr (h3, ==, h1);

  /* other projects do not count */
  other = syn_test_create_project (f->store, "Other", NULL);
  g_clear_pointer (&h3, g_free);
  {
    g_autoptr(SynAsset) x = syn_asset_new ();
    x->project_id = g_strdup (other->id);
    x->tag = g_strdup ("Z-9");
    x->type = g_strdup ("PUMP");
    g_assert_true (syn_store_insert_asset (f->store, x, &error));
  }
  h3 = syn_state_hash_compute (f->store, f->project->id, &error);
  g_assert_cmpstr (h3, ==, h1);
}

static void
test_canonical_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = syn_json_parse ("{\"b\": [1, 2.5, {\"y\": null, \"x\": \"\\u00e9\\n\"}], \"a\": true, \"c\": 3.0}", -1, &error);
  g_autoptr(JsonNode) b = syn_json_parse ("{\"c\":3,\"a\":true,\"b\":[1,2.5,{\"x\":\"é\\n\",\"y\":null}]}", -1, &error);
  g_autofree char *ca = syn_json_canonical (a);
  g_autofree char *cb = syn_json_canonical (b);

  g_assert_no_error (error);
  g_assert_cmpstr (ca, ==, "{\"a\":true,\"b\":[1,2.5,{\"x\":\"é\\n\",\"y\":null}],\"c\":3}");
  g_assert_cmpstr (ca, ==, cb);

  /* structural equality: member order does not matter, 3 equals 3.0 */
  {
    g_autoptr(JsonNode) x = syn_json_parse ("{\"a\": [1, {\"b\": 3}], \"c\": null}", -1, NULL);
    g_autoptr(JsonNode) y = syn_json_parse ("{\"c\": null, \"a\": [1.0, {\"b\": 3.0}]}", -1, NULL);
    g_autoptr(JsonNode) z = syn_json_parse ("{\"c\": null, \"a\": [1, {\"b\": \"3\"}]}", -1, NULL);
    g_autoptr(JsonNode) w = syn_json_parse ("{\"a\": [1, {\"b\": 3}]}", -1, NULL);

    g_assert_true (syn_json_node_equal (x, y));
    g_assert_false (syn_json_node_equal (x, z));
    g_assert_false (syn_json_node_equal (x, w));
  }
  /* the stored form: compact, shortest doubles that read back exactly */
  {
    g_autoptr(JsonNode) n = syn_json_parse ("{\"v\": 2.882, \"w\": 0.1, \"i\": 600.0, \"s\": \"é\\\"\"}", -1, NULL);
    g_autofree char *text = syn_json_to_string_fast (n);

    g_assert_cmpstr (text, ==, "{\"v\":2.882,\"w\":0.1,\"i\":600,\"s\":\"é\\\"\"}");
  }

  g_assert_null (syn_json_parse ("{\"a\": ", -1, &error));
  g_assert_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON);
}

/* Version 7: valid, time-ordered (each id sorts after the previous), unique. */
static void
test_uuid_v7 (void)
{
  g_autofree char *previous = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 20000; i++)
    {
      char *id = syn_uuid_new ();

      g_assert_true (syn_uuid_is_valid (id));
      g_assert_cmpuint (strlen (id), ==, 36);
      g_assert_cmpint (id[14], ==, '7');
      g_assert_nonnull (strchr ("89ab", id[19]));
      if (previous != NULL)
        g_assert_cmpstr (previous, <, id);
      g_assert_true (g_hash_table_add (seen, g_strdup (id)));
      g_free (previous);
      previous = id;
    }
}

static void
test_tokens_and_members (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynUser) ada = syn_user_new ();
  g_autoptr(SynUser) bob = syn_user_new ();
  g_autoptr(SynUser) found = NULL;
  g_autoptr(SynProject) other = syn_test_create_project (f->store, "Alpha", NULL);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  gint64 now = syn_time_now_usec ();
  gboolean is_member = TRUE;

  ada->username = g_strdup ("ada");
  ada->role = g_strdup ("engineer");
  bob->username = g_strdup ("bob");
  bob->role = g_strdup ("viewer");
  g_assert_true (syn_store_insert_user (f->store, ada, &error));
  g_assert_true (syn_store_insert_user (f->store, bob, &error));
  g_assert_no_error (error);

  /* a token is valid until it expires, and gone once deleted */
  g_assert_true (syn_store_insert_token (f->store, "aa11", ada->id, now, now + G_USEC_PER_SEC, &error));
  g_assert_true (syn_store_insert_token (f->store, "bb22", bob->id, now - 2, now - 1, &error));
  g_assert_no_error (error);
  found = syn_store_get_token_user (f->store, "aa11", now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->username, ==, "ada");
  g_assert_cmpint (found->created_at, ==, ada->created_at);
  g_clear_object (&found);
  g_assert_null (syn_store_get_token_user (f->store, "bb22", now, &error));
  g_assert_null (syn_store_get_token_user (f->store, "aa11", now + G_USEC_PER_SEC, &error));
  g_assert_true (syn_store_delete_expired_tokens (f->store, now, &error));
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM user_tokens"), ==, 1);
  g_assert_true (syn_store_delete_token (f->store, "aa11", &error));
  g_assert_true (syn_store_delete_token (f->store, "unknown", &error));
  g_assert_no_error (error);
  g_assert_null (syn_store_get_token_user (f->store, "aa11", now, &error));

  /* membership: adding twice is no error; lists are ordered */
  g_assert_true (syn_store_add_project_member (f->store, f->project->id, bob->id, 0, &error));
  g_assert_true (syn_store_add_project_member (f->store, f->project->id, ada->id, 0, &error));
  g_assert_true (syn_store_add_project_member (f->store, f->project->id, ada->id, 0, &error));
  g_assert_true (syn_store_add_project_member (f->store, other->id, ada->id, now, &error));
  g_assert_no_error (error);
  members = syn_store_list_project_members (f->store, f->project->id, &error);
  g_assert_cmpuint (members->len, ==, 2);
  g_assert_cmpstr (((SynUser *) members->pdata[0])->username, ==, "ada");
  projects = syn_store_list_member_projects (f->store, ada->id, &error);
  g_assert_cmpuint (projects->len, ==, 2);
  g_assert_cmpstr (((SynProject *) projects->pdata[0])->name, ==, "Alpha");
  g_assert_true (syn_store_is_project_member (f->store, other->id, bob->id, &is_member, &error));
  g_assert_false (is_member);

  g_assert_true (syn_store_update_user_password (f->store, bob->id, "$y$hash", &error));
  g_assert_false (syn_store_update_user_password (f->store, "no-such-user", "$y$hash", &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND);
}

/* Hostile JSON is refused with an error, never a crash: 100,000 nested
 * arrays overflowed json-glib's recursive parser, invalid UTF-8 went through. */
static void
test_json_hostile (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(GString) fine = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  node = syn_json_parse (deep->str, (gssize) deep->len, &error);
  g_assert_null (node);
  g_assert_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON);
  g_assert_nonnull (strstr (error->message, "nested deeper"));
  g_clear_error (&error);

  /* brackets inside strings do not count, and the limit itself is allowed */
  for (guint i = 0; i < SYN_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (fine, '[');
  g_string_append (fine, "\"[[[[\\\"{{{{\"");
  for (guint i = 0; i < SYN_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (fine, ']');
  ok = syn_json_parse (fine->str, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);

  /* a second top-level value made json-glib leak the first's tree */
  for (guint i = 0; i < 4; i++)
    {
      const char *two[] = { "null[{\"a\": {}}]", "5 6", "\"a\"\"b\"", "[1]{}" };

      node = syn_json_parse (two[i], -1, &error);
      g_assert_null (node);
      g_assert_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON);
      g_assert_nonnull (strstr (error->message, "more than one value"));
      g_clear_error (&error);
    }
  for (guint i = 0; i < 4; i++)
    {
      const char *one[] = { " null ", "-5.5e3", "\"a b\"\n", " [1, \"]\"] " };
      g_autoptr(JsonNode) single = syn_json_parse (one[i], -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (single);
    }

  node = syn_json_parse ("{\"tag\": \"P-\xff\xfe\"}", -1, &error);
  g_assert_null (node);
  g_assert_error (error, SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_JSON);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
}

/* The command line's pretty form is JSON that reads back as the same
 * document: json-glib's generator wrote 1e308 as "1e+308.0". */
static void
test_json_pretty (void)
{
  const char *text = "{\"a\": [1, 2.5, 1e308, -3e-300, \"x\\\"y\", null, true, {}, []],"
                     " \"b\": {\"c\": {\"d\": \"\u00e9\"}}, \"e\": []}";
  g_autoptr(JsonNode) node = syn_json_parse (text, -1, NULL);
  g_autofree char *pretty = syn_json_to_string_pretty (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = syn_json_parse (pretty, -1, &error);

  g_assert_no_error (error);
  g_assert_true (syn_json_node_equal (node, again));
  g_assert_null (strstr (pretty, ".0"));
  g_assert_true (g_str_has_prefix (pretty, "{\n  \"a\": [\n    1,\n"));
  g_assert_nonnull (strstr (pretty, "\"e\": []\n}"));
}

/* Compact text laid out as the tree would be, without the tree (the state
 * as of a moment, printed by `synapse state --json`). */
static void
test_json_text_pretty (void)
{
  static const char * const texts[] = {
    "{\"a\": [1, 2.5, 1e308, -3e-300, \"x\\\"y\", null, true, {}, []],"
    " \"b\": {\"c\": {\"d\": \"\u00e9 {[,:]}\"}}, \"e\": [], \"f\": \"\\\\\"}",
    "[]", "{}", "[[], {}, [{}]]", "\"s\"", "12", NULL
  };

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = syn_json_parse (texts[i], -1, NULL);
      g_autofree char *compact = syn_json_to_string (node);
      g_autofree char *want = syn_json_to_string_pretty (node);
      g_autofree char *got = syn_json_text_pretty (compact);

      g_assert_cmpstr (got, ==, want);
    }
}

/* PostgreSQL's jsonb text (blanks, keys by length) made canonical as text
 * gives what the tree gives; what it cannot be sure of it refuses. */
static void
test_json_text_canonical (void)
{
  static const char * const same[] = {
    "{\"id\": \"x\", \"tag\": \"210-PP-001\", \"properties\": {\"hp\": 10, \"flow\": 12.5, \"z\": 0.000001}}",
    "{\"after\": {\"b\": [1, -2, 3.25, true, false, null, \"q\\\"\\\\ \\n\"], \"a\": {}}, \"before\": null}",
    "{\"ab\": 1, \"b\": 2, \"a\": 3, \"\xc3\xa9\": \"d\xc3\xa9" "bit \xe2\x86\x92 \\u001f\"}", "[]", " { } ", "[{\"b\": 1, \"a\": 2}]",
    "-12", "123456789012345", "1.5e-7", NULL
  };
  static const char * const refused[] = {
    "", "{", "{\"a\" 1}", "[1,]", "{\"a\": 1,}", "tru", "{\"a\\u0062\": 1}", "1234567890123456",
    "\"\\u00e9\"", "\"a\\/b\"", "\"\\u001F\"",
    "{\"a\": 1, \"a\": 2}", "1.2.3", "-0", "[1] 2", NULL
  };

  for (guint i = 0; same[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = syn_json_parse (same[i], -1, NULL);
      g_autofree char *want = syn_json_canonical (node);
      g_autofree char *got = syn_json_text_canonical (same[i], strlen (same[i]));

      g_assert_cmpstr (got, ==, want);
    }
  for (guint i = 0; refused[i] != NULL; i++)
    g_assert_null (syn_json_text_canonical (refused[i], strlen (refused[i])));
}

/* The fast parser of our own columns reads what the strict one reads, the
 * same way, and refuses what it cannot read (the strict one then speaks). */
static void
test_json_trusted (void)
{
  static const char * const same[] = {
    "{}", "[]", "{\"a\": 1, \"b\": [true, false, null, -2.5e3, \"x\"], \"c\": {\"d\": {}}}",
    "{\"esc\": \"q\\\" b\\\\ s\\/ \\n\\t\\u00e9\\ud83d\\ude00\"}", "  [ 1 , 2 ]  ", "9223372036854775807",
    "-0", "1e308", "\"plain\"", NULL
  };
  static const char * const refused[] = {
    "", "{", "{\"a\" 1}", "[1,]", "{\"a\": 1,}", "tru", "01x", "\"\\u0000\"", "\"\\ud800\"", "[1] 2",
    "\"a\nb\"", "{\"a\": \"\xff\"}", NULL
  };

  for (guint i = 0; same[i]; i++)
    {
      g_autoptr(JsonNode) fast = syn_json_parse_trusted (same[i], strlen (same[i]));
      g_autoptr(JsonNode) strict = syn_json_parse (same[i], -1, NULL);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      g_assert_nonnull (fast);
      g_assert_nonnull (strict);
      a = syn_json_canonical (fast);
      b = syn_json_canonical (strict);
      g_assert_cmpstr (a, ==, b);
    }
  for (guint i = 0; refused[i]; i++)
    g_assert_null (syn_json_parse_trusted (refused[i], strlen (refused[i])));
  /* past int64 it is a double (JsonParser wraps it round to a negative) */
  {
    g_autoptr(JsonNode) big = syn_json_parse_trusted ("12345678901234567890", 20);

    g_assert_cmpint (json_node_get_value_type (big), ==, G_TYPE_DOUBLE);
    g_assert_cmpfloat (json_node_get_double (big), >, 1e19);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/store/migrations-recorded", test_migrations_recorded);
  SYN_TEST_ADD ("/synapse/store/foreign-keys-enforced", test_foreign_keys_enforced);
  SYN_TEST_ADD ("/synapse/store/newer-schema-refused", test_newer_schema_refused);
  SYN_TEST_ADD ("/synapse/store/open-while-writing", test_open_while_writing);
  SYN_TEST_ADD ("/synapse/store/not-a-database", test_not_a_database);
  SYN_TEST_ADD ("/synapse/store/projects", test_projects);
  SYN_TEST_ADD ("/synapse/store/assets-and-unique-tags", test_assets_and_unique_tags);
  SYN_TEST_ADD ("/synapse/store/rules-scope", test_rules_scope);
  SYN_TEST_ADD ("/synapse/store/state-hash", test_state_hash);
  SYN_TEST_ADD ("/synapse/store/tokens-and-members", test_tokens_and_members);
  g_test_add_func ("/synapse/store/canonical-json", test_canonical_json);
  g_test_add_func ("/synapse/store/uuid-v7", test_uuid_v7);
  g_test_add_func ("/synapse/store/json-hostile", test_json_hostile);
  g_test_add_func ("/synapse/store/json-trusted", test_json_trusted);
  g_test_add_func ("/synapse/store/json-pretty", test_json_pretty);
  g_test_add_func ("/synapse/store/json-text-pretty", test_json_text_pretty);
  g_test_add_func ("/synapse/store/json-text-canonical", test_json_text_canonical);

  return g_test_run ();
}

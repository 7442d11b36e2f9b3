/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync.c: offline work: a server's project cloned, edited offline while the server changes, synced back. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "backend/syn-remote-backend.h"
#include "backend/syn-sync-client.h"
#include "core/syn-core.h"
#include "syn-test-cli.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"
#include "syn-test-server.h"

typedef struct
{
  SynTestServer *srv;
  SynBackend    *remote;      /* admin, signed in */
  char          *tmpdir;
  char          *clone_path;
  char          *project_id;
} Fixture;

static const SynTestServerOptions on_postgres = { .postgres = TRUE };

static JsonNode *
call_ok (SynBackend *backend, const char *op, JsonObject *params)
{
  g_autoptr(GError) error = NULL;
  JsonNode *answer = syn_backend_call_sync (backend, op, params, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static JsonObject *
project_params (Fixture *f)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "project_id", f->project_id);
  return params;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRemoteBackend) remote = NULL;
  g_autoptr(JsonObject) project = json_object_new ();
  g_autoptr(JsonObject) import = NULL;
  g_autoptr(JsonNode) made = NULL;

  f->srv = syn_test_server_start (data);
  g_free (syn_test_server_add_user (f->srv, "admin", "admin"));
  remote = syn_remote_backend_new (f->srv->url, &error);
  g_assert_no_error (error);
  g_assert_true (syn_remote_backend_login (remote, "admin", SYN_TEST_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  f->remote = SYN_BACKEND (g_steal_pointer (&remote));
  f->tmpdir = g_dir_make_tmp ("synapse-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->clone_path = g_build_filename (f->tmpdir, "clone.db", NULL);

  json_object_set_string_member (project, "name", "Plant");
  made = call_ok (f->remote, SYN_OP_CREATE_OWNED_PROJECT, project);
  f->project_id = g_strdup (syn_json_get_string (json_node_get_object (made), "id"));
  import = project_params (f);
  json_object_set_string_member (import, "csv", "TAG,TYPE,DESCRIPTION\nP-001,PUMP,Feed pump\nP-002,PUMP,Spare\n"
                                                "P-003,PUMP,Slurry\n");
  json_node_unref (call_ok (f->remote, SYN_OP_IMPORT_CSV, import));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->remote);
  syn_test_server_stop (f->srv);
  syn_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->clone_path);
  g_free (f->project_id);
}

static JsonNode *
clone_project (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynSyncClient) client = syn_sync_client_new (f->remote, f->srv->url, f->clone_path);
  JsonNode *answer = syn_sync_client_clone (client, "Plant", &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static JsonNode *
sync_clone (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynSyncClient) client = syn_sync_client_new (f->remote, f->srv->url, f->clone_path);
  JsonNode *answer = syn_sync_client_sync (client, f->project_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

/* The clone as the application opens it: a local database. */
static SynBackend *
open_clone (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SynLocalBackend *local = syn_local_backend_new_full (f->clone_path, SYN_STORE_OPEN_EXISTING, &error);

  g_assert_no_error (error);
  syn_local_backend_set_user_id (local, "admin");
  return SYN_BACKEND (local);
}

static char *
asset_id (SynBackend *backend, Fixture *f, const char *tag)
{
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) asset = NULL;

  json_object_set_string_member (params, "tag", tag);
  asset = call_ok (backend, SYN_OP_GET_ASSET, params);
  return g_strdup (syn_json_get_string (json_node_get_object (asset), "id"));
}

static char *
description (SynBackend *backend, Fixture *f, const char *tag)
{
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) asset = NULL;

  json_object_set_string_member (params, "tag", tag);
  asset = call_ok (backend, SYN_OP_GET_ASSET, params);
  return g_strdup (syn_json_get_string (json_node_get_object (asset), "description"));
}

static void
edit_description (SynBackend *backend, Fixture *f, const char *tag, const char *text)
{
  g_autoptr(JsonObject) params = project_params (f);
  g_autofree char *id = asset_id (backend, f, tag);

  json_object_set_string_member (params, "asset_id", id);
  json_object_set_string_member (params, "description", text);
  json_node_unref (call_ok (backend, SYN_OP_UPDATE_ASSET, params));
}

/* state_hash's answer: {state_hash, head_hash, head_position}. */
static JsonNode *
state_of (SynBackend *backend, Fixture *f)
{
  g_autoptr(JsonObject) params = project_params (f);

  return call_ok (backend, SYN_OP_STATE_HASH, params);
}

/* The clone equals the server: the same state hash and head hash. */
static void
assert_converged (Fixture *f)
{
  g_autoptr(SynBackend) local = open_clone (f);
  g_autoptr(JsonNode) mine = state_of (local, f);
  g_autoptr(JsonNode) theirs = state_of (f->remote, f);

  g_assert_cmpstr (syn_json_get_string (json_node_get_object (mine), "state_hash"), ==,
                   syn_json_get_string (json_node_get_object (theirs), "state_hash"));
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (mine), "head_hash"), ==,
                   syn_json_get_string (json_node_get_object (theirs), "head_hash"));
}

static JsonObject *
status_of (Fixture *f, gboolean online)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynSyncClient) client = syn_sync_client_new (online ? f->remote : NULL, f->srv->url, f->clone_path);
  g_autoptr(JsonNode) status = syn_sync_client_status (client, "Plant", &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (status));
}

/* ------------------------------------------------------------------------- */

static void
test_clone_verifies (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = NULL;
  g_autoptr(JsonNode) theirs = state_of (f->remote, f);
  g_autoptr(SynBackend) local = NULL;
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) verified = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynSyncClient) again = NULL;

  edit_description (f->remote, f, "P-002", "Standby");
  g_clear_pointer (&theirs, json_node_unref);
  theirs = state_of (f->remote, f);
  cloned = clone_project (f);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (cloned), "head_hash"), ==,
                   syn_json_get_string (json_node_get_object (theirs), "head_hash"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (cloned), "events"), >, 3);

  /* synapse verify on the clone, against the server's head hash */
  local = open_clone (f);
  json_object_set_string_member (params, "expect", syn_json_get_string (json_node_get_object (theirs), "head_hash"));
  verified = call_ok (local, SYN_OP_VERIFY, params);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (verified), "ok"));
  g_clear_object (&local);
  assert_converged (f);

  /* a clone is a database of its own: never over an existing file */
  again = syn_sync_client_new (f->remote, f->srv->url, f->clone_path);
  g_assert_null (syn_sync_client_clone (again, "Plant", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST);
}

static void
test_offline_edit_converges (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = clone_project (f);
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(SynBackend) local = open_clone (f);
  g_autofree char *d1 = NULL, *d3 = NULL;

  /* offline: an edit on the clone; meanwhile another on the server */
  edit_description (local, f, "P-001", "Feed pump, rebuilt");
  g_clear_object (&local);
  edit_description (f->remote, f, "P-003", "Slurry, lined");

  status = status_of (f, FALSE);
  g_assert_cmpint (json_object_get_int_member (status, "ahead"), ==, 1);
  g_clear_pointer (&status, json_object_unref);
  status = status_of (f, TRUE);
  g_assert_cmpint (json_object_get_int_member (status, "behind"), ==, 1);
  g_clear_pointer (&status, json_object_unref);

  synced = sync_clone (f);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "pushed"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (synced), "conflicts")),
                    ==, 0);
  assert_converged (f);
  d1 = description (f->remote, f, "P-001");
  d3 = description (f->remote, f, "P-003");
  g_assert_cmpstr (d1, ==, "Feed pump, rebuilt");
  g_assert_cmpstr (d3, ==, "Slurry, lined");

  /* the local batch id maps to the server's; nothing is ahead any more */
  status = status_of (f, TRUE);
  g_assert_cmpint (json_object_get_int_member (status, "ahead"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (status, "behind"), ==, 0);
  {
    JsonArray *ops = json_object_get_array_member (status, "operations");
    JsonObject *op = json_array_get_object_element (ops, 0);

    g_assert_cmpuint (json_array_get_length (ops), ==, 1);
    g_assert_cmpstr (syn_json_get_string (op, "status"), ==, "pushed");
    g_assert_nonnull (syn_json_get_string (op, "server_correlation_id"));
    g_assert_cmpstr (syn_json_get_string (op, "server_correlation_id"), !=, syn_json_get_string (op, "correlation_id"));
  }
}

/* A conflict, then resolved: @mine keeps the offline edit, else the server's. */
static void
run_conflict (Fixture *f, gboolean mine)
{
  g_autoptr(JsonNode) cloned = clone_project (f);
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(SynBackend) local = open_clone (f);
  g_autoptr(SynSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  JsonArray *conflicts;
  JsonObject *op, *field;
  gint64 op_id;

  edit_description (local, f, "P-001", "Mine");
  g_clear_object (&local);
  edit_description (f->remote, f, "P-001", "Theirs");

  synced = sync_clone (f);
  conflicts = json_object_get_array_member (json_node_get_object (synced), "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  op = json_array_get_object_element (conflicts, 0);
  field = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (op, "conflict"),
                                                                       "conflicts"), 0);
  g_assert_cmpstr (syn_json_get_string (field, "field"), ==, "description");
  g_assert_cmpstr (syn_json_get_string (field, "mine"), ==, "Mine");
  g_assert_cmpstr (syn_json_get_string (field, "theirs"), ==, "Theirs");
  g_assert_cmpstr (syn_json_get_string (field, "base"), ==, "Feed pump");
  /* not applied, not lost: the server keeps theirs, the clone equals it, the operation waits */
  now = description (f->remote, f, "P-001");
  g_assert_cmpstr (now, ==, "Theirs");
  assert_converged (f);
  op_id = json_object_get_int_member (op, "id");

  /* still a conflict at the next sync until resolved */
  g_clear_pointer (&synced, json_node_unref);
  synced = sync_clone (f);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (synced), "conflicts")),
                    ==, 1);

  client = syn_sync_client_new (NULL, NULL, f->clone_path);
  g_assert_false (syn_sync_client_resolve (client, "Plant", op_id, "both", &error));
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (syn_sync_client_resolve (client, "Plant", op_id, mine ? "mine" : "theirs", &error));
  g_assert_no_error (error);
  again = sync_clone (f);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (again), "conflicts")),
                    ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "pushed"), ==, mine ? 1 : 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "dropped"), ==, mine ? 0 : 1);
  g_free (now);
  now = description (f->remote, f, "P-001");
  g_assert_cmpstr (now, ==, mine ? "Mine" : "Theirs");
  assert_converged (f);
}

static void
test_conflict_mine (Fixture *f, gconstpointer data)
{
  run_conflict (f, TRUE);
}

static void
test_conflict_theirs (Fixture *f, gconstpointer data)
{
  run_conflict (f, FALSE);
}

static gint64
server_events (Fixture *f)
{
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) page = NULL;

  json_object_set_int_member (params, "limit", 1);
  page = call_ok (f->remote, SYN_OP_TIMELINE, params);
  return json_object_get_int_member (json_node_get_object (page), "total");
}

/* A push whose answer was lost (the connection cut after the server
 * committed): the sync pushes it again and the server applies it once. */
static void
test_retry_applied_once (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = clone_project (f);
  g_autoptr(SynBackend) local = open_clone (f);
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonObject) push = project_params (f);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonNode) events = NULL;
  JsonObject *op;
  gint64 before, after;

  edit_description (local, f, "P-002", "Duty");
  g_clear_object (&local);
  status = status_of (f, FALSE);
  op = json_array_get_object_element (json_object_get_array_member (status, "operations"), 0);

  /* the push the cut interrupted: the server has it, the clone never heard */
  before = server_events (f);
  json_object_set_string_member (push, "clone_id", syn_json_get_string (json_node_get_object (cloned), "clone_id"));
  json_object_set_string_member (push, "local_batch_id", syn_json_get_string (op, "correlation_id"));
  json_object_set_string_member (push, "op", syn_json_get_string (op, "op"));
  json_object_set_object_member (push, "params", json_object_ref (json_object_get_object_member (op, "params")));
  first = call_ok (f->remote, SYN_OP_SYNC_PUSH, push);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (first), "status"), ==, "applied");
  after = server_events (f);
  g_assert_cmpint (after, ==, before + 1);

  synced = sync_clone (f);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "pushed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "applied_before"), ==, 1);
  g_assert_cmpint (server_events (f), ==, after);
  assert_converged (f);

  /* the server's batch carries the clone's ids */
  {
    g_autoptr(JsonObject) params = project_params (f);
    JsonObject *event, *sync;

    json_object_set_int_member (params, "limit", 1);
    events = call_ok (f->remote, SYN_OP_TIMELINE, params);
    event = json_array_get_object_element (json_object_get_array_member (json_node_get_object (events), "events"), 0);
    sync = json_object_get_object_member (json_object_get_object_member (event, "metadata"), "sync");
    g_assert_nonnull (sync);
    g_assert_cmpstr (syn_json_get_string (sync, "local_batch_id"), ==, syn_json_get_string (op, "correlation_id"));
    g_assert_cmpstr (syn_json_get_string (sync, "clone_id"), ==,
                     syn_json_get_string (json_node_get_object (cloned), "clone_id"));
  }
}

static void run_cli (Fixture *f, SynTestCliResult *r, const char * const *args);

static gboolean
has_tag (SynBackend *backend, Fixture *f, const char *tag)
{
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) asset = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (params, "tag", tag);
  asset = syn_backend_call_sync (backend, SYN_OP_GET_ASSET, params, NULL, &error);
  if (asset == NULL)
    g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  return asset != NULL;
}

static void
import_csv (SynBackend *backend, Fixture *f, const char *csv)
{
  g_autoptr(JsonObject) params = project_params (f);

  json_object_set_string_member (params, "csv", csv);
  json_node_unref (call_ok (backend, SYN_OP_IMPORT_CSV, params));
}

/* An import row for a tag the server deleted meanwhile: a conflict, never
 * the tag made again behind the server's back. */
static void
test_import_deleted_tag (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = clone_project (f);
  g_autoptr(SynBackend) local = open_clone (f);
  g_autoptr(JsonObject) gone = project_params (f);
  g_autoptr(JsonNode) synced = NULL;
  g_autofree char *id = asset_id (f->remote, f, "P-002");
  JsonArray *conflicts;
  JsonObject *field;

  import_csv (local, f, "TAG,TYPE,DESCRIPTION\nP-002,PUMP,Revived\nP-009,PUMP,New\n");
  g_clear_object (&local);
  json_object_set_string_member (gone, "asset_id", id);
  json_node_unref (call_ok (f->remote, SYN_OP_DELETE_ASSET, gone));

  synced = sync_clone (f);
  conflicts = json_object_get_array_member (json_node_get_object (synced), "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  field = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (json_array_get_object_element (conflicts, 0),
                                                                 "conflict"), "conflicts"), 0);
  g_assert_cmpstr (syn_json_get_string (field, "tag"), ==, "P-002");
  g_assert_cmpstr (syn_json_get_string (field, "reason"), ==, "deleted on the server");
  g_assert_false (has_tag (f->remote, f, "P-002"));
  g_assert_false (has_tag (f->remote, f, "P-009"));
  assert_converged (f);
}

/* A run offline is pushed as a run: the server runs the rules itself on
 * its newest state (a pump the server added meanwhile gets its motor too). */
static void
test_run_pushed_as_run (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) rule = project_params (f);
  g_autoptr(JsonObject) def = syn_json_parse_object (
    "{\"id\": \"pump-motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
    " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
    " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{tag}-M\", \"relation\": \"powers\"}}", -1, NULL);
  g_autoptr(JsonNode) cloned = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_auto(SynTestCliResult) ran = { 0 };
  g_autoptr(SynBackend) local = NULL;

  json_object_set_object_member (rule, "rule", json_object_ref (def));
  json_node_unref (call_ok (f->remote, SYN_OP_SAVE_RULE, rule));
  cloned = clone_project (f);

  run_cli (f, &ran, (const char *[]) { "execute", "--project", "Plant", "--db", f->clone_path, NULL });
  syn_test_cli_expect_ok (&ran, "synapse execute on the clone");
  local = open_clone (f);
  g_assert_true (has_tag (local, f, "P-001-M"));
  g_clear_object (&local);
  import_csv (f->remote, f, "TAG,TYPE,DESCRIPTION\nP-004,PUMP,Added on the server\n");
  g_assert_false (has_tag (f->remote, f, "P-001-M"));

  synced = sync_clone (f);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "pushed"), ==, 1);
  g_assert_true (has_tag (f->remote, f, "P-001-M"));
  g_assert_true (has_tag (f->remote, f, "P-004-M"));
  assert_converged (f);
}

/* synapse @args (NULL-terminated, the binary put first), with the test's
 * password for --user. */
static void
run_cli (Fixture *f, SynTestCliResult *r, const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = syn_test_cli_launcher (f->tmpdir, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                              G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) full = NULL;

  g_strv_builder_add (argv, syn_test_synapse_bin ());
  g_strv_builder_addv (argv, (const char **) args);
  full = g_strv_builder_end (argv);
  g_subprocess_launcher_setenv (launcher, "SYNAPSE_PASSWORD", SYN_TEST_PASSWORD, TRUE);
  syn_test_cli_run (launcher, (const char * const *) full, NULL, r);
}

/* The command line: clone, an offline edit marked pending on the
 * timeline, the counts, a sync. */
static void
test_cli (Fixture *f, gconstpointer data)
{
  g_auto(SynTestCliResult) cloned = { 0 };
  g_auto(SynTestCliResult) edited = { 0 };
  g_auto(SynTestCliResult) timeline = { 0 };
  g_auto(SynTestCliResult) status = { 0 };
  g_auto(SynTestCliResult) synced = { 0 };
  g_auto(SynTestCliResult) after = { 0 };
  g_autoptr(JsonNode) counts = NULL;
  g_autoptr(JsonNode) answer = NULL;

  run_cli (f, &cloned, (const char *[]) { "clone", f->srv->url, "--project", "Plant", "--db", f->clone_path,
                                          "--user", "admin", NULL });
  syn_test_cli_expect_ok (&cloned, "synapse clone");
  g_assert_nonnull (strstr (cloned.err, "Events fetched"));
  g_assert_nonnull (strstr (cloned.out, "Cloned Plant"));

  run_cli (f, &edited, (const char *[]) { "asset", "set", "P-001", "--project", "Plant", "--db", f->clone_path,
           "--description", "Offline", NULL });
  syn_test_cli_expect_ok (&edited, "synapse asset set on the clone");
  run_cli (f, &timeline, (const char *[]) { "timeline", "--project", "Plant", "--db", f->clone_path, NULL });
  syn_test_cli_expect_ok (&timeline, "synapse timeline on the clone");
  g_assert_nonnull (strstr (timeline.out, "[pending]"));

  run_cli (f, &status, (const char *[]) { "sync", "--status", "--project", "Plant", "--db", f->clone_path,
                                          "--json", NULL });
  syn_test_cli_expect_ok (&status, "synapse sync --status");
  counts = syn_test_cli_json (status.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (counts), "ahead"), ==, 1);

  run_cli (f, &synced, (const char *[]) { "sync", "--project", "Plant", "--db", f->clone_path, "--json", NULL });
  syn_test_cli_expect_ok (&synced, "synapse sync");
  answer = syn_test_cli_json (synced.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "pushed"), ==, 1);
  assert_converged (f);
  run_cli (f, &after, (const char *[]) { "timeline", "--project", "Plant", "--db", f->clone_path, NULL });
  syn_test_cli_expect_ok (&after, "synapse timeline after the sync");
  g_assert_null (strstr (after.out, "[pending]"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, options) \
  g_test_add (path, Fixture, options, fixture_setup, func, fixture_teardown)

  ADD ("/sync/sqlite/clone-verifies", test_clone_verifies, NULL);
  ADD ("/sync/sqlite/offline-edit-converges", test_offline_edit_converges, NULL);
  ADD ("/sync/sqlite/conflict-mine", test_conflict_mine, NULL);
  ADD ("/sync/sqlite/conflict-theirs", test_conflict_theirs, NULL);
  ADD ("/sync/sqlite/retry-applied-once", test_retry_applied_once, NULL);
  ADD ("/sync/sqlite/cli", test_cli, NULL);
  ADD ("/sync/sqlite/import-deleted-tag", test_import_deleted_tag, NULL);
  ADD ("/sync/sqlite/run-pushed-as-run", test_run_pushed_as_run, NULL);
  if (syn_test_pg_bindir () != NULL)
    {
      ADD ("/sync/postgresql/clone-verifies", test_clone_verifies, &on_postgres);
      ADD ("/sync/postgresql/offline-edit-converges", test_offline_edit_converges, &on_postgres);
      ADD ("/sync/postgresql/conflict-mine", test_conflict_mine, &on_postgres);
      ADD ("/sync/postgresql/conflict-theirs", test_conflict_theirs, &on_postgres);
      ADD ("/sync/postgresql/retry-applied-once", test_retry_applied_once, &on_postgres);
      ADD ("/sync/postgresql/import-deleted-tag", test_import_deleted_tag, &on_postgres);
      ADD ("/sync/postgresql/run-pushed-as-run", test_run_pushed_as_run, &on_postgres);
    }
  else
    g_test_skip ("PostgreSQL is not installed");
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync.c: offline work: a server's project cloned, edited offline while the server changes, synced back. */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "backend/syn-api-routes.h"
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

/* A sync's one conflict (asserted alone): its first field. */
static JsonObject *
only_conflict_field (JsonNode *synced)
{
  JsonArray *conflicts = json_object_get_array_member (json_node_get_object (synced), "conflicts");
  JsonObject *op;

  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  op = json_array_get_object_element (conflicts, 0);
  return json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (op, "conflict"), "conflicts"), 0);
}

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
  JsonObject *field;

  import_csv (local, f, "TAG,TYPE,DESCRIPTION\nP-002,PUMP,Revived\nP-009,PUMP,New\n");
  g_clear_object (&local);
  json_object_set_string_member (gone, "asset_id", id);
  json_node_unref (call_ok (f->remote, SYN_OP_DELETE_ASSET, gone));

  synced = sync_clone (f);
  field = only_conflict_field (synced);
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

/* A rule change made offline is recorded and pushed (its route is no
 * writing one: the record goes by the operation). */
static void
test_rule_change_pushed (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = clone_project (f);
  g_autoptr(SynBackend) local = open_clone (f);
  g_autoptr(JsonObject) rule = project_params (f);
  g_autoptr(JsonObject) def = syn_json_parse_object (
    "{\"id\": \"pump-seal\", \"name\": \"Pumps need a seal\", \"source\": \"FIRM\","
    " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
    " \"action\": {\"type\": \"SEAL\", \"naming\": \"{tag}-S\", \"relation\": \"seals\"}}", -1, NULL);
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonNode) rules = NULL;
  g_autoptr(JsonObject) list = project_params (f);
  gboolean found = FALSE;

  json_object_set_object_member (rule, "rule", json_object_ref (def));
  json_node_unref (call_ok (local, SYN_OP_SAVE_RULE, rule));
  g_clear_object (&local);
  status = status_of (f, FALSE);
  g_assert_cmpint (json_object_get_int_member (status, "ahead"), ==, 1);
  synced = sync_clone (f);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "pushed"), ==, 1);
  rules = call_ok (f->remote, SYN_OP_LIST_RULES, list);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (rules)); i++)
    found |= g_strcmp0 (syn_json_get_string (json_array_get_object_element (json_node_get_array (rules), i), "id"),
                        "pump-seal") == 0;
  g_assert_true (found);
  assert_converged (f);
}

/* The newest batch on the server. */
static char *
newest_batch (Fixture *f)
{
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) page = NULL;
  JsonObject *event;

  json_object_set_int_member (params, "limit", 1);
  page = call_ok (f->remote, SYN_OP_TIMELINE, params);
  event = json_array_get_object_element (json_object_get_array_member (json_node_get_object (page), "events"), 0);
  return g_strdup (syn_json_get_string (event, "correlation_id"));
}

/* A server batch rolled back offline: the clone has its snapshot (and the
 * findings and derive mark of the server's run), the rollback is pushed. */
static void
test_offline_rollback (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) rule = project_params (f);
  g_autoptr(JsonObject) def = syn_json_parse_object (
    "{\"id\": \"pump-motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
    " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
    " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{tag}-M\", \"relation\": \"powers\"}}", -1, NULL);
  g_autoptr(JsonObject) run = project_params (f);
  g_autoptr(JsonObject) undo = project_params (f);
  g_autoptr(JsonNode) cloned = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(SynBackend) local = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *batch = NULL, *digest = NULL, *d2 = NULL;
  gint64 mark = -1;

  json_object_set_object_member (rule, "rule", json_object_ref (def));
  json_node_unref (call_ok (f->remote, SYN_OP_SAVE_RULE, rule));
  /* a run on the server, waited for: as a pushed run is */
  json_object_set_string_member (run, "clone_id", "6f1c2a56-0d3e-4f7b-9a1e-2b5c8d9e0f11");
  json_object_set_string_member (run, "local_batch_id", "run-on-the-server");
  json_object_set_string_member (run, "op", SYN_OP_EXECUTE);
  json_object_set_object_member (run, "params", project_params (f));
  json_node_unref (call_ok (f->remote, SYN_OP_SYNC_PUSH, run));
  edit_description (f->remote, f, "P-002", "Standby");
  batch = newest_batch (f);
  cloned = clone_project (f);

  /* the server's run made its mark: the clone has it, at one of its events */
  store = syn_store_open_full (f->clone_path, SYN_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_true (syn_store_get_derive_mark (store, f->project_id, &mark, &digest, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mark, >, 0);
  g_assert_nonnull (digest);
  g_clear_object (&store);

  /* offline: the server's edit rolled back on the clone */
  local = open_clone (f);
  json_object_set_string_member (undo, "correlation_id", batch);
  json_node_unref (call_ok (local, SYN_OP_ROLLBACK, undo));
  d2 = description (local, f, "P-002");
  g_assert_cmpstr (d2, ==, "Spare");
  g_clear_object (&local);
  g_clear_pointer (&d2, g_free);

  synced = sync_clone (f);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "pushed"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (synced), "conflicts")),
                    ==, 0);
  d2 = description (f->remote, f, "P-002");
  g_assert_cmpstr (d2, ==, "Spare");
  assert_converged (f);
}

/* Whether the server's rules (a project's list has the library's) hold
 * @rule_id as a library rule. */
static gboolean
has_library_rule (Fixture *f, const char *rule_id)
{
  g_autoptr(JsonObject) list = project_params (f);
  g_autoptr(JsonNode) rules = call_ok (f->remote, SYN_OP_LIST_RULES, list);

  for (guint i = 0; i < json_array_get_length (json_node_get_array (rules)); i++)
    {
      JsonObject *rule = json_array_get_object_element (json_node_get_array (rules), i);

      if (g_strcmp0 (syn_json_get_string (rule, "id"), rule_id) == 0)
        return syn_json_get_string (rule, "project_id") == NULL;
    }
  return FALSE;
}

/* A library rule saved on the clone @path (no project named). */
static void
save_library_rule (const char *path, const char *rule_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new_full (path, SYN_STORE_OPEN_EXISTING, &error);
  g_autoptr(JsonObject) rule = json_object_new ();
  g_autoptr(JsonObject) def = syn_json_parse_object (
    "{\"name\": \"Pumps need a seal\", \"source\": \"FIRM\","
    " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
    " \"action\": {\"type\": \"SEAL\", \"naming\": \"{tag}-S\", \"relation\": \"seals\"}}", -1, NULL);

  g_assert_no_error (error);
  json_object_set_string_member (def, "id", rule_id);
  json_object_set_object_member (rule, "rule", json_object_ref (def));
  json_node_unref (call_ok (SYN_BACKEND (local), SYN_OP_SAVE_RULE, rule));
}

/* A library rule change made offline is recorded and pushed as the
 * library's, with the role its route asks online: an engineer's is
 * refused (a conflict, never lost), an administrator's applied. */
static void
test_library_rule_pushed (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = clone_project (f);
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonObject) member = project_params (f);
  g_autoptr(SynRemoteBackend) engineer = NULL;
  g_autoptr(SynSyncClient) client = NULL;
  g_autofree char *path = g_build_filename (f->tmpdir, "engineer.db", NULL);
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *conflicts;
  JsonObject *op;

  save_library_rule (f->clone_path, "lib-seal");
  status = status_of (f, FALSE);
  g_assert_cmpint (json_object_get_int_member (status, "ahead"), ==, 1);
  op = json_array_get_object_element (json_object_get_array_member (status, "operations"), 0);
  g_assert_cmpstr (syn_json_get_string (op, "op"), ==, SYN_OP_SAVE_RULE);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (op, "params"), "library"));
  synced = sync_clone (f);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "pushed"), ==, 1);
  g_assert_true (has_library_rule (f, "lib-seal"));
  assert_converged (f);

  /* an engineer's clone: the same change is refused as online (403) */
  g_free (syn_test_server_add_user (f->srv, "eng", "engineer"));
  json_object_set_string_member (member, "username", "eng");
  json_node_unref (call_ok (f->remote, SYN_OP_ADD_MEMBER, member));
  engineer = syn_remote_backend_new (f->srv->url, &error);
  g_assert_no_error (error);
  g_assert_true (syn_remote_backend_login (engineer, "eng", SYN_TEST_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  client = syn_sync_client_new (SYN_BACKEND (engineer), f->srv->url, path);
  json_node_unref (syn_sync_client_clone (client, "Plant", &error));
  g_assert_no_error (error);
  save_library_rule (path, "lib-guard");
  refused = syn_sync_client_sync (client, f->project_id, &error);
  g_assert_no_error (error);
  conflicts = json_object_get_array_member (json_node_get_object (refused), "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_array_get_object_element (conflicts,
                                                                                                                0),
                                                                              "conflict"), "status"), ==, 403);
  g_assert_false (has_library_rule (f, "lib-guard"));
}

typedef struct
{
  Fixture  *f;
  gboolean  done;
} Meddle;

/* On the server's worker, between a push's conflict check and its write:
 * another edit of the same field, through a connection of its own. */
static void
meddle (gpointer store, gpointer data)
{
  Meddle *m = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) other = NULL;

  if (m->done)
    return;
  m->done = TRUE;
  other = syn_local_backend_new_full (m->f->srv->db_uri, SYN_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  syn_local_backend_set_user_id (other, "admin");
  edit_description (SYN_BACKEND (other), m->f, "P-001", "Theirs");
}

/* A change that lands between the server's conflict check and the write
 * of a pushed edit is a conflict, never silently overwritten. */
static void
test_check_inside_write (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = clone_project (f);
  g_autoptr(SynBackend) local = open_clone (f);
  g_autoptr(JsonNode) synced = NULL;
  g_autofree char *now = NULL;
  SynLocalBackend *server = syn_server_get_backend (syn_test_server_get_server (f->srv));
  Meddle m = { f, FALSE };
  JsonObject *field;

  edit_description (local, f, "P-001", "Mine");
  g_clear_object (&local);
  syn_local_backend_set_push_hook (server, meddle, &m);
  synced = sync_clone (f);
  syn_local_backend_set_push_hook (server, NULL, NULL);
  g_assert_true (m.done);
  field = only_conflict_field (synced);
  g_assert_cmpstr (syn_json_get_string (field, "mine"), ==, "Mine");
  g_assert_cmpstr (syn_json_get_string (field, "theirs"), ==, "Theirs");
  now = description (f->remote, f, "P-001");
  g_assert_cmpstr (now, ==, "Theirs");
  assert_converged (f);
}

static void
clone_sql (Fixture *f, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->clone_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The record of an offline operation is written in its batch's own
 * transaction: when the record cannot be written, neither is the batch
 * (so no crash between the two leaves a local batch nothing pushes). */
static void
test_record_in_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = clone_project (f);
  g_autoptr(SynBackend) local = NULL;
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *now = NULL;

  clone_sql (f, "CREATE TRIGGER no_record BEFORE INSERT ON sync_operations "
                "BEGIN SELECT RAISE(ABORT, 'the record cannot be written'); END");
  local = open_clone (f);
  id = asset_id (local, f, "P-001");
  json_object_set_string_member (params, "asset_id", id);
  json_object_set_string_member (params, "description", "Never recorded");
  answer = syn_backend_call_sync (local, SYN_OP_UPDATE_ASSET, params, NULL, &error);
  g_assert_null (answer);
  g_assert_nonnull (error);
  now = description (local, f, "P-001");
  g_assert_cmpstr (now, ==, "Feed pump");
  g_clear_object (&local);
  clone_sql (f, "DROP TRIGGER no_record");
  status = status_of (f, FALSE);
  g_assert_cmpint (json_object_get_int_member (status, "ahead"), ==, 0);
}

/* The events of batch @batch a timeline shows (rolled back ones hidden). */
static gint64
shown_events (SynBackend *backend, Fixture *f, const char *batch)
{
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) page = NULL;

  json_object_set_string_member (params, "correlation_id", batch);
  page = call_ok (backend, SYN_OP_TIMELINE, params);
  return json_object_get_int_member (json_node_get_object (page), "total");
}

static gint64
first_position (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open_full (f->clone_path, SYN_STORE_OPEN_EXISTING, &error);
  g_autoptr(GPtrArray) first = NULL;

  g_assert_no_error (error);
  first = syn_store_list_events_after (store, f->project_id, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 1);
  return ((SynEvent *) g_ptr_array_index (first, 0))->position;
}

/* A sync pulls only the server's events since the base, in place: the
 * clone keeps its history (its positions), its own events are replaced by
 * the server's, a server batch it rolled back offline is marked as the
 * server marks it, and it verifies against the server's head. When the
 * base is not in the server's history, the sync rebuilds, saying why. */
static void
test_pull_incremental (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) cloned = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(JsonNode) verified = NULL;
  g_autoptr(JsonObject) undo = project_params (f);
  g_autoptr(JsonObject) check = project_params (f);
  g_autoptr(SynBackend) local = NULL;
  g_autofree char *batch = NULL, *d2 = NULL;
  gint64 first;

  edit_description (f->remote, f, "P-002", "Standby");
  batch = newest_batch (f);
  cloned = clone_project (f);
  first = first_position (f);
  local = open_clone (f);
  json_object_set_string_member (undo, "correlation_id", batch);
  json_node_unref (call_ok (local, SYN_OP_ROLLBACK, undo));
  edit_description (local, f, "P-001", "Mine");
  g_clear_object (&local);
  edit_description (f->remote, f, "P-003", "Lined");

  synced = sync_clone (f);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (synced), "pull"), ==, "incremental");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "pushed"), ==, 2);
  g_assert_cmpint (first_position (f), ==, first);
  assert_converged (f);
  local = open_clone (f);
  g_assert_cmpint (shown_events (local, f, batch), ==, 0);
  g_assert_cmpint (shown_events (f->remote, f, batch), ==, 0);
  d2 = description (local, f, "P-002");
  g_assert_cmpstr (d2, ==, "Spare");
  theirs = state_of (f->remote, f);
  json_object_set_string_member (check, "expect", syn_json_get_string (json_node_get_object (theirs), "head_hash"));
  verified = call_ok (local, SYN_OP_VERIFY, check);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (verified), "ok"));
  g_clear_object (&local);

  /* a base the server does not hold (a server restored from an older
   * copy, say): the whole project again */
  clone_sql (f, "UPDATE sync_clones SET base_head_hash = 'not-the-servers'");
  edit_description (f->remote, f, "P-001", "Theirs");
  again = sync_clone (f);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (again), "pull"), ==, "rebuilt");
  g_assert_nonnull (syn_json_get_string (json_node_get_object (again), "rebuilt_because"));
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

/* ------------------------------------------------------------------------- */
/* Convergence: one server, three clones, random work everywhere             */

#define N_CLONES 3

typedef struct
{
  Fixture *f;
  char    *paths[N_CLONES];
  char    *clone_ids[N_CLONES];
  guint    serial;
  guint    conflicts;
  guint    interruptions;
  guint    rollbacks;
} World;

static const char *const pump_tags[] = { "P-001", "P-002", "P-003" };

/* One random operation on @backend (a clone's or the server's). */
static void
random_work (World *w, SynBackend *backend, const char *who)
{
  g_autofree char *text = g_strdup_printf ("%s #%u", who, ++w->serial);
  const char *tag = pump_tags[g_test_rand_int_range (0, G_N_ELEMENTS (pump_tags))];

  gboolean on_clone = g_strcmp0 (who, "server") != 0;

  switch (g_test_rand_int_range (0, on_clone ? 6 : 4))
    {
    case 5:
      {
        /* a rollback of the clone's newest batch not yet pushed (refused
         * when a later one depends on it: then there is nothing to push) */
        g_autoptr(SynSyncClient) offline = syn_sync_client_new (NULL, NULL, w->f->clone_path);
        g_autoptr(JsonNode) status = syn_sync_client_status (offline, "Plant", NULL);
        JsonArray *ops = status ? json_object_get_array_member (json_node_get_object (status), "operations") : NULL;
        guint n = ops ? json_array_get_length (ops) : 0;

        if (n > 0 && g_strcmp0 (syn_json_get_string (json_array_get_object_element (ops, n - 1), "status"),
                                "pending") == 0)
          {
            g_autoptr(JsonObject) params = project_params (w->f);
            g_autoptr(JsonNode) answer = NULL;

            json_object_set_string_member (params, "correlation_id",
                                           syn_json_get_string (json_array_get_object_element (ops, n - 1),
                                                                "correlation_id"));
            answer = syn_backend_call_sync (backend, SYN_OP_ROLLBACK, params, NULL, NULL);
            if (answer != NULL)
              w->rollbacks++;
          }
      }
      break;
    case 4:
      {
        /* a run on the clone (the fixture's clone path is this clone's) */
        g_auto(SynTestCliResult) ran = { 0 };

        run_cli (w->f, &ran, (const char *[]) { "execute", "--project", "Plant", "--db", w->f->clone_path, NULL });
        syn_test_cli_expect_ok (&ran, "synapse execute on a clone");
      }
      break;
    case 0:
      edit_description (backend, w->f, tag, text);
      break;
    case 1:
      {
        g_autoptr(JsonObject) params = project_params (w->f);
        g_autoptr(JsonObject) properties = json_object_new ();
        g_autofree char *id = asset_id (backend, w->f, tag);

        json_object_set_int_member (properties, "hp", g_test_rand_int_range (1, 500));
        json_object_set_string_member (params, "asset_id", id);
        json_object_set_object_member (params, "properties", g_steal_pointer (&properties));
        json_node_unref (call_ok (backend, SYN_OP_UPDATE_ASSET, params));
      }
      break;
    case 2:
      {
        g_autofree char *csv = g_strdup_printf ("TAG,TYPE,DESCRIPTION\nN-%04u,PUMP,%s\n%s,PUMP,%s\n", w->serial,
                                                text, tag, text);

        import_csv (backend, w->f, csv);
      }
      break;
    default:
      {
        /* a rule change */
        g_autoptr(JsonObject) rule = project_params (w->f);
        g_autoptr(JsonObject) def = syn_json_parse_object (
          "{\"id\": \"pump-motor\", \"name\": \"Pumps require Motor\", \"source\": \"FIRM\","
          " \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
          " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{tag}-M\", \"relation\": \"powers\"}}", -1, NULL);

        json_object_set_string_member (def, "description", text);
        json_object_set_object_member (rule, "rule", json_object_ref (def));
        json_node_unref (call_ok (backend, SYN_OP_SAVE_RULE, rule));
      }
      break;
    }
}

/* A push cut after the server committed: the operation reached the server,
 * the clone never heard; its sync pushes it again. */
static void
interrupt (World *w, guint c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynSyncClient) offline = syn_sync_client_new (NULL, NULL, w->paths[c]);
  g_autoptr(JsonNode) status = syn_sync_client_status (offline, "Plant", &error);
  JsonArray *ops;

  g_assert_no_error (error);
  ops = json_object_get_array_member (json_node_get_object (status), "operations");
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);
      g_autoptr(JsonObject) push = project_params (w->f);
      g_autoptr(JsonNode) answer = NULL;

      if (g_strcmp0 (syn_json_get_string (op, "status"), "pending") != 0)
        continue;
      json_object_set_string_member (push, "clone_id", w->clone_ids[c]);
      json_object_set_string_member (push, "local_batch_id", syn_json_get_string (op, "correlation_id"));
      json_object_set_string_member (push, "op", syn_json_get_string (op, "op"));
      json_object_set_object_member (push, "params", json_object_ref (json_object_get_object_member (op, "params")));
      if (json_object_get_member (op, "basis") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (op, "basis")))
        json_object_set_object_member (push, "basis", json_object_ref (json_object_get_object_member (op, "basis")));
      /* a conflict refused now is found again by the sync */
      answer = syn_backend_call_sync (w->f->remote, SYN_OP_SYNC_PUSH, push, NULL, NULL);
      w->interruptions++;
      return;
    }
}

static void
sync_one (World *w, guint c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynSyncClient) client = syn_sync_client_new (w->f->remote, w->f->srv->url, w->paths[c]);
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *conflicts;

  if (g_test_rand_bit ())
    interrupt (w, c);
  answer = syn_sync_client_sync (client, "Plant", &error);
  g_assert_no_error (error);
  conflicts = json_object_get_array_member (json_node_get_object (answer), "conflicts");
  /* every conflict resolved at random: keep mine or keep theirs */
  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    {
      JsonObject *op = json_array_get_object_element (conflicts, i);

      w->conflicts++;
      g_assert_true (syn_sync_client_resolve (client, "Plant", json_object_get_int_member (op, "id"),
                                              g_test_rand_bit () ? "mine" : "theirs", &error));
      g_assert_no_error (error);
    }
}

static void
test_convergence (Fixture *f, gconstpointer data)
{
  World w = { f };
  /* CI: two rounds; on demand more (SYNAPSE_SYNC_ROUNDS=50) */
  guint rounds = g_getenv ("SYNAPSE_SYNC_ROUNDS") ? (guint) g_ascii_strtoull (g_getenv ("SYNAPSE_SYNC_ROUNDS"), NULL, 10)
                                                  : 2;
  guint ops = 0, pushed = 0, dropped = 0, lost = 0;
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(JsonObject) params = project_params (f);
  g_autoptr(JsonNode) verified = NULL;

  for (guint c = 0; c < N_CLONES; c++)
    {
      g_autoptr(SynSyncClient) client = NULL;
      g_autoptr(JsonNode) cloned = NULL;
      g_autoptr(GError) error = NULL;

      w.paths[c] = g_strdup_printf ("%s/clone-%u.db", f->tmpdir, c);
      client = syn_sync_client_new (f->remote, f->srv->url, w.paths[c]);
      cloned = syn_sync_client_clone (client, "Plant", &error);
      g_assert_no_error (error);
      w.clone_ids[c] = g_strdup (syn_json_get_string (json_node_get_object (cloned), "clone_id"));
    }
  for (guint r = 0; r < rounds; r++)
    {
      guint order[N_CLONES] = { 0, 1, 2 };

      for (guint c = 0; c < N_CLONES; c++)
        {
          g_autoptr(SynBackend) local = NULL;
          g_autofree char *who = g_strdup_printf ("clone %u", c);

          g_free (f->clone_path);
          f->clone_path = g_strdup (w.paths[c]);
          local = open_clone (f);
          for (guint i = 0, n = g_test_rand_int_range (1, 4); i < n; i++)
            random_work (&w, local, who);
        }
      random_work (&w, f->remote, "server");
      /* the clones sync in a random order */
      for (guint i = N_CLONES - 1; i > 0; i--)
        {
          guint j = g_test_rand_int_range (0, i + 1), t = order[i];

          order[i] = order[j];
          order[j] = t;
        }
      for (guint c = 0; c < N_CLONES; c++)
        sync_one (&w, order[c]);
    }
  /* the resolutions pushed, then every clone brought up to the last */
  for (guint c = 0; c < N_CLONES; c++)
    sync_one (&w, c);
  for (guint c = 0; c < N_CLONES; c++)
    {
      g_autoptr(SynSyncClient) client = syn_sync_client_new (f->remote, f->srv->url, w.paths[c]);
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(JsonNode) status = NULL;
      g_autoptr(GError) error = NULL;
      JsonArray *list;

      answer = syn_sync_client_sync (client, "Plant", &error);
      g_assert_no_error (error);
      status = syn_sync_client_status (client, "Plant", &error);
      g_assert_no_error (error);
      list = json_object_get_array_member (json_node_get_object (status), "operations");
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          const char *st = syn_json_get_string (json_array_get_object_element (list, i), "status");

          ops++;
          if (g_strcmp0 (st, "pushed") == 0)
            pushed++;
          else if (g_strcmp0 (st, "dropped") == 0)
            dropped++;
          else
            lost++;
        }
      g_free (f->clone_path);
      f->clone_path = g_strdup (w.paths[c]);
      assert_converged (f);
    }
  g_test_message ("convergence: %u clones, %u rounds, %u operations (%u rollbacks), %u conflicts, "
                  "%u interruptions, %u pushed, %u dropped (keep theirs), %u lost", N_CLONES, rounds, ops,
                  w.rollbacks, w.conflicts, w.interruptions, pushed, dropped, lost);
  g_assert_cmpuint (lost, ==, 0);
  g_assert_cmpuint (pushed + dropped, ==, ops);
  g_assert_cmpuint (ops, >, 0);
  verified = call_ok (f->remote, SYN_OP_VERIFY, params);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (verified), "ok"));
  for (guint c = 0; c < N_CLONES; c++)
    {
      g_free (w.paths[c]);
      g_free (w.clone_ids[c]);
    }
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
  ADD ("/sync/sqlite/rule-change-pushed", test_rule_change_pushed, NULL);
  ADD ("/sync/sqlite/offline-rollback", test_offline_rollback, NULL);
  ADD ("/sync/sqlite/library-rule-pushed", test_library_rule_pushed, NULL);
  ADD ("/sync/sqlite/check-inside-write", test_check_inside_write, NULL);
  ADD ("/sync/sqlite/record-in-batch", test_record_in_batch, NULL);
  ADD ("/sync/sqlite/pull-incremental", test_pull_incremental, NULL);
  ADD ("/sync/sqlite/convergence", test_convergence, NULL);
  if (syn_test_pg_bindir () != NULL)
    {
      ADD ("/sync/postgresql/clone-verifies", test_clone_verifies, &on_postgres);
      ADD ("/sync/postgresql/offline-edit-converges", test_offline_edit_converges, &on_postgres);
      ADD ("/sync/postgresql/conflict-mine", test_conflict_mine, &on_postgres);
      ADD ("/sync/postgresql/conflict-theirs", test_conflict_theirs, &on_postgres);
      ADD ("/sync/postgresql/retry-applied-once", test_retry_applied_once, &on_postgres);
      ADD ("/sync/postgresql/import-deleted-tag", test_import_deleted_tag, &on_postgres);
      ADD ("/sync/postgresql/run-pushed-as-run", test_run_pushed_as_run, &on_postgres);
      ADD ("/sync/postgresql/offline-rollback", test_offline_rollback, &on_postgres);
      ADD ("/sync/postgresql/library-rule-pushed", test_library_rule_pushed, &on_postgres);
      ADD ("/sync/postgresql/check-inside-write", test_check_inside_write, &on_postgres);
      ADD ("/sync/postgresql/pull-incremental", test_pull_incremental, &on_postgres);
      ADD ("/sync/postgresql/convergence", test_convergence, &on_postgres);
    }
  else
    g_test_skip ("PostgreSQL is not installed");
  return g_test_run ();
}

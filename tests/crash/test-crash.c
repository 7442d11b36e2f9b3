/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-crash.c: replay of events equals the tables (every kind of batch), the invariant checker, and short kill runs. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "core/syn-core.h"
#include "engine/syn-batch.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-state-replay.h"
#include "crash-check.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"

/* --- Helpers ------------------------------------------------------------- */

static SynLocalBackend *
backend_for (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  SynLocalBackend *backend = syn_local_backend_new (f->uri, &error);

  g_assert_no_error (error);
  return backend;
}

/* One backend operation that must succeed; @format is its JSON parameters. */
static JsonNode *
call (SynLocalBackend *backend, const char *op, const char *format, ...) G_GNUC_PRINTF (3, 4);

static JsonNode *
call (SynLocalBackend *backend, const char *op, const char *format, ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *text = NULL;
  JsonNode *answer;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  params = syn_json_parse_object (text, -1, &error);
  g_assert_no_error (error);
  answer = syn_backend_call_sync (SYN_BACKEND (backend), op, params, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static const char *
member (JsonNode *node, const char *name)
{
  return syn_json_get_string (json_node_get_object (node), name);
}

/* Runs the rule engine on the project; returns the batch's correlation id. */
static char *
execute (SynTestFixture *f, const char *project_id)
{
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (f->uri);
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (request, "project_id", project_id);
  json_object_set_string_member (request, "mode", "execute");
  answer = syn_rule_engine_run (engine, f->store, NULL, request, "tester", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return g_strdup (member (answer, "correlation_id"));
}

static char *
demo (SynLocalBackend *backend, const char *name)
{
  g_autoptr(JsonNode) answer = call (backend, SYN_OP_CREATE_DEMO, "{\"name\": \"%s\"}", name);
  JsonObject *project = json_object_get_object_member (json_node_get_object (answer), "project");

  return g_strdup (syn_json_get_string (project, "id"));
}

static guint
n_replayed (SynTestFixture *f, const char *project_id, const char *aggregate)
{
  g_autoptr(SynStateReplay) replay = syn_state_replay_new (project_id);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (syn_state_replay_catch_up (replay, f->store, &error));
  g_assert_no_error (error);
  ids = syn_state_replay_list_ids (replay, aggregate);
  return ids->len;
}

/* hash(replay of the events) == hash(tables), and the checker finds nothing. */
static void
assert_replay_equal (SynTestFixture *f, const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *table = syn_state_hash_compute (f->store, project_id, &error);
  g_autofree char *replayed = NULL;
  g_autoptr(CrashChecker) checker = crash_checker_new ();
  CrashReport report = { 0 };

  g_assert_no_error (error);
  replayed = syn_state_replay_compute (f->store, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replayed, ==, table);

  crash_checker_run (checker, f->store, TRUE, &report);
  if (report.failures > 0)
    g_test_message ("first failure: %s", (char *) g_ptr_array_index (report.messages, 0));
  g_assert_cmpuint (report.failures, ==, 0);
  g_assert_cmpuint (report.batches_checked, >, 0);
  crash_report_clear (&report);
}

static const char *import_csv =
  "TAG,TYPE,DESCRIPTION,AREA,DISCIPLINE,pump_type,hp,length_m\\n"
  "900-PP-001,PUMP,Crash Test Pump 1,900,MECHANICAL,CENTRIFUGAL,75,120\\n"
  "900-PP-002,PUMP,Crash Test Pump 2,900,MECHANICAL,SLURRY,300,60\\n"
  "900-TK-001,TANK,Crash Test Tank,900,PROCESS,,,\\n";

/* --- Replay equals the tables -------------------------------------------- */

static void
test_replay_demo (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynLocalBackend) backend = backend_for (f);
  g_autofree char *project_id = demo (backend, "Crash demo");
  g_autofree char *cid = NULL;
  guint assets_before;

  assert_replay_equal (f, project_id);
  assets_before = n_replayed (f, project_id, SYN_AGGREGATE_ASSET);
  g_assert_cmpuint (assets_before, >, 40);
  cid = execute (f, project_id);
  assert_replay_equal (f, project_id);
  /* the run created motors, cables and edges: the replay saw them */
  g_assert_cmpuint (n_replayed (f, project_id, SYN_AGGREGATE_ASSET), >, assets_before);
  g_assert_cmpuint (n_replayed (f, project_id, SYN_AGGREGATE_CABLE), >, 0);
  g_assert_cmpuint (n_replayed (f, project_id, SYN_AGGREGATE_EDGE), >, 0);
}

static void
test_replay_import (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynLocalBackend) backend = backend_for (f);
  g_autofree char *rules = demo (backend, "Rules");
  g_autoptr(JsonNode) imported = call (backend, SYN_OP_IMPORT_CSV, "{\"project_id\": \"%s\", \"csv\": \"%s\"}",
                                       f->project->id, import_csv);
  g_autofree char *cid = NULL;

  g_assert_cmpstr (member (imported, "status"), ==, "imported");
  assert_replay_equal (f, f->project->id);
  g_assert_cmpuint (n_replayed (f, f->project->id, SYN_AGGREGATE_ASSET), ==, 3);
  cid = execute (f, f->project->id);
  assert_replay_equal (f, f->project->id);
}

static void
test_replay_edits (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynLocalBackend) backend = backend_for (f);
  g_autofree char *rules = demo (backend, "Rules");
  g_autoptr(JsonNode) pump = call (backend, SYN_OP_CREATE_ASSET,
                                   "{\"project_id\": \"%s\", \"tag\": \"950-PP-001\", \"type\": \"PUMP\", "
                                   "\"area\": \"950\", \"discipline\": \"MECHANICAL\", \"properties\": {\"pump_type\": "
                                   "\"CENTRIFUGAL\", \"hp\": 40, \"note\": \"x\"}}", f->project->id);
  g_autoptr(JsonNode) renamed = NULL;
  g_autoptr(JsonNode) motor = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autofree char *cid = NULL;
  const char *pump_id = member (pump, "id");

  assert_replay_equal (f, f->project->id);
  cid = execute (f, f->project->id);
  assert_replay_equal (f, f->project->id);
  g_assert_cmpuint (n_replayed (f, f->project->id, SYN_AGGREGATE_CABLE), ==, 1);

  /* a property changed, one removed (null), a field cleared, the tag renamed */
  renamed = call (backend, SYN_OP_UPDATE_ASSET,
                  "{\"project_id\": \"%s\", \"asset_id\": \"%s\", \"tag\": \"950-PP-101\", \"description\": \"Renamed\", "
                  "\"discipline\": null, \"properties\": {\"hp\": 60, \"note\": null, \"service\": \"water\"}}",
                  f->project->id, pump_id);
  g_assert_nonnull (member (renamed, "correlation_id"));
  assert_replay_equal (f, f->project->id);

  /* deleting the motor deletes its edge and cable in the same batch */
  motor = call (backend, SYN_OP_GET_ASSET, "{\"project_id\": \"%s\", \"tag\": \"950-M-001\"}", f->project->id);
  deleted = call (backend, SYN_OP_DELETE_ASSET, "{\"project_id\": \"%s\", \"asset_id\": \"%s\"}",
                  f->project->id, member (motor, "id"));
  assert_replay_equal (f, f->project->id);
  g_assert_cmpuint (n_replayed (f, f->project->id, SYN_AGGREGATE_CABLE), ==, 0);
  g_assert_cmpuint (n_replayed (f, f->project->id, SYN_AGGREGATE_ASSET), ==, 1);
}

static void
rollback (SynLocalBackend *backend, const char *project_id, const char *cid, gboolean cascade)
{
  g_autoptr(JsonNode) answer = call (backend, SYN_OP_ROLLBACK,
                                     "{\"project_id\": \"%s\", \"correlation_id\": \"%s\", \"cascade\": %s}",
                                     project_id, cid, cascade ? "true" : "false");

  g_assert_cmpstr (member (answer, "status"), ==, "rolled_back");
}

static void
test_replay_rollback (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynLocalBackend) backend = backend_for (f);
  g_autofree char *rules = demo (backend, "Rules");
  g_autoptr(JsonNode) imported = call (backend, SYN_OP_IMPORT_CSV, "{\"project_id\": \"%s\", \"csv\": \"%s\"}",
                                       f->project->id, import_csv);
  g_autoptr(JsonNode) motor = NULL;
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(JsonNode) pump = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) redone = NULL;
  g_autofree char *run = NULL;
  g_autofree char *run2 = NULL;
  g_autofree char *noop = NULL;
  g_autofree char *delete_cid = NULL;

  run = execute (f, f->project->id);
  /* a second run finds nothing to do: no batch at all */
  noop = execute (f, f->project->id);
  g_assert_null (noop);
  assert_replay_equal (f, f->project->id);

  motor = call (backend, SYN_OP_GET_ASSET, "{\"project_id\": \"%s\", \"tag\": \"900-M-001\"}", f->project->id);
  edited = call (backend, SYN_OP_UPDATE_ASSET,
                 "{\"project_id\": \"%s\", \"asset_id\": \"%s\", \"properties\": {\"hp\": 99}}",
                 f->project->id, member (motor, "id"));
  /* an update undone: the pre-image comes back */
  rollback (backend, f->project->id, member (edited, "correlation_id"), FALSE);
  assert_replay_equal (f, f->project->id);

  /* a delete (asset, its edge and cable) undone: all three come back */
  pump = call (backend, SYN_OP_GET_ASSET, "{\"project_id\": \"%s\", \"tag\": \"900-PP-002\"}", f->project->id);
  deleted = call (backend, SYN_OP_DELETE_ASSET, "{\"project_id\": \"%s\", \"asset_id\": \"%s\"}",
                  f->project->id, member (pump, "id"));
  delete_cid = g_strdup (member (deleted, "correlation_id"));
  assert_replay_equal (f, f->project->id);
  rollback (backend, f->project->id, delete_cid, FALSE);
  assert_replay_equal (f, f->project->id);

  /* the run undone with the batches after it (cascade), then the import */
  added = call (backend, SYN_OP_CREATE_ASSET,
                "{\"project_id\": \"%s\", \"tag\": \"901-PP-001\", \"type\": \"PUMP\", "
                "\"properties\": {\"pump_type\": \"CENTRIFUGAL\", \"hp\": 20}}", f->project->id);
  run2 = execute (f, f->project->id);
  rollback (backend, f->project->id, run, TRUE);
  assert_replay_equal (f, f->project->id);
  rollback (backend, f->project->id, member (imported, "correlation_id"), TRUE);
  assert_replay_equal (f, f->project->id);
  g_assert_cmpuint (n_replayed (f, f->project->id, SYN_AGGREGATE_CABLE), ==, 0);

  /* the import redone, then the first run: the replay follows redo's events */
  redone = call (backend, SYN_OP_REDO, "{\"project_id\": \"%s\", \"correlation_id\": \"%s\"}",
                 f->project->id, member (imported, "correlation_id"));
  assert_replay_equal (f, f->project->id);
  g_clear_pointer (&redone, json_node_unref);
  redone = call (backend, SYN_OP_REDO, "{\"project_id\": \"%s\", \"correlation_id\": \"%s\"}",
                 f->project->id, run);
  assert_replay_equal (f, f->project->id);
  g_assert_cmpuint (n_replayed (f, f->project->id, SYN_AGGREGATE_CABLE), >, 0);
}

/* --- The checks fail when they should ------------------------------------ */

static gboolean
checker_finds (SynTestFixture *f, const char *needle)
{
  g_autoptr(CrashChecker) checker = crash_checker_new ();
  CrashReport report = { 0 };
  gboolean found = FALSE;

  crash_checker_run (checker, f->store, TRUE, &report);
  for (guint i = 0; report.messages != NULL && i < report.messages->len; i++)
    {
      g_test_message ("checker: %s", (char *) g_ptr_array_index (report.messages, i));
      found = found || strstr (g_ptr_array_index (report.messages, i), needle) != NULL;
    }
  crash_report_clear (&report);
  return found;
}

static void
assert_hashes_differ (SynTestFixture *f, const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *table = syn_state_hash_compute (f->store, project_id, &error);
  g_autofree char *replayed = syn_state_replay_compute (f->store, project_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_assert_nonnull (replayed);
  g_assert_cmpstr (replayed, !=, table);
}

static void
test_tamper_property (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynLocalBackend) backend = backend_for (f);
  g_autofree char *project_id = demo (backend, "Crash tamper");
  g_autofree char *cid = execute (f, project_id);
  g_autofree char *sql = NULL;
  g_autofree char *message = NULL;

  assert_replay_equal (f, project_id);
  /* behind the store's back: one asset's properties change, no event says so */
  sql = g_strdup_printf ("UPDATE assets SET properties = '{\"hp\": \"999\"}' "
                         "WHERE project_id = '%s' AND tag = '210-PP-001'", project_id);
  g_assert_true (syn_test_exec_raw (f, sql, &message));
  assert_hashes_differ (f, project_id);
  g_assert_true (checker_finds (f, "state hash"));
}

static void
test_tamper_orphan (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynLocalBackend) backend = backend_for (f);
  g_autoptr(JsonNode) pump = call (backend, SYN_OP_CREATE_ASSET,
                                   "{\"project_id\": \"%s\", \"tag\": \"P-1\", \"type\": \"PUMP\"}", f->project->id);
  g_autofree char *sql = NULL;
  g_autofree char *message = NULL;

  assert_replay_equal (f, f->project->id);
  /* an entity without the event that made it, and a missing one */
  sql = g_strdup_printf ("INSERT INTO edges (id, project_id, source_asset_id, target_asset_id, relation) "
                         "VALUES ('orphan-edge', '%s', '%s', '%s', 'powers')",
                         f->project->id, member (pump, "id"), member (pump, "id"));
  g_assert_true (syn_test_exec_raw (f, sql, &message));
  assert_hashes_differ (f, f->project->id);
  g_assert_true (checker_finds (f, "orphan EDGE orphan-edge"));
  g_clear_pointer (&sql, g_free);
  /* the edge first: the database refuses to leave it pointing at nothing */
  sql = g_strdup_printf ("DELETE FROM edges WHERE id = 'orphan-edge'; DELETE FROM assets WHERE id = '%s'",
                         member (pump, "id"));
  g_assert_true (syn_test_exec_raw (f, sql, &message));
  g_assert_true (checker_finds (f, "the table lacks it"));
}

/* An edge to an asset that is not there, in the events and in the table
 * (written past the constraints): the replay and the checker both say so. */
static void
test_tamper_dangling (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynLocalBackend) backend = backend_for (f);
  g_autoptr(JsonNode) pump = call (backend, SYN_OP_CREATE_ASSET,
                                   "{\"project_id\": \"%s\", \"tag\": \"P-1\", \"type\": \"PUMP\"}", f->project->id);
  g_autoptr(SynEdge) edge = syn_edge_new ();
  g_autoptr(SynBatch) batch = NULL;
  g_autoptr(SynEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *message = NULL;
  g_autofree char *replayed = NULL;

  assert_replay_equal (f, f->project->id);
  edge->id = g_strdup ("00000000-0000-7000-8000-0000000000e1");
  edge->project_id = g_strdup (f->project->id);
  edge->source_asset_id = g_strdup (member (pump, "id"));
  edge->target_asset_id = g_strdup ("00000000-0000-7000-8000-0000000000aa");
  edge->relation = g_strdup ("powers");
  /* its event, without the row... */
  batch = syn_batch_begin (f->store, f->project->id, "tamperer", &error);
  g_assert_no_error (error);
  event = syn_batch_emit (batch, SYN_EVENT_RELATIONSHIP_CREATED, SYN_AGGREGATE_EDGE, edge->id,
                          syn_edge_to_json (edge), NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_batch_commit (batch, &error));
  /* ...and the row, past the constraints */
  sql = g_strdup_printf ("%s INSERT INTO edges (id, project_id, source_asset_id, target_asset_id, relation) "
                         "VALUES ('%s', '%s', '%s', '%s', 'powers')",
                         f->backend == SYN_TEST_BACKEND_POSTGRESQL ? "SET session_replication_role = replica;"
                                                                    : "PRAGMA foreign_keys=OFF;",
                         edge->id, f->project->id, edge->source_asset_id, edge->target_asset_id);
  g_assert_true (syn_test_exec_raw (f, sql, &message));

  replayed = syn_state_replay_compute (f->store, f->project->id, &error);
  g_assert_null (replayed);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "refers to missing asset 00000000-0000-7000-8000-0000000000aa"));
  g_assert_true (checker_finds (f, "dangling in the replay"));
  g_assert_true (checker_finds (f, "dangling EDGE 00000000-0000-7000-8000-0000000000e1 in the table"));
}

/* A half-written batch: a snapshot whose events are missing. */
static void
test_tamper_half_batch (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynSnapshot) snapshot = syn_snapshot_new ();
  g_autoptr(GError) error = NULL;

  snapshot->correlation_id = syn_uuid_new ();
  snapshot->project_id = g_strdup (f->project->id);
  snapshot->snapshot_data = syn_json_parse ("{\"assets\": [], \"cables\": [], \"edges\": [], \"created\": {}}", -1, NULL);
  snapshot->events_count = 3;
  snapshot->status = g_strdup (SYN_SNAPSHOT_ACTIVE);
  snapshot->executed_at = syn_time_now_usec ();
  g_assert_true (syn_store_insert_snapshot (f->store, snapshot, &error));
  g_assert_no_error (error);
  g_assert_true (checker_finds (f, "without any event"));
}

/* --- Kills: the harness, a few rounds per database ----------------------- */

/* A short run of crash-harness (the big ones are on demand): @kills worker
 * or CLI processes killed, then @server_kills rounds of server kills. */
static void
run_harness (const char *db, const char *kills, const char *server_kills)
{
  const char *harness = g_getenv ("CRASH_HARNESS");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { harness, "--db", db, "--kills", kills, "--server-kills", server_kills,
                         "--seed", "7", NULL };

  if (harness == NULL)
    {
      g_test_skip ("CRASH_HARNESS is not set");
      return;
    }
  if (g_strcmp0 (db, "postgresql") == 0 && syn_test_pg_bindir () == NULL)
    {
      g_test_skip ("PostgreSQL 15 is not installed");
      return;
    }
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("stderr: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* there were kills, and no invariant failed */
  g_assert_null (strstr (out, "\nkills: 0 "));
  g_assert_nonnull (strstr (out, "\ninvariant failures: 0\n"));
}

static void test_kills_sqlite (void) { run_harness ("sqlite", "10", "0"); }
static void test_kills_postgresql (void) { run_harness ("postgresql", "10", "0"); }
static void test_server_sqlite (void) { run_harness ("sqlite", "0", "1"); }
static void test_server_postgresql (void) { run_harness ("postgresql", "0", "1"); }

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  syn_test_add ("/synapse/crash/replay/demo", test_replay_demo);
  syn_test_add ("/synapse/crash/replay/import", test_replay_import);
  syn_test_add ("/synapse/crash/replay/edits", test_replay_edits);
  syn_test_add ("/synapse/crash/replay/rollback", test_replay_rollback);
  syn_test_add ("/synapse/crash/check/tamper-property", test_tamper_property);
  syn_test_add ("/synapse/crash/check/tamper-orphan", test_tamper_orphan);
  syn_test_add ("/synapse/crash/check/half-batch", test_tamper_half_batch);
  syn_test_add ("/synapse/crash/check/tamper-dangling", test_tamper_dangling);
  g_test_add_func ("/synapse/crash/kills/sqlite", test_kills_sqlite);
  g_test_add_func ("/synapse/crash/kills/postgresql", test_kills_postgresql);
  g_test_add_func ("/synapse/crash/server-kills/sqlite", test_server_sqlite);
  g_test_add_func ("/synapse/crash/server-kills/postgresql", test_server_postgresql);
  return g_test_run ();
}

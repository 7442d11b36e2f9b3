/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-integrity.c: no edge or cable points at a missing asset: the constraints, an old database's dangling rows, verify and repair. */
#include "config.h"

#include <string.h>

#include "engine/syn-batch.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-integrity.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-verifier.h"
#include "syn-test-fixture.h"

#define USER "integrity-tester"
/* What an old database held: an edge and a cable to an asset never there. */
#define GONE        "00000000-0000-7000-8000-0000000000aa"
#define OLD_EDGE    "00000000-0000-7000-8000-0000000000e1"
#define OLD_CABLE   "00000000-0000-7000-8000-0000000000c1"

/* A pump and a motor that powers it, one batch; returns their ids. */
static void
pump_and_motor (SynTestFixture *f, char **pump, char **motor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, USER, &error);
  g_autoptr(SynAsset) a = syn_asset_new ();
  g_autoptr(SynAsset) b = syn_asset_new ();
  g_autoptr(SynEdge) edge = syn_edge_new ();
  g_autoptr(SynEvent) e1 = NULL;
  g_autoptr(SynEvent) e2 = NULL;
  g_autoptr(SynEvent) e3 = NULL;

  g_assert_no_error (error);
  a->tag = g_strdup ("210-PP-001");
  a->type = g_strdup ("PUMP");
  b->tag = g_strdup ("210-MT-001");
  b->type = g_strdup ("MOTOR");
  e1 = syn_batch_create_asset (batch, a, NULL, NULL, &error);
  g_assert_no_error (error);
  e2 = syn_batch_create_asset (batch, b, NULL, NULL, &error);
  g_assert_no_error (error);
  edge->source_asset_id = g_strdup (b->id);
  edge->target_asset_id = g_strdup (a->id);
  edge->relation = g_strdup ("powers");
  e3 = syn_batch_create_edge (batch, edge, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_batch_commit (batch, &error));
  g_assert_no_error (error);
  *pump = g_strdup (a->id);
  *motor = g_strdup (b->id);
}

static JsonObject *
verify (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_verifier_verify (f->store, f->project->id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return json_object_ref (json_node_get_object (answer));
}

static JsonObject *
repair (SynTestFixture *f, gboolean dry_run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_integrity_repair (f->store, f->project->id, USER, dry_run, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_false (syn_store_in_transaction (f->store));
  return json_object_ref (json_node_get_object (answer));
}

static guint
count_events (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = syn_store_list_events_after (f->store, f->project->id, 0, 0, &error);

  g_assert_no_error (error);
  return events->len;
}

/* The database before migration 0004 with rows it let through: the
 * constraints gone, an edge and a cable to an asset that is not there; then
 * opened again, which migrates it. Only 0004 is taken back: a database made
 * by a Synapse that had 0005 and not 0004 gets 0004 too. */
static void
make_old_database (SynTestFixture *f, const char *pump)
{
  gboolean pg = f->backend == SYN_TEST_BACKEND_POSTGRESQL;
  g_autofree char *message = NULL;
  g_autofree char *rows = g_strdup_printf (
    "INSERT INTO edges (id, project_id, source_asset_id, target_asset_id, relation) "
    "VALUES ('" OLD_EDGE "', '%s', '%s', '" GONE "', 'feeds'); "
    "INSERT INTO cables (id, project_id, tag, from_asset_id, to_asset_id) "
    "VALUES ('" OLD_CABLE "', '%s', '210-CB-099', '%s', '" GONE "');",
    f->project->id, pump, f->project->id, pump);
  g_autofree char *sql = g_strconcat (
    pg ? "ALTER TABLE edges DROP CONSTRAINT edges_source_asset_fk, DROP CONSTRAINT edges_target_asset_fk; "
         "ALTER TABLE cables DROP CONSTRAINT cables_from_asset_fk, DROP CONSTRAINT cables_to_asset_fk; "
       : "PRAGMA foreign_keys=OFF; ",
    "DELETE FROM schema_version WHERE version = 4; ", rows, NULL);
  SynStore *store;

  g_assert_true (syn_test_exec_raw (f, sql, &message));
  g_assert_null (message);
  store = syn_test_fixture_open_again (f);
  g_object_unref (f->store);
  f->store = store;
}

/* ------------------------------------------------------------------------- */

/* The database itself refuses a dangling row, whatever writes it. */
static void
test_constraints (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEdge) edge = syn_edge_new ();
  g_autoptr(SynCable) cable = syn_cable_new ();
  g_autofree char *pump = NULL, *motor = NULL;

  pump_and_motor (f, &pump, &motor);
  edge->project_id = g_strdup (f->project->id);
  edge->source_asset_id = g_strdup (pump);
  edge->target_asset_id = g_strdup (GONE);
  edge->relation = g_strdup ("feeds");
  g_assert_false (syn_store_insert_edge (f->store, edge, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  cable->project_id = g_strdup (f->project->id);
  cable->tag = g_strdup ("210-CB-001");
  cable->from_asset_id = g_strdup (GONE);
  g_assert_false (syn_store_insert_cable (f->store, cable, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* an asset an edge still names cannot go */
  g_assert_false (syn_store_delete_asset (f->store, f->project->id, pump, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (syn_store_in_transaction (f->store));

  {
    g_autoptr(JsonObject) answer = verify (f);
    JsonArray *checks = json_object_get_array_member (answer, "checks");

    g_assert_true (json_object_get_boolean_member (answer, "ok"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "findings")), ==, 0);
    g_assert_cmpuint (json_array_get_length (checks), >=, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (checks, 0), "name"), ==,
                     "references");
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (checks, 0), "ok"));
  }
}

/* A database written before the constraints, with rows they would refuse:
 * it opens, verify names them, a dry run changes nothing, and the repair
 * deletes them as one batch of events; then every constraint holds. */
static void
test_old_database (SynTestFixture *f, gconstpointer data)
{
  gboolean pg = f->backend == SYN_TEST_BACKEND_POSTGRESQL;
  g_autofree char *pump = NULL, *motor = NULL, *expected = NULL;
  g_autoptr(JsonObject) found = NULL;
  g_autoptr(JsonObject) dry = NULL;
  g_autoptr(JsonObject) repaired = NULL;
  g_autoptr(JsonObject) clean = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *findings;
  JsonObject *edge_finding, *cable_finding;
  guint n_events;
  const char *cid;

  pump_and_motor (f, &pump, &motor);
  make_old_database (f, pump);
  if (pg)
    g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
                                            "AND conrelid IN ('edges'::regclass, 'cables'::regclass) "
                                            "AND NOT convalidated"), ==, 2);

  found = verify (f);
  g_assert_false (json_object_get_boolean_member (found, "ok"));
  findings = json_object_get_array_member (found, "findings");
  /* the references first; the replay then finds both rows made without events */
  g_assert_cmpuint (json_array_get_length (findings), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, 2), "kind"), ==,
                   "row_without_events");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, 3), "kind"), ==,
                   "row_without_events");
  edge_finding = json_array_get_object_element (findings, 0);
  cable_finding = json_array_get_object_element (findings, 1);
  g_assert_cmpstr (json_object_get_string_member (edge_finding, "check"), ==, "references");
  g_assert_cmpstr (json_object_get_string_member (edge_finding, "kind"), ==, "dangling_edge");
  g_assert_cmpstr (json_object_get_string_member (edge_finding, "entity_id"), ==, OLD_EDGE);
  g_assert_true (json_object_get_null_member (edge_finding, "batch"));
  expected = g_strdup_printf ("the \"feeds\" edge %s refers to asset %s, which does not exist", OLD_EDGE, GONE);
  g_assert_cmpstr (json_object_get_string_member (edge_finding, "message"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (cable_finding, "kind"), ==, "dangling_cable");
  g_assert_cmpstr (json_object_get_string_member (cable_finding, "entity_id"), ==, OLD_CABLE);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (cable_finding, "missing_asset_ids"),
                                                  0), ==, GONE);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (
                    json_object_get_array_member (found, "checks"), 0), "ok"));

  /* a dry run says the same and writes nothing */
  n_events = count_events (f);
  dry = repair (f, TRUE);
  g_assert_cmpstr (json_object_get_string_member (dry, "status"), ==, "dry_run");
  g_assert_true (json_object_get_null_member (dry, "correlation_id"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (dry, "findings")), ==, 2);
  g_assert_cmpuint (count_events (f), ==, n_events);

  /* the repair: one batch, its reason first, each deletion caused by it */
  repaired = repair (f, FALSE);
  g_assert_cmpstr (json_object_get_string_member (repaired, "status"), ==, "repaired");
  g_assert_cmpint (json_object_get_int_member (repaired, "edges_deleted"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (repaired, "cables_deleted"), ==, 1);
  g_assert_true (json_object_get_boolean_member (repaired, "constraints_valid"));
  cid = json_object_get_string_member (repaired, "correlation_id");
  events = syn_store_get_events_by_correlation (f->store, f->project->id, cid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpstr (((SynEvent *) events->pdata[0])->event_type, ==, SYN_EVENT_INTEGRITY_REPAIRED);
  g_assert_cmpstr (((SynEvent *) events->pdata[1])->event_type, ==, SYN_EVENT_RELATIONSHIP_DELETED);
  g_assert_cmpstr (((SynEvent *) events->pdata[1])->aggregate_id, ==, OLD_EDGE);
  g_assert_cmpstr (((SynEvent *) events->pdata[2])->event_type, ==, SYN_EVENT_CABLE_DELETED);
  for (guint i = 1; i < events->len; i++)
    {
      SynEvent *e = events->pdata[i];
      JsonObject *metadata = json_node_get_object (e->metadata);

      g_assert_cmpstr (e->causation_id, ==, ((SynEvent *) events->pdata[0])->id);
      g_assert_cmpstr (json_object_get_string_member (metadata, "reason"), ==, "missing_asset");
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (metadata, "missing_asset_ids"),
                                                      0), ==, GONE);
    }
  if (pg)
    g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
                                            "AND conrelid IN ('edges'::regclass, 'cables'::regclass) "
                                            "AND NOT convalidated"), ==, 0);
  clean = verify (f);
  g_assert_true (json_object_get_boolean_member (clean, "ok"));

  /* the repair's rollback would bring them back: refused, named */
  {
    g_autoptr(JsonNode) none = syn_rollback_service_rollback (f->store, f->project->id, cid, USER, FALSE, &error);

    g_assert_null (none);
    g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, GONE));
    g_assert_false (syn_store_in_transaction (f->store));
  }

  /* nothing left to repair: no batch */
  {
    g_autoptr(JsonObject) again = repair (f, FALSE);

    g_assert_cmpstr (json_object_get_string_member (again, "status"), ==, "nothing_to_repair");
    g_assert_true (json_object_get_null_member (again, "correlation_id"));
  }
}

/* An edge's end another project's asset: dangling for its own project. */
static void
test_other_project_end (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynProject) other = syn_test_create_project (f->store, "Other", "CA");
  g_autofree char *pump = NULL, *motor = NULL, *sql = NULL, *message = NULL;
  g_autoptr(JsonObject) found = NULL;

  pump_and_motor (f, &pump, &motor);
  sql = g_strdup_printf ("INSERT INTO edges (id, project_id, source_asset_id, target_asset_id, relation) "
                         "VALUES ('" OLD_EDGE "', '%s', '%s', '%s', 'feeds')", other->id, pump, motor);
  g_assert_true (syn_test_exec_raw (f, sql, &message));
  found = verify (f);
  g_assert_true (json_object_get_boolean_member (found, "ok"));
  json_object_unref (found);
  {
    g_autoptr(JsonNode) node = syn_verifier_verify (f->store, other->id, NULL);

    found = json_object_ref (json_node_get_object (node));
  }
  g_assert_false (json_object_get_boolean_member (found, "ok"));
  /* dangling, and written without an event (the replay's finding) */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (found, "findings")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (found, "findings"), 1), "kind"), ==, "row_without_events");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/integrity/constraints", test_constraints);
  SYN_TEST_ADD ("/synapse/integrity/old-database", test_old_database);
  SYN_TEST_ADD ("/synapse/integrity/other-project-end", test_other_project_end);

  return g_test_run ();
}

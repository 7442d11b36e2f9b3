/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-verify.c: the hash chain of the events and `synapse verify`'s checks: each kind of tampering is found. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-audit.h"
#include "engine/syn-batch.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-time-travel.h"
#include "engine/syn-history-checks.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-state-checkpoint.h"
#include "engine/syn-verifier.h"
#include "syn-test-fixture.h"

#define USER "verify-tester"

/* A pump and a motor that powers it, one batch; returns its id. */
static char *
pump_and_motor (SynTestFixture *f, const char *pump_tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, USER, &error);
  g_autoptr(SynAsset) a = syn_asset_new ();
  g_autoptr(SynAsset) b = syn_asset_new ();
  g_autoptr(SynEdge) edge = syn_edge_new ();
  g_autoptr(SynEvent) e1 = NULL, e2 = NULL, e3 = NULL;
  g_autofree char *motor_tag = g_strconcat (pump_tag, "-M", NULL);
  char *cid;

  g_assert_no_error (error);
  a->tag = g_strdup (pump_tag);
  a->type = g_strdup ("PUMP");
  b->tag = g_strdup (motor_tag);
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
  cid = g_strdup (syn_batch_get_correlation_id (batch));
  g_assert_true (syn_batch_commit (batch, &error));
  g_assert_no_error (error);
  return cid;
}

static JsonObject *
verify (SynTestFixture *f, const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_verifier_verify_full (f->store, f->project->id, expect, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return json_object_ref (json_node_get_object (answer));
}

static GPtrArray *
all_events (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = syn_store_list_events_after (f->store, f->project->id, 0, 0, &error);

  g_assert_no_error (error);
  return events;
}

/* The first event of @type in the project, oldest first. */
static SynEvent *
find_event (GPtrArray *events, const char *type, guint nth)
{
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      if (g_strcmp0 (e->event_type, type) == 0 && nth-- == 0)
        return e;
    }
  g_assert_not_reached ();
  return NULL;
}

/* The first finding of @check, which must exist. */
static JsonObject *
finding_of (JsonObject *answer, const char *check)
{
  JsonArray *findings = json_object_get_array_member (answer, "findings");

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);

      if (g_strcmp0 (json_object_get_string_member (f, "check"), check) == 0)
        return f;
    }
  g_error ("no finding of check %s in %s", check, syn_json_object_to_string (answer));
  return NULL;
}

static void
exec_raw (SynTestFixture *f, const char *sql)
{
  g_autofree char *message = NULL;

  if (!syn_test_exec_raw (f, sql, &message))
    g_error ("%s: %s", sql, message);
}

/* Tampering as someone with the database's files or its superuser would do it. */
static void
drop_triggers (SynTestFixture *f)
{
  if (f->backend == SYN_TEST_BACKEND_POSTGRESQL)
    exec_raw (f, "ALTER TABLE workflow_events DISABLE TRIGGER USER; "
                 "ALTER TABLE execution_snapshots DISABLE TRIGGER USER");
  else
    exec_raw (f, "DROP TRIGGER workflow_events_no_update; DROP TRIGGER workflow_events_no_delete; "
                 "DROP TRIGGER execution_snapshots_no_update");
}

/* ------------------------------------------------------------------------- */

/* Every event carries the hash of its content after the one before it. */
static void
test_chain (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *previous = g_strdup (SYN_EVENT_GENESIS_HASH);
  g_autofree char *head = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *b2 = pump_and_motor (f, "210-PP-002");
  g_autoptr(JsonObject) answer = NULL;
  gint64 head_position = 0;

  events = all_events (f);
  g_assert_cmpuint (events->len, >=, 6);
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      g_autofree char *expected = syn_event_compute_hash (e, previous);
      g_autoptr(GString) documented = g_string_new (previous);
      g_autofree char *by_definition = NULL;

      /* the stores hash the row's serialized bytes: the same hash as the
       * documented form, PREVIOUS "\n" CANONICAL, whole (so databases
       * written before still verify) */
      g_string_append_c (documented, '\n');
      syn_event_canonical_append (e, documented);
      by_definition = g_compute_checksum_for_string (G_CHECKSUM_SHA256, documented->str, documented->len);
      g_assert_cmpuint (strlen (e->hash), ==, 64);
      g_assert_cmpstr (e->hash, ==, expected);
      g_assert_cmpstr (e->hash, ==, by_definition);
      g_free (previous);
      previous = g_strdup (e->hash);
    }
  g_assert_true (syn_store_get_chain_head (f->store, f->project->id, &head_position, &head, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (head, ==, previous);
  g_assert_cmpint (head_position, ==, ((SynEvent *) g_ptr_array_index (events, events->len - 1))->position);

  answer = verify (f, NULL);
  g_assert_true (json_object_get_boolean_member (answer, "ok"));
  g_assert_cmpstr (json_object_get_string_member (answer, "head_hash"), ==, head);
  g_assert_cmpint (json_object_get_int_member (answer, "events"), ==, events->len);

  /* the hash covers the content: another payload, another hash */
  {
    SynEvent *e = g_ptr_array_index (events, 1);
    g_autoptr(SynEvent) copy = syn_event_copy (e);
    g_autofree char *same = NULL, *other = NULL;

    same = syn_event_compute_hash (copy, SYN_EVENT_GENESIS_HASH);
    json_object_set_string_member (json_node_get_object (copy->payload), "tag", "X");
    other = syn_event_compute_hash (copy, SYN_EVENT_GENESIS_HASH);
    g_assert_cmpstr (same, !=, other);
    /* the rollback flag is not covered */
    copy->is_rolled_back = !copy->is_rolled_back;
    g_free (same);
    same = syn_event_compute_hash (copy, SYN_EVENT_GENESIS_HASH);
    g_assert_cmpstr (same, ==, other);
  }
}

/* A rollback flags events without touching their hashes; its own event
 * names the batch and how many it flagged, and the project still verifies. */
static void
test_rollback (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autoptr(JsonNode) done = syn_rollback_service_rollback (f->store, f->project->id, b1, USER, FALSE, &error);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) answer = NULL;
  SynEvent *rolled;
  gint64 n_batch;

  g_assert_no_error (error);
  g_assert_nonnull (done);
  events = all_events (f);
  rolled = find_event (events, SYN_EVENT_BATCH_ROLLED_BACK, 0);
  g_assert_cmpstr (rolled->aggregate_id, ==, b1);
  n_batch = syn_test_query_int (f, "SELECT count(*) FROM workflow_events e JOIN rolled_back_batches rb "
                                   "ON rb.correlation_id = e.correlation_id");
  g_assert_cmpint (n_batch, >, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (rolled->payload), "events_rolled_back"), ==,
                   n_batch);
  answer = verify (f, NULL);
  g_assert_true (json_object_get_boolean_member (answer, "ok"));

  /* the flags live outside the chain (rolled_back_batches): a row no
   * BATCH_ROLLED_BACK accounts for is found */
  {
    g_autofree char *b2 = pump_and_motor (f, "210-PP-002");
    g_autofree char *sql = g_strdup_printf ("INSERT INTO rolled_back_batches (correlation_id, project_id, "
                                            "rolled_back_at, first_position, last_position, events_count) "
                                            "VALUES ('%s', '%s', %s, 0, 0, 0)", b2, f->project->id,
                                            f->backend == SYN_TEST_BACKEND_POSTGRESQL ? "now()" : "0");
    g_autoptr(JsonObject) tampered = NULL;
    JsonObject *finding;

    exec_raw (f, sql);
    tampered = verify (f, NULL);
    g_assert_false (json_object_get_boolean_member (tampered, "ok"));
    finding = finding_of (tampered, SYN_CHECK_SEQUENCES);
    g_assert_cmpstr (json_object_get_string_member (finding, "kind"), ==, "rollback_unrecorded");
    g_assert_cmpstr (json_object_get_string_member (finding, "batch"), ==, b2);
  }
}

/* A database from before migration 0006: its chain is computed once, on open. */
static void
test_migration (SynTestFixture *f, gconstpointer data)
{
  gboolean pg = f->backend == SYN_TEST_BACKEND_POSTGRESQL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *b2 = pump_and_motor (f, "210-PP-002");
  g_autoptr(GPtrArray) before = all_events (f);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(JsonObject) answer = NULL;
  SynStore *store;

  exec_raw (f, pg ? "DROP TRIGGER workflow_events_no_update ON workflow_events; DROP TABLE chain_marks; "
                    "ALTER TABLE workflow_events DROP COLUMN event_hash; "
                    "CREATE TRIGGER workflow_events_no_update BEFORE UPDATE ON workflow_events FOR EACH ROW "
                    "WHEN (false) EXECUTE FUNCTION synapse_refuse_change('old'); "
                    "DELETE FROM schema_version WHERE version = 6"
                  : "DROP TRIGGER workflow_events_no_update; DROP TABLE chain_marks; "
                    "ALTER TABLE workflow_events DROP COLUMN event_hash; "
                    "CREATE TRIGGER workflow_events_no_update BEFORE UPDATE ON workflow_events WHEN 0 "
                    "BEGIN SELECT 1; END; "
                    "DELETE FROM schema_version WHERE version = 6");
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM schema_version WHERE version = 6"), ==, 0);
  store = syn_test_fixture_open_again (f);
  g_object_unref (f->store);
  f->store = store;

  after = all_events (f);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_cmpstr (((SynEvent *) g_ptr_array_index (after, i))->hash, ==,
                     ((SynEvent *) g_ptr_array_index (before, i))->hash);
  answer = verify (f, NULL);
  g_assert_true (json_object_get_boolean_member (answer, "ok"));
  /* and the new trigger keeps the hashes as they are */
  {
    g_autofree char *message = NULL;

    g_assert_false (syn_test_exec_raw (f, "UPDATE workflow_events SET event_hash = 'x'", &message));
    g_assert_nonnull (strstr (message, "append-only"));
  }
}

/* A payload changed with the triggers dropped: the chain breaks there. */
static void
test_changed_payload (SynTestFixture *f, gconstpointer data)
{
  gboolean pg = f->backend == SYN_TEST_BACKEND_POSTGRESQL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autoptr(GPtrArray) events = all_events (f);
  SynEvent *created = find_event (events, SYN_EVENT_ASSET_CREATED, 0);
  g_autofree char *sql = g_strdup_printf (pg ? "UPDATE workflow_events SET payload = replace(payload::text, "
                                               "'210-PP-001', '210-PP-009')::jsonb WHERE position = %" G_GINT64_FORMAT
                                             : "UPDATE workflow_events SET payload = replace(payload, '210-PP-001', "
                                               "'210-PP-009') WHERE position = %" G_GINT64_FORMAT, created->position);
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *chain;

  drop_triggers (f);
  exec_raw (f, sql);
  answer = verify (f, NULL);
  g_assert_false (json_object_get_boolean_member (answer, "ok"));
  chain = finding_of (answer, SYN_CHECK_CHAIN);
  g_assert_cmpstr (json_object_get_string_member (chain, "kind"), ==, "broken_chain");
  g_assert_cmpstr (json_object_get_string_member (chain, "event_id"), ==, created->id);
  g_assert_cmpstr (json_object_get_string_member (chain, "batch"), ==, b1);
  /* the table still holds what the event said before */
  g_assert_cmpstr (json_object_get_string_member (finding_of (answer, SYN_CHECK_REPLAY), "kind"), ==, "row_differs");
}

/* An archived project is out of the lists, not out of the checks: the
 * server's start-up check and the listing verify walks still cover it. */
static void
test_archived (SynTestFixture *f, gconstpointer data)
{
  gboolean pg = f->backend == SYN_TEST_BACKEND_POSTGRESQL;
  g_autoptr(GError) error = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autoptr(GPtrArray) events = all_events (f);
  g_autoptr(GPtrArray) listed = NULL, all = NULL;
  g_autoptr(JsonNode) start = NULL;
  SynEvent *created = find_event (events, SYN_EVENT_ASSET_CREATED, 0);
  g_autofree char *sql = g_strdup_printf (pg ? "UPDATE workflow_events SET payload = replace(payload::text, "
                                               "'210-PP-001', '210-PP-009')::jsonb WHERE position = %" G_GINT64_FORMAT
                                             : "UPDATE workflow_events SET payload = replace(payload, '210-PP-001', "
                                               "'210-PP-009') WHERE position = %" G_GINT64_FORMAT, created->position);
  JsonArray *projects;
  gboolean seen = FALSE;

  g_assert_true (syn_store_set_project_archived (f->store, f->project->id, syn_time_now_usec (), &error));
  g_assert_no_error (error);
  drop_triggers (f);
  exec_raw (f, sql);

  listed = syn_store_list_projects (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < listed->len; i++)
    g_assert_cmpstr (((SynProject *) g_ptr_array_index (listed, i))->id, !=, f->project->id);
  all = syn_store_list_projects_with_archived (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, listed->len + 1);

  start = syn_history_check_on_start (f->store, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (start), "ok"));
  projects = json_object_get_array_member (json_node_get_object (start), "projects");
  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonObject *p = json_array_get_object_element (projects, i);

      if (g_strcmp0 (json_object_get_string_member (p, "project_id"), f->project->id) != 0)
        continue;
      seen = TRUE;
      g_assert_false (json_object_get_boolean_member (p, "ok"));
      g_assert_nonnull (strstr (json_object_get_string_member (p, "broken"), created->id));
    }
  g_assert_true (seen);
}

/* An event deleted: the chain breaks at the one after it, and its batch has a gap. */
static void
test_deleted_event (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autoptr(GPtrArray) events = all_events (f);
  SynEvent *first = find_event (events, SYN_EVENT_ASSET_CREATED, 0);
  SynEvent *next = NULL;
  g_autofree char *sql = g_strdup_printf ("DELETE FROM workflow_events WHERE position = %" G_GINT64_FORMAT,
                                          first->position);
  g_autoptr(JsonObject) answer = NULL;

  for (guint i = 0; i + 1 < events->len; i++)
    if (g_ptr_array_index (events, i) == first)
      next = g_ptr_array_index (events, i + 1);
  drop_triggers (f);
  exec_raw (f, sql);
  answer = verify (f, NULL);
  g_assert_false (json_object_get_boolean_member (answer, "ok"));
  g_assert_cmpstr (json_object_get_string_member (finding_of (answer, SYN_CHECK_CHAIN), "event_id"), ==, next->id);
  g_assert_cmpstr (json_object_get_string_member (finding_of (answer, SYN_CHECK_SEQUENCES), "kind"), ==,
                   "sequence_gap");
  g_assert_cmpstr (json_object_get_string_member (finding_of (answer, SYN_CHECK_SEQUENCES), "batch"), ==, b1);
}

/* Two events swapped: the chain breaks at the first, the batch is out of order. */
static void
test_reordered (SynTestFixture *f, gconstpointer data)
{
  gboolean pg = f->backend == SYN_TEST_BACKEND_POSTGRESQL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autoptr(GPtrArray) events = all_events (f);
  SynEvent *a = find_event (events, SYN_EVENT_ASSET_CREATED, 0);
  SynEvent *b = find_event (events, SYN_EVENT_ASSET_CREATED, 1);
  g_autofree char *sql = g_strdup_printf (
    "CREATE TEMP TABLE moved AS SELECT * FROM workflow_events WHERE position IN (%" G_GINT64_FORMAT ", %"
    G_GINT64_FORMAT "); DELETE FROM workflow_events WHERE position IN (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
    "); UPDATE moved SET position = CASE WHEN position = %" G_GINT64_FORMAT " THEN %" G_GINT64_FORMAT " ELSE %"
    G_GINT64_FORMAT " END; INSERT INTO workflow_events %s SELECT * FROM moved",
    a->position, b->position, a->position, b->position, a->position, b->position, a->position,
    pg ? "OVERRIDING SYSTEM VALUE" : "");
  g_autoptr(JsonObject) answer = NULL;

  drop_triggers (f);
  exec_raw (f, sql);
  answer = verify (f, NULL);
  g_assert_false (json_object_get_boolean_member (answer, "ok"));
  /* b now sits where a was: the first event that breaks */
  g_assert_cmpstr (json_object_get_string_member (finding_of (answer, SYN_CHECK_CHAIN), "event_id"), ==, b->id);
  /* #k+1 where #k was due, then #k after it */
  {
    JsonArray *findings = json_object_get_array_member (answer, "findings");
    gboolean out_of_order = FALSE;

    for (guint i = 0; i < json_array_get_length (findings); i++)
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (findings, i), "kind"),
                     "sequence_order") == 0)
        {
          out_of_order = TRUE;
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, i), "event_id"),
                           ==, a->id);
        }
    g_assert_true (out_of_order);
  }
}

/* A row changed without an event: the replay of the events says otherwise. */
static void
test_changed_entity (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autoptr(GPtrArray) events = all_events (f);
  SynEvent *created = find_event (events, SYN_EVENT_ASSET_CREATED, 0);
  g_autofree char *sql = g_strdup_printf ("UPDATE assets SET description = 'not by an event' WHERE id = '%s'",
                                          created->aggregate_id);
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *replay;

  exec_raw (f, sql);
  answer = verify (f, NULL);
  g_assert_false (json_object_get_boolean_member (answer, "ok"));
  replay = finding_of (answer, SYN_CHECK_REPLAY);
  g_assert_cmpstr (json_object_get_string_member (replay, "kind"), ==, "row_differs");
  g_assert_cmpstr (json_object_get_string_member (replay, "entity_type"), ==, SYN_AGGREGATE_ASSET);
  g_assert_cmpstr (json_object_get_string_member (replay, "entity_id"), ==, created->aggregate_id);
  /* the events themselves are whole */
  g_assert_true (json_object_get_boolean_member (
    json_array_get_object_element (json_object_get_array_member (answer, "checks"), 1), "ok"));
}

/* A snapshot edited: it no longer agrees with its batch's events. */
static void
test_edited_snapshot (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *sql = g_strdup_printf ("UPDATE execution_snapshots SET snapshot_data = "
                                          "'{\"assets\":[],\"cables\":[],\"edges\":[],\"created\":{\"assets\":[],"
                                          "\"cables\":[],\"edges\":[]}}' WHERE correlation_id = '%s'", b1);
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *snap;

  drop_triggers (f);
  exec_raw (f, sql);
  answer = verify (f, NULL);
  g_assert_false (json_object_get_boolean_member (answer, "ok"));
  snap = finding_of (answer, SYN_CHECK_SNAPSHOTS);
  g_assert_cmpstr (json_object_get_string_member (snap, "batch"), ==, b1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "findings")), ==, 1);
}

/* A head hash written down earlier: found in the chain, even after more
 * batches; any other hash is a finding. */
static void
test_expect (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autoptr(JsonObject) first = verify (f, NULL);
  g_autofree char *written = g_ascii_strup (json_object_get_string_member (first, "head_hash"), -1);
  g_autofree char *b2 = pump_and_motor (f, "210-PP-002");
  g_autoptr(JsonObject) later = verify (f, written);
  g_autoptr(JsonObject) wrong = verify (f, "00000000000000000000000000000000000000000000000000000000000000ff");

  g_assert_true (json_object_get_boolean_member (later, "ok"));
  g_assert_cmpint (json_object_get_int_member (later, "expected_position"), ==,
                   json_object_get_int_member (first, "head_position"));
  g_assert_false (json_object_get_boolean_member (wrong, "ok"));
  g_assert_cmpstr (json_object_get_string_member (finding_of (wrong, SYN_CHECK_EXPECT), "kind"), ==,
                   "unexpected_head");
}

/* The fast path: from a mark on, only the newer events are read. */
static void
test_walk_from_mark (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *head = NULL, *broken = NULL, *mark_hash = NULL;
  gint64 position = -1, mark = -1;

  g_assert_true (syn_history_walk_chain (f->store, f->project->id, -1, NULL, &position, &head, &broken, &error));
  g_assert_no_error (error);
  g_assert_null (broken);
  g_assert_true (syn_store_set_chain_mark (f->store, f->project->id, position, head, &error));
  g_assert_true (syn_store_get_chain_mark (f->store, f->project->id, &mark, &mark_hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mark, ==, position);
  g_assert_cmpstr (mark_hash, ==, head);

  g_free (b1);
  b1 = pump_and_motor (f, "210-PP-002");
  g_assert_true (syn_history_walk_chain (f->store, f->project->id, mark, mark_hash, &position, &head, &broken,
                                         &error));
  g_assert_null (broken);
  g_assert_cmpint (position, >, mark);
  /* a wrong starting hash: the first newer event breaks */
  g_assert_true (syn_history_walk_chain (f->store, f->project->id, mark, SYN_EVENT_GENESIS_HASH, &position, &head,
                                         &broken, &error));
  g_assert_nonnull (broken);
}


/* One batch that changes the asset tagged @tag with @edit (on a copy);
 * returns its id. */
static char *
change_asset (SynTestFixture *f, const char *tag, void (*edit) (SynAsset *, const char *), const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, USER, &error);
  g_autoptr(SynAsset) before = syn_store_get_asset_by_tag (f->store, f->project->id, tag, &error);
  g_autoptr(SynAsset) after = syn_asset_copy (before);
  g_autoptr(SynEvent) e = NULL;
  char *cid;

  g_assert_no_error (error);
  edit (after, value);
  e = syn_batch_update_asset (batch, before, after, NULL, NULL, &error);
  g_assert_no_error (error);
  cid = g_strdup (syn_batch_get_correlation_id (batch));
  g_assert_true (syn_batch_commit (batch, &error));
  return cid;
}

static void
set_description (SynAsset *a, const char *description)
{
  g_free (a->description);
  a->description = g_strdup (description);
}

/* One batch that changes the description of the asset tagged @tag. */
static char *
describe (SynTestFixture *f, const char *tag, const char *description)
{
  return change_asset (f, tag, set_description, description);
}

static JsonObject *
state_as_of (SynTestFixture *f, const char *moment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = syn_time_travel_state (f->store, f->project->id, moment, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

/* The project as it was: after each batch, before a rollback, before anything. */
static void
test_state_as_of (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *hash1 = syn_test_state_hash (f);
  g_autofree char *b2 = pump_and_motor (f, "210-PP-002");
  g_autofree char *hash2 = syn_test_state_hash (f);
  g_autofree char *short_b1 = g_strdup (b1 + strlen (b1) - 8);   /* its end: v7 ids of one moment share their start */
  g_autoptr(JsonNode) undone = NULL;
  g_autoptr(JsonObject) at1 = NULL, at2 = NULL, before = NULL, now = NULL;
  g_autofree char *position2 = NULL;

  at1 = state_as_of (f, short_b1);
  g_assert_cmpstr (json_object_get_string_member (at1, "state_hash"), ==, hash1);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (at1, "assets")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (at1, "assets"), 0), "tag"), ==, "210-PP-001");
  /* rolled back since: as of then it was there */
  undone = syn_rollback_service_rollback (f->store, f->project->id, b2, USER, FALSE, &error);
  g_assert_no_error (error);
  at2 = state_as_of (f, b2);
  g_assert_cmpstr (json_object_get_string_member (at2, "state_hash"), ==, hash2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (at2, "counts"), "assets"), ==, 4);
  position2 = g_strdup_printf ("%" G_GINT64_FORMAT,
                               json_object_get_int_member (json_object_get_object_member (at2, "as_of"), "position"));
  json_object_unref (at2);
  at2 = state_as_of (f, position2);
  g_assert_cmpstr (json_object_get_string_member (at2, "state_hash"), ==, hash2);
  now = state_as_of (f, "now");
  g_assert_cmpstr (json_object_get_string_member (now, "state_hash"), ==, hash1);
  before = state_as_of (f, "2001-01-01");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (before, "counts"), "assets"), ==, 0);

  /* bad moments say what a moment is */
  {
    const char *bad[] = { "yesterday", "99999999", "", "ffffffff" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(JsonNode) none = syn_time_travel_state (f->store, f->project->id, bad[i], &error);

        g_assert_null (none);
        g_assert_nonnull (error);
        g_clear_error (&error);
      }
  }
}

/* Awkward values: a double, a string that needs escapes, non-ASCII text. */
static void
set_awkward (SynAsset *a, const char *description)
{
  if (a->properties == NULL)
    a->properties = json_object_new ();
  json_object_set_double_member (a->properties, "flow_m3h", 12.345678901234567);
  json_object_set_double_member (a->properties, "head_m", 1e300);
  json_object_set_string_member (a->properties, "note", "\"quoted\"\\ tab\t line\n d\xc3\xa9" "bit \xe2\x86\x92");
  set_description (a, description);
}

/* The state as of a moment is answered as text (the REST body and `state
 * --json` without a tree of the whole state): byte for byte what the tree
 * gave, at every moment of a project with rollbacks. */
static void
test_state_as_text (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *b2 = change_asset (f, "210-PP-001", set_awkward, "Pompe d'alimentation \xc2\xb0" "C");
  g_autofree char *b3 = pump_and_motor (f, "210-PP-002");
  g_autofree char *b4 = describe (f, "210-PP-002", "Second pump");
  g_autoptr(JsonNode) undone3 = NULL, undone4 = NULL;
  g_autoptr(SynLocalBackend) backend = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) moments = g_ptr_array_new_with_free_func (g_free);

  undone4 = syn_rollback_service_rollback (f->store, f->project->id, b4, USER, FALSE, &error);
  g_assert_no_error (error);
  undone3 = syn_rollback_service_rollback (f->store, f->project->id, b3, USER, FALSE, &error);
  g_assert_no_error (error);
  g_free (describe (f, "210-PP-001", "Feed pump"));
  backend = syn_local_backend_new (f->uri, &error);
  g_assert_no_error (error);

  /* every position, the batches, and the named moments */
  events = all_events (f);
  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (moments, g_strdup_printf ("%" G_GINT64_FORMAT,
                                               ((SynEvent *) g_ptr_array_index (events, i))->position));
  g_ptr_array_add (moments, g_strdup (b1));
  g_ptr_array_add (moments, g_strdup (b2));
  g_ptr_array_add (moments, g_strdup (b3));
  g_ptr_array_add (moments, g_strdup ("now"));
  g_ptr_array_add (moments, g_strdup ("2001-01-01"));
  for (guint i = 0; i < moments->len; i++)
    {
      const char *moment = g_ptr_array_index (moments, i);
      g_autoptr(JsonObject) params = json_object_new ();
      g_autoptr(JsonNode) tree = NULL;
      g_autoptr(JsonNode) text = NULL;
      g_autoptr(JsonNode) direct = syn_time_travel_state (f->store, f->project->id, moment, &error);
      g_autofree char *tree_text = NULL, *tree_pretty = NULL, *direct_text = NULL, *pretty = NULL;
      const char *answer;

      g_assert_no_error (error);
      json_object_set_string_member (params, "project_id", f->project->id);
      json_object_set_string_member (params, "as_of", moment);
      tree = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_STATE_AS_OF, params, NULL, &error);
      g_assert_no_error (error);
      json_object_set_boolean_member (params, SYN_PARAM_AS_TEXT, TRUE);
      text = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_STATE_AS_OF, params, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_object_get_size (json_node_get_object (text)), ==, 1);
      answer = syn_json_get_string (json_node_get_object (text), SYN_ANSWER_TEXT);
      g_assert_nonnull (answer);
      tree_text = syn_json_to_string (tree);
      direct_text = syn_json_to_string (direct);
      g_assert_cmpstr (answer, ==, tree_text);
      g_assert_cmpstr (answer, ==, direct_text);
      /* what `synapse state --as-of --json` prints */
      tree_pretty = syn_json_to_string_pretty (tree);
      pretty = syn_json_text_pretty (answer);
      g_assert_cmpstr (pretty, ==, tree_pretty);
    }
  /* the awkward values made it through, as of the batch that set them */
  {
    g_autoptr(JsonObject) at2 = state_as_of (f, b2);
    g_autofree char *written = syn_json_object_to_string (at2);

    g_assert_nonnull (strstr (written, "\"flow_m3h\":12.34567890123"));
    g_assert_nonnull (strstr (written, "\"head_m\":"));
    g_assert_nonnull (strstr (written, "\\\"quoted\\\""));
  }
}

/* The state hash as of each event, replayed from the first one. */
static GPtrArray *
hashes_at (SynTestFixture *f, GPtrArray *events)
{
  GPtrArray *hashes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *moment = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 ((SynEvent *) g_ptr_array_index (events, i))->position);
      g_autoptr(JsonObject) at = state_as_of (f, moment);

      g_ptr_array_add (hashes, g_strdup (json_object_get_string_member (at, "state_hash")));
    }
  return hashes;
}

/* Checkpoints every 4 events: every moment replayed from the nearest one is
 * the moment replayed from the first event, rollbacks of batches before a
 * checkpoint included; verify compares each with its replay and finds one
 * changed, even with its content hash made to match. */
static void
test_checkpoints (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *b2 = pump_and_motor (f, "210-PP-002");
  g_autofree char *b3 = describe (f, "210-PP-001", "Feed pump");
  g_autofree char *b4 = pump_and_motor (f, "210-PP-003");
  g_autoptr(JsonNode) undone2 = NULL, undone3 = NULL;
  g_autoptr(GPtrArray) events = NULL, reference = NULL, replayed = NULL, checkpoints = NULL;
  g_autoptr(JsonObject) answer = NULL, now = NULL;
  g_autoptr(SynStateCheckpoint) first = NULL;
  g_autofree char *changed = NULL, *changed_hash = NULL, *sql = NULL;
  g_autofree char *hash = NULL;
  char *at;

  /* rolled back after the checkpoints that follow them */
  undone3 = syn_rollback_service_rollback (f->store, f->project->id, b3, USER, FALSE, &error);
  g_assert_no_error (error);
  undone2 = syn_rollback_service_rollback (f->store, f->project->id, b2, USER, FALSE, &error);
  g_assert_no_error (error);
  hash = syn_test_state_hash (f);
  events = all_events (f);
  g_assert_cmpuint (events->len, >=, 12);

  syn_state_checkpoint_set_interval (0);
  reference = hashes_at (f, events);
  checkpoints = syn_store_list_checkpoints (f->store, f->project->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checkpoints->len, ==, 0);
  g_clear_pointer (&checkpoints, g_ptr_array_unref);

  syn_state_checkpoint_set_interval (4);
  now = state_as_of (f, "now");
  g_assert_cmpstr (json_object_get_string_member (now, "state_hash"), ==, hash);
  checkpoints = syn_store_list_checkpoints (f->store, f->project->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checkpoints->len, ==, events->len / 4);
  for (guint i = 0; i < checkpoints->len; i++)
    {
      SynStateCheckpoint *c = g_ptr_array_index (checkpoints, i);
      SynEvent *e = g_ptr_array_index (events, 4 * i + 3);

      g_assert_cmpint (c->position, ==, e->position);
      g_assert_cmpint (c->events, ==, 4 * (i + 1));
      g_assert_cmpstr (c->head_hash, ==, e->hash);
      g_assert_null (c->state);
    }
  replayed = hashes_at (f, events);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpstr (g_ptr_array_index (replayed, i), ==, g_ptr_array_index (reference, i));
  answer = verify (f, NULL);
  g_assert_true (json_object_get_boolean_member (answer, "ok"));
  g_clear_pointer (&answer, json_object_unref);

  /* a checkpoint changed: its content no longer hashes to its hash */
  g_assert_true (syn_store_find_checkpoint (f->store, f->project->id, ((SynEvent *) g_ptr_array_index (events, 7))->position,
                                            TRUE, &first, &error));
  g_assert_no_error (error);
  g_assert_nonnull (first);
  /* stored packed (zlib, base64): changed through that form, as a forger would */
  g_assert_true (g_str_has_prefix (first->state, SYN_STATE_CHECKPOINT_ZLIB_PREFIX));
  changed = syn_state_checkpoint_decode (first->state, &error);
  g_assert_no_error (error);
  g_assert_nonnull ((at = strstr (changed, "210-PP-001")));
  at[9] = '9';
  {
    g_autofree char *packed = syn_state_checkpoint_encode (changed);

    sql = g_strdup_printf ("UPDATE state_checkpoints SET state = '%s' WHERE position = %" G_GINT64_FORMAT, packed,
                           first->position);
  }
  exec_raw (f, sql);
  answer = verify (f, NULL);
  g_assert_false (json_object_get_boolean_member (answer, "ok"));
  g_assert_cmpint (json_object_get_int_member (finding_of (answer, SYN_CHECK_CHECKPOINTS), "position"), ==,
                   first->position);
  g_assert_nonnull (strstr (json_object_get_string_member (finding_of (answer, SYN_CHECK_CHECKPOINTS), "message"),
                            "was changed"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "findings")), ==, 1);
  g_clear_pointer (&answer, json_object_unref);
  /* ... and as of a moment skips it rather than believe it */
  g_clear_pointer (&replayed, g_ptr_array_unref);
  replayed = hashes_at (f, events);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpstr (g_ptr_array_index (replayed, i), ==, g_ptr_array_index (reference, i));

  /* packed bytes damaged: it cannot be read, and verify says so */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE state_checkpoints SET state = '" SYN_STATE_CHECKPOINT_ZLIB_PREFIX "AAAA%s' "
                         "WHERE position = %" G_GINT64_FORMAT, first->state + strlen (SYN_STATE_CHECKPOINT_ZLIB_PREFIX) + 4,
                         first->position);
  exec_raw (f, sql);
  answer = verify (f, NULL);
  g_assert_false (json_object_get_boolean_member (answer, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (finding_of (answer, SYN_CHECK_CHECKPOINTS), "message"),
                            "cannot be read"));
  g_clear_pointer (&answer, json_object_unref);
  g_clear_pointer (&replayed, g_ptr_array_unref);
  replayed = hashes_at (f, events);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpstr (g_ptr_array_index (replayed, i), ==, g_ptr_array_index (reference, i));
  /* the plain JSON form is read too: changed, it is found the same way */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE state_checkpoints SET state = '%s' WHERE position = %" G_GINT64_FORMAT, changed,
                         first->position);
  exec_raw (f, sql);

  /* its hash made to match: the replay still disagrees */
  changed_hash = syn_state_checkpoint_content_hash (changed);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE state_checkpoints SET content_hash = '%s' WHERE position = %" G_GINT64_FORMAT,
                         changed_hash, first->position);
  exec_raw (f, sql);
  answer = verify (f, NULL);
  g_assert_false (json_object_get_boolean_member (answer, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (finding_of (answer, SYN_CHECK_CHECKPOINTS), "message"),
                            "is not the state its events give"));
  syn_state_checkpoint_set_interval (SYN_STATE_CHECKPOINT_EVERY);
}

/* The asset list and the cable schedule as of a moment: what the export
 * gave then, with today's columns; as of now, today's export itself. */
static void
test_export_as_of (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *b2 = describe (f, "210-PP-001", "Feed pump");
  g_autofree char *b3 = pump_and_motor (f, "210-PP-002");
  g_autoptr(SynEntityQuery) q = syn_entity_query_new (SYN_ENTITY_ASSETS, f->project->id);
  g_autoptr(SynEntityQuery) cables = syn_entity_query_new (SYN_ENTITY_CABLES, f->project->id);
  g_autoptr(SynLocalBackend) backend = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *then = NULL, *now = NULL, *today = NULL, *schedule_now = NULL, *schedule_today = NULL;
  guint n_then = 0, n_now = 0, n_today = 0;

  then = syn_time_travel_export (f->store, b1, SYN_EXPORT_ASSETS, SYN_EXPORT_CSV, q, NULL, &n_then, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_then, ==, 2);
  g_assert_nonnull (strstr (then, "210-PP-001"));
  g_assert_nonnull (strstr (then, "210-PP-001-M"));
  g_assert_null (strstr (then, "210-PP-002"));
  g_assert_null (strstr (then, "Feed pump"));
  g_assert_nonnull (strstr (then, USER));         /* created_by: the person then */

  now = syn_time_travel_export (f->store, "now", SYN_EXPORT_ASSETS, SYN_EXPORT_CSV, q, NULL, &n_now, &error);
  g_assert_no_error (error);
  today = syn_exporter_run (f->store, SYN_EXPORT_ASSETS, SYN_EXPORT_CSV, q, NULL, NULL, &n_today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_now, ==, 4);
  g_assert_cmpuint (n_today, ==, 4);
  g_assert_cmpstr (now, ==, today);
  schedule_now = syn_time_travel_export (f->store, "now", SYN_EXPORT_CABLES, SYN_EXPORT_JSON, cables, NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  schedule_today = syn_exporter_run (f->store, SYN_EXPORT_CABLES, SYN_EXPORT_JSON, cables, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (schedule_now, ==, schedule_today);

  /* through the backend: a filter applies as today, a bad moment is named */
  backend = syn_local_backend_new (f->uri, &error);
  g_assert_no_error (error);
  params = json_object_new ();
  json_object_set_string_member (params, "project_id", f->project->id);
  json_object_set_string_member (params, "kind", "assets");
  json_object_set_string_member (params, "format", "csv");
  json_object_set_string_member (params, "tag", "*-M");
  json_object_set_string_member (params, "as_of", b2);
  answer = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_EXPORT, params, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "rows"), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (answer), "content"), "210-PP-001-M"));
  g_clear_pointer (&answer, json_node_unref);
  json_object_set_string_member (params, "as_of", "yesterday");
  answer = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_EXPORT, params, NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "as_of: "));
  g_assert_nonnull (strstr (error->message, "yesterday"));
}

/* The revision report: what changed between two batches, field by field, by whom. */
static void
test_diff (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autofree char *b2 = pump_and_motor (f, "210-PP-002");
  g_autofree char *b3 = describe (f, "210-PP-001", "Feed pump");
  g_autoptr(JsonNode) diff = syn_time_travel_diff (f->store, f->project->id, b1, NULL, &error);
  g_autofree char *csv = NULL;
  JsonObject *o, *assets, *changed, *field, *batch;

  g_assert_no_error (error);
  o = json_node_get_object (diff);
  assets = json_object_get_object_member (o, "assets");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (assets, "added")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (assets, "removed")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (assets, "changed")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (o, "edges"), "added")), ==, 1);
  changed = json_array_get_object_element (json_object_get_array_member (assets, "changed"), 0);
  g_assert_cmpstr (json_object_get_string_member (changed, "tag"), ==, "210-PP-001");
  field = json_array_get_object_element (json_object_get_array_member (changed, "fields"), 0);
  g_assert_cmpstr (json_object_get_string_member (field, "field"), ==, "description");
  g_assert_true (json_object_get_null_member (field, "old"));
  g_assert_cmpstr (json_object_get_string_member (field, "new"), ==, "Feed pump");
  batch = json_array_get_object_element (json_object_get_array_member (changed, "batches"), 0);
  g_assert_cmpstr (json_object_get_string_member (batch, "correlation_id"), ==, b3);
  g_assert_cmpstr (json_object_get_string_member (batch, "user_id"), ==, USER);

  csv = syn_time_travel_diff_csv (diff);
  g_assert_true (g_str_has_prefix (csv, "kind,change,id,tag,field,old,new,batches,users\r\n"));
  {
    g_autofree char *row = g_strdup_printf (",210-PP-001,description,,Feed pump,%s," USER "\r\n", b3);

    g_assert_nonnull (strstr (csv, row));
  }
  /* the other way round is refused, and says so */
  {
    g_autoptr(JsonNode) none = syn_time_travel_diff (f->store, f->project->id, b3, b1, &error);

    g_assert_null (none);
    g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID);
  }
}

static char *
write_audit (SynTestFixture *f, gint64 from, gint64 to, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GString) content = syn_audit_export (f->store, f->project->id, from, to, NULL, &head, &error);
  char *path = g_build_filename (f->tmpdir ? f->tmpdir : g_get_tmp_dir (), name, NULL);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, content->str, (gssize) content->len, &error));
  return path;
}

static JsonObject *
verify_file (const char *path, const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = syn_audit_verify_file (path, expect, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

/* The audit file proves itself without the database; a change to it shows. */
static void
test_audit (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *b1 = pump_and_motor (f, "210-PP-001");
  g_autoptr(JsonObject) first = verify (f, NULL);
  g_autofree char *b2 = pump_and_motor (f, "210-PP-002");
  g_autoptr(JsonObject) whole = verify (f, NULL);
  gint64 mid = json_object_get_int_member (first, "head_position");
  g_autofree char *all = write_audit (f, 0, -1, "all.jsonl");
  g_autofree char *part = write_audit (f, mid, -1, "part.jsonl");
  g_autoptr(JsonObject) a = verify_file (all, NULL);
  g_autoptr(JsonObject) p = verify_file (part, json_object_get_string_member (whole, "head_hash"));
  g_autoptr(JsonObject) wrong = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tampered = g_build_filename (f->tmpdir ? f->tmpdir : g_get_tmp_dir (), "tampered.jsonl", NULL);
  char *at;

  g_assert_true (json_object_get_boolean_member (a, "ok"));
  g_assert_cmpstr (json_object_get_string_member (a, "head_hash"), ==,
                   json_object_get_string_member (whole, "head_hash"));
  g_assert_cmpint (json_object_get_int_member (a, "events"), ==, json_object_get_int_member (whole, "events"));
  g_assert_true (json_object_get_boolean_member (p, "ok"));
  g_assert_cmpint (json_object_get_int_member (p, "events"), <, json_object_get_int_member (whole, "events"));

  /* someone changes who did it */
  g_assert_true (g_file_get_contents (all, &text, NULL, NULL));
  at = strstr (text, "\"user_id\":\"" USER "\"");
  g_assert_nonnull (at);
  at[strlen ("\"user_id\":\"")] = 'X';
  g_assert_true (g_file_set_contents (tampered, text, -1, NULL));
  wrong = verify_file (tampered, NULL);
  g_assert_false (json_object_get_boolean_member (wrong, "ok"));
  g_assert_cmpstr (json_object_get_string_member (finding_of (wrong, "chain"), "kind"), ==, "broken_chain");
  g_unlink (all);
  g_unlink (part);
  g_unlink (tampered);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/verify/chain", test_chain);
  SYN_TEST_ADD ("/synapse/verify/rollback", test_rollback);
  SYN_TEST_ADD ("/synapse/verify/migration", test_migration);
  SYN_TEST_ADD ("/synapse/verify/changed-payload", test_changed_payload);
  SYN_TEST_ADD ("/synapse/verify/deleted-event", test_deleted_event);
  SYN_TEST_ADD ("/synapse/verify/reordered", test_reordered);
  SYN_TEST_ADD ("/synapse/verify/changed-entity", test_changed_entity);
  SYN_TEST_ADD ("/synapse/verify/edited-snapshot", test_edited_snapshot);
  SYN_TEST_ADD ("/synapse/verify/expect", test_expect);
  SYN_TEST_ADD ("/synapse/verify/walk-from-mark", test_walk_from_mark);
  SYN_TEST_ADD ("/synapse/verify/state-as-of", test_state_as_of);
  SYN_TEST_ADD ("/synapse/verify/state-as-text", test_state_as_text);
  SYN_TEST_ADD ("/synapse/verify/checkpoints", test_checkpoints);
  SYN_TEST_ADD ("/synapse/verify/archived", test_archived);
  SYN_TEST_ADD ("/synapse/verify/export-as-of", test_export_as_of);
  SYN_TEST_ADD ("/synapse/verify/diff", test_diff);
  SYN_TEST_ADD ("/synapse/verify/audit", test_audit);

  return g_test_run ();
}

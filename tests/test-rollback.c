/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-rollback.c: rollback of batches: exact state, bookkeeping, refusals, blockers, cascade, races. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-asset-editor.h"
#include "engine/syn-batch.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-event-store.h"
#include "engine/syn-redo-service.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-rule-editor.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-rule-parser.h"
#include "engine/syn-state-hash.h"
#include "syn-test-fixture.h"

#define USER "user-1"
/* SYN_STORE_MAX_INLINE_RANGES (src/store/syn-store-private.h) */
#define SYN_TEST_MAX_INLINE_RANGES 32

/* --- Building batches ---------------------------------------------------- */

static SynBatch *
begin (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  SynBatch *batch = syn_batch_begin (f->store, f->project->id, USER, &error);

  g_assert_no_error (error);
  g_assert_nonnull (batch);
  return batch;
}

/* Commits and drops the batch; returns its correlation id. */
static char *
commit (SynBatch *batch)
{
  g_autoptr(GError) error = NULL;
  char *correlation_id = g_strdup (syn_batch_get_correlation_id (batch));

  syn_batch_commit (batch, &error);
  g_assert_no_error (error);
  g_object_unref (batch);
  return correlation_id;
}

/* Creates an asset; returns its id. */
static char *
create_asset (SynBatch *batch, const char *tag, const char *type, gint64 hp)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) asset = syn_asset_new ();
  g_autoptr(SynEvent) event = NULL;

  asset->tag = g_strdup (tag);
  asset->type = g_strdup (type);
  asset->discipline = g_strdup ("MECHANICAL");
  asset->description = g_strdup_printf ("%s %s", type, tag);
  json_object_set_int_member (asset->properties, "hp", hp);
  json_object_set_string_member (asset->properties, "system", "Water");
  event = syn_batch_create_asset (batch, asset, "test-rule", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  return g_strdup (asset->id);
}

static SynAsset *
get_asset (SynBatch *batch, const char *asset_id)
{
  g_autoptr(GError) error = NULL;
  SynAsset *asset = syn_store_get_asset (syn_batch_get_store (batch), syn_batch_get_project_id (batch),
                                         asset_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (asset);
  return asset;
}

static void
update_asset (SynBatch *batch, const char *asset_id, gint64 hp, const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) before = get_asset (batch, asset_id);
  g_autoptr(SynAsset) after = syn_asset_copy (before);
  g_autoptr(SynEvent) event = NULL;

  json_object_set_int_member (after->properties, "hp", hp);
  json_object_remove_member (after->properties, "system");
  if (description != NULL)
    {
      g_free (after->description);
      after->description = g_strdup (description);
    }
  event = syn_batch_update_asset (batch, before, after, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
}

static void
delete_asset (SynBatch *batch, const char *asset_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) asset = get_asset (batch, asset_id);
  g_autoptr(SynEvent) event = syn_batch_delete_asset (batch, asset, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
}

static char *
create_cable (SynBatch *batch, const char *tag, const char *from_id, const char *to_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynCable) cable = syn_cable_new ();
  g_autoptr(SynEvent) event = NULL;

  cable->tag = g_strdup (tag);
  cable->from_asset_id = g_strdup (from_id);
  cable->to_asset_id = g_strdup (to_id);
  cable->cable_type = g_strdup ("POWER");
  cable->voltage = 600;
  cable->length_m = 42.5;
  cable->conductor_size = g_strdup ("#10 AWG");
  event = syn_batch_create_cable (batch, cable, "test-rule", "ELECTRICAL", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  return g_strdup (cable->id);
}

static void
update_cable (SynBatch *batch, const char *cable_id, const char *conductor_size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynCable) before = syn_store_get_cable (syn_batch_get_store (batch), syn_batch_get_project_id (batch),
                                                    cable_id, &error);
  g_autoptr(SynCable) after = NULL;
  g_autoptr(SynEvent) event = NULL;

  g_assert_nonnull (before);
  after = syn_cable_copy (before);
  g_free (after->conductor_size);
  after->conductor_size = g_strdup (conductor_size);
  after->length_m = 120;
  event = syn_batch_update_cable (batch, before, after, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
}

static void
delete_cable (SynBatch *batch, const char *cable_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynCable) cable = syn_store_get_cable (syn_batch_get_store (batch), syn_batch_get_project_id (batch),
                                                   cable_id, &error);
  g_autoptr(SynEvent) event = NULL;

  g_assert_nonnull (cable);
  event = syn_batch_delete_cable (batch, cable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
}

static char *
create_edge (SynBatch *batch, const char *source_id, const char *target_id, const char *relation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEdge) edge = syn_edge_new ();
  g_autoptr(SynEvent) event = NULL;

  edge->source_asset_id = g_strdup (source_id);
  edge->target_asset_id = g_strdup (target_id);
  edge->relation = g_strdup (relation);
  event = syn_batch_create_edge (batch, edge, "test-rule", "ELECTRICAL", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  return g_strdup (edge->id);
}

static void
delete_edge (SynBatch *batch, const char *edge_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEdge) edge = syn_store_get_edge (syn_batch_get_store (batch), syn_batch_get_project_id (batch),
                                                edge_id, &error);
  g_autoptr(SynEvent) event = NULL;

  g_assert_nonnull (edge);
  event = syn_batch_delete_edge (batch, edge, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
}

/* --- Checking ------------------------------------------------------------ */

static char *
state_hash (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  char *hash = syn_state_hash_compute (f->store, f->project->id, &error);

  g_assert_no_error (error);
  return hash;
}

static guint
count_events (SynTestFixture *f, const char *correlation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (f->store, f->project->id, correlation_id, &error);

  g_assert_no_error (error);
  return events->len;
}

static guint64
count_all_events (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = syn_store_list_events_after (f->store, f->project->id, 0, 0, &error);

  g_assert_no_error (error);
  return events->len;
}

static JsonObject *
rollback (SynTestFixture *f, const char *correlation_id, gboolean cascade)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_rollback_service_rollback (f->store, f->project->id, correlation_id,
                                                              USER, cascade, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_false (syn_store_in_transaction (f->store));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "status"), ==, "rolled_back");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "correlation_id"), ==,
                   correlation_id);
  return json_object_ref (json_node_get_object (answer));
}

static void
assert_refused (SynTestFixture *f, const char *correlation_id, int code, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_rollback_service_rollback (f->store, f->project->id, correlation_id,
                                                              USER, FALSE, &error);

  g_assert_null (answer);
  g_assert_error (error, SYN_ENGINE_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  g_assert_false (syn_store_in_transaction (f->store));
}

static void
assert_summary (JsonObject *answer, gint64 assets_deleted, gint64 cables_deleted, gint64 edges_deleted,
                gint64 assets_restored)
{
  JsonObject *summary = json_object_get_object_member (answer, "summary");

  g_assert_cmpuint (json_object_get_size (summary), ==, 4);
  g_assert_cmpint (json_object_get_int_member (summary, "assets_deleted"), ==, assets_deleted);
  g_assert_cmpint (json_object_get_int_member (summary, "cables_deleted"), ==, cables_deleted);
  g_assert_cmpint (json_object_get_int_member (summary, "edges_deleted"), ==, edges_deleted);
  g_assert_cmpint (json_object_get_int_member (summary, "assets_restored"), ==, assets_restored);
}

/* Events all marked, snapshot ROLLED_BACK with time and user. */
static void
assert_rolled_back (SynTestFixture *f, const char *correlation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (f->store, f->project->id, correlation_id, &error);
  g_autoptr(SynSnapshot) snapshot = syn_store_get_snapshot (f->store, f->project->id, correlation_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 0);
  for (guint i = 0; i < events->len; i++)
    g_assert_true (((SynEvent *) events->pdata[i])->is_rolled_back);
  g_assert_nonnull (snapshot);
  g_assert_cmpstr (snapshot->status, ==, SYN_SNAPSHOT_ROLLED_BACK);
  g_assert_cmpstr (snapshot->rolled_back_by, ==, USER);
  g_assert_cmpint (snapshot->rolled_back_at, >, 0);
}

static void
assert_untouched (SynTestFixture *f, const char *correlation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (f->store, f->project->id, correlation_id, &error);
  g_autoptr(SynSnapshot) snapshot = syn_store_get_snapshot (f->store, f->project->id, correlation_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    g_assert_false (((SynEvent *) events->pdata[i])->is_rolled_back);
  g_assert_cmpstr (snapshot->status, ==, SYN_SNAPSHOT_ACTIVE);
  g_assert_null (snapshot->rolled_back_by);
}

/* The BATCH_ROLLED_BACK event for @original in the rollback's own batch. */
static JsonObject *
rolled_back_payload (SynTestFixture *f, JsonObject *answer, const char *original)
{
  g_autoptr(GError) error = NULL;
  const char *rollback_id = json_object_get_string_member (answer, "rollback_correlation_id");
  g_autoptr(GPtrArray) events = NULL;

  g_assert_true (syn_uuid_is_valid (rollback_id));
  g_assert_cmpstr (rollback_id, !=, original);
  events = syn_store_get_events_by_correlation (f->store, f->project->id, rollback_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = events->pdata[i];

      g_assert_cmpstr (e->event_type, ==, SYN_EVENT_BATCH_ROLLED_BACK);
      g_assert_cmpstr (e->aggregate_type, ==, SYN_AGGREGATE_BATCH);
      g_assert_cmpstr (e->user_id, ==, USER);
      g_assert_false (e->is_rolled_back);
      if (g_strcmp0 (e->aggregate_id, original) == 0)
        {
          JsonObject *payload = json_node_get_object (e->payload);

          g_assert_cmpstr (json_object_get_string_member (payload, "original_correlation_id"), ==, original);
          return json_object_ref (payload);
        }
    }
  g_assert_not_reached ();
  return NULL;
}

/* @member of @payload holds exactly the NULL-terminated ids, in any order. */
static void
assert_ids (JsonObject *payload, const char *member, ...)
{
  JsonArray *array = json_object_get_array_member (payload, member);
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  const char *id;
  va_list args;

  va_start (args, member);
  while ((id = va_arg (args, const char *)) != NULL)
    g_hash_table_add (expected, (gpointer) id);
  va_end (args);

  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, g_hash_table_size (expected));
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_assert_true (g_hash_table_contains (expected, json_array_get_string_element (array, i)));
}

static void
assert_strv_equal_array (JsonArray *array, const char * const *expected)
{
  guint n = expected ? g_strv_length ((char **) expected) : 0;

  g_assert_cmpuint (json_array_get_length (array), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (json_array_get_string_element (array, i), ==, expected[i]);
}

static void
assert_blockers (SynTestFixture *f, const char *correlation_id, const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) blockers = syn_rollback_service_find_blockers (f->store, f->project->id,
                                                                      correlation_id, &error);
  guint n = g_strv_length ((char **) expected);

  g_assert_no_error (error);
  g_assert_cmpuint (blockers->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (blockers->pdata[i], ==, expected[i]);
}

/* A base batch: two pumps, a motor, a cable, two edges. */
typedef struct
{
  char *pump1, *pump2, *motor, *cable, *edge1, *edge2;
  char *batch;
} Base;

static void
base_setup (SynTestFixture *f, Base *base)
{
  SynBatch *batch = begin (f);

  base->pump1 = create_asset (batch, "210-PP-001", "PUMP", 50);
  base->pump2 = create_asset (batch, "210-PP-002", "PUMP", 75);
  base->motor = create_asset (batch, "210-MT-001", "MOTOR", 50);
  base->cable = create_cable (batch, "210-CB-001", base->motor, base->pump1);
  base->edge1 = create_edge (batch, base->motor, base->pump1, "powers");
  base->edge2 = create_edge (batch, base->pump1, base->pump2, "feeds");
  base->batch = commit (batch);
}

static void
base_clear (Base *base)
{
  g_free (base->pump1);
  g_free (base->pump2);
  g_free (base->motor);
  g_free (base->cable);
  g_free (base->edge1);
  g_free (base->edge2);
  g_free (base->batch);
}

/* --- Restoring ----------------------------------------------------------- */

static void
test_rollback_creations (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autofree char *before = NULL, *after = NULL, *b = NULL;
  g_autofree char *a1 = NULL, *a2 = NULL, *a3 = NULL, *c1 = NULL, *c2 = NULL;
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) payload = NULL;
  SynBatch *batch;
  guint n_events;

  base_setup (f, &base);
  before = state_hash (f);

  batch = begin (f);
  a1 = create_asset (batch, "210-MT-002", "MOTOR", 75);
  a2 = create_asset (batch, "210-MT-003", "MOTOR", 30);
  a3 = create_asset (batch, "210-LT-001", "TRANSMITTER", 0);
  c1 = create_cable (batch, "210-CB-002", a1, base.pump2);
  c2 = create_cable (batch, "210-CB-003", a2, base.pump1);
  e1 = create_edge (batch, a1, base.pump2, "powers");
  e2 = create_edge (batch, a2, base.pump1, "powers");
  e3 = create_edge (batch, a3, base.pump1, "measures");
  e4 = create_edge (batch, base.motor, a1, "controls");
  b = commit (batch);
  n_events = count_events (f, b);
  g_assert_cmpuint (n_events, ==, 9);
  after = state_hash (f);
  g_assert_cmpstr (after, !=, before);
  g_clear_pointer (&after, g_free);

  answer = rollback (f, b, FALSE);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, n_events);
  assert_summary (answer, 3, 2, 4, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "cascaded")), ==, 0);
  assert_rolled_back (f, b);
  assert_untouched (f, base.batch);

  payload = rolled_back_payload (f, answer, b);
  assert_ids (payload, "deleted_assets", a1, a2, a3, NULL);
  assert_ids (payload, "deleted_cables", c1, c2, NULL);
  assert_ids (payload, "deleted_edges", e1, e2, e3, e4, NULL);
  assert_ids (payload, "restored_assets", NULL);
  assert_ids (payload, "restored_cables", NULL);
  assert_ids (payload, "restored_edges", NULL);

  /* the rollback batch has no snapshot: it cannot itself be rolled back
   * (undoing it is redoing b, which the refusal says) */
  {
    const char *rollback_id = json_object_get_string_member (answer, "rollback_correlation_id");

    g_assert_cmpuint (count_events (f, rollback_id), ==, 1);
    assert_refused (f, rollback_id, SYN_ENGINE_ERROR_CONFLICT, NULL);
  }
  base_clear (&base);
}

static void
test_rollback_updates_and_deletions (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autofree char *before = NULL, *after = NULL, *b = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) payload = NULL;
  SynBatch *batch;

  base_setup (f, &base);
  before = state_hash (f);

  batch = begin (f);
  update_asset (batch, base.pump1, 60, "Changed");
  delete_edge (batch, base.edge1);
  delete_cable (batch, base.cable);
  delete_asset (batch, base.motor);
  update_asset (batch, base.pump2, 100, NULL);
  delete_edge (batch, base.edge2);
  b = commit (batch);

  answer = rollback (f, b, FALSE);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, 6);
  assert_summary (answer, 0, 0, 0, 3);
  assert_rolled_back (f, b);

  payload = rolled_back_payload (f, answer, b);
  assert_ids (payload, "deleted_assets", NULL);
  assert_ids (payload, "restored_assets", base.pump1, base.pump2, base.motor, NULL);
  assert_ids (payload, "restored_cables", base.cable, NULL);
  assert_ids (payload, "restored_edges", base.edge1, base.edge2, NULL);
  base_clear (&base);
}

static void
test_rollback_update_then_delete (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autofree char *before = NULL, *after = NULL, *b = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) payload = NULL;
  SynBatch *batch;

  base_setup (f, &base);
  before = state_hash (f);

  /* the same asset updated twice, then deleted; a cable updated then deleted
   * (before the asset it ends at, as the edges touching it) */
  batch = begin (f);
  update_asset (batch, base.pump1, 60, NULL);
  update_asset (batch, base.pump1, 70, "Twice");
  update_cable (batch, base.cable, "#6 AWG");
  delete_cable (batch, base.cable);
  delete_edge (batch, base.edge1);
  delete_edge (batch, base.edge2);
  delete_asset (batch, base.pump1);
  b = commit (batch);

  answer = rollback (f, b, FALSE);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, 7);
  /* distinct entities: one asset, however many events */
  assert_summary (answer, 0, 0, 0, 1);
  payload = rolled_back_payload (f, answer, b);
  assert_ids (payload, "restored_assets", base.pump1, NULL);
  assert_ids (payload, "restored_cables", base.cable, NULL);
  assert_ids (payload, "restored_edges", base.edge1, base.edge2, NULL);
  assert_rolled_back (f, b);
  base_clear (&base);
}

static void
test_rollback_create_then_update (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autofree char *before = NULL, *after = NULL, *b = NULL;
  g_autofree char *created = NULL, *gone = NULL, *cable = NULL, *edge = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) payload = NULL;
  SynBatch *batch;

  base_setup (f, &base);
  before = state_hash (f);

  batch = begin (f);
  created = create_asset (batch, "210-MT-009", "MOTOR", 10);
  update_asset (batch, created, 20, "Updated after creation");
  update_asset (batch, base.pump2, 80, NULL);
  cable = create_cable (batch, "210-CB-009", created, base.pump2);
  update_cable (batch, cable, "#4 AWG");
  edge = create_edge (batch, created, base.pump2, "powers");
  /* created and deleted again in the batch: nothing to delete afterwards */
  gone = create_asset (batch, "210-TMP-001", "TANK", 0);
  delete_asset (batch, gone);
  b = commit (batch);

  answer = rollback (f, b, FALSE);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, 8);
  assert_summary (answer, 1, 1, 1, 1);
  payload = rolled_back_payload (f, answer, b);
  assert_ids (payload, "deleted_assets", created, NULL);
  assert_ids (payload, "deleted_cables", cable, NULL);
  assert_ids (payload, "deleted_edges", edge, NULL);
  assert_ids (payload, "restored_assets", base.pump2, NULL);
  assert_ids (payload, "restored_cables", NULL);
  assert_rolled_back (f, b);
  base_clear (&base);
}

/* --- Refusals ------------------------------------------------------------ */

static void
test_refusals (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *twice = NULL, *unknown_message = NULL, *before = NULL, *after = NULL;
  const char *unknown = "0b6f3a52-3f0c-4a43-9d7e-2f1d7c1e9a10";
  guint64 n_events;

  base_setup (f, &base);
  answer = rollback (f, base.batch, FALSE);
  assert_summary (answer, 3, 1, 2, 0);

  before = state_hash (f);
  n_events = count_all_events (f);
  twice = g_strdup_printf ("Batch %s has already been rolled back", base.batch);
  assert_refused (f, base.batch, SYN_ENGINE_ERROR_ROLLBACK_REFUSED, twice);
  unknown_message = g_strdup_printf ("No snapshot found for correlation_id: %s", unknown);
  assert_refused (f, unknown, SYN_ENGINE_ERROR_ROLLBACK_REFUSED, unknown_message);
  assert_refused (f, "not-a-uuid", SYN_ENGINE_ERROR_ROLLBACK_REFUSED, "Invalid correlation_id format");
  assert_refused (f, "", SYN_ENGINE_ERROR_ROLLBACK_REFUSED, "Invalid correlation_id format");
  assert_refused (f, NULL, SYN_ENGINE_ERROR_ROLLBACK_REFUSED, "Invalid correlation_id format");

  /* a refusal writes nothing */
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_all_events (f), ==, n_events);

  /* another project's batch is unknown here */
  {
    g_autoptr(SynProject) other = syn_test_create_project (f->store, "Other", "CA");
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = syn_rollback_service_rollback (f->store, other->id, base.batch, USER, FALSE, &error);

    g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_REFUSED);
    g_assert_true (g_str_has_prefix (error->message, "No snapshot found"));
  }
  base_clear (&base);
}

/* --- Blockers and cascade ------------------------------------------------ */

static void
test_blocked_by_later_batch (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *b = NULL, *c = NULL, *d = NULL, *before = NULL, *after = NULL;
  g_autofree char *other = NULL;
  SynBatch *batch;
  guint64 n_events;

  base_setup (f, &base);

  batch = begin (f);
  update_asset (batch, base.pump1, 60, NULL);
  b = commit (batch);
  batch = begin (f);
  other = create_asset (batch, "300-PP-001", "PUMP", 5);
  d = commit (batch);
  batch = begin (f);
  update_asset (batch, base.pump1, 70, NULL);
  c = commit (batch);

  before = state_hash (f);
  n_events = count_all_events (f);
  none = syn_rollback_service_rollback (f->store, f->project->id, b, USER, FALSE, &error);
  g_assert_null (none);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  g_assert_nonnull (strstr (error->message, c));
  g_assert_null (strstr (error->message, d));
  g_assert_false (syn_store_in_transaction (f->store));
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_all_events (f), ==, n_events);
  assert_untouched (f, b);
  assert_untouched (f, c);

  assert_blockers (f, b, (const char *[]) { c, NULL });
  assert_blockers (f, c, (const char *[]) { NULL });
  assert_blockers (f, d, (const char *[]) { NULL });

  /* D touched other entities: it never blocks, and survives the rollback of C then B */
  g_clear_pointer (&answer, json_object_unref);
  answer = rollback (f, c, FALSE);
  g_clear_pointer (&answer, json_object_unref);
  answer = rollback (f, b, FALSE);
  assert_summary (answer, 0, 0, 0, 1);
  assert_untouched (f, d);
  {
    g_autoptr(SynAsset) kept = syn_store_get_asset (f->store, f->project->id, other, &error);
    g_autoptr(SynAsset) pump = syn_store_get_asset (f->store, f->project->id, base.pump1, &error);

    g_assert_nonnull (kept);
    g_assert_cmpint (json_object_get_int_member (pump->properties, "hp"), ==, 50);
  }

  /* once its blockers are rolled back, nothing blocks it any more */
  assert_blockers (f, base.batch, (const char *[]) { NULL });
  base_clear (&base);
}

static void
test_cascade (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autofree char *b = NULL, *c = NULL, *d = NULL, *e = NULL;
  g_autofree char *a2 = NULL, *a3 = NULL, *edge = NULL, *before = NULL, *after = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) payload = NULL;
  SynBatch *batch;
  guint64 n_events;

  base_setup (f, &base);
  before = state_hash (f);

  /* B changes pump1 and creates A2; C changes pump1 again and creates A3;
   * D changes A2; E changes A3 (it blocks C only: B is blocked through C). */
  batch = begin (f);
  update_asset (batch, base.pump1, 60, NULL);
  a2 = create_asset (batch, "210-MT-020", "MOTOR", 20);
  b = commit (batch);
  batch = begin (f);
  update_asset (batch, base.pump1, 70, NULL);
  a3 = create_asset (batch, "210-MT-030", "MOTOR", 30);
  c = commit (batch);
  batch = begin (f);
  update_asset (batch, a2, 25, NULL);
  d = commit (batch);
  batch = begin (f);
  update_asset (batch, a3, 35, NULL);
  edge = create_edge (batch, a3, base.pump2, "powers");
  e = commit (batch);

  assert_blockers (f, b, (const char *[]) { e, d, c, NULL });
  assert_blockers (f, c, (const char *[]) { e, NULL });
  n_events = count_events (f, b) + count_events (f, c) + count_events (f, d) + count_events (f, e);

  answer = rollback (f, b, TRUE);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  assert_strv_equal_array (json_object_get_array_member (answer, "cascaded"), (const char *[]) { e, d, c, NULL });
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, n_events);
  /* A2 and A3 end deleted (restored first by D and E, then deleted); pump1 restored;
   * E's edge deleted */
  assert_summary (answer, 2, 0, 1, 1);
  assert_rolled_back (f, b);
  assert_rolled_back (f, c);
  assert_rolled_back (f, d);
  assert_rolled_back (f, e);
  assert_untouched (f, base.batch);

  /* one BATCH_ROLLED_BACK per batch, in the one rollback batch, newest first */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (
      f->store, f->project->id, json_object_get_string_member (answer, "rollback_correlation_id"), &error);

    g_assert_cmpuint (events->len, ==, 4);
    g_assert_cmpstr (((SynEvent *) events->pdata[0])->aggregate_id, ==, e);
    g_assert_cmpstr (((SynEvent *) events->pdata[1])->aggregate_id, ==, d);
    g_assert_cmpstr (((SynEvent *) events->pdata[2])->aggregate_id, ==, c);
    g_assert_cmpstr (((SynEvent *) events->pdata[3])->aggregate_id, ==, b);
  }
  payload = rolled_back_payload (f, answer, e);
  assert_ids (payload, "deleted_edges", edge, NULL);
  assert_ids (payload, "restored_assets", a3, NULL);
  g_clear_pointer (&payload, json_object_unref);
  payload = rolled_back_payload (f, answer, d);
  assert_ids (payload, "restored_assets", a2, NULL);
  g_clear_pointer (&payload, json_object_unref);
  payload = rolled_back_payload (f, answer, b);
  assert_ids (payload, "deleted_assets", a2, NULL);
  assert_ids (payload, "restored_assets", base.pump1, NULL);
  base_clear (&base);
}

/* A batch written without a snapshot (straight through the event store)
 * blocks by its events, and a cascade cannot undo it. */
static void
test_blocker_without_snapshot (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEventStore) es = syn_event_store_new (f->store, f->project->id, USER);
  g_autoptr(SynEvent) event = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autofree char *raw = NULL, *before = NULL, *after = NULL;

  base_setup (f, &base);
  raw = g_strdup (syn_event_store_start_batch (es, &error));
  event = syn_event_store_emit (es, SYN_EVENT_CABLE_UPDATED, SYN_AGGREGATE_CABLE, base.cable, NULL, NULL,
                                NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_event_store_commit_batch (es, &error));

  assert_blockers (f, base.batch, (const char *[]) { raw, NULL });
  before = state_hash (f);
  none = syn_rollback_service_rollback (f->store, f->project->id, base.batch, USER, TRUE, &error);
  g_assert_null (none);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  g_assert_nonnull (strstr (error->message, raw));
  g_assert_false (syn_store_in_transaction (f->store));
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  assert_untouched (f, base.batch);
  base_clear (&base);
}

/* More ids than one statement takes: the blocker's asset is in the last chunk. */
static void
test_blockers_in_large_batch (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *b = NULL, *c = NULL, *d = NULL;
  SynBatch *batch;

  batch = begin (f);
  for (guint i = 0; i < 1200; i++)
    {
      g_autofree char *tag = g_strdup_printf ("400-PP-%04u", i);

      g_ptr_array_add (ids, create_asset (batch, tag, "PUMP", i));
    }
  b = commit (batch);
  batch = begin (f);
  update_asset (batch, ids->pdata[1100], 1, NULL);
  c = commit (batch);
  batch = begin (f);
  update_asset (batch, ids->pdata[3], 1, NULL);
  d = commit (batch);

  later = syn_store_list_later_batches (f->store, f->project->id, SYN_AGGREGATE_ASSET,
                                        (const char * const *) ids->pdata, ids->len, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 3);
  g_assert_cmpstr (later->pdata[0], ==, d);
  g_assert_cmpstr (later->pdata[1], ==, c);
  g_assert_cmpstr (later->pdata[2], ==, b);
  g_clear_pointer (&later, g_ptr_array_unref);
  later = syn_store_list_later_batches (f->store, f->project->id, SYN_AGGREGATE_CABLE,
                                        (const char * const *) ids->pdata, ids->len, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 0);

  assert_blockers (f, b, (const char *[]) { d, c, NULL });
  answer = rollback (f, b, TRUE);
  assert_summary (answer, 1200, 0, 0, 0);
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, 1202);
  {
    guint64 total = 99;
    g_autoptr(GPtrArray) assets = syn_store_list_assets (f->store, f->project->id, NULL, NULL, 0, 1, &total, &error);

    g_assert_cmpuint (total, ==, 0);
  }
}

/* Rollback finds a batch's newest event by the count its snapshot keeps;
 * a count that does not fit the batch's events (an older database, a
 * repair) falls back on reading them, and the blockers stay the same. */
static void
test_blockers_with_wrong_event_count (SynTestFixture *f, gconstpointer data)
{
  static const gint64 counts[] = { 3, 1, 2, 50, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *a1 = NULL, *a2 = NULL, *a3 = NULL, *b = NULL, *c = NULL;
  SynBatch *batch;

  batch = begin (f);
  a1 = create_asset (batch, "500-PP-0001", "PUMP", 5);
  a2 = create_asset (batch, "500-PP-0002", "PUMP", 10);
  a3 = create_asset (batch, "500-PP-0003", "PUMP", 15);
  b = commit (batch);
  batch = begin (f);
  update_asset (batch, a3, 20, NULL);
  c = commit (batch);

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_assert_true (syn_store_update_snapshot_events_count (f->store, f->project->id, b, counts[i], &error));
      g_assert_no_error (error);
      assert_blockers (f, b, (const char *[]) { c, NULL });
    }
  answer = rollback (f, b, TRUE);
  assert_summary (answer, 3, 0, 0, 0);
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, 4);
}

/* Rollback deletes what a batch created in one statement per table: only
 * the project's rows among the ids, missing ids no error, ids it deleted
 * given back. */
static void
test_delete_entities (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynProject) other = syn_project_new ();
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SynAsset) stranger = syn_asset_new ();
  g_autofree char *a1 = NULL, *a2 = NULL, *a3 = NULL, *missing = syn_uuid_new ();
  const char *ids[4];
  SynBatch *batch;

  batch = begin (f);
  a1 = create_asset (batch, "600-PP-0001", "PUMP", 5);
  a2 = create_asset (batch, "600-PP-0002", "PUMP", 10);
  a3 = create_asset (batch, "600-PP-0003", "PUMP", 15);
  g_free (commit (batch));
  other->name = g_strdup ("other");
  g_assert_true (syn_store_insert_project (f->store, other, &error));
  stranger->project_id = g_strdup (other->id);
  stranger->tag = g_strdup ("600-PP-0009");
  stranger->type = g_strdup ("PUMP");
  g_assert_true (syn_store_insert_asset (f->store, stranger, &error));
  g_assert_no_error (error);

  ids[0] = a1, ids[1] = missing, ids[2] = a3, ids[3] = stranger->id;
  g_assert_true (syn_store_begin (f->store, &error));
  g_assert_true (syn_store_delete_entities (f->store, f->project->id, SYN_AGGREGATE_ASSET, ids, 4, gone, &error));
  g_assert_no_error (error);
  g_assert_true (syn_store_commit (f->store, &error));
  g_assert_cmpuint (gone->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (gone, a1, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (gone, a3, g_str_equal, NULL));
  {
    g_autoptr(SynAsset) kept = syn_store_get_asset (f->store, f->project->id, a2, &error);
    g_autoptr(SynAsset) theirs = syn_store_get_asset (f->store, other->id, stranger->id, &error);
    g_autoptr(SynAsset) deleted = syn_store_get_asset (f->store, f->project->id, a1, &error);

    g_assert_no_error (error);
    g_assert_nonnull (kept);
    g_assert_nonnull (theirs);
    g_assert_null (deleted);
  }
  /* nothing to delete: nothing asked, or nothing there */
  g_ptr_array_set_size (gone, 0);
  g_assert_true (syn_store_delete_entities (f->store, f->project->id, SYN_AGGREGATE_CABLE, ids, 0, gone, &error));
  g_assert_true (syn_store_delete_entities (f->store, f->project->id, SYN_AGGREGATE_EDGE, ids, 4, gone, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gone->len, ==, 0);
}

/* --- No dangling reference (issue 12) ------------------------------------ */

/* Every pump gets a motor that powers it and a cable to it. */
static const char *pump_rules =
  "[{\"id\": \"pump-motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
  "  \"action_type\": \"CREATE_CHILD\", \"discipline\": \"ELECTRICAL\", \"condition\": {\"asset_type\": \"PUMP\"},"
  "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{tag}-M\", \"relation\": \"powers\"}},"
  " {\"id\": \"pump-cable\", \"name\": \"FIRM: Pumps require Cable\", \"source\": \"FIRM\","
  "  \"action_type\": \"CREATE_CABLE\", \"condition\": {\"asset_type\": \"PUMP\"},"
  "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}}]";

static void
save_pump_rules (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = syn_json_parse (pump_rules, -1, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(SynRule) rule = syn_rule_parse (json_array_get_object_element (array, i), f->project->id, &error);
      g_autoptr(SynRule) saved = NULL;

      g_assert_no_error (error);
      saved = syn_rule_editor_save (f->store, rule, USER, NULL, &error);
      g_assert_no_error (error);
    }
}

/* A manual create (one batch, like an import of one row); returns the batch. */
static char *
add_pump (SynTestFixture *f, const char *tag, char **asset_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) properties = json_object_new ();
  g_autoptr(SynAsset) asset = NULL;
  char *correlation_id = NULL;

  json_object_set_string_member (properties, "hp", "50");
  json_object_set_string_member (fields, "tag", tag);
  json_object_set_string_member (fields, "type", "PUMP");
  json_object_set_object_member (fields, "properties", g_steal_pointer (&properties));
  asset = syn_asset_editor_create (f->store, f->project->id, USER, fields, &correlation_id, &error);
  g_assert_no_error (error);
  if (asset_id != NULL)
    *asset_id = g_strdup (asset->id);
  return correlation_id;
}

/* Runs every rule; returns the batch (NULL: nothing to do). */
static char *
execute (SynTestFixture *f)
{
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (syn_store_get_uri (f->store));
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (request, "project_id", f->project->id);
  json_object_set_string_member (request, "mode", "execute");
  answer = syn_rule_engine_run (engine, f->store, NULL, request, USER, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (syn_json_get_string (json_node_get_object (answer), "correlation_id"));
}

/* No edge and no cable of the project names an asset that does not exist. */
static void
assert_nothing_dangles (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) edges = syn_store_list_edges (f->store, f->project->id, NULL, &error);
  g_autoptr(GPtrArray) cables = syn_store_list_cables (f->store, f->project->id, 0, 0, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (edges, i);
      g_autoptr(SynAsset) source = syn_store_get_asset (f->store, f->project->id, edge->source_asset_id, NULL);
      g_autoptr(SynAsset) target = syn_store_get_asset (f->store, f->project->id, edge->target_asset_id, NULL);

      g_assert_nonnull (source);
      g_assert_nonnull (target);
    }
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *cable = g_ptr_array_index (cables, i);
      g_autoptr(SynAsset) from = cable->from_asset_id
        ? syn_store_get_asset (f->store, f->project->id, cable->from_asset_id, NULL) : NULL;
      g_autoptr(SynAsset) to = cable->to_asset_id
        ? syn_store_get_asset (f->store, f->project->id, cable->to_asset_id, NULL) : NULL;

      g_assert_true (cable->from_asset_id == NULL || from != NULL);
      g_assert_true (cable->to_asset_id == NULL || to != NULL);
    }
}

/* The case: a pump's batch, then a run that makes its motor (an
 * edge to the pump) and its cable (to the pump). Rolling back the pump's
 * batch alone would leave them pointing at nothing: the run blocks it. */
static void
test_referenced_by_later_batch (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *empty = state_hash (f);
  g_autofree char *pump = NULL, *import = NULL, *run = NULL, *before = NULL, *after = NULL;
  guint64 n_events;

  save_pump_rules (f);
  import = add_pump (f, "210-PP-001", &pump);
  run = execute (f);
  g_assert_nonnull (run);

  assert_blockers (f, import, (const char *[]) { run, NULL });
  before = state_hash (f);
  n_events = count_all_events (f);
  none = syn_rollback_service_rollback (f->store, f->project->id, import, USER, FALSE, &error);
  g_assert_null (none);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  g_assert_nonnull (strstr (error->message, run));
  g_assert_false (syn_store_in_transaction (f->store));
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_all_events (f), ==, n_events);
  assert_untouched (f, import);
  assert_nothing_dangles (f);

  /* the cascade undoes the run first: the project is as before the pump */
  answer = rollback (f, import, TRUE);
  assert_strv_equal_array (json_object_get_array_member (answer, "cascaded"), (const char *[]) { run, NULL });
  assert_summary (answer, 2, 1, 1, 0);
  g_clear_pointer (&after, g_free);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, empty);
  assert_nothing_dangles (f);
}

/* An edge the batch deleted comes back only if both its ends are there: a
 * later batch that deleted an end blocks it (and is undone by a cascade). */
static void
test_restore_needs_both_ends (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *b = NULL, *c = NULL, *before = NULL, *after = NULL, *start = NULL;
  SynBatch *batch;

  base_setup (f, &base);
  start = state_hash (f);
  /* B deletes the edge pump1 -> pump2; C deletes pump2 (nothing hangs on it any more) */
  batch = begin (f);
  delete_edge (batch, base.edge2);
  b = commit (batch);
  batch = begin (f);
  delete_asset (batch, base.pump2);
  c = commit (batch);

  assert_blockers (f, b, (const char *[]) { c, NULL });
  before = state_hash (f);
  none = syn_rollback_service_rollback (f->store, f->project->id, b, USER, FALSE, &error);
  g_assert_null (none);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  g_assert_nonnull (strstr (error->message, c));
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  assert_nothing_dangles (f);

  answer = rollback (f, b, TRUE);
  assert_strv_equal_array (json_object_get_array_member (answer, "cascaded"), (const char *[]) { c, NULL });
  g_clear_pointer (&after, g_free);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, start);
  assert_nothing_dangles (f);
  base_clear (&base);
}

/* The tag of a deleted asset taken since by another: the answer says so, in
 * the words of the domain rather than the database's. */
static void
test_tag_in_use (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autofree char *b = NULL, *c = NULL, *twin = NULL, *expected = NULL, *before = NULL, *after = NULL;
  SynBatch *batch;

  base_setup (f, &base);
  batch = begin (f);
  delete_edge (batch, base.edge2);
  delete_asset (batch, base.pump2);
  b = commit (batch);
  batch = begin (f);
  twin = create_asset (batch, "210-PP-002", "PUMP", 1);
  c = commit (batch);

  before = state_hash (f);
  none = syn_rollback_service_rollback (f->store, f->project->id, b, USER, TRUE, &error);
  g_assert_null (none);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT);
  expected = g_strdup_printf ("Cannot roll back batch %s: tag 210-PP-002 is in use by asset %s since batch %s",
                              b, twin, c);
  g_assert_cmpstr (error->message, ==, expected);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  assert_untouched (f, b);
  base_clear (&base);
}

/* A rollback has no snapshot of its own: undoing it is redoing its batch,
 * and the refusal says so. */
static void
test_rollback_of_rollback (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *expected = NULL;
  const char *rollback_id;

  base_setup (f, &base);
  answer = rollback (f, base.batch, FALSE);
  rollback_id = json_object_get_string_member (answer, "rollback_correlation_id");
  none = syn_rollback_service_rollback (f->store, f->project->id, rollback_id, USER, FALSE, &error);
  g_assert_null (none);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT);
  expected = g_strdup_printf ("Batch %s is a rollback: to undo a rollback, redo batch %s (synapse redo %s)",
                              rollback_id, base.batch, base.batch);
  g_assert_cmpstr (error->message, ==, expected);
  base_clear (&base);
}

/* --- Redo (issue 12) ----------------------------------------------------- */

static JsonObject *
redo (SynTestFixture *f, const char *correlation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_redo_service_redo (f->store, f->project->id, correlation_id, USER, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_false (syn_store_in_transaction (f->store));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "status"), ==, "redone");
  return json_object_ref (json_node_get_object (answer));
}

/* The redo is refused with @code (and @message when given), and nothing
 * changed: same state, same events. */
static GError *
redo_refused (SynTestFixture *f, const char *correlation_id, int code)
{
  GError *error = NULL;
  g_autofree char *before = state_hash (f);
  g_autofree char *after = NULL;
  guint64 n_events = count_all_events (f);
  g_autoptr(JsonNode) none = syn_redo_service_redo (f->store, f->project->id, correlation_id, USER, &error);

  g_assert_null (none);
  g_assert_error (error, SYN_ENGINE_ERROR, code);
  g_assert_false (syn_store_in_transaction (f->store));
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_all_events (f), ==, n_events);
  return error;
}

static void
assert_redo_blockers (SynTestFixture *f, const char *correlation_id, const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) blockers = syn_redo_service_find_blockers (f->store, f->project->id, correlation_id, &error);
  guint n = g_strv_length ((char **) expected);

  g_assert_no_error (error);
  g_assert_cmpuint (blockers->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (blockers->pdata[i], ==, expected[i]);
}

/* The case the other way: a run rolled back, then redone, leaves the
 * state the run left, through a batch of its own that says what it redoes
 * and can be rolled back in turn. */
static void
test_redo_exact (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *import = NULL, *run = NULL, *imported = NULL, *ran = NULL, *after = NULL;
  g_autoptr(JsonObject) undone = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *summary;
  const char *redo_id;

  save_pump_rules (f);
  import = add_pump (f, "210-PP-001", NULL);
  imported = state_hash (f);
  run = execute (f);
  ran = state_hash (f);
  undone = rollback (f, run, FALSE);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, imported);

  answer = redo (f, run);
  g_clear_pointer (&after, g_free);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, ran);
  assert_nothing_dangles (f);
  assert_strv_equal_array (json_object_get_array_member (answer, "redone"), (const char *[]) { run, NULL });
  summary = json_object_get_object_member (answer, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "assets_created"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "cables_created"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "edges_created"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "assets_deleted"), ==, 0);

  /* BATCH_REDONE first, every change caused by it and naming the batch */
  redo_id = json_object_get_string_member (answer, "redo_correlation_id");
  g_assert_cmpstr (redo_id, !=, run);
  events = syn_store_get_events_by_correlation (f->store, f->project->id, redo_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpstr (((SynEvent *) events->pdata[0])->event_type, ==, SYN_EVENT_BATCH_REDONE);
  g_assert_cmpstr (((SynEvent *) events->pdata[0])->aggregate_id, ==, run);
  for (guint i = 1; i < events->len; i++)
    {
      SynEvent *e = events->pdata[i];

      g_assert_cmpstr (e->causation_id, ==, ((SynEvent *) events->pdata[0])->id);
      g_assert_cmpstr (syn_json_get_string (json_node_get_object (e->metadata), "redo_of"), ==, run);
      g_assert_cmpstr (e->user_id, ==, USER);
    }
  /* the original stays rolled back: the redo is a batch of its own */
  assert_rolled_back (f, run);

  /* the redo rolls back like any batch, and the run can be redone again */
  json_object_unref (rollback (f, redo_id, FALSE));
  g_clear_pointer (&after, g_free);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, imported);
  again = redo (f, run);
  g_clear_pointer (&after, g_free);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, ran);
}

/* Updates and deletions come back as the batch left them. */
static void
test_redo_updates_and_deletions (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autofree char *b = NULL, *left = NULL, *after = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *summary;
  SynBatch *batch;

  base_setup (f, &base);
  batch = begin (f);
  update_asset (batch, base.pump1, 60, "Changed");
  update_cable (batch, base.cable, "#6 AWG");
  delete_edge (batch, base.edge2);
  delete_asset (batch, base.pump2);
  b = commit (batch);
  left = state_hash (f);
  json_object_unref (rollback (f, b, FALSE));

  answer = redo (f, b);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, left);
  summary = json_object_get_object_member (answer, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "assets_updated"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "assets_deleted"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "cables_updated"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (summary, "edges_deleted"), ==, 1);
  assert_nothing_dangles (f);
  base_clear (&base);
}

/* A later batch on the same entity blocks the redo (409, named); rolling it
 * back lifts the block. */
static void
test_redo_blocked (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *b = NULL, *c = NULL;
  SynBatch *batch;

  base_setup (f, &base);
  batch = begin (f);
  update_asset (batch, base.pump1, 60, NULL);
  b = commit (batch);
  json_object_unref (rollback (f, b, FALSE));
  batch = begin (f);
  update_asset (batch, base.pump1, 70, "Since");
  c = commit (batch);

  assert_redo_blockers (f, b, (const char *[]) { c, NULL });
  error = redo_refused (f, b, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  g_assert_nonnull (strstr (error->message, c));
  assert_rolled_back (f, b);

  json_object_unref (rollback (f, c, FALSE));
  assert_redo_blockers (f, b, (const char *[]) { NULL });
  answer = redo (f, b);
  base_clear (&base);
}

/* What a redo would delete that a later batch refers to, and an end a later
 * batch deleted: both block, by the batch that did it. */
static void
test_redo_blocked_by_references (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *b = NULL, *d = NULL, *e = NULL, *g = NULL, *edge = NULL;
  SynBatch *batch;

  base_setup (f, &base);
  /* B deletes pump2 (and the edge to it); undone; D hangs a new edge on it */
  batch = begin (f);
  delete_edge (batch, base.edge2);
  delete_asset (batch, base.pump2);
  b = commit (batch);
  json_object_unref (rollback (f, b, FALSE));
  batch = begin (f);
  edge = create_edge (batch, base.motor, base.pump2, "feeds");
  d = commit (batch);
  assert_redo_blockers (f, b, (const char *[]) { d, NULL });
  error = redo_refused (f, b, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  g_assert_nonnull (strstr (error->message, d));
  g_clear_error (&error);

  /* E makes an edge to pump1; undone; G deletes pump1 with what touches it */
  batch = begin (f);
  g_free (create_edge (batch, base.pump2, base.pump1, "backs-up"));
  e = commit (batch);
  json_object_unref (rollback (f, e, FALSE));
  g_assert_true (syn_asset_editor_delete (f->store, f->project->id, USER, base.pump1, &g, &error));
  g_assert_no_error (error);
  assert_redo_blockers (f, e, (const char *[]) { g, NULL });
  error = redo_refused (f, e, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  g_assert_nonnull (strstr (error->message, g));
  assert_nothing_dangles (f);
  base_clear (&base);
}

/* The tag a batch created taken since by another asset: said in the domain's
 * words. An end that went with a rolled-back batch: redo that one first. */
static void
test_redo_conflicts (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) undone = NULL;
  g_autofree char *b = NULL, *c = NULL, *made = NULL, *twin = NULL, *expected = NULL;
  g_autofree char *import = NULL, *run = NULL, *pump = NULL;
  SynBatch *batch;

  base_setup (f, &base);
  batch = begin (f);
  made = create_asset (batch, "210-MT-077", "MOTOR", 10);
  b = commit (batch);
  json_object_unref (rollback (f, b, FALSE));
  batch = begin (f);
  twin = create_asset (batch, "210-MT-077", "MOTOR", 20);
  c = commit (batch);
  error = redo_refused (f, b, SYN_ENGINE_ERROR_CONFLICT);
  expected = g_strdup_printf ("Cannot redo batch %s: tag 210-MT-077 is in use by asset %s since batch %s",
                              b, twin, c);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_clear_pointer (&expected, g_free);

  /* the pump's batch and the run undone together; the run alone cannot come back */
  save_pump_rules (f);
  import = add_pump (f, "210-PP-009", &pump);
  run = execute (f);
  undone = rollback (f, import, TRUE);
  error = redo_refused (f, run, SYN_ENGINE_ERROR_CONFLICT);
  g_assert_true (g_str_has_prefix (error->message, "Cannot redo batch "));
  expected = g_strdup_printf ("which is gone since batch %s, which made it, was rolled back", import);
  g_assert_nonnull (strstr (error->message, expected));
  assert_nothing_dangles (f);
  base_clear (&base);
}

/* Undoing a rollback is redoing it: every batch it undid, oldest first. */
static void
test_redo_rollback (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonObject) undone = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *import = NULL, *run = NULL, *ran = NULL, *after = NULL, *expected = NULL;
  const char *rollback_id;

  save_pump_rules (f);
  import = add_pump (f, "210-PP-001", NULL);
  run = execute (f);
  ran = state_hash (f);
  undone = rollback (f, import, TRUE);
  rollback_id = json_object_get_string_member (undone, "rollback_correlation_id");

  /* the rollback itself cannot be rolled back: the refusal says what to do */
  none = syn_rollback_service_rollback (f->store, f->project->id, rollback_id, USER, FALSE, &error);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT);
  expected = g_strdup_printf ("Batch %s is a rollback of batch %s and 1 later ones: to undo it, redo it, which "
                              "redoes them oldest first (synapse redo %s)", rollback_id, import, rollback_id);
  g_assert_cmpstr (error->message, ==, expected);

  answer = redo (f, rollback_id);
  assert_strv_equal_array (json_object_get_array_member (answer, "redone"), (const char *[]) { import, run, NULL });
  after = state_hash (f);
  g_assert_cmpstr (after, ==, ran);
  assert_nothing_dangles (f);

  /* twice: the first redo stands in the way */
  g_clear_error (&error);
  error = redo_refused (f, rollback_id, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  g_assert_nonnull (strstr (error->message, json_object_get_string_member (answer, "redo_correlation_id")));
}

/* A cascade undone one batch at a time, oldest first: the redo of the older
 * batch is no obstacle to the later one's. The other way round, it is. */
static void
test_redo_in_turn (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) undone = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autofree char *import = NULL, *run = NULL, *ran = NULL, *after = NULL;
  Base base = { 0 };
  g_autofree char *b = NULL, *c = NULL;
  SynBatch *batch;

  save_pump_rules (f);
  import = add_pump (f, "210-PP-050", NULL);
  run = execute (f);
  ran = state_hash (f);
  undone = rollback (f, import, TRUE);
  first = redo (f, import);
  second = redo (f, run);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, ran);
  assert_nothing_dangles (f);

  /* B then C on one asset, both undone; C redone first stands in B's way */
  base_setup (f, &base);
  batch = begin (f);
  update_asset (batch, base.pump1, 60, NULL);
  b = commit (batch);
  batch = begin (f);
  update_asset (batch, base.pump1, 70, NULL);
  c = commit (batch);
  json_object_unref (rollback (f, b, TRUE));
  json_object_unref (redo (f, c));
  error = redo_refused (f, b, SYN_ENGINE_ERROR_ROLLBACK_BLOCKED);
  base_clear (&base);
}

/* A batch of rule changes comes back too. */
static void
test_redo_rule_changes (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *saved = NULL;
  JsonObject *summary;

  save_pump_rules (f);
  rule = syn_store_get_rule (f->store, "pump-motor", &error);
  g_assert_no_error (error);
  g_assert_nonnull (rule);
  g_assert_true (syn_rule_editor_delete (f->store, "pump-motor", f->project->id, USER, &saved, &error));
  g_assert_no_error (error);
  json_object_unref (rollback (f, saved, FALSE));
  g_clear_object (&rule);
  rule = syn_store_get_rule (f->store, "pump-motor", &error);
  g_assert_nonnull (rule);

  answer = redo (f, saved);
  summary = json_object_get_object_member (answer, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "rules_changed"), ==, 1);
  g_clear_object (&rule);
  rule = syn_store_get_rule (f->store, "pump-motor", &error);
  g_assert_null (rule);
}

static void
test_redo_refusals (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  base_setup (f, &base);
  error = redo_refused (f, base.batch, SYN_ENGINE_ERROR_INVALID);
  expected = g_strdup_printf ("Batch %s is not rolled back: there is nothing to redo", base.batch);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  error = redo_refused (f, "00000000-0000-0000-0000-000000000007", SYN_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  error = redo_refused (f, "not-a-uuid", SYN_ENGINE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Invalid correlation_id format");
  base_clear (&base);
}

/* --- Failure and races --------------------------------------------------- */

static void
test_failure_changes_nothing (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(SynAsset) still = NULL;
  g_autofree char *b = NULL, *c = NULL, *created = NULL, *twin = NULL, *before = NULL, *after = NULL;
  SynBatch *batch;
  guint64 n_events;

  base_setup (f, &base);

  /* B creates an asset and deletes pump2; C (another entity) takes pump2's tag */
  batch = begin (f);
  created = create_asset (batch, "210-MT-100", "MOTOR", 10);
  delete_edge (batch, base.edge2);
  delete_asset (batch, base.pump2);
  b = commit (batch);
  batch = begin (f);
  twin = create_asset (batch, "210-PP-002", "PUMP", 1);
  c = commit (batch);
  assert_blockers (f, b, (const char *[]) { NULL });

  before = state_hash (f);
  n_events = count_all_events (f);
  none = syn_rollback_service_rollback (f->store, f->project->id, b, USER, TRUE, &error);
  g_assert_null (none);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT);
  g_assert_true (g_str_has_prefix (error->message, "Cannot roll back batch "));
  g_assert_nonnull (strstr (error->message, "210-PP-002"));
  g_assert_false (syn_store_in_transaction (f->store));

  /* the deletion done before the failure is undone too */
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  still = syn_store_get_asset (f->store, f->project->id, created, &error);
  g_assert_nonnull (still);
  g_assert_cmpuint (count_all_events (f), ==, n_events);
  assert_untouched (f, b);
  assert_untouched (f, c);

  /* the store is usable: roll back C, then B restores pump2 */
  json_object_unref (rollback (f, c, FALSE));
  json_object_unref (rollback (f, b, FALSE));
  base_clear (&base);
}

typedef struct
{
  SynTestFixture *fixture;
  const char     *correlation_id;
  GMutex         *lock;
  GCond          *cond;
  guint          *ready;
  JsonNode       *answer;
  GError         *error;
} RaceJob;

static gpointer
race_thread (gpointer data)
{
  RaceJob *job = data;
  g_autoptr(SynStore) store = syn_test_fixture_open_again (job->fixture);

  /* both connections open before either starts */
  g_mutex_lock (job->lock);
  (*job->ready)++;
  g_cond_broadcast (job->cond);
  while (*job->ready < 2)
    g_cond_wait (job->cond, job->lock);
  g_mutex_unlock (job->lock);

  job->answer = syn_rollback_service_rollback (store, job->fixture->project->id, job->correlation_id,
                                               USER, FALSE, &job->error);
  return NULL;
}

static void
test_concurrent_rollbacks (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  GMutex lock;
  GCond cond;
  guint ready = 0;
  RaceJob jobs[2];
  GThread *threads[2];
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint won = 0, refused = 0;
  guint64 total = 0;

  base_setup (f, &base);
  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint t = 0; t < 2; t++)
    {
      jobs[t] = (RaceJob) { f, base.batch, &lock, &cond, &ready, NULL, NULL };
      threads[t] = g_thread_new ("rollback", race_thread, &jobs[t]);
    }
  for (guint t = 0; t < 2; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < 2; t++)
    {
      if (jobs[t].answer != NULL)
        {
          g_assert_no_error (jobs[t].error);
          won++;
          json_node_unref (jobs[t].answer);
        }
      else
        {
          g_assert_error (jobs[t].error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_ROLLBACK_REFUSED);
          g_assert_nonnull (strstr (jobs[t].error->message, "has already been rolled back"));
          refused++;
          g_error_free (jobs[t].error);
        }
    }
  g_assert_cmpuint (won, ==, 1);
  g_assert_cmpuint (refused, ==, 1);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);

  assert_rolled_back (f, base.batch);
  q->event_types = g_strsplit (SYN_EVENT_BATCH_ROLLED_BACK, ",", -1);
  events = syn_store_query_events (f->store, q, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  base_clear (&base);
}

/* --- Through the backend ------------------------------------------------- */

static JsonNode *
backend_call (SynBackend *backend, const char *op, const char *correlation_id, const char *cascade, GError **error)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_string_member (params, "project_id", "Test");
  json_object_set_string_member (params, "correlation_id", correlation_id);
  if (cascade != NULL)
    json_object_set_string_member (params, "cascade", cascade);
  return syn_backend_call_sync (backend, op, params, NULL, error);
}

static void
test_backend_ops (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  SynBackend *backend = SYN_BACKEND (local);
  g_autoptr(JsonNode) blockers = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *c = NULL;
  JsonArray *batches;
  JsonObject *blocker;
  SynBatch *batch;

  g_assert_no_error (error);
  base_setup (f, &base);
  batch = begin (f);
  update_asset (batch, base.pump1, 99, NULL);
  update_asset (batch, base.motor, 99, NULL);
  c = commit (batch);

  blockers = backend_call (backend, SYN_OP_ROLLBACK_BLOCKERS, base.batch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (blockers), "correlation_id"), ==, base.batch);
  batches = json_object_get_array_member (json_node_get_object (blockers), "blocking_batches");
  g_assert_cmpuint (json_array_get_length (batches), ==, 1);
  blocker = json_array_get_object_element (batches, 0);
  g_assert_cmpstr (json_object_get_string_member (blocker, "correlation_id"), ==, c);
  g_assert_cmpint (json_object_get_int_member (blocker, "events_count"), ==, 2);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (blocker, "executed_at"), "+00:00"));

  refused = backend_call (backend, SYN_OP_ROLLBACK, base.batch, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT);
  g_assert_cmpint (syn_backend_error_to_http_status (error), ==, 409);
  g_clear_error (&error);

  refused = backend_call (backend, SYN_OP_ROLLBACK, "not-a-uuid", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Invalid correlation_id format");
  g_clear_error (&error);

  answer = backend_call (backend, SYN_OP_ROLLBACK, base.batch, "true", &error);
  g_assert_no_error (error);
  assert_strv_equal_array (json_object_get_array_member (json_node_get_object (answer), "cascaded"),
                           (const char *[]) { c, NULL });
  assert_summary (json_node_get_object (answer), 3, 1, 2, 0);

  refused = backend_call (backend, SYN_OP_ROLLBACK, base.batch, "true", &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_cmpint (syn_backend_error_to_http_status (error), ==, 400);
  g_clear_error (&error);

  refused = backend_call (backend, SYN_OP_ROLLBACK_BLOCKERS, "0b6f3a52-3f0c-4a43-9d7e-2f1d7c1e9a10", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  base_clear (&base);
}

static JsonNode *
timeline_of_batch (SynBackend *backend, const char *text, GError **error)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_string_member (params, "project_id", "Test");
  json_object_set_string_member (params, "correlation_id", text);
  return syn_backend_call_sync (backend, SYN_OP_TIMELINE, params, NULL, error);
}

static void
assert_error_names (GError *error, int code, const char *part)
{
  g_assert_error (error, SYN_BACKEND_ERROR, code);
  if (strstr (error->message, part) == NULL)
    g_error ("\"%s\" not in \"%s\"", part, error->message);
}

/* Issue 12: a batch id may be given by 8 or more hex digits of its end (as
 * the command line and the GUI show it) or its start. */
static void
test_short_batch_ids (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  SynBackend *backend = SYN_BACKEND (local);
  g_autoptr(JsonNode) blockers = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *c = NULL;
  g_autofree char *base_end = NULL;
  g_autofree char *c_start = NULL;
  JsonArray *events;
  SynBatch *batch;

  g_assert_no_error (error);
  base_setup (f, &base);
  batch = begin (f);
  update_asset (batch, base.pump1, 99, NULL);
  c = commit (batch);
  base_end = g_ascii_strup (base.batch + strlen (base.batch) - 8, -1);
  c_start = g_strndup (c, strlen (c) - 1);

  blockers = backend_call (backend, SYN_OP_ROLLBACK_BLOCKERS, base_end, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (blockers), "correlation_id"), ==, base.batch);

  page = timeline_of_batch (backend, c_start, &error);
  g_assert_no_error (error);
  events = json_object_get_array_member (json_node_get_object (page), "events");
  g_assert_cmpuint (json_array_get_length (events), >, 0);
  for (guint i = 0; i < json_array_get_length (events); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, i), "correlation_id"), ==, c);

  answer = backend_call (backend, SYN_OP_ROLLBACK, base_end, "true", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "correlation_id"), ==, base.batch);
  assert_strv_equal_array (json_object_get_array_member (json_node_get_object (answer), "cascaded"),
                           (const char *[]) { c, NULL });

  /* two batches ending alike: refused, naming both; none: 404; too short: 400 */
  syn_test_append_batch (f->store, f->project->id, "0190aaaa-1111-7000-8000-0000deadbeef", SYN_EVENT_BATCH_STARTED, 1);
  syn_test_append_batch (f->store, f->project->id, "0190bbbb-2222-7000-8000-0000deadbeef", SYN_EVENT_BATCH_STARTED, 1);
  refused = timeline_of_batch (backend, "deadbeef", &error);
  g_assert_null (refused);
  assert_error_names (error, SYN_BACKEND_ERROR_INVALID, "correlation_id: \"deadbeef\" matches 2 batches");
  assert_error_names (error, SYN_BACKEND_ERROR_INVALID, "0190aaaa-1111-7000-8000-0000deadbeef");
  assert_error_names (error, SYN_BACKEND_ERROR_INVALID, "0190bbbb-2222-7000-8000-0000deadbeef");
  g_assert_cmpint (syn_backend_error_to_http_status (error), ==, 400);
  g_clear_error (&error);
  refused = backend_call (backend, SYN_OP_ROLLBACK, "deadbeef", NULL, &error);
  g_assert_null (refused);
  assert_error_names (error, SYN_BACKEND_ERROR_INVALID, "matches 2 batches");
  g_clear_error (&error);
  /* their starts tell them apart */
  g_clear_pointer (&blockers, json_node_unref);
  blockers = backend_call (backend, SYN_OP_ROLLBACK_BLOCKERS, "0190BBBB-2222", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (blockers), "correlation_id"), ==,
                   "0190bbbb-2222-7000-8000-0000deadbeef");

  refused = timeline_of_batch (backend, "feedf00d", &error);
  g_assert_null (refused);
  assert_error_names (error, SYN_BACKEND_ERROR_NOT_FOUND, "correlation_id: no batch id");
  g_assert_cmpint (syn_backend_error_to_http_status (error), ==, 404);
  g_clear_error (&error);
  refused = timeline_of_batch (backend, "beef", &error);
  g_assert_null (refused);
  assert_error_names (error, SYN_BACKEND_ERROR_INVALID, "correlation_id: \"beef\" is not a batch id");
  g_clear_error (&error);
  refused = backend_call (backend, SYN_OP_ROLLBACK, "beef", NULL, &error);
  g_assert_null (refused);
  g_assert_cmpstr (error->message, ==, "Invalid correlation_id format");
  base_clear (&base);
}

/* --- Where the rollback flag lives (migration 0013) ----------------------- */

/* Events of the current project whose row still carries a flag. */
static gint64
flagged_rows (SynTestFixture *f)
{
  return syn_test_query_int (f, f->backend == SYN_TEST_BACKEND_POSTGRESQL
                                  ? "SELECT count(*) FROM workflow_events WHERE is_rolled_back"
                                  : "SELECT count(*) FROM workflow_events WHERE is_rolled_back = 1");
}

static guint64
timeline_total (SynTestFixture *f, gboolean include_rolled_back, GPtrArray **events)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  guint64 total = 0;

  q->include_rolled_back = include_rolled_back;
  q->limit = SYN_EVENT_QUERY_MAX_LIMIT;
  page = syn_store_query_events (f->store, q, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, total);
  if (events != NULL)
    *events = g_steal_pointer (&page);
  return total;
}

/* A rollback writes one row beside the events and rewrites none of them;
 * every reader still tells the batch's events rolled back. */
static void
test_flag_in_one_row (SynTestFixture *f, gconstpointer data)
{
  Base base = { 0 };
  g_autofree char *b = NULL, *a1 = NULL, *a2 = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) shown = NULL;
  guint64 all_before, hidden_before;
  guint n_batch;
  SynBatch *batch;

  base_setup (f, &base);
  batch = begin (f);
  a1 = create_asset (batch, "210-MT-002", "MOTOR", 75);
  a2 = create_asset (batch, "210-MT-003", "MOTOR", 30);
  b = commit (batch);
  n_batch = count_events (f, b);
  all_before = timeline_total (f, TRUE, NULL);
  hidden_before = timeline_total (f, FALSE, NULL);
  g_assert_cmpuint (all_before, ==, hidden_before);

  answer = rollback (f, b, FALSE);
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, n_batch);
  assert_rolled_back (f, b);
  g_assert_cmpint (flagged_rows (f), ==, 0);
  sql = g_strdup_printf ("SELECT count(*) FROM rolled_back_batches WHERE correlation_id = '%s' "
                         "AND rollback_correlation_id = '%s' AND events_count = %u", b,
                         json_object_get_string_member (answer, "rollback_correlation_id"), n_batch);
  g_assert_cmpint (syn_test_query_int (f, sql), ==, 1);

  /* the timeline: the batch hidden or shown flagged, its rollback event shown */
  g_assert_cmpuint (timeline_total (f, TRUE, NULL), ==, all_before + 1);
  g_assert_cmpuint (timeline_total (f, FALSE, &shown), ==, hidden_before + 1 - n_batch);
  for (guint i = 0; i < shown->len; i++)
    {
      SynEvent *e = shown->pdata[i];

      g_assert_cmpstr (e->correlation_id, !=, b);
      g_assert_false (e->is_rolled_back);
    }
  base_clear (&base);
}

static SynEvent *
raw_event (SynTestFixture *f, const char *correlation_id, gint64 sequence_num, const char *event_type,
           const char *aggregate_type, const char *aggregate_id, gboolean rolled_back)
{
  SynEvent *e = syn_event_new ();

  e->id = syn_uuid_new ();
  e->event_type = g_strdup (event_type);
  e->aggregate_type = g_strdup (aggregate_type);
  e->aggregate_id = g_strdup (aggregate_id);
  e->project_id = g_strdup (f->project->id);
  e->payload = syn_json_node_new_object (json_object_new ());
  e->correlation_id = g_strdup (correlation_id);
  e->sequence_num = sequence_num;
  e->user_id = g_strdup (USER);
  e->is_rolled_back = rolled_back;
  return e;
}

static void
append (SynTestFixture *f, SynEvent *e)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (events, e);
  syn_store_append_events (f->store, events, &error);
  g_assert_no_error (error);
}

/* Batches whose positions interleave: a rolled-back batch's position range
 * holds another batch's events, which the timeline must still show. */
static void
test_interleaved_batches (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *a = syn_uuid_new (), *b = syn_uuid_new ();
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  for (gint64 i = 0; i < 6; i++)
    append (f, raw_event (f, i % 2 ? b : a, i / 2, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET,
                          i % 2 ? "asset-b" : "asset-a", FALSE));
  g_assert_true (syn_store_mark_batch_rolled_back (f->store, f->project->id, a, NULL, syn_time_now_usec (), &n,
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (timeline_total (f, TRUE, NULL), ==, 6);
  g_assert_cmpuint (timeline_total (f, FALSE, &shown), ==, 3);
  for (guint i = 0; i < shown->len; i++)
    {
      g_assert_cmpstr (((SynEvent *) shown->pdata[i])->correlation_id, ==, b);
      g_assert_false (((SynEvent *) shown->pdata[i])->is_rolled_back);
    }
  /* a filter on one type walks its index in position order, the same */
  {
    g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
    g_autoptr(GPtrArray) page = NULL;
    const char *types[] = { SYN_EVENT_ASSET_CREATED, NULL };

    q->event_types = g_strdupv ((char **) types);
    q->limit = 2;
    page = syn_store_query_events (f->store, q, &n, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpstr (((SynEvent *) page->pdata[0])->correlation_id, ==, b);
    g_assert_cmpstr (((SynEvent *) page->pdata[1])->correlation_id, ==, b);
  }
}

/* More rolled-back batches than a filter lists one by one: then a look-up
 * per event, with the same answers. */
static void
test_many_rolled_back_batches (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) shown = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = SYN_TEST_MAX_INLINE_RANGES + 2;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *batch = syn_uuid_new ();

      append (f, raw_event (f, batch, 0, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-a", FALSE));
      append (f, raw_event (f, batch, 1, SYN_EVENT_ASSET_UPDATED, SYN_AGGREGATE_ASSET, "asset-a", FALSE));
      /* every batch but the last two rolled back */
      if (i < n - 2)
        {
          g_assert_true (syn_store_mark_batch_rolled_back (f->store, f->project->id, batch, NULL,
                                                           syn_time_now_usec (), NULL, &error));
          g_assert_no_error (error);
        }
      g_assert_cmpuint (timeline_total (f, FALSE, NULL), ==, i < n - 2 ? 0 : 2 * (i - (n - 2) + 1));
    }
  g_assert_cmpuint (timeline_total (f, TRUE, NULL), ==, 2 * n);
  g_assert_cmpuint (timeline_total (f, FALSE, &shown), ==, 4);
  for (guint i = 0; i < shown->len; i++)
    g_assert_false (((SynEvent *) shown->pdata[i])->is_rolled_back);
}

/* Events copied with their flag (a clone copies a server's events): the
 * copy records the batch as rolled back, then learns who rolled it back
 * from the BATCH_ROLLED_BACK that follows. */
static void
test_copied_flags (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *a = syn_uuid_new (), *r = syn_uuid_new (), *c = syn_uuid_new (), *r2 = syn_uuid_new ();
  g_autofree char *sql = NULL;
  g_autoptr(SynEvent) read = NULL;
  g_autoptr(GError) error = NULL;
  SynEvent *first = raw_event (f, a, 0, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-a", TRUE);
  g_autofree char *first_id = g_strdup (first->id);

  append (f, first);
  append (f, raw_event (f, a, 1, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-b", TRUE));
  sql = g_strdup_printf ("SELECT events_count FROM rolled_back_batches WHERE correlation_id = '%s' "
                         "AND rollback_correlation_id IS NULL", a);
  g_assert_cmpint (syn_test_query_int (f, sql), ==, 2);
  read = syn_store_get_event (f->store, first_id, &error);
  g_assert_no_error (error);
  g_assert_true (read->is_rolled_back);
  g_assert_cmpuint (timeline_total (f, FALSE, NULL), ==, 0);

  append (f, raw_event (f, r, 0, SYN_EVENT_BATCH_ROLLED_BACK, SYN_AGGREGATE_BATCH, a, FALSE));
  g_free (sql);
  sql = g_strdup_printf ("SELECT events_count FROM rolled_back_batches WHERE correlation_id = '%s' "
                         "AND rollback_correlation_id = '%s'", a, r);
  g_assert_cmpint (syn_test_query_int (f, sql), ==, 2);

  /* a BATCH_ROLLED_BACK copied after its batch's unflagged events marks it too */
  append (f, raw_event (f, c, 0, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, "asset-c", FALSE));
  g_assert_cmpuint (timeline_total (f, FALSE, NULL), ==, 2);
  append (f, raw_event (f, r2, 0, SYN_EVENT_BATCH_ROLLED_BACK, SYN_AGGREGATE_BATCH, c, FALSE));
  g_assert_cmpuint (timeline_total (f, FALSE, NULL), ==, 2);
  g_assert_cmpuint (timeline_total (f, TRUE, NULL), ==, 5);
  g_assert_cmpint (flagged_rows (f), ==, 0);

  /* a BATCH_ROLLED_BACK about anything but a batch with events rolls nothing
   * back (bench-event-store writes such events by the thousand) */
  append (f, raw_event (f, r2, 1, SYN_EVENT_BATCH_ROLLED_BACK, SYN_AGGREGATE_ASSET, "asset-c", FALSE));
  append (f, raw_event (f, r2, 2, SYN_EVENT_BATCH_ROLLED_BACK, SYN_AGGREGATE_BATCH, "not-a-batch-id", FALSE));
  {
    g_autofree char *missing = syn_uuid_new ();

    append (f, raw_event (f, r2, 3, SYN_EVENT_BATCH_ROLLED_BACK, SYN_AGGREGATE_BATCH, missing, FALSE));
  }
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM rolled_back_batches"), ==, 2);
  g_assert_cmpuint (timeline_total (f, FALSE, NULL), ==, 5);
}

/* A database whose rollbacks flagged the event rows (before migration
 * 0013): the migration copies them into rolled_back_batches. */
static void
test_migration_of_flags (SynTestFixture *f, gconstpointer data)
{
  gboolean pg = f->backend == SYN_TEST_BACKEND_POSTGRESQL;
  Base base = { 0 };
  g_autofree char *b = NULL, *a1 = NULL, *flag = NULL, *sql = NULL;
  g_autoptr(JsonObject) answer = NULL;
  SynBatch *batch;
  SynStore *store;
  guint n_batch;

  base_setup (f, &base);
  batch = begin (f);
  a1 = create_asset (batch, "210-MT-002", "MOTOR", 75);
  b = commit (batch);
  n_batch = count_events (f, b);
  answer = rollback (f, b, FALSE);

  /* back to the old layout: the flags on the rows, no table */
  flag = g_strdup_printf (pg ? "DROP TABLE rolled_back_batches; DROP TRIGGER workflow_events_no_update ON workflow_events; "
                               "UPDATE workflow_events SET is_rolled_back = true WHERE correlation_id = '%s'; "
                               "CREATE TRIGGER workflow_events_no_update BEFORE UPDATE ON workflow_events FOR EACH ROW "
                               "WHEN (false) EXECUTE FUNCTION synapse_refuse_change('old'); "
                               "DELETE FROM schema_version WHERE version = 13"
                             : "DROP TABLE rolled_back_batches; DROP TRIGGER workflow_events_no_update; "
                               "UPDATE workflow_events SET is_rolled_back = 1 WHERE correlation_id = '%s'; "
                               "CREATE TRIGGER workflow_events_no_update BEFORE UPDATE ON workflow_events WHEN 0 "
                               "BEGIN SELECT 1; END; "
                               "DELETE FROM schema_version WHERE version = 13", b);
  g_assert_true (syn_test_exec_raw (f, flag, NULL));
  g_assert_cmpint (flagged_rows (f), ==, n_batch);
  store = syn_test_fixture_open_again (f);
  g_object_unref (f->store);
  f->store = store;

  sql = g_strdup_printf ("SELECT count(*) FROM rolled_back_batches WHERE correlation_id = '%s' "
                         "AND rollback_correlation_id = '%s' AND events_count = %u", b,
                         json_object_get_string_member (answer, "rollback_correlation_id"), n_batch);
  g_assert_cmpint (syn_test_query_int (f, sql), ==, 1);
  assert_rolled_back (f, b);
  g_assert_cmpuint (timeline_total (f, TRUE, NULL), ==, timeline_total (f, FALSE, NULL) + n_batch);
  /* and from now on no event row changes at all */
  {
    g_autofree char *message = NULL;

    g_assert_false (syn_test_exec_raw (f, pg ? "UPDATE workflow_events SET is_rolled_back = false"
                                             : "UPDATE workflow_events SET is_rolled_back = 0", &message));
    g_assert_nonnull (strstr (message, "append-only"));
  }
  base_clear (&base);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/rollback/creations", test_rollback_creations);
  SYN_TEST_ADD ("/synapse/rollback/updates-and-deletions", test_rollback_updates_and_deletions);
  SYN_TEST_ADD ("/synapse/rollback/update-then-delete", test_rollback_update_then_delete);
  SYN_TEST_ADD ("/synapse/rollback/create-then-update", test_rollback_create_then_update);
  SYN_TEST_ADD ("/synapse/rollback/refusals", test_refusals);
  SYN_TEST_ADD ("/synapse/rollback/blocked-by-later-batch", test_blocked_by_later_batch);
  SYN_TEST_ADD ("/synapse/rollback/cascade", test_cascade);
  SYN_TEST_ADD ("/synapse/rollback/blocker-without-snapshot", test_blocker_without_snapshot);
  SYN_TEST_ADD ("/synapse/rollback/blockers-in-large-batch", test_blockers_in_large_batch);
  SYN_TEST_ADD ("/synapse/rollback/blockers-with-wrong-event-count", test_blockers_with_wrong_event_count);
  SYN_TEST_ADD ("/synapse/rollback/delete-entities", test_delete_entities);
  SYN_TEST_ADD ("/synapse/rollback/failure-changes-nothing", test_failure_changes_nothing);
  SYN_TEST_ADD ("/synapse/rollback/concurrent-rollbacks", test_concurrent_rollbacks);
  SYN_TEST_ADD ("/synapse/rollback/backend-ops", test_backend_ops);
  SYN_TEST_ADD ("/synapse/rollback/short-batch-ids", test_short_batch_ids);
  SYN_TEST_ADD ("/synapse/rollback/referenced-by-later-batch", test_referenced_by_later_batch);
  SYN_TEST_ADD ("/synapse/rollback/restore-needs-both-ends", test_restore_needs_both_ends);
  SYN_TEST_ADD ("/synapse/rollback/tag-in-use", test_tag_in_use);
  SYN_TEST_ADD ("/synapse/rollback/rollback-of-rollback", test_rollback_of_rollback);
  SYN_TEST_ADD ("/synapse/rollback/redo-exact", test_redo_exact);
  SYN_TEST_ADD ("/synapse/rollback/redo-updates-and-deletions", test_redo_updates_and_deletions);
  SYN_TEST_ADD ("/synapse/rollback/redo-blocked", test_redo_blocked);
  SYN_TEST_ADD ("/synapse/rollback/redo-blocked-by-references", test_redo_blocked_by_references);
  SYN_TEST_ADD ("/synapse/rollback/redo-conflicts", test_redo_conflicts);
  SYN_TEST_ADD ("/synapse/rollback/redo-rollback", test_redo_rollback);
  SYN_TEST_ADD ("/synapse/rollback/redo-in-turn", test_redo_in_turn);
  SYN_TEST_ADD ("/synapse/rollback/redo-rule-changes", test_redo_rule_changes);
  SYN_TEST_ADD ("/synapse/rollback/redo-refusals", test_redo_refusals);
  SYN_TEST_ADD ("/synapse/rollback/flag-in-one-row", test_flag_in_one_row);
  SYN_TEST_ADD ("/synapse/rollback/interleaved-batches", test_interleaved_batches);
  SYN_TEST_ADD ("/synapse/rollback/many-rolled-back-batches", test_many_rolled_back_batches);
  SYN_TEST_ADD ("/synapse/rollback/copied-flags", test_copied_flags);
  SYN_TEST_ADD ("/synapse/rollback/migration-of-flags", test_migration_of_flags);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-rollback.c: rollback of batches: exact state, bookkeeping, refusals, blockers, cascade, races. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-batch.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-event-store.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-state-hash.h"
#include "syn-test-fixture.h"

#define USER "user-1"

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

  g_assert_true (syn_batch_commit (batch, &error));
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

  /* the rollback batch has no snapshot: it cannot itself be rolled back */
  {
    const char *rollback_id = json_object_get_string_member (answer, "rollback_correlation_id");
    g_autofree char *message = g_strdup_printf ("No snapshot found for correlation_id: %s", rollback_id);

    g_assert_cmpuint (count_events (f, rollback_id), ==, 1);
    assert_refused (f, rollback_id, SYN_ENGINE_ERROR_ROLLBACK_REFUSED, message);
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

  /* the same asset updated twice, then deleted; a cable updated then deleted */
  batch = begin (f);
  update_asset (batch, base.pump1, 60, NULL);
  update_asset (batch, base.pump1, 70, "Twice");
  delete_asset (batch, base.pump1);
  update_cable (batch, base.cable, "#6 AWG");
  delete_cable (batch, base.cable);
  b = commit (batch);

  answer = rollback (f, b, FALSE);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (json_object_get_int_member (answer, "rolled_back_events"), ==, 5);
  /* distinct entities: one asset, however many events */
  assert_summary (answer, 0, 0, 0, 1);
  payload = rolled_back_payload (f, answer, b);
  assert_ids (payload, "restored_assets", base.pump1, NULL);
  assert_ids (payload, "restored_cables", base.cable, NULL);
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
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
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
  SYN_TEST_ADD ("/synapse/rollback/failure-changes-nothing", test_failure_changes_nothing);
  SYN_TEST_ADD ("/synapse/rollback/concurrent-rollbacks", test_concurrent_rollbacks);
  SYN_TEST_ADD ("/synapse/rollback/backend-ops", test_backend_ops);
  SYN_TEST_ADD ("/synapse/rollback/short-batch-ids", test_short_batch_ids);

  return g_test_run ();
}

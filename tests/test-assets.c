/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-assets.c: manual edits of assets (create, update, delete), each one batch, and their operations. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-asset-editor.h"
#include "engine/syn-batch.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-state-hash.h"
#include "syn-test-fixture.h"

/* What an out-parameter holds before the call: it must be set to NULL on failure. */
static const char not_set[] = "not set";

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = syn_json_parse_object (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static SynAsset *
create_ok (SynTestFixture *f, const char *json, char **correlation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = parse_object (json);
  SynAsset *asset = syn_asset_editor_create (f->store, f->project->id, "user-1", fields,
                                             correlation_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (asset);
  g_assert_false (syn_store_in_transaction (f->store));
  return asset;
}

static guint64
count_events (SynTestFixture *f)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  q->include_rolled_back = TRUE;
  q->limit = 1;
  events = syn_store_query_events (f->store, q, &total, &error);
  g_assert_no_error (error);
  return total;
}

static GPtrArray *
batch_events (SynTestFixture *f, const char *correlation_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = syn_store_get_events_by_correlation (f->store, f->project->id, correlation_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

static SynSnapshot *
batch_snapshot (SynTestFixture *f, const char *correlation_id)
{
  g_autoptr(GError) error = NULL;
  SynSnapshot *snapshot = syn_store_get_snapshot (f->store, f->project->id, correlation_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static JsonArray *
snapshot_array (SynSnapshot *snapshot, const char *kind, gboolean created)
{
  JsonObject *data = json_node_get_object (snapshot->snapshot_data);

  if (created)
    data = json_object_get_object_member (data, "created");
  return json_object_get_array_member (data, kind);
}

static void
assert_message_has (const GError *error, const char *text)
{
  g_assert_nonnull (error);
  if (strstr (error->message, text) == NULL)
    g_error ("expected \"%s\" in \"%s\"", text, error->message);
}

static void
test_create (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *corr = NULL;
  g_autoptr(SynAsset) asset = create_ok (f, "{\"tag\": \" 210-PP-001 \", \"type\": \"pump\", "
                                            "\"discipline\": \"mechanical\", \"description\": \"\", "
                                            "\"area\": \"210\", "
                                            "\"properties\": {\"hp\": 50, \"seal\": \"packed\", \"gone\": null}}",
                                         &corr);
  g_autoptr(SynAsset) stored = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  SynEvent *e;

  g_assert_true (syn_uuid_is_valid (corr));
  g_assert_true (syn_uuid_is_valid (asset->id));
  g_assert_cmpstr (asset->tag, ==, "210-PP-001");
  g_assert_cmpstr (asset->type, ==, "PUMP");
  g_assert_cmpstr (asset->discipline, ==, "MECHANICAL");
  g_assert_null (asset->description);
  g_assert_cmpstr (asset->area, ==, "210");
  g_assert_cmpuint (json_object_get_size (asset->properties), ==, 2);
  g_assert_cmpint (json_object_get_int_member (asset->properties, "hp"), ==, 50);

  stored = syn_store_get_asset (f->store, f->project->id, asset->id, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) a = syn_asset_to_json (asset);
    g_autoptr(JsonNode) b = syn_asset_to_json (stored);

    g_assert_true (syn_json_node_equal (a, b));
  }

  events = batch_events (f, corr);
  g_assert_cmpuint (events->len, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (e->event_type, ==, SYN_EVENT_ASSET_CREATED);
  g_assert_cmpstr (e->aggregate_id, ==, asset->id);
  g_assert_cmpstr (e->discipline, ==, "MECHANICAL");
  g_assert_cmpstr (e->user_id, ==, "user-1");
  g_assert_cmpint (e->sequence_num, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (e->payload), "tag"), ==, "210-PP-001");

  snapshot = batch_snapshot (f, corr);
  g_assert_cmpint (snapshot->events_count, ==, 1);
  g_assert_cmpuint (json_array_get_length (snapshot_array (snapshot, "assets", TRUE)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (snapshot_array (snapshot, "assets", TRUE), 0), ==, asset->id);
  g_assert_cmpuint (json_array_get_length (snapshot_array (snapshot, "assets", FALSE)), ==, 0);
}

static void
assert_create_fails (SynTestFixture *f, const char *json, GQuark domain, int code, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = parse_object (json);
  char *corr = (char *) not_set;
  g_autoptr(SynAsset) asset = syn_asset_editor_create (f->store, f->project->id, NULL, fields, &corr, &error);

  g_assert_null (asset);
  g_assert_error (error, domain, code);
  assert_message_has (error, text);
  g_assert_null (corr);
  g_assert_false (syn_store_in_transaction (f->store));
}

static void
test_create_errors (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) first = create_ok (f, "{\"tag\": \"210-PP-001\", \"type\": \"PUMP\"}", NULL);
  guint64 events = count_events (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(SynAsset) asset = NULL;

  assert_create_fails (f, "{\"type\": \"PUMP\"}", SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "tag: required");
  assert_create_fails (f, "{\"tag\": \"P-1\"}", SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "type: required");
  assert_create_fails (f, "{\"tag\": \"  \", \"type\": \"PUMP\"}", SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                       "tag: must not be empty");
  assert_create_fails (f, "{\"tag\": \"P-1\", \"type\": null}", SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                       "type: must not be empty");
  assert_create_fails (f, "{\"tag\": 7, \"type\": \"PUMP\"}", SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                       "tag: must be a string");
  assert_create_fails (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\", \"discipline\": \"ELEC\"}",
                       SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "unknown discipline \"ELEC\"");
  assert_create_fails (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\", \"colour\": \"red\"}",
                       SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "colour: unknown field");
  assert_create_fails (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\", \"properties\": [1]}",
                       SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "properties: must be an object");
  assert_create_fails (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\", \"properties\": {\"\": 1}}",
                       SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "property name must not be empty");
  assert_create_fails (f, "{\"tag\": \"210-PP-001\", \"type\": \"MOTOR\"}",
                       SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT, "tag 210-PP-001 already exists in the project");

  fields = parse_object ("{\"tag\": \"P-1\", \"type\": \"PUMP\"}");
  asset = syn_asset_editor_create (f->store, "no-such-project", NULL, fields, NULL, &error);
  g_assert_null (asset);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND);

  g_assert_cmpuint (count_events (f), ==, events);
}

static void
test_update (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) asset = create_ok (f, "{\"tag\": \"210-PP-001\", \"type\": \"PUMP\", "
                                            "\"properties\": {\"hp\": 50, \"pump_type\": \"CENTRIFUGAL\", "
                                            "\"seal\": \"packed\"}}", NULL);
  g_autoptr(JsonObject) patch = parse_object ("{\"properties\": {\"hp\": 75, \"seal\": null, \"flow\": \"120 m3/h\"}, "
                                              "\"description\": \"Mill pump\"}");
  g_autoptr(SynAsset) updated = NULL;
  g_autoptr(SynAsset) stored = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *corr = NULL;
  JsonObject *payload, *before, *after, *diff, *diff_props, *pre_image;
  SynEvent *e;

  updated = syn_asset_editor_update (f->store, f->project->id, "user-2", asset->id, patch, &corr, &error);
  g_assert_no_error (error);
  g_assert_nonnull (updated);
  g_assert_true (syn_uuid_is_valid (corr));
  g_assert_cmpstr (updated->description, ==, "Mill pump");
  g_assert_cmpint (json_object_get_int_member (updated->properties, "hp"), ==, 75);
  g_assert_false (json_object_has_member (updated->properties, "seal"));
  g_assert_cmpstr (json_object_get_string_member (updated->properties, "pump_type"), ==, "CENTRIFUGAL");

  stored = syn_store_get_asset (f->store, f->project->id, asset->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->description, ==, "Mill pump");
  g_assert_cmpuint (json_object_get_size (stored->properties), ==, 3);

  events = batch_events (f, corr);
  g_assert_cmpuint (events->len, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (e->event_type, ==, SYN_EVENT_ASSET_UPDATED);
  g_assert_cmpstr (e->aggregate_id, ==, asset->id);
  g_assert_cmpstr (e->user_id, ==, "user-2");
  payload = json_node_get_object (e->payload);
  before = json_object_get_object_member (payload, "before");
  after = json_object_get_object_member (payload, "after");
  diff = json_object_get_object_member (payload, "diff");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (before, "properties"), "hp"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (after, "properties"), "hp"), ==, 75);
  /* only the changed keys; a removed property is null */
  g_assert_cmpuint (json_object_get_size (diff), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (diff, "description"), ==, "Mill pump");
  diff_props = json_object_get_object_member (diff, "properties");
  g_assert_cmpuint (json_object_get_size (diff_props), ==, 3);
  g_assert_cmpint (json_object_get_int_member (diff_props, "hp"), ==, 75);
  g_assert_true (json_object_get_null_member (diff_props, "seal"));
  g_assert_cmpstr (json_object_get_string_member (diff_props, "flow"), ==, "120 m3/h");

  /* the snapshot holds the pre-image, for rollback */
  snapshot = batch_snapshot (f, corr);
  g_assert_cmpuint (json_array_get_length (snapshot_array (snapshot, "assets", FALSE)), ==, 1);
  pre_image = json_array_get_object_element (snapshot_array (snapshot, "assets", FALSE), 0);
  g_assert_cmpstr (json_object_get_string_member (pre_image, "id"), ==, asset->id);
  g_assert_true (json_object_get_null_member (pre_image, "description"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (pre_image, "properties"), "seal"),
                   ==, "packed");
  g_assert_cmpuint (json_array_get_length (snapshot_array (snapshot, "assets", TRUE)), ==, 0);
}

static void
assert_no_change (SynTestFixture *f, SynAsset *asset, const char *json)
{
  g_autoptr(JsonObject) patch = parse_object (json);
  g_autoptr(GError) error = NULL;
  char *corr = (char *) not_set;
  guint64 events = count_events (f);
  g_autoptr(SynAsset) same = syn_asset_editor_update (f->store, f->project->id, NULL, asset->id, patch,
                                                      &corr, &error);

  g_assert_no_error (error);
  g_assert_nonnull (same);
  g_assert_null (corr);
  g_assert_cmpstr (same->id, ==, asset->id);
  g_assert_cmpuint (count_events (f), ==, events);
  g_assert_false (syn_store_in_transaction (f->store));
}

static void
test_update_no_change (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) asset = create_ok (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\", \"description\": \"Pump\", "
                                            "\"properties\": {\"hp\": 50}}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) snapshots = NULL;

  assert_no_change (f, asset, "{}");
  assert_no_change (f, asset, "{\"properties\": {\"hp\": 50}}");
  assert_no_change (f, asset, "{\"properties\": {\"absent\": null}}");
  assert_no_change (f, asset, "{\"type\": \"pump\", \"tag\": \" P-1\", \"description\": \"Pump \"}");
  assert_no_change (f, asset, "{\"area\": null, \"discipline\": \"\"}");

  snapshots = syn_store_list_snapshots (f->store, f->project->id, FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (snapshots->len, ==, 1);
}

static void
assert_update_fails (SynTestFixture *f, const char *asset_id, const char *json,
                     GQuark domain, int code, const char *text)
{
  g_autoptr(JsonObject) patch = parse_object (json);
  g_autoptr(GError) error = NULL;
  char *corr = (char *) not_set;
  g_autoptr(SynAsset) asset = syn_asset_editor_update (f->store, f->project->id, NULL, asset_id, patch,
                                                       &corr, &error);

  g_assert_null (asset);
  g_assert_error (error, domain, code);
  assert_message_has (error, text);
  g_assert_null (corr);
  g_assert_false (syn_store_in_transaction (f->store));
}

static void
test_update_errors (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) p1 = create_ok (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\"}", NULL);
  g_autoptr(SynAsset) p2 = create_ok (f, "{\"tag\": \"P-2\", \"type\": \"PUMP\"}", NULL);
  guint64 events = count_events (f);

  assert_update_fails (f, p1->id, "{\"colour\": \"red\"}", SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                       "colour: unknown field");
  assert_update_fails (f, p1->id, "{\"properties\": {\"hp\": 5}, \"id\": \"x\"}",
                       SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD, "id: unknown field");
  assert_update_fails (f, p1->id, "{\"type\": null}", SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                       "type: must not be empty");
  assert_update_fails (f, p1->id, "{\"discipline\": \"Plumbing\"}", SYN_CORE_ERROR,
                       SYN_CORE_ERROR_INVALID_FIELD, "unknown discipline \"Plumbing\"");
  assert_update_fails (f, p1->id, "{\"properties\": \"hp=5\"}", SYN_CORE_ERROR, SYN_CORE_ERROR_INVALID_FIELD,
                       "properties: must be an object");
  assert_update_fails (f, "no-such-asset", "{\"description\": \"x\"}", SYN_ENGINE_ERROR,
                       SYN_ENGINE_ERROR_NOT_FOUND, "no-such-asset");
  assert_update_fails (f, p1->id, "{\"tag\": \"P-2\"}", SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT,
                       "tag P-2 already exists in the project");
  g_assert_cmpuint (count_events (f), ==, events);
}

static void
test_rename (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) asset = create_ok (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\"}", NULL);
  g_autoptr(JsonObject) patch = parse_object ("{\"tag\": \"P-100\", \"type\": \"motor\", "
                                              "\"discipline\": \"electrical\", \"area\": \"310\"}");
  g_autoptr(SynAsset) renamed = NULL;
  g_autoptr(SynAsset) by_old = NULL;
  g_autoptr(SynAsset) by_new = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *corr = NULL;

  renamed = syn_asset_editor_update (f->store, f->project->id, NULL, asset->id, patch, &corr, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (renamed->tag, ==, "P-100");
  g_assert_cmpstr (renamed->type, ==, "MOTOR");
  g_assert_cmpstr (renamed->discipline, ==, "ELECTRICAL");
  by_old = syn_store_get_asset_by_tag (f->store, f->project->id, "P-1", &error);
  g_assert_null (by_old);
  by_new = syn_store_get_asset_by_tag (f->store, f->project->id, "P-100", &error);
  g_assert_nonnull (by_new);
  g_assert_cmpstr (by_new->id, ==, asset->id);
  g_assert_cmpstr (by_new->area, ==, "310");
}

static void
link_assets (SynTestFixture *f, SynAsset *from, SynAsset *to, const char *relation, const char *cable_tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);
  g_autoptr(SynEdge) edge = syn_edge_new ();
  g_autoptr(SynCable) cable = syn_cable_new ();
  g_autoptr(SynEvent) e1 = NULL;
  g_autoptr(SynEvent) e2 = NULL;

  g_assert_no_error (error);
  edge->source_asset_id = g_strdup (from->id);
  edge->target_asset_id = g_strdup (to->id);
  edge->relation = g_strdup (relation);
  e1 = syn_batch_create_edge (batch, edge, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cable->tag = g_strdup (cable_tag);
  cable->from_asset_id = g_strdup (from->id);
  cable->to_asset_id = g_strdup (to->id);
  cable->cable_type = g_strdup ("POWER");
  e2 = syn_batch_create_cable (batch, cable, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_batch_commit (batch, &error));
  g_assert_no_error (error);
}

static void
test_delete (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) a = create_ok (f, "{\"tag\": \"A\", \"type\": \"MOTOR\", \"properties\": {\"hp\": 50}}", NULL);
  g_autoptr(SynAsset) b = create_ok (f, "{\"tag\": \"B\", \"type\": \"PUMP\"}", NULL);
  g_autoptr(SynAsset) c = create_ok (f, "{\"tag\": \"C\", \"type\": \"MCC\"}", NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(SynAsset) gone = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *corr = NULL;
  static const char * const expected[] = {
    SYN_EVENT_RELATIONSHIP_DELETED, SYN_EVENT_RELATIONSHIP_DELETED,
    SYN_EVENT_CABLE_DELETED, SYN_EVENT_CABLE_DELETED,
    SYN_EVENT_ASSET_DELETED,
  };
  guint64 total = 0;

  link_assets (f, a, b, "powers", "CBL-AB");   /* from A */
  link_assets (f, c, a, "powers", "CBL-CA");   /* to A */
  link_assets (f, b, c, "controls", "CBL-BC"); /* not A's: stays */

  g_assert_true (syn_asset_editor_delete (f->store, f->project->id, "user-3", a->id, &corr, &error));
  g_assert_no_error (error);
  g_assert_true (syn_uuid_is_valid (corr));
  g_assert_false (syn_store_in_transaction (f->store));

  events = batch_events (f, corr);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      g_assert_cmpstr (e->event_type, ==, expected[i]);
      g_assert_cmpint (e->sequence_num, ==, i);
      g_assert_cmpstr (e->user_id, ==, "user-3");
    }
  g_assert_cmpstr (((SynEvent *) events->pdata[4])->aggregate_id, ==, a->id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (((SynEvent *) events->pdata[4])->payload),
                                                  "tag"), ==, "A");

  gone = syn_store_get_asset (f->store, f->project->id, a->id, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  edges = syn_store_list_edges (f->store, f->project->id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edges->len, ==, 1);
  g_assert_cmpstr (((SynEdge *) edges->pdata[0])->relation, ==, "controls");
  cables = syn_store_list_cables (f->store, f->project->id, 0, 0, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpstr (((SynCable *) cables->pdata[0])->tag, ==, "CBL-BC");

  /* every pre-image, for rollback */
  snapshot = batch_snapshot (f, corr);
  g_assert_cmpint (snapshot->events_count, ==, 5);
  g_assert_cmpuint (json_array_get_length (snapshot_array (snapshot, "assets", FALSE)), ==, 1);
  g_assert_cmpuint (json_array_get_length (snapshot_array (snapshot, "edges", FALSE)), ==, 2);
  g_assert_cmpuint (json_array_get_length (snapshot_array (snapshot, "cables", FALSE)), ==, 2);
  g_assert_cmpuint (json_array_get_length (snapshot_array (snapshot, "assets", TRUE)), ==, 0);
}

static void
test_delete_unknown (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char *corr = (char *) not_set;
  guint64 events = count_events (f);

  g_assert_false (syn_asset_editor_delete (f->store, f->project->id, NULL, "no-such-asset", &corr, &error));
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND);
  assert_message_has (error, "no-such-asset");
  g_assert_null (corr);
  g_assert_cmpuint (count_events (f), ==, events);
  g_assert_false (syn_store_in_transaction (f->store));
}

static char *
state_hash (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  char *hash = syn_state_hash_compute (f->store, f->project->id, &error);

  g_assert_no_error (error);
  return hash;
}

static void
roll_back (SynTestFixture *f, const char *correlation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_rollback_service_rollback (f->store, f->project->id, correlation_id,
                                                              NULL, FALSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
}

/* Each edit is a batch whose snapshot is enough to undo it exactly. */
static void
test_edits_roll_back (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) a = create_ok (f, "{\"tag\": \"A\", \"type\": \"MOTOR\", \"properties\": {\"hp\": 50}}", NULL);
  g_autoptr(SynAsset) b = create_ok (f, "{\"tag\": \"B\", \"type\": \"PUMP\"}", NULL);
  g_autoptr(JsonObject) patch = parse_object ("{\"properties\": {\"hp\": null, \"kw\": 37}, \"tag\": \"A-1\"}");
  g_autoptr(SynAsset) updated = NULL;
  g_autoptr(SynAsset) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash_start = NULL;
  g_autofree char *hash_end = NULL;
  g_autofree char *corr_update = NULL;
  g_autofree char *corr_delete = NULL;
  g_autofree char *corr_create = NULL;

  link_assets (f, a, b, "powers", "CBL-AB");
  hash_start = state_hash (f);

  updated = syn_asset_editor_update (f->store, f->project->id, NULL, a->id, patch, &corr_update, &error);
  g_assert_no_error (error);
  g_assert_true (syn_asset_editor_delete (f->store, f->project->id, NULL, a->id, &corr_delete, &error));
  g_assert_no_error (error);
  c = create_ok (f, "{\"tag\": \"C\", \"type\": \"TANK\"}", &corr_create);

  /* newest first, each on its own */
  roll_back (f, corr_create);
  roll_back (f, corr_delete);
  roll_back (f, corr_update);
  hash_end = state_hash (f);
  g_assert_cmpstr (hash_end, ==, hash_start);
}

static JsonNode *
call (SynBackend *backend, const char *op, const char *json, GError **error)
{
  g_autoptr(JsonObject) params = parse_object (json);

  return syn_backend_call_sync (backend, op, params, NULL, error);
}

static void
test_backend_ops (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  SynBackend *backend = SYN_BACKEND (local);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) same = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) failed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *json = NULL;
  JsonObject *asset, *answer;
  const char *id;

  g_assert_no_error (error);
  json = g_strdup_printf ("{\"project_id\": \"%s\", \"_user_id\": \"u-9\", \"tag\": \"P-1\", \"type\": \"pump\", "
                          "\"properties\": {\"hp\": 50}}", f->project->id);
  created = call (backend, SYN_OP_CREATE_ASSET, json, &error);
  g_assert_no_error (error);
  asset = json_node_get_object (created);
  id = json_object_get_string_member (asset, "id");
  g_assert_cmpstr (json_object_get_string_member (asset, "type"), ==, "PUMP");
  g_assert_cmpstr (json_object_get_string_member (asset, "project_id"), ==, f->project->id);
  g_assert_true (syn_uuid_is_valid (json_object_get_string_member (asset, "correlation_id")));
  events = batch_events (f, json_object_get_string_member (asset, "correlation_id"));
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((SynEvent *) events->pdata[0])->user_id, ==, "u-9");

  g_free (json);
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_id\": \"%s\", "
                          "\"properties\": {\"hp\": 75}, \"description\": \"Pump\"}", id);
  updated = call (backend, SYN_OP_UPDATE_ASSET, json, &error);
  g_assert_no_error (error);
  answer = json_node_get_object (updated);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (answer, "properties"), "hp"), ==, 75);
  g_assert_cmpstr (json_object_get_string_member (answer, "description"), ==, "Pump");
  g_assert_true (syn_uuid_is_valid (json_object_get_string_member (answer, "correlation_id")));

  same = call (backend, SYN_OP_UPDATE_ASSET, json, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_null_member (json_node_get_object (same), "correlation_id"));

  /* errors map onto the backend's codes, message kept */
  g_free (json);
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_id\": \"%s\", \"colour\": \"red\"}", id);
  failed = call (backend, SYN_OP_UPDATE_ASSET, json, &error);
  g_assert_null (failed);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  assert_message_has (error, "colour");
  g_clear_error (&error);

  failed = call (backend, SYN_OP_CREATE_ASSET, "{\"project_id\": \"Test\", \"tag\": \"P-1\", \"type\": \"PUMP\"}",
                 &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT);
  assert_message_has (error, "P-1");
  g_clear_error (&error);

  failed = call (backend, SYN_OP_UPDATE_ASSET, "{\"project_id\": \"Test\", \"asset_id\": \"nope\"}", &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  g_clear_error (&error);

  failed = call (backend, SYN_OP_DELETE_ASSET, "{\"project_id\": \"Test\"}", &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "asset_id: required");
  g_clear_error (&error);

  failed = call (backend, SYN_OP_CREATE_ASSET, "{\"project_id\": \"Nope\", \"tag\": \"P-2\", \"type\": \"PUMP\"}",
                 &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_free (json);
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_id\": \"%s\"}", id);
  deleted = call (backend, SYN_OP_DELETE_ASSET, json, &error);
  g_assert_no_error (error);
  answer = json_node_get_object (deleted);
  g_assert_true (json_object_get_boolean_member (answer, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (answer, "asset_id"), ==, id);
  g_assert_true (syn_uuid_is_valid (json_object_get_string_member (answer, "correlation_id")));

  failed = call (backend, SYN_OP_DELETE_ASSET, json, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (count_events (f), ==, 3);
}

/* --- Histories by tag (issue 12) ----------------------------------------- */

/* A cable between two assets in a batch of its own; its id. */
static char *
cable_in_batch (SynTestFixture *f, const char *tag, const char *from_id, const char *to_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, "user-1", &error);
  g_autoptr(SynCable) cable = syn_cable_new ();
  g_autoptr(SynEvent) event = NULL;

  g_assert_no_error (error);
  cable->tag = g_strdup (tag);
  cable->from_asset_id = g_strdup (from_id);
  cable->to_asset_id = g_strdup (to_id);
  cable->cable_type = g_strdup ("TECK90");
  event = syn_batch_create_cable (batch, cable, NULL, "ELECTRICAL", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_batch_commit (batch, &error));
  return g_strdup (cable->id);
}

static void
delete_cable_in_batch (SynTestFixture *f, const char *cable_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, "user-1", &error);
  g_autoptr(SynCable) cable = syn_store_get_cable (f->store, f->project->id, cable_id, &error);
  g_autoptr(SynEvent) event = NULL;

  g_assert_no_error (error);
  event = syn_batch_delete_cable (batch, cable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_batch_commit (batch, &error));
}

/* The entities a find_tag answer names, as "kind id deleted" lines. */
static char *
found_text (SynBackend *backend, const char *tag, const char *kind)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *entities;

  json_object_set_string_member (params, "project_id", "Test");
  json_object_set_string_member (params, "tag", tag);
  if (kind != NULL)
    json_object_set_string_member (params, "kind", kind);
  answer = syn_backend_call_sync (backend, SYN_OP_FIND_TAG, params, NULL, &error);
  /* nothing ever had it: 404, as for a tag's asset */
  if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND))
    {
      g_assert_nonnull (strstr (error->message, tag));
      return g_strdup ("");
    }
  g_assert_no_error (error);
  entities = json_object_get_array_member (json_node_get_object (answer), "entities");
  for (guint i = 0; i < json_array_get_length (entities); i++)
    {
      JsonObject *e = json_array_get_object_element (entities, i);

      g_string_append_printf (text, "%s%s %s %s %s", i ? "\n" : "", json_object_get_string_member (e, "kind"),
                              json_object_get_string_member (e, "id"), json_object_get_string_member (e, "tag"),
                              json_object_get_boolean_member (e, "deleted") ? "deleted" : "current");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gint64
history_length (SynBackend *backend, const char *op, const char *id_name, const char *id)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", "Test");
  json_object_set_string_member (params, id_name, id);
  answer = syn_backend_call_sync (backend, op, params, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), id_name), ==, id);
  return json_object_get_int_member (json_node_get_object (answer), "total_events");
}

/* Issue 12: a deleted asset or cable keeps its history, found by its tag
 * (the newest first when the tag was used again); cables have one too. */
static void
test_history_by_tag (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  SynBackend *backend = SYN_BACKEND (local);
  g_autoptr(SynAsset) first = create_ok (f, "{\"tag\": \"210-M-001\", \"type\": \"MOTOR\"}", NULL);
  g_autoptr(SynAsset) changed = NULL;
  g_autoptr(SynAsset) second = NULL;
  g_autoptr(SynAsset) renamed = NULL;
  g_autoptr(SynAsset) gone = NULL;
  g_autoptr(SynAsset) raw = syn_asset_new ();
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *rolled_batch = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *old_cable = NULL;
  g_autofree char *new_cable = NULL;
  g_autoptr(JsonNode) rolled = NULL;

  g_assert_no_error (error);
  fields = parse_object ("{\"description\": \"First motor\"}");
  changed = syn_asset_editor_update (f->store, f->project->id, "user-1", first->id, fields, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_asset_editor_delete (f->store, f->project->id, "user-1", first->id, NULL, &error));
  /* the tag used again */
  second = create_ok (f, "{\"tag\": \"210-M-001\", \"type\": \"MOTOR\"}", NULL);
  text = found_text (backend, "210-M-001", NULL);
  expected = g_strdup_printf ("asset %s 210-M-001 current\nasset %s 210-M-001 deleted", second->id, first->id);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpint (history_length (backend, SYN_OP_ASSET_HISTORY, "asset_id", first->id), ==, 3);
  g_assert_cmpint (history_length (backend, SYN_OP_ASSET_HISTORY, "asset_id", second->id), ==, 1);

  /* renamed: found by the tag it had, named by the one it has */
  renamed = create_ok (f, "{\"tag\": \"OLD-1\", \"type\": \"PUMP\"}", NULL);
  g_clear_pointer (&fields, json_object_unref);
  fields = parse_object ("{\"tag\": \"NEW-1\"}");
  g_clear_object (&changed);
  changed = syn_asset_editor_update (f->store, f->project->id, "user-1", renamed->id, fields, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&expected, g_free);
  text = found_text (backend, "OLD-1", NULL);
  expected = g_strdup_printf ("asset %s NEW-1 current", renamed->id);
  g_assert_cmpstr (text, ==, expected);

  /* what a rollback undid never was */
  gone = create_ok (f, "{\"tag\": \"RB-1\", \"type\": \"TANK\"}", &rolled_batch);
  rolled = syn_rollback_service_rollback (f->store, f->project->id, rolled_batch, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = found_text (backend, "RB-1", NULL);
  g_assert_cmpstr (text, ==, "");

  /* one written without events (before them, or by hand) has the tag all the same */
  raw->project_id = g_strdup (f->project->id);
  raw->tag = g_strdup ("RAW-1");
  raw->type = g_strdup ("TANK");
  g_assert_true (syn_store_insert_asset (f->store, raw, &error));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&expected, g_free);
  text = found_text (backend, "RAW-1", NULL);
  expected = g_strdup_printf ("asset %s RAW-1 current", raw->id);
  g_assert_cmpstr (text, ==, expected);

  /* cables: deleted, then the tag used again */
  old_cable = cable_in_batch (f, "210-M-001-PWR", second->id, renamed->id);
  delete_cable_in_batch (f, old_cable);
  new_cable = cable_in_batch (f, "210-M-001-PWR", second->id, renamed->id);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&expected, g_free);
  text = found_text (backend, "210-M-001-PWR", NULL);
  expected = g_strdup_printf ("cable %s 210-M-001-PWR current\ncable %s 210-M-001-PWR deleted", new_cable, old_cable);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpint (history_length (backend, SYN_OP_CABLE_HISTORY, "cable_id", old_cable), ==, 2);
  g_assert_cmpint (history_length (backend, SYN_OP_CABLE_HISTORY, "cable_id", new_cable), ==, 1);
  /* one kind only */
  g_clear_pointer (&text, g_free);
  text = found_text (backend, "210-M-001-PWR", "asset");
  g_assert_cmpstr (text, ==, "");
  refused = call (backend, SYN_OP_FIND_TAG, "{\"project_id\": \"Test\", \"tag\": \"X\", \"kind\": \"edge\"}", &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  assert_message_has (error, "kind");
}

/* Issue 14: a selection deleted as one batch (assets with their cables,
 * cables of their own), rolled back whole; an unknown id writes nothing. */
static void
test_delete_many (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  SynBackend *backend = SYN_BACKEND (local);
  g_autoptr(SynAsset) pump = create_ok (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\"}", NULL);
  g_autoptr(SynAsset) motor = create_ok (f, "{\"tag\": \"M-1\", \"type\": \"MOTOR\"}", NULL);
  g_autoptr(SynAsset) mcc = create_ok (f, "{\"tag\": \"MCC-1\", \"type\": \"MCC\"}", NULL);
  g_autofree char *to_pump = cable_in_batch (f, "C-1", motor->id, pump->id);
  g_autofree char *to_motor = cable_in_batch (f, "C-2", mcc->id, motor->id);
  g_autofree char *before = state_hash (f);
  g_autofree char *after = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) rolled = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint64 count;
  JsonObject *o;

  g_assert_no_error (error);
  /* the pump with its cable, and the motor's cable: one batch */
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_ids\": [\"%s\"], \"cable_ids\": [\"%s\"]}", pump->id,
                          to_motor);
  answer = call (backend, SYN_OP_DELETE_ENTITIES, json, &error);
  g_assert_no_error (error);
  o = json_node_get_object (answer);
  g_assert_cmpint (json_object_get_int_member (o, "deleted_assets"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "deleted_cables"), ==, 2);
  events = batch_events (f, json_object_get_string_member (o, "correlation_id"));
  g_assert_cmpuint (events->len, ==, 3);
  {
    g_autoptr(SynCable) gone = syn_store_get_cable (f->store, f->project->id, to_pump, &error);

    g_assert_no_error (error);
    g_assert_null (gone);
  }
  rolled = syn_rollback_service_rollback (f->store, f->project->id, json_object_get_string_member (o, "correlation_id"),
                                          NULL, FALSE, &error);
  g_assert_no_error (error);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);

  /* an unknown asset after a good cable: nothing written */
  count = count_events (f);
  g_free (json);
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"cable_ids\": [\"%s\"], \"asset_ids\": [\"%s\", "
                          "\"00000000-0000-4000-8000-000000000000\"]}", to_motor, motor->id);
  refused = call (backend, SYN_OP_DELETE_ENTITIES, json, &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (count_events (f), ==, count);
  g_free (after);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);
  /* nothing named, or not a list of ids */
  refused = call (backend, SYN_OP_DELETE_ENTITIES, "{\"project_id\": \"Test\"}", &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  assert_message_has (error, "asset_ids or cable_ids: required");
  g_clear_error (&error);
  refused = call (backend, SYN_OP_DELETE_ENTITIES, "{\"project_id\": \"Test\", \"cable_ids\": [1]}", &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  assert_message_has (error, "cable_ids[0]");
  g_assert_cmpuint (count_events (f), ==, count);
}

/* Issue 14: one change to a selection, one batch; what it leaves as it was
 * is not in it; no tag; an unknown id writes nothing. */
static void
test_update_many (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  SynBackend *backend = SYN_BACKEND (local);
  g_autoptr(SynAsset) a = create_ok (f, "{\"tag\": \"P-1\", \"type\": \"PUMP\", \"area\": \"100\"}", NULL);
  g_autoptr(SynAsset) b = create_ok (f, "{\"tag\": \"P-2\", \"type\": \"PUMP\", \"area\": \"200\"}", NULL);
  g_autoptr(SynAsset) c = create_ok (f, "{\"tag\": \"P-3\", \"type\": \"PUMP\", \"area\": \"200\"}", NULL);
  g_autofree char *before = state_hash (f);
  g_autofree char *after = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) rolled = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SynAsset) changed = NULL;
  guint64 count;
  JsonObject *o;

  g_assert_no_error (error);
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_ids\": [\"%s\", \"%s\", \"%s\"], \"area\": \"200\", "
                          "\"properties\": {\"seal\": \"mechanical\"}}", a->id, b->id, c->id);
  answer = call (backend, SYN_OP_UPDATE_ASSETS, json, &error);
  g_assert_no_error (error);
  o = json_node_get_object (answer);
  g_assert_cmpint (json_object_get_int_member (o, "updated"), ==, 3);
  /* the assets as they are now */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "assets")), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (o, "assets"),
                                                                                 0), "area"), ==, "200");
  events = batch_events (f, json_object_get_string_member (o, "correlation_id"));
  g_assert_cmpuint (events->len, ==, 3);
  changed = syn_store_get_asset (f->store, f->project->id, a->id, &error);
  g_assert_cmpstr (changed->area, ==, "200");
  rolled = syn_rollback_service_rollback (f->store, f->project->id, json_object_get_string_member (o, "correlation_id"),
                                          NULL, FALSE, &error);
  g_assert_no_error (error);
  after = state_hash (f);
  g_assert_cmpstr (after, ==, before);

  /* only the one it changes */
  g_clear_pointer (&answer, json_node_unref);
  g_free (json);
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_ids\": [\"%s\", \"%s\"], \"area\": \"200\"}", a->id,
                          b->id);
  answer = call (backend, SYN_OP_UPDATE_ASSETS, json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "updated"), ==, 1);

  /* refused, nothing written: a tag, an unknown asset */
  count = count_events (f);
  g_free (json);
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_ids\": [\"%s\"], \"tag\": \"X\"}", a->id);
  refused = call (backend, SYN_OP_UPDATE_ASSETS, json, &error);
  /* the backend's domain, as every refusal of a call */
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  assert_message_has (error, "tag:");
  g_clear_error (&error);
  g_free (json);
  json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_ids\": [\"%s\", "
                          "\"00000000-0000-4000-8000-000000000000\"], \"area\": \"900\"}", c->id);
  refused = call (backend, SYN_OP_UPDATE_ASSETS, json, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (count_events (f), ==, count);
}

#define TANK_RULE "{\"id\": \"tank-lt\", \"name\": \"Tanks need a level transmitter\", \"source\": \"PROJECT\", " \
  "\"action_type\": \"CREATE_CHILD\", \"discipline\": \"INSTRUMENTATION\", \"condition\": {\"asset_type\": \"TANK\"%s}, " \
  "\"action\": {\"type\": \"LEVEL_TRANSMITTER\", \"naming\": \"{tag}-LT\", \"relation\": \"measures\"}}"

/* Issue 14: what saving a rule would do, nothing written; a bad rule is
 * the parser's error with the field's path. */
static void
test_preview_rule (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  SynBackend *backend = SYN_BACKEND (local);
  g_autoptr(SynAsset) tank = create_ok (f, "{\"tag\": \"TK-1\", \"type\": \"TANK\"}", NULL);
  g_autofree char *rule = g_strdup_printf (TANK_RULE, "");
  g_autofree char *bad_rule = g_strdup_printf (TANK_RULE, ", \"all\": [{\"key\": \"hp\", \"op\": \"=~\", \"value\": 1}]");
  g_autofree char *json = g_strdup_printf ("{\"project_id\": \"Test\", \"rule\": %s}", rule);
  g_autofree char *bad = g_strdup_printf ("{\"project_id\": \"Test\", \"rule\": %s}", bad_rule);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(SynRule) stored = NULL;
  guint64 count = count_events (f);
  JsonArray *rules, *examples;
  gboolean found = FALSE;

  g_assert_no_error (error);
  answer = call (backend, SYN_OP_PREVIEW_RULE, json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "rule_id"), ==, "tank-lt");
  rules = json_object_get_array_member (json_node_get_object (answer), "rules");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *r = json_array_get_object_element (rules, i);

      if (g_strcmp0 (json_object_get_string_member (r, "rule_id"), "tank-lt") != 0)
        continue;
      found = TRUE;
      /* the transmitter and its edge */
      g_assert_cmpint (json_object_get_int_member (r, "create"), ==, 2);
    }
  g_assert_true (found);
  examples = json_object_get_array_member (json_node_get_object (answer), "examples");
  g_assert_nonnull (examples);
  g_assert_cmpuint (json_array_get_length (examples), >=, 1);
  g_assert_cmpstr (json_array_get_string_element (examples, 0), ==, tank->tag);
  /* nothing written, the rule not stored */
  g_assert_cmpuint (count_events (f), ==, count);
  stored = syn_store_get_rule (f->store, "tank-lt", &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  refused = call (backend, SYN_OP_PREVIEW_RULE, bad, &error);
  g_assert_null (refused);
  assert_message_has (error, "condition.all[0].op");
  g_assert_cmpuint (count_events (f), ==, count);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/assets/create", test_create);
  SYN_TEST_ADD ("/synapse/assets/create-errors", test_create_errors);
  SYN_TEST_ADD ("/synapse/assets/update", test_update);
  SYN_TEST_ADD ("/synapse/assets/update-no-change", test_update_no_change);
  SYN_TEST_ADD ("/synapse/assets/update-errors", test_update_errors);
  SYN_TEST_ADD ("/synapse/assets/rename", test_rename);
  SYN_TEST_ADD ("/synapse/assets/delete", test_delete);
  SYN_TEST_ADD ("/synapse/assets/delete-unknown", test_delete_unknown);
  SYN_TEST_ADD ("/synapse/assets/edits-roll-back", test_edits_roll_back);
  SYN_TEST_ADD ("/synapse/assets/backend-ops", test_backend_ops);
  SYN_TEST_ADD ("/synapse/assets/history-by-tag", test_history_by_tag);
  SYN_TEST_ADD ("/synapse/assets/delete-many", test_delete_many);
  SYN_TEST_ADD ("/synapse/assets/update-many", test_update_many);
  SYN_TEST_ADD ("/synapse/assets/preview-rule", test_preview_rule);

  return g_test_run ();
}

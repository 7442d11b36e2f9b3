/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-import.c: CSV import as one batch: counts, events, snapshot, per-line issues, strict mode. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-state-hash.h"
#include "syn-test-fixture.h"

static JsonObject *
import_ok (SynTestFixture *f, const char *csv, gboolean strict)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_csv_import (f->store, f->project->id, "user-1", csv, strlen (csv),
                                               strict, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  g_assert_false (syn_store_in_transaction (f->store));
  return json_object_ref (json_node_get_object (answer));
}

static void
assert_counts (JsonObject *answer, const char *status, gint64 imported, gint64 skipped, guint n_errors)
{
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, status);
  g_assert_cmpint (json_object_get_int_member (answer, "imported"), ==, imported);
  g_assert_cmpint (json_object_get_int_member (answer, "skipped"), ==, skipped);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "errors")), ==, n_errors);
  /* exactly these members: an import of new tags says its mode and its
   * warnings (unknown types) beside the counts */
  g_assert_cmpuint (json_object_get_size (answer), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (answer, "mode"), ==, "add");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "warnings")));
  g_assert_true (json_object_has_member (answer, "correlation_id"));
  if (g_str_equal (status, "imported"))
    g_assert_true (syn_uuid_is_valid (json_object_get_string_member (answer, "correlation_id")));
  else
    g_assert_true (json_object_get_null_member (answer, "correlation_id"));
}

static void
assert_error (JsonObject *answer, guint index, gint64 line, const char *message)
{
  JsonArray *errors = json_object_get_array_member (answer, "errors");
  JsonObject *e;

  g_assert_cmpuint (index, <, json_array_get_length (errors));
  e = json_array_get_object_element (errors, index);
  g_assert_cmpuint (json_object_get_size (e), ==, 2);
  g_assert_cmpint (json_object_get_int_member (e, "line"), ==, line);
  g_assert_cmpstr (json_object_get_string_member (e, "message"), ==, message);
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

static guint64
count_assets (SynTestFixture *f)
{
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  assets = syn_store_list_assets (f->store, f->project->id, NULL, NULL, 0, 1, &total, &error);
  g_assert_no_error (error);
  return total;
}

static guint
count_snapshots (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) snapshots = syn_store_list_snapshots (f->store, f->project->id, FALSE, 0, &error);

  g_assert_no_error (error);
  return snapshots->len;
}

static char *
state_hash (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  char *hash = syn_state_hash_compute (f->store, f->project->id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hash);
  return hash;
}

static SynAsset *
get_by_tag (SynTestFixture *f, const char *tag)
{
  g_autoptr(GError) error = NULL;
  SynAsset *asset = syn_store_get_asset_by_tag (f->store, f->project->id, tag, &error);

  g_assert_no_error (error);
  return asset;
}

static void
test_basic (SynTestFixture *f, gconstpointer data)
{
  const char *csv =
    "TAG,TYPE,DESCRIPTION,AREA,DISCIPLINE,SYSTEM,HP,Pump_Type\n"
    "210-PP-001,pump,Mill Discharge Pump,210,MECHANICAL,GRINDING,250,SLURRY\n"
    "210-PP-002,PUMP,,210,,GRINDING,,\n"
    "210-TK-001,TANK,Leach Tank,210,PROCESS,,,\n";
  g_autoptr(JsonObject) answer = import_ok (f, csv, FALSE);
  g_autoptr(SynAsset) p1 = get_by_tag (f, "210-PP-001");
  g_autoptr(SynAsset) p2 = get_by_tag (f, "210-PP-002");
  g_autoptr(SynAsset) tk = get_by_tag (f, "210-TK-001");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  const char *corr = json_object_get_string_member (answer, "correlation_id");
  SynAsset *created[3];
  SynEvent *first;
  JsonObject *payload, *snap_data;
  JsonArray *created_ids;

  assert_counts (answer, "imported", 3, 0, 0);

  g_assert_nonnull (p1);
  g_assert_cmpstr (p1->type, ==, "PUMP");
  g_assert_cmpstr (p1->description, ==, "Mill Discharge Pump");
  g_assert_cmpstr (p1->area, ==, "210");
  g_assert_cmpstr (p1->discipline, ==, "MECHANICAL");
  g_assert_cmpuint (json_object_get_size (p1->properties), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (p1->properties, "system"), ==, "GRINDING");
  g_assert_cmpstr (json_object_get_string_member (p1->properties, "hp"), ==, "250");
  g_assert_cmpstr (json_object_get_string_member (p1->properties, "pump_type"), ==, "SLURRY");
  g_assert_nonnull (p2);
  g_assert_null (p2->description);
  g_assert_null (p2->discipline);
  g_assert_cmpuint (json_object_get_size (p2->properties), ==, 1);
  g_assert_nonnull (tk);
  g_assert_cmpuint (json_object_get_size (tk->properties), ==, 0);
  created[0] = p1, created[1] = p2, created[2] = tk;

  /* one CSV_IMPORTED, then one ASSET_CREATED per asset, caused by it */
  events = syn_store_get_events_by_correlation (f->store, f->project->id, corr, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpuint (count_events (f), ==, 4);
  first = g_ptr_array_index (events, 0);
  g_assert_cmpstr (first->event_type, ==, SYN_EVENT_CSV_IMPORTED);
  g_assert_cmpstr (first->aggregate_type, ==, SYN_AGGREGATE_BATCH);
  g_assert_cmpstr (first->aggregate_id, ==, corr);
  g_assert_cmpstr (first->user_id, ==, "user-1");
  g_assert_null (first->causation_id);
  g_assert_cmpint (first->sequence_num, ==, 0);
  payload = json_node_get_object (first->payload);
  g_assert_cmpint (json_object_get_int_member (payload, "imported"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (payload, "skipped"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (payload, "rows"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (payload, "errors"), ==, 0);
  for (guint i = 1; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      g_assert_cmpstr (e->event_type, ==, SYN_EVENT_ASSET_CREATED);
      g_assert_cmpstr (e->aggregate_type, ==, SYN_AGGREGATE_ASSET);
      g_assert_cmpstr (e->aggregate_id, ==, created[i - 1]->id);
      g_assert_cmpstr (e->causation_id, ==, first->id);
      g_assert_cmpstr (e->correlation_id, ==, corr);
      g_assert_cmpint (e->sequence_num, ==, i);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (e->payload), "tag"), ==,
                       created[i - 1]->tag);
    }

  /* the snapshot: what the batch created, no pre-images */
  snapshot = syn_store_get_snapshot (f->store, f->project->id, corr, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  g_assert_cmpstr (snapshot->status, ==, SYN_SNAPSHOT_ACTIVE);
  g_assert_cmpint (snapshot->events_count, ==, 4);
  snap_data = json_node_get_object (snapshot->snapshot_data);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (snap_data, "assets")), ==, 0);
  created_ids = json_object_get_array_member (json_object_get_object_member (snap_data, "created"), "assets");
  g_assert_cmpuint (json_array_get_length (created_ids), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_array_get_string_element (created_ids, i), ==, created[i]->id);
}

static void
test_duplicates (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) first = import_ok (f, "TAG,TYPE\n210-PP-001,PUMP\n", FALSE);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  assert_counts (first, "imported", 1, 0, 0);
  answer = import_ok (f,
                      "TAG,TYPE\n"
                      "210-PP-001,PUMP\n"       /* 2: already in the project */
                      "210-PP-009,PUMP\n"       /* 3 */
                      "210-PP-009,MOTOR\n"      /* 4: twice in the file */
                      "210-PP-010,PUMP\n",      /* 5 */
                      FALSE);
  assert_counts (answer, "imported", 2, 2, 2);
  assert_error (answer, 0, 2, "tag 210-PP-001 already exists in the project");
  assert_error (answer, 1, 4, "Duplicate tag \"210-PP-009\" (first on line 3)");
  g_assert_cmpuint (count_assets (f), ==, 3);
  {
    g_autoptr(SynAsset) kept = get_by_tag (f, "210-PP-009");

    /* of two rows with one tag, the later one is the error */
    g_assert_cmpstr (kept->type, ==, "PUMP");
  }

  events = syn_store_get_events_by_correlation (f->store, f->project->id,
                                                json_object_get_string_member (answer, "correlation_id"),
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (((SynEvent *) events->pdata[0])->payload),
                                               "errors"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (((SynEvent *) events->pdata[0])->payload),
                                               "skipped"), ==, 2);
}

static void
test_row_issues (SynTestFixture *f, gconstpointer data)
{
  const char *csv =
    "TAG,TYPE,DESCRIPTION,DISCIPLINE\n"   /* 1 */
    "A-1,PUMP,\"two\n"                    /* 2 */
    "lines\",mechanical\n"                /* 3 */
    ",PUMP,no tag,\n"                     /* 4 */
    "A-2,,no type,\n"                     /* 5 */
    "A-3,PUMP,ragged\n"                   /* 6 */
    "\n"                                  /* 7 */
    "A-4,PUMP,bad discipline,ELEC\n"      /* 8 */
    "A-5,valve,ok,PIPING\n";              /* 9 */
  g_autoptr(JsonObject) answer = import_ok (f, csv, FALSE);
  g_autoptr(SynAsset) a1 = get_by_tag (f, "A-1");
  g_autoptr(SynAsset) a4 = get_by_tag (f, "A-4");
  g_autoptr(SynAsset) a5 = get_by_tag (f, "A-5");

  assert_counts (answer, "imported", 2, 4, 4);
  assert_error (answer, 0, 4, "Missing TAG value");
  assert_error (answer, 1, 5, "Missing TYPE value");
  assert_error (answer, 2, 6, "Expected 4 fields, got 3");
  assert_error (answer, 3, 8, "Unknown discipline \"ELEC\" (expected ELECTRICAL, AUTOMATION, "
                              "MECHANICAL, PROCESS, PIPING or INSTRUMENTATION)");
  g_assert_nonnull (a1);
  g_assert_cmpstr (a1->description, ==, "two\nlines");
  g_assert_cmpstr (a1->discipline, ==, "MECHANICAL");
  g_assert_null (a4);
  g_assert_nonnull (a5);
  g_assert_cmpstr (a5->type, ==, "VALVE");
}

static void
test_missing_both (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) answer = import_ok (f, "TAG,TYPE,HP\n,,\n , ,\n,,5\nP-1,PUMP,\n", FALSE);

  /* a row of blanks is no row; one with a blank TAG and TYPE has both issues */
  assert_counts (answer, "imported", 1, 1, 2);
  assert_error (answer, 0, 4, "Missing TAG value");
  assert_error (answer, 1, 4, "Missing TYPE value");
}

static void
test_strict_refuses (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) base = import_ok (f, "TAG,TYPE,HP\nP-1,PUMP,50\nP-2,PUMP,75\n", FALSE);
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) good = NULL;
  g_autofree char *hash_before = state_hash (f);
  g_autofree char *hash_after = NULL;
  guint64 events_before = count_events (f);
  guint snapshots_before = count_snapshots (f);

  assert_counts (base, "imported", 2, 0, 0);
  refused = import_ok (f,
                       "TAG,TYPE,HP\n"
                       "P-3,PUMP,10\n"
                       "P-1,PUMP,20\n"     /* exists */
                       "P-4,,30\n"         /* no type */
                       "P-5,MOTOR,40\n",
                       TRUE);
  assert_counts (refused, "refused", 0, 4, 2);
  assert_error (refused, 0, 3, "tag P-1 already exists in the project");
  assert_error (refused, 1, 4, "Missing TYPE value");

  hash_after = state_hash (f);
  g_assert_cmpstr (hash_after, ==, hash_before);
  g_assert_cmpuint (count_events (f), ==, events_before);
  g_assert_cmpuint (count_snapshots (f), ==, snapshots_before);
  g_assert_cmpuint (count_assets (f), ==, 2);

  /* strict with nothing wrong imports everything */
  good = import_ok (f, "TAG,TYPE\nP-3,PUMP\nP-5,MOTOR\n", TRUE);
  assert_counts (good, "imported", 2, 0, 0);
  g_assert_cmpuint (count_assets (f), ==, 4);
}

/* @length -1: up to the NUL. */
static void
assert_file_error (SynTestFixture *f, const char *csv, gssize length, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_csv_import (f->store, f->project->id, NULL, csv,
                                               length < 0 ? strlen (csv) : (gsize) length, FALSE, &error);

  g_assert_null (answer);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV);
  if (strstr (error->message, message) == NULL)
    g_error ("expected \"%s\" in \"%s\"", message, error->message);
  g_assert_false (syn_store_in_transaction (f->store));
}

static void
test_file_errors (SynTestFixture *f, gconstpointer data)
{
  static const char nul[] = "TAG,TYPE\nP-1,PU\0MP\n";

  assert_file_error (f, "", -1, "empty");
  assert_file_error (f, "\n \n,,\n", -1, "empty");
  assert_file_error (f, "TAG,DESCRIPTION\nP-1,x\n", -1, "column TYPE");
  assert_file_error (f, "NAME,TYPE\nP-1,PUMP\n", -1, "column TAG");
  assert_file_error (f, "Name,Kind\nP-1,PUMP\n", -1, "columns TAG and TYPE");
  assert_file_error (f, "TAG,TYPE,Tag\nP-1,PUMP,x\n", -1, "appears twice");
  assert_file_error (f, "TAG,TYPE\nP-1,\xff\xfe\n", -1, "Invalid UTF-8 on line 2");
  assert_file_error (f, nul, sizeof nul - 1, "Invalid UTF-8 on line 2");
  assert_file_error (f, "TAG,TYPE\nP-1,\"PUMP\n", -1, "Unterminated quoted field starting on line 2");

  g_assert_cmpuint (count_events (f), ==, 0);
  g_assert_cmpuint (count_assets (f), ==, 0);
  g_assert_cmpuint (count_snapshots (f), ==, 0);
}

static void
test_nothing_valid (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) bad = import_ok (f, "TAG,TYPE\n,PUMP\nP-1,\n", FALSE);
  g_autoptr(JsonObject) header_only = import_ok (f, "TAG,TYPE\r\n", FALSE);
  g_autoptr(JsonObject) header_only_strict = import_ok (f, "TAG,TYPE\n", TRUE);

  assert_counts (bad, "empty", 0, 2, 2);
  assert_counts (header_only, "empty", 0, 0, 0);
  assert_counts (header_only_strict, "empty", 0, 0, 0);
  g_assert_cmpuint (count_events (f), ==, 0);
  g_assert_cmpuint (count_snapshots (f), ==, 0);
}

static void
test_bom_crlf (SynTestFixture *f, gconstpointer data)
{
  const char *csv = "\xEF\xBB\xBFTag,Type,HP\r\nP-1,PUMP,5\r\n\r\nP-1,PUMP,6\r\nP-2,MOTOR,\"7\r\n5\"\r\nP-3,TANK,1";
  g_autoptr(JsonObject) answer = import_ok (f, csv, FALSE);
  g_autoptr(SynAsset) p1 = get_by_tag (f, "P-1");
  g_autoptr(SynAsset) p2 = get_by_tag (f, "P-2");
  g_autoptr(SynAsset) p3 = get_by_tag (f, "P-3");

  assert_counts (answer, "imported", 3, 1, 1);
  assert_error (answer, 0, 4, "Duplicate tag \"P-1\" (first on line 2)");
  g_assert_nonnull (p1);
  g_assert_cmpstr (json_object_get_string_member (p1->properties, "hp"), ==, "5");
  g_assert_cmpuint (json_object_get_size (p1->properties), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (p2->properties, "hp"), ==, "7\n5");
  g_assert_nonnull (p3);
}

static void
test_demo_file (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "gold-mine-assets.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gsize length = 0;
  guint rows = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  for (const char *p = contents; *p; p++)
    rows += *p == '\n';
  rows -= 1; /* the header */
  g_assert_cmpuint (rows, >, 20);

  answer = import_ok (f, contents, FALSE);
  assert_counts (answer, "imported", rows, 0, 0);
  g_assert_cmpuint (count_assets (f), ==, rows);
  g_assert_cmpuint (count_events (f), ==, rows + 1);
}

static void
test_unknown_project (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_csv_import (f->store, "no-such-project", NULL, "TAG,TYPE\nP-1,PUMP\n",
                                               18, FALSE, &error);

  g_assert_null (answer);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_events (f), ==, 0);
}

/* An import is a batch like any other: rolling it back removes what it added. */
static void
test_rolls_back (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) base = import_ok (f, "TAG,TYPE\nP-1,PUMP\n", FALSE);
  g_autofree char *hash_before = state_hash (f);
  g_autofree char *hash_after = NULL;
  g_autoptr(JsonObject) answer = import_ok (f, "TAG,TYPE,HP\nP-1,PUMP,5\nP-2,PUMP,10\nM-2,MOTOR,10\n", FALSE);
  g_autoptr(JsonNode) rolled_back = NULL;
  g_autoptr(GError) error = NULL;

  assert_counts (answer, "imported", 2, 1, 1);
  rolled_back = syn_rollback_service_rollback (f->store, f->project->id,
                                               json_object_get_string_member (answer, "correlation_id"),
                                               NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rolled_back);
  hash_after = state_hash (f);
  g_assert_cmpstr (hash_after, ==, hash_before);
  g_assert_cmpuint (count_assets (f), ==, 1);
}

static JsonNode *
call (SynBackend *backend, const char *op, JsonObject *params, GError **error)
{
  return syn_backend_call_sync (backend, op, params, NULL, error);
}

static void
test_backend_op (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  SynBackend *backend = SYN_BACKEND (local);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  const char *csv = "TAG,TYPE\nP-1,PUMP\nP-2,\n";

  g_assert_no_error (error);

  /* strict as the query string gives it */
  json_object_set_string_member (params, "project_id", f->project->name);
  json_object_set_string_member (params, "csv", csv);
  json_object_set_string_member (params, "strict", "true");
  answer = call (backend, SYN_OP_IMPORT_CSV, params, &error);
  g_assert_no_error (error);
  assert_counts (json_node_get_object (answer), "refused", 0, 2, 1);
  assert_error (json_node_get_object (answer), 0, 3, "Missing TYPE value");
  g_clear_pointer (&answer, json_node_unref);
  g_assert_cmpuint (count_events (f), ==, 0);

  json_object_set_boolean_member (params, "strict", FALSE);
  json_object_set_string_member (params, "_user_id", "server-user");
  answer = call (backend, SYN_OP_IMPORT_CSV, params, &error);
  g_assert_no_error (error);
  assert_counts (json_node_get_object (answer), "imported", 1, 1, 1);
  g_clear_pointer (&answer, json_node_unref);
  {
    g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
    g_autoptr(GPtrArray) events = syn_store_query_events (f->store, q, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 2);
    g_assert_cmpstr (((SynEvent *) events->pdata[0])->user_id, ==, "server-user");
  }

  /* a file-level problem is a bad parameter (400) */
  json_object_set_string_member (params, "csv", "TAG,NAME\nP-9,x\n");
  answer = call (backend, SYN_OP_IMPORT_CSV, params, &error);
  g_assert_null (answer);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "TYPE"));
  g_clear_error (&error);

  json_object_set_string_member (params, "csv", "");
  answer = call (backend, SYN_OP_IMPORT_CSV, params, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  json_object_remove_member (params, "csv");
  answer = call (backend, SYN_OP_IMPORT_CSV, params, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "csv: required");
  g_clear_error (&error);

  json_object_set_string_member (params, "csv", csv);
  json_object_set_string_member (params, "strict", "maybe");
  answer = call (backend, SYN_OP_IMPORT_CSV, params, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "strict"));
  g_clear_error (&error);

  json_object_set_string_member (params, "project_id", "Nope");
  answer = call (backend, SYN_OP_IMPORT_CSV, params, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpuint (count_assets (f), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/import/basic", test_basic);
  SYN_TEST_ADD ("/synapse/import/duplicates", test_duplicates);
  SYN_TEST_ADD ("/synapse/import/row-issues", test_row_issues);
  SYN_TEST_ADD ("/synapse/import/missing-tag-and-type", test_missing_both);
  SYN_TEST_ADD ("/synapse/import/strict-refuses", test_strict_refuses);
  SYN_TEST_ADD ("/synapse/import/file-errors", test_file_errors);
  SYN_TEST_ADD ("/synapse/import/nothing-valid", test_nothing_valid);
  SYN_TEST_ADD ("/synapse/import/bom-crlf", test_bom_crlf);
  SYN_TEST_ADD ("/synapse/import/demo-file", test_demo_file);
  SYN_TEST_ADD ("/synapse/import/unknown-project", test_unknown_project);
  SYN_TEST_ADD ("/synapse/import/rolls-back", test_rolls_back);
  SYN_TEST_ADD ("/synapse/import/backend-op", test_backend_op);

  return g_test_run ();
}

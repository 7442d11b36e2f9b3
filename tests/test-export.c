/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-export.c: the asset list and cable schedule (filters, order, pages) on both stores; exports as CSV
 * and JSON through the backend, the REST routes, the remote backend and `synapse export`. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "backend/syn-remote-backend.h"
#include "core/syn-core.h"
#include "engine/syn-batch.h"
#include "engine/syn-csv-reader.h"
#include "engine/syn-exporter.h"
#include "syn-test-fixture.h"
#include "syn-test-server.h"

static JsonNode *
call (SynBackend *backend, const char *op, const char *json, GError **error)
{
  g_autoptr(JsonNode) root = syn_json_parse (json, -1, NULL);

  g_assert_nonnull (root);
  return syn_backend_call_sync (backend, op, json_node_get_object (root), NULL, error);
}

static SynAsset *
add_asset (SynBackend *backend, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = call (backend, SYN_OP_CREATE_ASSET, json, &error);

  g_assert_no_error (error);
  return syn_asset_from_json (json_node_get_object (answer), NULL);
}

static void
add_cable (SynStore *store, const char *project_id, SynAsset *from, SynAsset *to, const char *tag,
           double drop, const char *size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) batch = syn_batch_begin (store, project_id, NULL, &error);
  g_autoptr(SynCable) cable = syn_cable_new ();
  g_autoptr(SynEdge) edge = syn_edge_new ();
  g_autoptr(SynEvent) e1 = NULL;
  g_autoptr(SynEvent) e2 = NULL;

  g_assert_no_error (error);
  cable->tag = g_strdup (tag);
  cable->from_asset_id = from ? g_strdup (from->id) : NULL;
  cable->to_asset_id = g_strdup (to->id);
  cable->cable_type = g_strdup ("TECK90");
  cable->voltage = 600;
  cable->length_m = 100;
  cable->flc_a = 52;
  cable->ampacity_a = 65;
  cable->voltage_drop_pct = drop;
  cable->conductor_size = g_strdup (size);
  e1 = syn_batch_create_cable (batch, cable, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  if (from != NULL)
    {
      edge->source_asset_id = g_strdup (from->id);
      edge->target_asset_id = g_strdup (to->id);
      edge->relation = g_strdup ("powers");
      e2 = syn_batch_create_edge (batch, edge, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (syn_batch_commit (batch, &error));
  g_assert_no_error (error);
}

/* Pumps, a tank, a motor (u-9 creates them) and two cables to the pump P-1. */
static SynBackend *
fill (SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) backend = syn_local_backend_new (f->uri, &error);
  g_autoptr(SynAsset) p1 = NULL;
  g_autoptr(SynAsset) m1 = NULL;
  g_autoptr(SynAsset) t1 = NULL;
  const char *p = f->project->id;
  g_autofree char *j1 = NULL, *j2 = NULL, *j3 = NULL, *j4 = NULL, *j5 = NULL;

  g_assert_no_error (error);
  j1 = g_strdup_printf ("{\"project_id\": \"%s\", \"_user_id\": \"u-9\", \"tag\": \"P-1\", \"type\": \"PUMP\", "
                        "\"area\": \"210\", \"discipline\": \"MECHANICAL\", \"description\": \"Mill discharge, "
                        "\\\"slurry\\\"\", \"properties\": {\"hp\": 50}}", p);
  j2 = g_strdup_printf ("{\"project_id\": \"%s\", \"tag\": \"P-2\", \"type\": \"PUMP\", \"area\": \"210\", "
                        "\"properties\": {\"hp\": \"75 HP\"}}", p);
  j3 = g_strdup_printf ("{\"project_id\": \"%s\", \"tag\": \"P-10\", \"type\": \"PUMP\", \"area\": \"310\", "
                        "\"properties\": {\"hp\": 120, \"voltage\": \"4160V\"}}", p);
  j4 = g_strdup_printf ("{\"project_id\": \"%s\", \"tag\": \"T-1\", \"type\": \"TANK\", \"area\": \"310\"}", p);
  j5 = g_strdup_printf ("{\"project_id\": \"%s\", \"tag\": \"M-1\", \"type\": \"MOTOR\", \"area\": \"210\", "
                        "\"discipline\": \"ELECTRICAL\"}", p);
  p1 = add_asset (SYN_BACKEND (backend), j1);
  g_object_unref (add_asset (SYN_BACKEND (backend), j2));
  g_object_unref (add_asset (SYN_BACKEND (backend), j3));
  t1 = add_asset (SYN_BACKEND (backend), j4);
  m1 = add_asset (SYN_BACKEND (backend), j5);
  add_cable (f->store, p, m1, p1, "C-1", 3.5, "OVER_LIMIT");
  add_cable (f->store, p, NULL, t1, "C-2", 1.25, "6 AWG");
  return SYN_BACKEND (g_steal_pointer (&backend));
}

/* The tags of a page, joined by spaces. */
static char *
page_tags (SynStore *store, SynEntityQuery *q, guint64 *total)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEntityPage) page = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  q->count = TRUE;
  page = syn_store_query_entities (store, q, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->items->len; i++)
    {
      gpointer item = g_ptr_array_index (page->items, i);

      g_string_append_printf (out, "%s%s", i ? " " : "",
                              SYN_IS_CABLE (item) ? ((SynCable *) item)->tag : ((SynAsset *) item)->tag);
    }
  if (total != NULL)
    *total = page->total;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
assets_where (SynTestFixture *f, const char *tag, const char *tests, const char *sort)
{
  g_autoptr(SynEntityQuery) q = syn_entity_query_new (SYN_ENTITY_ASSETS, f->project->id);
  g_autoptr(GError) error = NULL;

  q->tag = g_strdup (tag);
  g_assert_true (syn_entity_query_add_tests (q, tests, &error));
  g_assert_no_error (error);
  syn_entity_query_set_sort (q, sort);
  return page_tags (f->store, q, NULL);
}

#define assert_tags(got, expected) \
  G_STMT_START { g_autofree char *_got = (got); g_assert_cmpstr (_got, ==, expected); } G_STMT_END

static void
test_query (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) backend = fill (f);
  g_autoptr(SynEntityQuery) q = syn_entity_query_new (SYN_ENTITY_ASSETS, f->project->id);
  g_autoptr(SynEntityQuery) c = syn_entity_query_new (SYN_ENTITY_CABLES, f->project->id);
  g_autoptr(SynEntityPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  /* tags: wildcards, a prefix, any case; bytewise order */
  assert_tags (assets_where (f, "P-*", NULL, NULL), "P-1 P-10 P-2");
  assert_tags (assets_where (f, "p-1", NULL, NULL), "P-1 P-10");
  assert_tags (assets_where (f, "P-?", NULL, NULL), "P-1 P-2");
  assert_tags (assets_where (f, "*1*", NULL, NULL), "M-1 P-1 P-10 T-1");
  assert_tags (assets_where (f, "P_1", NULL, NULL), "");
  /* property tests: numbers as rules read them, "75 HP" > 60 */
  assert_tags (assets_where (f, NULL, "hp>60", NULL), "P-10 P-2");
  assert_tags (assets_where (f, NULL, "hp >= 50, area == 210", NULL), "P-1 P-2");
  assert_tags (assets_where (f, NULL, "hp!=50", NULL), "M-1 P-10 P-2 T-1");
  assert_tags (assets_where (f, NULL, "description~SLURRY", NULL), "P-1");
  assert_tags (assets_where (f, NULL, "voltage=4160v", NULL), "P-10");
  assert_tags (assets_where (f, NULL, "type==pump,hp<100", NULL), "P-1 P-2");
  /* order: by a property, absent values last either way */
  assert_tags (assets_where (f, NULL, NULL, "-hp"), "P-10 P-2 P-1 M-1 T-1");
  assert_tags (assets_where (f, NULL, NULL, "hp"), "P-1 P-2 P-10 M-1 T-1");
  assert_tags (assets_where (f, NULL, NULL, "-tag"), "T-1 P-2 P-10 P-1 M-1");
  assert_tags (assets_where (f, NULL, NULL, "area"), "M-1 P-1 P-2 P-10 T-1");

  /* a page and the total */
  q->type = g_strdup ("pump");
  q->limit = 2;
  q->offset = 1;
  assert_tags (page_tags (f->store, q, &total), "P-10 P-2");
  g_assert_cmpuint (total, ==, 3);

  /* cables: their ends' tags, the load's area, columns as tests */
  c->area = g_strdup ("210");
  assert_tags (page_tags (f->store, c, &total), "C-1");
  g_clear_pointer (&c->area, g_free);
  syn_entity_query_set_sort (c, "-voltage_drop_pct");
  assert_tags (page_tags (f->store, c, NULL), "C-1 C-2");
  g_assert_true (syn_entity_query_add_tests (c, "conductor_size == over_limit", &error));
  assert_tags (page_tags (f->store, c, NULL), "C-1");
  page = syn_store_query_entities (f->store, c, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (page->asset_tags, ((SynCable *) page->items->pdata[0])->from_asset_id), ==,
                   "M-1");
  g_assert_cmpstr (g_hash_table_lookup (page->asset_tags, ((SynCable *) page->items->pdata[0])->to_asset_id), ==,
                   "P-1");
  g_clear_pointer (&page, syn_entity_page_free);

  /* who created what no rule made */
  g_clear_pointer (&q->type, g_free);
  q->tag = g_strdup ("P-1");
  q->limit = 1;
  q->offset = 0;
  page = syn_store_query_entities (f->store, q, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (page->creators, ((SynAsset *) page->items->pdata[0])->id), ==, "u-9");

  /* a test that cannot be read names itself; nothing is added */
  g_assert_false (syn_entity_query_add_tests (q, "hp>1, nonsense", &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nonsense"));
  g_assert_cmpuint (q->tests->len, ==, 0);
}

static void
test_backend_lists (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) backend = fill (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) cables = call (backend, SYN_OP_LIST_CABLES,
                                     "{\"project_id\": \"Test\", \"sort\": \"-voltage_drop_pct\", \"limit\": 1}", &error);
  g_autoptr(JsonNode) assets = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) relations = NULL;
  g_autofree char *json = NULL;
  JsonObject *o, *first;
  JsonArray *edges;

  g_assert_no_error (error);
  o = json_node_get_object (cables);
  g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "pages"), ==, 2);
  first = json_array_get_object_element (json_object_get_array_member (o, "cables"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "tag"), ==, "C-1");
  g_assert_cmpstr (json_object_get_string_member (first, "from_tag"), ==, "M-1");
  g_assert_cmpstr (json_object_get_string_member (first, "to_tag"), ==, "P-1");

  assets = call (backend, SYN_OP_LIST_ASSETS, "{\"project_id\": \"Test\", \"tag\": \"P-*\", \"where\": \"hp>60\"}",
                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (assets), "total"), ==, 2);

  bad = call (backend, SYN_OP_LIST_ASSETS, "{\"project_id\": \"Test\", \"where\": \"hp\"}", &error);
  g_assert_null (bad);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_clear_error (&error);
  bad = call (backend, SYN_OP_LIST_CABLES, "{\"project_id\": \"Test\", \"discipline\": \"PLUMBING\"}", &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "PLUMBING"));
  g_clear_error (&error);

  /* the hierarchy: edges both ways and cables, from the store */
  {
    g_autoptr(SynAsset) p1 = syn_store_get_asset_by_tag (f->store, f->project->id, "P-1", NULL);

    json = g_strdup_printf ("{\"project_id\": \"Test\", \"asset_id\": \"%s\"}", p1->id);
  }
  relations = call (backend, SYN_OP_ASSET_RELATIONS, json, &error);
  g_assert_no_error (error);
  o = json_node_get_object (relations);
  edges = json_object_get_array_member (o, "edges");
  g_assert_cmpuint (json_array_get_length (edges), ==, 1);
  first = json_array_get_object_element (edges, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "direction"), ==, "in");
  g_assert_cmpstr (json_object_get_string_member (first, "relation"), ==, "powers");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "asset"), "tag"), ==, "M-1");
  first = json_array_get_object_element (json_object_get_array_member (o, "cables"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "tag"), ==, "C-1");
  g_assert_cmpstr (json_object_get_string_member (first, "direction"), ==, "in");
}

/* The CSV read back with the project's own reader: header with units, rows
 * as written, a quoted description intact. */
static void
test_csv_round_trip (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) backend = fill (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) cables = call (backend, SYN_OP_EXPORT, "{\"project_id\": \"Test\", \"kind\": \"cables\", "
                                     "\"format\": \"csv\"}", &error);
  g_autoptr(JsonNode) assets = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GPtrArray) records = NULL;
  SynCsvRecord *header, *row;
  const char *content;

  g_assert_no_error (error);
  content = syn_json_get_string (json_node_get_object (cables), "content");
  g_assert_true (g_str_has_prefix (content, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (content, "\r\n"));
  records = syn_csv_parse (content, strlen (content), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
  header = g_ptr_array_index (records, 0);
  g_assert_cmpstr (g_ptr_array_index (header->fields, 0), ==, "tag");
  g_assert_cmpstr (g_ptr_array_index (header->fields, 4), ==, "voltage (V)");
  g_assert_cmpstr (g_ptr_array_index (header->fields, 5), ==, "length (m)");
  g_assert_cmpstr (g_ptr_array_index (header->fields, 7), ==, "FLC (A)");
  g_assert_cmpstr (g_ptr_array_index (header->fields, 9), ==, "voltage drop (%)");
  row = g_ptr_array_index (records, 1);
  g_assert_cmpstr (g_ptr_array_index (row->fields, 0), ==, "C-1");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 1), ==, "M-1");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 2), ==, "P-1");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 4), ==, "600");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 6), ==, "OVER_LIMIT");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 9), ==, "3.5");
  row = g_ptr_array_index (records, 2);
  g_assert_cmpstr (g_ptr_array_index (row->fields, 1), ==, "");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 9), ==, "1.25");
  g_clear_pointer (&records, g_ptr_array_unref);

  assets = call (backend, SYN_OP_EXPORT, "{\"project_id\": \"Test\", \"kind\": \"assets\", \"format\": \"csv\", "
                 "\"tag\": \"P-1\", \"properties\": \"hp, voltage\"}", &error);
  g_assert_no_error (error);
  content = syn_json_get_string (json_node_get_object (assets), "content");
  records = syn_csv_parse (content, strlen (content), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
  header = g_ptr_array_index (records, 0);
  g_assert_cmpstr (g_ptr_array_index (header->fields, 5), ==, "hp");
  g_assert_cmpstr (g_ptr_array_index (header->fields, 6), ==, "voltage");
  g_assert_cmpstr (g_ptr_array_index (header->fields, 7), ==, "created by");
  row = g_ptr_array_index (records, 1);
  g_assert_cmpstr (g_ptr_array_index (row->fields, 2), ==, "Mill discharge, \"slurry\"");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 5), ==, "50");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 7), ==, "u-9");
  row = g_ptr_array_index (records, 2);
  g_assert_cmpstr (g_ptr_array_index (row->fields, 6), ==, "4160V");

  /* JSON: typed values under the columns' keys */
  json = call (backend, SYN_OP_EXPORT, "{\"project_id\": \"Test\", \"kind\": \"cables\", \"format\": \"json\"}",
               &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "rows"), ==, 2);
  parsed = syn_json_parse (syn_json_get_string (json_node_get_object (json), "content"), -1, &error);
  g_assert_no_error (error);
  {
    JsonArray *rows = json_object_get_array_member (json_node_get_object (parsed), "rows");
    JsonObject *first = json_array_get_object_element (rows, 0);
    JsonObject *column = json_array_get_object_element (json_object_get_array_member (json_node_get_object (parsed),
                                                                                       "columns"), 4);

    g_assert_cmpfloat (json_object_get_double_member (first, "voltage_drop_pct"), ==, 3.5);
    g_assert_cmpstr (json_object_get_string_member (column, "unit"), ==, "V");
  }
}

static void
test_timeline_export (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynBackend) backend = fill (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = call (backend, SYN_OP_EXPORT, "{\"project_id\": \"Test\", \"kind\": \"timeline\", "
                                     "\"format\": \"csv\", \"event_types\": \"CABLE_CREATED\"}", &error);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonNode) bad = NULL;
  const char *content;
  SynCsvRecord *row;

  g_assert_no_error (error);
  content = syn_json_get_string (json_node_get_object (answer), "content");
  records = syn_csv_parse (content, strlen (content), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
  row = g_ptr_array_index (records, 1);
  g_assert_cmpstr (g_ptr_array_index (row->fields, 2), ==, "CABLE_CREATED");
  g_assert_cmpstr (g_ptr_array_index (row->fields, 5), ==, "C-2");

  bad = call (backend, SYN_OP_EXPORT, "{\"project_id\": \"Test\", \"kind\": \"edges\"}", &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "edges"));
}

/* The living model's status names what a run would change: the grid's
 * out-of-date marks. */
static void
test_out_of_date (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) backend = syn_local_backend_new (f->uri, &error);
  g_autoptr(JsonNode) demo = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(SynAsset) pump = NULL;
  g_autoptr(SynAsset) tank = NULL;
  g_autofree char *json = NULL;
  JsonArray *ids;
  const char *project_id;
  gboolean has_pump = FALSE, has_lt = FALSE;

  g_assert_no_error (error);
  demo = call (SYN_BACKEND (backend), SYN_OP_CREATE_DEMO, "{\"name\": \"Mine\"}", &error);
  g_assert_no_error (error);
  project_id = syn_json_get_string (json_object_get_object_member (json_node_get_object (demo), "project"), "id");
  json = g_strdup_printf ("{\"project_id\": \"%s\"}", project_id);
  status = call (SYN_BACKEND (backend), SYN_OP_PROJECT_STATUS, json, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (status), "up_to_date"));
  ids = json_object_get_array_member (json_node_get_object (status), "out_of_date");
  g_assert_nonnull (ids);
  pump = syn_store_get_asset_by_tag (f->store, project_id, "210-PP-001", &error);
  tank = syn_store_get_asset_by_tag (f->store, project_id, "510-TK-001", &error);
  g_assert_nonnull (pump);
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      has_pump |= g_strcmp0 (json_array_get_string_element (ids, i), pump->id) == 0;
      has_lt |= tank != NULL && g_strcmp0 (json_array_get_string_element (ids, i), tank->id) == 0;
      /* sorted, so two answers on the same project are the same */
      if (i > 0)
        g_assert_cmpint (strcmp (json_array_get_string_element (ids, i - 1), json_array_get_string_element (ids, i)),
                         <, 0);
    }
  g_assert_true (has_pump);
  g_assert_true (tank == NULL || has_lt);
}

/* LibreOffice opens the file and converts it (only where it is installed). */
static void
test_libreoffice (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *soffice = g_find_program_in_path ("soffice");
  g_autoptr(SynBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *csv = NULL, *xlsx = NULL, *out = NULL;
  const char *content;
  int status = 0;

  if (soffice == NULL)
    {
      g_test_skip ("LibreOffice (soffice) is not installed: the CSV is checked by parsing it back instead");
      return;
    }
  backend = fill (f);
  answer = call (backend, SYN_OP_EXPORT, "{\"project_id\": \"Test\", \"kind\": \"cables\", \"format\": \"csv\"}",
                 &error);
  g_assert_no_error (error);
  content = syn_json_get_string (json_node_get_object (answer), "content");
  csv = g_build_filename (f->tmpdir, "cables.csv", NULL);
  xlsx = g_build_filename (f->tmpdir, "cables.xlsx", NULL);
  g_assert_true (g_file_set_contents (csv, content, -1, NULL));
  {
    const char *argv[] = { soffice, "--headless", "--convert-to", "xlsx", "--outdir", f->tmpdir, csv, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_file_test (xlsx, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------------- */
/* Over the wire                                                             */

static GBytes *
get_raw (SynTestServer *srv, const char *path, const char *token, const char *accept, SoupMessage **out)
{
  g_autofree char *url = g_strconcat (srv->url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (accept != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", accept);
  bytes = soup_session_send_and_read (srv->session, msg, NULL, &error);
  g_assert_no_error (error);
  *out = g_steal_pointer (&msg);
  return bytes;
}

static void
test_rest (void)
{
  SynTestServer *srv = syn_test_server_start (NULL);
  g_autofree char *admin = syn_test_server_add_user (srv, "admin", "admin");
  g_autofree char *token = syn_test_server_login (srv, "admin");
  g_autoptr(SynProject) project = syn_test_create_project (srv->store, "Plant", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRemoteBackend) remote = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) accepted = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) msg2 = NULL;
  g_autoptr(SoupMessage) msg3 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  SynTestFixture f = { 0 };

  f.store = srv->store;
  f.project = project;
  f.uri = srv->db_uri;
  g_object_unref (fill (&f));
  syn_test_server_add_member (srv, project->id, admin);

  path = g_strdup_printf ("/api/v1/projects/%s/cables.csv?sort=-voltage_drop_pct", project->id);
  csv = get_raw (srv, path, token, NULL, &msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                                          NULL), "text/csv"));
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Synapse-Rows"), ==, "2");
  g_assert_nonnull (strstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                          "Content-Disposition"), "Plant-cables.csv"));
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_nonnull (strstr (text, "voltage drop (%)"));
  g_assert_true (strstr (text, "C-1") < strstr (text, "C-2"));

  /* the list route with Accept: text/csv gives the same file */
  g_free (path);
  path = g_strdup_printf ("/api/v1/projects/%s/cables?sort=-voltage_drop_pct&page=2", project->id);
  accepted = get_raw (srv, path, token, "text/csv", &msg2);
  g_assert_cmpuint (soup_message_get_status (msg2), ==, 200);
  g_assert_true (g_bytes_equal (csv, accepted));

  g_free (path);
  path = g_strdup_printf ("/api/v1/events/timeline.json?project_id=%s&event_types=ASSET_CREATED", project->id);
  json = get_raw (srv, path, token, NULL, &msg3);
  g_assert_cmpuint (soup_message_get_status (msg3), ==, 200);
  {
    g_autoptr(JsonNode) root = syn_json_parse (g_bytes_get_data (json, NULL), (gssize) g_bytes_get_size (json), NULL);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "rows")), ==, 5);
  }

  /* the remote backend gives what the local one does */
  remote = syn_remote_backend_new (srv->url, &error);
  g_assert_no_error (error);
  g_assert_true (syn_remote_backend_login (remote, "admin", SYN_TEST_PASSWORD, NULL, &error));
  g_free (path);
  path = g_strdup_printf ("{\"project_id\": \"%s\", \"kind\": \"cables\", \"format\": \"csv\", "
                          "\"sort\": \"-voltage_drop_pct\"}", project->id);
  answer = call (SYN_BACKEND (remote), SYN_OP_EXPORT, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (answer), "content"), ==, text);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "rows"), ==, 2);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (answer), "filename"), ==, "Plant-cables.csv");

  syn_test_server_stop (srv);
}

/* synapse export: standard output or a file, errors on one line. */
static void
test_cli (SynTestFixture *f, gconstpointer data)
{
  const char *bin = g_getenv ("SYNAPSE_BIN");
  g_autoptr(SynBackend) backend = NULL;
  g_autofree char *out = NULL, *err = NULL, *file = NULL, *written = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;

  if (bin == NULL)
    {
      g_test_skip ("SYNAPSE_BIN is not set");
      return;
    }
  backend = fill (f);
  g_clear_object (&backend);
  file = g_build_filename (f->tmpdir, "out.csv", NULL);
  {
    const char *argv[] = { bin, "export", "assets", "--db", f->uri, "--project", "Test", "--where", "hp>60",
                           "--properties", "hp", "-o", file, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "Wrote 2 assets"));
    g_assert_true (g_file_get_contents (file, &written, NULL, NULL));
    g_assert_nonnull (strstr (written, "P-10,PUMP,,310,,120,"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { bin, "export", "cables", "--db", f->uri, "--project", "Test", "-f", "xml", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "--format is csv or json"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/export/query", test_query);
  SYN_TEST_ADD ("/synapse/export/backend-lists", test_backend_lists);
  SYN_TEST_ADD ("/synapse/export/csv-round-trip", test_csv_round_trip);
  SYN_TEST_ADD ("/synapse/export/timeline", test_timeline_export);
  SYN_TEST_ADD ("/synapse/export/out-of-date", test_out_of_date);
  g_test_add ("/synapse/export/libreoffice", SynTestFixture, GINT_TO_POINTER (SYN_TEST_BACKEND_SQLITE),
              syn_test_fixture_setup, test_libreoffice, syn_test_fixture_teardown);
  g_test_add ("/synapse/export/cli", SynTestFixture, GINT_TO_POINTER (SYN_TEST_BACKEND_SQLITE),
              syn_test_fixture_setup, test_cli, syn_test_fixture_teardown);
  g_test_add_func ("/synapse/export/rest", test_rest);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-revision.c: revised asset lists: rows matched by tag, the diff and its preview, missing tags, manual edits overwritten. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-asset-editor.h"
#include "engine/syn-csv-importer.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-rollback-service.h"
#include "syn-test-fixture.h"

/* --- helpers --------------------------------------------------------------- */

/* Rev A of the list: two centrifugal pumps and a tank. */
static const char *rev_a =
  "TAG,TYPE,DESCRIPTION,AREA,HP,PUMP_TYPE,LENGTH_M\n"
  "210-PP-001,PUMP,Mill discharge pump,210,75,CENTRIFUGAL,120\n"
  "210-PP-002,PUMP,Spare pump,210,20,CENTRIFUGAL,80\n"
  "210-TK-001,TANK,Leach tank,210,,,\n";

/* A motor for every centrifugal pump, a cable for every motor with hp, a
 * heat tracing cable for every pump. */
static const char *chain_rules =
  "[{\"id\": \"motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\","
  "  \"discipline\": \"ELECTRICAL\", \"condition\": {\"asset_type\": \"PUMP\","
  "  \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]},"
  "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
  "              \"inherit_properties\": [\"hp\", \"length_m\"]}},"
  " {\"id\": \"cable\", \"name\": \"FIRM: Motors require Cable\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CABLE\","
  "  \"condition\": {\"asset_type\": \"MOTOR\", \"all\": [{\"key\": \"hp\", \"op\": \"exists\"}]},"
  "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}},"
  " {\"id\": \"heat\", \"name\": \"CLIENT: Pumps get heat tracing\", \"source\": \"CLIENT\", \"action_type\": \"CREATE_CABLE\","
  "  \"condition\": {\"asset_type\": \"PUMP\"},"
  "  \"action\": {\"naming\": \"{tag}-HT\", \"to\": \"source\", \"cable_type\": \"HEAT\", \"sizing\": \"manual\","
  "              \"conductor_size\": \"12 AWG\"}}]";

typedef struct
{
  gboolean revision;
  gboolean dry_run;
  gboolean delete_missing;
  gboolean strict;
} Mode;

static const Mode ADD = { FALSE, FALSE, FALSE, FALSE };
static const Mode REVISION = { TRUE, FALSE, FALSE, FALSE };
static const Mode PREVIEW = { TRUE, TRUE, FALSE, FALSE };
static const Mode DELETE = { TRUE, FALSE, TRUE, FALSE };
static const Mode PREVIEW_DELETE = { TRUE, TRUE, TRUE, FALSE };
static const Mode STRICT = { TRUE, FALSE, FALSE, TRUE };

static JsonObject *
import (SynTestFixture *f, const char *csv, Mode mode)
{
  SynCsvImportOptions options = {
    .mode = mode.revision ? SYN_CSV_IMPORT_REVISION : SYN_CSV_IMPORT_ADD,
    .dry_run = mode.dry_run,
    .delete_missing = mode.delete_missing,
    .strict = mode.strict,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_csv_import_with_options (f->store, f->project->id, "user-1", csv, strlen (csv),
                                                            &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_false (syn_store_in_transaction (f->store));
  return json_object_ref (json_node_get_object (answer));
}

static const char *
status_of (JsonObject *answer)
{
  return json_object_get_string_member (answer, "status");
}

static gint64
int_of (JsonObject *answer, const char *name)
{
  g_assert_true (json_object_has_member (answer, name));
  return json_object_get_int_member (answer, name);
}

/* created, updated, unchanged, missing, deleted, skipped: the answer's
 * counts and the lengths of its diff. */
static void
assert_revision_counts (JsonObject *answer, gint64 created, gint64 updated, gint64 unchanged, gint64 missing,
                        gint64 deleted, gint64 skipped)
{
  JsonObject *diff = json_object_get_object_member (answer, "diff");

  g_assert_cmpstr (json_object_get_string_member (answer, "mode"), ==, "revision");
  g_assert_cmpint (int_of (answer, "created"), ==, created);
  g_assert_cmpint (int_of (answer, "updated"), ==, updated);
  g_assert_cmpint (int_of (answer, "unchanged"), ==, unchanged);
  g_assert_cmpint (int_of (answer, "missing"), ==, missing);
  g_assert_cmpint (int_of (answer, "deleted"), ==, deleted);
  g_assert_cmpint (int_of (answer, "skipped"), ==, skipped);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (diff, "created")), ==, created);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (diff, "updated")), ==, updated);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (diff, "unchanged")), ==, unchanged);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (diff, "missing")), ==, missing);
}

static JsonObject *
diff_entry (JsonObject *answer, const char *section, guint index)
{
  JsonArray *array = json_object_get_array_member (json_object_get_object_member (answer, "diff"), section);

  g_assert_cmpuint (index, <, json_array_get_length (array));
  return json_array_get_object_element (array, index);
}

/* Change @index of an updated entry: its field, old and new (JSON text),
 * whether it overwrote a person's edit. */
static void
assert_change (JsonObject *entry, guint index, const char *field, const char *old, const char *new_value,
               gboolean overwrote)
{
  JsonArray *changes = json_object_get_array_member (entry, "changes");
  JsonObject *change;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  g_assert_cmpuint (index, <, json_array_get_length (changes));
  change = json_array_get_object_element (changes, index);
  old_text = syn_json_to_string (json_object_get_member (change, "old"));
  new_text = syn_json_to_string (json_object_get_member (change, "new"));
  g_assert_cmpstr (json_object_get_string_member (change, "field"), ==, field);
  g_assert_cmpstr (old_text, ==, old);
  g_assert_cmpstr (new_text, ==, new_value);
  g_assert_cmpint (json_object_get_boolean_member (change, "overwrote_manual"), ==, overwrote);
}

static SynAsset *
asset (SynTestFixture *f, const char *tag)
{
  g_autoptr(GError) error = NULL;
  SynAsset *a = syn_store_get_asset_by_tag (f->store, f->project->id, tag, &error);

  g_assert_no_error (error);
  return a;
}

static SynCable *
cable (SynTestFixture *f, const char *tag)
{
  g_autoptr(GError) error = NULL;
  SynCable *c = syn_store_get_cable_by_tag (f->store, f->project->id, tag, &error);

  g_assert_no_error (error);
  return c;
}

static GPtrArray *
batch_events (SynTestFixture *f, JsonObject *answer)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = syn_store_get_events_by_correlation (f->store, f->project->id,
                                                           json_object_get_string_member (answer, "correlation_id"),
                                                           &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

static void
edit (SynTestFixture *f, const char *tag, const char *patch_json)
{
  g_autoptr(SynAsset) a = asset (f, tag);
  g_autoptr(JsonObject) patch = syn_json_parse_object (patch_json, -1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) after = NULL;

  g_assert_nonnull (a);
  after = syn_asset_editor_update (f->store, f->project->id, "person", a->id, patch, NULL, &error);
  g_assert_no_error (error);
}

/* Rev A imported, the rules run: motors 210-M-001 and 210-M-002, each
 * with its cable and the edge to its pump; each pump's heat tracing cable. */
static void
chain_project (SynTestFixture *f)
{
  g_autoptr(JsonObject) imported = NULL;
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(SynCable) power = NULL;

  syn_test_save_rules (f, chain_rules);
  imported = import (f, rev_a, ADD);
  g_assert_cmpstr (status_of (imported), ==, "imported");
  run = syn_test_execute (f);
  g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "completed");
  motor = asset (f, "210-M-001");
  g_assert_nonnull (motor);
  power = cable (f, "210-M-001-PWR");
  g_assert_nonnull (power);
  g_clear_object (&power);
  power = cable (f, "210-PP-001-HT");
  g_assert_nonnull (power);
}

static guint
count_edges (SynTestFixture *f, const char *tag)
{
  g_autoptr(SynAsset) a = asset (f, tag);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) edges = syn_store_list_edges (f->store, f->project->id, a->id, &error);

  g_assert_no_error (error);
  return edges->len;
}

/* --- cases ------------------------------------------------------------------ */

/* Rev B: a changed description and hp, an unchanged row, a new tag, a tag
 * no longer listed. Before, a second import refused every existing tag. */
static void
test_matches_by_tag (SynTestFixture *f, gconstpointer data)
{
  const char *rev_b =
    "TAG,TYPE,DESCRIPTION,AREA,HP,PUMP_TYPE,LENGTH_M\n"
    "210-PP-001,PUMP,Mill discharge pump 1,210,100,CENTRIFUGAL,120\n"
    "210-PP-002,PUMP,Spare pump,210,20,CENTRIFUGAL,80\n"
    "210-PP-003,PUMP,Cyclone feed pump,210,30,CENTRIFUGAL,50\n";
  g_autoptr(JsonObject) first = import (f, rev_a, ADD);
  g_autoptr(JsonObject) answer = import (f, rev_b, REVISION);
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) added = NULL;
  g_autoptr(GPtrArray) events = batch_events (f, answer);
  g_autoptr(SynAsset) p1 = asset (f, "210-PP-001");
  g_autoptr(SynAsset) p3 = asset (f, "210-PP-003");
  g_autoptr(SynAsset) tank = asset (f, "210-TK-001");
  SynEvent *imported, *updated, *created;
  JsonObject *payload, *entry, *diff;
  guint64 events_before;

  assert_revision_counts (answer, 1, 1, 1, 1, 0, 0);
  g_assert_cmpstr (status_of (answer), ==, "imported");
  g_assert_cmpint (int_of (answer, "imported"), ==, 2);
  g_assert_cmpint (int_of (answer, "rows"), ==, 3);
  g_assert_false (json_object_get_boolean_member (answer, "dry_run"));

  entry = diff_entry (answer, "created", 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "tag"), ==, "210-PP-003");
  g_assert_cmpint (json_object_get_int_member (entry, "line"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (entry, "type"), ==, "PUMP");
  entry = diff_entry (answer, "updated", 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "tag"), ==, "210-PP-001");
  g_assert_cmpint (json_object_get_int_member (entry, "line"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (entry, "asset_id"), ==, p1->id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "changes")), ==, 2);
  assert_change (entry, 0, "description", "\"Mill discharge pump\"", "\"Mill discharge pump 1\"", FALSE);
  assert_change (entry, 1, "properties.hp", "\"75\"", "\"100\"", FALSE);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json_object_get_object_member (
                     answer, "diff"), "unchanged"), 0), ==, "210-PP-002");
  entry = diff_entry (answer, "missing", 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "tag"), ==, "210-TK-001");
  g_assert_false (json_object_get_boolean_member (entry, "deleted"));

  /* the project: updated, created, and the missing tank kept */
  g_assert_cmpstr (p1->description, ==, "Mill discharge pump 1");
  g_assert_cmpstr (json_object_get_string_member (p1->properties, "hp"), ==, "100");
  g_assert_nonnull (p3);
  g_assert_nonnull (tank);

  /* one batch: CSV_IMPORTED (mode and counts), then the rows in file order,
   * nothing for the unchanged one */
  g_assert_cmpuint (events->len, ==, 3);
  imported = g_ptr_array_index (events, 0);
  updated = g_ptr_array_index (events, 1);
  created = g_ptr_array_index (events, 2);
  g_assert_cmpstr (imported->event_type, ==, "CSV_IMPORTED");
  payload = json_node_get_object (imported->payload);
  g_assert_cmpstr (json_object_get_string_member (payload, "mode"), ==, "revision");
  g_assert_cmpint (json_object_get_int_member (payload, "created"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (payload, "updated"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (payload, "unchanged"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (payload, "missing"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (payload, "deleted"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (payload, "rows"), ==, 3);
  g_assert_cmpstr (updated->event_type, ==, "ASSET_UPDATED");
  g_assert_cmpstr (updated->aggregate_id, ==, p1->id);
  g_assert_cmpstr (updated->causation_id, ==, imported->id);
  diff = json_object_get_object_member (json_node_get_object (updated->payload), "diff");
  g_assert_cmpstr (json_object_get_string_member (diff, "description"), ==, "Mill discharge pump 1");
  g_assert_false (json_object_has_member (json_node_get_object (updated->payload), "overwrote_manual"));
  g_assert_cmpstr (created->event_type, ==, "ASSET_CREATED");
  g_assert_cmpstr (created->aggregate_id, ==, p3->id);
  g_assert_cmpstr (created->causation_id, ==, imported->id);

  /* the same list again: nothing to write */
  events_before = syn_test_count_events (f);
  again = import (f, rev_b, REVISION);
  g_assert_cmpstr (status_of (again), ==, "unchanged");
  assert_revision_counts (again, 0, 0, 3, 1, 0, 0);
  g_assert_true (json_object_get_null_member (again, "correlation_id"));
  g_assert_cmpuint (syn_test_count_events (f), ==, events_before);

  /* an import of new tags still refuses the ones the project has */
  added = import (f, rev_b, ADD);
  g_assert_cmpstr (status_of (added), ==, "empty");
  g_assert_cmpint (int_of (added, "skipped"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (added, "errors")), ==, 3);
  g_assert_cmpuint (syn_test_count_events (f), ==, events_before);
  (void) first;
}

/* A preview prints the diff and writes nothing: same events, same state. */
static void
test_dry_run_writes_nothing (SynTestFixture *f, gconstpointer data)
{
  const char *rev_b =
    "TAG,TYPE,DESCRIPTION,AREA,HP,PUMP_TYPE,LENGTH_M\n"
    "210-PP-002,PUMP,Spare pump,210,25,CENTRIFUGAL,80\n"
    "210-TK-001,TANK,Leach tank,210,,,\n"
    "210-PP-004,PUMP,Thickener underflow pump,210,40,CENTRIFUGAL,60\n";
  g_autoptr(JsonObject) preview = NULL;
  g_autoptr(JsonObject) preview_delete = NULL;
  g_autoptr(JsonObject) real = NULL;
  g_autofree char *hash_before = NULL;
  g_autofree char *hash_after = NULL;
  guint64 events_before;
  JsonObject *entry;

  chain_project (f);
  hash_before = syn_test_state_hash (f);
  events_before = syn_test_count_events (f);

  preview = import (f, rev_b, PREVIEW);
  g_assert_cmpstr (status_of (preview), ==, "preview");
  g_assert_true (json_object_get_boolean_member (preview, "dry_run"));
  g_assert_true (json_object_get_null_member (preview, "correlation_id"));
  assert_revision_counts (preview, 1, 1, 1, 1, 0, 0);
  g_assert_cmpint (int_of (preview, "imported"), ==, 2);
  assert_change (diff_entry (preview, "updated", 0), 0, "properties.hp", "\"20\"", "\"25\"", FALSE);
  /* a rule's output is never missing: only the pump the list dropped */
  entry = diff_entry (preview, "missing", 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "tag"), ==, "210-PP-001");
  g_assert_false (json_object_has_member (entry, "edges"));

  /* with delete_missing the preview counts what the delete would take */
  preview_delete = import (f, rev_b, PREVIEW_DELETE);
  g_assert_cmpstr (status_of (preview_delete), ==, "preview");
  assert_revision_counts (preview_delete, 1, 1, 1, 1, 0, 0);
  entry = diff_entry (preview_delete, "missing", 0);
  g_assert_false (json_object_get_boolean_member (entry, "deleted"));
  g_assert_cmpint (json_object_get_int_member (entry, "edges"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (entry, "cables"), ==, 1);

  hash_after = syn_test_state_hash (f);
  g_assert_cmpstr (hash_after, ==, hash_before);
  g_assert_cmpuint (syn_test_count_events (f), ==, events_before);

  /* and the import does what the preview said */
  real = import (f, rev_b, DELETE);
  g_assert_cmpstr (status_of (real), ==, "imported");
  assert_revision_counts (real, 1, 1, 1, 1, 1, 0);
  entry = diff_entry (real, "missing", 0);
  g_assert_true (json_object_get_boolean_member (entry, "deleted"));
  g_assert_cmpint (json_object_get_int_member (entry, "edges"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (entry, "cables"), ==, 1);
}

/* Missing tags are deleted only on demand, as a manual delete does: their
 * edges and cables first, in the import's batch, caused by its
 * CSV_IMPORTED. The next run takes back what the rules made from them. */
static void
test_delete_missing (SynTestFixture *f, gconstpointer data)
{
  const char *rev_b =
    "TAG,TYPE,DESCRIPTION,AREA,HP,PUMP_TYPE,LENGTH_M\n"
    "210-PP-002,PUMP,Spare pump,210,20,CENTRIFUGAL,80\n"
    "210-TK-001,TANK,Leach tank,210,,,\n";
  g_autoptr(JsonObject) kept = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SynAsset) pump = NULL;
  g_autoptr(SynAsset) gone = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(SynCable) power = NULL;
  g_autoptr(SynCable) other = NULL;
  SynEvent *imported;
  guint n_edge = 0, n_cable = 0, n_asset = 0;

  chain_project (f);
  pump = asset (f, "210-PP-001");
  g_assert_cmpuint (count_edges (f, "210-PP-001"), ==, 1);

  /* without delete_missing: listed, kept */
  kept = import (f, rev_b, REVISION);
  g_assert_cmpstr (status_of (kept), ==, "unchanged");
  assert_revision_counts (kept, 0, 0, 2, 1, 0, 0);
  gone = asset (f, "210-PP-001");
  g_assert_nonnull (gone);
  g_clear_object (&gone);

  answer = import (f, rev_b, DELETE);
  g_assert_cmpstr (status_of (answer), ==, "imported");
  assert_revision_counts (answer, 0, 0, 2, 1, 1, 0);
  g_assert_true (json_object_get_boolean_member (answer, "delete_missing"));
  gone = asset (f, "210-PP-001");
  g_assert_null (gone);
  power = cable (f, "210-PP-001-HT");
  g_assert_null (power);
  g_assert_cmpuint (count_edges (f, "210-M-001"), ==, 0);
  other = cable (f, "210-PP-002-HT");
  g_assert_nonnull (other);
  g_assert_cmpuint (count_edges (f, "210-PP-002"), ==, 1);

  events = batch_events (f, answer);
  imported = g_ptr_array_index (events, 0);
  g_assert_cmpstr (imported->event_type, ==, "CSV_IMPORTED");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (imported->payload), "deleted"), ==, 1);
  for (guint i = 1; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      g_assert_cmpstr (e->causation_id, ==, imported->id);
      n_edge += g_str_equal (e->event_type, "RELATIONSHIP_DELETED");
      n_cable += g_str_equal (e->event_type, "CABLE_DELETED");
      if (g_str_equal (e->event_type, "ASSET_DELETED"))
        {
          n_asset++;
          g_assert_cmpstr (e->aggregate_id, ==, pump->id);
          /* the asset goes last: nothing is left pointing at it */
          g_assert_cmpuint (i, ==, events->len - 1);
        }
    }
  g_assert_cmpuint (n_edge, ==, 1);
  g_assert_cmpuint (n_cable, ==, 1);
  g_assert_cmpuint (n_asset, ==, 1);

  /* the motor had its source taken: the next run takes it back */
  run = syn_test_execute (f);
  g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "completed");
  motor = asset (f, "210-M-001");
  g_assert_null (motor);
  g_clear_object (&power);
  power = cable (f, "210-M-001-PWR");
  g_assert_null (power);
}

/* A revision with every kind of write rolls back to the state before it. */
static void
test_rolls_back_exactly (SynTestFixture *f, gconstpointer data)
{
  const char *rev_b =
    "TAG,TYPE,DESCRIPTION,AREA,HP,PUMP_TYPE,LENGTH_M\n"
    "210-PP-002,PUMP,Spare pump (standby),210,30,CENTRIFUGAL,\n"
    "210-TK-002,TANK,Leach tank 2,210,,,\n";
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonNode) rolled_back = NULL;
  g_autoptr(SynAsset) pump = NULL;
  g_autoptr(SynAsset) tank = NULL;
  g_autoptr(SynCable) power = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash_before = NULL;
  g_autofree char *hash_after = NULL;

  chain_project (f);
  hash_before = syn_test_state_hash (f);

  /* updated (a blank cell takes length_m away), created, two deleted */
  answer = import (f, rev_b, DELETE);
  assert_revision_counts (answer, 1, 1, 0, 2, 2, 0);
  assert_change (diff_entry (answer, "updated", 0), 2, "properties.length_m", "\"80\"", "null", FALSE);
  hash_after = syn_test_state_hash (f);
  g_assert_cmpstr (hash_after, !=, hash_before);
  g_clear_pointer (&hash_after, g_free);

  rolled_back = syn_rollback_service_rollback (f->store, f->project->id,
                                               json_object_get_string_member (answer, "correlation_id"),
                                               "user-1", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rolled_back);
  hash_after = syn_test_state_hash (f);
  g_assert_cmpstr (hash_after, ==, hash_before);
  pump = asset (f, "210-PP-001");
  g_assert_nonnull (pump);
  tank = asset (f, "210-TK-002");
  g_assert_null (tank);
  power = cable (f, "210-PP-001-HT");
  g_assert_nonnull (power);
}

/* A value a person set by hand since the last import: the file's value
 * wins, and the preview and the ASSET_UPDATED say it overwrote a manual
 * edit. A value the file agrees with, or that only an import wrote, is no
 * such thing. */
static void
test_manual_edit_overwritten (SynTestFixture *f, gconstpointer data)
{
  const char *rev_b =
    "TAG,TYPE,DESCRIPTION,AREA,HP,PUMP_TYPE,LENGTH_M\n"
    "210-PP-001,PUMP,Mill discharge pump,210,100,CENTRIFUGAL,130\n"
    "210-PP-002,PUMP,Spare pump,210,25,CENTRIFUGAL,80\n"
    "210-TK-001,TANK,Leach tank,210,,,\n";
  g_autoptr(JsonObject) first = import (f, rev_a, ADD);
  g_autoptr(JsonObject) preview = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SynAsset) p1 = NULL;
  JsonObject *entry, *payload;
  JsonArray *overwrote;

  edit (f, "210-PP-001", "{\"description\": \"Hand-written\", \"properties\": {\"hp\": 80}}");
  /* a person's value the file agrees with (25 and "25") changes nothing */
  edit (f, "210-PP-002", "{\"properties\": {\"hp\": 25}}");

  preview = import (f, rev_b, PREVIEW);
  assert_revision_counts (preview, 0, 1, 2, 0, 0, 0);
  entry = diff_entry (preview, "updated", 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "tag"), ==, "210-PP-001");
  assert_change (entry, 0, "description", "\"Hand-written\"", "\"Mill discharge pump\"", TRUE);
  assert_change (entry, 1, "properties.hp", "80", "\"100\"", TRUE);
  assert_change (entry, 2, "properties.length_m", "\"120\"", "\"130\"", FALSE);
  overwrote = json_object_get_array_member (entry, "overwrote_manual");
  g_assert_cmpuint (json_array_get_length (overwrote), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (overwrote, 0), ==, "description");
  g_assert_cmpstr (json_array_get_string_element (overwrote, 1), ==, "properties.hp");

  answer = import (f, rev_b, REVISION);
  g_assert_cmpstr (status_of (answer), ==, "imported");
  p1 = asset (f, "210-PP-001");
  g_assert_cmpstr (p1->description, ==, "Mill discharge pump");
  g_assert_cmpstr (json_object_get_string_member (p1->properties, "hp"), ==, "100");
  events = batch_events (f, answer);
  g_assert_cmpuint (events->len, ==, 2);
  payload = json_node_get_object (((SynEvent *) g_ptr_array_index (events, 1))->payload);
  overwrote = json_object_get_array_member (payload, "overwrote_manual");
  g_assert_nonnull (overwrote);
  g_assert_cmpuint (json_array_get_length (overwrote), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (overwrote, 0), ==, "description");
  g_assert_cmpstr (json_array_get_string_element (overwrote, 1), ==, "properties.hp");

  /* the import is now the last writer: a later revision overwrites no one */
  again = import (f, "TAG,TYPE,DESCRIPTION\n210-PP-001,PUMP,Mill discharge pump A\n", PREVIEW);
  assert_change (diff_entry (again, "updated", 0), 0, "description", "\"Mill discharge pump\"",
                 "\"Mill discharge pump A\"", FALSE);
  (void) first;
}

/* Semicolon and tab files are read (the header says which); a '|' file is
 * refused naming its delimiter, and nothing is written. */
static void
test_delimiters (SynTestFixture *f, gconstpointer data)
{
  const char *semicolons =
    "TAG;TYPE;DESCRIPTION;AREA;HP;PUMP_TYPE;LENGTH_M\n"
    "210-PP-001;PUMP;Mill discharge pump;210;90;CENTRIFUGAL;120\n"
    "210-PP-002;PUMP;\"Spare; standby\";210;20;CENTRIFUGAL;80\n"
    "210-TK-001;TANK;Leach tank;210;;;\n";
  const char *tabs =
    "TAG\tTYPE\tDESCRIPTION\tAREA\tHP\tPUMP_TYPE\tLENGTH_M\n"
    "210-PP-001\tPUMP\tMill discharge pump\t210\t90\tCENTRIFUGAL\t120\n"
    "210-PP-002\tPUMP\tSpare; standby\t210\t20\tCENTRIFUGAL\t80\n"
    "210-TK-001\tTANK\tLeach tank\t210\t\t\t\n"
    "210-TK-002\tTANK\tLeach tank 2\t210\t\t\t\n";
  const char *pipes = "TAG|TYPE|HP\n210-PP-001|PUMP|100\n";
  SynCsvImportOptions options = { .mode = SYN_CSV_IMPORT_REVISION };
  g_autoptr(JsonObject) first = import (f, rev_a, ADD);
  g_autoptr(JsonObject) semi = import (f, semicolons, REVISION);
  g_autoptr(JsonObject) tab = import (f, tabs, REVISION);
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) p2 = asset (f, "210-PP-002");
  g_autoptr(SynAsset) t2 = asset (f, "210-TK-002");
  guint64 events_before = syn_test_count_events (f);

  assert_revision_counts (semi, 0, 2, 1, 0, 0, 0);
  assert_change (diff_entry (semi, "updated", 0), 0, "properties.hp", "\"75\"", "\"90\"", FALSE);
  assert_change (diff_entry (semi, "updated", 1), 0, "description", "\"Spare pump\"", "\"Spare; standby\"", FALSE);
  assert_revision_counts (tab, 1, 0, 3, 0, 0, 0);
  g_assert_cmpstr (p2->description, ==, "Spare; standby");
  g_assert_nonnull (t2);

  refused = syn_csv_import_with_options (f->store, f->project->id, NULL, pipes, strlen (pipes), &options, &error);
  g_assert_null (refused);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_CSV);
  g_assert_nonnull (strstr (error->message, "separated by '|'"));
  g_assert_cmpuint (syn_test_count_events (f), ==, events_before);
  (void) first;
}

/* A type no rule and no earlier import knows is a warning on its first
 * row, the rows still taken; in strict mode too. */
static void
test_unknown_type_warning (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GPtrArray) events = NULL;
  JsonArray *warnings;
  JsonObject *w;

  syn_test_save_rules (f, chain_rules);
  first = import (f,
                  "TAG,TYPE\n"
                  "P-1,PUMP\n"      /* the motor rule's */
                  "M-9,MOTOR\n"     /* the child it makes */
                  "P-2,PUPM\n"      /* 4: a typo */
                  "T-1,TANK\n"      /* 5: no rule, nothing in the project */
                  "P-3,pupm\n",     /* upper-cased: PUPM again */
                  ADD);
  g_assert_cmpstr (status_of (first), ==, "imported");
  g_assert_cmpint (int_of (first, "imported"), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "errors")), ==, 0);
  warnings = json_object_get_array_member (first, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 2);
  w = json_array_get_object_element (warnings, 0);
  g_assert_cmpint (json_object_get_int_member (w, "line"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (w, "message"), ==,
                   "Unknown type \"PUPM\": no rule and no earlier import knows it (2 rows)");
  w = json_array_get_object_element (warnings, 1);
  g_assert_cmpint (json_object_get_int_member (w, "line"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (w, "message"), ==,
                   "Unknown type \"TANK\": no rule and no earlier import knows it (1 row)");
  events = batch_events (f, first);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (((SynEvent *) g_ptr_array_index (events, 0))
                                                                     ->payload), "warnings"), ==, 2);

  /* the project knows TANK now; a warning does not refuse a strict import */
  second = import (f, "TAG,TYPE\nT-2,TANK\nV-1,VALVE\n", STRICT);
  g_assert_cmpstr (status_of (second), ==, "imported");
  warnings = json_object_get_array_member (second, "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (warnings, 0), "line"), ==, 3);
}

/* Row errors: the rows are skipped (counted), their tags not missing;
 * strict refuses all. */
static void
test_row_errors (SynTestFixture *f, gconstpointer data)
{
  const char *rev_b =
    "TAG,TYPE,DESCRIPTION,AREA,DISCIPLINE\n"
    "210-PP-001,,No type,210,\n"                     /* 2: error, still named */
    "210-PP-002,PUMP,Spare pump,210,mechanical\n"    /* 3: updated (discipline) */
    "210-PP-002,PUMP,Again,210,\n"                   /* 4: duplicate */
    "210-PP-005,PUMP,New,210,ELEC\n";                /* 5: unknown discipline */
  g_autoptr(JsonObject) first = import (f, rev_a, ADD);
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *hash_before = syn_test_state_hash (f);
  g_autofree char *hash_after = NULL;
  JsonObject *entry;

  refused = import (f, rev_b, STRICT);
  g_assert_cmpstr (status_of (refused), ==, "refused");
  g_assert_cmpint (int_of (refused, "imported"), ==, 0);
  g_assert_cmpint (int_of (refused, "skipped"), ==, 4);
  hash_after = syn_test_state_hash (f);
  g_assert_cmpstr (hash_after, ==, hash_before);

  answer = import (f, rev_b, REVISION);
  g_assert_cmpstr (status_of (answer), ==, "imported");
  /* 3 rows skipped; the tank is missing, 210-PP-001 (a bad row) is not */
  assert_revision_counts (answer, 0, 1, 0, 1, 0, 3);
  g_assert_cmpint (int_of (answer, "rows"), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "errors")), ==, 3);
  entry = diff_entry (answer, "missing", 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "tag"), ==, "210-TK-001");
  assert_change (diff_entry (answer, "updated", 0), 0, "discipline", "null", "\"MECHANICAL\"", FALSE);
  (void) first;
}

/* After a revision that changes hp, a run re-derives the motor and resizes
 * its cable. */
static void
test_execute_rederives (SynTestFixture *f, gconstpointer data)
{
  const char *rev_b =
    "TAG,TYPE,DESCRIPTION,AREA,HP,PUMP_TYPE,LENGTH_M\n"
    "210-PP-001,PUMP,Mill discharge pump,210,250,CENTRIFUGAL,120\n"
    "210-PP-002,PUMP,Spare pump,210,20,CENTRIFUGAL,80\n"
    "210-TK-001,TANK,Leach tank,210,,,\n";
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(SynCable) before = NULL;
  g_autoptr(SynCable) after = NULL;
  g_autoptr(SynAsset) other = NULL;

  chain_project (f);
  before = cable (f, "210-M-001-PWR");
  answer = import (f, rev_b, REVISION);
  assert_revision_counts (answer, 0, 1, 2, 0, 0, 0);

  run = syn_test_execute (f);
  g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "completed");
  motor = asset (f, "210-M-001");
  g_assert_cmpstr (json_object_get_string_member (motor->properties, "hp"), ==, "250");
  after = cable (f, "210-M-001-PWR");
  g_assert_cmpstr (after->id, ==, before->id);
  g_assert_cmpfloat (after->flc_a, >, before->flc_a);
  other = asset (f, "210-M-002");
  g_assert_cmpstr (json_object_get_string_member (other->properties, "hp"), ==, "20");
}

/* The backend operation: mode, dry_run and delete_missing as the query
 * string gives them (text), and their misuse named. */
static void
test_backend_op (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) local = syn_local_backend_new (f->uri, &error);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) first = import (f, rev_a, ADD);
  g_autoptr(SynAsset) tank = NULL;
  guint64 events_before = syn_test_count_events (f);

  g_assert_no_error (error);
  json_object_set_string_member (params, "project_id", f->project->name);
  json_object_set_string_member (params, "csv", "TAG,TYPE\n210-PP-001,PUMP\n210-PP-002,PUMP\n");
  json_object_set_string_member (params, "mode", "revision");
  json_object_set_string_member (params, "dry_run", "true");
  json_object_set_string_member (params, "delete_missing", "true");
  answer = syn_backend_call_sync (SYN_BACKEND (local), SYN_OP_IMPORT_CSV, params, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status_of (json_node_get_object (answer)), ==, "preview");
  assert_revision_counts (json_node_get_object (answer), 0, 0, 2, 1, 0, 0);
  g_assert_cmpuint (syn_test_count_events (f), ==, events_before);
  g_clear_pointer (&answer, json_node_unref);

  json_object_set_string_member (params, "dry_run", "false");
  answer = syn_backend_call_sync (SYN_BACKEND (local), SYN_OP_IMPORT_CSV, params, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status_of (json_node_get_object (answer)), ==, "imported");
  tank = asset (f, "210-TK-001");
  g_assert_null (tank);
  g_clear_pointer (&answer, json_node_unref);

  json_object_set_string_member (params, "mode", "revise");
  answer = syn_backend_call_sync (SYN_BACKEND (local), SYN_OP_IMPORT_CSV, params, NULL, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "mode"));
  g_clear_error (&error);

  json_object_set_string_member (params, "mode", "add");
  answer = syn_backend_call_sync (SYN_BACKEND (local), SYN_OP_IMPORT_CSV, params, NULL, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "delete_missing"));
  g_clear_error (&error);

  json_object_set_string_member (params, "mode", "revision");
  json_object_set_string_member (params, "dry_run", "perhaps");
  answer = syn_backend_call_sync (SYN_BACKEND (local), SYN_OP_IMPORT_CSV, params, NULL, &error);
  g_assert_error (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "dry_run"));
  (void) first;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/revision/matches-by-tag", test_matches_by_tag);
  SYN_TEST_ADD ("/synapse/revision/dry-run-writes-nothing", test_dry_run_writes_nothing);
  SYN_TEST_ADD ("/synapse/revision/delete-missing", test_delete_missing);
  SYN_TEST_ADD ("/synapse/revision/rolls-back-exactly", test_rolls_back_exactly);
  SYN_TEST_ADD ("/synapse/revision/manual-edit-overwritten", test_manual_edit_overwritten);
  SYN_TEST_ADD ("/synapse/revision/delimiters", test_delimiters);
  SYN_TEST_ADD ("/synapse/revision/unknown-type-warning", test_unknown_type_warning);
  SYN_TEST_ADD ("/synapse/revision/row-errors", test_row_errors);
  SYN_TEST_ADD ("/synapse/revision/execute-rederives", test_execute_rederives);
  SYN_TEST_ADD ("/synapse/revision/backend-op", test_backend_op);

  return g_test_run ();
}

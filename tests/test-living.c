/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-living.c: the living model: outputs follow their inputs, one run settles, a person's edits hold, rule changes are events. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-asset-editor.h"
#include "engine/syn-derivation.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-explainer.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-rule-editor.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-rule-parser.h"
#include "engine/syn-state-hash.h"
#include "syn-test-fixture.h"

/* --- helpers --------------------------------------------------------------- */

static const char *chain_rules =
  "[{\"id\": \"motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\","
  "  \"discipline\": \"ELECTRICAL\", \"condition\": {\"asset_type\": \"PUMP\","
  "  \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]},"
  "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
  "              \"inherit_properties\": [\"hp\", \"length_m\"], \"properties\": {\"enclosure\": \"TEFC\"}}},"
  " {\"id\": \"volts\", \"name\": \"COUNTRY: Motors are 600 V\", \"source\": \"COUNTRY\", \"action_type\": \"SET_PROPERTY\","
  "  \"is_enforced\": true, \"condition\": {\"asset_type\": \"MOTOR\", \"project_country\": \"CA\"},"
  "  \"action\": {\"properties\": {\"voltage\": 600}}},"
  " {\"id\": \"cable\", \"name\": \"FIRM: Motors require Cable\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CABLE\","
  "  \"condition\": {\"asset_type\": \"MOTOR\", \"all\": [{\"key\": \"hp\", \"op\": \"exists\"}]},"
  "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}}]";

static SynRule *
save_rule (SynTestFixture *f, const char *project_id, JsonObject *definition)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRule) rule = syn_rule_parse (definition, project_id, &error);
  SynRule *saved;

  g_assert_no_error (error);
  saved = syn_rule_editor_save (f->store, rule, "tester", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  return saved;
}

static void
save_rules (SynTestFixture *f, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = syn_json_parse (json, -1, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    g_object_unref (save_rule (f, f->project->id, json_array_get_object_element (json_node_get_array (root), i)));
}

static SynAsset *
add_asset (SynTestFixture *f, const char *tag, const char *type, const char *area, const char *props_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  SynAsset *asset;

  json_object_set_string_member (fields, "tag", tag);
  json_object_set_string_member (fields, "type", type);
  if (area != NULL)
    json_object_set_string_member (fields, "area", area);
  if (props_json != NULL)
    json_object_set_object_member (fields, "properties", syn_json_parse_object (props_json, -1, NULL));
  asset = syn_asset_editor_create (f->store, f->project->id, "tester", fields, NULL, &error);
  g_assert_no_error (error);
  return asset;
}

static JsonObject *
run_full (SynTestFixture *f, const char *filters_json, SynEngineMessageFunc message, gpointer data)
{
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (syn_store_get_uri (f->store));
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (request, "project_id", f->project->id);
  json_object_set_string_member (request, "mode", "execute");
  if (filters_json != NULL)
    json_object_set_object_member (request, "filters", syn_json_parse_object (filters_json, -1, NULL));
  answer = syn_rule_engine_run (engine, f->store, NULL, request, "tester", NULL, NULL, message, data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return json_object_ref (json_node_get_object (answer));
}

static JsonObject *
run_filtered (SynTestFixture *f, const char *filters_json)
{
  return run_full (f, filters_json, NULL, NULL);
}

static JsonObject *
run (SynTestFixture *f)
{
  return run_filtered (f, NULL);
}

static gint64
summary_int (JsonObject *answer, const char *section, const char *name)
{
  JsonObject *s = json_object_get_object_member (answer, "summary");

  if (section != NULL)
    s = json_object_get_object_member (s, section);
  return json_object_get_int_member (s, name);
}

static guint64
count_events (SynTestFixture *f, const char *types)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) page = NULL;
  guint64 total = 0;

  q->limit = 1;
  q->include_rolled_back = TRUE;
  if (types != NULL)
    q->event_types = g_strsplit (types, ",", -1);
  page = syn_store_query_events (f->store, q, &total, NULL);
  g_assert_nonnull (page);
  return total;
}

/* The newest event of a type, as JSON payload. */
static SynEvent *
newest (SynTestFixture *f, const char *type)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) page = NULL;

  q->limit = 1;
  q->event_types = g_strsplit (type, ",", -1);
  page = syn_store_query_events (f->store, q, NULL, NULL);
  g_assert_nonnull (page);
  return page->len > 0 ? g_object_ref (g_ptr_array_index (page, 0)) : NULL;
}

static SynAsset *
asset (SynTestFixture *f, const char *tag)
{
  return syn_store_get_asset_by_tag (f->store, f->project->id, tag, NULL);
}

static SynCable *
cable (SynTestFixture *f, const char *tag)
{
  return syn_store_get_cable_by_tag (f->store, f->project->id, tag, NULL);
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

static void
assert_up_to_date (SynTestFixture *f)
{
  guint64 before = count_events (f, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) status = syn_rule_engine_status (f->store, f->project->id, &error);
  g_autoptr(JsonObject) again = NULL;

  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (status), "up_to_date"));
  again = run (f);
  g_assert_cmpstr (json_object_get_string_member (again, "status"), ==, "up_to_date");
  g_assert_true (json_object_get_null_member (again, "correlation_id"));
  g_assert_cmpuint (count_events (f, NULL), ==, before);
}

static void
chain_project (SynTestFixture *f)
{
  g_object_unref (add_asset (f, "210-PP-001", "PUMP", "210",
                             "{\"pump_type\": \"CENTRIFUGAL\", \"hp\": 50, \"length_m\": 120}"));
  save_rules (f, chain_rules);
  json_object_unref (run (f));
}

/* --- what was wrong, each now a regression test ---------------------------- */

/* A pump's hp changed: its motor follows and its cable is resized. */
static void
test_input_change_updates_outputs (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynCable) before = NULL;
  g_autoptr(SynCable) after = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(SynEvent) resized = NULL;
  g_autoptr(SynEvent) cause = NULL;
  JsonObject *diff, *rules;

  chain_project (f);
  before = cable (f, "210-M-001-PWR");
  g_assert_cmpstr (before->conductor_size, ==, "6 AWG");
  edit (f, "210-PP-001", "{\"properties\": {\"hp\": 300}}");

  /* out of date, and status says by how much, writing nothing */
  status = syn_rule_engine_status (f->store, f->project->id, NULL);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (status), "up_to_date"));
  rules = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status), "rules"), 0);
  g_assert_cmpint (json_object_get_int_member (rules, "update"), ==, 1);

  answer = run (f);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "completed");
  g_assert_cmpint (summary_int (answer, "updated", "assets"), ==, 1);
  g_assert_cmpint (summary_int (answer, "updated", "cables"), ==, 1);
  g_assert_cmpint (summary_int (answer, "created", "assets"), ==, 0);
  motor = asset (f, "210-M-001");
  g_assert_cmpint (json_object_get_int_member (motor->properties, "hp"), ==, 300);
  after = cable (f, "210-M-001-PWR");
  g_assert_cmpstr (after->id, ==, before->id);
  g_assert_cmpstr (after->conductor_size, !=, "6 AWG");
  g_assert_cmpfloat (after->flc_a, >, before->flc_a);

  resized = newest (f, "CABLE_UPDATED");
  diff = json_object_get_object_member (json_node_get_object (resized->payload), "diff");
  g_assert_true (json_object_has_member (diff, "conductor_size"));
  g_assert_true (json_object_has_member (diff, "flc_a"));
  g_assert_true (json_object_has_member (json_node_get_object (resized->payload), "before"));
  cause = syn_store_get_event (f->store, resized->causation_id, NULL);
  g_assert_cmpstr (cause->event_type, ==, "RULE_EXECUTED");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (cause->payload), "reason"), ==, "updated");
  assert_up_to_date (f);
}

/* A rule whose condition no longer holds takes back its output, and what hangs on it. */
static void
test_condition_false_retracts (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(SynCable) c = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(SynEvent) cause = NULL;
  g_autoptr(SynEvent) deleted = NULL;

  chain_project (f);
  edit (f, "210-PP-001", "{\"properties\": {\"pump_type\": \"SLURRY\"}}");
  answer = run (f);
  g_assert_cmpint (summary_int (answer, "retracted", "assets"), ==, 1);
  g_assert_cmpint (summary_int (answer, "retracted", "cables"), ==, 1);
  motor = asset (f, "210-M-001");
  g_assert_null (motor);
  c = cable (f, "210-M-001-PWR");
  g_assert_null (c);
  edges = syn_store_list_edges (f->store, f->project->id, NULL, NULL);
  g_assert_cmpuint (edges->len, ==, 0);
  deleted = newest (f, "ASSET_DELETED");
  cause = syn_store_get_event (f->store, deleted->causation_id, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (cause->payload), "reason"), ==, "retracted");
  assert_up_to_date (f);
}

/* Switched off, or removed: its outputs go at the next run. */
static void
test_inactive_and_removed_rule_retract (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(SynRule) off = NULL;
  g_autoptr(SynRule) saved = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynCable) c = NULL;
  g_autoptr(SynAsset) motor = NULL;

  chain_project (f);
  rule = syn_store_get_rule (f->store, "cable", NULL);
  off = syn_rule_copy (rule);
  off->is_active = FALSE;
  saved = syn_rule_editor_save (f->store, off, "tester", NULL, &error);
  g_assert_no_error (error);
  first = run (f);
  g_assert_cmpint (summary_int (first, "retracted", "cables"), ==, 1);
  c = cable (f, "210-M-001-PWR");
  g_assert_null (c);
  assert_up_to_date (f);

  g_assert_true (syn_rule_editor_delete (f->store, "motor", NULL, "tester", NULL, &error));
  g_assert_no_error (error);
  second = run (f);
  g_assert_cmpint (summary_int (second, "retracted", "assets"), ==, 1);
  motor = asset (f, "210-M-001");
  g_assert_null (motor);
  assert_up_to_date (f);
}

/* The source deleted: what rules made from it goes at the next run. */
static void
test_deleted_source_retracts (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) pump = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(SynAsset) gone = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  chain_project (f);
  pump = asset (f, "210-PP-001");
  g_assert_true (syn_asset_editor_delete (f->store, f->project->id, "person", pump->id, NULL, &error));
  g_assert_no_error (error);
  motor = asset (f, "210-M-001");
  g_assert_nonnull (motor);
  answer = run (f);
  g_assert_cmpint (summary_int (answer, "retracted", "assets"), ==, 1);
  gone = asset (f, "210-M-001");
  g_assert_null (gone);
  assert_up_to_date (f);
}

/* A changed naming template renames the child instead of making a second. */
static void
test_template_change_renames (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(SynRule) renamed = NULL;
  g_autoptr(SynRule) saved = NULL;
  g_autoptr(SynAsset) old_motor = NULL;
  g_autoptr(SynAsset) new_motor = NULL;
  g_autoptr(SynAsset) gone = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) motors = NULL;
  g_autoptr(GError) error = NULL;

  chain_project (f);
  old_motor = asset (f, "210-M-001");
  rule = syn_store_get_rule (f->store, "motor", NULL);
  renamed = syn_rule_copy (rule);
  json_object_set_string_member (json_node_get_object (renamed->action), "naming", "{area}-MTR-{tag_number}");
  saved = syn_rule_editor_save (f->store, renamed, "tester", NULL, &error);
  g_assert_no_error (error);
  answer = run (f);
  g_assert_cmpint (summary_int (answer, "created", "assets"), ==, 0);
  new_motor = asset (f, "210-MTR-001");
  g_assert_nonnull (new_motor);
  g_assert_cmpstr (new_motor->id, ==, old_motor->id);
  gone = asset (f, "210-M-001");
  g_assert_null (gone);
  motors = syn_store_list_assets (f->store, f->project->id, "MOTOR", NULL, 0, 0, NULL, NULL);
  g_assert_cmpuint (motors->len, ==, 1);
  /* the cable's tag follows the motor's */
  {
    g_autoptr(SynCable) c = cable (f, "210-MTR-001-PWR");

    g_assert_nonnull (c);
  }
  assert_up_to_date (f);
}

/* A cable rule that sorts before the motor rule still cables the motor in the same run. */
static void
test_one_run_settles (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(SynCable) c = NULL;

  g_object_unref (add_asset (f, "210-PP-001", "PUMP", "210",
                             "{\"pump_type\": \"CENTRIFUGAL\", \"hp\": 50, \"length_m\": 120}"));
  /* CLIENT 100 runs before FIRM 10: its load, the motor, does not exist yet in pass 1 */
  save_rules (f,
              "[{\"id\": \"motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
              "  \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
              "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
              "              \"inherit_properties\": [\"hp\", \"length_m\"]}},"
              " {\"id\": \"pump-cable\", \"name\": \"CLIENT: Pumps have a Motor Cable\", \"source\": \"CLIENT\","
              "  \"action_type\": \"CREATE_CABLE\", \"condition\": {\"asset_type\": \"PUMP\"},"
              "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"child:MOTOR\", \"cable_type\": \"TECK90\","
              "              \"sizing\": \"auto\"}}]");
  answer = run (f);
  g_assert_cmpint (summary_int (answer, "created", "cables"), ==, 1);
  c = cable (f, "210-PP-001-PWR");
  g_assert_nonnull (c);
  assert_up_to_date (f);
}

/* Nothing to do: no batch, no event, "up to date" everywhere. */
static void
test_rerun_writes_nothing (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GPtrArray) executions = NULL;
  g_autoptr(GPtrArray) snapshots = NULL;
  guint64 events;

  chain_project (f);
  events = count_events (f, NULL);
  second = run (f);
  g_assert_cmpstr (json_object_get_string_member (second, "status"), ==, "up_to_date");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (second, "summary"), "up_to_date"));
  g_assert_cmpint (summary_int (second, NULL, "actions_taken"), ==, 0);
  g_assert_cmpuint (count_events (f, NULL), ==, events);
  g_assert_cmpuint (count_events (f, "RULE_SKIPPED"), ==, 0);
  executions = syn_store_list_executions (f->store, f->project->id, 0, 1, NULL, NULL);
  g_assert_cmpstr (((SynExecution *) executions->pdata[0])->status, ==, "up_to_date");
  g_assert_null (((SynExecution *) executions->pdata[0])->correlation_id);
  snapshots = syn_store_list_snapshots (f->store, f->project->id, FALSE, 0, NULL);
  /* the asset's batch, the rules' three, the first run's: not a sixth */
  g_assert_cmpuint (snapshots->len, ==, 5);
}

/* A SET_PROPERTY value laid over an asset's own comes off when the rule stops applying. */
static void
test_set_property_retraction_restores_prior (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) a = NULL;
  g_autoptr(SynAsset) b = NULL;
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(SynRule) off = NULL;
  g_autoptr(SynRule) saved = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *layer;

  g_object_unref (add_asset (f, "P-1", "PUMP", "210", "{\"seal\": \"SINGLE\"}"));
  g_object_unref (add_asset (f, "P-2", "PUMP", "210", NULL));
  save_rules (f, "[{\"id\": \"seal\", \"name\": \"CLIENT: Double seals\", \"source\": \"CLIENT\","
                 "  \"action_type\": \"SET_PROPERTY\", \"condition\": {\"asset_type\": \"PUMP\"},"
                 "  \"action\": {\"properties\": {\"seal\": \"DOUBLE\"}}}]");
  json_object_unref (run (f));
  a = asset (f, "P-1");
  g_assert_cmpstr (json_object_get_string_member (a->properties, "seal"), ==, "DOUBLE");
  layer = syn_derivation_get_layer (a->derivation, "seal");
  g_assert_nonnull (layer);
  g_assert_cmpstr (json_object_get_string_member (layer, "rule_id"), ==, "seal");
  g_assert_cmpstr (json_object_get_string_member (layer, "prior"), ==, "SINGLE");
  g_assert_nonnull (json_object_get_string_member (layer, "inputs"));

  rule = syn_store_get_rule (f->store, "seal", NULL);
  off = syn_rule_copy (rule);
  off->is_active = FALSE;
  saved = syn_rule_editor_save (f->store, off, "tester", NULL, &error);
  answer = run (f);
  g_clear_object (&a);
  a = asset (f, "P-1");
  b = asset (f, "P-2");
  g_assert_cmpstr (json_object_get_string_member (a->properties, "seal"), ==, "SINGLE");
  g_assert_false (json_object_has_member (b->properties, "seal"));
  g_assert_null (a->derivation);
  assert_up_to_date (f);
}

/* A person's edit of a rule's output holds; reset hands it back; a person's delete withholds. */
static void
test_manual_override (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(SynAsset) again = NULL;
  g_autoptr(SynAsset) pump = NULL;
  g_autoptr(SynAsset) reset = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) quiet = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(SynEvent) skipped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) what = json_object_new ();
  g_autoptr(JsonNode) explain = NULL;
  guint64 skips;

  chain_project (f);
  edit (f, "210-M-001", "{\"properties\": {\"enclosure\": \"XP\"}}");
  motor = asset (f, "210-M-001");
  g_assert_true (syn_derivation_is_held (motor->derivation, "properties.enclosure"));

  /* the pump's hp changes: the motor follows, but its enclosure stays the person's */
  edit (f, "210-PP-001", "{\"properties\": {\"hp\": 75}}");
  answer = run (f);
  again = asset (f, "210-M-001");
  g_assert_cmpstr (json_object_get_string_member (again->properties, "enclosure"), ==, "XP");
  g_assert_cmpint (json_object_get_int_member (again->properties, "hp"), ==, 75);
  /* ...and the run says so: a warning, a RULE_SKIPPED naming the field */
  g_assert_cmpint (summary_int (answer, NULL, "warnings"), ==, 1);
  skipped = newest (f, "RULE_SKIPPED");
  g_assert_nonnull (skipped);
  g_assert_cmpstr (skipped->rule_id, ==, "motor");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (skipped->payload), "reason"), ==,
                   "manual_override");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json_node_get_object (skipped->payload),
                                                                                "fields"), 0), ==, "enclosure");
  g_clear_object (&skipped);

  /* a SET_PROPERTY value a person changes: held, reported once */
  edit (f, "210-M-001", "{\"properties\": {\"voltage\": 480}}");
  g_clear_pointer (&answer, json_object_unref);
  answer = run (f);
  g_assert_cmpint (summary_int (answer, NULL, "warnings"), ==, 2);
  skipped = newest (f, "RULE_SKIPPED");
  g_assert_nonnull (skipped);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (skipped->payload), "reason"), ==,
                   "manual_override");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json_node_get_object (skipped->payload),
                                                                                "fields"), 0), ==, "voltage");
  g_clear_object (&again);
  again = asset (f, "210-M-001");
  g_assert_cmpint (json_object_get_int_member (again->properties, "voltage"), ==, 480);
  skips = count_events (f, "RULE_SKIPPED");
  quiet = run (f);
  g_assert_cmpstr (json_object_get_string_member (quiet, "status"), ==, "up_to_date");
  g_assert_cmpint (summary_int (quiet, NULL, "warnings"), ==, 2);
  g_assert_cmpuint (count_events (f, "RULE_SKIPPED"), ==, skips);
  explain = syn_explain_asset (f->store, f->project->id, again->id, &error);
  g_assert_no_error (error);
  {
    JsonArray *rules = json_object_get_array_member (json_node_get_object (explain), "rules");
    gboolean seen = FALSE;

    for (guint i = 0; i < json_array_get_length (rules); i++)
      {
        JsonObject *r = json_array_get_object_element (rules, i);

        if (g_strcmp0 (json_object_get_string_member (r, "rule_id"), "volts") == 0)
          {
            g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "held");
            g_assert_cmpstr (json_object_get_string_member (r, "reason"), ==, "manual_override");
            seen = TRUE;
          }
      }
    g_assert_true (seen);
  }

  /* handed back: the rules set it again */
  json_object_set_boolean_member (what, "all", TRUE);
  reset = syn_asset_editor_reset (f->store, f->project->id, "person", again->id, what, NULL, &error);
  g_assert_no_error (error);
  back = run (f);
  g_clear_object (&again);
  again = asset (f, "210-M-001");
  g_assert_cmpint (json_object_get_int_member (again->properties, "voltage"), ==, 600);
  g_assert_cmpstr (json_object_get_string_member (again->properties, "enclosure"), ==, "TEFC");
  assert_up_to_date (f);

  /* deleted by a person: not made again until handed back */
  g_assert_true (syn_asset_editor_delete (f->store, f->project->id, "person", again->id, NULL, &error));
  g_assert_no_error (error);
  pump = asset (f, "210-PP-001");
  g_assert_true (syn_derivation_withholds (pump->derivation, "motor"));
  g_clear_pointer (&answer, json_object_unref);
  answer = run (f);
  g_assert_null (asset (f, "210-M-001"));
  g_assert_cmpint (summary_int (answer, NULL, "warnings"), ==, 1);
  {
    g_autoptr(JsonObject) rules = json_object_new ();
    g_autoptr(SynAsset) handed = NULL;
    JsonArray *ids = json_array_new ();
    g_autoptr(JsonObject) remade = NULL;
    g_autoptr(SynAsset) motor2 = NULL;

    json_array_add_string_element (ids, "motor");
    json_object_set_array_member (rules, "rules", ids);
    handed = syn_asset_editor_reset (f->store, f->project->id, "person", pump->id, rules, NULL, &error);
    g_assert_no_error (error);
    remade = run (f);
    motor2 = asset (f, "210-M-001");
    g_assert_nonnull (motor2);
  }
  assert_up_to_date (f);
}

/* Sizing inputs with units; other units and words are errors naming the asset, the key and the value. */
static void
test_units_and_errors (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(SynCable) hp_text = NULL;
  g_autoptr(SynCable) kw = NULL;
  g_autoptr(SynCable) feet = NULL;
  g_autoptr(SynCable) furlong = NULL;
  g_autoptr(SynCable) mv = NULL;
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GString) all = g_string_new (NULL);

  g_object_unref (add_asset (f, "M-1", "MOTOR", "210", "{\"hp\": \"50 HP\", \"voltage\": \"0.6 kV\", \"length_m\": \"120 m\"}"));
  g_object_unref (add_asset (f, "M-2", "MOTOR", "210", "{\"hp\": \"37 kW\", \"length_m\": 120}"));
  g_object_unref (add_asset (f, "M-3", "MOTOR", "210", "{\"hp\": 50, \"length_m\": \"400 ft\"}"));
  g_object_unref (add_asset (f, "M-4", "MOTOR", "210", "{\"hp\": 50, \"length_m\": \"3 furlongs\"}"));
  g_object_unref (add_asset (f, "M-5", "MOTOR", "210", "{\"hp\": \"fifty\"}"));
  g_object_unref (add_asset (f, "M-6", "MOTOR", "210", "{\"hp\": 200, \"voltage\": 4160}"));
  save_rules (f, "[{\"id\": \"cable\", \"name\": \"FIRM: Motors require Cable\", \"source\": \"FIRM\","
                 "  \"action_type\": \"CREATE_CABLE\", \"condition\": {\"asset_type\": \"MOTOR\"},"
                 "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\","
                 "              \"sizing\": \"auto\"}}]");
  answer = run (f);
  hp_text = cable (f, "M-1-PWR");
  g_assert_cmpstr (hp_text->conductor_size, ==, "6 AWG");
  g_assert_cmpfloat_with_epsilon (hp_text->voltage, 600, 1e-9);
  kw = cable (f, "M-2-PWR");
  /* 37 kW = 49.6 HP: the 50 HP row */
  g_assert_cmpfloat_with_epsilon (kw->flc_a, 52.0, 1e-9);
  feet = cable (f, "M-3-PWR");
  g_assert_cmpfloat_with_epsilon (feet->length_m, 121.92, 1e-9);
  furlong = cable (f, "M-4-PWR");
  g_assert_null (furlong);
  mv = cable (f, "M-6-PWR");
  g_assert_null (mv);
  g_assert_cmpint (summary_int (answer, NULL, "errors"), ==, 3);
  q->event_types = g_strsplit ("RULE_ERROR", ",", -1);
  errors = syn_store_query_events (f->store, q, NULL, NULL);
  for (guint i = 0; i < errors->len; i++)
    g_string_append_printf (all, "%s\n", json_object_get_string_member (json_node_get_object (((SynEvent *) errors->pdata[i])->payload),
                                                                      "message"));
  g_assert_nonnull (strstr (all->str, "length_m of M-4 is \"3 furlongs\": unknown unit \"furlongs\""));
  g_assert_nonnull (strstr (all->str, "hp of M-5 is \"fifty\": not a number"));
  g_assert_nonnull (strstr (all->str, "M-6 runs at 4160 V"));
  g_assert_nonnull (strstr (all->str, "medium voltage"));
  /* reported once: a rerun writes none of them again */
  assert_up_to_date (f);
}

/* A VALIDATE finding is written when it appears and when it is resolved, not at every run. */
static void
test_findings_once (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) fixed = NULL;
  g_autoptr(SynEvent) resolved = NULL;

  g_object_unref (add_asset (f, "P-1", "PUMP", "210", NULL));
  save_rules (f, "[{\"id\": \"hp-required\", \"name\": \"FIRM: Pumps need hp\", \"source\": \"FIRM\","
                 "  \"action_type\": \"VALIDATE\", \"condition\": {\"asset_type\": \"PUMP\","
                 "  \"all\": [{\"key\": \"hp\", \"op\": \"missing\"}]}, \"action\": {\"message\": \"no hp\"}}]");
  first = run (f);
  g_assert_cmpint (summary_int (first, NULL, "errors"), ==, 1);
  g_assert_cmpuint (count_events (f, "RULE_ERROR"), ==, 1);
  assert_up_to_date (f);
  edit (f, "P-1", "{\"properties\": {\"hp\": 20}}");
  fixed = run (f);
  g_assert_cmpint (summary_int (fixed, NULL, "errors"), ==, 0);
  resolved = newest (f, "RULE_EXECUTED");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (resolved->payload), "reason"), ==, "resolved");
  assert_up_to_date (f);
}

static void
collect_errors (JsonNode *message, gpointer user_data)
{
  JsonObject *m = json_node_get_object (message);

  if (g_strcmp0 (json_object_get_string_member (m, "type"), "ERROR") == 0)
    g_ptr_array_add (user_data, g_strdup_printf ("%s|%s|%s|%s",
                                                 json_object_get_string_member (m, "rule_id"),
                                                 json_object_get_string_member (m, "asset_id"),
                                                 json_object_get_string_member (m, "severity"),
                                                 json_object_get_string_member (m, "message")));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* A run, its ERROR messages in @errors (sorted) */
static JsonObject *
run_collecting (SynTestFixture *f, GPtrArray *errors)
{
  JsonObject *answer = run_full (f, NULL, collect_errors, errors);

  g_ptr_array_sort (errors, compare_strings);
  return answer;
}

/* A rerun with no event since the last and the same rules answers from the
 * mark that run left, without deriving: the same counts and the same
 * standing errors; any event, or a changed rule of the library, voids it. */
static void
test_up_to_date_mark (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first_errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) again_errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) forged_errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) forged_run = NULL;
  g_autoptr(JsonObject) after_edit = NULL;
  g_autoptr(JsonObject) after_library = NULL;
  g_autoptr(JsonNode) mark = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) m2 = NULL;
  JsonObject *forged;
  gint64 position = -1;

  g_object_unref (add_asset (f, "M-1", "MOTOR", "210", "{\"hp\": 50, \"length_m\": 120}"));
  g_object_unref (add_asset (f, "M-5", "MOTOR", "210", "{\"hp\": \"fifty\"}"));
  g_object_unref (add_asset (f, "M-6", "MOTOR", "210", "{\"hp\": 200, \"voltage\": 4160}"));
  save_rules (f, "[{\"id\": \"cable\", \"name\": \"FIRM: Motors require Cable\", \"source\": \"FIRM\","
                 "  \"action_type\": \"CREATE_CABLE\", \"condition\": {\"asset_type\": \"MOTOR\"},"
                 "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\","
                 "              \"sizing\": \"auto\"}}]");
  first = run_collecting (f, first_errors);
  g_assert_cmpuint (first_errors->len, ==, 2);
  again = run_collecting (f, again_errors);
  g_assert_cmpstr (json_object_get_string_member (again, "status"), ==, "up_to_date");
  g_assert_cmpuint (again_errors->len, ==, first_errors->len);
  for (guint i = 0; i < first_errors->len; i++)
    g_assert_cmpstr (again_errors->pdata[i], ==, first_errors->pdata[i]);
  g_assert_cmpint (summary_int (again, NULL, "errors"), ==, summary_int (first, NULL, "errors"));
  g_assert_cmpint (summary_int (again, NULL, "skipped"), ==, summary_int (first, NULL, "skipped"));
  g_assert_cmpint (summary_int (again, NULL, "actions_taken"), ==, 0);
  g_assert_cmpint (summary_int (again, "created", "cables"), ==, 0);

  /* the answer comes from the mark: a forged one is believed while nothing changed... */
  g_assert_true (syn_store_get_derive_mark (f->store, f->project->id, &position, &digest, &mark, &error));
  g_assert_no_error (error);
  g_assert_cmpint (position, >, 0);
  forged = json_object_get_object_member (json_node_get_object (mark), "summary");
  json_object_set_int_member (forged, "errors", 99);
  g_assert_true (syn_store_set_derive_mark (f->store, f->project->id, position, digest, mark, &error));
  forged_run = run_collecting (f, forged_errors);
  g_assert_cmpint (summary_int (forged_run, NULL, "errors"), ==, 99);
  status = syn_rule_engine_status (f->store, f->project->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (status), "summary"),
                                               "errors"), ==, 99);

  /* ...and any event voids it */
  edit (f, "M-5", "{\"properties\": {\"hp\": 20}}");
  after_edit = run (f);
  g_assert_cmpstr (json_object_get_string_member (after_edit, "status"), ==, "completed");
  g_assert_cmpint (summary_int (after_edit, NULL, "errors"), ==, 1);
  g_assert_cmpint (summary_int (after_edit, "created", "cables"), ==, 1);
  assert_up_to_date (f);

  /* a rule of the library changed: its stream, not this project's, has the event */
  {
    g_autoptr(JsonObject) def = syn_json_parse_object (
      "{\"id\": \"lib-enclosure\", \"name\": \"FIRM: Motors are TEFC\", \"source\": \"FIRM\","
      " \"action_type\": \"SET_PROPERTY\", \"condition\": {\"asset_type\": \"MOTOR\"},"
      " \"action\": {\"properties\": {\"enclosure\": \"TEFC\"}}}", -1, NULL);

    g_object_unref (save_rule (f, NULL, def));
  }
  after_library = run (f);
  g_assert_cmpstr (json_object_get_string_member (after_library, "status"), ==, "completed");
  m2 = asset (f, "M-5");
  g_assert_cmpstr (json_object_get_string_member (m2->properties, "enclosure"), ==, "TEFC");
  assert_up_to_date (f);
}

/* Rule changes are events in a batch of their own, and roll back exactly. */
static void
test_rule_changes_are_events (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynRule) rule = NULL;
  g_autoptr(SynRule) changed = NULL;
  g_autoptr(SynRule) saved = NULL;
  g_autoptr(SynRule) restored = NULL;
  g_autoptr(SynEvent) updated = NULL;
  g_autoptr(JsonNode) rolled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cid = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *hash_after = NULL;

  chain_project (f);
  g_assert_cmpuint (count_events (f, "RULE_DEFINITION_CREATED"), ==, 3);
  hash = syn_state_hash_compute (f->store, f->project->id, NULL);
  rule = syn_store_get_rule (f->store, "cable", NULL);
  changed = syn_rule_copy (rule);
  json_object_set_double_member (json_node_get_object (changed->action), "voltage_drop_limit_pct", 1.0);
  saved = syn_rule_editor_save (f->store, changed, "tester", &cid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cid);
  updated = newest (f, "RULE_DEFINITION_UPDATED");
  g_assert_cmpstr (updated->aggregate_type, ==, "RULE");
  g_assert_cmpstr (updated->aggregate_id, ==, "cable");
  g_assert_true (json_object_has_member (json_object_get_object_member (json_node_get_object (updated->payload), "diff"),
                                         "action"));
  /* a rule change never changes assets by itself */
  hash_after = syn_state_hash_compute (f->store, f->project->id, NULL);
  g_assert_cmpstr (hash, ==, hash_after);

  rolled = syn_rollback_service_rollback (f->store, f->project->id, cid, "tester", FALSE, &error);
  g_assert_no_error (error);
  restored = syn_store_get_rule (f->store, "cable", NULL);
  {
    g_autoptr(JsonNode) a = syn_rule_to_json (rule);
    g_autoptr(JsonNode) b = syn_rule_to_json (restored);
    g_autofree char *ta = syn_json_canonical (a);
    g_autofree char *tb = syn_json_canonical (b);

    g_assert_cmpstr (ta, ==, tb);
  }
  /* saving the same definition again is no change */
  {
    g_autofree char *none = NULL;
    g_autoptr(SynRule) same = syn_rule_editor_save (f->store, restored, "tester", &none, &error);

    g_assert_no_error (error);
    g_assert_null (none);
  }
}

/* Rolling back an update batch restores outputs and their records exactly. */
static void
test_rollback_restores_records (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) before = NULL;
  g_autoptr(SynAsset) after = NULL;
  g_autoptr(SynCable) cable_before = NULL;
  g_autoptr(SynCable) cable_after = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonNode) rolled = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) c = NULL;
  g_autoptr(JsonNode) d = NULL;

  chain_project (f);
  edit (f, "210-PP-001", "{\"properties\": {\"hp\": 300}}");
  before = asset (f, "210-M-001");
  cable_before = cable (f, "210-M-001-PWR");
  answer = run (f);
  rolled = syn_rollback_service_rollback (f->store, f->project->id, json_object_get_string_member (answer, "correlation_id"),
                                          "tester", FALSE, &error);
  g_assert_no_error (error);
  after = asset (f, "210-M-001");
  cable_after = cable (f, "210-M-001-PWR");
  a = syn_asset_to_json (before);
  b = syn_asset_to_json (after);
  c = syn_cable_to_json (cable_before);
  d = syn_cable_to_json (cable_after);
  g_assert_true (syn_json_node_equal (a, b));
  g_assert_true (syn_json_node_equal (c, d));
  g_assert_nonnull (after->derivation);
}

/* Two rules of one rank that disagree settle (the later in order wins), as in one pass. */
static void
test_equal_rank_settles (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(SynAsset) p = NULL;

  g_object_unref (add_asset (f, "P-1", "PUMP", "210", "{\"hp\": 50}"));
  save_rules (f, "[{\"id\": \"a-seal\", \"name\": \"PROJECT: A seals\", \"source\": \"PROJECT\","
                 "  \"action_type\": \"SET_PROPERTY\", \"condition\": {\"asset_type\": \"PUMP\"},"
                 "  \"action\": {\"properties\": {\"seal\": \"DOUBLE\"}}},"
                 " {\"id\": \"b-seal\", \"name\": \"PROJECT: B seals\", \"source\": \"PROJECT\","
                 "  \"action_type\": \"SET_PROPERTY\", \"condition\": {\"asset_type\": \"PUMP\"},"
                 "  \"action\": {\"properties\": {\"seal\": \"SINGLE\", \"paint\": \"RAL5015\"}}}]");
  answer = run (f);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "completed");
  p = asset (f, "P-1");
  g_assert_cmpstr (json_object_get_string_member (p->properties, "seal"), ==, "SINGLE");
  assert_up_to_date (f);
}

/* Three demos in one minute: each keeps its own project rules. */
static void
test_demos_keep_their_rules (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) backend = syn_local_backend_new (f->uri, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) params = json_object_new ();
      g_autoptr(JsonNode) answer = NULL;
      g_autofree char *name = g_strdup_printf ("Demo %u", i);

      json_object_set_string_member (params, "name", name);
      answer = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_CREATE_DEMO, params, NULL, &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr(GPtrArray) projects = syn_store_list_projects (f->store, &error);
    guint demos = 0;

    for (guint i = 0; i < projects->len; i++)
      {
        SynProject *p = g_ptr_array_index (projects, i);
        g_autoptr(GPtrArray) rules = NULL;
        guint own = 0;

        if (!g_str_has_prefix (p->name, "Demo "))
          continue;
        demos++;
        rules = syn_store_list_rules (f->store, p->id, FALSE, &error);
        for (guint r = 0; r < rules->len; r++)
          {
            SynRule *rule = g_ptr_array_index (rules, r);

            g_assert_cmpstr (rule->project_id, ==, p->id);
            g_assert_true (g_hash_table_add (seen, g_strdup (rule->id)));
            own++;
          }
        g_assert_cmpuint (own, >, 0);
      }
    g_assert_cmpuint (demos, ==, 3);
  }
}

static gint64 status_rule (JsonNode *status, const char *rule_id, const char *what);

/* A revision of a few values re-derives what they touch and no more: the
 * counts are of what it evaluated, the findings that stand elsewhere are
 * reported and counted as before, and status agrees. */
static void
test_rerun_after_revision (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) held = NULL;
  g_autoptr(JsonObject) revised = NULL;
  g_autoptr(JsonObject) renamed = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynCable) c1 = NULL;
  g_autoptr(SynAsset) m4 = NULL;
  gboolean saw_error = FALSE, saw_warning = FALSE;

  g_object_unref (add_asset (f, "210-PP-001", "PUMP", "210", "{\"pump_type\": \"CENTRIFUGAL\", \"hp\": 50, \"length_m\": 120}"));
  g_object_unref (add_asset (f, "210-PP-002", "PUMP", "210", "{\"pump_type\": \"CENTRIFUGAL\", \"hp\": \"fifty\"}"));
  g_object_unref (add_asset (f, "210-PP-003", "PUMP", "210", "{\"pump_type\": \"CENTRIFUGAL\", \"hp\": 40, \"length_m\": 60}"));
  g_object_unref (add_asset (f, "210-PP-004", "PUMP", "210", "{\"pump_type\": \"CENTRIFUGAL\", \"hp\": 40, \"length_m\": 60}"));
  save_rules (f, chain_rules);
  first = run (f);
  g_assert_cmpint (summary_int (first, NULL, "errors"), ==, 1);
  edit (f, "210-M-003", "{\"properties\": {\"voltage\": 480}}");
  held = run (f);
  g_assert_cmpint (summary_int (held, NULL, "warnings"), ==, 1);

  /* one pump revised */
  edit (f, "210-PP-001", "{\"properties\": {\"hp\": 75}}");
  status = syn_rule_engine_status (f->store, f->project->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status_rule (status, "motor", "update"), ==, 1);
  g_assert_cmpint (status_rule (status, "cable", "update"), ==, 1);
  g_assert_cmpint (status_rule (status, "volts", "held"), ==, 1);
  revised = run_collecting (f, errors);
  g_assert_cmpint (summary_int (revised, "updated", "assets"), ==, 1);
  g_assert_cmpint (summary_int (revised, "updated", "cables"), ==, 1);
  /* the pump and its motor: not the other three of each */
  g_assert_cmpint (summary_int (revised, NULL, "assets_processed"), ==, 2);
  g_assert_cmpint (summary_int (revised, NULL, "errors"), ==, 1);
  g_assert_cmpint (summary_int (revised, NULL, "warnings"), ==, 1);
  for (guint i = 0; i < errors->len; i++)
    {
      saw_error = saw_error || strstr (errors->pdata[i], "hp of 210-M-002 is \"fifty\"") != NULL;
      saw_warning = saw_warning || strstr (errors->pdata[i], "|warning|") != NULL;
    }
  g_assert_true (saw_error);
  g_assert_true (saw_warning);
  c1 = cable (f, "210-M-001-PWR");
  g_assert_cmpfloat (c1->flc_a, >, 70);
  assert_up_to_date (f);

  /* a revision that renames what the rules made (a tag read from a value)
   * reaches past its sources: the whole project is derived, as from scratch */
  {
    g_autoptr(SynRule) rule = syn_store_get_rule (f->store, "motor", NULL);
    g_autoptr(SynRule) by_hp = syn_rule_copy (rule);
    g_autoptr(SynRule) saved = NULL;
    g_autoptr(JsonObject) again = NULL;

    json_object_set_string_member (json_node_get_object (by_hp->action), "naming", "{area}-M-{tag_number}-{prop.hp}");
    saved = syn_rule_editor_save (f->store, by_hp, "tester", NULL, &error);
    g_assert_no_error (error);
    again = run (f);
    g_assert_cmpint (summary_int (again, NULL, "errors"), ==, 1);
  }
  edit (f, "210-PP-004", "{\"properties\": {\"hp\": 25}}");
  renamed = run (f);
  g_assert_cmpint (summary_int (renamed, "updated", "assets"), ==, 1);
  m4 = asset (f, "210-M-004-25");
  g_assert_nonnull (m4);
  g_assert_cmpint (summary_int (renamed, NULL, "assets_processed"), >, 2);
  assert_up_to_date (f);
}

/* --- projects from before derivation records ------------------------------- */

/* The rule events of the newest batch, by type. */
static guint
newest_batch_count (SynStore *store, const char *project_id, const char *type)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (project_id);
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  guint n = 0;

  q->limit = 1;
  newest = syn_store_query_events (store, q, NULL, NULL);
  g_assert_nonnull (newest);
  g_assert_cmpuint (newest->len, ==, 1);
  batch = syn_store_get_events_by_correlation (store, project_id,
                                               ((SynEvent *) newest->pdata[0])->correlation_id, NULL);
  for (guint i = 0; i < batch->len; i++)
    n += g_strcmp0 (((SynEvent *) batch->pdata[i])->event_type, type) == 0;
  return n;
}

static gint64
status_rule (JsonNode *status, const char *rule_id, const char *what)
{
  JsonArray *rules = json_object_get_array_member (json_node_get_object (status), "rules");

  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *r = json_array_get_object_element (rules, i);

      if (g_strcmp0 (json_object_get_string_member (r, "rule_id"), rule_id) == 0)
        return json_object_get_int_member (r, what);
    }
  return 0;
}

/* What the first run after the upgrade must do to the legacy chain project:
 * only what changed since its last run (210-M-001's hp; the cables of
 * 210-M-001 and of 210-M-002, whose voltage a person set), keep what people
 * did (210-M-001's enclosure, 210-M-002's voltage, 210-M-003 deleted), and
 * leave it up to date. */
static void
assert_legacy_upgrade (SynStore *store, SynProject *project)
{
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (syn_store_get_uri (store));
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) m1 = NULL;
  g_autoptr(SynAsset) m2 = NULL;
  g_autoptr(SynAsset) m3 = NULL;
  g_autoptr(SynAsset) p3 = NULL;
  g_autoptr(SynCable) c2 = NULL;
  JsonObject *a;

  status = syn_rule_engine_status (store, project->id, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (status), "up_to_date"));
  g_assert_cmpint (status_rule (status, "motor", "create"), ==, 0);
  g_assert_cmpint (status_rule (status, "motor", "update"), ==, 1);
  /* 210-M-001's enclosure, and the motor of 210-PP-003 a person deleted */
  g_assert_cmpint (status_rule (status, "motor", "held"), ==, 2);
  g_assert_cmpint (status_rule (status, "volts", "held"), ==, 1);
  g_assert_cmpint (status_rule (status, "cable", "update"), ==, 2);

  json_object_set_string_member (request, "project_id", project->id);
  json_object_set_string_member (request, "mode", "execute");
  answer = syn_rule_engine_run (engine, store, NULL, request, "tester", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  a = json_node_get_object (answer);
  g_assert_cmpstr (json_object_get_string_member (a, "status"), ==, "completed");
  g_assert_cmpint (summary_int (a, "created", "assets"), ==, 0);
  g_assert_cmpint (summary_int (a, "created", "cables"), ==, 0);
  g_assert_cmpint (summary_int (a, "updated", "assets"), ==, 1);
  g_assert_cmpint (summary_int (a, "updated", "cables"), ==, 2);
  g_assert_cmpint (summary_int (a, "retracted", "assets"), ==, 0);
  g_assert_cmpint (summary_int (a, NULL, "warnings"), ==, 3);
  g_assert_cmpuint (newest_batch_count (store, project->id, "ASSET_UPDATED"), ==, 1);
  g_assert_cmpuint (newest_batch_count (store, project->id, "CABLE_UPDATED"), ==, 2);

  m1 = syn_store_get_asset_by_tag (store, project->id, "210-M-001", NULL);
  g_assert_cmpint (json_object_get_int_member (m1->properties, "hp"), ==, 75);
  g_assert_cmpstr (json_object_get_string_member (m1->properties, "enclosure"), ==, "XP");
  g_assert_true (syn_derivation_is_held (m1->derivation, "properties.enclosure"));
  m2 = syn_store_get_asset_by_tag (store, project->id, "210-M-002", NULL);
  g_assert_cmpint (json_object_get_int_member (m2->properties, "voltage"), ==, 480);
  c2 = syn_store_get_cable_by_tag (store, project->id, "210-M-002-PWR", NULL);
  g_assert_cmpfloat_with_epsilon (c2->voltage, 480, 1e-9);
  m3 = syn_store_get_asset_by_tag (store, project->id, "210-M-003", NULL);
  g_assert_null (m3);
  p3 = syn_store_get_asset_by_tag (store, project->id, "210-PP-003", NULL);
  g_assert_true (syn_derivation_withholds (p3->derivation, "motor"));

  again = syn_rule_engine_run (engine, store, NULL, request, "tester", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "status"), ==, "up_to_date");
}

/* A database written by Synapse 0.1.0 (schema 2, tests/data/legacy-0002.sql). */
static void
test_legacy_database (void)
{
  g_autofree char *dump = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("synapse-legacy-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "legacy.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autoptr(SynProject) project = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_true (g_file_get_contents (g_test_get_filename (G_TEST_DIST, "data", "legacy-0002.sql", NULL),
                                      &dump, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, dump, NULL, NULL, &message), ==, SQLITE_OK);
  sqlite3_close (db);

  store = syn_store_open (path, &error);
  g_assert_no_error (error);
  project = syn_store_find_project (store, "Legacy", &error);
  g_assert_no_error (error);
  assert_legacy_upgrade (store, project);
  g_clear_object (&store);
  syn_test_rm_rf (tmpdir);
}

/* The same history made by this version, its records then wiped as the
 * migration finds a project of before (both databases). */
static void
test_legacy_project (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) m3 = NULL;

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *tag = g_strdup_printf ("210-PP-00%u", i);
      g_autofree char *props = g_strdup_printf ("{\"pump_type\": \"CENTRIFUGAL\", \"hp\": %u, \"length_m\": 100}",
                                                i * 25);

      g_object_unref (add_asset (f, tag, "PUMP", "210", props));
    }
  save_rules (f, chain_rules);
  json_object_unref (run (f));
  edit (f, "210-M-001", "{\"properties\": {\"enclosure\": \"XP\"}}");
  edit (f, "210-M-002", "{\"properties\": {\"voltage\": 480}}");
  m3 = asset (f, "210-M-003");
  g_assert_true (syn_asset_editor_delete (f->store, f->project->id, "person", m3->id, NULL, &error));
  g_assert_no_error (error);
  edit (f, "210-PP-001", "{\"properties\": {\"hp\": 75}}");

  for (const char * const *sql = (const char * const[]) {
         "UPDATE assets SET derivation = NULL WHERE project_id = ",
         "UPDATE cables SET derivation = NULL WHERE project_id = ",
         "UPDATE edges SET derivation = NULL WHERE project_id = ",
         "DELETE FROM derive_marks WHERE project_id = ",
         "INSERT INTO legacy_derivations (project_id) VALUES (",
         NULL }; *sql; sql++)
    {
      g_autofree char *text = g_strconcat (*sql, "'", f->project->id, "'",
                                           g_str_has_suffix (*sql, "(") ? ")" : "", NULL);
      g_autofree char *message = NULL;

      if (!syn_test_exec_raw (f, text, &message))
        g_error ("%s: %s", text, message);
    }
  assert_legacy_upgrade (f->store, f->project);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/living/input-change-updates-outputs", test_input_change_updates_outputs);
  SYN_TEST_ADD ("/synapse/living/condition-false-retracts", test_condition_false_retracts);
  SYN_TEST_ADD ("/synapse/living/inactive-and-removed-rule-retract", test_inactive_and_removed_rule_retract);
  SYN_TEST_ADD ("/synapse/living/deleted-source-retracts", test_deleted_source_retracts);
  SYN_TEST_ADD ("/synapse/living/template-change-renames", test_template_change_renames);
  SYN_TEST_ADD ("/synapse/living/one-run-settles", test_one_run_settles);
  SYN_TEST_ADD ("/synapse/living/rerun-writes-nothing", test_rerun_writes_nothing);
  SYN_TEST_ADD ("/synapse/living/set-property-retraction-restores-prior", test_set_property_retraction_restores_prior);
  SYN_TEST_ADD ("/synapse/living/manual-override", test_manual_override);
  SYN_TEST_ADD ("/synapse/living/units-and-errors", test_units_and_errors);
  SYN_TEST_ADD ("/synapse/living/findings-once", test_findings_once);
  SYN_TEST_ADD ("/synapse/living/up-to-date-mark", test_up_to_date_mark);
  SYN_TEST_ADD ("/synapse/living/rule-changes-are-events", test_rule_changes_are_events);
  SYN_TEST_ADD ("/synapse/living/rollback-restores-records", test_rollback_restores_records);
  SYN_TEST_ADD ("/synapse/living/demos-keep-their-rules", test_demos_keep_their_rules);
  SYN_TEST_ADD ("/synapse/living/equal-rank-settles", test_equal_rank_settles);
  SYN_TEST_ADD ("/synapse/living/rerun-after-revision", test_rerun_after_revision);
  SYN_TEST_ADD ("/synapse/living/legacy-project", test_legacy_project);
  g_test_add_func ("/synapse/living/sqlite/legacy-database", test_legacy_database);

  return g_test_run ();
}

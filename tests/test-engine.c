/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-engine.c: rule execution: the demo's exact counts, events, messages, passes, conflicts, dry run, cancel. */
#include "config.h"

#include <string.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-batch.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-event-store.h"
#include "engine/syn-explainer.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-rule-parser.h"
#include "engine/syn-state-hash.h"
#include "syn-test-fixture.h"

/* --- helpers --------------------------------------------------------------- */

typedef struct
{
  GPtrArray    *messages;        /* JsonNode */
  GCancellable *cancel_on_action;
  guint         actions_before_cancel;
} Collector;

static void
collect (JsonNode *message, gpointer data)
{
  Collector *c = data;
  const char *type = json_object_get_string_member (json_node_get_object (message), "type");

  g_ptr_array_add (c->messages, json_node_ref (message));
  if (c->cancel_on_action && g_strcmp0 (type, "ACTION") == 0 && --c->actions_before_cancel == 0)
    g_cancellable_cancel (c->cancel_on_action);
}

static void
save_rules (SynStore *store, const char *project_id, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = syn_json_parse (json, -1, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      g_autoptr(SynRule) rule = syn_rule_parse (json_array_get_object_element (json_node_get_array (root), i),
                                                project_id, &error);
      g_assert_no_error (error);
      g_assert_true (syn_store_save_rule (store, rule, &error));
    }
}

static SynAsset *
add_asset (SynStore *store, const char *project_id, const char *tag, const char *type, const char *area,
           const char *props_json)
{
  g_autoptr(GError) error = NULL;
  SynAsset *asset = syn_asset_new ();

  asset->project_id = g_strdup (project_id);
  asset->tag = g_strdup (tag);
  asset->type = g_strdup (type);
  asset->area = g_strdup (area);
  if (props_json != NULL)
    {
      json_object_unref (asset->properties);
      asset->properties = syn_json_parse_object (props_json, -1, &error);
      g_assert_no_error (error);
    }
  g_assert_true (syn_store_insert_asset (store, asset, &error));
  g_assert_no_error (error);
  return asset;
}

static JsonNode *
run_engine (SynStore *store, const char *project_id, const char *mode, const char *filters_json,
            Collector *collector, GCancellable *cancellable, GError **error)
{
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (syn_store_get_uri (store));
  g_autoptr(JsonObject) request = json_object_new ();

  json_object_set_string_member (request, "project_id", project_id);
  json_object_set_string_member (request, "mode", mode);
  if (filters_json != NULL)
    json_object_set_object_member (request, "filters", syn_json_parse_object (filters_json, -1, NULL));
  return syn_rule_engine_run (engine, store, NULL, request, "tester", cancellable, NULL,
                              collector ? collect : NULL, collector, error);
}

static JsonNode *
run_ok (SynStore *store, const char *project_id, const char *mode, const char *filters_json, Collector *collector)
{
  g_autoptr(GError) error = NULL;
  JsonNode *answer = run_engine (store, project_id, mode, filters_json, collector, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static gint64
summary_int (JsonNode *answer, const char *path)
{
  JsonObject *o = json_object_get_object_member (json_node_get_object (answer), "summary");

  const char *dot = strchr (path, '.');

  if (dot != NULL)
    {
      g_autofree char *section = g_strndup (path, dot - path);

      return json_object_get_int_member (json_object_get_object_member (o, section), dot + 1);
    }
  return json_object_get_int_member (o, path);
}

static guint64
count_events (SynStore *store, const char *project_id)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (project_id);
  g_autoptr(GPtrArray) page = NULL;
  guint64 total = 0;

  q->limit = 1;
  q->include_rolled_back = TRUE;
  page = syn_store_query_events (store, q, &total, NULL);
  return total;
}

static char *
state_hash (SynStore *store, const char *project_id)
{
  g_autoptr(GError) error = NULL;
  char *hash = syn_state_hash_compute (store, project_id, &error);

  g_assert_no_error (error);
  return hash;
}

static void
load_demo (SynTestFixture *f)
{
  g_autofree char *rules_path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "baseline-rules.json", NULL);
  g_autofree char *csv_path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "gold-mine-assets.csv", NULL);
  g_autofree char *rules = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;

  g_assert_true (g_file_get_contents (rules_path, &rules, NULL, &error));
  save_rules (f->store, f->project->id, rules);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  /* plain rows (the demo file has no quoted cells), loaded directly */
  lines = g_strsplit (csv, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_autoptr(SynAsset) asset = syn_asset_new ();

      asset->project_id = g_strdup (f->project->id);
      for (guint c = 0; header[c] && cells[c]; c++)
        {
          if (*cells[c] == '\0')
            continue;
          if (strcmp (header[c], "TAG") == 0) asset->tag = g_strdup (cells[c]);
          else if (strcmp (header[c], "TYPE") == 0) asset->type = g_strdup (cells[c]);
          else if (strcmp (header[c], "DESCRIPTION") == 0) asset->description = g_strdup (cells[c]);
          else if (strcmp (header[c], "AREA") == 0) asset->area = g_strdup (cells[c]);
          else if (strcmp (header[c], "DISCIPLINE") == 0) asset->discipline = g_strdup (cells[c]);
          else
            {
              g_autofree char *key = g_ascii_strdown (header[c], -1);
              json_object_set_string_member (asset->properties, key, cells[c]);
            }
        }
      g_assert_true (syn_store_insert_asset (f->store, asset, &error));
      g_assert_no_error (error);
    }
}

static guint
count_type (GPtrArray *messages, const char *type)
{
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    if (g_strcmp0 (json_object_get_string_member (json_node_get_object (messages->pdata[i]), "type"), type) == 0)
      n++;
  return n;
}

/* --- the demo ---------------------------------------------------------------- */

static void
test_demo_exact_counts (SynTestFixture *f, gconstpointer data)
{
  Collector c = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SynSnapshot) snapshot = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  const char *corr;

  load_demo (f);
  answer = run_ok (f->store, f->project->id, "execute", NULL, &c);
  corr = json_object_get_string_member (json_node_get_object (answer), "correlation_id");

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "status"), ==, "completed");
  g_assert_cmpint (summary_int (answer, "rules_executed"), ==, 10);
  g_assert_cmpint (summary_int (answer, "assets_processed"), ==, 67);
  g_assert_cmpint (summary_int (answer, "actions_taken"), ==, 83);
  g_assert_cmpint (summary_int (answer, "skipped"), ==, 4);
  g_assert_cmpint (summary_int (answer, "errors"), ==, 2);
  g_assert_cmpint (summary_int (answer, "created.assets"), ==, 26);
  g_assert_cmpint (summary_int (answer, "created.cables"), ==, 19);
  g_assert_cmpint (summary_int (answer, "created.edges"), ==, 32);

  /* the batch: BATCH_STARTED first, BATCH_COMPLETED last, gapless, caused */
  events = syn_store_get_events_by_correlation (f->store, f->project->id, corr, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((SynEvent *) events->pdata[0])->event_type, ==, "BATCH_STARTED");
  g_assert_cmpstr (((SynEvent *) events->pdata[events->len - 1])->event_type, ==, "BATCH_COMPLETED");
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = events->pdata[i];

      g_assert_cmpint (e->sequence_num, ==, i);
      g_assert_cmpstr (e->user_id, ==, "tester");
      g_hash_table_insert (by_id, e->id, e);
      if (g_str_has_suffix (e->event_type, "_CREATED") && strcmp (e->event_type, "BATCH_STARTED") != 0)
        {
          SynEvent *cause = g_hash_table_lookup (by_id, e->causation_id);

          /* the cause comes earlier in the batch, from the same rule */
          g_assert_nonnull (cause);
          g_assert_true (strcmp (cause->event_type, "RULE_EXECUTED") == 0 ||
                         strcmp (cause->event_type, "RULE_SKIPPED") == 0);
          g_assert_cmpstr (cause->rule_id, ==, e->rule_id);
        }
    }
  snapshot = syn_store_get_snapshot (f->store, f->project->id, corr, &error);
  g_assert_nonnull (snapshot);
  g_assert_cmpint (snapshot->events_count, ==, events->len);

  /* messages: STARTED first, COMPLETED last, counts that add up */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (c.messages->pdata[0]), "type"), ==, "STARTED");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (c.messages->pdata[c.messages->len - 1]), "type"), ==, "COMPLETED");
  g_assert_cmpuint (count_type (c.messages, "ACTION"), ==, 83);
  g_assert_cmpuint (count_type (c.messages, "ERROR"), ==, 2);
  g_assert_cmpuint (count_type (c.messages, "RULE_START"), ==, count_type (c.messages, "RULE_COMPLETE"));
  {
    gint64 last = -1;
    guint actions = 0, skipped = 0, errors = 0;

    for (guint i = 0; i < c.messages->len; i++)
      {
        JsonObject *m = json_node_get_object (c.messages->pdata[i]);
        const char *type = json_object_get_string_member (m, "type");

        if (json_object_has_member (m, "progress"))
          {
            g_assert_cmpint (json_object_get_int_member (m, "progress"), >=, last);
            last = json_object_get_int_member (m, "progress");
          }
        if (g_strcmp0 (type, "RULE_COMPLETE") == 0)
          {
            actions += json_object_get_int_member (m, "actions_taken");
            skipped += json_object_get_int_member (m, "skipped");
            errors += json_object_get_int_member (m, "errors");
          }
        if (g_strcmp0 (type, "ACTION") == 0)
          {
            JsonObject *result = json_object_get_object_member (m, "result");

            g_assert_true (json_object_has_member (result, "created_id"));
            g_assert_true (json_object_has_member (result, "created_tag"));
            g_assert_true (json_object_has_member (result, "created_type"));
          }
      }
    g_assert_cmpint (actions, ==, 83);
    g_assert_cmpint (skipped, ==, 4);
    g_assert_cmpint (errors, ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                       json_node_get_object (c.messages->pdata[c.messages->len - 1]), "summary"), "actions_taken"), ==, 83);
  }
  g_ptr_array_unref (c.messages);
}

static void
test_second_run_changes_nothing (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *h1 = NULL;
  g_autofree char *h2 = NULL;

  load_demo (f);
  first = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  h1 = state_hash (f->store, f->project->id);
  second = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  h2 = state_hash (f->store, f->project->id);
  g_assert_cmpstr (h1, ==, h2);
  g_assert_cmpint (summary_int (second, "actions_taken"), ==, 0);
  g_assert_cmpint (summary_int (second, "created.assets"), ==, 0);
  g_assert_cmpint (summary_int (second, "created.cables"), ==, 0);
  g_assert_cmpint (summary_int (second, "created.edges"), ==, 0);
}

static void
test_dry_run_persists_nothing (SynTestFixture *f, gconstpointer data)
{
  Collector preview = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  Collector real = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  g_autoptr(JsonNode) dry = NULL;
  g_autoptr(JsonNode) wet = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) snaps = NULL;
  guint64 events_before;

  load_demo (f);
  before = state_hash (f->store, f->project->id);
  events_before = count_events (f->store, f->project->id);
  dry = run_ok (f->store, f->project->id, "dry_run", NULL, &preview);
  after = state_hash (f->store, f->project->id);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_events (f->store, f->project->id), ==, events_before);
  snaps = syn_store_list_snapshots (f->store, f->project->id, FALSE, 0, NULL);
  g_assert_cmpuint (snaps->len, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (dry), "status"), ==, "preview");

  /* the same evaluation: the same messages as the real run */
  wet = run_ok (f->store, f->project->id, "execute", NULL, &real);
  g_assert_cmpuint (preview.messages->len, ==, real.messages->len);
  g_assert_cmpuint (count_type (preview.messages, "ACTION"), ==, count_type (real.messages, "ACTION"));
  g_assert_cmpint (summary_int (dry, "created.assets"), ==, summary_int (wet, "created.assets"));
  g_ptr_array_unref (preview.messages);
  g_ptr_array_unref (real.messages);
}

static void
test_cancel_commits_nothing (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Collector c = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref), cancellable, 5 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint64 events_before;
  JsonObject *last;

  load_demo (f);
  before = state_hash (f->store, f->project->id);
  events_before = count_events (f->store, f->project->id);
  answer = run_engine (f->store, f->project->id, "execute", NULL, &c, cancellable, &error);
  g_assert_null (answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = state_hash (f->store, f->project->id);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_events (f->store, f->project->id), ==, events_before);
  last = json_node_get_object (c.messages->pdata[c.messages->len - 1]);
  g_assert_cmpstr (json_object_get_string_member (last, "type"), ==, "ERROR");
  g_assert_false (json_object_get_boolean_member (last, "recoverable"));
  /* cancelled, not failed: in its last message as in its record */
  g_assert_cmpstr (syn_json_get_string (last, "status"), ==, "cancelled");
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM executions WHERE status = 'cancelled'"), ==, 1);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM executions WHERE status = 'failed'"), ==, 0);
  g_assert_cmpuint (count_type (c.messages, "COMPLETED"), ==, 0);
  g_assert_false (syn_store_in_transaction (f->store));
  g_ptr_array_unref (c.messages);
}

/* --- semantics ---------------------------------------------------------------- */

static const char *chain_rules =
  "[{\"id\": \"motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\","
  "  \"discipline\": \"ELECTRICAL\", \"condition\": {\"asset_type\": \"PUMP\"},"
  "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
  "              \"inherit_properties\": [\"hp\", \"length_m\"]}},"
  " {\"id\": \"volts\", \"name\": \"COUNTRY: Motors are 600 V\", \"source\": \"COUNTRY\", \"action_type\": \"SET_PROPERTY\","
  "  \"condition\": {\"asset_type\": \"MOTOR\", \"project_country\": \"CA\"},"
  "  \"action\": {\"properties\": {\"voltage\": 600}, \"mode\": \"set\"}},"
  " {\"id\": \"cable\", \"name\": \"FIRM: Motors require Cable\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CABLE\","
  "  \"condition\": {\"asset_type\": \"MOTOR\"},"
  "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}}]";

static void
test_chaining_passes (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) pump = add_asset (f->store, f->project->id, "210-PP-001", "PUMP", "210",
                                        "{\"hp\": 50, \"length_m\": 120}");
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(SynCable) cable = NULL;
  g_autoptr(GError) error = NULL;

  save_rules (f->store, f->project->id, chain_rules);
  answer = run_ok (f->store, f->project->id, "execute", NULL, NULL);

  /* pass 1 creates the motor; pass 2 gives it its voltage, then its cable */
  motor = syn_store_get_asset_by_tag (f->store, f->project->id, "210-M-001", &error);
  g_assert_nonnull (motor);
  g_assert_cmpint (json_object_get_int_member (motor->properties, "voltage"), ==, 600);
  g_assert_cmpint (json_object_get_int_member (motor->properties, "hp"), ==, 50);
  cable = syn_store_get_cable_by_tag (f->store, f->project->id, "210-M-001-PWR", &error);
  g_assert_nonnull (cable);
  /* the reference's worked example: 50 HP, 600 V, 120 m -> 6 AWG at 2.88 % */
  g_assert_cmpstr (cable->conductor_size, ==, "6 AWG");
  g_assert_cmpfloat_with_epsilon (cable->flc_a, 52.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cable->ampacity_a, 65.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cable->voltage_drop_pct, 2.882, 0.001);
  g_assert_cmpfloat_with_epsilon (cable->voltage, 600, 1e-9);
  g_assert_cmpfloat_with_epsilon (cable->length_m, 120, 1e-9);
  g_assert_cmpstr (cable->to_asset_id, ==, motor->id);
  g_assert_cmpint (summary_int (answer, "created.assets"), ==, 1);
  g_assert_cmpint (summary_int (answer, "created.cables"), ==, 1);
  g_assert_cmpint (summary_int (answer, "rules_executed"), ==, 3);
}

static void
test_over_limit_cable (SynTestFixture *f, gconstpointer data)
{
  Collector c = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  g_autoptr(SynAsset) motor = add_asset (f->store, f->project->id, "210-M-009", "MOTOR", "210",
                                         "{\"hp\": 500, \"voltage\": \"600V\", \"length_m\": 2000}");
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SynCable) cable = NULL;
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) errors = NULL;
  guint64 total;

  save_rules (f->store, f->project->id,
              "[{\"id\": \"cable\", \"name\": \"FIRM: Motors require Cable\", \"source\": \"FIRM\","
              "  \"action_type\": \"CREATE_CABLE\", \"condition\": {\"asset_type\": \"MOTOR\"},"
              "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}}]");
  answer = run_ok (f->store, f->project->id, "execute", NULL, &c);
  cable = syn_store_get_cable_by_tag (f->store, f->project->id, "210-M-009-PWR", NULL);
  g_assert_nonnull (cable);
  g_assert_cmpstr (cable->conductor_size, ==, "OVER_LIMIT");
  g_assert_cmpint (summary_int (answer, "errors"), ==, 1);
  g_assert_cmpuint (count_type (c.messages, "ERROR"), ==, 1);
  q->event_types = g_strsplit ("RULE_ERROR", ",", -1);
  errors = syn_store_query_events (f->store, q, &total, NULL);
  g_assert_cmpuint (total, ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (((SynEvent *) errors->pdata[0])->payload),
                                                           "message"), "210-M-009"));
  g_ptr_array_unref (c.messages);
}

static void
test_conflicts_and_enforcement (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) pump = add_asset (f->store, f->project->id, "P-1", "PUMP", "210", NULL);
  g_autoptr(SynAsset) after = NULL;
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint64 total;

  /* CLIENT (100) beats PROJECT (50); an enforced FIRM (10) beats both on its key */
  save_rules (f->store, f->project->id,
              "[{\"id\": \"client\", \"name\": \"CLIENT: Seal\", \"source\": \"CLIENT\", \"action_type\": \"SET_PROPERTY\","
              "  \"condition\": {\"asset_type\": \"PUMP\"}, \"action\": {\"properties\": {\"seal\": \"DOUBLE\", \"paint\": \"RAL5015\"}, \"mode\": \"set\"}},"
              " {\"id\": \"project\", \"name\": \"PROJECT: Seal\", \"source\": \"PROJECT\", \"action_type\": \"SET_PROPERTY\","
              "  \"condition\": {\"asset_type\": \"PUMP\"}, \"action\": {\"properties\": {\"seal\": \"SINGLE\"}, \"mode\": \"set\"}},"
              " {\"id\": \"firm\", \"name\": \"FIRM: Paint\", \"source\": \"FIRM\", \"is_enforced\": true, \"action_type\": \"SET_PROPERTY\","
              "  \"condition\": {\"asset_type\": \"PUMP\"}, \"action\": {\"properties\": {\"paint\": \"RAL7035\"}, \"mode\": \"set\"}}]");
  answer = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  after = syn_store_get_asset (f->store, f->project->id, pump->id, NULL);
  g_assert_cmpstr (json_object_get_string_member (after->properties, "seal"), ==, "DOUBLE");
  g_assert_cmpstr (json_object_get_string_member (after->properties, "paint"), ==, "RAL7035");

  q->event_types = g_strsplit ("RULE_SKIPPED", ",", -1);
  skipped = syn_store_query_events (f->store, q, &total, NULL);
  g_assert_cmpuint (total, ==, 1);
  {
    JsonObject *p = json_node_get_object (((SynEvent *) skipped->pdata[0])->payload);

    g_assert_cmpstr (((SynEvent *) skipped->pdata[0])->rule_id, ==, "project");
    g_assert_cmpstr (json_object_get_string_member (p, "reason"), ==, "overridden");
    g_assert_cmpstr (json_object_get_string_member (p, "winner_rule_id"), ==, "client");
  }
  /* the client rule got seal and was refused paint by the enforced rule */
  {
    g_autoptr(SynEventQuery) q2 = syn_event_query_new (f->project->id);
    g_autoptr(GPtrArray) executed = NULL;
    JsonObject *p;

    q2->event_types = g_strsplit ("RULE_EXECUTED", ",", -1);
    q2->rule_id = g_strdup ("client");
    executed = syn_store_query_events (f->store, q2, &total, NULL);
    g_assert_cmpuint (total, ==, 1);
    p = json_node_get_object (((SynEvent *) executed->pdata[0])->payload);
    g_assert_cmpstr (json_object_get_string_member (p, "winner_rule_id"), ==, "firm");
  }
}

static void
test_set_property_default_and_in_place (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) a = add_asset (f->store, f->project->id, "LT-1", "LEVEL_TRANSMITTER", "310", "{\"manufacturer\": \"VEGA\"}");
  g_autoptr(SynAsset) b = add_asset (f->store, f->project->id, "LT-2", "LEVEL_TRANSMITTER", "310", NULL);
  g_autoptr(SynAsset) a2 = NULL;
  g_autoptr(SynAsset) b2 = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) again = NULL;

  save_rules (f->store, f->project->id,
              "[{\"id\": \"mfr\", \"name\": \"PROJECT: Vendor\", \"source\": \"PROJECT\", \"action_type\": \"SET_PROPERTY\","
              "  \"condition\": {\"asset_type\": \"LEVEL_TRANSMITTER\"},"
              "  \"action\": {\"properties\": {\"manufacturer\": \"Endress+Hauser\"}, \"mode\": \"default\"}}]");
  answer = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  a2 = syn_store_get_asset (f->store, f->project->id, a->id, NULL);
  b2 = syn_store_get_asset (f->store, f->project->id, b->id, NULL);
  g_assert_cmpstr (json_object_get_string_member (a2->properties, "manufacturer"), ==, "VEGA");
  g_assert_cmpstr (json_object_get_string_member (b2->properties, "manufacturer"), ==, "Endress+Hauser");
  g_assert_cmpint (summary_int (answer, "actions_taken"), ==, 1);

  /* the value in place: no event at all for that asset */
  again = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  g_assert_cmpint (summary_int (again, "actions_taken"), ==, 0);
  {
    g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
    g_autoptr(GPtrArray) updates = NULL;
    guint64 total;

    q->event_types = g_strsplit ("ASSET_UPDATED,RULE_EXECUTED", ",", -1);
    updates = syn_store_query_events (f->store, q, &total, NULL);
    g_assert_cmpuint (total, ==, 2);
  }
}

static void
test_existing_child_is_linked (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) pump = add_asset (f->store, f->project->id, "210-PP-001", "PUMP", "210", "{\"hp\": 10}");
  g_autoptr(SynAsset) motor = add_asset (f->store, f->project->id, "210-M-001", "MOTOR", "210", NULL);
  Collector c = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SynEdge) edge = NULL;

  save_rules (f->store, f->project->id,
              "[{\"id\": \"motor\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\","
              "  \"condition\": {\"asset_type\": \"PUMP\"},"
              "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\"}}]");
  answer = run_ok (f->store, f->project->id, "execute", NULL, &c);
  g_assert_cmpint (summary_int (answer, "skipped"), ==, 1);
  g_assert_cmpint (summary_int (answer, "created.assets"), ==, 0);
  g_assert_cmpint (summary_int (answer, "created.edges"), ==, 1);
  edge = syn_store_find_edge (f->store, f->project->id, motor->id, pump->id, "powers", NULL);
  g_assert_nonnull (edge);
  for (guint i = 0; i < c.messages->len; i++)
    {
      JsonObject *m = json_node_get_object (c.messages->pdata[i]);
      if (g_strcmp0 (json_object_get_string_member (m, "type"), "ACTION") == 0)
        g_assert_cmpstr (json_object_get_string_member (m, "action"), ==, "LINKED");
    }
  g_ptr_array_unref (c.messages);
}

static void
test_relationships_and_validate (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) pump = add_asset (f->store, f->project->id, "210-PP-001", "PUMP", "210", NULL);
  g_autoptr(SynAsset) pt = add_asset (f->store, f->project->id, "210-PT-001", "PRESSURE_TRANSMITTER", "210", NULL);
  g_autoptr(SynAsset) scale = add_asset (f->store, f->project->id, "110-WT-001", "WEIGHT_TRANSMITTER", "110", NULL);
  g_autoptr(SynAsset) conveyor = add_asset (f->store, f->project->id, "110-CV-001", "CONVEYOR", "110", NULL);
  g_autoptr(SynAsset) far = add_asset (f->store, f->project->id, "310-CV-001", "CONVEYOR", "310", NULL);
  Collector c = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SynEdge) e1 = NULL;
  g_autoptr(SynEdge) e2 = NULL;
  g_autoptr(SynEdge) e3 = NULL;

  save_rules (f->store, f->project->id,
              "[{\"id\": \"pt\", \"name\": \"FIRM: PT measures pump\", \"source\": \"FIRM\", \"action_type\": \"CREATE_RELATIONSHIP\","
              "  \"condition\": {\"asset_type\": \"PRESSURE_TRANSMITTER\"},"
              "  \"action\": {\"relation\": \"measures\", \"target\": {\"asset_type\": \"PUMP\", \"match\": \"tag\", \"tag\": \"{area}-PP-{tag_number}\"}}},"
              " {\"id\": \"scale\", \"name\": \"FIRM: Scale measures conveyor\", \"source\": \"FIRM\", \"action_type\": \"CREATE_RELATIONSHIP\","
              "  \"condition\": {\"asset_type\": \"WEIGHT_TRANSMITTER\"},"
              "  \"action\": {\"relation\": \"measures\", \"target\": {\"asset_type\": \"CONVEYOR\", \"match\": \"same_area\"}}},"
              " {\"id\": \"hp\", \"name\": \"FIRM: Pumps need hp\", \"source\": \"FIRM\", \"action_type\": \"VALIDATE\","
              "  \"condition\": {\"asset_type\": \"PUMP\", \"all\": [{\"key\": \"hp\", \"op\": \"missing\"}]},"
              "  \"action\": {\"message\": \"no horsepower\", \"severity\": \"warning\"}}]");
  answer = run_ok (f->store, f->project->id, "execute", NULL, &c);
  e1 = syn_store_find_edge (f->store, f->project->id, pt->id, pump->id, "measures", NULL);
  e2 = syn_store_find_edge (f->store, f->project->id, scale->id, conveyor->id, "measures", NULL);
  e3 = syn_store_find_edge (f->store, f->project->id, scale->id, far->id, "measures", NULL);
  g_assert_nonnull (e1);
  g_assert_nonnull (e2);
  g_assert_null (e3);
  g_assert_cmpint (summary_int (answer, "created.edges"), ==, 2);
  g_assert_cmpint (summary_int (answer, "errors"), ==, 1);
  {
    gboolean seen = FALSE;
    for (guint i = 0; i < c.messages->len; i++)
      {
        JsonObject *m = json_node_get_object (c.messages->pdata[i]);
        if (g_strcmp0 (json_object_get_string_member (m, "type"), "ERROR") == 0)
          {
            seen = TRUE;
            g_assert_true (json_object_get_boolean_member (m, "recoverable"));
            g_assert_cmpstr (json_object_get_string_member (m, "asset_id"), ==, pump->id);
            g_assert_nonnull (strstr (json_object_get_string_member (m, "message"), "no horsepower"));
          }
      }
    g_assert_true (seen);
  }
  g_ptr_array_unref (c.messages);
}

static void
test_cycle_detected (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) seed = add_asset (f->store, f->project->id, "X-1", "NODE", "1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *before = state_hash (f->store, f->project->id);
  g_autofree char *after = NULL;
  guint64 events_before = count_events (f->store, f->project->id);

  save_rules (f->store, f->project->id,
              "[{\"id\": \"grow\", \"name\": \"FIRM: Nodes beget nodes\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\","
              "  \"condition\": {\"asset_type\": \"NODE\"},"
              "  \"action\": {\"type\": \"NODE\", \"naming\": \"{tag}-1\", \"relation\": \"feeds\"}}]");
  answer = run_engine (f->store, f->project->id, "execute", NULL, NULL, NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "8 passes"));
  after = state_hash (f->store, f->project->id);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_events (f->store, f->project->id), ==, events_before);
}

static void
test_filters (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) c = NULL;
  g_autoptr(JsonNode) d = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autofree char *filter = NULL;
  g_autoptr(SynAsset) p1 = add_asset (f->store, f->project->id, "210-PP-001", "PUMP", "210", "{\"hp\": 10}");
  g_autoptr(SynAsset) p2 = add_asset (f->store, f->project->id, "210-PP-002", "PUMP", "210", "{\"hp\": 20}");

  save_rules (f->store, f->project->id, chain_rules);

  /* only the voltage rule: nothing to do (no motors yet) */
  a = run_ok (f->store, f->project->id, "dry_run", "{\"rule_ids\": [\"volts\"]}", NULL);
  g_assert_cmpint (summary_int (a, "rules_executed"), ==, 0);
  /* only ELECTRICAL rules: the motor rule (the others have no discipline) */
  b = run_ok (f->store, f->project->id, "dry_run", "{\"disciplines\": [\"ELECTRICAL\"]}", NULL);
  g_assert_cmpint (summary_int (b, "created.assets"), ==, 2);
  g_assert_cmpint (summary_int (b, "created.cables"), ==, 0);
  /* one source asset: its consequences follow it through the passes */
  filter = g_strdup_printf ("{\"asset_ids\": [\"%s\"]}", p2->id);
  c = run_ok (f->store, f->project->id, "dry_run", filter, NULL);
  g_assert_cmpint (summary_int (c, "created.assets"), ==, 1);
  g_assert_cmpint (summary_int (c, "created.cables"), ==, 1);
  d = run_ok (f->store, f->project->id, "dry_run", "{\"action_types\": [\"CREATE_CABLE\"], \"asset_types\": [\"PUMP\"]}", NULL);
  g_assert_cmpint (summary_int (d, "rules_executed"), ==, 0);

  bad = run_engine (f->store, f->project->id, "execute", "{\"colour\": [\"red\"]}", NULL, NULL, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "filters.colour"));
  g_clear_error (&error);
  bad = run_engine (f->store, f->project->id, "execute", "{\"disciplines\": [\"COOKING\"]}", NULL, NULL, &error);
  g_assert_nonnull (strstr (error->message, "COOKING"));
  g_clear_error (&error);
  bad = run_engine (f->store, f->project->id, "execute", "{\"rule_ids\": [\"nope\"]}", NULL, NULL, &error);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  bad = run_engine (f->store, f->project->id, "sideways", NULL, NULL, NULL, &error);
  g_assert_nonnull (strstr (error->message, "mode"));
}

typedef struct
{
  GMutex    lock;
  GCond     cond;
  gboolean  second_done;
  gboolean  first_waiting;
} Gate;

static void
blocking_collect (JsonNode *message, gpointer data)
{
  Gate *gate = data;

  /* the first run holds its project until the second has tried */
  g_mutex_lock (&gate->lock);
  gate->first_waiting = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->second_done)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

typedef struct
{
  SynTestFixture *f;
  Gate           *gate;
} FirstRun;

static gpointer
first_run_thread (gpointer data)
{
  FirstRun *fr = data;
  g_autoptr(SynStore) store = syn_test_fixture_open_again (fr->f);
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (syn_store_get_uri (store));
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (request, "project_id", fr->f->project->id);
  answer = syn_rule_engine_run (engine, store, NULL, request, NULL, NULL, NULL, blocking_collect, fr->gate, &error);
  g_assert_no_error (error);
  return NULL;
}

static void
test_one_execution_per_project (SynTestFixture *f, gconstpointer data)
{
  Gate gate = { 0 };
  FirstRun fr = { f, &gate };
  GThread *thread;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SynStore) store = syn_test_fixture_open_again (f);
  g_autoptr(SynAsset) pump = add_asset (f->store, f->project->id, "210-PP-001", "PUMP", "210", "{\"hp\": 10}");

  save_rules (f->store, f->project->id, chain_rules);
  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  thread = g_thread_new ("first", first_run_thread, &fr);
  g_mutex_lock (&gate.lock);
  while (!gate.first_waiting)
    g_cond_wait (&gate.cond, &gate.lock);
  g_mutex_unlock (&gate.lock);

  answer = run_engine (store, f->project->id, "execute", NULL, NULL, NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "already running"));

  g_mutex_lock (&gate.lock);
  gate.second_done = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.lock);
  g_thread_join (thread);
  g_mutex_clear (&gate.lock);
  g_cond_clear (&gate.cond);

  /* and the project is free again afterwards */
  g_clear_error (&error);
  g_clear_pointer (&answer, json_node_unref);
  answer = run_ok (store, f->project->id, "execute", NULL, NULL);
}

/* --- asynchronous: through the backend, messages on the main context ------------ */

typedef struct
{
  GMainLoop *loop;
  GPtrArray *messages;
  JsonNode  *start;
  GError    *error;
  gboolean   final_seen;
} AsyncWatch;

static void
on_backend_message (SynBackend *backend, const char *execution_id, JsonNode *message, gpointer data)
{
  AsyncWatch *w = data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_ptr_array_add (w->messages, json_node_ref (message));
  if (syn_backend_message_is_final (message))
    {
      w->final_seen = TRUE;
      g_main_loop_quit (w->loop);
    }
}

static void
on_backend_started (GObject *object, GAsyncResult *result, gpointer data)
{
  AsyncWatch *w = data;

  w->start = syn_backend_execute_finish (SYN_BACKEND (object), result, &w->error);
  if (w->start == NULL)
    g_main_loop_quit (w->loop);
}

/* One run of @mode through @backend, watched to its last message. */
static void
watch_run (SynLocalBackend *backend, const char *project_id, const char *mode, AsyncWatch *w)
{
  g_autoptr(JsonObject) request = json_object_new ();
  gulong handler = g_signal_connect (backend, "execution-message", G_CALLBACK (on_backend_message), w);

  json_object_set_string_member (request, "project_id", project_id);
  json_object_set_string_member (request, "mode", mode);
  syn_backend_execute_async (SYN_BACKEND (backend), request, NULL, on_backend_started, w);
  g_main_loop_run (w->loop);
  g_signal_handler_disconnect (backend, handler);
  g_assert_no_error (w->error);
  g_assert_true (w->final_seen);
}

static JsonNode *
execution_record (SynLocalBackend *backend, JsonObject *start)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  JsonNode *execution;

  json_object_set_string_member (params, "execution_id", json_object_get_string_member (start, "execution_id"));
  execution = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_GET_EXECUTION, params, NULL, &error);
  g_assert_no_error (error);
  return execution;
}

static void
test_backend_async (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) backend = syn_local_backend_new (f->uri, &error);
  g_autoptr(SynAsset) pump = add_asset (f->store, f->project->id, "210-PP-001", "PUMP", "210", "{\"hp\": 10}");
  AsyncWatch w = { g_main_loop_new (NULL, FALSE), g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  g_autoptr(JsonNode) execution = NULL;
  JsonObject *start;

  save_rules (f->store, f->project->id, chain_rules);
  watch_run (backend, f->project->id, "execute", &w);

  start = json_node_get_object (w.start);
  g_assert_cmpstr (json_object_get_string_member (start, "status"), ==, "started");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (start, "ws_url"), "/ws/execution/"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (w.messages->pdata[0]), "type"), ==, "STARTED");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (w.messages->pdata[w.messages->len - 1]), "type"), ==, "COMPLETED");

  /* the execution is on record */
  execution = execution_record (backend, start);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (execution), "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (execution), "correlation_id"), ==,
                   json_object_get_string_member (start, "correlation_id"));

  /* a preview commits no batch: it names none, in its answer, its
   * messages and its execution record alike */
  g_clear_pointer (&w.start, json_node_unref);
  g_ptr_array_set_size (w.messages, 0);
  w.final_seen = FALSE;
  g_clear_object (&pump);
  pump = add_asset (f->store, f->project->id, "210-PP-002", "PUMP", "210", "{\"hp\": 20}");
  watch_run (backend, f->project->id, "dry_run", &w);
  start = json_node_get_object (w.start);
  g_assert_cmpstr (json_object_get_string_member (start, "status"), ==, "preview");
  g_assert_true (json_object_has_member (start, "correlation_id"));
  g_assert_null (syn_json_get_string (start, "correlation_id"));
  for (guint i = 0; i < w.messages->len; i++)
    {
      JsonObject *m = json_node_get_object (w.messages->pdata[i]);

      if (json_object_has_member (m, "correlation_id"))
        g_assert_null (syn_json_get_string (m, "correlation_id"));
    }
  g_clear_pointer (&execution, json_node_unref);
  execution = execution_record (backend, start);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (execution), "status"), ==, "preview");
  g_assert_null (syn_json_get_string (json_node_get_object (execution), "correlation_id"));

  g_clear_pointer (&w.start, json_node_unref);
  g_ptr_array_unref (w.messages);
  g_main_loop_unref (w.loop);
}

/* The last PROGRESS of a run that went through says it whole: 100 %, every
 * rule done; so for a run with nothing to do. */
static void
assert_last_progress_whole (GPtrArray *messages)
{
  JsonObject *last = json_node_get_object (messages->pdata[messages->len - 1]);
  JsonObject *progress = NULL;

  g_assert_cmpstr (json_object_get_string_member (last, "type"), ==, "COMPLETED");
  for (guint i = messages->len; i > 0 && progress == NULL; i--)
    if (g_strcmp0 (syn_json_get_string (json_node_get_object (messages->pdata[i - 1]), "type"), "PROGRESS") == 0)
      progress = json_node_get_object (messages->pdata[i - 1]);
  g_assert_nonnull (progress);
  g_assert_cmpint (json_object_get_int_member (progress, "progress"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (progress, "rules_total"), >, 0);
  g_assert_cmpint (json_object_get_int_member (progress, "rules_completed"), ==,
                   json_object_get_int_member (progress, "rules_total"));
}

static void
test_last_progress_whole (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) pump = add_asset (f->store, f->project->id, "210-PP-001", "PUMP", "210",
                                        "{\"hp\": 50, \"length_m\": 120}");
  Collector first = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  Collector second = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  save_rules (f->store, f->project->id, chain_rules);
  a = run_ok (f->store, f->project->id, "execute", NULL, &first);
  assert_last_progress_whole (first.messages);
  b = run_ok (f->store, f->project->id, "execute", NULL, &second);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (b), "status"), ==, "up_to_date");
  assert_last_progress_whole (second.messages);
  g_ptr_array_unref (first.messages);
  g_ptr_array_unref (second.messages);
}

static void
test_backend_busy_start_fails (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynLocalBackend) backend = syn_local_backend_new (f->uri, &error);
  g_autoptr(JsonObject) request = json_object_new ();
  AsyncWatch w = { g_main_loop_new (NULL, FALSE), g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref) };

  json_object_set_string_member (request, "project_id", "no-such-project");
  syn_backend_execute_async (SYN_BACKEND (backend), request, NULL, on_backend_started, &w);
  g_main_loop_run (w.loop);
  g_assert_error (w.error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND);
  g_clear_error (&w.error);
  g_ptr_array_unref (w.messages);
  g_main_loop_unref (w.loop);
}


/* --- explain --------------------------------------------------------------------- */

static JsonObject *
verdict_for (JsonNode *explain, const char *rule_id)
{
  JsonArray *rules = json_object_get_array_member (json_node_get_object (explain), "rules");

  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *r = json_array_get_object_element (rules, i);
      if (g_strcmp0 (json_object_get_string_member (r, "rule_id"), rule_id) == 0)
        return r;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_explain (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) pump = syn_asset_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SynBatch) created = syn_batch_begin (f->store, f->project->id, "ada", &error);
  g_autoptr(SynEvent) creation = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) before_run = NULL;
  g_autoptr(JsonNode) explain = NULL;
  JsonObject *r, *provenance;

  /* created through a batch, as an import or an edit would: it has a history */
  pump->tag = g_strdup ("P-1");
  pump->type = g_strdup ("PUMP");
  pump->area = g_strdup ("210");
  json_object_set_string_member (pump->properties, "pump_type", "SLURRY");
  creation = syn_batch_create_asset (created, pump, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (syn_batch_commit (created, &error));

  save_rules (f->store, f->project->id,
              "[{\"id\": \"client\", \"name\": \"CLIENT: Seal\", \"source\": \"CLIENT\", \"action_type\": \"SET_PROPERTY\","
              "  \"condition\": {\"asset_type\": \"PUMP\"}, \"action\": {\"properties\": {\"seal\": \"DOUBLE\"}, \"mode\": \"set\"}},"
              " {\"id\": \"project\", \"name\": \"PROJECT: Seal\", \"source\": \"PROJECT\", \"action_type\": \"SET_PROPERTY\","
              "  \"condition\": {\"asset_type\": \"PUMP\"}, \"action\": {\"properties\": {\"seal\": \"SINGLE\"}, \"mode\": \"set\"}},"
              " {\"id\": \"centrifugal\", \"name\": \"FIRM: Centrifugal motor\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\","
              "  \"condition\": {\"asset_type\": \"PUMP\", \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]},"
              "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"M-{tag_number}\", \"relation\": \"powers\"}},"
              " {\"id\": \"slurry\", \"name\": \"FIRM: Slurry motor\", \"source\": \"FIRM\", \"action_type\": \"CREATE_CHILD\","
              "  \"condition\": {\"asset_type\": \"PUMP\", \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"SLURRY\"}]},"
              "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"M-{tag_number}\", \"relation\": \"powers\"}},"
              " {\"id\": \"off\", \"name\": \"FIRM: Switched off\", \"source\": \"FIRM\", \"is_active\": false, \"action_type\": \"VALIDATE\","
              "  \"condition\": {\"asset_type\": \"PUMP\"}, \"action\": {\"message\": \"never\"}}]");

  /* before any run: matched rules are pending */
  before_run = syn_explain_asset (f->store, f->project->id, pump->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (verdict_for (before_run, "slurry"), "verdict"), ==, "pending");

  answer = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  explain = syn_explain_asset (f->store, f->project->id, pump->id, &error);
  g_assert_no_error (error);

  r = verdict_for (explain, "client");
  g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "fired");
  g_assert_cmpstr (json_object_get_string_member (r, "correlation_id"), ==,
                   json_object_get_string_member (json_node_get_object (answer), "correlation_id"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r, "events")), ==, 1);
  r = verdict_for (explain, "project");
  g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "skipped");
  g_assert_cmpstr (json_object_get_string_member (r, "reason"), ==, "overridden");
  g_assert_cmpstr (json_object_get_string_member (r, "winner_rule_id"), ==, "client");
  r = verdict_for (explain, "centrifugal");
  g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "not_matched");
  g_assert_cmpstr (json_object_get_string_member (r, "failed_test"), ==, "pump_type == CENTRIFUGAL");
  g_assert_cmpstr (json_object_get_string_member (r, "actual"), ==, "SLURRY");
  r = verdict_for (explain, "slurry");
  g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "fired");
  /* the motor's ASSET_CREATED and the edge's RELATIONSHIP_CREATED */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r, "events")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (verdict_for (explain, "off"), "verdict"), ==, "inactive");
  /* as the REST contract lists them: every verdict has failed_test and
   * actual, null where they do not apply */
  {
    JsonArray *rules = json_object_get_array_member (json_node_get_object (explain), "rules");

    for (guint i = 0; i < json_array_get_length (rules); i++)
      {
        JsonObject *v = json_array_get_object_element (rules, i);
        gboolean failed = g_strcmp0 (syn_json_get_string (v, "verdict"), "not_matched") == 0;

        g_assert_true (json_object_has_member (v, "failed_test"));
        g_assert_true (json_object_has_member (v, "actual"));
        g_assert_true (failed || JSON_NODE_HOLDS_NULL (json_object_get_member (v, "failed_test")));
        g_assert_true (failed || JSON_NODE_HOLDS_NULL (json_object_get_member (v, "actual")));
      }
  }

  provenance = json_object_get_object_member (json_node_get_object (explain), "provenance");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (provenance, "seal"), "rule_id"), ==, "client");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (provenance, "seal"), "value"), ==, "DOUBLE");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (provenance, "pump_type"), "event_type"), ==,
                   "ASSET_CREATED");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (provenance, "pump_type"), "user_id"), ==,
                   "ada");

  /* after a rollback the verdict goes back to pending */
  {
    g_autoptr(JsonNode) rolled = syn_rollback_service_rollback (f->store, f->project->id,
                                                                json_object_get_string_member (json_node_get_object (answer), "correlation_id"),
                                                                NULL, FALSE, &error);
    g_autoptr(JsonNode) after = NULL;

    g_assert_no_error (error);
    after = syn_explain_asset (f->store, f->project->id, pump->id, &error);
    g_assert_cmpstr (json_object_get_string_member (verdict_for (after, "slurry"), "verdict"), ==, "pending");
    g_assert_false (json_object_has_member (json_object_get_object_member (json_node_get_object (after), "provenance"), "seal"));
  }
}

/* Issue 12: a finding recorded by a later run about an output of an earlier
 * one (a child "exists") no longer holds once the earlier run is rolled back,
 * and explain must not cite it as current. */
static void
test_explain_after_rollback_of_earlier_run (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynAsset) pump = add_asset (f->store, f->project->id, "210-PP-001", "PUMP", "210",
                                        "{\"pump_type\": \"SLURRY\"}");
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) rolled = NULL;
  g_autoptr(JsonNode) explain = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(SynAsset) motor = NULL;
  g_autoptr(GError) error = NULL;
  const char *first_batch, *second_batch;
  JsonObject *r;

  save_rules (f->store, f->project->id,
              "[{\"id\": \"slurry\", \"name\": \"FIRM: Slurry motor\", \"source\": \"FIRM\", \"priority\": 100,"
              "  \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
              "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\"}}]");
  first = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  first_batch = json_object_get_string_member (json_node_get_object (first), "correlation_id");
  motor = syn_store_get_asset_by_tag (f->store, f->project->id, "210-M-001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (motor);

  /* the revision: a second rule wants the same motor; it finds it there */
  save_rules (f->store, f->project->id,
              "[{\"id\": \"spare\", \"name\": \"PROJECT: Spare motor\", \"source\": \"PROJECT\", \"priority\": 10,"
              "  \"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"PUMP\"},"
              "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\"}}]");
  second = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  second_batch = json_object_get_string_member (json_node_get_object (second), "correlation_id");
  g_assert_nonnull (second_batch);
  explain = syn_explain_asset (f->store, f->project->id, pump->id, &error);
  g_assert_no_error (error);
  r = verdict_for (explain, "spare");
  g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "skipped");
  g_assert_cmpstr (json_object_get_string_member (r, "reason"), ==, "exists");
  g_assert_cmpstr (json_object_get_string_member (r, "correlation_id"), ==, second_batch);

  /* the second run changed no entity of the first: it does not block it */
  rolled = syn_rollback_service_rollback (f->store, f->project->id, first_batch, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&motor);
  motor = syn_store_get_asset_by_tag (f->store, f->project->id, "210-M-001", &error);
  g_assert_no_error (error);
  g_assert_null (motor);

  after = syn_explain_asset (f->store, f->project->id, pump->id, &error);
  g_assert_no_error (error);
  r = verdict_for (after, "slurry");
  g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "pending");
  g_assert_false (json_object_has_member (r, "correlation_id"));
  /* the motor it found is gone: no "exists", no batch cited as current */
  r = verdict_for (after, "spare");
  g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "pending");
  g_assert_false (json_object_has_member (r, "correlation_id"));
  g_assert_false (json_object_has_member (r, "existing_tag"));
  g_assert_cmpstr (json_object_get_string_member (r, "stale_finding"), ==, "exists");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r, "outputs")), ==, 0);

  /* the next run finds the motor (made again) in the way once more */
  g_clear_pointer (&second, json_node_unref);
  g_clear_pointer (&after, json_node_unref);
  second = run_ok (f->store, f->project->id, "execute", NULL, NULL);
  after = syn_explain_asset (f->store, f->project->id, pump->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (verdict_for (after, "slurry"), "verdict"), ==, "fired");
  r = verdict_for (after, "spare");
  g_assert_cmpstr (json_object_get_string_member (r, "verdict"), ==, "skipped");
  g_assert_cmpstr (json_object_get_string_member (r, "reason"), ==, "exists");
  g_assert_false (json_object_has_member (r, "stale_finding"));
}

/* --- property: random projects, random rules, execute then roll back ------------- */

static const char *types[] = { "PUMP", "TANK", "AGITATOR", "MOTOR", "CONVEYOR", "PRESSURE_TRANSMITTER" };
static const char *sources[] = { "FIRM", "COUNTRY", "PROJECT", "CLIENT" };

static char *
random_rule (GRand *rand, guint i)
{
  const char *source = sources[g_rand_int_range (rand, 0, G_N_ELEMENTS (sources))];
  const char *type = types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))];
  const char *enforced = g_rand_int_range (rand, 0, 5) == 0 ? "true" : "false";
  g_autofree char *head = g_strdup_printf ("{\"id\": \"r%u\", \"name\": \"%s: Random %u\", \"source\": \"%s\", "
                                          "\"is_enforced\": %s, \"priority\": %d, ",
                                          i, source, i, source, enforced, g_rand_int_range (rand, 1, 120));

  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      return g_strdup_printf ("%s\"action_type\": \"CREATE_CHILD\", \"condition\": {\"asset_type\": \"%s\"},"
                              " \"action\": {\"type\": \"%s\", \"naming\": \"{tag}-C%u\", \"relation\": \"r%u\","
                              " \"inherit_properties\": [\"hp\", \"area\"]}}",
                              head, type, types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))], i, i);
    case 1:
      return g_strdup_printf ("%s\"action_type\": \"CREATE_CABLE\", \"condition\": {\"asset_type\": \"%s\","
                              " \"all\": [{\"key\": \"hp\", \"op\": \"exists\"}]},"
                              " \"action\": {\"naming\": \"{tag}-K%u\", \"to\": \"source\", \"cable_type\": \"TECK90\","
                              " \"sizing\": \"auto\"}}", head, type, i);
    case 2:
    case 3:
      return g_strdup_printf ("%s\"action_type\": \"SET_PROPERTY\", \"condition\": {\"asset_type\": [\"%s\", \"%s\"]},"
                              " \"action\": {\"properties\": {\"k%d\": %d, \"hp\": %d}, \"mode\": \"%s\"}}",
                              head, type, types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))],
                              g_rand_int_range (rand, 0, 3), g_rand_int_range (rand, 0, 9), g_rand_int_range (rand, 1, 300),
                              g_rand_boolean (rand) ? "set" : "default");
    case 4:
      return g_strdup_printf ("%s\"action_type\": \"CREATE_RELATIONSHIP\", \"condition\": {\"asset_type\": \"%s\"},"
                              " \"action\": {\"relation\": \"near%u\", \"target\": {\"asset_type\": \"%s\", \"match\": \"same_area\"}}}",
                              head, type, i, types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))]);
    default:
      return g_strdup_printf ("%s\"action_type\": \"VALIDATE\", \"condition\": {\"asset_type\": \"%s\","
                              " \"any\": [{\"key\": \"hp\", \"op\": \">\", \"value\": 150}]},"
                              " \"action\": {\"message\": \"big\"}}", head, type);
    }
}

static void
test_property_execute_then_rollback (SynTestFixture *f, gconstpointer data)
{
  guint iterations = g_test_slow () ? 200 : 40;
  guint changing = 0, rolled_back = 0;

  for (guint it = 0; it < iterations; it++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int () ^ it);
      g_autofree char *name = g_strdup_printf ("random-%u", it);
      g_autoptr(SynProject) project = syn_test_create_project (f->store, name, g_rand_boolean (rand) ? "CA" : NULL);
      g_autoptr(GString) rules = g_string_new ("[");
      g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func (g_free);
      guint n_assets = g_rand_int_range (rand, 1, 30);
      guint n_rules = g_rand_int_range (rand, 1, 8);

      for (guint a = 0; a < n_assets; a++)
        {
          g_autofree char *tag = g_strdup_printf ("%u-X-%03u", g_rand_int_range (rand, 1, 4), a);
          g_autofree char *area = g_strdup_printf ("%u", g_rand_int_range (rand, 1, 4));
          g_autofree char *props = g_rand_boolean (rand) ? g_strdup_printf ("{\"hp\": %d}", g_rand_int_range (rand, 1, 400))
                                                         : g_strdup ("{}");
          g_object_unref (add_asset (f->store, project->id, tag, types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))],
                                     area, props));
        }
      for (guint r = 0; r < n_rules; r++)
        {
          g_autofree char *rule = random_rule (rand, it * 100 + r);
          g_string_append_printf (rules, "%s%s", r ? ", " : "", rule);
        }
      g_string_append (rules, "]");
      save_rules (f->store, project->id, rules->str);

      /* several batches (runs and manual edits), then undo them newest first;
       * after each rollback the state is what it was before that batch */
      for (guint b = 0; b < 3; b++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) answer = NULL;

          g_ptr_array_add (hashes, state_hash (f->store, project->id));
          if (b == 1)
            {
              /* a manual edit between runs */
              g_autoptr(GPtrArray) assets = syn_store_list_assets (f->store, project->id, NULL, NULL, 0, 1, NULL, NULL);
              g_autoptr(SynBatch) batch = syn_batch_begin (f->store, project->id, NULL, &error);
              g_autoptr(SynAsset) after = syn_asset_copy (assets->pdata[0]);
              g_autoptr(SynEvent) ev = NULL;

              json_object_set_int_member (after->properties, "hp", g_rand_int_range (rand, 1, 400));
              json_object_set_string_member (after->properties, "edited", "yes");
              ev = syn_batch_update_asset (batch, assets->pdata[0], after, NULL, NULL, &error);
              g_assert_no_error (error);
              g_ptr_array_add (batches, g_strdup (syn_batch_get_correlation_id (batch)));
              g_assert_true (syn_batch_commit (batch, &error));
              continue;
            }
          answer = run_engine (f->store, project->id, "execute", NULL, NULL, NULL, &error);
          if (answer == NULL)
            {
              /* a random rule set may cycle: then nothing was committed */
              g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CYCLE);
              g_ptr_array_set_size (hashes, hashes->len - 1);
              continue;
            }
          /* a run with nothing to do commits no batch: nothing to roll back */
          if (json_object_get_null_member (json_node_get_object (answer), "correlation_id"))
            {
              g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "status"), ==, "up_to_date");
              g_ptr_array_set_size (hashes, hashes->len - 1);
              continue;
            }
          g_ptr_array_add (batches, g_strdup (json_object_get_string_member (json_node_get_object (answer), "correlation_id")));
        }

      g_assert_cmpuint (hashes->len, ==, batches->len);
      for (guint b = batches->len; b > 0; b--)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) rolled = syn_rollback_service_rollback (f->store, project->id, batches->pdata[b - 1],
                                                                      NULL, FALSE, &error);
          g_autofree char *now = NULL;

          g_assert_no_error (error);
          {
            g_autofree char *before_rollback = NULL;
            /* count the batches that really changed something */
            before_rollback = g_strdup (json_object_get_string_member (json_node_get_object (rolled), "status"));
            g_assert_cmpstr (before_rollback, ==, "rolled_back");
          }
          rolled_back++;
          now = state_hash (f->store, project->id);
            {
              JsonObject *summary = json_object_get_object_member (json_node_get_object (rolled), "summary");
              if (json_object_get_int_member (summary, "assets_deleted") + json_object_get_int_member (summary, "cables_deleted") +
                  json_object_get_int_member (summary, "edges_deleted") + json_object_get_int_member (summary, "assets_restored") > 0)
                changing++;
            }
          if (g_strcmp0 (now, hashes->pdata[b - 1]) != 0)
            g_error ("iteration %u: rollback of batch %u did not restore the state; rules: %s", it, b - 1, rules->str);
        }
    }
  /* the random sets must exercise something: most rollbacks undo real changes */
  g_test_message ("%u rollbacks, %u of them undoing changes", rolled_back, changing);
  g_assert_cmpuint (changing, >=, rolled_back / 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  SYN_TEST_ADD ("/synapse/engine/demo-exact-counts", test_demo_exact_counts);
  SYN_TEST_ADD ("/synapse/engine/second-run-changes-nothing", test_second_run_changes_nothing);
  SYN_TEST_ADD ("/synapse/engine/dry-run-persists-nothing", test_dry_run_persists_nothing);
  SYN_TEST_ADD ("/synapse/engine/cancel-commits-nothing", test_cancel_commits_nothing);
  SYN_TEST_ADD ("/synapse/engine/chaining-passes", test_chaining_passes);
  SYN_TEST_ADD ("/synapse/engine/over-limit-cable", test_over_limit_cable);
  SYN_TEST_ADD ("/synapse/engine/conflicts-and-enforcement", test_conflicts_and_enforcement);
  SYN_TEST_ADD ("/synapse/engine/set-property-default-and-in-place", test_set_property_default_and_in_place);
  SYN_TEST_ADD ("/synapse/engine/existing-child-is-linked", test_existing_child_is_linked);
  SYN_TEST_ADD ("/synapse/engine/relationships-and-validate", test_relationships_and_validate);
  SYN_TEST_ADD ("/synapse/engine/cycle-detected", test_cycle_detected);
  SYN_TEST_ADD ("/synapse/engine/filters", test_filters);
  SYN_TEST_ADD ("/synapse/engine/one-execution-per-project", test_one_execution_per_project);
  SYN_TEST_ADD ("/synapse/engine/backend-async", test_backend_async);
  SYN_TEST_ADD ("/synapse/engine/backend-start-fails", test_backend_busy_start_fails);
  SYN_TEST_ADD ("/synapse/engine/last-progress-whole", test_last_progress_whole);
  SYN_TEST_ADD ("/synapse/engine/explain", test_explain);
  SYN_TEST_ADD ("/synapse/engine/explain-after-rollback-of-earlier-run", test_explain_after_rollback_of_earlier_run);
  SYN_TEST_ADD ("/synapse/engine/property-execute-then-rollback", test_property_execute_then_rollback);

  return g_test_run ();
}

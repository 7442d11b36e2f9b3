/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-rules.c: rule definitions, naming templates, condition evaluation and the demo data. */
#include "config.h"

#include <string.h>

#include "core/syn-asset.h"
#include "core/syn-json.h"
#include "core/syn-rule.h"
#include "core/syn-vocabulary.h"
#include "engine/syn-engine-error.h"
#include "engine/syn-naming-template.h"
#include "engine/syn-rule-condition.h"
#include "engine/syn-rule-parser.h"

/* JSON in C strings is unreadable with escaped quotes: the tests write it
 * with single quotes and swap them here. */
static JsonNode *
json (const char *text)
{
  g_autofree char *swapped = g_strdelimit (g_strdup (text), "'", '"');
  g_autoptr(GError) error = NULL;
  JsonNode *node = syn_json_parse (swapped, -1, &error);

  g_assert_no_error (error);
  return node;
}

static JsonObject *
json_object (const char *text)
{
  g_autoptr(JsonNode) node = json (text);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static SynAsset *
make_asset (const char *tag, const char *type, const char *area, const char *properties)
{
  SynAsset *asset = syn_asset_new ();

  asset->tag = g_strdup (tag);
  asset->type = g_strdup (type);
  asset->area = g_strdup (area);
  if (properties != NULL)
    {
      g_clear_pointer (&asset->properties, json_object_unref);
      asset->properties = json_object (properties);
    }
  return asset;
}

static SynAsset *
pump (void)
{
  return make_asset ("210-PP-001", "PUMP", "210",
                     "{'pump_type': 'CENTRIFUGAL', 'hp': 75, 'pressure': '150 PSI',"
                     " 'voltage': '600V', 'flow': 12.5, 'tags': ['spare', 'critical'],"
                     " 'empty': '', 'nothing': null, 'hp_text': '75'}");
}

/* One test against the pump above. */
static gboolean
holds (const char *test)
{
  g_autofree char *text = g_strdup_printf ("{'all': [%s]}", test);
  g_autoptr(JsonNode) condition = json (text);
  g_autoptr(SynAsset) asset = pump ();
  SynConditionVerdict verdict;
  gboolean matched;

  matched = syn_rule_condition_evaluate (condition, asset, "CA", &verdict);
  /* The fast path must always agree with the explaining one. */
  g_assert_cmpint (matched, ==, syn_rule_condition_matches (condition, asset, "CA"));
  g_assert_cmpint (matched, ==, verdict.matched);
  syn_condition_verdict_clear (&verdict);
  return matched;
}

static void
test_operator_eq (void)
{
  g_assert_true (holds ("{'key': 'pump_type', 'op': '==', 'value': 'CENTRIFUGAL'}"));
  g_assert_false (holds ("{'key': 'pump_type', 'op': '==', 'value': 'SLURRY'}"));
  g_assert_true (holds ("{'key': 'hp', 'op': '==', 'value': 75}"));
  g_assert_true (holds ("{'key': 'hp', 'op': '==', 'value': 75.0}"));
  g_assert_true (holds ("{'key': 'hp', 'op': '==', 'value': '75'}"));
  g_assert_false (holds ("{'key': 'hp', 'op': '==', 'value': 76}"));
  g_assert_false (holds ("{'key': 'absent', 'op': '==', 'value': 'x'}"));
}

static void
test_operator_ne (void)
{
  g_assert_true (holds ("{'key': 'pump_type', 'op': '!=', 'value': 'SLURRY'}"));
  g_assert_false (holds ("{'key': 'pump_type', 'op': '!=', 'value': 'CENTRIFUGAL'}"));
  g_assert_false (holds ("{'key': 'voltage', 'op': '!=', 'value': 600}"));
  /* The negation of ==: an absent value is not equal to anything. */
  g_assert_true (holds ("{'key': 'absent', 'op': '!=', 'value': 'x'}"));
}

static void
test_operator_ordering (void)
{
  g_assert_true (holds ("{'key': 'hp', 'op': '>', 'value': 50}"));
  g_assert_false (holds ("{'key': 'hp', 'op': '>', 'value': 75}"));
  g_assert_true (holds ("{'key': 'hp', 'op': '>=', 'value': 75}"));
  g_assert_false (holds ("{'key': 'hp', 'op': '>=', 'value': 75.5}"));
  g_assert_true (holds ("{'key': 'hp', 'op': '<', 'value': 100}"));
  g_assert_false (holds ("{'key': 'hp', 'op': '<', 'value': 75}"));
  g_assert_true (holds ("{'key': 'hp', 'op': '<=', 'value': 75}"));
  g_assert_false (holds ("{'key': 'hp', 'op': '<=', 'value': 74}"));
  g_assert_true (holds ("{'key': 'flow', 'op': '>', 'value': 12}"));
  g_assert_true (holds ("{'key': 'hp_text', 'op': '>', 'value': 9}"));
  /* Numeric only: text and absent values never compare. */
  g_assert_false (holds ("{'key': 'pump_type', 'op': '>', 'value': 0}"));
  g_assert_false (holds ("{'key': 'pump_type', 'op': '<', 'value': 0}"));
  g_assert_false (holds ("{'key': 'absent', 'op': '<', 'value': 1}"));
}

static void
test_operator_numeric_prefix (void)
{
  g_assert_true (holds ("{'key': 'pressure', 'op': '>', 'value': 100}"));
  g_assert_false (holds ("{'key': 'pressure', 'op': '<', 'value': 100}"));
  g_assert_true (holds ("{'key': 'pressure', 'op': '==', 'value': 150}"));
  g_assert_true (holds ("{'key': 'pressure', 'op': '>=', 'value': '150 psi'}"));
  g_assert_true (holds ("{'key': 'voltage', 'op': '==', 'value': 600}"));
  g_assert_true (holds ("{'key': 'voltage', 'op': '==', 'value': '600 V'}"));
  g_assert_false (holds ("{'key': 'voltage', 'op': '==', 'value': 575}"));
  /* Different units are not the same quantity. */
  g_assert_false (holds ("{'key': 'pressure', 'op': '>', 'value': '100 kPa'}"));
}

static void
test_operator_string_fallback (void)
{
  /* Both begin with 210, but they are tags: compared as strings. */
  g_assert_false (holds ("{'key': 'tag', 'op': '==', 'value': '210-PP-002'}"));
  g_assert_true (holds ("{'key': 'tag', 'op': '==', 'value': '210-PP-001'}"));
  g_assert_true (holds ("{'key': 'tag', 'op': '!=', 'value': '210-PP-002'}"));
  /* Case-sensitive. */
  g_assert_false (holds ("{'key': 'pump_type', 'op': '==', 'value': 'centrifugal'}"));
  g_assert_false (holds ("{'key': 'hp', 'op': '==', 'value': 'seventy-five'}"));
}

static void
test_operator_in (void)
{
  g_assert_true (holds ("{'key': 'pump_type', 'op': 'in', 'value': ['SLURRY', 'CENTRIFUGAL']}"));
  g_assert_false (holds ("{'key': 'pump_type', 'op': 'in', 'value': ['SLURRY']}"));
  g_assert_true (holds ("{'key': 'hp', 'op': 'in', 'value': [50, '75']}"));
  g_assert_true (holds ("{'key': 'hp_text', 'op': 'in', 'value': [75]}"));
  g_assert_false (holds ("{'key': 'absent', 'op': 'in', 'value': ['x']}"));
  g_assert_false (holds ("{'key': 'pump_type', 'op': 'in', 'value': []}"));
}

static void
test_operator_not_in (void)
{
  g_assert_true (holds ("{'key': 'pump_type', 'op': 'not_in', 'value': ['SLURRY']}"));
  g_assert_false (holds ("{'key': 'pump_type', 'op': 'not_in', 'value': ['SLURRY', 'CENTRIFUGAL']}"));
  g_assert_false (holds ("{'key': 'hp', 'op': 'not_in', 'value': [75.0]}"));
  g_assert_true (holds ("{'key': 'absent', 'op': 'not_in', 'value': ['x']}"));
}

static void
test_operator_contains (void)
{
  g_assert_true (holds ("{'key': 'pump_type', 'op': 'contains', 'value': 'TRIF'}"));
  g_assert_false (holds ("{'key': 'pump_type', 'op': 'contains', 'value': 'trif'}"));
  g_assert_true (holds ("{'key': 'tags', 'op': 'contains', 'value': 'critical'}"));
  g_assert_false (holds ("{'key': 'tags', 'op': 'contains', 'value': 'crit'}"));
  g_assert_true (holds ("{'key': 'tag', 'op': 'contains', 'value': '-PP-'}"));
  g_assert_false (holds ("{'key': 'absent', 'op': 'contains', 'value': 'x'}"));
}

static void
test_operator_exists_missing (void)
{
  g_assert_true (holds ("{'key': 'hp', 'op': 'exists'}"));
  g_assert_false (holds ("{'key': 'absent', 'op': 'exists'}"));
  g_assert_false (holds ("{'key': 'nothing', 'op': 'exists'}"));
  g_assert_false (holds ("{'key': 'empty', 'op': 'exists'}"));
  g_assert_true (holds ("{'key': 'absent', 'op': 'missing'}"));
  g_assert_true (holds ("{'key': 'nothing', 'op': 'missing'}"));
  g_assert_false (holds ("{'key': 'hp', 'op': 'missing'}"));
  /* Columns: the pump has an area but no description. */
  g_assert_true (holds ("{'key': 'area', 'op': 'exists'}"));
  g_assert_true (holds ("{'key': 'description', 'op': 'missing'}"));
}

static void
test_operator_matches (void)
{
  g_assert_true (holds ("{'key': 'tag', 'op': 'matches', 'value': '^210-PP-\\\\d+$'}"));
  g_assert_false (holds ("{'key': 'tag', 'op': 'matches', 'value': '^310-'}"));
  g_assert_true (holds ("{'key': 'hp', 'op': 'matches', 'value': '^7'}"));
  g_assert_false (holds ("{'key': 'absent', 'op': 'matches', 'value': '.*'}"));
  /* An unvalidated, broken pattern never matches; and twice, from the cache. */
  g_assert_false (holds ("{'key': 'tag', 'op': 'matches', 'value': '(['}"));
  g_assert_true (holds ("{'key': 'tag', 'op': 'matches', 'value': '^210-PP-\\\\d+$'}"));
}

static void
test_condition_columns (void)
{
  g_assert_true (holds ("{'key': 'type', 'op': '==', 'value': 'PUMP'}"));
  g_assert_true (holds ("{'key': 'area', 'op': '==', 'value': 210}"));
  g_assert_true (holds ("{'key': 'area', 'op': 'in', 'value': ['210', '310']}"));
  g_assert_false (holds ("{'key': 'discipline', 'op': '==', 'value': 'MECHANICAL'}"));
}

static gboolean
condition_matches (const char *condition_text, SynAsset *asset, const char *country)
{
  g_autoptr(JsonNode) condition = json (condition_text);

  return syn_rule_condition_matches (condition, asset, country);
}

static void
test_condition_asset_type (void)
{
  g_autoptr(SynAsset) asset = pump ();

  g_assert_true (condition_matches ("{'asset_type': 'PUMP'}", asset, NULL));
  g_assert_true (condition_matches ("{'asset_type': ['TANK', 'PUMP']}", asset, NULL));
  g_assert_false (condition_matches ("{'asset_type': ['TANK', 'AGITATOR']}", asset, NULL));
  g_assert_false (condition_matches ("{'asset_type': 'pump'}", asset, NULL));
  g_assert_true (condition_matches ("{}", asset, NULL));
  g_assert_true (syn_rule_condition_matches (NULL, asset, NULL));
}

static void
test_condition_project_country (void)
{
  g_autoptr(SynAsset) asset = pump ();

  g_assert_true (condition_matches ("{'project_country': 'CA'}", asset, "CA"));
  g_assert_true (condition_matches ("{'project_country': 'CA'}", asset, "ca"));
  g_assert_false (condition_matches ("{'project_country': 'CA'}", asset, "US"));
  g_assert_true (condition_matches ("{'project_country': ['CA', 'US']}", asset, "US"));
  /* A project without a country is in no country's scope. */
  g_assert_false (condition_matches ("{'project_country': 'CA'}", asset, NULL));
  g_assert_false (condition_matches ("{'project_country': 'CA'}", asset, ""));
  g_assert_true (condition_matches ("{'asset_type': 'PUMP'}", asset, NULL));
}

static void
test_condition_all_any (void)
{
  g_autoptr(SynAsset) asset = pump ();

  g_assert_true (condition_matches ("{'all': [{'key': 'hp', 'op': '>', 'value': 50},"
                                    " {'key': 'pump_type', 'op': '==', 'value': 'CENTRIFUGAL'}]}",
                                    asset, NULL));
  g_assert_false (condition_matches ("{'all': [{'key': 'hp', 'op': '>', 'value': 50},"
                                     " {'key': 'pump_type', 'op': '==', 'value': 'SLURRY'}]}",
                                     asset, NULL));
  g_assert_true (condition_matches ("{'any': [{'key': 'hp', 'op': '>', 'value': 500},"
                                    " {'key': 'pump_type', 'op': '==', 'value': 'CENTRIFUGAL'}]}",
                                    asset, NULL));
  g_assert_false (condition_matches ("{'any': [{'key': 'hp', 'op': '>', 'value': 500},"
                                     " {'key': 'pump_type', 'op': '==', 'value': 'SLURRY'}]}",
                                     asset, NULL));
  /* An empty any is no constraint; an empty all neither. */
  g_assert_true (condition_matches ("{'all': [], 'any': []}", asset, NULL));
  /* Keys this version does not know keep the rule from firing. */
  g_assert_false (condition_matches ("{'asset_type': 'PUMP', 'shape': 'round'}", asset, NULL));
}

static void
assert_verdict (const char *condition_text,
                SynAsset   *asset,
                const char *country,
                const char *failed_test,
                const char *actual)
{
  g_autoptr(JsonNode) condition = json (condition_text);
  g_auto(SynConditionVerdict) verdict = { 0 };
  gboolean matched;

  matched = syn_rule_condition_evaluate (condition, asset, country, &verdict);
  g_assert_cmpint (matched, ==, failed_test == NULL);
  g_assert_cmpint (verdict.matched, ==, matched);
  g_assert_cmpstr (verdict.failed_test, ==, failed_test);
  g_assert_cmpstr (verdict.actual, ==, actual);
  syn_condition_verdict_clear (&verdict);
  g_assert_null (verdict.failed_test);
  g_assert_null (verdict.actual);
}

static void
test_condition_verdict (void)
{
  g_autoptr(SynAsset) asset = pump ();
  g_autoptr(SynAsset) tank = make_asset ("310-TK-001", "TANK", "310", NULL);

  assert_verdict ("{'asset_type': ['PUMP'], 'all': [{'key': 'pump_type', 'op': '==', 'value': 'CENTRIFUGAL'}]}",
                  asset, NULL, NULL, NULL);
  assert_verdict ("{'asset_type': ['PUMP'], 'all': [{'key': 'pump_type', 'op': '==', 'value': 'SLURRY'}]}",
                  asset, NULL, "pump_type == SLURRY", "CENTRIFUGAL");
  assert_verdict ("{'asset_type': ['PUMP']}", tank, NULL, "asset_type in [PUMP]", "TANK");
  assert_verdict ("{'asset_type': 'PUMP'}", tank, NULL, "asset_type == PUMP", "TANK");
  assert_verdict ("{'project_country': ['CA', 'US']}", asset, NULL, "project_country in [CA, US]", NULL);
  assert_verdict ("{'project_country': 'CA'}", asset, "MX", "project_country == CA", "MX");
  /* The first failing test is the one reported. */
  assert_verdict ("{'all': [{'key': 'hp', 'op': '>', 'value': 50},"
                  " {'key': 'hp', 'op': '>', 'value': 100},"
                  " {'key': 'absent', 'op': 'exists'}]}",
                  asset, NULL, "hp > 100", "75");
  assert_verdict ("{'all': [{'key': 'absent', 'op': 'exists'}]}", asset, NULL, "absent exists", NULL);
  assert_verdict ("{'all': [{'key': 'hp', 'op': 'missing'}]}", asset, NULL, "hp missing", "75");
  assert_verdict ("{'all': [{'key': 'flow', 'op': '<', 'value': 10.5}]}", asset, NULL, "flow < 10.5", "12.5");
  assert_verdict ("{'all': [{'key': 'pump_type', 'op': 'in', 'value': ['SLURRY', 1]}]}",
                  asset, NULL, "pump_type in [SLURRY, 1]", "CENTRIFUGAL");
  assert_verdict ("{'all': [{'key': 'tags', 'op': 'contains', 'value': 'x'}]}",
                  asset, NULL, "tags contains x", "[spare, critical]");
  assert_verdict ("{'any': [{'key': 'hp', 'op': '>', 'value': 500}, {'key': 'absent', 'op': 'exists'}]}",
                  asset, NULL, "any [hp > 500, absent exists]", NULL);
}

/* Naming templates */

static char *
expand (const char *template, SynAsset *asset, GError **error)
{
  return syn_naming_template_expand (template, asset, "MCC-210-01", "210-M-001", error);
}

static void
assert_expands (const char *template, SynAsset *asset, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  g_assert_true (syn_naming_template_validate (template, &error));
  g_assert_no_error (error);
  result = expand (template, asset, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, expected);
}

static void
assert_expand_fails (const char *template, SynAsset *asset, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  result = syn_naming_template_expand (template, asset, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, message);
}

static void
assert_template_invalid (const char *template, const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (syn_naming_template_validate (template, &error));
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_template_placeholders (void)
{
  g_autoptr(SynAsset) asset = pump ();

  assert_expands ("{tag}-M", asset, "210-PP-001-M");
  assert_expands ("{parent_tag}", asset, "210-PP-001");
  assert_expands ("{type}/{area}", asset, "PUMP/210");
  assert_expands ("{area}-M-{tag_number}", asset, "210-M-001");
  assert_expands ("{from_tag}>{to_tag}", asset, "MCC-210-01>210-M-001");
  assert_expands ("{prop.pump_type}", asset, "CENTRIFUGAL");
  assert_expands ("PLAIN-TAG", asset, "PLAIN-TAG");
}

static void
test_template_tag_number (void)
{
  g_autoptr(SynAsset) a = make_asset ("310-AG-0042", "AGITATOR", "310", NULL);
  g_autoptr(SynAsset) b = make_asset ("TK7", "TANK", "310", NULL);
  g_autoptr(SynAsset) c = make_asset ("210-PP-001A", "PUMP", "210", NULL);
  g_autoptr(SynAsset) d = make_asset ("210-PP-AB", "PUMP", "210", NULL);
  g_autoptr(SynAsset) e = make_asset ("210-PP-001AB", "PUMP", "210", NULL);

  assert_expands ("{tag_number}", a, "0042");
  assert_expands ("LT-{tag_number}", b, "LT-7");
  /* spares and parallel units: the number keeps its one-letter suffix */
  assert_expands ("{area}-M-{tag_number}", c, "210-M-001A");
  assert_expand_fails ("{area}-M-{tag_number}", d,
                       "{tag_number}: tag \"210-PP-AB\" does not end with a number (or a number and one letter)");
  assert_expand_fails ("{tag_number}", e,
                       "{tag_number}: tag \"210-PP-001AB\" does not end with a number (or a number and one letter)");
}

static void
test_template_prop_number (void)
{
  g_autoptr(SynAsset) asset = pump ();

  assert_expands ("{prop.hp}HP", asset, "75HP");
  assert_expands ("{prop.flow}", asset, "12.5");
  json_object_set_double_member (asset->properties, "rating", 100.0);
  assert_expands ("{prop.rating}", asset, "100");
  json_object_set_boolean_member (asset->properties, "spare", TRUE);
  assert_expands ("{prop.spare}", asset, "true");
}

static void
test_template_missing_values (void)
{
  g_autoptr(SynAsset) asset = pump ();
  g_autoptr(SynAsset) no_area = make_asset ("PP-001", "PUMP", NULL, NULL);

  assert_expand_fails ("{prop.voltage_class}", asset,
                       "{prop.voltage_class}: asset \"210-PP-001\" has no property \"voltage_class\"");
  assert_expand_fails ("{prop.nothing}", asset,
                       "{prop.nothing}: asset \"210-PP-001\" has no property \"nothing\"");
  assert_expand_fails ("{prop.empty}", asset,
                       "{prop.empty}: asset \"210-PP-001\" has no property \"empty\"");
  assert_expand_fails ("{prop.tags}", asset,
                       "{prop.tags}: property \"tags\" of asset \"210-PP-001\" is not a single value");
  assert_expand_fails ("{area}-M-{tag_number}", no_area, "{area}: asset \"PP-001\" has no area");
  assert_expand_fails ("{from_tag}", asset,
                       "{from_tag}: not available for asset \"210-PP-001\" in this action");
}

static void
test_template_literal_braces (void)
{
  g_autoptr(SynAsset) asset = pump ();

  assert_expands ("{{tag}}", asset, "{tag}");
  assert_expands ("{{{tag}}}", asset, "{210-PP-001}");
  assert_expands ("A}}B{{C", asset, "A}B{C");
}

static void
test_template_invalid (void)
{
  assert_template_invalid ("{area}-M-{foo}", "unknown placeholder \"{foo}\"");
  assert_template_invalid ("{TAG}", "unknown placeholder \"{TAG}\"");
  assert_template_invalid ("{prop.}", "unknown placeholder \"{prop.}\"");
  assert_template_invalid ("{}", "unknown placeholder \"{}\"");
  assert_template_invalid ("", "empty template");
  assert_template_invalid ("{tag", "unbalanced brace: \"{\" at offset 0 is not closed (write \"{{\" for a literal brace)");
  assert_template_invalid ("{ta{g}", "unbalanced brace: \"{\" at offset 0 is not closed (write \"{{\" for a literal brace)");
  assert_template_invalid ("tag}", "unbalanced brace: \"}\" at offset 3 without \"{\" (write \"}}\" for a literal brace)");
  g_assert_true (syn_naming_template_validate ("{prop.motor hp}", NULL));
}

/* Rule definitions */

static SynRule *
parse (const char *text, const char *project_id, GError **error)
{
  g_autoptr(JsonObject) object = json_object (text);

  return syn_rule_parse (object, project_id, error);
}

static const char *valid_rule =
  "{'id': 'firm-pump-motor', 'name': 'FIRM: Centrifugal Pumps require Electric Motor',"
  " 'description': 'Every centrifugal pump is driven by an electric motor.',"
  " 'source': 'FIRM', 'priority': 10, 'discipline': 'ELECTRICAL', 'is_enforced': false,"
  " 'is_active': true, 'action_type': 'CREATE_CHILD',"
  " 'condition': {'asset_type': ['PUMP'], 'all': [{'key': 'pump_type', 'op': '==', 'value': 'CENTRIFUGAL'}]},"
  " 'action': {'type': 'MOTOR', 'naming': '{area}-M-{tag_number}', 'relation': 'powers',"
  " 'discipline': 'ELECTRICAL', 'inherit_properties': ['area', 'system'],"
  " 'properties': {'enclosure': 'TEFC'}}}";

static void
test_parse_design_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRule) rule = parse (valid_rule, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rule);
  g_assert_cmpstr (rule->id, ==, "firm-pump-motor");
  g_assert_null (rule->project_id);
  g_assert_cmpstr (rule->name, ==, "FIRM: Centrifugal Pumps require Electric Motor");
  g_assert_cmpstr (rule->source, ==, "FIRM");
  g_assert_cmpint (rule->priority, ==, 10);
  g_assert_cmpstr (rule->discipline, ==, "ELECTRICAL");
  g_assert_false (rule->is_enforced);
  g_assert_true (rule->is_active);
  g_assert_cmpstr (rule->action_type, ==, "CREATE_CHILD");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (rule->condition));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (rule->action));
  g_assert_true (syn_rule_validate (rule, &error));
  g_assert_no_error (error);
}

static void
test_parse_defaults (void)
{
  static const struct { const char *source; gint64 priority; } cases[] = {
    { "FIRM", 10 }, { "COUNTRY", 30 }, { "PROJECT", 50 }, { "CLIENT", 100 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SynRule) rule = NULL;
      g_autofree char *text =
        g_strdup_printf ("{'name': '%s: Check', 'source': '%s', 'action_type': 'VALIDATE',"
                         " 'action': {'message': 'check'}}", cases[i].source, cases[i].source);

      rule = parse (text, "6a1c3f70-8d4e-4f57-9d36-1d6e2f2a9b10", &error);
      g_assert_no_error (error);
      g_assert_cmpint (rule->priority, ==, cases[i].priority);
      g_assert_cmpint (syn_rule_source_default_priority (cases[i].source), ==, cases[i].priority);
      g_assert_true (syn_uuid_is_valid (rule->id));
      g_assert_cmpstr (rule->project_id, ==, "6a1c3f70-8d4e-4f57-9d36-1d6e2f2a9b10");
      g_assert_true (rule->is_active);
      g_assert_false (rule->is_enforced);
      g_assert_null (rule->condition);
      g_assert_null (rule->discipline);
      g_assert_null (rule->description);
    }
  g_assert_cmpint (syn_rule_source_default_priority ("VENDOR"), ==, -1);
  g_assert_cmpint (syn_rule_source_default_priority (NULL), ==, -1);
}

static void
test_parse_generated_ids_differ (void)
{
  const char *text = "{'name': 'FIRM: Check', 'source': 'FIRM', 'action_type': 'VALIDATE',"
                     " 'action': {'message': 'check'}, 'is_active': false, 'is_enforced': true,"
                     " 'priority': 7}";
  g_autoptr(SynRule) a = parse (text, NULL, NULL);
  g_autoptr(SynRule) b = parse (text, NULL, NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (a->id, !=, b->id);
  /* ids the system makes are UUIDv7, like every other id (version nibble 7) */
  g_assert_true (syn_uuid_is_valid (a->id));
  g_assert_cmpint (a->id[14], ==, '7');
  g_assert_false (a->is_active);
  g_assert_true (a->is_enforced);
  g_assert_cmpint (a->priority, ==, 7);
}

/* Parses and expects exactly this message, or at least this prefix when
 * the message ends with "...". */
static void
assert_rule_error (const char *text, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRule) rule = parse (text, NULL, &error);

  g_assert_null (rule);
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE);
  if (g_str_has_suffix (expected, "..."))
    {
      g_autofree char *prefix = g_strndup (expected, strlen (expected) - 3);

      if (!g_str_has_prefix (error->message, prefix))
        g_error ("expected \"%s\", got \"%s\"", expected, error->message);
    }
  else
    g_assert_cmpstr (error->message, ==, expected);
}

static char *
rule_text (const char *action_type, const char *condition, const char *action)
{
  return g_strdup_printf ("{'id': 'r1', 'name': 'FIRM: Test', 'source': 'FIRM', 'action_type': '%s',"
                          " 'condition': %s, 'action': %s}", action_type, condition, action);
}

static void
assert_action_error (const char *action_type, const char *action, const char *expected)
{
  g_autofree char *text = rule_text (action_type, "{'asset_type': 'PUMP'}", action);

  assert_rule_error (text, expected);
}

static void
assert_action_valid (const char *action_type, const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = rule_text (action_type, "{'asset_type': 'PUMP'}", action);
  g_autoptr(SynRule) rule = parse (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rule);
}

static void
assert_condition_error (const char *condition, const char *expected)
{
  g_autofree char *text = rule_text ("VALIDATE", condition, "{'message': 'm'}");

  assert_rule_error (text, expected);
}

static void
test_parse_top_level_errors (void)
{
  assert_rule_error ("{'id': 'r1', 'source': 'FIRM', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": name: missing");
  assert_rule_error ("{'id': 'r1', 'name': '  ', 'source': 'FIRM', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": name: must not be blank");
  assert_rule_error ("{'id': 'r1', 'name': 12, 'source': 'FIRM', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": name: must be a string, not a number");
  /* Without an id, the rule is named by its name. */
  assert_rule_error ("{'name': 'FIRM: Check', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"FIRM: Check\": source: missing");
  assert_rule_error ("{'id': 'r1', 'name': 'VENDOR: Check', 'source': 'VENDOR', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": source: must be one of FIRM, COUNTRY, PROJECT, CLIENT, not \"VENDOR\"");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'priority': '10', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": priority: must be an integer, not a string");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'priority': 10.5, 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": priority: must be an integer...");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'discipline': 'CIVIL', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": discipline: must be one of ELECTRICAL, AUTOMATION, MECHANICAL, PROCESS, PIPING, INSTRUMENTATION, not \"CIVIL\"");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'is_active': 'yes', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": is_active: must be true or false, not a string");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'prority': 5, 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r1\": prority: unknown field");
  assert_rule_error ("{'id': 'r 1', 'name': 'FIRM: Check', 'source': 'FIRM', 'action_type': 'VALIDATE', 'action': {'message': 'm'}}",
                     "Rule \"r 1\": id: \"r 1\" must be letters, digits...");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'action': {'message': 'm'}}",
                     "Rule \"r1\": action_type: missing");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'action_type': 'DELETE_ASSET', 'action': {}}",
                     "Rule \"r1\": action_type: unknown action type \"DELETE_ASSET\"...");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'action_type': 'VALIDATE'}",
                     "Rule \"r1\": action: missing");
  assert_rule_error ("{'id': 'r1', 'name': 'FIRM: Check', 'source': 'FIRM', 'action_type': 'VALIDATE', 'action': []}",
                     "Rule \"r1\": action: must be an object, not an array");
}

static void
test_parse_reserved_action_types (void)
{
  assert_action_error ("CREATE_PACKAGE", "{}",
                       "Rule \"r1\": action_type: CREATE_PACKAGE is reserved, not supported yet");
  assert_action_error ("ALLOCATE_IO", "{}",
                       "Rule \"r1\": action_type: ALLOCATE_IO is reserved, not supported yet");
}

static void
test_parse_unknown_operator (void)
{
  g_auto(GStrv) parts = g_strsplit (valid_rule, "'=='", -1);
  g_autofree char *text = g_strjoinv ("'=~'", parts);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  assert_rule_error (text, "Rule \"firm-pump-motor\": condition.all[0].op: unknown operator \"=~\"...");
}

static void
test_parse_unknown_placeholder (void)
{
  assert_action_error ("CREATE_CHILD",
                       "{'type': 'MOTOR', 'naming': '{area}-M-{foo}', 'relation': 'powers'}",
                       "Rule \"r1\": action.naming: unknown placeholder \"{foo}\"");
  assert_action_error ("CREATE_CHILD",
                       "{'type': 'MOTOR', 'naming': '{area-M', 'relation': 'powers'}",
                       "Rule \"r1\": action.naming: unbalanced brace...");
}

static void
test_parse_condition_errors (void)
{
  assert_condition_error ("{'asset_type': 5}",
                          "Rule \"r1\": condition.asset_type: must be a string or an array of strings, not a number");
  assert_condition_error ("{'asset_type': ['PUMP', 5]}",
                          "Rule \"r1\": condition.asset_type[1]: must be a string, not a number");
  assert_condition_error ("{'project_country': []}",
                          "Rule \"r1\": condition.project_country: must not be an empty array");
  assert_condition_error ("{'asset': 'PUMP'}",
                          "Rule \"r1\": condition.asset: unknown condition key...");
  assert_condition_error ("[]", "Rule \"r1\": condition: must be an object, not an array");
  assert_condition_error ("{'all': {'key': 'hp'}}",
                          "Rule \"r1\": condition.all: must be an array of tests, not an object");
  assert_condition_error ("{'any': ['hp']}",
                          "Rule \"r1\": condition.any[0]: must be an object {key, op, value}, not a string");
  assert_condition_error ("{'all': [{'op': 'exists'}]}", "Rule \"r1\": condition.all[0].key: missing");
  assert_condition_error ("{'all': [{'key': 'hp'}]}", "Rule \"r1\": condition.all[0].op: missing");
  assert_condition_error ("{'all': [{'key': 'hp', 'op': '>', 'value': 1, 'unit': 'kW'}]}",
                          "Rule \"r1\": condition.all[0].unit: unknown field...");
  assert_condition_error ("{'all': [{'key': 'hp', 'op': '>'}]}",
                          "Rule \"r1\": condition.all[0].value: missing (operator \">\" needs a value)");
  assert_condition_error ("{'all': [{'key': 'hp', 'op': '>', 'value': 'big'}]}",
                          "Rule \"r1\": condition.all[0].value: must be a number with operator \">\"");
  assert_condition_error ("{'all': [{'key': 'hp', 'op': 'exists'}, {'key': 'hp', 'op': 'exists', 'value': false}]}",
                          "Rule \"r1\": condition.all[1].value: not used with operator \"exists\"");
  assert_condition_error ("{'all': [{'key': 'hp', 'op': 'in', 'value': 'A'}]}",
                          "Rule \"r1\": condition.all[0].value: must be an array with operator \"in\", not a string");
  assert_condition_error ("{'all': [{'key': 'hp', 'op': 'not_in', 'value': [[1]]}]}",
                          "Rule \"r1\": condition.all[0].value[0]: must be a string, number or boolean, not an array");
  assert_condition_error ("{'all': [{'key': 'hp', 'op': '==', 'value': {}}]}",
                          "Rule \"r1\": condition.all[0].value: must be a string, number or boolean, not an object");
  assert_condition_error ("{'all': [{'key': 'tag', 'op': 'matches', 'value': '(['}]}",
                          "Rule \"r1\": condition.all[0].value: invalid regular expression: ...");
  assert_condition_error ("{'all': [{'key': '', 'op': 'exists'}]}",
                          "Rule \"r1\": condition.all[0].key: must not be empty");
}

static void
test_parse_conditions_valid (void)
{
  static const char * const conditions[] = {
    "{}",
    "null",
    "{'asset_type': 'PUMP', 'project_country': ['CA', 'US']}",
    "{'all': [{'key': 'hp', 'op': '>=', 'value': '5 HP'}, {'key': 'x', 'op': 'missing'}],"
    " 'any': [{'key': 'tag', 'op': 'matches', 'value': '^2\\\\d0-'},"
    " {'key': 'pump_type', 'op': 'not_in', 'value': ['A', 1, true]},"
    " {'key': 'tags', 'op': 'contains', 'value': 'spare'},"
    " {'key': 'hp', 'op': '!=', 'value': 5}, {'key': 'hp', 'op': '<', 'value': 1.5},"
    " {'key': 'hp', 'op': '<=', 'value': -2}, {'key': 'hp', 'op': 'in', 'value': []}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (conditions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = rule_text ("VALIDATE", conditions[i], "{'message': 'm'}");
      g_autoptr(SynRule) rule = parse (text, NULL, &error);

      g_assert_no_error (error);
    }
}

static void
test_action_create_child (void)
{
  assert_action_valid ("CREATE_CHILD", "{'type': 'MOTOR', 'naming': '{tag}-M', 'relation': 'powers'}");
  assert_action_error ("CREATE_CHILD", "{'naming': '{tag}-M', 'relation': 'powers'}",
                       "Rule \"r1\": action.type: missing");
  assert_action_error ("CREATE_CHILD", "{'type': 'MOTOR', 'relation': 'powers'}",
                       "Rule \"r1\": action.naming: missing");
  assert_action_error ("CREATE_CHILD", "{'type': 'MOTOR', 'naming': '{tag}-M'}",
                       "Rule \"r1\": action.relation: missing");
  assert_action_error ("CREATE_CHILD", "{'type': 'MOTOR', 'naming': '{tag}-M', 'relation': ''}",
                       "Rule \"r1\": action.relation: must not be empty");
  assert_action_error ("CREATE_CHILD", "{'type': 3, 'naming': '{tag}-M', 'relation': 'powers'}",
                       "Rule \"r1\": action.type: must be a string, not a number");
  assert_action_error ("CREATE_CHILD", "{'type': 'MOTOR', 'naming': '{tag}-M', 'relation': 'powers', 'discipline': 'CIVIL'}",
                       "Rule \"r1\": action.discipline: must be one of ...");
  assert_action_error ("CREATE_CHILD", "{'type': 'MOTOR', 'naming': '{tag}-M', 'relation': 'powers', 'inherit_properties': 'hp'}",
                       "Rule \"r1\": action.inherit_properties: must be an array of strings, not a string");
  assert_action_error ("CREATE_CHILD", "{'type': 'MOTOR', 'naming': '{tag}-M', 'relation': 'powers', 'inherit_properties': ['hp', 2]}",
                       "Rule \"r1\": action.inherit_properties[1]: must be a string, not a number");
  assert_action_error ("CREATE_CHILD", "{'type': 'MOTOR', 'naming': '{tag}-M', 'relation': 'powers', 'properties': ['TEFC']}",
                       "Rule \"r1\": action.properties: must be an object, not an array");
  assert_action_error ("CREATE_CHILD", "{'type': 'MOTOR', 'naming': '{tag}-M', 'relation': 'powers', 'relashun': 'x'}",
                       "Rule \"r1\": action.relashun: unknown field");
}

static void
test_action_create_cable (void)
{
  assert_action_valid ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'cable_type': 'TECK90', 'sizing': 'auto'}");
  assert_action_valid ("CREATE_CABLE", "{'naming': '{from_tag}-{to_tag}', 'to': 'child:MOTOR', 'from': '{area}-MCC-01',"
                       " 'cable_type': 'TECK90', 'sizing': 'manual', 'conductor_size': '6 AWG', 'insulation': 'XLPE',"
                       " 'voltage_drop_limit_pct': 5}");
  assert_action_valid ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'from': 'source', 'cable_type': 'TECK90',"
                       " 'sizing': 'auto', 'voltage_drop_limit_pct': 2.5}");
  assert_action_error ("CREATE_CABLE", "{'to': 'source', 'cable_type': 'TECK90', 'sizing': 'auto'}",
                       "Rule \"r1\": action.naming: missing");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'cable_type': 'TECK90', 'sizing': 'auto'}",
                       "Rule \"r1\": action.to: missing");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'sizing': 'auto'}",
                       "Rule \"r1\": action.cable_type: missing");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'cable_type': 'TECK90'}",
                       "Rule \"r1\": action.sizing: missing");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'parent', 'cable_type': 'TECK90', 'sizing': 'auto'}",
                       "Rule \"r1\": action.to: must be \"source\" or \"child:TYPE\", not \"parent\"");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'child:', 'cable_type': 'TECK90', 'sizing': 'auto'}",
                       "Rule \"r1\": action.to: must be \"source\" or \"child:TYPE\", not \"child:\"");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'from': '{mcc}', 'cable_type': 'TECK90', 'sizing': 'auto'}",
                       "Rule \"r1\": action.from: unknown placeholder \"{mcc}\"");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-{bad}', 'to': 'source', 'cable_type': 'TECK90', 'sizing': 'auto'}",
                       "Rule \"r1\": action.naming: unknown placeholder \"{bad}\"");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'cable_type': 'TECK90', 'sizing': 'guess'}",
                       "Rule \"r1\": action.sizing: must be one of auto, manual, not \"guess\"");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'cable_type': 'TECK90', 'sizing': 'manual'}",
                       "Rule \"r1\": action.conductor_size: missing (required with sizing \"manual\")");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'cable_type': 'TECK90', 'sizing': 'auto', 'conductor_size': '6 AWG'}",
                       "Rule \"r1\": action.conductor_size: only with sizing \"manual\"...");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'cable_type': 'TECK90', 'sizing': 'auto', 'voltage_drop_limit_pct': 0}",
                       "Rule \"r1\": action.voltage_drop_limit_pct: must be a number > 0");
  assert_action_error ("CREATE_CABLE", "{'naming': '{tag}-PWR', 'to': 'source', 'cable_type': 'TECK90', 'sizing': 'auto', 'voltage_drop_limit_pct': '3'}",
                       "Rule \"r1\": action.voltage_drop_limit_pct: must be a number, not a string");
}

static void
test_action_create_relationship (void)
{
  assert_action_valid ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'asset_type': 'TANK', 'match': 'same_area'}}");
  assert_action_valid ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'asset_type': 'PUMP', 'match': 'tag', 'tag': '{area}-PP-{tag_number}'}}");
  assert_action_error ("CREATE_RELATIONSHIP", "{'target': {'asset_type': 'TANK', 'match': 'same_area'}}",
                       "Rule \"r1\": action.relation: missing");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': '', 'target': {'asset_type': 'TANK', 'match': 'same_area'}}",
                       "Rule \"r1\": action.relation: must not be empty");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures'}",
                       "Rule \"r1\": action.target: missing");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': 'TANK'}",
                       "Rule \"r1\": action.target: must be an object, not a string");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'match': 'same_area'}}",
                       "Rule \"r1\": action.target.asset_type: missing");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'asset_type': 'TANK'}}",
                       "Rule \"r1\": action.target.match: missing");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'asset_type': 'TANK', 'match': 'nearest'}}",
                       "Rule \"r1\": action.target.match: must be one of same_area, tag, not \"nearest\"");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'asset_type': 'TANK', 'match': 'tag'}}",
                       "Rule \"r1\": action.target.tag: missing (required with match \"tag\")");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'asset_type': 'TANK', 'match': 'tag', 'tag': '{area}-TK-{num}'}}",
                       "Rule \"r1\": action.target.tag: unknown placeholder \"{num}\"");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'asset_type': 'TANK', 'match': 'same_area', 'tag': '{tag}'}}",
                       "Rule \"r1\": action.target.tag: only with match \"tag\"");
  assert_action_error ("CREATE_RELATIONSHIP", "{'relation': 'measures', 'target': {'asset_type': 'TANK', 'match': 'same_area', 'area': '310'}}",
                       "Rule \"r1\": action.target.area: unknown field");
}

static void
test_action_set_property (void)
{
  assert_action_valid ("SET_PROPERTY", "{'properties': {'voltage': 600, 'frequency_hz': 60}, 'mode': 'set'}");
  assert_action_valid ("SET_PROPERTY", "{'properties': {'manufacturer': 'Endress+Hauser'}, 'mode': 'default'}");
  assert_action_error ("SET_PROPERTY", "{'mode': 'set'}", "Rule \"r1\": action.properties: missing");
  /* the mode is optional: "set" when absent */
  assert_action_valid ("SET_PROPERTY", "{'properties': {'manufacturer': 'WEG'}}");
  assert_action_error ("SET_PROPERTY", "{'properties': {}, 'mode': 'set'}",
                       "Rule \"r1\": action.properties: must not be empty");
  assert_action_error ("SET_PROPERTY", "{'properties': 'voltage=600', 'mode': 'set'}",
                       "Rule \"r1\": action.properties: must be an object, not a string");
  assert_action_error ("SET_PROPERTY", "{'properties': {'voltage': null}, 'mode': 'set'}",
                       "Rule \"r1\": action.properties.voltage: must not be null");
  assert_action_error ("SET_PROPERTY", "{'properties': {'voltage': 600}, 'mode': 'replace'}",
                       "Rule \"r1\": action.mode: must be one of set, default, not \"replace\"");
}

static void
test_action_validate (void)
{
  assert_action_valid ("VALIDATE", "{'message': 'Pump has no hp'}");
  assert_action_valid ("VALIDATE", "{'message': 'Pump has no hp', 'severity': 'warning'}");
  assert_action_error ("VALIDATE", "{'severity': 'error'}", "Rule \"r1\": action.message: missing");
  assert_action_error ("VALIDATE", "{'message': ['a']}", "Rule \"r1\": action.message: must be a string, not an array");
  assert_action_error ("VALIDATE", "{'message': 'm', 'severity': 'fatal'}",
                       "Rule \"r1\": action.severity: must be one of error, warning, not \"fatal\"");
}

static void
test_validate_stored_rule (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRule) rule = syn_rule_new ();

  rule->id = g_strdup ("stored-1");
  rule->name = g_strdup ("FIRM: Stored");
  rule->source = g_strdup ("FIRM");
  rule->action_type = g_strdup ("SET_PROPERTY");
  g_assert_false (syn_rule_validate (rule, &error));
  g_assert_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE);
  g_assert_cmpstr (error->message, ==, "Rule \"stored-1\": action: missing");
  g_clear_error (&error);

  rule->action = json ("{'properties': {'voltage': 600}, 'mode': 'set'}");
  g_assert_true (syn_rule_validate (rule, &error));
  g_assert_no_error (error);

  rule->condition = json ("{'all': [{'key': 'voltage', 'op': 'like', 'value': 600}]}");
  g_assert_false (syn_rule_validate (rule, &error));
  g_assert_cmpstr (error->message, ==,
                   "Rule \"stored-1\": condition.all[0].op: unknown operator \"like\" "
                   "(expected one of ==, !=, >, <, >=, <=, in, not_in, contains, exists, missing, matches)");
}

static void
test_definition_json_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRule) rule = parse (valid_rule, "6a1c3f70-8d4e-4f57-9d36-1d6e2f2a9b10", &error);
  g_autoptr(JsonNode) definition = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(SynRule) reparsed = NULL;
  g_autoptr(SynRule) bare = NULL;
  g_autoptr(JsonNode) bare_definition = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  definition = syn_rule_to_definition_json (rule);
  object = json_node_get_object (definition);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "firm-pump-motor");
  g_assert_cmpstr (json_object_get_string_member (object, "project_id"), ==,
                   "6a1c3f70-8d4e-4f57-9d36-1d6e2f2a9b10");
  g_assert_cmpint (json_object_get_int_member (object, "priority"), ==, 10);
  g_assert_true (json_object_has_member (object, "condition"));
  g_assert_true (json_object_has_member (object, "action"));
  g_assert_cmpuint (json_object_get_size (object), ==, 12);

  reparsed = syn_rule_parse (object, rule->project_id, &error);
  g_assert_no_error (error);
  again = syn_rule_to_definition_json (reparsed);
  g_assert_true (syn_json_node_equal (definition, again));

  /* Library rule: project_id null; no condition: the empty object. */
  bare = parse ("{'id': 'b', 'name': 'FIRM: B', 'source': 'FIRM', 'action_type': 'VALIDATE',"
                " 'action': {'message': 'm'}}", NULL, &error);
  g_assert_no_error (error);
  bare_definition = syn_rule_to_definition_json (bare);
  object = json_node_get_object (bare_definition);
  g_assert_true (json_object_get_null_member (object, "project_id"));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "condition")));
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "condition")), ==, 0);
}

/* Demo data */

static char *
demo_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo", name, NULL);
}

static GPtrArray *
load_demo_rules (void)
{
  g_autofree char *path = demo_path ("baseline-rules.json");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *rules = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  root = syn_json_parse (text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SynRule *rule = syn_rule_parse (json_array_get_object_element (array, i), NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (rules, rule);
    }
  return rules;
}

/* The demo CSV is plain: no quoted cells, so a split on commas reads it. */
static GPtrArray *
load_demo_assets (char ***header_out)
{
  g_autofree char *path = demo_path ("gold-mine-assets.csv");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  GPtrArray *assets = g_ptr_array_new_with_free_func (g_object_unref);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strchr (text, '"'));
  lines = g_strsplit (g_strstrip (text), "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      SynAsset *asset = syn_asset_new ();

      g_assert_cmpuint (g_strv_length (cells), ==, g_strv_length (header));
      for (guint c = 0; cells[c] != NULL; c++)
        {
          g_autofree char *column = g_ascii_strdown (header[c], -1);

          if (cells[c][0] == '\0')
            continue;
          if (g_str_equal (column, "tag"))
            asset->tag = g_strdup (cells[c]);
          else if (g_str_equal (column, "type"))
            asset->type = g_strdup (cells[c]);
          else if (g_str_equal (column, "description"))
            asset->description = g_strdup (cells[c]);
          else if (g_str_equal (column, "area"))
            asset->area = g_strdup (cells[c]);
          else if (g_str_equal (column, "discipline"))
            asset->discipline = g_strdup (cells[c]);
          else
            json_object_set_string_member (asset->properties, column, cells[c]);
        }
      g_ptr_array_add (assets, asset);
    }
  if (header_out != NULL)
    *header_out = g_steal_pointer (&header);
  return assets;
}

static void
test_demo_rules (void)
{
  static const char * const all_action_types[] = {
    "CREATE_CHILD", "CREATE_CABLE", "CREATE_RELATIONSHIP", "SET_PROPERTY", "VALIDATE",
  };
  g_autoptr(GPtrArray) rules = load_demo_rules ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (rules->len, >=, 8);
  for (guint i = 0; i < rules->len; i++)
    {
      SynRule *rule = g_ptr_array_index (rules, i);
      g_autofree char *prefix = g_strdup_printf ("%s: ", rule->source);
      g_autoptr(GError) error = NULL;

      g_assert_true (syn_rule_validate (rule, &error));
      g_assert_no_error (error);
      g_assert_true (g_hash_table_add (ids, rule->id));
      g_assert_true (g_str_has_prefix (rule->name, prefix));
      g_assert_null (strchr (rule->name, '_'));
      g_assert_cmpint (rule->priority, ==, syn_rule_source_default_priority (rule->source));
      g_assert_true (rule->is_active);
    }
  for (guint t = 0; t < G_N_ELEMENTS (all_action_types); t++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < rules->len && !found; i++)
        found = g_str_equal (((SynRule *) g_ptr_array_index (rules, i))->action_type, all_action_types[t]);
      if (!found)
        g_error ("no demo rule of action type %s", all_action_types[t]);
    }
}

static void
test_demo_csv (void)
{
  static const char * const expected[] = {
    "TAG", "TYPE", "DESCRIPTION", "AREA", "DISCIPLINE", "SYSTEM",
    "pump_type", "hp", "voltage", "length_m", "manufacturer", "service", NULL
  };
  g_auto(GStrv) header = NULL;
  g_autoptr(GPtrArray) assets = load_demo_assets (&header);
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) pump_types = g_hash_table_new (g_str_hash, g_str_equal);
  guint pumps_with_length = 0, pumps_without_length = 0, transmitters_without_maker = 0;
  guint agitators_with_hp = 0, conveyors = 0, valves = 0, tanks = 0;

  g_assert_true (g_strv_equal ((const char * const *) header, expected));
  g_assert_cmpuint (assets->len, >=, 30);
  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (assets, i);
      const char *type = asset->type;

      g_assert_nonnull (asset->tag);
      g_assert_nonnull (type);
      g_assert_nonnull (asset->area);
      g_assert_true (g_str_has_prefix (asset->tag, asset->area));
      g_assert_true (g_hash_table_add (tags, asset->tag));
      g_assert_true (asset->discipline == NULL || syn_is_discipline (asset->discipline));
      if (g_str_equal (type, "PUMP"))
        {
          const char *pump_type = syn_json_get_string (asset->properties, "pump_type");

          g_assert_nonnull (pump_type);
          g_hash_table_add (pump_types, (char *) pump_type);
          if (json_object_has_member (asset->properties, "length_m"))
            pumps_with_length++;
          else
            pumps_without_length++;
        }
      else if (g_str_has_suffix (type, "_TRANSMITTER")
               && !json_object_has_member (asset->properties, "manufacturer"))
        transmitters_without_maker++;
      else if (g_str_equal (type, "AGITATOR") && json_object_has_member (asset->properties, "hp"))
        agitators_with_hp++;
      else if (g_str_equal (type, "CONVEYOR"))
        conveyors++;
      else if (g_str_equal (type, "VALVE"))
        valves++;
      else if (g_str_equal (type, "TANK"))
        tanks++;
    }
  g_assert_true (g_hash_table_contains (pump_types, "CENTRIFUGAL"));
  g_assert_true (g_hash_table_contains (pump_types, "SLURRY"));
  g_assert_true (g_hash_table_contains (pump_types, "POSITIVE_DISPLACEMENT"));
  g_assert_cmpuint (pumps_with_length, >, 0);
  g_assert_cmpuint (pumps_without_length, >, 0);
  g_assert_cmpuint (transmitters_without_maker, >, 0);
  g_assert_cmpuint (agitators_with_hp, >, 0);
  g_assert_cmpuint (conveyors, ==, 1);
  g_assert_cmpuint (valves, >, 0);
  g_assert_cmpuint (tanks, >, 0);
  g_assert_true (g_hash_table_contains (tags, "210-PP-001"));
  g_assert_true (g_hash_table_contains (tags, "310-TK-001"));
  g_assert_true (g_hash_table_contains (tags, "310-AG-001"));
  g_assert_true (g_hash_table_contains (tags, "210-LT-001"));
}

static SynAsset *
find_tag (GPtrArray *assets, const char *tag)
{
  for (guint i = 0; i < assets->len; i++)
    if (g_strcmp0 (((SynAsset *) g_ptr_array_index (assets, i))->tag, tag) == 0)
      return g_ptr_array_index (assets, i);
  return NULL;
}

/* A small stand-in for the engine's chaining, enough to prove the demo's
 * templates: every tag they make is new and unique, every expansion works,
 * and every tag-matched relationship finds its target. */
static void
test_demo_unique_tags (void)
{
  g_autoptr(GPtrArray) rules = load_demo_rules ();
  g_autoptr(GPtrArray) assets = load_demo_assets (NULL);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint created_children = 0, created_cables = 0, linked = 0, flagged = 0, pass;

  for (guint i = 0; i < assets->len; i++)
    {
      g_hash_table_add (tags, g_strdup (((SynAsset *) g_ptr_array_index (assets, i))->tag));
      g_ptr_array_add (candidates, g_object_ref (g_ptr_array_index (assets, i)));
    }

  for (pass = 1; candidates->len > 0; pass++)
    {
      g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_object_unref);

      g_assert_cmpuint (pass, <=, 8);
      for (guint r = 0; r < rules->len; r++)
        {
          SynRule *rule = g_ptr_array_index (rules, r);
          JsonObject *action = json_node_get_object (rule->action);

          for (guint a = 0; a < candidates->len; a++)
            {
              SynAsset *source = g_ptr_array_index (candidates, a);
              g_autoptr(GError) error = NULL;
              g_autofree char *tag = NULL;

              if (!syn_rule_condition_matches (rule->condition, source, "CA"))
                continue;
              if (g_str_equal (rule->action_type, "VALIDATE"))
                flagged++;
              if (g_str_equal (rule->action_type, "CREATE_RELATIONSHIP")
                  && g_str_equal (json_object_get_string_member (json_object_get_object_member (action, "target"), "match"), "tag"))
                {
                  JsonObject *target = json_object_get_object_member (action, "target");
                  SynAsset *found;

                  tag = syn_naming_template_expand (json_object_get_string_member (target, "tag"),
                                                    source, NULL, NULL, &error);
                  g_assert_no_error (error);
                  found = find_tag (assets, tag);
                  if (found == NULL)
                    g_error ("%s: no target %s for %s", rule->id, tag, source->tag);
                  g_assert_cmpstr (found->type, ==, json_object_get_string_member (target, "asset_type"));
                  linked++;
                }
              if (g_str_equal (rule->action_type, "CREATE_CABLE"))
                {
                  tag = syn_naming_template_expand (json_object_get_string_member (action, "naming"),
                                                    source, NULL, NULL, &error);
                  g_assert_no_error (error);
                  if (!g_hash_table_add (tags, g_strdup (tag)))
                    g_error ("%s: cable tag %s made twice", rule->id, tag);
                  created_cables++;
                }
              if (g_str_equal (rule->action_type, "CREATE_CHILD"))
                {
                  SynAsset *child;
                  JsonNode *inherit = json_object_get_member (action, "inherit_properties");

                  tag = syn_naming_template_expand (json_object_get_string_member (action, "naming"),
                                                    source, NULL, NULL, &error);
                  g_assert_no_error (error);
                  if (!g_hash_table_add (tags, g_strdup (tag)))
                    g_error ("%s: tag %s of the child of %s exists already", rule->id, tag, source->tag);
                  child = make_asset (tag, json_object_get_string_member (action, "type"), source->area, NULL);
                  for (guint k = 0; inherit && k < json_array_get_length (json_node_get_array (inherit)); k++)
                    {
                      const char *name = json_array_get_string_element (json_node_get_array (inherit), k);
                      JsonNode *value = json_object_get_member (source->properties, name);

                      if (value != NULL)
                        json_object_set_member (child->properties, name, json_node_copy (value));
                    }
                  g_ptr_array_add (created, child);
                  created_children++;
                }
            }
        }
      g_ptr_array_set_size (candidates, 0);
      for (guint i = 0; i < created->len; i++)
        {
          g_ptr_array_add (candidates, g_object_ref (g_ptr_array_index (created, i)));
          g_ptr_array_add (assets, g_object_ref (g_ptr_array_index (created, i)));
        }
    }

  /* Pass 1 makes motors and level transmitters, pass 2 their cables. */
  g_assert_cmpuint (pass, ==, 3);
  g_assert_cmpuint (created_children, >=, 10);
  g_assert_cmpuint (created_cables, >=, 10);
  g_assert_cmpuint (linked, >, 0);
  g_assert_cmpuint (flagged, >, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synapse/rules/operator/eq", test_operator_eq);
  g_test_add_func ("/synapse/rules/operator/ne", test_operator_ne);
  g_test_add_func ("/synapse/rules/operator/ordering", test_operator_ordering);
  g_test_add_func ("/synapse/rules/operator/numeric-prefix", test_operator_numeric_prefix);
  g_test_add_func ("/synapse/rules/operator/string-fallback", test_operator_string_fallback);
  g_test_add_func ("/synapse/rules/operator/in", test_operator_in);
  g_test_add_func ("/synapse/rules/operator/not-in", test_operator_not_in);
  g_test_add_func ("/synapse/rules/operator/contains", test_operator_contains);
  g_test_add_func ("/synapse/rules/operator/exists-missing", test_operator_exists_missing);
  g_test_add_func ("/synapse/rules/operator/matches", test_operator_matches);
  g_test_add_func ("/synapse/rules/condition/columns", test_condition_columns);
  g_test_add_func ("/synapse/rules/condition/asset-type", test_condition_asset_type);
  g_test_add_func ("/synapse/rules/condition/project-country", test_condition_project_country);
  g_test_add_func ("/synapse/rules/condition/all-any", test_condition_all_any);
  g_test_add_func ("/synapse/rules/condition/verdict", test_condition_verdict);
  g_test_add_func ("/synapse/rules/template/placeholders", test_template_placeholders);
  g_test_add_func ("/synapse/rules/template/tag-number", test_template_tag_number);
  g_test_add_func ("/synapse/rules/template/prop-number", test_template_prop_number);
  g_test_add_func ("/synapse/rules/template/missing-values", test_template_missing_values);
  g_test_add_func ("/synapse/rules/template/literal-braces", test_template_literal_braces);
  g_test_add_func ("/synapse/rules/template/invalid", test_template_invalid);
  g_test_add_func ("/synapse/rules/parse/design-example", test_parse_design_example);
  g_test_add_func ("/synapse/rules/parse/defaults", test_parse_defaults);
  g_test_add_func ("/synapse/rules/parse/generated-ids", test_parse_generated_ids_differ);
  g_test_add_func ("/synapse/rules/parse/top-level-errors", test_parse_top_level_errors);
  g_test_add_func ("/synapse/rules/parse/reserved-action-types", test_parse_reserved_action_types);
  g_test_add_func ("/synapse/rules/parse/unknown-operator", test_parse_unknown_operator);
  g_test_add_func ("/synapse/rules/parse/unknown-placeholder", test_parse_unknown_placeholder);
  g_test_add_func ("/synapse/rules/parse/condition-errors", test_parse_condition_errors);
  g_test_add_func ("/synapse/rules/parse/conditions-valid", test_parse_conditions_valid);
  g_test_add_func ("/synapse/rules/action/create-child", test_action_create_child);
  g_test_add_func ("/synapse/rules/action/create-cable", test_action_create_cable);
  g_test_add_func ("/synapse/rules/action/create-relationship", test_action_create_relationship);
  g_test_add_func ("/synapse/rules/action/set-property", test_action_set_property);
  g_test_add_func ("/synapse/rules/action/validate", test_action_validate);
  g_test_add_func ("/synapse/rules/validate/stored-rule", test_validate_stored_rule);
  g_test_add_func ("/synapse/rules/definition-json/round-trip", test_definition_json_round_trip);
  g_test_add_func ("/synapse/rules/demo/rules", test_demo_rules);
  g_test_add_func ("/synapse/rules/demo/csv", test_demo_csv);
  g_test_add_func ("/synapse/rules/demo/unique-tags", test_demo_unique_tags);

  return g_test_run ();
}

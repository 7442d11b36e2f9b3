/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-rule.c: rule JSON: parse and validate, round trips, then its condition and tag templates on sample assets. */
#include "config.h"

#include "core/syn-core.h"
#include "engine/syn-naming-template.h"
#include "engine/syn-rule-condition.h"
#include "engine/syn-rule-parser.h"
#include "fuzz-common.h"

static SynAsset *
sample_asset (const char *tag, const char *type, const char *area, const char *properties)
{
  SynAsset *asset = syn_asset_new ();

  asset->id = g_uuid_string_random ();
  asset->project_id = g_strdup ("00000000-0000-4000-8000-000000000001");
  asset->tag = g_strdup (tag);
  asset->type = g_strdup (type);
  asset->area = g_strdup (area);
  asset->discipline = g_strdup ("MECHANICAL");
  asset->description = g_strdup ("Sample");
  g_clear_pointer (&asset->properties, json_object_unref);
  asset->properties = syn_json_parse_object (properties, -1, NULL);
  g_assert (asset->properties != NULL);
  return asset;
}

static GPtrArray *
sample_assets (void)
{
  GPtrArray *assets = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (assets, sample_asset ("210-PP-001", "PUMP", "210",
                                         "{\"pump_type\": \"CENTRIFUGAL\", \"hp\": 250, \"voltage\": \"4160 V\","
                                         " \"length_m\": 85.5, \"spare\": true, \"tags\": [\"a\", 1], \"none\": null}"));
  g_ptr_array_add (assets, sample_asset ("210-M-001", "MOTOR", "210",
                                         "{\"hp\": \"250\", \"voltage\": 600, \"enclosure\": \"TEFC\"}"));
  g_ptr_array_add (assets, sample_asset ("TK", "TANK", NULL, "{}"));
  g_ptr_array_add (assets, sample_asset ("", "", "", "{\"hp\": -1e308, \"pump_type\": \"\"}"));
  return assets;
}

/* The templates an action holds, whatever its type claims. */
static void
expand_templates (JsonNode *action, SynAsset *asset)
{
  static const char * const names[] = { "naming", "from", "to" };
  JsonObject *object;

  if (action == NULL || !JSON_NODE_HOLDS_OBJECT (action))
    return;
  object = json_node_get_object (action);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *template = syn_json_get_string (object, names[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *tag = NULL;

      if (template == NULL || !syn_naming_template_validate (template, NULL))
        continue;
      tag = syn_naming_template_expand (template, asset, "110-PP-001", "110-M-001", &error);
      g_assert ((tag != NULL) != (error != NULL));
      g_assert (tag == NULL || g_utf8_validate (tag, -1, NULL));
    }
}

static void
check_rule (JsonObject *object)
{
  static GPtrArray *assets;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynRule) rule = syn_rule_parse (object, "00000000-0000-4000-8000-000000000001", &error);
  g_autoptr(JsonNode) definition = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SynRule) again = NULL;
  g_autoptr(SynRule) loaded = NULL;

  if (rule == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return;
    }
  g_assert_no_error (error);
  g_assert_true (syn_rule_validate (rule, NULL));

  /* a valid rule's definition is a valid rule again; its stored form too */
  definition = syn_rule_to_definition_json (rule);
  json_object_remove_member (json_node_get_object (definition), "project_id");
  again = syn_rule_parse (json_node_get_object (definition), rule->project_id, &error);
  g_assert_no_error (error);
  stored = syn_rule_to_json (rule);
  loaded = syn_rule_from_json (json_node_get_object (stored), &error);
  g_assert_no_error (error);
  g_assert_true (syn_rule_validate (loaded, NULL));

  if (assets == NULL)
    assets = sample_assets ();
  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *asset = g_ptr_array_index (assets, i);
      g_auto(SynConditionVerdict) verdict = { 0 };
      gboolean matched = syn_rule_condition_evaluate (rule->condition, asset, i % 2 ? "CA" : NULL, &verdict);

      g_assert (matched == verdict.matched);
      g_assert (matched == syn_rule_condition_matches (rule->condition, asset, i % 2 ? "CA" : NULL));
      expand_templates (rule->action, asset);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(JsonNode) root = NULL;

  syn_fuzz_init_logging ();
  root = syn_json_parse ((const char *) data, (gssize) size, NULL);
  if (root == NULL)
    return 0;
  /* a rule, or a list of them like data/demo/baseline-rules.json */
  if (JSON_NODE_HOLDS_OBJECT (root))
    check_rule (json_node_get_object (root));
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array) && i < 64; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            check_rule (json_node_get_object (element));
        }
    }
  return 0;
}

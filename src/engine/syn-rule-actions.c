/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-actions.c: what a fired rule does: CREATE_CHILD, CREATE_CABLE, CREATE_RELATIONSHIP,
 * SET_PROPERTY and VALIDATE, each with its events, its ACTION message and its counts. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "syn-cable-sizing.h"
#include "syn-naming-template.h"
#include "syn-rule-engine-private.h"

static JsonObject *
action_of (SynRule *rule)
{
  if (rule->action == NULL || !JSON_NODE_HOLDS_OBJECT (rule->action))
    return NULL;
  return json_node_get_object (rule->action);
}

static void
send_action (SynEngineRun *run, SynRule *rule, SynAsset *source, const char *action,
             const char *created_id, const char *created_tag, const char *created_type,
             JsonObject *changed)
{
  JsonObject *m = json_object_new ();
  JsonObject *result = json_object_new ();

  json_object_set_string_member (m, "type", "ACTION");
  json_object_set_string_member (m, "rule_id", rule->id);
  json_object_set_string_member (m, "asset_id", source->id);
  json_object_set_string_member (m, "asset_tag", source->tag);
  json_object_set_string_member (m, "action", action);
  syn_json_set_string_or_null (result, "created_id", created_id);
  syn_json_set_string_or_null (result, "created_tag", created_tag);
  syn_json_set_string_or_null (result, "created_type", created_type);
  if (changed != NULL)
    json_object_set_object_member (result, "changed", json_object_ref (changed));
  json_object_set_object_member (m, "result", result);
  run->actions_taken++;
  _syn_engine_send (run, m);
}

/* A recoverable problem with one asset: a RULE_ERROR event and an ERROR message. */
static gboolean
rule_error (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts,
            const char *text, const char *severity, GError **error)
{
  JsonObject *extra = json_object_new ();
  g_autoptr(SynEvent) event = NULL;

  json_object_set_string_member (extra, "message", text);
  json_object_set_string_member (extra, "severity", severity ? severity : "error");
  event = _syn_engine_rule_event (run, SYN_EVENT_RULE_ERROR, rule, source, "error", extra, error);
  if (event == NULL)
    return FALSE;
  counts->errors++;
  _syn_engine_send_error (run, rule->id, source->id, text, TRUE);
  return TRUE;
}

static gboolean
rule_skipped (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts,
              const char *reason, JsonObject *extra, SynEvent **out_event, GError **error)
{
  SynEvent *event = _syn_engine_rule_event (run, SYN_EVENT_RULE_SKIPPED, rule, source, reason, extra, error);

  if (event == NULL)
    return FALSE;
  counts->skipped++;
  run->skipped++;
  if (out_event != NULL)
    *out_event = event;
  else
    g_object_unref (event);
  return TRUE;
}

/* Expansion problems (a missing area, a tag without a number) are the asset's,
 * not the rule's: reported, and the run goes on. */
static char *
expand_or_report (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts,
                  const char *template, const char *from_tag, const char *to_tag,
                  gboolean *failed, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  char *tag = syn_naming_template_expand (template, source, from_tag, to_tag, &local_error);

  *failed = FALSE;
  if (tag == NULL)
    {
      *failed = !rule_error (run, rule, source, counts, local_error->message, "error", error);
      return NULL;
    }
  return tag;
}

static gboolean
create_edge (SynEngineRun *run, SynRule *rule, SynAsset *source, const char *from_id,
             const char *to_id, const char *relation, const char *causation_id,
             SynEdge **out_edge, GError **error)
{
  g_autoptr(SynEdge) edge = syn_edge_new ();
  g_autoptr(SynEvent) event = NULL;

  edge->project_id = g_strdup (run->project->id);
  edge->source_asset_id = g_strdup (from_id);
  edge->target_asset_id = g_strdup (to_id);
  edge->relation = g_strdup (relation);
  edge->created_by_rule_id = g_strdup (rule->id);
  event = syn_batch_create_edge (run->batch, edge, rule->id, rule->discipline, causation_id, error);
  if (event == NULL)
    return FALSE;
  _syn_engine_add_edge (run, edge);
  run->created_edges++;
  if (out_edge != NULL)
    *out_edge = g_steal_pointer (&edge);
  return TRUE;
}

static gboolean
edge_exists (SynEngineRun *run, const char *from_id, const char *to_id, const char *relation)
{
  g_autofree char *key = _syn_engine_edge_key (from_id, to_id, relation);

  return g_hash_table_contains (run->edge_keys, key);
}

static gboolean
is_column (const char *key)
{
  static const char * const columns[] = { "area", "discipline", "description", NULL };

  return g_strv_contains (columns, key);
}

/* ------------------------------------------------------------------------- */

static gboolean
do_create_child (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts, GError **error)
{
  JsonObject *action = action_of (rule);
  const char *type = syn_json_get_string (action, "type");
  const char *relation = syn_json_get_string (action, "relation");
  const char *discipline = syn_json_get_string (action, "discipline");
  g_autofree char *tag = NULL;
  g_autoptr(SynAsset) child = NULL;
  g_autoptr(SynEvent) cause = NULL;
  g_autoptr(SynEvent) created = NULL;
  g_autoptr(SynEdge) edge = NULL;
  SynAsset *existing;
  gboolean failed;

  tag = expand_or_report (run, rule, source, counts, syn_json_get_string (action, "naming"),
                          NULL, NULL, &failed, error);
  if (tag == NULL)
    return !failed;

  existing = g_hash_table_lookup (run->assets_by_tag, tag);
  if (existing != NULL)
    {
      JsonObject *extra = json_object_new ();
      g_autoptr(SynEvent) skipped = NULL;

      json_object_set_string_member (extra, "existing_id", existing->id);
      json_object_set_string_member (extra, "existing_tag", existing->tag);
      if (!rule_skipped (run, rule, source, counts, "exists", extra, &skipped, error))
        return FALSE;
      /* the child is there, but its link to this source may not be */
      if (!edge_exists (run, existing->id, source->id, relation))
        {
          if (!create_edge (run, rule, source, existing->id, source->id, relation, skipped->id, &edge, error))
            return FALSE;
          counts->actions++;
          send_action (run, rule, source, "LINKED", edge->id, existing->tag, existing->type, NULL);
        }
      return TRUE;
    }

  child = syn_asset_new ();
  child->project_id = g_strdup (run->project->id);
  child->tag = g_steal_pointer (&tag);
  child->type = g_strdup (type);
  child->discipline = g_strdup (discipline ? discipline : rule->discipline);
  child->area = g_strdup (source->area);
  child->description = g_strdup_printf ("%s for %s", type, source->tag);
  child->created_by_rule_id = g_strdup (rule->id);
  if (json_object_has_member (action, "inherit_properties"))
    {
      JsonArray *keys = json_object_get_array_member (action, "inherit_properties");

      for (guint i = 0; i < json_array_get_length (keys); i++)
        {
          const char *key = json_array_get_string_element (keys, i);
          JsonNode *value;

          if (is_column (key))
            {
              if (strcmp (key, "area") == 0)
                g_free (child->area), child->area = g_strdup (source->area);
              else if (strcmp (key, "discipline") == 0 && source->discipline)
                g_free (child->discipline), child->discipline = g_strdup (source->discipline);
              else if (strcmp (key, "description") == 0)
                g_free (child->description), child->description = g_strdup (source->description);
              continue;
            }
          value = json_object_get_member (source->properties, key);
          if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
            json_object_set_member (child->properties, key, syn_json_node_deep_copy (value));
        }
    }
  if (json_object_has_member (action, "properties"))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_object_get_object_member (action, "properties"));
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (child->properties, name, syn_json_node_deep_copy (value));
    }

  cause = _syn_engine_rule_event (run, SYN_EVENT_RULE_EXECUTED, rule, source, "matched", NULL, error);
  if (cause == NULL)
    return FALSE;
  created = syn_batch_create_asset (run->batch, child, rule->id, cause->id, error);
  if (created == NULL)
    return FALSE;
  _syn_engine_add_asset (run, child, TRUE);
  run->created_assets++;
  if (!create_edge (run, rule, source, child->id, source->id, relation, cause->id, NULL, error))
    return FALSE;
  counts->actions++;
  send_action (run, rule, source, "CREATED", child->id, child->tag, child->type, NULL);
  return TRUE;
}

/* The load of a cable rule: the source, or its child of a type. */
static SynAsset *
find_load (SynEngineRun *run, SynAsset *source, const char *to)
{
  GPtrArray *kids;

  if (to == NULL || strcmp (to, "source") == 0)
    return source;
  if (!g_str_has_prefix (to, "child:"))
    return NULL;
  kids = g_hash_table_lookup (run->children, source->id);
  for (guint i = 0; kids && i < kids->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (kids, i);
      SynAsset *child = g_hash_table_lookup (run->assets_by_id, edge->source_asset_id);

      if (child != NULL && g_strcmp0 (child->type, to + strlen ("child:")) == 0)
        return child;
    }
  return NULL;
}

static gboolean
number_property (SynAsset *asset, const char *key, double *out)
{
  JsonNode *node = json_object_get_member (asset->properties, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      *out = json_node_get_double (node);
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return strcmp (key, "voltage") == 0 ? syn_parse_voltage (json_node_get_string (node), out)
                                         : syn_parse_number_prefix (json_node_get_string (node), out);
  return FALSE;
}

static gboolean
do_create_cable (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts, GError **error)
{
  JsonObject *action = action_of (rule);
  const char *to = syn_json_get_string (action, "to");
  const char *from = syn_json_get_string (action, "from");
  const char *sizing_mode = syn_json_get_string (action, "sizing");
  SynAsset *load = find_load (run, source, to);
  SynAsset *from_asset = NULL;
  g_autofree char *from_tag = NULL;
  g_autofree char *tag = NULL;
  g_autoptr(SynCable) cable = NULL;
  g_autoptr(SynEvent) cause = NULL;
  g_autoptr(SynEvent) created = NULL;
  gboolean failed, over_limit = FALSE;
  g_autofree char *over_text = NULL;

  if (load == NULL)
    {
      JsonObject *extra = json_object_new ();

      json_object_set_string_member (extra, "detail", "no load asset of the requested type");
      return rule_skipped (run, rule, source, counts, "not_applicable", extra, NULL, error);
    }
  if (from != NULL && strcmp (from, "source") == 0)
    from_asset = source;
  else if (from != NULL)
    {
      from_tag = expand_or_report (run, rule, source, counts, from, NULL, load->tag, &failed, error);
      if (from_tag == NULL)
        return !failed;
      from_asset = g_hash_table_lookup (run->assets_by_tag, from_tag);
    }
  if (from_asset != NULL && from_tag == NULL)
    from_tag = g_strdup (from_asset->tag);

  tag = expand_or_report (run, rule, source, counts, syn_json_get_string (action, "naming"),
                          from_tag, load->tag, &failed, error);
  if (tag == NULL)
    return !failed;
  if (g_hash_table_contains (run->cable_tags, tag))
    {
      JsonObject *extra = json_object_new ();

      json_object_set_string_member (extra, "existing_tag", tag);
      return rule_skipped (run, rule, source, counts, "exists", extra, NULL, error);
    }

  cable = syn_cable_new ();
  cable->project_id = g_strdup (run->project->id);
  cable->tag = g_strdup (tag);
  cable->from_asset_id = from_asset ? g_strdup (from_asset->id) : NULL;
  cable->to_asset_id = g_strdup (load->id);
  cable->cable_type = g_strdup (syn_json_get_string (action, "cable_type"));
  cable->created_by_rule_id = g_strdup (rule->id);
  if (syn_json_get_string (action, "insulation"))
    json_object_set_string_member (cable->properties, "insulation", syn_json_get_string (action, "insulation"));
  if (from_tag != NULL && from_asset == NULL)
    json_object_set_string_member (cable->properties, "from_tag", from_tag);
  json_object_set_string_member (cable->properties, "sizing", sizing_mode ? sizing_mode : "auto");

  {
    double voltage = 600, length = 50, hp = NAN;

    number_property (load, "voltage", &voltage);
    number_property (load, "length_m", &length);
    cable->voltage = voltage;
    cable->length_m = length;

    if (g_strcmp0 (sizing_mode, "manual") == 0)
      cable->conductor_size = g_strdup (syn_json_get_string (action, "conductor_size"));
    else
      {
        double limit = json_object_get_double_member_with_default (action, "voltage_drop_limit_pct",
                                                                   SYN_CABLE_SIZING_DEFAULT_LIMIT_PCT);
        SynCableSizing sizing;
        g_autoptr(GError) sizing_error = NULL;

        if (!number_property (load, "hp", &hp))
          {
            g_autofree char *text = g_strdup_printf ("Cannot size cable %s: load %s has no horsepower (hp)",
                                                     tag, load->tag);
            return rule_error (run, rule, source, counts, text, "error", error);
          }
        if (!syn_cable_sizing_compute (hp, voltage, length, limit, g_strcmp0 (load->type, "MOTOR") == 0,
                                       &sizing, &sizing_error))
          {
            g_autofree char *text = g_strdup_printf ("Cannot size cable %s for %s: %s", tag, load->tag,
                                                     sizing_error->message);
            return rule_error (run, rule, source, counts, text, "error", error);
          }
        cable->conductor_size = g_strdup (sizing.conductor_size);
        cable->flc_a = sizing.flc_a;
        cable->ampacity_a = sizing.ampacity_a;
        cable->voltage_drop_pct = isnan (sizing.voltage_drop_pct) ? NAN : round (sizing.voltage_drop_pct * 1000) / 1000;
        json_object_set_double_member (cable->properties, "min_ampacity_a", sizing.min_ampacity_a);
        json_object_set_double_member (cable->properties, "voltage_drop_limit_pct", limit);
        if (sizing.over_limit)
          {
            over_limit = TRUE;
            over_text = g_strdup_printf ("Cable %s for %s (%g HP, %g V, %g m): no conductor in the table "
                                         "serves this load (%s); created as OVER_LIMIT",
                                         tag, load->tag, hp, voltage, length,
                                         sizing.over_limit_reason ? sizing.over_limit_reason : "over the table");
          }
      }
  }

  cause = _syn_engine_rule_event (run, SYN_EVENT_RULE_EXECUTED, rule, source, "matched", NULL, error);
  if (cause == NULL)
    return FALSE;
  created = syn_batch_create_cable (run->batch, cable, rule->id, rule->discipline, cause->id, error);
  if (created == NULL)
    return FALSE;
  g_hash_table_add (run->cable_tags, g_strdup (cable->tag));
  run->created_cables++;
  counts->actions++;
  send_action (run, rule, source, "CREATED", cable->id, cable->tag, "CABLE", NULL);
  if (over_limit && !rule_error (run, rule, load, counts, over_text, "error", error))
    return FALSE;
  return TRUE;
}

static gboolean
do_create_relationship (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts,
                        GError **error)
{
  JsonObject *action = action_of (rule);
  JsonObject *target = json_object_get_object_member (action, "target");
  const char *relation = syn_json_get_string (action, "relation");
  const char *target_type = syn_json_get_string (target, "asset_type");
  const char *match = syn_json_get_string (target, "match");
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(SynEvent) cause = NULL;
  guint existing = 0;

  if (g_strcmp0 (match, "tag") == 0)
    {
      gboolean failed;
      g_autofree char *tag = expand_or_report (run, rule, source, counts, syn_json_get_string (target, "tag"),
                                               NULL, NULL, &failed, error);
      SynAsset *found;

      if (tag == NULL)
        return !failed;
      found = g_hash_table_lookup (run->assets_by_tag, tag);
      if (found != NULL && found != source && (target_type == NULL || g_strcmp0 (found->type, target_type) == 0))
        g_ptr_array_add (targets, found);
    }
  else
    {
      g_autofree char *key = g_strconcat (target_type ? target_type : "", "\x1f", source->area ? source->area : "", NULL);
      GPtrArray *bucket = source->area ? g_hash_table_lookup (run->assets_by_type_area, key) : NULL;

      for (guint i = 0; bucket && i < bucket->len; i++)
        if (bucket->pdata[i] != source)
          g_ptr_array_add (targets, bucket->pdata[i]);
    }

  if (targets->len == 0)
    return rule_skipped (run, rule, source, counts, "not_applicable", NULL, NULL, error);

  for (guint i = 0; i < targets->len; i++)
    {
      SynAsset *t = g_ptr_array_index (targets, i);
      g_autoptr(SynEdge) edge = NULL;

      if (edge_exists (run, source->id, t->id, relation))
        {
          existing++;
          continue;
        }
      if (cause == NULL &&
          !(cause = _syn_engine_rule_event (run, SYN_EVENT_RULE_EXECUTED, rule, source, "matched", NULL, error)))
        return FALSE;
      if (!create_edge (run, rule, source, source->id, t->id, relation, cause->id, &edge, error))
        return FALSE;
      counts->actions++;
      send_action (run, rule, source, "LINKED", edge->id, t->tag, t->type, NULL);
    }
  if (cause == NULL && existing > 0)
    return rule_skipped (run, rule, source, counts, "exists", NULL, NULL, error);
  return TRUE;
}

static gboolean
outranks (const SynClaim *claim, SynRule *rule)
{
  if (g_strcmp0 (claim->rule_id, rule->id) == 0)
    return FALSE;
  if (claim->enforced != rule->is_enforced)
    return claim->enforced;
  return claim->priority > rule->priority;
}

static gboolean
do_set_property (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts, GError **error)
{
  JsonObject *action = action_of (rule);
  JsonObject *props = json_object_get_object_member (action, "properties");
  gboolean defaults_only = g_strcmp0 (syn_json_get_string (action, "mode"), "default") == 0;
  g_autoptr(SynAsset) after = syn_asset_copy (source);
  g_autoptr(JsonObject) changed = json_object_new ();
  g_autoptr(GPtrArray) overridden = g_ptr_array_new ();
  const char *winner = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, props);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *claim_key = g_strconcat (source->id, "\x1f", key, NULL);
      SynClaim *claim = g_hash_table_lookup (run->claims, claim_key);
      JsonNode *current = json_object_get_member (after->properties, key);

      if (claim != NULL && outranks (claim, rule))
        {
          g_ptr_array_add (overridden, (gpointer) key);
          winner = claim->rule_id;
          continue;
        }
      if (defaults_only && current != NULL && !JSON_NODE_HOLDS_NULL (current))
        continue;
      /* claimed even when the value is in place already (no change, no
       * event): a rerun then overrides the same lower rules as the first run */
      {
        SynClaim *mine = g_new0 (SynClaim, 1);

        mine->rule_id = rule->id;
        mine->priority = rule->priority;
        mine->enforced = rule->is_enforced;
        g_hash_table_replace (run->claims, g_steal_pointer (&claim_key), mine);
      }
      if (current != NULL && syn_json_node_equal (current, value))
        continue;
      json_object_set_member (after->properties, key, syn_json_node_deep_copy (value));
      json_object_set_member (changed, key, syn_json_node_deep_copy (value));
    }

  if (json_object_get_size (changed) == 0)
    {
      if (overridden->len > 0)
        {
          JsonObject *extra = json_object_new ();
          JsonArray *keys = json_array_new ();

          for (guint i = 0; i < overridden->len; i++)
            json_array_add_string_element (keys, overridden->pdata[i]);
          json_object_set_array_member (extra, "keys", keys);
          json_object_set_string_member (extra, "winner_rule_id", winner);
          return rule_skipped (run, rule, source, counts, "overridden", extra, NULL, error);
        }
      /* nothing to do: the values are in place */
      counts->skipped++;
      run->skipped++;
      return TRUE;
    }

  {
    JsonObject *extra = json_object_new ();
    g_autoptr(SynEvent) cause = NULL;
    g_autoptr(SynEvent) updated = NULL;

    json_object_set_object_member (extra, "changed", json_object_ref (changed));
    if (overridden->len > 0)
      {
        JsonArray *keys = json_array_new ();

        for (guint i = 0; i < overridden->len; i++)
          json_array_add_string_element (keys, overridden->pdata[i]);
        json_object_set_array_member (extra, "overridden_keys", keys);
        json_object_set_string_member (extra, "winner_rule_id", winner);
      }
    cause = _syn_engine_rule_event (run, SYN_EVENT_RULE_EXECUTED, rule, source, "matched", extra, error);
    if (cause == NULL)
      return FALSE;
    updated = syn_batch_update_asset (run->batch, source, after, rule->id, cause->id, error);
    if (updated == NULL && error != NULL && *error != NULL)
      return FALSE;
  }
  /* the run's object takes the new properties: later rules see them */
  json_object_unref (source->properties);
  source->properties = json_object_ref (after->properties);
  counts->actions++;
  send_action (run, rule, source, "UPDATED", NULL, NULL, NULL, changed);
  return TRUE;
}

static gboolean
do_validate (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts, GError **error)
{
  JsonObject *action = action_of (rule);
  g_autofree char *text = g_strdup_printf ("%s: %s", source->tag, syn_json_get_string (action, "message"));

  return rule_error (run, rule, source, counts, text, syn_json_get_string (action, "severity"), error);
}

/* The rule's condition matched @source: act. FALSE only for a failure that
 * ends the run (the store); problems with one asset are reported and counted. */
gboolean
_syn_engine_apply_rule (SynEngineRun *run, SynRule *rule, SynAsset *source, SynRuleCounts *counts,
                        GError **error)
{
  const char *type = rule->action_type;

  if (g_strcmp0 (type, "CREATE_CHILD") == 0)
    return do_create_child (run, rule, source, counts, error);
  if (g_strcmp0 (type, "CREATE_CABLE") == 0)
    return do_create_cable (run, rule, source, counts, error);
  if (g_strcmp0 (type, "CREATE_RELATIONSHIP") == 0)
    return do_create_relationship (run, rule, source, counts, error);
  if (g_strcmp0 (type, "SET_PROPERTY") == 0)
    return do_set_property (run, rule, source, counts, error);
  if (g_strcmp0 (type, "VALIDATE") == 0)
    return do_validate (run, rule, source, counts, error);

  g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE,
               "Rule \"%s\": action_type: \"%s\" is not supported", rule->id, type);
  return FALSE;
}

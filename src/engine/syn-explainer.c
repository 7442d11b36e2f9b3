/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-explainer.c: why each rule did or didn't fire on an asset, and which event last set each value. */
#include "config.h"

#include <string.h>

#include "syn-engine-error.h"
#include "syn-explainer.h"
#include "syn-rule-condition.h"
#include "syn-rule-parser.h"

/* Events caused by a rule event follow it closely in its batch: a window of
 * sequence numbers is read instead of the whole batch. */
#define CAUSED_WINDOW 64

static JsonObject *
event_brief (SynEvent *e)
{
  JsonObject *o = json_object_new ();
  g_autofree char *when = syn_time_to_iso8601 (e->timestamp);

  json_object_set_string_member (o, "event_id", e->id);
  json_object_set_string_member (o, "event_type", e->event_type);
  json_object_set_string_member (o, "aggregate_type", e->aggregate_type);
  syn_json_set_string_or_null (o, "aggregate_id", e->aggregate_id);
  syn_json_set_string_or_null (o, "rule_id", e->rule_id);
  json_object_set_string_member (o, "correlation_id", e->correlation_id);
  json_object_set_string_member (o, "timestamp", when);
  syn_json_set_string_or_null (o, "user_id", e->user_id);
  json_object_set_int_member (o, "position", e->position);
  return o;
}

static JsonObject *
payload_of (SynEvent *e)
{
  return e->payload && JSON_NODE_HOLDS_OBJECT (e->payload) ? json_node_get_object (e->payload) : NULL;
}

/* A SET_PROPERTY whose values are all in place never leaves an event:
 * "satisfied" tells it apart from a rule that has not run yet. */
static gboolean
set_property_satisfied (SynRule *rule, SynAsset *asset)
{
  JsonObject *action;
  JsonObject *props;
  gboolean defaults_only;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (g_strcmp0 (rule->action_type, "SET_PROPERTY") != 0 || rule->action == NULL ||
      !JSON_NODE_HOLDS_OBJECT (rule->action))
    return FALSE;
  action = json_node_get_object (rule->action);
  if (!json_object_has_member (action, "properties"))
    return FALSE;
  props = json_object_get_object_member (action, "properties");
  defaults_only = g_strcmp0 (syn_json_get_string (action, "mode"), "default") == 0;
  json_object_iter_init (&iter, props);
  while (json_object_iter_next (&iter, &key, &value))
    {
      JsonNode *current = json_object_get_member (asset->properties, key);

      if (current == NULL || JSON_NODE_HOLDS_NULL (current))
        return FALSE;
      if (!defaults_only && !syn_json_node_equal (current, value))
        return FALSE;
    }
  return TRUE;
}

static gboolean
explain_rule (SynStore *store, SynProject *project, SynRule *rule, SynAsset *asset, JsonArray *out,
              GError **error)
{
  g_auto(SynConditionVerdict) verdict = { 0 };
  g_autoptr(SynEvent) last = NULL;
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "rule_id", rule->id);
  json_object_set_string_member (o, "rule_name", rule->name);
  syn_json_set_string_or_null (o, "source", rule->source);
  json_object_set_int_member (o, "priority", rule->priority);
  json_object_set_boolean_member (o, "is_enforced", rule->is_enforced);
  json_object_set_string_member (o, "action_type", rule->action_type);
  json_object_set_boolean_member (o, "library", rule->project_id == NULL);
  json_array_add_object_element (out, o);

  if (!rule->is_active)
    {
      json_object_set_string_member (o, "verdict", "inactive");
      json_object_set_string_member (o, "reason", "the rule is switched off");
      return TRUE;
    }

  if (!syn_rule_condition_evaluate (rule->condition, asset, project->country, &verdict))
    {
      json_object_set_string_member (o, "verdict", "not_matched");
      json_object_set_string_member (o, "reason", "condition not met");
      syn_json_set_string_or_null (o, "failed_test", verdict.failed_test);
      syn_json_set_string_or_null (o, "actual", verdict.actual);
      return TRUE;
    }

  last = syn_store_find_latest_rule_event (store, project->id, rule->id, asset->id, error);
  if (last == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (last == NULL)
    {
      if (set_property_satisfied (rule, asset))
        {
          json_object_set_string_member (o, "verdict", "satisfied");
          json_object_set_string_member (o, "reason", "matched; its values are already in place");
        }
      else
        {
          json_object_set_string_member (o, "verdict", "pending");
          json_object_set_string_member (o, "reason", "matched, but has not run on this asset yet (or its last run was rolled back)");
        }
      return TRUE;
    }

  json_object_set_string_member (o, "correlation_id", last->correlation_id);
  json_object_set_object_member (o, "event", event_brief (last));
  if (strcmp (last->event_type, SYN_EVENT_RULE_EXECUTED) == 0)
    {
      g_autoptr(GPtrArray) window = NULL;
      JsonArray *caused = json_array_new ();

      json_object_set_string_member (o, "verdict", "fired");
      json_object_set_string_member (o, "reason", "matched");
      window = syn_store_get_events_by_sequence (store, project->id, last->correlation_id, last->sequence_num + 1,
                                                 last->sequence_num + CAUSED_WINDOW, error);
      if (window == NULL)
        return FALSE;
      for (guint i = 0; i < window->len; i++)
        {
          SynEvent *e = g_ptr_array_index (window, i);

          if (g_strcmp0 (e->causation_id, last->id) == 0)
            json_array_add_object_element (caused, event_brief (e));
        }
      json_object_set_array_member (o, "events", caused);
    }
  else
    {
      JsonObject *payload = payload_of (last);
      const char *reason = payload ? syn_json_get_string (payload, "reason") : NULL;

      if (strcmp (last->event_type, SYN_EVENT_RULE_ERROR) == 0)
        {
          json_object_set_string_member (o, "verdict", "error");
          json_object_set_string_member (o, "reason", payload && syn_json_get_string (payload, "message")
                                                      ? syn_json_get_string (payload, "message") : "error");
        }
      else
        {
          json_object_set_string_member (o, "verdict", "skipped");
          json_object_set_string_member (o, "reason", reason ? reason : "skipped");
          if (payload && syn_json_get_string (payload, "winner_rule_id"))
            json_object_set_string_member (o, "winner_rule_id", syn_json_get_string (payload, "winner_rule_id"));
          if (payload && syn_json_get_string (payload, "existing_tag"))
            json_object_set_string_member (o, "existing_tag", syn_json_get_string (payload, "existing_tag"));
        }
    }
  return TRUE;
}

static void
claim (JsonObject *provenance, const char *key, JsonNode *value, SynEvent *e)
{
  JsonObject *o = event_brief (e);

  json_object_set_member (o, "value", value ? syn_json_node_deep_copy (value) : json_node_new (JSON_NODE_NULL));
  json_object_set_object_member (provenance, key, o);
}

static const char * const columns[] = { "tag", "type", "description", "discipline", "area", NULL };

/* Walks the asset's history oldest first: each creation or change claims the
 * keys it set; a removal drops the claim. What remains is who set what. */
static void
build_provenance (GPtrArray *history, JsonObject *properties, JsonObject *fields)
{
  for (guint i = 0; i < history->len; i++)
    {
      SynEvent *e = g_ptr_array_index (history, i);
      JsonObject *payload = payload_of (e);
      JsonObject *changes = NULL;
      JsonObject *props = NULL;

      if (payload == NULL)
        continue;
      if (strcmp (e->event_type, SYN_EVENT_ASSET_CREATED) == 0)
        changes = payload;
      else if (strcmp (e->event_type, SYN_EVENT_ASSET_UPDATED) == 0 && json_object_has_member (payload, "diff") &&
               JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "diff")))
        changes = json_object_get_object_member (payload, "diff");
      else if (strcmp (e->event_type, SYN_EVENT_ASSET_DELETED) == 0)
        {
          /* a deleted then recreated asset starts afresh */
          g_autoptr(GList) names = json_object_get_members (properties);

          for (GList *l = names; l; l = l->next)
            json_object_remove_member (properties, l->data);
          continue;
        }
      if (changes == NULL)
        continue;

      for (guint c = 0; columns[c]; c++)
        if (json_object_has_member (changes, columns[c]))
          claim (fields, columns[c], json_object_get_member (changes, columns[c]), e);

      if (json_object_has_member (changes, "properties") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (changes, "properties")))
        props = json_object_get_object_member (changes, "properties");
      if (props != NULL)
        {
          JsonObjectIter iter;
          const char *key;
          JsonNode *value;

          json_object_iter_init (&iter, props);
          while (json_object_iter_next (&iter, &key, &value))
            {
              if (JSON_NODE_HOLDS_NULL (value))
                {
                  if (json_object_has_member (properties, key))
                    json_object_remove_member (properties, key);
                }
              else
                claim (properties, key, value, e);
            }
        }
    }
}

/* {"asset": asset, "rules": [{rule_id, rule_name, verdict, reason, failed_test,
 * actual, correlation_id, event, events, winner_rule_id...}],
 * "provenance": {property: {value, event_id, event_type, rule_id,
 * correlation_id, timestamp, user_id, position}}, "fields": {column: ...}}.
 * Verdicts: fired, skipped, error, not_matched, satisfied, pending, inactive. */
JsonNode *
syn_explain_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynAsset) asset = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) history = NULL;
  JsonObject *answer, *provenance, *fields;
  JsonArray *verdicts;

  g_return_val_if_fail (SYN_IS_STORE (store), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (asset_id != NULL, NULL);

  project = syn_store_find_project (store, project_id, error);
  if (project == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No project \"%s\"", project_id);
      return NULL;
    }
  asset = syn_store_get_asset (store, project->id, asset_id, error);
  if (asset == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_NOT_FOUND, "No asset %s in project %s",
                     asset_id, project->name);
      return NULL;
    }
  if (!(rules = syn_store_list_rules (store, project->id, TRUE, error)) ||
      !(history = syn_store_get_asset_history (store, project->id, asset->id, error)))
    return NULL;

  verdicts = json_array_new ();
  for (guint i = 0; i < rules->len; i++)
    if (!explain_rule (store, project, g_ptr_array_index (rules, i), asset, verdicts, error))
      {
        json_array_unref (verdicts);
        return NULL;
      }

  provenance = json_object_new ();
  fields = json_object_new ();
  build_provenance (history, provenance, fields);

  answer = json_object_new ();
  json_object_set_member (answer, "asset", syn_asset_to_json (asset));
  json_object_set_array_member (answer, "rules", verdicts);
  json_object_set_object_member (answer, "provenance", provenance);
  json_object_set_object_member (answer, "fields", fields);
  return syn_json_node_new_object (answer);
}

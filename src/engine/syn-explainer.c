/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-explainer.c: why each rule did or didn't fire on an asset, and which event last set each value. */
#include "config.h"

#include <string.h>

#include "syn-engine-error.h"
#include "syn-derivation.h"
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

/* What the rules made from this asset, as it stands: outputs found through
 * their derivation records (children and relationships by the asset's
 * edges, cables of it and of its children, values laid over it). */
typedef struct
{
  GPtrArray  *assets;      /* SynAsset: the asset's children and neighbours */
  GPtrArray  *edges;       /* SynEdge touching it */
  GPtrArray  *cables;      /* SynCable of it or of its children */
  GHashTable *findings;    /* rule id -> SynFinding, current (digest not NULL) */
} Around;

static void
around_clear (Around *around)
{
  g_clear_pointer (&around->assets, g_ptr_array_unref);
  g_clear_pointer (&around->edges, g_ptr_array_unref);
  g_clear_pointer (&around->cables, g_ptr_array_unref);
  g_clear_pointer (&around->findings, g_hash_table_unref);
}

static gboolean
load_around (SynStore *store, SynProject *project, SynAsset *asset, Around *around, GError **error)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  around->assets = g_ptr_array_new_with_free_func (g_object_unref);
  around->cables = g_ptr_array_new_with_free_func (g_object_unref);
  around->findings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (!(around->edges = syn_store_list_edges (store, project->id, asset->id, error)) ||
      !(findings = syn_store_list_findings (store, project->id, error)))
    return FALSE;
  for (guint i = 0; i < findings->len; i++)
    {
      SynFinding *f = g_ptr_array_index (findings, i);

      if (g_strcmp0 (f->source_asset_id, asset->id) != 0)
        continue;
      if (f->digest != NULL)
        g_hash_table_replace (around->findings, g_strdup (f->rule_id), g_object_ref (f));
      else
        g_hash_table_remove (around->findings, f->rule_id);
    }
  for (guint i = 0; i < around->edges->len + 1; i++)
    {
      SynEdge *edge = i < around->edges->len ? g_ptr_array_index (around->edges, i) : NULL;
      const char *other = edge == NULL ? asset->id
                          : g_strcmp0 (edge->source_asset_id, asset->id) == 0 ? edge->target_asset_id
                          : edge->source_asset_id;
      g_autoptr(GPtrArray) cables = NULL;
      g_autoptr(SynAsset) neighbour = NULL;

      if (!g_hash_table_add (seen, (gpointer) other))
        continue;
      if (edge != NULL)
        {
          neighbour = syn_store_get_asset (store, project->id, other, error);
          if (neighbour == NULL && error && *error)
            return FALSE;
          if (neighbour == NULL)
            continue;
          g_ptr_array_add (around->assets, g_object_ref (neighbour));
        }
      /* cables of the asset, and of its children (a cable rule's load may be one) */
      if (edge != NULL && g_strcmp0 (edge->source_asset_id, other) != 0)
        continue;
      if (!(cables = syn_store_list_asset_cables (store, project->id, other, error)))
        return FALSE;
      for (guint j = 0; j < cables->len; j++)
        g_ptr_array_add (around->cables, g_object_ref (g_ptr_array_index (cables, j)));
    }
  return TRUE;
}

static gboolean
made_by (JsonObject *derivation, SynRule *rule, SynAsset *asset)
{
  return g_strcmp0 (syn_derivation_get_rule_id (derivation), rule->id) == 0 &&
         g_strcmp0 (syn_derivation_get_source (derivation), asset->id) == 0;
}

static void
add_output (JsonArray *outputs, const char *kind, const char *id, const char *tag)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "kind", kind);
  json_object_set_string_member (o, "id", id);
  syn_json_set_string_or_null (o, "tag", tag);
  json_array_add_object_element (outputs, o);
}

/* The outputs of @rule from @asset, as they stand. */
static JsonArray *
outputs_of (SynRule *rule, SynAsset *asset, Around *around)
{
  JsonArray *outputs = json_array_new ();
  JsonObject *layers = syn_derivation_get_layers (asset->derivation);

  for (guint i = 0; i < around->assets->len; i++)
    {
      SynAsset *a = g_ptr_array_index (around->assets, i);

      if (made_by (a->derivation, rule, asset))
        add_output (outputs, "asset", a->id, a->tag);
    }
  for (guint i = 0; i < around->cables->len; i++)
    {
      SynCable *c = g_ptr_array_index (around->cables, i);

      if (made_by (c->derivation, rule, asset))
        add_output (outputs, "cable", c->id, c->tag);
    }
  for (guint i = 0; i < around->edges->len; i++)
    {
      SynEdge *e = g_ptr_array_index (around->edges, i);

      if (made_by (e->derivation, rule, asset))
        add_output (outputs, "edge", e->id, e->relation);
    }
  if (layers != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *node;

      json_object_iter_init (&iter, layers);
      while (json_object_iter_next (&iter, &key, &node))
        if (JSON_NODE_HOLDS_OBJECT (node) &&
            g_strcmp0 (syn_json_get_string (json_node_get_object (node), "rule_id"), rule->id) == 0)
          add_output (outputs, "value", asset->id, key);
    }
  return outputs;
}

/* Whether a batch from before @event was rolled back after it: @event was
 * then recorded against outputs that are gone, and what it found no longer
 * holds. Rollbacks are read newest first, down to @event. */
static gboolean
undone_since (SynStore *store, SynEvent *event, gboolean *undone, GError **error)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (event->project_id);

  *undone = FALSE;
  q->event_types = g_strsplit (SYN_EVENT_BATCH_ROLLED_BACK, ",", -1);
  q->limit = SYN_EVENT_QUERY_MAX_LIMIT;
  for (;;)
    {
      g_autoptr(GPtrArray) rollbacks = syn_store_query_events (store, q, NULL, error);

      if (rollbacks == NULL)
        return FALSE;
      for (guint i = 0; i < rollbacks->len; i++)
        {
          SynEvent *rollback = g_ptr_array_index (rollbacks, i);
          g_autoptr(GPtrArray) first = NULL;

          if (rollback->position <= event->position)
            return TRUE;
          if (rollback->aggregate_id == NULL)
            continue;
          first = syn_store_get_events_by_sequence (store, event->project_id, rollback->aggregate_id, 0, 0, error);
          if (first == NULL)
            return FALSE;
          if (first->len > 0 && ((SynEvent *) g_ptr_array_index (first, 0))->position < event->position)
            {
              *undone = TRUE;
              return TRUE;
            }
        }
      if (rollbacks->len < q->limit)
        return TRUE;
      q->offset += rollbacks->len;
    }
}

/* Whether the finding still describes the project as it stands: the entity
 * it found in the way ("exists") is still there, and no batch it saw has
 * been rolled back since. */
static gboolean
finding_holds (SynStore *store, SynProject *project, SynEvent *event, gboolean *holds, GError **error)
{
  JsonObject *payload = payload_of (event);
  const char *existing = payload ? syn_json_get_string (payload, "existing_id") : NULL;
  gboolean undone = FALSE;

  *holds = TRUE;
  if (existing != NULL)
    {
      g_autoptr(SynAsset) asset = syn_store_get_asset (store, project->id, existing, error);
      g_autoptr(SynCable) cable = NULL;

      if (asset == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (asset == NULL && !(cable = syn_store_get_cable (store, project->id, existing, error)) &&
          error != NULL && *error != NULL)
        return FALSE;
      if (asset == NULL && cable == NULL)
        {
          *holds = FALSE;
          return TRUE;
        }
    }
  if (!undone_since (store, event, &undone, error))
    return FALSE;
  *holds = !undone;
  return TRUE;
}

/* The finding's own event, with what it found (reason and details).
 * *@stale when it no longer holds: then @o is left as it was. */
static gboolean
explain_finding (SynStore *store, SynProject *project, SynFinding *finding, JsonObject *o, gboolean *stale,
                 GError **error)
{
  g_autoptr(SynEvent) event = syn_store_get_event (store, finding->event_id, error);
  JsonObject *payload;
  const char *reason;
  gboolean holds = TRUE;

  *stale = FALSE;
  if (event == NULL)
    return error == NULL || *error == NULL;
  payload = payload_of (event);
  reason = payload ? syn_json_get_string (payload, "reason") : NULL;
  if (!finding_holds (store, project, event, &holds, error))
    return FALSE;
  if (!holds)
    {
      /* named, not cited: the caller explains the rule as it stands */
      json_object_set_string_member (o, "stale_finding", reason ? reason : "error");
      *stale = TRUE;
      return TRUE;
    }
  json_object_set_string_member (o, "correlation_id", event->correlation_id);
  json_object_set_object_member (o, "event", event_brief (event));
  if (g_strcmp0 (event->event_type, SYN_EVENT_RULE_ERROR) == 0)
    {
      json_object_set_string_member (o, "verdict", "error");
      json_object_set_string_member (o, "reason", payload && syn_json_get_string (payload, "message")
                                                  ? syn_json_get_string (payload, "message") : "error");
      return TRUE;
    }
  if (g_strcmp0 (reason, "manual_override") == 0)
    {
      json_object_set_string_member (o, "verdict", "held");
      json_object_set_string_member (o, "reason", "manual_override");
      if (payload && syn_json_get_string (payload, "message"))
        json_object_set_string_member (o, "detail", syn_json_get_string (payload, "message"));
      if (payload && json_object_has_member (payload, "fields"))
        json_object_set_member (o, "fields", syn_json_node_deep_copy (json_object_get_member (payload, "fields")));
      return TRUE;
    }
  json_object_set_string_member (o, "verdict", "skipped");
  json_object_set_string_member (o, "reason", reason ? reason : "skipped");
  if (payload && syn_json_get_string (payload, "winner_rule_id"))
    json_object_set_string_member (o, "winner_rule_id", syn_json_get_string (payload, "winner_rule_id"));
  if (payload && syn_json_get_string (payload, "existing_tag"))
    json_object_set_string_member (o, "existing_tag", syn_json_get_string (payload, "existing_tag"));
  return TRUE;
}

/* The newest change of a rule's definition, in its project's stream or the library's. */
static gboolean
rule_change (SynStore *store, SynProject *project, SynRule *rule, JsonObject *o, GError **error)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (rule->project_id ? project->id : SYN_LIBRARY_PROJECT_ID);
  g_autoptr(GPtrArray) events = NULL;

  q->rule_id = g_strdup (rule->id);
  q->event_types = g_strsplit (SYN_EVENT_RULE_DEFINITION_CREATED "," SYN_EVENT_RULE_DEFINITION_UPDATED, ",", -1);
  q->limit = 1;
  if (!(events = syn_store_query_events (store, q, NULL, error)))
    return FALSE;
  if (events->len > 0)
    json_object_set_object_member (o, "rule_changed", event_brief (g_ptr_array_index (events, 0)));
  return TRUE;
}

static gboolean
explain_rule (SynStore *store, SynProject *project, SynRule *rule, SynAsset *asset, Around *around,
              JsonArray *out, GError **error)
{
  g_auto(SynConditionVerdict) verdict = { 0 };
  g_autoptr(SynEvent) last = NULL;
  g_autoptr(JsonArray) outputs = outputs_of (rule, asset, around);
  SynFinding *finding = g_hash_table_lookup (around->findings, rule->id);
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "rule_id", rule->id);
  json_object_set_string_member (o, "rule_name", rule->name);
  syn_json_set_string_or_null (o, "source", rule->source);
  json_object_set_int_member (o, "priority", rule->priority);
  json_object_set_boolean_member (o, "is_enforced", rule->is_enforced);
  json_object_set_string_member (o, "action_type", rule->action_type);
  json_object_set_boolean_member (o, "library", rule->project_id == NULL);
  /* the REST contract lists them: null where they do not apply */
  json_object_set_null_member (o, "failed_test");
  json_object_set_null_member (o, "actual");
  json_object_set_array_member (o, "outputs", json_array_ref (outputs));
  json_array_add_object_element (out, o);
  if (!rule_change (store, project, rule, o, error))
    return FALSE;

  if (!rule->is_active)
    {
      json_object_set_string_member (o, "verdict", "inactive");
      json_object_set_string_member (o, "reason", "the rule is switched off");
      json_object_set_boolean_member (o, "out_of_date", json_array_get_length (outputs) > 0);
      return TRUE;
    }

  if (!syn_rule_condition_evaluate (rule->condition, asset, project->country, &verdict))
    {
      json_object_set_string_member (o, "verdict", "not_matched");
      json_object_set_string_member (o, "reason", "condition not met");
      syn_json_set_string_or_null (o, "failed_test", verdict.failed_test);
      syn_json_set_string_or_null (o, "actual", verdict.actual);
      /* outputs left from when it matched: the next run retracts them */
      json_object_set_boolean_member (o, "out_of_date", json_array_get_length (outputs) > 0);
      return TRUE;
    }

  if (finding != NULL)
    {
      gboolean stale = FALSE;

      if (!explain_finding (store, project, finding, o, &stale, error))
        return FALSE;
      /* stale: what the last run found is gone; the rule stands as if it
       * had not run since */
      if (!stale)
        return TRUE;
    }

  if (json_array_get_length (outputs) == 0)
    {
      if (set_property_satisfied (rule, asset))
        {
          json_object_set_string_member (o, "verdict", "satisfied");
          json_object_set_string_member (o, "reason", "matched; its values are already in place");
        }
      else if (json_object_has_member (o, "stale_finding"))
        {
          json_object_set_string_member (o, "verdict", "pending");
          json_object_set_string_member (o, "reason", "matched, but what its last run found was undone by a rollback since; "
                                                      "the next run decides again");
        }
      else
        {
          json_object_set_string_member (o, "verdict", "pending");
          json_object_set_string_member (o, "reason", "matched, but has not run on this asset yet (or its last run was rolled back)");
        }
      return TRUE;
    }

  /* its outputs stand: the run that last wrote them */
  json_object_set_string_member (o, "verdict", "fired");
  json_object_set_string_member (o, "reason", "matched");
  last = syn_store_find_latest_rule_event (store, project->id, rule->id, asset->id, error);
  if (last == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (last != NULL && strcmp (last->event_type, SYN_EVENT_RULE_SKIPPED) != 0 &&
      strcmp (last->event_type, SYN_EVENT_RULE_ERROR) != 0)
    {
      g_autoptr(GPtrArray) window = NULL;
      JsonArray *caused = json_array_new ();

      json_object_set_string_member (o, "correlation_id", last->correlation_id);
      json_object_set_object_member (o, "event", event_brief (last));
      window = syn_store_get_events_by_sequence (store, project->id, last->correlation_id, last->sequence_num + 1,
                                                 last->sequence_num + CAUSED_WINDOW, error);
      if (window == NULL)
        {
          json_array_unref (caused);
          return FALSE;
        }
      for (guint i = 0; i < window->len; i++)
        {
          SynEvent *e = g_ptr_array_index (window, i);

          if (g_strcmp0 (e->causation_id, last->id) == 0)
            json_array_add_object_element (caused, event_brief (e));
        }
      json_object_set_array_member (o, "events", caused);
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

/* Walks the asset's history oldest first: each creation or change sets the
 * keys it holds (its payload, or its diff); a deleted asset starts afresh. */
void
syn_explain_walk_writes (GPtrArray *history, SynValueWriteFunc func, gpointer user_data)
{
  g_return_if_fail (history != NULL && func != NULL);

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
          func (NULL, NULL, e, user_data);
          continue;
        }
      if (changes == NULL)
        continue;

      for (guint c = 0; columns[c]; c++)
        if (json_object_has_member (changes, columns[c]))
          func (columns[c], json_object_get_member (changes, columns[c]), e, user_data);

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
              g_autofree char *field = g_strconcat (SYN_FIELD_PROPERTY_PREFIX, key, NULL);

              func (field, JSON_NODE_HOLDS_NULL (value) ? NULL : value, e, user_data);
            }
        }
    }
}

typedef struct
{
  JsonObject *properties;
  JsonObject *fields;
} Provenance;

/* A claim per value; a removal drops the claim. What remains is who set what. */
static void
provenance_write (const char *field, JsonNode *value, SynEvent *e, gpointer user_data)
{
  Provenance *p = user_data;

  if (field == NULL)
    {
      /* a deleted then recreated asset starts afresh */
      g_autoptr(GList) names = json_object_get_members (p->properties);

      for (GList *l = names; l; l = l->next)
        json_object_remove_member (p->properties, l->data);
    }
  else if (g_str_has_prefix (field, SYN_FIELD_PROPERTY_PREFIX))
    {
      const char *key = field + strlen (SYN_FIELD_PROPERTY_PREFIX);

      if (value != NULL)
        claim (p->properties, key, value, e);
      else if (json_object_has_member (p->properties, key))
        json_object_remove_member (p->properties, key);
    }
  else
    claim (p->fields, field, value, e);
}

static void
build_provenance (GPtrArray *history, JsonObject *properties, JsonObject *fields)
{
  Provenance p = { properties, fields };

  syn_explain_walk_writes (history, provenance_write, &p);
}

/* {"asset": asset, "rules": [{rule_id, rule_name, verdict, reason, failed_test,
 * actual, correlation_id, event, events, winner_rule_id...}],
 * "provenance": {property: {value, event_id, event_type, rule_id,
 * correlation_id, timestamp, user_id, position}}, "fields": {column: ...}}.
 * Verdicts: fired (its outputs stand; "outputs" lists them), skipped, held (a person
 * holds its output), error, not_matched, satisfied, pending, inactive. */
JsonNode *
syn_explain_asset (SynStore *store, const char *project_id, const char *asset_id, GError **error)
{
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynAsset) asset = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) history = NULL;
  JsonObject *answer, *provenance, *fields;
  JsonArray *verdicts;
  Around around = { 0 };

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

  if (!load_around (store, project, asset, &around, error))
    {
      around_clear (&around);
      return NULL;
    }
  verdicts = json_array_new ();
  for (guint i = 0; i < rules->len; i++)
    if (!explain_rule (store, project, g_ptr_array_index (rules, i), asset, &around, verdicts, error))
      {
        json_array_unref (verdicts);
        around_clear (&around);
        return NULL;
      }
  around_clear (&around);

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

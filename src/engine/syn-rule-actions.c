/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-actions.c: what a rule derives from one source: CREATE_CHILD, CREATE_CABLE, CREATE_RELATIONSHIP,
 * SET_PROPERTY and VALIDATE, made (or updated, or taken back) in the derived project, with their findings. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "syn-cable-sizing.h"
#include "syn-derivation.h"
#include "syn-naming-template.h"
#include "syn-rule-condition.h"
#include "syn-rule-engine-private.h"

/* Motors above this take medium-voltage cable, which the tables of
 * ../shared/reference (low voltage, 75 °C copper) do not size. */
#define LOW_VOLTAGE_MAX_V 600.0

static JsonObject *
action_of (SynRule *rule)
{
  if (rule->action == NULL || !JSON_NODE_HOLDS_OBJECT (rule->action))
    return NULL;
  return json_node_get_object (rule->action);
}

/* ------------------------------------------------------------------------- */
/* What the pair read (its fingerprint) and found                            */

static void
reads_add (SynEngineRun *run, const char *name, const char *value)
{
  g_string_append (run->reads, name);
  g_string_append_c (run->reads, '=');
  g_string_append (run->reads, value ? value : "\x01");
  g_string_append_c (run->reads, '\x1f');
}

static void
reads_add_node (SynEngineRun *run, const char *name, JsonNode *node)
{
  g_autofree char *text = node ? syn_json_canonical (node) : NULL;

  reads_add (run, name, text);
}

static void
reads_add_number (SynEngineRun *run, const char *name, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  reads_add (run, name, isnan (value) ? NULL : g_ascii_dtostr (buf, sizeof buf, value));
}

static char *
fingerprint (SynEngineRun *run)
{
  char hex[17];

  syn_fingerprint_hex (run->reads->str, run->reads->len, hex);
  return g_strdup (hex);
}

static JsonArray *string_array (GPtrArray *strings);

static JsonObject *
add_finding (SynPair *pair, const char *reason, const char *message)
{
  JsonObject *finding = json_object_new ();

  if (pair->findings == NULL)
    pair->findings = json_array_new ();
  json_object_set_string_member (finding, "reason", reason);
  if (message != NULL)
    json_object_set_string_member (finding, "message", message);
  json_array_add_object_element (pair->findings, finding);
  return finding;
}

static void
add_error (SynPair *pair, const char *message, const char *severity)
{
  JsonObject *finding = add_finding (pair, "error", message);

  json_object_set_string_member (finding, "severity", severity ? severity : "error");
}

char *
_syn_engine_findings_digest (JsonArray *findings)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  char hex[17];

  if (findings == NULL || json_array_get_length (findings) == 0)
    return NULL;
  node = json_node_init_array (json_node_alloc (), findings);
  text = syn_json_canonical (node);
  syn_fingerprint_hex (text, strlen (text), hex);
  return g_strdup (hex);
}

/* ------------------------------------------------------------------------- */
/* Changes to the derived project, with what they touch for the next passes  */

static void
changed_asset (SynEngineRun *run, SynAsset *asset)
{
  g_autofree char *area = g_strconcat (asset->type ? asset->type : "", "\x1f", asset->area ? asset->area : "", NULL);

  _syn_engine_changed (run, "asset", asset->id);
  _syn_engine_changed (run, "tag", asset->tag);
  _syn_engine_changed (run, "area", area);
}

static void
changed_edge (SynEngineRun *run, SynEdge *edge)
{
  _syn_engine_changed (run, "kids", edge->target_asset_id);
  _syn_engine_changed (run, "kids", edge->source_asset_id);
}

static void
remove_edge (SynEngineRun *run, SynEdge *edge)
{
  g_autoptr(SynEdge) keep = g_object_ref (edge);

  syn_rule_world_remove_edge (run->derived, keep->id);
  changed_edge (run, keep);
}

static void
remove_cable (SynEngineRun *run, SynCable *cable)
{
  g_autoptr(SynCable) keep = g_object_ref (cable);

  syn_rule_world_remove_cable (run->derived, keep->id);
  _syn_engine_changed (run, "ctag", keep->tag);
  if (keep->to_asset_id != NULL)
    _syn_engine_changed (run, "asset", keep->to_asset_id);
}

/* Removes an asset with what touches it (edges, cables, as a manual delete
 * does) and with whatever rules derived from it, all the way down. */
void
_syn_engine_remove_asset (SynEngineRun *run, const char *asset_id)
{
  SynAsset *asset = syn_rule_world_get_asset (run->derived, asset_id);
  g_autoptr(SynAsset) keep = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  GPtrArray *links;

  if (asset == NULL)
    return;
  keep = g_object_ref (asset);

  /* the outputs of every rule evaluated on it go with it */
  g_hash_table_iter_init (&iter, syn_rule_world_output_index (run->derived));
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *sep = strchr (key, '\x1f');

      if (sep != NULL && strcmp (sep + 1, asset_id) == 0)
        g_ptr_array_add (pairs, g_strndup (key, sep - (const char *) key));
    }
  for (guint i = 0; i < pairs->len; i++)
    _syn_engine_remove_outputs (run, g_ptr_array_index (pairs, i), asset_id);

  while ((links = syn_rule_world_edges_of (run->derived, asset_id)) != NULL && links->len > 0)
    remove_edge (run, g_ptr_array_index (links, 0));
  while ((links = syn_rule_world_cables_of (run->derived, asset_id)) != NULL && links->len > 0)
    remove_cable (run, g_ptr_array_index (links, 0));

  changed_asset (run, keep);
  syn_rule_world_remove_asset (run->derived, asset_id);
}

/* Puts back the property values @rule_id laid over @asset_id. */
static void
remove_layers (SynEngineRun *run, const char *rule_id, const char *asset_id)
{
  SynAsset *asset = syn_rule_world_get_asset (run->derived, asset_id);
  JsonObject *layers = asset ? syn_derivation_get_layers (asset->derivation) : NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (layers == NULL)
    return;
  json_object_iter_init (&iter, layers);
  while (json_object_iter_next (&iter, &key, &node))
    if (JSON_NODE_HOLDS_OBJECT (node) &&
        g_strcmp0 (syn_json_get_string (json_node_get_object (node), "rule_id"), rule_id) == 0)
      g_ptr_array_add (keys, g_strdup (key));
  if (keys->len == 0)
    return;

  asset = syn_rule_world_writable_asset (run->derived, asset_id);
  for (guint i = 0; i < keys->len; i++)
    syn_derivation_unlay (asset, g_ptr_array_index (keys, i));
  changed_asset (run, asset);
}

/* Takes back everything @rule_id derived from @source_id. */
void
_syn_engine_remove_outputs (SynEngineRun *run, const char *rule_id, const char *source_id)
{
  GPtrArray *refs;

  while ((refs = syn_rule_world_outputs (run->derived, rule_id, source_id)) != NULL && refs->len > 0)
    {
      SynOutputRef *ref = g_ptr_array_index (refs, refs->len - 1);
      g_autofree char *id = g_strdup (ref->id);

      switch (ref->kind)
        {
        case SYN_OUTPUT_ASSET:
          _syn_engine_remove_asset (run, id);
          break;
        case SYN_OUTPUT_CABLE:
          remove_cable (run, syn_rule_world_get_cable (run->derived, id));
          break;
        case SYN_OUTPUT_EDGE:
        default:
          remove_edge (run, syn_rule_world_get_edge (run->derived, id));
          break;
        }
    }
  remove_layers (run, rule_id, source_id);
}

/* The pair's output of a kind in the derived project, or NULL. */
static const char *
output_id (SynRuleWorld *world, const char *rule_id, const char *source_id, SynOutputKind kind)
{
  GPtrArray *refs = syn_rule_world_outputs (world, rule_id, source_id);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      SynOutputRef *ref = g_ptr_array_index (refs, i);

      if (ref->kind == kind)
        return ref->id;
    }
  return NULL;
}

/* The id an output keeps across runs: the one the pair made before (in this
 * run, or as stored), so the difference is an update, not a new entity. */
static char *
identity (SynEngineRun *run, SynPair *pair, SynOutputKind kind)
{
  const char *id = output_id (run->derived, pair->rule_id, pair->source_id, kind);

  if (id == NULL)
    id = output_id (run->stored, pair->rule_id, pair->source_id, kind);
  return id != NULL ? g_strdup (id) : syn_uuid_new ();
}

/* ------------------------------------------------------------------------- */
/* Edges                                                                     */

typedef struct
{
  const char *from_id;
  const char *to_id;
  const char *relation;
} WantedEdge;

/* Makes the pair's edges exactly @wanted: those another pair or a person
 * already made are left to them. Returns how many of @wanted were there
 * already as someone else's. */
static guint
reconcile_edges (SynEngineRun *run, SynPair *pair, SynRule *rule, const WantedEdge *wanted, guint n_wanted)
{
  GPtrArray *refs = syn_rule_world_outputs (run->derived, pair->rule_id, pair->source_id);
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_object_unref);
  guint foreign = 0;

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      SynOutputRef *ref = g_ptr_array_index (refs, i);
      SynEdge *edge;
      gboolean keep = FALSE;

      if (ref->kind != SYN_OUTPUT_EDGE || !(edge = syn_rule_world_get_edge (run->derived, ref->id)))
        continue;
      for (guint w = 0; w < n_wanted && !keep; w++)
        keep = g_strcmp0 (edge->source_asset_id, wanted[w].from_id) == 0 &&
               g_strcmp0 (edge->target_asset_id, wanted[w].to_id) == 0 &&
               g_strcmp0 (edge->relation, wanted[w].relation) == 0;
      if (!keep)
        g_ptr_array_add (stale, g_object_ref (edge));
    }
  for (guint i = 0; i < stale->len; i++)
    remove_edge (run, g_ptr_array_index (stale, i));

  for (guint w = 0; w < n_wanted; w++)
    {
      SynEdge *existing = syn_rule_world_find_edge (run->derived, wanted[w].from_id, wanted[w].to_id,
                                                    wanted[w].relation);
      SynEdge *stored;
      g_autoptr(SynEdge) edge = NULL;

      if (existing != NULL)
        {
          if (g_strcmp0 (syn_derivation_get_rule_id (existing->derivation), pair->rule_id) != 0 ||
              g_strcmp0 (syn_derivation_get_source (existing->derivation), pair->source_id) != 0)
            foreign++;
          continue;
        }
      /* the stored edge, when it is this pair's, keeps its id */
      stored = syn_rule_world_find_edge (run->stored, wanted[w].from_id, wanted[w].to_id, wanted[w].relation);
      if (stored != NULL &&
          g_strcmp0 (syn_derivation_get_rule_id (stored->derivation), pair->rule_id) == 0 &&
          g_strcmp0 (syn_derivation_get_source (stored->derivation), pair->source_id) == 0 &&
          syn_rule_world_get_edge (run->derived, stored->id) == NULL)
        {
          syn_rule_world_add_edge (run->derived, stored, FALSE);
          changed_edge (run, stored);
          continue;
        }
      edge = syn_edge_new ();
      edge->id = syn_uuid_new ();
      edge->project_id = g_strdup (run->project->id);
      edge->source_asset_id = g_strdup (wanted[w].from_id);
      edge->target_asset_id = g_strdup (wanted[w].to_id);
      edge->relation = g_strdup (wanted[w].relation);
      edge->created_by_rule_id = g_strdup (rule->id);
      syn_derivation_set_origin (&edge->derivation, rule->id, pair->source_id, pair->inputs, NULL);
      syn_rule_world_add_edge (run->derived, edge, TRUE);
      changed_edge (run, edge);
    }
  return foreign;
}

/* ------------------------------------------------------------------------- */
/* Held fields: a person's values stand                                      */

static void
copy_property (JsonObject *to, JsonObject *from, const char *key)
{
  JsonNode *value = json_object_get_member (from, key);

  if (value != NULL)
    json_object_set_member (to, key, syn_json_node_deep_copy (value));
  else if (json_object_has_member (to, key))
    json_object_remove_member (to, key);
}

/* The stored output's held fields (and their record) onto @wanted. */
static void
apply_asset_holds (SynAsset *wanted, SynAsset *stored, GPtrArray *against)
{
  JsonArray *held;

  if (stored == NULL || stored->derivation == NULL ||
      !json_object_has_member (stored->derivation, "held"))
    return;
  held = json_object_get_array_member (stored->derivation, "held");
  for (guint i = 0; i < json_array_get_length (held); i++)
    {
      const char *field = json_array_get_string_element (held, i);

      syn_derivation_hold (&wanted->derivation, field);
      if (g_str_has_prefix (field, SYN_FIELD_PROPERTY_PREFIX))
        {
          const char *key = field + strlen (SYN_FIELD_PROPERTY_PREFIX);
          JsonNode *rule_value = json_object_get_member (wanted->properties, key);

          /* the rule would write it, and the person's value is another */
          if (rule_value != NULL && !syn_json_node_equal (rule_value, json_object_get_member (stored->properties, key)))
            g_ptr_array_add (against, g_strdup (key));
          copy_property (wanted->properties, stored->properties, key);
        }
      else
        {
          if (g_strcmp0 (syn_asset_get_column (wanted, field), syn_asset_get_column (stored, field)) != 0)
            g_ptr_array_add (against, g_strdup (field));
          syn_asset_set_column (wanted, field, syn_asset_get_column (stored, field));
        }
    }
}

/* A person holds values of what the rule made against it: a warning each
 * run (a RULE_SKIPPED when it appears), and how to hand them back. */
static void
hold_finding (SynPair *pair, SynRule *rule, SynAsset *output, GPtrArray *against)
{
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;
  JsonObject *finding;

  if (against->len == 0)
    return;
  g_ptr_array_add (against, NULL);
  list = g_strjoinv (", ", (char **) against->pdata);
  g_ptr_array_remove_index (against, against->len - 1);
  text = g_strdup_printf ("%s: %s set by a person; rule %s leaves %s as it is (synapse asset reset %s hands %s back)",
                          output->tag, list, rule->id, against->len == 1 ? "it" : "them", output->tag,
                          against->len == 1 ? "it" : "them");
  finding = add_finding (pair, "manual_override", text);
  json_object_set_string_member (finding, "severity", "warning");
  json_object_set_array_member (finding, "fields", string_array (against));
}

/* What rules outside this run laid over the stored output stays laid. */
static void
apply_frozen_layers (SynEngineRun *run, SynAsset *wanted, SynAsset *stored)
{
  JsonObject *layers = stored ? syn_derivation_get_layers (stored->derivation) : NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (layers == NULL)
    return;
  json_object_iter_init (&iter, layers);
  while (json_object_iter_next (&iter, &key, &node))
    {
      JsonObject *layer = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *rule_id = layer ? syn_json_get_string (layer, "rule_id") : NULL;
      JsonNode *value = json_object_get_member (stored->properties, key);

      if (rule_id == NULL || _syn_engine_pair_in_scope (run, rule_id, stored->id))
        continue;
      syn_derivation_set_layer (&wanted->derivation, key, rule_id, syn_json_get_string (layer, "inputs"),
                                json_object_get_member (wanted->properties, key));
      if (value != NULL)
        json_object_set_member (wanted->properties, key, syn_json_node_deep_copy (value));
    }
}

static gboolean
strings_equal (const char *a, const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

static gboolean
objects_equal (JsonObject *a, JsonObject *b)
{
  g_autoptr(JsonNode) na = NULL;
  g_autoptr(JsonNode) nb = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  if (json_object_get_size (a) != json_object_get_size (b))
    return FALSE;
  na = json_node_init_object (json_node_alloc (), a);
  nb = json_node_init_object (json_node_alloc (), b);
  return syn_json_node_equal (na, nb);
}

/* Two derivation records but for their fingerprints ("inputs"); @layers: compare layer records without their fingerprints too. */
static gboolean
records_equal (JsonObject *a, JsonObject *b, gboolean layers)
{
  guint size_a = 0, size_b = 0;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (a == NULL || b == NULL)
    return a == b;
  json_object_iter_init (&iter, a);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonNode *other;

      if (strcmp (name, "inputs") == 0)
        continue;
      size_a++;
      other = json_object_get_member (b, name);
      if (other == NULL)
        return FALSE;
      if (layers && strcmp (name, "values") == 0 && JSON_NODE_HOLDS_OBJECT (node) && JSON_NODE_HOLDS_OBJECT (other))
        {
          JsonObject *la = json_node_get_object (node), *lb = json_node_get_object (other);
          JsonObjectIter li;
          const char *key;
          JsonNode *layer;

          if (json_object_get_size (la) != json_object_get_size (lb))
            return FALSE;
          json_object_iter_init (&li, la);
          while (json_object_iter_next (&li, &key, &layer))
            {
              JsonNode *other_layer = json_object_get_member (lb, key);

              if (other_layer == NULL || !JSON_NODE_HOLDS_OBJECT (layer) || !JSON_NODE_HOLDS_OBJECT (other_layer) ||
                  !records_equal (json_node_get_object (layer), json_node_get_object (other_layer), FALSE))
                return FALSE;
            }
          continue;
        }
      if (!syn_json_node_equal (node, other))
        return FALSE;
    }
  json_object_iter_init (&iter, b);
  while (json_object_iter_next (&iter, &name, &node))
    if (strcmp (name, "inputs") != 0)
      size_b++;
  return size_a == size_b;
}

/* Equal but perhaps for the fingerprints of what rules read: an output
 * whose inputs changed without changing it is left as it is (no event);
 * its record keeps the fingerprint of the inputs it was written from. */
gboolean
_syn_engine_assets_equal (SynAsset *a, SynAsset *b)
{
  return strings_equal (a->id, b->id) && strings_equal (a->tag, b->tag) && strings_equal (a->type, b->type) &&
         strings_equal (a->description, b->description) && strings_equal (a->discipline, b->discipline) &&
         strings_equal (a->area, b->area) && strings_equal (a->created_by_rule_id, b->created_by_rule_id) &&
         strings_equal (a->project_id, b->project_id) &&
         objects_equal (a->properties, b->properties) && records_equal (a->derivation, b->derivation, TRUE);
}

static gboolean
doubles_equal (double a, double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

gboolean
_syn_engine_cables_equal (SynCable *a, SynCable *b)
{
  return strings_equal (a->id, b->id) && strings_equal (a->tag, b->tag) &&
         strings_equal (a->from_asset_id, b->from_asset_id) && strings_equal (a->to_asset_id, b->to_asset_id) &&
         strings_equal (a->cable_type, b->cable_type) && doubles_equal (a->voltage, b->voltage) &&
         doubles_equal (a->length_m, b->length_m) && strings_equal (a->conductor_size, b->conductor_size) &&
         doubles_equal (a->flc_a, b->flc_a) && doubles_equal (a->ampacity_a, b->ampacity_a) &&
         doubles_equal (a->voltage_drop_pct, b->voltage_drop_pct) &&
         strings_equal (a->created_by_rule_id, b->created_by_rule_id) &&
         strings_equal (a->project_id, b->project_id) &&
         objects_equal (a->properties, b->properties) && records_equal (a->derivation, b->derivation, FALSE);
}

/* Puts @wanted in the derived project in place of what is there under its
 * id: the stored object itself when they are equal (nothing to write). */
static void
put_asset (SynEngineRun *run, SynAsset *wanted)
{
  SynAsset *current = syn_rule_world_get_asset (run->derived, wanted->id);
  SynAsset *stored = syn_rule_world_get_asset (run->stored, wanted->id);

  if (current != NULL && _syn_engine_assets_equal (current, wanted))
    return;
  if (current != NULL)
    changed_asset (run, current);
  else
    g_hash_table_add (run->created_this_pass, g_strdup (wanted->id));
  if (stored != NULL && _syn_engine_assets_equal (stored, wanted))
    {
      if (current != NULL)
        syn_rule_world_remove_asset (run->derived, wanted->id);
      syn_rule_world_add_asset (run->derived, stored, FALSE);
    }
  else
    syn_rule_world_replace_asset (run->derived, wanted);
  changed_asset (run, wanted);
}

static void
put_cable (SynEngineRun *run, SynCable *wanted)
{
  SynCable *current = syn_rule_world_get_cable (run->derived, wanted->id);
  SynCable *stored = syn_rule_world_get_cable (run->stored, wanted->id);

  if (current != NULL && _syn_engine_cables_equal (current, wanted))
    return;
  if (current != NULL)
    remove_cable (run, current);
  if (stored != NULL && _syn_engine_cables_equal (stored, wanted))
    syn_rule_world_add_cable (run->derived, stored, FALSE);
  else
    syn_rule_world_add_cable (run->derived, wanted, TRUE);
  _syn_engine_changed (run, "ctag", wanted->tag);
  if (wanted->to_asset_id != NULL)
    _syn_engine_changed (run, "asset", wanted->to_asset_id);
}

/* ------------------------------------------------------------------------- */
/* Reading sources                                                           */

/* Expansion problems (a missing area, a tag without a number) are the
 * source's, not the rule's: an error finding, and the run goes on. */
static char *
expand (SynPair *pair, const char *template, SynAsset *source, const char *from_tag, const char *to_tag)
{
  g_autoptr(GError) error = NULL;
  char *tag = syn_naming_template_expand (template, source, from_tag, to_tag, &error);

  if (tag == NULL)
    add_error (pair, error->message, "error");
  return tag;
}

static gboolean
withheld (SynEngineRun *run, SynPair *pair, SynRule *rule, SynAsset *source)
{
  JsonObject *finding;
  g_autofree char *text = NULL;

  if (!syn_derivation_withholds (source->derivation, rule->id))
    return FALSE;
  text = g_strdup_printf ("%s: a person deleted what rule %s made for it; the rule leaves it out "
                          "until it is handed back (synapse asset reset %s --rule %s)",
                          source->tag, rule->id, source->tag, rule->id);
  finding = add_finding (pair, "manual_override", text);
  json_object_set_string_member (finding, "severity", "warning");
  {
    JsonArray *fields = json_array_new ();

    json_array_add_string_element (fields, "deleted");
    json_object_set_array_member (finding, "fields", fields);
  }
  _syn_engine_remove_outputs (run, rule->id, source->id);
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* CREATE_CHILD                                                              */

static gboolean
is_column (const char *key)
{
  static const char * const columns[] = { "area", "discipline", "description", NULL };

  return g_strv_contains (columns, key);
}

/* The stored child as it is (less the values rules of this run lay again)
 * when it was made from the inputs read now, no person holds any of it, and
 * its tag is free: the common case of a run after a small change. */
static gboolean
reuse_stored_child (SynEngineRun *run, SynPair *pair, SynRule *rule, SynAsset *source, const char *id,
                    const char *tag, const char *relation)
{
  SynAsset *stored = syn_rule_world_get_asset (run->stored, id);
  SynAsset *taken = syn_rule_world_get_asset_by_tag (run->derived, tag);
  JsonObject *layers;
  gboolean relaid = FALSE;

  if (stored == NULL || syn_rule_world_get_asset (run->derived, id) != NULL ||
      g_strcmp0 (syn_derivation_get_inputs (stored->derivation), pair->inputs) != 0 ||
      g_strcmp0 (syn_derivation_get_rule_id (stored->derivation), rule->id) != 0 ||
      g_strcmp0 (syn_derivation_get_source (stored->derivation), source->id) != 0 ||
      g_strcmp0 (stored->tag, tag) != 0 || syn_derivation_has_holds (stored->derivation) ||
      (taken != NULL && taken != stored))
    return FALSE;

  layers = syn_derivation_get_layers (stored->derivation);
  if (layers != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *node;

      json_object_iter_init (&iter, layers);
      while (!relaid && json_object_iter_next (&iter, &key, &node))
        relaid = JSON_NODE_HOLDS_OBJECT (node) &&
                 _syn_engine_pair_in_scope (run, syn_json_get_string (json_node_get_object (node), "rule_id"), id);
    }
  if (relaid)
    {
      g_autoptr(SynAsset) copy = syn_asset_copy (stored);
      g_autoptr(GList) keys = json_object_get_members (layers);

      for (GList *l = keys; l; l = l->next)
        {
          JsonObject *layer = syn_derivation_get_layer (copy->derivation, l->data);

          if (layer != NULL && _syn_engine_pair_in_scope (run, syn_json_get_string (layer, "rule_id"), id))
            syn_derivation_unlay (copy, l->data);
        }
      put_asset (run, copy);
    }
  else
    {
      syn_rule_world_add_asset (run->derived, stored, FALSE);
      g_hash_table_add (run->created_this_pass, g_strdup (stored->id));
      changed_asset (run, stored);
    }
  {
    WantedEdge link = { id, source->id, relation };

    reconcile_edges (run, pair, rule, &link, 1);
  }
  return TRUE;
}

static void
do_create_child (SynEngineRun *run, SynPair *pair, SynRule *rule, SynAsset *source)
{
  JsonObject *action = action_of (rule);
  const char *type = syn_json_get_string (action, "type");
  const char *relation = syn_json_get_string (action, "relation");
  const char *discipline = syn_json_get_string (action, "discipline");
  g_autofree char *tag = NULL;
  g_autofree char *id = NULL;
  g_autoptr(SynAsset) child = NULL;
  g_autoptr(JsonArray) keys = json_array_new ();
  const char *current_id;
  SynAsset *stored, *taken;

  if (withheld (run, pair, rule, source))
    return;
  if (!(tag = expand (pair, syn_json_get_string (action, "naming"), source, NULL, NULL)))
    {
      _syn_engine_remove_outputs (run, rule->id, source->id);
      return;
    }

  /* what it reads, first: when the stored child was made from the same,
   * it is the child (the fingerprint's use), and nothing is built */
  if (json_object_has_member (action, "inherit_properties"))
    {
      JsonArray *inherit = json_object_get_array_member (action, "inherit_properties");

      for (guint i = 0; i < json_array_get_length (inherit); i++)
        {
          const char *key = json_array_get_string_element (inherit, i);

          if (!is_column (key))
            reads_add_node (run, key, json_object_get_member (source->properties, key));
        }
    }
  reads_add (run, "tag", tag);
  reads_add (run, "source_tag", source->tag);
  reads_add (run, "area", source->area);
  reads_add (run, "discipline", source->discipline);
  reads_add (run, "description", source->description);
  g_free (pair->inputs);
  pair->inputs = fingerprint (run);

  id = identity (run, pair, SYN_OUTPUT_ASSET);
  if (reuse_stored_child (run, pair, rule, source, id, tag, relation))
    return;

  child = syn_asset_new ();
  child->id = g_strdup (id);
  child->project_id = g_strdup (run->project->id);
  child->tag = g_steal_pointer (&tag);
  child->type = g_strdup (type);
  child->discipline = g_strdup (discipline ? discipline : rule->discipline);
  child->area = g_strdup (source->area);
  child->description = g_strdup_printf ("%s for %s", type, source->tag);
  child->created_by_rule_id = g_strdup (rule->id);
  if (json_object_has_member (action, "inherit_properties"))
    {
      JsonArray *inherit = json_object_get_array_member (action, "inherit_properties");

      for (guint i = 0; i < json_array_get_length (inherit); i++)
        {
          const char *key = json_array_get_string_element (inherit, i);
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
            {
              json_object_set_member (child->properties, key, syn_json_node_deep_copy (value));
              json_array_add_string_element (keys, key);
            }
        }
    }
  if (json_object_has_member (action, "properties"))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_object_get_object_member (action, "properties"));
      while (json_object_iter_next (&iter, &name, &value))
        {
          json_object_set_member (child->properties, name, syn_json_node_deep_copy (value));
          json_array_add_string_element (keys, name);
        }
    }
  syn_derivation_set_origin (&child->derivation, rule->id, source->id, pair->inputs,
                             json_array_get_length (keys) > 0 ? keys : NULL);

  stored = syn_rule_world_get_asset (run->stored, id);
  if (stored != NULL && g_strcmp0 (syn_derivation_get_rule_id (stored->derivation), rule->id) == 0 &&
      g_strcmp0 (syn_derivation_get_source (stored->derivation), source->id) == 0)
    {
      g_autoptr(GPtrArray) against = g_ptr_array_new_with_free_func (g_free);

      apply_asset_holds (child, stored, against);
      apply_frozen_layers (run, child, stored);
      hold_finding (pair, rule, child, against);
    }
  else
    stored = NULL;

  current_id = output_id (run->derived, rule->id, source->id, SYN_OUTPUT_ASSET);
  taken = syn_rule_world_get_asset_by_tag (run->derived, child->tag);
  if (taken != NULL && g_strcmp0 (taken->id, child->id) != 0)
    {
      _syn_engine_depends (run, "tag", child->tag);
      if (current_id != NULL)
        {
          /* made earlier in this run under another tag: it stays as it is */
          SynAsset *current = syn_rule_world_get_asset (run->derived, current_id);
          g_autofree char *text = g_strdup_printf ("Cannot rename %s to %s: tag %s is in use by another asset",
                                                   current->tag, child->tag, child->tag);

          add_error (pair, text, "error");
          return;
        }
      {
        JsonObject *finding = add_finding (pair, "exists", NULL);
        WantedEdge link = { taken->id, source->id, relation };

        json_object_set_string_member (finding, "existing_id", taken->id);
        json_object_set_string_member (finding, "existing_tag", taken->tag);
        /* the child is there, but its link to this source may not be */
        reconcile_edges (run, pair, rule, &link, 1);
      }
      return;
    }

  put_asset (run, child);
  {
    WantedEdge link = { child->id, source->id, relation };

    reconcile_edges (run, pair, rule, &link, 1);
  }
}

/* ------------------------------------------------------------------------- */
/* CREATE_CABLE                                                              */

/* The load of a cable rule: the source, or its child of a type (the first by tag). */
static SynAsset *
find_load (SynEngineRun *run, SynAsset *source, const char *to)
{
  GPtrArray *links;
  SynAsset *found = NULL;

  if (to == NULL || strcmp (to, "source") == 0)
    return source;
  if (!g_str_has_prefix (to, "child:"))
    return NULL;
  _syn_engine_depends (run, "kids", source->id);
  links = syn_rule_world_edges_of (run->derived, source->id);
  for (guint i = 0; links && i < links->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (links, i);
      SynAsset *child;

      if (g_strcmp0 (edge->target_asset_id, source->id) != 0)
        continue;
      child = syn_rule_world_get_asset (run->derived, edge->source_asset_id);
      if (child != NULL && g_strcmp0 (child->type, to + strlen ("child:")) == 0 &&
          (found == NULL || strcmp (child->tag, found->tag) < 0))
        found = child;
    }
  if (found != NULL)
    _syn_engine_depends (run, "asset", found->id);
  return found;
}

/* A sizing input of the load: absent (FALSE without an error), or read
 * with its unit; anything else is an error naming the asset, key and value. */
static gboolean
sizing_input (SynAsset *load, const char *key, SynQuantityKind kind, double *out, char **problem)
{
  JsonNode *node = json_object_get_member (load->properties, key);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      *out = json_node_get_double (node);
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (*json_node_get_string (node) == '\0')
        return FALSE;
      if (syn_quantity_parse (json_node_get_string (node), kind, out, &error))
        return TRUE;
    }
  shown = syn_json_canonical (node);
  *problem = g_strdup_printf ("%s of %s is %s: %s", key, load->tag, shown,
                              error ? error->message : "not a number");
  return FALSE;
}

static void
do_create_cable (SynEngineRun *run, SynPair *pair, SynRule *rule, SynAsset *source)
{
  JsonObject *action = action_of (rule);
  const char *to = syn_json_get_string (action, "to");
  const char *from = syn_json_get_string (action, "from");
  const char *sizing_mode = syn_json_get_string (action, "sizing");
  SynAsset *load, *from_asset = NULL;
  g_autofree char *from_tag = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *id = NULL;
  g_autofree char *over_text = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(SynCable) cable = NULL;
  SynCable *taken, *stored;
  double voltage = 600, length = 50, hp = NAN;

  if (withheld (run, pair, rule, source))
    return;
  load = find_load (run, source, to);
  if (load == NULL)
    {
      JsonObject *finding = add_finding (pair, "not_applicable", NULL);

      json_object_set_string_member (finding, "detail", "no load asset of the requested type");
      _syn_engine_remove_outputs (run, rule->id, source->id);
      return;
    }
  if (from != NULL && strcmp (from, "source") == 0)
    from_asset = source;
  else if (from != NULL)
    {
      if (!(from_tag = expand (pair, from, source, NULL, load->tag)))
        {
          _syn_engine_remove_outputs (run, rule->id, source->id);
          return;
        }
      _syn_engine_depends (run, "tag", from_tag);
      from_asset = syn_rule_world_get_asset_by_tag (run->derived, from_tag);
    }
  if (from_asset != NULL && from_tag == NULL)
    from_tag = g_strdup (from_asset->tag);

  if (!(tag = expand (pair, syn_json_get_string (action, "naming"), source, from_tag, load->tag)))
    {
      _syn_engine_remove_outputs (run, rule->id, source->id);
      return;
    }

  if (!sizing_input (load, "voltage", SYN_QUANTITY_VOLTAGE_V, &voltage, &problem) && problem == NULL)
    voltage = 600;
  if (problem == NULL && !sizing_input (load, "length_m", SYN_QUANTITY_LENGTH_M, &length, &problem) &&
      problem == NULL)
    length = 50;
  if (problem == NULL && g_strcmp0 (sizing_mode, "manual") != 0 &&
      !sizing_input (load, "hp", SYN_QUANTITY_POWER_HP, &hp, &problem) && problem == NULL)
    problem = g_strdup_printf ("%s has no horsepower (hp)", load->tag);
  reads_add (run, "load", load->id);
  reads_add (run, "load_type", load->type);
  reads_add (run, "from", from_tag);
  reads_add (run, "from_id", from_asset ? from_asset->id : NULL);
  reads_add (run, "tag", tag);
  reads_add_number (run, "hp", hp);
  reads_add_number (run, "voltage", voltage);
  reads_add_number (run, "length_m", length);
  g_free (pair->inputs);
  pair->inputs = fingerprint (run);
  if (problem != NULL)
    {
      g_autofree char *text = g_strdup_printf ("Cannot size cable %s: %s", tag, problem);

      add_error (pair, text, "error");
      _syn_engine_remove_outputs (run, rule->id, source->id);
      return;
    }
  if (voltage > LOW_VOLTAGE_MAX_V + 1e-9)
    {
      g_autofree char *text = g_strdup_printf ("Cannot size cable %s: %s runs at %g V; its cable must be sized "
                                               "as medium voltage, which the low-voltage tables do not cover",
                                               tag, load->tag, voltage);

      add_error (pair, text, "error");
      _syn_engine_remove_outputs (run, rule->id, source->id);
      return;
    }

  id = identity (run, pair, SYN_OUTPUT_CABLE);
  /* made from the same inputs, held by nobody, sized within the tables: the
   * stored cable is the cable, and nothing is built or sized again */
  stored = syn_rule_world_get_cable (run->stored, id);
  if (stored != NULL && syn_rule_world_get_cable (run->derived, id) == NULL &&
      g_strcmp0 (syn_derivation_get_inputs (stored->derivation), pair->inputs) == 0 &&
      g_strcmp0 (syn_derivation_get_rule_id (stored->derivation), rule->id) == 0 &&
      g_strcmp0 (syn_derivation_get_source (stored->derivation), source->id) == 0 &&
      !syn_derivation_has_holds (stored->derivation) && g_strcmp0 (stored->tag, tag) == 0 &&
      g_strcmp0 (stored->conductor_size, SYN_CABLE_SIZING_OVER_LIMIT) != 0 &&
      syn_rule_world_get_cable_by_tag (run->derived, tag) == NULL)
    {
      syn_rule_world_add_cable (run->derived, stored, FALSE);
      _syn_engine_changed (run, "ctag", tag);
      _syn_engine_changed (run, "asset", load->id);
      return;
    }

  cable = syn_cable_new ();
  cable->id = g_strdup (id);
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

      if (!syn_cable_sizing_compute (hp, voltage, length, limit, g_strcmp0 (load->type, "MOTOR") == 0,
                                     &sizing, &sizing_error))
        {
          g_autofree char *text = g_strdup_printf ("Cannot size cable %s for %s: %s", tag, load->tag,
                                                   sizing_error->message);

          add_error (pair, text, "error");
          _syn_engine_remove_outputs (run, rule->id, source->id);
          return;
        }
      cable->conductor_size = g_strdup (sizing.conductor_size);
      /* the table's currents are whole amperes; scaled ones read to 0.1 A */
      cable->flc_a = round (sizing.flc_a * 10) / 10;
      cable->ampacity_a = sizing.ampacity_a;
      cable->voltage_drop_pct = isnan (sizing.voltage_drop_pct) ? NAN : round (sizing.voltage_drop_pct * 1000) / 1000;
      json_object_set_double_member (cable->properties, "min_ampacity_a", round (sizing.min_ampacity_a * 100) / 100);
      json_object_set_double_member (cable->properties, "voltage_drop_limit_pct", limit);
      if (sizing.over_limit)
        over_text = g_strdup_printf ("Cable %s for %s (%g HP, %g V, %g m): no conductor in the table "
                                     "serves this load (%s); created as OVER_LIMIT",
                                     tag, load->tag, hp, voltage, length,
                                     sizing.over_limit_reason ? sizing.over_limit_reason : "over the table");
    }
  syn_derivation_set_origin (&cable->derivation, rule->id, source->id, pair->inputs, NULL);

  stored = syn_rule_world_get_cable (run->stored, id);
  if (stored != NULL && g_strcmp0 (syn_derivation_get_rule_id (stored->derivation), rule->id) == 0 &&
      g_strcmp0 (syn_derivation_get_source (stored->derivation), source->id) == 0 &&
      stored->derivation != NULL && json_object_has_member (stored->derivation, "held"))
    {
      /* a person's values stand: the cable as stored, for those fields */
      g_autoptr(JsonNode) wanted_json = syn_cable_to_json (cable);
      g_autoptr(JsonNode) stored_json = syn_cable_to_json (stored);
      JsonArray *held = json_object_get_array_member (stored->derivation, "held");
      JsonObject *w = json_node_get_object (wanted_json);
      g_autoptr(GError) error = NULL;
      g_autoptr(SynCable) merged = NULL;

      for (guint i = 0; i < json_array_get_length (held); i++)
        {
          const char *field = json_array_get_string_element (held, i);

          if (g_str_has_prefix (field, SYN_FIELD_PROPERTY_PREFIX))
            copy_property (json_object_get_object_member (w, "properties"),
                           json_object_get_object_member (json_node_get_object (stored_json), "properties"),
                           field + strlen (SYN_FIELD_PROPERTY_PREFIX));
          else
            copy_property (w, json_node_get_object (stored_json), field);
        }
      json_object_set_array_member (json_object_get_object_member (w, "derivation"), "held", json_array_ref (held));
      merged = syn_cable_from_json (w, &error);
      if (merged != NULL)
        g_set_object (&cable, merged);
    }

  taken = syn_rule_world_get_cable_by_tag (run->derived, cable->tag);
  if (taken != NULL && g_strcmp0 (taken->id, cable->id) != 0)
    {
      JsonObject *finding = add_finding (pair, "exists", NULL);

      _syn_engine_depends (run, "ctag", cable->tag);
      json_object_set_string_member (finding, "existing_tag", cable->tag);
      json_object_set_string_member (finding, "existing_id", taken->id);
      _syn_engine_remove_outputs (run, rule->id, source->id);
      return;
    }
  put_cable (run, cable);
  if (over_text != NULL)
    add_error (pair, over_text, "error");
}

/* ------------------------------------------------------------------------- */
/* CREATE_RELATIONSHIP                                                       */

static void
do_create_relationship (SynEngineRun *run, SynPair *pair, SynRule *rule, SynAsset *source)
{
  JsonObject *action = action_of (rule);
  JsonObject *target = json_object_get_object_member (action, "target");
  const char *relation = syn_json_get_string (action, "relation");
  const char *target_type = syn_json_get_string (target, "asset_type");
  const char *match = syn_json_get_string (target, "match");
  g_autoptr(GPtrArray) targets = NULL;
  g_autofree WantedEdge *wanted = NULL;
  guint foreign;

  if (withheld (run, pair, rule, source))
    return;
  if (g_strcmp0 (match, "tag") == 0)
    {
      g_autofree char *tag = expand (pair, syn_json_get_string (target, "tag"), source, NULL, NULL);
      SynAsset *found;

      if (tag == NULL)
        {
          _syn_engine_remove_outputs (run, rule->id, source->id);
          return;
        }
      _syn_engine_depends (run, "tag", tag);
      targets = g_ptr_array_new ();
      found = syn_rule_world_get_asset_by_tag (run->derived, tag);
      if (found != NULL && found != source && (target_type == NULL || g_strcmp0 (found->type, target_type) == 0))
        g_ptr_array_add (targets, found);
    }
  else
    {
      g_autofree char *area = g_strconcat (target_type ? target_type : "", "\x1f",
                                           source->area ? source->area : "", NULL);

      _syn_engine_depends (run, "area", area);
      targets = source->area ? syn_rule_world_assets_in_area (run->derived, target_type, source->area)
                             : g_ptr_array_new ();
      g_ptr_array_remove (targets, source);
    }

  for (guint i = 0; i < targets->len; i++)
    reads_add (run, "target", ((SynAsset *) targets->pdata[i])->id);
  g_free (pair->inputs);
  pair->inputs = fingerprint (run);

  wanted = g_new0 (WantedEdge, targets->len + 1);
  for (guint i = 0; i < targets->len; i++)
    {
      wanted[i].from_id = source->id;
      wanted[i].to_id = ((SynAsset *) targets->pdata[i])->id;
      wanted[i].relation = relation;
    }
  foreign = reconcile_edges (run, pair, rule, wanted, targets->len);
  if (targets->len == 0)
    add_finding (pair, "not_applicable", NULL);
  else if (foreign == targets->len)
    add_finding (pair, "exists", NULL);
}

/* ------------------------------------------------------------------------- */
/* SET_PROPERTY                                                              */

/* Enforced beats not enforced, then higher priority; between equals the
 * later in the run's order wins, as it writes last in a pass: a rule that
 * comes before it in a later pass leaves the value alone, so two rules of
 * one rank that disagree settle instead of undoing each other for ever. */
static gboolean
outranks (const SynClaim *claim, SynRule *rule, guint order)
{
  if (g_strcmp0 (claim->rule_id, rule->id) == 0)
    return FALSE;
  if (claim->enforced != rule->is_enforced)
    return claim->enforced;
  if (claim->priority != rule->priority)
    return claim->priority > rule->priority;
  return claim->order > order;
}

static JsonArray *
string_array (GPtrArray *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < strings->len; i++)
    json_array_add_string_element (array, strings->pdata[i]);
  return array;
}

static void
do_set_property (SynEngineRun *run, SynPair *pair, SynRule *rule, SynAsset *source)
{
  JsonObject *action = action_of (rule);
  JsonObject *props = json_object_get_object_member (action, "properties");
  gboolean defaults_only = g_strcmp0 (syn_json_get_string (action, "mode"), "default") == 0;
  g_autoptr(GPtrArray) overridden = g_ptr_array_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new ();
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) to_set = g_ptr_array_new ();
  const char *winner = NULL;
  JsonObject *layers = syn_derivation_get_layers (source->derivation);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  SynAsset *asset;
  gboolean changed = FALSE;

  /* keys this rule laid before and no longer sets (the rule changed) */
  if (layers != NULL)
    {
      json_object_iter_init (&iter, layers);
      while (json_object_iter_next (&iter, &key, &value))
        if (JSON_NODE_HOLDS_OBJECT (value) &&
            g_strcmp0 (syn_json_get_string (json_node_get_object (value), "rule_id"), rule->id) == 0 &&
            !json_object_has_member (props, key))
          g_ptr_array_add (stale, g_strdup (key));
    }

  json_object_iter_init (&iter, props);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *claim_key = g_strconcat (source->id, "\x1f", key, NULL);
      g_autofree char *field = g_strconcat (SYN_FIELD_PROPERTY_PREFIX, key, NULL);
      SynClaim *claim = g_hash_table_lookup (run->claims, claim_key);
      JsonObject *layer = syn_derivation_get_layer (source->derivation, key);
      gboolean mine = layer != NULL && g_strcmp0 (syn_json_get_string (layer, "rule_id"), rule->id) == 0;
      JsonNode *current = json_object_get_member (source->properties, key);

      reads_add_node (run, key, current);
      if (syn_derivation_is_held (source->derivation, field))
        {
          g_ptr_array_add (held, (gpointer) key);
          if (mine)
            g_ptr_array_add (stale, g_strdup (key));
          continue;
        }
      if (claim != NULL && outranks (claim, rule, pair->rule_index))
        {
          g_ptr_array_add (overridden, (gpointer) key);
          winner = claim->rule_id;
          if (mine)
            g_ptr_array_add (stale, g_strdup (key));
          continue;
        }
      /* a default fills only a missing value; one another rule laid is not missing */
      if (defaults_only && !mine && current != NULL && !JSON_NODE_HOLDS_NULL (current))
        continue;
      /* claimed even when the value is in place (no change): a rerun then
       * overrides the same lower rules as the first run */
      {
        SynClaim *claim_mine = g_new0 (SynClaim, 1);

        claim_mine->rule_id = rule->id;
        claim_mine->priority = rule->priority;
        claim_mine->enforced = rule->is_enforced;
        claim_mine->order = pair->rule_index;
        g_hash_table_replace (run->claims, g_steal_pointer (&claim_key), claim_mine);
      }
      if (mine && current != NULL && syn_json_node_equal (current, value))
        continue;
      g_ptr_array_add (to_set, (gpointer) key);
    }

  g_free (pair->inputs);
  pair->inputs = fingerprint (run);

  for (guint i = 0; i < stale->len; i++)
    {
      const char *k = g_ptr_array_index (stale, i);

      asset = syn_rule_world_writable_asset (run->derived, source->id);
      syn_derivation_unlay (asset, k);
      changed = TRUE;
    }
  for (guint i = 0; i < to_set->len; i++)
    {
      const char *k = g_ptr_array_index (to_set, i);
      JsonNode *wanted = json_object_get_member (props, k);
      JsonObject *layer;
      g_autoptr(JsonNode) prior = NULL;
      JsonNode *current;

      asset = syn_rule_world_writable_asset (run->derived, source->id);
      layer = syn_derivation_get_layer (asset->derivation, k);
      current = json_object_get_member (asset->properties, k);
      /* the value beneath every rule's stays the one beneath */
      if (layer != NULL)
        prior = json_object_get_member (layer, "prior") ? json_node_ref (json_object_get_member (layer, "prior")) : NULL;
      else
        prior = current ? json_node_ref (current) : NULL;
      /* the asset's own value already: claimed above, nothing laid over it */
      if (layer == NULL && current != NULL && syn_json_node_equal (current, wanted))
        continue;
      syn_derivation_set_layer (&asset->derivation, k, rule->id, pair->inputs, prior);
      json_object_set_member (asset->properties, k, syn_json_node_deep_copy (wanted));
      changed = TRUE;
    }
  if (changed)
    changed_asset (run, syn_rule_world_get_asset (run->derived, source->id));

  if (held->len > 0)
    {
      g_autofree char *list = NULL;
      g_autofree char *text = NULL;
      JsonObject *finding;

      g_ptr_array_add (held, NULL);
      list = g_strjoinv (", ", (char **) held->pdata);
      g_ptr_array_remove_index (held, held->len - 1);
      text = g_strdup_printf ("%s: %s set by a person; rule %s leaves %s as it is "
                              "(synapse asset reset %s --property KEY hands it back)",
                              source->tag, list, rule->id, held->len == 1 ? "it" : "them", source->tag);
      finding = add_finding (pair, "manual_override", text);
      json_object_set_string_member (finding, "severity", "warning");
      json_object_set_array_member (finding, "fields", string_array (held));
    }
  if (overridden->len > 0)
    {
      JsonObject *finding = add_finding (pair, "overridden", NULL);

      json_object_set_array_member (finding, "keys", string_array (overridden));
      json_object_set_string_member (finding, "winner_rule_id", winner);
    }
}

/* ------------------------------------------------------------------------- */

static void
do_validate (SynEngineRun *run, SynPair *pair, SynRule *rule, SynAsset *source)
{
  JsonObject *action = action_of (rule);
  g_autofree char *text = g_strdup_printf ("%s: %s", source->tag, syn_json_get_string (action, "message"));

  g_free (pair->inputs);
  pair->inputs = fingerprint (run);
  add_error (pair, text, syn_json_get_string (action, "severity"));
}

/* The condition's keys, as the rule reads them. */
static void
read_condition (SynEngineRun *run, SynRule *rule, SynAsset *source)
{
  JsonObject *condition;

  reads_add (run, "type", source->type);
  reads_add (run, "country", run->project->country);
  if (rule->condition == NULL || !JSON_NODE_HOLDS_OBJECT (rule->condition))
    return;
  condition = json_node_get_object (rule->condition);
  for (guint g = 0; g < 2; g++)
    {
      JsonNode *tests = json_object_get_member (condition, g == 0 ? "all" : "any");

      for (guint i = 0; tests != NULL && JSON_NODE_HOLDS_ARRAY (tests) &&
                        i < json_array_get_length (json_node_get_array (tests)); i++)
        {
          JsonNode *test = json_array_get_element (json_node_get_array (tests), i);
          const char *key = JSON_NODE_HOLDS_OBJECT (test) ? syn_json_get_string (json_node_get_object (test), "key")
                                                         : NULL;

          if (key == NULL)
            continue;
          if (g_strv_contains (syn_asset_columns (), key))
            reads_add (run, key, syn_asset_get_column (source, key));
          else
            reads_add_node (run, key, json_object_get_member (source->properties, key));
        }
    }
}

/* Evaluates @rule on @source in the derived project: makes, updates or takes
 * back what it derives, and records the pair's findings and fingerprint.
 * Problems with one source are findings; FALSE only for a failure that ends
 * the run. */
gboolean
_syn_engine_evaluate_pair (SynEngineRun *run, SynPair *pair, SynRule *rule, SynAsset *source, GError **error)
{
  const char *type = rule->action_type;
  const char *digest = g_hash_table_lookup (run->rule_digests, rule->id);

  g_clear_pointer (&pair->findings, json_array_unref);
  g_clear_pointer (&pair->digest, g_free);
  if (pair->deps != NULL)
    g_ptr_array_set_size (pair->deps, 0);
  g_free (pair->source_tag);
  pair->source_tag = g_strdup (source->tag);
  pair->evaluated = TRUE;
  run->current = pair;
  g_string_truncate (run->reads, 0);
  reads_add (run, "rule", digest);
  read_condition (run, rule, source);

  pair->matched = syn_rule_condition_matches (rule->condition, source, run->project->country);
  if (!pair->matched)
    {
      g_free (pair->inputs);
      pair->inputs = fingerprint (run);
      _syn_engine_remove_outputs (run, rule->id, source->id);
    }
  else if (g_strcmp0 (type, "CREATE_CHILD") == 0)
    do_create_child (run, pair, rule, source);
  else if (g_strcmp0 (type, "CREATE_CABLE") == 0)
    do_create_cable (run, pair, rule, source);
  else if (g_strcmp0 (type, "CREATE_RELATIONSHIP") == 0)
    do_create_relationship (run, pair, rule, source);
  else if (g_strcmp0 (type, "SET_PROPERTY") == 0)
    do_set_property (run, pair, rule, source);
  else if (g_strcmp0 (type, "VALIDATE") == 0)
    do_validate (run, pair, rule, source);
  else
    {
      run->current = NULL;
      g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_INVALID_RULE,
                   "Rule \"%s\": action_type: \"%s\" is not supported", rule->id, type);
      return FALSE;
    }
  pair->digest = _syn_engine_findings_digest (pair->findings);
  run->current = NULL;
  return TRUE;
}

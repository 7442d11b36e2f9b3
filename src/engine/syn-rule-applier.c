/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-applier.c: apply: the difference between the stored and the derived project, written as one batch. */
#include "config.h"

#include <string.h>

#include "syn-derivation.h"
#include "syn-rule-engine-private.h"

/* What a pair's events do to one entity. Updates of an asset name the
 * fields the pair is answerable for ("tag", "origin", "prop:KEY"...), so an
 * asset a rule made and another rule laid a value over gets one event from
 * each, as a first run writes them. */
typedef enum {
  OP_DELETE_ASSET,
  OP_DELETE_CABLE,
  OP_DELETE_EDGE,
  OP_CREATE_ASSET,
  OP_UPDATE_ASSET,
  OP_CREATE_CABLE,
  OP_UPDATE_CABLE,
  OP_CREATE_EDGE,
} OpKind;

typedef struct
{
  OpKind     kind;
  char      *id;
  GPtrArray *fields;        /* OP_UPDATE_ASSET: char *; NULL for the others */
} Op;

/* Everything one pair writes in one section: 0 takes back (retractions,
 * findings of pairs no longer evaluated), 1 derives (in pass order). */
typedef struct
{
  SynPair   *pair;
  guint      section;
  GPtrArray *ops;           /* Op */
  gboolean   findings;      /* its findings changed */
  gboolean   done;
} Item;

typedef struct
{
  SynEngineRun *run;
  GHashTable   *items;      /* "SECTION\x1fPAIR KEY" -> Item */
  /* the project as the batch has written it so far */
  GHashTable   *assets;     /* id -> SynAsset (owned), those touched */
  GHashTable   *asset_tags; /* tag -> id, every asset */
  GHashTable   *cable_tags; /* tag -> id, every cable */
  GHashTable   *gone;       /* ids of stored entities deleted */
  /* the current group of events */
  gboolean      batch_started;
  const char   *group_rule;
  guint         group_pass;
  guint         group_section;
  gboolean      group_open;
  SynRuleCounts group_counts;
  guint         group_processed;
  guint         items_total;
  guint         items_done;
  gboolean      count_only;
  GHashTable   *report;     /* rule id -> JsonObject {create, update, retract, held, findings} */
  GHashTable   *stale;      /* with a report: the ids of the assets and cables a run would change */
} Apply;

static void
op_free (Op *op)
{
  g_free (op->id);
  g_clear_pointer (&op->fields, g_ptr_array_unref);
  g_free (op);
}

static void
item_free (Item *item)
{
  g_ptr_array_unref (item->ops);
  g_free (item);
}

static Item *
item_for (Apply *a, guint section, SynPair *pair)
{
  g_autofree char *key = g_strdup_printf ("%u\x1f%s", section, pair->key);
  Item *item = g_hash_table_lookup (a->items, key);

  if (item == NULL)
    {
      item = g_new0 (Item, 1);
      item->pair = pair;
      item->section = section;
      item->ops = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
      g_hash_table_insert (a->items, g_steal_pointer (&key), item);
    }
  return item;
}

static Op *
add_op (Item *item, OpKind kind, const char *id)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->id = g_strdup (id);
  g_ptr_array_add (item->ops, op);
  return op;
}

/* The pair that made an entity (as its record says), or NULL. */
static SynPair *
origin_pair (SynEngineRun *run, JsonObject *derivation, const char *fallback_tag)
{
  const char *rule_id = syn_derivation_get_rule_id (derivation);
  const char *source_id = syn_derivation_get_source (derivation);
  SynPair *pair;

  if (rule_id == NULL)
    return NULL;
  pair = _syn_engine_pair (run, rule_id, source_id ? source_id : "");
  if (pair->source_tag == NULL)
    {
      SynAsset *source = syn_rule_world_get_asset (run->stored, source_id);

      pair->source_tag = g_strdup (source ? source->tag : fallback_tag);
    }
  return pair;
}

/* ------------------------------------------------------------------------- */
/* The plan: what differs, and which pair answers for it                     */

static void
add_field (GHashTable *fields_by_pair, SynPair *pair, const char *field)
{
  GPtrArray *fields = g_hash_table_lookup (fields_by_pair, pair);

  if (fields == NULL)
    {
      fields = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (fields_by_pair, pair, fields);
    }
  g_ptr_array_add (fields, g_strdup (field));
}

static gboolean
json_members_equal (JsonObject *a, JsonObject *b, const char *member)
{
  JsonNode *x = a ? json_object_get_member (a, member) : NULL;
  JsonNode *y = b ? json_object_get_member (b, member) : NULL;

  if (x == NULL || y == NULL)
    return x == y;
  return syn_json_node_equal (x, y);
}

/* The pair a layered key answers to: the rule that lays it now (a rule
 * outside this run, whose value only moved with what is beneath, answers
 * through the creator), else the rule that laid it and takes it back. */
static SynPair *
layer_pair (SynEngineRun *run, SynAsset *derived, SynAsset *stored, const char *key, SynPair *creator)
{
  JsonObject *now = syn_derivation_get_layer (derived ? derived->derivation : NULL, key);
  JsonObject *before = syn_derivation_get_layer (stored ? stored->derivation : NULL, key);
  const char *asset_id = derived ? derived->id : stored->id;
  const char *rule_id;

  if (now != NULL)
    {
      rule_id = syn_json_get_string (now, "rule_id");
      if (rule_id != NULL && g_hash_table_contains (run->rule_index, rule_id))
        return _syn_engine_pair (run, rule_id, asset_id);
      return creator ? creator : (rule_id ? _syn_engine_pair (run, rule_id, asset_id) : NULL);
    }
  if (before != NULL && (rule_id = syn_json_get_string (before, "rule_id")) != NULL)
    return _syn_engine_pair (run, rule_id, asset_id);
  return creator;
}

static const char * const origin_members[] = { "rule_id", "source_asset_id", "inputs", "keys", NULL };

static void
plan_asset_update (Apply *a, SynAsset *stored, SynAsset *derived)
{
  SynEngineRun *run = a->run;
  SynPair *creator = origin_pair (run, derived->derivation, derived->tag);
  g_autoptr(GHashTable) by_pair = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  if (creator == NULL)
    creator = origin_pair (run, stored->derivation, stored->tag);

  for (const char * const *column = syn_asset_columns (); *column; column++)
    if (g_strcmp0 (syn_asset_get_column (stored, *column), syn_asset_get_column (derived, *column)) != 0 && creator)
      add_field (by_pair, creator, *column);
  for (guint i = 0; origin_members[i]; i++)
    if (!json_members_equal (stored->derivation, derived->derivation, origin_members[i]) && creator)
      {
        add_field (by_pair, creator, "origin");
        break;
      }
  if (creator != NULL)
    {
      if (!json_members_equal (stored->derivation, derived->derivation, "held"))
        add_field (by_pair, creator, "held");
      if (!json_members_equal (stored->derivation, derived->derivation, "withheld"))
        add_field (by_pair, creator, "withheld");
    }

  {
    g_autoptr(GList) sk = json_object_get_members (stored->properties);
    g_autoptr(GList) dk = json_object_get_members (derived->properties);
    JsonObject *sl = syn_derivation_get_layers (stored->derivation);
    JsonObject *dl = syn_derivation_get_layers (derived->derivation);
    g_autoptr(GList) slk = sl ? json_object_get_members (sl) : NULL;
    g_autoptr(GList) dlk = dl ? json_object_get_members (dl) : NULL;

    for (GList *l = sk; l; l = l->next)
      g_hash_table_add (keys, l->data);
    for (GList *l = dk; l; l = l->next)
      g_hash_table_add (keys, l->data);
    for (GList *l = slk; l; l = l->next)
      g_hash_table_add (keys, l->data);
    for (GList *l = dlk; l; l = l->next)
      g_hash_table_add (keys, l->data);

    g_hash_table_iter_init (&iter, keys);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        JsonObject *a_layer = syn_derivation_get_layer (stored->derivation, key);
        JsonObject *b_layer = syn_derivation_get_layer (derived->derivation, key);
        g_autofree char *field = NULL;
        gboolean layers_same;
        SynPair *pair;

        /* a layer's fingerprint alone changes nothing */
        if (a_layer == NULL || b_layer == NULL)
          layers_same = a_layer == b_layer;
        else
          layers_same = json_members_equal (a_layer, b_layer, "rule_id") &&
                        json_members_equal (a_layer, b_layer, "prior");
        if (json_members_equal (stored->properties, derived->properties, key) && layers_same)
          continue;
        pair = layer_pair (run, derived, stored, key, creator);
        if (pair == NULL)
          continue;
        field = g_strconcat ("prop:", (const char *) key, NULL);
        add_field (by_pair, pair, field);
      }
  }

  /* a pair this run did not evaluate (its rule off or gone) takes back */
  g_hash_table_iter_init (&iter, by_pair);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SynPair *pair = key;
      Op *op = add_op (item_for (a, pair->evaluated ? 1 : 0, pair), OP_UPDATE_ASSET, derived->id);

      op->fields = g_ptr_array_ref (value);
    }
}

/* Layers of a new asset laid by rules of this run: each rule's, its update. */
static void
plan_asset_creation (Apply *a, SynAsset *derived)
{
  SynEngineRun *run = a->run;
  SynPair *creator = origin_pair (run, derived->derivation, derived->tag);
  JsonObject *layers = syn_derivation_get_layers (derived->derivation);
  g_autoptr(GHashTable) by_pair = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter hiter;
  gpointer pair, fields;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  if (creator == NULL)
    return;
  add_op (item_for (a, 1, creator), OP_CREATE_ASSET, derived->id);
  if (layers == NULL)
    return;
  json_object_iter_init (&iter, layers);
  while (json_object_iter_next (&iter, &key, &node))
    {
      SynPair *layered = layer_pair (run, derived, NULL, key, NULL);
      g_autofree char *field = NULL;

      if (layered == NULL)
        continue;
      field = g_strconcat ("prop:", key, NULL);
      add_field (by_pair, layered, field);
    }
  g_hash_table_iter_init (&hiter, by_pair);
  while (g_hash_table_iter_next (&hiter, &pair, &fields))
    {
      Op *op = add_op (item_for (a, 1, pair), OP_UPDATE_ASSET, derived->id);

      op->fields = g_ptr_array_ref (fields);
    }
}

static void
plan (Apply *a)
{
  SynEngineRun *run = a->run;
  GHashTableIter iter;
  gpointer value;

  /* assets */
  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynAsset *stored = value;
      SynAsset *derived = syn_rule_world_get_asset (run->derived, stored->id);
      SynPair *pair;

      if (derived == NULL)
        {
          if ((pair = origin_pair (run, stored->derivation, stored->tag)) != NULL)
            add_op (item_for (a, 0, pair), OP_DELETE_ASSET, stored->id);
        }
      else if (derived != stored && !_syn_engine_assets_equal (stored, derived))
        plan_asset_update (a, stored, derived);
    }
  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->derived));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (syn_rule_world_get_asset (run->stored, ((SynAsset *) value)->id) == NULL)
      plan_asset_creation (a, value);

  /* cables */
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynCable *stored = value;
      SynCable *derived = syn_rule_world_get_cable (run->derived, stored->id);
      SynPair *pair;

      if (derived == NULL)
        {
          /* one a person made goes with the asset it touches */
          if ((pair = origin_pair (run, stored->derivation, stored->tag)) != NULL)
            add_op (item_for (a, 0, pair), OP_DELETE_CABLE, stored->id);
        }
      else if (derived != stored && !_syn_engine_cables_equal (stored, derived) &&
               (pair = origin_pair (run, derived->derivation, derived->tag)) != NULL)
        add_op (item_for (a, 1, pair), OP_UPDATE_CABLE, stored->id);
    }
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->derived));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynCable *derived = value;
      SynPair *pair;

      if (syn_rule_world_get_cable (run->stored, derived->id) == NULL &&
          (pair = origin_pair (run, derived->derivation, derived->tag)) != NULL)
        add_op (item_for (a, 1, pair), OP_CREATE_CABLE, derived->id);
    }

  /* edges */
  g_hash_table_iter_init (&iter, syn_rule_world_edges (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynEdge *stored = value;
      SynPair *pair;

      if (syn_rule_world_get_edge (run->derived, stored->id) == NULL &&
          (pair = origin_pair (run, stored->derivation, NULL)) != NULL)
        add_op (item_for (a, 0, pair), OP_DELETE_EDGE, stored->id);
    }
  g_hash_table_iter_init (&iter, syn_rule_world_edges (run->derived));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynEdge *derived = value;
      SynPair *pair;

      if (syn_rule_world_get_edge (run->stored, derived->id) == NULL &&
          (pair = origin_pair (run, derived->derivation, NULL)) != NULL)
        add_op (item_for (a, 1, pair), OP_CREATE_EDGE, derived->id);
    }

  /* findings: those that changed, and those of pairs no longer evaluated */
  g_hash_table_iter_init (&iter, run->pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SynPair *pair = value;
      const char *stored_digest = g_hash_table_lookup (run->stored_findings, pair->key);

      if (pair->evaluated && g_strcmp0 (stored_digest, pair->digest) != 0)
        item_for (a, 1, pair)->findings = TRUE;
    }
  g_hash_table_iter_init (&iter, run->stored_findings);
  while (g_hash_table_iter_next (&iter, &value, NULL))
    {
      const char *key = value;
      SynPair *pair = g_hash_table_lookup (run->pairs, key);
      const char *sep = strchr (key, '\x1f');
      g_autofree char *rule_id = g_strndup (key, sep - key);

      if (pair != NULL && pair->evaluated)
        continue;
      /* in scope: its rule is run or retracted by this run, and its source
       * is in scope (or gone, for a run without asset filters) */
      if (!_syn_engine_pair_in_scope (run, rule_id, sep + 1))
        continue;
      if (pair == NULL)
        pair = _syn_engine_pair (run, rule_id, sep + 1);
      if (pair->source_tag == NULL)
        {
          SynAsset *source = syn_rule_world_get_asset (run->stored, sep + 1);

          pair->source_tag = g_strdup (source ? source->tag : "");
        }
      item_for (a, 0, pair)->findings = TRUE;
    }
}

/* ------------------------------------------------------------------------- */
/* Order                                                                     */

static int
compare_items (gconstpointer pa, gconstpointer pb)
{
  const Item *x = *(Item **) pa;
  const Item *y = *(Item **) pb;
  guint xp = x->section == 0 ? 0 : x->pair->pass, yp = y->section == 0 ? 0 : y->pair->pass;
  int c;

  if (x->section != y->section)
    return x->section < y->section ? -1 : 1;
  if (xp != yp)
    return xp < yp ? -1 : 1;
  if (x->pair->rule_index != y->pair->rule_index)
    return x->pair->rule_index < y->pair->rule_index ? -1 : 1;
  if ((c = g_strcmp0 (x->pair->rule_id, y->pair->rule_id)) != 0)
    return c;
  if ((c = g_strcmp0 (x->pair->source_tag, y->pair->source_tag)) != 0)
    return c;
  return g_strcmp0 (x->pair->source_id, y->pair->source_id);
}

static int
compare_ids (const void *pa, const void *pb)
{
  return strcmp (*(const char * const *) pa, *(const char * const *) pb);
}

static int
compare_ops (gconstpointer pa, gconstpointer pb)
{
  const Op *x = *(Op **) pa;
  const Op *y = *(Op **) pb;

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

/* ------------------------------------------------------------------------- */
/* Events and messages                                                       */

static SynEvent *
emit_rule_event (Apply *a, const char *event_type, SynPair *pair, const char *reason, JsonObject *extra,
                 GError **error)
{
  SynEngineRun *run = a->run;
  SynRule *rule = pair ? pair->rule : NULL;
  const char *rule_id = pair ? pair->rule_id : a->group_rule;
  JsonObject *payload;

  if (syn_batch_get_preview (run->batch))
    {
      g_clear_pointer (&extra, json_object_unref);
      return syn_batch_emit (run->batch, event_type, SYN_AGGREGATE_RULE, rule_id, NULL, rule_id,
                             rule ? rule->discipline : NULL, NULL, error);
    }
  payload = extra ? extra : json_object_new ();
  json_object_set_string_member (payload, "rule_id", rule_id);
  if (!json_object_has_member (payload, "rule_name"))
    syn_json_set_string_or_null (payload, "rule_name", rule ? rule->name : NULL);
  if (pair != NULL)
    {
      json_object_set_string_member (payload, "source_asset_id", pair->source_id);
      syn_json_set_string_or_null (payload, "source_tag", pair->source_tag);
      if (pair->inputs != NULL && pair->evaluated)
        json_object_set_string_member (payload, "inputs", pair->inputs);
    }
  if (reason != NULL)
    json_object_set_string_member (payload, "reason", reason);
  if (a->group_section == 1)
    json_object_set_int_member (payload, "pass", a->group_pass);
  return syn_batch_emit (run->batch, event_type, SYN_AGGREGATE_RULE, rule_id, syn_json_node_new_object (payload),
                         rule_id, rule ? rule->discipline : NULL, NULL, error);
}

static gboolean
start_batch (Apply *a, GError **error)
{
  SynEngineRun *run = a->run;
  JsonObject *payload;
  g_autoptr(SynEvent) event = NULL;

  if (a->batch_started)
    return TRUE;
  a->batch_started = TRUE;
  payload = json_object_new ();
  json_object_set_string_member (payload, "execution_id", run->execution_id);
  json_object_set_string_member (payload, "mode", run->dry_run ? "dry_run" : "execute");
  json_object_set_int_member (payload, "total_rules", run->rules_total);
  json_object_set_int_member (payload, "total_assets", g_hash_table_size (run->assets_evaluated));
  event = syn_batch_emit (run->batch, SYN_EVENT_BATCH_STARTED, SYN_AGGREGATE_BATCH,
                          syn_batch_get_correlation_id (run->batch),
                          syn_batch_get_preview (run->batch) ? NULL : syn_json_node_new_object (payload),
                          NULL, NULL, NULL, error);
  if (syn_batch_get_preview (run->batch))
    json_object_unref (payload);
  return event != NULL;
}

static SynRule *
group_rule_object (Apply *a)
{
  for (guint i = 0; i < a->run->all_rules->len; i++)
    if (g_strcmp0 (((SynRule *) a->run->all_rules->pdata[i])->id, a->group_rule) == 0)
      return g_ptr_array_index (a->run->all_rules, i);
  return NULL;
}

/* The group's events: RULE_EXECUTION_STARTED before its first event. */
static gboolean
open_group_events (Apply *a, GError **error)
{
  JsonObject *payload;
  g_autoptr(SynEvent) event = NULL;
  SynRule *rule = group_rule_object (a);

  if (a->group_open)
    return TRUE;
  if (!start_batch (a, error))
    return FALSE;
  a->group_open = TRUE;
  payload = json_object_new ();
  json_object_set_int_member (payload, "candidates", a->group_processed);
  json_object_set_string_member (payload, "phase", a->group_section == 0 ? "retract" : "derive");
  syn_json_set_string_or_null (payload, "rule_name", rule ? rule->name : NULL);
  event = emit_rule_event (a, SYN_EVENT_RULE_EXECUTION_STARTED, NULL, NULL, payload, error);
  return event != NULL;
}

static void
send_rule_start (Apply *a)
{
  SynRule *rule = group_rule_object (a);
  JsonObject *m = json_object_new ();

  json_object_set_string_member (m, "type", "RULE_START");
  json_object_set_string_member (m, "rule_id", a->group_rule);
  syn_json_set_string_or_null (m, "rule_name", rule ? rule->name : NULL);
  syn_json_set_string_or_null (m, "discipline", rule ? rule->discipline : NULL);
  json_object_set_int_member (m, "assets_to_process", a->group_processed);
  json_object_set_int_member (m, "progress", a->run->progress);
  _syn_engine_send (a->run, m);
}

static gboolean
close_group (Apply *a, GError **error)
{
  SynRule *rule = group_rule_object (a);
  JsonObject *m;

  if (a->group_rule == NULL)
    return TRUE;
  if (a->group_open)
    {
      JsonObject *payload = json_object_new ();
      g_autoptr(SynEvent) event = NULL;

      json_object_set_int_member (payload, "assets_processed", a->group_processed);
      json_object_set_int_member (payload, "actions_taken", a->group_counts.actions);
      json_object_set_int_member (payload, "skipped", a->group_counts.skipped);
      json_object_set_int_member (payload, "errors", a->group_counts.errors);
      event = emit_rule_event (a, SYN_EVENT_RULE_EXECUTION_COMPLETED, NULL, NULL, payload, error);
      if (event == NULL)
        return FALSE;
    }
  if (!a->count_only && (a->group_open || a->group_section == 1))
    {
      m = json_object_new ();
      json_object_set_string_member (m, "type", "RULE_COMPLETE");
      json_object_set_string_member (m, "rule_id", a->group_rule);
      syn_json_set_string_or_null (m, "rule_name", rule ? rule->name : NULL);
      json_object_set_int_member (m, "assets_processed", a->group_processed);
      json_object_set_int_member (m, "actions_taken", a->group_counts.actions);
      json_object_set_int_member (m, "skipped", a->group_counts.skipped);
      json_object_set_int_member (m, "errors", a->group_counts.errors);
      _syn_engine_send (a->run, m);
    }
  a->group_rule = NULL;
  a->group_open = FALSE;
  return TRUE;
}

static gboolean
enter_group (Apply *a, guint section, guint pass, const char *rule_id, GError **error)
{
  if (a->group_rule != NULL && a->group_section == section && a->group_pass == pass &&
      g_strcmp0 (a->group_rule, rule_id) == 0)
    return TRUE;
  if (!close_group (a, error))
    return FALSE;
  a->group_rule = rule_id;
  a->group_section = section;
  a->group_pass = pass;
  a->group_open = FALSE;
  memset (&a->group_counts, 0, sizeof a->group_counts);
  a->group_processed = 0;
  if (section == 1)
    {
      g_autofree char *key = g_strdup_printf ("%u\x1f%s", pass, rule_id);
      SynRuleCounts *counts = g_hash_table_lookup (a->run->pass_rule_counts, key);

      a->group_processed = counts ? counts->processed : 0;
      if (!a->count_only)
        send_rule_start (a);
    }
  return TRUE;
}

static void
send_action (Apply *a, SynPair *pair, const char *action, const char *id, const char *tag, const char *type,
             JsonObject *changed)
{
  JsonObject *m, *result;

  a->group_counts.actions++;
  a->run->actions_taken++;
  if (a->count_only)
    return;
  m = json_object_new ();
  result = json_object_new ();
  json_object_set_string_member (m, "type", "ACTION");
  json_object_set_string_member (m, "rule_id", pair->rule_id);
  json_object_set_string_member (m, "asset_id", pair->source_id);
  syn_json_set_string_or_null (m, "asset_tag", pair->source_tag);
  json_object_set_string_member (m, "action", action);
  syn_json_set_string_or_null (result, "created_id", g_strcmp0 (action, "UPDATED") != 0 ? id : NULL);
  syn_json_set_string_or_null (result, "created_tag", g_strcmp0 (action, "UPDATED") != 0 ? tag : NULL);
  syn_json_set_string_or_null (result, "created_type", g_strcmp0 (action, "UPDATED") != 0 ? type : NULL);
  if (changed != NULL)
    json_object_set_object_member (result, "changed", json_object_ref (changed));
  if (g_strcmp0 (action, "UPDATED") == 0 || g_strcmp0 (action, "RETRACTED") == 0)
    {
      json_object_set_string_member (result, "entity_id", id);
      syn_json_set_string_or_null (result, "entity_tag", tag);
      syn_json_set_string_or_null (result, "entity_type", type);
    }
  json_object_set_object_member (m, "result", result);
  _syn_engine_send (a->run, m);
}

static JsonObject *
report_for (Apply *a, SynPair *pair)
{
  JsonObject *o = g_hash_table_lookup (a->report, pair->rule_id);

  if (o == NULL)
    {
      o = json_object_new ();
      json_object_set_string_member (o, "rule_id", pair->rule_id);
      syn_json_set_string_or_null (o, "rule_name", pair->rule ? pair->rule->name : NULL);
      json_object_set_int_member (o, "create", 0);
      json_object_set_int_member (o, "update", 0);
      json_object_set_int_member (o, "retract", 0);
      json_object_set_int_member (o, "held", 0);
      json_object_set_int_member (o, "findings", 0);
      g_hash_table_insert (a->report, g_strdup (pair->rule_id), o);
    }
  return o;
}

/* @entity_id: what the change is to (NULL for findings and holds); with
 * the pair's source, it is out of date: a run would change it. */
static void
report_add (Apply *a, SynPair *pair, const char *what, const char *entity_id)
{
  JsonObject *o;

  if (a->report == NULL)
    return;
  o = report_for (a, pair);
  json_object_set_int_member (o, what, json_object_get_int_member (o, what) + 1);
  if (a->stale != NULL && !g_str_equal (what, "held"))
    {
      if (pair->source_id != NULL)
        g_hash_table_add (a->stale, g_strdup (pair->source_id));
      if (entity_id != NULL)
        g_hash_table_add (a->stale, g_strdup (entity_id));
    }
}

/* ------------------------------------------------------------------------- */
/* Writing one item                                                          */

static SynAsset *
running_asset (Apply *a, const char *id)
{
  SynAsset *asset = g_hash_table_lookup (a->assets, id);
  SynAsset *stored;

  if (asset != NULL || g_hash_table_contains (a->gone, id))
    return asset;
  stored = syn_rule_world_get_asset (a->run->stored, id);
  if (stored == NULL)
    return NULL;
  asset = syn_asset_copy (stored);
  g_hash_table_insert (a->assets, asset->id, asset);
  return asset;
}

static void
apply_fields (SynAsset *to, SynAsset *from, GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const char *field = g_ptr_array_index (fields, i);

      if (g_str_has_prefix (field, "prop:"))
        {
          const char *key = field + strlen ("prop:");
          JsonNode *value = json_object_get_member (from->properties, key);
          JsonObject *layer = syn_derivation_get_layer (from->derivation, key);

          if (value != NULL)
            json_object_set_member (to->properties, key, syn_json_node_deep_copy (value));
          else if (json_object_has_member (to->properties, key))
            json_object_remove_member (to->properties, key);
          if (layer != NULL)
            syn_derivation_set_layer (&to->derivation, key, syn_json_get_string (layer, "rule_id"),
                                      syn_json_get_string (layer, "inputs"), json_object_get_member (layer, "prior"));
          else
            syn_derivation_remove_layer (&to->derivation, key);
        }
      else if (strcmp (field, "origin") == 0)
        {
          const char *rule_id = syn_derivation_get_rule_id (from->derivation);

          if (rule_id != NULL)
            syn_derivation_set_origin (&to->derivation, rule_id, syn_derivation_get_source (from->derivation),
                                       syn_derivation_get_inputs (from->derivation),
                                       syn_derivation_get_keys (from->derivation));
          else
            syn_derivation_clear_origin (&to->derivation);
        }
      else if (strcmp (field, "held") == 0 || strcmp (field, "withheld") == 0)
        {
          JsonNode *node = from->derivation ? json_object_get_member (from->derivation, field) : NULL;

          if (node != NULL)
            {
              if (to->derivation == NULL)
                to->derivation = json_object_new ();
              json_object_set_member (to->derivation, field, syn_json_node_deep_copy (node));
            }
          else if (to->derivation != NULL && json_object_has_member (to->derivation, field))
            {
              json_object_remove_member (to->derivation, field);
              if (json_object_get_size (to->derivation) == 0)
                g_clear_pointer (&to->derivation, json_object_unref);
            }
        }
      else
        syn_asset_set_column (to, field, syn_asset_get_column (from, field));
    }
}

/* Whether writing @op now would take a tag another live entity still holds:
 * the item then waits until that one has moved (a rename among children). */
static gboolean
tag_blocked (Apply *a, Op *op)
{
  SynEngineRun *run = a->run;
  const char *tag = NULL, *holder = NULL;

  if (op->kind == OP_CREATE_ASSET || op->kind == OP_UPDATE_ASSET)
    {
      SynAsset *derived = syn_rule_world_get_asset (run->derived, op->id);

      if (op->kind == OP_UPDATE_ASSET && (op->fields == NULL || !g_ptr_array_find_with_equal_func (op->fields, "tag", g_str_equal, NULL)))
        return FALSE;
      tag = derived->tag;
      holder = g_hash_table_lookup (a->asset_tags, tag);
    }
  else if (op->kind == OP_CREATE_CABLE || op->kind == OP_UPDATE_CABLE)
    {
      tag = syn_rule_world_get_cable (run->derived, op->id)->tag;
      holder = g_hash_table_lookup (a->cable_tags, tag);
    }
  return holder != NULL && g_strcmp0 (holder, op->id) != 0;
}

static gboolean
delete_running_asset (Apply *a, SynPair *pair, const char *id, const char *cause, GError **error);

static gboolean
delete_edge (Apply *a, SynPair *pair, SynEdge *edge, const char *cause, GError **error)
{
  g_autoptr(SynEvent) event = NULL;

  if (g_hash_table_contains (a->gone, edge->id))
    return TRUE;
  g_hash_table_add (a->gone, g_strdup (edge->id));
  a->run->retracted_edges++;
  report_add (a, pair, "retract", edge->id);
  if (a->count_only)
    return TRUE;
  event = syn_batch_delete_edge (a->run->batch, edge, pair->rule_id, cause, error);
  return event != NULL;
}

static gboolean
delete_cable (Apply *a, SynPair *pair, SynCable *cable, const char *cause, GError **error)
{
  g_autoptr(SynEvent) event = NULL;

  if (g_hash_table_contains (a->gone, cable->id))
    return TRUE;
  g_hash_table_add (a->gone, g_strdup (cable->id));
  if (g_strcmp0 (g_hash_table_lookup (a->cable_tags, cable->tag), cable->id) == 0)
    g_hash_table_remove (a->cable_tags, cable->tag);
  a->run->retracted_cables++;
  report_add (a, pair, "retract", cable->id);
  send_action (a, pair, "RETRACTED", cable->id, cable->tag, "CABLE", NULL);
  if (a->count_only)
    return TRUE;
  event = syn_batch_delete_cable (a->run->batch, cable, pair->rule_id, cause, error);
  return event != NULL;
}

/* An asset the rules take back, with what touches it (as a manual delete). */
static gboolean
delete_running_asset (Apply *a, SynPair *pair, const char *id, const char *cause, GError **error)
{
  SynEngineRun *run = a->run;
  GPtrArray *links;
  SynAsset *asset;
  g_autoptr(SynEvent) event = NULL;

  if (g_hash_table_contains (a->gone, id) || !(asset = running_asset (a, id)))
    return TRUE;
  links = syn_rule_world_edges_of (run->stored, id);
  for (guint i = 0; links != NULL && i < links->len; i++)
    if (!syn_rule_world_get_edge (run->derived, ((SynEdge *) links->pdata[i])->id) &&
        !delete_edge (a, pair, g_ptr_array_index (links, i), cause, error))
      return FALSE;
  links = syn_rule_world_cables_of (run->stored, id);
  for (guint i = 0; links != NULL && i < links->len; i++)
    if (!syn_rule_world_get_cable (run->derived, ((SynCable *) links->pdata[i])->id) &&
        !delete_cable (a, pair, g_ptr_array_index (links, i), cause, error))
      return FALSE;

  g_hash_table_add (a->gone, g_strdup (id));
  if (g_strcmp0 (g_hash_table_lookup (a->asset_tags, asset->tag), id) == 0)
    g_hash_table_remove (a->asset_tags, asset->tag);
  run->retracted_assets++;
  report_add (a, pair, "retract", id);
  send_action (a, pair, "RETRACTED", asset->id, asset->tag, asset->type, NULL);
  if (!a->count_only && !(event = syn_batch_delete_asset (run->batch, asset, pair->rule_id, cause, error)))
    return FALSE;
  g_hash_table_remove (a->assets, id);
  return TRUE;
}

static gboolean
write_op (Apply *a, SynPair *pair, Op *op, const char *cause, gboolean *created_asset, GError **error)
{
  SynEngineRun *run = a->run;
  SynBatch *batch = run->batch;
  g_autoptr(SynEvent) event = NULL;

  switch (op->kind)
    {
    case OP_DELETE_ASSET:
      return delete_running_asset (a, pair, op->id, cause, error);

    case OP_DELETE_CABLE:
      return delete_cable (a, pair, syn_rule_world_get_cable (run->stored, op->id), cause, error);

    case OP_DELETE_EDGE:
      {
        SynEdge *edge = syn_rule_world_get_edge (run->stored, op->id);

        if (!g_hash_table_contains (a->gone, edge->id))
          send_action (a, pair, "RETRACTED", edge->id, NULL, "EDGE", NULL);
        return delete_edge (a, pair, edge, cause, error);
      }

    case OP_CREATE_ASSET:
      {
        SynAsset *derived = syn_rule_world_get_asset (run->derived, op->id);
        SynAsset *asset = syn_asset_copy (derived);
        JsonObject *layers = syn_derivation_get_layers (asset->derivation);
        g_autoptr(GPtrArray) later = g_ptr_array_new_with_free_func (g_free);

        /* the values other rules of this run lay over it come in their events */
        if (layers != NULL)
          {
            JsonObjectIter iter;
            const char *key;
            JsonNode *node;

            json_object_iter_init (&iter, layers);
            while (json_object_iter_next (&iter, &key, &node))
              if (g_hash_table_contains (run->rule_index, syn_json_get_string (json_node_get_object (node), "rule_id")))
                g_ptr_array_add (later, g_strdup (key));
            for (guint i = 0; i < later->len; i++)
              syn_derivation_unlay (asset, g_ptr_array_index (later, i));
          }
        g_hash_table_insert (a->assets, asset->id, asset);
        g_hash_table_insert (a->asset_tags, g_strdup (asset->tag), g_strdup (asset->id));
        run->created_assets++;
        *created_asset = TRUE;
        report_add (a, pair, "create", asset->id);
        send_action (a, pair, "CREATED", asset->id, asset->tag, asset->type, NULL);
        if (a->count_only)
          return TRUE;
        {
          g_autoptr(SynAsset) written = syn_asset_copy (asset);

          event = syn_batch_create_asset (batch, written, pair->rule_id, cause, error);
        }
        return event != NULL;
      }

    case OP_UPDATE_ASSET:
      {
        SynAsset *derived = syn_rule_world_get_asset (run->derived, op->id);
        SynAsset *current = running_asset (a, op->id);
        g_autoptr(SynAsset) before = NULL;
        g_autoptr(JsonObject) changed = NULL;
        g_autoptr(JsonNode) bj = NULL;
        g_autoptr(JsonNode) aj = NULL;

        if (current == NULL)
          return TRUE;
        before = syn_asset_copy (current);
        if (g_strcmp0 (before->tag, derived->tag) != 0 &&
            g_ptr_array_find_with_equal_func (op->fields, "tag", g_str_equal, NULL))
          {
            if (g_strcmp0 (g_hash_table_lookup (a->asset_tags, before->tag), op->id) == 0)
              g_hash_table_remove (a->asset_tags, before->tag);
            g_hash_table_insert (a->asset_tags, g_strdup (derived->tag), g_strdup (op->id));
          }
        apply_fields (current, derived, op->fields);
        bj = syn_asset_to_json (before);
        aj = syn_asset_to_json (current);
        if (syn_json_node_equal (bj, aj))
          return TRUE;
        /* what a person sees change: not the records' bookkeeping */
        if (json_object_has_member (json_node_get_object (bj), "derivation"))
          json_object_remove_member (json_node_get_object (bj), "derivation");
        if (json_object_has_member (json_node_get_object (aj), "derivation"))
          json_object_remove_member (json_node_get_object (aj), "derivation");
        changed = syn_json_diff_objects (json_node_get_object (bj), json_node_get_object (aj));
        run->updated_assets++;
        report_add (a, pair, "update", current->id);
        if (json_object_get_size (changed) > 0)
          send_action (a, pair, "UPDATED", current->id, current->tag, current->type, changed);
        if (a->count_only)
          return TRUE;
        event = syn_batch_update_asset (batch, before, current, pair->rule_id, cause, error);
        return event != NULL || (error == NULL || *error == NULL);
      }

    case OP_CREATE_CABLE:
      {
        SynCable *derived = syn_rule_world_get_cable (run->derived, op->id);

        g_hash_table_insert (a->cable_tags, g_strdup (derived->tag), g_strdup (derived->id));
        run->created_cables++;
        report_add (a, pair, "create", derived->id);
        send_action (a, pair, "CREATED", derived->id, derived->tag, "CABLE", NULL);
        if (a->count_only)
          return TRUE;
        {
          g_autoptr(SynCable) written = syn_cable_copy (derived);

          event = syn_batch_create_cable (batch, written, pair->rule_id, pair->rule ? pair->rule->discipline : NULL,
                                          cause, error);
        }
        return event != NULL;
      }

    case OP_UPDATE_CABLE:
      {
        SynCable *derived = syn_rule_world_get_cable (run->derived, op->id);
        SynCable *stored = syn_rule_world_get_cable (run->stored, op->id);
        g_autoptr(JsonNode) bj = syn_cable_to_json (stored);
        g_autoptr(JsonNode) aj = syn_cable_to_json (derived);
        g_autoptr(JsonObject) changed = syn_json_diff_objects (json_node_get_object (bj), json_node_get_object (aj));

        if (g_strcmp0 (stored->tag, derived->tag) != 0)
          {
            if (g_strcmp0 (g_hash_table_lookup (a->cable_tags, stored->tag), op->id) == 0)
              g_hash_table_remove (a->cable_tags, stored->tag);
            g_hash_table_insert (a->cable_tags, g_strdup (derived->tag), g_strdup (op->id));
          }
        run->updated_cables++;
        report_add (a, pair, "update", derived->id);
        send_action (a, pair, "UPDATED", derived->id, derived->tag, "CABLE", changed);
        if (a->count_only)
          return TRUE;
        event = syn_batch_update_cable (batch, stored, derived, pair->rule_id, cause, error);
        return event != NULL || (error == NULL || *error == NULL);
      }

    case OP_CREATE_EDGE:
    default:
      {
        SynEdge *derived = syn_rule_world_get_edge (run->derived, op->id);

        run->created_edges++;
        report_add (a, pair, "create", derived->id);
        if (a->count_only)
          return TRUE;
        {
          g_autoptr(SynEdge) written = syn_edge_copy (derived);

          event = syn_batch_create_edge (batch, written, pair->rule_id, pair->rule ? pair->rule->discipline : NULL,
                                         cause, error);
        }
        return event != NULL;
      }
    }
}

/* The findings of a pair as events: one RULE_SKIPPED or RULE_ERROR each
 * (but the reasons @carried, which the pair's cause event carries), or one
 * RULE_EXECUTED "resolved" when none remain and nothing else was written;
 * and the log's row, naming the first of them. */
static gboolean
write_findings (Apply *a, SynPair *pair, const char *cause_id, const char * const *carried, GError **error)
{
  SynEngineRun *run = a->run;
  g_autofree char *first_id = NULL;
  JsonArray *findings = pair->evaluated ? pair->findings : NULL;
  guint n = findings ? json_array_get_length (findings) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);
      const char *reason = syn_json_get_string (finding, "reason");
      JsonObject *extra;
      g_autoptr(SynEvent) event = NULL;

      if (a->count_only || (carried != NULL && g_strv_contains (carried, reason)))
        continue;
      extra = syn_json_object_copy (finding);
      json_object_remove_member (extra, "reason");
      event = emit_rule_event (a, g_strcmp0 (reason, "error") == 0 ? SYN_EVENT_RULE_ERROR : SYN_EVENT_RULE_SKIPPED,
                               pair, reason, extra, error);
      if (event == NULL)
        return FALSE;
      if (first_id == NULL)
        first_id = g_strdup (event->id);
    }
  if (n == 0 && cause_id == NULL && !a->count_only)
    {
      JsonObject *extra = json_object_new ();
      g_autoptr(SynEvent) event = NULL;

      json_object_set_string_member (extra, "detail", "its findings no longer hold");
      event = emit_rule_event (a, SYN_EVENT_RULE_EXECUTED, pair, "resolved", extra, error);
      if (event == NULL)
        return FALSE;
      first_id = g_strdup (event->id);
    }
  run->findings_written++;
  report_add (a, pair, "findings", NULL);
  if (a->count_only || syn_batch_get_preview (run->batch))
    return TRUE;
  {
    g_autoptr(SynFinding) row = syn_finding_new ();

    row->event_id = g_strdup (cause_id ? cause_id : first_id);
    row->project_id = g_strdup (run->project->id);
    row->rule_id = g_strdup (pair->rule_id);
    row->source_asset_id = g_strdup (pair->source_id);
    row->digest = g_strdup (n > 0 ? pair->digest : NULL);
    return syn_store_insert_finding (run->store, row, error);
  }
}

static JsonObject *
find_finding (SynPair *pair, const char *reason)
{
  for (guint i = 0; pair->evaluated && pair->findings && i < json_array_get_length (pair->findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (pair->findings, i);

      if (g_strcmp0 (syn_json_get_string (finding, "reason"), reason) == 0)
        return finding;
    }
  return NULL;
}

/* The ERROR messages and counts of a pair's current findings (every run, so
 * the run lists every error even when it writes none). */
static void
report_findings (Apply *a, SynPair *pair)
{
  SynEngineRun *run = a->run;
  guint n = pair->findings ? json_array_get_length (pair->findings) : 0;
  gboolean skipped = FALSE;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *finding = json_array_get_object_element (pair->findings, i);
      const char *reason = syn_json_get_string (finding, "reason");
      const char *severity = syn_json_get_string (finding, "severity");

      if (g_strcmp0 (reason, "manual_override") == 0)
        report_add (a, pair, "held", NULL);
      if (g_strcmp0 (reason, "error") == 0 || g_strcmp0 (reason, "manual_override") == 0)
        {
          /* a rule's errors count as errors whatever their severity (a
           * VALIDATE warning is still a broken constraint); what a person
           * holds is a warning */
          gboolean warning = g_strcmp0 (reason, "manual_override") == 0;

          if (warning)
            run->warnings++;
          else
            {
              a->group_counts.errors++;
              run->errors++;
            }
          if (!a->count_only)
            {
              _syn_engine_send_error (run, pair->rule_id, pair->source_id, pair->source_tag,
                                      syn_json_get_string (finding, "message"),
                                      severity ? severity : "error", TRUE);
              /* how a later run that carries it counts it */
              json_object_set_string_member (json_array_get_object_element (run->standing,
                                                                            json_array_get_length (run->standing) - 1),
                                             "counts_as", warning ? "warning" : "error");
            }
        }
      if (g_strcmp0 (reason, "error") != 0)
        skipped = TRUE;
    }
  if (skipped)
    {
      a->group_counts.skipped++;
      run->skipped++;
    }
}

static gboolean
item_blocked (Apply *a, Item *item)
{
  for (guint i = 0; i < item->ops->len; i++)
    if (tag_blocked (a, g_ptr_array_index (item->ops, i)))
      return TRUE;
  return FALSE;
}

/* The values a SET_PROPERTY pair's updates set (null: removed). */
static JsonObject *
changed_values (SynEngineRun *run, Item *item)
{
  JsonObject *changed = json_object_new ();

  for (guint i = 0; i < item->ops->len; i++)
    {
      Op *op = g_ptr_array_index (item->ops, i);
      SynAsset *derived;

      if (op->kind != OP_UPDATE_ASSET || !(derived = syn_rule_world_get_asset (run->derived, op->id)))
        continue;
      for (guint f = 0; f < op->fields->len; f++)
        {
          const char *field = g_ptr_array_index (op->fields, f);
          JsonNode *value;

          if (!g_str_has_prefix (field, "prop:"))
            continue;
          value = json_object_get_member (derived->properties, field + strlen ("prop:"));
          json_object_set_member (changed, field + strlen ("prop:"),
                                  value ? syn_json_node_deep_copy (value) : json_node_new (JSON_NODE_NULL));
        }
    }
  return changed;
}

static gboolean
write_item (Apply *a, Item *item, GError **error)
{
  SynEngineRun *run = a->run;
  SynPair *pair = item->pair;
  g_autoptr(SynEvent) cause = NULL;
  const char *carried[3] = { NULL };
  guint n_carried = 0;
  gboolean created = FALSE;

  item->done = TRUE;
  if (item->ops->len == 0 && !item->findings)
    return TRUE;
  if (!a->count_only && !open_group_events (a, error))
    return FALSE;
  if (item->ops->len > 0)
    {
      const char *reason = "updated";
      const char *event_type = SYN_EVENT_RULE_EXECUTED;
      JsonObject *extra = json_object_new ();
      JsonObject *exists = item->section == 1 ? find_finding (pair, "exists") : NULL;
      JsonObject *overridden = item->section == 1 ? find_finding (pair, "overridden") : NULL;

      for (guint i = 0; i < item->ops->len; i++)
        {
          OpKind kind = ((Op *) g_ptr_array_index (item->ops, i))->kind;

          if (kind == OP_CREATE_ASSET || kind == OP_CREATE_CABLE || kind == OP_CREATE_EDGE)
            reason = "matched";
        }
      if (item->section == 0)
        reason = "retracted";
      if (!pair->evaluated && item->section == 0)
        json_object_set_string_member (extra, "detail",
                                       pair->rule == NULL ? "the rule is gone"
                                       : !pair->rule->is_active ? "the rule is switched off"
                                       : syn_rule_world_get_asset (run->derived, pair->source_id) == NULL
                                         ? "its source is gone" : "the rule no longer applies to its source");
      /* what the rule found makes the cause: linking to a child that was
       * there already is a skip (exists) that still links */
      if (exists != NULL)
        {
          event_type = SYN_EVENT_RULE_SKIPPED;
          reason = "exists";
          json_object_set_string_member (extra, "existing_id", syn_json_get_string (exists, "existing_id"));
          json_object_set_string_member (extra, "existing_tag", syn_json_get_string (exists, "existing_tag"));
          carried[n_carried++] = "exists";
        }
      else if (overridden != NULL)
        {
          json_object_set_member (extra, "overridden_keys",
                                  syn_json_node_deep_copy (json_object_get_member (overridden, "keys")));
          json_object_set_string_member (extra, "winner_rule_id", syn_json_get_string (overridden, "winner_rule_id"));
          carried[n_carried++] = "overridden";
        }
      if (pair->rule != NULL && g_strcmp0 (pair->rule->action_type, "SET_PROPERTY") == 0 && item->section == 1)
        json_object_set_object_member (extra, "changed", changed_values (run, item));
      if (!a->count_only && !(cause = emit_rule_event (a, event_type, pair, reason, extra, error)))
        return FALSE;
      if (a->count_only)
        json_object_unref (extra);
      for (guint i = 0; i < item->ops->len; i++)
        if (!write_op (a, pair, g_ptr_array_index (item->ops, i), cause ? cause->id : NULL, &created, error))
          return FALSE;
      /* edges made without a child of their own are links */
      for (guint i = 0; !created && i < item->ops->len; i++)
        {
          Op *op = g_ptr_array_index (item->ops, i);

          if (op->kind == OP_CREATE_EDGE)
            {
              SynEdge *edge = syn_rule_world_get_edge (run->derived, op->id);
              const char *other = g_strcmp0 (edge->source_asset_id, pair->source_id) == 0 ? edge->target_asset_id
                                                                                             : edge->source_asset_id;
              SynAsset *asset = syn_rule_world_get_asset (run->derived, other);

              send_action (a, pair, "LINKED", edge->id, asset ? asset->tag : NULL, asset ? asset->type : NULL, NULL);
            }
        }
    }
  if (item->findings && !write_findings (a, pair, cause ? cause->id : NULL, carried, error))
    return FALSE;
  return TRUE;
}

static int
compare_pairs (gconstpointer pa, gconstpointer pb)
{
  const SynPair *x = *(SynPair **) pa;
  const SynPair *y = *(SynPair **) pb;
  int c;

  if (x->pass != y->pass)
    return x->pass < y->pass ? -1 : 1;
  if (x->rule_index != y->rule_index)
    return x->rule_index < y->rule_index ? -1 : 1;
  if ((c = g_strcmp0 (x->source_tag, y->source_tag)) != 0)
    return c;
  return g_strcmp0 (x->source_id, y->source_id);
}

static void
apply_init (Apply *a, SynEngineRun *run, gboolean count_only)
{
  GHashTableIter iter;
  gpointer value;

  memset (a, 0, sizeof *a);
  a->run = run;
  a->count_only = count_only;
  a->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) item_free);
  a->assets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  a->asset_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  a->cable_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  a->gone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, syn_rule_world_assets (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_hash_table_insert (a->asset_tags, g_strdup (((SynAsset *) value)->tag), g_strdup (((SynAsset *) value)->id));
  g_hash_table_iter_init (&iter, syn_rule_world_cables (run->stored));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_hash_table_insert (a->cable_tags, g_strdup (((SynCable *) value)->tag), g_strdup (((SynCable *) value)->id));
}

static void
apply_clear (Apply *a)
{
  g_clear_pointer (&a->items, g_hash_table_unref);
  g_clear_pointer (&a->assets, g_hash_table_unref);
  g_clear_pointer (&a->asset_tags, g_hash_table_unref);
  g_clear_pointer (&a->cable_tags, g_hash_table_unref);
  g_clear_pointer (&a->gone, g_hash_table_unref);
  g_clear_pointer (&a->report, g_hash_table_unref);
  g_clear_pointer (&a->stale, g_hash_table_unref);
}

static gboolean
apply_all (Apply *a, GError **error)
{
  SynEngineRun *run = a->run;
  g_autoptr(GPtrArray) retractions = g_ptr_array_new ();
  g_autoptr(GPtrArray) evaluated = g_ptr_array_new ();
  g_autoptr(GPtrArray) waiting = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  plan (a);
  g_hash_table_iter_init (&iter, a->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Item *item = value;

      g_ptr_array_sort (item->ops, compare_ops);
      if (item->section == 0)
        g_ptr_array_add (retractions, item);
      if (item->ops->len > 0 || item->findings)
        a->items_total++;
    }
  g_ptr_array_sort (retractions, compare_items);
  g_hash_table_iter_init (&iter, run->pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((SynPair *) value)->evaluated)
      g_ptr_array_add (evaluated, value);
  g_ptr_array_sort (evaluated, compare_pairs);

  /* 0: what the rules take back, first, so its tags are free again */
  for (guint i = 0; i < retractions->len; i++)
    {
      Item *item = g_ptr_array_index (retractions, i);

      if (!enter_group (a, 0, 0, item->pair->rule_id, error) || !write_item (a, item, error))
        return FALSE;
    }

  /* 1: what they derive, pass by pass, rule by rule, source by source */
  for (guint i = 0; i < evaluated->len; i++)
    {
      SynPair *pair = g_ptr_array_index (evaluated, i);
      g_autofree char *key = g_strdup_printf ("1\x1f%s", pair->key);
      Item *item = g_hash_table_lookup (a->items, key);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      if (!enter_group (a, 1, pair->pass, pair->rule_id, error))
        return FALSE;
      report_findings (a, pair);
      /* matched, and its outputs are in place: nothing to do, a skip */
      if (pair->matched && (item == NULL || (item->ops->len == 0 && !item->findings)) &&
          (pair->findings == NULL || json_array_get_length (pair->findings) == 0))
        {
          run->unchanged++;
          run->skipped++;
          a->group_counts.skipped++;
        }
      if (item == NULL)
        continue;
      if (item_blocked (a, item))
        {
          g_ptr_array_add (waiting, item);
          continue;
        }
      if (!write_item (a, item, error))
        return FALSE;
      a->items_done++;
      if (!a->count_only && a->items_total > 0 && (a->items_done % 256) == 0)
        {
          guint before = run->progress;

          _syn_engine_update_progress (run, 0.2 + 0.79 * a->items_done / a->items_total);
          if (run->progress > before)
            _syn_engine_send_progress (run);
        }
    }
  /* items made for pairs not evaluated in section 1 (a layer of a rule out of the run) */
  g_hash_table_iter_init (&iter, a->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Item *item = value;

      if (item->section == 1 && !item->done && !item->pair->evaluated && !g_ptr_array_find (waiting, item, NULL))
        g_ptr_array_add (waiting, item);
    }
  /* renames among outputs: what waited for a tag to move, once it has */
  while (waiting->len > 0)
    {
      gboolean progress = FALSE;

      for (guint i = 0; i < waiting->len; )
        {
          Item *item = g_ptr_array_index (waiting, i);

          if (item_blocked (a, item))
            {
              i++;
              continue;
            }
          if (!enter_group (a, 1, item->pair->pass, item->pair->rule_id, error) || !write_item (a, item, error))
            return FALSE;
          g_ptr_array_remove_index (waiting, i);
          progress = TRUE;
        }
      if (!progress)
        {
          Item *item = g_ptr_array_index (waiting, 0);

          g_set_error (error, SYN_ENGINE_ERROR, SYN_ENGINE_ERROR_CONFLICT,
                       "Rule %s cannot give %s its new tag: the tags of the rules' outputs would have to "
                       "swap places; rename one of them by hand first",
                       item->pair->rule_id, item->pair->source_tag ? item->pair->source_tag : item->pair->source_id);
          return FALSE;
        }
    }
  return close_group (a, error);
}

/* Writes the difference into the run's batch. The batch starts (its
 * BATCH_STARTED) only with a first change: a project that is up to date gets
 * no event at all, and the caller no batch. */
gboolean
_syn_engine_apply (SynEngineRun *run, GError **error)
{
  Apply a;
  gboolean ok;

  apply_init (&a, run, FALSE);
  ok = apply_all (&a, error);
  apply_clear (&a);
  return ok;
}

/* Per rule, what a run would create, update and retract, how many of its
 * outputs a person holds, and how many findings it would record. */
JsonObject *
_syn_engine_plan_report (SynEngineRun *run)
{
  Apply a;
  g_autoptr(GError) error = NULL;
  JsonObject *answer = json_object_new ();
  JsonArray *rules = json_array_new ();
  g_autoptr(GList) values = NULL;
  gboolean up_to_date;

  apply_init (&a, run, TRUE);
  a.report = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  a.stale = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  apply_all (&a, &error);
  values = g_hash_table_get_values (a.report);
  up_to_date = run->created_assets + run->created_cables + run->created_edges + run->updated_assets +
               run->updated_cables + run->retracted_assets + run->retracted_cables + run->retracted_edges +
               run->findings_written == 0;
  for (guint i = 0; i < run->all_rules->len; i++)
    {
      SynRule *rule = g_ptr_array_index (run->all_rules, i);
      JsonObject *o = g_hash_table_lookup (a.report, rule->id);

      if (o != NULL)
        json_array_add_object_element (rules, json_object_ref (o));
    }
  for (GList *l = values; l; l = l->next)
    {
      JsonObject *o = l->data;
      gboolean known = FALSE;

      for (guint i = 0; i < run->all_rules->len && !known; i++)
        known = g_strcmp0 (((SynRule *) run->all_rules->pdata[i])->id, syn_json_get_string (o, "rule_id")) == 0;
      if (!known)
        json_array_add_object_element (rules, json_object_ref (o));
    }
  json_object_set_boolean_member (answer, "up_to_date", up_to_date);
  json_object_set_array_member (answer, "rules", rules);
  {
    /* sorted, so the answer is the same from run to run */
    g_autofree const char **ids = (const char **) g_hash_table_get_keys_as_array (a.stale, NULL);
    guint n = g_hash_table_size (a.stale);
    JsonArray *stale = json_array_sized_new (n);

    qsort (ids, n, sizeof (char *), compare_ids);
    for (guint i = 0; i < n; i++)
      json_array_add_string_element (stale, ids[i]);
    json_object_set_array_member (answer, "out_of_date", stale);
  }
  apply_clear (&a);
  return answer;
}

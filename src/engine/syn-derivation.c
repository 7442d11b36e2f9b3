/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-derivation.c: derivation records: reading, changing, a person's change, fingerprints. */
#include "config.h"

#include <string.h>

#include "syn-derivation.h"

static const char *
get_string (JsonObject *derivation, const char *member)
{
  return derivation != NULL ? syn_json_get_string (derivation, member) : NULL;
}

static JsonArray *
get_array (JsonObject *derivation, const char *member)
{
  JsonNode *node = derivation != NULL ? json_object_get_member (derivation, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
array_has (JsonArray *array, const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

const char *
syn_derivation_get_rule_id (JsonObject *derivation)
{
  return get_string (derivation, "rule_id");
}

const char *
syn_derivation_get_source (JsonObject *derivation)
{
  return get_string (derivation, "source_asset_id");
}

const char *
syn_derivation_get_inputs (JsonObject *derivation)
{
  return get_string (derivation, "inputs");
}

JsonArray *
syn_derivation_get_keys (JsonObject *derivation)
{
  return get_array (derivation, "keys");
}

gboolean
syn_derivation_is_held (JsonObject *derivation, const char *field)
{
  return array_has (get_array (derivation, "held"), field);
}

gboolean
syn_derivation_has_holds (JsonObject *derivation)
{
  JsonArray *held = get_array (derivation, "held");

  return held != NULL && json_array_get_length (held) > 0;
}

gboolean
syn_derivation_withholds (JsonObject *derivation, const char *rule_id)
{
  return array_has (get_array (derivation, "withheld"), rule_id);
}

JsonObject *
syn_derivation_get_layers (JsonObject *derivation)
{
  JsonNode *node = derivation != NULL ? json_object_get_member (derivation, "values") : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
syn_derivation_get_layer (JsonObject *derivation, const char *key)
{
  JsonObject *layers = syn_derivation_get_layers (derivation);
  JsonNode *node = layers != NULL ? json_object_get_member (layers, key) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ------------------------------------------------------------------------- */

static JsonObject *
ensure (JsonObject **derivation)
{
  if (*derivation == NULL)
    *derivation = json_object_new ();
  return *derivation;
}

static void
drop_if_empty (JsonObject **derivation)
{
  if (*derivation != NULL && json_object_get_size (*derivation) == 0)
    g_clear_pointer (derivation, json_object_unref);
}

static void
remove_member (JsonObject *object, const char *member)
{
  if (object != NULL && json_object_has_member (object, member))
    json_object_remove_member (object, member);
}

void
syn_derivation_set_origin (JsonObject **derivation, const char *rule_id, const char *source_asset_id,
                           const char *inputs, JsonArray *keys)
{
  JsonObject *d;

  g_return_if_fail (derivation != NULL);
  g_return_if_fail (rule_id != NULL);

  d = ensure (derivation);
  json_object_set_string_member (d, "rule_id", rule_id);
  syn_json_set_string_or_null (d, "source_asset_id", source_asset_id);
  syn_json_set_string_or_null (d, "inputs", inputs);
  if (keys != NULL)
    json_object_set_array_member (d, "keys", json_array_ref (keys));
  else
    remove_member (d, "keys");
}

void
syn_derivation_clear_origin (JsonObject **derivation)
{
  g_return_if_fail (derivation != NULL);

  remove_member (*derivation, "rule_id");
  remove_member (*derivation, "source_asset_id");
  remove_member (*derivation, "inputs");
  remove_member (*derivation, "keys");
  drop_if_empty (derivation);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Adds or removes @value in a sorted array member; TRUE when it changed. */
static gboolean
set_in_sorted (JsonObject **derivation, const char *member, const char *value, gboolean present)
{
  JsonArray *old = get_array (*derivation, member);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  JsonArray *array;

  if (array_has (old, value) == present)
    return FALSE;
  for (guint i = 0; old != NULL && i < json_array_get_length (old); i++)
    {
      const char *v = json_array_get_string_element (old, i);

      if (present || g_strcmp0 (v, value) != 0)
        g_ptr_array_add (values, (gpointer) v);
    }
  if (present)
    g_ptr_array_add (values, (gpointer) value);
  g_ptr_array_sort (values, compare_strings);

  array = json_array_sized_new (values->len);
  for (guint i = 0; i < values->len; i++)
    json_array_add_string_element (array, values->pdata[i]);
  if (values->len == 0)
    {
      json_array_unref (array);
      remove_member (*derivation, member);
      drop_if_empty (derivation);
    }
  else
    json_object_set_array_member (ensure (derivation), member, array);
  return TRUE;
}

void
syn_derivation_hold (JsonObject **derivation, const char *field)
{
  g_return_if_fail (derivation != NULL && field != NULL);
  set_in_sorted (derivation, "held", field, TRUE);
}

gboolean
syn_derivation_release (JsonObject **derivation, const char *field)
{
  g_return_val_if_fail (derivation != NULL && field != NULL, FALSE);
  return set_in_sorted (derivation, "held", field, FALSE);
}

void
syn_derivation_withhold (JsonObject **derivation, const char *rule_id)
{
  g_return_if_fail (derivation != NULL && rule_id != NULL);
  set_in_sorted (derivation, "withheld", rule_id, TRUE);
}

gboolean
syn_derivation_unwithhold (JsonObject **derivation, const char *rule_id)
{
  g_return_val_if_fail (derivation != NULL && rule_id != NULL, FALSE);
  return set_in_sorted (derivation, "withheld", rule_id, FALSE);
}

void
syn_derivation_set_layer (JsonObject **derivation, const char *key, const char *rule_id, const char *inputs,
                          JsonNode *prior)
{
  JsonObject *layers;
  JsonObject *layer = json_object_new ();

  g_return_if_fail (derivation != NULL && key != NULL && rule_id != NULL);

  json_object_set_string_member (layer, "rule_id", rule_id);
  syn_json_set_string_or_null (layer, "inputs", inputs);
  if (prior != NULL)
    json_object_set_member (layer, "prior", syn_json_node_deep_copy (prior));
  layers = syn_derivation_get_layers (*derivation);
  if (layers == NULL)
    {
      layers = json_object_new ();
      json_object_set_object_member (ensure (derivation), "values", layers);
    }
  json_object_set_object_member (layers, key, layer);
}

void
syn_derivation_remove_layer (JsonObject **derivation, const char *key)
{
  JsonObject *layers;

  g_return_if_fail (derivation != NULL && key != NULL);

  layers = syn_derivation_get_layers (*derivation);
  if (layers == NULL)
    return;
  remove_member (layers, key);
  if (json_object_get_size (layers) == 0)
    {
      remove_member (*derivation, "values");
      drop_if_empty (derivation);
    }
}

void
syn_derivation_unlay (SynAsset *asset, const char *key)
{
  JsonObject *layer;
  JsonNode *prior;

  g_return_if_fail (SYN_IS_ASSET (asset));
  g_return_if_fail (key != NULL);

  if ((layer = syn_derivation_get_layer (asset->derivation, key)) == NULL)
    return;
  if ((prior = json_object_get_member (layer, "prior")) != NULL)
    json_object_set_member (asset->properties, key, syn_json_node_deep_copy (prior));
  else
    remove_member (asset->properties, key);
  syn_derivation_remove_layer (&asset->derivation, key);
}

void
syn_derivation_strip_layers (SynAsset *asset)
{
  JsonObject *layers;
  GList *keys;

  g_return_if_fail (SYN_IS_ASSET (asset));

  if ((layers = syn_derivation_get_layers (asset->derivation)) == NULL)
    return;
  keys = json_object_get_members (layers);
  /* the names belong to the layers, which unlay removes: copy them */
  for (GList *l = keys; l; l = l->next)
    l->data = g_strdup (l->data);
  for (GList *l = keys; l; l = l->next)
    syn_derivation_unlay (asset, l->data);
  g_list_free_full (keys, g_free);
}

/* ------------------------------------------------------------------------- */
/* A person's change                                                         */

static gboolean
property_changed (SynAsset *before, SynAsset *after, const char *key)
{
  JsonNode *a = json_object_get_member (before->properties, key);
  JsonNode *b = json_object_get_member (after->properties, key);

  if (a == NULL || b == NULL)
    return a != b;
  return !syn_json_node_equal (a, b);
}

static void
hold (SynAsset *after, GPtrArray *held, const char *field)
{
  if (syn_derivation_is_held (after->derivation, field))
    return;
  syn_derivation_hold (&after->derivation, field);
  g_ptr_array_add (held, g_strdup (field));
}

GPtrArray *
syn_derivation_note_manual_change (SynAsset *before, SynAsset *after)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  /* Whatever a person changes on an asset a rule made is the person's from
   * then on; on any other asset only what a SET_PROPERTY rule laid over it. */
  gboolean derived = syn_derivation_get_rule_id (before->derivation) != NULL;
  GHashTableIter iter;
  const char *key;

  g_return_val_if_fail (SYN_IS_ASSET (before) && SYN_IS_ASSET (after), NULL);

  if (derived)
    for (const char * const *column = syn_asset_columns (); *column; column++)
      if (strcmp (*column, "created_by_rule_id") != 0 &&
          g_strcmp0 (syn_asset_get_column (before, *column), syn_asset_get_column (after, *column)) != 0)
        hold (after, held, *column);

  {
    g_autoptr(GList) a = json_object_get_members (before->properties);
    g_autoptr(GList) b = json_object_get_members (after->properties);

    for (GList *l = a; l; l = l->next)
      g_hash_table_add (keys, l->data);
    for (GList *l = b; l; l = l->next)
      g_hash_table_add (keys, l->data);
  }
  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    {
      g_autofree char *field = NULL;
      gboolean layered;

      if (!property_changed (before, after, key))
        continue;
      layered = syn_derivation_get_layer (after->derivation, key) != NULL;
      if (!derived && !layered)
        continue;
      field = g_strconcat (SYN_FIELD_PROPERTY_PREFIX, key, NULL);
      if (layered)
        syn_derivation_remove_layer (&after->derivation, key);
      hold (after, held, field);
    }
  g_ptr_array_sort (held, compare_strings);
  return g_steal_pointer (&held);
}

/* ------------------------------------------------------------------------- */

void
syn_fingerprint_hex (const void *data, gsize len, char out[17])
{
  const guchar *p = data;
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize i = 0; i < len; i++)
    {
      h ^= p[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  g_snprintf (out, 17, "%016" G_GINT64_MODIFIER "x", h);
}

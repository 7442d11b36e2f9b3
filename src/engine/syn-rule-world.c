/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-world.c: SynRuleWorld: a project in memory with its lookups (tag, type and area, links, rule outputs). */
#include "config.h"

#include <string.h>

#include "syn-derivation.h"
#include "syn-rule-world.h"

struct _SynRuleWorld
{
  GHashTable *assets;         /* id -> SynAsset (ref) */
  GHashTable *asset_tags;     /* tag -> SynAsset */
  GHashTable *areas;          /* "TYPE\x1fAREA" -> set of SynAsset */
  GHashTable *cables;         /* id -> SynCable (ref) */
  GHashTable *cable_tags;     /* tag -> SynCable */
  GHashTable *edges;          /* id -> SynEdge (ref) */
  GHashTable *edge_keys;      /* "SOURCE\x1fTARGET\x1fRELATION" -> SynEdge */
  GHashTable *links;          /* asset id -> GPtrArray of SynEdge (ref) touching it */
  GHashTable *cable_links;    /* asset id -> GPtrArray of SynCable (ref) from or to it */
  GHashTable *outputs;        /* "RULE\x1fSOURCE" -> GPtrArray of SynOutputRef */
  GHashTable *owned;          /* objects this world may change in place */
};

static void
output_ref_free (SynOutputRef *ref)
{
  g_free (ref->id);
  g_free (ref);
}

SynRuleWorld *
syn_rule_world_new (void)
{
  SynRuleWorld *self = g_new0 (SynRuleWorld, 1);

  self->assets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->asset_tags = g_hash_table_new (g_str_hash, g_str_equal);
  self->areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  self->cables = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->cable_tags = g_hash_table_new (g_str_hash, g_str_equal);
  self->edges = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->edge_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->cable_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->outputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->owned = g_hash_table_new (NULL, NULL);
  return self;
}

void
syn_rule_world_free (SynRuleWorld *self)
{
  if (self == NULL)
    return;
  /* indexes first: they borrow from the id tables */
  g_hash_table_unref (self->outputs);
  g_hash_table_unref (self->cable_links);
  g_hash_table_unref (self->links);
  g_hash_table_unref (self->edge_keys);
  g_hash_table_unref (self->cable_tags);
  g_hash_table_unref (self->areas);
  g_hash_table_unref (self->asset_tags);
  g_hash_table_unref (self->owned);
  g_hash_table_unref (self->edges);
  g_hash_table_unref (self->cables);
  g_hash_table_unref (self->assets);
  g_free (self);
}

char *
syn_rule_pair_key (const char *rule_id, const char *source_id)
{
  return g_strconcat (rule_id, "\x1f", source_id ? source_id : "", NULL);
}

static char *
area_key (const char *type, const char *area)
{
  return g_strconcat (type ? type : "", "\x1f", area ? area : "", NULL);
}

static char *
edge_key (SynEdge *edge)
{
  return g_strconcat (edge->source_asset_id, "\x1f", edge->target_asset_id, "\x1f", edge->relation, NULL);
}

/* ------------------------------------------------------------------------- */
/* Index upkeep                                                              */

static void
output_add (SynRuleWorld *self, JsonObject *derivation, SynOutputKind kind, const char *id)
{
  const char *rule_id = syn_derivation_get_rule_id (derivation);
  g_autofree char *key = NULL;
  GPtrArray *refs;
  SynOutputRef *ref;

  if (rule_id == NULL)
    return;
  key = syn_rule_pair_key (rule_id, syn_derivation_get_source (derivation));
  refs = g_hash_table_lookup (self->outputs, key);
  if (refs == NULL)
    {
      refs = g_ptr_array_new_with_free_func ((GDestroyNotify) output_ref_free);
      g_hash_table_insert (self->outputs, g_steal_pointer (&key), refs);
    }
  ref = g_new0 (SynOutputRef, 1);
  ref->kind = kind;
  ref->id = g_strdup (id);
  g_ptr_array_add (refs, ref);
}

static void
output_remove (SynRuleWorld *self, JsonObject *derivation, SynOutputKind kind, const char *id)
{
  const char *rule_id = syn_derivation_get_rule_id (derivation);
  g_autofree char *key = NULL;
  GPtrArray *refs;

  if (rule_id == NULL)
    return;
  key = syn_rule_pair_key (rule_id, syn_derivation_get_source (derivation));
  refs = g_hash_table_lookup (self->outputs, key);
  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      SynOutputRef *ref = g_ptr_array_index (refs, i);

      if (ref->kind == kind && strcmp (ref->id, id) == 0)
        {
          g_ptr_array_remove_index (refs, i);
          break;
        }
    }
  if (refs != NULL && refs->len == 0)
    g_hash_table_remove (self->outputs, key);
}

static void
link_add (GHashTable *links, const char *asset_id, gpointer object)
{
  GPtrArray *list;

  if (asset_id == NULL)
    return;
  list = g_hash_table_lookup (links, asset_id);
  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (links, g_strdup (asset_id), list);
    }
  g_ptr_array_add (list, g_object_ref (object));
}

static void
link_remove (GHashTable *links, const char *asset_id, gpointer object)
{
  GPtrArray *list;

  if (asset_id == NULL || !(list = g_hash_table_lookup (links, asset_id)))
    return;
  g_ptr_array_remove (list, object);
  if (list->len == 0)
    g_hash_table_remove (links, asset_id);
}

static void
asset_index (SynRuleWorld *self, SynAsset *asset)
{
  g_autofree char *key = area_key (asset->type, asset->area);
  GHashTable *set = g_hash_table_lookup (self->areas, key);

  g_hash_table_insert (self->asset_tags, asset->tag, asset);
  if (set == NULL)
    {
      set = g_hash_table_new (NULL, NULL);
      g_hash_table_insert (self->areas, g_steal_pointer (&key), set);
    }
  g_hash_table_add (set, asset);
  output_add (self, asset->derivation, SYN_OUTPUT_ASSET, asset->id);
}

static void
asset_unindex (SynRuleWorld *self, SynAsset *asset)
{
  g_autofree char *key = area_key (asset->type, asset->area);
  GHashTable *set = g_hash_table_lookup (self->areas, key);

  if (g_hash_table_lookup (self->asset_tags, asset->tag) == asset)
    g_hash_table_remove (self->asset_tags, asset->tag);
  if (set != NULL)
    {
      g_hash_table_remove (set, asset);
      if (g_hash_table_size (set) == 0)
        g_hash_table_remove (self->areas, key);
    }
  output_remove (self, asset->derivation, SYN_OUTPUT_ASSET, asset->id);
}

static void
cable_index (SynRuleWorld *self, SynCable *cable)
{
  g_hash_table_insert (self->cable_tags, cable->tag, cable);
  link_add (self->cable_links, cable->from_asset_id, cable);
  if (g_strcmp0 (cable->from_asset_id, cable->to_asset_id) != 0)
    link_add (self->cable_links, cable->to_asset_id, cable);
  output_add (self, cable->derivation, SYN_OUTPUT_CABLE, cable->id);
}

static void
cable_unindex (SynRuleWorld *self, SynCable *cable)
{
  if (g_hash_table_lookup (self->cable_tags, cable->tag) == cable)
    g_hash_table_remove (self->cable_tags, cable->tag);
  link_remove (self->cable_links, cable->from_asset_id, cable);
  link_remove (self->cable_links, cable->to_asset_id, cable);
  output_remove (self, cable->derivation, SYN_OUTPUT_CABLE, cable->id);
}

/* ------------------------------------------------------------------------- */

void
syn_rule_world_add_asset (SynRuleWorld *self, SynAsset *asset, gboolean owned)
{
  g_return_if_fail (asset->id != NULL && asset->tag != NULL);

  g_hash_table_insert (self->assets, asset->id, g_object_ref (asset));
  if (owned)
    g_hash_table_add (self->owned, asset);
  asset_index (self, asset);
}

void
syn_rule_world_add_cable (SynRuleWorld *self, SynCable *cable, gboolean owned)
{
  g_return_if_fail (cable->id != NULL && cable->tag != NULL);

  g_hash_table_insert (self->cables, cable->id, g_object_ref (cable));
  if (owned)
    g_hash_table_add (self->owned, cable);
  cable_index (self, cable);
}

void
syn_rule_world_add_edge (SynRuleWorld *self, SynEdge *edge, gboolean owned)
{
  g_return_if_fail (edge->id != NULL);

  g_hash_table_insert (self->edges, edge->id, g_object_ref (edge));
  if (owned)
    g_hash_table_add (self->owned, edge);
  g_hash_table_insert (self->edge_keys, edge_key (edge), edge);
  link_add (self->links, edge->source_asset_id, edge);
  if (g_strcmp0 (edge->source_asset_id, edge->target_asset_id) != 0)
    link_add (self->links, edge->target_asset_id, edge);
  output_add (self, edge->derivation, SYN_OUTPUT_EDGE, edge->id);
}

void
syn_rule_world_remove_asset (SynRuleWorld *self, const char *id)
{
  SynAsset *asset = g_hash_table_lookup (self->assets, id);

  if (asset == NULL)
    return;
  asset_unindex (self, asset);
  g_hash_table_remove (self->owned, asset);
  g_hash_table_remove (self->assets, id);
}

void
syn_rule_world_remove_cable (SynRuleWorld *self, const char *id)
{
  SynCable *cable = g_hash_table_lookup (self->cables, id);

  if (cable == NULL)
    return;
  cable_unindex (self, cable);
  g_hash_table_remove (self->owned, cable);
  g_hash_table_remove (self->cables, id);
}

void
syn_rule_world_remove_edge (SynRuleWorld *self, const char *id)
{
  SynEdge *edge = g_hash_table_lookup (self->edges, id);
  g_autofree char *key = NULL;

  if (edge == NULL)
    return;
  key = edge_key (edge);
  if (g_hash_table_lookup (self->edge_keys, key) == edge)
    g_hash_table_remove (self->edge_keys, key);
  link_remove (self->links, edge->source_asset_id, edge);
  link_remove (self->links, edge->target_asset_id, edge);
  output_remove (self, edge->derivation, SYN_OUTPUT_EDGE, edge->id);
  g_hash_table_remove (self->owned, edge);
  g_hash_table_remove (self->edges, id);
}

void
syn_rule_world_replace_asset (SynRuleWorld *self, SynAsset *replacement)
{
  SynAsset *old = g_hash_table_lookup (self->assets, replacement->id);

  if (old == replacement)
    {
      /* changed in place: its tag, type, area or origin may have moved */
      g_autoptr(SynAsset) keep = g_object_ref (replacement);

      syn_rule_world_remove_asset (self, replacement->id);
      syn_rule_world_add_asset (self, keep, TRUE);
      return;
    }
  if (old != NULL)
    syn_rule_world_remove_asset (self, replacement->id);
  syn_rule_world_add_asset (self, replacement, TRUE);
}

void
syn_rule_world_replace_cable (SynRuleWorld *self, SynCable *replacement)
{
  SynCable *old = g_hash_table_lookup (self->cables, replacement->id);
  g_autoptr(SynCable) keep = g_object_ref (replacement);

  if (old != NULL)
    syn_rule_world_remove_cable (self, replacement->id);
  syn_rule_world_add_cable (self, keep, TRUE);
}

/* The indexes of an asset and a cable (tags, areas, links, outputs) do not
 * depend on the object's address but for the values of the sets and link
 * lists, so a copy replaces the original under its indexes too. */
SynAsset *
syn_rule_world_writable_asset (SynRuleWorld *self, const char *id)
{
  SynAsset *asset = g_hash_table_lookup (self->assets, id);
  g_autoptr(SynAsset) copy = NULL;

  if (asset == NULL || g_hash_table_contains (self->owned, asset))
    return asset;
  copy = syn_asset_copy (asset);
  syn_rule_world_remove_asset (self, id);
  syn_rule_world_add_asset (self, copy, TRUE);
  return copy;
}

SynCable *
syn_rule_world_writable_cable (SynRuleWorld *self, const char *id)
{
  SynCable *cable = g_hash_table_lookup (self->cables, id);
  g_autoptr(SynCable) copy = NULL;

  if (cable == NULL || g_hash_table_contains (self->owned, cable))
    return cable;
  copy = syn_cable_copy (cable);
  syn_rule_world_remove_cable (self, id);
  syn_rule_world_add_cable (self, copy, TRUE);
  return copy;
}

gboolean
syn_rule_world_owns (SynRuleWorld *self, gpointer object)
{
  return g_hash_table_contains (self->owned, object);
}

/* ------------------------------------------------------------------------- */
/* Lookups                                                                   */

SynAsset *
syn_rule_world_get_asset (SynRuleWorld *self, const char *id)
{
  return id != NULL ? g_hash_table_lookup (self->assets, id) : NULL;
}

SynAsset *
syn_rule_world_get_asset_by_tag (SynRuleWorld *self, const char *tag)
{
  return tag != NULL ? g_hash_table_lookup (self->asset_tags, tag) : NULL;
}

SynCable *
syn_rule_world_get_cable (SynRuleWorld *self, const char *id)
{
  return id != NULL ? g_hash_table_lookup (self->cables, id) : NULL;
}

SynCable *
syn_rule_world_get_cable_by_tag (SynRuleWorld *self, const char *tag)
{
  return tag != NULL ? g_hash_table_lookup (self->cable_tags, tag) : NULL;
}

SynEdge *
syn_rule_world_get_edge (SynRuleWorld *self, const char *id)
{
  return id != NULL ? g_hash_table_lookup (self->edges, id) : NULL;
}

SynEdge *
syn_rule_world_find_edge (SynRuleWorld *self, const char *source_asset_id, const char *target_asset_id,
                          const char *relation)
{
  g_autofree char *key = g_strconcat (source_asset_id, "\x1f", target_asset_id, "\x1f", relation, NULL);

  return g_hash_table_lookup (self->edge_keys, key);
}

GPtrArray *
syn_rule_world_edges_of (SynRuleWorld *self, const char *asset_id)
{
  return g_hash_table_lookup (self->links, asset_id);
}

GPtrArray *
syn_rule_world_cables_of (SynRuleWorld *self, const char *asset_id)
{
  return g_hash_table_lookup (self->cable_links, asset_id);
}

static int
compare_assets_by_tag (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(SynAsset **) a)->tag, (*(SynAsset **) b)->tag);
}

GPtrArray *
syn_rule_world_assets_in_area (SynRuleWorld *self, const char *type, const char *area)
{
  g_autofree char *key = area_key (type, area);
  GHashTable *set = g_hash_table_lookup (self->areas, key);
  GPtrArray *found = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer asset;

  if (set == NULL)
    return found;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &asset, NULL))
    g_ptr_array_add (found, asset);
  g_ptr_array_sort (found, compare_assets_by_tag);
  return found;
}

GPtrArray *
syn_rule_world_outputs (SynRuleWorld *self, const char *rule_id, const char *source_id)
{
  g_autofree char *key = syn_rule_pair_key (rule_id, source_id);

  return g_hash_table_lookup (self->outputs, key);
}

GHashTable *
syn_rule_world_output_index (SynRuleWorld *self)
{
  return self->outputs;
}

GHashTable *
syn_rule_world_assets (SynRuleWorld *self)
{
  return self->assets;
}

GHashTable *
syn_rule_world_cables (SynRuleWorld *self)
{
  return self->cables;
}

GHashTable *
syn_rule_world_edges (SynRuleWorld *self)
{
  return self->edges;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rule-world.h: SynRuleWorld, a project's assets, cables and edges in memory, indexed the ways rules look them up. */
#pragma once

#include "core/syn-core.h"

G_BEGIN_DECLS

/* The engine holds two: the project as stored (what a run starts from) and
 * the project as the rules derive it from its sources (what it should be).
 * The second shares the first's unchanged objects and copies an object the
 * first time it changes it (syn_rule_world_writable_*), so a run on a
 * project that is up to date copies little. Objects in a world are never
 * changed in place unless the world owns them. */
typedef struct _SynRuleWorld SynRuleWorld;

typedef enum {
  SYN_OUTPUT_ASSET = 'a',
  SYN_OUTPUT_CABLE = 'c',
  SYN_OUTPUT_EDGE = 'e',
} SynOutputKind;

/* What a rule made from one source, as the world knows it. */
typedef struct
{
  SynOutputKind kind;
  char         *id;
} SynOutputRef;

SynRuleWorld *syn_rule_world_new               (void);
void          syn_rule_world_free              (SynRuleWorld  *self);

void          syn_rule_world_add_asset         (SynRuleWorld  *self,
                                                SynAsset      *asset,
                                                gboolean       owned);
void          syn_rule_world_add_cable         (SynRuleWorld  *self,
                                                SynCable      *cable,
                                                gboolean       owned);
void          syn_rule_world_add_edge          (SynRuleWorld  *self,
                                                SynEdge       *edge,
                                                gboolean       owned);
/* Removes one entity (not what touches it): see the engine for cascades. */
void          syn_rule_world_remove_asset      (SynRuleWorld  *self,
                                                const char    *id);
void          syn_rule_world_remove_cable      (SynRuleWorld  *self,
                                                const char    *id);
void          syn_rule_world_remove_edge       (SynRuleWorld  *self,
                                                const char    *id);
/* Replaces the entity with @replacement's id (indexes follow its new tag,
 * type, area, ends, origin); the world owns @replacement. */
void          syn_rule_world_replace_asset     (SynRuleWorld  *self,
                                                SynAsset      *replacement);
void          syn_rule_world_replace_cable     (SynRuleWorld  *self,
                                                SynCable      *replacement);
/* The entity, the world's own copy of it when it was shared: change it,
 * then call syn_rule_world_replace_*() if its tag, type, area, ends or
 * origin changed (properties need nothing). */
SynAsset     *syn_rule_world_writable_asset    (SynRuleWorld  *self,
                                                const char    *id);
SynCable     *syn_rule_world_writable_cable    (SynRuleWorld  *self,
                                                const char    *id);
gboolean      syn_rule_world_owns              (SynRuleWorld  *self,
                                                gpointer       object);

SynAsset     *syn_rule_world_get_asset         (SynRuleWorld  *self,
                                                const char    *id);
SynAsset     *syn_rule_world_get_asset_by_tag  (SynRuleWorld  *self,
                                                const char    *tag);
SynCable     *syn_rule_world_get_cable         (SynRuleWorld  *self,
                                                const char    *id);
SynCable     *syn_rule_world_get_cable_by_tag  (SynRuleWorld  *self,
                                                const char    *tag);
SynEdge      *syn_rule_world_get_edge          (SynRuleWorld  *self,
                                                const char    *id);
SynEdge      *syn_rule_world_find_edge         (SynRuleWorld  *self,
                                                const char    *source_asset_id,
                                                const char    *target_asset_id,
                                                const char    *relation);
/* Borrowed; NULL when none. */
GPtrArray    *syn_rule_world_edges_of          (SynRuleWorld  *self,
                                                const char    *asset_id);
GPtrArray    *syn_rule_world_cables_of         (SynRuleWorld  *self,
                                                const char    *asset_id);
/* The assets of @type in @area, ordered by tag (a new array of borrowed assets). */
GPtrArray    *syn_rule_world_assets_in_area    (SynRuleWorld  *self,
                                                const char    *type,
                                                const char    *area);
/* What the world holds as derived by @rule_id from @source_id (borrowed, NULL when nothing). */
GPtrArray    *syn_rule_world_outputs           (SynRuleWorld  *self,
                                                const char    *rule_id,
                                                const char    *source_id);
/* Every (rule, source) pair with outputs: keys "RULE\x1fSOURCE" (borrowed). */
GHashTable   *syn_rule_world_output_index      (SynRuleWorld  *self);

GHashTable   *syn_rule_world_assets            (SynRuleWorld  *self);
GHashTable   *syn_rule_world_cables            (SynRuleWorld  *self);
GHashTable   *syn_rule_world_edges             (SynRuleWorld  *self);

char         *syn_rule_pair_key                (const char    *rule_id,
                                                const char    *source_id);

G_END_DECLS

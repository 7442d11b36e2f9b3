/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-derivation.h: derivation records: which rule made an entity or a value from which inputs, and what a person holds. */
#pragma once

#include "core/syn-core.h"

G_BEGIN_DECLS

/* An entity's "derivation" member (a JSON object, NULL when empty):
 *
 *   "rule_id", "source_asset_id"  the rule that created the entity (a child
 *                                 asset, a cable, an edge) and the asset it
 *                                 was evaluated on;
 *   "inputs"                      a fingerprint (16 hex digits) of what that
 *                                 rule read: its own definition, the condition's
 *                                 keys, the naming inputs, the sizing inputs;
 *   "keys"                        the property keys the creating rule wrote
 *                                 (assets: inherited and fixed ones);
 *   "values"                      {key: {"rule_id", "inputs", "prior"?}}: the
 *                                 property values SET_PROPERTY rules laid over
 *                                 the asset's own; "prior" is the value beneath
 *                                 (absent when there was none), put back when
 *                                 the rule retracts;
 *   "held"                        sorted field names a person changed after a
 *                                 rule wrote them ("tag", "conductor_size",
 *                                 "properties.KEY"): the rules leave them alone
 *                                 until handed back (asset reset);
 *   "withheld"                    on a source asset: sorted ids of the rules
 *                                 whose output for it a person deleted; they do
 *                                 not make it again until handed back.
 *
 * Functions that change a record take the entity's pointer and drop the
 * record when it becomes empty. */

#define SYN_FIELD_PROPERTY_PREFIX "properties."

const char *syn_derivation_get_rule_id   (JsonObject  *derivation);
const char *syn_derivation_get_source    (JsonObject  *derivation);
const char *syn_derivation_get_inputs    (JsonObject  *derivation);
JsonArray  *syn_derivation_get_keys      (JsonObject  *derivation);
gboolean    syn_derivation_is_held       (JsonObject  *derivation,
                                          const char  *field);
gboolean    syn_derivation_has_holds     (JsonObject  *derivation);
gboolean    syn_derivation_withholds     (JsonObject  *derivation,
                                          const char  *rule_id);
/* The layer of a SET_PROPERTY value on @key, or NULL. */
JsonObject *syn_derivation_get_layer     (JsonObject  *derivation,
                                          const char  *key);
JsonObject *syn_derivation_get_layers    (JsonObject  *derivation);

void        syn_derivation_set_origin    (JsonObject **derivation,
                                          const char  *rule_id,
                                          const char  *source_asset_id,
                                          const char  *inputs,
                                          JsonArray   *keys);
void        syn_derivation_clear_origin  (JsonObject **derivation);
void        syn_derivation_hold          (JsonObject **derivation,
                                          const char  *field);
gboolean    syn_derivation_release       (JsonObject **derivation,
                                          const char  *field);
void        syn_derivation_withhold      (JsonObject **derivation,
                                          const char  *rule_id);
gboolean    syn_derivation_unwithhold    (JsonObject **derivation,
                                          const char  *rule_id);
/* @prior NULL: there was no value beneath. */
void        syn_derivation_set_layer     (JsonObject **derivation,
                                          const char  *key,
                                          const char  *rule_id,
                                          const char  *inputs,
                                          JsonNode    *prior);
void        syn_derivation_remove_layer  (JsonObject **derivation,
                                          const char  *key);

/* Takes the SET_PROPERTY value off @asset's property @key: the value beneath
 * comes back (or the property goes when there was none). */
void        syn_derivation_unlay         (SynAsset    *asset,
                                          const char  *key);
/* Puts back what SET_PROPERTY rules laid over @asset's properties: the
 * asset as it is without them (the layers dropped from its record). */
void        syn_derivation_strip_layers  (SynAsset    *asset);

/* A person's change from @before to @after (a manual edit, an import): every
 * field that a rule wrote and that the change touches becomes held in
 * @after's record, and a SET_PROPERTY layer it touches is dropped (the
 * person's value is now the asset's own). Returns the fields newly held. */
GPtrArray  *syn_derivation_note_manual_change (SynAsset *before,
                                               SynAsset *after);

/* 64-bit FNV-1a over @len bytes, as 16 lowercase hex digits in @out (17 bytes). */
void        syn_fingerprint_hex          (const void  *data,
                                          gsize        len,
                                          char         out[17]);

G_END_DECLS

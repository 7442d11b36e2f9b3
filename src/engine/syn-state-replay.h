/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-state-replay.h: SynStateReplay, a project's state rebuilt from its events alone, and its state hash. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

typedef struct _SynStateReplay SynStateReplay;

SynStateReplay *syn_state_replay_new          (const char      *project_id);
void            syn_state_replay_free         (SynStateReplay  *self);

/* Folds one event (the next by position) into the state. FALSE, with
 * SYN_ENGINE_ERROR_FAILED, when the event cannot follow the ones before it
 * (an update of an entity that does not exist, say); the event is then
 * skipped and folding may go on. */
gboolean        syn_state_replay_apply        (SynStateReplay  *self,
                                               SynEvent        *event,
                                               GError         **error);
/* Folds every event after the last one folded, in position order. Events
 * that cannot be folded are counted (get_n_anomalies) and the first one's
 * message kept; only a store failure returns FALSE. */
gboolean        syn_state_replay_catch_up     (SynStateReplay  *self,
                                               SynStore        *store,
                                               GError         **error);
/* Called with each event before it is folded, as stored (payload not
 * parsed: the fold parses only what it must). */
typedef void (*SynReplayVisit) (SynStateReplay     *self,
                                const SynEventText *event,
                                gpointer            user_data);
/* As catch_up, but only the events up to @position (included); @visit,
 * when given, sees each one first. */
gboolean        syn_state_replay_fold_to      (SynStateReplay  *self,
                                               SynStore        *store,
                                               gint64           position,
                                               SynReplayVisit   visit,
                                               gpointer         user_data,
                                               GError         **error);
/* With TRUE, fold_to() writes a state checkpoint each time the number of
 * events folded reaches a multiple of the interval
 * (syn-state-checkpoint.h), unless an event could not be folded. */
void            syn_state_replay_set_write_checkpoints (SynStateReplay *self,
                                                        gboolean        write);
char           *syn_state_replay_dup_project_id (SynStateReplay *self);
gint64          syn_state_replay_get_position (SynStateReplay  *self);
guint64         syn_state_replay_get_n_events (SynStateReplay  *self);
guint64         syn_state_replay_get_n_anomalies (SynStateReplay *self);
const char     *syn_state_replay_get_first_anomaly (SynStateReplay *self);

/* The entity ids of @aggregate_type (SYN_AGGREGATE_ASSET, _CABLE, _EDGE) in
 * the replayed state, sorted (char *, owned by the array). */
GPtrArray      *syn_state_replay_list_ids     (SynStateReplay  *self,
                                               const char      *aggregate_type);
/* The entities of @aggregate_type in the replayed state (SynAsset, SynCable
 * or SynEdge, new references), in no order. */
GPtrArray      *syn_state_replay_list_entities (SynStateReplay *self,
                                                const char     *aggregate_type);
/* The replayed entity's JSON, as syn_asset_to_json() and friends give it
 * (a new reference); NULL when it does not exist. */
JsonNode       *syn_state_replay_get_entity   (SynStateReplay  *self,
                                               const char      *aggregate_type,
                                               const char      *id);

/* The canonical JSON text of the replayed entity (derivation records
 * included; borrowed, valid until the next fold), NULL when it does not
 * exist: equal texts are equal entities. */
const char     *syn_state_replay_peek_text    (SynStateReplay  *self,
                                               const char      *aggregate_type,
                                               const char      *id);
/* Appends the entities of @aggregate_type as a JSON array of their texts, in
 * the store's order (assets and cables by tag, edges by id): what "as of"
 * answers, without building an object per entity. */
void            syn_state_replay_append_sorted (SynStateReplay *self,
                                                const char     *aggregate_type,
                                                GString        *out);
guint           syn_state_replay_count        (SynStateReplay  *self,
                                               const char      *aggregate_type);

/* What the batch @correlation_id found of the entities it changed, as the
 * replay saw it before the batch's first change of each: a new object of
 * "assets", "cables", "edges", each {id: entity JSON, or null when it did
 * not exist}; NULL when the batch changed no entity. */
JsonObject     *syn_state_replay_get_before   (SynStateReplay  *self,
                                               const char      *correlation_id);

/* Every end of an edge or a cable of the replayed state that is no asset
 * of it ("EDGE id refers to missing asset id", sorted): a healthy project
 * has none after any whole batch. */
GPtrArray      *syn_state_replay_list_dangling (SynStateReplay *self);

/* The state hash of the replayed state, in syn_state_hash_compute()'s exact
 * canonical form: equal to it for a healthy database. */
char           *syn_state_replay_hash         (SynStateReplay  *self);

/* The replayed state as a checkpoint keeps it: canonical JSON
 * {"assets":[...],"cables":[...],"edges":[...]}, each list by id,
 * derivation records included. */
char           *syn_state_replay_serialize    (SynStateReplay  *self);
/* A replay that starts from a checkpoint's state (serialize()'s form) at
 * @position, after @n_events events; NULL when it cannot be read. */
SynStateReplay *syn_state_replay_new_at       (const char      *project_id,
                                               gint64           position,
                                               guint64          n_events,
                                               const char      *state,
                                               GError         **error);

/* Replays every event of the project and returns the hash. An event that
 * cannot be folded, or a dangling reference in the end, fails it
 * (SYN_ENGINE_ERROR_FAILED). */
char           *syn_state_replay_compute      (SynStore        *store,
                                               const char      *project_id,
                                               GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynStateReplay, syn_state_replay_free)

G_END_DECLS

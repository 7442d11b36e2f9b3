/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-batch.h: SynBatch, one batch of changes: entity writes, their events and the snapshot, in one transaction. */
#pragma once

#include "syn-event-store.h"

G_BEGIN_DECLS

#define SYN_TYPE_BATCH (syn_batch_get_type ())

G_DECLARE_FINAL_TYPE (SynBatch, syn_batch, SYN, BATCH, GObject)

SynBatch      *syn_batch_begin             (SynStore     *store,
                                            const char   *project_id,
                                            const char   *user_id,
                                            GError      **error);
const char    *syn_batch_get_correlation_id (SynBatch    *self);
SynEventStore *syn_batch_get_event_store   (SynBatch     *self);
SynStore      *syn_batch_get_store         (SynBatch     *self);
const char    *syn_batch_get_project_id    (SynBatch     *self);
gint64         syn_batch_get_event_count   (SynBatch     *self);
void           syn_batch_set_preview       (SynBatch     *self,
                                            gboolean      preview);
gboolean       syn_batch_get_preview       (SynBatch     *self);
void           syn_batch_set_write_snapshot (SynBatch    *self,
                                            gboolean     write);
void           syn_batch_set_metadata      (SynBatch     *self,
                                            JsonObject   *metadata);

SynEvent      *syn_batch_emit              (SynBatch     *self,
                                            const char   *event_type,
                                            const char   *aggregate_type,
                                            const char   *aggregate_id,
                                            JsonNode     *payload,
                                            const char   *rule_id,
                                            const char   *discipline,
                                            const char   *causation_id,
                                            GError      **error);

/* Entity changes: each writes the entity, records what rollback needs and
 * emits the matching event (returned, a new reference). */
SynEvent      *syn_batch_create_asset      (SynBatch     *self,
                                            SynAsset     *asset,
                                            const char   *rule_id,
                                            const char   *causation_id,
                                            GError      **error);
SynEvent      *syn_batch_update_asset      (SynBatch     *self,
                                            SynAsset     *before,
                                            SynAsset     *after,
                                            const char   *rule_id,
                                            const char   *causation_id,
                                            GError      **error);
SynEvent      *syn_batch_update_asset_noted (SynBatch    *self,
                                            SynAsset     *before,
                                            SynAsset     *after,
                                            const char   *rule_id,
                                            const char   *causation_id,
                                            JsonObject   *note,
                                            GError      **error);
SynEvent      *syn_batch_delete_asset      (SynBatch     *self,
                                            SynAsset     *asset,
                                            const char   *rule_id,
                                            const char   *causation_id,
                                            GError      **error);
SynEvent      *syn_batch_create_cable      (SynBatch     *self,
                                            SynCable     *cable,
                                            const char   *rule_id,
                                            const char   *discipline,
                                            const char   *causation_id,
                                            GError      **error);
SynEvent      *syn_batch_update_cable      (SynBatch     *self,
                                            SynCable     *before,
                                            SynCable     *after,
                                            const char   *rule_id,
                                            const char   *causation_id,
                                            GError      **error);
SynEvent      *syn_batch_delete_cable      (SynBatch     *self,
                                            SynCable     *cable,
                                            const char   *rule_id,
                                            const char   *causation_id,
                                            GError      **error);
SynEvent      *syn_batch_create_edge       (SynBatch     *self,
                                            SynEdge      *edge,
                                            const char   *rule_id,
                                            const char   *discipline,
                                            const char   *causation_id,
                                            GError      **error);
SynEvent      *syn_batch_delete_edge       (SynBatch     *self,
                                            SynEdge      *edge,
                                            const char   *rule_id,
                                            const char   *causation_id,
                                            GError      **error);

SynEvent      *syn_batch_save_rule         (SynBatch     *self,
                                            SynRule      *before,
                                            SynRule      *after,
                                            GError      **error);

JsonNode      *syn_batch_build_snapshot_data (SynBatch   *self);
gboolean       syn_batch_commit            (SynBatch     *self,
                                            GError      **error);
void           syn_batch_abandon           (SynBatch     *self);

JsonObject    *syn_json_diff_objects       (JsonObject   *before,
                                            JsonObject   *after);

G_END_DECLS

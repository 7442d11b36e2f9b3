/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-event-store.h: SynEventStore, the specification's EventStore: batches, emit, queries. */
#pragma once

#include "store/syn-store.h"

G_BEGIN_DECLS

#define SYN_TYPE_EVENT_STORE (syn_event_store_get_type ())

G_DECLARE_FINAL_TYPE (SynEventStore, syn_event_store, SYN, EVENT_STORE, GObject)

SynEventStore *syn_event_store_new                (SynStore            *store,
                                                   const char          *project_id,
                                                   const char          *user_id);
SynStore      *syn_event_store_get_store          (SynEventStore       *self);
const char    *syn_event_store_get_project_id     (SynEventStore       *self);
const char    *syn_event_store_get_user_id        (SynEventStore       *self);
const char    *syn_event_store_start_batch        (SynEventStore       *self,
                                                   GError             **error);
const char    *syn_event_store_get_correlation_id (SynEventStore       *self);
gboolean       syn_event_store_in_batch           (SynEventStore       *self);
gint64         syn_event_store_get_batch_count    (SynEventStore       *self);
SynEvent      *syn_event_store_emit               (SynEventStore       *self,
                                                   const char          *event_type,
                                                   const char          *aggregate_type,
                                                   const char          *aggregate_id,
                                                   JsonNode            *payload,
                                                   const char          *rule_id,
                                                   const char          *discipline,
                                                   const char          *causation_id,
                                                   JsonNode            *metadata,
                                                   GError             **error);
void           syn_event_store_set_discard    (SynEventStore       *self,
                                               gboolean             discard);
gboolean       syn_event_store_flush              (SynEventStore       *self,
                                                   GError             **error);
gboolean       syn_event_store_commit_batch       (SynEventStore       *self,
                                                   GError             **error);
void           syn_event_store_abandon_batch      (SynEventStore       *self);
GPtrArray     *syn_event_store_query              (SynEventStore       *self,
                                                   const SynEventQuery *query,
                                                   guint64             *total,
                                                   GError             **error);
GPtrArray     *syn_event_store_get_by_correlation (SynEventStore       *self,
                                                   const char          *correlation_id,
                                                   GError             **error);
GPtrArray     *syn_event_store_get_asset_history  (SynEventStore       *self,
                                                   const char          *asset_id,
                                                   GError             **error);

G_END_DECLS

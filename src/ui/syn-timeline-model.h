/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-model.h: SynTimelineModel, a GListModel of a project's events, newest first,
 * loaded page by page from the backend as the view asks for them. */
#pragma once

#include <gio/gio.h>

#include "backend/syn-backend.h"
#include "syn-paged-model.h"
#include "syn-timeline-batch.h"
#include "syn-timeline-event.h"

G_BEGIN_DECLS

#define SYN_TYPE_TIMELINE_MODEL (syn_timeline_model_get_type ())

G_DECLARE_FINAL_TYPE (SynTimelineModel, syn_timeline_model, SYN, TIMELINE_MODEL, SynPagedModel)

#define SYN_TIMELINE_MODEL_PAGE_SIZE 100

SynTimelineModel *syn_timeline_model_new          (void);
void              syn_timeline_model_set_backend  (SynTimelineModel *self,
                                                   SynBackend       *backend);
void              syn_timeline_model_set_query    (SynTimelineModel *self,
                                                   JsonObject       *query);
JsonObject       *syn_timeline_model_get_query    (SynTimelineModel *self);
void              syn_timeline_model_reload       (SynTimelineModel *self);
guint64           syn_timeline_model_get_total    (SynTimelineModel *self);
gboolean          syn_timeline_model_get_loading  (SynTimelineModel *self);
const char       *syn_timeline_model_get_error    (SynTimelineModel *self);
guint             syn_timeline_model_get_n_cached_pages (SynTimelineModel *self);
SynTimelineBatch *syn_timeline_model_get_batch    (SynTimelineModel *self,
                                                   const char       *correlation_id);

G_END_DECLS

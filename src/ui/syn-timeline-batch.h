/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-batch.h: SynTimelineBatch, what the timeline says about one batch (its kind, user,
 * time, mode and summary), loaded on demand. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_TIMELINE_BATCH (syn_timeline_batch_get_type ())

G_DECLARE_FINAL_TYPE (SynTimelineBatch, syn_timeline_batch, SYN, TIMELINE_BATCH, GObject)

SynTimelineBatch *syn_timeline_batch_new               (const char       *correlation_id);
const char       *syn_timeline_batch_get_correlation_id (SynTimelineBatch *self);
gboolean          syn_timeline_batch_get_loaded        (SynTimelineBatch *self);
void              syn_timeline_batch_set_events        (SynTimelineBatch *self,
                                                        JsonObject       *newest,
                                                        JsonObject       *oldest,
                                                        gint64            events_count);
const char       *syn_timeline_batch_get_kind          (SynTimelineBatch *self);
const char       *syn_timeline_batch_get_mode          (SynTimelineBatch *self);
const char       *syn_timeline_batch_get_user          (SynTimelineBatch *self);
const char       *syn_timeline_batch_get_time          (SynTimelineBatch *self);
const char       *syn_timeline_batch_get_summary       (SynTimelineBatch *self);
gint64            syn_timeline_batch_get_events_count  (SynTimelineBatch *self);
gboolean          syn_timeline_batch_get_rolled_back   (SynTimelineBatch *self);
gboolean          syn_timeline_batch_get_can_roll_back (SynTimelineBatch *self);
gboolean          syn_timeline_batch_get_can_redo      (SynTimelineBatch *self);

const char *syn_timeline_batch_get_head_hash (SynTimelineBatch *self);
gint64      syn_timeline_batch_get_position  (SynTimelineBatch *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-event.h: SynTimelineEvent, one event of a list (timeline or asset history),
 * a placeholder until its page arrives. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SYN_TYPE_TIMELINE_EVENT (syn_timeline_event_get_type ())

G_DECLARE_FINAL_TYPE (SynTimelineEvent, syn_timeline_event, SYN, TIMELINE_EVENT, GObject)

SynTimelineEvent *syn_timeline_event_new               (guint             index);
SynTimelineEvent *syn_timeline_event_new_for_json      (JsonObject       *event);
guint             syn_timeline_event_get_index         (SynTimelineEvent *self);
gboolean          syn_timeline_event_get_loaded        (SynTimelineEvent *self);
void              syn_timeline_event_set_json          (SynTimelineEvent *self,
                                                        JsonObject       *event);
JsonObject       *syn_timeline_event_get_json          (SynTimelineEvent *self);
const char       *syn_timeline_event_get_string        (SynTimelineEvent *self,
                                                        const char       *member);
const char       *syn_timeline_event_get_correlation_id (SynTimelineEvent *self);
const char       *syn_timeline_event_get_event_type    (SynTimelineEvent *self);
gboolean          syn_timeline_event_get_rolled_back   (SynTimelineEvent *self);
gboolean          syn_timeline_event_get_first_in_batch (SynTimelineEvent *self);
void              syn_timeline_event_set_first_in_batch (SynTimelineEvent *self,
                                                         gboolean          first);

G_END_DECLS

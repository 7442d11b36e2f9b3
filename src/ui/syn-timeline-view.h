/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-view.h: SynTimelineView, the workflow timeline of the current project. */
#pragma once

#include <gtk/gtk.h>

#include "syn-session.h"
#include "syn-timeline-chart.h"
#include "syn-timeline-model.h"

G_BEGIN_DECLS

#define SYN_TYPE_TIMELINE_VIEW (syn_timeline_view_get_type ())

G_DECLARE_FINAL_TYPE (SynTimelineView, syn_timeline_view, SYN, TIMELINE_VIEW, GtkWidget)

SynSession       *syn_timeline_view_get_session   (SynTimelineView *self);
void              syn_timeline_view_set_session   (SynTimelineView *self,
                                                   SynSession      *session);
SynTimelineModel *syn_timeline_view_get_model     (SynTimelineView *self);
SynTimelineChart *syn_timeline_view_get_chart     (SynTimelineView *self);
gboolean          syn_timeline_view_get_busy      (SynTimelineView *self);
void              syn_timeline_view_show_batch    (SynTimelineView *self,
                                                   const char      *correlation_id);
void              syn_timeline_view_focus_search  (SynTimelineView *self);
GtkWidget        *syn_timeline_view_get_list_view (SynTimelineView *self);

G_END_DECLS

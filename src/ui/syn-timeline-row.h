/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-row.h: SynTimelineRow, one event of the timeline, with its batch's header when
 * it opens the batch. */
#pragma once

#include <gtk/gtk.h>

#include "syn-timeline-fold.h"
#include "syn-timeline-model.h"

G_BEGIN_DECLS

#define SYN_TYPE_TIMELINE_ROW (syn_timeline_row_get_type ())

G_DECLARE_FINAL_TYPE (SynTimelineRow, syn_timeline_row, SYN, TIMELINE_ROW, GtkWidget)

GtkWidget *syn_timeline_row_new      (SynTimelineModel *model);
void       syn_timeline_row_set_item (SynTimelineRow   *self,
                                      SynTimelineEvent *item);
SynTimelineEvent *syn_timeline_row_get_item (SynTimelineRow *self);
void       syn_timeline_row_set_fold (SynTimelineRow   *self,
                                      SynTimelineFold  *fold);
void       syn_timeline_row_set_compact (SynTimelineRow *self,
                                         gboolean        compact);
void       syn_timeline_row_set_header_only (SynTimelineRow *self,
                                             gboolean        header_only);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-fold.h: SynTimelineFold, the timeline's events with collapsed batches left out
 * (each keeps its first row, the one with the batch header). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SYN_TYPE_TIMELINE_FOLD (syn_timeline_fold_get_type ())

G_DECLARE_FINAL_TYPE (SynTimelineFold, syn_timeline_fold, SYN, TIMELINE_FOLD, GObject)

SynTimelineFold *syn_timeline_fold_new          (GListModel      *model);
gboolean         syn_timeline_fold_collapse     (SynTimelineFold *self,
                                                 guint            first,
                                                 guint            n_rows);
gboolean         syn_timeline_fold_expand       (SynTimelineFold *self,
                                                 guint            first);
gboolean         syn_timeline_fold_is_collapsed (SynTimelineFold *self,
                                                 guint            first);
guint            syn_timeline_fold_get_n_folds  (SynTimelineFold *self);
void             syn_timeline_fold_expand_all   (SynTimelineFold *self);
guint            syn_timeline_fold_get_shown_position (SynTimelineFold *self,
                                                       guint            index);

G_END_DECLS

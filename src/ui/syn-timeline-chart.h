/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-chart.h: SynTimelineChart, a bar chart of events per hour or per day. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SYN_TYPE_TIMELINE_CHART (syn_timeline_chart_get_type ())

G_DECLARE_FINAL_TYPE (SynTimelineChart, syn_timeline_chart, SYN, TIMELINE_CHART, GtkWidget)

GtkWidget *syn_timeline_chart_new          (void);
void       syn_timeline_chart_set_buckets  (SynTimelineChart *self,
                                            const gint64     *bounds,
                                            const guint64    *counts,
                                            guint             n_buckets,
                                            gboolean          hourly);
void       syn_timeline_chart_clear        (SynTimelineChart *self,
                                            const char       *message);
guint      syn_timeline_chart_get_n_buckets (SynTimelineChart *self);
guint64    syn_timeline_chart_get_count    (SynTimelineChart *self,
                                            guint             index);
void       syn_timeline_chart_set_selected (SynTimelineChart *self,
                                            int               index);
void       syn_timeline_chart_activate_bucket (SynTimelineChart *self,
                                               guint             index);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-chart.h: SynTimelineChart, a bar chart of events per period (minutes to days), with
 * axes, stacked by series (event kind or discipline), on a log scale when bars differ widely. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SYN_TYPE_TIMELINE_CHART (syn_timeline_chart_get_type ())

G_DECLARE_FINAL_TYPE (SynTimelineChart, syn_timeline_chart, SYN, TIMELINE_CHART, GtkWidget)

/* Bars this many times higher than the lowest one switch the scale to log. */
#define SYN_TIMELINE_CHART_LOG_RATIO 50

GtkWidget *syn_timeline_chart_new          (void);
void       syn_timeline_chart_set_buckets  (SynTimelineChart *self,
                                            const gint64     *bounds,
                                            const guint64    *counts,
                                            guint             n_buckets,
                                            gint64            step_usec);
void       syn_timeline_chart_set_series   (SynTimelineChart   *self,
                                            const char * const *names,
                                            const guint64      *counts,
                                            guint               n_series);
void       syn_timeline_chart_clear        (SynTimelineChart *self,
                                            const char       *message);
guint      syn_timeline_chart_get_n_buckets (SynTimelineChart *self);
guint64    syn_timeline_chart_get_count    (SynTimelineChart *self,
                                            guint             index);
gint64     syn_timeline_chart_get_step     (SynTimelineChart *self);
guint      syn_timeline_chart_get_n_series (SynTimelineChart *self);
const char *syn_timeline_chart_get_series_name (SynTimelineChart *self,
                                                guint             series);
guint64    syn_timeline_chart_get_series_count (SynTimelineChart *self,
                                                guint             series,
                                                guint             index);
gboolean   syn_timeline_chart_get_log_scale (SynTimelineChart *self);
void       syn_timeline_chart_set_selected (SynTimelineChart *self,
                                            int               index);
void       syn_timeline_chart_activate_bucket (SynTimelineChart *self,
                                               guint             index);

G_END_DECLS

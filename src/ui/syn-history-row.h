/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-history-row.h: SynHistoryRow, one event of an asset's history with its before/after table. */
#pragma once

#include <gtk/gtk.h>

#include "syn-timeline-event.h"

G_BEGIN_DECLS

#define SYN_TYPE_HISTORY_ROW (syn_history_row_get_type ())

G_DECLARE_FINAL_TYPE (SynHistoryRow, syn_history_row, SYN, HISTORY_ROW, GtkWidget)

GtkWidget *syn_history_row_new           (void);
void       syn_history_row_set_item      (SynHistoryRow    *self,
                                          SynTimelineEvent *item);
guint      syn_history_row_get_n_changed (SynHistoryRow    *self);

G_END_DECLS

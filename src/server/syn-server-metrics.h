/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-metrics.h: SynServerMetrics: the counters of GET /metrics (Prometheus text format). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Requests by route pattern (never the raw path: ids would make a series
 * each) and status, and their latency; under one mutex, so any thread may count. */
typedef struct _SynServerMetrics SynServerMetrics;

SynServerMetrics *syn_server_metrics_new      (void);
void              syn_server_metrics_free     (SynServerMetrics *self);
/* One answered request: @route is the route table's pattern, or NULL for
 * a path no route matches. */
void              syn_server_metrics_request  (SynServerMetrics *self,
                                               const char       *method,
                                               const char       *route,
                                               guint             status,
                                               gint64            duration_usec);
void              syn_server_metrics_execution_started  (SynServerMetrics *self);
void              syn_server_metrics_execution_finished (SynServerMetrics *self);
/* The text of /metrics; @websocket_clients and @events_appended are read
 * where they live (the hub, the store) when scraped. */
char             *syn_server_metrics_render   (SynServerMetrics *self,
                                               guint             websocket_clients,
                                               guint64           events_appended);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynServerMetrics, syn_server_metrics_free)

G_END_DECLS

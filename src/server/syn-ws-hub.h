/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-ws-hub.h: SynWsHub: the WebSocket watchers of executions (replay, then live) and of project event feeds. */
#pragma once

#include <libsoup/soup.h>

#include "backend/syn-local-backend.h"
#include "syn-run-relay.h"

G_BEGIN_DECLS

#define SYN_WS_HUB_DEFAULT_PING_INTERVAL 30     /* seconds of silence before "ping" */
#define SYN_WS_HUB_DEFAULT_FEED_INTERVAL 1000   /* ms: a feed's retry; SQLite's check for other writers */

#define SYN_TYPE_WS_HUB (syn_ws_hub_get_type ())

G_DECLARE_FINAL_TYPE (SynWsHub, syn_ws_hub, SYN, WS_HUB, GObject)

SynWsHub *syn_ws_hub_new                (SynLocalBackend         *backend);
void      syn_ws_hub_watch_execution    (SynWsHub                *self,
                                         SoupWebsocketConnection *connection,
                                         const char              *execution_id,
                                         gboolean                 may_cancel);
void      syn_ws_hub_watch_project      (SynWsHub                *self,
                                         SoupWebsocketConnection *connection,
                                         const char              *project_id,
                                         gint64                   after_position);
void      syn_ws_hub_set_relay          (SynWsHub                *self,
                                         SynRunRelay             *relay);
void      syn_ws_hub_begin_shutdown     (SynWsHub                *self);
void      syn_ws_hub_close_all          (SynWsHub                *self);
guint     syn_ws_hub_get_n_watchers     (SynWsHub                *self);

G_END_DECLS

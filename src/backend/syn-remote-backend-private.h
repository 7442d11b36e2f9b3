/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-remote-backend-private.h: what the SynRemoteBackend source files share: the session and the WebSockets. */
#pragma once

#include <libsoup/soup.h>

#include "syn-remote-backend.h"

G_BEGIN_DECLS

struct _SynRemoteBackend
{
  GObject      parent_instance;

  GUri        *base;          /* scheme://host:port, no path */
  char        *url;
  char        *token;
  char        *username;
  char        *description;
  SoupSession *session;
  GHashTable  *runs;          /* execution id -> RemoteRun (syn-remote-backend-runs.c) */
  GHashTable  *feeds;         /* project id -> RemoteFeed (syn-remote-backend-feed.c) */
};

/* Opens the WebSocket at @path (with its query) as the signed-in user;
 * @callback gets the answer on @context. */
void        _syn_remote_backend_connect_ws (SynRemoteBackend    *self,
                                            const char          *path,
                                            GMainContext        *context,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

/* The calls (syn-remote-backend.c): @inner completes with the answer of
 * @op's route. */
void        _syn_remote_backend_send_call   (SynRemoteBackend    *self,
                                             const char          *op,
                                             JsonObject          *params,
                                             GCancellable        *cancellable,
                                             GTask               *inner);
void        _syn_remote_backend_call_async  (SynBackend          *backend,
                                             const char          *op,
                                             JsonObject          *params,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
JsonNode   *_syn_remote_backend_call_finish (SynBackend          *backend,
                                             GAsyncResult        *result,
                                             GError             **error);

/* syn-remote-backend-runs.c: executions and their WebSockets. */
GHashTable *_syn_remote_runs_new            (void);
void        _syn_remote_backend_execute_async  (SynBackend          *backend,
                                                JsonObject          *request,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonNode   *_syn_remote_backend_execute_finish (SynBackend          *backend,
                                                GAsyncResult        *result,
                                                GError             **error);
gboolean    _syn_remote_backend_cancel_execution (SynBackend        *backend,
                                                  const char        *execution_id);

/* syn-remote-backend-feed.c: ::project-changed from /ws/projects/{id}/events. */
GHashTable *_syn_remote_feeds_new           (void);
void        _syn_remote_backend_watch_project   (SynBackend *backend,
                                                 const char *project_id,
                                                 gint64      after_position);
void        _syn_remote_backend_unwatch_project (SynBackend *backend,
                                                 const char *project_id);

G_END_DECLS

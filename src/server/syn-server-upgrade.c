/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-upgrade.c: SynServer: the WebSocket handshake of an authorized request; the connection then goes to the hub. */
#include "config.h"

#include "syn-server-private.h"

/* ------------------------------------------------------------------------- */
/* WebSocket upgrade                                                         */

typedef struct
{
  SynServer *server;
  gboolean   project;        /* else an execution */
  char      *key;
  gint64     after;
  gboolean   may_cancel;
} UpgradeData;

static void
upgrade_data_free (gpointer data, GClosure *closure)
{
  UpgradeData *ud = data;

  g_object_unref (ud->server);
  g_free (ud->key);
  g_free (ud);
}

/* After the 101 is written: the connection becomes a WebSocket for the hub. */
static void
on_wrote_informational (SoupServerMessage *msg, gpointer data)
{
  UpgradeData *ud = data;
  g_autoptr(SynServer) self = NULL;
  g_autoptr(SoupServerMessage) keep = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *key = NULL;
  g_autofree char *method = NULL;
  gboolean project = ud->project;
  gboolean may_cancel = ud->may_cancel;
  gint64 after = ud->after;
  gint64 started;
  const SynApiRoute *route;   /* static: outlives the message */

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;
  /* stealing may free the message and this handler's data: copy first */
  keep = g_object_ref (msg);
  self = g_object_ref (ud->server);
  key = g_strdup (ud->key);
  uri = g_uri_ref (soup_server_message_get_uri (msg));
  origin = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin"));
  method = g_strdup (soup_server_message_get_method (msg));
  started = _syn_server_message_started (msg);
  route = _syn_server_message_get_route (msg);

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  _syn_server_log_line (self, method, g_uri_get_path (uri), "101", started);
  syn_server_metrics_request (_syn_server_get_metrics (self), method, route ? route->pattern : NULL, 101,
                              started > 0 ? g_get_monotonic_time () - started : 0);
  conn = soup_websocket_connection_new (stream, uri, SOUP_WEBSOCKET_CONNECTION_SERVER, origin, NULL, NULL);
  if (project)
    syn_ws_hub_watch_project (self->hub, conn, key, after);
  else
    syn_ws_hub_watch_execution (self->hub, conn, key, may_cancel);
}

/* Completes the handshake for an authorized request (or answers why not). */
static void
upgrade (SynRequest *req, gboolean project, const char *key, gint64 after)
{
  g_autoptr(GError) error = NULL;
  UpgradeData *ud;

  if (req->gone)
    {
      _syn_server_request_free (req);
      return;
    }
  /* libsoup's own refusal is an HTML page: this one is JSON like every error */
  if (!soup_websocket_server_check_handshake (req->msg, NULL, NULL, NULL, &error))
    {
      _syn_server_reply_status (req, 400, NULL, "Not a WebSocket handshake: %s", error->message);
      return;
    }
  if (!soup_websocket_server_process_handshake (req->msg, NULL, NULL, NULL, NULL))
    {
      /* libsoup set the refusal (400 and the reason) */
      _syn_server_request_finish (req);
      return;
    }
  ud = g_new0 (UpgradeData, 1);
  ud->server = g_object_ref (req->server);
  ud->project = project;
  ud->key = g_strdup (key);
  ud->after = after;
  ud->may_cancel = req->user != NULL && req->user->rank >= SYN_API_ROLE_ENGINEER;
  g_signal_connect_data (req->msg, "wrote-informational", G_CALLBACK (on_wrote_informational), ud,
                         upgrade_data_free, 0);
  _syn_server_request_finish (req);
}

void
_syn_server_upgrade (SynRequest *req, gboolean project, const char *key, gint64 after)
{
  upgrade (req, project, key, after);
}

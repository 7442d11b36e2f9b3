/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-remote-backend-runs.c: SynRemoteBackend: an execution is a POST, then its WebSocket, whose messages
 * come back as ::execution-message (reconnecting, replayed from the start, the seen ones skipped). */
#include "config.h"

#include <string.h>

#include "core/syn-json.h"
#include "core/syn-live-message.h"
#include "syn-api-routes.h"
#include "syn-remote-backend-private.h"

#define RECONNECT_ATTEMPTS 5
#define RECONNECT_DELAY_MS 1000

typedef struct _RemoteRun RemoteRun;

/* ------------------------------------------------------------------------- */
/* Executions                                                                */

struct _RemoteRun
{
  SynRemoteBackend        *backend;   /* weak: the backend owns its runs */
  char                    *execution_id;
  char                    *ws_path;
  SoupWebsocketConnection *conn;
  GCancellable            *cancellable;
  guint                    received;  /* messages passed on: a replay skips them */
  guint                    skip;      /* still to skip of the current replay */
  guint                    attempts;
  GSource                 *retry;
  GMainContext            *context;   /* the caller's, for the messages */
  gboolean                 finished;
  gboolean                 cancel_pending;
};

static void run_connect (RemoteRun *run);

static void
remote_run_free (RemoteRun *run)
{
  g_cancellable_cancel (run->cancellable);
  if (run->retry != NULL)
    g_source_destroy (run->retry);
  g_clear_pointer (&run->retry, g_source_unref);
  g_clear_pointer (&run->context, g_main_context_unref);
  if (run->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (run->conn, run);
      if (soup_websocket_connection_get_state (run->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (run->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&run->conn);
    }
  g_clear_object (&run->cancellable);
  g_free (run->execution_id);
  g_free (run->ws_path);
  g_free (run);
}

static void
run_finish (RemoteRun *run)
{
  /* after the final message the run is of no more use: forget it */
  run->finished = TRUE;
  g_hash_table_remove (run->backend->runs, run->execution_id);
}

static void
run_emit (RemoteRun *run, JsonNode *message)
{
  g_autoptr(SynRemoteBackend) self = g_object_ref (run->backend);
  g_autofree char *execution_id = g_strdup (run->execution_id);
  gboolean final = syn_backend_message_is_final (message);

  run->received++;
  if (final)
    run_finish (run);
  g_signal_emit_by_name (self, "execution-message", execution_id, message);
}

/* The connection is lost for good: the run ends, for this client, with an
 * ERROR that is not recoverable (the execution itself may still go on). */
static void
run_give_up (RemoteRun *run, const char *why)
{
  g_autofree char *text = g_strdup_printf ("Lost the live messages of execution %s from %s: %s",
                                           run->execution_id, run->backend->url, why);
  g_autoptr(JsonNode) node = syn_json_node_new_object (syn_live_message_error (NULL, NULL, text, FALSE, NULL));

  run_emit (run, node);
}

static gboolean
on_retry (gpointer data)
{
  RemoteRun *run = data;

  g_clear_pointer (&run->retry, g_source_unref);
  run_connect (run);
  return G_SOURCE_REMOVE;
}

static void
run_retry (RemoteRun *run, const char *why)
{
  if (run->attempts >= RECONNECT_ATTEMPTS)
    {
      run_give_up (run, why);
      return;
    }
  run->retry = g_timeout_source_new (RECONNECT_DELAY_MS);
  g_source_set_callback (run->retry, on_retry, run, NULL);
  g_source_set_static_name (run->retry, "[synapse] reconnect");
  g_source_attach (run->retry, run->context);
}

static void
on_ws_message (SoupWebsocketConnection *conn, int type, GBytes *bytes, gpointer data)
{
  RemoteRun *run = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(JsonNode) node = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || text == NULL || run->finished)
    return;
  /* the keepalive's words are not messages of the run */
  if ((len == 4 && (memcmp (text, "ping", 4) == 0 || memcmp (text, "pong", 4) == 0)))
    return;
  node = syn_json_parse (text, (gssize) len, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_warning ("Execution %s: a message that is not a JSON object", run->execution_id);
      return;
    }
  /* a replay after reconnecting starts from the first message again */
  if (run->skip > 0)
    {
      run->skip--;
      return;
    }
  run_emit (run, node);
}

static void
on_ws_closed (SoupWebsocketConnection *conn, gpointer data)
{
  RemoteRun *run = data;
  g_autofree char *why = g_strdup_printf ("closed (%u)", soup_websocket_connection_get_close_code (conn));

  g_signal_handlers_disconnect_by_data (conn, run);
  g_clear_object (&run->conn);
  if (!run->finished)
    run_retry (run, why);
}

static void
on_ws_connected (GObject *object, GAsyncResult *result, gpointer data)
{
  RemoteRun *run = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);

  if (conn == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      run_retry (run, error->message);
      return;
    }
  run->conn = conn;
  run->skip = run->received;
  g_signal_connect (conn, "message", G_CALLBACK (on_ws_message), run);
  g_signal_connect (conn, "closed", G_CALLBACK (on_ws_closed), run);
  if (run->cancel_pending)
    {
      run->cancel_pending = FALSE;
      soup_websocket_connection_send_text (conn, "cancel");
    }
}


static void
run_connect (RemoteRun *run)
{
  run->attempts++;
  _syn_remote_backend_connect_ws (run->backend, run->ws_path, run->context, run->cancellable, on_ws_connected, run);
}

static void
on_execute_sent (GObject *object, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SynRemoteBackend *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = _syn_remote_backend_call_finish (SYN_BACKEND (self), result, &error);
  JsonObject *a;
  const char *execution_id, *ws_url;
  RemoteRun *run;

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  a = json_node_get_object (answer);
  execution_id = syn_json_get_string (a, "execution_id");
  ws_url = syn_json_get_string (a, "ws_url");
  if (execution_id == NULL || ws_url == NULL)
    {
      g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED,
                               "The server's answer names no execution to watch");
      return;
    }
  /* the server replays the whole run to a late watcher: nothing is missed
   * between this answer and the connection */
  run = g_new0 (RemoteRun, 1);
  run->backend = self;
  run->execution_id = g_strdup (execution_id);
  run->ws_path = g_strdup (ws_url);
  run->cancellable = g_cancellable_new ();
  run->context = g_main_context_ref_thread_default ();
  g_hash_table_replace (self->runs, run->execution_id, run);
  run_connect (run);
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) json_node_unref);
}

void
_syn_remote_backend_execute_async (SynBackend          *backend,
                                   JsonObject          *request,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  SynRemoteBackend *self = SYN_REMOTE_BACKEND (backend);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GTask *inner;

  g_task_set_source_tag (task, _syn_remote_backend_execute_async);
  /* the POST is a call like any other; its answer opens the WebSocket */
  inner = g_task_new (self, cancellable, on_execute_sent, g_steal_pointer (&task));
  g_task_set_source_tag (inner, _syn_remote_backend_call_async);
  _syn_remote_backend_send_call (self, SYN_OP_EXECUTE, request, cancellable, inner);
}

JsonNode *
_syn_remote_backend_execute_finish (SynBackend *backend, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* "cancel" on the run's WebSocket, as any watcher may send it. */
gboolean
_syn_remote_backend_cancel_execution (SynBackend *backend, const char *execution_id)
{
  SynRemoteBackend *self = SYN_REMOTE_BACKEND (backend);
  RemoteRun *run = g_hash_table_lookup (self->runs, execution_id);

  if (run == NULL || run->finished)
    return FALSE;
  if (run->conn != NULL && soup_websocket_connection_get_state (run->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (run->conn, "cancel");
  else
    run->cancel_pending = TRUE;
  return TRUE;
}

GHashTable *
_syn_remote_runs_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) remote_run_free);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-remote-backend-feed.c: SynRemoteBackend: ::project-changed from the server's project feed
 * (/ws/projects/{id}/events), reconnecting and catching up from the last position seen. */
#include "config.h"

#include <string.h>

#include "core/syn-json.h"
#include "syn-api-routes.h"
#include "syn-remote-backend-private.h"

#define RETRY_FIRST_MS   1000
#define RETRY_MAX_MS     30000
/* Events come one message each: those close together are told once. */
#define COALESCE_MS      50

typedef struct
{
  SynRemoteBackend        *backend;    /* weak: the backend owns its feeds */
  char                    *project_id;
  guint                    refs;
  gint64                   position;   /* the newest event seen; -1 before the first look */
  gint64                   first_new;  /* of the change not told yet; 0: none */
  SoupWebsocketConnection *conn;
  GCancellable            *cancellable;
  GMainContext            *context;
  GSource                 *retry;
  GSource                 *tell;
  guint                    delay_ms;
} RemoteFeed;

static void feed_start (RemoteFeed *feed);

static void
cancel_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static GSource *
feed_timeout (RemoteFeed *feed, guint ms, GSourceFunc func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, feed, NULL);
  g_source_set_static_name (source, "[synapse] project feed");
  g_source_attach (source, feed->context);
  return source;
}

static void
feed_close (RemoteFeed *feed)
{
  if (feed->conn == NULL)
    return;
  g_signal_handlers_disconnect_by_data (feed->conn, feed);
  if (soup_websocket_connection_get_state (feed->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (feed->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&feed->conn);
}

static void
feed_free (RemoteFeed *feed)
{
  g_cancellable_cancel (feed->cancellable);
  cancel_source (&feed->retry);
  cancel_source (&feed->tell);
  feed_close (feed);
  g_clear_object (&feed->cancellable);
  g_clear_pointer (&feed->context, g_main_context_unref);
  g_free (feed->project_id);
  g_free (feed);
}

GHashTable *
_syn_remote_feeds_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) feed_free);
}

static gboolean
on_retry (gpointer data)
{
  RemoteFeed *feed = data;

  g_clear_pointer (&feed->retry, g_source_unref);
  feed_start (feed);
  return G_SOURCE_REMOVE;
}

/* Lost or refused: again later, less often each time (the server may be
 * restarting); what came meanwhile is caught up from the position seen. */
static void
feed_retry (RemoteFeed *feed, const char *why)
{
  feed_close (feed);
  if (feed->retry != NULL)
    return;
  g_debug ("Project feed of %s: %s; again in %u ms", feed->project_id, why, feed->delay_ms);
  feed->retry = feed_timeout (feed, feed->delay_ms, on_retry);
  feed->delay_ms = MIN (feed->delay_ms * 2, RETRY_MAX_MS);
}

static gboolean
on_tell (gpointer data)
{
  RemoteFeed *feed = data;
  g_autoptr(SynRemoteBackend) self = g_object_ref (feed->backend);
  g_autofree char *project_id = g_strdup (feed->project_id);
  gint64 first = feed->first_new;
  gint64 last = feed->position;

  g_clear_pointer (&feed->tell, g_source_unref);
  feed->first_new = 0;
  g_signal_emit_by_name (self, "project-changed", project_id, first, last);
  return G_SOURCE_REMOVE;
}

static void
on_feed_message (SoupWebsocketConnection *conn, int type, GBytes *bytes, gpointer data)
{
  RemoteFeed *feed = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *m, *event;
  gint64 position;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || text == NULL)
    return;
  if (len == 4 && (memcmp (text, "ping", 4) == 0 || memcmp (text, "pong", 4) == 0))
    return;
  node = syn_json_parse (text, (gssize) len, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  m = json_node_get_object (node);
  if (g_strcmp0 (syn_json_get_string (m, "type"), "EVENT") != 0)
    return;
  /* an event too large to send whole comes without its payload: the
   * position is all a change needs */
  event = json_object_get_object_member (m, "event");
  position = event ? json_object_get_int_member_with_default (event, "position", 0) : 0;
  if (position <= feed->position)
    return;
  if (feed->first_new == 0)
    feed->first_new = position;
  feed->position = position;
  feed->delay_ms = RETRY_FIRST_MS;
  if (feed->tell == NULL)
    feed->tell = feed_timeout (feed, COALESCE_MS, on_tell);
}

static void
on_feed_closed (SoupWebsocketConnection *conn, gpointer data)
{
  RemoteFeed *feed = data;
  g_autofree char *why = g_strdup_printf ("closed (%u)", soup_websocket_connection_get_close_code (conn));

  feed_retry (feed, why);
}

static void
on_feed_connected (GObject *object, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  RemoteFeed *feed = data;

  if (conn == NULL)
    {
      /* the feed was dropped meanwhile (unwatched, or the backend went) */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      feed_retry (feed, error->message);
      return;
    }
  feed->conn = conn;
  g_signal_connect (conn, "message", G_CALLBACK (on_feed_message), feed);
  g_signal_connect (conn, "closed", G_CALLBACK (on_feed_closed), feed);
}

static void
on_head (GObject *object, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  RemoteFeed *feed = data;
  JsonArray *events;

  if (answer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      feed_retry (feed, error->message);
      return;
    }
  events = json_object_get_array_member (json_node_get_object (answer), "events");
  feed->position = events && json_array_get_length (events) > 0
                   ? json_object_get_int_member_with_default (json_array_get_object_element (events, 0), "position", 0)
                   : 0;
  feed_start (feed);
}

/* The newest position first (a feed from 0 would send the whole history),
 * then the feed from there: from then on, every event comes. */
static void
feed_start (RemoteFeed *feed)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(SynApiRequest) request = NULL;
  g_autofree char *target = NULL;

  if (feed->position < 0)
    {
      json_object_set_string_member (params, "project_id", feed->project_id);
      json_object_set_boolean_member (params, "include_rolled_back", TRUE);
      json_object_set_int_member (params, "limit", 1);
      g_main_context_push_thread_default (feed->context);
      syn_backend_call_async (SYN_BACKEND (feed->backend), SYN_OP_TIMELINE, params, feed->cancellable, on_head, feed);
      g_main_context_pop_thread_default (feed->context);
      return;
    }
  json_object_set_string_member (params, "project_id", feed->project_id);
  json_object_set_int_member (params, "after", feed->position);
  request = syn_api_request_new (syn_api_route_for_op (SYN_OP_WATCH_PROJECT, params), params, NULL);
  g_assert (request != NULL);
  target = g_strconcat (request->path, "?", request->query, NULL);
  _syn_remote_backend_connect_ws (feed->backend, target, feed->context, feed->cancellable, on_feed_connected, feed);
}

void
_syn_remote_backend_watch_project (SynBackend *backend, const char *project_id, gint64 after_position)
{
  SynRemoteBackend *self = SYN_REMOTE_BACKEND (backend);
  RemoteFeed *feed = g_hash_table_lookup (self->feeds, project_id);

  if (feed != NULL)
    {
      feed->refs++;
      return;
    }
  feed = g_new0 (RemoteFeed, 1);
  feed->backend = self;
  feed->project_id = g_strdup (project_id);
  feed->refs = 1;
  feed->position = MAX (after_position, -1);
  feed->cancellable = g_cancellable_new ();
  feed->context = g_main_context_ref_thread_default ();
  feed->delay_ms = RETRY_FIRST_MS;
  g_hash_table_insert (self->feeds, feed->project_id, feed);
  feed_start (feed);
}

void
_syn_remote_backend_unwatch_project (SynBackend *backend, const char *project_id)
{
  SynRemoteBackend *self = SYN_REMOTE_BACKEND (backend);
  RemoteFeed *feed = g_hash_table_lookup (self->feeds, project_id);

  if (feed != NULL && --feed->refs == 0)
    g_hash_table_remove (self->feeds, project_id);
}

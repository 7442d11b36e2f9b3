/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-ws-hub.c: SynWsHub: execution watchers (replay of the run so far, then live, cancel, keepalive)
 * and project event feeds (catch-up from a position, then live). */
#include "config.h"

#include <string.h>

#include "core/syn-core.h"
#include "syn-run-relay.h"
#include "syn-ws-hub.h"

#define FEED_PAGE 500
/* libsoup refuses incoming messages over 128 KiB by default (and closes):
 * an event whose message would be larger than this goes without its
 * payload, and with where to read it. */
#define MAX_EVENT_MESSAGE (64 * 1024)

typedef enum {
  WATCH_EXECUTION,
  WATCH_PROJECT,
} WatchKind;

typedef struct _Feed Feed;
typedef struct _Remote Remote;

typedef struct
{
  SynWsHub                *hub;          /* weak: the hub outlives its watchers */
  SoupWebsocketConnection *conn;
  WatchKind                kind;
  char                    *key;          /* execution id or project id */
  gboolean                 may_cancel;
  gboolean                 live;         /* replay done: receives live messages */
  gboolean                 remote;       /* a run of another server, from the relay */
  gint64                   cursor;       /* project feed: last position sent; remote run: last seq sent */
  gint64                   last_sent;    /* monotonic */
  GSource                 *ping;
  gulong                   message_id;
  gulong                   closed_id;
} Watcher;

struct _Feed
{
  SynWsHub  *hub;
  char      *project_id;
  GPtrArray *watchers;   /* Watcher, not owned */
  GSource   *timer;
  gboolean   in_flight;
  gboolean   again;      /* woken while a poll was in flight */
};

/* A run of another server with watchers here: read from the relay from
 * the cursor of the watcher furthest behind, one read at a time. */
struct _Remote
{
  SynWsHub  *hub;
  char      *execution_id;
  GPtrArray *watchers;   /* Watcher, not owned */
  GSource   *timer;      /* a retry after a failed read */
  gboolean   in_flight;
  gboolean   again;
};

struct _SynWsHub
{
  GObject          parent_instance;

  SynLocalBackend *backend;
  gulong           message_handler;
  gulong           changed_handler;
  GHashTable      *executions;   /* execution id -> GPtrArray of live Watcher (not owned) */
  GHashTable      *feeds;        /* project id -> Feed */
  GHashTable      *remotes;      /* execution id -> Remote: runs of other servers */
  SynRunRelay     *relay;        /* PostgreSQL: runs of every server; NULL on SQLite */
  GHashTable      *watchers;     /* Watcher set (owned) */
  GCancellable    *cancellable;
  GMainContext    *context;      /* where the server runs: timers go there */
  guint            ping_interval;
  guint            feed_interval;  /* ms before a feed whose read failed tries again */
  gboolean         going_away;     /* the server is shutting down: closes say 1001 */
};

enum {
  PROP_0,
  PROP_BACKEND,
  PROP_PING_INTERVAL,
  PROP_FEED_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SynWsHub, syn_ws_hub, G_TYPE_OBJECT)

static void feed_poll (Feed *feed);
static void remote_read (Remote *remote);
static void watch_record (SynWsHub *self, Watcher *w);

/* A one-shot timer on the hub's context (not necessarily the global one). */
static GSource *
hub_timeout (SynWsHub *self, guint ms, GSourceFunc func, gpointer data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[synapse] WebSocket hub");
  g_source_attach (source, self->context);
  return source;
}

static void
cancel_timeout (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* ------------------------------------------------------------------------- */
/* Watchers                                                                  */

static gboolean
watcher_is_open (Watcher *w)
{
  return soup_websocket_connection_get_state (w->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
watcher_send (Watcher *w, const char *text)
{
  if (!watcher_is_open (w))
    return;
  soup_websocket_connection_send_text (w->conn, text);
  w->last_sent = g_get_monotonic_time ();
}

static void
watcher_send_bytes (Watcher *w, GBytes *text)
{
  if (!watcher_is_open (w))
    return;
  soup_websocket_connection_send_message (w->conn, SOUP_WEBSOCKET_DATA_TEXT, text);
  w->last_sent = g_get_monotonic_time ();
}

static void
watcher_close (Watcher *w, gushort code, const char *reason)
{
  if (watcher_is_open (w))
    soup_websocket_connection_close (w->conn, code, reason);
}

/* "ping" after ping_interval seconds without anything sent; re-armed for
 * the rest of the interval when something went out meanwhile. */
static gboolean
on_ping_timer (gpointer data)
{
  Watcher *w = data;
  gint64 interval = (gint64) w->hub->ping_interval * G_USEC_PER_SEC;
  gint64 silent = g_get_monotonic_time () - w->last_sent;
  gint64 next_ms;

  g_clear_pointer (&w->ping, g_source_unref);
  if (!watcher_is_open (w))
    return G_SOURCE_REMOVE;
  if (silent >= interval)
    {
      watcher_send (w, "ping");
      next_ms = interval / 1000;
    }
  else
    next_ms = (interval - silent) / 1000;
  w->ping = hub_timeout (w->hub, (guint) MAX (next_ms, 1), on_ping_timer, w);
  return G_SOURCE_REMOVE;
}

static void
detach_from_lists (Watcher *w)
{
  SynWsHub *self = w->hub;

  if (w->kind == WATCH_EXECUTION && w->remote)
    {
      Remote *remote = g_hash_table_lookup (self->remotes, w->key);

      if (remote != NULL)
        {
          g_ptr_array_remove (remote->watchers, w);
          /* a read in flight finds the run gone from the table and frees it */
          if (remote->watchers->len == 0 && !remote->in_flight)
            g_hash_table_remove (self->remotes, w->key);
          else if (remote->watchers->len == 0)
            g_hash_table_steal (self->remotes, w->key);
        }
    }
  else if (w->kind == WATCH_EXECUTION)
    {
      GPtrArray *live = g_hash_table_lookup (self->executions, w->key);

      if (live != NULL)
        {
          g_ptr_array_remove (live, w);
          if (live->len == 0)
            g_hash_table_remove (self->executions, w->key);
        }
    }
  else
    {
      Feed *feed = g_hash_table_lookup (self->feeds, w->key);

      if (feed != NULL)
        {
          g_ptr_array_remove (feed->watchers, w);
          if (feed->watchers->len == 0)
            syn_backend_unwatch_project (SYN_BACKEND (self->backend), w->key);
          /* a poll in flight finds the feed gone from the table and frees it */
          if (feed->watchers->len == 0 && !feed->in_flight)
            g_hash_table_remove (self->feeds, w->key);
          else if (feed->watchers->len == 0)
            g_hash_table_steal (self->feeds, w->key);
        }
    }
}

static void
watcher_free (Watcher *w)
{
  cancel_timeout (&w->ping);
  g_clear_signal_handler (&w->message_id, w->conn);
  g_clear_signal_handler (&w->closed_id, w->conn);
  g_clear_object (&w->conn);
  g_free (w->key);
  g_free (w);
}

static void
on_closed (SoupWebsocketConnection *conn, gpointer data)
{
  Watcher *w = data;

  detach_from_lists (w);
  g_hash_table_remove (w->hub->watchers, w);
}

static void
send_error (Watcher *w, const char *message, gboolean recoverable)
{
  g_autoptr(JsonNode) node = syn_json_node_new_object (syn_live_message_error (NULL, NULL, message, recoverable, NULL));
  g_autofree char *text = syn_json_to_string (node);

  watcher_send (w, text);
}

typedef struct
{
  SynWsHub *hub;
  Watcher  *watcher;   /* checked against hub->watchers: it may close meanwhile */
} WatcherRef;

static WatcherRef *
watcher_ref_new (Watcher *w)
{
  WatcherRef *ref = g_new0 (WatcherRef, 1);

  ref->hub = g_object_ref (w->hub);
  ref->watcher = w;
  return ref;
}

/* The watcher, if it is still there once an answer came; frees @ref. */
static Watcher *
watcher_ref_take (WatcherRef *ref, SynWsHub **hub)
{
  Watcher *w = ref->watcher;

  *hub = ref->hub;
  g_free (ref);
  /* the hub was shut down, or the watcher left, meanwhile */
  if ((*hub)->watchers == NULL || !g_hash_table_contains ((*hub)->watchers, w))
    return NULL;
  return w;
}

static void
on_cancelled_elsewhere (GObject *object, GAsyncResult *result, gpointer data)
{
  g_autoptr(SynWsHub) self = NULL;
  Watcher *w = watcher_ref_take (data, &self);
  g_autoptr(GError) error = NULL;
  gboolean found = syn_run_relay_cancel_finish (result, &error);

  if (w == NULL)
    return;
  if (error != NULL)
    send_error (w, error->message, TRUE);
  else if (!found)
    send_error (w, "The execution is not running", TRUE);
}

/* A run of another server: its server is asked through the database; the
 * CANCELLED message reaches every watcher as the run's others do. */
static void
cancel_elsewhere (Watcher *w)
{
  syn_run_relay_cancel_async (w->hub->relay, w->key, on_cancelled_elsewhere, watcher_ref_new (w));
}

/* The client speaks text: "ping" (answered "pong") and "cancel". */
static void
on_message (SoupWebsocketConnection *conn, int type, GBytes *bytes, gpointer data)
{
  Watcher *w = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autofree char *word = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || text == NULL)
    return;
  word = g_strstrip (g_strndup (text, len));
  if (g_strcmp0 (word, "ping") == 0)
    watcher_send (w, "pong");
  else if (g_strcmp0 (word, "cancel") == 0 && w->kind == WATCH_EXECUTION)
    {
      if (!w->may_cancel)
        send_error (w, "Only engineers and admins can cancel an execution", TRUE);
      else if (syn_backend_cancel_execution (SYN_BACKEND (w->hub->backend), w->key))
        ;
      else if (w->hub->relay != NULL)
        cancel_elsewhere (w);
      else
        send_error (w, "The execution is not running", TRUE);
    }
}

static Watcher *
watcher_new (SynWsHub *self, SoupWebsocketConnection *conn, WatchKind kind, const char *key)
{
  Watcher *w = g_new0 (Watcher, 1);

  w->hub = self;
  w->conn = g_object_ref (conn);
  w->kind = kind;
  w->key = g_strdup (key);
  w->last_sent = g_get_monotonic_time ();
  w->message_id = g_signal_connect (conn, "message", G_CALLBACK (on_message), w);
  w->closed_id = g_signal_connect (conn, "closed", G_CALLBACK (on_closed), w);
  if (self->ping_interval > 0)
    w->ping = hub_timeout (self, (guint) MIN ((guint64) self->ping_interval * 1000, G_MAXUINT), on_ping_timer, w);
  g_hash_table_add (self->watchers, w);
  return w;
}

/* ------------------------------------------------------------------------- */
/* Executions                                                                */

/* Live: every message to every watcher of the run, serialised once. */
static void
on_execution_message (SynBackend *backend, const char *execution_id, JsonNode *message, gpointer data)
{
  SynWsHub *self = data;
  GPtrArray *live = g_hash_table_lookup (self->executions, execution_id);
  gboolean final;
  g_autofree char *text = NULL;

  if (live == NULL)
    return;
  final = syn_backend_message_is_final (message);
  text = syn_json_to_string (message);
  /* closing may call on_closed, which edits @live: walk a copy */
  {
    g_autoptr(GPtrArray) copy = g_ptr_array_copy (live, NULL, NULL);

    for (guint i = 0; i < copy->len; i++)
      {
        Watcher *w = g_ptr_array_index (copy, i);

        watcher_send (w, text);
        /* a run cancelled by the shutdown: its end, then the server's going away */
        if (final && self->going_away)
          watcher_close (w, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
        else if (final)
          watcher_close (w, SOUP_WEBSOCKET_CLOSE_NORMAL, "execution finished");
      }
  }
}

/* A run this process no longer holds (or never ran): its outcome from the
 * store, as the final message it ended with. */
static JsonNode *
final_message_from_record (JsonObject *x)
{
  const char *status = syn_json_get_string (x, "status");
  JsonObject *m;

  /* "up_to_date": a run that found nothing to do (no batch, no correlation id) */
  if (g_strcmp0 (status, "completed") == 0 || g_strcmp0 (status, "preview") == 0 ||
      g_strcmp0 (status, "up_to_date") == 0)
    {
      gint64 started = 0, finished = 0;
      const char *s = syn_json_get_string (x, "started_at");
      const char *f = syn_json_get_string (x, "finished_at");
      JsonNode *summary = json_object_get_member (x, "summary");

      if (s != NULL && f != NULL)
        {
          syn_time_parse_iso8601 (s, FALSE, &started, NULL);
          syn_time_parse_iso8601 (f, FALSE, &finished, NULL);
        }
      m = json_object_new ();
      json_object_set_string_member (m, "type", "COMPLETED");
      json_object_set_string_member (m, "execution_id", syn_json_get_string (x, "execution_id"));
      syn_json_set_string_or_null (m, "correlation_id", syn_json_get_string (x, "correlation_id"));
      json_object_set_int_member (m, "duration_ms", MAX (finished - started, 0) / 1000);
      json_object_set_member (m, "summary", summary ? syn_json_node_deep_copy (summary) : json_node_new (JSON_NODE_NULL));
      if (g_strcmp0 (status, "up_to_date") == 0)
        json_object_set_string_member (m, "status", status);
    }
  else
    {
      const char *error = syn_json_get_string (x, "error");
      g_autofree char *text = NULL;

      if (g_strcmp0 (status, "cancelled") == 0)
        text = g_strdup ("The execution was cancelled: nothing of it was committed");
      else if (g_strcmp0 (status, "failed") == 0)
        text = g_strdup_printf ("The execution failed: %s", error ? error : "unknown error");
      else
        text = g_strdup_printf ("The execution is %s in another server process: watch it there",
                                status ? status : "unknown");
      m = syn_live_message_error (NULL, NULL, text, FALSE, NULL);
      /* as the engine's own last message says it */
      if (g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "failed") == 0)
        json_object_set_string_member (m, "status", status);
    }
  return syn_json_node_new_object (m);
}

static void
on_execution_record (GObject *object, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autoptr(SynWsHub) self = NULL;
  Watcher *w = watcher_ref_take (data, &self);

  if (w == NULL)
    return;
  if (answer == NULL)
    {
      send_error (w, error->message, FALSE);
      watcher_close (w, SOUP_WEBSOCKET_CLOSE_NORMAL, "no such execution");
      return;
    }
  {
    g_autoptr(JsonNode) final = final_message_from_record (json_node_get_object (answer));
    g_autofree char *text = syn_json_to_string (final);

    watcher_send (w, text);
    watcher_close (w, SOUP_WEBSOCKET_CLOSE_NORMAL, "execution finished");
  }
}

/* The run's outcome from its record, for a run no server has messages of. */
static void
watch_record (SynWsHub *self, Watcher *w)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_string_member (params, "execution_id", w->key);
  syn_backend_call_async (SYN_BACKEND (self->backend), SYN_OP_GET_EXECUTION, params,
                          self->cancellable, on_execution_record, watcher_ref_new (w));
}

/* ------------------------------------------------------------------------- */
/* Runs of other servers                                                     */

static void
remote_free (Remote *remote)
{
  cancel_timeout (&remote->timer);
  g_ptr_array_unref (remote->watchers);
  g_free (remote->execution_id);
  g_free (remote);
}

typedef struct
{
  SynWsHub *hub;
  Remote   *remote;
  gint64    after;    /* the page holds the messages after this seq */
} RemoteRead;

static gboolean
on_remote_timer (gpointer data)
{
  Remote *remote = data;

  g_clear_pointer (&remote->timer, g_source_unref);
  remote_read (remote);
  return G_SOURCE_REMOVE;
}

/* Each watcher takes the message that follows its cursor, so one that
 * joined later (cursor 0) gets the replay and the others no duplicate. */
static void
remote_deliver (Remote *remote, gint64 seq, const char *text)
{
  g_autoptr(JsonNode) message = syn_json_parse (text, -1, NULL);
  gboolean final = syn_backend_message_is_final (message);
  g_autoptr(GPtrArray) copy = g_ptr_array_copy (remote->watchers, NULL, NULL);

  /* closing calls on_closed, which edits remote->watchers: walk a copy */
  for (guint i = 0; i < copy->len; i++)
    {
      Watcher *w = g_ptr_array_index (copy, i);

      if (w->cursor != seq - 1)
        continue;
      watcher_send (w, text);
      w->cursor = seq;
      if (final)
        watcher_close (w, remote->hub->going_away ? SOUP_WEBSOCKET_CLOSE_GOING_AWAY : SOUP_WEBSOCKET_CLOSE_NORMAL,
                       "execution finished");
    }
}

static void
on_remote_page (GObject *object, GAsyncResult *result, gpointer data)
{
  RemoteRead *rr = data;
  g_autoptr(SynWsHub) self = rr->hub;
  Remote *remote = rr->remote;
  gint64 after = rr->after;
  gboolean behind = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = syn_run_relay_read_finish (result, &error);
  JsonObject *o;
  JsonArray *messages;
  guint n;

  g_free (rr);
  remote->in_flight = FALSE;
  /* every watcher left while the read was out, or the hub was shut down */
  if (self->remotes == NULL || g_hash_table_lookup (self->remotes, remote->execution_id) != remote)
    {
      remote_free (remote);
      return;
    }
  if (page == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Messages of execution %s: %s", remote->execution_id, error->message);
      if (remote->timer == NULL)
        remote->timer = hub_timeout (self, self->feed_interval, on_remote_timer, remote);
      return;
    }
  o = json_node_get_object (page);
  /* no server published it: an old run, or none; its record says */
  if (!json_object_get_boolean_member (o, "known"))
    {
      g_autoptr(GPtrArray) copy = g_ptr_array_copy (remote->watchers, NULL, NULL);

      g_hash_table_remove (self->remotes, remote->execution_id);
      for (guint i = 0; i < copy->len; i++)
        {
          Watcher *w = g_ptr_array_index (copy, i);

          w->remote = FALSE;
          watch_record (self, w);
        }
      return;
    }
  messages = json_object_get_array_member (o, "messages");
  n = json_array_get_length (messages);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);

      remote_deliver (remote, json_object_get_int_member (m, "seq"), syn_json_get_string (m, "text"));
    }
  /* the last delivery may have closed the last watcher */
  if (g_hash_table_lookup (self->remotes, remote->execution_id) != remote)
    return;
  /* a watcher that joined while the read was out needs an earlier page */
  for (guint i = 0; i < remote->watchers->len; i++)
    behind |= ((Watcher *) g_ptr_array_index (remote->watchers, i))->cursor < after;
  if (n == SYN_RUN_RELAY_PAGE || remote->again || behind)
    {
      remote->again = FALSE;
      remote_read (remote);
    }
  /* ended without a final message (it failed before it started) */
  else if (json_object_get_boolean_member (o, "finished"))
    {
      g_autoptr(GPtrArray) copy = g_ptr_array_copy (remote->watchers, NULL, NULL);

      for (guint i = 0; i < copy->len; i++)
        {
          send_error (g_ptr_array_index (copy, i), "The execution ended", FALSE);
          watcher_close (g_ptr_array_index (copy, i), SOUP_WEBSOCKET_CLOSE_NORMAL, "execution finished");
        }
    }
}

static void
remote_read (Remote *remote)
{
  SynWsHub *self = remote->hub;
  RemoteRead *rr;
  gint64 after = G_MAXINT64;

  if (remote->in_flight)
    {
      remote->again = TRUE;
      return;
    }
  if (remote->watchers->len == 0)
    return;
  cancel_timeout (&remote->timer);
  for (guint i = 0; i < remote->watchers->len; i++)
    after = MIN (after, ((Watcher *) g_ptr_array_index (remote->watchers, i))->cursor);
  rr = g_new0 (RemoteRead, 1);
  rr->hub = g_object_ref (self);
  rr->remote = remote;
  rr->after = after;
  remote->in_flight = TRUE;
  syn_run_relay_read_async (self->relay, remote->execution_id, after, self->cancellable, on_remote_page, rr);
}

/* A run this process does not hold: its messages so far from the relay,
 * then each one another server commits. */
static void
watch_remote (SynWsHub *self, Watcher *w)
{
  Remote *remote = g_hash_table_lookup (self->remotes, w->key);

  if (remote == NULL)
    {
      remote = g_new0 (Remote, 1);
      remote->hub = self;
      remote->execution_id = g_strdup (w->key);
      remote->watchers = g_ptr_array_new ();
      g_hash_table_insert (self->remotes, remote->execution_id, remote);
    }
  w->remote = TRUE;
  w->live = TRUE;
  w->cursor = 0;
  g_ptr_array_add (remote->watchers, w);
  remote_read (remote);
}

static void
on_run_appended (SynRunRelay *relay, const char *execution_id, gint64 seq, gpointer data)
{
  SynWsHub *self = data;
  Remote *remote = self->remotes ? g_hash_table_lookup (self->remotes, execution_id) : NULL;

  if (remote != NULL)
    remote_read (remote);
}

/* Notifications were missed: every run watched here is read again. */
static void
on_relay_back (SynRunRelay *relay, gpointer data)
{
  SynWsHub *self = data;
  GHashTableIter iter;
  Remote *remote;

  if (self->remotes == NULL)
    return;
  g_hash_table_iter_init (&iter, self->remotes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &remote))
    remote_read (remote);
}

/**
 * syn_ws_hub_set_relay:
 * @relay: (nullable): the runs of every server on the database
 *
 * With a relay, a run this process does not hold is streamed from it:
 * its messages so far, then the live ones, whichever server runs it.
 */
void
syn_ws_hub_set_relay (SynWsHub *self, SynRunRelay *relay)
{
  g_return_if_fail (SYN_IS_WS_HUB (self));
  g_return_if_fail (relay == NULL || SYN_IS_RUN_RELAY (relay));

  if (self->relay != NULL)
    g_signal_handlers_disconnect_by_data (self->relay, self);
  g_set_object (&self->relay, relay);
  if (relay != NULL)
    {
      g_signal_connect (relay, "appended", G_CALLBACK (on_run_appended), self);
      g_signal_connect (relay, "reconnected", G_CALLBACK (on_relay_back), self);
    }
}

/**
 * syn_ws_hub_watch_execution:
 * @connection: an open WebSocket (the hub takes a reference)
 * @may_cancel: whether the client's "cancel" is obeyed
 *
 * Sends every message of the run so far, in order, then the live ones as
 * they come; closes after the final one. Must run on the main context that
 * receives the backend's ::execution-message, so nothing falls in between.
 */
void
syn_ws_hub_watch_execution (SynWsHub                *self,
                            SoupWebsocketConnection *connection,
                            const char              *execution_id,
                            gboolean                 may_cancel)
{
  g_autoptr(GPtrArray) replay = NULL;
  gboolean done = FALSE;
  gboolean final = FALSE;
  Watcher *w;

  g_return_if_fail (SYN_IS_WS_HUB (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));
  g_return_if_fail (execution_id != NULL);

  if (self->watchers == NULL || self->going_away)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
      return;
    }
  w = watcher_new (self, connection, WATCH_EXECUTION, execution_id);
  w->may_cancel = may_cancel;

  /* the run so far, from the backend's log of it */
  replay = syn_local_backend_get_execution_texts (self->backend, execution_id, 0, &done);
  if (replay == NULL && self->relay != NULL)
    {
      watch_remote (self, w);
      return;
    }
  if (replay == NULL)
    {
      watch_record (self, w);
      return;
    }

  for (guint i = 0; i < replay->len; i++)
    watcher_send_bytes (w, g_ptr_array_index (replay, i));
  if (replay->len > 0)
    {
      GBytes *text = g_ptr_array_index (replay, replay->len - 1);
      g_autoptr(JsonNode) last = syn_json_parse (g_bytes_get_data (text, NULL), (gssize) g_bytes_get_size (text), NULL);

      final = syn_backend_message_is_final (last);
    }
  if (final || done)
    {
      if (!final)
        {
          g_autoptr(JsonNode) run = syn_local_backend_describe_execution (self->backend, execution_id);
          const char *error = run ? syn_json_get_string (json_node_get_object (run), "error") : NULL;
          g_autofree char *text = g_strdup_printf ("The execution ended: %s", error ? error : "no outcome");

          send_error (w, text, FALSE);
        }
      watcher_close (w, SOUP_WEBSOCKET_CLOSE_NORMAL, "execution finished");
      return;
    }

  {
    GPtrArray *live = g_hash_table_lookup (self->executions, execution_id);

    if (live == NULL)
      {
        live = g_ptr_array_new ();
        g_hash_table_insert (self->executions, g_strdup (execution_id), live);
      }
    g_ptr_array_add (live, w);
    w->live = TRUE;
  }
}

/* ------------------------------------------------------------------------- */
/* Project event feeds                                                       */

static void
feed_free (Feed *feed)
{
  cancel_timeout (&feed->timer);
  g_ptr_array_unref (feed->watchers);
  g_free (feed->project_id);
  g_free (feed);
}

static gboolean
on_feed_timer (gpointer data)
{
  Feed *feed = data;

  g_clear_pointer (&feed->timer, g_source_unref);
  feed_poll (feed);
  return G_SOURCE_REMOVE;
}

static void
feed_schedule (Feed *feed, guint delay_ms)
{
  if (feed->timer != NULL || feed->watchers->len == 0)
    return;
  feed->timer = hub_timeout (feed->hub, delay_ms, on_feed_timer, feed);
}

typedef struct
{
  SynWsHub *hub;
  Feed     *feed;
  gint64    after;    /* the page holds the events after this position */
} PollData;

/* {"type": "EVENT", "event": ...}; an event too large for a WebSocket
 * message (a rollback of a big batch lists every entity it restored) goes
 * with its payload null, "payload_omitted": true and "href": the timeline
 * query that holds it whole. */
static char *
event_message (const char *project_id, JsonNode *event)
{
  g_autoptr(JsonObject) m = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *e = json_node_get_object (event);
  char *text;

  json_object_set_string_member (m, "type", "EVENT");
  json_object_set_member (m, "event", json_node_ref (event));
  node = syn_json_node_new_object (json_object_ref (m));
  text = syn_json_to_string (node);
  if (strlen (text) <= MAX_EVENT_MESSAGE)
    return text;
  g_free (text);
  {
    g_autoptr(JsonObject) brief = syn_json_object_copy (e);
    g_autofree char *href = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&correlation_id=%s"
                                             "&event_types=%s&include_rolled_back=true&limit=500",
                                             project_id, syn_json_get_string (e, "correlation_id"),
                                             syn_json_get_string (e, "event_type"));

    json_object_set_null_member (brief, "payload");
    json_object_set_object_member (m, "event", g_steal_pointer (&brief));
    json_object_set_boolean_member (m, "payload_omitted", TRUE);
    json_object_set_string_member (m, "href", href);
    return syn_json_to_string (node);
  }
}

static void
on_feed_page (GObject *object, GAsyncResult *result, gpointer data)
{
  PollData *pd = data;
  g_autoptr(SynWsHub) self = pd->hub;
  Feed *feed = pd->feed;
  gint64 after = pd->after;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonArray *events;
  guint n;

  g_free (pd);
  feed->in_flight = FALSE;
  /* every watcher left while the poll was out, or the hub was shut down */
  if (self->feeds == NULL || g_hash_table_lookup (self->feeds, feed->project_id) != feed)
    {
      feed_free (feed);
      return;
    }
  if (answer == NULL)
    {
      /* read again a little later; a change would ask at once */
      /* the database away (a failover): the feed waits, from its cursor */
      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_UNAVAILABLE))
        g_message ("Event feed of project %s waits for the database: %s", feed->project_id, error->message);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Event feed of project %s: %s", feed->project_id, error->message);
      feed_schedule (feed, self->feed_interval);
      return;
    }

  events = json_object_get_array_member (json_node_get_object (answer), "events");
  n = events ? json_array_get_length (events) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *event = json_array_get_element (events, i);
      gint64 position = json_object_get_int_member_with_default (json_node_get_object (event), "position", 0);
      g_autofree char *text = event_message (feed->project_id, event);

      for (guint j = 0; j < feed->watchers->len; j++)
        {
          Watcher *w = g_ptr_array_index (feed->watchers, j);

          /* a watcher that joined behind this page (cursor < after) would
           * skip the events before it: it waits for the next poll, from its cursor */
          if (position > w->cursor && w->cursor >= after)
            {
              watcher_send (w, text);
              w->cursor = position;
            }
        }
    }

  /* a full page: more to catch up at once; then the backend's
   * ::project-changed says when there is more */
  if (n == FEED_PAGE || feed->again)
    {
      feed->again = FALSE;
      feed_poll (feed);
    }
}

/* One query from the watcher furthest behind; each watcher takes what is
 * past its own cursor, so one that joins late catches up, then goes live. */
static void
feed_poll (Feed *feed)
{
  SynWsHub *self = feed->hub;
  g_autoptr(JsonObject) params = json_object_new ();
  PollData *pd;
  gint64 after = G_MAXINT64;

  if (feed->in_flight)
    {
      feed->again = TRUE;
      return;
    }
  if (feed->watchers->len == 0)
    return;
  cancel_timeout (&feed->timer);
  for (guint i = 0; i < feed->watchers->len; i++)
    after = MIN (after, ((Watcher *) g_ptr_array_index (feed->watchers, i))->cursor);

  json_object_set_string_member (params, "project_id", feed->project_id);
  json_object_set_int_member (params, "after", after);
  json_object_set_int_member (params, "limit", FEED_PAGE);
  pd = g_new0 (PollData, 1);
  pd->hub = g_object_ref (self);
  pd->feed = feed;
  pd->after = after;
  feed->in_flight = TRUE;
  syn_backend_call_async (SYN_BACKEND (self->backend), SYN_OP_EVENTS_AFTER, params,
                          self->cancellable, on_feed_page, pd);
}

/**
 * syn_ws_hub_watch_project:
 * @connection: an open WebSocket (the hub takes a reference)
 * @project_id: the project's id (not its name)
 * @after_position: send the events after this position first
 *
 * Every event of the project after @after_position, in order, then the new
 * ones as they are committed, each as {"type": "EVENT", "event": ...}.
 *
 * The backend's ::project-changed says when there are new events, whoever
 * committed them (this server, another process, another server); each
 * watcher then takes them from its own position.
 */
void
syn_ws_hub_watch_project (SynWsHub                *self,
                          SoupWebsocketConnection *connection,
                          const char              *project_id,
                          gint64                   after_position)
{
  Watcher *w;
  Feed *feed;

  g_return_if_fail (SYN_IS_WS_HUB (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));
  g_return_if_fail (project_id != NULL);

  if (self->watchers == NULL || self->going_away)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
      return;
    }
  w = watcher_new (self, connection, WATCH_PROJECT, project_id);
  w->cursor = MAX (after_position, 0);
  w->live = TRUE;
  feed = g_hash_table_lookup (self->feeds, project_id);
  if (feed == NULL)
    {
      feed = g_new0 (Feed, 1);
      feed->hub = self;
      feed->project_id = g_strdup (project_id);
      feed->watchers = g_ptr_array_new ();
      g_hash_table_insert (self->feeds, feed->project_id, feed);
    }
  if (feed->watchers->len == 0)
    syn_backend_watch_project (SYN_BACKEND (self->backend), project_id, w->cursor);
  g_ptr_array_add (feed->watchers, w);
  feed_poll (feed);
}

/* A batch was committed in the project, by whoever: its watchers get it. */
static void
on_project_changed (SynBackend *backend, const char *project_id, gint64 first, gint64 last, gpointer data)
{
  SynWsHub *self = data;
  Feed *feed = self->feeds ? g_hash_table_lookup (self->feeds, project_id) : NULL;

  if (feed != NULL)
    feed_poll (feed);
}

/* ------------------------------------------------------------------------- */

guint
syn_ws_hub_get_n_watchers (SynWsHub *self)
{
  g_return_val_if_fail (SYN_IS_WS_HUB (self), 0);

  return self->watchers ? g_hash_table_size (self->watchers) : 0;
}

/* Server shutdown begins: no new watcher; a run's watchers get its last
 * message, then a close saying the server goes away (1001). */
void
syn_ws_hub_begin_shutdown (SynWsHub *self)
{
  g_return_if_fail (SYN_IS_WS_HUB (self));

  self->going_away = TRUE;
}

/* Server shutdown: every watcher is told so. */
void
syn_ws_hub_close_all (SynWsHub *self)
{
  GHashTableIter iter;
  Watcher *w;

  g_return_if_fail (SYN_IS_WS_HUB (self));

  if (self->watchers == NULL)
    return;
  g_hash_table_iter_init (&iter, self->watchers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &w, NULL))
    watcher_close (w, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
}

SynWsHub *
syn_ws_hub_new (SynLocalBackend *backend)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (backend), NULL);

  return g_object_new (SYN_TYPE_WS_HUB, "backend", backend, NULL);
}

static void
syn_ws_hub_constructed (GObject *object)
{
  SynWsHub *self = SYN_WS_HUB (object);

  G_OBJECT_CLASS (syn_ws_hub_parent_class)->constructed (object);

  g_assert (self->backend != NULL);
  self->message_handler = g_signal_connect (self->backend, "execution-message",
                                            G_CALLBACK (on_execution_message), self);
  self->changed_handler = g_signal_connect (self->backend, "project-changed",
                                            G_CALLBACK (on_project_changed), self);
}

static void
syn_ws_hub_dispose (GObject *object)
{
  SynWsHub *self = SYN_WS_HUB (object);

  g_cancellable_cancel (self->cancellable);
  if (self->backend != NULL)
    {
      g_clear_signal_handler (&self->message_handler, self->backend);
      g_clear_signal_handler (&self->changed_handler, self->backend);
    }
  /* watchers first: their close handlers edit the lists */
  if (self->watchers != NULL)
    {
      GHashTableIter iter;
      Watcher *w;

      g_hash_table_iter_init (&iter, self->watchers);
      while (g_hash_table_iter_next (&iter, (gpointer *) &w, NULL))
        {
          g_clear_signal_handler (&w->closed_id, w->conn);
          watcher_close (w, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
        }
      g_clear_pointer (&self->watchers, g_hash_table_unref);
    }
  g_clear_pointer (&self->executions, g_hash_table_unref);
  if (self->remotes != NULL)
    {
      GHashTableIter iter;
      Remote *remote;

      /* a run with a read out is freed when the answer comes */
      g_hash_table_iter_init (&iter, self->remotes);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &remote))
        if (remote->in_flight)
          g_hash_table_iter_steal (&iter);
      g_clear_pointer (&self->remotes, g_hash_table_unref);
    }
  if (self->relay != NULL)
    g_signal_handlers_disconnect_by_data (self->relay, self);
  g_clear_object (&self->relay);
  if (self->feeds != NULL)
    {
      GHashTableIter iter;
      Feed *feed;

      /* a feed with a poll out is freed when the answer comes */
      g_hash_table_iter_init (&iter, self->feeds);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &feed))
        {
          if (feed->watchers->len > 0)
            syn_backend_unwatch_project (SYN_BACKEND (self->backend), feed->project_id);
          if (feed->in_flight)
            g_hash_table_iter_steal (&iter);
        }
      g_clear_pointer (&self->feeds, g_hash_table_unref);
    }
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (syn_ws_hub_parent_class)->dispose (object);
}

static void
syn_ws_hub_finalize (GObject *object)
{
  SynWsHub *self = SYN_WS_HUB (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (syn_ws_hub_parent_class)->finalize (object);
}

static void
syn_ws_hub_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynWsHub *self = SYN_WS_HUB (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_object (value, self->backend);
      break;
    case PROP_PING_INTERVAL:
      g_value_set_uint (value, self->ping_interval);
      break;
    case PROP_FEED_INTERVAL:
      g_value_set_uint (value, self->feed_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_ws_hub_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynWsHub *self = SYN_WS_HUB (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      self->backend = g_value_dup_object (value);
      break;
    case PROP_PING_INTERVAL:
      self->ping_interval = g_value_get_uint (value);
      break;
    case PROP_FEED_INTERVAL:
      self->feed_interval = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_ws_hub_class_init (SynWsHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = syn_ws_hub_constructed;
  object_class->dispose = syn_ws_hub_dispose;
  object_class->finalize = syn_ws_hub_finalize;
  object_class->get_property = syn_ws_hub_get_property;
  object_class->set_property = syn_ws_hub_set_property;

  properties[PROP_BACKEND] =
    g_param_spec_object ("backend", NULL, NULL, SYN_TYPE_LOCAL_BACKEND,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Seconds of silence after which a watcher is sent "ping"; 0: never. */
  properties[PROP_PING_INTERVAL] =
    g_param_spec_uint ("ping-interval", NULL, NULL, 0, 24 * 3600, SYN_WS_HUB_DEFAULT_PING_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Milliseconds before a feed whose read failed tries again. */
  properties[PROP_FEED_INTERVAL] =
    g_param_spec_uint ("feed-interval", NULL, NULL, 10, 3600 * 1000, SYN_WS_HUB_DEFAULT_FEED_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
syn_ws_hub_init (SynWsHub *self)
{
  self->executions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->feeds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) feed_free);
  self->remotes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) remote_free);
  self->watchers = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) watcher_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
  self->ping_interval = SYN_WS_HUB_DEFAULT_PING_INTERVAL;
  self->feed_interval = SYN_WS_HUB_DEFAULT_FEED_INTERVAL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-listener.c: SynPgListener: LISTEN on a connection of its own, watched by a GSource; reconnects on loss. */
#include "config.h"

#include <glib-unix.h>
#include <libpq-fe.h>
#include <string.h>

#include "core/syn-json.h"
#include "syn-pg-listener.h"
#include "syn-pg-store-private.h"
#include "syn-store.h"

/* a failover takes seconds: a lost listener tries again every second, then
 * every 5 s at most, so the feeds resume soon after a standby is promoted */
#define RETRY_FIRST_MS 1000
#define RETRY_MAX_MS   5000
/* libpq bounds only a blocking connect by connect_timeout: this one is ours */
#define CONNECT_TIMEOUT_MS 20000

typedef enum {
  STATE_DISCONNECTED,   /* waiting for the retry timer */
  STATE_CONNECTING,     /* PQconnectPoll in progress */
  STATE_LISTENING,      /* LISTEN sent or confirmed */
} ListenerState;

struct _SynPgListener
{
  GObject       parent_instance;

  char         *uri;
  PGconn       *conn;
  GMainContext *context;
  GSource      *watch;
  GSource      *retry;
  GSource      *connect_timer;  /* bounds a connection attempt */
  ListenerState state;
  guint         retry_ms;
  char         *listen_query;   /* LISTEN of every channel, sent again on each reconnection */
  guint         listen_pending : 1;
  guint         was_lost : 1;
};

enum {
  SIGNAL_BATCH_COMMITTED,
  SIGNAL_RECONNECTED,
  SIGNAL_NOTIFICATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SynPgListener, syn_pg_listener, G_TYPE_OBJECT)

static void lose_connection (SynPgListener *self, const char *why);
static gboolean on_socket (int fd, GIOCondition condition, gpointer data);

static void
clear_watch (SynPgListener *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
}

static void
clear_connect_timer (SynPgListener *self)
{
  if (self->connect_timer != NULL)
    {
      g_source_destroy (self->connect_timer);
      g_clear_pointer (&self->connect_timer, g_source_unref);
    }
}

static gboolean
on_connect_timeout (gpointer data)
{
  SynPgListener *self = data;

  g_clear_pointer (&self->connect_timer, g_source_unref);
  lose_connection (self, "timed out connecting");
  return G_SOURCE_REMOVE;
}

static void
watch_socket (SynPgListener *self, GIOCondition condition)
{
  int fd = PQsocket (self->conn);

  clear_watch (self);
  if (fd < 0)
    {
      lose_connection (self, "no socket");
      return;
    }
  self->watch = g_unix_fd_source_new (fd, condition | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_socket), self, NULL);
  g_source_set_name (self->watch, "[synapse] PostgreSQL listener");
  g_source_attach (self->watch, self->context);
}

/* libpq prints notices (and a FATAL from a terminated session) on stderr by default */
static void
debug_notice (void *data, const char *message)
{
  g_debug ("PostgreSQL listener: %s", message);
}

static void
emit_notification (SynPgListener *self, PGnotify *notify)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  const char *project_id;

  /* a channel of syn_pg_listener_new_for_channels(): as it came */
  if (strcmp (notify->relname, SYN_PG_NOTIFY_CHANNEL) != 0)
    {
      g_signal_emit (self, signals[SIGNAL_NOTIFICATION], 0, notify->relname, notify->extra);
      return;
    }
  node = syn_json_parse (notify->extra, -1, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  o = json_node_get_object (node);
  project_id = syn_json_get_string (o, "project_id");
  if (project_id == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_BATCH_COMMITTED], 0, project_id,
                 json_object_get_int_member_with_default (o, "first_position", 0),
                 json_object_get_int_member_with_default (o, "last_position", 0));
}

static void
read_input (SynPgListener *self)
{
  PGnotify *notify;

  if (!PQconsumeInput (self->conn))
    {
      lose_connection (self, PQerrorMessage (self->conn));
      return;
    }
  /* the answer to LISTEN */
  while (!PQisBusy (self->conn))
    {
      PGresult *res = PQgetResult (self->conn);

      if (res == NULL)
        break;
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          g_autofree char *msg = g_strdup (PQresultErrorMessage (res));

          PQclear (res);
          lose_connection (self, msg);
          return;
        }
      PQclear (res);
      if (self->listen_pending)
        {
          self->listen_pending = FALSE;
          self->retry_ms = RETRY_FIRST_MS;
          if (self->was_lost)
            {
              self->was_lost = FALSE;
              g_signal_emit (self, signals[SIGNAL_RECONNECTED], 0);
            }
        }
    }
  /* a signal handler may drop the last reference: keep the object alive */
  g_object_ref (self);
  while (self->conn != NULL && (notify = PQnotifies (self->conn)) != NULL)
    {
      emit_notification (self, notify);
      PQfreemem (notify);
    }
  g_object_unref (self);
}

static void
start_listening (SynPgListener *self)
{
  clear_connect_timer (self);
  self->state = STATE_LISTENING;
  self->listen_pending = TRUE;
  if (!PQsendQuery (self->conn, self->listen_query))
    {
      lose_connection (self, PQerrorMessage (self->conn));
      return;
    }
  watch_socket (self, G_IO_IN);
}

static void
poll_connect (SynPgListener *self)
{
  switch (PQconnectPoll (self->conn))
    {
    case PGRES_POLLING_READING:
      watch_socket (self, G_IO_IN);
      break;
    case PGRES_POLLING_WRITING:
      watch_socket (self, G_IO_OUT);
      break;
    case PGRES_POLLING_OK:
      start_listening (self);
      break;
    case PGRES_POLLING_FAILED:
    default:
      lose_connection (self, PQerrorMessage (self->conn));
      break;
    }
}

static gboolean
on_socket (int fd, GIOCondition condition, gpointer data)
{
  SynPgListener *self = data;

  if (self->state == STATE_CONNECTING)
    poll_connect (self);
  else if (self->state == STATE_LISTENING)
    read_input (self);
  /* every path above installed a new watch or dropped this one */
  return G_SOURCE_CONTINUE;
}

static gboolean
on_retry (gpointer data)
{
  SynPgListener *self = data;
  const char *keywords[SYN_PG_CONNECT_N];
  const char *values[SYN_PG_CONNECT_N];

  g_clear_pointer (&self->retry, g_source_unref);
  g_clear_pointer (&self->conn, PQfinish);
  /* a multi-host URI: the hosts in turn, the one that takes writes (target_session_attrs) */
  _syn_pg_connect_params (self->uri, "synapse-listener", keywords, values);
  self->conn = PQconnectStartParams (keywords, values, 1);
  if (self->conn == NULL || PQstatus (self->conn) == CONNECTION_BAD)
    lose_connection (self, self->conn ? PQerrorMessage (self->conn) : "out of memory");
  else
    {
      PQsetNoticeProcessor (self->conn, debug_notice, NULL);
      self->state = STATE_CONNECTING;
      self->connect_timer = g_timeout_source_new (CONNECT_TIMEOUT_MS);
      g_source_set_callback (self->connect_timer, on_connect_timeout, self, NULL);
      g_source_set_name (self->connect_timer, "[synapse] PostgreSQL listener connect timeout");
      g_source_attach (self->connect_timer, self->context);
      watch_socket (self, G_IO_OUT);
    }
  return G_SOURCE_REMOVE;
}

static void
lose_connection (SynPgListener *self, const char *why)
{
  g_autofree char *reason = g_strstrip (g_strdup (why ? why : ""));

  g_debug ("PostgreSQL listener: connection lost (%s); retrying in %u ms", reason, self->retry_ms);
  clear_watch (self);
  clear_connect_timer (self);
  g_clear_pointer (&self->conn, PQfinish);
  self->state = STATE_DISCONNECTED;
  self->was_lost = TRUE;
  if (self->retry == NULL)
    {
      self->retry = g_timeout_source_new (self->retry_ms);
      g_source_set_callback (self->retry, on_retry, self, NULL);
      g_source_set_name (self->retry, "[synapse] PostgreSQL listener retry");
      g_source_attach (self->retry, self->context);
    }
  self->retry_ms = MIN (self->retry_ms * 2, RETRY_MAX_MS);
}

SynPgListener *
syn_pg_listener_new (const char *uri, GError **error)
{
  return syn_pg_listener_new_for_channels (uri, NULL, error);
}

/* Also LISTENs on each of @channels (plain identifiers): their
 * notifications come as "notification" (channel, payload). */
SynPgListener *
syn_pg_listener_new_for_channels (const char *uri, const char * const *channels, GError **error)
{
  g_autoptr(SynPgListener) self = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GString) query = g_string_new ("LISTEN " SYN_PG_NOTIFY_CHANNEL);
  const char *keywords[SYN_PG_CONNECT_N];
  const char *values[SYN_PG_CONNECT_N];

  g_return_val_if_fail (uri != NULL, NULL);

  for (guint i = 0; channels != NULL && channels[i] != NULL; i++)
    g_string_append_printf (query, "; LISTEN %s", channels[i]);
  self = g_object_new (SYN_TYPE_PG_LISTENER, NULL);
  self->uri = g_strdup (uri);
  self->listen_query = g_string_free (g_steal_pointer (&query), FALSE);
  self->context = g_main_context_ref_thread_default ();
  _syn_pg_connect_params (self->uri, "synapse-listener", keywords, values);
  self->conn = PQconnectdbParams (keywords, values, 1);
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *msg = g_strstrip (g_strdup (self->conn ? PQerrorMessage (self->conn) : "out of memory"));

      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN,
                   "Cannot connect to the PostgreSQL database \"%s\" to listen: %s",
                   self->conn ? PQdb (self->conn) : "", msg);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, debug_notice, NULL);
  res = PQexec (self->conn, self->listen_query);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      g_autofree char *msg = g_strstrip (g_strdup (PQresultErrorMessage (res)));

      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_FAILED, "Cannot listen for new events: %s", msg);
      return NULL;
    }
  self->state = STATE_LISTENING;
  watch_socket (self, G_IO_IN);
  return g_steal_pointer (&self);
}

SynPgListener *
syn_pg_listener_new_in_background (const char *uri)
{
  SynPgListener *self;

  g_return_val_if_fail (uri != NULL, NULL);

  self = g_object_new (SYN_TYPE_PG_LISTENER, NULL);
  self->uri = g_strdup (uri);
  self->listen_query = g_strdup ("LISTEN " SYN_PG_NOTIFY_CHANNEL);
  self->context = g_main_context_ref_thread_default ();
  /* its first LISTEN is announced as "reconnected": whatever was committed
   * before it was not heard */
  self->was_lost = TRUE;
  on_retry (self);
  return self;
}

gboolean
syn_pg_listener_is_connected (SynPgListener *self)
{
  g_return_val_if_fail (SYN_IS_PG_LISTENER (self), FALSE);

  return self->state == STATE_LISTENING && !self->listen_pending && self->conn != NULL &&
         PQstatus (self->conn) == CONNECTION_OK;
}

static void
syn_pg_listener_finalize (GObject *object)
{
  SynPgListener *self = SYN_PG_LISTENER (object);

  clear_watch (self);
  clear_connect_timer (self);
  if (self->retry != NULL)
    {
      g_source_destroy (self->retry);
      g_clear_pointer (&self->retry, g_source_unref);
    }
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->listen_query, g_free);

  G_OBJECT_CLASS (syn_pg_listener_parent_class)->finalize (object);
}

static void
syn_pg_listener_class_init (SynPgListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = syn_pg_listener_finalize;

  signals[SIGNAL_BATCH_COMMITTED] =
    g_signal_new ("batch-committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_NOTIFICATION] =
    g_signal_new ("notification", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
syn_pg_listener_init (SynPgListener *self)
{
  self->retry_ms = RETRY_FIRST_MS;
}

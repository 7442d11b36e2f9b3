/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server.c: SynServer: the object, its properties, listening; its concerns are in the
 * syn-server-*.c files named for them. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-history-checks.h"
#include "syn-server-private.h"

#define LOGIN_FREE_PER_USER  5
#define LOGIN_FREE_PER_HOST  20
#define LISTEN_BACKLOG       512

enum {
  PROP_0,
  PROP_BACKEND,
  PROP_MAX_BODY_SIZE,
  PROP_MAX_IMPORT_SIZE,
  PROP_LOG_REQUESTS,
  PROP_PING_INTERVAL,
  PROP_FEED_INTERVAL,
  PROP_RUN_LOST_AFTER,
  PROP_RUN_RETENTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SynServer, syn_server, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------- */
/* Accessors for the route handlers                                          */

SynBackend *
_syn_server_get_backend (SynServer *self)
{
  return SYN_BACKEND (self->backend);
}

SynLocalBackend *
_syn_server_get_local (SynServer *self)
{
  return self->backend;
}

SynWsHub *
_syn_server_get_hub (SynServer *self)
{
  return self->hub;
}

const char *
_syn_server_get_database (SynServer *self)
{
  return self->database;
}

SynLoginThrottle *
_syn_server_get_throttle (SynServer *self)
{
  return self->user_throttle;
}

/* ------------------------------------------------------------------------- */
/* Public API                                                                */

/**
 * syn_server_new:
 * @backend: the backend every route calls
 *
 * Returns: (transfer full): a server, not listening yet
 */
SynServer *
syn_server_new (SynLocalBackend *backend)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (backend), NULL);

  return g_object_new (SYN_TYPE_SERVER, "backend", backend, NULL);
}

/**
 * syn_server_listen:
 * @address: (nullable): an IP address to listen on; %NULL: 127.0.0.1
 * @port: a TCP port; 0 picks a free one (see syn_server_get_port())
 * @certificate: (nullable): serve HTTPS with it
 *
 * Starts serving on the thread-default main context of the caller: every
 * request, backend answer and WebSocket message is handled there.
 */
gboolean
syn_server_listen (SynServer        *self,
                   const char       *address,
                   guint             port,
                   GTlsCertificate  *certificate,
                   GError          **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocket) listener = NULL;
  SoupServerListenOptions options = 0;
  GSList *listeners;

  g_return_val_if_fail (SYN_IS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  inet = g_inet_address_new_from_string (address ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "\"%s\" is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::)", address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  if (certificate != NULL)
    {
      soup_server_set_tls_certificate (self->soup, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  /* A socket of our own for a longer queue of pending connections than
   * GLib's default 10: a burst of clients (a team's GUIs starting, a load
   * test's 64 connections) is queued rather than reset. */
  listener = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, socket_address, TRUE, error) ||
      !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (self->soup, listener, options, error))
    return FALSE;

  /* the port the system chose (0 asks for any); soup_server_get_uris()
   * would do, but libsoup 3.2 leaks an address object in it */
  listeners = soup_server_get_listeners (self->soup);
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);
      g_autofree char *host = g_inet_address_to_string (inet);
      gboolean v6 = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6;

      if (local != NULL)
        self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      g_free (self->url);
      self->url = g_strdup_printf ("%s://%s%s%s:%u", certificate ? "https" : "http",
                                   v6 ? "[" : "", host, v6 ? "]" : "", self->port);
    }
  g_slist_free (listeners);
  return TRUE;
}

/* Stops listening and tells every WebSocket watcher. */
void
syn_server_disconnect (SynServer *self)
{
  g_return_if_fail (SYN_IS_SERVER (self));

  syn_ws_hub_close_all (self->hub);
  soup_server_disconnect (self->soup);
}

/**
 * syn_server_begin_shutdown:
 *
 * The first step of a graceful stop: no new connection is accepted (the
 * listening sockets close), a request on a connection already open gets
 * 503, no new WebSocket watcher is taken, and every running execution is
 * cancelled: each rolls back as a cancelled run does and its watchers get
 * its last message, then a close saying the server goes away (1001). Keep
 * the main context running until syn_server_is_idle(), then call
 * syn_server_disconnect().
 */
void
syn_server_begin_shutdown (SynServer *self)
{
  GSList *listeners;

  g_return_if_fail (SYN_IS_SERVER (self));

  if (self->shutting_down)
    return;
  self->shutting_down = TRUE;
  /* closed under libsoup's listener: its next accept fails and it stops
   * watching; soup_server_disconnect() frees it later */
  listeners = soup_server_get_listeners (self->soup);
  for (GSList *l = listeners; l != NULL; l = l->next)
    {
      g_autoptr(GError) error = NULL;

      if (!g_socket_close (l->data, &error))
        g_warning ("Cannot close a listening socket: %s", error->message);
    }
  g_slist_free (listeners);
  syn_ws_hub_begin_shutdown (self->hub);
  syn_local_backend_cancel_all_executions (self->backend);
}

/* Once shutting down: whether no execution is still working (each one's
 * last message went out) and no WebSocket is open. */
gboolean
syn_server_is_idle (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), TRUE);

  return syn_local_backend_count_running_executions (self->backend) == 0 &&
         syn_ws_hub_get_n_watchers (self->hub) == 0;
}

guint
syn_server_get_port (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), 0);

  return self->port;
}

/* "http://127.0.0.1:8001", once listening. */
const char *
syn_server_get_url (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), NULL);

  return self->url;
}

SynLocalBackend *
syn_server_get_backend (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), NULL);

  return self->backend;
}

/* The underlying server, for what SynServer does not wrap (more handlers,
 * its signals). */
SoupServer *
syn_server_get_soup_server (SynServer *self)
{
  g_return_val_if_fail (SYN_IS_SERVER (self), NULL);

  return self->soup;
}

/* ------------------------------------------------------------------------- */
/* GObject                                                                   */

static void
syn_server_constructed (GObject *object)
{
  SynServer *self = SYN_SERVER (object);
  g_autoptr(GError) error = NULL;
  SynStore *store;

  G_OBJECT_CLASS (syn_server_parent_class)->constructed (object);

  g_assert (self->backend != NULL);
  self->hub = syn_ws_hub_new (self->backend);
  store = syn_local_backend_acquire_store (self->backend, &error);
  if (store != NULL)
    {
      self->database = g_strdup (syn_store_get_backend_name (store));
      /* the log is evidence: check each project's chain from where the last
       * start found it whole, and say on /health what was found */
      if (!(self->integrity = syn_history_check_on_start (store, &error)))
        {
          g_warning ("Cannot check the event log's hash chain: %s", error->message);
          g_clear_error (&error);
        }
      else if (!json_object_get_boolean_member (json_node_get_object (self->integrity), "ok"))
        g_warning ("The event log's hash chain is broken: run synapse verify (details on /api/v1/health)");
      syn_local_backend_release_store (self->backend, store);
    }
  else
    {
      g_warning ("Cannot open the database: %s", error->message);
      self->database = g_strdup ("unknown");
    }

  /* PostgreSQL: any server streams any run, and a cancel reaches the
   * server running it; SQLite: one server, its runs' messages in memory */
  if (g_strcmp0 (self->database, "postgresql") == 0)
    {
      if ((self->relay = syn_run_relay_new (self->backend, &error)) != NULL)
        syn_ws_hub_set_relay (self->hub, self->relay);
      else
        {
          g_warning ("Runs of this server will not be streamed by the others: %s", error->message);
          g_clear_error (&error);
        }
    }

  self->soup = soup_server_new ("server-header", "Synapse/" PACKAGE_VERSION " ", "raw-paths", TRUE, NULL);
  soup_server_add_early_handler (self->soup, NULL, _syn_server_handle_early, self, NULL);
  soup_server_add_handler (self->soup, NULL, _syn_server_handle_request, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (_syn_server_on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (_syn_server_on_request_done), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (_syn_server_on_request_aborted), self);
}

static void
syn_server_dispose (GObject *object)
{
  SynServer *self = SYN_SERVER (object);

  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  if (self->hub != NULL)
    {
      g_object_run_dispose (G_OBJECT (self->hub));
      g_clear_object (&self->hub);
    }
  /* after the hub: the last messages queued are written before it stops */
  if (self->relay != NULL)
    {
      g_object_run_dispose (G_OBJECT (self->relay));
      g_clear_object (&self->relay);
    }
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (syn_server_parent_class)->dispose (object);
}

static void
syn_server_finalize (GObject *object)
{
  SynServer *self = SYN_SERVER (object);

  g_clear_pointer (&self->token_cache, g_hash_table_unref);
  g_clear_pointer (&self->access_cache, g_hash_table_unref);
  g_clear_pointer (&self->page_cache, g_hash_table_unref);
  g_clear_pointer (&self->user_throttle, syn_login_throttle_free);
  g_clear_pointer (&self->host_throttle, syn_login_throttle_free);
  g_free (self->database);
  g_clear_pointer (&self->integrity, json_node_unref);
  g_free (self->url);

  G_OBJECT_CLASS (syn_server_parent_class)->finalize (object);
}

static void
syn_server_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynServer *self = SYN_SERVER (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_object (value, self->backend);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    case PROP_MAX_IMPORT_SIZE:
      g_value_set_uint64 (value, self->max_import_size);
      break;
    case PROP_LOG_REQUESTS:
      g_value_set_boolean (value, self->log_requests);
      break;
    case PROP_PING_INTERVAL:
      g_object_get_property (G_OBJECT (self->hub), "ping-interval", value);
      break;
    case PROP_FEED_INTERVAL:
      g_object_get_property (G_OBJECT (self->hub), "feed-interval", value);
      break;
    case PROP_RUN_LOST_AFTER:
      g_value_set_uint (value, self->relay ? syn_run_relay_get_lost_after (self->relay) : SYN_RUN_RELAY_DEFAULT_LOST_AFTER);
      break;
    case PROP_RUN_RETENTION:
      g_value_set_uint (value, self->relay ? syn_run_relay_get_retention (self->relay) : SYN_RUN_RELAY_DEFAULT_RETENTION);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_server_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynServer *self = SYN_SERVER (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      self->backend = g_value_dup_object (value);
      break;
    case PROP_MAX_BODY_SIZE:
      self->max_body_size = g_value_get_uint64 (value);
      break;
    case PROP_MAX_IMPORT_SIZE:
      self->max_import_size = g_value_get_uint64 (value);
      break;
    case PROP_LOG_REQUESTS:
      self->log_requests = g_value_get_boolean (value);
      break;
    case PROP_PING_INTERVAL:
      g_object_set_property (G_OBJECT (self->hub), "ping-interval", value);
      break;
    case PROP_FEED_INTERVAL:
      /* the hub's retries, and how often SQLite is asked for others' commits */
      g_object_set_property (G_OBJECT (self->hub), "feed-interval", value);
      syn_local_backend_set_change_interval (self->backend, g_value_get_uint (value));
      break;
    case PROP_RUN_LOST_AFTER:
      if (self->relay != NULL)
        syn_run_relay_set_lost_after (self->relay, g_value_get_uint (value));
      break;
    case PROP_RUN_RETENTION:
      if (self->relay != NULL)
        g_object_set (self->relay, "retention", g_value_get_uint (value), NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_server_class_init (SynServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = syn_server_constructed;
  object_class->dispose = syn_server_dispose;
  object_class->finalize = syn_server_finalize;
  object_class->get_property = syn_server_get_property;
  object_class->set_property = syn_server_set_property;

  properties[PROP_BACKEND] =
    g_param_spec_object ("backend", NULL, NULL, SYN_TYPE_LOCAL_BACKEND,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Bytes; larger request bodies get 413. */
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 1024, G_MAXUINT64, SYN_SERVER_DEFAULT_MAX_BODY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Bytes, for CSV import. */
  properties[PROP_MAX_IMPORT_SIZE] =
    g_param_spec_uint64 ("max-import-size", NULL, NULL, 1024, G_MAXUINT64, SYN_SERVER_DEFAULT_MAX_IMPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* One line per request on stdout: method, path, status, duration. */
  properties[PROP_LOG_REQUESTS] =
    g_param_spec_boolean ("log-requests", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PING_INTERVAL] =
    g_param_spec_uint ("ping-interval", NULL, NULL, 0, 24 * 3600, SYN_WS_HUB_DEFAULT_PING_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FEED_INTERVAL] =
    g_param_spec_uint ("feed-interval", NULL, NULL, 10, 3600 * 1000, SYN_WS_HUB_DEFAULT_FEED_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* PostgreSQL: seconds without a heartbeat from the server running an
   * execution before another server marks it failed. */
  properties[PROP_RUN_LOST_AFTER] =
    g_param_spec_uint ("run-lost-after", NULL, NULL, 2, 24 * 3600, SYN_RUN_RELAY_DEFAULT_LOST_AFTER,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* PostgreSQL: seconds a finished run's messages are kept for late watchers. */
  properties[PROP_RUN_RETENTION] =
    g_param_spec_uint ("run-retention", NULL, NULL, 0, G_MAXUINT32, SYN_RUN_RELAY_DEFAULT_RETENTION,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
syn_server_init (SynServer *self)
{
  self->token_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) _syn_server_user_unref);
  self->access_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              _syn_server_access_entry_free);
  self->page_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _syn_server_cached_page_free);
  self->user_throttle = syn_login_throttle_new (LOGIN_FREE_PER_USER);
  self->host_throttle = syn_login_throttle_new (LOGIN_FREE_PER_HOST);
  self->max_body_size = SYN_SERVER_DEFAULT_MAX_BODY;
  self->max_import_size = SYN_SERVER_DEFAULT_MAX_IMPORT;
}

SynLoginThrottle *
_syn_server_get_host_throttle (SynServer *self)
{
  return self->host_throttle;
}

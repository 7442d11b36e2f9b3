/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-server-private.h: what SynServer shares with its route handlers: requests, users, replies. */
#pragma once

#include <libsoup/soup.h>

#include "backend/syn-api-routes.h"
#include "backend/syn-local-backend.h"
#include "engine/syn-auth.h"
#include "syn-login-throttle.h"
#include "syn-server.h"
#include "syn-server-metrics.h"
#include "syn-ws-hub.h"

G_BEGIN_DECLS

/* Seconds a client is told to wait after a 503 (a failover promotes a
 * standby in a few seconds; see docs/reliability.md) */
#define SYN_SERVER_RETRY_AFTER_UNAVAILABLE "2"

struct _SynServer
{
  GObject          parent_instance;

  SynLocalBackend *backend;
  SoupServer      *soup;
  SynWsHub        *hub;
  SynRunRelay     *relay;          /* PostgreSQL: run messages shared by every server; NULL on SQLite */
  char            *database;
  JsonNode        *integrity;      /* the hash chain check on start (issue 15), for /health */
  char            *url;
  guint            port;

  GHashTable      *token_cache;    /* token hash -> SynServerUser */
  GHashTable      *access_cache;   /* "user id\x1fproject key" -> AccessEntry */
  GHashTable      *page_cache;     /* timeline query -> CachedPage */
  gsize            page_cache_bytes;
  SynLoginThrottle *user_throttle;  /* "host username" */
  SynLoginThrottle *host_throttle;  /* "host" */

  guint64          max_body_size;
  guint64          max_import_size;
  gboolean         log_requests;
  gboolean         shutting_down;  /* new requests get 503, new connections are refused */
};

/* A signed-in user as the server caches it (reference counted, immutable). */
typedef struct
{
  char   *id;
  char   *username;
  char   *role;
  int     rank;
  gint64  cached_until;   /* monotonic */
} SynServerUser;

SynServerUser *_syn_server_user_new   (JsonObject    *user);
SynServerUser *_syn_server_user_ref   (SynServerUser *user);
void           _syn_server_user_unref (SynServerUser *user);
JsonNode      *_syn_server_user_to_json (SynServerUser *user);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynServerUser, _syn_server_user_unref)

typedef struct _SynRequest SynRequest;

typedef void (*SynRouteHandler) (SynRequest *req);

/* One request from the route match to the answer. The message is paused
 * while the backend works; @gone is set when the client went away. */
struct _SynRequest
{
  SynServer         *server;
  SoupServerMessage *msg;
  const SynApiRoute *route;
  JsonObject        *params;
  SynServerUser     *user;
  char              *token;
  char              *project_id;  /* resolved and authorized, for project routes */
  gboolean           project_archived;
  gboolean           is_websocket;
  gboolean           gone;
  gulong             finished_id;
};

/* syn-server.c: what the handlers use of the server */
SynBackend      *_syn_server_get_backend    (SynServer   *self);
SynLocalBackend *_syn_server_get_local      (SynServer   *self);
SynWsHub        *_syn_server_get_hub        (SynServer   *self);
const char      *_syn_server_get_database   (SynServer   *self);
SynLoginThrottle *_syn_server_get_throttle   (SynServer   *self);   /* per host and username */
SynLoginThrottle *_syn_server_get_host_throttle (SynServer *self);  /* per host */
void             _syn_server_cache_user     (SynServer   *self,
                                             const char  *token,
                                             SynServerUser *user);
void             _syn_server_forget_token   (SynServer   *self,
                                             const char  *token);

/* syn-server-replies.c */
/* The message waits (paused) until the answer. */
SynRequest      *_syn_server_request_new    (SynServer   *self,
                                             SoupServerMessage *msg);
void             _syn_server_request_free   (SynRequest  *req);
/* Sends whatever was set on the message and ends the request. */
void             _syn_server_request_finish (SynRequest  *req);
void             _syn_server_set_error_body (SoupServerMessage *msg,
                                             guint        status,
                                             const char  *code,
                                             const char  *message);
void             _syn_server_cached_page_free (gpointer   page);
void             _syn_server_reply_json     (SynRequest  *req,
                                             guint        status,
                                             JsonNode    *node);
void             _syn_server_reply_error    (SynRequest  *req,
                                             const GError *error);
void             _syn_server_reply_status   (SynRequest  *req,
                                             guint        status,
                                             const char  *code,
                                             const char  *format,
                                             ...) G_GNUC_PRINTF (4, 5);
void             _syn_server_reply_empty    (SynRequest  *req,
                                             guint        status);
void             _syn_server_reply_bytes    (SynRequest  *req,
                                             guint        status,
                                             GBytes      *body);
void             _syn_server_reply_json_cached (SynRequest *req,
                                                guint       status,
                                                JsonNode   *node,
                                                const char *key,
                                                gint64      head);
GBytes          *_syn_server_cached_page    (SynServer   *self,
                                             const char  *key,
                                             gint64       head);

/* syn-server-dispatch.c */
typedef void (*SynRequestDone) (SynRequest *req, JsonNode *answer, GError *error);
void             _syn_server_call           (SynRequest  *req,
                                             const char  *op,
                                             JsonObject  *params,
                                             SynRequestDone done);
void             _syn_server_handle_request (SoupServer  *soup,
                                             SoupServerMessage *msg,
                                             const char  *path,
                                             GHashTable  *query,
                                             gpointer     data);
/* Signed in: project access, then the role, then the handler. */
void             _syn_server_signed_in      (SynRequest  *req);
/* After a change of users or memberships: every cached session and access
 * is read again from the database (this process; others within their cache time). */
void             _syn_server_forget_access  (SynServer   *self);

/* syn-server-auth.c */
void             _syn_server_authenticate   (SynRequest  *req);
void             _syn_server_access_entry_free (gpointer  entry);
void             _syn_server_authorize_project (SynRequest *req,
                                                const char *project_key,
                                                SynRequestDone done);
void             _syn_server_generic_done   (SynRequest  *req,
                                             JsonNode    *answer,
                                             GError      *error);
/* A request's parameters from its body (per @route->body) and from its
 * query, as the dispatch reads them; errors are SYN_BACKEND_ERROR_INVALID.
 * Shared with the fuzz targets (tests/fuzz). */
gboolean         _syn_server_parse_body     (const SynApiRoute *route,
                                             const char  *data,
                                             gsize        len,
                                             JsonObject  *params,
                                             GError     **error);
gboolean         _syn_server_parse_query    (const SynApiRoute *route,
                                             GHashTable  *query,
                                             gboolean     websocket,
                                             JsonObject  *params,
                                             GError     **error);
/* syn-server-limits.c: before the body is read */
void             _syn_server_handle_early   (SoupServer  *soup,
                                             SoupServerMessage *msg,
                                             const char  *path,
                                             GHashTable  *query,
                                             gpointer     data);

/* syn-server-log.c */
void             _syn_server_log_line       (SynServer   *self,
                                             const char  *method,
                                             const char  *path,
                                             const char  *status,
                                             gint64       started);
gint64           _syn_server_message_started (SoupServerMessage *msg);
/* The counters of /metrics, made on first use (main thread). */
SynServerMetrics *_syn_server_get_metrics   (SynServer   *self);
/* The route a message matched, for the metrics' route label. */
void             _syn_server_message_set_route (SoupServerMessage *msg,
                                                const SynApiRoute *route);
const SynApiRoute *_syn_server_message_get_route (SoupServerMessage *msg);
void             _syn_server_on_request_started (SoupServer *soup,
                                                 SoupServerMessage *msg,
                                                 gpointer    data);
void             _syn_server_on_request_done    (SoupServer *soup,
                                                 SoupServerMessage *msg,
                                                 gpointer    data);
void             _syn_server_on_request_aborted (SoupServer *soup,
                                                 SoupServerMessage *msg,
                                                 gpointer    data);

/* syn-server-upgrade.c: completes the WebSocket handshake; the connection then goes to the hub. */
void             _syn_server_upgrade        (SynRequest  *req,
                                             gboolean     project,
                                             const char  *key,
                                             gint64       after);

/* syn-server-routes.c: the handler of a route that is more than its
 * operation called as is (NULL for those). */
SynRouteHandler  _syn_server_route_handler  (const SynApiRoute *route);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-server.h: a team server on its own thread over a throwaway database, and a libsoup client for it. */
#pragma once

#include <libsoup/soup.h>

#include "backend/syn-local-backend.h"
#include "server/syn-server.h"

G_BEGIN_DECLS

#define SYN_TEST_PASSWORD "correct horse battery"

typedef struct
{
  guint   ping_interval;     /* 0: the default */
  guint   feed_interval;     /* ms; 0: 50 */
  guint64 max_body_size;     /* 0: the default */
  guint64 max_import_size;
  gboolean    postgres;      /* a new PostgreSQL database (see syn-test-pg.h) */
  const char *db_uri;        /* or this database, shared with another server */
  gboolean    own_context;   /* a second server in the process: a context of its own */
} SynTestServerOptions;

typedef struct
{
  char         *tmpdir;
  char         *db_uri;
  char         *pg_dbname;     /* the PostgreSQL database this server made */
  char         *url;           /* "http://127.0.0.1:PORT" */
  SynStore     *store;         /* the test's own connection to the server's database */
  SoupSession  *session;       /* the test's client, on the main thread */

  GMainContext *client_context;  /* the test's, pushed on the main thread (or NULL) */

  /* the server's thread, running the global default context as `synapse
   * serve` does */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SynServer    *server;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  GError       *error;
} SynTestServer;

SynTestServer *syn_test_server_start     (const SynTestServerOptions *options);
void           syn_test_server_stop      (SynTestServer  *self);
SynServer     *syn_test_server_get_server (SynTestServer *self);

/* Users straight into the database; the password is SYN_TEST_PASSWORD. */
char          *syn_test_server_add_user  (SynTestServer  *self,
                                          const char     *username,
                                          const char     *role);
char          *syn_test_server_login     (SynTestServer  *self,
                                          const char     *username);
void           syn_test_server_add_member (SynTestServer *self,
                                           const char    *project_id,
                                           const char    *user_id);

/* One request; the answer's JSON (NULL for none) and its status. */
JsonNode      *syn_test_http             (SynTestServer  *self,
                                          const char     *method,
                                          const char     *path,
                                          const char     *token,
                                          const char     *content_type,
                                          const char     *body,
                                          gssize          body_length,
                                          guint          *status);
JsonNode      *syn_test_http_expect      (SynTestServer  *self,
                                          const char     *method,
                                          const char     *path,
                                          const char     *token,
                                          const char     *content_type,
                                          const char     *body,
                                          guint           expected);
SoupMessage   *syn_test_http_message     (SynTestServer  *self,
                                          const char     *method,
                                          const char     *path,
                                          const char     *token,
                                          const char     *content_type,
                                          const char     *body,
                                          gssize          body_length,
                                          JsonNode      **answer);
/* The same from any session to any server (@base_url "http://HOST:PORT"):
 * a transport failure sets @error (status 0); the message is returned. */
SoupMessage   *syn_test_session_http     (SoupSession    *session,
                                          const char     *base_url,
                                          const char     *method,
                                          const char     *path,
                                          const char     *token,
                                          const char     *content_type,
                                          const char     *body,
                                          gssize          body_length,
                                          JsonNode      **answer,
                                          GError        **error);
/* A user straight into @store (any database); its id. */
char          *syn_test_add_user         (SynStore       *store,
                                          const char     *username,
                                          const char     *role);

/* `synapse serve --db URI --port 0` ($SYNAPSE_BIN), its stderr in @log_path. */
typedef struct
{
  GSubprocess *process;
  char        *url;       /* "http://127.0.0.1:PORT" */
  char        *log;
} SynTestServe;

SynTestServe  *syn_test_serve_start      (const char     *db_uri,
                                          const char     *log_path);
/* SIGTERM and wait; FALSE when it failed (exit status, a critical or a
 * sanitizer's report in its log); its log in @log_out. Frees @self. */
gboolean       syn_test_serve_stop       (SynTestServe   *self,
                                          char          **log_out);

/* The error code of an error answer ({"error": {"code", "message"}}). */
guint          syn_test_free_port        (void);
const char    *syn_test_error_code       (JsonNode       *answer);
const char    *syn_test_error_message    (JsonNode       *answer);

/* A WebSocket client that keeps what it receives. */
typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *texts;      /* char *, every text message in order */
  gboolean                 closed;
  guint                    status;     /* of a refused handshake */
} SynTestWs;

SynTestWs     *syn_test_ws_connect       (SynTestServer  *self,
                                          const char     *path,
                                          const char     *token);
void           syn_test_ws_free          (SynTestWs      *ws);
gboolean       syn_test_ws_wait          (SynTestWs      *ws,
                                          guint           n_texts,
                                          guint           timeout_ms);
gboolean       syn_test_ws_wait_closed   (SynTestWs      *ws,
                                          guint           timeout_ms);
gboolean       syn_test_wait_until       (gboolean      (*done) (gpointer),
                                          gpointer        data,
                                          guint           timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynTestWs, syn_test_ws_free)

G_END_DECLS

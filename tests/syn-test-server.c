/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-test-server.c: the team server on a thread of its own, so that the test's main thread can use
 * blocking client calls and the command line against it. The server thread runs the global default
 * main context, as `synapse serve` does; the test's main thread gets a context of its own. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-auth.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"
#include "syn-test-server.h"

typedef struct
{
  SynTestServer              *self;
  SynTestServerOptions        options;
} StartData;

/* libsoup 3.2 (Debian 12) keeps one reference on the GSocket of every
 * connection it accepts, for ever (reproduced with libsoup alone: the sockets
 * are never finalized; their descriptors are closed). Their addresses are
 * kept here so that LeakSanitizer counts them as reachable instead of
 * failing every server test for a library's leak. */
static GPtrArray *libsoup_sockets;
G_LOCK_DEFINE_STATIC (libsoup_sockets);

static void
remember_socket (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket == NULL)
    return;
  G_LOCK (libsoup_sockets);
  if (libsoup_sockets == NULL)
    libsoup_sockets = g_ptr_array_new ();
  if (!g_ptr_array_find (libsoup_sockets, socket, NULL))
    g_ptr_array_add (libsoup_sockets, socket);
  G_UNLOCK (libsoup_sockets);
}

static gpointer
server_thread (gpointer data)
{
  StartData *sd = data;
  SynTestServer *self = sd->self;
  g_autoptr(SynLocalBackend) backend = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default (self->context);
  backend = syn_local_backend_new (self->db_uri, &error);
  if (backend != NULL)
    {
      self->server = syn_server_new (backend);
      g_signal_connect (syn_server_get_soup_server (self->server), "request-read",
                        G_CALLBACK (remember_socket), NULL);
      g_object_set (self->server, "feed-interval", sd->options.feed_interval ? sd->options.feed_interval : 50, NULL);
      if (sd->options.ping_interval)
        g_object_set (self->server, "ping-interval", sd->options.ping_interval, NULL);
      if (sd->options.max_body_size)
        g_object_set (self->server, "max-body-size", sd->options.max_body_size, NULL);
      if (sd->options.max_import_size)
        g_object_set (self->server, "max-import-size", sd->options.max_import_size, NULL);
      if (!syn_server_listen (self->server, "127.0.0.1", 0, NULL, &error))
        g_clear_object (&self->server);
    }

  g_mutex_lock (&self->lock);
  self->error = error;
  if (self->server != NULL)
    self->url = g_strdup (syn_server_get_url (self->server));
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  if (self->server != NULL)
    {
      g_main_loop_run (self->loop);
      syn_server_disconnect (self->server);
      /* let the closes and the last backend answers through */
      while (g_main_context_iteration (self->context, FALSE))
        ;
      g_clear_object (&self->server);
      while (g_main_context_iteration (self->context, FALSE))
        ;
    }
  g_clear_object (&backend);
  g_main_context_pop_thread_default (self->context);
  g_free (sd);
  return NULL;
}

SynTestServer *
syn_test_server_start (const SynTestServerOptions *options)
{
  SynTestServer *self = g_new0 (SynTestServer, 1);
  StartData *sd = g_new0 (StartData, 1);
  g_autoptr(GError) error = NULL;

  self->tmpdir = g_dir_make_tmp ("synapse-server-XXXXXX", &error);
  g_assert_no_error (error);
  if (options != NULL && options->db_uri != NULL)
    self->db_uri = g_strdup (options->db_uri);
  else if (options != NULL && options->postgres)
    self->db_uri = syn_test_pg_create_database (&self->pg_dbname);
  else
    self->db_uri = g_build_filename (self->tmpdir, "server.db", NULL);
  self->store = syn_store_open (self->db_uri, &error);
  g_assert_no_error (error);
  if (options != NULL && options->own_context)
    self->context = g_main_context_new ();
  else
    {
      /* the test's own calls and waits go to a context of its own */
      self->client_context = g_main_context_new ();
      g_main_context_push_thread_default (self->client_context);
      self->context = g_main_context_ref (g_main_context_default ());
    }
  self->loop = g_main_loop_new (self->context, FALSE);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);

  sd->self = self;
  if (options != NULL)
    sd->options = *options;
  self->thread = g_thread_new ("test-server", server_thread, sd);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  g_assert_no_error (self->error);
  g_assert_nonnull (self->url);

  self->session = soup_session_new_with_options ("timeout", 60, NULL);
  return self;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
syn_test_server_stop (SynTestServer *self)
{
  if (self == NULL)
    return;
  /* the server goes first, with its clients still connected: libsoup 3.2
   * leaks the server side of a keep-alive connection that the client closes
   * (fixed in 3.3, GNOME/libsoup d20c6601) */
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  soup_session_abort (self->session);
  g_clear_object (&self->session);
  if (self->client_context != NULL)
    {
      while (g_main_context_iteration (self->client_context, FALSE))
        ;
      g_main_context_pop_thread_default (self->client_context);
      g_main_context_unref (self->client_context);
    }
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_clear_object (&self->store);
  if (self->pg_dbname != NULL)
    syn_test_pg_drop_database (self->pg_dbname);
  g_free (self->pg_dbname);
  syn_test_rm_rf (self->tmpdir);
  g_free (self->tmpdir);
  g_free (self->db_uri);
  g_free (self->url);
  g_free (self);
}

/* For reading the server's state from the test: only while it is idle. */
SynServer *
syn_test_server_get_server (SynTestServer *self)
{
  return self->server;
}

char *
syn_test_server_add_user (SynTestServer *self, const char *username, const char *role)
{
  return syn_test_add_user (self->store, username, role);
}

char *
syn_test_add_user (SynStore *store, const char *username, const char *role)
{
  g_autoptr(SynUser) user = syn_user_new ();
  g_autoptr(GError) error = NULL;

  user->username = g_strdup (username);
  user->role = g_strdup (role);
  user->password_hash = syn_auth_hash_password (SYN_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (syn_store_insert_user (store, user, &error));
  g_assert_no_error (error);
  return g_strdup (user->id);
}

char *
syn_test_server_login (SynTestServer *self, const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\": \"%s\", \"password\": \"%s\"}", username, SYN_TEST_PASSWORD);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = syn_test_http (self, "POST", "/api/v1/auth/login", NULL, "application/json", body, -1, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (syn_json_get_string (json_node_get_object (answer), "token"));
}

void
syn_test_server_add_member (SynTestServer *self, const char *project_id, const char *user_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (syn_store_add_project_member (self->store, project_id, user_id, syn_time_now_usec (), &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------- */

SoupMessage *
syn_test_http_message (SynTestServer  *self,
                       const char     *method,
                       const char     *path,
                       const char     *token,
                       const char     *content_type,
                       const char     *body,
                       gssize          body_length,
                       JsonNode      **answer)
{
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = syn_test_session_http (self->session, self->url, method, path, token, content_type, body,
                                            body_length, answer, &error);

  g_assert_no_error (error);
  return msg;
}

/* One request of any client (a thread's own session, another server's
 * URL): a transport failure (status 0) or an answer that is not JSON is
 * @error, the message is returned either way. */
SoupMessage *
syn_test_session_http (SoupSession  *session,
                       const char   *base_url,
                       const char   *method,
                       const char   *path,
                       const char   *token,
                       const char   *content_type,
                       const char   *body,
                       gssize        body_length,
                       JsonNode    **answer,
                       GError      **error)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_nonnull (msg);
  if (answer != NULL)
    *answer = NULL;
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, body_length < 0 ? strlen (body) : (gsize) body_length);

      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, error);
  if (bytes == NULL)
    return msg;
  if (answer != NULL)
    {
      const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

      /* an export answers a file (text/csv): only JSON is parsed */
      if (g_bytes_get_size (bytes) > 0 && (type == NULL || g_str_has_suffix (type, "json")))
        *answer = syn_json_parse (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), error);
    }
  return msg;
}

JsonNode *
syn_test_http (SynTestServer  *self,
               const char     *method,
               const char     *path,
               const char     *token,
               const char     *content_type,
               const char     *body,
               gssize          body_length,
               guint          *status)
{
  JsonNode *answer = NULL;
  g_autoptr(SoupMessage) msg = syn_test_http_message (self, method, path, token, content_type, body,
                                                      body_length, &answer);

  if (status != NULL)
    *status = soup_message_get_status (msg);
  return answer;
}

/* One request that must answer @expected (the test stops otherwise,
 * naming the request and what came back); the answer's JSON. */
JsonNode *
syn_test_http_expect (SynTestServer *self,
                      const char    *method,
                      const char    *path,
                      const char    *token,
                      const char    *content_type,
                      const char    *body,
                      guint          expected)
{
  guint status = 0;
  JsonNode *answer = syn_test_http (self, method, path, token, content_type, body, -1, &status);

  if (status != expected)
    {
      g_autofree char *text = answer ? syn_json_to_string (answer) : g_strdup ("(no body)");

      g_error ("%s %s: %u, expected %u: %s", method, path, status, expected, text);
    }
  return answer;
}

const char *
syn_test_error_code (JsonNode *answer)
{
  JsonObject *e;

  g_assert_nonnull (answer);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  e = json_object_get_object_member (json_node_get_object (answer), "error");
  g_assert_nonnull (e);
  g_assert_nonnull (syn_json_get_string (e, "message"));
  return syn_json_get_string (e, "code");
}

const char *
syn_test_error_message (JsonNode *answer)
{
  syn_test_error_code (answer);
  return syn_json_get_string (json_object_get_object_member (json_node_get_object (answer), "error"), "message");
}

/* ------------------------------------------------------------------------- */

static void
on_ws_message (SoupWebsocketConnection *conn, int type, GBytes *bytes, gpointer data)
{
  SynTestWs *ws = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    g_ptr_array_add (ws->texts, g_strndup (text, len));
}

static void
on_ws_closed (SoupWebsocketConnection *conn, gpointer data)
{
  SynTestWs *ws = data;

  ws->closed = TRUE;
}

typedef struct
{
  SynTestWs *ws;
  gboolean   done;
  SoupMessage *msg;
} ConnectData;

static void
on_connected (GObject *object, GAsyncResult *result, gpointer data)
{
  ConnectData *cd = data;
  g_autoptr(GError) error = NULL;

  cd->ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (cd->ws->conn == NULL)
    cd->ws->status = soup_message_get_status (cd->msg);
  cd->done = TRUE;
}

static gboolean
connect_done (gpointer data)
{
  return ((ConnectData *) data)->done;
}

/* Connected (conn set) or refused (status set). */
SynTestWs *
syn_test_ws_connect (SynTestServer *self, const char *path, const char *token)
{
  g_autofree char *url = g_strconcat (self->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SynTestWs *ws = g_new0 (SynTestWs, 1);
  ConnectData cd = { ws, FALSE, msg };

  ws->texts = g_ptr_array_new_with_free_func (g_free);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected, &cd);
  g_assert_true (syn_test_wait_until (connect_done, &cd, 30000));
  if (ws->conn != NULL)
    {
      g_signal_connect (ws->conn, "message", G_CALLBACK (on_ws_message), ws);
      g_signal_connect (ws->conn, "closed", G_CALLBACK (on_ws_closed), ws);
    }
  return ws;
}

void
syn_test_ws_free (SynTestWs *ws)
{
  if (ws->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (ws->conn, ws);
      if (soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&ws->conn);
    }
  g_ptr_array_unref (ws->texts);
  g_free (ws);
}

typedef struct
{
  SynTestWs *ws;
  guint      n;
} WaitData;

static gboolean
has_texts (gpointer data)
{
  WaitData *wd = data;

  return wd->ws->texts->len >= wd->n || wd->ws->closed;
}

gboolean
syn_test_ws_wait (SynTestWs *ws, guint n_texts, guint timeout_ms)
{
  WaitData wd = { ws, n_texts };

  syn_test_wait_until (has_texts, &wd, timeout_ms);
  return ws->texts->len >= n_texts;
}

static gboolean
is_closed (gpointer data)
{
  return ((SynTestWs *) data)->closed;
}

gboolean
syn_test_ws_wait_closed (SynTestWs *ws, guint timeout_ms)
{
  return syn_test_wait_until (is_closed, ws, timeout_ms);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @done says so, or the time is up. */
gboolean
syn_test_wait_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  GSource *timer = g_timeout_source_new (timeout_ms);
  gboolean timed_out = FALSE;

  g_source_set_callback (timer, on_timeout, &timed_out, NULL);
  g_source_attach (timer, context);
  while (!done (data) && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);
  g_main_context_unref (context);
  return done (data);
}

/* A loopback port nobody listens on now, for a process the test starts
 * next (a server given --port, HAProxy). */
guint
syn_test_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_assert_nonnull (bound);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* ------------------------------------------------------------------------- */
/* `synapse serve` as a process of its own                                   */

SynTestServe *
syn_test_serve_start (const char *db_uri, const char *log_path)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  const char *bin = g_getenv ("SYNAPSE_BIN");
  SynTestServe *self = g_new0 (SynTestServe, 1);

  g_assert_nonnull (bin);
  self->log = g_strdup (log_path);
  /* libsoup 3.2 keeps a socket object per accepted connection for ever (see
   * above): LeakSanitizer would report them at the process's exit */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
    }
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  self->process = g_subprocess_launcher_spawn (launcher, &error, bin, "serve", "--db", db_uri, "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  while (self->url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      const char *at, *end;

      g_assert_no_error (error);
      if (line == NULL)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (log_path, &log, NULL, NULL);
          g_error ("synapse serve did not start: %s", log ? log : "");
        }
      /* "... at http://127.0.0.1:PORT/ (...)" */
      if ((at = strstr (line, " at http://")) != NULL && (end = strstr (at, "/ (")) != NULL)
        self->url = g_strndup (at + 4, end - (at + 4));
    }
  return self;
}

gboolean
syn_test_serve_stop (SynTestServe *self, char **log_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  gboolean ok;

  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (self->log, &log, NULL, NULL);
  ok = g_subprocess_get_if_exited (self->process) && g_subprocess_get_exit_status (self->process) == 0 &&
       (log == NULL || (!strstr (log, "CRITICAL") && !strstr (log, "Sanitizer") && !strstr (log, "runtime error")));
  if (log_out != NULL)
    *log_out = g_steal_pointer (&log);
  g_clear_object (&self->process);
  g_free (self->url);
  g_free (self->log);
  g_free (self);
  return ok;
}

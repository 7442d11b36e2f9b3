/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-concurrency.c: many clients at once through the team server (REST and WebSocket over loopback): racing executions, writes during runs, racing rollbacks and redos, readers and feed watchers throughout, then every invariant; `--clients N` runs a bigger load on demand. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-state-hash.h"
#include "syn-test-pg.h"
#include "syn-test-server.h"

/* ------------------------------------------------------------------------- */
/* Configuration and shared state                                            */

typedef struct
{
  guint    clients;       /* writers racing at once */
  guint    rounds;
  guint    pumps;         /* of the big project */
  guint    readers;       /* timeline readers and feed watchers, each */
  gboolean postgres;
  gboolean two_servers;   /* PostgreSQL: a second `synapse serve` process on the same database */
  gboolean proxy;         /* PostgreSQL: two `synapse serve` processes behind HAProxy, every client through it */
} Config;

typedef struct _Ctx Ctx;
typedef struct _Client Client;
typedef void (*JobFunc) (Client *c, gpointer data);

typedef struct
{
  GMutex   lock;
  GCond    cond;
  guint    pending;       /* jobs not finished */
  guint    waiting;       /* at the gate */
  guint    total;
  gboolean open;
} Group;

typedef struct
{
  JobFunc  func;
  gpointer data;
  Group   *group;
} Job;

struct _Client
{
  Ctx          *ctx;
  guint         index;
  guint         server;       /* which server this client talks to */
  GThread      *thread;
  GAsyncQueue  *jobs;
  GMainContext *context;
  SoupSession  *session;
};

struct _Ctx
{
  Config         cfg;
  SynTestServer *srv;
  GSubprocess   *serve[2];     /* `synapse serve` processes */
  char          *serve_log[2];
  char          *direct[2];    /* their own URLs */
  gboolean       serve_killed; /* the first one, by the test (SIGKILL) */
  GSubprocess   *haproxy;
  char          *haproxy_log;
  char          *urls[2];
  guint          n_urls;
  char          *admin;
  char          *engineer[2];
  char          *viewer;
  GPtrArray     *workers;      /* Client */
  guint          next_project;

  GMutex         lock;
  GPtrArray     *unexpected;   /* char *: every answer no rule allows */
  gint           requests;
  gint           in_flight;
  gint           max_in_flight;
  gint           ws_messages;
  gint           checks;       /* invariants checked */
  gint           refusals;     /* clear 4xx refusals of racing writers */
};

static gboolean load_mode;

static void
note_unexpected (Ctx *ctx, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
drop (JsonNode *node)
{
  if (node != NULL)
    json_node_unref (node);
}

static void
note_unexpected (Ctx *ctx, const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_mutex_lock (&ctx->lock);
  g_ptr_array_add (ctx->unexpected, text);
  g_mutex_unlock (&ctx->lock);
}

#define CHECK(ctx, cond, ...) G_STMT_START {                     \
    g_atomic_int_inc (&(ctx)->checks);                            \
    if (!(cond))                                                  \
      note_unexpected ((ctx), __VA_ARGS__);                       \
  } G_STMT_END

/* ------------------------------------------------------------------------- */
/* Client threads: each with its own main context and SoupSession, kept until
 * the servers have stopped (libsoup 3.2 leaks the server side of a keep-alive
 * connection that the client closes first).                                  */

static void
group_done (Group *g)
{
  g_mutex_lock (&g->lock);
  g->pending--;
  g_cond_broadcast (&g->cond);
  g_mutex_unlock (&g->lock);
}

/* Every job of the group waits here until all have arrived: they start at once. */
static void
group_gate (Group *g)
{
  g_mutex_lock (&g->lock);
  if (++g->waiting == g->total)
    {
      g->open = TRUE;
      g_cond_broadcast (&g->cond);
    }
  while (!g->open)
    g_cond_wait (&g->cond, &g->lock);
  g_mutex_unlock (&g->lock);
}

static gpointer
worker_thread (gpointer data)
{
  Client *c = data;

  c->context = g_main_context_new ();
  g_main_context_push_thread_default (c->context);
  c->session = soup_session_new_with_options ("timeout", 180, NULL);
  for (;;)
    {
      Job *job = g_async_queue_pop (c->jobs);

      if (job->func == NULL)
        {
          g_free (job);
          break;
        }
      group_gate (job->group);
      job->func (c, job->data);
      group_done (job->group);
      g_free (job);
    }
  soup_session_abort (c->session);
  g_clear_object (&c->session);
  while (g_main_context_iteration (c->context, FALSE))
    ;
  g_main_context_pop_thread_default (c->context);
  g_main_context_unref (c->context);
  return NULL;
}

static Client *
worker (Ctx *ctx, guint i)
{
  while (ctx->workers->len <= i)
    {
      Client *c = g_new0 (Client, 1);

      c->ctx = ctx;
      c->index = ctx->workers->len;
      c->server = c->index % ctx->n_urls;
      c->jobs = g_async_queue_new ();
      c->thread = g_thread_new ("client", worker_thread, c);
      g_ptr_array_add (ctx->workers, c);
    }
  return g_ptr_array_index (ctx->workers, i);
}

/* Runs @func on workers first..first+n-1 at once; wait with group_wait(). */
static Group *
group_start (Ctx *ctx, guint first, guint n, JobFunc func, gpointer data)
{
  Group *g = g_new0 (Group, 1);

  g_mutex_init (&g->lock);
  g_cond_init (&g->cond);
  g->pending = n;
  g->total = n;
  for (guint i = 0; i < n; i++)
    {
      Job *job = g_new0 (Job, 1);

      job->func = func;
      job->data = data;
      job->group = g;
      g_async_queue_push (worker (ctx, first + i)->jobs, job);
    }
  return g;
}

static void
group_wait (Group *g)
{
  g_mutex_lock (&g->lock);
  while (g->pending > 0)
    g_cond_wait (&g->cond, &g->lock);
  g_mutex_unlock (&g->lock);
  g_mutex_clear (&g->lock);
  g_cond_clear (&g->cond);
  g_free (g);
}

static void
run_clients (Ctx *ctx, guint first, guint n, JobFunc func, gpointer data)
{
  group_wait (group_start (ctx, first, n, func, data));
}

static void
workers_stop (Ctx *ctx)
{
  for (guint i = 0; i < ctx->workers->len; i++)
    g_async_queue_push (((Client *) g_ptr_array_index (ctx->workers, i))->jobs, g_new0 (Job, 1));
  for (guint i = 0; i < ctx->workers->len; i++)
    {
      Client *c = g_ptr_array_index (ctx->workers, i);

      g_thread_join (c->thread);
      g_async_queue_unref (c->jobs);
      g_free (c);
    }
  g_ptr_array_set_size (ctx->workers, 0);
}

/* ------------------------------------------------------------------------- */
/* HTTP and WebSocket from a client thread                                   */

/* One request on the client's own session. Any 5xx, transport failure, or
 * error answer not shaped {"error": {"code", "message"}} is unexpected. */
static JsonNode *
client_http (Client *c, const char *method, const char *path, const char *token,
             const char *content_type, const char *body, guint *status, char **correlation)
{
  Ctx *ctx = c->ctx;
  g_autofree char *url = g_strconcat (ctx->urls[c->server], path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *answer = NULL;
  gint now, max;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  g_atomic_int_inc (&ctx->requests);
  now = g_atomic_int_add (&ctx->in_flight, 1) + 1;
  while ((max = g_atomic_int_get (&ctx->max_in_flight)) < now &&
         !g_atomic_int_compare_and_exchange (&ctx->max_in_flight, max, now))
    ;
  bytes = soup_session_send_and_read (c->session, msg, NULL, &error);
  g_atomic_int_add (&ctx->in_flight, -1);
  *status = soup_message_get_status (msg);
  if (bytes == NULL)
    {
      note_unexpected (ctx, "%s %s: %s", method, path, error->message);
      *status = 0;
      return NULL;
    }
  if (g_bytes_get_size (bytes) > 0)
    {
      answer = syn_json_parse (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error);
      if (answer == NULL)
        note_unexpected (ctx, "%s %s: %u with a body that is not JSON: %s", method, path, *status, error->message);
    }
  if (*status >= 500)
    {
      g_autofree char *text = answer ? syn_json_to_string (answer) : g_strdup ("(no body)");

      note_unexpected (ctx, "%s %s: %u %s", method, path, *status, text);
    }
  else if (*status >= 400)
    {
      JsonObject *e = answer && JSON_NODE_HOLDS_OBJECT (answer)
                      ? json_object_get_object_member (json_node_get_object (answer), "error") : NULL;

      if (e == NULL || syn_json_get_string (e, "code") == NULL || syn_json_get_string (e, "message") == NULL)
        note_unexpected (ctx, "%s %s: %u without a JSON error", method, path, *status);
    }
  if (correlation != NULL)
    *correlation = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                           "X-Synapse-Correlation-Id"));
  return answer;
}

/* Notes anything but @expected (and, when non-zero, @refusal: a clear 4xx). */
static JsonNode *
client_call (Client *c, const char *method, const char *path, const char *token, const char *body,
             guint expected, guint refusal, guint *status)
{
  guint got = 0;
  JsonNode *answer = client_http (c, method, path, token, body ? "application/json" : NULL, body, &got, NULL);

  if (got != expected && (refusal == 0 || got != refusal) && got != 0 && got < 500)
    {
      g_autofree char *text = answer ? syn_json_to_string (answer) : g_strdup ("(no body)");

      note_unexpected (c->ctx, "%s %s: %u, expected %u: %s", method, path, got, expected, text);
    }
  if (refusal != 0 && got == refusal)
    g_atomic_int_inc (&c->ctx->refusals);
  if (status != NULL)
    *status = got;
  return answer;
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *texts;
  GArray                  *times;    /* gint64, monotonic: when each text came */
  gboolean                 closed;
  gboolean                 done;
  guint                    status;
  SoupMessage             *msg;
  Ctx                     *ctx;
} Ws;

static void
on_ws_message (SoupWebsocketConnection *conn, int type, GBytes *bytes, gpointer data)
{
  Ws *ws = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    {
      gint64 now = g_get_monotonic_time ();

      g_ptr_array_add (ws->texts, g_strndup (text, len));
      g_array_append_val (ws->times, now);
      g_atomic_int_inc (&ws->ctx->ws_messages);
    }
}

static void
on_ws_closed (SoupWebsocketConnection *conn, gpointer data)
{
  ((Ws *) data)->closed = TRUE;
}

static void
on_ws_connected (GObject *object, GAsyncResult *result, gpointer data)
{
  Ws *ws = data;
  g_autoptr(GError) error = NULL;

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (ws->conn == NULL)
    ws->status = soup_message_get_status (ws->msg);
  ws->done = TRUE;
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the client's context until @cond holds or @timeout_ms passes. */
#define SPIN_UNTIL(c, cond, timeout_ms) G_STMT_START {                            \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;    \
    GSource *tick_ = g_timeout_source_new (50);                                   \
    g_source_set_callback (tick_, on_tick, NULL, NULL);                           \
    g_source_attach (tick_, (c)->context);                                        \
    while (!(cond) && g_get_monotonic_time () < deadline_)                        \
      g_main_context_iteration ((c)->context, TRUE);                              \
    g_source_destroy (tick_);                                                     \
    g_source_unref (tick_);                                                       \
  } G_STMT_END

static Ws *
ws_connect_url (Client *c, const char *base, const char *path, const char *token)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  Ws *ws = g_new0 (Ws, 1);

  ws->ctx = c->ctx;
  ws->texts = g_ptr_array_new_with_free_func (g_free);
  ws->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  ws->msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (ws->msg), "Authorization", auth);
  g_atomic_int_inc (&c->ctx->requests);
  soup_session_websocket_connect_async (c->session, ws->msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_ws_connected, ws);
  SPIN_UNTIL (c, ws->done, 60000);
  if (ws->conn == NULL)
    note_unexpected (c->ctx, "WebSocket %s refused: %u", path, ws->status);
  else
    {
      /* a rollback's BATCH_ROLLED_BACK event lists everything it undid: more
       * than libsoup's default 128 KiB for a run of thousands of assets */
      soup_websocket_connection_set_max_incoming_payload_size (ws->conn, 256 * 1024 * 1024);
      g_signal_connect (ws->conn, "message", G_CALLBACK (on_ws_message), ws);
      g_signal_connect (ws->conn, "closed", G_CALLBACK (on_ws_closed), ws);
    }
  return ws;
}

static Ws *
ws_connect_to (Client *c, guint server, const char *path, const char *token)
{
  return ws_connect_url (c, c->ctx->urls[server], path, token);
}

static Ws *
ws_connect (Client *c, const char *path, const char *token)
{
  return ws_connect_to (c, c->server, path, token);
}

static void
ws_free (Client *c, Ws *ws)
{
  if (ws->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (ws->conn, ws);
      if (soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          SPIN_UNTIL (c, soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_CLOSED, 5000);
        }
      g_clear_object (&ws->conn);
    }
  g_clear_object (&ws->msg);
  g_ptr_array_unref (ws->texts);
  g_array_unref (ws->times);
  g_free (ws);
}

/* ------------------------------------------------------------------------- */
/* Projects                                                                  */

static const char *pump_motor_rule =
  "{\"id\": \"pump-motor-{N}\", \"name\": \"FIRM: Pumps require Motor\", \"source\": \"FIRM\","
  " \"action_type\": \"CREATE_CHILD\", \"discipline\": \"ELECTRICAL\","
  " \"condition\": {\"asset_type\": [\"PUMP\"], \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]},"
  " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
  " \"inherit_properties\": [\"hp\", \"length_m\"]}}";

static const char *motor_cable_rule =
  "{\"id\": \"motor-cable-{N}\", \"name\": \"FIRM: Motors require Power Cable\", \"source\": \"FIRM\","
  " \"action_type\": \"CREATE_CABLE\", \"discipline\": \"ELECTRICAL\","
  " \"condition\": {\"asset_type\": \"MOTOR\"},"
  " \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}}";

static char *
pumps_csv (guint area, guint first, guint n)
{
  GString *csv = g_string_new ("TAG,TYPE,AREA,DISCIPLINE,pump_type,hp,length_m\n");

  for (guint i = first; i < first + n; i++)
    g_string_append_printf (csv, "%u-PP-%06u,PUMP,%u,MECHANICAL,CENTRIFUGAL,%u,%u\n", area, i, area,
                            10 + i % 90, 20 + i % 80);
  return g_string_free (csv, FALSE);
}

/* Main-thread calls (setup and checks) go through worker 0, one at a time. */
typedef struct
{
  const char *method;
  const char *path;
  const char *token;
  const char *content_type;
  const char *body;
  guint       status;
  JsonNode   *answer;
} OneCall;

static void
one_call_job (Client *c, gpointer data)
{
  OneCall *oc = data;

  oc->answer = client_http (c, oc->method, oc->path, oc->token, oc->content_type, oc->body, &oc->status, NULL);
}

static JsonNode *
call (Ctx *ctx, guint server, const char *method, const char *path, const char *token,
      const char *content_type, const char *body, guint expected)
{
  OneCall oc = { method, path, token, content_type, body, 0, NULL };

  run_clients (ctx, server, 1, one_call_job, &oc);
  if (oc.status != expected)
    {
      g_autofree char *text = oc.answer ? syn_json_to_string (oc.answer) : g_strdup ("(no body)");

      g_error ("%s %s: %u, expected %u: %s", method, path, oc.status, expected, text);
    }
  return oc.answer;
}

static char *
create_project (Ctx *ctx, guint pumps)
{
  guint n = ++ctx->next_project;
  g_autofree char *body = g_strdup_printf ("{\"name\": \"Plant %u\", \"country\": \"CA\"}", n);
  g_autoptr(JsonNode) project = call (ctx, 0, "POST", "/api/v1/projects", ctx->admin, "application/json", body, 201);
  char *id = g_strdup (syn_json_get_string (json_node_get_object (project), "id"));
  g_autofree char *members = g_strdup_printf ("/api/v1/projects/%s/members", id);
  g_autofree char *rules = g_strdup_printf ("/api/v1/projects/%s/rules", id);
  g_autofree char *import = g_strdup_printf ("/api/v1/projects/%s/import", id);
  g_autofree char *number = g_strdup_printf ("%u", n);
  g_auto(GStrv) parts1 = g_strsplit (pump_motor_rule, "{N}", -1);
  g_auto(GStrv) parts2 = g_strsplit (motor_cable_rule, "{N}", -1);
  g_autofree char *rule1 = g_strjoinv (number, parts1);
  g_autofree char *rule2 = g_strjoinv (number, parts2);

  json_node_unref (call (ctx, 0, "POST", members, ctx->admin, "application/json", "{\"username\": \"erin\"}", 201));
  json_node_unref (call (ctx, 0, "POST", members, ctx->admin, "application/json", "{\"username\": \"ed\"}", 201));
  json_node_unref (call (ctx, 0, "POST", members, ctx->admin, "application/json", "{\"username\": \"victor\"}", 201));
  json_node_unref (call (ctx, 0, "POST", rules, ctx->engineer[0], "application/json", rule1, 201));
  json_node_unref (call (ctx, 0, "POST", rules, ctx->engineer[0], "application/json", rule2, 201));
  if (pumps > 0)
    {
      g_autofree char *csv = pumps_csv (210, 1, pumps);

      json_node_unref (call (ctx, 0, "POST", import, ctx->engineer[0], "text/csv", csv, 200));
    }
  return id;
}

static char *
api_state_hash (Ctx *ctx, guint server, const char *project_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/state-hash", project_id);
  g_autoptr(JsonNode) answer = call (ctx, server, "GET", path, ctx->viewer, NULL, NULL, 200);

  return g_strdup (syn_json_get_string (json_node_get_object (answer), "state_hash"));
}

/* ------------------------------------------------------------------------- */
/* Observers: timeline readers and project-feed watchers, throughout          */

typedef struct
{
  Ctx        *ctx;
  char       *project_id;
  gint        stop;           /* atomic */
  gint64      target;         /* the feed's last position to wait for, once stopped */
  GMutex      lock;
  GPtrArray  *feeds;          /* GPtrArray of char *: what each watcher received */
  gint        pages;          /* timeline pages read */
  Group      *group;
} Observers;

static void
reader_job (Client *c, gpointer data)
{
  Observers *o = data;
  Ctx *ctx = c->ctx;
  gint64 last_total = 0;
  guint k = 0;

  while (!g_atomic_int_get (&o->stop))
    {
      guint page = 1 + k % 3;
      gboolean all = (k & 4) == 0;
      g_autofree char *path = g_strdup_printf ("/api/v1/events/timeline?project_id=%s&limit=20&page=%u%s",
                                               o->project_id, page, all ? "&include_rolled_back=true" : "");
      guint status = 0;
      g_autoptr(JsonNode) answer = client_call (c, "GET", path, ctx->viewer, NULL, 200, 0, &status);
      JsonObject *a;
      JsonArray *events;
      gint64 total, previous = G_MAXINT64;
      guint n;

      k++;
      if (status != 200 || answer == NULL)
        continue;
      g_atomic_int_inc (&o->pages);
      a = json_node_get_object (answer);
      total = json_object_get_int_member (a, "total");
      events = json_object_get_array_member (a, "events");
      n = json_array_get_length (events);
      /* with rolled-back events counted, the total only grows */
      if (all)
        {
          CHECK (ctx, total >= last_total, "timeline total went back from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                 last_total, total);
          last_total = total;
        }
      /* the page agrees with its own total */
      CHECK (ctx, (gint64) n == CLAMP (total - (gint64) (page - 1) * 20, 0, 20),
             "timeline page %u holds %u events of a total of %" G_GINT64_FORMAT, page, n, total);
      CHECK (ctx, json_object_get_int_member (a, "page") == page, "timeline page number");
      for (guint i = 0; i < n; i++)
        {
          JsonObject *e = json_array_get_object_element (events, i);
          gint64 position = json_object_get_int_member (e, "position");

          CHECK (ctx, position < previous, "timeline page not newest first");
          CHECK (ctx, g_strcmp0 (syn_json_get_string (e, "project_id"), o->project_id) == 0,
                 "timeline event of another project");
          CHECK (ctx, all || !json_object_get_boolean_member (e, "is_rolled_back"),
                 "rolled-back event on the default timeline");
          previous = position;
        }
    }
}

static gint64
text_position (const char *text)
{
  g_autoptr(JsonObject) m = syn_json_parse_object (text, -1, NULL);
  JsonObject *e;

  if (m == NULL || g_strcmp0 (syn_json_get_string (m, "type"), "EVENT") != 0)
    return -1;
  e = json_object_get_object_member (m, "event");
  return e ? json_object_get_int_member (e, "position") : -1;
}

static void
watcher_job (Client *c, gpointer data)
{
  Observers *o = data;
  g_autofree char *path = g_strdup_printf ("/ws/projects/%s/events?after=0", o->project_id);
  Ws *ws = ws_connect (c, path, c->ctx->viewer);
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);
  gint64 last = 0;

  if (ws->conn != NULL)
    {
      for (;;)
        {
          gboolean stopping = g_atomic_int_get (&o->stop);

          /* drain what came in so far */
          for (guint i = 0; i < ws->texts->len; i++)
            {
              char *text = g_ptr_array_index (ws->texts, i);
              gint64 position = text_position (text);

              if (position < 0)
                continue;  /* "ping" */
              last = position;
              g_ptr_array_add (events, g_strdup (text));
            }
          g_ptr_array_set_size (ws->texts, 0);
          if (stopping && last >= o->target)
            break;
          if (ws->closed)
            {
              note_unexpected (c->ctx, "the project feed closed (%u) at position %" G_GINT64_FORMAT,
                               soup_websocket_connection_get_close_code (ws->conn), last);
              break;
            }
          if (stopping)
            {
              SPIN_UNTIL (c, ws->texts->len > 0 || ws->closed, 60000);
              if (ws->texts->len == 0)
                {
                  note_unexpected (c->ctx, "the project feed stopped at position %" G_GINT64_FORMAT
                                   " short of %" G_GINT64_FORMAT, last, o->target);
                  break;
                }
            }
          else
            SPIN_UNTIL (c, ws->texts->len > 0 || ws->closed || g_atomic_int_get (&o->stop), 200);
        }
    }
  ws_free (c, ws);
  g_mutex_lock (&o->lock);
  g_ptr_array_add (o->feeds, events);
  g_mutex_unlock (&o->lock);
}

static void
observers_job (Client *c, gpointer data)
{
  /* the first half of the group reads the timeline, the second watches */
  if (c->index % 2 == 0)
    reader_job (c, data);
  else
    watcher_job (c, data);
}

/* Observers run on the workers after the writers' (from @first on). */
static Observers *
observers_start (Ctx *ctx, guint first, const char *project_id)
{
  Observers *o = g_new0 (Observers, 1);
  guint n = ctx->cfg.readers * 2;

  o->ctx = ctx;
  o->project_id = g_strdup (project_id);
  o->feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_mutex_init (&o->lock);
  /* an even first worker, so that readers and watchers alternate */
  first += first % 2;
  o->group = group_start (ctx, first, n, observers_job, o);
  return o;
}

/* Every event of the project in position order, rolled back or not, from the database. */
static GPtrArray *
all_events (SynStore *store, const char *project_id)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = syn_store_list_events_after (store, project_id, after, 500, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));
      if (page->len < 500)
        break;
      after = ((SynEvent *) g_ptr_array_index (page, page->len - 1))->position;
    }
  return all;
}

/* Stops the observers once every write is done, and checks that each feed
 * delivered every event of the project exactly once, in order. */
static void
observers_finish (Ctx *ctx, Observers *o)
{
  g_autoptr(GPtrArray) events = all_events (ctx->srv->store, o->project_id);

  o->target = events->len ? ((SynEvent *) g_ptr_array_index (events, events->len - 1))->position : 0;
  g_atomic_int_set (&o->stop, 1);
  group_wait (o->group);

  g_assert_cmpuint (o->feeds->len, ==, ctx->cfg.readers);
  for (guint w = 0; w < o->feeds->len; w++)
    {
      GPtrArray *feed = g_ptr_array_index (o->feeds, w);

      CHECK (ctx, feed->len == events->len, "a feed watcher got %u events, the project has %u", feed->len, events->len);
      for (guint i = 0; i < MIN (feed->len, events->len); i++)
        {
          g_autoptr(JsonObject) m = syn_json_parse_object (g_ptr_array_index (feed, i), -1, NULL);
          JsonObject *e = json_object_get_object_member (m, "event");
          SynEvent *expected = g_ptr_array_index (events, i);

          CHECK (ctx, g_strcmp0 (syn_json_get_string (e, "id"), expected->id) == 0 &&
                      json_object_get_int_member (e, "position") == expected->position,
                 "feed event %u is at position %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, i,
                 json_object_get_int_member (e, "position"), expected->position);
          if (json_object_get_int_member (e, "position") != expected->position)
            break;
        }
    }
  if (load_mode)
    g_print ("    observers: %d timeline pages read, %u feeds of %u events each\n",
             g_atomic_int_get (&o->pages), o->feeds->len, events->len);
  g_ptr_array_unref (o->feeds);
  g_mutex_clear (&o->lock);
  g_free (o->project_id);
  g_free (o);
}

/* ------------------------------------------------------------------------- */
/* Invariants                                                                */

typedef struct
{
  char   *correlation_id;
  guint   first;          /* index in the position order */
  guint   n;
  gint64  started;        /* BATCH_STARTED / BATCH_COMPLETED timestamps */
  gint64  completed;
  gint64  min_seq, max_seq;
  guint   rolled_back;
} BatchSeen;

static void
batch_seen_free (BatchSeen *b)
{
  g_free (b->correlation_id);
  g_free (b);
}

/* Everything that must hold whatever raced: @complete also wants the rules'
 * work done (every centrifugal pump with one motor, every motor one cable). */
static void
check_project (Ctx *ctx, const char *project_id, gboolean complete)
{
  SynStore *store = ctx->srv->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = all_events (store, project_id);
  g_autoptr(GHashTable) batches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) batch_seen_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GPtrArray) snapshots = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GPtrArray) executions = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) motor_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) pump_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) cable_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *hash = NULL;
  BatchSeen *current = NULL;
  gint64 last_position = 0;
  guint64 total = 0;

  /* positions strictly increase; each batch is one unbroken run of positions
   * (nothing interleaved) with sequence numbers 0..n-1 */
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      CHECK (ctx, e->position > last_position, "positions not strictly increasing at %" G_GINT64_FORMAT, e->position);
      last_position = e->position;
      if (current == NULL || g_strcmp0 (current->correlation_id, e->correlation_id) != 0)
        {
          CHECK (ctx, !g_hash_table_contains (batches, e->correlation_id),
                 "batch %s is interleaved with another (position %" G_GINT64_FORMAT ")", e->correlation_id, e->position);
          if (g_hash_table_contains (batches, e->correlation_id))
            {
              current = g_hash_table_lookup (batches, e->correlation_id);
              current->n++;
              continue;
            }
          current = g_new0 (BatchSeen, 1);
          current->correlation_id = g_strdup (e->correlation_id);
          current->first = i;
          current->min_seq = G_MAXINT64;
          current->max_seq = -1;
          g_hash_table_insert (batches, current->correlation_id, current);
          g_ptr_array_add (order, current);
        }
      current->n++;
      current->min_seq = MIN (current->min_seq, e->sequence_num);
      current->max_seq = MAX (current->max_seq, e->sequence_num);
      current->rolled_back += e->is_rolled_back;
      if (g_strcmp0 (e->event_type, SYN_EVENT_BATCH_STARTED) == 0)
        current->started = e->timestamp;
      else if (g_strcmp0 (e->event_type, SYN_EVENT_BATCH_COMPLETED) == 0)
        current->completed = e->timestamp;
    }
  for (guint i = 0; i < order->len; i++)
    {
      BatchSeen *b = g_ptr_array_index (order, i);

      CHECK (ctx, b->min_seq == 0 && b->max_seq == (gint64) b->n - 1,
             "batch %s: %u events with sequence numbers %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
             b->correlation_id, b->n, b->min_seq, b->max_seq);
      CHECK (ctx, b->rolled_back == 0 || b->rolled_back == b->n, "batch %s partly rolled back", b->correlation_id);
    }
  /* executions never overlap in time: each starts after the previous one's end */
  {
    BatchSeen *previous = NULL;

    for (guint i = 0; i < order->len; i++)
      {
        BatchSeen *b = g_ptr_array_index (order, i);

        if (b->started == 0)
          continue;
        CHECK (ctx, b->completed >= b->started, "execution batch %s without its end", b->correlation_id);
        if (previous != NULL)
          CHECK (ctx, b->started > previous->completed, "executions %s and %s overlap in time",
                 previous->correlation_id, b->correlation_id);
        previous = b;
      }
  }

  /* every snapshot counts its batch's events, and is rolled back with them */
  snapshots = syn_store_list_snapshots (store, project_id, FALSE, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < snapshots->len; i++)
    {
      SynSnapshot *s = g_ptr_array_index (snapshots, i);
      BatchSeen *b = g_hash_table_lookup (batches, s->correlation_id);

      CHECK (ctx, b != NULL, "snapshot %s without events", s->correlation_id);
      if (b == NULL)
        continue;
      CHECK (ctx, s->events_count == (gint64) b->n, "snapshot %s counts %" G_GINT64_FORMAT " events, the batch has %u",
             s->correlation_id, s->events_count, b->n);
      CHECK (ctx, (g_strcmp0 (s->status, SYN_SNAPSHOT_ROLLED_BACK) == 0) == (b->rolled_back == b->n),
             "snapshot %s is %s, %u of its %u events rolled back", s->correlation_id, s->status, b->rolled_back, b->n);
    }

  /* no duplicate: tags unique, a pump has at most one motor, a motor one pump and one cable */
  assets = syn_store_list_assets (store, project_id, NULL, NULL, 0, 0, &total, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *a = g_ptr_array_index (assets, i);

      CHECK (ctx, !g_hash_table_contains (tags, a->tag), "two assets tagged %s", a->tag);
      g_hash_table_add (tags, a->tag);
      g_hash_table_insert (by_id, a->id, a);
    }
  edges = syn_store_list_edges (store, project_id, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < edges->len; i++)
    {
      SynEdge *edge = g_ptr_array_index (edges, i);
      SynAsset *source = g_hash_table_lookup (by_id, edge->source_asset_id);
      SynAsset *target = g_hash_table_lookup (by_id, edge->target_asset_id);

      CHECK (ctx, source != NULL && target != NULL, "edge %s to a missing asset", edge->id);
      if (source == NULL || target == NULL || g_strcmp0 (edge->relation, "powers") != 0)
        continue;
      CHECK (ctx, !g_hash_table_contains (motor_of, target->id), "pump %s has two motors", target->tag);
      CHECK (ctx, !g_hash_table_contains (pump_of, source->id), "motor %s powers two pumps", source->tag);
      g_hash_table_insert (motor_of, target->id, source);
      g_hash_table_insert (pump_of, source->id, target);
    }
  cables = syn_store_list_cables (store, project_id, 0, 0, &total, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cables->len; i++)
    {
      SynCable *cable = g_ptr_array_index (cables, i);

      /* no dangling reference, whatever raced */
      CHECK (ctx, cable->from_asset_id == NULL || g_hash_table_contains (by_id, cable->from_asset_id),
             "cable %s from a missing asset", cable->tag);
      CHECK (ctx, cable->to_asset_id == NULL || g_hash_table_contains (by_id, cable->to_asset_id),
             "cable %s to a missing asset", cable->tag);
      CHECK (ctx, !g_hash_table_contains (cable_of, cable->to_asset_id), "two cables to one load");
      g_hash_table_insert (cable_of, cable->to_asset_id, cable);
    }
  for (guint i = 0; i < assets->len; i++)
    {
      SynAsset *a = g_ptr_array_index (assets, i);

      if (g_strcmp0 (a->type, "MOTOR") == 0)
        {
          CHECK (ctx, g_hash_table_contains (pump_of, a->id), "motor %s powers no pump", a->tag);
          if (complete)
            CHECK (ctx, g_hash_table_contains (cable_of, a->id), "motor %s without its cable", a->tag);
        }
      else if (complete && g_strcmp0 (a->type, "PUMP") == 0)
        CHECK (ctx, g_hash_table_contains (motor_of, a->id), "pump %s without its motor", a->tag);
    }

  /* the state hash the servers answer is the database's */
  hash = syn_state_hash_compute (store, project_id, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < ctx->n_urls; s++)
    {
      g_autofree char *answered = api_state_hash (ctx, s, project_id);

      CHECK (ctx, g_strcmp0 (answered, hash) == 0, "server %u answers state hash %s, the database's is %s", s, answered, hash);
    }
  /* and each server's verify finds nothing */
  for (guint s = 0; s < ctx->n_urls; s++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/verify", project_id);
      g_autoptr(JsonNode) verified = call (ctx, s, "GET", path, ctx->admin, NULL, NULL, 200);
      JsonObject *v = json_node_get_object (verified);

      CHECK (ctx, json_object_get_boolean_member (v, "ok"), "server %u: verify finds %u problems, the first: %s", s,
             json_array_get_length (json_object_get_array_member (v, "findings")),
             json_array_get_length (json_object_get_array_member (v, "findings")) > 0
             ? syn_json_get_string (json_array_get_object_element (json_object_get_array_member (v, "findings"), 0),
                                    "message") : "-");
    }

  /* every execution recorded has finished */
  executions = syn_store_list_executions (store, project_id, 0, 0, &total, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < executions->len; i++)
    {
      SynExecution *x = g_ptr_array_index (executions, i);

      CHECK (ctx, g_strv_contains ((const char *[]) { "completed", "up_to_date", "preview", "failed", "cancelled", NULL },
                                   x->status),
             "execution %s is %s", x->execution_id, x->status);
      /* a run with nothing to do commits no batch */
      if (g_strcmp0 (x->status, "up_to_date") == 0)
        CHECK (ctx, x->correlation_id == NULL, "up-to-date execution %s names batch %s", x->execution_id,
               x->correlation_id);
      CHECK (ctx, x->finished_at >= x->started_at, "execution %s ends before it starts", x->execution_id);
      if (g_strcmp0 (x->status, "completed") == 0)
        CHECK (ctx, x->correlation_id && g_hash_table_contains (batches, x->correlation_id),
               "completed execution %s without its batch", x->execution_id);
    }
}

static void
assert_no_unexpected (Ctx *ctx)
{
  for (guint i = 0; i < ctx->unexpected->len; i++)
    g_printerr ("# unexpected: %s\n", (char *) g_ptr_array_index (ctx->unexpected, i));
  g_assert_cmpuint (ctx->unexpected->len, ==, 0);
}

/* ------------------------------------------------------------------------- */
/* Executions                                                                */

typedef struct
{
  char      *project_id;
  GMutex     lock;
  GPtrArray *completed;     /* JsonObject: COMPLETED messages */
  guint      started;
  guint      busy;          /* 423 refusals */
  guint      previews;      /* dry runs that completed */
  gboolean   retry_busy;    /* try again until it starts */
  gboolean   mixed;         /* odd clients preview (dry run) instead */
} ExecData;

/* Starts an execution; when it starts, watches it to its end. */
static void
execute_job (Client *c, gpointer data)
{
  ExecData *d = data;
  Ctx *ctx = c->ctx;
  gboolean preview = d->mixed && c->index % 2 == 1;
  g_autofree char *body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"%s\"}", d->project_id,
                                           preview ? "dry_run" : "execute");
  const char *token = ctx->engineer[c->index % 2];
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *ws_path = NULL;
  guint status = 0;
  Ws *ws;

  for (guint attempt = 0; attempt < 600; attempt++)
    {
      g_clear_pointer (&answer, json_node_unref);
      answer = client_call (c, "POST", "/api/v1/rules/execute", token, body, 200, 423, &status);
      if (status != 423 || !d->retry_busy)
        break;
      g_usleep (50 * 1000);
    }
  g_mutex_lock (&d->lock);
  d->busy += status == 423;
  d->started += status == 200 && !preview;
  g_mutex_unlock (&d->lock);
  if (status != 200)
    return;

  ws_path = g_strdup_printf ("/ws/execution/%s", syn_json_get_string (json_node_get_object (answer), "execution_id"));
  ws = ws_connect (c, ws_path, ctx->viewer);
  SPIN_UNTIL (c, ws->closed || ws->conn == NULL, 300000);
  if (ws->texts->len == 0)
    note_unexpected (ctx, "execution %s: no message", ws_path);
  else
    {
      g_autoptr(JsonObject) m = syn_json_parse_object (g_ptr_array_index (ws->texts, ws->texts->len - 1), -1, NULL);

      if (m == NULL || g_strcmp0 (syn_json_get_string (m, "type"), "COMPLETED") != 0)
        note_unexpected (ctx, "execution %s ended with %s", ws_path, (char *) g_ptr_array_index (ws->texts, ws->texts->len - 1));
      else
        {
          g_mutex_lock (&d->lock);
          if (preview)
            d->previews++;
          else
            g_ptr_array_add (d->completed, json_object_ref (m));
          g_mutex_unlock (&d->lock);
        }
    }
  ws_free (c, ws);
}

static ExecData *
exec_data_new (const char *project_id)
{
  ExecData *d = g_new0 (ExecData, 1);

  d->project_id = g_strdup (project_id);
  g_mutex_init (&d->lock);
  d->completed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  return d;
}

static void
exec_data_free (ExecData *d)
{
  g_free (d->project_id);
  g_mutex_clear (&d->lock);
  g_ptr_array_unref (d->completed);
  g_free (d);
}

static gint64
summary_created (JsonObject *completed, const char *kind)
{
  JsonObject *summary = json_object_get_object_member (completed, "summary");

  return json_object_get_int_member (json_object_get_object_member (summary, "created"), kind);
}

/* Several clients start an execution on one project at the same moment, round
 * after round: one runs at a time (the others are refused 423, or wait for the
 * lock in another server process), and together they do exactly what one run does. */
static void
scenario_same_project (Ctx *ctx)
{
  guint n = ctx->cfg.clients;
  g_autofree char *project_id = create_project (ctx, ctx->cfg.pumps);
  Observers *o = observers_start (ctx, n, project_id);
  ExecData *d = exec_data_new (project_id);
  gint64 motors = 0, cables = 0;
  guint extra = 0;

  /* previews (dry runs) race too: they hold the project like a run */
  d->mixed = TRUE;
  for (guint r = 0; r < ctx->cfg.rounds; r++)
    run_clients (ctx, 0, n, execute_job, d);
  /* every execution may have met a preview holding the project: then one
   * more, alone, so that what the runs made together can be checked */
  if (d->started == 0)
    {
      d->mixed = FALSE;
      d->retry_busy = TRUE;
      run_clients (ctx, 0, 1, execute_job, d);
      extra = 1;
    }
  observers_finish (ctx, o);

  if (load_mode)
    g_print ("    %u executions started, %u previews, %u refused busy\n", d->started, d->previews, d->busy);
  g_assert_cmpuint (d->started, >=, 1);
  g_assert_cmpuint (d->started + d->previews + d->busy, ==, n * ctx->cfg.rounds + extra);
  g_assert_cmpuint (d->completed->len, ==, d->started);
  /* together, exactly what a single run makes */
  for (guint i = 0; i < d->completed->len; i++)
    {
      motors += summary_created (g_ptr_array_index (d->completed, i), "assets");
      cables += summary_created (g_ptr_array_index (d->completed, i), "cables");
    }
  g_assert_cmpint (motors, ==, ctx->cfg.pumps);
  g_assert_cmpint (cables, ==, ctx->cfg.pumps);
  check_project (ctx, project_id, TRUE);
  assert_no_unexpected (ctx);
  exec_data_free (d);
}

/* One project per client, all executed at once: every one succeeds. */
typedef struct
{
  GPtrArray *data;   /* ExecData per client */
} ManyData;

static void
execute_own_job (Client *c, gpointer data)
{
  ManyData *m = data;

  execute_job (c, g_ptr_array_index (m->data, c->index));
}

static void
scenario_different_projects (Ctx *ctx)
{
  guint n = ctx->cfg.clients;
  ManyData m = { g_ptr_array_new_with_free_func ((GDestroyNotify) exec_data_free) };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *project_id = create_project (ctx, 20);

      g_ptr_array_add (m.data, exec_data_new (project_id));
    }
  run_clients (ctx, 0, n, execute_own_job, &m);
  for (guint i = 0; i < n; i++)
    {
      ExecData *d = g_ptr_array_index (m.data, i);

      g_assert_cmpuint (d->started, ==, 1);
      g_assert_cmpuint (d->completed->len, ==, 1);
      g_assert_cmpint (summary_created (g_ptr_array_index (d->completed, 0), "assets"), ==, 20);
      check_project (ctx, d->project_id, TRUE);
    }
  assert_no_unexpected (ctx);
  g_ptr_array_unref (m.data);
}

/* ------------------------------------------------------------------------- */
/* Writes during an execution                                                */

typedef struct
{
  char      *project_id;
  guint      round;
  gint       executing;     /* atomic: the execution is still going */
  ExecData  *exec;
  GMutex     lock;
  GPtrArray *imports;       /* char *: correlation ids of imports that went through */
  GPtrArray *tags;          /* char *: tags that must exist once */
  GPtrArray *gone;          /* char *: tags that must not exist */
  GPtrArray *pump_ids;      /* of the project's first pumps */
} WriteData;

static void
writer_job (Client *c, gpointer data)
{
  WriteData *w = data;
  Ctx *ctx = c->ctx;
  const char *token = ctx->engineer[c->index % 2];
  g_autofree char *import = g_strdup_printf ("/api/v1/projects/%s/import", w->project_id);
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", w->project_id);

  if (c->index == 0)
    {
      execute_job (c, w->exec);
      g_atomic_int_set (&w->executing, 0);
      return;
    }
  /* each kind of write at least once, then on while the run goes */
  for (guint k = 0; k < 3 || g_atomic_int_get (&w->executing); k++)
    {
      guint number = 100000 * c->index + 1000 * w->round + 10 * k;
      guint status = 0;

      switch (k % 3)
        {
        case 0:
          {
            g_autofree char *csv = pumps_csv (300, number, 5);
            g_autoptr(JsonNode) answer = client_http (c, "POST", import, token, "text/csv", csv, &status, NULL);

            if (status == 200)
              {
                JsonObject *a = json_node_get_object (answer);

                CHECK (ctx, json_object_get_int_member (a, "imported") == 5, "an import lost rows");
                g_mutex_lock (&w->lock);
                g_ptr_array_add (w->imports, g_strdup (syn_json_get_string (a, "correlation_id")));
                for (guint i = 0; i < 5; i++)
                  g_ptr_array_add (w->tags, g_strdup_printf ("300-PP-%06u", number + i));
                g_mutex_unlock (&w->lock);
              }
            else if (status == 423)
              g_atomic_int_inc (&ctx->refusals);
            else if (status != 0 && status < 500)
              note_unexpected (ctx, "import: %u", status);
          }
          break;
        case 1:
          {
            const char *pump = g_ptr_array_index (w->pump_ids, (c->index + k) % w->pump_ids->len);
            g_autofree char *path = g_strdup_printf ("%s/%s", assets, pump);
            g_autofree char *body = g_strdup_printf ("{\"properties\": {\"note_%u\": \"%u\"}}", c->index, k);

            drop (client_call (c, "PATCH", path, token, body, 200, 423, &status));
          }
          break;
        default:
          {
            g_autofree char *body = g_strdup_printf ("{\"tag\": \"TK-%06u\", \"type\": \"TANK\"}", number);
            g_autoptr(JsonNode) created = client_call (c, "POST", assets, token, body, 201, 423, &status);
            g_autofree char *tag = g_strdup_printf ("TK-%06u", number);
            g_autofree char *path = NULL;

            if (status != 201)
              break;
            path = g_strdup_printf ("%s/%s", assets, syn_json_get_string (json_node_get_object (created), "id"));
            /* every other one is deleted again */
            if (k % 2 == 0)
              {
                drop (client_call (c, "DELETE", path, token, NULL, 204, 423, &status));
                g_mutex_lock (&w->lock);
                g_ptr_array_add (status == 204 ? w->gone : w->tags, g_steal_pointer (&tag));
                g_mutex_unlock (&w->lock);
              }
            else
              {
                g_mutex_lock (&w->lock);
                g_ptr_array_add (w->tags, g_steal_pointer (&tag));
                g_mutex_unlock (&w->lock);
              }
          }
          break;
        }
    }
}

static void
scenario_writes_during_execution (Ctx *ctx)
{
  guint n = ctx->cfg.clients;
  g_autofree char *project_id = create_project (ctx, ctx->cfg.pumps);
  Observers *o = observers_start (ctx, n, project_id);
  WriteData w = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pumps = NULL;
  guint64 total = 0;

  w.project_id = project_id;
  g_mutex_init (&w.lock);
  w.imports = g_ptr_array_new_with_free_func (g_free);
  w.tags = g_ptr_array_new_with_free_func (g_free);
  w.gone = g_ptr_array_new_with_free_func (g_free);
  w.pump_ids = g_ptr_array_new_with_free_func (g_free);
  pumps = syn_store_list_assets (ctx->srv->store, project_id, "PUMP", NULL, 0, 50, &total, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < pumps->len; i++)
    g_ptr_array_add (w.pump_ids, g_strdup (((SynAsset *) g_ptr_array_index (pumps, i))->id));

  for (guint r = 0; r < ctx->cfg.rounds; r++)
    {
      w.round = r;
      w.exec = exec_data_new (project_id);
      w.exec->retry_busy = TRUE;
      g_atomic_int_set (&w.executing, 1);
      run_clients (ctx, 0, n, writer_job, &w);
      g_assert_cmpuint (w.exec->completed->len, ==, 1);
      exec_data_free (w.exec);
    }
  /* a last run completes the rules' work for what was imported meanwhile */
  w.exec = exec_data_new (project_id);
  w.exec->retry_busy = TRUE;
  run_clients (ctx, 0, 1, execute_job, w.exec);
  g_assert_cmpuint (w.exec->completed->len, ==, 1);
  exec_data_free (w.exec);
  observers_finish (ctx, o);

  if (load_mode)
    g_print ("    %u imports went through, %u tags written, %u deleted\n", w.imports->len, w.tags->len, w.gone->len);
  /* each import whole: its CSV_IMPORTED and its five assets, nothing between */
  for (guint i = 0; i < w.imports->len; i++)
    {
      g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (ctx->srv->store, project_id,
                                                                         g_ptr_array_index (w.imports, i), &error);

      g_assert_no_error (error);
      CHECK (ctx, events->len == 6, "import %s has %u events", (char *) g_ptr_array_index (w.imports, i), events->len);
      for (guint j = 1; j < events->len; j++)
        CHECK (ctx, ((SynEvent *) g_ptr_array_index (events, j))->position ==
                    ((SynEvent *) g_ptr_array_index (events, j - 1))->position + 1 || ctx->cfg.postgres,
               "import %s is not contiguous", (char *) g_ptr_array_index (w.imports, i));
    }
  for (guint i = 0; i < w.tags->len; i++)
    {
      g_autoptr(SynAsset) a = syn_store_get_asset_by_tag (ctx->srv->store, project_id, g_ptr_array_index (w.tags, i), &error);

      g_assert_no_error (error);
      CHECK (ctx, a != NULL, "asset %s is missing", (char *) g_ptr_array_index (w.tags, i));
    }
  for (guint i = 0; i < w.gone->len; i++)
    {
      g_autoptr(SynAsset) a = syn_store_get_asset_by_tag (ctx->srv->store, project_id, g_ptr_array_index (w.gone, i), &error);

      g_assert_no_error (error);
      CHECK (ctx, a == NULL, "deleted asset %s is back", (char *) g_ptr_array_index (w.gone, i));
    }
  check_project (ctx, project_id, TRUE);
  assert_no_unexpected (ctx);
  g_ptr_array_unref (w.imports);
  g_ptr_array_unref (w.tags);
  g_ptr_array_unref (w.gone);
  g_ptr_array_unref (w.pump_ids);
  g_mutex_clear (&w.lock);
}

/* ------------------------------------------------------------------------- */
/* Rollbacks and redos racing each other                                     */

typedef struct
{
  const char *route;          /* "rollback" or "redo" */
  guint       refusal;        /* what the losers get */
  const char *told;           /* and what it says */
  char       *project_id;
  char       *correlation_id;
  gint        won;
  gint        refused;
} RaceUndo;

static void
undo_job (Client *c, gpointer data)
{
  RaceUndo *d = data;
  g_autofree char *path = g_strdup_printf ("/api/v1/rules/%s?project_id=%s", d->route, d->project_id);
  g_autofree char *body = g_strdup_printf ("{\"correlation_id\": \"%s\"}", d->correlation_id);
  guint status = 0;
  g_autoptr(JsonNode) answer = client_call (c, "POST", path, c->ctx->engineer[c->index % 2], body, 200, d->refusal,
                                            &status);

  if (status == 200)
    g_atomic_int_inc (&d->won);
  else if (status == d->refusal)
    {
      JsonObject *e = json_object_get_object_member (json_node_get_object (answer), "error");

      CHECK (c->ctx, strstr (syn_json_get_string (e, "message"), d->told) != NULL,
             "%s refused with \"%s\"", d->route, syn_json_get_string (e, "message"));
      g_atomic_int_inc (&d->refused);
    }
}

/* Every client at once: exactly one wins, the others are told why not, and
 * the state is @expected. */
static void
race_undo (Ctx *ctx, RaceUndo *d, const char *expected)
{
  g_autofree char *after = NULL;

  run_clients (ctx, 0, ctx->cfg.clients, undo_job, d);
  g_assert_cmpint (d->won, ==, 1);
  g_assert_cmpint (d->refused, ==, (gint) ctx->cfg.clients - 1);
  after = api_state_hash (ctx, 0, d->project_id);
  g_assert_cmpstr (after, ==, expected);
}

/* A batch rolled back by racing clients: the state before it again. */
static void
race_rollbacks (Ctx *ctx, const char *project_id, const char *correlation_id, const char *before)
{
  RaceUndo d = { "rollback", 400, "already been rolled back", (char *) project_id, (char *) correlation_id, 0, 0 };

  race_undo (ctx, &d, before);
}

/* Racing redos of one rolled-back batch: the first applies it, the others
 * are told it stands in their way; the state is the one the batch left. */
static void
race_redos (Ctx *ctx, const char *project_id, const char *correlation_id, const char *left)
{
  RaceUndo d = { "redo", 409, "cannot be redone", (char *) project_id, (char *) correlation_id, 0, 0 };

  race_undo (ctx, &d, left);
}

static void
scenario_rollback_race (Ctx *ctx)
{
  g_autofree char *project_id = create_project (ctx, ctx->cfg.pumps);
  g_autofree char *import = g_strdup_printf ("/api/v1/projects/%s/import", project_id);
  Observers *o = observers_start (ctx, ctx->cfg.clients, project_id);

  for (guint r = 0; r < ctx->cfg.rounds; r++)
    {
      g_autofree char *before = api_state_hash (ctx, 0, project_id);
      g_autofree char *csv = pumps_csv (400, 1000 * (r + 1), 10);
      g_autoptr(JsonNode) imported = call (ctx, 0, "POST", import, ctx->engineer[0], "text/csv", csv, 200);
      ExecData *d = exec_data_new (project_id);
      g_autofree char *before_run = NULL;
      g_autofree char *left = api_state_hash (ctx, 0, project_id);
      const char *import_batch = syn_json_get_string (json_node_get_object (imported), "correlation_id");

      race_rollbacks (ctx, project_id, import_batch, before);
      /* and back: the import again, once */
      race_redos (ctx, project_id, import_batch, left);

      /* an execution's batch too */
      before_run = api_state_hash (ctx, 0, project_id);
      run_clients (ctx, 0, 1, execute_job, d);
      g_assert_cmpuint (d->completed->len, ==, 1);
      race_rollbacks (ctx, project_id, syn_json_get_string (g_ptr_array_index (d->completed, 0), "correlation_id"),
                      before_run);
      exec_data_free (d);
    }
  observers_finish (ctx, o);
  check_project (ctx, project_id, FALSE);
  assert_no_unexpected (ctx);
}

/* ------------------------------------------------------------------------- */
/* Cancels racing the end of a run                                           */

typedef struct
{
  char      *ws_path;
  GMutex     lock;
  GPtrArray *finals;        /* char *: the last message each watcher got */
} CancelData;

static void
cancel_job (Client *c, gpointer data)
{
  CancelData *d = data;
  /* any server streams the run and takes its cancel: each client watches
   * through its own (or the proxy) */
  Ws *ws = ws_connect (c, d->ws_path, c->ctx->engineer[c->index % 2]);

  /* one after the other, a few milliseconds apart: some land before the
   * commit, some after */
  g_usleep (c->index * 3000);
  if (ws->conn != NULL && soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (ws->conn, "cancel");
  SPIN_UNTIL (c, ws->closed || ws->conn == NULL, 300000);
  g_mutex_lock (&d->lock);
  g_ptr_array_add (d->finals, ws->texts->len ? g_strdup (g_ptr_array_index (ws->texts, ws->texts->len - 1)) : NULL);
  g_mutex_unlock (&d->lock);
  ws_free (c, ws);
}

/* Every run ends one way for all its watchers: cancelled with nothing
 * committed, or completed whole. */
static void
scenario_cancel_race (Ctx *ctx)
{
  for (guint r = 0; r < ctx->cfg.rounds; r++)
    {
      g_autofree char *project_id = create_project (ctx, ctx->cfg.pumps);
      g_autofree char *before = api_state_hash (ctx, 0, project_id);
      g_autofree char *body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"execute\"}", project_id);
      g_autoptr(JsonNode) started = call (ctx, 0, "POST", "/api/v1/rules/execute", ctx->engineer[0], "application/json", body, 200);
      const char *execution_id = syn_json_get_string (json_node_get_object (started), "execution_id");
      g_autofree char *get = g_strdup_printf ("/api/v1/executions/%s", execution_id);
      g_autoptr(JsonNode) record = NULL;
      g_autofree char *after = NULL;
      CancelData d = { g_strdup_printf ("/ws/execution/%s", execution_id), { 0 }, g_ptr_array_new_with_free_func (g_free) };
      const char *status;

      g_mutex_init (&d.lock);
      run_clients (ctx, 0, ctx->cfg.clients, cancel_job, &d);
      record = call (ctx, 0, "GET", get, ctx->viewer, NULL, NULL, 200);
      status = syn_json_get_string (json_node_get_object (record), "status");
      after = api_state_hash (ctx, 0, project_id);
      for (guint i = 0; i < d.finals->len; i++)
        {
          const char *text = g_ptr_array_index (d.finals, i);
          g_autoptr(JsonObject) m = text ? syn_json_parse_object (text, -1, NULL) : NULL;
          const char *type = m ? syn_json_get_string (m, "type") : NULL;

          CHECK (ctx, g_strcmp0 (type, g_strcmp0 (status, "completed") == 0 ? "COMPLETED" : "ERROR") == 0,
                 "the run is %s, a watcher's last message is %s", status, text ? text : "(none)");
        }
      if (g_strcmp0 (status, "completed") == 0)
        CHECK (ctx, g_strcmp0 (before, after) != 0, "a completed run changed nothing");
      else
        {
          CHECK (ctx, g_strcmp0 (status, "cancelled") == 0, "the run is %s", status);
          CHECK (ctx, g_strcmp0 (before, after) == 0, "a cancelled run changed the project");
        }
      if (load_mode)
        g_print ("    round %u: %s\n", r + 1, status);
      check_project (ctx, project_id, g_strcmp0 (status, "completed") == 0);
      g_free (d.ws_path);
      g_ptr_array_unref (d.finals);
      g_mutex_clear (&d.lock);
    }
  assert_no_unexpected (ctx);
}

/* ------------------------------------------------------------------------- */
/* Creations and edits racing on one name                                    */

typedef struct
{
  const char *method;
  char       *path;
  const char *content_type;
  char       *body;
  const char *token;        /* NULL: an engineer */
  guint       won_status;
  guint       lost_status;  /* 0: every one must win */
  gint        won;
  gint        lost;
  GMutex      lock;
  GPtrArray  *answers;      /* JsonNode of the winners */
} RaceData;

static void
race_job (Client *c, gpointer data)
{
  RaceData *d = data;
  guint status = 0;
  const char *token = d->token ? d->token : c->ctx->engineer[c->index % 2];
  JsonNode *answer = client_http (c, d->method, d->path, token, d->content_type, d->body, &status, NULL);

  if (status == d->won_status)
    {
      g_atomic_int_inc (&d->won);
      g_mutex_lock (&d->lock);
      g_ptr_array_add (d->answers, answer ? json_node_ref (answer) : json_node_new (JSON_NODE_NULL));
      g_mutex_unlock (&d->lock);
    }
  else if (d->lost_status != 0 && status == d->lost_status)
    {
      g_atomic_int_inc (&d->lost);
      g_atomic_int_inc (&c->ctx->refusals);
    }
  else if (status != 0 && status < 500)
    note_unexpected (c->ctx, "%s %s: %u", d->method, d->path, status);
  drop (answer);
}

/* All clients send the same request at once: @won_status for every winner. */
static RaceData *
race (Ctx *ctx, const char *method, const char *path, const char *token, const char *content_type,
      const char *body, guint won_status, guint lost_status)
{
  RaceData *d = g_new0 (RaceData, 1);

  d->method = method;
  d->path = g_strdup (path);
  d->token = token;
  d->content_type = content_type;
  d->body = g_strdup (body);
  d->won_status = won_status;
  d->lost_status = lost_status;
  g_mutex_init (&d->lock);
  d->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  run_clients (ctx, 0, ctx->cfg.clients, race_job, d);
  return d;
}

static void
race_free (RaceData *d)
{
  g_free (d->path);
  g_free (d->body);
  g_mutex_clear (&d->lock);
  g_ptr_array_unref (d->answers);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RaceData, race_free)

/* Each client sets a key of its own on the same asset. */
static void
patch_own_key_job (Client *c, gpointer data)
{
  RaceData *d = data;
  g_autofree char *body = g_strdup_printf ("{\"properties\": {\"k%u\": %u}}", c->index, c->index);
  guint status = 0;
  g_autoptr(JsonNode) answer = client_call (c, "PATCH", d->path, c->ctx->engineer[c->index % 2], body, 200, 0, &status);

  if (status == 200)
    g_atomic_int_inc (&d->won);
}

/* One name, many creators: exactly one creation, the others a clear 409;
 * many editors of one asset: every edit kept (no lost update). */
static void
scenario_create_races (Ctx *ctx)
{
  guint n = ctx->cfg.clients;
  g_autofree char *project_id = create_project (ctx, 0);
  g_autofree char *assets = g_strdup_printf ("/api/v1/projects/%s/assets", project_id);
  g_autofree char *import = g_strdup_printf ("/api/v1/projects/%s/import", project_id);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(RaceData) d = race (ctx, "POST", "/api/v1/projects", ctx->admin, "application/json",
                                  "{\"name\": \"Race\"}", 201, 409);
    g_autoptr(GPtrArray) projects = syn_store_list_projects (ctx->srv->store, &error);
    guint named = 0;

    g_assert_cmpint (d->won, ==, 1);
    g_assert_cmpint (d->lost, ==, (gint) n - 1);
    for (guint i = 0; i < projects->len; i++)
      named += g_strcmp0 (((SynProject *) g_ptr_array_index (projects, i))->name, "Race") == 0;
    g_assert_cmpuint (named, ==, 1);
  }
  {
    g_autoptr(RaceData) d = race (ctx, "POST", "/api/v1/users", ctx->admin, "application/json",
                                  "{\"username\": \"newcomer\", \"password\": \"" SYN_TEST_PASSWORD "\", \"role\": \"viewer\"}",
                                  201, 409);

    g_assert_cmpint (d->won, ==, 1);
    g_assert_cmpint (d->lost, ==, (gint) n - 1);
  }
  {
    /* everyone signs in at once: a session each */
    g_autoptr(RaceData) d = race (ctx, "POST", "/api/v1/auth/login", NULL, "application/json",
                                  "{\"username\": \"newcomer\", \"password\": \"" SYN_TEST_PASSWORD "\"}", 200, 0);
    g_autoptr(GHashTable) tokens = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_cmpint (d->won, ==, (gint) n);
    for (guint i = 0; i < d->answers->len; i++)
      {
        const char *token = syn_json_get_string (json_node_get_object (g_ptr_array_index (d->answers, i)), "token");

        g_assert_nonnull (token);
        g_assert_true (g_hash_table_add (tokens, (gpointer) token));
      }
  }
  {
    g_autoptr(RaceData) d = race (ctx, "POST", assets, NULL, "application/json",
                                  "{\"tag\": \"TK-RACE\", \"type\": \"TANK\"}", 201, 409);
    g_autoptr(RaceData) imports = NULL;
    g_autoptr(RaceData) edits = NULL;
    g_autofree char *csv = pumps_csv (500, 1, 20);
    g_autofree char *one = NULL;
    g_autoptr(SynAsset) tank = NULL;
    gint64 imported = 0;

    g_assert_cmpint (d->won, ==, 1);
    g_assert_cmpint (d->lost, ==, (gint) n - 1);

    /* the same rows imported by everyone at once: imported once in all */
    imports = race (ctx, "POST", import, NULL, "text/csv", csv, 200, 0);
    g_assert_cmpint (imports->won, ==, (gint) n);
    for (guint i = 0; i < imports->answers->len; i++)
      imported += json_object_get_int_member (json_node_get_object (g_ptr_array_index (imports->answers, i)), "imported");
    g_assert_cmpint (imported, ==, 20);

    /* everyone sets a property of one asset at once: merged, none lost */
    one = g_strdup_printf ("%s/%s", assets,
                           syn_json_get_string (json_node_get_object (g_ptr_array_index (d->answers, 0)), "id"));
    edits = g_new0 (RaceData, 1);
    edits->method = "PATCH";
    edits->path = g_strdup (one);
    edits->content_type = "application/json";
    edits->won_status = 200;
    g_mutex_init (&edits->lock);
    edits->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
    run_clients (ctx, 0, n, patch_own_key_job, edits);
    g_assert_cmpint (edits->won, ==, (gint) n);
    tank = syn_store_get_asset_by_tag (ctx->srv->store, project_id, "TK-RACE", &error);
    g_assert_no_error (error);
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *key = g_strdup_printf ("k%u", i);

        CHECK (ctx, json_object_has_member (tank->properties, key), "the edit of %s was lost", key);
      }
  }
  check_project (ctx, project_id, FALSE);
  assert_no_unexpected (ctx);
}

/* ------------------------------------------------------------------------- */
/* A feed watcher joining while another one catches up                       */

typedef struct
{
  char      *project_id;
  gint64     total;         /* events in the project */
  gint       first_seen;    /* atomic: events the first watcher has received */
  GArray    *positions[2];  /* gint64: what each watcher received, in order */
} JoinData;

static void
join_job (Client *c, gpointer data)
{
  JoinData *d = data;
  guint me = c->index;
  g_autofree char *path = g_strdup_printf ("/ws/projects/%s/events?after=0", d->project_id);
  GArray *positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  Ws *ws;

  /* the second joins once the first is well into its catch-up, while the
   * server's next page for it is being read */
  if (me == 1)
    while (g_atomic_int_get (&d->first_seen) < 1000 && g_get_monotonic_time () < deadline)
      g_usleep (1000);
  ws = ws_connect (c, path, c->ctx->viewer);
  while (ws->conn != NULL && !ws->closed && (gint64) positions->len < d->total &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (c->context, TRUE);
      for (guint i = 0; i < ws->texts->len; i++)
        {
          gint64 position = text_position (g_ptr_array_index (ws->texts, i));

          if (position >= 0)
            g_array_append_val (positions, position);
        }
      g_ptr_array_set_size (ws->texts, 0);
      if (me == 0)
        g_atomic_int_set (&d->first_seen, (gint) positions->len);
    }
  ws_free (c, ws);
  d->positions[me] = positions;
}

/* Regression: a watcher that joined while a poll for the others was out got
 * that page (events after their cursor), moved its cursor past it, and never
 * got the events before. Each watcher must get every event, in order. */
static void
scenario_feed_join (Ctx *ctx)
{
  g_autofree char *project_id = create_project (ctx, 4000);
  g_autoptr(GPtrArray) events = all_events (ctx->srv->store, project_id);
  JoinData d = { project_id, events->len, 0, { NULL, NULL } };

  run_clients (ctx, 0, 2, join_job, &d);
  for (guint w = 0; w < 2; w++)
    {
      GArray *positions = d.positions[w];

      if (positions->len != events->len)
        g_printerr ("# watcher %u got %u events of %u, the first at %" G_GINT64_FORMAT "\n", w, positions->len,
                    events->len, positions->len ? g_array_index (positions, gint64, 0) : -1);
      g_assert_cmpuint (positions->len, ==, events->len);
      for (guint i = 0; i < positions->len; i++)
        g_assert_cmpint (g_array_index (positions, gint64, i), ==, ((SynEvent *) g_ptr_array_index (events, i))->position);
      g_array_unref (positions);
    }
  assert_no_unexpected (ctx);
}

/* ------------------------------------------------------------------------- */
/* Behind the proxy: any server streams any run                              */

#define PROXY_WATCHERS 4

typedef struct
{
  OneCall oc;
  guint   url;     /* index in ctx->urls */
} DirectCall;

static void
direct_call_job (Client *c, gpointer data)
{
  DirectCall *d = data;
  guint saved = c->server;

  c->server = d->url;
  one_call_job (c, &d->oc);
  c->server = saved;
}

/* To the first server process itself, not through the proxy. */
static JsonNode *
call_first_server (Ctx *ctx, const char *method, const char *path, const char *token, const char *body,
                   guint expected)
{
  DirectCall d = { { method, path, token, body ? "application/json" : NULL, body, 0, NULL }, 1 };

  run_clients (ctx, 0, 1, direct_call_job, &d);
  if (d.oc.status != expected)
    g_error ("%s %s: %u, expected %u", method, path, d.oc.status, expected);
  return d.oc.answer;
}

typedef struct
{
  char       *ws_path;
  const char *bases[PROXY_WATCHERS];   /* where each watcher connects */
  gboolean    cancel_first;            /* watcher 0 sends "cancel" once it got a message */
  gboolean    kill_first_server;       /* watcher 0 kills the run's server once it got a message */
  gboolean    killed_too_late;         /* the run had ended before */
  gint        n_connected;             /* atomic */
  GPtrArray  *texts[PROXY_WATCHERS];
  GArray     *times[PROXY_WATCHERS];
  gint64      connected[PROXY_WATCHERS];
} ProxyWatch;

static void
proxy_watch_job (Client *c, gpointer data)
{
  ProxyWatch *d = data;
  Ctx *ctx = c->ctx;
  Ws *ws = ws_connect_url (c, d->bases[c->index], d->ws_path, c->index == 0 ? ctx->engineer[0] : ctx->viewer);

  d->connected[c->index] = g_get_monotonic_time ();
  g_atomic_int_inc (&d->n_connected);
  if (c->index == 0 && (d->cancel_first || d->kill_first_server))
    {
      /* every watcher is in (none connects to a server being killed) */
      SPIN_UNTIL (c, g_atomic_int_get (&d->n_connected) == PROXY_WATCHERS, 120000);
      SPIN_UNTIL (c, ws->closed || ws->conn == NULL || ws->texts->len > 0, 120000);
      if (d->cancel_first && ws->conn != NULL && !ws->closed)
        soup_websocket_connection_send_text (ws->conn, "cancel");
      if (d->kill_first_server)
        {
          d->killed_too_late = ws->closed;
          g_subprocess_force_exit (ctx->serve[0]);
          ctx->serve_killed = TRUE;
        }
    }
  /* a run whose server died ends when another marks it failed (8 s) */
  SPIN_UNTIL (c, ws->closed || ws->conn == NULL, 300000);
  d->texts[c->index] = g_ptr_array_ref (ws->texts);
  d->times[c->index] = g_array_ref (ws->times);
  ws_free (c, ws);
}

static void
proxy_watch_clear (ProxyWatch *d)
{
  for (guint i = 0; i < PROXY_WATCHERS; i++)
    {
      g_clear_pointer (&d->texts[i], g_ptr_array_unref);
      g_clear_pointer (&d->times[i], g_array_unref);
    }
}

/* Every watcher got the same messages as the reference one: in order, none
 * missing, none twice. */
static void
check_same_messages (Ctx *ctx, ProxyWatch *d, GPtrArray *reference, const char *what)
{
  for (guint i = 0; i < PROXY_WATCHERS; i++)
    {
      GPtrArray *texts = d->texts[i];
      guint first_difference = 0;

      while (first_difference < MIN (texts->len, reference->len) &&
             g_strcmp0 (g_ptr_array_index (texts, first_difference), g_ptr_array_index (reference, first_difference)) == 0)
        first_difference++;
      CHECK (ctx, texts->len == reference->len && first_difference == texts->len,
             "%s watcher %u (%s): %u messages, the run has %u; the first %u alike", what, i, d->bases[i],
             texts->len, reference->len, first_difference);
    }
}

/* The watcher's last message, parsed; NULL when it got none. */
static JsonObject *
last_message (GPtrArray *texts)
{
  return texts->len ? syn_json_parse_object (g_ptr_array_index (texts, texts->len - 1), -1, NULL) : NULL;
}

static const char *
member (JsonObject *m, const char *name)
{
  const char *value = m ? syn_json_get_string (m, name) : NULL;

  return value ? value : "(none)";
}

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Across servers, when both watchers were connected: the median and the
 * largest delay of the other server's watcher behind the owner's. */
static void
report_latency (ProxyWatch *d, guint owner, guint other)
{
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 both = MAX (d->connected[owner], d->connected[other]);
  GArray *a = d->times[owner], *b = d->times[other];

  for (guint i = 0; i < MIN (a->len, b->len); i++)
    if (g_array_index (a, gint64, i) > both)
      {
        gint64 delay = g_array_index (b, gint64, i) - g_array_index (a, gint64, i);

        g_array_append_val (delays, delay);
      }
  if (delays->len == 0)
    return;
  g_array_sort (delays, compare_int64);
  g_test_message ("message latency across servers (through PostgreSQL): %u live messages, median %.2f ms, "
                  "largest %.2f ms", delays->len, g_array_index (delays, gint64, delays->len / 2) / 1000.0,
                  g_array_index (delays, gint64, delays->len - 1) / 1000.0);
  if (load_mode)
    g_print ("    latency across servers: %u live messages, median %.2f ms, largest %.2f ms\n", delays->len,
             g_array_index (delays, gint64, delays->len / 2) / 1000.0,
             g_array_index (delays, gint64, delays->len - 1) / 1000.0);
}

/* A run started on the first server, watched from the start on it, on the
 * second one and twice through the proxy, then by late joiners (after its
 * end) the same ways: all get every message of the run, in order. */
static void
scenario_any_server (Ctx *ctx)
{
  g_autofree char *project_id = create_project (ctx, ctx->cfg.pumps);
  g_autofree char *body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"execute\"}", project_id);
  g_autoptr(JsonNode) started = call_first_server (ctx, "POST", "/api/v1/rules/execute", ctx->engineer[0], body, 200);
  const char *execution_id = syn_json_get_string (json_node_get_object (started), "execution_id");
  g_autofree char *get = g_strdup_printf ("/api/v1/executions/%s", execution_id);
  ProxyWatch live = { g_strdup_printf ("/ws/execution/%s", execution_id),
                      { ctx->direct[0], ctx->direct[1], ctx->urls[0], ctx->urls[0] } };
  ProxyWatch late = { live.ws_path, { ctx->direct[1], ctx->urls[0], ctx->urls[0], ctx->direct[0] } };
  g_autoptr(JsonObject) last = NULL;

  run_clients (ctx, 0, PROXY_WATCHERS, proxy_watch_job, &live);
  last = last_message (live.texts[0]);
  CHECK (ctx, g_strcmp0 (member (last, "type"), "COMPLETED") == 0 && live.texts[0]->len > 2,
         "the run's own server: %u messages, the last %s", live.texts[0]->len, member (last, "type"));
  check_same_messages (ctx, &live, live.texts[0], "live");
  report_latency (&live, 0, 1);

  run_clients (ctx, 0, PROXY_WATCHERS, proxy_watch_job, &late);
  check_same_messages (ctx, &late, live.texts[0], "late");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) record = call (ctx, 0, "GET", get, ctx->viewer, NULL, NULL, 200);

      CHECK (ctx, g_strcmp0 (syn_json_get_string (json_node_get_object (record), "status"), "completed") == 0,
             "GET %s through the proxy: not completed", get);
    }
  proxy_watch_clear (&live);
  proxy_watch_clear (&late);
  g_free (live.ws_path);
  assert_no_unexpected (ctx);
}

/* A run on the first server, of a project big enough that it is still
 * going when the test acts on it (a cancel, a kill). */
typedef struct
{
  char *project_id;
  char *before;     /* its state hash before the run */
  char *get;        /* the run's GET path */
  char *ws_path;
} BigRun;

static void
big_run_clear (BigRun *run)
{
  g_free (run->project_id);
  g_free (run->before);
  g_free (run->get);
  g_free (run->ws_path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BigRun, big_run_clear)

static BigRun
big_run_start (Ctx *ctx)
{
  BigRun run = { create_project (ctx, MAX (ctx->cfg.pumps * 8, 1200)) };
  g_autofree char *body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"execute\"}", run.project_id);
  g_autoptr(JsonNode) started = NULL;
  const char *execution_id;

  run.before = api_state_hash (ctx, 0, run.project_id);
  started = call_first_server (ctx, "POST", "/api/v1/rules/execute", ctx->engineer[0], body, 200);
  execution_id = syn_json_get_string (json_node_get_object (started), "execution_id");
  run.get = g_strdup_printf ("/api/v1/executions/%s", execution_id);
  run.ws_path = g_strdup_printf ("/ws/execution/%s", execution_id);
  return run;
}

/* Its status through the proxy (twice: each server), and nothing of it
 * committed. */
static void
big_run_check_end (Ctx *ctx, BigRun *run, const char *expected)
{
  g_autofree char *after = api_state_hash (ctx, 0, run->project_id);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) record = call (ctx, 0, "GET", run->get, ctx->viewer, NULL, NULL, 200);
      const char *status = syn_json_get_string (json_node_get_object (record), "status");

      CHECK (ctx, g_strcmp0 (status, expected) == 0, "GET %s through the proxy: %s, expected %s", run->get,
             status ? status : "(none)", expected);
    }
  CHECK (ctx, g_strcmp0 (run->before, after) == 0, "a %s run changed the project", expected);
}

/* A cancel sent to the server that does not run the run reaches the one
 * that does: every watcher's last message is the CANCELLED one, once. */
static void
scenario_cancel_any_server (Ctx *ctx)
{
  g_auto(BigRun) run = big_run_start (ctx);
  ProxyWatch d = { run.ws_path, { ctx->direct[1], ctx->urls[0], ctx->urls[0], ctx->direct[0] }, TRUE };

  run_clients (ctx, 0, PROXY_WATCHERS, proxy_watch_job, &d);
  for (guint i = 0; i < PROXY_WATCHERS; i++)
    {
      g_autoptr(JsonObject) last = last_message (d.texts[i]);
      guint cancelled = 0;

      for (guint j = 0; j < d.texts[i]->len; j++)
        {
          g_autoptr(JsonObject) m = syn_json_parse_object (g_ptr_array_index (d.texts[i], j), -1, NULL);

          cancelled += g_strcmp0 (member (m, "status"), "cancelled") == 0;
        }
      CHECK (ctx, g_strcmp0 (member (last, "type"), "ERROR") == 0 && g_strcmp0 (member (last, "status"), "cancelled") == 0 &&
                  cancelled == 1,
             "watcher %u (%s): last message %s (%s), %u cancelled messages", i, d.bases[i], member (last, "type"),
             member (last, "status"), cancelled);
    }
  check_same_messages (ctx, &d, d.texts[3], "cancelled");
  big_run_check_end (ctx, &run, "cancelled");
  proxy_watch_clear (&d);
  assert_no_unexpected (ctx);
}

/* The run's server is killed (SIGKILL) mid-run: the other server marks the
 * run failed once its heartbeats stopped, its watchers get that as the last
 * message, and nothing of the run was committed. */
static void
scenario_server_dies (Ctx *ctx)
{
  g_auto(BigRun) run = big_run_start (ctx);
  ProxyWatch d = { run.ws_path, { ctx->direct[1], ctx->urls[0], ctx->urls[0], ctx->direct[1] }, FALSE, TRUE };
  gint64 t0 = g_get_monotonic_time ();

  run_clients (ctx, 0, PROXY_WATCHERS, proxy_watch_job, &d);
  g_test_message ("the run's server killed: its watchers told in %.1f s (lost after 8 s without heartbeat)",
                  (g_get_monotonic_time () - t0) / 1e6);
  CHECK (ctx, !d.killed_too_late, "the run ended before its server was killed");
  /* watchers 0 and 3 are on the surviving server; those through the proxy
   * may have been on the one killed (their connection then just closed) */
  for (guint i = 0; i < PROXY_WATCHERS; i += 3)
    {
      g_autoptr(JsonObject) last = last_message (d.texts[i]);

      CHECK (ctx, g_strcmp0 (member (last, "type"), "ERROR") == 0 && g_strcmp0 (member (last, "status"), "failed") == 0 &&
                  strstr (member (last, "message"), "stopped") != NULL,
             "watcher %u: last message %s (%s): %s", i, member (last, "type"), member (last, "status"),
             member (last, "message"));
    }
  big_run_check_end (ctx, &run, "failed");
  proxy_watch_clear (&d);
  assert_no_unexpected (ctx);
}

/* ------------------------------------------------------------------------- */
/* Servers                                                                   */

/* A `synapse serve` process on the same database; returns its URL. */
static void
serve_start (Ctx *ctx, guint i)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *name = g_strdup_printf ("serve-%u.log", i);
  const char *bin = g_getenv ("SYNAPSE_BIN");

  g_assert_nonnull (bin);
  ctx->serve_log[i] = g_build_filename (ctx->srv->tmpdir, name, NULL);
  /* libsoup 3.2 keeps a socket object (336 bytes) per accepted connection for
   * ever (see syn-test-server.c): under LeakSanitizer the server process's
   * exit would report those; the in-process server's leaks are still checked */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
    }
  g_subprocess_launcher_set_stderr_file_path (launcher, ctx->serve_log[i]);
  /* --quiet: nobody reads the request log from the pipe once it started;
   * a run's server is failed 8 s after its heartbeats stop */
  ctx->serve[i] = g_subprocess_launcher_spawn (launcher, &error, bin, "serve", "--db", ctx->srv->db_uri,
                                               "--port", "0", "--quiet", "--run-lost-after", "8", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (ctx->serve[i]));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      const char *at;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if ((at = strstr (line, " at http://")) != NULL)
        {
          const char *end = strstr (at, "/ (");

          g_assert_nonnull (end);
          ctx->direct[i] = g_strndup (at + 4, end - (at + 4));
          break;
        }
    }
}

/* @killed: the test killed it (SIGKILL): nothing to check of its end. */
static void
serve_stop (Ctx *ctx, guint i, gboolean killed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  if (ctx->serve[i] == NULL)
    return;
  if (!killed)
    g_subprocess_send_signal (ctx->serve[i], SIGTERM);
  g_subprocess_wait (ctx->serve[i], NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (ctx->serve_log[i], &log, NULL, NULL);
  if (!killed &&
      (!g_subprocess_get_if_exited (ctx->serve[i]) || g_subprocess_get_exit_status (ctx->serve[i]) != 0 ||
       (log && (strstr (log, "WARNING") || strstr (log, "CRITICAL") || strstr (log, "Sanitizer") ||
                strstr (log, "runtime error")))))
    g_error ("server process %u failed: %s", i, log ? log : "");
  g_clear_object (&ctx->serve[i]);
  g_clear_pointer (&ctx->serve_log[i], g_free);
}

static char *
haproxy_path (void)
{
  char *path = g_find_program_in_path ("haproxy");

  if (path == NULL && g_file_test ("/usr/sbin/haproxy", G_FILE_TEST_IS_EXECUTABLE))
    path = g_strdup ("/usr/sbin/haproxy");
  return path;
}

static const char *
url_host_port (const char *url)
{
  return strstr (url, "://") + 3;
}

/* HAProxy in http mode in front of both servers: round-robin, no
 * stickiness, the WebSocket upgrade passed through (a tunnel after it). */
static void
haproxy_start (Ctx *ctx)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *bin = haproxy_path ();
  g_autofree char *config = NULL;
  g_autofree char *path = g_build_filename (ctx->srv->tmpdir, "haproxy.cfg", NULL);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint port = syn_test_free_port ();

  g_assert_nonnull (bin);
  config = g_strdup_printf ("global\n"
                            "  maxconn 512\n"
                            "  nbthread 1\n"
                            "defaults\n"
                            "  mode http\n"
                            "  retries 2\n"
                            "  option redispatch\n"
                            "  timeout connect 5s\n"
                            "  timeout client 300s\n"
                            "  timeout server 300s\n"
                            "  timeout tunnel 600s\n"
                            "frontend synapse\n"
                            "  bind 127.0.0.1:%u\n"
                            "  default_backend servers\n"
                            "backend servers\n"
                            "  balance roundrobin\n"
                            "  server a %s\n"
                            "  server b %s\n",
                            port, url_host_port (ctx->direct[0]), url_host_port (ctx->direct[1]));
  g_assert_true (g_file_set_contents (path, config, -1, &error));
  ctx->haproxy_log = g_build_filename (ctx->srv->tmpdir, "haproxy.log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, ctx->haproxy_log);
  g_subprocess_launcher_set_stdout_file_path (launcher, ctx->haproxy_log);
  ctx->haproxy = g_subprocess_launcher_spawn (launcher, &error, bin, "-db", "-f", path, NULL);
  g_assert_no_error (error);
  ctx->urls[0] = g_strdup_printf ("http://127.0.0.1:%u", port);
  ctx->n_urls = 1;
  /* listening once a connection is accepted */
  for (;;)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, url_host_port (ctx->urls[0]), 0,
                                                                           NULL, NULL);

      if (conn != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      /* no identifier: it exited (its log says why) */
      g_assert_nonnull (g_subprocess_get_identifier (ctx->haproxy));
      g_usleep (20000);
    }
}

static void
haproxy_stop (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;

  if (ctx->haproxy == NULL)
    return;
  g_subprocess_send_signal (ctx->haproxy, SIGTERM);
  g_subprocess_wait (ctx->haproxy, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&ctx->haproxy);
  g_clear_pointer (&ctx->haproxy_log, g_free);
}

static Ctx *
ctx_new (const Config *cfg)
{
  Ctx *ctx = g_new0 (Ctx, 1);
  SynTestServerOptions options = { .postgres = cfg->postgres, .feed_interval = 50 };
  g_autofree char *admin_id = NULL;

  ctx->cfg = *cfg;
  g_mutex_init (&ctx->lock);
  ctx->unexpected = g_ptr_array_new_with_free_func (g_free);
  ctx->workers = g_ptr_array_new ();
  ctx->srv = syn_test_server_start (&options);
  ctx->urls[0] = g_strdup (ctx->srv->url);
  ctx->n_urls = 1;
  admin_id = syn_test_server_add_user (ctx->srv, "admin", "admin");
  g_free (syn_test_server_add_user (ctx->srv, "erin", "engineer"));
  g_free (syn_test_server_add_user (ctx->srv, "ed", "engineer"));
  g_free (syn_test_server_add_user (ctx->srv, "victor", "viewer"));
  ctx->admin = syn_test_server_login (ctx->srv, "admin");
  ctx->engineer[0] = syn_test_server_login (ctx->srv, "erin");
  ctx->engineer[1] = syn_test_server_login (ctx->srv, "ed");
  ctx->viewer = syn_test_server_login (ctx->srv, "victor");
  if (cfg->two_servers)
    {
      serve_start (ctx, 0);
      ctx->urls[1] = g_strdup (ctx->direct[0]);
      ctx->n_urls = 2;
    }
  if (cfg->proxy)
    {
      g_free (ctx->urls[0]);
      serve_start (ctx, 0);
      serve_start (ctx, 1);
      haproxy_start (ctx);
      /* the scenarios of this mode call the first server directly too */
      ctx->urls[1] = g_strdup (ctx->direct[0]);
    }
  return ctx;
}

static void
ctx_free (Ctx *ctx)
{
  haproxy_stop (ctx);
  serve_stop (ctx, 0, ctx->serve_killed);
  serve_stop (ctx, 1, FALSE);
  syn_test_server_stop (ctx->srv);
  workers_stop (ctx);
  g_ptr_array_unref (ctx->workers);
  g_ptr_array_unref (ctx->unexpected);
  g_mutex_clear (&ctx->lock);
  g_free (ctx->urls[0]);
  g_free (ctx->urls[1]);
  g_free (ctx->direct[0]);
  g_free (ctx->direct[1]);
  g_free (ctx->admin);
  g_free (ctx->engineer[0]);
  g_free (ctx->engineer[1]);
  g_free (ctx->viewer);
  g_free (ctx);
}

/* ------------------------------------------------------------------------- */
/* Test cases                                                                */

typedef void (*ScenarioFunc) (Ctx *ctx);

typedef struct
{
  ScenarioFunc func;
  Config       cfg;
} Case;

static void
run_case (gconstpointer data)
{
  const Case *tc = data;
  Ctx *ctx = ctx_new (&tc->cfg);

  tc->func (ctx);
  g_test_message ("%u clients: %d requests (at most %d in flight), %d WebSocket messages, %d refusals, %d invariants checked",
                  tc->cfg.clients, ctx->requests, ctx->max_in_flight, ctx->ws_messages, ctx->refusals, ctx->checks);
  ctx_free (ctx);
}

static void
pg_missing (void)
{
  g_test_skip ("PostgreSQL 15 is not installed (postgresql-15)");
}

static void
haproxy_missing (void)
{
  g_test_skip ("HAProxy is not installed (Debian package haproxy)");
}

typedef enum
{
  EVERYWHERE,
  SQLITE_ONLY,   /* the feed's logic is the server's own, whatever the database */
  PROXY_ONLY,    /* two servers behind HAProxy */
} Where;

static const struct
{
  const char  *name;
  ScenarioFunc func;
  Where        where;
} scenarios[] = {
  { "same-project-executions", scenario_same_project, EVERYWHERE },
  { "different-projects", scenario_different_projects, EVERYWHERE },
  { "writes-during-execution", scenario_writes_during_execution, EVERYWHERE },
  { "rollback-race", scenario_rollback_race, EVERYWHERE },
  { "create-races", scenario_create_races, EVERYWHERE },
  { "cancel-race", scenario_cancel_race, EVERYWHERE },
  { "feed-join-during-catch-up", scenario_feed_join, SQLITE_ONLY },
  { "watch-any-server", scenario_any_server, PROXY_ONLY },
  { "cancel-any-server", scenario_cancel_any_server, PROXY_ONLY },
  { "server-dies", scenario_server_dies, PROXY_ONLY },   /* kills the first server: last */
};

static gboolean
scenario_runs (guint s, const Config *cfg)
{
  switch (scenarios[s].where)
    {
    case SQLITE_ONLY:
      return !cfg->postgres;
    case PROXY_ONLY:
      return cfg->proxy;
    case EVERYWHERE:
    default:
      return TRUE;
    }
}

/* On demand: test-concurrency --clients N [--rounds M] [--pumps P] [--readers R]
 * [--backend sqlite|postgresql|two-servers|proxy] [--scenario NAME]: every
 * scenario (or one), then the figures. */
static int
run_load (int argc, char *argv[])
{
  Config cfg = { 64, 3, 2000, 4, FALSE, FALSE, FALSE };
  g_autofree char *backend = NULL;
  g_autofree char *only = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("- concurrency load through the team server");
  g_autoptr(GError) error = NULL;
  gint clients = 64, rounds = 3, pumps = 2000, readers = 4;
  const GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Writers racing at once (64)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds per scenario (3)", "M" },
    { "pumps", 0, 0, G_OPTION_ARG_INT, &pumps, "Pumps in the big projects (2000)", "P" },
    { "readers", 0, 0, G_OPTION_ARG_INT, &readers, "Timeline readers, and as many feed watchers (4)", "R" },
    { "backend", 0, 0, G_OPTION_ARG_STRING, &backend, "sqlite (default), postgresql, two-servers or proxy", "B" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &only, "Only this scenario", "NAME" },
    { NULL }
  };
  gint64 t0 = g_get_monotonic_time ();
  gint requests = 0, max_in_flight = 0, ws_messages = 0, checks = 0, refusals = 0;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  cfg.clients = (guint) MAX (clients, 2);
  cfg.rounds = (guint) MAX (rounds, 1);
  cfg.pumps = (guint) MAX (pumps, 50);
  cfg.readers = (guint) MAX (readers, 1);
  cfg.postgres = g_strcmp0 (backend, "postgresql") == 0 || g_strcmp0 (backend, "two-servers") == 0 ||
                 g_strcmp0 (backend, "proxy") == 0;
  cfg.two_servers = g_strcmp0 (backend, "two-servers") == 0;
  cfg.proxy = g_strcmp0 (backend, "proxy") == 0;
  load_mode = TRUE;
  g_print ("%u writers, %u rounds, %u pumps, %u readers + %u feed watchers, on %s\n", cfg.clients, cfg.rounds,
           cfg.pumps, cfg.readers, cfg.readers, backend ? backend : "sqlite");
  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    {
      Ctx *ctx;
      gint64 t = g_get_monotonic_time ();

      if ((only != NULL && g_strcmp0 (only, scenarios[s].name) != 0) || !scenario_runs (s, &cfg))
        continue;
      ctx = ctx_new (&cfg);

      g_print ("  %s\n", scenarios[s].name);
      scenarios[s].func (ctx);
      g_print ("    %.1f s: %d requests, at most %d in flight, %d WebSocket messages, %d refusals, %d invariants checked, %u unexpected\n",
               (g_get_monotonic_time () - t) / 1e6, ctx->requests, ctx->max_in_flight, ctx->ws_messages,
               ctx->refusals, ctx->checks, ctx->unexpected->len);
      requests += ctx->requests;
      max_in_flight = MAX (max_in_flight, ctx->max_in_flight);
      ws_messages += ctx->ws_messages;
      checks += ctx->checks;
      refusals += ctx->refusals;
      ctx_free (ctx);
    }
  g_print ("total %.1f s: %d requests, at most %d in flight, %d WebSocket messages, %d refusals, %d invariants checked, 0 unexpected\n",
           (g_get_monotonic_time () - t0) / 1e6, requests, max_in_flight, ws_messages, refusals, checks);
  return 0;
}

int
main (int argc, char *argv[])
{
  static Case cases[3 * G_N_ELEMENTS (scenarios)];
  guint n_cases = 0;
  /* CI: 8 racing writers, 2 readers and 2 feed watchers, small projects */
  const Config sqlite = { 8, 2, 150, 2, FALSE, FALSE, FALSE };
  const Config two = { 8, 2, 150, 2, TRUE, TRUE, FALSE };
  const Config proxy = { 8, 2, 150, 2, TRUE, FALSE, TRUE };
  g_autofree char *haproxy = haproxy_path ();

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--clients"))
      return run_load (argc, argv);

  g_test_init (&argc, &argv, NULL);
  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    {
      g_autofree char *path = g_strdup_printf ("/concurrency/sqlite/%s", scenarios[s].name);

      if (!scenario_runs (s, &sqlite))
        continue;
      cases[n_cases] = (Case) { scenarios[s].func, sqlite };
      g_test_add_data_func (path, &cases[n_cases++], run_case);
    }
  if (syn_test_pg_bindir () != NULL)
    {
      /* PostgreSQL: two server processes on one database, the clients spread
       * over both, so the advisory lock must hold across processes (one
       * server alone: --backend postgresql on demand). The feed's logic is
       * the server's own, whatever the database: SQLite covers it. */
      for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
        {
          g_autofree char *path = g_strdup_printf ("/concurrency/postgresql/two-servers/%s", scenarios[s].name);

          if (!scenario_runs (s, &two))
            continue;
          cases[n_cases] = (Case) { scenarios[s].func, two };
          g_test_add_data_func (path, &cases[n_cases++], run_case);
        }
    }
  else
    g_test_add_func ("/concurrency/postgresql", pg_missing);
  /* two `synapse serve` processes behind HAProxy (round-robin, no
   * stickiness): the scenarios above through it, then a run watched and
   * cancelled through any server, and a run whose server dies */
  if (syn_test_pg_bindir () != NULL && haproxy != NULL)
    for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
      {
        g_autofree char *path = g_strdup_printf ("/concurrency/proxy/%s", scenarios[s].name);

        if (!scenario_runs (s, &proxy))
          continue;
        cases[n_cases] = (Case) { scenarios[s].func, proxy };
        g_test_add_data_func (path, &cases[n_cases++], run_case);
      }
  else if (haproxy == NULL)
    g_test_add_func ("/concurrency/proxy", haproxy_missing);

  return g_test_run ();
}

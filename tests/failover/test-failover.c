/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-failover.c: PostgreSQL failover with nothing lost: two `synapse serve` processes on a primary and its synchronous standby, clients importing, executing and rolling back, the primary SIGKILLed and the standby promoted; then every invariant. `--kills N` on demand. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/syn-core.h"
#include "crash-check.h"
#include "syn-test-pg.h"
#include "syn-test-server.h"

#define DBNAME "synapse"
/* a hang guard (a client that waits longer counts as a failure), never a timing */
#define CLIENT_TIMEOUT_S 60
#define RECOVERY_BOUND_S 180

typedef struct
{
  guint   kills;
  guint   clients;
  guint32 seed;
} Config;

typedef struct _Run Run;

typedef struct
{
  Run         *run;
  guint        index;
  guint        server;
  GThread     *thread;
  GRand       *rand;
  guint        next_tag;
  GPtrArray   *imports;      /* char *: own imports told committed, not rolled back since */
} Client;

/* A WebSocket event feed of the project on one server. */
typedef struct
{
  SoupWebsocketConnection *conn;
  GArray                  *positions;   /* gint64, in the order received; read after the thread ends */
  gint                     last;        /* atomic: the newest position received */
  gint                     closed;      /* atomic */
  gboolean                 done;
} Feed;

struct _Run
{
  Config          cfg;
  SynTestPgPair  *pair;
  char           *uri;              /* the multi-host URI the servers use */
  SynTestServe   *serve[2];
  char           *token;
  char           *project_id;
  Client         *clients;
  gint            stop;

  GMutex          lock;
  GPtrArray      *problems;         /* char *: everything no rule allows */
  GPtrArray      *committed;        /* char *: batches a client was told had committed */
  GPtrArray      *rolled_back;      /* char *: imports a client was told were rolled back */
  GArray         *successes[2];     /* gint64: when each write through that server answered 2xx */
  guint           requests;
  gint            unavailable;      /* atomic: 503 with Retry-After */
  guint           refused;          /* clear 409 or 423 */

  /* the feeds, on a thread of their own */
  GThread        *feed_thread;
  GMainContext   *feed_context;
  Feed            feeds[2];
  gint            feeds_ready;
  gint            feeds_stop;
};

static void
problem (Run *run, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
problem (Run *run, const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_mutex_lock (&run->lock);
  g_ptr_array_add (run->problems, text);
  g_mutex_unlock (&run->lock);
}

/* ------------------------------------------------------------------------- */
/* Requests                                                                  */

/* One request through server @server; the rules of a failover: 2xx, a clear
 * refusal (409, 423), or 503 with Retry-After and a JSON error saying the
 * database is unavailable. A 500, a transport failure or a timeout (a hang)
 * is a problem. */
static JsonNode *
request (Run *run, SoupSession *session, guint server, const char *method, const char *path,
         const char *content_type, const char *body, guint *status)
{
  g_autoptr(GError) error = NULL;
  JsonNode *answer = NULL;
  g_autoptr(SoupMessage) msg = syn_test_session_http (session, run->serve[server]->url, method, path, run->token,
                                                      content_type, body, -1, &answer, &error);

  *status = soup_message_get_status (msg);
  g_mutex_lock (&run->lock);
  run->requests++;
  g_mutex_unlock (&run->lock);
  if (error != NULL)
    {
      problem (run, "%s %s (server %u): %s", method, path, server, error->message);
      *status = 0;
      g_clear_pointer (&answer, json_node_unref);
      return NULL;
    }
  if (*status == 503)
    {
      const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");

      if (retry == NULL || g_ascii_strtoll (retry, NULL, 10) <= 0)
        problem (run, "%s %s: 503 without Retry-After", method, path);
      if (g_strcmp0 (syn_test_error_code (answer), "unavailable") != 0 ||
          strstr (syn_test_error_message (answer), "database") == NULL)
        problem (run, "%s %s: 503 that does not say the database is unavailable", method, path);
      g_atomic_int_inc (&run->unavailable);
    }
  else if (*status == 409 || *status == 423)
    {
      g_mutex_lock (&run->lock);
      run->refused++;
      g_mutex_unlock (&run->lock);
    }
  else if (*status < 200 || *status >= 300)
    {
      g_autofree char *text = answer ? syn_json_to_string (answer) : g_strdup ("(no body)");

      problem (run, "%s %s (server %u): %u %s", method, path, server, *status, text);
    }
  return answer;
}

static void
note_success (Run *run, guint server)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&run->lock);
  g_array_append_val (run->successes[server], now);
  g_mutex_unlock (&run->lock);
}

static void
note_committed (Run *run, GPtrArray *list, const char *correlation_id)
{
  g_mutex_lock (&run->lock);
  g_ptr_array_add (list, g_strdup (correlation_id));
  g_mutex_unlock (&run->lock);
}

/* ------------------------------------------------------------------------- */
/* Clients                                                                   */

static void
client_import (Client *c, SoupSession *session)
{
  Run *run = c->run;
  GString *csv = g_string_new ("TAG,TYPE,DESCRIPTION,AREA,DISCIPLINE,pump_type,hp,length_m\n");
  g_autofree char *path = g_strdup_printf ("/api/v1/projects/%s/import", run->project_id);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint rows = (guint) g_rand_int_range (c->rand, 3, 9);
  guint status = 0;

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (csv, "%u-PP-%05u,PUMP,Failover pump,%u,MECHANICAL,CENTRIFUGAL,%u,%u\n",
                            400 + c->index, c->next_tag++, 400 + c->index, 10 + i, 20 + i);
  text = g_string_free (csv, FALSE);
  answer = request (run, session, c->server, "POST", path, "text/csv", text, &status);
  if (status == 200)
    {
      const char *cid = syn_json_get_string (json_node_get_object (answer), "correlation_id");

      note_success (run, c->server);
      if (cid == NULL)
        problem (run, "an import answered 200 without its correlation_id");
      else
        {
          note_committed (run, run->committed, cid);
          g_ptr_array_add (c->imports, g_strdup (cid));
        }
    }
}

static void
client_rollback (Client *c, SoupSession *session)
{
  Run *run = c->run;
  guint pick = (guint) g_rand_int_range (c->rand, 0, (gint32) c->imports->len);
  g_autofree char *cid = g_strdup (g_ptr_array_index (c->imports, pick));
  g_autofree char *path = g_strdup_printf ("/api/v1/rules/rollback?project_id=%s", run->project_id);
  g_autofree char *body = g_strdup_printf ("{\"correlation_id\": \"%s\", \"cascade\": true}", cid);
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = request (run, session, c->server, "POST", path, "application/json", body, &status);
  if (status == 200)
    {
      note_success (run, c->server);
      note_committed (run, run->rolled_back, cid);
      g_ptr_array_remove_index_fast (c->imports, pick);
    }
}

/* Starts a run and follows it on the same server until it ends. */
static void
client_execute (Client *c, SoupSession *session)
{
  Run *run = c->run;
  g_autofree char *body = g_strdup_printf ("{\"project_id\": \"%s\", \"mode\": \"execute\"}", run->project_id);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = NULL;
  gint64 end = g_get_monotonic_time () + RECOVERY_BOUND_S * G_USEC_PER_SEC;
  guint status = 0;

  answer = request (run, session, c->server, "POST", "/api/v1/rules/execute", "application/json", body, &status);
  if (status != 200)
    return;
  path = g_strdup_printf ("/api/v1/executions/%s",
                          syn_json_get_string (json_node_get_object (answer), "execution_id"));
  while (g_get_monotonic_time () < end)
    {
      g_autoptr(JsonNode) x = request (run, session, c->server, "GET", path, NULL, NULL, &status);
      JsonObject *o = status == 200 ? json_node_get_object (x) : NULL;
      const char *state = o ? syn_json_get_string (o, "status") : NULL;

      if (status == 0)
        return;
      if (state != NULL && strcmp (state, "running") != 0)
        {
          const char *cid = syn_json_get_string (o, "correlation_id");

          /* a run that failed (the database went during it) wrote nothing */
          if (strcmp (state, "failed") != 0 && strcmp (state, "cancelled") != 0 && cid != NULL)
            {
              note_success (run, c->server);
              note_committed (run, run->committed, cid);
            }
          return;
        }
      g_usleep (50 * 1000);
    }
  problem (run, "execution %s did not end in %d s", path, RECOVERY_BOUND_S);
}

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  GMainContext *context = g_main_context_new ();
  SoupSession *session;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("timeout", CLIENT_TIMEOUT_S, NULL);
  while (!g_atomic_int_get (&c->run->stop))
    {
      double r = g_rand_double (c->rand);
      gint unavailable = g_atomic_int_get (&c->run->unavailable);

      if (r < 0.6 || c->imports->len == 0)
        client_import (c, session);
      else if (r < 0.8)
        client_rollback (c, session);
      else
        client_execute (c, session);
      /* after a 503, a short wait (shorter than Retry-After, to measure the
       * switch closely) */
      if (g_atomic_int_get (&c->run->unavailable) != unavailable)
        g_usleep (200 * 1000);
    }
  soup_session_abort (session);
  g_object_unref (session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

/* ------------------------------------------------------------------------- */
/* Feeds                                                                     */

static void
on_feed_message (SoupWebsocketConnection *conn, int type, GBytes *bytes, gpointer data)
{
  Feed *feed = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(JsonObject) m = type == SOUP_WEBSOCKET_DATA_TEXT ? syn_json_parse_object (text, (gssize) len, NULL) : NULL;
  JsonObject *e;
  gint64 position;

  if (m == NULL || g_strcmp0 (syn_json_get_string (m, "type"), "EVENT") != 0 ||
      !(e = json_object_get_object_member (m, "event")))
    return;
  position = json_object_get_int_member (e, "position");
  g_array_append_val (feed->positions, position);
  g_atomic_int_set (&feed->last, (gint) position);
}

static void
on_feed_closed (SoupWebsocketConnection *conn, gpointer data)
{
  g_atomic_int_set (&((Feed *) data)->closed, 1);
}

static void
on_feed_connected (GObject *object, GAsyncResult *result, gpointer data)
{
  Feed *feed = data;

  feed->conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, NULL);
  if (feed->conn != NULL)
    {
      soup_websocket_connection_set_max_incoming_payload_size (feed->conn, 256 * 1024 * 1024);
      g_signal_connect (feed->conn, "message", G_CALLBACK (on_feed_message), feed);
      g_signal_connect (feed->conn, "closed", G_CALLBACK (on_feed_closed), feed);
    }
  feed->done = TRUE;
}

static gboolean
on_feed_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gpointer
feed_thread (gpointer data)
{
  Run *run = data;
  SoupSession *session;
  GSource *tick = g_timeout_source_new (100);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", run->token);
  g_autofree char *path = g_strdup_printf ("/ws/projects/%s/events?after=0", run->project_id);

  g_main_context_push_thread_default (run->feed_context);
  session = soup_session_new ();
  g_source_set_callback (tick, on_feed_tick, NULL, NULL);
  g_source_attach (tick, run->feed_context);
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *url = g_strconcat (run->serve[s]->url, path, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      run->feeds[s].positions = g_array_new (FALSE, FALSE, sizeof (gint64));
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            on_feed_connected, &run->feeds[s]);
      while (!run->feeds[s].done)
        g_main_context_iteration (run->feed_context, TRUE);
    }
  g_atomic_int_set (&run->feeds_ready, 1);
  while (!g_atomic_int_get (&run->feeds_stop))
    g_main_context_iteration (run->feed_context, TRUE);
  for (guint s = 0; s < 2; s++)
    if (run->feeds[s].conn != NULL)
      {
        g_signal_handlers_disconnect_by_data (run->feeds[s].conn, &run->feeds[s]);
        if (soup_websocket_connection_get_state (run->feeds[s].conn) == SOUP_WEBSOCKET_STATE_OPEN)
          soup_websocket_connection_close (run->feeds[s].conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
        g_clear_object (&run->feeds[s].conn);
      }
  soup_session_abort (session);
  g_object_unref (session);
  g_source_destroy (tick);
  g_source_unref (tick);
  while (g_main_context_iteration (run->feed_context, FALSE))
    ;
  g_main_context_pop_thread_default (run->feed_context);
  return NULL;
}

/* The positions a feed must have delivered: every event of the project, in order. */
static GArray *
project_positions (SynStore *store, const char *project_id)
{
  GArray *positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = syn_store_list_events_after (store, project_id, after, 1000, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        {
          after = ((SynEvent *) g_ptr_array_index (page, i))->position;
          g_array_append_val (positions, after);
        }
      if (page->len < 1000)
        return positions;
    }
}

/* No gap, no duplicate: exactly the project's positions, in order. */
static void
check_feeds (Run *run, SynStore *store)
{
  g_autoptr(GArray) expected = project_positions (store, run->project_id);
  gint64 head = expected->len > 0 ? g_array_index (expected, gint64, expected->len - 1) : 0;
  gint64 end = g_get_monotonic_time () + RECOVERY_BOUND_S * G_USEC_PER_SEC;

  for (guint s = 0; s < 2; s++)
    while (!g_atomic_int_get (&run->feeds[s].closed) && g_atomic_int_get (&run->feeds[s].last) < head &&
           g_get_monotonic_time () < end)
      g_usleep (50 * 1000);
  g_atomic_int_set (&run->feeds_stop, 1);
  g_main_context_wakeup (run->feed_context);
  g_thread_join (run->feed_thread);
  for (guint s = 0; s < 2; s++)
    {
      GArray *got = run->feeds[s].positions;
      guint n = MIN (got->len, expected->len);
      guint first_diff = n;

      if (g_atomic_int_get (&run->feeds[s].closed))
        problem (run, "the event feed of server %u closed", s);
      for (guint i = 0; i < n && first_diff == n; i++)
        if (g_array_index (got, gint64, i) != g_array_index (expected, gint64, i))
          first_diff = i;
      if (first_diff < n || got->len != expected->len)
        problem (run, "the event feed of server %u delivered %u positions, the project has %u; first difference "
                 "at #%u (a gap or a duplicate)", s, got->len, expected->len, first_diff);
    }
}

/* ------------------------------------------------------------------------- */
/* The failover                                                              */

static guint
n_successes (Run *run, guint server, gint64 since)
{
  guint n = 0;

  g_mutex_lock (&run->lock);
  for (guint i = 0; i < run->successes[server]->len; i++)
    n += g_array_index (run->successes[server], gint64, i) > since;
  g_mutex_unlock (&run->lock);
  return n;
}

/* When the first write through @server after @since answered 2xx; 0: none yet. */
static gint64
first_success (Run *run, guint server, gint64 since)
{
  gint64 first = 0;

  g_mutex_lock (&run->lock);
  for (guint i = 0; i < run->successes[server]->len && first == 0; i++)
    if (g_array_index (run->successes[server], gint64, i) > since)
      first = g_array_index (run->successes[server], gint64, i);
  g_mutex_unlock (&run->lock);
  return first;
}

static guint
ready_status (Run *run, SoupSession *session, guint server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(SoupMessage) msg = syn_test_session_http (session, run->serve[server]->url, "GET", "/api/v1/ready",
                                                      NULL, NULL, NULL, -1, &answer, &error);

  return error ? 0 : soup_message_get_status (msg);
}

/* One kill: the primary's every process SIGKILLed while the clients write;
 * /ready says not ready until a standby takes writes; promoted; both servers
 * must write again by themselves. Returns the longest unavailability (µs). */
static gint64
failover (Run *run, SoupSession *session, guint round, GRand *rand)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + RECOVERY_BOUND_S * G_USEC_PER_SEC;
  gint64 killed, promoted, longest = 0, after_promotion = 0;
  g_autoptr(GError) error = NULL;
  int n_killed;

  /* writes going on through both servers, then a random moment */
  while ((n_successes (run, 0, start) < 2 || n_successes (run, 1, start) < 2) && g_get_monotonic_time () < end)
    g_usleep (20 * 1000);
  g_usleep ((gulong) g_rand_int_range (rand, 0, 1500) * 1000);

  killed = g_get_monotonic_time ();
  n_killed = syn_test_pg_pair_kill_primary (run->pair);
  g_test_message ("kill %u: %d processes of the primary SIGKILLed", round + 1, n_killed);
  /* no server takes writes: not ready */
  for (guint s = 0; s < 2; s++)
    {
      guint status = ready_status (run, session, s);

      if (status != 503)
        problem (run, "kill %u: server %u's /api/v1/ready answered %u with the primary gone", round + 1, s, status);
    }
  /* the time a failover manager takes to decide */
  g_usleep ((gulong) g_rand_int_range (rand, 200, 1500) * 1000);
  if (!syn_test_pg_pair_promote (run->pair, &error))
    g_error ("promote: %s", error->message);
  promoted = g_get_monotonic_time ();

  /* the servers find the new primary by themselves: a write that takes no
   * project lock (a new project) through each, until it succeeds */
  end = g_get_monotonic_time () + RECOVERY_BOUND_S * G_USEC_PER_SEC;
  for (guint s = 0; s < 2; s++)
    {
      gint64 wrote = 0;

      for (guint n = 0; wrote == 0 && g_get_monotonic_time () < end; n++)
        {
          g_autofree char *body = g_strdup_printf ("{\"name\": \"probe %u-%u-%u\"}", round + 1, s, n);
          guint status = 0;
          g_autoptr(JsonNode) answer = request (run, session, s, "POST", "/api/v1/projects", "application/json",
                                                body, &status);

          if (status == 201)
            wrote = g_get_monotonic_time ();
          else
            g_usleep (20 * 1000);
        }
      if (wrote == 0)
        problem (run, "kill %u: no write through server %u succeeded in %d s after the promotion",
                 round + 1, s, RECOVERY_BOUND_S);
      else
        {
          longest = MAX (longest, wrote - killed);
          after_promotion = MAX (after_promotion, wrote - promoted);
        }
      if (ready_status (run, session, s) != 200)
        problem (run, "kill %u: server %u is not ready after it wrote again", round + 1, s);
    }
  /* and the clients go on through both */
  for (guint s = 0; s < 2; s++)
    {
      while (first_success (run, s, promoted) == 0 && g_get_monotonic_time () < end)
        g_usleep (20 * 1000);
      if (first_success (run, s, promoted) == 0)
        problem (run, "kill %u: no client's write through server %u succeeded in %d s after the promotion",
                 round + 1, s, RECOVERY_BOUND_S);
    }
  g_test_message ("kill %u: promoted %.2f s after the kill; both servers wrote again %.2f s after the kill, "
                  "%.2f s after the promotion", round + 1, (promoted - killed) / 1e6, longest / 1e6,
                  after_promotion / 1e6);
  return longest;
}

static void
check_batches (Run *run, SynStore *store)
{
  guint missing = 0, not_rolled_back = 0;

  for (guint i = 0; i < run->committed->len; i++)
    {
      g_autoptr(SynEventQuery) q = syn_event_query_new (run->project_id);
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(GError) error = NULL;

      q->correlation_id = g_strdup (g_ptr_array_index (run->committed, i));
      q->include_rolled_back = TRUE;
      q->limit = 1;
      events = syn_store_query_events (store, q, NULL, &error);
      g_assert_no_error (error);
      if (events->len == 0)
        {
          if (missing++ < 5)
            problem (run, "batch %s was told committed and is not there", q->correlation_id);
        }
    }
  for (guint i = 0; i < run->rolled_back->len; i++)
    {
      g_autoptr(SynEventQuery) q = syn_event_query_new (run->project_id);
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(GError) error = NULL;

      q->correlation_id = g_strdup (g_ptr_array_index (run->rolled_back, i));
      /* rolled-back events are left out: none may be left */
      events = syn_store_query_events (store, q, NULL, &error);
      g_assert_no_error (error);
      if (events->len > 0 && not_rolled_back++ < 5)
        problem (run, "batch %s was told rolled back and is not", q->correlation_id);
    }
}

static void
verify_database (Run *run)
{
  g_autofree char *uri = syn_test_pg_pair_primary_uri (run->pair, DBNAME);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("SYNAPSE_BIN"), "verify", "--db", uri, NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    g_error ("synapse verify: %s", error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    problem (run, "synapse verify on the promoted database: %s%s", out, err);
}

static void
run_failover (const Config *cfg)
{
  Run run_ = { .cfg = *cfg }, *run = &run_;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", CLIENT_TIMEOUT_S, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (cfg->seed);
  g_autofree char *tmpdir = g_dir_make_tmp ("synapse-failover-XXXXXX", NULL);
  g_autoptr(CrashChecker) checker = crash_checker_new ();
  CrashReport report = { 0 };
  gint64 longest = 0;
  guint kills = 0;

  g_mutex_init (&run->lock);
  run->problems = g_ptr_array_new_with_free_func (g_free);
  run->committed = g_ptr_array_new_with_free_func (g_free);
  run->rolled_back = g_ptr_array_new_with_free_func (g_free);
  run->successes[0] = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->successes[1] = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* the clusters, the database, a user */
  run->pair = syn_test_pg_pair_start (&error);
  g_assert_no_error (error);
  {
    g_autofree char *postgres = syn_test_pg_pair_primary_uri (run->pair, "postgres");
    g_autofree char *message = NULL;
    g_autofree char *primary = syn_test_pg_pair_primary_uri (run->pair, DBNAME);
    g_autoptr(SynStore) store = NULL;

    if (!syn_test_pg_exec (postgres, "CREATE DATABASE " DBNAME, &message))
      g_error ("CREATE DATABASE: %s", message);
    store = syn_store_open (primary, &error);
    g_assert_no_error (error);
    g_free (syn_test_add_user (store, "admin", "admin"));
  }
  run->uri = syn_test_pg_pair_uri (run->pair, DBNAME);
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *log = g_strdup_printf ("%s/serve-%u.log", tmpdir, s);

      run->serve[s] = syn_test_serve_start (run->uri, log);
    }

  /* a project with the demo's rules, through the servers */
  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(SoupMessage) msg = NULL;

    msg = syn_test_session_http (session, run->serve[0]->url, "POST", "/api/v1/auth/login", NULL, "application/json",
                                 "{\"username\": \"admin\", \"password\": \"" SYN_TEST_PASSWORD "\"}", -1, &answer,
                                 &local_error);
    g_assert_no_error (local_error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    run->token = g_strdup (syn_json_get_string (json_node_get_object (answer), "token"));
    g_clear_pointer (&answer, json_node_unref);
    g_clear_object (&msg);
    msg = syn_test_session_http (session, run->serve[0]->url, "POST", "/api/v1/demo", run->token, "application/json",
                                 "{\"name\": \"failover\"}", -1, &answer, &local_error);
    g_assert_no_error (local_error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
    run->project_id = g_strdup (syn_json_get_string (json_object_get_object_member (json_node_get_object (answer),
                                                                                    "project"), "id"));
  }

  /* feeds on both servers, then the clients, spread over both */
  run->feed_context = g_main_context_new ();
  run->feed_thread = g_thread_new ("feeds", feed_thread, run);
  while (!g_atomic_int_get (&run->feeds_ready))
    g_usleep (10 * 1000);
  for (guint s = 0; s < 2; s++)
    g_assert_nonnull (run->feeds[s].conn);
  run->clients = g_new0 (Client, cfg->clients);
  for (guint i = 0; i < cfg->clients; i++)
    {
      Client *c = &run->clients[i];

      c->run = run;
      c->index = i;
      c->server = i % 2;
      c->rand = g_rand_new_with_seed (cfg->seed + i + 1);
      c->imports = g_ptr_array_new_with_free_func (g_free);
      c->thread = g_thread_new ("client", client_thread, c);
    }

  for (guint k = 0; k < cfg->kills; k++)
    {
      gint64 unavailable = failover (run, session, k, rand);

      kills++;
      longest = MAX (longest, unavailable);
      if (k + 1 < cfg->kills && !syn_test_pg_pair_rebuild_standby (run->pair, &error))
        g_error ("a new standby: %s", error->message);
    }

  g_atomic_int_set (&run->stop, 1);
  for (guint i = 0; i < cfg->clients; i++)
    {
      g_thread_join (run->clients[i].thread);
      g_rand_free (run->clients[i].rand);
      g_ptr_array_unref (run->clients[i].imports);
    }

  /* the checks, on the promoted database */
  {
    g_autofree char *primary = syn_test_pg_pair_primary_uri (run->pair, DBNAME);
    g_autoptr(SynStore) store = syn_store_open (primary, &error);

    g_assert_no_error (error);
    check_batches (run, store);
    check_feeds (run, store);
    crash_checker_run (checker, store, TRUE, &report);
    for (guint i = 0; report.messages != NULL && i < report.messages->len; i++)
      problem (run, "%s", (char *) g_ptr_array_index (report.messages, i));
    if (report.messages != NULL && report.failures > report.messages->len)
      problem (run, "%" G_GUINT64_FORMAT " more invariant failures", report.failures - report.messages->len);
  }
  verify_database (run);
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *log = NULL;

      if (!syn_test_serve_stop (run->serve[s], &log))
        problem (run, "server %u failed: %s", s, log ? log : "");
    }

  g_test_message ("%u kills, %u clients: %u requests, %u batches told committed and found, %u rolled back, "
                  "%" G_GUINT64_FORMAT " batches checked whole, %u answers 503 with Retry-After, %u clear "
                  "refusals; longest unavailability %.2f s",
                  kills, cfg->clients, run->requests, run->committed->len, run->rolled_back->len,
                  report.batches_checked, (guint) run->unavailable, run->refused, longest / 1e6);
  if (!g_test_quiet ())
    g_print ("# failover: %u kills, %u batches told committed, %" G_GUINT64_FORMAT " batches checked, "
             "%u answers 503, longest unavailability %.2f s\n", kills, run->committed->len,
             report.batches_checked, (guint) run->unavailable, longest / 1e6);
  for (guint i = 0; i < run->problems->len; i++)
    g_printerr ("# problem: %s\n", (char *) g_ptr_array_index (run->problems, i));
  g_assert_cmpuint (run->problems->len, ==, 0);
  g_assert_cmpuint (run->committed->len, >, 0);

  crash_report_clear (&report);
  g_free (run->clients);
  g_main_context_unref (run->feed_context);
  for (guint s = 0; s < 2; s++)
    g_array_unref (run->feeds[s].positions);
  g_array_unref (run->successes[0]);
  g_array_unref (run->successes[1]);
  g_ptr_array_unref (run->problems);
  g_ptr_array_unref (run->committed);
  g_ptr_array_unref (run->rolled_back);
  g_free (run->token);
  g_free (run->project_id);
  g_free (run->uri);
  syn_test_pg_pair_free (run->pair);
  g_mutex_clear (&run->lock);
  {
    const char *rm[] = { "rm", "-rf", tmpdir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
}

static Config config;

static void
test_failover (void)
{
  if (syn_test_pg_bindir () == NULL)
    {
      g_test_skip ("PostgreSQL 15 is not installed (postgresql-15)");
      return;
    }
  run_failover (&config);
}

/* CI: one kill, four clients. On demand: test-failover --kills N
 * [--clients C] [--seed S], or SYNAPSE_FAILOVER_KILLS=N. */
int
main (int argc, char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- PostgreSQL failover harness");
  g_autoptr(GError) error = NULL;
  gint kills = 0, clients = 4, seed = 0;
  const GOptionEntry entries[] = {
    { "kills", 0, 0, G_OPTION_ARG_INT, &kills, "Primaries to kill, one after the other (1)", "N" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Clients writing at once (4)", "C" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (the time)", "S" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, NULL);
  g_option_context_set_ignore_unknown_options (options, TRUE);
  g_option_context_set_help_enabled (options, FALSE);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (kills <= 0 && g_getenv ("SYNAPSE_FAILOVER_KILLS") != NULL)
    kills = atoi (g_getenv ("SYNAPSE_FAILOVER_KILLS"));
  config.kills = (guint) MAX (kills, 1);
  config.clients = (guint) MAX (clients, 2);
  config.seed = seed != 0 ? (guint32) seed : (guint32) g_get_real_time ();

  g_test_init (&argc, &argv, NULL);
  g_test_message ("seed %u", config.seed);
  g_test_add_func ("/failover/postgresql/kill-primary", test_failover);
  return g_test_run ();
}

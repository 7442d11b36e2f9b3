/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-run-relay.c: SynRunRelay: run messages through PostgreSQL between two servers (publish, replay, cancel, lost runs, retention). */
#include "config.h"

#include "core/syn-core.h"
#include "server/syn-run-relay.h"
#include "syn-test-fixture.h"

/* Bound of every wait: a loaded machine is slow, never this slow. */
#define WAIT_MS 120000

/* One `synapse serve` as the relay sees it: a backend and its relay. */
typedef struct
{
  SynLocalBackend *backend;
  SynRunRelay     *relay;
} Server;

static void
server_open (Server *s, SynTestFixture *f)
{
  g_autoptr(GError) error = NULL;

  s->backend = syn_local_backend_new (f->uri, &error);
  g_assert_no_error (error);
  s->relay = syn_run_relay_new (s->backend, &error);
  g_assert_no_error (error);
}

/* As a server that stops: what it queued is written first. */
static void
server_close (Server *s)
{
  if (s->relay != NULL)
    g_object_run_dispose (G_OBJECT (s->relay));
  g_clear_object (&s->relay);
  g_clear_object (&s->backend);
}

static void
on_result (GObject *object, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  while (*result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);
  return *result;
}

static JsonObject *
read_sync (Server *s, const char *execution_id, gint64 after)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = NULL;

  syn_run_relay_read_async (s->relay, execution_id, after, NULL, on_result, &result);
  page = syn_run_relay_read_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (page));
}

static JsonObject *
describe_sync (Server *s, const char *execution_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) run = NULL;

  syn_run_relay_describe_async (s->relay, execution_id, NULL, on_result, &result);
  run = syn_run_relay_describe_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return run ? json_object_ref (json_node_get_object (run)) : NULL;
}

static gboolean
cancel_sync (Server *s, const char *execution_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found;

  syn_run_relay_cancel_async (s->relay, execution_id, on_result, &result);
  found = syn_run_relay_cancel_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return found;
}

static void
register_sync (Server *s, const char *execution_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  syn_run_relay_register_async (s->relay, execution_id, on_result, &result);
  g_assert_true (syn_run_relay_register_finish (wait_result (&result), &error));
  g_assert_no_error (error);
}

/* A message of the run, as the engine's worker hands it to the backend. */
static char *
emit (Server *s, const char *execution_id, const char *json)
{
  g_autoptr(JsonNode) message = syn_json_parse (json, -1, NULL);

  g_assert_nonnull (message);
  g_signal_emit_by_name (s->backend, "execution-message", execution_id, message);
  return syn_json_to_string (message);
}

static guint
n_messages (JsonObject *page)
{
  return json_array_get_length (json_object_get_array_member (page, "messages"));
}

static const char *
message_text (JsonObject *page, guint i)
{
  return syn_json_get_string (json_array_get_object_element (json_object_get_array_member (page, "messages"), i), "text");
}

/* Reads until the run has @n messages and has finished (or WAIT_MS). */
static JsonObject *
read_until_finished (Server *s, const char *execution_id, guint n)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  for (;;)
    {
      g_autoptr(JsonObject) page = read_sync (s, execution_id, 0);

      if ((n_messages (page) == n && json_object_get_boolean_member (page, "finished")) ||
          g_get_monotonic_time () > deadline)
        return g_steal_pointer (&page);
      /* the other server's next heartbeat tick, or its writer */
      g_main_context_iteration (NULL, TRUE);
    }
}

typedef struct
{
  char  *execution_id;
  gint64 seq;
} Appended;

static void
on_appended (SynRunRelay *relay, const char *execution_id, gint64 seq, gpointer data)
{
  Appended *a = data;

  if (g_strcmp0 (execution_id, a->execution_id) == 0)
    a->seq = MAX (a->seq, seq);
}

/* Server A's messages reach server B in order with their sequence numbers,
 * B is told (NOTIFY), a late read from any seq gets the rest, and the run's
 * row says who ran it and how it ended. */
static void
test_publish_and_replay (SynTestFixture *f, gconstpointer data)
{
  Server a = { 0 }, b = { 0 };
  g_autofree char *id = syn_uuid_new ();
  g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) rest = NULL;
  g_autoptr(JsonObject) run = NULL;
  Appended appended = { id, 0 };
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  server_open (&a, f);
  server_open (&b, f);
  g_signal_connect (b.relay, "appended", G_CALLBACK (on_appended), &appended);

  t1 = emit (&a, id, "{\"type\": \"STARTED\", \"execution_id\": \"x\", \"total_rules\": 2}");
  register_sync (&a, id);
  run = describe_sync (&b, id);
  g_assert_nonnull (run);
  g_assert_cmpstr (syn_json_get_string (run, "status"), ==, "running");
  g_assert_cmpstr (syn_json_get_string (run, "server"), ==, syn_run_relay_get_server_id (a.relay));
  g_assert_cmpstr (syn_json_get_string (run, "server"), !=, syn_run_relay_get_server_id (b.relay));
  g_clear_pointer (&run, json_object_unref);

  t2 = emit (&a, id, "{\"type\": \"PROGRESS\", \"percent\": 50, \"message\": \"a \\\"quoted\\\" \\u00e9 text\"}");
  t3 = emit (&a, id, "{\"type\": \"COMPLETED\", \"execution_id\": \"x\", \"duration_ms\": 3, \"summary\": {}}");
  page = read_until_finished (&b, id, 3);
  g_assert_cmpuint (n_messages (page), ==, 3);
  g_assert_true (json_object_get_boolean_member (page, "known"));
  g_assert_true (json_object_get_boolean_member (page, "finished"));
  g_assert_cmpstr (message_text (page, 0), ==, t1);
  g_assert_cmpstr (message_text (page, 1), ==, t2);
  g_assert_cmpstr (message_text (page, 2), ==, t3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                       json_object_get_array_member (page, "messages"), i), "seq"), ==, i + 1);

  /* a watcher that has seq 1 gets 2 and 3 */
  rest = read_sync (&b, id, 1);
  g_assert_cmpuint (n_messages (rest), ==, 2);
  g_assert_cmpstr (message_text (rest, 0), ==, t2);

  /* B was told of the last one */
  while (appended.seq < 3 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (appended.seq, ==, 3);

  run = describe_sync (&b, id);
  g_assert_cmpstr (syn_json_get_string (run, "status"), ==, "completed");

  /* a run nobody published: unknown, not an error */
  {
    g_autofree char *other = syn_uuid_new ();
    g_autoptr(JsonObject) none = read_sync (&b, other, 0);

    g_assert_false (json_object_get_boolean_member (none, "known"));
    g_assert_null (describe_sync (&b, other));
  }
  server_close (&b);
  server_close (&a);
}

/* A cancel asked on B marks the run for its owner while it runs; once it
 * ended, there is nothing to cancel. */
static void
test_cancel_elsewhere (SynTestFixture *f, gconstpointer data)
{
  Server a = { 0 }, b = { 0 };
  g_autofree char *id = syn_uuid_new ();
  g_autofree char *t1 = NULL, *t2 = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM runs WHERE execution_id = '%s' AND cancel_requested", id);

  server_open (&a, f);
  server_open (&b, f);
  t1 = emit (&a, id, "{\"type\": \"STARTED\"}");
  register_sync (&a, id);
  g_assert_true (cancel_sync (&b, id));
  g_assert_cmpint (syn_test_query_int (f, sql), ==, 1);

  t2 = emit (&a, id, "{\"type\": \"ERROR\", \"message\": \"Execution cancelled: nothing was committed\", "
                     "\"recoverable\": false, \"status\": \"cancelled\"}");
  register_sync (&a, id);   /* a barrier: the end is written */
  g_assert_false (cancel_sync (&b, id));
  {
    g_autoptr(JsonObject) run = describe_sync (&b, id);

    g_assert_cmpstr (syn_json_get_string (run, "status"), ==, "cancelled");
    g_assert_cmpstr (syn_json_get_string (run, "error"), ==, "Execution cancelled: nothing was committed");
  }
  server_close (&b);
  server_close (&a);
}

/* B finds the run of A failed, with the final message its watchers get. */
static void
check_failed (Server *b, const char *id, const char *first_text)
{
  g_autoptr(JsonObject) page = read_until_finished (b, id, 2);
  g_autoptr(JsonObject) last = NULL;
  g_autoptr(JsonObject) run = NULL;

  g_assert_cmpuint (n_messages (page), ==, 2);
  g_assert_cmpstr (message_text (page, 0), ==, first_text);
  last = syn_json_parse_object (message_text (page, 1), -1, NULL);
  g_assert_cmpstr (syn_json_get_string (last, "type"), ==, "ERROR");
  g_assert_cmpstr (syn_json_get_string (last, "status"), ==, "failed");
  g_assert_false (json_object_get_boolean_member (last, "recoverable"));
  run = describe_sync (b, id);
  g_assert_cmpstr (syn_json_get_string (run, "status"), ==, "failed");
}

/* A is gone mid-run (its connection closed, as a killed process's is): B
 * marks the run failed at once, not after run-lost-after (30 s here). */
static void
test_gone_run_failed (SynTestFixture *f, gconstpointer data)
{
  Server a = { 0 }, b = { 0 };
  g_autofree char *id = syn_uuid_new ();
  g_autofree char *t1 = NULL;

  server_open (&a, f);
  t1 = emit (&a, id, "{\"type\": \"STARTED\"}");
  register_sync (&a, id);
  server_close (&a);

  server_open (&b, f);
  {
    g_autoptr(JsonObject) run = describe_sync (&b, id);

    g_assert_cmpstr (syn_json_get_string (run, "status"), ==, "failed");
  }
  check_failed (&b, id, t1);
  server_close (&b);
}

/* A is connected but its heartbeats stop (hung): B marks the run failed
 * once the last heartbeat is older than run-lost-after. */
static void
test_hung_run_failed (SynTestFixture *f, gconstpointer data)
{
  Server a = { 0 }, b = { 0 };
  g_autofree char *id = syn_uuid_new ();
  g_autofree char *t1 = NULL;

  server_open (&a, f);
  g_object_set (a.relay, "heartbeat", 3600, NULL);
  t1 = emit (&a, id, "{\"type\": \"STARTED\"}");
  register_sync (&a, id);

  server_open (&b, f);
  syn_run_relay_set_lost_after (b.relay, 2);
  check_failed (&b, id, t1);
  server_close (&b);
  server_close (&a);
}

/* Runs finished longer ago than the retention are purged, messages too. */
static void
test_retention_purges (SynTestFixture *f, gconstpointer data)
{
  Server a = { 0 };
  g_autofree char *id = syn_uuid_new ();
  g_autofree char *t1 = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;
  JsonObject *run;

  server_open (&a, f);
  syn_run_relay_set_lost_after (a.relay, 4);   /* a heartbeat tick each second */
  t1 = emit (&a, id, "{\"type\": \"COMPLETED\", \"summary\": {}}");
  register_sync (&a, id);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM run_messages"), ==, 1);
  g_object_set (a.relay, "retention", 0, NULL);
  while ((run = describe_sync (&a, id)) != NULL && g_get_monotonic_time () < deadline)
    {
      json_object_unref (run);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_null (run);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM run_messages"), ==, 0);
  server_close (&a);
}

/* Schema 0009 on both databases (SQLite leaves it empty: one server keeps
 * its runs' messages in memory). */
static void
test_schema (SynTestFixture *f, gconstpointer data)
{
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM runs"), ==, 0);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM run_messages"), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  syn_test_add ("/synapse/run-relay/schema", test_schema);
  syn_test_add_postgresql ("/synapse/run-relay/publish-and-replay", test_publish_and_replay);
  syn_test_add_postgresql ("/synapse/run-relay/cancel-elsewhere", test_cancel_elsewhere);
  syn_test_add_postgresql ("/synapse/run-relay/gone-run-failed", test_gone_run_failed);
  syn_test_add_postgresql ("/synapse/run-relay/hung-run-failed", test_hung_run_failed);
  syn_test_add_postgresql ("/synapse/run-relay/retention-purges", test_retention_purges);

  return g_test_run ();
}

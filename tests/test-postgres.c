/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-postgres.c: what only PostgreSQL has: locks across processes, NOTIFY, connection loss, ordering. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/syn-batch.h"
#include "engine/syn-event-store.h"
#include "engine/syn-rule-engine.h"
#include "store/syn-pg-listener.h"
#include "store/syn-pg-store.h"
#include "syn-test-fixture.h"
#include "syn-test-pg.h"

static void
emit_n (SynBatch *batch, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SynEvent) e = syn_batch_emit (batch, SYN_EVENT_ASSET_UPDATED, SYN_AGGREGATE_ASSET, "a",
                                              NULL, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
    }
}

/* The other process of the lock test: takes the project, reports, waits for
 * a line on stdin, writes more and commits. */
static int
lock_helper (const char *uri, const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (uri, &error);
  g_autoptr(SynBatch) batch = NULL;
  char line[16];

  if (store == NULL)
    {
      g_printerr ("helper: %s\n", error->message);
      return 2;
    }
  batch = syn_batch_begin (store, project_id, NULL, &error);
  if (batch == NULL || !syn_store_lock_project (store, project_id, &error))
    {
      g_printerr ("helper: %s\n", error->message);
      return 3;
    }
  emit_n (batch, 5);
  if (!syn_event_store_flush (syn_batch_get_event_store (batch), &error))
    return 4;
  printf ("locked %s\n", syn_batch_get_correlation_id (batch));
  fflush (stdout);
  if (fgets (line, sizeof line, stdin) == NULL)
    return 5;
  /* long enough for the other process to be waiting on the lock */
  g_usleep (300 * 1000);
  emit_n (batch, 5);
  if (!syn_batch_commit (batch, &error))
    {
      g_printerr ("helper: %s\n", error->message);
      return 6;
    }
  printf ("committed\n");
  fflush (stdout);
  return 0;
}

/* @uri with a short lock wait: the "refused" side of the lock tests. */
static char *
impatient_uri (SynTestFixture *f)
{
  return g_strconcat (f->uri, " options='-c lock_timeout=300'", NULL);
}

static void
test_lock_across_processes (SynTestFixture *f, gconstpointer data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self_exe, "--lock-helper", f->uri, f->project->id, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *impatient = impatient_uri (f);
  g_autofree char *helper_correlation = NULL;
  g_autofree char *our_correlation = NULL;
  g_autoptr(GPtrArray) events = NULL;
  char line[128];
  int in_fd, out_fd, status;
  GPid pid;
  FILE *out;
  gint64 waited;

  g_assert_nonnull (self_exe);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, &in_fd, &out_fd, NULL, &error));
  g_assert_no_error (error);
  out = fdopen (out_fd, "r");
  g_assert_nonnull (fgets (line, sizeof line, out));
  g_assert_true (g_str_has_prefix (line, "locked "));
  helper_correlation = g_strstrip (g_strdup (line + strlen ("locked ")));

  /* While the other process holds the project: refused as busy after the wait,
   * as a batch and as an execution; nothing written. */
  {
    g_autoptr(SynStore) store = syn_store_open (impatient, &error);
    g_autoptr(SynBatch) batch = NULL;
    g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (impatient);
    g_autoptr(JsonObject) request = json_object_new ();
    g_autoptr(JsonNode) answer = NULL;

    g_assert_no_error (error);
    batch = syn_batch_begin (store, f->project->id, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (syn_store_lock_project (store, f->project->id, &error));
    g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY);
    g_assert_nonnull (strstr (error->message, "Another execution"));
    g_clear_error (&error);
    syn_batch_abandon (batch);

    json_object_set_string_member (request, "project_id", f->project->id);
    answer = syn_rule_engine_run (engine, store, NULL, request, NULL, NULL, NULL, NULL, NULL, &error);
    g_assert_null (answer);
    g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_BUSY);
    g_clear_error (&error);
  }

  /* Let it go on, and ask for the project meanwhile: we wait, then write. */
  g_assert_cmpint (write (in_fd, "go\n", 3), ==, 3);
  {
    g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);
    gint64 start = g_get_monotonic_time ();

    g_assert_no_error (error);
    g_assert_true (syn_store_lock_project (f->store, f->project->id, &error));
    g_assert_no_error (error);
    waited = g_get_monotonic_time () - start;
    our_correlation = g_strdup (syn_batch_get_correlation_id (batch));
    emit_n (batch, 5);
    g_assert_true (syn_batch_commit (batch, &error));
    g_assert_no_error (error);
  }
  g_assert_nonnull (fgets (line, sizeof line, out));
  g_assert_cmpstr (line, ==, "committed\n");
  fclose (out);
  close (in_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_spawn_close_pid (pid);
  g_assert_cmpint (waited, >=, 100 * 1000);

  /* never both: the helper's batch whole, then ours */
  events = syn_store_list_events_after (f->store, f->project->id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 15);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpstr (((SynEvent *) events->pdata[i])->correlation_id, ==,
                     i < 10 ? helper_correlation : our_correlation);
}

/* --- NOTIFY ---------------------------------------------------------------- */

typedef struct
{
  SynTestFixture *f;
  const char     *other_project;
  GPtrArray      *correlations;   /* of the batches of f->project, in commit order */
  guint           total;
} Writer;

static const guint batch_sizes[] = { 1, 7, 1100, 3, 2500, 40, 1, 1024, 99, 5, 2, 600, 13, 1, 3000, 8, 77, 1, 250, 4 };

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(SynStore) store = syn_test_fixture_open_again (w->f);
  g_autoptr(GError) error = NULL;

  for (guint b = 0; b < G_N_ELEMENTS (batch_sizes); b++)
    {
      g_autoptr(SynBatch) batch = syn_batch_begin (store, w->f->project->id, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (w->correlations, g_strdup (syn_batch_get_correlation_id (batch)));
      emit_n (batch, batch_sizes[b]);
      g_assert_true (syn_batch_commit (batch, &error));
      g_assert_no_error (error);
      w->total += batch_sizes[b];

      /* an abandoned batch is never announced; another project's is, apart */
      if (b % 5 == 2)
        {
          g_autoptr(SynBatch) dropped = syn_batch_begin (store, w->f->project->id, NULL, &error);

          emit_n (dropped, 1500);
          syn_batch_abandon (dropped);
        }
      if (b % 5 == 4)
        {
          g_autoptr(SynBatch) other = syn_batch_begin (store, w->other_project, NULL, &error);

          emit_n (other, 3);
          g_assert_true (syn_batch_commit (other, &error));
        }
    }
  return NULL;
}

typedef struct
{
  SynStore   *reader;
  const char *project_id;
  GArray     *notes;          /* SynPgRangeNote */
  GPtrArray  *events;         /* read by catch-up, in order */
  gint64      last_position;
  guint       other_notes;
  guint       expected;
  guint       expected_notes;
  guint       expected_other;
  guint       reconnects;
  GMainLoop  *loop;
} Feed;

typedef struct
{
  gint64 first;
  gint64 last;
} Note;

static void
quit_when_all_seen (Feed *feed)
{
  if (feed->events->len >= feed->expected && feed->notes->len >= feed->expected_notes &&
      feed->other_notes >= feed->expected_other)
    g_main_loop_quit (feed->loop);
}

static void
on_batch_committed (SynPgListener *listener, const char *project_id, gint64 first, gint64 last, gpointer data)
{
  Feed *feed = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  Note note = { first, last };

  if (g_strcmp0 (project_id, feed->project_id) != 0)
    {
      feed->other_notes++;
      quit_when_all_seen (feed);
      return;
    }
  g_assert_cmpint (first, <=, last);
  g_array_append_val (feed->notes, note);
  fresh = syn_store_list_events_after (feed->reader, project_id, feed->last_position, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < fresh->len; i++)
    g_ptr_array_add (feed->events, g_object_ref (fresh->pdata[i]));
  if (fresh->len > 0)
    feed->last_position = ((SynEvent *) fresh->pdata[fresh->len - 1])->position;
  quit_when_all_seen (feed);
}

static void
on_reconnected (SynPgListener *listener, gpointer data)
{
  Feed *feed = data;

  feed->reconnects++;
  g_main_loop_quit (feed->loop);
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("timed out waiting for notifications");
  return G_SOURCE_REMOVE;
}

static void
feed_init (Feed *feed, SynTestFixture *f)
{
  feed->reader = f->store;
  feed->project_id = f->project->id;
  feed->notes = g_array_new (FALSE, FALSE, sizeof (Note));
  feed->events = g_ptr_array_new_with_free_func (g_object_unref);
  feed->loop = g_main_loop_new (NULL, FALSE);
}

static void
feed_clear (Feed *feed)
{
  g_array_unref (feed->notes);
  g_ptr_array_unref (feed->events);
  g_main_loop_unref (feed->loop);
}

static void
test_notify_every_batch_in_order (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynPgListener) listener = syn_pg_listener_new (f->uri, &error);
  g_autoptr(SynProject) other = syn_test_create_project (f->store, "Other", NULL);
  Writer w = { f, other->id, g_ptr_array_new_with_free_func (g_free), 0 };
  Feed feed = { 0 };
  GThread *thread;
  guint timeout;
  guint64 expected = 0;

  g_assert_no_error (error);
  g_assert_true (syn_pg_listener_is_connected (listener));
  feed_init (&feed, f);
  for (guint b = 0; b < G_N_ELEMENTS (batch_sizes); b++)
    expected += batch_sizes[b];
  feed.expected = expected;
  feed.expected_notes = G_N_ELEMENTS (batch_sizes);
  feed.expected_other = G_N_ELEMENTS (batch_sizes) / 5;
  g_signal_connect (listener, "batch-committed", G_CALLBACK (on_batch_committed), &feed);

  thread = g_thread_new ("writer", writer_thread, &w);
  timeout = g_timeout_add_seconds (60, on_timeout, NULL);
  g_main_loop_run (feed.loop);
  g_source_remove (timeout);
  g_thread_join (thread);

  /* one notification per committed batch, in commit order; none for the abandoned ones */
  g_assert_cmpuint (feed.notes->len, ==, G_N_ELEMENTS (batch_sizes));
  g_assert_cmpuint (feed.events->len, ==, expected);
  for (guint b = 0; b < feed.notes->len; b++)
    {
      Note *note = &g_array_index (feed.notes, Note, b);

      if (b > 0)
        g_assert_cmpint (note->first, >, g_array_index (feed.notes, Note, b - 1).last);
    }
  /* the catch-up read every event, in order, batch after batch */
  {
    guint at = 0;

    for (guint b = 0; b < G_N_ELEMENTS (batch_sizes); b++)
      {
        Note *note = &g_array_index (feed.notes, Note, b);

        for (guint i = 0; i < batch_sizes[b]; i++, at++)
          {
            SynEvent *e = feed.events->pdata[at];

            g_assert_cmpstr (e->correlation_id, ==, w.correlations->pdata[b]);
            g_assert_cmpint (e->sequence_num, ==, i);
            g_assert_cmpint (e->position, >=, note->first);
            g_assert_cmpint (e->position, <=, note->last);
            if (at > 0)
              g_assert_cmpint (e->position, >, ((SynEvent *) feed.events->pdata[at - 1])->position);
          }
      }
  }
  g_assert_cmpuint (feed.other_notes, ==, G_N_ELEMENTS (batch_sizes) / 5);
  g_ptr_array_unref (w.correlations);
  feed_clear (&feed);
}

static void
test_listener_reconnects (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynPgListener) listener = syn_pg_listener_new (f->uri, &error);
  Feed feed = { 0 };
  guint timeout;

  g_assert_no_error (error);
  feed_init (&feed, f);
  g_signal_connect (listener, "batch-committed", G_CALLBACK (on_batch_committed), &feed);
  g_signal_connect (listener, "reconnected", G_CALLBACK (on_reconnected), &feed);

  g_assert_true (syn_test_exec_raw (f, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                       "WHERE application_name = 'synapse-listener'", NULL));
  timeout = g_timeout_add_seconds (30, on_timeout, NULL);
  g_main_loop_run (feed.loop);
  g_assert_cmpuint (feed.reconnects, ==, 1);
  g_assert_true (syn_pg_listener_is_connected (listener));

  /* and it hears new batches again */
  {
    g_autoptr(SynStore) store = syn_test_fixture_open_again (f);
    g_autoptr(SynBatch) batch = syn_batch_begin (store, f->project->id, NULL, &error);

    emit_n (batch, 3);
    g_assert_true (syn_batch_commit (batch, &error));
  }
  feed.expected = 3;
  feed.expected_notes = 1;
  g_main_loop_run (feed.loop);
  g_source_remove (timeout);
  g_assert_cmpuint (feed.notes->len, ==, 1);
  g_assert_cmpuint (feed.events->len, ==, 3);
  feed_clear (&feed);
}

static void
count_signal (gpointer instance, gpointer data)
{
  (*(guint *) data)++;
}

static void
count_batch (SynPgListener *listener, const char *project_id, gint64 first, gint64 last, gpointer data)
{
  (*(guint *) data)++;
}

/* Runs the default context until *@counter is non-zero (bounded: a hang guard). */
static gboolean
iterate_until_counted (guint *counter)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*counter == 0 && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  return *counter > 0;
}

/* A server whose first watcher comes while the database is away (a
 * failover) listens once it is back, and says so, so that it catches up. */
static void
test_listener_in_background (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = syn_pg_uri_with_database (syn_test_pg_server_uri (), "listen_later", &error);
  g_autoptr(SynPgListener) listener = NULL;
  guint reconnects = 0, batches = 0;

  g_assert_no_error (error);
  syn_test_pg_drop_database ("listen_later");
  /* not there yet: the listener of the ordinary kind refuses */
  g_assert_null (syn_pg_listener_new (uri, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN);
  listener = syn_pg_listener_new_in_background (uri);
  g_signal_connect (listener, "reconnected", G_CALLBACK (count_signal), &reconnects);
  g_signal_connect (listener, "batch-committed", G_CALLBACK (count_batch), &batches);
  g_assert_false (syn_pg_listener_is_connected (listener));

  g_assert_true (syn_test_pg_exec (syn_test_pg_server_uri (), "CREATE DATABASE listen_later", NULL));
  g_assert_true (iterate_until_counted (&reconnects));
  g_assert_true (syn_pg_listener_is_connected (listener));
  g_assert_true (syn_test_pg_exec (uri, "SELECT pg_notify('synapse_events', "
                                        "'{\"project_id\": \"p\", \"first_position\": 1, \"last_position\": 1}')",
                                   NULL));
  g_assert_true (iterate_until_counted (&batches));
  g_clear_object (&listener);
  syn_test_pg_drop_database ("listen_later");
}

/* --- Connection loss ------------------------------------------------------- */

static void
kill_connection (SynTestFixture *f, SynStore *store)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(%d)",
                                          syn_pg_store_get_backend_pid (SYN_PG_STORE (store)));
  g_autofree char *message = NULL;

  g_assert_true (syn_test_exec_raw (f, sql, &message));
}

/* Terminates the store's session and waits until the server has ended it
 * (bounded: a hang guard, not a timing). */
static void
kill_connection_and_wait (SynTestFixture *f, SynStore *store)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE pid = %d",
                                          syn_pg_store_get_backend_pid (SYN_PG_STORE (store)));
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  kill_connection (f, store);
  while (syn_test_query_int (f, sql) != 0 && g_get_monotonic_time () < end)
    g_usleep (10000);
  g_assert_cmpint (syn_test_query_int (f, sql), ==, 0);
}

static void
test_connection_killed_mid_batch (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynEventQuery) q = syn_event_query_new (f->project->id);
  g_autoptr(GPtrArray) page = NULL;
  guint64 total = 99;

  {
    g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);
    guint i;

    g_assert_no_error (error);
    g_assert_true (syn_store_lock_project (f->store, f->project->id, &error));
    /* more than one flush of events (1024) and many entity rows are written */
    for (i = 0; i < 2500; i++)
      {
        g_autoptr(SynAsset) asset = syn_asset_new ();
        g_autoptr(SynEvent) e = NULL;

        if (i == 2000)
          kill_connection (f, f->store);
        asset->tag = g_strdup_printf ("210-PP-%04u", i);
        asset->type = g_strdup ("PUMP");
        e = syn_batch_create_asset (batch, asset, NULL, NULL, &error);
        if (error != NULL)
          break;
      }
    /* entity writes are pipelined: the loss shows at the next round trip, a
     * bounded number of calls later */
    g_assert_cmpuint (i, >=, 2000);
    g_assert_cmpuint (i, <, 2000 + 1000);
    g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION);
    g_assert_nonnull (strstr (error->message, "The database is unavailable: lost the connection to the PostgreSQL server"));
    g_assert_nonnull (strstr (error->message, "nothing of it was written"));
    g_clear_error (&error);

    /* the transaction is gone: every later call of it fails the same way */
    g_assert_false (syn_batch_commit (batch, &error));
    g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION);
    g_clear_error (&error);
  }
  g_assert_false (syn_store_in_transaction (f->store));

  /* nothing left behind, seen from another connection */
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM workflow_events"), ==, 0);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM assets"), ==, 0);
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM execution_snapshots"), ==, 0);

  /* and the next operation reconnects: the store works as before */
  page = syn_store_query_events (f->store, q, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 0);
  {
    g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);

    g_assert_no_error (error);
    emit_n (batch, 2000);
    g_assert_true (syn_batch_commit (batch, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM workflow_events"), ==, 2000);

  /* lost while idle (the server said so, or its socket closed): the next
   * call sees it before sending and runs on a new session, without an error */
  kill_connection_and_wait (f, f->store);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = syn_store_query_events (f->store, q, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2000);
}

/* A session on a standby (a failover not finished: the old primary's
 * address now leads to a server in recovery) answers writes with 25006: the
 * same CONNECTION error as a lost server (a 503 for the client), and the
 * next call looks for a primary again rather than staying on the standby. */
static void
test_read_only_session (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *read_only = g_strdup_printf ("ALTER DATABASE %s SET default_transaction_read_only = on", f->dbname);
  g_autofree char *writable = g_strdup_printf ("ALTER DATABASE %s RESET default_transaction_read_only", f->dbname);

  /* from the "postgres" database: this one refuses writes, ALTER DATABASE too */
  g_assert_true (syn_test_pg_exec (syn_test_pg_server_uri (), read_only, NULL));
  kill_connection_and_wait (f, f->store);
  {
    g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);

    /* the refusal comes at the first write that reaches the server */
    for (guint i = 0; batch != NULL && error == NULL && i < 3; i++)
      {
        g_autoptr(SynEvent) e = syn_batch_emit (batch, SYN_EVENT_ASSET_UPDATED, SYN_AGGREGATE_ASSET, "a",
                                                NULL, NULL, NULL, NULL, &error);
      }
    if (batch != NULL && error == NULL)
      g_assert_false (syn_batch_commit (batch, &error));
    g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONNECTION);
    g_assert_nonnull (strstr (error->message, "The database is unavailable"));
    g_clear_error (&error);
  }
  g_assert_false (syn_store_in_transaction (f->store));
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM workflow_events"), ==, 0);

  /* the primary is back: the next batch goes to a new, writable session */
  g_assert_true (syn_test_pg_exec (syn_test_pg_server_uri (), writable, NULL));
  {
    g_autoptr(SynBatch) batch = syn_batch_begin (f->store, f->project->id, NULL, &error);

    g_assert_no_error (error);
    emit_n (batch, 3);
    g_assert_true (syn_batch_commit (batch, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM workflow_events"), ==, 3);
}

/* --- Writes behind ----------------------------------------------------------- */

static SynAsset *
new_pump (SynTestFixture *f, const char *tag)
{
  SynAsset *asset = syn_asset_new ();

  asset->project_id = g_strdup (f->project->id);
  asset->tag = g_strdup (tag);
  asset->type = g_strdup ("PUMP");
  return asset;
}

/* Inside a transaction inserts are pipelined: a failure is reported by the
 * next call of the transaction, worded as ever, and fails the transaction;
 * an update of a row not inserted here still answers NOT_FOUND at once. */
static void
test_pipelined_write_errors (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynAsset) a = new_pump (f, "210-PP-001");
  g_autoptr(SynAsset) b = new_pump (f, "210-PP-001");
  g_autoptr(SynAsset) ghost = new_pump (f, "210-PP-404");
  g_autoptr(SynAsset) found = NULL;

  g_assert_true (syn_store_begin (f->store, &error));
  ghost->id = g_strdup ("no-such-asset");
  g_assert_false (syn_store_update_asset (f->store, ghost, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (syn_store_insert_asset (f->store, a, &error));
  json_object_set_int_member (a->properties, "hp", 75);
  g_assert_true (syn_store_update_asset (f->store, a, &error));
  found = syn_store_get_asset (f->store, f->project->id, a->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (found->properties, "hp"), ==, 75);
  syn_store_rollback (f->store);

  g_assert_true (syn_store_begin (f->store, &error));
  g_assert_true (syn_store_insert_asset (f->store, a, &error));
  g_assert_true (syn_store_insert_asset (f->store, b, &error));
  g_assert_no_error (error);
  g_assert_null (syn_store_list_assets (f->store, f->project->id, NULL, NULL, 0, 0, NULL, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_assert_true (g_str_has_prefix (error->message, "Asset 210-PP-001: "));
  g_clear_error (&error);
  g_assert_false (syn_store_commit (f->store, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (syn_store_in_transaction (f->store));
  g_assert_cmpint (syn_test_query_int (f, "SELECT count(*) FROM assets"), ==, 0);

  /* outside a transaction: at once, as on SQLite */
  g_assert_true (syn_store_insert_asset (f->store, a, &error));
  g_assert_false (syn_store_insert_asset (f->store, b, &error));
  g_assert_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT);
  g_assert_true (g_str_has_prefix (error->message, "Asset 210-PP-001: "));
}

/* --- Ordering with concurrent writers -------------------------------------- */

typedef struct
{
  SynTestFixture *f;
  const char     *project_id;
  guint           seed;
} OrderWriter;

static gpointer
order_writer_thread (gpointer data)
{
  OrderWriter *w = data;
  g_autoptr(SynStore) store = syn_test_fixture_open_again (w->f);
  g_autoptr(SynEventStore) es = syn_event_store_new (store, w->project_id, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (w->seed);
  g_autoptr(GError) error = NULL;

  for (guint b = 0; b < 30; b++)
    {
      guint n = b % 10 == 9 ? 1500 : (guint) g_rand_int_range (rand, 1, 200);

      g_assert_nonnull (syn_event_store_start_batch (es, &error));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SynEvent) e = syn_event_store_emit (es, SYN_EVENT_ASSET_UPDATED, SYN_AGGREGATE_ASSET, "x",
                                                        NULL, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
        }
      g_assert_true (syn_event_store_commit_batch (es, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

typedef struct
{
  SynTestFixture *f;
  gint            writers_done;
  GHashTable     *seen;          /* positions read by catch-up */
} Catcher;

static gpointer
catch_up_thread (gpointer data)
{
  Catcher *c = data;
  g_autoptr(SynStore) store = syn_test_fixture_open_again (c->f);
  g_autoptr(GError) error = NULL;
  gint64 last = 0;
  gboolean final = FALSE;

  /* "after=POSITION": read on from the last position seen, as the live feed
   * does; one more round once every writer has committed */
  while (!final)
    {
      g_autoptr(GPtrArray) fresh = NULL;

      final = g_atomic_int_get (&c->writers_done);
      fresh = syn_store_list_events_after (store, c->f->project->id, last, 0, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < fresh->len; i++)
        {
          SynEvent *e = fresh->pdata[i];

          g_assert_cmpint (e->position, >, last);
          last = e->position;
          g_hash_table_add (c->seen, g_memdup2 (&e->position, sizeof e->position));
        }
    }
  return NULL;
}

static void
test_positions_commit_in_order (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(SynProject) other = syn_test_create_project (f->store, "Other", NULL);
  OrderWriter writers[3] = { { f, f->project->id, 1 }, { f, f->project->id, 2 }, { f, other->id, 3 } };
  Catcher catcher = { f, 0, g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL) };
  GThread *threads[3];
  GThread *reader;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  reader = g_thread_new ("catch-up", catch_up_thread, &catcher);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("writer", order_writer_thread, &writers[t]);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    g_thread_join (threads[t]);
  g_atomic_int_set (&catcher.writers_done, 1);
  g_thread_join (reader);

  /* a late commit below a position already read would never have been seen */
  all = syn_store_list_events_after (f->store, f->project->id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >, 0);
  for (guint i = 0; i < all->len; i++)
    g_assert_true (g_hash_table_contains (catcher.seen, &((SynEvent *) all->pdata[i])->position));
  g_assert_cmpuint (g_hash_table_size (catcher.seen), ==, all->len);
  g_hash_table_unref (catcher.seen);
}

/* --- Migrations by several servers at once --------------------------------- */

static gpointer
open_thread (gpointer uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (uri, &error);

  g_assert_no_error (error);
  return NULL;
}

static void
test_concurrent_migrations (SynTestFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = syn_pg_uri_with_database (f->uri, "fresh_migrations", &error);
  g_autofree char *message = NULL;
  GThread *threads[4];

  g_assert_true (syn_test_pg_exec (syn_test_pg_server_uri (), "CREATE DATABASE fresh_migrations", &message));
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("open", open_thread, uri);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    g_thread_join (threads[t]);
  /* each migration once (their numbers may have gaps while branches land) */
  {
    g_auto(GStrv) names = g_resources_enumerate_children ("/io/github/synapse_rules/Synapse/schema/postgres/", 0, NULL);

    g_assert_cmpint (syn_test_pg_query_int (uri, "SELECT count(*) FROM schema_version"), ==, (int) g_strv_length (names));
    g_assert_cmpint (syn_test_pg_query_int (uri, "SELECT max(version) FROM schema_version"), ==,
                     syn_pg_store_latest_schema_version ());
  }
  syn_test_pg_drop_database ("fresh_migrations");
}

int
main (int argc, char *argv[])
{
  if (argc == 4 && strcmp (argv[1], "--lock-helper") == 0)
    return lock_helper (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

  syn_test_add_postgresql ("/synapse/postgres/lock-across-processes", test_lock_across_processes);
  syn_test_add_postgresql ("/synapse/postgres/notify-every-batch-in-order", test_notify_every_batch_in_order);
  syn_test_add_postgresql ("/synapse/postgres/listener-reconnects", test_listener_reconnects);
  syn_test_add_postgresql ("/synapse/postgres/listener-in-background", test_listener_in_background);
  syn_test_add_postgresql ("/synapse/postgres/connection-killed-mid-batch", test_connection_killed_mid_batch);
  syn_test_add_postgresql ("/synapse/postgres/read-only-session", test_read_only_session);
  syn_test_add_postgresql ("/synapse/postgres/positions-commit-in-order", test_positions_commit_in_order);
  syn_test_add_postgresql ("/synapse/postgres/pipelined-write-errors", test_pipelined_write_errors);
  syn_test_add_postgresql ("/synapse/postgres/concurrent-migrations", test_concurrent_migrations);

  return g_test_run ();
}

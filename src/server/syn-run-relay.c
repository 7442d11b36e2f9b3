/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-run-relay.c: SynRunRelay: each message of this server's runs into run_messages (NOTIFY synapse_run), reads
 * of other servers' runs for the hub, cancels across servers, heartbeats, lost runs failed, old runs purged. */
#include "config.h"

#include <libpq-fe.h>
#include <string.h>
#include <unistd.h>

#include "backend/syn-backend.h"
#include "core/syn-core.h"
#include "store/syn-pg-listener.h"
#include "syn-run-relay.h"

#define CHANNEL_RUN    "synapse_run"
#define CHANNEL_CANCEL "synapse_run_cancel"

/* The final message another server writes for a run whose owner stopped. */
#define LOST_TEXT "The server running the execution stopped: nothing of it was committed"

typedef enum {
  JOB_BEGIN,     /* the run's row, then the task (if any) */
  JOB_APPEND,    /* one message; consecutive ones go in one transaction */
  JOB_END,
  JOB_BARRIER,   /* the task, once every job before it is done */
  JOB_TICK,
  JOB_DESCRIBE,
  JOB_READ,
  JOB_CANCEL,
  JOB_STOP,
} JobKind;

typedef struct
{
  JobKind  kind;
  char    *execution_id;
  char    *project_id;   /* BEGIN */
  char    *mode;         /* BEGIN */
  char    *status;       /* END */
  char    *error;        /* END */
  char    *text;         /* APPEND */
  gint64   seq;          /* APPEND; READ: after */
  GTask   *task;
} Job;

/* A run of this server whose messages are being published. */
typedef struct
{
  gint64 seq;   /* the last one given */
} Published;

struct _SynRunRelay
{
  GObject          parent_instance;

  SynLocalBackend *backend;
  char            *uri;
  char            *server_id;
  GHashTable      *published;   /* execution id -> Published */
  GAsyncQueue     *jobs;        /* Job, for the worker */
  GThread         *worker;
  PGconn          *conn;        /* the worker's only */
  gint64           down_until;  /* the worker's: no new connection tried before (monotonic) */
  gboolean         down_told;   /* the worker's: the outage was reported */
  SynPgListener   *listener;
  GMainContext    *context;
  GSource         *tick;
  gulong           message_handler;
  guint            heartbeat;   /* seconds */
  guint            lost_after;
  guint            retention;
};

enum {
  PROP_0,
  PROP_HEARTBEAT,
  PROP_LOST_AFTER,
  PROP_RETENTION,
  N_PROPS
};

enum {
  SIGNAL_APPENDED,
  SIGNAL_RECONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SynRunRelay, syn_run_relay, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static void
job_free (Job *job)
{
  g_free (job->execution_id);
  g_free (job->project_id);
  g_free (job->mode);
  g_free (job->status);
  g_free (job->error);
  g_free (job->text);
  g_clear_object (&job->task);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (JobKind kind, const char *execution_id)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->execution_id = g_strdup (execution_id);
  return job;
}

/* ------------------------------------------------------------------------- */
/* The worker: one connection, one job after the other, so the messages of  */
/* a run are committed in order and a reader never sees a gap.               */

static gboolean run_ok (SynRunRelay *self, const char *sql, int n, const char * const *values, GError **error);

static gboolean
ensure_connection (SynRunRelay *self, GError **error)
{
  const char *keywords[] = { "connect_timeout", "dbname", "fallback_application_name", "client_encoding", NULL };
  const char *values[] = { "10", self->uri, "synapse-run-relay", "UTF8", NULL };

  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  /* the database is away: the jobs queued meanwhile fail at once rather
   * than each waiting for a connection (a stop would wait for them all) */
  if (g_get_monotonic_time () < self->down_until)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "The database is not reachable");
      return FALSE;
    }
  if (self->conn != NULL)
    PQreset (self->conn);
  else
    self->conn = PQconnectdbParams (keywords, values, 1);
  /* the messages are a live view: a crash of the database may lose the
   * last ones (the run fails anyway), no commit waits for the disk */
  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    {
      const char *mine[] = { self->server_id };

      if (self->down_told)
        g_message ("Run messages: the database is back");
      self->down_told = FALSE;
      /* a new connection: this server's runs are alive with it */
      return run_ok (self, "SET synchronous_commit = off", 0, NULL, error) &&
             run_ok (self, "UPDATE runs SET owner_pid = pg_backend_pid() WHERE server_id = $1 AND finished_at IS NULL",
                     1, mine, error);
    }
  self->down_until = g_get_monotonic_time () + G_USEC_PER_SEC;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "Cannot reach the database for the run messages: %s",
               self->conn ? PQerrorMessage (self->conn) : "out of memory");
  return FALSE;
}

/* One statement with its parameters bound (text); NULL and @error on failure. */
static PGresult *
run_query (SynRunRelay *self, const char *sql, int n, const char * const *values, GError **error)
{
  PGresult *res = PQexecParams (self->conn, sql, n, NULL, values, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (res);

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return res;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_strstrip (g_strdup (PQresultErrorMessage (res))));
  PQclear (res);
  return NULL;
}

static gboolean
run_ok (SynRunRelay *self, const char *sql, int n, const char * const *values, GError **error)
{
  PGresult *res = run_query (self, sql, n, values, error);
  gboolean ok = res != NULL;

  g_clear_pointer (&res, PQclear);
  return ok;
}

static gboolean
notify_appended (SynRunRelay *self, const char *execution_id, gint64 seq, GError **error)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *payload = NULL;
  const char *values[] = { CHANNEL_RUN, NULL };

  json_object_set_string_member (o, "execution_id", execution_id);
  json_object_set_int_member (o, "seq", seq);
  node = syn_json_node_new_object (json_object_ref (o));
  payload = syn_json_to_string (node);
  values[1] = payload;
  return run_ok (self, "SELECT pg_notify($1, $2)", 2, values, error);
}

/* Consecutive messages in one transaction and one statement (a JSON array
 * of them as the parameter: one round trip for a burst of thousands), then
 * one NOTIFY per run with its last sequence number (the others read from
 * where they are). */
static gboolean
do_append (SynRunRelay *self, GPtrArray *batch, GError **error)
{
  g_autoptr(GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *param = NULL;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "e", job->execution_id);
      json_object_set_int_member (row, "s", job->seq);
      json_object_set_string_member (row, "m", job->text);
      json_array_add_object_element (rows, row);
      g_hash_table_insert (last, job->execution_id, job);
    }
  node = json_node_alloc ();
  json_node_init_array (node, rows);
  param = syn_json_to_string (node);
  if (!run_ok (self, "BEGIN", 0, NULL, error))
    return FALSE;
  {
    const char *values[] = { param };

    if (!run_ok (self, "INSERT INTO run_messages (execution_id, seq, message) "
                       "SELECT r->>'e', (r->>'s')::bigint, r->>'m' FROM jsonb_array_elements($1::jsonb) AS r",
                 1, values, error))
      goto fail;
  }
  g_hash_table_iter_init (&iter, last);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!notify_appended (self, key, ((Job *) value)->seq, error))
      goto fail;
  return run_ok (self, "COMMIT", 0, NULL, error);

fail:
  run_ok (self, "ROLLBACK", 0, NULL, NULL);
  return FALSE;
}

static gboolean
do_begin (SynRunRelay *self, Job *job, GError **error)
{
  const char *values[] = { job->execution_id, job->project_id, job->mode, self->server_id };

  return run_ok (self, "INSERT INTO runs (execution_id, project_id, mode, server_id, owner_pid, status, started_at, "
                       "heartbeat_at) VALUES ($1, $2, $3, $4, pg_backend_pid(), 'running', now(), now()) "
                       "ON CONFLICT (execution_id) DO NOTHING",
                 4, values, error);
}

static gboolean
do_end (SynRunRelay *self, Job *job, GError **error)
{
  const char *values[] = { job->execution_id, job->status, job->error };

  return run_ok (self, "UPDATE runs SET status = $2, error = $3, finished_at = now() "
                       "WHERE execution_id = $1 AND finished_at IS NULL", 3, values, error);
}

/* Runs whose server is gone, failed with a final message that their
 * watchers get: the server's connection is gone (PostgreSQL noticed: a
 * killed process, at once), or its heartbeat stopped (a hung one, or a
 * connection PostgreSQL has not noticed yet). One server marks each: the
 * row is locked by the first UPDATE. */
static gboolean
do_reap (SynRunRelay *self, GError **error)
{
  g_autofree char *lost_after = g_strdup_printf ("%u", self->lost_after);
  PGresult *res;

  if (!run_ok (self, "BEGIN", 0, NULL, error))
    return FALSE;
  {
    const char *values[] = { lost_after, LOST_TEXT };

    res = run_query (self, "UPDATE runs SET status = 'failed', error = $2, finished_at = now() "
                           "WHERE finished_at IS NULL AND (heartbeat_at < now() - $1::integer * interval '1 second' "
                           "OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = runs.owner_pid)) "
                           "RETURNING execution_id", 2, values, error);
  }
  for (int i = 0; res != NULL && i < PQntuples (res); i++)
    {
      const char *execution_id = PQgetvalue (res, i, 0);
      g_autoptr(JsonObject) m = syn_live_message_error (NULL, NULL, LOST_TEXT, FALSE, "error");
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      const char *values[] = { execution_id, NULL };
      PGresult *seq;
      gboolean ok;

      json_object_set_string_member (m, "status", "failed");
      node = syn_json_node_new_object (json_object_ref (m));
      text = syn_json_to_string (node);
      values[1] = text;
      seq = run_query (self, "INSERT INTO run_messages (execution_id, seq, message) "
                             "SELECT $1, COALESCE(MAX(seq), 0) + 1, $2 FROM run_messages WHERE execution_id = $1 "
                             "RETURNING seq", 2, values, error);
      ok = seq != NULL && notify_appended (self, execution_id, g_ascii_strtoll (PQgetvalue (seq, 0, 0), NULL, 10), error);
      g_clear_pointer (&seq, PQclear);
      if (!ok)
        g_clear_pointer (&res, PQclear);
      else
        g_message ("Execution %s: its server is gone; marked failed", execution_id);
    }
  if (res == NULL)
    {
      run_ok (self, "ROLLBACK", 0, NULL, NULL);
      return FALSE;
    }
  PQclear (res);
  return run_ok (self, "COMMIT", 0, NULL, error);
}

/* Heartbeat of this server's runs; the cancels asked of them; lost runs
 * failed; finished runs past the retention, purged. Returns the ids of
 * this server's runs to cancel. */
static GStrv
do_tick (SynRunRelay *self, GError **error)
{
  g_autofree char *retention = g_strdup_printf ("%u", self->retention);
  const char *mine[] = { self->server_id };
  g_autoptr(GStrvBuilder) cancels = g_strv_builder_new ();
  PGresult *res;

  if (!run_ok (self, "UPDATE runs SET heartbeat_at = now() WHERE server_id = $1 AND finished_at IS NULL", 1, mine, error))
    return NULL;
  if (!(res = run_query (self, "SELECT execution_id FROM runs WHERE server_id = $1 AND finished_at IS NULL "
                               "AND cancel_requested", 1, mine, error)))
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    g_strv_builder_add (cancels, PQgetvalue (res, i, 0));
  PQclear (res);
  if (!do_reap (self, error))
    return NULL;
  {
    const char *values[] = { retention };

    if (!run_ok (self, "DELETE FROM runs WHERE finished_at < now() - $1::integer * interval '1 second'", 1, values, error))
      return NULL;
  }
  return g_strv_builder_end (cancels);
}

static JsonNode *
do_describe (SynRunRelay *self, Job *job, GError **error)
{
  const char *values[] = { job->execution_id };
  g_autoptr(PGresult) res = NULL;
  JsonObject *o;

  /* a run whose server is gone is not shown running */
  if (!do_reap (self, error))
    return NULL;
  res = run_query (self, "SELECT project_id, mode, status, error, server_id FROM runs WHERE execution_id = $1",
                   1, values, error);
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  o = json_object_new ();
  json_object_set_string_member (o, "execution_id", job->execution_id);
  json_object_set_string_member (o, "project_id", PQgetvalue (res, 0, 0));
  json_object_set_string_member (o, "mode", PQgetvalue (res, 0, 1));
  json_object_set_string_member (o, "status", PQgetvalue (res, 0, 2));
  syn_json_set_string_or_null (o, "error", PQgetisnull (res, 0, 3) ? NULL : PQgetvalue (res, 0, 3));
  json_object_set_string_member (o, "server", PQgetvalue (res, 0, 4));
  return syn_json_node_new_object (o);
}

/* {"known", "finished", "messages": [{"seq", "text"}...]}: the run's state
 * is read first, so a run finished then has all its messages in the table. */
static JsonNode *
do_read (SynRunRelay *self, Job *job, GError **error)
{
  g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, job->seq);
  g_autofree char *limit = g_strdup_printf ("%d", SYN_RUN_RELAY_PAGE);
  const char *values[] = { job->execution_id, after, limit };
  g_autoptr(PGresult) run = NULL;
  g_autoptr(PGresult) res = NULL;
  JsonObject *o;
  JsonArray *messages;

  if (!(run = run_query (self, "SELECT finished_at IS NOT NULL FROM runs WHERE execution_id = $1", 1, values, error)))
    return NULL;
  if (!(res = run_query (self, "SELECT seq, message FROM run_messages WHERE execution_id = $1 AND seq > $2 "
                               "ORDER BY seq LIMIT $3", 3, values, error)))
    return NULL;
  o = json_object_new ();
  messages = json_array_new ();
  json_object_set_boolean_member (o, "known", PQntuples (run) > 0);
  json_object_set_boolean_member (o, "finished", PQntuples (run) > 0 && PQgetvalue (run, 0, 0)[0] == 't');
  for (int i = 0; i < PQntuples (res); i++)
    {
      JsonObject *m = json_object_new ();

      json_object_set_int_member (m, "seq", g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10));
      json_object_set_string_member (m, "text", PQgetvalue (res, i, 1));
      json_array_add_object_element (messages, m);
    }
  json_object_set_array_member (o, "messages", messages);
  return syn_json_node_new_object (o);
}

/* Whether the run is still running somewhere: then its owner is told. */
static gboolean
do_cancel (SynRunRelay *self, Job *job, GError **error)
{
  const char *values[] = { job->execution_id };
  const char *notify[] = { CHANNEL_CANCEL, job->execution_id };
  g_autoptr(PGresult) res = run_query (self, "UPDATE runs SET cancel_requested = TRUE "
                                             "WHERE execution_id = $1 AND finished_at IS NULL RETURNING server_id",
                                       1, values, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return FALSE;
  return run_ok (self, "SELECT pg_notify($1, $2)", 2, notify, error);
}

typedef struct
{
  SynLocalBackend *backend;
  GStrv            ids;
} CancelHere;

static void
cancel_here_free (CancelHere *c)
{
  g_object_unref (c->backend);
  g_strfreev (c->ids);
  g_free (c);
}

static gboolean
cancel_here_cb (gpointer data)
{
  CancelHere *c = data;

  for (guint i = 0; c->ids[i] != NULL; i++)
    syn_backend_cancel_execution (SYN_BACKEND (c->backend), c->ids[i]);
  return G_SOURCE_REMOVE;
}

/* Cancels asked on other servers whose NOTIFY was missed (the listener was
 * away): on the main context, where runs are cancelled. Takes @ids. */
static void
cancel_here (SynRunRelay *self, GStrv ids)
{
  CancelHere *c;

  if (ids[0] == NULL)
    {
      g_strfreev (ids);
      return;
    }
  c = g_new0 (CancelHere, 1);
  c->backend = g_object_ref (self->backend);
  c->ids = ids;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, cancel_here_cb, c, (GDestroyNotify) cancel_here_free);
}

static void
return_error (Job *job, GError *error)
{
  if (job->task != NULL)
    g_task_return_error (job->task, g_error_copy (error));
}

/* One job (or a run of appends); once more after a reconnection when the
 * connection was lost. */
static void
process (SynRunRelay *self, Job *job, GPtrArray *appends)
{
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = FALSE;

      if (!ensure_connection (self, &error))
        ;
      else if (appends != NULL)
        ok = do_append (self, appends, &error);
      else
        switch (job->kind)
          {
          case JOB_BEGIN:
            if ((ok = do_begin (self, job, &error)) && job->task != NULL)
              g_task_return_boolean (job->task, TRUE);
            break;
          case JOB_END:
            ok = do_end (self, job, &error);
            break;
          case JOB_BARRIER:
            g_task_return_boolean (job->task, TRUE);
            ok = TRUE;
            break;
          case JOB_TICK:
            {
              GStrv cancels = do_tick (self, &error);

              if ((ok = cancels != NULL))
                cancel_here (self, cancels);
            }
            break;
          case JOB_DESCRIBE:
            {
              JsonNode *node = do_describe (self, job, &error);

              if ((ok = error == NULL))
                g_task_return_pointer (job->task, node, (GDestroyNotify) json_node_unref);
            }
            break;
          case JOB_READ:
            {
              JsonNode *node = do_read (self, job, &error);

              if ((ok = node != NULL))
                g_task_return_pointer (job->task, node, (GDestroyNotify) json_node_unref);
            }
            break;
          case JOB_CANCEL:
            {
              gboolean found = do_cancel (self, job, &error);

              if ((ok = error == NULL))
                g_task_return_boolean (job->task, found);
            }
            break;
          case JOB_APPEND:
          case JOB_STOP:
          default:
            g_assert_not_reached ();
          }
      if (ok)
        return;
      /* the connection went: once more on a new one; otherwise as it is */
      if (attempt == 0 && self->conn != NULL && PQstatus (self->conn) != CONNECTION_OK)
        continue;
      /* other servers' watchers miss these messages: said once per outage */
      if ((appends != NULL || job->kind == JOB_BEGIN || job->kind == JOB_END) && !self->down_told)
        g_warning ("Run messages: %s (other servers' watchers miss messages until it is back)", error->message);
      self->down_told |= self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK;
      if (job != NULL)
        return_error (job, error);
      return;
    }
}

static gpointer
worker_thread (gpointer data)
{
  SynRunRelay *self = data;
  g_autoptr(Job) held = NULL;

  for (;;)
    {
      g_autoptr(Job) job = held ? g_steal_pointer (&held) : g_async_queue_pop (self->jobs);

      if (job->kind == JOB_STOP)
        break;
      if (job->kind == JOB_APPEND)
        {
          g_autoptr(GPtrArray) appends = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
          Job *next;

          g_ptr_array_add (appends, g_steal_pointer (&job));
          while (appends->len < 1000 && (next = g_async_queue_try_pop (self->jobs)) != NULL)
            {
              if (next->kind != JOB_APPEND)
                {
                  held = next;
                  break;
                }
              g_ptr_array_add (appends, next);
            }
          process (self, NULL, appends);
        }
      else
        process (self, job, NULL);
    }
  g_clear_pointer (&self->conn, PQfinish);
  return NULL;
}

static void
push (SynRunRelay *self, Job *job)
{
  g_async_queue_push (self->jobs, job);
}

static GTask *
job_task (SynRunRelay *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data,
          gpointer tag)
{
  /* no source object: the answer may come after the relay is gone */
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  return task;
}

/* ------------------------------------------------------------------------- */
/* This server's runs                                                        */

static void
queue_begin (SynRunRelay *self, const char *execution_id, GTask *task)
{
  g_autoptr(JsonNode) run = syn_local_backend_describe_execution (self->backend, execution_id);
  JsonObject *o = run ? json_node_get_object (run) : NULL;
  Job *job = job_new (JOB_BEGIN, execution_id);

  job->project_id = g_strdup (o ? syn_json_get_string (o, "project_id") : "");
  job->mode = g_strdup (o && syn_json_get_string (o, "mode") ? syn_json_get_string (o, "mode") : "execute");
  job->task = task;
  push (self, job);
}

static Published *
publish (SynRunRelay *self, const char *execution_id)
{
  Published *p = g_hash_table_lookup (self->published, execution_id);

  if (p == NULL)
    {
      p = g_new0 (Published, 1);
      g_hash_table_insert (self->published, g_strdup (execution_id), p);
      queue_begin (self, execution_id, NULL);
    }
  return p;
}

static void
queue_end (SynRunRelay *self, const char *execution_id, const char *status, const char *error)
{
  Job *job = job_new (JOB_END, execution_id);

  job->status = g_strdup (status);
  job->error = g_strdup (error);
  push (self, job);
  g_hash_table_remove (self->published, execution_id);
}

/* Every message of this server's runs, in the order the watchers get them. */
static void
on_execution_message (SynBackend *backend, const char *execution_id, JsonNode *message, gpointer data)
{
  SynRunRelay *self = data;
  Published *p = publish (self, execution_id);
  Job *job = job_new (JOB_APPEND, execution_id);

  job->seq = ++p->seq;
  job->text = syn_json_to_string (message);
  push (self, job);
  if (syn_backend_message_is_final (message))
    {
      JsonObject *o = json_node_get_object (message);
      const char *type = syn_json_get_string (o, "type");
      const char *status = syn_json_get_string (o, "status");

      if (g_strcmp0 (type, "COMPLETED") == 0)
        queue_end (self, execution_id, status ? status : "completed", NULL);
      else
        queue_end (self, execution_id, status ? status : "failed", syn_json_get_string (o, "message"));
    }
}

/* A run that ended without a final message (it failed before it started):
 * its row ends as the backend tells. */
static void
sweep_ended (SynRunRelay *self)
{
  g_autoptr(GList) ids = g_hash_table_get_keys (self->published);

  for (GList *l = ids; l != NULL; l = l->next)
    {
      g_autofree char *id = g_strdup (l->data);
      g_autoptr(JsonNode) run = syn_local_backend_describe_execution (self->backend, id);
      const char *status = run ? syn_json_get_string (json_node_get_object (run), "status") : NULL;

      if (g_strcmp0 (status, "running") != 0)
        queue_end (self, id, status ? status : "failed",
                   run ? syn_json_get_string (json_node_get_object (run), "error") : NULL);
    }
}

/* ------------------------------------------------------------------------- */
/* Heartbeat                                                                 */

static gboolean
on_tick (gpointer data)
{
  SynRunRelay *self = data;

  sweep_ended (self);
  push (self, job_new (JOB_TICK, NULL));
  return G_SOURCE_CONTINUE;
}

static void
schedule_tick (SynRunRelay *self)
{
  if (self->tick != NULL)
    {
      g_source_destroy (self->tick);
      g_clear_pointer (&self->tick, g_source_unref);
    }
  self->tick = g_timeout_source_new_seconds (MAX (self->heartbeat, 1));
  g_source_set_callback (self->tick, on_tick, self, NULL);
  g_source_set_static_name (self->tick, "[synapse] run heartbeat");
  g_source_attach (self->tick, self->context);
}

/* ------------------------------------------------------------------------- */
/* Other servers                                                             */

static void
on_notification (SynPgListener *listener, const char *channel, const char *payload, gpointer data)
{
  SynRunRelay *self = data;

  if (g_strcmp0 (channel, CHANNEL_CANCEL) == 0)
    syn_backend_cancel_execution (SYN_BACKEND (self->backend), payload);
  else if (g_strcmp0 (channel, CHANNEL_RUN) == 0)
    {
      g_autoptr(JsonObject) o = syn_json_parse_object (payload, -1, NULL);
      const char *execution_id = o ? syn_json_get_string (o, "execution_id") : NULL;

      if (execution_id != NULL)
        g_signal_emit (self, signals[SIGNAL_APPENDED], 0, execution_id,
                       json_object_get_int_member_with_default (o, "seq", 0));
    }
}

static void
on_listener_back (SynPgListener *listener, gpointer data)
{
  g_signal_emit (data, signals[SIGNAL_RECONNECTED], 0);
}

/* ------------------------------------------------------------------------- */
/* Public                                                                    */

/**
 * syn_run_relay_new:
 * @backend: a backend on PostgreSQL
 *
 * Publishes the messages of @backend's runs (the ::execution-message it
 * emits) and reads other servers' runs. "appended" (execution id, seq):
 * another server (or this one) committed the messages of a run up to seq;
 * "reconnected": notifications were missed, read again.
 */
SynRunRelay *
syn_run_relay_new (SynLocalBackend *backend, GError **error)
{
  static const char * const channels[] = { CHANNEL_RUN, CHANNEL_CANCEL, NULL };
  g_autoptr(SynRunRelay) self = NULL;
  g_autofree char *random = NULL;

  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (backend), NULL);

  self = g_object_new (SYN_TYPE_RUN_RELAY, NULL);
  self->backend = g_object_ref (backend);
  self->uri = g_strdup (syn_local_backend_get_uri (backend));
  random = syn_uuid_new ();
  /* the UUID's random end (its start is a time): two relays of one process differ */
  self->server_id = g_strdup_printf ("%s:%d:%s", g_get_host_name (), (int) getpid (), random + strlen (random) - 12);
  if (!(self->listener = syn_pg_listener_new_for_channels (self->uri, channels, error)))
    return NULL;
  g_signal_connect (self->listener, "notification", G_CALLBACK (on_notification), self);
  g_signal_connect (self->listener, "reconnected", G_CALLBACK (on_listener_back), self);
  self->jobs = g_async_queue_new ();
  self->worker = g_thread_new ("synapse-run-relay", worker_thread, self);
  self->message_handler = g_signal_connect (backend, "execution-message", G_CALLBACK (on_execution_message), self);
  schedule_tick (self);
  return g_steal_pointer (&self);
}

const char *
syn_run_relay_get_server_id (SynRunRelay *self)
{
  g_return_val_if_fail (SYN_IS_RUN_RELAY (self), NULL);

  return self->server_id;
}

guint
syn_run_relay_get_lost_after (SynRunRelay *self)
{
  g_return_val_if_fail (SYN_IS_RUN_RELAY (self), 0);

  return self->lost_after;
}

/* The heartbeat follows: a quarter of it, at most the default, so a slow
 * tick does not make a live run look lost. */
void
syn_run_relay_set_lost_after (SynRunRelay *self, guint seconds)
{
  g_return_if_fail (SYN_IS_RUN_RELAY (self));

  g_object_set (self, "lost-after", MAX (seconds, 2),
                "heartbeat", CLAMP (seconds / 4, 1, SYN_RUN_RELAY_DEFAULT_HEARTBEAT), NULL);
}

guint
syn_run_relay_get_retention (SynRunRelay *self)
{
  g_return_val_if_fail (SYN_IS_RUN_RELAY (self), 0);

  return self->retention;
}

/* The run's row is committed (and its messages so far): other servers know
 * it from then on. Call before telling a client the run started. */
void
syn_run_relay_register_async (SynRunRelay *self, const char *execution_id, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  GTask *task;

  g_return_if_fail (SYN_IS_RUN_RELAY (self));
  g_return_if_fail (execution_id != NULL);

  task = job_task (self, NULL, callback, user_data, syn_run_relay_register_async);
  if (!g_hash_table_contains (self->published, execution_id))
    {
      g_hash_table_insert (self->published, g_strdup (execution_id), g_new0 (Published, 1));
      queue_begin (self, execution_id, task);
    }
  else
    {
      Job *job = job_new (JOB_BARRIER, execution_id);

      job->task = task;
      push (self, job);
    }
}

gboolean
syn_run_relay_register_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The run's row (execution_id, project_id, mode, status, error, server), or
 * NULL without an error when no server published it. */
void
syn_run_relay_describe_async (SynRunRelay *self, const char *execution_id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job;

  g_return_if_fail (SYN_IS_RUN_RELAY (self));
  g_return_if_fail (execution_id != NULL);

  job = job_new (JOB_DESCRIBE, execution_id);
  job->task = job_task (self, cancellable, callback, user_data, syn_run_relay_describe_async);
  push (self, job);
}

JsonNode *
syn_run_relay_describe_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Up to SYN_RUN_RELAY_PAGE messages after @after_seq, in order:
 * {"known": whether a server published the run, "finished": whether it
 * ended before the messages were read, "messages": [{"seq", "text"}]}. */
void
syn_run_relay_read_async (SynRunRelay *self, const char *execution_id, gint64 after_seq, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job;

  g_return_if_fail (SYN_IS_RUN_RELAY (self));
  g_return_if_fail (execution_id != NULL);

  job = job_new (JOB_READ, execution_id);
  job->seq = after_seq;
  job->task = job_task (self, cancellable, callback, user_data, syn_run_relay_read_async);
  push (self, job);
}

JsonNode *
syn_run_relay_read_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Asks the server running it to cancel: TRUE when the run was running. */
void
syn_run_relay_cancel_async (SynRunRelay *self, const char *execution_id, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  Job *job;

  g_return_if_fail (SYN_IS_RUN_RELAY (self));
  g_return_if_fail (execution_id != NULL);

  job = job_new (JOB_CANCEL, execution_id);
  job->task = job_task (self, NULL, callback, user_data, syn_run_relay_cancel_async);
  push (self, job);
}

gboolean
syn_run_relay_cancel_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------- */
/* GObject                                                                   */

static void
syn_run_relay_dispose (GObject *object)
{
  SynRunRelay *self = SYN_RUN_RELAY (object);

  if (self->backend != NULL)
    g_clear_signal_handler (&self->message_handler, self->backend);
  if (self->tick != NULL)
    {
      g_source_destroy (self->tick);
      g_clear_pointer (&self->tick, g_source_unref);
    }
  /* what was queued (the last messages of runs cancelled by a shutdown) is
   * written before the worker stops */
  if (self->worker != NULL)
    {
      push (self, job_new (JOB_STOP, NULL));
      g_thread_join (g_steal_pointer (&self->worker));
    }
  g_clear_pointer (&self->jobs, g_async_queue_unref);
  if (self->listener != NULL)
    g_signal_handlers_disconnect_by_data (self->listener, self);
  g_clear_object (&self->listener);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (syn_run_relay_parent_class)->dispose (object);
}

static void
syn_run_relay_finalize (GObject *object)
{
  SynRunRelay *self = SYN_RUN_RELAY (object);

  g_clear_pointer (&self->published, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->uri);
  g_free (self->server_id);

  G_OBJECT_CLASS (syn_run_relay_parent_class)->finalize (object);
}

static void
syn_run_relay_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynRunRelay *self = SYN_RUN_RELAY (object);

  switch (prop_id)
    {
    case PROP_HEARTBEAT:
      g_value_set_uint (value, self->heartbeat);
      break;
    case PROP_LOST_AFTER:
      g_value_set_uint (value, self->lost_after);
      break;
    case PROP_RETENTION:
      g_value_set_uint (value, self->retention);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The limits are read by the worker at its next tick: a plain store is enough. */
static void
syn_run_relay_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynRunRelay *self = SYN_RUN_RELAY (object);

  switch (prop_id)
    {
    case PROP_HEARTBEAT:
      self->heartbeat = g_value_get_uint (value);
      if (self->tick != NULL)
        schedule_tick (self);
      break;
    case PROP_LOST_AFTER:
      self->lost_after = g_value_get_uint (value);
      break;
    case PROP_RETENTION:
      self->retention = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_run_relay_class_init (SynRunRelayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_run_relay_dispose;
  object_class->finalize = syn_run_relay_finalize;
  object_class->get_property = syn_run_relay_get_property;
  object_class->set_property = syn_run_relay_set_property;

  /* Seconds between the heartbeats of this server's runs (and its checks
   * for other servers' lost runs). */
  properties[PROP_HEARTBEAT] =
    g_param_spec_uint ("heartbeat", NULL, NULL, 1, 3600, SYN_RUN_RELAY_DEFAULT_HEARTBEAT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Seconds without a heartbeat after which a run is failed. */
  properties[PROP_LOST_AFTER] =
    g_param_spec_uint ("lost-after", NULL, NULL, 2, 24 * 3600, SYN_RUN_RELAY_DEFAULT_LOST_AFTER,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Seconds a finished run's messages are kept for late watchers. */
  properties[PROP_RETENTION] =
    g_param_spec_uint ("retention", NULL, NULL, 0, G_MAXUINT32, SYN_RUN_RELAY_DEFAULT_RETENTION,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_APPENDED] =
    g_signal_new ("appended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
  signals[SIGNAL_RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
syn_run_relay_init (SynRunRelay *self)
{
  self->published = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->context = g_main_context_ref_thread_default ();
  self->heartbeat = SYN_RUN_RELAY_DEFAULT_HEARTBEAT;
  self->lost_after = SYN_RUN_RELAY_DEFAULT_LOST_AFTER;
  self->retention = SYN_RUN_RELAY_DEFAULT_RETENTION;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-runs.c: SynLocalBackend: executions: the engine on a worker with a pooled connection,
 * live messages on the main context, the one log of each run (replay), cancel. */
#include "config.h"

#include "core/syn-core.h"
#include "engine/syn-rule-engine.h"
#include "store/syn-sqlite-store.h"
#include "syn-api-routes.h"
#include "syn-local-backend-private.h"

/* Finished runs are kept for replay and status for a while. */
#define KEEP_FINISHED_RUNS 16

/* One message of a run's log, and its text once a watcher needed it. */
typedef struct
{
  JsonNode *message;
  GBytes   *text;
} LogEntry;

typedef struct
{
  SynLocalRuns *runs;          /* the backend's; outlives the run's work (the task holds the backend) */
  char         *execution_id;
  char         *project_id;    /* as the request named it: an id or a name */
  char         *mode;
  char         *user_id;
  JsonObject   *request;
  GCancellable *cancellable;
  GMainContext *context;       /* where messages are delivered */
  GTask        *start_task;    /* until the run holds its project; main context only */
  /* the worker's only: a clone's record of the run, written before its
   * COMPLETED leaves (a caller may end the process on it) */
  SynSyncRecording *recording;
  SynStore     *store;         /* the worker's connection, while it runs */

  /* under runs->lock */
  GQueue        pending;       /* JsonNode from the worker, not delivered yet */
  gboolean      flush_scheduled;
  char         *correlation_id;
  GArray       *log;           /* LogEntry: every message delivered, for late watchers */
  JsonNode     *result;
  char         *error;
  gboolean      cancelled;   /* ended by a cancel, not a failure */
  gboolean      done;
} SynLocalRun;

struct _SynLocalRuns
{
  SynLocalBackend *backend;    /* weak: the backend owns its runs */
  SynRuleEngine   *engine;
  GMutex           lock;
  GHashTable      *by_id;      /* execution id -> SynLocalRun (a reference) */
  GQueue           finished;   /* execution ids, oldest first */
};

static void
log_entry_clear (LogEntry *entry)
{
  g_clear_pointer (&entry->message, json_node_unref);
  g_clear_pointer (&entry->text, g_bytes_unref);
}

static void
local_run_clear (SynLocalRun *run)
{
  g_clear_object (&run->cancellable);
  g_clear_object (&run->start_task);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_pointer (&run->request, json_object_unref);
  g_queue_clear_full (&run->pending, (GDestroyNotify) json_node_unref);
  g_clear_pointer (&run->log, g_array_unref);
  g_clear_pointer (&run->result, json_node_unref);
  g_free (run->execution_id);
  g_free (run->project_id);
  g_free (run->mode);
  g_free (run->user_id);
  g_free (run->correlation_id);
  g_free (run->error);
}

static SynLocalRun *
local_run_ref (SynLocalRun *run)
{
  return g_atomic_rc_box_acquire (run);
}

static void
local_run_unref (SynLocalRun *run)
{
  g_atomic_rc_box_release_full (run, (GDestroyNotify) local_run_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynLocalRun, local_run_unref)

SynLocalRuns *
_syn_local_runs_new (SynLocalBackend *backend)
{
  SynLocalRuns *runs = g_new0 (SynLocalRuns, 1);

  runs->backend = backend;
  runs->engine = syn_rule_engine_new (syn_local_backend_get_uri (backend));
  g_mutex_init (&runs->lock);
  runs->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) local_run_unref);
  g_queue_init (&runs->finished);
  return runs;
}

/* Only once no run works any more: each holds the backend meanwhile. */
void
_syn_local_runs_free (SynLocalRuns *runs)
{
  g_hash_table_unref (runs->by_id);
  g_queue_clear_full (&runs->finished, g_free);
  g_clear_object (&runs->engine);
  g_mutex_clear (&runs->lock);
  g_free (runs);
}

/* A snapshot of a run for get_execution, taken under the lock (any thread). */
JsonNode *
_syn_local_runs_describe (SynLocalRuns *runs, const char *execution_id)
{
  SynLocalRun *run;
  JsonObject *o = NULL;

  g_mutex_lock (&runs->lock);
  run = g_hash_table_lookup (runs->by_id, execution_id);
  if (run != NULL)
    {
      o = json_object_new ();
      json_object_set_string_member (o, "execution_id", run->execution_id);
      json_object_set_string_member (o, "project_id", run->project_id);
      json_object_set_string_member (o, "mode", run->mode);
      if (!run->done)
        json_object_set_string_member (o, "status", "running");
      else if (run->result != NULL)
        {
          JsonObject *r = json_node_get_object (run->result);

          json_object_set_string_member (o, "status", syn_json_get_string (r, "status"));
          syn_json_set_string_or_null (o, "correlation_id", syn_json_get_string (r, "correlation_id"));
          json_object_set_member (o, "summary", syn_json_node_deep_copy (json_object_get_member (r, "summary")));
        }
      else
        {
          json_object_set_string_member (o, "status", run->cancelled ? "cancelled" : "failed");
          syn_json_set_string_or_null (o, "error", run->error);
        }
      json_object_set_int_member (o, "messages", run->log->len);
    }
  g_mutex_unlock (&runs->lock);
  return o ? syn_json_node_new_object (o) : NULL;
}

/* The texts of a run's messages from index @from on, for a watcher that
 * joins late; NULL when this process does not know the run. Called on the
 * main context, where messages are logged and emitted: nothing can come
 * between this copy and the next ::execution-message. A text is written
 * once, the first time a watcher needs it. */
GPtrArray *
_syn_local_runs_get_texts (SynLocalRuns *runs, const char *execution_id, guint from, gboolean *done)
{
  g_autoptr(GPtrArray) texts = NULL;
  SynLocalRun *run;

  g_mutex_lock (&runs->lock);
  run = g_hash_table_lookup (runs->by_id, execution_id);
  if (run != NULL)
    {
      texts = g_ptr_array_new_full (run->log->len > from ? run->log->len - from : 0, (GDestroyNotify) g_bytes_unref);
      for (guint i = from; i < run->log->len; i++)
        {
          LogEntry *entry = &g_array_index (run->log, LogEntry, i);

          if (entry->text == NULL)
            {
              char *text = syn_json_to_string (entry->message);

              entry->text = g_bytes_new_take (text, strlen (text));
            }
          g_ptr_array_add (texts, g_bytes_ref (entry->text));
        }
      if (done != NULL)
        *done = run->done;
    }
  g_mutex_unlock (&runs->lock);
  return g_steal_pointer (&texts);
}

/* ------------------------------------------------------------------------- */
/* From the worker to the main context                                       */

/* Messages arrive by the thousand: they are queued and delivered in one
 * idle callback, so the main loop dispatches once per burst, not per
 * message. Logging and emitting happen together on the main context, so a
 * late watcher's replay and the live messages never overlap or miss one. */
static gboolean
deliver_pending (gpointer data)
{
  SynLocalRun *run = data;
  SynLocalRuns *runs = run->runs;
  GQueue batch = G_QUEUE_INIT;
  JsonNode *node;

  g_mutex_lock (&runs->lock);
  batch = run->pending;
  g_queue_init (&run->pending);
  run->flush_scheduled = FALSE;
  g_mutex_unlock (&runs->lock);

  while ((node = g_queue_pop_head (&batch)) != NULL)
    {
      LogEntry entry = { node, NULL };

      g_mutex_lock (&runs->lock);
      g_array_append_val (run->log, entry);
      g_mutex_unlock (&runs->lock);
      g_signal_emit_by_name (runs->backend, "execution-message", run->execution_id, node);
    }
  return G_SOURCE_REMOVE;
}

static void
on_engine_message (JsonNode *message, gpointer data)
{
  SynLocalRun *run = data;
  SynLocalRuns *runs = run->runs;

  /* the batch is committed: recorded before anyone hears the run ended */
  if (run->recording != NULL &&
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (message), "type", NULL),
                 "COMPLETED") == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SynSyncRecording) recording = g_steal_pointer (&run->recording);

      if (!_syn_sync_record_end (recording, run->store, run->user_id, &error))
        g_warning ("The run %s is not recorded for the clone's next sync: %s", run->execution_id, error->message);
    }
  g_mutex_lock (&runs->lock);
  g_queue_push_tail (&run->pending, json_node_ref (message));
  if (!run->flush_scheduled)
    {
      GSource *source = g_idle_source_new ();

      run->flush_scheduled = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_pending, local_run_ref (run), (GDestroyNotify) local_run_unref);
      g_source_set_static_name (source, "[synapse] run messages");
      g_source_attach (source, run->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&runs->lock);
}

/* The run holds its project: the caller of execute_async gets its answer. */
static gboolean
complete_start (gpointer data)
{
  SynLocalRun *run = data;
  g_autoptr(GTask) task = g_steal_pointer (&run->start_task);
  g_autofree char *ws_url = NULL;
  JsonObject *answer;

  if (task == NULL)
    return G_SOURCE_REMOVE;
  ws_url = g_strdup_printf ("/ws/execution/%s", run->execution_id);
  answer = json_object_new ();
  json_object_set_string_member (answer, "execution_id", run->execution_id);
  g_mutex_lock (&run->runs->lock);
  syn_json_set_string_or_null (answer, "correlation_id", run->correlation_id);
  g_mutex_unlock (&run->runs->lock);
  json_object_set_string_member (answer, "ws_url", ws_url);
  json_object_set_string_member (answer, "status", g_strcmp0 (run->mode, "dry_run") == 0 ? "preview" : "started");
  g_task_return_pointer (task, syn_json_node_new_object (answer), (GDestroyNotify) json_node_unref);
  return G_SOURCE_REMOVE;
}

static void
on_engine_started (const char *execution_id, const char *correlation_id, gpointer data)
{
  SynLocalRun *run = data;

  g_mutex_lock (&run->runs->lock);
  run->correlation_id = g_strdup (correlation_id);
  g_mutex_unlock (&run->runs->lock);
  g_main_context_invoke_full (run->context, G_PRIORITY_DEFAULT, complete_start, local_run_ref (run),
                              (GDestroyNotify) local_run_unref);
}

/* The whole run on this worker, on a connection of the backend's pool. */
static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SynLocalBackend *self = source;
  SynLocalRun *run = task_data;
  g_autoptr(GError) error = NULL;
  SynStore *store;
  JsonNode *answer;

  store = syn_local_backend_acquire_store (self, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* a clone records a run as the operation it was (offline work), once
   * committed: on its COMPLETED (on_engine_message) */
  if (g_strcmp0 (run->mode, "dry_run") != 0)
    run->recording = _syn_sync_record_begin (store, SYN_OP_EXECUTE, run->request, run->user_id);
  run->store = store;
  /* the engine's writes keep a big cache where readers have a small one
   * (a desktop's), and give it back after */
  if (SYN_IS_SQLITE_STORE (store))
    syn_sqlite_store_set_cache_size (SYN_SQLITE_STORE (store), SYN_SQLITE_CACHE_KIB);
  answer = syn_rule_engine_run (run->runs->engine, store, run->execution_id, run->request, run->user_id,
                                run->cancellable, on_engine_started, on_engine_message, run, &error);
  if (SYN_IS_SQLITE_STORE (store))
    syn_sqlite_store_set_cache_size (SYN_SQLITE_STORE (store), 0);
  run->store = NULL;
  g_clear_pointer (&run->recording, _syn_sync_recording_free);
  syn_local_backend_release_store (self, store);
  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

static void
on_run_done (GObject *object, GAsyncResult *result, gpointer data)
{
  SynLocalBackend *self = SYN_LOCAL_BACKEND (object);
  g_autoptr(SynLocalRun) run = data;
  SynLocalRuns *runs = run->runs;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GTask) start_task = g_steal_pointer (&run->start_task);

  /* what the worker sent last, before anything else of the end */
  deliver_pending (run);

  g_mutex_lock (&runs->lock);
  run->done = TRUE;
  run->result = answer ? json_node_ref (answer) : NULL;
  run->error = error ? g_strdup (error->message) : NULL;
  run->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_queue_push_tail (&runs->finished, g_strdup (run->execution_id));
  while (g_queue_get_length (&runs->finished) > KEEP_FINISHED_RUNS)
    {
      g_autofree char *old = g_queue_pop_head (&runs->finished);

      g_hash_table_remove (runs->by_id, old);
    }
  g_mutex_unlock (&runs->lock);

  /* failed before it started: busy, unknown project, bad filters */
  if (start_task != NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED, "The execution ended before it started");
      syn_backend_error_from_other (&error);
      g_task_return_error (start_task, g_steal_pointer (&error));
    }
  if (answer != NULL && g_strcmp0 (run->mode, "dry_run") != 0)
    _syn_local_backend_project_written (self, run->project_id);
}

JsonNode *
_syn_local_runs_run_now (SynLocalRuns *runs, SynStore *store, JsonObject *request, const char *user_id,
                         GError **error)
{
  g_autofree char *execution_id = syn_uuid_new ();

  if (!syn_rule_engine_validate_request (request, error))
    return NULL;
  return syn_rule_engine_run (runs->engine, store, execution_id, request, user_id, NULL, NULL, NULL, NULL, error);
}

void
_syn_local_backend_execute_async (SynBackend          *backend,
                                  JsonObject          *request,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  SynLocalBackend *self = SYN_LOCAL_BACKEND (backend);
  SynLocalRuns *runs = _syn_local_backend_get_runs (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  const char *user_id = syn_json_get_string (request, "_user_id");
  const SynApiRoute *route = syn_api_route_for_op (SYN_OP_EXECUTE, request);
  SynLocalRun *run;

  g_task_set_source_tag (task, _syn_local_backend_execute_async);
  if (!syn_api_route_check_params (route, request, &error) || !syn_api_route_check_ids (route, request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (syn_json_get_string (request, "project_id") == NULL)
    g_set_error_literal (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID, "project_id: required");
  if (error == NULL && !syn_rule_engine_validate_request (request, &error))
    syn_backend_error_from_other (&error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run = g_atomic_rc_box_new0 (SynLocalRun);
  run->runs = runs;
  run->request = syn_json_object_copy (request);
  json_object_remove_member (run->request, "_user_id");
  run->execution_id = g_strdup (syn_json_get_string (request, "execution_id"));
  run->project_id = g_strdup (syn_json_get_string (request, "project_id"));
  run->mode = g_strdup (syn_json_get_string (request, "mode") ? syn_json_get_string (request, "mode") : "execute");
  run->user_id = g_strdup (user_id ? user_id : syn_local_backend_get_user_id (self));
  run->cancellable = g_cancellable_new ();
  run->context = g_main_context_ref_thread_default ();
  run->start_task = g_object_ref (task);
  run->log = g_array_new (FALSE, FALSE, sizeof (LogEntry));
  g_array_set_clear_func (run->log, (GDestroyNotify) log_entry_clear);
  g_queue_init (&run->pending);

  g_mutex_lock (&runs->lock);
  if (g_hash_table_contains (runs->by_id, run->execution_id))
    {
      g_mutex_unlock (&runs->lock);
      local_run_unref (run);
      g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT, "execution_id: already used");
      return;
    }
  g_hash_table_insert (runs->by_id, run->execution_id, run);
  g_mutex_unlock (&runs->lock);

  worker = g_task_new (self, NULL, on_run_done, local_run_ref (run));
  g_task_set_source_tag (worker, run_thread);
  g_task_set_name (worker, "[synapse] execute rules");
  g_task_set_task_data (worker, local_run_ref (run), (GDestroyNotify) local_run_unref);
  g_task_run_in_thread (worker, run_thread);
}

JsonNode *
_syn_local_backend_execute_finish (SynBackend *backend, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_syn_local_backend_cancel_execution (SynBackend *backend, const char *execution_id)
{
  SynLocalRuns *runs = _syn_local_backend_get_runs (SYN_LOCAL_BACKEND (backend));
  SynLocalRun *run;
  gboolean found = FALSE;

  g_mutex_lock (&runs->lock);
  run = g_hash_table_lookup (runs->by_id, execution_id);
  if (run != NULL && !run->done)
    {
      g_cancellable_cancel (run->cancellable);
      found = TRUE;
    }
  g_mutex_unlock (&runs->lock);
  return found;
}

/* The runs not ended yet (a run ends on the main context once its last
 * message was delivered); with @cancel, each is cancelled too (server
 * shutdown), its batch rolled back as for a client's cancel. */
guint
_syn_local_runs_count_running (SynLocalRuns *runs, gboolean cancel)
{
  GHashTableIter iter;
  SynLocalRun *run;
  guint n = 0;

  g_mutex_lock (&runs->lock);
  g_hash_table_iter_init (&iter, runs->by_id);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &run))
    if (!run->done)
      {
        if (cancel)
          g_cancellable_cancel (run->cancellable);
        n++;
      }
  g_mutex_unlock (&runs->lock);
  return n;
}

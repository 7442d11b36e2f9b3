/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend.c: SynLocalBackend: each call runs on a worker thread with a pooled connection;
 * results come back on the caller's main context. */
#include "config.h"

#include "core/syn-json.h"
#include "syn-api-routes.h"
#include "syn-local-backend-private.h"

struct _SynLocalBackend
{
  GObject      parent_instance;

  char        *uri;
  char        *user_id;
  GAsyncQueue *idle_stores;
  char        *description;
  char        *database;
  SynLocalRuns *runs;
  SynLocalWatches *watches;
};

static void backend_iface_init (SynBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SynLocalBackend, syn_local_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SYN_TYPE_BACKEND, backend_iface_init))

static void
syn_local_backend_finalize (GObject *object)
{
  SynLocalBackend *self = SYN_LOCAL_BACKEND (object);

  g_clear_pointer (&self->watches, _syn_local_watches_free);
  g_clear_pointer (&self->runs, _syn_local_runs_free);
  g_clear_pointer (&self->idle_stores, g_async_queue_unref);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->database, g_free);

  G_OBJECT_CLASS (syn_local_backend_parent_class)->finalize (object);
}

static void
syn_local_backend_class_init (SynLocalBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = syn_local_backend_finalize;
}

static void
syn_local_backend_init (SynLocalBackend *self)
{
  self->idle_stores = g_async_queue_new_full (g_object_unref);
}

SynLocalRuns *
_syn_local_backend_get_runs (SynLocalBackend *self)
{
  return self->runs;
}

SynLocalWatches *
_syn_local_backend_get_watches (SynLocalBackend *self)
{
  return self->watches;
}

const char *
_syn_local_backend_get_database (SynLocalBackend *self)
{
  return self->database;
}

/* Opens the database once, here, so that a bad path, a damaged file or a
 * newer schema is reported at once rather than at the first call. */
SynLocalBackend *
syn_local_backend_new (const char *db_uri, GError **error)
{
  return syn_local_backend_new_full (db_uri, SYN_STORE_OPEN_DEFAULT, error);
}

/* @flags: SYN_STORE_OPEN_EXISTING for a caller that must not make a
 * database (a command that only reads). */
SynLocalBackend *
syn_local_backend_new_full (const char *db_uri, SynStoreOpenFlags flags, GError **error)
{
  g_autoptr(SynLocalBackend) self = NULL;
  SynStore *store;

  g_return_val_if_fail (db_uri != NULL, NULL);

  store = syn_store_open_full (db_uri, flags, error);
  if (store == NULL)
    return NULL;
  self = g_object_new (SYN_TYPE_LOCAL_BACKEND, NULL);
  self->uri = g_strdup (db_uri);
  self->description = g_strdup_printf ("Local (%s)", syn_store_get_backend_name (store));
  self->database = g_strdup (syn_store_get_backend_name (store));
  self->runs = _syn_local_runs_new (self);
  self->watches = _syn_local_watches_new (self);
  g_async_queue_push (self->idle_stores, store);
  return g_steal_pointer (&self);
}

const char *
syn_local_backend_get_uri (SynLocalBackend *self)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (self), NULL);
  return self->uri;
}

/* The user recorded on events and executions (the server sets it per request
 * through the call's parameters instead). */
void
syn_local_backend_set_user_id (SynLocalBackend *self, const char *user_id)
{
  g_return_if_fail (SYN_IS_LOCAL_BACKEND (self));
  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
}

const char *
syn_local_backend_get_user_id (SynLocalBackend *self)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (self), NULL);
  return self->user_id;
}

/* How often a SQLite database is asked for other writers' commits while a
 * project is watched (PostgreSQL tells them at once). */
void
syn_local_backend_set_change_interval (SynLocalBackend *self, guint interval_ms)
{
  g_return_if_fail (SYN_IS_LOCAL_BACKEND (self));
  _syn_local_watches_set_interval (self->watches, interval_ms);
}

SynStore *
syn_local_backend_acquire_store (SynLocalBackend *self, GError **error)
{
  SynStore *store;

  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (self), NULL);

  store = g_async_queue_try_pop (self->idle_stores);
  if (store != NULL)
    return store;
  return syn_store_open (self->uri, error);
}

void
syn_local_backend_release_store (SynLocalBackend *self, SynStore *store)
{
  g_return_if_fail (SYN_IS_LOCAL_BACKEND (self));
  g_return_if_fail (SYN_IS_STORE (store));

  /* A connection left inside a transaction is not reused. */
  if (syn_store_in_transaction (store))
    {
      syn_store_rollback (store);
      g_object_unref (store);
      return;
    }
  g_async_queue_push (self->idle_stores, store);
}

/**
 * syn_local_backend_get_execution_texts:
 * @execution_id: a run started by this backend
 * @from: the index of the first message wanted
 * @done: (out) (optional): whether the run has ended (its log is complete)
 *
 * Replay for watchers that join late or reconnect: the text of every
 * message of the run from @from on, in order, from the run's one log. Call
 * it on the main context that receives ::execution-message; then every
 * later message comes as that signal.
 *
 * Returns: (transfer full) (nullable): the texts (GBytes), or %NULL when
 *   this process does not know the run (never started here, or forgotten).
 */
GPtrArray *
syn_local_backend_get_execution_texts (SynLocalBackend *self,
                                       const char      *execution_id,
                                       guint            from,
                                       gboolean        *done)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (self), NULL);
  g_return_val_if_fail (execution_id != NULL, NULL);

  return _syn_local_runs_get_texts (self->runs, execution_id, from, done);
}

/* What this process knows of a run it started: {execution_id, project_id,
 * mode, status, ...}, or %NULL. */
JsonNode *
syn_local_backend_describe_execution (SynLocalBackend *self, const char *execution_id)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (self), NULL);
  g_return_val_if_fail (execution_id != NULL, NULL);

  return _syn_local_runs_describe (self->runs, execution_id);
}

/**
 * syn_local_backend_cancel_all_executions:
 *
 * Cancels every run this process is working on, as a client's cancel
 * does: nothing of them is committed, their watchers get the final
 * cancelled message when each has rolled back.
 *
 * Returns: how many runs were cancelled
 */
guint
syn_local_backend_cancel_all_executions (SynLocalBackend *self)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (self), 0);

  return _syn_local_runs_count_running (self->runs, TRUE);
}

/* Runs of this process that have not ended (their last message not
 * delivered yet). */
guint
syn_local_backend_count_running_executions (SynLocalBackend *self)
{
  g_return_val_if_fail (SYN_IS_LOCAL_BACKEND (self), 0);

  return _syn_local_runs_count_running (self->runs, FALSE);
}

static const char *
local_describe (SynBackend *backend)
{
  return SYN_LOCAL_BACKEND (backend)->description;
}

typedef struct
{
  char            *op;
  JsonObject      *params;
  SynOpFunc        func;
  char            *written;   /* the project a writing operation names */
} CallData;

static void
call_data_free (CallData *data)
{
  g_free (data->written);
  g_free (data->op);
  g_clear_pointer (&data->params, json_object_unref);
  g_free (data);
}

typedef struct
{
  SynLocalBackend *backend;
  char            *project_key;
} Written;

static void
written_free (Written *w)
{
  g_object_unref (w->backend);
  g_free (w->project_key);
  g_free (w);
}

static gboolean
project_written (gpointer data)
{
  Written *w = data;

  _syn_local_backend_project_written (w->backend, w->project_key);
  return G_SOURCE_REMOVE;
}

static void
call_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SynLocalBackend *self = source;
  CallData *data = task_data;
  g_autoptr(GError) error = NULL;
  SynOpContext ctx = { self, NULL, NULL, cancellable };
  g_autoptr(SynSyncRecording) recording = NULL;
  const char *user_id;
  JsonNode *result;

  ctx.store = syn_local_backend_acquire_store (self, &error);
  if (ctx.store == NULL)
    {
      syn_backend_error_from_other (&error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  user_id = data->params ? json_object_get_string_member_with_default (data->params, "_user_id", NULL) : NULL;
  ctx.user_id = user_id ? user_id : self->user_id;
  /* a clone records each local batch as the operation it was (offline work) */
  if (_syn_sync_op_is_recorded (data->op))
    recording = _syn_sync_record_begin (ctx.store, data->op, data->params, ctx.user_id);
  result = data->func (&ctx, data->params, &error);
  if (result != NULL && recording != NULL && !_syn_sync_record_end (recording, ctx.store, ctx.user_id, &error))
    g_clear_pointer (&result, json_node_unref);
  syn_local_backend_release_store (self, ctx.store);

  if (result == NULL)
    {
      if (error == NULL)
        g_set_error (&error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_FAILED, "%s failed", data->op);
      syn_backend_error_from_other (&error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* its watchers hear of it before the caller has the answer */
  if (data->written != NULL)
    {
      Written *w = g_new0 (Written, 1);

      w->backend = g_object_ref (self);
      w->project_key = g_strdup (data->written);
      g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, project_written, w,
                                  (GDestroyNotify) written_free);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

static void
local_call_async (SynBackend          *backend,
                  const char          *op,
                  JsonObject          *params,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  SynLocalBackend *self = SYN_LOCAL_BACKEND (backend);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SynOpFunc func = _syn_local_ops_lookup (op);
  g_autoptr(GError) error = NULL;
  const SynApiRoute *route;
  CallData *data;

  g_task_set_source_tag (task, local_call_async);
  g_task_set_name (task, op);

  if (func == NULL)
    {
      g_task_return_new_error (task, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_INVALID,
                               "Unknown operation \"%s\"", op);
      return;
    }
  /* the checks of the operation's route, so that a local caller is held to
   * what a client of the server is: no unknown parameter, ids that are UUIDs */
  route = syn_api_route_for_op (op, params);
  if (route != NULL && !syn_api_route_check_params (route, params, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_new0 (CallData, 1);
  data->op = g_strdup (op);
  if (route != NULL && route->writes)
    data->written = g_strdup (syn_json_get_string (params, "project_id"));
  /* json-glib reference counts are not atomic: the worker gets its own copy. */
  data->params = syn_json_object_copy (params);
  data->func = func;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);
  g_task_run_in_thread (task, call_thread);
}

static JsonNode *
local_call_finish (SynBackend *backend, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == local_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
backend_iface_init (SynBackendInterface *iface)
{
  iface->describe = local_describe;
  iface->call_async = local_call_async;
  iface->call_finish = local_call_finish;
  iface->execute_async = _syn_local_backend_execute_async;
  iface->execute_finish = _syn_local_backend_execute_finish;
  iface->cancel_execution = _syn_local_backend_cancel_execution;
  iface->watch_project = _syn_local_backend_watch_project;
  iface->unwatch_project = _syn_local_backend_unwatch_project;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sync-jobs.c: SynSyncClient's clone, status, sync and resolve in a worker thread, for the GUI.
 *
 * The client is synchronous and talks to the server through a SynBackend:
 * each job makes its own SynRemoteBackend in its thread (the URL and token
 * of the window's), so that no HTTP session is shared with the main loop. */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/syn-json.h"
#include "syn-sync-jobs.h"

typedef struct
{
  SynSyncJobKind      kind;
  char               *url;
  char               *token;
  char               *path;
  char               *project;
  char               *choice;
  gint64              op_id;
  GWeakRef            target;
  SynSyncJobProgress  progress;
  GMainContext       *context;
  GCancellable       *cancellable;
  SynRemoteBackend   *server;      /* the worker's own, while it runs */
} Job;

static void
job_free (Job *job)
{
  g_free (job->url);
  g_free (job->token);
  g_free (job->path);
  g_free (job->project);
  g_free (job->choice);
  g_weak_ref_clear (&job->target);
  g_main_context_unref (job->context);
  g_clear_object (&job->cancellable);
  g_free (job);
}

typedef struct
{
  GObject            *target;
  SynSyncJobProgress  progress;
  char               *stage;
  guint64             done;
  guint64             total;
} Progress;

static gboolean
deliver_progress (gpointer data)
{
  Progress *p = data;

  p->progress (p->target, p->stage, p->done, p->total);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *p = data;

  /* released here, on the main context: a widget is never finalized in the worker */
  g_object_unref (p->target);
  g_free (p->stage);
  g_free (p);
}

/* In the worker: the stage to the main context; a cancelled clone loses
 * its token, so that its next page fails and the client removes what it
 * wrote (SynSyncClient takes no GCancellable). */
static void
on_progress (const char *stage, guint64 done, guint64 total, gpointer user_data)
{
  Job *job = user_data;
  GObject *target;
  Progress *p;

  if (g_cancellable_is_cancelled (job->cancellable) && job->server != NULL)
    syn_remote_backend_set_token (job->server, NULL);
  if (job->progress == NULL || (target = g_weak_ref_get (&job->target)) == NULL)
    return;
  p = g_new0 (Progress, 1);
  p->target = target;
  p->progress = job->progress;
  p->stage = g_strdup (stage);
  p->done = done;
  p->total = total;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_progress, p, progress_free);
}

static void
remove_clone_files (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static JsonNode *
run_job (Job *job, SynSyncClient *client, GError **error)
{
  switch (job->kind)
    {
    case SYN_SYNC_JOB_CLONE:
      {
        g_autofree char *dir = g_path_get_dirname (job->path);
        JsonNode *answer;

        if (g_mkdir_with_parents (dir, 0700) != 0)
          {
            int saved_errno = errno;

            g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), _("Cannot create %s: %s"), dir,
                         g_strerror (saved_errno));
            return NULL;
          }
        answer = syn_sync_client_clone (client, job->project, error);
        /* cancelled too late to stop it: what it made goes */
        if (g_cancellable_is_cancelled (job->cancellable))
          {
            if (answer != NULL)
              remove_clone_files (job->path);
            g_clear_pointer (&answer, json_node_unref);
            g_clear_error (error);
            g_cancellable_set_error_if_cancelled (job->cancellable, error);
          }
        return answer;
      }
    case SYN_SYNC_JOB_STATUS:
      return syn_sync_client_status (client, job->project, error);
    case SYN_SYNC_JOB_SYNC:
      return syn_sync_client_sync (client, job->project, error);
    case SYN_SYNC_JOB_RESOLVE:
      {
        JsonObject *o;

        if (!syn_sync_client_resolve (client, job->project, job->op_id, job->choice, error))
          return NULL;
        o = json_object_new ();
        json_object_set_int_member (o, "id", job->op_id);
        json_object_set_string_member (o, "resolution", job->choice);
        return syn_json_node_new_object (o);
      }
    }
  g_return_val_if_reached (NULL);
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(SynSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *answer;

  if (job->url != NULL && !(job->server = syn_remote_backend_new (job->url, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->server != NULL)
    syn_remote_backend_set_token (job->server, job->token);
  client = syn_sync_client_new (job->server ? SYN_BACKEND (job->server) : NULL, job->url, job->path);
  syn_sync_client_set_progress (client, on_progress, job);
  answer = run_job (job, client, &error);
  /* the HTTP session ends in the thread that used it */
  g_clear_object (&client);
  g_clear_object (&job->server);
  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

void
syn_sync_job_run_async (const SynSyncJobRequest *request, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (request != NULL && request->path != NULL && request->project != NULL);
  g_return_if_fail (request->server == NULL || SYN_IS_REMOTE_BACKEND (request->server));

  job = g_new0 (Job, 1);
  job->kind = request->kind;
  if (request->server != NULL)
    {
      job->url = g_strdup (syn_remote_backend_get_url (request->server));
      job->token = g_strdup (syn_remote_backend_get_token (request->server));
    }
  job->path = g_strdup (request->path);
  job->project = g_strdup (request->project);
  job->choice = g_strdup (request->choice);
  job->op_id = request->op_id;
  g_weak_ref_init (&job->target, request->progress_target);
  job->progress = request->progress;
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, syn_sync_job_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* a cancelled clone still ends in the worker (its files removed) */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, job_thread);
}

JsonNode *
syn_sync_job_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
syn_sync_job_default_path (const char *project_name)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "synapse", "clones", NULL);
  g_autofree char *base = g_strdup (project_name);

  g_return_val_if_fail (project_name != NULL, NULL);

  g_strdelimit (base, "/\\:", '_');
  for (guint n = 1;; n++)
    {
      g_autofree char *name = n == 1 ? g_strconcat (base, ".db", NULL) : g_strdup_printf ("%s-%u.db", base, n);
      char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
}

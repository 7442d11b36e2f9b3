/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-local-backend-watch.c: SynLocalBackend: ::project-changed for watched projects, after its own
 * commits, from SynPgListener on PostgreSQL and from PRAGMA data_version on SQLite. */
#include "config.h"

#include "core/syn-core.h"
#include "store/syn-pg-listener.h"
#include "store/syn-sqlite-monitor.h"
#include "syn-local-backend-private.h"

typedef struct
{
  guint    refs;
  gint64   head;       /* the newest position told (or read first); -1 before the first read */
  gboolean reading;    /* a read of the head is out */
  gboolean again;      /* something changed while it was */
} Watch;

struct _SynLocalWatches
{
  SynLocalBackend  *backend;     /* weak: the backend owns it */
  GHashTable       *by_project;  /* project id -> Watch */
  SynPgListener    *listener;    /* PostgreSQL: commits of every process */
  SynSqliteMonitor *monitor;     /* SQLite: commits of every connection */
  guint             interval;    /* ms between SQLite checks */
};

SynLocalWatches *
_syn_local_watches_new (SynLocalBackend *backend)
{
  SynLocalWatches *watches = g_new0 (SynLocalWatches, 1);

  watches->backend = backend;
  watches->by_project = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  watches->interval = SYN_LOCAL_BACKEND_DEFAULT_CHANGE_INTERVAL;
  return watches;
}

void
_syn_local_watches_free (SynLocalWatches *watches)
{
  if (watches->listener != NULL)
    g_signal_handlers_disconnect_by_data (watches->listener, watches);
  if (watches->monitor != NULL)
    g_signal_handlers_disconnect_by_data (watches->monitor, watches);
  g_clear_object (&watches->listener);
  g_clear_object (&watches->monitor);
  g_hash_table_unref (watches->by_project);
  g_free (watches);
}

static void
emit_changed (SynLocalWatches *watches, const char *project_id, Watch *watch, gint64 first, gint64 last)
{
  g_autofree char *id = g_strdup (project_id);

  first = MAX (first, watch->head + 1);
  watch->head = last;
  g_signal_emit_by_name (watches->backend, "project-changed", id, first, last);
}

/* ------------------------------------------------------------------------- */
/* Reading a project's newest position                                       */

static void read_head (SynLocalWatches *watches, const char *project_key);

typedef struct
{
  SynLocalBackend *backend;
  char            *project_key;
} HeadRead;

static void
on_head (GObject *object, GAsyncResult *result, gpointer data)
{
  HeadRead *hr = data;
  g_autoptr(SynLocalBackend) backend = hr->backend;
  g_autofree char *key = hr->project_key;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  SynLocalWatches *watches = _syn_local_backend_get_watches (backend);
  Watch *watch = g_hash_table_lookup (watches->by_project, key);
  const char *project_id;
  gint64 last;

  g_free (hr);
  if (watch != NULL)
    watch->reading = FALSE;
  if (answer == NULL)
    {
      /* the next change or check reads it again */
      if (!g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_NOT_FOUND))
        g_debug ("The newest event of project %s: %s", key, error->message);
      return;
    }
  project_id = syn_json_get_string (json_node_get_object (answer), "project_id");
  last = json_object_get_int_member_with_default (json_node_get_object (answer), "last_position", 0);
  /* a write named the project by name: the watch is by id */
  if (watch == NULL && project_id != NULL)
    watch = g_hash_table_lookup (watches->by_project, project_id);
  if (watch == NULL)
    return;
  if (watch->head < 0)
    watch->head = last;
  else if (last > watch->head)
    emit_changed (watches, project_id, watch, watch->head + 1, last);
  if (watch->again)
    {
      watch->again = FALSE;
      read_head (watches, project_id);
    }
}

/* Reads the project's newest position on a worker; one read at a time per
 * watched project, and one more when something changed meanwhile. */
static void
read_head (SynLocalWatches *watches, const char *project_key)
{
  g_autoptr(JsonObject) params = json_object_new ();
  Watch *watch = g_hash_table_lookup (watches->by_project, project_key);
  HeadRead *hr;

  if (watch != NULL && watch->reading)
    {
      watch->again = TRUE;
      return;
    }
  if (watch != NULL)
    watch->reading = TRUE;
  hr = g_new0 (HeadRead, 1);
  hr->backend = g_object_ref (watches->backend);
  hr->project_key = g_strdup (project_key);
  json_object_set_string_member (params, "project_id", project_key);
  syn_backend_call_async (SYN_BACKEND (watches->backend), SYN_OP_PROJECT_HEAD, params, NULL, on_head, hr);
}

static void
read_every_head (SynLocalWatches *watches)
{
  g_autoptr(GList) ids = g_hash_table_get_keys (watches->by_project);

  for (GList *l = ids; l != NULL; l = l->next)
    read_head (watches, l->data);
}

/* ------------------------------------------------------------------------- */
/* Other writers                                                             */

static void
on_batch_committed (SynPgListener *listener, const char *project_id, gint64 first, gint64 last, gpointer data)
{
  SynLocalWatches *watches = data;
  Watch *watch = g_hash_table_lookup (watches->by_project, project_id);

  if (watch == NULL)
    return;
  if (watch->head < 0 || watch->reading)
    read_head (watches, project_id);
  else if (last > watch->head)
    emit_changed (watches, project_id, watch, first, last);
}

/* Notifications were lost while the listener was away: read every head. */
static void
on_listener_back (SynPgListener *listener, gpointer data)
{
  read_every_head (data);
}

static void
on_monitor_changed (SynSqliteMonitor *monitor, gpointer data)
{
  read_every_head (data);
}

/* What tells of other writers' commits, from the first watch on. */
static void
ensure_listening (SynLocalWatches *watches)
{
  const char *uri = syn_local_backend_get_uri (watches->backend);
  g_autoptr(GError) error = NULL;

  if (watches->listener != NULL || watches->monitor != NULL)
    return;
  if (g_strcmp0 (_syn_local_backend_get_database (watches->backend), "postgresql") == 0)
    {
      watches->listener = syn_pg_listener_new (uri, &error);
      /* the database away (a failover): listen as soon as it is back, and
       * catch up then ("reconnected") */
      if (watches->listener == NULL && g_error_matches (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN))
        {
          g_message ("Listening for other servers' commits once the database is back: %s", error->message);
          g_clear_error (&error);
          watches->listener = syn_pg_listener_new_in_background (uri);
        }
      if (watches->listener != NULL)
        {
          g_signal_connect (watches->listener, "batch-committed", G_CALLBACK (on_batch_committed), watches);
          g_signal_connect (watches->listener, "reconnected", G_CALLBACK (on_listener_back), watches);
        }
    }
  else if (g_strcmp0 (uri, ":memory:") != 0)
    {
      watches->monitor = syn_sqlite_monitor_new (uri, watches->interval, &error);
      if (watches->monitor != NULL)
        g_signal_connect (watches->monitor, "changed", G_CALLBACK (on_monitor_changed), watches);
    }
  if (error != NULL)
    g_warning ("Commits of other processes will not be seen: %s", error->message);
}

/* ------------------------------------------------------------------------- */

void
_syn_local_backend_watch_project (SynBackend *backend, const char *project_id, gint64 after_position)
{
  SynLocalWatches *watches = _syn_local_backend_get_watches (SYN_LOCAL_BACKEND (backend));
  Watch *watch = g_hash_table_lookup (watches->by_project, project_id);

  if (watch == NULL)
    {
      watch = g_new0 (Watch, 1);
      watch->head = -1;
      g_hash_table_insert (watches->by_project, g_strdup (project_id), watch);
      ensure_listening (watches);
    }
  watch->refs++;
  /* a position given: what came after it is told, at once */
  if (after_position >= 0 && (watch->head < 0 || after_position < watch->head))
    watch->head = after_position;
  if (watch->refs == 1 || after_position >= 0)
    read_head (watches, project_id);
}

void
_syn_local_backend_unwatch_project (SynBackend *backend, const char *project_id)
{
  SynLocalWatches *watches = _syn_local_backend_get_watches (SYN_LOCAL_BACKEND (backend));
  Watch *watch = g_hash_table_lookup (watches->by_project, project_id);

  if (watch == NULL)
    return;
  if (--watch->refs > 0)
    return;
  g_hash_table_remove (watches->by_project, project_id);
  /* nothing left to watch: no connection or timer of its own either */
  if (g_hash_table_size (watches->by_project) == 0)
    {
      if (watches->listener != NULL)
        g_signal_handlers_disconnect_by_data (watches->listener, watches);
      if (watches->monitor != NULL)
        g_signal_handlers_disconnect_by_data (watches->monitor, watches);
      g_clear_object (&watches->listener);
      g_clear_object (&watches->monitor);
    }
}

/* After a commit through this backend: at once, rather than at the next check. */
void
_syn_local_backend_project_written (SynLocalBackend *self, const char *project_key)
{
  SynLocalWatches *watches = _syn_local_backend_get_watches (self);

  if (project_key == NULL || g_hash_table_size (watches->by_project) == 0)
    return;
  read_head (watches, project_key);
}

void
_syn_local_watches_set_interval (SynLocalWatches *watches, guint interval_ms)
{
  watches->interval = MAX (interval_ms, 10);
  /* a monitor running takes the new interval when it is made again */
  if (watches->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (watches->monitor, watches);
      g_clear_object (&watches->monitor);
      ensure_listening (watches);
    }
}

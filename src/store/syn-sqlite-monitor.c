/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-monitor.c: SynSqliteMonitor: PRAGMA data_version on a connection of its own, asked from a worker. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "syn-sqlite-monitor.h"
#include "syn-store.h"

struct _SynSqliteMonitor
{
  GObject       parent_instance;

  sqlite3      *db;           /* used by one worker at a time: a check is out or not */
  GMutex        lock;
  gint64        version;      /* the last data_version seen; under lock */
  GSource      *timer;
  GCancellable *cancellable;
  gboolean      checking;
};

G_DEFINE_FINAL_TYPE (SynSqliteMonitor, syn_sqlite_monitor, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* -1 when the database cannot tell now (busy, gone): the next tick asks again. */
static gint64
read_version (SynSqliteMonitor *self)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA data_version", -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SynSqliteMonitor *self = source;
  gint64 version = read_version (self);
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = version >= 0 && version != self->version;
  if (version >= 0)
    self->version = version;
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (task, changed);
}

static void
on_checked (GObject *object, GAsyncResult *result, gpointer data)
{
  SynSqliteMonitor *self = SYN_SQLITE_MONITOR (object);
  gboolean changed = g_task_propagate_boolean (G_TASK (result), NULL);

  self->checking = FALSE;
  if (changed && !g_cancellable_is_cancelled (self->cancellable))
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
on_tick (gpointer data)
{
  SynSqliteMonitor *self = data;
  g_autoptr(GTask) task = NULL;

  if (self->checking)
    return G_SOURCE_CONTINUE;
  self->checking = TRUE;
  task = g_task_new (self, self->cancellable, on_checked, NULL);
  g_task_set_source_tag (task, on_tick);
  g_task_set_name (task, "[synapse] data_version");
  /* the answer, even when cancelled meanwhile: on_checked drops it */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, check_thread);
  return G_SOURCE_CONTINUE;
}

static void
syn_sqlite_monitor_dispose (GObject *object)
{
  SynSqliteMonitor *self = SYN_SQLITE_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);

  G_OBJECT_CLASS (syn_sqlite_monitor_parent_class)->dispose (object);
}

static void
syn_sqlite_monitor_finalize (GObject *object)
{
  SynSqliteMonitor *self = SYN_SQLITE_MONITOR (object);

  /* a check holds the monitor: none is out by now */
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (syn_sqlite_monitor_parent_class)->finalize (object);
}

static void
syn_sqlite_monitor_class_init (SynSqliteMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_sqlite_monitor_dispose;
  object_class->finalize = syn_sqlite_monitor_finalize;

  /**
   * SynSqliteMonitor::changed:
   *
   * Something was committed to the database since the last check.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
syn_sqlite_monitor_init (SynSqliteMonitor *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
  self->version = -1;
}

SynSqliteMonitor *
syn_sqlite_monitor_new (const char *path, guint interval_ms, GError **error)
{
  g_autoptr(SynSqliteMonitor) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (interval_ms > 0, NULL);

  if (g_str_has_prefix (path, "sqlite://"))
    path += strlen ("sqlite://");
  self = g_object_new (SYN_TYPE_SQLITE_MONITOR, NULL);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_OPEN, "Cannot watch %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* never wait: a busy database is asked again at the next tick */
  sqlite3_busy_timeout (self->db, 0);
  self->version = read_version (self);
  self->timer = g_timeout_source_new (interval_ms);
  g_source_set_callback (self->timer, on_tick, self, NULL);
  g_source_set_static_name (self->timer, "[synapse] SQLite changes");
  g_source_attach (self->timer, g_main_context_get_thread_default ());
  return g_steal_pointer (&self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* crash-check.c: the crash-safety invariants of a database, checked after every kill (incrementally). */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "core/syn-core.h"
#include "engine/syn-state-hash.h"
#include "engine/syn-state-replay.h"
#include "crash-check.h"

#define MAX_MESSAGES 20

/* What has been checked of one project: the replay folds only new events,
 * and a batch is checked again only when its snapshot's status moved. */
typedef struct
{
  char           *project_id;
  SynStateReplay *replay;
  GHashTable     *batches;      /* correlation id -> status seen ("ACTIVE", "ROLLED_BACK", "NONE") */
  GHashTable     *executions;   /* execution ids checked */
  gboolean        checked;      /* once from scratch: later runs look at what is new */
  guint64         n_assets;     /* the table counts at the last comparison */
  guint64         n_cables;
} ProjectState;

struct _CrashChecker
{
  GHashTable *projects;         /* project id -> ProjectState */
};

static void
project_state_free (ProjectState *ps)
{
  g_free (ps->project_id);
  syn_state_replay_free (ps->replay);
  g_hash_table_unref (ps->batches);
  g_hash_table_unref (ps->executions);
  g_free (ps);
}

static ProjectState *
project_state_new (const char *project_id)
{
  ProjectState *ps = g_new0 (ProjectState, 1);

  ps->project_id = g_strdup (project_id);
  ps->replay = syn_state_replay_new (project_id);
  ps->batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ps->executions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return ps;
}

CrashChecker *
crash_checker_new (void)
{
  CrashChecker *self = g_new0 (CrashChecker, 1);

  self->projects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) project_state_free);
  return self;
}

void
crash_checker_free (CrashChecker *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->projects);
  g_free (self);
}

guint64
crash_checker_n_batches (CrashChecker *self)
{
  GHashTableIter iter;
  ProjectState *ps;
  guint64 n = 0;

  g_hash_table_iter_init (&iter, self->projects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &ps))
    n += g_hash_table_size (ps->batches);
  return n;
}

void
crash_report_clear (CrashReport *report)
{
  g_clear_pointer (&report->messages, g_ptr_array_unref);
  memset (report, 0, sizeof *report);
}

void
crash_report_fail (CrashReport *report, const char *format, ...)
{
  va_list args;

  report->failures++;
  if (report->messages == NULL)
    report->messages = g_ptr_array_new_with_free_func (g_free);
  if (report->messages->len >= MAX_MESSAGES)
    return;
  va_start (args, format);
  g_ptr_array_add (report->messages, g_strdup_vprintf (format, args));
  va_end (args);
}

static gboolean
all_rollback_events (GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((SynEvent *) g_ptr_array_index (events, i))->event_type, SYN_EVENT_BATCH_ROLLED_BACK) != 0)
      return FALSE;
  return TRUE;
}

static const char *
payload_string (SynEvent *event, const char *name)
{
  if (event->payload == NULL || !JSON_NODE_HOLDS_OBJECT (event->payload))
    return NULL;
  return syn_json_get_string (json_node_get_object (event->payload), name);
}

/* An execution's batch: BATCH_STARTED ... BATCH_COMPLETED, and its record,
 * completed, naming this batch (written in the batch's transaction). */
static void
check_execution_batch (SynStore *store, ProjectState *ps, const char *cid, GPtrArray *events, CrashReport *r)
{
  SynEvent *first = g_ptr_array_index (events, 0);
  SynEvent *last = g_ptr_array_index (events, events->len - 1);
  const char *execution_id = payload_string (first, "execution_id");
  g_autoptr(SynExecution) x = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (last->event_type, SYN_EVENT_BATCH_COMPLETED) != 0)
    crash_report_fail (r, "batch %s: an execution's batch ends with %s, not BATCH_COMPLETED", cid, last->event_type);
  if (execution_id == NULL)
    {
      crash_report_fail (r, "batch %s: BATCH_STARTED names no execution", cid);
      return;
    }
  x = syn_store_get_execution (store, execution_id, &error);
  if (x == NULL)
    crash_report_fail (r, "batch %s: execution %s has no record%s%s", cid, execution_id,
                       error ? ": " : "", error ? error->message : "");
  else if (g_strcmp0 (x->status, "completed") != 0 || g_strcmp0 (x->correlation_id, cid) != 0)
    crash_report_fail (r, "batch %s: execution %s is recorded %s with batch %s", cid, execution_id,
                       x->status, x->correlation_id ? x->correlation_id : "(none)");
  else
    {
      r->executions_checked++;
      g_hash_table_add (ps->executions, g_strdup (execution_id));
    }
}

static void
check_import_batch (const char *cid, GPtrArray *events, CrashReport *r)
{
  SynEvent *first = g_ptr_array_index (events, 0);
  JsonObject *payload = first->payload && JSON_NODE_HOLDS_OBJECT (first->payload)
    ? json_node_get_object (first->payload) : NULL;
  gint64 imported = payload ? json_object_get_int_member_with_default (payload, "imported", -1) : -1;
  gint64 created = 0;

  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((SynEvent *) g_ptr_array_index (events, i))->event_type, SYN_EVENT_ASSET_CREATED) == 0)
      created++;
  if (created != imported)
    crash_report_fail (r, "batch %s: CSV_IMPORTED says %" G_GINT64_FORMAT " rows, the batch created %"
                       G_GINT64_FORMAT " assets", cid, imported, created);
}

/* One batch, whole: events 0..n-1 without a gap, its snapshot counting n (a
 * rollback's own batch has none), rolled-back flags matching the snapshot,
 * and what its kind promises. */
static void
check_batch (SynStore *store, ProjectState *ps, const char *cid, CrashReport *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = syn_store_get_events_by_correlation (store, ps->project_id, cid, &error);
  g_autoptr(SynSnapshot) snapshot = NULL;
  gboolean rolled_back;
  SynEvent *first;

  r->batches_checked++;
  if (events == NULL)
    {
      crash_report_fail (r, "batch %s: cannot read its events: %s", cid, error->message);
      return;
    }
  snapshot = syn_store_get_snapshot (store, ps->project_id, cid, &error);
  if (error != NULL)
    {
      crash_report_fail (r, "batch %s: cannot read its snapshot: %s", cid, error->message);
      return;
    }
  g_hash_table_insert (ps->batches, g_strdup (cid), g_strdup (snapshot ? snapshot->status : "NONE"));
  if (events->len == 0)
    {
      crash_report_fail (r, "batch %s: a snapshot or record without any event", cid);
      return;
    }
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *event = g_ptr_array_index (events, i);

      /* the specification's event store numbers a batch from 0 */
      if (event->sequence_num != (gint64) i)
        {
          crash_report_fail (r, "batch %s: event %u has sequence number %" G_GINT64_FORMAT " (gap or duplicate)",
                             cid, i + 1, event->sequence_num);
          return;
        }
      if (i > 0 && event->position <= ((SynEvent *) g_ptr_array_index (events, i - 1))->position)
        crash_report_fail (r, "batch %s: sequence %u does not follow in position order", cid, i + 1);
    }

  first = g_ptr_array_index (events, 0);
  if (all_rollback_events (events))
    {
      if (snapshot != NULL)
        crash_report_fail (r, "batch %s: a rollback's batch with a snapshot", cid);
      for (guint i = 0; i < events->len; i++)
        if (((SynEvent *) g_ptr_array_index (events, i))->is_rolled_back)
          crash_report_fail (r, "batch %s: a rollback's event marked rolled back", cid);
      return;
    }
  if (snapshot == NULL)
    {
      crash_report_fail (r, "batch %s: %u events and no snapshot", cid, events->len);
      return;
    }
  if (snapshot->events_count != (gint64) events->len)
    crash_report_fail (r, "batch %s: the snapshot counts %" G_GINT64_FORMAT " events, there are %u",
                       cid, snapshot->events_count, events->len);
  rolled_back = g_strcmp0 (snapshot->status, SYN_SNAPSHOT_ROLLED_BACK) == 0;
  for (guint i = 0; i < events->len; i++)
    if (((SynEvent *) g_ptr_array_index (events, i))->is_rolled_back != rolled_back)
      {
        crash_report_fail (r, "batch %s: snapshot %s but event %u %s rolled back", cid, snapshot->status,
                           i + 1, rolled_back ? "not" : "");
        break;
      }
  if (g_strcmp0 (first->event_type, SYN_EVENT_BATCH_STARTED) == 0)
    check_execution_batch (store, ps, cid, events, r);
  else if (g_strcmp0 (first->event_type, SYN_EVENT_CSV_IMPORTED) == 0)
    check_import_batch (cid, events, r);
}

static void
compare_entities (SynStore *store, ProjectState *ps, CrashReport *r)
{
  static const char * const aggregates[] = { SYN_AGGREGATE_ASSET, SYN_AGGREGATE_CABLE, SYN_AGGREGATE_EDGE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) cables = NULL;
  g_autoptr(GPtrArray) edges = NULL;
  g_autofree char *table_hash = NULL;
  g_autofree char *replay_hash = NULL;

  if (!(assets = syn_store_list_assets (store, ps->project_id, NULL, NULL, 0, 0, NULL, &error)) ||
      !(cables = syn_store_list_cables (store, ps->project_id, 0, 0, NULL, &error)) ||
      !(edges = syn_store_list_edges (store, ps->project_id, NULL, &error)))
    {
      crash_report_fail (r, "project %s: cannot list its entities: %s", ps->project_id, error->message);
      return;
    }
  for (guint k = 0; k < G_N_ELEMENTS (aggregates); k++)
    {
      GPtrArray *rows = k == 0 ? assets : k == 1 ? cables : edges;
      g_autoptr(GPtrArray) ids = syn_state_replay_list_ids (ps->replay, aggregates[k]);
      g_autoptr(GHashTable) in_table = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) in_replay = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (in_replay, g_ptr_array_index (ids, i));
      for (guint i = 0; i < rows->len; i++)
        {
          const char *id = k == 0 ? ((SynAsset *) rows->pdata[i])->id
                         : k == 1 ? ((SynCable *) rows->pdata[i])->id
                         : ((SynEdge *) rows->pdata[i])->id;

          g_hash_table_add (in_table, (gpointer) id);
          if (!g_hash_table_contains (in_replay, id))
            crash_report_fail (r, "project %s: orphan %s %s: in the table, no event made it", ps->project_id,
                               aggregates[k], id);
        }
      for (guint i = 0; i < ids->len; i++)
        if (!g_hash_table_contains (in_table, g_ptr_array_index (ids, i)))
          crash_report_fail (r, "project %s: %s %s: its events made it, the table lacks it", ps->project_id,
                             aggregates[k], (char *) g_ptr_array_index (ids, i));
    }

  /* no edge or cable refers to an asset that is not there, in the tables
   * nor in what the events say */
  {
    g_autoptr(GPtrArray) replayed = syn_state_replay_list_dangling (ps->replay);
    g_autoptr(GPtrArray) dangling_edges = syn_store_list_dangling_edges (store, ps->project_id, &error);
    g_autoptr(GPtrArray) dangling_cables = dangling_edges ? syn_store_list_dangling_cables (store, ps->project_id,
                                                                                           &error) : NULL;

    for (guint i = 0; i < replayed->len; i++)
      crash_report_fail (r, "project %s: dangling in the replay: %s", ps->project_id,
                         (char *) g_ptr_array_index (replayed, i));
    if (dangling_cables == NULL)
      {
        crash_report_fail (r, "project %s: cannot list dangling rows: %s", ps->project_id, error->message);
        return;
      }
    for (guint i = 0; i < dangling_edges->len; i++)
      crash_report_fail (r, "project %s: dangling EDGE %s in the table", ps->project_id,
                         ((SynEdge *) g_ptr_array_index (dangling_edges, i))->id);
    for (guint i = 0; i < dangling_cables->len; i++)
      crash_report_fail (r, "project %s: dangling CABLE %s in the table", ps->project_id,
                         ((SynCable *) g_ptr_array_index (dangling_cables, i))->id);
  }

  table_hash = syn_state_hash_compute (store, ps->project_id, &error);
  if (table_hash == NULL)
    {
      crash_report_fail (r, "project %s: no state hash: %s", ps->project_id, error->message);
      return;
    }
  replay_hash = syn_state_replay_hash (ps->replay);
  if (g_strcmp0 (table_hash, replay_hash) != 0)
    crash_report_fail (r, "project %s: state hash %s, replay of its %" G_GUINT64_FORMAT " events %s",
                       ps->project_id, table_hash, syn_state_replay_get_n_events (ps->replay), replay_hash);
}

static gboolean
check_project (CrashChecker *self, SynStore *store, ProjectState *ps, CrashReport *r)
{
  g_autoptr(GHashTable) todo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) snapshots = NULL;
  g_autoptr(GPtrArray) executions = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;
  guint64 n_new = 0, n_assets = 0, n_cables = 0;

  /* new events, oldest first: positions strictly increasing, folded into the replay */
  for (;;)
    {
      gint64 last = syn_state_replay_get_position (ps->replay);
      g_autoptr(GPtrArray) events = syn_store_list_events_after (store, ps->project_id, last, 1000, &error);

      if (events == NULL)
        {
          crash_report_fail (r, "project %s: cannot read its events: %s", ps->project_id, error->message);
          return FALSE;
        }
      if (events->len == 0)
        break;
      for (guint i = 0; i < events->len; i++)
        {
          SynEvent *event = g_ptr_array_index (events, i);
          g_autoptr(GError) replay_error = NULL;
          const char *original;

          r->events_checked++;
          n_new++;
          if (event->position <= last)
            {
              crash_report_fail (r, "project %s: position %" G_GINT64_FORMAT " after %" G_GINT64_FORMAT,
                                 ps->project_id, event->position, last);
              return FALSE;
            }
          last = event->position;
          g_hash_table_add (todo, g_strdup (event->correlation_id));
          /* the undone batch's flags and snapshot changed too */
          if (g_strcmp0 (event->event_type, SYN_EVENT_BATCH_ROLLED_BACK) == 0 &&
              (original = payload_string (event, "original_correlation_id")) != NULL)
            g_hash_table_add (todo, g_strdup (original));
          if (!syn_state_replay_apply (ps->replay, event, &replay_error))
            crash_report_fail (r, "replay: %s", replay_error->message);
        }
    }

  /* every snapshot belongs to a whole batch: one without events is half-written.
   * After the first check only the newest are new (or changed by a
   * BATCH_ROLLED_BACK, which is among the new events). */
  if (!(snapshots = syn_store_list_snapshots (store, ps->project_id, FALSE, ps->checked ? 64 : 0, &error)))
    {
      crash_report_fail (r, "project %s: cannot list snapshots: %s", ps->project_id, error->message);
      return FALSE;
    }
  for (guint i = 0; i < snapshots->len; i++)
    {
      SynSnapshot *s = g_ptr_array_index (snapshots, i);
      const char *seen = g_hash_table_lookup (ps->batches, s->correlation_id);

      r->snapshots_checked++;
      if (g_strcmp0 (seen, s->status) != 0)
        g_hash_table_add (todo, g_strdup (s->correlation_id));
    }

  g_hash_table_iter_init (&iter, todo);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    check_batch (store, ps, key, r);

  /* execution records: none left running; a completed one names a whole batch */
  if (!(executions = syn_store_list_executions (store, ps->project_id, 0, 0, NULL, &error)))
    {
      crash_report_fail (r, "project %s: cannot list executions: %s", ps->project_id, error->message);
      return FALSE;
    }
  for (guint i = 0; i < executions->len; i++)
    {
      SynExecution *x = g_ptr_array_index (executions, i);

      if (g_hash_table_contains (ps->executions, x->execution_id))
        continue;
      r->executions_checked++;
      if (g_strcmp0 (x->status, "running") == 0)
        crash_report_fail (r, "execution %s: left 'running'", x->execution_id);
      else if (g_strcmp0 (x->status, "up_to_date") == 0 && x->correlation_id != NULL)
        crash_report_fail (r, "execution %s: up to date, yet names batch %s", x->execution_id, x->correlation_id);
      else if (g_strcmp0 (x->status, "completed") == 0)
        {
          if (x->correlation_id == NULL)
            crash_report_fail (r, "execution %s: completed without a batch", x->execution_id);
          else if (!g_hash_table_contains (ps->batches, x->correlation_id))
            check_batch (store, ps, x->correlation_id, r);
        }
      g_hash_table_add (ps->executions, g_strdup (x->execution_id));
    }

  /* Tables against the replay: when events came, or the row counts moved
   * (a write without its event); everything at the first and final check. */
  {
    g_autoptr(GPtrArray) one = syn_store_list_assets (store, ps->project_id, NULL, NULL, 0, 1, &n_assets, NULL);
    g_autoptr(GPtrArray) two = syn_store_list_cables (store, ps->project_id, 0, 1, &n_cables, NULL);

    if (!ps->checked || n_new > 0 || one == NULL || two == NULL ||
        n_assets != ps->n_assets || n_cables != ps->n_cables)
      compare_entities (store, ps, r);
    ps->n_assets = n_assets;
    ps->n_cables = n_cables;
  }
  ps->checked = TRUE;
  (void) self;
  return TRUE;
}

gboolean
crash_checker_run (CrashChecker *self, SynStore *store, gboolean full, CrashReport *report)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (SYN_IS_STORE (store), FALSE);

  if (full)
    g_hash_table_remove_all (self->projects);
  if (!(projects = syn_store_list_projects (store, &error)))
    {
      crash_report_fail (report, "cannot list projects: %s", error->message);
      return FALSE;
    }
  for (guint i = 0; i < projects->len; i++)
    {
      SynProject *project = g_ptr_array_index (projects, i);
      ProjectState *ps = g_hash_table_lookup (self->projects, project->id);

      if (ps == NULL)
        {
          ps = project_state_new (project->id);
          g_hash_table_insert (self->projects, ps->project_id, ps);
        }
      ok = check_project (self, store, ps, report) && ok;
    }
  return ok;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-sqlite-store-events.c: SynSqliteStore: the event store (appends, timeline queries and their cached totals), snapshots, executions. */
#include "config.h"

#include <string.h>

#include "syn-sqlite-store-private.h"

/* ------------------------------------------------------------------------- */
/* Events                                                                    */

#define EVENT_COLS SYN_SQLITE_EVENT_COLS

static gpointer
read_event (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_event_row);
}

/* The hash of the project's newest event (the chain's head), or the
 * genesis hash; inside the write transaction, so no append comes between. */
gboolean
_syn_sqlite_chain_head (SynSqliteStore *self, const char *project_id, char **head, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT event_hash FROM workflow_events WHERE project_id = ?1 "
                                       "ORDER BY position DESC LIMIT 1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *head = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    *head = g_strdup (SYN_EVENT_GENESIS_HASH);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _syn_sqlite_fail (self, rc, error);
  return TRUE;
}

static gboolean
set_event_hash (SynStore *store, gint64 position, const char *hash, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE workflow_events SET event_hash = ?1 "
                                       "WHERE position = ?2 AND event_hash IS NULL", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, hash);
  sqlite3_bind_int64 (stmt, 2, position);
  return _syn_sqlite_step_done (self, stmt, error);
}

/* Migration 0006: the hashes of the events written before it, computed once
 * (_syn_store_fill_chain()); inside its transaction. */
gboolean
_syn_sqlite_fill_chain (SynSqliteStore *self, GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) project_ids = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT DISTINCT project_id FROM workflow_events WHERE event_hash IS NULL",
                                 error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _syn_sqlite_fail (self, rc, error);
  project_ids = g_strv_builder_end (builder);
  return _syn_store_fill_chain (SYN_STORE (self), (const char * const *) project_ids, set_event_hash, error);
}

/* The chart's counts: the batch's events after @after_position, newly
 * covered by its row of rolled_back_batches, move to the rolled-back counts
 * of their minutes (each event once, whether its row came whole from a
 * rollback or grew with a clone's copied pages). */
static gboolean
roll_back_minute_counts (SynSqliteStore *self, const char *project_id, const char *correlation_id,
                         gint64 after_position, GError **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO event_minute_counts (project_id, minute, event_type, discipline, "
                                       "n, n_rolled_back) SELECT project_id, timestamp / 60000000, event_type, "
                                       "COALESCE(discipline, ''), count(*), count(*) FROM workflow_events "
                                       "WHERE correlation_id = ?2 AND project_id = ?1 AND position > ?3 "
                                       "GROUP BY 2, 3, 4 "
                                       "ON CONFLICT (project_id, minute, event_type, discipline) DO UPDATE "
                                       "SET n_rolled_back = n_rolled_back + excluded.n_rolled_back", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, correlation_id);
  sqlite3_bind_int64 (stmt, 3, after_position);
  return _syn_sqlite_step_done (self, stmt, error);
}

/* The batch's events, as its row of rolled_back_batches counts them: from
 * ix_workflow_events_correlation_seq alone (correlation ids are unique). */
static gboolean
batch_extent (SynSqliteStore *self, const char *correlation_id, gint64 *count, gint64 *first, gint64 *last,
              GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT count(*), COALESCE(min(position), 0), COALESCE(max(position), 0) "
                                       "FROM workflow_events WHERE correlation_id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, correlation_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *count = sqlite3_column_int64 (stmt, 0);
      *first = sqlite3_column_int64 (stmt, 1);
      *last = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || _syn_sqlite_fail (self, rc, error);
}

/* Writes the batch's row, its events as batch_extent() found them:
 * @complete, an existing row copied without its rollback is completed (the
 * batch's events counted again, who rolled it back); otherwise an existing
 * row stays as it is. @written: whether a row was written. */
static gboolean
write_rolled_back (SynSqliteStore *self, const SynRolledBackBatch *b, gboolean complete, gint64 count, gint64 first,
                   gint64 last, gboolean *written, GError **error)
{
  sqlite3_stmt *stmt;
  gint64 covered = -1;
  int rc;

  /* how far the chart's counts already count it rolled back */
  if (!(stmt = _syn_sqlite_stmt (self, "SELECT last_position FROM rolled_back_batches WHERE correlation_id = ?1",
                                 error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, b->correlation_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    covered = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _syn_sqlite_fail (self, rc, error);
  if (!(stmt = _syn_sqlite_stmt (self, complete
                                       ? "INSERT INTO rolled_back_batches (correlation_id, project_id, "
                                         "rollback_correlation_id, rolled_back_at, first_position, last_position, "
                                         "events_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                         "ON CONFLICT (correlation_id) DO UPDATE SET "
                                         "rollback_correlation_id = excluded.rollback_correlation_id, "
                                         "rolled_back_at = excluded.rolled_back_at, "
                                         "first_position = excluded.first_position, "
                                         "last_position = excluded.last_position, "
                                         "events_count = excluded.events_count "
                                         "WHERE rollback_correlation_id IS NULL"
                                       : "INSERT INTO rolled_back_batches (correlation_id, project_id, "
                                         "rollback_correlation_id, rolled_back_at, first_position, last_position, "
                                         "events_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                         "ON CONFLICT (correlation_id) DO NOTHING", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, b->correlation_id);
  _syn_sqlite_bind_text (stmt, 2, b->project_id);
  _syn_sqlite_bind_text (stmt, 3, b->rollback_correlation_id);
  sqlite3_bind_int64 (stmt, 4, b->when);
  sqlite3_bind_int64 (stmt, 5, first);
  sqlite3_bind_int64 (stmt, 6, last);
  sqlite3_bind_int64 (stmt, 7, count);
  if (!_syn_sqlite_step_done (self, stmt, error))
    return FALSE;
  *written = sqlite3_changes (self->db) > 0;
  return !*written || roll_back_minute_counts (self, b->project_id, b->correlation_id, covered, error);
}

/* Appended events that show a batch rolled back (a clone's copy of flagged
 * events, or a BATCH_ROLLED_BACK): its row is written, or completed with
 * what it lacked (the batch's newer events, who rolled it back). A
 * BATCH_ROLLED_BACK the rollback service appends finds its row complete. */
static gboolean
record_rolled_back_in (SynSqliteStore *self, GPtrArray *events, GError **error)
{
  g_autoptr(GArray) batches = _syn_store_rolled_back_in (events);

  for (guint i = 0; batches != NULL && i < batches->len; i++)
    {
      SynRolledBackBatch *b = &g_array_index (batches, SynRolledBackBatch, i);
      gint64 count = 0, first = 0, last = 0;
      gboolean written;
      sqlite3_stmt *stmt;
      int rc;

      if (b->rollback_correlation_id != NULL)
        {
          if (!(stmt = _syn_sqlite_stmt (self, "SELECT 1 FROM rolled_back_batches WHERE correlation_id = ?1 "
                                               "AND rollback_correlation_id IS NOT NULL", error)))
            return FALSE;
          _syn_sqlite_bind_text (stmt, 1, b->correlation_id);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc == SQLITE_ROW)
            continue;
          if (rc != SQLITE_DONE)
            return _syn_sqlite_fail (self, rc, error);
        }
      /* a batch with no event here yet has nothing to hide */
      if (!batch_extent (self, b->correlation_id, &count, &first, &last, error))
        return FALSE;
      if (count > 0 && !write_rolled_back (self, b, TRUE, count, first, last, &written, error))
        return FALSE;
    }
  return TRUE;
}

/* The chart's per-minute counts (migration 0012), in the append's
 * transaction: one upsert per project, minute, type and discipline. */
static gboolean
add_minute_counts (SynSqliteStore *self, GPtrArray *events, GError **error)
{
  g_autoptr(GArray) counts = _syn_store_minute_counts (events);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO event_minute_counts (project_id, minute, event_type, discipline, "
                                       "n, n_rolled_back) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                                       "ON CONFLICT (project_id, minute, event_type, discipline) DO UPDATE "
                                       "SET n = n + excluded.n, n_rolled_back = n_rolled_back + excluded.n_rolled_back",
                                 error)))
    return FALSE;
  for (guint i = 0; i < counts->len; i++)
    {
      SynMinuteCount *c = &g_array_index (counts, SynMinuteCount, i);

      _syn_sqlite_bind_static (stmt, 1, c->project_id);
      sqlite3_bind_int64 (stmt, 2, c->minute);
      _syn_sqlite_bind_static (stmt, 3, c->event_type);
      _syn_sqlite_bind_static (stmt, 4, c->discipline);
      sqlite3_bind_int64 (stmt, 5, c->n);
      sqlite3_bind_int64 (stmt, 6, c->n_rolled_back);
      if (!_syn_sqlite_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
append_events_in_txn (SynSqliteStore *self, gpointer data, GError **error)
{
  GPtrArray *events = data;
  sqlite3_stmt *stmt;
  g_autofree char *head = NULL;
  const char *previous = NULL;       /* the hash the next event of head_project follows */
  const char *head_project = NULL;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO workflow_events (id, event_type, aggregate_type, "
                                       "aggregate_id, project_id, rule_id, discipline, payload, metadata, "
                                       "correlation_id, causation_id, sequence_num, user_id, timestamp, "
                                       "event_hash) VALUES "
                                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                                 error)))
    return FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      char *payload, *metadata;
      int rc;

      if (e->id == NULL)
        e->id = syn_uuid_new ();
      if (e->timestamp == 0)
        e->timestamp = syn_time_now_usec ();
      /* the chain: one look-up per project of the call, then each event's
       * hash is the next one's previous */
      if (head_project == NULL || g_strcmp0 (head_project, e->project_id) != 0)
        {
          g_clear_pointer (&head, g_free);
          if (!_syn_sqlite_chain_head (self, e->project_id, &head, error))
            return FALSE;
          head_project = e->project_id;
          previous = head;
        }
      /* payload and metadata serialized once, in the canonical form: the
       * row's text and the bytes the chain hashes are the same */
      payload = syn_event_canonical_json (e->payload);
      metadata = syn_event_canonical_json (e->metadata);
      g_free (e->hash);
      e->hash = syn_event_compute_hash_serialized (e, previous, payload, metadata);
      previous = e->hash;
      /* the event outlives the step: no copies of its strings */
      _syn_sqlite_bind_static (stmt, 1, e->id);
      _syn_sqlite_bind_static (stmt, 2, e->event_type);
      _syn_sqlite_bind_static (stmt, 3, e->aggregate_type);
      _syn_sqlite_bind_static (stmt, 4, e->aggregate_id);
      _syn_sqlite_bind_static (stmt, 5, e->project_id);
      _syn_sqlite_bind_static (stmt, 6, e->rule_id);
      _syn_sqlite_bind_static (stmt, 7, e->discipline);
      sqlite3_bind_text (stmt, 8, payload, -1, g_free);
      sqlite3_bind_text (stmt, 9, metadata, -1, g_free);
      _syn_sqlite_bind_static (stmt, 10, e->correlation_id);
      _syn_sqlite_bind_static (stmt, 11, e->causation_id);
      sqlite3_bind_int64 (stmt, 12, e->sequence_num);
      _syn_sqlite_bind_static (stmt, 13, e->user_id);
      sqlite3_bind_int64 (stmt, 14, e->timestamp);
      _syn_sqlite_bind_static (stmt, 15, e->hash);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _syn_sqlite_fail (self, rc, error);
      e->position = sqlite3_last_insert_rowid (self->db);
    }
  /* the counts first: a rolled-back batch's row then moves its events' */
  if (!add_minute_counts (self, events, error))
    return FALSE;
  return record_rolled_back_in (self, events, error);
}

static gboolean
sqlite_append_events (SynStore *store, GPtrArray *events, GError **error)
{
  return _syn_sqlite_in_write_transaction (SYN_SQLITE_STORE (store), append_events_in_txn, events, error);
}

/* Builds the WHERE clause of a timeline query from fixed fragments; every value
 * is a bound parameter, in the order the fragments are appended. */
static void
build_event_where (const SynEventQuery *q, GArray *ranges, GString *sql)
{
  /* One aggregate's events: a few hundred at most, found by the aggregate
   * index; "+project_id" keeps the planner, which has no statistics, from
   * walking the whole project on ix_workflow_events_project_position instead
   * (457 ms rather than 0.1 ms on 1,000,000 events). */
  g_string_append (sql, q->aggregate_id ? " WHERE +project_id = ?" : " WHERE project_id = ?");
  /* Rolled-back events are those of the project's rolled-back batches (see
   * SynRolledBackRange): their ranges, bound right after the project. Past
   * SYN_STORE_MAX_INLINE_RANGES, each event's batch looked up by its key (its
   * row read; a look-up by ranges would scan them all for every event). */
  if (ranges != NULL && ranges->len > SYN_STORE_MAX_INLINE_RANGES)
    g_string_append (sql, " AND " SYN_STORE_NOT_ROLLED_BACK ("workflow_events"));
  else
    for (guint i = 0; ranges != NULL && i < ranges->len; i++)
      g_string_append (sql, g_array_index (ranges, SynRolledBackRange, i).alone
                            ? " AND position NOT BETWEEN ? AND ?"
                            : " AND NOT (position BETWEEN ? AND ? AND correlation_id = ?)");
  if (q->event_types && q->event_types[0])
    {
      g_string_append (sql, " AND event_type IN (");
      for (guint i = 0; q->event_types[i]; i++)
        g_string_append (sql, i ? ", ?" : "?");
      g_string_append_c (sql, ')');
    }
  if (q->aggregate_types && q->aggregate_types[0])
    {
      g_string_append (sql, " AND aggregate_type IN (");
      for (guint i = 0; q->aggregate_types[i]; i++)
        g_string_append (sql, i ? ", ?" : "?");
      g_string_append_c (sql, ')');
    }
  if (q->aggregate_id)
    g_string_append (sql, " AND aggregate_id = ?");
  if (q->rule_id)
    g_string_append (sql, " AND rule_id = ?");
  if (q->discipline)
    g_string_append (sql, " AND discipline = ?");
  if (q->correlation_id)
    g_string_append (sql, " AND correlation_id = ?");
  if (q->has_from_date)
    g_string_append (sql, " AND timestamp >= ?");
  if (q->has_to_date)
    g_string_append (sql, " AND timestamp <= ?");
}

/* The rolled-back batches @q's filter must leave out: NULL if it shows them
 * or its project has none (most have none, and their filters stay as they
 * were); at most one more than SYN_STORE_MAX_INLINE_RANGES. */
static gboolean
rolled_back_ranges (SynSqliteStore *self, const SynEventQuery *q, GArray **ranges, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *ranges = NULL;
  if (q->include_rolled_back)
    return TRUE;
  if (!(stmt = _syn_sqlite_stmt (self, "SELECT correlation_id, first_position, last_position, events_count "
                                       "FROM rolled_back_batches WHERE project_id = ?1 AND events_count > 0 "
                                       "ORDER BY first_position LIMIT ?2", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, q->project_id);
  sqlite3_bind_int (stmt, 2, SYN_STORE_MAX_INLINE_RANGES + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SynRolledBackRange r = { g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                               sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2), FALSE };

      r.alone = sqlite3_column_int64 (stmt, 3) == r.last_position - r.first_position + 1;
      if (*ranges == NULL)
        *ranges = _syn_store_rolled_back_ranges_new ();
      g_array_append_val (*ranges, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_clear_pointer (ranges, g_array_unref);
      return _syn_sqlite_fail (self, rc, error);
    }
  return TRUE;
}

/* Binds from parameter @idx on; returns the next one. */
static int
bind_event_where (const SynEventQuery *q, GArray *ranges, sqlite3_stmt *stmt, int idx)
{
  _syn_sqlite_bind_text (stmt, idx++, q->project_id);
  for (guint i = 0; ranges != NULL && ranges->len <= SYN_STORE_MAX_INLINE_RANGES && i < ranges->len; i++)
    {
      SynRolledBackRange *r = &g_array_index (ranges, SynRolledBackRange, i);

      sqlite3_bind_int64 (stmt, idx++, r->first_position);
      sqlite3_bind_int64 (stmt, idx++, r->last_position);
      if (!r->alone)
        _syn_sqlite_bind_text (stmt, idx++, r->correlation_id);
    }
  for (guint i = 0; q->event_types && q->event_types[i]; i++)
    _syn_sqlite_bind_text (stmt, idx++, q->event_types[i]);
  for (guint i = 0; q->aggregate_types && q->aggregate_types[i]; i++)
    _syn_sqlite_bind_text (stmt, idx++, q->aggregate_types[i]);
  if (q->aggregate_id)
    _syn_sqlite_bind_text (stmt, idx++, q->aggregate_id);
  if (q->rule_id)
    _syn_sqlite_bind_text (stmt, idx++, q->rule_id);
  if (q->discipline)
    _syn_sqlite_bind_text (stmt, idx++, q->discipline);
  if (q->correlation_id)
    _syn_sqlite_bind_text (stmt, idx++, q->correlation_id);
  if (q->has_from_date)
    sqlite3_bind_int64 (stmt, idx++, q->from_date);
  if (q->has_to_date)
    sqlite3_bind_int64 (stmt, idx++, q->to_date);
  return idx;
}

static guint
strv_length0 (char **strv)
{
  return strv ? g_strv_length (strv) : 0;
}

/* Whether one index gives the filter's matches in position order (the rowid
 * last, every column before it equal to one value): no filter beyond the
 * project (ix_workflow_events_project_position), one event type with or
 * without a discipline (project_type, project_discipline), one rule
 * (project_rule), or one aggregate (aggregate_lookup). Then a page is read
 * from the index newest first and the walk stops after it. */
static gboolean
in_position_order (const SynEventQuery *q)
{
  guint n_types = strv_length0 (q->event_types), n_aggregate_types = strv_length0 (q->aggregate_types);
  gboolean dates = q->has_from_date || q->has_to_date;

  if (q->correlation_id || dates)
    return FALSE;
  if (q->aggregate_id)
    return n_aggregate_types == 1 && n_types == 0 && !q->rule_id && !q->discipline;
  if (n_aggregate_types > 0)
    return FALSE;
  if (q->rule_id)
    return n_types == 0 && !q->discipline;
  if (n_types == 1 || q->discipline)
    return n_types == 1;
  return n_types == 0;
}

/* Timeline totals are counted over the whole filter (a million index entries
 * take tens of milliseconds) while a page takes well under one: each
 * connection keeps the totals it counted until the database changes, which
 * SQLite tells by "PRAGMA data_version" (another connection committed) and
 * sqlite3_total_changes() (this one wrote). Nothing is cached inside a
 * transaction. The key is the WHERE clause and its bound values. */
#define MAX_CACHED_COUNTS 256

static char *
event_count_key (const SynEventQuery *q, const char *where)
{
  GString *key = g_string_new (where);

  g_string_append_printf (key, "\x1f%s", q->project_id);
  for (guint i = 0; q->event_types && q->event_types[i]; i++)
    g_string_append_printf (key, "\x1f%s", q->event_types[i]);
  for (guint i = 0; q->aggregate_types && q->aggregate_types[i]; i++)
    g_string_append_printf (key, "\x1f%s", q->aggregate_types[i]);
  g_string_append_printf (key, "\x1f%s\x1f%s\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT,
                          q->aggregate_id ? q->aggregate_id : "", q->rule_id ? q->rule_id : "",
                          q->discipline ? q->discipline : "", q->correlation_id ? q->correlation_id : "",
                          q->has_from_date ? q->from_date : 0, q->has_to_date ? q->to_date : 0);
  return g_string_free (key, FALSE);
}

/* Empties the cache when the database changed since it was filled. */
static gboolean
event_counts_fresh (SynSqliteStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  gint64 version;
  int changes = sqlite3_total_changes (self->db);

  if (!(stmt = _syn_sqlite_stmt (self, "PRAGMA data_version", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return _syn_sqlite_fail (self, sqlite3_errcode (self->db), error);
    }
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (version != self->counts_data_version || changes != self->counts_changes ||
      g_hash_table_size (self->event_counts) >= MAX_CACHED_COUNTS)
    {
      g_hash_table_remove_all (self->event_counts);
      self->counts_data_version = version;
      self->counts_changes = changes;
    }
  return TRUE;
}

/* Totals shared by the connections of one process. A server answers on a
 * pool of worker threads, each with its connection: each one used to count
 * every filter's total itself, and on a cold server 64 first requests made
 * each new connection count the same million events at the same time (33 s
 * for 16 keyset pages on 1,000,006 events). A total is kept here under the
 * database, the filter, the project's newest position (a change of a
 * project's events appends one, in this process or another: the server's
 * page cache relies on the same) and the number of commits this process has
 * made (which also covers a store-level write that appends nothing). One
 * connection counts; the others asking for the same total meanwhile wait. */
#define MAX_SHARED_COUNTS 1024

typedef struct
{
  guint64  total;
  gboolean counting;
} SharedCount;

static gint shared_counts_commits;
static GMutex shared_counts_lock;
static GCond shared_counts_done;
static GHashTable *shared_counts;

static gboolean
project_head (SynSqliteStore *self, const char *project_id, gint64 *head, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT COALESCE(max(position), 0) FROM workflow_events WHERE project_id = ?1",
                                 error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  rc = sqlite3_step (stmt);
  *head = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || _syn_sqlite_fail (self, rc, error);
}

/* @stmt: the count, bound; run here unless another connection has the total
 * or is counting it. */
static gboolean
shared_count (SynSqliteStore *self, const char *project_id, const char *key, sqlite3_stmt *stmt, guint64 *total,
              GError **error)
{
  g_autofree char *shared_key = NULL;
  SharedCount *c;
  gint64 head;
  int commits;
  gboolean ok;

  /* every in-memory database has the same name */
  if (strstr (self->path, ":memory:") != NULL || strstr (self->path, "mode=memory") != NULL)
    return _syn_sqlite_count_rows (self, stmt, total, error);
  commits = g_atomic_int_get (&shared_counts_commits);
  if (!project_head (self, project_id, &head, error))
    return FALSE;
  shared_key = g_strdup_printf ("%s\x1e%" G_GINT64_FORMAT "\x1e%d\x1e%s", self->path, head, commits, key);

  g_mutex_lock (&shared_counts_lock);
  if (shared_counts == NULL)
    shared_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((c = g_hash_table_lookup (shared_counts, shared_key)) != NULL && c->counting)
    g_cond_wait (&shared_counts_done, &shared_counts_lock);
  if (c != NULL)
    {
      *total = c->total;
      g_mutex_unlock (&shared_counts_lock);
      return TRUE;
    }
  if (g_hash_table_size (shared_counts) >= MAX_SHARED_COUNTS)
    g_hash_table_remove_all (shared_counts);   /* whoever counts finds its entry gone, and adds it again */
  c = g_new0 (SharedCount, 1);
  c->counting = TRUE;
  g_hash_table_insert (shared_counts, g_strdup (shared_key), c);
  g_mutex_unlock (&shared_counts_lock);

  ok = _syn_sqlite_count_rows (self, stmt, total, error);

  g_mutex_lock (&shared_counts_lock);
  if (!ok)
    g_hash_table_remove (shared_counts, shared_key);   /* a waiter counts for itself */
  else
    {
      if ((c = g_hash_table_lookup (shared_counts, shared_key)) == NULL)
        g_hash_table_insert (shared_counts, g_strdup (shared_key), (c = g_new0 (SharedCount, 1)));
      c->total = *total;
      c->counting = FALSE;
    }
  g_cond_broadcast (&shared_counts_done);
  g_mutex_unlock (&shared_counts_lock);
  return ok;
}

void
_syn_sqlite_note_commit (void)
{
  g_atomic_int_inc (&shared_counts_commits);
}

static GPtrArray *
sqlite_query_events (SynStore *store, const SynEventQuery *query, guint64 *total, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autofree char *page_sql = NULL;
  const char *order;
  g_autoptr(GArray) ranges = NULL;
  gboolean upwards;
  sqlite3_stmt *stmt;
  int idx;

  if (!syn_event_query_validate (query, error) || !rolled_back_ranges (self, query, &ranges, error))
    return NULL;

  build_event_where (query, ranges, where);

  if (total != NULL)
    {
      g_autofree char *count_sql = g_strconcat ("SELECT count(*) FROM workflow_events", where->str, NULL);
      g_autofree char *key = NULL;
      guint64 *cached = NULL;

      if (!self->in_transaction)
        {
          if (!event_counts_fresh (self, error))
            return NULL;
          key = event_count_key (query, where->str);
          cached = g_hash_table_lookup (self->event_counts, key);
        }
      if (cached != NULL)
        *total = *cached;
      else
        {
          if (!(stmt = _syn_sqlite_stmt (self, count_sql, error)))
            return NULL;
          bind_event_where (query, ranges, stmt, 1);
          if (!(key != NULL ? shared_count (self, query->project_id, key, stmt, total, error)
                            : _syn_sqlite_count_rows (self, stmt, total, error)))
            return NULL;
          if (key != NULL)
            g_hash_table_insert (self->event_counts, g_steal_pointer (&key), g_memdup2 (total, sizeof *total));
        }
    }

  /* The page's positions come from the filter's index alone, then only those
   * rows are read. A filter one index holds in position order (see
   * in_position_order) walks it newest first and stops after the page; any
   * other narrow filter sorts its matches ("+position" keeps the planner on
   * the filter's index rather than walking the whole project in position
   * order). A keyset bound starts the walk at its position; "after" walks
   * upwards from it, and the page is turned round below. */
  upwards = query->after_position > 0 && query->before_position == 0;
  if (in_position_order (query))
    order = upwards ? "position" : "position DESC";
  else
    order = upwards ? "+position" : "+position DESC";
  page_sql = g_strconcat ("SELECT " EVENT_COLS " FROM workflow_events WHERE position IN "
                          "(SELECT position FROM workflow_events", where->str,
                          query->after_position > 0 ? " AND position > ?" : "",
                          query->before_position > 0 ? " AND position < ?" : "",
                          " ORDER BY ", order, " LIMIT ? OFFSET ?) ORDER BY position DESC", NULL);
  if (!(stmt = _syn_sqlite_stmt (self, page_sql, error)))
    return NULL;
  idx = bind_event_where (query, ranges, stmt, 1);
  if (query->after_position > 0)
    sqlite3_bind_int64 (stmt, idx++, query->after_position);
  if (query->before_position > 0)
    sqlite3_bind_int64 (stmt, idx++, query->before_position);
  sqlite3_bind_int64 (stmt, idx++, query->limit);
  sqlite3_bind_int64 (stmt, idx++, (gint64) MIN (query->offset, (guint64) G_MAXINT64));
  return _syn_sqlite_collect_rows (self, stmt, read_event, error);
}

/* Rows of (period, key, count) as SynPeriodCount items. */
static GPtrArray *
collect_period_counts (SynSqliteStore *self, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (counts, syn_period_count_new ((guint) sqlite3_column_int64 (stmt, 0),
                                                   (const char *) sqlite3_column_text (stmt, 1),
                                                   (guint64) sqlite3_column_int64 (stmt, 2)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _syn_sqlite_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&counts);
}

/* The periods come from one JSON array of their bounds (a fixed statement
 * whatever their number); each one is a range of the timestamp index, walked
 * once: CROSS JOIN keeps the periods outside, so that the planner does not
 * walk the project and look each event's period up. */
static GPtrArray *
sqlite_count_events_by_period (SynStore *store, const SynEventQuery *query, const gint64 *bounds, guint n_bounds,
                               SynEventSplit split, GError **error)
{
  static const char * const keys[] = { "''", "event_type", "COALESCE(discipline, '')" };
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *sql = NULL;
  g_autoptr(GArray) ranges = NULL;
  sqlite3_stmt *stmt;

  if (!syn_event_query_validate (query, error) || !rolled_back_ranges (self, query, &ranges, error))
    return NULL;
  build_event_where (query, ranges, where);
  for (guint i = 0; i < n_bounds; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "", bounds[i]);
  g_string_append_c (json, ']');
  sql = g_strdup_printf ("SELECT p.i, %s, count(*) FROM "
                         "(SELECT lo.key AS i, lo.value AS lo, hi.value AS hi FROM json_each(?1) AS lo "
                         "JOIN json_each(?1) AS hi ON hi.key = lo.key + 1) AS p "
                         "CROSS JOIN workflow_events%s AND timestamp >= p.lo AND timestamp < p.hi "
                         "GROUP BY 1, 2", keys[split], where->str);
  if (!(stmt = _syn_sqlite_stmt (self, sql, error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, json->str);
  bind_event_where (query, ranges, stmt, 2);
  return collect_period_counts (self, stmt, error);
}

/* Whole minutes from the per-minute counts: each period's range of minutes
 * (a JSON array of [period, lo, hi]) walks the counts' primary key. */
static GPtrArray *
sqlite_count_event_minutes (SynStore *store, const SynEventQuery *query, const gint64 *periods, guint n_periods,
                            SynEventSplit split, GError **error)
{
  static const char * const keys[] = { "''", "c.event_type", "c.discipline" };
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new ("[");
  const char *n = query->include_rolled_back ? "c.n" : "c.n - c.n_rolled_back";
  sqlite3_stmt *stmt;
  int idx = 3;

  for (guint i = 0; i < n_periods; i++)
    if (periods[2 * i] < periods[2 * i + 1])
      g_string_append_printf (json, "%s[%u,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]", json->len > 1 ? "," : "",
                              i, periods[2 * i], periods[2 * i + 1]);
  g_string_append_c (json, ']');
  if (json->len == 2)
    return g_ptr_array_new_with_free_func (g_free);
  g_string_printf (sql, "SELECT p.i, %s, sum(%s) FROM (SELECT json_extract(value, '$[0]') AS i, "
                   "json_extract(value, '$[1]') AS lo, json_extract(value, '$[2]') AS hi "
                   "FROM json_each(?1)) AS p CROSS JOIN event_minute_counts AS c "
                   "WHERE c.project_id = ?2 AND c.minute >= p.lo AND c.minute < p.hi", keys[split], n);
  if (query->event_types && query->event_types[0])
    {
      g_string_append (sql, " AND c.event_type IN (");
      for (guint i = 0; query->event_types[i]; i++)
        g_string_append (sql, i ? ", ?" : "?");
      g_string_append_c (sql, ')');
    }
  if (query->discipline)
    g_string_append (sql, " AND c.discipline = ?");
  g_string_append_printf (sql, " GROUP BY 1, 2 HAVING sum(%s) > 0", n);
  if (!(stmt = _syn_sqlite_stmt (self, sql->str, error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, json->str);
  _syn_sqlite_bind_text (stmt, 2, query->project_id);
  for (guint i = 0; query->event_types && query->event_types[i]; i++)
    _syn_sqlite_bind_text (stmt, idx++, query->event_types[i]);
  if (query->discipline)
    _syn_sqlite_bind_text (stmt, idx++, query->discipline);
  return collect_period_counts (self, stmt, error);
}


static GPtrArray *
sqlite_get_events_by_correlation (SynStore *store, const char *project_id, const char *correlation_id,
                                  GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE correlation_id = ?2 "
                                       "AND project_id = ?1 ORDER BY sequence_num", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, correlation_id);
  return _syn_sqlite_collect_rows (self, stmt, read_event, error);
}

static GPtrArray *
sqlite_list_events_after (SynStore *store, const char *project_id, gint64 after_position, guint limit,
                          GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE project_id = ?1 "
                                       "AND position > ?2 ORDER BY position LIMIT ?3", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, after_position);
  sqlite3_bind_int64 (stmt, 3, limit == 0 ? -1 : (gint64) limit);
  return _syn_sqlite_collect_rows (self, stmt, read_event, error);
}

#define EVENT_TEXT_COLS "position, sequence_num, id, event_type, aggregate_type, aggregate_id, correlation_id, " \
                        "event_hash, payload, metadata, user_id, timestamp"

static gpointer
read_event_text (sqlite3_stmt *stmt)
{
  SynEventText *e = g_new0 (SynEventText, 1);

  e->position = sqlite3_column_int64 (stmt, 0);
  e->sequence_num = sqlite3_column_int64 (stmt, 1);
  e->id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  e->event_type = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  e->aggregate_type = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  e->aggregate_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  e->correlation_id = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  e->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  e->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  e->metadata = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  e->user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  e->timestamp = sqlite3_column_int64 (stmt, 11);
  if (e->payload == NULL)
    e->payload = g_strdup ("{}");
  return e;
}

static GPtrArray *
sqlite_list_event_texts_after (SynStore *store, const char *project_id, gint64 after_position, guint limit,
                               GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) syn_event_text_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EVENT_TEXT_COLS " FROM workflow_events WHERE project_id = ?1 "
                                       "AND position > ?2 ORDER BY position LIMIT ?3", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, after_position);
  sqlite3_bind_int64 (stmt, 3, limit == 0 ? -1 : (gint64) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_event_text (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _syn_sqlite_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static SynEvent *
sqlite_get_event (SynStore *store, const char *event_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE id = ?1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, event_id);
  return _syn_sqlite_collect_one (self, stmt, read_event, error);
}

/* One row, whatever the batch's size: the events are not rewritten. */
static gboolean
sqlite_mark_batch_rolled_back (SynStore *store, const char *project_id, const char *correlation_id,
                               const char *rollback_correlation_id, gint64 when, guint64 *n_events,
                               GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  SynRolledBackBatch b = { project_id, correlation_id, rollback_correlation_id, when };
  gint64 count = 0, first = 0, last = 0;
  gboolean written = FALSE;

  if (!batch_extent (self, correlation_id, &count, &first, &last, error) ||
      !write_rolled_back (self, &b, FALSE, count, first, last, &written, error))
    return FALSE;
  if (n_events != NULL)
    *n_events = written ? (guint64) count : 0;
  return TRUE;
}

/* Ids per statement, well under SQLite's limit on bound parameters. Shorter
 * lists are padded with NULLs (which match nothing) to one of a few lengths, so
 * the statement cache holds four statements, not one per length. */
#define LATER_BATCHES_CHUNK 512

static guint
in_list_length (guint n)
{
  guint length = 8;

  while (length < n)
    length *= 4;
  return MIN (length, LATER_BATCHES_CHUNK);
}

static GPtrArray *
sqlite_list_later_batches (SynStore *store, const char *project_id, const char *aggregate_type,
                           const char * const *aggregate_ids, guint n_ids, gint64 after_position,
                           GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  /* correlation id -> its newest matching position */
  g_autoptr(GHashTable) newest = _syn_store_later_batches_new ();

  for (guint start = 0; start < n_ids; start += LATER_BATCHES_CHUNK)
    {
      guint n = MIN (LATER_BATCHES_CHUNK, n_ids - start);
      guint length = in_list_length (n);
      g_autoptr(GString) sql = g_string_new ("SELECT correlation_id, max(position) FROM workflow_events "
                                             "WHERE aggregate_type = ?1 AND aggregate_id IN (");
      sqlite3_stmt *stmt;
      int rc;

      /* Served by ix_workflow_events_aggregate_lookup: one seek per id, then
       * the position range. "+project_id" keeps the planner off the project
       * indexes, which would walk every later event of the project. */
      for (guint i = 0; i < length; i++)
        g_string_append_printf (sql, i ? ", ?%u" : "?%u", i + 4);
      g_string_append (sql, ") AND position > ?2 AND +project_id = ?3 AND " SYN_STORE_NOT_ROLLED_BACK ("workflow_events")
                            " "
                            "GROUP BY correlation_id");
      if (!(stmt = _syn_sqlite_stmt (self, sql->str, error)))
        return NULL;
      _syn_sqlite_bind_text (stmt, 1, aggregate_type);
      sqlite3_bind_int64 (stmt, 2, after_position);
      _syn_sqlite_bind_text (stmt, 3, project_id);
      for (guint i = 0; i < length; i++)
        _syn_sqlite_bind_text (stmt, (int) i + 4, i < n ? aggregate_ids[start + i] : NULL);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        _syn_store_later_batch_seen (newest, (const char *) sqlite3_column_text (stmt, 0),
                                     sqlite3_column_int64 (stmt, 1));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _syn_sqlite_fail (self, rc, error);
          return NULL;
        }
    }

  return _syn_store_later_batches_sorted (newest);
}

/* Scans the rule's events (the project+rule index) and reads the source
 * from the payload: explain asks this for one asset at a time. */
static SynEvent *
sqlite_find_latest_rule_event (SynStore *store, const char *project_id, const char *rule_id,
                               const char *source_asset_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE project_id = ?1 "
                                       "AND rule_id = ?2 AND " SYN_STORE_NOT_ROLLED_BACK ("workflow_events") " "
                                       "AND event_type IN ('RULE_EXECUTED', 'RULE_SKIPPED', 'RULE_ERROR') "
                                       "AND json_extract(payload, '$.source_asset_id') = ?3 "
                                       "ORDER BY position DESC LIMIT 1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, rule_id);
  _syn_sqlite_bind_text (stmt, 3, source_asset_id);
  return _syn_sqlite_collect_one (self, stmt, read_event, error);
}

static GPtrArray *
sqlite_get_events_by_sequence (SynStore *store, const char *project_id, const char *correlation_id,
                               gint64 first_seq, gint64 last_seq, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EVENT_COLS " FROM workflow_events WHERE correlation_id = ?2 "
                                       "AND sequence_num BETWEEN ?3 AND ?4 AND project_id = ?1 "
                                       "ORDER BY sequence_num", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, correlation_id);
  sqlite3_bind_int64 (stmt, 3, first_seq);
  sqlite3_bind_int64 (stmt, 4, last_seq);
  return _syn_sqlite_collect_rows (self, stmt, read_event, error);
}

/* ------------------------------------------------------------------------- */
/* Snapshots                                                                 */

#define SNAPSHOT_COLS "id, correlation_id, project_id, snapshot_data, events_count, status, " \
                      "executed_at, rolled_back_at, rolled_back_by"

static gpointer
read_snapshot (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_snapshot_row);
}

static gboolean
sqlite_insert_snapshot (SynStore *store, SynSnapshot *snapshot, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO execution_snapshots (" SNAPSHOT_COLS ") VALUES "
                                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error)))
    return FALSE;
  if (snapshot->id == NULL)
    snapshot->id = syn_uuid_new ();
  if (snapshot->status == NULL)
    snapshot->status = g_strdup (SYN_SNAPSHOT_ACTIVE);
  if (snapshot->executed_at == 0)
    snapshot->executed_at = syn_time_now_usec ();
  _syn_sqlite_bind_text (stmt, 1, snapshot->id);
  _syn_sqlite_bind_text (stmt, 2, snapshot->correlation_id);
  _syn_sqlite_bind_text (stmt, 3, snapshot->project_id);
  _syn_sqlite_bind_json (stmt, 4, snapshot->snapshot_data, "{}");
  sqlite3_bind_int64 (stmt, 5, snapshot->events_count);
  _syn_sqlite_bind_text (stmt, 6, snapshot->status);
  sqlite3_bind_int64 (stmt, 7, snapshot->executed_at);
  _syn_sqlite_bind_time (stmt, 8, snapshot->rolled_back_at);
  _syn_sqlite_bind_text (stmt, 9, snapshot->rolled_back_by);
  return _syn_sqlite_step_done (self, stmt, error);
}

static SynSnapshot *
sqlite_get_snapshot (SynStore *store, const char *project_id, const char *correlation_id, GError **error)
{
  return _syn_sqlite_get_by_two (SYN_SQLITE_STORE (store),
                                 "SELECT " SNAPSHOT_COLS " FROM execution_snapshots WHERE project_id = ?1 "
                                 "AND correlation_id = ?2", read_snapshot, project_id, correlation_id, error);
}

static gboolean
sqlite_update_snapshot_events_count (SynStore *store, const char *project_id, const char *correlation_id,
                                     gint64 events_count, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE execution_snapshots SET events_count = ?3 WHERE project_id = ?1 "
                                       "AND correlation_id = ?2", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, correlation_id);
  sqlite3_bind_int64 (stmt, 3, events_count);
  return _syn_sqlite_step_done (self, stmt, error) && _syn_sqlite_require_changed (self, "snapshot for batch", correlation_id, error);
}

static gboolean
sqlite_mark_snapshot_rolled_back (SynStore *store, const char *project_id, const char *correlation_id,
                                  const char *user_id, gint64 when, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE execution_snapshots SET status = 'ROLLED_BACK', rolled_back_at = ?3, "
                                       "rolled_back_by = ?4 WHERE project_id = ?1 AND correlation_id = ?2", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  _syn_sqlite_bind_text (stmt, 2, correlation_id);
  sqlite3_bind_int64 (stmt, 3, when != 0 ? when : syn_time_now_usec ());
  _syn_sqlite_bind_text (stmt, 4, user_id);
  return _syn_sqlite_step_done (self, stmt, error) && _syn_sqlite_require_changed (self, "snapshot for batch", correlation_id, error);
}

static GPtrArray *
sqlite_list_snapshots (SynStore *store, const char *project_id, gboolean active_only, guint limit,
                       GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " SNAPSHOT_COLS " FROM execution_snapshots WHERE project_id = ?1 "
                                       "AND (?2 = 0 OR status = 'ACTIVE') ORDER BY executed_at DESC, rowid DESC "
                                       "LIMIT ?3", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int (stmt, 2, active_only ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, limit == 0 ? -1 : (gint64) limit);
  return _syn_sqlite_collect_rows (self, stmt, read_snapshot, error);
}

/* ------------------------------------------------------------------------- */
/* Executions                                                                */

#define EXECUTION_COLS "execution_id, project_id, correlation_id, mode, filters, status, user_id, " \
                       "started_at, finished_at, summary, error"

static gpointer
read_execution (sqlite3_stmt *stmt)
{
  return _syn_sqlite_read_row (stmt, &_syn_execution_row);
}

static void
bind_execution (sqlite3_stmt *stmt, SynExecution *x)
{
  _syn_sqlite_bind_text (stmt, 1, x->execution_id);
  _syn_sqlite_bind_text (stmt, 2, x->project_id);
  _syn_sqlite_bind_text (stmt, 3, x->correlation_id);
  _syn_sqlite_bind_text (stmt, 4, x->mode ? x->mode : "execute");
  _syn_sqlite_bind_json (stmt, 5, x->filters, NULL);
  _syn_sqlite_bind_text (stmt, 6, x->status);
  _syn_sqlite_bind_text (stmt, 7, x->user_id);
  sqlite3_bind_int64 (stmt, 8, x->started_at);
  _syn_sqlite_bind_time (stmt, 9, x->finished_at);
  _syn_sqlite_bind_json (stmt, 10, x->summary, NULL);
  _syn_sqlite_bind_text (stmt, 11, x->error);
}

static gboolean
sqlite_insert_execution (SynStore *store, SynExecution *execution, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO executions (" EXECUTION_COLS ") VALUES "
                                       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error)))
    return FALSE;
  if (execution->execution_id == NULL)
    execution->execution_id = syn_uuid_new ();
  if (execution->started_at == 0)
    execution->started_at = syn_time_now_usec ();
  bind_execution (stmt, execution);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_update_execution (SynStore *store, SynExecution *execution, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "UPDATE executions SET project_id = ?2, correlation_id = ?3, mode = ?4, "
                                       "filters = ?5, status = ?6, user_id = ?7, started_at = ?8, "
                                       "finished_at = ?9, summary = ?10, error = ?11 WHERE execution_id = ?1", error)))
    return FALSE;
  bind_execution (stmt, execution);
  return _syn_sqlite_step_done (self, stmt, error) && _syn_sqlite_require_changed (self, "execution", execution->execution_id, error);
}

static SynExecution *
sqlite_get_execution (SynStore *store, const char *execution_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EXECUTION_COLS " FROM executions WHERE execution_id = ?1", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, execution_id);
  return _syn_sqlite_collect_one (self, stmt, read_execution, error);
}

static GPtrArray *
sqlite_list_executions (SynStore *store, const char *project_id, guint64 offset, guint limit,
                        guint64 *total, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (total != NULL)
    {
      if (!(stmt = _syn_sqlite_stmt (self, "SELECT count(*) FROM executions WHERE project_id = ?1", error)))
        return NULL;
      _syn_sqlite_bind_text (stmt, 1, project_id);
      if (!_syn_sqlite_count_rows (self, stmt, total, error))
        return NULL;
    }
  if (!(stmt = _syn_sqlite_stmt (self, "SELECT " EXECUTION_COLS " FROM executions WHERE project_id = ?1 "
                                       "ORDER BY started_at DESC, rowid DESC LIMIT ?2 OFFSET ?3", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64) limit);
  sqlite3_bind_int64 (stmt, 3, (gint64) offset);
  return _syn_sqlite_collect_rows (self, stmt, read_execution, error);
}

/* ------------------------------------------------------------------------- */
/* The rule findings log and legacy projects                                 */

static gpointer
read_finding (sqlite3_stmt *stmt)
{
  SynFinding *f = syn_finding_new ();

  f->event_id = _syn_sqlite_col_text (stmt, 0);
  f->project_id = _syn_sqlite_col_text (stmt, 1);
  f->rule_id = _syn_sqlite_col_text (stmt, 2);
  f->source_asset_id = _syn_sqlite_col_text (stmt, 3);
  f->digest = _syn_sqlite_col_text (stmt, 4);
  f->position = sqlite3_column_int64 (stmt, 5);
  return f;
}

static gboolean
sqlite_insert_finding (SynStore *store, SynFinding *finding, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO rule_findings (event_id, project_id, rule_id, source_asset_id, "
                                       "digest) VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, finding->event_id);
  _syn_sqlite_bind_text (stmt, 2, finding->project_id);
  _syn_sqlite_bind_text (stmt, 3, finding->rule_id);
  _syn_sqlite_bind_text (stmt, 4, finding->source_asset_id);
  _syn_sqlite_bind_text (stmt, 5, finding->digest);
  return _syn_sqlite_step_done (self, stmt, error);
}

static GPtrArray *
sqlite_list_findings (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT f.event_id, f.project_id, f.rule_id, f.source_asset_id, f.digest, "
                                       "e.position FROM rule_findings f JOIN workflow_events e ON e.id = f.event_id "
                                       "WHERE f.project_id = ?1 AND " SYN_STORE_NOT_ROLLED_BACK ("e") " ORDER BY e.position", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  return _syn_sqlite_collect_rows (self, stmt, read_finding, error);
}

static GPtrArray *
sqlite_list_findings_between (SynStore *store, const char *project_id, gint64 after, gint64 until, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT f.event_id, f.project_id, f.rule_id, f.source_asset_id, f.digest, "
                                       "e.position FROM rule_findings f JOIN workflow_events e ON e.id = f.event_id "
                                       "WHERE f.project_id = ?1 AND e.position > ?2 AND e.position <= ?3 "
                                       "ORDER BY e.position", error)))
    return NULL;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int64 (stmt, 3, until);
  return _syn_sqlite_collect_rows (self, stmt, read_finding, error);
}

static gboolean
sqlite_is_legacy_project (SynStore *store, const char *project_id, gboolean *is_legacy, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  guint64 n = 0;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT count(*) FROM legacy_derivations WHERE project_id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  if (!_syn_sqlite_count_rows (self, stmt, &n, error))
    return FALSE;
  *is_legacy = n > 0;
  return TRUE;
}

static gboolean
sqlite_clear_legacy_project (SynStore *store, const char *project_id, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "DELETE FROM legacy_derivations WHERE project_id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  return _syn_sqlite_step_done (self, stmt, error);
}

static gboolean
sqlite_get_derive_mark (SynStore *store, const char *project_id, gint64 *position, char **rules_digest,
                        JsonNode **summary, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _syn_sqlite_stmt (self, "SELECT position, rules_digest, summary FROM derive_marks "
                                       "WHERE project_id = ?1", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *position = sqlite3_column_int64 (stmt, 0);
      *rules_digest = _syn_sqlite_col_text (stmt, 1);
      *summary = _syn_sqlite_col_json (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _syn_sqlite_fail (self, rc, error);
  return TRUE;
}

static gboolean
sqlite_set_derive_mark (SynStore *store, const char *project_id, gint64 position, const char *rules_digest,
                        JsonNode *summary, GError **error)
{
  SynSqliteStore *self = SYN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _syn_sqlite_stmt (self, "INSERT INTO derive_marks (project_id, position, rules_digest, summary) "
                                       "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (project_id) DO UPDATE SET "
                                       "position = ?2, rules_digest = ?3, summary = ?4", error)))
    return FALSE;
  _syn_sqlite_bind_text (stmt, 1, project_id);
  sqlite3_bind_int64 (stmt, 2, position);
  _syn_sqlite_bind_text (stmt, 3, rules_digest);
  _syn_sqlite_bind_json (stmt, 4, summary, NULL);
  return _syn_sqlite_step_done (self, stmt, error);
}

/* ------------------------------------------------------------------------- */

void
_syn_sqlite_store_events_iface_init (SynStoreInterface *iface)
{
  iface->append_events = sqlite_append_events;
  iface->query_events = sqlite_query_events;
  iface->count_events_by_period = sqlite_count_events_by_period;
  iface->count_event_minutes = sqlite_count_event_minutes;
  iface->get_events_by_correlation = sqlite_get_events_by_correlation;
  iface->list_events_after = sqlite_list_events_after;
  iface->list_event_texts_after = sqlite_list_event_texts_after;
  iface->get_event = sqlite_get_event;
  iface->mark_batch_rolled_back = sqlite_mark_batch_rolled_back;
  iface->list_later_batches = sqlite_list_later_batches;
  iface->find_latest_rule_event = sqlite_find_latest_rule_event;
  iface->get_events_by_sequence = sqlite_get_events_by_sequence;
  iface->insert_snapshot = sqlite_insert_snapshot;
  iface->get_snapshot = sqlite_get_snapshot;
  iface->update_snapshot_events_count = sqlite_update_snapshot_events_count;
  iface->mark_snapshot_rolled_back = sqlite_mark_snapshot_rolled_back;
  iface->list_snapshots = sqlite_list_snapshots;
  iface->insert_execution = sqlite_insert_execution;
  iface->update_execution = sqlite_update_execution;
  iface->get_execution = sqlite_get_execution;
  iface->list_executions = sqlite_list_executions;
  iface->insert_finding = sqlite_insert_finding;
  iface->list_findings = sqlite_list_findings;
  iface->list_findings_between = sqlite_list_findings_between;
  iface->is_legacy_project = sqlite_is_legacy_project;
  iface->clear_legacy_project = sqlite_clear_legacy_project;
  iface->get_derive_mark = sqlite_get_derive_mark;
  iface->set_derive_mark = sqlite_set_derive_mark;
}

/* The cache of totals, emptied when the database changed since it was
 * filled: the asset and cable lists keep theirs there too. */
gboolean
_syn_sqlite_counts_fresh (SynSqliteStore *self, GError **error)
{
  return event_counts_fresh (self, error);
}

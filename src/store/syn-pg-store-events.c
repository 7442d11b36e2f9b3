/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-pg-store-events.c: SynPgStore: the event store (COPY appends, timeline queries), snapshots, executions. */
#include "config.h"

#include <string.h>

#include "syn-pg-store-private.h"

/* COPY data is sent in pieces of about this size: bounded memory per flush. */
#define COPY_CHUNK (1 << 20)
/* Ids per list_later_batches statement. */
#define LATER_BATCHES_CHUNK 1000

/* ------------------------------------------------------------------------- */
/* Events                                                                    */

#define EVENT_COLS SYN_PG_EVENT_COLS

static gpointer
read_event (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_event_row);
}

/* One field of COPY's text format: backslash escapes, \N for NULL. */
static void
copy_field (GString *out, const char *s)
{
  const char *run;

  if (s == NULL)
    {
      g_string_append (out, "\\N");
      return;
    }
  run = s;
  for (const char *c = s;; c++)
    {
      char ch = *c;

      if (ch != '\0' && ch != '\\' && ch != '\n' && ch != '\r' && ch != '\t')
        continue;
      g_string_append_len (out, run, c - run);
      if (ch == '\0')
        break;
      g_string_append_c (out, '\\');
      g_string_append_c (out, ch == '\n' ? 'n' : ch == '\r' ? 'r' : ch == '\t' ? 't' : '\\');
      run = c + 1;
    }
}


static void
copy_int (GString *out, gint64 value)
{
  char buf[24];
  int i = sizeof buf;
  guint64 v = value < 0 ? -(guint64) value : (guint64) value;

  do
    buf[--i] = '0' + v % 10;
  while ((v /= 10) > 0);
  if (value < 0)
    buf[--i] = '-';
  g_string_append_len (out, buf + i, sizeof buf - i);
}

/* @payload and @metadata: their canonical text, the bytes the chain hashes. */
static void
copy_event (GString *out, SynEvent *e, const char *payload, const char *metadata, gint64 position)
{
  char time[40];

  copy_int (out, position);
  g_string_append_c (out, '\t');
  copy_field (out, e->id);
  g_string_append_c (out, '\t');
  copy_field (out, e->event_type);
  g_string_append_c (out, '\t');
  copy_field (out, e->aggregate_type);
  g_string_append_c (out, '\t');
  copy_field (out, e->aggregate_id);
  g_string_append_c (out, '\t');
  copy_field (out, e->project_id);
  g_string_append_c (out, '\t');
  copy_field (out, e->rule_id);
  g_string_append_c (out, '\t');
  copy_field (out, e->discipline);
  g_string_append_c (out, '\t');
  copy_field (out, payload);
  g_string_append_c (out, '\t');
  copy_field (out, metadata);
  g_string_append_c (out, '\t');
  copy_field (out, e->correlation_id);
  g_string_append_c (out, '\t');
  copy_field (out, e->causation_id);
  g_string_append_c (out, '\t');
  copy_int (out, e->sequence_num);
  g_string_append_c (out, '\t');
  copy_field (out, e->user_id);
  g_string_append_c (out, '\t');
  _syn_pg_format_time (e->timestamp, time);
  g_string_append (out, time);
  g_string_append_c (out, '\t');
  copy_field (out, e->hash);
  g_string_append_c (out, '\n');
}

static gboolean
put_copy_data (SynPgStore *self, GString *buffer, GError **error)
{
  if (buffer->len > 0 && PQputCopyData (self->conn, buffer->str, (int) buffer->len) != 1)
    return _syn_pg_fail (self, NULL, error);
  g_string_truncate (buffer, 0);
  return TRUE;
}

/* Reads what the server says at the end of a COPY; every result is consumed. */
static gboolean
finish_copy (SynPgStore *self, gboolean ok, GError **error)
{
  PGresult *res;

  if (PQputCopyEnd (self->conn, ok ? NULL : "abandoned") != 1)
    ok = _syn_pg_fail (self, NULL, ok ? error : NULL);
  while ((res = PQgetResult (self->conn)) != NULL)
    {
      if (PQresultStatus (res) != PGRES_COMMAND_OK && ok)
        ok = _syn_pg_fail (self, res, error);
      PQclear (res);
    }
  if (ok && PQstatus (self->conn) != CONNECTION_OK)
    ok = _syn_pg_fail (self, NULL, error);
  return ok;
}

/* Under the project's lock: the hash of its newest event, or the genesis hash. */
static char *
chain_head (SynPgStore *self, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, project_id);
  if (!(res = _syn_pg_exec (self, "SELECT event_hash FROM workflow_events WHERE project_id = $1 "
                                  "ORDER BY position DESC LIMIT 1", &p, FALSE, error)))
    return NULL;
  if (PQntuples (res) == 0 || PQgetisnull (res, 0, 0))
    return g_strdup (SYN_EVENT_GENESIS_HASH);
  return g_strdup (PQgetvalue (res, 0, 0));
}

/* The chain hash each project of the call follows: one look-up of its head
 * (under its lock); project id -> hash, updated as events are hashed. */
static GHashTable *
chain_heads (SynPgStore *self, GPtrArray *events, GError **error)
{
  g_autoptr(GHashTable) heads = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      char *head;

      if (g_hash_table_contains (heads, e->project_id))
        continue;
      if (!(head = chain_head (self, e->project_id, error)))
        return NULL;
      g_hash_table_insert (heads, e->project_id, head);
    }
  return g_steal_pointer (&heads);
}

static gboolean
set_event_hash (SynStore *store, gint64 position, const char *hash, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, hash);
  _syn_pg_add_int (&p, position);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "UPDATE workflow_events SET event_hash = $1 "
                          "WHERE position = $2 AND event_hash IS NULL", &p, error);
}

/* Migration 0006: the hashes of the events written before it, computed once
 * (_syn_store_fill_chain()); inside its transaction. */
gboolean
_syn_pg_fill_chain (SynPgStore *self, GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) project_ids = NULL;
  g_autoptr(PGresult) res = _syn_pg_exec (self, "SELECT DISTINCT project_id FROM workflow_events "
                                          "WHERE event_hash IS NULL", NULL, FALSE, error);

  if (res == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    g_strv_builder_add (builder, PQgetvalue (res, row, 0));
  project_ids = g_strv_builder_end (builder);
  return _syn_store_fill_chain (SYN_STORE (self), (const char * const *) project_ids, set_event_hash, error);
}

/* The chart's counts: the batch's events after @after_position, newly
 * covered by its row of rolled_back_batches, move to the rolled-back counts
 * of their minutes (each event once, whether its row came whole from a
 * rollback or grew with a clone's copied pages). */
static gboolean
roll_back_minute_counts (SynPgStore *self, const char *project_id, const char *correlation_id,
                         gint64 after_position, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, correlation_id);
  _syn_pg_add_int (&p, after_position);
  return _syn_pg_exec_ok (self, "INSERT INTO event_minute_counts AS c (project_id, minute, event_type, "
                          "discipline, n, n_rolled_back) SELECT project_id, "
                          "floor(extract(epoch FROM \"timestamp\") / 60)::bigint, event_type, COALESCE(discipline, ''), "
                          "count(*), count(*) FROM workflow_events WHERE correlation_id = $2 AND project_id = $1 "
                          "AND position > $3 "
                          "GROUP BY 1, 2, 3, 4 ON CONFLICT (project_id, minute, event_type, discipline) DO UPDATE "
                          "SET n_rolled_back = c.n_rolled_back + excluded.n_rolled_back", &p, error);
}

/* The batch's events, as its row of rolled_back_batches counts them: from
 * ix_workflow_events_correlation_seq (correlation ids are unique). */
static gboolean
batch_extent (SynPgStore *self, const char *correlation_id, gint64 *count, gint64 *first, gint64 *last,
              GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, correlation_id);
  res = _syn_pg_exec (self, "SELECT count(*), COALESCE(min(position), 0), COALESCE(max(position), 0) "
                            "FROM workflow_events WHERE correlation_id = $1", &p, TRUE, error);
  if (res == NULL)
    return FALSE;
  *count = _syn_pg_col_int (res, 0, 0);
  *first = _syn_pg_col_int (res, 0, 1);
  *last = _syn_pg_col_int (res, 0, 2);
  return TRUE;
}

/* Writes the batch's row, its events as batch_extent() found them:
 * @complete, an existing row copied without its rollback is completed (the
 * batch's events counted again, who rolled it back); otherwise an existing
 * row stays as it is. @written: whether a row was written. */
static gboolean
write_rolled_back (SynPgStore *self, const SynRolledBackBatch *b, gboolean complete, gint64 count, gint64 first,
                   gint64 last, gboolean *written, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_auto(SynPgParams) q = { 0 };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) old = NULL;
  gint64 covered = -1;

  /* how far the chart's counts already count it rolled back */
  _syn_pg_add_text (&q, b->correlation_id);
  old = _syn_pg_exec (self, "SELECT last_position FROM rolled_back_batches WHERE correlation_id = $1", &q, TRUE,
                      error);
  if (old == NULL)
    return FALSE;
  if (PQntuples (old) > 0)
    covered = _syn_pg_col_int (old, 0, 0);
  _syn_pg_add_text (&p, b->correlation_id);
  _syn_pg_add_text (&p, b->project_id);
  _syn_pg_add_text (&p, b->rollback_correlation_id);
  _syn_pg_add_time (&p, b->when, FALSE);
  _syn_pg_add_int (&p, first);
  _syn_pg_add_int (&p, last);
  _syn_pg_add_int (&p, count);
  res = _syn_pg_exec (self, complete
                            ? "INSERT INTO rolled_back_batches AS r (correlation_id, project_id, "
                              "rollback_correlation_id, rolled_back_at, first_position, last_position, "
                              "events_count) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                              "ON CONFLICT (correlation_id) DO UPDATE SET "
                              "rollback_correlation_id = excluded.rollback_correlation_id, "
                              "rolled_back_at = excluded.rolled_back_at, first_position = excluded.first_position, "
                              "last_position = excluded.last_position, events_count = excluded.events_count "
                              "WHERE r.rollback_correlation_id IS NULL"
                            : "INSERT INTO rolled_back_batches (correlation_id, project_id, "
                              "rollback_correlation_id, rolled_back_at, first_position, last_position, "
                              "events_count) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                              "ON CONFLICT (correlation_id) DO NOTHING",
                      &p, TRUE, error);
  if (res == NULL)
    return FALSE;
  *written = g_ascii_strtoull (PQcmdTuples (res), NULL, 10) > 0;
  return !*written || roll_back_minute_counts (self, b->project_id, b->correlation_id, covered, error);
}

/* Appended events that show a batch rolled back (a clone's copy of flagged
 * events, or a BATCH_ROLLED_BACK): its row is written, or completed with
 * what it lacked (the batch's newer events, who rolled it back). A
 * BATCH_ROLLED_BACK the rollback service appends finds its row complete. */
static gboolean
record_rolled_back_in (SynPgStore *self, GPtrArray *events, GError **error)
{
  g_autoptr(GArray) batches = _syn_store_rolled_back_in (events);

  for (guint i = 0; batches != NULL && i < batches->len; i++)
    {
      SynRolledBackBatch *b = &g_array_index (batches, SynRolledBackBatch, i);
      gint64 count = 0, first = 0, last = 0;
      gboolean written;

      if (!syn_uuid_is_valid (b->correlation_id))
        continue;
      if (b->rollback_correlation_id != NULL)
        {
          g_auto(SynPgParams) q = { 0 };
          g_autoptr(PGresult) res = NULL;

          _syn_pg_add_text (&q, b->correlation_id);
          res = _syn_pg_exec (self, "SELECT 1 FROM rolled_back_batches WHERE correlation_id = $1 "
                                    "AND rollback_correlation_id IS NOT NULL", &q, TRUE, error);
          if (res == NULL)
            return FALSE;
          if (PQntuples (res) > 0)
            continue;
        }
      /* a batch with no event here yet has nothing to hide */
      if (!batch_extent (self, b->correlation_id, &count, &first, &last, error))
        return FALSE;
      if (count > 0 && !write_rolled_back (self, b, TRUE, count, first, last, &written, error))
        return FALSE;
    }
  return TRUE;
}

/* "{1,2,...}" */
static char *
int_array (const SynMinuteCount *counts, guint n, gsize offset)
{
  GString *text = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            G_STRUCT_MEMBER (gint64, (gconstpointer) &counts[i], offset));
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

/* The chart's per-minute counts (migration 0012), in the append's
 * transaction: one upsert of every project, minute, type and discipline of
 * the call (each once, as ON CONFLICT DO UPDATE needs). */
static gboolean
add_minute_counts (SynPgStore *self, GPtrArray *events, GError **error)
{
  g_autoptr(GArray) counts = _syn_store_minute_counts (events);
  const SynMinuteCount *c = (const SynMinuteCount *) (gpointer) counts->data;
  g_autofree const char **texts = g_new (const char *, counts->len * 3 + 1);
  g_auto(SynPgParams) p = { 0 };

  for (guint i = 0; i < counts->len; i++)
    {
      texts[i] = c[i].project_id;
      texts[counts->len + i] = c[i].event_type;
      texts[2 * counts->len + i] = c[i].discipline;
    }
  _syn_pg_add_text_array (&p, texts, counts->len);
  _syn_pg_add_take (&p, int_array (c, counts->len, G_STRUCT_OFFSET (SynMinuteCount, minute)));
  _syn_pg_add_text_array (&p, texts + counts->len, counts->len);
  _syn_pg_add_text_array (&p, texts + 2 * counts->len, counts->len);
  _syn_pg_add_take (&p, int_array (c, counts->len, G_STRUCT_OFFSET (SynMinuteCount, n)));
  _syn_pg_add_take (&p, int_array (c, counts->len, G_STRUCT_OFFSET (SynMinuteCount, n_rolled_back)));
  return _syn_pg_exec_ok (self, "INSERT INTO event_minute_counts AS c (project_id, minute, event_type, discipline, n, "
                          "n_rolled_back) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], "
                          "$5::bigint[], $6::bigint[]) "
                          "ON CONFLICT (project_id, minute, event_type, discipline) DO UPDATE "
                          "SET n = c.n + excluded.n, n_rolled_back = c.n_rolled_back + excluded.n_rolled_back",
                          &p, error);
}

/* No round trip per event: positions are reserved with one statement, then
 * every row goes in one COPY. Measured against a multi-row INSERT ...
 * RETURNING over unnest() arrays and against pipelined single-row INSERTs
 * (see docs/design-notes.md), COPY is the fastest by far. */
static gboolean
append_events_in_txn (SynPgStore *self, GPtrArray *events, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) reserved = NULL;
  g_autoptr(PGresult) copy = NULL;
  g_autoptr(GHashTable) heads = NULL;
  GString *buffer;
  const char *locked = NULL;
  SynPgRange *range = NULL;

  /* Appends to one project are serialised until commit by the project's
   * lock: taken before positions are reserved, so positions of a project
   * become visible in increasing order (catch-up by position misses nothing). */
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      if (locked != NULL && g_strcmp0 (locked, e->project_id) == 0)
        continue;
      if (!_syn_pg_lock_project_quietly (self, e->project_id, error))
        return FALSE;
      locked = e->project_id;
    }

  if (!(heads = chain_heads (self, events, error)))
    return FALSE;

  _syn_pg_add_int (&p, events->len);
  reserved = _syn_pg_exec (self, "SELECT nextval('workflow_events_position_seq') "
                                 "FROM generate_series(1, $1::int)", &p, TRUE, error);
  if (reserved == NULL)
    return FALSE;
  g_assert ((guint) PQntuples (reserved) == events->len);

  copy = PQexec (self->conn, "COPY workflow_events (position, id, event_type, aggregate_type, aggregate_id, "
                             "project_id, rule_id, discipline, payload, metadata, correlation_id, "
                             "causation_id, sequence_num, user_id, \"timestamp\", event_hash) "
                             "FROM STDIN");
  if (PQresultStatus (copy) != PGRES_COPY_IN)
    return _syn_pg_fail (self, copy, error);

  /* kept between calls: a fresh megabyte per flush costs more than the COPY's own work */
  if (self->copy_buffer == NULL)
    {
      self->copy_buffer = g_string_sized_new (COPY_CHUNK + 65536);
    }
  buffer = self->copy_buffer;
  g_string_truncate (buffer, 0);
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);
      /* serialized once, in the canonical form: the row's text and the
       * bytes the chain hashes are the same */
      g_autofree char *payload = NULL, *metadata = NULL;

      if (e->id == NULL)
        e->id = syn_uuid_new ();
      if (e->timestamp == 0)
        e->timestamp = syn_time_now_usec ();
      payload = syn_event_canonical_json (e->payload);
      metadata = syn_event_canonical_json (e->metadata);
      g_free (e->hash);
      e->hash = syn_event_compute_hash_serialized (e, g_hash_table_lookup (heads, e->project_id), payload, metadata);
      g_hash_table_insert (heads, e->project_id, g_strdup (e->hash));
      copy_event (buffer, e, payload, metadata, _syn_pg_col_int (reserved, (int) i, 0));
      if (buffer->len >= COPY_CHUNK && !put_copy_data (self, buffer, error))
        return finish_copy (self, FALSE, NULL);
    }
  if (!put_copy_data (self, buffer, error))
    return finish_copy (self, FALSE, NULL);
  if (!finish_copy (self, TRUE, error) || !add_minute_counts (self, events, error))
    return FALSE;

  locked = NULL;
  for (guint i = 0; i < events->len; i++)
    {
      SynEvent *e = g_ptr_array_index (events, i);

      e->position = _syn_pg_col_int (reserved, (int) i, 0);
      if (range == NULL || g_strcmp0 (locked, e->project_id) != 0)
        {
          locked = e->project_id;
          range = g_hash_table_lookup (self->appended, e->project_id);
          if (range == NULL)
            {
              range = g_new (SynPgRange, 1);
              range->first = range->last = e->position;
              g_hash_table_insert (self->appended, g_strdup (e->project_id), range);
            }
        }
      range->first = MIN (range->first, e->position);
      range->last = MAX (range->last, e->position);
    }
  return record_rolled_back_in (self, events, error);
}

static gboolean
pg_append_events (SynStore *store, GPtrArray *events, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);

  if (events->len == 0)
    return TRUE;
  for (guint i = 0; i < events->len; i++)
    if (((SynEvent *) g_ptr_array_index (events, i))->project_id == NULL)
      {
        g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_CONSTRAINT,
                             "NOT NULL constraint failed: workflow_events.project_id");
        return FALSE;
      }
  if (self->in_transaction)
    return append_events_in_txn (self, events, error);
  if (!_syn_pg_begin (store, error))
    return FALSE;
  if (!append_events_in_txn (self, events, error))
    {
      _syn_pg_rollback (store);
      return FALSE;
    }
  return _syn_pg_commit (store, error);
}

/* The WHERE clause of a timeline query from fixed fragments, but for the
 * event types; every value is a bound parameter, numbered as it is added. */
static void
build_event_where (const SynEventQuery *q, GArray *ranges, GString *sql, SynPgParams *p)
{
  char time[40];

  _syn_pg_add_text (p, q->project_id);
  g_string_append_printf (sql, " WHERE project_id = $%d", p->n);
  /* The project's rolled-back batches (see SynRolledBackRange): ranges
   * alone, as two arrays of bounds, keep a count an index-only scan. With a
   * range that holds other batches' events too, or past
   * SYN_STORE_MAX_INLINE_RANGES, an anti-join on the batches instead. */
  if (ranges != NULL)
    {
      gboolean all_alone = ranges->len <= SYN_STORE_MAX_INLINE_RANGES;
      GString *lows, *highs;

      for (guint i = 0; all_alone && i < ranges->len; i++)
        all_alone = g_array_index (ranges, SynRolledBackRange, i).alone;
      if (!all_alone)
        g_string_append (sql, " AND " SYN_STORE_NOT_ROLLED_BACK ("workflow_events"));
      else
        {
          lows = g_string_new ("{");
          highs = g_string_new ("{");
          for (guint i = 0; i < ranges->len; i++)
            {
              SynRolledBackRange *r = &g_array_index (ranges, SynRolledBackRange, i);

              g_string_append_printf (lows, "%s%" G_GINT64_FORMAT, i ? "," : "", r->first_position);
              g_string_append_printf (highs, "%s%" G_GINT64_FORMAT, i ? "," : "", r->last_position);
            }
          g_string_append_c (lows, '}');
          g_string_append_c (highs, '}');
          _syn_pg_add_take (p, g_string_free (lows, FALSE));
          _syn_pg_add_take (p, g_string_free (highs, FALSE));
          g_string_append_printf (sql, " AND NOT EXISTS (SELECT 1 FROM unnest($%d::int8[], $%d::int8[]) AS rb(lo, hi) "
                                  "WHERE workflow_events.position BETWEEN rb.lo AND rb.hi)", p->n - 1, p->n);
        }
    }
  if (q->aggregate_types && q->aggregate_types[0])
    {
      g_string_append (sql, " AND aggregate_type IN (");
      for (guint i = 0; q->aggregate_types[i]; i++)
        {
          _syn_pg_add_text (p, q->aggregate_types[i]);
          g_string_append_printf (sql, i ? ", $%d" : "$%d", p->n);
        }
      g_string_append_c (sql, ')');
    }
  if (q->aggregate_id)
    {
      _syn_pg_add_text (p, q->aggregate_id);
      g_string_append_printf (sql, " AND aggregate_id = $%d", p->n);
    }
  if (q->rule_id)
    {
      _syn_pg_add_text (p, q->rule_id);
      g_string_append_printf (sql, " AND rule_id = $%d", p->n);
    }
  if (q->discipline)
    {
      _syn_pg_add_text (p, q->discipline);
      g_string_append_printf (sql, " AND discipline = $%d", p->n);
    }
  if (q->correlation_id)
    {
      _syn_pg_add_text (p, q->correlation_id);
      g_string_append_printf (sql, " AND correlation_id = $%d", p->n);
    }
  if (q->has_from_date)
    {
      _syn_pg_format_time (q->from_date, time);
      _syn_pg_add_take (p, g_strdup (time));
      g_string_append_printf (sql, " AND \"timestamp\" >= $%d", p->n);
    }
  if (q->has_to_date)
    {
      _syn_pg_format_time (q->to_date, time);
      _syn_pg_add_take (p, g_strdup (time));
      g_string_append_printf (sql, " AND \"timestamp\" <= $%d", p->n);
    }
}

/* The rolled-back batches @q's filter must leave out: NULL if it shows them
 * or its project has none (most have none, and their filters stay as they
 * were, index-only scans included); at most one more than
 * SYN_STORE_MAX_INLINE_RANGES. */
static gboolean
rolled_back_ranges (SynPgStore *self, const SynEventQuery *q, GArray **ranges, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  *ranges = NULL;
  if (q->include_rolled_back)
    return TRUE;
  _syn_pg_add_text (&p, q->project_id);
  _syn_pg_add_int (&p, SYN_STORE_MAX_INLINE_RANGES + 1);
  if (!(res = _syn_pg_exec (self, "SELECT correlation_id, first_position, last_position, events_count "
                                  "FROM rolled_back_batches WHERE project_id = $1 AND events_count > 0 "
                                  "ORDER BY first_position LIMIT $2", &p, TRUE, error)))
    return FALSE;
  for (int row = 0; row < PQntuples (res); row++)
    {
      SynRolledBackRange r = { g_strdup (PQgetvalue (res, row, 0)), _syn_pg_col_int (res, row, 1),
                               _syn_pg_col_int (res, row, 2), FALSE };

      r.alone = _syn_pg_col_int (res, row, 3) == r.last_position - r.first_position + 1;
      if (*ranges == NULL)
        *ranges = _syn_store_rolled_back_ranges_new ();
      g_array_append_val (*ranges, r);
    }
  return TRUE;
}

/* A timeline query's conditions: the WHERE clause in @where and its event
 * types apart in @types_in (" AND event_type IN (...)", empty for none);
 * returns the number of types, or -1 with @error set. */
static int
event_query_conditions (SynPgStore *self, const SynEventQuery *query, GString *where, GString *types_in,
                        SynPgParams *p, GError **error)
{
  g_autoptr(GArray) ranges = NULL;
  int n_types;

  if (!syn_event_query_validate (query, error) || !rolled_back_ranges (self, query, &ranges, error))
    return -1;
  if ((query->event_types ? g_strv_length (query->event_types) : 0) +
      (query->aggregate_types ? g_strv_length (query->aggregate_types) : 0) > SYN_PG_MAX_PARAMS - 14)
    {
      g_set_error_literal (error, SYN_STORE_ERROR, SYN_STORE_ERROR_INVALID, "Too many types in one query");
      return -1;
    }
  build_event_where (query, ranges, where, p);
  for (n_types = 0; query->event_types && query->event_types[n_types]; n_types++)
    {
      _syn_pg_add_text (p, query->event_types[n_types]);
      g_string_append_printf (types_in, n_types ? ", $%d" : " AND event_type IN ($%d", p->n);
    }
  if (n_types > 0)
    g_string_append_c (types_in, ')');
  return n_types;
}

static GPtrArray *
pg_query_events (SynStore *store, const SynEventQuery *query, guint64 *total, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GString) types_in = g_string_new (NULL);
  g_autoptr(GString) inner = g_string_new (NULL);
  g_autofree char *page_sql = NULL;
  g_autoptr(PGresult) res = NULL;
  g_auto(SynPgParams) p = { 0 };
  int limit_idx, first_type, n_types;
  const char *order;
  gint64 offset;

  if ((n_types = event_query_conditions (self, query, where, types_in, &p, error)) < 0)
    return NULL;
  first_type = p.n - n_types + 1;

  /* Unnamed statements: planned for the values at hand, as a filter's
   * selectivity varies a lot between projects and disciplines. */
  if (total != NULL)
    {
      g_autofree char *count_sql = g_strconcat ("SELECT count(*) FROM workflow_events", where->str,
                                                types_in->str, NULL);
      g_autoptr(PGresult) count = _syn_pg_exec (self, count_sql, &p, FALSE, error);

      if (count == NULL)
        return NULL;
      *total = (guint64) _syn_pg_col_int (count, 0, 0);
    }

  /* The page's positions come from the filter's index, then only those rows
   * are read. A keyset bound ("after", "before" a position) is part of every
   * index walk's condition; "after" alone walks upwards from its position,
   * and the page is turned round by the outer ORDER BY. */
  if (query->after_position > 0)
    {
      _syn_pg_add_int (&p, query->after_position);
      g_string_append_printf (where, " AND position > $%d", p.n);
    }
  if (query->before_position > 0)
    {
      _syn_pg_add_int (&p, query->before_position);
      g_string_append_printf (where, " AND position < $%d", p.n);
    }
  order = query->after_position > 0 && query->before_position == 0 ? "position" : "position DESC";
  limit_idx = p.n + 1;
  offset = (gint64) MIN (query->offset, (guint64) (G_MAXINT64 - SYN_EVENT_QUERY_MAX_LIMIT));
  _syn_pg_add_int (&p, query->limit);
  _syn_pg_add_int (&p, offset);
  if (n_types >= 2)
    _syn_pg_add_int (&p, offset + query->limit);
  if (n_types < 2)
    g_string_printf (inner, "SELECT position FROM workflow_events%s%s ORDER BY %s "
                     "LIMIT $%d OFFSET $%d", where->str, types_in->str, order, limit_idx, limit_idx + 1);
  else
    {
      /* Several types: each one's newest positions straight from its index
       * (already in position order), merged; rather than every match of the
       * IN list sorted. */
      g_string_append (inner, "SELECT position FROM (");
      for (int t = 0; t < n_types; t++)
        g_string_append_printf (inner, "%s(SELECT position FROM workflow_events%s AND event_type = $%d "
                                "ORDER BY %s LIMIT $%d)", t ? " UNION ALL " : "",
                                where->str, first_type + t, order, limit_idx + 2);
      g_string_append_printf (inner, ") AS by_type ORDER BY %s LIMIT $%d OFFSET $%d",
                              order, limit_idx, limit_idx + 1);
    }
  page_sql = g_strdup_printf ("SELECT " EVENT_COLS " FROM workflow_events WHERE position IN (%s) "
                              "ORDER BY position DESC", inner->str);
  res = _syn_pg_exec (self, page_sql, &p, FALSE, error);
  return res ? _syn_pg_collect_rows (res, read_event) : NULL;
}

/* One pass over the timestamp index: width_bucket() names each event's
 * period from the array of bounds (1 for the first). */
static GPtrArray *
pg_count_events_by_period (SynStore *store, const SynEventQuery *query, const gint64 *bounds, guint n_bounds,
                           SynEventSplit split, GError **error)
{
  static const char * const keys[] = { "''", "event_type", "COALESCE(discipline, '')" };
  SynPgStore *self = SYN_PG_STORE (store);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GString) array = g_string_new ("{");
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;
  g_auto(SynPgParams) p = { 0 };
  char time[40];
  int bounds_idx;

  if (event_query_conditions (self, query, where, where, &p, error) < 0)
    return NULL;
  for (guint i = 0; i < n_bounds; i++)
    {
      _syn_pg_format_time (bounds[i], time);
      g_string_append_printf (array, "%s\"%s\"", i ? "," : "", time);
    }
  g_string_append_c (array, '}');
  _syn_pg_add_take (&p, g_string_free (g_steal_pointer (&array), FALSE));
  bounds_idx = p.n;
  sql = g_strdup_printf ("SELECT width_bucket(\"timestamp\", $%d::timestamptz[]) - 1, %s, count(*) "
                         "FROM workflow_events%s AND \"timestamp\" >= ($%d::timestamptz[])[1] "
                         "AND \"timestamp\" < ($%d::timestamptz[])[%u] GROUP BY 1, 2",
                         bounds_idx, keys[split], where->str, bounds_idx, bounds_idx, n_bounds);
  if (!(res = _syn_pg_exec (self, sql, &p, FALSE, error)))
    return NULL;
  for (int row = 0; row < PQntuples (res); row++)
    g_ptr_array_add (counts, syn_period_count_new ((guint) _syn_pg_col_int (res, row, 0), PQgetvalue (res, row, 1),
                                                   (guint64) _syn_pg_col_int (res, row, 2)));
  return g_steal_pointer (&counts);
}

/* Whole minutes from the per-minute counts: each period's range of minutes
 * (three arrays: period, lo, hi) walks the counts' primary key. */
static GPtrArray *
pg_count_event_minutes (SynStore *store, const SynEventQuery *query, const gint64 *periods, guint n_periods,
                        SynEventSplit split, GError **error)
{
  static const char * const keys[] = { "''", "c.event_type", "c.discipline" };
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) index = g_string_new ("{");
  g_autoptr(GString) lo = g_string_new ("{");
  g_autoptr(GString) hi = g_string_new ("{");
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGresult) res = NULL;
  g_auto(SynPgParams) p = { 0 };
  const char *n = query->include_rolled_back ? "c.n" : "c.n - c.n_rolled_back";

  for (guint i = 0; i < n_periods; i++)
    if (periods[2 * i] < periods[2 * i + 1])
      {
        const char *sep = index->len > 1 ? "," : "";

        g_string_append_printf (index, "%s%u", sep, i);
        g_string_append_printf (lo, "%s%" G_GINT64_FORMAT, sep, periods[2 * i]);
        g_string_append_printf (hi, "%s%" G_GINT64_FORMAT, sep, periods[2 * i + 1]);
      }
  if (index->len == 1)
    return g_steal_pointer (&counts);
  g_string_append_c (index, '}');
  g_string_append_c (lo, '}');
  g_string_append_c (hi, '}');
  _syn_pg_add_text (&p, index->str);
  _syn_pg_add_text (&p, lo->str);
  _syn_pg_add_text (&p, hi->str);
  _syn_pg_add_text (&p, query->project_id);
  g_string_printf (sql, "SELECT p.i, %s, sum(%s) FROM unnest($1::int[], $2::bigint[], $3::bigint[]) AS p (i, lo, hi) "
                   "JOIN event_minute_counts AS c ON c.project_id = $4 AND c.minute >= p.lo AND c.minute < p.hi",
                   keys[split], n);
  if (query->event_types && query->event_types[0])
    {
      _syn_pg_add_text_array (&p, (const char * const *) query->event_types, g_strv_length (query->event_types));
      g_string_append_printf (sql, " AND c.event_type = ANY ($%d::text[])", p.n);
    }
  if (query->discipline)
    {
      _syn_pg_add_text (&p, query->discipline);
      g_string_append_printf (sql, " AND c.discipline = $%d", p.n);
    }
  g_string_append_printf (sql, " GROUP BY 1, 2 HAVING sum(%s) > 0", n);
  if (!(res = _syn_pg_exec (SYN_PG_STORE (store), sql->str, &p, FALSE, error)))
    return NULL;
  for (int row = 0; row < PQntuples (res); row++)
    g_ptr_array_add (counts, syn_period_count_new ((guint) _syn_pg_col_int (res, row, 0), PQgetvalue (res, row, 1),
                                                   (guint64) _syn_pg_col_int (res, row, 2)));
  return g_steal_pointer (&counts);
}

static GPtrArray *
empty_events (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static GPtrArray *
pg_get_events_by_correlation (SynStore *store, const char *project_id, const char *correlation_id,
                              GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  /* not a UUID: matches nothing, as on SQLite (rather than an error) */
  if (!syn_uuid_is_valid (correlation_id))
    return empty_events ();
  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, correlation_id);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " EVENT_COLS " FROM workflow_events "
                             "WHERE correlation_id = $2 AND project_id = $1 ORDER BY sequence_num",
                             &p, read_event, error);
}

static gpointer
read_event_text (PGresult *res, int row)
{
  SynEventText *e = g_new0 (SynEventText, 1);

  e->position = _syn_pg_col_int (res, row, 0);
  e->sequence_num = _syn_pg_col_int (res, row, 1);
  e->id = _syn_pg_col_text (res, row, 2);
  e->event_type = _syn_pg_col_text (res, row, 3);
  e->aggregate_type = _syn_pg_col_text (res, row, 4);
  e->aggregate_id = _syn_pg_col_text (res, row, 5);
  e->correlation_id = _syn_pg_col_text (res, row, 6);
  e->hash = _syn_pg_col_text (res, row, 7);
  e->payload = _syn_pg_col_text (res, row, 8);
  e->metadata = _syn_pg_col_text (res, row, 9);
  e->user_id = _syn_pg_col_text (res, row, 10);
  e->timestamp = _syn_pg_col_int (res, row, 11);
  if (e->payload == NULL)
    e->payload = g_strdup ("{}");
  return e;
}

/* jsonb gives its own text form (not the canonical one): the replay parses
 * these payloads, as it did every one before. */
static GPtrArray *
pg_list_event_texts_after (SynStore *store, const char *project_id, gint64 after_position, guint limit,
                           GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  GPtrArray *rows;

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_int (&p, after_position);
  if (limit == 0)
    _syn_pg_add_text (&p, NULL);
  else
    _syn_pg_add_int (&p, limit);
  if ((rows = _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT position, sequence_num, id, event_type, "
                                  "aggregate_type, aggregate_id, correlation_id, event_hash, payload, metadata, user_id, "
                                  SYN_PG_USEC ("\"timestamp\"") " FROM workflow_events WHERE project_id = $1 AND position > $2 "
                                  "ORDER BY position LIMIT $3", &p, read_event_text, error)))
    g_ptr_array_set_free_func (rows, (GDestroyNotify) syn_event_text_free);
  return rows;
}

static GPtrArray *
pg_list_events_after (SynStore *store, const char *project_id, gint64 after_position, guint limit,
                      GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_int (&p, after_position);
  if (limit == 0)
    _syn_pg_add_text (&p, NULL);
  else
    _syn_pg_add_int (&p, limit);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " EVENT_COLS " FROM workflow_events "
                             "WHERE project_id = $1 AND position > $2 ORDER BY position LIMIT $3",
                             &p, read_event, error);
}

static SynEvent *
pg_get_event (SynStore *store, const char *event_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  if (!syn_uuid_is_valid (event_id))
    return NULL;
  _syn_pg_add_text (&p, event_id);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " EVENT_COLS " FROM workflow_events WHERE id = $1",
                            &p, read_event, error);
}

/* One row, whatever the batch's size: the events are not rewritten. */
static gboolean
pg_mark_batch_rolled_back (SynStore *store, const char *project_id, const char *correlation_id,
                           const char *rollback_correlation_id, gint64 when, guint64 *n_events, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  SynRolledBackBatch b = { project_id, correlation_id, rollback_correlation_id, when };
  gint64 count = 0, first = 0, last = 0;
  gboolean written = FALSE;

  if (n_events != NULL)
    *n_events = 0;
  if (!syn_uuid_is_valid (correlation_id))
    return TRUE;
  if (!batch_extent (self, correlation_id, &count, &first, &last, error) ||
      !write_rolled_back (self, &b, FALSE, count, first, last, &written, error))
    return FALSE;
  if (n_events != NULL)
    *n_events = written ? (guint64) count : 0;
  return TRUE;
}

static GPtrArray *
pg_list_later_batches (SynStore *store, const char *project_id, const char *aggregate_type,
                       const char * const *aggregate_ids, guint n_ids, gint64 after_position,
                       GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  /* correlation id -> its newest matching position */
  g_autoptr(GHashTable) newest = _syn_store_later_batches_new ();

  for (guint start = 0; start < n_ids; start += LATER_BATCHES_CHUNK)
    {
      guint n = MIN (LATER_BATCHES_CHUNK, n_ids - start);
      g_auto(SynPgParams) p = { 0 };
      g_autoptr(PGresult) res = NULL;

      _syn_pg_add_text (&p, aggregate_type);
      _syn_pg_add_int (&p, after_position);
      _syn_pg_add_text (&p, project_id);
      _syn_pg_add_text_array (&p, aggregate_ids + start, n);
      /* Served by ix_workflow_events_aggregate_lookup: one seek per id, then
       * the position range. */
      res = _syn_pg_exec (self, "SELECT correlation_id, max(position) FROM workflow_events "
                                "WHERE aggregate_type = $1 AND aggregate_id = ANY ($4::text[]) "
                                "AND position > $2 AND project_id = $3 AND " SYN_STORE_NOT_ROLLED_BACK ("workflow_events") " "
                                "GROUP BY correlation_id", &p, FALSE, error);
      if (res == NULL)
        return NULL;
      for (int row = 0; row < PQntuples (res); row++)
        _syn_store_later_batch_seen (newest, PQgetvalue (res, row, 0), _syn_pg_col_int (res, row, 1));
    }

  return _syn_store_later_batches_sorted (newest);
}

/* Walks the rule's events (the project+rule index) newest first and reads the
 * source from the payload: explain asks this for one asset at a time. */
static SynEvent *
pg_find_latest_rule_event (SynStore *store, const char *project_id, const char *rule_id,
                           const char *source_asset_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, rule_id);
  _syn_pg_add_text (&p, source_asset_id);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " EVENT_COLS " FROM workflow_events "
                            "WHERE project_id = $1 AND rule_id = $2 AND " SYN_STORE_NOT_ROLLED_BACK ("workflow_events") " "
                            "AND event_type IN ('RULE_EXECUTED', 'RULE_SKIPPED', 'RULE_ERROR') "
                            "AND payload->>'source_asset_id' = $3 ORDER BY position DESC LIMIT 1",
                            &p, read_event, error);
}

static GPtrArray *
pg_get_events_by_sequence (SynStore *store, const char *project_id, const char *correlation_id,
                           gint64 first_seq, gint64 last_seq, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  if (!syn_uuid_is_valid (correlation_id))
    return empty_events ();
  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, correlation_id);
  _syn_pg_add_int (&p, first_seq);
  _syn_pg_add_int (&p, last_seq);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " EVENT_COLS " FROM workflow_events "
                             "WHERE correlation_id = $2 AND sequence_num BETWEEN $3 AND $4 "
                             "AND project_id = $1 ORDER BY sequence_num", &p, read_event, error);
}

/* ------------------------------------------------------------------------- */
/* Snapshots                                                                 */

#define SNAPSHOT_COLS "id, correlation_id, project_id, snapshot_data, events_count, status, " \
                      SYN_PG_USEC ("executed_at") ", " SYN_PG_USEC ("rolled_back_at") ", rolled_back_by"

static gpointer
read_snapshot (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_snapshot_row);
}

static gboolean
pg_insert_snapshot (SynStore *store, SynSnapshot *snapshot, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  if (snapshot->id == NULL)
    snapshot->id = syn_uuid_new ();
  if (snapshot->status == NULL)
    snapshot->status = g_strdup (SYN_SNAPSHOT_ACTIVE);
  if (snapshot->executed_at == 0)
    snapshot->executed_at = syn_time_now_usec ();
  _syn_pg_add_text (&p, snapshot->id);
  _syn_pg_add_text (&p, snapshot->correlation_id);
  _syn_pg_add_text (&p, snapshot->project_id);
  _syn_pg_add_json (&p, snapshot->snapshot_data, "{}");
  _syn_pg_add_int (&p, snapshot->events_count);
  _syn_pg_add_text (&p, snapshot->status);
  _syn_pg_add_time (&p, snapshot->executed_at, FALSE);
  _syn_pg_add_time (&p, snapshot->rolled_back_at, TRUE);
  _syn_pg_add_text (&p, snapshot->rolled_back_by);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO execution_snapshots (id, correlation_id, "
                          "project_id, snapshot_data, events_count, status, executed_at, rolled_back_at, "
                          "rolled_back_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", &p, error);
}

static SynSnapshot *
pg_get_snapshot (SynStore *store, const char *project_id, const char *correlation_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  if (!syn_uuid_is_valid (correlation_id))
    return NULL;
  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, correlation_id);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " SNAPSHOT_COLS " FROM execution_snapshots "
                            "WHERE project_id = $1 AND correlation_id = $2", &p, read_snapshot, error);
}

static gboolean
snapshot_not_found (const char *correlation_id, GError **error)
{
  g_set_error (error, SYN_STORE_ERROR, SYN_STORE_ERROR_NOT_FOUND,
               "No snapshot for batch with id %s", correlation_id ? correlation_id : "(null)");
  return FALSE;
}

static gboolean
pg_update_snapshot_events_count (SynStore *store, const char *project_id, const char *correlation_id,
                                 gint64 events_count, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  if (!syn_uuid_is_valid (correlation_id))
    return snapshot_not_found (correlation_id, error);
  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, correlation_id);
  _syn_pg_add_int (&p, events_count);
  res = _syn_pg_exec (SYN_PG_STORE (store), "UPDATE execution_snapshots SET events_count = $3 "
                      "WHERE project_id = $1 AND correlation_id = $2", &p, TRUE, error);
  return res != NULL && _syn_pg_require_changed (res, "snapshot for batch", correlation_id, error);
}

static gboolean
pg_mark_snapshot_rolled_back (SynStore *store, const char *project_id, const char *correlation_id,
                              const char *user_id, gint64 when, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  if (!syn_uuid_is_valid (correlation_id))
    return snapshot_not_found (correlation_id, error);
  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_text (&p, correlation_id);
  _syn_pg_add_time (&p, when != 0 ? when : syn_time_now_usec (), FALSE);
  _syn_pg_add_text (&p, user_id);
  res = _syn_pg_exec (SYN_PG_STORE (store), "UPDATE execution_snapshots SET status = 'ROLLED_BACK', "
                      "rolled_back_at = $3, rolled_back_by = $4 WHERE project_id = $1 AND correlation_id = $2",
                      &p, TRUE, error);
  return res != NULL && _syn_pg_require_changed (res, "snapshot for batch", correlation_id, error);
}

static GPtrArray *
pg_list_snapshots (SynStore *store, const char *project_id, gboolean active_only, guint limit,
                   GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_bool (&p, active_only);
  if (limit == 0)
    _syn_pg_add_text (&p, NULL);
  else
    _syn_pg_add_int (&p, limit);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT " SNAPSHOT_COLS " FROM execution_snapshots "
                             "WHERE project_id = $1 AND (NOT $2::boolean OR status = 'ACTIVE') "
                             "ORDER BY executed_at DESC, seq DESC LIMIT $3", &p, read_snapshot, error);
}

/* ------------------------------------------------------------------------- */
/* Executions                                                                */

#define EXECUTION_COLS "execution_id, project_id, correlation_id, mode, filters, status, user_id, " \
                       SYN_PG_USEC ("started_at") ", " SYN_PG_USEC ("finished_at") ", summary, error"

static gpointer
read_execution (PGresult *res, int row)
{
  return _syn_pg_read_row (res, row, &_syn_execution_row);
}

static void
add_execution (SynPgParams *p, SynExecution *x)
{
  _syn_pg_add_text (p, x->execution_id);
  _syn_pg_add_text (p, x->project_id);
  _syn_pg_add_text (p, x->correlation_id);
  _syn_pg_add_text (p, x->mode ? x->mode : "execute");
  _syn_pg_add_json (p, x->filters, NULL);
  _syn_pg_add_text (p, x->status);
  _syn_pg_add_text (p, x->user_id);
  _syn_pg_add_time (p, x->started_at, FALSE);
  _syn_pg_add_time (p, x->finished_at, TRUE);
  _syn_pg_add_json (p, x->summary, NULL);
  _syn_pg_add_text (p, x->error);
}

static gboolean
pg_insert_execution (SynStore *store, SynExecution *execution, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  if (execution->execution_id == NULL)
    execution->execution_id = syn_uuid_new ();
  if (execution->started_at == 0)
    execution->started_at = syn_time_now_usec ();
  add_execution (&p, execution);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO executions (execution_id, project_id, "
                          "correlation_id, mode, filters, status, user_id, started_at, finished_at, summary, "
                          "error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", &p, error);
}

static gboolean
pg_update_execution (SynStore *store, SynExecution *execution, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  add_execution (&p, execution);
  res = _syn_pg_exec (SYN_PG_STORE (store), "UPDATE executions SET project_id = $2, correlation_id = $3, "
                      "mode = $4, filters = $5, status = $6, user_id = $7, started_at = $8, "
                      "finished_at = $9, summary = $10, error = $11 WHERE execution_id = $1", &p, TRUE, error);
  return res != NULL && _syn_pg_require_changed (res, "execution", execution->execution_id, error);
}

static SynExecution *
pg_get_execution (SynStore *store, const char *execution_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, execution_id);
  return _syn_pg_query_one (SYN_PG_STORE (store), "SELECT " EXECUTION_COLS " FROM executions "
                            "WHERE execution_id = $1", &p, read_execution, error);
}

static GPtrArray *
pg_list_executions (SynStore *store, const char *project_id, guint64 offset, guint limit,
                    guint64 *total, GError **error)
{
  SynPgStore *self = SYN_PG_STORE (store);
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  if (total != NULL &&
      !_syn_pg_query_count (self, "SELECT count(*) FROM executions WHERE project_id = $1", &p, total, error))
    return NULL;
  if (limit == 0)
    _syn_pg_add_text (&p, NULL);
  else
    _syn_pg_add_int (&p, limit);
  _syn_pg_add_int (&p, (gint64) MIN (offset, (guint64) G_MAXINT64));
  return _syn_pg_query_rows (self, "SELECT " EXECUTION_COLS " FROM executions WHERE project_id = $1 "
                             "ORDER BY started_at DESC, seq DESC LIMIT $2 OFFSET $3", &p, read_execution, error);
}

/* ------------------------------------------------------------------------- */
/* The rule findings log and legacy projects                                 */

static gpointer
read_finding (PGresult *res, int row)
{
  SynFinding *f = syn_finding_new ();

  f->event_id = _syn_pg_col_text (res, row, 0);
  f->project_id = _syn_pg_col_text (res, row, 1);
  f->rule_id = _syn_pg_col_text (res, row, 2);
  f->source_asset_id = _syn_pg_col_text (res, row, 3);
  f->digest = _syn_pg_col_text (res, row, 4);
  f->position = g_ascii_strtoll (PQgetvalue (res, row, 5), NULL, 10);
  return f;
}

static gboolean
pg_insert_finding (SynStore *store, SynFinding *finding, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, finding->event_id);
  _syn_pg_add_text (&p, finding->project_id);
  _syn_pg_add_text (&p, finding->rule_id);
  _syn_pg_add_text (&p, finding->source_asset_id);
  _syn_pg_add_text (&p, finding->digest);
  return _syn_pg_write_behind (SYN_PG_STORE (store), "INSERT INTO rule_findings (event_id, project_id, rule_id, "
                               "source_asset_id, digest) VALUES ($1, $2, $3, $4, $5)", &p, NULL, NULL, NULL, error);
}

static GPtrArray *
pg_list_findings (SynStore *store, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT f.event_id, f.project_id, f.rule_id, "
                             "f.source_asset_id, f.digest, e.position FROM rule_findings f "
                             "JOIN workflow_events e ON e.id = f.event_id WHERE f.project_id = $1 "
                             "AND " SYN_STORE_NOT_ROLLED_BACK ("e") " ORDER BY e.position", &p, read_finding, error);
}

static GPtrArray *
pg_list_findings_between (SynStore *store, const char *project_id, gint64 after, gint64 until, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_int (&p, after);
  _syn_pg_add_int (&p, until);
  return _syn_pg_query_rows (SYN_PG_STORE (store), "SELECT f.event_id, f.project_id, f.rule_id, "
                             "f.source_asset_id, f.digest, e.position FROM rule_findings f "
                             "JOIN workflow_events e ON e.id = f.event_id WHERE f.project_id = $1 "
                             "AND e.position > $2 AND e.position <= $3 ORDER BY e.position", &p, read_finding, error);
}

static gboolean
pg_is_legacy_project (SynStore *store, const char *project_id, gboolean *is_legacy, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  guint64 n = 0;

  _syn_pg_add_text (&p, project_id);
  if (!_syn_pg_query_count (SYN_PG_STORE (store), "SELECT count(*) FROM legacy_derivations WHERE project_id = $1",
                            &p, &n, error))
    return FALSE;
  *is_legacy = n > 0;
  return TRUE;
}

static gboolean
pg_clear_legacy_project (SynStore *store, const char *project_id, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "DELETE FROM legacy_derivations WHERE project_id = $1", &p, error);
}

static gboolean
pg_get_derive_mark (SynStore *store, const char *project_id, gint64 *position, char **rules_digest,
                    JsonNode **summary, GError **error)
{
  g_auto(SynPgParams) p = { 0 };
  g_autoptr(PGresult) res = NULL;

  _syn_pg_add_text (&p, project_id);
  if (!(res = _syn_pg_exec (SYN_PG_STORE (store), "SELECT position, rules_digest, summary FROM derive_marks "
                            "WHERE project_id = $1", &p, TRUE, error)))
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *position = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      *rules_digest = _syn_pg_col_text (res, 0, 1);
      *summary = _syn_pg_col_json (res, 0, 2);
    }
  return TRUE;
}

static gboolean
pg_set_derive_mark (SynStore *store, const char *project_id, gint64 position, const char *rules_digest,
                    JsonNode *summary, GError **error)
{
  g_auto(SynPgParams) p = { 0 };

  _syn_pg_add_text (&p, project_id);
  _syn_pg_add_int (&p, position);
  _syn_pg_add_text (&p, rules_digest);
  _syn_pg_add_json (&p, summary, NULL);
  return _syn_pg_exec_ok (SYN_PG_STORE (store), "INSERT INTO derive_marks (project_id, position, rules_digest, "
                          "summary) VALUES ($1, $2, $3, $4) ON CONFLICT (project_id) DO UPDATE SET "
                          "position = $2, rules_digest = $3, summary = $4", &p, error);
}

void
_syn_pg_store_events_iface_init (SynStoreInterface *iface)
{
  iface->append_events = pg_append_events;
  iface->query_events = pg_query_events;
  iface->count_events_by_period = pg_count_events_by_period;
  iface->count_event_minutes = pg_count_event_minutes;
  iface->get_events_by_correlation = pg_get_events_by_correlation;
  iface->list_events_after = pg_list_events_after;
  iface->list_event_texts_after = pg_list_event_texts_after;
  iface->get_event = pg_get_event;
  iface->mark_batch_rolled_back = pg_mark_batch_rolled_back;
  iface->list_later_batches = pg_list_later_batches;
  iface->find_latest_rule_event = pg_find_latest_rule_event;
  iface->get_events_by_sequence = pg_get_events_by_sequence;
  iface->insert_snapshot = pg_insert_snapshot;
  iface->get_snapshot = pg_get_snapshot;
  iface->update_snapshot_events_count = pg_update_snapshot_events_count;
  iface->mark_snapshot_rolled_back = pg_mark_snapshot_rolled_back;
  iface->list_snapshots = pg_list_snapshots;
  iface->insert_execution = pg_insert_execution;
  iface->update_execution = pg_update_execution;
  iface->get_execution = pg_get_execution;
  iface->list_executions = pg_list_executions;
  iface->insert_finding = pg_insert_finding;
  iface->list_findings = pg_list_findings;
  iface->list_findings_between = pg_list_findings_between;
  iface->is_legacy_project = pg_is_legacy_project;
  iface->clear_legacy_project = pg_clear_legacy_project;
  iface->get_derive_mark = pg_get_derive_mark;
  iface->set_derive_mark = pg_set_derive_mark;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-event-store.c: appends, timeline page and asset history at a million events, against raw
 * inserts of the same rows into the same table (SQLite: prepared INSERT; PostgreSQL: COPY).
 * --db URI (or $SYNAPSE_BENCH_DB) runs it on PostgreSQL; --db postgresql on a throwaway cluster. */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/syn-event-store.h"
#include "bench-pg.h"
#include "store/syn-store.h"

static const char *disciplines[] = { "ELECTRICAL", "AUTOMATION", "MECHANICAL", "PROCESS", "PIPING", "INSTRUMENTATION" };
#define N_ASSETS 100000

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static JsonNode *
make_payload (guint64 i)
{
  JsonObject *o = json_object_new ();
  JsonObject *props = json_object_new ();

  json_object_set_string_member (o, "tag", "210-PP-001");
  json_object_set_string_member (o, "type", "PUMP");
  json_object_set_int_member (props, "hp", (gint64) (i % 200));
  json_object_set_string_member (props, "pump_type", "CENTRIFUGAL");
  json_object_set_object_member (o, "properties", props);
  return syn_json_node_new_object (o);
}

/* The event of index @i: a fixed mix over types, disciplines and assets. */
static void
event_fields (guint64 i, const char **type, const char **discipline, char *agg_id, gsize agg_len)
{
  const char * const *types = syn_event_types ();

  *type = types[i % 18];
  *discipline = disciplines[(i / 18) % G_N_ELEMENTS (disciplines)];
  g_snprintf (agg_id, agg_len, "asset-%06" G_GUINT64_FORMAT, (i * 7919) % N_ASSETS);
}

static double
append_ours (SynStore *store, const char *project_id, guint64 n, guint batch)
{
  g_autoptr(SynEventStore) es = syn_event_store_new (store, project_id, NULL);
  gint64 start = g_get_monotonic_time ();

  for (guint64 i = 0; i < n; i += batch)
    {
      g_autoptr(GError) error = NULL;

      syn_event_store_start_batch (es, &error);
      for (guint64 j = i; j < i + batch && j < n; j++)
        {
          const char *type, *discipline;
          char agg_id[32];
          g_autoptr(SynEvent) e = NULL;

          event_fields (j, &type, &discipline, agg_id, sizeof agg_id);
          e = syn_event_store_emit (es, type, SYN_AGGREGATE_ASSET, agg_id, make_payload (j), NULL,
                                    discipline, NULL, NULL, &error);
          g_assert_no_error (error);
        }
      if (!syn_event_store_commit_batch (es, &error))
        g_error ("%s", error->message);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The same rows, prepared ahead per batch, inserted with a bare prepared statement. */
static double
append_raw (const char *path, const char *project_id, guint64 n, guint batch)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  double seconds = 0;
  char **ids = g_new0 (char *, batch);
  char **payloads = g_new0 (char *, batch);
  char **corr = g_new0 (char *, 1);

  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                    "PRAGMA cache_size=-65536", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO workflow_events (id, event_type, aggregate_type, aggregate_id, project_id, "
                          "rule_id, discipline, payload, metadata, correlation_id, causation_id, sequence_num, "
                          "user_id, timestamp, is_rolled_back) VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, '{}', ?8, "
                          "NULL, ?9, NULL, ?10, 0)", -1, &stmt, NULL);
  for (guint64 i = 0; i < n; i += batch)
    {
      guint count = (guint) MIN ((guint64) batch, n - i);
      gint64 start;

      for (guint k = 0; k < count; k++)
        {
          g_autoptr(JsonNode) p = make_payload (i + k);
          ids[k] = g_uuid_string_random ();
          payloads[k] = json_to_string (p, FALSE);
        }
      corr[0] = g_uuid_string_random ();

      start = g_get_monotonic_time ();
      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      for (guint k = 0; k < count; k++)
        {
          const char *type, *discipline;
          char agg_id[32];

          event_fields (i + k, &type, &discipline, agg_id, sizeof agg_id);
          sqlite3_bind_text (stmt, 1, ids[k], -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, "ASSET", -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, agg_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 5, project_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 6, discipline, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 7, payloads[k], -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 8, corr[0], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 9, k);
          sqlite3_bind_int64 (stmt, 10, g_get_real_time ());
          if (sqlite3_step (stmt) != SQLITE_DONE)
            g_error ("raw insert: %s", sqlite3_errmsg (db));
          sqlite3_reset (stmt);
        }
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      seconds += (g_get_monotonic_time () - start) / 1e6;

      for (guint k = 0; k < count; k++)
        {
          g_free (ids[k]);
          g_free (payloads[k]);
        }
      g_free (corr[0]);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_free (ids);
  g_free (payloads);
  g_free (corr);
  return seconds;
}

static double
time_timeline (SynStore *store, const char *project_id, guint64 offset, guint64 *total_out)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (project_id);
  double samples[50];

  q->discipline = g_strdup ("ELECTRICAL");
  q->event_types = g_strsplit ("ASSET_CREATED,CABLE_CREATED", ",", -1);
  q->limit = 50;
  q->offset = offset;
  for (guint r = 0; r < G_N_ELEMENTS (samples); r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) events = syn_store_query_events (store, q, total_out, &error);

      g_assert_no_error (error);
      if (events->len != MIN (50, *total_out > offset ? *total_out - offset : 0))
        g_error ("timeline page returned %u events of %" G_GUINT64_FORMAT " (%s)", events->len, *total_out, project_id);
      samples[r] = (g_get_monotonic_time () - start) / 1e3;
    }
  return median (samples, G_N_ELEMENTS (samples));
}

static double
time_history (SynStore *store, const char *project_id, guint *events_per_asset)
{
  double samples[50];

  for (guint r = 0; r < G_N_ELEMENTS (samples); r++)
    {
      g_autoptr(GError) error = NULL;
      char agg_id[32];
      gint64 start;
      g_autoptr(GPtrArray) history = NULL;

      g_snprintf (agg_id, sizeof agg_id, "asset-%06u", g_random_int_range (0, N_ASSETS));
      start = g_get_monotonic_time ();
      history = syn_store_get_asset_history (store, project_id, agg_id, &error);
      samples[r] = (g_get_monotonic_time () - start) / 1e3;
      g_assert_no_error (error);
      *events_per_asset = history->len;
    }
  return median (samples, G_N_ELEMENTS (samples));
}

/* One asset's timeline (as the server's asset_id filter asks it), a random
 * asset each time: median over 50. */
static double
time_asset_timeline (SynStore *store, const char *project_id, guint *per_asset)
{
  double samples[50];

  for (guint r = 0; r < G_N_ELEMENTS (samples); r++)
    {
      g_autoptr(SynEventQuery) q = syn_event_query_new (project_id);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = NULL;
      guint64 total = 0;
      gint64 start;

      q->aggregate_types = g_strsplit (SYN_AGGREGATE_ASSET, ",", -1);
      q->aggregate_id = g_strdup_printf ("asset-%06u", g_random_int_range (0, N_ASSETS));
      q->limit = 50;
      start = g_get_monotonic_time ();
      events = syn_store_query_events (store, q, &total, &error);
      samples[r] = (g_get_monotonic_time () - start) / 1e3;
      g_assert_no_error (error);
      *per_asset = (guint) total;
    }
  return median (samples, G_N_ELEMENTS (samples));
}

/* One event type's pages: page 1, the deepest page by number (an offset),
 * and the same page by keyset ("before" the position just above it). */
static void
time_typed_pages (SynStore *store, const char *project_id, double *first_ms, double *deep_ms, double *keyset_ms,
                  guint64 *deep_page)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (project_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) above = NULL;
  double samples[3][20];
  guint64 total = 0;

  q->event_types = g_strsplit (syn_event_types ()[0], ",", -1);
  q->limit = 50;
  g_ptr_array_unref (syn_store_query_events (store, q, &total, &error));
  g_assert_no_error (error);
  *deep_page = MAX (total, 1) / 50 + (total % 50 ? 1 : 0);
  /* the position the keyset page starts below: the last event of the page above */
  q->offset = (*deep_page - 1) * 50 - (*deep_page > 1 ? 1 : 0);
  q->limit = 1;
  above = syn_store_query_events (store, q, &total, &error);
  g_assert_no_error (error);
  q->limit = 50;
  for (guint r = 0; r < 20; r++)
    for (guint k = 0; k < 3; k++)
      {
        g_autoptr(GPtrArray) events = NULL;
        gint64 start;

        q->offset = k == 1 ? (*deep_page - 1) * 50 : 0;
        q->before_position = k == 2 && *deep_page > 1 && above->len ? ((SynEvent *) above->pdata[0])->position : 0;
        start = g_get_monotonic_time ();
        events = syn_store_query_events (store, q, &total, &error);
        samples[k][r] = (g_get_monotonic_time () - start) / 1e3;
        g_assert_no_error (error);
      }
  *first_ms = median (samples[0], 20);
  *deep_ms = median (samples[1], 20);
  *keyset_ms = median (samples[2], 20);
}

/* The timeline chart's counts: 60 periods over the project's life split by
 * discipline, as the view asked them before (a count per period, then one
 * per discipline and period) and in one count by period. */
static void
time_chart (SynStore *store, const char *project_id, double *asked_ms, double *bars_ms, double *one_ms, guint *n_asked)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (project_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) oldest = NULL;
  gint64 bounds[61], start;
  guint64 total = 0;
  double samples[3];

  q->limit = 1;
  newest = syn_store_query_events (store, q, &total, &error);
  g_assert_no_error (error);
  q->offset = total - 1;
  oldest = syn_store_query_events (store, q, NULL, &error);
  g_assert_no_error (error);
  q->offset = 0;
  /* as the desktop chart asks them: periods of whole minutes (the shortest
   * step that covers the project's life in 60), starting on a minute */
  {
    const gint64 minute = 60 * G_USEC_PER_SEC;
    gint64 first = ((SynEvent *) oldest->pdata[0])->timestamp / minute * minute;
    gint64 span = ((SynEvent *) newest->pdata[0])->timestamp + 1 - first;
    gint64 step = MAX ((span + 60 * minute - 1) / (60 * minute), 1) * minute;

    for (guint i = 0; i <= 60; i++)
      bounds[i] = first + step * i;
  }

  *n_asked = 0;
  start = g_get_monotonic_time ();
  for (guint k = 0; k <= G_N_ELEMENTS (disciplines); k++)
    for (guint i = 0; i < 60; i++)
      {
        g_autoptr(GPtrArray) page = NULL;

        g_clear_pointer (&q->discipline, g_free);
        q->discipline = k > 0 ? g_strdup (disciplines[k - 1]) : NULL;
        q->has_from_date = q->has_to_date = TRUE;
        q->from_date = bounds[i];
        q->to_date = bounds[i + 1] - 1;
        page = syn_store_query_events (store, q, &total, &error);
        g_assert_no_error (error);
        (*n_asked)++;
      }
  *asked_ms = (g_get_monotonic_time () - start) / 1e3;

  g_clear_pointer (&q->discipline, g_free);
  q->has_from_date = q->has_to_date = FALSE;
  for (guint split = 0; split < 2; split++)
    {
      for (guint r = 0; r < G_N_ELEMENTS (samples); r++)
        {
          g_autoptr(GPtrArray) counts = NULL;

          start = g_get_monotonic_time ();
          counts = syn_store_count_events_by_period (store, q, bounds, 61,
                                                     split ? SYN_EVENT_SPLIT_DISCIPLINE : SYN_EVENT_SPLIT_NONE, &error);
          samples[r] = (g_get_monotonic_time () - start) / 1e3;
          g_assert_no_error (error);
        }
      *(split ? one_ms : bars_ms) = median (samples, G_N_ELEMENTS (samples));
    }
}

static void
print_access_paths (SynStore *store, const char *project_id)
{
  double chart_asked = 0, chart_bars = 0, chart_one = 0;
  guint n_asked = 0;
  double first, deep, keyset, asset;
  guint64 deep_page = 0;
  guint per_asset = 0;

  asset = time_asset_timeline (store, project_id, &per_asset);
  printf ("timeline of one asset (asset_id, %u events, with total): median %.3f ms over 50 runs  (goal < 5 ms)\n",
          per_asset, asset);
  time_typed_pages (store, project_id, &first, &deep, &keyset, &deep_page);
  printf ("timeline of one event type (%s), 50 rows with total:\n", syn_event_types ()[0]);
  printf ("  page 1:                        median %.3f ms over 20 runs\n", first);
  printf ("  page %-8" G_GUINT64_FORMAT " (the last, by number): median %.3f ms over 20 runs  (goal <= 20 ms)\n",
          deep_page, deep);
  printf ("  the same page by keyset:       median %.3f ms over 20 runs  (goal: page 1's speed)\n", keyset);
  time_chart (store, project_id, &chart_asked, &chart_bars, &chart_one, &n_asked);
  printf ("timeline chart, 60 periods split by discipline:\n");
  printf ("  a count per period and series (%u counts): %.1f ms\n", n_asked, chart_asked);
  printf ("  one count by period, the bars:             %.1f ms, median of 3  (goal: chart < 200 ms)\n", chart_bars);
  printf ("  one count by period, split by discipline:  %.1f ms, median of 3\n", chart_one);
}

/* --- PostgreSQL ------------------------------------------------------------ */

static char *
pg_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");

  return g_strdup_printf ("%s.%06d+00", seconds, (int) (usec % G_USEC_PER_SEC));
}

/* One batch of the raw rows, prepared ahead: every method below sends the same
 * values for the same table; only the way differs. */
typedef struct
{
  guint      count;
  char      *corr;
  GPtrArray *ids, *types, *disciplines, *agg_ids, *payloads, *times;
} RawBatch;

static void
raw_batch_fill (RawBatch *rb, guint64 first, guint count)
{
  rb->count = count;
  /* the ids SynEventStore gives (time-ordered UUIDs): the same rows, the same index work */
  rb->corr = syn_uuid_new ();
  rb->ids = g_ptr_array_new_with_free_func (g_free);
  rb->types = g_ptr_array_new ();
  rb->disciplines = g_ptr_array_new ();
  rb->agg_ids = g_ptr_array_new_with_free_func (g_free);
  rb->payloads = g_ptr_array_new_with_free_func (g_free);
  rb->times = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < count; k++)
    {
      g_autoptr(JsonNode) p = make_payload (first + k);
      const char *type, *discipline;
      char agg_id[32];

      event_fields (first + k, &type, &discipline, agg_id, sizeof agg_id);
      g_ptr_array_add (rb->ids, syn_uuid_new ());
      g_ptr_array_add (rb->types, (gpointer) type);
      g_ptr_array_add (rb->disciplines, (gpointer) discipline);
      g_ptr_array_add (rb->agg_ids, g_strdup (agg_id));
      g_ptr_array_add (rb->payloads, json_to_string (p, FALSE));
      g_ptr_array_add (rb->times, pg_time (g_get_real_time ()));
    }
}

static void
raw_batch_clear (RawBatch *rb)
{
  g_free (rb->corr);
  g_ptr_array_unref (rb->ids);
  g_ptr_array_unref (rb->types);
  g_ptr_array_unref (rb->disciplines);
  g_ptr_array_unref (rb->agg_ids);
  g_ptr_array_unref (rb->payloads);
  g_ptr_array_unref (rb->times);
}

#define RAW_COLS "id, event_type, aggregate_type, aggregate_id, project_id, rule_id, discipline, payload, " \
                 "metadata, correlation_id, causation_id, sequence_num, user_id, \"timestamp\", is_rolled_back"

/* COPY text of row @k (the payloads hold no character COPY escapes). */
static void
raw_copy_row (GString *out, RawBatch *rb, guint k, const char *project_id)
{
  g_string_append_printf (out, "%s\t%s\tASSET\t%s\t%s\t\\N\t%s\t%s\t{}\t%s\t\\N\t%u\t\\N\t%s\tf\n",
                          (char *) rb->ids->pdata[k], (char *) rb->types->pdata[k],
                          (char *) rb->agg_ids->pdata[k], project_id, (char *) rb->disciplines->pdata[k],
                          (char *) rb->payloads->pdata[k], rb->corr, k, (char *) rb->times->pdata[k]);
}

typedef enum {
  METHOD_COPY,           /* the baseline: COPY, positions from the identity */
  METHOD_COPY_RESERVED,  /* what the store does: nextval() for the batch, then COPY with them */
  METHOD_UNNEST,         /* one INSERT ... SELECT FROM unnest(arrays) RETURNING position */
  METHOD_PIPELINE,       /* one INSERT ... RETURNING per row, pipelined, one sync per batch */
  METHOD_ROUND_TRIPS,    /* one INSERT ... RETURNING per row, each awaited */
} RawMethod;

static void
array_literal (GString *out, GPtrArray *values, const char *fixed, guint count)
{
  g_string_append_c (out, '{');
  for (guint k = 0; k < count; k++)
    {
      const char *v = fixed ? fixed : values->pdata[k];

      if (k > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      for (const char *c = v; *c; c++)
        {
          if (*c == '"' || *c == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
}

static void
check (PGresult *res, ExecStatusType want, const char *what)
{
  if (PQresultStatus (res) != want)
    g_error ("%s: %s", what, PQresultErrorMessage (res));
  PQclear (res);
}

/* Appends @n raw rows in batches, one transaction each; the time of the sends alone. */
static double
append_raw_pg (const char *uri, const char *project_id, guint64 n, guint batch, RawMethod method)
{
  PGconn *conn = bench_pg_connect (uri);
  double seconds = 0;

  check (PQprepare (conn, "one", "INSERT INTO workflow_events (id, event_type, aggregate_type, aggregate_id, "
                    "project_id, discipline, payload, metadata, correlation_id, sequence_num, \"timestamp\", "
                    "is_rolled_back) VALUES ($1, $2, 'ASSET', $3, $4, $5, $6, '{}', $7, $8, $9, false) "
                    "RETURNING position", 0, NULL), PGRES_COMMAND_OK, "prepare");
  check (PQprepare (conn, "unnest", "INSERT INTO workflow_events (id, event_type, aggregate_type, aggregate_id, "
                    "project_id, discipline, payload, metadata, correlation_id, sequence_num, \"timestamp\", "
                    "is_rolled_back) SELECT id, t, 'ASSET', a, $4, d, p, '{}', $7, s - 1, ts, false "
                    "FROM unnest ($1::uuid[], $2::text[], $3::text[], $5::text[], $6::jsonb[], $8::timestamptz[]) "
                    "WITH ORDINALITY AS r (id, t, a, d, p, ts, s) RETURNING position", 0, NULL),
         PGRES_COMMAND_OK, "prepare");
  check (PQprepare (conn, "reserve", "SELECT nextval('workflow_events_position_seq') "
                    "FROM generate_series(1, $1::int)", 0, NULL), PGRES_COMMAND_OK, "prepare");

  for (guint64 i = 0; i < n; i += batch)
    {
      RawBatch rb = { 0 };
      g_autoptr(GString) text = g_string_new (NULL);
      GString *arrays[6] = { NULL };
      gint64 start;

      raw_batch_fill (&rb, i, (guint) MIN ((guint64) batch, n - i));
      if (method == METHOD_COPY)
        for (guint k = 0; k < rb.count; k++)
          raw_copy_row (text, &rb, k, project_id);
      if (method == METHOD_UNNEST)
        {
          GPtrArray *lists[6] = { rb.ids, rb.types, rb.agg_ids, rb.disciplines, rb.payloads, rb.times };

          for (guint a = 0; a < 6; a++)
            {
              arrays[a] = g_string_new (NULL);
              array_literal (arrays[a], lists[a], NULL, rb.count);
            }
        }

      start = g_get_monotonic_time ();
      bench_pg_exec (conn, "BEGIN");
      switch (method)
        {
        case METHOD_COPY:
          bench_pg_copy_in (conn, "COPY workflow_events (" RAW_COLS ") FROM STDIN", text->str, text->len);
          break;
        case METHOD_COPY_RESERVED:
          {
            g_autofree char *count = g_strdup_printf ("%u", rb.count);
            const char *values[] = { count };
            PGresult *res = PQexecPrepared (conn, "reserve", 1, values, NULL, NULL, 0);

            if (PQresultStatus (res) != PGRES_TUPLES_OK)
              g_error ("reserve: %s", PQresultErrorMessage (res));
            for (guint k = 0; k < rb.count; k++)
              {
                g_string_append_printf (text, "%s\t", PQgetvalue (res, (int) k, 0));
                raw_copy_row (text, &rb, k, project_id);
              }
            PQclear (res);
            bench_pg_copy_in (conn, "COPY workflow_events (position, " RAW_COLS ") FROM STDIN", text->str, text->len);
          }
          break;
        case METHOD_UNNEST:
          {
            const char *values[] = { arrays[0]->str, arrays[1]->str, arrays[2]->str, project_id,
                                     arrays[3]->str, arrays[4]->str, rb.corr, arrays[5]->str };
            PGresult *res = PQexecPrepared (conn, "unnest", 8, values, NULL, NULL, 0);

            if (PQresultStatus (res) != PGRES_TUPLES_OK || (guint) PQntuples (res) != rb.count)
              g_error ("unnest: %s", PQresultErrorMessage (res));
            PQclear (res);
          }
          break;
        case METHOD_PIPELINE:
        case METHOD_ROUND_TRIPS:
          if (method == METHOD_PIPELINE && !PQenterPipelineMode (conn))
            g_error ("pipeline: %s", PQerrorMessage (conn));
          for (guint k = 0; k < rb.count; k++)
            {
              char seq[16];
              const char *values[] = { rb.ids->pdata[k], rb.types->pdata[k], rb.agg_ids->pdata[k], project_id,
                                       rb.disciplines->pdata[k], rb.payloads->pdata[k], rb.corr, seq,
                                       rb.times->pdata[k] };

              g_snprintf (seq, sizeof seq, "%u", k);
              if (method == METHOD_ROUND_TRIPS)
                {
                  check (PQexecPrepared (conn, "one", 9, values, NULL, NULL, 0), PGRES_TUPLES_OK, "insert");
                  continue;
                }
              if (!PQsendQueryPrepared (conn, "one", 9, values, NULL, NULL, 0))
                g_error ("send: %s", PQerrorMessage (conn));
            }
          if (method == METHOD_PIPELINE)
            {
              PGresult *res;

              if (!PQpipelineSync (conn))
                g_error ("sync: %s", PQerrorMessage (conn));
              for (guint k = 0; k < rb.count; k++)
                {
                  check (PQgetResult (conn), PGRES_TUPLES_OK, "pipelined insert");
                  g_assert_null (PQgetResult (conn));
                }
              res = PQgetResult (conn);
              g_assert_cmpint (PQresultStatus (res), ==, PGRES_PIPELINE_SYNC);
              PQclear (res);
              if (!PQexitPipelineMode (conn))
                g_error ("pipeline: %s", PQerrorMessage (conn));
            }
          break;
        }
      bench_pg_exec (conn, "COMMIT");
      seconds += (g_get_monotonic_time () - start) / 1e6;
      raw_batch_clear (&rb);
      for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
        if (arrays[a] != NULL)
          g_string_free (arrays[a], TRUE);
    }
  PQfinish (conn);
  return seconds;
}

static void
vacuum_analyze (const char *uri)
{
  PGconn *conn = bench_pg_connect (uri);

  bench_pg_exec (conn, "VACUUM (ANALYZE) workflow_events");
  PQfinish (conn);
}

static int
run_postgres (const char *db, guint64 n, guint batch, gboolean alternatives)
{
  const char *server = bench_pg_server (db);
  g_autofree char *ours_name = g_strdup_printf ("synapse_bench_ours_%d", (int) getpid ());
  g_autofree char *raw_name = g_strdup_printf ("synapse_bench_raw_%d", (int) getpid ());
  g_autofree char *ours_uri = NULL;
  g_autofree char *raw_uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autoptr(SynProject) project = syn_project_new ();
  double ours_s, raw_s, t0, t5000, hist;
  guint64 total = 0;
  guint per_asset = 0;

  printf ("Synapse event store benchmark (%s): %" G_GUINT64_FORMAT " events in batches of %u\n",
          bench_pg_server_version (server), n, batch);
  ours_uri = bench_pg_create_database (server, ours_name);
  raw_uri = bench_pg_create_database (server, raw_name);
  project->name = g_strdup ("bench");
  {
    g_autoptr(SynStore) raw_store = syn_store_open (raw_uri, &error);

    g_assert_no_error (error);
    g_assert_true (syn_store_insert_project (raw_store, project, &error));
  }
  store = syn_store_open (ours_uri, &error);
  g_assert_no_error (error);
  g_assert_true (syn_store_insert_project (store, project, &error));

  raw_s = append_raw_pg (raw_uri, project->id, n, batch, METHOD_COPY);
  ours_s = append_ours (store, project->id, n, batch);
  printf ("appends, raw COPY:             %10.0f events/s  (%.2f s)\n", n / raw_s, raw_s);
  printf ("appends, SynEventStore:        %10.0f events/s  (%.2f s)\n", n / ours_s, ours_s);
  printf ("appends ratio (ours / raw):    %10.1f %%   (target >= 50 %%)\n", 100.0 * raw_s / ours_s);

  t0 = time_timeline (store, project->id, 0, &total);
  t5000 = time_timeline (store, project->id, 5000, &total);
  hist = time_history (store, project->id, &per_asset);
  printf ("timeline page (discipline + 2 event types, 50 rows, with total = %" G_GUINT64_FORMAT "), "
          "right after the appends:\n", total);
  printf ("  offset 0:     median %.3f ms over 50 runs  (target < 20 ms)\n", t0);
  printf ("  offset 5000:  median %.3f ms over 50 runs  (target < 20 ms)\n", t5000);
  printf ("asset history (%u events): median %.3f ms over 50 runs\n", per_asset, hist);

  /* what autovacuum does by itself a little later: statistics, visibility map */
  vacuum_analyze (ours_uri);
  t0 = time_timeline (store, project->id, 0, &total);
  t5000 = time_timeline (store, project->id, 5000, &total);
  hist = time_history (store, project->id, &per_asset);
  printf ("after VACUUM (ANALYZE), as autovacuum leaves it:\n");
  printf ("  timeline offset 0:     median %.3f ms  (target < 20 ms)\n", t0);
  printf ("  timeline offset 5000:  median %.3f ms  (target < 20 ms)\n", t5000);
  printf ("  asset history (%u events): median %.3f ms\n", per_asset, hist);
  print_access_paths (store, project->id);
  g_clear_object (&store);

  if (alternatives)
    {
      static const struct { RawMethod method; const char *name; } methods[] = {
        { METHOD_COPY, "COPY (positions from the identity)" },
        { METHOD_COPY_RESERVED, "nextval() reservation + COPY" },
        { METHOD_UNNEST, "INSERT ... unnest() RETURNING" },
        { METHOD_PIPELINE, "pipelined INSERT ... RETURNING" },
        { METHOD_ROUND_TRIPS, "INSERT ... RETURNING per row" },
      };
      guint64 n_alt = MIN (n, 200000);

      printf ("bulk write methods, %" G_GUINT64_FORMAT " events each into a fresh database, batches of %u:\n",
              n_alt, batch);
      for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
        {
          g_autofree char *name = g_strdup_printf ("synapse_bench_alt%u_%d", m, (int) getpid ());
          g_autofree char *uri = bench_pg_create_database (server, name);
          double s;

          {
            g_autoptr(SynStore) alt = syn_store_open (uri, &error);

            g_assert_no_error (error);
            g_assert_true (syn_store_insert_project (alt, project, &error));
          }
          s = append_raw_pg (uri, project->id, n_alt, batch, methods[m].method);
          printf ("  %-36s %10.0f events/s  (%.2f s)\n", methods[m].name, n_alt / s, s);
          bench_pg_drop_database (server, name);
        }
    }

  if (g_getenv ("SYNAPSE_BENCH_KEEP") == NULL)
    {
      bench_pg_drop_database (server, ours_name);
      bench_pg_drop_database (server, raw_name);
    }
  return 0;
}

static int
run_sqlite (guint64 n, guint batch)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("synapse-bench-XXXXXX", &error);
  g_autofree char *ours_path = g_build_filename (dir, "ours.db", NULL);
  g_autofree char *raw_path = g_build_filename (dir, "raw.db", NULL);
  g_autoptr(SynStore) store = NULL;
  g_autoptr(SynProject) project = syn_project_new ();
  double ours_s, raw_s, t0, t5000, hist;
  guint64 total = 0;
  guint per_asset = 0;

  printf ("Synapse event store benchmark (SQLite %s): %" G_GUINT64_FORMAT " events in batches of %u\n",
          sqlite3_libversion (), n, batch);

  /* the raw database: same schema and indexes, same project */
  {
    g_autoptr(SynStore) raw_store = syn_store_open (raw_path, &error);
    g_assert_no_error (error);
    project->name = g_strdup ("bench");
    g_assert_true (syn_store_insert_project (raw_store, project, &error));
  }
  store = syn_store_open (ours_path, &error);
  g_assert_no_error (error);
  g_assert_true (syn_store_insert_project (store, project, &error));

  raw_s = append_raw (raw_path, project->id, n, batch);
  ours_s = append_ours (store, project->id, n, batch);
  printf ("appends, raw prepared INSERT:  %10.0f events/s  (%.2f s)\n", n / raw_s, raw_s);
  printf ("appends, SynEventStore:        %10.0f events/s  (%.2f s)\n", n / ours_s, ours_s);
  printf ("appends ratio (ours / raw):    %10.1f %%   (target >= 50 %%)\n", 100.0 * raw_s / ours_s);

  t0 = time_timeline (store, project->id, 0, &total);
  t5000 = time_timeline (store, project->id, 5000, &total);
  printf ("timeline page (discipline + 2 event types, 50 rows, with total = %" G_GUINT64_FORMAT "):\n", total);
  printf ("  offset 0:     median %.3f ms over 50 runs  (target < 10 ms)\n", t0);
  printf ("  offset 5000:  median %.3f ms over 50 runs  (target < 10 ms)\n", t5000);
  hist = time_history (store, project->id, &per_asset);
  printf ("asset history (%u events): median %.3f ms over 50 runs  (target < 1 ms)\n", per_asset, hist);
  print_access_paths (store, project->id);

  g_clear_object (&store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (g_getenv ("SYNAPSE_BENCH_KEEP") == NULL && system (cmd) != 0)
      g_warning ("could not remove %s", dir);
  }
  return 0;
}

int
main (int argc, char *argv[])
{
  const char *db = bench_db_argument (&argc, argv);
  gboolean alternatives = argc > 1 && strcmp (argv[argc - 1], "--alternatives") == 0;
  guint64 n;

  if (alternatives)
    argc--;
  n = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  if (bench_db_is_postgres (db))
    return run_postgres (db, n, 1000, alternatives);
  return run_sqlite (n, 1000);
}

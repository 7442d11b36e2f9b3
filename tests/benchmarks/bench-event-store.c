/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-event-store.c: appends, timeline page and asset history at a million events,
 * against raw prepared-statement inserts of the same rows into the same table. */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/syn-event-store.h"
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

int
main (int argc, char *argv[])
{
  guint64 n = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  const guint batch = 1000;
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

  g_clear_object (&store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (g_getenv ("SYNAPSE_BENCH_KEEP") == NULL && system (cmd) != 0)
      g_warning ("could not remove %s", dir);
  }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-engine.c: N centrifugal pumps through the demo's motor, voltage and cable rules: dry run,
 * execution and rollback, against raw writes of the rows the batch wrote (SQLite: prepared INSERTs;
 * PostgreSQL: COPY). --db URI (or $SYNAPSE_BENCH_DB) runs it on PostgreSQL; --db postgresql on a
 * throwaway cluster; --quick (first argument) runs only the execution and its rollback.
 * SYNAPSE_BENCH_NO_WRITE_AHEAD set: no state checkpoint written ahead after the commits. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "engine/syn-batch.h"
#include "engine/syn-rollback-service.h"
#include "engine/syn-rule-editor.h"
#include "engine/syn-rule-engine.h"
#include "engine/syn-rule-parser.h"
#include "engine/syn-state-checkpoint.h"
#include "engine/syn-state-hash.h"
#include "bench-pg.h"
#include "store/syn-store.h"

static const char *rules_json =
  "[{\"id\": \"pump-motor\", \"name\": \"FIRM: Centrifugal Pumps require Electric Motor\", \"source\": \"FIRM\","
  "  \"discipline\": \"ELECTRICAL\", \"action_type\": \"CREATE_CHILD\","
  "  \"condition\": {\"asset_type\": [\"PUMP\"], \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]},"
  "  \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
  "              \"discipline\": \"ELECTRICAL\", \"inherit_properties\": [\"hp\", \"area\", \"length_m\"],"
  "              \"properties\": {\"enclosure\": \"TEFC\"}}},"
  " {\"id\": \"ca-600v\", \"name\": \"COUNTRY: Canadian Motors are 600 V\", \"source\": \"COUNTRY\", \"is_enforced\": true,"
  "  \"discipline\": \"ELECTRICAL\", \"action_type\": \"SET_PROPERTY\","
  "  \"condition\": {\"asset_type\": \"MOTOR\", \"project_country\": \"CA\"},"
  "  \"action\": {\"properties\": {\"voltage\": 600}, \"mode\": \"set\"}},"
  " {\"id\": \"motor-cable\", \"name\": \"FIRM: Motors require Power Cable\", \"source\": \"FIRM\","
  "  \"discipline\": \"ELECTRICAL\", \"action_type\": \"CREATE_CABLE\","
  "  \"condition\": {\"asset_type\": \"MOTOR\", \"all\": [{\"key\": \"hp\", \"op\": \"exists\"}]},"
  "  \"action\": {\"naming\": \"{tag}-PWR\", \"to\": \"source\", \"cable_type\": \"TECK90\", \"sizing\": \"auto\"}}]";

static double now_s (void);

/* --quick: the execution and its rollback only (no dry run, raw inserts or
 * living-model runs), for measuring those two at several sizes */
static gboolean quick;

/* A file's size in bytes, 0 when it is not there (a WAL checkpointed away). */
static gint64
file_size (const char *path, const char *suffix)
{
  g_autofree char *name = g_strconcat (path, suffix, NULL);
  GStatBuf st;

  return g_stat (name, &st) == 0 ? (gint64) st.st_size : 0;
}

/* The memory of the run just measured is freed on a thread after its answer:
 * wait for it (not part of the answer's time), so the next measurement does
 * not share the machine with it; returns how long that took. */
static double
cleanup_s (void)
{
  double t = now_s ();

  syn_rule_engine_wait_for_cleanup ();
  return now_s () - t;
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Processor seconds of the process, every thread: on a shared machine
 * what the execution itself cost. */
static double
cpu_s (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static long
peak_rss_mb (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

/* The resident set now (not the peak), from /proc. */
static long
rss_now_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10) / 1024;
}

static void
copy_table (sqlite3 *src, sqlite3 *dst, const char *table, const char *where, const char *corr,
            guint64 *rows)
{
  g_autofree char *select_sql = g_strdup_printf ("SELECT * FROM %s WHERE %s", table, where);
  sqlite3_stmt *sel, *ins;
  g_autoptr(GString) ins_sql = g_string_new (NULL);
  int ncol;

  g_assert_cmpint (sqlite3_prepare_v2 (src, select_sql, -1, &sel, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (sel, 1, corr, -1, SQLITE_STATIC);
  ncol = sqlite3_column_count (sel);
  g_string_append_printf (ins_sql, "INSERT INTO %s VALUES (", table);
  for (int i = 0; i < ncol; i++)
    g_string_append (ins_sql, i ? ", ?" : "?");
  g_string_append (ins_sql, ")");
  g_assert_cmpint (sqlite3_prepare_v2 (dst, ins_sql->str, -1, &ins, NULL), ==, SQLITE_OK);
  while (sqlite3_step (sel) == SQLITE_ROW)
    {
      for (int i = 0; i < ncol; i++)
        sqlite3_bind_value (ins, i + 1, sqlite3_column_value (sel, i));
      if (sqlite3_step (ins) != SQLITE_DONE)
        g_error ("raw insert into %s: %s", table, sqlite3_errmsg (dst));
      sqlite3_reset (ins);
      (*rows)++;
    }
  sqlite3_finalize (sel);
  sqlite3_finalize (ins);
}

/* The same rows (events, motors, cables, edges, snapshot) copied with bare
 * prepared statements into an empty SQLite database of the same schema. */
static double
raw_sqlite (const char *path, const char *raw_path, SynProject *project, const char *corr, guint64 *raw_rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) raw_store = syn_store_open (raw_path, &error);
  sqlite3 *src, *dst;
  double t;

  g_assert_true (syn_store_insert_project (raw_store, project, &error));
  g_clear_object (&raw_store);
  sqlite3_open (path, &src);
  sqlite3_open (raw_path, &dst);
  sqlite3_exec (dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536", NULL, NULL, NULL);
  t = now_s ();
  sqlite3_exec (dst, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  copy_table (src, dst, "assets", "created_by_rule_id IS NOT NULL AND ?1 IS NOT NULL", corr, raw_rows);
  copy_table (src, dst, "cables", "?1 IS NOT NULL", corr, raw_rows);
  copy_table (src, dst, "edges", "?1 IS NOT NULL", corr, raw_rows);
  copy_table (src, dst, "workflow_events", "correlation_id = ?1", corr, raw_rows);
  copy_table (src, dst, "execution_snapshots", "correlation_id = ?1", corr, raw_rows);
  sqlite3_exec (dst, "COMMIT", NULL, NULL, NULL);
  t = now_s () - t;
  sqlite3_close (src);
  sqlite3_close (dst);
  return t;
}

/* PostgreSQL: the same rows, read out first (into files: the process's peak
 * memory stays the engine's), then COPY into an empty database of the same
 * schema and indexes, in one transaction: only that is timed. */
static double
raw_postgres (const char *uri, const char *raw_uri, SynProject *project, const char *corr, guint64 *raw_rows)
{
  /* NULL: the batch's rows (correlation_id) */
  static const char * const tables[][2] = {
    { "assets", "created_by_rule_id IS NOT NULL" },
    { "cables", "true" },
    { "edges", "true" },
    { "workflow_events", NULL },
    { "execution_snapshots", NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) raw_store = syn_store_open (raw_uri, &error);
  g_autofree char *dir = g_dir_make_tmp ("synapse-bench-copy-XXXXXX", &error);
  PGconn *src = bench_pg_connect (uri);
  PGconn *dst = bench_pg_connect (raw_uri);
  double t;

  g_assert_no_error (error);
  g_assert_true (syn_store_insert_project (raw_store, project, &error));
  g_clear_object (&raw_store);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *where = tables[i][1] ? g_strdup (tables[i][1])
                                            : g_strdup_printf ("correlation_id = '%s'", corr);
      g_autofree char *sql = g_strdup_printf ("COPY (SELECT * FROM %s WHERE %s) TO STDOUT", tables[i][0], where);
      g_autofree char *path = g_build_filename (dir, tables[i][0], NULL);

      *raw_rows += bench_pg_copy_out_file (src, sql, path);
    }
  /* the pumps were there before the run: in the raw database too, untimed
   * (the motors' edges point at them, and edges have foreign keys) */
  {
    g_autofree char *path = g_build_filename (dir, "pumps", NULL);

    bench_pg_copy_out_file (src, "COPY (SELECT * FROM assets WHERE created_by_rule_id IS NULL) TO STDOUT", path);
    bench_pg_copy_in_file (dst, "COPY assets FROM STDIN", path);
    g_unlink (path);
  }
  t = now_s ();
  bench_pg_exec (dst, "BEGIN");
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("COPY %s FROM STDIN", tables[i][0]);
      g_autofree char *path = g_build_filename (dir, tables[i][0], NULL);

      bench_pg_copy_in_file (dst, sql, path);
      g_unlink (path);
    }
  bench_pg_exec (dst, "COMMIT");
  t = now_s () - t;
  g_rmdir (dir);
  PQfinish (src);
  PQfinish (dst);
  return t;
}

static guint64
count_events (SynStore *store, const char *project_id)
{
  g_autoptr(SynEventQuery) q = syn_event_query_new (project_id);
  g_autoptr(GPtrArray) page = NULL;
  guint64 total = 0;

  q->limit = 1;
  q->include_rolled_back = TRUE;
  page = syn_store_query_events (store, q, &total, NULL);
  return total;
}

typedef double (*RawFunc) (const char *uri, const char *raw_uri, SynProject *project, const char *corr,
                           guint64 *raw_rows);

static int
run (const char *label, const char *path, const char *raw_path, guint n, RawFunc raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (path, &error);
  g_autoptr(SynProject) project = syn_project_new ();
  g_autoptr(SynRuleEngine) engine = syn_rule_engine_new (path);
  g_autoptr(JsonNode) rules = syn_json_parse (rules_json, -1, &error);
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) dry = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) rollback = NULL;
  g_autofree char *hash_before = NULL;
  g_autofree char *hash_after = NULL;
  gint64 disk_before;
  const char *corr;
  double t, dry_s, exec_s, exec_cpu_s, exec_free_s, rollback_s, raw_s;
  guint64 raw_rows = 0, events;
  long rss_before;

  g_assert_no_error (error);
  printf ("Synapse engine benchmark (%s): %u centrifugal pumps, rules: motor, 600 V, sized cable\n", label, n);
  project->name = g_strdup ("bench");
  project->country = g_strdup ("CA");
  g_assert_true (syn_store_insert_project (store, project, &error));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (rules)); i++)
    {
      g_autoptr(SynRule) rule = syn_rule_parse (json_array_get_object_element (json_node_get_array (rules), i),
                                                project->id, &error);
      g_assert_no_error (error);
      g_assert_true (syn_store_save_rule (store, rule, &error));
    }

  /* the pumps, loaded directly (the import is not what is measured here) */
  g_assert_true (syn_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SynAsset) pump = syn_asset_new ();
      static const int hps[] = { 5, 10, 15, 25, 40, 50, 75, 100, 150, 200 };

      pump->project_id = g_strdup (project->id);
      pump->tag = g_strdup_printf ("%03u-PP-%05u", 100 + (i / 10000), i % 100000);
      pump->type = g_strdup ("PUMP");
      pump->area = g_strdup_printf ("%03u", 100 + (i / 10000));
      json_object_set_string_member (pump->properties, "pump_type", "CENTRIFUGAL");
      json_object_set_int_member (pump->properties, "hp", hps[i % G_N_ELEMENTS (hps)]);
      json_object_set_int_member (pump->properties, "length_m", 20 + (i % 150));
      g_assert_true (syn_store_insert_asset (store, pump, &error));
    }
  g_assert_true (syn_store_commit (store, &error));
  hash_before = syn_state_hash_compute (store, project->id, &error);
  rss_before = peak_rss_mb ();

  json_object_set_string_member (request, "project_id", project->id);
  json_object_set_string_member (request, "mode", "dry_run");
  dry_s = 0;
  if (!quick)
    {
      t = now_s ();
      dry = syn_rule_engine_run (engine, store, NULL, request, NULL, NULL, NULL, NULL, NULL, &error);
      dry_s = now_s () - t;
      g_assert_no_error (error);
      cleanup_s ();
      printf ("  (RSS after the dry run: %ld MB, peak so far %ld MB)\n", rss_now_mb (), peak_rss_mb ());
    }

  json_object_set_string_member (request, "mode", "execute");
  disk_before = file_size (path, "") + file_size (path, "-wal");
  t = now_s ();
  exec_cpu_s = cpu_s ();
  answer = syn_rule_engine_run (engine, store, NULL, request, NULL, NULL, NULL, NULL, NULL, &error);
  exec_s = now_s () - t;
  exec_cpu_s = cpu_s () - exec_cpu_s;
  g_assert_no_error (error);
  exec_free_s = cleanup_s ();
  printf ("  (RSS after the execution: %ld MB, peak so far %ld MB; its processor time %.2f s)\n", rss_now_mb (),
          peak_rss_mb (), exec_cpu_s);
  corr = json_object_get_string_member (json_node_get_object (answer), "correlation_id");
  {
    g_autoptr(SynSnapshot) snap = syn_store_get_snapshot (store, project->id, corr, &error);
    events = snap->events_count;
  }
  if (!strstr (label, "PostgreSQL"))
    {
      gint64 wal = file_size (path, "-wal");
      gint64 growth = file_size (path, "") + wal - disk_before;

      printf ("database growth:    %8.1f MB  (%" G_GINT64_FORMAT " bytes per event with its indexes, WAL included; "
              "goal <= 400)\n", growth / 1e6, events ? growth / (gint64) events : 0);
      printf ("WAL after the run:  %8.1f MB  (goal: checkpointed during and after big batches, no file left at 1 GB)\n",
              wal / 1e6);
    }

  raw_s = quick ? 0 : raw (path, raw_path, project, corr, &raw_rows);

  /* the living model: status, a rerun with nothing to do, a rerun after hp
   * changed on 1 % of the pumps (one batch, as a revised list would be) */
  if (!quick)
    {
      g_autoptr(JsonNode) status = NULL;
      g_autoptr(JsonNode) noop = NULL;
      g_autoptr(JsonNode) rerun = NULL;
      g_autoptr(GPtrArray) pumps = NULL;
      g_autoptr(SynBatch) batch = NULL;
      g_autoptr(JsonNode) status_whole = NULL;
      g_autoptr(JsonNode) status_changed = NULL;
      g_autoptr(JsonNode) settle = NULL;
      g_autofree char *edit_corr = NULL;
      g_autofree char *rule_corr = NULL;
      double status_s, noop_s, rerun_s, status_whole_s, status_changed_s, rerun_free_s;
      guint64 e0, e1, e2, e3;
      guint changed = 0;
      JsonObject *s;

      e0 = count_events (store, project->id);
      t = now_s ();
      status = syn_rule_engine_status (store, project->id, &error);
      status_s = now_s () - t;
      g_assert_no_error (error);
      cleanup_s ();
      g_assert_true (json_object_get_boolean_member (json_node_get_object (status), "up_to_date"));

      t = now_s ();
      noop = syn_rule_engine_run (engine, store, NULL, request, NULL, NULL, NULL, NULL, NULL, &error);
      noop_s = now_s () - t;
      g_assert_no_error (error);
      cleanup_s ();
      e1 = count_events (store, project->id);

      /* a rule changed (its priority: what it makes stays the same): status
       * derives the whole project; a run then finds it up to date */
      {
        g_autoptr(SynRule) rule = syn_store_get_rule (store, "ca-600v", &error);
        g_autoptr(SynRule) saved = NULL;

        g_assert_no_error (error);
        rule->priority += 1;
        saved = syn_rule_editor_save (store, rule, NULL, &rule_corr, &error);
        g_assert_no_error (error);
      }
      t = now_s ();
      status_whole = syn_rule_engine_status (store, project->id, &error);
      status_whole_s = now_s () - t;
      g_assert_no_error (error);
      cleanup_s ();
      settle = syn_rule_engine_run (engine, store, NULL, request, NULL, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      cleanup_s ();

      pumps = syn_store_list_assets (store, project->id, "PUMP", NULL, 0, 0, NULL, &error);
      batch = syn_batch_begin (store, project->id, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < pumps->len; i += 100)
        {
          SynAsset *pump = g_ptr_array_index (pumps, i);
          g_autoptr(SynAsset) after = syn_asset_copy (pump);
          g_autoptr(SynEvent) event = NULL;

          json_object_set_int_member (after->properties, "hp", json_object_get_int_member (pump->properties, "hp") * 2 + 1);
          event = syn_batch_update_asset (batch, pump, after, NULL, NULL, &error);
          g_assert_no_error (error);
          changed++;
        }
      edit_corr = g_strdup (syn_batch_get_correlation_id (batch));
      g_assert_true (syn_batch_commit (batch, &error));
      e2 = count_events (store, project->id);

      t = now_s ();
      status_changed = syn_rule_engine_status (store, project->id, &error);
      status_changed_s = now_s () - t;
      g_assert_no_error (error);
      cleanup_s ();

      t = now_s ();
      rerun = syn_rule_engine_run (engine, store, NULL, request, NULL, NULL, NULL, NULL, NULL, &error);
      rerun_s = now_s () - t;
      g_assert_no_error (error);
      rerun_free_s = cleanup_s ();
      e3 = count_events (store, project->id);
      s = json_object_get_object_member (json_node_get_object (rerun), "summary");

      printf ("status (up to date):%8.3f s  (%.1f %% of the execution)\n", status_s, 100 * status_s / exec_s);
      printf ("status after a rule change (the whole project derived): %.3f s  (%.1f %% of the execution; up to date: %s)\n",
              status_whole_s, 100 * status_whole_s / exec_s,
              json_object_get_boolean_member (json_node_get_object (status_whole), "up_to_date") ? "yes" : "no");
      printf ("status after hp changed on 1 %% of the pumps: %.3f s  (%.1f %% of the execution)\n",
              status_changed_s, 100 * status_changed_s / exec_s);
      printf ("rerun, nothing to do:%7.3f s  (%.1f %% of the execution; %" G_GUINT64_FORMAT " events written, target 0; status %s)\n",
              noop_s, 100 * noop_s / exec_s, e1 - e0, json_object_get_string_member (json_node_get_object (noop), "status"));
      printf ("rerun after hp changed on %u pumps (1 %%): %.3f s  (%.1f %% of the execution, target <= 10 %%; "
              "%" G_GUINT64_FORMAT " events written: %" G_GINT64_FORMAT " assets and %" G_GINT64_FORMAT " cables updated)\n",
              changed, rerun_s, 100 * rerun_s / exec_s, e3 - e2,
              json_object_get_int_member (json_object_get_object_member (s, "updated"), "assets"),
              json_object_get_int_member (json_object_get_object_member (s, "updated"), "cables"));
      printf ("  (after its answer, its memory freed on a thread in %.3f s; with it, %.1f %% of the execution)\n",
              rerun_free_s, 100 * (rerun_s + rerun_free_s) / exec_s);
      if (e1 != e0)
        g_warning ("a rerun with nothing to do wrote %" G_GUINT64_FORMAT " events", e1 - e0);

      /* back to the first run's state, so its own rollback can be timed */
      {
        g_autoptr(JsonNode) r1 = syn_rollback_service_rollback (store, project->id,
                                                                json_object_get_string_member (json_node_get_object (rerun), "correlation_id"),
                                                                NULL, FALSE, &error);
        g_autoptr(JsonNode) r2 = NULL;

        g_assert_no_error (error);
        g_autoptr(JsonNode) r3 = NULL;

        r2 = syn_rollback_service_rollback (store, project->id, edit_corr, NULL, FALSE, &error);
        g_assert_no_error (error);
        r3 = syn_rollback_service_rollback (store, project->id, rule_corr, NULL, FALSE, &error);
        g_assert_no_error (error);
      }
    }

  t = now_s ();
  rollback = syn_rollback_service_rollback (store, project->id, corr, NULL, FALSE, &error);
  rollback_s = now_s () - t;
  g_assert_no_error (error);
  hash_after = syn_state_hash_compute (store, project->id, &error);

  {
    JsonObject *s = json_object_get_object_member (json_node_get_object (answer), "summary");
    JsonObject *c = json_object_get_object_member (s, "created");

    if (!quick)
      printf ("dry run:            %8.2f s\n", dry_s);
    printf ("execution:          %8.2f s  (%" G_GINT64_FORMAT " assets, %" G_GINT64_FORMAT " cables, %" G_GINT64_FORMAT
            " edges created; %" G_GUINT64_FORMAT " events; %.0f events/s)\n", exec_s,
            json_object_get_int_member (c, "assets"), json_object_get_int_member (c, "cables"),
            json_object_get_int_member (c, "edges"), events, events / exec_s);
    printf ("  (then its memory freed on a thread in %.2f s)\n", exec_free_s);
    if (!quick)
      {
        printf ("raw inserts:        %8.2f s  (%" G_GUINT64_FORMAT " rows of the same tables, one transaction)\n",
                raw_s, raw_rows);
        printf ("ratio (raw / ours): %8.1f %%  (target >= 50 %%)\n", 100.0 * raw_s / exec_s);
      }
    printf ("rollback:           %8.2f s  (%.2f x the execution; goal < %s)\n", rollback_s, rollback_s / exec_s,
            strstr (label, "PostgreSQL") ? "10 s on PostgreSQL" : "5 s on SQLite");
    printf ("state hash restored: %s\n", g_strcmp0 (hash_before, hash_after) == 0 ? "yes" : "NO");
    printf ("peak RSS:           %8ld MB  (after loading the pumps: %ld MB; goal < 250 MB, flat in the number of pumps)\n",
            peak_rss_mb (), rss_before);
  }

  return g_strcmp0 (hash_before, hash_after) == 0 ? 0 : 1;
}

int
main (int argc, char *argv[])
{
  const char *db = bench_db_argument (&argc, argv);
  guint n;
  g_autoptr(GError) error = NULL;
  int status;

  if (argc > 1 && strcmp (argv[1], "--quick") == 0)
    {
      quick = TRUE;
      memmove (&argv[1], &argv[2], (argc - 2) * sizeof (char *));
      argc--;
    }
  n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  /* the state checkpoints written ahead after each commit (issue 15), off
   * to measure what they cost the execution */
  if (g_getenv ("SYNAPSE_BENCH_NO_WRITE_AHEAD") != NULL)
    {
      syn_state_checkpoint_set_write_ahead (FALSE);
      printf ("checkpoints written ahead: off\n");
    }

  if (bench_db_is_postgres (db))
    {
      const char *server = bench_pg_server (db);
      g_autofree char *ours_name = g_strdup_printf ("synapse_bench_engine_%d", (int) getpid ());
      g_autofree char *raw_name = g_strdup_printf ("synapse_bench_engine_raw_%d", (int) getpid ());
      g_autofree char *ours_uri = bench_pg_create_database (server, ours_name);
      g_autofree char *raw_uri = bench_pg_create_database (server, raw_name);

      status = run (bench_pg_server_version (server), ours_uri, raw_uri, n, raw_postgres);
      if (g_getenv ("SYNAPSE_BENCH_KEEP") == NULL)
        {
          bench_pg_drop_database (server, ours_name);
          bench_pg_drop_database (server, raw_name);
        }
    }
  else
    {
      g_autofree char *dir = g_dir_make_tmp ("synapse-bench-engine-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "engine.db", NULL);
      g_autofree char *raw_path = g_build_filename (dir, "raw.db", NULL);
      g_autofree char *label = g_strdup_printf ("SQLite %s", sqlite3_libversion ());
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

      g_assert_no_error (error);
      status = run (label, path, raw_path, n, raw_sqlite);
      if (g_getenv ("SYNAPSE_BENCH_KEEP") != NULL)
        printf ("kept: %s\n", dir);
      else if (system (cmd) != 0)
        g_warning ("could not remove %s", dir);
    }
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-history.c: verified history at a million events (issue 15): the hash chain's cost on appends, verify,
 * the state as of a moment in the middle, the diff of two moments 100,000 events apart.
 * bench-history [--db URI|postgresql] [N_EVENTS [CHECKPOINT_EVERY [N_ASSETS]]] (default 1,000,000, 25,000 and a
 * tenth of the events; CI runs it tiny). SQLite in a temporary folder, or PostgreSQL (bench-pg.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/syn-local-backend.h"
#include "engine/syn-event-store.h"
#include "engine/syn-state-checkpoint.h"
#include "engine/syn-time-travel.h"
#include "engine/syn-verifier.h"
#include "store/syn-store.h"
#include "bench-pg.h"
#include "syn-test-fixture.h"

#define BATCH 1000

static gint64 n_assets;

/* Event @i: the first n_assets create one asset each, the others update one. */
static SynEvent *
make_event (gint64 i, const char *project_id, JsonNode **asset_json, SynAsset **asset)
{
  SynAsset *a = *asset = syn_asset_new ();
  SynEvent *e = syn_event_new ();
  gint64 k = i % n_assets;

  a->id = g_strdup_printf ("00000000-0000-7000-8000-%012" G_GINT64_MODIFIER "x", k);
  a->project_id = g_strdup (project_id);
  a->tag = g_strdup_printf ("210-PP-%06" G_GINT64_FORMAT, k);
  a->type = g_strdup ("PUMP");
  if (a->properties == NULL)
    a->properties = json_object_new ();
  json_object_set_int_member (a->properties, "hp", i / n_assets * 10 + k % 200);
  json_object_set_string_member (a->properties, "pump_type", "CENTRIFUGAL");
  e->aggregate_type = g_strdup (SYN_AGGREGATE_ASSET);
  e->aggregate_id = g_strdup (a->id);
  e->discipline = g_strdup ("MECHANICAL");
  if (i < n_assets)
    {
      e->event_type = g_strdup (SYN_EVENT_ASSET_CREATED);
      e->payload = syn_asset_to_json (a);
    }
  else
    {
      JsonObject *p = json_object_new ();

      e->event_type = g_strdup (SYN_EVENT_ASSET_UPDATED);
      json_object_set_member (p, "before", json_node_ref (asset_json[k]));
      json_object_set_member (p, "after", syn_asset_to_json (a));
      e->payload = syn_json_node_new_object (p);
    }
  g_clear_pointer (&asset_json[k], json_node_unref);
  asset_json[k] = syn_asset_to_json (a);
  return e;
}

/* Processor time of the process: the machine is shared, and wall-clock
 * figures would measure the other users as much as this. */
static gint64
cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static double
seconds_since (gint64 start)
{
  return (cpu_usec () - start) / 1e6;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *db = bench_db_argument (&argc, argv);
  const char *server = NULL;
  g_autofree char *dir = g_dir_make_tmp ("synapse-bench-history-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *pg_name = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autoptr(SynProject) project = NULL;
  g_autoptr(SynEventStore) es = NULL;
  JsonNode **asset_json;
  gint64 n = argc > 1 ? g_ascii_strtoll (argv[1], NULL, 10) : 1000000;
  double append_s = 0, hash_s = 0, ahead_s = 0;
  g_autofree char *previous = g_strdup (SYN_EVENT_GENESIS_HASH);
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  gint64 worst = 0;

  g_assert_no_error (error);
  n = MAX (n, 200);
  if (argc > 2)
    syn_state_checkpoint_set_interval (g_ascii_strtoull (argv[2], NULL, 10));
  n_assets = argc > 3 ? g_ascii_strtoll (argv[3], NULL, 10) : n / 10;
  n_assets = CLAMP (n_assets, 10, n);
  syn_state_checkpoint_set_write_ahead (FALSE);
  if (bench_db_is_postgres (db))
    {
      server = bench_pg_server (db);
      pg_name = g_strdup_printf ("synapse_bench_history_%d", (int) getpid ());
      path = bench_pg_create_database (server, pg_name);
      printf ("%s\n", bench_pg_server_version (server));
    }
  else
    path = g_build_filename (dir, "bench.db", NULL);
  store = syn_store_open (path, &error);
  g_assert_no_error (error);
  project = syn_test_create_project (store, "Bench", "CA");
  es = syn_event_store_new (store, project->id, "bench");
  asset_json = g_new0 (JsonNode *, n_assets);

  /* appends, batches of BATCH events; the chain's own work (hashing the same
   * events in memory) timed apart, to say what it adds */
  for (gint64 i = 0; i < n; i += BATCH)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
      GPtrArray *texts;
      gint64 start;

      for (gint64 j = i; j < i + BATCH && j < n; j++)
        {
          SynAsset *a;

          g_ptr_array_add (events, make_event (j, project->id, asset_json, &a));
          g_ptr_array_add (assets, a);
        }
      start = cpu_usec ();
      syn_event_store_start_batch (es, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < events->len; j++)
        {
          SynEvent *e = g_ptr_array_index (events, j);
          g_autoptr(SynEvent) out = syn_event_store_emit (es, e->event_type, e->aggregate_type, e->aggregate_id,
                                                          json_node_ref (e->payload), NULL, e->discipline, NULL,
                                                          NULL, &error);

          g_assert_no_error (error);
          g_ptr_array_index (events, j) = g_object_ref (out);
          g_object_unref (e);
        }
      if (!syn_event_store_commit_batch (es, &error))
        g_error ("%s", error->message);
      append_s += seconds_since (start);
      /* what the event store does after each batch (syn_event_store_commit_batch()),
       * timed apart: the checkpoints that fell, written ahead of need */
      syn_state_checkpoint_set_write_ahead (TRUE);
      start = cpu_usec ();
      if (!syn_state_checkpoint_write_due (store, project->id, &error))
        g_error ("%s", error->message);
      ahead_s += seconds_since (start);
      syn_state_checkpoint_set_write_ahead (FALSE);
      /* the tables as the events say, untimed: verify compares them */
      g_assert_true (syn_store_begin (store, &error));
      for (guint j = 0; j < assets->len; j++)
        {
          gboolean ok = i + j < n_assets ? syn_store_insert_asset (store, g_ptr_array_index (assets, j), &error)
                                         : syn_store_update_asset (store, g_ptr_array_index (assets, j), &error);

          g_assert_true (ok);
        }
      g_assert_true (syn_store_commit (store, &error));
      g_assert_no_error (error);
      /* what the chain adds to an append: the store serializes payload and
       * metadata for the row anyway (untimed), the chain hashes those bytes */
      texts = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; j < events->len; j++)
        {
          SynEvent *e = g_ptr_array_index (events, j);

          g_ptr_array_add (texts, syn_event_canonical_json (e->payload));
          g_ptr_array_add (texts, syn_event_canonical_json (e->metadata));
        }
      start = cpu_usec ();
      for (guint j = 0; j < events->len; j++)
        {
          SynEvent *e = g_ptr_array_index (events, j);
          g_autofree char *h = syn_event_compute_hash_serialized (e, previous, g_ptr_array_index (texts, 2 * j),
                                                                 g_ptr_array_index (texts, 2 * j + 1));

          g_free (previous);
          previous = g_steal_pointer (&h);
        }
      hash_s += seconds_since (start);
      g_ptr_array_unref (texts);
    }
  printf ("events: %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " assets); times are processor seconds\n", n, n_assets);
  printf ("append: %.2f s, %.0f events/s; of which the hash chain %.2f s: %.1f %% slower than without it\n",
          append_s, n / append_s, hash_s, 100.0 * hash_s / (append_s - hash_s));
  {
    g_autoptr(GPtrArray) checkpoints = syn_store_list_checkpoints (store, project->id, &error);

    g_assert_no_error (error);
    printf ("checkpoints written ahead of need after the batches (one every %" G_GUINT64_FORMAT " events): %u, "
            "%.2f s in all (%.1f %% of the appends)\n", syn_state_checkpoint_get_interval (), checkpoints->len,
            ahead_s, 100.0 * ahead_s / append_s);
  }

  {
    gint64 start = cpu_usec ();
    g_autoptr(JsonNode) v = syn_verifier_verify_full (store, project->id, NULL, &error);

    g_assert_no_error (error);
    if (!json_object_get_boolean_member (json_node_get_object (v), "ok"))
      g_error ("verify found: %s", syn_json_to_string (v));
    printf ("verify (chain, sequences, replay = tables, snapshots, references): %.2f s\n", seconds_since (start));
  }
  {
    /* the first replay past the newest checkpoint writes the ones it passes */
    gint64 start = cpu_usec ();
    g_autofree char *s = syn_time_travel_state_text (store, project->id, "now", &error);
    g_autoptr(GPtrArray) checkpoints = NULL;

    g_assert_no_error (error);
    checkpoints = syn_store_list_checkpoints (store, project->id, &error);
    g_assert_no_error (error);
    printf ("state as of now, the first time (%u checkpoints, one every %" G_GUINT64_FORMAT " events): %.2f s\n",
            checkpoints->len, syn_state_checkpoint_get_interval (), seconds_since (start));
    if (checkpoints->len > 0)
      {
        SynStateCheckpoint *last = g_ptr_array_index (checkpoints, checkpoints->len - 1);

        worst = last->position - 1;
      }
  }
  {
    /* just before a checkpoint: the most events to fold after the one before */
    g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, worst > 0 ? worst : n / 2);
    g_autofree char *mid = g_strdup_printf ("%" G_GINT64_FORMAT, n / 2);
    g_autofree char *random = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) g_rand_int_range (rand, 1, (gint32) n));
    const char *moments[] = { at, random, mid };
    const char *names[] = { "just before a checkpoint", "a random moment", "the middle" };

    for (guint m = 0; m < G_N_ELEMENTS (moments); m++)
      {
        gint64 start = cpu_usec ();
        g_autofree char *s = syn_time_travel_state_text (store, project->id, moments[m], &error);
        double text_s = seconds_since (start);
        g_autoptr(JsonNode) node = NULL;

        g_assert_no_error (error);
        start = cpu_usec ();
        node = syn_time_travel_state (store, project->id, moments[m], &error);
        g_assert_no_error (error);
        printf ("state as of position %s (%s): %.2f s as JSON text (%zu bytes), %.2f s as a JsonNode "
                "(%" G_GINT64_FORMAT " assets)\n", moments[m], names[m], text_s, strlen (s), seconds_since (start),
                json_object_get_int_member (json_object_get_object_member (json_node_get_object (node), "counts"),
                                            "assets"));
      }
  }
  {
    /* the user's path: the backend operation behind GET .../state?as_of=
     * and `synapse state --as-of --json`, its answer as the body's text;
     * before, a JsonNode of the whole state written out by the server */
    g_autoptr(SynLocalBackend) backend = syn_local_backend_new (path, &error);
    g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) g_rand_int_range (rand, 1, (gint32) n));
    g_autoptr(JsonObject) params = json_object_new ();
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(JsonNode) tree = NULL;
    g_autofree char *tree_text = NULL;
    gint64 start;
    double text_s;

    g_assert_no_error (error);
    json_object_set_string_member (params, "project_id", project->id);
    /* the backend's connection opened first, untimed */
    answer = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_GET_PROJECT, params, NULL, &error);
    g_assert_no_error (error);
    g_clear_pointer (&answer, json_node_unref);
    json_object_set_string_member (params, "as_of", at);
    json_object_set_boolean_member (params, SYN_PARAM_AS_TEXT, TRUE);
    /* and its caches warm: the same moment once, untimed */
    answer = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_STATE_AS_OF, params, NULL, &error);
    g_assert_no_error (error);
    g_clear_pointer (&answer, json_node_unref);
    start = cpu_usec ();
    answer = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_STATE_AS_OF, params, NULL, &error);
    g_assert_no_error (error);
    text_s = seconds_since (start);
    json_object_remove_member (params, SYN_PARAM_AS_TEXT);
    start = cpu_usec ();
    tree = syn_backend_call_sync (SYN_BACKEND (backend), SYN_OP_STATE_AS_OF, params, NULL, &error);
    g_assert_no_error (error);
    tree_text = syn_json_to_string (tree);
    printf ("state as of position %s through the backend (the REST body): %.2f s as text; %.2f s as before "
            "(a JsonNode written out)\n", at, text_s, seconds_since (start));
    if (g_strcmp0 (tree_text, syn_json_get_string (json_node_get_object (answer), SYN_ANSWER_TEXT)) != 0)
      g_error ("the text answer differs from the tree's");
  }
  {
    gint64 span = MIN (100000, n / 4);
    g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, n / 2);
    g_autofree char *b = g_strdup_printf ("%" G_GINT64_FORMAT, n / 2 + span);
    gint64 start = cpu_usec ();
    g_autoptr(JsonNode) d = syn_time_travel_diff (store, project->id, a, b, &error);

    g_assert_no_error (error);
    printf ("diff of positions %s and %s: %.2f s (%" G_GINT64_FORMAT " changed)\n", a, b, seconds_since (start),
            json_object_get_int_member (json_object_get_object_member (json_node_get_object (d), "counts"),
                                        "changed"));
  }

  for (gint64 k = 0; k < n_assets; k++)
    g_clear_pointer (&asset_json[k], json_node_unref);
  g_free (asset_json);
  g_clear_object (&es);
  g_clear_object (&store);
  if (pg_name != NULL && g_getenv ("SYNAPSE_BENCH_KEEP") == NULL)
    bench_pg_drop_database (server, pg_name);
  syn_test_rm_rf (dir);
  return 0;
}

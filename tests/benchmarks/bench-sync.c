/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sync.c: offline work (issue 18): a clone of N events (time, size), then a sync of L local batches
 * against S server events. bench-sync [N_EVENTS [SERVER_EVENTS [LOCAL_BATCHES]]] (default 100,000, 10,000 and
 * 100; CI runs it tiny). A SQLite server on a thread of this process, over loopback. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include <glib/gstdio.h>

#include "backend/syn-local-backend.h"
#include "backend/syn-remote-backend.h"
#include "backend/syn-sync-client.h"
#include "engine/syn-batch.h"
#include "syn-test-fixture.h"
#include "syn-test-server.h"

#define BATCH 1000

static gint64
cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* @n events in batches of BATCH: the first n_assets create the assets,
 * every later one changes one asset's hp. Through SynBatch: the tables,
 * the snapshots and the events as the application writes them. */
static void
write_events (SynStore *store, const char *project_id, GPtrArray *assets, gint64 n, gint64 *serial)
{
  g_autoptr(GError) error = NULL;

  for (gint64 i = 0; i < n; i += BATCH)
    {
      g_autoptr(SynBatch) batch = syn_batch_begin (store, project_id, "bench", &error);

      g_assert_no_error (error);
      for (gint64 j = i; j < i + BATCH && j < n; j++, (*serial)++)
        {
          g_autoptr(SynEvent) e = NULL;
          gint64 k = *serial % assets->len;
          SynAsset *before = g_ptr_array_index (assets, k);

          if (before->id == NULL)
            {
              before->id = syn_uuid_new ();
              before->project_id = g_strdup (project_id);
              before->tag = g_strdup_printf ("210-PP-%06" G_GINT64_FORMAT, k);
              before->type = g_strdup ("PUMP");
              if (before->properties == NULL)
                before->properties = json_object_new ();
              json_object_set_int_member (before->properties, "hp", k % 200);
              e = syn_batch_create_asset (batch, before, NULL, NULL, &error);
            }
          else
            {
              g_autoptr(SynAsset) after = syn_asset_copy (before);

              json_object_set_int_member (after->properties, "hp", *serial);   /* a change every time */
              e = syn_batch_update_asset (batch, before, after, NULL, NULL, &error);
              g_ptr_array_index (assets, k) = g_steal_pointer (&after);
              g_object_unref (before);
            }
          g_assert_no_error (error);
        }
      if (!syn_batch_commit (batch, &error))
        g_error ("%s", error->message);
    }
}

/* When the sync's pushes ended: the first event it fetches again. */
static void
on_progress (const char *stage, guint64 done, guint64 total, gpointer user_data)
{
  gint64 *pushed_at = user_data;

  if (g_str_equal (stage, "events") && *pushed_at == 0)
    *pushed_at = g_get_monotonic_time ();
}

static JsonObject *
state_of (SynBackend *backend, const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", project_id);
  answer = syn_backend_call_sync (backend, SYN_OP_STATE_HASH, params, NULL, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (answer));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("synapse-bench-sync-XXXXXX", &error);
  g_autofree char *server_db = NULL;
  g_autofree char *clone_path = NULL;
  g_autoptr(SynStore) store = NULL;
  g_autoptr(SynProject) project = NULL;
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SynRemoteBackend) remote = NULL;
  g_autoptr(SynSyncClient) client = NULL;
  g_autoptr(JsonNode) cloned = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(JsonObject) mine = NULL;
  SynTestServerOptions options = { 0 };
  SynTestServer *srv;
  gint64 n = argc > 1 ? g_ascii_strtoll (argv[1], NULL, 10) : 100000;
  gint64 server_events = argc > 2 ? g_ascii_strtoll (argv[2], NULL, 10) : 10000;
  gint64 local_batches = argc > 3 ? g_ascii_strtoll (argv[3], NULL, 10) : 100;
  gint64 serial = 0, wall, cpu, pushed_at = 0;
  GStatBuf st;

  g_assert_no_error (error);
  n = MAX (n, 100);
  for (gint64 k = 0; k < MAX (n / 10, 10); k++)
    g_ptr_array_add (assets, syn_asset_new ());
  server_db = g_build_filename (dir, "server.db", NULL);
  clone_path = g_build_filename (dir, "clone.db", NULL);
  store = syn_store_open (server_db, &error);
  g_assert_no_error (error);
  project = syn_test_create_project (store, "Bench", "CA");
  write_events (store, project->id, assets, n, &serial);

  options.db_uri = server_db;
  srv = syn_test_server_start (&options);
  g_free (syn_test_server_add_user (srv, "admin", "admin"));
  remote = syn_remote_backend_new (srv->url, &error);
  g_assert_no_error (error);
  g_assert_true (syn_remote_backend_login (remote, "admin", SYN_TEST_PASSWORD, NULL, &error));

  /* the clone: wall-clock (what a user waits, the server included: it
   * runs in this process) and processor time, on a shared machine */
  client = syn_sync_client_new (SYN_BACKEND (remote), srv->url, clone_path);
  wall = g_get_monotonic_time ();
  cpu = cpu_usec ();
  cloned = syn_sync_client_clone (client, project->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (clone_path, &st), ==, 0);
  printf ("clone of %" G_GINT64_FORMAT " events (%u assets): %.2f s wall, %.2f s processor, %.1f MB "
          "(%.0f bytes an event)\n", json_object_get_int_member (json_node_get_object (cloned), "events"),
          assets->len, (g_get_monotonic_time () - wall) / 1e6, (cpu_usec () - cpu) / 1e6, st.st_size / 1e6,
          (double) st.st_size / n);

  /* offline: one edit a batch on the clone; the server goes on */
  {
    g_autoptr(SynLocalBackend) local = syn_local_backend_new (clone_path, &error);

    g_assert_no_error (error);
    syn_local_backend_set_user_id (local, "admin");
    for (gint64 i = 0; i < local_batches; i++)
      {
        g_autoptr(JsonObject) params = json_object_new ();
        g_autoptr(JsonObject) properties = json_object_new ();
        g_autoptr(JsonNode) answer = NULL;
        SynAsset *a = g_ptr_array_index (assets, (i * 7919) % assets->len);

        json_object_set_string_member (params, "project_id", project->id);
        json_object_set_string_member (params, "asset_id", a->id);
        json_object_set_string_member (params, "description", "Changed offline");
        answer = syn_backend_call_sync (SYN_BACKEND (local), SYN_OP_UPDATE_ASSET, params, NULL, &error);
        g_assert_no_error (error);
      }
  }
  write_events (srv->store, project->id, assets, server_events, &serial);

  syn_sync_client_set_progress (client, on_progress, &pushed_at);
  wall = g_get_monotonic_time ();
  cpu = cpu_usec ();
  synced = syn_sync_client_sync (client, project->id, &error);
  g_assert_no_error (error);
  printf ("sync of %" G_GINT64_FORMAT " local batches against %" G_GINT64_FORMAT " server events "
          "(pull %s: %" G_GINT64_FORMAT " events fetched): %.2f s wall (the pushes %.2f s), %.2f s processor; "
          "pushed %" G_GINT64_FORMAT ", conflicts %u\n", local_batches, server_events,
          syn_json_get_string (json_node_get_object (synced), "pull"),
          json_object_get_int_member (json_node_get_object (synced), "events"),
          (g_get_monotonic_time () - wall) / 1e6, (pushed_at - wall) / 1e6, (cpu_usec () - cpu) / 1e6,
          json_object_get_int_member (json_node_get_object (synced), "pushed"),
          json_array_get_length (json_object_get_array_member (json_node_get_object (synced), "conflicts")));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (synced), "pushed"), ==, local_batches);

  /* converged */
  {
    g_autoptr(SynLocalBackend) local = syn_local_backend_new (clone_path, &error);

    g_assert_no_error (error);
    mine = state_of (SYN_BACKEND (local), project->id);
    theirs = state_of (SYN_BACKEND (remote), project->id);
    g_assert_cmpstr (syn_json_get_string (mine, "state_hash"), ==, syn_json_get_string (theirs, "state_hash"));
    g_assert_cmpstr (syn_json_get_string (mine, "head_hash"), ==, syn_json_get_string (theirs, "head_hash"));
  }
  g_clear_object (&client);
  g_clear_object (&remote);
  syn_test_server_stop (srv);
  g_clear_object (&store);
  syn_test_rm_rf (dir);
  return 0;
}

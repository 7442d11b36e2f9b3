/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-ui.c: the desktop application's figures: start-up time to a drawn window, memory with a
 * 1,000,000-event timeline scrolled to the end, frame times while a 100,000-action run streams in, and
 * the Assets and Cables grid on 100,000 cables (first paint, sort, filter, scroll, memory). */
#include "config.h"

#include <gtk/gtk.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/syn-event-store.h"
#include "engine/syn-rule-parser.h"
#include "store/syn-store.h"
#include "syn-test-fixture.h"
#include "ui/syn-application.h"

static SynApplication *app;
static gint64 t_main;

static const char *pump_motor_rule =
  "{\"id\": \"pump-motor\", \"name\": \"FIRM: Centrifugal Pumps require Electric Motor\", \"source\": \"FIRM\","
  " \"discipline\": \"ELECTRICAL\", \"action_type\": \"CREATE_CHILD\","
  " \"condition\": {\"asset_type\": [\"PUMP\"], \"all\": [{\"key\": \"pump_type\", \"op\": \"==\", \"value\": \"CENTRIFUGAL\"}]},"
  " \"action\": {\"type\": \"MOTOR\", \"naming\": \"{area}-M-{tag_number}\", \"relation\": \"powers\","
  "             \"discipline\": \"ELECTRICAL\", \"inherit_properties\": [\"hp\", \"area\"]}}";

static double
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* VmRSS and VmHWM in MiB. */
static void
memory_mb (double *rss, double *hwm)
{
  g_autofree char *status = NULL;
  char *p;

  *rss = *hwm = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  if ((p = strstr (status, "VmRSS:")) != NULL)
    *rss = g_ascii_strtod (p + 6, NULL) / 1024.0;
  if ((p = strstr (status, "VmHWM:")) != NULL)
    *hwm = g_ascii_strtod (p + 6, NULL) / 1024.0;
}

static void
iterate_until (gboolean (*done) (gpointer), gpointer data, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
count_paint (GdkFrameClock *clock, guint *n)
{
  (*n)++;
}

static void
frames (GtkWidget *widget, guint n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint painted = 0;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), &painted);

  while (painted < n)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

static gboolean
project_ready (gpointer data)
{
  SynSession *session = syn_window_get_session (data);

  return syn_session_get_project (session) != NULL && !syn_session_get_loading (session);
}

static gboolean
first_page_shown (gpointer data)
{
  SynTimelineModel *model = syn_timeline_view_get_model (syn_window_get_timeline_view (data));

  return !syn_timeline_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

static gboolean
timeline_idle (gpointer data)
{
  return !syn_timeline_view_get_busy (syn_window_get_timeline_view (data));
}

static gboolean
run_over (gpointer data)
{
  return !syn_execution_panel_get_running (syn_window_get_execution_panel (data));
}

/* ------------------------------------------------------------------------- */
/* 1. Start-up                                                               */

static gboolean
mapped_and_painted (gpointer data)
{
  return *(guint *) data > 0;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Opens a window and times its first drawn frame, then its content (the
 * projects and rules loaded and drawn). */
static void
open_and_time (const char *db, double *first_frame, double *content)
{
  guint painted = 0;
  SynWindow *window;
  gint64 t0 = g_get_monotonic_time ();
  gulong id;

  window = syn_application_open_window (app, db, NULL);
  /* nothing is drawn before the window is mapped */
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  id = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint", G_CALLBACK (count_paint), &painted);
  iterate_until (mapped_and_painted, &painted, 60);
  *first_frame = ms_since (t0);
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), id);
  iterate_until (project_ready, window, 60);
  frames (GTK_WIDGET (window), 1);
  *content = ms_since (t0);
  gtk_window_destroy (GTK_WINDOW (window));
  /* let the window and its backend go */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
bench_startup (const char *dir)
{
  g_autofree char *db = g_build_filename (dir, "startup.db", NULL);
  double first_frame[7], content[7], demo_frame, demo_content;

  open_and_time (db, &demo_frame, &demo_content);
  for (guint i = 0; i < G_N_ELEMENTS (first_frame); i++)
    open_and_time (db, &first_frame[i], &content[i]);
  qsort (first_frame, G_N_ELEMENTS (first_frame), sizeof (double), cmp_double);
  qsort (content, G_N_ELEMENTS (content), sizeof (double), cmp_double);

  printf ("Start-up:\n");
  printf ("  main() to GTK initialised (application start-up)  %7.1f ms\n", (double) t_main / 1000.0);
  printf ("  first start: first frame / demo project drawn     %7.1f / %.1f ms\n", demo_frame, demo_content);
  printf ("  later starts, median of %u: first frame            %7.1f ms (min %.1f, max %.1f)\n",
          (guint) G_N_ELEMENTS (first_frame), first_frame[3], first_frame[0], first_frame[6]);
  printf ("  later starts, median: projects and rules drawn    %7.1f ms\n", content[3]);
}

/* ------------------------------------------------------------------------- */
/* 2. A million events                                                       */

static const char *disciplines[] = { "ELECTRICAL", "AUTOMATION", "MECHANICAL", "PROCESS", "PIPING", "INSTRUMENTATION" };

static char *
make_events (const char *dir, guint n)
{
  g_autofree char *db = g_build_filename (dir, "timeline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (db, &error);
  g_autoptr(SynProject) project = syn_project_new ();
  g_autoptr(SynEventStore) es = NULL;
  const char * const *types = syn_event_types ();
  gint64 t0 = g_get_monotonic_time ();

  g_assert_no_error (error);
  project->name = g_strdup ("A million events");
  project->country = g_strdup ("CA");
  g_assert_true (syn_store_insert_project (store, project, &error));
  es = syn_event_store_new (store, project->id, NULL);
  for (guint i = 0; i < n; i += 2000)
    {
      g_assert_true (syn_event_store_start_batch (es, &error));
      for (guint j = i; j < i + 2000 && j < n; j++)
        {
          g_autoptr(SynEvent) e = NULL;
          JsonObject *payload = json_object_new ();
          char tag[32];

          g_snprintf (tag, sizeof tag, "%03u-PP-%05u", 100 + (j / 10000) % 900, j % 100000);
          json_object_set_string_member (payload, "tag", tag);
          json_object_set_string_member (payload, "type", "PUMP");
          e = syn_event_store_emit (es, types[j % 8], SYN_AGGREGATE_ASSET, tag, syn_json_node_new_object (payload),
                                    NULL, disciplines[j % G_N_ELEMENTS (disciplines)], NULL, NULL, &error);
          g_assert_no_error (error);
        }
      g_assert_true (syn_event_store_commit_batch (es, &error));
    }
  printf ("  (%u events written in %.1f s)\n", n, ms_since (t0) / 1000.0);
  return g_steal_pointer (&db);
}

static void
bench_timeline (const char *dir, guint n_events)
{
  g_autofree char *db = NULL;
  SynWindow *window;
  SynTimelineView *view;
  GtkAdjustment *adj;
  GtkWidget *list;
  double rss0, hwm0, rss1, hwm1, rss2, hwm2;
  double open_ms, first_page_ms, end_ms, steps[100];
  gint64 t0;

  printf ("Timeline with %u events:\n", n_events);
  db = make_events (dir, n_events);
  memory_mb (&rss0, &hwm0);

  t0 = g_get_monotonic_time ();
  window = syn_application_open_window (app, db, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  syn_window_show_view (window, "timeline");
  view = syn_window_get_timeline_view (window);
  iterate_until (project_ready, window, 60);
  iterate_until (first_page_shown, window, 600);
  frames (GTK_WIDGET (window), 1);
  first_page_ms = ms_since (t0);
  iterate_until (timeline_idle, window, 600);
  frames (GTK_WIDGET (window), 2);
  open_ms = ms_since (t0);
  memory_mb (&rss1, &hwm1);

  /* what a page costs the backend, warm: the first (with the total) and the last */
  {
    SynBackend *backend = syn_session_get_backend (syn_window_get_session (window));
    const char *pages[] = { "1", NULL };
    char last_page[32];

    g_snprintf (last_page, sizeof last_page, "%u", (n_events + SYN_TIMELINE_MODEL_PAGE_SIZE - 1) / SYN_TIMELINE_MODEL_PAGE_SIZE);
    pages[1] = last_page;
    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      {
        g_autoptr(JsonObject) params = json_object_new ();
        g_autoptr(JsonNode) answer = NULL;
        gint64 tq = g_get_monotonic_time ();

        json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
        json_object_set_boolean_member (params, "include_rolled_back", TRUE);
        json_object_set_string_member (params, "page", pages[i]);
        json_object_set_int_member (params, "limit", SYN_TIMELINE_MODEL_PAGE_SIZE);
        answer = syn_backend_call_sync (backend, SYN_OP_TIMELINE, params, NULL, NULL);
        printf ("  timeline operation, page %-6s (100 events + total) %6.1f ms\n", pages[i], ms_since (tq));
      }
  }

  /* scroll through, then to the very end, as a scrollbar drag does */
  list = syn_timeline_view_get_list_view (view);
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  t0 = g_get_monotonic_time ();
  for (guint step = 1; step <= 100; step++)
    {
      gint64 ts = g_get_monotonic_time ();

      gtk_adjustment_set_value (adj, (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)) * step / 100);
      frames (GTK_WIDGET (window), 1);
      steps[step - 1] = ms_since (ts);
    }
  qsort (steps, G_N_ELEMENTS (steps), sizeof (double), cmp_double);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  frames (GTK_WIDGET (window), 2);
  {
    /* until the rows at the end show loaded events */
    SynTimelineModel *model = syn_timeline_view_get_model (view);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
    g_autoptr(SynTimelineEvent) last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);

    while (!syn_timeline_event_get_loaded (last))
      g_main_context_iteration (NULL, TRUE);
    end_ms = ms_since (t0);
    frames (GTK_WIDGET (window), 2);
    memory_mb (&rss2, &hwm2);
    printf ("  open on the timeline: first page drawn           %8.1f ms\n", first_page_ms);
    printf ("  open on the timeline: chart counted and drawn    %8.1f ms  (goal < 200 ms)\n", open_ms);
    printf ("  scroll step (move, next frame) median / max      %6.1f / %.1f ms\n", steps[50], steps[99]);
    printf ("  scroll in 100 steps to the end, last row loaded  %8.1f ms\n", end_ms);
    printf ("  pages cached                                     %8u (of %u)\n",
            syn_timeline_model_get_n_cached_pages (model), (n + SYN_TIMELINE_MODEL_PAGE_SIZE - 1) / SYN_TIMELINE_MODEL_PAGE_SIZE);
  }
  printf ("  RSS before the window                            %8.1f MiB\n", rss0);
  printf ("  RSS with the timeline open                       %8.1f MiB\n", rss1);
  printf ("  RSS after scrolling to the end                   %8.1f MiB (peak %.1f MiB; goal < 200 MB)\n", rss2, hwm2);
  printf ("  of which SQLite's page caches (all connections)  %8.1f MiB\n", sqlite3_memory_used () / 1048576.0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ------------------------------------------------------------------------- */
/* 3. Frames during a 100,000-action run                                     */

static char *
make_pumps (const char *dir, guint n)
{
  g_autofree char *db = g_build_filename (dir, "pumps.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (db, &error);
  g_autoptr(SynProject) project = syn_project_new ();
  g_autoptr(JsonNode) rule_json = syn_json_parse (pump_motor_rule, -1, &error);
  g_autoptr(SynRule) rule = NULL;

  g_assert_no_error (error);
  project->name = g_strdup ("100,000 pumps");
  project->country = g_strdup ("CA");
  g_assert_true (syn_store_insert_project (store, project, &error));
  rule = syn_rule_parse (json_node_get_object (rule_json), project->id, &error);
  g_assert_no_error (error);
  g_assert_true (syn_store_save_rule (store, rule, &error));
  g_assert_true (syn_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SynAsset) pump = syn_asset_new ();

      pump->project_id = g_strdup (project->id);
      pump->tag = g_strdup_printf ("%03u-PP-%05u", 100 + (i / 10000), i % 100000);
      pump->type = g_strdup ("PUMP");
      pump->area = g_strdup_printf ("%03u", 100 + (i / 10000));
      json_object_set_string_member (pump->properties, "pump_type", "CENTRIFUGAL");
      json_object_set_int_member (pump->properties, "hp", 50);
      g_assert_true (syn_store_insert_asset (store, pump, &error));
    }
  g_assert_true (syn_store_commit (store, &error));
  return g_steal_pointer (&db);
}

typedef struct
{
  GArray *intervals;   /* double, ms between painted frames */
  gint64  last;
} FrameLog;

static void
log_frame (GdkFrameClock *clock, FrameLog *log)
{
  gint64 now = g_get_monotonic_time ();

  if (log->last != 0)
    {
      double ms = (now - log->last) / 1000.0;
      g_array_append_val (log->intervals, ms);
    }
  log->last = now;
}

static void
bench_execution (const char *dir, guint n_pumps)
{
  g_autofree char *db = NULL;
  SynWindow *window;
  SynExecutionPanel *panel;
  FrameLog log = { g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  GdkFrameClock *clock;
  double run_ms, *v;
  gulong id;
  guint n;
  gint64 t0;
  JsonNode *last;

  printf ("Execution of %u pumps -> motors, streaming into the panel:\n", n_pumps);
  db = make_pumps (dir, n_pumps);
  window = syn_application_open_window (app, db, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  syn_window_show_view (window, "execution");
  iterate_until (project_ready, window, 60);
  frames (GTK_WIDGET (window), 2);
  panel = syn_window_get_execution_panel (window);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (log_frame), &log);
  t0 = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.execute", NULL);
  iterate_until (run_over, window, 1200);
  run_ms = ms_since (t0);
  frames (GTK_WIDGET (window), 2);
  g_signal_handler_disconnect (clock, id);

  last = syn_execution_panel_get_last_message (panel);
  n = log.intervals->len;
  v = (double *) (gpointer) log.intervals->data;
  qsort (v, n, sizeof (double), cmp_double);
  printf ("  run, Execute to summary shown                    %8.1f ms (%" G_GINT64_FORMAT " actions)\n", run_ms,
          last ? json_object_get_int_member (json_object_get_object_member (json_node_get_object (last), "summary"),
                                             "actions_taken") : -1);
  if (n > 0)
    {
      guint over_50 = 0;

      for (guint i = 0; i < n; i++)
        over_50 += v[i] > 50.0;
      printf ("  frames drawn during the run                      %8u (%.1f per second)\n", n, n / (run_ms / 1000.0));
      printf ("  frame interval median / p95 / p99 / max          %6.1f / %.1f / %.1f / %.1f ms\n",
              v[n / 2], v[(guint) (n * 0.95)], v[(guint) (n * 0.99)], v[n - 1]);
      printf ("  frames later than 50 ms                          %8u\n", over_50);
    }
  g_array_unref (log.intervals);
  gtk_window_destroy (GTK_WINDOW (window));
}


/* ------------------------------------------------------------------------- */
/* 4. The Assets and Cables grid on a big cable schedule                     */

/* @n cables to n / 100 motors (in ten areas), written straight to the tables. */
static char *
make_cables (const char *dir, guint n)
{
  g_autofree char *db = g_build_filename (dir, "cables.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (db, &error);
  g_autoptr(SynProject) project = syn_project_new ();
  g_autoptr(GPtrArray) loads = g_ptr_array_new_with_free_func (g_free);
  gint64 t0 = g_get_monotonic_time ();

  g_assert_no_error (error);
  project->name = g_strdup ("A big cable schedule");
  g_assert_true (syn_store_insert_project (store, project, &error));
  g_assert_true (syn_store_begin (store, &error));
  for (guint i = 0; i < MAX (n / 100, 1); i++)
    {
      g_autoptr(SynAsset) motor = syn_asset_new ();

      motor->project_id = g_strdup (project->id);
      motor->tag = g_strdup_printf ("%03u-M-%05u", 100 + (i % 10) * 100, i);
      motor->type = g_strdup ("MOTOR");
      motor->area = g_strdup_printf ("%03u", 100 + (i % 10) * 100);
      motor->discipline = g_strdup ("ELECTRICAL");
      json_object_set_int_member (motor->properties, "hp", 5 + i % 400);
      g_assert_true (syn_store_insert_asset (store, motor, &error));
      g_ptr_array_add (loads, g_strdup (motor->id));
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SynCable) cable = syn_cable_new ();

      cable->project_id = g_strdup (project->id);
      cable->tag = g_strdup_printf ("CBL-%06u", i);
      cable->to_asset_id = g_strdup (g_ptr_array_index (loads, i % loads->len));
      cable->cable_type = g_strdup ("TECK90");
      cable->voltage = 600;
      cable->length_m = 10 + i % 300;
      cable->flc_a = 5 + i % 400;
      cable->ampacity_a = 10 + i % 500;
      cable->voltage_drop_pct = (i * 7919 % 1000) / 100.0;
      cable->conductor_size = g_strdup (i % 97 == 0 ? "OVER_LIMIT" : "6 AWG");
      g_assert_true (syn_store_insert_cable (store, cable, &error));
    }
  g_assert_true (syn_store_commit (store, &error));
  g_assert_no_error (error);
  printf ("  (%u cables written in %.1f s)\n", n, ms_since (t0) / 1000.0);
  return g_steal_pointer (&db);
}

static gboolean
status_settled (gpointer data)
{
  SynProjectStatus *status = syn_session_get_status (syn_window_get_session (data));
  SynProjectState state = syn_project_status_get_state (status);

  return state != SYN_PROJECT_STATE_CHECKING && state != SYN_PROJECT_STATE_NONE;
}

static gboolean
grid_loaded (gpointer data)
{
  SynGridModel *model = syn_assets_view_get_model (syn_window_get_assets_view (data));
  g_autoptr(SynGridRow) first = NULL;

  if (syn_grid_model_get_loading (model) || g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return FALSE;
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  return syn_grid_row_get_loaded (first);
}

/* As grid_loaded(), or the answer is that nothing matches (a filter at the
 * tiny size CI runs). */
static gboolean
grid_answered (gpointer data)
{
  SynGridModel *model = syn_assets_view_get_model (syn_window_get_assets_view (data));

  return grid_loaded (data) ||
         (!syn_grid_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) == 0);
}

/* From @t0 to the grid's first rows loaded and drawn. */
static double
grid_settled (SynWindow *window, gint64 t0)
{
  iterate_until (grid_loaded, window, 600);
  frames (GTK_WIDGET (window), 1);
  return ms_since (t0);
}

/* From @t0 (a filter applied) to its answer drawn, rows or none. */
static double
filter_settled (SynWindow *window, gint64 t0)
{
  iterate_until (grid_answered, window, 600);
  frames (GTK_WIDGET (window), 1);
  return ms_since (t0);
}

static void
bench_grid (const char *dir, guint n_cables)
{
  g_autofree char *db = NULL;
  SynWindow *window;
  SynAssetsView *view;
  SynGridModel *model;
  GtkColumnView *grid;
  GtkAdjustment *adj;
  double rss0, hwm0, rss1, hwm1, rss2, hwm2, end_ms;
  gint64 t0;

  printf ("Assets and Cables with %u cables:\n", n_cables);
  db = make_cables (dir, n_cables);
  memory_mb (&rss0, &hwm0);

  t0 = g_get_monotonic_time ();
  window = syn_application_open_window (app, db, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  syn_window_show_view (window, "assets");
  view = syn_window_get_assets_view (window);
  model = syn_assets_view_get_model (view);
  grid = syn_assets_view_get_grid (view);
  iterate_until (project_ready, window, 60);
  syn_assets_view_set_cables (view, TRUE);
  printf ("  open on the cables: first rows drawn             %8.1f ms\n", grid_settled (window, t0));
  memory_mb (&rss1, &hwm1);
  /* the project's status (a derive of every rule over the project) runs
   * on the backend's worker too: the figures below are the grid's alone */
  iterate_until (status_settled, window, 600);
  printf ("  (project status checked %8.1f ms after opening)\n", ms_since (t0));

  /* what a window of rows costs the backend, warm */
  {
    SynBackend *backend = syn_session_get_backend (syn_window_get_session (window));
    const char *sorts[] = { "tag", "-voltage_drop_pct", "to", "-tag" };

    for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
      {
        g_autoptr(JsonObject) params = json_object_new ();
        g_autoptr(JsonNode) answer = NULL;
        gint64 tq = g_get_monotonic_time ();

        json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
        json_object_set_string_member (params, "sort", sorts[i]);
        json_object_set_int_member (params, "page", i == 3 ? (n_cables + SYN_GRID_MODEL_PAGE_SIZE - 1) / SYN_GRID_MODEL_PAGE_SIZE : 1);
        json_object_set_int_member (params, "limit", SYN_GRID_MODEL_PAGE_SIZE);
        answer = syn_backend_call_sync (backend, SYN_OP_LIST_CABLES, params, NULL, NULL);
        printf ("  list_cables, %u rows + total, sort %-18s %8.1f ms%s\n", SYN_GRID_MODEL_PAGE_SIZE, sorts[i],
                ms_since (tq), i == 3 ? " (last page)" : "");
      }
  }

  {
    GListModel *columns = gtk_column_view_get_columns (grid);
    g_autoptr(GtkColumnViewColumn) drop = NULL;
    g_autoptr(GtkColumnViewColumn) to = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
      {
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
        const char *key = g_object_get_data (G_OBJECT (column), "key");

        if (g_strcmp0 (key, "voltage_drop_pct") == 0)
          drop = g_object_ref (column);
        else if (g_strcmp0 (key, "to") == 0)
          to = g_object_ref (column);
      }
    t0 = g_get_monotonic_time ();
    gtk_column_view_sort_by_column (grid, drop, GTK_SORT_DESCENDING);
    printf ("  sort by voltage drop, largest first              %8.1f ms\n", grid_settled (window, t0));
    t0 = g_get_monotonic_time ();
    gtk_column_view_sort_by_column (grid, to, GTK_SORT_ASCENDING);
    printf ("  sort by the load's tag (a join)                  %8.1f ms\n", grid_settled (window, t0));
  }
  t0 = g_get_monotonic_time ();
  /* a tenth of 100,000 cables; the first hundred at a tiny size */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (view), SYN_TYPE_ASSETS_VIEW,
                                                                      "tag_entry")),
                         n_cables >= 100000 ? "CBL-05*" : "CBL-0000*");
  syn_assets_view_apply_filters (view);
  {
    double ms = filter_settled (window, t0);

    printf ("  filter on a tag pattern (CBL-...*)               %8.1f ms (%" G_GUINT64_FORMAT " rows)\n", ms,
            syn_grid_model_get_total (model));
  }
  t0 = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (view), SYN_TYPE_ASSETS_VIEW,
                                                                      "tag_entry")), "");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (view), SYN_TYPE_ASSETS_VIEW,
                                                                      "where_entry")), "voltage_drop_pct > 9.5");
  syn_assets_view_apply_filters (view);
  {
    double ms = filter_settled (window, t0);

    printf ("  filter on a test (voltage_drop_pct > 9.5)        %8.1f ms (%" G_GUINT64_FORMAT " rows)\n", ms,
            syn_grid_model_get_total (model));
  }
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (view), SYN_TYPE_ASSETS_VIEW,
                                                                      "where_entry")), "");
  syn_assets_view_apply_filters (view);
  grid_settled (window, g_get_monotonic_time ());

  {
    GListModel *columns = gtk_column_view_get_columns (grid);
    g_autoptr(GtkColumnViewColumn) tag = g_list_model_get_item (columns, 1);

    gtk_column_view_sort_by_column (grid, tag, GTK_SORT_ASCENDING);
    grid_settled (window, g_get_monotonic_time ());
  }
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  t0 = g_get_monotonic_time ();
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  frames (GTK_WIDGET (window), 2);
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
    g_autoptr(SynGridRow) last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);

    while (!syn_grid_row_get_loaded (last))
      g_main_context_iteration (NULL, TRUE);
    end_ms = ms_since (t0);
  }
  frames (GTK_WIDGET (window), 2);
  memory_mb (&rss2, &hwm2);
  printf ("  scroll to the end (by tag), last row loaded      %8.1f ms\n", end_ms);
  printf ("  windows of %u rows held                         %8u (of %u)\n", SYN_GRID_MODEL_PAGE_SIZE,
          syn_grid_model_get_n_cached_pages (model), (n_cables + SYN_GRID_MODEL_PAGE_SIZE - 1) / SYN_GRID_MODEL_PAGE_SIZE);
  printf ("  RSS before the window                            %8.1f MiB\n", rss0);
  printf ("  RSS with the grid open                           %8.1f MiB\n", rss1);
  printf ("  RSS after sorting, filtering, scrolling          %8.1f MiB (peak %.1f MiB)\n", rss2, hwm2);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  /* "bench-ui grid [N_CABLES]": the grid's figures alone */
  gboolean grid_only = argc > 1 && g_str_equal (argv[1], "grid");
  guint n_events = argc > 1 && !grid_only ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  guint n_pumps = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 100000;
  guint n_cables = grid_only ? (argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 100000)
                             : (argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 100000);
  gint64 t0 = g_get_monotonic_time ();

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("bench-ui needs a display: run it under xvfb-run -a\n");
      return 77;
    }
  dir = g_dir_make_tmp ("synapse-bench-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);

  app = syn_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  t_main = g_get_monotonic_time () - t0;

  printf ("Synapse GUI benchmark (GTK %u.%u.%u, renderer %s)\n", gtk_get_major_version (), gtk_get_minor_version (),
          gtk_get_micro_version (), g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  if (!grid_only)
    {
      bench_startup (dir);
      bench_timeline (dir, n_events);
      bench_execution (dir, n_pumps);
    }
  bench_grid (dir, n_cables);

  g_clear_object (&app);
  syn_test_rm_rf (dir);
  return 0;
}

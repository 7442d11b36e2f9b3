/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui.c: the desktop application's widgets, driven through their actions and models under Xvfb,
 * local and against an in-process team server; screenshots of each view under the build directory. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

#include "backend/syn-local-backend.h"
#include "core/syn-core.h"
#include "engine/syn-csv-reader.h"
#include "engine/syn-event-store.h"
#include "syn-test-fixture.h"
#include "syn-test-server.h"
#include "ui/syn-application.h"
#include "ui/syn-history-row.h"
#include "ui/syn-import-dialog.h"
#include "ui/syn-json-item.h"
#include "ui/syn-project-status.h"
#include "ui/syn-rollback-dialog.h"
#include "ui/syn-sign-in-dialog.h"
#include "ui/syn-timeline-model.h"
#include "ui/syn-ui-format.h"
#include "ui/syn-window.h"

#define WAIT_SECONDS 120

static SynApplication *app;

/* GLib's first block of quarks (2,048 of them, 16 KiB) is made by its
 * library constructor; a process with more quarks (this one, with its
 * four views, a server and a client) gets a bigger copy and the first is
 * left, by design (lookups take no lock). LeakSanitizer cannot tell it by
 * its stack (GLib has no frame pointers): the blocks of that size made
 * before main() are kept reachable here. The hook is AddressSanitizer's,
 * called only in a sanitizer build. */
#define QUARK_BLOCK_BYTES (2048 * sizeof (char *))
static gboolean in_main;
static const volatile void * volatile constructor_blocks[8];

void __sanitizer_malloc_hook (const volatile void *ptr, size_t size);

void
__sanitizer_malloc_hook (const volatile void *ptr, size_t size)
{
  static guint n;

  if (!in_main && size == QUARK_BLOCK_BYTES && n < G_N_ELEMENTS (constructor_blocks))
    constructor_blocks[n++] = ptr;
}

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */

#define WAIT_FOR(cond)                                                                \
  G_STMT_START {                                                                      \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) WAIT_SECONDS * G_USEC_PER_SEC; \
    while (!(cond))                                                                   \
      {                                                                               \
        if (g_get_monotonic_time () > deadline_)                                      \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond);     \
        g_main_context_iteration (NULL, TRUE);                                        \
      }                                                                               \
  } G_STMT_END

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_after_paint (GdkFrameClock *clock, guint *painted)
{
  (*painted)++;
}

/* Lets @n frames be drawn, so what is checked or saved is on screen. */
static void
wait_frames (GtkWidget *widget, guint n)
{
  GdkFrameClock *clock;
  guint painted = 0;
  gulong handler;

  WAIT_FOR (gtk_widget_get_mapped (widget));
  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  while (painted < n)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);
}

static gpointer
child (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

typedef struct
{
  gboolean  done;
  JsonNode *answer;
  GError   *error;
} CallState;

static void
call_done (GObject *object, GAsyncResult *result, gpointer data)
{
  CallState *state = data;

  state->answer = syn_backend_call_finish (SYN_BACKEND (object), result, &state->error);
  state->done = TRUE;
}

/* A backend call answered on the main context, as the GUI's are: the
 * remote backend's HTTP session lives there, so no private loop. */
static JsonNode *
call (SynWindow *window, const char *op, JsonObject *params)
{
  CallState state = { 0 };

  syn_backend_call_async (syn_session_get_backend (syn_window_get_session (window)), op, params, NULL,
                          call_done, &state);
  WAIT_FOR (state.done);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.answer);
  return state.answer;
}

static char *
state_hash (SynWindow *window)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
  answer = call (window, SYN_OP_STATE_HASH, params);
  return g_strdup (syn_json_get_string (json_node_get_object (answer), "state_hash"));
}

static gint64
timeline_total (SynWindow *window, const char *correlation_id, const char *event_types)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
  json_object_set_boolean_member (params, "include_rolled_back", TRUE);
  json_object_set_int_member (params, "limit", 1);
  if (correlation_id != NULL)
    json_object_set_string_member (params, "correlation_id", correlation_id);
  if (event_types != NULL)
    json_object_set_string_member (params, "event_types", event_types);
  answer = call (window, SYN_OP_TIMELINE, params);
  return json_object_get_int_member (json_node_get_object (answer), "total");
}

/* A PNG of what @widget shows, under the build directory (the tests' artifacts). */
static void
save_screenshot (GtkWidget *widget, const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width, height;

  wait_frames (widget, 2);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d x %d)", path, width, height);
}

/* The window @width pixels wide (0: as wide as the tests have it), and
 * laid out for that width. */
static void
resize_window (SynWindow *window, int width)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width > 0 ? width : 1280, width > 0 ? 760 : 800);
  /* nothing holds it wider, or taller */
  if (width > 0)
    WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (window)) <= width && gtk_widget_get_height (GTK_WIDGET (window)) <= 760 &&
              syn_window_get_narrow (window));
  else
    WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (window)) > 1200 && !syn_window_get_narrow (window));
  wait_frames (GTK_WIDGET (window), 3);
}

/* Nothing of @widget is cut off: it has at least the width it asks for. */
static void
assert_fits (GtkWidget *widget)
{
  int minimum = 0;

  /* the minimum counts the margins, the width does not */
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, gtk_widget_get_width (widget) + gtk_widget_get_margin_start (widget) +
                                gtk_widget_get_margin_end (widget));
}

/* The window 360 pixels wide (a phone, a tiled half screen), then as it was. */
static void
save_narrow_screenshot (SynWindow *window, const char *name)
{
  resize_window (window, 360);
  /* the run side may be given less than it asks for (the window's minimum
   * does not count it): it must not need to */
  if (g_strcmp0 (syn_window_get_view (window), "execution") == 0)
    assert_fits (child (syn_window_get_execution_panel (window), SYN_TYPE_EXECUTION_PANEL, "run_pane"));
  save_screenshot (GTK_WIDGET (window), name);
  resize_window (window, 0);
}

/* The view in the light style, then in the dark one. */
static void
save_screenshots (SynWindow *window, const char *name)
{
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);

  save_screenshot (GTK_WIDGET (window), name);
  g_object_set (settings, "gtk-application-prefer-dark-theme", TRUE, NULL);
  save_screenshot (GTK_WIDGET (window), dark);
  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
}

/* ------------------------------------------------------------------------- */
/* Fixture: a window on a throwaway database                                 */

typedef struct
{
  char      *tmpdir;
  char      *db;
  SynWindow *window;
} UiFixture;

static gboolean
project_ready (SynWindow *window)
{
  SynSession *session = syn_window_get_session (window);

  return syn_session_get_project (session) != NULL && !syn_session_get_loading (session) &&
         g_list_model_get_n_items (syn_session_get_rules (session)) > 0;
}

/* The messages of @language from now on (NULL: the untranslated ones):
 * the windows opened next speak it. */
static void
use_language (const char *language)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  /* gettext caches what it found: setting the domain again drops that */
  textdomain (textdomain (NULL));
}

/* @data: the language of the window, or NULL */
static void
fixture_setup (UiFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  use_language (data);
  f->tmpdir = g_dir_make_tmp ("synapse-ui-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->tmpdir, "synapse.db", NULL);
  f->window = syn_application_open_window (app, f->db, NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  WAIT_FOR (project_ready (f->window));
  wait_frames (GTK_WIDGET (f->window), 1);
}

static void
fixture_teardown (UiFixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  WAIT_FOR (f->window == NULL);
  /* let the backend's last answers and the worker threads finish */
  spin (50);
  syn_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->db);
  use_language (NULL);
}

static JsonObject *
execute (SynWindow *window, gboolean dry_run)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (window);
  JsonNode *last;

  syn_window_show_view (window, "execution");
  syn_execution_panel_set_dry_run (panel, dry_run);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.execute", NULL));
  g_assert_true (syn_execution_panel_get_running (panel));
  WAIT_FOR (!syn_execution_panel_get_running (panel));
  last = syn_execution_panel_get_last_message (panel);
  g_assert_nonnull (last);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (last), "type"), ==, "COMPLETED");
  return json_node_get_object (last);
}

/* ------------------------------------------------------------------------- */
/* Tests                                                                     */

static void
test_first_start (UiFixture *f, gconstpointer data)
{
  SynSession *session = syn_window_get_session (f->window);
  GListModel *projects = syn_session_get_projects (session);
  SynWindow *again;

  /* the demo project, created and selected, so that Execute works at once */
  g_assert_cmpuint (g_list_model_get_n_items (projects), ==, 1);
  g_assert_cmpstr (syn_session_get_project (session)->name, ==, "Gold Mine Demo");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Gold Mine Demo — Synapse");
  g_assert_nonnull (syn_window_get_banner (f->window));
  g_assert_cmpuint (gtk_drop_down_get_selected (child (f->window, SYN_TYPE_WINDOW, "project_dropdown")), ==, 0);
  g_assert_cmpstr (syn_session_get_connection_label (session), ==, "Local");

  /* desktop integration: shortcuts, their window, remembered settings */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.execute");

    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>Return"));
  }
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window)));
  g_assert_nonnull (syn_application_get_settings (app));

  /* the second start finds the project and creates nothing; closing the
   * window saved its size */
  gtk_window_close (GTK_WINDOW (f->window));
  WAIT_FOR (f->window == NULL);
  again = syn_application_open_window (app, f->db, NULL);
  WAIT_FOR (project_ready (again));
  g_assert_cmpuint (g_list_model_get_n_items (syn_session_get_projects (syn_window_get_session (again))), ==, 1);
  g_assert_cmpint (g_settings_get_int (syn_application_get_settings (app), "window-width"), ==, 1280);
  f->window = again;
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
}

static void
test_execute (UiFixture *f, gconstpointer data)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (f->window);
  g_autofree char *before = state_hash (f->window);
  g_autofree char *after = NULL;
  g_autofree char *actions = NULL;
  g_autofree char *skipped = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *created = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) execution = NULL;
  JsonObject *completed, *summary, *backend_summary, *made;
  GListModel *log;

  completed = execute (f->window, FALSE);
  summary = json_object_get_object_member (completed, "summary");
  made = json_object_get_object_member (summary, "created");

  /* the backend's record of the run says the same as the panel */
  json_object_set_string_member (params, "execution_id", syn_json_get_string (completed, "execution_id"));
  execution = call (f->window, SYN_OP_GET_EXECUTION, params);
  backend_summary = json_object_get_object_member (json_node_get_object (execution), "summary");
  g_assert_true (syn_json_node_equal (json_object_get_member (backend_summary, "created"),
                                      json_object_get_member (summary, "created")));
  g_assert_cmpint (json_object_get_int_member (backend_summary, "actions_taken"), ==,
                   json_object_get_int_member (summary, "actions_taken"));

  actions = syn_format_count (json_object_get_int_member (backend_summary, "actions_taken"));
  skipped = syn_format_count (json_object_get_int_member (backend_summary, "skipped"));
  errors = syn_format_count (json_object_get_int_member (backend_summary, "errors"));
  rules = g_strdup_printf ("%d / ", (int) json_object_get_int_member (backend_summary, "rules_executed"));
  g_assert_cmpstr (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "actions_value")), ==, actions);
  g_assert_cmpstr (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "skipped_value")), ==, skipped);
  g_assert_cmpstr (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "errors_value")), ==, errors);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "rules_value")), rules));
  created = g_strdup_printf ("Created %d assets, %d cables and %d edges",
                             (int) json_object_get_int_member (made, "assets"),
                             (int) json_object_get_int_member (made, "cables"),
                             (int) json_object_get_int_member (made, "edges"));
  g_assert_cmpstr (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "created_label")), ==, created);
  g_assert_true (gtk_revealer_get_reveal_child (child (panel, SYN_TYPE_EXECUTION_PANEL, "summary_revealer")));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (child (panel, SYN_TYPE_EXECUTION_PANEL, "progress_bar")), ==, 1.0);

  /* the demo's rules report two pumps without horsepower: visible as errors */
  g_assert_cmpint (json_object_get_int_member (summary, "errors"), >, 0);
  g_assert_true (gtk_revealer_get_reveal_child (child (panel, SYN_TYPE_EXECUTION_PANEL, "error_revealer")));
  g_assert_nonnull (strstr (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "error_label")), "horsepower"));

  /* the live log: the last actions and errors, newest first, at most 100 */
  log = syn_execution_panel_get_log (panel);
  g_assert_cmpuint (g_list_model_get_n_items (log), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (log), <=, 100);

  after = state_hash (f->window);
  g_assert_cmpstr (before, !=, after);
  save_screenshots (f->window, "execution");
}

static void
test_dry_run (UiFixture *f, gconstpointer data)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (f->window);
  g_autofree char *before = state_hash (f->window);
  g_autofree char *after = NULL;
  gint64 events_before = timeline_total (f->window, NULL, NULL);
  JsonObject *completed;

  completed = execute (f->window, TRUE);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (completed, "summary"), "actions_taken"), >, 0);
  after = state_hash (f->window);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (timeline_total (f->window, NULL, NULL), ==, events_before);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "summary_title")), "Preview"));
  g_assert_false (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "show_batch_button")));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "created_label")), "Would create"));
}

static GtkCheckButton *
type_check (SynTimelineView *view, const char *type)
{
  GtkWidget *box = child (view, SYN_TYPE_TIMELINE_VIEW, "types_box");

  for (GtkWidget *c = gtk_widget_get_first_child (box); c; c = gtk_widget_get_next_sibling (c))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (c), "value"), type) == 0)
      return GTK_CHECK_BUTTON (c);
  g_assert_not_reached ();
  return NULL;
}

static void
test_timeline (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  SynTimelineChart *chart = syn_timeline_view_get_chart (view);
  g_autofree char *correlation_id = NULL;
  g_autoptr(SynTimelineEvent) first = NULL;
  SynTimelineBatch *batch;
  guint64 sum = 0;
  JsonObject *completed;

  completed = execute (f->window, FALSE);
  correlation_id = g_strdup (syn_json_get_string (completed, "correlation_id"));

  /* Show on Timeline: the batch, and only it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (syn_window_get_execution_panel (f->window)),
                                             "panel.show-batch", NULL));
  g_assert_cmpstr (syn_window_get_view (f->window), ==, "timeline");
  g_assert_cmpstr (gtk_editable_get_text (child (view, SYN_TYPE_TIMELINE_VIEW, "batch_entry")), ==, correlation_id);
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (model), ==, (guint64) timeline_total (f->window, correlation_id, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, syn_timeline_model_get_total (model));

  /* newest first: BATCH_COMPLETED opens the batch's group */
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  WAIT_FOR (syn_timeline_event_get_loaded (first));
  g_assert_cmpstr (syn_timeline_event_get_event_type (first), ==, "BATCH_COMPLETED");
  g_assert_true (syn_timeline_event_get_first_in_batch (first));
  batch = syn_timeline_model_get_batch (model, correlation_id);
  WAIT_FOR (syn_timeline_batch_get_loaded (batch));
  g_assert_cmpstr (syn_timeline_batch_get_kind (batch), ==, "Rule execution");
  g_assert_cmpint (syn_timeline_batch_get_events_count (batch), ==, (gint64) syn_timeline_model_get_total (model));
  g_assert_true (syn_timeline_batch_get_can_roll_back (batch));

  /* the chart counts the same events */
  WAIT_FOR (syn_timeline_chart_get_n_buckets (chart) > 0 && !syn_timeline_view_get_busy (view));
  for (guint i = 0; i < syn_timeline_chart_get_n_buckets (chart); i++)
    sum += syn_timeline_chart_get_count (chart, i);
  g_assert_cmpuint (sum, ==, syn_timeline_model_get_total (model));
  save_screenshots (f->window, "timeline");

  /* a filter of the bar: event types */
  gtk_check_button_set_active (type_check (view, "ASSET_CREATED"), TRUE);
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (model), ==,
                    (guint64) timeline_total (f->window, correlation_id, "ASSET_CREATED"));
  g_assert_cmpuint (syn_timeline_model_get_total (model), >, 0);

  /* a bar of the chart: its period, the same events (the run took under an hour) */
  for (guint i = 0; i < syn_timeline_chart_get_n_buckets (chart); i++)
    if (syn_timeline_chart_get_count (chart, i) > 0)
      {
        guint64 before = syn_timeline_model_get_total (model);

        syn_timeline_chart_activate_bucket (chart, i);
        g_assert_cmpstr (gtk_editable_get_text (child (view, SYN_TYPE_TIMELINE_VIEW, "from_entry")), !=, "");
        WAIT_FOR (!syn_timeline_view_get_busy (view));
        g_assert_cmpuint (syn_timeline_model_get_total (model), ==, before);
        break;
      }

  /* every filter cleared: the whole project */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.clear-filters", NULL));
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (model), ==, (guint64) timeline_total (f->window, NULL, NULL));
}

/* Events enough for many pages, appended straight to the project's database. */
static void
append_events (UiFixture *f, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (f->db, &error);
  g_autoptr(SynEventStore) es = syn_event_store_new (store, syn_session_get_project_id (syn_window_get_session (f->window)), NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i += 1000)
    {
      g_assert_true (syn_event_store_start_batch (es, &error));
      for (guint j = i; j < i + 1000 && j < n; j++)
        {
          g_autoptr(SynEvent) e = NULL;
          JsonObject *payload = json_object_new ();
          g_autofree char *tag = g_strdup_printf ("900-PP-%05u", j);

          json_object_set_string_member (payload, "tag", tag);
          json_object_set_string_member (payload, "type", "PUMP");
          e = syn_event_store_emit (es, SYN_EVENT_ASSET_CREATED, SYN_AGGREGATE_ASSET, tag,
                                    syn_json_node_new_object (payload), NULL, "MECHANICAL", NULL, NULL, &error);
          g_assert_no_error (error);
        }
      g_assert_true (syn_event_store_commit_batch (es, &error));
    }
}

static void
test_timeline_paging (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(SynTimelineEvent) deep = NULL;
  JsonObject *expected;
  guint n;

  append_events (f, 12000);
  syn_window_show_view (f->window, "timeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  WAIT_FOR (syn_timeline_model_get_total (model) > 12000 && !syn_timeline_view_get_busy (view));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));

  /* an item far down is a placeholder until its page arrives */
  deep = g_list_model_get_item (G_LIST_MODEL (model), n - 7);
  WAIT_FOR (syn_timeline_event_get_loaded (deep));
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (f->window)));
  json_object_set_boolean_member (params, "include_rolled_back", TRUE);
  json_object_set_int_member (params, "page", n - 6);
  json_object_set_int_member (params, "limit", 1);
  page = call (f->window, SYN_OP_TIMELINE, params);
  expected = json_array_get_object_element (json_object_get_array_member (json_node_get_object (page), "events"), 0);
  g_assert_cmpstr (syn_timeline_event_get_string (deep, "id"), ==, syn_json_get_string (expected, "id"));

  /* walking every page keeps a bounded number of them */
  for (guint i = 0; i < n; i += SYN_TIMELINE_MODEL_PAGE_SIZE)
    {
      g_ptr_array_add (held, g_list_model_get_item (G_LIST_MODEL (model), i));
      if (held->len > 3)
        g_ptr_array_remove_index (held, 0);
      g_assert_cmpuint (syn_timeline_model_get_n_cached_pages (model), <=, 24);
    }
  WAIT_FOR (syn_timeline_event_get_loaded (g_ptr_array_index (held, held->len - 1)));

  /* scrolled to the end, the rows show loaded events */
  {
    GtkScrolledWindow *scroller = child (view, SYN_TYPE_TIMELINE_VIEW, "scroller");
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);

    wait_frames (GTK_WIDGET (view), 2);
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    wait_frames (GTK_WIDGET (view), 3);
    spin (200);
    g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, 0);
  }
}

/* The open window of @type (a dialog), or NULL. */
static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static void
roll_back_from_timeline (SynWindow *window, const char *correlation_id, guint expected_blockers)
{
  SynTimelineView *view = syn_window_get_timeline_view (window);
  SynRollbackDialog *dialog;

  syn_window_show_view (window, "timeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.rollback", "s", correlation_id));
  dialog = find_toplevel (SYN_TYPE_ROLLBACK_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  WAIT_FOR (syn_rollback_dialog_get_ready (dialog));
  g_assert_cmpuint (syn_rollback_dialog_get_n_blockers (dialog), ==, expected_blockers);
  if (expected_blockers > 0)
    {
      /* the dialog grew with the list of blockers: let the window follow */
      wait_frames (GTK_WIDGET (dialog), 3);
      spin (300);
      save_screenshot (GTK_WIDGET (dialog), "rollback-cascade");
    }
  syn_rollback_dialog_confirm (dialog);
  WAIT_FOR (dialog == NULL);
}

static void
test_rollback (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  g_autofree char *before = state_hash (f->window);
  g_autofree char *after = NULL;
  g_autofree char *correlation_id = NULL;
  SynTimelineBatch *batch;
  guint revision;

  correlation_id = g_strdup (syn_json_get_string (execute (f->window, FALSE), "correlation_id"));
  revision = syn_session_get_revision (syn_window_get_session (f->window));
  roll_back_from_timeline (f->window, correlation_id, 0);
  /* read at once: the information banner hides itself after a while, and
   * state_hash() can take that long on a slow machine (or under valgrind) */
  g_assert_nonnull (syn_window_get_banner (f->window));
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Rolled back batch"));
  g_assert_cmpuint (syn_session_get_revision (syn_window_get_session (f->window)), >, revision);
  after = state_hash (f->window);
  g_assert_cmpstr (before, ==, after);

  /* the timeline follows: the batch is marked rolled back, and cannot be again */
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  batch = syn_timeline_model_get_batch (model, correlation_id);
  WAIT_FOR (syn_timeline_batch_get_loaded (batch));
  g_assert_true (syn_timeline_batch_get_rolled_back (batch));
  g_assert_false (syn_timeline_batch_get_can_roll_back (batch));
  {
    g_autoptr(SynTimelineEvent) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    /* newest first: the rollback's own batch, then the batch it undid */
    WAIT_FOR (syn_timeline_event_get_loaded (first));
    g_assert_cmpstr (syn_timeline_event_get_event_type (first), ==, "BATCH_ROLLED_BACK");
  }
  save_screenshot (GTK_WIDGET (f->window), "timeline-rolled-back");
}

static void
test_rollback_cascade (UiFixture *f, gconstpointer data)
{
  g_autofree char *before = state_hash (f->window);
  g_autofree char *after = NULL;
  g_autofree char *correlation_id = NULL;
  g_autoptr(JsonObject) get = json_object_new ();
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonNode) motor = NULL;
  g_autoptr(JsonNode) updated = NULL;
  JsonObject *properties = json_object_new ();
  const char *project_id = syn_session_get_project_id (syn_window_get_session (f->window));

  correlation_id = g_strdup (syn_json_get_string (execute (f->window, FALSE), "correlation_id"));

  /* a later edit of a motor the run created blocks its rollback alone */
  json_object_set_string_member (get, "project_id", project_id);
  json_object_set_string_member (get, "tag", "110-M-001");
  motor = call (f->window, SYN_OP_GET_ASSET, get);
  json_object_set_string_member (update, "project_id", project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (json_node_get_object (motor), "id"));
  json_object_set_string_member (properties, "enclosure", "TENV");
  json_object_set_object_member (update, "properties", properties);
  updated = call (f->window, SYN_OP_UPDATE_ASSET, update);

  roll_back_from_timeline (f->window, correlation_id, 1);
  after = state_hash (f->window);
  g_assert_cmpstr (before, ==, after);
}

/* The banner's Undo after a rollback redoes it; the timeline offers Redo on
 * the rolled-back batch and on the rollback itself. */
static void
test_redo (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  SynSession *session = syn_window_get_session (f->window);
  g_autofree char *before = state_hash (f->window);
  g_autofree char *ran = NULL, *after = NULL, *correlation_id = NULL, *redo_id = NULL;
  SynTimelineBatch *batch;
  GtkButton *undo;
  guint revision;

  correlation_id = g_strdup (syn_json_get_string (execute (f->window, FALSE), "correlation_id"));
  ran = state_hash (f->window);
  roll_back_from_timeline (f->window, correlation_id, 0);

  /* Undo, beside the news of the rollback */
  undo = syn_window_get_banner_action (f->window);
  g_assert_nonnull (undo);
  g_assert_cmpstr (gtk_button_get_label (undo), ==, "_Undo");
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Rolled back batch"));
  revision = syn_session_get_revision (session);
  g_signal_emit_by_name (undo, "clicked");
  WAIT_FOR (syn_session_get_revision (session) > revision);
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Undid rollback"));
  g_assert_null (syn_window_get_banner_action (f->window));
  after = state_hash (f->window);
  g_assert_cmpstr (after, ==, ran);

  /* the redo is a batch of its own, newest on the timeline: roll it back */
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  {
    g_autoptr(SynTimelineEvent) newest = g_list_model_get_item (G_LIST_MODEL (model), 0);

    WAIT_FOR (syn_timeline_event_get_loaded (newest));
    g_assert_cmpstr (syn_timeline_event_get_event_type (newest), !=, "BATCH_ROLLED_BACK");
    redo_id = g_strdup (syn_timeline_event_get_correlation_id (newest));
  }
  g_assert_cmpstr (redo_id, !=, correlation_id);
  roll_back_from_timeline (f->window, redo_id, 0);
  g_clear_pointer (&after, g_free);
  after = state_hash (f->window);
  g_assert_cmpstr (after, ==, before);

  /* the run, rolled back, offers Redo on the timeline */
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  batch = syn_timeline_model_get_batch (model, correlation_id);
  WAIT_FOR (syn_timeline_batch_get_loaded (batch));
  g_assert_true (syn_timeline_batch_get_rolled_back (batch));
  g_assert_true (syn_timeline_batch_get_can_redo (batch));
  g_assert_false (syn_timeline_batch_get_can_roll_back (batch));
  revision = syn_session_get_revision (session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.redo", "s", correlation_id));
  WAIT_FOR (syn_session_get_revision (session) > revision);
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Redid batch"));
  g_clear_pointer (&after, g_free);
  after = state_hash (f->window);
  g_assert_cmpstr (after, ==, ran);

  /* a second time: refused, and said */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.redo", "s", correlation_id));
  WAIT_FOR (syn_window_get_banner (f->window) != NULL &&
            strstr (syn_window_get_banner (f->window), "Could not redo") != NULL);
  save_screenshot (GTK_WIDGET (f->window), "timeline-redo");
}

/* The change of @index of an updated entry of an import's preview. */
static JsonObject *
preview_change (JsonObject *preview, const char *tag, guint index)
{
  JsonArray *updated = json_object_get_array_member (json_object_get_object_member (preview, "diff"), "updated");

  for (guint i = 0; i < json_array_get_length (updated); i++)
    {
      JsonObject *entry = json_array_get_object_element (updated, i);

      if (g_strcmp0 (syn_json_get_string (entry, "tag"), tag) == 0)
        return json_array_get_object_element (json_object_get_array_member (entry, "changes"), index);
    }
  g_error ("%s is not updated in the preview", tag);
  return NULL;
}

/* Opens @path through the window's import, as the file chooser does: the
 * dialog, once its preview is in. */
static SynImportDialog *
open_import (SynWindow *window, const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SynImportDialog *dialog;

  syn_window_import_file (window, file);
  WAIT_FOR ((dialog = find_toplevel (SYN_TYPE_IMPORT_DIALOG)) != NULL);
  WAIT_FOR (syn_import_dialog_get_ready (dialog));
  return dialog;
}

static char *
write_file (UiFixture *f, const char *name, const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* Rev B of the demo list: an hp changed, a row dropped, a row added; a
 * description a person edited is the file's again. The dialog chooses the
 * revision, previews it (writing nothing), then imports it. @data: the
 * language, as fixture_setup() takes it (its screenshots are named so). */
static void
test_import_revision (UiFixture *f, gconstpointer data)
{
  const char *language = data;
  g_autofree char *shot_preview = g_strdup_printf ("%s%simport-preview", language ? language : "",
                                                   language ? "-" : "");
  g_autofree char *shot_delete = g_strconcat (shot_preview, "-delete", NULL);
  g_autofree char *shot_new = g_strdup_printf ("%s%simport-new-assets", language ? language : "",
                                               language ? "-" : "");
  g_autofree char *demo_path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "gold-mine-assets.csv", NULL);
  g_autofree char *demo = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) rev_b = g_string_new (NULL);
  g_autofree char *rev_b_path = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonObject) get = json_object_new ();
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonNode) pump = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) created = NULL;
  const char *project_id = syn_session_get_project_id (syn_window_get_session (f->window));
  SynImportDialog *dialog;
  JsonObject *preview, *change;
  gint64 events_before;

  g_assert_true (g_file_get_contents (demo_path, &demo, NULL, NULL));
  lines = g_strsplit (demo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "110-WT-001,") || *lines[i] == '\0')
        continue;
      if (g_str_has_prefix (lines[i], "110-PP-001,"))
        {
          g_auto(GStrv) parts = g_strsplit (lines[i], ",CENTRIFUGAL,10,", 2);

          g_assert_nonnull (parts[1]);
          g_string_append_printf (rev_b, "%s,CENTRIFUGAL,15,%s\n", parts[0], parts[1]);
          continue;
        }
      g_string_append_printf (rev_b, "%s\n", lines[i]);
    }
  g_string_append (rev_b, "900-PP-001,PUMP,Tailings Reclaim Pump,900,MECHANICAL,TAILINGS,CENTRIFUGAL,40,,70,Goulds,"
                          "Reclaim water\n");
  rev_b_path = write_file (f, "gold-mine-rev-b.csv", rev_b->str);

  /* a person's edit since the import */
  json_object_set_string_member (get, "project_id", project_id);
  json_object_set_string_member (get, "tag", "210-PP-001");
  pump = call (f->window, SYN_OP_GET_ASSET, get);
  json_object_set_string_member (update, "project_id", project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (json_node_get_object (pump), "id"));
  json_object_set_string_member (update, "description", "Edited by hand");
  updated = call (f->window, SYN_OP_UPDATE_ASSET, update);

  before = state_hash (f->window);
  events_before = timeline_total (f->window, NULL, NULL);
  dialog = open_import (f->window, rev_b_path);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  /* the file names the project's tags: a revision, previewed */
  g_assert_true (syn_import_dialog_get_revision (dialog));
  g_assert_true (syn_import_dialog_get_can_import (dialog));
  preview = syn_import_dialog_get_preview (dialog);
  g_assert_cmpstr (syn_json_get_string (preview, "status"), ==, "preview");
  g_assert_cmpint (json_object_get_int_member (preview, "created"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (preview, "updated"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (preview, "missing"), ==, 1);
  change = preview_change (preview, "110-PP-001", 0);
  g_assert_cmpstr (syn_json_get_string (change, "field"), ==, "properties.hp");
  g_assert_cmpstr (syn_json_get_string (change, "old"), ==, "10");
  g_assert_cmpstr (syn_json_get_string (change, "new"), ==, "15");
  g_assert_false (json_object_get_boolean_member (change, "overwrote_manual"));
  change = preview_change (preview, "210-PP-001", 0);
  g_assert_cmpstr (syn_json_get_string (change, "field"), ==, "description");
  g_assert_true (json_object_get_boolean_member (change, "overwrote_manual"));
  wait_frames (GTK_WIDGET (dialog), 3);
  save_screenshot (GTK_WIDGET (dialog), shot_preview);

  /* asking to delete what is missing previews that too */
  syn_import_dialog_set_delete_missing (dialog, TRUE);
  g_assert_false (syn_import_dialog_get_ready (dialog));
  WAIT_FOR (syn_import_dialog_get_ready (dialog));
  preview = syn_import_dialog_get_preview (dialog);
  g_assert_true (json_object_get_boolean_member (preview, "delete_missing"));
  g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (json_object_get_array_member (
                     json_object_get_object_member (preview, "diff"), "missing"), 0), "tag"), ==, "110-WT-001");
  save_screenshot (GTK_WIDGET (dialog), shot_delete);

  /* nothing written yet */
  after = state_hash (f->window);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (timeline_total (f->window, NULL, NULL), ==, events_before);

  syn_import_dialog_confirm (dialog);
  WAIT_FOR (dialog == NULL);
  g_assert_nonnull (syn_window_get_banner (f->window));
  if (language == NULL)
    {
      g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Revision imported: 1 created, 2 updated"));
      g_assert_nonnull (strstr (syn_window_get_banner (f->window), "1 missing (1 deleted)"));
    }
  g_assert_cmpint (timeline_total (f->window, NULL, "ASSET_DELETED"), ==, 1);
  json_object_set_string_member (get, "tag", "900-PP-001");
  created = call (f->window, SYN_OP_GET_ASSET, get);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (created), "type"), ==, "PUMP");

  /* a file of new tags only: new assets it is */
  new_path = write_file (f, "extra.csv", "TAG;TYPE;DESCRIPTION\n900-TK-001;TANK;Reclaim tank\n");
  dialog = open_import (f->window, new_path);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_false (syn_import_dialog_get_revision (dialog));
  g_assert_true (syn_import_dialog_get_can_import (dialog));
  save_screenshot (GTK_WIDGET (dialog), shot_new);
  syn_import_dialog_confirm (dialog);
  WAIT_FOR (dialog == NULL);
  if (language == NULL)
    g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Imported 1 asset,"));
}

/* A file the import cannot read says why, and offers nothing to import. */
static void
test_import_refused (UiFixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "pipes.csv", "TAG|TYPE|HP\n900-PP-001|PUMP|5\n");
  SynImportDialog *dialog = open_import (f->window, path);
  GtkLabel *error_label = child (dialog, SYN_TYPE_IMPORT_DIALOG, "error_label");

  g_assert_false (syn_import_dialog_get_can_import (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "'|'"));
  save_screenshot (GTK_WIDGET (dialog), "import-refused");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A batch made behind the window's back (another engineer, the command
 * line) shows on the timeline by itself. */
static void
test_follow (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  g_autoptr(JsonObject) get = json_object_new ();
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonNode) pump = NULL;
  g_autoptr(JsonNode) updated = NULL;
  JsonObject *properties = json_object_new ();
  const char *project_id = syn_session_get_project_id (syn_window_get_session (f->window));
  guint64 before;
  gint64 t0;

  syn_window_show_view (f->window, "timeline");
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_total (model) > 0);
  before = syn_timeline_model_get_total (model);

  json_object_set_string_member (get, "project_id", project_id);
  json_object_set_string_member (get, "tag", "110-PP-001");
  pump = call (f->window, SYN_OP_GET_ASSET, get);
  json_object_set_string_member (update, "project_id", project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (json_node_get_object (pump), "id"));
  json_object_set_string_member (properties, "seal", "mechanical");
  json_object_set_object_member (update, "properties", properties);
  updated = call (f->window, SYN_OP_UPDATE_ASSET, update);

  t0 = g_get_monotonic_time ();
  WAIT_FOR (syn_timeline_model_get_total (model) == before + 1 && !syn_timeline_view_get_busy (view));
  g_test_message ("followed in %.1f s", (g_get_monotonic_time () - t0) / 1e6);
}

static gboolean
related_has (SynAssetHistoryView *view, const char *tag)
{
  GListModel *related = syn_asset_history_view_get_related (view);

  for (guint i = 0; i < g_list_model_get_n_items (related); i++)
    {
      g_autoptr(SynJsonItem) item = g_list_model_get_item (related, i);

      if (g_strcmp0 (syn_json_item_get_string (item, "tag"), tag) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_history (UiFixture *f, gconstpointer data)
{
  SynAssetHistoryView *view = syn_window_get_history_view (f->window);
  SynSession *session = syn_window_get_session (f->window);
  GListModel *events = syn_asset_history_view_get_events (view);
  g_autoptr(SynTimelineEvent) updated = NULL;
  GtkWidget *row;

  execute (f->window, FALSE);

  /* a level transmitter a rule created, then another rule changed */
  syn_session_show_asset (session, NULL, "510-LT-001");
  g_assert_cmpstr (syn_window_get_view (f->window), ==, "history");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpuint (g_list_model_get_n_items (events), >=, 2);
  for (guint i = 0; i < g_list_model_get_n_items (events) && updated == NULL; i++)
    {
      g_autoptr(SynTimelineEvent) item = g_list_model_get_item (events, i);

      if (g_strcmp0 (syn_timeline_event_get_event_type (item), "ASSET_UPDATED") == 0)
        updated = g_object_ref (item);
    }
  g_assert_nonnull (updated);
  g_assert_cmpstr (syn_timeline_event_get_string (updated, "rule_id"), ==, "project-instrument-manufacturer");
  {
    g_autoptr(SynTimelineEvent) oldest = g_list_model_get_item (events, 0);

    g_assert_cmpstr (syn_timeline_event_get_event_type (oldest), ==, "ASSET_CREATED");
  }

  /* the before/after table marks what changed */
  row = g_object_ref_sink (syn_history_row_new ());
  syn_history_row_set_item (SYN_HISTORY_ROW (row), updated);
  g_assert_cmpuint (syn_history_row_get_n_changed (SYN_HISTORY_ROW (row)), ==, 1);
  g_object_unref (row);
  g_assert_true (related_has (view, "510-TK-001"));
  save_screenshots (f->window, "history");

  /* related assets: a pump's motor, the motor's pump */
  syn_asset_history_view_show_asset (view, NULL, "110-PP-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_true (related_has (view, "110-M-001"));
  syn_asset_history_view_show_asset (view, NULL, "110-M-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_true (related_has (view, "110-PP-001"));

  /* a batch link goes to the timeline, filtered to it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "history.show-batch", "s",
                                             syn_timeline_event_get_correlation_id (updated)));
  g_assert_cmpstr (syn_window_get_view (f->window), ==, "timeline");
  g_assert_cmpstr (gtk_editable_get_text (child (syn_window_get_timeline_view (f->window), SYN_TYPE_TIMELINE_VIEW,
                                                 "batch_entry")),
                   ==, syn_timeline_event_get_correlation_id (updated));
}

/* Issue 12: a cable has a history; a deleted asset or cable keeps its own,
 * found by its tag; a tag used again shows the newest and offers the others. */
static void
test_history_cables_and_deleted (UiFixture *f, gconstpointer data)
{
  SynAssetHistoryView *view = syn_window_get_history_view (f->window);
  SynSession *session = syn_window_get_session (f->window);
  GListModel *events = syn_asset_history_view_get_events (view);
  GListModel *others = syn_asset_history_view_get_others (view);
  const char *project_id = syn_session_get_project_id (session);
  g_autoptr(JsonObject) get = json_object_new ();
  g_autoptr(JsonObject) remove = json_object_new ();
  g_autoptr(JsonObject) create = json_object_new ();
  g_autoptr(JsonNode) motor = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *old_id = NULL;

  execute (f->window, FALSE);

  /* a cable the rules made: its history */
  syn_session_show_asset (session, NULL, "110-M-001-PWR");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpstr (syn_asset_history_view_get_kind (view), ==, "cable");
  g_assert_false (syn_asset_history_view_get_deleted (view));
  g_assert_cmpuint (g_list_model_get_n_items (events), >=, 1);
  {
    g_autoptr(SynTimelineEvent) oldest = g_list_model_get_item (events, 0);

    g_assert_cmpstr (syn_timeline_event_get_event_type (oldest), ==, "CABLE_CREATED");
  }
  /* its ends are its relatives */
  g_assert_true (related_has (view, "110-M-001"));
  save_screenshot (GTK_WIDGET (f->window), "history-cable");

  /* the motor deleted (its cable with it): both keep their history */
  json_object_set_string_member (get, "project_id", project_id);
  json_object_set_string_member (get, "tag", "110-M-001");
  motor = call (f->window, SYN_OP_GET_ASSET, get);
  old_id = g_strdup (syn_json_get_string (json_node_get_object (motor), "id"));
  json_object_set_string_member (remove, "project_id", project_id);
  json_object_set_string_member (remove, "asset_id", old_id);
  deleted = call (f->window, SYN_OP_DELETE_ASSET, remove);
  syn_asset_history_view_show_asset (view, NULL, "110-M-001-PWR");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpstr (syn_asset_history_view_get_kind (view), ==, "cable");
  g_assert_true (syn_asset_history_view_get_deleted (view));
  {
    g_autoptr(SynTimelineEvent) newest = g_list_model_get_item (events, g_list_model_get_n_items (events) - 1);

    g_assert_cmpstr (syn_timeline_event_get_event_type (newest), ==, "CABLE_DELETED");
  }
  syn_asset_history_view_show_asset (view, NULL, "110-M-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpstr (syn_asset_history_view_get_kind (view), ==, "asset");
  g_assert_true (syn_asset_history_view_get_deleted (view));
  g_assert_cmpstr (syn_asset_history_view_get_asset_id (view), ==, old_id);
  save_screenshot (GTK_WIDGET (f->window), "history-deleted");

  /* the tag used again: the new one first, the deleted one offered */
  json_object_set_string_member (create, "project_id", project_id);
  json_object_set_string_member (create, "tag", "110-M-001");
  json_object_set_string_member (create, "type", "MOTOR");
  again = call (f->window, SYN_OP_CREATE_ASSET, create);
  syn_asset_history_view_show_asset (view, NULL, "110-M-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_false (syn_asset_history_view_get_deleted (view));
  g_assert_cmpstr (syn_asset_history_view_get_asset_id (view), ==, syn_json_get_string (json_node_get_object (again), "id"));
  g_assert_cmpuint (g_list_model_get_n_items (others), ==, 1);
  {
    g_autoptr(SynJsonItem) other = g_list_model_get_item (others, 0);

    g_assert_cmpstr (syn_json_item_get_string (other, "id"), ==, old_id);
    g_assert_nonnull (strstr (syn_json_item_get_label (other), "deleted"));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "history.show-entity", "s", old_id));
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_true (syn_asset_history_view_get_deleted (view));
  g_assert_cmpstr (syn_asset_history_view_get_asset_id (view), ==, old_id);

  /* nothing ever had it */
  syn_asset_history_view_show_asset (view, NULL, "999-XX-999");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (view, SYN_TYPE_ASSET_HISTORY_VIEW, "stack")), ==, "empty");
}

/* Issue 12: the batch filter takes the short id the rows show (8 or more
 * hex digits of its end, or its start). */
static void
test_timeline_short_batch_id (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  GtkEditable *batch_entry = child (view, SYN_TYPE_TIMELINE_VIEW, "batch_entry");
  g_autofree char *correlation_id = NULL;
  g_autofree char *short_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = NULL;
  JsonObject *completed;

  completed = execute (f->window, FALSE);
  correlation_id = g_strdup (syn_json_get_string (completed, "correlation_id"));
  short_id = syn_format_short_id (correlation_id);
  g_assert_cmpuint (strlen (short_id), ==, 8);

  syn_window_show_view (f->window, "timeline");
  gtk_editable_set_text (batch_entry, short_id);
  g_signal_emit_by_name (batch_entry, "activate");
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_total (model) > 0 &&
            syn_timeline_model_get_total (model) == (guint64) timeline_total (f->window, correlation_id, NULL));
  g_assert_null (syn_timeline_model_get_error (model));
  save_screenshot (GTK_WIDGET (f->window), "timeline-short-batch-id");

  /* too short: refused at once, the entry marked */
  gtk_editable_set_text (batch_entry, "beef");
  g_signal_emit_by_name (batch_entry, "activate");
  WAIT_FOR (gtk_widget_has_css_class (GTK_WIDGET (batch_entry), "error"));

  /* two batches ending alike: the backend names both */
  store = syn_store_open (f->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    syn_test_append_batch (store, syn_session_get_project_id (syn_window_get_session (f->window)),
                           i == 0 ? "0190aaaa-1111-7000-8000-0000deadbeef" : "0190bbbb-2222-7000-8000-0000deadbeef",
                           SYN_EVENT_BATCH_STARTED, 1);
  gtk_editable_set_text (batch_entry, "DEADBEEF");
  g_signal_emit_by_name (batch_entry, "activate");
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_error (model) != NULL);
  g_assert_nonnull (strstr (syn_timeline_model_get_error (model), "0190aaaa-1111-7000-8000-0000deadbeef"));
  g_assert_nonnull (strstr (syn_timeline_model_get_error (model), "0190bbbb-2222-7000-8000-0000deadbeef"));
}

/* ------------------------------------------------------------------------- */
/* The living model: whether the project is up to date, held values          */

static SynProjectStatus *
project_status (SynWindow *window)
{
  return syn_session_get_status (syn_window_get_session (window));
}

static gboolean
status_settled (SynWindow *window)
{
  SynProjectState state = syn_project_status_get_state (project_status (window));

  return state != SYN_PROJECT_STATE_CHECKING && state != SYN_PROJECT_STATE_NONE;
}

static const char *
label_text (gpointer widget, GType type, const char *name)
{
  GtkLabel *label = child (widget, type, name);

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

/* What the rule's row in the filters says a run would do to its outputs (NULL: nothing). */
static const char *
rule_row_status (SynExecutionPanel *panel, const char *rule_id)
{
  GtkWidget *box = child (panel, SYN_TYPE_EXECUTION_PANEL, "rules_box");

  for (GtkWidget *row = gtk_widget_get_first_child (box); row; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "rule-id"), rule_id) == 0)
      {
        GtkWidget *label = g_object_get_data (G_OBJECT (row), "status");

        return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
      }
  g_error ("no row for rule %s", rule_id);
  return NULL;
}

static void
count_answers (SynProjectStatus *status, GParamSpec *pspec, guint *answers)
{
  SynProjectState state = syn_project_status_get_state (status);

  if (state == SYN_PROJECT_STATE_UP_TO_DATE || state == SYN_PROJECT_STATE_OUT_OF_DATE)
    (*answers)++;
}

static JsonObject *
get_asset (SynWindow *window, const char *tag)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) asset = NULL;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
  json_object_set_string_member (params, "tag", tag);
  asset = call (window, SYN_OP_GET_ASSET, params);
  return json_object_ref (json_node_get_object (asset));
}

static void
test_status (UiFixture *f, gconstpointer data)
{
  SynWindow *window = f->window;
  SynSession *session = syn_window_get_session (window);
  SynProjectStatus *status = project_status (window);
  SynExecutionPanel *panel = syn_window_get_execution_panel (window);
  GListModel *rules = syn_session_get_rules (session);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *updated = NULL;
  JsonObject *summary, *made, *changed;
  JsonArray *lines;
  gint64 create = 0, update = 0, retract = 0;
  guint answers = 0;
  gulong handler;

  syn_window_show_view (window, "execution");
  WAIT_FOR (status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_OUT_OF_DATE);

  /* rule by rule, the rows say what the backend's own answer says */
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (session));
  answer = call (window, SYN_OP_PROJECT_STATUS, params);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (answer), "up_to_date"));
  lines = json_object_get_array_member (json_node_get_object (answer), "rules");
  g_assert_cmpuint (json_array_get_length (lines), >, 0);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);
      g_autofree char *expected = syn_format_rule_status (line);

      g_assert_cmpstr (rule_row_status (panel, syn_json_get_string (line, "rule_id")), ==, expected);
      create += json_object_get_int_member (line, "create");
      update += json_object_get_int_member (line, "update");
      retract += json_object_get_int_member (line, "retract");
    }
  /* the demo: a motor for each of its 14 centrifugal pumps, 600 V for its 19 motors */
  g_assert_cmpstr (rule_row_status (panel, "firm-pump-motor"), ==, "14 to create");
  g_assert_cmpstr (rule_row_status (panel, "country-ca-motor-voltage"), ==, "19 to update");
  /* two pumps without horsepower: findings, but no output to change */
  g_assert_null (rule_row_status (panel, "firm-pump-hp-required"));
  g_assert_cmpint (retract, ==, 0);
  title = g_strdup_printf ("Out of date: a run would change %d outputs", (int) (create + update + retract));
  detail = g_strdup_printf ("%d to create · %d to update", (int) create, (int) update);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==, title);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_detail"), ==, detail);
  g_assert_null (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_held"));
  save_screenshots (window, "execution-out-of-date");

  /* narrow: the run in the whole width, the filters a button away */
  resize_window (window, 360);
  g_assert_true (syn_execution_panel_get_narrow (panel));
  g_assert_false (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "filters_pane")));
  g_assert_true (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane")));
  assert_fits (child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane"));
  save_screenshot (GTK_WIDGET (window), "execution-out-of-date-narrow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.show-filters", NULL));
  g_assert_true (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "filters_pane")));
  g_assert_false (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane")));
  wait_frames (GTK_WIDGET (window), 3);
  assert_fits (child (panel, SYN_TYPE_EXECUTION_PANEL, "filters_pane"));
  save_screenshot (GTK_WIDGET (window), "execution-filters-narrow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.show-filters", NULL));
  g_assert_true (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane")));
  resize_window (window, 0);
  g_assert_false (syn_execution_panel_get_narrow (panel));
  g_assert_true (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "filters_pane")));
  g_assert_true (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane")));

  /* the run does what the status announced */
  summary = json_object_get_object_member (execute (window, FALSE), "summary");
  made = json_object_get_object_member (summary, "created");
  changed = json_object_get_object_member (summary, "updated");
  g_assert_cmpint (json_object_get_int_member (made, "assets") + json_object_get_int_member (made, "cables") +
                   json_object_get_int_member (made, "edges"), ==, create);
  g_assert_cmpint (json_object_get_int_member (changed, "assets") + json_object_get_int_member (changed, "cables"),
                   ==, update);
  updated = g_strdup_printf ("Updated %d assets", (int) json_object_get_int_member (changed, "assets"));
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "updated_label"), ==, updated);
  g_assert_null (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "retracted_label"));

  /* its batch changed the project: checked again, and up to date */
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_CHECKING);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==,
                   "Checking the project against its rules…");
  g_assert_true (gtk_spinner_get_spinning (child (panel, SYN_TYPE_EXECUTION_PANEL, "status_spinner")));
  WAIT_FOR (status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==, "Up to date with its rules");
  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(SynJsonItem) rule = g_list_model_get_item (rules, i);

      g_assert_null (rule_row_status (panel, syn_json_item_get_string (rule, "id")));
    }
  save_screenshots (window, "execution-up-to-date");

  /* a second run finds nothing to do, and says so */
  execute (window, FALSE);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "summary_title"), ==, "Up to date: nothing to do");
  g_assert_null (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "created_label"));
  g_assert_false (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "show_batch_button")));

  /* a burst of changes is one check */
  spin (500);
  WAIT_FOR (status_settled (window));
  handler = g_signal_connect (status, "notify::state", G_CALLBACK (count_answers), &answers);
  for (guint i = 0; i < 5; i++)
    {
      syn_session_data_changed (session);
      spin (20);
    }
  WAIT_FOR (status_settled (window));
  spin (500);
  g_assert_cmpuint (answers, ==, 1);
  g_signal_handler_disconnect (status, handler);

  /* a check that fails says so in the panel, and can be made again */
  syn_project_status_check (status, syn_session_get_backend (session), "01a2490e-0000-7000-8000-000000000000");
  WAIT_FOR (status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_FAILED);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==,
                   "Could not check the project against its rules");
  g_assert_nonnull (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_detail"));
  g_assert_true (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "status_retry_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.check-status", NULL));
  WAIT_FOR (status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);
  g_assert_false (gtk_widget_get_visible (child (panel, SYN_TYPE_EXECUTION_PANEL, "status_retry_button")));

  /* a pump that is no longer centrifugal: its motor, cable and edge to retract */
  {
    g_autoptr(JsonObject) pump = get_asset (window, "110-PP-001");
    g_autoptr(JsonObject) edit = json_object_new ();
    g_autoptr(JsonNode) edited = NULL;
    JsonObject *properties = json_object_new ();

    json_object_set_string_member (edit, "project_id", syn_session_get_project_id (session));
    json_object_set_string_member (edit, "asset_id", syn_json_get_string (pump, "id"));
    json_object_set_string_member (properties, "pump_type", "DIAPHRAGM");
    json_object_set_object_member (edit, "properties", properties);
    edited = call (window, SYN_OP_UPDATE_ASSET, edit);
  }
  WAIT_FOR (status_settled (window) && syn_project_status_get_total (status, "retract") > 0);
  g_assert_cmpstr (rule_row_status (panel, "firm-pump-motor"), ==, "3 to retract");
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==,
                   "Out of date: a run would change 3 outputs");
  execute (window, FALSE);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "retracted_label"), ==,
                   "Retracted 1 asset, 1 cable and 1 edge");
  g_assert_null (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "created_label"));
  g_assert_null (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "updated_label"));
  WAIT_FOR (status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);

  /* another project: its own status, the first one's answer never shown for it */
  {
    g_autoptr(JsonObject) params_new = json_object_new ();
    g_autoptr(JsonNode) created = NULL;
    g_autofree char *first = g_strdup (syn_session_get_project_id (session));
    const char *second;

    json_object_set_string_member (params_new, "name", "Empty");
    created = call (window, SYN_OP_CREATE_PROJECT, params_new);
    second = syn_json_get_string (json_node_get_object (created), "id");
    syn_session_load_projects (session, second, FALSE);
    WAIT_FOR (g_strcmp0 (syn_session_get_project_id (session), second) == 0 && status_settled (window));
    g_assert_cmpstr (syn_json_get_string (syn_project_status_get_report (status), "project_id"), ==, second);
    g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);
    for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
      {
        g_autoptr(SynJsonItem) rule = g_list_model_get_item (rules, i);

        g_assert_null (rule_row_status (panel, syn_json_item_get_string (rule, "id")));
      }
    syn_session_load_projects (session, first, FALSE);
    WAIT_FOR (g_strcmp0 (syn_session_get_project_id (session), first) == 0 && status_settled (window));
    g_assert_cmpstr (syn_json_get_string (syn_project_status_get_report (status), "project_id"), ==, first);
  }
}

static gboolean
strv_has (JsonObject *asset, const char *member, const char *value)
{
  JsonArray *array = syn_ui_json_array (syn_ui_json_object (asset, "derivation"), member);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

/* A person's edits against the rules, through the backend as another
 * engineer would: the motor's voltage changed (a rule sets it, by
 * country), the tank's level transmitter deleted. Returns the voltage the
 * rule gave the motor. */
static gint64
hold_against_rules (SynWindow *window)
{
  g_autoptr(JsonObject) motor = get_asset (window, "110-M-001");
  g_autoptr(JsonObject) transmitter = get_asset (window, "510-LT-001");
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonObject) delete = json_object_new ();
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  JsonObject *properties = json_object_new ();
  const char *project_id = syn_session_get_project_id (syn_window_get_session (window));

  json_object_set_string_member (update, "project_id", project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (motor, "id"));
  json_object_set_int_member (properties, "voltage", 480);
  json_object_set_object_member (update, "properties", properties);
  updated = call (window, SYN_OP_UPDATE_ASSET, update);
  json_object_set_string_member (delete, "project_id", project_id);
  json_object_set_string_member (delete, "asset_id", syn_json_get_string (transmitter, "id"));
  deleted = call (window, SYN_OP_DELETE_ASSET, delete);
  g_assert_true (strv_has (json_node_get_object (updated), "held", "properties.voltage"));
  return json_object_get_int_member (json_object_get_object_member (motor, "properties"), "voltage");
}

static SynJsonItem *
held_item (SynAssetHistoryView *view, guint i)
{
  return g_list_model_get_item (syn_asset_history_view_get_held (view), i);
}

static void
test_hand_back (UiFixture *f, gconstpointer data)
{
  SynWindow *window = f->window;
  SynSession *session = syn_window_get_session (window);
  SynProjectStatus *status = project_status (window);
  SynExecutionPanel *panel = syn_window_get_execution_panel (window);
  SynAssetHistoryView *view = syn_window_get_history_view (window);
  GListModel *held = syn_asset_history_view_get_held (view);
  gint64 voltage;
  g_autoptr(JsonObject) motor = NULL;
  g_autoptr(JsonObject) tank = NULL;
  g_autoptr(JsonObject) transmitter = NULL;
  g_autoptr(SynJsonItem) item = NULL;
  g_autoptr(SynJsonItem) output = NULL;

  execute (window, FALSE);
  voltage = hold_against_rules (window);
  g_assert_cmpint (voltage, ==, 600);

  /* the panel follows the other engineer's edits: two outputs held */
  WAIT_FOR (status_settled (window) && syn_project_status_get_total (status, "held") == 2);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_held"), ==,
                   "2 values held by people against the rules");
  g_assert_cmpstr (rule_row_status (panel, "firm-tank-level-transmitter"), ==, "1 held");

  /* a preview leaves them as they are, and says so */
  execute (window, TRUE);
  g_assert_cmpstr (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "warnings_label"), ==,
                   "2 values held by people: the rules left them as they are");
  save_screenshots (window, "execution-held");

  /* the motor: its voltage, held */
  syn_session_show_asset (session, NULL, "110-M-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 1);
  item = held_item (view, 0);
  g_assert_cmpstr (syn_json_item_get_string (item, "kind"), ==, "property");
  g_assert_cmpstr (syn_json_item_get_string (item, "name"), ==, "voltage");
  g_assert_cmpstr (syn_json_item_get_label (item), ==, "Property “voltage”: 480");
  g_assert_true (gtk_widget_get_visible (child (view, SYN_TYPE_ASSET_HISTORY_VIEW, "held_box")));
  g_assert_false (gtk_widget_get_visible (child (view, SYN_TYPE_ASSET_HISTORY_VIEW, "hand_back_all_button")));
  save_screenshots (window, "history-held");
  save_narrow_screenshot (window, "history-held-narrow");

  /* handed back: no longer held, said in the window; the value stays until a run */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "history.hand-back", "(ss)", "property", "voltage"));
  g_assert_true (syn_asset_history_view_get_busy (view));
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpstr (syn_window_get_banner (window), ==, "Handed back to the rules: the next run sets it again");
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (view, SYN_TYPE_ASSET_HISTORY_VIEW, "held_box")));
  motor = get_asset (window, "110-M-001");
  g_assert_false (strv_has (motor, "held", "properties.voltage"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (motor, "properties"), "voltage"), ==, 480);
  WAIT_FOR (status_settled (window) && syn_project_status_get_total (status, "held") == 1);

  /* the tank: the level transmitter a person deleted, handed back with all */
  syn_session_show_asset (session, NULL, "510-TK-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 1);
  output = held_item (view, 0);
  g_assert_cmpstr (syn_json_item_get_string (output, "kind"), ==, "rule");
  g_assert_cmpstr (syn_json_item_get_string (output, "name"), ==, "firm-tank-level-transmitter");
  g_assert_cmpstr (syn_json_item_get_label (output), ==, "Output of “FIRM: Tanks require Level Transmitter”: deleted");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "history.hand-back-all", NULL));
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpstr (syn_window_get_banner (window), ==, "Handed back to the rules: the next run sets it all again");
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 0);
  tank = get_asset (window, "510-TK-001");
  g_assert_false (strv_has (tank, "withheld", "firm-tank-level-transmitter"));

  /* the next run sets them again */
  execute (window, FALSE);
  g_clear_pointer (&motor, json_object_unref);
  motor = get_asset (window, "110-M-001");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (motor, "properties"), "voltage"), ==, voltage);
  transmitter = get_asset (window, "510-LT-001");
  g_assert_cmpstr (syn_json_get_string (transmitter, "created_by_rule_id"), ==, "firm-tank-level-transmitter");
  WAIT_FOR (status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);
}

/* The same, in French: the translations load, and the long words fit. */
static void
test_french (UiFixture *f, gconstpointer data)
{
  SynWindow *window = f->window;
  SynExecutionPanel *panel = syn_window_get_execution_panel (window);
  SynAssetHistoryView *view = syn_window_get_history_view (window);
  syn_window_show_view (window, "execution");
  WAIT_FOR (status_settled (window));
  g_assert_true (g_str_has_prefix (label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), "Pas à jour"));
  save_screenshot (GTK_WIDGET (window), "fr-execution-out-of-date");
  save_narrow_screenshot (window, "fr-execution-out-of-date-narrow");

  execute (window, FALSE);
  hold_against_rules (window);
  WAIT_FOR (status_settled (window) && syn_project_status_get_total (project_status (window), "held") == 2);
  save_screenshot (GTK_WIDGET (window), "fr-execution-held");
  save_narrow_screenshot (window, "fr-execution-held-narrow");

  syn_session_show_asset (syn_window_get_session (window), NULL, "110-M-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpuint (g_list_model_get_n_items (syn_asset_history_view_get_held (view)), ==, 1);
  save_screenshot (GTK_WIDGET (window), "fr-history-held");
  save_narrow_screenshot (window, "fr-history-held-narrow");
}

/* Counts agree in number, in English and in French (whose singular also
 * takes 0): "1 asset restored", "1 rule executed on 1 asset". */
static void
test_plurals (void)
{
  g_autoptr(JsonObject) one = syn_json_parse_object ("{\"rules_executed\": 1, \"assets_processed\": 1, "
                                                     "\"actions_taken\": 1, \"skipped\": 0, \"errors\": 1, "
                                                     "\"created\": {\"assets\": 1, \"cables\": 0, \"edges\": 2}}",
                                                     -1, NULL);
  g_autoptr(JsonObject) rollback = syn_json_parse_object ("{\"assets_deleted\": 0, \"cables_deleted\": 1, "
                                                          "\"edges_deleted\": 0, \"assets_restored\": 1}", -1, NULL);
  g_autoptr(JsonObject) none = syn_json_parse_object ("{\"assets_deleted\": 0, \"assets_restored\": 0}", -1, NULL);
  char *text;

  use_language (NULL);
  text = syn_format_run_summary (one);
  g_assert_cmpstr (text, ==, "1 rule executed on 1 asset: 1 action taken, 0 skipped, 1 error");
  g_free (text);
  text = syn_format_batch_summary (one);
  g_assert_cmpstr (text, ==, "1 action, 0 skipped, 1 error; created 1 asset and 2 edges");
  g_free (text);
  text = syn_format_rollback_summary (rollback);
  g_assert_cmpstr (text, ==, "1 cable deleted and 1 asset restored");
  g_free (text);
  text = syn_format_rollback_summary (none);
  g_assert_cmpstr (text, ==, "nothing changed");
  g_free (text);

  use_language ("fr");
  text = syn_format_run_summary (one);
  g_assert_cmpstr (text, ==, "1 règle exécutée sur 1 équipement : 1 action effectuée, 0 ignorée, 1 erreur");
  g_free (text);
  text = syn_format_rollback_summary (rollback);
  g_assert_cmpstr (text, ==, "suppression de 1 câble et 1 équipement rétabli");
  g_free (text);
  use_language (NULL);
}

static void
sign_in (SynSignInDialog *dialog, const char *username, const char *password)
{
  gtk_editable_set_text (child (dialog, SYN_TYPE_SIGN_IN_DIALOG, "username_entry"), username);
  gtk_editable_set_text (child (dialog, SYN_TYPE_SIGN_IN_DIALOG, "password_entry"), password);
  syn_sign_in_dialog_submit (dialog);
}

static void
test_remote (void)
{
  /* the server on a context of its own: the main thread's is GTK's */
  SynTestServerOptions options = { .own_context = TRUE };
  SynTestServer *server = syn_test_server_start (&options);
  /* the demo is an admin's to create on a team server */
  g_autofree char *user_id = syn_test_server_add_user (server, "alice", "admin");
  SynWindow *window;
  SynSignInDialog *dialog = NULL;
  SynSession *session;
  SynTimelineView *view;
  g_autofree char *correlation_id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *last_url = NULL;
  JsonObject *completed;

  window = syn_application_open_window (app, NULL, server->url);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  session = syn_window_get_session (window);

  /* the sign-in dialog, filled with the server */
  dialog = find_toplevel (SYN_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_cmpstr (gtk_editable_get_text (child (dialog, SYN_TYPE_SIGN_IN_DIALOG, "url_entry")), ==, server->url);

  /* a wrong password is said in the dialog */
  sign_in (dialog, "alice", "wrong");
  WAIT_FOR (gtk_widget_get_visible (child (dialog, SYN_TYPE_SIGN_IN_DIALOG, "error_label")));
  g_assert_false (syn_session_get_remote (session));
  save_screenshot (GTK_WIDGET (dialog), "sign-in");

  sign_in (dialog, "alice", SYN_TEST_PASSWORD);
  WAIT_FOR (dialog == NULL);
  g_assert_true (syn_session_get_remote (session));
  label = g_strdup_printf ("%s — alice", server->url);
  g_assert_cmpstr (syn_session_get_connection_label (session), ==, label);
  last_url = g_settings_get_string (syn_application_get_settings (app), "last-server-url");
  g_assert_cmpstr (last_url, ==, server->url);

  /* a project on the server, then the same execution as locally */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.create-demo", NULL));
  WAIT_FOR (project_ready (window));
  completed = execute (window, FALSE);
  correlation_id = g_strdup (syn_json_get_string (completed, "correlation_id"));
  {
    SynExecutionPanel *panel = syn_window_get_execution_panel (window);
    g_autofree char *actions = syn_format_count (json_object_get_int_member (json_object_get_object_member (completed, "summary"),
                                                                             "actions_taken"));

    g_assert_cmpstr (gtk_label_get_text (child (panel, SYN_TYPE_EXECUTION_PANEL, "actions_value")), ==, actions);
    g_assert_cmpuint (g_list_model_get_n_items (syn_execution_panel_get_log (panel)), >, 0);
  }
  view = syn_window_get_timeline_view (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (syn_window_get_execution_panel (window)), "panel.show-batch", NULL));
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (syn_timeline_view_get_model (view)), ==,
                    (guint64) timeline_total (window, correlation_id, NULL));
  save_screenshot (GTK_WIDGET (window), "remote-timeline");

  /* another client's change on the server appears by itself */
  {
    SynTimelineModel *model = syn_timeline_view_get_model (view);
    g_autofree char *token = syn_test_server_login (server, "alice");
    g_autoptr(JsonObject) get = json_object_new ();
    g_autoptr(JsonNode) pump = NULL;
    g_autoptr(JsonNode) patched = NULL;
    g_autofree char *path = NULL;
    guint status = 0;
    guint64 before;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.clear-filters", NULL));
    WAIT_FOR (!syn_timeline_view_get_busy (view));
    before = syn_timeline_model_get_total (model);
    json_object_set_string_member (get, "project_id", syn_session_get_project_id (session));
    json_object_set_string_member (get, "tag", "110-PP-001");
    pump = call (window, SYN_OP_GET_ASSET, get);
    path = g_strdup_printf ("/api/v1/projects/%s/assets/%s", syn_session_get_project_id (session),
                            syn_json_get_string (json_node_get_object (pump), "id"));
    patched = syn_test_http (server, "PATCH", path, token, "application/json",
                             "{\"properties\": {\"seal\": \"mechanical\"}}", -1, &status);
    g_assert_cmpuint (status, ==, 200);
    WAIT_FOR (syn_timeline_model_get_total (model) == before + 1 && !syn_timeline_view_get_busy (view));
  }

  /* work offline again */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.work-offline", NULL));
  g_assert_false (syn_session_get_remote (session));

  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL);
  spin (100);
  syn_test_server_stop (server);
}

/* A viewer on a team server sees whether the project is up to date, but
 * may not hand anything back: the server's refusal is said in the window. */
static void
test_hand_back_viewer (void)
{
  SynTestServerOptions options = { .own_context = TRUE };
  SynTestServer *server = syn_test_server_start (&options);
  g_autofree char *admin_id = syn_test_server_add_user (server, "alice", "admin");
  g_autofree char *viewer_id = syn_test_server_add_user (server, "victor", "viewer");
  g_autofree char *token = syn_test_server_login (server, "alice");
  g_autoptr(JsonNode) demo = NULL;
  SynSignInDialog *dialog;
  SynAssetHistoryView *view;
  SynWindow *window;
  const char *banner;
  guint status = 0;

  /* the demo, made by an admin; the viewer a member of it */
  demo = syn_test_http (server, "POST", "/api/v1/demo", token, "application/json", "{}", -1, &status);
  g_assert_cmpuint (status, ==, 201);
  syn_test_server_add_member (server, syn_json_get_string (json_object_get_object_member (json_node_get_object (demo),
                                                                                         "project"), "id"),
                              viewer_id);

  window = syn_application_open_window (app, NULL, server->url);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  dialog = find_toplevel (SYN_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  sign_in (dialog, "victor", SYN_TEST_PASSWORD);
  WAIT_FOR (dialog == NULL);
  WAIT_FOR (project_ready (window));

  WAIT_FOR (status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (project_status (window)), ==, SYN_PROJECT_STATE_OUT_OF_DATE);
  g_assert_cmpint (syn_project_status_get_total (project_status (window), "create"), >, 0);

  view = syn_window_get_history_view (window);
  syn_session_show_asset (syn_window_get_session (window), NULL, "110-PP-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "history.hand-back", "(ss)", "property", "hp"));
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  banner = syn_window_get_banner (window);
  g_assert_nonnull (banner);
  g_assert_true (g_str_has_prefix (banner, "Could not hand it back to the rules: "));
  save_screenshot (GTK_WIDGET (window), "history-viewer-refused");

  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL);
  spin (100);
  syn_test_server_stop (server);
}


/* ------------------------------------------------------------------------- */
/* Assets and Cables (issue 14)                                              */

#define GRID_CABLES 100000

/* @n cables straight into the database (no events: the grid reads the
 * tables), to the load @to_asset_id; every 97th cannot be sized. */
static void
add_cables (const char *db, const char *project_id, const char *to_asset_id, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = syn_store_open (db, &error);

  g_assert_no_error (error);
  g_assert_true (syn_store_begin (store, &error));
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(SynCable) cable = syn_cable_new ();

      cable->project_id = g_strdup (project_id);
      cable->tag = g_strdup_printf ("CBL-%06u", i);
      cable->to_asset_id = g_strdup (to_asset_id);
      cable->cable_type = g_strdup ("TECK90");
      cable->voltage = 600;
      cable->length_m = 10 + i % 300;
      cable->flc_a = 20 + i % 50;
      cable->ampacity_a = 30 + i % 60;
      cable->voltage_drop_pct = (i % 1000) / 100.0;
      cable->conductor_size = g_strdup (i % 97 == 0 ? "OVER_LIMIT" : "6 AWG");
      g_assert_true (syn_store_insert_cable (store, cable, &error));
    }
  g_assert_true (syn_store_commit (store, &error));
  g_assert_no_error (error);
}

static GtkColumnViewColumn *
grid_column (SynAssetsView *view, const char *key)
{
  GListModel *columns = gtk_column_view_get_columns (syn_assets_view_get_grid (view));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (column), "key"), key) == 0)
        return column;
    }
  g_assert_not_reached ();
}

static SynGridRow *
grid_row (SynAssetsView *view, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (syn_assets_view_get_model (view)), position);
}

/* The grid once its first window is in. */
static void
wait_grid (SynAssetsView *view)
{
  SynGridModel *model = syn_assets_view_get_model (view);

  WAIT_FOR (!syn_grid_model_get_loading (model));
  g_assert_null (syn_grid_model_get_error (model));
  if (g_list_model_get_n_items (G_LIST_MODEL (model)) > 0)
    {
      g_autoptr(SynGridRow) first = grid_row (view, 0);

      WAIT_FOR (syn_grid_row_get_loaded (first));
    }
}

static void
set_filter (SynAssetsView *view, const char *entry, const char *text)
{
  gtk_editable_set_text (child (view, SYN_TYPE_ASSETS_VIEW, entry), text);
  syn_assets_view_apply_filters (view);
  wait_grid (view);
}

/* An export written, read back with the project's CSV reader. */
static GPtrArray *
export_and_read (SynWindow *window, const char *what, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  gsize length = 0;
  GPtrArray *records;

  g_unlink (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-banner", NULL));
  syn_assets_view_export_to_file (syn_window_get_assets_view (window), what, file);
  /* the window says when the file is written */
  WAIT_FOR (syn_window_get_banner (window) != NULL);
  g_assert_true (g_str_has_prefix (syn_window_get_banner (window), "Exported "));
  g_assert_true (g_file_get_contents (path, &content, &length, &error));
  records = syn_csv_parse (content, length, &error);
  g_assert_no_error (error);
  return records;
}

static const char *
field (GPtrArray *records, guint row, guint column)
{
  SynCsvRecord *record = g_ptr_array_index (records, row);

  return g_ptr_array_index (record->fields, column);
}

/* 100,000 cables: opened, sorted, filtered, scrolled to the end; exported
 * (the list and a selection) and read back. */
static void
test_grid (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);
  SynSession *session = syn_window_get_session (f->window);
  SynGridModel *model = syn_assets_view_get_model (view);
  g_autoptr(JsonObject) pump = get_asset (f->window, "210-PP-001");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(SynGridRow) first = NULL;
  g_autoptr(SynGridRow) last = NULL;
  GtkAdjustment *adjustment;
  gboolean descending = FALSE;
  guint n;

  add_cables (f->db, syn_session_get_project_id (session), syn_json_get_string (pump, "id"), GRID_CABLES);
  syn_window_show_view (f->window, "assets");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-view", "s", "assets"));
  syn_assets_view_set_cables (view, TRUE);
  wait_grid (view);
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, GRID_CABLES);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, GRID_CABLES);
  first = grid_row (view, 0);
  g_assert_cmpstr (syn_grid_row_get_tag (first), ==, "CBL-000001");
  g_assert_cmpstr (syn_json_get_string (syn_grid_row_get_json (first), "to_tag"), ==, "210-PP-001");
  /* a window of rows, not the whole list */
  g_assert_cmpuint (syn_grid_model_get_n_cached_pages (model), <=, 16);
  {
    g_autofree char *number = syn_format_count (GRID_CABLES);
    g_autofree char *expected = g_strdup_printf ("%s cables", number);

    g_assert_cmpstr (gtk_label_get_text (child (view, SYN_TYPE_ASSETS_VIEW, "count_label")), ==, expected);
  }
  save_screenshots (f->window, "assets-cables");
  save_narrow_screenshot (f->window, "assets-cables-narrow");

  /* sorted by the voltage drop, largest first, by the column header's sorter */
  gtk_column_view_sort_by_column (syn_assets_view_get_grid (view), grid_column (view, "voltage_drop_pct"),
                                  GTK_SORT_DESCENDING);
  g_assert_cmpstr (syn_assets_view_get_sort (view, &descending), ==, "voltage_drop_pct");
  g_assert_true (descending);
  wait_grid (view);
  g_clear_object (&first);
  first = grid_row (view, 0);
  g_assert_cmpfloat (syn_grid_row_get_cable (first)->voltage_drop_pct, ==, 9.99);
  gtk_column_view_sort_by_column (syn_assets_view_get_grid (view), grid_column (view, "tag"), GTK_SORT_ASCENDING);
  g_assert_cmpstr (syn_assets_view_get_sort (view, &descending), ==, "tag");
  g_assert_false (descending);
  wait_grid (view);

  /* filtered: a wildcard, then a test on a column; OVER_LIMIT rows marked */
  set_filter (view, "tag_entry", "CBL-0999*");
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, 100);
  set_filter (view, "where_entry", "conductor_size == OVER_LIMIT");
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, 1);
  g_clear_object (&first);
  first = grid_row (view, 0);
  g_assert_cmpstr (syn_grid_row_get_tag (first), ==, "CBL-099910");
  g_assert_true (syn_grid_row_get_over_limit (first));
  save_screenshot (GTK_WIDGET (f->window), "assets-cables-filtered");
  set_filter (view, "where_entry", "");
  set_filter (view, "tag_entry", "");
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, GRID_CABLES);

  /* scrolled to the end: the last window is fetched, nothing between */
  adjustment = gtk_scrolled_window_get_vadjustment (child (view, SYN_TYPE_ASSETS_VIEW, "scroller"));
  WAIT_FOR (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  wait_frames (GTK_WIDGET (f->window), 3);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  last = grid_row (view, n - 1);
  WAIT_FOR (syn_grid_row_get_loaded (last));
  g_assert_cmpstr (syn_grid_row_get_tag (last), ==, "CBL-100000");
  g_assert_cmpuint (syn_grid_model_get_n_cached_pages (model), <=, 16);
  save_screenshot (GTK_WIDGET (f->window), "assets-cables-end");

  /* export round trip: the filtered list, then a selection of it */
  set_filter (view, "tag_entry", "CBL-0000*");
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, 99);
  records = export_and_read (f->window, "list", f->tmpdir);
  g_assert_cmpuint (records->len, ==, 100);
  g_assert_cmpstr (field (records, 0, 4), ==, "voltage (V)");
  g_assert_cmpstr (field (records, 0, 9), ==, "voltage drop (%)");
  g_assert_cmpstr (field (records, 1, 0), ==, "CBL-000001");
  g_assert_cmpstr (field (records, 1, 2), ==, "210-PP-001");
  g_assert_cmpstr (field (records, 99, 0), ==, "CBL-000099");
  g_clear_pointer (&records, g_ptr_array_unref);
  gtk_selection_model_select_range (syn_assets_view_get_selection (view), 10, 5, TRUE);
  records = export_and_read (f->window, "selection", f->tmpdir);
  g_assert_cmpuint (records->len, ==, 6);
  g_assert_cmpstr (field (records, 1, 0), ==, "CBL-000011");
  g_assert_cmpstr (field (records, 5, 0), ==, "CBL-000015");
  g_assert_cmpstr (field (records, 5, 4), ==, "600");
  g_assert_cmpstr (field (records, 1, 9), ==, "0.11");
}

static gboolean
hierarchy_has (SynAssetsView *view, const char *label)
{
  GListModel *hierarchy = syn_assets_view_get_hierarchy (view);

  for (guint i = 0; i < g_list_model_get_n_items (hierarchy); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (hierarchy, i);
      g_autoptr(SynJsonItem) node = gtk_tree_list_row_get_item (row);

      if (g_strcmp0 (syn_json_item_get_label (node), label) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The asset list: property columns and tests, the hierarchy from the
 * edges (pump -> motor -> cable), a row's history, deleting a selection. */
static void
test_grid_assets (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);
  SynGridModel *model = syn_assets_view_get_model (view);
  GListModel *hierarchy = syn_assets_view_get_hierarchy (view);
  g_autoptr(SynGridRow) row = NULL;
  g_autoptr(GtkTreeListRow) motor = NULL;
  GtkMessageDialog *dialog;
  guint64 before;

  /* before the first run, the pumps are out of date: marked; after it, not */
  {
    g_autoptr(JsonObject) pump = get_asset (f->window, "210-PP-001");

    WAIT_FOR (status_settled (f->window));
    g_assert_true (syn_project_status_is_out_of_date (project_status (f->window), syn_json_get_string (pump, "id")));
    syn_window_show_view (f->window, "assets");
    wait_grid (view);
    save_screenshot (GTK_WIDGET (f->window), "assets-out-of-date");
    execute (f->window, FALSE);
    WAIT_FOR (status_settled (f->window) &&
              syn_project_status_get_state (project_status (f->window)) == SYN_PROJECT_STATE_UP_TO_DATE);
    g_assert_false (syn_project_status_is_out_of_date (project_status (f->window), syn_json_get_string (pump, "id")));
  }
  syn_window_show_view (f->window, "assets");
  wait_grid (view);
  g_assert_false (syn_assets_view_get_cables (view));
  g_assert_cmpuint (syn_grid_model_get_total (model), >, 20);

  /* properties as columns; a test on one */
  gtk_editable_set_text (child (view, SYN_TYPE_ASSETS_VIEW, "columns_entry"), "hp, voltage");
  g_signal_emit_by_name (child (view, SYN_TYPE_ASSETS_VIEW, "columns_entry"), "activate");
  g_assert_nonnull (grid_column (view, "hp"));
  set_filter (view, "where_entry", "hp > 200");
  set_filter (view, "tag_entry", "210-*");
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, 4);
  row = grid_row (view, 0);
  g_assert_cmpstr (syn_grid_row_get_tag (row), ==, "210-M-001");
  {
    g_autofree char *hp = syn_grid_row_get_text (row, "hp");
    g_autofree char *by = syn_grid_row_get_text (row, "created_by");

    g_assert_cmpstr (hp, ==, "250");
    g_assert_cmpstr (by, ==, "firm-slurry-pump-motor");
  }
  save_screenshots (f->window, "assets-list");

  /* the motor's hierarchy: its pump, its cable; the pump's: its motor */
  gtk_selection_model_select_item (syn_assets_view_get_selection (view), 0, TRUE);
  WAIT_FOR (hierarchy_has (view, "powers 210-PP-001 (PUMP)"));
  WAIT_FOR (hierarchy_has (view, "Cable 210-M-001-PWR: — → 210-M-001"));
  save_screenshot (GTK_WIDGET (f->window), "assets-hierarchy");
  /* expanding the pump shows the motor again, from the other side */
  for (guint i = 0; i < g_list_model_get_n_items (hierarchy) && motor == NULL; i++)
    {
      g_autoptr(GtkTreeListRow) item = g_list_model_get_item (hierarchy, i);

      if (gtk_tree_list_row_is_expandable (item))
        motor = g_object_ref (item);
    }
  g_assert_nonnull (motor);
  gtk_tree_list_row_set_expanded (motor, TRUE);
  WAIT_FOR (hierarchy_has (view, "210-M-001 (MOTOR) powers it"));

  /* a row opens its history */
  g_signal_emit_by_name (syn_assets_view_get_grid (view), "activate", 0);
  g_assert_cmpstr (syn_window_get_view (f->window), ==, "history");
  WAIT_FOR (!syn_asset_history_view_get_busy (syn_window_get_history_view (f->window)));
  g_assert_cmpstr (syn_asset_history_view_get_asset_id (syn_window_get_history_view (f->window)), ==,
                   syn_grid_row_get_id (row));

  /* deleting the selection: asked first, then one batch per asset */
  syn_window_show_view (f->window, "assets");
  before = syn_grid_model_get_total (model);
  gtk_selection_model_select_range (syn_assets_view_get_selection (view), 0, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "grid.delete", NULL));
  dialog = find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  save_screenshot (GTK_WIDGET (dialog), "assets-delete");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  WAIT_FOR (syn_grid_model_get_total (model) == before - 2 && !syn_grid_model_get_loading (model));
  g_assert_nonnull (syn_window_get_banner (f->window));
  g_assert_cmpstr (syn_window_get_banner (f->window), ==, "Deleted 2 assets.");
  g_assert_cmpint (timeline_total (f->window, NULL, "ASSET_DELETED"), ==, 2);
}

/* The view in French, narrow and wide. */
static void
test_grid_french (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);

  execute (f->window, FALSE);
  syn_window_show_view (f->window, "assets");
  syn_assets_view_set_cables (view, TRUE);
  wait_grid (view);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (child (view, SYN_TYPE_ASSETS_VIEW, "count_label")), "câbles"));
  g_assert_cmpstr (gtk_column_view_column_get_title (grid_column (view, "voltage_drop_pct")), ==,
                   "Chute de tension (%)");
  save_screenshot (GTK_WIDGET (f->window), "fr-assets-cables");
  save_narrow_screenshot (f->window, "fr-assets-cables-narrow");
}
/* ------------------------------------------------------------------------- */

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Xvfb has no session bus: GtkApplication says so once; that is not a failure. */
static gboolean
fatal_log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  return strstr (message, "session bus") == NULL && strstr (message, "org.a11y.Bus") == NULL;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xdg = NULL;
  int ret;

  in_main = TRUE;
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* TAP: a plan of nothing, skipped */
      printf ("1..0 # SKIP no display: run under xvfb-run (build-aux/synapse-dev test does)\n");
      return 0;
    }
  g_test_log_set_fatal_handler (fatal_log_handler, NULL);
  /* the default local database must never be the tester's own */
  xdg = g_dir_make_tmp ("synapse-ui-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);

  /* the translations of the build tree, for the French test; the domain
   * as the application sets it (the templates and _() use the default one) */
  {
    g_autofree char *po = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

    bindtextdomain (GETTEXT_PACKAGE, po);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }
  app = syn_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* what is checked and saved is the end state, not a transition */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* wakes the waits up even when nothing else happens */
  g_timeout_add (20, keep_waking, NULL);

  g_test_add ("/ui/first-start", UiFixture, NULL, fixture_setup, test_first_start, fixture_teardown);
  g_test_add ("/ui/execute", UiFixture, NULL, fixture_setup, test_execute, fixture_teardown);
  g_test_add ("/ui/dry-run", UiFixture, NULL, fixture_setup, test_dry_run, fixture_teardown);
  g_test_add ("/ui/timeline", UiFixture, NULL, fixture_setup, test_timeline, fixture_teardown);
  g_test_add ("/ui/timeline-paging", UiFixture, NULL, fixture_setup, test_timeline_paging, fixture_teardown);
  g_test_add ("/ui/rollback", UiFixture, NULL, fixture_setup, test_rollback, fixture_teardown);
  g_test_add ("/ui/rollback-cascade", UiFixture, NULL, fixture_setup, test_rollback_cascade, fixture_teardown);
  g_test_add ("/ui/redo", UiFixture, NULL, fixture_setup, test_redo, fixture_teardown);
  g_test_add ("/ui/history", UiFixture, NULL, fixture_setup, test_history, fixture_teardown);
  g_test_add ("/ui/history-cables-and-deleted", UiFixture, NULL, fixture_setup, test_history_cables_and_deleted,
              fixture_teardown);
  g_test_add ("/ui/timeline-short-batch-id", UiFixture, NULL, fixture_setup, test_timeline_short_batch_id,
              fixture_teardown);
  g_test_add ("/ui/follow", UiFixture, NULL, fixture_setup, test_follow, fixture_teardown);
  g_test_add ("/ui/import-revision", UiFixture, NULL, fixture_setup, test_import_revision, fixture_teardown);
  g_test_add ("/ui/import-refused", UiFixture, NULL, fixture_setup, test_import_refused, fixture_teardown);
  g_test_add ("/ui/import-revision-french", UiFixture, "fr", fixture_setup, test_import_revision, fixture_teardown);
  g_test_add ("/ui/status", UiFixture, NULL, fixture_setup, test_status, fixture_teardown);
  g_test_add ("/ui/hand-back", UiFixture, NULL, fixture_setup, test_hand_back, fixture_teardown);
  g_test_add ("/ui/french", UiFixture, "fr", fixture_setup, test_french, fixture_teardown);
  g_test_add ("/ui/grid", UiFixture, NULL, fixture_setup, test_grid, fixture_teardown);
  g_test_add ("/ui/grid-assets", UiFixture, NULL, fixture_setup, test_grid_assets, fixture_teardown);
  g_test_add ("/ui/grid-french", UiFixture, "fr", fixture_setup, test_grid_french, fixture_teardown);
  g_test_add_func ("/ui/remote", test_remote);
  g_test_add_func ("/ui/plurals", test_plurals);
  g_test_add_func ("/ui/hand-back-viewer", test_hand_back_viewer);

  ret = g_test_run ();
  g_clear_object (&app);
  syn_test_rm_rf (xdg);
  return ret;
}

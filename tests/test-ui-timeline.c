/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-timeline.c: the timeline view: filters, paging, rollback and redo, following other writers. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "engine/syn-csv-reader.h"
#include "engine/syn-event-store.h"
#include "syn-test-fixture.h"
#include "syn-test-server.h"
#include "syn-test-ui.h"
#include "ui/syn-history-row.h"
#include "ui/syn-import-dialog.h"
#include "ui/syn-json-item.h"
#include "ui/syn-project-status.h"
#include "ui/syn-rollback-dialog.h"
#include "ui/syn-sign-in-dialog.h"
#include "ui/syn-timeline-model.h"
#include "ui/syn-ui-format.h"

static GtkCheckButton *
type_check (SynTimelineView *view, const char *type)
{
  GtkWidget *box = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "types_box");

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

  completed = ui_execute (f->window, FALSE);
  correlation_id = g_strdup (syn_json_get_string (completed, "correlation_id"));

  /* Show on Timeline: the batch, and only it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (syn_window_get_execution_panel (f->window)),
                                             "panel.show-batch", NULL));
  g_assert_cmpstr (syn_window_get_view (f->window), ==, "timeline");
  g_assert_cmpstr (gtk_editable_get_text (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "batch_entry")), ==, correlation_id);
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (model), ==, (guint64) ui_timeline_total (f->window, correlation_id, NULL));
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
  ui_save_screenshots (f->window, "timeline");

  /* a filter of the bar: event types */
  gtk_check_button_set_active (type_check (view, "ASSET_CREATED"), TRUE);
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (model), ==,
                    (guint64) ui_timeline_total (f->window, correlation_id, "ASSET_CREATED"));
  g_assert_cmpuint (syn_timeline_model_get_total (model), >, 0);

  /* a bar of the chart: its period, the same events (the run took under an hour) */
  for (guint i = 0; i < syn_timeline_chart_get_n_buckets (chart); i++)
    if (syn_timeline_chart_get_count (chart, i) > 0)
      {
        guint64 before = syn_timeline_model_get_total (model);

        syn_timeline_chart_activate_bucket (chart, i);
        g_assert_cmpstr (gtk_editable_get_text (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "from_entry")), !=, "");
        WAIT_FOR (!syn_timeline_view_get_busy (view));
        g_assert_cmpuint (syn_timeline_model_get_total (model), ==, before);
        break;
      }

  /* every filter cleared: the whole project */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.clear-filters", NULL));
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (model), ==, (guint64) ui_timeline_total (f->window, NULL, NULL));
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

  ui_append_events (f, 12000);
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
  page = ui_call (f->window, SYN_OP_TIMELINE, params);
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
    GtkScrolledWindow *scroller = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "scroller");
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scroller);

    ui_wait_frames (GTK_WIDGET (view), 2);
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    ui_wait_frames (GTK_WIDGET (view), 3);
    ui_spin (200);
    g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, 0);
  }
}


static void
roll_back_from_timeline (SynWindow *window, const char *correlation_id, guint expected_blockers)
{
  SynTimelineView *view = syn_window_get_timeline_view (window);
  SynRollbackDialog *dialog;

  syn_window_show_view (window, "timeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.rollback", "s", correlation_id));
  dialog = ui_find_toplevel (SYN_TYPE_ROLLBACK_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  WAIT_FOR (syn_rollback_dialog_get_ready (dialog));
  g_assert_cmpuint (syn_rollback_dialog_get_n_blockers (dialog), ==, expected_blockers);
  if (expected_blockers > 0)
    {
      /* the dialog grew with the list of blockers: let the window follow */
      ui_wait_frames (GTK_WIDGET (dialog), 3);
      ui_spin (300);
      ui_save_screenshot (GTK_WIDGET (dialog), "rollback-cascade");
    }
  syn_rollback_dialog_confirm (dialog);
  WAIT_FOR (dialog == NULL);
}


static void
test_rollback (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  g_autofree char *before = ui_state_hash (f->window);
  g_autofree char *after = NULL;
  g_autofree char *correlation_id = NULL;
  SynTimelineBatch *batch;
  guint revision;

  correlation_id = g_strdup (syn_json_get_string (ui_execute (f->window, FALSE), "correlation_id"));
  revision = syn_session_get_revision (syn_window_get_session (f->window));
  roll_back_from_timeline (f->window, correlation_id, 0);
  /* read at once: the information banner hides itself after a while, and
   * ui_state_hash() can take that long on a slow machine (or under valgrind) */
  g_assert_nonnull (syn_window_get_banner (f->window));
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Rolled back batch"));
  g_assert_cmpuint (syn_session_get_revision (syn_window_get_session (f->window)), >, revision);
  after = ui_state_hash (f->window);
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
  ui_save_screenshot (GTK_WIDGET (f->window), "timeline-rolled-back");
}


static void
test_rollback_cascade (UiFixture *f, gconstpointer data)
{
  g_autofree char *before = ui_state_hash (f->window);
  g_autofree char *after = NULL;
  g_autofree char *correlation_id = NULL;
  g_autoptr(JsonObject) get = json_object_new ();
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonNode) motor = NULL;
  g_autoptr(JsonNode) updated = NULL;
  JsonObject *properties = json_object_new ();
  const char *project_id = syn_session_get_project_id (syn_window_get_session (f->window));

  correlation_id = g_strdup (syn_json_get_string (ui_execute (f->window, FALSE), "correlation_id"));

  /* a later edit of a motor the run created blocks its rollback alone */
  json_object_set_string_member (get, "project_id", project_id);
  json_object_set_string_member (get, "tag", "110-M-001");
  motor = ui_call (f->window, SYN_OP_GET_ASSET, get);
  json_object_set_string_member (update, "project_id", project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (json_node_get_object (motor), "id"));
  json_object_set_string_member (properties, "enclosure", "TENV");
  json_object_set_object_member (update, "properties", properties);
  updated = ui_call (f->window, SYN_OP_UPDATE_ASSET, update);

  roll_back_from_timeline (f->window, correlation_id, 1);
  after = ui_state_hash (f->window);
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
  g_autofree char *before = ui_state_hash (f->window);
  g_autofree char *ran = NULL, *after = NULL, *correlation_id = NULL, *redo_id = NULL;
  SynTimelineBatch *batch;
  const char *undo;
  guint revision;

  correlation_id = g_strdup (syn_json_get_string (ui_execute (f->window, FALSE), "correlation_id"));
  ran = ui_state_hash (f->window);
  roll_back_from_timeline (f->window, correlation_id, 0);

  /* Undo, beside the news of the rollback */
  undo = syn_window_get_banner_action (f->window);
  g_assert_cmpstr (undo, ==, "_Undo");
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Rolled back batch"));
  revision = syn_session_get_revision (session);
  g_assert_true (syn_window_activate_banner_action (f->window));
  WAIT_FOR (syn_session_get_revision (session) > revision);
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Undid rollback"));
  g_assert_null (syn_window_get_banner_action (f->window));
  after = ui_state_hash (f->window);
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
  after = ui_state_hash (f->window);
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
  /* the project may change (its monitor) before the redo's answer is shown */
  WAIT_FOR (syn_window_get_banner (f->window) != NULL && strstr (syn_window_get_banner (f->window), "Redid batch") != NULL);
  g_clear_pointer (&after, g_free);
  after = ui_state_hash (f->window);
  g_assert_cmpstr (after, ==, ran);

  /* a second time: refused, and said */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.redo", "s", correlation_id));
  WAIT_FOR (syn_window_get_banner (f->window) != NULL &&
            strstr (syn_window_get_banner (f->window), "Could not redo") != NULL);
  ui_save_screenshot (GTK_WIDGET (f->window), "timeline-redo");
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
  pump = ui_call (f->window, SYN_OP_GET_ASSET, get);
  json_object_set_string_member (update, "project_id", project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (json_node_get_object (pump), "id"));
  json_object_set_string_member (properties, "seal", "mechanical");
  json_object_set_object_member (update, "properties", properties);
  updated = ui_call (f->window, SYN_OP_UPDATE_ASSET, update);

  t0 = g_get_monotonic_time ();
  WAIT_FOR (syn_timeline_model_get_total (model) == before + 1 && !syn_timeline_view_get_busy (view));
  g_test_message ("followed in %.1f s", (g_get_monotonic_time () - t0) / 1e6);
}


/* Issue 12: the batch filter takes the short id the rows show (8 or more
 * hex digits of its end, or its start). */
static void
test_timeline_short_batch_id (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  GtkEditable *batch_entry = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "batch_entry");
  g_autofree char *correlation_id = NULL;
  g_autofree char *short_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SynStore) store = NULL;
  JsonObject *completed;

  completed = ui_execute (f->window, FALSE);
  correlation_id = g_strdup (syn_json_get_string (completed, "correlation_id"));
  short_id = syn_format_short_id (correlation_id);
  g_assert_cmpuint (strlen (short_id), ==, 8);

  syn_window_show_view (f->window, "timeline");
  gtk_editable_set_text (batch_entry, short_id);
  g_signal_emit_by_name (batch_entry, "activate");
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_total (model) > 0 &&
            syn_timeline_model_get_total (model) == (guint64) ui_timeline_total (f->window, correlation_id, NULL));
  g_assert_null (syn_timeline_model_get_error (model));
  ui_save_screenshot (GTK_WIDGET (f->window), "timeline-short-batch-id");

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

int
main (int argc, char *argv[])
{
  if (!ui_init (&argc, &argv))
    return 0;

  g_test_add ("/ui/timeline", UiFixture, NULL, ui_fixture_setup, test_timeline, ui_fixture_teardown);
  g_test_add ("/ui/timeline-paging", UiFixture, NULL, ui_fixture_setup, test_timeline_paging, ui_fixture_teardown);
  g_test_add ("/ui/rollback", UiFixture, NULL, ui_fixture_setup, test_rollback, ui_fixture_teardown);
  g_test_add ("/ui/rollback-cascade", UiFixture, NULL, ui_fixture_setup, test_rollback_cascade, ui_fixture_teardown);
  g_test_add ("/ui/redo", UiFixture, NULL, ui_fixture_setup, test_redo, ui_fixture_teardown);
  g_test_add ("/ui/timeline-short-batch-id", UiFixture, NULL, ui_fixture_setup, test_timeline_short_batch_id,
              ui_fixture_teardown);
  g_test_add ("/ui/follow", UiFixture, NULL, ui_fixture_setup, test_follow, ui_fixture_teardown);

  return ui_run ();
}

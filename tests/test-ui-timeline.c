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
#include "ui/syn-timeline-fold.h"
#include "ui/syn-timeline-model.h"
#include "ui/syn-timeline-row.h"
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

/* ------------------------------------------------------------------------- */
/* Issue 14, section 6                                                       */

static SynTimelineFold *
timeline_fold (SynTimelineView *view)
{
  GtkListView *list = GTK_LIST_VIEW (syn_timeline_view_get_list_view (view));

  return SYN_TIMELINE_FOLD (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list))));
}

static GtkSingleSelection *
timeline_selection (SynTimelineView *view)
{
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (syn_timeline_view_get_list_view (view))));
}

/* The whole project on the timeline, after a run. */
static char *
run_and_show_all (UiFixture *f)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  char *correlation_id = g_strdup (syn_json_get_string (ui_execute (f->window, FALSE), "correlation_id"));

  syn_window_show_view (f->window, "timeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.clear-filters", NULL));
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_total (syn_timeline_view_get_model (view)) > 0);
  return correlation_id;
}

static void
type_and_apply (GtkEditable *entry, const char *text)
{
  gtk_editable_set_text (entry, text);
  g_signal_emit_by_name (entry, "activate");
}

/* A filter refused empties the list and marks its field with what is wrong;
 * the list came back when it was put right. */
static void
test_invalid_filter (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  GtkWidget *batch_entry = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "batch_entry");
  GtkWidget *from_entry = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "from_entry");
  GtkWidget *to_entry = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "to_entry");
  g_autofree char *correlation_id = run_and_show_all (f);
  guint64 all = syn_timeline_model_get_total (model);

  /* a batch id too short */
  type_and_apply (GTK_EDITABLE (batch_entry), "beef");
  WAIT_FOR (gtk_widget_has_css_class (batch_entry, "error") && !syn_timeline_view_get_busy (view));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (timeline_fold (view))), ==, 0);
  g_assert_nonnull (strstr (ui_label_text (view, SYN_TYPE_TIMELINE_VIEW, "error_label"), "beef"));
  ui_save_screenshot (GTK_WIDGET (f->window), "timeline-invalid-batch");

  /* a batch id no batch has: the backend says so, the field is marked just the same */
  type_and_apply (GTK_EDITABLE (batch_entry), "0123456789abcdef");
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_error (model) != NULL);
  g_assert_true (gtk_widget_has_css_class (batch_entry, "error"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  /* put right: the list again, the mark gone */
  type_and_apply (GTK_EDITABLE (batch_entry), "");
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_total (model) == all);
  g_assert_false (gtk_widget_has_css_class (batch_entry, "error"));
  g_assert_cmpstr (gtk_label_get_text (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "error_label")), ==, "");

  /* a date that is none */
  type_and_apply (GTK_EDITABLE (from_entry), "2026-13-45");
  WAIT_FOR (gtk_widget_has_css_class (from_entry, "error") && !syn_timeline_view_get_busy (view));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_nonnull (strstr (ui_label_text (view, SYN_TYPE_TIMELINE_VIEW, "error_label"), "2026-13-45"));

  /* dates the wrong way round: the end is marked */
  gtk_editable_set_text (GTK_EDITABLE (from_entry), "2026-01-02");
  type_and_apply (GTK_EDITABLE (to_entry), "2026-01-01");
  WAIT_FOR (gtk_widget_has_css_class (to_entry, "error") && !syn_timeline_view_get_busy (view));
  g_assert_false (gtk_widget_has_css_class (from_entry, "error"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.clear-filters", NULL));
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_total (model) == all);
  g_assert_false (gtk_widget_has_css_class (to_entry, "error"));
}

static gboolean
is_date_field_text (const char *text)
{
  return g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2})?$", text, 0, 0);
}

static void
assert_series_add_up (SynTimelineChart *chart)
{
  for (guint i = 0; i < syn_timeline_chart_get_n_buckets (chart); i++)
    {
      guint64 sum = 0;

      for (guint s = 0; s < syn_timeline_chart_get_n_series (chart); s++)
        sum += syn_timeline_chart_get_series_count (chart, s, i);
      g_assert_cmpuint (sum, ==, syn_timeline_chart_get_count (chart, i));
    }
}

/* Minutes for a project that lives within the hour, bars split by kind
 * or discipline, a bar's period in the date fields as they are typed, a
 * calendar beside each date field, a log scale for bars far apart. */
static void
test_chart (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  SynTimelineChart *chart = syn_timeline_view_get_chart (view);
  GtkWidget *from_entry = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "from_entry");
  GtkWidget *to_entry = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "to_entry");
  g_autofree char *correlation_id = run_and_show_all (f);
  gboolean clicked = FALSE;

  WAIT_FOR (syn_timeline_chart_get_n_buckets (chart) > 0 && syn_timeline_chart_get_n_series (chart) > 0);
  g_assert_cmpint (syn_timeline_chart_get_step (chart), <, (gint64) 3600 * G_USEC_PER_SEC);
  g_assert_cmpuint (syn_timeline_chart_get_n_buckets (chart), >=, 12);
  g_assert_cmpstr (syn_timeline_chart_get_series_name (chart, 0), ==, "Created");
  assert_series_add_up (chart);
  ui_save_screenshots (f->window, "timeline-chart");

  /* by discipline */
  gtk_drop_down_set_selected (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "stack_dropdown"), 1);
  WAIT_FOR (syn_timeline_chart_get_n_series (chart) == g_strv_length ((char **) syn_disciplines ()) + 1);
  g_assert_cmpstr (syn_timeline_chart_get_series_name (chart, 0), ==, syn_format_discipline (syn_disciplines ()[0]));
  assert_series_add_up (chart);

  /* a bar: its period, written as the fields take it, the same events */
  for (guint i = 0; i < syn_timeline_chart_get_n_buckets (chart) && !clicked; i++)
    if (syn_timeline_chart_get_count (chart, i) > 0)
      {
        guint64 count = syn_timeline_chart_get_count (chart, i);
        gint64 from = 0, to = 0;

        syn_timeline_chart_activate_bucket (chart, i);
        g_assert_true (is_date_field_text (gtk_editable_get_text (GTK_EDITABLE (from_entry))));
        g_assert_true (is_date_field_text (gtk_editable_get_text (GTK_EDITABLE (to_entry))));
        g_assert_true (syn_parse_date_field (gtk_editable_get_text (GTK_EDITABLE (from_entry)), FALSE, &from, NULL));
        g_assert_true (syn_parse_date_field (gtk_editable_get_text (GTK_EDITABLE (to_entry)), TRUE, &to, NULL));
        g_assert_cmpint (to - from + 1, ==, syn_timeline_chart_get_step (chart));
        WAIT_FOR (!syn_timeline_view_get_busy (view));
        g_assert_false (gtk_widget_has_css_class (from_entry, "error"));
        g_assert_cmpuint (syn_timeline_model_get_total (model), ==, count);
        clicked = TRUE;
      }
  g_assert_true (clicked);

  /* the calendar beside the field writes its day */
  {
    GtkWidget *picker = gtk_widget_get_next_sibling (from_entry);
    GtkWidget *calendar;
    g_autoptr(GDateTime) day = g_date_time_new_local (2026, 3, 14, 0, 0, 0);

    g_assert_true (GTK_IS_MENU_BUTTON (picker));
    g_assert_nonnull (gtk_widget_get_tooltip_text (picker));
    calendar = gtk_popover_get_child (gtk_menu_button_get_popover (GTK_MENU_BUTTON (picker)));
    g_assert_true (GTK_IS_CALENDAR (calendar));
    gtk_menu_button_popup (GTK_MENU_BUTTON (picker));
    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
    g_signal_emit_by_name (calendar, "day-selected");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (from_entry)), ==, "2026-03-14");
    ui_save_screenshot (GTK_WIDGET (f->window), "timeline-date-picker");
    WAIT_FOR (!syn_timeline_view_get_busy (view));
  }

  /* one bar 10,000 times another: a log scale, and both seen */
  {
    gint64 bounds[4] = { 0, 60 * G_USEC_PER_SEC, 120 * G_USEC_PER_SEC, 180 * G_USEC_PER_SEC };
    guint64 counts[3] = { 1, 10000, 0 };
    guint64 even[3] = { 5000, 10000, 0 };
    gint64 now = g_get_real_time () / (60 * G_USEC_PER_SEC) * 60 * G_USEC_PER_SEC;

    for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
      bounds[i] += now;
    syn_timeline_chart_set_buckets (chart, bounds, even, 3, 60 * G_USEC_PER_SEC);
    g_assert_false (syn_timeline_chart_get_log_scale (chart));
    syn_timeline_chart_set_buckets (chart, bounds, counts, 3, 60 * G_USEC_PER_SEC);
    g_assert_true (syn_timeline_chart_get_log_scale (chart));
    ui_save_screenshot (GTK_WIDGET (chart), "timeline-chart-log");
  }
}

static void check_names (UiFixture *f, const char *correlation_id);

/* A batch collapses to its header and opens again; the header of the
 * first row's batch stays above the list while it scrolls. (And the names
 * of the batch's user and of its relationships' ends, on the same run.) */
static void
test_collapse (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  SynTimelineFold *fold = timeline_fold (view);
  g_autofree char *correlation_id = run_and_show_all (f);
  g_autoptr(SynTimelineEvent) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  SynTimelineBatch *batch;
  gint64 count;

  WAIT_FOR (syn_timeline_event_get_loaded (first));
  g_assert_cmpstr (syn_timeline_event_get_correlation_id (first), ==, correlation_id);
  batch = syn_timeline_model_get_batch (model, correlation_id);
  WAIT_FOR (syn_timeline_batch_get_loaded (batch));
  count = syn_timeline_batch_get_events_count (batch);
  g_assert_cmpint (count, >, 1);

  /* the sticky header: the run's, once its first row has scrolled away */
  {
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "scroller"));
    GtkWidget *sticky = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "sticky_box");

    ui_wait_frames (GTK_WIDGET (view), 2);
    g_assert_false (gtk_widget_get_visible (sticky));
    /* one scroll, as a user's: the header must come once the rows are
     * placed and the top one has loaded (nothing scrolls again to ask) */
    WAIT_FOR (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) > 300);
    gtk_adjustment_set_value (adj, 300);
    WAIT_FOR (gtk_widget_get_visible (sticky));
    g_assert_cmpstr (syn_timeline_event_get_correlation_id (
                       syn_timeline_row_get_item (SYN_TIMELINE_ROW (gtk_widget_get_first_child (sticky)))), ==,
                     correlation_id);
    ui_save_screenshot (GTK_WIDGET (f->window), "timeline-sticky-header");
    gtk_adjustment_set_value (adj, 0);
    WAIT_FOR (!gtk_widget_get_visible (sticky));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.toggle-batch", "u", 0));
  WAIT_FOR (syn_timeline_fold_get_n_folds (fold) == 1);
  g_assert_true (syn_timeline_fold_is_collapsed (fold, 0));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fold)), ==, n - (guint) (count - 1));
  if (n > (guint) count)
    {
      g_autoptr(SynTimelineEvent) next = g_list_model_get_item (G_LIST_MODEL (fold), 1);

      WAIT_FOR (syn_timeline_event_get_loaded (next));
      g_assert_cmpstr (syn_timeline_event_get_correlation_id (next), !=, correlation_id);
    }
  ui_wait_frames (GTK_WIDGET (view), 2);
  ui_save_screenshots (f->window, "timeline-collapsed");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.toggle-batch", "u", 0));
  g_assert_cmpuint (syn_timeline_fold_get_n_folds (fold), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fold)), ==, n);

  check_names (f, correlation_id);
}

static void
collect_rows (GtkWidget *widget, GPtrArray *rows)
{
  if (SYN_IS_TIMELINE_ROW (widget))
    {
      if (gtk_widget_get_mapped (widget) && syn_timeline_row_get_item (SYN_TIMELINE_ROW (widget)) != NULL)
        g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_rows (c, rows);
}

static void
clipboard_read (GObject *object, GAsyncResult *result, gpointer data)
{
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

/* The context menu: copy the tag, open it, only this batch, roll it back;
 * the rolled-back batch is said once, on its header. */
static void
test_context_menu (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  g_autofree char *correlation_id = run_and_show_all (f);
  g_autofree char *copied = NULL;
  g_autofree char *subject = NULL;
  JsonObject *event = NULL;
  guint position = 0;
  SynRollbackDialog *dialog;

  /* an asset's or a cable's event of the run */
  for (guint i = 0; i < 40 && event == NULL; i++)
    {
      g_autoptr(SynTimelineEvent) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      WAIT_FOR (syn_timeline_event_get_loaded (item));
      if (g_strcmp0 (syn_timeline_event_get_string (item, "aggregate_type"), "CABLE") == 0 ||
          g_strcmp0 (syn_timeline_event_get_string (item, "aggregate_type"), "ASSET") == 0)
        {
          event = syn_timeline_event_get_json (item);
          position = i;
        }
    }
  g_assert_nonnull (event);
  subject = syn_format_event_subject (event);
  gtk_single_selection_set_selected (timeline_selection (view), position);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.context-menu", NULL));
  ui_wait_frames (GTK_WIDGET (view), 2);
  ui_save_screenshot (GTK_WIDGET (f->window), "timeline-context-menu");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.copy-tag", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (view)), NULL, clipboard_read, &copied);
  WAIT_FOR (copied != NULL);
  g_assert_cmpstr (copied, ==, subject);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.open-row", NULL));
  g_assert_cmpstr (syn_window_get_view (f->window), ==, "history");
  syn_window_show_view (f->window, "timeline");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.filter-row-batch", NULL));
  g_assert_cmpstr (gtk_editable_get_text (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "batch_entry")), ==, correlation_id);
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (model), ==, (guint64) ui_timeline_total (f->window, correlation_id, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.roll-back-row-batch", NULL));
  dialog = ui_find_toplevel (SYN_TYPE_ROLLBACK_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  WAIT_FOR (syn_rollback_dialog_get_ready (dialog));
  syn_rollback_dialog_confirm (dialog);
  WAIT_FOR (dialog == NULL);

  /* only the batch is listed: one header says it is rolled back, no row repeats it */
  syn_timeline_view_show_batch (view, correlation_id);
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  {
    SynTimelineBatch *batch = syn_timeline_model_get_batch (model, correlation_id);
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    guint badges = 0, dimmed = 0;

    WAIT_FOR (syn_timeline_batch_get_loaded (batch) && syn_timeline_batch_get_rolled_back (batch));
    ui_wait_frames (GTK_WIDGET (view), 3);
    collect_rows (syn_timeline_view_get_list_view (view), rows);
    g_assert_cmpuint (rows->len, >, 5);
    for (guint i = 0; i < rows->len; i++)
      {
        GtkWidget *row = rows->pdata[i];

        g_assert_false (gtk_widget_get_visible (ui_child (row, SYN_TYPE_TIMELINE_ROW, "rolled_back_label")));
        if (gtk_widget_get_visible (ui_child (row, SYN_TYPE_TIMELINE_ROW, "header_box")) &&
            gtk_widget_get_visible (ui_child (row, SYN_TYPE_TIMELINE_ROW, "batch_rolled_back_label")))
          badges++;
        if (gtk_widget_has_css_class (row, "rolled-back"))
          dimmed++;
      }
    g_assert_cmpuint (badges, ==, 1);
    g_assert_cmpuint (dimmed, ==, rows->len);
    ui_save_screenshot (GTK_WIDGET (f->window), "timeline-rolled-back-once");
  }
}

/* Who made a batch, by name; a relationship by both its ends. */
static void
check_names (UiFixture *f, const char *correlation_id)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  SynTimelineBatch *batch = syn_timeline_model_get_batch (model, correlation_id);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) page = NULL;
  g_autofree char *summary = NULL;
  JsonObject *edge;

  WAIT_FOR (syn_timeline_batch_get_loaded (batch));
  g_assert_cmpstr (syn_timeline_batch_get_user (batch), ==, g_get_user_name ());

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (f->window)));
  json_object_set_string_member (params, "event_types", "RELATIONSHIP_CREATED");
  json_object_set_int_member (params, "limit", 1);
  page = ui_call (f->window, SYN_OP_TIMELINE, params);
  edge = json_array_get_object_element (json_object_get_array_member (json_node_get_object (page), "events"), 0);
  g_assert_nonnull (syn_json_get_string (edge, "source_tag"));
  g_assert_nonnull (syn_json_get_string (edge, "target_tag"));
  summary = syn_format_event_summary (edge);
  g_assert_nonnull (strstr (summary, syn_json_get_string (edge, "source_tag")));
  g_assert_nonnull (strstr (summary, syn_json_get_string (edge, "target_tag")));

  gtk_check_button_set_active (type_check (view, "RELATIONSHIP_CREATED"), TRUE);
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  ui_save_screenshot (GTK_WIDGET (f->window), "timeline-relationships");
}

/* The view in French and at 360 px: nothing clipped, the filters behind a
 * button, the new words translated. */
static void
test_timeline_french (UiFixture *f, gconstpointer data)
{
  SynTimelineView *view = syn_window_get_timeline_view (f->window);
  SynTimelineChart *chart = syn_timeline_view_get_chart (view);
  g_autofree char *correlation_id = run_and_show_all (f);
  GtkDropDown *stack = ui_child (view, SYN_TYPE_TIMELINE_VIEW, "stack_dropdown");
  GtkStringObject *by_kind = gtk_drop_down_get_selected_item (stack);

  WAIT_FOR (syn_timeline_chart_get_n_series (chart) > 0);
  g_assert_cmpstr (gtk_string_object_get_string (by_kind), ==, "Par type");
  g_assert_cmpstr (syn_timeline_chart_get_series_name (chart, 0), ==, "Créations");
  ui_save_screenshots (f->window, "timeline-fr");

  ui_resize_window (f->window, 360);
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  ui_wait_frames (GTK_WIDGET (f->window), 3);
  /* nothing of the view is cut off at a phone's width; the filters wait behind a button */
  ui_assert_fits (GTK_WIDGET (view));
  WAIT_FOR (gtk_widget_get_visible (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "filters_toggle")));
  g_assert_false (gtk_revealer_get_reveal_child (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "filter_revealer")));
  ui_save_screenshot (GTK_WIDGET (f->window), "timeline-fr-narrow");
  gtk_toggle_button_set_active (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "filters_toggle"), TRUE);
  g_assert_true (gtk_revealer_get_reveal_child (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "filter_revealer")));
  ui_wait_frames (GTK_WIDGET (f->window), 3);
  ui_spin (300);
  ui_assert_fits (GTK_WIDGET (view));
  ui_save_screenshot (GTK_WIDGET (f->window), "timeline-fr-narrow-filters");
  ui_resize_window (f->window, 0);
  WAIT_FOR (!gtk_widget_get_visible (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "filters_toggle")));
  g_assert_true (gtk_revealer_get_reveal_child (ui_child (view, SYN_TYPE_TIMELINE_VIEW, "filter_revealer")));
  ui_use_language (NULL);
}

static guint
item_number (GListModel *model, guint position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (model, position);

  return (guint) g_ascii_strtoull (gtk_string_object_get_string (item), NULL, 10);
}

/* Collapsed ranges left out, positions mapped through them, the rest told. */
static void
test_fold_model (void)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autoptr(SynTimelineFold) fold = NULL;
  GListModel *shown;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);

      gtk_string_list_append (list, text);
    }
  fold = syn_timeline_fold_new (G_LIST_MODEL (list));
  shown = G_LIST_MODEL (fold);

  /* rows 3..7 (5 rows, header 3) and 10..11 */
  g_assert_true (syn_timeline_fold_collapse (fold, 3, 5));
  g_assert_true (syn_timeline_fold_collapse (fold, 10, 2));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 20 - 4 - 1);
  g_assert_cmpuint (item_number (shown, 3), ==, 3);
  g_assert_cmpuint (item_number (shown, 4), ==, 8);
  g_assert_cmpuint (item_number (shown, 6), ==, 10);
  g_assert_cmpuint (item_number (shown, 7), ==, 12);
  g_assert_cmpuint (item_number (shown, 14), ==, 19);
  g_assert_null (g_list_model_get_item (shown, 15));
  g_assert_cmpuint (syn_timeline_fold_get_shown_position (fold, 5), ==, G_MAXUINT);
  g_assert_cmpuint (syn_timeline_fold_get_shown_position (fold, 12), ==, 7);

  /* overlapping, or nothing to leave out: refused */
  g_assert_false (syn_timeline_fold_collapse (fold, 6, 3));
  g_assert_false (syn_timeline_fold_collapse (fold, 1, 4));
  g_assert_false (syn_timeline_fold_collapse (fold, 15, 1));
  g_assert_false (syn_timeline_fold_collapse (fold, 3, 5));

  /* the first opened again, the second still folded */
  g_assert_true (syn_timeline_fold_expand (fold, 3));
  g_assert_false (syn_timeline_fold_expand (fold, 3));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 19);
  g_assert_cmpuint (item_number (shown, 11), ==, 12);

  /* a change below opens everything */
  gtk_string_list_remove (list, 0);
  g_assert_cmpuint (syn_timeline_fold_get_n_folds (fold), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 19);
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
  g_test_add_func ("/ui/timeline-fold-model", test_fold_model);
  g_test_add ("/ui/timeline-invalid-filter", UiFixture, NULL, ui_fixture_setup, test_invalid_filter, ui_fixture_teardown);
  g_test_add ("/ui/timeline-chart", UiFixture, NULL, ui_fixture_setup, test_chart, ui_fixture_teardown);
  g_test_add ("/ui/timeline-collapse", UiFixture, NULL, ui_fixture_setup, test_collapse, ui_fixture_teardown);
  g_test_add ("/ui/timeline-context-menu", UiFixture, NULL, ui_fixture_setup, test_context_menu, ui_fixture_teardown);
  g_test_add ("/ui/timeline-french", UiFixture, "fr", ui_fixture_setup, test_timeline_french, ui_fixture_teardown);

  return ui_run ();
}

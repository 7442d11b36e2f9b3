/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-asof.c: the project as of a past moment (read-only, with its banner and the way back), an asset's
 * history then, the head hash on a batch's header, and the difference between two batches with its CSV. */
#include "config.h"

#include <string.h>

#include "syn-test-fixture.h"
#include "syn-test-ui.h"
#include "ui/syn-as-of-banner.h"
#include "ui/syn-diff-window.h"
#include "ui/syn-grid-model.h"
#include "ui/syn-grid-row.h"
#include "ui/syn-json-item.h"
#include "ui/syn-rollback-dialog.h"
#include "ui/syn-timeline-model.h"
#include "ui/syn-timeline-row.h"
#include "ui/syn-ui-format.h"

#define MOTOR "110-M-001"
#define LATER_DESCRIPTION "Motor replaced after the run"

typedef struct
{
  char *run;          /* the rules' batch */
  char *edit;         /* a hand edit after it */
  char *old_description;
} Story;

static void
story_clear (Story *s)
{
  g_free (s->run);
  g_free (s->edit);
  g_free (s->old_description);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Story, story_clear)

/* A run of the rules, then the motor's description changed by hand. */
static void
tell_story (UiFixture *f, Story *s)
{
  g_autoptr(JsonObject) motor = NULL;
  g_autoptr(JsonObject) update = json_object_new ();
  g_autoptr(JsonNode) updated = NULL;
  SynTimelineView *view = syn_window_get_timeline_view (f->window);

  s->run = g_strdup (syn_json_get_string (ui_execute (f->window, FALSE), "correlation_id"));
  motor = ui_get_asset (f->window, MOTOR);
  s->old_description = g_strdup (syn_json_get_string (motor, "description"));
  g_assert_cmpstr (s->old_description, !=, LATER_DESCRIPTION);
  json_object_set_string_member (update, "project_id", syn_session_get_project_id (syn_window_get_session (f->window)));
  json_object_set_string_member (update, "asset_id", syn_json_get_string (motor, "id"));
  json_object_set_string_member (update, "description", LATER_DESCRIPTION);
  updated = ui_call (f->window, SYN_OP_UPDATE_ASSET, update);
  s->edit = g_strdup (syn_json_get_string (json_node_get_object (updated), "correlation_id"));
  g_assert_nonnull (s->edit);
  syn_session_data_changed (syn_window_get_session (f->window));

  syn_window_show_view (f->window, "timeline");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.clear-filters", NULL));
  WAIT_FOR (!syn_timeline_view_get_busy (view) && syn_timeline_model_get_total (syn_timeline_view_get_model (view)) > 0);
}

static JsonObject *
state_as_of (UiFixture *f, const char *moment)
{
  g_autoptr(JsonObject) params = json_object_new ();
  JsonNode *answer;
  JsonObject *state;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (f->window)));
  json_object_set_string_member (params, "as_of", moment);
  answer = ui_call (f->window, SYN_OP_STATE_AS_OF, params);
  state = json_object_ref (json_node_get_object (answer));
  json_node_unref (answer);
  return state;
}

/* The timeline's row of the first event of @batch (newest first), selected, with its context menu's event set. */
static guint
select_batch_row (SynTimelineView *view, const char *batch)
{
  SynTimelineModel *model = syn_timeline_view_get_model (view);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (syn_timeline_view_get_list_view (view))));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(SynTimelineEvent) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      WAIT_FOR (syn_timeline_event_get_loaded (item));
      if (g_strcmp0 (syn_timeline_event_get_correlation_id (item), batch) == 0)
        {
          gtk_single_selection_set_selected (selection, i);
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "timeline.context-menu", NULL));
          return i;
        }
    }
  g_assert_not_reached ();
  return 0;
}

static GtkWidget *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static SynAsOfBanner *
banner_of (SynWindow *window)
{
  return ui_child (window, SYN_TYPE_WINDOW, "as_of_banner");
}

/* The grid's row of @tag, filtered to it. */
static SynGridRow *
grid_row (SynAssetsView *view, const char *tag)
{
  SynGridModel *model = syn_assets_view_get_model (view);
  SynGridRow *row;

  gtk_editable_set_text (ui_child (view, SYN_TYPE_ASSETS_VIEW, "tag_entry"), tag);
  syn_assets_view_apply_filters (view);
  WAIT_FOR (!syn_assets_view_get_busy (view) && syn_grid_model_get_total (model) == 1);
  row = g_list_model_get_item (G_LIST_MODEL (model), 0);
  WAIT_FOR (syn_grid_row_get_loaded (row));
  return row;
}

static gboolean
grid_writable (SynAssetsView *view)
{
  return gtk_widget_get_sensitive (ui_child (view, SYN_TYPE_ASSETS_VIEW, "delete_button"));
}

/* As of the run (from its batch header): the grid shows the values then,
 * read-only, under the banner; others' batches do not move it; Back to Now
 * shows the project as it is. */
/* The first timeline row under @widget (depth first) whose batch buttons
 * are bound to their actions (a row showing an event). */
static GtkWidget *
first_bound_row (GtkWidget *widget)
{
  if (SYN_IS_TIMELINE_ROW (widget) &&
      gtk_actionable_get_action_name (ui_child (widget, SYN_TYPE_TIMELINE_ROW, "rollback_button")) != NULL)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = first_bound_row (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_as_of (UiFixture *f, gconstpointer data)
{
  SynSession *session = syn_window_get_session (f->window);
  SynTimelineView *timeline = syn_window_get_timeline_view (f->window);
  SynAssetsView *assets = syn_window_get_assets_view (f->window);
  SynAsOfBanner *banner = banner_of (f->window);
  GtkWidget *execute_button = ui_child (syn_window_get_execution_panel (f->window), SYN_TYPE_EXECUTION_PANEL,
                                        "execute_button");
  g_auto(Story) story = { NULL };
  g_autoptr(JsonObject) then = NULL;
  g_autoptr(SynGridRow) row = NULL;
  g_autofree char *short_id = NULL;
  JsonObject *counts;
  GtkWidget *header = NULL;

  tell_story (f, &story);
  then = state_as_of (f, story.run);
  g_assert_false (syn_as_of_banner_get_shown (banner));
  WAIT_FOR ((header = first_bound_row (GTK_WIDGET (timeline))) != NULL);
  g_assert_true (gtk_widget_get_sensitive (ui_child (header, SYN_TYPE_TIMELINE_ROW, "rollback_button")));
  g_assert_true (gtk_widget_get_sensitive (execute_button));

  /* the batch header's button */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.show-as-of", "s", story.run));
  g_assert_cmpstr (syn_session_get_as_of (session), ==, story.run);
  g_assert_cmpstr (syn_window_get_view (f->window), ==, "assets");
  g_assert_true (syn_as_of_banner_get_shown (banner));
  WAIT_FOR (syn_session_get_data_backend (session) != NULL);
  short_id = syn_format_short_id (story.run);
  g_assert_nonnull (strstr (syn_as_of_banner_get_text (banner), short_id));
  g_assert_nonnull (strstr (syn_as_of_banner_get_text (banner), "read-only"));
  g_assert_cmpstr (syn_json_get_string (syn_session_get_as_of_info (session), "state_hash"), ==,
                   syn_json_get_string (then, "state_hash"));

  /* the whole list then, and the motor's description then */
  counts = json_object_get_object_member (then, "counts");
  gtk_editable_set_text (ui_child (assets, SYN_TYPE_ASSETS_VIEW, "tag_entry"), "");
  syn_assets_view_apply_filters (assets);
  WAIT_FOR (!syn_assets_view_get_busy (assets));
  g_assert_cmpuint (syn_grid_model_get_total (syn_assets_view_get_model (assets)), ==,
                    (guint64) json_object_get_int_member (counts, "assets"));
  ui_save_screenshots (f->window, "as-of");
  row = grid_row (assets, MOTOR);
  g_assert_cmpstr (syn_json_get_string (syn_grid_row_get_json (row), "description"), ==, story.old_description);

  /* what is shown exports as it was then */
  {
    g_autofree char *path = g_build_filename (f->tmpdir, "then.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *content = NULL;

    syn_assets_view_export_to_file (assets, "csv", file);
    WAIT_FOR (syn_window_get_banner (f->window) != NULL && g_str_has_prefix (syn_window_get_banner (f->window), "Exported"));
    g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
    g_assert_nonnull (strstr (content, MOTOR));
    g_assert_nonnull (strstr (content, story.old_description));
    g_assert_null (strstr (content, LATER_DESCRIPTION));
  }

  /* read-only: nothing that writes is enabled */
  gtk_selection_model_select_item (syn_assets_view_get_selection (assets), 0, TRUE);
  g_assert_false (grid_writable (assets));
  g_assert_false (gtk_widget_get_sensitive (execute_button));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import-csv", NULL) &&
                  syn_session_get_as_of (session) == NULL);
  /* nor the timeline's Roll Back and Redo: the batch headers' buttons are
   * off, and the actions do nothing when called */
  /* (the rows are recycled: looked up again each time) */
  WAIT_FOR ((header = first_bound_row (GTK_WIDGET (timeline))) != NULL);
  g_assert_false (gtk_widget_get_sensitive (ui_child (header, SYN_TYPE_TIMELINE_ROW, "rollback_button")));
  g_assert_false (gtk_widget_get_sensitive (ui_child (header, SYN_TYPE_TIMELINE_ROW, "redo_button")));
  gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.rollback", "s", story.edit);
  ui_spin (50);
  g_assert_null (ui_find_toplevel (SYN_TYPE_ROLLBACK_DIALOG));

  /* a batch committed meanwhile does not kick the view out of the moment */
  syn_session_data_changed (session);
  WAIT_FOR (!syn_assets_view_get_busy (assets));
  g_assert_cmpstr (syn_session_get_as_of (session), ==, story.run);
  g_clear_object (&row);
  row = grid_row (assets, MOTOR);
  g_assert_cmpstr (syn_json_get_string (syn_grid_row_get_json (row), "description"), ==, story.old_description);

  /* the cable schedule of then too */
  syn_assets_view_set_cables (assets, TRUE);
  gtk_editable_set_text (ui_child (assets, SYN_TYPE_ASSETS_VIEW, "tag_entry"), "");
  syn_assets_view_apply_filters (assets);
  WAIT_FOR (!syn_assets_view_get_busy (assets));
  g_assert_cmpuint (syn_grid_model_get_total (syn_assets_view_get_model (assets)), ==,
                    (guint64) json_object_get_int_member (counts, "cables"));
  syn_assets_view_set_cables (assets, FALSE);

  /* back to now: the description as it is, editable again */
  g_signal_emit_by_name (find_button (GTK_WIDGET (banner)), "clicked");
  g_assert_null (syn_session_get_as_of (session));
  g_assert_false (syn_as_of_banner_get_shown (banner));
  g_clear_object (&row);
  row = grid_row (assets, MOTOR);
  g_assert_cmpstr (syn_json_get_string (syn_grid_row_get_json (row), "description"), ==, LATER_DESCRIPTION);
  gtk_selection_model_select_item (syn_assets_view_get_selection (assets), 0, TRUE);
  g_assert_true (grid_writable (assets));
  g_assert_true (gtk_widget_get_sensitive (execute_button));
  {
    SynRollbackDialog *dialog;

    /* Roll Back offered again: its dialog opens */
    WAIT_FOR ((header = first_bound_row (GTK_WIDGET (timeline))) != NULL);
    g_assert_true (gtk_widget_get_sensitive (ui_child (header, SYN_TYPE_TIMELINE_ROW, "rollback_button")));
    g_assert_true (gtk_widget_get_sensitive (ui_child (header, SYN_TYPE_TIMELINE_ROW, "redo_button")));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.rollback", "s", story.edit));
    dialog = ui_find_toplevel (SYN_TYPE_ROLLBACK_DIALOG);
    g_assert_nonnull (dialog);
    g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
    WAIT_FOR (syn_rollback_dialog_get_ready (dialog));
    gtk_window_destroy (GTK_WINDOW (dialog));
    WAIT_FOR (dialog == NULL);
  }

  /* a moment that is none: said, and back to now */
  syn_session_set_as_of (session, "not-a-moment");
  g_assert_true (syn_as_of_banner_get_shown (banner));
  WAIT_FOR (syn_session_get_as_of (session) == NULL);
  g_assert_false (syn_as_of_banner_get_shown (banner));
  g_assert_nonnull (syn_window_get_banner (f->window));
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Could not show the project as of that moment"));
  WAIT_FOR (!syn_assets_view_get_busy (assets));
  gtk_selection_model_select_item (syn_assets_view_get_selection (assets), 0, TRUE);
  g_assert_true (grid_writable (assets));
}

/* As of an event (the context menu): the asset history ends at the moment
 * and shows the asset's values then; the batch header shows its head hash. */
static void
test_as_of_history (UiFixture *f, gconstpointer data)
{
  SynSession *session = syn_window_get_session (f->window);
  SynTimelineView *timeline = syn_window_get_timeline_view (f->window);
  SynAssetHistoryView *history = syn_window_get_history_view (f->window);
  GListModel *events = syn_asset_history_view_get_events (history);
  g_auto(Story) story = { NULL };
  g_autoptr(JsonObject) then = NULL;
  g_autofree char *position = NULL;
  gint64 as_of_position;
  guint now_events;
  SynTimelineBatch *batch;

  tell_story (f, &story);

  /* the head hash after the run, on its header: the chain's head after its newest event */
  batch = syn_timeline_model_get_batch (syn_timeline_view_get_model (timeline), story.run);
  g_assert_nonnull (batch);
  WAIT_FOR (syn_timeline_batch_get_loaded (batch));
  then = state_as_of (f, story.run);
  g_assert_cmpstr (syn_timeline_batch_get_head_hash (batch), ==,
                   syn_json_get_string (json_object_get_object_member (then, "as_of"), "head_hash"));
  g_assert_nonnull (syn_timeline_batch_get_head_hash (batch));
  ui_wait_frames (GTK_WIDGET (f->window), 3);
  ui_save_screenshots (f->window, "as-of-timeline-head-hash");

  /* now: the motor's history has the edit */
  syn_session_show_asset (session, NULL, MOTOR);
  WAIT_FOR (!syn_asset_history_view_get_busy (history) && g_list_model_get_n_items (events) > 0);
  now_events = g_list_model_get_n_items (events);
  g_assert_cmpstr (ui_label_text (history, SYN_TYPE_ASSET_HISTORY_VIEW, "description_label"), ==, LATER_DESCRIPTION);

  /* as of the run's newest event, from the row's menu */
  syn_window_show_view (f->window, "timeline");
  select_batch_row (timeline, story.run);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.show-as-of-row", NULL));
  g_assert_nonnull (syn_session_get_as_of (session));
  WAIT_FOR (syn_session_get_data_backend (session) != NULL);
  as_of_position = json_object_get_int_member (syn_session_get_as_of_info (session), "position");
  position = g_strdup_printf ("%" G_GINT64_FORMAT, as_of_position);
  g_assert_cmpstr (syn_session_get_as_of (session), ==, position);
  g_assert_cmpint (as_of_position, <=,
                   json_object_get_int_member (json_object_get_object_member (then, "as_of"), "position"));

  syn_session_show_asset (session, NULL, MOTOR);
  WAIT_FOR (!syn_asset_history_view_get_busy (history) && g_list_model_get_n_items (events) > 0);
  g_assert_cmpstr (ui_label_text (history, SYN_TYPE_ASSET_HISTORY_VIEW, "description_label"), ==,
                   story.old_description);
  g_assert_cmpuint (g_list_model_get_n_items (events), <, now_events);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(SynTimelineEvent) item = g_list_model_get_item (events, i);

      g_assert_cmpint (json_object_get_int_member (syn_timeline_event_get_json (item), "position"), <=, as_of_position);
      g_assert_cmpstr (syn_timeline_event_get_correlation_id (item), !=, story.edit);
    }
  g_assert_nonnull (strstr (ui_label_text (history, SYN_TYPE_ASSET_HISTORY_VIEW, "count_label"), "up to that moment"));
  ui_save_screenshots (f->window, "as-of-history");

  /* back to now: the history has the edit again */
  syn_session_set_as_of (session, NULL);
  WAIT_FOR (!syn_asset_history_view_get_busy (history) && g_list_model_get_n_items (events) == now_events);
  g_assert_cmpstr (ui_label_text (history, SYN_TYPE_ASSET_HISTORY_VIEW, "description_label"), ==, LATER_DESCRIPTION);
}

static gboolean
rows_have (GListModel *rows, const char *row, const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SynJsonItem) item = g_list_model_get_item (rows, i);

      if (g_strcmp0 (syn_json_item_get_string (item, "row"), row) == 0 &&
          strstr (syn_json_item_get_label (item), text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static SynDiffWindow *
wait_diff_window (void)
{
  SynDiffWindow *window;

  WAIT_FOR ((window = ui_find_toplevel (SYN_TYPE_DIFF_WINDOW)) != NULL);
  WAIT_FOR (!syn_diff_window_get_busy (window));
  return window;
}

/* Two batches marked on the timeline: what the second changed, field by
 * field with who did it, exported as the operation's CSV; the latest batch
 * compared with now: nothing. */
static void
test_diff (UiFixture *f, gconstpointer data)
{
  SynTimelineView *timeline = syn_window_get_timeline_view (f->window);
  g_auto(Story) story = { NULL };
  g_autofree char *expected = NULL;
  g_autofree char *path = NULL;
  g_autofree char *content = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  SynDiffWindow *diff;
  GtkStack *stack;
  g_autoptr(JsonObject) person = json_object_new ();
  g_autoptr(JsonNode) alice = NULL;

  /* the story told by a person the database knows: the comparison names her, not her id */
  json_object_set_string_member (person, "username", "alice");
  json_object_set_string_member (person, "password", "a good password");
  json_object_set_string_member (person, "role", "engineer");
  json_object_set_string_member (person, "display_name", "Alice Martin");
  alice = ui_call (f->window, SYN_OP_CREATE_USER, person);
  syn_local_backend_set_user_id (SYN_LOCAL_BACKEND (syn_session_get_backend (syn_window_get_session (f->window))),
                                 syn_json_get_string (json_node_get_object (alice), "id"));
  tell_story (f, &story);
  select_batch_row (timeline, story.run);
  ui_wait_frames (GTK_WIDGET (timeline), 2);
  ui_save_screenshot (GTK_WIDGET (f->window), "as-of-timeline-menu");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.mark-compare-row", NULL));
  select_batch_row (timeline, story.edit);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.compare-marked-row", NULL));
  diff = wait_diff_window ();
  g_object_add_weak_pointer (G_OBJECT (diff), (gpointer *) &diff);

  /* the run first, the edit after: the description old -> new, by the edit's batch */
  g_assert_nonnull (syn_diff_window_get_diff (diff));
  g_assert_cmpstr (syn_json_get_string (json_object_get_object_member (syn_diff_window_get_diff (diff), "from"),
                                        "correlation_id"), ==, story.run);
  expected = g_strdup_printf ("Description: %s → %s", story.old_description, LATER_DESCRIPTION);
  g_assert_true (rows_have (syn_diff_window_get_rows (diff), "field", expected));
  g_assert_true (rows_have (syn_diff_window_get_rows (diff), "entity", MOTOR));
  g_assert_true (rows_have (syn_diff_window_get_rows (diff), "group", "Assets changed (1)"));
  g_assert_true (rows_have (syn_diff_window_get_rows (diff), "entity", "Alice Martin"));
  g_assert_false (rows_have (syn_diff_window_get_rows (diff), "entity",
                             syn_json_get_string (json_node_get_object (alice), "id")));
  g_assert_cmpstr (syn_diff_window_get_counts_text (diff), ==, "0 added · 0 removed · 1 changed");
  stack = ui_child (diff, SYN_TYPE_DIFF_WINDOW, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  ui_wait_frames (GTK_WIDGET (diff), 3);
  ui_save_screenshot (GTK_WIDGET (diff), "diff");

  /* the CSV, read back */
  path = g_build_filename (f->tmpdir, "differences.csv", NULL);
  file = g_file_new_for_path (path);
  syn_diff_window_export_to_file (diff, file);
  g_assert_true (syn_diff_window_get_busy (diff));
  WAIT_FOR (!syn_diff_window_get_busy (diff));
  g_assert_cmpint (syn_diff_window_get_exported (diff, NULL), ==, 1);
  g_assert_true (g_file_get_contents (path, &content, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (content, "kind,change,id,tag,field,old,new,batches,users\r\n"));
  g_assert_nonnull (strstr (content, "assets,changed,"));
  g_assert_nonnull (strstr (content, LATER_DESCRIPTION));
  g_assert_nonnull (strstr (content, story.edit));
  gtk_window_destroy (GTK_WINDOW (diff));
  WAIT_FOR (diff == NULL);

  /* the newest batch against now: nothing differs */
  select_batch_row (timeline, story.edit);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.compare-now-row", NULL));
  diff = wait_diff_window ();
  g_object_add_weak_pointer (G_OBJECT (diff), (gpointer *) &diff);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (ui_child (diff, SYN_TYPE_DIFF_WINDOW, "stack")), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (syn_diff_window_get_rows (diff)), ==, 0);
  ui_wait_frames (GTK_WIDGET (diff), 3);
  ui_save_screenshot (GTK_WIDGET (diff), "diff-empty");
  gtk_window_destroy (GTK_WINDOW (diff));
  WAIT_FOR (diff == NULL);
}

/* In French, at a phone's width: the banner and the comparison fit and speak French. */
static void
test_as_of_french (UiFixture *f, gconstpointer data)
{
  SynSession *session = syn_window_get_session (f->window);
  SynTimelineView *timeline = syn_window_get_timeline_view (f->window);
  SynAssetsView *assets = syn_window_get_assets_view (f->window);
  SynAsOfBanner *banner = banner_of (f->window);
  g_auto(Story) story = { NULL };
  SynDiffWindow *diff;

  tell_story (f, &story);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.show-as-of", "s", story.run));
  WAIT_FOR (syn_session_get_data_backend (session) != NULL);
  WAIT_FOR (!syn_assets_view_get_busy (assets));
  g_assert_nonnull (strstr (syn_as_of_banner_get_text (banner), "lecture seule"));
  ui_save_narrow_screenshot (f->window, "as-of-fr");

  syn_window_show_view (f->window, "timeline");
  select_batch_row (timeline, story.run);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.compare-now-row", NULL));
  diff = wait_diff_window ();
  g_object_add_weak_pointer (G_OBJECT (diff), (gpointer *) &diff);
  g_assert_true (rows_have (syn_diff_window_get_rows (diff), "group", "Équipements modifiés"));
  gtk_window_set_default_size (GTK_WINDOW (diff), 360, 640);
  ui_wait_frames (GTK_WIDGET (diff), 3);
  ui_save_screenshot (GTK_WIDGET (diff), "diff-fr-narrow");
  gtk_window_destroy (GTK_WINDOW (diff));
  WAIT_FOR (diff == NULL);
  syn_session_set_as_of (session, NULL);
}

int
main (int argc, char *argv[])
{
  if (!ui_init (&argc, &argv))
    return 0;

  g_test_add ("/ui/as-of", UiFixture, NULL, ui_fixture_setup, test_as_of, ui_fixture_teardown);
  g_test_add ("/ui/as-of-history", UiFixture, NULL, ui_fixture_setup, test_as_of_history, ui_fixture_teardown);
  g_test_add ("/ui/diff", UiFixture, NULL, ui_fixture_setup, test_diff, ui_fixture_teardown);
  g_test_add ("/ui/as-of-french", UiFixture, "fr", ui_fixture_setup, test_as_of_french, ui_fixture_teardown);

  return ui_run ();
}

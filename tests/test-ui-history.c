/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-history.c: the asset history view: related entities, cables and deleted assets, values handed back. */
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

  ui_execute (f->window, FALSE);

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
  ui_save_screenshots (f->window, "history");

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
  g_assert_cmpstr (gtk_editable_get_text (ui_child (syn_window_get_timeline_view (f->window), SYN_TYPE_TIMELINE_VIEW,
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

  ui_execute (f->window, FALSE);

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
  ui_save_screenshot (GTK_WIDGET (f->window), "history-cable");

  /* the motor deleted (its cable with it): both keep their history */
  json_object_set_string_member (get, "project_id", project_id);
  json_object_set_string_member (get, "tag", "110-M-001");
  motor = ui_call (f->window, SYN_OP_GET_ASSET, get);
  old_id = g_strdup (syn_json_get_string (json_node_get_object (motor), "id"));
  json_object_set_string_member (remove, "project_id", project_id);
  json_object_set_string_member (remove, "asset_id", old_id);
  deleted = ui_call (f->window, SYN_OP_DELETE_ASSET, remove);
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
  ui_save_screenshot (GTK_WIDGET (f->window), "history-deleted");

  /* the tag used again: the new one first, the deleted one offered */
  json_object_set_string_member (create, "project_id", project_id);
  json_object_set_string_member (create, "tag", "110-M-001");
  json_object_set_string_member (create, "type", "MOTOR");
  again = ui_call (f->window, SYN_OP_CREATE_ASSET, create);
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
  g_assert_cmpstr (gtk_stack_get_visible_child_name (ui_child (view, SYN_TYPE_ASSET_HISTORY_VIEW, "stack")), ==, "empty");
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
  SynProjectStatus *status = ui_project_status (window);
  SynExecutionPanel *panel = syn_window_get_execution_panel (window);
  SynAssetHistoryView *view = syn_window_get_history_view (window);
  GListModel *held = syn_asset_history_view_get_held (view);
  gint64 voltage;
  g_autoptr(JsonObject) motor = NULL;
  g_autoptr(JsonObject) tank = NULL;
  g_autoptr(JsonObject) transmitter = NULL;
  g_autoptr(SynJsonItem) item = NULL;
  g_autoptr(SynJsonItem) output = NULL;

  ui_execute (window, FALSE);
  voltage = ui_hold_against_rules (window);
  g_assert_cmpint (voltage, ==, 600);

  /* the panel follows the other engineer's edits: two outputs held */
  WAIT_FOR (ui_status_settled (window) && syn_project_status_get_total (status, "held") == 2);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_held"), ==,
                   "2 values held by people against the rules");
  g_assert_cmpstr (ui_rule_row_status (panel, "firm-tank-level-transmitter"), ==, "1 held");

  /* a preview leaves them as they are, and says so */
  ui_execute (window, TRUE);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "warnings_label"), ==,
                   "2 values held by people: the rules left them as they are");
  ui_save_screenshots (window, "execution-held");

  /* the motor: its voltage, held */
  syn_session_show_asset (session, NULL, "110-M-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 1);
  item = held_item (view, 0);
  g_assert_cmpstr (syn_json_item_get_string (item, "kind"), ==, "property");
  g_assert_cmpstr (syn_json_item_get_string (item, "name"), ==, "voltage");
  g_assert_cmpstr (syn_json_item_get_label (item), ==, "Property “voltage”: 480");
  g_assert_true (gtk_widget_get_visible (ui_child (view, SYN_TYPE_ASSET_HISTORY_VIEW, "held_box")));
  g_assert_false (gtk_widget_get_visible (ui_child (view, SYN_TYPE_ASSET_HISTORY_VIEW, "hand_back_all_button")));
  ui_save_screenshots (window, "history-held");
  ui_save_narrow_screenshot (window, "history-held-narrow");

  /* handed back: no longer held, said in the window; the value stays until a run */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "history.hand-back", "(ss)", "property", "voltage"));
  g_assert_true (syn_asset_history_view_get_busy (view));
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpstr (syn_window_get_banner (window), ==, "Handed back to the rules: the next run sets it again");
  g_assert_cmpuint (g_list_model_get_n_items (held), ==, 0);
  g_assert_false (gtk_widget_get_visible (ui_child (view, SYN_TYPE_ASSET_HISTORY_VIEW, "held_box")));
  motor = ui_get_asset (window, "110-M-001");
  g_assert_false (ui_strv_has (motor, "held", "properties.voltage"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (motor, "properties"), "voltage"), ==, 480);
  WAIT_FOR (ui_status_settled (window) && syn_project_status_get_total (status, "held") == 1);

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
  tank = ui_get_asset (window, "510-TK-001");
  g_assert_false (ui_strv_has (tank, "withheld", "firm-tank-level-transmitter"));

  /* the next run sets them again */
  ui_execute (window, FALSE);
  g_clear_pointer (&motor, json_object_unref);
  motor = ui_get_asset (window, "110-M-001");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (motor, "properties"), "voltage"), ==, voltage);
  transmitter = ui_get_asset (window, "510-LT-001");
  g_assert_cmpstr (syn_json_get_string (transmitter, "created_by_rule_id"), ==, "firm-tank-level-transmitter");
  WAIT_FOR (ui_status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);
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

  window = syn_application_open_window (ui_app, NULL, server->url);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  dialog = ui_find_toplevel (SYN_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  ui_sign_in (dialog, "victor", SYN_TEST_PASSWORD);
  WAIT_FOR (dialog == NULL);
  WAIT_FOR (ui_project_ready (window));

  WAIT_FOR (ui_status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (ui_project_status (window)), ==, SYN_PROJECT_STATE_OUT_OF_DATE);
  g_assert_cmpint (syn_project_status_get_total (ui_project_status (window), "create"), >, 0);

  view = syn_window_get_history_view (window);
  syn_session_show_asset (syn_window_get_session (window), NULL, "110-PP-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "history.hand-back", "(ss)", "property", "hp"));
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  banner = syn_window_get_banner (window);
  g_assert_nonnull (banner);
  g_assert_true (g_str_has_prefix (banner, "Could not hand it back to the rules: "));
  ui_save_screenshot (GTK_WIDGET (window), "history-viewer-refused");

  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL);
  ui_spin (100);
  syn_test_server_stop (server);
}



int
main (int argc, char *argv[])
{
  if (!ui_init (&argc, &argv))
    return 0;

  g_test_add ("/ui/history", UiFixture, NULL, ui_fixture_setup, test_history, ui_fixture_teardown);
  g_test_add ("/ui/history-cables-and-deleted", UiFixture, NULL, ui_fixture_setup, test_history_cables_and_deleted,
              ui_fixture_teardown);
  g_test_add ("/ui/hand-back", UiFixture, NULL, ui_fixture_setup, test_hand_back, ui_fixture_teardown);
  g_test_add_func ("/ui/hand-back-viewer", test_hand_back_viewer);

  return ui_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui.c: the desktop application's window: first start, execution, import, the living model's status, French,
 * plurals, a team server; screenshots of each view under the build directory. */
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
#include "ui/syn-help-window.h"
#include "ui/syn-preferences-window.h"
#include "ui/syn-ui-format.h"

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
  g_assert_cmpuint (gtk_drop_down_get_selected (ui_child (f->window, SYN_TYPE_WINDOW, "project_dropdown")), ==, 0);
  g_assert_cmpstr (syn_session_get_connection_label (session), ==, "Local");

  /* desktop integration: shortcuts, their window, remembered settings */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ui_app), "win.execute");

    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>Return"));
  }
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window)));
  g_assert_nonnull (syn_application_get_settings (ui_app));

  /* the second start finds the project and creates nothing; closing the
   * window saved its size */
  gtk_window_close (GTK_WINDOW (f->window));
  WAIT_FOR (f->window == NULL);
  again = syn_application_open_window (ui_app, f->db, NULL);
  WAIT_FOR (ui_project_ready (again));
  g_assert_cmpuint (g_list_model_get_n_items (syn_session_get_projects (syn_window_get_session (again))), ==, 1);
  g_assert_cmpint (g_settings_get_int (syn_application_get_settings (ui_app), "window-width"), ==, 1280);
  f->window = again;
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
}


static void
test_execute (UiFixture *f, gconstpointer data)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (f->window);
  g_autofree char *before = ui_state_hash (f->window);
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

  completed = ui_execute (f->window, FALSE);
  summary = json_object_get_object_member (completed, "summary");
  made = json_object_get_object_member (summary, "created");

  /* the backend's record of the run says the same as the panel */
  json_object_set_string_member (params, "execution_id", syn_json_get_string (completed, "execution_id"));
  execution = ui_call (f->window, SYN_OP_GET_EXECUTION, params);
  backend_summary = json_object_get_object_member (json_node_get_object (execution), "summary");
  g_assert_true (syn_json_node_equal (json_object_get_member (backend_summary, "created"),
                                      json_object_get_member (summary, "created")));
  g_assert_cmpint (json_object_get_int_member (backend_summary, "actions_taken"), ==,
                   json_object_get_int_member (summary, "actions_taken"));

  actions = syn_format_count (json_object_get_int_member (backend_summary, "actions_taken"));
  skipped = syn_format_count (json_object_get_int_member (backend_summary, "skipped"));
  errors = syn_format_count (json_object_get_int_member (backend_summary, "errors"));
  rules = g_strdup_printf ("%d / ", (int) json_object_get_int_member (backend_summary, "rules_executed"));
  g_assert_cmpstr (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "actions_value")), ==, actions);
  g_assert_cmpstr (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "skipped_value")), ==, skipped);
  g_assert_cmpstr (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "errors_value")), ==, errors);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "rules_value")), rules));
  created = g_strdup_printf ("Created %d assets, %d cables and %d edges",
                             (int) json_object_get_int_member (made, "assets"),
                             (int) json_object_get_int_member (made, "cables"),
                             (int) json_object_get_int_member (made, "edges"));
  g_assert_cmpstr (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "created_label")), ==, created);
  g_assert_true (gtk_revealer_get_reveal_child (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "summary_revealer")));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "progress_bar")), ==, 1.0);

  /* the demo's rules report two pumps without horsepower: visible as errors */
  g_assert_cmpint (json_object_get_int_member (summary, "errors"), >, 0);
  g_assert_true (gtk_revealer_get_reveal_child (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "error_revealer")));
  g_assert_nonnull (strstr (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "error_label")), "horsepower"));

  /* the live log: the last actions and errors, newest first, at most 100 */
  log = syn_execution_panel_get_log (panel);
  g_assert_cmpuint (g_list_model_get_n_items (log), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (log), <=, 100);

  after = ui_state_hash (f->window);
  g_assert_cmpstr (before, !=, after);
  ui_save_screenshots (f->window, "execution");
}


static void
test_dry_run (UiFixture *f, gconstpointer data)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (f->window);
  g_autofree char *before = ui_state_hash (f->window);
  g_autofree char *after = NULL;
  gint64 events_before = ui_timeline_total (f->window, NULL, NULL);
  JsonObject *completed;

  completed = ui_execute (f->window, TRUE);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (completed, "summary"), "actions_taken"), >, 0);
  after = ui_state_hash (f->window);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (ui_timeline_total (f->window, NULL, NULL), ==, events_before);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "summary_title")), "Preview"));
  g_assert_false (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "show_batch_button")));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "created_label")), "Would create"));
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
  WAIT_FOR ((dialog = ui_find_toplevel (SYN_TYPE_IMPORT_DIALOG)) != NULL);
  WAIT_FOR (syn_import_dialog_get_ready (dialog));
  return dialog;
}


/* Rev B of the demo list: an hp changed, a row dropped, a row added; a
 * description a person edited is the file's again. The dialog chooses the
 * revision, previews it (writing nothing), then imports it. @data: the
 * language, as ui_fixture_setup() takes it (its screenshots are named so). */
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
  rev_b_path = ui_write_file (f, "gold-mine-rev-b.csv", rev_b->str);

  /* a person's edit since the import */
  json_object_set_string_member (get, "project_id", project_id);
  json_object_set_string_member (get, "tag", "210-PP-001");
  pump = ui_call (f->window, SYN_OP_GET_ASSET, get);
  json_object_set_string_member (update, "project_id", project_id);
  json_object_set_string_member (update, "asset_id", syn_json_get_string (json_node_get_object (pump), "id"));
  json_object_set_string_member (update, "description", "Edited by hand");
  updated = ui_call (f->window, SYN_OP_UPDATE_ASSET, update);

  before = ui_state_hash (f->window);
  events_before = ui_timeline_total (f->window, NULL, NULL);
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
  ui_wait_frames (GTK_WIDGET (dialog), 3);
  ui_save_screenshot (GTK_WIDGET (dialog), shot_preview);

  /* asking to delete what is missing previews that too */
  syn_import_dialog_set_delete_missing (dialog, TRUE);
  g_assert_false (syn_import_dialog_get_ready (dialog));
  WAIT_FOR (syn_import_dialog_get_ready (dialog));
  preview = syn_import_dialog_get_preview (dialog);
  g_assert_true (json_object_get_boolean_member (preview, "delete_missing"));
  g_assert_cmpstr (syn_json_get_string (json_array_get_object_element (json_object_get_array_member (
                     json_object_get_object_member (preview, "diff"), "missing"), 0), "tag"), ==, "110-WT-001");
  ui_save_screenshot (GTK_WIDGET (dialog), shot_delete);

  /* nothing written yet */
  after = ui_state_hash (f->window);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (ui_timeline_total (f->window, NULL, NULL), ==, events_before);

  syn_import_dialog_confirm (dialog);
  WAIT_FOR (dialog == NULL);
  g_assert_nonnull (syn_window_get_banner (f->window));
  if (language == NULL)
    {
      g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Revision imported: 1 created, 2 updated"));
      g_assert_nonnull (strstr (syn_window_get_banner (f->window), "1 missing (1 deleted)"));
    }
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "ASSET_DELETED"), ==, 1);
  json_object_set_string_member (get, "tag", "900-PP-001");
  created = ui_call (f->window, SYN_OP_GET_ASSET, get);
  g_assert_cmpstr (syn_json_get_string (json_node_get_object (created), "type"), ==, "PUMP");

  /* a file of new tags only: new assets it is */
  new_path = ui_write_file (f, "extra.csv", "TAG;TYPE;DESCRIPTION\n900-TK-001;TANK;Reclaim tank\n");
  dialog = open_import (f->window, new_path);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_false (syn_import_dialog_get_revision (dialog));
  g_assert_true (syn_import_dialog_get_can_import (dialog));
  ui_save_screenshot (GTK_WIDGET (dialog), shot_new);
  syn_import_dialog_confirm (dialog);
  WAIT_FOR (dialog == NULL);
  if (language == NULL)
    g_assert_nonnull (strstr (syn_window_get_banner (f->window), "Imported 1 asset,"));
}


/* A file the import cannot read says why, and offers nothing to import. */
static void
test_import_refused (UiFixture *f, gconstpointer data)
{
  g_autofree char *path = ui_write_file (f, "pipes.csv", "TAG|TYPE|HP\n900-PP-001|PUMP|5\n");
  SynImportDialog *dialog = open_import (f->window, path);
  GtkLabel *error_label = ui_child (dialog, SYN_TYPE_IMPORT_DIALOG, "error_label");

  g_assert_false (syn_import_dialog_get_can_import (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "'|'"));
  ui_save_screenshot (GTK_WIDGET (dialog), "import-refused");
  gtk_window_destroy (GTK_WINDOW (dialog));
}


static void
count_answers (SynProjectStatus *status, GParamSpec *pspec, guint *answers)
{
  SynProjectState state = syn_project_status_get_state (status);

  if (state == SYN_PROJECT_STATE_UP_TO_DATE || state == SYN_PROJECT_STATE_OUT_OF_DATE)
    (*answers)++;
}


static void
test_status (UiFixture *f, gconstpointer data)
{
  SynWindow *window = f->window;
  SynSession *session = syn_window_get_session (window);
  SynProjectStatus *status = ui_project_status (window);
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
  WAIT_FOR (ui_status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_OUT_OF_DATE);

  /* rule by rule, the rows say what the backend's own answer says */
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (session));
  answer = ui_call (window, SYN_OP_PROJECT_STATUS, params);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (answer), "up_to_date"));
  lines = json_object_get_array_member (json_node_get_object (answer), "rules");
  g_assert_cmpuint (json_array_get_length (lines), >, 0);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);
      g_autofree char *expected = syn_format_rule_status (line);

      g_assert_cmpstr (ui_rule_row_status (panel, syn_json_get_string (line, "rule_id")), ==, expected);
      create += json_object_get_int_member (line, "create");
      update += json_object_get_int_member (line, "update");
      retract += json_object_get_int_member (line, "retract");
    }
  /* the demo: a motor for each of its 14 centrifugal pumps, 600 V for its 19 motors */
  g_assert_cmpstr (ui_rule_row_status (panel, "firm-pump-motor"), ==, "14 to create");
  g_assert_cmpstr (ui_rule_row_status (panel, "country-ca-motor-voltage"), ==, "19 to update");
  /* two pumps without horsepower: findings, but no output to change */
  g_assert_null (ui_rule_row_status (panel, "firm-pump-hp-required"));
  g_assert_cmpint (retract, ==, 0);
  title = g_strdup_printf ("Out of date: a run would change %d outputs", (int) (create + update + retract));
  detail = g_strdup_printf ("%d to create · %d to update", (int) create, (int) update);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==, title);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_detail"), ==, detail);
  g_assert_null (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_held"));
  ui_save_screenshots (window, "execution-out-of-date");

  /* narrow: the run in the whole width, the filters a button away */
  ui_resize_window (window, 360);
  g_assert_true (syn_execution_panel_get_narrow (panel));
  g_assert_false (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "filters_pane")));
  g_assert_true (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane")));
  ui_assert_fits (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane"));
  ui_save_screenshot (GTK_WIDGET (window), "execution-out-of-date-narrow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.show-filters", NULL));
  g_assert_true (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "filters_pane")));
  g_assert_false (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane")));
  ui_wait_frames (GTK_WIDGET (window), 3);
  ui_assert_fits (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "filters_pane"));
  ui_save_screenshot (GTK_WIDGET (window), "execution-filters-narrow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.show-filters", NULL));
  g_assert_true (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane")));
  ui_resize_window (window, 0);
  g_assert_false (syn_execution_panel_get_narrow (panel));
  g_assert_true (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "filters_pane")));
  g_assert_true (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "run_pane")));

  /* the run does what the status announced */
  summary = json_object_get_object_member (ui_execute (window, FALSE), "summary");
  made = json_object_get_object_member (summary, "created");
  changed = json_object_get_object_member (summary, "updated");
  g_assert_cmpint (json_object_get_int_member (made, "assets") + json_object_get_int_member (made, "cables") +
                   json_object_get_int_member (made, "edges"), ==, create);
  g_assert_cmpint (json_object_get_int_member (changed, "assets") + json_object_get_int_member (changed, "cables"),
                   ==, update);
  updated = g_strdup_printf ("Updated %d assets", (int) json_object_get_int_member (changed, "assets"));
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "updated_label"), ==, updated);
  g_assert_null (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "retracted_label"));

  /* its batch changed the project: checked again, and up to date */
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_CHECKING);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==,
                   "Checking the project against its rules…");
  g_assert_true (gtk_spinner_get_spinning (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "status_spinner")));
  WAIT_FOR (ui_status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==, "Up to date with its rules");
  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(SynJsonItem) rule = g_list_model_get_item (rules, i);

      g_assert_null (ui_rule_row_status (panel, syn_json_item_get_string (rule, "id")));
    }
  ui_save_screenshots (window, "execution-up-to-date");

  /* a second run finds nothing to do, and says so */
  ui_execute (window, FALSE);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "summary_title"), ==, "Up to date: nothing to do");
  g_assert_null (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "created_label"));
  g_assert_false (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "show_batch_button")));

  /* a burst of changes is one check */
  ui_spin (500);
  WAIT_FOR (ui_status_settled (window));
  handler = g_signal_connect (status, "notify::state", G_CALLBACK (count_answers), &answers);
  for (guint i = 0; i < 5; i++)
    {
      syn_session_data_changed (session);
      ui_spin (20);
    }
  WAIT_FOR (ui_status_settled (window));
  ui_spin (500);
  g_assert_cmpuint (answers, ==, 1);
  g_signal_handler_disconnect (status, handler);

  /* a check that fails says so in the panel, and can be made again */
  syn_project_status_check (status, syn_session_get_backend (session), "01a2490e-0000-7000-8000-000000000000");
  WAIT_FOR (ui_status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_FAILED);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==,
                   "Could not check the project against its rules");
  g_assert_nonnull (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_detail"));
  g_assert_true (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "status_retry_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.check-status", NULL));
  WAIT_FOR (ui_status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);
  g_assert_false (gtk_widget_get_visible (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "status_retry_button")));

  /* a pump that is no longer centrifugal: its motor, cable and edge to retract */
  {
    g_autoptr(JsonObject) pump = ui_get_asset (window, "110-PP-001");
    g_autoptr(JsonObject) edit = json_object_new ();
    g_autoptr(JsonNode) edited = NULL;
    JsonObject *properties = json_object_new ();

    json_object_set_string_member (edit, "project_id", syn_session_get_project_id (session));
    json_object_set_string_member (edit, "asset_id", syn_json_get_string (pump, "id"));
    json_object_set_string_member (properties, "pump_type", "DIAPHRAGM");
    json_object_set_object_member (edit, "properties", properties);
    edited = ui_call (window, SYN_OP_UPDATE_ASSET, edit);
  }
  WAIT_FOR (ui_status_settled (window) && syn_project_status_get_total (status, "retract") > 0);
  g_assert_cmpstr (ui_rule_row_status (panel, "firm-pump-motor"), ==, "3 to retract");
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==,
                   "Out of date: a run would change 3 outputs");
  ui_execute (window, FALSE);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "retracted_label"), ==,
                   "Retracted 1 asset, 1 cable and 1 edge");
  g_assert_null (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "created_label"));
  g_assert_null (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "updated_label"));
  WAIT_FOR (ui_status_settled (window));
  g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);

  /* another project: its own status, the first one's answer never shown for it */
  {
    g_autoptr(JsonObject) params_new = json_object_new ();
    g_autoptr(JsonNode) created = NULL;
    g_autofree char *first = g_strdup (syn_session_get_project_id (session));
    const char *second;

    json_object_set_string_member (params_new, "name", "Empty");
    created = ui_call (window, SYN_OP_CREATE_PROJECT, params_new);
    second = syn_json_get_string (json_node_get_object (created), "id");
    syn_session_load_projects (session, second, FALSE);
    WAIT_FOR (g_strcmp0 (syn_session_get_project_id (session), second) == 0 && ui_status_settled (window));
    g_assert_cmpstr (syn_json_get_string (syn_project_status_get_report (status), "project_id"), ==, second);
    g_assert_cmpint (syn_project_status_get_state (status), ==, SYN_PROJECT_STATE_UP_TO_DATE);
    for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
      {
        g_autoptr(SynJsonItem) rule = g_list_model_get_item (rules, i);

        g_assert_null (ui_rule_row_status (panel, syn_json_item_get_string (rule, "id")));
      }
    syn_session_load_projects (session, first, FALSE);
    WAIT_FOR (g_strcmp0 (syn_session_get_project_id (session), first) == 0 && ui_status_settled (window));
    g_assert_cmpstr (syn_json_get_string (syn_project_status_get_report (status), "project_id"), ==, first);
  }
}


/* The same, in French: the translations load, and the long words fit. */
static void
test_french (UiFixture *f, gconstpointer data)
{
  SynWindow *window = f->window;
  SynExecutionPanel *panel = syn_window_get_execution_panel (window);
  SynAssetHistoryView *view = syn_window_get_history_view (window);

  /* a rollback is not a cancel: "Révoquer" and "Annuler" (issue 14) */
  g_assert_cmpstr (_("_Cancel"), ==, "_Annuler");
  g_assert_cmpstr (_("Roll Back Batch"), ==, "Révoquer un lot");
  g_assert_cmpstr (_("Roll Back…"), ==, "Révoquer le lot…");
  g_assert_cmpstr (g_dpgettext2 (NULL, "shortcut window", "Cancel the run"), ==, "Annuler l’exécution");
  g_assert_true (g_str_has_prefix (_("Roll back batch %s?"), "Révoquer"));

  syn_window_show_view (window, "execution");
  WAIT_FOR (ui_status_settled (window));
  g_assert_true (g_str_has_prefix (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), "Pas à jour"));
  ui_save_screenshot (GTK_WIDGET (window), "fr-execution-out-of-date");
  ui_save_narrow_screenshot (window, "fr-execution-out-of-date-narrow");

  ui_execute (window, FALSE);
  ui_hold_against_rules (window);
  WAIT_FOR (ui_status_settled (window) && syn_project_status_get_total (ui_project_status (window), "held") == 2);
  ui_save_screenshot (GTK_WIDGET (window), "fr-execution-held");
  ui_save_narrow_screenshot (window, "fr-execution-held-narrow");

  syn_session_show_asset (syn_window_get_session (window), NULL, "110-M-001");
  WAIT_FOR (!syn_asset_history_view_get_busy (view));
  g_assert_cmpuint (g_list_model_get_n_items (syn_asset_history_view_get_held (view)), ==, 1);
  ui_save_screenshot (GTK_WIDGET (window), "fr-history-held");
  ui_save_narrow_screenshot (window, "fr-history-held-narrow");
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

  ui_use_language (NULL);
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

  ui_use_language ("fr");
  text = syn_format_run_summary (one);
  g_assert_cmpstr (text, ==, "1 règle exécutée sur 1 équipement : 1 action effectuée, 0 ignorée, 1 erreur");
  g_free (text);
  text = syn_format_rollback_summary (rollback);
  g_assert_cmpstr (text, ==, "suppression de 1 câble et 1 équipement rétabli");
  g_free (text);
  ui_use_language (NULL);
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

  window = syn_application_open_window (ui_app, NULL, server->url);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  session = syn_window_get_session (window);

  /* the sign-in dialog, filled with the server */
  dialog = ui_find_toplevel (SYN_TYPE_SIGN_IN_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_cmpstr (gtk_editable_get_text (ui_child (dialog, SYN_TYPE_SIGN_IN_DIALOG, "url_entry")), ==, server->url);

  /* a wrong password is said in the dialog */
  ui_sign_in (dialog, "alice", "wrong");
  WAIT_FOR (gtk_widget_get_visible (ui_child (dialog, SYN_TYPE_SIGN_IN_DIALOG, "error_label")));
  g_assert_false (syn_session_get_remote (session));
  ui_save_screenshot (GTK_WIDGET (dialog), "sign-in");

  ui_sign_in (dialog, "alice", SYN_TEST_PASSWORD);
  WAIT_FOR (dialog == NULL);
  g_assert_true (syn_session_get_remote (session));
  label = g_strdup_printf ("%s — alice", server->url);
  g_assert_cmpstr (syn_session_get_connection_label (session), ==, label);
  last_url = g_settings_get_string (syn_application_get_settings (ui_app), "last-server-url");
  g_assert_cmpstr (last_url, ==, server->url);

  /* a project on the server, then the same execution as locally */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.create-demo", NULL));
  WAIT_FOR (ui_project_ready (window));
  completed = ui_execute (window, FALSE);
  correlation_id = g_strdup (syn_json_get_string (completed, "correlation_id"));
  {
    SynExecutionPanel *panel = syn_window_get_execution_panel (window);
    g_autofree char *actions = syn_format_count (json_object_get_int_member (json_object_get_object_member (completed, "summary"),
                                                                             "actions_taken"));

    g_assert_cmpstr (gtk_label_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "actions_value")), ==, actions);
    g_assert_cmpuint (g_list_model_get_n_items (syn_execution_panel_get_log (panel)), >, 0);
  }
  view = syn_window_get_timeline_view (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (syn_window_get_execution_panel (window)), "panel.show-batch", NULL));
  WAIT_FOR (!syn_timeline_view_get_busy (view));
  g_assert_cmpuint (syn_timeline_model_get_total (syn_timeline_view_get_model (view)), ==,
                    (guint64) ui_timeline_total (window, correlation_id, NULL));
  ui_save_screenshot (GTK_WIDGET (window), "remote-timeline");

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
    pump = ui_call (window, SYN_OP_GET_ASSET, get);
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
  ui_spin (100);
  syn_test_server_stop (server);
}

/* ------------------------------------------------------------------------- */
/* libadwaita: the style, preferences, help, a narrow window (issue 14)      */

/* The style follows the desktop unless the preferences say otherwise; the
 * preferences window keeps each choice in GSettings at once. */
static void
test_style_and_preferences (UiFixture *f, gconstpointer data)
{
  GSettings *settings = syn_application_get_settings (ui_app);
  AdwStyleManager *style = adw_style_manager_get_default ();
  SynExecutionPanel *panel = syn_window_get_execution_panel (f->window);
  GtkWidget *prefs;
  GtkSwitch *dry_run;
  AdwComboRow *style_row;

  g_assert_true (ADW_IS_APPLICATION_WINDOW (f->window));
  g_assert_true (ADW_IS_APPLICATION (ui_app));

  /* follow: what the desktop prefers (light here) */
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_false (adw_style_manager_get_dark (style));
  g_settings_set_enum (settings, "style", 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  ui_save_screenshot (GTK_WIDGET (f->window), "style-dark-preference");

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (ui_app), "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (ui_app), "preferences", NULL);
  WAIT_FOR ((prefs = ui_find_toplevel (SYN_TYPE_PREFERENCES_WINDOW)) != NULL);
  style_row = ui_child (prefs, SYN_TYPE_PREFERENCES_WINDOW, "style_row");
  dry_run = ui_child (prefs, SYN_TYPE_PREFERENCES_WINDOW, "dry_run_switch");
  g_assert_cmpuint (adw_combo_row_get_selected (style_row), ==, 2);
  ui_save_screenshot (prefs, "preferences-dark");

  /* choosing Light in the window: kept, and applied */
  adw_combo_row_set_selected (style_row, 1);
  g_assert_cmpint (g_settings_get_enum (settings, "style"), ==, 1);
  g_assert_false (adw_style_manager_get_dark (style));
  ui_save_screenshot (prefs, "preferences");

  /* the dry run by default: the switch, the setting and the panel agree */
  gtk_switch_set_active (dry_run, !gtk_switch_get_active (dry_run));
  g_assert_cmpint (g_settings_get_boolean (settings, "dry-run"), ==, gtk_switch_get_active (dry_run));
  g_assert_cmpint (syn_execution_panel_get_dry_run (panel), ==, gtk_switch_get_active (dry_run));
  gtk_switch_set_active (dry_run, !gtk_switch_get_active (dry_run));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "style");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
}

/* F1 opens the user guide; it reads at 360 pixels. About is libadwaita's. */
/* A label under @widget whose text is selected, if any. */
static GtkWidget *
find_selected_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_selection_bounds (GTK_LABEL (widget), NULL, NULL))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_selected_label (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_help_and_about (UiFixture *f, gconstpointer data)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ui_app), "app.help");
  GtkWidget *help;
  GtkWidget *about;

  g_assert_true (g_strv_contains ((const char * const *) accels, "F1"));
  g_action_group_activate_action (G_ACTION_GROUP (ui_app), "help", NULL);
  WAIT_FOR ((help = ui_find_toplevel (SYN_TYPE_HELP_WINDOW)) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (help)) == GTK_WINDOW (f->window));
  ui_save_screenshot (help, "help");
  /* the guide opens as a page to read, not with its first paragraph selected */
  g_assert_null (find_selected_label (help));
  gtk_window_set_default_size (GTK_WINDOW (help), 360, 600);
  WAIT_FOR (gtk_widget_get_width (help) <= 360);
  ui_save_screenshot (help, "help-narrow");
  gtk_window_destroy (GTK_WINDOW (help));

  g_action_group_activate_action (G_ACTION_GROUP (ui_app), "about", NULL);
  WAIT_FOR ((about = ui_find_toplevel (ADW_TYPE_ABOUT_WINDOW)) != NULL);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Synapse");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  /* nothing pretends to be a web site the project does not have */
  g_assert_cmpstr (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)), ==, "");
  gtk_window_destroy (GTK_WINDOW (about));
}

/* The first descendant of @widget whose action is @action_name. */
static GtkWidget *
find_actionable (GtkWidget *widget, const char *action_name)
{
  if (GTK_IS_ACTIONABLE (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_actionable (c, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Icon-only buttons of @widget and its descendants that nothing names
 * (neither a label nor a tooltip, which screen readers and people see). */
static void
collect_unnamed_buttons (GtkWidget *widget, GPtrArray *unnamed)
{
  const char *icon = NULL;

  /* the libraries' own widgets (a calendar's arrows, a toast's close
   * button) are theirs to name */
  if (GTK_IS_CALENDAR (widget) || g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget"))
    return;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL)
    icon = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));
  /* a menu button's own button is named by the menu button */
  if (icon != NULL && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)) &&
      gtk_widget_get_tooltip_text (widget) == NULL)
    g_ptr_array_add (unnamed, g_strdup_printf ("%s (%s) in %s", G_OBJECT_TYPE_NAME (widget), icon,
                                               G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget))));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_unnamed_buttons (c, unnamed);
}

/* Every icon-only button of every view says what it does (issue 14). */
static void
test_icon_buttons_named (UiFixture *f, gconstpointer data)
{
  static const char *views[] = { "execution", "timeline", "history", "assets" };
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      syn_window_show_view (f->window, views[i]);
      ui_wait_frames (GTK_WIDGET (f->window), 2);
      collect_unnamed_buttons (GTK_WIDGET (f->window), unnamed);
    }
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("unnamed: %s", (char *) g_ptr_array_index (unnamed, i));
  g_assert_cmpuint (unnamed->len, ==, 0);
}

/* A project with a very long name: the window still goes down to 360
 * pixels (the name is ellipsized), the view switcher moves to the bottom
 * bar, and the Execute button is whole. */
static void
test_narrow_long_name (UiFixture *f, gconstpointer data)
{
  SynSession *session = syn_window_get_session (f->window);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) project = NULL;
  const char *name = "Expansion of the north concentrator, phase 2: crushing, grinding, flotation and tailings "
                     "thickening (revision C, issued for construction)";
  const char *id;
  GtkWidget *execute;
  int minimum = 0;

  syn_window_show_view (f->window, "execution");
  json_object_set_string_member (params, "name", name);
  project = ui_call (f->window, SYN_OP_CREATE_PROJECT, params);
  id = syn_json_get_string (json_node_get_object (project), "id");
  syn_session_load_projects (session, id, FALSE);
  WAIT_FOR (g_strcmp0 (syn_session_get_project_id (session), id) == 0 && !syn_session_get_loading (session));

  /* the window's minimum, laid out narrow: what a window manager would let it shrink to */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 760);
  WAIT_FOR (syn_window_get_narrow (f->window) &&
            (gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL),
             minimum <= 360));
  ui_resize_window (f->window, 360);
  g_assert_true (gtk_widget_get_visible (ui_child (f->window, SYN_TYPE_WINDOW, "switcher_bar")));
  g_assert_true (adw_view_switcher_bar_get_reveal (ui_child (f->window, SYN_TYPE_WINDOW, "switcher_bar")));
  execute = find_actionable (GTK_WIDGET (syn_window_get_execution_panel (f->window)), "panel.execute");
  g_assert_nonnull (execute);
  g_assert_true (gtk_widget_get_mapped (execute));
  ui_save_screenshot (GTK_WIDGET (f->window), "narrow-long-name");
  ui_assert_fits (execute);
  ui_resize_window (f->window, 0);
  g_assert_false (adw_view_switcher_bar_get_reveal (ui_child (f->window, SYN_TYPE_WINDOW, "switcher_bar")));
}

int
main (int argc, char *argv[])
{
  if (!ui_init (&argc, &argv))
    return 0;

  g_test_add ("/ui/first-start", UiFixture, NULL, ui_fixture_setup, test_first_start, ui_fixture_teardown);
  g_test_add ("/ui/execute", UiFixture, NULL, ui_fixture_setup, test_execute, ui_fixture_teardown);
  g_test_add ("/ui/dry-run", UiFixture, NULL, ui_fixture_setup, test_dry_run, ui_fixture_teardown);
  g_test_add ("/ui/import-revision", UiFixture, NULL, ui_fixture_setup, test_import_revision, ui_fixture_teardown);
  g_test_add ("/ui/import-refused", UiFixture, NULL, ui_fixture_setup, test_import_refused, ui_fixture_teardown);
  g_test_add ("/ui/import-revision-french", UiFixture, "fr", ui_fixture_setup, test_import_revision, ui_fixture_teardown);
  g_test_add ("/ui/status", UiFixture, NULL, ui_fixture_setup, test_status, ui_fixture_teardown);
  g_test_add ("/ui/french", UiFixture, "fr", ui_fixture_setup, test_french, ui_fixture_teardown);
  g_test_add_func ("/ui/remote", test_remote);
  g_test_add_func ("/ui/plurals", test_plurals);
  g_test_add ("/ui/style-and-preferences", UiFixture, NULL, ui_fixture_setup, test_style_and_preferences,
              ui_fixture_teardown);
  g_test_add ("/ui/help-and-about", UiFixture, NULL, ui_fixture_setup, test_help_and_about, ui_fixture_teardown);
  g_test_add ("/ui/icon-buttons-named", UiFixture, NULL, ui_fixture_setup, test_icon_buttons_named,
              ui_fixture_teardown);
  g_test_add ("/ui/narrow-long-name", UiFixture, NULL, ui_fixture_setup, test_narrow_long_name, ui_fixture_teardown);

  return ui_run ();
}

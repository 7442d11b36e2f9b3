/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-grid.c: the Assets and Cables view: the grid, its filters, the hierarchy, export. */
#include "config.h"

#include <adwaita.h>
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
  gtk_editable_set_text (ui_child (view, SYN_TYPE_ASSETS_VIEW, entry), text);
  syn_assets_view_apply_filters (view);
  wait_grid (view);
}


/* The tags the grid shows, top to bottom: the cells of the tag column that
 * are on screen (what the user reads, not what the model holds). */
static void
collect_tags (GtkWidget *widget, GPtrArray *tags)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "key"), "tag") == 0)
    g_ptr_array_add (tags, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_tags (child, tags);
}


/* Every row on screen is the backend's answer to the grid's query, in order. */
static void
assert_shown_rows (SynWindow *window, SynAssetsView *view)
{
  SynGridModel *model = syn_assets_view_get_model (view);
  g_autoptr(JsonObject) params = syn_json_object_copy (syn_grid_model_get_query (model));
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  JsonArray *rows;

  json_object_set_int_member (params, "limit", 500);
  answer = ui_call (window, syn_grid_model_get_cables (model) ? SYN_OP_LIST_CABLES : SYN_OP_LIST_ASSETS, params);
  rows = json_object_get_array_member (json_node_get_object (answer),
                                       syn_grid_model_get_cables (model) ? "cables" : "assets");
  ui_wait_frames (GTK_WIDGET (window), 3);
  collect_tags (GTK_WIDGET (syn_assets_view_get_grid (view)), shown);
  g_assert_cmpuint (shown->len, >, 0);
  g_assert_cmpuint (shown->len, <=, json_array_get_length (rows));
  for (guint i = 0; i < shown->len; i++)
    g_assert_cmpstr (g_ptr_array_index (shown, i), ==,
                     syn_json_get_string (json_array_get_object_element (rows, i), "tag"));
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
  g_autoptr(JsonObject) pump = ui_get_asset (f->window, "210-PP-001");
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

    g_assert_cmpstr (gtk_label_get_text (ui_child (view, SYN_TYPE_ASSETS_VIEW, "count_label")), ==, expected);
  }
  ui_save_screenshots (f->window, "assets-cables");
  ui_save_narrow_screenshot (f->window, "assets-cables-narrow");

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
  ui_save_screenshot (GTK_WIDGET (f->window), "assets-cables-filtered");
  set_filter (view, "where_entry", "");
  set_filter (view, "tag_entry", "");
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, GRID_CABLES);

  /* scrolled to the end: the last window is fetched, nothing between */
  adjustment = gtk_scrolled_window_get_vadjustment (ui_child (view, SYN_TYPE_ASSETS_VIEW, "scroller"));
  WAIT_FOR (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  ui_wait_frames (GTK_WIDGET (f->window), 3);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  last = grid_row (view, n - 1);
  WAIT_FOR (syn_grid_row_get_loaded (last));
  g_assert_cmpstr (syn_grid_row_get_tag (last), ==, "CBL-100000");
  g_assert_cmpuint (syn_grid_model_get_n_cached_pages (model), <=, 16);
  ui_save_screenshot (GTK_WIDGET (f->window), "assets-cables-end");

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
  AdwMessageDialog *dialog = NULL;
  g_autofree char *hash = NULL;
  guint64 before;

  /* before the first run, the pumps are out of date: marked; after it, not */
  {
    g_autoptr(JsonObject) pump = ui_get_asset (f->window, "210-PP-001");

    WAIT_FOR (ui_status_settled (f->window));
    g_assert_true (syn_project_status_is_out_of_date (ui_project_status (f->window), syn_json_get_string (pump, "id")));
    syn_window_show_view (f->window, "assets");
    wait_grid (view);
    ui_save_screenshot (GTK_WIDGET (f->window), "assets-out-of-date");
    ui_execute (f->window, FALSE);
    WAIT_FOR (ui_status_settled (f->window) &&
              syn_project_status_get_state (ui_project_status (f->window)) == SYN_PROJECT_STATE_UP_TO_DATE);
    g_assert_false (syn_project_status_is_out_of_date (ui_project_status (f->window), syn_json_get_string (pump, "id")));
  }
  syn_window_show_view (f->window, "assets");
  wait_grid (view);
  g_assert_false (syn_assets_view_get_cables (view));
  g_assert_cmpuint (syn_grid_model_get_total (model), >, 20);

  /* properties as columns; a test on one */
  gtk_editable_set_text (ui_child (view, SYN_TYPE_ASSETS_VIEW, "columns_entry"), "hp, voltage");
  g_signal_emit_by_name (ui_child (view, SYN_TYPE_ASSETS_VIEW, "columns_entry"), "activate");
  g_assert_nonnull (grid_column (view, "hp"));
  set_filter (view, "where_entry", "hp > 200");
  set_filter (view, "tag_entry", "210-*");
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, 4);
  /* every row shown is right, not only the count and the first one (rows
   * refilled in place once showed the list before the filter) */
  assert_shown_rows (f->window, view);
  row = grid_row (view, 0);
  g_assert_cmpstr (syn_grid_row_get_tag (row), ==, "210-M-001");
  {
    g_autofree char *hp = syn_grid_row_get_text (row, "hp");
    g_autofree char *by = syn_grid_row_get_text (row, "created_by");

    g_assert_cmpstr (hp, ==, "250");
    g_assert_cmpstr (by, ==, "firm-slurry-pump-motor");
  }
  ui_save_screenshots (f->window, "assets-list");

  /* the motor's hierarchy: its pump, its cable; the pump's: its motor */
  gtk_selection_model_select_item (syn_assets_view_get_selection (view), 0, TRUE);
  WAIT_FOR (hierarchy_has (view, "powers 210-PP-001 (PUMP)"));
  WAIT_FOR (hierarchy_has (view, "Cable 210-M-001-PWR: — → 210-M-001"));
  ui_save_screenshot (GTK_WIDGET (f->window), "assets-hierarchy");
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

  /* deleting the selection: asked first (naming how many and which), then
   * one batch; Undo brings it all back */
  syn_window_show_view (f->window, "assets");
  before = syn_grid_model_get_total (model);
  hash = ui_state_hash (f->window);
  gtk_selection_model_select_range (syn_assets_view_get_selection (view), 0, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "grid.delete", NULL));
  WAIT_FOR ((dialog = ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete 2 assets?");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog), "210-M-001, "));
  ui_save_screenshot (GTK_WIDGET (dialog), "assets-delete");
  adw_message_dialog_response (dialog, "delete");
  WAIT_FOR (syn_grid_model_get_total (model) == before - 2 && !syn_grid_model_get_loading (model));
  /* the motors' cables went with them: said too */
  WAIT_FOR (syn_window_get_banner (f->window) != NULL &&
            g_str_has_prefix (syn_window_get_banner (f->window), "Deleted 2 assets and "));
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "ASSET_DELETED"), ==, 2);
  {
    g_autofree char *said = g_strdup_printf ("Deleted 2 assets and %" G_GINT64_FORMAT " cable%s.",
                                             ui_timeline_total (f->window, NULL, "CABLE_DELETED"),
                                             ui_timeline_total (f->window, NULL, "CABLE_DELETED") > 1 ? "s" : "");

    g_assert_cmpstr (syn_window_get_banner (f->window), ==, said);
  }
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "BATCH_ROLLED_BACK"), ==, 0);
  ui_undo (f->window);
  WAIT_FOR (syn_grid_model_get_total (model) == before && !syn_grid_model_get_loading (model));
  {
    g_autofree char *after = ui_state_hash (f->window);

    g_assert_cmpstr (after, ==, hash);
  }
}


/* The view in French, narrow and wide. */
static void
test_grid_french (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);

  ui_execute (f->window, FALSE);
  syn_window_show_view (f->window, "assets");
  syn_assets_view_set_cables (view, TRUE);
  wait_grid (view);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (ui_child (view, SYN_TYPE_ASSETS_VIEW, "count_label")), "câbles"));
  g_assert_cmpstr (gtk_column_view_column_get_title (grid_column (view, "voltage_drop_pct")), ==,
                   "Chute de tension (%)");
  ui_save_screenshot (GTK_WIDGET (f->window), "fr-assets-cables");
  ui_save_narrow_screenshot (f->window, "fr-assets-cables-narrow");
}

int
main (int argc, char *argv[])
{
  if (!ui_init (&argc, &argv))
    return 0;

  g_test_add ("/ui/grid", UiFixture, NULL, ui_fixture_setup, test_grid, ui_fixture_teardown);
  g_test_add ("/ui/grid-assets", UiFixture, NULL, ui_fixture_setup, test_grid_assets, ui_fixture_teardown);
  g_test_add ("/ui/grid-french", UiFixture, "fr", ui_fixture_setup, test_grid_french, ui_fixture_teardown);

  return ui_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-editing.c: editing from the GUI: the asset editor (add, change, rename) and deleting from the grid,
 * each undone to the state it left; refusals at the field; the rule list's switches; the rule editor. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "core/syn-json.h"
#include "syn-test-ui.h"
#include "ui/syn-asset-editor-dialog.h"
#include "ui/syn-assets-view.h"
#include "ui/syn-grid-model.h"
#include "ui/syn-rule-editor-dialog.h"
#include "ui/syn-rules-dialog.h"

#define PROJECT_RULE "project-instrument-manufacturer"

/* A dialog light, dark, and 360 pixels wide. */
static void
dialog_screenshots (GtkWindow *dialog, const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);
  g_autofree char *narrow = g_strconcat (name, "-narrow", NULL);
  int width = 0, height = 0;

  ui_save_screenshot (GTK_WIDGET (dialog), name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_save_screenshot (GTK_WIDGET (dialog), dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_get_default_size (dialog, &width, &height);
  gtk_window_set_default_size (dialog, 360, height);
  ui_wait_frames (GTK_WIDGET (dialog), 3);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 360);
  ui_save_screenshot (GTK_WIDGET (dialog), narrow);
  gtk_window_set_default_size (dialog, width, height);
  ui_wait_frames (GTK_WIDGET (dialog), 2);
}

static GtkTextView *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return GTK_TEXT_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkTextView *found = find_text_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_text (SynAssetEditorDialog *dialog, const char *field, const char *text)
{
  gtk_editable_set_text (syn_asset_editor_dialog_get_entry (dialog, field), text);
}

/* The grid filtered to @tag, the row selected. */
static void
select_tag (SynAssetsView *view, const char *tag)
{
  SynGridModel *model = syn_assets_view_get_model (view);
  g_autoptr(GObject) row = NULL;

  gtk_editable_set_text (ui_child (view, SYN_TYPE_ASSETS_VIEW, "tag_entry"), tag);
  syn_assets_view_apply_filters (view);
  WAIT_FOR (!syn_grid_model_get_loading (model));
  g_assert_cmpuint (syn_grid_model_get_total (model), ==, 1);
  row = g_list_model_get_item (G_LIST_MODEL (model), 0);
  WAIT_FOR (syn_grid_row_get_loaded (SYN_GRID_ROW (row)));
  gtk_selection_model_select_item (syn_assets_view_get_selection (view), 0, TRUE);
}

static SynAssetEditorDialog *
open_editor (SynAssetsView *view, const char *action)
{
  SynAssetEditorDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), action, NULL));
  dialog = ui_find_toplevel (SYN_TYPE_ASSET_EDITOR_DIALOG);
  g_assert_nonnull (dialog);
  return dialog;
}

/* Saved: the dialog goes and the window says what was done. */
static void
save_editor (SynWindow *window, SynAssetEditorDialog *dialog, const char *news)
{
  syn_asset_editor_dialog_save (dialog);
  WAIT_FOR (ui_find_toplevel (SYN_TYPE_ASSET_EDITOR_DIALOG) == NULL);
  WAIT_FOR (g_strcmp0 (syn_window_get_banner (window), news) == 0);
}

static gboolean
has_tag (SynWindow *window, const char *tag)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
  json_object_set_string_member (params, "tag", tag);
  answer = ui_call (window, SYN_OP_LIST_ASSETS, params);
  return json_object_get_int_member (json_node_get_object (answer), "total") == 1;
}

/* Add, change and rename, delete from the grid: each one batch, each
 * undone to the state hash it started from. */
static void
test_asset_edits (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);
  SynAssetEditorDialog *dialog;
  g_autofree char *start = NULL;
  g_autofree char *added = NULL;
  g_autofree char *now = NULL;
  g_autoptr(JsonObject) asset = NULL;
  AdwMessageDialog *question = NULL;
  JsonObject *properties;

  syn_window_show_view (f->window, "assets");
  start = ui_state_hash (f->window);

  /* add */
  dialog = open_editor (view, "grid.new");
  set_text (dialog, "tag", "T-900");
  set_text (dialog, "type", "TANK");
  set_text (dialog, "description", "Feed tank");
  set_text (dialog, "area", "900");
  gtk_drop_down_set_selected (syn_asset_editor_dialog_get_discipline (dialog), 3);
  syn_asset_editor_dialog_add_property (dialog, "volume", "5 m3");
  syn_asset_editor_dialog_add_property (dialog, "level", "3");
  dialog_screenshots (GTK_WINDOW (dialog), "asset-editor-new");
  save_editor (f->window, dialog, "Added asset T-900.");
  asset = ui_get_asset (f->window, "T-900");
  g_assert_cmpstr (syn_json_get_string (asset, "description"), ==, "Feed tank");
  g_assert_cmpstr (syn_json_get_string (asset, "area"), ==, "900");
  g_assert_nonnull (syn_json_get_string (asset, "discipline"));
  properties = json_object_get_object_member (asset, "properties");
  g_assert_cmpstr (json_object_get_string_member (properties, "volume"), ==, "5 m3");
  g_assert_cmpint (json_object_get_int_member (properties, "level"), ==, 3);
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "ASSET_CREATED"), >, 0);
  ui_undo (f->window);
  now = ui_state_hash (f->window);
  g_assert_cmpstr (now, ==, start);
  g_assert_false (has_tag (f->window, "T-900"));

  /* again, then changed and renamed, a property removed */
  dialog = open_editor (view, "grid.new");
  set_text (dialog, "tag", "T-900");
  set_text (dialog, "type", "TANK");
  syn_asset_editor_dialog_add_property (dialog, "volume", "5 m3");
  syn_asset_editor_dialog_add_property (dialog, "level", "3");
  save_editor (f->window, dialog, "Added asset T-900.");
  added = ui_state_hash (f->window);
  select_tag (view, "T-900");
  dialog = open_editor (view, "grid.edit");
  g_assert_cmpstr (gtk_editable_get_text (syn_asset_editor_dialog_get_entry (dialog, "tag")), ==, "T-900");
  g_assert_cmpuint (syn_asset_editor_dialog_get_n_properties (dialog), ==, 2);
  set_text (dialog, "tag", "T-901");
  set_text (dialog, "description", "Renamed tank");
  for (guint i = 0; i < syn_asset_editor_dialog_get_n_properties (dialog); i++)
    if (g_str_equal (gtk_editable_get_text (syn_asset_editor_dialog_get_property_entry (dialog, i, FALSE)), "level"))
      {
        syn_asset_editor_dialog_remove_property (dialog, i);
        break;
      }
  dialog_screenshots (GTK_WINDOW (dialog), "asset-editor-change");
  save_editor (f->window, dialog, "Renamed T-900 to T-901.");
  g_clear_pointer (&asset, json_object_unref);
  asset = ui_get_asset (f->window, "T-901");
  g_assert_cmpstr (syn_json_get_string (asset, "description"), ==, "Renamed tank");
  g_assert_false (json_object_has_member (json_object_get_object_member (asset, "properties"), "level"));
  g_assert_false (has_tag (f->window, "T-900"));
  ui_undo (f->window);
  g_free (now);
  now = ui_state_hash (f->window);
  g_assert_cmpstr (now, ==, added);
  g_assert_true (has_tag (f->window, "T-900"));

  /* deleted from the grid, undone */
  select_tag (view, "T-900");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "grid.delete", NULL));
  WAIT_FOR ((question = ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Delete 1 asset?");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (question), "T-900\n"));
  adw_message_dialog_response (question, "delete");
  WAIT_FOR (g_strcmp0 (syn_window_get_banner (f->window), "Deleted 1 asset.") == 0);
  g_assert_false (has_tag (f->window, "T-900"));
  ui_undo (f->window);
  g_free (now);
  now = ui_state_hash (f->window);
  g_assert_cmpstr (now, ==, added);
}

/* Cables deleted from the grid, one batch, undone; an asset's held value
 * handed back from the grid's action, undone. */
static void
test_grid_cables_and_hand_back (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);
  SynGridModel *model = syn_assets_view_get_model (view);
  g_autofree char *start = NULL;
  g_autofree char *held = NULL;
  g_autofree char *now = NULL;
  g_autoptr(JsonObject) motor = NULL;
  AdwMessageDialog *question = NULL;
  guint64 before;

  ui_execute (f->window, FALSE);
  syn_window_show_view (f->window, "assets");
  syn_assets_view_set_cables (view, TRUE);
  WAIT_FOR (!syn_grid_model_get_loading (model) && syn_grid_model_get_cables (model));
  before = syn_grid_model_get_total (model);
  g_assert_cmpuint (before, >, 2);
  start = ui_state_hash (f->window);
  {
    g_autoptr(GObject) second = g_list_model_get_item (G_LIST_MODEL (model), 1);

    WAIT_FOR (syn_grid_row_get_loaded (SYN_GRID_ROW (second)));
  }
  gtk_selection_model_select_range (syn_assets_view_get_selection (view), 0, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "grid.delete", NULL));
  WAIT_FOR ((question = ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Delete 2 cables?");
  adw_message_dialog_response (question, "delete");
  WAIT_FOR (g_strcmp0 (syn_window_get_banner (f->window), "Deleted 2 cables.") == 0);
  WAIT_FOR (!syn_grid_model_get_loading (model) && syn_grid_model_get_total (model) == before - 2);
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "CABLE_DELETED"), ==, 2);
  ui_undo (f->window);
  WAIT_FOR (!syn_grid_model_get_loading (model) && syn_grid_model_get_total (model) == before);
  now = ui_state_hash (f->window);
  g_assert_cmpstr (now, ==, start);

  /* the motor's voltage held against its rule, handed back from the grid */
  ui_hold_against_rules (f->window);
  held = ui_state_hash (f->window);
  syn_assets_view_set_cables (view, FALSE);
  select_tag (view, "110-M-001");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "grid.hand-back", NULL));
  WAIT_FOR (g_strcmp0 (syn_window_get_banner (f->window),
                       "Handed the values of 110-M-001 back to the rules: the next run sets them.") == 0);
  motor = ui_get_asset (f->window, "110-M-001");
  g_assert_false (ui_strv_has (motor, "held", "properties.voltage"));
  ui_undo (f->window);
  g_free (now);
  now = ui_state_hash (f->window);
  g_assert_cmpstr (now, ==, held);
}

/* A selection changed at once: one batch, undone. */
static void
test_selection_edit (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);
  SynGridModel *model = syn_assets_view_get_model (view);
  g_autofree char *start = NULL;
  g_autofree char *now = NULL;
  g_autofree char *title = NULL;
  SynAssetEditorDialog *dialog;
  const char * const tags[] = { "210-PP-001", "210-PP-002" };

  syn_window_show_view (f->window, "assets");
  gtk_editable_set_text (ui_child (view, SYN_TYPE_ASSETS_VIEW, "tag_entry"), "210-PP-00?");
  syn_assets_view_apply_filters (view);
  WAIT_FOR (!syn_grid_model_get_loading (model));
  g_assert_cmpuint (syn_grid_model_get_total (model), >=, 2);
  start = ui_state_hash (f->window);
  gtk_selection_model_select_range (syn_assets_view_get_selection (view), 0, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "grid.edit", NULL));
  WAIT_FOR ((dialog = ui_find_toplevel (SYN_TYPE_ASSET_EDITOR_DIALOG)) != NULL);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Change 2 Assets");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (syn_asset_editor_dialog_get_entry (dialog, "tag"))));
  set_text (dialog, "area", "299");
  syn_asset_editor_dialog_add_property (dialog, "seal", "mechanical");
  dialog_screenshots (GTK_WINDOW (dialog), "asset-editor-selection");
  save_editor (f->window, dialog, "Changed 2 assets.");
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_autoptr(JsonObject) asset = ui_get_asset (f->window, tags[i]);

      g_assert_cmpstr (syn_json_get_string (asset, "area"), ==, "299");
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (asset, "properties"), "seal"), ==,
                       "mechanical");
      /* the rest as it was */
      g_assert_nonnull (syn_json_get_string (asset, "type"));
    }
  ui_undo (f->window);
  now = ui_state_hash (f->window);
  g_assert_cmpstr (now, ==, start);
}

/* Refused, at the field, and nothing written. */
static void
test_asset_invalid (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);
  g_autofree char *start = ui_state_hash (f->window);
  g_autofree char *now = NULL;
  gint64 events = ui_timeline_total (f->window, NULL, NULL);
  SynAssetEditorDialog *dialog;

  syn_window_show_view (f->window, "assets");
  dialog = open_editor (view, "grid.new");

  /* no tag, no type */
  syn_asset_editor_dialog_save (dialog);
  g_assert_cmpstr (syn_asset_editor_dialog_get_error (dialog, "tag"), ==, "An asset needs a tag.");
  g_assert_cmpstr (syn_asset_editor_dialog_get_error (dialog, "type"), ==, "An asset needs a type.");
  g_assert_false (syn_asset_editor_dialog_get_busy (dialog));

  /* a property named twice, one without a value */
  set_text (dialog, "tag", "T-950");
  set_text (dialog, "type", "TANK");
  syn_asset_editor_dialog_add_property (dialog, "volume", "5 m3");
  syn_asset_editor_dialog_add_property (dialog, "volume", "6 m3");
  syn_asset_editor_dialog_add_property (dialog, "level", "");
  syn_asset_editor_dialog_save (dialog);
  g_assert_null (syn_asset_editor_dialog_get_error (dialog, "tag"));
  g_assert_null (syn_asset_editor_dialog_get_error (dialog, "properties[0]"));
  g_assert_cmpstr (syn_asset_editor_dialog_get_error (dialog, "properties[1]"), ==,
                   "This name is given twice: one value per property.");
  g_assert_cmpstr (syn_asset_editor_dialog_get_error (dialog, "properties[2]"), ==,
                   "Give a value, or remove the property.");
  g_assert_false (syn_asset_editor_dialog_get_busy (dialog));
  dialog_screenshots (GTK_WINDOW (dialog), "asset-editor-errors");

  /* the backend's refusal (a tag taken) at the tag */
  syn_asset_editor_dialog_remove_property (dialog, 2);
  syn_asset_editor_dialog_remove_property (dialog, 1);
  set_text (dialog, "tag", "210-PP-001");
  syn_asset_editor_dialog_save (dialog);
  WAIT_FOR (!syn_asset_editor_dialog_get_busy (dialog));
  g_assert_nonnull (syn_asset_editor_dialog_get_error (dialog, "tag"));
  g_assert_nonnull (strstr (syn_asset_editor_dialog_get_error (dialog, "tag"), "already exists"));
  g_assert_null (syn_asset_editor_dialog_get_error (dialog, ""));
  g_assert_nonnull (ui_find_toplevel (SYN_TYPE_ASSET_EDITOR_DIALOG));

  now = ui_state_hash (f->window);
  g_assert_cmpstr (now, ==, start);
  g_assert_cmpint (ui_timeline_total (f->window, NULL, NULL), ==, events);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static SynRulesDialog *
open_rules (SynWindow *window)
{
  SynRulesDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rules", NULL));
  dialog = ui_find_toplevel (SYN_TYPE_RULES_DIALOG);
  g_assert_nonnull (dialog);
  WAIT_FOR (!syn_rules_dialog_get_busy (dialog) && syn_rules_dialog_get_n_rules (dialog) > 0);
  return dialog;
}

static JsonObject *
stored_rule (SynWindow *window, const char *rule_id)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *rules;

  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (window)));
  answer = ui_call (window, SYN_OP_LIST_RULES, params);
  rules = json_node_get_array (answer);
  for (guint i = 0; i < json_array_get_length (rules); i++)
    if (g_strcmp0 (syn_json_get_string (json_array_get_object_element (rules, i), "id"), rule_id) == 0)
      return json_object_ref (json_array_get_object_element (rules, i));
  g_assert_not_reached ();
}

static gboolean
rule_active (SynWindow *window, const char *rule_id)
{
  g_autoptr(JsonObject) rule = stored_rule (window, rule_id);

  return json_object_get_boolean_member (rule, "is_active");
}

/* The list: the project's rules and the library's; a switch saves the
 * rule off (one batch), Undo switches it on again. */
static void
test_rule_switches (UiFixture *f, gconstpointer data)
{
  SynRulesDialog *dialog = open_rules (f->window);
  GtkSwitch *toggle = syn_rules_dialog_get_switch (dialog, PROJECT_RULE);
  gint64 updates = ui_timeline_total (f->window, NULL, "RULE_DEFINITION_UPDATED");

  g_assert_nonnull (toggle);
  g_assert_nonnull (syn_rules_dialog_get_switch (dialog, "firm-pump-motor"));
  g_assert_true (gtk_switch_get_active (toggle));
  dialog_screenshots (GTK_WINDOW (dialog), "rules");

  gtk_switch_set_active (toggle, FALSE);
  WAIT_FOR (!syn_rules_dialog_get_busy (dialog) && !rule_active (f->window, PROJECT_RULE));
  WAIT_FOR (g_str_has_prefix (syn_window_get_banner (f->window) ? syn_window_get_banner (f->window) : "", "Rule “"));
  g_assert_nonnull (strstr (syn_window_get_banner (f->window), "switched off"));
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "RULE_DEFINITION_UPDATED"), ==, updates + 1);
  toggle = syn_rules_dialog_get_switch (dialog, PROJECT_RULE);
  g_assert_false (gtk_switch_get_active (toggle));

  ui_undo (f->window);
  g_assert_true (rule_active (f->window, PROJECT_RULE));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static char *
pretty (JsonObject *object)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

static int
line_with (const char *text, const char *needle)
{
  const char *at = strstr (text, needle);
  int line = 0;

  g_assert_nonnull (at);
  for (const char *p = text; p < at; p++)
    line += *p == '\n';
  return line;
}

static void
preview (SynRuleEditorDialog *editor)
{
  syn_rule_editor_dialog_preview (editor);
  WAIT_FOR (!syn_rule_editor_dialog_get_busy (editor));
}

/* A bad rule: refused at its field (the line marked, the error listed),
 * nothing saved; a syntax error at its line; a good one previewed, then
 * saved as one RULE_DEFINITION_UPDATED batch, undone. */
static void
test_rule_editor (UiFixture *f, gconstpointer data)
{
  SynRulesDialog *dialog = NULL;
  SynRuleEditorDialog *editor;
  g_autoptr(JsonObject) rule = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *start = NULL;
  gint64 updates;
  JsonObject *condition;
  JsonArray *all;
  JsonObject *test;

  ui_execute (f->window, FALSE);
  dialog = open_rules (f->window);
  updates = ui_timeline_total (f->window, NULL, "RULE_DEFINITION_UPDATED");
  editor = syn_rules_dialog_edit (dialog, PROJECT_RULE);
  g_assert_true (gtk_text_view_get_monospace (find_text_view (GTK_WIDGET (editor))));

  /* a test with an operator the parser does not know */
  rule = stored_rule (f->window, PROJECT_RULE);
  json_object_remove_member (rule, "project_id");
  condition = json_object_get_object_member (rule, "condition");
  all = json_array_new ();
  test = json_object_new ();
  json_object_set_string_member (test, "key", "hp");
  json_object_set_string_member (test, "op", "=~");
  json_object_set_int_member (test, "value", 1);
  json_array_add_object_element (all, json_object_ref (test));
  json_object_unref (test);
  test = json_object_new ();
  json_object_set_string_member (test, "key", "voltage");
  json_object_set_string_member (test, "op", "=~");
  json_object_set_int_member (test, "value", 600);
  json_array_add_object_element (all, test);
  json_object_set_array_member (condition, "all", all);
  /* the second test's operator is the one refused: the first made valid */
  json_object_set_string_member (json_array_get_object_element (all, 0), "op", ">");
  bad = pretty (rule);
  gtk_text_buffer_set_text (syn_rule_editor_dialog_get_buffer (editor), bad, -1);
  preview (editor);
  errors = syn_rule_editor_dialog_get_errors (editor);
  g_assert_nonnull (strstr (errors, "condition.all[1].op"));
  g_assert_cmpint (syn_rule_editor_dialog_get_error_line (editor), ==, line_with (strstr (bad, "voltage"), "\"op\"") +
                                                                          line_with (bad, "voltage"));
  g_assert_false (syn_rule_editor_dialog_get_can_save (editor));
  g_assert_null (syn_rule_editor_dialog_get_preview (editor));
  dialog_screenshots (GTK_WINDOW (editor), "rule-editor-error");

  /* a syntax error: its line */
  gtk_text_buffer_set_text (syn_rule_editor_dialog_get_buffer (editor), "{\n  \"id\": \"x\",\n  \"name\" \"y\"\n}\n", -1);
  preview (editor);
  g_clear_pointer (&errors, g_free);
  errors = syn_rule_editor_dialog_get_errors (editor);
  g_assert_true (g_str_has_prefix (errors, "Malformed JSON"));
  g_assert_cmpint (syn_rule_editor_dialog_get_error_line (editor), ==, 2);
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "RULE_DEFINITION_UPDATED"), ==, updates);

  /* a good change: another manufacturer; previewed, then saved */
  start = ui_state_hash (f->window);
  json_object_remove_member (condition, "all");
  json_object_set_string_member (json_object_get_object_member (json_object_get_object_member (rule, "action"),
                                                                "properties"),
                                 "manufacturer", "Yokogawa");
  good = pretty (rule);
  gtk_text_buffer_set_text (syn_rule_editor_dialog_get_buffer (editor), good, -1);
  preview (editor);
  g_clear_pointer (&errors, g_free);
  errors = syn_rule_editor_dialog_get_errors (editor);
  g_assert_cmpstr (errors, ==, "");
  g_assert_nonnull (syn_rule_editor_dialog_get_preview (editor));
  g_assert_nonnull (strstr (syn_rule_editor_dialog_get_preview (editor), "Transmitters default to Endress+Hauser: 0 created, "));
  g_assert_null (strstr (syn_rule_editor_dialog_get_preview (editor), " 0 updated"));
  g_assert_nonnull (strstr (syn_rule_editor_dialog_get_preview (editor), "For example: "));
  g_assert_true (syn_rule_editor_dialog_get_can_save (editor));
  dialog_screenshots (GTK_WINDOW (editor), "rule-editor-preview");
  /* the preview wrote nothing */
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "RULE_DEFINITION_UPDATED"), ==, updates);
  {
    g_autoptr(JsonObject) stored = stored_rule (f->window, PROJECT_RULE);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                       json_object_get_object_member (stored, "action"), "properties"), "manufacturer"), ==,
                     "Endress+Hauser");
  }

  syn_rule_editor_dialog_save (editor);
  WAIT_FOR (ui_find_toplevel (SYN_TYPE_RULE_EDITOR_DIALOG) == NULL);
  g_assert_cmpint (ui_timeline_total (f->window, NULL, "RULE_DEFINITION_UPDATED"), ==, updates + 1);
  WAIT_FOR (g_strcmp0 (syn_window_get_banner (f->window), "Saved rule “PROJECT: Transmitters default to Endress+Hauser”.") == 0);
  {
    g_autoptr(JsonObject) stored = stored_rule (f->window, PROJECT_RULE);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                       json_object_get_object_member (stored, "action"), "properties"), "manufacturer"), ==,
                     "Yokogawa");
  }
  ui_undo (f->window);
  {
    g_autoptr(JsonObject) stored = stored_rule (f->window, PROJECT_RULE);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                       json_object_get_object_member (stored, "action"), "properties"), "manufacturer"), ==,
                     "Endress+Hauser");
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The dialogs in French. */
static void
test_editing_french (UiFixture *f, gconstpointer data)
{
  SynAssetsView *view = syn_window_get_assets_view (f->window);
  SynAssetEditorDialog *asset_editor;
  SynRulesDialog *rules;
  SynRuleEditorDialog *editor;

  syn_window_show_view (f->window, "assets");
  asset_editor = open_editor (view, "grid.new");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (asset_editor)), ==, "Ajouter un équipement");
  syn_asset_editor_dialog_save (asset_editor);
  g_assert_cmpstr (syn_asset_editor_dialog_get_error (asset_editor, "tag"), ==, "Un équipement doit avoir un repère.");
  ui_save_screenshot (GTK_WIDGET (asset_editor), "fr-asset-editor");
  gtk_window_destroy (GTK_WINDOW (asset_editor));
  rules = open_rules (f->window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (rules)), ==, "Règles");
  ui_save_screenshot (GTK_WIDGET (rules), "fr-rules");
  editor = syn_rules_dialog_edit (rules, PROJECT_RULE);
  preview (editor);
  g_assert_nonnull (syn_rule_editor_dialog_get_preview (editor));
  ui_save_screenshot (GTK_WIDGET (editor), "fr-rule-editor");
  gtk_window_destroy (GTK_WINDOW (editor));
  gtk_window_destroy (GTK_WINDOW (rules));
}

int
main (int argc, char *argv[])
{
  if (!ui_init (&argc, &argv))
    return 0;

  g_test_add ("/ui/editing/assets", UiFixture, NULL, ui_fixture_setup, test_asset_edits, ui_fixture_teardown);
  g_test_add ("/ui/editing/grid-cables-hand-back", UiFixture, NULL, ui_fixture_setup, test_grid_cables_and_hand_back,
              ui_fixture_teardown);
  g_test_add ("/ui/editing/selection", UiFixture, NULL, ui_fixture_setup, test_selection_edit, ui_fixture_teardown);
  g_test_add ("/ui/editing/invalid", UiFixture, NULL, ui_fixture_setup, test_asset_invalid, ui_fixture_teardown);
  g_test_add ("/ui/editing/rule-switches", UiFixture, NULL, ui_fixture_setup, test_rule_switches, ui_fixture_teardown);
  g_test_add ("/ui/editing/rule-editor", UiFixture, NULL, ui_fixture_setup, test_rule_editor, ui_fixture_teardown);
  g_test_add ("/ui/editing/french", UiFixture, "fr", ui_fixture_setup, test_editing_french, ui_fixture_teardown);

  return ui_run ();
}

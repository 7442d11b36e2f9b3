/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-execution.c: the execution panel on a big run: every error and warning listed by rule, each opening
 * its asset; elapsed time; the rule counter; a cancel said once; what Execute would change. */
#include "config.h"

#include <string.h>

#include "backend/syn-execution-run.h"
#include "syn-test-ui.h"
#include "ui/syn-asset-history-view.h"
#include "ui/syn-json-item.h"
#include "ui/syn-run-error-group.h"
#include "ui/syn-run-error-list.h"
#include "ui/syn-ui-format.h"

#define PUMPS 2000

/* @n pumps in area 300: every 10th without hp, every 25th (not a 10th) with
 * a negative one: hundreds of errors and warnings, from more than one rule. */
static guint
import_pumps (UiFixture *f, guint n, guint *without_hp)
{
  g_autoptr(GString) csv = g_string_new ("TAG,TYPE,DESCRIPTION,AREA,DISCIPLINE,SYSTEM,pump_type,hp,voltage,length_m\n");
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  guint bad = 0;

  *without_hp = 0;
  for (guint i = 1; i <= n; i++)
    {
      const char *hp = "40";

      if (i % 10 == 0)
        {
          hp = "";
          (*without_hp)++;
        }
      else if (i % 25 == 0)
        {
          hp = "-5";
          bad++;
        }
      g_string_append_printf (csv, "300-PP-%04u,PUMP,Process Water Pump %u,300,MECHANICAL,WATER,CENTRIFUGAL,%s,,%u\n",
                              i, i, hp, 20 + i % 80);
    }
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (syn_window_get_session (f->window)));
  json_object_set_string_member (params, "csv", csv->str);
  answer = ui_call (f->window, SYN_OP_IMPORT_CSV, params);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "imported"), >=, n);
  syn_session_data_changed (syn_window_get_session (f->window));
  return bad;
}

/* How many labels shown under @widget say @needle (case-folded unless @exact). */
static guint
count_labels_matching (GtkWidget *widget, const char *needle, gboolean exact)
{
  guint n = 0;

  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return 0;
  if (GTK_IS_REVEALER (widget) && !gtk_revealer_get_reveal_child (GTK_REVEALER (widget)))
    return 0;
  if (GTK_IS_LABEL (widget) && exact)
    return strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL;
  if (GTK_IS_LABEL (widget))
    {
      g_autofree char *text = g_utf8_casefold (gtk_label_get_text (GTK_LABEL (widget)), -1);
      g_autofree char *folded = g_utf8_casefold (needle, -1);

      return strstr (text, folded) != NULL;
    }
  if (GTK_IS_PROGRESS_BAR (widget))
    {
      g_autofree char *text = g_utf8_casefold (gtk_progress_bar_get_text (GTK_PROGRESS_BAR (widget)), -1);
      g_autofree char *folded = g_utf8_casefold (needle, -1);

      return strstr (text, folded) != NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += count_labels_matching (child, needle, exact);
  return n;
}

static guint
count_labels_saying (GtkWidget *widget, const char *needle)
{
  return count_labels_matching (widget, needle, FALSE);
}

static void
test_every_error (UiFixture *f, gconstpointer data)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (f->window);
  SynSession *session = syn_window_get_session (f->window);
  SynRunErrorList *list = ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "error_list");
  gboolean french = data != NULL;
  guint pumps = french ? 300 : PUMPS;
  guint without_hp = 0;
  guint bad = import_pumps (f, pumps, &without_hp);
  g_autoptr(GHashTable) per_rule = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *finished = NULL;
  g_autofree char *elapsed_text = NULL;
  g_autofree char *rules_text = NULL;
  g_autoptr(SynRunErrorGroup) first_group = NULL;
  g_autoptr(SynRunError) first_error = NULL;
  GListModel *errors, *groups;
  SynExecutionRun *run;
  JsonObject *summary;
  guint listed = 0;

  /* before the run, Execute says what it would change */
  syn_window_show_view (f->window, "execution");
  WAIT_FOR (ui_status_settled (f->window));
  g_assert_true (g_str_has_prefix (gtk_button_get_label (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "execute_button")),
                                   french ? "_Exécuter (" : "_Execute ("));
  g_assert_nonnull (strstr (gtk_button_get_label (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "execute_button")),
                            french ? "crée" : "creates"));

  summary = json_object_get_object_member (ui_execute (f->window, FALSE), "summary");
  run = syn_execution_panel_get_run (panel);
  errors = syn_execution_run_get_error_list (run);

  /* every error of the run, not the last 100: at least one per pump without hp */
  g_assert_cmpuint (g_list_model_get_n_items (errors), >=, without_hp + bad);
  if (!french)
    g_assert_cmpuint (g_list_model_get_n_items (errors), >, 100);
  g_assert_cmpint (json_object_get_int_member (summary, "errors") + json_object_get_int_member (summary, "warnings"),
                   ==, g_list_model_get_n_items (errors));
  for (guint i = 0; i < g_list_model_get_n_items (errors); i++)
    {
      g_autoptr(SynRunError) error = g_list_model_get_item (errors, i);
      const char *rule = syn_run_error_get_rule_id (error);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (per_rule, rule));

      g_hash_table_insert (per_rule, g_strdup (rule), GUINT_TO_POINTER (n + 1));
    }
  g_assert_cmpuint (g_hash_table_size (per_rule), >=, 2);

  /* grouped by rule, the counts right */
  groups = syn_run_error_list_get_groups (list);
  g_assert_cmpuint (g_list_model_get_n_items (groups), ==, g_hash_table_size (per_rule));
  for (guint i = 0; i < g_list_model_get_n_items (groups); i++)
    {
      g_autoptr(SynRunErrorGroup) group = g_list_model_get_item (groups, i);
      guint count = syn_run_error_group_get_errors (group) + syn_run_error_group_get_warnings (group);

      g_assert_cmpuint (count, ==, GPOINTER_TO_UINT (g_hash_table_lookup (per_rule, syn_run_error_group_get_rule_id (group))));
      g_assert_cmpuint (g_list_model_get_n_items (syn_run_error_group_get_items (group)), ==, count);
      listed += count;
    }
  g_assert_cmpuint (listed, ==, g_list_model_get_n_items (errors));

  /* the log's verbs are words of the language */
  ui_wait_frames (GTK_WIDGET (f->window), 2);
  g_assert_cmpuint (count_labels_matching (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "log_view"),
                                           french ? "Créé  " : "Created  ", TRUE), >, 0);
  g_assert_cmpuint (count_labels_matching (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "log_view"), "CREATED", TRUE),
                    ==, 0);

  /* the Errors counter opens the list; the rules are folded */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "run_stack")), ==, "log");
  g_signal_emit_by_name (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "errors_button"), "clicked");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "run_stack")), ==,
                   "errors");
  g_assert_cmpuint (syn_run_error_list_get_n_items (list), ==, g_list_model_get_n_items (groups));

  /* elapsed time, and the rule counter agrees with the full bar: the rules
   * without candidates are not pending */
  elapsed_text = g_strdup (gtk_progress_bar_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "progress_bar")));
  finished = g_strdup (french ? "Terminé en " : "Finished in ");
  g_assert_true (g_str_has_prefix (elapsed_text, finished));
  g_assert_cmpint (syn_execution_run_get_elapsed_ms (run), >, 0);
  rules_text = g_strdup_printf ("%u / %u", syn_execution_run_get_rules_total (run),
                                syn_execution_run_get_rules_total (run));
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "rules_value"), ==, rules_text);
  g_assert_cmpint (syn_execution_run_get_rules_total (run), ==, json_object_get_int_member (summary, "rules_executed"));
  if (syn_execution_run_get_rules_idle (run) > 0)
    g_assert_nonnull (strstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "rules_caption"),
                              french ? "sans candidat" : "without candidates"));

  ui_save_screenshots (f->window, french ? "execution-errors-fr" : "execution-errors");

  /* a rule opened, then one of its errors opens that asset's history */
  first_group = g_list_model_get_item (groups, 0);
  first_error = g_list_model_get_item (syn_run_error_group_get_items (first_group), 0);
  syn_run_error_list_activate (list, 0);
  g_assert_cmpuint (syn_run_error_list_get_n_items (list), ==,
                    g_list_model_get_n_items (groups) + g_list_model_get_n_items (syn_run_error_group_get_items (first_group)));
  ui_wait_frames (GTK_WIDGET (f->window), 2);
  {
    /* its rows name the asset by its tag, as the project has it */
    g_autoptr(JsonObject) params = json_object_new ();
    g_autoptr(JsonNode) asset = NULL;
    g_autofree char *says = NULL;

    json_object_set_string_member (params, "project_id", syn_session_get_project_id (session));
    json_object_set_string_member (params, "asset_id", syn_run_error_get_asset_id (first_error));
    asset = ui_call (f->window, SYN_OP_GET_ASSET, params);
    g_assert_cmpstr (syn_run_error_get_asset_tag (first_error), ==,
                     json_object_get_string_member (json_node_get_object (asset), "tag"));
    says = g_strdup_printf (french ? "%s : ouvrir" : "%s: open", syn_run_error_get_asset_tag (first_error));
    g_assert_cmpuint (count_labels_matching (GTK_WIDGET (list), says, TRUE), >, 0);
  }
  if (!french)
    {
      ui_save_screenshots (f->window, "execution-errors-open");
      ui_save_narrow_screenshot (f->window, "execution-errors-narrow");
    }
  else
    ui_save_narrow_screenshot (f->window, "execution-errors-narrow-fr");
  syn_run_error_list_activate (list, 1);
  g_assert_cmpstr (syn_window_get_view (f->window), ==, "history");
  WAIT_FOR (!syn_asset_history_view_get_busy (syn_window_get_history_view (f->window)));
  g_assert_cmpstr (syn_asset_history_view_get_asset_id (syn_window_get_history_view (f->window)), ==,
                   syn_run_error_get_asset_id (first_error));
}

/* A cancelled run says so once, as a cancel, not as a failure. */
static void
test_cancel_once (UiFixture *f, gconstpointer data)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (f->window);
  guint without_hp = 0;
  SynExecutionRun *run;
  GListModel *log;

  import_pumps (f, PUMPS, &without_hp);
  syn_window_show_view (f->window, "execution");
  WAIT_FOR (ui_status_settled (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.execute", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel-execution", NULL));
  WAIT_FOR (!syn_execution_panel_get_running (panel));
  run = syn_execution_panel_get_run (panel);
  g_assert_cmpstr (syn_execution_run_get_status (run), ==, "cancelled");
  ui_wait_frames (GTK_WIDGET (f->window), 2);

  /* said once, in the summary; no error banner, no log line, no "failed" */
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "summary_title"), ==,
                   _("The execution was cancelled: nothing was committed"));
  g_assert_cmpuint (count_labels_saying (GTK_WIDGET (panel), _("cancelled")), ==, 1);
  g_assert_cmpuint (count_labels_saying (GTK_WIDGET (panel), "fail"), ==, 0);
  g_assert_false (gtk_revealer_get_reveal_child (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "error_revealer")));
  log = syn_execution_panel_get_log (panel);
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(SynJsonItem) line = g_list_model_get_item (log, i);

      g_assert_true (json_object_get_boolean_member_with_default (syn_json_item_get_object (line), "recoverable", TRUE));
    }
  g_assert_true (g_str_has_prefix (gtk_progress_bar_get_text (ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "progress_bar")),
                                   "Stopped after "));
  ui_save_screenshots (f->window, "execution-cancelled");
}

/* Nothing to do: the status says up to date, Execute says nothing more,
 * the run says up to date. */
static void
test_up_to_date (UiFixture *f, gconstpointer data)
{
  SynExecutionPanel *panel = syn_window_get_execution_panel (f->window);
  GtkButton *execute = ui_child (panel, SYN_TYPE_EXECUTION_PANEL, "execute_button");

  ui_execute (f->window, FALSE);
  WAIT_FOR (ui_status_settled (f->window));
  g_assert_cmpint (syn_project_status_get_state (ui_project_status (f->window)), ==, SYN_PROJECT_STATE_UP_TO_DATE);
  g_assert_cmpstr (gtk_button_get_label (execute), ==, "_Execute");
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "status_title"), ==, "Up to date with its rules");
  ui_execute (f->window, FALSE);
  g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "summary_title"), ==, "Up to date: nothing to do");
  /* nothing pending: as many rules through as counted */
  {
    SynExecutionRun *run = syn_execution_panel_get_run (panel);
    g_autofree char *rules = g_strdup_printf ("%u / %u", syn_execution_run_get_rules_total (run),
                                              syn_execution_run_get_rules_total (run));

    g_assert_cmpstr (ui_label_text (panel, SYN_TYPE_EXECUTION_PANEL, "rules_value"), ==, rules);
  }
}

int
main (int argc, char **argv)
{
  if (!ui_init (&argc, &argv))
    return 0;

  g_test_add ("/ui-execution/every-error", UiFixture, NULL, ui_fixture_setup, test_every_error, ui_fixture_teardown);
  g_test_add ("/ui-execution/every-error-french", UiFixture, "fr", ui_fixture_setup, test_every_error,
              ui_fixture_teardown);
  g_test_add ("/ui-execution/cancel-once", UiFixture, NULL, ui_fixture_setup, test_cancel_once, ui_fixture_teardown);
  g_test_add ("/ui-execution/up-to-date", UiFixture, NULL, ui_fixture_setup, test_up_to_date, ui_fixture_teardown);
  return ui_run ();
}

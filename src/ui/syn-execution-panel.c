/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-execution-panel.c: SynExecutionPanel, run the rules with filters and watch the run live.
 *
 * On top, whether the project is up to date with its rules (the session's
 * SynProjectStatus, checked off the main loop), and per rule what a run
 * would create, update and retract.
 *
 * Narrow (the window says so), the filters and the run take turns in the
 * whole width: the Filters button shows the one, Done the other.
 *
 * The run is a SynExecutionRun, which folds the live messages; they can
 * come by the tens of thousands a second: the progress and the current rule
 * are bound to its properties (they change a few hundred times a run), the
 * counters and the newest log lines are read once per frame from a tick
 * callback, so the window never falls behind. */
#include "config.h"

#include <glib/gi18n.h>

#include "backend/syn-execution-run.h"
#include "core/syn-json.h"
#include "core/syn-vocabulary.h"
#include "syn-execution-panel.h"
#include "syn-json-item.h"
#include "syn-run-error-list.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

#define LOG_LENGTH 100

struct _SynExecutionPanel
{
  GtkWidget       parent_instance;

  SynSession     *session;
  SynBackend     *backend;           /* the session's, while a run may belong to it */
  GListStore     *log;               /* SynJsonItem, newest first */
  gboolean        dry_run;
  gboolean        narrow;
  gboolean        show_filters;      /* narrow: the filters instead of the run */
  int             wide_position;     /* of the paned, as the person left it in a wide window */

  /* the run being watched */
  SynExecutionRun *run;
  GBinding       *progress_binding;
  GBinding       *rule_binding;
  char           *failure;           /* why it ended without a batch, when the panel says more than the run */
  gboolean        run_dry;
  gboolean        running;
  gboolean        dirty;
  guint           tick_id;
  guint           finish_idle;
  GQueue          pending_log;       /* JsonNode, oldest first, at most LOG_LENGTH */
  char           *last_error;
  gint64          shown_elapsed_s;   /* the elapsed time the bar shows, in seconds */

  /* template */
  GtkPaned       *paned;
  GtkWidget      *filters_pane;
  GtkWidget      *filters_done_button;
  GtkWidget      *run_pane;
  GtkBox         *controls_box;
  GtkWidget      *filters_button;
  GtkFlowBox     *counters_box;
  GtkWidget      *status_box;
  GtkSpinner     *status_spinner;
  GtkImage       *status_icon;
  GtkLabel       *status_title;
  GtkLabel       *status_detail;
  GtkLabel       *status_held;
  GtkWidget      *status_retry_button;
  GtkSearchEntry *rule_search;
  GtkListBox     *rules_box;
  GtkFlowBox     *disciplines_box;
  GtkFlowBox     *action_types_box;
  GtkFlowBox     *asset_types_box;
  GtkSwitch      *dry_run_switch;
  GtkProgressBar *progress_bar;
  GtkLabel       *current_rule_label;
  GtkLabel       *rules_value;
  GtkLabel       *rules_caption;
  GtkLabel       *actions_value;
  GtkLabel       *skipped_value;
  GtkLabel       *errors_value;
  GtkWidget      *errors_counter;
  GtkWidget      *errors_button;
  GtkWidget      *execute_button;
  GtkStack       *run_stack;
  SynRunErrorList *error_list;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  GtkRevealer    *summary_revealer;
  GtkLabel       *summary_title;
  GtkLabel       *summary_label;
  GtkLabel       *created_label;
  GtkLabel       *updated_label;
  GtkLabel       *retracted_label;
  GtkLabel       *warnings_label;
  GtkWidget      *show_batch_button;
  GtkListView    *log_view;
  GtkWidget      *log_placeholder;

  GtkFilterListModel *rules_filtered;
};

G_DEFINE_FINAL_TYPE (SynExecutionPanel, syn_execution_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_RUNNING,
  PROP_DRY_RUN,
  PROP_NARROW,
  PROP_SHOW_FILTERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const action_types[] = {
  "CREATE_CHILD", "CREATE_CABLE", "CREATE_RELATIONSHIP", "SET_PROPERTY", "VALIDATE",
};

static void update_actions (SynExecutionPanel *self);

/* ------------------------------------------------------------------------- */
/* Filters                                                                   */

static GtkWidget *
filter_check (const char *value, const char *label)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);

  g_object_set_data_full (G_OBJECT (check), "value", g_strdup (value), g_free);
  gtk_widget_set_tooltip_text (check, value);
  return check;
}

static void
fill_flow_box (GtkFlowBox *box, const char * const *values, const char *(*label) (const char *))
{
  for (guint i = 0; values[i]; i++)
    gtk_flow_box_append (box, filter_check (values[i], label ? label (values[i]) : values[i]));
}

static JsonArray *
checked_values (GtkFlowBox *box)
{
  JsonArray *array = json_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *check = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        json_array_add_string_element (array, g_object_get_data (G_OBJECT (check), "value"));
    }
  return array;
}

static void
add_filter (JsonObject *filters, const char *name, JsonArray *values)
{
  if (json_array_get_length (values) > 0)
    json_object_set_array_member (filters, name, values);
  else
    json_array_unref (values);
}

static JsonObject *
build_filters (SynExecutionPanel *self)
{
  JsonObject *filters = json_object_new ();
  GListModel *rules = syn_session_get_rules (self->session);
  JsonArray *rule_ids = json_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(SynJsonItem) rule = g_list_model_get_item (rules, i);

      if (syn_json_item_get_active (rule))
        json_array_add_string_element (rule_ids, syn_json_item_get_string (rule, "id"));
    }
  add_filter (filters, "rule_ids", rule_ids);
  add_filter (filters, "disciplines", checked_values (self->disciplines_box));
  add_filter (filters, "action_types", checked_values (self->action_types_box));
  add_filter (filters, "asset_types", checked_values (self->asset_types_box));
  return filters;
}

static void
add_asset_types (GHashTable *types, JsonNode *node)
{
  if (node == NULL)
    return;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    g_hash_table_add (types, g_strdup (json_node_get_string (node)));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      add_asset_types (types, json_array_get_element (json_node_get_array (node), i));
}

static int
compare_strings (gconstpointer a, gconstpointer b, gpointer data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The asset types worth filtering on are the ones the rules select. */
static void
rebuild_asset_types (SynExecutionPanel *self)
{
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonArray) previous = checked_values (self->asset_types_box);
  GListModel *rules = self->session ? syn_session_get_rules (self->session) : NULL;
  g_autofree const char **sorted = NULL;
  GtkWidget *child;

  for (guint i = 0; i < json_array_get_length (previous); i++)
    g_hash_table_add (checked, g_strdup (json_array_get_string_element (previous, i)));
  for (guint i = 0; rules && i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(SynJsonItem) rule = g_list_model_get_item (rules, i);
      JsonNode *condition = json_object_get_member (syn_json_item_get_object (rule), "condition");

      if (condition != NULL && JSON_NODE_HOLDS_OBJECT (condition))
        add_asset_types (types, json_object_get_member (json_node_get_object (condition), "asset_type"));
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->asset_types_box))) != NULL)
    gtk_flow_box_remove (self->asset_types_box, child);
  sorted = (const char **) g_hash_table_get_keys_as_array (types, NULL);
  g_qsort_with_data (sorted, (gint) g_hash_table_size (types), sizeof (char *), compare_strings, NULL);
  for (guint i = 0; sorted[i]; i++)
    {
      GtkWidget *check = filter_check (sorted[i], sorted[i]);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (checked, sorted[i]));
      gtk_flow_box_append (self->asset_types_box, check);
    }
}

/* ------------------------------------------------------------------------- */
/* Whether the project is up to date with its rules                          */

static SynProjectStatus *
project_status (SynExecutionPanel *self)
{
  return self->session ? syn_session_get_status (self->session) : NULL;
}

/* What a run would do to the row's rule: "3 to create · 1 held", nothing
 * when it would leave its outputs as they are. */
static void
show_rule_status (SynExecutionPanel *self, GtkWidget *row)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (row), "status");
  SynProjectStatus *status = project_status (self);
  JsonObject *line = status ? syn_project_status_get_rule (status, g_object_get_data (G_OBJECT (row), "rule-id")) : NULL;
  g_autofree char *text = syn_format_rule_status (line);

  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

/* Execute says what it would change: "Execute (creates 12, updates 3)";
 * narrow, the status line above it says so and the button stays short. */
static void
show_execute_label (SynExecutionPanel *self, SynProjectState state, gint64 create, gint64 update, gint64 retract)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *label = NULL;
  gboolean say = state == SYN_PROJECT_STATE_OUT_OF_DATE && !self->narrow && !self->dry_run;
  g_autofree char *n_create = syn_format_count (create);
  g_autofree char *n_update = syn_format_count (update);
  g_autofree char *n_retract = syn_format_count (retract);

  /* Translators: what Execute would do, in its label: "Execute (creates 12, updates 3, retracts 1)" */
  if (say && create > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("creates %s"), n_create));
  if (say && update > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("updates %s"), n_update));
  if (say && retract > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("retracts %s"), n_retract));
  if (parts->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (parts, NULL);
      /* Translators: separates the changes in Execute's label */
      list = g_strjoinv (_(", "), (char **) parts->pdata);
      /* Translators: the Execute button with what it would change */
      label = g_strdup_printf (_("_Execute (%s)"), list);
    }
  gtk_button_set_label (GTK_BUTTON (self->execute_button), label ? label : _("_Execute"));
  gtk_widget_set_tooltip_text (self->execute_button,
                               state == SYN_PROJECT_STATE_UP_TO_DATE ? _("Up to date: a run would change nothing")
                                                                     : NULL);
}

static void
show_status (SynExecutionPanel *self)
{
  static const char * const classes[] = { "checking", "up-to-date", "out-of-date", "failed" };
  SynProjectStatus *status = project_status (self);
  SynProjectState state = status ? syn_project_status_get_state (status) : SYN_PROJECT_STATE_NONE;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *held_text = NULL;
  const char *icon = NULL;
  const char *css = NULL;
  gint64 create = 0, update = 0, retract = 0, held = 0;

  if (status != NULL)
    {
      create = syn_project_status_get_total (status, "create");
      update = syn_project_status_get_total (status, "update");
      retract = syn_project_status_get_total (status, "retract");
      held = syn_project_status_get_total (status, "held");
    }
  switch (state)
    {
    case SYN_PROJECT_STATE_CHECKING:
      title = g_strdup (_("Checking the project against its rules…"));
      css = "checking";
      break;
    case SYN_PROJECT_STATE_UP_TO_DATE:
      title = g_strdup (_("Up to date with its rules"));
      detail = g_strdup (_("A run would change nothing."));
      icon = "emblem-ok-symbolic";
      css = "up-to-date";
      break;
    case SYN_PROJECT_STATE_OUT_OF_DATE:
      if (create + update + retract > 0)
        {
          g_autoptr(JsonObject) totals = json_object_new ();
          g_autofree char *count = syn_format_count (create + update + retract);

          /* Translators: %s is a number of outputs (assets, cables, relationships) */
          title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Out of date: a run would change %s output",
                                                "Out of date: a run would change %s outputs",
                                                (gulong) (create + update + retract)), count);
          json_object_set_int_member (totals, "create", create);
          json_object_set_int_member (totals, "update", update);
          json_object_set_int_member (totals, "retract", retract);
          detail = syn_format_rule_status (totals);
        }
      else
        title = g_strdup (_("Out of date: a run would record new errors or warnings"));
      icon = "emblem-synchronizing-symbolic";
      css = "out-of-date";
      break;
    case SYN_PROJECT_STATE_FAILED:
      title = g_strdup (_("Could not check the project against its rules"));
      detail = g_strdup (syn_project_status_get_error (status));
      icon = "dialog-error-symbolic";
      css = "failed";
      break;
    case SYN_PROJECT_STATE_NONE:
    default:
      break;
    }
  if (held > 0 && state != SYN_PROJECT_STATE_FAILED)
    {
      g_autofree char *count = syn_format_count (held);

      held_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s value held by a person against the rules",
                                                "%s values held by people against the rules", (gulong) held),
                                   count);
    }

  gtk_widget_set_visible (self->status_box, state != SYN_PROJECT_STATE_NONE);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (g_strcmp0 (classes[i], css) == 0)
      gtk_widget_add_css_class (self->status_box, classes[i]);
    else
      gtk_widget_remove_css_class (self->status_box, classes[i]);
  gtk_spinner_set_spinning (self->status_spinner, state == SYN_PROJECT_STATE_CHECKING);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), state == SYN_PROJECT_STATE_CHECKING);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_text (self->status_title, title ? title : "");
  gtk_label_set_text (self->status_detail, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_detail), detail != NULL && *detail != '\0');
  gtk_label_set_text (self->status_held, held_text ? held_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_held), held_text != NULL);
  gtk_widget_set_visible (self->status_retry_button, state == SYN_PROJECT_STATE_FAILED);
  show_execute_label (self, state, create, update, retract);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->rules_box)); row;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "status") != NULL)
      show_rule_status (self, row);
}

static void
check_status_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);

  if (project_status (self) != NULL)
    syn_project_status_check (project_status (self), syn_session_get_backend (self->session),
                              syn_session_get_project_id (self->session));
}

/* ------------------------------------------------------------------------- */
/* Rules                                                                     */

static GtkWidget *
create_rule_row (gpointer item, gpointer user_data)
{
  SynExecutionPanel *self = user_data;
  SynJsonItem *rule = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *name = gtk_label_new (syn_json_item_get_label (rule));
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *details;
  g_autofree char *detail_text = NULL;
  const char *source = syn_json_item_get_string (rule, "source");
  gboolean library = syn_json_item_get_string (rule, "project_id") == NULL;
  gboolean enforced = json_object_get_boolean_member_with_default (syn_json_item_get_object (rule), "is_enforced", FALSE);
  gboolean active = json_object_get_boolean_member_with_default (syn_json_item_get_object (rule), "is_active", TRUE);

  /* Translators: a rule's details: source, priority, discipline, action type */
  detail_text = g_strdup_printf (_("%s · priority %d · %s · %s%s%s%s"),
                                 source ? source : "—", (int) syn_json_item_get_int (rule, "priority"),
                                 syn_format_discipline (syn_json_item_get_string (rule, "discipline")),
                                 syn_format_action_type (syn_json_item_get_string (rule, "action_type")),
                                 library ? _(" · library") : "", enforced ? _(" · enforced") : "",
                                 active ? "" : _(" · inactive"));
  details = gtk_label_new (detail_text);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  g_object_bind_property (rule, "active", check, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_widget_add_css_class (status, "caption");
  gtk_widget_add_css_class (status, "rule-status");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), details);
  gtk_box_append (GTK_BOX (texts), status);
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "check", check);
  g_object_set_data (G_OBJECT (row), "status", status);
  g_object_set_data_full (G_OBJECT (row), "rule-id", g_strdup (syn_json_item_get_string (rule, "id")), g_free);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL, -1);
  if (!active)
    gtk_widget_add_css_class (row, "inactive");
  show_rule_status (self, row);
  return row;
}

static void
on_rule_row_activated (GtkListBox *box, GtkListBoxRow *row, SynExecutionPanel *self)
{
  GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");

  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

static void
on_rule_search_changed (GtkSearchEntry *entry, SynExecutionPanel *self)
{
  GtkStringFilter *filter = GTK_STRING_FILTER (gtk_filter_list_model_get_filter (self->rules_filtered));

  gtk_string_filter_set_search (filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
clear_flow_box (GtkFlowBox *box)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box)); child;
       child = gtk_widget_get_next_sibling (child))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child))), FALSE);
}

static void
clear_filters_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);
  GListModel *rules = syn_session_get_rules (self->session);

  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(SynJsonItem) rule = g_list_model_get_item (rules, i);
      syn_json_item_set_active (rule, FALSE);
    }
  clear_flow_box (self->disciplines_box);
  clear_flow_box (self->action_types_box);
  clear_flow_box (self->asset_types_box);
}

/* ------------------------------------------------------------------------- */
/* Narrow: the filters and the run take turns                                */

/* The filters' width as the person chose it, not as a window on its way
 * to narrow squeezed it. */
static void
on_paned_position (SynExecutionPanel *self)
{
  int position = gtk_paned_get_position (self->paned);

  if (!self->narrow && gtk_widget_get_width (GTK_WIDGET (self->paned)) > position + 200)
    self->wide_position = position;
}

static void
apply_layout (SynExecutionPanel *self)
{
  gboolean filters = !self->narrow || self->show_filters;
  gboolean run = !self->narrow || !self->show_filters;

  if (!self->narrow && self->wide_position > 0)
    gtk_paned_set_position (self->paned, self->wide_position);
  gtk_widget_set_visible (self->filters_pane, filters);
  gtk_widget_set_visible (self->run_pane, run);
  gtk_widget_set_visible (self->filters_button, self->narrow);
  gtk_widget_set_visible (self->filters_done_button, self->narrow);
  show_status (self);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->controls_box),
                                  self->narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  /* the lower bound first when it goes down, the upper one first when it goes up */
  if (self->narrow)
    {
      gtk_flow_box_set_min_children_per_line (self->counters_box, 2);
      gtk_flow_box_set_max_children_per_line (self->counters_box, 2);
    }
  else
    {
      gtk_flow_box_set_max_children_per_line (self->counters_box, 4);
      gtk_flow_box_set_min_children_per_line (self->counters_box, 4);
    }
}

/* Laid out for a narrow width (the window decides). */
void
syn_execution_panel_set_narrow (SynExecutionPanel *self, gboolean narrow)
{
  g_return_if_fail (SYN_IS_EXECUTION_PANEL (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;
  self->narrow = narrow;
  apply_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NARROW]);
}

gboolean
syn_execution_panel_get_narrow (SynExecutionPanel *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_PANEL (self), FALSE);
  return self->narrow;
}

/* Narrow: whether the filters are shown instead of the run. */
void
syn_execution_panel_set_show_filters (SynExecutionPanel *self, gboolean show_filters)
{
  g_return_if_fail (SYN_IS_EXECUTION_PANEL (self));

  show_filters = !!show_filters;
  if (self->show_filters == show_filters)
    return;
  self->show_filters = show_filters;
  apply_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_FILTERS]);
}

/* ------------------------------------------------------------------------- */
/* The run: messages in, widgets out once per frame                          */

static void
reset_run (SynExecutionPanel *self)
{
  g_clear_pointer (&self->progress_binding, g_binding_unbind);
  g_clear_pointer (&self->rule_binding, g_binding_unbind);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  if (self->error_list != NULL)
    syn_run_error_list_set_run (self->error_list, NULL);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->failure, g_free);
  g_queue_clear_full (&self->pending_log, (GDestroyNotify) json_node_unref);
}

static void
set_count (GtkLabel *label, gint64 value)
{
  g_autofree char *text = syn_format_count (value);

  gtk_label_set_text (label, text);
}

/* A warning: a value a person holds against a rule, which the run leaves
 * as it is, or a VALIDATE rule's of that severity. */
static gboolean
is_warning (JsonObject *message)
{
  return g_strcmp0 (syn_json_get_string (message, "severity"), "warning") == 0;
}

/* An ACTION's verb, in words: the engine's are its vocabulary. */
static const char *
action_verb (const char *action)
{
  if (g_strcmp0 (action, "CREATED") == 0)
    return C_("log verb", "Created");
  if (g_strcmp0 (action, "UPDATED") == 0)
    return C_("log verb", "Updated");
  if (g_strcmp0 (action, "RETRACTED") == 0)
    return C_("log verb", "Retracted");
  if (g_strcmp0 (action, "LINKED") == 0)
    return C_("log verb", "Linked");
  return action ? action : C_("log verb", "Action");
}

static void
log_line (SynJsonItem *item, GString *text, const char **icon, const char **css)
{
  JsonObject *m = syn_json_item_get_object (item);
  const char *type = syn_json_get_string (m, "type");

  *css = NULL;
  if (g_strcmp0 (type, "ERROR") == 0 && is_warning (m))
    {
      const char *rule = syn_json_get_string (m, "rule_id");

      *icon = "dialog-warning-symbolic";
      *css = "warning";
      /* Translators: a line of the live log; the label says "Warning", not only its colour */
      g_string_append_printf (text, _("Warning: %s%s%s"), rule ? rule : "", rule ? " — " : "",
                              syn_json_get_string (m, "message"));
    }
  else if (g_strcmp0 (type, "ERROR") == 0)
    {
      const char *rule = syn_json_get_string (m, "rule_id");

      *icon = "dialog-warning-symbolic";
      *css = "error";
      /* Translators: a line of the live log; the label says "Error", not only its colour */
      g_string_append_printf (text, _("Error: %s%s%s"), rule ? rule : "", rule ? " — " : "",
                              syn_json_get_string (m, "message"));
    }
  else
    {
      const char *action = syn_json_get_string (m, "action");
      JsonNode *result = json_object_get_member (m, "result");
      JsonObject *r = result && JSON_NODE_HOLDS_OBJECT (result) ? json_node_get_object (result) : NULL;
      const char *created_tag = syn_json_get_string (r, "created_tag");
      const char *created_type = syn_json_get_string (r, "created_type");

      *icon = g_strcmp0 (action, "CREATED") == 0 ? "list-add-symbolic"
              : g_strcmp0 (action, "LINKED") == 0 ? "insert-link-symbolic" : "document-edit-symbolic";
      g_string_append_printf (text, "%s  %s", action_verb (action), syn_json_get_string (m, "asset_tag"));
      if (created_tag != NULL)
        g_string_append_printf (text, " → %s (%s)", created_tag, created_type ? created_type : "");
      g_string_append_printf (text, "  · %s", syn_json_get_string (m, "rule_id"));
    }
}

static void
log_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "log-line");
  gtk_list_item_set_child (list_item, box);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
log_row_update (GtkWidget *box, SynJsonItem *item)
{
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (image);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *icon = NULL;
  const char *css = NULL;

  log_line (item, text, &icon, &css);
  if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (image)), icon) != 0)
    gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
  gtk_label_set_text (GTK_LABEL (label), text->str);
  if (g_strcmp0 (css, "error") == 0)
    gtk_widget_add_css_class (box, "error");
  else
    gtk_widget_remove_css_class (box, "error");
  if (g_strcmp0 (css, "warning") == 0)
    gtk_widget_add_css_class (box, "warning");
  else
    gtk_widget_remove_css_class (box, "warning");
}

static void
on_log_item_changed (SynJsonItem *item, GParamSpec *pspec, GtkWidget *box)
{
  log_row_update (box, item);
}

static void
log_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  SynJsonItem *item = gtk_list_item_get_item (list_item);

  log_row_update (box, item);
  g_signal_connect_object (item, "notify::label", G_CALLBACK (on_log_item_changed), box, 0);
}

static void
log_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), on_log_item_changed,
                                        gtk_list_item_get_child (list_item));
}

/* The newest lines on top, at most LOG_LENGTH. The list keeps its items
 * (slots) and only their contents move down: no rows are made or destroyed
 * while a run streams in, only the visible ones redraw. */
static void
flush_log (SynExecutionPanel *self)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  guint n_pending = g_queue_get_length (&self->pending_log);
  guint n_new = MIN (LOG_LENGTH, n_old + n_pending);
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonNode *node;

  if (n_pending == 0)
    return;
  /* what each slot shows next: the pending messages newest first, then
   * what the slots showed */
  while ((node = g_queue_pop_tail (&self->pending_log)) != NULL)
    {
      if (contents->len < n_new)
        g_ptr_array_add (contents, json_object_ref (json_node_get_object (node)));
      json_node_unref (node);
    }
  for (guint i = 0; contents->len < n_new && i < n_old; i++)
    {
      g_autoptr(SynJsonItem) slot = g_list_model_get_item (G_LIST_MODEL (self->log), i);

      g_ptr_array_add (contents, json_object_ref (syn_json_item_get_object (slot)));
    }
  for (guint i = 0; i < n_old && i < n_new; i++)
    {
      g_autoptr(SynJsonItem) slot = g_list_model_get_item (G_LIST_MODEL (self->log), i);

      syn_json_item_set_object (slot, contents->pdata[i], NULL);
    }
  if (n_new > n_old)
    {
      g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = n_old; i < n_new; i++)
        g_ptr_array_add (added, syn_json_item_new (contents->pdata[i], NULL));
      g_list_store_splice (self->log, n_old, 0, added->pdata, added->len);
    }
  gtk_widget_set_visible (self->log_placeholder, FALSE);
}

/* A count of the summary, 0 where the object or the member is missing. */
static int
int_of (JsonObject *object, const char *member)
{
  return object ? (int) json_object_get_int_member_with_default (object, member, 0) : 0;
}

/* Why the run ended without a batch, or NULL when it did not. */
static const char *
failure_of (SynExecutionPanel *self)
{
  if (self->failure != NULL)
    return self->failure;
  return self->run ? syn_execution_run_get_failure (self->run) : NULL;
}

/* A line of the summary, hidden when it has nothing to say. */
static void
set_line (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

/* What the run created, updated and retracted, and the values people hold
 * that it left alone. */
static void
show_changes (SynExecutionPanel *self, JsonObject *summary, gboolean up_to_date)
{
  JsonObject *created = syn_ui_json_object (summary, "created");
  JsonObject *updated = syn_ui_json_object (summary, "updated");
  JsonObject *retracted = syn_ui_json_object (summary, "retracted");
  g_autofree char *created_list = syn_format_outputs (int_of (created, "assets"), int_of (created, "cables"),
                                                      int_of (created, "edges"));
  g_autofree char *updated_list = syn_format_outputs (int_of (updated, "assets"), int_of (updated, "cables"), 0);
  g_autofree char *retracted_list = syn_format_outputs (int_of (retracted, "assets"), int_of (retracted, "cables"),
                                                        int_of (retracted, "edges"));
  g_autofree char *made = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *held = NULL;
  int warnings = int_of (summary, "warnings");

  if (created_list != NULL)
    /* Translators: %s is a list such as "26 assets, 19 cables and 32 edges" */
    made = g_strdup_printf (self->run_dry ? _("Would create %s") : _("Created %s"), created_list);
  else if (updated_list == NULL && retracted_list == NULL && !up_to_date && summary != NULL)
    made = g_strdup (self->run_dry ? _("Would change no outputs") : _("Changed no outputs"));
  if (updated_list != NULL)
    /* Translators: %s is a list such as "32 assets and 1 cable" */
    changed = g_strdup_printf (self->run_dry ? _("Would update %s") : _("Updated %s"), updated_list);
  if (retracted_list != NULL)
    /* Translators: %s is a list such as "1 asset, 1 cable and 2 edges": outputs of rules that no longer apply */
    removed = g_strdup_printf (self->run_dry ? _("Would retract %s") : _("Retracted %s"), retracted_list);
  if (warnings > 0)
    held = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d value held by a person: the rules left it as it is",
                                         "%d values held by people: the rules left them as they are", warnings),
                            warnings);
  set_line (self->created_label, made);
  set_line (self->updated_label, changed);
  set_line (self->retracted_label, removed);
  set_line (self->warnings_label, held);
}

static void
show_summary (SynExecutionPanel *self)
{
  JsonObject *summary;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *duration = NULL;
  gboolean up_to_date = syn_execution_run_get_up_to_date (self->run);

  if (failure_of (self) != NULL)
    {
      gboolean cancelled = self->run != NULL && g_strcmp0 (syn_execution_run_get_status (self->run), "cancelled") == 0;

      /* a cancel is said once, here, and not as a failure: the engine's
       * last message says the same in English and is not repeated */
      if (cancelled)
        gtk_label_set_text (self->summary_title, self->run_dry ? _("The preview was cancelled")
                                                               : _("The execution was cancelled: nothing was committed"));
      else
        gtk_label_set_text (self->summary_title, self->run_dry ? _("The preview failed")
                                                               : _("The execution failed: nothing was committed"));
      gtk_label_set_text (self->summary_label, cancelled ? "" : failure_of (self));
      gtk_widget_set_visible (GTK_WIDGET (self->summary_label), !cancelled);
      show_changes (self, NULL, FALSE);
      gtk_widget_set_visible (self->show_batch_button, FALSE);
      gtk_revealer_set_reveal_child (self->summary_revealer, TRUE);
      return;
    }
  summary = syn_execution_run_get_summary (self->run);
  id = syn_format_short_id (syn_execution_run_get_correlation_id (self->run));
  duration = syn_format_count (syn_execution_run_get_duration_ms (self->run));
  if (up_to_date)
    title = g_strdup (_("Up to date: nothing to do"));
  else if (self->run_dry)
    /* Translators: %s is a duration in milliseconds */
    title = g_strdup_printf (_("Preview finished in %s ms: nothing was committed"), duration);
  else
    /* Translators: batch id, then a duration in milliseconds */
    title = g_strdup_printf (_("Batch %s committed in %s ms"), id, duration);
  body = syn_format_run_summary (summary);
  gtk_label_set_text (self->summary_title, title);
  gtk_label_set_text (self->summary_label, body);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), TRUE);
  show_changes (self, summary, up_to_date);
  gtk_widget_set_visible (self->show_batch_button, !self->run_dry && !up_to_date);
  gtk_revealer_set_reveal_child (self->summary_revealer, TRUE);
}

/* "1:05", "12 s", "0.4 s": how long a run has gone on. */
static char *
format_elapsed (gint64 ms)
{
  gint64 s = ms / 1000;

  if (ms < 10000)
    /* Translators: a duration in seconds, with one decimal */
    return g_strdup_printf (_("%.1f s"), ms / 1000.0);
  if (s < 60)
    /* Translators: a duration in whole seconds */
    return g_strdup_printf (_("%d s"), (int) s);
  /* Translators: a duration in minutes and seconds */
  return g_strdup_printf (_("%d:%02d min"), (int) (s / 60), (int) (s % 60));
}

/* The bar's text: the percentage and the time so far, then how it ended. */
static void
show_progress_text (SynExecutionPanel *self)
{
  SynExecutionRun *run = self->run;
  g_autofree char *elapsed = format_elapsed (syn_execution_run_get_elapsed_ms (run));
  g_autofree char *text = NULL;

  self->shown_elapsed_s = syn_execution_run_get_elapsed_ms (run) / 1000;
  if (self->running)
    /* Translators: the progress bar while a run goes on: "42 % · 12 s" */
    text = g_strdup_printf (_("%u %% · %s"), syn_execution_run_get_progress (run), elapsed);
  else if (failure_of (self) != NULL && g_strcmp0 (syn_execution_run_get_status (run), "cancelled") == 0)
    /* Translators: the progress bar of a cancelled run (the summary below says it was cancelled) */
    text = g_strdup_printf (_("Stopped after %s"), elapsed);
  else if (failure_of (self) != NULL)
    text = g_strdup (_("Failed"));
  else
    /* Translators: %s is a duration such as "1.2 s" */
    text = g_strdup_printf (self->run_dry ? _("Preview finished in %s") : _("Finished in %s"), elapsed);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

/* "3 / 3", and beside it the rules that had nothing to work on: they are
 * through, not pending. */
static void
show_rules_counter (SynExecutionPanel *self)
{
  SynExecutionRun *run = self->run;
  guint idle = syn_execution_run_get_rules_idle (run);
  g_autofree char *rules = g_strdup_printf ("%u / %u", syn_execution_run_get_rules_completed (run),
                                            syn_execution_run_get_rules_total (run));

  gtk_label_set_text (self->rules_value, rules);
  if (idle > 0)
    {
      /* Translators: under the rules counter: rules left out of it */
      g_autofree char *caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rules (%u without candidates)",
                                                               "Rules (%u without candidates)", idle), idle);

      gtk_label_set_text (self->rules_caption, caption);
    }
  else
    gtk_label_set_text (self->rules_caption, _("Rules"));
}

static void
apply_state (SynExecutionPanel *self)
{
  SynExecutionRun *run = self->run;
  guint errors;

  if (!self->dirty || run == NULL)
    return;
  self->dirty = FALSE;

  errors = syn_execution_run_get_errors (run);
  show_progress_text (self);
  show_rules_counter (self);
  set_count (self->actions_value, syn_execution_run_get_actions (run));
  set_count (self->skipped_value, syn_execution_run_get_skipped (run));
  set_count (self->errors_value, errors);
  if (errors > 0)
    gtk_widget_add_css_class (self->errors_counter, "has-errors");
  else
    gtk_widget_remove_css_class (self->errors_counter, "has-errors");
  flush_log (self);
  syn_run_error_list_sync (self->error_list);

  if (self->last_error != NULL)
    {
      g_autofree char *text = NULL;

      if (errors > 1)
        /* Translators: the newest error, then how many there were */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (and %d more: see Errors)",
                                             "%s (and %d more: see Errors)", (gulong) errors - 1),
                                self->last_error, (int) errors - 1);
      gtk_label_set_text (self->error_label, text ? text : self->last_error);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
    }
  if (!self->running && (syn_execution_run_get_finished (run) || self->failure != NULL))
    show_summary (self);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);

  apply_state (self);
  /* the time goes on between messages too */
  if (self->running && self->run != NULL &&
      syn_execution_run_get_elapsed_ms (self->run) / 1000 != self->shown_elapsed_s)
    show_progress_text (self);
  if (!self->running)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
finish_run (SynExecutionPanel *self)
{
  gboolean committed = self->run != NULL && g_strcmp0 (syn_execution_run_get_status (self->run), "completed") == 0;

  self->running = FALSE;
  self->dirty = TRUE;
  /* "Cancelling…" is over: the summary says how it ended */
  gtk_label_set_text (self->current_rule_label, "");
  apply_state (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  if (committed && self->session != NULL)
    syn_session_data_changed (self->session);
}

/* The end of a run is applied even when the panel is not on screen (tick
 * callbacks only run while it is mapped). */
static gboolean
finish_idle_cb (gpointer data)
{
  SynExecutionPanel *self = data;

  self->finish_idle = 0;
  finish_run (self);
  return G_SOURCE_REMOVE;
}

static void
ensure_tick (SynExecutionPanel *self)
{
  if (self->tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static void
push_log (SynExecutionPanel *self, JsonNode *message)
{
  g_queue_push_tail (&self->pending_log, json_node_ref (message));
  if (g_queue_get_length (&self->pending_log) > LOG_LENGTH)
    json_node_unref (g_queue_pop_head (&self->pending_log));
}

/* The log shows actions and errors; the counters come from the run. */
static void
on_run_message (SynExecutionRun *run, JsonNode *message, SynExecutionPanel *self)
{
  JsonObject *m = json_node_get_object (message);
  const char *type = syn_json_get_string (m, "type");

  if (g_strcmp0 (type, "ACTION") == 0)
    push_log (self, message);
  /* the ERROR that ends a run (cancelled or failed) is said by the summary alone */
  else if (g_strcmp0 (type, "ERROR") == 0 && json_object_get_boolean_member_with_default (m, "recoverable", TRUE))
    {
      const char *rule = syn_json_get_string (m, "rule_id");

      push_log (self, message);
      g_free (self->last_error);
      self->last_error = g_strdup_printf ("%s%s%s", rule ? rule : "", rule ? ": " : "", syn_json_get_string (m, "message"));
    }
  self->dirty = TRUE;
  ensure_tick (self);
}

static void
on_run_finished (SynExecutionRun *run, SynExecutionPanel *self)
{
  /* refused before it began: busy, bad filters, unreachable server */
  if (syn_execution_run_get_final_message (run) == NULL && self->last_error == NULL)
    self->last_error = g_strdup (syn_execution_run_get_failure (run));
  self->dirty = TRUE;
  if (self->finish_idle == 0)
    self->finish_idle = g_idle_add (finish_idle_cb, self);
}

static gboolean
progress_to_fraction (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  g_value_set_double (to, MIN (g_value_get_uint (from), 100) / 100.0);
  return TRUE;
}

static gboolean
rule_to_label (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  const char *rule = g_value_get_string (from);

  g_value_set_string (to, rule ? rule : "");
  return TRUE;
}

static void
execute_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);
  g_autoptr(JsonObject) filters = NULL;
  SynBackend *backend;

  if (self->running || self->session == NULL || syn_session_get_project_id (self->session) == NULL)
    return;
  backend = syn_session_get_backend (self->session);
  if (backend == NULL)
    return;
  reset_run (self);
  /* narrow, the run shows itself */
  syn_execution_panel_set_show_filters (self, FALSE);
  self->run_dry = self->dry_run;
  self->running = TRUE;
  self->dirty = TRUE;
  g_list_store_remove_all (self->log);
  gtk_revealer_set_reveal_child (self->summary_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  gtk_widget_set_visible (self->log_placeholder, FALSE);

  filters = build_filters (self);
  self->run = syn_execution_run_new (backend, syn_session_get_project_id (self->session), self->run_dry, filters);
  syn_run_error_list_set_run (self->error_list, self->run);
  g_signal_connect (self->run, "message", G_CALLBACK (on_run_message), self);
  g_signal_connect (self->run, "finished", G_CALLBACK (on_run_finished), self);
  self->progress_binding = g_object_bind_property_full (self->run, "progress", self->progress_bar, "fraction",
                                                        G_BINDING_SYNC_CREATE, progress_to_fraction, NULL,
                                                        NULL, NULL);
  self->rule_binding = g_object_bind_property_full (self->run, "current-rule", self->current_rule_label, "label",
                                                    G_BINDING_DEFAULT, rule_to_label, NULL, NULL, NULL);
  gtk_label_set_text (self->current_rule_label, _("Waiting for the project…"));

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  ensure_tick (self);
  syn_execution_run_start_async (self->run, NULL, NULL, NULL);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);

  if (!self->running || self->run == NULL)
    return;
  syn_execution_run_cancel (self->run);
  gtk_label_set_text (self->current_rule_label, _("Cancelling: nothing of this run will be committed…"));
}

/* The Errors counter: every error and warning of the run, by rule. */
static void
show_errors_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);

  syn_execution_panel_set_show_filters (self, FALSE);
  if (self->run != NULL)
    syn_run_error_list_sync (self->error_list);
  gtk_stack_set_visible_child_name (self->run_stack, "errors");
  gtk_widget_grab_focus (GTK_WIDGET (self->error_list));
}

static void
show_batch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);

  const char *correlation_id = self->run ? syn_execution_run_get_correlation_id (self->run) : NULL;

  if (correlation_id != NULL && !self->run_dry)
    syn_session_show_batch (self->session, correlation_id);
}

static void
update_actions (SynExecutionPanel *self)
{
  gboolean ready = self->session != NULL && syn_session_get_backend (self->session) != NULL &&
                   syn_session_get_project_id (self->session) != NULL &&
                   syn_session_get_as_of (self->session) == NULL;   /* a past moment is read-only */

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.execute", ready && !self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.cancel", self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.show-batch",
                                 !self->running && self->run != NULL && !self->run_dry &&
                                 g_strcmp0 (syn_execution_run_get_status (self->run), "completed") == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dry_run_switch), !self->running);
}

/* ------------------------------------------------------------------------- */
/* Session                                                                   */

static void
on_session_changed (SynExecutionPanel *self)
{
  SynBackend *backend = self->session ? syn_session_get_backend (self->session) : NULL;

  if (backend != self->backend)
    {
      g_set_object (&self->backend, backend);
      if (self->running)
        {
          /* the run belongs to the backend that was left */
          g_signal_handlers_disconnect_by_data (self->run, self);
          g_clear_handle_id (&self->finish_idle, g_source_remove);
          g_free (self->failure);
          self->failure = g_strdup (_("The connection changed during the run"));
          finish_run (self);
        }
    }
  update_actions (self);
}

static void
on_project_changed (SynExecutionPanel *self)
{
  if (!self->running)
    {
      reset_run (self);
      g_list_store_remove_all (self->log);
      gtk_revealer_set_reveal_child (self->summary_revealer, FALSE);
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
      gtk_widget_set_visible (self->log_placeholder, TRUE);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_set_text (self->progress_bar, _("Ready"));
      gtk_label_set_text (self->current_rule_label, "");
      gtk_label_set_text (self->rules_value, "0");
      gtk_label_set_text (self->rules_caption, _("Rules"));
      gtk_label_set_text (self->actions_value, "0");
      gtk_label_set_text (self->skipped_value, "0");
      gtk_label_set_text (self->errors_value, "0");
      gtk_widget_remove_css_class (self->errors_counter, "has-errors");
    }
  on_session_changed (self);
}

static void
on_rules_changed (GListModel *rules, guint position, guint removed, guint added, SynExecutionPanel *self)
{
  rebuild_asset_types (self);
}

void
syn_execution_panel_set_session (SynExecutionPanel *self, SynSession *session)
{
  g_return_if_fail (SYN_IS_EXECUTION_PANEL (self));
  g_return_if_fail (session == NULL || SYN_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (syn_session_get_rules (self->session), self);
      g_signal_handlers_disconnect_by_data (syn_session_get_status (self->session), self);
    }
  g_set_object (&self->session, session);
  syn_run_error_list_set_session (self->error_list, session);
  if (session != NULL)
    {
      g_autoptr(GtkStringFilter) filter = gtk_string_filter_new (gtk_property_expression_new (SYN_TYPE_JSON_ITEM, NULL, "label"));

      g_signal_connect_swapped (session, "notify::backend", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "notify::project", G_CALLBACK (on_project_changed), self);
      g_signal_connect_swapped (session, "notify::as-of", G_CALLBACK (update_actions), self);
      g_signal_connect (syn_session_get_rules (session), "items-changed", G_CALLBACK (on_rules_changed), self);
      g_signal_connect_swapped (syn_session_get_status (session), "notify::state", G_CALLBACK (show_status), self);
      g_signal_connect_swapped (syn_session_get_status (session), "notify::report", G_CALLBACK (show_status), self);
      gtk_string_filter_set_match_mode (filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
      gtk_string_filter_set_ignore_case (filter, TRUE);
      g_clear_object (&self->rules_filtered);
      self->rules_filtered = gtk_filter_list_model_new (g_object_ref (syn_session_get_rules (session)),
                                                        GTK_FILTER (g_steal_pointer (&filter)));
      gtk_list_box_bind_model (self->rules_box, G_LIST_MODEL (self->rules_filtered), create_rule_row, self, NULL);
    }
  else
    gtk_list_box_bind_model (self->rules_box, NULL, NULL, NULL, NULL);
  rebuild_asset_types (self);
  on_project_changed (self);
  show_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* ------------------------------------------------------------------------- */

static void
syn_execution_panel_map (GtkWidget *widget)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);

  GTK_WIDGET_CLASS (syn_execution_panel_parent_class)->map (widget);
  /* catch up with what happened while another view was shown */
  apply_state (self);
  if (self->running)
    ensure_tick (self);
}

static void
syn_execution_panel_unmap (GtkWidget *widget)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (widget);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }
  GTK_WIDGET_CLASS (syn_execution_panel_parent_class)->unmap (widget);
}

static void
syn_execution_panel_dispose (GObject *object)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (object);

  if (self->running && self->run != NULL)
    syn_execution_run_cancel (self->run);
  self->running = FALSE;
  g_clear_handle_id (&self->finish_idle, g_source_remove);
  reset_run (self);
  g_clear_object (&self->backend);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (syn_session_get_rules (self->session), self);
      g_signal_handlers_disconnect_by_data (syn_session_get_status (self->session), self);
    }
  g_clear_object (&self->session);
  syn_ui_dispose_template (GTK_WIDGET (self), SYN_TYPE_EXECUTION_PANEL);
  g_clear_object (&self->rules_filtered);

  G_OBJECT_CLASS (syn_execution_panel_parent_class)->dispose (object);
}

static void
syn_execution_panel_finalize (GObject *object)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (object);

  reset_run (self);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (syn_execution_panel_parent_class)->finalize (object);
}

static void
syn_execution_panel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_DRY_RUN:
      g_value_set_boolean (value, self->dry_run);
      break;
    case PROP_NARROW:
      g_value_set_boolean (value, self->narrow);
      break;
    case PROP_SHOW_FILTERS:
      g_value_set_boolean (value, self->show_filters);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_execution_panel_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SynExecutionPanel *self = SYN_EXECUTION_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      syn_execution_panel_set_session (self, g_value_get_object (value));
      break;
    case PROP_DRY_RUN:
      syn_execution_panel_set_dry_run (self, g_value_get_boolean (value));
      break;
    case PROP_NARROW:
      syn_execution_panel_set_narrow (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_FILTERS:
      syn_execution_panel_set_show_filters (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
syn_execution_panel_class_init (SynExecutionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_execution_panel_dispose;
  object_class->finalize = syn_execution_panel_finalize;
  object_class->get_property = syn_execution_panel_get_property;
  object_class->set_property = syn_execution_panel_set_property;
  widget_class->map = syn_execution_panel_map;
  widget_class->unmap = syn_execution_panel_unmap;

  properties[PROP_SESSION] = syn_ui_session_param_spec ();
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRY_RUN] =
    g_param_spec_boolean ("dry-run", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NARROW] =
    g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_FILTERS] =
    g_param_spec_boolean ("show-filters", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SYN_TYPE_RUN_ERROR_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-execution-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, paned);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, filters_pane);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, filters_done_button);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, run_pane);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, controls_box);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, filters_button);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, counters_box);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, status_box);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, status_icon);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, status_title);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, status_detail);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, status_held);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, status_retry_button);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, rule_search);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, rules_box);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, disciplines_box);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, action_types_box);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, asset_types_box);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, dry_run_switch);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, current_rule_label);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, rules_value);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, rules_caption);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, errors_button);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, execute_button);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, run_stack);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, error_list);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, actions_value);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, skipped_value);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, errors_value);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, errors_counter);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, summary_revealer);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, summary_title);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, created_label);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, updated_label);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, retracted_label);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, show_batch_button);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, log_view);
  gtk_widget_class_bind_template_child (widget_class, SynExecutionPanel, log_placeholder);

  gtk_widget_class_install_action (widget_class, "panel.execute", NULL, execute_action);
  gtk_widget_class_install_action (widget_class, "panel.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "panel.show-batch", NULL, show_batch_action);
  gtk_widget_class_install_action (widget_class, "panel.show-errors", NULL, show_errors_action);
  gtk_widget_class_install_action (widget_class, "panel.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "panel.check-status", NULL, check_status_action);
  gtk_widget_class_install_property_action (widget_class, "panel.dry-run", "dry-run");
  gtk_widget_class_install_property_action (widget_class, "panel.show-filters", "show-filters");

  gtk_widget_class_set_css_name (widget_class, "executionpanel");
}

static void
syn_execution_panel_init (SynExecutionPanel *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_queue_init (&self->pending_log);
  self->log = g_list_store_new (SYN_TYPE_JSON_ITEM);

  g_signal_connect (factory, "setup", G_CALLBACK (log_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (log_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (log_unbind), self);
  gtk_list_view_set_factory (self->log_view, factory);
  gtk_list_view_set_model (self->log_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->log)))));

  fill_flow_box (self->disciplines_box, syn_disciplines (), syn_format_discipline);
  {
    const char *types[G_N_ELEMENTS (action_types) + 1] = { 0 };

    for (guint i = 0; i < G_N_ELEMENTS (action_types); i++)
      types[i] = action_types[i];
    fill_flow_box (self->action_types_box, types, syn_format_action_type);
  }
  g_signal_connect (self->rules_box, "row-activated", G_CALLBACK (on_rule_row_activated), self);
  self->wide_position = gtk_paned_get_position (self->paned);
  /* the counters are read, not stepped through with Tab */
  for (GtkWidget *counter = gtk_widget_get_first_child (GTK_WIDGET (self->counters_box)); counter;
       counter = gtk_widget_get_next_sibling (counter))
    gtk_widget_set_focusable (counter, FALSE);
  g_signal_connect_swapped (self->paned, "notify::position", G_CALLBACK (on_paned_position), self);
  g_signal_connect (self->rule_search, "search-changed", G_CALLBACK (on_rule_search_changed), self);
  g_object_bind_property (self, "dry-run", self->dry_run_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  update_actions (self);
}

SynSession *
syn_execution_panel_get_session (SynExecutionPanel *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_PANEL (self), NULL);
  return self->session;
}

gboolean
syn_execution_panel_get_running (SynExecutionPanel *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_PANEL (self), FALSE);
  return self->running;
}

gboolean
syn_execution_panel_get_dry_run (SynExecutionPanel *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_PANEL (self), FALSE);
  return self->dry_run;
}

void
syn_execution_panel_set_dry_run (SynExecutionPanel *self, gboolean dry_run)
{
  g_return_if_fail (SYN_IS_EXECUTION_PANEL (self));

  dry_run = !!dry_run;
  if (self->dry_run == dry_run)
    return;
  self->dry_run = dry_run;
  show_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRY_RUN]);
}

/* The batch of the last run (NULL before it started, or for a preview's). */
const char *
syn_execution_panel_get_correlation_id (SynExecutionPanel *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_PANEL (self), NULL);
  return self->run ? syn_execution_run_get_correlation_id (self->run) : NULL;
}

/* The last message of the last run: COMPLETED, or the ERROR that ended it. */
JsonNode *
syn_execution_panel_get_last_message (SynExecutionPanel *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_PANEL (self), NULL);
  return self->run ? syn_execution_run_get_final_message (self->run) : NULL;
}

/* The run being watched, or the last one (NULL before any). */
SynExecutionRun *
syn_execution_panel_get_run (SynExecutionPanel *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_PANEL (self), NULL);
  return self->run;
}

GListModel *
syn_execution_panel_get_log (SynExecutionPanel *self)
{
  g_return_val_if_fail (SYN_IS_EXECUTION_PANEL (self), NULL);
  return G_LIST_MODEL (self->log);
}

void
syn_execution_panel_focus_search (SynExecutionPanel *self)
{
  g_return_if_fail (SYN_IS_EXECUTION_PANEL (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->rule_search));
}

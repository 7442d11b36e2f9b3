/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rules-dialog.c: SynRulesDialog: the project's rules and the library's, each row with its switch (on or
 * off: the definition saved again with is_active changed, one batch with Undo, as `synapse rules
 * enable|disable` does through the same backend call) and its editor. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-batch-undo.h"
#include "syn-rules-dialog.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

struct _SynRulesDialog
{
  GtkWindow     parent_instance;

  SynSession   *session;
  GCancellable *cancellable;
  guint         pending;         /* calls under way */
  JsonArray    *rules;           /* as listed */
  GHashTable   *switches;        /* rule id -> GtkSwitch */

  GtkBox       *content;
  GtkWidget    *project_group;
  GtkWidget    *library_group;
  GtkListBox   *project_list;
  GtkListBox   *library_list;
  GtkLabel     *status_label;
};

G_DEFINE_FINAL_TYPE (SynRulesDialog, syn_rules_dialog, GTK_TYPE_WINDOW)

static void load_rules (SynRulesDialog *self);

static JsonObject *
find_rule (SynRulesDialog *self, const char *rule_id)
{
  for (guint i = 0; self->rules != NULL && i < json_array_get_length (self->rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (self->rules, i);

      if (g_strcmp0 (syn_json_get_string (rule, "id"), rule_id) == 0)
        return rule;
    }
  return NULL;
}

/* ------------------------------------------------------------------------- */
/* Switches                                                                  */

typedef struct
{
  SynRulesDialog *self;
  char           *name;
  gboolean        active;
} SwitchCall;

static void
switch_saved (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SwitchCall *call = user_data;
  g_autoptr(SynRulesDialog) self = call->self;
  g_autofree char *name = call->name;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  gboolean active = call->active;

  g_free (call);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (answer == NULL)
    syn_session_report_error (self->session, active ? _("Could not switch the rule on") : _("Could not switch the rule off"),
                              error);
  else
    {
      g_autofree char *text = active ? g_strdup_printf (_("Rule “%s” switched on."), name)
                                     : g_strdup_printf (_("Rule “%s” switched off."), name);

      syn_batch_undo_offer (self->session, text,
                            syn_json_get_string (json_node_get_object (answer), "correlation_id"));
      syn_session_data_changed (self->session);
    }
  /* the list as stored, either way */
  load_rules (self);
}

static gboolean
on_switch_state_set (GtkSwitch *widget, gboolean active, SynRulesDialog *self)
{
  const char *rule_id = g_object_get_data (G_OBJECT (widget), "rule-id");
  JsonObject *listed = find_rule (self, rule_id);
  g_autoptr(JsonObject) rule = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  SwitchCall *call;

  if (listed == NULL || json_object_get_boolean_member_with_default (listed, "is_active", TRUE) == active)
    return FALSE;
  rule = syn_json_object_copy (listed);
  json_object_set_boolean_member (rule, "is_active", active);
  if (syn_json_get_string (rule, "project_id") != NULL)
    json_object_set_string_member (params, "project_id", syn_json_get_string (rule, "project_id"));
  json_object_remove_member (rule, "project_id");
  json_object_set_object_member (params, "rule", g_steal_pointer (&rule));
  call = g_new0 (SwitchCall, 1);
  call->self = g_object_ref (self);
  call->name = g_strdup (syn_json_get_string (listed, "name"));
  call->active = active;
  self->pending++;
  gtk_widget_set_sensitive (GTK_WIDGET (widget), FALSE);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_SAVE_RULE, params, self->cancellable,
                          switch_saved, call);
  /* the switch moves; its state follows when the list is read again */
  return FALSE;
}

/* ------------------------------------------------------------------------- */
/* Rows                                                                      */

static void
on_edit_clicked (GtkButton *button, SynRulesDialog *self)
{
  syn_rules_dialog_edit (self, g_object_get_data (G_OBJECT (button), "rule-id"));
}

static GtkWidget *
rule_row (SynRulesDialog *self, JsonObject *rule)
{
  const char *id = syn_json_get_string (rule, "id");
  const char *discipline = syn_json_get_string (rule, "discipline");
  gboolean active = json_object_get_boolean_member_with_default (rule, "is_active", TRUE);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
  g_autofree char *subtitle = NULL;
  g_autofree char *edit_label = NULL;

  /* Translators: a rule's row: its id, source and discipline */
  subtitle = g_strdup_printf (_("%s · %s · %s"), id, syn_json_get_string (rule, "source"),
                              discipline ? syn_format_discipline (discipline) : _("any discipline"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), syn_json_get_string (rule, "name"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);

  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (toggle), "rule-id", g_strdup (id), g_free);
  /* Translators: the accessible name of a rule's switch: the rule's name */
  edit_label = g_strdup_printf (_("Apply “%s”"), syn_json_get_string (rule, "name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label, -1);
  gtk_widget_set_tooltip_text (toggle, active ? _("On: the rule runs") : _("Off: the rule does not run"));
  g_signal_connect (toggle, "state-set", G_CALLBACK (on_switch_state_set), self);
  g_hash_table_insert (self->switches, g_strdup (id), toggle);

  gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (edit, "flat");
  gtk_widget_set_tooltip_text (edit, _("Edit the rule"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Edit the rule"), -1);
  g_object_set_data_full (G_OBJECT (edit), "rule-id", g_strdup (id), g_free);
  g_signal_connect (edit, "clicked", G_CALLBACK (on_edit_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_rules (SynRulesDialog *self)
{
  guint n_project = 0, n_library = 0;

  clear_list (self->project_list);
  clear_list (self->library_list);
  g_hash_table_remove_all (self->switches);
  for (guint i = 0; self->rules != NULL && i < json_array_get_length (self->rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (self->rules, i);
      gboolean library = syn_json_get_string (rule, "project_id") == NULL;

      gtk_list_box_append (library ? self->library_list : self->project_list, rule_row (self, rule));
      if (library)
        n_library++;
      else
        n_project++;
    }
  gtk_widget_set_visible (self->project_group, TRUE);
  gtk_widget_set_visible (self->library_group, n_library > 0);
  if (n_project == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No rule of this project’s own yet"));
      gtk_list_box_append (self->project_list, row);
    }
}

static void
rules_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynRulesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->pending--;
  if (answer == NULL || !JSON_NODE_HOLDS_ARRAY (answer))
    {
      gtk_label_set_text (self->status_label, error ? error->message : _("The rules could not be read."));
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  g_clear_pointer (&self->rules, json_array_unref);
  self->rules = json_array_ref (json_node_get_array (answer));
  show_rules (self);
}

static void
load_rules (SynRulesDialog *self)
{
  g_autoptr(JsonObject) params = json_object_new ();

  if (syn_session_get_project_id (self->session) == NULL)
    return;
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  self->pending++;
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_LIST_RULES, params, self->cancellable,
                          rules_loaded, g_object_ref (self));
}

/* ------------------------------------------------------------------------- */

SynRuleEditorDialog *
syn_rules_dialog_edit (SynRulesDialog *self, const char *rule_id)
{
  SynRuleEditorDialog *editor;

  g_return_val_if_fail (SYN_IS_RULES_DIALOG (self), NULL);

  editor = syn_rule_editor_dialog_new (GTK_WINDOW (self), self->session, rule_id ? find_rule (self, rule_id) : NULL);
  /* what was saved shows when the editor closes */
  g_signal_connect_object (editor, "destroy", G_CALLBACK (load_rules), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

static void
on_new_clicked (SynRulesDialog *self)
{
  syn_rules_dialog_edit (self, NULL);
}

gboolean
syn_rules_dialog_get_busy (SynRulesDialog *self)
{
  g_return_val_if_fail (SYN_IS_RULES_DIALOG (self), FALSE);
  return self->pending > 0;
}

guint
syn_rules_dialog_get_n_rules (SynRulesDialog *self)
{
  g_return_val_if_fail (SYN_IS_RULES_DIALOG (self), 0);
  return self->rules ? json_array_get_length (self->rules) : 0;
}

GtkSwitch *
syn_rules_dialog_get_switch (SynRulesDialog *self, const char *rule_id)
{
  g_return_val_if_fail (SYN_IS_RULES_DIALOG (self), NULL);
  return g_hash_table_lookup (self->switches, rule_id);
}

static GtkWidget *
group (const char *title, const char *description, GtkListBox **list)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *text = gtk_label_new (description);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_widget_add_css_class (text, "dim-label");
  *list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (*list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (*list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (*list), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (*list));
  return box;
}

static void
syn_rules_dialog_dispose (GObject *object)
{
  SynRulesDialog *self = SYN_RULES_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (syn_rules_dialog_parent_class)->dispose (object);
}

static void
syn_rules_dialog_finalize (GObject *object)
{
  SynRulesDialog *self = SYN_RULES_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rules, json_array_unref);
  g_clear_pointer (&self->switches, g_hash_table_unref);

  G_OBJECT_CLASS (syn_rules_dialog_parent_class)->finalize (object);
}

static void
syn_rules_dialog_class_init (SynRulesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = syn_rules_dialog_dispose;
  object_class->finalize = syn_rules_dialog_finalize;
}

static void
syn_rules_dialog_init (SynRulesDialog *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *new_button = gtk_button_new_with_mnemonic (_("_New Rule"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  self->cancellable = g_cancellable_new ();
  syn_ui_dialog_release_on_destroy (GTK_WINDOW (self), self->cancellable);
  self->switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_window_set_title (GTK_WINDOW (self), _("Rules"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 600);
  gtk_widget_set_tooltip_text (new_button, _("Write a rule of this project"));
  g_signal_connect_swapped (new_button, "clicked", G_CALLBACK (on_new_clicked), self);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), new_button);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape"),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  self->content = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 18));
  gtk_widget_set_margin_start (GTK_WIDGET (self->content), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->content), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->content), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->content), 18);
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  gtk_box_append (self->content, GTK_WIDGET (self->status_label));
  self->project_group = group (_("This Project"), _("Rules written for this project. Switched off, a rule does "
                                                    "not run; what it made is taken back at the next run."),
                               &self->project_list);
  self->library_group = group (_("Library"), _("Rules every project shares (firm and country rules)."),
                               &self->library_list);
  gtk_box_append (self->content, self->project_group);
  gtk_box_append (self->content, self->library_group);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->content));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_window_set_child (GTK_WINDOW (self), scroller);
}

SynRulesDialog *
syn_rules_dialog_new (GtkWindow *parent, SynSession *session)
{
  SynRulesDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_SESSION (session), NULL);

  self = g_object_new (SYN_TYPE_RULES_DIALOG, "transient-for", parent, "destroy-with-parent", TRUE, NULL);
  self->session = g_object_ref (session);
  load_rules (self);
  return self;
}

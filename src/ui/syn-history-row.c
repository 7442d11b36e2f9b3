/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-history-row.c: SynHistoryRow, one event of an asset's history: who, when, which rule and
 * batch, and a table of its fields before and after, the changed ones highlighted and marked. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-history-row.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

struct _SynHistoryRow
{
  GtkWidget         parent_instance;

  SynTimelineEvent *item;
  guint             n_changed;

  GtkLabel         *type_label;
  GtkLabel         *when_label;
  GtkLabel         *who_label;
  GtkButton        *batch_button;
  GtkLabel         *rule_label;
  GtkGrid          *changes_grid;
};

G_DEFINE_FINAL_TYPE (SynHistoryRow, syn_history_row, GTK_TYPE_WIDGET)

/* Columns of an asset, in the order engineers read them; then its properties. */
static const char * const asset_fields[] = { "tag", "type", "description", "discipline", "area" };

static GtkWidget *
cell (const char *text, gboolean changed, const char *klass)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, changed ? "changed" : "unchanged");
  if (klass != NULL)
    gtk_widget_add_css_class (label, klass);
  return label;
}

static void
add_change (SynHistoryRow *self, int *row, const char *field, JsonNode *before, JsonNode *after,
            gboolean has_before, gboolean has_after)
{
  g_autofree char *before_text = has_before ? syn_format_value (before) : g_strdup ("—");
  g_autofree char *after_text = has_after ? syn_format_value (after) : g_strdup ("—");
  g_autofree char *field_text = NULL;
  gboolean changed = !(has_before && has_after && syn_json_node_equal (before, after)) &&
                     !(before == NULL && after == NULL);
  GtkWidget *name;

  /* changed rows say so in words too (a marker and the accessible
   * description), not by their colour alone */
  field_text = changed ? g_strdup_printf ("● %s", field) : g_strdup (field);
  name = cell (field_text, changed, "field");
  if (changed)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (name), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("changed"), -1);
      self->n_changed++;
    }
  gtk_grid_attach (self->changes_grid, name, 0, *row, 1, 1);
  gtk_grid_attach (self->changes_grid, cell (before_text, changed, "before"), 1, *row, 1, 1);
  gtk_grid_attach (self->changes_grid, cell (after_text, changed, "after"), 2, *row, 1, 1);
  (*row)++;
}

static void
add_keys (GPtrArray *keys, GHashTable *seen, JsonObject *object)
{
  g_autoptr(GList) members = object ? json_object_get_members (object) : NULL;

  members = g_list_sort (members, (GCompareFunc) g_strcmp0);
  for (GList *l = members; l; l = l->next)
    if (g_hash_table_add (seen, l->data))
      g_ptr_array_add (keys, l->data);
}

/* Before and after of every field: created assets have no before, deleted
 * ones no after; an update has both (and its diff says which changed). */
static void
build_table (SynHistoryRow *self, JsonObject *event)
{
  const char *type = syn_json_get_string (event, "event_type");
  JsonObject *payload = syn_ui_json_object (event, "payload");
  JsonObject *before = NULL, *after = NULL;
  JsonObject *before_props, *after_props;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *child;
  int row = 1;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->changes_grid))) != NULL)
    gtk_grid_remove (self->changes_grid, child);
  self->n_changed = 0;

  if (g_strcmp0 (type, "ASSET_UPDATED") == 0)
    {
      before = syn_ui_json_object (payload, "before");
      after = syn_ui_json_object (payload, "after");
    }
  else if (g_strcmp0 (type, "ASSET_CREATED") == 0)
    after = payload;
  else if (g_strcmp0 (type, "ASSET_DELETED") == 0)
    before = payload;
  if (before == NULL && after == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->changes_grid), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->changes_grid), TRUE);

  gtk_grid_attach (self->changes_grid, cell (_("Field"), FALSE, "heading"), 0, 0, 1, 1);
  gtk_grid_attach (self->changes_grid, cell (_("Before"), FALSE, "heading"), 1, 0, 1, 1);
  gtk_grid_attach (self->changes_grid, cell (_("After"), FALSE, "heading"), 2, 0, 1, 1);

  for (guint i = 0; i < G_N_ELEMENTS (asset_fields); i++)
    {
      JsonNode *b = before ? json_object_get_member (before, asset_fields[i]) : NULL;
      JsonNode *a = after ? json_object_get_member (after, asset_fields[i]) : NULL;

      if ((b == NULL || JSON_NODE_HOLDS_NULL (b)) && (a == NULL || JSON_NODE_HOLDS_NULL (a)))
        continue;
      add_change (self, &row, asset_fields[i], b, a, before != NULL, after != NULL);
    }
  before_props = syn_ui_json_object (before, "properties");
  after_props = syn_ui_json_object (after, "properties");
  add_keys (keys, seen, before_props);
  add_keys (keys, seen, after_props);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      JsonNode *b = before_props ? json_object_get_member (before_props, key) : NULL;
      JsonNode *a = after_props ? json_object_get_member (after_props, key) : NULL;

      add_change (self, &row, key, b, a, b != NULL, a != NULL);
    }
}

static void
update (SynHistoryRow *self)
{
  JsonObject *event = self->item ? syn_timeline_event_get_json (self->item) : NULL;
  JsonObject *payload;
  const char *rule, *user, *correlation_id;
  g_autofree char *when = NULL;
  g_autofree char *who = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *batch_label = NULL;
  g_autofree char *rule_text = NULL;
  g_autofree char *summary = NULL;

  if (event == NULL)
    return;
  payload = syn_ui_json_object (event, "payload");
  rule = syn_json_get_string (event, "rule_id");
  user = syn_json_get_string (event, "user_id");
  correlation_id = syn_json_get_string (event, "correlation_id");
  when = syn_format_time (syn_json_get_string (event, "timestamp"));
  /* Translators: who made a change */
  who = g_strdup_printf (_("by %s"), user ? user : _("local user"));
  batch = syn_format_short_id (correlation_id);
  /* Translators: a link to a batch, with its short id */
  batch_label = g_strdup_printf (_("Batch %s"), batch);
  summary = syn_format_event_summary (event);
  if (rule != NULL)
    /* Translators: the rule that made a change, then what it did */
    rule_text = g_strdup_printf (_("Rule %s — %s"), rule, summary);
  else if (payload != NULL && syn_json_get_string (payload, "created_by_rule_id") == NULL &&
           g_strcmp0 (syn_json_get_string (event, "event_type"), "ASSET_CREATED") == 0)
    rule_text = g_strdup_printf (_("Imported or added by hand — %s"), summary);
  else
    rule_text = g_strdup_printf (_("Edited by hand — %s"), summary);

  gtk_label_set_text (self->type_label, syn_format_event_type (syn_json_get_string (event, "event_type")));
  gtk_label_set_text (self->when_label, when);
  gtk_label_set_text (self->who_label, who);
  gtk_button_set_label (self->batch_button, batch_label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->batch_button), correlation_id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->batch_button), "s", correlation_id ? correlation_id : "");
  if (gtk_actionable_get_action_name (GTK_ACTIONABLE (self->batch_button)) == NULL)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->batch_button), "history.show-batch");
  gtk_label_set_text (self->rule_label, rule_text);
  build_table (self, event);
}

void
syn_history_row_set_item (SynHistoryRow *self, SynTimelineEvent *item)
{
  g_return_if_fail (SYN_IS_HISTORY_ROW (self));
  g_return_if_fail (item == NULL || SYN_IS_TIMELINE_EVENT (item));

  if (!g_set_object (&self->item, item))
    return;
  update (self);
}

guint
syn_history_row_get_n_changed (SynHistoryRow *self)
{
  g_return_val_if_fail (SYN_IS_HISTORY_ROW (self), 0);
  return self->n_changed;
}

static void
syn_history_row_dispose (GObject *object)
{
  SynHistoryRow *self = SYN_HISTORY_ROW (object);

  g_clear_object (&self->item);
  syn_ui_dispose_template (GTK_WIDGET (self), SYN_TYPE_HISTORY_ROW);

  G_OBJECT_CLASS (syn_history_row_parent_class)->dispose (object);
}

static void
syn_history_row_class_init (SynHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SynHistoryRow, type_label);
  gtk_widget_class_bind_template_child (widget_class, SynHistoryRow, when_label);
  gtk_widget_class_bind_template_child (widget_class, SynHistoryRow, who_label);
  gtk_widget_class_bind_template_child (widget_class, SynHistoryRow, batch_button);
  gtk_widget_class_bind_template_child (widget_class, SynHistoryRow, rule_label);
  gtk_widget_class_bind_template_child (widget_class, SynHistoryRow, changes_grid);
  gtk_widget_class_set_css_name (widget_class, "historyrow");
}

static void
syn_history_row_init (SynHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
syn_history_row_new (void)
{
  return g_object_new (SYN_TYPE_HISTORY_ROW, NULL);
}

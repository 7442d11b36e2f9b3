/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-timeline-row.c: SynTimelineRow, one event of the timeline, with its batch's header when it
 * opens the batch. Rolled-back events are dimmed, struck through and labelled. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-timeline-row.h"
#include "syn-ui-format.h"
#include "syn-ui-widget.h"

struct _SynTimelineRow
{
  GtkWidget         parent_instance;

  SynTimelineModel *model;
  SynTimelineFold  *fold;
  SynTimelineEvent *item;
  gboolean          header_only;
  gboolean          compact;
  SynTimelineBatch *batch;

  GtkWidget        *header_box;
  GtkWidget        *expander_button;
  GtkImage         *batch_icon;
  GtkLabel         *kind_label;
  GtkLabel         *batch_id_label;
  GtkLabel         *head_hash_label;
  GtkWidget        *as_of_button;
  GtkWidget        *batch_rolled_back_label;
  GtkWidget        *batch_pending_label;     /* a clone's batch not yet on its server */
  GtkLabel         *batch_user_label;
  GtkLabel         *batch_summary_label;
  GtkWidget        *filter_button;
  GtkWidget        *rollback_button;
  GtkWidget        *redo_button;
  GtkWidget        *event_box;
  GtkLabel         *time_label;
  GtkLabel         *type_label;
  GtkLabel         *subject_label;
  GtkLabel         *summary_label;
  GtkLabel         *rule_label;
  GtkWidget        *rolled_back_label;
};

G_DEFINE_FINAL_TYPE (SynTimelineRow, syn_timeline_row, GTK_TYPE_WIDGET)

static const char * const type_classes[] = { "created", "updated", "deleted", "rule", "rule-error", "batch" };

static void
update_expander (SynTimelineRow *self)
{
  guint index = self->item ? syn_timeline_event_get_index (self->item) : 0;
  gboolean collapsed = self->fold != NULL && self->item != NULL && syn_timeline_fold_is_collapsed (self->fold, index);

  gtk_widget_set_visible (self->expander_button, self->fold != NULL && !self->header_only);
  gtk_button_set_icon_name (GTK_BUTTON (self->expander_button), collapsed ? "pan-end-symbolic" : "pan-down-symbolic");
  gtk_widget_set_tooltip_text (self->expander_button, collapsed ? _("Show the events of this batch")
                                                                : _("Collapse this batch"));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->expander_button), GTK_ACCESSIBLE_STATE_EXPANDED, !collapsed, -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->expander_button), "u", index);
  if (gtk_actionable_get_action_name (GTK_ACTIONABLE (self->expander_button)) == NULL)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->expander_button), "timeline.toggle-batch");
  if (collapsed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "collapsed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "collapsed");
}

/* The chain's head after the batch: short in the header, whole in its
 * tooltip and the batch id's (what `synapse state-hash` prints). */
static void
show_head_hash (SynTimelineRow *self, const char *id, const char *head)
{
  g_autofree char *shown = head ? g_strndup (head, 12) : NULL;
  /* Translators: the tooltip of a batch's head hash */
  g_autofree char *tip = head ? g_strdup_printf (_("Head hash of the project's history after this batch: %s"), head)
                              : NULL;
  g_autofree char *id_tip = head ? g_strdup_printf ("%s\n%s", id, tip) : g_strdup (id);

  /* Translators: a batch's head hash, shortened: "chain 3fa9c2d1e0b4" */
  g_autofree char *text = shown ? g_strdup_printf (_("chain %s"), shown) : NULL;

  gtk_label_set_text (self->head_hash_label, text ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->head_hash_label), tip);
  gtk_widget_set_visible (GTK_WIDGET (self->head_hash_label), head != NULL && !self->compact);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->batch_id_label), id_tip);
}

/* Whether the row's batch is a clone's, not yet on the server (the
 * backend marks its events "pending"). */
static gboolean
is_pending (SynTimelineRow *self)
{
  JsonObject *event = self->item ? syn_timeline_event_get_json (self->item) : NULL;

  return event != NULL && json_object_get_boolean_member_with_default (event, "pending", FALSE);
}

static void
update_header (SynTimelineRow *self)
{
  const char *id = self->batch ? syn_timeline_batch_get_correlation_id (self->batch) : NULL;
  g_autofree char *short_id = syn_format_short_id (id);

  gtk_label_set_text (self->batch_id_label, short_id);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->batch_id_label), id);
  /* the target first: an action name without its target warns */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->filter_button), "s", id ? id : "");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->rollback_button), "s", id ? id : "");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->redo_button), "s", id ? id : "");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->as_of_button), "s", id ? id : "");
  if (gtk_actionable_get_action_name (GTK_ACTIONABLE (self->filter_button)) == NULL)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->as_of_button), "timeline.show-as-of");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->filter_button), "timeline.show-batch");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->rollback_button), "timeline.rollback");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->redo_button), "timeline.redo");
    }

  if (self->batch == NULL || !syn_timeline_batch_get_loaded (self->batch))
    {
      gtk_label_set_text (self->kind_label, _("Batch"));
      gtk_label_set_text (self->batch_user_label, "");
      gtk_label_set_text (self->batch_summary_label, "");
      gtk_widget_set_visible (self->batch_rolled_back_label, FALSE);
      gtk_widget_set_visible (self->batch_pending_label, FALSE);
      gtk_widget_set_visible (self->rollback_button, FALSE);
      gtk_widget_set_visible (self->redo_button, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->head_hash_label), FALSE);
      gtk_widget_remove_css_class (self->header_box, "rolled-back");
      return;
    }
  {
    const char *mode = syn_timeline_batch_get_mode (self->batch);
    g_autofree char *who = NULL;
    g_autofree char *summary = NULL;
    gint64 count = syn_timeline_batch_get_events_count (self->batch);

    gtk_label_set_text (self->kind_label, syn_timeline_batch_get_kind (self->batch));
    show_head_hash (self, id, syn_timeline_batch_get_head_hash (self->batch));
    /* Translators: who ran a batch, and when */
    who = g_strdup_printf (_("%s · %s"), syn_timeline_batch_get_user (self->batch),
                           syn_timeline_batch_get_time (self->batch));
    gtk_label_set_text (self->batch_user_label, who);
    /* Translators: a batch's mode, its size, its summary */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %d event · %s", "%s · %d events · %s",
                                            (gulong) count),
                               mode, (int) count, syn_timeline_batch_get_summary (self->batch));
    gtk_label_set_text (self->batch_summary_label, summary);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->batch_summary_label), summary);
    gtk_widget_set_visible (self->batch_rolled_back_label, syn_timeline_batch_get_rolled_back (self->batch));
    gtk_widget_set_visible (self->batch_pending_label, is_pending (self));
    gtk_widget_set_visible (self->rollback_button, syn_timeline_batch_get_can_roll_back (self->batch));
    gtk_widget_set_visible (self->redo_button, syn_timeline_batch_get_can_redo (self->batch));
    /* a rollback's Redo undoes it: said so */
    if (g_strcmp0 (mode, "rollback") == 0)
      {
        gtk_button_set_label (GTK_BUTTON (self->redo_button), _("Undo Rollback"));
        gtk_widget_set_tooltip_text (self->redo_button, _("Redo every batch this rollback undid"));
      }
    else
      {
        gtk_button_set_label (GTK_BUTTON (self->redo_button), _("Redo"));
        gtk_widget_set_tooltip_text (self->redo_button, _("Apply this batch again, exactly"));
      }
    if (syn_timeline_batch_get_rolled_back (self->batch))
      gtk_widget_add_css_class (self->header_box, "rolled-back");
    else
      gtk_widget_remove_css_class (self->header_box, "rolled-back");
  }
}

static void
set_batch (SynTimelineRow *self, SynTimelineBatch *batch)
{
  if (self->batch == batch)
    return;
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_set_object (&self->batch, batch);
  if (batch != NULL)
    g_signal_connect_swapped (batch, "notify::loaded", G_CALLBACK (update_header), self);
  update_header (self);
}

static void
update (SynTimelineRow *self)
{
  SynTimelineEvent *item = self->item;
  JsonObject *event = item ? syn_timeline_event_get_json (item) : NULL;
  const char *type = event ? syn_json_get_string (event, "event_type") : NULL;
  const char *rule = event ? syn_json_get_string (event, "rule_id") : NULL;
  const char *klass = type ? syn_format_event_kind (type) : NULL;
  g_autofree char *time = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *summary = NULL;
  gboolean rolled_back;

  for (guint i = 0; i < G_N_ELEMENTS (type_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->type_label), type_classes[i]);

  if (event == NULL)
    {
      gtk_label_set_text (self->time_label, "");
      gtk_label_set_text (self->type_label, _("Loading…"));
      gtk_label_set_text (self->subject_label, "");
      gtk_label_set_text (self->summary_label, "");
      gtk_label_set_text (self->rule_label, "");
      gtk_widget_set_visible (self->rolled_back_label, FALSE);
      gtk_widget_set_visible (self->header_box, FALSE);
      gtk_widget_add_css_class (self->event_box, "placeholder");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "rolled-back");
      set_batch (self, NULL);
      return;
    }

  gtk_widget_remove_css_class (self->event_box, "placeholder");
  time = syn_format_time (syn_json_get_string (event, "timestamp"));
  subject = syn_format_event_subject (event);
  summary = syn_format_event_summary (event);
  rolled_back = syn_timeline_event_get_rolled_back (item);

  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->type_label, syn_format_event_type (type));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->type_label), type);
  if (klass != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->type_label), klass);
  gtk_label_set_text (self->subject_label, subject);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subject_label), subject);
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), *summary ? summary : NULL);
  gtk_label_set_text (self->rule_label, rule ? rule : "");
  /* the header says it once for the whole batch; the rows are only dimmed */
  gtk_widget_set_visible (self->rolled_back_label, FALSE);
  if (rolled_back)
    gtk_widget_add_css_class (GTK_WIDGET (self), "rolled-back");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "rolled-back");
  if (is_pending (self))
    gtk_widget_add_css_class (GTK_WIDGET (self), "pending");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pending");

  gtk_widget_set_visible (self->event_box, !self->header_only);
  if ((self->header_only || syn_timeline_event_get_first_in_batch (item)) &&
      syn_timeline_event_get_correlation_id (item) != NULL)
    {
      gtk_widget_set_visible (self->header_box, TRUE);
      set_batch (self, syn_timeline_model_get_batch (self->model, syn_timeline_event_get_correlation_id (item)));
    }
  else
    {
      gtk_widget_set_visible (self->header_box, FALSE);
      set_batch (self, NULL);
    }
  update_expander (self);
}

void
syn_timeline_row_set_item (SynTimelineRow *self, SynTimelineEvent *item)
{
  g_return_if_fail (SYN_IS_TIMELINE_ROW (self));
  g_return_if_fail (item == NULL || SYN_IS_TIMELINE_EVENT (item));

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);
  if (item != NULL)
    {
      g_signal_connect_swapped (item, "notify::loaded", G_CALLBACK (update), self);
      g_signal_connect_swapped (item, "notify::first-in-batch", G_CALLBACK (update), self);
    }
  update (self);
}

static void
syn_timeline_row_dispose (GObject *object)
{
  SynTimelineRow *self = SYN_TIMELINE_ROW (object);

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_clear_object (&self->batch);
  g_clear_object (&self->model);
  if (self->fold != NULL)
    g_signal_handlers_disconnect_by_data (self->fold, self);
  g_clear_object (&self->fold);
  syn_ui_dispose_template (GTK_WIDGET (self), SYN_TYPE_TIMELINE_ROW);

  G_OBJECT_CLASS (syn_timeline_row_parent_class)->dispose (object);
}

static void
syn_timeline_row_class_init (SynTimelineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_timeline_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-timeline-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, header_box);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, expander_button);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, batch_icon);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, batch_id_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, head_hash_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, as_of_button);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, batch_rolled_back_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, batch_pending_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, batch_user_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, batch_summary_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, rollback_button);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, event_box);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, type_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, subject_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, rule_label);
  gtk_widget_class_bind_template_child (widget_class, SynTimelineRow, rolled_back_label);
  gtk_widget_class_set_css_name (widget_class, "timelinerow");
}

static void
syn_timeline_row_init (SynTimelineRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
syn_timeline_row_new (SynTimelineModel *model)
{
  SynTimelineRow *self;

  g_return_val_if_fail (SYN_IS_TIMELINE_MODEL (model), NULL);

  self = g_object_new (SYN_TYPE_TIMELINE_ROW, NULL);
  self->model = g_object_ref (model);
  return GTK_WIDGET (self);
}

/* Rows of a list that collapses batches: their headers get an expander. */
void
syn_timeline_row_set_fold (SynTimelineRow *self, SynTimelineFold *fold)
{
  g_return_if_fail (SYN_IS_TIMELINE_ROW (self));
  g_return_if_fail (fold == NULL || SYN_IS_TIMELINE_FOLD (fold));

  if (self->fold != NULL)
    g_signal_handlers_disconnect_by_data (self->fold, self);
  g_set_object (&self->fold, fold);
  if (fold != NULL)
    g_signal_connect_swapped (fold, "notify::n-folds", G_CALLBACK (update_expander), self);
  update_expander (self);
}

/* Only the batch header of the item's batch (the sticky one above the list). */
void
syn_timeline_row_set_header_only (SynTimelineRow *self, gboolean header_only)
{
  g_return_if_fail (SYN_IS_TIMELINE_ROW (self));
  self->header_only = header_only;
  update (self);
}

SynTimelineEvent *
syn_timeline_row_get_item (SynTimelineRow *self)
{
  g_return_val_if_fail (SYN_IS_TIMELINE_ROW (self), NULL);
  return self->item;
}

/* Narrow: the time (the header has it) and the rule left out, the type and
 * the subject in less room, so that a row fits a phone's width. The batch
 * header keeps Roll Back and Redo; Only this batch and As of Then are in the
 * row's menu too, and the head hash in the batch id's tooltip. */
void
syn_timeline_row_set_compact (SynTimelineRow *self, gboolean compact)
{
  g_return_if_fail (SYN_IS_TIMELINE_ROW (self));

  self->compact = compact;
  gtk_widget_set_visible (self->filter_button, !compact);
  gtk_widget_set_visible (self->as_of_button, !compact);
  update_header (self);
  gtk_widget_set_visible (GTK_WIDGET (self->time_label), !compact);
  gtk_widget_set_visible (GTK_WIDGET (self->rule_label), !compact);
  gtk_label_set_width_chars (self->type_label, compact ? 10 : 18);
  gtk_label_set_width_chars (self->subject_label, compact ? 8 : 16);
  if (compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
}

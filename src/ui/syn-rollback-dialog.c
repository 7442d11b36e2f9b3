/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-rollback-dialog.c: SynRollbackDialog: says what a rollback will undo, asks the backend which
 * later batches block it and offers to roll those back first (cascade). */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-rollback-dialog.h"
#include "syn-ui-format.h"

struct _SynRollbackDialog
{
  GtkWindow         parent_instance;

  SynSession       *session;
  char             *correlation_id;
  SynTimelineBatch *batch;
  GCancellable     *cancellable;
  guint             n_blockers;
  gboolean          ready;

  GtkLabel         *title_label;
  GtkLabel         *body_label;
  GtkWidget        *blockers_box;
  GtkListBox       *blockers_list;
  GtkLabel         *error_label;
  GtkSpinner       *spinner;
  GtkButton        *confirm_button;
};

G_DEFINE_FINAL_TYPE (SynRollbackDialog, syn_rollback_dialog, GTK_TYPE_WINDOW)

enum {
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void check_blockers (SynRollbackDialog *self);

/* Shown once it knows what it asks (the blockers): a window sized for
 * its final content, which GTK does not grow after mapping. */
static void
present (SynRollbackDialog *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_present (GTK_WINDOW (self));
}

static void
set_busy (SynRollbackDialog *self, gboolean busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_button), !busy && self->ready);
}

static void
show_error (SynRollbackDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
describe_batch (SynRollbackDialog *self)
{
  g_autofree char *id = syn_format_short_id (self->correlation_id);

  if (self->batch == NULL || !syn_timeline_batch_get_loaded (self->batch))
    return g_strdup_printf (_("batch %s"), id);
  /* Translators: kind of batch, its id, its size, when, by whom: "Rule execution 3d3f36c6 (218 events, 2026-11-26 11:42:04, by jdoe)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %s (%d event, %s, by %s)", "%s %s (%d events, %s, by %s)",
                                       (gulong) syn_timeline_batch_get_events_count (self->batch)),
                          syn_timeline_batch_get_kind (self->batch), id,
                          (int) syn_timeline_batch_get_events_count (self->batch),
                          syn_timeline_batch_get_time (self->batch), syn_timeline_batch_get_user (self->batch));
}

static GtkWidget *
blocker_row (JsonObject *blocker)
{
  g_autofree char *id = syn_format_short_id (syn_json_get_string (blocker, "correlation_id"));
  g_autofree char *when = syn_format_time (syn_json_get_string (blocker, "executed_at"));
  g_autofree char *text = NULL;
  gint64 count = json_object_get_int_member_with_default (blocker, "events_count", 0);
  GtkWidget *label;

  /* Translators: a blocking batch: its id, when, its size */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Batch %s · %s · %d event", "Batch %s · %s · %d events",
                                       (gulong) count), id, when, (int) count);
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_widget_set_tooltip_text (label, syn_json_get_string (blocker, "correlation_id"));
  return label;
}

static void
blockers_loaded (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynRollbackDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  g_autofree char *what = describe_batch (self);
  g_autofree char *body = NULL;
  JsonArray *blockers;
  GtkWidget *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    {
      self->ready = FALSE;
      set_busy (self, FALSE);
      gtk_label_set_text (self->body_label, _("This batch cannot be rolled back."));
      show_error (self, error->message);
      present (self);
      return;
    }

  blockers = json_object_get_array_member (json_node_get_object (answer), "blocking_batches");
  self->n_blockers = blockers ? json_array_get_length (blockers) : 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->blockers_list))) != NULL)
    gtk_list_box_remove (self->blockers_list, child);
  for (guint i = 0; i < self->n_blockers; i++)
    gtk_list_box_append (self->blockers_list, blocker_row (json_array_get_object_element (blockers, i)));
  gtk_widget_set_visible (self->blockers_box, self->n_blockers > 0);

  if (self->n_blockers == 0)
    {
      /* Translators: %s describes the batch */
      body = g_strdup_printf (_("This will undo %s: the assets, cables and edges it created are deleted, and "
                                "those it changed or deleted are restored as they were before it. Its events stay "
                                "on the timeline, marked as rolled back."), what);
      gtk_button_set_label (self->confirm_button, _("_Roll Back"));
    }
  else
    {
      g_autofree char *label = NULL;

      /* Translators: %s describes the batch; %d is a number of later batches */
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "A later batch changed what %s touched, so it cannot be rolled back "
                                           "alone. Roll back that batch first, then this one, each restored exactly?",
                                           "%2$d later batches changed what %1$s touched, so it cannot be rolled back "
                                           "alone. Roll back those batches first, newest first, then this one, each "
                                           "restored exactly?",
                                           (gulong) self->n_blockers), what, (int) self->n_blockers);
      /* Translators: the button that rolls back a batch and its blockers */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Roll Back %d Batches", "_Roll Back %d Batches",
                                            (gulong) self->n_blockers + 1), (int) self->n_blockers + 1);
      gtk_button_set_label (self->confirm_button, label);
    }
  gtk_label_set_text (self->body_label, body);
  self->ready = TRUE;
  set_busy (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));
  present (self);
}

static void
check_blockers (SynRollbackDialog *self)
{
  g_autoptr(JsonObject) params = json_object_new ();

  self->ready = FALSE;
  set_busy (self, TRUE);
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "correlation_id", self->correlation_id);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_ROLLBACK_BLOCKERS, params,
                          self->cancellable, blockers_loaded, g_object_ref (self));
}

static void
rolled_back (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynRollbackDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_backend_call_finish (SYN_BACKEND (object), result, &error);
  JsonObject *o, *summary;
  g_autofree char *id = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    {
      set_busy (self, FALSE);
      show_error (self, error->message);
      /* blocked since we looked (someone else's batch): look again */
      if (g_error_matches (error, SYN_BACKEND_ERROR, SYN_BACKEND_ERROR_CONFLICT))
        check_blockers (self);
      return;
    }
  o = json_node_get_object (answer);
  summary = json_object_get_object_member (o, "summary");
  id = syn_format_short_id (self->correlation_id);
  counts = syn_format_rollback_summary (summary);
  /* Translators: the answer of a rollback: batch id, then what it did ("2 assets deleted and 1 asset restored") */
  text = g_strdup_printf (_("Rolled back batch %s: %s."), id, counts);
  /* the rollback is undone by redoing its own batch: offered at once */
  {
    const char *rollback_id = syn_json_get_string (o, "rollback_correlation_id");

    if (rollback_id != NULL)
      {
        g_autoptr(GVariant) target = g_variant_ref_sink (g_variant_new_string (rollback_id));
        g_autofree char *undo = g_action_print_detailed_name ("win.redo", target);

        /* Translators: the button beside "Rolled back batch …" that redoes it */
        syn_session_report_info_with_action (self->session, text, _("_Undo"), undo);
      }
    else
      syn_session_report_info (self->session, text);
  }
  syn_session_data_changed (self->session);
  g_signal_emit (self, signals[SIGNAL_DONE], 0, TRUE);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_confirm_clicked (SynRollbackDialog *self)
{
  syn_rollback_dialog_confirm (self);
}

/* Rolls back, with the cascade when later batches were found to block. */
void
syn_rollback_dialog_confirm (SynRollbackDialog *self)
{
  g_autoptr(JsonObject) params = json_object_new ();

  g_return_if_fail (SYN_IS_ROLLBACK_DIALOG (self));

  if (!self->ready)
    return;
  self->ready = FALSE;
  show_error (self, NULL);
  set_busy (self, TRUE);
  json_object_set_string_member (params, "project_id", syn_session_get_project_id (self->session));
  json_object_set_string_member (params, "correlation_id", self->correlation_id);
  json_object_set_boolean_member (params, "cascade", self->n_blockers > 0);
  syn_backend_call_async (syn_session_get_backend (self->session), SYN_OP_ROLLBACK, params,
                          self->cancellable, rolled_back, g_object_ref (self));
}

static void
syn_rollback_dialog_dispose (GObject *object)
{
  SynRollbackDialog *self = SYN_ROLLBACK_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->batch);
  gtk_widget_dispose_template (GTK_WIDGET (self), SYN_TYPE_ROLLBACK_DIALOG);

  G_OBJECT_CLASS (syn_rollback_dialog_parent_class)->dispose (object);
}

static void
syn_rollback_dialog_finalize (GObject *object)
{
  SynRollbackDialog *self = SYN_ROLLBACK_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->correlation_id, g_free);

  G_OBJECT_CLASS (syn_rollback_dialog_parent_class)->finalize (object);
}

static void
syn_rollback_dialog_class_init (SynRollbackDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = syn_rollback_dialog_dispose;
  object_class->finalize = syn_rollback_dialog_finalize;

  /**
   * SynRollbackDialog::done:
   * @rolled_back: whether the batch was rolled back
   */
  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/synapse_rules/Synapse/ui/syn-rollback-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SynRollbackDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, SynRollbackDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, SynRollbackDialog, blockers_box);
  gtk_widget_class_bind_template_child (widget_class, SynRollbackDialog, blockers_list);
  gtk_widget_class_bind_template_child (widget_class, SynRollbackDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SynRollbackDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SynRollbackDialog, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
}

static void
syn_rollback_dialog_init (SynRollbackDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

SynRollbackDialog *
syn_rollback_dialog_new (GtkWindow        *parent,
                         SynSession       *session,
                         const char       *correlation_id,
                         SynTimelineBatch *batch)
{
  SynRollbackDialog *self;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_SESSION (session), NULL);
  g_return_val_if_fail (correlation_id != NULL, NULL);

  self = g_object_new (SYN_TYPE_ROLLBACK_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->correlation_id = g_strdup (correlation_id);
  self->batch = batch ? g_object_ref (batch) : NULL;
  id = syn_format_short_id (correlation_id);
  /* Translators: %s is the short id of a batch */
  title = g_strdup_printf (_("Roll back batch %s?"), id);
  gtk_label_set_text (self->title_label, title);
  check_blockers (self);
  return self;
}

gboolean
syn_rollback_dialog_get_ready (SynRollbackDialog *self)
{
  g_return_val_if_fail (SYN_IS_ROLLBACK_DIALOG (self), FALSE);
  return self->ready;
}

guint
syn_rollback_dialog_get_n_blockers (SynRollbackDialog *self)
{
  g_return_val_if_fail (SYN_IS_ROLLBACK_DIALOG (self), 0);
  return self->n_blockers;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syn-clone-dialog.c: SynCloneDialog: "Work Offline" on a team project: the copy's file (the default under
 * the user's data folder, or one chosen), then the clone with its stage and counts, cancellable. */
#include "config.h"

#include <glib/gi18n.h>

#include "core/syn-json.h"
#include "syn-clone-dialog.h"
#include "syn-sync-jobs.h"
#include "syn-ui-format.h"

struct _SynCloneDialog
{
  AdwWindow         parent_instance;

  SynRemoteBackend *server;
  SynProject       *project;
  char             *path;
  GCancellable     *cancellable;    /* the clone's, while it runs */

  AdwActionRow     *path_row;
  GtkWidget        *change_button;
  GtkProgressBar   *progress;
  GtkWidget        *start_button;
};

G_DEFINE_FINAL_TYPE (SynCloneDialog, syn_clone_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CLONED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (SynCloneDialog *self, gboolean busy)
{
  gtk_widget_set_sensitive (self->start_button, !busy);
  gtk_widget_set_sensitive (self->change_button, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), busy);
}

/* "Events fetched: 12,000" then "Replaying 12,000 events…": what the
 * client is at, on the main context. */
static void
on_progress (GObject *target, const char *stage, guint64 done, guint64 total)
{
  SynCloneDialog *self = SYN_CLONE_DIALOG (target);
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (self->cancellable == NULL)
    return;
  if (g_strcmp0 (stage, "events") == 0)
    {
      count = syn_format_count ((gint64) done);
      /* Translators: the progress of a clone: how many events came from the server */
      text = g_strdup_printf (_("Events fetched: %s"), count);
      gtk_progress_bar_pulse (self->progress);
    }
  else
    {
      count = syn_format_count ((gint64) total);
      /* Translators: the progress of a clone: its state rebuilt from the events */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replaying %s event…", "Replaying %s events…",
                                           (gulong) total), count);
      gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / (double) total : 1.0);
    }
  gtk_progress_bar_set_text (self->progress, text);
}

static void
cloned (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SynCloneDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = syn_sync_job_run_finish (result, &error);
  gboolean cancelled = self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable);

  g_clear_object (&self->cancellable);
  if (cancelled)
    return;
  set_busy (self, FALSE);
  if (answer == NULL)
    {
      /* Translators: a clone failed; %s says why */
      g_autofree char *text = g_strdup_printf (_("Could not make the copy: %s"), error->message);

      gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
      gtk_progress_bar_set_fraction (self->progress, 0);
      gtk_progress_bar_set_text (self->progress, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->progress), "error");
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CLONED], 0, self->path,
                 syn_json_get_string (json_node_get_object (answer), "project_id"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynCloneDialog *self = SYN_CLONE_DIALOG (widget);
  SynSyncJobRequest request = {
    .kind = SYN_SYNC_JOB_CLONE,
    .server = self->server,
    .path = self->path,
    .project = self->project->id,
    .progress_target = G_OBJECT (self),
    .progress = on_progress,
  };

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  gtk_widget_remove_css_class (GTK_WIDGET (self->progress), "error");
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_progress_bar_set_text (self->progress, _("Asking the server…"));
  set_busy (self, TRUE);
  syn_sync_job_run_async (&request, self->cancellable, cloned, g_object_ref (self));
}

/* Cancel: a clone under way stops at its next page and leaves no file. */
static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynCloneDialog *self = SYN_CLONE_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
syn_clone_dialog_close_request (GtkWindow *window)
{
  SynCloneDialog *self = SYN_CLONE_DIALOG (window);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (syn_clone_dialog_parent_class)->close_request (window);
}

static void
on_chosen (GtkNativeDialog *chooser, int response, SynCloneDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        syn_clone_dialog_set_path (self, path);
    }
  g_object_unref (chooser);
}

static void
change_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SynCloneDialog *self = SYN_CLONE_DIALOG (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = g_path_get_basename (self->path);

  chooser = gtk_file_chooser_native_new (_("Where to Keep the Copy"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Choose"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

const char *
syn_clone_dialog_get_path (SynCloneDialog *self)
{
  g_return_val_if_fail (SYN_IS_CLONE_DIALOG (self), NULL);
  return self->path;
}

void
syn_clone_dialog_set_path (SynCloneDialog *self, const char *path)
{
  g_return_if_fail (SYN_IS_CLONE_DIALOG (self));
  g_return_if_fail (path != NULL);

  g_free (self->path);
  self->path = g_strdup (path);
  adw_action_row_set_subtitle (self->path_row, path);
}

gboolean
syn_clone_dialog_get_busy (SynCloneDialog *self)
{
  g_return_val_if_fail (SYN_IS_CLONE_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

/* What the progress bar says (the stage and its count, or the failure). */
const char *
syn_clone_dialog_get_progress_text (SynCloneDialog *self)
{
  g_return_val_if_fail (SYN_IS_CLONE_DIALOG (self), NULL);
  return gtk_progress_bar_get_text (self->progress);
}

static void
syn_clone_dialog_dispose (GObject *object)
{
  SynCloneDialog *self = SYN_CLONE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->server);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (syn_clone_dialog_parent_class)->dispose (object);
}

static void
syn_clone_dialog_finalize (GObject *object)
{
  SynCloneDialog *self = SYN_CLONE_DIALOG (object);

  g_clear_pointer (&self->path, g_free);
  G_OBJECT_CLASS (syn_clone_dialog_parent_class)->finalize (object);
}

static void
syn_clone_dialog_class_init (SynCloneDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = syn_clone_dialog_dispose;
  object_class->finalize = syn_clone_dialog_finalize;
  window_class->close_request = syn_clone_dialog_close_request;

  /**
   * SynCloneDialog::cloned:
   * @path: the copy's file
   * @project_id: the project in it
   */
  signals[SIGNAL_CLONED] =
    g_signal_new ("cloned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "clone.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "clone.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "clone.change", NULL, change_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "clone.cancel", NULL);
}

static void
syn_clone_dialog_init (SynCloneDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *explain = gtk_label_new (NULL);

  gtk_window_set_title (GTK_WINDOW (self), _("Work Offline"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, -1);
  gtk_widget_set_size_request (GTK_WIDGET (self), 340, -1);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);

  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_widget_set_name (explain, "explain");
  gtk_label_set_wrap (GTK_LABEL (explain), TRUE);
  gtk_label_set_xalign (GTK_LABEL (explain), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (explain), 60);
  gtk_box_append (GTK_BOX (content), explain);

  self->path_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->path_row), _("Copy on this computer"));
  adw_action_row_set_subtitle_lines (self->path_row, 3);
  self->change_button = gtk_button_new_with_mnemonic (_("C_hange…"));
  gtk_widget_set_valign (self->change_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->change_button, _("Choose another file for the copy"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->change_button), "clone.change");
  adw_action_row_add_suffix (self->path_row, self->change_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->path_row));
  gtk_box_append (GTK_BOX (content), group);

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_progress_bar_set_ellipsize (self->progress, PANGO_ELLIPSIZE_END);
  gtk_progress_bar_set_pulse_step (self->progress, 0.1);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->progress));

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "clone.cancel");
  gtk_box_append (GTK_BOX (buttons), cancel);
  self->start_button = gtk_button_new_with_mnemonic (_("_Work Offline"));
  gtk_widget_add_css_class (self->start_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->start_button), "clone.start");
  gtk_box_append (GTK_BOX (buttons), self->start_button);
  gtk_box_append (GTK_BOX (content), buttons);

  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (self), box);
}

SynCloneDialog *
syn_clone_dialog_new (GtkWindow *parent, SynRemoteBackend *server, SynProject *project)
{
  SynCloneDialog *self;
  GtkWidget *explain;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SYN_IS_REMOTE_BACKEND (server), NULL);
  g_return_val_if_fail (SYN_IS_PROJECT (project), NULL);

  self = g_object_new (SYN_TYPE_CLONE_DIALOG, "transient-for", parent, NULL);
  self->server = g_object_ref (server);
  self->project = g_object_ref (project);
  path = syn_sync_job_default_path (project->name);
  syn_clone_dialog_set_path (self, path);
  /* the first child of the content: the sentence that says what happens */
  explain = gtk_widget_get_first_child (gtk_widget_get_last_child (adw_window_get_content (ADW_WINDOW (self))));
  /* Translators: the Work Offline dialog; %s is the project's name */
  text = g_strdup_printf (_("A copy of “%s” is made on this computer: its events with their hash chain, its rules "
                            "and its state, checked against the server's. Work on it without a network; Sync "
                            "then sends your work back, each change as you made it."), project->name);
  gtk_label_set_text (GTK_LABEL (explain), text);
  return self;
}
